"""The month reader: where a date's month slot is, and what the trained model reads there
in fonts it never saw."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for `models` (training code) when run as plain `pytest`

from pipeline.ocr import engine, months  # noqa: E402
from pipeline.thaidate import month_number  # noqa: E402
from pipeline.types import Box  # noqa: E402


def _line(texts: list[str]) -> tuple[list[str], list[Box]]:
    """Words laid left to right, 100 px apart."""
    return texts, [Box(left=100 * i, top=10, right=100 * i + 80, bottom=50) for i in range(len(texts))]


def _known(text: str) -> bool:
    return month_number(text) is not None


@pytest.mark.parametrize("texts,expected", [
    (["วันที่", "๒๘", "T.AL", "๖๖."], [(2, 2)]),  # a memo's date
    (["๒๘", "ฮ.ค.", "๒๕๖๖"], [(1, 1)]),  # a letter's date line
    (["๑๓", "ก", "ม.", "48."], [(1, 2)]),  # the month in two pieces
    (["๒๘", "ก.ค.", "๒๕๖๖"], []),  # a month the parser reads: nothing to do
    (["๒๘", "กรกฎาคม", "๒๕๖๖"], []),
    (["๑๙", "JUN", "๙", "ก.ค.", "๖๕"], []),  # a month among the words: the date is ๙ ก.ค., ๑๙ a serial
    (["๓๒", "ฮ.ค.", "๒๕๖๖"], []),  # no day 32
    (["๐", "ฮ.ค.", "๒๕๖๖"], []),
    (["๒๘", "ฮ.ค.", "๒๕๖"], []),  # a year has two or four digits
    (["๒๘", "ab", "cd", "ef", "gh", "๒๕๖๖"], []),  # too many words between
    (["๒๘", "๑๒", "๒๕๖๖"], []),  # a number between: not a month's slot
    (["19", "1.9.", "41"], [(1, 1)]),  # ก.ค. read as dotted digits
    (["๒๘", "3.71.", "๒๕๕๐"], [(1, 1)]),  # ธ.ค. read as dotted digits, the line a date alone
    (["ที่", "๒๘", "3.71.", "๒๕๕๐"], []),  # dotted digits within a longer line: a number
    (["ข้อ", "๑", "และ", "๒๕", "ข้อ", "๓", "ถึง", "๔๕"], [(2, 2), (6, 6)]),  # slots; the model says "other"
])
def test_find_slots(texts, expected):
    words, boxes = _line(texts)
    assert [(s.first, s.last) for s in months.find_slots(words, boxes, _known)] == expected


def _fake_reader(monkeypatch, answers):
    """`months.read_slot` answering from `answers` in turn; the boxes it was asked about."""
    asked = []

    def read_slot(grey, box, model):
        asked.append(box)
        return answers[len(asked) - 1]

    monkeypatch.setattr(months, "read_slot", read_slot)
    return asked


def test_a_slot_the_reader_is_unsure_of_is_read_again_over_its_words(monkeypatch):
    """``๒๗ จิ.ค. ๒๕๔๖`` (seed 2027 file 032): the ๗'s tail reached into the slot, read as
    something else; over the month's word alone it is ธ.ค."""
    asked = _fake_reader(monkeypatch, [None, ("ธ.ค.", 0.99)])
    slot, between = Box(left=100, top=10, right=300, bottom=60), Box(left=140, top=20, right=250, bottom=55)
    assert months.read_between(None, slot, between, None) == ("ธ.ค.", 0.99)
    assert asked == [slot, Box(left=135, top=10, right=255, bottom=60)]


