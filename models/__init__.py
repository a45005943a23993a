"""Training scripts for the models that ship in this folder (``make models``).

Nothing here is imported at run time by the pipeline: the numeral reader loads
``models/numerals.npz`` with numpy only (see ``pipeline/ocr/numerals.py``).
"""
