"""Split one file's normalised text into letters.

A scanned circular usually holds a cover letter followed by the letters it forwards
(the province's letter, then the department's, then the ministry's memo). A new letter
starts at a *header anchor* — a number line (``ที่ มท 0305.1/ว 1964``), a memo heading
(``บันทึกข้อความ``), a fax heading (``โทรสารในราชการ…``), an order or announcement
heading — but only once the letter before it has *closed* (``ขอแสดงความนับถือ``, a
bracketed signature name, ``จึงเรียนมา…``). Forms, QR pages and guidelines after a
letter's signature therefore stay with that letter. The new letter's span reaches back
over the urgency/secrecy lines and receipt stamps printed just above its header.

Scans add two cases where OCR damaged the anchor. Where the page breaks are known, a page
that opens with a letter's header (``เรื่อง`` then ``เรียน``/``เสนอ`` among its first
lines) starts a letter at its top: every letter of a file begins on a page of its own.
And a file whose first header OCR lost, but whose text closes a letter before the first
anchor found, keeps that first letter: the anchor opens the second.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

from .lexicon import fuzzy, tolerant

# `ที่ มท 0305.1/ว 1964`, `ที สน 0018.1/ว`, `ที่ กห 0301.10.1/260`, `ที่ 1139/2566` at line start.
NUMBER_LINE = re.compile(
    r"^(?:" + fuzzy("ที่") + r")\s*(?:[ก-ฮ]{1,4}\.?(?:[ก-ฮ]{1,3}\.)?\s*\d|\d{1,5}\s*/\s*\d{2,4}\s*$)"
)
MEMO_HEADING = re.compile(tolerant(r"^(?:(?:ด่วน\S*|ลับ\S*)\s*)*" + fuzzy("บันทึกข้อความ")))
FAX_HEADING = re.compile(tolerant(r"^(?:(?:ด่วน\S*)\s*)*(?:หนังสือ)?(?:แบบ)?" + fuzzy("โทรสาร") + r"(?:ในราชการ|\S*\s*$)"))
ORDER_HEADING = re.compile(tolerant(r"^(?:คำสั่ง|ระเบียบ|ข้อบังคับ|ประกาศ|แถลงการณ์)\S*"))
STAMPED_HEADING = re.compile(r"^" + fuzzy("หนังสือประทับตรา"))

CLOSING = re.compile(
    r"^(?:" + fuzzy("ขอแสดงความนับถือ") + r"|" + fuzzy("จึงเรียน") + r"|" + fuzzy("จึงเสนอ") + r")"
)
# A bracketed signature name: `(นายทิลิษฐ์ แร่ทอง)`, `(รวยรุ่ง ไครบุตร)`; not `(.....)`.
SIGNATURE = re.compile(r"^\(\s*[ก-๙A-Za-z][^()\n]{2,60}\)\s*$")
# A letter's subject and recipient lines, as `pipeline.extract` reads them.
SUBJECT_START = re.compile(r"^" + fuzzy("เรื่อง") + r"\s*[:.]?\s*\S")
RECIPIENT_START = re.compile(r"^(?:" + fuzzy("เรียน") + r"|" + fuzzy("เสนอ") + r")\s+\S")
#: A page opens with a header when its subject line is among its first HEADER_LINES
#: non-blank lines (urgency, emblem debris, receipt stamp, number, address and date come
#: first: 6-12 lines on the scans) and the recipient follows within HEADER_GAP lines.
HEADER_LINES = 16
HEADER_GAP = 3
URGENCY_LINE = re.compile(tolerant(r"^(?:ด่?วน(?:ท[ีิ]?่?ส[ุ]?ด|มาก)?|ลับ(?:ที่สุด|มาก)?)\s*$"))
# A receipt stamp's number line: `เลขรับ 4485`, `รับที่ 99`, or the bare number (group 2).
STAMP_NUMBER = re.compile(tolerant(
    r"^(?:เลขรับ|เลขที่|เลขท[ีิ]|รับที่|รับท[ีิ]|เลขทะเบียนรับ)\s*[:.]?\s*(\d{1,7})\s*$|^(\d{2,7})\s*$"))
STAMP_DATE = re.compile(tolerant(r"^(?:วันที่|วันท[ีิ])?\s*\d{1,2}\s*\S{2,12}\s*\d{2,4}\s*$|^(?:วันที่|วันท[ีิ])\s"))
STAMP_TIME = re.compile(r"^เวลา")
# `าเลตรับ 18281`, `เลขรัจ| 32648`, `เลขรับ 37041 ภร1`, `เลขรับ 29255 7ป7ฏ7`: a receipt
# stamp's number line as OCR reads the pen and stamp ink: its keyword a letter or two off,
# specks and pen strokes after the number; a speck before the keyword and a word of the
# letter's address column the stamp was pressed beside (``.เลขรับ ๑๐๓๘๙ ถนนสรี้ งก``:
# bench-corpus 115 took its stamp's date); a speck before the number (``เลขรับ .4500.``).
OCR_STAMP_NUMBER = re.compile(
    r"^[^\w\s]{0,2}(?P<word>[\u0e01-\u0e4e]{3,8})[ \t]*[|:.]?[ \t]*(?P<number>\d[\d,]{2,8})[^\w\s]{0,3}"
    r"(?:[ \t]+\S{1,10}){0,2}$")


def stamp_number(line: str) -> str | None:
    """The number of a receipt stamp's `เลขรับ` line, or None: as written, or with the
    keyword misread by at most two letters and specks around the number (then a date
    line must still follow it: callers check)."""
    from rapidfuzz.distance import Levenshtein

    m = STAMP_NUMBER.match(line)
    if m:
        return m.group(1) or m.group(2)
    m = OCR_STAMP_NUMBER.match(line)
    number = m.group("number").replace(",", "") if m else ""
    if not m or Levenshtein.distance(m.group("word"), "เลขรับ") > 2 or not 3 <= len(number) <= 7:
        return None
    return number


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class LetterSpan:
    start: int  # offsets in the normalised file text
    end: int
    anchor: str  # what opened it: "start", "number", "memo", "fax", "order", "stamped", "page"


def lines_of(text: str, offset: int = 0) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(offset + pos, offset + pos + len(raw), raw.strip()))
        pos += len(raw) + 1
    return out


def anchor_kind(line: str) -> str | None:
    if MEMO_HEADING.match(line):
        return "memo"
    if FAX_HEADING.match(line) and len(line) < 80:
        return "fax"
    if STAMPED_HEADING.match(line):
        return "stamped"
    if NUMBER_LINE.match(line):
        return "number"
    if ORDER_HEADING.match(line) and len(line) < 90:
        return "order"
    return None


def _is_stamp_block_end(lines: list[Line], i: int) -> int | None:
    """If lines[i] ends a receipt stamp block (…, เลขรับ N, วันที่ D, เวลา T), its first index."""
    j = i
    if STAMP_TIME.match(lines[j].text):
        j -= 1
    if j < 1 or not STAMP_DATE.match(lines[j].text):
        return None
    if stamp_number(lines[j - 1].text) is None:
        return None
    first = j - 1
    # the office line above the number, when it is short and not a field line
    if first >= 1 and lines[first - 1].text and len(lines[first - 1].text) <= 60 and not anchor_kind(lines[first - 1].text):
        if not SIGNATURE.match(lines[first - 1].text) and not CLOSING.match(lines[first - 1].text):
            first -= 1
    return first


#: Short lines OCR may leave between a stamp and the letter it was pressed on (the
#: stamp's ink read a second time outside its frame, `จังหวัดสกลนคร -`).
STAMP_DEBRIS_LINES = 3
STAMP_DEBRIS_LEN = 25


def _stamp_above_junk(lines: list[Line], i: int, floor: int) -> int | None:
    """The first line of a stamp block that ends within STAMP_DEBRIS_LINES short,
    field-less lines above lines[i] (inclusive), or None."""
    k, seen = i, 0
    while k > floor and seen < STAMP_DEBRIS_LINES:
        t = lines[k].text
        if t:
            if len(t) > STAMP_DEBRIS_LEN or anchor_kind(t) or SIGNATURE.match(t) or CLOSING.match(t):
                return None
            seen += 1
        k -= 1
        if k > floor and lines[k].text:
            first = _is_stamp_block_end(lines, k)
            if first is not None and first > floor:
                return first
    return None


def _back_up(lines: list[Line], i: int, floor: int) -> int:
    """Extend a letter start at lines[i] back over urgency lines, blanks and stamps above it."""
    j = i
    while j - 1 > floor:
        prev = lines[j - 1]
        if not prev.text or URGENCY_LINE.match(prev.text) or len(prev.text.replace(" ", "")) <= 3:
            j -= 1  # blanks, urgency, and specks OCR read between a stamp and the letter
            continue
        first = _is_stamp_block_end(lines, j - 1)
        if first is not None and first > floor:
            j = first
            continue
        first = _stamp_above_junk(lines, j - 1, floor)
        if first is not None:
            j = first
            continue
        break
    while j < i and not lines[j].text:
        j += 1
    return j


def _opens_with_header(lines: list[Line], first: int, end: int) -> bool:
    """Does the page whose lines are lines[first:end] open with a letter's header?"""
    seen = [k for k in range(first, end) if lines[k].text][:HEADER_LINES]
    for n, k in enumerate(seen):
        if SUBJECT_START.match(lines[k].text):
            return any(RECIPIENT_START.match(lines[m].text) for m in seen[n + 1 : n + 1 + HEADER_GAP])
    return False


