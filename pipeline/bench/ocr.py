"""Bench suite ``ocr``: seconds per page of our OCR against bare Tesseract on the same pages.

Bare Tesseract is the binary, ``OMP_THREAD_LIMIT=1 tesseract -l tha+eng --psm 3``
started for each page as a user runs it, through `pipeline.ocr.engine.ocr_image_plain`
(only `pipeline.ocr.tesseract` runs Tesseract); ours is `pipeline.ocr.engine.ocr_image`
(preprocessing, numeral re-reading, lexicon correction; Tesseract in this process, its
languages loaded once, as a batch worker runs it). Both run one page at a time, no
cache, alternating engines page by page so that machine load hits both alike. Target:
ours ≤ 1.3× bare.

Pages come from a labelled scan set (default ``samples/``, or ``--ocr-scans DIR``),
loaded through `pipeline.ingest` at 300 dpi as ``circulars run`` loads them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from ..evaluation.common import SkipSuite, markdown_table, project_root, require_ocr

#: The speed target of the issue: our OCR at most 1.3 times bare Tesseract per page.
TARGET_RATIO = 1.3
DEFAULT_PAGES = 6
QUICK_PAGES = 1


def _pages(scans: Path, limit: int) -> list[tuple[str, object]]:
    """Up to `limit` page images of the scan set, one per file first (varied damage)."""
    from .. import ingest

    files = sorted(p for p in scans.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"))
    if not files:
        raise SkipSuite(f"no scans in {scans} (make samples)")
    out = []
    for path in files:
        if len(out) >= limit:
            break
        item = ingest.load_page(ingest.open_input(path), 1, dpi=300)
        if item.image is not None:
            out.append((f"{path.name} p1", item.image))
    return out


def warm_up() -> float:
    """Load what our engine loads once per process (the numeral model, the lexicon
    index), so that the per-page times compare pages, not process start-up; seconds."""
    from ..ocr import engine

    started = time.perf_counter()
    engine.load_models()
    return time.perf_counter() - started


def measure(images: list[tuple[str, object]]) -> list[tuple[str, float, float]]:
    """(page, seconds ours, seconds bare) per page, engines alternating."""
    from ..ocr import engine

    rows = []
    for i, (name, image) in enumerate(images):
        runs = {}
        order = ("plain", "ours") if i % 2 == 0 else ("ours", "plain")
        for which in order:
            started = time.perf_counter()
            if which == "ours":
                engine.ocr_image(image, 1)
            else:
                engine.ocr_image_plain(image, 1, lang="tha+eng", psm=3)
            runs[which] = time.perf_counter() - started
        rows.append((name, runs["ours"], runs["plain"]))
    return rows


def render(rows: list[tuple[str, float, float]], warm: float = 0.0) -> str:
    ours = [r[1] for r in rows]
    plain = [r[2] for r in rows]
    table = [(name, f"{o:.2f}", f"{p:.2f}", f"{o / p:.2f}×") for name, o, p in rows]
    mean_o, mean_p = statistics.mean(ours), statistics.mean(plain)
    ratio = mean_o / mean_p
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    table.append(("mean", f"{mean_o:.2f}", f"{mean_p:.2f}", f"{ratio:.2f}×"))
    parts = [
        markdown_table(("page", "ours s/page", "bare tesseract s/page", "ratio"), table, "lrrr"),
        "",
        f"Ratio ours / bare: **{ratio:.2f}×** (target ≤ {TARGET_RATIO}×: {verdict}); "
        f"{len(rows)} page(s) at 300 dpi, OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT', 'unset')}, "
        f"one process. Once per process, before the first page and not counted above: {warm:.2f} s "
        "to load the numeral and month models and the lexicon index.",
    ]
    return "\n".join(parts)


def add_arguments(parser: argparse._ActionsContainer) -> None:
    parser.add_argument("--ocr-scans", type=Path, metavar="DIR", help="scan set to time (default samples/)")
    parser.add_argument("--ocr-pages", type=int, metavar="N", help=f"pages to time (default {DEFAULT_PAGES})")


def run(args: argparse.Namespace) -> str:
    require_ocr()
    scans = Path(getattr(args, "ocr_scans", None) or project_root() / "samples")
    if not scans.is_dir():
        raise SkipSuite(f"{scans} is missing (make samples)")
    limit = getattr(args, "ocr_pages", None) or (QUICK_PAGES if getattr(args, "quick", False) else DEFAULT_PAGES)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pages = _pages(scans, limit)
    warm = warm_up()
    return render(measure(pages), warm)
