r"""Thai official dates and times: find, parse, format.

No library reads the dates of Thai government letters reliably (dateparser keeps
Buddhist-Era years and reads "น." as minutes; PyThaiNLP's ``thai_strptime`` maps
months 10-12 to January and fails on Thai digits), so this module does it itself,
in pure Python, with every regex compiled once at import.

Public API
----------
``find_dates(text, *, default_year=None, numeric=False, include_invalid=False) -> list[DateMatch]``
    Every date written with a month name or abbreviation, in order, non-overlapping,
    including ranges (``๑ มกราคม - ๒๘ กุมภาพันธ์ ๒๕๖๕``, ``๒๗-๒๙ มี.ค. ๖๗``).
    ``numeric=True`` also returns slash/dash dates (``27/12/2564``), which are off
    by default because they collide with document numbers such as ``1139/66``.
``find_numeric_dates(text, *, default_year=None, include_invalid=False) -> list[DateMatch]``
    Only the numeric forms ``27/12/2564``, ``๒๗/๑๒/๖๔``, ``27-12-2564``.
``parse_date(text, *, default_year=None, numeric=False) -> datetime.date | None``
    The first date of the text that resolves to a calendar date.
``find_times(text) -> list[TimeMatch]`` / ``parse_time(text) -> str | None`` ("HH:MM")
``find_fiscal_years(text) -> list[FiscalYearMatch]`` / ``fiscal_year(year) -> (date, date)``
``format_thai_date(d, *, month="full", digits="thai", year="be4", weekday=False, era=False) -> str``
``be_to_ce(year)``, ``ce_to_be(year)``, ``to_arabic_digits(s)``, ``to_thai_digits(s)``

Decisions (each one is tested in ``tests/test_thaidate.py``)
------------------------------------------------------------
* Spans never include the lead-in words: ``DateMatch.text`` is ``๒๔ พฤศจิกายน ๒๕๖๓``,
  and ``prefix`` / ``prefix_start`` hold ``ลงวันที่`` (or ``ภายในวันจันทร์ที่`` …) so a
  caller can tell a deadline (ภายใน, ก่อน, ไม่เกิน) from a meeting (เมื่อ, ใน).
* Years: a ``พ.ศ.`` year is Buddhist Era, a ``ค.ศ.`` year is Gregorian. Without an
  era marker a 4-digit year in 2400-2700 is BE and one in 1800-2200 is CE (``2021``);
  anything else is "implausible year". A 2-digit year is BE (``๖๗`` → 2567 → 2024)
  and must sit on the month's line. Gregorian = BE − 543.
* "และ" makes a range only after ระหว่าง (``ระหว่างวันที่ ๑๐ และ ๑๑ มีนาคม``); otherwise
  ``วันที่ ๑๐ และ ๑๕ มีนาคม ๒๕๖๗`` gives two dates, the first one's text being just ``๑๐``.
* A date needs a day number before the month. An abbreviation (``ก.พ.``) without a
  year must keep at least one of its dots and must not run on into a longer
  abbreviation (``ก.พ.ร.`` is an agency); one with no dots at all (``มีค``) needs a year.
* Impossible dates (``๓๑ กุมภาพันธ์``, day 0, an implausible year, a range that ends
  before it starts) are dropped. ``include_invalid=True`` returns them too, with
  ``date=None`` and ``problem`` saying what is wrong, for callers that warn.
* A date without a year has ``year_given=False``; ``default_year`` (Gregorian) fills
  ``year``/``date``. The start of a range takes the end's year, one less when its
  month/day comes later (``๑ ธันวาคม - ๓๑ มกราคม ๒๕๖๕``).
* A weekday named in the prefix is kept (``weekday``, Monday = 0) and checked:
  ``weekday_mismatch`` is True when it disagrees with the date (a likely misread digit).
* Parts may be split over up to two line breaks (``๒๗\n\nมกราคม ๒๕๖๔``, the centred
  date line of a letter), but a serial just before (``ที่ สน ๐๐๑๘.๑/ว ๑๒\nมกราคม``) is
  not a day, a dash at the start of a line is a bullet, not a range, and a year on a
  later line counts only when it is a plausible 4-digit year.
* OCR damage tolerated in month and weekday names: missing, extra or spaced dots
  (``มี.ค`` ``มีค.`` ``มี . ค .``), dropped or swapped marks (``กุมภาพันธ`` ``มถุนายน``
  ``พฤศจกายน`` ``วันพฤหัสบดีท``), ``ํา`` for ``ำ``, ``ฏ`` for ``ฎ``; Thai and Arabic
  digits mixed within one number (``1๕``).
* Times need a marker: ``น.``/``นาฬิกา`` after, or ``เวลา`` before (``เวลา ๑๓๐๐``);
  ``HH:MM`` with a colon stands alone. Hours 0-23, minutes 0-59 (``24.00`` is rejected).

>>> parse_date("ลงวันที่ ๒๔ พฤศจิกายน ๒๕๖๓")
datetime.date(2020, 11, 24)
>>> parse_time("ก่อนเวลา ๑๖.๓๐ น.")
'16:30'
>>> format_thai_date(datetime.date(2024, 2, 22), weekday=True)
'วันพฤหัสบดีที่ ๒๒ กุมภาพันธ์ ๒๕๖๗'
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MONTHS_ABBR",
    "MONTHS_FULL",
    "WEEKDAYS",
    "DateMatch",
    "FiscalYearMatch",
    "TimeMatch",
    "be_to_ce",
    "ce_to_be",
    "find_dates",
    "find_fiscal_years",
    "find_numeric_dates",
    "find_times",
    "fiscal_year",
    "format_thai_date",
    "parse_date",
    "parse_time",
    "to_arabic_digits",
    "to_thai_digits",
]

# --------------------------------------------------------------------------- tables

#: Full month names, index 0 = January.
MONTHS_FULL = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
#: Standard abbreviations, index 0 = January.
MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
#: Weekday names, index 0 = Monday (as ``datetime.date.weekday()``).
WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(_THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", _THAI_DIGITS)

BE_OFFSET = 543
#: 4-digit years read without an era marker (see module docstring).
BE_YEARS = range(2400, 2701)
CE_YEARS = range(1800, 2201)


def to_arabic_digits(s: str) -> str:
    """``๒๕๖๔`` → ``2564``; a 1:1 translation, so offsets survive."""
    return s.translate(_TO_ARABIC)


def to_thai_digits(s: str) -> str:
    """``2564`` → ``๒๕๖๔``; a 1:1 translation."""
    return s.translate(_TO_THAI)


def be_to_ce(year: int) -> int:
    """Buddhist Era → Gregorian: 2567 → 2024."""
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    """Gregorian → Buddhist Era: 2024 → 2567."""
    return year + BE_OFFSET


def _num(s: str) -> int:
    return int(to_arabic_digits(s))


# --------------------------------------------------------------------------- regex parts

_D = "[0-9๐-๙]"
_NOT_DIGIT_BEFORE = r"(?<![0-9๐-๙./:])"
_NOT_DIGIT_AFTER = r"(?![0-9๐-๙])"
# Spaces inside a line: ordinary, tab, NBSP, ZWSP, thin and narrow NBSP.
_SP = "[ \t\u00a0\u200b\u2009\u202f]"
_SPACES = _SP + "{0,6}"
# Between the parts of a date: a few spaces, or up to two line breaks (the centred
# date line of a letter is often OCR'd as "๒๗\n\nมกราคม ๒๕๖๔").
_GAP = rf"{_SPACES}(?:\r?\n{_SPACES}){{0,2}}"
_GAP1 = rf"{_SPACES}(?:\r?\n{_SPACES})?"
# Thai vowel signs above/below and tone marks: the marks OCR drops or confuses.
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_THAI_LETTER = "\u0e01-\u0e2e\u0e30-\u0e4e"
_DASH = "[-–—‐−~]"


def _tolerant(word: str) -> str:
    """A regex for a Thai word that survives OCR damage to its marks.

    Where the word has marks above or below a letter, any 0-2 marks are accepted
    (``กุมภาพันธ`` for กุมภาพันธ์, ``มถุนายน``, ``พฤศจกายน``); ``ำ`` may be written
    ``ํ`` + ``า`` or lose its ``ํ``; ``แ`` may be ``เเ``; ``ฎ``/``ฏ`` are interchangeable (กรกฏาคม).
    """
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        j = i + 1
        while j < len(word) and re.match(f"[{_MARKS}]", word[j]):
            j += 1
        if ch == "ำ":
            base = "(?:ำ|\u0e4d\u0e32|\u0e32)"
        elif ch == "แ":
            base = "(?:แ|เเ)"
        elif ch in "ฎฏ":
            base = "[ฎฏ]"
        elif re.match(f"[{_MARKS}]", ch):  # a word that starts with a mark
            base = ""
        else:
            base = re.escape(ch)
        out.append(base + (f"[{_MARKS}]{{0,2}}" if j > i + 1 else ""))
        i = j
    return "".join(out)


#: A lower vowel, read for an abbreviation's dot.
_BELOW = "[\u0e38\u0e39]"


def _abbr(first: str, second: str) -> str:
    """``มี.ค.`` as first="มี", second="ค": dots optional, a space around them allowed;
    the middle dot may be read as a space alone when the last one stands (``ม ค.``: the
    dot lost under a stamp's frame), or with a lower vowel after it or in its place
    (``ก.ุย.``, ``กุย.``: OCR reads the dot as ุ; no month's abbreviation has one)."""
    return rf"(?:{first}(?:{_SP}?(?:\.{_BELOW}?|{_BELOW}){_SP}?)?{second}(?:{_SP}?\.)?|{first}{_SP}{second}{_SP}?\.)"


# Abbreviations: a dropped mark is tolerated only where it cannot turn one month into
# another (มี.ค. without its ี would read ม.ค., January, so that ี stays required).
# พ may be read as its look-alikes ฟ and ฬ (``ก.ฟ.``, ``ก.ฬ.``): no month has them.
_P = "[พฟฬ]"
_ABBR_PATTERNS = (
    _abbr("ม", "ค"),
    _abbr("ก", _P),
    _abbr("ม[ีิ]", "ค"),
    _abbr("เม", "ย"),
    _abbr(_P, "ค"),
    _abbr("ม[ิี]?", "ย"),
    _abbr("ก", "ค"),
    _abbr("ส", "ค"),
    _abbr("ก", "ย"),
    _abbr("ต", "ค"),
    _abbr(_P, "ย"),
    _abbr("ธ", "ค"),
)


def _clippable(name: str) -> str:
    """`_tolerant(name)` with the name's last letter (and its marks) optional: OCR ends a
    word where a stamp's frame or ink crosses it (``๑๔ พฤศจิกาย``). No month's name
    without its last letter is another month's or a word of its own."""
    last = max(i for i, ch in enumerate(name) if not re.match(f"[{_MARKS}]", ch))
    return f"{_tolerant(name[:last])}(?:{_tolerant(name[last:])})?"


#: Regexes for the full month names that survive OCR damage to their marks (`_tolerant`)
#: and the loss of their last letter (`_clippable`).
FULL_MONTH_PATTERNS = tuple(_clippable(name) for name in MONTHS_FULL)

# (month number, is_abbreviation, compiled) — used to name the month a match found.
_MONTH_TABLE = tuple(
    [(i + 1, False, re.compile(p)) for i, p in enumerate(FULL_MONTH_PATTERNS)]
    + [(i + 1, True, re.compile(p)) for i, p in enumerate(_ABBR_PATTERNS)]
)
# Full names first, then the longer abbreviations before the shorter ones that are
# their prefixes (มี.ค. before ม.ค.).
_MONTH_ALT = "|".join(
    list(FULL_MONTH_PATTERNS) + sorted(_ABBR_PATTERNS, key=lambda p: -len(p))
)

_ERA = rf"(?P<era>[พค]{_SP}?\.{_SP}?ศ{_SP}?\.?)"

# One date: "๒๔ พฤศจิกายน ๒๕๖๓", "๒๗-๒๙ มี.ค. ๖๗", "๑ - ๑๕ มกราคม ๒๕๖๗", "๒๗\n\nมกราคม ๒๕๖๔".
_DATE_RE = re.compile(
    rf"""
    {_NOT_DIGIT_BEFORE}
    (?P<d1>{_D}{{1,2}})
    (?:
        (?P<rsep>{_SPACES}(?:{_DASH}|(?:จน)?ถึง(?:{_SPACES}{_tolerant("วันที่")})?|(?P<and>และ)){_SPACES})
        (?P<d2>{_D}{{1,2}})
    )?
    {_NOT_DIGIT_AFTER}
    {_GAP}
    (?:เดือน{_SPACES})?
    (?P<month>{_MONTH_ALT})
    (?:
        (?P<ygap>{_GAP})
        (?:{_ERA}{_SPACES})?
        (?P<year>{_D}+)
    )?
    """,
    re.VERBOSE,
)

# Numeric dates: "27/12/2564", "๒๗/๑๒/๖๔", "27-12-2564" (never "." : section numbers).
_NUMERIC_RE = re.compile(
    rf"""
    (?<![0-9๐-๙./:\-])
    (?P<d1>{_D}{{1,2}})(?P<sep>[/\-])(?P<m>{_D}{{1,2}})(?P=sep)(?P<year>{_D}{{4}}|{_D}{{2}})
    (?![0-9๐-๙]|[/.:\-]{_D})
    """,
    re.VERBOSE,
)

# Thursday is often shortened: "วันพฤหัสที่".
_WEEKDAY_RES = tuple(
    re.compile(
        _tolerant("พฤหัส") + f"(?:{_tolerant('บดี')})?"
        if name == "พฤหัสบดี"
        else _tolerant(name)
    )
    for name in WEEKDAYS
)
_WEEKDAY_ALT = "|".join(
    [_tolerant("พฤหัสบดี"), _tolerant("พฤหัส")]
    + [_tolerant(w) for w in WEEKDAYS if w != "พฤหัสบดี"]
)
# "วันที่", "วันที", "วันจันทร์ที่", "วันพฤหัสบดีท" (OCR), "ลว."
# วัน keeps at least one mark: a bare "วน" ends จำนวน ("จำนวน ๑๒ ม.ค.").
_DAYWORD = (
    rf"(?:ว[{_MARKS}]{{1,2}}น(?:{_WEEKDAY_ALT})?(?:{_tolerant('ที่')})?|ลว{_SP}?\.?)"
)
_LEAD_WORDS = (
    "ภายใน",
    "ก่อน",
    "ไม่เกิน",
    "ไม่เกินกว่า",
    "ตั้งแต่",
    "นับตั้งแต่",
    "นับแต่",
    "ระหว่าง",
    "เมื่อ",
    "ณ",
    "ลง",
    "ถึง",
    "จนถึง",
    "หลัง",
    "ภายหลัง",
    "ใน",
    "ประจำ",
)
_LEAD = (
    "(?:"
    + "|".join(_tolerant(w) for w in sorted(_LEAD_WORDS, key=len, reverse=True))
    + ")"
)
# Anchored at the day number: searched in a short window that ends where the date starts.
_PREFIX_RE = re.compile(
    rf"(?:{_LEAD}{_SPACES}(?:{_DAYWORD}{_GAP1})?|{_DAYWORD}{_GAP1})\Z"
)
_PREFIX_WINDOW = 48
# Short lead words that also end ordinary words (ประมาณ, ลดลง, ข้างใน): they count only
# at the start of a word. ถึง is not one: "ตั้งแต่บัดนี้ถึงวันที่ …" means until.
_BOUNDED_LEADS = ("ณ", "ลง", "ใน", "หลัง")
_THAI_LETTER_RE = re.compile(f"[{_THAI_LETTER}]")

# Text between two dates that makes them one range: "๑ มกราคม - ๒๘ กุมภาพันธ์ ๒๕๖๕",
# "… ถึงวันที่ …", "… จนถึงวันศุกร์ที่ …".
# The separator stays on the first date's line: "\n- ๕ มกราคม" is a bulleted list.
_RANGE_JOIN_RE = re.compile(
    rf"{_SPACES}(?:{_DASH}|(?:จน)?ถึง){_GAP1}(?:{_DAYWORD}{_GAP1})?"
)
# "ระหว่างวันที่ ๑๐ และ ๑๒ มีนาคม": "และ" joins a range only after ระหว่าง.
_AND_JOIN_RE = re.compile(rf"{_SPACES}และ{_GAP1}(?:{_DAYWORD}{_GAP1})?")
# A serial number ("ที่ สน ๐๐๑๘.๑/ว ๑๒") right before a month on the next line is not a day.
_SERIAL_BEFORE_RE = re.compile(rf"/{_SP}*ว{_SP}*\Z")
# After a 2-digit number, what shows it is not a year: a time ("๑๕ มกราคม ๑๓.๐๐ น."),
# a count ("๒๐ คน", "๑๐ แห่ง"), or Latin text ("๑ มกราคม 10 Flagships").
_COUNT_WORDS = (
    "คน",
    "แห่ง",
    "ชุด",
    "ราย",
    "ฉบับ",
    "เล่ม",
    "หน่วย",
    "ครั้ง",
    "วัน",
    "ปี",
    "เดือน",
    "ชั่วโมง",
    "นาที",
    "ข้อ",
    "บาท",
    "แผ่น",
    "หน้า",
    "อำเภอ",
    "จังหวัด",
    "ตำบล",
    "รายการ",
)
# Written exactly (a count word right after a number is short and rarely damaged);
# "วันที่" and "ปีงบประมาณ" start the next phrase, they are not counts.
_NOT_A_YEAR_AFTER = re.compile(
    rf"[.:]{_D}|{_SPACES}(?:[A-Za-z%]|{'|'.join(map(re.escape, _COUNT_WORDS))})"
    r"(?<!วัน(?=ที))(?<!ปี(?=งบ))"
)

# Times. "๑๖.๓๐ น.", "15.37 น.", "10:30", "เวลา ๑๓๐๐", "๑๓.๐๐ - ๑๖.๓๐ น.", "ก่อนเวลา ๑๖.๓๐ น."
_TIME_LEAD = "(?:ก่อน|ภายใน|ตั้งแต่|ถึง|จนถึง|ไม่เกิน|ไม่เกินกว่า|หลัง|ภายหลัง|ใน)"


def _time_core(n: int) -> str:
    return (
        rf"(?:(?P<h{n}>{_D}{{1,2}})(?P<sep{n}>[.:])(?P<mi{n}>{_D}{{2}})"
        rf"|(?P<hhmm{n}>{_D}{{4}})){_NOT_DIGIT_AFTER}"
    )


_SUFFIX = rf"(?:นาฬิกา|น(?:{_SP}?\.)?)"
# Searched backwards from the first digit, like the date prefix; the regex itself then
# starts with a digit, which keeps the scan fast.
_TIME_PREFIX_RE = re.compile(rf"(?:{_TIME_LEAD}{_SPACES})?เวลา{_SPACES}:?{_SPACES}\Z")
_TIME_RE = re.compile(
    rf"""
    {_NOT_DIGIT_BEFORE}
    (?P<t1>{_time_core(1)})
    (?P<suf1>{_SPACES}{_SUFFIX})?
    (?:
        {_SPACES}(?:{_DASH}|(?:จน)?ถึง){_SPACES}(?:เวลา{_SPACES})?
        (?P<t2>{_time_core(2)})
    )?
    (?P<suf>{_SPACES}{_SUFFIX})?
    """,
    re.VERBOSE,
)

# "ปีงบประมาณ พ.ศ. ๒๕๖๗", "ปีงบประมาณ ๒๕๖๗", "ปีงบฯ ๖๗"; more years may follow
# ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๓ และ ๒๕๖๔").
_FY_RE = re.compile(
    rf"(?P<kw>{_tolerant('ปีงบประมาณ')}|{_tolerant('ปีงบ')}{_SP}?ฯ?)"
    rf"{_SPACES}(?:{_ERA}{_SPACES})?(?P<year>{_D}{{4}}|{_D}{{2}}){_NOT_DIGIT_AFTER}"
)
_FY_MORE_RE = re.compile(
    rf"{_SPACES}(?:และ|,|{_DASH}|ถึง){_SPACES}(?:{_ERA}{_SPACES})?"
    rf"(?P<year>{_D}{{4}}|{_D}{{2}}){_NOT_DIGIT_AFTER}"
)


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text. Offsets index the text given to `find_dates`."""

    start: int
    """Offset of the first character of the date (the day number), prefix excluded."""
    end: int
    """Offset just past the date (past the year when one is written)."""
    text: str
    """``input[start:end]``, the date as written."""
    date: datetime.date | None
    """The (start) date; None when no year is written and no default_year, or invalid."""
    day: int
    """Day of month as written (of the range start)."""
    month: int
    """Month 1-12 (of the range start)."""
    year: int | None
    """Gregorian year of the (start) date: written, carried from the range end, or default_year."""
    year_given: bool
    """True when the text itself gives the year (for a range: the end's year counts)."""
    end_date: datetime.date | None = None
    """Last day of a range; None for a single date."""
    end_day: int | None = None
    """Day of the range end, also when no year resolves it."""
    end_month: int | None = None
    """Month of the range end."""
    prefix: str = ""
    """The lead-in words before the date, raw: ``ลงวันที่``, ``ภายในวันจันทร์ที่``, ``ลว.``."""
    prefix_start: int = -1
    """Offset where ``prefix`` starts (== start when there is none)."""
    weekday: int | None = None
    """Weekday named in the prefix, Monday = 0."""
    numeric: bool = False
    """True for ``27/12/2564``-style dates."""
    problem: str | None = None
    """Why the date cannot be valid ("no such day", "implausible year", …); None when fine."""

    @property
    def is_range(self) -> bool:
        return self.end_day is not None

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def weekday_mismatch(self) -> bool:
        """The prefix names a weekday that the resolved date does not fall on."""
        return (
            self.weekday is not None
            and self.date is not None
            and self.date.weekday() != self.weekday
        )

    def iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


@dataclass(frozen=True)
class TimeMatch:
    """A clock time (or a time range) found in a text."""

    start: int
    """Offset of the first digit; the lead-in (``ก่อนเวลา``) is in ``prefix``."""
    end: int
    """Offset just past the time, including ``น.`` when written."""
    text: str
    """``input[start:end]``."""
    hour: int
    minute: int
    end_hour: int | None = None
    """End of a range ``๑๓.๐๐ - ๑๖.๓๐ น.``."""
    end_minute: int | None = None
    prefix: str = ""
    """The raw lead-in: ``เวลา``, ``ก่อนเวลา`` …; empty when none."""
    prefix_start: int = -1

    def hhmm(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    def end_hhmm(self) -> str | None:
        return (
            None
            if self.end_hour is None
            else f"{self.end_hour:02d}:{self.end_minute:02d}"
        )


@dataclass(frozen=True)
class FiscalYearMatch:
    """A Thai fiscal year (ปีงบประมาณ) mentioned in a text."""

    start: int
    end: int
    text: str
    year_be: int
    """The fiscal year in Buddhist Era, as Thai documents name it."""
    start_date: datetime.date
    """1 October of the previous Gregorian year."""
    end_date: datetime.date
    """30 September."""


# --------------------------------------------------------------------------- years


def _year_from(digits: str, era: str | None) -> int | None:
    """Gregorian year for written year digits, or None when implausible."""
    n = _num(digits)
    kind = None if era is None else ("ce" if era.lstrip().startswith("ค") else "be")
    if len(digits) == 2:
        if kind == "ce":
            return None
        return be_to_ce(2500 + n)
    if len(digits) != 4:
        return None
    if kind == "be":
        return be_to_ce(n) if n in BE_YEARS else None
    if kind == "ce":
        return n if n in CE_YEARS else None
    if n in BE_YEARS:
        return be_to_ce(n)
    if n in CE_YEARS:
        return n
    return None


def _make_date(
    year: int | None, month: int, day: int
) -> tuple[datetime.date | None, str | None]:
    """(date, problem). Without a year, 29 February is allowed (a leap year may come)."""
    if not 1 <= month <= 12:
        return None, "no such month"
    if year is None:
        limit = 29 if month == 2 else calendar.monthrange(2001, month)[1]
        return None, (None if 1 <= day <= limit else "no such day")
    if not 1 <= year <= 9999:
        return None, "implausible year"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None, "no such day"
    return datetime.date(year, month, day), None


def _carry_year(
    end_year: int | None, start: tuple[int, int], end: tuple[int, int]
) -> int | None:
    """Year of a range start written without one: the end's, or the one before."""
    if end_year is None:
        return None
    return end_year - 1 if start > end else end_year


# --------------------------------------------------------------------------- dates


@dataclass
class _Raw:
    """A date before ranges are joined and years resolved."""

    start: int
    end: int
    d1: int
    d2: int | None
    month: int
    year: int | None
    year_given: bool
    problem: str | None
    numeric: bool = False


def _month_entry(token: str) -> tuple[int, bool] | None:
    """(month, abbreviated) for a token the date parser reads as a whole month, or None."""
    for number, is_abbr, rx in _MONTH_TABLE:
        if rx.fullmatch(token):
            return number, is_abbr
    return None


def month_number(token: str) -> int | None:
    """The month a whole token names as the date parser reads it (``ก.ค.``, ``กรกฎาคม``,
    ``กรกฎาคม`` without its marks), or None."""
    entry = _month_entry(token.strip())
    return entry[0] if entry else None


def _month_of(token: str) -> tuple[int, bool]:
    entry = _month_entry(token)
    if entry is None:  # pragma: no cover
        raise AssertionError(f"month token matched no month: {token!r}")
    return entry


def _take_year(text: str, m: re.Match) -> tuple[int | None, bool, int, str | None]:
    """(year, year_given, end, problem) for the digits after the month, if they are a year.

    Digits on the month's line or after an era marker are the year (a damaged one is
    "implausible year"); on a later line only a plausible 4-digit year counts; a
    2-digit number followed by ``.๓๐`` is a time (``๑๕ มกราคม ๑๓.๐๐ น.``).
    """
    digits, era = m.group("year"), m.group("era")
    no_year = (None, False, m.end("month"), None)
    if digits is None:
        return no_year
    year = _year_from(digits, era)
    taken = (
        year,
        True,
        m.end("year"),
        None if year is not None else "implausible year",
    )
    if era is not None:
        return taken
    if "\n" not in m.group("ygap"):
        if len(digits) == 1:
            return no_year
        if len(digits) == 2 and _NOT_A_YEAR_AFTER.match(text, m.end("year")):
            return no_year
        return taken
    return taken if len(digits) == 4 and year is not None else no_year


def _abbr_acceptable(text: str, m: re.Match, has_year: bool) -> bool:
    """An abbreviation is a month only where it cannot be an agency or a word.

    Rejected: ``ก.พ.ร.`` (an agency: the abbreviation runs on into another letter),
    ``มีค่า`` (a word), and ``มีค`` with no dot and no year.
    """
    if re.match(rf"\.?[{_THAI_LETTER}]", text[m.end("month") : m.end("month") + 2]):
        return False
    return "." in m.group("month") or has_year


def _raw_dates(text: str) -> Iterable[_Raw]:
    for m in _DATE_RE.finditer(text):
        if _SERIAL_BEFORE_RE.search(text, max(0, m.start() - 8), m.start()):
            continue
        month, is_abbr = _month_of(m.group("month"))
        year, year_given, end, problem = _take_year(text, m)
        if is_abbr and not _abbr_acceptable(text, m, year_given):
            continue
        d1 = _num(m.group("d1"))
        d2 = _num(m.group("d2")) if m.group("d2") is not None else None
        if (
            m.group("and") is not None
            and "ระหว่าง" not in _prefix_of(text, m.start("d1"))[0]
        ):
            # "วันที่ ๑๐ และ ๑๕ มีนาคม": two dates sharing a month; the first is just its day
            yield _Raw(
                m.start("d1"), m.end("d1"), d1, None, month, year, year_given, problem
            )
            yield _Raw(m.start("d2"), end, d2, None, month, year, year_given, problem)
            continue
        yield _Raw(m.start("d1"), end, d1, d2, month, year, year_given, problem)


def _raw_numeric(text: str) -> Iterable[_Raw]:
    for m in _NUMERIC_RE.finditer(text):
        year = _year_from(m.group("year"), None)
        yield _Raw(
            m.start(),
            m.end(),
            _num(m.group("d1")),
            None,
            _num(m.group("m")),
            year,
            True,
            None if year is not None else "implausible year",
            numeric=True,
        )


def _prefix_of(text: str, start: int) -> tuple[str, int, int | None]:
    m = _PREFIX_RE.search(text, max(0, start - _PREFIX_WINDOW), start)
    while (
        m is not None
        and m.start() > 0
        and m.group().startswith(_BOUNDED_LEADS)
        and _THAI_LETTER_RE.match(text, m.start() - 1)
    ):
        m = _PREFIX_RE.search(text, m.start() + 1, start)
    if m is None:
        return "", start, None
    prefix = m.group()
    weekday = None
    for i, rx in enumerate(_WEEKDAY_RES):
        if rx.search(prefix):
            weekday = i
            break
    return prefix.rstrip(), m.start(), weekday


def _resolve(text: str, a: _Raw, b: _Raw | None, default_year: int | None) -> DateMatch:
    """A DateMatch for one date `a`, or for the range `a` … `b`."""
    prefix, prefix_start, weekday = _prefix_of(text, a.start)
    problem = a.problem or (b.problem if b else None)
    if b is None and a.d2 is None:
        year = a.year if a.year_given else default_year
        date, bad = _make_date(year, a.month, a.d1)
        problem = problem or bad
        return DateMatch(
            start=a.start,
            end=a.end,
            text=text[a.start : a.end],
            date=None if problem else date,
            day=a.d1,
            month=a.month,
            year=year,
            year_given=a.year_given,
            prefix=prefix,
            prefix_start=prefix_start,
            weekday=weekday,
            numeric=a.numeric,
            problem=problem,
        )
    if b is None:  # "๒๗-๒๙ มี.ค. ๖๗": both days share the month and year
        end_day, end_month, end_given, end_year_written = (
            a.d2,
            a.month,
            a.year_given,
            a.year,
        )
        end = a.end
    else:
        end_day, end_month, end_given, end_year_written = (
            b.d1,
            b.month,
            b.year_given,
            b.year,
        )
        end = b.end
    start_given = b is not None and a.year_given
    if end_given:
        end_year = end_year_written
    elif start_given and a.year is not None:
        # "๑ ธันวาคม ๒๕๖๔ - ๓๑ มกราคม": the end is in the same year or the next
        end_year = a.year if (a.month, a.d1) <= (end_month, end_day) else a.year + 1
    else:
        end_year = default_year
    if start_given:
        start_year = a.year
    elif b is None:  # one month: the start cannot belong to another year
        start_year = end_year
    else:
        start_year = _carry_year(end_year, (a.month, a.d1), (end_month, end_day))
    start_date, bad1 = _make_date(start_year, a.month, a.d1)
    end_date, bad2 = _make_date(end_year, end_month, end_day)
    problem = problem or bad1 or bad2
    if not problem and start_date and end_date and end_date < start_date:
        problem = "range ends before it starts"
    if (
        not problem
        and start_year is None
        and (a.month, a.d1) > (end_month, end_day)
        and a.month == end_month
    ):
        problem = "range ends before it starts"
    return DateMatch(
        start=a.start,
        end=end,
        text=text[a.start : end],
        date=None if problem else start_date,
        day=a.d1,
        month=a.month,
        year=start_year,
        year_given=end_given or start_given,
        end_date=None if problem else end_date,
        end_day=end_day,
        end_month=end_month,
        prefix=prefix,
        prefix_start=prefix_start,
        weekday=weekday,
        numeric=a.numeric,
        problem=problem,
    )


def _joins(text: str, a: _Raw, b: _Raw) -> bool:
    """True when the words between `a` and `b` make them one range."""
    if a.d2 is not None or b.d2 is not None or a.numeric != b.numeric:
        return False
    between_start, between_end = a.end, b.start
    if _RANGE_JOIN_RE.fullmatch(text, between_start, between_end):
        return True
    if _AND_JOIN_RE.fullmatch(text, between_start, between_end):
        prefix, _, _ = _prefix_of(text, a.start)
        return "ระหว่าง" in prefix
    return False


def _assemble(text: str, raws: list[_Raw], default_year: int | None) -> list[DateMatch]:
    out: list[DateMatch] = []
    i = 0
    while i < len(raws):
        a = raws[i]
        if i + 1 < len(raws) and _joins(text, a, raws[i + 1]):
            out.append(_resolve(text, a, raws[i + 1], default_year))
            i += 2
        else:
            out.append(_resolve(text, a, None, default_year))
            i += 1
    return out


def find_dates(
    text: str,
    *,
    default_year: int | None = None,
    numeric: bool = False,
    include_invalid: bool = False,
) -> list[DateMatch]:
    """All dates in `text`, in order, non-overlapping.

    `default_year` (Gregorian) fills dates written without a year; `numeric` adds
    ``27/12/2564``-style dates; `include_invalid` keeps impossible dates (date=None,
    ``problem`` set) instead of dropping them.
    """
    raws = list(_raw_dates(text))
    if numeric:
        taken = [(r.start, r.end) for r in raws]
        extra = [
            r
            for r in _raw_numeric(text)
            if not any(s < r.end and r.start < e for s, e in taken)
        ]
        raws = sorted(raws + extra, key=lambda r: r.start)
    matches = _assemble(text, raws, default_year)
    if include_invalid:
        return matches
    return [m for m in matches if m.problem is None]


def find_numeric_dates(
    text: str, *, default_year: int | None = None, include_invalid: bool = False
) -> list[DateMatch]:
    """Only the numeric dates ``27/12/2564``, ``๒๗/๑๒/๖๔``, ``27-12-2564`` (day/month/year)."""
    matches = [_resolve(text, r, None, default_year) for r in _raw_numeric(text)]
    return matches if include_invalid else [m for m in matches if m.problem is None]


def parse_date(
    text: str, *, default_year: int | None = None, numeric: bool = False
) -> datetime.date | None:
    """The first date in `text` that resolves to a calendar date, or None."""
    for m in find_dates(text, default_year=default_year, numeric=numeric):
        if m.date is not None:
            return m.date
    return None


# --------------------------------------------------------------------------- times


def _clock(m: re.Match, n: int) -> tuple[int, int] | None:
    hhmm = m.group(f"hhmm{n}")
    if hhmm is not None:
        h, mi = _num(hhmm[:2]), _num(hhmm[2:])
    else:
        h, mi = _num(m.group(f"h{n}")), _num(m.group(f"mi{n}"))
    if h > 23 or mi > 59:
        return None
    return h, mi


def _suffix_ok(text: str, m: re.Match, group: str) -> bool:
    """``น`` without its dot counts only when no Thai letter follows (``นาที`` is minutes)."""
    if m.group(group) is None:
        return False
    if m.group(group).strip() == "น":
        return not re.match(f"[{_THAI_LETTER}]", text[m.end(group) : m.end(group) + 1])
    return True


def _time_marked(m: re.Match, n: int, has_prefix: bool, has_suffix: bool) -> bool:
    """Is clock `n` a time rather than a decimal or a count? ``10:30`` always is;
    ``15.37`` and ``1300`` only with ``เวลา`` before or ``น.`` after."""
    return m.group(f"sep{n}") == ":" or has_prefix or has_suffix


def find_times(text: str) -> list[TimeMatch]:
    """All clock times in `text`, in order: ``๑๖.๓๐ น.``, ``เวลา ๑๓๐๐``, ``10:30`` …"""
    out: list[TimeMatch] = []
    for m in _TIME_RE.finditer(text):
        first = _clock(m, 1)
        if first is None:  # most 4-digit numbers are years: ๒๕๖๔ is no clock
            continue
        pm = _TIME_PREFIX_RE.search(text, max(0, m.start() - 24), m.start())
        has_prefix = pm is not None
        suf1, suf = _suffix_ok(text, m, "suf1"), _suffix_ok(text, m, "suf")
        second = _clock(m, 2) if m.group("t2") is not None else None
        if (
            second is not None
            and _time_marked(m, 2, has_prefix, suf)
            and _time_marked(m, 1, has_prefix, suf1 or suf)
        ):  # "๑๓.๐๐ - ๑๖.๓๐ น.": the closing น. marks both ends
            end = m.end("suf") if suf else m.end("t2")
        elif _time_marked(m, 1, has_prefix, suf1):
            second = None
            end = m.end("suf1") if suf1 else m.end("t1")
        else:
            continue
        start = m.start("t1")
        prefix = pm.group().rstrip(" \t\u00a0\u200b\u2009\u202f:") if pm else ""
        out.append(
            TimeMatch(
                start=start,
                end=end,
                text=text[start:end],
                hour=first[0],
                minute=first[1],
                end_hour=second[0] if second else None,
                end_minute=second[1] if second else None,
                prefix=prefix,
                prefix_start=pm.start() if pm else start,
            )
        )
    return out


def parse_time(text: str) -> str | None:
    """The first time in `text` as ``HH:MM``, or None."""
    times = find_times(text)
    return times[0].hhmm() if times else None


# --------------------------------------------------------------------------- fiscal years


def fiscal_year(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a Thai fiscal year. Years >= 2400 are BE, others CE.

    ปีงบประมาณ พ.ศ. ๒๕๖๗ (= fiscal 2024) runs from 2023-10-01 to 2024-09-30.
    """
    ce = be_to_ce(year) if year >= BE_YEARS.start else year
    if not 2 <= ce <= 9999:
        raise ValueError(f"not a fiscal year: {year}")
    return datetime.date(ce - 1, 10, 1), datetime.date(ce, 9, 30)


def _fy_match(text: str, start: int, m: re.Match) -> FiscalYearMatch | None:
    """A 2-digit fiscal year is BE; a 4-digit one is BE in 2400-2700, else CE (``2024``)."""
    digits, era = m.group("year"), m.group("era")
    if len(digits) == 2 and era is None:
        era = "พ.ศ."
    ce = _year_from(digits, era)
    if ce is None:
        return None
    begin, finish = fiscal_year(ce)
    return FiscalYearMatch(
        start=start,
        end=m.end(),
        text=text[start : m.end()],
        year_be=ce_to_be(ce),
        start_date=begin,
        end_date=finish,
    )


def find_fiscal_years(text: str) -> list[FiscalYearMatch]:
    """Fiscal years named in `text`: ``ปีงบประมาณ พ.ศ. ๒๕๖๗``, ``ปีงบประมาณ ๒๕๖๗``.

    Years listed after the first (``… พ.ศ. ๒๕๖๓ และ ๒๕๖๔``) each give a match whose
    span covers that year (and its ``พ.ศ.``) only.
    """
    out: list[FiscalYearMatch] = []
    for m in _FY_RE.finditer(text):
        first = _fy_match(text, m.start(), m)
        if first is None:
            continue
        out.append(first)
        pos = m.end()
        while (more := _FY_MORE_RE.match(text, pos)) is not None:
            fm = _fy_match(
                text,
                more.start("era") if more.group("era") else more.start("year"),
                more,
            )
            if fm is None:
                break
            out.append(fm)
            pos = more.end()
    return out


# --------------------------------------------------------------------------- formatting

MonthStyle = Literal["full", "abbr"]
DigitStyle = Literal["thai", "arabic"]
YearStyle = Literal["be4", "be2", "ce"]


def format_thai_date(
    d: datetime.date,
    *,
    month: MonthStyle = "full",
    digits: DigitStyle = "thai",
    year: YearStyle = "be4",
    weekday: bool = False,
    era: bool = False,
) -> str:
    """Write `d` the way Thai letters do: ``๒๒ กุมภาพันธ์ ๒๕๖๗``.

    month "full" | "abbr" (``ก.พ.``); digits "thai" | "arabic"; year "be4" (๒๕๖๗),
    "be2" (๖๗), "ce" (2024); weekday adds ``วันพฤหัสบดีที่``; era adds ``พ.ศ.`` /
    ``ค.ศ.`` before the year.
    """
    if month not in ("full", "abbr"):
        raise ValueError(f"month style must be 'full' or 'abbr', not {month!r}")
    if digits not in ("thai", "arabic"):
        raise ValueError(f"digit style must be 'thai' or 'arabic', not {digits!r}")
    if year == "be4":
        y = str(ce_to_be(d.year))
    elif year == "be2":
        y = f"{ce_to_be(d.year) % 100:02d}"
    elif year == "ce":
        y = str(d.year)
    else:
        raise ValueError(f"year style must be 'be4', 'be2' or 'ce', not {year!r}")
    if era:
        y = ("ค.ศ. " if year == "ce" else "พ.ศ. ") + y
    name = MONTHS_FULL[d.month - 1] if month == "full" else MONTHS_ABBR[d.month - 1]
    out = f"{d.day} {name} {y}"
    if weekday:
        out = f"วัน{WEEKDAYS[d.weekday()]}ที่ {out}"
    return to_thai_digits(out) if digits == "thai" else out
