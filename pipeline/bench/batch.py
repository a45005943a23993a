"""Bench suite ``batch``: pages per minute of `circulars run`, and memory per worker.

Measures, on the scans of ``samples/`` (a rendered Thai page where there are none; no
shared data needed), each page a distinct file so that every page is OCRed:

- bare ``tesseract`` on the same pages (`pipeline.ocr.engine.ocr_image_plain`), one process;
- the batch runner with 1 and 2 local workers (target: 2 workers >= 1.8x one worker, in
  steady state: workers started and warmed before the clock starts; the rate with
  start-up is reported beside it);
- the batch runner on a Dask LocalCluster of 2 workers;
- peak RSS of the workers on a generated 200-page PDF (target <= 1 GB per worker).

Also home of `write_pdf`, a small streaming PDF writer (one page in memory at a
time) that the bench and the tests use to make PDFs: image pages, born-digital
text pages, and scanned pages with an invisible OCR text layer.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Optional

from PIL import Image

# --------------------------------------------------------------------------- PDF writer


@dataclass
class PdfPage:
    """One page to write. Sizes in PDF points (1/72 inch); A4 by default.

    ``image`` fills the whole page; ``lines`` are drawn top-down from the upper
    margin in a Unicode (Identity-H) font, visible (``text_mode=0``) or invisible
    (``text_mode=3``, what OCR tools put over a scan).
    """

    image: Optional[Image.Image] = None
    lines: tuple[str, ...] = ()
    text_mode: int = 0
    width: float = 595.0
    height: float = 842.0
    font_size: float = 16.0


class _Writer:
    def __init__(self, out: BinaryIO):
        self.out = out
        self.offsets: dict[int, int] = {}
        self.count = 2  # 1 = catalog, 2 = page tree, written last
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def put(self, num: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[num] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % num)
        if stream is None:
            self.out.write(body)
        else:
            self.out.write(body[:-2] + b" /Length %d >>\nstream\n" % len(stream))
            self.out.write(stream + b"\nendstream")
        self.out.write(b"\nendobj\n")

    def add(self, body: bytes, stream: bytes | None = None) -> int:
        num = self.reserve()
        self.put(num, body, stream)
        return num

    def finish(self) -> None:
        xref = self.out.tell()
        size = self.count + 1
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for num in range(1, size):
            self.out.write(b"%010d 00000 n \n" % self.offsets[num])
        self.out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))


def _hex_cids(text: str) -> bytes:
    # Identity-H: two-byte codes; we use the code point itself as the code (BMP only).
    return b"<" + "".join(f"{min(ord(c), 0xFFFF):04X}" for c in text).encode() + b">"


def _tounicode(codes: set[int]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    ordered = sorted(codes)
    for i in range(0, len(ordered), 100):
        chunk = ordered[i : i + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        lines += [b"<%04X> <%04X>" % (c, c) for c in chunk]
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


def _image_xobject(w: _Writer, image: Image.Image) -> int:
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if image.mode == "L" and image.getextrema() in ((0, 255), (0, 0), (255, 255)) and _is_bilevel(image):
        image = image.convert("1")
    if image.mode == "1":  # scans of letters: 1 bit, Flate, small
        data = zlib.compress(image.tobytes(), 6)
        head = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray " % image.size
        return w.add(head + b"/BitsPerComponent 1 /Decode [0 1] /Filter /FlateDecode >>", data)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    space = b"/DeviceGray" if image.mode == "L" else b"/DeviceRGB"
    head = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace " % image.size
    return w.add(head + space + b" /BitsPerComponent 8 /Filter /DCTDecode >>", buf.getvalue())


def _is_bilevel(image: Image.Image) -> bool:
    hist = image.histogram()
    return sum(hist[1:255]) == 0


def write_pdf(path: Path | str, pages: Iterable[PdfPage]) -> Path:
    """Write ``pages`` to ``path`` as a PDF, one page in memory at a time."""
    path = Path(path)
    with path.open("wb") as out:
        w = _Writer(out)
        kids: list[int] = []
        codes: set[int] = set()
        font = w.reserve()
        for spec in pages:
            ops: list[bytes] = []
            resources = b""
            if spec.image is not None:
                img = _image_xobject(w, spec.image)
                ops.append(b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (spec.width, spec.height))
                resources += b"/XObject << /Im0 %d 0 R >> " % img
            if spec.lines:
                resources += b"/Font << /F1 %d 0 R >> " % font
                ops.append(b"BT /F1 %.1f Tf %d Tr %.1f TL 56 %.1f Td" % (
                    spec.font_size, spec.text_mode, spec.font_size * 1.5, spec.height - 72))
                for line in spec.lines:
                    codes.update(min(ord(c), 0xFFFF) for c in line)
                    ops.append(_hex_cids(line) + b" Tj T*")
                ops.append(b"ET")
            content = w.add(b"<< /Filter /FlateDecode >>", zlib.compress(b"\n".join(ops)))
            kids.append(w.add(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << %s>> /Contents %d 0 R >>"
                % (spec.width, spec.height, resources, content)
            ))
        _write_font(w, font, codes)
        w.put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        w.put(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
        w.finish()
    return path


def _write_font(w: _Writer, font: int, codes: set[int]) -> None:
    # The font program is not embedded: text extraction needs only the ToUnicode map,
    # and poppler substitutes a font when it renders.
    descriptor = w.add(
        b"<< /Type /FontDescriptor /FontName /ThaiSans /Flags 32 /FontBBox [-200 -300 1200 1000] "
        b"/ItalicAngle 0 /Ascent 900 /Descent -300 /CapHeight 700 /StemV 80 >>"
    )
    cid = w.add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ThaiSans "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor %d 0 R /DW 500 /CIDToGIDMap /Identity >>" % descriptor
    )
    tounicode = w.add(b"<< >>", _tounicode(codes or {32}))
    w.put(
        font,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ThaiSans /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, tounicode),
    )


# --------------------------------------------------------------------------- the suite

#: Targets from the task: two workers on two cores, and memory of one worker on a long PDF.
SPEEDUP_TARGET = 1.8
MEMORY_TARGET_MB = 1024
ROOT = Path(__file__).resolve().parents[2]

_LINES = (
    "ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗๗",
    "กรมส่งเสริมการปกครองท้องถิ่น ถนนนครราชสีมา กทม. ๑๐๓๐๐",
    "๒๗ มกราคม ๒๕๖๔",
    "เรื่อง ขอเชิญประชุมคณะทำงานพัฒนาระบบสารสนเทศ",
    "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด",
    "อ้างถึง หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท ๐๘๑๐.๒/ว ๑๒๓ ลงวันที่ ๕ มกราคม ๒๕๖๔",
    "ด้วยกรมส่งเสริมการปกครองท้องถิ่นได้กำหนดจัดประชุมคณะทำงาน เพื่อพิจารณาแนวทาง",
    "การพัฒนาระบบสารสนเทศขององค์กรปกครองส่วนท้องถิ่น จึงขอให้จังหวัดแจ้งรายชื่อผู้เข้าร่วม",
    "ประชุมภายในวันที่ ๕ กุมภาพันธ์ ๒๕๖๔",
    "จึงเรียนมาเพื่อโปรดพิจารณา",
    "ขอแสดงความนับถือ",
    "(นายสมชาย ใจดี)",
    "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
)


def add_arguments(parser) -> None:
    parser.add_argument("--batch-pages", type=int, default=32, metavar="N",
                        help="distinct pages of the speed runs (default 32: samples/ again and again, each copy "
                        "moved by a pixel so that none is a cache hit)")
    parser.add_argument("--batch-memory-pages", type=int, default=200, metavar="N",
                        help="pages of the PDF of the memory run (0: no memory run)")


def rendered_page(n: int, dpi: int = 300) -> Image.Image:
    """An A4 page of Thai letter text at ``dpi``, in a font from `pipeline.fonts`."""
    from PIL import ImageDraw, ImageFont

    from .. import fonts

    found = fonts.families(handwritten=False)
    if not found:
        raise LookupError("no Thai font installed (make setup)")
    font = ImageFont.truetype(str(found[n % len(found)].path), int(16 / 72 * dpi))
    image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    step = int(16 / 72 * dpi * 1.6)
    for i, line in enumerate(_LINES):
        draw.text((int(dpi), int(dpi) + i * step), line, font=font, fill=0)
    return image


def bench_pages(n: int) -> tuple[list[Image.Image], str]:
    """``n`` distinct page images and where they came from.

    The scans under ``samples/`` when present, else rendered pages; used again as often
    as needed, each further copy moved one more pixel to the right (the white margin
    wraps round). A copy is then as hard to read as its original but has other bytes,
    so the batch cache, keyed by content hash, cannot answer for it.
    """
    from PIL import ImageChops

    from ..ingest import iter_pages, open_input

    pages: list[Image.Image] = []
    samples = sorted(p for p in (ROOT / "samples").glob("*") if p.suffix.lower() in (".png", ".jpg", ".tif", ".pdf"))
    for path in samples:
        if len(pages) >= n:
            break
        try:
            pages += [item.image for item in iter_pages(open_input(path), dpi=300) if item.image is not None]
        except Exception:  # noqa: BLE001 - a bad sample only means fewer samples
            continue
    pages = pages[:n]
    source = f"{len(pages)} scans of samples/" if pages else ""
    if not pages:
        pages = [rendered_page(0)]
        source = "a rendered page"
    out = [ImageChops.offset(pages[i % len(pages)], i // len(pages), 0) for i in range(n)]
    if n > len(pages):
        source += f", each used up to {-(-n // len(pages))} times (copies moved 1 px more each time)"
    return out, source


class _MemoryWatch:

    """Peak RSS of a `circulars run` process and of each of its workers (with its Tesseract).

    Workers are the Python processes under the run other than multiprocessing's
    resource tracker and forkserver (a child of the run; workers are its children);
    sampled every ``every`` seconds in a thread.
    """

    def __init__(self, pid: int, every: float = 0.25):
        import threading

        self.pid = pid
        self.every = every
        self.main_peak = 0
        self.worker_peak: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        import psutil

        main = psutil.Process(self.pid)
        self.main_peak = max(self.main_peak, main.memory_info().rss)
        for proc in main.children(recursive=True):
            try:
                cmd = " ".join(proc.cmdline())
                if "python" not in proc.name() or "resource_tracker" in cmd:
                    continue
                if "forkserver" in cmd and proc.ppid() == self.pid:  # the server, not a worker it forked
                    continue
                children = proc.children(recursive=True)
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in children)
            except psutil.Error:
                continue
            self.worker_peak[proc.pid] = max(self.worker_peak.get(proc.pid, 0), rss)

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                self._sample()
            except psutil.Error:
                return
            self._stop.wait(self.every)

    def __enter__(self) -> "_MemoryWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class _Timing:
    """One timed `circulars run`: seconds with and without starting the workers, and what it read."""

    startup: float  # backend created (processes, imports, models loaded) before the clock of ``steady``
    steady: float  # run_batch on warmed workers, up to its outputs written
    pages_read: int
    pages_ocred: int  # page results that are our OCR of a non-blank page (none cached, none skipped)

    def rate(self, with_startup: bool) -> float:
        seconds = self.steady + (self.startup if with_startup else 0.0)
        return self.pages_read / seconds * 60 if seconds > 0 else 0.0


def _timed_run(inputs: Path, out: Path, make_backend, workers: int) -> _Timing:
    import time

    from ..batch import PageConfig, RunOptions, run_batch

    options = RunOptions(out=out, workers=workers, progress=False, page=PageConfig(dpi=300))
    start = time.perf_counter()
    backend = make_backend()
    try:
        backend.warm()  # every worker started, its imports and models loaded
        ready = time.perf_counter()
        summary = run_batch([inputs], options, backend=backend)
        end = time.perf_counter()
    finally:
        backend.close()
    return _Timing(startup=ready - start, steady=end - ready, pages_read=summary.pages_read,
                   pages_ocred=_pages_ocred(out))


def _pages_ocred(out: Path) -> int:
    import json

    count = 0
    for path in (out / ".cache" / "pages").rglob("*.json"):
        text = json.loads(path.read_text(encoding="utf-8")).get("text")
        if text and text["method"] == "ocr" and "blank page" not in text["warnings"]:
            count += 1
    return count


def run(args) -> str:
    import hashlib
    import os
    import shutil
    import tempfile
    import time

    from ..batch import LocalBackend
    from ..evaluation.common import SkipSuite

    if shutil.which("tesseract") is None:
        raise SkipSuite("tesseract is not installed")
    from ..ocr.engine import ocr_image_plain

    os.environ["OMP_THREAD_LIMIT"] = "1"
    quick = getattr(args, "quick", False)
    n = 2 if quick else max(2, getattr(args, "batch_pages", 32))
    memory_pages = getattr(args, "batch_memory_pages", 200)
    if quick:
        memory_pages = min(4, memory_pages)
    try:
        pages, source = bench_pages(n)
    except LookupError as e:
        raise SkipSuite(str(e)) from e

    bare_rate = 0.0
    timings: dict[str, _Timing] = {}
    dask_error = ""
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp_path = Path(tmp)
        inputs = tmp_path / "in"
        inputs.mkdir()
        for i, image in enumerate(pages):
            image.save(inputs / f"page{i:03d}.png")
        hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
        if len(hashes) != len(pages):  # a repeated page would be a cache hit, not a page read
            raise RuntimeError(f"bench pages are not distinct: {len(hashes)} hashes for {len(pages)} pages")
        load_before = os.getloadavg()[0]

        start = time.perf_counter()
        for i, image in enumerate(pages, 1):
            ocr_image_plain(image, i)
        bare_rate = len(pages) / (time.perf_counter() - start) * 60

        for label, workers in (("1 worker", 1), ("2 workers", 2)):
            timings[label] = _timed_run(inputs, tmp_path / f"out{workers}", lambda w=workers: LocalBackend(w), workers)
        try:
            from ..distributed import DaskBackend

            timings["Dask"] = _timed_run(inputs, tmp_path / "outdask", lambda: DaskBackend("local", 2), 2)
        except Exception as e:  # noqa: BLE001 - report, do not fail the other rows
            dask_error = f"not run: {type(e).__name__}: {e}"
        load_after = os.getloadavg()[0]

        memory = _memory_run(tmp_path, pages, memory_pages) if memory_pages else None

    one, two = timings["1 worker"], timings["2 workers"]
    speedup = two.rate(False) / one.rate(False) if one.rate(False) else 0.0
    speedup_cold = two.rate(True) / one.rate(True) if one.rate(True) else 0.0
    out = [
        "## batch: pages per minute",
        "",
        f"{len(pages)} distinct page images ({source}; 300 dpi PDF pages or scans at their own resolution), "
        f"`OMP_THREAD_LIMIT=1`, {os.cpu_count()} cores, 1-minute load average {load_before:.1f} before the "
        f"speed runs and {load_after:.1f} after (the machine is shared: a load above the core count slows the "
        "parallel rows most). *Steady state*: the workers are started and warmed (imports, models) before the "
        "clock starts; *with start-up*: the clock starts before the workers do. Both end when the outputs "
        "are written (linking and export included).",
        "",
        "| run | pages/min, steady state | pages/min, with start-up | start-up | notes |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| bare `tesseract` (ocr_image_plain), 1 process | {bare_rate:.1f} | | | baseline, no pipeline |",
    ]
    rows = [("`circulars run`, 1 worker", "1 worker", "full pipeline: preprocess, OCR, numerals, extract"),
            ("`circulars run`, 2 workers", "2 workers", "same"),
            ("`circulars run --scheduler local`, 2 workers", "Dask", "Dask LocalCluster")]
    for label, key, note in rows:
        t = timings.get(key)
        if t is None:
            out.append(f"| {label} | | | | {dask_error} |")
            continue
        read = f"{t.pages_ocred} of {len(pages)} pages OCRed"
        if t.pages_read != len(pages) or t.pages_ocred != len(pages):
            read = f"**only {t.pages_read} pages read, {t.pages_ocred} OCRed of {len(pages)}**"
        out.append(f"| {label} | {t.rate(False):.1f} | {t.rate(True):.1f} | {t.startup:.1f} s | {note}; {read} |")
    verdict = "meets" if speedup >= SPEEDUP_TARGET else "misses"
    out += ["", f"Speed-up of 2 workers over 1, steady state: **{speedup:.2f}x** ({verdict} the "
            f"{SPEEDUP_TARGET}x target); with start-up: {speedup_cold:.2f}x."]
    if memory:
        peak, per_worker, main_peak, seconds, pages_done, status = memory
        verdict = "meets" if peak <= MEMORY_TARGET_MB else "misses"
        out += [
            "",
            f"## batch: memory on a {memory_pages}-page scanned PDF (2 workers)",
            "",
            f"Peak RSS per worker (with its Tesseract): {', '.join(f'{mb:.0f} MB' for mb in per_worker)}; "
            f"highest **{peak:.0f} MB** ({verdict} the {MEMORY_TARGET_MB} MB target). The `circulars run` "
            f"process itself: {main_peak:.0f} MB. {pages_done} pages in {seconds / 60:.1f} min "
            f"(`circulars run long.pdf -j 2`), file status {status}.",
        ]
    return "\n".join(out) + "\n"


def _memory_run(tmp_path: Path, pages: list[Image.Image], n: int):
    import json
    import subprocess
    import sys
    import time

    pdf = tmp_path / "long.pdf"
    # A4 pages; the same scans again and again, as a long file of letters would be.
    write_pdf(pdf, (PdfPage(image=pages[i % len(pages)]) for i in range(n)))
    out = tmp_path / "outmem"
    cmd = [sys.executable, "-m", "pipeline", "run", str(pdf), "--out", str(out), "--workers", "2", "--no-progress"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with _MemoryWatch(proc.pid) as watch:
        _, err = proc.communicate()
    seconds = time.perf_counter() - start
    listing = out / "files.jsonl"
    files = [json.loads(line) for line in listing.read_text().splitlines()] if listing.exists() else []
    status = files[0]["status"] if files else f"none (exit {proc.returncode}: {err.decode()[-200:]})"
    per_worker = sorted((v / 2**20 for v in watch.worker_peak.values()), reverse=True)
    return (per_worker[0] if per_worker else 0.0, per_worker, watch.main_peak / 2**20, seconds, n, status)
