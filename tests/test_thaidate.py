"""Tests for pipeline.thaidate: table-driven cases for each written form, Hypothesis
for round-trips and invariants, and the real seed letters when ../shared is present."""

from __future__ import annotations

import datetime as dt
import doctest
import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline import thaidate
from pipeline.thaidate import (
    MONTHS_ABBR,
    MONTHS_FULL,
    be_to_ce,
    ce_to_be,
    find_dates,
    find_fiscal_years,
    find_numeric_dates,
    find_times,
    fiscal_year,
    format_thai_date,
    parse_date,
    parse_time,
    to_arabic_digits,
    to_thai_digits,
)

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"

D = dt.date


def dates_of(text, **kw):
    """(start date, end date or None) of every date found."""
    return [(m.date, m.end_date) for m in find_dates(text, **kw)]


# --------------------------------------------------------------------------- single dates

SINGLE_CASES = [
    # real forms from the seed letters and the brief
    ("ลงวันที่ ๒๔ พฤศจิกายน ๒๕๖๓", D(2020, 11, 24)),
    ("วันที่ ๓ พ.ค. ๖๗", D(2024, 5, 3)),
    ("ลง ๑๔ ธ.ค. ๖๖", D(2023, 12, 14)),
    ("วันที่ 27 ธ.ค. 2564", D(2021, 12, 27)),
    ("วันที่ 05 มี.ค. 2565", D(2022, 3, 5)),
    ("ภายในวันจันทร์ที่ ๑๕ กุมภาพันธ์ ๒๕๖๔ ก่อนเวลา ๑๖.๓๐ น.", D(2021, 2, 15)),
    ("๒๗\n\nมกราคม ๒๕๖๔", D(2021, 1, 27)),
    ("๒๓\n\nกุมภาพันธ์ ๒๕๖๗\n\nเรื่อง การขับเคลื่อน", D(2024, 2, 23)),
    ("ภายในวันที่ ๑ กุมภาพันธ์ พ.ศ. ๒๕๖๔", D(2021, 2, 1)),
    ("ภายในวันพฤหัสบดีที่ ๒๒ กุมภาพันธ์ ๒๕๖๗ ผ่าน Google Forms", D(2024, 2, 22)),
    ("รับที่ 4485\n๑๕ พ.ย. ๒๕๖๒\nเวลา.....น.", D(2019, 11, 15)),
    # prefixes
    ("เมื่อวันที่ ๑๕ มกราคม ๒๕๖๔ เวลา ๐๙.๐๐ น.", D(2021, 1, 15)),
    ("ณ วันที่ ๑ ตุลาคม ๒๕๖๖", D(2023, 10, 1)),
    ("ลว. ๑๒ ม.ค. ๖๗", D(2024, 1, 12)),
    ("วันที ๕ มิ.ย. ๒๕๖๖", D(2023, 6, 5)),
    ("วันพฤหัสบดีท ๒๒ กุมภาพันธ์ ๒๕๖๗", D(2024, 2, 22)),
    ("วันศุกร์ที่ ๒๔ ธันวาคม ๒๕๖๔", D(2021, 12, 24)),
    # OCR damage: dots, spaces, dropped marks, ำ as ํ+า, ฎ/ฏ
    ("๒๒ มี.ค ๒๕๖๔", D(2021, 3, 22)),
    ("๒๒ มีค. ๒๕๖๔", D(2021, 3, 22)),
    ("๒๒ มิ.ค. ๒๕๖๔", D(2021, 3, 22)),
    ("๒๒ ม.ค ๒๕๖๔", D(2021, 1, 22)),
    ("๗ ม ค. ๒๕๕๖", D(2013, 1, 7)),  # the middle dot lost, its space kept
    ("๑๓ ก.ุย. ๕๕", D(2012, 9, 13)),  # the middle dot read with a ุ under it
    ("๑๐ กุย. ๕๑", D(2008, 9, 10)),  # or as ุ
    ("๓ ก.ุพ. ๒๕๔๖", D(2003, 2, 3)),
    ("๑๕ มุค. ๒๕๖๖", D(2023, 1, 15)),
    ("วันที่ ๑๖ ก.ฬ. ๖๒", D(2019, 2, 16)),  # พ read as a look-alike
    ("๓ ก.ฟ. ๒๕๕๘", D(2015, 2, 3)),
    ("๒๐ ฟ.ย. ๒๕๖๐", D(2017, 11, 20)),
    ("๒๒ มค ๒๕๖๔", D(2021, 1, 22)),
    ("๒๒ มี . ค . ๒๕๖๔", D(2021, 3, 22)),
    ("๙ ม.ย. ๖๖", D(2023, 6, 9)),
    ("๑๐ กุมภาพันธ ๒๕๖๔", D(2021, 2, 10)),
    ("๑๐ กมภาพนธ ๒๕๖๔", D(2021, 2, 10)),
    ("๙ มถุนายน ๒๕๖๖", D(2023, 6, 9)),
    ("๑๒ พฤศจกายน ๒๕๖๔", D(2021, 11, 12)),
    ("๑ กรกฏาคม ๒๕๖๕", D(2022, 7, 1)),
    ("๑ สงหาคม ๒๕๖๕", D(2022, 8, 1)),
    ("๑๕ เดือนมกราคม ๒๕๖๔", D(2021, 1, 15)),
    ("๑๔ พฤศจิกาย ๒๕๖๕", D(2022, 11, 14)),  # the last letter lost at a stamp's edge
    ("๓ กุมภาพัน ๒๕๖๗", D(2024, 2, 3)),  # ... with its mark
    ("๑ มกราค ๒๕๖๗", D(2024, 1, 1)),
    # digits: Thai, Arabic, mixed in one date
    ("1๕ มกราคม ๒๕6๔", D(2021, 1, 15)),
    ("15 มกราคม 2564", D(2021, 1, 15)),
    ("๐๕ มี.ค. ๖๕", D(2022, 3, 5)),
    # years and eras
    ("๑๕ มกราคม ๖๗", D(2024, 1, 15)),
    ("๑๕ ม.ค. ๖๗ เป็นต้นไป", D(2024, 1, 15)),
    ("๑๕ ม.ค. ๖๗ วันที่ ๑๖", D(2024, 1, 15)),
    ("๑ ต.ค. ๖๖ ปีงบประมาณ ๖๗", D(2023, 10, 1)),
    ("๑๕ มกราคม พ.ศ ๒๕๖๗", D(2024, 1, 15)),
    ("๑๕ มกราคม พ.ศ.๒๕๖๗", D(2024, 1, 15)),
    ("๑๕ มกราคม ค.ศ. 2024", D(2024, 1, 15)),
    ("15 มกราคม 2021", D(2021, 1, 15)),
    ("๑ มกราคม ๒๔๗๕", D(1932, 1, 1)),
    ("๒๗ มกราคม\n\n๒๕๖๔", D(2021, 1, 27)),
    # 29 February in a leap year
    ("๒๙ กุมภาพันธ์ ๒๕๖๗", D(2024, 2, 29)),
]


