"""Archive-scale runs: many files, work split by page across processes, resumable.

`run_batch(inputs, options)` is what ``circulars run`` calls:

1. `discover` lists the input files (folders recursively, in path order; hidden
   files, unsupported suffixes and our own output files left out);
2. each file is opened (`pipeline.ingest.open_input`) and its pages become tasks for
   a pool of worker processes (`LocalBackend`) or a Dask cluster
   (`pipeline.distributed.DaskBackend`). A worker reads one page: the text the file
   gave, or OCR of the page image (one Tesseract thread per worker);
3. when a file's pages are in, a worker reads its letters
   (`pipeline.extract.read_document`);
4. after all files: `pipeline.link.link_records`, then `pipeline.export.write_outputs`.

Nothing is lost when a run is killed: every page result and every file result is
written to ``OUT/.cache/`` (temp file, fsync, rename) under the file's content hash
and the settings that change results, and a new run takes what is there. Outputs
are rewritten from the file results at the end of each run, so a killed run
started again ends with exactly the records of an uninterrupted one.

No file stops the batch: each gets a status (ok / partial / failed / skipped) and
structured errors (`CircularsError.to_dict()`), listed in ``OUT/errors.jsonl`` and
``OUT/files.jsonl``. `--fail-fast` stops at the first failure instead. No page stops
it either: a page stuck past ``--page-timeout`` has its worker killed and replaced
(`LocalBackend`'s watchdog) and gets a ``page-timeout`` error.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as futures_wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Optional, Protocol, Sequence

from .errors import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    CircularsError,
    MissingDependency,
    PageTimeout,
    UsageError,
)
from .ingest import InputFile, PageItem, load_page, open_input
from .types import Document, PageText, Record

log = logging.getLogger(__name__)

Status = Literal["ok", "partial", "failed", "skipped"]

#: Suffixes taken when walking folders (files named on the command line are sniffed whatever their name).
SUFFIXES = frozenset({".txt", ".md", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
#: Files we write ourselves, or label files kept beside inputs: never inputs.
OWN_NAMES = frozenset({
    "labels.json", "records.jsonl", "errors.jsonl", "files.jsonl", "deadlines.csv", "circulars.sqlite", "README.md",
})
OWN_PREFIXES = ("citations.", "records.", "labels.")
#: Bump when a change of code changes page or file results, so old caches are not reused.
CACHE_VERSION = 1
#: Page errors that a new run tries again (the file's fault is not proven); others are kept.
RETRY_CODES = frozenset({"page-timeout", "worker-crashed", "internal", "ocr-failed"})
#: Tasks handed out per worker at once: enough to keep workers busy, few enough to stop quickly.
QUEUE_PER_WORKER = 2
#: Files opened ahead of the ones being read (hashing and pdfinfo run in the workers too).
OPEN_AHEAD = 4
#: Without a terminal, a progress line at most this often (seconds), besides one per file.
LOG_EVERY = 30.0
#: A page image with fewer dark pixels than this share is blank (a 300-dpi A4 page is
#: 8.7 M pixels; a lone page number "- 2 -" is ~2,000 dark pixels, 0.02 %).
BLANK_DARK_SHARE = 0.00005


# --------------------------------------------------------------------------- options and results


@dataclass(frozen=True)
class PageConfig:
    """What a page worker needs; everything here changes page results (so it keys the cache)."""

    dpi: int = 300
    timeout: Optional[float] = 180.0
    lang: str = "tha+eng"
    psm: int = 3
    numerals: bool = True
    correct: bool = True
    preprocess: bool = True

    def key(self) -> str:
        """The cache's key: these options and the pipeline that reads with them."""
        fields = {k: v for k, v in asdict(self).items() if k != "timeout"}
        fields["cache_version"] = CACHE_VERSION
        # a new release (a better OCR or extractor) reads cached files again
        from .ocr import fingerprint

        fields["pipeline"] = fingerprint()
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class RunOptions:
    """``circulars run`` options, validated once (see `pipeline.commands.run`)."""

    out: Path
    workers: int = 0  # 0 = one per core
    force: bool = False
    fail_fast: bool = False
    scheduler: Optional[str] = None  # None: local worker processes; "local" or "tcp://host:8786": Dask
    #: Dask workers see the inputs at the client's paths (None: yes for "local", no for a remote scheduler,
    #: which then gets each page's bytes; see `pipeline.distributed`)
    shared_fs: Optional[bool] = None
    page: PageConfig = field(default_factory=PageConfig)
    progress: Optional[bool] = None  # None: a bar when stderr is a terminal
    #: "module:function" reading a Document into records
    reader: str = "pipeline.extract:read_document"

    def n_workers(self) -> int:
        return self.workers if self.workers > 0 else available_cores()


@dataclass
class FileResult:
    """The outcome for one input file."""

    index: int
    path: str
    status: Status
    sha256: Optional[str] = None
    kind: Optional[str] = None
    pages: int = 0
    letters: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cached: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict:
        out = asdict(self)
        del out["index"]
        return out


