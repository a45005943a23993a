"""Input files → pages: the first stage.

`open_input` sniffs a file by its bytes (never its name), hashes it and counts its
pages; `iter_pages` streams its pages one at a time and `load_page` fetches one
page by number (what the batch runner's page workers call). Each page comes out
as a `PageItem` carrying either text (plain-text files, trusted PDF text layers)
or an image to OCR — never both.

What is read how:

- text (UTF-8, UTF-8 with BOM, UTF-16 with BOM, TIS-620/cp874): one page, or one
  page per form feed; method ``text``;
- PDF: page by page through poppler (`pipeline.poppler`). A page keeps its text
  layer (method ``text-layer``) only when that text is born-digital: visible glyphs
  and no page-sized image under them. Invisible text (render mode 3/7) or text
  over a scan is another tool's OCR, which we measured at 6-99 % character error
  (``../shared/design/ocr-notes.md``, "Text layers that lie"), so such a page is
  rendered at ``dpi`` and OCRed by us;
- images: PNG, JPEG, TIFF (all frames), also BMP, GIF, WebP; EXIF orientation is
  applied; images larger than ``PIL.Image.MAX_IMAGE_PIXELS`` are refused.

Every problem with a file raises `InputError` with a message saying what is wrong.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal, Optional

from PIL import Image, ImageOps, UnidentifiedImageError

from . import poppler
from .errors import InputError
from .types import PageText

Kind = Literal["text", "pdf", "image"]

#: Image formats sniffed by signature: name, magic bytes at offset 0.
IMAGE_MAGIC = (
    ("PNG", b"\x89PNG\r\n\x1a\n"),
    ("JPEG", b"\xff\xd8\xff"),
    ("TIFF", b"II*\x00"),
    ("TIFF", b"MM\x00*"),
    ("BMP", b"BM"),
    ("GIF", b"GIF87a"),
    ("GIF", b"GIF89a"),
)
#: Other formats people drop in a scans folder, named so the error says what it is.
OTHER_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (a .docx/.xlsx/.odt document?)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc/.xls)"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
)

#: Acrobat accepts ``%PDF-`` anywhere in the first 1024 bytes and ``%%EOF`` in the last 1024.
PDF_HEAD = 1024
PDF_TAIL = 1024

#: A page whose images cover at least this share of it is a scan, whatever text sits on it.
#: Born-digital letters carry a Garuda emblem or logo of a few percent; scans cover ~100 %.
SCAN_COVER = 0.8
#: Share of private-use / replacement characters above which a text layer is unreadable
#: (PDFs made with old Thai fonts map shifted tone marks to U+F700-U+F71A).
MAX_UNREADABLE = 0.1
#: Control characters (other than tab, newlines, form feed) tolerated in a text file.
MAX_CONTROL = 0.01


@dataclass(frozen=True)
class InputFile:
    """An input file that can be read: its kind by content, its hash and page count."""

    path: Path
    kind: Kind
    sha256: str
    pages: int
    #: problems that do not stop reading, e.g. a PNG named ``.pdf``
    warnings: tuple[str, ...] = ()


@dataclass
class PageItem:
    """One page: ``text`` when the file gave us text, else ``image`` to OCR."""

    page: int
    text: Optional[PageText]
    image: Optional[Image.Image]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- sniffing


def sniff(head: bytes) -> tuple[Kind, str] | None:
    """(kind, format) for recognised binary formats, ``None`` for maybe-text."""
    if b"%PDF-" in head[:PDF_HEAD]:
        return "pdf", "PDF"
    for name, magic in IMAGE_MAGIC:
        if head.startswith(magic):
            return "image", name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "WEBP"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_input(path: Path | str) -> InputFile:
    """Sniff, hash and count the pages of ``path``; raise `InputError` if it cannot be read."""
    path = Path(path)
    where = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(PDF_HEAD)
    except IsADirectoryError as e:
        raise InputError("is a folder, not a file", path=where) from e
    except FileNotFoundError as e:
        raise InputError("no such file", path=where) from e
    except OSError as e:
        raise InputError(f"cannot read the file: {e.strerror or e}", path=where) from e
    if size == 0:
        raise InputError("empty file (0 bytes)", hint="the copy or scan did not finish", path=where)

    sniffed = sniff(head)
    notes: list[str] = []
    if sniffed is None:
        kind, fmt = "text", "text"
        pages = len(_text_pages(path))
    elif sniffed[0] == "pdf":
        kind, fmt = sniffed
        pages = _pdf_pages(path, size)
    else:
        kind, fmt = sniffed
        pages = _image_frames(path, fmt)
    expected = _kind_of_suffix(path.suffix)
    if expected and expected != kind:
        notes.append(f"file is named {path.suffix} but its content is {fmt}; read as {fmt}")
    return InputFile(path=path, kind=kind, sha256=_sha256(path), pages=pages, warnings=tuple(notes))


def _kind_of_suffix(suffix: str) -> Kind | None:
    suffix = suffix.lower()
    if suffix in (".txt", ".md"):
        return "text"
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"):
        return "image"
    return None


# --------------------------------------------------------------------------- text files


def decode_text(data: bytes, *, where: str | None = None) -> str:
    """Decode a text file: BOMs first, then UTF-8, then TIS-620/cp874. Newlines become ``\\n``."""
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8):], "utf-8", where)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", where)
    else:
        if b"\x00" in data:
            raise _not_text(data, where, "it contains NUL bytes")
        try:
            text = data.decode("utf-8")
            if _tis620_in_disguise(data, text):
                text = data.decode("cp874")
        except UnicodeDecodeError:
            # cp874 is TIS-620 plus a few Windows punctuation marks: the legacy Thai encodings.
            text = _decode(data, "cp874", where)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\f\v") or c == "\x7f")
    if controls > MAX_CONTROL * max(len(text), 1):
        raise _not_text(data, where, f"{controls} control characters")
    return text


def _tis620_in_disguise(data: bytes, text: str) -> bool:
    """Short TIS-620 text can be valid UTF-8 (ยก = C2 A1 = '¡'): Latin-1 letters, no Thai."""
    if any("\u0e00" <= c <= "\u0e7f" for c in text) or not any("\x80" <= c <= "\u07ff" for c in text):
        return False
    try:
        return any("\u0e00" <= c <= "\u0e7f" for c in data.decode("cp874"))
    except UnicodeDecodeError:
        return False


def _decode(data: bytes, encoding: str, where: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise _not_text(data, where, f"not UTF-8, UTF-16 or TIS-620 (byte {e.start})") from e


def _not_text(data: bytes, where: str | None, why: str) -> InputError:
    for magic, name in OTHER_MAGIC:
        if data.startswith(magic):
            return InputError(f"unsupported file: {name}", hint="give PDF, image or text files", path=where)
    return InputError(f"binary, not text: {why}", hint="give PDF, image or text files", path=where)


def _text_pages(path: Path) -> list[str]:
    return list(_decoded_pages(path, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=4)
def _decoded_pages(path: Path, mtime_ns: int) -> tuple[str, ...]:
    # Page workers ask for one page at a time: decode a long text file once, not once a page.
    text = decode_text(path.read_bytes(), where=str(path))
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():  # a trailing form feed ends the last page
        pages.pop()
    return tuple(pages)


def _text_page(inp: InputFile, page: int) -> PageItem:
    text = _text_pages(inp.path)[page - 1]
    notes = [] if text.strip() else ["blank page"]
    return PageItem(page=page, text=PageText(page=page, text=text, method="text", warnings=notes), image=None,
                    warnings=list(notes))


# --------------------------------------------------------------------------- PDF


def _pdf_pages(path: Path, size: int) -> int:
    where = str(path)
    with path.open("rb") as f:
        f.seek(max(0, size - PDF_TAIL))
        tail = f.read()
    if b"%%EOF" not in tail:
        raise InputError(
            "truncated PDF: no %%EOF marker at the end", hint="the download or copy was cut short; copy it again",
            path=where,
        )
    fields = poppler.pdfinfo(path)
    pages = int(fields.get("Pages", "0") or 0)
    if pages == 0:
        raise InputError("the PDF has no pages", path=where)
    return pages


@dataclass(frozen=True)
class LayerInfo:
    """What a PDF page's content stream draws: text by visibility, and image cover."""

    visible_chars: int = 0
    invisible_chars: int = 0
    image_cover: float = 0.0  # largest share of the page one image covers (0..1)


