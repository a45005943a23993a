"""Batch runs (`pipeline.batch`, ``circulars run``): statuses, errors file, resume, kill-and-resume.

Inputs are generated here: Thai text letters, PDFs from `pipeline.bench.batch.write_pdf`,
and every kind of bad file. OCR-path tests are marked ``tesseract``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from pipeline import ocr, poppler
from pipeline.batch import (
    LocalBackend,
    PageConfig,
    RunOptions,
    discover,
    is_blank,
    process_page,
    run_batch,
)
from pipeline.bench.batch import PdfPage, write_pdf
from pipeline.cli import main as cli_main
from pipeline.ingest import open_input
from tests.test_ingest import scan_image

ROOT = Path(__file__).resolve().parents[1]
needs_poppler = pytest.mark.skipif(not poppler.available(), reason="poppler-utils not installed")
HAS_TESSERACT = shutil.which("tesseract") is not None

MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน"]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def letter(n: int) -> str:
    """A short circular whose number, date and subject depend on ``n``."""
    serial = str(1000 + n).translate(THAI_DIGITS)
    day = str(1 + n % 27).translate(THAI_DIGITS)
    return (
        f"ที่ มท ๐๓๐๕.{n % 9 + 1}/ว {serial}\n"
        "กรมส่งเสริมการปกครองท้องถิ่น\nถนนนครราชสีมา กทม. ๑๐๓๐๐\n"
        f"{day} {MONTHS[n % 6]} ๒๕๖๔\n"
        f"เรื่อง ขอเชิญประชุมคณะทำงานครั้งที่ {n}\n"
        "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n"
        f"ด้วยกรมได้กำหนดจัดประชุม จึงขอให้แจ้งรายชื่อภายในวันที่ {day} {MONTHS[(n + 1) % 6]} ๒๕๖๔\n"
        "ขอแสดงความนับถือ\n(นายสมชาย ใจดี)\nอธิบดีกรมส่งเสริมการปกครองท้องถิ่น\n"
    )




@pytest.fixture(scope="module")
def backend():
    pool = LocalBackend(2)
    yield pool
    pool.close()


def options(out: Path, **kw) -> RunOptions:
    page = kw.pop("page", PageConfig(dpi=100, timeout=60))
    return RunOptions(out=out, workers=2, progress=False, page=page, **kw)


def by_path(summary) -> dict[str, object]:
    return {Path(f.path).name: f for f in summary.files}


def records_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]


# --------------------------------------------------------------------------- discovery


def test_discover_walks_folders_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    for name in ["b/2.pdf", "a/deep/1.TXT", "a/z.png", "a/notes.docx", "a/.secret.txt", ".hidden/x.txt",
                 "labels.json", "out/records.jsonl", "out/x.txt", "citations.md", "README.md", "b/ใบ งาน 'ก'.tif"]:
        (tmp_path / name).write_bytes(b"x")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in discover([tmp_path], out)]
    assert found == ["a/deep/1.TXT", "a/z.png", "b/2.pdf", "b/ใบ งาน 'ก'.tif"]


def test_discover_keeps_named_files_and_missing_paths(tmp_path):
    odd = tmp_path / "scan.dat"
    odd.write_bytes(b"x")
    got = discover([str(odd), str(tmp_path / "missing.pdf"), str(odd)])
    assert got == [str(odd), str(tmp_path / "missing.pdf")]


names = st.text(alphabet=st.sampled_from(list("abcกขค ๑'\"-_.")), min_size=1, max_size=8).filter(
    lambda s: s not in (".", "..") and not s.startswith(".")
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(names, st.sampled_from([".txt", ".pdf", ".jpg", ".json", ".PNG"])), max_size=12))
def test_discover_lists_each_supported_file_once_sorted(tmp_path_factory, entries):
    root = tmp_path_factory.mktemp("tree")
    for stem, suffix in entries:
        (root / (stem + suffix)).write_bytes(b"x")
    found = discover([root, root])
    expected = sorted({stem + suffix for stem, suffix in entries if suffix.lower() != ".json"})
    assert [Path(p).name for p in found] == expected


# --------------------------------------------------------------------------- pages


def test_process_page_returns_errors_instead_of_raising(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("เรื่อง ทดสอบ", encoding="utf-8")
    inp = open_input(path)
    path.write_bytes(b"\x00\x01binary now")  # changed under our feet
    value = process_page(inp, 1, PageConfig())
    assert value["text"] is None
    assert value["error"]["code"] == "bad-input" and value["error"]["page"] == 1


@pytest.mark.parametrize("image,blank", [
    (Image.new("L", (800, 1000), 255), True),
    (Image.new("RGB", (800, 1000), (250, 250, 245)), True),
    (scan_image(), False),
])
def test_is_blank(image, blank):
    assert is_blank(image) is blank


# --------------------------------------------------------------------------- runs


def make_inputs(root: Path) -> None:
    root.mkdir()
    (root / "01 letter.txt").write_text(letter(1), encoding="utf-8")
    (root / "02 ใบแจ้ง 'ด่วน'.md").write_text(letter(2) + "\f" + letter(3), encoding="utf-8")
    (root / "03 tis620.txt").write_bytes(letter(4).encode("cp874"))
    (root / "04 empty.txt").write_bytes(b"")
    (root / "05 binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "06 blank.txt").write_text("\n\n   \n", encoding="utf-8")
    (root / "07 english.txt").write_text("Minutes of the meeting.\nNothing to see here.\n", encoding="utf-8")
    (root / "08 corrupt.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    (root / "09 copy of 01.txt").write_text(letter(1), encoding="utf-8")
    write_pdf(root / "10 born digital.pdf", [PdfPage(lines=tuple(letter(5).splitlines()))])


@needs_poppler
def test_batch_goes_on_and_reports_every_file(tmp_path, backend):
    make_inputs(tmp_path / "in")
    out = tmp_path / "out"
    summary = run_batch([tmp_path / "in"], options(out), backend=backend)
    files = by_path(summary)
    status = {name: f.status for name, f in files.items()}
    assert status == {
        "01 letter.txt": "ok",
        "02 ใบแจ้ง 'ด่วน'.md": "ok",
        "03 tis620.txt": "ok",
        "04 empty.txt": "failed",
        "05 binary.txt": "failed",
        "06 blank.txt": "failed",
        "07 english.txt": status["07 english.txt"],  # the extractor decides; it must not stop the batch
        "08 corrupt.pdf": "failed",
        "09 copy of 01.txt": "skipped",
        "10 born digital.pdf": "ok",
    }
    assert status["07 english.txt"] in ("ok", "failed")
    assert files["02 ใบแจ้ง 'ด่วน'.md"].pages == 2
    assert files["06 blank.txt"].errors[0]["code"] == "no-letter"
    assert "page 1: blank page" in files["06 blank.txt"].warnings
    assert "same content as" in files["09 copy of 01.txt"].warnings[0]
    assert summary.exit_code == 1

    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_file = {Path(e["path"]).name: e for e in errors}
    assert by_file["04 empty.txt"]["code"] == "bad-input" and "empty file" in by_file["04 empty.txt"]["message"]
    assert "binary, not text" in by_file["05 binary.txt"]["message"]
    assert by_file["08 corrupt.pdf"]["status"] == "failed"
    assert "01 letter.txt" not in by_file
    listed = [json.loads(line) for line in (out / "files.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Path(f["path"]).name for f in listed] == sorted(files)

    # Records in input order, letter index within a file; ids from content hashes.
    sources = [(Path(r.source.path).name, r.source.letter_index) for r in summary.records]
    assert sources[:5] == [("01 letter.txt", 1), ("02 ใบแจ้ง 'ด่วน'.md", 1), ("02 ใบแจ้ง 'ด่วน'.md", 2),
                           ("03 tis620.txt", 1), *sources[4:5]]
    assert len({r.id for r in summary.records}) == len(summary.records)
    assert {r["id"] for r in records_of(out)} == {r.id for r in summary.records}
    assert "failed" in summary.line() and "letters" in summary.line()


def test_resume_skips_finished_files_and_force_reads_again(tmp_path, backend):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(4):
        (inputs / f"{n}.txt").write_text(letter(n), encoding="utf-8")
    out = tmp_path / "out"
    first = run_batch([inputs], options(out), backend=backend)
    assert first.pages_read == 4 and not any(f.cached for f in first.files)
    before = (out / "records.jsonl").read_bytes()

    again = run_batch([inputs], options(out), backend=backend)
    assert again.pages_read == 0 and all(f.cached for f in again.files)
    assert [f.status for f in again.files] == ["ok"] * 4
    assert (out / "records.jsonl").read_bytes() == before

    (inputs / "4.txt").write_text(letter(4), encoding="utf-8")  # a new file joins the archive
    grown = run_batch([inputs], options(out), backend=backend)
    assert grown.pages_read == 1 and [f.cached for f in grown.files] == [True] * 4 + [False]

    forced = run_batch([inputs], options(out, force=True), backend=backend)
    assert forced.pages_read == 5 and not any(f.cached for f in forced.files)
    assert [r.id for r in forced.records] == [r.id for r in grown.records]


def test_a_new_pipeline_reads_cached_files_again(tmp_path, backend, monkeypatch):
    """An upgrade (new OCR code, model or Tesseract) must not serve the old records."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(letter(1), encoding="utf-8")
    out = tmp_path / "out"
    assert run_batch([inputs], options(out), backend=backend).pages_read == 1
    assert run_batch([inputs], options(out), backend=backend).pages_read == 0
    monkeypatch.setattr(ocr, "fingerprint", lambda: "another release")
    again = run_batch([inputs], options(out), backend=backend)
    assert again.pages_read == 1 and not again.files[0].cached


