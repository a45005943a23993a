"""``text`` suite: extraction on the seed texts, scored against ``../shared/gold/seeds.json``.

The comparison rules are the gold file's own ("about"), one small function each:

* letters are matched within the same source file by ``letter_index``;
* ``number``: equal after `normalise_for_compare` (Thai digits → Arabic, spaces and
  punctuation dropped); null means the letter shows none;
* ``date``, ``kind``, ``urgency``: equal;
* ``subject``, ``recipient``, ``sender_organization``, ``signatory``: difflib ratio ≥ 0.9
  after the same normalisation; null means absent;
* deadlines: the date is in the record and, where the label has a time, the time equals;
* references and stamps: (number, date) pairs;
* ``resolves_to``: the matched reference's ``resolved_id`` is the id of the record with
  that ``letter_index`` in the same file;
* ``also_<key>`` gives a second accepted value for ``<key>``.

`score(records, labels)` returns a `TextScore`; `render` turns it into Markdown; `run`
is the suite entry point of the harness.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from ..types import Deadline, Record, Reference, Stamp
from .common import (
    PRF,
    SkipSuite,
    fraction,
    import_optional,
    markdown_table,
    match_items,
    normalise_for_compare,
    require_shared,
    similarity,
)

#: From the gold file's "about": "similarity >= 0.9 (difflib ratio)".
TEXT_SIMILARITY = 0.9

Label = Mapping[str, Any]

# --------------------------------------------------------------------------- value rules


def same_number(expected: Optional[str], got: Optional[str]) -> bool:
    """``'สน 0018.1/ว 1044'`` equals ``'สน ๐๐๑๘.๑/ว ๑๐๔๔'``; None equals only None."""
    return normalise_for_compare(expected) == normalise_for_compare(got)


def same_value(expected: Optional[str], got: Optional[str]) -> bool:
    """Plain equality (dates, kind, urgency, times); "" counts as None."""
    return (expected or None) == (got or None)


def same_text(expected: Optional[str], got: Optional[str]) -> bool:
    """Similarity ≥ 0.9 after normalisation; None (absent) matches only None."""
    e, g = normalise_for_compare(expected), normalise_for_compare(got)
    if e is None or g is None:
        return e is None and g is None
    return similarity(e, g) >= TEXT_SIMILARITY


def accepted(label: Label, key: str) -> list[Any]:
    """The values a label accepts for `key`: its own and, if present, ``also_<key>``."""
    values = [label.get(key)]
    if f"also_{key}" in label:
        values.append(label[f"also_{key}"])
    return values


def accepts(label: Label, key: str, got: Any, same: Callable[[Any, Any], bool]) -> bool:
    """Whether `got` is one of the values `label` accepts for `key`."""
    return any(same(value, got) for value in accepted(label, key))


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class ScalarField:
    """A one-value field: its printed name, gold key, how to read it from a record, the rule."""

    name: str
    gold_key: str
    get: Callable[[Record], Optional[str]]
    same: Callable[[Optional[str], Optional[str]], bool]


#: Scalar fields in the order the report lists them.
FIELDS: tuple[ScalarField, ...] = (
    ScalarField("number", "number", lambda r: r.number.text if r.number else None, same_number),
    ScalarField("date", "date", lambda r: r.date, same_value),
    ScalarField("kind", "kind", lambda r: r.kind, same_value),
    ScalarField("urgency", "urgency", lambda r: r.urgency, same_value),
    ScalarField("subject", "subject", lambda r: r.subject, same_text),
    ScalarField("recipient", "recipient", lambda r: r.recipient, same_text),
    ScalarField("sender", "sender_organization", lambda r: r.sender.organization, same_text),
    ScalarField("signatory", "signatory", lambda r: r.signatory.name, same_text),
)


def field_correct(spec: ScalarField, record: Record, label: Label) -> bool:
    """Whether `record` has an accepted value of `spec` for `label`."""
    return accepts(label, spec.gold_key, spec.get(record), spec.same)


def deadline_matches(label: Label, got: Deadline) -> bool:
    """Same date; and the same time where the label gives one."""
    if not accepts(label, "date", got.date, same_value):
        return False
    if all(t is None for t in accepted(label, "time")):
        return True
    return accepts(label, "time", got.time, same_value)


def _reference_number(ref: Reference) -> Optional[str]:
    return ref.number.text if ref.number else None


def reference_matches(label: Label, got: Reference) -> bool:
    """Same (number, date) pair; the relation is not part of the rule."""
    return accepts(label, "number", _reference_number(got), same_number) and accepts(
        label, "date", got.date, same_value
    )


def stamp_matches(label: Label, got: Stamp) -> bool:
    """Same (number, date) pair; the stamp's time and office are not scored."""
    return accepts(label, "number", got.number, same_number) and accepts(label, "date", got.date, same_value)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Mismatch:
    """One difference between a label and what extraction produced."""

    source: str
    letter_index: int
    field: str
    expected: Optional[str]
    got: Optional[str]
    note: str = ""


