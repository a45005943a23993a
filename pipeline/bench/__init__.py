"""Speed suites: how fast each stage runs on this machine.

``python -m pipeline.bench [--suite NAME ...] [--quick]`` (``make bench``) runs the
suites below in order; the suite protocol is the evaluation harness's
(`pipeline.evaluation.common`). ``--quick`` asks every suite for a short run
(about a second of work), for smoke tests.
"""

from __future__ import annotations

import argparse

from ..evaluation.common import Harness

#: Suite modules of this package, in the order they run.
SUITES = ("extract", "ocr", "links", "batch")


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="short runs, for smoke tests")


HARNESS = Harness(
    package=__name__,
    suites=SUITES,
    description="Measure the speed of the pipeline's stages.",
    common_arguments=_common_arguments,
)
