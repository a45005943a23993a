"""Field extraction: one letter's text → a `Record`.

The rules follow the letter formats of ระเบียบงานสารบรรณ rather than any one office's
wording: a header (urgency, ``ที่`` number, issuing office and address, date,
``เรื่อง``, ``เรียน``/``เสนอ``/``ถึง``, ``อ้างถึง``, ``สิ่งที่ส่งมาด้วย``), a body, a closing
(``ขอแสดงความนับถือ``), the signature block (bracketed name, position lines) and the
owner unit with its phone numbers; receipt stamps can stand anywhere.

Every value is found as a span of the letter's normalised text (`Span`), so the same
spans serve the record builder (`read_document`) and the spaCy view (`pipeline.nlp`).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Iterable, Optional

from . import thaidate
from .lexicon import POSITION_WORDS, agency_codes, agency_of_office, fuzzy, skeleton, tolerant
from .normalise import Normalised, normalise, thai_to_arabic
from .segment import (
    CLOSING,
    FAX_HEADING,
    MEMO_HEADING,
    NUMBER_LINE,
    ORDER_HEADING,
    SIGNATURE,
    stamp_number,
    anchor_kind,
    Line,
    lines_of,
    segment,
)
from .types import (
    Deadline,
    DocNumber,
    Document,
    Enclosure,
    Evidence,
    PageText,
    Record,
    Reference,
    Sender,
    Signatory,
    Source,
    Stamp,
)

# --------------------------------------------------------------------------- patterns


def _tcompile(pattern: str, flags: int = 0) -> re.Pattern:
    """Compile with Thai literals tolerant of the marks OCR drops (see lexicon.tolerant)."""
    return re.compile(tolerant(pattern), flags)


@functools.lru_cache(maxsize=256)
def _t(pattern: str) -> re.Pattern:
    return _tcompile(pattern)

_KW = {name: fuzzy(word) for name, word in {
    "subject": "เรื่อง", "recipient": "เรียน", "propose": "เสนอ", "to": "ถึง", "from": "จาก",
    "cites": "อ้างถึง", "cites2": "อ้างอิง", "encl": "สิ่งที่ส่งมาด้วย", "unit": "ส่วนราชการ",
    "date": "วันที่", "number": "ที่",
}.items()}
# a tone mark read over เรียน's ี (``เรี่ยน``): no other header word is so
_KW["recipient"] = _KW["recipient"].replace("ยน", "[\u0e48-\u0e4b]?ยน")

SUBJECT_LINE = re.compile(rf"^{_KW['subject']}\s*[:.]?\s*")
# ``เรียน นายอำเภอ``, also with a speck read as a dot or colon after it (``เรี่ยน. นายอำเภอ``)
RECIPIENT_LINE = re.compile(rf"^(?:{_KW['recipient']}|{_KW['propose']})\s*[:.]?\s+|^{_KW['to']}\s+(?=\S)")
FROM_LINE = re.compile(rf"^{_KW['from']}\s+")
# ``อ้างถึง``, also with its first letter lost or misread (``างถึง``: seed 2031's 022;
# ``ย่างถึง``, ``อฮ้างถึง``), or read as one Latin word before the cited letter
# (``OWEN หนังสือจังหวัด…``: seeds 2026's 026, 2029's 027)
CITES_DAMAGED = r"\.?[ก-ฮ]{0,2}[\u0e48\u0e49]?างถึง"
CITES_LATIN = r"[A-Za-z]{3,6}\s+(?=(?:\(?[๐-๙0-9]{1,2}[.)]\s*)?(?:หนังสือ|คำสั่ง|บันทึก))"
CITES_LINE = re.compile(rf"^(?:{_KW['cites']}|{_KW['cites2']}|{CITES_DAMAGED}|{CITES_LATIN})\s*[:.]?\s*")
ENCL_LINE = re.compile(rf"^{_KW['encl']}\s*[:.]?\s*")
# ``ส่วนราชการ``, also with its first letter lost or misread (``วนราชการ``, ``ล่วนราชการ``:
# no other word ends so)
UNIT_LINE = re.compile(rf"^(?:{_KW['unit']}|[ก-ฮ]?\u0e48?วนราชการ)\s*[:.]?\s*")
FIELD_LINE = re.compile(
    rf"^(?:{_KW['subject']}|{_KW['recipient']}|{_KW['propose']}|{_KW['to']}\s|{_KW['cites']}|{_KW['cites2']}"
    rf"|{CITES_DAMAGED}|{CITES_LATIN}|{_KW['encl']})"
)
ITEM_START = re.compile(r"^\(?(\d{1,2})[.)]\s*")
BODY_OPENER = _tcompile(
    r"^(?:ตามที่|ด้วย|ตาม|เนื่องด้วย|เนื่องจาก|อนุสนธิ|อาศัย|โดยที่|ในการนี้|นั้น|จังหวัด\S*\s?(?:ขอ|พิจารณา)|กรม\S*(?:ขอ|ได้))"
)

# Document number: agency letters, unit code, '/', optional ว, serial.
#   `มท 0305.1/ว 30577`, `สน 0018.1/ว\n\n1044`, `กห 0301.10.1/260`, `บก.ทท. 0401/123`;
#   specks read as dots, commas or quotes before the serial are left out (`ศธ 04009/ .4244`,
#   `กห 0301.31/.' 873`).
_AGENCY = r"[ก-ฮ]{1,4}\.?(?:[ก-ฮ]{1,4}\.)*"
NUMBER_RE = re.compile(
    rf"(?P<agency>{_AGENCY})[ \t]*(?P<code>\d{{1,5}}(?:[.,][ \t]?\d{{1,4}}){{0,4}})[ \t]*(?:/[ \t]*|(?=ว\.?[ \t]*\d))"
    rf"(?:(?P<circ>ว)(?![ก-ฮ\u0e30-\u0e4e])\.?[ \t]*)?(?:[.,'‘’`]{{1,2}}[ \t]?(?=\d))?(?P<serial>\d{{1,7}})?"
)
ORDER_NUMBER_RE = re.compile(r"(?<![\d.])(?P<serial>\d{1,5})[ \t]*/[ \t]*(?P<year>(?:25|20)?\d{2})(?![\d/])")
# A serial written on its own line below a number ending in `/ว` (`ที่ สน 0018.1/ว\n\n1044`).
SERIAL_LINE = re.compile(r"\s*\n(?:[ \t]*\n)?[ \t]*(\d{1,7})[ \t]*(?=\n|$)")
NUMBER_PREFIX = re.compile(rf"(?:^|(?<=\s)){_KW['number']}[ \t]*(?:\n[ \t]*)?")

URGENCY_RE = re.compile(r"(?<![ก-๛])ด่?วน(?:ท[ีิ]?่?ส[ุ]?ด|มาก)?(?![ก-ฮ])")
SECRECY_RE = re.compile(r"^ลับ(?:ที่สุด|มาก)?(?:\s|$)")

STAMP_TIME_LINE = re.compile(r"^เวลา")
#: A receipt stamp's date line is this short (``วันที่ ๑๙ ต.ค. ๔๘`` and OCR's debris).
STAMP_DATE_LINE = 40
#: The archives this reads start well after 1932 (BE 2475): an older date in a letter's
#: header is OCR's (``๒๕๕๕`` read ``๒๔๔๔`` dated bench-corpus 087 in 1901).
FIRST_LETTER_YEAR = 1932
#: A fax form's sender line (``จาก อธิบดีกรมการปกครอง``).
FAX_FROM_LINE = re.compile(r"^จาก\s")
#: Pen strokes OCR read as a line of their own inside a receipt stamp are this short.
STAMP_DEBRIS_LINE = 16

PHONE_RE = re.compile(
    r"(?:โทรศัพท์|โทรสาร|โทร)\.?(?:\s*/\s*(?:โทรสาร|โทร)\.?)?\s*[:.]?\s*"
    r"(?P<nums>\d[\d \t\-]{5,18}\d(?:\s*(?:ต่อ|ต\.)\s*\d{1,5})?(?:\s*(?:,|หรือ)\s*\d[\d \t\-]{5,18}\d(?:\s*(?:ต่อ|ต\.)\s*\d{1,5})?)*)"
)
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
QUANTITY_RE = _tcompile(r"จำนวน\s*(\d+)\s*(ชุด|ฉบับ|แผ่น|เล่ม|หน้า|รายการ|ซอง|แฟ้ม|กล่อง|แผ่นซีดี|แผ่นดิสก์)")
POSTCODE_RE = re.compile(r"(?<!\d)[1-9]\d{4}(?!\d)")
ADDRESS_WORDS = _tcompile(r"ถนน|ถ\.|ตำบล|ต\.|แขวง|เขต|อำเภอ|อ\.|กทม|กรุงเทพ|หมู่ที่|ซอย|เลขที่")
ORG_WORDS = _tcompile(
    r"ศาลากลาง|ที่ว่าการ|ที่ทำการ|กระทรวง|กรม|สำนักงาน|สำนัก|องค์การ|เทศบาล|มหาวิทยาลัย|โรงเรียน|โรงพยาบาล|"
    r"กองบัญชาการ|กองทัพ|กอง|สถาบัน|ศูนย์|การไฟฟ้า|การประปา|ธนาคาร|จังหวัด|อำเภอ|ค่าย|มณฑล"
)
UNIT_OR_PHONE = _tcompile(r"^(?:โทร|กลุ่ม|ฝ่าย|งาน|กอง|ส่วน|สำนัก|ที่ทำการ|ศูนย์|[\w.+-]+@|\(|http|www)")
POSITION_RE = _tcompile("|".join(sorted((re.escape(w) for w in POSITION_WORDS), key=len, reverse=True)))
# Position → organisation: `ผู้ว่าราชการจังหวัดสกลนคร` → `จังหวัดสกลนคร`, `อธิบดีกรมการปกครอง` → `กรมการปกครอง`.
HEAD_OF = _tcompile(
    r"(?:รอง)?(?:ผู้ว่าราชการ|อธิบดี|ปลัด|นายอำเภอ|ผู้อำนวยการ|เลขาธิการ|ผู้บัญชาการ|นายก|ผู้บังคับการ|หัวหน้า)"
    r"(?=(?:จังหวัด|กรม|กระทรวง|สำนัก|อำเภอ|องค์การ|เทศบาล|กอง|ศูนย์|สถาบัน)\S)"
)
IN_BODY_CITE = _tcompile(
    r"(?:ตาม|อ้างถึง|อ้างอิง|ส่ง|มี)(?:สำเนา)?(?P<what>หนังสือ|โทรสาร|บันทึก|คำสั่ง|ประกาศ|ระเบียบ)"
)
DEADLINE_CUE = _tcompile(
    r"(?:ภายใน|ก่อน|ไม่เกิน|ไม่ช้ากว่า|ให้แล้วเสร็จ|หมดเขต|สิ้นสุด|ปิดรับ\S*|ด่วนภายใน|ภายในกำหนด)\s*"
    r"(?:วัน\S{0,12}?)?(?:ที่|ท[ีิ])?\s*$"
)
WINDOW_CUE = _tcompile(r"(?:ตั้งแต่|ระหว่าง)\s*(?:วัน\S{0,12}?)?(?:ที่)?\s*$")
WINDOW_VERB = _tcompile(r"สมัคร|ยื่น|ส่ง|รับ|ลงทะเบียน|เสนอ|รายงาน")
RELATIVE_DEADLINE = _tcompile(
    r"ภายใน\s*(?P<n>\d{1,3})\s*วัน(?P<work>ทำการ)?\s*(?:นับ(?:แต่|จาก)\s*(?:วันที่)?\s*(?P<recv>(?:ที่)?ได้รับ)?)?"
)


@dataclass(frozen=True)
class Span:
    """A labelled span of the letter's normalised text (offsets local to the letter)."""

    label: str  # DOC_NUMBER, DATE, DEADLINE, ORG, PERSON, SUBJECT, RECIPIENT, STAMP, REFERENCE
    start: int
    end: int


