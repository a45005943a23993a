"""The one wrapper around poppler's command-line tools (pdfinfo, pdftoppm, pdftotext).

Nothing else in the package runs poppler. The tools are probed once; a missing
binary raises `MissingDependency` naming the Debian package. Subprocess failures
become our own exceptions: `InputError` for files poppler cannot read (corrupt,
encrypted), `PageTimeout` when a call outlives its time limit.

Pages are rendered one at a time (``pdftoppm -f N -l N``), so a 200-page PDF
never has more than one page image in memory.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .errors import InputError, MissingDependency, PageTimeout

INSTALL_HINT = "apt-get install poppler-utils"
TOOLS = ("pdfinfo", "pdftoppm", "pdftotext")

#: pdfinfo on a healthy file answers in milliseconds; this only stops a hang.
INFO_TIMEOUT = 60.0


@dataclass(frozen=True)
class PopplerInfo:
    version: str
    paths: dict[str, str]


@functools.lru_cache(maxsize=1)
def probe() -> PopplerInfo:
    """Find the poppler tools once; raise `MissingDependency` if any is absent."""
    paths = {tool: shutil.which(tool) for tool in TOOLS}
    missing = [tool for tool, path in paths.items() if not path]
    if missing:
        raise MissingDependency(f"poppler tools not found: {', '.join(missing)}", hint=INSTALL_HINT)
    out = subprocess.run([paths["pdftoppm"], "-v"], capture_output=True, timeout=30, check=False)
    text = (out.stderr or out.stdout).decode("utf-8", "replace")
    match = re.search(r"version\s+([\d.]+)", text)
    return PopplerInfo(version=match.group(1) if match else "unknown", paths=paths)  # type: ignore[arg-type]


def _run(tool: str, args: list[str], *, timeout: float | None, path: Path) -> subprocess.CompletedProcess:
    exe = probe().paths[tool]
    try:
        return subprocess.run([exe, *args], capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        raise PageTimeout(
            f"{tool} took longer than {timeout:g} s", hint="raise --page-timeout", path=str(path)
        ) from e
    except FileNotFoundError as e:  # removed after the probe
        raise MissingDependency(f"{tool} not found", hint=INSTALL_HINT) from e


def _error_for(tool: str, proc: subprocess.CompletedProcess, path: Path) -> InputError:
    err = proc.stderr.decode("utf-8", "replace").strip()
    if "Incorrect password" in err:
        return InputError(
            "the PDF is encrypted (a password is needed to open it)",
            hint="decrypt it first, e.g. `qpdf --password=PASSWORD --decrypt in.pdf out.pdf`",
            path=str(path),
        )
    if "last page (0)" in err:  # poppler's words for a page tree with no pages
        return InputError("the PDF has no pages", path=str(path))
    first = err.splitlines()[-1] if err else f"exit status {proc.returncode}"
    return InputError(f"poppler cannot read this PDF ({tool}: {first})", hint="the file is corrupt", path=str(path))


def pdfinfo(path: Path, *, timeout: float | None = INFO_TIMEOUT) -> dict[str, str]:
    """pdfinfo's fields ("Pages", "Encrypted", "Page size" …) as strings."""
    proc = _run("pdfinfo", [str(path)], timeout=timeout, path=path)
    if proc.returncode != 0:
        raise _error_for("pdfinfo", proc, path)
    fields: dict[str, str] = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def page_count(path: Path, *, timeout: float | None = INFO_TIMEOUT) -> int:
    """Number of pages poppler sees; raises `InputError` when it cannot open the file."""
    fields = pdfinfo(path, timeout=timeout)
    try:
        return int(fields["Pages"])
    except (KeyError, ValueError) as e:
        raise InputError("poppler found no page count in this PDF", hint="the file is corrupt", path=str(path)) from e


def render_page(path: Path, page: int, dpi: int, *, timeout: float | None = None) -> Image.Image:
    """Page ``page`` (1-based) as an RGB image at ``dpi``; only that page is rendered."""
    args = ["-f", str(page), "-l", str(page), "-r", str(dpi), str(path)]
    # No output root: pdftoppm writes the PPM to stdout, so no temp files are left behind.
    proc = _run("pdftoppm", args, timeout=timeout, path=path)
    if proc.returncode != 0 or not proc.stdout:
        raise _error_for("pdftoppm", proc, path)
    image = Image.open(io.BytesIO(proc.stdout))
    image.load()
    return image


def page_text(path: Path, page: int, *, timeout: float | None = None) -> str:
    """The text layer of page ``page`` as poppler reads it (reading order, UTF-8)."""
    args = ["-f", str(page), "-l", str(page), "-enc", "UTF-8", str(path), "-"]
    proc = _run("pdftotext", args, timeout=timeout, path=path)
    if proc.returncode != 0:
        raise _error_for("pdftotext", proc, path)
    # pdftotext ends every page with a form feed; the page break is ours to make.
    return proc.stdout.decode("utf-8", "replace").rstrip("\f")


def available() -> bool:
    """True when the poppler tools are installed (for tests and optional paths)."""
    try:
        probe()
    except MissingDependency:
        return False
    return True


__all__ = ["PopplerInfo", "probe", "available", "pdfinfo", "page_count", "render_page", "page_text", "INSTALL_HINT"]
