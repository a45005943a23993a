"""A Thai spaCy pipeline view of the extraction.

``make_nlp()`` returns ``spacy.blank("th")`` (PyThaiNLP word tokenisation) with one rule
component, ``circular_fields``, that runs the same extractor as the record builder
(`pipeline.extract`) and turns its spans into ``doc.ents``: DOC_NUMBER, DATE, DEADLINE,
ORG, PERSON. Spans found on the normalised text are mapped back to the Doc's own
characters through the normalisation offset map, so entities cover the raw text
(Thai digits and all). ``doc._.records`` holds the `Record` objects of the text.

    >>> nlp = make_nlp()                                     # doctest: +SKIP
    >>> [(e.label_, e.text) for e in nlp("ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗๗ ...").ents]   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib

from .extract import extract_letter, read_document
from .normalise import normalise
from .segment import segment
from .types import Document, PageText

#: Extractor span labels shown as entities, and the entity label each becomes.
ENTITY_LABELS = {"DOC_NUMBER": "DOC_NUMBER", "DATE": "DATE", "DEADLINE": "DEADLINE", "ORG": "ORG",
                 "PERSON": "PERSON", "REFERENCE": "DOC_NUMBER"}


def _require_spacy():
    try:
        import spacy  # noqa: F401
        from spacy.language import Language
        from spacy.tokens import Doc
        from spacy.util import filter_spans
    except ImportError as e:  # pragma: no cover - spaCy is a declared dependency
        raise ImportError("the spaCy view needs spaCy and PyThaiNLP: pip install spacy pythainlp") from e
    return spacy, Language, Doc, filter_spans


def entity_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) entity spans over `text` itself, from the extractor's spans."""
    norm = normalise(text)
    out = []
    for sp in segment(norm.text):
        ex = extract_letter(norm.text[sp.start: sp.end])
        for spans in ex.spans.values():
            for s in spans:
                label = ENTITY_LABELS.get(s.label)
                if label is None:
                    continue
                start, end = norm.source_span(sp.start + s.start, sp.start + s.end)
                if end > start:
                    out.append((start, end, label))
    return sorted(out)


def make_nlp():
    """spaCy's blank Thai pipeline with the `circular_fields` component."""
    spacy, Language, Doc, filter_spans = _require_spacy()
    if not Doc.has_extension("records"):
        Doc.set_extension("records", default=None)
    if "circular_fields" not in Language.factories:

        @Language.component("circular_fields")
        def circular_fields(doc):
            spans = []
            for start, end, label in entity_spans(doc.text):
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
            doc.ents = filter_spans(spans)
            sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            doc._.records = read_document(Document(path="<doc>", sha256=sha,
                                                   pages=[PageText(page=1, text=doc.text, method="text")]))
            return doc

    nlp = spacy.blank("th")
    nlp.add_pipe("circular_fields")
    return nlp
