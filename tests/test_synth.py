"""The scan benchmark: letter generator, renderer, scan damage, corpus writer, scan metrics."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pipeline.evaluation import scans
from pipeline.evaluation.scans import Rate, cer, digit_error, label_of
import pipeline.synth.damage as dmg
from pipeline.synth.letters import ARABIC_DIGITS, KINDS, Span, digits, make_forwarding, make_letter
from pipeline.synth.render import render_letter
from pipeline.types import Record

ROOT = Path(__file__).resolve().parents[1]
KIND_NAMES = tuple(KINDS)

# --------------------------------------------------------------------------- letters


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_same_seed_same_letter(kind):
    a, b = make_letter(3, 5, kind=kind), make_letter(3, 5, kind=kind)
    assert a.gold == b.gold
    assert a.blocks == b.blocks
    assert a.stamp == b.stamp


def test_different_index_different_letter():
    golds = [make_letter(3, i).gold for i in range(6)]
    assert len({json.dumps(g, ensure_ascii=False, sort_keys=True) for g in golds}) == 6


def _squash(text: str) -> str:
    """Arabic digits, no whitespace: how a number is compared whatever its digits and spacing."""
    return "".join(text.translate(ARABIC_DIGITS).split())


def _gold_record(gold: dict, index: int = 1) -> dict:
    return {**gold, "id": f"{'0' * 12}#{index}",
            "source": {"path": "x.png", "sha256": "0" * 64, "letter_index": index, "pages": [1]}}


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("index", range(4))
def test_gold_is_a_record_and_matches_the_printed_page(kind, index):
    letter = make_letter("t", index, kind=kind)
    Record.model_validate(_gold_record(letter.gold))
    pages = render_letter(letter, dpi=100, rng=random.Random(index))
    text = "\n".join(p.text for p in pages)
    gold = letter.gold
    assert gold["date_text"] in text  # the date as written, in the letter's own digits
    if letter.digit_style == "thai":
        assert re.search("[๐-๙]", gold["date_text"]) or re.search("[๐-๙]", text)
    if gold["number"]:
        assert _squash(gold["number"]["text"]) in _squash(text)
    for deadline in gold["deadlines"]:
        assert _squash(deadline["text"]) in _squash(text)
    for ref in gold["references"]:
        assert _squash(ref["number"]["text"]) in _squash(text)
    for stamp in gold["stamps"]:
        assert f"เลขรับ{stamp['number']}" in _squash(text)
    if gold["subject"]:
        assert _squash(gold["subject"]) in _squash(text)


def test_printed_digits_follow_the_letter_style():
    for i in range(12):
        letter = make_letter("digits", i, kind="letter")
        text = render_letter(letter, dpi=100, rng=random.Random(i))[0].text
        date_line = next(line for line in text.splitlines() if letter.gold["date_text"] in line)
        has_thai = bool(re.search("[๐-๙]", date_line))
        assert has_thai == (letter.digit_style == "thai"), date_line


def test_forwarding_cover_encloses_the_inner_letter():
    cover, inner = make_forwarding(1, 0)
    enclosed = [r for r in cover.gold["references"] if r["relation"] == "encloses"]
    assert enclosed and enclosed[0]["date"] == inner.gold["date"]
    assert (enclosed[0]["number"] or {}).get("text") == (inner.gold["number"] or {}).get("text")
    assert cover.gold["date"] > inner.gold["date"]


@pytest.mark.parametrize("text,style,expected", [
    ("มท 0305.1/ว 1964", "thai", "มท ๐๓๐๕.๑/ว ๑๙๖๔"),
    ("๒๗ ม.ค. ๖๔", "arabic", "27 ม.ค. 64"),
    ("no digits", "thai", "no digits"),
])
def test_digits(text, style, expected):
    assert digits(text, style) == expected


# --------------------------------------------------------------------------- render and damage


@pytest.mark.parametrize("dpi,size", [(300, (2480, 3508)), (200, (1654, 2339))])
def test_render_is_a4_at_the_resolution(dpi, size):
    pages = render_letter(make_letter(0, 1, kind="memo"), dpi=dpi, rng=random.Random(0))
    assert pages and all(p.image.size == size and p.image.mode == "RGB" for p in pages)
    assert all(p.text.strip() for p in pages)


def test_render_draws_ink_where_the_lines_are():
    page = render_letter(make_letter(0, 2, kind="fax"), dpi=100, rng=random.Random(0))[0]
    grey = page.image.convert("L")
    for line in page.lines[:5]:
        crop = grey.crop(line.box)
        assert crop.getextrema()[0] < 128, line.text  # something dark inside each line box


def test_a_row_too_long_for_the_line_goes_on_under_its_text():
    """A memo's ส่วนราชการ with a long office name wraps inside the text width, as the form
    is filled in; nothing of it is drawn past the margin, and the gold text keeps every word."""
    from pipeline.synth.letters import Block
    from pipeline.synth.render import TEXT_WIDTH, Canvas, FontSet, _block_items

    canvas = Canvas(FontSet.choose(random.Random(0)), 200)
    office = "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน สำนักบริหารงานการมัธยมศึกษาตอนปลาย โทร. ๐ ๒๗๘๒ ๙๗๓๐"
    row = Block("row", [Span("ส่วนราชการ", bold=True, size=20), Span(office, tab=2.4)], dotted=True)
    items = _block_items(row, canvas)
    assert len(items) >= 2
    assert all(item.extent <= canvas.px(TEXT_WIDTH) for item in items)
    assert items[1].spans[0][1] == items[0].spans[1][1]  # goes on under the office's start
    assert "".join(i.text for i in items).replace(" ", "") == ("ส่วนราชการ" + office).replace(" ", "")
    short = _block_items(Block("row", [Span("ที่", bold=True), Span("นร ๐๑๐๕/ว ๑๒", tab=0.8)]), canvas)
    assert [i.text for i in short] == ["ที่ นร ๐๑๐๕/ว ๑๒"]


@pytest.fixture(scope="module")
def small_page() -> Image.Image:
    return render_letter(make_letter(0, 0, kind="letter"), dpi=60, rng=random.Random(0))[0].image


@pytest.mark.parametrize("level", list(dmg.LEVELS))
@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_damage_keeps_size_and_mode(small_page, level, mode):
    image = small_page.convert(mode)
    out, steps = dmg.damage(image, level, random.Random(4))
    assert out.size == image.size and out.mode == image.mode
    assert all(s.split(":")[0] in dmg.STEPS for s in steps)


@pytest.mark.parametrize("name", list(dmg.STEPS))
def test_each_damage_step_keeps_size_and_mode(small_page, name):
    for mode in ("RGB", "L"):
        image = small_page.convert(mode)
        out = dmg.STEPS[name](image, random.Random(1), 1.0)
        assert out.size == image.size and out.mode == image.mode


def test_damage_changes_the_page_and_is_deterministic(small_page):
    a, _ = dmg.damage(small_page, "heavy", random.Random(9))
    b, _ = dmg.damage(small_page, "heavy", random.Random(9))
    assert a.tobytes() == b.tobytes()
    assert a.tobytes() != small_page.tobytes()


def test_unknown_damage_level_names_the_valid_ones(small_page):
    with pytest.raises(ValueError, match="clean, moderate, heavy"):
        dmg.damage(small_page, "medium", random.Random(0))


def test_binarise_keeps_text(small_page):
    out = dmg.binarise(small_page)
    assert out.mode == "1" and out.size == small_page.size
    assert 0 in out.convert("L").getextrema()


# --------------------------------------------------------------------------- corpus


def test_corpus_plan_is_deterministic():
    from pipeline.synth.__main__ import plan_corpus

    a = [(p.dpi, p.level, p.mode, [l.gold for l in p.letters]) for p in plan_corpus(6, 2, True)]
    b = [(p.dpi, p.level, p.mode, [l.gold for l in p.letters]) for p in plan_corpus(6, 2, True)]
    assert a == b
    assert sum(len(x[3]) for x in a) == 6


def test_corpus_writes_files_and_labels_the_same_every_time(tmp_path):
    from pipeline.synth.__main__ import main, sha256

    for run in ("a", "b"):
        assert main(["--out", str(tmp_path / run), "--letters", "2", "--small", "--seed", "unit"]) == 0
    labels_bytes = (tmp_path / "a" / "labels.json").read_bytes()
    assert labels_bytes == (tmp_path / "b" / "labels.json").read_bytes()  # file hashes included
    tmp_path = tmp_path / "a"
    labels = json.loads(labels_bytes.decode("utf-8"))
    assert sum(len(f["records"]) for f in labels["files"]) == 2
    for entry in labels["files"]:
        path = tmp_path / entry["path"]
        assert sha256(path) == entry["sha256"]
        if entry["format"] == "pdf":
            from pypdf import PdfReader

            frames = len(PdfReader(path).pages)
        else:
            with Image.open(path) as image:
                frames = getattr(image, "n_frames", 1)
        assert frames == len(entry["pages"])
        for record in entry["records"]:
            Record.model_validate(record)
            assert record["id"] == f"{entry['sha256'][:12]}#{record['source']['letter_index']}"


def test_regenerating_removes_the_previous_files_only(tmp_path):
    from pipeline.synth.__main__ import main

    assert main(["--out", str(tmp_path), "--letters", "1", "--small", "--seed", "old"]) == 0
    (tmp_path / "mine.txt").write_text("not ours")
    assert main(["--out", str(tmp_path), "--letters", "1", "--small", "--seed", "new"]) == 0
    labels = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in labels["files"]}
    assert {p.name for p in tmp_path.iterdir()} == listed | {"labels.json", "mine.txt"}


def test_cli_keeps_seeds_out_of_samples(tmp_path):
    from pipeline.synth.__main__ import main

    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path / "samples"), "--letters", "1", "--from-seeds", str(tmp_path)])


def test_committed_samples_match_their_labels():
    labels_path = ROOT / "samples" / "labels.json"
    if not labels_path.is_file():
        pytest.skip("samples/ not generated")
    from pipeline.synth.__main__ import sha256

    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    for entry in labels["files"]:
        assert sha256(ROOT / "samples" / entry["path"]) == entry["sha256"], entry["path"]


# --------------------------------------------------------------------------- metrics


@pytest.mark.parametrize("gold,got,errors,total", [
    ("abc", "abc", 0, 3),
    ("abcd", "abxd", 1, 4),
    ("abc", "", 3, 3),
    ("ab", "abcd", 2, 2),
    ("ที่ มท", "ที่ มท", 0, 6),
    ("ที่ มท", "ที่มท", 1, 6),  # a lost space is an error with spaces kept
    ("เรื่อง\nทดสอบ", "เรื่อง   ทดสอบ", 0, 12),  # line break and a run of spaces are one space
    ("เรื่อง", "เรือง", 1, 6),  # a dropped upper mark
])
def test_cer(gold, got, errors, total):
    assert cer(gold, got) == Rate(errors, total)


@pytest.mark.parametrize("gold,got,errors,total", [
    ("ที่ มท", "ที่มท", 0, 5),
    ("a b\nc", "abc", 0, 3),
    ("ab", "a x b", 1, 2),
])
def test_cer_without_spaces(gold, got, errors, total):
    assert cer(gold, got, spaces=False) == Rate(errors, total)


@pytest.mark.parametrize("gold,got,errors,total", [
    ("ที่ ๑๒๓", "ที่ ๑๒๓", 0, 3),
    ("ที่ ๑๒๓", "ที่ 123", 0, 3),  # judged by value: Arabic for Thai is right
    ("ที่ ๑๒๔", "ที่ ๑๒๕", 1, 3),  # ๔ read as ๕
    ("ที่ ๑๒๔", "ที่ ๑๒", 1, 3),  # a lost digit
    ("๑๙", "ซ๑๙", 0, 2),  # an extra character before the digits costs no digit
    ("๙๙", "ซซ", 2, 2),  # digits read as letters
    ("เรื่อง", "เรือง", 0, 0),  # no digits to get wrong
    ("๒๗ มกราคม ๒๕๖๔", "๒๗ มกราคม ๒๕๒๕", 2, 6),
])
def test_digit_error(gold, got, errors, total):
    assert digit_error(gold, got) == Rate(errors, total)


def test_rate_of_nothing_is_none():
    assert Rate(0, 0).rate is None
    assert (Rate(1, 4) + Rate(1, 4)).rate == 0.25


_thai_text = st.text(alphabet="กขคงที่่้๊๋ัิีุู ๐๑๒๓๔๕๖๗๘๙0123456789\n", max_size=60)


@settings(max_examples=150, deadline=None)
@given(_thai_text, _thai_text)
def test_metric_invariants(gold, got):
    for rate in (cer(gold, got), cer(gold, got, spaces=False), digit_error(gold, got)):
        assert 0 <= rate.errors
        if rate is not None and rate.total:
            assert rate.rate >= 0
    assert cer(gold, gold).errors == 0
    assert digit_error(gold, gold).errors == 0
    d = digit_error(gold, got)
    assert d.errors <= d.total
    # digits are judged by value: writing the OCR text in the other digit script changes nothing
    assert digit_error(gold, got.translate(ARABIC_DIGITS)) == d


def test_label_of_gold_record():
    cover, inner = make_forwarding(1, 0)
    record = _gold_record(cover.gold)
    record["references"][-1]["resolved_id"] = "000000000000#2"
    label = label_of(record, {"number": "มท 0305.1/ว"})
    assert label["source"] == "x.png" and label["letter_index"] == 1
    assert label["number"] == ((cover.gold["number"] or {}).get("text"))
    assert label["also_number"] == "มท 0305.1/ว"
    assert label["sender_organization"] == cover.gold["sender"]["organization"]
    assert label["references"][-1]["resolves_to"] == 2
    assert [d["date"] for d in label["deadlines"]] == [d["date"] for d in cover.gold["deadlines"]]


def test_extraction_scoring_of_a_perfect_reading():
    """Gold page text through extraction, scored against its own labels: the scoring path
    works end to end (field accuracy itself is the extractor's business)."""
    extract = pytest.importorskip("pipeline.extract")
    from pipeline.evaluation.text import score
    from pipeline.types import Document, PageText

    letter = make_letter("score", 0, kind="letter")
    pages = render_letter(letter, dpi=100, rng=random.Random(0))
    doc = Document(path="x.png", sha256="0" * 64,
                   pages=[PageText(page=i, text=p.text, method="ocr") for i, p in enumerate(pages, 1)])
    records = extract.read_document(doc)
    result = score(records, [label_of(_gold_record(letter.gold))], linked=False)
    assert result.files[0].gold == 1
    assert {f.name for f in result.field_scores()} >= {"number", "date", "subject"}


@pytest.mark.tesseract
def test_scan_evaluation_reads_a_clean_sample_and_caches(tmp_path):
    labels_path = ROOT / "samples" / "labels.json"
    if not labels_path.is_file():
        pytest.skip("samples/ not generated")
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    clean = [f for f in labels["files"] if f["damage"] == "clean" and len(f["pages"]) == 1][:1]
    if not clean:
        pytest.skip("no clean one-page sample")
    results = scans.evaluate(ROOT / "samples", clean, workers=1, cache=tmp_path)
    for engine in scans.ENGINES:
        (page_score,) = results[engine].pages.values()
        assert page_score.cer_nospace.rate < 0.35, engine
    assert len(list(tmp_path.glob("*.json"))) == 2
    again = scans.evaluate(ROOT / "samples", clean, workers=1, cache=tmp_path)
    assert again["ours"].pages == results["ours"].pages


# --------------------------------------------------------------------------- line breaking and the seeds


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(range(18)), st.integers(min_value=150, max_value=900))
def test_wrap_keeps_every_character_and_fits(topic, width):
    from pipeline.synth.letters import BODY_FILLERS, TOPICS
    from pipeline.synth.render import Canvas, FontSet, _tokens, wrap

    text = TOPICS[topic] + " " + BODY_FILLERS[topic % len(BODY_FILLERS)]
    canvas = Canvas(FontSet.choose(random.Random(topic)), 100)
    font = canvas.font(Span(text))
    lines = wrap(text, font, width, width)
    assert "".join("".join(lines).split()) == "".join(text.split())
    widest_token = max(font.getlength(t) for t in _tokens(text))
    for line in lines:
        assert font.getlength(line) <= max(width, widest_token) + 1


