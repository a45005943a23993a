"""The evaluation harness, the text scorer's comparison rules, and the extract bench."""

from __future__ import annotations

import argparse
import io
import textwrap
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.bench import extract as bench_extract
from pipeline.evaluation import common, text
from pipeline.evaluation.common import (
    PRF,
    Harness,
    SkipSuite,
    markdown_table,
    match_items,
    multiset_prf,
    normalise_for_compare,
    similarity,
    thai_to_arabic,
)
from pipeline.types import Deadline, DocNumber, Record, Reference, Sender, Signatory, Source, Stamp

FILE = "000_test.txt"


def record(index: int = 1, source: str = FILE, **fields) -> Record:
    fields.setdefault("kind", "letter")
    return Record(
        id=f"{source[:3]}#{index}",
        source=Source(path=f"seeds/{source}", sha256="0" * 64, letter_index=index),
        **fields,
    )


def label(index: int = 1, source: str = FILE, **fields) -> dict:
    base = {
        "source": source,
        "letter_index": index,
        "kind": "letter",
        "urgency": None,
        "number": None,
        "date": None,
        "subject": None,
        "recipient": None,
        "sender_organization": None,
        "signatory": None,
        "references": [],
        "deadlines": [],
    }
    base.update(fields)
    return base


def ref(number: str | None, date: str | None, relation: str = "cites", resolved_id: str | None = None) -> Reference:
    return Reference(
        relation=relation,
        number=DocNumber(text=number) if number else None,
        date=date,
        text="…",
        resolved_id=resolved_id,
        status="resolved" if resolved_id else "unresolved",
    )