@pytest.mark.parametrize("text,expected", SINGLE_CASES)
def test_single_date(text, expected):
    found = find_dates(text)
    assert len(found) == 1, found
    m = found[0]
    assert m.date == expected
    assert m.year_given and m.end_date is None and not m.is_range
    assert m.text == text[m.start : m.end]
    assert parse_date(text) == expected


# --------------------------------------------------------------------------- spans and prefixes

SPAN_CASES = [
    ("ลงวันที่ ๒๔ พฤศจิกายน ๒๕๖๓", "๒๔ พฤศจิกายน ๒๕๖๓", "ลงวันที่", None),
    (
        "ที่ มท ๐๓๐๕.๑/ว ๑๙๖๕\nลงวันที่ ๒๕ มกราคม ๒๕๖๔ | จำนวน ๑ ชุด",
        "๒๕ มกราคม ๒๕๖๔",
        "ลงวันที่",
        None,
    ),
    (
        "ภายในวันจันทร์ที่ ๑๕ กุมภาพันธ์ ๒๕๖๔ ก่อนเวลา ๑๖.๓๐ น.",
        "๑๕ กุมภาพันธ์ ๒๕๖๔",
        "ภายในวันจันทร์ที่",
        0,
    ),
    ("ในวันอังคารที่ ๒๘ ธันวาคม ๒๕๖๔ เวลา ๑๓.๐๐", "๒๘ ธันวาคม ๒๕๖๔", "ในวันอังคารที่", 1),
    ("ทราบภายในวันศุกร์ที่ ๒๙ พฤศจิกายน ๒๕๖๒ ทั้งทาง", "๒๙ พฤศจิกายน ๒๕๖๒", "ภายในวันศุกร์ที่", 4),
    ("ลง ๑๔ ธ.ค. ๖๖", "๑๔ ธ.ค. ๖๖", "ลง", None),
    ("ศาลากลางจังหวัด\n\n๒๗\n\nมกราคม ๒๕๖๔\n\nเรื่อง", "๒๗\n\nมกราคม ๒๕๖๔", "", None),
    ("วันอาทิตย์ที่ ๗ มกราคม ๒๕๖๗", "๗ มกราคม ๒๕๖๗", "วันอาทิตย์ที่", 6),
    ("ภายในวันพฤหัสที่ ๒๒ ก.พ. ๖๗", "๒๒ ก.พ. ๖๗", "ภายในวันพฤหัสที่", 3),
    ("วันพุธที่ ๓ ม.ค. ๖๗", "๓ ม.ค. ๖๗", "วันพุธที่", 2),
    ("วันเสาร์ที่ ๖ ม.ค. ๖๗", "๖ ม.ค. ๖๗", "วันเสาร์ที่", 5),
    ("จำนวน ๑๒ ม.ค. ๖๗", "๑๒ ม.ค. ๖๗", "", None),
    ("ประมาณ ๑๕ มกราคม ๒๕๖๗", "๑๕ มกราคม ๒๕๖๗", "", None),
    ("ประมาณวันที่ ๑๕ มกราคม ๒๕๖๗", "๑๕ มกราคม ๒๕๖๗", "วันที่", None),
    ("ตั้งแต่บัดนี้ถึงวันที่ ๓๑ ธันวาคม ๒๕๖๖", "๓๑ ธันวาคม ๒๕๖๖", "ถึงวันที่", None),
    ("ทราบ ภายใน ๕ ม.ค. ๖๗", "๕ ม.ค. ๖๗", "ภายใน", None),
]


