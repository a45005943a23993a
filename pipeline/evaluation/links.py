"""Suite `links`: how well `pipeline.link` resolves citations.

(a) On the generated archive (``tests/linkcorpus.py``): edge precision, recall and F1
    overall and for damaged vs clean citations, plus the resolution statuses.
    Targets: P ≥ 0.98, R ≥ 0.95. ``--links-measure`` also prints the m/u table that
    `pipeline.link.MU` was set from.
(b) On the seeds (``../shared/seeds`` + ``gold/seeds.json``): every ``resolves_to`` of
    the gold resolved to the right record, and no reference resolved to a wrong one.
    Needs the extraction stage (``pipeline.extract.read_text``); reported as skipped
    until it is in the checkout.

An edge is (citing record, reference index) → cited letter. Copies of one letter in
several files are the same letter, so a reference resolved to any copy is right.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..link import MU, build_index, comparison_levels, link_records, posterior, reference_facts
from ..types import Record, Reference
from .common import PRF, SkipSuite, import_optional, markdown_table, normalise_for_compare, require_shared

TARGET_PRECISION = 0.98
TARGET_RECALL = 0.95


def add_arguments(parser) -> None:
    parser.add_argument("--links-letters", type=int, default=5000, help="size of the generated archive")
    parser.add_argument("--links-seed", type=int, default=0, help="seed of the generated archive")
    parser.add_argument("--links-noise", type=float, default=0.3, help="share of damaged citations")
    parser.add_argument("--links-measure", action="store_true", help="also print the measured m/u table")


def _corpus_module():
    module = import_optional("tests.linkcorpus")
    if module is None:
        raise SkipSuite("tests/linkcorpus.py not importable (run from the project root)")
    return module


def edge_scores(corpus, linked: list[Record]) -> dict[str, PRF]:
    """PRF of resolved edges, overall and for damaged / clean citations.

    gold = citations whose letter is in the archive; predicted = references resolved;
    a true positive is a resolved reference whose record is a copy of the gold letter.
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, gold, predicted
    for record in linked:
        for k, reference in enumerate(record.references):
            truth = corpus.gold[(record.id, k)]
            got = corpus.letter_of[reference.resolved_id] if reference.resolved_id else None
            for group in ("all", "damaged" if (record.id, k) in corpus.noisy else "clean"):
                c = counts[group]
                c[0] += got is not None and got == truth
                c[1] += truth is not None
                c[2] += got is not None
    return {group: PRF(*counts[group]) for group in ("all", "clean", "damaged")}


def measure_mu(corpus, records: Optional[list[Record]] = None) -> dict[str, dict[str, tuple[float, float]]]:
    """m and u of every comparison level, counted over the blocked candidates of each citation."""
    records = sorted(records or corpus.records, key=lambda r: r.id)
    index = build_index(records)
    match: dict[str, Counter] = defaultdict(Counter)
    other: dict[str, Counter] = defaultdict(Counter)
    for i, record in enumerate(records):
        for k, reference in enumerate(record.references):
            truth = corpus.gold[(record.id, k)]
            cited = reference_facts(reference)
            for j in index.candidates(i, cited):
                if index.node_ids[j] == index.node_ids[i]:
                    continue
                table = match if corpus.letter_of[records[j].id] == truth else other
                for name, level in comparison_levels(index, i, cited, reference.relation, j).items():
                    if level is not None:
                        table[name][level] += 1
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name, levels in MU.items():
        m_total, u_total = sum(match[name].values()) or 1, sum(other[name].values()) or 1
        out[name] = {level: (match[name][level] / m_total, other[name][level] / u_total) for level in levels}
    return out


#: Posterior buckets of the reliability table: [low, high).
BUCKETS = ((0.1, 0.5), (0.5, 0.9), (0.9, 0.99), (0.99, 1.01))


def reliability(corpus) -> list[list]:
    """Is the posterior a probability? Per bucket of the best candidate's posterior: how
    many references, the mean posterior, and how often that candidate is the cited letter."""
    records = sorted(corpus.records, key=lambda r: r.id)
    index = build_index(records)
    sums = {b: [0, 0.0, 0] for b in BUCKETS}  # count, Σp, right
    for i, record in enumerate(records):
        for k, reference in enumerate(record.references):
            scored = posterior(index, i, reference)
            if not scored:
                continue
            p, rid = scored[0]
            for low, high in BUCKETS:
                if low <= p < high:
                    s = sums[(low, high)]
                    s[0] += 1
                    s[1] += p
                    s[2] += corpus.letter_of[rid] == corpus.gold[(record.id, k)]
    return [[f"[{low}, {min(high, 1.0)}{')' if high < 1 else ']'}", n, f"{total / n:.3f}" if n else "–",
             f"{right / n:.3f}" if n else "–"] for (low, high), (n, total, right) in sums.items()]


def _fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.4f}"


