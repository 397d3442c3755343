"""Stage ``sitreps.incidents.v1``: the mentions of one incident in an article become one event.

A news story restates its incident: the headline, the lede, the toll, the monitor's quote and
the detail ("the bombers used a grenade") each yield an event *mention*. ACLED codes one event
per incident, so the factual mentions of an article that may describe the same incident are
grouped, and each group becomes one event whose sources are every sentence that states it.

Two factual mentions may be one incident when all of these hold:

- *kinds*: both are violence (battles, remote violence, violence against civilians), or both
  are demonstrations (protests, riots), or both have the same sub-event type; a territorial
  sub-type only groups with itself or with the armed clash it is a form of, and a sub-type
  marked ``apart`` (an abduction) only with itself;
- *place*: the same place, places within ``NEARBY_KM``, a province that holds the other's town,
  or one of them unplaced;
- *date*: their date windows (widened by ``time_precision``) lie within
  ``RESTATEMENT_DAYS`` of each other, or one is undated;
- *sides*: neither one's attacker is the other's target ("rebels shelled the town; the army
  bombed rebel positions" are two events), and their attackers are not a state's forces and an
  armed group it fights, each with a toll of its own ("rebel rockets killed three; regime
  strikes killed 12").

A mention whose sentence opens by moving on ("Elsewhere, ...", "In a separate attack, ...")
starts an incident of its own.

Groups are complete-link (a mention joins a group only if it may be the same incident as every
member), so one vague mention cannot chain two incidents together. A definite mention with no
toll and no place of its own ("the toll could rise ... in the attacks", "the attack was launched
hours after the truce") refers back: when its place keeps it from every incident, it joins the
latest one it may be, and the place its sentence lent it (a distance's reference point, a
capital named as a government) is dropped.

The group's event takes the most specific sub-event type stated, the actors most often named,
the most precise place, the date most sentences give, and *one* toll: the figure most of its
sentences state (the first on a tie), never a sum of restatements.
Background, hedged, negated and future mentions are kept as they are.
"""

from __future__ import annotations

import functools
import re
from calendar import monthrange
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from rapidfuzz import fuzz

from sitreps.extract import (
    DEFINITE_DETERMINERS,
    hyphened_participle,
    opener_end,
    opens_apart,
    written_with,
)
from sitreps.extract.casualties import (
    COUNT_QUALIFIERS,
    after_clause,
    measured_earlier_act,
    measured_gap,
    parse_count,
    states_number,
)
from sitreps.extract.dates import MONTHS, NIGHT, WEEKDAYS, resolve_date_text
from sitreps.extract.modality import BACKGROUND
from sitreps.geo.distance import haversine_km
from sitreps.geo.gazetteer import named_like_its_province, normalise_toponym, surrounds
from sitreps.geo.resolve import NEAR_PREFIX, is_unlisted, name_key
from sitreps.knowledge.actors import UNIDENTIFIED_ID_PREFIX
from sitreps.knowledge.event_lexicon import REMOTE, EventLexicon
from sitreps.knowledge.package import Knowledge, derived
from sitreps.merge import (
    DATE_SLACK_DAYS,
    NEARBY_KM,
    SAME_NAME_RATIO,
    merge_rules,
    two_spots_at_one_point,
)
from sitreps.records import (
    FACTUAL_MODALITIES,
    Actor,
    Analysis,
    Event,
    Fatalities,
    Place,
    Source,
)

STAGE = "sitreps.incidents.v1"


@dataclass(frozen=True, slots=True)
class IncidentKinds:
    """Which mentions' types may be one incident, from one knowledge package (ontology.toml and a
    user's knowledge files)."""

    violent: frozenset[str]
    demonstration: frozenset[str]
    territorial: frozenset[str]
    # Sub-event types that say least about what happened: any other stated type is preferred.
    generic: frozenset[str]
    # A sub-type and the one it is a form of (a territorial change and the clash it ended).
    compatible: frozenset[frozenset[str]]
    # The sub-types that others are forms of: with the form present, they say less.
    forms: frozenset[tuple[str, str]] = frozenset()
    # Words that name aircraft or air strikes, and the "bombing" words that alone do not.
    air_words: frozenset[str] = frozenset()
    bombing_words: frozenset[str] = frozenset()
    # Modifiers that make a definite act noun another incident ("the earlier attack").
    apart_modifiers: frozenset[str] = frozenset()
    # Words that tell an act as begun anew ("fresh air raids ... on Wednesday").
    fresh_words: frozenset[str] = frozenset()
    # Sentence openers that move on to another incident ("Elsewhere, ...").
    apart_openers: frozenset[str] = frozenset()
    # Words that set a place beside the scene ("the nearby town of Salamiyeh").
    nearby_words: frozenset[str] = frozenset()
    # Openers that turn to another strand ("Meanwhile, ...").
    turn_openers: frozenset[str] = frozenset()
    # Verbs of killing: a toll with no one named may be another source's count of the same.
    kill_verbs: frozenset[str] = frozenset()
    # Verbs of killing or injuring (the lexicon's harm verbs): "On Saturday four were wounded"
    # dates the harm, where "On Thursday the ministry condemned" dates only the words.
    harm_verbs: frozenset[str] = frozenset()
    # ACLED inter codes of a state's forces and of the armed groups that fight states.
    state_codes: frozenset[int] = frozenset()
    armed_group_codes: frozenset[int] = frozenset()
    # Participles that make an actor the holder of a place ("rebel-held", "army-controlled").
    held_words: frozenset[str] = frozenset()
    # Verbs of leaving a place: "families who tried to flee the terrorist-controlled
    # districts" names who holds what they left, not what was hit.
    leaving_verbs: frozenset[str] = frozenset()
    # Sub-types that restate only their own kind ("kidnapped" beside an assault is another act).
    apart: frozenset[str] = frozenset()
    # Sub-types that take people into custody ("arrested", "abducted").
    custody: frozenset[str] = frozenset()
    # Nouns of places and sites: "rocket attacks on another neighbourhood" set another scene.
    sites: frozenset[str] = frozenset()
    # Sub-types an act may leave behind ("five car bombs were destroyed"), told with no doer,
    # and the verbs of destroying that tell them.
    outcome: frozenset[str] = frozenset()
    destroying: frozenset[str] = frozenset()
    # Nouns that name an act ("airstrike", "bombing"): the noun triggers.
    act_nouns: frozenset[str] = frozenset()
    # Act nouns of one blow (a strike, a bombing, an attack), not of a fight or a campaign:
    # an act told "following the attack" came after it.
    blow_nouns: frozenset[str] = frozenset()
    # Nouns of settlements a text names a scene with ("the village of Taduf").
    settlements: frozenset[str] = frozenset()
    # Words that make an act noun another act, or a doer another doer ("other units").
    another_act_words: frozenset[str] = frozenset()
    likeness_words: frozenset[str] = frozenset()
    other_doer_words: frozenset[str] = frozenset()
    # Words of a count going up, as written ("the toll has risen to 20").
    rising_words: frozenset[str] = frozenset()
    # Words that add a count of dead to one told before ("three more").
    added_count_words: frozenset[str] = frozenset()
    # Lemmas of death that name no means ("killed", "died").
    bare_death_words: frozenset[str] = frozenset()
    # Modifiers of a stretch of time that runs up to the news ("the past 24 hours").
    span_modifiers: frozenset[str] = frozenset()
    # Weapons ("59 cruise missiles" counts weapons, not acts).
    weapon_words: frozenset[str] = frozenset()
    # Nouns that count people without a number ("a dozen", "hundreds"): no exact figure.
    counting_nouns: frozenset[str] = frozenset()
    # Sub-types that name a means of their own (``weapon_rank``), a rare payload any means may
    # carry (a gas attack) aside, and the pairs of them one act may be told as (a suicide
    # bombing as a car bomb, ``form_of``; shelling heard as air strikes, ``mistaken_for``).
    means: frozenset[str] = frozenset()
    means_told_alike: frozenset[frozenset[str]] = frozenset()

    @classmethod
    def of(cls, knowledge: Knowledge) -> IncidentKinds:
        """The incident kinds of ``knowledge``."""
        lexicon = derived(EventLexicon.of, knowledge)  # the events stage's, built once
        rules = merge_rules(knowledge)
        return cls(
            violent=knowledge.event_types_in("violence"),
            demonstration=knowledge.event_types_in("demonstration"),
            territorial=knowledge.sub_types(territorial=True),
            generic=knowledge.sub_types(generic=True),
            compatible=rules.compatible,
            forms=frozenset(
                (sub.name, sub.form_of)
                for sub in knowledge.sub_event_types.values() if sub.form_of
            ),
            air_words=lexicon.air_words,
            bombing_words=lexicon.bombardment_nouns,
            apart_modifiers=lexicon.apart_modifiers,
            fresh_words=lexicon.fresh_words,
            apart_openers=lexicon.apart_openers,
            nearby_words=lexicon.nearby_words,
            turn_openers=lexicon.turn_openers,
            kill_verbs=frozenset(
                lemma for lemma, sense in lexicon.verb_triggers.items() if sense.kind == "kill"
            ),
            harm_verbs=knowledge.harm(),
            state_codes=knowledge.inter_codes(state=True),
            armed_group_codes=knowledge.inter_codes(non_state=True),
            held_words=knowledge.words["held_words"],
            leaving_verbs=knowledge.words["leaving_verbs"],
            apart=knowledge.sub_types(apart=True),
            custody=knowledge.sub_types(custody=True),
            sites=lexicon.place_or_site_nouns,
            outcome=knowledge.sub_types(outcome=True),
            destroying=lexicon.damage_verbs,
            act_nouns=frozenset(lexicon.noun_triggers),
            # a strike, a shell, a bomb or an attack on people: one blow
            blow_nouns=frozenset(
                lemma for lemma, sense in lexicon.noun_triggers.items()
                if (sense.event_type == REMOTE or sense.sub_event_type == "Attack")
                and " " not in lemma
            ) - lexicon.long_act_nouns - {"assault"},
            settlements=lexicon.settlement_nouns,
            another_act_words=lexicon.another_act_words,
            likeness_words=lexicon.likeness_words,
            other_doer_words=lexicon.other_doer_words,
            rising_words=lexicon.rising_words,
            added_count_words=lexicon.added_count_words,
            bare_death_words=lexicon.bare_death_words,
            span_modifiers=lexicon.span_modifiers,
            weapon_words=lexicon.weapon_objects,
            counting_nouns=knowledge.words["counting_nouns"],
            means=rules.means - rules.rare,
            means_told_alike=rules.compatible | rules.mistaken,
        )


def incident_kinds(knowledge: Knowledge | None = None) -> IncidentKinds:
    """The incident kinds of ``knowledge`` (the built-in package when ``None``), built once."""
    return derived(IncidentKinds.of, knowledge)


# The built-in package's kinds, under their historical names.
BUILTIN_KINDS = incident_kinds()
VIOLENT_TYPES = BUILTIN_KINDS.violent
DEMONSTRATION_TYPES = BUILTIN_KINDS.demonstration
TERRITORIAL_SUB_TYPES = BUILTIN_KINDS.territorial
GENERIC_SUB_TYPES = BUILTIN_KINDS.generic
# One article restates an incident with dates a day or two apart: the night it began, the day
# the toll rose, the day the outlet filed. Across articles the merge keeps exact windows.
RESTATEMENT_DAYS = 2
# Two sentences that each state their day tell one incident only a night apart at most (it
# began late on one day and was counted on the next).
STATED_DAYS_APART = 1
# A confidence gain per further sentence that states the incident, and the ceiling.
RESTATEMENT_BONUS = 0.05
MAX_CONFIDENCE = 0.95


