"""Sentence-level event detection: trigger, ACLED/PLOVER type, actor roles, place, date, toll.

The stage finds trigger words (``knowledge/event_lexicon.py``), reads who did what to whom from the
dependency parse (passive voice included), and asks the helper modules for the date, the death
toll and the modality. Death verbs ("killed") in a sentence that also names a strike, a clash or a
bombing are folded into that event as its toll rather than coded as a second event.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Span, Token

from sitreps.extract import sentence_source
from sitreps.extract.casualties import find_fatalities
from sitreps.extract.dates import resolve_event_date
from sitreps.extract.modality import find_modality
from sitreps.geo.resolve import event_place
from sitreps.knowledge.event_lexicon import (
    BATTLES,
    CONTROL_VERBS,
    NOUN_TRIGGERS,
    REMOTE,
    TAKE_VERBS,
    VAC,
    VERB_TRIGGERS,
    WEAPON_PRECEDENCE,
    WEAPON_SUB_TYPES,
    TriggerSense,
)
from sitreps.records import Actor, Analysis, Event, Fatalities, Mention, Place

STAGE = "sitreps.events.v1"

DEFAULT_EVENT_OPTIONS: Mapping[str, Any] = {
    # How many sentences back an event without a place of its own may borrow one from.
    "place_lookback": 3,
}

_AGENT_PREPS = frozenset({"by"})
_TARGET_PREPS = frozenset({"against", "on", "with", "at"})
_NOUN_OBJECT_VERBS = frozenset(
    {"launch", "carry", "conduct", "stage", "mount", "wage", "lead", "spearhead", "claim",
     "begin", "start", "continue", "step", "intensify"}
)
_ARMED_KINDS = frozenset({1, 2, 3, 4, 8})
_SKIP_ENTITY_LABELS = frozenset({"ACTOR", "PERSON", "ORG", "GPE", "LOC", "FAC", "WORK_OF_ART"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word that signals an event, with its provisional sense."""

    token: Token
    sense: TriggerSense
    text: str


@dataclass(frozen=True, slots=True)
class Roles:
    """Actor mentions in each ACLED role slot."""

    actor1: Mention | None = None
    actor2: Mention | None = None
    assoc1: Mention | None = None
    assoc2: Mention | None = None


def extract_events(analysis: Analysis, config: Mapping[str, Any]) -> Analysis:
    """Find the events of an article, one or more per sentence, each with its sentence.

    Args:
        analysis: an article with ``doc``, actor and place mentions already extracted.
        config: stage options (see ``DEFAULT_EVENT_OPTIONS``).
    Returns:
        a copy of ``analysis`` with ``events`` added.
    """
    doc = analysis.doc
    actors = {actor.id: actor for actor in analysis.actors}
    places = {place.id: place for place in analysis.places}
    actor_mentions = [m for m in analysis.mentions if m.label == "ACTOR" and m.entity_id]
    place_mentions = [
        m for m in analysis.mentions if m.label == "PLACE" and m.entity_id in places
    ]
    lookback = int(config.get("place_lookback", DEFAULT_EVENT_OPTIONS["place_lookback"]))
    events: list[Event] = []
    for sent_index, sent in enumerate(doc.sents):
        triggers = merge_triggers(list(find_triggers(sent, actor_mentions, place_mentions)))
        for trigger, toll_trigger in triggers:
            event = build_event(
                analysis, sent, sent_index, trigger, toll_trigger, actors, places,
                actor_mentions, place_mentions, lookback,
            )
            if event is not None:
                events.append(event)
    return replace(analysis, events=analysis.events + tuple(events))


def find_triggers(
    sent: Span, actor_mentions: list[Mention], place_mentions: list[Mention]
) -> Iterator[Trigger]:
    """Yield the event triggers of a sentence, multiword nouns ("air strike") first."""
    consumed: set[int] = set()
    tokens = list(sent)
    for position, token in enumerate(tokens):
        if token.i in consumed:
            continue
        if position + 1 < len(tokens):
            following = tokens[position + 1]
            pair = f"{token.lower_} {following.lemma_.lower()}"
            pair_sense = NOUN_TRIGGERS.get(pair) or NOUN_TRIGGERS.get(
                f"{token.lower_} {following.lower_}"
            )
            if pair_sense is not None and following.pos_ in ("NOUN", "PROPN"):
                consumed.update((token.i, following.i))
                yield Trigger(following, pair_sense, f"{token.text} {following.text}")
                continue
        sense = trigger_sense(token, place_mentions)
        if sense is not None:
            yield Trigger(token, sense, token.text)