@pytest.mark.parametrize(("answers", "expected"), [
    ([("ก.ค.", 0.95)], ("ก.ค.", 0.95)),  # sure at once: not read again
    ([("ก.ค.", 0.6), ("ก.พ.", 0.5)], ("ก.ค.", 0.6)),  # the surer of the two
    ([("ก.ค.", 0.6), None], ("ก.ค.", 0.6)),
])
def test_the_surer_reading_of_a_slot_is_kept(monkeypatch, answers, expected):
    asked = _fake_reader(monkeypatch, answers)
    slot, between = Box(left=100, top=10, right=300, bottom=60), Box(left=140, top=20, right=250, bottom=55)
    assert months.read_between(None, slot, between, None) == expected
    assert len(asked) == len(answers)


def test_a_slot_no_wider_than_its_words_is_read_once(monkeypatch):
    asked = _fake_reader(monkeypatch, [None])
    slot = Box(left=100, top=10, right=300, bottom=60)
    assert months.read_between(None, slot, Box(left=95, top=20, right=310, bottom=55), None) is None
    assert asked == [slot]


def test_slot_box_spans_the_ink_between_day_and_year():
    day, between, year = Box(left=0, top=20, right=40, bottom=60), [Box(left=55, top=30, right=90, bottom=58)], \
        Box(left=100, top=22, right=150, bottom=61)
    assert months.slot_box(day, between, year) == Box(left=40, top=20, right=100, bottom=61)


# --------------------------------------------------------------------------- the trained model

needs_model = pytest.mark.skipif(months.default_model() is None, reason="models/months.npz not built")


def _held_out(families: tuple[str, ...]):
    from models import train

    chosen = [f for f in train.held_out_fonts() if f.family in families]
    if not chosen:
        pytest.skip("held-out fonts not installed")
    return chosen


@needs_model
def test_reads_months_in_held_out_fonts():
    """Kinnari and TH KoHo were never trained on; every slot is damaged at random. A
    month read wrong corrupts a date, so wrong readings must be rare; refusals only
    leave Tesseract's reading as it was. Validation (models/README.md) measured the
    rates; the bounds fail if the model or its input breaks, not on noise."""
    from models import months as training
    from models import train

    chosen = _held_out(("Kinnari", "THKoHo"))
    images, labels, _ = training.make_set(240, chosen, 5151, train.lexicon_words())
    model = months.default_model()
    right = wrong = total = false = others = 0
    for img, lab in zip(images, labels):
        k, p = model.classify(img / 255.0)
        taken = k != months.OTHER and p >= months.MIN_PROB
        if lab == months.OTHER:
            others += 1
            false += taken
            continue
        total += 1
        right += taken and k == lab
        wrong += taken and k != lab
    assert right / total >= 0.8
    assert wrong / total <= 0.03
    assert false / others <= 0.05


