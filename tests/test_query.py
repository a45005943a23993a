"""`circulars deadlines | graph | show`, run in-process through `pipeline.cli.main`."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from io import StringIO

import networkx as nx
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.commands.query import parse_day
from pipeline.errors import UsageError
from pipeline.export import write_outputs
from pipeline.link import link_records
from tests import linkcorpus

rec = linkcorpus.make_record

#: Deadlines on both sides of the year 2021's edges.
DUE = ["2020-12-31", "2021-01-01", "2021-06-15", "2021-12-31", "2022-01-01"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    records = link_records([
        rec("m#1", "มท 0305.1/ว 1964", "2020-12-20", sender="กรมการปกครอง", recipient="ผู้ว่าราชการจังหวัด ทุกจังหวัด",
            subject="ศูนย์ราชการสะดวก", deadlines=[(DUE[0], None, "รายงาน"), (DUE[1], "16:30", "ส่งแบบ")]),
        rec("p#1", "สน 0018.1/ว 1044", "2021-01-27", sender="จังหวัดสกลนคร", recipient="นายอำเภอ ทุกอำเภอ",
            subject="=แจ้งเวียน", refs=[("encloses", "มท 0305.1/ว 1965", "2020-12-20"),
                                      ("cites", "สน 0018.1/ว 22509", "2020-11-24")],
            deadlines=[(DUE[2], None, "รายงานผล"), (DUE[3], None, "สรุปผล")]),
        rec("p#2", "มท 0305.1/ว 1964", "2020-12-20", sender="กรมการปกครอง", subject="ศูนย์ราชการสะดวก"),
        rec("d#1", "สน 0118/ว 5", "2021-02-01", sender="อำเภอพรรณานิคม", recipient="กำนัน ทุกตำบล",
            refs=[("cites", "สน 0018.1/ว 1044", "2021-01-27")], deadlines=[(DUE[4], None, "ส่งรายชื่อ")]),
    ])
    write_outputs(records, out)
    return out


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def due_dates(text: str) -> list[str]:
    return list(pd.read_csv(StringIO(text), dtype=str)["deadline_date"])


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize("bounds, expected", [
    (["--from", "2021", "--to", "2021"], DUE[1:4]),
    (["--from", "2564", "--to", "2564"], DUE[1:4]),  # Buddhist Era years
    (["--from", "2021-01-01", "--to", "2021-12-31"], DUE[1:4]),
    (["--from", "๑ มกราคม ๒๕๖๔", "--to", "31 ธ.ค. 2564"], DUE[1:4]),
    (["--from", "2021-01-02", "--to", "2021-12-30"], DUE[2:3]),
    (["--from", "2021-12-31"], DUE[3:]),
    (["--to", "2020-12-31"], DUE[:1]),
    ([], DUE),
])
def test_deadlines_in_a_range_are_exactly_those_in_it(db, capsys, bounds, expected):
    code, out, _ = run(capsys, "deadlines", "--db", str(db), *bounds)
    assert code == 0
    assert due_dates(out) == expected


@pytest.mark.parametrize("option, value, expected", [
    ("--sender", "สกลนคร", DUE[2:4]),
    ("--recipient", "กำนัน", DUE[4:]),
    ("--sender", "ไม่มี", []),
])
def test_deadlines_filtered_by_sender_or_recipient(db, capsys, option, value, expected):
    code, out, _ = run(capsys, "deadlines", "--db", str(db / "circulars.sqlite"), option, value, "--format", "json")
    assert code == 0
    assert [row["deadline_date"] for row in json.loads(out)] == expected


def test_deadlines_to_a_file_have_a_bom_and_neutralised_cells(db, capsys, tmp_path):
    target = tmp_path / "due.csv"
    code, out, _ = run(capsys, "deadlines", "--db", str(db), "--sender", "สกลนคร", "--out", str(target))
    assert code == 0 and out == ""
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(target, encoding="utf-8-sig", dtype=str)
    assert set(frame["subject"]) == {"'=แจ้งเวียน"}


@pytest.mark.parametrize("argv, exit_code, message", [
    (["--from", "yesterday"], 2, "cannot read the date 'yesterday'"),
    (["--from", "2022", "--to", "2021"], 2, "is after --to"),
    (["--from", "2021-02-30"], 2, "cannot read the date"),
])
def test_bad_dates_are_usage_errors(db, capsys, argv, exit_code, message):
    code, _, err = run(capsys, "deadlines", "--db", str(db), *argv)
    assert code == exit_code and message in err


def test_missing_db_is_an_input_error(capsys, tmp_path):
    code, _, err = run(capsys, "deadlines", "--db", str(tmp_path / "none.sqlite"))
    assert code == 3 and "database not found" in err


@pytest.mark.parametrize("text, end, expected", [
    ("2024-03-15", False, "2024-03-15"), ("15 มี.ค. 2567", False, "2024-03-15"),
    ("๑๕ มีนาคม ๒๕๖๗", False, "2024-03-15"), ("2567", False, "2024-01-01"), ("๒๕๖๗", True, "2024-12-31"),
    ("2024", True, "2024-12-31"), ("2567-03-15", False, "2024-03-15"), ("๒๕๖๗-๐๓-๑๕", False, "2024-03-15"),
])
def test_parse_day(text, end, expected):
    assert parse_day(text, end=end).isoformat() == expected


def test_parse_day_refuses_nonsense():
    with pytest.raises(UsageError):
        parse_day("not a date")


# --------------------------------------------------------------------------- graph


@pytest.mark.parametrize("fmt", ["graphml", "json", "dot", "html"])
def test_graph_formats(db, capsys, fmt):
    code, out, _ = run(capsys, "graph", "--db", str(db), "--format", fmt)
    assert code == 0
    if fmt == "graphml":
        graph = nx.parse_graphml(out, force_multigraph=True)
        assert graph.number_of_nodes() == 4  # 3 letters (m#1 and p#2 are one) + 1 external
    elif fmt == "json":
        assert len(json.loads(out)["nodes"]) == 4
    elif fmt == "dot":
        assert out.startswith("digraph") and out.count("->") == 3
    else:
        assert out.startswith("<!DOCTYPE html>") and "graph-data" in out


def test_graph_around_one_letter(db, capsys):
    code, out, _ = run(capsys, "graph", "--db", str(db), "--id", "มท ๐๓๐๕.๑/ว ๑๙๖๔", "--depth", "1")
    assert code == 0
    names = {n["id"] for n in json.loads(out)["nodes"]}
    assert names == {"มท 0305.1/ว 1964@2020-12-20", "สน 0018.1/ว 1044@2021-01-27"}
    code, out, _ = run(capsys, "graph", "--db", str(db), "--id", "m#1", "--depth", "2")
    assert len(json.loads(out)["nodes"]) == 4


def test_graph_unknown_letter(db, capsys):
    code, _, err = run(capsys, "graph", "--db", str(db), "--id", "nope")
    assert code == 2 and "no letter" in err


# --------------------------------------------------------------------------- show


def test_show_by_number_lists_both_directions(db, capsys):
    code, out, _ = run(capsys, "show", "--db", str(db), "สน ๐๐๑๘.๑/ว ๑๐๔๔", "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert shown["letter"]["id"] == "p#1"
    assert [(c["relation"], c["status"]) for c in shown["cites"]] == [("encloses", "resolved"), ("cites", "unresolved")]
    assert [c["letter_id"] for c in shown["cited_by"]] == ["d#1"]


def test_show_text_names_the_warning_and_the_citers(db, capsys):
    # The enclosure resolved to the copy in p#1's own file, p#2: the warning is there.
    code, out, _ = run(capsys, "show", "--db", str(db), "p#2")
    assert code == 0
    assert "cites it as มท 0305.1/ว 1965" in out
    assert "cited by (1):" in out and "[p#1]" in out


def test_show_unknown(db, capsys):
    code, _, err = run(capsys, "show", "--db", str(db), "xx#9")
    assert code == 2 and "no letter" in err


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_reads_thai_from_deadlines_csv(db, tmp_path):
    csv = tmp_path / "deadlines.csv"
    shutil.copyfile(db / "deadlines.csv", csv)
    profile = tmp_path / "lo-profile"
    # 44 = comma, 34 = double quote, 76 = UTF-8, 1 = start at row 1.
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--infilter=CSV:44,34,76,1",
           "--convert-to", "xlsx", "--outdir", str(tmp_path), str(csv)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "deadlines.xlsx") as book:
        # Thai and Latin runs of one cell are stored as separate <r> elements: join them.
        strings = html.unescape(re.sub(r"<[^>]+>", "", book.read("xl/sharedStrings.xml").decode("utf-8")))
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    for thai in ("จังหวัดสกลนคร", "ผู้ว่าราชการจังหวัด ทุกจังหวัด", "รายงานผล", "ภายในวันที่ 2021-06-15"):
        assert thai in strings
    assert "'=แจ้งเวียน" in strings and "<f>" not in sheet  # stayed text, not a formula