def test_moved_file_keeps_its_records_under_the_new_path(tmp_path, backend):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "old name.txt").write_text(letter(7), encoding="utf-8")
    out = tmp_path / "out"
    run_batch([inputs], options(out), backend=backend)
    (inputs / "old name.txt").rename(inputs / "new name.txt")
    summary = run_batch([inputs], options(out), backend=backend)
    assert summary.files[0].cached
    assert [Path(r.source.path).name for r in summary.records] == ["new name.txt"]


def test_fail_fast_stops_at_the_first_failure(tmp_path, backend):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "0 bad.txt").write_bytes(b"")
    for n in range(1, 12):
        (inputs / f"{n:02d}.txt").write_text(letter(n), encoding="utf-8")
    one = LocalBackend(1)
    try:
        summary = run_batch([inputs], options(out := tmp_path / "out", fail_fast=True), backend=one)
    finally:
        one.close()
    assert summary.stopped and summary.exit_code == 1
    assert summary.files[0].status == "failed"
    skipped = [f for f in summary.files if f.status == "skipped"]
    assert skipped and "fail-fast" in skipped[-1].warnings[0]
    assert (out / "errors.jsonl").exists()


@needs_poppler
def test_page_timeout_is_a_page_error_and_the_batch_goes_on(tmp_path, backend):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_pdf(inputs / "mixed.pdf", [PdfPage(lines=tuple(letter(8).splitlines())), PdfPage(image=scan_image())])
    write_pdf(inputs / "scan.pdf", [PdfPage(image=scan_image())])
    (inputs / "z.txt").write_text(letter(9), encoding="utf-8")
    page = PageConfig(dpi=100, timeout=0.001)  # no page can be rendered in a millisecond
    summary = run_batch([inputs], options(tmp_path / "out", page=page), backend=backend)
    files = by_path(summary)
    assert files["scan.pdf"].status == "failed"
    assert files["scan.pdf"].errors[0]["code"] == "page-timeout" and files["scan.pdf"].errors[0]["page"] == 1
    assert files["z.txt"].status == "ok"
    # The text-layer page may itself outrun a millisecond; the scanned page never can.
    assert files["mixed.pdf"].status in ("partial", "failed")
    assert any(e["code"] == "page-timeout" and e["page"] == 2 for e in files["mixed.pdf"].errors)


