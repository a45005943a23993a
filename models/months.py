"""Train the month reader: which month's name stands between a day and a year.

    python -m models.months          # ~10 min on two CPU threads; writes models/months.npz

Tesseract reads a month's abbreviation in a date badly (``ธ.ค.`` → ``ฮ.ค.``, ``ก.พ.`` →
``กุพ.``, ``ก.ค.`` → ``T.AL``, ``พ.ค.`` → ``พ.ศ.``), and a letter's date is lost with it.
Where a date stands, the choice is closed: twelve abbreviations, twelve full names, or
something else. This trains a classifier over those 25 classes on crops cut as the
engine cuts them (`pipeline.ocr.months.slot_box`): the ink between a day's digits and a
year's, with the line's height, from a ``day month year`` string rendered in the same
fonts and with the same scan damage as the numeral reader (`models.render`).

Steps: render the training set (held-out fonts excluded), train, export to numpy with
batch-norm folded, check the export against torch, validate per font into
``models/work/months_validation.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from models import render
from models.train import HELD_OUT, WORK, _batches, _tensor, export, lexicon_words, training_fonts
from pipeline import fonts
from pipeline.ocr import months, numerals
from pipeline.thaidate import to_thai_digits

HERE = Path(__file__).resolve().parent
OUT = HERE / "months.npz"

#: What stands in a date's slot that is not a month (the reader must say "other").
OTHER_FORMS = ("พ.ศ.", "น.", "ถึง", "และ", "-", "/", "ชุด", "ฉบับ", "หมู่", "ข้อ", "ที่", "ลง", "วันที่",
               "ถนน", "ซอย", "โทร.", "ต.", "อ.", "จ.", "เล่ม", "ราย", "คน", "แห่ง", "บาท", "ปี", "เดือน")


def _digits(n: int, thai: bool) -> str:
    return to_thai_digits(str(n)) if thai else str(n)


def _middle(rng: random.Random, words: list[str]) -> tuple[str, int]:
    """The slot's text and its class (`months.CLASSES` index; the last is "other")."""
    if rng.random() < 0.8:
        k = rng.randrange(24)
        text = months.CLASSES[k]
        if k < 12 and rng.random() < 0.15:  # ``ก. ค.``, ``ก.ค`` as typed
            text = text.replace(".", ". ", 1) if rng.random() < 0.6 else text[:-1]
        return text, k
    r = rng.random()
    if r < 0.4:
        text = rng.choice(OTHER_FORMS)
    elif r < 0.8:
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 2)))
    elif r < 0.9:
        text = "".join(rng.choice("ABCDEFGHKLMNPRSTUWYaeilnorstu.") for _ in range(rng.randint(2, 5)))
    else:
        text = _digits(rng.randint(1, 999), rng.random() < 0.7)
    return text, len(months.CLASSES) - 1


