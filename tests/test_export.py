"""Exports: JSONL round trip, the deadlines CSV, the graph files, atomic writes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import graph as citation_graph
from pipeline.export import (
    EXPORTERS, atomic_path, deadline_rows, deadlines_csv, neutralise, read_records_jsonl, write_outputs,
)
from pipeline.link import link_records
from pipeline.types import Candidate, Deadline, DocNumber, Record, Reference, Source, Stamp
from tests import linkcorpus

rec = linkcorpus.make_record

# --------------------------------------------------------------------------- strategies

AWKWARD = "\u200b\u00a0\ufeff\"',;=+-@\t\r\n|<>&/\\"
TEXT = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B) | st.sampled_from(AWKWARD)
               | st.characters(codec="utf-8"), max_size=30)
ISO = st.dates().map(lambda d: d.isoformat())
HHMM = st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]:02d}:{t[1]:02d}")
NUMBERS = st.builds(DocNumber, text=TEXT, agency=st.none() | TEXT, code=st.none() | TEXT, circular=st.booleans(),
                    serial=st.none() | TEXT)
REFERENCES = st.builds(
    Reference, relation=st.sampled_from(["cites", "encloses"]), number=st.none() | NUMBERS, date=st.none() | ISO,
    issuer=st.none() | TEXT, text=TEXT, resolved_id=st.none() | TEXT,
    status=st.sampled_from(["resolved", "ambiguous", "unresolved"]),
    candidates=st.lists(st.builds(Candidate, id=TEXT, score=st.floats(0, 1)), max_size=2))


@st.composite
def records(draw):
    sha = draw(st.text(alphabet="0123456789abcdef", min_size=12, max_size=12))
    index = draw(st.integers(1, 9))
    return Record(
        id=f"{sha}#{index}", source=Source(path=draw(TEXT), sha256=sha, letter_index=index,
                                           pages=draw(st.lists(st.integers(1, 99), max_size=3))),
        kind=draw(st.sampled_from(["letter", "memo", "fax", "stamped", "order", "announcement", "other"])),
        urgency=draw(st.none() | TEXT), number=draw(st.none() | NUMBERS), date=draw(st.none() | ISO),
        subject=draw(st.none() | TEXT), recipient=draw(st.none() | TEXT),
        references=draw(st.lists(REFERENCES, max_size=3)),
        deadlines=draw(st.lists(st.builds(Deadline, date=ISO, time=st.none() | HHMM, action=st.none() | TEXT,
                                          text=TEXT, relative=st.booleans()), max_size=2)),
        stamps=draw(st.lists(st.builds(Stamp, office=st.none() | TEXT, number=st.none() | TEXT,
                                       date=st.none() | ISO, time=st.none() | HHMM), max_size=2)),
        warnings=draw(st.lists(TEXT, max_size=2)), text=draw(TEXT),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(records(), max_size=5, unique_by=lambda r: r.id))
def test_jsonl_export_then_import_gives_equal_records(tmp_path, batch):
    written = write_outputs(batch, tmp_path, only=["records.jsonl"])
    assert read_records_jsonl(written["records.jsonl"]) == sorted(batch, key=lambda r: r.id)


def test_jsonl_is_one_record_per_line_with_thai_unescaped(tmp_path):
    batch = [rec("a#1", "มท 0305.1/ว 1964", "2021-01-22", subject="ศูนย์ราชการสะดวก\nบรรทัดสอง")]
    path = write_outputs(batch, tmp_path, only=["records.jsonl"])["records.jsonl"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and "ศูนย์ราชการสะดวก" in lines[0]
    assert json.loads(lines[0]) == batch[0].model_dump(mode="json")


# --------------------------------------------------------------------------- deadlines.csv


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+66 42 711461", "'+66 42 711461"),
    ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("ภายในวันที่ ๒๙", "ภายในวันที่ ๒๙"), ("2021-01-29", "2021-01-29"), ("", ""), (None, None), (3, 3),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_deadlines_csv_has_bom_thai_and_no_live_formulas(tmp_path):
    batch = [
        rec("a#1", "สน 0018.1/ว 1044", "2021-01-27", subject="=cmd|' /C calc'!A0", sender="จังหวัดสกลนคร",
            recipient="นายอำเภอ ทุกอำเภอ", deadlines=[("2021-02-10", None, "รายงาน"), ("2021-01-29", "16:30", "-ส่ง")]),
        rec("b#1", None, None, deadlines=[("2021-01-29", None, "@ส่งข้อมูล")]),
    ]
    path = write_outputs(batch, tmp_path, only=["deadlines.csv"])["deadlines.csv"]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame["deadline_date"]) == ["2021-01-29", "2021-01-29", "2021-02-10"]
    assert list(frame["letter_id"]) == ["a#1", "b#1", "a#1"]  # a timed deadline before an all-day one
    assert frame.loc[0, "sender"] == "จังหวัดสกลนคร" and frame.loc[0, "number"] == "สน 0018.1/ว 1044"
    assert frame.loc[0, "subject"] == "'=cmd|' /C calc'!A0"
    assert frame.loc[0, "action"] == "'-ส่ง" and frame.loc[1, "action"] == "'@ส่งข้อมูล"
    for column in frame.columns:
        assert not frame[column].str.startswith(("=", "+", "-", "@")).any(), column


def test_deadlines_csv_without_deadlines_has_the_header_only():
    assert deadlines_csv(deadline_rows([rec("a#1", None, None)]), bom=False).decode().strip() == (
        "letter_id,number,letter_date,sender,recipient,subject,deadline_date,deadline_time,action,deadline_text")


# --------------------------------------------------------------------------- all outputs and the graph


@pytest.fixture(scope="module")
def archive_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    letter = ("มท 0305.1/ว 1964", "2021-01-22")
    linked = link_records([
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("cites", "สน 0018.1/ว 22509", "2020-11-24"),
                                                            ("encloses", "มท 0305.1/ว 1965", "2021-01-25")]),
        rec("f#2", *letter, subject="ศูนย์ราชการสะดวก"),
        rec("g#1", "ลพ 0018.1/ว 20", "2021-01-28", refs=[("encloses", "มท 0305.1/ว 1964", "2021-01-22")]),
        rec("g#2", *letter, subject="ศูนย์ราชการสะดวก"),
    ])
    return linked, write_outputs(linked, out), out


def test_every_output_is_written_and_no_temporary_file_is_left(archive_out):
    _, written, out = archive_out
    assert set(written) == set(EXPORTERS)
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTERS)


def test_sqlite_output_holds_the_records(archive_out):
    linked, written, _ = archive_out
    with closing(sqlite3.connect(written["circulars.sqlite"])) as conn:
        assert conn.execute("SELECT COUNT(*) FROM letters").fetchone()[0] == len(linked)


def test_graphml_has_one_node_per_letter_and_external_nodes(archive_out):
    _, written, _ = archive_out
    graph = nx.read_graphml(written["citations.graphml"], force_multigraph=True)
    letters = {n: d for n, d in graph.nodes(data=True) if d["kind"] == "letter"}
    assert len(letters) == 3  # f#2 and g#2 are one letter
    copy = letters["มท 0305.1/ว 1964@2021-01-22"]
    assert copy["records"] == "f#2 g#2" and copy["copies"] == 2
    assert "ext:สน 0018.1/ว 22509@2020-11-24" in graph
    relations = sorted(d["relation"] for _, _, d in graph.edges(data=True))
    assert relations == ["cites", "encloses", "encloses"]


def test_node_link_json_round_trips(archive_out):
    _, written, _ = archive_out
    data = json.loads(written["citations.json"].read_text(encoding="utf-8"))
    graph = citation_graph.from_node_link(data)
    assert nx.utils.graphs_equal(graph, citation_graph.build_graph(archive_out[0]))


def test_html_is_self_contained_and_carries_the_graph(archive_out):
    _, written, _ = archive_out
    page = written["citations.html"].read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert "https://" not in page
    assert page.count("http://") == page.count("http://www.w3.org/2000/svg")  # SVG namespace only
    data = json.loads(page.split('id="graph-data">')[1].split("</script>")[0])
    assert {n["kind"] for n in data["nodes"]} == {"letter", "external"}
    assert any("มท 0305.1/ว 1964" in n["label"] and "ศูนย์ราชการสะดวก" in n["label"] for n in data["nodes"])
    assert {e["relation"] for e in data["edges"]} == {"cites", "encloses"}


def test_html_cannot_be_broken_out_of_by_a_subject():
    graph = citation_graph.build_graph([rec("a#1", "มท 1/ว 1", "2021-01-01", subject="</script><script>alert(1)")])
    assert "</script><script>alert(1)" not in citation_graph.to_html(graph)


def test_dot_output_styles_relations():
    graph = citation_graph.build_graph(link_records([
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("encloses", "มท 0305.1/ว 1964", "2021-01-22")]),
        rec("f#2", "มท 0305.1/ว 1964", "2021-01-22", subject='มี "คำพูด"'),
    ]))
    dot = citation_graph.to_dot(graph)
    assert dot.startswith("digraph citations {") and dot.rstrip().endswith("}")
    assert '"สน 0018.1/ว 1044@2021-01-27" -> "มท 0305.1/ว 1964@2021-01-22" [label="encloses", style=dashed' in dot
    assert '\\"คำพูด\\"' in dot


def test_unknown_format_lists_the_valid_ones():
    with pytest.raises(ValueError, match="graphml, json, dot, html"):
        citation_graph.render(nx.MultiDiGraph(), "svg")


# --------------------------------------------------------------------------- atomic writes


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "records.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["records.jsonl"]


def test_rewriting_the_sqlite_output_upserts(tmp_path):
    batch = [rec("a#1", "มท 0305.1/ว 1964", "2021-01-22", deadlines=[("2021-02-01", None, "x")])]
    write_outputs(batch, tmp_path)
    write_outputs(batch, tmp_path)
    with closing(sqlite3.connect(tmp_path / "circulars.sqlite")) as conn:
        assert conn.execute("SELECT COUNT(*) FROM deadlines").fetchone()[0] == 1
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == sorted(EXPORTERS)


def test_unknown_export_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="records.jsonl"):
        write_outputs([], tmp_path, only=["records.xml"])


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_html_script_is_valid_javascript(archive_out, tmp_path):
    page = archive_out[1]["citations.html"].read_text(encoding="utf-8")
    script = page.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    (tmp_path / "page.js").write_text(script, encoding="utf-8")
    subprocess.run(["node", "--check", str(tmp_path / "page.js")], check=True, capture_output=True, timeout=60)
