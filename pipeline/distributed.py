"""Running the batch's tasks on Dask, for archives one machine cannot read in time.

``circulars run … --scheduler local`` starts a `LocalCluster` here (processes, one
thread each, ``--workers`` of them); ``--scheduler tcp://HOST:8786`` sends the same
tasks to an existing ``dask.distributed`` cluster. Either way the client — the
machine running ``circulars run`` — keeps the cache and writes every output, so a
cluster run gives the same records as a local one and resumes the same way.

A page reaches a worker in one of two ways:

- **paths** (a LocalCluster, or a remote cluster with ``--shared-fs``): tasks name the
  input file and the workers read it, as a local run does. The workers must see the
  inputs at the client's absolute paths;
- **bytes** (a remote scheduler, unless ``--shared-fs``): the client opens each input
  itself (sniffing, content hash, page count) and sends each page task its data: the
  whole file when it has one page or is small (`SEND_FILE_MAX`), otherwise the page
  loaded on the client (`pipeline.ingest.load_page`) — its text, or its image as
  lossless PNG. Pages are loaded by a few client threads only as tasks are handed out,
  and the batch runner keeps at most two tasks per worker thread in flight, so the
  client holds a bounded number of pages, however large the archive.

What the workers need (README, "Running on a cluster"): the same version of this
package (tasks are pickled by reference to `pipeline.batch` and this module),
Tesseract with the ``tha`` data, poppler-utils and the project's ``models/``.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

from .batch import (
    PageConfig,
    WorkerLost,
    _worker_setup,
    page_error,
    probe_file,
    process_page,
    read_page,
    warm_worker,
)
from .errors import MissingDependency
from .ingest import InputFile, PageItem, load_page
from .types import PageText

log = logging.getLogger(__name__)

#: How long to wait for a remote scheduler to answer before giving up.
CONNECT_TIMEOUT = "30s"
#: Bytes mode: a file up to this size goes to the workers whole with each of its page tasks
#: (no work on the client); pages of larger multi-page files are loaded on the client. A 300-dpi
#: A4 page as PNG is 0.3-3 MB, so up to this size the whole file costs no more to send.
SEND_FILE_MAX = 2 * 2**20
#: Bytes mode: client threads that open inputs and load pages (poppler runs as a subprocess).
CLIENT_THREADS = 2


# --------------------------------------------------------------------------- pages as bytes


@dataclass(frozen=True)
class PagePayload:
    """One page for a worker that cannot see the input file: the file's bytes, or the page loaded."""

    inp: InputFile  # as the client opened it (its path is the client's)
    page: int
    #: the whole input file
    file: Optional[bytes] = None
    #: the page's text, `PageText` as JSON (a text file's page, or a trusted PDF text layer)
    text: Optional[dict] = None
    #: the page image, lossless
    png: Optional[bytes] = None
    #: the image's resolution as loaded (PNG would round it)
    dpi: Optional[tuple] = None
    warnings: tuple[str, ...] = ()
    #: spent loading the page on the client; counted against ``--page-timeout``
    seconds: float = 0.0


def page_payload(inp: InputFile, page: int, cfg: PageConfig) -> Union[PagePayload, dict]:
    """Client side: what a worker needs to read page ``page`` of ``inp``.

    When the page cannot be loaded here, the page task's value (its error) instead.
    """
    start = time.monotonic()
    try:
        if inp.pages == 1 or inp.path.stat().st_size <= SEND_FILE_MAX:
            return PagePayload(inp, page, file=inp.path.read_bytes())
        item = load_page(inp, page, cfg.dpi, timeout=cfg.timeout)
        warnings = tuple(item.warnings)
        if item.text is not None:
            return PagePayload(inp, page, text=item.text.model_dump(mode="json"), warnings=warnings,
                               seconds=time.monotonic() - start)
        buf = io.BytesIO()
        item.image.save(buf, format="PNG", compress_level=1)  # encoder time matters more than size
        return PagePayload(inp, page, png=buf.getvalue(), dpi=item.image.info.get("dpi"), warnings=warnings,
                           seconds=time.monotonic() - start)
    except Exception as e:  # noqa: BLE001 - reported per page, the batch goes on
        return page_error(page, e, start)


def read_payload(payload: PagePayload, cfg: PageConfig) -> dict:
    """Worker task (bytes mode): the value of a page task, from what the client sent."""
    _worker_setup()
    if payload.file is not None:
        with tempfile.TemporaryDirectory(prefix="circulars-") as tmp:
            copy = Path(tmp) / payload.inp.path.name
            copy.write_bytes(payload.file)
            value = process_page(dataclasses.replace(payload.inp, path=copy), payload.page, cfg)
        return _client_paths(value, str(copy), str(payload.inp.path))
    start = time.monotonic() - payload.seconds
    try:
        from PIL import Image

        image = None
        if payload.png is not None:
            image = Image.open(io.BytesIO(payload.png))
            image.load()
            if payload.dpi:
                image.info["dpi"] = payload.dpi
        text = PageText.model_validate(payload.text) if payload.text is not None else None
    except Exception as e:  # noqa: BLE001
        return page_error(payload.page, e, start)
    return read_page(PageItem(payload.page, text=text, image=image, warnings=list(payload.warnings)), cfg, start)


def _client_paths(value: dict, copy: str, path: str) -> dict:
    """Errors and warnings name the client's file, not the worker's temporary copy of it."""

    def fix(v: Any) -> Any:
        return v.replace(copy, path) if isinstance(v, str) else v

    if value.get("error"):
        value["error"] = {k: fix(v) for k, v in value["error"].items()}
    if value.get("text"):
        value["text"]["warnings"] = [fix(w) for w in value["text"]["warnings"]]
    return value


# --------------------------------------------------------------------------- the backend


class DaskBackend:
    """The batch runner's `Backend` on a Dask cluster (local or remote).

    Dask reschedules the tasks of a dead worker itself; only a task that kills workers
    repeatedly fails (KilledWorker), and that one alone. There is no watchdog here:
    ``limit`` is not enforced, so a page stuck in Python code holds its worker thread.
    """

    def __init__(self, scheduler: str, workers: int, *, shared_fs: Optional[bool] = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:  # an optional dependency of the package
            raise MissingDependency("dask.distributed is not installed", hint="pip install 'dask[distributed]'") from e
        if not log.isEnabledFor(logging.DEBUG):  # Dask's own INFO lines drown our progress lines
            logging.getLogger("distributed").setLevel(logging.WARNING)
        self.cluster = None
        if scheduler == "local":
            self.cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,  # one Tesseract thread per process, as in a local run
                processes=True,
                dashboard_address="127.0.0.1:0",  # None still binds :8787; a free loopback port never clashes
                env={"OMP_THREAD_LIMIT": "1"},
                silence_logs=logging.WARNING,
            )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as e:
                raise MissingDependency(
                    f"no Dask scheduler answers at {scheduler}",
                    hint="start one (`dask scheduler`, then `dask worker tcp://HOST:8786 --nthreads 1`) "
                    "or use --scheduler local",
                ) from e
        #: True: pages go to the workers as bytes (see the module docstring)
        self.send_bytes = (scheduler != "local") if shared_fs is None else not shared_fs
        threads = sum(self.client.nthreads().values())
        self.workers = max(1, threads or workers)
        self._lock = threading.Lock()
        self._remote: dict[Future, Any] = {}  # our future -> Dask's, until its result is taken
        self._client_threads: Optional[ThreadPoolExecutor] = None
        # Bytes mode: the tasks that read input files do that part here.
        self._here: dict[Callable, Callable] = {}
        if self.send_bytes:
            self._client_threads = ThreadPoolExecutor(CLIENT_THREADS, thread_name_prefix="circulars-client")
            self._here = {probe_file: self._probe_here, process_page: self._send_page}
        log.info("Dask: %s, %d worker threads, inputs sent as %s", self.client.scheduler.address, self.workers,
                 "bytes" if self.send_bytes else "paths")

    def submit(self, fn: Callable, *args: Any, limit: Optional[float] = None) -> Future:
        out: Future = Future()
        here = self._here.get(fn)
        if here is None:
            self._chain(self.client.submit(fn, *args, pure=False), out)
        else:
            assert self._client_threads is not None
            self._client_threads.submit(_settle, out, here, *args)
        return out

    def _probe_here(self, out: Future, path: str) -> None:
        out.set_result(probe_file(path))

    def _send_page(self, out: Future, inp: InputFile, page: int, cfg: PageConfig) -> None:
        payload = page_payload(inp, page, cfg)
        if isinstance(payload, dict):  # the page could not be loaded: that is its result
            out.set_result(payload)
        else:
            self._chain(self.client.submit(read_payload, payload, cfg, pure=False), out)

    def _chain(self, remote: Any, out: Future) -> None:
        # pure=False above: the same page asked twice (after a kill) is a new task, not a cached key.
        with self._lock:
            self._remote[out] = remote

        def done(finished: Any) -> None:
            try:
                value = finished.result()
            except BaseException as e:  # noqa: BLE001 - handed on: `result` makes it a WorkerLost
                out.set_exception(e)
            else:
                out.set_result(value)

        remote.add_done_callback(done)

    def wait(self, futures: Iterable[Future], timeout: Optional[float]) -> set:
        done, _ = futures_wait(list(futures), timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    def result(self, future: Future) -> Any:
        with self._lock:
            self._remote.pop(future, None)
        try:
            return future.result()
        except Exception as e:  # KilledWorker, CancelledError, a worker without our package…
            raise WorkerLost(f"{type(e).__name__}: {e}") from e

    def warm(self) -> set[int]:
        """Run `pipeline.batch.warm_worker` on every worker now; their pids."""
        return set(self.client.run(warm_worker).values())

    def close(self, *, cancel: bool = False) -> None:
        try:
            if self._client_threads is not None:
                self._client_threads.shutdown(wait=True, cancel_futures=True)
            with self._lock:
                remote = list(self._remote.values())
                self._remote.clear()
            if cancel and remote:
                self.client.cancel(remote)
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def _settle(out: Future, step: Callable, *args: Any) -> None:
    try:
        step(out, *args)
    except BaseException as e:  # noqa: BLE001 - a bug in a client step fails its task, not the thread
        if not out.done():
            out.set_exception(e)


__all__ = ["DaskBackend", "PagePayload", "page_payload", "read_payload", "SEND_FILE_MAX"]
