"""The month reader: names the month that stands between a date's day and its year.

Tesseract reads a date's month badly where it is abbreviated (``๒๘ ฮ.ค. ๒๕๖๖`` for
ธ.ค., ``๑๓ กม. ๔๘`` for ก.พ., ``๒๘ T.AL ๖๖`` for ก.ค., ``๑๒ พ.ศ. ๕๓`` for พ.ค.), and the
letter's date is lost with it. Where a line holds a day (one or two digits) and a year
(two or four) with one to three words between them that are not a month's name, the
ink between the two numbers is cut out (`slot_box`) and a small classifier, trained by
``python -m models.months`` on such slots rendered in many fonts with scan damage,
says which of the 12 abbreviations or 12 full names it is, or that it is something
else. Its answer replaces the words between only at probability `MIN_PROB` or more.

The numeral reader's layers (`numerals.NumeralModel`) over a slot fitted to `WIDTH`,
then one dense layer to the 25 classes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..thaidate import MONTHS_ABBR, MONTHS_FULL, to_arabic_digits
from ..types import Box
from . import numerals

#: The classes: 12 abbreviations, 12 full names, and "" for anything else.
CLASSES: tuple[str, ...] = MONTHS_ABBR + MONTHS_FULL + ("",)
OTHER = len(CLASSES) - 1
MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "months.npz"
#: Lowest probability that replaces Tesseract's words (`models/README.md`: false months
#: on other slots against months refused, per threshold).
MIN_PROB = 0.9

_DIGIT = "0-9\u0e50-\u0e59"
THAI_ARABIC = numerals.THAI + numerals.ARABIC
DAY = re.compile(rf"^[\"'(]?([{_DIGIT}]{{1,2}})[.,]?$")
YEAR = re.compile(rf"^((?:[{_DIGIT}]{{2}}){{1,2}})[.,)]?$")
#: A number between a day and a year (``๑ และ ๒๕ ถึง ๓๐``): no month's slot. Dotted
#: digits are not one: Tesseract reads ``ก.ค.`` as ``1.9.``, and ``ธ.ค.`` as ``3.71.``
#: (a dotted word alone between a line's day and year).
NUMBER = re.compile(rf"[{_DIGIT}]{{2}}")
#: Words between a day and a year: at most this many, and this many characters.
MAX_WORDS = 3
MAX_CHARS = 12


#: How far a slot read again over its words alone (`read_between`) reaches past them,
#: in the slot's height.
TIGHT_PAD = 0.1

#: Width of a prepared slot: scaled to `numerals.HEIGHT`, a narrower slot is centred,
#: a wider one squeezed. The network looks at the whole slot at once.
WIDTH = 128


class MonthModel(numerals.NumeralModel):
    """The trained classifier (weights in `MODEL_PATH`): the numeral reader's layers up
    to its 1-D convolutions (the last without a class layer), then one dense layer over
    all `WIDTH` / 4 frames."""

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities for one prepared slot (`prepare`)."""
        features = np.maximum(self.scores(x), 0).reshape(-1)
        z = self.w["fc.w"] @ features + self.w["fc.b"]
        z = np.exp(z - z.max())
        return z / z.sum()

    def classify(self, x: np.ndarray) -> tuple[int, float]:
        """The likeliest class and its probability."""
        p = self.probabilities(x)
        k = int(p.argmax())
        return k, float(p[k])


@functools.lru_cache(maxsize=1)
def default_model() -> MonthModel | None:
    """The shipped model, or None where it was not built (the pass is then skipped)."""
    return MonthModel.load(MODEL_PATH) if MODEL_PATH.is_file() else None


def prepare(crop: np.ndarray) -> np.ndarray:
    """A grey slot (uint8, ink dark) as the network takes it: the numeral reader's
    scaling (height `numerals.HEIGHT`, ink = 1), then `WIDTH` wide."""
    import cv2

    img = numerals.prepare(crop)
    if img.shape[1] > WIDTH:
        return cv2.resize(img, (WIDTH, img.shape[0]), interpolation=cv2.INTER_AREA)
    out = np.zeros((img.shape[0], WIDTH), np.float32)
    x = (WIDTH - img.shape[1]) // 2
    out[:, x : x + img.shape[1]] = img
    return out


