"""Trigger senses read from sentence structure: the knowledge's DependencyMatcher patterns.

``lexicon.toml`` writes such conditions as ``[[structures]]`` (a sense and a spaCy
DependencyMatcher pattern whose first node is the trigger) instead of code. A doc is matched
once, on the first question about one of its tokens.
"""

from __future__ import annotations

from spacy.matcher import DependencyMatcher
from spacy.tokens import Token
from spacy.vocab import Vocab

from sitreps.knowledge.package import Structure, TriggerSense

# (structures, vocab) -> matcher; the objects are kept so a reused id cannot alias them.
_MATCHERS: dict[tuple[int, int], tuple[tuple[Structure, ...], Vocab, DependencyMatcher]] = {}


def _matcher(structures: tuple[Structure, ...], vocab: Vocab) -> DependencyMatcher:
    """The DependencyMatcher of ``structures`` for ``vocab``, built once."""
    key = (id(structures), id(vocab))
    cached = _MATCHERS.get(key)
    if cached is not None and cached[0] is structures and cached[1] is vocab:
        return cached[2]
    matcher = DependencyMatcher(vocab)
    for structure in structures:
        matcher.add(structure.name, [list(structure.pattern)])
    _MATCHERS[key] = (structures, vocab, matcher)
    return matcher


def structure_sense(token: Token, structures: tuple[Structure, ...]) -> TriggerSense | None:
    """The sense of the first structure (in lexicon order) whose trigger node is ``token``."""
    if not structures:
        return None
    doc = token.doc
    key = ("sitreps.structures", id(structures))
    found = doc.user_data.get(key)
    if found is None:
        order = {structure.name: rank for rank, structure in enumerate(structures)}
        found = {}
        for match_id, token_ids in _matcher(structures, doc.vocab)(doc):
            name = doc.vocab.strings[match_id]
            trigger = token_ids[0]
            if trigger not in found or order[name] < order[found[trigger]]:
                found[trigger] = name
        doc.user_data[key] = found
    name = found.get(token.i)
    if name is None:
        return None
    return next(s.sense for s in structures if s.name == name)
