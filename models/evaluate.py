"""Measure OCR: plain ``tesseract -l tha+eng`` against ours, on rendered pages and on
the scan samples (``samples/labels.json``) when present.

    OMP_THREAD_LIMIT=1 python -m models.evaluate --pages 8

Metrics (``pipeline.ocr`` keeps Thai digits, so both sides are compared as written):

- CER: Levenshtein distance / gold length, whitespace removed on both sides (Tesseract's
  spaces inside Thai text are arbitrary);
- digit error: share of gold digits (Thai or Arabic) not matched by the same character
  in the optimal alignment;
- seconds per page, single-threaded.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

DIGITS = frozenset("๐๑๒๓๔๕๖๗๘๙0123456789")
#: A number as written: digits with inner . / : - (๐๓๐๕.๑, ๒๔/๑๑/๒๕๖๓, ๑๐.๓๐).
NUMBER = re.compile(r"[๐-๙0-9](?:[๐-๙0-9./:,-]*[๐-๙0-9])?")
ROOT = Path(__file__).resolve().parents[1]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Score:
    chars: int = 0
    char_errors: int = 0
    digits: int = 0
    digit_errors: int = 0
    seconds: float = 0.0
    pages: int = 0
    numbers: int = 0
    numbers_right: int = 0

    def add(self, gold: str, got: str, seconds: float) -> None:
        g, o = _squash(gold), _squash(got)
        self.chars += len(g)
        self.char_errors += Levenshtein.distance(g, o)
        ok = [False] * len(g)
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(g, o):
            if tag == "equal":
                for k in range(i1, i2):
                    ok[k] = True
        for ch, good in zip(g, ok):
            if ch in DIGITS:
                self.digits += 1
                self.digit_errors += not good
        self.seconds += seconds
        self.pages += 1
        from collections import Counter

        want, have = Counter(NUMBER.findall(gold)), Counter(NUMBER.findall(got))
        self.numbers += sum(want.values())
        self.numbers_right += sum((want & have).values())

    def row(self, name: str) -> str:
        return (f"| {name} | {self.pages} | {self.char_errors / max(self.chars, 1):.2%} | "
                f"{self.digit_errors / max(self.digits, 1):.2%} ({self.digits} digits) | "
                f"{self.numbers_right / max(self.numbers, 1):.1%} of {self.numbers} | "
                f"{self.seconds / max(self.pages, 1):.2f} |")


def run(pages, label: str) -> list[str]:
    from pipeline.ocr.engine import OCROptions, ocr_image, ocr_image_plain

    plain, ours, no_corr = Score(), Score(), Score()
    for p in pages:
        t = time.perf_counter()
        a = ocr_image_plain(p.image)
        plain.add(p.text, a.text, time.perf_counter() - t)
        t = time.perf_counter()
        b = ocr_image(p.image)
        ours.add(p.text, b.text, time.perf_counter() - t)
        c = ocr_image(p.image, options=OCROptions(correct=False))
        no_corr.add(p.text, c.text, 0.0)
        print(f"  {p.font[:40]:40} damaged={p.damaged!s:5} plain CER {Levenshtein.normalized_distance(_squash(p.text), _squash(a.text)):.3f} "
              f"ours {Levenshtein.normalized_distance(_squash(p.text), _squash(b.text)):.3f}", flush=True)
    return [
        f"### {label}",
        "| OCR | pages | CER | digit error | numbers exactly right | s/page |",
        "|---|---|---|---|---|---|",
        plain.row("plain tesseract tha+eng"),
        no_corr.row("ours without lexicon correction"),
        ours.row("ours (numerals + correction)"),
    ]


@dataclass
class LabelledPage:
    image: object
    text: str
    font: str
    damaged: bool


def sample_pages(root: Path, limit: int | None = None) -> list[LabelledPage]:
    """Scan pages with gold texts from ``root/labels.json`` (written by ``pipeline.synth``)."""
    labels = root / "labels.json"
    if not labels.exists():
        return []
    from pipeline.ingest import iter_pages, open_input

    data = json.loads(labels.read_text(encoding="utf-8"))
    out: list[LabelledPage] = []
    for entry in data.get("files", []):
        gold = {p["page"]: p["text"] for p in entry.get("pages", [])}
        path = root / entry["path"]
        if not path.exists():
            continue
        for item in iter_pages(open_input(path), dpi=300):
            if item.image is not None and item.page in gold:
                tag = f"{entry['path']}:{item.page} {entry.get('dpi')}dpi {entry.get('damage')}"
                out.append(LabelledPage(item.image, gold[item.page], tag, entry.get("damage") not in (None, "clean")))
            if limit and len(out) >= limit:
                return out
    return out


def main(argv=None) -> int:
    from pipeline import fonts

    from . import pages as pages_mod

    p = argparse.ArgumentParser(prog="python -m models.evaluate")
    p.add_argument("--pages", type=int, default=8, help="rendered pages")
    p.add_argument("--samples", type=Path, default=ROOT / "samples")
    p.add_argument("--sample-pages", type=int, default=None, help="at most this many sample pages")
    args = p.parse_args(argv)
    report = []
    fam = ["THSarabunNew", "THSarabun", "Sarabun", "Kinnari", "THKoHo", "Garuda", "Loma", "THNiramitAS"]
    font_list = [fonts.find(f) for f in fam]
    if args.pages:
        rendered = pages_mod.make_pages(font_list, args.pages)
        report += run(rendered, f"Rendered pages ({args.pages}, half with 200-dpi scan damage)")
    samples = sample_pages(args.samples, args.sample_pages)
    if samples:
        report += [""] + run(samples, f"Scan samples ({len(samples)} pages from {args.samples.name}/)")
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
