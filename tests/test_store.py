"""The SQLite store: exact round trip, upsert without duplicates, queries, schema guard."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from pipeline.errors import InputError
from pipeline.link import link_records
from pipeline.store import (
    SCHEMA_VERSION, citations_of, connect, find_letters, load_records, query_deadlines, write_store,
)
from tests import linkcorpus

rec = linkcorpus.make_record
TABLES = ("letters", "sources", "refs", "edges", "deadlines", "stamps")


def counts(path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture(scope="module")
def linked():
    return link_records(linkcorpus.generate(400, seed=2).records)


def test_records_round_trip_exactly(tmp_path, linked):
    path = write_store(tmp_path, linked)
    assert path.name == "circulars.sqlite"
    with closing(connect(tmp_path)) as conn:
        assert load_records(conn) == sorted(linked, key=lambda r: r.id)
        some = [linked[3].id, linked[1].id]
        assert [r.id for r in load_records(conn, some)] == sorted(some)


def test_rerun_updates_in_place_and_never_duplicates(tmp_path, linked):
    path = write_store(tmp_path, linked)
    first = counts(path)
    assert first["letters"] == len(linked)
    assert first["refs"] == sum(len(r.references) for r in linked) == first["edges"]
    assert first["deadlines"] == sum(len(r.deadlines) for r in linked)
    write_store(tmp_path, linked)
    assert counts(path) == first
    changed = linked[0].model_copy(update={"subject": "เรื่องที่แก้ไขแล้ว", "deadlines": []})
    write_store(tmp_path, [changed])
    after = counts(path)
    assert after["letters"] == first["letters"]
    assert after["deadlines"] == first["deadlines"] - len(linked[0].deadlines)
    with closing(connect(path)) as conn:
        assert find_letters(conn, changed.id) == [changed]


def test_schema_version_is_recorded_and_checked(tmp_path):
    path = write_store(tmp_path, [])
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        conn.execute("UPDATE schema_version SET version = 999")
        conn.commit()
    with pytest.raises(InputError, match="schema version 999"):
        connect(path)


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.write_bytes(b"not a database at all" * 100)])
def test_missing_or_foreign_file_is_an_input_error(tmp_path, make):
    path = tmp_path / "x.sqlite"
    make(path)
    with pytest.raises(InputError):
        connect(path)


def test_indices_exist_for_the_queries(tmp_path):
    path = write_store(tmp_path, [])
    with closing(sqlite3.connect(path)) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"deadlines_date", "letters_number_key", "edges_dst", "refs_resolved"} <= names


@pytest.fixture
def small_db(tmp_path):
    records = link_records([
        rec("m#1", "มท 0218/ว 7516", "2021-12-23", sender="กระทรวงมหาดไทย", deadlines=[("2021-12-31", None, "ส่ง")]),
        rec("d#1", "มท 0810.7/ว 3153", "2021-12-29", refs=[("cites", "มท 0218/ว 7416", "2021-12-23")],
            sender="กรมส่งเสริมการปกครองท้องถิ่น", recipient="ผู้ว่าราชการจังหวัด ทุกจังหวัด",
            deadlines=[("2022-01-31", "16:30", "รายงาน"), ("2022-02-28", None, "สมัคร")]),
        rec("p#1", "พร 0023.7/ว 10", "2022-01-10", refs=[("encloses", "มท 0810.7/ว 3153", "2021-12-29"),
                                                          ("cites", "สน 0018.1/ว 9", "2021-01-01")],
            sender="จังหวัดแพร่", recipient="นายอำเภอ ทุกอำเภอ", deadlines=[("2022-01-31", None, "รายงาน 50%_x")]),
    ])
    write_store(tmp_path, records)
    with closing(connect(tmp_path)) as conn:
        yield conn


@pytest.mark.parametrize("kwargs, expected", [
    ({}, ["m#1", "d#1", "p#1", "d#1"]),
    ({"date_from": "2022-01-31", "date_to": "2022-01-31"}, ["d#1", "p#1"]),  # both ends inclusive
    ({"date_from": "2022-01-01"}, ["d#1", "p#1", "d#1"]),
    ({"date_to": "2021-12-31"}, ["m#1"]),
    ({"sender": "แพร่"}, ["p#1"]),
    ({"recipient": "ผู้ว่าราชการ"}, ["d#1", "d#1"]),
    ({"sender": "%"}, []),  # LIKE wildcards are matched literally
])
def test_query_deadlines(small_db, kwargs, expected):
    assert [row["letter_id"] for row in query_deadlines(small_db, **kwargs)] == expected


def test_find_letters_by_number_in_thai_digits(small_db):
    assert [r.id for r in find_letters(small_db, "มท ๐๘๑๐.๗/ว ๓๑๕๓")] == ["d#1"]
    assert [r.id for r in find_letters(small_db, "มท 0810.7/ว3153")] == ["d#1"]
    assert find_letters(small_db, "nothing") == []


def test_citations_both_ways(small_db):
    (letter,) = find_letters(small_db, "d#1")
    shown = citations_of(small_db, letter)
    assert [(c["status"], c["resolved_id"]) for c in shown["cites"]] == [("resolved", "m#1")]
    assert [(c["letter_id"], c["relation"]) for c in shown["cited_by"]] == [("p#1", "encloses")]
