"""Helpers shared by the evaluation and benchmark suites, and the harness that runs them.

A *suite* is a module in ``pipeline.evaluation`` or ``pipeline.bench`` exposing
``run(args) -> str`` (the Markdown report it prints) and, optionally,
``add_arguments(parser)`` for its own options (prefix them with the suite name,
``--text-…``, so that suites never clash). A suite whose inputs are absent raises
`SkipSuite`; a suite module missing from the checkout is reported as "not built";
any other exception marks the suite failed and makes the harness exit 1 after the
remaining suites have run.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
import time
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable, Hashable, Iterable, Optional, Sequence, TypeVar

#: Overrides where ``../shared`` is looked for.
SHARED_ENV = "CIRCULARS_SHARED"

EXIT_OK = 0
EXIT_FAILED = 1


class SkipSuite(Exception):
    """Raised by a suite whose inputs are absent (``../shared``, tesseract, a module)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- paths


def project_root(start: Path | None = None) -> Path:
    """The nearest directory at or above `start` (default: this file) holding pyproject.toml."""
    here = (start or Path(__file__)).resolve()
    for directory in (here, *here.parents):
        if (directory / "pyproject.toml").is_file():
            return directory
    raise FileNotFoundError(f"no pyproject.toml above {here}")


def shared_dir() -> Path | None:
    """``$CIRCULARS_SHARED`` if set, else ``../shared`` beside the project root; None when absent."""
    override = os.environ.get(SHARED_ENV)
    candidate = Path(override) if override else project_root().parent / "shared"
    return candidate if candidate.is_dir() else None


def require_shared(*parts: str) -> Path:
    """A path inside the shared directory, or `SkipSuite` naming what is missing."""
    base = shared_dir()
    if base is None:
        where = os.environ.get(SHARED_ENV) or str(project_root().parent / "shared")
        raise SkipSuite(f"shared material not found at {where} (set {SHARED_ENV} to override)")
    path = base.joinpath(*parts)
    if not path.exists():
        raise SkipSuite(f"{path} is missing")
    return path


def import_optional(name: str) -> ModuleType | None:
    """Import module `name`, or None when that module itself is not in the checkout.

    An ImportError raised *inside* an existing module is a bug, not absence, so it
    propagates (the same rule as ``pipeline.cli``).
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name is not None and (e.name == name or name.startswith(e.name + ".")):
            return None
        raise


# --------------------------------------------------------------------------- normalisation

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def require_ocr() -> None:
    """Raise SkipSuite unless our OCR and Tesseract with its Thai data are here."""
    if import_optional("pipeline.ocr.engine") is None or import_optional("pipeline.ingest") is None:
        raise SkipSuite("pipeline.ocr / pipeline.ingest are not built")
    from ..errors import MissingDependency
    from ..ocr import probe

    try:
        probe()
    except MissingDependency as e:
        raise SkipSuite(str(e)) from e


def thai_to_arabic(text: str) -> str:
    """``'ว ๑๙๖๕'`` → ``'ว 1965'``: a 1:1 translate, so lengths and offsets survive."""
    return text.translate(_THAI_DIGITS)


def _dropped(ch: str) -> bool:
    # P* = punctuation (incl. “ ” / : . -), Z* = spaces, Cc = tabs/newlines,
    # Cf = zero-width space, BOM and the like. Thai vowels and tone marks are
    # Mn (kept): they are letters for our purposes.
    category = unicodedata.category(ch)
    return category[0] in "PZ" or category in ("Cc", "Cf")


def normalise_for_compare(text: Optional[str]) -> Optional[str]:
    """The gold file's comparison form: Thai digits → Arabic, spaces and punctuation dropped.

    ``'สน ๐๐๑๘.๑/ว ๑๐๔๔'`` → ``'สน00181ว1044'``. None stays None; a value that is empty
    after normalising becomes None too, because "" and "no value" mean the same to a reader.
    """
    if text is None:
        return None
    kept = "".join(ch for ch in thai_to_arabic(text) if not _dropped(ch))
    return kept or None


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two strings, 0..1 (`a` the expected value, `b` the one read).

    ``autojunk`` is off. From 200 characters of `b` on, difflib would otherwise treat
    every character occurring in more than 1 % of `b` as junk, which for Thai (a few
    dozen distinct letters) is most of the text: a long subject with every 10th letter
    misread scores 0.868 instead of 0.901. Below 200 characters (every label in
    ``../shared/gold`` after normalising) the two settings agree.
    """
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# --------------------------------------------------------------------------- counting


@dataclass(frozen=True)
class PRF:
    """Matches between a gold multiset and a predicted one."""

    tp: int
    gold: int
    predicted: int

    def __post_init__(self) -> None:
        if not 0 <= self.tp <= min(self.gold, self.predicted):
            raise ValueError(f"impossible counts: {self}")

    @property
    def precision(self) -> Optional[float]:
        """None when nothing was predicted (undefined, not zero)."""
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> Optional[float]:
        """None when nothing was labelled."""
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> Optional[float]:
        """2·tp / (gold + predicted), the harmonic mean of P and R; None when both are empty."""
        total = self.gold + self.predicted
        return 2 * self.tp / total if total else None

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.gold + other.gold, self.predicted + other.predicted)


