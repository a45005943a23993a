"""Render whole letter pages with known text, to measure OCR (``python -m models.evaluate``).

Text comes from ``../shared/seeds`` (real circulars) with table markup removed, plus
lines dense in numbers; pages are A4 at 300 dpi, optionally damaged like a 200-dpi
scan (down-sampled, blurred, noisy, JPEG, slightly tilted, a pen-filled serial).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import render, textgen

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
          "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


@dataclass
class Page:
    image: Image.Image
    text: str  # gold: rendered lines joined by "\n"
    font: str
    damaged: bool


def seed_lines(seeds: Path = SEEDS) -> list[str]:
    """Lines of the seed circulars, table pipes and markdown rules removed."""
    out = []
    for path in sorted(seeds.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"[|]+", " ", line)
            line = re.sub(r"-{3,}", " ", line)
            line = re.sub(r"\s+", " ", line).strip(" -")
            if len(line) >= 2:
                out.append(line)
    return out


def number_line(rng: random.Random) -> str:
    """A header-like line dense in numbers, as in circular headers and references."""
    d = lambda n: textgen._digits(rng, n, True)  # noqa: E731
    agency = rng.choice(textgen.AGENCIES)
    day, year = str(rng.randint(1, 31)).translate(textgen._TO_THAI), "๒๕" + d(2)
    return rng.choice((
        f"ที่ {agency} ๐{d(3)}.{d(1)}/ว {d(rng.randint(2, 5))}",
        f"{day} {rng.choice(MONTHS)} {year}",
        f"อ้างถึง หนังสือ{rng.choice(('กรม', 'จังหวัด', 'กระทรวง'))} ที่ {agency} ๐{d(3)}.{d(1)}/ว {d(4)} ลงวันที่ {day} {rng.choice(MONTHS)} {year}",
        f"โทร. ๐ {d(4)} {d(4)} โทรสาร ๐ {d(4)} {d(4)}",
        f"ภายในวันที่ {day} {rng.choice(MONTHS)} {year} เวลา {d(2)}.{d(2)} น.",
        f"จำนวน {d(rng.randint(1, 3))} ชุด งบประมาณ {d(rng.randint(1, 3))},{d(3)} บาท",
    ))


def _wrap(text: str, font, width: int) -> list[str]:
    lines, cur = [], ""
    for tok in text.split(" "):
        trial = f"{cur} {tok}" if cur else tok
        if font.getlength(trial) <= width:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        cur = tok
        while font.getlength(cur) > width:  # a long Thai run: break between clusters
            cut = len(cur) - 1
            while cut > 1 and (font.getlength(cur[:cut]) > width or _is_mark(cur[cut])):
                cut -= 1
            lines.append(cur[:cut])
            cur = cur[cut:]
    if cur:
        lines.append(cur)
    return lines


def _is_mark(ch: str) -> bool:
    return ch in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e\u0e33"


def render_page(lines: list[str], font_path: str, rng: random.Random, *, dpi: int = 300, pt: float = 16,
                damaged: bool = False) -> tuple[Image.Image, str]:
    """An A4 page of ``lines`` (wrapped) and the text as rendered."""
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    font = render._font(font_path, int(round(pt * dpi / 72)))
    margin_l, margin_r, top = int(1.2 * dpi), int(0.8 * dpi), int(0.8 * dpi)
    step = int(font.size * 1.45)
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    y = top
    gold: list[str] = []
    for para in lines:
        for line in _wrap(para, font, w - margin_l - margin_r):
            if y + step > h - int(0.8 * dpi):
                break
            draw.text((margin_l, y), line, font=font, fill=(0, 0, 0))
            gold.append(line)
            y += step
        y += step // 3
    if damaged:
        img = _scan(img, rng, dpi)
    return img, "\n".join(gold)


def _scan(img: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """Like a 200-dpi office scan rendered back at 300 dpi."""
    g = np.asarray(img.convert("L"))
    h, w = g.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-0.8, 0.8), 1.0)
    g = cv2.warpAffine(g, m, (w, h), borderValue=255)
    f = 200 / dpi
    g = cv2.resize(cv2.resize(g, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), (w, h), interpolation=cv2.INTER_CUBIC)
    g = cv2.GaussianBlur(g, (0, 0), 0.8)
    nrng = np.random.default_rng(rng.randrange(2**32))
    g = np.clip(g.astype(np.float32) * 0.9 + 20 + nrng.normal(0, 8, g.shape), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, 60])
    return Image.fromarray(cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE))


def make_pages(fonts: list, n: int, seed: int = 7, damaged_share: float = 0.5) -> list[Page]:
    rng = random.Random(seed)
    lines = seed_lines()
    pages = []
    for i in range(n):
        font = fonts[i % len(fonts)]
        start = rng.randrange(max(1, len(lines) - 30))
        body = [number_line(rng) for _ in range(4)] + lines[start : start + 22]
        rng.shuffle(body)
        damaged = rng.random() < damaged_share
        image, text = render_page(body, str(font.path), rng, pt=rng.uniform(15, 17), damaged=damaged)
        pages.append(Page(image=image, text=text, font=font.family, damaged=damaged))
    return pages
