"""OCR of page images: Tesseract plus our Thai-numeral reader and lexicon correction.

Light on purpose: importing this package loads nothing heavy; the engine (OpenCV,
numpy model, PyThaiNLP lexicon) loads when first used.

    from pipeline.ocr import ocr_image, OCROptions
    page_text = ocr_image(pil_image, page=1)
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

__all__ = ["OCROptions", "fingerprint", "ocr_image", "ocr_image_plain", "ocr_or_warn", "probe"]

if TYPE_CHECKING:  # pragma: no cover
    from .engine import OCROptions, ocr_image, ocr_image_plain, ocr_or_warn
    from .tesseract import probe


def __getattr__(name: str) -> Any:
    if name in ("OCROptions", "ocr_image", "ocr_image_plain", "ocr_or_warn"):
        from . import engine

        return getattr(engine, name)
    if name == "probe":
        from .tesseract import probe

        return probe
    raise AttributeError(f"module 'pipeline.ocr' has no attribute {name!r}")


#: The pipeline package: the code `fingerprint` hashes by default.
PIPELINE_CODE = Path(__file__).resolve().parents[1]
#: The pipeline's modules outside this package that the OCR code imports (the month
#: names `thaidate` knows decide which words the month reader reads again): with this
#: package, what decides a page's OCR text (`pipeline.evaluation.scans.engine_version`).
OCR_IMPORTS = tuple(PIPELINE_CODE / name for name in ("errors.py", "lexicon.py", "normalise.py", "thaidate.py",
                                                     "types.py"))


@functools.lru_cache(maxsize=4)
def fingerprint(code: Path = PIPELINE_CODE, also: tuple[Path, ...] = ()) -> str:
    """What decides an output besides the input: the Python code under `code` (default:
    the whole pipeline) and the files `also`, the numeral (print and hand) and month
    models' weights and Tesseract's version. Caches key their results by it, so a new
    release reads again instead of serving old results."""
    from ..errors import CircularsError
    from .months import MODEL_PATH as MONTH_MODEL
    from .numerals import HAND_MODEL_PATH, MODEL_PATH
    from .tesseract import probe

    digest = hashlib.sha256()
    for path in sorted(code.rglob("*.py")):
        digest.update(str(path.relative_to(code)).encode())
        digest.update(path.read_bytes())
    for path in also:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for model in (MODEL_PATH, HAND_MODEL_PATH, MONTH_MODEL):
        if model.is_file():
            digest.update(model.read_bytes())
    try:
        digest.update(probe().version.encode())
    except CircularsError:  # no Tesseract: text inputs still run, and key caches without it
        digest.update(b"no tesseract")
    return digest.hexdigest()[:16]
