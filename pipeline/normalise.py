"""Normalisation as small named steps, with an offset map back to the source.

Each step is a tiny documented function registered in `STEPS`; `normalise(text, steps)`
runs them in order. Steps that keep the length (Thai digits → Arabic is a 1:1
``str.translate``) leave offsets alone; steps that change the length rebuild the map, so
every character of the normalised text knows which source character it came from
(`Normalised.source_span`). An unknown step name is an error listing the valid names.

>>> n = normalise("ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗)๗")
>>> n.text
'ที่ มท 0305.1/ว 30577'
>>> n.raw[slice(*n.source_span(7, 13))]
'๐๓๐๕.๑'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

#: A step takes (text, offsets) and returns (text, offsets); offsets[i] is the source
#: index of text[i], with one sentinel at the end (len(source)).
Step = Callable[[str, list[int]], tuple[str, list[int]]]


def thai_to_arabic(text: str) -> str:
    """๐-๙ → 0-9, nothing else touched (1:1, offsets survive)."""
    return text.translate(_TO_ARABIC)


def arabic_to_thai(text: str) -> str:
    """0-9 → ๐-๙ (1:1)."""
    return text.translate(_TO_THAI)


@dataclass(frozen=True)
class Normalised:
    """Normalised text with the source it came from and a per-character offset map."""

    text: str
    raw: str
    offsets: tuple[int, ...]  # len(text) + 1 entries

    def source_index(self, i: int) -> int:
        return self.offsets[max(0, min(i, len(self.offsets) - 1))]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span [s, e) that produced text[start:end] (trailing space trimmed)."""
        s = self.source_index(start)
        e = max(s, self.source_index(end))
        while e > s and self.raw[e - 1].isspace():
            e -= 1
        return s, e


def _sub(pattern: re.Pattern, repl: Callable[[re.Match], str] | str, text: str, offsets: list[int]):
    """re.sub that rebuilds the offset map: replacement characters map to the match start."""
    out: list[str] = []
    new_offsets: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(text[pos:m.start()])
        new_offsets.extend(offsets[pos:m.start()])
        rep = repl(m) if callable(repl) else m.expand(repl)
        out.append(rep)
        new_offsets.extend([offsets[m.start()]] * len(rep))
        pos = m.end()
    if pos == 0 and not out:
        return text, offsets
    out.append(text[pos:])
    new_offsets.extend(offsets[pos:])  # includes the sentinel
    return "".join(out), new_offsets


# --------------------------------------------------------------------------- steps


def step_unicode_spaces(text, offsets):
    """NBSP, thin and ideographic spaces → ' ' (1:1); tabs stay (tables use them)."""
    return text.translate(_SPACES), offsets


