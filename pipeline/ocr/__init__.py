"""OCR of page images: Tesseract plus our Thai-numeral reader and lexicon correction.

Light on purpose: importing this package loads nothing heavy; the engine (OpenCV,
numpy model, PyThaiNLP lexicon) loads when first used.

    from pipeline.ocr import ocr_image, OCROptions
    page_text = ocr_image(pil_image, page=1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["OCROptions", "ocr_image", "ocr_image_plain", "ocr_or_warn", "probe"]

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