@dataclass
class Extracted:
    """What `extract_letter` finds; `spans` point into `text`."""

    text: str
    fields: dict = field(default_factory=dict)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add_span(self, name: str, label: str, start: int, end: int) -> None:
        self.spans.setdefault(name, []).append(Span(label, start, end))


# --------------------------------------------------------------------------- helpers


def _join_lines(parts: Iterable[str]) -> str:
    """Join wrapped lines: no space between two Thai characters (Thai wraps at word ends)."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (_is_thai(out[-1]) and _is_thai(part[0])):
            out += " "
        out += part
    return out


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4f"


def _squash(text: str) -> str:
    """Whitespace runs → one space (for raw phrases kept as written)."""
    return re.sub(r"\s+", " ", text).strip()


def _clean_value(text: str) -> str:
    value = re.sub(r"\s+", " ", text).strip(" \t:-–,")
    return value[:-1] if value.endswith(".") and not re.search(r"[ก-ฮ]\.[ก-ฮ]\.?$", value) else value


# The rest of a header number's serial that OCR split off with a space: `ว ๑๙ ๑๕๙`.
SERIAL_REST = re.compile(r"[ \t](\d{1,5})(?![\d.,:/])")
# ... or with a speck read as a dot or comma inside it: `ว 399.68` (a handwritten serial;
# a serial is digits alone, its dots are the unit code's, before the slash), or a pen's
# stroke read as a slash (`ว ๓๗/๓๒๙`: a letter's number has one slash, before its serial).
SERIAL_SPECK = re.compile(r"[.,/](\d{1,4})(?![\d.,:/])")
# A header number whose `/` OCR lost or read as `)`: `กษ ๐๓๐๓ 5480` (a thin slash before
# a handwritten serial), `กค ๐๓๑๐.๔) 38968`. Taken only at the head of the number line,
# with a known agency and a unit code of four or five digits, as codes are (`๐๓๐๓`,
# `๐๐๑๘.๓`).
#: A unit code where the number's slash is lost: four or five digits, then its parts (``0023.3``).
_UNIT_CODE = r"\d{4,5}(?:[.,]\d{1,4}){0,4}"
NO_SLASH_NUMBER = re.compile(
    rf"(?P<agency>{_AGENCY})[ \t]*(?P<code>{_UNIT_CODE})(?:[ \t]*\)[ \t]*|[ \t]+)"
    rf"(?:(?P<circ>ว)(?![ก-ฮ\u0e30-\u0e4e])\.?[ \t]*)?(?P<serial>\d{{1,7}})(?![\d.,:/])"
)
# A circular's number left blank, its slash lost: the ว glued to the code and nothing
# numeric after it (``ขก ๐๐๓๒ว ศาลากลางจังหวัดขอนแก่น``).
BLANK_CIRCULAR = re.compile(
    rf"(?P<agency>{_AGENCY})[ \t]*(?P<code>{_UNIT_CODE})ว(?=[ \t]+[^\d\s]|[ \t]*$)")
# Specks OCR puts between `ที่` and the agency letters: `ที่ . กค 0310.4/ว 28324`.
SPECKS = re.compile(r"[ \t.,:;'‘’`|]*")
# A circular's ว read as a digit, glued to the slash: `สธ 0911.2/9` (serial left blank),
# `/2 1234`.
CIRCULAR_AS_DIGIT = "29"
# A circular's ว with specks stuck to it, or read as `)`: `/วง 4662`, `/ดว ๑๓๗๒๓`,
# `/วฮ่๒๖๑๑`, `/วู้ ศาลากลาง…`, `/) ๒๗๖๑`, `/? ๓๑๒๔๔` (never a word: `/ วันที่` is a memo's date).
CIRCULAR_SPECKED = re.compile(r"(?<=\d)([ \t]*/[ \t]*)([^\s\dว]{0,2}ว[^\s\d]{0,2}|[)?])(?=[ \t]|\d|$)")
# The slash before a circular's ว read as a letter (``สธ 0421.5ซีว 25571``): on a number
# line with no slash at all.
SLASH_AS_LETTER = re.compile(r"(?<=\d)[ก-ฮ][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]?(?=ว[ \t]+\d)")


def _unspeck_circular(text: str) -> str:
    """A header line with its circular's ว freed of specks (`CIRCULAR_SPECKED`), at the
    same length, so that spans stay right."""
    return CIRCULAR_SPECKED.sub(lambda c: c.group(1) + "ว" + " " * (len(c.group(2)) - 1), text, count=1)


def parse_number(text: str, *, header: bool = False) -> tuple[Optional[DocNumber], int, int]:
    """The first document number in `text` (after `ที่`) with its span, or (None, -1, -1).

    >>> parse_number("ที่ มท 0305.1/ว 30577")[0].text
    'มท 0305.1/ว 30577'
    >>> parse_number("ที่ 1139/66")[0].text
    '1139/66'
    """
    text = thai_to_arabic(text)
    if header:  # the same length, so that spans stay right
        text = _unspeck_circular(text)
        if "/" not in text:
            text = SLASH_AS_LETTER.sub(lambda c: "/" + " " * (len(c.group(0)) - 1), text, count=1)
    m = NUMBER_RE.search(text)
    o = ORDER_NUMBER_RE.search(text)
    lead = SPECKS.match(text).end()
    # a header's number follows its ที่ at once: not an order's cited lines below (``ที่
    # กห 50. spd`` then ``อ้างถึง คำสั่ง … ที่ 348/59``: seed 2026's 004)
    if o and (not m or o.start() < m.start()) and not (header and o.start() > max(2, lead)):
        serial, year = o.group("serial"), o.group("year")
        return DocNumber(text=f"{serial}/{year}", agency=None, code=None, circular=False, serial=serial), o.start(), o.end()
    if header and m and re.search(r"[ก-ฮ][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*$", text[lead:m.start()]):
        m = None  # the agency's tail only (`กุค` read as ค): _parse_marked_agency's case
    if header and (not m or m.start() > max(2, lead)):
        lost = NO_SLASH_NUMBER.match(text, lead)
        if lost and _known_agency(_agency(lost.group("agency"))) and not _month_follows(text, lost.end()):
            agency, code, serial = _agency(lost.group("agency")), lost.group("code").replace(",", "."), lost.group("serial")
            circ = bool(lost.group("circ"))
            canon = f"{agency} {code}/" + ("ว " if circ else "") + serial
            return DocNumber(text=canon, agency=agency, code=code, circular=circ, serial=serial), lost.start(), lost.end()
        blank = BLANK_CIRCULAR.match(text, lead)
        if blank and _known_agency(_agency(blank.group("agency"))):
            agency, code = _agency(blank.group("agency")), blank.group("code").replace(",", ".")
            return (DocNumber(text=f"{agency} {code}/ว", agency=agency, code=code, circular=True, serial=None),
                    blank.start(), blank.end())
    if not m or (header and m.start() > max(2, lead)):  # a header's number follows its ที่ at once
        return None, -1, -1
    agency, code, circ, serial = _agency(m.group("agency")), _code(m.group("code")), bool(m.group("circ")), m.group("serial")
    end = m.end()
    if header and serial and _month_follows(text, end):
        # a blank serial, then a memo's date with its `วันที่` lost (``กห 0301.31/ 3 มี.ค. 52``)
        serial, end = None, m.start("serial")
    if header and not circ and serial in tuple(CIRCULAR_AS_DIGIT) and text[m.start("serial") - 1] == "/":
        # a lone 2 or 9 glued to the slash is the circular's ว (a serial of one digit is
        # rare, a blank one after ว common): alone, or before the serial proper
        after = re.match(r"[ \t]+(\d{2,7})(?![\d.,:/])", text[end:])
        if not after or not _month_follows(text, end + after.end()):
            circ = True
            serial, end = (after.group(1), end + after.end()) if after else (None, end)
    if serial is None:
        nxt = SERIAL_LINE.match(text, end)
        if nxt and not _month_follows(text, nxt.end()):
            serial, end = nxt.group(1), nxt.end()
    elif header:
        # the letter's own number line holds nothing but the number (and the office or
        # a memo's `วันที่`); a serial with a dot inside it is one with a speck in it
        # (`SERIAL_SPECK`); a short serial with digits right after it is one split by
        # OCR (`ว ๑๙ ๑๕๙`), unless they are a day with its month (lines merged) or the
        # same digits again (`/755 755`: one stretch read twice); a lone digit after a
        # full serial is a speck (`๑๗๐๖๔ 7`)
        speck = SERIAL_SPECK.match(text, end)
        if speck and 4 <= len(serial) + len(speck.group(1)) <= 6:
            serial, end = serial + speck.group(1), speck.end()
        rest = SERIAL_REST.match(text, end)
        if (rest and len(serial) <= 3 and len(rest.group(1)) >= 2 and 4 <= len(serial) + len(rest.group(1)) <= 6
                and rest.group(1) != serial and not _month_follows(text, rest.end())):
            serial, end = serial + rest.group(1), rest.end()
    canon = f"{agency} {code}/" + ("ว " if circ else "") + (serial or "")
    return DocNumber(text=canon.strip(), agency=agency, code=code, circular=circ, serial=serial), m.start(), end


def _code(text: str) -> str:
    """A unit code as OCR left it, written the standard way: OCR splits a word at a
    code's dot (``๐๒๑๐. ๐๓``) and reads a dot as a comma."""
    return re.sub(r"[ \t]", "", text).replace(",", ".")


def _known_agency(letters: str) -> bool:
    """A ministry's or province's letter code (`มท`, `ทส`, `นม`)."""
    return letters in agency_codes()


def _agency(letters: str) -> str:
    """Agency letters with OCR's extra letter taken off where that leaves a known
    ministry or province code and the letters as read are not one: ``ภภก`` → ``ภก``,
    ``ฑทส`` → ``ทส``, ``ซชร`` → ``ชร``, ``สข.`` → ``สข`` (a dot read off a speck)."""
    bare = letters.rstrip(".")
    if _known_agency(bare):
        return bare
    # a letter too many at either end (a speck or stroke in front read as ฑ, ซ, a doubled
    # first letter; the code's dot behind read as อ): where leaving out one of the three
    # letters gives exactly one known code, and that by leaving out an end — `กบษ` could
    # be กบ or กษ, `สลก` only สก by leaving out its middle: both stay.
    if len(bare) == 3:
        known = {bare[:k] + bare[k + 1:] for k in range(3)} & agency_codes()
        if len(known) == 1 and known & {bare[1:], bare[:2]}:
            return known.pop()
    return letters


def _month_follows(text: str, pos: int) -> bool:
    """True when a month name starts right after `pos` (then the digits were a day)."""
    found = thaidate.find_dates("1 " + text[pos:pos + 40].lstrip()[:30])
    return bool(found) and found[0].start == 0


def _date_iso(m: thaidate.DateMatch) -> Optional[str]:
    return m.date.isoformat() if m.date else None


# --------------------------------------------------------------------------- the letter


