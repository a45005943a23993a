"""``python -m pipeline.bench``: run the speed suites."""

import sys

from . import HARNESS

if __name__ == "__main__":
    sys.exit(HARNESS.main())
