"""Extraction stages: one module per concern, each a pure function over ``Analysis`` records."""

from __future__ import annotations

from spacy.tokens import Span

from sitreps.records import Source


def sentence_source(article_id: str, sent: Span) -> Source:
    """The provenance of a fact stated in ``sent``: its text without surrounding whitespace.

    spaCy sentences keep trailing newlines; a source quotes the sentence itself, and
    ``text[start:end] == sentence`` still holds.
    """
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    stripped = text.strip()
    return Source(article_id, stripped, start, start + len(stripped))
