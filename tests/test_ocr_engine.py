"""The OCR engine end to end on small rendered pages, and the `circulars ocr` command."""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.errors import PageTimeout  # noqa: E402
from pipeline.ocr import engine, preprocess, tesseract  # noqa: E402
from pipeline.types import Box  # noqa: E402

LINES = [
    "ที่ มท ๐๓๐๕.๑/ว ๑๙๖๔",
    "๒๗ มกราคม ๒๕๖๔",
    "เรื่อง ขอเชิญประชุมคณะทำงาน",
    "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด",
    "โทร. ๐ ๔๒๗๑ ๑๔๗๕",
]


def _page(lines=LINES, family="THSarabunNew") -> Image.Image:
    from models import pages

    image, _ = pages.render_page(lines, _font_path(family), random.Random(1), dpi=300, pt=16)
    return image.crop((0, 0, image.width, 900))


def _w(text, block, par, line, left=0):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=0, right=left + 10, bottom=10), conf=90,
                        block=block, par=par, line=line)


@pytest.mark.parametrize("text,wanted", [
    ("๑๙๖๔", True), ("ซ", True), ("on", True), ("พ.ศ.๒๕๖๔", True), ("ที่", True),
    ("(e-Service)", False), ("OSS)", False),  # English words: the reader turns S into 5
    (".", False), (":", False),  # punctuation alone, blown up, looks like ๑
    ("@.", True), ("©.", True),  # a round symbol is a misread digit: the list item ๑.
    ("ด้วยจังหวัดมุกดาหารได้รับแจ้ง", False),  # long pure Thai run
    ("ญจ", True), ("เรียน", False),  # Thai letters alone: only as short as a spelt-out number
])
def test_which_words_the_numeral_reader_checks(text, wanted):
    assert engine.wants_numeral_check(text) is wanted


@pytest.mark.parametrize("text,before,after,wanted", [
    ("beh", "๐๐๓๒/", "", True),  # a handwritten serial read as Latin
    ("wloloced", "๐๐๓๒/ว", "ศาลากลาง", True),
    ("abc", "", "๒๕๖๔", True),
    ("low", "", "สิงหาคม", True),  # a handwritten day before its month
    ("eee", "พฤศจิกายน", "7", True),  # a year after its month
    ("alo", "เป้าหมายจำนวน", "แห่ง", True),  # a count before its classifier (๗๐ แห่ง)
    ("Cel", "หมายรวม", "โครงการ", True),
    ("Zoom", "ผ่าน", "", False),  # an English word among Thai
    ("Zoom", "ผ่าน", "เครื่อง", True),  # ... unless it stands where a count does: the reader judges
    ("www.moi.go.th", "๑๒/", "", False),  # an address never
    ("colomei/I", "สน", "ศาลากลางจังหวัดสกลนคร", True),  # a number after its agency's code
    ("colomei/I", "สนาม", "ศาลากลางจังหวัดสกลนคร", False),  # ... a code, not any Thai word
    ("lod", "ลงวันที", "", True),  # a cited letter's day, its month on the next line
    ("ons.", "วันที่", "", True),  # a memo's day
    ("WEEE", "", "เวลา", True),  # a date's year before its time
    ("Zoom", "ผ่าน", "เวลาราชการ", False),
    ("spd", "0301.", "ววันที่", True),  # a code's rest after its Arabic digits' dot (31/ 374)
    ("spd", "0301.31/", "", True),
    ("ppm", "2.5", "", False),  # after a plain number, no
    ("kWh", "500", "", False),
    ("(PM", "", "2.5)", False),  # an acronym before a number in Arabic digits
    ("PM", "ฝุ่น", "2.5", False),
    ("(PM", "", "๒.๕)", True),  # ... not before Thai digits: there it may be one of them
    ("lo", "", "2.5", True),  # ... nor in lower case (๒ read as lo)
])
def test_latin_words_standing_in_a_number_are_read_as_digits(text, before, after, wanted):
    assert engine.wants_numeral_check(text, before, after) is wanted


def _dotted_page(tilt: float = 0.0) -> np.ndarray:
    """A white page with two dotted leaders (3-px dots every 14 px), a row of Thai text
    and scattered specks."""
    import cv2

    page = np.full((400, 1200), 255, np.uint8)
    for y in (100, 250):
        for x in range(100, 1100, 14):
            cv2.circle(page, (x, int(y + (x - 100) * np.tan(np.radians(tilt)))), 1, 0, -1)
    img = Image.fromarray(page)
    from PIL import ImageDraw

    font = _thai_font(48)
    ImageDraw.Draw(img).text((100, 150), "ที่ ทส ๑๖๐๔.๓/ ๗๒๒๓ วันที่ ๑๑ ต.ค. ๒๕๕๔", font=font, fill=0)
    page = np.asarray(img).copy()
    rng = np.random.default_rng(1)
    page[rng.integers(0, 400, 60), rng.integers(0, 1200, 60)] = 0
    return page


@pytest.mark.parametrize("tilt", [0.0, 1.5])
def test_dotted_leaders_are_found_and_text_kept(tilt):
    import cv2

    page = _dotted_page(tilt)
    _, ink = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    mask = preprocess.dotted_leaders(ink)
    leader_rows = np.zeros_like(page, bool)
    for y in (100, 250):
        for x in range(100, 1100, 14):
            yy = int(y + (x - 100) * np.tan(np.radians(tilt)))
            leader_rows[yy - 1 : yy + 2, x - 1 : x + 2] = True
    found = mask[leader_rows & (page < 128)] > 0
    assert found.mean() > 0.95  # nearly every dot of both leaders
    text = (page < 128) & ~leader_rows
    text[:, :] &= np.arange(page.shape[0])[:, None] > 130  # the text row, not the leaders
    text &= np.arange(page.shape[0])[:, None] < 230
    assert (mask[text] > 0).mean() < 0.02  # the text's dots and marks stay


def test_clean_stamp_levels_and_unrules():
    import cv2

    stamp = np.full((300, 600), 200, np.uint8)
    for y in (5, 100, 200, 294):
        cv2.line(stamp, (0, y), (599, y), 40, 3)
    cv2.putText(stamp, "8023", (150, 80), cv2.FONT_HERSHEY_SIMPLEX, 2, 40, 4)
    tilted = preprocess.rotate(stamp, 3.0)
    clean = preprocess.clean_stamp(tilted)
    assert set(np.unique(clean)) <= {0, 255}  # binarised
    rows = (clean == 0).sum(axis=1)
    assert rows.max() < 0.5 * clean.shape[1]  # no ruled row is left across the stamp
    assert (clean == 0).sum() > 500  # the writing is


def test_clean_stamp_unrules_thin_rows_pressed_askew():
    # thin rows of a stamp pressed 3.2° askew: levelled, each is grey and a staircase,
    # which Otsu's ink alone broke into dashes that stayed under the writing
    import cv2

    stamp = np.full((300, 600), 235, np.uint8)
    for y in (75, 150, 225):  # thin grey rows (1 px)
        cv2.line(stamp, (0, y), (599, y), 100, 1, cv2.LINE_AA)
    for x in (2, 597):
        cv2.line(stamp, (x, 0), (x, 299), 100, 1, cv2.LINE_AA)
    cv2.putText(stamp, "21385", (150, 140), cv2.FONT_HERSHEY_SIMPLEX, 2, 30, 4, cv2.LINE_AA)
    clean = preprocess.clean_stamp(preprocess.rotate(stamp, 3.2, fill=235))
    ink = (clean == 0)[:, 100:500]
    rows = ink.sum(axis=1)
    rows[95:145] = 0  # the serial's own rows
    assert rows.max() < 0.2 * ink.shape[1]  # no ruled row is left across the stamp
    assert ink[95:145].sum() > 2000  # the serial is kept


def test_assemble_keeps_lines_and_paragraphs():
    words = [_w("ที่", 1, 1, 1), _w("มท", 1, 1, 1, 20), _w("๑๒", 1, 1, 2), _w("เรื่อง", 2, 1, 1)]
    prep = preprocess.unprepared(Image.new("L", (100, 100), 255))
    page = engine.assemble(words, 3, prep, [])
    assert page.text == "ที่ มท\n๑๒\n\nเรื่อง"
    assert [w.line for w in page.words] == [0, 0, 1, 2]
    for w in page.words:
        assert page.text[w.start : w.start + len(w.text)] == w.text
    assert page.method == "ocr" and page.page == 3 and (page.width, page.height) == (100, 100)


def test_a_failing_page_becomes_a_warning(monkeypatch):
    def timeout(*a, **kw):
        raise PageTimeout("tesseract took longer than 1 s")

    monkeypatch.setattr(tesseract, "image_to_words", timeout)
    page = engine.ocr_or_warn(Image.new("L", (50, 50), 255), 2, engine.OCROptions(preprocess=False))
    assert page.text == "" and page.page == 2
    assert page.warnings and "page-timeout" in page.warnings[0]


def test_boxes_map_back_through_rescale_and_rotation():
    prep = preprocess.Prepared(image=Image.new("L", (300, 200), 255), scale=2.0, angle=0.0, rotate=90,
                               source_size=(100, 150))
    # source 100x150 turned 90° clockwise → 150x100, then scaled 2x → 300x200
    box = prep.to_source(Box(left=0, top=0, right=20, bottom=10))
    assert box == Box(left=0, top=140, right=5, bottom=150)


def test_skew_angle_finds_a_tilt():
    import numpy as np

    page = np.asarray(_page().convert("L"))
    tilted = preprocess.rotate(page, 4.0)
    assert abs(preprocess.skew_angle(tilted) + 4.0) <= 0.3
    assert abs(preprocess.skew_angle(tilted, at_least=3.0) + 4.0) <= 0.3  # over the bar: measured
    slight = preprocess.rotate(page, 1.5)
    assert abs(preprocess.skew_angle(slight) + 1.5) <= 0.3
    assert preprocess.skew_angle(slight, at_least=3.0) == 0.0  # under it: not worth the fine search


def test_a_stamp_pressed_askew_does_not_tilt_a_level_page():
    import cv2

    page = np.asarray(_page().convert("L")).copy()
    # a receipt stamp's dark frame and rows, pressed 4° askew over the page's right part
    frame = np.full((240, 760), 255, np.uint8)
    cv2.rectangle(frame, (4, 4), (755, 235), 0, 7)
    for y in (80, 160):
        cv2.line(frame, (4, y), (755, y), 0, 5)
    frame = preprocess.rotate(frame, 4.0)
    page[20:260, 1650:2410] = np.minimum(page[20:260, 1650:2410], frame)
    assert abs(preprocess.rule_angle(page)) >= 3.0  # ink's row profile follows the frame
    assert abs(preprocess.skew_angle(page)) <= 0.3  # the letters' centres do not


def test_a_page_tilted_over_a_degree_is_levelled():
    page = np.asarray(_page().convert("L"))
    tilted = preprocess.prepare(Image.fromarray(preprocess.rotate(page, 1.5)), orient=False, rescale=False)
    assert abs(tilted.angle + 1.5) <= 0.3
    level = preprocess.prepare(Image.fromarray(preprocess.rotate(page, 0.5)), orient=False, rescale=False)
    assert level.angle == 0.0  # under MIN_SKEW: left as scanned


def test_a_crop_is_cut_to_its_ink_rows_however_tall_the_box():
    grey = np.full((200, 200), 255, np.uint8)
    grey[80:110, 60:140] = 0  # a number's ink, 30 px high
    grey[20, 100] = 0  # a speck above it, inside the box: no row of ink
    crop = engine._crop(grey, Box(left=60, top=10, right=140, bottom=190))
    # the ink's 30 rows, 6 % of them as margin each side, the 2 px pad
    assert crop.shape[0] == 30 + 2 * 2 + 2 * 2
    assert (crop < 128).sum() == 30 * 80
    # a box cutting into the ink is not widened upwards or downwards
    assert engine._crop(grey, Box(left=60, top=90, right=140, bottom=100)).shape[0] == 10 + 2 * 2


