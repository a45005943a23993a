"""``python -m pipeline.evaluation``: run the accuracy suites."""

import sys

from . import HARNESS

if __name__ == "__main__":
    sys.exit(HARNESS.main())
