"""Write a labelled scan set: ``python -m pipeline.synth --out DIR --letters N [--small] [--seed S]``.

Each file holds one letter, or a provincial cover letter followed by the letter it
forwards (as received files do). Pages are rendered, damaged (clean / moderate /
heavy) and saved as PNG, JPEG, TIFF or multi-page PDF. ``DIR/labels.json`` holds, per
file, the gold records (record.md shape, with ids and sources) and the exact text of
each page. ``--small`` keeps the set small enough to commit (200 dpi, greyscale or
bilevel, background cleaned). ``--from-seeds DIR`` also renders the seed texts with
their gold from ``DIR/../gold/seeds.json`` (for bench-corpus only: the seeds stay out of
``samples/``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from PIL import Image

from ..types import Record
from .damage import binarise, clean_background, damage
from .letters import ARABIC_DIGITS, KINDS, Letter, make_forwarding, make_letter
from .render import Page, render_letter

log = logging.getLogger("pipeline.synth")

LABELS_VERSION = 1
PDF_DATE = time.gmtime(1704067200)  # 2024-01-01 00:00 UTC
ABOUT = (
    "Synthetic scanned Thai official letters with gold labels, written by `python -m pipeline.synth`. "
    "files[].records are gold records in the record.md shape (ids = first 12 hex of the file's sha256 + '#' + "
    "letter index); files[].pages[].text is what a perfect OCR would read, one printed line per line. "
    "files[].also[letter_index] gives second accepted values (e.g. the number prefix when the serial is blank)."
)


@dataclass
class Plan:
    """One output file: its letters, resolution, damage and format."""

    index: int
    letters: list[Letter]
    dpi: int
    level: str
    fmt: str  # png / jpg / tif / pdf
    mode: str  # L / 1 / RGB
    seed: str


def plan_corpus(n_letters: int, seed: int | str, small: bool) -> list[Plan]:
    """Decide every file's letters, damage and format from the seed alone."""
    rng = random.Random(f"{seed}:corpus")
    plans: list[Plan] = []
    deck: list[str] = []
    count = 0
    while count < n_letters:
        i = len(plans)
        if n_letters - count >= 2 and rng.random() < 0.3:
            letters = make_forwarding(seed, i)
        else:
            if not deck:  # a shuffled deck of kinds, so that even 12 letters show every kind
                deck = [k for k, (_, weight) in KINDS.items() for _ in range(round(weight * 10))]
                rng.shuffle(deck)
            letters = [make_letter(seed, i, kind=deck.pop(), long=(rng.random() < (0.12 if small else 0.25)))]
        count += len(letters)
        level = rng.choices(("clean", "moderate", "heavy"), weights=(3, 5, 2))[0]
        dpi = 200 if small else rng.choice((300, 300, 200))
        plan = Plan(i, letters, dpi, level, "", rng.choice(("L", "L", "1")) if small else
                    rng.choice(("RGB", "RGB", "L", "1")), f"{seed}:file:{i}")
        plans.append(plan)
    return plans


def choose_format(plan: Plan, n_pages: int, small: bool) -> tuple[str, str]:
    """(format, image mode): PNG/JPEG hold one page, several pages go into PDF or TIFF;
    JPEG has no bilevel mode."""
    rng = random.Random(plan.seed + ":format")
    if n_pages > 1:
        options = ("pdf", "pdf", "tif")
    else:
        options = ("png", "png", "jpg", "tif", "pdf") if small else ("png", "jpg", "jpg", "tif", "pdf")
    fmt = rng.choice(options)
    return fmt, "L" if fmt == "jpg" and plan.mode == "1" else plan.mode


def render_plan(plan: Plan, small: bool) -> list[tuple[int, Image.Image, Page]]:
    """Render and damage every page of a file; returns (letter index, scan, gold page)."""
    rng = random.Random(plan.seed)
    out = []
    for k, letter in enumerate(plan.letters, 1):
        for page in render_letter(letter, dpi=plan.dpi, rng=rng):
            image = page.image if plan.mode == "RGB" else page.image.convert("L")
            image, steps = damage(image, plan.level, rng)
            if small or plan.mode == "1":
                image = clean_background(image)
            page.steps = steps
            out.append((k, image, page))
    return out