@dataclass
class RunSummary:
    files: list[FileResult]
    records: list[Record]
    outputs: dict[str, Path]
    pages_read: int  # this run
    pages_cached: int
    seconds: float
    stopped: bool = False  # --fail-fast

    @property
    def counts(self) -> dict[str, int]:
        out = {"ok": 0, "partial": 0, "failed": 0, "skipped": 0}
        for f in self.files:
            out[f.status] += 1
        return out

    @property
    def exit_code(self) -> int:
        c = self.counts
        return EXIT_SOME_FAILED if (c["failed"] or c["partial"] or self.stopped) else EXIT_OK

    def line(self) -> str:
        c = self.counts
        cached = sum(1 for f in self.files if f.cached)
        pages = sum(f.pages for f in self.files if f.status != "skipped")
        rate = self.pages_read / (self.seconds / 60) if self.seconds > 0 else 0.0
        text = (
            f"{len(self.files)} files: {c['ok']} ok, {c['partial']} partial, {c['failed']} failed, "
            f"{c['skipped']} skipped ({cached} from cache); {pages} pages ({self.pages_read} read now, "
            f"{rate:.1f} pages/min); {len(self.records)} letters in {_duration(self.seconds)}"
        )
        if self.stopped:
            text += "; stopped at the first failure (--fail-fast)"
        return text


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


# --------------------------------------------------------------------------- finding inputs


def _is_own_file(path: Path) -> bool:
    name = path.name
    return name in OWN_NAMES or name.startswith(OWN_PREFIXES)


def discover(inputs: Sequence[str | Path], out: Optional[Path] = None) -> list[str]:
    """Input files in order: named files as given, folders walked in sorted path order.

    Missing paths are kept (they fail as inputs, the batch goes on); a file given twice
    is listed once.
    """
    out_dir = out.resolve() if out else None
    found: list[str] = []
    seen: set[Path] = set()

    def add(path: Path, given: str) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(given)

    for raw in inputs:
        given = str(raw)
        path = Path(given)
        if not path.is_dir():
            add(path, given)
            continue
        walked: list[Path] = []
        for root, dirs, files in os.walk(path):
            root_path = Path(root)
            dirs[:] = [
                d for d in dirs
                if not d.startswith(".") and (out_dir is None or (root_path / d).resolve() != out_dir)
            ]
            for name in files:
                child = root_path / name
                if not name.startswith(".") and child.suffix.lower() in SUFFIXES and not _is_own_file(child):
                    walked.append(child)
        for child in sorted(walked, key=lambda p: p.parts):  # a/deep/1.txt before a/z.png
            add(child, str(child))
    return found


# --------------------------------------------------------------------------- cache


