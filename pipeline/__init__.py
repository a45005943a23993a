"""circulars: digitise Thai government circulars.

The stages in pipeline order (each module readable on its own):
ingest → ocr → normalise → segment → extract → link → export.

Public verbs::

    from pipeline import read_text, read_document, link_records, write_outputs
    records = link_records(read_text(open("letter.txt").read(), "letter.txt"))
    write_outputs(records, Path("outputs"))

Heavy stages (OCR, linking, exports) load on first use.
"""

from __future__ import annotations

from typing import Any

from .extract import read_document, read_text
from .normalise import normalise
from .segment import segment
from .thaidate import find_dates, find_times, parse_date, parse_time
from .types import Document, PageText, Record, record_json_schema

__all__ = [
    "Document", "PageText", "Record", "find_dates", "find_times", "link_records", "normalise",
    "ocr_image", "parse_date", "parse_time", "read_document", "read_text", "record_json_schema",
    "segment", "write_outputs",
]

_LAZY = {"link_records": "link", "write_outputs": "export", "ocr_image": "ocr"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
