"""The one module that runs Tesseract.

Everything else asks this module for words; nothing else runs Tesseract. Pages are
read in this process through Tesseract's C API (``libtesseract``, installed with the
``tesseract-ocr`` package; `InProcess`), one engine per language kept loaded for the
process's life: started once per page, the ``tesseract`` binary spent ~0.3 s of CPU of
every page loading ``tha+eng`` again, and its text and boxes are the same (`InProcess`).
Where the library cannot be loaded, or with ``CIRCULARS_TESSERACT=cli``, pages go to
the binary (`_run`), not pytesseract, so that we control its environment. Either way
``OMP_THREAD_LIMIT=1``: with OpenMP's default two threads a 300-dpi page took ~24 s
here against ~4 s single-threaded (``../shared/design/ocr-notes.md``). Parallelism
belongs to the caller, one process per page.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

from PIL import Image

from ..errors import MissingDependency, OCRError, PageTimeout

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-tha"
REQUIRED_LANGS = ("tha", "eng")


@dataclass(frozen=True)
class TesseractInfo:
    """What the installed Tesseract is and can read."""

    path: str
    version: str
    langs: frozenset[str]
    tessdata: str | None = None  # folder of the .traineddata files (and pdf.ttf)


@dataclass(frozen=True)
class TsvWord:
    """One row of Tesseract's TSV output at word level (level 5)."""

    block: int
    par: int
    line: int
    word: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _run(args: list[str], *, data: bytes | None = None, timeout: float | None = None) -> bytes:
    try:
        proc = subprocess.run(
            args, input=data, capture_output=True, timeout=timeout, env=_env(), check=False
        )
    except subprocess.TimeoutExpired as e:
        raise PageTimeout(f"tesseract took longer than {timeout:g} s", hint="raise --timeout") from e
    except OSError as e:
        raise OCRError(f"cannot run tesseract: {e}", hint=INSTALL_HINT) from e
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OCRError(f"tesseract exited with {proc.returncode}: {' / '.join(err[-3:])}")
    return proc.stdout


@functools.lru_cache(maxsize=1)
def probe() -> TesseractInfo:
    """Find tesseract and check that ``tha`` and ``eng`` are installed (cached).

    Raises `MissingDependency` naming the apt command that fixes it.
    """
    path = shutil.which("tesseract")
    if path is None:
        raise MissingDependency("tesseract is not installed", hint=INSTALL_HINT)
    try:
        out = _run([path, "--version"], timeout=30).decode("utf-8", "replace")
        langs_out = _run([path, "--list-langs"], timeout=30).decode("utf-8", "replace")
    except (OCRError, PageTimeout) as e:
        raise MissingDependency(f"tesseract does not run: {e.message}", hint=INSTALL_HINT) from e
    m = re.search(r"tesseract\s+v?(\S+)", out)
    version = m.group(1) if m else "unknown"
    langs = frozenset(ln.strip() for ln in langs_out.splitlines()[1:] if ln.strip())
    where = re.search(r'"([^"]+)"', langs_out.splitlines()[0] if langs_out else "")
    missing = [lang for lang in REQUIRED_LANGS if lang not in langs]
    if missing:
        raise MissingDependency(
            f"tesseract {version} has no language data for {', '.join(missing)}", hint=INSTALL_HINT
        )
    return TesseractInfo(path=path, version=version, langs=langs, tessdata=where.group(1) if where else None)


def _pnm(image: Image.Image) -> bytes:
    """The image as PGM (grey) or PPM (colour) for Tesseract's stdin.

    PNM costs next to nothing to encode; PNG, even at its lowest compression, took
    0.04-0.06 s per 300-dpi page, about a tenth of what our OCR adds to bare Tesseract.
    Leptonica reads both from memory alike, and Tesseract's text was the same. PNM holds
    no resolution: callers pass ``--dpi`` (`_dpi`).
    """
    buf = io.BytesIO()
    _grey_or_rgb(image).save(buf, format="PPM")
    return buf.getvalue()


def _grey_or_rgb(image: Image.Image) -> Image.Image:
    """The image in the two modes Tesseract is given pages in: L (any grey or bilevel
    image) or RGB (any other)."""
    if image.mode in ("L", "RGB"):
        return image
    return image.convert("L" if image.mode in ("1", "I", "I;16", "F") else "RGB")