def save_file(path: Path, images: list[Image.Image], fmt: str, dpi: int, compact: bool = False) -> None:
    """Save pages as one file; multi-page only in PDF and TIFF. `compact` spends time on
    smaller PNGs (for the committed samples; PNG optimize takes ~6 s on a 300-dpi page)."""
    first, rest = images[0], images[1:]
    if fmt == "pdf":
        # fixed dates: PIL stamps "now" otherwise, and the same seed must give the same bytes
        first.save(path, "PDF", save_all=True, append_images=rest, resolution=dpi,
                   creationDate=PDF_DATE, modDate=PDF_DATE)
    elif fmt == "tif":
        compression = "group4" if first.mode == "1" else "tiff_adobe_deflate"
        first.save(path, "TIFF", save_all=True, append_images=rest, compression=compression, dpi=(dpi, dpi))
    elif fmt == "jpg":
        assert not rest, "JPEG holds one page"
        first.save(path, "JPEG", quality=60, dpi=(dpi, dpi))
    else:
        assert not rest, "PNG holds one page"
        first.save(path, "PNG", optimize=compact, compress_level=9 if compact else 3, dpi=(dpi, dpi))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry(plan: Plan, name: str, digest: str, rendered: list[tuple[int, Image.Image, Page]]) -> dict:
    """The labels of one file: records with ids and sources, page texts, second accepted values."""
    ids = {k: f"{digest[:12]}#{k}" for k in range(1, len(plan.letters) + 1)}
    records, also = [], {}
    for k, letter in enumerate(plan.letters, 1):
        gold = json.loads(json.dumps(letter.gold))
        pages = [n for n, (kk, _, _) in enumerate(rendered, 1) if kk == k]
        gold["id"] = ids[k]
        gold["source"] = {"path": name, "sha256": digest, "letter_index": k, "pages": pages}
        gold["text"] = "\n".join(p.text for kk, _, p in rendered if kk == k).translate(ARABIC_DIGITS)
        for ref in gold["references"]:
            if ref["relation"] == "encloses" and k == 1 and len(plan.letters) > 1:
                ref["resolved_id"], ref["status"] = ids[2], "resolved"
        Record.model_validate(gold)  # the gold keeps the contract
        records.append(gold)
        if letter.also:
            also[str(k)] = letter.also
    return {
        "path": name,
        "sha256": digest,
        "format": plan.fmt,
        "mode": plan.mode,
        "dpi": plan.dpi,
        "damage": plan.level,
        "pages": [{"page": n, "letter_index": k, "text": p.text, "steps": p.steps,
                   "width": img.width, "height": img.height}
                  for n, (k, img, p) in enumerate(rendered, 1)],
        "records": records,
        "also": also,
        "styles": [l.style for l in plan.letters],
    }


def write_file(plan: Plan, out: Path, small: bool) -> dict:
    """Render, damage and save one planned file; returns its labels entry."""
    rendered = render_plan(plan, small)
    plan.fmt, plan.mode = choose_format(plan, len(rendered), small)
    kinds = "+".join(l.kind for l in plan.letters)
    name = f"{plan.index:03d}_{kinds}.{plan.fmt}"
    images = [binarise(img) if plan.mode == "1" else img.convert(plan.mode) for _, img, _ in rendered]
    save_file(out / name, images, plan.fmt, plan.dpi, compact=small)
    log.info("%s: %d page(s), %s, %d dpi, %s", name, len(images), plan.level, plan.dpi, plan.mode)
    return _entry(plan, name, sha256(out / name), rendered)


def _remove_previous(out: Path) -> None:
    """Delete the files an earlier run listed in labels.json (and nothing else), so that a
    regenerated set never keeps stale scans beside it."""
    labels = out / "labels.json"
    if not labels.is_file():
        return
    for entry in json.loads(labels.read_text(encoding="utf-8")).get("files", []):
        path = out / Path(entry["path"]).name
        if path.is_file():
            path.unlink()
    labels.unlink()


def build_corpus(out: Path, n_letters: int, *, seed: int | str = 0, small: bool = False,
                 from_seeds: Optional[Path] = None, workers: int = 1) -> dict:
    """Write the scan set and its labels.json under `out`; returns the labels.

    Every file is drawn from its own seed, so `workers` processes write the same set
    as one.
    """
    out.mkdir(parents=True, exist_ok=True)
    _remove_previous(out)
    plans = plan_corpus(n_letters, seed, small)
    started = time.monotonic()
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            files = list(pool.map(write_file, plans, [out] * len(plans), [small] * len(plans)))
    else:
        files = [write_file(plan, out, small) for plan in plans]
    if from_seeds is not None:
        files += render_seeds(from_seeds, out, seed=seed)
    labels = {"about": ABOUT, "version": LABELS_VERSION,
              "generator": {"seed": seed, "letters": n_letters, "small": small,
                            "from_seeds": bool(from_seeds)},
              "files": files}
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log.info("%d files, %d letters, %d pages in %.0f s", len(files), sum(len(f["records"]) for f in files),
             sum(len(f["pages"]) for f in files), time.monotonic() - started)
    return labels


# --------------------------------------------------------------------------- the seeds as scans