@dataclass(frozen=True)
class Resolution:
    """A labelled ``resolves_to``: the id it should point at and the id it got."""

    source: str
    letter_index: int
    reference: str
    expected_id: Optional[str]
    got_id: Optional[str]

    @property
    def correct(self) -> bool:
        return self.expected_id is not None and self.got_id == self.expected_id


@dataclass
class LetterScore:
    """The score of one labelled letter (or of one extracted letter without a label)."""

    source: str
    letter_index: int
    found: bool  # a record exists for the label
    labelled: bool  # a label exists for the record
    fields: dict[str, bool] = field(default_factory=dict)  # field name -> correct, labelled fields only
    deadlines: PRF = PRF(0, 0, 0)
    references: PRF = PRF(0, 0, 0)
    stamps: PRF = PRF(0, 0, 0)
    resolutions: list[Resolution] = field(default_factory=list)
    wrong_resolutions: list[Resolution] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)


@dataclass
class FieldScore:
    name: str
    correct: int
    labelled: int

    @property
    def accuracy(self) -> Optional[float]:
        return self.correct / self.labelled if self.labelled else None


@dataclass
class FileCount:
    source: str
    gold: int
    extracted: int
    matched: int


@dataclass
class TextScore:
    """Everything the report prints, as data."""

    letters: list[LetterScore]
    files: list[FileCount]
    linked: bool  # False when pipeline.link is not built: resolutions not scored

    def field_scores(self) -> list[FieldScore]:
        out = []
        for spec in FIELDS:
            marks = [s.fields[spec.name] for s in self.letters if spec.name in s.fields]
            out.append(FieldScore(spec.name, sum(marks), len(marks)))
        return out

    def _total(self, attribute: str) -> PRF:
        return sum((getattr(s, attribute) for s in self.letters), PRF(0, 0, 0))

    @property
    def deadlines(self) -> PRF:
        return self._total("deadlines")

    @property
    def references(self) -> PRF:
        return self._total("references")

    @property
    def stamps(self) -> PRF:
        return self._total("stamps")

    @property
    def resolutions(self) -> list[Resolution]:
        return [r for s in self.letters for r in s.resolutions]

    @property
    def wrong_resolutions(self) -> list[Resolution]:
        return [r for s in self.letters for r in s.wrong_resolutions]

    @property
    def mismatches(self) -> list[Mismatch]:
        return [m for s in self.letters for m in s.mismatches]


# --------------------------------------------------------------------------- scoring


def _show_deadline(item: Label | Deadline) -> str:
    get = item.get if isinstance(item, Mapping) else lambda k: getattr(item, k)
    return " ".join(v for v in (get("date"), get("time")) if v)


def _show_reference(item: Label | Reference) -> str:
    if isinstance(item, Mapping):
        number, date, relation = item.get("number"), item.get("date"), item.get("relation")
    else:
        number, date, relation = _reference_number(item), item.date, item.relation
    return f"{relation or '?'} {number or '(no number)'} {date or '(no date)'}"


def _show_stamp(item: Label | Stamp) -> str:
    get = item.get if isinstance(item, Mapping) else lambda k: getattr(item, k)
    return f"{get('number') or '(no number)'} {get('date') or '(no date)'}"


def _show_accepted(label: Label, key: str) -> Optional[str]:
    """The label's value, and its ``also_`` value where there is one: ``'— or พร 0023.7/ว'``."""
    values = accepted(label, key)
    if len(values) == 1:
        return values[0]
    return " or ".join(value or "—" for value in values)


def _similarity_note(label: Label, key: str, got: Optional[str]) -> str:
    """``'similarity 0.874'``: the best ratio over the accepted values, where both sides have text."""
    g = normalise_for_compare(got)
    ratios = [similarity(e, g) for e in map(normalise_for_compare, accepted(label, key)) if e and g]
    return f"similarity {max(ratios):.3f}" if ratios else ""


def _score_items(
    name: str,
    labels: Sequence[Label],
    got: Sequence[Any],
    matches: Callable[[Label, Any], bool],
    show: Callable[[Any], str],
    where: tuple[str, int],
) -> tuple[PRF, list[tuple[int, int]], list[Mismatch]]:
    pairs = match_items(labels, got, matches)
    matched_gold = {i for i, _ in pairs}
    matched_got = {j for _, j in pairs}
    misses = [Mismatch(*where, name, show(x), None, "missing") for i, x in enumerate(labels) if i not in matched_gold]
    extras = [Mismatch(*where, name, None, show(x), "extra") for j, x in enumerate(got) if j not in matched_got]
    return PRF(len(pairs), len(labels), len(got)), pairs, misses + extras