def _crashing_reader(doc):
    from pipeline.extract import read_document

    if "crash" in doc.path:
        os._exit(3)  # a worker dying (segfault, OOM kill) under the task
    return read_document(doc)


def _hanging_page(inp, page, cfg):
    """`process_page`, except that page 2 of a file named "hang" is stuck in Python code for good."""
    if "hang" in inp.path.name and page == 2:
        (inp.path.parent / "hung.pid").write_text(str(os.getpid()))
        while True:
            time.sleep(1)
    return process_page(inp, page, cfg)


def test_a_page_stuck_in_python_is_stopped_and_the_batch_goes_on(tmp_path, monkeypatch):
    import psutil

    # The run hands its workers `pipeline.batch.process_page` by reference, looked up at submit time.
    monkeypatch.setattr("pipeline.batch.process_page", _hanging_page)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(letter(1), encoding="utf-8")
    (inputs / "b hang.txt").write_text(letter(2) + "\f" + letter(3), encoding="utf-8")
    (inputs / "c.txt").write_text(letter(4), encoding="utf-8")
    out = tmp_path / "out"
    backend = LocalBackend(2)
    try:
        backend.warm()  # worker start-up is not what the 1 s limit below is about
        start = time.monotonic()
        # A 1 s page limit: the watchdog stops the worker after 2 s (watchdog_limit).
        summary = run_batch([inputs], options(out, page=PageConfig(dpi=100, timeout=1.0)), backend=backend)
        assert time.monotonic() - start < 15
        files = by_path(summary)
        assert [files[n].status for n in ("a.txt", "b hang.txt", "c.txt")] == ["ok", "partial", "ok"]
        assert [(e["code"], e["page"]) for e in files["b hang.txt"].errors] == [("page-timeout", 2)]
        assert files["b hang.txt"].letters == 1  # page 1 still read
        errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [(Path(e["path"]).name, e["status"], e["code"], e["page"]) for e in errors] == [
            ("b hang.txt", "partial", "page-timeout", 2)]
        # The stuck worker is gone, and a new one took its place.
        hung = int((inputs / "hung.pid").read_text())
        assert not psutil.pid_exists(hung) or psutil.Process(hung).status() == psutil.STATUS_ZOMBIE
        assert len(backend.warm()) == 2
    finally:
        backend.close()