def _dpi(image: Image.Image) -> int:
    """The image's resolution as Tesseract should take it (300 where it says none)."""
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 300
    except (TypeError, ValueError, IndexError):
        value = 300
    return value if 70 <= value <= 2400 else 300


def parse_tsv(tsv: str) -> list[TsvWord]:
    """Word rows of Tesseract's TSV, in its reading order; empty words dropped."""
    words: list[TsvWord] = []
    for row in tsv.splitlines():  # the header, if any, has no level 5
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        block, par, line, word, left, top, width, height = (int(c) for c in cols[2:10])
        words.append(TsvWord(block, par, line, word, left, top, width, height, float(cols[10]), text))
    return words


def image_to_words(
    image: Image.Image, *, lang: str = "tha+eng", psm: int = 3, timeout: float = 180.0, dpi: int | None = None,
    binary: bool = False,
) -> list[TsvWord]:
    """Run Tesseract on one page image; its words with boxes, in reading order.

    For Thai, Tesseract's TSV has one row per glyph cluster, not per word; its plain
    text has the word spaces. One run gives both, and `group_words` joins the
    TSV rows into the words of the text. ``binary``: run the ``tesseract`` binary
    even where the library is loaded (bare Tesseract as a user runs it).
    """
    probe()
    dpi = dpi or _dpi(image)
    engine = None if binary else InProcess.for_lang(lang)
    if engine is not None:
        tsv, txt = engine.read(image, psm=psm, dpi=dpi, timeout=timeout)
    else:
        tsv, txt = _read_with_binary(image, lang=lang, psm=psm, dpi=dpi, timeout=timeout)
    return group_words(parse_tsv(tsv), txt)


def _read_with_binary(image: Image.Image, *, lang: str, psm: int, dpi: int, timeout: float) -> tuple[str, str]:
    """(TSV, text) of one page from the ``tesseract`` binary."""
    info = probe()
    with tempfile.TemporaryDirectory(prefix="circulars-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        args = [info.path, "stdin", base, "-l", lang, "--psm", str(psm), "--dpi", str(dpi)]
        _run(args + ["txt", "tsv"], data=_pnm(image), timeout=timeout)
        try:
            with open(base + ".tsv", encoding="utf-8", errors="replace") as f:
                tsv = f.read()
            with open(base + ".txt", encoding="utf-8", errors="replace") as f:
                txt = f.read()
        except OSError as e:
            raise OCRError(f"tesseract wrote no output: {e}") from e
    return tsv, txt


# --------------------------------------------------------------------------- in this process

#: ``CIRCULARS_TESSERACT=cli`` sends every page to the ``tesseract`` binary instead (a
#: crash in the library then takes a subprocess down, not the worker).
BACKEND_VARIABLE = "CIRCULARS_TESSERACT"


@functools.lru_cache(maxsize=1)
def _library() -> ctypes.CDLL | None:
    """``libtesseract`` with the C API's signatures declared, or None (not installed,
    or the binary asked for)."""
    if os.environ.get(BACKEND_VARIABLE, "").lower() == "cli":
        return None
    # OpenMP reads its thread limit once, when it loads with the library
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("tesseract") or "libtesseract.so.5")
    except OSError:
        return None
    handle, text, number = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for name, args, result in (
        ("TessBaseAPICreate", [], handle),
        ("TessBaseAPIInit3", [handle, text, text], number),
        ("TessBaseAPISetVariable", [handle, text, text], number),
        ("TessBaseAPISetPageSegMode", [handle, number], None),
        ("TessBaseAPISetImage", [handle, ctypes.c_void_p, number, number, number, number], None),
        ("TessBaseAPISetSourceResolution", [handle, number], None),
        ("TessBaseAPIRecognize", [handle, handle], number),
        ("TessBaseAPIGetTsvText", [handle, number], ctypes.c_void_p),
        ("TessBaseAPIGetUTF8Text", [handle], ctypes.c_void_p),
        ("TessDeleteText", [ctypes.c_void_p], None),
        ("TessBaseAPIClear", [handle], None),
        ("TessBaseAPIEnd", [handle], None),
        ("TessBaseAPIDelete", [handle], None),
        ("TessMonitorCreate", [], handle),
        ("TessMonitorSetDeadlineMSecs", [handle, number], None),
        ("TessMonitorDelete", [handle], None),
    ):
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, result
    return lib


