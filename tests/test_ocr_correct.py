"""Lexicon correction: restores dropped marks, never invents words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ocr import correct
from pipeline.ocr.correct import correct_word, key, normalise_sara_am, only_adds_marks

CASES = [
    # (engine output, expected)
    ("เรือง", "เรื่อง"),  # bare field keyword: official word wins over the general word
    ("สิงทิ", "สิ่งที่"),
    ("สิงทิส่งมาด้วย", "สิ่งที่ส่งมาด้วย"),
    ("ที", "ที่"),
    ("ลงวันที", "ลงวันที่"),
    ("ผู้วาราชการจังหวัด", "ผู้ว่าราชการจังหวัด"),
    ("ทีทําการปกครองอําเภอ", "ที่ทำการปกครองอำเภอ"),
    ("น้ํา", "น้ำ"),  # ํ + า is how the engine writes ำ
    ("การขับเคลือนโครงการ", "การขับเคลื่อนโครงการ"),
    # a word inside a chunk, far rarer than its twin with tone marks (ที / ที่, ซึง / ซึ่ง)
    ("ส่วนทีเกี่ยวข้อง", "ส่วนที่เกี่ยวข้อง"),
    ("ไม่เกินวันที", "ไม่เกินวันที่"),
    ("ซึงมีเป้าหมาย", "ซึ่งมีเป้าหมาย"),
    ("ได", "ได้"),
    ("ทังหอกระจายข่าว", "ทั้งหอกระจายข่าว"),
    # one tone mark read as another where that makes no word
    ("ดังนี่", "ดังนี้"),
    ("ประชุมชี่แจง", "ประชุมชี้แจง"),
    ("จัดซื่อจัดจ้าง", "จัดซื้อจัดจ้าง"),
    # ำ whose ํ was lost or read as a tone mark; mai taikhu and mai tho one for the other
    ("จานวน", "จำนวน"),
    ("จ้านวน๒แผ่น", "จำนวน๒แผ่น"),
    ("นายอาเภอ", "นายอำเภอ"),
    ("ที่มุ่งเน็นให้", "ที่มุ่งเน้นให้"),
    ("ระบบอิเล้กทรอนิกส์", "ระบบอิเล็กทรอนิกส์"),
    # a rare word whose marked twin is official vocabulary
    ("ความละเอียดตามทีอ้างถึง", "ความละเอียดตามที่อ้างถึง"),
    ("ตามทีจังหวัดแพร่ได้แจ้ง", "ตามที่จังหวัดแพร่ได้แจ้ง"),
    # official words whose upper vowels and marks were lost or misread
    ("บนทกข้อความ", "บันทึกข้อความ"),
    ("เรอง", "เรื่อง"),
    ("เรย่น", "เรียน"),
    ("ด่วนทสุด", "ด่วนที่สุด"),
    ("๐๓๐๑.๓๑/วนท๒๑", "๐๓๐๑.๓๑/วันที่๒๑"),
    ("ขอแสดงความนบถ่อ", "ขอแสดงความนับถือ"),
    # ... and the stock words of a letter's body (lexicon.FORMULA_WORDS)
    ("กรมธนารักษ์พจารณาแล้ว", "กรมธนารักษ์พิจารณาแล้ว"),
    ("จึงขอความร่วมมือดำเน้นการ", "จึงขอความร่วมมือดำเนินการ"),
    ("ดงน", "ดังนี้"),
]

UNCHANGED = [
    "เรื่อง", "เรียน", "ขอแสดงความนับถือ", "ปฏิบัติราชการแทน", "อ้างถึง", "สิ่งที่ส่งมาด้วย",
    "ด้วยจังหวัดมุกดาหารได้รับแจ้งจากกรมการปกครองว่า", "(GECC)", "๐๓๐๕.๑/ว", "๑๙๖๔", "e-Service", "",
    "สน", "มท",
    # words whose marked twins are not far commoner (นา / น่า, ขอ / ข้อ, คา / ค่า), and
    # vowels never lengthened (มิ.ย. is not มี)
    "นา", "ขอ", "คา", "ขอให้", "มิ.ย.",
    "ไม้", "นี่",  # a word read with the other tone mark is still a word: left as it is
    "น้า", "นา",  # words: not read as น้ำ / นำ
    "ความจำเป็น.", "ภูเก็ต",  # short pieces of a chunk keep mai taikhu (not เป้, เก๋)
    "ส่วนที่เกี่ยวข้อง",  # วนที่ inside it is not วันที่: short keywords only where no letter touches them
    "ชี้แจงเรองการ",  # nor เรื่อง glued between letters
    "ถิ่นนั้",  # more marks than ถนน has: not ถนน
    "ผ้าแพรสีแดง",  # แพร is not rare enough to give way to its official twin แพร่ inside a chunk
]


@pytest.mark.parametrize("raw,expected", CASES)
def test_restores_dropped_marks(raw, expected):
    assert correct_word(raw) == expected


@pytest.mark.parametrize("word", UNCHANGED)
def test_leaves_correct_words_alone(word):
    assert correct_word(word) == word


def test_does_not_touch_unknown_words():
    # not a lexicon word and no lexicon word has the same letters: left as is
    assert correct_word("ฆฆฆฆฬ") == "ฆฆฆฆฬ"


@pytest.mark.parametrize("src,word,ok", [
    ("เรือง", "เรื่อง", True),
    ("สิงทิ", "สิ่งที่", True),
    ("เรื่อง", "เรือง", False),  # removing a mark is not restoring one
    ("กา", "ขา", False),
])
def test_only_adds_marks(src, word, ok):
    assert only_adds_marks(src, word) is ok


def test_key_of_damaged_and_clean_forms_agree():
    assert key("สิ่งที่") == key("สิงทิ") == key("สิ่งทิ")


THAI = st.text(alphabet=st.sampled_from("กขคงจชดตนบปมยรลวสหอะาิีึืุู่้๊๋์ำเแโใไํ"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(THAI)
def test_correction_only_changes_what_is_above_the_line_and_is_idempotent(text):
    out = correct_word(text)
    # marks and upper vowels put back or read again, ำ read back from its า: the
    # consonants and the vowels on the line never change
    assert correct.skeleton(out) == correct.skeleton(normalise_sara_am(text))
    assert correct_word(out) == out


def test_fallback_vocabulary_covers_field_keywords():
    for word in ("เรื่อง", "สิ่งที่ส่งมาด้วย", "ขอแสดงความนับถือ", "ปฏิบัติราชการแทน"):
        assert word in correct.default_corrector().official