@pytest.mark.parametrize("text,date_text,prefix,weekday", SPAN_CASES)
def test_span_prefix_and_weekday(text, date_text, prefix, weekday):
    (m,) = find_dates(text)
    assert m.text == date_text == text[m.start : m.end]
    assert m.prefix == prefix
    assert text[m.prefix_start : m.prefix_start + len(prefix)] == prefix
    assert m.weekday == weekday
    assert not m.weekday_mismatch


def test_weekday_that_disagrees_with_the_date_is_flagged():
    (m,) = find_dates("ภายในวันจันทร์ที่ ๑๖ กุมภาพันธ์ ๒๕๖๔")  # 2021-02-16 was a Tuesday
    assert m.date == D(2021, 2, 16)
    assert m.weekday == 0 and m.weekday_mismatch


# --------------------------------------------------------------------------- ranges

RANGE_CASES = [
    ("ตั้งแต่วันที่ ๑ มกราคม - ๒๘ กุมภาพันธ์ ๒๕๖๕", D(2022, 1, 1), D(2022, 2, 28)),
    ("๑ มกราคม - ๒๘ กุมภาพันธ์ ๒๕๖๕", D(2022, 1, 1), D(2022, 2, 28)),
    ("๒๗-๒๙ มี.ค. ๖๗", D(2024, 3, 27), D(2024, 3, 29)),
    ("ตั้งแต่วันที่ ๑ - ๑๕ มกราคม ๒๕๖๗", D(2024, 1, 1), D(2024, 1, 15)),
    ("ระหว่างวันที่ ๑๐ ถึงวันที่ ๑๒ มีนาคม ๒๕๖๗", D(2024, 3, 10), D(2024, 3, 12)),
    ("ระหว่างวันที่ ๑๐ มีนาคม ถึงวันที่ ๒ เมษายน ๒๕๖๗", D(2024, 3, 10), D(2024, 4, 2)),
    ("ระหว่างวันที่ ๑๐ มีนาคม ๒๕๖๗ ถึง ๒ เมษายน ๒๕๖๗", D(2024, 3, 10), D(2024, 4, 2)),
    ("ระหว่างวันที่ ๑๐ และ ๑๑ มีนาคม ๒๕๖๗", D(2024, 3, 10), D(2024, 3, 11)),
    ("๒๐ – ๒๒ ก.ย. ๒๕๖๖", D(2023, 9, 20), D(2023, 9, 22)),
    # the start takes the year before when its month comes after the end's
    ("๑ ธันวาคม - ๓๑ มกราคม ๒๕๖๕", D(2021, 12, 1), D(2022, 1, 31)),
    # the end takes the start's year, or the next one
    ("๑ ธันวาคม ๒๕๖๔ - ๓๑ มกราคม", D(2021, 12, 1), D(2022, 1, 31)),
]