def test_specks_above_and_below_a_number_do_not_hold_its_crop_open():
    # seed 2026's 004: grain two pixels square inside Tesseract's box for ``0301.``, three
    # times the digits' height, kept the crop that tall, and it was read ``50.``
    grey = np.full((200, 200), 255, np.uint8)
    for x in range(60, 140, 20):
        grey[80:110, x : x + 12] = 0  # digits, 30 px high
    grey[106:110, 142:146] = 0  # a period: a tenth of a digit, on the baseline
    for y, x in ((15, 70), (30, 120), (185, 90)):
        grey[y : y + 2, x : x + 2] = 0
    box = Box(left=60, top=10, right=148, bottom=190)
    assert engine._crop(grey, box).shape[0] == 30 + 2 * 2 + 2 * 2  # as if the specks were not there
    # a tone mark above the digits (a sixth of a digit's ink) is ink, not a speck
    grey[60:72, 90:95] = 0
    assert engine._crop(grey, box).shape[0] == 50 + 2 * 3 + 2 * 2


def test_a_words_box_over_the_next_word_is_cut_back_to_it():
    # seed 2026's 008: ``0403.2/`` boxed over the handwritten ``๒๖๐๕`` after it, read
    # by the numeral reader as ``003.2/๒๖๐๔``
    code, serial = _boxed("0403.2/", 470, 771), _boxed("๒๖๐๕", 651, 776)
    assert engine._clear_of(code.box, None, serial) == Box(left=470, top=100, right=651, bottom=160)
    # the neighbour boxed over us is the one boxed wrong: our box stays as it is
    assert engine._clear_of(serial.box, code, None) is serial.box
    apart = _boxed("๒๖๐๕", 800, 900)
    assert engine._clear_of(code.box, None, apart) is code.box
    assert engine._clear_of(apart.box, code, None) is apart.box


def test_a_crop_never_reaches_past_its_limit():
    grey = np.full((100, 400), 255, np.uint8)
    grey[30:70, 50:300] = 0  # ink running on without a gap: a slash touching the next digit
    box = Box(left=60, top=30, right=150, bottom=70)
    assert engine._crop(grey, box).shape[1] > 110  # snapped outwards along the ink
    crop, span = engine._crop_span(grey, box, within=(60, 150))
    assert crop.shape[1] == 90 + 2 * 2 and span == (2, 92)  # the box, and the 2 px pad
    # a sliver of the neighbour's first glyph before the limit is left out: back to the gap
    grey[30:70, 138:142] = 255
    crop, _ = engine._crop_span(grey, box, within=(0, 150))
    assert crop.shape[1] == 138 - 50 + 2 * 2  # out to the ink's start on the left, as ever


def test_components_fall_back_to_32_bit_labels_on_a_speckled_page():
    import numpy as np

    specks = np.zeros((1200, 1200), np.uint8)
    specks[::3, ::3] = 255  # 160,000 separate specks: more labels than 16 bits hold
    n, labels, stats, _ = preprocess.components(specks)
    assert n == 160_001 and labels.dtype == np.int32 and stats[1:, cv2.CC_STAT_AREA].max() == 1
    few = np.zeros((50, 50), np.uint8)
    few[10:20, 10:20] = 255
    n, labels, _, _ = preprocess.components(few)
    assert n == 2 and labels[15, 15] == 1


@pytest.mark.parametrize("word,wanted", [
    ("เมษายน", True), ("ก.พ.", True), ("ก.ุพ.", True),  # a stray mark on an abbreviation
    ("มี.ค.", True), ("เมษา", False), ("กพ", False),
])
def test_month_names_are_known_with_their_marks_aside(word, wanted):
    assert engine._month_name(word) is wanted


@pytest.mark.tesseract
@pytest.mark.parametrize("misread", ["@", "«", "om"])
def test_a_day_before_its_month_is_read_again_whatever_tesseract_made_of_it(misread):
    # the day's word as Tesseract boxed it: digits stand lower than the page's marked
    # words, and a symbol has no letter or digit for the usual check to see
    image = _page(["๘ เมษายน ๒๕๖๓ ที่ทำการปกครองจังหวัดอุบลราชธานี", "เรื่อง ขอเชิญประชุมคณะทำงานที่เกี่ยวข้อง"])
    grey = np.asarray(image.convert("L"))
    words = engine._words_from_tsv(tesseract.image_to_words(image, lang="tha+eng", psm=6))
    month = next(i for i, w in enumerate(words) if w.text == "เมษายน")
    assert month > 0
    day = words[month - 1]
    day.text = misread
    engine._reread_numerals(grey, words)
    assert day.text == "๘"
    assert words[month].text == "เมษายน"


@pytest.mark.tesseract
def test_ocr_image_reads_a_rendered_header():
    image = _page()
    page = engine.ocr_image(image)
    assert page.method == "ocr" and (page.width, page.height) == image.size
    assert page.words
    for w in page.words:
        assert 0 <= w.box.left <= w.box.right <= image.width
        assert 0 <= w.box.top <= w.box.bottom <= image.height
        assert page.text[w.start : w.start + len(w.text)] == w.text
    lines = page.text.splitlines()
    assert any(line.startswith("เรื่อง") for line in lines)
    # the header line stays one line, with its Thai digits
    number_line = next(line for line in lines if line.startswith("ที่"))
    assert "๐๓๐" in number_line and "/ว" in number_line


@pytest.mark.tesseract
def test_ocr_beats_plain_tesseract_on_digits():
    from models.evaluate import Score

    image = _page()
    gold = "\n".join(LINES)
    plain, ours = Score(), Score()
    plain.add(gold, engine.ocr_image_plain(image).text, 0)
    ours.add(gold, engine.ocr_image(image).text, 0)
    assert ours.digit_errors < plain.digit_errors


@pytest.mark.tesseract
def test_cli_writes_text_words_and_searchable_pdf(tmp_path):
    from pipeline.cli import main

    src = tmp_path / "letter.png"
    _page().save(src, dpi=(300, 300))
    out = tmp_path / "out"
    assert main(["ocr", str(src), "--out", str(out), "--pdf"]) == 0
    text = (out / "letter.txt").read_text(encoding="utf-8")
    pages = json.loads((out / "letter.words.json").read_text(encoding="utf-8"))
    assert pages[0]["method"] == "ocr" and pages[0]["words"]
    assert "เรื่อง" in text
    from pypdf import PdfReader

    layer = PdfReader(out / "letter.pdf").pages[0].extract_text()
    assert "เรื่อง" in layer.replace(" ", "")


@pytest.mark.parametrize("text,before,after,wanted", [
    ("NAN", "ที่", "๐๐๑๘.๑/ว", True),  # agency code ภก read as Latin, before Thai digits
    ("Wl", "ที่", "", True),  # นม
    ("#.A.", "๑๐", "๒๕๖๔", True), ("ALA.", "", "", True), ("A.W.", "", "", True),  # ต.ค. ก.พ.
    ("Tvs.", "", "๐", True),  # โทร.
    ("U.", "๑๖.๐๐", "", True),  # น.
    ("N", "", "กค", True), ("0402.2/A", "กค", "", True),  # ที่ กค ๐๔๐๒.๒/ว
    ("a", "", "", False), ("a", "|", "~", False),  # a speck or a signature stroke
    ("GECC", "ศูนย์", "ได้", False), ("Zoom", "", "", False), ("(e-GP)", "", "", False),
    ("www.moi.go.th", "", "", False), ("saraban@moi.go.th", "", "", False),
    ("Meeting", "", "", False), ("๑๒๓", "", "", False), ("ที่", "", "", False),
])
def test_which_latin_words_are_read_again_as_thai(text, before, after, wanted):
    assert engine.latin_suspect(text, before, after) is wanted


@pytest.mark.parametrize("thai,conf,latin_conf,code,wanted", [
    ("ต.ค.", 93, 78, False, True), (".โทร.", 34, 52, False, True),  # abbreviations
    ("ภก", 92, 93, True, True), ("ภก", 92, 93, False, False),  # an agency code only where one stands
    ("เรื่อง", 89, 70, False, True), ("จำนวน", 40, 44, False, True),  # lexicon words
    ("ฆจ", 85, 38, False, True), ("ฆจ", 60, 38, False, False), ("ฆจ", 80, 90, False, False),
    ("ฆ", 90, 10, False, False),  # one letter
    ("เพล8x", 95, 10, False, False), ("", 0, 0, False, False),
])
def test_when_the_thai_reading_wins(thai, conf, latin_conf, code, wanted):
    assert engine.take_thai(thai, conf, latin_conf, code=code) is wanted


@pytest.mark.parametrize("thai,date,wanted", [
    ("ต.ุค.", True, True), ("ต.ค.", True, True),  # a month beside a number, a stray mark on it
    ("ต.ุค.", False, False),  # elsewhere the confidence decides (28 is too low)
    ("ม.ูค", True, False), ("ตค", True, False),  # not a month's abbreviation
])
def test_a_month_read_as_latin_in_a_date_takes_thai(thai, date, wanted):
    assert engine.take_thai(thai, 28, 68, date=date) is wanted


@pytest.mark.parametrize("text,wanted", [
    ("บันทึกข้อความ", True), ("เรื่อง", True),  # the letter's own keywords under a stamp stay
    ("วันที่", False), ("เลขรับ", False), ("กองกลาง", False), ("ฆ่จภ", False),  # the stamp's own
])
def test_which_words_under_a_stamp_the_main_pass_keeps(text, wanted):
    assert engine._letter_keyword(text) is wanted


def _on_line(text, left, right, line, top=100, bottom=160):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=top, right=right, bottom=bottom), conf=80,
                        block=1, par=1, line=line)


def test_the_letters_line_carried_on_under_a_stamp_is_kept():
    stamp = Box(left=1300, top=60, right=1900, bottom=400)
    # seed 2026's 036: a subject running on under a stamp pressed over it (its end was lost)
    subject = [_on_line("เรื่อง", 320, 430, 1), _on_line("แนวทางการดำเนินการ", 480, 1280, 1),
               _on_line("มือสถานการณ์อุทกภัย", 1306, 1698, 1, top=95, bottom=150),
               _on_line("ประ", 1714, 1787, 1), _on_line("จำปีงบป", 1776, 1939, 1)]
    # seed 2031's 016: the stamp's row read on the line of a subject that ended before it,
    # and a row of the stamp between the letter's lines
    ended = [_on_line("เรื่อง", 320, 430, 2, 200, 260), _on_line("ชุมชน", 480, 1200, 2, 200, 260),
             _on_line("เลขรับ", 1390, 1521, 2, 200, 260), _on_line("๕๓๐๕๕", 1563, 1780, 2, 200, 260)]
    between = [_on_line("เรียน", 320, 430, 3, 300, 360), _on_line("นายอำเภอ", 480, 900, 3, 300, 360),
               _on_line("วันที่", 1405, 1491, 3, 330, 390)]
    alone = [_on_line("เวลา", 1425, 1516, 4, 350, 390), _on_line("๑๓.๓๐", 1544, 1708, 4, 350, 390)]
    words = subject + ended + between + alone
    kept = engine._letter_lines_into(words, stamp)
    assert [w.text for w in words if id(w) in kept] == ["มือสถานการณ์อุทกภัย", "ประ", "จำปีงบป"]
    # a line read on past the stamp's right side carries on leftwards under it too
    right = [_on_line("๒๕๔๕", 1310, 1400, 5, 500, 560), _on_line("ศาลากลางจังหวัด", 1420, 2600, 5, 500, 560)]
    stamp2 = Box(left=1300, top=450, right=1900, bottom=700)
    assert [w.text for w in right if id(w) in engine._letter_lines_into(right, stamp2)] == ["๒๕๔๕"]
    # specks and pieces of the frame read beside a stamp carry no line on (seed 2027's 024)
    specks = [_on_line("นุต", 1159, 1360, 6, 800, 860), _on_line("|", 1526, 1529, 6, 800, 860),
              _on_line(".ที่ทำการปกครองจังหวัดสงขลา", 1551, 2034, 6, 800, 860)]
    stamp3 = Box(left=1564, top=780, right=2168, bottom=1000)
    assert not engine._letter_lines_into(specks, stamp3)
    # the stamp's writing beside a memo's heading, a third of its height (seed 2027's 019)
    heading = [_on_line("บันทึกข้อความ", 1037, 1563, 7, 1023, 1144), _on_line("ลร", 1615, 1699, 7, 1063, 1099)]
    stamp4 = Box(left=1620, top=960, right=2226, bottom=1270)
    assert not engine._letter_lines_into(heading, stamp4)