def _render_line(parts: list[str], font_path: str) -> tuple[np.ndarray, list[Box]]:
    """A clean grey line of words at 300 dpi, 16 pt, and each word's ink box."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(font_path, 67, layout_engine=ImageFont.Layout.RAQM)
    img = Image.new("L", (1600, 160), 255)
    draw = ImageDraw.Draw(img)
    boxes, x = [], 40
    for text in parts:
        draw.text((x, 40), text, font=font, fill=0)
        left, top, right, bottom = draw.textbbox((x, 40), text, font=font)
        boxes.append(Box(left=left, top=top, right=right, bottom=bottom))
        x = right + 30
    return np.asarray(img), boxes


def _sarabun():
    from pipeline import fonts

    try:
        return str(fonts.find("THSarabunNew", "Regular").path)
    except LookupError:
        pytest.skip("TH Sarabun New not installed")


@needs_model
@pytest.mark.parametrize("month", months.CLASSES[:12])
def test_engine_replaces_a_misread_abbreviation(month):
    grey, boxes = _render_line(["วันที่", "๒๘", month, "๒๕๖๖"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=90.0, block=1, par=1, line=1)
             for t, b in zip(["วันที่", "๒๘", "#.A.", "๒๕๖๖"], boxes)]
    out = engine._read_months(grey, words)
    assert [w.text for w in out] == ["วันที่", "๒๘", month, "๒๕๖๖"]
    assert engine.MONTH_NOTE in out[2].notes[-1]


@needs_model
def test_engine_leaves_other_words_between_numbers():
    grey, boxes = _render_line(["ข้อ", "๑", "และ", "๒๕"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=90.0, block=1, par=1, line=1)
             for t, b in zip(["ข้อ", "๑", "และ", "๒๕"], boxes)]
    assert [w.text for w in engine._read_months(grey, words)] == ["ข้อ", "๑", "และ", "๒๕"]


def test_engine_without_a_model_changes_nothing(monkeypatch):
    monkeypatch.setattr(months, "default_model", lambda: None)
    words = [engine._Word(text=t, raw=t, box=b, conf=90.0, block=1, par=1, line=1)
             for t, b in zip(*_line(["๒๘", "ฮ.ค.", "๒๕๖๖"]))]
    assert [w.text for w in engine._read_months(np.full((80, 400), 255, np.uint8), words)] == ["๒๘", "ฮ.ค.", "๒๕๖๖"]


@pytest.mark.parametrize("token,month", [("ก.ค.", 7), ("ธ. ค.", 12), ("กรกฎาคม", 7), ("ฮ.ค.", None), ("พ.ศ.", None)])
def test_month_number(token, month):
    assert month_number(token) == month


def test_split_merged_cuts_between_day_month_and_year():
    """``28 พ.ย. ๖๓`` that Tesseract boxed as one word: the cuts fall in the blank
    columns between the parts, as the numeral reader places the digits."""
    from pipeline.ocr import numerals

    grey, boxes = _render_line(["28", "พ.ย.", "๖๓"], _sarabun())
    word = months.union(boxes)
    crop = grey[word.top : word.bottom, word.left : word.right]
    cut = months.split_merged("28.ุย..๖๓", grey, word, numerals.read_crop(crop))
    assert cut is not None
    assert (cut.day, cut.year) == ("28", "๖๓")
    assert boxes[0].right <= cut.day_right <= boxes[1].left
    assert boxes[1].right <= cut.year_left <= boxes[2].left


@pytest.mark.parametrize("min_conf,expected", [(0.4, ("๑๘", "๖๓")), (None, ("๑๕", "๒๓"))])
def test_split_merged_takes_the_readers_digits_where_it_is_sure(min_conf, expected):
    """Tesseract has no ๘ or ๖: ``๑๘ พ.ย. ๖๓`` glued into one word reads ``๑๕.ุย..๒๓``
    (seed 2026's 027: ``๑๕กุมภาพันธ์`` for ๑๘); the day and year are the numeral
    reader's where it is sure, Tesseract's otherwise."""
    from pipeline.ocr import numerals

    grey, boxes = _render_line(["๑๘", "พ.ย.", "๖๓"], _sarabun())
    word = months.union(boxes)
    crop = grey[word.top : word.bottom, word.left : word.right]
    reading = numerals.read_crop(crop)
    assert reading.text.startswith("๑๘") and reading.conf >= 0.4
    cut = months.split_merged("๑๕.ุย..๒๓", grey, word, reading, min_conf)
    assert cut is not None and (cut.day, cut.year) == expected


@pytest.mark.parametrize("text", ["ธันวาคม", "๑๒๓", "ก.ค.", "28"])
def test_split_merged_needs_a_day_glued_to_something(text):
    from pipeline.ocr import numerals

    grey = np.full((60, 200), 255, np.uint8)
    assert months.split_merged(text, grey, Box(left=0, top=0, right=200, bottom=60),
                               numerals.Reading("28¤๖๓", 0.99, (2, 6, 12, 14), 20)) is None


@needs_model
def test_engine_reads_no_month_between_marks():
    """A line of upper marks read as ``a 1 a ๑7 i`` (bench-corpus 047): its "day" is a
    quarter of the page's word height, no date."""
    grey, boxes = _render_line(["วันที่", "๒๘", "ก.ค.", "๒๕๖๖"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=90.0, block=1, par=1, line=1)
             for t, b in zip(["วันที่", "๒๘", "#.A.", "๒๕๖๖"], boxes)]
    day = words[1].box
    words[1].box = Box(left=day.left, top=day.bottom - 8, right=day.right, bottom=day.bottom)
    others = [engine._Word(text="ข้อความ", raw="ข้อความ", box=Box(left=0, top=200 + 10 * i, right=50, bottom=260 + 10 * i),
                           conf=90.0, block=2, par=1, line=i) for i in range(5)]
    out = engine._read_months(grey, words + others)
    assert [w.text for w in out[:4]] == ["วันที่", "๒๘", "#.A.", "๒๕๖๖"]


@needs_model
def test_a_day_of_one_short_digit_still_opens_a_date():
    """``๑ WA. ๒๕๕๑`` for ๑ พ.ค. ๒๕๕๑ (seed 2034 file 025): ``๑`` has nothing above or
    below its body, 21 px against the page's 60; the month between it and the year is read."""
    grey, boxes = _render_line(["๑", "พ.ค.", "๒๕๕๑"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=90.0, block=1, par=1, line=1)
             for t, b in zip(["๑", "WA.", "๒๕๕๑"], boxes)]
    day = words[0].box
    words[0].box = Box(left=day.left, top=day.bottom - 21, right=day.right, bottom=day.bottom)
    others = [engine._Word(text="ข้อความ", raw="ข้อความ", box=Box(left=0, top=200 + 10 * i, right=50, bottom=260 + 10 * i),
                           conf=90.0, block=2, par=1, line=i) for i in range(5)]
    assert engine.median_height(words + others) == 60
    assert [w.text for w in engine._read_months(grey, words + others)[:3]] == ["๑", "พ.ค.", "๒๕๕๑"]


@needs_model
def test_a_date_line_whose_day_and_month_were_both_misread_is_read_again():
    """``‘mo ฟี.ย. ๒๕๕๕`` for ๓๐ พ.ย. ๒๕๕๕ (seed 2034 file 019): the line's first word,
    Latin boxed at its x-height, is read as a day; the month reader then reads the slot."""
    grey, boxes = _render_line(["๓๐", "พ.ย.", "๒๕๕๕"], _sarabun())
    day = boxes[0]
    texts = ["‘mo", "ฟี.ย.", "๒๕๕๕"]
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1) for t, b in zip(texts, boxes)]
    words[0].box = Box(left=day.left, top=day.top + (day.bottom - day.top) // 2, right=day.right, bottom=day.bottom)
    others = [engine._Word(text="ข้อความ", raw="ข้อความ", box=Box(left=0, top=200, right=50, bottom=200 + day.bottom - day.top),
                           conf=90.0, block=2, par=1, line=i) for i in range(5)]
    engine._reread_numerals(grey, words + others)
    assert words[0].text == "๓๐"
    assert [w.text for w in engine._read_months(grey, words + others)[:3]] == ["๓๐", "พ.ย.", "๒๕๕๕"]


@needs_model
@pytest.mark.parametrize("texts,expected", [
    (["๑๗)", "เม.ย.", "๒๕๖๕"], "๑๗"),  # a speck read as a bracket after a date's day
    (["๑๗)", "เม.ย."], "๑๗)"),  # no year after it: not known for a date
    (["๑๗)", "ข้อความ", "๒๕๖๕"], "๑๗)"),  # no month after it
])
def test_a_bracket_after_a_dates_day_goes(texts, expected):
    words = [engine._Word(text=t, raw=t, box=b, conf=90.0, block=1, par=1, line=1) for t, b in zip(*_line(texts))]
    out = engine._read_months(np.full((80, 400), 255, np.uint8), words)
    assert out[0].text == expected


@needs_model
@pytest.mark.parametrize("month,seen", [("พ.ย.", "พุ้ย.ใ."), ("ต.ค.", "ต.คุ๊ว."), ("มี.ค.", "มี.ค.'")])
def test_a_month_glued_to_its_year_after_the_day_is_read(month, seen):
    """``๒๒ พุ้ย.ใ.๒๕๖๗`` (seed 2031 file 029): Tesseract boxed the month and the year
    as one word; the month reader reads the slot from the day to the year's digits."""
    grey, boxes = _render_line(["๒๒", month, "๒๕๖๗"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1)
             for t, b in [("๒๒", boxes[0]), (seen + "๒๕๖๗", months.union(boxes[1:]))]]
    out = engine._read_months(grey, words)
    assert [w.text for w in out] == ["๒๒", month, "๒๕๖๗"]
    assert out[2].box.left >= boxes[1].right and out[1].box.right <= boxes[2].left


@pytest.mark.parametrize("text", [".๒๐", "..๒๐"])
def test_split_merged_takes_no_time_for_a_month_and_year(text):
    """``๑๖ .๒๐ น.``: a time's minutes with a dot before them hold no month."""
    from pipeline.ocr import numerals

    grey = np.full((60, 200), 255, np.uint8)
    assert months.split_merged(text, grey, Box(left=0, top=0, right=200, bottom=60),
                               numerals.Reading(".๒๐", 0.99, (2, 8, 14), 20)) is None


@needs_model
@pytest.mark.parametrize("between,expected", [
    (["จิ.ค."], ["๒๗", "ธ.ค.", "๒๕๔๖"]),  # one word: read again over it (seed 2027's 032)
    (["JUN", "ofa."], ["๒๗", "JUN", "ofa.", "๒๕๔๖"]),  # two: not (วันที่ ๙ ก.ค. read ส.ค., seed 2032's 000)
])
def test_only_a_slot_of_one_word_is_read_again_over_it(monkeypatch, between, expected):
    texts = ["๒๗", *between, "๒๕๔๖"]
    boxes = [Box(left=40 + 120 * i, top=10, right=140 + 120 * i, bottom=60) for i in range(len(texts))]
    words = [engine._Word(text=t, raw=t, box=b, conf=90.0, block=1, par=1, line=1) for t, b in zip(texts, boxes)]
    wide = months.slot_box(boxes[0], boxes[1:-1], boxes[-1])
    monkeypatch.setattr(months, "read_slot", lambda grey, box, model: None if box == wide else ("ธ.ค.", 0.99))
    out = engine._read_months(np.full((80, 40 + 120 * len(texts)), 255, np.uint8), words)
    assert [w.text for w in out] == expected


@needs_model
@pytest.mark.parametrize("label,day,month", [("วันที่", "๖", "ก.ย."), ("วันท", "๑๔", "ม.ค."), ("ลงวันที่", "๒๑", "มิ.ย.")])
def test_a_day_glued_to_its_month_after_its_label_is_read(label, day, month):
    """``วันที่ ons. ๖๔`` for วันที่ ๖ ก.ย. ๖๔ (bench-corpus 078, a memo): Tesseract read
    the day and the month as one Latin word, boxed at its x-height. After ``วันที่``
    and before a year, the numeral reader's day opens it and the month reader reads
    the rest."""
    grey, boxes = _render_line([label, f"{day} {month}", "๖๔"], _sarabun())
    glued = boxes[1]
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1)
             for t, b in zip([label, "ons.", "๖๔"], boxes)]
    words[1].box = Box(left=glued.left, top=glued.bottom - 25, right=glued.right, bottom=glued.bottom)
    out = engine._read_months(grey, words)
    assert [w.text for w in out] == [label, day, month, "๖๔"]