class Cache:
    """Page and file results under ``OUT/.cache``, keyed by content hash and settings."""

    def __init__(self, out: Path, key: str):
        self.root = out / ".cache"
        self.key = key
        self.tmp = self.root / "tmp"

    def open(self) -> None:
        self.tmp.mkdir(parents=True, exist_ok=True)
        # Temp files of a killed run: nobody else writes here while we hold the lock.
        for stale in self.tmp.iterdir():
            with contextlib.suppress(OSError):
                stale.unlink()

    def page_path(self, sha: str, page: int) -> Path:
        return self.root / "pages" / sha[:2] / sha / self.key / f"{page:05d}.json"

    def file_path(self, sha: str) -> Path:
        return self.root / "files" / sha[:2] / f"{sha}.{self.key}.json"

    def read(self, path: Path) -> Optional[dict]:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:  # a damaged entry is recomputed, not fatal
            log.warning("ignoring damaged cache entry %s: %s", path, e)
            return None

    def write(self, path: Path, value: Any) -> None:
        atomic_write(path, json.dumps(value, ensure_ascii=False).encode("utf-8"), tmp_dir=self.tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def atomic_write(path: Path, data: bytes, *, tmp_dir: Optional[Path] = None) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir or path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def _run_lock(out: Path):
    """One run per output folder at a time (the lock goes with the process, even on SIGKILL)."""
    (out / ".cache").mkdir(parents=True, exist_ok=True)
    with (out / ".cache" / "lock").open("w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            raise UsageError(f"another run is writing to {out}", hint="wait for it, or use another --out") from e
        yield


# --------------------------------------------------------------------------- worker side


def _worker_setup() -> None:
    # One Tesseract thread per worker: 4 s a page against 24 s with OpenMP's default (ocr-notes.md).
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _error(e: BaseException, page: Optional[int] = None) -> dict:
    if isinstance(e, CircularsError):
        out = e.to_dict()
    else:
        out = {"code": "internal", "message": f"{type(e).__name__}: {e}"}
    if page is not None:
        out["page"] = page
    return out


def probe_file(path: str) -> dict:
    """Worker task: open one input (sniff, hash, count pages)."""
    _worker_setup()
    try:
        return {"input": open_input(Path(path).resolve())}
    except Exception as e:  # noqa: BLE001 - reported per file, the batch goes on
        return {"error": _error(e)}


def is_blank(image) -> bool:
    """True for a page image with (almost) no dark pixels."""
    import numpy as np

    gray = np.asarray(image.convert("L"))
    return float((gray < 128).mean()) < BLANK_DARK_SHARE


def _ocr(image, page: int, cfg: PageConfig, timeout: Optional[float]) -> PageText:
    from .ocr.engine import OCROptions, ocr_image

    options = OCROptions(
        lang=cfg.lang, psm=cfg.psm, numerals=cfg.numerals, correct=cfg.correct, preprocess=cfg.preprocess,
        timeout=timeout if timeout is not None else 180.0,
    )
    return ocr_image(image, page, options)


def page_error(page: int, e: BaseException, start: float) -> dict:
    """A page task's value when the page could not be read."""
    return {"page": page, "text": None, "error": _error(e, page), "seconds": time.monotonic() - start}


def process_page(inp: InputFile, page: int, cfg: PageConfig) -> dict:
    """Worker task: one page as PageText (the file's text, or our OCR), or an error."""
    _worker_setup()
    start = time.monotonic()
    try:
        item = load_page(inp, page, cfg.dpi, timeout=cfg.timeout)
    except Exception as e:  # noqa: BLE001 - reported per page, the batch goes on
        return page_error(page, e, start)
    return read_page(item, cfg, start)


def read_page(item: PageItem, cfg: PageConfig, start: float) -> dict:
    """A loaded page → the value of its page task: its text as given, or OCR of its image.

    ``start`` is when work on the page began (`time.monotonic`): ``cfg.timeout`` counts from
    there. `process_page` loads the page itself; a Dask worker without the input file
    gets it loaded by the client (`pipeline.distributed`).
    """
    page = item.page
    try:
        if item.text is not None:
            text = item.text
            extra = [w for w in item.warnings if w not in text.warnings]
            if extra:
                text = text.model_copy(update={"warnings": extra + text.warnings})
        elif is_blank(item.image):
            w, h = item.image.size
            text = PageText(page=page, text="", method="ocr", width=w, height=h,
                            warnings=item.warnings + ["blank page"])
        else:
            left = None
            if cfg.timeout:
                left = cfg.timeout - (time.monotonic() - start)
                if left <= 0:
                    raise PageTimeout(f"page took longer than {cfg.timeout:g} s before OCR",
                                      hint="raise --page-timeout")
            text = _ocr(item.image, page, cfg, left)
            if item.warnings:
                text = text.model_copy(update={"warnings": item.warnings + text.warnings})
        del item  # the page image: not kept while the result is built
        if not text.text.strip() and "blank page" not in text.warnings:
            text = text.model_copy(update={"warnings": text.warnings + ["no text found on the page"]})
        return {"page": page, "text": text.model_dump(mode="json"), "error": None,
                "seconds": time.monotonic() - start}
    except Exception as e:  # noqa: BLE001 - reported per page, the batch goes on
        return page_error(page, e, start)


def warm_worker() -> int:
    """Worker task: load now what page tasks load on first use (OCR engine, numeral model,
    lexicon, extractor), so that a timed run measures pages, not start-up. The worker's pid."""
    _worker_setup()
    importlib.import_module("pipeline.extract")
    try:
        from .ocr import engine, tesseract

        engine.load_models()
        tesseract.probe()
    except (ImportError, CircularsError) as e:  # a run without OCR pages needs none of it
        log.debug("worker warm-up: %s", e)
    return os.getpid()


def _resolve(reader: str) -> Callable[[Document], list[Record]]:
    module, _, name = reader.partition(":")
    return getattr(importlib.import_module(module), name)


def finish_file(path: str, sha256: str, pages: list[dict], warnings: list[str], reader: str) -> dict:
    """Worker task: the letters of one file, from its pages."""
    _worker_setup()
    try:
        doc = Document(path=path, sha256=sha256, pages=[PageText.model_validate(p) for p in pages], warnings=warnings)
        records = sorted(_resolve(reader)(doc), key=lambda r: r.source.letter_index)
        return {"records": [r.model_dump(mode="json") for r in records], "error": None}
    except Exception as e:  # noqa: BLE001
        return {"records": [], "error": _error(e)}


# --------------------------------------------------------------------------- backends


class Backend(Protocol):
    """Where tasks run: local worker processes or a Dask cluster."""

    workers: int

    def submit(self, fn: Callable, *args: Any, limit: Optional[float] = None) -> Future:
        """Run ``fn(*args)`` on a worker. After ``limit`` seconds a backend with a watchdog
        stops the worker and fails the task with `TaskTimeout`."""

    def wait(self, futures: Iterable[Future], timeout: Optional[float]) -> set: ...

    def result(self, future: Future) -> Any:
        """The task's value; raises `WorkerLost` when the worker died under it."""

    def close(self, *, cancel: bool = False) -> None: ...


class WorkerLost(Exception):
    """The process running a task died (crash, out of memory, killed)."""


class TaskTimeout(WorkerLost):
    """The task outlived its time limit and the watchdog stopped its worker."""

    def __init__(self, limit: float):
        super().__init__(f"still running after {limit:g} s: the worker was stopped")
        self.limit = limit


def watchdog_limit(page_timeout: Optional[float]) -> Optional[float]:
    """When the watchdog stops a page's worker: ``--page-timeout`` plus 10 % and 1 s.

    The page's own limits fire first (every poppler and Tesseract call has one, and OCR
    starts only with time left), so the watchdog only catches a page stuck in Python code;
    the margin lets a page that is finishing report its own timeout.
    """
    if not page_timeout:
        return None
    return page_timeout + max(1.0, 0.1 * page_timeout)


@dataclass(eq=False)
class _Job:
    future: Future
    fn: Callable
    args: tuple
    limit: Optional[float]
    attempts: int = 0


@dataclass(eq=False)
class _Slot:
    """One worker process and the job it is running."""

    process: Any  # multiprocessing.Process
    conn: Any  # our end of its pipe
    job: Optional[_Job] = None
    started: float = 0.0
    dead: bool = False


class LocalBackend:
    """Worker processes on this machine, one Tesseract thread and one task at a time each.

    A manager thread hands a worker its next task the moment it is free (whatever the main
    thread is doing), and is the watchdog: a task that outlives its ``limit`` — a page stuck
    in Python code, which no subprocess timeout reaches — has its worker killed (with any
    Tesseract under it) and replaced, and fails with `TaskTimeout`; the other workers go on.
    A worker that dies under a task fails that task only (after `CRASH_RETRIES` more tries).
    """

    #: A task whose worker died runs once more before it fails: the death may have been
    #: another worker's doing (the kernel's OOM killer picks the largest process).
    CRASH_RETRIES = 1

    def __init__(self, workers: int):
        import multiprocessing

        self.workers = workers
        _worker_setup()  # inherited by the worker processes
        # forkserver: workers do not inherit the threads (progress bar, manager) of this process.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        self._lock = threading.Lock()
        self._jobs: deque[_Job] = deque()
        self._closing = False
        self._failed: Optional[WorkerLost] = None
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._slots = [self._start() for _ in range(workers)]
        self._thread = threading.Thread(target=self._manage, name="circulars-workers", daemon=True)
        self._thread.start()

    # -- the main thread's side

    def submit(self, fn, *args, limit=None):
        future: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the backend is closed")
            if self._failed is not None:
                future.set_exception(self._failed)
                return future
            self._jobs.append(_Job(future, fn, args, limit))
        self._wake()
        return future

    def wait(self, futures, timeout):
        done, _ = futures_wait(list(futures), timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    def result(self, future):
        return future.result()

    def warm(self) -> set[int]:
        """Run `warm_worker` on every worker now (the bench times runs without start-up); their pids."""
        with self._lock:  # queued together: the manager hands one to each idle worker
            if self._failed is not None:
                raise self._failed
            futures: list[Future] = [Future() for _ in self._slots]
            self._jobs.extend(_Job(f, warm_worker, (), None) for f in futures)
        self._wake()
        return {f.result() for f in futures}

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers: idle ones are told to exit; busy ones (or all, with ``cancel``) are killed."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            queued = list(self._jobs)
            self._jobs.clear()
        self._wake()
        self._thread.join()
        for job in queued:
            job.future.cancel()
        for slot in self._slots:
            if slot.dead:
                continue
            if cancel or slot.job is not None:
                _kill(slot.process)
                if slot.job is not None:
                    slot.job.future.cancel()
            else:
                with contextlib.suppress(OSError):
                    slot.conn.send(None)
        for slot in self._slots:
            slot.process.join(5)
            if slot.process.is_alive():
                _kill(slot.process)
            slot.conn.close()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):  # a full pipe wakes the manager as well
            os.write(self._wake_w, b"x")

    # -- the manager thread

    def _start(self) -> _Slot:
        ours, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_worker_main, args=(theirs,), name="circulars-worker", daemon=True)
        process.start()
        theirs.close()
        return _Slot(process, ours)

    def _manage(self) -> None:
        try:
            self._manage_loop()
        except Exception as e:  # a bug here must fail the tasks, not leave the run waiting
            log.exception("the worker manager failed")
            self._failed = WorkerLost(f"the worker manager failed: {type(e).__name__}: {e}")
            with self._lock:
                jobs = [*self._jobs, *(s.job for s in self._slots if s.job is not None)]
                self._jobs.clear()
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(self._failed)

    def _manage_loop(self) -> None:
        from multiprocessing.connection import wait as connection_wait

        while True:
            with self._lock:
                if self._closing:
                    return
                self._dispatch()
            live = [s for s in self._slots if not s.dead]
            waiting = [self._wake_r, *(s.conn for s in live if s.job), *(s.process.sentinel for s in live)]
            ready = connection_wait(waiting, timeout=self._next_deadline())
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            for slot in live:
                if slot.job is not None and slot.conn in ready:
                    self._receive(slot)
                elif slot.process.sentinel in ready:
                    self._died(slot)
            self._watchdog()

    def _dispatch(self) -> None:
        for i, slot in enumerate(self._slots):
            if slot.job is not None or not self._jobs:
                continue
            if slot.dead:  # replaced only when there is work, so a worker that cannot start does not spin
                slot = self._slots[i] = self._start()
            job = self._jobs.popleft()
            try:
                slot.conn.send((job.fn, job.args))
            except OSError:  # died since we last looked: its sentinel tells the manager next round
                self._jobs.appendleft(job)
                continue
            except Exception as e:  # noqa: BLE001 - the task does not pickle: its own failure
                job.future.set_exception(e)
                continue
            slot.job, slot.started = job, time.monotonic()

    def _next_deadline(self) -> Optional[float]:
        ends = [s.started + s.job.limit for s in self._slots if s.job is not None and s.job.limit is not None]
        return max(0.0, min(ends) - time.monotonic()) if ends else None

    def _receive(self, slot: _Slot) -> None:
        try:
            status, value = slot.conn.recv()
        except (EOFError, OSError):  # died before it could answer
            self._died(slot)
            return
        except Exception as e:  # noqa: BLE001 - the answer does not unpickle here
            status, value = "raised", e
        job, slot.job = slot.job, None
        assert job is not None
        if status == "ok":
            job.future.set_result(value)
        else:
            job.future.set_exception(value)

    def _died(self, slot: _Slot) -> None:
        slot.process.join(5)
        code = slot.process.exitcode
        slot.conn.close()
        slot.dead = True
        job, slot.job = slot.job, None
        if job is None:
            return
        if job.attempts < self.CRASH_RETRIES:
            job.attempts += 1
            with self._lock:
                self._jobs.appendleft(job)
            return
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        job.future.set_exception(WorkerLost(how))

    def _watchdog(self) -> None:
        now = time.monotonic()
        for slot in self._slots:
            job = slot.job
            if job is None or job.limit is None or now - slot.started <= job.limit:
                continue
            _kill(slot.process)
            slot.conn.close()
            slot.dead = True
            slot.job = None
            job.future.set_exception(TaskTimeout(job.limit))


def _kill(process) -> None:
    """SIGKILL a worker and the programs it runs (a Tesseract would outlive it otherwise)."""
    import psutil

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        children = []
    with contextlib.suppress(OSError, ValueError):
        process.kill()
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()
    with contextlib.suppress(ValueError):
        process.join(5)


def _worker_main(conn) -> None:
    """A worker process: run the tasks the manager sends until told to stop (or the run is gone)."""
    _worker_init()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the run ended, or died
            return
        except Exception as e:  # noqa: BLE001 - the task could not be unpickled here
            reply: tuple = ("raised", e)
        else:
            if job is None:
                return
            fn, args = job
            try:
                reply = ("ok", fn(*args))
            except Exception as e:  # noqa: BLE001 - raised again in the run, as a pool would
                reply = ("raised", e)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as e:  # noqa: BLE001 - the value does not pickle
            conn.send(("raised", RuntimeError(f"the task's result cannot be sent: {type(e).__name__}: {e}")))


def _worker_init() -> None:
    import signal

    _worker_setup()
    # Ctrl-C goes to the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def make_backend(options: RunOptions) -> Backend:
    if options.scheduler:
        from .distributed import DaskBackend

        return DaskBackend(options.scheduler, options.n_workers(), shared_fs=options.shared_fs)
    return LocalBackend(options.n_workers())


# --------------------------------------------------------------------------- progress


class Progress:
    """A tqdm bar on a terminal; plain log lines otherwise."""

    def __init__(self, files: int, enabled: Optional[bool]):
        self.files_total = files
        self.files_done = 0
        self.pages_total = 0
        self.pages_done = 0  # read in this run
        self.pages_cached = 0
        self.files_opened = 0
        self.start = time.monotonic()
        self.last_log = self.start
        tty = sys.stderr.isatty() if enabled is None else enabled
        self.bar = None
        if tty:
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="page", file=sys.stderr, dynamic_ncols=True,
                            bar_format="{n_fmt}/{total_fmt} pages |{bar}| {elapsed}{postfix}")
            self._refresh()

    def rate(self) -> float:
        minutes = (time.monotonic() - self.start) / 60
        return self.pages_done / minutes if minutes > 0 else 0.0

    def eta(self) -> Optional[float]:
        rate = self.rate()
        if not rate:
            return None
        known_left = self.pages_total - self.pages_done - self.pages_cached
        per_file = self.pages_total / self.files_opened if self.files_opened else 1
        unopened = max(0, self.files_total - self.files_opened) * per_file
        return (known_left + unopened) / rate * 60

    def _status(self) -> str:
        eta = self.eta()
        return (f"files {self.files_done}/{self.files_total}, {self.rate():.1f} pages/min, "
                f"ETA {_duration(eta) if eta is not None else '?'}")

    def _refresh(self) -> None:
        if self.bar is not None:
            self.bar.total = self.pages_total
            self.bar.n = self.pages_done + self.pages_cached
            self.bar.set_postfix_str(self._status(), refresh=False)
            self.bar.refresh()

    def opened(self, pages: int) -> None:
        self.files_opened += 1
        self.pages_total += pages
        self._refresh()

    def page(self, cached: bool = False, n: int = 1) -> None:
        if cached:
            self.pages_cached += n
        else:
            self.pages_done += n
        self._refresh()

    def file(self, result: FileResult) -> None:
        self.files_done += 1
        errors = "; ".join(e.get("message", "") for e in result.errors[:2])
        line = f"{result.status:7} {result.path} ({result.pages} pages, {result.letters} letters)"
        if errors:
            line += f": {errors}"
        if self.bar is not None:
            if result.status in ("failed", "partial"):
                self.bar.write(line, file=sys.stderr)
            self._refresh()
        else:
            log.info("[%d/%d] %s", self.files_done, self.files_total, line)
            self.last_log = time.monotonic()

    def tick(self) -> None:
        if self.bar is not None:
            self._refresh()
        elif time.monotonic() - self.last_log >= LOG_EVERY:
            done = self.pages_done + self.pages_cached
            log.info("%d/%d pages, %s", done, self.pages_total, self._status())
            self.last_log = time.monotonic()

    def close(self) -> None:
        if self.bar is not None:
            self._refresh()
            self.bar.close()