def _stamped_page():
    """An A4 page at 300 dpi with a thick bar, a ruled receipt-stamp frame and an underline."""
    import numpy as np

    g = np.full((3508, 2480), 255, np.uint8)
    g[300:380, 100:1400] = 0  # a black bar (an emblem's), not a rule: it is thick
    g[400:700:60, 100:120] = 0
    top, left, bottom, right = 200, 1500, 520, 2150
    g[top : top + 4, left:right] = 0
    g[bottom - 4 : bottom, left:right] = 0
    g[top:bottom, left : left + 4] = 0
    g[top:bottom, right - 4 : right] = 0
    g[900:903, 200:1200] = 0  # an underline: a rule, but no frame
    return g, (top, left, bottom, right)


def test_rules_are_found_and_a_stamp_frame_is_one_stamp():
    g, (top, left, bottom, right) = _stamped_page()
    rules = preprocess.find_rules(g)
    assert len(rules.stamps) == 1
    s = rules.stamps[0]
    assert left < s.left < left + 30 and right - 30 < s.right < right
    assert top < s.top < top + 30 and bottom - 30 < s.bottom < bottom
    clean = preprocess.remove_rules(g, rules)
    assert clean[900:903, 200:1200].min() == 255  # the underline is gone
    assert clean[top : top + 4, left:right].min() == 255  # and the frame
    assert clean[310:370, 200:1300].max() == 0  # the thick bar stays


def _framed(g, top, left, bottom, right, tilt=0.0, rows=()):
    import cv2

    corners = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], float)
    centre = corners.mean(axis=0)
    a = np.radians(tilt)
    turn = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    pts = ((corners - centre) @ turn.T + centre).astype(np.int32)
    cv2.polylines(g, [pts], True, 0, 4)
    for y in rows:
        ends = np.array([[left, y], [right, y]], float)
        a_, b_ = ((ends - centre) @ turn.T + centre).astype(int)
        cv2.line(g, tuple(map(int, a_)), tuple(map(int, b_)), 0, 2)
    return g


def test_a_stamp_frame_with_a_stroke_running_on_past_it_is_found():
    # the stamp's bottom row runs on into the heading it was pressed against: the piece
    # of ruled lines is wider than the frame, whose left side is not at the piece's edge
    g = _framed(np.full((3508, 2480), 255, np.uint8), 200, 1500, 520, 2150)
    g[516:520, 1380:1500] = 0
    stamps = preprocess.find_rules(g).stamps
    assert len(stamps) == 1
    s = stamps[0]
    assert 1500 < s.left < 1530 and 2120 < s.right < 2150 and 200 < s.top < 230 and 490 < s.bottom < 520


@pytest.mark.parametrize("tilt", [2.5, -3.5])
def test_a_stamp_pressed_askew_is_found(tilt):
    g = _framed(np.full((3508, 2480), 255, np.uint8), 700, 1300, 1000, 1950, tilt=tilt, rows=(780, 860, 930))
    stamps = preprocess.find_rules(g).stamps
    assert len(stamps) == 1
    s = stamps[0]
    assert abs((s.left + s.right) / 2 - 1625) < 30 and abs((s.top + s.bottom) / 2 - 850) < 30


def test_a_page_without_rules_has_no_stamp():
    import numpy as np

    g = np.full((1000, 800), 255, np.uint8)
    g[100:140, 100:160] = 0
    rules = preprocess.find_rules(g)
    assert rules.stamps == () and not rules.mask.any()


def test_a_stamp_block_goes_before_the_first_line_below_its_top():
    words = [_w("ศาลากลาง", 1, 1, 1), _w("จังหวัด", 1, 1, 2), _w("๒๕", 1, 1, 3), _w("มกราคม", 1, 1, 3, 20)]
    for w, y in zip(words, (100, 200, 400, 400)):
        w.box = Box(left=w.box.left, top=y, right=w.box.right, bottom=y + 40)
    rows = [tesseract.TsvWord(1, 1, 1, 1, 10, 10, 50, 30, 90.0, "เลขรับ"),
            tesseract.TsvWord(1, 1, 2, 1, 10, 60, 50, 30, 90.0, "วันที่")]
    out = engine._insert_stamp(words, Box(left=1000, top=300, right=1600, bottom=600), rows, block=99)
    assert [w.text for w in out] == ["ศาลากลาง", "จังหวัด", "เลขรับ", "วันที่", "๒๕", "มกราคม"]
    assert out[2].box == Box(left=1010, top=310, right=1060, bottom=340)
    prep = preprocess.unprepared(Image.new("L", (2000, 1000), 255))
    assert engine.assemble(out, 1, prep, []).text == "ศาลากลาง\nจังหวัด\n\nเลขรับ\nวันที่\n\n๒๕ มกราคม"


@pytest.mark.tesseract
def test_pieces_are_read_in_one_run_each_in_its_own_coordinates():
    from models import pages

    path = _font_path()
    crops = []
    for text in ("เรื่อง", "กระทรวงมหาดไทย"):
        image, _ = pages.render_page([text], path, random.Random(1), dpi=300, pt=16)
        g = image.convert("L")
        import numpy as np

        ys, xs = np.nonzero(np.asarray(g) < 128)
        crops.append(g.crop((xs.min() - 5, ys.min() - 5, xs.max() + 5, ys.max() + 5)))
    readings = tesseract.read_pieces(crops, lang="tha")
    assert len(readings) == 2
    assert "".join(w.text for w in readings[1]).startswith("กระทรวง")
    for crop, words in zip(crops, readings):
        assert words
        for w in words:
            assert -5 <= w.left and w.left + w.width <= crop.width + 5
            assert -5 <= w.top and w.top + w.height <= crop.height + 5


def test_a_failing_second_pass_keeps_the_main_reading(monkeypatch):
    def fail(*a, **kw):
        raise PageTimeout("tesseract took longer than 1 s")

    monkeypatch.setattr(tesseract, "read_pieces", fail)
    words = [_w("ที่", 1, 1, 1), _w("Wl", 1, 1, 1, 20)]
    grey = np.full((100, 100), 255, np.uint8)
    stamps = engine._Stamps(boxes=(Box(left=50, top=50, right=90, bottom=90),), page=grey, coloured=(False,))
    out = engine._second_pass(grey, words, stamps, timeout=1)
    assert [w.text for w in out] == ["ที่", "Wl"]


def _rendered_words(image: Image.Image) -> list:
    """Tesseract's words of a page, as the engine holds them."""
    return engine._words_from_tsv(tesseract.image_to_words(image, lang="tha+eng", psm=3))