_SPACES = str.maketrans({c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"})

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def step_invisible(text, offsets):
    """Drop zero-width characters, BOMs and soft hyphens."""
    return _sub(_INVISIBLE, "", text, offsets)


def step_thai_digits(text, offsets):
    """Thai digits → Arabic (1:1)."""
    return thai_to_arabic(text), offsets


_TONE_BEFORE_AM = re.compile("([\u0e48-\u0e4b])?\u0e4d([\u0e48-\u0e4b])?\u0e32")


def step_sara_am(text, offsets):
    """ํา (nikhahit + sara aa, as Tesseract emits ำ) → ำ, keeping a tone mark: น้ํา → น้ำ."""
    return _sub(_TONE_BEFORE_AM, lambda m: (m.group(1) or m.group(2) or "") + "\u0e33", text, offsets)


# Tone mark typed before an upper/lower vowel (OCR and typists do it): ก่ี → กี่
_TONE_VOWEL = re.compile("([\u0e48-\u0e4b])([\u0e31\u0e34-\u0e37\u0e38\u0e39\u0e47])")
_DUP_MARK = re.compile("([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1+")


def step_thai_marks(text, offsets):
    """Reorder tone-before-vowel and drop doubled marks (what PyThaiNLP's normalize does)."""
    text, offsets = _sub(_TONE_VOWEL, lambda m: m.group(2) + m.group(1), text, offsets)
    return _sub(_DUP_MARK, r"\1", text, offsets)


#: A combining mark (above/below vowel, tone mark, thanthakhat …) with no Thai letter (or
#: mark) before it: nothing to sit on, so OCR debris (`ก.ุย.` for ก.ย., a mark read off a dot).
ORPHAN_MARK = re.compile(r"(?<![\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]+")


def step_orphan_marks(text, offsets):
    """Drop Thai combining marks that follow no Thai letter (OCR debris)."""
    return _sub(ORPHAN_MARK, "", text, offsets)


# A word between a day and a year: `๒๗ จันวาคม ๒๕๔๗`, where OCR misread one letter of the month.
_DAY_WORD_YEAR = re.compile(r"(?<![\d.])(\d{1,2})([ \t]*)([\u0e01-\u0e4e]{5,10})(?=[ \t]+(?:พ\.ศ\.[ \t]*)?\d{2,4}(?![\d/]))")


def step_month_names(text, offsets):
    """A full month name with one letter misread (``จันวาคม`` → ``ธันวาคม``), between a
    day and a year only. Month names are at least two edits apart, so one edit names
    one month; failing that, one letter apart once vowels and tones above and below
    are set aside, and on top of marks misread (``กักยาย่น`` → ``กันยายน``: a stamp's
    stroke over it). Where exactly one month is that near; a word of the dictionary is
    left alone."""
    from rapidfuzz.distance import Levenshtein

    from .lexicon import is_dictionary_word, skeleton
    from .thaidate import MONTHS_FULL

    def fix(m: re.Match) -> str:
        word = m.group(3)
        if word in MONTHS_FULL:
            return m.group(0)
        near = [name for name in MONTHS_FULL if Levenshtein.distance(word, name) == 1]
        bare = skeleton(word)
        if not near and len(bare) >= 5:
            near = [name for name in MONTHS_FULL if Levenshtein.distance(bare, skeleton(name)) <= 1]
        if len(near) != 1 or is_dictionary_word(word):
            return m.group(0)
        return m.group(1) + m.group(2) + near[0]

    return _sub(_DAY_WORD_YEAR, fix, text, offsets)


# A dotted word between a day and a year: `๒ ณิย. ๒๕๔๑`, `๗ กุย. ๕๖` — a month's
# abbreviation with a letter or mark misread, or a dot lost.
_DAY_ABBR_YEAR = re.compile(
    r"(?<![\d.])(\d{1,2})\.?([ \t]*)([\u0e01-\u0e4e][\u0e01-\u0e4e.]{1,5})(?=[ \t]*(?:พ\.ศ\.[ \t]*)?(?:\d{2}|25\d\d|2[01]\d\d)(?![\d/]))")


def step_month_abbreviations(text, offsets):
    """A month's abbreviation one letter or mark away from a standard one (dots aside),
    or the same letters under other marks, between a day and a year, with at least one
    dot: ``ณิย.`` → ``มิ.ย.``, ``กุย.`` → ``ก.ย.``, ``พุ้ย.`` → ``พ.ย.``; a dot after
    the day goes (``๗. กุย.``). Without dots, only a month's own letters under at most
    one mark (``ธิค`` → ``ธ.ค.``; not ``มค``, which is ม.ค. or มี.ค.). One letter and dots
    only where one month starts with it (``ส..`` → ``ส.ค.``). Only where exactly
    one month is that near, and the word is not already a month the date parser reads."""
    from rapidfuzz.distance import Levenshtein

    from .lexicon import is_dictionary_word, skeleton
    from .thaidate import MONTHS_ABBR, MONTHS_FULL

    bare_months = [name.replace(".", "") for name in MONTHS_ABBR]

    def fix(m: re.Match) -> str:
        word = m.group(3)
        bare = word.replace(".", "")
        if "." not in word:
            # both dots lost, one read as a vowel: `ธิค` for ธ.ค. — two consonants and
            # at most one mark that are one month's letters and no word
            letters = skeleton(word)
            near = [MONTHS_ABBR[k] for k, name in enumerate(bare_months)
                    if name == word or (word not in bare_months and skeleton(name) == letters)]
            if len(word) - len(letters) > 1 or len(near) != 1 or is_dictionary_word(word):
                return m.group(0)
            return m.group(1) + (m.group(2) or " ") + near[0]
        if bare in MONTHS_FULL or word in MONTHS_ABBR:
            return m.group(0)
        if len(bare) < 2:  # `ส..`: the second letter lost; only a month that alone starts so
            near = [name for name in MONTHS_ABBR if name[0] == bare]
            if len(near) != 1 or word.count(".") < 2:  # `ต.` alone is ตำบล
                return m.group(0)
            return m.group(1) + (m.group(2) or " ") + near[0]
        if bare in bare_months and word.endswith("."):
            near = [MONTHS_ABBR[bare_months.index(bare)]]
        else:
            near = [MONTHS_ABBR[k] for k, name in enumerate(bare_months) if Levenshtein.distance(bare, name) == 1]
        if not near:  # marks misread on top of that: `พุ้ย.` for พ.ย.
            near = [MONTHS_ABBR[k] for k, name in enumerate(bare_months) if skeleton(name) == skeleton(bare)]
        if len(near) != 1:
            return m.group(0)
        return m.group(1) + (m.group(2) or " ") + near[0]

    return _sub(_DAY_ABBR_YEAR, fix, text, offsets)


_HTML_TAG = re.compile(r"</?(?:input|p|br|span|div|b|i|u|td|tr|th|table)\b[^>\n]*>", re.I)
_TABLE_RULE = re.compile(r"(?m)^[ \t]*[-|:+ ]*\|[-|:+ ]*-{3,}[-|:+ ]*$")
_PIPE = re.compile(r"[ \t]*\|[ \t]*")
_MD_BULLET = re.compile(r"(?m)^[ \t]*[-•*▪●][ \t]+(?=\S)")
_MD_EMPTY_BULLET = re.compile(r"(?m)^[ \t]*-[ \t]*$")


def step_markup(text, offsets):
    """OCR/markdown debris: <input …> tags, table rules, `|` borders, list bullets."""
    text, offsets = _sub(_HTML_TAG, " ", text, offsets)
    text, offsets = _sub(_TABLE_RULE, "", text, offsets)
    text, offsets = _sub(_PIPE, " ", text, offsets)
    text, offsets = _sub(_MD_EMPTY_BULLET, "", text, offsets)
    return _sub(_MD_BULLET, "", text, offsets)


# A stray ')' or '(' between two digits of one number: 3057)7 → 30577. A bracket next to
# a space ("(2) 3") is left alone.
_STRAY_PAREN = re.compile(r"(?<=\d)[)(](?=\d)")
# A digit group broken by one space inside a serial after '/': "ว 30 577" is rarer than
# real "ว 1 2" lists, so spaces stay here; only a letter's own header number joins a
# split serial (`extract.parse_number(header=True)`).


# `พร 0032/2 16464`: the ว of a circular's number read as 2 (the `eng` model), a serial after it.
_CIRCULAR_AS_2 = re.compile(r"([ก-ฮ][ \t.]?\d{3}(?:\d|\.\d{1,4})*/[ \t]*)2(?=[ \t]+\d{2,7}(?!\d))")


# `พร 0017/2/ว 14329`, `0017/.2/@`: the dot of a unit code read as a slash, or a slash
# read beside it (no number has two).
_DOT_AS_SLASH = re.compile(r"(?<=[ก-ฮ])([ \t]?\d{4,5})(?:/\.?|\./)(\d{1,2})(?=/)")
# `ทส 1604.3/. 3433`: a speck read after a number's slash.
_SLASH_SPECK = re.compile(r"(?<=\d/)[.,'`](?=[ \t]*\d)")
# `ศธ 04009/ๆ 27029`, `0017.2/@ 14329`: the ว read as ๆ or @ (neither is ever written
# after a number's slash).
_CIRCULAR_AS_MAIYAMOK = re.compile(r"(?<=\d/)([ \t]*)[ๆ@](?=[ \t]*\d)")


def step_number_debris(text, offsets):
    """Stray brackets inside numbers (``๓๐๕๗)๗`` → ``30577``); a code's dot read as a
    slash (``0017/2/ว`` → ``0017.2/ว``); a circular's ว read as 2
    (``พร 0032/2 16464`` → ``พร 0032/ว 16464``: no number has a lone digit there) or
    as ๆ or @ (``04009/ๆ 27029``)."""
    text, offsets = _sub(_STRAY_PAREN, "", text, offsets)
    text, offsets = _sub(_DOT_AS_SLASH, r"\1.\2", text, offsets)
    text, offsets = _sub(_SLASH_SPECK, "", text, offsets)
    text, offsets = _sub(_CIRCULAR_AS_MAIYAMOK, r"\1ว", text, offsets)
    return _sub(_CIRCULAR_AS_2, r"\1ว", text, offsets)


# Specks OCR reads at the edges of a line: `. เรียน …`, `… ศาลากลางจังหวัดตรัง ' '`;
# curly quotes count as the straight ones `step_quotes` makes of them, so that
# normalising twice changes nothing (`0 “` was kept, then dropped as `0 "`).
_LEAD_DEBRIS = re.compile(r"(?m)^[ \t]*[.,'\"“”‘’„″`|:;~_^*]+[ \t]+(?=\S)")
_TRAIL_DEBRIS = re.compile(r"(?m)(?:[ \t]+[.,'\"“”‘’„″`|:;~_^*=%/\\-]{1,3})+[ \t]*$")


def step_ocr_debris(text, offsets):
    """Isolated punctuation specks at the start or end of a line (scan dust read as text)."""
    text, offsets = _sub(_LEAD_DEBRIS, "", text, offsets)
    return _sub(_TRAIL_DEBRIS, "", text, offsets)


# A speck glued to the first word: `'เรือง …`, `.ด้วยกรม…`.
_LEAD_SPECK = re.compile(r"(?m)^[ \t]*['\"`.,:;|~_^*]+(?=[\u0e01-\u0e2e\u0e40-\u0e44])")


# A speck glued to a day: `วันที่ .๑๕มกราคม ๒๕๖๖` (a dot before a day hides the date:
# the parser reads `x.15` as part of a number).
_DAY_SPECK = re.compile(r"(?<=[ \t])[.,'`]+(?=\d{1,2}[ \t]*[\u0e01-\u0e2e\u0e40-\u0e44])")


def step_ocr_specks(text, offsets):
    """Punctuation specks stuck to the first Thai letter of a line, or to a day before
    its month."""
    text, offsets = _sub(_LEAD_SPECK, "", text, offsets)
    return _sub(_DAY_SPECK, "", text, offsets)


_LINE_HEAD = re.compile(r"(?m)^(?:\(?\d{1,2}[.)][ \t]*)?([\u0e01-\u0e4e]{4,})")


def step_keywords(text, offsets):
    """Field keywords at the head of a line, restored from OCR damage: dropped marks
    (`เรือง` → `เรื่อง`) and, for long keywords, one misread consonant
    (`ลิ่งที่ส่งมาด้วย` → `สิ่งที่ส่งมาด้วย`, `ถ้างถึง` → `อ้างถึง`). A word of the
    dictionary is never replaced."""
    from .lexicon import repair_keyword

    def fix(m: re.Match) -> str:
        head = m.group(1)
        fixed = repair_keyword(head)
        return m.group(0) if fixed is None else m.group(0)[: m.start(1) - m.start()] + fixed

    return _sub(_LINE_HEAD, fix, text, offsets)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "„": '"', "″": '"'})