class Letter:
    """One letter's normalised text split into lines, with region indices."""

    def __init__(self, text: str):
        self.text = text
        self.lines: list[Line] = lines_of(text)
        self._starts = [ln.start for ln in self.lines]
        self.nonblank = [i for i, ln in enumerate(self.lines) if ln.text]
        self.stamp_lines: set[int] = set()
        self.stamps: list[tuple[Stamp, int, int]] = self._find_stamps()
        self.header_end = self._header_end()
        self.closing = self._closing_line()
        self.signature = self._signature_line()

    def line_at(self, pos: int) -> int:
        """The index of the line holding text position `pos`."""
        return bisect_right(self._starts, pos) - 1

    # ---- regions
    def _first(self, pattern: re.Pattern, lo: int = 0, hi: Optional[int] = None) -> Optional[int]:
        hi = len(self.lines) if hi is None else min(hi, len(self.lines))
        for i in range(lo, hi):
            if i not in self.stamp_lines and self.lines[i].text and pattern.match(self.lines[i].text):
                return i
        return None

    def _header_end(self) -> int:
        """Index of the first body line (after the เรียน/อ้างถึง/สิ่งที่ส่งมาด้วย blocks)."""
        limit = min(len(self.lines), 60)
        last = None
        for i in range(limit):
            t = self.lines[i].text
            if not t:
                continue
            if SUBJECT_LINE.match(t) or RECIPIENT_LINE.match(t) or CITES_LINE.match(t) or ENCL_LINE.match(t):
                last = i
            elif last is not None and _is_body_line(t):
                break  # the first body paragraph: field words below it are not header fields
        if last is None:
            return min(len(self.lines), 12)
        if not (CITES_LINE.match(self.lines[last].text) or ENCL_LINE.match(self.lines[last].text)):
            return last + 1  # เรื่อง / เรียน end the header (orders: the body follows เรื่อง)
        # extend over the block of the last field line (items, ลงวันที่ …, จำนวน …)
        i = last + 1
        while i < len(self.lines):
            t = self.lines[i].text
            if t and _is_body_line(t):
                break
            i += 1
            if i - last > 25:
                break
        return i

    def _closing_line(self) -> Optional[int]:
        for i in range(self.header_end, len(self.lines)):
            t = self.lines[i].text
            if t and CLOSING.match(t) and re.match(fuzzy("ขอแสดงความนับถือ"), t):
                return i
        return None

    def _signature_line(self) -> Optional[int]:
        lo = self.closing if self.closing is not None else self.header_end
        for i in range(lo, min(len(self.lines), lo + 40)):
            t = self.lines[i].text
            if t and SIGNATURE.match(t) and _looks_like_name(t):
                return i
        for i in range(self.header_end, len(self.lines)):  # memos: no ขอแสดงความนับถือ
            t = self.lines[i].text
            if t and SIGNATURE.match(t) and _looks_like_name(t):
                return i
        return None

    def body_range(self) -> tuple[int, int]:
        """Character range of the body: header end to the closing/signature."""
        start = self.lines[min(self.header_end, len(self.lines) - 1)].start if self.lines else 0
        stop_line = self.closing if self.closing is not None else self.signature
        end = self.lines[stop_line].start if stop_line is not None else len(self.text)
        return start, max(start, end)

    # ---- stamps
    def _find_stamps(self) -> list[tuple[Stamp, int, int]]:
        out = []
        n = len(self.lines)
        for i in range(n):
            number = stamp_number(self.lines[i].text)
            if not number:
                continue
            j = _next_nonblank(self.lines, i + 1, 2)
            if j is None:
                continue
            dm = _stamp_date(self.lines[j].text)
            bare = self.lines[i].text.strip() == number  # the number alone, no `เลขรับ`
            if dm is None and not bare:
                dm = _stamp_date_misread_label(self.lines[j].text)
            debris = None
            if dm is None and not bare and len(self.lines[j].text) <= STAMP_DEBRIS_LINE:
                # a line of pen strokes between the number and the date (``๐, ล 2๖๐๐-``:
                # bench-corpus 116 took its stamp's ``วันที่ ๑ ต.ค. ๒๕`` for its date)
                k = _next_nonblank(self.lines, j + 1, 1)
                if k is not None and _stamp_date_keyword(self.lines[k].text):
                    dm = _stamp_date(self.lines[k].text)
                    if dm is not None:
                        debris, j = j, k
            if dm is None:
                # a date line too damaged to parse, framed by `เลขรับ` and `เวลา`: no
                # letter's (left unmarked, ``วันหี 19 ต๓ต.ค. 48`` gave the letter the date
                # ๓ ต.ค. ๔๘, bench-corpus 121); a stamp without its date is not recorded
                time_line = self._time_line_under(j)
                if not bare and len(self.lines[j].text) <= STAMP_DATE_LINE and time_line is not None:
                    self.stamp_lines |= {i, j, time_line}
                continue
            if bare and not _stamp_date_keyword(self.lines[j].text):
                continue  # a bare number needs a `วันที่` line under it
            block = {i, j} | ({debris} if debris is not None else set())
            time = None
            k = self._time_line_under(j)
            if k is not None:
                block.add(k)
                time = thaidate.parse_time(self.lines[k].text)
            office = None
            p = i - 1
            if p >= 0 and self.lines[p].text and _looks_like_office(self.lines[p].text):
                office = _clean_value(self.lines[p].text)
                block.add(p)
            self.stamp_lines |= block
            start = self.lines[min(block)].start
            end = self.lines[max(block)].end
            out.append((Stamp(office=office, number=number, date=_date_iso(dm), time=time), start, end))
        # a stamp whose number line OCR lost: a short ``วันที่`` date line with its ``เวลา``
        # line under it is no letter's date (a letter's date line has no time under it;
        # bench-corpus 047 gave the letter its stamp's ๕ ธ.ค. ๕๕). Not recorded as a stamp.
        for j in range(n):
            t = self.lines[j].text
            if (j not in self.stamp_lines and _stamp_date_line(t)
                    and _stamp_date(t) is not None):
                k = self._time_line_under(j)
                if k is not None:
                    self.stamp_lines |= {j, k}
        return out

    def _time_line_under(self, j: int) -> Optional[int]:
        """The receipt stamp's `เวลา` line right under its date line `j`, or None."""
        k = _next_nonblank(self.lines, j + 1, 1)
        return k if k is not None and STAMP_TIME_LINE.match(self.lines[k].text) else None


def _is_body_line(t: str) -> bool:
    """A body paragraph (not a header item): an opener like ตามที่/ด้วย, or a long line
    that is not an enclosure item with its quantity."""
    bare = ITEM_START.sub("", t)
    return bool(BODY_OPENER.match(bare)) or (len(t) > 110 and not QUANTITY_RE.search(t))


def _next_nonblank(lines: list[Line], i: int, max_skip: int) -> Optional[int]:
    skipped = 0
    while i < len(lines):
        if lines[i].text:
            return i
        skipped += 1
        if skipped > max_skip:
            return None
        i += 1
    return None


def _stamp_date_keyword(line: str) -> Optional[re.Match]:
    """A receipt stamp's date line opens with ``วันที่`` (``วันท`` as OCR leaves it)."""
    return _t(r"^(?:วันที่|วันท)").match(line)


def _stamp_date_line(line: str) -> bool:
    """A short line opening with ``วันที่``: a receipt stamp's date line, in a letter."""
    return len(line) <= STAMP_DATE_LINE and _stamp_date_keyword(line) is not None


def _stamp_date(line: str) -> Optional[thaidate.DateMatch]:
    return _date_opening(_t(r"^(?:วันที่|วันท[ีิ]?)\s*").sub("", line), lead=2)


def _date_opening(text: str, *, lead: int) -> thaidate.DateMatch | None:
    """The date `text` opens with, at most ``lead`` characters in, or None."""
    found = thaidate.find_dates(text) or thaidate.find_numeric_dates(text)
    if found and found[0].start <= lead and found[0].date:
        return found[0]
    return None


#: A stamp's date label as OCR garbles it: a Thai word within this many edits of ``วันที่``.
STAMP_LABEL_EDITS = 3
_LEADING_WORD = re.compile(r"^[ \t]*([ก-\u0e4e]{2,8})[ \t]+")


def _stamp_date_misread_label(line: str) -> thaidate.DateMatch | None:
    """The date of the line under a stamp's ``เลขรับ`` whose ``วันที่`` OCR misread
    (``วับนที ๑๐ ก.พ. ๕๗``: seed 2030's 005 lost its stamp), or None: a Thai word
    within `STAMP_LABEL_EDITS` edits of ``วันที่``, then a date at once."""
    from rapidfuzz.distance import Levenshtein

    m = _LEADING_WORD.match(line)
    if not m or Levenshtein.distance(m.group(1), "วันที่") > STAMP_LABEL_EDITS:
        return None
    return _date_opening(line[m.end():], lead=0)


def _looks_like_office(line: str) -> bool:
    if len(line) > 60 or SIGNATURE.match(line) or CLOSING.match(line) or URGENCY_RE.fullmatch(line.strip()):
        return False
    if MEMO_HEADING.match(line) or NUMBER_LINE.match(line) or FIELD_LINE.match(line):
        return False
    return bool(re.search(r"[ก-ฮ]", line))


def _looks_like_name(line: str) -> bool:
    inner = line.strip()[1:-1].strip()
    if not inner or re.fullmatch(r"[.\s…_-]*", inner):
        return False
    if _t(r"\d{3,}|สิ่งที่ส่งมาด้วย|จำนวน|ฉบับ|ชุด").search(inner):
        return False
    return len(inner) <= 60


# --------------------------------------------------------------------------- fields


def _kind(letter: Letter) -> str:
    # a receipt stamp's lines above the heading do not count (bench-corpus 010: a fax's
    # heading eighth, under a stamp of four lines and three of junk)
    head = [ln.text for i, ln in enumerate(letter.lines[:40]) if ln.text and i not in letter.stamp_lines][:12]
    for t in head[:6]:
        heading = anchor_kind(t)
        if heading in ("memo", "fax", "stamped"):
            return heading
    for t in head[:4]:
        if ORDER_HEADING.match(t) and len(t) < 90:
            word = re.match(r"(คำสั่ง|ระเบียบ|ข้อบังคับ|ประกาศ|แถลงการณ์)", t).group(1)
            return "order" if word in ("คำสั่ง", "ระเบียบ", "ข้อบังคับ") else "announcement"
    if any(UNIT_LINE.match(t) for t in head):
        return "memo"
    has_number = letter._first(NUMBER_LINE, 0, 40) is not None
    has_recipient = letter._first(RECIPIENT_LINE, 0, 60) is not None
    has_subject = letter._first(SUBJECT_LINE, 0, 60) is not None
    if has_number or has_recipient or (has_subject and letter.signature is not None):
        return "letter"
    return "other"


def _urgency_secrecy(letter: Letter, ex: Extracted) -> None:
    subject_line = letter._first(SUBJECT_LINE, 0, 60)
    hi = subject_line if subject_line is not None else min(len(letter.lines), 15)
    urgency = secrecy = None
    for i in range(0, hi):
        if i in letter.stamp_lines:
            continue
        ln = letter.lines[i]
        t = ln.text
        if not t or len(t) > 60:
            continue
        if urgency is None:
            # only at the head of a short line: `ด่วนที่สุด`, `ด่วนที่สุด บันทึกข้อความ`
            m = URGENCY_RE.match(t)
            if m:
                urgency = _canonical_urgency(m.group(0))
                ex.add_span("urgency", "URGENCY", ln.start + m.start(), ln.start + m.end())
        if secrecy is None:
            m = SECRECY_RE.match(t)
            if m:
                secrecy = m.group(0).strip()
    ex.fields["urgency"], ex.fields["secrecy"] = urgency, secrecy


