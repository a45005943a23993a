"""Dask runs (`pipeline.distributed`): a LocalCluster of 2 workers gives the records of a local run,
whether tasks send paths (a shared filesystem) or page bytes (the default for a scheduler address)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest
from PIL import Image

pytest.importorskip("dask.distributed")

from pipeline import poppler  # noqa: E402
from pipeline.batch import PageConfig, RunOptions, run_batch  # noqa: E402
from pipeline.bench.batch import PdfPage, write_pdf  # noqa: E402
from pipeline.distributed import DaskBackend  # noqa: E402
from pipeline.errors import MissingDependency  # noqa: E402
from tests.test_batch import letter  # noqa: E402


def make_inputs(root: Path) -> Path:
    root.mkdir()
    for n in range(6):
        body = letter(n) + ("\f" + letter(n + 50) if n % 2 else "")
        (root / f"{n:02d} ฉบับ.txt").write_text(body, encoding="utf-8")
    (root / "bad.txt").write_bytes(b"")
    if poppler.available():
        write_pdf(root / "digital.pdf", [PdfPage(lines=tuple(letter(9).splitlines())), PdfPage(lines=("หน้า ๒",))])
    return root


def opts(out: Path, scheduler=None, shared_fs=None) -> RunOptions:
    return RunOptions(out=out, workers=2, scheduler=scheduler, shared_fs=shared_fs, progress=False,
                      page=PageConfig(dpi=100))


def records(out: Path) -> list[str]:
    return (out / "records.jsonl").read_text(encoding="utf-8").splitlines()


def _note_paths_opened() -> None:
    """On a worker: remember every input path a task opens or loads a page of."""
    from pipeline import batch

    seen: list[str] = []
    batch.paths_opened = seen
    open_input, load_page = batch.open_input, batch.load_page

    def noting_open(path, *args, **kw):
        seen.append(str(path))
        return open_input(path, *args, **kw)

    def noting_load(inp, *args, **kw):
        seen.append(str(inp.path))
        return load_page(inp, *args, **kw)

    batch.open_input, batch.load_page = noting_open, noting_load


def _paths_opened() -> list[str]:
    from pipeline import batch

    opened = list(batch.paths_opened)
    batch.paths_opened.clear()
    return opened


def test_dask_cluster_gives_the_records_of_a_local_run(tmp_path, monkeypatch):
    import cloudpickle
    from dask.distributed import Client, LocalCluster

    inputs = make_inputs(tmp_path / "in")
    if poppler.available():  # a page loaded on the client and sent as an image (blank: no OCR needed)
        write_pdf(inputs / "with blank.pdf", [PdfPage(lines=tuple(letter(12).splitlines())),
                                              PdfPage(image=Image.new("L", (850, 1100), 255))])
    # Every multi-page file's pages loaded on the client, so that both kinds of payload are sent.
    monkeypatch.setattr("pipeline.distributed.SEND_FILE_MAX", 0)
    local = run_batch([inputs], opts(tmp_path / "local"))  # its own LocalBackend(2), closed at the end

    # An existing cluster reached by address, as `--scheduler tcp://HOST:8786` does.
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0")
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers need not import this module
    try:
        with Client(cluster) as client:
            client.run(_note_paths_opened)
            address = cluster.scheduler_address
            shared = run_batch([inputs], opts(tmp_path / "shared", scheduler=address, shared_fs=True))
            by_path = [p for opened in client.run(_paths_opened).values() for p in opened]
            remote = run_batch([inputs], opts(tmp_path / "tcp", scheduler=address))
            by_bytes = [p for opened in client.run(_paths_opened).values() for p in opened]
            again = run_batch([inputs], opts(tmp_path / "tcp", scheduler=address))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
        cluster.close()
    assert again.pages_read == 0 and [r.id for r in again.records] == [r.id for r in remote.records]

    # --shared-fs: the workers open the inputs themselves. Without it (the default for an
    # address) they never touch an input path, only their own copies of small files.
    assert any(p.startswith(str(inputs)) for p in by_path)
    assert by_bytes and not any(p.startswith(str(inputs)) for p in by_bytes)

    for out in ("shared", "tcp"):
        assert records(tmp_path / out) == records(tmp_path / "local")
    for summary in (shared, remote):
        assert [r.id for r in summary.records] == [r.id for r in local.records]
        assert [(f.path, f.status, f.warnings) for f in summary.files] == [
            (f.path, f.status, f.warnings) for f in local.files]
    if poppler.available():
        blank = next(f for f in remote.files if f.path.endswith("with blank.pdf"))
        assert blank.status == "ok" and "page 2: blank page" in blank.warnings
    errors = [json.loads(line) for line in (tmp_path / "tcp" / "errors.jsonl").read_text().splitlines()]
    assert [Path(e["path"]).name for e in errors] == ["bad.txt"]


def test_scheduler_local_starts_and_stops_a_cluster(tmp_path):
    inputs = make_inputs(tmp_path / "in")
    summary = run_batch([inputs], opts(tmp_path / "out", scheduler="local"))
    assert summary.counts["ok"] >= 6 and summary.counts["failed"] == 1
    local = run_batch([inputs], dataclasses.replace(opts(tmp_path / "local"), workers=1))
    assert records(tmp_path / "out") == records(tmp_path / "local")
    assert [r.id for r in local.records] == [r.id for r in summary.records]


def test_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("pipeline.distributed.CONNECT_TIMEOUT", "1s")
    with pytest.raises(MissingDependency, match="no Dask scheduler"):
        DaskBackend("tcp://127.0.0.1:9", 1)