def trigger_sense(token: Token, place_mentions: list[Mention]) -> TriggerSense | None:
    """The sense of a single-token trigger, or None when the word does not signal an event here."""
    if token.ent_type_ in _SKIP_ENTITY_LABELS and _in_multiword_entity(token):
        return None  # "Liberation" in "Kurdistan Liberation Army" names a group, not an event
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        if lemma in CONTROL_VERBS and any(
            child.dep_ == "dobj" and child.lemma_.lower() == "control" for child in token.children
        ):
            return VERB_TRIGGERS["capture"]
        if lemma in TAKE_VERBS and lemma not in VERB_TRIGGERS:
            objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
            if any(_mention_covering(place_mentions, obj) for obj in objects):
                return VERB_TRIGGERS["capture"]
            return None
        if lemma == "fall" and any(
            c.dep_ == "prep" and c.lower_ == "to" for c in token.children
        ):
            return NOUN_TRIGGERS["fall"]
        return VERB_TRIGGERS.get(lemma)
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
        if lemma == "fall" and not any(
            c.dep_ == "prep" and c.lower_ in ("of", "to") for c in token.children
        ):
            return None
        return NOUN_TRIGGERS.get(lemma) or NOUN_TRIGGERS.get(token.lower_)
    return None


def _in_multiword_entity(token: Token) -> bool:
    following = token.i + 1 < len(token.doc) and token.doc[token.i + 1].ent_iob_ == "I"
    return token.ent_iob_ == "I" or following


def merge_triggers(triggers: list[Trigger]) -> list[tuple[Trigger, Trigger | None]]:
    """Fold death verbs and generic attacks into the sentence's specific event, if it has one.

    Returns (event trigger, toll trigger) pairs; the toll trigger is where the death count is read.
    """
    specific: list[Trigger] = []
    for trigger in triggers:
        # "a car bomb exploded": two words, one explosion; one event per sub-type per sentence.
        if trigger.sense.kind not in ("kill", "attack") and all(
            t.sense.sub_event_type != trigger.sense.sub_event_type for t in specific
        ):
            specific.append(trigger)
    generic = [t for t in triggers if t.sense.kind in ("kill", "attack")]
    kills = [t for t in triggers if t.sense.kind == "kill"]
    if not specific:
        if not generic:
            return []
        # One violent act per sentence: prefer the attack noun/verb, read the toll at the kill.
        attacks = [t for t in generic if t.sense.kind == "attack"]
        main = attacks[0] if attacks else generic[0]
        return [(main, kills[0] if kills else None)]
    pairs: list[tuple[Trigger, Trigger | None]] = []
    for index, trigger in enumerate(specific):
        toll = kills[0] if kills and index == 0 else None
        pairs.append((trigger, toll))
    return pairs


def build_event(
    analysis: Analysis,
    sent: Span,
    sent_index: int,
    trigger: Trigger,
    toll_trigger: Trigger | None,
    actors: dict[str, Actor],
    places: dict[str, Place],
    actor_mentions: list[Mention],
    place_mentions: list[Mention],
    lookback: int,
) -> Event | None:
    """Assemble one event from a trigger and the sentence around it."""
    roles = find_roles(trigger.token, actor_mentions)
    if toll_trigger is not None and roles.actor2 is None:
        victims = find_roles(toll_trigger.token, actor_mentions)
        roles = replace(roles, actor2=victims.actor2, actor1=roles.actor1 or victims.actor1)
    fatalities = find_fatalities(sent, (toll_trigger or trigger).token)
    if fatalities is None and toll_trigger is not None:
        fatalities = find_fatalities(sent, trigger.token)
    actor1 = actors.get(roles.actor1.entity_id) if roles.actor1 else None
    actor2 = actors.get(roles.actor2.entity_id) if roles.actor2 else None
    event_type, sub_type, plover = classify(trigger, sent, actor1, actor2, fatalities)
    if event_type is None:
        return None
    place_mention, borrowed = find_place(
        analysis, sent, sent_index, trigger.token, place_mentions, lookback,
        territorial=trigger.sense.kind == "territory",
    )
    place = places.get(place_mention.entity_id) if place_mention else None
    geo_precision = None
    if place is not None:
        geo_precision = max(place.geo_precision, 2) if borrowed else place.geo_precision
    event_date, time_precision = resolve_event_date(
        sent, trigger.token, analysis.article.published
    )
    modality = find_modality(sent, trigger.token)
    article_id = analysis.article.id
    return Event(
        id=event_id(article_id, trigger.token.idx, sub_type),
        event_type=event_type,
        sub_event_type=sub_type,
        plover_type=plover,
        trigger=trigger.text,
        event_date=event_date,
        time_precision=time_precision,
        actor1=roles.actor1.entity_id if roles.actor1 else None,
        actor2=roles.actor2.entity_id if roles.actor2 else None,
        assoc_actor_1=roles.assoc1.entity_id if roles.assoc1 else None,
        assoc_actor_2=roles.assoc2.entity_id if roles.assoc2 else None,
        place_id=place.id if place else None,
        geo_precision=geo_precision,
        fatalities=fatalities,
        modality=modality,
        confidence=score_confidence(roles, place, borrowed, time_precision, modality),
        sources=(sentence_source(article_id, sent),),
        stage=STAGE,
    )


