"""Scan damage for rendered pages: what a copier, a fax and a tired toner do to a letter.

Each step is a small function ``step(image, rng, strength) -> image`` on an RGB or L
page that keeps its size and mode; `LEVELS` names which steps a clean, moderate or
heavy scan gets and how hard. `damage(image, level, rng)` applies them in the order a
real page meets them: paper and lighting, toner, skew and warp on the glass, optics
(blur), sensor noise, resolution, then compression or fax thresholding.
"""

from __future__ import annotations

import io
import random
from typing import Callable

import numpy as np
from PIL import Image, ImageFilter

Step = Callable[[Image.Image, random.Random, float], Image.Image]


def _array(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float32)


def _image(array: np.ndarray, mode: str) -> Image.Image:
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), mode)


def tilt(rng: random.Random, strength: float) -> float:
    """The degrees `skew` turns a page by: up to ±3° × strength."""
    return rng.uniform(-3.0, 3.0) * strength


def skew(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Rotate by `tilt`: the page was fed crooked."""
    angle = tilt(rng, strength)
    fill = (255,) * len(image.getbands())
    return image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=fill if len(fill) > 1 else 255)


def warp(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """A slight bend of the sheet: smooth sinusoidal displacement of a few pixels."""
    import cv2

    arr = np.asarray(image)
    h, w = arr.shape[:2]
    amp = (0.002 * h) * strength
    fy, fx = rng.uniform(0.5, 1.5), rng.uniform(0.5, 1.5)
    py, px = rng.uniform(0, 6.3), rng.uniform(0, 6.3)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    map_x = xs + amp * np.sin(2 * np.pi * fy * ys / h + py)
    map_y = ys + amp * np.sin(2 * np.pi * fx * xs / w + px)
    border = (255, 255, 255) if arr.ndim == 3 else 255
    out = cv2.remap(arr, map_x, map_y, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                    borderValue=border)
    return Image.fromarray(out, image.mode)


def blur(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Optics out of focus: Gaussian blur of 0.4-1.4 px × strength (at 300 dpi)."""
    radius = rng.uniform(0.4, 1.4) * strength * image.width / 2480
    return image.filter(ImageFilter.GaussianBlur(radius)) if radius > 0.05 else image


def noise(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Sensor noise plus dust speckle (dark dots) and dropouts (white dots)."""
    gen = np.random.default_rng(rng.getrandbits(32))
    arr = _array(image)
    arr += gen.normal(0, 6 * strength, arr.shape[:2])[..., None] if arr.ndim == 3 else gen.normal(0, 6 * strength, arr.shape)
    h, w = arr.shape[:2]
    for value, share in ((25.0, 0.0004), (255.0, 0.0002)):
        n = int(h * w * share * strength)
        ys, xs = gen.integers(0, h, n), gen.integers(0, w, n)
        arr[ys, xs] = value
    return _image(arr, image.mode)


def illumination(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Grey, slightly yellowed paper lit unevenly: a smooth gradient multiplies the page."""
    arr = _array(image)
    h, w = arr.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    dist = np.hypot((xs - cx) / w, (ys - cy) / h)
    light = 1.0 - strength * (rng.uniform(0.04, 0.10) + rng.uniform(0.08, 0.22) * dist)
    paper = 1.0 - strength * rng.uniform(0.02, 0.08)
    if arr.ndim == 3:
        tint = np.array([1.0, 0.99, 0.95], dtype=np.float32) ** strength
        arr = arr * (light * paper)[..., None] * tint
    else:
        arr = arr * light * paper
    return _image(arr, image.mode)


def faint_toner(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Low toner: ink lightened by up to ~45 % × strength, unevenly down the page."""
    arr = _array(image)
    h = arr.shape[0]
    fade = 1.0 - strength * (rng.uniform(0.15, 0.3) + rng.uniform(0.0, 0.15) * np.linspace(0, 1, h, dtype=np.float32))
    fade = fade[:, None, None] if arr.ndim == 3 else fade[:, None]
    return _image(255 - (255 - arr) * fade, image.mode)


def resample(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Scanned at a lower resolution (down to ~55 % × strength of the size), then scaled back."""
    factor = 1.0 - rng.uniform(0.2, 0.45) * strength
    small = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))),
                         Image.BILINEAR)
    return small.resize(image.size, Image.BILINEAR)