def _header_pages(text: str, lines: list[Line], pages: Sequence[int]) -> set[int]:
    """Indexes of the first lines of pages (after the first) that open with a header."""
    starts = [ln.start for ln in lines]
    firsts = [bisect_left(starts, p) for p in sorted(set(pages)) if 0 < p < len(text)]
    out = set()
    for n, first in enumerate(firsts):
        end = firsts[n + 1] if n + 1 < len(firsts) else len(lines)
        if _opens_with_header(lines, first, end):
            out.add(first)
    return out


def segment(text: str, pages: Sequence[int] = ()) -> list[LetterSpan]:
    """Letter spans covering `text` from its first non-blank character to its end.

    ``pages``: offsets in `text` where its pages begin, where known (scans, PDFs).
    """
    lines = lines_of(text)
    header_pages = _header_pages(text, lines, pages) if pages else set()
    starts: list[tuple[int, str]] = []  # (line index, anchor)
    closed = True  # the first anchor always opens a letter
    seen_closing = False  # a letter closed before any anchor: the first header was lost
    for i, line in enumerate(lines):
        if i in header_pages and (starts or seen_closing) and (not starts or starts[-1][0] < i):
            if not starts:
                starts.append((0, "start"))
            starts.append((i, "page"))
            closed = False
        if not line.text:
            continue
        kind = anchor_kind(line.text)
        if kind and closed:
            if starts:
                j = _back_up(lines, i, starts[-1][0])
            elif seen_closing:  # the text before closes a letter of its own
                starts.append((0, "start"))
                j = _back_up(lines, i, 0)
            else:
                j = 0  # text before the first header belongs to the first letter
            starts.append((j, kind))
            closed = False
            continue
        closing = CLOSING.match(line.text)
        if closing or SIGNATURE.match(line.text):
            closed = True
            seen_closing = seen_closing or (closing is not None and not starts)
    if not starts:
        starts = [(0, "start")]
    elif starts[0][0] != 0:
        starts[0] = (0, starts[0][1])
    spans = []
    for n, (li, kind) in enumerate(starts):
        s = lines[li].start
        e = lines[starts[n + 1][0]].start if n + 1 < len(starts) else len(text)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append(LetterSpan(s, e, kind))
    return spans