def _canonical_urgency(word: str) -> str:
    if "มาก" in word:
        return "ด่วนมาก"
    if "ส" in word:
        return "ด่วนที่สุด"
    return "ด่วน"


def _number(letter: Letter, ex: Extracted) -> None:
    """The letter's own number: a `ที่` line above the subject; else a head line that
    starts with a number whose `ที่` OCR lost; else a `ที่` line further down (a letter
    whose `เรื่อง` was not found). A `ที่` line below the subject is a cited letter's
    (`ทภก ๐๐๒๓.๓/ว ๑๙๓๒` in อ้างถึง) and loses to the head's bare number."""
    ex.fields["number"] = None
    subject = letter._first(SUBJECT_LINE, 0, 60)
    limit = min(len(letter.lines), 40)
    head = limit if subject is None else min(subject, limit)
    if _number_line(letter, ex, 0, head) or _number_without_agency(letter, ex, head, subject is not None):
        return
    _number_line(letter, ex, head, limit)


def _number_line(letter: Letter, ex: Extracted, lo: int, hi: int) -> bool:
    for i in range(lo, hi):
        ln = letter.lines[i]
        if i in letter.stamp_lines or not ln.text:
            continue
        prefix = NUMBER_PREFIX.match(ln.text)
        if not NUMBER_LINE.match(ln.text) and not (prefix and MARKED_AGENCY.match(ln.text, SPECKS.match(ln.text, prefix.end()).end())):
            continue
        rest_start = ln.start + prefix.end()
        number, s, e = parse_number(letter.text[rest_start: rest_start + 200], header=True)
        if number and number.agency and rest_start == ln.start + 1 and _known_agency("ท" + number.agency) \
                and not _known_agency(number.agency):
            # `ทส ๑๖๐๔.๓/ว …` with its `ที่` lost: the ท is the agency's own (ทส), not a
            # `ที่` without its marks (`ทภก …` = ที่ ภก)
            rest_start = ln.start
            number, s, e = parse_number(letter.text[rest_start: rest_start + 200], header=True)
        if number is None:
            number, s, e = _parse_marked_agency(letter.text[rest_start: rest_start + 200])
        if number:
            ex.fields["number"] = number
            ex.add_span("number", "DOC_NUMBER", rest_start + s, rest_start + e)
            ex.fields["_number_line"] = i
            return True
    return False


# Agency letters with a mark OCR put on them: `บริ ๐๐๑๘.๑/ว` (บร).
MARKED_AGENCY = re.compile(r"[ \t]*([ก-ฮ][ก-ฮ\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{1,5})(?=[ \t]*\d)")


def _parse_marked_agency(text: str) -> tuple[DocNumber | None, int, int]:
    """A header number whose agency letters carry a stray mark: parsed with the marks
    taken off where that leaves a known code (letter codes have no vowels or tones)."""
    m = MARKED_AGENCY.match(text)
    if not m:
        return None, -1, -1
    bare = skeleton(m.group(1))
    if bare == m.group(1) or not _known_agency(bare):
        return None, -1, -1
    removed = len(m.group(1)) - len(bare)
    number, s, e = parse_number(text[: m.start(1)] + bare + text[m.end(1):], header=True)
    return (number, s, e + removed) if number else (None, -1, -1)


# `Wl 0017.2/ว 3035`, `fi aw 0018.3/ว 22955`, `ที่ AIS ๐๒๐๖.๒/ว ๔๐๖๐`, `1 AN ๐๐๑๘.๑/ว ๓๒๓๓๒`
# — the `ที่` and agency letters misread (Latin, specks, ที่ as a digit), the code intact;
# `n กค 0310.4/ว 30964`, `71 ภก ๐๐๑๗.๒/ว ๒๒๓` — only the `ที่` misread.
BARE_NUMBER_LINE = re.compile(
    r"^(?P<junk>(?:\d{1,2}[ \t]+(?=[A-Za-z]))?(?:(?=\S*[^\s\d])\S{1,6}[ \t]+){1,2}?|\d{1,2}[ \t]+(?=[ก-ฮ]{2}))?"
    r"(?:(?P<agency>[ก-ฮ][ก-ฮ\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{1,5}\.?)[ \t]*)?"
    r"(?P<code>\d{3,5}(?:[.,][ \t]?\d{1,4}){0,4})[ \t]*(?:/[ \t]*|(?=ว\.?[ \t]*\d))(?:(?P<circ>ว)(?![ก-ฮ\u0e30-\u0e4e])\.?[ \t]*)?"
    r"(?P<serial>\d{1,7})?(?![\d.])"
)


def _number_without_agency(letter: Letter, ex: Extracted, hi: int = 14, subject_found: bool = False) -> bool:
    """A header number whose `ที่ XX` is unreadable, among the first lines above line
    `hi` (the subject's, when found: a memo's number line comes after its receipt stamp
    and heading): keep code and serial. The agency letters, where unreadable, are taken
    later from the sender (`_agency_from_sender`)."""
    lines = range(min(len(letter.lines), 20 if subject_found else 14, hi))
    head = [i for i in lines if letter.lines[i].text and i not in letter.stamp_lines]
    for i in head if subject_found else head[:8]:
        ln = letter.lines[i]
        m = BARE_NUMBER_LINE.match(_unspeck_circular(ln.text))  # ``/วง 4662``: seed 2026 024
        if not m:
            if _number_after_junk(letter, ex, i):
                return True
            continue
        junk = (m.group("junk") or "").strip()
        agency = m.group("agency") or (junk if re.fullmatch(r"[ก-ฮ]{1,4}\.?", junk) else None)
        if m.group("agency") and junk:
            ex.warnings.append(f"the number's `ที่` is unreadable ({junk!r}); the number is taken from the line it starts")
        agency = _agency(agency) if agency else None
        code = _code(thai_to_arabic(m.group("code")))
        circ, serial = bool(m.group("circ")), m.group("serial")
        text = (f"{agency or ''} {code}/" + ("ว " if circ else "") + (serial or "")).strip()
        ex.fields["number"] = DocNumber(text=text, agency=agency, code=code, circular=circ, serial=serial)
        ex.add_span("number", "DOC_NUMBER", ln.start + m.start("code"), ln.start + m.end())
        ex.fields["_number_line"] = i
        if agency is None:
            ex.fields["_agency_unread"] = junk
        return True
    return False


def _number_after_junk(letter: Letter, ex: Extracted, i: int) -> bool:
    """A header number of a known agency after one or two tokens of a misread `ที่`, or
    with its `ที่` lost (``.กห 0301.31/.' 873``), as `parse_number` reads a number line
    (`N สน ๐๐๒๓.๓ ๒๘๗๒`: the slash lost too)."""
    ln = letter.lines[i]
    lead = SPECKS.match(ln.text).end()
    starts = [(lead, lead)] + [(m.start(), m.end()) for m in re.finditer(r"(?<=\S)[ \t]+", ln.text[:16])][:2]
    for junk_end, start in starts:
        number, s, e = parse_number(ln.text[start:], header=True)
        if number and number.agency and _known_agency(number.agency):
            ex.fields["number"] = number
            ex.add_span("number", "DOC_NUMBER", ln.start + start + s, ln.start + start + e)
            ex.fields["_number_line"] = i
            what = f"unreadable ({ln.text[:junk_end]!r})" if start > lead else "lost"
            ex.warnings.append(f"the number's `ที่` is {what}; the number is taken from the line it starts")
            return True
    return False


#: Thai letters OCR takes for one another (one stroke or loop apart). ร/ว, ช/ข and น/บ
#: are among the commonest single-letter substitutions of our OCR on the cached pages of
#: bench-corpus and four seeded sets (ร read as ว 23 times, ข for ช 20, บ for น 27).
CONFUSABLE_LETTERS = frozenset(map(frozenset, ("ขบ", "บป", "ทห", "ธอ", "ถภ", "ดค", "ดต", "ชซ", "พฟ", "ผฝ", "มฆ", "ฎฏ",
                                               "รว", "ชข", "นบ")))


def _one_letter_misread(read: str, code: str) -> bool:
    """Is the known code `read` the sender's `code` with one letter misread as a look-alike
    (``สบ`` for สข, ``กท`` for กห)?"""
    diff = [frozenset((a, b)) for a, b in zip(read, code) if a != b]
    return len(read) == len(code) and len(diff) == 1 and diff[0] in CONFUSABLE_LETTERS


def _agency_from_sender(letter: Letter, ex: Extracted) -> None:
    """Agency letters OCR could not read, taken from the office that wrote the letter: a
    provincial office numbers its letters with its province's code (จังหวัดนครราชสีมา →
    นม), a department with its ministry's (กรมอนามัย → สธ). Taken where the letters are
    missing or hold what no code holds (Latin, digits, vowels: `AIS`, `ส5`, `ศจงี้`), or
    where they are no known code yet share a letter with the sender's (`ภภ` under
    ศาลากลางจังหวัดภูเก็ต → ภก). A known code is kept — a police or university office
    in a province numbers with its own — unless it is the sender's with one letter read
    as its look-alike (``สบ`` under จังหวัดสงขลา → สข). Says so in a warning."""
    number = ex.fields.get("number")
    if number is None or number.code is None:
        return
    read = number.agency or ""
    unreadable = not read or not re.fullmatch(_AGENCY, read)
    known = not unreadable and (_known_agency(read.rstrip(".")) or "." in read)
    if known and len(read) != 2:
        return
    sources = [ex.fields.get("sender_org") or ""]
    line = ex.fields.get("_number_line")
    if line is not None:  # the office printed beside or under the number (address block)
        sources += [letter.lines[k].text for k in range(line, min(line + 3, len(letter.lines)))]
    code = next((c for c in map(agency_of_office, sources) if c), None)
    if code is None or code == read:
        return
    if not unreadable and not any(a == b for a, b in zip(read, code)):
        return
    if known and not _one_letter_misread(read, code):
        return
    ex.fields["number"] = _with_agency(number, read, code)
    if known:
        ex.warnings.append(f"the agency letters of the number read {read!r}, a look-alike of the sender's; taken as {code}")
    else:
        ex.warnings.append(f"the agency letters of the number are unreadable ({read or ex.fields.get('_agency_unread')!r}); "
                           f"taken as {code} from the sender")


def _with_agency(number: DocNumber, read: str, code: str) -> DocNumber:
    """`number` with the agency letters `code` in place of `read` (what OCR left of them)."""
    text = f"{code} {number.text[len(read):].strip()}" if read and number.text.startswith(read) else f"{code} {number.text}"
    return number.model_copy(update={"agency": code, "text": text})


