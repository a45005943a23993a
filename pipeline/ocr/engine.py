"""OCR of one page image: Tesseract, then our numeral reader, then lexicon correction.

``ocr_image`` is the verb; ``ocr_image_plain`` is bare Tesseract (the baseline our
figures compare against). Both return `pipeline.types.PageText` with word boxes in
the coordinates of the image given, and text that keeps Tesseract's reading order:
words joined by spaces, one text line per line, a blank line between paragraphs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ..errors import OCRError, PageTimeout
from ..types import Box, PageText, Word
from . import preprocess, tesseract

log = logging.getLogger(__name__)

#: Lowest recogniser confidence (weakest symbol's probability) at which its digits replace
#: Tesseract's. Swept 0.0-0.7 on our rendered pages and the scan samples (models/README.md):
#: digit error moves by only ~2 points over that range; 0.4 was best on the scans.
NUMERAL_MIN_CONF = 0.4
#: Words the numeral reader looks at: anything with a non-letter (digit, Latin, punctuation)
#: or short enough to be a number Tesseract spelt as letters (ซ for ๙, "on" for ๓๔).
SHORT_WORD = 8


@dataclass(frozen=True)
class OCROptions:
    """How to OCR a page. Defaults are what ``circulars ocr`` uses."""

    lang: str = "tha+eng"
    psm: int = 3
    numerals: bool = True  # re-read digits with the numeral recogniser
    correct: bool = True  # restore dropped marks against the lexicon
    preprocess: bool = True  # grey, orient, deskew, rescale low dpi
    timeout: float = 180.0  # seconds for Tesseract on one page


@dataclass
class _Word:
    text: str
    raw: str
    box: Box  # in prepared-image pixels
    conf: float
    block: int
    par: int
    line: int
    notes: list[str] = field(default_factory=list)


#: Three Latin letters in a row: an English word (GECC, e-Service, OSS), not misread digits.
#: The reader saw few Latin words in training and reads S as 5, O as 0 (measured on our
#: rendered pages: every change it made to such words was wrong). Misreads of Thai digits
#: as Latin are short: ``on``, ``lo``, ``ie``.
LATIN_WORD = re.compile(r"[A-Za-z]{3}")


def _letter(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e" and ch not in "\u0e2f\u0e46"  # Thai letters and marks, not ฯ ๆ


def wants_numeral_check(text: str) -> bool:
    """Should the numeral reader look at this Tesseract word?

    Not punctuation alone (``.`` ``:`` ``|`` blown up to digit height read as ๑).
    """
    if not any(ch.isalnum() for ch in text):
        return False
    if LATIN_WORD.search(text):
        return False
    return len(text) <= SHORT_WORD or not all(_letter(ch) for ch in text)


def _crop(grey: np.ndarray, box: Box) -> np.ndarray:
    """The word's pixels, its sides snapped outwards to the ink.

    Tesseract's LSTM places glyph boxes only roughly: on our 200-dpi samples word boxes
    cut through the first or last digit (๐๐๑๗ read as ๐๑๗). So each side moves out,
    up to a quarter of the box height, while ink continues without a gap of a sixteenth
    of it (digits in a number stand closer than that; words stand farther apart: a
    wider gap let ลงวันที่ swallow the digits of the next word).
    """
    h, w = grey.shape
    bh = max(1, box.bottom - box.top)
    reach = int(0.25 * bh)
    x0, x1 = max(0, box.left - reach), min(w, box.right + reach)
    top, bottom = max(0, box.top), min(h, box.bottom)
    band = grey[top:bottom, x0:x1]
    if band.size == 0:
        return band
    lo, hi = int(band.min()), int(band.max())
    left, right = box.left - x0, box.right - x0
    if hi - lo > 40:
        ink = (band < (lo + hi) / 2).any(axis=0)
        gap = max(2, bh // 16)
        while left > 0 and ink[max(0, left - gap) : left].any():
            left -= 1
        while right < len(ink) and ink[right : right + gap].any():
            right += 1
    pad = 2  # the recogniser was trained on boxes with a little margin
    return grey[max(0, top - pad) : min(h, bottom + pad), max(0, x0 + left - pad) : min(w, x0 + right + pad)]


def _reread_numerals(grey: np.ndarray, words: list[_Word]) -> None:
    from . import numerals

    model = numerals.default_model()
    heights = sorted(w.box.bottom - w.box.top for w in words)
    # dots, colons and rules blown up to a digit's height look like ๑ or ๐: skip anything
    # much smaller than a typical word (a digit is about half a Thai word's height)
    min_height = 0.4 * heights[len(heights) // 2] if heights else 0
    for w in words:
        if not wants_numeral_check(w.text) or w.box.bottom - w.box.top < min_height:
            continue
        crop = _crop(grey, w.box)
        if crop.size == 0 or min(crop.shape) < 6:
            continue
        reading = numerals.read_crop(crop, model)
        if reading.conf < NUMERAL_MIN_CONF:
            continue
        new = numerals.merge(w.text, reading)
        if new is not None:
            w.text = new


def _correct(words: list[_Word]) -> None:
    from .correct import default_corrector

    corrector = default_corrector()
    for w in words:
        w.text = corrector.correct(w.text)


def _words_from_tsv(rows: list[tesseract.TsvWord]) -> list[_Word]:
    return [
        _Word(
            text=r.text, raw=r.text, conf=r.conf, block=r.block, par=r.par, line=r.line,
            box=Box(left=r.left, top=r.top, right=r.left + r.width, bottom=r.top + r.height),
        )
        for r in rows
    ]


def assemble(words: list[_Word], page: int, prep: preprocess.Prepared, warnings: list[str]) -> PageText:
    """Words → PageText: one line of text per Tesseract line, blank line between paragraphs."""
    parts: list[str] = []
    out: list[Word] = []
    pos = 0
    prev: tuple[int, int, int] | None = None
    line_no = -1
    for w in words:
        here = (w.block, w.par, w.line)
        if prev is None:
            line_no = 0
        elif here != prev:
            sep = "\n\n" if here[:2] != prev[:2] else "\n"
            parts.append(sep)
            pos += len(sep)
            line_no += 1
        else:
            parts.append(" ")
            pos += 1
        prev = here
        out.append(Word(
            text=w.text, raw=w.raw if w.raw != w.text else None, box=prep.to_source(w.box),
            conf=w.conf, line=line_no, start=pos,
        ))
        parts.append(w.text)
        pos += len(w.text)
    width, height = prep.source_size
    return PageText(page=page, text="".join(parts), method="ocr", words=out, width=width, height=height,
                    warnings=warnings)


def ocr_image(image: Image.Image, page: int = 1, options: OCROptions = OCROptions()) -> PageText:
    """OCR one page image with our numeral reader and lexicon correction.

    Raises `PageTimeout` / `OCRError` if Tesseract fails and `MissingDependency`
    if it is not installed; `ocr_or_warn` turns page failures into a warning.
    """
    warnings: list[str] = []
    if options.preprocess:
        prep = preprocess.prepare(image, timeout=options.timeout)
        if prep.rotate:
            warnings.append(f"page was turned {prep.rotate}° (Tesseract OSD)")
    else:
        prep = preprocess.unprepared(image)
    rows = tesseract.image_to_words(prep.image, lang=options.lang, psm=options.psm, timeout=options.timeout)
    words = _words_from_tsv(rows)
    if options.numerals:
        _reread_numerals(prep.grey, words)
    if options.correct:
        _correct(words)
    return assemble(words, page, prep, warnings)


def ocr_image_plain(image: Image.Image, page: int = 1, lang: str = "tha+eng", psm: int = 3,
                    timeout: float = 180.0) -> PageText:
    """Bare Tesseract, nothing of ours: the baseline."""
    prep = preprocess.unprepared(image)
    rows = tesseract.image_to_words(prep.image, lang=lang, psm=psm, timeout=timeout)
    return assemble(_words_from_tsv(rows), page, prep, [])


def ocr_or_warn(image: Image.Image, page: int = 1, options: OCROptions = OCROptions()) -> PageText:
    """`ocr_image`, but a page Tesseract fails on becomes an empty PageText with a warning,
    so that the rest of the file still processes."""
    try:
        return ocr_image(image, page, options)
    except (PageTimeout, OCRError) as e:
        log.warning("page %d: %s", page, e)
        return PageText(page=page, text="", method="ocr", width=image.width, height=image.height,
                        warnings=[f"{e.code}: {e.message}"])