# --------------------------------------------------------------------------- the run


@dataclass
class _Task:
    kind: Literal["probe", "page", "finish"]
    file: int
    args: tuple
    page: int = 0


@dataclass
class _FileState:
    index: int
    given: str
    inp: Optional[InputFile] = None
    pages_left: set[int] = field(default_factory=set)
    page_errors: dict[int, dict] = field(default_factory=dict)
    page_warnings: dict[int, list[str]] = field(default_factory=dict)
    started: float = 0.0
    result: Optional[FileResult] = None
    alias_of: Optional[int] = None  # same content as an earlier-started file


class _Run:
    def __init__(self, files: list[str], options: RunOptions, backend: Backend, cache: Cache):
        self.options = options
        self.backend = backend
        self.cache = cache
        self.states = [_FileState(i, given) for i, given in enumerate(files)]
        self.to_open = deque(range(len(files)))
        self.ready: deque[_Task] = deque()  # finish tasks go first, then pages
        self.in_flight: dict[Future, _Task] = {}
        self.page_limit = watchdog_limit(options.page.timeout)
        self.by_sha: dict[str, int] = {}
        self.open_files = 0
        self.progress = Progress(len(files), options.progress)
        self.stopped = False
        self.fatal: Optional[CircularsError] = None

    # -- scheduling

    def run(self) -> None:
        try:
            while not self._finished():
                self._fill()
                if not self.in_flight:
                    break
                done = self.backend.wait(self.in_flight.keys(), timeout=1.0)
                for future in done:
                    task = self.in_flight.pop(future)
                    try:
                        value = self.backend.result(future)
                    except WorkerLost as e:
                        self._lost(task, e)
                        continue
                    self._handle(task, value)
                self.progress.tick()
        finally:
            self.progress.close()

    def _finished(self) -> bool:
        if self.stopped or self.fatal:
            return True
        return not self.to_open and not self.ready and not self.in_flight

    def _fill(self) -> None:
        limit = self.backend.workers * QUEUE_PER_WORKER
        while len(self.in_flight) < limit and not self.stopped:
            if self.ready:
                task = self.ready.popleft()
            elif self.to_open and self.open_files < self.backend.workers + OPEN_AHEAD:
                i = self.to_open.popleft()
                self.open_files += 1
                self.states[i].started = time.monotonic()
                # Absolute: a Dask worker's working folder is not ours.
                task = _Task("probe", i, (str(Path(self.states[i].given).absolute()),))
            else:
                return
            self._submit(task)

    def _submit(self, task: _Task) -> None:
        fn = {"probe": probe_file, "page": process_page, "finish": finish_file}[task.kind]
        limit = self.page_limit if task.kind == "page" else None
        self.in_flight[self.backend.submit(fn, *task.args, limit=limit)] = task

    def _lost(self, task: _Task, e: WorkerLost) -> None:
        where = self.states[task.file].given
        if isinstance(e, TaskTimeout):
            log.warning("%s: page %d still running after %g s: its worker was stopped", where, task.page, e.limit)
        else:
            log.warning("%s: a worker died reading it (%s task, page %s)", where, task.kind, task.page or "-")
        self._handle(task, self._lost_value(task, e))

    def _lost_value(self, task: _Task, e: WorkerLost) -> dict:
        if isinstance(e, TaskTimeout):
            err = {"code": PageTimeout.code,
                   "message": f"page took longer than {self.options.page.timeout:g} s (stuck: its worker was "
                              f"stopped after {e.limit:g} s)",
                   "hint": "raise --page-timeout; a page that hangs again is damaged or pathological"}
        else:
            err = {"code": "worker-crashed", "message": f"the worker process died ({e})",
                   "hint": "the file may be too large for memory; try fewer --workers"}
        if task.kind == "probe":
            return {"error": err}
        if task.kind == "page":
            return {"page": task.page, "text": None, "error": {**err, "page": task.page}}
        return {"records": [], "error": err}

    # -- results

    def _handle(self, task: _Task, value: dict) -> None:
        state = self.states[task.file]
        if task.kind == "probe":
            self._opened(state, value)
        elif task.kind == "page":
            self._page_done(state, value)
        else:
            self._finished_file(state, value)

    def _opened(self, state: _FileState, value: dict) -> None:
        if "error" in value:
            self._settle(state, FileResult(state.index, state.given, "failed", errors=[value["error"]]))
            return
        inp: InputFile = value["input"]
        state.inp = inp
        if inp.sha256 in self.by_sha:  # same bytes as another input: read once
            state.alias_of = self.by_sha[inp.sha256]
            self._settle(state, FileResult(state.index, state.given, "skipped", sha256=inp.sha256, kind=inp.kind,
                                           pages=inp.pages))
            return
        self.by_sha[inp.sha256] = state.index
        self.progress.opened(inp.pages)
        if not self.options.force:
            cached = self.cache.read(self.cache.file_path(inp.sha256))
            if cached is not None and not _retry(cached["errors"]):
                result = FileResult(state.index, state.given, cached["status"], sha256=inp.sha256, kind=inp.kind,
                                    pages=inp.pages, letters=len(cached["records"]), errors=cached["errors"],
                                    warnings=cached["warnings"], cached=True)
                self.progress.page(cached=True, n=inp.pages)
                self._settle(state, result)
                return
        state.pages_left = set(range(1, inp.pages + 1))
        for page in range(1, inp.pages + 1):
            got = None if self.options.force else self.cache.read(self.cache.page_path(inp.sha256, page))
            if got is not None and not _retry([got["error"]] if got.get("error") else []):
                self._record_page(state, got)
                self.progress.page(cached=True)
            else:
                self.ready.append(_Task("page", state.index, (inp, page, self.options.page), page=page))
        if not state.pages_left:
            self._queue_finish(state)

    def _page_done(self, state: _FileState, value: dict) -> None:
        err = value.get("error")
        if err and err.get("code") == MissingDependency.code:
            # Not this file's fault, and every other page would fail the same way: stop, cache nothing.
            self.fatal = MissingDependency(err["message"], hint=err.get("hint"))
            return
        assert state.inp is not None
        self.cache.write(self.cache.page_path(state.inp.sha256, value["page"]), value)
        self.progress.page()
        self._record_page(state, value)
        if err and self.options.fail_fast:
            log.error("%s: page %d: %s", state.given, value["page"], err.get("message"))
            self.stopped = True
            return
        if not state.pages_left:
            self._queue_finish(state)

    def _record_page(self, state: _FileState, value: dict) -> None:
        state.pages_left.discard(value["page"])
        if value.get("error"):
            state.page_errors[value["page"]] = value["error"]
        elif value["text"]["warnings"]:
            state.page_warnings[value["page"]] = value["text"]["warnings"]

    def _page_texts(self, state: _FileState) -> list[dict]:
        assert state.inp is not None
        texts = []
        for page in range(1, state.inp.pages + 1):
            if page in state.page_errors:
                continue
            got = self.cache.read(self.cache.page_path(state.inp.sha256, page))
            if got and got.get("text"):
                texts.append(got["text"])
        return texts

    def _queue_finish(self, state: _FileState) -> None:
        assert state.inp is not None
        texts = self._page_texts(state)
        if not texts:  # every page failed: nothing to read letters from
            self._store(state, [], None)
            return
        warnings = list(state.inp.warnings)
        for page, err in sorted(state.page_errors.items()):
            warnings.append(f"page {page} not read: {err.get('message')}")
        task = _Task("finish", state.index, (state.given, state.inp.sha256, texts, warnings, self.options.reader))
        self.ready.appendleft(task)

    def _finished_file(self, state: _FileState, value: dict) -> None:
        self._store(state, value.get("records", []), value.get("error"))

    def _store(self, state: _FileState, records: list[dict], read_error: Optional[dict]) -> None:
        inp = state.inp
        assert inp is not None
        errors = [state.page_errors[p] for p in sorted(state.page_errors)]
        warnings = list(inp.warnings) + [
            f"page {p}: {w}"
            for p in sorted(state.page_warnings)
            for w in state.page_warnings[p]
            if w not in inp.warnings
        ]
        if len(state.page_errors) == inp.pages:
            status: Status = "failed"
        elif read_error is not None:  # reading letters from the pages failed
            status = "failed"
            errors.append(read_error)
        elif not records:
            status = "failed"
            errors.append({"code": "no-letter", "message": "no letter found in the file's text",
                           "hint": "see the page warnings: blank, unreadable or not a circular"})
        else:
            status = "partial" if state.page_errors else "ok"
        entry = {"version": CACHE_VERSION, "sha256": inp.sha256, "path": state.given, "status": status,
                 "pages": inp.pages, "errors": errors, "warnings": warnings, "records": records}
        self.cache.write(self.cache.file_path(inp.sha256), entry)
        result = FileResult(state.index, state.given, status, sha256=inp.sha256, kind=inp.kind, pages=inp.pages,
                            letters=len(records), errors=errors, warnings=warnings,
                            seconds=time.monotonic() - state.started)
        self._settle(state, result)

    def _settle(self, state: _FileState, result: FileResult) -> None:
        state.result = result
        self.open_files -= 1
        self.progress.file(result)
        if self.options.fail_fast and result.status in ("failed", "partial"):
            self.stopped = True


