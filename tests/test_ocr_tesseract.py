"""The Tesseract wrapper: probe, error mapping, TSV/word grouping."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image

from pipeline.errors import MissingDependency, OCRError, PageTimeout
from pipeline.ocr import tesseract


@pytest.fixture(autouse=True)
def _fresh_probe():
    tesseract.probe.cache_clear()
    yield
    tesseract.probe.cache_clear()


def test_probe_names_the_install_command_when_tesseract_is_missing(monkeypatch):
    monkeypatch.setattr(tesseract.shutil, "which", lambda name: None)
    with pytest.raises(MissingDependency) as err:
        tesseract.probe()
    assert "apt-get install tesseract-ocr tesseract-ocr-tha" in str(err.value)
    assert err.value.exit_code == 4


def test_probe_names_the_missing_language(monkeypatch):
    monkeypatch.setattr(tesseract.shutil, "which", lambda name: "/usr/bin/tesseract")

    def fake_run(args, **kw):
        if "--version" in args:
            return b"tesseract 5.3.0\n leptonica-1.82.0\n"
        return b'List of available languages in "/x/tessdata/" (2):\neng\nosd\n'

    monkeypatch.setattr(tesseract, "_run", fake_run)
    with pytest.raises(MissingDependency) as err:
        tesseract.probe()
    assert "tha" in err.value.message
    assert "tesseract-ocr-tha" in err.value.hint


def test_subprocess_timeout_becomes_page_timeout(monkeypatch):
    def boom(*a, **kw):
        raise subprocess.TimeoutExpired(cmd="tesseract", timeout=1)

    monkeypatch.setattr(tesseract.subprocess, "run", boom)
    with pytest.raises(PageTimeout) as err:
        tesseract._run(["tesseract"], timeout=1)
    assert isinstance(err.value.__cause__, subprocess.TimeoutExpired)


def test_nonzero_exit_becomes_ocr_error(monkeypatch):
    def failed(*a, **kw):
        return subprocess.CompletedProcess(a, 1, b"", b"Error: bad image\n")

    monkeypatch.setattr(tesseract.subprocess, "run", failed)
    with pytest.raises(OCRError, match="bad image"):
        tesseract._run(["tesseract"], timeout=1)


def test_runs_single_threaded(monkeypatch):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "4")
    assert tesseract._env()["OMP_THREAD_LIMIT"] == "1"


def _row(line, word, left, text, block=1, par=1):
    return tesseract.TsvWord(block, par, line, word, left, 10, 10, 20, 90.0, text)


def test_group_words_follows_the_spaces_of_the_text():
    rows = [_row(1, 1, 0, "ที"), _row(1, 2, 12, "่"), _row(1, 3, 40, "ม"), _row(1, 4, 52, "ท"),
            _row(2, 1, 0, "๑"), _row(2, 2, 12, "๒")]
    words = tesseract.group_words(rows, "ที่ มท\n๑๒\n")
    assert [w.text for w in words] == ["ที่", "มท", "๑๒"]
    assert (words[1].left, words[1].width) == (40, 22)


def test_group_words_falls_back_to_gaps_when_text_disagrees():
    rows = [_row(1, 1, 0, "ก"), _row(1, 2, 11, "ข"), _row(1, 3, 60, "ค")]
    assert [w.text for w in tesseract.group_words(rows, "something else")] == ["กข", "ค"]


@pytest.mark.tesseract
def test_probe_finds_tha_and_eng():
    info = tesseract.probe()
    assert {"tha", "eng"} <= info.langs
    assert info.version[0].isdigit()


@pytest.mark.tesseract
def test_blank_page_gives_no_words():
    assert tesseract.image_to_words(Image.new("L", (400, 200), 255)) == []


@pytest.mark.parametrize("mode,magic", [("L", b"P5"), ("1", b"P5"), ("RGB", b"P6"), ("RGBA", b"P6"), ("P", b"P6")])
def test_images_go_to_tesseract_as_pnm(mode, magic):
    data = tesseract._pnm(Image.new(mode, (30, 20)))
    assert data.startswith(magic) and b"30 20" in data[:20]


@pytest.mark.parametrize("dpi,expected", [((199.9996, 199.9996), 200), ((300, 300), 300), (None, 300),
                                          ((0, 0), 300), (("x", "y"), 300)])
def test_the_resolution_tesseract_is_told(dpi, expected):
    image = Image.new("L", (10, 10))
    if dpi is not None:
        image.info["dpi"] = dpi
    assert tesseract._dpi(image) == expected


@pytest.mark.tesseract
def test_a_page_is_read_from_pnm_with_its_resolution(tmp_path):
    from PIL import ImageDraw

    image = Image.new("L", (900, 160), 255)
    ImageDraw.Draw(image).text((20, 40), "HELLO 2024", fill=0, font_size=60)
    image.info["dpi"] = (200, 200)
    words = tesseract.image_to_words(image, lang="eng", psm=6)
    assert [w.text for w in words] == ["HELLO", "2024"]


def _thai_page() -> Image.Image:
    import random

    from models import pages
    from pipeline import fonts

    try:
        font = fonts.find("THSarabunNew")
    except LookupError as e:
        pytest.skip(str(e))
    lines = ["ที่ มท ๐๓๐๕.๑/ว ๑๙๖๔", "๒๗ มกราคม ๒๕๖๔", "เรื่อง ขอเชิญประชุมคณะทำงาน", "เรียน ผู้ว่าราชการจังหวัด"]
    image, _ = pages.render_page(lines, str(font.path), random.Random(1), dpi=300, pt=16)
    return image.crop((0, 0, image.width, 900)).convert("L")


@pytest.fixture
def library():
    tesseract._library.cache_clear()
    if tesseract._library() is None:
        pytest.skip("libtesseract cannot be loaded here")
    yield
    tesseract._library.cache_clear()


@pytest.mark.tesseract
def test_the_library_reads_a_page_as_the_binary_does(library):
    image = _thai_page()
    by_binary = tesseract._read_with_binary(image, lang="tha+eng", psm=3, dpi=300, timeout=120)
    in_process = tesseract.InProcess.for_lang("tha+eng").read(image, psm=3, dpi=300, timeout=120)
    assert tesseract.parse_tsv(in_process[0]) == tesseract.parse_tsv(by_binary[0])
    assert in_process[1] == by_binary[1]
    assert "มกราคม" in in_process[1]


@pytest.mark.tesseract
def test_one_engine_per_language_is_kept_loaded(library):
    tha = tesseract.InProcess.for_lang("tha")
    assert tesseract.InProcess.for_lang("tha") is tha
    assert tesseract.InProcess.for_lang("tha+eng") is not tha


@pytest.mark.tesseract
def test_the_binary_on_request(monkeypatch):
    monkeypatch.setenv(tesseract.BACKEND_VARIABLE, "cli")
    tesseract._library.cache_clear()
    try:
        assert tesseract.InProcess.for_lang("tha+eng") is None
        called = []
        original = tesseract._read_with_binary
        monkeypatch.setattr(tesseract, "_read_with_binary", lambda *a, **kw: called.append(1) or original(*a, **kw))
        assert tesseract.image_to_words(Image.new("L", (400, 200), 255)) == []
        assert called
    finally:
        tesseract._library.cache_clear()


@pytest.mark.tesseract
def test_a_page_past_its_deadline_is_a_page_timeout(library):
    with pytest.raises(PageTimeout):
        tesseract.InProcess.for_lang("tha+eng").read(_thai_page(), psm=3, dpi=300, timeout=0.01)
    # the engine reads the next page as usual
    assert "มกราคม" in tesseract.InProcess.for_lang("tha+eng").read(_thai_page(), psm=3, dpi=300, timeout=120)[1]


@pytest.mark.tesseract
def test_tesseracts_notes_stay_off_the_terminal(library, capfd):
    from pathlib import Path

    # a sample scan on which Tesseract notes "Detected 134 diacritics" on its stderr
    scan = Path(__file__).resolve().parents[1] / "samples" / "004_memo.png"
    if not scan.is_file():
        pytest.skip("samples/004_memo.png is missing")
    tesseract.InProcess.for_lang("tha+eng").read(Image.open(scan).convert("L"), psm=3, dpi=200, timeout=120)
    assert "Detected" not in capfd.readouterr().err