def multiset_prf(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> PRF:
    """P/R/F1 of two multisets: each gold item can be matched once."""
    g, p = Counter(gold), Counter(predicted)
    return PRF(sum((g & p).values()), sum(g.values()), sum(p.values()))


G = TypeVar("G")
P = TypeVar("P")


def match_items(gold: Sequence[G], predicted: Sequence[P], accepts: Callable[[G, P], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of gold to predicted items, as (gold_i, pred_j) pairs.

    Plain multiset counting is not enough once a label accepts two values (``also_…``):
    a greedy pass could spend a prediction on the wrong label. Kuhn's augmenting paths
    are exact and cheap for the handful of items a letter has. Pairs come back sorted
    by gold index; where several maximum matchings exist, earlier items take earlier
    partners.
    """
    edges = [[j for j, p in enumerate(predicted) if accepts(g, p)] for g in gold]
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


# --------------------------------------------------------------------------- Markdown


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value).replace("\r", " ").replace("\n", " ⏎ ").replace("|", "\\|")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> str:
    """A GitHub Markdown table. `align` gives one letter per column: l, r or c (default l).

    None prints as ``—`` (an empty string as an empty cell), floats with three decimals;
    ``|`` and newlines are escaped so that extracted text cannot break the table.
    """
    marks = {"l": ":---", "r": "---:", "c": ":---:"}
    align = align.ljust(len(headers), "l")
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "|" + "|".join(marks[a] for a in align[: len(headers)]) + "|",
    ]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, table has {len(headers)} columns: {row!r}")
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines)


def fraction(correct: int, total: int) -> str:
    """``'7/10 (0.700)'``, or ``'0/0'`` where nothing was labelled."""
    return f"{correct}/{total} ({correct / total:.3f})" if total else f"{correct}/{total}"


# --------------------------------------------------------------------------- the harness


@dataclass
class SuiteResult:
    """What happened to one suite."""

    name: str
    status: str  # ok / skipped / not built / failed
    seconds: float = 0.0
    note: str = ""
    report: str = ""


@dataclass
class Harness:
    """A registry of suite modules under one package, run in order."""

    package: str
    suites: tuple[str, ...]
    description: str
    #: adds harness-wide options (bench's ``--quick``) to the parser
    common_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    _modules: dict[str, ModuleType | BaseException | None] = field(default_factory=dict, init=False, repr=False)

    def module(self, name: str) -> ModuleType | BaseException | None:
        """The suite's module; None when not built; the exception when importing it failed."""
        if name not in self._modules:
            try:
                self._modules[name] = import_optional(f"{self.package}.{name}")
            except Exception as e:  # a broken suite must not stop the others
                self._modules[name] = e
        return self._modules[name]

    def build_parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(prog=f"python -m {self.package}", description=self.description)
        parser.add_argument(
            "--suite",
            action="extend",
            nargs="+",
            choices=self.suites,
            metavar="NAME",
            help=f"run only these suites (repeatable); from: {', '.join(self.suites)}",
        )
        parser.add_argument("--list", action="store_true", help="list the suites and whether they are built")
        if self.common_arguments:
            self.common_arguments(parser)
        for name in self.suites:
            module = self.module(name)
            add = getattr(module, "add_arguments", None) if isinstance(module, ModuleType) else None
            if add:
                try:
                    add(parser.add_argument_group(f"suite {name}"))
                except Exception as e:  # e.g. an option clashing with another suite's: fail that suite only
                    self._modules[name] = e
        return parser

    def run_one(self, name: str, args: argparse.Namespace) -> SuiteResult:
        module = self.module(name)
        if module is None:
            return SuiteResult(name, "not built", note=f"{self.package}.{name} is not in this checkout")
        started = time.perf_counter()
        try:
            if isinstance(module, BaseException):
                raise module
            report = module.run(args)
        except SkipSuite as e:
            return SuiteResult(name, "skipped", time.perf_counter() - started, e.reason)
        except Exception as e:  # reported, and the exit code says so
            print(f"suite {name} failed:", file=sys.stderr)
            traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)
            return SuiteResult(name, "failed", time.perf_counter() - started, f"{type(e).__name__}: {e}")
        return SuiteResult(name, "ok", time.perf_counter() - started, report=str(report))

    def main(self, argv: Sequence[str] | None = None, out=None) -> int:
        """Run the chosen suites, print each report as it finishes, then a summary."""
        out = out or sys.stdout
        args = self.build_parser().parse_args(argv)
        chosen = [n for n in self.suites if not args.suite or n in args.suite]
        if args.list:
            rows = []
            for name in self.suites:
                module = self.module(name)
                state = "not built" if module is None else "broken" if isinstance(module, BaseException) else "built"
                rows.append((name, state))
            print(markdown_table(("suite", "state"), rows), file=out)
            return EXIT_OK
        results = []
        for name in chosen:
            result = self.run_one(name, args)
            results.append(result)
            print(f"## {self.package.rsplit('.', 1)[-1]}: {name}\n", file=out)
            print(result.report if result.status == "ok" else f"_{result.status}_: {result.note}", file=out)
            print(file=out, flush=True)
        summary = [(r.name, r.status, f"{r.seconds:.1f}", r.note) for r in results]
        print("## summary\n", file=out)
        print(markdown_table(("suite", "status", "seconds", "note"), summary, "llrl"), file=out, flush=True)
        return EXIT_FAILED if any(r.status == "failed" for r in results) else EXIT_OK