@pytest.mark.tesseract
def test_a_line_the_main_pass_lost_is_found_and_read_again():
    image = _page()
    grey = np.asarray(image.convert("L"))
    words = _rendered_words(image)
    assert engine.unread_lines(grey, words, ())[0] == []  # everything was read
    # drop the number line's words, as Tesseract's layout does on a speckled page
    number_line = min(words, key=lambda w: w.box.top)
    lost = [w for w in words if (w.block, w.par, w.line) == (number_line.block, number_line.par, number_line.line)]
    rest = [w for w in words if w not in lost]
    boxes, margin, _, _, _ = engine.unread_lines(grey, rest, ())
    assert len(boxes) == 1
    box = boxes[0]
    assert box.left <= min(w.box.left for w in lost) + margin and box.right >= max(w.box.right for w in lost) - margin
    middle = sorted((w.box.top + w.box.bottom) / 2 for w in lost)[len(lost) // 2]
    assert box.top <= middle <= box.bottom
    out = engine._second_pass(grey, rest, engine._Stamps(), timeout=60)
    text = engine.assemble(out, 1, preprocess.unprepared(image), []).text
    first = text.splitlines()[0]  # read again, in its place (the lexicon restores ที่ later)
    assert first.startswith("ที") and "มท" in first and "/ว" in first


def test_a_missed_stretch_replaces_junk_only_when_read_with_more_confidence():
    junk = [_w("Viz", 1, 1, 1), _w("เรื่อง", 1, 1, 2)]
    junk[0].conf = 22
    junk[1].box = Box(left=0, top=200, right=60, bottom=240)
    box = Box(left=0, top=0, right=100, bottom=20)
    good = [tesseract.TsvWord(1, 1, 1, 1, 0, 0, 40, 15, 91.0, "ที่"), tesseract.TsvWord(1, 1, 1, 2, 45, 0, 30, 15, 88.0, "มท")]
    out = engine._take_missed(junk, box, good, block=7)
    assert [w.text for w in out] == ["ที่", "มท", "เรื่อง"]
    poor = [tesseract.TsvWord(1, 1, 1, 1, 0, 0, 40, 15, 30.0, "ง")]
    assert engine._take_missed(junk, box, poor, block=7) == junk


def test_a_missed_number_line_is_taken_at_a_lower_confidence():
    # seed 2027 file 016: ``ที่ นม ๐๐๑๗.๒/ว`` read ``Fin centr`` at 24 by the main pass and
    # ``ที นม ๐๐๑ซ.๒/ว`` at 38 by ``tha``, which has no ๗
    junk = [_w("Fin", 1, 1, 1), _w("centr", 1, 1, 1, left=20)]
    for w in junk:
        w.conf = 24
    box = Box(left=0, top=0, right=100, bottom=20)
    code = [tesseract.TsvWord(1, 1, 1, 1, 0, 0, 20, 15, 40.0, "ที"), tesseract.TsvWord(1, 1, 1, 2, 25, 0, 20, 15, 40.0, "นม"),
            tesseract.TsvWord(1, 1, 1, 3, 50, 0, 50, 15, 36.0, "๐๐๑ซ.๒/ว")]
    assert [w.text for w in engine._take_missed(junk, box, code, block=7)] == ["ที", "นม", "๐๐๑ซ.๒/ว"]
    # the same confidence without a code's shape stays junk's
    other = [tesseract.TsvWord(1, 1, 1, 1, 0, 0, 50, 15, 38.0, "ที่นมสอง")]
    assert engine._take_missed(junk, box, other, block=7) == junk
    # where the main pass read digits, its reading stands
    digits = [_w("๐๐๑๒/ว", 1, 1, 1)]
    digits[0].conf = 24
    assert engine._take_missed(digits, box, code, block=7) == digits


@pytest.mark.parametrize("texts,opens", [
    (["lod", "'เค.", "๒๕๖๘"], True),  # ๒๘ ก.ค. ๒๕๖๘, its day and month misread
    (["‘mo", "ฟี.ย.", "๒๕๕๕", "°°."], True),  # a speck after the year
    (["mo", "ALA", "Xe"], False),  # no year read
    (["๒๘", "'เค.", "๒๕๖๘"], False),  # a day already: the month reader's slot
    (["เรื่อง", "ปี", "๒๕๖๘"], False),  # a Thai word
    (["lod", "a", "b", "c", "๒๕๖๘"], False),  # too long for a date line
    (["lod", "๒๕๖๘"], False),  # no month between
])
def test_a_date_lines_first_word_is_its_day_to_read_again(texts, opens):
    words = [_w(t, 1, 1, 1, 20 * i) for i, t in enumerate(texts)]
    assert (id(words[0]) in engine._date_line_days(words)) == opens


def test_a_word_read_again_joins_the_line_it_stands_on():
    words = [_w("วันที่", 1, 1, 1), _w("เรื่อง", 1, 1, 2)]
    words[0].box = Box(left=0, top=100, right=60, bottom=140)
    words[1].box = Box(left=0, top=200, right=60, bottom=240)
    rows = [tesseract.TsvWord(1, 1, 1, 1, 0, 0, 80, 40, 90.0, "๒๙"), tesseract.TsvWord(1, 1, 1, 2, 90, 0, 80, 40, 90.0, "กันยายน")]
    out = engine._take_missed(words, Box(left=100, top=100, right=300, bottom=140), rows, block=7)
    prep = preprocess.unprepared(Image.new("L", (400, 400), 255))
    assert engine.assemble(out, 1, prep, []).text == "วันที่ ๒๙ กันยายน\nเรื่อง"


def test_a_line_read_again_does_not_join_a_line_only_one_tall_word_reaches_down_to():
    # bench-corpus 030: a memo's handwritten day boxed ``กก`` two lines tall; the เรื่อง
    # line re-read below it went into the ที่ line, the two lines' words interleaved
    words = [_w("ที่", 1, 1, 1), _w("มท", 1, 1, 1, 80), _w("วันที่", 1, 1, 1, 400), _w("กก", 1, 1, 1, 500)]
    for w in words[:3]:
        w.box = Box(left=w.box.left, top=100, right=w.box.left + 60, bottom=140)
    words[3].box = Box(left=500, top=100, right=560, bottom=240)
    rows = [tesseract.TsvWord(1, 1, 1, 1, 0, 0, 80, 40, 90.0, "เรื่อง"),
            tesseract.TsvWord(1, 1, 1, 2, 90, 0, 200, 40, 90.0, "ขอความร่วมมือ")]
    out = engine._take_missed(words, Box(left=0, top=200, right=300, bottom=240), rows, block=7)
    prep = preprocess.unprepared(Image.new("L", (600, 400), 255))
    assert engine.assemble(out, 1, prep, []).text == "ที่ มท วันที่ กก\n\nเรื่อง ขอความร่วมมือ"
    # half the line standing beside it is enough
    for w in words[2:]:
        w.box = Box(left=w.box.left, top=200, right=w.box.left + 60, bottom=240)
    out = engine._take_missed(words, Box(left=0, top=200, right=300, bottom=240), rows, block=7)
    assert "เรื่อง" in engine.assemble(out, 1, prep, []).text.splitlines()[0]


def test_two_lines_read_again_together_each_join_their_own_line():
    # bench-corpus 009 p2: two list items ending alike, their ends re-read in one stretch
    words = [_w("๒.", 1, 1, 1), _w("๓.", 1, 1, 2), _w("ไม่เกิน", 1, 1, 1), _w("ก่อน", 1, 1, 2)]
    words[0].box = Box(left=0, top=100, right=60, bottom=140)
    words[1].box = Box(left=0, top=200, right=60, bottom=240)
    words[2].box = Box(left=320, top=100, right=400, bottom=140)
    words[3].box = Box(left=320, top=200, right=400, bottom=240)
    words = [words[0], words[2], words[1], words[3]]
    rows = [tesseract.TsvWord(1, 1, 1, 1, 0, 0, 200, 40, 90.0, "ส่งข้อมูล"),
            tesseract.TsvWord(1, 1, 2, 1, 0, 100, 200, 40, 90.0, "ส่งรายงาน")]
    out = engine._take_missed(words, Box(left=100, top=100, right=300, bottom=240), rows, block=7)
    prep = preprocess.unprepared(Image.new("L", (400, 400), 255))
    assert engine.assemble(out, 1, prep, []).text == "๒. ส่งข้อมูล ไม่เกิน\n๓. ส่งรายงาน ก่อน"


def _line(*texts, conf=40.0):
    out = [_w(t, 1, 1, 1, 20 * i) for i, t in enumerate(texts)]
    for w in out:
        w.conf = conf
    return out


@pytest.mark.parametrize("texts,conf,junk", [
    (("NEZ",), 24, True),  # the Garuda emblem
    (("an", "@", "ส", "๕"), 30, True),  # a signature
    (("ww",), 50, True),
    (("ด่วน",), 60, False),  # an urgency line: one word, but a word of the lexicon
    (("-", "๒", "-"), 70, False),  # a page number
    (("เลขรับ", "๒๙๐๗"), 20, False),
    (("๑๕",), 20, False),  # a number
    (("saraban@moi.go.th",), 40, False),  # an address
    (("Zoom",), 90, False),  # English read with confidence
    (("Zoom",), 30, True),
    (("กรมบัญชีกลาง",), 10, False),  # more than three Thai consonants
    (("a", "7", "7", "สม", "๒", "ve", "a", "a", "1"), 40, True),  # fragments, a word among them by chance
    (("๑", "๒", "๓", "๔"), 40, False),  # a row of single digits
    (("ให้", "ไป", "ใน", "ที่", "นี้"), 40, False),  # short words, but words
    # digit runs mixing Thai and Arabic are strokes, not numbers (the emblem, a signature)
    (("a", "๑7", "ะ", "ห", "yy"), 40, True),
    (("9๑7", "vt"), 40, True),
    (("๑7",), 40, True),
    (("๑๗",), 40, False),
    (("10๔๔",), 40, False),  # a handwritten serial read half by each engine
    (("WZ", "๐29"), 40, True),
    (("=ใ๒๐7๑",), 40, True),
    (("วันที่", "๙", "ธ.ค.", "2๒"), 40, False),  # a date line, its year misread
])
def test_which_lines_are_junk(texts, conf, junk):
    assert engine.junk_line(_line(*texts, conf=conf)) is junk


def test_junk_lines_are_left_out_whole():
    words = _line("ที่", "มท", "๐๓๐๕/ว", "๑๒") + [_w("NEZ", 2, 1, 1)] + [_w("เรื่อง", 3, 1, 1)]
    words[4].conf = 20
    assert [w.text for w in engine.drop_junk_lines(words)] == ["ที่", "มท", "๐๓๐๕/ว", "๑๒", "เรื่อง"]


def test_specks_at_the_ends_of_a_line_are_left_out():
    words = _line("ที่", "บร", "๐๐๑๘.๑/ว", "๒๔๙๖", "ฒ์", "OT", "':", conf=90)
    for w in words[4:]:
        w.conf = 30
    assert [w.text for w in engine.drop_specks(words)] == ["ที่", "บร", "๐๐๑๘.๑/ว", "๒๔๙๖"]
    # what looks like a speck but is text stays: ๆ, a known one-letter word, a page number
    kept = _line("ต่าง", "ๆ", conf=30) + [_w("ณ", 1, 1, 2), _w("ห้องประชุม", 1, 1, 2)] + _line("-", "๒", "-", conf=30)
    for w in kept[2:4]:
        w.conf = 30
    for w in kept[4:]:
        w.line = 3
    assert engine.drop_specks(kept) == kept


def _colour_stamped_page(stamp_ink=(200, 30, 40), writing_ink=(40, 60, 170)) -> Image.Image:
    """A letter's date line in black under a receipt stamp: its frame and label in
    ``stamp_ink``, a handwritten number in ``writing_ink``, both crossing the black line."""
    from PIL import ImageDraw

    font = _thai_font(64)
    page = Image.new("RGB", (1400, 2000), (246, 244, 238))  # a slightly tinted paper
    page.info["dpi"] = (300, 300)
    draw = ImageDraw.Draw(page)
    draw.text((350, 560), "๗ มกราคม ๒๕๕๖", font=font, fill=(25, 25, 25))
    draw.rectangle((550, 380, 1150, 720), outline=stamp_ink, width=5)
    for y in (470, 560, 650):
        draw.line((555, y, 1145, y), fill=stamp_ink, width=2)
    draw.text((580, 480), "วันที่", font=font, fill=stamp_ink)
    draw.text((750, 560), "๑๑ ม.ค. ๕๖", font=font, fill=writing_ink)
    return page


def _stamp_layers(image: Image.Image):
    prep = preprocess.prepare(image)
    rules = preprocess.find_rules(prep.grey)
    assert len(rules.stamps) == 1
    page, stamps = engine._clean_stamps(preprocess.remove_rules(prep.grey, rules), prep, rules.stamps)
    return prep, rules.stamps[0], page, stamps


def test_a_coloured_stamp_is_taken_apart_from_the_black_print_under_it():
    image = _colour_stamped_page()
    _, box, page, stamps = _stamp_layers(image)
    assert stamps.coloured == (True,)
    rgb = np.asarray(image).astype(int)
    black = (rgb.max(axis=2) < 80) & (rgb.max(axis=2) - rgb.min(axis=2) < 20)
    coloured = (rgb.max(axis=2) - rgb.min(axis=2)) > 100
    inside = np.zeros(black.shape, bool)
    inside[box.top : box.bottom, box.left : box.right] = True
    # the letter's layer keeps the black print and loses the stamp's ink, frame included
    assert (page[black] < 128).mean() > 0.9
    assert (page[coloured & ~black] < 128).mean() < 0.05
    # the stamp's layer, inside the frame, the other way round (its ruled rows go too)
    writing = (rgb[..., 2] - rgb[..., 0] > 80) & inside
    rows = np.zeros(black.shape, bool)
    for y in (470, 560, 650):
        rows[y - 4 : y + 5] = True
    assert (stamps.page[writing & ~rows] < 128).mean() > 0.8
    assert (stamps.page[black & inside] < 128).mean() < 0.1


def test_black_print_under_a_coloured_stamps_rules_is_kept():
    # the page-wide removal of ruled lines took the letter's strokes under the stamp's
    # coloured rows and sides; the letter's layer has them back (bench-corpus 087)
    from PIL import ImageDraw

    image = _colour_stamped_page()
    draw = ImageDraw.Draw(image)
    draw.rectangle((900, 620, 906, 680), fill=(25, 25, 25))  # a letter's stroke through a row
    draw.rectangle((520, 400, 580, 406), fill=(25, 25, 25))  # ... and through the frame's side
    _, _, page, _ = _stamp_layers(image)
    assert page[620:681, 900:907].max() < 128
    assert page[400:407, 520:581].max() < 128


def test_a_coloured_stamps_rows_that_lost_their_colour_do_not_come_back():
    # JPEG takes the colour of a stamp's thin rows; they are as pale as its ink, far paler
    # than print, and stay out of the letter's layer (seed 2033's 021)
    from PIL import ImageDraw

    image = _colour_stamped_page()
    draw = ImageDraw.Draw(image)
    for y in (470, 650):
        draw.line((555, y, 1145, y), fill=(110, 100, 100), width=2)
    _, _, page, _ = _stamp_layers(image)
    assert page[468:473, 900:1100].min() > 128 and page[648:653, 900:1100].min() > 128


def test_a_stamp_scanned_in_grey_is_read_as_before():
    image = _colour_stamped_page().convert("L")
    prep, box, page, stamps = _stamp_layers(image)
    assert stamps.coloured == (False,)
    inside = (slice(box.top, box.bottom), slice(box.left, box.right))
    expected = preprocess.clean_stamp(prep.grey[inside])
    assert np.array_equal(page[inside], expected) and np.array_equal(stamps.page[inside], expected)


def test_colour_split_needs_a_colour_page_and_coloured_ink():
    grey = np.full((40, 40), 240, np.uint8)
    grey[10:30, 10:30] = 60
    chroma = np.zeros_like(grey)
    assert engine.colour_split(grey, None) is None  # a grey scan
    assert engine.colour_split(grey, chroma) is None  # colour scan, black ink
    chroma[10:30, 10:30] = 120
    split = engine.colour_split(grey, chroma)
    assert split is not None and split[20, 20] and not split[5, 5]


def _at(text, block, top, left=0):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=top, right=left + 300, bottom=top + 40),
                        conf=90, block=block, par=1, line=1)


def test_reading_order_puts_a_block_before_the_one_wholly_below_it():
    # Tesseract's order at a letter's foot: the owner unit (bottom left) first, then the
    # signature above it (right), then the phone under the unit
    words = [_at("สำนักงานจังหวัด", 1, 2000), _at("ขอแสดงความนับถือ", 2, 1700, left=1200),
             _at("(นายสมชาย)", 3, 1800, left=1200), _at("โทร.", 4, 2060)]
    assert [w.text for w in engine.reading_order(words)] == ["ขอแสดงความนับถือ", "(นายสมชาย)", "สำนักงานจังหวัด", "โทร."]


