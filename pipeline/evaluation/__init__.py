"""Accuracy suites: how well the pipeline reads the labelled material in ``../shared``.

``python -m pipeline.evaluation [--suite NAME ...]`` (``make eval``) runs the suites
below in order; see `pipeline.evaluation.common` for the suite protocol.
"""

from __future__ import annotations

from .common import Harness

#: Suite modules of this package, in the order they run.
SUITES = ("text", "scans", "links")

HARNESS = Harness(
    package=__name__,
    suites=SUITES,
    description="Score the pipeline against the gold labels in ../shared.",
)