def _code_from_citations(ex: Extracted) -> None:
    """A unit code with a digit OCR read twice (``๐๐๓๑๐.๔`` for ๐๓๑๐.๔, ``๐๔๑๑๐.๓``),
    taken as the code of a letter it cites (an office cites its own earlier letters)
    where that is the code with one of a doubled pair of digits read once, under the
    same agency where both read as known codes, and only one cited code is so. A code
    one digit off another is left alone: a sibling division's (๐๓๑๐.๓ beside ๐๓๑๐.๔).
    Says so in a warning."""
    number = ex.fields.get("number")
    if number is None or number.code is None:
        return
    refs = [r.number for r in ex.fields.get("references", []) if r.number is not None and r.number.code]
    if any(r.code == number.code for r in refs):
        return
    code = number.code
    once = {code[:k] + code[k + 1:] for k in range(1, len(code)) if code[k] == code[k - 1] and code[k].isdigit()}
    own = number.agency if number.agency and _known_agency(number.agency) else None
    cited = {r.code for r in refs if r.code in once
             and (own is None or not r.agency or not _known_agency(r.agency) or r.agency == own)}
    if len(cited) != 1:
        return
    new = cited.pop()
    text = number.text.replace(code, new, 1)
    ex.fields["number"] = number.model_copy(update={"code": new, "text": text})
    ex.warnings.append(f"the unit code of the number read {code!r}, a digit twice; taken as {new}, "
                       "as the letters it cites have it")


def _agency_from_citations(ex: Extracted) -> None:
    """Agency letters that are no known code (``ศอ``) or unreadable (``ศีจิ``, none),
    taken from the letters this one cites under the same code (``อ้างถึง … ที่ ศธ
    ๐๒๑๐.๐๓/ว ๒๕๓๕๑``: an office cites its own earlier letters), where exactly one known
    agency is cited with it and it shares a letter with what was read, if any Thai letter
    was (a code is an agency's own only within its ministry: กค and มท both number
    0310.4). Says so in a warning, as it does where the letters stay unread."""
    number = ex.fields.get("number")
    if number is None or number.code is None:
        return
    read = number.agency or ""
    if read and re.fullmatch(_AGENCY, read) and (_known_agency(read.rstrip(".")) or "." in read):
        return
    unread = read or ex.fields.get("_agency_unread") or ""
    # the token before the code is what was read of the letters (``ท NV``: ที่, then them)
    letters = (unread.split() or [""])[-1]
    cited = {r.number.agency for r in ex.fields.get("references", [])
             if r.number is not None and r.number.code == number.code and r.number.agency
             and _known_agency(r.number.agency)}
    code = cited.pop() if len(cited) == 1 else None
    if code is not None and letters != "ที่" and re.search("[ก-ฮ]", letters) and not set(letters) & set(code):
        code = None
    if code is None:
        if not read:
            ex.warnings.append(f"the agency letters of the number are unreadable ({unread!r}) and neither the "
                               "sender nor the letters it cites give them; the number is kept without them")
        return
    ex.fields["number"] = _with_agency(number, read, code)
    what = "no known code" if read and re.fullmatch(_AGENCY, read) else "unreadable"
    ex.warnings.append(f"the agency letters of the number read {unread!r}, {what}; taken as {code}, "
                       "as the letters it cites under the same code have it")


_CITED_DATE = re.compile(r"(?:ลงวันที่|ลว\.?|ลง)\s*$")
#: The words before a deadline's date (``ไม่เกินวันที่ …``).
_DUE = r"(?:ภายใน|ไม่เกิน|ก่อน)"
_DUE_DATE = re.compile(rf"{_DUE}(?:วัน\S*)?\s*$")
#: A deadline's words ending the line above its date (``… ไม่เกิน`` / ``วันที่ ๒๑ ก.พ. ๔๘``).
_DUE_LINE_END = re.compile(rf"{_DUE}\s*\n\s*(?:วัน\S*)?\s*$")
#: ``เรียน`` or ``เสนอ`` opening a line: a letter's date stands above it (``ถึง`` not: a
#: fax form's ``ถึง`` box can stand above its date).
SALUTATION_LINE = re.compile(rf"^(?:{_KW['recipient']}|{_KW['propose']})\s+")


def _header_end(letter: Letter, kind: str | None = None) -> int:
    """Offset where a letter's header ends and its dates stop being its own: the subject
    line; where OCR lost that (``เว้อง``) or there is none (a fax), the first salutation,
    citation or enclosure line, or the first body paragraph (``ด้วย …``) but in a
    หนังสือประทับตรา (`kind` "stamped"), dated below its body; line 25 where none is found."""
    hi_line = letter._first(SUBJECT_LINE, 0, 60)
    if hi_line is None:
        ends = (SALUTATION_LINE, CITES_LINE, ENCL_LINE) + ((BODY_OPENER,) if kind != "stamped" else ())
        found = [i for i in (letter._first(p, 0, 60) for p in ends) if i is not None]
        hi_line = min(found, default=min(len(letter.lines), 25))
    return letter.lines[hi_line].start if hi_line < len(letter.lines) else len(letter.text)


def _header_dates(letter: Letter, kind: str | None = None) -> list[thaidate.DateMatch]:
    hi = _header_end(letter, kind)
    out = []
    for m in thaidate.find_dates(letter.text[:hi]):
        line_no = letter.line_at(m.start)
        if line_no in letter.stamp_lines or not m.date or m.date.year < FIRST_LETTER_YEAR:
            continue
        line = letter.lines[line_no].text
        if len(line) > 70 and not line.startswith("วันที่") and NUMBER_LINE.match(line) is None:
            continue  # a date inside a body sentence is not the letter's date
        if (_t(r"(?:ลงวันที่|ลว\.?|ลง|เมื่อ)\s*$").search(m.prefix) or _DUE_DATE.search(m.prefix)
                or _DUE_LINE_END.search(letter.text, max(0, m.start - 40), m.start)):
            continue  # a letter cited, or a deadline (``ไม่เกินวันที่ …``), not the letter's date
        out.append(m)
    return out


#: A memo's date stands on its number line or at most this many lines below it (OCR
#: split the line, `_lines_below`).
MEMO_DATE_BELOW = 2


def _lines_below(letter: Letter, top: int, line: int) -> int:
    """How many non-blank lines `line` stands below line `top` (negative: above it)."""
    if line < top:
        return -1
    return sum(1 for i in range(top + 1, line + 1) if letter.lines[i].text)


def _date(letter: Letter, ex: Extracted) -> None:
    """The letter's date: the first header date at or below its number line (a receipt
    stamp above it, its lines too damaged to be known as one, holds a later date),
    else the first header date, else a date at the foot (orders, announcements). A
    memo's is on its number line or at most `MEMO_DATE_BELOW` lines below, or none."""
    ex.fields["date"] = ex.fields["date_text"] = None
    dates = _header_dates(letter, ex.fields.get("kind"))
    # dates not on a short line opening with วันที่ (a receipt stamp's date line)
    inline = [m for m in dates if not _stamp_date_line(letter.lines[letter.line_at(m.start)].text)]
    if ex.fields.get("kind") == "letter" and letter._first(FAX_FROM_LINE, 0, 30) is None:
        # a letter's date line is the date alone; a short line opening with วันที่ is a
        # receipt stamp's whose other lines OCR lost (memos, and faxes, their heading
        # unread but their จาก line there, date so)
        dates = inline
    elif ex.fields.get("kind") == "memo":
        # a memo dates itself on its number line (``ที่ … วันที่ …``); a short line opening
        # with วันที่ is its own date only where OCR split that line, else a receipt
        # stamp's (seed 2030 file 030 took its stamp's ๔ ม.ค. ๕๓ over ๒๖ ธันวาคม ๒๕๕๒)
        dates = inline or dates
    number_line = ex.fields.get("_number_line")
    if number_line is not None and ex.fields.get("kind") == "memo":
        # a memo's date is on its number line or, where OCR split that, just below it:
        # a date above is a receipt stamp's, one further down the body's (bench-corpus
        # 079 took its stamp's ๖ ก.พ. ๖๖ where its number line read ``วันที่ G``)
        dates = [m for m in dates if 0 <= _lines_below(letter, number_line, letter.line_at(m.start)) <= MEMO_DATE_BELOW]
    elif number_line is not None:
        below = [m for m in dates if letter.line_at(m.start) >= number_line]
        dates = below or dates
    if not dates:
        # orders and announcements are dated at the foot: `สั่ง ณ วันที่ …`, `ประกาศ ณ วันที่ …`
        dates = [m for m in thaidate.find_dates(letter.text)
                 if m.date and _t(r"(?:สั่ง|ประกาศ|ให้ไว้)\s*ณ\s*(?:วันที่)?\s*$").search(letter.text[max(0, m.start - 25):m.start])]
        if not dates:
            return
    m = dates[0]
    ex.fields["date"] = m.date.isoformat()
    ex.fields["date_span"] = (m.start, m.end)
    ex.add_span("date", "DATE", m.start, m.end)


#: A date line whose year OCR lost (``๑๒ มีนาคม 6``) is this short: the day, the month
#: and what is left of the year.
YEARLESS_LINE = 30


def _date_without_year(letter: Letter, ex: Extracted) -> None:
    """The letter's date where its header shows the day and month but OCR lost the year
    (``๑๒ มีนาคม 6``) or read it as no year can be (``๖๕๔๕``: a stamp's row through its
    first digit, seed 2031's 033): the year that puts it on or after the latest letter it cites or
    encloses (a letter comes after the letters it names) and on or before its earliest
    receipt stamp or deadline (``ภายในวันที่ …``). With only a citation, the
    first such day after it; with only a stamp or deadline, the last before it; with
    neither, none. A warning says so."""
    if ex.fields.get("date") is not None:
        return
    hi = _header_end(letter, ex.fields.get("kind"))
    number_line = ex.fields.get("_number_line") or 0
    found = None
    for m in thaidate.find_dates(letter.text[:hi], include_invalid=True):
        line_no = letter.line_at(m.start)
        # a year given, or any other problem, is not a year OCR lost
        written = (m.year_given or m.problem) and m.problem != "implausible year"
        if written or m.is_range or line_no in letter.stamp_lines or line_no < number_line:
            continue
        if len(letter.lines[line_no].text) <= YEARLESS_LINE and not m.prefix:
            found = m
            break
    if found is None:
        return
    cited = [r.date for r in ex.fields.get("references", []) if r.date]
    due = [st.date for st in ex.fields.get("stamps", []) if st.date]
    for m in thaidate.find_dates(letter.text):  # `ลงวันที่ …` of a citation OCR could not parse
        if m.date and m.year_given and _CITED_DATE.search(m.prefix):
            cited.append(m.date.isoformat())
        elif m.date and m.year_given and _DUE_DATE.search(m.prefix):
            due.append(m.date.isoformat())
    after, before = max(cited, default=None), min(due, default=None)
    if after is None and before is None:
        return
    low = datetime.date.fromisoformat(after) if after else None
    high = datetime.date.fromisoformat(before) if before else None
    years = range((low or high).year - (0 if low else 1), (high or low).year + (1 if high else 2))
    days = []
    for year in years:
        try:
            day = datetime.date(year, found.month, found.day)
        except ValueError:  # 29 February of another year
            continue
        if (low is None or day >= low) and (high is None or day <= high):
            days.append(day)
    if not days:
        return
    day = days[-1] if high else days[0]
    ex.fields["date"] = day.isoformat()
    ex.fields["date_span"] = (found.start, found.end)
    ex.add_span("date", "DATE", found.start, found.end)
    named = " and ".join(x for x in (f"after the letter it cites ({after})" if after else "",
                                      f"before its receipt stamp or deadline ({before})" if before else "") if x)
    ex.warnings.append(f"the year of the letter's date is unreadable ({letter.lines[letter.line_at(found.start)].text!r}); "
                       f"taken as {day.year + thaidate.BE_OFFSET} B.E., {named}")


