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
``OUT/files.jsonl``. `--fail-fast` stops at the first failure instead.
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
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Optional, Protocol, Sequence

from .errors import EXIT_OK, EXIT_SOME_FAILED, CircularsError, MissingDependency, PageTimeout, UsageError
from .ingest import InputFile, load_page, open_input
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
        fields = {k: v for k, v in asdict(self).items() if k != "timeout"}
        fields["cache_version"] = CACHE_VERSION
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class RunOptions:
    """``circulars run`` options, validated once (see `pipeline.commands.run`)."""

    out: Path
    workers: int = 0  # 0 = one per core
    force: bool = False
    fail_fast: bool = False
    scheduler: Optional[str] = None  # None: process pool; "local" or "tcp://host:8786": Dask
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


def process_page(inp: InputFile, page: int, cfg: PageConfig) -> dict:
    """Worker task: one page as PageText (the file's text, or our OCR), or an error."""
    _worker_setup()
    start = time.monotonic()
    try:
        item = load_page(inp, page, cfg.dpi, timeout=cfg.timeout)
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
        del item
        if not text.text.strip() and "blank page" not in text.warnings:
            text = text.model_copy(update={"warnings": text.warnings + ["no text found on the page"]})
        return {"page": page, "text": text.model_dump(mode="json"), "error": None,
                "seconds": time.monotonic() - start}
    except Exception as e:  # noqa: BLE001 - reported per page, the batch goes on
        return {"page": page, "text": None, "error": _error(e, page), "seconds": time.monotonic() - start}


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
    """Where tasks run: a local process pool or a Dask cluster."""

    workers: int
    #: True when one dead worker fails every task in flight (a process pool), not just its own.
    crash_breaks_all: bool

    def submit(self, fn: Callable, *args: Any) -> Any: ...

    def wait(self, futures: Iterable[Any], timeout: Optional[float]) -> set: ...

    def result(self, future: Any) -> Any:
        """The task's value; raises `WorkerLost` when the worker died under it."""

    def restart(self) -> None: ...

    def close(self, *, cancel: bool = False) -> None: ...


class WorkerLost(Exception):
    """The process running a task died (crash, out of memory, killed)."""


class LocalBackend:
    """A pool of worker processes on this machine, one Tesseract thread each."""

    crash_breaks_all = True

    def __init__(self, workers: int):
        self.workers = workers
        _worker_setup()  # inherited by the pool's processes
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        import multiprocessing

        # forkserver: workers do not inherit the threads (progress bar) of this process.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context(method), initializer=_worker_init
        )

    def submit(self, fn, *args):
        return self._pool.submit(fn, *args)

    def wait(self, futures, timeout):
        done, _ = futures_wait(list(futures), timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    def result(self, future):
        try:
            return future.result()
        except BrokenProcessPool as e:
            raise WorkerLost(str(e) or "a worker process died") from e

    def restart(self) -> None:
        self.close(cancel=True)
        self._pool = self._new_pool()

    def close(self, *, cancel: bool = False) -> None:
        if cancel:
            # Running tasks cannot be cancelled: end our own worker processes.
            processes = list((getattr(self._pool, "_processes", None) or {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for proc in processes:
                with contextlib.suppress(Exception):
                    proc.terminate()
            for proc in processes:
                with contextlib.suppress(Exception):
                    proc.join(5)
        else:
            self._pool.shutdown(wait=True)


def _worker_init() -> None:
    import signal

    _worker_setup()
    # Ctrl-C goes to the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def make_backend(options: RunOptions) -> Backend:
    if options.scheduler:
        from .distributed import DaskBackend

        return DaskBackend(options.scheduler, options.n_workers())
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
        self.in_flight: dict[Any, _Task] = {}
        # Tasks that were in flight when a worker died: run one at a time to find the culprit.
        self.suspects: deque[_Task] = deque()
        self.isolating: Optional[_Task] = None
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
                    task = self.in_flight.pop(future, None)
                    if task is None:  # handed out again after a worker died
                        continue
                    try:
                        value = self.backend.result(future)
                    except WorkerLost as e:
                        self._lost(task, e)
                        continue
                    if task is self.isolating:  # it ran alone and lived: not the culprit
                        self.isolating = None
                    self._handle(task, value)
                self.progress.tick()
        finally:
            self.progress.close()

    def _finished(self) -> bool:
        if self.stopped or self.fatal:
            return True
        return not self.to_open and not self.ready and not self.in_flight and not self.suspects

    def _fill(self) -> None:
        if self.isolating is not None:
            return
        if self.suspects:
            if not self.in_flight:
                self.isolating = self.suspects.popleft()
                self._submit(self.isolating)
            return
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
        self.in_flight[self.backend.submit(fn, *task.args)] = task

    def _lost(self, task: _Task, e: Exception) -> None:
        if not self.backend.crash_breaks_all or self.isolating is task:
            # Dask retried it on other workers already; or it ran alone: either way it is the culprit.
            self.isolating = None
            if self.backend.crash_breaks_all:
                self.backend.restart()
            log.warning("%s: a worker died reading it (%s task, page %s)", self.states[task.file].given, task.kind,
                        task.page or "-")
            self._handle(task, self._lost_value(task, e))
            return
        # A process pool breaks whole: every task in flight failed with it, and any one may be
        # the culprit. Start a new pool and run them again one at a time.
        self.suspects.extend([task, *self.in_flight.values()])
        self.in_flight.clear()
        self.backend.restart()

    @staticmethod
    def _lost_value(task: _Task, e: Exception) -> dict:
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
    "PageConfig", "RunOptions", "FileResult", "RunSummary", "Backend", "LocalBackend", "WorkerLost",
    "discover", "run_batch", "process_page", "probe_file", "finish_file", "is_blank", "atomic_write",
    "write_run_outputs", "available_cores", "SUFFIXES",
]
