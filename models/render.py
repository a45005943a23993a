"""Render word crops as a scan would show them, for training and testing the numeral reader.

One rendered word = what Tesseract's word box would cut out of a scanned page:
a font at 14-18 pt and 200-300 dpi, then the damage of paper, pen and scanner
(ink colour, stroke weight, rotation, shear, neighbouring lines, stamp strokes,
low resolution, blur, noise, JPEG, binarisation). Fonts come from `pipeline.fonts`.
Needs PIL with libraqm for correct Thai mark placement.
"""

from __future__ import annotations

import functools
import io
import random
import unicodedata

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont, features

INKS = ((0, 0, 0), (30, 30, 30), (60, 60, 60), (20, 40, 160), (40, 70, 190), (25, 25, 90), (150, 20, 30))


def check_raqm() -> None:
    if not features.check("raqm"):
        raise RuntimeError("PIL has no libraqm: Thai marks would be misplaced; apt-get install libraqm0")


@functools.lru_cache(maxsize=512)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def _draw_text(text: str, font: ImageFont.FreeTypeFont, ink, paper, pad: int) -> tuple[Image.Image, np.ndarray]:
    """The text on paper, and a mask of its own ink (the word box comes from the mask)."""
    left, top, right, bottom = font.getbbox(text)
    w, h = right - left + 2 * pad, bottom - top + 2 * pad
    img = Image.new("RGB", (max(w, 1), max(h, 1)), paper)
    ImageDraw.Draw(img).text((pad - left, pad - top), text, font=font, fill=ink)
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).text((pad - left, pad - top), text, font=font, fill=255)
    return img, np.asarray(mask)


def clusters(text: str) -> list[str]:
    """``text`` cut into what a pen writes in one go: a base character and the marks
    above or below it (Thai vowels and tone marks are combining characters)."""
    out: list[str] = []
    for ch in text:
        if out and unicodedata.category(ch) == "Mn":
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _draw_hand(text: str, font_path: str, size: int, ink, paper, pad: int,
               rng: random.Random) -> tuple[Image.Image, np.ndarray]:
    """``text`` as a pen writes it: every glyph at its own size and height on a wavering
    baseline, unevenly spaced; then the whole word warped a little (`_elastic`), so
    that three hand fonts stand for many hands."""
    parts = []
    for cl in clusters(text):
        font = _font(font_path, max(8, round(size * rng.uniform(0.85, 1.15))))
        parts.append((cl, font, round(size * rng.uniform(-0.07, 0.07)), round(size * rng.uniform(-0.04, 0.12))))
    width = sum(int(f.getlength(cl)) + gap for cl, f, _, gap in parts) + 2 * pad + size
    height = 3 * size + 2 * pad
    img = Image.new("RGB", (max(width, 1), height), paper)
    mask = Image.new("L", img.size, 0)
    x, base = pad, pad + 2 * size
    for cl, font, dy, gap in parts:
        ImageDraw.Draw(img).text((x, base + dy), cl, font=font, fill=ink, anchor="ls")
        ImageDraw.Draw(mask).text((x, base + dy), cl, font=font, fill=255, anchor="ls")
        x += int(font.getlength(cl)) + gap
    grey, m = _elastic(np.asarray(img), np.asarray(mask), rng, size)
    ys, xs = np.nonzero(m > 96)
    if len(xs) == 0:
        return Image.fromarray(grey), m
    y0, y1 = max(0, ys.min() - pad), min(m.shape[0], ys.max() + 1 + pad)
    x0, x1 = max(0, xs.min() - pad), min(m.shape[1], xs.max() + 1 + pad)
    return Image.fromarray(np.ascontiguousarray(grey[y0:y1, x0:x1])), np.ascontiguousarray(m[y0:y1, x0:x1])


