"""The scan benchmark: synthetic Thai official letters rendered as scans, with gold labels.

    letters.make_letter(seed, i)    -> Letter (layout blocks + gold record)
    render.render_letter(letter)    -> [Page] (image + gold text per line)
    damage.damage(image, level, r)  -> (scan-damaged image, steps applied)
    build_corpus(out, n)            -> files + labels.json (``python -m pipeline.synth``)
"""

from .letters import Letter, make_forwarding, make_letter
from .render import Page, render_letter


def build_corpus(*args, **kwargs):
    """`pipeline.synth.__main__.build_corpus`, imported when first used."""
    from .__main__ import build_corpus as build

    return build(*args, **kwargs)


__all__ = ["Letter", "Page", "build_corpus", "make_forwarding", "make_letter", "render_letter"]
