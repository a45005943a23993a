"""The embedded SQLite store: ``DIR/circulars.sqlite``.

Tables (one row per …):
- ``letters``  record: number, date, subject, sender … and ``record_json``, the whole
  record as JSON, so that a record read back is equal to the one written;
- ``sources``  record: the file it was read from, and its graph node (copies of one
  letter in several files share a node, see `pipeline.link.nodes`);
- ``refs``     reference of a record (``idx`` = its position), with status and target;
- ``edges``    reference, as graph edge: source node → target node (``ext:…`` for a
  letter not in the archive, ``amb:…`` for an ambiguous reference);
- ``deadlines`` and ``stamps``, one row per item;
- ``schema_version``, one row.

Writes are upserts by record id in one transaction: running over the same inputs
again updates rows in place and never duplicates them.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Iterable, Optional

from .errors import InputError
from .link import ambiguous_node, external_node, node_of
from .normalise import thai_to_arabic
from .types import Record

SCHEMA_VERSION = 1
DB_NAME = "circulars.sqlite"

#: Columns of a deadline row, shared by ``deadlines.csv`` and ``circulars deadlines``.
DEADLINE_COLUMNS = ("letter_id", "number", "letter_date", "sender", "recipient", "subject",
                    "deadline_date", "deadline_time", "action", "deadline_text")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS letters (
    id TEXT PRIMARY KEY, node TEXT NOT NULL, number TEXT, number_key TEXT, agency TEXT, code TEXT,
    serial TEXT, date TEXT, kind TEXT, urgency TEXT, subject TEXT, recipient TEXT, sender TEXT,
    record_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    letter_id TEXT PRIMARY KEY, node TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
    letter_index INTEGER NOT NULL, pages TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS refs (
    letter_id TEXT NOT NULL, idx INTEGER NOT NULL, relation TEXT NOT NULL, number TEXT, number_key TEXT,
    date TEXT, issuer TEXT, text TEXT NOT NULL, resolved_id TEXT, status TEXT NOT NULL, candidates TEXT NOT NULL,
    PRIMARY KEY (letter_id, idx));
CREATE TABLE IF NOT EXISTS edges (
    letter_id TEXT NOT NULL, idx INTEGER NOT NULL, src_node TEXT NOT NULL, dst_node TEXT NOT NULL,
    dst_id TEXT, relation TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (letter_id, idx));
CREATE TABLE IF NOT EXISTS deadlines (
    letter_id TEXT NOT NULL, idx INTEGER NOT NULL, date TEXT NOT NULL, time TEXT, action TEXT,
    text TEXT NOT NULL, relative INTEGER NOT NULL, PRIMARY KEY (letter_id, idx));
CREATE TABLE IF NOT EXISTS stamps (
    letter_id TEXT NOT NULL, idx INTEGER NOT NULL, office TEXT, number TEXT, date TEXT, time TEXT,
    PRIMARY KEY (letter_id, idx));
CREATE INDEX IF NOT EXISTS letters_number_key ON letters(number_key);
CREATE INDEX IF NOT EXISTS letters_node ON letters(node);
CREATE INDEX IF NOT EXISTS letters_date ON letters(date);
CREATE INDEX IF NOT EXISTS letters_block ON letters(agency, serial);
CREATE INDEX IF NOT EXISTS sources_sha ON sources(sha256, letter_index);
CREATE INDEX IF NOT EXISTS refs_resolved ON refs(resolved_id);
CREATE INDEX IF NOT EXISTS edges_dst ON edges(dst_node);
CREATE INDEX IF NOT EXISTS edges_src ON edges(src_node);
CREATE INDEX IF NOT EXISTS deadlines_date ON deadlines(date);
CREATE INDEX IF NOT EXISTS stamps_date ON stamps(date);
"""

_CHILD_TABLES = ("sources", "refs", "edges", "deadlines", "stamps")


def db_path(path: Path | str) -> Path:
    """`path` itself, or ``path/circulars.sqlite`` when `path` is a directory."""
    path = Path(path)
    return path / DB_NAME if path.is_dir() else path


