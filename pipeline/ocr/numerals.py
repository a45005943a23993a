"""The numeral reader: re-reads Tesseract's word boxes with a small recogniser.

Debian's ``tha`` model has only ๐ ๑ ๒ ๓ ๕ in its character set (``ocr-notes.md``),
so half of all Thai digits come out wrong. This module runs a small CTC recogniser,
trained by ``python -m models.train`` on words rendered from many Thai fonts, over
word crops. Its alphabet is tiny: Thai and Arabic digits, ``. / : - , ( )`` and one
catch-all symbol ``¤`` standing for a run of any other glyphs. Where it reads digits
with confidence, the digits of Tesseract's word are replaced (``merge``); the other
glyphs are kept from Tesseract.

Inference is plain numpy (a few convolutions as matrix products), so a worker starts
in milliseconds and needs neither torch nor onnxruntime.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

THAI = "๐๑๒๓๔๕๖๗๘๙"
ARABIC = "0123456789"
PUNCT = "./:-,()"
OTHER = "¤"
#: CTC classes; index 0 is the blank.
ALPHABET = THAI + ARABIC + PUNCT + OTHER
NUMERIC = frozenset(THAI + ARABIC)
_KEEP = frozenset(THAI + ARABIC + PUNCT)

#: Height every crop is scaled to before recognition.
HEIGHT = 32
MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "numerals.npz"
#: The same reader trained with pen-written words drawn glyph by glyph and warped
#: (`models.train --hand`): used for what a pen filled into a receipt stamp.
HAND_MODEL_PATH = MODEL_PATH.with_name("numerals_hand.npz")


def label_of(text: str) -> str:
    """The recogniser's target for ``text``: alphabet characters kept, other runs → ``¤``.

    >>> label_of("ที่๐๓๐๕.๑/ว")
    '¤๐๓๐๕.๑/¤'
    """
    out: list[str] = []
    for ch in text:
        if ch in _KEEP:
            out.append(ch)
        elif not out or out[-1] != OTHER:
            out.append(OTHER)
    return "".join(out)


# --------------------------------------------------------------------------- model


def conv_matrix(w: np.ndarray) -> np.ndarray:
    """A convolution's weights (O, C, kh[, kw]) as the matrix `_conv2d` and `_conv1d`
    multiply by: rows ordered (kh, kw, C) to match their windows, one column per output."""
    axes = (2, 3, 1, 0) if w.ndim == 4 else (2, 1, 0)
    return np.ascontiguousarray(w.transpose(axes).reshape(-1, w.shape[0]))


def _conv2d(x: np.ndarray, m: np.ndarray, b: np.ndarray) -> np.ndarray:
    """3x3 'same' convolution of x (H, W, C), weights `conv_matrix` m: one matrix product.

    Channels last, so the windows need one copy and the product needs no transpose back
    (a third faster than channels first: 1.4 ms against 2.1 ms for a 160-px word).
    """
    h, wd, c = x.shape
    xp = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    cols = np.lib.stride_tricks.sliding_window_view(xp, (3, 3), axis=(0, 1))  # H,W,C,3,3
    cols = cols.transpose(0, 1, 3, 4, 2).reshape(h * wd, 9 * c)
    return (cols @ m + b).reshape(h, wd, -1)


def _conv1d(x: np.ndarray, m: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """'same' 1-D convolution of x (T, C) with a width-k kernel, weights `conv_matrix` m."""
    t, c = x.shape
    xp = np.pad(x, ((k // 2, k // 2), (0, 0)))
    cols = np.lib.stride_tricks.sliding_window_view(xp, k, axis=0)  # T,C,K
    return cols.transpose(0, 2, 1).reshape(t, k * c) @ m + b


def _maxpool(x: np.ndarray, ph: int, pw: int) -> np.ndarray:
    h, w, c = x.shape
    h2, w2 = h // ph, w // pw
    return x[: h2 * ph, : w2 * pw].reshape(h2, ph, w2, pw, c).max(axis=(1, 3))


class NumeralModel:
    """The trained recogniser. Layout (mirrors ``models/train.py``'s ``Net``):

    conv3x3 → relu → pool 2x2, conv → relu → pool 2x2, conv → relu → pool 2x1,
    conv → relu → max over height, then 1-D convolutions over width → class logits.
    Batch-norm is folded into the convolutions at export.
    """

    def __init__(self, weights: dict[str, np.ndarray]):
        self.w = {k: v.astype(np.float32) for k, v in weights.items()}
        self.pools = [(2, 2), (2, 2), (2, 1), (0, 0)]
        self.n2d = sum(1 for k in self.w if k.startswith("c2d") and k.endswith(".w"))
        self.n1d = sum(1 for k in self.w if k.startswith("c1d") and k.endswith(".w"))
        self.m = {k[:-2]: conv_matrix(v) for k, v in self.w.items() if k.startswith("c") and k.endswith(".w")}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "NumeralModel":
        with np.load(path) as data:
            return cls({k: data[k] for k in data.files})

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Per-frame class log-probabilities (T, len(ALPHABET)+1) for one image (H=32, W)."""
        z = self.scores(x)
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Per-frame class scores before the softmax (T, classes) for one image (H=32, W)."""
        h = x[:, :, None].astype(np.float32)
        for i in range(self.n2d):
            h = np.maximum(_conv2d(h, self.m[f"c2d{i}"], self.w[f"c2d{i}.b"]), 0)
            ph, pw = self.pools[i] if i < len(self.pools) else (0, 0)
            if ph:
                h = _maxpool(h, ph, pw)
        z = h.max(axis=0)  # T, C
        for i in range(self.n1d):
            z = _conv1d(z, self.m[f"c1d{i}"], self.w[f"c1d{i}.b"], self.w[f"c1d{i}.w"].shape[2])
            if i < self.n1d - 1:
                z = np.maximum(z, 0)
        return z


_SET_THREADS = ("openblas_set_num_threads", "scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
                "MKL_Set_Num_Threads")


def single_thread_blas() -> bool:
    """Make numpy's BLAS single-threaded in this process; True if it could.

    Our matrices are small: on the shared 2-core machine a multi-threaded OpenBLAS took
    115 ms per word crop against 5.7 ms single-threaded (``OPENBLAS_NUM_THREADS=1``).
    The environment variable only works before numpy loads, so set it through the
    library itself. Pipeline workers are one thread each anyway.
    """
    import ctypes

    done = False
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() and ".so" in line}
    except OSError:
        return False
    for lib in sorted(libs):
        try:
            handle = ctypes.CDLL(lib)
        except OSError:
            continue
        for name in _SET_THREADS:
            fn = getattr(handle, name, None)
            if fn is not None:
                fn(1)
                done = True
                break
    return done


@functools.lru_cache(maxsize=2)
def _shipped(path: Path) -> NumeralModel:
    """The model at `path`, loaded once per process (BLAS made single-threaded)."""
    single_thread_blas()
    if not path.exists():
        from ..errors import MissingDependency

        raise MissingDependency(f"numeral model {path} is missing", hint="run `make models`")
    return NumeralModel.load(path)


def default_model() -> NumeralModel:
    """The shipped model (`MODEL_PATH`), loaded once per process."""
    return _shipped(MODEL_PATH)


def hand_model() -> NumeralModel:
    """The reader for handwriting (`HAND_MODEL_PATH`), loaded once per process."""
    return _shipped(HAND_MODEL_PATH)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Reading:
    """What the recogniser read in one crop."""

    text: str  # over ALPHABET, '¤' = a run of other glyphs
    conf: float  # lowest per-symbol probability, 0..1
    peaks: tuple[int, ...] = ()  # each symbol's first frame (4 px of the crop each); () = unknown
    frames: int = 0  # frames in the crop
    logp: np.ndarray | None = field(default=None, compare=False, repr=False)  # per-frame log-probabilities

    @property
    def has_digits(self) -> bool:
        return any(ch in NUMERIC for ch in self.text)


#: A digit and the same digit in the other script (``0`` and ``๐``).
_TWIN = {**dict(zip(ARABIC, THAI)), **dict(zip(THAI, ARABIC))}


def decode(logp: np.ndarray) -> Reading:
    """Greedy CTC decoding; a symbol's confidence is its best frame's probability.

    A digit followed with no blank frame between by the same digit in the other script
    is one glyph whose frames wavered between the two (``๑0๐`` for ``๑๐``, bench-corpus
    001): it is read once, as the likelier of the two."""
    best = logp.argmax(axis=1)
    probs = np.exp(logp.max(axis=1))
    out: list[str] = []
    confs: list[float] = []
    peaks: list[int] = []
    prev = 0
    for t, (k, p) in enumerate(zip(best, probs)):
        if k != 0 and k != prev and prev != 0 and _TWIN.get(ALPHABET[k - 1]) == ALPHABET[prev - 1]:
            if p > confs[-1]:
                out[-1] = ALPHABET[k - 1]
            confs[-1] = max(confs[-1], float(p))
        elif k != 0 and k != prev:
            out.append(ALPHABET[k - 1])
            confs.append(float(p))
            peaks.append(t)
        elif k != 0 and k == prev:
            confs[-1] = max(confs[-1], float(p))
        prev = k
    return Reading("".join(out), min(confs) if confs else 0.0, tuple(peaks), len(best), logp)


def log_likelihood(logp: np.ndarray, text: str) -> float:
    """log P(`text` | the frames' log-probabilities `logp`), summed over every CTC
    alignment of it (the forward algorithm; Graves et al. 2006): how well the reader's
    frames support a reading other than its own best one."""
    labels = [ALPHABET.index(ch) + 1 for ch in text]
    ext = np.zeros(2 * len(labels) + 1, dtype=int)  # blank, label, blank, label, …, blank
    ext[1::2] = labels
    # a label may be reached from two states back unless the one between is a blank it repeats
    skip = np.zeros(len(ext), dtype=bool)
    skip[3::2] = ext[3::2] != ext[1:-2:2]
    alpha = np.full(len(ext), -np.inf)
    alpha[:2] = logp[0, ext[:2]]
    for t in range(1, len(logp)):
        prev = alpha
        alpha = np.logaddexp(prev, np.concatenate(([-np.inf], prev[:-1])))
        alpha[skip] = np.logaddexp(alpha[skip], prev[:-2][skip[2:]])
        alpha = alpha + logp[t, ext]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if len(ext) > 1 else alpha[-1])


def prepare(crop: np.ndarray) -> np.ndarray:
    """A grey crop (ink dark, uint8) → float image of height HEIGHT, ink = 1."""
    import cv2

    h, w = crop.shape
    new_w = max(8, int(round(w * HEIGHT / max(h, 1))))
    interp = cv2.INTER_AREA if h > HEIGHT else cv2.INTER_LINEAR
    img = cv2.resize(crop, (new_w, HEIGHT), interpolation=interp).astype(np.float32)
    lo, hi = float(img.min()), float(img.max())
    img = (hi - img) / max(hi - lo, 32.0)  # ink → 1, paper → 0; flat crops stay faint
    pad = np.zeros((HEIGHT, new_w + 2 * PAD), np.float32)
    pad[:, PAD : PAD + new_w] = img
    return pad


#: `prepare` pads the scaled crop by PAD px on either side; the network gives one frame
#: for every FRAME px of that. The two functions below map between crop and frames.
PAD = 4
FRAME = 4


def frames_of(span: tuple[int, int], height: int) -> tuple[float, float]:
    """A stretch of a crop ``height`` px high (its left and right, in the crop's pixels)
    in the reader's frames."""
    scale = HEIGHT / max(height, 1)
    return ((span[0] * scale + PAD) / FRAME, (span[1] * scale + PAD) / FRAME)


def frame_x(frame: int, crop_width: int, frames: int) -> float:
    """Crop x of the middle of a reading's frame, for a crop ``crop_width`` px wide read
    in ``frames`` frames."""
    scaled = max(1, frames * FRAME - 2 * PAD)
    return (frame * FRAME + FRAME / 2 - PAD) * crop_width / scaled


def read_crop(crop: np.ndarray, model: NumeralModel | None = None) -> Reading:
    """Read one grey crop (uint8, ink dark)."""
    model = model or default_model()
    return decode(model.logits(prepare(crop)))


# --------------------------------------------------------------------------- merging


def _join(pieces: Iterable[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """(is_other, chars) pieces with neighbours of the same kind joined into one run."""
    runs: list[tuple[bool, str]] = []
    for other, chars in pieces:
        if runs and runs[-1][0] == other:
            runs[-1] = (other, runs[-1][1] + chars)
        else:
            runs.append((other, chars))
    return runs


def _runs(text: str) -> list[tuple[bool, str]]:
    """Split into runs of (is_other, chars) with the recogniser's notion of 'other'."""
    return _join((ch not in _KEEP, ch) for ch in text)


#: At most this many of Tesseract's letter runs are taken for misread digits in one word.
MAX_ABSORBED = 3


def _absorbable(runs: list[tuple[bool, str]], k: int) -> bool:
    """Could Tesseract's letter run ``k`` be digits it misread (``๐๐๒๓.ญ`` for ``๐๐๒๓.๗``,
    ``๐ว๐๑ฒ.๒`` for ``๐๐๑๗.๒``)? One or two Thai letters inside a number (digits or
    punctuation on both sides, a digit in the word), or one letter opening a code (a
    digit after it, a dot or slash further on: ``ว๐๑ฒ.๒/ว``); not the ว of a circular's
    number right after its slash."""
    is_other, chars = runs[k]
    if not is_other or len(chars) > 2 or not all("\u0e01" <= ch <= "\u0e4e" for ch in chars):
        return False
    before = runs[k - 1][1] if k > 0 else ""
    after = runs[k + 1][1] if k + 1 < len(runs) else ""
    if chars == "ว" and before.endswith("/"):
        return False
    if k == 0 and len(chars) == 1 and after[:1] in NUMERIC and re.search(r"[./]", "".join(r for _, r in runs[1:])):
        return True  # the first digit of a code: ว๐๑ฒ.๒/ว for ๐๐๑๗.๒/ว
    return bool(before and after) and any(ch in NUMERIC for _, run in runs for ch in run)


def _agreeing_runs(runs: list[tuple[bool, str]], shape: list[bool]) -> list[tuple[bool, str]] | None:
    """Tesseract's runs in the recogniser's shape: as they are, or with the fewest short
    letter runs inside a number taken as digits (each then joins its numeric
    neighbours); None if no such reading agrees."""
    from itertools import combinations

    if [o for o, _ in runs] == shape:
        return runs
    candidates = [k for k in range(len(runs)) if _absorbable(runs, k)]
    for n in range(1, min(len(candidates), MAX_ABSORBED) + 1):
        for chosen in combinations(candidates, n):
            joined = _join((is_other and k not in chosen, chars) for k, (is_other, chars) in enumerate(runs))
            if [o for o, _ in joined] == shape:
                return joined
    return None


#: A doubled digit Tesseract read and the reader did not is kept where the reader left
#: room for it beside the digit it doubles, in digit pitches (the lower median distance
#: of the reading's peaks). Measured on 4 998 rendered numbers of 2-6 Thai digits, half
#: with a doubled digit, that the reader read right (`models.render.render_word`, every
#: font, damage on): gaps between peaks at most 1.43 pitches (99th percentile), the
#: first peak at most 0.88 from the crop's start, the crop's end at most 1.17 past the
#: last peak. CTC merged 7 doubles of about 2 500; 6 left a gap of 1.5-2.7 (or a start of
#: 2.0) where the lost digit stood.
ROOM_INSIDE = 1.5
ROOM_AT_START = 1.0
ROOM_AT_END = 1.3
#: A digit the reader skipped whole (no double) is put back only where the gap between
#: its neighbours is this many pitches: a glyph's own room. At 1.5 Tesseract's extra
#: digits were put in as often as its right ones: it reads a wide ``๖`` as ``๒๐``, and
#: a pen's digits stand unevenly (seed 2030's 037: ``๔๖๓`` became ``๔๖๐๓``, gap 1.6;
#: seed 2027's 022, 1.67); the skipped digits found right had gaps of 1.6-2.2.
ROOM_SKIPPED = 1.8


def _room_beside(peaks: Sequence[int], frames: int, s: int) -> bool:
    """Does the reading leave a digit's room beside its symbol `s`? True where the
    positions are unknown (too few symbols to measure a pitch)."""
    if len(peaks) < 3 or not frames or not 0 <= s < len(peaks):
        return True
    pitch = _pitch([b - a for a, b in zip(peaks, peaks[1:])])
    left = peaks[s] / pitch >= ROOM_AT_START if s == 0 else (peaks[s] - peaks[s - 1]) / pitch >= ROOM_INSIDE
    if s == len(peaks) - 1:
        right = (frames - 1 - peaks[s]) / pitch >= ROOM_AT_END
    else:
        right = (peaks[s + 1] - peaks[s]) / pitch >= ROOM_INSIDE
    return left or right


def _pitch(gaps: Sequence[int]) -> float:
    """A digit's pitch in frames: the lower median of the gaps between symbols' peaks."""
    return max(1.0, sorted(gaps)[(len(gaps) - 1) // 2])


def _same_script(digit: str, reading: str) -> bool:
    """Is `digit` of the script of the reading's digits? A number keeps one script: a
    digit of the other is a stroke or speck Tesseract read (``๑๐๒๐๐1``)."""
    thai = digit in THAI
    return all((ch in THAI) == thai for ch in reading if ch in NUMERIC)


def _room_before(reading: str, peaks: Sequence[int], frames: int, offset: int, j: int) -> bool:
    """Does the reading leave a digit's room just before its symbol `j` (after its last
    where `j` is past it)? `reading` is the number's run, its symbols ``offset`` on in
    ``peaks``. The pitch is measured between its digits alone (a dot or slash is narrow:
    counted in, ``๑๖๐๔.๓/`` showed room between ๖ and ๐). False where the positions are
    unknown or too few, and at the run's start or end where the reading has another
    symbol beside it: a digit is put in only where the reader shows the gap it left."""
    spots = peaks[offset : offset + len(reading)]
    if len(spots) != len(reading) or not frames:
        return False
    if (j == 0 and offset > 0) or (j == len(reading) and offset + len(reading) < len(peaks)):
        return False  # the reader saw a glyph there, and no digit (``¤๑๐๐๓.๔/``)
    gaps = [spots[k + 1] - spots[k] for k in range(len(reading) - 1)
            if reading[k] in NUMERIC and reading[k + 1] in NUMERIC]
    if len(gaps) < 2:
        return False
    pitch = _pitch(gaps)
    if j == 0:
        return spots[0] / pitch >= ROOM_AT_START
    if j == len(reading):
        return (frames - 1 - spots[-1]) / pitch >= ROOM_AT_END
    return (spots[j] - spots[j - 1]) / pitch >= ROOM_SKIPPED


#: A digit Tesseract read and the reader did not, where the reader's positions show no
#: room for it, is put in where the reading with the likeliest digit there has at least
#: exp(-SKIPPED_LOG_RATIO) the likelihood of the reading without it (`log_likelihood`).
#: Measured on 20 000 rendered numbers (``python -m models.skipped``): of 342 the print
#: reader read with one digit skipped, 1.5 puts 182 back (144 the right digit), and it
#: lets a digit in at 95 of 110 342 places inside numbers read right; 2.0 puts 213 back
#: (166) and lets one in at 158. On two seed sets made for this (2040, 2041), Tesseract's
#: extra digit over a right reading scored up to -1.95 (``๓๒`` read ``๓๓๐``).
SKIPPED_LOG_RATIO = 1.5


def best_insertion(whole: Reading, at: int, digits: str) -> tuple[float, str]:
    """The digit of `digits` the reader's frames (``whole.logp``, kept) best allow as a
    symbol put in before symbol `at` of its reading, and the log ratio of the reading so
    to the reader's own (`log_likelihood`)."""
    own = log_likelihood(whole.logp, whole.text)
    score, digit = max((log_likelihood(whole.logp, whole.text[:at] + d + whole.text[at:]), d) for d in digits)
    return score - own, digit


def skipped_digit(whole: Reading, at: int, digits: str) -> str | None:
    """The digit `best_insertion` finds, if the reading with it is nearly as likely as
    the reader's own (`SKIPPED_LOG_RATIO`); None otherwise, or where the frames are not
    kept."""
    if whole.logp is None or not 0 <= at <= len(whole.text):
        return None
    ratio, digit = best_insertion(whole, at, digits)
    return digit if ratio >= -SKIPPED_LOG_RATIO else None


#: A digit the reader reads before or after all of Tesseract's is kept only where it
#: stands inside Tesseract's word box: its first frame at most LEAD_FRAMES frames left of
#: the box (a digit the box cut through), and not right of the box's end. The crop's
#: sides are snapped outwards to the ink, and a neighbour's stroke caught so was read as a
#: digit (``ในวันที่ ๑๓`` read ``9๑๓``, its first frame 3.8 left of the box: bench-corpus
#: 006); a handwritten year Tesseract read as one digit (``๕`` for ``๔๗``) has both inside.
LEAD_FRAMES = 2.0


def merge_number(engine: str, reading: str, peaks: Sequence[int] = (), frames: int = 0, offset: int = 0,
                 inside: tuple[float, float] | None = None, whole: Reading | None = None) -> str:
    """One number as both read it: the reader's digits, and what the reader is known to
    drop kept from Tesseract — punctuation (``๐๔๘๖.๒`` read ``๐๔๘๖๒``), a doubled
    digit (CTC merges ``๐๐`` into ``๐`` when no blank frame falls between them) and a
    digit it skipped (``๑๐๒๐๐`` read ``๑๒๐๐``), the latter two only where the
    reader's symbol positions (``peaks``, ``frames``: see `Reading`, of the whole
    reading, whose symbol ``offset`` is `reading`'s first) leave a digit's room for
    it: beside the digit it doubles, or just where it stood (`ROOM_SKIPPED`). Tesseract
    doubles digits too (``๔๐๖๐๐`` for ๔๐๖๐). Where the positions show no room, the
    reader's own frames (`whole`, the reading `reading` is part of) are asked: a digit
    there is put in if the likeliest one is nearly as likely as the reading without it
    (`SKIPPED_LOG_RATIO`), and it is the reader's digit, not Tesseract's (``๓๐๓๔๒``
    read ``๓๓๔๒``: ``๓๖๓๔๒``).

    >>> merge_number("๐๐๑๕.๑", "๐๑๘.๑")
    '๐๐๑๘.๑'
    >>> merge_number("๐๕๕๒๐.๒", "๐๔๘๖๒")
    '๐๔๘๖.๒'
    >>> merge_number("๑๐๓๒", "๑๓๒", peaks=(2, 10, 14), frames=18)
    '๑๐๓๒'
    >>> merge_number("๑๐๓๒", "๑๓๒", peaks=(2, 6, 10), frames=14)
    '๑๓๒'
    """
    from rapidfuzz.distance import Levenshtein

    # a skipped digit only where Tesseract read one digit more, no other difference in count
    skipped = sum(ch in NUMERIC for ch in engine) == sum(ch in NUMERIC for ch in reading) + 1
    out: list[str] = []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(engine, reading):
        if tag == "delete":
            for k in range(i1, i2):
                ch = engine[k]
                before = out[-1][-1:] if out else ""  # the last character kept, not the last chunk
                after = reading[j1] if j1 < len(reading) else ""
                doubles = j1 - 1 if ch == before else j1  # the reading's symbol it doubles
                one = ch in NUMERIC and skipped and i2 - i1 == 1 and _same_script(ch, reading)
                if ch in PUNCT or (ch in (before, after) and _room_beside(peaks, frames, offset + doubles)) or (
                        one and _room_before(reading, peaks, frames, offset, j1)):
                    out.append(ch)
                elif one and whole is not None:
                    out.append(skipped_digit(whole, offset + j1, THAI if ch in THAI else ARABIC) or "")
        elif tag == "insert" and inside is not None and i1 in (0, len(engine)):
            out.extend(ch for k, ch in enumerate(reading[j1:j2], j1)
                       if not _outside(peaks, offset + k, inside))
        else:
            out.append(reading[j1:j2])
    return "".join(out)


def _outside(peaks: Sequence[int], s: int, inside: tuple[float, float]) -> bool:
    """Is the reading's symbol `s` outside Tesseract's box (`LEAD_FRAMES`)? False where
    its position is unknown."""
    if not 0 <= s < len(peaks):
        return False
    return peaks[s] < inside[0] - LEAD_FRAMES or peaks[s] > inside[1]


def number_in(reading: Reading) -> str | None:
    """The one number of a reading with at most a glyph of something else at either end
    (``¤๖๔๘๖`` for a handwritten serial Tesseract read as ``beh``, a stroke of the
    slash before it caught in the crop), or None. For words Tesseract read as Latin,
    whose letters say nothing."""
    runs = _runs(reading.text)
    inner = [chars for is_other, chars in runs if not is_other]
    if len(inner) != 1 or sum(ch in NUMERIC for ch in inner[0]) < 2:
        return None
    if any(is_other and len(chars) > 1 for is_other, chars in runs):
        return None
    if runs[-1][0] and inner[0].endswith("/"):
        return inner[0] + CIRCULAR  # the glyph after a number's slash: a circular's ว
    return inner[0]


#: What Tesseract makes of a code's slash and the circular's ว together: one or two
#: digits or brackets (``0402.29`` for 0402.2/ว, bench-corpus 011).
SLASH_LOST = frozenset(NUMERIC | set(")?"))


def _slash_lost(engine: str, code: str) -> str | None:
    """Tesseract's ``engine`` without what it made of a slash and a ว after ``code``
    (the reader's, no slash): the rest has the code's shape, digits where it has digits
    and the same dots, and what is cut off is one or two `SLASH_LOST` glyphs."""
    shape = functools.partial(re.sub, r"[0-9๐-๙]", "0")
    for cut in (1, 2):
        rest, tail = engine[:-cut], engine[-cut:]
        if rest and shape(rest) == shape(code) and set(tail) <= SLASH_LOST:
            return rest
    return None


#: A circular's mark after its number's slash (``ที่ มท ๐๓๐๙.๑/ว ๒๖๑๕``): the one letter
#: an official number has there.
CIRCULAR = "ว"
CIRCULAR_MARK = re.compile(r"/(ว\.?)$")
#: A code and its slash as the reader reads them: ``๐๐๒๓.๗/``, ``0301.40.2/``.
CODE_SLASH = re.compile(r"^[0-9๐-๙]{3,}(?:\.[0-9๐-๙]+)*/$")
#: What Tesseract makes of the circular's ว after a code's slash: a digit, a bracket, a
#: question mark, ``ๆ``, or the ว with a speck beside it read as a digit or bracket
#: (``0023.7/2``, ``๐๕๐๓.๒/)``, ``๐๕๐๒.๒/ว2``, ``๐๐๑๒/ๆ9``). Used only where the reader read the code,
#: the slash and one glyph that is no digit; group 1 is the code and its slash.
CIRCULAR_MISREAD = re.compile(r"([^/]+/)(?:ว[^/\u0e01-\u0e2e]{1,2}|[^/\u0e01-\u0e2e]{1,2})")


def merge(engine: str, reading: Reading, inside: tuple[float, float] | None = None) -> str | None:
    """Tesseract's word with its numeric runs taken from the recogniser, or None.

    - The recogniser sees no other glyph at all: the reading replaces the word
      (Tesseract's letters were misread digits, ``ซ`` for ``๗``, ``on`` for ``๓๔``).
    - Otherwise the two must agree on the word's shape, the same sequence of numeric and
      other runs; the recogniser's ``¤`` runs are then filled with Tesseract's letters.
      A reading that puts digits where Tesseract saw none (``¤๑`` for ``ลงวันที่``)
      is a neighbour's digit caught in the crop, and is refused.

    ``inside`` is where Tesseract's box stands in the crop, in frames (`frames_of`):
    digits read before or after all of Tesseract's outside it are dropped (`LEAD_FRAMES`).
    """
    if not reading.has_digits:
        return None
    rec = _runs(reading.text)
    if not any(is_other for is_other, _ in rec):
        mark = CIRCULAR_MARK.search(engine)
        if mark is not None and (reading.text.endswith("/") or "/" not in reading.text):
            # the reader missed the thin ว after the slash (``0018.1/ว`` read ``0018.1/``),
            # or the slash and the ว both (read ``0023.7``: bench-corpus 121, 145)
            new = merge(engine[: mark.start(1)], reading, inside)
            return None if new is None else new + mark.group(1)
        new = (merge_number(engine, reading.text, reading.peaks, reading.frames, inside=inside, whole=reading)
               if all(ch in _KEEP for ch in engine) else reading.text)
    else:
        mine = _agreeing_runs(_runs(engine), [o for o, _ in rec])
        code = CODE_SLASH.match(reading.text[:-1]) if reading.text.endswith(OTHER) else None
        tail = CIRCULAR_MISREAD.fullmatch(engine) if mine is None and code is not None else None
        if tail is not None:
            # the reader saw the code, its slash and one glyph that is no digit
            # (``0023.7/¤``); Tesseract made that glyph, the circular's ว, something else
            head = merge_number(tail.group(1), reading.text[:-1], reading.peaks, reading.frames, whole=reading)
            return head + CIRCULAR
        lost = _slash_lost(engine, reading.text[:-2]) if mine is None and code is not None else None
        if lost is not None:
            # ... and Tesseract read the slash and the ว as a digit or two (``0402.29``)
            head = merge_number(lost, reading.text[:-2], reading.peaks, reading.frames, whole=reading)
            return head + "/" + CIRCULAR
        if mine is None:
            return None
        if any(not o and not NUMERIC & set(m) and NUMERIC & set(r) for (o, r), (_, m) in zip(rec, mine)):
            return None  # digits where Tesseract saw only ")" or "/": an edge misread (OSS) → OSS5))
        offsets = [sum(len(chars) for _, chars in rec[:k]) for k in range(len(rec))]
        new = "".join(m if is_other else merge_number(m, r, reading.peaks, reading.frames, offset, whole=reading)
                      for (is_other, r), (_, m), offset in zip(rec, mine, offsets))
    return None if new == engine else new