def _retry(errors: list[dict]) -> bool:
    return any(e.get("code") in RETRY_CODES for e in errors)


def _ordered_records(states: list[_FileState], cache: Cache) -> tuple[list[Record], list[FileResult]]:
    """Records in input order (then letter index), each file's records read back from the cache."""
    records: list[Record] = []
    results: list[FileResult] = []
    owner_of_sha: dict[str, int] = {}
    for state in states:  # the first path in input order owns content given twice
        if state.inp is not None and state.inp.sha256 not in owner_of_sha:
            owner_of_sha[state.inp.sha256] = state.index
    for state in states:
        result = state.result
        if result is None:  # the run stopped before this file (--fail-fast)
            results.append(FileResult(state.index, state.given, "skipped",
                                      warnings=["not read: the run stopped at the first failure (--fail-fast)"]))
            continue
        inp = state.inp
        if inp is not None and owner_of_sha.get(inp.sha256) != state.index:
            owner = states[owner_of_sha[inp.sha256]]
            result = FileResult(state.index, state.given, "skipped", sha256=inp.sha256, kind=inp.kind, pages=inp.pages,
                                warnings=[f"same content as {owner.given}: read once"])
            results.append(result)
            continue
        if inp is not None and result.status == "skipped" and state.alias_of is not None:
            # This path owns the content but another path (later in order) was read first.
            source = states[state.alias_of].result
            if source is None:
                continue
            result = FileResult(**{**asdict(source), "index": state.index, "path": state.given})
        results.append(result)
        if inp is None or result.status == "failed":
            continue
        entry = cache.read(cache.file_path(inp.sha256)) or {"records": []}
        for raw in entry["records"]:
            record = Record.model_validate(raw)
            if record.source.path != state.given:  # read under another name, or moved since
                record = record.model_copy(update={"source": record.source.model_copy(update={"path": state.given})})
            records.append(record)
    return records, results


