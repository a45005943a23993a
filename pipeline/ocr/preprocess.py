"""Page clean-up before Tesseract: grey, upright, straight, large enough.

Kept steps (see models/README.md for the measurements behind each):

- grey: one channel (ITU-R 601 luma), so blue pen and red stamps stay dark ink;
- ``orient``: Tesseract OSD, only for landscape pages (an A4 letter scanned sideways);
  OSD costs a second Tesseract call (~0.6 s), so portrait pages skip it. Measured on a
  rendered page turned 90°: CER 89.8 % plain → 10.3 % (the upright page: 10.8 %);
  turned 270°, Tesseract coped alone (10.8 % → 10.3 %);
- ``deskew``: search over ±8° for the angle that puts the centres of the page's letters
  into the fewest rows (`skew_angle`; an ink row profile until the nineteenth session);
  rotate from 1° on. At first only from 3° (on one rendered page tilted 1° and one
  2.5° Tesseract's own line finding did as well without it); measured later on the 62
  heavily damaged pages of bench-corpus (tilts up to ±2.5°), rotating from 1° took CER
  7.6 % → 7.1 %, Thai-digit error 9.2 % → 7.9 % and stamps F1 0.36 → 0.47 (letters
  with number and date both right 35 → 34 of 46: one letter's noise either way);
- ``rescale``: pages under 250 dpi are scaled up to 300 dpi (Tesseract's ``tha`` model
  is tuned for an x-height of 20-30 px). Measured on 6 pages of the 200-dpi scan
  samples, Tesseract alone: CER 12.9 % → 12.2 %, digit error 31.7 % → 31.1 %, for
  +10 % time. Small, but the numeral reader also gets larger crops.

- ``find_rules`` / ``remove_rules`` (called by the engine, not by ``prepare``): long
  horizontal and vertical strokes are painted white and stamp-shaped frames reported;
  on the scan samples a stamp frame over the header made Tesseract drop the date,
  เรื่อง and เรียน lines of samples/007 p1 (CER of that page 21.7 % → 17.5 % with the
  stamp pass, models/README.md).

Binarisation and denoising are left to Tesseract (its Otsu threshold did as well as
ours on our pages, and a wrong threshold erases pen strokes) — except on a page of a few
lines on grey, speckled paper (`flatten_paper`): there Otsu's threshold falls inside the
paper's own noise, half the page turns to ink, and Tesseract read nothing at all (3 of
84 pages of the seed-2028 scan set: a letter's last page with only its owner unit) —
and on a page the main pass lost (`engine.LOST_COVER`), which is read again thickened
(`thicken`: print worn thin and broken) and despeckled (`despeckle`: grain all over
the paper).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from ..types import Box

A4_WIDTH_IN = 8.27
MIN_DPI = 250  # below this we scale up
TARGET_DPI = 300
MIN_SKEW = 1.0  # degrees (module docstring)


@dataclass(frozen=True)
class Prepared:
    """The image Tesseract reads, and how to map its boxes back to the source image."""

    image: Image.Image  # mode L
    scale: float = 1.0  # prepared px per source px
    angle: float = 0.0  # degrees the source was rotated (counter-clockwise) to straighten it
    rotate: int = 0  # quarter turns (clockwise degrees) applied first by OSD
    source_size: tuple[int, int] = (0, 0)
    source: Image.Image | None = field(default=None, repr=False, compare=False)  # the image given

    def chroma_in(self, box: Box) -> np.ndarray | None:
        """`chroma` of the source under ``box`` (prepared-image pixels), at the prepared
        image's scale and straightness; None for a page scanned in grey or black and white."""
        if self.source is None or self.source.mode in GREY_MODES:
            return None
        h, w = box.bottom - box.top, box.right - box.left
        if h <= 0 or w <= 0:
            return np.zeros((max(h, 0), max(w, 0)), np.uint8)
        if self.rotate or self.angle:  # rare: the whole page turned as the grey one was
            page = Image.fromarray(chroma(np.asarray(self.source.convert("RGB"))))
            if self.rotate:
                page = page.rotate(-self.rotate, expand=True)
            c = cv2.resize(np.asarray(page), self.image.size, interpolation=cv2.INTER_LINEAR)
            if self.angle:
                c = rotate(c, self.angle, fill=0)
            return c[box.top : box.bottom, box.left : box.right]
        sw, sh = self.source.size
        left, top = max(0, int(box.left / self.scale)), max(0, int(box.top / self.scale))
        right, bottom = min(sw, math.ceil(box.right / self.scale)), min(sh, math.ceil(box.bottom / self.scale))
        if right <= left or bottom <= top:
            return np.zeros((h, w), np.uint8)
        c = chroma(np.asarray(self.source.crop((left, top, right, bottom)).convert("RGB")))
        return cv2.resize(c, (w, h), interpolation=cv2.INTER_LINEAR) if c.shape != (h, w) else c

    @property
    def grey(self) -> np.ndarray:
        return np.asarray(self.image)

    def to_source(self, box: Box) -> Box:
        """A box in prepared-image pixels → the same region in the source image."""
        w, h = self.image.size
        pts = np.array([[box.left, box.top], [box.right, box.top], [box.left, box.bottom], [box.right, box.bottom]], float)
        if self.angle:
            a = math.radians(self.angle)
            c, s = math.cos(a), math.sin(a)
            cx, cy = w / 2, h / 2
            dx, dy = pts[:, 0] - cx, pts[:, 1] - cy
            # inverse of cv2's counter-clockwise rotation about the centre
            pts = np.stack([cx + c * dx - s * dy, cy + s * dx + c * dy], axis=1)
        pts = pts / self.scale
        sw, sh = self.source_size
        if self.rotate:
            rw, rh = (sh, sw) if self.rotate in (90, 270) else (sw, sh)
            x, y = pts[:, 0], pts[:, 1]
            if self.rotate == 90:  # prepared = source turned 90° clockwise
                pts = np.stack([y, rw - x], axis=1)
            elif self.rotate == 180:
                pts = np.stack([rw - x, rh - y], axis=1)
            else:
                pts = np.stack([rh - y, x], axis=1)
        left, top = pts.min(axis=0)
        right, bottom = pts.max(axis=0)
        sw, sh = self.source_size or (10**9, 10**9)
        clamp = lambda v, hi: int(round(min(max(v, 0), hi)))  # noqa: E731
        return Box(left=clamp(left, sw), top=clamp(top, sh), right=clamp(right, sw), bottom=clamp(bottom, sh))


