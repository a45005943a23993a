"""The OCR engine end to end on small rendered pages, and the `circulars ocr` command."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

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
    from pipeline import fonts

    try:
        font = fonts.find(family)
    except LookupError as e:
        pytest.skip(str(e))
    image, _ = pages.render_page(lines, str(font.path), random.Random(1), dpi=300, pt=16)
    return image.crop((0, 0, image.width, 900))


def _w(text, block, par, line, left=0):
    return engine._Word(text=text, raw=text, box=Box(left=left, top=0, right=left + 10, bottom=10), conf=90,
                        block=block, par=par, line=line)


@pytest.mark.parametrize("text,wanted", [
    ("๑๙๖๔", True), ("ซ", True), ("on", True), ("พ.ศ.๒๕๖๔", True), ("ที่", True),
    ("(e-Service)", False), ("OSS)", False),  # English words: the reader turns S into 5
    (".", False), (":", False),  # punctuation alone, blown up, looks like ๑
    ("ด้วยจังหวัดมุกดาหารได้รับแจ้ง", False),  # long pure Thai run
])
def test_which_words_the_numeral_reader_checks(text, wanted):
    assert engine.wants_numeral_check(text) is wanted


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