def day_of(text: str) -> int | None:
    m = DAY.match(text.strip())
    if not m:
        return None
    n = int(to_arabic_digits(m.group(1)))
    return n if 1 <= n <= 31 else None


def is_year(text: str) -> bool:
    return YEAR.match(text.strip()) is not None


@dataclass(frozen=True)
class Slot:
    """Words ``first..last`` (inclusive) of a line stand between a day and a year."""

    first: int
    last: int
    box: Box


def union(boxes: Sequence[Box]) -> Box:
    """The smallest box around `boxes`."""
    return Box(left=min(b.left for b in boxes), top=min(b.top for b in boxes),
               right=max(b.right for b in boxes), bottom=max(b.bottom for b in boxes))


def slot_box(day: Box, between: Sequence[Box], year: Box) -> Box:
    """The ink between a day's box and a year's, as high as the three together."""
    around = union([day, *between, year])
    return Box(left=day.right, top=around.top, right=max(day.right, year.left), bottom=around.bottom)


def find_slots(texts: Sequence[str], boxes: Sequence[Box], known_month) -> list[Slot]:
    """Slots in one line of words (`texts`, `boxes` in reading order): a day, one to
    `MAX_WORDS` words that are not a month (``known_month(text)`` is False) and
    hold no number of two digits, then a year, all left to right."""
    out: list[Slot] = []
    i = 0
    while i < len(texts):
        if day_of(texts[i]) is None:
            i += 1
            continue
        for j in range(i + 2, min(len(texts), i + MAX_WORDS + 2)):
            if not is_year(texts[j]):
                continue
            between = texts[i + 1 : j]
            joined = "".join(between)
            # a date line's month read as dotted digits (``๒๘ 3.71. ๒๕๕๐`` for ธ.ค.): a
            # number with a dot between a day and a year alone on their line is no number
            dotted = i == 0 and j == len(texts) - 1 and len(between) == 1 and "." in joined
            # a month's name among the words: the date is there already, and its day is
            # the word before it (``ที่ … ๑๙ JUN ๙ ก.ค. ๖๕``: ๑๙ is the serial)
            if (len(joined) > MAX_CHARS or (NUMBER.search(joined) and not dotted) or known_month(" ".join(between))
                    or any(known_month(t) for t in between)
                    or not all(boxes[k].left < boxes[k + 1].left for k in range(i, j))):
                break
            box = slot_box(boxes[i], boxes[i + 1 : j], boxes[j])
            if box.right - box.left >= 4:
                out.append(Slot(i + 1, j - 1, box))
                i = j
            break
        i += 1
    return out


def read_slot(grey: np.ndarray, box: Box, model: MonthModel) -> tuple[str, float] | None:
    """The month in a slot of ``grey`` and its probability; None for "something else"."""
    h, w = grey.shape
    crop = grey[max(0, box.top) : min(h, box.bottom), max(0, box.left) : min(w, box.right)]
    if crop.size == 0 or min(crop.shape) < 4:
        return None
    k, p = model.classify(prepare(crop))
    return (CLASSES[k], p) if k != OTHER else None


def read_between(grey: np.ndarray, slot: Box, between: Box, model: MonthModel) -> tuple[str, float] | None:
    """`read_slot` over `slot`; where the reader is not sure there (ink of the day's or
    the year's digits in the slot: ``๒๗ จิ.ค. ๒๕๔๖``, the ๗'s tail past its box), once
    more over the words `between` the day and the year, a little wider, within the slot.
    The surer of the two readings."""
    read = read_slot(grey, slot, model)
    if read is not None and read[1] >= MIN_PROB:
        return read
    pad = round(TIGHT_PAD * (slot.bottom - slot.top))
    tight = Box(left=max(slot.left, between.left - pad), top=slot.top, right=min(slot.right, between.right + pad),
                bottom=slot.bottom)
    if (tight.left, tight.right) == (slot.left, slot.right) or tight.right - tight.left < 4:
        return read
    again = read_slot(grey, tight, model)
    return again if again is not None and (read is None or again[1] > read[1]) else read


# --------------------------------------------------------------------------- a date in one word