@pytest.mark.parametrize("text,start,end", RANGE_CASES)
def test_range(text, start, end):
    (m,) = find_dates(text)
    assert (m.date, m.end_date) == (start, end)
    assert m.is_range and m.year_given
    assert (m.end_day, m.end_month) == (end.day, end.month)


def test_days_listed_with_and_are_separate_dates():
    text = "ประชุมวันที่ ๑๐ และ ๑๕ มีนาคม ๒๕๖๗"
    first, second = find_dates(text)
    assert (first.date, first.text, first.prefix) == (D(2024, 3, 10), "๑๐", "วันที่")
    assert (second.date, second.text, second.is_range) == (
        D(2024, 3, 15),
        "๑๕ มีนาคม ๒๕๖๗",
        False,
    )


def test_two_dates_joined_by_and_are_two_dates_without_range_word():
    text = "ลงวันที่ ๑ มีนาคม ๒๕๖๗ และ ๒ เมษายน ๒๕๖๗"
    assert dates_of(text) == [(D(2024, 3, 1), None), (D(2024, 4, 2), None)]


def test_bulleted_dates_on_separate_lines_are_not_a_range():
    text = "ลงวันที่ ๑ มกราคม ๒๕๖๔\n- ๕ มกราคม ๒๕๖๔"
    assert dates_of(text) == [(D(2021, 1, 1), None), (D(2021, 1, 5), None)]


def test_range_that_ends_before_it_starts_is_dropped_or_flagged():
    text = "๑๕ - ๓ มีนาคม ๒๕๖๗"
    assert find_dates(text) == []
    (m,) = find_dates(text, include_invalid=True)
    assert m.problem == "range ends before it starts" and m.date is None


# --------------------------------------------------------------------------- years missing


def test_date_without_year():
    (m,) = find_dates("ภายในวันที่ ๕ ก.พ. นี้")
    assert (m.day, m.month, m.year, m.year_given, m.date) == (5, 2, None, False, None)
    (m,) = find_dates("ภายในวันที่ ๕ ก.พ. นี้", default_year=2024)
    assert (m.year, m.year_given, m.date) == (2024, False, D(2024, 2, 5))
    assert parse_date("ภายในวันที่ ๕ ก.พ. นี้") is None


def test_range_without_year_uses_default_year_and_carries_back():
    (m,) = find_dates("ระหว่างวันที่ ๒๘ ธันวาคม - ๓ มกราคม", default_year=2024)
    assert (m.date, m.end_date, m.year_given) == (D(2023, 12, 28), D(2024, 1, 3), False)


def test_feb_29_without_year_depends_on_default_year():
    assert find_dates("๒๙ กุมภาพันธ์")[0].problem is None
    assert find_dates("๒๙ กุมภาพันธ์", default_year=2024)[0].date == D(2024, 2, 29)
    assert find_dates("๒๙ กุมภาพันธ์", default_year=2023) == []
    (m,) = find_dates("๒๙ กุมภาพันธ์", default_year=2023, include_invalid=True)
    assert m.problem == "no such day"


def test_two_digit_number_that_is_a_time_is_not_a_year():
    (m,) = find_dates("๑๕ มกราคม ๑๓.๐๐ น.")
    assert (m.text, m.year_given) == ("๑๕ มกราคม", False)