def classify(
    trigger: Trigger,
    sent: Span,
    actor1: Actor | None,
    actor2: Actor | None,
    fatalities: Fatalities | None,
) -> tuple[str | None, str, str]:
    """Refine a trigger's provisional type with its actors, weapons and victims."""
    sense = trigger.sense
    if sense.kind == "territory":
        if actor1 is not None and actor1.inter_code == 1:
            return BATTLES, "Government regains territory", "FIGHT"
        if actor1 is not None and actor1.inter_code in (2, 3, 4):
            return BATTLES, "Non-state actor overtakes territory", "FIGHT"
        return BATTLES, "Armed clash", "FIGHT"
    if sense.kind in ("kill", "attack"):
        weapon = weapon_sense(sent)
        civilian_target = _is_civilian_target(actor2, fatalities)
        if weapon is not None:
            plover = "ASSAULT" if civilian_target else weapon.plover_type
            return weapon.event_type, weapon.sub_event_type, plover
        if civilian_target:
            return VAC, "Attack", "ASSAULT"
        if actor2 is not None and actor2.inter_code in _ARMED_KINDS:
            return BATTLES, "Armed clash", "FIGHT"
        if fatalities is not None and fatalities.victims == "combatants":
            return BATTLES, "Armed clash", "FIGHT"
        return VAC, "Attack", "ASSAULT"
    if sense.event_type == REMOTE and _is_civilian_target(actor2, fatalities):
        return sense.event_type, sense.sub_event_type, "ASSAULT"
    if sense.event_type == VAC:
        return sense.event_type, sense.sub_event_type, sense.plover_type
    return sense.event_type, sense.sub_event_type, sense.plover_type


def weapon_sense(sent: Span) -> TriggerSense | None:
    """The most specific weapon named in a sentence, if any."""
    found = {
        WEAPON_SUB_TYPES[t.lower_].sub_event_type: WEAPON_SUB_TYPES[t.lower_]
        for t in sent
        if t.lower_ in WEAPON_SUB_TYPES
    }
    for sub_type in WEAPON_PRECEDENCE:
        if sub_type in found:
            return found[sub_type]
    return None


def _is_civilian_target(actor2: Actor | None, fatalities: Fatalities | None) -> bool:
    if actor2 is not None:
        return actor2.inter_code == 7
    return fatalities is not None and fatalities.victims == "civilians"


def find_roles(trigger: Token, actor_mentions: list[Mention]) -> Roles:
    """Read actor1 (who acts) and actor2 (who is acted on) from the dependency parse."""
    agent_tokens: list[Token] = []
    target_tokens: list[Token] = []
    children = list(trigger.children)
    if trigger.pos_ == "VERB":
        for child in children:
            if child.dep_ in ("nsubj",):
                agent_tokens.append(child)
            elif child.dep_ == "agent":
                agent_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ in ("dobj", "nsubjpass"):
                target_tokens.append(child)
            elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
                target_tokens.extend(c for c in child.children if c.dep_ == "pobj")
        if not agent_tokens:
            agent_tokens.extend(_inherited_subjects(trigger))
    else:
        for child in children:
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                # "government offensive", "Russian air strikes", "the regime's bombardment"
                if _mention_covering(actor_mentions, child) is not None:
                    agent_tokens.append(child)
            elif child.dep_ == "prep" and child.lower_ in _AGENT_PREPS:
                agent_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "prep" and child.lower_ in (_TARGET_PREPS | {"of"}):
                target_tokens.extend(c for c in child.children if c.dep_ == "pobj")
        head = trigger.head
        if trigger.dep_ in ("dobj",) and head.lemma_.lower() in _NOUN_OBJECT_VERBS:
            agent_tokens.extend(c for c in head.children if c.dep_ == "nsubj")
        if trigger.dep_ == "nsubjpass":
            agent_tokens.extend(
                p for c in head.children if c.dep_ == "agent" for p in c.children
                if p.dep_ == "pobj"
            )
    actor1 = _first_actor(agent_tokens, actor_mentions)
    actor2 = _first_actor(target_tokens, actor_mentions, exclude=actor1)
    if actor1 is not None and actor2 is not None and actor1.entity_id == actor2.entity_id:
        actor2 = None  # one side named twice ("forces stormed the army's camp") is one side
    return Roles(
        actor1=actor1,
        actor2=actor2,
        assoc1=_conjoined_actor(actor1, agent_tokens, actor_mentions),
        assoc2=_conjoined_actor(actor2, target_tokens, actor_mentions),
    )


