"""Lexicon correction of OCR words: restore the marks Tesseract's ``tha`` model drops.

The stock model drops upper marks (เรื่อง → เรือง, สิ่งที่ → สิงทิ, ที่ → ที), reads ี as ิ
and writes ำ as ํ + า (``../shared/design/ocr-notes.md``). This module only undoes
exactly that: a stretch of text is replaced by a lexicon word only if

- the stretch is not itself a lexicon word (except the whole-chunk rule below),
- the word differs from it only by *added* marks of that kind (and ิ → ี, ึ → ื), or
  by one tone mark read as another (``ดังนี่`` → ``ดังนี้``, ``ชี่แจง`` → ``ชี้แจง``: ่ and ้
  stacked over a vowel are the engine's commonest confusion), and
- among such words it is the official-letter word, else the most frequent one (TNC).

It never changes consonants, vowels on the line, or digits, so it cannot invent a
word that was not written with the same base letters. A chunk that is by itself a
general word but, with marks restored, an official keyword (``เรือง`` alone → ``เรื่อง``)
takes the keyword: a bare chunk in a letter is far likelier the field keyword.

A stretch that is a word yet far rarer than the same letters with tone marks put back
(``ที`` inside ``ส่วนทีเกี่ยวข้อง``, ``ซึง``, ``ได``, ``ทัง``: `MARKED_TWIN_RATIO` × or more in
TNC) takes the marked word; so does a word rarer than `RARE_WORD` whose marked twin is
official vocabulary (``ตามที`` in OCR's ``ตามทีอ้างถึง`` → ``ตามที่``).

ำ is ํ + า on paper. Where the engine lost the ํ (``จานวน``) or read it as ้ (``จ้านวน``),
a stretch that is no word takes the word with ำ (``จำนวน``). Mai taikhu and mai tho read
one for the other (``เน็น`` → ``เน้น``) count as a tone read as another, in words of three
letters or more.

Only the marks in `DROPPED` (tone marks, thanthakhat, maitaikhu) are put back this way,
never a vowel lengthened (``ดิ`` → ``ดี`` would turn abbreviations and names into words).

Lexicons: PyThaiNLP's ``thai_words()``, TNC frequencies, and `pipeline.lexicon.official_words`.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

#: Marks the engine drops: tone marks, thanthakhat, maitaikhu, sara am's nikhahit,
#: and (when standing alone) mai han-akat.
DROPPED = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e47")
#: The four tone marks.
TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
#: Mai taikhu and mai tho, read one for the other (``เน็น``, ``อิเล้กทรอนิกส์``).
TAIKHU_THO = frozenset("\u0e47\u0e49")
SARA_AM, SARA_AA = "\u0e33", "\u0e32"
#: Above the line: upper vowels, tone marks, thanthakhat, maitaikhu. The engine loses any
#: of them; an official word is restored from the letters left (`Corrector._restore_official`).
ABOVE = DROPPED | frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37")
#: Letters on the line from which an official word is restored even inside a longer stretch.
OFFICIAL_ANYWHERE = 5
#: Upper vowels the engine reads as their short twin.
SHORTENED = {"\u0e35": "\u0e34", "\u0e37": "\u0e36"}  # ี → ิ, ื → ึ
#: A word of the lexicon gives way to its twin with `DROPPED` marks restored only where the
#: twin is at least this many times as frequent in TNC (ที่ / ที 67×, ตั้ง / ตัง 63×;
#: น่า / นา 2.3× and ค่า / คา 5.5× stay apart).
MARKED_TWIN_RATIO = 20
#: A general word seen fewer times than this in TNC gives way to its marked official twin
#: (``ตามที`` 8 → ``ตามที่``; ``เรือง`` 623 and ``แพร`` 759 stay apart from ``เรื่อง`` and ``แพร่``).
RARE_WORD = 100
THAI_RANGE = ("\u0e01", "\u0e5b")
MAX_WORD = 24  # longest lexicon key we try to match (chars)


def normalise_sara_am(text: str) -> str:
    """ํ + า (how the engine writes ำ) → ำ; the two are the same glyph on paper.

    >>> normalise_sara_am("น้ํา")
    'น้ำ'
    """
    return text.replace("\u0e4d\u0e32", "\u0e33")


def key(word: str) -> str:
    """What is left of a word after the engine's usual damage: marks dropped, ี → ิ, ำ → า.

    >>> key("สิ่งที่") == key("สิงทิ"), key("จำนวน") == key("จานวน")
    (True, True)
    """
    return "".join(SHORTENED.get(ch, ch) for ch in word.replace(SARA_AM, SARA_AA) if ch not in DROPPED)


def only_adds_marks(src: str, word: str) -> bool:
    """True if ``word`` is ``src`` with dropped marks put back (and ิ → ี, ึ → ื)."""
    i = 0
    for ch in word:
        if i < len(src) and (src[i] == ch or SHORTENED.get(ch) == src[i]):
            i += 1
        elif ch in DROPPED:
            continue
        else:
            return False
    return i == len(src)


def swaps_tone(src: str, word: str) -> bool:
    """True if ``word`` is ``src`` with tone marks read as other tone marks, in place, or
    with mai taikhu and mai tho read one for the other in a word of three letters or more
    (shorter pieces of a chunk match too many words: ``เป็`` → ``เป้``)."""
    if len(src) != len(word):
        return False
    pairs = [(a, b) for a, b in zip(src, word) if a != b]
    if all(a in TONES and b in TONES for a, b in pairs):
        return True
    return len(key(word)) >= 3 and all(
        (a in TONES and b in TONES) or (a in TAIKHU_THO and b in TAIKHU_THO) for a, b in pairs)


def sara_am_readings(src: str) -> list[str]:
    """``src`` with one า read back as the ำ it was: its ํ lost (``จานวน``) or read as a
    tone mark (``จ้านวน``). Each candidate has one ำ more than ``src``.

    >>> sara_am_readings("จ้านวน")
    ['จ้ำนวน', 'จำนวน']
    """
    out = []
    for i, ch in enumerate(src):
        if ch != SARA_AA:
            continue
        out.append(src[:i] + SARA_AM + src[i + 1:])
        if i and src[i - 1] in TONES:
            out.append(src[: i - 1] + SARA_AM + src[i + 1:])
    return out


def reads_sara_am(src: str, word: str) -> bool:
    """True if ``word`` is ``src`` with an ำ read back (`sara_am_readings`) and marks put back."""
    return SARA_AM in word and any(only_adds_marks(r, word) for r in sara_am_readings(src))


def skeleton(word: str) -> str:
    """A word's letters on the line: upper vowels and marks gone, ำ as า. Lower vowels
    stay, unlike `pipeline.lexicon.skeleton`'s: only what is above the line is restored.

    >>> skeleton("บันทึกข้อความ")
    'บนทกขอความ'
    """
    return "".join(ch for ch in word.replace(SARA_AM, SARA_AA) if ch not in ABOVE)


def lost_above(src: str, word: str) -> bool:
    """True if ``src`` has ``word``'s letters on the line (`skeleton`) and fewer or as many
    marks above them: marks lost (``บนทกข้อความ``) or read as others (``เรย่น``), none added.

    >>> lost_above("เรย่น", "เรียน"), lost_above("ถิ่นนั้", "ถนน")
    (True, False)
    """
    def above(text: str) -> int:
        return sum(ch in ABOVE for ch in text)

    return skeleton(src) == skeleton(word) and above(src) <= above(word)


def _thai_letter(ch: str) -> bool:
    return bool(ch) and "\u0e01" <= ch <= "\u0e4e" and ch not in "\u0e3f\u0e46"


def _unmarked(word: str) -> str:
    return "".join(ch for ch in word if ch not in DROPPED)


def _is_thai(text: str) -> bool:
    return any(THAI_RANGE[0] <= ch <= THAI_RANGE[1] for ch in text)


@dataclass(eq=False)
class Corrector:
    """Mark restoration against a lexicon; build once (``default_corrector``), use per word."""

    words: frozenset[str]
    official: frozenset[str]
    freq: dict[str, int]

    def __post_init__(self) -> None:
        index: dict[str, list[str]] = {}
        for w in self.words | self.official:
            index.setdefault(key(w), []).append(w)
        self.index = index
        # -log frequency of a key's commonest word: the DP's last tie-break.
        self.key_rarity = {k: -math.log1p(max(self.freq.get(w, 0) for w in ws)) for k, ws in index.items()}
        by_skeleton: dict[str, set[str]] = {}
        for w in self.official:
            if len(skeleton(w)) >= 3:
                by_skeleton.setdefault(skeleton(w), set()).add(w)
        # a skeleton two official words share is ambiguous: neither is restored from it
        self.official_by_skeleton = {k: next(iter(ws)) for k, ws in by_skeleton.items() if len(ws) == 1}
        above = "".join(sorted(ABOVE))
        self.official_pattern = re.compile("|".join(
            "".join(("[" + SARA_AA + SARA_AM + "]" if ch == SARA_AA else re.escape(ch)) + f"[{above}]*" for ch in k)
            for k in sorted(self.official_by_skeleton, key=len, reverse=True)))

    def knows(self, word: str) -> bool:
        """Is `word` in the lexicon (general words or official vocabulary)?"""
        return word in self.words or word in self.official

    def best(self, surface: str, *, whole: bool = False) -> str | None:
        """The lexicon word ``surface`` should be, or None to leave it."""
        known = self.knows(surface)
        if known and not (whole and surface not in self.official):
            return self._marked_twin(surface)
        cands = [w for w in self.index.get(key(surface), ())
                 if w != surface and (only_adds_marks(surface, w)
                                      or (not known and (swaps_tone(surface, w) or reads_sara_am(surface, w))))]
        if known:  # whole chunk that is a general word: only an official keyword may replace it
            cands = [w for w in cands if w in self.official]
        if not cands:
            return self._marked_twin(surface) if known else None
        return max(cands, key=lambda w: (w in self.official, self.freq.get(w, 0), -len(w), w))

    def _marked_twin(self, word: str) -> str | None:
        """The far more frequent word that is `word` with `DROPPED` marks put back, if any.
        An official word counts as far more frequent than a rare general word
        (``ตามที`` → ``ตามที่``, ``วันที`` → ``วันที่``)."""
        twins = [w for w in self.index.get(key(word), ()) if w != word and _unmarked(w) == word]
        official = sorted(w for w in twins if w in self.official)
        if official and self.freq.get(word, 0) < RARE_WORD:
            return official[0]
        floor = MARKED_TWIN_RATIO * max(self.freq.get(word, 0), 1)
        twins = [w for w in twins if self.freq.get(w, 0) >= floor]
        return max(twins, key=lambda w: (self.freq.get(w, 0), w)) if twins else None

    @functools.lru_cache(maxsize=65536)  # noqa: B019  (one corrector per process)
    def correct(self, chunk: str) -> str:
        """``chunk`` (one OCR word, no spaces) with marks restored where the lexicon says so."""
        text = normalise_sara_am(chunk)
        if not _is_thai(text):
            return text
        text = self._restore_official(text)
        whole = self.best(text, whole=True)
        if whole is not None:
            return whole
        return self._segmented(text)

    def _restore_official(self, text: str) -> str:
        """`text` with official words whose upper vowels and marks the engine lost or misread
        put back (``บนทกข้อความ`` → ``บันทึกข้อความ``, ``/วนท๒๑`` → ``/วันที่๒๑``). A stretch
        that is a word is left alone; one of fewer than `OFFICIAL_ANYWHERE` letters only
        where no Thai letter touches it (``วนที่`` inside ``ส่วนที่`` is not ``วันที่``)."""
        pieces, last = [], 0
        for m in self.official_pattern.finditer(text):
            surface = m.group(0)
            word = self.official_by_skeleton[skeleton(surface)]
            if surface == word or self.knows(surface) or not lost_above(surface, word):
                continue
            if len(skeleton(word)) < OFFICIAL_ANYWHERE and (
                    _thai_letter(text[m.start() - 1: m.start()]) or _thai_letter(text[m.end(): m.end() + 1])):
                continue
            pieces += [text[last:m.start()], word]
            last = m.end()
        return "".join(pieces) + text[last:] if pieces else text

    def _segmented(self, text: str) -> str:
        # Work in key space: each key character remembers the surface span it came from.
        keys, spans = [], []
        for i, ch in enumerate(text):
            if ch in DROPPED and keys:
                spans[-1] = (spans[-1][0], i + 1)
                continue
            keys.append(key(ch) or ch)
            spans.append((i, i + 1))
        ks = "".join(keys)
        n = len(ks)
        # DP: fewest unmatched characters, then fewest pieces (prefers long words), then
        # the commoner words (ส่วน|ที|เกี่ยวข้อง over สว|นที|เกี่ยวข้อง).
        inf = (10**9, 10**9, 0.0)
        best: list[tuple[int, int, float]] = [inf] * (n + 1)
        back: list[int] = [0] * (n + 1)
        best[0] = (0, 0, 0.0)
        for i in range(n):
            if best[i] == inf:
                continue
            u, p, f = best[i]
            if (u + 1, p + 1, f) < best[i + 1]:
                best[i + 1], back[i + 1] = (u + 1, p + 1, f), -i - 1  # unmatched char
            for j in range(i + 2, min(n, i + MAX_WORD) + 1):
                rarity = self.key_rarity.get(ks[i:j])
                if rarity is not None and (u, p + 1, f + rarity) < best[j]:
                    best[j], back[j] = (u, p + 1, f + rarity), i
        pieces: list[str] = []
        j = n
        while j > 0:
            i = back[j]
            if i < 0:  # unmatched single char
                i = -i - 1
                pieces.append(text[spans[i][0] : spans[j - 1][1]])
            else:
                surface = text[spans[i][0] : spans[j - 1][1]]
                pieces.append(self.best(surface) or surface)
            j = i
        return "".join(reversed(pieces))


@functools.lru_cache(maxsize=1)
def default_corrector() -> Corrector:
    """PyThaiNLP words + TNC frequencies + the official-letter vocabulary (built once)."""
    from pythainlp.corpus import thai_words, tnc

    try:
        from ..lexicon import official_words

        official = frozenset(official_words())
    except ImportError:  # lexicon module not in this checkout
        official = frozenset(FALLBACK_OFFICIAL)
    words = frozenset(w for w in thai_words() if " " not in w)
    return Corrector(words=words, official=official | frozenset(FALLBACK_OFFICIAL), freq=dict(tnc.word_freqs()))


#: Field keywords and closing formulas, used if `pipeline.lexicon` is absent.
FALLBACK_OFFICIAL = (
    "ที่", "วันที่", "ลงวันที่", "เรื่อง", "เรียน", "เสนอ", "อ้างถึง", "อ้างอิง", "สิ่งที่ส่งมาด้วย",
    "ส่วนราชการ", "บันทึกข้อความ", "ขอแสดงความนับถือ", "ปฏิบัติราชการแทน", "รักษาราชการแทน",
    "ด่วนที่สุด", "ด่วนมาก", "ด่วน", "ลับที่สุด", "ลับมาก", "โทรศัพท์", "โทรสาร", "ผู้ว่าราชการจังหวัด",
    "นายอำเภอ", "ปลัดจังหวัด", "ภายในวันที่", "สิ่งที่", "ที่ทำการ", "เพื่อโปรดทราบ", "เพื่อโปรดพิจารณา",
)


def correct_word(word: str) -> str:
    """One OCR word corrected with the default lexicons."""
    return default_corrector().correct(word)
