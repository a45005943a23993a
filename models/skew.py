"""How well the page deskew finds a scan's tilt: the tilt `pipeline.synth` gave each page
of a scan set against `preprocess.skew_angle` (the letters' centres) and
`preprocess.rule_angle` (the ink's row profile, the page measure until the nineteenth
session).

    python -m models.skew --scans DIR --seed N --letters 60

DIR must be the set ``python -m pipeline.synth --out DIR --seed N --letters 60`` wrote:
the set's plan is drawn again from the seed and rendered again (no file is written) to
learn each page's tilt, which the labels do not keep (their steps keep its strength).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
from pathlib import Path
from typing import Sequence

import numpy as np

from pipeline import ingest
from pipeline.ocr import preprocess
from pipeline.synth import __main__ as synth
from pipeline.synth import damage


def applied_tilts(seed: int | str, letters: int, files: list[dict]) -> dict[tuple[str, int], float]:
    """(file, page) → the degrees `damage.skew` turned that page (0 where it did not)."""
    drawn: list[float] = []
    tilt = damage.tilt

    def recording(rng, strength):
        drawn.append(tilt(rng, strength))
        return drawn[-1]

    damage.tilt = recording
    try:
        plans = synth.plan_corpus(letters, seed, False)
        if len(plans) != len(files):
            raise SystemExit(f"the set has {len(files)} files, seed {seed} with {letters} letters plans "
                             f"{len(plans)}: not the set this seed wrote")
        tilts = {}
        for plan, entry in zip(plans, files):
            drawn.clear()
            rendered = synth.render_plan(plan, False)
            turned = iter(drawn)
            for page, (_, _, gold) in zip(entry["pages"], rendered):
                skewed = any(step.startswith("skew:") for step in gold.steps)
                tilts[(entry["path"], page["page"])] = next(turned) if skewed else 0.0
        return tilts
    finally:
        damage.tilt = tilt


def errors(scans: Path, tilts: dict[tuple[str, int], float]) -> dict[str, list[float]]:
    """Each measure's error (degrees) on every portrait page: the angle it levels by
    against the tilt given, which it must undo."""
    out: dict[str, list[float]] = {"skew_angle": [], "rule_angle": []}
    for path, pages in itertools.groupby(sorted(tilts.items()), key=lambda item: item[0][0]):
        source = ingest.open_input(scans / path)
        for (_, number), given in pages:
            image = preprocess.grey(ingest.load_page(source, number, dpi=300).image)
            if image.width > image.height:
                continue
            g = np.asarray(image)
            out["skew_angle"].append(abs(preprocess.skew_angle(g) + given))
            out["rule_angle"].append(abs(preprocess.rule_angle(g) + given))
    return out


def summary(errs: Sequence[float]) -> dict:
    ordered = sorted(errs)
    return {"pages": len(ordered), "median": round(statistics.median(ordered), 2),
            "p90": round(ordered[int(0.9 * len(ordered))], 2), "max": round(ordered[-1], 2),
            "0.5+": sum(e >= 0.5 for e in ordered), "0.8+": sum(e >= 0.8 for e in ordered)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=Path, required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--letters", type=int, default=60)
    args = parser.parse_args(argv)
    seed = int(args.seed) if args.seed.isdigit() else args.seed
    files = json.loads((args.scans / "labels.json").read_text(encoding="utf-8"))["files"]
    for name, errs in errors(args.scans, applied_tilts(seed, args.letters, files)).items():
        print(name, json.dumps(summary(errs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