@pytest.mark.parametrize(
    "text",
    [
        "ภายในวันที่ ๑๕ มกราคม 10 Flagships",
        "๑๕ มกราคม ๒๐ คน",
        "๑ ต.ค. ๑๐ แห่ง",
        "๓ ม.ค. ๔๐ %",
        "๑ ม.ค. ๑๒ วัน",
    ],
)
def test_two_digit_count_after_the_month_is_not_a_year(text):
    (m,) = find_dates(text)
    assert not m.year_given and m.date is None


def test_plausible_year_on_a_later_line_but_not_any_number():
    (m,) = find_dates("๒๗ มกราคม\n1044 ชุด")
    assert (m.text, m.year_given) == ("๒๗ มกราคม", False)


# --------------------------------------------------------------------------- not dates

NOT_DATES = [
    "งผู้รับบริการที่สำนักงาน ก.พ.ร. กำหนด",
    "รายงานทุกวันที่ ๕ ก.พ.ร. กำหนด",
    "ข้อ ๕ มีค่าใช้จ่าย",
    "ในระบบออนไลน์ห้วงเดือนมกราคม - กุมภาพันธ์ เป็นประจำทุกปี",
    "ที่ มท ๐๓๐๕.๑/ว ๑๙๖๕",
    "คำสั่งที่ 1139/66",
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗",
    "โทร ๐๔๒ - ๗๑๑๔๖๑",
    "ตามเอกสาร สิ่งที่ส่งมาด้วย ๒ - ๓\n\nจึงเรียนมาเพื่อทราบ",
    "๑๕ มค เป็นต้น",  # no dot and no year: not trusted as a month
    "10 Flagships to DOPA New Normal 2021",
    "วันจันทร์-ศุกร์ ในวันเวลาราชการ",
    "ที่ สน ๐๐๑๘.๑/ว ๑๒\n\nมกราคม ๒๕๖๔",  # the day left blank: ๑๒ is the serial
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text):
    assert find_dates(text, include_invalid=True) == []


IMPOSSIBLE = [
    ("๓๑ กุมภาพันธ์ ๒๕๖๔", "no such day"),
    ("๓๑ เมษายน ๒๕๖๔", "no such day"),
    ("๐ มกราคม ๒๕๖๔", "no such day"),
    ("๔๕ มกราคม ๒๕๖๔", "no such day"),
    ("๒๙ กุมภาพันธ์ ๒๕๖๖", "no such day"),
    ("๑๕ มกราคม ๒๓๕๐", "implausible year"),
    ("๑๕ มกราคม พ.ศ. ๑๙๙๙", "implausible year"),
    ("๑๕ มกราคม ๒๕๖", "implausible year"),
    ("๑๕ มกราคม ค.ศ. 24", "implausible year"),
]


@pytest.mark.parametrize("text,problem", IMPOSSIBLE)
def test_impossible_dates_are_dropped_or_flagged(text, problem):
    assert find_dates(text) == []
    assert parse_date(text) is None
    (m,) = find_dates(text, include_invalid=True)
    assert (m.date, m.problem, m.valid) == (None, problem, False)


# --------------------------------------------------------------------------- numeric dates

NUMERIC_CASES = [
    ("27/12/2564", D(2021, 12, 27)),
    ("๒๗/๑๒/๖๔", D(2021, 12, 27)),
    ("27-12-2564", D(2021, 12, 27)),
    ("วันที่ 1/2/2024", D(2024, 2, 1)),
]


@pytest.mark.parametrize("text,expected", NUMERIC_CASES)
def test_numeric_dates_only_on_request(text, expected):
    assert find_dates(text) == []
    assert [m.date for m in find_numeric_dates(text)] == [expected]
    (m,) = find_dates(text, numeric=True)
    assert m.numeric and m.date == expected
    assert parse_date(text, numeric=True) == expected


@pytest.mark.parametrize(
    "text", ["1139/66", "ที่ สน ๐๐๑๘.๑/ว ๒๒๕๐๙", "32/13/2564", "1.2.2564", "๑/๒/๓/๒๕๖๔"]
)
def test_numeric_lookalikes(text):
    assert find_numeric_dates(text) == []