def _link(records: list[Record]) -> list[Record]:
    from .link import link_records

    position = {r.id: i for i, r in enumerate(records)}
    linked = link_records(records)
    return sorted(linked, key=lambda r: position.get(r.id, len(position)))


def write_run_outputs(records: list[Record], results: list[FileResult], out: Path) -> dict[str, Path]:
    """Exports of the records (`pipeline.export`), plus ``errors.jsonl`` and ``files.jsonl``."""
    try:
        from .export import write_outputs
    except ModuleNotFoundError as e:
        if e.name != "pipeline.export":
            raise
        outputs = {"records.jsonl": _fallback_records_jsonl(records, out)}
    else:
        outputs = dict(write_outputs(records, out))
    errors = []
    for r in results:
        for err in r.errors:
            errors.append({"path": r.path, "sha256": r.sha256, "status": r.status, **err})
    outputs["errors.jsonl"] = out / "errors.jsonl"
    atomic_write(outputs["errors.jsonl"], _jsonl(errors))
    outputs["files.jsonl"] = out / "files.jsonl"
    atomic_write(outputs["files.jsonl"], _jsonl([r.to_dict() for r in results]))
    return outputs


def _fallback_records_jsonl(records: list[Record], out: Path) -> Path:
    """FALLBACK while `pipeline.export` is not built: records.jsonl only."""
    log.warning("pipeline.export is not available: writing records.jsonl only (fallback)")
    path = out / "records.jsonl"
    atomic_write(path, b"".join(r.model_dump_json().encode("utf-8") + b"\n" for r in records))
    return path


