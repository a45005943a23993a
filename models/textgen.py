"""Strings to render for the numeral reader: numbers as they appear in circulars,
Thai words (the catch-all class) and the two glued together.

The label alphabet is in ``pipeline.ocr.numerals.ALPHABET``; every character outside
it becomes the catch-all symbol, one per run (``label_of``).
"""

from __future__ import annotations

import random

from pipeline.ocr.numerals import ARABIC, THAI, label_of  # noqa: F401  (re-exported for scripts)

#: Agency letter codes (รหัสตัวพยัญชนะ) and other short Thai tokens that sit next to numbers.
AGENCIES = ("มท", "สน", "นม", "ศธ", "กค", "สธ", "กห", "นร", "พณ", "อว", "ทส", "ยธ", "คค", "รง", "มห", "ชม", "ขก")
GLUE_BEFORE = ("ว", "พ.ศ.", "ข้อ", "ที่", "ฉบับที่", "ครั้งที่", "หมู่ที่", "ม.", "ถ.", "โทร.", "น.", "ว.", "ค.ศ.", "เลขที่", "ลำดับที่")
GLUE_AFTER = ("น.", "บาท", "คน", "ราย", "แห่ง", "ชุด", "ฉบับ", "วัน", "ปี", "ครั้ง", "ว", "ฯ")
LATIN = ("GECC", "QR", "Code", "DOPA", "Line", "on", "alder", "www", "e-mail", "Work", "Shop", "COVID", "ID", "Fax")


def _digits(rng: random.Random, n: int, thai: bool) -> str:
    table = THAI if thai else ARABIC
    return "".join(table[rng.randrange(10)] for _ in range(n))


def number(rng: random.Random, thai: bool) -> str:
    """One numeric token in the shapes circulars use."""
    d = lambda n: _digits(rng, n, thai)  # noqa: E731
    shape = rng.randrange(13)
    if shape == 0:
        return d(rng.randint(1, 6))
    if shape == 1:  # unit code 0305.1 / 0018.1 / 0301.10.1
        code = "๐" if thai else "0"
        return code + d(3) + "." + d(rng.randint(1, 2)) + ("." + d(1) if rng.random() < 0.2 else "")
    if shape == 2:  # serial / year: 1964/2564
        return d(rng.randint(1, 5)) + "/" + d(rng.choice((2, 4)))
    if shape == 3:  # Buddhist year
        return ("๒๕" if thai else "25") + d(2)
    if shape == 4:  # day
        return str(rng.randint(1, 31)).translate(_TO_THAI if thai else {})
    if shape == 5:  # phone 0-4271-1475 / 0 4271 1475
        return d(1) + "-" + d(4) + "-" + d(4)
    if shape == 6:  # time 10.30 / 10:30
        return d(2) + rng.choice(".:") + d(2)
    if shape == 7:  # money 25,000 / 1,250.50
        return d(rng.randint(1, 3)) + "," + d(3) + ("." + d(2) if rng.random() < 0.3 else "")
    if shape == 8:  # list item 1. / (1) / 1)
        return rng.choice(("{}.", "({})", "{})", "{}.{}")).format(d(1), d(1))
    if shape == 9:  # range 1-15
        return d(rng.randint(1, 2)) + "-" + d(rng.randint(1, 2))
    if shape == 10:  # date 24/11/2563
        return d(2) + "/" + d(2) + "/" + d(4)
    if shape == 11:  # repeated digits, hard for CTC
        c = d(1)
        return c * rng.randint(2, 4) + d(rng.randint(0, 2))
    return d(rng.randint(6, 10))


_TO_THAI = str.maketrans(ARABIC, THAI)


def thai_word(rng: random.Random, words: list[str]) -> str:
    w = rng.choice(words)
    if rng.random() < 0.3:
        w += rng.choice(words)
    return w


def sample(rng: random.Random, words: list[str]) -> str:
    """One word-like string as Tesseract would box it (no spaces)."""
    thai = rng.random() < 0.8  # circulars mostly use Thai digits
    r = rng.random()
    if r < 0.45:
        return number(rng, thai)
    if r < 0.70:
        if rng.random() < 0.1:
            return rng.choice(LATIN)
        return thai_word(rng, words)
    if r < 0.80:  # ว๑๒๓ / พ.ศ.๒๕๖๔ / ข้อ๑
        return rng.choice(GLUE_BEFORE) + number(rng, thai)
    if r < 0.87:
        return number(rng, thai) + rng.choice(GLUE_AFTER)
    if r < 0.93:  # unit code with its circular mark: ๐๓๐๕.๑/ว
        n = number(rng, thai)
        return n + "/ว" if rng.random() < 0.7 else rng.choice(AGENCIES) + n
    return rng.choice(words) + number(rng, thai) + (rng.choice(words) if rng.random() < 0.5 else "")