def test_numeric_and_word_dates_together_in_order():
    text = "ลงวันที่ ๑ มีนาคม ๒๕๖๗ รับ 5/3/2567"
    assert [m.date for m in find_dates(text, numeric=True)] == [
        D(2024, 3, 1),
        D(2024, 3, 5),
    ]


# --------------------------------------------------------------------------- times

TIME_CASES = [
    ("ก่อนเวลา ๑๖.๓๐ น.", "16:30", None, "ก่อนเวลา"),
    ("เวลา ๑๓๐๐", "13:00", None, "เวลา"),
    ("เวลา 15.37 น.", "15:37", None, "เวลา"),
    ("15.37 น.", "15:37", None, ""),
    ("10:30", "10:30", None, ""),
    ("เวลา ๑๐:๓๐", "10:30", None, "เวลา"),
    ("เวลา ๑๓.๐๐ - ๑๖.๓๐ น.", "13:00", "16:30", "เวลา"),
    ("๑๓.๐๐ น. - ๑๖.๓๐ น.", "13:00", "16:30", ""),
    ("๑๗.๐๐ - ๑๙.๐๐ น.", "17:00", "19:00", ""),
    ("เวลา ๐๙.๐๐ น. เพื่อชี้แจง", "09:00", None, "เวลา"),
    ("๙.๓๐ นาฬิกา", "09:30", None, ""),
    ("๑๖.๓๐ น", "16:30", None, ""),
]


@pytest.mark.parametrize("text,start,end,prefix", TIME_CASES)
def test_time(text, start, end, prefix):
    (m,) = find_times(text)
    assert (m.hhmm(), m.end_hhmm(), m.prefix) == (start, end, prefix)
    assert m.text == text[m.start : m.end]
    assert parse_time(text) == start


NOT_TIMES = [
    "25:00",
    "เวลา 25.00 น.",
    "12.75 น.",
    "เวลา ๒๔.๐๐ น.",
    "๒.๖ ประชาสัมพันธ์",
    "ร้อยละ 12.50",
    "๑.๓๐ นาที",
    "เวลา.....น.",
    "๐๐๑๘.๑/ว ๑๐๔๔",
    "พ.ศ. ๒๕๖๔",
    "1300",
    "๑๓.๐๐ - ๑๖.๗๕ น.",
]


@pytest.mark.parametrize("text", NOT_TIMES)
def test_not_a_time(text):
    assert find_times(text) == []
    assert parse_time(text) is None


# --------------------------------------------------------------------------- fiscal years


def test_fiscal_year_bounds():
    assert fiscal_year(2567) == (D(2023, 10, 1), D(2024, 9, 30))
    assert fiscal_year(2024) == (D(2023, 10, 1), D(2024, 9, 30))
    with pytest.raises(ValueError):
        fiscal_year(1)


FY_CASES = [
    ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", [2567]),
    ("ปีงบประมาณ ๒๕๖๗", [2567]),
    ("ปีงบประมาณ พ.ศ.๒๕๖๓", [2563]),
    ("ปีงบประมาณ ๖๗", [2567]),
    ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๓ และ ๒๕๖๔ รวม ๑๕๒ แห่ง", [2563, 2564]),
    ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ และ พ.ศ. ๒๕๖๖", [2565, 2566]),
    ("ปีงบประมาณ 2024", [2567]),
    ("ปีงบฯ ๖๗", [2567]),
    ("ประจำปงบประมาณ พ.ศ. ๒๕๖๖", [2566]),
    ("ปีงบประมาณ ค.ศ. 2024", [2567]),
    ("ประจำปี พ.ศ. ๒๕๖๔", []),
    ("ประจำปีงบประมาณ", []),
]


@pytest.mark.parametrize("text,years", FY_CASES)
def test_find_fiscal_years(text, years):
    found = find_fiscal_years(text)
    assert [f.year_be for f in found] == years
    for f in found:
        assert (f.start_date, f.end_date) == fiscal_year(f.year_be)
        assert f.text == text[f.start : f.end]


# --------------------------------------------------------------------------- formatting