@needs_model
@pytest.mark.parametrize("texts", [
    ["วันที่", "ons.", "ข้อความ"],  # no year after it
    ["ข้อ", "ons.", "๖๔"],  # no label before it
])
def test_a_latin_word_is_read_as_a_day_and_month_only_between_label_and_year(texts):
    grey, boxes = _render_line(["วันที่", "๖ ก.ย.", "๖๔"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1) for t, b in zip(texts, boxes)]
    assert [w.text for w in engine._read_months(grey, words)] == texts


@needs_model
@pytest.mark.parametrize("written,seen,day,month", [
    ("29 ต.ค.", "294.1.", "29", "ต.ค."),  # seed 2029's 041, a memo's number line
    ("๒๙ ต.ค.", "๒๙๔.๑.", "๒๙", "ต.ค."),
])
def test_a_day_glued_to_its_month_read_as_digits_is_read(written, seen, day, month):
    """``Jun 294.1. ๕๑`` for วันที่ 29 ต.ค. ๕๑: Tesseract read the memo's label as Latin
    and the day and the month as one dotted number. Before a year, where the numeral
    reader reads a day and then letters and dots (``29¤.¤.``), the month reader reads
    the rest."""
    grey, boxes = _render_line(["วันที่", written, "๕๑"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1)
             for t, b in zip(["Jun", seen, "๕๑"], boxes)]
    assert [w.text for w in engine._read_months(grey, words)] == ["Jun", day, month, "๕๑"]