FIELD = {spec.name: spec for spec in text.FIELDS}


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("สน ๐๐๑๘.๑/ว ๑๐๔๔", "สน00181ว1044"),
        ("สน 0018.1/ว 1044", "สน00181ว1044"),
        ("“อำเภอ..วิถีใหม่”", "อำเภอวิถีใหม่"),
        ("ที่ สิ่งที่ส่งมาด้วย", "ที่สิ่งที่ส่งมาด้วย"),  # tone marks and upper vowels are kept
        ("ก\u200bข\u00a0ค\ufeff", "กขค"),  # ZWSP, NBSP, BOM
        ("(GECC) : e-Service", "GECCeService"),
        (" - / ", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_for_compare(raw, expected):
    assert normalise_for_compare(raw) == expected


@given(st.text())
def test_normalise_is_idempotent_and_digit_blind(s):
    once = normalise_for_compare(s)
    assert normalise_for_compare(once) == once
    assert normalise_for_compare(thai_to_arabic(s)) == once
    assert once is None or not any(ch.isspace() or ch in "๐๑๒๓๔๕๖๗๘๙" for ch in once)


def test_thai_to_arabic_keeps_length():
    assert thai_to_arabic("๐๑๒๓๔๕๖๗๘๙ ก") == "0123456789 ก"


LONG_SUBJECT = (
    "การขับเคลื่อนโครงการสำคัญของกรมการปกครอง ประจำปีงบประมาณ พ.ศ. 2564 (10 Flagships to DOPA New Normal 2021) : "
    "การพัฒนามาตรฐานการให้บริการประชาชนตามแนวทาง ศูนย์ราชการสะดวก (GECC) “อำเภอ..วิถีใหม่” "
    "การขับเคลื่อนศูนย์บริการร่วม/ศูนย์บริการแบบเบ็ดเสร็จ (One Stop Service : OSS) จุดให้บริการแบบอิเล็กทรอนิกส์ (e-Service)"
)


def test_similarity_ignores_autojunk():
    # 272 letters after normalising, every 10th replaced: 2·245/544 = 0.9007. With difflib's
    # autojunk (on by default from 200 characters) the same pair scores 0.868 and fails 0.9.
    subject = normalise_for_compare(LONG_SUBJECT)
    damaged = "".join("ฬ" if i % 10 == 9 else ch for i, ch in enumerate(subject))
    assert len(subject) == 272
    assert similarity(subject, damaged) == pytest.approx(2 * 245 / 544)
    assert text.same_text(subject, damaged)
    assert similarity("", "") == 1.0


# --------------------------------------------------------------------------- scalar fields


@pytest.mark.parametrize(
    "expected, got, ok",
    [
        ("สน 0018.1/ว 1044", "สน ๐๐๑๘.๑/ว ๑๐๔๔", True),
        ("สน 0018.1/ว 1044", "สน0018.1/ว1044", True),
        ("มท 0305.1/ว 1965", "มท 0305.1/ว 1964", False),
        ("1139/66", "1139/2566", False),
        (None, None, True),
        (None, "สน 1", False),
        ("สน 1", None, False),
    ],
)
def test_number_rule(expected, got, ok):
    r = record(number=DocNumber(text=got) if got else None)
    assert text.field_correct(FIELD["number"], r, label(number=expected)) is ok


def test_number_also_value_and_null():
    # 003#1: the number is blank in the letter but its prefix is printed.
    gold = label(number=None, also_number="พร 0023.7/ว")
    assert text.field_correct(FIELD["number"], record(), gold)
    assert text.field_correct(FIELD["number"], record(number=DocNumber(text="พร ๐๐๒๓.๗/ว")), gold)
    assert not text.field_correct(FIELD["number"], record(number=DocNumber(text="พร 0023.7/ว 12")), gold)


@pytest.mark.parametrize(
    "name, fields, gold, ok",
    [
        ("date", {"date": "2021-01-27"}, {"date": "2021-01-27"}, True),
        ("date", {"date": "2021-01-28"}, {"date": "2021-01-27"}, False),
        ("date", {"date": "2019-11-13"}, {"date": "2019-11-17", "also_date": "2019-11-13"}, True),
        ("date", {}, {"date": "2019-11-17"}, False),
        ("kind", {"kind": "fax"}, {"kind": "fax"}, True),
        ("kind", {"kind": "letter"}, {"kind": "memo"}, False),
        ("urgency", {"urgency": "ด่วนที่สุด"}, {"urgency": "ด่วนที่สุด"}, True),
        ("urgency", {"urgency": "ด่วน"}, {"urgency": "ด่วนที่สุด"}, False),
        ("urgency", {}, {"urgency": None}, True),
        ("urgency", {"urgency": "ด่วน"}, {"urgency": None}, False),
        ("subject", {}, {"subject": None}, True),
        ("subject", {"subject": ""}, {"subject": None}, True),
        ("subject", {"subject": "เรื่องหนึ่ง"}, {"subject": None}, False),
        ("subject", {}, {"subject": "เรื่องหนึ่ง"}, False),
        ("subject", {"subject": "“อำเภอ..วิถีใหม่” ๒๕๖๔"}, {"subject": '"อำเภอ วิถีใหม่" 2564'}, True),
        ("sender", {"sender": Sender(organization="จังหวัดสกลนคร")}, {"sender_organization": "จังหวัดสกลนคร"}, True),
        (
            "sender",
            {"sender": Sender(organization="อธิบดีกรมการปกครอง")},
            {"sender_organization": "กรมการปกครอง", "also_sender_organization": "อธิบดีกรมการปกครอง"},
            True,
        ),
        ("sender", {"sender": Sender(organization="จังหวัดแพร่")}, {"sender_organization": "จังหวัดสกลนคร"}, False),
        (
            "signatory",
            {"signatory": Signatory(name="ว่าที่ร้อยตรี รวยรุ่ง ไครบุตร")},
            {"signatory": "รวยรุ่ง ไครบุตร", "also_signatory": "ว่าที่ร้อยตรี รวยรุ่ง ไครบุตร"},
            True,
        ),
        ("signatory", {"signatory": Signatory(name="ว่าที่ร้อยตรี รวยรุ่ง ไครบุตร")}, {"signatory": "รวยรุ่ง ไครบุตร"}, False),
        ("recipient", {"recipient": "นายอำเภอ ทุกอำเภอ"}, {"recipient": "นายอำเภอทุกอำเภอ"}, True),
    ],
)
def test_field_rules(name, fields, gold, ok):
    assert text.field_correct(FIELD[name], record(**fields), label(**gold)) is ok


@pytest.mark.parametrize("changed, ok", [(0, True), (1, True), (2, True), (3, False)])
def test_text_similarity_threshold(changed, ok):
    # 20 letters, `changed` of them replaced: ratio = 2·(20 − changed) / 40 → 1, .95, .90, .85.
    expected = "กขคงจฉชซฌญฎฏฐฑฒณดตถท"
    got = "ฬ" * changed + expected[changed:]
    assert text.same_text(expected, got) is ok


# --------------------------------------------------------------------------- list fields


@pytest.mark.parametrize(
    "gold, got, ok",
    [
        ({"date": "2021-02-15", "time": None}, Deadline(date="2021-02-15", text="x"), True),
        ({"date": "2021-02-15", "time": None}, Deadline(date="2021-02-15", time="16:30", text="x"), True),
        ({"date": "2021-02-15", "time": "16:30"}, Deadline(date="2021-02-15", time="16:30", text="x"), True),
        ({"date": "2021-02-15", "time": "16:30"}, Deadline(date="2021-02-15", text="x"), False),
        ({"date": "2021-02-15", "time": "16:30"}, Deadline(date="2021-02-15", time="16:00", text="x"), False),
        ({"date": "2021-02-15", "time": None}, Deadline(date="2021-02-16", text="x"), False),
    ],
)
def test_deadline_rule(gold, got, ok):
    assert text.deadline_matches(gold, got) is ok


@pytest.mark.parametrize(
    "gold, got, ok",
    [
        (
            {"relation": "cites", "number": "สน 0018.1/ว 22509", "date": "2020-11-24"},
            ref("สน ๐๐๑๘.๑/ว ๒๒๕๐๙", "2020-11-24"),
            True,
        ),
        # the relation is not part of the rule
        (
            {"relation": "encloses", "number": "สน 0018.1/ว 22509", "date": "2020-11-24"},
            ref("สน 0018.1/ว 22509", "2020-11-24"),
            True,
        ),
        (
            {"relation": "cites", "number": "สน 0018.1/ว 22509", "date": "2020-11-24"},
            ref("สน 0018.1/ว 22509", "2020-11-25"),
            False,
        ),
        ({"relation": "cites", "number": "สน 0018.1/ว 22509", "date": "2020-11-24"}, ref(None, "2020-11-24"), False),
        (
            {"relation": "cites", "number": "มท 0305.1/ว 30203", "date": "2021-11-12", "also_date": "2020-11-12"},
            ref("มท 0305.1/ว 30203", "2020-11-12"),
            True,
        ),
        (
            {"relation": "encloses", "number": "มท 1314/ว 2976", "also_number": "มท 0314/ว 2976", "date": "2024-01-29"},
            ref("มท ๐๓๑๔/ว ๒๙๗๖", "2024-01-29"),
            True,
        ),
    ],
)
def test_reference_rule(gold, got, ok):
    assert text.reference_matches(gold, got) is ok


@pytest.mark.parametrize(
    "gold, got, ok",
    [
        ({"number": "99", "date": "2021-03-22", "time": "10:30"}, Stamp(number="๙๙", date="2021-03-22"), True),
        (
            {"number": "99", "date": "2021-03-22", "time": "10:30"},
            Stamp(number="99", date="2021-03-22", time="11:00"),
            True,
        ),
        ({"number": "99", "date": "2021-03-22", "time": None}, Stamp(number="98", date="2021-03-22"), False),
        ({"number": "99", "date": "2021-03-22", "time": None}, Stamp(number="99", date="2021-03-23"), False),
    ],
)
def test_stamp_rule(gold, got, ok):
    assert text.stamp_matches(gold, got) is ok


# --------------------------------------------------------------------------- counting


def test_prf_over_multisets():
    prf = multiset_prf(["a", "a", "b"], ["a", "b", "b", "c"])
    assert (prf.tp, prf.gold, prf.predicted) == (2, 3, 4)
    assert prf.precision == pytest.approx(0.5)
    assert prf.recall == pytest.approx(2 / 3)
    assert prf.f1 == pytest.approx(4 / 7)


@pytest.mark.parametrize(
    "prf, p, r, f",
    [
        (PRF(0, 0, 0), None, None, None),
        (PRF(0, 2, 0), None, 0.0, 0.0),
        (PRF(0, 0, 3), 0.0, None, 0.0),
        (PRF(2, 2, 2), 1.0, 1.0, 1.0),
    ],
)
def test_prf_edges(prf, p, r, f):
    assert (prf.precision, prf.recall, prf.f1) == (p, r, f)


def test_prf_rejects_impossible_counts():
    with pytest.raises(ValueError):
        PRF(3, 2, 5)


def test_matching_beats_greedy():
    # gold 0 accepts either prediction, gold 1 only the first: greedy would match 1 of 2.
    gold = [{"x", "y"}, {"x"}]
    assert match_items(gold, ["x", "y"], lambda g, p: p in g) == [(0, 1), (1, 0)]


def test_also_values_use_best_matching():
    gold = [
        {"number": "มท 1/ว 1", "also_number": "มท 2/ว 2", "date": "2024-01-01"},
        {"number": "มท 2/ว 2", "date": "2024-01-01"},
    ]
    got = [ref("มท 2/ว 2", "2024-01-01"), ref("มท 1/ว 1", "2024-01-01")]
    scored = text.score_letter(record(references=got), label(references=gold), {})
    assert scored.references == PRF(2, 2, 2)


@given(st.lists(st.sampled_from("abcde")), st.lists(st.sampled_from("abcde")), st.randoms())
def test_matching_equals_multiset_count_and_ignores_order(gold, pred, rnd):
    pairs = match_items(gold, pred, lambda g, p: g == p)
    assert len(pairs) == multiset_prf(gold, pred).tp
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    shuffled = pred[:]
    rnd.shuffle(shuffled)
    assert multiset_prf(gold, shuffled) == multiset_prf(gold, pred)
    assert multiset_prf(gold, gold).f1 in (None, 1.0)
    prf = multiset_prf(gold, pred)
    assert prf.f1 is None or 0.0 <= prf.f1 <= 1.0


# --------------------------------------------------------------------------- whole letters


def test_score_counts_missing_and_extra_letters():
    labels = [
        label(1, number="สน 0018.1/ว 1044", date="2021-01-27", deadlines=[{"date": "2021-01-29", "time": None}]),
        label(
            2,
            kind="fax",
            deadlines=[{"date": "2021-02-01", "time": None}],
            stamps=[{"number": "99", "date": "2021-03-22", "time": None}],
        ),
    ]
    records = [
        record(
            1,
            number=DocNumber(text="สน ๐๐๑๘.๑/ว ๑๐๔๔"),
            date="2021-01-28",
            deadlines=[Deadline(date="2021-01-29", text="a"), Deadline(date="2021-01-30", text="b")],
        ),
        record(3, deadlines=[Deadline(date="2021-02-01", text="c")]),  # not labelled: its items are extras
        record(1, source="999_unlabelled.txt"),  # no label in the file at all: ignored
    ]
    result = text.score(records, labels)
    fields = {f.name: (f.correct, f.labelled) for f in result.field_scores()}
    assert fields["number"] == (1, 2)  # letter 2 has no record: wrong even where null
    assert fields["date"] == (0, 2)
    assert fields["kind"] == (1, 2)
    assert result.deadlines == PRF(1, 2, 3)
    assert result.stamps == PRF(0, 1, 0)
    assert [(f.source, f.gold, f.extracted, f.matched) for f in result.files] == [(FILE, 2, 2, 1)]
    notes = Counter((m.letter_index, m.field) for m in result.mismatches)
    assert notes[(1, "date")] == 1 and notes[(2, "letter")] == 1 and notes[(3, "letter")] == 1
    assert notes[(1, "deadline")] == 1 and notes[(3, "deadline")] == 1


def test_resolutions():
    gold_refs = [
        {"relation": "encloses", "number": "มท 1/ว 1", "date": "2024-01-01", "resolves_to": 2},
        {"relation": "cites", "number": "มท 9/ว 9", "date": "2023-01-01"},
    ]
    labels = [label(1, references=gold_refs), label(2)]

    def score(first: str | None, second: str | None, **kw):
        refs = [ref("มท 1/ว 1", "2024-01-01", resolved_id=first), ref("มท 9/ว 9", "2023-01-01", resolved_id=second)]
        return text.score([record(1, references=refs), record(2)], labels, **kw)

    good = score("000#2", None)
    assert [r.correct for r in good.resolutions] == [True] and good.wrong_resolutions == []
    missed = score(None, None)
    assert [r.correct for r in missed.resolutions] == [False] and missed.wrong_resolutions == []
    wrong = score("000#1", None)
    assert [r.correct for r in wrong.resolutions] == [False] and len(wrong.wrong_resolutions) == 1
    false_link = score("000#2", "000#2")  # the second cited letter is not in the file
    assert [r.correct for r in false_link.resolutions] == [True] and len(false_link.wrong_resolutions) == 1
    unlinked = score("000#2", None, linked=False)
    assert unlinked.resolutions == [] and not unlinked.linked


def test_resolution_needs_the_target_record():
    gold_refs = [{"relation": "encloses", "number": "มท 1/ว 1", "date": "2024-01-01", "resolves_to": 2}]
    result = text.score(
        [record(1, references=[ref("มท 1/ว 1", "2024-01-01", resolved_id="000#2")])],
        [label(1, references=gold_refs), label(2)],
    )
    assert [r.correct for r in result.resolutions] == [False]


def test_render_has_every_table():
    labels = [label(1, subject="เรื่องหนึ่ง", deadlines=[{"date": "2021-01-29", "time": None}])]
    report = text.render(text.score([record(1, subject="เรื่อง|สอง\nบรรทัด")], labels, linked=False))
    for heading in ("### Letters per file", "### Fields", "### Lists", "### Reference resolution", "### Mismatches"):
        assert heading in report
    assert "| subject | 0/1 | 0.000 |" in report
    assert "| deadlines | 0 | 1 | 0 | — | 0.000 | 0.000 |" in report
    assert "เรื่อง\\|สอง ⏎ บรรทัด" in report
    assert "_not built_" in report


# --------------------------------------------------------------------------- common helpers


def test_markdown_table():
    table = markdown_table(("a", "b"), [(1, None), ("x|y", 0.5)], "lr")
    assert table.splitlines() == ["| a | b |", "|:---|---:|", "| 1 | — |", "| x\\|y | 0.500 |"]
    with pytest.raises(ValueError):
        markdown_table(("a", "b"), [(1,)])


def test_shared_dir_override(tmp_path, monkeypatch):
    monkeypatch.setenv(common.SHARED_ENV, str(tmp_path))
    assert common.shared_dir() == tmp_path
    (tmp_path / "seeds").mkdir()
    assert common.require_shared("seeds") == tmp_path / "seeds"
    with pytest.raises(SkipSuite, match="missing"):
        common.require_shared("gold", "seeds.json")
    monkeypatch.setenv(common.SHARED_ENV, str(tmp_path / "nowhere"))
    assert common.shared_dir() is None
    with pytest.raises(SkipSuite, match="not found"):
        common.require_shared("seeds")


def test_project_root_holds_pyproject():
    assert (common.project_root() / "pyproject.toml").is_file()


def test_text_suite_skips_without_shared(tmp_path, monkeypatch):
    monkeypatch.setenv(common.SHARED_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(SkipSuite):
        text.run(text_args())


def text_args(**kw):
    kw.setdefault("text_seeds", None)
    kw.setdefault("text_gold", None)
    return argparse.Namespace(**kw)


# --------------------------------------------------------------------------- the harness

SUITE_SOURCES = {
    "good": """
        def add_arguments(parser):
            parser.add_argument("--good-word", default="fine")
        def run(args):
            return "| ok |\\n|---|\\n| " + args.good_word + " |"
    """,
    "skips": """
        from pipeline.evaluation.common import SkipSuite
        def run(args):
            raise SkipSuite("no inputs here")
    """,
    "boom": """
        def run(args):
            raise RuntimeError("kaput")
    """,
    "broken": """
        import module_that_does_not_exist_anywhere
        def run(args):
            return ""
    """,
    "clash": """
        def add_arguments(parser):
            parser.add_argument("--good-word")
        def run(args):
            return "never"
    """,
}


@pytest.fixture
def fake_suites(tmp_path, monkeypatch):
    package = tmp_path / "fake_suites_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in SUITE_SOURCES.items():
        (package / f"{name}.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    return lambda suites: Harness("fake_suites_pkg", tuple(suites), "test")


def run_harness(harness, *argv):
    out = io.StringIO()
    return harness.main(list(argv), out=out), out.getvalue()


def test_harness_reports_every_status(fake_suites, capsys):
    code, out = run_harness(fake_suites(["good", "missing", "skips", "boom", "broken"]), "--good-word", "great")
    assert code == 1
    assert "| great |" in out
    for row in (
        "| good | ok |",
        "| missing | not built |",
        "| skips | skipped |",
        "| boom | failed |",
        "| broken | failed |",
    ):
        assert row in out
    assert "no inputs here" in out and "RuntimeError: kaput" in out
    assert "kaput" in capsys.readouterr().err  # the traceback goes to stderr


def test_harness_selects_suites_and_exits_zero_without_failures(fake_suites):
    harness = fake_suites(["good", "missing", "skips", "boom"])
    for argv in (["--suite", "good", "--suite", "skips"], ["--suite", "skips", "good"]):
        code, out = run_harness(harness, *argv)
        assert code == 0
        assert "| good | ok |" in out and "| skips | skipped |" in out and "boom" not in out


def test_harness_fails_a_suite_whose_options_clash(fake_suites):
    code, out = run_harness(fake_suites(["good", "clash"]))
    assert code == 1
    assert "| good | ok |" in out and "| clash | failed |" in out and "conflicting option" in out


def test_harness_list(fake_suites):
    code, out = run_harness(fake_suites(["good", "missing", "broken"]), "--list")
    assert code == 0
    assert "| good | built |" in out and "| missing | not built |" in out and "| broken | broken |" in out


def test_harness_rejects_unknown_suite(fake_suites):
    with pytest.raises(SystemExit):
        run_harness(fake_suites(["good"]), "--suite", "nope")


def test_registries():
    from pipeline import bench, evaluation

    assert evaluation.SUITES == ("text", "scans", "links")
    assert bench.SUITES == ("extract", "ocr", "links", "batch")
    assert "--quick" in bench.HARNESS.build_parser().format_help()


# --------------------------------------------------------------------------- extract bench


def test_bench_measure_counts_letters():
    calls = []

    def fake_read_text(content, path):
        calls.append(path)
        return [object()] * content.count("LETTER")

    inputs = [("a.txt", "LETTER LETTER"), ("b.txt", "LETTER")]
    result = bench_extract.measure(inputs, fake_read_text, min_seconds=0.01)
    assert result.letters_per_pass == 3
    assert result.letters == 3 * result.passes
    assert len(calls) == 2 * (result.passes + 1)  # one warm-up pass
    assert result.files == 2 and result.chars == len("LETTER LETTER") + len("LETTER")
    report = bench_extract.render(result, "test")
    assert "letters/s" in report and "≥ 50" in report


def test_bench_load_inputs(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("ข", encoding="utf-8")
    (tmp_path / "a.txt").write_text("ก", encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / "line_001.gt.txt").write_text("ค", encoding="utf-8")
    inputs = bench_extract.load_inputs([tmp_path, None, tmp_path / "absent"])
    assert [(p.rsplit("/", 1)[-1], t) for p, t in inputs] == [("a.txt", "ก"), ("b.txt", "ข")]
    with pytest.raises(ValueError):
        bench_extract.measure([], lambda t, p: [], 0.01)


# --------------------------------------------------------------------------- the real seeds


def test_text_suite_on_real_seeds():
    if common.shared_dir() is None or not (common.shared_dir() / "gold" / "seeds.json").is_file():
        pytest.skip("../shared is absent")
    if common.import_optional("pipeline.extract") is None:
        pytest.skip("pipeline.extract is not built")
    from pipeline import evaluation

    code, out = run_harness(evaluation.HARNESS, "--suite", "text")
    assert code == 0, out
    assert "| field | correct / labelled | accuracy |" in out


def records_from_labels(labels) -> list[Record]:
    """Records that say exactly what the labels say, resolutions included."""
    ids = {(g["source"], g["letter_index"]): f"{g['source'][:12]}#{g['letter_index']}" for g in labels}
    out = []
    for g in labels:
        refs = [
            Reference(
                relation=r["relation"],
                number=DocNumber(text=r["number"]) if r["number"] else None,
                date=r["date"],
                text="…",
                resolved_id=ids.get((g["source"], r["resolves_to"])) if "resolves_to" in r else None,
            )
            for r in g["references"]
        ]
        out.append(
            Record(
                id=ids[(g["source"], g["letter_index"])],
                source=Source(path=f"x/{g['source']}", sha256="0" * 64, letter_index=g["letter_index"]),
                kind=g["kind"],
                urgency=g["urgency"],
                number=DocNumber(text=g["number"]) if g["number"] else None,
                date=g["date"],
                subject=g["subject"],
                recipient=g["recipient"],
                sender=Sender(organization=g["sender_organization"]),
                signatory=Signatory(name=g["signatory"]),
                references=refs,
                deadlines=[Deadline(date=d["date"], time=d["time"], text="…") for d in g["deadlines"]],
                stamps=[Stamp(number=s["number"], date=s["date"], time=s["time"]) for s in g.get("stamps", [])],
            )
        )
    return out


def test_real_labels_score_perfectly_against_themselves():
    shared = common.shared_dir()
    if shared is None or not (shared / "gold" / "seeds.json").is_file():
        pytest.skip("../shared is absent")
    labels = text.load_gold(shared / "gold" / "seeds.json")
    result = text.score(records_from_labels(labels), labels)
    assert all(f.correct == f.labelled == len(labels) for f in result.field_scores())
    for prf in (result.deadlines, result.references, result.stamps):
        assert prf.tp == prf.gold == prf.predicted > 0
    assert result.resolutions and all(r.correct for r in result.resolutions)
    assert result.wrong_resolutions == [] and result.mismatches == []


def test_duplicate_letter_index_is_reported_and_counted():
    deadline = [{"date": "2021-01-29", "time": None}]
    records = [record(1, deadlines=[Deadline(date="2021-01-29", text="a")])] * 2
    result = text.score(records, [label(1, deadlines=deadline)])
    assert result.deadlines == PRF(1, 1, 2)
    assert [f.extracted for f in result.files] == [2]
    assert [m.note for m in result.mismatches if m.field == "letter"] == ["duplicate letter_index"]


@pytest.mark.parametrize(
    "gold, got, expected_cell, note",
    [
        ({"subject": "กขคงจฉชซฌญ"}, "กขคงจฉชซฬฬ", "กขคงจฉชซฌญ", "similarity 0.800"),
        ({"subject": "กขคงจฉชซฌญ"}, " - ", "กขคงจฉชซฌญ", ""),  # nothing left to compare after normalising
        ({"subject": None}, "ก", None, ""),
        ({"signatory": "ก ข", "also_signatory": "ค ง"}, None, "ก ข or ค ง", ""),
    ],
)
def test_mismatch_rows_show_what_was_expected(gold, got, expected_cell, note):
    name = "subject" if "subject" in gold else "signatory"
    fields = {"subject": got} if name == "subject" else {"signatory": Signatory(name=got)}
    scored = text.score_letter(record(**fields), label(**gold), {})
    (row,) = [m for m in scored.mismatches if m.field == name]
    assert (row.expected, row.got, row.note) == (expected_cell, got, note)


class FakeExtract:
    """Stands in for pipeline.extract: one letter per text, numbered as the text says."""

    @staticmethod
    def read_text(content: str, path: str) -> list[Record]:
        return [record(1, source=path.rsplit("/", 1)[-1], number=DocNumber(text=content.strip()))]


def fake_modules(present: dict):
    return lambda name: present.get(name)


def test_text_run_wires_extraction_and_reports_missing_linker(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("สน ๑/ว ๒", encoding="utf-8")
    (seeds / "b.txt").write_text("สน 9/ว 9", encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(
        '{"about": "", "letters": [{"source": "a.txt", "letter_index": 1, "number": "สน 1/ว 2"},'
        ' {"source": "b.txt", "letter_index": 1, "number": "สน 1/ว 2"}]}',
        encoding="utf-8",
    )
    monkeypatch.setattr(text, "import_optional", fake_modules({"pipeline.extract": FakeExtract}))
    report = text.run(text_args(text_seeds=seeds, text_gold=gold))
    assert "| number | 1/2 | 0.500 |" in report
    assert "resolves_to: _not built_" in report
    monkeypatch.setattr(text, "import_optional", fake_modules({}))
    with pytest.raises(SkipSuite, match="pipeline.extract"):
        text.run(text_args(text_seeds=seeds, text_gold=gold))


def test_bench_run_reads_the_generated_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv(common.SHARED_ENV, str(tmp_path / "nowhere"))
    (tmp_path / "one.txt").write_text("มท 1/ว 1", encoding="utf-8")
    args = argparse.Namespace(quick=True, extract_seconds=0.01, extract_corpus=tmp_path)
    monkeypatch.setattr(bench_extract, "import_optional", fake_modules({"pipeline.extract": FakeExtract}))
    report = bench_extract.run(args)
    assert "1 files" in report and "0 seeds, 1 generated" in report
    args.extract_corpus = tmp_path / "absent"
    with pytest.raises(SkipSuite, match="no input texts"):
        bench_extract.run(args)
    monkeypatch.setattr(bench_extract, "import_optional", fake_modules({}))
    with pytest.raises(SkipSuite, match="pipeline.extract"):
        bench_extract.run(args)


dates = st.dates().map(lambda d: d.isoformat())
times = st.none() | st.times().map(lambda t: t.strftime("%H:%M"))
numbers = st.builds(
    lambda agency, code, serial: f"{agency} {code}/ว {serial}",
    st.sampled_from(["มท", "สน", "ลพ", "พร"]),
    st.integers(1, 9999),
    st.integers(1, 99999),
)


@st.composite
def label_sets(draw):
    labels = []
    for index in range(1, draw(st.integers(1, 3)) + 1):
        labels.append(
            label(
                index,
                number=draw(st.none() | numbers),
                date=draw(st.none() | dates),
                subject=draw(st.none() | st.text("กขคงจฉ ", min_size=1, max_size=30)),
                references=[
                    {"relation": "cites", "number": n, "date": d}
                    for n, d in draw(st.lists(st.tuples(numbers, dates), max_size=3))
                ],
                deadlines=[{"date": d, "time": t} for d, t in draw(st.lists(st.tuples(dates, times), max_size=3))],
                stamps=[
                    {"number": str(n), "date": d, "time": None}
                    for n, d in draw(st.lists(st.tuples(st.integers(1, 999), dates), max_size=2))
                ],
            )
        )
    return labels


@given(label_sets(), st.booleans())
def test_records_saying_what_the_labels_say_score_perfectly(labels, thai_digits):
    records = records_from_labels(labels)
    if thai_digits:  # how the letter prints its numbers must not matter
        for r in records:
            if r.number:
                r.number = DocNumber(text=r.number.text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
    result = text.score(records, labels)
    assert all(f.correct == f.labelled for f in result.field_scores())
    for prf in (result.deadlines, result.references, result.stamps):
        assert prf.tp == prf.gold == prf.predicted
    assert result.mismatches == []
    # Dropping one extracted deadline costs exactly one true positive.
    with_deadline = [r for r in records if r.deadlines]
    if with_deadline:
        with_deadline[0].deadlines.pop()
        assert text.score(records, labels).deadlines.tp == result.deadlines.tp - 1


def test_scan_suite_takes_a_slice_of_files(tmp_path, monkeypatch):
    import argparse
    import json

    from pipeline.evaluation import scans

    files = [{"path": f"{i:03d}.png", "pages": []} for i in range(5)]
    (tmp_path / "labels.json").write_text(json.dumps({"files": files}), encoding="utf-8")
    seen = []
    monkeypatch.setattr(scans, "require_ocr", lambda: None)
    monkeypatch.setattr(scans, "evaluate", lambda d, f, **kw: seen.append([x["path"] for x in f]) or {})
    monkeypatch.setattr(scans, "render", lambda *a: "")
    scans.run(argparse.Namespace(scans=tmp_path, scans_skip=1, scans_limit=2))
    scans.run(argparse.Namespace(scans=tmp_path, scans_skip=3, scans_limit=None))
    assert seen == [["001.png", "002.png"], ["003.png", "004.png"]]
    with pytest.raises(scans.SkipSuite):
        scans.run(argparse.Namespace(scans=tmp_path, scans_skip=9, scans_limit=None))


def test_the_ocr_caches_key_covers_every_pipeline_module_the_ocr_imports():
    """A change to `thaidate`'s month names changes what the month reader reads again:
    the scans suite's OCR cache must not serve pages read before it."""
    import re
    from pathlib import Path

    from pipeline import ocr

    package = Path(ocr.__file__).resolve().parent
    imported = set()
    for path in package.glob("*.py"):
        for name in re.findall(r"^\s*from \.\.(\w+) import|^\s*from \.\. import (\w+)", path.read_text(), re.MULTILINE):
            imported.add(next(n for n in name if n) + ".py")
    assert imported, "no imports found: the pattern above is out of date"
    assert imported <= {p.name for p in ocr.OCR_IMPORTS}


def test_the_ocr_caches_key_changes_with_a_module_the_ocr_imports(tmp_path):
    from pipeline import ocr

    code = tmp_path / "ocr"
    code.mkdir()
    (code / "engine.py").write_text("x = 1\n")
    dates = tmp_path / "thaidate.py"
    dates.write_text("MONTHS = 'ม.ค.'\n")
    before = ocr.fingerprint(code, (dates,))
    dates.write_text("MONTHS = 'ม.ค.|มค'\n")
    ocr.fingerprint.cache_clear()
    assert ocr.fingerprint(code, (dates,)) != before