def _inherited_subjects(verb: Token) -> list[Token]:
    """The agent a verb shares with the clause it hangs from.

    "launched an assault to retake X" (xcomp), "Days after recapturing Palmyra, IS fighters
    pressed on" (pcomp under a preposition), "forces besieging the city" (acl: the noun itself).
    """
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return [verb.head]
    current = verb
    for _ in range(4):
        if current.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "prep"):
            return []
        if current.head is current:
            return []
        current = current.head
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects
    return []


def _mention_covering(mentions: list[Mention], token: Token) -> Mention | None:
    for mention in mentions:
        if mention.start <= token.idx < mention.end:
            return mention
    return None


def _first_actor(
    tokens: list[Token], mentions: list[Mention], exclude: Mention | None = None
) -> Mention | None:
    """The actor mention a role token names: the token itself, else its own subtree."""
    for token in tokens:
        mention = _mention_covering(mentions, token)
        if mention is not None and mention != exclude:
            return mention
        for inner in token.subtree:
            mention = _mention_covering(mentions, inner)
            if mention is not None and mention != exclude:
                return mention
    return None


def _conjoined_actor(
    main: Mention | None, tokens: list[Token], mentions: list[Mention]
) -> Mention | None:
    """A second actor coordinated with the first ("Russian and Syrian jets")."""
    if main is None:
        return None
    for token in tokens:
        for inner in token.subtree:
            if inner.dep_ in ("conj", "amod", "compound") and inner.head.i != inner.i:
                mention = _mention_covering(mentions, inner)
                if mention is not None and mention.entity_id != main.entity_id:
                    return mention
    return None


def find_place(
    analysis: Analysis,
    sent: Span,
    sent_index: int,
    trigger: Token,
    place_mentions: list[Mention],
    lookback: int,
    territorial: bool = False,
) -> tuple[Mention | None, bool]:
    """The place where the event happened; ``borrowed`` is True when taken from context."""
    in_sentence = [m for m in place_mentions if sent.start_char <= m.start < sent.end_char]
    if in_sentence and territorial:
        # Who holds a place changes at the place the trigger governs: "expelled X from Palmyra",
        # "won control of ... Aleppo"; read it from the trigger's own subtree first.
        for token in trigger.subtree:
            mention = _mention_covering(in_sentence, token)
            if mention is not None:
                return mention, False
    if in_sentence:
        chosen = event_place(analysis.doc, trigger, in_sentence)
        if chosen is not None:
            return chosen, False
    earlier = [
        m for m in place_mentions if sent_index - lookback <= m.sentence_index < sent_index
    ]
    if earlier:
        return max(earlier, key=lambda m: m.start), True
    counts = Counter(m.entity_id for m in place_mentions)
    if counts:
        top_id = counts.most_common(1)[0][0]
        return next(m for m in place_mentions if m.entity_id == top_id), True
    return None, False


def score_confidence(
    roles: Roles, place: Place | None, borrowed: bool, time_precision: int, modality: str
) -> float:
    """A 0..1 score from how much of the event the sentence itself states."""
    score = 0.4
    score += 0.15 if roles.actor1 else 0.0
    score += 0.1 if roles.actor2 else 0.0
    score += 0.15 if place is not None and not borrowed else 0.05 if place else 0.0
    score += 0.1 if time_precision == 1 else 0.0
    if modality == "reported":
        score -= 0.05
    elif modality in ("hedged", "future"):
        score -= 0.25
    elif modality == "negated":
        score -= 0.3
    return round(min(max(score, 0.05), 0.95), 2)


def event_id(article_id: str, char_offset: int, sub_type: str) -> str:
    """A stable id: the same trigger in the same article always gives the same event id."""
    key = f"{article_id}:{char_offset}:{sub_type}:{STAGE}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


__all__ = ["DEFAULT_EVENT_OPTIONS", "VAC", "extract_events"]