def corpus_report(n_letters: int, seed: int, noise: float, measure: bool = False) -> tuple[str, dict[str, PRF]]:
    linkcorpus = _corpus_module()
    corpus = linkcorpus.generate(n_letters, seed=seed, noise=noise)
    started = time.perf_counter()
    linked = link_records(corpus.records)
    seconds = time.perf_counter() - started
    scores = edge_scores(corpus, linked)
    statuses = Counter(ref.status for r in linked for ref in r.references)
    lines = [
        f"Generated archive: {len(corpus.records)} records, {corpus.citations} citations "
        f"({len(corpus.noisy)} damaged, {len(corpus.noisy) / corpus.citations:.0%}), seed {seed}; "
        f"linked in {seconds:.1f} s.",
        "",
        markdown_table(
            ["citations", "gold edges", "resolved", "correct", "precision", "recall", "F1"],
            [[g, s.gold, s.predicted, s.tp, _fmt(s.precision), _fmt(s.recall), _fmt(s.f1)] for g, s in scores.items()],
        ),
        "",
        "Statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())),
        "",
        f"Targets: precision ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL} (overall): "
        + ("met." if (scores["all"].precision or 0) >= TARGET_PRECISION and (scores["all"].recall or 0) >= TARGET_RECALL
           else "**NOT met.**"),
    ]
    lines += ["", "Reliability of the posterior (best candidate of each reference):", "",
              markdown_table(["posterior", "references", "mean posterior", "share right"], reliability(corpus))]
    if measure:
        measured = measure_mu(corpus)
        rows = [[name, level, f"{m:.4f}", f"{u:.4f}", f"{MU[name][level][0]}", f"{MU[name][level][1]}"]
                for name, levels in measured.items() for level, (m, u) in levels.items()]
        lines += ["", "Measured m/u (blocked candidates) next to the constants in pipeline.link.MU:", "",
                  markdown_table(["comparison", "level", "m measured", "u measured", "m used", "u used"], rows)]
    return "\n".join(lines), scores


@dataclass
class SeedResult:
    """Part (b) in numbers: gold links found, and links made where the gold has none."""

    rows: list[list]  # file, letter, cited number, resolved to, gold, right
    right: int
    expected: int
    wrong: list[str]  # "file#letter: number → id" for each reference resolved against the gold


def _matches(reference: Reference, label: dict) -> bool:
    """Whether an extracted reference is the labelled one: same number up to the label's
    accepted readings, or failing a number, same relation and date."""
    wanted = {normalise_for_compare(label["number"]), normalise_for_compare(label.get("also_number"))} - {None}
    if reference.number is not None and normalise_for_compare(reference.number.text) in wanted:
        return True
    return reference.relation == label["relation"] and reference.date in (label["date"], label.get("also_date"))


def seed_results() -> SeedResult:
    """The seeds through `pipeline.extract.read_text` and `link_records`, against gold."""
    seeds = require_shared("seeds")
    gold = json.loads(require_shared("gold", "seeds.json").read_text(encoding="utf-8"))
    extract = import_optional("pipeline.extract")
    if extract is None or not hasattr(extract, "read_text"):
        raise SkipSuite("pipeline.extract.read_text is not in this checkout yet")
    records: list[Record] = []
    for path in sorted(seeds.glob("*.txt")):
        records.extend(extract.read_text(path.read_text(encoding="utf-8"), str(path)))
    linked = link_records(records)
    by_file = {(Path(r.source.path).name, r.source.letter_index): r for r in linked}
    labels = {(label["source"], label["letter_index"]): label for label in gold["letters"]}
    result = SeedResult([], 0, 0, [])
    for key, label in labels.items():
        record = by_file.get(key)
        for ref_label in label.get("references", []):
            if "resolves_to" not in ref_label:
                continue
            result.expected += 1
            target = by_file.get((key[0], ref_label["resolves_to"]))
            got = next((r for r in record.references if _matches(r, ref_label)), None) if record else None
            ok = got is not None and target is not None and got.resolved_id == target.id
            result.right += ok
            result.rows.append([key[0], key[1], ref_label["number"],
                                (got.resolved_id or got.status) if got else "(reference not extracted)",
                                target.id if target else "(letter not extracted)", "yes" if ok else "**no**"])
    for key, record in by_file.items():
        for reference in record.references:
            if reference.resolved_id is None:
                continue
            label = next((r for r in labels.get(key, {}).get("references", []) if _matches(reference, r)), None)
            target = by_file.get((key[0], label["resolves_to"])) if label and "resolves_to" in label else None
            if target is None or target.id != reference.resolved_id:
                number = reference.number.text if reference.number else reference.text[:40]
                result.wrong.append(f"{key[0]}#{key[1]}: {number} → {reference.resolved_id}")
    return result


def seed_report() -> str:
    """Part (b) as Markdown."""
    try:
        result = seed_results()
    except SkipSuite as e:
        return f"Seeds: skipped ({e.reason})."
    lines = [
        f"Seeds: {result.right}/{result.expected} gold `resolves_to` resolved right; "
        f"{len(result.wrong)} reference(s) resolved where the gold says otherwise.",
        "",
        markdown_table(["file", "letter", "cited number", "resolved to", "gold", "right"], result.rows),
    ]
    lines += [f"- wrong: {w}" for w in result.wrong]
    return "\n".join(lines)


def run(args) -> str:
    text, _ = corpus_report(
        getattr(args, "links_letters", 5000), getattr(args, "links_seed", 0),
        getattr(args, "links_noise", 0.3), getattr(args, "links_measure", False),
    )
    return text + "\n\n" + seed_report()
