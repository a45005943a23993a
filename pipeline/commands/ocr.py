"""`circulars ocr FILE... --out DIR [--pdf]`: OCR pages to text, word boxes and searchable PDFs.

For each input ``<stem>``: ``DIR/<stem>.txt`` (pages separated by form feeds),
``DIR/<stem>.words.json`` (one PageText per page) and with ``--pdf`` ``DIR/<stem>.pdf``
(each page image with our corrected words as an invisible text layer). Pages that
already have trustworthy text (text files, born-digital PDFs) are passed through.
A page that fails becomes an empty page with a warning; a file that fails does not
stop the others.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from ..errors import EXIT_OK, EXIT_SOME_FAILED, CircularsError, UsageError
from ..types import PageText

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif")


def register(sub) -> None:
    p = sub.add_parser("ocr", help="OCR scans into text, word boxes and searchable PDFs")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="PDF, image or text files")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    p.add_argument("--pdf", action="store_true", help="also write a searchable PDF per input")
    p.add_argument("--dpi", type=int, default=300, help="resolution for rendering PDF pages (300)")
    p.add_argument("--lang", default="tha+eng", help="Tesseract languages (tha+eng)")
    p.add_argument("--psm", type=int, default=3, help="Tesseract page segmentation mode (3)")
    p.add_argument("--timeout", type=float, default=180.0, help="seconds per page (180)")
    p.add_argument("--plain", action="store_true", help="bare Tesseract: no numeral reader, no correction")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first file that fails")
    p.set_defaults(func=run)


def _pages(path: Path, dpi: int):
    """(page, PageText | None, image | None, warnings) for each page of ``path``."""
    try:
        from ..ingest import iter_pages, open_input
    except ImportError:  # ingest not in this checkout: images only
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            raise UsageError(f"{path}: only images can be read without pipeline.ingest")
        from PIL import Image

        with Image.open(path) as im:
            yield 1, None, im.convert("RGB"), []
        return
    inp = open_input(path)
    for item in iter_pages(inp, dpi=dpi):
        yield item.page, item.text, item.image, list(item.warnings)


def ocr_file(path: Path, out_dir: Path, args) -> list[PageText]:
    """OCR one file into ``out_dir``; returns its pages."""
    from ..ocr.engine import OCROptions, ocr_image_plain, ocr_or_warn
    from ..ocr.pdf import PdfPage, write_pdf

    options = OCROptions(lang=args.lang, psm=args.psm, timeout=args.timeout)
    pages: list[PageText] = []
    pdf_pages: list[PdfPage] = []
    for number, text, image, warnings in _pages(path, args.dpi):
        if text is not None:
            page = text
        elif image is not None:
            if args.plain:
                page = ocr_image_plain(image, number, lang=args.lang, psm=args.psm, timeout=args.timeout)
            else:
                page = ocr_or_warn(image, number, options)
        else:
            page = PageText(page=number, text="", method="ocr")
        if warnings:
            page = page.model_copy(update={"warnings": warnings + page.warnings})
        for w in page.warnings:
            log.warning("%s page %d: %s", path, number, w)
        pages.append(page)
        if args.pdf and image is not None:
            pdf_pages.append(PdfPage.from_page(image, page, dpi=args.dpi))
    stem = path.stem
    (out_dir / f"{stem}.txt").write_text("\f".join(p.text for p in pages) + "\n", encoding="utf-8")
    (out_dir / f"{stem}.words.json").write_text(
        json.dumps([p.model_dump(mode="json") for p in pages], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if args.pdf and pdf_pages:
        write_pdf(pdf_pages, out_dir / f"{stem}.pdf")
    return pages


def run(args) -> int:
    from ..ocr.tesseract import probe

    probe()  # fail once, early, with the install command
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    n_pages = 0
    for path in args.files:
        try:
            pages = ocr_file(path, args.out, args)
            n_pages += len(pages)
        except CircularsError as e:
            if args.fail_fast:
                raise
            failed += 1
            print(f"circulars: {path}: {e}", file=sys.stderr)
    print(f"ocr: {len(args.files) - failed} file(s), {n_pages} page(s) written to {args.out}"
          + (f"; {failed} failed" if failed else ""), file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK
