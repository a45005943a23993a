"""Running the batch's page tasks on Dask, for archives one machine cannot read in time.

``circulars run … --scheduler local`` starts a `LocalCluster` here (processes, one
thread each, ``--workers`` of them); ``--scheduler tcp://HOST:8786`` sends the same
tasks to an existing ``dask.distributed`` cluster. Either way the client — the
machine running ``circulars run`` — keeps the cache and writes every output, so a
cluster run gives the same records as a local one and resumes the same way.

What the workers need (see the README, "Running on a cluster"): the same version
of this package (tasks are pickled by reference to `pipeline.batch`), Tesseract with
the ``tha`` data, poppler-utils, the project's ``models/``, and the input files at
the same absolute paths as on the client (a shared filesystem).
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable, Optional

from .batch import WorkerLost
from .errors import MissingDependency

log = logging.getLogger(__name__)

#: How long to wait for a remote scheduler to answer before giving up.
CONNECT_TIMEOUT = "30s"


class DaskBackend:
    """The batch runner's `Backend` on a Dask cluster (local or remote)."""

    #: Dask reschedules the tasks of a dead worker itself; only the task that kills
    #: workers repeatedly fails (KilledWorker).
    crash_breaks_all = False

    def __init__(self, scheduler: str, workers: int):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:  # an optional dependency of the package
            raise MissingDependency("dask.distributed is not installed", hint="pip install 'dask[distributed]'") from e
        if not log.isEnabledFor(logging.DEBUG):  # Dask's own INFO lines drown our progress lines
            logging.getLogger("distributed").setLevel(logging.WARNING)
        self.cluster = None
        self._pending: set = set()
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
        threads = sum(self.client.nthreads().values())
        self.workers = max(1, threads or workers)
        log.info("Dask: %s, %d worker threads", self.client.scheduler.address, self.workers)

    def submit(self, fn: Callable, *args: Any) -> Any:
        # pure=False: the same page asked twice (after a kill) is a new task, not a cached key.
        future = self.client.submit(fn, *args, pure=False)
        self._pending.add(future)
        return future

    def wait(self, futures: Iterable[Any], timeout: Optional[float]) -> set:
        from dask.distributed import wait

        try:
            done, _ = wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return set()
        return set(done)

    def result(self, future: Any) -> Any:
        self._pending.discard(future)
        try:
            return future.result()
        except Exception as e:  # noqa: BLE001 - KilledWorker, CancelledError, a worker without our package…
            raise WorkerLost(f"{type(e).__name__}: {e}") from e

    def restart(self) -> None:
        """Nothing to do: Dask replaces dead workers itself."""

    def close(self, *, cancel: bool = False) -> None:
        try:
            if cancel and self._pending:
                self.client.cancel(list(self._pending))
            self._pending.clear()
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


__all__ = ["DaskBackend"]
