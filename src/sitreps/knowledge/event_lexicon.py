"""Trigger words and the ACLED / PLOVER types they signal, as names the stages import.

The facts live in ``ontology.toml`` and ``lexicon.toml`` (read and checked by
:mod:`sitreps.knowledge.package`); this module gives the built-in package's tables their
historical names. Stages built with a user's knowledge file read the tables of that package
instead (see :func:`sitreps.knowledge.package.load_knowledge`): the events stage through
:class:`EventLexicon`, built once per package, and the readers it calls below it in the import
graph (modality, the event-to-place linker) through :func:`current_lexicon`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sitreps.knowledge.package import (
    EVENT_WORD_LISTS,
    READING_LEXICON_LIST_NAMES,
    READING_LEXICON_LISTS,
    Knowledge,
    TriggerSense,
    default_knowledge,
    derived,
)

__all__ = [
    "EVENT_WORD_LISTS", "READING_LEXICON_LISTS", "EventLexicon", "TriggerSense",
    "current_lexicon", "reading_lexicon",
]

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


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """What the events stage reads sentences with, from one knowledge package: trigger tables,
    weapon precedence, the readings of verbs of killing and the ``[words]`` lists, its modality
    reader's included. Built once per package (``derived(EventLexicon.of, knowledge)``), so a
    user's knowledge file adds to every one of them."""

    verb_triggers: Mapping[str, TriggerSense]
    noun_triggers: Mapping[str, TriggerSense]
    weapon_sub_types: Mapping[str, TriggerSense]
    refining_sub_types: frozenset[str]
    # Sub-types whose means only a state's forces have ("Syria air raids": its government).
    state_only_sub_types: frozenset[str]
    # Precedence when several weapons are named: the most specific method wins (weapon_rank).
    weapon_precedence: tuple[str, ...]
    air_words: frozenset[str]
    shell_words: frozenset[str]
    # Verbs of killing whose participle still reports an act ("killed soldiers").
    participle_verbs: frozenset[str]
    toll_verbs: frozenset[str]
    # Euphemisms that kill only fighters ("eliminated 75 militants", not "eliminate corruption").
    fighters_only_verbs: frozenset[str]
    # Verbs that say what a weapon did ("the blast killed three").
    impact_verbs: frozenset[str]
    # Verbs whose subject is the dead ("three civilians died").
    victim_subject_verbs: frozenset[str]
    combatant_nouns: frozenset[str]
    coercive_plover_types: frozenset[str]
    demand_verbs: frozenset[str]
    demand_particles: frozenset[str]
    military_targets: frozenset[str]
    uncontested_cues: frozenset[str]
    disrupt_verbs: frozenset[str]
    weapon_objects: frozenset[str]
    weapon_stores: frozenset[str]
    figurative_fight_lemmas: frozenset[str]
    abstract_foes: frozenset[str]
    gather_verbs: frozenset[str]
    crowd_words: frozenset[str]
    base_verbs: frozenset[str]
    base_nouns: frozenset[str]
    group_verbs: frozenset[str]
    group_nouns: frozenset[str]
    move_verbs: frozenset[str]
    troop_nouns: frozenset[str]
    demonstrator_words: frozenset[str]
    riot_cues: frozenset[str]
    intervention_cues: frozenset[str]
    take_verbs: frozenset[str]
    foiling_verbs: frozenset[str]
    repelling_verbs: frozenset[str]
    sending_verbs: frozenset[str]
    relief_nouns: frozenset[str]
    relief_modifiers: frozenset[str]
    air_bomb_kinds: frozenset[str]
    firing_nouns: frozenset[str]
    firing_platforms: frozenset[str]
    sky_nouns: frozenset[str]
    smoke_fuels: frozenset[str]
    signed_papers: frozenset[str]
    care_places: frozenset[str]
    campaign_fights: frozenset[str]
    taking_part_words: frozenset[str]
    blast_nouns: frozenset[str]
    exploding_stores: frozenset[str]
    blaming_verbs: frozenset[str]
    # "army-held", "rebel-controlled": the actor before the hyphen holds a place.
    held_words: frozenset[str]
    noun_object_verbs: frozenset[str]
    plover_not_modifiers: frozenset[str]
    light_verbs: frozenset[str]
    agent_nouns: frozenset[str]
    evacuation_words: frozenset[str]
    people_words: frozenset[str]
    hurt_words: frozenset[str]
    medical_words: frozenset[str]
    fleeing_verbs: frozenset[str]
    breaking_words: frozenset[str]
    describing_verbs: frozenset[str]
    referring_nouns: frozenset[str]
    making_nouns: frozenset[str]
    downing_verbs: frozenset[str]
    crash_verbs: frozenset[str]
    aircraft_bomber_marks: frozenset[str]
    siege_verbs: frozenset[str]
    striking_verbs: frozenset[str]
    container_nouns: frozenset[str]
    fighter_sites: frozenset[str]
    referring_preps: frozenset[str]
    carrying_nouns: frozenset[str]
    unmade_verbs: frozenset[str]
    state_speakers: frozenset[str]
    remains_nouns: frozenset[str]
    body_parts: frozenset[str]
    burst_nouns: frozenset[str]
    fired_rounds: frozenset[str]
    media_nouns: frozenset[str]
    capture_words: frozenset[str]
    staff_nouns: frozenset[str]
    weapon_handling_verbs: frozenset[str]
    heavy_arms: frozenset[str]
    offensive_words: frozenset[str]
    launch_verbs: frozenset[str]
    forcing_verbs: frozenset[str]
    labour_words: frozenset[str]
    police_words: frozenset[str]
    weapon_impact_verbs: frozenset[str]
    leaving_verbs: frozenset[str]
    hold_verbs: frozenset[str]
    partisan_state_words: frozenset[str]
    outcome_verbs: frozenset[str]
    partaking_words: frozenset[str]
    sparking_verbs: frozenset[str]
    setting_off_verbs: frozenset[str]
    aspect_verbs: frozenset[str]
    bombing_words: frozenset[str]
    violent_causes: frozenset[str]
    planted_words: frozenset[str]
    bombardment_nouns: frozenset[str]
    ground_units: frozenset[str]
    combat_objects: frozenset[str]
    armed_nouns: frozenset[str]
    execution_words: frozenset[str]
    quantity_nouns: frozenset[str]
    military_only_objects: frozenset[str]
    captive_nouns: frozenset[str]
    captive_modifiers: frozenset[str]
    sighting_verbs: frozenset[str]
    facility_nouns: frozenset[str]
    search_verbs: frozenset[str]
    mineral_nouns: frozenset[str]
    # The noun triggers of the agreement sense ("ceasefire", "truce"): made, or only broken,
    # described or referred to.
    agreement_nouns: frozenset[str]
    standing_words: frozenset[str]
    observing_verbs: frozenset[str]
    framing_verbs: frozenset[str]
    showing_verbs: frozenset[str]
    using_nouns: frozenset[str]
    contest_nouns: frozenset[str]
    # The modality reader's lists (``sitreps.extract.modality``, part of the events stage);
    # its other word lists follow the events stage's below.
    scheduled_words: frozenset[str]
    trouble_nouns: frozenset[str]
    blame_words: frozenset[str]
    places_nouns: frozenset[str]
    places_quantifiers: frozenset[str]
    means_preps: frozenset[str]
    # With the means prepositions, those whose gerund takes the date of its clause (the dates
    # reader: "killed two while fleeing on Friday").
    concurrent_preps: frozenset[str]
    backing_nouns: frozenset[str]
    hedge_adverbs: frozenset[str]
    report_adverbs: frozenset[str]
    future_adverbs: frozenset[str]
    hedge_adjectives: frozenset[str]
    future_adjectives: frozenset[str]
    intent_adjectives: frozenset[str]
    difficulty_adjectives: frozenset[str]
    negating_verbs: frozenset[str]
    span_units: frozenset[str]
    interval_units: frozenset[str]
    request_verbs: frozenset[str]
    hedging_verbs: frozenset[str]
    future_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    prospect_nouns: frozenset[str]
    evidence_nouns: frozenset[str]
    future_phrases: frozenset[str]
    period_nouns: frozenset[str]
    habitual_adverbs: frozenset[str]
    repute_adjectives: frozenset[str]
    guard_words: frozenset[str]
    war_nouns: frozenset[str]
    span_modifiers: frozenset[str]
    superlatives: frozenset[str]
    campaign_nouns: frozenset[str]
    tally_subjects: frozenset[str]
    series_nouns: frozenset[str]
    many_words: frozenset[str]
    repetition_adjectives: frozenset[str]
    witness_verbs: frozenset[str]
    anchor_preps: frozenset[str]
    topic_preps: frozenset[str]
    affiliation_participles: frozenset[str]
    envoy_nouns: frozenset[str]
    journey_verbs: frozenset[str]
    whole_quantifiers: frozenset[str]
    turning_verbs: frozenset[str]
    onset_verbs: frozenset[str]
    intensify_verbs: frozenset[str]
    ongoing_verbs: frozenset[str]
    extent_nouns: frozenset[str]
    onward_words: frozenset[str]
    vague_amounts: frozenset[str]
    vague_many: frozenset[str]
    outbreak_verbs: frozenset[str]
    answer_nouns: frozenset[str]
    consequence_verbs: frozenset[str]
    apart_modifiers: frozenset[str]
    another_act_words: frozenset[str]
    likeness_words: frozenset[str]
    blow_verbs: frozenset[str]
    other_doer_words: frozenset[str]
    apart_openers: frozenset[str]
    nearby_words: frozenset[str]
    turn_openers: frozenset[str]
    inquiry_nouns: frozenset[str]
    damage_verbs: frozenset[str]
    rally_causes: frozenset[str]
    death_cause_marks: frozenset[str]
    # The event-to-place linker's lists (``sitreps.extract.locate``, part of the events stage).
    locative_preps: frozenset[str]
    origin_preps: frozenset[str]
    departure_verbs: frozenset[str]
    posting_verbs: frozenset[str]
    destination_preps: frozenset[str]
    toll_subjects: frozenset[str]
    transfer_verbs: frozenset[str]
    naming_nouns: frozenset[str]
    cause_preps: frozenset[str]
    contrast_marks: frozenset[str]
    later_words: frozenset[str]
    naming_verbs: frozenset[str]
    locality_nouns: frozenset[str]
    area_nouns: frozenset[str]
    site_nouns: frozenset[str]
    seat_words: frozenset[str]
    seat_verbs: frozenset[str]
    # Seats that are also buildings: attacked, the place they stand in is the scene.
    seat_buildings: frozenset[str]
    founding_verbs: frozenset[str]
    source_nouns: frozenset[str]
    actor_preps: frozenset[str]
    meeting_words: frozenset[str]
    government_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    government_nouns: frozenset[str]
    aside_verbs: frozenset[str]
    news_agencies: frozenset[str]
    masthead_words: frozenset[str]
    # The places stage's lists (``sitreps.extract.places``).
    direction_words: frozenset[str]
    rank_titles: frozenset[str]
    honorifics: frozenset[str]
    gate_words: frozenset[str]
    place_preps: frozenset[str]
    place_object_verbs: frozenset[str]
    area_suffixes: frozenset[str]
    wide_area_words: frozenset[str]
    name_preps: frozenset[str]
    war_town_preps: frozenset[str]
    calendar_names: frozenset[str]
    ended_act_nouns: frozenset[str]
    place_only_object_verbs: frozenset[str]
    place_of_nouns: frozenset[str]
    settlement_nouns: frozenset[str]
    patronymic_words: frozenset[str]
    county_words: frozenset[str]
    surrounds_words: frozenset[str]
    us_local_words: frozenset[str]
    quarter_words: frozenset[str]
    neighbourhood_words: frozenset[str]
    area_words: frozenset[str]
    # The Arabic article joining a place name's parts ("Daraa al-Balad"): the packaged list,
    # which keys the gazetteer too (``name_articles``; a user's file cannot change it).
    name_articles: frozenset[str]
    # An area's word ("Henry County", "Kafr Nabl district") the gazetteer does not hold.
    unlisted_area_words: frozenset[str]
    # Moved from code (issue 17): the places stage's, its resolver's and the toll reader's lists.
    bearing_words: frozenset[str]
    distance_units: frozenset[str]
    province_words: frozenset[str]
    admin_nouns: frozenset[str]
    us_local_pairs: frozenset[str]
    town_part_nouns: frozenset[str]
    running_toll_phrases: frozenset[str]
    # The events stage's first and last words of place names and first words of kunyas.
    toponym_heads: frozenset[str]
    toponym_tails: frozenset[str]
    kunya_words: frozenset[str]
    # Moved from code (issue 17): the events stage's, its modality reader's and the incidents
    # stage's lists.
    target_preps: frozenset[str]
    plover_target_preps: frozenset[str]
    blast_causing_verbs: frozenset[str]
    ending_verbs: frozenset[str]
    aiming_verbs: frozenset[str]
    claiming_verbs: frozenset[str]
    attribution_verbs: frozenset[str]
    aboard_preps: frozenset[str]
    rising_words: frozenset[str]
    added_count_words: frozenset[str]
    bare_death_words: frozenset[str]
    gunfire_nouns: frozenset[str]
    outlet_nouns: frozenset[str]
    long_act_nouns: frozenset[str]
    ongoing_states: frozenset[str]
    inquiry_preps: frozenset[str]
    span_preps: frozenset[str]
    setting_preps: frozenset[str]
    cause_phrases: frozenset[str]
    earlier_words: frozenset[str]
    purpose_preps: frozenset[str]
    fresh_words: frozenset[str]
    moment_marks: frozenset[str]
    # The words between a place and its container ("in eastern Hama", "north of Homs"): the
    # direction words and the compass bearings.
    directions: frozenset[str]
    # The words after a name that make it an area ("Idlib province"): province and admin nouns,
    # and the suffixes of first-level areas ("Kharkiv oblast").
    admin_words: frozenset[str]
    # ``us_local_pairs`` as runs of words, compared with a text's neighbouring words.
    us_local_phrases: frozenset[tuple[str, ...]]
    # A noun that is a place or a site ("the villages of X", "a hospital in Y").
    place_or_site_nouns: frozenset[str]
    tally_nouns: frozenset[str]
    # Unarmed people (the toll reader's civilian nouns): the subjects of a photo caption.
    civilian_nouns: frozenset[str]
    # The verb triggers of protests and riots: "protested over X" names a cause, not a venue.
    protest_verbs: frozenset[str]
    # PLOVER's INVESTIGATE verbs: "a mission to probe the gas attack" tells no attack anew.
    inquiry_verbs: frozenset[str]
    # PLOVER CONSULT verbs ("agreed to meet": talks agreed, no deal)
    consult_verbs: frozenset[str]
    # Verbs of killing or injuring that, conjoined, report one toll and share its place
    # (``pairs``; read by the event-to-place linker, ``sitreps.extract.locate``).
    paired_verbs: frozenset[str]

    @classmethod
    def of(cls, knowledge: Knowledge) -> EventLexicon:
        """The event lexicon of ``knowledge``.

        >>> EventLexicon.of(default_knowledge()).weapon_precedence[0]
        'Chemical weapon'
        """
        weapons = knowledge.triggers["weapon"]
        subs = knowledge.sub_event_types
        words = knowledge.words
        return cls(
            verb_triggers=knowledge.triggers["verb"],
            noun_triggers=knowledge.triggers["noun"],
            weapon_sub_types=weapons,
            refining_sub_types=knowledge.sub_types(refines=True),
            state_only_sub_types=knowledge.sub_types(state_only=True),
            weapon_precedence=tuple(sorted(
                (s.name for s in subs.values() if s.weapon_rank),
                key=lambda name: subs[name].weapon_rank or 0,
            )),
            air_words=frozenset(
                w for w, s in weapons.items() if s.sub_event_type == "Air/drone strike"
            ),
            shell_words=frozenset(
                w for w, s in weapons.items()
                if s.sub_event_type == "Shelling/artillery/missile attack"
            ),
            participle_verbs=knowledge.harm(participle=True),
            toll_verbs=knowledge.harm(toll=True),
            fighters_only_verbs=knowledge.harm(fighters_only=True),
            impact_verbs=knowledge.harm(impact=True),
            victim_subject_verbs=knowledge.harm(victim_subject=True),
            paired_verbs=knowledge.harm(pairs=True),
            unlisted_area_words=words["county_words"] | words["area_words"],
            name_articles=words["name_articles"],
            directions=words["direction_words"] | words["bearing_words"],
            admin_words=words["province_words"] | words["admin_nouns"]
            | words["admin1_suffixes"],
            us_local_phrases=frozenset(
                tuple(pair.split()) for pair in words["us_local_pairs"]
            ),
            place_or_site_nouns=words["locality_nouns"] | words["site_nouns"],
            tally_nouns=words["tally_nouns"],
            civilian_nouns=words["civilian_nouns"],
            protest_verbs=frozenset(
                w for w, s in knowledge.triggers["verb"].items()
                if s in (knowledge.sense("protest"), knowledge.sense("riot"))
            ),
            inquiry_verbs=frozenset(
                w for w, s in knowledge.triggers["plover_verb"].items()
                if s.plover_type == "INVESTIGATE"
            ),
            consult_verbs=frozenset(
                w for w, s in knowledge.triggers["plover_verb"].items()
                if s.plover_type == "CONSULT"
            ),
            agreement_nouns=frozenset(
                w for w, s in knowledge.triggers["noun"].items()
                if s == knowledge.sense("agreement")
            ),
            **{name: words[name] for name in READING_LEXICON_LIST_NAMES},
        )




# The lexicon of the run's package, for the readers the events stage calls (modality, the
# event-to-place linker) that sit below it in the import graph: set by the stage for the span
# of one call (``sitreps.extract.events.reading_with``), read at call time, never at import.
_READING: ContextVar[EventLexicon | None] = ContextVar("sitreps_event_lexicon", default=None)


@contextmanager
def reading_lexicon(lexicon: EventLexicon) -> Iterator[None]:
    """Within the block, :func:`current_lexicon` is ``lexicon``."""
    token = _READING.set(lexicon)
    try:
        yield
    finally:
        _READING.reset(token)


def current_lexicon() -> EventLexicon:
    """The lexicon of the run's package inside :func:`reading_lexicon`, else the built-in one.

    >>> "foil" in current_lexicon().foiling_verbs
    True
    """
    lexicon = _READING.get()
    return derived(EventLexicon.of) if lexicon is None else lexicon
