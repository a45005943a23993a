"""Lay a synthetic `Letter` out on A4 pages and draw it, keeping the gold text of each line.

Geometry follows the government standard for letters (หนังสือสั่งการ สำนักนายกฯ 2553):
A4, emblem 3 cm high (1.5 cm in a memo) 1.5 cm from the top edge, left margin 3 cm,
right margin 2 cm, body 16 pt with a 2.5 cm first-line indent. Text is shaped with
libraqm (``PIL.features.check('raqm')``) so Thai marks stack the way they print.

A page's gold text is the text of its lines in block order (the ที่ line before the
office address beside it, a stamp where its top edge falls), one line per printed line:
what a perfect OCR would read. Emblem, signature and dotted leaders carry no text.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, field, replace
from typing import Optional

from PIL import Image, ImageDraw, ImageFont, features

from .. import fonts
from ..errors import MissingDependency
from .letters import Block, Letter, Span, StampSpec, digits

CM_PER_INCH = 2.54
A4_CM = (21.0, 29.7)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 3.0, 2.0, 1.5, 2.0
TEXT_WIDTH = A4_CM[0] - MARGIN_LEFT - MARGIN_RIGHT
#: Line pitch of 16 pt TH Sarabun PSK at single spacing: ascent + descent = 1.1 em (~18.4 pt).
LINE_CM = 0.65

#: Numbering stamps print monospaced digits.
STAMP_FAMILY = "TlwgTypewriter"
INKS = {"black": (22, 22, 28), "blue": (28, 52, 165), "red": (190, 32, 45)}
#: Print families weighted towards TH Sarabun PSK, the standard font since 2010.
PRINT_WEIGHTS = {"THSarabun": 8, "THSarabunNew": 4, "Sarabun": 2, "AngsanaNew": 1, "THNiramitAS": 1,
                 "Garuda": 1, "Norasi": 1, "Kinnari": 1, "Loma": 1, "Laksaman": 1}


@dataclass
class Line:
    """One printed line: its gold text and where it stands on the page (pixels)."""

    text: str
    box: tuple[int, int, int, int]


@dataclass
class Page:
    """A rendered page and its gold lines in reading order."""

    image: Image.Image
    lines: list[Line] = field(default_factory=list)
    dpi: int = 300
    steps: list[str] = field(default_factory=list)  # scan damage applied, filled in by the corpus writer

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class FontSet:
    """The print family of a letter, the hand used for pen-written parts and the face of
    the numbering stamp."""

    regular: str
    bold: str
    hand: str
    stamp: str

    @classmethod
    def choose(cls, rng: random.Random) -> "FontSet":
        available = {f.family: f for f in fonts.families()}
        names = [n for n in PRINT_WEIGHTS if n in available] or [next(iter(available))]
        family = rng.choices(names, weights=[PRINT_WEIGHTS.get(n, 1) for n in names])[0]
        regular = available[family].path
        try:
            bold = fonts.find(family, "Bold").path
        except LookupError:
            bold = regular
        hands = fonts.families(handwritten=True) or fonts.families()
        stamp = available.get(STAMP_FAMILY, available[family]).path
        return cls(str(regular), str(bold), str(rng.choice(hands).path), str(stamp))


def raqm_layout() -> ImageFont.Layout:
    """libraqm places Thai above/below marks correctly; the basic layout stacks them badly."""
    if not features.check("raqm"):
        raise MissingDependency(
            "Pillow cannot shape Thai text (no libraqm)",
            hint="apt-get install -y libfribidi0 libraqm0 (Pillow's wheel bundles raqm but loads fribidi)",
        )
    return ImageFont.Layout.RAQM


@functools.lru_cache(maxsize=16)
def _xheight_ratio(path: str) -> float:
    """Height of 'ก' per em: scales every family to the look of TH Sarabun PSK at the same pt."""
    font = ImageFont.truetype(path, 200, layout_engine=raqm_layout())
    top, bottom = font.getbbox("ก")[1::2]
    return (bottom - top) / 200


SARABUN_XHEIGHT = 0.402  # 'ก' height per em in THSarabun-Regular (27/67 px)


@functools.lru_cache(maxsize=256)
def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px, layout_engine=raqm_layout())


class Canvas:
    """Unit conversions and font lookup for one letter at one resolution."""

    def __init__(self, fontset: FontSet, dpi: int):
        self.fonts = fontset
        self.dpi = dpi
        self.width = round(A4_CM[0] / CM_PER_INCH * dpi)
        self.height = round(A4_CM[1] / CM_PER_INCH * dpi)

    def px(self, cm: float) -> int:
        return round(cm / CM_PER_INCH * self.dpi)

    def font(self, span: Span) -> ImageFont.FreeTypeFont:
        if span.hand:
            path = self.fonts.hand
        elif span.stamped:
            path = self.fonts.stamp
        else:
            path = self.fonts.bold if span.bold else self.fonts.regular
        scale = SARABUN_XHEIGHT / _xheight_ratio(path)
        return _font(path, max(6, round(span.size / 72 * self.dpi * scale)))

    def pitch(self, spans: list[Span]) -> int:
        size = max([s.size for s in spans if not s.hand] or [16.0])
        return self.px(LINE_CM * size / 16)


# --------------------------------------------------------------------------- line breaking


@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    """Break points of Thai text (no spaces between words): PyThaiNLP's dictionary segmenter."""
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))