def test_a_dying_worker_fails_its_file_only(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(letter(1), encoding="utf-8")
    (inputs / "b crash.txt").write_text(letter(2), encoding="utf-8")
    (inputs / "c.txt").write_text(letter(3), encoding="utf-8")
    opts = options(tmp_path / "out", reader=f"{__name__}:_crashing_reader")
    summary = run_batch([inputs], opts)
    assert [f.status for f in summary.files] == ["ok", "failed", "ok"]
    assert summary.files[1].errors[0]["code"] == "worker-crashed"


# --------------------------------------------------------------------------- CLI


def test_cli_run_in_process(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(letter(1), encoding="utf-8")
    code = cli_main(["run", str(inputs), "--out", str(tmp_path / "out"), "--workers", "1", "--no-progress"])
    assert code == 0
    err = capsys.readouterr().err
    assert "1 files: 1 ok" in err
    (inputs / "b.txt").write_bytes(b"")
    assert cli_main(["run", str(inputs), "--out", str(tmp_path / "out"), "-j", "1", "--no-progress"]) == 1


@pytest.mark.parametrize("args", [
    ["--dpi", "5"],
    ["--workers", "-1"],
    ["--page-timeout", "-3"],
    ["--scheduler", "somewhere"],
    ["--shared-fs"],
])
def test_cli_usage_errors(tmp_path, args):
    (tmp_path / "a.txt").write_text(letter(1), encoding="utf-8")
    assert cli_main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), *args]) == 2


