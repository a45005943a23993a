"""Queries over the store written by a run: ``deadlines``, ``graph``, ``show``.

    circulars deadlines --db out/ --from 2567 --to "31 มี.ค. 2567" --sender สกลนคร --format csv
    circulars graph --db out/circulars.sqlite --id "มท 0305.1/ว 1964" --depth 2 --format html --out g.html
    circulars show --db out/ 447a050c7bef#2

``--db`` is the ``circulars.sqlite`` file or the directory holding it. Output goes to
stdout unless ``--out FILE`` is given (``-`` is stdout too).
"""

from __future__ import annotations

import json
import re
import sys
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Optional

from .. import graph as citation_graph
from ..errors import UsageError
from ..export import atomic_write, deadlines_csv
from ..normalise import thai_to_arabic
from ..store import citations_of, connect, find_letters, load_records, query_deadlines
from ..thaidate import parse_date

_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def parse_day(text: str, end: bool = False) -> date:
    """A date given on the command line: ISO, a bare year (CE or BE) or Thai (``๑๕ มี.ค. ๒๕๖๗``).

    A bare year means its first day, or with `end` its last: ``--from 2564 --to 2564``
    is the whole of 2021.
    """
    arabic = thai_to_arabic(text)
    year = _YEAR.match(arabic)
    if year:
        y = int(year.group(1))
        y = y - 543 if y > 2400 else y  # Buddhist Era years are > 2400 for centuries to come
        return date(y, 12, 31) if end else date(y, 1, 1)
    try:
        day = date.fromisoformat(arabic.strip())
    except ValueError:
        pass
    else:  # 2567-03-01: an ISO date written with the Buddhist Era year clerks use
        return day.replace(year=day.year - 543) if day.year > 2400 else day
    found = parse_date(text)
    if found is None:
        raise UsageError(f"cannot read the date {text!r}",
                         hint="use YYYY-MM-DD, a year (2024 or 2567) or a Thai date such as 15 มี.ค. 2567")
    return found


def _emit(text: str | bytes, out: Optional[str]) -> None:
    if out in (None, "-"):
        buffer = getattr(sys.stdout, "buffer", None)  # absent when stdout is a StringIO
        if isinstance(text, bytes) and buffer is not None:
            sys.stdout.flush()
            buffer.write(text)
            buffer.flush()
        else:
            sys.stdout.write(text.decode("utf-8") if isinstance(text, bytes) else text)
    else:
        atomic_write(Path(out), text)


# --------------------------------------------------------------------------- deadlines


def _deadlines(args) -> int:
    start = parse_day(args.date_from) if args.date_from else None
    end = parse_day(args.date_to, end=True) if args.date_to else None
    if start and end and start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    with closing(connect(args.db)) as conn:
        rows = query_deadlines(conn, start and start.isoformat(), end and end.isoformat(), args.sender, args.recipient)
    if args.format == "json":
        _emit(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", args.out)
    else:  # a BOM only in a file, where Excel will open it
        _emit(deadlines_csv(rows, bom=args.out not in (None, "-")), args.out)
    return 0


# --------------------------------------------------------------------------- graph


def _graph(args) -> int:
    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    with closing(connect(args.db)) as conn:
        records = load_records(conn)
    graph = citation_graph.build_graph(records)
    if args.id:
        node = citation_graph.find_node(graph, args.id) or citation_graph.find_node(graph, _canonical(args.id))
        if node is None:
            raise UsageError(f"no letter with id or number {args.id!r} in {args.db}")
        graph = citation_graph.neighbourhood(graph, node, args.depth)
    _emit(citation_graph.render(graph, args.format), args.out)
    return 0


def _canonical(number: str) -> str:
    """``'มท ๐๓๐๕.๑/ว ๑๙๖๔'`` → ``'มท 0305.1/ว 1964'`` (digits and spacing as stored)."""
    return re.sub(r"\s+", " ", thai_to_arabic(number)).strip()


# --------------------------------------------------------------------------- show


def _show(args) -> int:
    with closing(connect(args.db)) as conn:
        records = find_letters(conn, args.ident)
        if not records:
            raise UsageError(f"no letter with id or number {args.ident!r} in {args.db}")
        shown = [{"letter": r.model_dump(mode="json", exclude={"text", "evidence"}), **citations_of(conn, r)}
                 for r in records]
    if args.format == "json":
        _emit(json.dumps(shown if len(shown) > 1 else shown[0], ensure_ascii=False, indent=1) + "\n", args.out)
    else:
        _emit("\n\n".join(_show_text(s) for s in shown) + "\n", args.out)
    return 0


def _show_text(shown: dict) -> str:
    letter = shown["letter"]
    number = (letter["number"] or {}).get("text") or "(no number)"
    lines = [
        f"{number}  {letter['date'] or '(no date)'}  [{letter['id']}]",
        f"  from:    {letter['sender']['organization'] or '-'}",
        f"  to:      {letter['recipient'] or '-'}",
        f"  subject: {letter['subject'] or '-'}",
        f"  source:  {letter['source']['path']} (letter {letter['source']['letter_index']})",
    ]
    for d in letter["deadlines"]:
        lines.append(f"  due:     {d['date']}{' ' + d['time'] if d['time'] else ''}  {d['action'] or d['text']}")
    for w in letter["warnings"]:
        lines.append(f"  warning: {w}")
    lines.append(f"  cites ({len(shown['cites'])}):")
    for c in shown["cites"]:
        target = f"→ {c['resolved_number'] or c['resolved_id']} [{c['resolved_id']}]" if c["resolved_id"] else ""
        lines.append(f"    {c['relation']:<8} {c['number'] or c['text'][:60]}  {c['date'] or ''}  {c['status']} {target}")
    lines.append(f"  cited by ({len(shown['cited_by'])}):")
    for c in shown["cited_by"]:
        lines.append(f"    {c['relation']:<8} {c['number'] or '(no number)'}  {c['date'] or ''}  "
                     f"{c['sender'] or ''} [{c['letter_id']}] as {c['cited_as'] or '?'}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- registry


def register(sub) -> None:
    p = sub.add_parser("deadlines", help="list deadlines from a store, by date")
    p.add_argument("--db", required=True, help="circulars.sqlite or the directory holding it")
    p.add_argument("--from", dest="date_from", help="first due date (ISO, year, or Thai date), inclusive")
    p.add_argument("--to", dest="date_to", help="last due date, inclusive; a bare year means its 31 December")
    p.add_argument("--sender", help="text the sender's organisation contains")
    p.add_argument("--recipient", help="text the recipient contains")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", help="write to FILE instead of stdout")
    p.set_defaults(func=_deadlines)

    p = sub.add_parser("graph", help="the citation graph, whole or around one letter")
    p.add_argument("--db", required=True, help="circulars.sqlite or the directory holding it")
    p.add_argument("--id", help="record id, node id or letter number to centre on")
    p.add_argument("--depth", type=int, default=1, help="citations away from --id to include (default 1)")
    p.add_argument("--format", choices=tuple(citation_graph.WRITERS), default="json")
    p.add_argument("--out", help="write to FILE instead of stdout")
    p.set_defaults(func=_graph)

    p = sub.add_parser("show", help="one letter, what it cites and what cites it")
    p.add_argument("--db", required=True, help="circulars.sqlite or the directory holding it")
    p.add_argument("ident", metavar="ID|NUMBER", help="record id (sha12#n) or letter number (any digits)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--out", help="write to FILE instead of stdout")
    p.set_defaults(func=_show)