def trust_text_layer(info: LayerInfo | None) -> tuple[bool, str | None]:
    """Whether a page's text layer is born-digital text, and if not, a warning why not."""
    if info is None:
        return False, "could not inspect the page's text layer; page read by OCR"
    total = info.visible_chars + info.invisible_chars
    if total == 0:
        return False, None  # a plain scan: nothing to distrust
    if info.invisible_chars > info.visible_chars:
        return False, "invisible text layer ignored (another tool's OCR); page read by OCR"
    if info.image_cover >= SCAN_COVER:
        return False, "text layer over a scanned page image ignored (another tool's OCR); page read by OCR"
    return True, None


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: tuple, n: tuple) -> tuple:
    """m × n for PDF matrices [a b c d e f] (row vectors: apply m, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def inspect_pdf_page(page) -> LayerInfo:
    """Walk a pypdf page's content (and its form XObjects) for text modes and image sizes."""
    from pypdf.generic import ContentStream

    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    page_w, page_h = float(box.width), float(box.height)
    page_area = max(page_w * page_h, 1.0)
    counts = {"visible": 0, "invisible": 0}
    cover = 0.0

    def image_share(ctm: tuple) -> float:
        xs, ys = [], []
        for x, y in ((0, 0), (1, 0), (0, 1), (1, 1)):
            xs.append(x * ctm[0] + y * ctm[2] + ctm[4] - left)
            ys.append(x * ctm[1] + y * ctm[3] + ctm[5] - bottom)
        w = max(0.0, min(max(xs), page_w) - max(min(xs), 0.0))
        h = max(0.0, min(max(ys), page_h) - max(min(ys), 0.0))
        return w * h / page_area

    def walk(stream, resources, ctm: tuple, depth: int) -> None:
        nonlocal cover
        if depth > 8:  # forms that draw themselves
            return
        xobjects = resources.get("/XObject", {}) if resources else {}
        xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
        stack: list[tuple] = []
        mode = 0
        for operands, op in ContentStream(stream, page.pdf).operations:
            if op == b"q":
                stack.append((ctm, mode))
            elif op == b"Q" and stack:
                ctm, mode = stack.pop()
            elif op == b"cm" and len(operands) == 6:
                ctm = _mul(tuple(float(v) for v in operands), ctm)
            elif op == b"Tr" and operands:
                mode = int(operands[0])
            elif op in (b"Tj", b"'", b'"', b"TJ") and operands:
                arg = operands[-1]
                n = sum(len(s) for s in arg if isinstance(s, (str, bytes))) if op == b"TJ" else len(arg)
                counts["invisible" if mode in (3, 7) else "visible"] += n
            elif op == b"INLINE IMAGE":
                cover = max(cover, image_share(ctm))
            elif op == b"Do" and operands and operands[0] in xobjects:
                xobj = xobjects[operands[0]].get_object()
                subtype = xobj.get("/Subtype")
                if subtype == "/Image":
                    cover = max(cover, image_share(ctm))
                elif subtype == "/Form":
                    matrix = tuple(float(v) for v in xobj.get("/Matrix", _IDENTITY))
                    walk(xobj, xobj.get("/Resources", resources), _mul(matrix, ctm), depth + 1)

    contents = page.get_contents()
    if contents is not None:
        walk(contents, page.get("/Resources"), _IDENTITY, 0)
    return LayerInfo(visible_chars=counts["visible"], invisible_chars=counts["invisible"], image_cover=round(cover, 4))