def render_slot(rng: random.Random, font_path: str, hand_path: str, words: list[str]) -> tuple[np.ndarray, int]:
    """One training crop (grey uint8, ink dark) and its class."""
    dpi = rng.uniform(200, 300)
    size = int(round(rng.uniform(14, 18) * dpi / 72))
    thai = rng.random() < 0.7
    day = _digits(rng.randint(1, 31), thai)
    year = _digits(rng.choice((rng.randint(2530, 2570), rng.randint(30, 70))), thai)
    middle, k = _middle(rng, words)
    ink = (0, 0, 0) if rng.random() < 0.4 else rng.choice(render.INKS)
    paper = tuple(int(v) for v in np.clip(rng.gauss(240, 10), 190, 255) * np.ones(3))
    body = render._font(font_path, size)
    # a day written by pen beside a printed month (memos, receipt stamps)
    hand = render._font(hand_path, size) if rng.random() < 0.25 else body
    parts = [(day, hand), (middle, render._font(hand_path, size) if rng.random() < 0.1 else body), (year, body)]
    pad = size
    space = body.getlength(" ")
    xs, x = [], float(pad)
    for text, font in parts:
        xs.append(x)
        x += font.getlength(text) + space * rng.uniform(0.5, 2.5)
    width, height = int(x + pad), int(size * 2.2)
    img = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(img)
    boxes = []
    for (text, font), x0 in zip(parts, xs):
        draw.text((x0, pad * 0.6), text, font=font, fill=ink)
        mask = Image.new("L", img.size, 0)
        ImageDraw.Draw(mask).text((x0, pad * 0.6), text, font=font, fill=255)
        ys_, xs_ = np.nonzero(np.asarray(mask) > 96)
        if not len(xs_):
            return np.zeros((0, 0), np.uint8), k
        boxes.append((int(xs_.min()), int(ys_.min()), int(xs_.max()) + 1, int(ys_.max()) + 1))
    if rng.random() < 0.3:  # a memo form's dotted line under the text
        y = max(b[3] for b in boxes) + int(size * rng.uniform(0.05, 0.3))
        step = max(3, size // rng.randint(6, 10))
        for dx in range(0, width, step):
            draw.ellipse((dx, y, dx + max(1, step // 3), y + max(1, step // 3)), fill=ink)
    grey = np.asarray(img.convert("L"))
    if rng.random() < 0.9:
        grey, _ = render._damage(grey, np.zeros_like(grey), rng, size, paper[0])
    # the slot as `months.slot_box` cuts it, from word boxes that are a little off
    jitter = lambda lo, hi: int(round(rng.uniform(lo, hi) * size))  # noqa: E731
    left = boxes[0][2] + jitter(-0.05, 0.3)
    right = boxes[2][0] - jitter(-0.05, 0.3)
    top = min(b[1] for b in boxes) - jitter(-0.05, 0.2)
    bottom = max(b[3] for b in boxes) + jitter(-0.05, 0.2)
    if right - left < 4:
        return np.zeros((0, 0), np.uint8), k
    h, w = grey.shape
    return np.ascontiguousarray(grey[max(0, top) : min(h, bottom), max(0, left) : min(w, right)]), k


def make_set(n: int, font_list: list[fonts.Font], seed: int, words: list[str]) -> tuple[list[np.ndarray], list[int], list[str]]:
    """n prepared crops (uint8, height `numerals.HEIGHT`), their classes and font names."""
    rng = random.Random(seed)
    hands = [f for f in font_list if f.handwritten] or font_list
    images, labels, names = [], [], []
    while len(images) < n:
        font = font_list[rng.randrange(len(font_list))]
        crop, k = render_slot(rng, str(font.path), str(rng.choice(hands).path), words)
        if crop.size == 0 or min(crop.shape) < 4:
            continue
        img = months.prepare(crop)
        images.append((np.clip(img, 0, 1) * 255).astype(np.uint8))
        labels.append(k)
        names.append(font.family)
    return images, labels, names


def build_net():
    """The numeral reader's layers without its class layer, then a dense layer over
    every frame of a `months.WIDTH`-wide slot (mirrors `months.MonthModel`)."""
    import torch
    from torch import nn

    from models.train import build_net as numeral_net

    net = numeral_net(96)
    net.c1 = nn.ModuleList(list(net.c1)[:2])
    net.fc = nn.Linear(96 * months.WIDTH // 4, len(months.CLASSES))

    def scores(x):
        for conv, bn, pool in zip(net.convs, net.bns, net.pools):
            x = torch.relu(bn(conv(x)))
            if pool:
                x = nn.functional.max_pool2d(x, pool)
        x = x.amax(dim=2)
        x = torch.relu(net.c1[0](x))
        x = net.drop(torch.relu(net.c1[1](x)))  # B,96,T
        return net.fc(x.transpose(1, 2).reshape(x.shape[0], -1))

    net.classify = scores
    return net


def save(net, path: Path) -> None:
    """`models.train.export` (batch-norm folded) plus the dense layer."""
    export(net, path)
    with np.load(path) as data:
        weights = {k: data[k] for k in data.files}
    weights["fc.w"] = net.fc.weight.detach().numpy().astype(np.float32)
    weights["fc.b"] = net.fc.bias.detach().numpy().astype(np.float32)
    np.savez_compressed(path, **weights)


def train(args) -> None:
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    render.check_raqm()
    WORK.mkdir(parents=True, exist_ok=True)
    words = lexicon_words()
    t0 = time.time()
    images, labels, _ = make_set(args.samples, training_fonts(), args.seed, words)
    print(f"rendered {len(images)} crops in {time.time() - t0:.0f} s", flush=True)
    net = build_net()
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = -(-len(images) // args.batch) * args.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    rng = random.Random(args.seed)
    y_all = torch.tensor(labels)
    for epoch in range(args.epochs):
        net.train()
        loss_sum = right = 0.0
        for idx in _batches(images, labels, args.batch, rng):
            x = _tensor(images, idx)
            scores = net.classify(x)
            y = y_all[idx]
            loss = torch.nn.functional.cross_entropy(scores, y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            loss_sum += float(loss.detach()) * len(idx)
            right += float((scores.argmax(1) == y).sum())
        print(f"epoch {epoch + 1}/{args.epochs} loss {loss_sum / len(images):.4f} "
              f"train acc {right / len(images):.4f} ({time.time() - t0:.0f} s)", flush=True)
    net.eval()
    out = Path(args.out)
    save(net, out)
    model = months.MonthModel.load(out)
    for img in images[:20]:
        x = img / 255.0
        with torch.no_grad():
            ref = torch.softmax(net.classify(torch.from_numpy(x[None, None].astype(np.float32))), 1)[0].numpy()
        if not np.allclose(ref, model.probabilities(x), atol=1e-3):
            raise RuntimeError("numpy forward differs from torch")
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    report = validate(model, words, args.val_per_font, args.seed)
    (WORK / "months_validation.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print_report(report)
    print(f"total {time.time() - t0:.0f} s")


def validate(model: "months.MonthModel", words: list[str], per_font: int, seed: int) -> dict:
    """Per font: months read right, months refused (below `months.MIN_PROB` or "other"),
    months read wrong, and other slots taken for a month (false alarms)."""
    report = {}
    for font in fonts.families():
        imgs, labs, _ = make_set(per_font, [font], seed + 1000, words)
        right = wrong = refused = false = others = 0
        for img, lab in zip(imgs, labs):
            k, p = model.classify(img / 255.0)
            taken = k != len(months.CLASSES) - 1 and p >= months.MIN_PROB
            if lab == len(months.CLASSES) - 1:
                others += 1
                false += taken
            elif not taken:
                refused += 1
            elif k == lab:
                right += 1
            else:
                wrong += 1
        n = max(len(imgs) - others, 1)
        report[font.family] = {
            "held_out": font.family in HELD_OUT, "handwritten": font.handwritten, "slots": len(imgs),
            "right": round(right / n, 4), "wrong": round(wrong / n, 4), "refused": round(refused / n, 4),
            "false_month": round(false / max(others, 1), 4),
        }
    return report


def print_report(report: dict) -> None:
    print(f"{'font':16} {'held':5} {'right':>7} {'wrong':>7} {'refused':>8} {'false':>7}")
    for fam, r in report.items():
        print(f"{fam:16} {'yes' if r['held_out'] else '':5} {r['right']:7.2%} {r['wrong']:7.2%} "
              f"{r['refused']:8.2%} {r['false_month']:7.2%}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m models.months", description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=40000, help="rendered training crops")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--threads", type=int, default=2, help="torch threads")
    p.add_argument("--val-per-font", type=int, default=120)
    p.add_argument("--out", default=str(OUT))
    args = p.parse_args(argv)
    train(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
