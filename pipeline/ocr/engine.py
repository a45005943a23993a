"""OCR of one page image: Tesseract, then our numeral reader, then lexicon correction.

Before Tesseract, ruled lines and memo forms' dotted leaders are erased
(`preprocess.find_rules`): a receipt stamp's frame over a letter's header made
Tesseract's layout analysis drop whole lines, and dotted lines joined a memo's number
line to the line above. Each stamp's inside is levelled, unruled and binarised
(`preprocess.clean_stamp`): pressed askew, its ruled rows cut its writing. After
the main ``tha+eng`` pass, one more Tesseract run (``tha`` alone, `_second_pass`) reads
a strip of pieces: each receipt stamp's inside, which goes in as its own block, and
each word whose Latin reading is implausible in a Thai letter (``ภก`` read ``NAN``,
``ต.ค.`` read ``#.A.``), whose Thai reading replaces it where `take_thai` allows.
A page whose main pass read little of its ink (`LOST_COVER`) is first read again with
its strokes thickened and with its specks removed (`_read_lost_page`).

``ocr_image`` is the verb; ``ocr_image_plain`` is bare Tesseract (the baseline our
figures compare against). Both return `pipeline.types.PageText` with word boxes in
the coordinates of the image given, and text that keeps Tesseract's reading order:
words joined by spaces, one text line per line, a blank line between paragraphs.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image

from .. import thaidate
from ..errors import OCRError, PageTimeout
from ..types import Box, PageText, Word
from . import preprocess, tesseract

log = logging.getLogger(__name__)

#: Lowest recogniser confidence (weakest symbol's probability) at which its digits replace
#: Tesseract's. Swept 0.0-0.7 on our rendered pages and the scan samples (models/README.md):
#: digit error moves by only ~2 points over that range; 0.4 was best on the scans.
NUMERAL_MIN_CONF = 0.4
#: Words the numeral reader looks at: anything with a non-letter (digit, Latin such as
#: "on" for ๓๔, punctuation), and words of Thai letters alone up to this length: a number
#: Tesseract spelt as letters. On 22 scanned pages every such word the reader turned into
#: digits had one or two characters (ซ → ๗, ญจ → ๘, ซิ → ๕๖); longer ones were 60 % of its
#: Thai-letter crops (it used to look at up to 8 characters) and it changed none of them.
THAI_SPELT_NUMBER = 3


@dataclass(frozen=True)
class OCROptions:
    """How to OCR a page. Defaults are what ``circulars ocr`` uses."""

    lang: str = "tha+eng"
    psm: int = 3
    numerals: bool = True  # re-read digits with the numeral recogniser
    correct: bool = True  # restore dropped marks against the lexicon
    preprocess: bool = True  # grey, orient, deskew, rescale low dpi
    rules: bool = True  # erase ruled lines; read receipt stamps apart from the letter
    second_pass: bool = True  # re-read implausible Latin words and stamps with ``tha`` alone
    drop_junk: bool = True  # leave out lines that are only specks, emblem and signature strokes
    lost_pages: bool = True  # read a page the main pass lost again, its strokes thickened or despeckled
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


#: Symbols Tesseract writes for a round Thai digit (๑, ๐, ๘).
ROUND_SYMBOLS = frozenset("@©®°")
#: A word a number continues from: ``๐๐๓๒/``, ``๐๐๓๒/ว``, any word with a Thai digit, or
#: a code in Arabic digits cut after its dot or slash (``0301.`` before ``spd`` for 31/ 374).
NUMBER_BEFORE = re.compile(r"(?:/ว?\.?|[\u0e50-\u0e59][^\s]{0,3}|[0-9]{3,}(?:\.[0-9]+)*[./])$")
#: A word a date's day follows: ``วันที่`` (a memo's date, a stamp's), ``ลงวันที่`` (a cited
#: letter's), their upper marks lost or not.
DAY_BEFORE = re.compile(r"วันที?่?$")
#: A reading that opens with a day and goes on with something else (``๖.¤.``; ``๖..``,
#: the reader reading only a month's dots).
LEADING_DAY = re.compile(r"([๐-๙0-9]{1,2})[^๐-๙0-9]")
#: A day glued to its month's abbreviation, the abbreviation read as digits and dots
#: too (``294.1.`` for 29 ต.ค., seed 2029's 041, a memo's number line) ...
DOTTED_DAY = re.compile(r"[๐-๙0-9]{2,3}[.,][^\s]{0,4}\.")
#: ... where the numeral reader reads the day, then letters and dots (``29¤.¤.``).
DAY_ABBREVIATION = re.compile(r"([๐-๙0-9]{1,2})¤\.(?:¤\.)?")
#: A whole date read as one word, its digits merged wrong (``๗.ซฆเม.๖.๑`` for ๗ เม.ย. ๖๑,
#: seed 2026's 019, a memo's number line) ...
WHOLE_DATE = re.compile(r"[๐-๙0-9]{1,2}[^\s]*[\u0e01-\u0e2e][^\s]*[๐-๙0-9]")
#: ... where the numeral reader reads a day, other glyphs, a year (``๗.¤.๖๑``).
DAY_YEAR = re.compile(r"([๐-๙0-9]{1,2})[^๐-๙0-9]+((?:[๐-๙0-9]{2}){1,2})[.,]?")
#: ``วันที่`` as ``eng`` reads a memo's bold label: ``Jun``, ``AUN``.
LATIN_LABEL = re.compile(r"[A-Za-z]{2,4}")


#: A two-letter capitalised acronym before a number in Arabic digits: ``(PM 2.5)``, a
#: measure every circular on dust cites, was read ``(๙ 2.5)``, ``(๓ 2.5)``, ``(๙1 2.5)``
#: (four times on three pages of bench-corpus 0-149). Thai digits misread as Latin are
#: mostly lower case (``on``, ``lo``) and stand among Thai digits, not before Arabic ones.
ACRONYM = re.compile(r"\(?[A-Z]{2}")
ARABIC_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?\)?")


def wants_numeral_check(text: str, before: str = "", after: str = "") -> bool:
    """Should the numeral reader look at this Tesseract word (``before`` and ``after``:
    its neighbours on the line)?

    Not punctuation alone (``.`` ``:`` ``|`` blown up to digit height read as ๑), but
    round symbols are misread digits (``@.`` and ``©.`` for the list item ``๑.``); not an
    English word, unless it stands in a number: handwritten serials after ``๐๐๓๒/``
    come out as Latin (``beh``, ``wloloced``), and there only a reading that is one
    number replaces them (`numerals.merge`, `numerals.number_in`).
    """
    if not any(ch.isalnum() or ch in ROUND_SYMBOLS for ch in text):
        return False
    if LATIN_WORD.search(text):
        return number_context(before, after) and not ADDRESS.search(text)
    if ACRONYM.fullmatch(text) and ARABIC_NUMBER.fullmatch(after):
        return False
    if all(_letter(ch) for ch in text):
        return len(text) <= THAI_SPELT_NUMBER
    return True


def number_context(before: str, after: str) -> bool:
    """Does a word stand inside a number: after ``๐๐๓๒/`` or Thai digits, before Thai
    digits, before a month's name (a day: ``low สิงหาคม ๕๐`` for ๒๙ สิงหาคม ๕๐) or after
    one (a year: ``พฤศจิกายน eee 7`` for พฤศจิกายน ๒๕๕๗), or as a count: before a
    classifier (`COUNT_WORDS`), after ``จำนวน`` or ``รวม``? Or where a document number
    or a day is written: after an agency's letter code (``ที่ สน colomei/I`` for ที่ สน
    ๐๐๒๓.๗/ว), after ``วันที่`` or ``ลงวันที่`` (``ลงวันที่ lod`` for ลงวันที่ ๒๔, its month
    on the next line), before ``เวลา`` (a date's year before its time: ``มิถุนายน WEEE
    เวลา ๐๙.๓๐`` for ๒๕๕๕)."""
    from ..lexicon import agency_codes

    return (bool(NUMBER_BEFORE.search(before)) or bool(THAI_DIGIT.match(after)) or _month_name(after)
            or _month_name(before) or after in COUNT_WORDS or before.endswith(("จำนวน", "รวม"))
            or before in agency_codes() or bool(DAY_BEFORE.search(before)) or after == "เวลา")


#: Words that follow a count (``เป้าหมายจำนวน alo แห่ง`` for ๗๐ แห่ง, ``Cel โครงการ``):
#: classifiers and units of official letters.
COUNT_WORDS = frozenset({
    "แห่ง", "ฉบับ", "ชุด", "แผ่น", "เล่ม", "คน", "ราย", "รายการ", "โครงการ", "หน่วย", "บาท", "ครั้ง",
    "วัน", "เดือน", "ปี", "ชั่วโมง", "นาที", "อำเภอ", "ตำบล", "หมู่บ้าน", "โรงเรียน", "เครื่อง", "องค์กร",
})


def _month_name(word: str) -> bool:
    """A month's name or abbreviation, its marks aside (``ก.ุพ.`` for ก.พ.)."""
    from ..lexicon import skeleton

    return skeleton(word) in _month_skeletons()


@functools.lru_cache(maxsize=1)
def _month_skeletons() -> frozenset[str]:
    from ..lexicon import skeleton
    from ..thaidate import MONTHS_ABBR, MONTHS_FULL

    return frozenset(skeleton(m) for m in MONTHS_FULL + MONTHS_ABBR)


#: A word that may be a list item's number (``๑.``, ``๑๒.``, ``on.``) where it opens a line.
LIST_ITEM = re.compile(r"[^\s.]{1,2}\.")
#: A word of at most ITEM_GLYPHS characters that opens a line with text after it may be a
#: list item's number whatever Tesseract made of it (``«.`` for ๙., ``>.`` for ๖., ``Awe``
#: for ๔.); the reader's reading is taken where it is one (`LIST_NUMBER`, a glyph of grain
#: at either end aside: ``¤๓.``). Boxes under ITEM_MIN_HEIGHT of the page's text height are
#: specks (2-13 px against a median word of 58-75; list numbers stood 20-77). The item's
#: text follows on its line: at least ITEM_TEXT Thai consonants (not a date line's day,
#: ``mo ALA ๕๙`` for ๓๐ ส.ค. ๕๙, seed 2030's 000).
ITEM_GLYPHS = 4
ITEM_MIN_HEIGHT = 0.25
ITEM_TEXT = 4
LIST_NUMBER = re.compile(r"¤?([0-9๐-๙]{1,2}(?:\.[0-9๐-๙]{1,2})?\.)¤?")
#: A day before a month's name that Tesseract read as a symbol or two (``@ เมษายน``,
#: ``« เมษายน`` for ๘, ๙): re-read, and taken only as one number (`numerals.number_in`).
DAY_SYMBOLS = 3
DAY = re.compile(r"[๑-๙1-9]|[๐-๓0-3][๐-๙0-9]")
#: Three digits where a day stands, one of them doubled: the reader's day of one or two
#: digits is taken instead (`merge_number` keeps Tesseract's doubles the reader may have merged).
DAY_TRIPLED = re.compile(r"([๐-๙0-9])\1[๐-๙0-9]|[๐-๙0-9]([๐-๙0-9])\2")
#: A word beside a month's name is re-read when at least this share of the month
#: word's height: digits stand lower than a line's marks, and a day read as ``om``
#: (๑๓) had a box 22 px high against a page's median word of 62.
DAY_HEIGHT = 0.6
#: A word of at most this many glyphs where a day stands is re-read whatever its height:
#: a handwritten ๓ read as ``ด`` (bench-corpus 045) had a box 20 px high against 68 for
#: the month's name beside it; Tesseract boxes a Thai letter at its x-height.
DAY_LETTERS = 2


def _crop(grey: np.ndarray, box: Box) -> np.ndarray:
    """The word's pixels, its sides snapped outwards to the ink (`_crop_span`)."""
    return _crop_span(grey, box)[0]