def _jsonl(rows: list[dict]) -> bytes:
    return b"".join(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n" for row in rows)


def run_batch(inputs: Sequence[str | Path], options: RunOptions, *, backend: Optional[Backend] = None) -> RunSummary:
    """Read every input into records and write the outputs under ``options.out``."""
    start = time.monotonic()
    out = Path(options.out)
    files = discover(inputs, out)
    if not files:
        raise UsageError("no input files found", hint=f"give files or folders with {', '.join(sorted(SUFFIXES))}")
    out.mkdir(parents=True, exist_ok=True)
    with _run_lock(out):
        cache = Cache(out, options.page.key())
        cache.open()
        own_backend = backend is None
        backend = backend or make_backend(options)
        run = _Run(files, options, backend, cache)
        interrupted = True
        try:
            run.run()
            interrupted = False
        finally:
            if own_backend:
                backend.close(cancel=interrupted or run.stopped or run.fatal is not None)
        if run.fatal is not None:
            raise run.fatal
        records, results = _ordered_records(run.states, cache)
        if records:
            records = _link(records)
        outputs = write_run_outputs(records, results, out)
    pages_cached = run.progress.pages_cached
    summary = RunSummary(files=results, records=records, outputs=outputs, pages_read=run.progress.pages_done,
                         pages_cached=pages_cached, seconds=time.monotonic() - start, stopped=run.stopped)
    return summary


def clear_cache(out: Path) -> None:
    """Remove ``OUT/.cache`` (what ``--force`` makes unnecessary; kept for tests and tools)."""
    shutil.rmtree(Path(out) / ".cache", ignore_errors=True)


__all__ = [
    "PageConfig", "RunOptions", "FileResult", "RunSummary", "Backend", "LocalBackend", "WorkerLost", "TaskTimeout",
    "discover", "run_batch", "process_page", "read_page", "page_error", "probe_file", "finish_file", "warm_worker",
    "watchdog_limit", "is_blank", "atomic_write", "write_run_outputs", "available_cores", "SUFFIXES",
]