def group_incidents(analysis: Analysis, config: Mapping[str, Any] | None = None) -> Analysis:
    """Fold the factual mentions of each incident into one event.

    Args:
        analysis: an article whose ``events`` are sentence-level mentions.
        config: ``knowledge``, the run's package (the built-in one when absent or ``None``);
            its ontology says which types may be one incident.

    Returns:
        A copy of ``analysis`` whose factual events are one per incident, in text order, each
        with every source sentence; other events unchanged.
    """
    kinds = incident_kinds((config or {}).get("knowledge"))
    places = {place.id: place for place in analysis.places}
    actors = {actor.id: actor for actor in analysis.actors}
    tallied = _told_of_a_tally(analysis, kinds)
    events = [
        replace(e, modality=BACKGROUND, event_date=None, time_precision=3) if e.id in tallied
        else e
        for e in analysis.events
    ]
    events = _continued_from_before(analysis, events, places, kinds)
    factual = _taken_then_killed(analysis, _typed_as_compared(
        analysis, [e for e in events if e.modality in FACTUAL_MODALITIES], kinds
    ), kinds)
    others = [e for e in events if e.modality not in FACTUAL_MODALITIES]
    holders = _target_holders(analysis, factual, kinds)
    additional = _additional_acts(analysis, factual)
    corefer, named_again = _same_targets(analysis, factual)
    also = _also_told(analysis, factual, kinds)
    # "Four were also killed during rebel fire" after 27 dead in raids: "also" with a means of
    # its own brings in an act, as an indefinite noun does
    new_acts = _new_acts(analysis, factual) | {
        e.id for e in factual
        if e.id in also and any(n.dep_ == "pobj" for n in _act_nouns(e, analysis.doc))
    }
    left = _left_behind(analysis, factual, kinds)
    earlier = _acts_told_before(analysis, factual)
    earlier = earlier - _moments_before(analysis, factual, earlier)
    scenes = _named_scenes(analysis, factual, kinds)
    villages = _told_villages(analysis, factual)
    openers = _opening_on_their_day(analysis, factual, kinds)
    anew = _told_anew(analysis, factual, kinds)
    round_ups = _scene_round_ups(factual, scenes, _counts_of_hours(analysis, factual, kinds))
    bare = _bare_deaths(analysis, factual, kinds) | _added_dead(analysis, factual, kinds)
    parts = _toll_parts(analysis, factual, kinds)
    round_ups = round_ups | _totals_of_parts(factual, parts)
    factual = [replace(e, fatalities=None) if e.id in round_ups else e for e in factual]
    borrowed = _borrowed_places(analysis, factual)
    cities = _called_cities(analysis, factual)
    one_town = _one_unnamed_town(analysis, factual, kinds)
    groups: list[list[Event]] = []
    for event in sorted(factual, key=_start):
        # "Elsewhere, eight were killed": a new incident, unless its noun points back
        moved_on = (
            moves_on(event, kinds)
            or _beside_the_scene(event, analysis, kinds)
            or _at_another_place(event, analysis, kinds)
            or _turns_to_another_strand(event, analysis, kinds)
            or _by_other_units(event, analysis, kinds)
            or _another_act(event, analysis, kinds)
            or _for_its_part(event, analysis)
            or _after_the_blow(event, analysis, kinds)
        ) and not refers_back(event, analysis, kinds, placed_here=_placed_here(event, borrowed))
        # a mention whose target names one told before ("the pilot") tries that one's incident
        partners = _chained(event.id, named_again)
        # a definite noun for an incident told already ("The strikes killed five") points to
        # the latest one of its own type it may be, as the fallback below does
        latest_first = bool(groups) and refers_back(
            event, analysis, kinds, placed_here=_placed_here(event, borrowed)
        )
        ordered = sorted(
            reversed(groups) if latest_first else groups,
            key=lambda g: (
                not any(m.id in partners for m in g),
                latest_first and all(m.event_type != event.event_type for m in g),
            ),
        )
        for group in [] if moved_on else ordered:
            if all(
                same_incident(
                    event, member, places, kinds, actors, holders, additional, earlier,
                    new_acts, corefer, also, left, scenes, bare, parts, villages, openers,
                    anew,
                )
                for member in group
            ):
                group.append(event)
                break
        else:
            target = None
            if groups and refers_back(
                event, analysis, kinds, placed_here=_placed_here(event, borrowed)
            ):
                unplaced = replace(event, place_id=None, geo_precision=None)
                # "The bombardment hit the town" points back to the shelling told before, not
                # to the execution told after it: the latest incident of its own type first
                target = next(
                    (group for group in sorted(
                        reversed(groups),
                        key=lambda g: all(m.event_type != event.event_type for m in g),
                    )
                     if all(
                         same_incident(
                             unplaced, member, places, kinds, actors, holders, additional,
                             earlier, new_acts, corefer, also, left, scenes, bare, parts,
                             villages, openers, anew,
                         )
                         for member in group
                     )),
                    None,
                )
            if target is None:
                groups.append([event])
            else:
                # "the blast took place outside the town of X": a town that only narrows
                # where the incident's province was told keeps its place
                narrows = _narrows_the_place(event, target, borrowed, places)
                target.append(event if narrows else unplaced)
    # "Another strike targeted a settlement" after the coalition's strike: the same doer
    more_of_a_kind = also | {
        e.id for e in factual
        if _another_of_its_kind(e, analysis, kinds) and not _names_an_actor(e, analysis)
    }
    incidents = _doers_carried_on(_parts_of_round_ups(groups, borrowed, [
        combine(group, analysis.article.published, kinds, borrowed, places, cities, one_town)
        for group in groups
    ]), frozenset(more_of_a_kind), analysis.doc, kinds, actors)
    incidents = _other_acts_elsewhere(
        groups, incidents, borrowed, frozenset(
            e.id for e in factual if _another_act(e, analysis, kinds)
        ), places,
    )
    # A stable sort: the events of one sentence keep the order the events stage gave them.
    return replace(analysis, events=tuple(sorted(incidents + others, key=_start)))


