"""The linker on the five seed circulars, with records built by hand from the gold labels.

Extraction is another stage; here each gold letter becomes a Record carrying exactly
what the gold says the letter shows (its number as printed, its date, its references
as written, slips included), so this checks the linker alone. Skips when
``../shared`` is absent.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from pipeline.evaluation.common import shared_dir
from pipeline.link import link_records
from pipeline.types import DocNumber, Record, Reference, Sender, Source, Stamp

SHARED = shared_dir()  # ../shared beside the project, or $CIRCULARS_SHARED
GOLD = SHARED / "gold" / "seeds.json" if SHARED else Path("/nonexistent")

pytestmark = pytest.mark.skipif(not GOLD.is_file(), reason="../shared/gold/seeds.json not present")

_NUMBER = re.compile(r"^(?P<agency>\S+) (?P<code>[\d.]+)/(?P<circ>ว )?(?P<serial>\S*)$")


def doc_number(text: str | None) -> DocNumber | None:
    if not text:
        return None
    m = _NUMBER.match(text)
    if not m:
        return DocNumber(text=text)
    return DocNumber(text=text, agency=m["agency"], code=m["code"], circular=bool(m["circ"]), serial=m["serial"] or None)


#: How the OCR'd header of 004 letter 2 reads (``๓๐๕๗)๗``); the gold gives the clean number.
HEADER_AS_READ = {("004_25045df08d39d79c.txt", 2): "มท 0305.1/ว 3057)7"}


def seed_records() -> list[Record]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    records = []
    for label in gold["letters"]:
        sha = hashlib.sha256(label["source"].encode()).hexdigest()
        key = (label["source"], label["letter_index"])
        records.append(Record(
            id=f"{sha[:12]}#{label['letter_index']}",
            source=Source(path=f"seeds/{label['source']}", sha256=sha, letter_index=label["letter_index"]),
            kind=label["kind"],
            number=doc_number(HEADER_AS_READ.get(key, label["number"])),
            date=label["date"],
            subject=label["subject"],
            sender=Sender(organization=label["sender_organization"]),
            references=[
                Reference(relation=r["relation"], number=doc_number(r["number"]), date=r["date"], text=r["number"])
                for r in label["references"]
            ],
            stamps=[Stamp(number=s["number"], date=s["date"], time=s["time"]) for s in label.get("stamps", [])],
        ))
    return records


@pytest.fixture(scope="module")
def linked() -> dict[tuple[str, int], Record]:
    return {(Path(r.source.path).name, r.source.letter_index): r for r in link_records(seed_records())}


def _cases():
    if not GOLD.is_file():
        return []
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return [
        pytest.param(label["source"], label["letter_index"], k, ref.get("resolves_to"), id=f"{label['source'][:3]}-{label['letter_index']}-{ref['number']}")
        for label in gold["letters"]
        for k, ref in enumerate(label["references"])
    ]


@pytest.mark.parametrize("source, letter_index, k, resolves_to", _cases())
def test_every_seed_reference_resolves_as_gold_says(linked, source, letter_index, k, resolves_to):
    reference = linked[(source, letter_index)].references[k]
    if resolves_to is None:
        assert reference.status == "unresolved" and reference.resolved_id is None
    else:
        assert reference.status == "resolved"
        assert reference.resolved_id == linked[(source, resolves_to)].id


@pytest.mark.parametrize(
    "source, letter_index, fragment",
    [
        ("000_447a050c7bef9d89.txt", 2, "number reads มท 0305.1/ว 1964 but สน 0018.1/ว 1044"),
        ("000_447a050c7bef9d89.txt", 2, "cites it as มท 0305.1/ว 1965"),
        ("000_447a050c7bef9d89.txt", 2, "date reads 2021-01-22 but สน 0018.1/ว 1044"),
        ("002_a8f4a65180b4d521.txt", 2, "cites it as มท 1314/ว 2976"),
        ("003_be037cce41954e4c.txt", 3, "number reads มท 0218/ว 7516 but มท 0810.7/ว 3153"),
        ("004_25045df08d39d79c.txt", 2, "date reads 2019-11-17 but its receipt stamp reads 2019-11-15"),
        ("004_25045df08d39d79c.txt", 2, "date reads 2019-11-17 but ลพ 0018.1/ว 20207"),
    ],
)
def test_consensus_warnings_name_both_readings(linked, source, letter_index, fragment):
    warnings = linked[(source, letter_index)].warnings
    assert any(fragment in w for w in warnings), warnings


def test_header_with_stray_bracket_is_not_warned_against(linked):
    # "3057)7" and "30577" are the same digits: the citation agrees with the header.
    warnings = linked[("004_25045df08d39d79c.txt", 2)].warnings
    assert not any(w.startswith("number reads") for w in warnings)


def test_letters_cited_by_nobody_get_no_consensus_warning(linked):
    assert linked[("001_b35731c7d86aee0c.txt", 1)].warnings == []


def test_seeds_through_extraction_link_as_gold_says():
    """Part (b) of the links evaluation: real extraction, then the linker."""
    from pipeline.evaluation.common import SkipSuite
    from pipeline.evaluation.links import seed_results

    try:
        result = seed_results()
    except SkipSuite as e:
        pytest.skip(e.reason)
    assert result.expected == 5
    assert result.right == result.expected, result.rows
    assert result.wrong == []