def _layer_info(path: Path, page: int) -> tuple[LayerInfo | None, tuple[float, float] | None]:
    """The page's layer info and size in points; (None, None) when pypdf cannot parse it."""
    try:
        from pypdf import PdfReader

        # A file object, not a path: given a path pypdf reads the whole file into memory,
        # once per page task (a 200-page scan PDF is hundreds of MB).
        with warnings.catch_warnings(), path.open("rb") as fh:
            warnings.simplefilter("ignore")
            reader = PdfReader(fh)
            if reader.is_encrypted:
                reader.decrypt("")  # owner-password only: poppler opened it too
            pdf_page = reader.pages[page - 1]
            box = pdf_page.cropbox
            size = (float(box.width), float(box.height))
            if int(pdf_page.get("/Rotate", 0) or 0) % 180:
                size = size[::-1]
            return inspect_pdf_page(pdf_page), size
    except Exception:  # noqa: BLE001 - any parse failure means "do not trust, render it"
        return None, None


def _unreadable_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF)
    return bad / len(chars)


def _pdf_page(inp: InputFile, page: int, dpi: int, timeout: float | None) -> PageItem:
    notes = list(inp.warnings) if page == 1 else []
    info, size = _layer_info(inp.path, page)
    trusted, why = trust_text_layer(info)
    if why:
        notes.append(why)
    if trusted:
        text = poppler.page_text(inp.path, page, timeout=timeout)
        if not text.strip():
            notes.append("text layer is empty; page read by OCR")
        elif _unreadable_share(text) > MAX_UNREADABLE:
            notes.append("text layer unreadable (private-use or broken characters); page read by OCR")
        else:
            pt = PageText(page=page, text=text, method="text-layer", warnings=list(notes))
            return PageItem(page=page, text=pt, image=None, warnings=notes)
    render_dpi = dpi
    if size is not None:
        pixels = (size[0] / 72 * dpi) * (size[1] / 72 * dpi)
        limit = Image.MAX_IMAGE_PIXELS
        if limit and pixels > limit:
            render_dpi = max(1, int(dpi * math.sqrt(limit / pixels)))
            notes.append(f"page is {size[0] / 72:.0f}x{size[1] / 72:.0f} in; rendered at {render_dpi} dpi, not {dpi}")
    image = poppler.render_page(inp.path, page, render_dpi, timeout=timeout)
    return PageItem(page=page, text=None, image=image, warnings=notes)