def _seed_lines(text: str) -> list[str]:
    """The seed OCR text as printable lines: table pipes and rules dropped, blank lines skipped."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip().strip("-").strip()
        if set(line) <= set("|-: "):
            continue
        if "|" in line:
            line = " ".join(cell.strip() for cell in line.split("|") if cell.strip())
        lines.append(" ".join(line.split()))
    return [l for l in lines if l]


def parse_number(text: Optional[str]) -> Optional[dict]:
    """A canonical number ('สน 0018.1/ว 1044', 'กห 0301.10.1/260', '1139/66') as a DocNumber dict."""
    import re

    if not text:
        return None
    m = re.fullmatch(r"(\S+) ([\d.]+)/(ว ?)?(\d*)", text)
    if m:
        return {"text": text, "agency": m[1], "code": m[2], "circular": bool(m[3]), "serial": m[4] or None}
    serial = text.split("/")[0]
    return {"text": text, "agency": None, "code": None, "circular": False, "serial": serial or None}


def _seed_record(label: dict, name: str, digest: str) -> dict:
    k = label["letter_index"]
    record = {
        "id": f"{digest[:12]}#{k}",
        "source": {"path": name, "sha256": digest, "letter_index": k, "pages": []},
        "kind": label["kind"], "urgency": label.get("urgency"), "secrecy": None,
        "number": parse_number(label.get("number")), "date": label.get("date"), "date_text": None,
        "subject": label.get("subject"), "recipient": label.get("recipient"),
        "sender": {"organization": label.get("sender_organization"), "address": None, "unit": None,
                   "phones": [], "emails": []},
        "signatory": {"name": label.get("signatory"), "position": None},
        "references": [{"relation": r["relation"], "number": parse_number(r.get("number")), "date": r.get("date"),
                        "issuer": None, "text": "", "resolved_id": None, "status": "unresolved", "candidates": []}
                       for r in label.get("references", [])],
        "enclosures": [],
        "deadlines": [{"date": d["date"], "time": d.get("time"), "action": None, "text": "", "relative": False}
                      for d in label.get("deadlines", [])],
        "stamps": [{"office": None, "number": s.get("number"), "date": s.get("date"), "time": s.get("time")}
                   for s in label.get("stamps", [])],
        "warnings": [], "text": "", "evidence": {},
    }
    Record.model_validate(record)
    return record


def render_seeds(seeds_dir: Path, out: Path, *, seed: int | str = 0) -> list[dict]:
    """Render each seed text as a clean-to-moderate 300-dpi PDF with its gold from gold/seeds.json.

    The seeds are OCR text, not layouts: every line becomes a left-aligned paragraph, so
    these scans test reading, not layout. Letters are not split into pages here
    (source.pages stays empty): the labels name letters per file.
    """
    from .letters import Block, Span

    gold_path = seeds_dir.parent / "gold" / "seeds.json"
    labels = json.loads(gold_path.read_text(encoding="utf-8"))["letters"] if gold_path.exists() else []
    files = []
    for n, path in enumerate(sorted(seeds_dir.glob("*.txt"))):
        rng = random.Random(f"{seed}:seed:{path.name}")
        blocks = [Block("text", [Span(line)]) for line in _seed_lines(path.read_text(encoding="utf-8"))]
        letter = Letter("other", blocks, {})
        level = rng.choice(("clean", "moderate"))
        images, pages = [], []
        for page in render_letter(letter, dpi=300, rng=rng):
            image, steps = damage(page.image.convert("L"), level, rng)
            images.append(image)
            pages.append({"page": len(pages) + 1, "letter_index": None, "text": page.text, "steps": steps,
                          "width": image.width, "height": image.height})
        name = f"seed_{path.stem}.pdf"
        save_file(out / name, images, "pdf", 300)
        digest = sha256(out / name)
        ours = [l for l in labels if l["source"] == path.name]
        records = [_seed_record(l, name, digest) for l in ours]
        also = {str(l["letter_index"]): {k[5:]: v for k, v in l.items() if k.startswith("also_")} for l in ours}
        files.append({"path": name, "sha256": digest, "format": "pdf", "mode": "L", "dpi": 300, "damage": level,
                      "pages": pages, "records": records, "also": {k: v for k, v in also.items() if v},
                      "styles": ["seed text"]})
        log.info("%s: %d page(s) from %s", name, len(pages), path.name)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.synth", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="directory to write the scans and labels.json into")
    parser.add_argument("--letters", type=int, default=12, help="number of letters (default 12)")
    parser.add_argument("--seed", default="0", help="seed: the same seed writes the same set")
    parser.add_argument("--small", action="store_true", help="small files to commit: 200 dpi, grey or bilevel")
    parser.add_argument("--workers", type=int, default=1, help="processes rendering files (default 1)")
    parser.add_argument("--from-seeds", type=Path, default=None,
                        help="also render the seed texts in DIR (gold from DIR/../gold/seeds.json)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.letters < 1:
        parser.error("--letters must be at least 1")
    if args.from_seeds is not None and args.out.resolve().name == "samples":
        parser.error("the seeds stay in ../shared: render them into bench-corpus, not samples/")
    build_corpus(args.out, args.letters, seed=args.seed, small=args.small, from_seeds=args.from_seeds,
                 workers=args.workers)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