def _crop_span(grey: np.ndarray, box: Box, within: tuple[int, int] | None = None) -> tuple[np.ndarray, tuple[int, int]]:
    """The word's pixels, its sides snapped outwards to the ink, and where Tesseract's
    box stands in it (left and right, in the crop's pixels).

    Tesseract's LSTM places glyph boxes only roughly: on our 200-dpi samples word boxes
    cut through the first or last digit (๐๐๑๗ read as ๐๑๗). So each side moves out,
    up to half the box height (a quarter still cut first digits: ๓๙๑,๐๐๐ read as
    ¤๙๑,๐๐๐), while ink continues without a gap of a sixteenth of it (digits in a
    number stand closer than that; words stand farther apart: a wider gap let ลงวันที่
    swallow the digits of the next word). Never past ``within`` (left, right), where given.
    """
    h, w = grey.shape
    bh = max(1, box.bottom - box.top)
    reach = int(0.5 * bh)
    first_x, last_x = within if within is not None else (0, w)
    x0, x1 = max(0, first_x, box.left - reach), min(w, last_x, box.right + reach)
    top, bottom = max(0, box.top), min(h, box.bottom)
    band = grey[top:bottom, x0:x1]
    if band.size == 0:
        return band, (0, 0)
    lo, hi = int(band.min()), int(band.max())
    left, right = box.left - x0, box.right - x0
    if hi - lo > 40:
        dark = band < (lo + hi) / 2
        ink = dark.any(axis=0)
        gap = max(2, bh // 16)
        while left > 0 and ink[max(0, left - gap) : left].any():
            left -= 1
        while right < len(ink) and ink[right : right + gap].any():
            right += 1
        if within is not None:  # a limit is a neighbour's rough box: back to the gap before it
            left, right = _back_to_gap(ink, left, right, x0 + left <= first_x, x0 + right >= last_x, bh // 4)
        top, bottom = _ink_rows(dark[:, left:right], top, bottom)
    pad = CROP_PAD
    first = max(0, x0 + left - pad)
    crop = grey[max(0, top - pad) : min(h, bottom + pad), first : min(w, x0 + right + pad)]
    return crop, (box.left - first, box.right - first)


#: The margin `_crop_span` leaves about a word's ink (px): the recogniser was trained on
#: boxes with a little margin.
CROP_PAD = 2


def _crop_columns(box: Box, crop: np.ndarray, span: tuple[int, int]) -> tuple[int, int]:
    """The page columns where `_crop_span`'s ``crop`` (and ``span``) of ``box`` starts and
    stops before, its margin left out."""
    first = box.left - span[0]
    return first + CROP_PAD, first + crop.shape[1] - CROP_PAD


def _back_to_gap(ink: np.ndarray, left: int, right: int, at_left: bool, at_right: bool, reach: int) -> tuple[int, int]:
    """``left``, ``right`` (columns of ``ink``, a column's any-ink flags) moved in, each
    that stands at a limit (``at_left``, ``at_right``), to the nearest blank column
    within ``reach``: a neighbour's box is rough, and a sliver of its first glyph in the
    crop was read as one more digit (``“13`` beside ``พ.ค.`` read ``131``)."""
    if at_right:
        start = max(left + 1, right - reach)
        blank = np.flatnonzero(~ink[start:right])
        if len(blank):
            right = start + int(blank[-1])
            while right > left + 1 and not ink[right - 1]:  # to the ink before the gap
                right -= 1
    if at_left:
        end = min(right - 1, left + reach)
        blank = np.flatnonzero(~ink[left:end])
        if len(blank):
            left += int(blank[0])
            while left < right - 1 and not ink[left]:  # to the ink after the gap
                left += 1
    return left, right


#: The numeral reader was trained on crops cut at the ink of the word's glyphs with a
#: margin of -2 % to +12 % of the font size (`models.render.render_word`). Tesseract's
#: boxes are often much taller than a number's ink: on four bench-corpus pages a third of
#: the crops were over 1.4 times, a tenth over 2.7 times their ink's height (``0617/ว``
#: in a box twice its height was read ``061``). A crop's top and bottom are therefore
#: moved in to its rows of ink (rows with at least INK_ROW dark pixels: a speck is not a
#: row), plus TIGHT_MARGIN of the ink's height.
INK_ROW = 2
TIGHT_MARGIN = 0.06
#: Specks are not ink here: pieces under this share of the crop's largest piece. A
#: number's period is about a tenth of a digit, a tone mark more; paper grain two
#: pixels square above and below ``0301.`` kept its crop at Tesseract's box, three times
#: the digits' height, and it was read ``50.`` (seed 2026's 004, a memo).
SPECK_SHARE = 0.05


def _ink_rows(dark: np.ndarray, top: int, bottom: int) -> tuple[int, int]:
    """The ``top``, ``bottom`` of a crop whose ``dark`` pixels (rows top..bottom) are
    known, moved in to its rows of ink, specks (`SPECK_SHARE`) left out."""
    if dark.size:
        n, labels, stats, _ = preprocess.components(dark.astype(np.uint8))
        if n > 2:
            area = stats[1:, cv2.CC_STAT_AREA]
            keep = np.concatenate(([False], area >= SPECK_SHARE * area.max()))
            dark = keep[labels]
    rows = np.flatnonzero(dark.sum(axis=1) >= INK_ROW)
    if len(rows) == 0:
        return top, bottom
    margin = int(round(TIGHT_MARGIN * (rows[-1] + 1 - rows[0])))
    return top + max(0, rows[0] - margin), min(bottom, top + rows[-1] + 1 + margin)


MONTH_NOTE = "month read by the month reader"
#: What OCR makes of a speck beside a date's day (``๗.``, ``"๑๒``): stripped from a day.
DAY_SPECKS = "\"'(.,"
#: A day with a bracket after it, before a month's name and a year: a speck read as ``)``.
DAY_BRACKET = re.compile(r"[0-9\u0e50-\u0e59]{1,2}\)")


#: The least height of a date's day and of its year against the page's text height
#: (`_read_months`): digits with nothing above or below their body (``๑``, ``๒๕๕๗``)
#: stand about 0.3 of it; a line of marks read as a date (``a 1 a ๑7 i``) about 0.2.
DATE_DIGITS_MIN_HEIGHT = 0.25


def _read_months(grey: np.ndarray, words: list[_Word], stamp_page: np.ndarray | None = None,
                 text_height: int | None = None) -> list[_Word]:
    """The words between a day and a year that are not a month's name, replaced by the
    month the month reader sees there (`months`), where it is sure. A day glued to its
    month (``28.ุย..๖๓``) is first cut where the ink between them shows; so is a word
    of letters between ``วันที่`` and a year that the numeral reader sees open with a
    day (``วันที่ ons. ๖๔``). Sizes are measured against `text_height` (default:
    `median_height` of `words`)."""
    from ..thaidate import month_number
    from . import months, numerals

    model = months.default_model()
    if model is None:
        return words

    def known(text: str) -> bool:
        return month_number(text) is not None

    # a day and a year are digits, a third to a half of a Thai word's height: a line of
    # marks above another line (``a 1 a ๑7 i``, 11 px against 50) is no date; a word
    # with a month's letters in it is at least 0.4 of it
    text_height = median_height(words) if text_height is None else text_height
    min_digits = DATE_DIGITS_MIN_HEIGHT * text_height
    min_height = 0.4 * text_height
    out: list[_Word] = []
    for line in _lines(words):
        page = stamp_page if stamp_page is not None and any(STAMP_NOTE in w.notes for w in line) else grey
        taken: dict[int, tuple[int, list[_Word]]] = {}
        for slot in months.find_slots([w.text for w in line], [w.box for w in line], known):
            day, year = line[slot.first - 1], line[slot.last + 1]
            if min(day.box.bottom - day.box.top, year.box.bottom - year.box.top) < min_digits:
                continue
            between = line[slot.first : slot.last + 1]
            # read again over the words alone only for one word: over two or more (``JUN
            # ofa.`` for วันที่ ๙ ก.ค.) the crop can hold anything (read ส.ค., seed 2032's 000)
            read = (months.read_between(page, slot.box, between[0].box, model) if len(between) == 1
                    else months.read_slot(page, slot.box, model))
            if read is not None and read[1] >= months.MIN_PROB:
                day.text = day.text.strip(DAY_SPECKS)  # ``๗.``: a speck after the day, in a date
                taken[slot.first] = (slot.last, [_month_word(read, between, months.union([w.box for w in between]))])
        for k, w in enumerate(line):
            nxt = line[k + 1] if k + 1 < len(line) else None
            if k in taken or any(k <= last and k >= first for first, (last, _) in taken.items()):
                continue
            if (DAY_BRACKET.fullmatch(w.text) and nxt is not None and known(nxt.text) and k + 2 < len(line)
                    and months.is_year(line[k + 2].text)):
                w.text = w.text[:-1]  # ``๑๗) เม.ย. ๒๕๖๕``: a speck after a date's day
                continue
            prev = line[k - 1] if k and k - 1 not in taken else None
            # a month glued to its year after the day (``๒๒ พุ้ย.ใ.๒๕๖๗``)
            glued = (prev is not None and months.day_of(prev.text) is not None and months.MONTH_YEAR.match(w.text)
                     and prev.box.bottom - prev.box.top >= min_digits)
            # a day glued to its month after ``วันที่``, all of it read as letters (``วันที่
            # ons. ๖๔`` for วันที่ ๖ ก.ย. ๖๔): the reader's day, if it sees one first; the
            # label may be Latin too where the glued word is dotted (``AUN wold. ๔๐`` for
            # วันที่ ๑๐ มิ.ย. ๔๐, seed 2033's 038, a memo's number line)
            label = prev is not None and (DAY_BEFORE.search(prev.text) is not None or (
                LATIN_LABEL.fullmatch(prev.text) is not None and DOTTED.match(w.text) is not None))
            labelled = (label and nxt is not None and months.is_year(nxt.text) and not numerals.NUMERIC & set(w.text))
            # ... or read as digits and dots (``294.1.``): the reader's day, then its letters
            dotted = nxt is not None and months.is_year(nxt.text) and DOTTED_DAY.fullmatch(w.text) is not None
            # ... or the whole date one word (``๗.ซฆเม.๖.๑``): the reader's day and year
            merged = months.MERGED.match(w.text) is not None
            whole = not merged and WHOLE_DATE.fullmatch(w.text) is not None
            if not (merged or glued or labelled or dotted or whole) or known(w.text):
                continue
            box = w.box
            if labelled:  # Latin is boxed at its x-height: the day, the month and its marks
                # stand as tall as the label's letters and the year's digits
                box = Box(left=box.left, top=min(box.top, prev.box.top, nxt.box.top), right=box.right,
                          bottom=max(box.bottom, prev.box.bottom, nxt.box.bottom))
            crop = page[box.top : box.bottom, box.left : box.right]
            if crop.size == 0 or min(crop.shape) < 6 or crop.shape[0] < min_height:
                continue
            reading = numerals.read_crop(crop)
            text = w.text
            if labelled or dotted:
                day = (LEADING_DAY.match if labelled else DAY_ABBREVIATION.fullmatch)(reading.text)
                if day is None or reading.conf < NUMERAL_MIN_CONF or months.day_of(day.group(1)) is None:
                    continue
                text = day.group(1) + numerals.OTHER  # the day, then the month's glyphs
            elif whole:
                date = DAY_YEAR.fullmatch(reading.text)
                if date is None or reading.conf < NUMERAL_MIN_CONF or months.day_of(date.group(1)) is None:
                    continue
                text = date.group(1) + numerals.OTHER + date.group(2)  # the day, the month's glyphs, the year
            cut = months.split_merged(text, page, box, reading, NUMERAL_MIN_CONF)
            if cut is None or (not cut.year and (nxt is None or not months.is_year(nxt.text))):
                continue
            right = cut.year_left if cut.year else nxt.box.left
            slot = Box(left=cut.day_right, top=box.top, right=max(cut.day_right, right), bottom=box.bottom)
            if not cut.day:  # the slot runs from the day's box, as between a day and a year
                slot = months.slot_box(prev.box, [], Box(left=cut.year_left, top=box.top, right=box.right,
                                                         bottom=box.bottom))
            read = months.read_slot(page, slot, model)
            if read is None or read[1] < months.MIN_PROB:
                continue
            month_box = Box(left=cut.day_right, top=box.top, right=max(cut.day_right, cut.year_left),
                            bottom=box.bottom)
            if cut.day:
                parts = [_Word(text=cut.day, raw=w.raw, conf=w.conf, block=w.block, par=w.par, line=w.line,
                               box=Box(left=box.left, top=box.top, right=cut.day_right, bottom=box.bottom),
                               notes=list(w.notes))]
            else:
                prev.text = prev.text.strip(DAY_SPECKS)  # ``๗.``: a speck after the day, in a date
                parts = []
            parts.append(_month_word(read, [w], month_box))
            if cut.year:
                parts.append(_Word(text=cut.year + cut.end, raw=w.raw, conf=w.conf, block=w.block, par=w.par,
                                   line=w.line, notes=list(w.notes),
                                   box=Box(left=cut.year_left, top=box.top, right=box.right, bottom=box.bottom)))
            taken[k] = (k, parts)
        k = 0
        while k < len(line):
            if k in taken:
                last, new = taken[k]
                out += new
                k = last + 1
            else:
                out.append(line[k])
                k += 1
    return out


def _month_word(read: tuple[str, float], between: list[_Word], box: Box) -> _Word:
    """The month the month reader saw where `between` stood."""
    first = between[0]
    seen = " ".join(w.text for w in between)
    log.debug("month %r read as %s (%.2f)", seen, read[0], read[1])
    return _Word(text=read[0], raw=" ".join(w.raw for w in between), conf=round(100 * read[1], 1), block=first.block,
                 par=first.par, line=first.line, box=box, notes=[*first.notes, f"{seen!r}: {MONTH_NOTE}"])


def _reread_numerals(grey: np.ndarray, words: list[_Word], stamp_page: np.ndarray | None = None,
                     text_height: int | None = None) -> None:
    """Digits re-read by the numeral recogniser in the words that may hold them; the
    words of a receipt stamp are cropped from ``stamp_page`` (`_Stamps.page`) and read
    with the reader trained for handwriting (a stamp's number, date and time are filled
    in by pen). Sizes are measured against `text_height` (default: `median_height` of
    `words`)."""
    from . import numerals

    model, hand = numerals.default_model(), numerals.hand_model()
    # dots, colons and rules blown up to a digit's height look like ๑ or ๐: skip anything
    # much smaller than a typical word (a digit is about half a Thai word's height)
    text_height = median_height(words) if text_height is None else text_height
    min_height = 0.4 * text_height
    def rest_of_line(i: int) -> str:
        """The text after word ``i`` on its line."""
        key = _line_key(words[i])
        return " ".join(w.text for w in itertools.takewhile(lambda w: _line_key(w) == key, words[i + 1:]))

    def reread(i: int, w: _Word, year: _Word | None) -> None:
        """Word ``i``; where `year` is given, the first word of that date line, taken
        only as its day."""
        prev = words[i - 1] if i and _line_key(words[i - 1]) == _line_key(w) else None
        nxt = words[i + 1] if i + 1 < len(words) and _line_key(words[i + 1]) == _line_key(w) else None
        before, after = prev.text if prev else "", nxt.text if nxt else ""
        height = w.box.bottom - w.box.top
        # a day or year beside a month's name is measured against the month's word
        month = next((m for m in (nxt, prev) if m is not None and _month_name(m.text)), None)
        # the word stands where a day does: before a month's name, or after ``วันที่``
        # (``ก่อนวันที่ mo ก. ย.`` for ๓๐ ก.ย., the month's name in pieces)
        day = (month is not None and month is nxt) or bool(DAY_BEFORE.search(before))
        day_symbol = day and 0 < len(w.text.strip()) <= DAY_SYMBOLS and not any(ch.isalnum() for ch in w.text)
        if year is not None:
            day = day_symbol = True  # read as a day alone: one or two digits
        # a list item's number opens its line (``๓.`` read as ``on.``: Latin letters are
        # boxed at their x-height, 20 px against a page's median word of 63)
        item = prev is None and nxt is not None and LIST_ITEM.fullmatch(w.text) is not None
        small = year is None and height < min_height and not item and not (
            month is not None and height >= DAY_HEIGHT * (month.box.bottom - month.box.top)) and not (
            day and len(w.text.strip()) <= DAY_LETTERS)
        # read to be merged, or (`opens`) only to be taken where it reads a list item's number
        wanted = (wants_numeral_check(w.text, before, after) or day_symbol) and not small
        opens = (year is None and prev is None and nxt is not None and len(w.text.strip()) <= ITEM_GLYPHS
                 and height >= ITEM_MIN_HEIGHT * text_height and _consonants(rest_of_line(i)) >= ITEM_TEXT)
        if not (wanted or opens):
            return
        box = _clear_of(w.box, prev, nxt)
        # the crop stops at the side cut back to a neighbour; the other still snaps out
        within = None if box is w.box else (box.left if box.left != w.box.left else 0,
                                             box.right if box.right != w.box.right else grey.shape[1])
        stamped = STAMP_NOTE in w.notes
        page = stamp_page if stamp_page is not None and stamped else grey
        if year is not None:  # Latin is boxed at its x-height; a day's digits stand as tall as the year's
            box = Box(left=box.left, top=min(box.top, year.box.top), right=box.right,
                      bottom=max(box.bottom, year.box.bottom))
        crop, span = _crop_span(page, box, within)
        if box is w.box:  # neither cut back to a neighbour nor stretched to a year's height
            wider = _with_orphans(page, box, w.text, prev, nxt, _crop_columns(box, crop, span))
            if wider is not box:
                box = wider
                crop, span = _crop_span(page, box, within)
        if crop.size == 0 or min(crop.shape) < 6:
            return
        reading = numerals.read_crop(crop, hand if stamped else model)
        if reading.conf < NUMERAL_MIN_CONF:
            return
        listed = LIST_NUMBER.fullmatch(reading.text) if opens else None
        if listed is not None:
            w.text = listed.group(1)
            return
        if not wanted:
            return
        new = None if day_symbol else numerals.merge(w.text, reading, numerals.frames_of(span, crop.shape[0]))
        if new is None and (LATIN_WORD.search(w.text) or day_symbol):
            new = numerals.number_in(reading)  # a Latin word standing in a number
            if new is None and day and DAY.fullmatch(reading.text):
                new = reading.text  # a day of one digit
        if year is not None:
            if new is None or not DAY.fullmatch(new):
                return
            w.box = box  # the month reader measures a date's day against the page's text
        if day and DAY.fullmatch(reading.text) and DAY_TRIPLED.fullmatch(new or w.text):
            # a day has one or two digits: Tesseract's third ๒ in ``๒๒๒ สิงหาคม`` (bench-corpus
            # 138), kept as a double the reader merged, was Tesseract's own
            new = reading.text
        if new is not None:
            w.text = new

    for i, w in enumerate(words):
        reread(i, w, None)
    # then a date line's day whose month Tesseract misread too: its year read by now
    opening = _date_line_days(words)
    for i, w in enumerate(words):
        if id(w) in opening:
            reread(i, w, opening[id(w)])


#: A glyph beside a number that no word's box holds (`_with_orphans`): its first ink
#: stands beyond the crop's snapping and at most ORPHAN_REACH of the box's height from
#: it, it is ORPHAN_WIDTH of that height wide (one or two digits), its ink at least
#: ORPHAN_TALL of the number's ink rows high and ORPHAN_INK of the number's ink per
#: character (grain strewn beside a number is not a glyph), and blanks inside it are
#: narrower than ORPHAN_GAP of the height.
ORPHAN_REACH = 0.6
ORPHAN_WIDTH = (0.2, 1.6)
ORPHAN_TALL = 0.5
ORPHAN_INK = 0.3
ORPHAN_GAP = 1 / 6


def _with_orphans(grey: np.ndarray, box: Box, text: str, prev: _Word | None, nxt: _Word | None,
                  snapped: tuple[int, int]) -> Box:
    """``box`` (a number's, read ``text``) widened over a glyph beside it that no word's
    box holds and `_crop_span`'s snapping does not reach (``snapped``: the page columns
    its crop of ``box`` starts at and stops before, its margin left out), on a side where
    ``text`` ends in a digit: ink Tesseract read nothing of.

    Tesseract's Thai model has no ๔ ๖ ๗ ๘ ๙, and where one ends a number it sometimes
    drops the glyph and its box with it (``๒๒๐๐๗`` read and boxed ``๒๒๐๐``, seed 2029's
    018); it also boxes a typewriter's narrow first digit apart from the rest (``16480``
    boxed from its 6, bench-corpus 095). The gap inside such a number is too wide for
    the snapping, which must not cross the space between words. A glyph is taken only
    where it stands nearer to this word than to the ink beyond it, so a neighbour whose
    box cut its own first glyph keeps it."""
    from .numerals import NUMERIC

    h, w = grey.shape
    bh = box.bottom - box.top
    if bh < 8 or box.right - box.left < 2 or not (text[:1] in NUMERIC or text[-1:] in NUMERIC):
        return box
    reach = max(2, int(ORPHAN_REACH * bh))
    far = int(ORPHAN_WIDTH[1] * bh) + 2 * reach  # how far beside the box to look
    x0, x1 = max(0, box.left - far), min(w, box.right + far)
    band = grey[max(0, box.top):min(h, box.bottom), x0:x1]
    own = grey[max(0, box.top):min(h, box.bottom), box.left:box.right]
    if band.size == 0 or own.size == 0 or int(own.max()) - int(own.min()) <= 40:
        return box
    dark = band < (int(own.min()) + int(own.max())) / 2
    ink = dark.any(axis=0)
    own_dark = dark[:, box.left - x0:box.right - x0]
    own_rows = np.flatnonzero(own_dark.any(axis=1))
    if len(own_rows) == 0:
        return box
    tall = ORPHAN_TALL * (own_rows[-1] + 1 - own_rows[0])
    mass = ORPHAN_INK * own_dark.sum() / max(1, len(text.strip()))
    gap = max(2, int(ORPHAN_GAP * bh))

    def glyph(start: int, step: int, end: int) -> int | None:
        """The far edge of a glyph whose first ink is within `reach` of ``start`` going
        ``step`` (+1 right, -1 left), wholly before ``end`` (a neighbour's box); None
        where there is none."""
        def before_end(x: int) -> bool:
            return 0 <= x < len(ink) and (x < end if step > 0 else x > end)

        first = next((x for x in range(start, start + step * reach, step) if before_end(x) and ink[x]), None)
        if first is None:
            return None
        x = first
        while 0 <= x + step < len(ink) and any(
                ink[y] for y in range(x + step, x + step * (gap + 1), step) if 0 <= y < len(ink)):
            x += step
        if not before_end(x):  # runs on into the neighbour's box
            return None
        lo_x, hi_x = sorted((first, x))
        if not ORPHAN_WIDTH[0] * bh <= hi_x + 1 - lo_x <= ORPHAN_WIDTH[1] * bh:
            return None
        piece = dark[:, lo_x:hi_x + 1]
        rows = np.flatnonzero(piece.any(axis=1))
        if len(rows) == 0 or rows[-1] + 1 - rows[0] < tall or piece.sum() < mass:
            return None
        before = abs(first - start)
        after = next((k for k in range(1, len(ink)) if not 0 <= x + step * k < len(ink) or ink[x + step * k]),
                     len(ink)) - 1
        if after <= before:  # nearer the ink beyond: a neighbour's glyph
            return None
        return x

    left, right = box.left - x0, box.right - x0
    if text[-1:] in NUMERIC and (nxt is None or nxt.box.left >= box.right):
        edge = glyph(snapped[1] - x0, 1, len(ink) if nxt is None else nxt.box.left - x0)
        if edge is not None:
            right = edge + 1
    if text[:1] in NUMERIC and (prev is None or prev.box.right <= box.left):
        edge = glyph(snapped[0] - 1 - x0, -1, -1 if prev is None else prev.box.right - 1 - x0)
        if edge is not None:
            left = edge
    if (left, right) == (box.left - x0, box.right - x0):
        return box
    return Box(left=x0 + left, top=box.top, right=x0 + right, bottom=box.bottom)


#: A word's box is cut back to where a neighbour's begins only if this share of it is left.
OWN_SHARE = 0.4


def _clear_of(box: Box, prev: _Word | None, nxt: _Word | None) -> Box:
    """``box`` (a word's) cut back where it runs on over the box of the word before or
    after it on its line, if at least `OWN_SHARE` of it is left; its crop then stops
    there too (`_crop_span`'s ``within``).

    Tesseract's box of a word sometimes covers the next word too: seed 2026's 008 boxed
    ``0403.2/`` over the handwritten ``๒๖๐๕`` after it, and the numeral reader, given
    both, read ``003.2/๒๖๐๔``. Where a neighbour's box lies mostly inside ours, the
    neighbour is the one boxed wrong, and ours is left as it is."""
    left, right = box.left, box.right
    least = OWN_SHARE * (box.right - box.left)
    if nxt is not None and left < nxt.box.left < right and nxt.box.left - left >= least:
        right = nxt.box.left
    if prev is not None and left < prev.box.right < right and right - prev.box.right >= least:
        left = prev.box.right
    if (left, right) == (box.left, box.right):
        return box
    return Box(left=left, top=box.top, right=right, bottom=box.bottom)


#: A date line whose day and month Tesseract both misread (``lod 'เค. ๒๕๖๘`` for
#: ๒๘ ก.ค. ๒๕๖๘, ``‘mo ฟี.ย. ๒๕๕๕`` for ๓๐ พ.ย. ๒๕๕๕): a line of at most this many words,
#: the last a year, the first no Thai word (at most `DATE_DAY_CHARS` characters, not
#: all Thai letters). That first word is re-read as a day, and taken only as one.
DATE_LINE_WORDS = 4
DATE_DAY_CHARS = 4


def _date_line_days(words: list[_Word]) -> dict[int, _Word]:
    """Words that open a short line ending in a year (`DATE_LINE_WORDS`) and may be its
    day misread: their ids, each with the line's year."""
    from . import months

    out: dict[int, _Word] = {}
    for line in _lines(words):
        while line and not any(ch.isalnum() for ch in line[-1].text):
            line = line[:-1]  # a speck after the year (``๒๕๖๘ °°.``)
        if not 3 <= len(line) <= DATE_LINE_WORDS or not months.is_year(line[-1].text):
            continue
        first = line[0]
        text = first.text.strip(DAY_SPECKS + "‘’“”")
        if not text:
            continue
        if len(text) > DATE_DAY_CHARS or all(_letter(ch) for ch in text) or months.day_of(text) is not None:
            continue
        out[id(first)] = line[-1]
    return out


#: What a receipt stamp prints before the serial the clerk writes in (``เลขรับ ๑๒๓๔๕``).
SERIAL_LABELS = ("เลขรับ", "เลขที่", "รับที่")
#: A serial as the clerk writes it: digits alone.
SERIAL = re.compile(r"[0-9\u0e50-\u0e59]{3,7}")
#: Dots and commas between a serial's digits: specks and the pen's lifts (``5.398.3``).
SERIAL_GAPS = re.compile(r"(?<=[0-9\u0e50-\u0e59])[.,]+(?=[0-9\u0e50-\u0e59])")
SERIAL_NOTE = "a stamp's serial read by the handwriting reader"
#: A word under this share of the label's height is a dot of the stamp's dotted line,
#: no part of the serial (`drop_tiny` leaves it out later).
SERIAL_DOT = 0.3


def serial_label(text: str) -> str | None:
    """The stamp label (`SERIAL_LABELS`) `text` is, one letter misread at most
    (``เลขวับ``, ``เสขรับ``, ``เลฆรับ``), or None."""
    return _label_read(text.strip(".:"), SERIAL_LABELS)


def _label_read(text: str, labels: Iterable[str]) -> str | None:
    """The one of `labels` that `text` is with one letter misread at most, or None."""
    from rapidfuzz.distance import Levenshtein

    return next((label for label in labels if Levenshtein.distance(text, label) <= 1), None)


def _read_serials(grey: np.ndarray, words: list[_Word], stamp_page: np.ndarray | None = None) -> list[_Word]:
    """A receipt stamp's serial, the words after its label (`serial_label`) up to the
    stamp's next field, read as the one number it is:

    - a number Tesseract read whole keeps its digits, and the pen's strokes after it
      (``เลขรับ 57780 ๙-``, ``49859 ลฝสจสโว``) go;
    - one read as letters or in pieces (``เลขรับ ณ์ซิวปีตโต`` for ๕๕๗๒๒, ``5.398.3``,
      ``๒ ๕๕๐``) becomes the number the handwriting reader sees there where that is one
      number (`numerals.number_in`), of no fewer digits than the pieces had; failing
      that, the pieces are joined without the dots between them.

    The label's misread letter is put right (``เลขวับ``)."""
    from . import months, numerals

    hand = numerals.hand_model()
    out: list[_Word] = []
    for line in _lines(words):
        label = serial_label(line[0].text) if STAMP_NOTE in line[0].notes else None
        if label is None:
            out += line
            continue
        end = next((k for k in range(1, len(line)) if _stamp_field(line[k].text)), len(line))
        # the dots of the stamp's dotted line read as ``7`` (2 px against the label's 64)
        least = SERIAL_DOT * (line[0].box.bottom - line[0].box.top)
        dots = [w for w in line[1:end] if w.box.bottom - w.box.top < least]
        rest = [w for w in line[1:end] if w.box.bottom - w.box.top >= least]
        if not rest:
            out += line
            continue
        line[0].text = label
        digits = SERIAL_GAPS.sub("", "".join(w.text for w in rest))
        pieces = SERIAL.fullmatch(digits) is not None  # digits alone, in pieces or with dots
        if SERIAL.fullmatch(rest[0].text) and (len(rest) == 1 or not pieces):
            if len(rest) > 1:
                log.debug("strokes after a stamp's serial left out: %s", " ".join(w.text for w in rest[1:]))
            out += [line[0], rest[0], *dots, *line[end:]]
            continue
        box = months.union([w.box for w in rest])
        crop = _crop(stamp_page if stamp_page is not None else grey, box)
        number = None
        if crop.size and min(crop.shape) >= 6:
            reading = numerals.read_crop(crop, hand)
            found = numerals.number_in(reading) if reading.conf >= NUMERAL_MIN_CONF else None
            number = SERIAL_GAPS.sub("", found).strip(numerals.PUNCT) if found else None
        if number is None or not SERIAL.fullmatch(number) or (pieces and len(number) < len(digits)):
            number = digits if pieces else None
        if number is None:
            out += line
            continue
        log.debug("stamp serial %r read as %s", " ".join(w.text for w in rest), number)
        out += [line[0], _read_as_one(rest, number, box, SERIAL_NOTE), *dots, *line[end:]]
    return out


def _read_as_one(pieces: list[_Word], text: str, box: Box, note: str) -> _Word:
    """One word in place of `pieces` (of one line), read again as `text` over `box`; its
    note says what the pieces read."""
    first = pieces[0]
    seen = " ".join(p.text for p in pieces)
    return _Word(text=text, raw=" ".join(p.raw for p in pieces), box=box, conf=min(p.conf for p in pieces),
                 block=first.block, par=first.par, line=first.line, notes=[*first.notes, f"{seen!r}: {note}"])


#: A document number's code and slash as a word of its own, the circular's ว after it or
#: not (``๐๐๓๒/ว``, ``0301.40.2/``); then the serial's pieces, digits alone.
CODE_SLASH_WORD = re.compile(r"[0-9\u0e50-\u0e59]{3,}(?:\.[0-9\u0e50-\u0e59]+)*/ว?$")
SERIAL_PIECE = re.compile(r"[0-9\u0e50-\u0e59]+")
#: Pieces of one serial stand at most this share of the number's height apart.
SERIAL_PIECE_GAP = 0.6


def _read_split_serials(grey: np.ndarray, words: list[_Word]) -> list[_Word]:
    """A number's serial Tesseract cut into pieces (a pen's ``๒๔๘๙๑`` read ``๒๕9@ 6๕@``,
    each piece's crop then reaching into the next: ``๒๔๘๙ ๙๑``, seed 2031's 003), read
    again as one: the digit words after a code's slash, each close to the last
    (`SERIAL_PIECE_GAP`), become the one number the numeral reader sees over them all,
    where it is sure and its digits are no fewer than the longest piece's and no more
    than all of theirs. Receipt stamps' serials are `_read_serials`'s."""
    from . import months, numerals

    model = numerals.default_model()
    out: list[_Word] = []
    for line in _lines(words):
        k = 0
        while k < len(line):
            w = line[k]
            out.append(w)
            k += 1
            if STAMP_NOTE in w.notes or not CODE_SLASH_WORD.search(w.text):
                continue
            if k < len(line) and line[k].text.rstrip(".") == "ว":  # the circular's ว
                out.append(line[k])
                k += 1
            height = w.box.bottom - w.box.top
            end = k
            while (end < len(line) and SERIAL_PIECE.fullmatch(line[end].text)
                   and (end == k or line[end].box.left - line[end - 1].box.right <= SERIAL_PIECE_GAP * height)):
                end += 1
            pieces = line[k:end]
            if len(pieces) < 2:
                continue
            box = months.union([p.box for p in pieces])
            crop = _crop(grey, box)
            if crop.size == 0 or min(crop.shape) < 6:
                continue
            reading = numerals.read_crop(crop, model)
            number = numerals.number_in(reading) if reading.conf >= NUMERAL_MIN_CONF else None
            lengths = [len(p.text) for p in pieces]
            if number is None or not SERIAL_PIECE.fullmatch(number) or not max(lengths) <= len(number) <= sum(lengths):
                continue
            log.debug("a serial in pieces %r read as %s", " ".join(p.text for p in pieces), number)
            out.append(_read_as_one(pieces, number, box, "a serial in pieces read as one"))
            k = end
    return out


def _stamp_field(text: str) -> bool:
    """Does `text` open another of a stamp's fields (its label, one letter misread at
    most, or a month's name) on the serial's line?"""
    return _month_name(text) or _label_read(text, STAMP_LABELS) is not None


#: Latin that belongs in a Thai letter and must not be re-read as Thai: web and e-mail
#: addresses (``www.moi.go.th``, ``saraban@moi.go.th``).
ADDRESS = re.compile(r"@|www|https?:|\.(?:com|org|net|go\.th|or\.th|ac\.th)\b", re.IGNORECASE)
#: Thai abbreviations read as Latin keep their dots: ``ต.ค.`` → ``#.A.`` / ``ALA.``,
#: ``ก.พ.`` → ``A.W.``, ``โทร.`` → ``Tvs.``. English letters rarely abbreviate so.
DOTTED = re.compile(r"^\W*[A-Za-z#]{0,4}\.(?:[A-Za-z#]{1,2}\.)*\W*$")
LATIN = re.compile(r"[A-Za-z]")
THAI_DIGIT = re.compile(r"^[\u0e50-\u0e59]")


def latin_suspect(text: str, before: str = "", after: str = "") -> bool:
    """Is this Latin reading implausible in a Thai letter, so likely Thai read by ``eng``?

    Yes for: Latin mixed with Thai, digits or junk (``#.A.``, ``0402.2/A``), dotted
    abbreviations (``ALA.``, ``Tvs.``, ``U.`` for น.), Latin right before Thai digits or
    right after ``ที่`` (an agency code: ``NAN ๐๐๑๘.๑/ว``, ``ที่ Wl``), two-letter words
    (``Wl``, ``TW``), three-letter ones in mixed case, and single letters next to Thai
    words (``N กค`` for ที่ กค). No for addresses, hyphenated terms (``e-GP``), English
    words and acronyms of three or more letters in one case (``GECC``, ``Zoom``), and
    single letters among non-Thai (specks and signature strokes: read again as Thai
    they became other junk).
    """
    if not LATIN.search(text) or ADDRESS.search(text) or re.search(r"[A-Za-z]-[A-Za-z]", text):
        return False
    if any(_letter(ch) for ch in text) or "#" in text or DOTTED.match(text):
        return True
    if _code_context(before, after):
        return True
    if len(text.strip(".,:;()\"'“”‘’")) < 2:
        return any(_letter(ch) for ch in before + after)
    latin = "".join(ch for ch in text if ch.isascii() and ch.isalpha())
    if len(latin) <= 2:
        return True
    return len(latin) == 3 and not (latin.isupper() or latin.islower())


#: A month's abbreviation read as digits (``19 1.9. 41`` for ๑๙ ก.ค. ๔๑, bench-corpus
#: 046), between a day and a year of two or four digits.
DOTTED_DIGITS = re.compile(r"^[0-9\u0e50-\u0e59]{1,2}\.[0-9\u0e50-\u0e59]{1,2}\.?$")
DAY_NUMBER = re.compile(r"^[0-9\u0e50-\u0e59]{1,2}$")
YEAR_NUMBER = re.compile(r"^(?:[0-9\u0e50-\u0e59]{2}){1,2}$")


def month_as_digits(text: str, before: str, after: str) -> bool:
    """Is this a month's abbreviation Tesseract read as dotted digits? Only between a
    day and a year; ``๑.๒`` in a list or a section number has neither beside it."""
    return bool(DOTTED_DIGITS.match(text) and DAY_NUMBER.match(before) and YEAR_NUMBER.match(after))


#: A Thai abbreviation: ``ต.ค.``, ``ก.พ.``, ``โทร.``, ``พ.ศ.``.
THAI_ABBREV = re.compile(r"^[\u0e01-\u0e4e]{1,4}\.(?:[\u0e01-\u0e4e]{1,2}\.)*$")
#: An agency code after ``ที่``: two or three consonants, ``ภก``, ``นม``, ``มท``.
AGENCY_CODE = re.compile(r"^[\u0e01-\u0e2e]{2,3}$")
#: Lowest Tesseract confidence of a ``tha`` re-reading that is not a known shape and still
#: replaces a Latin reading (it must also beat it). On the scan samples junk re-read as
#: junk (specks, signature strokes) mostly scored under 70, real words over 85.
THAI_MIN_CONF = 70.0
#: ... and for a known shape: an abbreviation, an agency code where one stands, a
#: lexicon word of three or more letters (``.โทร.`` scored 34).
THAI_MIN_CONF_KNOWN = 30.0


#: A number's digit at a word's start or end: a word beside it stands in a date.
DIGIT_END = re.compile(r"^[0-9\u0e50-\u0e59]|[0-9\u0e50-\u0e59]$")


def _month_abbreviation(thai: str) -> bool:
    """A month's abbreviation, marks with no letter under them aside (``ต.ุค.``)."""
    from ..normalise import ORPHAN_MARK
    from ..thaidate import MONTHS_ABBR

    return ORPHAN_MARK.sub("", thai.strip("\"'“”‘’`,:;|()")) in MONTHS_ABBR


def take_thai(thai: str, thai_conf: float, latin_conf: float, *, code: bool = False, date: bool = False) -> bool:
    """Is the ``tha`` re-reading of a suspect Latin word the better one? ``code``: the
    word stands where an agency code does (after ``ที่``, before Thai digits); ``date``:
    it stands by a number, where a month's abbreviation read as Latin (``๖ A.A. ๒๕๕๗``)
    is replaced by ``tha``'s reading of one at any confidence (``ต.ุค.`` scored 28)."""
    if date and _month_abbreviation(thai):
        return True
    thai = thai.strip("\"'“”‘’`,:;|")
    consonant = re.search(r"[\u0e01-\u0e2e]", thai)
    if not consonant or len(thai) < 2 or re.search(r"[^\u0e00-\u0e7f0-9./()\-]", thai):
        return False
    from .correct import default_corrector, normalise_sara_am

    core = normalise_sara_am(thai.strip(".()-"))
    lexicon = default_corrector()
    known = (THAI_ABBREV.match(thai.strip("()-")) is not None or (code and AGENCY_CODE.match(core) is not None)
             or (len(core) >= 3 and lexicon.knows(core)))
    if known:
        return thai_conf >= THAI_MIN_CONF_KNOWN
    return thai_conf >= THAI_MIN_CONF and thai_conf > latin_conf


def _code_context(before: str, after: str) -> bool:
    return bool(THAI_DIGIT.match(after)) or before.rstrip("\u0e48") in ("ที่", "ที")


def _pad(box: Box, grey: np.ndarray) -> np.ndarray:
    h, w = grey.shape
    # room above and below for marks; little to the sides, where the next word stands
    # (a wider crop gave ที่ภก for NAN)
    m = max(2, (box.bottom - box.top) // 6)
    return grey[max(0, box.top - m) : min(h, box.bottom + m), max(0, box.left - 3) : min(w, box.right + 3)]


def _second_pass(grey: np.ndarray, words: list[_Word], found: _Stamps, *, timeout: float) -> list[_Word]:
    """One extra ``tha`` Tesseract run over a strip of pieces: each receipt stamp's
    inside (its own block of lines), each Latin word that is implausible here, and each
    stretch of text the main pass missed or read as junk (`unread_lines`)."""
    stamps = found.boxes
    suspects: list[tuple[_Word, bool, bool]] = []
    for i, w in enumerate(words):
        before = words[i - 1].text if i else ""
        after = words[i + 1].text if i + 1 < len(words) else ""
        same = [words[k].text for k in (i - 1, i + 1)
                if 0 <= k < len(words) and _line_key(words[k]) == _line_key(w)]
        if latin_suspect(w.text, before, after):
            suspects.append((w, _code_context(before, after), any(DIGIT_END.search(t) for t in same)))
        elif len(same) == 2 and month_as_digits(w.text, before, after):
            suspects.append((w, False, True))
    missed, margin, numbers, gaps, years = unread_lines(grey, words, stamps)
    words = _read_years(grey, _read_gaps(grey, _read_page_numbers(grey, words, numbers), gaps), years)
    if not suspects and not stamps and not missed:
        return words
    pieces = [Image.fromarray(found.page[b.top : b.bottom, b.left : b.right]) for b in stamps]
    pieces += [Image.fromarray(_pad(w.box, grey)) for w, _, _ in suspects]
    missed = [_grow(b, margin, grey) for b in missed]  # room for marks above and below
    pieces += [Image.fromarray(grey[b.top : b.bottom, b.left : b.right]) for b in missed]
    try:
        readings = tesseract.read_pieces(pieces, lang="tha", psm=6, timeout=timeout)
    except (OCRError, PageTimeout) as e:  # the page's main reading still stands
        log.warning("second pass (stamps, Latin words, missed lines) failed: %s", e)
        return words
    for i, (box, rows) in enumerate(zip(missed, readings[len(stamps) + len(suspects):])):
        words = _take_missed(words, box, rows, block=20_000 + i)
    for (w, code, date), rows in zip(suspects, readings[len(stamps):]):
        text = "".join(r.text for r in rows)
        conf = min((r.conf for r in rows), default=0.0)
        if LATIN.search(w.text):
            taken = take_thai(text, conf, w.conf, code=code, date=date)
        else:  # digits where a month's abbreviation stands: only a month replaces them
            taken = _month_abbreviation(text)
        log.debug("suspect %r (%.0f) -> tha %r (%.0f) %s", w.text, w.conf, text, conf, "taken" if taken else "")
        if taken:
            w.notes.append(f"{w.text!r} re-read with tha")
            w.text = text
    for i, (box, rows, coloured) in enumerate(zip(stamps, readings, found.coloured)):
        if not rows:  # nothing read inside the frame: keep what the main pass saw there
            continue
        # the stamp's ink as the main pass read it (tha+eng, among the letter's lines)
        # gives way to the reading of the stamp alone: the page had it twice (CER on the
        # scan samples 14.5 % keeping both, 12.3 % without the main pass's copy). Not so
        # where the main pass saw the page without the stamp's colour: that is the letter's.
        if not coloured:
            going_on = _letter_lines_into(words, box)
            words = [w for w in words
                     if not _centre_inside(w.box, box) or _letter_keyword(w.text) or id(w) in going_on]
        words = _insert_stamp(words, box, rows, block=10_000 + i)
    return words


#: Digits of a page number: one to three, Thai or Arabic, not starting with a zero.
PAGE_NUMBER_DIGITS = re.compile(r"[๑-๙1-9][๐-๙0-9]{0,2}")


def _read_page_numbers(grey: np.ndarray, words: list[_Word], boxes: list[Box]) -> list[_Word]:
    """Page numbers the main pass lost (`_page_number`), read by the numeral recogniser
    and put back as ``- ๒ -``, a line of their own. Tesseract's ``tha`` run read the
    digit alone at low confidence (``๒`` at 40), and cannot read ๔ ๖ ๗ ๘ ๙ at all."""
    from . import numerals

    for i, box in enumerate(boxes):
        crop = _crop(grey, box)
        if crop.size == 0 or min(crop.shape) < 6:
            continue
        reading = numerals.read_crop(crop, numerals.default_model())
        if reading.conf < NUMERAL_MIN_CONF or not PAGE_NUMBER_DIGITS.fullmatch(reading.text):
            continue
        h = box.bottom - box.top  # a dash's box: as wide as the digits are high, a digit's width away
        before, after = max(0, box.left - 2 * h), box.right + h
        dashes = (Box(left=before, top=box.top, right=before + h, bottom=box.bottom),
                  Box(left=after, top=box.top, right=after + h, bottom=box.bottom))
        new = [_Word(text=text, raw=text, conf=100.0 * reading.conf, block=30_000 + i, par=0, line=0, box=b,
                     notes=["page number read by the numeral recogniser"])
               for text, b in (("-", dashes[0]), (reading.text, box), ("-", dashes[1]))]
        at = next((j for j, w in enumerate(words) if w.box.top > box.top), len(words))
        words = words[:at] + new + words[at:]
    return words


#: A gap's reading stands for a list item's number or a count (``๓.``, ``(๒)``, ``๑``):
#: digits of one script, a dot or brackets.
GAP_NUMBER = re.compile(r"\(?(?:[๐-๙]{1,3}|[0-9]{1,3})[.)]?")
GAP_NOTE = "left out of its line by the main pass; read by the numeral recogniser"


def _read_gaps(grey: np.ndarray, words: list[_Word], gaps: list[Box]) -> list[_Word]:
    """The glyphs the main pass left out of a read line (`_gap_beside`), read by the
    numeral recogniser and put into that line where it reads a short number there.

    Tesseract's layout left a list item's number out of its line (``๒.`` before
    ``หนังสือสำนักงาน ก.พ. …`` in an อ้างถึง list) on bench-corpus pages and seed sets
    alike; the same line cut out alone reads it, the whole page does not."""
    from . import numerals

    for box in gaps:
        crop = grey[box.top : box.bottom, box.left : box.right]
        if crop.size == 0 or min(crop.shape) < 6:
            continue
        reading = numerals.read_crop(crop, numerals.default_model())
        log.debug("gap %s read %r (%.2f)", box, reading.text, reading.conf)
        if reading.conf < NUMERAL_MIN_CONF or not GAP_NUMBER.fullmatch(reading.text):
            continue
        line = _line_beside(words, box)
        if line is None:
            continue
        block, par, ln = line
        new = _Word(text=reading.text, raw=reading.text, conf=round(100 * reading.conf, 1), box=box, block=block,
                    par=par, line=ln, notes=[GAP_NOTE])
        words = _into_line(words, line, [new])
    return words


#: A year on a line of its own (`_year_alone`): two digits or a year of the Buddhist or
#: Christian era, of one script.
YEAR = re.compile(r"[๐-๙]{2}|๒[๔๕][๐-๙]{2}|[0-9]{2}|(?:19|20|24|25)[0-9]{2}")
YEAR_NOTE = "a date's year on a line of its own, read by the numeral recogniser"
#: Line numbers of such years: after any Tesseract gives a paragraph's lines.
YEAR_LINES = 50_000


def _read_years(grey: np.ndarray, words: list[_Word], boxes: list[Box]) -> list[_Word]:
    """The years `_year_alone` found, read by the numeral recogniser and put back as a
    line of their own after the date they end (`_line_above`), in its paragraph, in
    place of what the main pass made of them (``Kev`` for ๕๗)."""
    from . import numerals

    for i, box in enumerate(boxes):
        crop = _crop(grey, box)
        if crop.size == 0 or min(crop.shape) < 6:
            continue
        reading = numerals.read_crop(crop, numerals.default_model())
        log.debug("year %s read %r (%.2f)", box, reading.text, reading.conf)
        above = _line_above(words, box)
        if reading.conf < NUMERAL_MIN_CONF or not YEAR.fullmatch(reading.text) or above is None:
            continue
        words = [w for w in words if _overlap(w.box, box) <= 0.5 * _area_of(w.box)]
        at = max(j for j, w in enumerate(words) if _line_key(w) == above)
        new = _Word(text=reading.text, raw=reading.text, conf=round(100 * reading.conf, 1), box=box, block=above[0],
                    par=above[1], line=YEAR_LINES + i, notes=[YEAR_NOTE])
        words = words[: at + 1] + [new] + words[at + 1 :]
    return words


#: A main-pass word that counts as read: one with two digits in a row (a missed line's
#: ``tha`` re-read put ``ว๐๑ฒ.๒/ว`` at 82 over ``๐๐๑๕.๒/ว`` at 50, which the numeral reader
#: then makes ๐๐๑๗.๒/ว), or confident, with a letter or digit, not Latin that is
#: implausible here. Junk over a missed line scored 22-35 on the scan samples.
READ_MIN_CONF = 50.0
#: A re-read of a missed stretch replaces the main pass's words there when its
#: confidence (per character, words with a letter or digit) reaches MISSED_MIN_CONF and
#: beats theirs by MISSED_MARGIN.
MISSED_MIN_CONF = 60.0
MISSED_MARGIN = 10.0
#: ... or MISSED_CODE_MIN_CONF where the re-read holds a document number's code and
#: slash (`CODE_SHAPE`) and the main pass read no digits there: ``tha`` has no ๔ ๖ ๗ ๘ ๙
#: and scores a code low (``ที นม ๐๐๑ซ.๒/ว`` at 38 for ที่ นม ๐๐๑๗.๒/ว, which the main
#: pass read ``Fin centr`` at 24: seed 2027 file 016), and junk seldom takes that shape.
MISSED_CODE_MIN_CONF = 30.0
#: A code as ``tha`` reads it: two digits, a few more glyphs (digits it cannot write
#: come out as letters: ``ซ`` for ๗), a slash.
CODE_SHAPE = re.compile(r"[0-9\u0e50-\u0e59]{2}[^\s/]{1,6}/")


#: ... or a word with this many Thai letters: Tesseract scores long Thai words low
#: (``ศาลากลางจังหวัดบุรีรัมย์`` read right at 8) and junk over a missed line is short.
READ_THAI_LETTERS = 6


def _read(w: _Word) -> bool:
    if DIGITS.search(w.text):  # the numeral reader's to read again (tha cannot write ๔ ๖ ๗ ๘ ๙)
        return True
    if not any(ch.isalnum() for ch in w.text) or latin_suspect(w.text):
        return False
    return w.conf >= READ_MIN_CONF or sum(1 for ch in w.text if _letter(ch)) >= READ_THAI_LETTERS


class Unread(NamedTuple):
    """What `unread_lines` found that the main pass did not read."""

    lines: list[Box]  # stretches of text, to read again with ``tha``
    margin: int  # to add above and below them when reading
    page_numbers: list[Box]  # the digits of a page number (`_page_number`)
    gaps: list[Box]  # a glyph or three in a read line's gap (`_gap_beside`)
    years: list[Box]  # a date's year on a line of its own (`_year_alone`)


def unread_lines(grey: np.ndarray, words: list[_Word], stamps: tuple[Box, ...]) -> Unread:
    """Stretches of text-like ink that no confidently read word covers, the margin to
    read them with, the digits of a page number no word covers (`_page_number`),
    glyphs left out of a read line (`_gap_beside`), and a date's year wrapped to a line
    of its own (`_year_alone`).

    Tesseract's page layout drops lines or reads them as junk on noisy scans (a speckled
    page lost a memo's whole header: ``ส่วนราชการ``, ``ที่``, ``เรื่อง`` read as
    ``Viz a a mr cae``) and next to a stamp (a date line half under a stamp's frame).
    Ink is the page's letter-sized components (not specks, dotted leaders, the emblem or
    signature scrawls bigger than a few lines); what confident words and stamp frames do
    not cover is smeared along the line and kept where it is shaped like a run of text.
    """
    read = [w for w in words if _read(w)]
    if len(read) < 5:  # nothing read on this page to measure text by
        return Unread([], 0, [], [], [])
    th = median_height(read)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # found at half size where text is big enough (4x fewer pixels to label), boxes scaled back
    k = 2 if th >= 24 else 1
    if k > 1:
        ink = np.where(cv2.resize(ink, (ink.shape[1] // k, ink.shape[0] // k), interpolation=cv2.INTER_AREA) > 64,
                       255, 0).astype(np.uint8)
    t = th // k
    n, labels, stats, _ = preprocess.components(ink)
    width, height = stats[:, 2], stats[:, 3]
    # a letter's or digit's box is about (th/2)^2; dots, specks and marks are far smaller
    letters = (width * height >= t * t // 16) & (height <= 2 * t) & (width <= 4 * t)
    letters[0] = False
    # ink of things bigger than letters: the Garuda emblem's body, a signature's long strokes
    graphic = (height > 2 * t) | (width > 4 * t)
    graphic[0] = False
    rest = letters[labels]
    covered = np.zeros(rest.shape, bool)
    m = max(1, t // 4)
    for w in read:
        b = w.box
        covered[max(0, b.top // k - m) : b.bottom // k + m, max(0, b.left // k - m) : b.right // k + m] = True
    for b in stamps:
        covered[max(0, b.top // k - t // 2) : b.bottom // k + t // 2,
                max(0, b.left // k - t // 2) : b.right // k + t // 2] = True
    rest = (rest & ~covered).astype(np.uint8) * 255
    reach = max(3, t) // 2
    smear = cv2.dilate(rest, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 1)))
    glyphs = stats[:, 3]
    n, _, stretches, _ = preprocess.components(smear)
    out: list[Box] = []
    numbers: list[Box] = []
    gaps: list[Box] = []
    years: list[Box] = []
    for x, y, bw, bh, _area in stretches[1:n]:
        # the ink's box, not the smear's (which reaches into the next word by `reach`)
        x, y, bw, bh = int(x) + reach, int(y), int(bw) - 2 * reach, int(bh)
        if bw < 4 * t and 0.3 * t <= bh <= 1.5 * t:  # a page number: shorter than a line with its marks
            digits = _page_number(ink, x, y, bw, bh, t)
            if digits is not None:
                numbers.append(Box(left=k * digits[0], top=k * y, right=k * digits[1], bottom=k * (y + bh)))
                continue
        year = _year_alone(words, read, labels, stats, rest, x, y, bw, bh, t, k)
        if year is not None:
            years.append(year)
            continue
        if bw < 2 * t:
            gap = _gap_beside(words, read, labels, stats, rest, x, y, bw, bh, t, k)
            if gap is not None:
                gaps.append(gap)
            continue
        if not 0.5 * t <= bh <= 3 * t:
            continue
        ids = np.unique(labels[y : y + bh, x : x + bw][rest[y : y + bh, x : x + bw] > 0])
        if len(ids) and np.median(glyphs[ids]) > GLYPH_MAX * t and not (bh <= t and _row_of_glyphs(stats[ids])):
            continue  # strokes too big for the page's letters: a signature, the emblem
        box = Box(left=k * x, top=k * y, right=k * (x + bw), bottom=k * (y + bh))
        # the words it overlaps are read again whole, not cut in two
        for w in words:
            if _overlap(w.box, box) > 0.3 * _area_of(w.box):
                box = Box(left=min(box.left, w.box.left), top=min(box.top, w.box.top),
                          right=max(box.right, w.box.right), bottom=max(box.bottom, w.box.bottom))
        inside = (slice(box.top // k, box.bottom // k), slice(box.left // k, box.right // k))
        if graphic[labels[inside]].sum() > GRAPHIC_SHARE * max(1, np.count_nonzero(ink[inside])):
            continue  # the emblem's fragments, not a line
        out.append(box)
    return Unread(out, max(2, th // 3), numbers, gaps, years)


#: A gap in a read line (`_gap_beside`): at most GAP_GLYPHS letter-sized pieces, GAP_HEIGHT
#: of the page's text height, standing within GAP_REACH of it from a read word of the line.
GAP_GLYPHS = 3
GAP_HEIGHT = (0.3, 1.2)
GAP_REACH = 1.5


def _gap_beside(words: list[_Word], read: list[_Word], labels: np.ndarray, stats: np.ndarray, rest: np.ndarray,
                x: int, y: int, bw: int, bh: int, t: int, k: int) -> Box | None:
    """The box to read a short stretch of unread ink in (at `unread_lines`' scale ``k``:
    x, y, bw, bh, text height t), where it stands in a read line's gap: a glyph or
    three, whole (none cut by a word's margin), beside a read word of the line and under
    no word. The box runs on to that line's next word: a list item's dot is no
    letter-sized piece."""
    if not GAP_HEIGHT[0] * t <= bh <= GAP_HEIGHT[1] * t:
        return None
    ids = _whole_pieces(labels, stats, rest, x, y, bw, bh)
    if ids is None or not 1 <= len(ids) <= GAP_GLYPHS:
        return None
    pad = max(2, t * k // 16)
    box = Box(left=k * x - pad, top=k * y - pad, right=k * (x + bw) + pad, bottom=k * (y + bh) + pad)
    middle = (box.top + box.bottom) / 2
    reach = GAP_REACH * k * t
    line = [w for w in read if w.box.top <= middle <= w.box.bottom]
    after = [w.box.left for w in line if 0 <= w.box.left - box.right <= reach]
    before = [w for w in line if 0 <= box.left - w.box.right <= reach]
    if not after and not before:
        return None
    if any(_overlap(w.box, box) for w in words):
        return None
    right = min(after) - pad if after else box.right + k * t // 2
    taken = [w.box.left for w in words if box.right <= w.box.left < right and w.box.top <= middle <= w.box.bottom]
    return Box(left=max(0, box.left), top=max(0, box.top), right=min([right, *taken]), bottom=box.bottom)


def _whole_pieces(labels: np.ndarray, stats: np.ndarray, rest: np.ndarray,
                  x: int, y: int, bw: int, bh: int) -> np.ndarray | None:
    """The labels of the unread pieces (``rest``) in the stretch x, y, bw, bh at
    `unread_lines`' scale, or None where one of them lies partly within a word's margin:
    that glyph is the word's (its box cut it off)."""
    ids = np.unique(labels[y : y + bh, x : x + bw][rest[y : y + bh, x : x + bw] > 0])
    for i in ids:
        gx, gy, gw, gh, area = (int(v) for v in stats[i])
        if np.count_nonzero(rest[gy : gy + gh, gx : gx + gw][labels[gy : gy + gh, gx : gx + gw] == i]) < area:
            return None
    return ids


#: A date's year wrapped to a line of its own (``… ภายในวันจันทร์ที่ ๑๓ กรกฎาคม`` then
#: ``๒๕๔๑``, `_year_alone`): YEAR_GLYPHS letter-sized pieces (two or four digits, one
#: broken in two; one piece where a fax's digits ran together), the stretch YEAR_HEIGHT
#: of the page's text height tall (a digit has nothing above or below it: about 0.4 of a
#: Thai word's box; too short for a missed line) and YEAR_WIDTH of it wide, no read
#: word on its line within YEAR_CLEAR of it, under a line ending in a month's name or
#: ``พ.ศ.`` (`_line_above`). Of the 42 such years in bench-corpus 0-149, Tesseract's
#: layout dropped two (clean print and all), read one as Latin junk (``Kev`` for ๕๗)
#: and lost a fax's, its digits one piece: deadlines without their year.
YEAR_GLYPHS = (1, 6)
YEAR_HEIGHT = (0.25, 0.8)
YEAR_WIDTH = (0.4, 3)
YEAR_CLEAR = 8
#: The line above a year ends at most YEAR_ABOVE of the digits' height above it.
YEAR_ABOVE = 2.0
YEAR_ERA = frozenset({"พ.ศ.", "ค.ศ."})


def _year_alone(words: list[_Word], read: list[_Word], labels: np.ndarray, stats: np.ndarray, rest: np.ndarray,
                x: int, y: int, bw: int, bh: int, t: int, k: int) -> Box | None:
    """The box of a date's year on a line of its own (`YEAR_GLYPHS`), where the stretch
    of unread ink at `unread_lines`' scale ``k`` (x, y, bw, bh, text height t) is one;
    ``read``: the words of `words` read with confidence (`_read`)."""
    if not (YEAR_HEIGHT[0] * t <= bh <= YEAR_HEIGHT[1] * t and YEAR_WIDTH[0] * t <= bw <= YEAR_WIDTH[1] * t):
        return None
    ids = _whole_pieces(labels, stats, rest, x, y, bw, bh)
    if ids is None or not YEAR_GLYPHS[0] <= len(ids) <= YEAR_GLYPHS[1]:
        return None
    pad = max(2, t * k // 16)
    box = Box(left=max(0, k * x - pad), top=max(0, k * y - pad), right=k * (x + bw) + pad, bottom=k * (y + bh) + pad)
    middle, clear = (box.top + box.bottom) / 2, YEAR_CLEAR * k * t
    if any(w.box.top <= middle <= w.box.bottom and w.box.left < box.right + clear and w.box.right > box.left - clear
           for w in read):
        return None
    return box if _line_above(words, box) is not None else None


def _line_above(words: list[_Word], box: Box) -> tuple[int, int, int] | None:
    """The line just above `box` (a year's, `_year_alone`), where it ends in a month's
    name or an era (``พ.ศ.``): the year is the rest of its date."""
    h = box.bottom - box.top
    near = [w for w in words if box.top - YEAR_ABOVE * h <= w.box.bottom <= box.top + h / 2
            and w.box.right > box.left and w.box.top < box.top]
    if not near:
        return None
    line = _line_key(max(near, key=lambda w: w.box.bottom))
    last = max((w for w in words if _line_key(w) == line), key=lambda w: w.box.right)
    return line if _month_name(last.text) or last.text.strip() in YEAR_ERA else None


#: A missed stretch whose letter-sized pieces are, at the median, taller than this share
#: of the page's median word is no line of its text. Lines missed by the main pass
#: measured 0.32-0.48; the Garuda emblem's fragments and signatures 0.6-1.8. On the
#: second pass's strip (one block of text to Tesseract) a signature or the emblem made
#: Tesseract read nothing else (a page number ``- ๒ -`` came back empty).
GLYPH_MAX = 0.55
#: ... unless its pieces make a row of glyphs (`_row_of_glyphs`): at least ROW_GLYPHS
#: pieces, each ROW_HEIGHTS of their median height, no wider than tall at the median,
#: ROW_ON_BASELINE of them ending within ROW_BASELINE of that height from their median
#: bottom, and the stretch no taller than the page's median word. A memo's date ``10 พ.ย.
#: 55`` (digits and Latin letters stand taller than Thai letters) measured 0.62 and was
#: lost with its letter's date. Of the stretches GLYPH_MAX rejected on bench-corpus
#: 100-149 (96), the emblem's wings came in four pieces and signatures in one to three;
#: every one of eight rows of five pieces or more was text. Rows in large type
#: (``บันทึกข้อความ``) stay out: on the second pass's strip one changed how Tesseract read
#: the other pieces (seed 2028 file 004 lost its number line).
ROW_GLYPHS = 5
ROW_HEIGHTS = (0.5, 1.5)
ROW_ON_BASELINE = 0.8
ROW_BASELINE = 0.2


def _row_of_glyphs(stats: np.ndarray) -> bool:
    """Are these components (rows of ``cv2.connectedComponentsWithStats``'s stats: x, y,
    width, height, area) glyphs of one line of text, not strokes of a drawing?"""
    if len(stats) < ROW_GLYPHS:
        return False
    width, height = stats[:, 2].astype(float), stats[:, 3].astype(float)
    h = float(np.median(height))
    if h <= 0 or not ((height >= ROW_HEIGHTS[0] * h) & (height <= ROW_HEIGHTS[1] * h)).all():
        return False
    if np.median(width / height) > 1.0:
        return False
    bottom = stats[:, 1] + stats[:, 3]
    return float(np.mean(np.abs(bottom - np.median(bottom)) <= ROW_BASELINE * h)) >= ROW_ON_BASELINE


#: A page number (``- ๒ -``) stands centred within this share of the page's width from
#: its middle, in the top PAGE_NUMBER_TOP of the page.
PAGE_NUMBER_CENTRE = 0.06
PAGE_NUMBER_TOP = 0.12


def _page_number(ink: np.ndarray, x: int, y: int, bw: int, bh: int, t: int) -> tuple[int, int] | None:
    """Where (left, right) the digits of a page number (``- ๒ -``) stand, if the narrow
    stretch of ink at (x, y, bw, bh) is one: alone on its line at the top of the page,
    between two dashes. Tesseract's page layout dropped such lines on every following
    page of the scan sets (too small, too far from other text), and with them a digit a
    page. ``ink`` and the box are at the scale `unread_lines` works at.

    The dashes stand beside the stretch, or inside it where they were big enough to
    count as letters (on a last page of three lines the words' median height, which
    decides what a letter is, was a digit's: bench-corpus 076 p2).
    """
    h, w = ink.shape
    if y + bh > PAGE_NUMBER_TOP * h or abs(x + bw / 2 - w / 2) > PAGE_NUMBER_CENTRE * w:
        return None
    band = ink[max(0, y - t // 2) : y + bh + t // 2]
    beside = np.count_nonzero(band[:, : max(0, x - 2 * t)]) + np.count_nonzero(band[:, x + bw + 2 * t :])
    if beside > t * t // 4:  # something else on its line, more than specks
        return None
    flat = max(2, t // 4)

    def dash(piece: np.ndarray) -> bool:  # ink, flat
        return 0 < np.count_nonzero(piece.any(axis=1)) <= flat

    runs = _runs(band[:, x : x + bw].any(axis=0))
    if len(runs) >= 3 and dash(band[:, x + runs[0][0] : x + runs[0][1]]) \
            and dash(band[:, x + runs[-1][0] : x + runs[-1][1]]):
        return x + runs[1][0], x + runs[-2][1]
    if bw < 2 * t and dash(band[:, max(0, x - 2 * t) : x]) and dash(band[:, x + bw : x + bw + 2 * t]):
        return x, x + bw
    return None


def _runs(on: np.ndarray) -> list[tuple[int, int]]:
    """The runs of True in a 1-D array, as (start, end) pairs."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


#: A missed stretch is no line where more than this share of the ink in its box belongs
#: to things bigger than letters. The Garuda emblem's fragments made such stretches
#: (53-77 % of their ink in the emblem's body; lines of text: 0 %), and the emblem on the
#: second pass's strip made Tesseract read none of its other pieces (bench seed 2028,
#: 008 p1: ``ธ.ค.``, ``พ.ค.`` and ``๑๖`` all came back empty).
GRAPHIC_SHARE = 0.1


def _area_of(b: Box) -> int:
    return max(0, b.right - b.left) * max(0, b.bottom - b.top)


def _overlap(a: Box, b: Box) -> int:
    return _area_of(Box(left=max(a.left, b.left), top=max(a.top, b.top), right=min(a.right, b.right),
                        bottom=min(a.bottom, b.bottom))) if a.left < b.right and b.left < a.right and \
        a.top < b.bottom and b.top < a.bottom else 0


def _grow(box: Box, m: int, grey: np.ndarray) -> Box:
    """`box` with `m` more above and below and a little to the sides (where the next
    word may stand: a wider crop read ``๐๓๐๓/`` 's slash again)."""
    h, w = grey.shape
    side = max(2, m // 3)
    return Box(left=max(0, box.left - side), top=max(0, box.top - m), right=min(w, box.right + side),
               bottom=min(h, box.bottom + m))


def _confidence(texts_confs: list[tuple[str, float]]) -> float:
    """Mean confidence per character over words with a letter or digit (0: none)."""
    chars = [(len(t), c) for t, c in texts_confs if any(ch.isalnum() for ch in t)]
    total = sum(n for n, _ in chars)
    return sum(n * c for n, c in chars) / total if total else 0.0


def _take_missed(words: list[_Word], box: Box, rows: list[tesseract.TsvWord], block: int) -> list[_Word]:
    """The re-read of a missed stretch in place of the main pass's words there, when it
    is confident and more confident than they were."""
    inside = [w for w in words if _overlap(w.box, box) > 0.5 * _area_of(w.box)]
    new = _confidence([(r.text, r.conf) for r in rows])
    old = _confidence([(w.text, w.conf) for w in inside])
    log.debug("missed %s: %r (%.0f) -> %r (%.0f)", box, " ".join(w.text for w in inside), old,
              " ".join(r.text for r in rows), new)
    code = any(CODE_SHAPE.search(r.text) for r in rows) and not any(DIGITS.search(w.text) for w in inside)
    if new < (MISSED_CODE_MIN_CONF if code else MISSED_MIN_CONF) or new < old + MISSED_MARGIN:
        return words
    gone = {id(w) for w in inside}
    kept = [w for w in words if id(w) not in gone]
    rows = [r for r in rows if r.conf >= READ_MIN_CONF / 2 or any(ch.isalnum() for ch in r.text)]
    lines: dict[tuple[int, int, int], list[tesseract.TsvWord]] = {}
    for r in rows:
        lines.setdefault((r.block, r.par, r.line), []).append(r)
    alone: list[tesseract.TsvWord] = []
    for part in lines.values():
        # each line read goes into the main pass's line it stands on, if the main pass
        # read the rest of that line (two lines ending alike were re-read together)
        at = box if len(lines) == 1 else Box(
            left=box.left + min(r.left for r in part), top=box.top + min(r.top for r in part),
            right=box.left + max(r.left + r.width for r in part), bottom=box.top + max(r.top + r.height for r in part))
        line = _line_beside(kept, at)
        if line is None:
            alone += part
        else:
            kept = _insert_in_line(kept, line, box, part)
    return _insert_stamp(kept, box, alone, block=block, note="missed line re-read") if alone else kept


def _line_beside(words: list[_Word], box: Box) -> tuple[int, int, int] | None:
    """The main pass's text line that `box` stands on, if any: the line with most words
    overlapping it vertically by more than half, where at least half its words do.

    One word of a line is not enough: Tesseract boxed a memo's handwritten day as
    ``กก`` two lines tall, and the เรื่อง line re-read below went into the ``ที่`` line
    (``ที่ เรื่อง มท 'ขอความร่วมมือ… ๐๘๑๐. ๗ ๗๓๕๖``, bench-corpus 030)."""
    counts: dict[tuple[int, int, int], int] = {}
    sizes: dict[tuple[int, int, int], int] = {}
    for w in words:
        key = _line_key(w)
        sizes[key] = sizes.get(key, 0) + 1
        overlap = min(w.box.bottom, box.bottom) - max(w.box.top, box.top)
        if overlap > 0.5 * min(w.box.bottom - w.box.top, box.bottom - box.top):
            counts[key] = counts.get(key, 0) + 1
    standing = {key: n for key, n in counts.items() if 2 * n >= sizes[key]}
    return max(standing, key=standing.__getitem__) if standing else None


def _insert_in_line(words: list[_Word], line: tuple[int, int, int], box: Box,
                    rows: list[tesseract.TsvWord]) -> list[_Word]:
    """`rows` (read in `box`) put into the main pass's `line`, in left-to-right order."""
    block, par, ln = line
    return _into_line(words, line, [_placed(r, box, block, par, ln, "missed line re-read") for r in rows])


def _into_line(words: list[_Word], line: tuple[int, int, int], new: list[_Word]) -> list[_Word]:
    """`new` words put among the words of `line` (a line of `words`), in left-to-right order."""
    at = [i for i, w in enumerate(words) if _line_key(w) == line]
    members = sorted([words[i] for i in at] + new, key=lambda w: w.box.left)
    return words[: at[0]] + members + words[at[-1] + 1 :]


#: Words a receipt stamp prints itself: the main pass's reading of them inside the frame
#: is dropped like the rest of the stamp.
STAMP_LABELS = frozenset({"เลขรับ", "เลขที่", "วันที่", "เวลา", "รับที่"})


def _letter_keyword(text: str) -> bool:
    """A letter's field keyword (บันทึกข้อความ, เรื่อง, เรียน …) that a stamp happens to
    cover: kept from the main pass (a stamp over a memo's heading lost it in the bench
    corpus, and with it the letter's kind)."""
    from .correct import default_corrector, normalise_sara_am

    word = normalise_sara_am(text.strip(".:|'\"“”"))
    return word in default_corrector().official and word not in STAMP_LABELS


#: A word inside a stamp carries on a letter's line read outside it (`_letter_lines_into`)
#: if it stands at most LINE_GAP of the line's height from the word before it, its middle
#: at most LINE_ALIGN of it from the middle of the line's words outside, and is boxed at
#: least LINE_SHARE and at most 1 / LINE_SHARE as tall as they are.
LINE_GAP = 0.5
LINE_ALIGN = 0.3
LINE_SHARE = 0.5


def _letter_lines_into(words: list[_Word], frame: Box) -> set[int]:
    """The main pass's words inside a stamp (``frame``) that carry on one of the letter's
    lines from outside it, as ids: the letter's own print under a stamp pressed over
    it (a date's year, the end of a subject), read with the line, not the stamp's.

    A word does when it stands on a line the main pass read partly outside the stamp,
    level with the line's words of text outside and as tall (`LINE_ALIGN`,
    `LINE_SHARE`), and no farther from the word before it (after it, going leftwards)
    than a word's space (`LINE_GAP`). The chain starts at a word of text outside: two
    Thai letters or two digits; the specks and pieces of frame read beside a stamp
    (``-``, ``|``, ``วั6``) start none. The stamp's own rows start past its frame and
    pad, farther than a space, or between the letter's lines; its writing beside a memo's
    heading is a third of the heading's height."""
    keep: set[int] = set()
    for line in _lines(words):
        inside = {id(w) for w in line if _centre_inside(w.box, frame)}
        text = [w for w in line if id(w) not in inside and (_consonants(w.text) >= 2 or DIGITS.search(w.text))]
        if not inside or not text:
            continue
        height = median_height(text)
        middle = sorted((w.box.top + w.box.bottom) / 2 for w in text)[len(text) // 2]
        starts = {id(w) for w in text}
        for order, gap in ((line, lambda a, b: b.box.left - a.box.right),
                           (line[::-1], lambda a, b: a.box.left - b.box.right)):
            last = None
            for w in order:
                if id(w) not in inside:
                    last = w if id(w) in starts else None
                elif last is not None and gap(last, w) <= LINE_GAP * height and _level(w, middle, height):
                    keep.add(id(w))
                    last = w
                else:
                    last = None
    return keep


def _level(w: _Word, middle: float, height: int) -> bool:
    """``w`` stands level with a line whose words' middle is ``middle`` and height
    ``height``, and is about as tall (`LINE_ALIGN`, `LINE_SHARE`)."""
    h = w.box.bottom - w.box.top
    return (abs((w.box.top + w.box.bottom) / 2 - middle) <= LINE_ALIGN * height
            and LINE_SHARE * height <= h <= height / LINE_SHARE)


def _centre_inside(box: Box, frame: Box) -> bool:
    x, y = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    return frame.left <= x <= frame.right and frame.top <= y <= frame.bottom


def _placed(r: tesseract.TsvWord, box: Box, block: int, par: int, line: int, note: str) -> _Word:
    """A word read inside `box` (a stamp, a missed stretch), in page coordinates."""
    return _Word(text=r.text, raw=r.text, conf=r.conf, block=block, par=par, line=line,
                 box=Box(left=box.left + r.left, top=box.top + r.top, right=box.left + r.left + r.width,
                         bottom=box.top + r.top + r.height), notes=[note])


STAMP_NOTE = "receipt stamp"


def _insert_stamp(words: list[_Word], box: Box, rows: list[tesseract.TsvWord], block: int,
                  note: str = STAMP_NOTE) -> list[_Word]:
    """The lines read in `box` (a stamp, a missed stretch) as their own block, placed
    where the box's top is in the reading order (before the first line that starts
    below it)."""
    if not rows:
        return words
    keys: dict[tuple[int, int, int], int] = {}
    stamp_words = []
    for r in rows:
        line = keys.setdefault((r.block, r.par, r.line), len(keys))
        stamp_words.append(_placed(r, box, block, 0, line, note))
    at = len(words)
    for i, w in enumerate(words):
        if (w.box.top + w.box.bottom) / 2 >= box.top:
            at = i
            break
    while 0 < at < len(words) and _line_key(words[at - 1]) == _line_key(words[at]):
        at -= 1
    return words[:at] + stamp_words + words[at:]


#: A page number line (``- ๒ -``): short, but text.
PAGE_NUMBER = re.compile(r"^-\s*[0-9\u0e50-\u0e59]{1,3}\s*-$")
#: A mail or web address (a lone ``@`` is a speck, not an address).
MAIL_OR_WEB = re.compile(r"[\w.+-]+@[\w-]+\.|www\.|https?:|\.(?:com|org|net|go\.th|or\.th|ac\.th)\b", re.IGNORECASE)
#: Two digits in a row (either script): a word that counts as read (`_read`).
DIGITS = re.compile(r"[0-9\u0e50-\u0e59]{2}")
#: Runs of digits, and their pieces of one script. Printed and handwritten numbers keep
#: one script; Tesseract and the numeral reader turn the strokes of the Garuda emblem, a
#: signature or stamp ink into runs that change script after a single digit (``๑7``,
#: ``9๑7``, ``๐29``, ``๒๐7๑``). A handwritten serial read half by each engine
#: (``10๔๔``) has two digits in each piece: a number (`_has_number`).
DIGIT_RUN = re.compile(r"[0-9\u0e50-\u0e59]+")
ONE_SCRIPT = re.compile(r"[0-9]+|[\u0e50-\u0e59]+")
MIXED_DIGITS = re.compile(r"[0-9][\u0e50-\u0e59]|[\u0e50-\u0e59][0-9]")
#: A day and a month (``๙ ธ.ค.``, ``๑๒ มกราคม``): a date line, never junk, however its
#: year was read (``วันที่ ๙ ธ.ค. 2๒``).
DAY_AND_MONTH = re.compile(
    r"[0-9\u0e50-\u0e59]\s*(?:[\u0e01-\u0e2e][\u0e34\u0e35]?\s?\.\s?[\u0e01-\u0e2e]\s?\.|"
    + "|".join(thaidate.FULL_MONTH_PATTERNS) + ")")
#: A line with no more Thai consonants than this, no number and no known word is junk.
JUNK_MAX_CONSONANTS = 3
#: ... unless one of its Latin words (three letters or more) is read this confidently.
LATIN_KEEP_CONF = 80.0


def junk_line(line: list[_Word]) -> bool:
    """Is this line what OCR makes of the Garuda emblem, a signature, stamp ink or
    specks (``NEZ``, ``an @ ส ๕``, ``ww``, ``ble``), not text?

    A line of a letter has a number (`_has_number`), a day and a month, a word of the lexicon
    (``ด่วน`` alone on its line is one) or more than three Thai consonants; or it is a
    page number, a web or mail address, or confidently read English.
    """
    from .correct import default_corrector

    text = " ".join(w.text for w in line).strip()
    if not text or PAGE_NUMBER.match(text) or MAIL_OR_WEB.search(text) or DAY_AND_MONTH.search(text):
        return False
    if _has_number(text):
        return False
    if _fragments(line):
        return True
    if not MIXED_DIGITS.search(text) and all(
            re.sub(r"\W", "", w.text).isdigit() for w in line if re.sub(r"\W", "", w.text)):
        return False  # digits alone: a row of a table
    if _consonants(text) > JUNK_MAX_CONSONANTS:
        return False
    lexicon = default_corrector()
    for w in line:
        core = _thai_core(w.text)
        if (len(core) >= 2 and lexicon.knows(core)) or _confident_latin(w):
            return False
    return True


def _has_number(text: str) -> bool:
    """Two digits or more in a row, each piece of one script two digits or more."""
    return any(len(run) >= 2 and all(len(piece) >= 2 for piece in ONE_SCRIPT.findall(run))
               for run in DIGIT_RUN.findall(text))


def _consonants(text: str) -> int:
    return sum(1 for ch in text if "\u0e01" <= ch <= "\u0e2e")


def _thai_core(text: str) -> str:
    """A word's Thai letters and marks alone, ำ written as one character: what the
    lexicon is looked up with."""
    from .correct import normalise_sara_am

    return normalise_sara_am(re.sub(r"[^\u0e01-\u0e4e]", "", text))


def _confident_latin(w: _Word) -> bool:
    return LATIN_WORD.search(w.text) is not None and w.conf >= LATIN_KEEP_CONF


#: A word at a line's end below this confidence, with no digit and at most one Thai
#: consonant, and not a word of the lexicon, is a speck or stroke read as text.
SPECK_MAX_CONF = 60.0
#: Words of one letter, missing from PyThaiNLP's word list: ``ณ ห้องประชุม``, ``ก็``.
ONE_LETTER_WORDS = frozenset({"ณ", "ก็", "ธ"})


def _speck(w: _Word) -> bool:
    from .correct import default_corrector

    if w.conf >= SPECK_MAX_CONF or re.search(r"[0-9\u0e50-\u0e59ๆฯ]", w.text) or MAIL_OR_WEB.search(w.text):
        return False
    if _consonants(w.text) > 1:
        return False
    core = _thai_core(w.text)
    return core not in ONE_LETTER_WORDS and not default_corrector().knows(core) and not _confident_latin(w)


def drop_specks(words: list[_Word]) -> list[_Word]:
    """`words` without the specks (`_speck`) at the start and end of each line
    (``ที่ บร ๐๐๑๘.๑/ว ๒๔๙๖ ฒ์ OT .. ':``: stamp ink and dust beside the number)."""
    out: list[_Word] = []
    for line in _lines(words):
        if PAGE_NUMBER.match(" ".join(w.text for w in line)):
            out += line
            continue
        a, b = 0, len(line)
        while a < b and _speck(line[a]):
            a += 1
        while b > a and _speck(line[b - 1]):
            b -= 1
        out += line[a:b] if a < b else line  # a line of specks alone is `junk_line`'s call
    return out


#: Marks no official letter prints, that Tesseract makes of ruled lines, stamp frames and
#: specks (``|``, ``'``, ``=``, ``—``, ``«``): a word of these, with at most the
#: punctuation letters do print (`_PRINTED_MARKS`: ``=%``, ``<==#/``), is left out
#: (`drop_marks`). No gold word of the scan sets (bench-corpus, samples, the nine seeded
#: sets) is one; about 1 000 OCR words on their cached pages were, and leaving them out took CER
#: from 4.11 to 3.93 %.
STRAY_MARKS = frozenset("|'=—\\!;[]{}~«»‘’¥©°¢€_#")
_PRINTED_MARKS = frozenset("-.:/<>%*+\"“”()&,")


def stray_marks(text: str) -> bool:
    """Is `text` stray marks alone (`STRAY_MARKS`)?"""
    return any(ch in STRAY_MARKS for ch in text) and all(ch in STRAY_MARKS or ch in _PRINTED_MARKS for ch in text)


def drop_marks(words: list[_Word]) -> list[_Word]:
    """`words` without those made of stray marks alone (`stray_marks`)."""
    return [w for w in words if not stray_marks(w.text)]


#: A word this short (characters) lying GHOST_INSIDE of its box within a longer word of
#: its line is a second reading of that word's first glyphs (`drop_ghosts`).
GHOST_MAX_CHARS = 2
GHOST_INSIDE = 0.8


def drop_ghosts(words: list[_Word]) -> list[_Word]:
    """`words` without the short words that stand inside a longer word of their line:
    Tesseract read a word's first glyph a second time as a word of its own (``โครงการ 4
    จึงขอความร่วมมือ``, the ``4`` over the ``จ``; ``มท ท ๐๒๑๘``). All 30 such words on the
    cached bench-corpus 0-149 pages were such doubles or junk."""
    out: list[_Word] = []
    for line in _lines(words):
        for w in line:
            area = max(1, _area_of(w.box))
            if len(w.text) <= GHOST_MAX_CHARS and any(
                    len(o.text) > len(w.text) and _overlap(w.box, o.box) >= GHOST_INSIDE * area for o in line):
                log.debug("a second reading inside a word left out: %r", w.text)
                continue
            out.append(w)
    return out


#: A line whose every word lies inside a word of another line at most this share of
#: that word's height is a second reading of that word's marks (`drop_mark_rows`).
MARK_ROW_HEIGHT = 0.6
#: ... inside that word's box grown by this share of its height on every side (the
#: marks stand over its top: ``a`` 1054-1080 px over ``เพื่อให้การ`` 1061-1129).
MARK_ROW_REACH = 0.25
#: A word the marks are measured against is at most this many times the page's median
#: word height (`median_height` of its words of three characters or more).
MARK_HOST_HEIGHT = 1.6


def drop_mark_rows(words: list[_Word]) -> list[_Word]:
    """`words` without the lines Tesseract made of another line's upper or lower marks:
    it read the marks over ``เด็กแห่งชาติ เพื่อให้การ…`` a second time as a line of their
    own (``๕ a vy ๑7 ๑7 ๕ a ๑7 ๕``, bench-corpus 110), which the month reader then
    took for a date. A receipt stamp's lines, read apart from the page, stay."""
    lines = _lines(words)
    # a word of text, no taller than a line: a signature or the Garuda read as one tall
    # "word" covers the lines beside it
    tallest = MARK_HOST_HEIGHT * median_height([w for w in words if len(w.text) >= 3])
    hosts = [(k, w) for k, line in enumerate(lines) for w in line if w.box.bottom - w.box.top <= tallest]
    out: list[_Word] = []
    for k, line in enumerate(lines):
        others = [w for j, w in hosts if j != k]
        if not any(STAMP_NOTE in w.notes for w in line) and all(_marks_of(w, others) for w in line):
            log.debug("a line of another line's marks left out: %s", " ".join(w.text for w in line))
            continue
        out += line
    return out


def _marks_of(w: _Word, others: list[_Word]) -> bool:
    """Does `w` lie inside a word of `others` at least 1/MARK_ROW_HEIGHT times its height?"""
    height = w.box.bottom - w.box.top
    for o in others:
        tall = o.box.bottom - o.box.top
        reach = MARK_ROW_REACH * tall
        if (height <= MARK_ROW_HEIGHT * tall and o.box.left - reach <= w.box.left and w.box.right <= o.box.right + reach
                and o.box.top - reach <= w.box.top and w.box.bottom <= o.box.bottom + reach):
            return True
    return False


#: A word with a letter or digit less than this share of the page's median word height
#: (words of three characters or more) tall is a dot read as text: a dotted leader's dot
#: or a speck read ``7``, ``1``, ``0`` (1-12 px on 300-dpi pages whose words measured
#: 50-78 px). On the cached bench-corpus 0-149 pages leaving out such words took CER from
#: 4.35 to 4.22 % and left Thai-digit error as it was (4.15 %); at 0.25 real ๐ went too.
TINY_HEIGHT = 0.2
#: A word of two or more letters or digits boxed narrower than this share of the median
#: word height for each of them is a speck read as text (``71`` 8 px wide on a page whose
#: words stand 72 px: in the blank after a circular number's slash, taken as its serial).
#: A printed or written glyph is at least a quarter of the height wide. On the cached
#: pages of the eleven scan sets (bench-corpus 0-149, samples, seeds 2026-2034), the six
#: words with a digit so narrow were all junk (``9๐``, ``07``, ``๒๐``); read again with
#: the rule, seven pages lost a junk word (``arte`` and ``ik`` besides) and none a word
#: of the letters.
NARROW_WIDTH = 0.1
#: The glyphs a word's width is measured for: letters and digits, not marks or vowels.
GLYPH = re.compile(r"[0-9A-Za-z\u0e01-\u0e2e\u0e50-\u0e59]")


def drop_tiny(words: list[_Word]) -> list[_Word]:
    """`words` without the words too small to be text: too short (`TINY_HEIGHT`) or too
    narrow for their glyphs (`NARROW_WIDTH`); a month the month reader saw keeps the box
    of its slot and stays."""
    long = [w for w in words if len(w.text) >= 3]
    if len(long) < 5:
        return words
    height = median_height(long)
    out = []
    for w in words:
        if any(MONTH_NOTE in note for note in w.notes):
            out.append(w)
            continue
        if w.box.bottom - w.box.top < TINY_HEIGHT * height and any(ch.isalnum() for ch in w.text):
            log.debug("a dot read as %r left out", w.text)
            continue
        glyphs = len(GLYPH.findall(w.text))
        if glyphs >= 2 and w.box.right - w.box.left < NARROW_WIDTH * height * glyphs:
            log.debug("a speck read as %r left out", w.text)
            continue
        out.append(w)
    return out


def median_height(words: list[_Word]) -> int:
    """The (upper) median height of the words' boxes: the page's text height that sizes
    are measured against; 0 for no words."""
    heights = sorted(w.box.bottom - w.box.top for w in words)
    return heights[len(heights) // 2] if heights else 0


def _line_key(w: _Word) -> tuple[int, int, int]:
    return w.block, w.par, w.line


def _lines(words: list[_Word]) -> list[list[_Word]]:
    """`words` cut into their text lines (a line's words stand together, in order)."""
    return [list(line) for _, line in itertools.groupby(words, key=_line_key)]


def _paragraphs(words: list[_Word]) -> list[list[_Word]]:
    """`words` cut into runs of one Tesseract block and paragraph, in order."""
    return [list(run) for _, run in itertools.groupby(words, key=lambda w: (w.block, w.par))]


def _fragments(line: list[_Word]) -> bool:
    """Four or more pieces, nearly all of one or two characters, not words of the
    lexicon, and not all digits (``a 7 7 สม ๒ ve a a 1``: a signature read as text; a
    short word of the lexicon turns up in such a line by chance)."""
    from .correct import default_corrector, normalise_sara_am

    lexicon = default_corrector()
    pieces = [normalise_sara_am(re.sub(r"[^\w\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", "", w.text)) for w in line]
    pieces = [p for p in pieces if p]
    if len(pieces) < 4 or all(p.isdigit() for p in pieces):
        return False
    short = sum(1 for p in pieces if len(p) <= 2 and not lexicon.knows(p))
    return short >= 0.75 * len(pieces)


def drop_junk_lines(words: list[_Word]) -> list[_Word]:
    """`words` without the lines `junk_line` rejects. On the scan samples such lines
    made about a quarter of all character errors (CER 11.2 % → 8.3 %), and no line of
    the letters' own text was one."""
    out: list[_Word] = []
    for line in _lines(words):
        if junk_line(line):
            log.debug("junk line left out: %s", " ".join(w.text for w in line))
        else:
            out += line
    return out


def _correct(words: list[_Word]) -> None:
    from .correct import default_corrector

    corrector = default_corrector()
    for w in words:
        w.text = corrector.correct(w.text)
    _restore_thi(words)


#: How Tesseract reads a document number's ``ที่`` (its marks lost, its loops read as
#: Latin): counted before ``มท ๐๓๐๕.๑/`` on bench-corpus, about one in ten of them.
THI_MISREADS = frozenset({"N", "n", "Ni", "N1", "Nl", "fi", "fl", "Tl", "Wi", "i", "1", "11",
                          "ท", "ที", "ทื", "ท่", "ทิ"})
#: An agency's two letters, then its unit code (``มท ๐๓๐๕.๑/``, ``ศธ 0210.03/``).
CODE_START = re.compile(r"^[0-9๐-๙]{2,5}[./]")


def _restore_thi(words: list[_Word]) -> None:
    """A misread ``ที่`` before an agency's letters and a unit code (``ด่วน N สน
    ๐๐๒๓.๓/ว ๔๘๙๕``) is ``ที่``: nothing else stands there in an official letter. Between
    them, an agency code with a letter read twice (``ที่ ภภก ๐๐๓๒/ว``) is read once."""
    from ..lexicon import agency_codes

    for i in range(len(words) - 2):
        w, agency, code = words[i], words[i + 1], words[i + 2]
        if not (CODE_START.match(code.text) and _line_key(w) == _line_key(agency) == _line_key(code)):
            continue
        if w.text in THI_MISREADS and agency.text in agency_codes():
            w.notes.append(f"{w.text!r} before a document number read as ที่")
            w.text = "ที่"
        if w.text in THI_MISREADS or w.text == "ที่":
            single = _agency_read_once(agency.text)
            if single is not None:
                agency.notes.append(f"{agency.text!r} (a letter read twice) read as {single}")
                agency.text = single


def _agency_read_once(text: str) -> str | None:
    """The agency code `text` is with a letter Tesseract read twice put once (``ภภก`` →
    ``ภก``), if `text` is no agency code and exactly one such code comes of it."""
    from ..lexicon import agency_codes

    codes = agency_codes()
    if text in codes or not AGENCY_CODE.match(text):
        return None
    once = {text[:i] + text[i + 1:] for i in range(1, len(text)) if text[i] == text[i - 1]} & codes
    return once.pop() if len(once) == 1 else None


def _words_from_tsv(rows: list[tesseract.TsvWord]) -> list[_Word]:
    return [
        _Word(
            text=r.text, raw=r.text, conf=r.conf, block=r.block, par=r.par, line=r.line,
            box=Box(left=r.left, top=r.top, right=r.left + r.width, bottom=r.top + r.height),
        )
        for r in rows
    ]


#: Blocks numbered from here on were placed by the second pass (stamps, missed lines,
#: page numbers), not found by Tesseract's page layout.
PLACED_BLOCKS = 10_000
#: `join_columns` looks this many paragraphs back for the one a column stands beside.
JOIN_BACK = 3
#: A line of a column beside a paragraph belongs to the paragraph's line it overlaps
#: by this share of the shorter one's height.
ROW_OVERLAP = 0.5
#: ... and neither is more than this many times as tall as the other: Tesseract made one
#: "line" of two rows of a fax form's header (``ซม`` over ``ที่``, 132 px), and the
#: number beside its upper row (54 px) is no column of it (bench-corpus 099).
ROW_HEIGHTS_APART = 2.0


def join_columns(words: list[_Word]) -> list[_Word]:
    """A paragraph whose every line stands to the right of a line of the paragraph
    before it, one for one, joined to those lines: the quantities of an enclosure list
    (``๒. กำหนดการประชุม`` … ``จำนวน ๒ แผ่น``), tab-set as a column, which Tesseract
    made a block of their own and wrote after the whole list. On bench-corpus 0-149 (26
    paragraphs joined) CER fell from 4.35 to 4.25 %.

    The paragraph it stands beside may come up to JOIN_BACK paragraphs before it: a
    line's last word set apart (the year of an อ้างถึง line, bench-corpus 057) made a
    block of its own between the enclosure list and its column of quantities."""
    out: list[list[_Word]] = []
    for run in _paragraphs(words):
        if run[0].block < PLACED_BLOCKS and _join_back(out, run):
            continue
        out.append(run)
    return [w for run in out for w in run]


def _join_back(out: list[list[_Word]], run: list[_Word]) -> bool:
    """Join ``run`` to the nearest of the last JOIN_BACK paragraphs of ``out`` it is a
    column beside; False where it is beside none."""
    for back in range(len(out) - 1, max(-1, len(out) - 1 - JOIN_BACK), -1):
        if out[back][0].block >= PLACED_BLOCKS:
            continue
        joined = _join_beside(out[back], run)
        if joined is not None:
            out[back] = joined
            return True
    return False


def _join_beside(left: list[_Word], right: list[_Word]) -> list[_Word] | None:
    """``left``'s lines with ``right``'s lines put at their ends, or None where
    ``right`` is no column beside ``left`` (`join_columns`)."""
    lines = _lines(left)
    edge = min(w.box.left for w in right)
    # (top, bottom) of each of left's lines that ends before right begins
    spans = {i: (min(w.box.top for w in line), max(w.box.bottom for w in line))
             for i, line in enumerate(lines) if max(w.box.right for w in line) < edge}
    used: dict[int, list[_Word]] = {}
    for piece in _lines(right):
        top, bottom = min(w.box.top for w in piece), max(w.box.bottom for w in piece)
        match = None
        for i, (line_top, line_bottom) in spans.items():
            overlap = min(bottom, line_bottom) - max(top, line_top)
            low, high = sorted((bottom - top, line_bottom - line_top))
            if overlap >= ROW_OVERLAP * low and high <= ROW_HEIGHTS_APART * low:
                match = i
        if match is None or match in used:
            return None
        used[match] = piece
    out: list[_Word] = []
    for i, line in enumerate(lines):
        out += line
        key = _line_key(line[0])
        for w in used.get(i, []):
            w.notes.append("a column beside its paragraph, joined to its line")
            w.block, w.par, w.line = key
            out.append(w)
    return out


def reading_order(words: list[_Word]) -> list[_Word]:
    """The page's paragraphs from top to bottom where Tesseract put one before another
    that stands wholly above it.

    Tesseract orders the blocks of a letter's foot by column: the owner unit and its
    phone (bottom left) came before the signature above them (right), and a block
    under the body could come before it. Each paragraph (a run of words of one
    Tesseract block and paragraph) goes, in Tesseract's order, before the first
    paragraph already placed that lies wholly below it, else last: side-by-side
    paragraphs (the number and the address beside it) keep Tesseract's order. On the
    seed-2028 scan set CER fell from 6.0 to 5.0 % and Thai-digit error from 6.8 to
    5.6 % (`python -m pipeline.evaluation --suite scans`): a digit read right but out of
    place does not count as read.
    """
    placed: list[tuple[int, int, list[_Word]]] = []  # (top, bottom, words)
    for run in _paragraphs(words):
        top, bottom = min(w.box.top for w in run), max(w.box.bottom for w in run)
        at = next((i for i, (other_top, _, _) in enumerate(placed) if other_top >= bottom), len(placed))
        placed.insert(at, (top, bottom, run))
    return [w for _, _, run in placed for w in run]


def assemble(words: list[_Word], page: int, prep: preprocess.Prepared, warnings: list[str]) -> PageText:
    """Words → PageText: one line of text per Tesseract line, blank line between paragraphs."""
    parts: list[str] = []
    out: list[Word] = []
    pos = 0
    prev: tuple[int, int, int] | None = None
    line_no = -1
    for w in words:
        here = _line_key(w)
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


@dataclass(frozen=True)
class _Stamps:
    """The receipt stamps of a page: their insides (``boxes``), the page image their
    words are read from (``page``: the stamps cleaned; elsewhere the letter), and which
    were told from the letter by colour (``coloured``)."""

    boxes: tuple[Box, ...] = ()
    page: np.ndarray | None = None
    coloured: tuple[bool, ...] = ()


#: Share of the ink inside a stamp that must be coloured (`preprocess.chroma`) for the
#: stamp to be read apart from the letter by colour. Stamps on the colour scans of bench
#: files 0-69 measured 0.37-1.0, 0.18 for one faded by heavy damage (read as before), 0.0
#: on pages whose colour was lost.
COLOUR_STAMP = 0.3
#: Ink whose chroma is under SURE_COLOUR and that is darker than BLACK_UNDER times the
#: median grey of the stamp's surely coloured ink is black print (red stamp ink measured
#: 90-100, black print 20-40 with chroma up to 40 where JPEG bled red into it).
SURE_COLOUR = 60
BLACK_UNDER = 0.6


def _ink(grey: np.ndarray) -> np.ndarray:
    """Pixels well darker than the paper (the 90th percentile of ``grey``)."""
    return grey < float(np.percentile(grey, 90)) - 50


def colour_split(grey: np.ndarray, chroma: np.ndarray | None, share: float = COLOUR_STAMP) -> np.ndarray | None:
    """Where, inside a stamp (``grey``, with ``chroma`` of the same pixels), the ink is
    coloured: a mask, or None when under ``share`` of the ink is (no chroma: a grey scan)."""
    if chroma is None or grey.size == 0 or chroma.shape != grey.shape:
        return None
    ink = _ink(grey)
    if ink.sum() < 50:
        return None
    coloured = ink & (chroma >= preprocess.COLOUR_MIN)
    # black print stays black where JPEG bled a stamp's colour into it (chroma up to 40
    # in bench-corpus 055): faintly tinted ink far darker than the stamp's own is print;
    # strongly coloured ink is the stamp's however dark (a blue pen's writing)
    stamp_grey = _stamp_ink_grey(grey, ink, chroma)
    if stamp_grey is not None:
        coloured &= (chroma >= SURE_COLOUR) | (grey >= BLACK_UNDER * stamp_grey)
    if coloured.sum() < max(1, share * ink.sum()):
        return None
    return coloured


def _stamp_ink_grey(grey: np.ndarray, ink: np.ndarray, chroma: np.ndarray) -> float | None:
    """The median grey of a stamp's surely coloured ink (`SURE_COLOUR`) among ``ink``
    (`_ink` of ``grey``), or None where too little of it is seen."""
    sure = ink & (chroma >= SURE_COLOUR)
    return float(np.median(grey[sure])) if sure.sum() >= 20 else None


def _clean_stamps(cleaned: np.ndarray, prep: preprocess.Prepared, stamps: tuple[Box, ...]) -> tuple[np.ndarray, _Stamps]:
    """The page for the main pass, and the stamps.

    Each stamp's inside is cleaned by `preprocess.clean_stamp` from the page before its
    rules were painted out (``prep.grey``): the page-wide removal leaves pieces of a
    tilted stamp's rows cutting through its writing. Every later step (both Tesseract
    passes, the numeral reader's crops of the stamp's words) sees the same levelled
    stamp, so word boxes and pixels agree.

    A stamp in coloured ink on a colour scan is taken apart from the letter's black print
    under it (stamped over the address, the date or the subject: bench-corpus 029 and
    062 lost their dates): the main pass reads the page with the coloured ink painted
    out, the stamp is read from its coloured ink alone.
    """
    if not stamps:
        return cleaned, _Stamps()
    page, stamp_page, coloured = cleaned.copy(), cleaned.copy(), []
    three = np.ones((3, 3), np.uint8)
    for b in stamps:
        inside = (slice(b.top, b.bottom), slice(b.left, b.right))
        before = prep.grey[inside]
        chroma = prep.chroma_in(b)
        split = colour_split(before, chroma)
        if split is None:
            page[inside] = stamp_page[inside] = preprocess.clean_stamp(before)
            coloured.append(False)
            continue
        black = _ink(before) & ~split
        # the coloured strokes with their paler rims, never a black stroke they cross,
        # out to the frame and a little past it (the frame's ends and corners that
        # `preprocess.remove_rules` left: read as | among the letter's words)
        m = max(12, (b.bottom - b.top) // 6)
        around = Box(left=max(0, b.left - m), top=max(0, b.top - m), right=min(page.shape[1], b.right + m),
                     bottom=min(page.shape[0], b.bottom + m))
        near = (slice(around.top, around.bottom), slice(around.left, around.right))
        grey_near, chroma_near = prep.grey[near], prep.chroma_in(around)
        ring = colour_split(grey_near, chroma_near, share=0.0)
        if ring is not None:
            ink_near = _ink(grey_near)
            ring_black = ink_near & ~ring
            letter = page[near]
            # black print the page-wide rule removal painted out with the stamp's coloured
            # rules comes back: a frame crossing a year took the tops of its digits (๒๕๕๕
            # read ๒๔๔๔: bench-corpus 087). Only ink far darker than the stamp's: the
            # stamp's thin rows lose their colour to JPEG and would come back too (seed
            # 2033's 021 then lost the line beside the stamp)
            stamp_grey = _stamp_ink_grey(grey_near, ink_near, chroma_near)
            if stamp_grey is not None:
                under = ring_black & (grey_near < BLACK_UNDER * stamp_grey)
                letter[under] = grey_near[under]
            letter[(cv2.dilate(ring.astype(np.uint8), three) > 0) & ~ring_black] = 255
        stamp = before.copy()
        stamp[(cv2.dilate(black.astype(np.uint8), three) > 0) & ~split] = 255
        stamp_page[inside] = preprocess.clean_stamp(stamp)
        coloured.append(True)
    return page, _Stamps(boxes=stamps, page=stamp_page, coloured=tuple(coloured))


# --------------------------------------------------------------------------- lost pages

#: A page is lost when the words its main pass read at GOOD_CONF or more cover less than
#: LOST_COVER of its ink (`ink_covered`). On the 373 pages of seed 2029 and bench-corpus
#: 0-149, the three lost pages (CER 79-99 %: print worn thin and broken, or grain all over
#: the paper) measured 0.02-0.19, a page read at CER 29 % 0.18; every other page 0.30 or
#: more (the lowest: last pages of a signature and a line or two), the median 0.81.
LOST_COVER = 0.25
GOOD_CONF = 60.0
#: A page with less ink than this share of its pixels is blank: nothing to read again.
MIN_INK = 0.002
#: A page read again replaces the first reading only with more than RESCUE_GAIN times its
#: characters in words read at `GOOD_CONF` (on the lost pages: 6-119 first, 750-800 again).
RESCUE_GAIN = 2.0


def good_chars(rows: list[tesseract.TsvWord]) -> int:
    """Characters in the words Tesseract read at `GOOD_CONF` or more."""
    return sum(len(r.text.strip()) for r in rows if r.conf >= GOOD_CONF)


def ink_covered(grey: np.ndarray, rows: list[tesseract.TsvWord]) -> float | None:
    """The share of the page's ink (`preprocess.ink_mask`) inside the boxes of words read
    at `GOOD_CONF` or more; None for a blank page (`MIN_INK`)."""
    ink = preprocess.ink_mask(np.ascontiguousarray(grey[::2, ::2]))  # every other pixel: a quarter of the time
    total = int(ink.sum())
    if total < MIN_INK * ink.size:
        return None
    covered = np.zeros(ink.shape, bool)
    for r in rows:
        if r.conf >= GOOD_CONF and r.text.strip():
            covered[r.top // 2 : (r.top + r.height + 1) // 2, r.left // 2 : (r.left + r.width + 1) // 2] = True
    return float((ink & covered).sum()) / total


def _read_lost_page(grey: np.ndarray, rows: list[tesseract.TsvWord], dpi: tuple, options: OCROptions,
                    warnings: list[str]) -> tuple[np.ndarray, list[tesseract.TsvWord]]:
    """The page and its main-pass words; for a lost page (`LOST_COVER`), read again with
    its strokes thickened (`preprocess.thicken`) and despeckled (`preprocess.despeckle`),
    the reading with the most characters in sure words, if it has more than `RESCUE_GAIN`
    times the first's. The later passes then crop from the page that reading was made
    of, so that word boxes and pixels agree.

    Bare Tesseract read a page of worn, broken print (bench-corpus 034 p1) at CER 74 %,
    28 % thickened; grain all over the paper (seed 2030's 004 p2) at 100 %, 6.5 %
    despeckled.
    """
    cover = ink_covered(grey, rows)
    if cover is None or cover >= LOST_COVER:
        return grey, rows
    first = good_chars(rows)
    best, best_rows, best_score, how = grey, rows, RESCUE_GAIN * first, None
    for name, remake in (("its strokes thickened", preprocess.thicken), ("its specks removed", preprocess.despeckle)):
        again = remake(grey)
        image = Image.fromarray(again)
        image.info["dpi"] = dpi
        try:
            read = tesseract.image_to_words(image, lang=options.lang, psm=options.psm, timeout=options.timeout)
        except (OCRError, PageTimeout) as e:  # the first reading still stands
            log.warning("lost page read again %s failed: %s", name, e)
            continue
        score = good_chars(read)
        log.debug("lost page (%.0f %% of its ink read): %d characters, %s %d", 100 * cover, first, name, score)
        if score > best_score:
            best, best_rows, best_score, how = again, read, score, name
    if how is not None:
        warnings.append(f"page read again with {how}: the first reading covered {cover:.0%} of its ink")
    return best, best_rows


def load_models() -> None:
    """Load now what `ocr_image` loads on first use (the numeral and month models, the
    lexicon index), so that the first page does not pay for it (worker warm-up, timing)."""
    from . import months, numerals
    from .correct import default_corrector

    numerals.default_model()
    numerals.hand_model()
    months.default_model()
    default_corrector()


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
    grey = prep.grey
    stamps = _Stamps()
    if options.rules:
        rules = preprocess.find_rules(grey)
        grey, stamps = _clean_stamps(preprocess.remove_rules(grey, rules), prep, rules.stamps)
    page_image = Image.fromarray(grey)
    page_image.info["dpi"] = prep.image.info.get("dpi", (300, 300))
    rows = tesseract.image_to_words(page_image, lang=options.lang, psm=options.psm, timeout=options.timeout)
    if options.lost_pages:
        grey, rows = _read_lost_page(grey, rows, page_image.info["dpi"], options, warnings)
    words = _words_from_tsv(rows)
    if options.second_pass:
        words = _second_pass(grey, words, stamps, timeout=options.timeout)
    # the text height the readers' size limits were set against: Tesseract's words as
    # read, before lines of marks are left out (without them the median rose, and a
    # number's ``“ods``, a date's ``AMAN`` fell under the limits: seeds 2026, 2027)
    height = median_height(words)
    if options.drop_junk:
        words = drop_mark_rows(words)
    if options.numerals:
        _reread_numerals(grey, words, stamps.page, text_height=height)
        words = _read_serials(grey, words, stamps.page)
        words = _read_split_serials(grey, words)
        words = _read_months(grey, words, stamps.page, text_height=height)
    if options.correct:
        _correct(words)
    if options.drop_junk:
        words = drop_specks(drop_junk_lines(drop_ghosts(drop_tiny(drop_marks(words)))))
    return assemble(reading_order(join_columns(words)), page, prep, warnings)


def ocr_image_plain(image: Image.Image, page: int = 1, lang: str = "tha+eng", psm: int = 3,
                    timeout: float = 180.0) -> PageText:
    """Bare Tesseract, nothing of ours: the baseline, the ``tesseract`` binary started
    for the page as a user runs it."""
    prep = preprocess.unprepared(image)
    rows = tesseract.image_to_words(prep.image, lang=lang, psm=psm, timeout=timeout, binary=True)
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
