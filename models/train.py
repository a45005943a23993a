"""Train the numeral reader: ``python -m models.train`` (``make models``), and its
handwriting twin: ``python -m models.train --hand``.

1. Render word crops (``models.render``) of strings from ``models.textgen`` in the
   training fonts, with scan damage; fixed seeds, so the same data every run.
2. Train a small convolutional CTC recogniser (torch, CPU, one thread).
3. Fold batch-norm, export ``models/numerals.npz`` (``--hand``: ``numerals_hand.npz``;
   numpy weights, runtime needs no torch) and check that the numpy forward pass agrees
   with torch.
4. Validate per font, held-out fonts included, into ``models/work/validation.json``
   (``validation_hand.json``).

torch is a training-only dependency: ``pip install torch`` (see models/README.md).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from pipeline import fonts
from pipeline.ocr import numerals
from pipeline.ocr.numerals import ALPHABET, HEIGHT, label_of, prepare

from . import render, textgen

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
#: Fonts never seen in training: one print face from each source, one hand, one decorative.
HELD_OUT = ("Kinnari", "THKoHo", "THCharmofAU", "THSrisakdi")
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")


def training_fonts() -> list[fonts.Font]:
    return [f for f in fonts.families(styles=STYLES) if f.family not in HELD_OUT]


def held_out_fonts() -> list[fonts.Font]:
    return [f for f in fonts.families() if f.family in HELD_OUT]


def lexicon_words() -> list[str]:
    from pythainlp.corpus import thai_words

    return sorted(w for w in thai_words() if 1 <= len(w) <= 12 and " " not in w)


def make_set(n: int, font_list: list[fonts.Font], seed: int, words: list[str],
             gen=textgen.sample, hand: bool = False) -> tuple[list[np.ndarray], list[str], list[str]]:
    """n prepared crops (uint8, H=32), their labels and font names; with ``hand``, words
    in the hand-like fonts are mostly drawn glyph by glyph and warped as a pen writes
    them (`render.render_word`)."""
    rng = random.Random(seed)
    neighbours = tuple(rng.sample(words, 200))
    images, labels, names = [], [], []
    while len(images) < n:
        text = gen(rng, words)
        font = font_list[rng.randrange(len(font_list))]
        # hand fonts are where our real pages differ most (pen-filled serials): weight them up
        if not font.handwritten and rng.random() < 0.15:
            font = rng.choice([f for f in font_list if f.handwritten] or font_list)
        crop = render.render_word(text, str(font.path), rng, clean=rng.random() < 0.1, neighbours=neighbours,
                                  hand=hand and font.handwritten)
        if crop.size == 0 or min(crop.shape) < 4:
            continue
        img = prepare(crop)
        label = label_of(text)
        if img.shape[1] // 4 < 2 * len(label) + 1:
            continue  # too narrow for CTC to place every symbol
        images.append((np.clip(img, 0, 1) * 255).astype(np.uint8))
        labels.append(label)
        names.append(font.family)
    return images, labels, names


# --------------------------------------------------------------------------- torch model


def build_net(n_classes: int = len(ALPHABET) + 1):
    """The torch network; its last layer has ``n_classes`` outputs per frame (the month
    reader, `models.months`, shares the layout with 25 classes)."""
    import torch
    from torch import nn

    class Net(nn.Module):
        """Mirrors `pipeline.ocr.numerals.NumeralModel` layer for layer."""

        def __init__(self, n_classes: int):
            super().__init__()
            chans = [1, 16, 32, 64, 64]
            self.convs = nn.ModuleList(nn.Conv2d(chans[i], chans[i + 1], 3, padding=1) for i in range(4))
            self.bns = nn.ModuleList(nn.BatchNorm2d(chans[i + 1]) for i in range(4))
            self.pools = [(2, 2), (2, 2), (2, 1), None]
            self.c1 = nn.ModuleList([nn.Conv1d(64, 96, 3, padding=1), nn.Conv1d(96, 96, 3, padding=1),
                                     nn.Conv1d(96, n_classes, 1)])
            self.drop = nn.Dropout(0.1)

        def forward(self, x):  # x: B,1,H,W → B,T,C log-probs
            return self.scores(x).log_softmax(-1)

        def scores(self, x):  # x: B,1,H,W → B,T,C, before the softmax
            for conv, bn, pool in zip(self.convs, self.bns, self.pools):
                x = torch.relu(bn(conv(x)))
                if pool:
                    x = nn.functional.max_pool2d(x, pool)
            x = x.amax(dim=2)
            x = torch.relu(self.c1[0](x))
            x = self.drop(torch.relu(self.c1[1](x)))
            x = self.c1[2](x)
            return x.transpose(1, 2)

    return Net(n_classes)


def export(net, path: Path) -> None:
    """Fold batch-norm into the convolutions and save numpy weights."""
    out: dict[str, np.ndarray] = {}
    for i, (conv, bn) in enumerate(zip(net.convs, net.bns)):
        w = conv.weight.detach().numpy()
        b = conv.bias.detach().numpy()
        scale = (bn.weight / (bn.running_var + bn.eps).sqrt()).detach().numpy()
        out[f"c2d{i}.w"] = (w * scale[:, None, None, None]).astype(np.float32)
        out[f"c2d{i}.b"] = ((b - bn.running_mean.detach().numpy()) * scale + bn.bias.detach().numpy()).astype(np.float32)
    for i, conv in enumerate(net.c1):
        out[f"c1d{i}.w"] = conv.weight.detach().numpy().astype(np.float32)
        out[f"c1d{i}.b"] = conv.bias.detach().numpy().astype(np.float32)
    np.savez_compressed(path, **out)


def _batches(images, labels, batch: int, rng: random.Random):
    order = sorted(range(len(images)), key=lambda i: images[i].shape[1])
    chunks = [order[i : i + batch] for i in range(0, len(order), batch)]
    rng.shuffle(chunks)
    return chunks


def _tensor(images, idx):
    import torch

    width = max(images[i].shape[1] for i in idx)
    x = np.zeros((len(idx), 1, HEIGHT, width), np.float32)
    for j, i in enumerate(idx):
        x[j, 0, :, : images[i].shape[1]] = images[i] / 255.0
    return torch.from_numpy(x)


def train(args) -> None:
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    render.check_raqm()
    WORK.mkdir(parents=True, exist_ok=True)
    words = lexicon_words()
    t0 = time.time()
    tr_fonts = training_fonts()
    print(f"training fonts ({len(tr_fonts)}): {sorted({f.family for f in tr_fonts})}")
    images, labels, _ = make_set(args.samples, tr_fonts, args.seed, words, hand=args.hand)
    print(f"rendered {len(images)} crops in {time.time() - t0:.0f} s")

    net = build_net()
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = -(-len(images) // args.batch)
    total = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total, pct_start=0.1)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    index = {ch: i + 1 for i, ch in enumerate(ALPHABET)}
    rng = random.Random(args.seed)
    step = 0
    for epoch in range(args.epochs):
        net.train()
        run_loss = 0.0
        for idx in _batches(images, labels, args.batch, rng):
            x = _tensor(images, idx)
            logp = net(x)  # B,T,C
            in_len = torch.tensor([images[i].shape[1] // 4 for i in idx])
            targets = torch.tensor([index[c] for i in idx for c in labels[i]])
            tgt_len = torch.tensor([len(labels[i]) for i in idx])
            loss = ctc(logp.transpose(0, 1), targets, in_len, tgt_len)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            step += 1
            run_loss += float(loss.detach())
        print(f"epoch {epoch + 1}/{args.epochs} loss {run_loss / steps_per_epoch:.4f} "
              f"({time.time() - t0:.0f} s)", flush=True)

    net.eval()
    out = Path(args.out)
    export(net, out)
    _check_export(net, images[:20], out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    report = validate(numerals.NumeralModel.load(out), words, args.val_per_font, args.seed)
    (WORK / ("validation_hand.json" if args.hand else "validation.json")).write_text(
        json.dumps(report, ensure_ascii=False, indent=1))
    print_report(report)
    print(f"total {time.time() - t0:.0f} s")


def _check_export(net, images, path: Path) -> None:
    import torch

    model = numerals.NumeralModel.load(path)
    for img in images:
        x = img / 255.0
        with torch.no_grad():
            ref = net(torch.from_numpy(x[None, None].astype(np.float32)))[0].numpy()
        got = model.logits(x)
        if not np.allclose(ref, got, atol=1e-3):
            raise RuntimeError(f"numpy forward differs from torch by {np.abs(ref - got).max():.4f}")


# --------------------------------------------------------------------------- validation


def numbers_only(rng: random.Random, words: list[str]) -> str:
    return textgen.number(rng, thai=rng.random() < 0.8)


def words_only(rng: random.Random, words: list[str]) -> str:
    return textgen.thai_word(rng, words)


def validate(model: numerals.NumeralModel, words: list[str], per_font: int, seed: int) -> dict:
    """Per font: digit accuracy on numeric strings, exact-string rate, and how often a
    pure Thai word is read as containing a digit (a false alarm would corrupt text).
    Hand-like fonts are written as a pen writes them (``hand``), for either model."""
    from rapidfuzz.distance import Levenshtein

    report = {}
    for font in fonts.families():
        imgs, labs, _ = make_set(per_font, [font], seed + 1000, words, gen=numbers_only, hand=True)
        digits = errors = exact = 0
        for img, lab in zip(imgs, labs):
            got = numerals.decode(model.logits(img / 255.0)).text
            digits += sum(ch in numerals.NUMERIC for ch in lab)
            errors += Levenshtein.distance(lab, got)
            exact += got == lab
        wimgs, _, _ = make_set(per_font // 2, [font], seed + 2000, words, gen=words_only, hand=True)
        false = sum(numerals.decode(model.logits(img / 255.0)).has_digits for img in wimgs)
        report[font.family] = {
            "held_out": font.family in HELD_OUT,
            "handwritten": font.handwritten,
            "strings": len(imgs),
            "symbol_error": round(errors / max(digits, 1), 4),
            "exact": round(exact / max(len(imgs), 1), 4),
            "false_digit_rate": round(false / max(len(wimgs), 1), 4),
        }
    return report


def print_report(report: dict) -> None:
    print(f"{'font':16} {'held':5} {'sym.err':>8} {'exact':>7} {'false':>7}")
    for fam, r in report.items():
        print(f"{fam:16} {'yes' if r['held_out'] else '':5} {r['symbol_error']:8.2%} {r['exact']:7.2%} "
              f"{r['false_digit_rate']:7.2%}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=60000, help="rendered training crops")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--val-per-font", type=int, default=200)
    p.add_argument("--hand", action="store_true",
                   help="train the handwriting reader: hand fonts written glyph by glyph and warped "
                        f"(default out: models/{numerals.HAND_MODEL_PATH.name})")
    p.add_argument("--out", type=Path, default=None, help="where the weights go")
    p.add_argument("--validate-only", action="store_true", help="validate the shipped model")
    args = p.parse_args(argv)
    if args.out is None:
        args.out = numerals.HAND_MODEL_PATH if args.hand else numerals.MODEL_PATH
    if args.validate_only:
        report = validate(numerals.NumeralModel.load(args.out), lexicon_words(), args.val_per_font, args.seed)
        print_report(report)
        return 0
    train(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
