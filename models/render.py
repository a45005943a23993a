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


def render_word(text: str, font_path: str, rng: random.Random, *, clean: bool = False,
                neighbours: tuple[str, ...] = ()) -> np.ndarray:
    """A grey uint8 crop (ink dark) of ``text`` as a scanned word box.

    ``clean`` skips all damage (still a random size). ``neighbours`` are words that may
    intrude from the lines above and below.
    """
    dpi = rng.uniform(200, 300)
    size = int(round(rng.uniform(14, 18) * dpi / 72))
    font = _font(font_path, size)
    ink = (0, 0, 0) if clean else rng.choice(INKS)
    paper = (255, 255, 255) if clean else tuple(int(v) for v in np.clip(rng.gauss(240, 10), 190, 255) * np.ones(3))
    pad = size
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