@needs_model
@pytest.mark.parametrize("written,texts", [
    ("29 ต.ค.", ["Jun", "294.1.", "ข้อความ"]),  # no year after it
    ("12.5.", ["ข้อ", "12.5.", "2564"]),  # a number with dots: the reader sees no letters in it
])
def test_a_dotted_number_is_no_day_and_month_unless_read_so(written, texts):
    grey, boxes = _render_line(["วันที่", written, "๕๑"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1) for t, b in zip(texts, boxes)]
    assert [w.text for w in engine._read_months(grey, words)] == texts


@needs_model
@pytest.mark.parametrize("texts,expected", [
    (["AUN", "wold.", "๔๐"], ["AUN", "๑๐", "มิ.ย.", "๔๐"]),  # seed 2033's 038, a memo's number line
    (["AUN", "wold", "๔๐"], ["AUN", "wold", "๔๐"]),  # after a Latin word, only a dotted one
    (["AUN", "wold.", "ข้อความ"], ["AUN", "wold.", "ข้อความ"]),  # no year after it
])
def test_a_day_glued_to_its_month_after_a_label_read_as_latin_is_read(texts, expected):
    """``AUN wold. ๔๐`` for วันที่ ๑๐ มิ.ย. ๔๐: the memo's bold label read as Latin, the
    day and the month as one dotted Latin word."""
    grey, boxes = _render_line(["วันที่", "๑๐ มิ.ย.", "๔๐"], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1) for t, b in zip(texts, boxes)]
    assert [w.text for w in engine._read_months(grey, words)] == expected