FORMAT_CASES = [
    ({}, "๒๒ กุมภาพันธ์ ๒๕๖๗"),
    ({"weekday": True}, "วันพฤหัสบดีที่ ๒๒ กุมภาพันธ์ ๒๕๖๗"),
    ({"month": "abbr", "year": "be2"}, "๒๒ ก.พ. ๖๗"),
    ({"digits": "arabic", "month": "abbr"}, "22 ก.พ. 2567"),
    ({"digits": "arabic", "year": "ce"}, "22 กุมภาพันธ์ 2024"),
    ({"era": True}, "๒๒ กุมภาพันธ์ พ.ศ. ๒๕๖๗"),
    ({"era": True, "year": "ce", "digits": "arabic"}, "22 กุมภาพันธ์ ค.ศ. 2024"),
]


@pytest.mark.parametrize("kw,expected", FORMAT_CASES)
def test_format_thai_date(kw, expected):
    assert format_thai_date(D(2024, 2, 22), **kw) == expected


@pytest.mark.parametrize(
    "kw", [{"month": "long"}, {"digits": "roman"}, {"year": "be3"}]
)
def test_format_rejects_unknown_styles(kw):
    with pytest.raises(ValueError):
        format_thai_date(D(2024, 2, 22), **kw)


def test_tables_and_helpers():
    assert len(MONTHS_FULL) == len(MONTHS_ABBR) == 12
    assert (be_to_ce(2567), ce_to_be(2024)) == (2024, 2567)
    assert to_arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert to_thai_digits("10๔๔") == "๑๐๔๔"


def test_module_doctests_run():
    result = doctest.testmod(thaidate)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- Hypothesis

STYLES = st.fixed_dictionaries(
    {
        "month": st.sampled_from(["full", "abbr"]),
        "digits": st.sampled_from(["thai", "arabic"]),
        "year": st.sampled_from(["be4", "be2", "ce"]),
        "weekday": st.booleans(),
        "era": st.booleans(),
    }
)


