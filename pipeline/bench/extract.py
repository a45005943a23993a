"""``extract`` bench: letters per second for extraction alone, on one core.

Times ``pipeline.extract.read_text`` (normalise + segment + extract: no OCR, no linking)
over the seed texts in ``../shared/seeds`` and, when present, the generated letters
that ``make bench-corpus`` writes (its ``*.txt`` files), in one process and one thread,
repeating the inputs until the time budget is spent. A warm-up pass goes first and is
left out of the rate (reported apart), so that loading models and compiling regexes
do not count as extraction time.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..evaluation.common import SkipSuite, import_optional, markdown_table, project_root, shared_dir

#: From the project brief: extraction must keep up with ≥ 50 letters/s on one core.
TARGET_LETTERS_PER_SECOND = 50.0
#: Time budgets (seconds of timed passes); --quick is for smoke runs.
DEFAULT_SECONDS = 5.0
QUICK_SECONDS = 1.0

ReadText = Callable[[str, str], list]


@dataclass
class Throughput:
    """What one measurement saw."""

    files: int
    chars: int
    passes: int
    letters: int
    seconds: float
    warmup_seconds: float
    pass_seconds: list[float] = field(default_factory=list)
    letters_per_pass: int = 0

    @property
    def letters_per_second(self) -> Optional[float]:
        return self.letters / self.seconds if self.seconds > 0 else None

    @property
    def ms_per_letter(self) -> Optional[float]:
        return 1000 * self.seconds / self.letters if self.letters else None

    @property
    def best_letters_per_second(self) -> Optional[float]:
        """The fastest pass: the least disturbed by other work on a shared machine."""
        fastest = min(self.pass_seconds, default=0.0)
        return self.letters_per_pass / fastest if fastest > 0 else None


def load_inputs(directories: Sequence[Optional[Path]]) -> list[tuple[str, str]]:
    """(path, text) of every ``*.txt`` file under the given directories, sorted, skipping None.

    ``*.gt.txt`` files are left out: by Tesseract's convention they hold the ground truth
    of one rendered line, not a letter.
    """
    inputs = []
    for directory in directories:
        if directory is None or not Path(directory).is_dir():
            continue
        for path in sorted(Path(directory).rglob("*.txt")):
            if not path.name.endswith(".gt.txt"):
                inputs.append((str(path), path.read_text(encoding="utf-8")))
    return inputs


def measure(inputs: Sequence[tuple[str, str]], read_text: ReadText, min_seconds: float) -> Throughput:
    """Warm up with one pass, then run whole passes over `inputs` until `min_seconds` have passed.

    At least one timed pass always runs, so a slow extractor still gets a figure.
    """
    if not inputs:
        raise ValueError("nothing to measure: no inputs")
    clock = time.perf_counter
    started = clock()
    per_pass = sum(len(read_text(text, path)) for path, text in inputs)
    warmup = clock() - started

    pass_seconds: list[float] = []
    letters = 0
    spent = 0.0
    while not pass_seconds or spent < min_seconds:
        started = clock()
        for path, text in inputs:
            letters += len(read_text(text, path))
        pass_seconds.append(clock() - started)
        spent += pass_seconds[-1]
    return Throughput(
        files=len(inputs),
        chars=sum(len(text) for _, text in inputs),
        passes=len(pass_seconds),
        letters=letters,
        seconds=spent,
        warmup_seconds=warmup,
        pass_seconds=pass_seconds,
        letters_per_pass=per_pass,
    )


def _fixed(value: Optional[float], digits: int) -> Optional[str]:
    return None if value is None else f"{value:.{digits}f}"


def render(result: Throughput, sources: str) -> str:
    rate = result.letters_per_second
    verdict = "—" if rate is None else "meets" if rate >= TARGET_LETTERS_PER_SECOND else "below"
    table = markdown_table(
        ("measure", "value"),
        [
            ("inputs", f"{result.files} files, {result.chars} characters ({sources})"),
            ("letters per pass", result.letters_per_pass),
            ("timed passes", result.passes),
            ("letters", result.letters),
            ("seconds (timed)", _fixed(result.seconds, 2)),
            ("warm-up pass, seconds", _fixed(result.warmup_seconds, 2)),
            ("letters/s", _fixed(rate, 1)),
            ("letters/s, best pass", _fixed(result.best_letters_per_second, 1)),
            ("ms/letter", _fixed(result.ms_per_letter, 2)),
            ("target letters/s", f"≥ {TARGET_LETTERS_PER_SECOND:g}"),
            ("verdict", verdict),
        ],
        "lr",
    )
    return "Extraction alone (normalise + segment + extract), one process, one thread.\n\n" + table


def add_arguments(parser: argparse._ActionsContainer) -> None:
    parser.add_argument(
        "--extract-seconds",
        type=float,
        metavar="S",
        help=f"time budget of the timed passes (default {DEFAULT_SECONDS:g}, {QUICK_SECONDS:g} with --quick)",
    )
    parser.add_argument(
        "--extract-corpus",
        type=Path,
        metavar="DIR",
        help="generated letters to add, *.txt (default bench-corpus/ in the project root)",
    )


def run(args: argparse.Namespace) -> str:
    extract = import_optional("pipeline.extract")
    if extract is None:
        raise SkipSuite("pipeline.extract is not built")
    shared = shared_dir()
    seeds = shared / "seeds" if shared else None
    corpus = getattr(args, "extract_corpus", None) or project_root() / "bench-corpus"
    seed_inputs = load_inputs([seeds])
    corpus_inputs = load_inputs([corpus])
    inputs = seed_inputs + corpus_inputs
    if not inputs:
        raise SkipSuite(f"no input texts: neither ../shared/seeds nor {corpus} holds *.txt files")
    seconds = getattr(args, "extract_seconds", None)
    if seconds is None:
        seconds = QUICK_SECONDS if getattr(args, "quick", False) else DEFAULT_SECONDS
    result = measure(inputs, extract.read_text, seconds)
    sources = f"{len(seed_inputs)} seeds, {len(corpus_inputs)} generated"
    return render(result, sources)