def test_reading_order_keeps_side_by_side_blocks_as_tesseract_read_them():
    # the number on the left and the address beside it, which starts a little higher
    words = [_at("ที่", 1, 300), _at("มท", 1, 300), _at("ศาลากลางจังหวัด", 2, 280, left=1400),
             _at("เรื่อง", 3, 500)]
    assert engine.reading_order(words) == words


def _glyphs(boxes):
    return np.array([[x, y, w, h, w * h // 2] for x, y, w, h in boxes])


@pytest.mark.parametrize("boxes,wanted", [
    # ``10 พ.ย. 55``: digits and letters on one baseline
    ([(0, 2, 14, 30), (18, 2, 14, 30), (40, 8, 20, 24), (64, 8, 20, 24), (100, 2, 14, 30), (118, 2, 14, 30)], True),
    ([(0, 0, 60, 80), (50, 10, 40, 70), (100, 0, 30, 60)], False),  # a signature: few, big strokes
    ([(0, 0, 20, 40), (25, 10, 20, 30), (50, 20, 20, 20), (75, 0, 20, 40)], False),  # four wing feathers
    # five pieces, but one twice the others' height (a stroke through the line)
    ([(0, 2, 14, 30), (18, 2, 14, 30), (40, 2, 14, 30), (64, 2, 14, 30), (100, -40, 60, 72)], False),
    # five pieces off any common baseline
    ([(0, 0, 14, 30), (18, 20, 14, 30), (40, 40, 14, 30), (64, 60, 14, 30), (90, 80, 14, 30)], False),
])
def test_a_row_of_glyphs_is_told_from_strokes(boxes, wanted):
    assert engine._row_of_glyphs(_glyphs(boxes)) is wanted


def _boxed(text, left, right, line=1):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=100, right=right, bottom=160), conf=80,
                        block=1, par=1, line=line)


def test_a_short_word_inside_a_longer_one_is_a_second_reading_and_left_out():
    words = [_boxed("โครงการ", 750, 880), _boxed("4", 925, 946), _boxed("จึงขอความร่วมมือ", 924, 1427),
             _boxed("๕", 1500, 1520)]
    assert [w.text for w in engine.drop_ghosts(words)] == ["โครงการ", "จึงขอความร่วมมือ", "๕"]


def test_a_short_word_beside_a_longer_one_or_on_another_line_is_kept():
    words = [_boxed("๕๕", 680, 729), _boxed("โครงการ", 735, 880), _boxed("ณ", 800, 820, line=2)]
    assert engine.drop_ghosts(words) == words


def test_words_of_stray_marks_are_left_out_and_printed_punctuation_kept():
    words = [_boxed(t, 100 * i, 100 * i + 50) for i, t in enumerate(
        ["|", "เรื่อง", "'", "=%", "<==#/", "—~", "-", "๒", "-", "(", "...", ":", "๕๐", "%", "*", "www.moi.go.th"])]
    assert [w.text for w in engine.drop_marks(words)] == [
        "เรื่อง", "-", "๒", "-", "(", "...", ":", "๕๐", "%", "*", "www.moi.go.th"]


def _tall(text, height, left, notes=()):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=100, right=left + 40, bottom=100 + height),
                        conf=80, block=1, par=1, line=1, notes=list(notes))


def test_a_dot_read_as_a_digit_is_left_out_and_small_print_kept():
    words = [_tall(f"คำที่{i}", 60, 100 * i) for i in range(6)]
    dot, zero = _tall("7", 2, 700), _tall("๐", 14, 800)  # a leader's dot; a Thai zero, x-height
    month = _tall("ก.ย.", 8, 900, notes=[f"'a': {engine.MONTH_NOTE}"])
    assert engine.drop_tiny([*words, dot, zero, month]) == [*words, zero, month]


def _wide(text, width, left):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=100, right=left + width, bottom=157),
                        conf=80, block=1, par=1, line=1)


def test_a_speck_read_as_two_digits_is_left_out():
    # seed 2026's 005: ``71`` 8 px wide in the blank after a number's slash, read as its serial
    words = [_tall(f"คำที่{i}", 60, 100 * i) for i in range(6)]
    speck, digits = _wide("71", 8, 700), _wide("๒๕", 50, 800)
    one, thin = _wide("1", 8, 900), _wide("11", 14, 1000)  # a lone 1; a written 11, two thin strokes
    assert engine.drop_tiny([*words, speck, digits, one, thin]) == [*words, digits, one, thin]


def test_a_page_of_few_words_is_not_judged_for_dots():
    words = [_tall("คำ", 60, 0), _tall("7", 2, 100)]
    assert engine.drop_tiny(words) == words


def _row(text, block, line, top, left):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=top, right=left + 200, bottom=top + 40),
                        conf=90, block=block, par=1, line=line)


def test_a_column_beside_a_paragraph_is_joined_to_its_lines():
    # an enclosure list: the items, then (a block of its own) their quantities, tab-set
    items = [_row("สิ่งที่ส่งมาด้วย", 5, 1, 1000, 100), _row("๑.", 5, 1, 1000, 400), _row("แผนงาน", 5, 1, 1000, 500),
             _row("๒.", 5, 2, 1060, 400), _row("คู่มือ", 5, 2, 1060, 500)]
    counts = [_row("จำนวน", 6, 1, 1002, 1500), _row("๑", 6, 1, 1002, 1720), _row("ชุด", 6, 1, 1002, 1800),
              _row("จำนวน", 6, 2, 1058, 1500), _row("๒", 6, 2, 1058, 1720), _row("แผ่น", 6, 2, 1058, 1800)]
    body = [_row("ด้วย", 7, 1, 1200, 300)]
    out = engine.join_columns(items + counts + body)
    lines = [" ".join(w.text for w in line) for line in engine._lines(out)]
    assert lines == ["สิ่งที่ส่งมาด้วย ๑. แผนงาน จำนวน ๑ ชุด", "๒. คู่มือ จำนวน ๒ แผ่น", "ด้วย"]


def test_a_column_is_joined_past_a_paragraph_set_apart_between():
    # bench-corpus 057: the อ้างถึง line's year, a block of its own, came between the
    # enclosure list and its quantities
    ref = [_row("อ้างถึง", 4, 1, 900, 100), _row("หนังสือ", 4, 1, 900, 400)]
    items = [_row("สิ่งที่ส่งมาด้วย", 5, 1, 1000, 100), _row("๑.", 5, 1, 1000, 400), _row("แผนงาน", 5, 1, 1000, 500),
             _row("๒.", 5, 2, 1060, 400), _row("คู่มือ", 5, 2, 1060, 500)]
    year = [_row("๒๕๔๒", 6, 1, 905, 1600)]
    counts = [_row("จำนวน", 7, 1, 1002, 1500), _row("๑", 7, 1, 1002, 1720), _row("ชุด", 7, 1, 1002, 1800),
              _row("จำนวน", 7, 2, 1058, 1500), _row("๒", 7, 2, 1058, 1720), _row("แผ่น", 7, 2, 1058, 1800)]
    out = engine.join_columns(ref + items + year + counts)
    lines = [" ".join(w.text for w in line) for line in engine._lines(out)]
    assert lines == ["อ้างถึง หนังสือ ๒๕๔๒", "สิ่งที่ส่งมาด้วย ๑. แผนงาน จำนวน ๑ ชุด", "๒. คู่มือ จำนวน ๒ แผ่น"]


@pytest.mark.parametrize("counts", [
    # a line of the second block beside no line of the first: the address under the number
    [_row("ศาลากลางจังหวัด", 6, 1, 1000, 1500), _row("ถนนราชดำเนิน", 6, 2, 1200, 1500)],
    # not to the right of the lines it stands beside
    [_row("จำนวน", 6, 1, 1002, 450)],
    # two lines beside one
    [_row("จำนวน", 6, 1, 995, 1500), _row("ชุด", 6, 2, 1010, 1500)],
    # beside a "line" Tesseract made of two rows, over twice its height (bench-corpus 099)
    [engine._Word(text="ศธ", raw="ศธ", box=Box(left=1500, top=1000, right=1600, bottom=1018), conf=90, block=6,
                  par=1, line=1)],
])
def test_blocks_that_are_no_column_beside_a_paragraph_stay_apart(counts):
    items = [_row("๑.", 5, 1, 1000, 400), _row("แผนงาน", 5, 1, 1000, 500), _row("๒.", 5, 2, 1060, 400)]
    assert engine.join_columns(items + counts) == items + counts
    assert [w.block for w in items + counts][-1] == 6


def _speckled_page(lines: int, seed: int = 0) -> np.ndarray:
    """A page of grey, noisy paper with `lines` lines of thin grey strokes (a damaged
    scan's faint print), as the sparse last pages of the scan sets look."""
    rng = np.random.default_rng(seed)
    g = np.clip(rng.normal(220, 6, (1400, 1000)), 0, 255).astype(np.uint8)
    for k in range(lines):
        top = 100 + 45 * k
        for x in range(100, 500, 24):
            g[top : top + 24, x : x + 4] = 120
    return g


def test_a_sparse_page_on_grey_paper_gets_white_paper():
    g = _speckled_page(2)
    out = preprocess.flatten_paper(g)
    assert (out[600:, :] == 255).all()  # paper
    assert (out[100:124, 100:104] == 120).all()  # ink kept as it was


def test_a_page_of_text_is_not_flattened():
    g = _speckled_page(28)
    assert preprocess.flatten_paper(g) is g


def _page_number_ink(digit_x: int = 610, top: int = 100, dashes: bool = True, beside: bool = False) -> np.ndarray:
    """Ink (255) at `unread_lines`' half scale of an A4 page: a page number's digit with
    or without its dashes, perhaps another word on its line."""
    ink = np.zeros((1754, 1240), np.uint8)
    ink[top : top + 16, digit_x : digit_x + 14] = 255
    if dashes:
        ink[top + 8 : top + 10, digit_x - 25 : digit_x - 10] = 255
        ink[top + 8 : top + 10, digit_x + 24 : digit_x + 39] = 255
    if beside:
        ink[top : top + 30, 150:400] = 255
    return ink


@pytest.mark.parametrize("kwargs,wanted", [
    ({}, True),
    ({"dashes": False}, False),  # a lone digit is no page number
    ({"beside": True}, False),  # another word on its line
    ({"digit_x": 300}, False),  # not centred
    ({"top": 600}, False),  # not at the top of the page
])
def test_a_page_number_is_told_from_other_ink(kwargs, wanted):
    ink = _page_number_ink(**kwargs)
    x, top = kwargs.get("digit_x", 610), kwargs.get("top", 100)
    assert engine._page_number(ink, x, top, 14, 16, 34) == ((x, x + 14) if wanted else None)


@pytest.mark.parametrize("kwargs,wanted", [
    ({}, True),
    ({"beside": True}, False),
    ({"top": 600}, False),
])
def test_a_page_number_whose_dashes_counted_as_letters_is_found_inside_its_stretch(kwargs, wanted):
    # on a page of few words the dashes were letter-sized and the stretch ran dash to dash
    ink = _page_number_ink(**kwargs)
    x, top = kwargs.get("digit_x", 610), kwargs.get("top", 100)
    assert engine._page_number(ink, x - 25, top, 64, 16, 34) == ((x, x + 14) if wanted else None)


def test_a_stretch_without_flat_ends_is_no_page_number():
    ink = _page_number_ink(dashes=False)
    ink[100:116, 580:594] = 255  # two more digits, not dashes
    ink[100:116, 630:644] = 255
    assert engine._page_number(ink, 580, 100, 64, 16, 34) is None


def _font_path(family: str = "THSarabunNew") -> str:
    """The font's file, or the test skipped where it is not installed."""
    from pipeline import fonts

    try:
        return str(fonts.find(family).path)
    except LookupError as e:
        pytest.skip(str(e))


def _thai_font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(_font_path(), size)


def test_a_page_number_the_main_pass_lost_is_read_by_the_numeral_reader():
    from PIL import ImageDraw

    font = _thai_font(67)  # 16 pt at 300 dpi
    image = Image.new("L", (1240, 400), 255)
    ImageDraw.Draw(image).text((560, 100), "- ๗ -", font=font, fill=0)
    grey = np.asarray(image)
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), "- ", font=font)
    digit = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((560 + right, 100), "๗", font=font)
    box = Box(left=digit[0], top=digit[1], right=digit[2], bottom=digit[3])
    words = engine._read_page_numbers(grey, [], [box])
    assert [w.text for w in words] == ["-", "๗", "-"]
    assert words[0].box.right <= box.left and words[2].box.left >= box.right