def grey(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        bg = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(bg, image)
    return image.convert("L")


def estimate_dpi(image: Image.Image) -> float:
    """The image's dpi: its own metadata if plausible, else from an A4 page's width."""
    dpi = image.info.get("dpi")
    if dpi and 70 <= float(dpi[0]) <= 1200:
        return float(dpi[0])
    short = min(image.size)
    return short / A4_WIDTH_IN


def _small_ink(g: np.ndarray, *, paper_split: bool = True) -> np.ndarray:
    """``g`` at most 1000 px on its long side, as an ink mask: Otsu's, or with
    ``paper_split``, where Otsu splits the paper itself, ink darker than `_paper_level`
    (as in `flatten_paper`)."""
    small = g
    f = 1000 / max(g.shape)
    if f < 1:
        small = cv2.resize(g, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    otsu, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    level = _paper_level(small, otsu) if paper_split else None
    if level is not None:
        ink = np.where(small < level, 255, 0).astype(np.uint8)
    return ink


def _best_angle(score, at_least: float, coarse_step: float, fine_step: float) -> float:
    """The angle in ±8° that maximises ``score``: a coarse search, then a fine one around
    its best. With ``at_least``, 0.0 as soon as the coarse search shows the tilt is smaller
    than that (the fine search then costs time for nothing)."""
    coarse = max(np.arange(-8, 8.001, coarse_step), key=score)
    if abs(coarse) + coarse_step < at_least:  # the fine search stays within a step of it
        return 0.0
    return float(max(np.arange(coarse - coarse_step, coarse + coarse_step + 1e-6, fine_step), key=score))


#: Ink taller than this share of the page is not a letter (`skew_angle`).
TALL_INK = 0.04
#: Height of the bins (px on the page scaled to 1000 px) letters' centres are counted in.
CENTRE_BIN = 2.0


def skew_angle(g: np.ndarray, *, at_least: float = 0.0) -> float:
    """The rotation (degrees, counter-clockwise) that levels the page's text lines: the
    angle at which the centres of its letters (each connected piece of ink) fall into the
    fewest rows, each piece counting once.

    Letters, not ink: the ink row-profile measure this replaced (`rule_angle`) weighs
    each piece by its pixels. On a sparse last page it levelled the long stroke under a
    signature, or put two blocks side by side in line with each other (seed 2027's 029
    p2 and p4, tilted 1.6° and 1.2°, were "levelled" by -6.5° and -7.9° and read at CER
    68 % and 51 %; now without an error); a receipt stamp's frame pressed 4° askew
    outweighed faint text (seed 2029's 029 p1, straight, was turned 4°). Pieces taller
    than `TALL_INK` of the page (stamp frames, the emblem, page edges) and specks are left
    out. Measured against the tilt the scan sets were given (five seed sets, 415 pages):
    errors of 0.8° or more 13 → 2, the largest 6.7° → 0.9° (models/README.md, nineteenth
    session). The pieces' feet did as well on those pages but read every tilt of a
    rendered strip 0.35° too steep."""
    ink = _small_ink(g)
    h, w = ink.shape
    _, _, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, area = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    letters = (height >= 3) & (height <= TALL_INK * h) & (area >= 6)
    if letters.sum() < 20:  # blank, or nothing a line can be measured by
        return 0.0
    x = centres[1:, 0][letters] - w / 2
    y = centres[1:, 1][letters] - h / 2

    def score(a: float) -> float:
        t = math.radians(a)
        rise = -x * math.sin(t) + y * math.cos(t)
        rows = np.bincount(((rise - rise.min()) / CENTRE_BIN).astype(np.int64))
        return float(np.square(rows, dtype=np.float64).sum())

    return _best_angle(score, at_least, 0.25, 0.05)


def rule_angle(g: np.ndarray, *, at_least: float = 0.0) -> float:
    """The rotation (degrees, counter-clockwise) that levels the long strokes of ``g``:
    the angle whose row profile of ink is sharpest. For a receipt stamp's crop, whose
    ruled frame and rows say how it was pressed."""
    ink = _small_ink(g, paper_split=False)
    if ink.mean() < 0.5:  # blank
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def score(a: float) -> float:
        m = cv2.getRotationMatrix2D(centre, a, 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    return _best_angle(score, at_least, 0.5, 0.1)


def rotate(g: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    h, w = g.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(g, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


#: Modes of a page scanned without colour.
GREY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "F"})


#: Chroma (0-255) from which ink counts as coloured: a stamp's red or blue, a pen's blue.
#: Black print and its JPEG fringes stayed under 20 on the colour scans of the bench
#: corpus; faded stamp ink on its damaged pages measured 20-60, clean stamps 60-160.
COLOUR_MIN = 24


def chroma(rgb: np.ndarray) -> np.ndarray:
    """How coloured each pixel is (uint8, 0 for black, grey and white): max minus min of
    its channels, after a 3x3 blur (JPEG's colour fringes) and a white balance that makes
    the paper white (a scanner's or an old page's tint is not colour)."""
    smooth = cv2.blur(rgb, (3, 3)).astype(np.float32)
    paper = np.percentile(smooth.reshape(-1, 3)[::7], 95, axis=0)
    balanced = np.minimum(smooth * (255.0 / np.maximum(paper, 1.0)), 255.0)
    return (balanced.max(axis=2) - balanced.min(axis=2)).astype(np.uint8)


def prepare(image: Image.Image, *, orient: bool = True, deskew: bool = True, rescale: bool = True,
            timeout: float = 60.0) -> Prepared:
    """The page made ready for Tesseract (see the module docstring for each step)."""
    source_size = image.size
    img = grey(image)
    quarter = 0
    if orient and img.width > img.height:
        from ..errors import OCRError
        from .tesseract import orientation

        try:
            quarter = orientation(img, timeout=timeout).rotate
        except OCRError:  # OSD has no opinion on this page: read it as it is
            quarter = 0
        if quarter:
            img = img.rotate(-quarter, expand=True)
    scale = 1.0
    if rescale:
        dpi = estimate_dpi(image)
        if dpi < MIN_DPI:
            scale = TARGET_DPI / dpi
            img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
    g = np.asarray(img)
    angle = skew_angle(g, at_least=MIN_SKEW) if deskew else 0.0
    if abs(angle) >= MIN_SKEW:
        g = rotate(g, angle)
    else:
        angle = 0.0
    g = flatten_paper(g)
    out = Image.fromarray(g)
    out.info["dpi"] = (TARGET_DPI, TARGET_DPI) if scale != 1.0 else image.info.get("dpi", (TARGET_DPI, TARGET_DPI))
    return Prepared(image=out, scale=scale, angle=angle, rotate=quarter, source_size=source_size, source=image)


#: Otsu's threshold has split the paper, not ink from paper, when more than this share
#: of the page falls on the ink side: letters cover 3-12 % of a page; on the scan sets
#: no page of text came above 0.15, and the sparse pages on grey paper were at 0.48-0.50.
SPLIT_PAPER = 0.25


def flatten_paper(g: np.ndarray) -> np.ndarray:
    """A page whose Otsu threshold falls inside the paper's noise (a few lines of text
    on grey, speckled paper) with its paper made white: pixels lighter than halfway
    between the paper (the median) and the ink (the darkest 0.1 %) become 255, the ink
    keeps its greys. Any other page is returned as it is."""
    sample = np.ascontiguousarray(g[::4, ::4])
    otsu, _ = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    level = _paper_level(sample, otsu)
    if level is None:
        return g
    return np.where(g > level, 255, g).astype(np.uint8)


def _paper_level(sample: np.ndarray, otsu: float) -> float | None:
    """Where Otsu's threshold (``otsu``) of ``sample`` splits the paper itself (more
    than `SPLIT_PAPER` of it on the ink side), the grey halfway between the paper (the
    median) and the ink (the darkest 0.1 %); None where it does not."""
    if (sample <= otsu).mean() <= SPLIT_PAPER:
        return None
    paper, ink = np.percentile(sample, [50, 0.1])
    return (paper + ink) / 2


# --------------------------------------------------------------------------- pages read again

#: Ink components smaller than this (px, at 300 dpi) are specks to `despeckle`. On the
#: one dithered page measured (seed 2030's 004 p2, read at CER 100 %), under 8 px left
#: CER 14 %, under 12 px 11 %, under 20 px 6.5 % (30 px the same). The price: a full stop
#: or tone mark of 16-pt TH Sarabun New rendered clean is 14-19 px and goes too
#: (other faces' are 40-75 px), on a page that was otherwise lost.
SPECK_AREA = 20


def ink_mask(g: np.ndarray) -> np.ndarray:
    """The page's ink by Otsu's threshold (bool), as Tesseract splits it."""
    _, ink = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink > 0


def thicken(g: np.ndarray) -> np.ndarray:
    """Every stroke a pixel wider on each side (a 3 × 3 minimum filter): thin, broken
    print (worn toner, a light scan) joined up again. For a page the main pass lost
    (`engine.LOST_COVER`) only: on a page of normal print it can run letters together."""
    return cv2.erode(g, np.ones((3, 3), np.uint8))


def despeckle(g: np.ndarray) -> np.ndarray:
    """The page without ink specks smaller than `SPECK_AREA`: the grain of a dithered
    or dusty scan, which Tesseract took for text and lost the page in.
    For a page the main pass lost (`engine.LOST_COVER`)."""
    _, labels, stats, _ = components(ink_mask(g).astype(np.uint8))
    small = stats[:, cv2.CC_STAT_AREA] < SPECK_AREA
    small[0] = False  # the background
    out = g.copy()
    out[small[labels]] = 255
    return out


def unprepared(image: Image.Image) -> Prepared:
    """The page as it is, only made grey."""
    return Prepared(image=grey(image), source_size=image.size, source=image)


# --------------------------------------------------------------------------- ruled lines and stamps

#: A ruled line is a straight ink run at least this share of the page width (1/16: 155 px
#: on an A4 page at 300 dpi). Thai letters are under 60 px wide at 16 pt; the receipt
#: stamps in our samples are about 1/3 of the page wide and 1/12 high.
RULE_FRACTION = 1 / 16
#: Strokes this thick (px at half size) are blobs, not rules: a
#: stamp frame or table border is 2-6 px at 300 dpi, but where text touches it (a stamp
#: over a letter) the run is a letter wider; the Garuda emblem's bars are 50+ px.
THICK = 21
#: Rows (columns) of thickening, at half size, before a stamp's frame is looked for.
STAMP_THICKEN = 5


@dataclass(frozen=True)
class Rules:
    """Long horizontal and vertical strokes on a page (table borders, stamp frames)."""

    mask: np.ndarray  # uint8, 255 where a ruled line's ink is
    stamps: tuple[Box, ...]  # ruled rectangles shaped like a receipt stamp, inside the frame


def find_rules(g: np.ndarray) -> Rules:
    """Ruled lines by morphological opening with long thin kernels (as for table borders).

    A receipt stamp's frame overlapping a letter's header made Tesseract's layout
    analysis drop whole lines (samples/007 p1 lost its date, เรื่อง and เรียน lines).
    """
    h, w = g.shape
    # Found at half size (4x fewer pixels to open); ink is thickened across the stroke
    # first so that a frame tilted by a skewed or warped scan (samples/007: under 1°)
    # still holds one unbroken run per row.
    # threshold before shrinking: a 2-px rule averaged to half size turns light grey
    _, full = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = np.where(cv2.resize(full, (w // 2, h // 2), interpolation=cv2.INTER_AREA) > 0, 255, 0).astype(np.uint8)
    length = max(10, int(RULE_FRACTION * w / 2))
    hor, ver = _thin_runs(ink, 3, length)
    # keep only the page's ink under the found strokes, at full size
    lines = cv2.resize(cv2.dilate(hor | ver, np.ones((3, 3), np.uint8)), (w, h), interpolation=cv2.INTER_NEAREST)
    mask = lines & (g < 128).astype(np.uint8) * 255
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    # a stamp is pressed askew (2-4°): its frame is looked for with the ink thickened
    # more, so that each side still holds one unbroken run (seed 2030's 002: 2.5°, no
    # stamp found and its words read among the letter's)
    frame_h, frame_v = _thin_runs(ink, STAMP_THICKEN, length)
    stamps = [Box(left=2 * b.left, top=2 * b.top, right=2 * b.right, bottom=2 * b.bottom)
              for b in _stamps(frame_h, frame_v, w // 2, h // 2)]
    dots = cv2.dilate(dotted_leaders(full), np.ones((3, 3), np.uint8))  # and their grey rims
    return Rules(mask=mask | dots, stamps=tuple(stamps))


def _thin_runs(ink: np.ndarray, thicken: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """The horizontal and vertical runs of ``ink`` at least ``length`` px long, each
    stroke thickened by ``thicken`` px across first (so that a tilted one stays one run),
    without the runs inside solid blobs: a rule is thin, and long runs inside the Garuda
    emblem or a black bar, erased, left fragments Tesseract read as letters."""
    hor = cv2.morphologyEx(cv2.dilate(ink, np.ones((thicken, 1), np.uint8)), cv2.MORPH_OPEN,
                           cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    ver = cv2.morphologyEx(cv2.dilate(ink, np.ones((1, thicken), np.uint8)), cv2.MORPH_OPEN,
                           cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    hor &= ~cv2.morphologyEx(hor, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, THICK)))
    ver &= ~cv2.morphologyEx(ver, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (THICK, 1)))
    return hor, ver


def components(ink: np.ndarray, connectivity: int = 8):
    """``cv2.connectedComponentsWithStats`` of ``ink`` (n, labels, stats, centroids).

    16-bit labels where they suffice: on a 300-dpi page that halved the time (20 ms
    against 46 ms); a speckled page with more components than 16 bits hold makes
    OpenCV refuse, and is labelled again with 32 bits.
    """
    try:
        return cv2.connectedComponentsWithStats(ink, connectivity=connectivity, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStats(ink, connectivity=connectivity, ltype=cv2.CV_32S)


#: A dot of a dotted leader, px at 300 dpi (a tone mark is taller than this).
DOT_MAX = 10
#: Dots in a row, each within DOT_REACH px of the next, before they count as a leader.
DOT_MIN_RUN = 12
DOT_REACH = 45


def dotted_leaders(ink: np.ndarray) -> np.ndarray:
    """Dotted leaders, as under the fields of a memo (``ที่ ........ วันที่ ........``):
    rows of at least DOT_MIN_RUN small dots, evenly spaced. ``ink``: 255 where ink is,
    on a 300-dpi page. Returns a mask of their pixels.

    Tesseract took a memo's dotted lines for text joining its lines: ``ที่ ทส ๑๖๐๔.๓/
    ๗๒๒๓ วันที่ ๑๑ ต.ค. ๒๕๕๔`` merged into the line above, its ``ที่`` and date lost
    (bench-corpus 018). The long-kernel opening of `find_rules` does not see them:
    there is more paper than ink along the row. A dot links to the nearest dot ahead of
    it, at most DOT_REACH px on and a fifth of that up or down (a leader on a page
    tilted under `MIN_SKEW` drifts), the cheapest links taken first; a leader is a run
    of a chain whose gaps are near the chain's median gap: tone marks and specks in a
    row are never that regular.
    """
    _, labels, stats, centres = components(ink)
    small = (stats[:, cv2.CC_STAT_WIDTH] <= DOT_MAX) & (stats[:, cv2.CC_STAT_HEIGHT] <= DOT_MAX)
    small &= stats[:, cv2.CC_STAT_AREA] >= 2
    small[0] = False
    dots = np.nonzero(small)[0]
    mask = np.zeros(ink.shape, np.uint8)
    if len(dots) < DOT_MIN_RUN:
        return mask
    dots = dots[np.argsort(centres[dots, 0])]
    xs, ys = centres[dots, 0], centres[dots, 1]
    # candidate links, cheapest first: a leader's own dots (14 px apart, level) link
    # before a speck beside it can take one of them
    index = np.arange(len(dots))
    ends = np.searchsorted(xs, xs + DOT_REACH, side="right")
    firsts, seconds, costs = [], [], []
    for k in range(1, int((ends - index).max())):
        i = index[index + k < ends]
        j = i + k
        dx, dy = xs[j] - xs[i], np.abs(ys[j] - ys[i])
        ok = (dx >= 2) & (dy <= 2 + dx / 5)
        firsts.append(i[ok])
        seconds.append(j[ok])
        costs.append((dx + 3 * dy)[ok])
    nxt = np.full(len(dots), -1)
    has_prev = np.zeros(len(dots), bool)
    if costs:
        order = np.argsort(np.concatenate(costs), kind="stable")
        for i, j in zip(np.concatenate(firsts)[order].tolist(), np.concatenate(seconds)[order].tolist()):
            if nxt[i] < 0 and not has_prev[j]:
                nxt[i], has_prev[j] = j, True
    leaders: list[int] = []
    for i in range(len(dots)):
        if has_prev[i]:
            continue
        chain = [i]
        while nxt[chain[-1]] >= 0:
            chain.append(int(nxt[chain[-1]]))
        if len(chain) < DOT_MIN_RUN:
            continue
        # the runs of the chain whose gaps are near its median gap
        gaps = np.diff(xs[chain])
        median = float(np.median(gaps))
        run = [chain[0]]
        for k, gap in enumerate(gaps):
            if 0.65 * median <= gap <= 1.5 * median:
                run.append(chain[k + 1])
                continue
            if len(run) >= DOT_MIN_RUN:
                leaders += [int(dots[m]) for m in run]
            run = [chain[k + 1]]
        if len(run) >= DOT_MIN_RUN:
            leaders += [int(dots[m]) for m in run]
    for k in leaders:  # each dot painted within its own box, not a pass over the page
        x, y, bw, bh = stats[k, :4]
        box = labels[y : y + bh, x : x + bw] == k
        mask[y : y + bh, x : x + bw][box] = 255
    return mask


def _stamps(hor: np.ndarray, ver: np.ndarray, w: int, h: int) -> list[Box]:
    """Rectangles closed by ruled lines on four sides, of a receipt stamp's size."""
    frame = cv2.dilate(hor | ver, np.ones((5, 5), np.uint8))
    n, _, stats, _ = components(frame)
    out: list[Box] = []
    for x, y, bw, bh, _area in stats[1:n]:
        if not (w / 7 <= bw and h / 40 <= bh):  # too small even with what runs on past it
            continue
        # the frame's own sides: a stroke that meets the frame and runs on past it (a
        # heading's underline, a rule the stamp was pressed against) widens the piece
        # without being a side (seed 2030's 038: the stamp's bottom row ran on into
        # ``บันทึกข้อความ`` and its left side was looked for outside the frame)
        box = _frame_sides(hor[y : y + bh, x : x + bw], ver[y : y + bh, x : x + bw], max(3, bh // 10))
        if box is None:
            continue
        # the frame as its piece would be alone (2 px of dilation round the strokes' outer
        # edges), the inside a tenth of its height in from that
        left, top, right, bottom = box[0] - 2, box[1] - 2, box[2] + 3, box[3] + 3
        bw, bh = right - left, bottom - top
        # stamps are 1/6-1/2 of the page wide, 1/30-1/6 of it high (pipeline.synth, real memos)
        if not (w / 7 <= bw <= w / 2 and h / 40 <= bh <= h / 5 and bw > bh):
            continue
        inset = max(3, bh // 10)
        out.append(Box(left=int(x + left + inset), top=int(y + top + inset), right=int(x + right - inset),
                       bottom=int(y + bottom - inset)))
    return out


#: The share of a frame's side that its ruled stroke must cover.
FRAME_SIDE = 0.6


def _frame_sides(hor: np.ndarray, ver: np.ndarray, band: int) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the frame in a piece of ruled lines, or None: the
    outer edges of its sides, which are the outermost bands of ``band`` columns (rows)
    within the outer third of the piece where a vertical (horizontal) stroke covers
    FRAME_SIDE of its height (width); the top and bottom are measured between the
    sides found."""

    def sides(strokes: np.ndarray) -> tuple[int, int] | None:
        on = strokes > 0
        # for each offset o: the share of rows with ink within columns [o, o + band)
        sums = np.concatenate([np.zeros((on.shape[0], 1), np.int32), np.cumsum(on, axis=1, dtype=np.int32)], axis=1)
        cover = ((sums[:, band:] - sums[:, :-band]) > 0).mean(axis=0)
        third = max(1, len(cover) // 3)
        first = np.nonzero(cover[:third] >= FRAME_SIDE)[0]
        last = np.nonzero(cover[-third:] >= FRAME_SIDE)[0]
        if not len(first) or not len(last):
            return None
        column = on.sum(axis=0)
        a, b = int(first[0]), int(len(cover) - third + last[-1])
        near, far = column[a : a + band], column[b : b + band]
        # the outer edge of the stroke: its first (last) column with half its most ink
        return a + int(np.argmax(near >= near.max() / 2)), b + len(far) - 1 - int(np.argmax(far[::-1] >= far.max() / 2))

    if min(hor.shape) <= band:
        return None
    found = sides(ver)
    if found is None:
        return None
    left, right = found
    found = sides(hor[:, left : right + 1].T)
    if found is None:
        return None
    top, bottom = found
    return left, top, right, bottom


def clean_stamp(crop: np.ndarray) -> np.ndarray:
    """A receipt stamp's inside made readable: levelled (stamps are pressed askew, 2-4°
    in our scans, and their ruled rows then cut through the writing), its ruled rows
    and sides removed, binarised (Otsu) so that stamp ink on grey paper is black on white.

    Tesseract read nothing at all from the stamp of bench-corpus 000 p2 as cropped from
    the page; after these three steps it read every line right.
    """
    if crop.size == 0 or min(crop.shape) < 16:
        return crop
    angle = rule_angle(crop)
    g = rotate(crop, angle) if 0.3 <= abs(angle) <= MAX_STAMP_TILT else crop
    level, ink = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = g.shape
    # The rules are found on paler ink, thickened across the stroke: a thin row rotated
    # level is grey and a pixel off at each step of its staircase, and Otsu's ink broke
    # it into dashes that no long opening found (seed 2030's 039: 3.2°, no row removed,
    # its stroke under ``21385`` read as more digits and its date line lost).
    paper = float(np.median(g))
    pale = np.where(g < (level + paper) / 2, 255, 0).astype(np.uint8)
    hor = cv2.morphologyEx(cv2.dilate(pale, np.ones((3, 1), np.uint8)), cv2.MORPH_OPEN,
                           cv2.getStructuringElement(cv2.MORPH_RECT, (max(10, w // 4), 1)))
    ver = cv2.morphologyEx(cv2.dilate(pale, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN,
                           cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(10, h // 3))))
    # what goes is the rules' own pale ink under the runs found, grey rims and all, so
    # that writing that touches a row keeps its strokes
    lines = (hor | ver) & pale
    return np.where((ink > 0) & (lines == 0), 0, 255).astype(np.uint8)


#: A stamp tilted more than this (degrees) is left as it is: a larger "tilt" is a
#: misreading of its rows.
MAX_STAMP_TILT = 8.0


def remove_rules(g: np.ndarray, rules: Rules) -> np.ndarray:
    """The page with its ruled lines painted paper-white."""
    out = g.copy()
    out[rules.mask > 0] = 255
    return out
