"""`circulars schema`: print the JSON Schema of one record (generated from pipeline.types)."""

from __future__ import annotations

import json
import sys

from ..types import record_json_schema


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of a record")
    p.set_defaults(func=_run)


def _run(args) -> int:
    json.dump(record_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