class InProcess:
    """A Tesseract engine for one language set, loaded once in this process and thread.

    Its words and text are the binary's: on the 14 sample pages as our main pass sees
    them (``tha+eng``, ``--psm 3``) both came out the same. A page's time limit is
    Tesseract's own deadline (`PageTimeout` when it ends the recognition); it is not
    checked during layout analysis, which the batch backend's watchdog covers
    (``circulars ocr`` has no watchdog).
    """

    _engines = threading.local()

    def __init__(self, lib: ctypes.CDLL, lang: str):
        self._lib = lib
        self._api = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(self._api, None, lang.encode()) != 0:
            lib.TessBaseAPIDelete(self._api)
            raise MissingDependency(f"tesseract cannot load the language data {lang}", hint=INSTALL_HINT)
        # Tesseract's notes ("Detected 224 diacritics") went to the binary's stderr, which
        # we kept; in this process they would reach the user's terminal
        lib.TessBaseAPISetVariable(self._api, b"debug_file", os.devnull.encode())
        atexit.register(self.close)

    @classmethod
    def for_lang(cls, lang: str) -> InProcess | None:
        """This thread's engine for ``lang`` (made on first use), or None where the
        library is not to be used. A forked child makes its own."""
        lib = _library()
        if lib is None:
            return None
        engines = getattr(cls._engines, "by_lang", None)
        if engines is None or cls._engines.pid != os.getpid():
            engines = cls._engines.by_lang = {}
            cls._engines.pid = os.getpid()
        if lang not in engines:
            engines[lang] = cls(lib, lang)
        return engines[lang]

    def read(self, image: Image.Image, *, psm: int, dpi: int, timeout: float) -> tuple[str, str]:
        """(TSV, text) of one page, as the binary writes them."""
        lib, api = self._lib, self._api
        image = _grey_or_rgb(image)
        depth = 1 if image.mode == "L" else 3
        pixels = image.tobytes()  # rows packed: a row is width * depth bytes
        monitor = lib.TessMonitorCreate()
        try:
            started = time.monotonic()
            lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout * 1000)))
            lib.TessBaseAPISetPageSegMode(api, psm)
            lib.TessBaseAPISetImage(api, pixels, image.width, image.height, depth, image.width * depth)
            lib.TessBaseAPISetSourceResolution(api, dpi)
            if lib.TessBaseAPIRecognize(api, monitor) != 0:
                if time.monotonic() - started >= timeout:
                    raise PageTimeout(f"tesseract took longer than {timeout:g} s", hint="raise --timeout")
                raise OCRError("tesseract could not read the page")
            return self._text(lib.TessBaseAPIGetTsvText(api, 0)), self._text(lib.TessBaseAPIGetUTF8Text(api))
        finally:
            lib.TessBaseAPIClear(api)
            lib.TessMonitorDelete(monitor)

    def _text(self, pointer: int | None) -> str:
        if not pointer:
            return ""
        try:
            return ctypes.string_at(pointer).decode("utf-8", "replace")
        finally:
            self._lib.TessDeleteText(pointer)

    def close(self) -> None:
        if self._api:
            self._lib.TessBaseAPIEnd(self._api)
            self._lib.TessBaseAPIDelete(self._api)
            self._api = None


def _union(rows: list[TsvWord], text: str) -> TsvWord:
    left = min(r.left for r in rows)
    top = min(r.top for r in rows)
    right = max(r.left + r.width for r in rows)
    bottom = max(r.top + r.height for r in rows)
    first = rows[0]
    conf = min(r.conf for r in rows)
    return TsvWord(first.block, first.par, first.line, first.word, left, top, right - left, bottom - top, conf, text)