def score_letter(
    record: Optional[Record],
    label: Optional[Label],
    ids_by_index: Mapping[int, str],
    *,
    linked: bool = True,
    source: Optional[str] = None,
) -> LetterScore:
    """Score one letter. `ids_by_index` maps letter_index → record id within the same file.

    Either side may be None: a label with no record counts every labelled field wrong and
    every labelled item missed; a record with no label counts its items as extras (they
    lower precision) and any reference it resolved as a wrong resolution.
    """
    if record is None and label is None:
        raise ValueError("score_letter needs a record or a label")
    src = source or (label["source"] if label else Path(record.source.path).name)
    index = label["letter_index"] if label else record.source.letter_index
    where = (src, index)
    out = LetterScore(src, index, found=record is not None, labelled=label is not None)

    if label is not None:
        for spec in FIELDS:
            if spec.gold_key not in label:
                continue
            ok = record is not None and field_correct(spec, record, label)
            out.fields[spec.name] = ok
            if not ok and record is not None:
                got = spec.get(record)
                note = _similarity_note(label, spec.gold_key, got) if spec.same is same_text else ""
                out.mismatches.append(Mismatch(*where, spec.name, _show_accepted(label, spec.gold_key), got, note))

    gold_deadlines = list(label.get("deadlines") or []) if label else []
    gold_references = list(label.get("references") or []) if label else []
    # A label without a "stamps" key has none (the labels list stamps only where present).
    gold_stamps = list(label.get("stamps") or []) if label else []
    got_deadlines = record.deadlines if record else []
    got_references = record.references if record else []
    got_stamps = record.stamps if record else []

    out.deadlines, _, miss = _score_items(
        "deadline", gold_deadlines, got_deadlines, deadline_matches, _show_deadline, where
    )
    out.mismatches += miss
    out.references, ref_pairs, miss = _score_items(
        "reference", gold_references, got_references, reference_matches, _show_reference, where
    )
    out.mismatches += miss
    out.stamps, _, miss = _score_items("stamp", gold_stamps, got_stamps, stamp_matches, _show_stamp, where)
    out.mismatches += miss

    if linked:
        _score_resolutions(out, gold_references, got_references, ref_pairs, ids_by_index)
    return out


def _score_resolutions(
    out: LetterScore,
    gold_references: Sequence[Label],
    got_references: Sequence[Reference],
    pairs: Iterable[tuple[int, int]],
    ids_by_index: Mapping[int, str],
) -> None:
    partner = dict(pairs)  # gold index -> record reference index
    expected_for_got: dict[int, Optional[str]] = {}
    for i, ref in enumerate(gold_references):
        target = ref.get("resolves_to")
        expected = ids_by_index.get(target) if target is not None else None
        if i in partner:
            expected_for_got[partner[i]] = expected
        if target is None:
            continue
        got_id = got_references[partner[i]].resolved_id if i in partner else None
        check = Resolution(out.source, out.letter_index, _show_reference(ref), expected, got_id)
        out.resolutions.append(check)
        if not check.correct:
            why = "reference not extracted" if i not in partner else "not resolved" if got_id is None else "wrong"
            if expected is None:
                why = f"no record with letter_index {target}"
            out.mismatches.append(Mismatch(out.source, out.letter_index, "resolves_to", expected, got_id, why))
    # Resolved to something other than the labelled target (or resolved where the label says
    # the cited letter is not in this file): a false link.
    for j, ref in enumerate(got_references):
        expected = expected_for_got.get(j)
        if ref.resolved_id is not None and ref.resolved_id != expected:
            wrong = Resolution(out.source, out.letter_index, _show_reference(ref), expected, ref.resolved_id)
            out.wrong_resolutions.append(wrong)
            if expected is None:  # labelled targets already have a mismatch row above
                out.mismatches.append(
                    Mismatch(out.source, out.letter_index, "resolves_to", None, ref.resolved_id, "false link")
                )