@pytest.mark.tesseract
def test_a_page_number_the_main_pass_lost_is_found():
    from PIL import ImageDraw

    from models import pages

    path = _font_path()
    body = ["ในการนี้ จังหวัดขอความร่วมมือให้หน่วยงานในสังกัดดำเนินการตามแนวทางดังกล่าว",
            "โดยรายงานผลให้จังหวัดทราบภายในวันที่ ๑๕ มีนาคม ๒๕๖๔ เพื่อจะได้รวบรวมต่อไป",
            "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป", "ขอแสดงความนับถือ"]
    image, _ = pages.render_page(body, path, random.Random(1), dpi=300, pt=16)
    font = _thai_font(67)
    draw = ImageDraw.Draw(image)
    width = draw.textlength("- ๗ -", font=font)
    draw.text(((image.width - width) / 2, 110), "- ๗ -", font=font, fill=(0, 0, 0))
    grey = np.asarray(image.convert("L"))
    words = _rendered_words(image)
    # drop the page number's words, as Tesseract's layout does on the scans
    first = min(words, key=lambda w: w.box.top)
    rest = [w for w in words if (w.block, w.par, w.line) != (first.block, first.par, first.line)]
    assert all(w.box.top > 200 for w in rest)
    numbers = engine.unread_lines(grey, rest, ()).page_numbers
    assert len(numbers) == 1
    found = engine.reading_order(engine._read_page_numbers(grey, rest, numbers))
    assert [w.text for w in found[:3]] == ["-", "๗", "-"]


def _year_page(last_word: str) -> tuple[Image.Image, list]:
    """A rendered page whose list item ends in `last_word`, a year drawn alone on the line
    under it, and Tesseract's words of the page before the year was drawn (its layout
    dropped such years on bench-corpus 085 and 095)."""
    from PIL import ImageDraw

    from models import pages

    body = ["ในการนี้ จังหวัดขอความร่วมมือให้หน่วยงานในสังกัดดำเนินการ ดังนี้",
            f"๑. รายงานผลให้จังหวัดทราบ ภายในวันจันทร์ที่ ๑๓ {last_word}"]
    image, _ = pages.render_page(body, _font_path(), random.Random(1), dpi=300, pt=16)
    words = _rendered_words(image)
    last = max((w for w in words if "๑๓" in w.text or w.text == last_word), key=lambda w: w.box.right)
    ImageDraw.Draw(image).text((360, last.box.top + int(67 * 1.45)), "๒๕๔๑", font=_thai_font(67), fill=(0, 0, 0))
    return image, words


@pytest.mark.tesseract
def test_a_dates_year_on_a_line_of_its_own_is_read_after_its_month():
    image, words = _year_page("กรกฎาคม")
    grey = np.asarray(image.convert("L"))
    years = engine.unread_lines(grey, words, ()).years
    assert len(years) == 1
    out = engine._read_years(grey, words, years)
    assert engine.YEAR_NOTE in out[[w.text for w in out].index("๒๕๔๑")].notes
    text = engine.assemble(out, 1, preprocess.unprepared(image), []).text
    lines = text.splitlines()
    assert lines[lines.index("๒๕๔๑") - 1].endswith("๑๓ กรกฎาคม")  # the next line, same paragraph


@pytest.mark.tesseract
def test_a_year_on_a_line_of_its_own_replaces_the_junk_read_there():
    image, words = _year_page("กรกฎาคม")
    grey = np.asarray(image.convert("L"))
    first = engine.unread_lines(grey, words, ()).years[0]
    # the main pass read the year as Latin junk (``Kev`` for ๕๗, bench-corpus 125)
    junk = dataclasses.replace(words[-1], text="Kev", raw="Kev", conf=40.0, line=99, box=first)
    years = engine.unread_lines(grey, words + [junk], ()).years
    assert years == [first]
    out = engine._read_years(grey, words + [junk], years)
    assert "Kev" not in [w.text for w in out] and "๒๕๔๑" in [w.text for w in out]


@pytest.mark.tesseract
def test_a_number_alone_under_a_line_not_ending_in_a_date_is_no_year():
    image, words = _year_page("นี้")
    assert engine.unread_lines(np.asarray(image.convert("L")), words, ()).years == []


def _list_page() -> tuple[np.ndarray, list]:
    """A rendered page of a numbered list (grey) and Tesseract's words of it."""
    from models import pages

    body = ["ตามที่จังหวัดได้แจ้งให้หน่วยงานในสังกัดดำเนินการตามแนวทางดังกล่าว นั้น",
            "๑. รายงานผลการดำเนินงานให้จังหวัดทราบภายในวันที่ ๑๕ มีนาคม ๒๕๖๔",
            "๒. หนังสือสำนักงานจังหวัดขอนแก่น ที่ ขก ๐๐๒๓.๓/ว ๑๒๓๔ ลงวันที่ ๕ มีนาคม ๒๕๖๔",
            "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป"]
    image, _ = pages.render_page(body, _font_path(), random.Random(1), dpi=300, pt=16)
    return np.asarray(image.convert("L")), _rendered_words(image)


@pytest.mark.tesseract
def test_a_list_items_number_left_out_of_its_line_is_read_into_it():
    grey, words = _list_page()
    letter = next(w for w in words if w.text.startswith("หนังสือ"))
    line = engine._line_key(letter)
    item = next(w for w in words if engine._line_key(w) == line)  # ๒. (tha+eng: ``lo.``)
    # Tesseract's layout left the item's number out of its line (bench-corpus 096: ๑., ๒.
    # of an อ้างถึง list)
    rest = [w for w in words if w is not item]
    gaps = engine.unread_lines(grey, rest, ()).gaps
    assert len(gaps) == 1
    assert gaps[0].left <= item.box.left + 5 and gaps[0].right >= item.box.right - 10
    out = engine._read_gaps(grey, rest, gaps)
    read = [w for w in out if engine._line_key(w) == line]
    assert [w.text for w in read[:2]] == ["๒.", letter.text]
    assert engine.GAP_NOTE in read[0].notes


@pytest.mark.tesseract
def test_a_digit_a_words_box_cut_off_is_no_gap():
    grey, words = _list_page()
    letter = next(w for w in words if w.text.startswith("หนังสือ"))
    year = [w for w in words if engine._line_key(w) == engine._line_key(letter)][-1]  # ๒๕๖๔
    # the box Tesseract gave the year begins at its second digit (the numeral reader's
    # crop takes the first back): the first digit is the year's, not a gap's
    cut = dataclasses.replace(year, box=Box(left=year.box.left + (year.box.right - year.box.left) // 4,
                                            top=year.box.top, right=year.box.right, bottom=year.box.bottom))
    rest = [cut if w is year else w for w in words]
    assert engine.unread_lines(grey, words, ()).gaps == []
    assert engine.unread_lines(grey, rest, ()).gaps == []


def test_a_list_items_number_read_as_small_latin_is_read_again():
    from PIL import ImageDraw

    font = _thai_font(67)
    image = Image.new("L", (800, 120), 255)
    ImageDraw.Draw(image).text((20, 20), "๓. โดยให้ดำเนินการ", font=font, fill=0)
    grey = np.asarray(image)
    dot = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((20, 20), "๓.", font=font)
    rest = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((20, 20), "๓. โดยให้ดำเนินการ", font=font)
    # Tesseract's Latin ``on.`` is boxed at its x-height, under 0.4 of the line's words
    item = engine._Word(text="on.", raw="on.", box=Box(left=dot[0], top=dot[3] - 20, right=dot[2], bottom=dot[3]),
                        conf=91, block=1, par=1, line=1)
    words = [item] + [engine._Word(text="โดยให้ดำเนินการ", raw="", conf=90, block=1, par=1, line=1,
                                   box=Box(left=dot[2] + 15, top=rest[1] - 10, right=rest[2], bottom=rest[3] + 10))
                      for _ in range(3)]
    engine._reread_numerals(grey, words)
    assert item.text == "๓."


def _drawn_line(text: str):
    """`text` drawn at 16 pt (300 dpi) on a white 1400 × 140 line, and the ink box of any
    start of it (``box_of("๓")``) as drawn there: (left, top, right, bottom)."""
    from PIL import ImageDraw

    font = _thai_font(67)
    image = Image.new("L", (1400, 140), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, 30), text, font=font, fill=0)
    return np.asarray(image), lambda start: draw.textbbox((20, 30), start, font=font)


def test_a_day_read_as_a_small_thai_letter_is_read_again():
    grey, box_of = _drawn_line("๓ กุมภาพันธ์ ๒๕๖๙")
    day, month = box_of("๓"), box_of("๓ กุมภาพันธ์")
    # a handwritten ๓ that Tesseract read as ``ด`` and boxed at a Thai letter's x-height:
    # under 0.4 of the page's median word, under 0.6 of the month's name beside it
    word = engine._Word(text="ด", raw="ด", box=Box(left=day[0], top=day[3] - 20, right=day[2], bottom=day[3]),
                        conf=60, block=1, par=1, line=1)
    name = engine._Word(text="กุมภาพันธ์", raw="", conf=90, block=1, par=1, line=1,
                        box=Box(left=day[2] + 20, top=month[1] - 5, right=month[2], bottom=month[3] + 5))
    assert word.box.bottom - word.box.top < 0.4 * (name.box.bottom - name.box.top)
    engine._reread_numerals(grey, [word, name, name, name])
    assert word.text == "๓"


def test_a_day_after_its_label_read_as_small_latin_is_read_again():
    grey, box_of = _drawn_line("ก่อนวันที่ ๓๐ ก. ย.")
    label, day, rest = box_of("ก่อนวันที่"), box_of("ก่อนวันที่ ๓๐"), box_of("ก่อนวันที่ ๓๐ ก. ย.")
    # Tesseract's Latin ``mo`` boxed at its x-height; the month's name in pieces (no name
    # beside the day to measure it against): the word after ``วันที่`` is where a day stands
    word = engine._Word(text="mo", raw="mo", conf=60, block=1, par=1, line=1,
                        box=Box(left=label[2] + 12, top=day[3] - 20, right=day[2], bottom=day[3]))

    def thai(text, left, right):
        return engine._Word(text=text, raw=text, conf=90, block=1, par=1, line=1,
                            box=Box(left=left, top=label[1] - 5, right=right, bottom=label[3] + 5))

    words = [thai("ก่อนวันที่", label[0], label[2]), word, thai("ก.", day[2] + 15, rest[2]),
             thai("ย.", rest[2] - 30, rest[2])]
    assert word.box.bottom - word.box.top < 0.4 * (label[3] - label[1])
    engine._reread_numerals(grey, words)
    assert word.text == "๓๐"


def test_a_digit_left_out_of_every_box_at_a_numbers_end_is_read_again():
    # seed 2029's 018: Tesseract, which has no ๗, read and boxed ``๒๒๐๐๗`` as ``๒๒๐๐``; the
    # ๗ stood in no word's box, a few pixels further than the snapping crosses
    from PIL import ImageDraw

    font = _thai_font(67)

    def read(gap_before: int, gap_after: int, label_from_seven: bool) -> str:
        """``๒๒๐๐`` ``๗`` ``ลงวันที่`` drawn with the gaps given about the ๗, and what the
        number boxed without the ๗ is read as; the label's box takes in the ๗ or not."""
        image = Image.new("L", (1400, 140), 255)
        draw = ImageDraw.Draw(image)
        draw.text((20, 30), "๒๒๐๐", font=font, fill=0)
        number = draw.textbbox((20, 30), "๒๒๐๐", font=font)
        draw.text((number[2] + gap_before, 30), "๗", font=font, fill=0)
        seven = draw.textbbox((number[2] + gap_before, 30), "๗", font=font)
        draw.text((seven[2] + gap_after, 30), "ลงวันที่", font=font, fill=0)
        label = draw.textbbox((seven[2] + gap_after, 30), "ลงวันที่", font=font)
        left = seven[0] if label_from_seven else label[0]
        words = [engine._Word(text="๒๒๐๐", raw="๒๒๐๐", conf=80, block=1, par=1, line=1,
                              box=Box(left=number[0], top=number[1], right=number[2], bottom=number[3])),
                 engine._Word(text="ลงวันที่", raw="", conf=90, block=1, par=1, line=1,
                              box=Box(left=left, top=label[1], right=label[2], bottom=label[3]))]
        engine._reread_numerals(np.asarray(image), words)
        return words[0].text

    assert read(6, 30, False) == "๒๒๐๐๗"
    # a glyph nearer the next word than ours is the next word's, its box cut short
    assert read(30, 4, False) == "๒๒๐๐"
    # and ink inside a neighbour's box is never ours
    assert read(6, 30, True) == "๒๒๐๐"