def test_cli_no_inputs_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    assert cli_main(["run", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2


# --------------------------------------------------------------------------- kill and resume


def _run_cmd(inputs: Path, out: Path, workers: int = 2) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "--workers", str(workers),
            "--no-progress", "--dpi", "150"]


def _records(out: Path) -> list[str]:
    # Whole records as JSON, order included: "exactly the records of an uninterrupted run".
    return (out / "records.jsonl").read_text(encoding="utf-8").splitlines()


def _kill_and_resume(inputs: Path, tmp_path: Path, kill_after: list[int]) -> None:
    clean = tmp_path / "clean"
    subprocess.run(_run_cmd(inputs, clean), cwd=ROOT, check=False, capture_output=True, timeout=300)
    expected = _records(clean)
    assert expected

    out = tmp_path / "killed"
    kills = 0
    for pages in kill_after:  # kill each attempt once this many page results are cached
        proc = subprocess.Popen(_run_cmd(inputs, out), cwd=ROOT, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            cached = len(list((out / ".cache" / "pages").rglob("*.json"))) if (out / ".cache").exists() else 0
            if cached >= pages:
                break
            time.sleep(0.02)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the run, its pool and any tesseract: all at once
            kills += 1
        proc.wait(timeout=30)
    assert kills, "every run finished before it could be killed: nothing was tested"
    done = subprocess.run(_run_cmd(inputs, out), cwd=ROOT, check=False, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert _records(out) == expected
    ids = [json.loads(r)["id"] for r in _records(out)]
    assert len(ids) == len(set(ids))


def test_kill_and_resume_text_inputs(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(24):
        body = letter(n) + ("\f" + letter(n + 100) if n % 3 == 0 else "")
        (inputs / f"{n:03d}.txt").write_text(body, encoding="utf-8")
    _kill_and_resume(inputs, tmp_path, kill_after=[3, 20])


@pytest.mark.tesseract
@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed")
def test_kill_and_resume_with_ocr_pages(tmp_path):
    from PIL import ImageFont

    from pipeline import fonts

    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(4):
        (inputs / f"{n:02d}.txt").write_text(letter(n), encoding="utf-8")
    font = ImageFont.truetype(str(fonts.families()[0].path), 40)
    for n in range(1):
        image = Image.new("L", (1000, 700), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(letter(50 + n).splitlines()[:6]):
            draw.text((50, 40 + i * 60), line, font=font, fill=0)
        image.save(inputs / f"scan {n}.png")
    _kill_and_resume(inputs, tmp_path, kill_after=[2])


def _rendered_letter(n: int, size=(1240, 900)) -> Image.Image:
    from PIL import ImageFont

    from pipeline import fonts

    found = fonts.families(handwritten=False)
    if not found:
        pytest.skip("no Thai font installed")
    font = ImageFont.truetype(str(found[0].path), 34)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(letter(n).splitlines()):
        draw.text((60, 40 + i * 52), line, font=font, fill=0)
    return image


@pytest.mark.tesseract
@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed")
def test_ocr_pages_blank_upside_down_and_timeouts(tmp_path, backend):
    inputs = tmp_path / "in"
    inputs.mkdir()
    upright = _rendered_letter(11)
    upright.save(inputs / "1 upright.png")
    upright.rotate(180).save(inputs / "2 upside down.png")
    Image.new("L", (1240, 1754), 255).save(inputs / "3 blank.png")
    (inputs / "4 text.txt").write_text(letter(12), encoding="utf-8")
    summary = run_batch([inputs], options(tmp_path / "out"), backend=backend)
    files = by_path(summary)
    assert files["1 upright.png"].status == "ok"
    assert files["3 blank.png"].status == "failed"
    assert "page 1: blank page" in files["3 blank.png"].warnings
    assert files["3 blank.png"].errors[-1]["code"] == "no-letter"
    # Upside down: the OCR stage turns it (Tesseract OSD) and says so in the page warnings.
    assert files["2 upside down.png"].status == "ok"
    assert any("180" in w for w in files["2 upside down.png"].warnings)
    assert files["4 text.txt"].status == "ok"


    # A page limit no OCR can meet: a page error, the text file still read; a later run with
    # a sane limit tries the timed-out pages again (timeouts are not cached as final).
    few = tmp_path / "few"
    few.mkdir()
    for name in ("1 upright.png", "4 text.txt"):
        shutil.copy(inputs / name, few / name)
    tiny = options(tmp_path / "out2", page=PageConfig(dpi=100, timeout=0.05))
    timed = by_path(run_batch([few], tiny, backend=backend))
    assert timed["1 upright.png"].errors[0]["code"] == "page-timeout"
    assert timed["4 text.txt"].status == "ok"
    again = by_path(run_batch([few], options(tmp_path / "out2"), backend=backend))
    assert again["1 upright.png"].status == "ok" and not again["1 upright.png"].cached
    assert again["4 text.txt"].cached