def jpeg(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Compression artefacts: a JPEG round trip at quality 90 (light) down to ~25 (heavy)."""
    quality = int(90 - rng.uniform(40, 65) * strength)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=max(10, quality))
    buf.seek(0)
    return Image.open(buf).convert(image.mode)


def fax(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Fax-like bilevel page: grey to black/white at a noisy threshold (thin strokes break up)."""
    gen = np.random.default_rng(rng.getrandbits(32))
    grey = _array(image.convert("L"))
    threshold = 150 + rng.uniform(-25, 25) * strength + gen.normal(0, 18 * strength, grey.shape)
    bw = np.where(grey < threshold, 0, 255).astype(np.uint8)
    out = Image.fromarray(bw, "L")
    return out if image.mode == "L" else out.convert(image.mode)


#: Registry of damage steps, in the order `damage` applies them.
STEPS: dict[str, Step] = {
    "illumination": illumination,
    "faint_toner": faint_toner,
    "skew": skew,
    "warp": warp,
    "blur": blur,
    "noise": noise,
    "resample": resample,
    "jpeg": jpeg,
    "fax": fax,
}

#: Per level: step name -> (probability the step is applied, strength range).
LEVELS: dict[str, dict[str, tuple[float, tuple[float, float]]]] = {
    "clean": {"skew": (0.5, (0.0, 0.15)), "blur": (0.6, (0.2, 0.5)), "noise": (0.5, (0.2, 0.4))},
    "moderate": {
        "illumination": (0.7, (0.3, 0.7)), "faint_toner": (0.3, (0.3, 0.6)), "skew": (0.9, (0.1, 0.5)),
        "warp": (0.3, (0.3, 0.8)), "blur": (0.9, (0.5, 0.9)), "noise": (0.9, (0.5, 1.0)),
        "resample": (0.3, (0.3, 0.7)), "jpeg": (0.6, (0.2, 0.6)),
    },
    "heavy": {
        "illumination": (0.9, (0.6, 1.0)), "faint_toner": (0.6, (0.6, 1.0)), "skew": (1.0, (0.5, 1.0)),
        "warp": (0.6, (0.6, 1.0)), "blur": (1.0, (0.8, 1.2)), "noise": (1.0, (1.0, 1.6)),
        "resample": (0.6, (0.6, 1.0)), "jpeg": (0.5, (0.6, 1.0)), "fax": (0.35, (0.5, 1.0)),
    },
}


def damage(image: Image.Image, level: str, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """Apply the steps of `level` (clean / moderate / heavy); returns the page and the steps used."""
    if level not in LEVELS:
        raise ValueError(f"unknown damage level {level!r}; valid: {', '.join(LEVELS)}")
    applied = []
    for name, step in STEPS.items():
        chance, (lo, hi) = LEVELS[level].get(name, (0.0, (0.0, 0.0)))
        if rng.random() < chance:
            strength = rng.uniform(lo, hi)
            image = step(image, rng, strength)
            applied.append(f"{name}:{strength:.2f}")
    return image, applied


def clean_background(image: Image.Image) -> Image.Image:
    """A scanner's background removal: stretch so the paper is white, then clip the near-white.

    Real scanners and phone apps do this by default; it also keeps noisy pages small
    enough to commit (a noisy grey 200-dpi page is ~1.8 MB as PNG, ~0.2 MB after this).
    """
    arr = _array(image)
    grey = arr if arr.ndim == 2 else arr.mean(axis=2)
    paper = max(float(np.percentile(grey, 60)), 1.0)
    arr = arr * (255.0 / paper)
    arr[arr > 238] = 255
    return _image(arr, image.mode)


def binarise(image: Image.Image) -> Image.Image:
    """Bilevel ('1') page as a scanner's black-and-white mode makes it: Otsu's threshold on grey.

    A fixed 128 loses thin 200-dpi strokes after blur and faint toner; Otsu (plus a
    small margin towards ink, as scanners bias to keep text) keeps them.
    """
    import cv2

    grey = np.asarray(image.convert("L"))
    otsu, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    level = min(otsu + 15, 230)
    return Image.fromarray(np.where(grey > level, 255, 0).astype(np.uint8), "L").convert("1")
