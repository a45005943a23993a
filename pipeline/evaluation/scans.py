"""``scans`` suite: OCR and extraction on labelled scans (``samples/`` or ``--scans DIR``).

A scan set is what ``python -m pipeline.synth`` writes: image and PDF files plus
``labels.json`` with the exact text of every page and the gold record of every letter.
For each page, our OCR (`pipeline.ocr.engine.ocr_image`) and plain Tesseract
(`ocr_image_plain`) are scored side by side:

* CER: Levenshtein distance / gold length, after every run of whitespace (line breaks
  included) becomes one space; and again with all whitespace removed, since Thai does
  not space its words and Tesseract spaces them at will;
* digit error: the share of gold digits not reproduced, on an edit-distance alignment of
  the two texts with Thai digits read as their values (``๑`` = ``1``): a digit counts as
  right only where the alignment keeps it unchanged.

Then each file's OCR pages become a `Document`, `pipeline.extract.read_document` reads
the letters (and `pipeline.link` resolves references where built), and fields are scored
with the ``text`` suite's rules (`pipeline.evaluation.text.score`).

Pages run in 2 worker processes with ``OMP_THREAD_LIMIT=1``; OCR output is cached under
``.cache/scans/`` per (page image sha256, engine, engine version), so a second run only
re-scores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from PIL import Image

from ..types import Document, PageText, Record
from .common import SkipSuite, import_optional, markdown_table, project_root, require_ocr, thai_to_arabic

log = logging.getLogger(__name__)

ENGINES = ("ours", "plain")
#: Extraction from the labels' page text: what a perfect OCR would allow.
ORACLE = "gold text"
CACHE_DIR = Path(".cache") / "scans"
DEFAULT_WORKERS = 2

# --------------------------------------------------------------------------- metrics


def collapse_spaces(text: str) -> str:
    """Every run of whitespace (spaces, tabs, line breaks) as one space, ends trimmed."""
    return " ".join(text.split())


def strip_spaces(text: str) -> str:
    """All whitespace removed."""
    return "".join(text.split())


@dataclass(frozen=True)
class Rate:
    """Errors over a reference length; adds up over pages."""

    errors: int
    total: int

    @property
    def rate(self) -> Optional[float]:
        """None when there was nothing to get wrong."""
        return self.errors / self.total if self.total else None

    def __add__(self, other: "Rate") -> "Rate":
        return Rate(self.errors + other.errors, self.total + other.total)


def cer(gold: str, got: str, *, spaces: bool = True) -> Rate:
    """Character errors (Levenshtein distance) of `got` against `gold`.

    ``spaces=True`` compares with whitespace runs collapsed to one space; False drops
    all whitespace. The rate can exceed 1 when `got` is much longer than `gold`.
    """
    from rapidfuzz.distance import Levenshtein

    norm = collapse_spaces if spaces else strip_spaces
    g, o = norm(gold), norm(got)
    return Rate(Levenshtein.distance(g, o), len(g))


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def digit_error(gold: str, got: str) -> Rate:
    """Gold digits that the OCR did not reproduce, on an edit-distance alignment.

    Both texts have Thai digits mapped to Arabic (so a digit is judged by its value)
    and whitespace dropped; a gold digit is right only where the alignment keeps it
    as an unchanged character (a substitution, deletion or a shifted match is wrong).
    """
    from rapidfuzz.distance import Levenshtein

    g, o = strip_spaces(thai_to_arabic(gold)), strip_spaces(thai_to_arabic(got))
    digits = [i for i, ch in enumerate(g) if _is_digit(ch)]
    if not digits:
        return Rate(0, 0)
    kept = set()
    for op in Levenshtein.opcodes(g, o):
        if op.tag == "equal":
            kept.update(range(op.src_start, op.src_end))
    return Rate(sum(1 for i in digits if i not in kept), len(digits))


@dataclass
class PageScore:
    """One page scored for one engine."""

    cer: Rate
    cer_nospace: Rate
    digits: Rate

    @classmethod
    def of(cls, gold: str, got: str) -> "PageScore":
        return cls(cer(gold, got), cer(gold, got, spaces=False), digit_error(gold, got))

    def __add__(self, other: "PageScore") -> "PageScore":
        return PageScore(self.cer + other.cer, self.cer_nospace + other.cer_nospace, self.digits + other.digits)


ZERO = PageScore(Rate(0, 0), Rate(0, 0), Rate(0, 0))

# --------------------------------------------------------------------------- labels


def load_labels(scans: Path) -> dict:
    """``labels.json`` of a scan set, or `SkipSuite` when the set is not there."""
    path = scans / "labels.json"
    if not path.is_file():
        raise SkipSuite(f"{path} is missing (make samples, or python -m pipeline.synth --out DIR)")
    return json.loads(path.read_text(encoding="utf-8"))


def _index_of(record_id: Optional[str]) -> Optional[int]:
    """``'5f2c0a91d3e4#2'`` → 2."""
    if not record_id or "#" not in record_id:
        return None
    return int(record_id.rsplit("#", 1)[1])


def label_of(record: Mapping[str, Any], also: Mapping[str, Any] | None = None) -> dict:
    """A gold record (record.md shape) as a label in the ``gold/seeds.json`` shape the
    ``text`` suite scores against; `also` adds ``also_<key>`` second accepted values."""
    number = record.get("number") or {}
    label = {
        "source": Path(record["source"]["path"]).name,
        "letter_index": record["source"]["letter_index"],
        "kind": record["kind"],
        "urgency": record.get("urgency"),
        "number": number.get("text"),
        "date": record.get("date"),
        "subject": record.get("subject"),
        "recipient": record.get("recipient"),
        "sender_organization": (record.get("sender") or {}).get("organization"),
        "signatory": (record.get("signatory") or {}).get("name"),
        "references": [
            {"relation": r["relation"], "number": (r.get("number") or {}).get("text"), "date": r.get("date"),
             **({"resolves_to": _index_of(r["resolved_id"])} if r.get("resolved_id") else {})}
            for r in record.get("references", [])
        ],
        "deadlines": [{"date": d["date"], "time": d.get("time")} for d in record.get("deadlines", [])],
        "stamps": [{"number": s.get("number"), "date": s.get("date"), "time": s.get("time")}
                   for s in record.get("stamps", [])],
    }
    for key, value in (also or {}).items():
        label[f"also_{key}"] = value
    return label


def labels_of(files: Iterable[Mapping[str, Any]]) -> list[dict]:
    """Every letter of a scan set as a ``text``-suite label."""
    out = []
    for entry in files:
        also = entry.get("also", {})
        for record in entry["records"]:
            out.append(label_of(record, also.get(str(record["source"]["letter_index"]))))
    return out


# --------------------------------------------------------------------------- OCR with a cache


def engine_version() -> str:
    """What decides the OCR output besides the image: Tesseract's version, the numeral
    and month models' bytes, the OCR code itself and the pipeline modules it imports
    (`ocr.OCR_IMPORTS`; a change to any invalidates the cache)."""
    from .. import ocr

    return ocr.fingerprint(Path(ocr.__file__).resolve().parent, ocr.OCR_IMPORTS)


def plain_version() -> str:
    """What decides bare Tesseract's output besides the image: Tesseract's version and
    the code that runs it and writes its page (not the rest of our OCR: a change there
    must not read every page again with the baseline, which did not change)."""
    import inspect

    from ..ocr import engine, preprocess, tesseract
    from ..ocr.tesseract import probe

    digest = hashlib.sha256()
    for part in (engine.ocr_image_plain, engine.assemble, engine._words_from_tsv, engine._line_key, engine._Word,
                 preprocess.unprepared, preprocess.grey, preprocess.Prepared, tesseract.image_to_words,
                 tesseract._read_with_binary, tesseract._run, tesseract._env, tesseract._pnm, tesseract._dpi,
                 tesseract._grey_or_rgb, tesseract.parse_tsv, tesseract.group_words, tesseract._union,
                 tesseract._group_by_gaps):
        digest.update(inspect.getsource(part).encode())
    digest.update(probe().version.encode())
    return digest.hexdigest()[:16]


def image_sha(image: Image.Image) -> str:
    """sha256 of the decoded pixels (not the file): a page's identity in the OCR cache."""
    digest = hashlib.sha256(f"{image.mode}:{image.size}".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Task:
    """One page to read with one engine."""

    path: str
    page: int
    engine: str
    version: str
    cache: Optional[str]  # cache directory, None = no cache


def _ocr(image: Image.Image, page: int, engine: str) -> PageText:
    from ..errors import OCRError, PageTimeout
    from ..ocr import engine as ocr_engine

    if engine == "ours":
        return ocr_engine.ocr_or_warn(image, page)
    try:
        return ocr_engine.ocr_image_plain(image, page)
    except (PageTimeout, OCRError) as e:  # a failed page scores as empty text, as ocr_or_warn does
        return PageText(page=page, text="", method="ocr", warnings=[f"{e.code}: {e.message}"])


def read_page(task: Task) -> PageText:
    """OCR one page (worker process): load it through `pipeline.ingest`, use the cache."""
    from .. import ingest

    item = ingest.load_page(ingest.open_input(task.path), task.page, dpi=300)
    if item.image is None:  # a page with text of its own: nothing to OCR
        return item.text or PageText(page=task.page, text="", method="text")
    key = f"{image_sha(item.image)}-{task.engine}-{task.version}"
    cached = Path(task.cache) / f"{key}.json" if task.cache else None
    if cached is not None and cached.is_file():
        return PageText.model_validate_json(cached.read_text(encoding="utf-8"))
    result = _ocr(item.image, task.page, task.engine)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(result.model_dump_json(), encoding="utf-8")
        tmp.replace(cached)
    return result


def _one_thread() -> None:
    """Worker start-up: one OpenMP thread (Tesseract, OpenCV), processes in parallel instead."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


def read_all(tasks: Sequence[Task], workers: int) -> list[PageText]:
    """OCR every task, in order; `workers` processes, one Tesseract thread each."""
    if workers <= 1 or len(tasks) <= 1:
        return [read_page(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=workers, initializer=_one_thread) as pool:
        return list(pool.map(read_page, tasks, chunksize=1))


# --------------------------------------------------------------------------- the suite


@dataclass
class EngineResult:
    """Everything measured for one engine."""

    pages: dict[tuple[str, int], PageScore] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)


def _document(entry: Mapping[str, Any], path: Path, pages: list[PageText]) -> Document:
    return Document(path=str(path), sha256=entry["sha256"], pages=pages)


def evaluate(scans: Path, files: Sequence[Mapping[str, Any]], *, workers: int = DEFAULT_WORKERS,
             cache: Optional[Path] = None) -> dict[str, EngineResult]:
    """OCR every labelled page with both engines, score the text and extract the letters.

    Besides the engines, ``"gold text"`` extracts from the labels' own page text (a
    perfect OCR): the ceiling of extraction on these layouts, which tells OCR errors
    from extraction errors.
    """
    versions = {"ours": engine_version(), "plain": plain_version()}
    tasks = [Task(str(scans / f["path"]), p["page"], engine, versions[engine], str(cache) if cache else None)
             for engine in ENGINES for f in files for p in f["pages"]]
    texts = iter(read_all(tasks, workers))
    results = {}
    for engine in ENGINES:
        result = EngineResult()
        read = {}
        for entry in files:
            read[entry["path"]] = [next(texts) for _ in entry["pages"]]
            for page, got in zip(entry["pages"], read[entry["path"]]):
                result.pages[(entry["path"], page["page"])] = PageScore.of(page["text"], got.text)
        result.records = extract_records(scans, files, read)
        results[engine] = result
    gold = {e["path"]: [PageText(page=p["page"], text=p["text"], method="ocr") for p in e["pages"]] for e in files}
    results[ORACLE] = EngineResult(records=extract_records(scans, files, gold))
    return results


def extract_records(scans: Path, files: Sequence[Mapping[str, Any]],
                    pages: Mapping[str, list[PageText]]) -> list[Record]:
    """Letters read by `pipeline.extract` (linked by `pipeline.link` where built); [] when not built."""
    extract = import_optional("pipeline.extract")
    if extract is None:
        return []
    records: list[Record] = []
    for entry in files:
        records += extract.read_document(_document(entry, scans / entry["path"], pages[entry["path"]]))
    link = import_optional("pipeline.link")
    return link.link_records(records) if link is not None and records else records


def _pct(rate: Optional[float]) -> Optional[str]:
    return None if rate is None else f"{100 * rate:.1f} %"


def _text_rows(groups: Mapping[str, list[tuple[str, int]]], results: Mapping[str, EngineResult]) -> list[tuple]:
    rows = []
    for name, keys in groups.items():
        row: list[Any] = [name, len(keys)]
        for metric in ("cer", "cer_nospace", "digits"):
            for engine in ENGINES:
                total = sum((results[engine].pages[k] for k in keys), ZERO)
                row.append(_pct(getattr(total, metric).rate))
        rows.append(tuple(row))
    return rows


def _page_kind(entry: Mapping[str, Any], page: Mapping[str, Any]) -> str:
    """The kind of letter a page belongs to, from the generator's style notes:
    'letter', 'memo', 'fax', 'military memo' or 'seed text'."""
    styles = entry.get("styles") or ["?"]
    index = page.get("letter_index") or 1
    style = styles[min(index, len(styles)) - 1]
    return " ".join(w for w in style.split()[:2] if w in ("military", "memo", "letter", "fax", "seed", "text")) or "?"


def render(files: Sequence[Mapping[str, Any]], results: Mapping[str, EngineResult], extracted: bool,
           linked: bool) -> str:
    """The suite's Markdown: text errors by damage level and kind, then fields side by side."""
    from .text import score

    groups: dict[str, list[tuple[str, int]]] = {"all pages": []}
    by_damage: dict[str, list[tuple[str, int]]] = {f"damage: {level}": [] for level in ("clean", "moderate", "heavy")}
    by_kind: dict[str, list[tuple[str, int]]] = {}
    by_type: dict[str, list[tuple[str, int]]] = {}
    for entry in files:
        for page in entry["pages"]:
            key = (entry["path"], page["page"])
            groups["all pages"].append(key)
            by_damage.setdefault(f"damage: {entry.get('damage', '?')}", []).append(key)
            by_kind.setdefault(f"kind: {_page_kind(entry, page)}", []).append(key)
            by_type.setdefault(f"file: {entry.get('format', '?')} {entry.get('mode', '')}".strip(), []).append(key)
    groups |= {k: v for k, v in by_damage.items() if v} | dict(sorted(by_kind.items())) | dict(sorted(by_type.items()))
    headers = ("pages", "n", "CER ours", "CER plain", "CER no-space ours", "CER no-space plain",
               "digit err ours", "digit err plain")
    parts = ["### Text (character and digit error, lower is better)", "",
             markdown_table(headers, _text_rows(groups, results), "lrrrrrrr")]
    if len(groups["all pages"]) <= 40:
        per_page = {f"{p} p{n}": [(p, n)] for p, n in groups["all pages"]}
        parts += ["", "#### Per page", "", markdown_table(headers, _text_rows(per_page, results), "lrrrrrrr")]
    if not extracted:
        parts += ["", "### Fields", "", "_not scored_: pipeline.extract is not built"]
        return "\n".join(parts)
    labels = labels_of(files)
    sources = ENGINES + (ORACLE,)
    scores = {name: score(results[name].records, labels, linked=linked) for name in sources}
    fields = {name: {f.name: f for f in scores[name].field_scores()} for name in sources}
    rows = []
    for field_name in fields[ENGINES[0]]:
        row: list[Any] = [field_name]
        for name in sources:
            f = fields[name][field_name]
            row += [f"{f.correct}/{f.labelled}", f.accuracy]
        rows.append(tuple(row))
    row = ["number and date (both right)"]  # the headline figure, per letter
    for name in sources:
        both = [s.fields["number"] and s.fields["date"] for s in scores[name].letters
                if "number" in s.fields and "date" in s.fields]
        row += [f"{sum(both)}/{len(both)}", sum(both) / len(both) if both else None]
    rows.append(tuple(row))
    for items in ("deadlines", "references", "stamps"):
        row = [f"{items} (F1; matched/gold/extracted)"]
        for name in sources:
            prf = getattr(scores[name], items)
            row += [f"{prf.tp}/{prf.gold}/{prf.predicted}", prf.f1]
        rows.append(tuple(row))
    headers = ["field"] + [h for name in sources for h in (name, f"accuracy {name}")]
    parts += ["", "### Fields (text-suite rules)", "",
              "Extraction run on each OCR output, and on the gold page text (a perfect OCR) as the ceiling.", "",
              markdown_table(headers, rows, "l" + "r" * (len(headers) - 1))]
    found = ", ".join(f"{name} {sum(f.matched for f in scores[name].files)}" for name in sources)
    parts += ["", f"Letters found: {found}, of {len(labels)} labelled."]
    return "\n".join(parts)


