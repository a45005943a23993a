"""How likely the reader's own frames make a digit it skipped: ``python -m models.skipped``.

Sets `pipeline.ocr.numerals.SKIPPED_LOG_RATIO`. Where Tesseract reads one digit more
than the reader, the page engine puts the digit in if the reading with the likeliest
digit there is nearly as likely, under the reader's frames, as the reading without it
(`numerals.skipped_digit`). This measures, on numbers rendered as the validation renders
them (`train.make_set`, every font, pen-written hands, damage on; a seed no training
set uses):

- **skipped**: the reader read the number with one digit left out and nothing else
  wrong; how often the digit at its place clears each threshold, and is the right one;
- **false**: the reader read the number right; how often a digit put in at any place
  inside it (a neighbour of it a digit: where Tesseract's extra digits stand) clears
  each threshold.

Both models are measured: the print reader on every font, the pen reader (which reads
receipt stamps) on the hand-like fonts. No torch needed.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from rapidfuzz.distance import Levenshtein

from pipeline import fonts
from pipeline.ocr import numerals

from . import train

THRESHOLDS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
SEED = 20261124


def measure(model: numerals.NumeralModel, font_list: list[fonts.Font], n: int, seed: int) -> dict:
    """Counts per threshold over `n` rendered numbers in `font_list`."""
    images, labels, _ = train.make_set(n, font_list, seed, train.lexicon_words(), gen=train.numbers_only, hand=True)
    skipped, right_digit, false, places = Counter(), Counter(), Counter(), 0
    n_skipped = exact = 0
    for img, label in zip(images, labels):
        reading = numerals.decode(model.logits(img / 255.0))
        text = reading.text
        if text == label:
            exact += 1
            for at in range(len(text) + 1):
                near = text[at - 1: at] + text[at: at + 1]
                script = numerals.THAI if any(ch in numerals.THAI for ch in near) else numerals.ARABIC
                if not any(ch in numerals.NUMERIC for ch in near):
                    continue
                places += 1
                ratio, _ = numerals.best_insertion(reading, at, script)
                false.update(t for t in THRESHOLDS if ratio >= -t)
            continue
        ops = Levenshtein.editops(label, text)
        if len(label) != len(text) + 1 or len(ops) != 1 or ops[0].tag != "delete":
            continue
        at, lost = ops[0].dest_pos, label[ops[0].src_pos]
        if lost not in numerals.NUMERIC:
            continue
        n_skipped += 1
        script = numerals.THAI if lost in numerals.THAI else numerals.ARABIC
        ratio, best = numerals.best_insertion(reading, at, script)
        passed = [t for t in THRESHOLDS if ratio >= -t]
        skipped.update(passed)
        if best == lost:
            right_digit.update(passed)
            right_digit["at_setting"] += ratio >= -numerals.SKIPPED_LOG_RATIO
    return {
        "numbers": len(labels), "read_right": exact, "one_digit_skipped": n_skipped, "places_in_right_readings": places,
        "thresholds": {str(t): {"skipped_put_back": skipped[t], "with_right_digit": right_digit[t],
                                "false_places": false[t]} for t in THRESHOLDS},
        "right_digit_at_setting": right_digit["at_setting"],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numbers", type=int, default=20000, help="rendered numbers per model (default 20000)")
    ap.add_argument("--out", default=str(train.WORK / "skipped.json"))
    args = ap.parse_args(argv)
    every = fonts.families()
    hands = [f for f in every if f.handwritten]
    report = {"setting": numerals.SKIPPED_LOG_RATIO,
              "print": measure(numerals.default_model(), every, args.numbers, SEED),
              "hand": measure(numerals.hand_model(), hands, args.numbers // 4, SEED + 1)}
    train.WORK.mkdir(exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
    for name in ("print", "hand"):
        r = report[name]
        print(f"{name}: {r['numbers']} numbers, {r['read_right']} read right, {r['one_digit_skipped']} with one digit "
              f"skipped; {r['places_in_right_readings']} places inside right readings")
        print(f"  {'ratio ≥':>8} {'put back':>9} {'right digit':>12} {'false places':>13}")
        for t, row in r["thresholds"].items():
            print(f"  {-float(t):8.1f} {row['skipped_put_back']:9} {row['with_right_digit']:12} {row['false_places']:13}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