def connect(path: Path | str, create: bool = False) -> sqlite3.Connection:
    """Open the store; with `create`, make it (and its tables) if missing.

    Raises InputError when the file is missing (and `create` is off), is not SQLite,
    or carries another schema version.
    """
    path = db_path(path)
    if not create and not path.is_file():
        raise InputError("database not found", path=str(path),
                         hint="give the circulars.sqlite written by `circulars run`, or its directory")
    try:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA foreign_keys = ON")
        if create:
            conn.executescript(_SCHEMA)
            if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
                conn.commit()
        row = conn.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.DatabaseError as e:
        raise InputError(f"not a circulars database: {e}", path=str(path)) from e
    if row is None or row[0] != SCHEMA_VERSION:
        conn.close()
        raise InputError(f"database schema version {row[0] if row else '?'}, this tool reads {SCHEMA_VERSION}",
                         path=str(path), hint="write it again with this version")
    return conn


def lookup_key(text: Optional[str]) -> Optional[str]:
    """A number as looked up: Arabic digits, no spaces or punctuation (``'มท03051ว1964'``)."""
    if not text:
        return None
    key = "".join(ch for ch in thai_to_arabic(text) if ch.isalnum())
    return key or None


def _letter_row(record: Record, node: str) -> tuple:
    n = record.number
    return (record.id, node, n.text if n else None, lookup_key(n.text) if n else None,
            n.agency if n else None, n.code if n else None, n.serial if n else None,
            record.date, record.kind, record.urgency, record.subject, record.recipient,
            record.sender.organization, record.model_dump_json())


def save_records(conn: sqlite3.Connection, records: Iterable[Record]) -> int:
    """Upsert `records` (by id) with all their rows; returns how many were written."""
    records = list(records)
    nodes = node_of(records)
    ids = [(r.id,) for r in records]
    known = dict(conn.execute("SELECT id, node FROM letters")) if records else {}
    known.update(nodes)
    with conn:  # one transaction: all or nothing
        conn.executemany(
            "INSERT INTO letters VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
            "node=excluded.node, number=excluded.number, number_key=excluded.number_key, agency=excluded.agency, "
            "code=excluded.code, serial=excluded.serial, date=excluded.date, kind=excluded.kind, "
            "urgency=excluded.urgency, subject=excluded.subject, recipient=excluded.recipient, "
            "sender=excluded.sender, record_json=excluded.record_json",
            [_letter_row(r, nodes[r.id]) for r in records],
        )
        for table in _CHILD_TABLES:
            conn.executemany(f"DELETE FROM {table} WHERE letter_id = ?", ids)
        conn.executemany("INSERT INTO sources VALUES (?,?,?,?,?,?)", [
            (r.id, nodes[r.id], r.source.path, r.source.sha256, r.source.letter_index, json.dumps(r.source.pages))
            for r in records])
        refs, edges = [], []
        for r in records:
            for k, ref in enumerate(r.references):
                num = ref.number.text if ref.number else None
                refs.append((r.id, k, ref.relation, num, lookup_key(num), ref.date, ref.issuer, ref.text,
                             ref.resolved_id, ref.status,
                             json.dumps([c.model_dump() for c in ref.candidates], ensure_ascii=False)))
                if ref.status == "resolved" and ref.resolved_id in known:
                    dst = known[ref.resolved_id]
                elif ref.status == "ambiguous":
                    dst = ambiguous_node(r.id, k)
                else:
                    dst = external_node(ref)
                edges.append((r.id, k, nodes[r.id], dst, ref.resolved_id, ref.relation, ref.status))
        conn.executemany("INSERT INTO refs VALUES (?,?,?,?,?,?,?,?,?,?,?)", refs)
        conn.executemany("INSERT INTO edges VALUES (?,?,?,?,?,?,?)", edges)
        conn.executemany("INSERT INTO deadlines VALUES (?,?,?,?,?,?,?)", [
            (r.id, k, d.date, d.time, d.action, d.text, int(d.relative))
            for r in records for k, d in enumerate(r.deadlines)])
        conn.executemany("INSERT INTO stamps VALUES (?,?,?,?,?,?)", [
            (r.id, k, s.office, s.number, s.date, s.time) for r in records for k, s in enumerate(r.stamps)])
    return len(records)


