"""Write linked records where other systems can read them.

``write_outputs(records, out_dir)`` writes, each file atomically (a temporary file
in the same directory, then a rename, so a reader never sees half a file):

- ``records.jsonl``     one Record per line (``model_dump(mode="json")``, UTF-8);
- ``deadlines.csv``     one row per deadline, UTF-8 with BOM so that Excel shows Thai;
  cells that a spreadsheet would run as a formula are neutralised;
- ``circulars.sqlite``  the store (`pipeline.store`), upserted by record id;
- ``citations.graphml``, ``citations.json`` (node-link), ``citations.html`` (offline page).

`read_records_jsonl` reads ``records.jsonl`` back into equal records.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

import networkx as nx
import pandas as pd

from . import graph as citation_graph
from .store import DB_NAME, DEADLINE_COLUMNS, write_store
from .types import Record

# --------------------------------------------------------------------------- atomic files


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: mkstemp makes 0600 files; an export is for other programs to read, so use the
#: mode `open()` would have given (0666 less the umask).
_NEW_FILE_MODE = 0o666 & ~_umask()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` that replaces it on success and vanishes on failure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _NEW_FILE_MODE)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: Union[str, bytes], encoding: str = "utf-8") -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return Path(path)


# --------------------------------------------------------------------------- JSON lines


def records_jsonl(records: Iterable[Record]) -> str:
    return "".join(json.dumps(r.model_dump(mode="json"), ensure_ascii=False) + "\n" for r in records)


def read_records_jsonl(path: Path) -> list[Record]:
    """Records from a ``records.jsonl`` (blank lines skipped)."""
    with open(path, encoding="utf-8") as f:
        return [Record.model_validate_json(line) for line in f if line.strip()]


# --------------------------------------------------------------------------- deadlines

#: A cell starting with one of these is a formula to Excel / LibreOffice (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``'=HYPERLINK(…)'`` → ``"'=HYPERLINK(…)"``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def deadline_rows(records: Iterable[Record]) -> list[dict]:
    """One dict per deadline (`pipeline.store.DEADLINE_COLUMNS`), ordered by due date and time."""
    rows = [
        dict(zip(DEADLINE_COLUMNS, (
            r.id, r.number.text if r.number else None, r.date, r.sender.organization, r.recipient, r.subject,
            d.date, d.time, d.action, d.text)))
        for r in records for d in r.deadlines
    ]
    # The order of `pipeline.store.query_deadlines`: a deadline without a time is the end of its day.
    return sorted(rows, key=lambda row: (row["deadline_date"], row["deadline_time"] is None,
                                         row["deadline_time"] or "", row["letter_id"]))


def deadlines_csv(rows: list[dict], bom: bool = True) -> bytes:
    """The rows as CSV bytes (UTF-8, with a BOM unless `bom` is off), cells neutralised."""
    frame = pd.DataFrame(rows, columns=list(DEADLINE_COLUMNS), dtype=object)
    frame = frame.apply(lambda column: column.map(neutralise))
    text = frame.to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


# --------------------------------------------------------------------------- writers


def _write_sqlite(records: list[Record], graph: nx.MultiDiGraph, path: Path) -> None:
    # Upsert into a copy, then swap it in: the store updates in place, yet a reader
    # of the old file never sees a half-written one.
    with atomic_path(path) as tmp:
        if path.exists():
            shutil.copyfile(path, tmp)
        else:
            tmp.unlink()
        write_store(tmp, records)


#: Output file name → writer(records, graph, path).
EXPORTERS: dict[str, Callable[[list[Record], nx.MultiDiGraph, Path], None]] = {
    "records.jsonl": lambda records, graph, path: atomic_write(path, records_jsonl(records)),
    "deadlines.csv": lambda records, graph, path: atomic_write(path, deadlines_csv(deadline_rows(records))),
    DB_NAME: _write_sqlite,
    "citations.graphml": lambda records, graph, path: atomic_write(path, citation_graph.to_graphml(graph)),
    "citations.json": lambda records, graph, path: atomic_write(path, citation_graph.to_json(graph)),
    "citations.html": lambda records, graph, path: atomic_write(path, citation_graph.to_html(graph)),
}


def write_outputs(records: list[Record], out_dir: Path, only: Optional[Iterable[str]] = None) -> dict[str, Path]:
    """Write every export of `EXPORTERS` (or those named in `only`) into `out_dir`; name → path.

    `records` should be linked already (`pipeline.link.link_records`); they are written
    sorted by id.
    """
    out_dir = Path(out_dir)
    names = list(EXPORTERS) if only is None else list(only)
    unknown = [n for n in names if n not in EXPORTERS]
    if unknown:
        raise ValueError(f"unknown export {unknown}; valid: {', '.join(EXPORTERS)}")
    records = sorted(records, key=lambda r: r.id)
    needs_graph = any(name.startswith("citations.") for name in names)
    graph = citation_graph.build_graph(records) if needs_graph else nx.MultiDiGraph()
    written = {}
    for name in names:
        EXPORTERS[name](records, graph, out_dir / name)
        written[name] = out_dir / name
    return written


__all__ = ["write_outputs", "read_records_jsonl", "deadline_rows", "deadlines_csv", "neutralise", "atomic_write"]
