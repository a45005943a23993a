"""The linker: comparisons, decisions, consensus, letter nodes, and scores on a generated archive."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.link import (
    compare_code, compare_date, compare_serial, compare_subject, letter_key, link_records, nodes, serial_digits,
)
from pipeline.types import DocNumber
from tests import linkcorpus


rec = linkcorpus.make_record


def by_id(records):
    return {r.id: r for r in records}


# --------------------------------------------------------------------------- comparisons


@pytest.mark.parametrize("cited, actual, level", [
    ("1964", "1964", "exact"),
    ("1965", "1964", "confusable"),  # ๔ read as ๕ (seed 000)
    ("7416", "7516", "confusable"),  # seed 003
    ("2976", "2971", "one_edit"),
    ("3057", "30577", "one_edit"),  # dropped digit
    ("305777", "30577", "one_edit"),  # doubled digit
    ("1469", "1964", "two_edit"),
    ("123", "987", "different"),
    (None, "1964", None),
])
def test_compare_serial(cited, actual, level):
    assert compare_serial(cited, actual) == level


@pytest.mark.parametrize("cited, actual, level", [
    ("0314", "0314", "exact"), ("1314", "0314", "one_edit"), ("0305.1", "0305.2", "one_edit"),
    ("0218", "0810.7", "different"), (None, "0314", None),
])
def test_compare_code(cited, actual, level):
    assert compare_code(cited, actual) == level


@pytest.mark.parametrize("cited, actual, level", [
    (date(2021, 1, 25), date(2021, 1, 25), "exact"),
    (date(2021, 1, 25), date(2021, 1, 22), "near"),  # seed 000: copy vs fax
    (date(2021, 11, 12), date(2020, 11, 12), "misread"),  # seed 000: ๒๕๖๔ for ๒๕๖๓
    (date(2019, 11, 23), date(2019, 11, 13), "misread"),  # one digit of the day
    (date(2019, 10, 13), date(2019, 11, 13), "misread"),  # month off by one
    (date(2019, 3, 1), date(2019, 11, 13), "far"),
    (None, date(2019, 11, 13), None),
])
def test_compare_date(cited, actual, level):
    assert compare_date(cited, actual) == level


@pytest.mark.parametrize("cited, actual, level", [
    ("การขับเคลื่อนศูนย์บริการร่วม", "การขับเคลื่อนศูนย์บริการร่วม/ศูนย์บริการแบบเบ็ดเสร็จ", "same"),
    ("การขับเคลือนศูนยบริการรวม", "การขับเคลื่อนศูนย์บริการร่วม", "same"),  # upper marks lost to OCR
    ("การขับเคลื่อนศูนย์บริการร่วม", "การขับเคลื่อนโครงการสำคัญ", "similar"),
    ("การจัดงานวันเด็กแห่งชาติ", "มาตรการประหยัดพลังงาน", "different"),
    (None, "x", None),
])
def test_compare_subject(cited, actual, level):
    assert compare_subject(cited, actual) == level


@pytest.mark.parametrize("serial, digits", [("30577", "30577"), ("3057)7", "30577"), ("๓๐๕๗๗", "30577"),
                                            ("", None), (None, None)])
def test_serial_digits(serial, digits):
    number = DocNumber(text="มท 0305.1/ว x", agency="มท", code="0305.1", circular=True, serial=serial)
    assert serial_digits(number) == digits


def test_letter_key_ignores_digit_script_and_debris():
    a = rec("aaa#1", "มท 0305.1/ว 30577", "2019-11-13")
    b = a.model_copy(update={"number": DocNumber(text="มท ๐๓๐๕.๑/ว ๓๐๕๗)๗", agency="มท", code="๐๓๐๕.๑",
                                                 circular=True, serial="๓๐๕๗)๗")})
    assert letter_key(a) == letter_key(b) == "มท 0305.1/ว 30577@2019-11-13"
    assert letter_key(rec("aaa#2", None, "2019-11-13")) is None


# --------------------------------------------------------------------------- decisions


def test_clean_citation_resolves_across_files():
    out = by_id(link_records([
        rec("m#1", "มท 0218/ว 7516", "2021-12-23"),
        rec("d#1", "มท 0810.7/ว 3153", "2021-12-29", refs=[("cites", "มท 0218/ว 7516", "2021-12-23")]),
    ]))
    ref = out["d#1"].references[0]
    assert (ref.status, ref.resolved_id, ref.candidates) == ("resolved", "m#1", [])


def test_external_letter_stays_unresolved():
    out = by_id(link_records([
        rec("m#1", "มท 0218/ว 7516", "2021-12-23"),
        rec("d#1", "มท 0810.7/ว 3153", "2021-12-29", refs=[("cites", "สน 0018.1/ว 22509", "2020-11-24")]),
    ]))
    assert out["d#1"].references[0].status == "unresolved"
    assert out["d#1"].references[0].resolved_id is None


def test_a_letter_never_resolves_to_itself_or_its_copies():
    own = "มท 0305.1/ว 1964"
    out = by_id(link_records([
        rec("a#1", own, "2021-01-22", refs=[("cites", own, "2021-01-22")]),
        rec("b#2", own, "2021-01-22", refs=[("cites", own, "2021-01-22")]),
    ]))
    for rid in ("a#1", "b#2"):
        assert out[rid].references[0].status == "unresolved"


def test_two_equally_likely_letters_make_an_ambiguous_reference():
    out = by_id(link_records([
        rec("x#1", "มท 0305.1/ว 1963", "2021-01-22"),
        rec("y#1", "มท 0305.1/ว 1967", "2021-01-22"),
        rec("c#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("cites", "มท 0305.1/ว 1965", "2021-01-22")]),
    ]))
    ref = out["c#1"].references[0]
    assert ref.status == "ambiguous" and ref.resolved_id is None
    assert sorted(c.id for c in ref.candidates) == ["x#1", "y#1"]
    assert all(0 < c.score < 1 for c in ref.candidates)


def test_physical_enclosure_resolves_a_badly_damaged_number():
    # Two digits of the serial misread: only the file order says which letter it is.
    out = by_id(link_records([
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("encloses", "มท 0305.1/ว 1235", "2021-01-25")]),
        rec("f#2", "มท 0305.1/ว 1964", "2021-01-22"),
    ]))
    assert out["f#1"].references[0].resolved_id == "f#2"


def test_enclosure_prefers_the_copy_in_the_same_file():
    letter = ("มท 0305.1/ว 1964", "2021-01-22")
    out = by_id(link_records([
        rec("a#1", *letter), rec("b#1", *letter),
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("encloses", "มท 0305.1/ว 1964", "2021-01-22")]),
        rec("f#2", *letter),
    ]))
    assert out["f#1"].references[0].resolved_id == "f#2"


def test_copies_of_one_letter_are_one_node_and_do_not_make_citations_ambiguous():
    letter = ("มท 0305.1/ว 30577", "2019-11-13")
    records = [rec(f"{f}#2", *letter, subject="ศูนย์ราชการสะดวก (GECC) อำเภอสะดวก") for f in "abc"]
    records.append(rec("z#1", "ลพ 0018.1/ว 20207", "2019-11-20", refs=[("cites", "มท 0305.1/ว 30577", "2019-11-13")]))
    groups = nodes(records)
    assert groups["มท 0305.1/ว 30577@2019-11-13"] == ["a#2", "b#2", "c#2"]
    ref = by_id(link_records(records))["z#1"].references[0]
    assert ref.status == "resolved" and ref.resolved_id == "a#2"


def test_same_number_and_date_but_unrelated_subjects_are_two_nodes():
    letter = ("มท 0305.1/ว 30577", "2019-11-13")
    groups = nodes([rec("a#1", *letter, subject="การจัดงานวันเด็กแห่งชาติ"),
                    rec("b#1", *letter, subject="มาตรการประหยัดพลังงานในสำนักงาน")])
    assert list(groups.values()) == [["a#1"], ["b#1"]]


def test_consensus_warning_names_both_readings_and_is_not_repeated():
    records = [
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("encloses", "มท 0305.1/ว 1965", "2021-01-25")]),
        rec("f#2", "มท 0305.1/ว 1964", "2021-01-22", stamps=["2021-01-20"]),
    ]
    once = link_records(records)
    twice = link_records(once)
    assert once == twice
    warnings = by_id(once)["f#2"].warnings
    assert "number reads มท 0305.1/ว 1964 but สน 0018.1/ว 1044 (f#1) cites it as มท 0305.1/ว 1965" in warnings
    assert "date reads 2021-01-22 but สน 0018.1/ว 1044 (f#1) cites it as 2021-01-25" in warnings
    assert any(w.startswith("date reads 2021-01-22 but its receipt stamp reads 2021-01-20") for w in warnings)
    assert len(warnings) == 3


def test_a_date_or_number_ocr_lost_is_taken_from_the_letter_that_encloses_it():
    subject = "ขอเชิญประชุมชี้แจงแนวทางการดำเนินงาน"
    records = [
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("encloses", "มท 0305.1/ว 1964", "2021-01-22")]),
        rec("f#2", "มท 0305.1/ว 1964", None, subject=subject),  # its date line unreadable
        rec("g#1", "สน 0018.1/ว 1045", "2021-01-28", refs=[("encloses", "มท 0305.1/ว 1970", "2021-01-23")]),
        rec("g#2", None, "2021-01-23", subject=subject),  # its number line unreadable
    ]
    once = by_id(link_records(records))
    assert once["f#2"].date == "2021-01-22" and once["g#2"].number.text == "มท 0305.1/ว 1970"
    assert any("date unreadable" in w and "f#1" in w for w in once["f#2"].warnings)
    assert any("number unreadable" in w and "g#1" in w for w in once["g#2"].warnings)
    assert link_records(list(once.values())) == sorted(once.values(), key=lambda r: r.id)  # linked again: unchanged


def test_a_number_read_without_its_agency_takes_them_from_a_citation_of_it():
    own = DocNumber(text="0305.1/ว 1964", agency=None, code="0305.1", circular=True, serial="1964")
    target = rec("f#2", None, "2021-01-22").model_copy(update={"number": own})
    out = by_id(link_records([
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("encloses", "มท 0305.1/ว 1964", "2021-01-22")]), target]))
    assert out["f#2"].number.text == "มท 0305.1/ว 1964"


def test_what_a_letter_shows_is_never_replaced_by_a_citation():
    records = [
        rec("f#1", "สน 0018.1/ว 1044", "2021-01-27", refs=[("encloses", "มท 0305.1/ว 1965", "2021-01-25")]),
        rec("f#2", "มท 0305.1/ว 1964", "2021-01-22"),
        # two citations that disagree give nothing
        rec("h#1", "สน 0018.1/ว 1050", "2021-02-01", refs=[("cites", "มท 0305.1/ว 1999", "2021-01-21")]),
        rec("k#1", "สน 0018.1/ว 1051", "2021-02-02", refs=[("cites", "มท 0305.1/ว 1999", "2021-01-20")]),
        rec("h#2", "มท 0305.1/ว 1999", None),
    ]
    out = by_id(link_records(records))
    assert (out["f#2"].number.text, out["f#2"].date) == ("มท 0305.1/ว 1964", "2021-01-22")
    assert out["h#2"].date is None


@pytest.mark.parametrize("day", ["2005-10-03", None])
def test_a_citation_of_another_letter_fills_nothing(day):
    # the cover letter cites an earlier letter (not in the file) and encloses the next,
    # whose number line OCR lost; the citation may resolve to it, but its date is months
    # off (or, with the date lost too, its code is not the enclosure's)
    records = [
        rec("f#1", "นน 0023.3/16683", "2005-10-17",
            refs=[("cites", "นน 0023.3/ว 15293", "2005-03-25"), ("encloses", "ภก 0032/ว", "2005-10-03")]),
        rec("f#2", None, day),
    ]
    out = by_id(link_records(records))
    assert out["f#2"].number is None
    assert not any("number unreadable" in w for w in out["f#2"].warnings)


def test_input_records_are_not_modified():
    records = [rec("m#1", "มท 0218/ว 7516", "2021-12-23"),
               rec("d#1", "มท 0810.7/ว 3153", "2021-12-29", refs=[("cites", "มท 0218/ว 7416", "2021-12-23")])]
    before = [r.model_copy(deep=True) for r in records]
    link_records(records)
    assert records == before


def test_duplicate_ids_are_kept_once():
    a = rec("m#1", "มท 0218/ว 7516", "2021-12-23")
    assert [r.id for r in link_records([a, a])] == ["m#1"]


# --------------------------------------------------------------------------- properties


@pytest.fixture(scope="module")
def small_corpus():
    return linkcorpus.generate(200, seed=3)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.randoms(use_true_random=False))
def test_output_does_not_depend_on_input_order(small_corpus, order):
    shuffled = list(small_corpus.records)
    order.shuffle(shuffled)
    assert link_records(shuffled) == link_records(small_corpus.records)


# --------------------------------------------------------------------------- the generated archive


def edge_counts(corpus, linked, only=None):
    tp = gold = predicted = 0
    for r in linked:
        for k, ref in enumerate(r.references):
            if only is not None and ((r.id, k) in corpus.noisy) != only:
                continue
            truth = corpus.gold[(r.id, k)]
            got = corpus.letter_of[ref.resolved_id] if ref.resolved_id else None
            tp += got is not None and got == truth
            gold += truth is not None
            predicted += got is not None
    return tp / predicted, tp / gold


@pytest.fixture(scope="module")
def archive():
    corpus = linkcorpus.generate(3000, seed=11)
    return corpus, link_records(corpus.records)


def test_edges_on_generated_archive_meet_targets(archive):
    precision, recall = edge_counts(*archive)
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)


def test_damaged_citations_are_mostly_found(archive):
    precision, recall = edge_counts(*archive, only=True)
    assert precision >= 0.98 and recall >= 0.93, (precision, recall)


def test_stamp_check_already_made_by_extraction_is_not_repeated():
    said = "letter dated 2021-01-22 is after its receipt stamp dated 2021-01-20"
    record = rec("f#2", "มท 0305.1/ว 1964", "2021-01-22", stamps=["2021-01-20"])
    (linked,) = link_records([record.model_copy(update={"warnings": [said]})])
    assert linked.warnings == [said]