def _line_value(letter: Letter, pattern: re.Pattern, lo: int, hi: int, more: int = 0,
                stop: re.Pattern = FIELD_LINE) -> tuple[Optional[str], int, int]:
    i = letter._first(pattern, lo, hi)
    if i is None:
        return None, -1, -1
    ln = letter.lines[i]
    m = pattern.match(ln.text)
    start = ln.start + m.end()
    parts, end = [ln.text[m.end():]], ln.end
    j, extra = i + 1, []
    while more and j < len(letter.lines) and j - i <= more + 3:
        t = letter.lines[j].text
        if t:
            if stop.match(t):
                parts += [letter.lines[k].text for k in extra]
                end = letter.lines[extra[-1]].end if extra else end
                break
            if j in letter.stamp_lines or NUMBER_LINE.match(t) or ITEM_START.match(t) or len(t) > 150:
                break
            extra.append(j)
            if len(extra) > more:
                break
        j += 1
    value = _clean_value(_join_lines(parts))
    return (value or None), start, end


#: The `เรียน` line under a letter's subject with its keyword misread: a short token that
#: is no word of a subject (Latin ``Seu``, ``Guu``; a stub ``ย่น``; a dash; ``เวียน`` with
#: ร read as ว; ``เเรียน``), then an addressee's position (``นายอำเภอ ทุกอำเภอ``,
#: ``หัวหน้าส่วนราชการ…``). Asked only on the lines right under the subject, where no
#: `เรียน` line was found: a subject's own wrapped line does not open so.
MISREAD_RECIPIENT_LINE = re.compile(
    rf"^(?!(?:และ|แก่|แด่|ของ|กับ|ถึง|ให้|ต่อ|โดย|ที่|ใน|ณ|จาก)\s)(?:[^\s\d๐-๙]{{1,4}}|เ?เ[รว]\S{{0,2}}ยน)\s+"
    rf"(?={POSITION_RE.pattern})"
)
#: A recipient's line whose `เรียน` (a fax's `ถึง`) OCR lost outright: an addressee's
#: position written to all of its kind (``นายอำเภอ ทุกอำเภอ``, ``ปลัดจังหวัด ทุกจังหวัด``,
#: ``ผู้อำนวยการกอง ทุกกอง``), among the header lines above the subject or right under it.
ADDRESSEE_LINE = re.compile(rf"^(?=(?:{POSITION_RE.pattern})\S*\s*{fuzzy('ทุก')}[ก-ฮ])")
#: How many lines under the subject's a misread `เรียน` line may stand (the subject wraps).
RECIPIENT_BELOW_SUBJECT = 3
#: Where the subject's wrapped lines end when a misread or lost `เรียน` line was found under it.
SUBJECT_STOP = re.compile(f"{FIELD_LINE.pattern}|{MISREAD_RECIPIENT_LINE.pattern}|{ADDRESSEE_LINE.pattern}")


def _subject_recipient(letter: Letter, ex: Extracted, kind: str) -> None:
    hi = min(len(letter.lines), max(letter.header_end + 1, 40))
    rec, s, e = _line_value(letter, RECIPIENT_LINE, 0, hi, more=0)
    subject_line = letter._first(SUBJECT_LINE, 0, hi)
    stop = FIELD_LINE
    if rec is None and subject_line is not None:
        below = [i for i in range(subject_line + 1, len(letter.lines)) if letter.lines[i].text][:RECIPIENT_BELOW_SUBJECT]
        misread = next((i for i in below if MISREAD_RECIPIENT_LINE.match(letter.lines[i].text)), None)
        if misread is not None:
            rec, s, e = _line_value(letter, MISREAD_RECIPIENT_LINE, misread, misread + 1, more=0)
            stop = SUBJECT_STOP
            ex.warnings.append(f"the `เรียน` of the recipient's line is unreadable "
                               f"({letter.lines[misread].text.split()[0]!r}); the line under the subject is taken for it")
        else:
            lost = next((i for i in list(range(subject_line)) + below if ADDRESSEE_LINE.match(letter.lines[i].text)), None)
            if lost is not None:
                rec, s, e = _line_value(letter, ADDRESSEE_LINE, lost, lost + 1, more=0)
                stop = SUBJECT_STOP
                ex.warnings.append(f"the recipient's line has no `เรียน`; {letter.lines[lost].text!r} is taken for it")
    subj, s_s, s_e = _line_value(letter, SUBJECT_LINE, 0, hi, more=3, stop=stop)
    ex.fields["subject"] = subj
    if subj:
        ex.add_span("subject", "SUBJECT", s_s, s_e)
    ex.fields["recipient"] = rec
    if rec:
        ex.add_span("recipient", "RECIPIENT", s, e)


def _strip_org(value: str) -> str:
    # OCR glues stamp or serial debris before the office: `33525 ศาลากลางจังหวัดบุรีรัมย์`
    anchor = _t(r"ศาลากลาง|ที่ว่าการ").search(value)
    if anchor:
        value = value[anchor.start():]
    else:
        first = ORG_WORDS.search(value)
        if first and not re.search(r"[ก-ฮ]", value[: first.start()]):
            value = value[first.start():]
    value = re.sub(r"^[^ก-๙A-Za-z0-9(]+", "", value)
    value = re.split(r"\s*[-–]?\s*โทร", value)[0]
    value = _t(r"^(?:ศาลากลาง|ที่ว่าการ)\s*").sub("", value)
    value = re.sub(r"\s*\([^)]*\)?\s*$", "", value)  # (วังไชยา): the building, kept in the address
    # handwritten `476/65` or a phone number without its `โทร` beside the office name
    value = re.sub(r"(?:\s+\S*\d\S*)+$", "", value)
    return _clean_value(value)


#: The office a fax's heading names, after `โทรสารในราชการ` (its `ราช` misread too: ``ในว่าชการ``).
FAX_OFFICE = re.compile(fuzzy("โทรสาร") + r"(?:ใน\S{2,5}?การ)?\s*(\S.*)$")


def _clean_office(name: str) -> bool:
    """Is `name` an office OCR read whole: a ministry, department or province the lexicon
    knows, with no digit or Latin letter OCR's damage leaves (``กรม1 ๕๓๓๓``)?"""
    return not re.search(r"[0-9๐-๙A-Za-z]", name) and agency_of_office(name) is not None


def _org_of_position(position: str) -> Optional[str]:
    """`ผู้ว่าราชการจังหวัดสกลนคร` → `จังหวัดสกลนคร` (the last head-of phrase wins)."""
    found = None
    for m in HEAD_OF.finditer(position):
        rest = position[m.end():].split()[0]
        found = rest
    return found


def _sender(letter: Letter, ex: Extracted, kind: str) -> None:
    org = address = None
    number_line = ex.fields.get("_number_line")
    subject_line = letter._first(SUBJECT_LINE, 0, 60)
    hi = subject_line if subject_line is not None else min(len(letter.lines), 25)
    if kind == "fax":
        # the office a fax's heading names (`โทรสารในราชการสำนักงาน ก.พ.`) sent it; its `จาก`
        # line names the office's head (`เลขาธิการ ก.พ.`), who does not always name the
        # office (`ปลัดกระทรวงศึกษาธิการ` heads สำนักงานปลัดกระทรวงศึกษาธิการ)
        heading = None
        for k, ln in enumerate(letter.lines[:hi + 1]):
            m = FAX_OFFICE.search(ln.text)
            if m and k not in letter.stamp_lines and FAX_HEADING.match(ln.text):
                heading = (_clean_value(m.group(1)), ln.start + m.start(1), ln.end)
                break
        i = letter._first(FROM_LINE, 0, hi + 5)
        if heading and heading[0] and _clean_office(heading[0]):
            org = heading[0]
            ex.add_span("sender", "ORG", heading[1], heading[2])
        elif i is not None:
            value = FROM_LINE.sub("", letter.lines[i].text)
            org = _org_of_position(value) or _clean_value(value)
            ex.add_span("sender", "ORG", letter.lines[i].start, letter.lines[i].end)
        elif heading:
            org = heading[0] or None
    if org is None and kind in ("order", "announcement"):
        for ln in letter.lines[:4]:
            m = _t(r"^(?:คำสั่ง|ระเบียบ|ข้อบังคับ|ประกาศ|แถลงการณ์)").match(ln.text)
            if m and len(ln.text) < 90:
                org = _clean_value(ln.text[m.end():]) or None
                if org:
                    ex.add_span("sender", "ORG", ln.start + m.end(), ln.end)
                break
    if org is None and kind == "stamped" and ex.fields.get("date_span"):
        # a หนังสือประทับตรา names its issuer on the line above the date, at the foot
        k = letter.line_at(ex.fields["date_span"][0]) - 1
        while k >= 0 and not letter.lines[k].text:
            k -= 1
        if k >= 0 and ORG_WORDS.search(letter.lines[k].text) and len(letter.lines[k].text) <= 60:
            org = _strip_org(letter.lines[k].text) or None
            ex.add_span("sender", "ORG", letter.lines[k].start, letter.lines[k].end)
    if org is None and number_line is not None:
        # OCR often reads `ที่ มท 0305.1/ว 1964 ... กรมการปกครอง` as one line
        ln = letter.lines[number_line]
        sp = ex.spans.get("number")
        tail_start = (sp[0].end - ln.start) if sp else len(ln.text)
        tail = ln.text[tail_start:].strip() if 0 <= tail_start <= len(ln.text) else ""
        org_word = ORG_WORDS.search(tail) if tail else None
        if org_word and not _t(r"^วันที่").match(tail):
            tail = tail[org_word.start():]
            org = _strip_org(tail) or None
            addr = [re.sub(r"^[^ก-๙A-Za-z0-9(]+", "", tail)]
            for k in range(number_line + 1, min(number_line + 4, len(letter.lines))):
                t = letter.lines[k].text
                if t and k not in letter.stamp_lines and (ADDRESS_WORDS.search(t) or POSTCODE_RE.search(t)) and len(t) < 80:
                    addr.append(t)
            address = _clean_value(" ".join(addr)) if len(addr) > 1 else None
    if org is None and kind == "memo":
        i = letter._first(UNIT_LINE, 0, hi + 3)
        if i is not None:
            ln = letter.lines[i]
            org = _strip_org(UNIT_LINE.sub("", ln.text))
            ex.add_span("sender", "ORG", ln.start + UNIT_LINE.match(ln.text).end(), ln.end)
    if org is None:
        lo = (number_line + 1) if number_line is not None else 0
        date_span = ex.fields.get("date_span")
        date_lines = set()
        if date_span:
            date_lines = set(range(letter.line_at(date_span[0]), letter.line_at(date_span[1] - 1) + 1))
        stop = hi if (number_line is not None or date_span) else min(hi, 6)
        candidates = []
        for i in range(lo, min(stop, len(letter.lines))):
            t = letter.lines[i].text
            if not t or i in letter.stamp_lines or i in date_lines or len(t) > 80:
                continue
            if (NUMBER_LINE.match(t) or FIELD_LINE.match(t) or URGENCY_RE.fullmatch(t) or "\t" in t
                    or _is_body_line(t) or ITEM_START.match(t)):
                continue
            candidates.append(i)
        org_line = next((i for i in candidates if ORG_WORDS.search(letter.lines[i].text)
                         and not ADDRESS_WORDS.match(letter.lines[i].text)), None)
        if org_line is not None:
            ln = letter.lines[org_line]
            org = _strip_org(ln.text) or None
            ex.add_span("sender", "ORG", ln.start, ln.end)
            addr = [re.sub(r"\s+\d{1,4}/\d{2,4}$", "", ln.text)]
            for i in candidates:
                if i > org_line and (ADDRESS_WORDS.search(letter.lines[i].text) or POSTCODE_RE.search(letter.lines[i].text)):
                    addr.append(letter.lines[i].text)
            address = _clean_value(" ".join(addr)) if len(addr) > 1 else None
    ex.fields["sender_org"] = org
    ex.fields["sender_address"] = address