#: A day glued to the month after it, and perhaps the year too (``28.ุย..๖๓``,
#: ``๑๔ฮ่ม..45``, ``4.u..``): Tesseract saw no space in the date.
MERGED = re.compile(rf"^([{_DIGIT}]{{1,2}})([^{_DIGIT}\s]{{1,{MAX_CHARS}}}?)((?:[{_DIGIT}]{{2}}){{1,2}})?([.,]?)$")
#: A month glued to its year, the day a word before (``๒๒ พุ้ย.ใ.๒๕๖๗``, ``๓ ต.คุ๊ว.๖๒``).
MONTH_YEAR = re.compile(rf"^([^{_DIGIT}\s]{{1,{MAX_CHARS}}}?)((?:[{_DIGIT}]{{2}}){{1,2}})([.,]?)$")
#: Where digits stand in a word's crop: rows in this share of its height (below: a
#: memo's dotted line; above: marks).
BAND = (0.15, 0.8)


@dataclass(frozen=True)
class Merged:
    """A word holding a day, a month's slot and perhaps the year, cut where its ink shows."""

    day: str
    year: str  # "" where the year is the next word
    end: str  # punctuation after the year
    day_right: int  # page x where the day's ink ends
    year_left: int  # page x where the year's ink starts (the word's right edge without a year)


def _widest_gap(ink: np.ndarray, lo: float, hi: float) -> tuple[int, int] | None:
    """The longest run of ink-free columns in ``[lo, hi)``: (start, end)."""
    best, start = None, None
    stop = min(len(ink), int(hi) + 1)
    for x in range(max(0, int(lo)), stop + 1):
        blank = x < stop and not ink[x]
        if blank and start is None:
            start = x
        elif not blank and start is not None:
            if best is None or x - start > best[1] - best[0]:
                best = (start, x)
            start = None
    return best


def split_merged(text: str, grey: np.ndarray, box: Box, reading: numerals.Reading,
                 min_conf: float | None = None) -> Merged | None:
    """Where the day ends and the year starts in a word like ``28.ุย..๖๓`` (or a month
    and its year, ``พุ้ย.ใ.๒๕๖๗``: `MONTH_YEAR`, ``day`` then "" and ``day_right`` the
    word's left edge), from the numeral reader's reading of the word (its digits'
    frames) and the blank columns between them; None where the reading does not show
    as many digits in the day and year. The day and year are Tesseract's, or the
    reader's digits where its reading is at least ``min_conf`` sure (``๑๕กุมภาพันธ์``
    read ``๑๘¤``: Tesseract has no ๘)."""
    if not reading.peaks:
        return None
    m = MERGED.match(text)
    if m is not None and day_of(m.group(1)) is not None:
        day, year, end = m.group(1), m.group(3) or "", m.group(4)
    elif (m := MONTH_YEAR.match(text)) is not None and any(ch.isalpha() for ch in m.group(1)):
        day, year, end = "", m.group(2), m.group(3)  # the month and its year: the day cut off
    else:
        return None
    r = reading.text
    lead = len(r) - len(r.lstrip(THAI_ARABIC))
    body = r.rstrip(".,") if year else r
    first_year = len(body.rstrip(THAI_ARABIC)) if year else len(r)
    if lead != len(day) or (year and len(body) - first_year != len(year)) or lead >= first_year:
        return None
    crop = grey[box.top : box.bottom, box.left : box.right]
    if crop.size == 0:
        return None
    h = crop.shape[0]
    band = crop[int(BAND[0] * h) : max(int(BAND[0] * h) + 1, int(BAND[1] * h))]
    lo, hi = int(band.min()), int(band.max())
    if hi - lo < 40:
        return None
    ink = (band < (lo + hi) / 2).any(axis=0)
    xs = [numerals.frame_x(p, crop.shape[1], reading.frames) for p in reading.peaks]
    day_right = 0
    if day:
        gap = _widest_gap(ink, xs[lead - 1], xs[lead])
        day_right = gap[0] + (gap[1] - gap[0]) // 3 if gap else int((xs[lead - 1] + xs[lead]) / 2)
    year_left = crop.shape[1]
    if year:
        gap = _widest_gap(ink, xs[first_year - 1], xs[first_year])
        year_left = gap[1] - (gap[1] - gap[0]) // 3 if gap else int((xs[first_year - 1] + xs[first_year]) / 2)
    if year_left - day_right < 4:
        return None
    if min_conf is not None and reading.conf >= min_conf:
        day = numerals.merge_number(day, r[:lead]) if day else day
        year = numerals.merge_number(year, body[first_year:]) if year else year
    return Merged(day, year, end, box.left + day_right, box.left + year_left)