def test_grain_beside_a_number_is_no_glyph_to_take_in():
    # seed 2032's 003: three one-pixel specks strewn after ``๑๒๕๐๖``, as wide and as tall
    # as a digit, widened its box, and the room left let Tesseract's extra ``๐`` in
    grey = np.full((100, 400), 255, np.uint8)
    for x in range(40, 160, 24):
        grey[30:66, x : x + 18] = 0  # five digits, 36 px high
    box = Box(left=40, top=30, right=154, bottom=66)
    for y, x in ((30, 170), (45, 175), (62, 180)):
        grey[y, x] = 0

    def widened(grey: np.ndarray) -> Box:
        return engine._with_orphans(grey, box, "๑๒๕๐๖", None, None,
                                    engine._crop_columns(box, *engine._crop_span(grey, box)))

    assert widened(grey) is box
    grey[30:66, 170:186] = 0  # a digit there, 16 px after the last: taken in
    assert widened(grey) == Box(left=40, top=30, right=186, bottom=66)


def _list_item(text: str, tesseract: str, grain: bool = False, before: str | None = None) -> str:
    """What ``tesseract`` (its box the ink of `text`'s first word, drawn opening a line)
    becomes once re-read; with ``grain``, a tick of dirt just before it in its box (read
    ``¤``); with ``before``, a word standing before it on its line."""
    grey, box_of = _drawn_line(text)
    first = text.split()[0]
    item, line = box_of(first), box_of(text)
    grey = grey.copy()
    left = item[0]
    if grain:
        grey[item[1] : item[1] + 10, item[0] - 10 : item[0] - 7] = 0
        left = item[0] - 12
    word = engine._Word(text=tesseract, raw=tesseract, conf=40, block=1, par=1, line=1,
                        box=Box(left=left, top=item[1], right=item[2], bottom=item[3]))
    rest = engine._Word(text=text.split(None, 1)[1], raw="", conf=90, block=1, par=1, line=1,
                        box=Box(left=item[2] + 15, top=line[1], right=line[2], bottom=line[3]))
    words = [word, rest]
    if before is not None:
        words.insert(0, engine._Word(text=before, raw="", conf=90, block=1, par=1, line=1,
                                     box=Box(left=0, top=line[1], right=max(1, left - 8), bottom=line[3])))
    engine._reread_numerals(grey, words)
    return word.text


@pytest.mark.parametrize("tesseract", ["«.", ">.", "Awe"])
def test_a_list_items_number_is_read_whatever_tesseract_made_of_it(tesseract):
    # seed 2026's 031 (``«.`` for ๙.), seed 2030's 016 (``>.`` for ๖.), seed 2028's 003
    # (``Awe`` for ๔.): symbols and English are no words the reader was asked to read
    assert _list_item("๙. กบ.ทหารขอเรียนว่า การดำเนินการ", tesseract) == "๙."


def test_a_list_items_number_is_read_past_a_speck_beside_it():
    # seed 2026's 011: ``๓.`` read ``om.``, the reader's ``¤๓.`` (dirt in the box) shaped
    # unlike it; the dirt is left out, the number taken
    assert _list_item("๓. สำหรับค่าใช้จ่ายในการดำเนินการ", "om.", grain=True) == "๓."


def test_only_a_word_opening_its_line_is_taken_for_a_list_items_number():
    assert _list_item("๙. กบ.ทหารขอเรียนว่า", "«.", before="ข้อ") == "«."
    # a short word of Thai letters opening a line reads as no number
    assert _list_item("ที่ มท ๐๓๐๕/ว ๑๒๓๔", "ที่") == "ที่"
    # nor is a word with no item's text after it one, whatever it reads: seed 2030's 000,
    # a date's day ``๓๐`` read ``mo`` by Tesseract and ``¤๓.`` by the reader
    assert _list_item("๓. ส.ค. ๕๙", "mo", grain=True) == "mo"


@pytest.mark.parametrize("tesseract, day, expected", [
    ("๒๒๒", "๒๒", "๒๒"),  # Tesseract tripled a doubled day (bench-corpus 138): no day has three digits
    ("๒๒", "๒๒", "๒๒"),
    ("๑๑", "๑๑", "๑๑"),  # a double the reader may merge is still Tesseract's to keep
])
def test_a_day_has_at_most_two_digits(tesseract, day, expected):
    grey, box_of = _drawn_line(f"{day} สิงหาคม ๒๕๖๗")
    box, month = box_of(day), box_of(f"{day} สิงหาคม")
    word = engine._Word(text=tesseract, raw=tesseract, conf=76, block=1, par=1, line=1,
                        box=Box(left=box[0], top=month[1] - 5, right=box[2], bottom=month[3] + 5))
    name = engine._Word(text="สิงหาคม", raw="", conf=90, block=1, par=1, line=1,
                        box=Box(left=box[2] + 20, top=month[1] - 5, right=month[2], bottom=month[3] + 5))
    engine._reread_numerals(grey, [word, name])
    assert word.text == expected


def test_a_stamps_words_are_read_with_the_hand_model(monkeypatch):
    from PIL import ImageDraw

    from pipeline.ocr import numerals

    font = _thai_font(67)
    image = Image.new("L", (1400, 140), 255)
    ImageDraw.Draw(image).text((20, 30), "๑๖๔๘๗ ๐๔๐๓", font=font, fill=0)
    grey = np.asarray(image)
    used = []
    read = numerals.read_crop
    monkeypatch.setattr(numerals, "read_crop", lambda crop, model=None: used.append(model) or read(crop, model))

    def word(text, left, right, notes=()):
        return engine._Word(text=text, raw=text, box=Box(left=left, top=30, right=right, bottom=110), conf=60,
                            block=1, par=1, line=1, notes=list(notes))

    words = [word("๑๒๕๕๓", 20, 300, [engine.STAMP_NOTE]), word("๐๕๐๓", 330, 560)]
    engine._reread_numerals(grey, words)
    assert used == [numerals.hand_model(), numerals.default_model()]


@pytest.mark.parametrize("text,before,after,wanted", [
    ("1.9.", "19", "41", True),  # ก.ค. read as digits between a day and a year
    ("๑.๒", "๑๙", "๒๕๖๘", True),
    ("1.9.", "ข้อ", "การ", False),  # a section number
    ("1.9.", "19", "เรื่อง", False),
    ("1.9.4", "19", "41", False),
])
def test_a_month_read_as_dotted_digits_stands_between_a_day_and_a_year(text, before, after, wanted):
    assert engine.month_as_digits(text, before, after) is wanted


@pytest.mark.parametrize("misread,expected", [
    ("N", "ที่"), ("fi", "ที่"), ("1", "ที่"), ("ท", "ที่"),  # before an agency and its code
    ("จำนวน", "จำนวน"),  # a word: never
])
def test_a_misread_thi_before_a_document_number(misread, expected):
    words = [_w("ด่วน", 1, 1, 1), _w(misread, 1, 1, 1, 20), _w("สน", 1, 1, 1, 40), _w("๐๐๒๓.๓/ว", 1, 1, 1, 60)]
    engine._restore_thi(words)
    assert words[1].text == expected


@pytest.mark.parametrize("agency,expected", [
    ("ภภก", "ภก"),  # Tesseract read ภ twice (bench-corpus 020, 032, 048)
    ("ภก", "ภก"), ("ภกก", "ภก"),
    ("กขข", "กขข"),  # no agency's code comes of it
])
def test_an_agency_code_with_a_letter_read_twice(agency, expected):
    words = [_w("ที่", 1, 1, 1), _w(agency, 1, 1, 1, 20), _w("๐๐๓๒/ว", 1, 1, 1, 40)]
    engine._restore_thi(words)
    assert words[1].text == expected
    words = [_w("ที่", 1, 1, 1), _w(agency, 1, 1, 1, 20), _w("ชุด", 1, 1, 1, 40)]  # no unit code after it
    engine._restore_thi(words)
    assert words[1].text == agency


def test_a_lone_digit_before_letters_that_are_no_agency_stays():
    words = [_w("1", 1, 1, 1), _w("กข", 1, 1, 1, 20), _w("๐๐๒๓.๓/ว", 1, 1, 1, 40)]
    engine._restore_thi(words)
    assert words[0].text == "1"
    words = [_w("1", 1, 1, 1), _w("สน", 1, 1, 2, 20), _w("๐๐๒๓.๓/ว", 1, 1, 2, 40)]  # not one line
    engine._restore_thi(words)
    assert words[0].text == "1"


def _marks(text, left, right, top, bottom, line, notes=()):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=top, right=right, bottom=bottom), conf=80,
                        block=1, par=1, line=line, notes=list(notes))


def _body_lines():
    # two lines of body text, 68 px high (300 dpi), as bench-corpus 110's
    return [_marks("เด็กแห่งชาติ", 358, 571, 1061, 1129, 2), _marks("เพื่อให้การปฏิบัติงาน", 592, 1839, 1061, 1129, 2),
            _marks("สูงสุดแก่ประชาชน", 358, 700, 1150, 1218, 3), _marks("ประชาชน", 720, 1000, 1150, 1218, 3)]


def test_a_line_tesseract_made_of_another_lines_marks_is_left_out():
    # bench-corpus 110: the marks over เด็กแห่งชาติ เพื่อให้การ… read again as a line of their own
    marks = [_marks("๕", 373, 390, 1062, 1078, 1), _marks("a", 611, 632, 1054, 1080, 1),
             _marks("vy", 693, 715, 1058, 1086, 1), _marks("๑7", 1281, 1306, 1058, 1085, 1)]
    body = _body_lines()
    assert engine.drop_mark_rows(marks + body) == body


@pytest.mark.parametrize("line", [
    # one word outside every word of the other lines: text of its own
    [_marks("๕", 373, 390, 1062, 1078, 1), _marks("ที่", 1900, 1960, 1062, 1100, 1)],
    # as tall as the words it stands in: a line of its own over them (a stamp's, a signature's)
    [_marks("เลขรับ", 600, 800, 1062, 1129, 1)],
    # a receipt stamp's words, read apart from the page
    [_marks("๑๒", 600, 640, 1062, 1080, 1, [engine.STAMP_NOTE])],
])
def test_lines_that_are_not_another_lines_marks_stay(line):
    words = line + _body_lines()
    assert engine.drop_mark_rows(words) == words


def test_a_tall_word_is_no_line_of_text_marks_could_be_read_from():
    # a signature read as one word over 1.6 times a line's height covers the name under it
    body = [_marks(f"คำที่{i}", 100 * i, 100 * i + 90, 2000, 2068, 5) for i in range(6)]
    signature = [_marks("ลายมือชื่อ", 400, 1200, 1000, 1300, 1)]
    name = [_marks("(นาย", 500, 600, 1150, 1190, 2), _marks("ใจดี)", 620, 700, 1150, 1190, 2)]
    words = signature + name + body
    assert engine.drop_mark_rows(words) == words