def _signature(letter: Letter, ex: Extracted) -> None:
    name = position = unit = None
    phones: list[str] = []
    i = letter.signature
    tail_from = letter.closing if letter.closing is not None else (i if i is not None else len(letter.lines))
    if i is not None:
        ln = letter.lines[i]
        inner_start = ln.start + ln.text.index("(") + 1
        name = _clean_value(ln.text.strip()[1:-1])
        ex.add_span("signatory", "PERSON", inner_start, inner_start + len(ln.text.strip()[1:-1].rstrip()))
        pos_lines, j = [], i + 1
        while j < len(letter.lines) and len(pos_lines) < 4:
            t = letter.lines[j].text
            if not t:
                j += 1
                if j < len(letter.lines) and not letter.lines[j].text:
                    break
                continue
            if len(t) <= 90 and not UNIT_OR_PHONE.match(t) and (POSITION_RE.search(t) or not pos_lines):
                pos_lines.append(t)  # the first line under the name is the position
                j += 1
                continue
            break
        position = _clean_value(" ".join(pos_lines)) or None
        # owner unit: the short lines between the position and the phone line
        unit_lines, k = [], j
        while k < len(letter.lines) and k - j < 8:
            t = letter.lines[k].text
            if t.startswith("โทร") or PHONE_RE.match(t):
                break
            if t and (len(t) > 70 or SIGNATURE.match(t) or k in letter.stamp_lines):
                unit_lines = []
                break
            if t and not re.match(r"^(?:https?://|www\.|\S+\.(?:at|ly|com|th)/)|^" + fuzzy("สิ่งที่ส่งมาด้วย") + "$", t):
                unit_lines.append(t)
            k += 1
        else:
            unit_lines = []
        if unit_lines and len(unit_lines) <= 4 and k < len(letter.lines):
            unit = _clean_value(" ".join(unit_lines))
    # phones of the owner unit: phone lines after the closing/signature
    tail_start = letter.lines[tail_from].start if tail_from < len(letter.lines) else len(letter.text)
    for m in PHONE_RE.finditer(letter.text, tail_start):
        line_start = letter.text.rfind("\n", 0, m.start()) + 1
        if m.start() - line_start > 2:  # phone lines start with โทร
            continue
        for num in re.split(r"\s*(?:,|หรือ)\s*", m.group("nums")):
            canon = _canonical_phone(num)
            if canon and canon not in phones:
                phones.append(canon)
        if len(phones) >= 4:
            break
    if ex.fields.get("sender_org") is None and position:
        ex.fields["sender_org"] = _org_of_position(position)
    ex.fields.update(signatory_name=name, signatory_position=position, unit=unit, phones=phones)


def _canonical_phone(num: str) -> Optional[str]:
    ext = None
    m = re.search(r"(?:ต่อ|ต\.)\s*(\d+)", num)
    if m:
        ext, num = m.group(1), num[: m.start()]
    groups = [g for g in re.split(r"[\s\-]+", num.strip()) if g]
    digits = "".join(groups)
    if not 8 <= len(digits) <= 10 or not digits.startswith("0"):
        return None
    canon = "-".join(groups)
    return f"{canon} ต่อ {ext}" if ext else canon


def _block(letter: Letter, pattern: re.Pattern) -> Optional[tuple[int, int, list[tuple[int, int]]]]:
    """A header block (อ้างถึง / สิ่งที่ส่งมาด้วย): its character range and item ranges."""
    i = letter._first(pattern, 0, min(len(letter.lines), letter.header_end + 1))
    if i is None:
        return None
    first = letter.lines[i]
    start = first.start + pattern.match(first.text).end()
    end = first.end
    j = i + 1
    while j < min(len(letter.lines), letter.header_end + 1):
        t = letter.lines[j].text
        if t:
            if FIELD_LINE.match(t) or _is_body_line(t):
                break
            if j in letter.stamp_lines:
                break
            end = letter.lines[j].end
        j += 1
    body = letter.text[start:end]
    # items start at line heads `1.`/`(1)`; the first item may follow the keyword directly
    cuts = [0] + [m.start() + 1 for m in re.finditer(r"\n(?=\(?\d{1,2}[.)]\s*\S)", body)]
    items = []
    for n, c in enumerate(cuts):
        e = cuts[n + 1] if n + 1 < len(cuts) else len(body)
        if body[c:e].strip():
            items.append((start + c, start + e))
    return start, end, items


#: A cited number whose ``ที่`` OCR lost or glued to the agency (``ทสธ ๐๔๑๐.๓/๑๐๑๘๓``,
#: ``HAA ๐๓๑๐.๔/ๆ ๒๙๘``): where it starts, before agency letters, a code and its slash.
UNMARKED_NUMBER = re.compile(r"(?:^|(?<=[\s(]))(?:ท[\u0e34\u0e35]?\u0e48?)?(?=[ก-ฮ]{2,3}[ \t]*\d{3,5}(?:[.,]\d{1,4})*[ \t]*/)")


def _unmarked_number(text: str) -> re.Match | None:
    """Where a cited number without its ``ที่`` starts (`UNMARKED_NUMBER`): only before a
    known agency's letters, so that no other run of letters and digits is taken."""
    for m in UNMARKED_NUMBER.finditer(text):
        number, start, _ = parse_number(text[m.end():])
        if number is not None and start == 0 and number.agency and _known_agency(number.agency):
            return m
    return None


def _references_in(text: str, relation: str, offset: int, ex: Extracted, default_year: int | None) -> list[Reference]:
    """Every cited number of an item of อ้างถึง or สิ่งที่ส่งมาด้วย, one after another: an
    item holds two where OCR lost the next item's head (``… ลงวันที่ 24 เมษายน 47`` then
    ``วนที่สุด ที่ มท 0317/ว 33932 ลงวันที่ 28 ธันวาคม 46``: seed 2031's 021)."""
    out: list[Reference] = []
    at = 0
    while at < len(text):
        found = _reference_at(text[at:], relation, offset + at, ex, default_year)
        if found is None:
            break
        out.append(found[0])
        at += max(found[1], 1)
    return out


def _reference_at(text: str, relation: str, offset: int, ex: Extracted,
                  default_year: int | None) -> tuple[Reference, int] | None:
    """The first cited number in ``text`` as a reference, and where its text ends."""
    m_no = re.search(rf"(?:^|[\s(]){_KW['number']}\s*", text) or _unmarked_number(text)
    if not m_no:
        return None
    # a cited number wraps between its agency and its code (``… ที่ ศธ`` / ``0206.2/ว 4060
    # ลงวันที่ …``: bench-corpus 021); a space for the line break keeps the spans right
    number, s, e = parse_number(text[m_no.end():].replace("\n", " "))
    if number is None:
        return None
    after = m_no.end() + e
    date, text_end = None, after
    for dm in thaidate.find_dates(_unspeck_date(text[after: after + 80]), default_year=default_year):
        if dm.date and not text[after: after + dm.start].strip(" \t\n").startswith("เรื่อง"):
            date, text_end = dm.date.isoformat(), after + dm.end
        break
    issuer = None
    mi = _t(r"(?:สำเนา)?(?:หนังสือ|โทรสาร|บันทึก(?:ข้อความ)?|คำสั่ง|ประกาศ|ระเบียบ)\s*(?:ใน)?(?:ราชการ)?\s*(.+?)\s*(?:ด่วน\S*\s*)?(?:ลับ\S*\s*)?$").search(
        text[: m_no.start()].strip())
    if mi:
        issuer = _clean_value(mi.group(1)) or None
    # agency letters no agency has (``กศ`` for กค, ``ค`` with its first letter lost), under
    # an issuer whose code is known (หนังสือกรมบัญชีกลาง: กค; seed 2031's 003)
    if number.agency and not _known_agency(number.agency) and issuer:
        code = agency_of_office(issuer)
        if code:
            number = _with_agency(number, number.agency, code)
    ex.add_span("references", "REFERENCE", offset + m_no.end() + s, offset + m_no.end() + e)
    return Reference(relation=relation, number=number, date=date, issuer=issuer, text=_squash(text[:text_end])), text_end


#: Specks OCR leaves about a cited date (``ลงวันที่.๑๙`` / ``'ธันวาคม ๒๕๔๗``:
#: bench-corpus 000; ``๑ . เมษายน``: bench-corpus 056): quotes and bars anywhere, a dot
#: glued to ``ลงวันที่`` or standing alone between spaces.
DATE_SPECKS = re.compile(r"['‘’`\"“”|]|(?<=ที่)\.|(?<=[ \t])\.(?=[ \t])")


def _unspeck_date(text: str) -> str:
    """``text`` with `DATE_SPECKS` made spaces (the same length: spans stay right)."""
    return DATE_SPECKS.sub(" ", text)


def _references_enclosures(letter: Letter, ex: Extracted) -> None:
    refs: list[Reference] = []
    enclosures: list[Enclosure] = []
    year = int(ex.fields["date"][:4]) if ex.fields.get("date") else None
    cites = _block(letter, CITES_LINE)
    if cites:
        for s, e in cites[2]:
            item = re.sub(r"^\(?\d{1,2}[.)]\s*", "", letter.text[s:e].strip())
            refs += _references_in(item, "cites", s + (len(letter.text[s:e]) - len(letter.text[s:e].lstrip())), ex, year)
    encl = _block(letter, ENCL_LINE)
    if encl:
        for s, e in encl[2]:
            raw_item = letter.text[s:e].strip()
            item = re.sub(r"^\(?\d{1,2}[.)]\s*", "", raw_item)
            q = QUANTITY_RE.search(item)
            quantity = f"{q.group(1)} {q.group(2)}" if q else None
            item_text = _clean_value(_join_lines(item[: q.start()].split("\n") if q else item.split("\n")))
            if item_text:
                enclosures.append(Enclosure(text=item_text, quantity=quantity))
            if _t(r"หนังสือ|โทรสาร|บันทึก|คำสั่ง|ประกาศ").search(item):
                refs += _references_in(item[: q.start()] if q else item, "encloses", s, ex, year)
    # in-body citations: `ตามหนังสือกรม… ที่ มท … ลงวันที่ …` (body only, not attachments)
    b0, b1 = letter.body_range()
    body = letter.text[b0:b1]
    for m in IN_BODY_CITE.finditer(body):
        window = body[m.start(): m.start() + 260]
        no = re.search(rf"\s{_KW['number']}\s+", window[:160]) or _unmarked_number(window[:160])
        if not no:
            continue
        # the cited number must come before the next sentence-ish break
        segment_text = window[: no.end() + 120]
        found = _reference_at(segment_text[len(m.group(0)) - len(m.group("what")):], "cites",
                              b0 + m.start() + len(m.group(0)) - len(m.group("what")), ex, year)
        if found and found[0].number:
            # keep the text up to the date
            refs.append(found[0])
    ex.fields["references"] = _dedupe_refs(refs, ex.fields.get("number"))
    ex.fields["enclosures"] = enclosures