def group_words(rows: list[TsvWord], txt: str) -> list[TsvWord]:
    """Join glyph rows into words: a word ends where Tesseract's text has a space or a
    line ends. If the text and the rows disagree (they should not), fall back to
    geometry: a gap wider than a third of the line height starts a new word."""
    flat = "".join(r.text for r in rows)
    if re.sub(r"\s+", "", txt) != flat:
        return _group_by_gaps(rows)
    words: list[TsvWord] = []
    pending: list[TsvWord] = []
    pos = 0  # position in txt
    for r in rows:
        if pending and (r.block, r.par, r.line) != (pending[0].block, pending[0].par, pending[0].line):
            words.append(_union(pending, "".join(p.text for p in pending)))
            pending = []
        # skip whitespace before this row's text; a space there ends the pending word
        space = False
        while pos < len(txt) and txt[pos].isspace():
            space = True
            pos += 1
        if space and pending:
            words.append(_union(pending, "".join(p.text for p in pending)))
            pending = []
        pending.append(r)
        pos += len(r.text)
    if pending:
        words.append(_union(pending, "".join(p.text for p in pending)))
    return words


def _group_by_gaps(rows: list[TsvWord]) -> list[TsvWord]:
    words: list[TsvWord] = []
    pending: list[TsvWord] = []
    for r in rows:
        if pending:
            last = pending[-1]
            same_line = (r.block, r.par, r.line) == (last.block, last.par, last.line)
            line_h = max(p.height for p in pending)
            if not same_line or r.left - (last.left + last.width) > line_h / 3:
                words.append(_union(pending, "".join(p.text for p in pending)))
                pending = []
        pending.append(r)
    if pending:
        words.append(_union(pending, "".join(p.text for p in pending)))
    return words


@dataclass(frozen=True)
class Orientation:
    """Tesseract OSD's answer: rotate the page by ``rotate`` degrees (clockwise) to right it."""

    rotate: int
    confidence: float


def orientation(image: Image.Image, *, timeout: float = 60.0) -> Orientation:
    """Page orientation by Tesseract OSD (``--psm 0``)."""
    info = probe()
    if "osd" not in info.langs:
        raise MissingDependency("tesseract has no osd data", hint="apt-get install tesseract-ocr-osd")
    try:
        out = _run([info.path, "stdin", "stdout", "--psm", "0", "--dpi", str(_dpi(image))], data=_pnm(image),
                   timeout=timeout)
    except OCRError as e:
        # OSD refuses pages with too few characters; that is "no opinion", not failure.
        if "Too few characters" in e.message or "0 dpi" in e.message:
            return Orientation(0, 0.0)
        raise
    text = out.decode("utf-8", "replace")
    rot = re.search(r"Rotate:\s*(\d+)", text)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    return Orientation(int(rot.group(1)) if rot else 0, float(conf.group(1)) if conf else 0.0)


#: White space between pieces pasted on one strip, and around them (px at 300 dpi).
STRIP_GAP = 40


def read_pieces(pieces: list[Image.Image], *, lang: str = "tha", psm: int = 6,
                timeout: float = 60.0) -> list[list[TsvWord]]:
    """Read several small images in ONE Tesseract run: pasted one under another on a
    white strip, read as a block (``--psm 6``). Each piece's words come back with
    boxes in that piece's own coordinates; a run costs one model load (~0.2 s), not
    one per piece.
    """
    if not pieces:
        return []
    greys = [p.convert("L") if p.mode != "L" else p for p in pieces]
    width = max(p.width for p in greys) + 2 * STRIP_GAP
    height = sum(p.height for p in greys) + STRIP_GAP * (len(greys) + 1)
    strip = Image.new("L", (width, height), 255)
    tops: list[int] = []
    y = STRIP_GAP
    for p in greys:
        strip.paste(p, (STRIP_GAP, y))
        tops.append(y)
        y += p.height + STRIP_GAP
    strip.info["dpi"] = (300, 300)
    out: list[list[TsvWord]] = [[] for _ in greys]
    for w in image_to_words(strip, lang=lang, psm=psm, timeout=timeout, dpi=300):
        middle = w.top + w.height / 2
        for i, (top, p) in enumerate(zip(tops, greys)):
            if top - STRIP_GAP / 2 <= middle < top + p.height + STRIP_GAP / 2:
                out[i].append(TsvWord(w.block, w.par, w.line, w.word, w.left - STRIP_GAP, w.top - top,
                                      w.width, w.height, w.conf, w.text))
                break
    return out
