"""The few exception types the tool raises, each with an exit code and a fix.

The CLI maps them to messages and exit codes (tracebacks only with ``-v``); the
batch runner records them per file as structured errors. Keep this list short:
a new type only where a caller must tell it apart.
"""

from __future__ import annotations


class CircularsError(Exception):
    """Base class. ``code`` is a stable machine name, ``exit_code`` the CLI's."""

    code = "error"
    exit_code = 1
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        if hint is not None:
            self.hint = hint

    def to_dict(self) -> dict:
        out = {"code": self.code, "message": self.message}
        if self.path:
            out["path"] = self.path
        if self.hint:
            out["hint"] = self.hint
        return out

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text} ({self.hint})" if self.hint else text


class UsageError(CircularsError):
    """Bad arguments or options."""

    code = "usage"
    exit_code = 2


class InputError(CircularsError):
    """An input file that cannot be read as a circular (empty, binary, corrupt, encrypted…)."""

    code = "bad-input"
    exit_code = 3


class MissingDependency(CircularsError):
    """An external program or data file is missing (Tesseract, tha data, poppler)."""

    code = "missing-dependency"
    exit_code = 4


class PageTimeout(CircularsError):
    """A page took longer than the configured limit."""

    code = "page-timeout"
    exit_code = 5


class OCRError(CircularsError):
    """The OCR engine failed on a page."""

    code = "ocr-failed"
    exit_code = 5


#: Documented in README ("Exit codes").
EXIT_OK = 0
EXIT_SOME_FAILED = 1  # the run finished, but some inputs failed or produced no letter
EXIT_USAGE = UsageError.exit_code
EXIT_BAD_INPUT = InputError.exit_code
EXIT_MISSING_DEPENDENCY = MissingDependency.exit_code
EXIT_INTERRUPTED = 130