@pytest.mark.parametrize("text,expected", [
    ("สน 0018.1/ว 1044", {"agency": "สน", "code": "0018.1", "circular": True, "serial": "1044"}),
    ("กห 0301.10.1/260", {"agency": "กห", "code": "0301.10.1", "circular": False, "serial": "260"}),
    ("พร 0023.7/ว", {"agency": "พร", "code": "0023.7", "circular": True, "serial": None}),
    ("1139/66", {"agency": None, "code": None, "circular": False, "serial": "1139"}),
    (None, None),
])
def test_parse_number(text, expected):
    from pipeline.synth.__main__ import parse_number

    got = parse_number(text)
    assert (got if got is None else {k: got[k] for k in expected}) == expected


@pytest.mark.parametrize("raw,expected", [
    ("\n\nด่วนที่สุด\n\n", ["ด่วนที่สุด"]),
    ("| | | |\n|---|---|\n| สิ่งที่ส่งมาด้วย | ๑. แบบ | จำนวน ๑ ชุด |", ["สิ่งที่ส่งมาด้วย ๑. แบบ จำนวน ๑ ชุด"]),
    ("- อ้างถึง ๑. หนังสือ", ["อ้างถึง ๑. หนังสือ"]),
])
def test_seed_lines(raw, expected):
    from pipeline.synth.__main__ import _seed_lines

    assert _seed_lines(raw) == expected