def step_quotes(text, offsets):
    """Curly quotes → straight (1:1)."""
    return text.translate(_QUOTES), offsets


_TRAILING = re.compile(r"[ \t]+(?=\n|$)")
_LEADING = re.compile(r"(?m)^[ \t]+")
_RUNS = re.compile(r"[ \t]{2,}")
_BLANKS = re.compile(r"\n(?:[ \t]*\n){2,}")


def step_whitespace(text, offsets):
    """Trim lines, collapse runs of spaces, keep at most one blank line between lines."""
    text, offsets = _sub(_TRAILING, "", text, offsets)
    text, offsets = _sub(_LEADING, "", text, offsets)
    text, offsets = _sub(_RUNS, " ", text, offsets)
    text, offsets = _sub(_BLANKS, "\n\n", text, offsets)
    return text, offsets


#: Registry of steps by name; DEFAULT_STEPS is the order `normalise` uses.
STEPS: dict[str, Step] = {
    "unicode_spaces": step_unicode_spaces,
    "invisible": step_invisible,
    "markup": step_markup,
    "sara_am": step_sara_am,
    "thai_marks": step_thai_marks,
    "orphan_marks": step_orphan_marks,
    "thai_digits": step_thai_digits,
    "number_debris": step_number_debris,
    "month_names": step_month_names,
    "month_abbreviations": step_month_abbreviations,
    "ocr_debris": step_ocr_debris,
    "ocr_specks": step_ocr_specks,
    "keywords": step_keywords,
    "quotes": step_quotes,
    "whitespace": step_whitespace,
}
DEFAULT_STEPS: tuple[str, ...] = tuple(STEPS)


def normalise(text: str, steps: Iterable[str] = DEFAULT_STEPS) -> Normalised:
    """Run the named steps in order; raises ValueError for an unknown step name."""
    names: Sequence[str] = list(steps)
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        raise ValueError(f"unknown normalisation step(s) {unknown}; valid: {', '.join(STEPS)}")
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    # offsets index the \r-free text; a CRLF file's spans are off by the CR count only
    offsets = list(range(len(raw) + 1))
    out = raw
    for name in names:
        out, offsets = STEPS[name](out, offsets)
    return Normalised(out, raw, tuple(offsets))


def normalise_text(text: str) -> str:
    """Just the normalised string (for comparisons and keys)."""
    return normalise(text).text
