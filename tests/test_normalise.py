"""Normalisation steps: table-driven cases, invariants, and awkward inputs."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.extract import read_text
from pipeline.normalise import STEPS, arabic_to_thai, normalise, thai_to_arabic


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("๒๗ มกราคม ๒๕๖๔", "27 มกราคม 2564"),
        ("10๔๔", "1044"),
        ("จํานวน ๑ ชุด", "จำนวน 1 ชุด"),  # ํา → ำ
        ("น้ํา", "น้ำ"),
        ("ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗)๗", "ที่ มท 0305.1/ว 30577"),
        ("| สิ่งที่ส่งมาด้วย | ๑. แบบรายงาน | จำนวน ๑ ชุด |", "สิ่งที่ส่งมาด้วย 1. แบบรายงาน จำนวน 1 ชุด"),
        ('<input type="checkbox"/> ดำเนินการเรียบร้อย', "ดำเนินการเรียบร้อย"),
        ("|------|---|", ""),
        ("เรื่อง\u200bทดสอบ\u00a0 ระบบ", "เรื่องทดสอบ ระบบ"),
        ("\ufeffที่ สน", "ที่ สน"),
        ("ก่ี", "กี่"),  # tone typed before the vowel
        ("a\n\n\n\nb", "a\n\nb"),
        ("“อำเภอ..วิถีใหม่”", '"อำเภอ..วิถีใหม่"'),
        ("(2) 3 ข้อ", "(2) 3 ข้อ"),  # brackets not between digits stay
        ("ที่ พร ๐๐๓๒/2 ๑๖๔๖๔", "ที่ พร 0032/ว 16464"),  # a circular's ว read as 2
        ("ที่ สน 0017.2/2 21990", "ที่ สน 0017.2/ว 21990"),
        ("ลงวันที่ 12/2 2567", "ลงวันที่ 12/2 2567"),  # not a document number
        ("๒๗ จันวาคม ๒๕๔๗", "27 ธันวาคม 2547"),  # one letter of a month misread, between day and year
        ("๒๔ กักยาย่น ๒๕๕๗", "24 กันยายน 2557"),  # ... and its marks too
        ("๓ ที่ประชุม ๒๕๖๗", "3 ที่ประชุม 2567"),  # a word no month is near stays
        ("5 มีนาคน พ.ศ. 2567", "5 มีนาคม พ.ศ. 2567"),
        ("จำนวน 12 รายการ 2567", "จำนวน 12 รายการ 2567"),  # a word, not a month
        ("วันที่ ๗ ก.ุย. ๕๖", "วันที่ 7 ก.ย. 56"),  # a mark with no letter to sit on: OCR debris
        ("น้ำ ่เรื่อง ที่", "น้ำ เรื่อง ที่"),  # marks on letters stay
        ("วันที่ 2 ณิย. 2541", "วันที่ 2 มิ.ย. 2541"),  # an abbreviated month one letter off
        ("วันที่ ๗ กุย. ๕๖", "วันที่ 7 ก.ย. 56"),  # ... or one mark off
        ("๑๐ มีค. ๒๕๖๓", "10 มี.ค. 2563"),  # ... or a dot short
        ("๑ ค.ร. ๒๕", "1 ค.ร. 25"),  # two months one edit away: left alone
        ("จำนวน ๕ ชุด ๒๕๖๓", "จำนวน 5 ชุด 2563"),  # no dot: not an abbreviation
        ("๗ ธิค ๖๖", "7 ธ.ค. 66"),  # no dot, but a month's letters under one stray mark
        ("12 มีค 2566", "12 มี.ค. 2566"),  # ... or its own letters and mark
        ("12 มุค 2566", "12 มุค 2566"),  # ม.ค. or มี.ค.: left alone
        ("ที่ ๒๕ ส..๒๕๕๐", "ที่ 25 ส.ค.2550"),  # the second letter lost: one month starts with ส
        ("๒๕ ก.. ๒๕๕๐", "25 ก.. 2550"),  # three start with ก
        ("หมู่ ๕ ต. ๒๕๕๐", "หมู่ 5 ต. 2550"),  # one dot: ต. is ตำบล as often
        ("๓ คน ๒๕๖๖", "3 คน 2566"),  # a word
        ("วันที่ ๒๓จันวาคม ๒๕๖๕", "วันที่ 23ธันวาคม 2565"),  # a month glued to its day
        ("วันที่ .๑๕มกราคม ๒๕๖๖", "วันที่ 15มกราคม 2566"),  # a speck before the day
        ("ข้อ ๑.๒ ให้", "ข้อ 1.2 ให้"),
        ("ที่ ศธ ๐๔๐๐๙/ๆ ๒๗๐๒๙", "ที่ ศธ 04009/ว 27029"),  # a circular's ว read as ๆ
        ("พร 0017/2/@ 14329", "พร 0017.2/ว 14329"),  # a code's dot read as a slash, ว as @
        ("พร ๐๐๑๗/.๒/@ ๑๔๓๒๙", "พร 0017.2/ว 14329"),  # ... or a slash read beside the dot
        ("ลงวันที่ 12/2/2567", "ลงวันที่ 12/2/2567"),  # a date, not a number
        ("วันที่ ๗. กุย. ๒๕๔๒", "วันที่ 7 ก.ย. 2542"),  # a dot after the day
        ("วนท 28 พุ้ย. ๖๓", "วนท 28 พ.ย. 63"),  # the month's letters under other marks
    ],
)
def test_steps(raw, expected):
    assert normalise(raw).text == expected


def test_unknown_step_lists_valid_names():
    with pytest.raises(ValueError, match="thai_digits"):
        normalise("x", ["no_such_step"])


@given(st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙ .-/กขคงจ"))
def test_digit_round_trip(s):
    assert thai_to_arabic(arabic_to_thai(thai_to_arabic(s))) == thai_to_arabic(s)
    assert len(thai_to_arabic(s)) == len(s)


@given(st.text())
@example("0|“")  # a curly quote left as debris by the first pass, dropped by the second
def test_idempotent_and_offsets_in_range(s):
    n = normalise(s)
    assert normalise(n.text).text == n.text
    assert len(n.offsets) == len(n.text) + 1
    assert all(0 <= o <= len(n.raw) for o in n.offsets)
    assert list(n.offsets) == sorted(n.offsets)


AWKWARD = [
    "", "\u200b", "\ufeff", "\u00a0\u00a0", "๑๒๓/123", "|||", "<input>", "\x00", "ที่", "เรื่อง",
    "ที่ มท ๐๓๐๕.๑/ว", "(.....)", "ภายในวันที่", "๓๑ กุมภาพันธ์ ๒๕๖๕", "\n\n\n", "ด่วนที่สุด\n" * 50,
    "ขอแสดงความนับถือ\n(นาย)\n", "ที่ สน 0018.1/ว\n\n27\n\nมกราคม 2564",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_inputs_run_through_every_stage(text):
    for record in read_text(text, "awkward.txt"):
        assert record.id.endswith(f"#{record.source.letter_index}")
        record.model_dump_json()


def test_registry_order_is_stable():
    assert list(STEPS)[:3] == ["unicode_spaces", "invisible", "markup"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ลิ่งที่ส่งมาด้วย สำเนาหนังสือ", "สิ่งที่ส่งมาด้วย สำเนาหนังสือ"),  # one misread consonant
        ("ถ้างถึง หนังสือ", "อ้างถึง หนังสือ"),
        ("เรอง ขอความร่วมมือ", "เรื่อง ขอความร่วมมือ"),  # both marks dropped
        ("เรียง ตามลำดับ", "เรียง ตามลำดับ"),  # a dictionary word is left alone
        ("'เรื่อง ทดสอบ", "เรื่อง ทดสอบ"),  # a speck glued to the first word
        ("ขอแสดงความนับถอ", "ขอแสดงความนับถือ"),
    ],
)
def test_keyword_repair(raw, expected):
    assert normalise(raw).text == expected