def test_seed_labels_become_records():
    gold = ROOT.parent / "shared" / "gold" / "seeds.json"
    if not gold.is_file():
        pytest.skip("../shared is absent")
    from pipeline.synth.__main__ import _seed_record

    for label in json.loads(gold.read_text(encoding="utf-8"))["letters"]:
        record = _seed_record(label, "seed.pdf", "f" * 64)
        Record.model_validate(record)
        assert label_of(record)["number"] == label["number"]


@pytest.mark.parametrize("styles,letter_index,expected", [
    (["letter thai full be4 serial=printed"], 1, "letter"),
    (["letter thai full be4", "fax thai full be2"], 2, "fax"),
    (["military memo arabic serial=hand day=printed"], 1, "military memo"),
    (["seed text"], None, "seed text"),
])
def test_page_kind(styles, letter_index, expected):
    assert scans._page_kind({"styles": styles}, {"letter_index": letter_index}) == expected


def test_scan_report_without_ocr():
    """The report from given OCR results: a perfect and an empty reading side by side."""
    letter = make_letter("report", 0, kind="letter")
    text = render_letter(letter, dpi=100, rng=random.Random(0))[0].text
    entry = {"path": "x.png", "sha256": "0" * 64, "damage": "clean", "format": "png", "mode": "L",
             "styles": [letter.style], "pages": [{"page": 1, "letter_index": 1, "text": text}],
             "records": [_gold_record(letter.gold)], "also": {}}
    results = {"ours": scans.EngineResult(pages={("x.png", 1): scans.PageScore.of(text, text)}),
               "plain": scans.EngineResult(pages={("x.png", 1): scans.PageScore.of(text, "")}),
               scans.ORACLE: scans.EngineResult()}
    report = scans.render([entry], results, extracted=True, linked=False)
    assert "| all pages | 1 | 0.0 % | 100.0 % | 0.0 % | 100.0 % |" in report
    assert "| kind: letter | 1 |" in report
    assert "| number | 0/1 |" in report  # no records were given to score
    assert "| number and date (both right) | 0/1 |" in report
    assert "_not scored_" in scans.render([entry], results, extracted=False, linked=False)


def test_the_tilts_a_set_was_given_are_drawn_again_from_its_seed(tmp_path):
    from models import skew
    from pipeline.synth import build_corpus

    labels = build_corpus(tmp_path, 2, seed=7)
    tilts = skew.applied_tilts(7, 2, labels["files"])
    pages = [(f["path"], p["page"]) for f in labels["files"] for p in f["pages"]]
    assert sorted(tilts) == sorted(pages)
    for f in labels["files"]:
        for p in f["pages"]:
            given = tilts[(f["path"], p["page"])]
            strength = next((float(s.split(":")[1]) for s in p["steps"] if s.startswith("skew:")), 0.0)
            assert abs(given) <= 3.0 * strength + 1e-9  # `damage.skew` turns by up to ±3° × strength
    # the deskew undoes them (the error `errors` measures)
    errs = skew.errors(tmp_path, tilts)
    assert len(errs["skew_angle"]) == len(pages)
    assert max(errs["skew_angle"]) < 0.8
    with pytest.raises(SystemExit):
        skew.applied_tilts(7, 12, labels["files"])  # not the set this seed wrote
