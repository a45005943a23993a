"""`circulars run INPUT... --out DIR`: read files and folders of circulars into records.

Exit codes (README "Exit codes"): 0 every input read; 1 the run finished but some
inputs failed, were read in part, or held no letter (see ``DIR/errors.jsonl``);
2 bad arguments, or another run is writing to DIR; 4 a program is missing
(Tesseract, its ``tha`` data, poppler); 130 interrupted (run the same command again
to resume).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..batch import PageConfig, RunOptions, available_cores, run_batch
from ..errors import UsageError

log = logging.getLogger("pipeline.run")


def register(sub) -> None:
    p = sub.add_parser(
        "run",
        help="read files and folders of circulars into records",
        description="Read PDFs, scans and text files (folders recursively) into records under --out. "
        "Resumable: run the same command again after a stop and finished work is kept.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (.txt .md .pdf .png .jpg .tif)")
    p.add_argument("--out", "-o", required=True, type=Path, metavar="DIR", help="output folder")
    p.add_argument("--workers", "-j", type=int, default=0, metavar="N",
                   help=f"worker processes, one page each (default: one per core, here {available_cores()})")
    p.add_argument("--force", action="store_true", help="read everything again, ignoring DIR/.cache")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first input that fails")
    p.add_argument("--scheduler", metavar="local|tcp://HOST:8786",
                   help="run on Dask: 'local' starts a LocalCluster of --workers processes; "
                   "an address sends pages to that cluster (as bytes: no shared filesystem needed)")
    p.add_argument("--shared-fs", action=argparse.BooleanOptionalAction, default=None,
                   help="with --scheduler: the Dask workers see the inputs at the same absolute paths, so "
                   "tasks send paths instead of page bytes (default: yes for 'local', no for an address)")
    p.add_argument("--dpi", type=int, default=300, metavar="N", help="resolution PDF pages are rendered at for OCR")
    p.add_argument("--page-timeout", type=float, default=180.0, metavar="S",
                   help="give up on a page after S seconds (default 180; 0: no limit)")
    p.add_argument("--lang", default="tha+eng", help="Tesseract languages (default tha+eng)")
    p.add_argument("--no-progress", action="store_true", help="plain log lines even on a terminal")
    p.set_defaults(func=_run)


def options_from_args(args: argparse.Namespace) -> RunOptions:
    """Check the arguments once and turn them into `RunOptions`."""
    if args.workers < 0:
        raise UsageError("--workers must be 0 (one per core) or more")
    if not 20 <= args.dpi <= 1200:
        raise UsageError(f"--dpi {args.dpi} is out of range 20-1200")
    if args.page_timeout < 0:
        raise UsageError("--page-timeout must be 0 (no limit) or more seconds")
    scheduler = args.scheduler
    if scheduler and scheduler != "local" and "://" not in scheduler:
        raise UsageError(f"--scheduler {scheduler!r}: give 'local' or an address like tcp://HOST:8786")
    if args.shared_fs is not None and not scheduler:
        raise UsageError("--shared-fs / --no-shared-fs apply only with --scheduler")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} exists and is not a folder")
    page = PageConfig(dpi=args.dpi, timeout=args.page_timeout or None, lang=args.lang)
    return RunOptions(out=args.out, workers=args.workers, force=args.force, fail_fast=args.fail_fast,
                      scheduler=scheduler, shared_fs=args.shared_fs, page=page, progress=False if args.no_progress else None)


def _run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    summary = run_batch(args.inputs, options)
    print(f"circulars run: {summary.line()} -> {options.out}", file=sys.stderr)
    if any(f.errors for f in summary.files):
        print(f"circulars run: errors listed in {options.out / 'errors.jsonl'}", file=sys.stderr)
    return summary.exit_code