def _date_for(style):
    """be2 only names BE 2500-2599; a bare CE year is read as CE in 1800-2200."""
    if style["year"] == "be2":
        return st.dates(D(1957, 1, 1), D(2056, 12, 31))
    return st.dates(D(1900, 1, 1), D(2150, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_format_then_find_round_trips(data):
    style = data.draw(STYLES)
    d = data.draw(_date_for(style))
    text = format_thai_date(d, **style)
    (m,) = find_dates(text)
    assert m.date == d
    assert m.end == len(text)
    assert not m.weekday_mismatch
    if style["weekday"]:
        assert m.weekday == d.weekday() and m.prefix.startswith("วัน")
    else:
        assert m.start == 0


# Ordinary Thai words, agency abbreviations and near-misses of month names.
FILLER_WORDS = [
    "หนังสือ",
    "กรมการปกครอง",
    "ขอความร่วมมือ",
    "มีค่า",
    "สำนักงาน",
    "ก.พ.ร.",
    "ก.พ.",
    "ค.ศ.",
    "พ.ศ.",
    "เดือน",
    "มกรา",
    "ประจำปีงบประมาณ",
    "วันที่",
    "ภายใน",
    "ลงวันที่",
    "เวลา",
    "น.",
    "ทุกวัน",
    "จันทร์",
    "ที่",
    "มท",
    "ว",
    "ด่วนที่สุด",
    "เรื่อง",
    "เรียน",
    "-",
    "ถึง",
    "และ",
    "ตุลาการ",
    "กันยา",
    "ธันวา",
    "ต.ค",
    "ส.ค",
    "มี",
    "ค",
    "ธ",
    "(",
    ")",
    ".",
    ",",
]
filler = st.lists(st.sampled_from(FILLER_WORDS), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(filler, filler)
def test_thai_words_without_numbers_never_make_dates(left, right):
    assert find_dates(left + right, include_invalid=True) == []
    assert find_dates(left + " " + right, include_invalid=True) == []


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_date_in_thai_text_is_found_exactly_once(data):
    style = data.draw(STYLES)
    d = data.draw(_date_for(style))
    left, right = data.draw(filler), data.draw(filler)
    date_text = format_thai_date(d, **style)
    if style["year"] == "be2" and not style["era"]:
        assume(not right.startswith("เดือน"))  # "๑ มกราคม ๔๓ เดือน": a count, by design
    text = f"{left} {date_text} {right}"
    found = find_dates(text)
    assert [m.date for m in found] == [d]


digits_text = st.lists(
    st.one_of(
        filler,
        st.builds(
            lambda d, kw: format_thai_date(d, **kw),
            st.dates(D(1957, 1, 1), D(2056, 12, 31)),
            STYLES,
        ),
        st.sampled_from(
            [
                "ที่ มท 0305.1/ว 1965",
                "1139/66",
                "เวลา 13.00 - 16.30 น.",
                "10:30",
                "27/12/2564",
            ]
        ),
    ),
    max_size=6,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(digits_text)
def test_digit_style_does_not_change_results(text):
    def key(ms):
        return [(m.start, m.end, m.date, m.end_date, m.problem) for m in ms]

    thai, arabic = to_thai_digits(text), to_arabic_digits(text)
    assert key(find_dates(thai, include_invalid=True)) == key(
        find_dates(arabic, include_invalid=True)
    )
    assert key(find_dates(thai, numeric=True)) == key(find_dates(arabic, numeric=True))
    times = [(t.start, t.end, t.hhmm(), t.end_hhmm()) for t in find_times(thai)]
    assert times == [
        (t.start, t.end, t.hhmm(), t.end_hhmm()) for t in find_times(arabic)
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 30), st.integers(0, 80), st.sampled_from([".", ":"]), st.booleans()
)
def test_times_valid_exactly_when_on_the_clock(h, mi, sep, thai):
    text = f"เวลา {h:02d}{sep}{mi:02d} น."
    text = to_thai_digits(text) if thai else text
    expected = f"{h:02d}:{mi:02d}" if h <= 23 and mi <= 59 else None
    assert parse_time(text) == expected


@given(st.integers(1857, 2200))  # BE 2400-2743: below 2400 a number is read as CE
def test_fiscal_year_invariants(ce):
    start, end = fiscal_year(ce)
    assert fiscal_year(ce_to_be(ce)) == (start, end)
    assert (start, end) == (D(ce - 1, 10, 1), D(ce, 9, 30))
    assert (end - start).days + 1 in (365, 366)


# --------------------------------------------------------------------------- real seeds

GOLD = SHARED / "gold" / "seeds.json"


@pytest.mark.skipif(not GOLD.exists(), reason="../shared is not present")
def test_seed_letters_every_labelled_date_is_found_and_nothing_implausible():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    by_source: dict[str, set[str]] = {}
    for letter in gold["letters"]:
        wanted = by_source.setdefault(letter["source"], set())
        wanted.add(letter["date"])
        wanted.update(r["date"] for r in letter.get("references", []))
        wanted.update(d["date"] for d in letter.get("deadlines", []))
        wanted.update(s["date"] for s in letter.get("stamps", []))
    for source, wanted in by_source.items():
        text = (SHARED / "seeds" / source).read_text(encoding="utf-8")
        found = find_dates(text, include_invalid=True)
        seen = {m.date.isoformat() for m in found if m.date} | {
            m.end_date.isoformat() for m in found if m.end_date
        }
        assert {w for w in wanted if w} <= seen, source
        assert all(m.valid and 2019 <= m.date.year <= 2024 for m in found), source
        assert all(not m.weekday_mismatch for m in found), source


@pytest.mark.skipif(not GOLD.exists(), reason="../shared is not present")
def test_seed_letters_deadline_time_and_stamp_time():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text = (SHARED / "seeds" / gold["letters"][1]["source"]).read_text(encoding="utf-8")
    times = {t.hhmm() for t in find_times(text)}
    wanted = {d["time"] for d in gold["letters"][1]["deadlines"] if d["time"]}
    wanted |= {s["time"] for s in gold["letters"][1].get("stamps", []) if s.get("time")}
    assert wanted and wanted <= times


@pytest.mark.parametrize("month", range(1, 13))
def test_a_month_name_without_its_last_letter_is_still_that_month(month):
    name = MONTHS_FULL[month - 1]
    clipped = name.rstrip("์")[:-1]
    found = find_dates(f"๑ {clipped} ๒๕๖๗")
    assert len(found) == 1 and found[0].date == D(2024, month, 1)


def test_a_month_name_losing_more_than_its_last_letter_is_no_month():
    assert find_dates("๑๔ พฤศจิกา ๒๕๖๕") == []
