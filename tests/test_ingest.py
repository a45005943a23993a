"""Input sniffing, decoding and page loading (`pipeline.ingest`, `pipeline.poppler`).

Every awkward file is generated here; nothing binary is checked in.
"""

from __future__ import annotations

import codecs
import inspect
import io
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from pipeline import ingest, poppler
from pipeline.bench.batch import PdfPage, write_pdf
from pipeline.errors import InputError, MissingDependency
from pipeline.ingest import LayerInfo, decode_text, iter_pages, load_page, open_input, trust_text_layer

needs_poppler = pytest.mark.skipif(not poppler.available(), reason="poppler-utils not installed")

LETTER = ("ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗๗", "เรื่อง ขอเชิญประชุม", "เรียน ผู้ว่าราชการจังหวัด")


def scan_image(size=(620, 877)) -> Image.Image:
    """A white page with a few black bars: looks like a 75-dpi scan of a letter."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for y in range(80, 400, 40):
        draw.rectangle((60, y, 500, y + 12), fill=0)
    return image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with no pixel data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def pdf_bytes(tmp_path: Path, pages: list[PdfPage]) -> bytes:
    return write_pdf(tmp_path / "_made.pdf", pages).read_bytes()


def encrypted_pdf(tmp_path: Path) -> bytes:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "_plain.pdf", [PdfPage(lines=LETTER)])
    writer = PdfWriter()
    writer.add_page(PdfReader(plain).pages[0])
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def zero_page_pdf(tmp_path: Path) -> bytes:
    from pypdf import PdfWriter

    buf = io.BytesIO()
    PdfWriter().write(buf)
    return buf.getvalue()


# (name, file name, bytes maker, words the InputError message must contain)
BAD_INPUTS = [
    ("zero-byte", "empty.pdf", lambda tmp: b"", "empty file"),
    ("zero-byte text", "empty.txt", lambda tmp: b"", "empty file"),
    ("corrupt pdf", "corrupt.pdf", lambda tmp: b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "cannot read"),
    ("truncated pdf", "cut.pdf", lambda tmp: pdf_bytes(tmp, [PdfPage(lines=LETTER)] * 3)[:900], "truncated"),
    ("encrypted pdf", "locked.pdf", encrypted_pdf, "encrypted"),
    ("0-page pdf", "nopages.pdf", zero_page_pdf, "no pages"),
    ("unknown binary", "data.bin", lambda tmp: bytes(range(256)) * 4, "binary, not text"),
    ("binary named .txt", "notes.txt", lambda tmp: b"abc\x00\x01\x02def", "binary, not text"),
    ("zip named .pdf", "letter.pdf", lambda tmp: b"PK\x03\x04" + bytes(200), "ZIP archive"),
    ("undecodable text", "bad.txt", lambda tmp: b"hello \x81\x82\xdb\xfc world", "binary, not text"),
    ("control characters", "ctl.txt", lambda tmp: b"a\x01b\x02c\x03d\x04e\x05" * 10, "control characters"),
    ("decompression bomb", "huge.png", lambda tmp: png_header_only(100_000, 100_000), "too large"),
    ("not an image", "fake.png", lambda tmp: b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "not a readable image"),
]


@needs_poppler
@pytest.mark.parametrize("name,filename,make,words", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_a_clear_input_error(tmp_path, name, filename, make, words):
    path = tmp_path / filename
    path.write_bytes(make(tmp_path))
    with pytest.raises(InputError) as caught:
        open_input(path)
    err = caught.value
    assert words in err.message
    assert err.path == str(path)
    assert err.to_dict()["code"] == "bad-input"
    assert err.exit_code == 3


@needs_poppler
def test_encrypted_pdf_says_how_to_decrypt(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf(tmp_path))
    with pytest.raises(InputError) as caught:
        open_input(path)
    assert "qpdf" in caught.value.hint and "--decrypt" in caught.value.hint


def test_truncated_image_fails_on_load(tmp_path):
    buf = io.BytesIO()
    scan_image().save(buf, "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    inp = open_input(path)  # the header is intact
    with pytest.raises(InputError, match="corrupt or truncated"):
        load_page(inp, 1)


def test_bomb_limit_follows_pil_setting(tmp_path, monkeypatch):
    path = tmp_path / "big.png"
    scan_image((400, 300)).save(path)
    assert open_input(path).pages == 1
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 400 * 300 - 1)
    with pytest.raises(InputError, match="too large"):
        open_input(path)


# --------------------------------------------------------------------------- text


TEXT = "ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗๗\nเรื่อง ขอเชิญประชุม 123"

# (encoding name, bytes)
ENCODINGS = [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("utf-16", TEXT.encode("utf-16")),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
    ("tis-620", TEXT.encode("tis-620")),
    ("cp874", TEXT.encode("cp874")),
    ("crlf", TEXT.replace("\n", "\r\n").encode("utf-8")),
]


@pytest.mark.parametrize("name,data", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_text_encodings(tmp_path, name, data):
    path = tmp_path / "letter.txt"
    path.write_bytes(data)
    inp = open_input(path)
    assert (inp.kind, inp.pages) == ("text", 1)
    (item,) = list(iter_pages(inp))
    assert item.image is None
    assert item.text.method == "text"
    assert item.text.text == TEXT


def test_text_pages_split_on_form_feeds(tmp_path):
    path = tmp_path / "two pages.md"
    path.write_text("หน้าหนึ่ง\fหน้าสอง\f", encoding="utf-8")
    inp = open_input(path)
    assert inp.pages == 2
    assert [p.text.text for p in iter_pages(inp)] == ["หน้าหนึ่ง", "หน้าสอง"]
    assert load_page(inp, 2).text.page == 2


def test_blank_text_page_is_flagged(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n", encoding="utf-8")
    (item,) = list(iter_pages(open_input(path)))
    assert "blank page" in item.warnings


def test_sha256_is_of_the_bytes(tmp_path):
    import hashlib

    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode())
    assert open_input(path).sha256 == hashlib.sha256(TEXT.encode()).hexdigest()


thai_text = st.text(
    alphabet=st.sampled_from(list("กขคงจฉชซญฎดตถทธนบปผพภมยรลวศสหอฮะาำิีึืุูเแโใไ่้๊๋์๐๑๒๓๔๕๖๗๘๙ 0123456789abcXYZ.,/()\n")),
    max_size=200,
)


@settings(max_examples=60, deadline=None)
@given(text=thai_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp874"]))
def test_decode_round_trips(text, encoding):
    data = text.encode(encoding)
    if encoding == "cp874":
        # Thai in TIS-620 that is also valid UTF-8 Thai (เธก = E0 B8 A1 = "ก") cannot be told
        # apart; real letters are long enough to break UTF-8 somewhere.
        try:
            assume(not any("\u0e00" <= c <= "\u0e7f" for c in data.decode("utf-8")))
        except UnicodeDecodeError:
            pass
    assert decode_text(text.encode(encoding)) == text


# --------------------------------------------------------------------------- PDF


@needs_poppler
def test_born_digital_pdf_keeps_its_text_layer(tmp_path):
    path = write_pdf(tmp_path / "letter.pdf", [PdfPage(lines=LETTER), PdfPage(lines=("หน้า ๒",))])
    inp = open_input(path)
    assert (inp.kind, inp.pages) == ("pdf", 2)
    items = list(iter_pages(inp))
    assert [i.text.method for i in items] == ["text-layer", "text-layer"]
    assert all(i.image is None for i in items)
    assert items[0].text.text.split("\n")[:3] == list(LETTER)
    assert items[1].text.text.strip() == "หน้า ๒"


@needs_poppler
def test_invisible_text_over_a_scan_is_not_trusted(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [PdfPage(image=scan_image(), lines=("ขยะ OCR garbage",), text_mode=3)])
    item = load_page(open_input(path), 1, dpi=50)
    assert item.text is None
    assert abs(item.image.size[0] - 413) <= 1 and abs(item.image.size[1] - 585) <= 1  # A4 at 50 dpi
    assert any("another tool's OCR" in w for w in item.warnings)


@needs_poppler
def test_visible_text_under_a_page_image_is_not_trusted(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [PdfPage(image=scan_image(), lines=LETTER, text_mode=0)])
    item = load_page(open_input(path), 1, dpi=50)
    assert item.text is None and item.image is not None
    assert any("scanned page image" in w for w in item.warnings)


@needs_poppler
def test_mixed_pdf_decides_per_page(tmp_path):
    pages = [
        PdfPage(lines=LETTER),
        PdfPage(image=scan_image()),
        PdfPage(image=scan_image(), lines=("ocr text",), text_mode=3),
        PdfPage(lines=("สิ่งที่ส่งมาด้วย",)),
    ]
    inp = open_input(write_pdf(tmp_path / "mixed.pdf", pages))
    kinds = [("text" if i.text else "image") for i in iter_pages(inp, dpi=40)]
    assert kinds == ["text", "image", "image", "text"]


@needs_poppler
def test_iter_pages_streams(tmp_path):
    inp = open_input(write_pdf(tmp_path / "a.pdf", [PdfPage(image=scan_image())] * 3))
    pages = iter_pages(inp, dpi=30)
    assert inspect.isgenerator(pages)
    first = next(pages)
    assert first.page == 1 and first.image is not None


@needs_poppler
def test_image_renamed_pdf_is_read_as_an_image(tmp_path):
    path = tmp_path / "scan.pdf"
    scan_image().save(path, format="PNG")
    inp = open_input(path)
    assert inp.kind == "image"
    item = load_page(inp, 1)
    assert item.image.size == (620, 877)
    assert any("named .pdf but its content is PNG" in w for w in item.warnings)


@needs_poppler
def test_owner_password_only_pdf_is_readable(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [PdfPage(lines=LETTER)])
    writer = PdfWriter()
    writer.add_page(PdfReader(plain).pages[0])
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as f:
        writer.write(f)
    item = load_page(open_input(path), 1)
    assert item.text is not None and LETTER[1] in item.text.text


# (info, trusted, warning words)
LAYERS = [
    (LayerInfo(), False, None),
    (LayerInfo(visible_chars=500), True, None),
    (LayerInfo(visible_chars=500, image_cover=0.03), True, None),  # a logo
    (LayerInfo(invisible_chars=500, image_cover=1.0), False, "invisible"),
    (LayerInfo(invisible_chars=500), False, "invisible"),
    (LayerInfo(visible_chars=500, image_cover=0.95), False, "scanned page image"),
    (None, False, "could not inspect"),
]


@pytest.mark.parametrize("info,trusted,words", LAYERS)
def test_trust_text_layer(info, trusted, words):
    ok, why = trust_text_layer(info)
    assert ok is trusted
    if words is None:
        assert why is None
    else:
        assert words in why


def test_missing_poppler_names_the_package(monkeypatch):
    monkeypatch.setattr(poppler.shutil, "which", lambda name: None)
    poppler.probe.cache_clear()
    try:
        with pytest.raises(MissingDependency, match="poppler") as caught:
            poppler.probe()
        assert "apt-get install poppler-utils" in caught.value.hint
    finally:
        poppler.probe.cache_clear()


# --------------------------------------------------------------------------- images


def test_exif_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(image).rectangle((0, 0, 30, 100), fill="black")  # dark strip on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to view"
    path = tmp_path / "phone.jpg"
    image.save(path, "JPEG", exif=exif.tobytes())
    item = load_page(open_input(path), 1)
    assert item.image.size == (100, 300)
    assert item.image.convert("L").getpixel((50, 10)) < 80  # the strip is now on top


def test_multipage_tiff(tmp_path):
    frames = [scan_image((200, 280)), Image.new("L", (210, 290), 255), scan_image((220, 300))]
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    inp = open_input(path)
    assert (inp.kind, inp.pages) == ("image", 3)
    assert [i.image.size for i in iter_pages(inp)] == [(200, 280), (210, 290), (220, 300)]
    assert load_page(inp, 2).image.mode == "L"


@pytest.mark.parametrize("mode", ["1", "P", "RGBA", "CMYK", "I;16", "LA"])
def test_image_modes_become_l_or_rgb(tmp_path, mode):
    image = scan_image((100, 80)).convert(mode)
    path = tmp_path / ("x.tif" if mode in ("CMYK", "I;16") else "x.png")
    image.save(path)
    out = load_page(open_input(path), 1).image
    assert out.mode in ("L", "RGB") and out.size == (100, 80)


def test_load_page_out_of_range(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(ValueError):
        load_page(open_input(path), 2)


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="folder"):
        open_input(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        open_input(tmp_path / "nope.pdf")


def test_page_kind_registry_is_exhaustive():
    assert set(ingest.Kind.__args__) == {"text", "pdf", "image"}