def score(records: Sequence[Record], labels: Sequence[Label], *, linked: bool = True) -> TextScore:
    """Score extracted `records` against gold `labels` (the gold file's "letters").

    Records are grouped by the file name of ``source.path``; files without any label are
    ignored (nothing to score them against). Set `linked` False when no linking ran.
    """
    labels_by_file: dict[str, dict[int, Label]] = {}
    for label in labels:
        labels_by_file.setdefault(label["source"], {})[label["letter_index"]] = label
    records_by_file: dict[str, list[Record]] = {}
    for record in records:
        name = Path(record.source.path).name
        if name in labels_by_file:
            records_by_file.setdefault(name, []).append(record)

    letters: list[LetterScore] = []
    files: list[FileCount] = []
    for source in sorted(labels_by_file):
        by_index = labels_by_file[source]
        got: dict[int, Record] = {}
        duplicates: list[Record] = []
        for record in records_by_file.get(source, []):
            if record.source.letter_index in got:
                duplicates.append(record)
            else:
                got[record.source.letter_index] = record
        ids = {i: r.id for i, r in got.items()}
        for index in sorted(set(by_index) | set(got)):
            record, label = got.get(index), by_index.get(index)
            scored = score_letter(record, label, ids, linked=linked, source=source)
            if record is None:
                scored.mismatches.insert(0, Mismatch(source, index, "letter", "labelled", None, "no record"))
            elif label is None:
                scored.mismatches.insert(0, Mismatch(source, index, "letter", None, record.id, "no label"))
            letters.append(scored)
        for record in duplicates:  # an extraction bug, but its items still count as predictions
            scored = score_letter(record, None, ids, linked=linked, source=source)
            index = record.source.letter_index
            scored.mismatches.insert(0, Mismatch(source, index, "letter", None, record.id, "duplicate letter_index"))
            letters.append(scored)
        extracted = len(records_by_file.get(source, []))
        files.append(FileCount(source, len(by_index), extracted, len(set(by_index) & set(got))))
    return TextScore(letters, files, linked)


# --------------------------------------------------------------------------- report

_CELL_LIMIT = 140


def _short(text: Optional[str]) -> Optional[str]:
    if text is None or len(text) <= _CELL_LIMIT:
        return text
    return text[: _CELL_LIMIT - 1] + "…"


def _prf_row(name: str, prf: PRF) -> tuple:
    return (name, prf.tp, prf.gold, prf.predicted, prf.precision, prf.recall, prf.f1)


def render(result: TextScore) -> str:
    """The suite's Markdown report."""
    parts = ["### Letters per file", ""]
    parts.append(
        markdown_table(
            ("file", "gold letters", "extracted letters", "matched"),
            [(f.source, f.gold, f.extracted, f.matched) for f in result.files],
            "lrrr",
        )
    )
    parts += ["", "### Fields", ""]
    parts.append(
        markdown_table(
            ("field", "correct / labelled", "accuracy"),
            [(f.name, f"{f.correct}/{f.labelled}", f.accuracy) for f in result.field_scores()],
            "lrr",
        )
    )
    parts += ["", "### Lists", ""]
    parts.append(
        markdown_table(
            ("items", "matched", "labelled", "extracted", "precision", "recall", "F1"),
            [
                _prf_row("deadlines", result.deadlines),
                _prf_row("references", result.references),
                _prf_row("stamps", result.stamps),
            ],
            "lrrrrrr",
        )
    )
    parts += ["", "### Reference resolution", ""]
    if result.linked:
        checks = result.resolutions
        parts.append(
            markdown_table(
                ("resolves_to", "correct / labelled", "wrong resolutions"),
                [("resolves_to", fraction(sum(c.correct for c in checks), len(checks)), len(result.wrong_resolutions))],
                "lrr",
            )
        )
    else:
        parts.append("resolves_to: _not built_ (pipeline.link is not in this checkout)")
    parts += ["", "### Mismatches", ""]
    rows = [(m.source, m.letter_index, m.field, _short(m.expected), _short(m.got), m.note) for m in result.mismatches]
    parts.append(
        markdown_table(("file", "letter", "field", "expected", "got", "note"), rows, "lrllll") if rows else "none"
    )
    return "\n".join(parts)


# --------------------------------------------------------------------------- suite entry


def load_gold(path: Path) -> list[dict]:
    """The labelled letters of a gold file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return list(data["letters"])


def extract_files(paths: Iterable[Path], read_text: Callable[[str, str], list[Record]]) -> list[Record]:
    """Run `read_text` over each text file, records in file order."""
    records: list[Record] = []
    for path in paths:
        records += read_text(Path(path).read_text(encoding="utf-8"), str(path))
    return records


def add_arguments(parser: argparse._ActionsContainer) -> None:
    parser.add_argument("--text-seeds", type=Path, metavar="DIR", help="seed texts (default ../shared/seeds)")
    parser.add_argument("--text-gold", type=Path, metavar="FILE", help="labels (default ../shared/gold/seeds.json)")


def run(args: argparse.Namespace) -> str:
    seeds = getattr(args, "text_seeds", None) or require_shared("seeds")
    gold = getattr(args, "text_gold", None) or require_shared("gold", "seeds.json")
    for path in (seeds, gold):
        if not Path(path).exists():
            raise SkipSuite(f"{path} is missing")
    extract = import_optional("pipeline.extract")
    if extract is None:
        raise SkipSuite("pipeline.extract is not built")
    records = extract_files(sorted(Path(seeds).glob("*.txt")), extract.read_text)
    link = import_optional("pipeline.link")
    if link is not None:
        records = link.link_records(records)
    return render(score(records, load_gold(gold), linked=link is not None))