# --------------------------------------------------------------------------- images


def _open_image(path: Path) -> Image.Image:
    where = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise _bomb(where, str(e)) from e
    except UnidentifiedImageError as e:
        raise InputError("not a readable image (corrupt or unsupported format)", path=where) from e
    except OSError as e:
        raise InputError(f"not a readable image (corrupt or truncated: {e})", path=where) from e
    _check_size(image, where)
    return image


def _bomb(where: str, detail: str) -> InputError:
    return InputError(
        f"image too large to open safely ({detail})",
        hint="a decompression-bomb guard: scale the scan down, or raise PIL.Image.MAX_IMAGE_PIXELS",
        path=where,
    )


def _check_size(image: Image.Image, where: str) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    w, h = image.size
    if limit and w * h > limit:
        raise _bomb(where, f"{w}x{h} = {w * h:,} pixels, limit {limit:,}")


def _image_frames(path: Path, fmt: str) -> int:
    image = _open_image(path)
    with image:
        return int(getattr(image, "n_frames", 1) or 1)


def _image_page(inp: InputFile, page: int) -> PageItem:
    where = str(inp.path)
    notes = list(inp.warnings) if page == 1 else []
    image = _open_image(inp.path)
    try:
        with image:
            if page > 1 or getattr(image, "n_frames", 1) > 1:
                image.seek(page - 1)
                _check_size(image, where)
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.load()
                out = ImageOps.exif_transpose(image)
            if out.mode not in ("L", "RGB"):
                out = out.convert("RGBA" if "A" in out.mode or "transparency" in out.info else "RGB")
                if out.mode == "RGBA":  # transparent background: put it on white paper
                    paper = Image.new("RGB", out.size, "white")
                    paper.paste(out, mask=out.getchannel("A"))
                    out = paper
            elif out is image:
                out = image.copy()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise _bomb(where, str(e)) from e
    except EOFError as e:
        raise InputError(f"image has no frame {page}", path=where) from e
    except OSError as e:
        raise InputError(f"corrupt or truncated image: {e}", path=where) from e
    return PageItem(page=page, text=None, image=out, warnings=notes)


# --------------------------------------------------------------------------- pages


def load_page(inp: InputFile, page: int, dpi: int = 300, *, timeout: float | None = None) -> PageItem:
    """Page ``page`` (1-based) of ``inp``; ``dpi`` applies to PDF pages rendered for OCR.

    ``timeout`` bounds each poppler call (`PageTimeout` when exceeded).
    """
    if not 1 <= page <= inp.pages:
        raise ValueError(f"page {page} out of range 1..{inp.pages}")
    if inp.kind == "text":
        item = _text_page(inp, page)
        if page == 1 and inp.warnings:
            item.warnings[:0] = inp.warnings
        return item
    if inp.kind == "pdf":
        return _pdf_page(inp, page, dpi, timeout)
    return _image_page(inp, page)


def iter_pages(inp: InputFile, dpi: int = 300, *, timeout: float | None = None) -> Iterator[PageItem]:
    """Every page of ``inp`` in order, one in memory at a time."""
    for page in range(1, inp.pages + 1):
        yield load_page(inp, page, dpi, timeout=timeout)


__all__ = [
    "InputFile", "PageItem", "LayerInfo", "open_input", "iter_pages", "load_page", "decode_text",
    "sniff", "trust_text_layer", "inspect_pdf_page",
]