def add_arguments(parser: argparse._ActionsContainer) -> None:
    parser.add_argument("--scans", type=Path, metavar="DIR", help="labelled scan set (default samples/)")
    parser.add_argument("--scans-limit", type=int, metavar="N", help="only the first N files")
    parser.add_argument("--scans-skip", type=int, default=0, metavar="N",
                        help="leave out the first N files (with --scans-limit: a slice, e.g. files never tuned on)")
    parser.add_argument("--scans-workers", type=int, default=DEFAULT_WORKERS, metavar="N",
                        help=f"OCR processes (default {DEFAULT_WORKERS}, one Tesseract thread each)")
    parser.add_argument("--scans-no-cache", action="store_true", help="re-run OCR instead of using .cache/scans")


def run(args: argparse.Namespace) -> str:
    scans = getattr(args, "scans", None) or project_root() / "samples"
    labels = load_labels(Path(scans))
    require_ocr()
    skip = max(0, getattr(args, "scans_skip", 0) or 0)
    limit = getattr(args, "scans_limit", None)
    files = labels["files"][skip : skip + limit if limit else None]
    if not files:
        raise SkipSuite(f"no labelled files in {scans} after skipping {skip}")
    cache = None if getattr(args, "scans_no_cache", False) else project_root() / CACHE_DIR
    results = evaluate(Path(scans), files, workers=getattr(args, "scans_workers", DEFAULT_WORKERS), cache=cache)
    extracted = import_optional("pipeline.extract") is not None
    linked = import_optional("pipeline.link") is not None
    return render(files, results, extracted, linked)
