"""Trigger words and the ACLED / PLOVER types they signal, as names the stages import.

The facts live in ``ontology.toml`` and ``lexicon.toml`` (read and checked by
:mod:`sitreps.knowledge.package`); this module gives the built-in package's tables their
historical names. Stages built with a user's knowledge file read the tables of that package
instead (see :func:`sitreps.knowledge.package.load_knowledge`).
"""

from __future__ import annotations

from sitreps.knowledge.package import TriggerSense, default_knowledge

__all__ = ["TriggerSense"]

_KNOWLEDGE = default_knowledge()

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"
# Events PLOVER codes but ACLED does not: they carry a PLOVER type and this marker as ACLED type
# and sub-type, so ACLED exports and scores can drop them.
NON_ACLED = "Non-ACLED"

ACLED_SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    name: _KNOWLEDGE.sub_types_of(name)
    for name, event_type in _KNOWLEDGE.event_types.items()
    if event_type.acled
}

VERB_TRIGGERS = _KNOWLEDGE.triggers["verb"]
NOUN_TRIGGERS = _KNOWLEDGE.triggers["noun"]
PLOVER_VERB_TRIGGERS = _KNOWLEDGE.triggers["plover_verb"]
PLOVER_NOUN_TRIGGERS = _KNOWLEDGE.triggers["plover_noun"]
WEAPON_SUB_TYPES = _KNOWLEDGE.triggers["weapon"]

REFINING_SUB_TYPES = _KNOWLEDGE.sub_types(refines=True)
# Precedence when several weapons are named: the most specific method wins.
WEAPON_PRECEDENCE = tuple(
    sorted(
        (s.name for s in _KNOWLEDGE.sub_event_types.values() if s.weapon_rank),
        key=lambda name: _KNOWLEDGE.sub_event_types[name].weapon_rank or 0,
    )
)

_WORDS = _KNOWLEDGE.words
COERCIVE_PLOVER_TYPES = _WORDS["coercive_plover_types"]
DEMAND_VERBS = _WORDS["demand_verbs"]
DEMAND_PARTICLES = _WORDS["demand_particles"]
MILITARY_TARGETS = _WORDS["military_targets"]
UNCONTESTED_CUES = _WORDS["uncontested_cues"]
DISRUPT_VERBS = _WORDS["disrupt_verbs"]
WEAPON_OBJECTS = _WORDS["weapon_objects"]
WEAPON_STORES = _WORDS["weapon_stores"]
FIGURATIVE_FIGHT_LEMMAS = _WORDS["figurative_fight_lemmas"]
ABSTRACT_FOES = _WORDS["abstract_foes"]
GATHER_VERBS = _WORDS["gather_verbs"]
CROWD_WORDS = _WORDS["crowd_words"]
BASE_VERBS = _WORDS["base_verbs"]
BASE_NOUNS = _WORDS["base_nouns"]
GROUP_VERBS = _WORDS["group_verbs"]
GROUP_NOUNS = _WORDS["group_nouns"]
MOVE_VERBS = _WORDS["move_verbs"]
TROOP_NOUNS = _WORDS["troop_nouns"]
DEMONSTRATOR_WORDS = _WORDS["demonstrator_words"]
RIOT_CUES = _WORDS["riot_cues"]
INTERVENTION_CUES = _WORDS["intervention_cues"]
CONTROL_VERBS = _WORDS["control_verbs"]
LOSS_VERBS = _WORDS["loss_verbs"]
TAKE_VERBS = _WORDS["take_verbs"]