def wrap(text: str, font: ImageFont.FreeTypeFont, first: int, rest: int) -> list[str]:
    """Greedy line breaking at word boundaries; `first`/`rest` are the widths in pixels."""
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        width = first if not lines else rest
        candidate = current + token
        if current and font.getlength(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
            while font.getlength(current) > rest:  # a token wider than a line: break inside it
                cut = max(1, len(current) * rest // max(1, int(font.getlength(current))))
                lines.append(current[:cut])
                current = current[cut:]
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


# --------------------------------------------------------------------------- layout


@dataclass
class _Item:
    """A positioned piece of a block, relative to the block's top (pixels)."""

    spans: list[tuple[Span, int]]  # span and its x from the left margin
    text: str  # gold text of this line ('' for emblem/signature)
    height: int
    kind: str = "text"  # text / garuda / signature
    extent: int = 0  # width of the line in pixels (for right-block alignment)
    dotted_from: Optional[int] = None
    x: int = 0  # centre of an emblem or signature, from the left margin


def _block_items(block: Block, canvas: Canvas) -> list[_Item]:
    """Break a block into lines, each with its spans' x offsets from the left margin."""
    width = canvas.px(TEXT_WIDTH)
    if block.role in ("garuda", "signature"):
        return [_Item([], "", canvas.px(block.height), kind=block.role, x=canvas.px(block.x))]
    pitch = canvas.pitch(block.spans + ([block.label] if block.label else []))
    x0 = canvas.px(block.x)
    if block.role in ("row", "title"):
        items, x, parts = [], x0, []
        for span in block.spans:
            font = canvas.font(span)
            if span.tab is not None:
                x = max(x, canvas.px(span.tab))
            elif parts:
                x += round(font.getlength(" "))
            parts.append((span, x))
            x += round(font.getlength(span.text))
        more: list[str] = []
        last, at = parts[-1]
        if block.role == "row" and x > width and at < width:
            # a memo's ส่วนราชการ too long for the line goes on under its text, as the form
            # is filled in (drawn past the margin, its end was off the page but in the gold text)
            font = canvas.font(last)
            first, *more = wrap(last.text, font, width - at, width - at)
            parts[-1] = (replace(last, text=first), at)
            x = at + round(font.getlength(first))
        text = " ".join(s.text for s, _ in parts if s.text)
        items.append(_Item(parts, text, pitch, extent=x - x0, dotted_from=parts[0][1] if block.dotted else None))
        for line in more:
            items.append(_Item([(replace(last, text=line), at)], line, pitch,
                               extent=at + round(font.getlength(line)) - x0, dotted_from=at if block.dotted else None))
        return _align(items, block, canvas)

    span = block.spans[0]
    font = canvas.font(span)
    label_w = 0
    if block.label is not None or block.tab:
        label_font = canvas.font(block.label) if block.label else font
        label_len = round(label_font.getlength(block.label.text)) if block.label else 0
        label_w = max(canvas.px(block.tab), label_len + round(font.getlength("  ")))
    right_w = round(font.getlength(block.right.text + "  ")) if block.right else 0
    indent = canvas.px(block.indent)
    avail = width if block.align == "centre-at" else width - x0
    first = avail - label_w - indent - right_w
    rest = avail - label_w - right_w
    lines = wrap(span.text, font, first, rest)
    items = []
    for i, line in enumerate(lines):
        x = x0 + label_w + (indent if i == 0 else 0)
        parts = [(replace(span, text=line), x)]
        texts = [line]
        if i == 0 and block.label is not None:
            parts.insert(0, (block.label, x0))
            texts.insert(0, block.label.text)
        if i == len(lines) - 1 and block.right is not None:
            parts.append((block.right, width - round(font.getlength(block.right.text))))
            texts.append(block.right.text)
        extent = x + round(font.getlength(line)) - x0
        items.append(_Item(parts, " ".join(texts), pitch, extent=extent,
                           dotted_from=x0 + label_w if block.dotted else None))
    return _align(items, block, canvas)


def _align(items: list[_Item], block: Block, canvas: Canvas) -> list[_Item]:
    """Centre lines on the block's x where asked (right blocks are aligned as a group later)."""
    if block.align == "centre-at":
        for item in items:
            shift = -item.extent // 2
            item.spans = [(s, x + shift) for s, x in item.spans]
    return items


# --------------------------------------------------------------------------- drawing


def draw_garuda(draw: ImageDraw.ImageDraw, cx: int, top: int, height: int, ink=INKS["black"]) -> None:
    """A simple Garuda emblem: crowned head, outspread feathered wings, body and talons."""
    h = height
    u = h / 100  # drawing units: the emblem is 100 high and ~90 wide

    def pt(x: float, y: float) -> tuple[int, int]:
        return (round(cx + x * u), round(top + y * u))

    for side in (-1, 1):
        # wings: five feathers fanning out and down from the shoulder
        for k in range(5):
            a = math.radians(-35 + k * 20)
            length = 42 - k * 3
            sx, sy = 8 * side, 38 + k * 3
            ex, ey = sx + side * length * math.cos(a), sy + length * math.sin(a) - 12
            draw.polygon([pt(sx, sy - 4), pt(ex, ey), pt(ex - side * 3, ey + 7), pt(sx, sy + 6)], fill=ink)
        # talons
        draw.line([pt(4 * side, 78), pt(12 * side, 94), pt(18 * side, 96)], fill=ink, width=max(2, round(3 * u)))
        # crest flames beside the crown
        draw.polygon([pt(3 * side, 10), pt(14 * side, 4), pt(9 * side, 16)], fill=ink)
    draw.polygon([pt(-3, 10), pt(0, 0), pt(3, 10)], fill=ink)  # crown spire
    draw.ellipse([pt(-7, 10), pt(7, 26)], fill=ink)  # head
    draw.polygon([pt(-2, 22), pt(0, 31), pt(2, 22)], fill=ink)  # beak
    draw.ellipse([pt(-11, 30), pt(11, 70)], fill=ink)  # body
    draw.polygon([pt(-10, 66), pt(0, 86), pt(10, 66)], fill=ink)  # tail
    draw.ellipse([pt(-4, 15), pt(-1, 18)], fill=(255, 255, 255))  # eyes
    draw.ellipse([pt(1, 15), pt(4, 18)], fill=(255, 255, 255))


def draw_scribble(draw: ImageDraw.ImageDraw, rng: random.Random, cx: int, cy: int, w: int, h: int, ink) -> None:
    """A signature: a smooth looping pen curve (sum of sines) with a final flourish."""
    a1, a2 = rng.uniform(0.3, 0.5), rng.uniform(0.1, 0.3)
    f1, f2 = rng.uniform(2.0, 4.0), rng.uniform(5.0, 9.0)
    p1, p2 = rng.uniform(0, 6.3), rng.uniform(0, 6.3)
    loops = rng.uniform(0.04, 0.09)
    points = []
    n = 160
    for i in range(n):
        t = i / (n - 1)
        x = cx - w / 2 + w * t + w * loops * math.sin(t * f2 * 2 * math.pi + p2)
        y = cy + 0.5 * h * (a1 * math.sin(t * f1 * 2 * math.pi + p1) + a2 * math.cos(t * f2 * 2 * math.pi + p2)) - h * 0.2 * t
        points.append((round(x), round(y)))
    width = max(2, round(h / 14))
    draw.line(points, fill=ink, width=width, joint="curve")
    draw.line([(cx - w // 2, cy + h // 3), (cx + w // 2, cy + h // 4 - h // 6)], fill=ink, width=max(1, width - 1))


def _draw_line(draw: ImageDraw.ImageDraw, canvas: Canvas, item: _Item, top: int, rng: random.Random) -> tuple:
    """Draw one text line with its baseline `top + 0.78 pitch`; returns the ink box."""
    left = canvas.px(MARGIN_LEFT)
    base = top + round(item.height * 0.78)
    box = [10 ** 9, 10 ** 9, -1, -1]
    for span, x in item.spans:
        if not span.text:
            continue
        font = canvas.font(span)
        dy = rng.randint(-canvas.px(0.06), canvas.px(0.06)) if span.hand or span.stamped else 0
        xy = (left + x, base + dy)
        draw.text(xy, span.text, font=font, fill=INKS[span.ink], anchor="ls")
        l, t, r, b = draw.textbbox(xy, span.text, font=font, anchor="ls")
        box = [min(box[0], l), min(box[1], t), max(box[2], r), max(box[3], b)]
    if item.dotted_from is not None:  # dotted leader under a memo field, as in the official template
        y = base + canvas.px(0.12)
        step = canvas.px(0.12)
        r = max(1, canvas.px(0.012))
        for x in range(left + item.dotted_from, left + canvas.px(TEXT_WIDTH), step):
            draw.ellipse([x - r, y - r, x + r, y + r], fill=INKS["black"])
    return tuple(box)


def draw_stamp(image: Image.Image, canvas: Canvas, spec: StampSpec, at: tuple[int, int], rng: random.Random) -> Line:
    """Press a receipt stamp: a ruled rectangle in stamp ink, values by pen, slightly rotated."""
    pitch = canvas.px(0.62)
    pad = canvas.px(0.25)
    width = canvas.px(5.6)
    height = pad * 2 + pitch * len(spec.lines)
    layer = Image.new("RGBA", (width + 2 * pad, height + 2 * pad), (255, 255, 255, 0))
    draw = ImageDraw.Draw(layer)
    ink = INKS[spec.ink] + (255,)
    draw.rectangle([pad, pad, pad + width, pad + height], outline=ink, width=max(2, canvas.px(0.05)))
    texts = []
    for i, spans in enumerate(spec.lines):
        base = pad + pad + pitch * i + round(pitch * 0.8)
        x = pad + pad
        if i:
            draw.line([(pad, pad + pad // 2 + pitch * i), (pad + width, pad + pad // 2 + pitch * i)], fill=ink, width=1)
        for span in spans:
            font = canvas.font(span)
            if span.text:
                draw.text((x, base), span.text, font=font, fill=INKS[span.ink] + (255,), anchor="ls")
            x += round(font.getlength(span.text)) + canvas.px(0.3 if not span.hand else 0.2)
        texts.append(" ".join(s.text for s in spans))
    angle = rng.uniform(-4, 4)
    layer = layer.rotate(angle, resample=Image.BICUBIC, expand=True)
    # ink multiplies with the paper: darken, never lighten what is under it
    under = image.crop((at[0], at[1], at[0] + layer.width, at[1] + layer.height)).convert("RGB")
    from PIL import ImageChops

    ink_only = Image.new("RGB", layer.size, (255, 255, 255))
    ink_only.paste(layer, mask=layer.split()[3])
    image.paste(ImageChops.multiply(under, ink_only), at)
    return Line("\n".join(texts), (at[0], at[1], at[0] + layer.width, at[1] + layer.height))


# --------------------------------------------------------------------------- pages


def _continuation(next_text: str) -> str:
    """The cue printed at the foot of a page: '/ทั้งนี้...' from the next page's first words."""
    words = [t for t in _tokens(next_text) if t.strip()]
    return "/" + "".join(words[:2]) + "..."


def render_letter(letter: Letter, *, dpi: int = 300, rng: Optional[random.Random] = None,
                  fontset: Optional[FontSet] = None) -> list[Page]:
    """Draw `letter` on as many A4 pages as it needs; each page keeps its gold lines."""
    rng = rng or random.Random(0)
    fontset = fontset or FontSet.choose(rng)
    canvas = Canvas(fontset, dpi)
    laid = [(_block_items(b, canvas), b) for b in letter.blocks]
    _align_right_blocks(laid, canvas)
    pages = _paginate(laid, canvas, 1.0)
    if len(pages) > 1 and len(pages[-1]) <= 10:
        # a typist squeezes the spacing rather than send a page with just the signature
        tight = _paginate(laid, canvas, 0.75)
        pages = tight if len(tight) < len(pages) else pages
    cues = [_continuation(next((it.text for it, _ in nxt if it.text), "")) for nxt in pages[1:]] + [None]
    return [_draw_page(canvas, letter, placed, n, cue, rng) for n, (placed, cue) in enumerate(zip(pages, cues), 1)]


def _align_right_blocks(laid: list[tuple[list[_Item], Block]], canvas: Canvas) -> None:
    """Consecutive right-block blocks (office name, address) share one left edge, flush right."""
    width = canvas.px(TEXT_WIDTH)
    i = 0
    while i < len(laid):
        j = i
        while j < len(laid) and laid[j][1].align == "right-block":
            j += 1
        if j > i:
            group = [item for items, _ in laid[i:j] for item in items]
            shift = width - max(item.extent for item in group)
            for item in group:
                item.spans = [(s, x + shift) for s, x in item.spans]
        i = max(j, i + 1)


def _paginate(laid: list[tuple[list[_Item], Block]], canvas: Canvas, squeeze: float) -> list[list[tuple[_Item, int]]]:
    """Place items top to bottom, breaking pages; `squeeze` < 1 shrinks the space between blocks."""
    bottom = canvas.height - canvas.px(MARGIN_BOTTOM)
    pitch = canvas.pitch([Span("")])
    pages: list[list[tuple[_Item, int]]] = [[]]
    y = prev_top = canvas.px(MARGIN_TOP)
    for i, (items, block) in enumerate(laid):
        if block.beside:
            y_block = prev_top + canvas.px(block.dy)
        else:
            y_block = y + round(block.space_before * pitch * squeeze) if pages[-1] else y
        chain = 0  # keep a chain (closing, signature, name, positions) on one page
        for items_j, block_j in laid[i:]:
            chain += sum(it.height for it in items_j)
            if not block_j.keep_with_next:
                break
        if block.keep_with_next and y_block + chain > bottom and pages[-1]:
            pages.append([])
            y_block = _page_top(canvas, len(pages))
        block_top = y_block
        for item in items:
            if y_block + item.height > bottom and pages[-1]:
                pages.append([])
                y_block = _page_top(canvas, len(pages))
                if item is items[0]:
                    block_top = y_block
            pages[-1].append((item, y_block))
            y_block += item.height
        prev_top = block_top
        y = max(y, y_block) if block.beside else y_block
    return pages


def _page_top(canvas: Canvas, number: int) -> int:
    """Following pages start two lines down, under their '- ๒ -' page number."""
    return canvas.px(MARGIN_TOP) + canvas.px(LINE_CM) * 2


def _draw_page(canvas: Canvas, letter: Letter, placed: list[tuple[_Item, int]], number: int, cue: Optional[str],
               rng: random.Random) -> Page:
    image = Image.new("RGB", (canvas.width, canvas.height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    page = Page(image, dpi=canvas.dpi)
    left = canvas.px(MARGIN_LEFT)
    if number > 1:  # '- ๒ -' centred at the head of every following page
        page.lines.append(_draw_free(draw, canvas, digits(f"- {number} -", letter.digit_style), "centre",
                                     canvas.px(MARGIN_TOP), rng))
    for item, y in placed:
        if item.kind == "garuda":
            draw_garuda(draw, left + item.x, y, item.height)
        elif item.kind == "signature":
            ink = INKS[rng.choice(("blue", "blue", "black"))]
            draw_scribble(draw, rng, left + item.x, y + item.height // 2, canvas.px(4.0), item.height, ink)
        else:
            page.lines.append(Line(item.text, _draw_line(draw, canvas, item, y, rng)))
    if cue:  # '/ทั้งนี้...' at the foot, flush right: the first words of the next page
        page.lines.append(_draw_free(draw, canvas, cue, "right", canvas.height - canvas.px(MARGIN_BOTTOM), rng))
    if number == 1 and letter.stamp is not None:
        _press_stamp(page, canvas, letter.stamp, rng)
    return page


def _draw_free(draw: ImageDraw.ImageDraw, canvas: Canvas, text: str, align: str, top: int,
               rng: random.Random) -> Line:
    span = Span(text)
    extent = round(canvas.font(span).getlength(text))
    x = (canvas.px(TEXT_WIDTH) - extent) // 2 if align == "centre" else canvas.px(TEXT_WIDTH) - extent
    item = _Item([(span, x)], text, canvas.px(LINE_CM), extent=extent)
    return Line(text, _draw_line(draw, canvas, item, top, rng))


def _press_stamp(page: Page, canvas: Canvas, spec: StampSpec, rng: random.Random) -> None:
    """Stamp the first page: in the top-right margin, or over the header text when `spec.overlap`."""
    right = canvas.width - canvas.px(MARGIN_RIGHT)
    if spec.overlap:
        at = (rng.randint(canvas.px(10.0), right - canvas.px(6.2)), rng.randint(canvas.px(3.5), canvas.px(8.0)))
    else:
        at = (right - canvas.px(6.2) + rng.randint(-canvas.px(0.3), canvas.px(0.3)),
              rng.randint(canvas.px(0.3), canvas.px(0.8)))
    line = draw_stamp(page.image, canvas, spec, at, rng)
    position = next((i for i, l in enumerate(page.lines) if l.box[1] > line.box[1]), len(page.lines))
    page.lines.insert(position, line)
