"""Dask runs (`pipeline.distributed`): a LocalCluster of 2 workers gives the records of a local run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from pipeline import poppler  # noqa: E402
from pipeline.batch import LocalBackend, PageConfig, RunOptions, run_batch  # noqa: E402
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


def opts(out: Path, scheduler=None) -> RunOptions:
    return RunOptions(out=out, workers=2, scheduler=scheduler, progress=False, page=PageConfig(dpi=100))


def records(out: Path) -> list[str]:
    return (out / "records.jsonl").read_text(encoding="utf-8").splitlines()


def test_dask_cluster_gives_the_records_of_a_local_run(tmp_path):
    from dask.distributed import LocalCluster

    inputs = make_inputs(tmp_path / "in")
    local = run_batch([inputs], opts(tmp_path / "local"), backend=LocalBackend(2))

    # An existing cluster reached by address, as `--scheduler tcp://HOST:8786` does.
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0")
    try:
        remote = run_batch([inputs], opts(tmp_path / "tcp", scheduler=cluster.scheduler_address))
        again = run_batch([inputs], opts(tmp_path / "tcp", scheduler=cluster.scheduler_address))
    finally:
        cluster.close()
    assert again.pages_read == 0 and [r.id for r in again.records] == [r.id for r in remote.records]

    assert records(tmp_path / "tcp") == records(tmp_path / "local")
    assert [r.id for r in remote.records] == [r.id for r in local.records]
    assert [(f.path, f.status) for f in remote.files] == [(f.path, f.status) for f in local.files]
    errors = [json.loads(line) for line in (tmp_path / "tcp" / "errors.jsonl").read_text().splitlines()]
    assert [Path(e["path"]).name for e in errors] == ["bad.txt"]


def test_scheduler_local_starts_and_stops_a_cluster(tmp_path):
    inputs = make_inputs(tmp_path / "in")
    summary = run_batch([inputs], opts(tmp_path / "out", scheduler="local"))
    assert summary.counts["ok"] >= 6 and summary.counts["failed"] == 1
    local = run_batch([inputs], opts(tmp_path / "local"), backend=LocalBackend(1))
    assert records(tmp_path / "out") == records(tmp_path / "local")
    assert [r.id for r in local.records] == [r.id for r in summary.records]


def test_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("pipeline.distributed.CONNECT_TIMEOUT", "1s")
    with pytest.raises(MissingDependency, match="no Dask scheduler"):
        DaskBackend("tcp://127.0.0.1:9", 1)