def _dedupe_refs(refs: list[Reference], own: Optional[DocNumber]) -> list[Reference]:
    seen: dict[str, int] = {}
    out: list[Reference] = []
    own_key = _number_key(own.text) if own else None
    for r in refs:
        key = _number_key(r.number.text) if r.number else r.text
        if own_key and key == own_key:
            continue
        if key in seen:
            kept = out[seen[key]]
            if kept.relation == "cites" and r.relation == "encloses":
                out[seen[key]] = r.model_copy(update={"date": r.date or kept.date})
            elif kept.date is None and r.date:
                out[seen[key]] = kept.model_copy(update={"date": r.date})
            continue
        seen[key] = len(out)
        out.append(r)
    return out


def _number_key(text: str) -> str:
    return re.sub(r"[\s./ว]", "", text)


def _clause_before(text: str, pos: int) -> str:
    """The clause a deadline belongs to: back to the paragraph/item start or previous clause."""
    lo = max(0, pos - 300)
    chunk = text[lo:pos]
    cut = 0
    for pat in (r"\n\s*\n", r"\n\(?\d{1,2}[.)]\s", r"(?:^|\s)\d{1,2}\.\s", r"\sและ(?=\S)", r"\s(?:โดย|ทั้งนี้|ซึ่ง)(?=\S)"):
        for m in re.finditer(pat, chunk):
            cut = max(cut, m.end())
    if cut == 0 and lo > 0:  # the window starts mid-clause: begin at a word boundary
        space = re.search(r"\s", chunk)
        cut = space.end() if space else 0
    return _clean_value(_join_lines(chunk[cut:].split("\n")))


def _deadlines(letter: Letter, ex: Extracted, stamps: list[Stamp]) -> None:
    text = letter.text
    letter_date = ex.fields.get("date")
    year = int(letter_date[:4]) if letter_date else None
    found: list[tuple[Deadline, int, int]] = []
    for m in thaidate.find_dates(text, default_year=year):
        before = text[max(0, m.prefix_start - 40 if m.prefix_start >= 0 else m.start - 40): m.start]
        lead = text[max(0, (m.prefix_start if m.prefix_start >= 0 else m.start) - 30): m.start]
        due = None
        # the weekday wrapped under ``ภายในวัน`` (``ภายในวัน`` / ``อังคารที่ ๑๑ เมษายน``), a
        # speck before the day (``ไม่เกินวันที่ . ๑๑ กันยายน``: bench-corpus 023, 056)
        if DEADLINE_CUE.search(lead) or _t(r"(?:ภายใน|ก่อน|ไม่เกิน)\s*(?:วัน\s*\S{0,12}?)?(?:ที่|ท[ีิ])?[\s.,'|]*$").search(before):
            due = m.end_date or m.date
        elif m.end_date and WINDOW_CUE.search(lead) and WINDOW_VERB.search(text[max(0, m.start - 200): m.start]):
            due = m.end_date
        if due is None:
            continue
        time = None
        # ``เวลา`` at a line's end, its time on the next line (``เวลา`` / ``๑๕.๐๐ น.``, or
        # with its ``น.`` lost): a space for each line break keeps the offsets
        after = text[m.end: m.end + 30].replace("\n", " ")
        tm = thaidate.find_times(after)
        if tm and tm[0].start <= 12:
            time = (tm[0].end_hhmm() if tm[0].end_hour is not None else tm[0].hhmm())
        start = m.prefix_start if m.prefix_start >= 0 else m.start
        cue = _t(r"(?:ภายใน|ก่อน|ไม่เกิน|ไม่ช้ากว่า|หมดเขต|สิ้นสุด|ปิดรับ\S*|ตั้งแต่|ระหว่าง)\S*\s*$").search(text[max(0, start - 30):start])
        if cue:
            start = max(0, start - 30) + cue.start()
        end = m.end + (tm[0].end if time else 0)
        found.append((Deadline(date=due.isoformat(), time=time, action=_clause_before(text, start) or None,
                               text=text[start:end]), start, end))
    # relative deadlines: `ภายใน 7 วัน นับแต่ได้รับหนังสือ`
    for m in RELATIVE_DEADLINE.finditer(text):
        base, base_name = None, None
        if m.group("recv") and stamps and stamps[0].date:
            base, base_name = stamps[0].date, "the receipt stamp"
        elif letter_date:
            base, base_name = letter_date, "the letter's date"
        if base is None:
            continue
        n = int(m.group("n"))
        due = _add_days(datetime.date.fromisoformat(base), n, working=bool(m.group("work")))
        found.append((Deadline(date=due.isoformat(), time=None, action=_clause_before(text, m.start()) or None,
                               text=m.group(0).strip(), relative=True), m.start(), m.end()))
        ex.warnings.append(f"deadline {due.isoformat()} computed from '{m.group(0).strip()}' counted from {base_name} ({base})")
    seen = set()
    deadlines = []
    for d, s, e in sorted(found, key=lambda x: x[1]):
        key = (d.date, d.time)
        if key in seen:
            continue
        seen.add(key)
        deadlines.append(d)
        ex.add_span("deadlines", "DEADLINE", s, e)
        if letter_date and d.date < letter_date:
            ex.warnings.append(f"deadline {d.date} is before the letter's date {letter_date}")
    ex.fields["deadlines"] = deadlines


def _add_days(base: datetime.date, n: int, working: bool) -> datetime.date:
    if not working:
        return base + datetime.timedelta(days=n)
    d = base
    while n > 0:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def extract_letter(text: str, kind_hint: str | None = None) -> Extracted:
    """All fields of one letter from its normalised text."""
    letter = Letter(text)
    ex = Extracted(text=text)
    kind = _kind(letter)
    ex.fields["kind"] = kind
    _urgency_secrecy(letter, ex)
    _number(letter, ex)
    _date(letter, ex)
    _subject_recipient(letter, ex, kind)
    _sender(letter, ex, kind)
    _signature(letter, ex)  # the office named by the signatory's position counts too
    _agency_from_sender(letter, ex)
    stamps = [_stamp_month_check(st, text[s:e], ex) for st, s, e in letter.stamps]
    for _, s, e in letter.stamps:
        ex.add_span("stamps", "STAMP", s, e)
    ex.fields["stamps"] = stamps
    _references_enclosures(letter, ex)
    _code_from_citations(ex)
    _agency_from_citations(ex)
    _date_without_year(letter, ex)
    _deadlines(letter, ex, stamps)
    emails = []
    for m in EMAIL_RE.finditer(text):
        if m.group(0) not in emails:
            emails.append(m.group(0))
    ex.fields["emails"] = emails
    _checks(ex)
    return ex


def _stamp_month_check(stamp: Stamp, raw: str, ex: Extracted) -> Stamp:
    """`มี.ค.` loses its upper vowel in OCR and reads `ม.ค.` (January). A receipt stamp
    comes after the letter's date: when January puts it before the letter and March
    puts it within four months after, take March and say so."""
    date = ex.fields.get("date")
    if not (date and stamp.date and stamp.date < date and re.search(r"ม\s?\.\s?ค", raw)):
        return stamp
    march = stamp.date[:5] + "03" + stamp.date[7:]
    try:
        gap = (datetime.date.fromisoformat(march) - datetime.date.fromisoformat(date)).days
    except ValueError:
        return stamp
    if 0 <= gap <= 120:
        ex.warnings.append(f"receipt stamp month read as ม.ค. ({stamp.date}) taken as มี.ค. ({march}): "
                           f"January would put it before the letter's date {date}")
        return stamp.model_copy(update={"date": march})
    return stamp


def _checks(ex: Extracted) -> None:
    f = ex.fields
    date = f.get("date")
    for st in f.get("stamps", []):
        if date and st.date and date > st.date:
            ex.warnings.append(f"letter dated {date} is after its receipt stamp dated {st.date}")
    if date:
        year = int(date[:4])
        others = [int(d.date[:4]) for d in f.get("deadlines", [])] + [int(s.date[:4]) for s in f.get("stamps", []) if s.date]
        if others and all(abs(year - y) >= 2 for y in others):
            ex.warnings.append(f"year {year} of the letter's date is far from its deadlines/stamps {sorted(set(others))} (likely misread)")
    if f["kind"] in ("letter", "memo", "fax") and not f.get("number"):
        ex.warnings.append("no document number found (blank, stamped later, or unreadable)")
    if not date and f["kind"] != "other":
        ex.warnings.append("no date found in the letter's header")


# --------------------------------------------------------------------------- records


def _page_of(raw_index: int, page_starts: list[int]) -> int:
    return bisect_right(page_starts, raw_index)


def read_document(doc: Document) -> list[Record]:
    """Every letter of a document as a `Record` (empty for a document with no text)."""
    raw_parts, page_starts, pos = [], [], 0
    for p in doc.pages:
        page_starts.append(pos)
        raw_parts.append(p.text)
        pos += len(p.text) + 2
    raw = "\n\n".join(raw_parts)
    norm = normalise(raw)
    if not norm.text.strip():
        return []
    page_numbers = [p.page for p in doc.pages]
    records = []
    # where each page begins in the normalised text: a page that opens with a header
    # starts a letter even where OCR damaged its number line
    spans = segment(norm.text, [bisect_left(norm.offsets, start) for start in page_starts])
    for index, sp in enumerate(spans, start=1):
        text = norm.text[sp.start: sp.end]
        ex = extract_letter(text)
        records.append(_build_record(doc, index, sp.start, text, ex, norm, page_starts, page_numbers))
    return records


def _build_record(doc: Document, index: int, offset: int, text: str, ex: Extracted, norm: Normalised,
                  page_starts: list[int], page_numbers: list[int]) -> Record:
    def raw_of(s: int, e: int) -> str:
        rs, re_ = norm.source_span(offset + s, offset + e)
        return norm.raw[rs:re_]

    def page_of(s: int) -> Optional[int]:
        if not page_numbers:
            return None
        rs, _ = norm.source_span(offset + s, offset + s + 1)
        return page_numbers[min(_page_of(rs, page_starts) - 1, len(page_numbers) - 1)]

    f = ex.fields
    first_page, last_page = page_of(0), page_of(max(0, len(text) - 1))
    pages = list(range(first_page, last_page + 1)) if first_page and last_page else []
    evidence = {
        name: [Evidence(page=page_of(s.start), start=s.start, end=s.end, raw=raw_of(s.start, s.end)) for s in spans]
        for name, spans in ex.spans.items()
    }
    date_text = None
    if f.get("date_span"):
        date_text = raw_of(*f["date_span"])
    deadlines = []
    for d, sp in zip(f["deadlines"], ex.spans.get("deadlines", [])):
        deadlines.append(d.model_copy(update={"text": _squash(raw_of(sp.start, sp.end))}))
    return Record(
        id=f"{doc.sha256[:12]}#{index}",
        source=Source(path=doc.path, sha256=doc.sha256, letter_index=index, pages=pages),
        kind=f["kind"],
        urgency=f["urgency"],
        secrecy=f["secrecy"],
        number=f["number"],
        date=f["date"],
        date_text=_squash(date_text) if date_text else None,
        subject=f["subject"],
        recipient=f["recipient"],
        sender=Sender(organization=f["sender_org"], address=f["sender_address"], unit=f["unit"],
                      phones=f["phones"], emails=f["emails"]),
        signatory=Signatory(name=f["signatory_name"], position=f["signatory_position"]),
        references=f["references"],
        enclosures=f["enclosures"],
        deadlines=deadlines,
        stamps=f["stamps"],
        warnings=list(dict.fromkeys(ex.warnings)),
        text=text,
        evidence=evidence,
    )


def read_text(text: str, path: str = "<text>") -> list[Record]:
    """Records of a text (one file's worth) — the text is one page."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(path=path, sha256=sha, pages=[PageText(page=1, text=text, method="text")])
    return read_document(doc)