@pytest.mark.parametrize("text,label", [
    ("เลขรับ", "เลขรับ"), ("เลขวับ", "เลขรับ"), ("เสขรับ", "เลขรับ"), ("เลฆรับ", "เลขรับ"), ("เลขรับ.", "เลขรับ"),
    ("เลขที่", "เลขที่"), ("เลขที", "เลขที่"), ("รับที่", "รับที่"),
    ("วันที่", None), ("เวลา", None), ("เพชรับ", None), ("เลข", None),
])
def test_a_stamps_serial_label_is_known_with_one_letter_misread(text, label):
    assert engine.serial_label(text) == label


def _serial_page(serial: str):
    grey, box_of = _drawn_line(f"เลขรับ {serial}")
    return grey, box_of("เลขรับ"), box_of(f"เลขรับ {serial}")


def _stamp_word(text, left, right):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=25, right=right, bottom=115), conf=60,
                        block=10_000, par=0, line=0, notes=[engine.STAMP_NOTE])


def test_a_stamps_serial_read_as_letters_is_read_again_as_one_number():
    grey, label, whole = _serial_page("๕๕๗๒๒")
    words = [_stamp_word("เลขวับ", label[0], label[2]), _stamp_word("ณ์ซิวปีตโต", label[2] + 20, whole[2])]
    out = engine._read_serials(grey, words, grey)
    assert [w.text for w in out] == ["เลขรับ", "๕๕๗๒๒"]
    assert engine.SERIAL_NOTE in out[1].notes[-1]


def test_a_serial_in_pieces_keeps_its_digits_where_the_reader_sees_fewer():
    # the reader cannot see a number in a blank crop: the pieces' digits are joined
    grey = np.full((140, 1400), 255, np.uint8)
    words = [_stamp_word("เลขรับ", 20, 250), _stamp_word("5.398.3", 280, 600)]
    assert [w.text for w in engine._read_serials(grey, words, grey)] == ["เลขรับ", "53983"]


def test_the_pens_strokes_after_a_stamps_serial_go_and_its_next_field_stays():
    grey = np.full((140, 2400), 255, np.uint8)
    words = [_stamp_word("เลขรับ", 20, 250), _stamp_word("57780", 280, 600), _stamp_word("๙-", 620, 700),
             _stamp_word("วันที่", 900, 1100), _stamp_word("๑๒", 1120, 1200), _stamp_word("ต.ค.", 1220, 1350)]
    assert [w.text for w in engine._read_serials(grey, words, grey)] == ["เลขรับ", "57780", "วันที่", "๑๒", "ต.ค."]


def test_a_serial_read_whole_and_another_number_in_pieces_are_one_serial():
    # ``๒๙๕ ๕๐``: digits alone in two pieces are read again as one number, not cut short
    grey = np.full((140, 1400), 255, np.uint8)
    words = [_stamp_word("เลขรับ", 20, 250), _stamp_word("๒๙๕", 280, 420), _stamp_word("๕๐", 450, 540)]
    assert [w.text for w in engine._read_serials(grey, words, grey)] == ["เลขรับ", "๒๙๕๕๐"]


@pytest.mark.parametrize("words", [
    # not a stamp's line: a letter's own เลขที่ (an address's house number)
    [engine._Word(text="เลขที่", raw="", box=Box(left=20, top=25, right=250, bottom=115), conf=90, block=1, par=1,
                  line=1),
     engine._Word(text="๑๒๓/๔", raw="", box=Box(left=280, top=25, right=600, bottom=115), conf=90, block=1, par=1,
                  line=1)],
    # a serial Tesseract read as one number stays as it is
    [_stamp_word("เลขรับ", 20, 250), _stamp_word("๑๖๔๘๗", 280, 600)],
    # a label alone
    [_stamp_word("เลขรับ", 20, 250)],
])
def test_lines_with_no_serial_to_read_again_stay(words):
    grey = np.full((140, 1400), 255, np.uint8)
    texts = [w.text for w in words]
    assert [w.text for w in engine._read_serials(grey, words, grey)] == texts


def _number_page(code: str, serial: str):
    """A number line drawn in one font; boxes of the code and of each glyph of the serial."""
    grey, box_of = _drawn_line(f"{code} {serial}")
    glyphs = [box_of(f"{code} {serial[:k + 1]}")[2] for k in range(len(serial))]
    return grey, box_of(code), [box_of(code + " ")[2], *glyphs]


def _letter_word(text, left, right):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=25, right=right, bottom=115), conf=60,
                        block=1, par=1, line=1)


@pytest.mark.parametrize("pieces,expected", [
    # a serial cut in two, the first piece's crop reaching into the second (seed 2031's 003)
    (["๒๔๘๙", "๙๑"], ["๐๐๓๒/ว", "๒๔๘๙๑"]),
    (["๒๔", "๘๙๑"], ["๐๐๓๒/ว", "๒๔๘๙๑"]),
    (["๒๔๘๙๑"], ["๐๐๓๒/ว", "๒๔๘๙๑"]),  # one piece: left as it is
])
def test_a_numbers_serial_in_pieces_is_read_again_as_one(pieces, expected):
    grey, code, edges = _number_page("๐๐๓๒/ว", "๒๔๘๙๑")
    cut = edges[3] if pieces[0] == "๒๔" else edges[4]
    boxes = [(edges[0], cut), (cut, edges[5])] if len(pieces) == 2 else [(edges[0], edges[5])]
    words = [_letter_word("๐๐๓๒/ว", code[0], code[2])] + [_letter_word(t, a, b) for t, (a, b) in zip(pieces, boxes)]
    assert [w.text for w in engine._read_split_serials(grey, words)] == expected


def test_digits_far_after_a_numbers_serial_are_not_read_with_it():
    # the address block's postcode, far right of the serial, is no piece of it
    grey, code, edges = _number_page("๐๐๓๒/ว", "๒๔๘๙๑")
    words = [_letter_word("๐๐๓๒/ว", code[0], code[2]), _letter_word("๒๔๘๙๑", edges[0], edges[5]),
             _letter_word("๕๗๐๐๐", edges[5] + 400, edges[5] + 600)]
    assert [w.text for w in engine._read_split_serials(grey, words)] == ["๐๐๓๒/ว", "๒๔๘๙๑", "๕๗๐๐๐"]


def test_the_dots_of_a_stamps_dotted_line_are_no_digits_of_its_serial():
    # bench-corpus 052: two dots 2 px high read as ``7`` after the serial
    grey = np.full((140, 2400), 255, np.uint8)
    dot = engine._Word(text="7", raw="7", box=Box(left=700, top=100, right=702, bottom=102), conf=85,
                       block=10_000, par=0, line=0, notes=[engine.STAMP_NOTE])
    words = [_stamp_word("เลขรับ", 20, 250), _stamp_word("๖๓๙๗", 280, 600), dot]
    assert [w.text for w in engine._read_serials(grey, words, grey)] == ["เลขรับ", "๖๓๙๗", "7"]


# --------------------------------------------------------------------------- lost pages


def _tsv(left, top, width, height, conf, text="คำ"):
    return tesseract.TsvWord(1, 1, 1, 1, left, top, width, height, conf, text)


def test_ink_covered_counts_the_ink_inside_sure_words():
    grey = np.full((400, 400), 230, np.uint8)
    grey[100:140, 40:360] = 20  # one line of ink, 320 px long
    sure, unsure = _tsv(40, 100, 160, 40, 90.0), _tsv(200, 100, 160, 40, 30.0)
    assert engine.ink_covered(grey, [sure, unsure]) == pytest.approx(0.5, abs=0.02)
    assert engine.ink_covered(grey, [unsure]) == 0.0
    assert engine.ink_covered(np.full((400, 400), 230, np.uint8), []) is None  # blank: nothing to read


def test_thicken_joins_a_stroke_broken_by_one_pixel():
    grey = np.full((40, 80), 255, np.uint8)
    grey[20, 10:40] = grey[20, 41:70] = 0  # a one-pixel stroke with a one-pixel gap
    def count(g):
        return preprocess.components((g < 128).astype(np.uint8))[0] - 1

    assert count(grey) == 2
    assert count(preprocess.thicken(grey)) == 1


def test_despeckle_leaves_print_and_takes_grain():
    grey = np.full((100, 100), 240, np.uint8)
    grey[20:40, 20:30] = 0  # a stroke of 200 px
    grey[60, 60] = grey[70, 80] = grey[90:93, 10:13] = 0  # specks of 1 and 9 px
    out = preprocess.despeckle(grey)
    assert (out[20:40, 20:30] == 0).all()
    assert out[60, 60] == out[70, 80] == 255 and (out[90:93, 10:13] == 255).all()


def _lost_page_reader(readings: dict[str, list]):
    """A fake Tesseract reading the page by its look: 'first' the page as given, 'thick'
    thickened (its one-pixel stroke grown), 'clean' despeckled (its speck gone)."""
    calls = []

    def read(image, **kw):
        a = np.array(image)
        look = "clean" if a[5, 5] == 255 else "thick" if a[51, 20] == 0 else "first"
        calls.append(look)
        return readings[look]
    return read, calls


def _lost_grey():
    grey = np.full((100, 200), 230, np.uint8)
    grey[50, 10:190] = 0  # a thin stroke: thickened, row 51 is ink too
    grey[5, 5] = 0  # a speck: despeckled, it goes
    return grey


def test_a_lost_page_takes_the_reading_again_with_most_sure_characters(monkeypatch):
    first = [_tsv(10, 45, 40, 10, 90.0, "ก")]  # covers a fifth of the stroke
    thick = [_tsv(10, 45, 180, 10, 90.0, "ขอเชิญประชุม")]
    clean = [_tsv(10, 45, 180, 10, 90.0, "ขอเชิญ")]
    read, calls = _lost_page_reader({"first": first, "thick": thick, "clean": clean})
    monkeypatch.setattr(tesseract, "image_to_words", read)
    warnings = []
    grey, rows = engine._read_lost_page(_lost_grey(), first, (300, 300), engine.OCROptions(), warnings)
    assert sorted(calls) == ["clean", "thick"]
    assert rows == thick and grey[51, 20] == 0  # the later passes crop from the thickened page
    assert warnings and "thickened" in warnings[0]


def test_a_lost_page_keeps_its_reading_where_reading_again_gains_little(monkeypatch):
    first = [_tsv(10, 45, 40, 10, 90.0, "ขอเชิญ")]
    again = [_tsv(10, 45, 180, 10, 90.0, "ขอเชิญประชุม")]  # 12 characters: not more than twice 6
    read, _ = _lost_page_reader({"first": first, "thick": again, "clean": again})
    monkeypatch.setattr(tesseract, "image_to_words", read)
    warnings = []
    grey, rows = engine._read_lost_page(_lost_grey(), first, (300, 300), engine.OCROptions(), warnings)
    assert rows == first and grey[51, 20] == 230 and warnings == []


def test_a_page_read_well_is_not_read_again(monkeypatch):
    read, calls = _lost_page_reader({})
    monkeypatch.setattr(tesseract, "image_to_words", read)
    whole = [_tsv(0, 0, 200, 100, 90.0, "ขอเชิญประชุม")]
    _, rows = engine._read_lost_page(_lost_grey(), whole, (300, 300), engine.OCROptions(), [])
    assert calls == [] and rows == whole


def test_a_failing_read_again_keeps_the_first_reading(monkeypatch):
    def fail(*a, **kw):
        raise PageTimeout("tesseract took longer than 1 s")

    monkeypatch.setattr(tesseract, "image_to_words", fail)
    first = [_tsv(10, 45, 40, 10, 90.0, "ก")]
    _, rows = engine._read_lost_page(_lost_grey(), first, (300, 300), engine.OCROptions(), [])
    assert rows == first


def test_a_page_lost_in_grain_is_read_again_despeckled():
    # one pixel in twenty turned to ink: Tesseract's main pass reads nothing of it
    a = np.array(_page().convert("L"))
    a[np.random.default_rng(0).random(a.shape) < 0.05] = 0
    image = Image.fromarray(a)
    image.info["dpi"] = (300, 300)
    result = engine.ocr_image(image, 1)
    assert any("specks removed" in w and "covered 0%" in w for w in result.warnings), result.warnings
    assert "๒๗ มกราคม ๒๕๖๔" in result.text and "เรื่อง ขอเชิญประชุมคณะทำงาน" in result.text