def _typed_as_compared(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> list[Event]:
    """The mentions in text order, a generic act told as like the one before ("a similar
    attack on al-Zahraa" after rocket fire on al-Midan) typed as that act: rocket fire too."""
    doc = analysis.doc
    out: list[Event] = []
    previous: Event | None = None
    for event in sorted(events, key=_start):
        if doc is not None and previous is not None and event.sub_event_type in kinds.generic and (
            event.event_type in kinds.violent
        ) and any(
            c.dep_ == "amod" and c.lower_ in kinds.likeness_words
            for noun in _act_nouns(event, doc) for c in noun.children
        ):
            event = replace(
                event, event_type=previous.event_type, sub_event_type=previous.sub_event_type,
                plover_type=previous.plover_type,
            )
        if event.event_type in kinds.violent and event.sub_event_type not in kinds.generic:
            previous = event
        out.append(event)
    return out


def _taken_then_killed(
    analysis: Analysis, events: list[Event], kinds: IncidentKinds
) -> list[Event]:
    """The mentions, an arrest or abduction told as a step to a killing of the same people
    ("Some were arrested, tried and killed", "abducted and beheaded two aid workers") typed as
    that killing: one act, as ACLED codes it. "Killed three and kidnapped five" tells two."""
    doc = analysis.doc
    if doc is None:
        return events
    killings = {
        token.i: event for event in events
        if event.event_type in kinds.violent and event.sub_event_type not in kinds.custody
        for token in _trigger_tokens(event, doc) if token.pos_ == "VERB"
    }
    out = []
    for event in events:
        killing = None
        if event.sub_event_type in kinds.custody:
            killing = next((
                killings[later.i] for token in _trigger_tokens(event, doc)
                if token.pos_ == "VERB" for later in _steps_after(token)
                if later.i in killings
            ), None)
        if killing is not None:
            event = replace(
                event, event_type=killing.event_type, sub_event_type=killing.sub_event_type,
                plover_type=killing.plover_type,
            )
        out.append(event)
    return out


def _steps_after(verb: Any) -> list:
    """The verbs coordinated after ``verb``, also through a participle clause ("were arrested,
    tried and killed", the parser hanging "tried and killed" on "arrested")."""
    clauses = [verb, *(c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBN")]
    return [
        later for clause in clauses for later in (clause, *clause.conjuncts)
        if later.i > verb.i and later.pos_ == "VERB"
    ]


def _another_of_its_kind(event: Event, analysis: Analysis, kinds: IncidentKinds) -> bool:
    """True for a mention whose act noun is "another" one ("Another strike targeted a
    settlement", "Another shell landed near a school", "other shells hit al-Mazzeh"), with or
    without a day or toll."""
    return any(
        c.dep_ in ("det", "amod") and c.lower_ in kinds.another_act_words - {"separate"}
        for noun in _act_nouns(event, analysis.doc) for c in noun.children
    )


# Pronouns a partitive toll counts from: "six of them", "three of those".
_PARTITIVE_OF = frozenset({"them", "those", "these", "whom"})


def _is_toll_part(noun: Any) -> bool:
    """True for a count told as a part of dead already counted: "six of them", "another
    three", "seven others", "the other four"."""
    counted = noun.like_num or any(c.dep_ == "nummod" for c in noun.children)
    if not counted:
        return False
    if noun.lower_ == "others":
        return True
    return any(
        c.dep_ in ("det", "amod") and c.lower_ in ("another", "other", "remaining")
        or c.dep_ == "prep" and c.lower_ == "of"
        and any(o.dep_ == "pobj" and o.lower_ in _PARTITIVE_OF for o in c.children)
        for c in noun.children
    )


def _toll_parts(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of violent mentions whose dead are a part of a total told before ("At least eight
    were killed in Rastan. Five of them died in air strikes ... Another three were killed in
    shelling"): the parts of other kinds are other incidents."""
    found = set()
    for event in events:
        if event.fatalities is None or event.event_type not in kinds.violent:
            continue
        for token in _trigger_tokens(event, analysis.doc):
            verb = token
            for _ in range(3):
                if verb.pos_ == "VERB" or verb.head.i == verb.i:
                    break
                verb = verb.head
            if verb.pos_ == "VERB" and any(
                c.dep_ in ("nsubj", "nsubjpass", "dobj") and _is_toll_part(c)
                for c in verb.children
            ):
                found.add(event.id)
    return frozenset(found)


def _totals_of_parts(events: Sequence[Event], parts: frozenset[str]) -> set[str]:
    """Ids of tolls that only sum parts told after them in other kinds: the parts carry the
    dead, so the total is no toll of its own (it would count them twice)."""
    told = [e for e in events if e.id in parts and e.fatalities is not None]
    if len({e.sub_event_type for e in told}) < 2:
        return set()
    first = min(_start(e) for e in told)
    summed = sum(e.fatalities.best for e in told)
    return {
        e.id for e in events
        if e.id not in parts and e.fatalities is not None and _start(e) < first
        and e.fatalities.best == summed
    }


def _names_an_actor(event: Event, analysis: Analysis) -> bool:
    """True when the mention's sentence names an actor of its own ("Another shelling took place
    in al-Baath, where Nusra Front terrorists opened fire"): no doer is carried to it."""
    if not event.sources:
        return False
    source = event.sources[0]
    return any(
        m.label == "ACTOR" and m.entity_id and source.start <= m.start < source.end
        for m in analysis.mentions
    )


def _other_acts_elsewhere(
    groups: list[list[Event]],
    incidents: list[Event],
    borrowed: frozenset[str],
    another: frozenset[str],
    places: Mapping[str, Place],
) -> list[Event]:
    """The incidents, "another" act whose sentence names no place of its own ("Another strike
    targeted a settlement in the province's east") moved off the town of an incident told
    before it, to that town's province where the article names it: it was somewhere else."""
    out = list(incidents)
    for i, (group, incident) in enumerate(zip(groups, incidents, strict=True)):
        town = places.get(incident.place_id or "")
        if town is None or town.geo_precision > 2 or not all(
            e.id in borrowed and e.id in another for e in group
        ):
            continue
        if not any(other.place_id == town.id for other in out[:i]):
            continue
        province = next((
            p for p in places.values()
            if p.id.startswith("admin1:") and p.country == town.country
            and p.admin1 == town.admin1
        ), None)
        out[i] = replace(
            incident, place_id=province.id if province else None,
            geo_precision=province.geo_precision if province else None,
        )
    return out


def _parts_of_round_ups(
    groups: list[list[Event]], borrowed: frozenset[str], incidents: list[Event]
) -> list[Event]:
    """The incidents, one whose toll sums its own part and the tolls of the incidents of its
    kind told after it ("12 civilians were killed in coalition strikes ... the strikes hit Al
    Bukamal, killing five ... Another strike killed seven") keeping only its part: the later
    incidents carry the rest, and the total would count them twice."""
    out = list(incidents)
    for i, (group, incident) in enumerate(zip(groups, incidents, strict=True)):
        total = incident.fatalities
        if total is None or total.low != total.high:
            continue
        first = min(_start(e) for e in group)
        later = [
            other for other in incidents[i + 1:]
            if other.fatalities is not None and other.event_type == incident.event_type
            and _start(other) > first and other.fatalities.low < total.low
        ]
        if not later:
            continue
        rest = sum(other.fatalities.low for other in later)
        next_told = min(_start(other) for other in later)
        # the part is told before the acts after it: "the Media Center said four were killed"
        # after another town's three is a second count of that town's dead, no part
        part = next((
            e for e in group
            if e.fatalities is not None and e.fatalities.low == e.fatalities.high
            and 0 < e.fatalities.low < total.low and _start(e) < next_told
            and e.fatalities.low + rest == total.low
        ), None)
        if part is not None:
            # the incident is its part's: at the part's place when its sentence names one
            where = part if part.place_id and part.id not in borrowed else incident
            out[i] = replace(
                incident, fatalities=part.fatalities, place_id=where.place_id,
                geo_precision=where.geo_precision,
            )
    return out


def _doers_carried_on(
    incidents: list[Event], also: frozenset[str], doc: Any = None,
    kinds: IncidentKinds = BUILTIN_KINDS, actors: Mapping[str, Actor] | None = None,
) -> list[Event]:
    """Give an incident told with "also" (or as "another" act) and no doer the doer of the
    incident of its kind told just before: "Regime jets bombed Talbiseh ... Airstrikes also
    targeted the nearby towns of Rastan and Ter Maaleh": the same jets, at other places. A
    bare death so told ("Three people were also killed in another town") is more of that act,
    and takes its kind as well."""
    out = []
    previous: Event | None = None
    for incident in sorted(incidents, key=_start):
        if incident.actor1 is None and incident.id in also and previous is not None and (
            previous.sub_event_type == incident.sub_event_type
        ):
            incident = replace(
                incident, actor1=previous.actor1, assoc_actor_1=previous.assoc_actor_1
            )
        elif incident.actor1 is None and incident.id in also and previous is not None and (
            _more_of_the_act(incident, previous, doc, kinds, actors or {})
        ):
            incident = replace(
                incident, event_type=previous.event_type,
                sub_event_type=previous.sub_event_type, plover_type=previous.plover_type,
                actor1=previous.actor1, assoc_actor_1=previous.assoc_actor_1,
            )
        out.append(incident)
        previous = incident
    return out


def _more_of_the_act(
    incident: Event, previous: Event, doc: Any, kinds: IncidentKinds,
    actors: Mapping[str, Actor],
) -> bool:
    """True for a death that names no means and no doer ("were also killed"), told after a
    violent act of a stated kind, whose victims are no armed side (soldiers "also killed"
    after the army's strike died at someone else's hands)."""
    words = _trigger_tokens(incident, doc)
    victims = actors.get(incident.actor2 or "")
    return (
        incident.sub_event_type in kinds.generic
        and incident.event_type in kinds.violent
        and previous.event_type in kinds.violent
        and previous.sub_event_type not in kinds.generic
        and bool(words)
        and all(w.lemma_.lower() in kinds.bare_death_words for w in words)
        and (victims is None or victims.inter_code not in (
            kinds.state_codes | kinds.armed_group_codes
        ))
    )


def refers_back(
    event: Event, analysis: Analysis, kinds: IncidentKinds = BUILTIN_KINDS,
    *, placed_here: bool = True,
) -> bool:
    """True when a mention is a definite noun for an incident the article has told already.

    "The toll could rise because many were seriously wounded in the attacks": no toll, no actor,
    no date and no place of its own, the noun names the incident of the lede. A noun with its
    own place ("the attack on Tel Abyad"), date ("the December attack") or a word that sets it
    apart ("the earlier attack") is not a restatement by its words alone. A toll sets it apart
    only where its sentence names a place (``placed_here``): "The attack killed 32 rebels",
    after the blast at a border crossing, updates that blast's count.
    """
    if event.actor1 is not None or not event.sources:
        return False
    if event.fatalities is not None and placed_here:
        return False
    noun = _trigger_noun(event, analysis.doc)
    if noun is None:
        return False
    day = _owning_day(noun)
    if day is None and not _definite_after(noun, _opener_end(event, kinds)):
        return False
    owner = set() if day is None else {t.i for t in day.subtree}
    span = analysis.doc[noun.left_edge.i : noun.right_edge.i + 1]
    if any(
        token.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME") and token.i not in owner
        and not _sided_with(token)
        for token in span
    ):
        return False
    if any(token.lower_ in kinds.apart_modifiers or token.like_num for token in span):
        return False
    return not any(
        mention.label == "PLACE" and span.start_char <= mention.start < span.end_char
        for mention in analysis.mentions
    )


def _sided_with(token: Any) -> bool:
    """True for a place named as a side ("pro-Damascus media", "anti-Assad"): no scene."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and (
        doc[token.i - 2].lower_ in ("pro", "anti")
    )


def _owning_day(noun: Any) -> Any:
    """The day that owns an act noun ("Monday's twin bombings", "Mondays" with its apostrophe
    lost, "yesterday's raid"), else ``None``: a dated reference back, to the incident told of
    that day."""
    for child in noun.children:
        word = child.lower_.removesuffix("s") if child.lower_.endswith("days") else child.lower_
        if child.dep_ in ("poss", "nmod", "compound") and word in _DAY_OWNERS:
            return child
    return None


_DAY_OWNERS = frozenset(WEEKDAYS) | {"yesterday", "today"}


def moves_on(event: Event, kinds: IncidentKinds = BUILTIN_KINDS) -> bool:
    """True when a mention's sentence opens by moving on to another incident ("Elsewhere in
    the country, ...", "In a separate attack, ...")."""
    return bool(event.sources) and opens_apart(event.sources[0].sentence, kinds.apart_openers)


def _turns_to_another_strand(event: Event, analysis: Analysis, kinds: IncidentKinds) -> bool:
    """True for a mention whose sentence opens "Meanwhile" with an act noun that is not
    definite ("Meanwhile the regime was accused of bombing Daraya"; "meanwhile the Coalition
    said the attack killed 100" still restates the attack, and so may a toll no one is named
    for)."""
    if not event.sources or not opens_apart(event.sources[0].sentence, kinds.turn_openers):
        return False
    if event.actor1 is None and any(
        t.lemma_.lower() in kinds.kill_verbs for t in _trigger_tokens(event, analysis.doc)
    ):
        return False  # "Meanwhile the media center said dozens had been killed": a count
    noun = _trigger_noun(event, analysis.doc)
    return noun is None or not _definite_after(noun, _opener_end(event, kinds))


def _opener_end(event: Event, kinds: IncidentKinds) -> int:
    """The character offset where a mention's sentence's turn opener ends (0 for none)."""
    if not event.sources:
        return 0
    end = opener_end(event.sources[0].sentence, kinds.turn_openers)
    return event.sources[0].start + end if end else 0


def _definite_after(noun: Any, start: int) -> bool:
    """True for a noun made definite by a word after ``start`` ("In the south rockets set
    ...", parsed as one phrase with its comma lost, is no "the rockets")."""
    return any(
        child.dep_ in ("det", "poss") and child.lower_ in DEFINITE_DETERMINERS
        and child.idx >= start
        for child in noun.children
    )


def _by_other_units(event: Event, analysis: Analysis, kinds: IncidentKinds) -> bool:
    """True for a mention whose doer is "another" or "other" of its kind ("Another army unit
    clashed with militants", "Other units eliminated terrorists trying to infiltrate"): a
    round-up moving on to another act, not a restatement of the one told. The subject of a
    death ("six other members also died") is among the victims, not a doer."""
    for token in _trigger_tokens(event, analysis.doc):
        if token.lemma_.lower() == "die" or any(
            c.dep_ in ("nsubjpass", "auxpass") for c in token.children
        ):
            continue
        verb = token
        # "Another unit eliminated terrorists and destroyed their hideouts": a verb joined to
        # another shares its subject
        while verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in verb.children):
            verb = verb.head
        doers = [c for c in verb.children if c.dep_ == "nsubj"]
        doers += [
            g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
        ]
        if any(
            c.lower_ in kinds.other_doer_words and c.dep_ in ("det", "amod", "compound", "nmod")
            for doer in doers for c in doer.children
        ):
            return True
    return False


def _another_act(event: Event, analysis: Analysis, kinds: IncidentKinds) -> bool:
    """True for a mention whose act noun is "another" of its kind ("Another air raid, this time in
    daylight, struck a village further north"): one more act, though its toll may match
    the one told. "Another 120 soldiers were killed" counts more dead of the same act: only
    nouns that name an act count, and only for an act told with its own day or toll: "minutes
    afterwards another explosion went off" is one more blast of the attack told."""
    if event.time_precision != 1 and event.fatalities is None:
        return False
    acts = [
        noun for noun in _act_nouns(event, analysis.doc)
        if noun.lemma_.lower() in kinds.act_nouns or noun.lower_ in kinds.act_nouns
    ]
    doc = analysis.doc
    if any(
        doc[i].lower_ in ("this", "that", "same") and doc[i].dep_ in ("det", "amod")
        and doc[i].head.i not in {n.i for n in acts} and doc[i].head.lower_ != "one"
        for token in _trigger_tokens(event, doc) for i in _act_phrase(token)
    ):
        return False  # "another attack against this stronghold": one more blow at one scene
        # ("another airstrike, this one during the day": "this one" is the airstrike itself)
    # "five separate air raids" are apart from each other, not from the act told; an act told
    # as like one before on a day of its own ("On Wednesday nine were killed in similar
    # attacks") is another act of its kind ("two more in a similar attack on Midan", undated,
    # may break a lede's toll down)
    apart = kinds.another_act_words | (
        kinds.likeness_words if event.time_precision == 1 else frozenset()
    )
    return any(
        c.dep_ in ("det", "amod") and c.lower_ in apart
        and not (c.lower_ == "separate" and noun.tag_ in ("NNS", "NNPS"))
        for noun in acts for c in noun.children
    )


def _after_the_blow(event: Event, analysis: Analysis, kinds: IncidentKinds) -> bool:
    """True for an act told as coming after a blow already told ("jets kept striking the town
    following the attack", "shelled the area after the bombing"): a later act, not
    the blow itself. A fight or a campaign it followed ("took the town after the battle") may
    be how it was done, so only the nouns of one blow count."""
    doc = analysis.doc
    for token in _trigger_tokens(event, doc):
        holders = [token] + ([token.head] if token.dep_ in ("dobj", "nsubj", "nsubjpass") else [])
        for holder in holders:
            for prep in holder.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("after", "following") or any(
                    c.dep_ == "npadvmod" for c in prep.children
                ):
                    continue  # "a day after the execution" is measured: _acts_told_before
                if any(
                    noun.dep_ == "pobj" and noun.lemma_.lower() in kinds.blow_nouns
                    and any(
                        c.dep_ in ("det", "poss") and c.lower_ in ("the", "that", "this", "its")
                        for c in noun.children
                    )
                    for noun in prep.children
                ):
                    return True
    return False


def _for_its_part(event: Event, analysis: Analysis) -> bool:
    """True for a mention whose doer acts "for its part" ("The troops for their part ambushed
    several gunmen on the highway"): the phrase sets this act beside the one told, as the
    doer's own contribution, so it restates nothing."""
    for token in _trigger_tokens(event, analysis.doc):
        verb = token if token.pos_ in ("VERB", "AUX") else token.head
        holders = [verb, *(c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))]
        if any(
            prep.dep_ == "prep" and prep.lower_ == "for"
            and any(
                part.lemma_.lower() == "part" and any(c.dep_ == "poss" for c in part.children)
                for part in prep.children if part.dep_ == "pobj"
            )
            for holder in holders for prep in holder.children
        ):
            return True
    return False


def _beside_the_scene(event: Event, analysis: Analysis, kinds: IncidentKinds) -> bool:
    """True when a mention is placed at a town its sentence sets beside the scene told ("two
    were wounded in shelling on the nearby town of Salamiyeh"): another scene."""
    for span in _own_place_spans(event, analysis):
        before = analysis.doc[max(span.sent.start, span.start - 4) : span.start]
        if any(token.lower_ in kinds.nearby_words for token in before):
            return True
    return False


def _at_another_place(event: Event, analysis: Analysis, kinds: IncidentKinds) -> bool:
    """True when a mention's act befell "another" place or thing ("rocket attacks on another
    neighbourhood killed one", "shelling hit another village"): a second scene, not the one
    told."""
    if analysis.doc is None or not event.sources:
        return False
    nouns = list(_act_targets(event, analysis.doc))
    for token in _trigger_tokens(event, analysis.doc):
        for act in [token, *_act_nouns(event, analysis.doc)]:
            nouns += [
                o for p in act.children if p.dep_ == "prep" and p.lower_ in ("on", "in", "at")
                for o in p.children if o.dep_ == "pobj"
            ]
    # places and sites only: "another 120 soldiers were killed" counts more dead of the same
    return any(
        noun.lower_ in kinds.sites and any(c.dep_ == "det" and c.lower_ == "another"
                                     for c in noun.children)
        for noun in nouns
    )


def _trigger_noun(event: Event, doc: Any) -> Any:
    """The noun of a mention's trigger in its first sentence, or ``None``."""
    return next((t for t in _trigger_tokens(event, doc) if t.pos_ in ("NOUN", "PROPN")), None)


def _trigger_tokens(event: Event, doc: Any) -> list:
    """The tokens of a mention's first sentence that read as its trigger's last word."""
    sentence = _first_sentence(event, doc) if event.trigger else None
    if sentence is None:
        return []
    last = event.trigger.split()[-1].lower()
    return [token for token in sentence if token.lower_ == last]


def _first_sentence(event: Event, doc: Any) -> Any:
    """The span of a mention's first source sentence, or ``None``."""
    if doc is None or not event.sources:
        return None
    source = event.sources[0]
    return doc.char_span(source.start, source.end, alignment_mode="expand")


def _start(event: Event) -> int:
    return event.sources[0].start if event.sources else 0


def _position(event: Event) -> tuple[int, str]:
    return (_start(event), event.id)


def same_incident(
    a: Event,
    b: Event,
    places: Mapping[str, Place],
    kinds: IncidentKinds = BUILTIN_KINDS,
    actors: Mapping[str, Actor] | None = None,
    holders: Mapping[str, frozenset[str]] | None = None,
    additional: frozenset[str] = frozenset(),
    earlier: frozenset[str] = frozenset(),
    new_acts: frozenset[str] = frozenset(),
    corefer: frozenset[frozenset[str]] = frozenset(),
    also: frozenset[str] = frozenset(),
    left: frozenset[str] = frozenset(),
    scenes: Mapping[str, frozenset[str]] | None = None,
    bare_deaths: frozenset[str] = frozenset(),
    parts: frozenset[str] = frozenset(),
    villages: frozenset[str] = frozenset(),
    openers: frozenset[str] = frozenset(),
    anew: frozenset[str] = frozenset(),
) -> bool:
    """True when two factual mentions of one article may describe one incident.

    ``holders``: by event id, the actors that hold the places its sentence says were hit
    (:func:`_target_holders`); ``additional``: the ids of acts told as another ("regime forces
    also pounded two towns", :func:`_additional_acts`), which join no incident told before
    them and placed elsewhere;
    ``earlier``: the ids of acts an "after" clause tells (:func:`_acts_told_before`), which
    are never the act of their own sentence that came after them; ``new_acts``: the ids of
    acts an indefinite noun brings in with a toll (:func:`_new_acts`), which restate no
    incident whose toll is far from theirs; ``corefer``: pairs of ids whose acts befell one
    thing (:func:`_same_targets`), one place whatever places their sentences name; ``also``:
    the ids of acts told with "also" (:func:`_also_told`), which restate no act of another
    specific kind; ``left``: the ids of destructions told with no doer
    (:func:`_left_behind`), which are what a violent act beside them left; ``scenes``: by
    event id, the settlements a mention's sentence names ("the village of Taduf",
    :func:`_named_scenes`), of which two mentions told apart must share one; ``bare_deaths``:
    the ids of deaths told with no act noun ("a commander had been killed",
    :func:`_bare_deaths`), which may be among a new act's dead whatever its toll; ``parts``:
    the ids of tolls told as a part of a total (:func:`_toll_parts`), which are one incident
    only when they are of one kind; ``villages``: the ids of acts whose scene is told as a
    village (:func:`_told_villages`), which lies in no town; ``openers``: the ids of acts
    whose clause opens on their own day (:func:`_opening_on_their_day`); ``anew``: the ids of
    acts told as begun anew (:func:`_told_anew`), another day's act on another day.
    """
    if (a.id in earlier) != (b.id in earlier) and a.sources and b.sources and (
        a.sources[0].start == b.sources[0].start
    ):
        return False
    if max(a, b, key=_position).id in additional and not _one_place(
        places.get(a.place_id or ""), places.get(b.place_id or "")
    ):
        # the act told as another joins no incident told before it at another place; a
        # sentence after it may tell it again ("Rebels also fired rockets into Latakia ...
        # Rockets struck close to the Hmeimim airport")
        return False
    if (a.id in also or b.id in also) and a.sub_event_type != b.sub_event_type and not (
        {a.sub_event_type, b.sub_event_type} & kinds.generic
    ):
        return False  # "Artillery shelling was also reported" after air strikes: a second act
    if (a.id in also or b.id in also) and a.actor1 and b.actor1 and a.actor1 != b.actor1:
        return False  # "Also the Turkish army killed 25 YPG fighters" after the rebels' advance
    told_also = a if a.id in also else b if b.id in also else None
    other = b if told_also is a else a
    if (
        told_also is not None and told_also.sub_event_type != other.sub_event_type
        and told_also.actor1 and not told_also.actor1.startswith(UNIDENTIFIED_ID_PREFIX)
        and not other.actor1
    ):
        # "IS militants died in fighting ... the coalition had also carried out raids
        # nearby": a doer named only by the act told "also" did another act
        return False
    if a.id in also and b.id in also and _two_settlements(
        places.get(a.place_id or ""), places.get(b.place_id or "")
    ):
        # a round-up's items: "terrorists were also targeted in al-Bukamal city" / "hideouts
        # were also destroyed in al-Mreiiyeh village": each "also" adds an act at its own town
        return False
    if _also_on_another_day(a, b, also) or _also_on_another_day(b, a, also):
        return False  # "Twenty-six civilians were also killed yesterday" after today's bombing
    if a.id in parts and b.id in parts and a.sub_event_type != b.sub_event_type:
        return False  # "Five of them died in air strikes ... Another three in shelling"
    if scenes and _other_scenes(a, b, scenes) and frozenset((a.id, b.id)) not in corefer:
        return False  # "killed in the village of Taduf" / "struck the village of Daret Izza"
    if (_village_beside_a_town(a, b, villages, places)
            or _village_beside_a_town(b, a, villages, places)) and (
        frozenset((a.id, b.id)) not in corefer and a.id not in left and b.id not in left
    ):
        return False  # "an attack on the village of Kafr Naha" / "jets bombed Aleppo"
    later = max(a, b, key=_position)
    if (a.id in new_acts or b.id in new_acts) and _far_tolls(a, b) and (
        later.id not in bare_deaths
    ):
        # "A mortar shell fired on the camp killed a child" after 13 market dead; a death told
        # with no act noun of its own after a new act ("A suicide blast left 45 dead ... a
        # commander had been killed") is one of its dead
        return False
    # "Five VBIEDs were destroyed" after the air strikes that hit them
    outcome = (a.id in left and b.event_type in kinds.violent) or (
        b.id in left and a.event_type in kinds.violent
    )
    # "43 killed by regime shelling in a town near the capital" / "the regime killed 43 in
    # Jayrud": one stated toll of some size told twice is one incident whatever each sentence
    # calls the act or however near it places it
    one_toll = _one_toll(a, b, kinds) and (
        a.event_type in kinds.violent and b.event_type in kinds.violent
    )
    place_a, place_b = places.get(a.place_id or ""), places.get(b.place_id or "")
    if _two_means(a, b, kinds) and not one_toll and not _one_place(place_a, place_b) and (
        frozenset((a.id, b.id)) not in corefer
    ):
        # "regime jets bombed Daraya" / "suicide bombers struck the Sayyida Zaynab shrine":
        # two means no report takes for one another, at two places, are two acts
        return False
    return (
        (kinds_match(a, b, kinds) or outcome or one_toll)
        and not (_other_days_other_kinds(a, b, kinds) and not one_toll)
        and (
            places_agree(place_a, place_b)
            or frozenset((a.id, b.id)) in corefer
            or one_toll and _one_region(place_a, place_b)
        )
        and dates_agree(a, b, kinds, openers, anew)
        and not opposite_sides(a, b)
        and not other_parties(a, b, actors)
        and not enemy_attackers(a, b, actors, kinds)
        and not enemy_holders(a, b, holders, actors, kinds)
        and not (a.sub_event_type != b.sub_event_type and (_answers(a) or _answers(b)))
    )


def _named_scenes(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> dict[str, frozenset[str]]:
    """By event id, the settlements a mention's act names after a settlement noun ("killed
    when helicopters bombed the village of Taduf", "struck the town of Al-Bab"), as normalised
    names: only within the trigger's clause ("the battle for Tabqa is part of an offensive
    aimed at the city of Raqqa" names no scene of the battle).

    A village the gazetteer lacks leaves its mention placed at the province a sentence before
    names; its name in the text still sets it apart from a village named in another sentence.
    """
    doc = analysis.doc
    found: dict[str, frozenset[str]] = {}
    if doc is None:
        return found
    for event in events:
        own = _own_act_phrase(event, doc)
        names = set()
        for i in sorted(own):
            token = doc[i]
            if token.lower_ in kinds.settlements and not _describes_a_place(token) and (
                i + 1 >= len(doc) or token.nbor(1).lower_ != "of"
            ):
                # "hideouts in al-Jafra village"; "Aleppo city" or "the Qatrji neighbourhood"
                # may hold or lie in the places other sentences name, so neither sets a scene
                # apart from them
                if token.lower_ in _SMALLEST_SETTLEMENTS and token.is_lower:
                    # (a headline's "Massacre in Hama Village" is a village in Hama province)
                    names |= _named_before(token)
                continue
            if token.lower_ not in kinds.settlements or i + 2 >= len(doc) or (
                token.nbor(1).lower_ != "of"
            ) or _describes_a_place(token) or _one_of(token):
                continue
            words = []
            for word in doc[i + 2 : min(i + 7, token.sent.end)]:
                if not (word.is_title or word.text in ("-", "al", "el")):  # not "REUTERS"
                    break
                if words and (word.ent_iob_ == "B" or word.ent_type_ in ("DATE", "TIME")):
                    break  # "the city of Aleppo Syria September": another name begins
                words.append(word.text)
            name = normalise_toponym(" ".join(words))
            if name:
                names.add(name)
                names |= _named_before(token)
        if names:
            found[event.id] = frozenset(names)
    return found


# Settlement nouns of places that hold no other a story names: two villages named before
# their noun are two scenes.
_SMALLEST_SETTLEMENTS = frozenset({"camp", "hamlet", "village"})


def _told_villages(analysis: Analysis, events: Sequence[Event]) -> frozenset[str]:
    """Ids of mentions whose act names its scene as a village ("an attack on the village of
    Kafr Naha killed 12"): a village the gazetteer lacks is coded at its province for want of
    a point, yet it is no quarter of the province's city."""
    doc = analysis.doc
    if doc is None:
        return frozenset()
    return frozenset(
        event.id for event in events
        if any(
            doc[i].lower_ in _SMALLEST_SETTLEMENTS and i + 1 < len(doc)
            and doc[i + 1].lower_ == "of"
            for i in _own_act_phrase(event, doc)
        )
    )


def _village_beside_a_town(
    village: Event, other: Event, villages: frozenset[str], places: Mapping[str, Place]
) -> bool:
    """True for a mention told at a village the gazetteer lacks, with a toll far from that of
    another mention placed at a town it knows: two places and two counts of the dead, whatever
    province holds both. With like tolls the village may be the town's ("the hamlet of Umm Dalia,
    part of the town of Qaryat"), and a town named like its province may stand for the province
    ("Massacre in Hama Village")."""
    here, there = places.get(village.place_id or ""), places.get(other.place_id or "")
    return (
        village.id in villages and here is not None and there is not None and _unmapped(here)
        and not _unmapped(there) and there.geo_precision <= 1 and _far_tolls(village, other)
    )


def _one_of(noun: Any) -> bool:
    """True for an indefinite settlement noun whose "of" names what holds it ("a rebel-held
    neighbourhood of Aleppo city"): the scene is some quarter of the city, not the city, and
    it may be the one another sentence names ("the Bab al-Nayrab neighbourhood")."""
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)


def _named_before(noun: Any) -> set[str]:
    """The name written before a settlement noun that names a part of another: "the Salihiah
    neighbourhood of Hasakeh city" is a scene in Salihiah as much as in Hasakeh, so it shares
    one with "the attack occurred in the neighbourhood of Salihiah"."""
    words = [
        c for c in noun.children
        if c.dep_ == "compound" and c.i < noun.i and c.is_title and c.pos_ == "PROPN"
    ]
    if not words:
        return set()
    name = normalise_toponym(" ".join(w.text for w in noun.doc[words[0].i : words[-1].i + 1]))
    return {name} if name else set()


def _describes_a_place(noun: Any) -> bool:
    """True for a settlement noun set beside a place as what it is: "Eastern Ghouta, a suburb
    of Damascus" names the district, and Damascus only as the city it lies by."""
    return noun.dep_ == "appos" and any(
        c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children
    )


# Dependents that tell another act or a comment, not where the act was: "claimed the attack,
# calling it a response to crimes in Manbij", "killed five, and shelled the town of X".
_OTHER_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "conj", "parataxis", "relcl", "xcomp"})
# Dependents of the verb an act noun hangs from that name the act's own scene or object.
_ARGUMENT_DEPS = frozenset({"prep", "dobj", "nsubjpass", "npadvmod", "agent"})


def _own_act_phrase(event: Event, doc: Any) -> set[int]:
    """The token indices of the phrases of all a mention's trigger words (:func:`_act_phrase`)."""
    own: set[int] = set()
    for token in _trigger_tokens(event, doc):
        own |= _act_phrase(token)
    return own


def _act_phrase(token: Any) -> set[int]:
    """The indices of the words that tell a trigger's act: a verb's own subtree but for other
    clauses ("killed when jets bombed the village of X" keeps its "when" clause), or a noun's
    with the arguments of the verb it hangs from ("airstrikes hit the village of X"); a copula
    says what an act is, not where ("the battle for X is part of a push on the city of Y")."""
    if token.pos_ in ("NOUN", "PROPN") and token.head.pos_ == "VERB" and (
        token.head.lemma_.lower() != "be"
    ):
        found = {t.i for t in token.subtree}
        for child in token.head.children:
            if child.dep_ in _ARGUMENT_DEPS:
                found |= {t.i for t in child.subtree}
        return found
    found = {t.i for t in token.subtree}
    for child in token.children:
        if child.dep_ in _OTHER_CLAUSE_DEPS and not (
            child.dep_ == "advcl" and any(
                c.dep_ in ("mark", "advmod") and c.lower_ in ("as", "when", "while")
                for c in child.children
            )
        ):
            found -= {t.i for t in child.subtree}
    return found


def _scene_round_ups(
    events: Sequence[Event], scenes: Mapping[str, frozenset[str]],
    hours: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """Ids of tolls that sum the scenes told after them: "13 civilians were killed in air
    attacks on Aleppo province" before five killed in the village of Taduf and eight in the
    village of Daret Izza. The lede restates both incidents; its figure is neither's toll, and
    given to the first it would count the second's dead twice. A count of the past hours
    (``hours``: "killed 100 in the province during the past 24 hours") sums the day's
    operations told after it, whether or not they name their villages."""
    found = set()
    ordered = sorted(events, key=_start)
    for i, lede in enumerate(ordered):
        if lede.fatalities is None or (scenes.get(lede.id) and lede.id not in hours):
            continue
        total = lede.fatalities.low
        parts = [
            e for e in ordered[i + 1:]
            if e.fatalities is not None and e.fatalities.low < total
            and (scenes.get(e.id) or lede.id in hours)
        ]
        named = [scenes.get(e.id, frozenset()) for e in parts]
        distinct = all(
            not (named[x] & named[y]) for x in range(len(named)) for y in range(x + 1, len(named))
        )
        told = sum(e.fatalities.low for e in parts)
        if len(parts) >= 2 and distinct and ROUND_UP_SHARE * total <= told <= total:
            found.add(lede.id)
    return frozenset(found)


def _counts_of_hours(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of mentions whose sentence counts the hours up to the news: "in the past 24 hours",
    "over the last 12 hours" (a day's operations, told as one count)."""

    def counts_hours(event: Event, doc: Any) -> bool:
        sentence = _first_sentence(event, doc)
        return sentence is not None and any(
            token.lemma_.lower() == "hour"
            and token.head.dep_ == "prep"
            and any(c.lower_ in kinds.span_modifiers for c in token.children)
            for token in sentence
        )

    return _ids_where(analysis, events, counts_hours)


def _ids_where(
    analysis: Analysis, events: Sequence[Event], test: Callable[[Event, Any], bool]
) -> frozenset[str]:
    """Ids of the mentions for which ``test(event, doc)`` holds; none without a parse."""
    doc = analysis.doc
    if doc is None:
        return frozenset()
    return frozenset(event.id for event in events if test(event, doc))


# The scenes told after a lede's toll sum at least this share of it to make it their round-up
# (a count of "at least 13" whose parts name 12 dead).
ROUND_UP_SHARE = 0.75


def _other_scenes(a: Event, b: Event, scenes: Mapping[str, frozenset[str]]) -> bool:
    """True when two mentions in different sentences each name settlements and share none, and
    no one resolved town holds them both (a town resolved for both is for ``places_agree``)."""
    mine, theirs = scenes.get(a.id), scenes.get(b.id)
    if not mine or not theirs or (a.sources and b.sources and (
        a.sources[0].start == b.sources[0].start
    )):
        return False
    if a.place_id is not None and a.place_id == b.place_id and (a.geo_precision or 3) <= 2:
        return False
    # "maaret numan" and "marat numan" are one town; so are "aleppo" and a name the tagger ran
    # on into the next words ("aleppo syria live network")
    return not any(
        fuzz.ratio(x, y) >= SAME_NAME_RATIO or fuzz.token_set_ratio(x, y) >= 100
        for x in mine for y in theirs
    )




def _other_days_other_kinds(a: Event, b: Event, kinds: IncidentKinds = BUILTIN_KINDS) -> bool:
    """True for two acts of different specific kinds, each told on its own day: "500 died on
    Wednesday in chemical attacks" is no restatement of Thursday's shelling of the same
    suburbs, though a restatement's date may stray by a day."""
    if a.time_precision != 1 or b.time_precision != 1 or a.event_date == b.event_date:
        return False
    if a.event_date is None or b.event_date is None:
        return False
    if a.sub_event_type in kinds.generic or b.sub_event_type in kinds.generic:
        return False
    # a suicide bombing is a form of bombing: "a suicide bombing ... on Monday" and "the blast
    # on Sunday night" are one kind of act
    return a.sub_event_type != b.sub_event_type and (
        frozenset({a.sub_event_type, b.sub_event_type}) not in kinds.compatible
    )


def _additional_acts(analysis: Analysis, events: Sequence[Event]) -> frozenset[str]:
    """Ids of acts a named actor "also" did: "Regime forces also pounded Talbiseh" or "the
    regime also conducted air strikes on Harasta" after a rocket attack on Homs is another
    act, not a restatement ("the strike also killed two children", with no actor, may still
    restate)."""
    found = set()
    for event in events:
        if event.actor1 is None:
            continue
        # the verb of the act, or of its noun ("also carried out air strikes against Irbin")
        verbs = [
            t.head if t.pos_ == "NOUN" and t.dep_ == "dobj" else t
            for t in _trigger_tokens(event, analysis.doc)
        ]
        verbs = [t for t in verbs if t.pos_ == "VERB"]
        if any(
            c.dep_ == "advmod" and c.lower_ == "also" for verb in verbs for c in verb.children
        ) and any(c.dep_ == "nsubj" for verb in verbs for c in verb.children):
            found.add(event.id)
    return frozenset(found)


def _also_told(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds = BUILTIN_KINDS
) -> frozenset[str]:
    """Ids of acts whose clause says "also": "Artillery shelling was also reported south of the
    city", "helicopters also dropped barrel bombs", "hideouts were also destroyed in army
    airstrikes" add an act to the one told."""
    found = set()
    named = [
        (m.start, m.end) for m in analysis.mentions
        if m.label == "ACTOR" and m.entity_id
        and not m.entity_id.startswith(UNIDENTIFIED_ID_PREFIX)
    ]
    for event in events:
        if any(
            _definite(noun) and noun.lemma_.lower() not in kinds.sites
            for noun in _act_nouns(event, analysis.doc)
        ):
            continue  # "the strikes also damaged trucks": more of the act told ("in the area"
            # is where, not what)
        for token in _trigger_tokens(event, analysis.doc):
            # "helicopters also dropped barrel bombs", "the coalition had also carried out air
            # strikes": the verb the act noun is subject or object of
            verb = token.head if token.dep_ in ("nsubj", "nsubjpass", "dobj") else token
            if token.dep_ == "pobj" and token.head.dep_ == "prep" and (
                token.head.head.pos_ == "VERB"
            ):
                verb = token.head.head  # "hideouts were also destroyed in army airstrikes"
            if any(c.dep_ == "advmod" and c.lower_ == "also" for c in verb.children) and not (
                token.dep_ == "dobj" and _doers_told_before(verb, named)
            ):
                found.add(event.id)
    return frozenset(found)


def _doers_told_before(verb: Any, named: Sequence[tuple[int, int]]) -> bool:
    """True when a verb's subject is a definite noun that names no group ("the attackers also
    threw a grenade"): the doers of the act told before, doing more of it."""
    return any(
        c.dep_ == "nsubj" and c.pos_ == "NOUN" and _definite(c)
        and not any(start <= c.idx < end for start, end in named)
        for c in verb.children
    )


def _told_of_a_tally(analysis: Analysis, kinds: IncidentKinds) -> frozenset[str]:
    """Ids of factual mentions whose act is a definite plural naming acts counted before as
    a tally: "carried out 468 sorties during the past week ... The sorties also killed 10
    militants" tells more of the week's sorties, not one raid."""
    doc = analysis.doc
    tallies: dict[str, int] = {}
    for event in analysis.events:
        if event.modality != BACKGROUND or not event.trigger or not event.sources:
            continue
        counted = [  # "468 sorties": a count of acts ("59 cruise missiles" counts weapons)
            t for t in _trigger_tokens(event, doc)
            if t.tag_ == "NNS" and any(c.dep_ == "nummod" for c in t.children)
            and t.lemma_.lower() not in kinds.weapon_words
        ]
        for noun in counted:
            tallies.setdefault(noun.lower_, _start(event))
    found = set()
    for event in analysis.events:
        if event.modality not in FACTUAL_MODALITIES or not event.trigger:
            continue
        nouns = [t for t in _trigger_tokens(event, doc) if t.pos_ == "NOUN" and t.tag_ == "NNS"]
        if any(
            _definite(noun) and tallies.get(noun.lower_, _start(event)) < _start(event)
            for noun in nouns
        ):
            found.add(event.id)
    return frozenset(found)


def _continued_from_before(
    analysis: Analysis, events: Sequence[Event], places: Mapping[str, Place],
    kinds: IncidentKinds,
) -> list[Event]:
    """The events, a past-tense mention with no day of its own that goes on with an act of its
    kind the sentence just before set days back taking that act's date and standing: "Also in
    July 25 civilians were killed in US attacks on a village near Manbij. The coalition struck
    the village of Aghanndorh near Manbij" is July's strike, told as background, not news of
    the publication day. A turn ("Elsewhere", "Meanwhile") or a present ("are now fighting")
    moves on."""
    doc, published = analysis.doc, analysis.article.published
    if doc is None or published is None:
        return list(events)
    sents = list(doc.sents)
    sentences = {sent.start_char: k for k, sent in enumerate(sents)}
    by_sentence: dict[int, list[Event]] = {}
    for event in events:
        if event.sources and event.sources[0].start in sentences:
            by_sentence.setdefault(sentences[event.sources[0].start], []).append(event)
    out = []
    for event in events:
        k = sentences.get(_start(event), -1)
        before = [
            e for e in by_sentence.get(k - 1, ())
            if e.modality in (*FACTUAL_MODALITIES, BACKGROUND)
            and _set_days_back(e, published, sents[k - 1])
            and kinds_match(e, event, kinds)
            and places_agree(places.get(e.place_id or ""), places.get(event.place_id or ""))
        ] if k > 0 else []
        if before and event.modality in FACTUAL_MODALITIES and _told_undated_in_past(sents[k]) and (
            not moves_on(event, kinds) and not _turns_to_another_strand(event, analysis, kinds)
        ):
            earlier = before[0]
            event = replace(
                event, event_date=earlier.event_date, time_precision=earlier.time_precision,
                modality=BACKGROUND if earlier.modality == BACKGROUND else event.modality,
            )
        out.append(event)
    return out


def _set_days_back(event: Event, published: date, sent: Any) -> bool:
    """True for a mention dated days before the article, or told as background in a sentence
    with a time of its own ("in July", "last year")."""
    if event.modality == BACKGROUND:
        # "in July" in August, not "on Tuesday" of the week (a background for other reasons:
        # "among the worst in the six-year war")
        days = [
            resolve_date_text(ent.text, published) for ent in sent.ents
            if ent.label_ == "DATE" and not _span_start(ent)
        ]
        days = [day for day, _ in filter(None, days)]
        return bool(days) and all(
            published - day > timedelta(days=RESTATEMENT_DAYS) for day in days
        )
    return event.event_date is not None and (
        published - event.event_date > timedelta(days=RESTATEMENT_DAYS)
    )


def _span_start(ent: Any) -> bool:
    """True for a date a span runs from ("battling since June 25"): a campaign that goes on,
    not a day set back, so what is told after it may be the news."""
    return ent.root.head.lower_ in ("since", "from") or ent.text.lower().startswith("since")


def _told_undated_in_past(sent: Any) -> bool:
    """True for a sentence in the simple past that names no day or time of its own."""
    return sent.root.tag_ == "VBD" and not any(
        ent.label_ in ("DATE", "TIME") for ent in sent.ents
    ) and not any(t.lower_ in ("now", "today", "currently", "still") for t in sent)


def _definite(noun: Any) -> bool:
    """True for a noun with a definite determiner or an owner ("the strikes", "their raids")."""
    return any(
        c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS or c.dep_ == "poss"
        for c in noun.children
    )


def _new_acts(analysis: Analysis, events: Sequence[Event]) -> frozenset[str]:
    """Ids of acts an indefinite noun brings in with a toll of their own ("A mortar shell fired
    on the camp killed a child"): news writes "a" for a new act and "the" for one told. An act
    with fewer dead than plural acts told before it may be one of them ("six killed in rocket
    attacks on Aleppo ... two were killed in a rocket attack on Midan"), and stays theirs."""
    found = set()
    plural_tolls: list[int] = []  # the tolls of the plural acts told so far
    for event in sorted(events, key=_start):
        nouns = _act_nouns(event, analysis.doc)
        if event.fatalities is None:
            continue
        if any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "another")
            for noun in nouns for c in noun.children
        ) and not any(toll > event.fatalities.low for toll in plural_tolls):
            found.add(event.id)
        if any(n.tag_ in ("NNS", "NNPS") for n in nouns):
            plural_tolls.append(event.fatalities.low)
    return frozenset(found)


def _bare_deaths(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of deaths told by a kill verb alone, with no act noun as its subject or means ("a
    commander of the group had been killed"): who died, not how."""
    return frozenset(
        event.id for event in events
        if event.fatalities is not None
        and (tokens := _trigger_tokens(event, analysis.doc))
        and all(t.pos_ == "VERB" and t.lemma_.lower() in kinds.kill_verbs for t in tokens)
        and not _act_nouns(event, analysis.doc)
    )


def _same_targets(
    analysis: Analysis, events: Sequence[Event]
) -> tuple[frozenset[frozenset[str]], frozenset[frozenset[str]]]:
    """Pairs of mentions whose acts befell one thing: "A key position was destroyed in Kafr
    Batna. The position was hit in army airstrikes ...": "the position" names the one told
    just before, so the strikes are how it was destroyed, wherever else the sentence looks.
    Returns all pairs, and those a singular noun ties ("the pilot"), which name one person or
    thing; "the rebels" may name a side in general."""
    pairs, singular = set(), set()
    told: list[tuple[Event, set[str]]] = []
    for event in sorted(events, key=_start):
        targets = _act_targets(event, analysis.doc)
        definite = [
            t for t in targets
            if any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in t.children)
        ]
        for target in definite:
            lemma = target.lemma_.lower()
            # "the pilot" names the one told last, however far back; "the rebels" may name
            # a side in general, so a plural points back only to the mention just before
            one = target.tag_ == "NN"
            earlier = told if one else told[-1:]
            last = next((e for e, lemmas in reversed(earlier) if lemma in lemmas), None)
            if last is not None and last.id != event.id:
                pairs.add(frozenset((event.id, last.id)))
                if one:
                    singular.add(frozenset((event.id, last.id)))
        if targets:
            told.append((event, {t.lemma_.lower() for t in targets}))
    return frozenset(pairs), frozenset(singular)


def _chained(event_id: str, corefer: frozenset[frozenset[str]]) -> set[str]:
    """The mentions whose targets name one thing with ``event_id``'s, through any chain: "the
    execution of a pilot ... the pilot was arrested and later killed"."""
    found, frontier = {event_id}, [event_id]
    while frontier:
        current = frontier.pop()
        for pair in corefer:
            if current in pair:
                frontier += [i for i in pair if i not in found]
                found |= pair
    return found - {event_id}


def _act_targets(event: Event, doc: Any) -> list:
    """What a mention's act befell: the object or passive subject of its verb, or of the verb
    its noun is the means of ("the position was hit in airstrikes")."""
    found = []
    for token in _trigger_tokens(event, doc):
        verb = token
        if token.pos_ == "NOUN":
            # "the execution of a pilot", "the bombing of the hospital"
            found += [
                o for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"
            ]
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "pobj" and (
            token.head.dep_ == "prep" and token.head.head.pos_ == "VERB"
        ):
            verb = token.head.head
        if verb.pos_ == "VERB":
            holders = [verb]
            if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
                holders.append(verb.head)  # "the pilot was arrested and later killed"
            found += [
                c for holder in holders for c in holder.children
                if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN"
            ]
    return found


def _act_nouns(event: Event, doc: Any) -> list:
    """The nouns that name a mention's act: its trigger noun, or the subject or "in"/"by"/
    "during" object of its death verb ("A mortar shell killed", "killed in air strikes"), or of
    a verb conjoined after it, whose phrase tells the means of both ("four were killed and 14
    wounded during rebel fire")."""
    nouns = []
    for token in _trigger_tokens(event, doc):
        if token.pos_ in ("NOUN", "PROPN"):
            nouns.append(token)
        elif token.pos_ == "VERB":
            nouns += [c for c in token.children if c.dep_ == "nsubj"]
            verbs = [token, *(c for c in token.children if c.dep_ == "conj" and c.pos_ == "VERB")]
            nouns += [
                o for verb in verbs for p in verb.children
                if p.dep_ == "prep" and p.lower_ in ("in", "by", "during")
                for o in p.children if o.dep_ == "pobj"
            ]
    return nouns


def _far_tolls(a: Event, b: Event) -> bool:
    """Both mentions give a toll, and one is at least twice the other: no restatement, and no
    count that rose as the dead were found (12 and 14 may be one incident; 13 and 1 are not)."""
    if a.fatalities is None or b.fatalities is None:
        return False
    if _named_only(a.fatalities) or _named_only(b.fatalities):
        return False  # "killed Khaled Mansour" says who died, who may be among the 13
    smaller, larger = sorted((a.fatalities, b.fatalities), key=lambda f: f.low)
    # a vague count ("so many", 1-99) is far from nothing its range reaches
    return larger.low >= 2 * max(smaller.high, 1)


def _added_dead(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of dead added to a count told before, with no new act ("saying three more people
    had died of their wounds", "three more died in the strike"): among an act's dead whatever
    its toll. "Four more were killed in an army operation" brings in an act of its own."""
    return frozenset(
        e.id for e in events
        if e.fatalities is not None and _increment(e, kinds)
        and all(
            _definite(noun) for noun in _act_nouns(e, analysis.doc)
            if noun.lemma_.lower() in kinds.act_nouns
        )
    )


def _increment(event: Event, kinds: IncidentKinds = BUILTIN_KINDS) -> bool:
    """True for a count of dead added to one told before ("three more", "20 additional"), as
    the toll reader keeps it or as the sentence writes it; "more than 20" is a count of its
    own."""
    toll = event.fatalities
    if toll is None or not event.sources or not toll.as_stated:
        return False
    if toll.as_stated.lower().split()[-1] in kinds.added_count_words:
        return True
    stated = re.escape(toll.as_stated).replace(r"\ ", r"\s+")
    return re.search(
        rf"\b{stated}\s+(?:{_alternation(kinds.added_count_words)})\b",
        event.sources[0].sentence, re.IGNORECASE,
    ) is not None


@functools.lru_cache(maxsize=32)
def _alternation(words: frozenset[str]) -> str:
    """A regex alternation of ``words``, the longest first ("gone up" before "up")."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _one_toll(a: Event, b: Event, kinds: IncidentKinds = BUILTIN_KINDS) -> bool:
    """Both mentions state one exact toll of five or more ("at least 43" twice, "14" and
    "Fourteen"): two incidents of one article seldom have one such figure, while a
    restatement has it. A count of people without a number ("a dozen") is no exact figure."""
    if a.fatalities is None or b.fatalities is None:
        return False
    first, second = a.fatalities, b.fatalities
    return (
        first.low == second.low >= _TELLING_TOLL and first.high == second.high
        and all(_exact_figure(f, kinds) for f in (first, second))
    )


def _exact_figure(toll: Fatalities, kinds: IncidentKinds) -> bool:
    """True for a toll stated as a number, in figures or in words ("14", "Fourteen")."""
    words = toll.as_stated.lower().replace("-", " ").split()
    return any(ch.isdigit() for ch in toll.as_stated) or not kinds.counting_nouns.intersection(
        words
    )


# The smallest toll that tells a restatement by itself: "two killed" recurs by chance.
_TELLING_TOLL = 5
# How far apart two places that one toll is told at may be: a town and the city it is near.
_REGION_KM = 75.0


def _one_region(a: Place | None, b: Place | None) -> bool:
    """One province, or two points within a short drive: where one incident is told twice."""
    if a is None or b is None:
        return True
    if a.country != b.country:
        return False
    if a.admin1 and a.admin1 == b.admin1:
        return True
    points = (a.latitude, a.longitude, b.latitude, b.longitude)
    return all(p is not None for p in points) and haversine_km(*points) <= _REGION_KM


def _acts_told_before(analysis: Analysis, events: Sequence[Event]) -> frozenset[str]:
    """Ids of acts with dead of their own told in an "after" clause: "jets bombed Douma after
    rebels killed two soldiers" tells two acts, one before the other (an assault "after" which
    raids went on may be the campaign the raids belong to)."""
    return frozenset(
        event.id for event in events
        if any(
            measured_earlier_act(t) is not None
            or event.fatalities is not None and after_clause(t) is not None
            for t in _trigger_tokens(event, analysis.doc)
        )
    )  # "a day after the execution of a pilot": measured apart, another act


def _moments_before(
    analysis: Analysis, events: Sequence[Event], earlier: frozenset[str]
) -> frozenset[str]:
    """Ids of acts told before others that are moments of the same act: "heard blasts for
    well over an hour after the first explosion" tells one blast set, not an explosion apart
    from the blasts. Only an act with no dead of its own, hours before an act of its kind told
    in the same sentence."""
    moments = set()
    for event in events:
        if event.id not in earlier or event.fatalities is not None or not event.sources:
            continue
        gaps = [
            measured_gap(node) for t in _trigger_tokens(event, analysis.doc)
            if (node := measured_earlier_act(t)) is not None
        ]
        if not gaps or any(gap is None or gap[0] != 0 for gap in gaps):
            continue
        if any(
            other.id != event.id and other.id not in earlier and other.sources
            and other.sources[0].start == event.sources[0].start
            and other.sub_event_type == event.sub_event_type
            for other in events
        ):
            moments.add(event.id)
    return frozenset(moments)


def _one_place(a: Place | None, b: Place | None) -> bool:
    """Unplaced, the same place, or a province or country that holds the other's town."""
    return (
        a is None or b is None or a.id == b.id or _one_village(a, b)
        or _holds(a, b) or _holds(b, a)
    )


def _one_village(a: Place, b: Place) -> bool:
    """Two records of one village the gazetteer lacks, placed near two things ("the village
    of Khatab in northern Hama province", "near Hama"): one name, one country."""
    key = name_key(a.id)
    return key is not None and key == name_key(b.id) and a.country == b.country


def _target_holders(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> dict[str, frozenset[str]]:
    """The actors each mention's sentence names as holders of a place ("air strikes hit
    rebel-held areas": the rebels), by event id."""
    doc = analysis.doc
    if doc is None or not kinds.held_words:
        return {}
    spans = []
    for mention in analysis.mentions:
        if mention.label != "ACTOR" or not mention.entity_id:
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and hyphened_participle(doc[span.end - 1]) in kinds.held_words and (
            not _left_place(doc[span.end - 1], kinds)
        ):
            spans.append((mention.start, mention.entity_id))
    holders: dict[str, frozenset[str]] = {}
    for event in events:
        source = event.sources[0] if event.sources else None
        if source is None:
            continue
        found = frozenset(
            actor for start, actor in spans if source.start <= start < source.end
        )
        if found:
            holders[event.id] = found
    return holders


def _left_place(held: Any, kinds: IncidentKinds) -> bool:
    """True for a holder's word in a place that people left ("leave the terrorist-controlled
    areas", "fled from rebel-held districts"): no place hit."""
    place = next((t for t in held.ancestors if t.pos_ in ("NOUN", "PROPN")), held)
    verb = place.head.head if place.dep_ == "pobj" and place.head.lower_ == "from" else place.head
    return place.dep_ in ("dobj", "pobj") and verb.lemma_.lower() in kinds.leaving_verbs


def enemy_holders(
    a: Event,
    b: Event,
    holders: Mapping[str, frozenset[str]] | None,
    actors: Mapping[str, Actor] | None,
    kinds: IncidentKinds = BUILTIN_KINDS,
) -> bool:
    """True when the two mentions hit places held by enemies, a state's forces and an armed
    group ("air strikes hit rebel-held areas"; "rebels hit government-held areas"), or when
    one's attacker holds what the other hit: each side hit the other, two acts."""
    if not holders or actors is None:
        return False
    first, second = holders.get(a.id), holders.get(b.id)
    # "rebels hit government-held areas" and "a government offensive cut the road": the one
    # who holds what one mention hit is the other's attacker, two acts
    if first and b.actor1 in first and b.actor1 not in (second or ()):
        return True
    if second and a.actor1 in second and a.actor1 not in (first or ()):
        return True
    if not first or not second or first & second:
        return False
    for x in first:
        for y in second:
            one, other = actors.get(x), actors.get(y)
            if one is None or other is None:
                continue
            codes = (one.inter_code, other.inter_code)
            if any(
                state in kinds.state_codes and group in kinds.armed_group_codes
                for state, group in (codes, codes[::-1])
            ) and not _camp(one, actors) & _camp(other, actors):
                return True
    return False


# Words that make an act the answer to another: a reply is a second act, never a restatement.
_ANSWER_CUE = re.compile(
    r"\b(?:in response|in reply|in retaliation|retaliat\w*|in revenge|reprisal\w*|responded|"
    r"answered|hit back)\b",
    re.IGNORECASE,
)


def enemy_attackers(
    a: Event,
    b: Event,
    actors: Mapping[str, Actor] | None,
    kinds: IncidentKinds = BUILTIN_KINDS,
) -> bool:
    """True when the two mentions' attackers are a state's forces and an armed group it
    fights, each with a toll of its own ("rebel rockets killed three; regime air strikes
    killed 12"): two acts.

    Attackers of one camp (the regime and its backer Russia, a militia and the state that
    backs the same side) may be one incident told two ways, and so may two armed groups. A
    victim misread as the attacker ("70 militants killed in clashes with the army") names
    the same toll as the restatement, or the other's attacker as its target: with no two
    tolls, only attackers that are neither one's target split.
    """
    if actors is None or not a.actor1 or not b.actor1 or a.actor1 == b.actor1:
        return False
    first, second = actors.get(a.actor1), actors.get(b.actor1)
    if first is None or second is None:
        return False
    codes = (first.inter_code, second.inter_code)
    if not any(
        state in kinds.state_codes and group in kinds.armed_group_codes
        for state, group in (codes, codes[::-1])
    ):
        return False
    if _camp(first, actors) & _camp(second, actors):
        return False
    if a.fatalities is not None and b.fatalities is not None:
        return a.fatalities.low != b.fatalities.low
    # No two tolls to tell them apart: one fight told from each side names the other's
    # attacker as its target ("rebels attacked army posts" / "the army repelled the rebels").
    return a.actor2 != b.actor1 and b.actor2 != a.actor1


def _camp(actor: Actor, actors: Mapping[str, Actor]) -> set[str]:
    """An actor, what it is part of, and who backs either."""
    camp = {actor.id, *actor.backers}
    if actor.part_of:
        camp.add(actor.part_of)
        parent = actors.get(actor.part_of)
        if parent is not None:
            camp.update(parent.backers)
    return camp


def _answers(event: Event) -> bool:
    """True when the sentence of a mention says it answers another act ("jets answered with
    air strikes", "in retaliation, rebels shelled")."""
    return any(
        not _FEARED.search(source.sentence[: cue.start()])
        for source in event.sources[:1]
        for cue in _ANSWER_CUE.finditer(source.sentence)
    )


# "a witness who gave no name for fear of reprisals": a reprisal feared by who speaks,
# not an act answering another
_FEARED = re.compile(r"\b(?:fear|fears|feared|afraid|risk)\s+(?:of\s+)?(?:\w+\s+)?$", re.IGNORECASE)


def _two_means(a: Event, b: Event, kinds: IncidentKinds = BUILTIN_KINDS) -> bool:
    """True for two acts each told by a means of its own that no report takes for the other
    (an air strike and a car bomb; not a suicide bombing and a car bomb, nor shelling and an
    air strike, nor a gas attack and the strike that carried it)."""
    pair = frozenset((a.sub_event_type, b.sub_event_type))
    return len(pair) == 2 and pair <= kinds.means and pair not in kinds.means_told_alike


def kinds_match(a: Event, b: Event, kinds: IncidentKinds = BUILTIN_KINDS) -> bool:
    """Same sub-type, or both violence (territory and acts apart aside), or both
    demonstrations."""
    if a.sub_event_type == b.sub_event_type and a.plover_type == b.plover_type:
        return True
    if {a.sub_event_type, b.sub_event_type} & kinds.apart:
        return False  # "eight were kidnapped on Thursday" restates no assault
    territorial = {a.sub_event_type, b.sub_event_type} & kinds.territorial
    if territorial:
        return frozenset({a.sub_event_type, b.sub_event_type}) in kinds.compatible
    if a.event_type in kinds.violent and b.event_type in kinds.violent:
        return True
    return a.event_type in kinds.demonstration and b.event_type in kinds.demonstration


def _left_behind(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of what a violent act may have left behind: a destruction ("five car bombs were
    destroyed", "vehicles were incinerated") of an outcome sub-type told with no doer and no
    toll. A seizure or a defusal ("police seized guns in a raid") is an act of its own."""
    return frozenset(
        event.id for event in events
        if event.sub_event_type in kinds.outcome and event.actor1 is None
        and event.fatalities is None
        and any(t.lemma_.lower() in kinds.destroying for t in _trigger_tokens(event, analysis.doc))
    )


def places_agree(a: Place | None, b: Place | None) -> bool:
    """Unplaced, the same place, nearby towns, or a province that holds the other's town."""
    if _one_place(a, b):
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.geo_precision >= 3 or b.geo_precision >= 3:
        return False  # two different provinces, or a province and a town outside it
    if _another_settlement(a, b) or _another_settlement(b, a):
        return False
    if two_spots_at_one_point(a.id, b.id):
        return False  # "the Ferdous district" / "the Baeedeen neighbourhood": two named quarters
    points = (a.latitude, a.longitude, b.latitude, b.longitude)
    if any(p is None for p in points):
        return False
    return haversine_km(*points) <= NEARBY_KM


def _two_settlements(a: Place | None, b: Place | None) -> bool:
    """True for two different towns or villages, each placed by name (a village the gazetteer
    lacks, known by name only, is one), not a province or country."""
    def settlement(place: Place) -> bool:
        return is_unlisted(place.id) or place.geo_precision <= 2 and not (
            place.id.startswith(("country:", "admin1:"))
        )
    return a is not None and b is not None and a.id != b.id and settlement(a) and settlement(b)


def _another_settlement(village: Place, town: Place) -> bool:
    """True for a village the gazetteer lacks, placed at the town that locates it, against
    another town the gazetteer knows: "Rasm al-Sabaa village some 40 km east of Homs city"
    takes Homs's point, but it is not Ar Rastan 20 km from Homs. Two such villages placed at
    one town are left to their distance (quarters of one city on one day)."""
    return (
        _placed_at_town(village) and not town.id.startswith(NEAR_PREFIX)
        and not is_unlisted(town.id) and town.geo_precision <= 1
        and not village.id.endswith(f"@{town.id}")
    )


def _placed_at_town(place: Place) -> bool:
    """True for a village the gazetteer lacks that a town locates (at precision 2): it is a
    settlement of its own, holding no other. One a province locates may lie at any of its
    towns."""
    return place.id.startswith(NEAR_PREFIX) and place.geo_precision <= 2


def _holds(area: Place, town: Place) -> bool:
    """True when ``area`` is a province or country coded less precisely that holds ``town``."""
    if area.country != town.country or _placed_at_town(area):
        return False
    if _unmapped(area) and _unmapped(town):
        return False  # two villages placed at their province for want of a point: two places
    if area.id.startswith("country:"):
        return not town.id.startswith("country:")  # a country holds its provinces too
    # A place known by name only is coded at its province's precision for want of a point, but
    # it is a village or a quarter inside that province (issue 18).
    if area.geo_precision <= town.geo_precision and not (
        (is_unlisted(town.id) or _near(town, area)) and not is_unlisted(area.id)
    ):
        return False
    return bool(area.admin1) and (
        area.admin1 == town.admin1 or surrounds(area.id, town.country, town.admin1)
    )


def _unmapped(place: Place) -> bool:
    """A village the gazetteer lacks: known by name only, or near a place it knows."""
    return name_key(place.id) is not None


def _near(place: Place, area: Place) -> bool:
    """True for a village the gazetteer lacks, placed at ``area`` that holds it ("the Avanl
    village ... in Latakia province"): it lies inside that province, whatever its precision."""
    return place.id.startswith(NEAR_PREFIX) and place.id.endswith(f"@{area.id}")


def _also_on_another_day(told: Event, other: Event, also: frozenset[str]) -> bool:
    """True for an act told with "also" on a day of its own other than the other act's:
    "... were also killed yesterday" adds the day before's act to today's."""
    return (
        told.id in also and told.time_precision == 1 and told.event_date is not None
        and other.event_date is not None and told.event_date != other.event_date
    )


def dates_agree(
    a: Event, b: Event, kinds: IncidentKinds = BUILTIN_KINDS,
    openers: frozenset[str] = frozenset(), anew: frozenset[str] = frozenset(),
) -> bool:
    """Undated, or date windows (widened by ``time_precision``) a restatement apart; two
    stated days a night apart at most, and not where a mention's clause opens on its own day
    (``openers``: "On Saturday, four were wounded by mortar shells" after Sunday's round)
    unless it tells of a night's act or a toll's update, nor where one is told as begun anew
    (``anew``: "fresh air raids on Wednesday").

    A month-precise date ("last month") covers its calendar month, not a month either side of
    its middle: "expelled the jihadists last month" is no restatement of Saturday's attack.
    """
    if a.event_date is None or b.event_date is None:
        return True
    if a.time_precision == 1 and b.time_precision == 1:
        # Both sentences name their day: a night's attack is told on the next day, but
        # "barrel bombs on Tuesday" and "air strikes on Thursday" are two incidents, and so are
        # Sunday's mortar round and "on Saturday four were wounded by mortar shells".
        apart = abs((a.event_date - b.event_date).days)
        return apart == 0 or apart <= STATED_DAYS_APART and not (
            a.id in anew or b.id in anew
        ) and (
            _told_of_a_night(a, b) or _toll_update(a, kinds) or _toll_update(b, kinds)
            or not (a.id in openers or b.id in openers)
        )
    a_first, a_last = _window(a.event_date, a.time_precision)
    b_first, b_last = _window(b.event_date, b.time_precision)
    return (b_first - a_last).days <= RESTATEMENT_DAYS and (
        a_first - b_last
    ).days <= RESTATEMENT_DAYS


# A sentence that opens on a day of its own ("On Saturday, ...", "On 12 May ..."): a new
# strand of a round-up, not the day a reporter said something.
_OPENING_DAY = re.compile(
    r"^\W*(?:and\s+|but\s+|also\s+)?on\s+(?:"
    + "|".join(WEEKDAYS)
    + r"|\d{1,2}\s+(?:" + "|".join(MONTHS) + r")\b|(?:" + "|".join(MONTHS) + r")\.?\s+\d{1,2}\b)",
    re.IGNORECASE,
)


def _opening_on_their_day(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of mentions whose clause opens on a day of its own ("On Saturday, four people were
    wounded by mortar shells"): the day the act happened, not the day a source spoke of it
    ("On Thursday the ministry condemned the air strikes")."""

    def opens_on_its_day(event: Event, doc: Any) -> bool:
        tokens = _trigger_tokens(event, doc)
        if not tokens:
            return False
        sent = tokens[0].sent
        first = next((t for t in sent if not (t.is_punct or t.lower_ in ("and", "but", "also"))),
                     None)
        if first is None or first.lower_ != "on" or first.dep_ != "prep" or (
            _OPENING_DAY.match(doc.text[first.idx:sent.end_char]) is None
        ):
            return False
        verb = first.head
        return verb.lemma_.lower() in kinds.harm_verbs or any(
            t == verb or t.head == verb and t.dep_ in ("nsubj", "nsubjpass") for t in tokens
        )

    return _ids_where(analysis, events, opens_on_its_day)


def _told_anew(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of acts told as begun anew ("fresh air raids killed 15 more on Wednesday"
    after Tuesday's toll): another day's act, even beside a toll's update."""
    return _ids_where(
        analysis, events, lambda event, doc: _begun_anew(_trigger_tokens(event, doc), kinds)
    )


def _begun_anew(tokens: Sequence[Any], kinds: IncidentKinds) -> bool:
    """A trigger, or the act noun of its death ("killed in fresh raids"), modified by one of
    ``kinds.fresh_words``."""
    nouns = [t for trigger in tokens for t in trigger.subtree
             if t.pos_ == "NOUN" and t.lemma_.lower() in kinds.act_nouns]
    return any(c.dep_ == "amod" and c.lower_ in kinds.fresh_words
               for t in (*tokens, *nouns) for c in t.children)


def _told_of_a_night(a: Event, b: Event) -> bool:
    """Either mention's sentences put an act in the night ("overnight", "late on Monday"),
    when the day it began and the day it was counted differ."""
    return any(NIGHT.search(s.sentence) for e in (a, b) for s in e.sources)


def _window(day: date, precision: int) -> tuple[date, date]:
    """The first and last day a date of this precision may stand for."""
    if precision == 3:
        first = day.replace(day=1)
        return first, first.replace(day=monthrange(day.year, day.month)[1])
    slack = timedelta(days=DATE_SLACK_DAYS.get(precision, 31))
    return day - slack, day + slack


def other_parties(a: Event, b: Event, actors: Mapping[str, Actor] | None = None) -> bool:
    """True when both mentions name both sides and no party (or its camp) is in both: "regime
    forces pounded rebel positions" and "IS fighters clashed with the Army of Islam" are two
    fights."""
    if None in (a.actor1, a.actor2, b.actor1, b.actor2):
        return False
    if {a.actor1, a.actor2} & {b.actor1, b.actor2}:
        return False
    if actors is None:
        return True

    def camps(event: Event) -> set[str]:
        found: set[str] = set()
        for actor_id in (event.actor1, event.actor2):
            actor = actors.get(actor_id or "")
            found |= _camp(actor, actors) if actor is not None else {actor_id or ""}
        return found

    return not camps(a) & camps(b)


def opposite_sides(a: Event, b: Event) -> bool:
    """True when each mention's attacker is the other's target: two acts, not one.

    Both sides must be named in both: a victim misread as the attacker of one restatement
    ("38 soldiers were killed in the blast") must not split an incident in two.
    """
    if None in (a.actor1, a.actor2, b.actor1, b.actor2) or a.actor1 == b.actor1:
        return False
    return a.actor1 == b.actor2 and b.actor1 == a.actor2


def combine(
    group: Sequence[Event],
    published: date | None = None,
    kinds: IncidentKinds = BUILTIN_KINDS,
    borrowed: frozenset[str] = frozenset(),
    places: Mapping[str, Place] | None = None,
    cities: frozenset[str] = frozenset(),
    one_town: frozenset[str] = frozenset(),
) -> Event:
    """One event for an incident's mentions: best-supported type, actors, place, date, toll.

    ``borrowed``: the ids of mentions whose place no word of their own sentence names (the
    events stage took it from a sentence before); any place a sentence names is preferred.
    ``places``: the article's places by id, to tell a provincial capital that shares its
    province's name ("Hama") from the village its other sentences name in that province.
    ``cities``: the ids of mentions whose place is written as a city ("Idlib city");
    ``one_town``: those whose sentence tells of one town it leaves unnamed ("as IS overran a
    town in Hasakeh province"), whose toll is that town's.
    """
    if len(group) == 1:
        return group[0]
    kind = _chosen_kind(group, kinds)
    typed = [e for e in group if e.sub_event_type == kind.sub_event_type] or list(group)
    actor1 = _first_named(
        _most_named([e.actor1 for e in typed]), _most_named([e.actor1 for e in group])
    )
    actor2 = _first_named(
        _most_named([e.actor2 for e in typed if e.actor2 != actor1]),
        _most_named([e.actor2 for e in group if e.actor2 != actor1]),
    )
    placed = [e for e in group if e.place_id is not None]
    shadowed = _shadowed_capitals(placed, borrowed, places or {}, cities)
    where = min(
        placed, key=lambda e: (e.id in shadowed, _place_rank(e, placed, borrowed, places)),
        default=None,
    )
    where = _spanning_area(where, placed, places or {}, one_town) or where
    dated = [e for e in group if e.event_date is not None]
    # A sentence with no date phrase is given the article's news window: it states no day.
    stated = [e for e in dated if (e.event_date, e.time_precision) != (published, 2)]
    days = Counter(e.event_date for e in stated or dated)
    # The date most sentences give; then the most precise; then the first stated.
    when = min(
        dated, key=lambda e: (-days[e.event_date], e.time_precision, _position(e)), default=None
    )
    toll = _incident_toll(group, kinds)
    modality = "asserted" if any(e.modality == "asserted" for e in group) else "reported"
    confidence = min(
        MAX_CONFIDENCE, max(e.confidence for e in group) + RESTATEMENT_BONUS * (len(group) - 1)
    )
    return replace(
        group[0],
        event_type=kind.event_type,
        sub_event_type=kind.sub_event_type,
        plover_type=kind.plover_type,
        trigger=kind.trigger,
        actor1=actor1,
        actor2=actor2,
        assoc_actor_1=kind.assoc_actor_1 or _most_named([e.assoc_actor_1 for e in group]),
        assoc_actor_2=kind.assoc_actor_2 or _most_named([e.assoc_actor_2 for e in group]),
        place_id=where.place_id if where else None,
        geo_precision=where.geo_precision if where else None,
        event_date=when.event_date if when else None,
        time_precision=when.time_precision if when else 3,
        fatalities=toll,
        modality=modality,
        confidence=round(confidence, 2),
        sources=_sources(group),
        stage=STAGE,
    )


def _spanning_area(
    where: Event | None, placed: Sequence[Event], places: Mapping[str, Place],
    one_town: frozenset[str] = frozenset(),
) -> Event | None:
    """A mention placed at the province that holds the incident's towns when the incident
    spans more than one: towns that lie apart, or a town told with a part of the province's
    toll ("20 killed in Idlib province ... Twelve were killed in Saraqeb"). ``None`` when no
    such mention."""
    if where is None or where.place_id not in places:
        return None
    towns = [
        places[e.place_id] for e in placed
        if e.place_id in places and (places[e.place_id].geo_precision or 3) <= 2
    ]
    chosen = places[where.place_id]
    areas = [
        e for e in placed
        if e.place_id in places and all(_holds(places[e.place_id], town) for town in towns)
        and not e.place_id.startswith("country:")
    ]
    apart = any(not places_agree(chosen, town) for town in towns)
    # "More than 50 were killed in Hasakeh province as IS overran a town ... 39 rebels killed
    # in the town of Markada": the province's toll is the one town's, told before its name
    single = len({town.id for town in towns}) == 1
    part = where.fatalities is not None and any(
        e.fatalities is not None and e.fatalities.low > where.fatalities.high
        and not (single and e.id in one_town)
        for e in areas
    )
    if not (apart or part) or not areas:
        return None
    return next((e for e in areas if e.fatalities is not None), areas[0])


def _chosen_kind(group: Sequence[Event], kinds: IncidentKinds) -> Event:
    """The mention whose type the incident takes: the most stated specific sub-type.

    "17 killed in suicide bombings" / "the attackers opened fire": the suicide bombing, not the
    generic attack; a territorial change over the clash it ended. (Taking the type of the
    sentence that states the toll instead was measured and lost: FA-KES cause 0.753 -> 0.674.)
    """
    counts = Counter(e.sub_event_type for e in group)
    # "Bombs kill 22 at checkpoint" / "a double suicide bomb attack": the suicide bombing is
    # the form of the explosion that says more.
    # The reports of the general form count for the specific one too.
    general = {form for sub, form in kinds.forms if sub in counts}
    support = Counter(counts)
    for sub, form in kinds.forms:
        if sub in counts:
            support[sub] += counts[form]

    def rank(event: Event) -> tuple[int, int, int, int, int, tuple[int, str]]:
        return (
            # what an act left behind ("car bombs destroyed") never types the act itself
            event.sub_event_type in kinds.outcome,
            event.sub_event_type not in kinds.territorial,
            event.sub_event_type in kinds.generic or event.sub_event_type in general,
            _vague_bombing(event, kinds),
            -support[event.sub_event_type],
            _position(event),
        )

    return min(group, key=rank)


def _vague_bombing(event: Event, kinds: IncidentKinds) -> bool:
    """True for an air strike read from the word "bombing" alone, with no aircraft named:
    "eight were killed in a bombing in Hasakeh" / "the blast hit a checkpoint" is the blast's
    incident."""
    if event.sub_event_type != "Air/drone strike" or not event.sources:
        return False
    words = set(re.findall(r"[a-z]+", event.sources[0].sentence.lower()))
    return bool(words & kinds.bombing_words) and not words & kinds.air_words


def _incident_toll(
    group: Sequence[Event], kinds: IncidentKinds = BUILTIN_KINDS
) -> Fatalities | None:
    """The figure most sentences state for the incident; on a tie, the first one stated. A
    vague count ("dozens") stands for an exact one in its range.

    The lede states an incident's toll and later sentences repeat it; a figure stated once in
    passing is more often another count (a week's toll, a side's losses) than an update.
    """
    told = [e for e in sorted(group, key=_position) if e.fatalities is not None]
    # "three more died of their wounds" adds to a count the lede gives as the whole
    told = [e for e in told if not _increment(e, kinds)] or told
    # "Abu Abdelrahman Salqeen ... was killed" then "six other members also died": a toll read
    # from names says who died; a count the incident states outranks it
    told = [e for e in told if not _named_only(e.fatalities)] or told
    tolls = [e.fatalities for e in told]
    if not tolls:
        return None
    updates = [e.fatalities for e in told if _toll_update(e, kinds)]
    if updates:
        # "the number killed by the air strike has risen to 20": the latest count replaces
        # the lede's "at least 10"
        return max(updates, key=lambda t: t.low)
    # "Dozens of civilians have been killed" then "at least 73 civilians were killed": the
    # vague count is the exact one its range holds, told before it was known
    exact = [t for t in tolls if t.low == t.high]
    tolls = [
        next((e for e in exact if t.low <= e.low <= t.high), t) if t.high > t.low else t
        for t in tolls
    ]
    first, parts = tolls[0], [t for t in tolls[1:] if t.low != tolls[0].low]
    if parts and all(t.low < first.low for t in parts) and sum(t.low for t in parts) <= first.low:
        # "six killed in rocket attacks on Aleppo; two in Salah Eddin, two in Midan, one in
        # ...": the later figures break the lede's toll down, however often one repeats
        return first
    counts = Counter(t.low for t in tolls)
    top = max(counts.values())
    return next(t for t in tolls if counts[t.low] == top)


def _named_only(toll: Fatalities) -> bool:
    """True for a toll read from the names of who died ("Ahmad Saleh", "the group's leader
    Abu Abdelrahman Salqeen"), with no count stated."""
    words = (toll.as_stated or "").split()
    return (
        not states_number(toll.as_stated)
        and parse_count(toll.as_stated or "") is None
        and any(word[:1].isupper() for word in words[1:])
    )


def _toll_update(event: Event, kinds: IncidentKinds = BUILTIN_KINDS) -> bool:
    """True for a toll stated as an update of the count ("the toll has risen to 20", "the
    number of dead climbed to 45")."""
    toll = event.fatalities
    if toll is None or not event.sources or not toll.as_stated:
        return False
    sentence = event.sources[0].sentence
    rising = _alternation(kinds.rising_words)
    return re.search(
        r"\b(?:" + rising + r")\s+to\s+(?:" + _QUALIFIERS + r")?" + re.escape(toll.as_stated),
        sentence,
        re.IGNORECASE,
    ) is not None


# The toll reader's qualifiers of a count ("at least", "about", "up to"), the longest first so
# "no more than" is tried before "more than": "the toll has risen to at least 20".
_QUALIFIERS = "|".join(
    re.escape(q).replace(r"\ ", r"\s+") + r"\s+"
    for q in sorted(COUNT_QUALIFIERS, key=len, reverse=True)
)


def _most_named(ids: Sequence[str | None]) -> str | None:
    """The id named most often (the first named on a tie), ignoring blanks; a named actor
    before an unidentified one ("terrorist rocket attacks" / "ISIL terrorists fired rockets":
    the second names who the first left vague)."""
    named = [i for i in ids if i is not None and not i.startswith(UNIDENTIFIED_ID_PREFIX)]
    counts = Counter(named or [i for i in ids if i is not None])
    if not counts:
        return None
    top = max(counts.values())
    return next(i for i in ids if i is not None and counts[i] == top)


def _first_named(*ids: str | None) -> str | None:
    """The first id that names an actor, else the first given: the sentences of an incident's
    own type first, then the rest, which may name whom the first left unidentified."""
    given = [i for i in ids if i is not None]
    return next((i for i in given if not i.startswith(UNIDENTIFIED_ID_PREFIX)), None) or next(
        iter(given), None
    )


def _shadowed_capitals(
    placed: Sequence[Event], borrowed: frozenset[str], places: Mapping[str, Place],
    cities: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """Ids of mentions placed at a provincial capital named like its province ("Massacre in
    Hama Village") where another sentence names a place of its own in that province ("the
    village of Khatab in Hama province"), or the province itself ("the attack in Idlib
    province ... the attack in Idlib"): the name is the province's. Not a capital written as
    a city (``cities``: "Idlib city", "the city of Idlib")."""
    named = [
        places[e.place_id] for e in placed
        if e.id not in borrowed and e.place_id in places
        and not (e.place_id or "").startswith("country:")
    ]
    found = set()
    for event in placed:
        capital = places.get(event.place_id or "")
        if capital is None or capital.geo_precision != 1 or not capital.admin1:
            continue
        if event.id in cities or not named_like_its_province(capital.name, capital.admin1):
            continue  # "Ḩamāh" and Hama, "Ar Raqqah" and Raqqa share a name
        if any(
            p.id != capital.id and p.admin1 == capital.admin1 and p.country == capital.country
            for p in named
        ):
            found.add(event.id)
    return frozenset(found)


def _one_unnamed_town(
    analysis: Analysis, events: Sequence[Event], kinds: IncidentKinds
) -> frozenset[str]:
    """Ids of mentions whose sentence tells of one settlement it does not name ("as IS overran
    a town bordering Iraq", "in a village in Idlib province") and of no other."""

    def tells_one_unnamed(event: Event, doc: Any) -> bool:
        sent = _first_sentence(event, doc)
        if sent is None:
            return False
        nouns = [t for t in sent if t.lower_ in kinds.settlements and t.tag_ == "NN"]
        return len(nouns) == 1 and any(
            c.dep_ == "det" and c.lower_ in ("a", "an") for c in nouns[0].children
        )

    return _ids_where(analysis, events, tells_one_unnamed)


def _called_cities(analysis: Analysis, events: Sequence[Event]) -> frozenset[str]:
    """Ids of mentions whose place their own sentence writes as a city ("Idlib city", "the
    city of Idlib"), which no mention of its province shadows."""
    return frozenset(
        event.id for event in events
        if any(written_with(span, "city") for span in _own_place_spans(event, analysis))
    )


def _own_place_spans(event: Event, analysis: Analysis) -> list:
    """The spans that name a mention's place in its own sentence."""
    doc = analysis.doc
    if doc is None or event.place_id is None or not event.sources:
        return []
    source = event.sources[0]
    spans = []
    for mention in analysis.mentions:
        if mention.label != "PLACE" or mention.entity_id != event.place_id:
            continue
        if not source.start <= mention.start < source.end:
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def _place_rank(
    event: Event, placed: Sequence[Event], borrowed: frozenset[str] = frozenset(),
    places: Mapping[str, Place] | None = None,
) -> tuple[bool, bool, int, int, float, tuple[int, str]]:
    """A named province or town before the whole country, then a place its own sentence names
    before one borrowed ("an attack on villages in Hama province" before "an attack is ongoing
    in the area", placed at the town told last), then the most precise, the place most
    sentences give, the most confident.

    A village the gazetteer lacks has no coordinates, so no precision of its own; told inside
    a province the incident also names ("strikes on the town of Salma" after "strikes in
    Latakia province") it is more precise than the province, less than a town on the map.
    """
    named = sum(e.place_id == event.place_id for e in placed)
    country = (event.place_id or "").startswith("country:")
    precision = event.geo_precision or 3
    place = (places or {}).get(event.place_id or "")
    if place is not None and is_unlisted(place.id) and place.admin1 and any(
        (other := (places or {}).get(e.place_id or "")) is not None
        and other.geo_precision == 3 and not other.id.startswith("country:")
        and other.admin1 == place.admin1 and other.country == place.country
        for e in placed
    ):
        precision = 2
    return (
        country, event.id in borrowed, precision, -named, -event.confidence, _position(event),
    )


def _narrows_the_place(
    event: Event, group: Sequence[Event], borrowed: frozenset[str], places: Mapping[str, Place]
) -> bool:
    """True when a mention that points back to an incident names, in its own sentence, a town
    of the province where every placed mention of the incident put it, at the province or at
    its capital named like it ("Bomb in Idlib kills 30" ... "the blast took place outside the
    town of X in Idlib province"): the town says where in the province, it contradicts none."""
    own = places.get(event.place_id or "") if _placed_here(event, borrowed) else None
    if own is None or own.geo_precision != 1 or not own.admin1:
        return False
    told = [places[m.place_id] for m in group if m.place_id in places]
    return bool(told) and all(
        p.id != own.id and p.admin1 == own.admin1 and p.country == own.country
        and (p.geo_precision != 1 or named_like_its_province(p.name, p.admin1))
        for p in told
    )


def _placed_here(event: Event, borrowed: frozenset[str]) -> bool:
    """True when a mention's own sentence names its place."""
    return event.place_id is not None and event.id not in borrowed


def _borrowed_places(analysis: Analysis, events: Sequence[Event]) -> frozenset[str]:
    """Ids of mentions whose place no place mention of their own sentence names."""
    found = set()
    for event in events:
        if event.place_id is None or not event.sources:
            continue
        source = event.sources[0]
        if not any(
            m.label == "PLACE" and m.entity_id == event.place_id
            and source.start <= m.start < source.end
            for m in analysis.mentions
        ):
            found.add(event.id)
    return frozenset(found)


def _sources(group: Sequence[Event]) -> tuple[Source, ...]:
    seen: dict[tuple[str, int, int], Source] = {}
    for event in group:
        for source in event.sources:
            seen.setdefault((source.article_id, source.start, source.end), source)
    return tuple(sorted(seen.values(), key=lambda s: (s.start, s.end)))


__all__ = ["STAGE", "enemy_holders", "group_incidents", "refers_back", "same_incident"]