@needs_model
@pytest.mark.parametrize("written,seen,expected", [
    (["๗", "เม.ย.", "๖๑"], "๗.ซฆเม.๖.๑", ["วนท", "๗", "เม.ย.", "๖๑"]),  # seed 2026's 019, a memo
    (["๒๘", "ก.ค.", "๒๕๖๖"], "๒๘ก.ค.๒๕๒๖", ["วนท", "๒๘", "ก.ค.", "๒๕๖๖"]),  # MERGED's already: the same
    (["๑๒", "ครั้ง", "๓๔"], "๑๒ครั้ง๓๔", ["วนท", "๑๒ครั้ง๓๔"]),  # no month between the numbers
])
def test_a_whole_date_read_as_one_word_is_read_again(written, seen, expected):
    """``วนท ๗.ซฆเม.๖.๑`` for วันที่ ๗ เม.ย. ๖๑: Tesseract boxed the day, the month and
    the year as one word, and the numeral reader's digits went in wrong. Where it reads a
    day, other glyphs and a year, the month reader reads what stands between."""
    grey, boxes = _render_line(["วันที่", *written], _sarabun())
    words = [engine._Word(text=t, raw=t, box=b, conf=60.0, block=1, par=1, line=1)
             for t, b in [("วนท", boxes[0]), (seen, months.union(boxes[1:]))]]
    assert [w.text for w in engine._read_months(grey, words)] == expected