def _elastic(img: np.ndarray, mask: np.ndarray, rng: random.Random, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A smooth random displacement of every pixel (Simard et al. 2003): strokes bend
    and loops change shape the way one writer's digits differ from another's."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    h, w = mask.shape
    sigma = size * rng.uniform(0.12, 0.25)
    alpha = size * rng.uniform(0.03, 0.08)
    field = []
    for _ in range(2):
        d = cv2.GaussianBlur(nrng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma)
        field.append(d * (alpha / max(float(np.abs(d).max()), 1e-6)))
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    mx, my = gx + field[0], gy + field[1]
    border = tuple(int(v) for v in img[0, 0]) if img.ndim == 3 else int(img[0, 0])
    out = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return out, cv2.remap(mask, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def render_word(text: str, font_path: str, rng: random.Random, *, clean: bool = False,
                neighbours: tuple[str, ...] = (), hand: bool = False) -> np.ndarray:
    """A grey uint8 crop (ink dark) of ``text`` as a scanned word box.

    ``clean`` skips all damage (still a random size). ``neighbours`` are words that may
    intrude from the lines above and below. ``hand`` (a hand-like font) writes most
    words glyph by glyph with a pen's irregularity (`_draw_hand`).
    """
    dpi = rng.uniform(200, 300)
    size = int(round(rng.uniform(14, 18) * dpi / 72))
    font = _font(font_path, size)
    ink = (0, 0, 0) if clean else rng.choice(INKS)
    paper = (255, 255, 255) if clean else tuple(int(v) for v in np.clip(rng.gauss(240, 10), 190, 255) * np.ones(3))
    pad = size
    if hand and rng.random() < 0.7:
        img, mask = _draw_hand(text, font_path, size, ink, paper, pad, rng)
    else:
        img, mask = _draw_text(text, font, ink, paper, pad)
    draw = ImageDraw.Draw(img)
    if not clean and neighbours and rng.random() < 0.3:
        # the line above or below, so that its marks poke into this word's box
        other = rng.choice(neighbours)
        dy = int(size * rng.uniform(0.75, 1.1)) * rng.choice((-1, 1))
        draw.text((pad + rng.randint(-size, size), pad + dy), other, font=font, fill=ink)
    if not clean and rng.random() < 0.08:
        # a stamp's or a signature's stroke across the word
        col = rng.choice(((40, 60, 200), (200, 40, 40), (20, 20, 120)))
        x0, y0 = rng.randint(0, img.width), rng.randint(0, img.height)
        x1, y1 = rng.randint(0, img.width), rng.randint(0, img.height)
        draw.line((x0, y0, x1, y1), fill=col, width=max(1, size // rng.randint(15, 30)))
    grey = np.asarray(img.convert("L"))
    if not clean:
        grey, mask = _damage(grey, mask, rng, size, paper[0])
    # the word box: ink bounds of the word's own glyphs, loosened or tightened a little
    ys, xs = np.nonzero(mask > 96)
    if len(xs) == 0:
        ys, xs = np.nonzero(mask)
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    m = lambda: int(round(rng.uniform(-0.02, 0.12) * size))  # noqa: E731
    x0, y0, x1, y1 = max(0, x0 - m()), max(0, y0 - m()), min(grey.shape[1], x1 + m()), min(grey.shape[0], y1 + m())
    return np.ascontiguousarray(grey[y0:y1, x0:x1])


def _damage(grey: np.ndarray, mask: np.ndarray, rng: random.Random, size: int, paper: int):
    g = grey
    if rng.random() < 0.6:  # rotation ±2°, shear for slanted hands
        h, w = g.shape
        ang = rng.uniform(-2, 2)
        mat = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
        if rng.random() < 0.3:
            shear = rng.uniform(-0.25, 0.25)
            mat[0, 1] += shear
            mat[0, 2] -= shear * h / 2
        g = cv2.warpAffine(g, mat, (w, h), flags=cv2.INTER_LINEAR, borderValue=int(paper))
        mask = cv2.warpAffine(mask, mat, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    if rng.random() < 0.35:  # toner: strokes thicker or thinner
        k = np.ones((2, 2), np.uint8) if size < 70 else np.ones((3, 3), np.uint8)
        g = cv2.erode(g, k) if rng.random() < 0.6 else cv2.dilate(g, k)
    if rng.random() < 0.6:  # low-resolution scan: down then up again
        f = rng.uniform(0.3, 0.8)
        small = cv2.resize(g, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        g = cv2.resize(small, (g.shape[1], g.shape[0]), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        s = rng.uniform(0.3, 1.6)
        g = cv2.GaussianBlur(g, (0, 0), s)
    if rng.random() < 0.6:
        nrng = np.random.default_rng(rng.randrange(2**32))
        g = np.clip(g.astype(np.float32) + nrng.normal(0, rng.uniform(2, 18), g.shape), 0, 255).astype(np.uint8)
        if rng.random() < 0.3:  # specks
            mask_ = nrng.random(g.shape) < rng.uniform(0.0005, 0.004)
            g = g.copy()
            g[mask_] = rng.choice((0, 255))
    if rng.random() < 0.4:
        ok, buf = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(20, 90)])
        g = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if rng.random() < 0.25:
        _, g = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return g, mask


def to_png(grey: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, format="PNG")
    return buf.getvalue()
