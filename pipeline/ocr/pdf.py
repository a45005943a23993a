"""A searchable PDF: each page image with our words as an invisible text layer.

Tesseract's own PDF renderer would lay down *its* text; ours has the numerals and
marks corrected, so we write the PDF ourselves, the way Tesseract does it: a Type0
font over Tesseract's glyph-less ``pdf.ttf`` (every character one invisible glyph),
text rendering mode 3, each word stretched (``Tz``) over its box, and an identity
ToUnicode map so that copy and search give back our text.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..types import PageText


@dataclass(frozen=True)
class PdfPage:
    jpeg: bytes
    grey: bool
    width_px: int
    height_px: int
    dpi: float
    page: PageText

    @classmethod
    def from_page(cls, image: Image.Image, page: PageText, dpi: float = 300, quality: int = 80) -> "PdfPage":
        grey = image.mode in ("L", "1")
        img = image.convert("L" if grey else "RGB")
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=quality)
        own = image.info.get("dpi")
        return cls(buf.getvalue(), grey, img.width, img.height, float(own[0]) if own else float(dpi), page)


def _glyphless_font() -> bytes | None:
    from .tesseract import probe

    tessdata = probe().tessdata
    path = Path(tessdata) / "pdf.ttf" if tessdata else None
    return path.read_bytes() if path and path.exists() else None


_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _hex(text: str) -> str:
    return text.encode("utf-16-be", "replace").hex().upper()


def _content(p: PdfPage) -> bytes:
    scale = 72.0 / p.dpi
    w_pt, h_pt = p.width_px * scale, p.height_px * scale
    sx = p.width_px / (p.page.width or p.width_px)  # word boxes are in the OCR'd image's pixels
    sy = p.height_px / (p.page.height or p.height_px)
    out = [f"q {w_pt:.2f} 0 0 {h_pt:.2f} 0 0 cm /Im0 Do Q", "BT 3 Tr"]
    for w in p.page.words:
        text = w.text.strip()
        if not text:
            continue
        b = w.box
        height = max(1.0, (b.bottom - b.top) * sy * scale)
        width = max(1.0, (b.right - b.left) * sx * scale)
        size = height
        natural = len(text.encode("utf-16-be")) // 2 * 0.5 * size  # every glyph 500 units wide
        tz = 100.0 * width / natural if natural else 100.0
        x, y = b.left * sx * scale, h_pt - b.bottom * sy * scale
        out.append(f"/F1 {size:.2f} Tf {tz:.2f} Tz 1 0 0 1 {x:.2f} {y:.2f} Tm <{_hex(text)}> Tj")
    out.append("ET")
    return "\n".join(out).encode("ascii")


def write_pdf(pages: list[PdfPage], path: Path) -> None:
    """Write ``pages`` as one PDF at ``path``."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(dict_body: str, data: bytes, compress: bool = True) -> bytes:
        if compress:
            data = zlib.compress(data)
            dict_body += " /Filter /FlateDecode"
        return f"<< {dict_body} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    catalog = add(b"")  # placeholder, filled below
    pages_obj = add(b"")
    font_file = _glyphless_font()
    ff = add(stream(f"/Length1 {len(font_file)}", font_file)) if font_file else None
    cid_map = add(stream("", b"\x00\x01" * 65536))
    to_unicode = add(stream("", _TO_UNICODE))
    descriptor = add((
        "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000] "
        "/ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80"
        + (f" /FontFile2 {ff} 0 R" if ff else "") + " >>").encode())
    cid_font = add((
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /DW 500 /CIDToGIDMap {cid_map} 0 R >>").encode())
    font = add((f"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H "
                f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>").encode())
    kids = []
    for p in pages:
        scale = 72.0 / p.dpi
        img = add(stream(
            f"/Type /XObject /Subtype /Image /Width {p.width_px} /Height {p.height_px} "
            f"/ColorSpace /{'DeviceGray' if p.grey else 'DeviceRGB'} /BitsPerComponent 8 /Filter /DCTDecode",
            p.jpeg, compress=False))
        content = add(stream("", _content(p)))
        kids.append(add((
            f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {p.width_px * scale:.2f} {p.height_px * scale:.2f}] "
            f"/Resources << /XObject << /Im0 {img} 0 R >> /Font << /F1 {font} 0 R >> >> "
            f"/Contents {content} 0 R >>").encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    objects[pages_obj - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>").encode()
    buf = io.BytesIO()
    buf.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(buf.tell())
        buf.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = buf.tell()
    buf.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        buf.write(f"{off:010d} 00000 n \n".encode())
    buf.write(f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    path.write_bytes(buf.getvalue())