def write_store(path: Path | str, records: Iterable[Record]) -> Path:
    """Create or update the store at `path` (a file, or a directory for circulars.sqlite)."""
    path = db_path(path)
    with closing(connect(path, create=True)) as conn:
        save_records(conn, records)
    return path


def load_records(conn: sqlite3.Connection, ids: Optional[Iterable[str]] = None) -> list[Record]:
    """Records as written (from ``record_json``), sorted by id; all of them, or those in `ids`."""
    if ids is None:
        rows = conn.execute("SELECT record_json FROM letters ORDER BY id").fetchall()
    else:
        wanted = sorted(set(ids))
        rows = []
        for start in range(0, len(wanted), 500):  # SQLite's host-parameter limit
            chunk = wanted[start:start + 500]
            rows += conn.execute(f"SELECT record_json FROM letters WHERE id IN ({','.join('?' * len(chunk))}) "
                                 "ORDER BY id", chunk).fetchall()
    return [Record.model_validate_json(row[0]) for row in rows]


def find_letters(conn: sqlite3.Connection, ident: str) -> list[Record]:
    """The records with id `ident`, or whose number is `ident` (any digits, any spacing)."""
    rows = conn.execute("SELECT id FROM letters WHERE id = ?", (ident,)).fetchall()
    if not rows:
        rows = conn.execute("SELECT id FROM letters WHERE number_key = ? ORDER BY id", (lookup_key(ident),)).fetchall()
    return load_records(conn, [r[0] for r in rows])


def citations_of(conn: sqlite3.Connection, record: Record) -> dict:
    """What `record` cites and what cites it (its letter: any copy), as plain dicts."""
    node = conn.execute("SELECT node FROM letters WHERE id = ?", (record.id,)).fetchone()[0]
    cites = [
        {"relation": rel, "number": num, "date": date, "status": status, "resolved_id": rid,
         "resolved_number": rnum, "resolved_subject": rsub, "text": text}
        for rel, num, date, status, rid, rnum, rsub, text in conn.execute(
            "SELECT r.relation, r.number, r.date, r.status, r.resolved_id, l.number, l.subject, r.text "
            "FROM refs r LEFT JOIN letters l ON l.id = r.resolved_id WHERE r.letter_id = ? ORDER BY r.idx",
            (record.id,))
    ]
    cited_by = [
        {"relation": rel, "letter_id": lid, "number": num, "date": date, "subject": subject, "sender": sender,
         "cited_as": cited_as}
        for rel, lid, num, date, subject, sender, cited_as in conn.execute(
            "SELECT e.relation, l.id, l.number, l.date, l.subject, l.sender, r.number FROM edges e "
            "JOIN letters l ON l.id = e.letter_id JOIN refs r ON r.letter_id = e.letter_id AND r.idx = e.idx "
            "WHERE e.dst_node = ? ORDER BY l.date, l.id", (node,))
    ]
    return {"node": node, "cites": cites, "cited_by": cited_by}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def query_deadlines(conn: sqlite3.Connection, date_from: Optional[str] = None, date_to: Optional[str] = None,
                    sender: Optional[str] = None, recipient: Optional[str] = None) -> list[dict]:
    """Deadline rows (`DEADLINE_COLUMNS`) with from ≤ date ≤ to (ISO, both inclusive).

    Ordered by due date, then time (a deadline without a time, the end of the day,
    after those with one), then letter id — the order of `pipeline.export.deadline_rows`.
    """
    where, params = [], []
    if date_from:
        where.append("d.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("d.date <= ?")
        params.append(date_to)
    if sender:
        where.append("l.sender LIKE ? ESCAPE '\\'")
        params.append(_like(sender))
    if recipient:
        where.append("l.recipient LIKE ? ESCAPE '\\'")
        params.append(_like(recipient))
    sql = ("SELECT l.id, l.number, l.date, l.sender, l.recipient, l.subject, d.date, d.time, d.action, d.text "
           "FROM deadlines d JOIN letters l ON l.id = d.letter_id"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY d.date, d.time IS NULL, d.time, l.id, d.idx")  # no time = end of day: last
    return [dict(zip(DEADLINE_COLUMNS, row)) for row in conn.execute(sql, params)]
