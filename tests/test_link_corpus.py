"""The generated archive itself: what the linker's scores rest on must hold."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.types import Record
from tests import linkcorpus


@pytest.fixture(scope="module")
def corpus():
    return linkcorpus.generate(1000, seed=5)


def test_size_and_determinism(corpus):
    assert len(corpus.records) >= 1000
    again = linkcorpus.generate(1000, seed=5)
    assert again.records == corpus.records and again.gold == corpus.gold and again.noisy == corpus.noisy
    assert linkcorpus.generate(1000, seed=6).records != corpus.records


def test_records_are_valid_records(corpus):
    # Built with model_construct for speed; they must still pass validation.
    for record in corpus.records[:300]:
        assert Record.model_validate(record.model_dump()) == record


def test_ids_are_unique_and_shaped_like_record_ids(corpus):
    ids = [r.id for r in corpus.records]
    assert len(set(ids)) == len(ids)
    for record in corpus.records:
        sha, index = record.id.split("#")
        assert sha == record.source.sha256[:12] and int(index) == record.source.letter_index


def test_at_least_a_fifth_of_citations_are_damaged(corpus):
    assert len(corpus.noisy) >= 0.2 * corpus.citations
    damaged = [corpus.records_by_id[rid].references[k] for rid, k in corpus.noisy]
    assert all(ref.number is not None for ref in damaged)


def test_same_letter_appears_in_several_files(corpus):
    copies = Counter(corpus.letter_of.values())
    files = {}
    for record in corpus.records:
        files.setdefault(corpus.letter_of[record.id], set()).add(record.source.sha256)
    assert sum(1 for uid, n in copies.items() if n >= 2 and len(files[uid]) >= 2) >= 50


def test_citation_chains_province_department_ministry(corpus):
    cites = {}
    for (rid, k), target in corpus.gold.items():
        if target is not None:
            cites.setdefault(corpus.letter_of[rid], set()).add(target)
    chains = [(a, b, c) for a, bs in cites.items() for b in bs for c in cites.get(b, ())]
    assert len(chains) >= 50
    assert any(uid is None for uid in corpus.gold.values())  # external letters too


def test_decoys_share_a_serial_with_another_letter(corpus):
    by_serial = {}
    for record in corpus.records:
        by_serial.setdefault(record.number.serial, set()).add(
            (record.number.agency, record.number.code, record.date[:4], corpus.letter_of[record.id]))
    near = [s for s, letters in by_serial.items() if len({uid for *_, uid in letters}) >= 2]
    assert len(near) >= 10


def test_scales_to_many_records_cheaply():
    big = linkcorpus.generate(20_000, seed=1)
    assert len(big.records) >= 20_000
