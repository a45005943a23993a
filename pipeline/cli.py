"""The `circulars` command: a thin layer of subcommands over the library.

Each subcommand lives in ``pipeline/commands/<name>.py`` and exposes
``register(subparsers)``, which adds its parser and sets ``func(args) -> int``.
Errors of our own types become one line on stderr and their exit code;
a traceback only with ``-v``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Sequence

from .errors import EXIT_INTERRUPTED, CircularsError

#: Registry of subcommand modules, in the order `--help` lists them.
COMMAND_MODULES = (
    "pipeline.commands.run",
    "pipeline.commands.ocr",
    "pipeline.commands.query",
    "pipeline.commands.schema",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="circulars",
        description="Digitise Thai government circulars: OCR, field extraction, citation graph.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging and tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:  # command not built in this checkout
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s" if args.verbose else "%(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except CircularsError as e:
        if args.verbose:
            raise
        print(f"circulars: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("circulars: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
