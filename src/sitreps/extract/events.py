"""Sentence-level event detection: trigger, ACLED/PLOVER type, actor roles, place, date, toll.

The stage finds trigger words (``knowledge/event_lexicon.py``), reads who did what to whom from the
dependency parse (passive voice included), and asks the helper modules for the date, the death
toll and the modality. Death verbs ("killed") in a sentence that also names a strike, a clash or a
bombing are folded into that event as its toll rather than coded as a second event.

Acts PLOVER codes but ACLED does not (rejecting, threatening, demanding, accusing, aiding...) are
events too, with ``event_type`` and ``sub_event_type`` set to ``NON_ACLED`` so that ACLED views can
drop them; one is kept per sentence, and only when it governs the sentence's ACLED triggers. A war's
running death toll ("280,000 killed since 2011") is background and gives no event.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Doc, Span, Token

from sitreps.extract import (
    DEFINITE_DETERMINERS,
    describes_place,
    hyphened_participle,
    misread_is,
    opens_apart,
    sentence_ents,
    sentence_source,
    served_by_a_place,
    told_aftermath,
    written_with,
)
from sitreps.extract.casualties import (
    after_clause,
    counts_the_wounded,
    find_fatalities,
    in_measured_earlier_act,
    is_running_toll,
    measured_earlier_act,
    measured_gap,
    since_phrase,
)
from sitreps.extract.dates import (
    EventDate,
    find_event_date,
    is_historical,
    names_an_earlier_year,
    past_event_date,
    resolve_date_text,
)
from sitreps.extract.locate import (
    event_place,
    located_beside,
    locates,
    names_no_scene,
    placed_beside,
    territory_place,
)
from sitreps.extract.locate_learned import DEFAULT_LINKER, check_linker, link_event_place
from sitreps.extract.modality import (
    BACKGROUND,
    HEDGED,
    answered_act,
    background_reason,
    clause_heads,
    counted_over_span,
    day_dated,
    describes_holder,
    find_modality,
    has_to,
    perfect_relative,
    simultaneous_head,
)
from sitreps.extract.places import borrowable_places, story_country
from sitreps.extract.structures import structure_sense
from sitreps.geo.resolve import is_unlisted
from sitreps.knowledge.actors import UNIDENTIFIED_ID_PREFIX, actor_kb_for
from sitreps.knowledge.event_lexicon import (
    REMOTE,
    VAC,
    EventLexicon,
    TriggerSense,
    reading_lexicon,
)
from sitreps.knowledge.package import Knowledge, default_knowledge, derived
from sitreps.records import (
    FACTUAL_MODALITIES,
    Actor,
    Analysis,
    Event,
    Fatalities,
    Mention,
    Place,
)

STAGE = "sitreps.events.v1"

DEFAULT_EVENT_OPTIONS: Mapping[str, Any] = {
    # How many sentences back an event without a place of its own may borrow one from.
    "place_lookback": 3,
    # Who picks an event's place among its sentence's places: "combined" (the learned model
    # where it is sure, else the hand-written rules), "learned" (the model alone) or "rules".
    # The model is trained by scripts/train_event_location.py; see extract/locate_learned.py.
    "location_linker": DEFAULT_LINKER,
}

_AGENT_PREPS = frozenset({"by"})
_ARMED_KINDS = default_knowledge().inter_codes(armed=True)
_SENSES = default_knowledge().senses
# ACLED inter codes the classification reads, by the actor kind's name (ontology.toml); a
# state's forces by their kind's flag (``state``), read from the run's package where used.
_CIVILIANS = default_knowledge().actor_kinds["civilians"].inter
_NON_STATE_GROUPS = default_knowledge().inter_codes(non_state=True)


# The package extract_events reads an article with, and its event lexicon (issue 17): the
# helpers below take trigger tables, word lists, weapon ranks and the readings of verbs of
# killing from it, so a user's knowledge file adds to them without each helper taking a
# knowledge parameter. Set for the span of one call of the stage (see reading_with).
_RUN: ContextVar[tuple[Knowledge, EventLexicon] | None] = ContextVar(
    "sitreps_events_knowledge", default=None
)


@contextmanager
def reading_with(knowledge: Knowledge | None) -> Iterator[None]:
    """Within the block, the stage's helpers read ``knowledge`` (the built-in one for None)."""
    knowledge = knowledge or default_knowledge()
    lexicon = derived(EventLexicon.of, knowledge)
    token = _RUN.set((knowledge, lexicon))
    try:
        with reading_lexicon(lexicon):  # the modality reader's and place linker's lists
            yield
    finally:
        _RUN.reset(token)


def _knowledge() -> Knowledge:
    """The package the stage reads with (the built-in one outside :func:`reading_with`)."""
    run = _RUN.get()
    return default_knowledge() if run is None else run[0]


def _lexicon() -> EventLexicon:
    """The event lexicon of the package the stage reads with, built once per package."""
    run = _RUN.get()
    return derived(EventLexicon.of) if run is None else run[1]


def _sub_type(name: str) -> tuple[str | None, str, str]:
    """(event type, sub-event type, PLOVER type) of a sub-event type, from the ontology."""
    sub = default_knowledge().sub_event_types[name]
    return sub.event_type, sub.name, sub.plover or ""


def _typed(sense: TriggerSense) -> tuple[str | None, str, str]:
    """(event type, sub-event type, PLOVER type) of a trigger sense."""
    return sense.event_type, sense.sub_event_type, sense.plover_type
# Kinds of event that kill no one themselves: a deal, an arrest, a protest note, a threat. A
# death count in their sentence belongs to a violent event, or to none.
_TOLL_FREE_KINDS = frozenset({"strategic", "plover"})
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
    knowledge = config.get("knowledge") or default_knowledge()
    with reading_with(knowledge):
        return _events_of(analysis, config, knowledge)


def _events_of(analysis: Analysis, config: Mapping[str, Any], knowledge: Knowledge) -> Analysis:
    """:func:`extract_events` with the stage's package set (:func:`reading_with`)."""
    doc = analysis.doc
    actors = {actor.id: actor for actor in analysis.actors}
    places = {place.id: place for place in analysis.places}
    actor_mentions = [m for m in analysis.mentions if m.label == "ACTOR" and m.entity_id]
    place_mentions = [
        m for m in analysis.mentions if m.label == "PLACE" and m.entity_id in places
    ]
    focus = story_country(analysis)
    actor_mentions = [
        m for m in actor_mentions if not _scene_country(doc, m, place_mentions, focus)
    ]
    lookback = int(config.get("place_lookback", DEFAULT_EVENT_OPTIONS["place_lookback"]))
    linker = check_linker(str(config.get("location_linker", DEFAULT_LINKER)))
    events: list[Event] = []
    reference = reference_date(analysis.article.published, doc)
    for sent_index, sent in enumerate(doc.sents):
        found = list(find_triggers(sent, actor_mentions, place_mentions, knowledge))
        triggers = merge_triggers(found)
        used = {t.token.i for pair in triggers for t in pair if t is not None}
        dropped = [t for t in found if t.token.i not in used]
        tolls_read: set[tuple[int, str]] = set()
        for trigger, toll_trigger in triggers:
            event = build_event(
                analysis, sent, sent_index, trigger, toll_trigger, actors, places,
                actor_mentions, place_mentions, lookback, reference, linker,
            )
            if event is None:
                continue
            if event.actor1 is None:
                event = _doer_told_again(event, dropped, actor_mentions, actors)
            if event.fatalities is not None:
                # "bombing and shelling killed 12": one figure, stated once, is one toll.
                key = (event.fatalities.low, event.fatalities.as_stated)
                if key in tolls_read:
                    event = replace(event, fatalities=None)
                tolls_read.add(key)
            events.append(event)
    known = {actor.id for actor in analysis.actors}
    added = tuple(actor for actor_id, actor in actors.items() if actor_id not in known)
    return replace(
        analysis, events=analysis.events + tuple(events), actors=analysis.actors + added
    )


def _scene_country(
    doc: Doc | None, mention: Mention, place_mentions: Sequence[Mention], focus: str | None
) -> bool:
    """True for the story's own country named before an act ("18 jihadists killed in Syria
    raid", "Central Syria attack"): the country where it happened, not its government acting.
    A foreign power in that slot ("Russia strike") stays the actor."""
    if doc is None or focus is None:
        return False
    if not any(
        p.start == mention.start and p.end == mention.end and p.entity_id == f"country:{focus}"
        for p in place_mentions
    ):
        return False
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span[0]
    if token.pos_ != "PROPN" or token.dep_ not in ("compound", "nmod"):
        return False
    act = token.head
    if act.pos_ not in ("NOUN", "PROPN") or _noun_sense(act) is None:
        return False
    # Only a state flies aircraft or drops gas from the air: "Syria air raids", "Syria gas
    # attack" are its own.
    weapons = _lexicon().weapon_sub_types
    state_only = _lexicon().state_only_sub_types  # ``state_only`` in ontology.toml
    named = [act, *(c for c in act.children if c.dep_ in ("compound", "amod"))]
    return not any(
        t.lower_ in weapons and weapons[t.lower_].sub_event_type in state_only
        for t in named
    )


def _doer_told_again(
    event: Event, dropped: Sequence[Trigger], actor_mentions: list[Mention],
    actors: Mapping[str, Actor],
) -> Event:
    """The doer of an act a run-on sentence tells twice, read where the second telling names it.

    "Fifteen people were reportedly killed by air raids in Idlib province Sunday Air raids by
    government warplanes killed 15": one event per sub-type and sentence keeps the first "air
    raids", which names no doer; the second, folded away, does.
    """
    for twin in dropped:
        if twin.sense.sub_event_type != event.sub_event_type:
            continue
        mention = find_roles(twin.token, actor_mentions).actor1
        actor = actors.get(mention.entity_id) if mention is not None else None
        if actor is not None and actor.inter_code != _CIVILIANS:
            return replace(event, actor1=actor.id)
    return event


def reference_date(published: date | None, doc: Doc) -> date | None:
    """The date history is measured from: the article's, else the latest year it names.

    An article with no publication date still dates itself: "in 2013" is history in a text that
    speaks of 2017, and nothing can be called history in a text whose latest year is 2013.
    """
    if published is not None:
        return published
    years = [
        int(match) for ent in doc.ents if ent.label_ == "DATE"
        for match in _YEAR_WORD.findall(ent.text)
    ]
    plausible = [y for y in years if 1900 <= y <= date.today().year]
    return date(max(plausible), 12, 31) if plausible else None


_YEAR_WORD = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
def find_triggers(
    sent: Span,
    actor_mentions: list[Mention],
    place_mentions: list[Mention],
    knowledge: Knowledge | None = None,
) -> Iterator[Trigger]:
    """Yield the event triggers of a sentence, multiword nouns ("air strike") first.

    ``knowledge`` is the run's knowledge package (the built-in one when ``None``), so a user's
    knowledge file can add trigger words.
    """
    knowledge = knowledge or default_knowledge()
    nouns = knowledge.triggers["noun"]
    consumed: set[int] = set()
    tokens = list(sent)
    for position, token in enumerate(tokens):
        if token.i in consumed:
            continue
        if position + 1 < len(tokens):
            following = tokens[position + 1]
            pair = f"{token.lower_} {following.lemma_.lower()}"
            pair_sense = nouns.get(pair) or nouns.get(
                f"{token.lower_} {following.lower_}"
            )
            if pair_sense is not None and following.pos_ in ("NOUN", "PROPN"):
                consumed.update((token.i, following.i))
                if _person_not_acting(following):
                    continue  # "fears about the suicide bomber": a person, not an attack
                if following.lemma_.lower() in _lexicon().weapon_objects and (
                    _weapon_held(following) or _disrupted_weapon(following)
                ):
                    continue  # "where they make explosives and car bombs", "seized car bombs"
                head = following
                while head.dep_ == "compound" and head.head.pos_ == "NOUN" and head.head.i > head.i:
                    head = head.head  # "barrel bomb strikes": the strikes are the event's word
                if _what_a_thing_is(head):
                    continue  # "Sarin is a compound and a nerve agent": a definition
                if _support_named(head):
                    continue  # "fighters backed by Russian air strikes retook": the backing
                consumed.update(range(token.i, head.i + 1))
                if pair_sense.sub_event_type not in _lexicon().refining_sub_types and (
                    token.lemma_.lower() in _lexicon().weapon_objects and _dropped(token)
                ):
                    pair_sense = _SENSES["air"]  # "a bomb attack dropped by helicopters"
                yield Trigger(head, pair_sense, sent.doc[token.i : head.i + 1].text)
                continue
        sense = trigger_sense(token, place_mentions, knowledge)
        if sense is not None and describes_holder(token) and (
            sense.kind == "territory" or token.lemma_.lower() in knowledge.words["siege_verbs"]
            or sense.sub_event_type == "Abduction/forced disappearance"
            or token.lemma_.lower() in _described_harms()
        ):
            # "attacked a town recently captured by Kurdish forces": who holds it; "villages
            # besieged by rebels": the state they are in; "executed an aid worker kidnapped
            # in Syria", "a girl shot in Madaya was evacuated": who the person was
            continue
        if sense is not None and _place_has_seen(token):
            continue  # "killed in an area that witnessed fighting": what the area is
        if sense is not None and sense.kind == "territory" and _aim_of_offensive(token):
            # "launched an assault to retake Aleppo": the fighting is the event, the town is
            # what it aims at, not (yet) a change of hands.
            sense = _SENSES["clash"]
        if sense is not None and sense.sub_event_type == "Non-violent transfer of territory" and (
            _forced(token)
        ):
            # "troops forced IS to retreat from the hills": taken by force, by the forcer
            sense = _SENSES["territory"]
        if sense is not None:
            yield Trigger(token, sense, token.text)


# Event types of crowds: what they gather against is another act, with its own dead.
_CROWD_TYPES = frozenset({"Protests", "Riots"})


def _grievances(trigger: Trigger) -> list[Token]:
    """What a crowd protests against or over ("protested against infighting that left dozens
    killed"): the dead told there are that act's, not the protest's."""
    if trigger.sense.event_type not in _CROWD_TYPES:
        return []
    return [
        c for c in trigger.token.children
        if c.dep_ == "prep" and c.lower_ in ("against", "over", "about")
    ]


def _place_descriptions(sent: Span, trigger: Token) -> list[Token]:
    """The clauses of a sentence that say what a place saw ("struck the town of Jayrud, where
    rebels killed a pilot"), unless the trigger is told in one: their dead are not its toll."""
    if describes_place(trigger, _lexicon().place_or_site_nouns):
        return []
    deaths = _knowledge().harm(harm="death")  # "where 12 were killed" tells the act's dead
    return [
        t for t in sent
        if t.dep_ in ("relcl", "appos") and t != trigger and not t.is_ancestor(trigger)
        and describes_place(t, _lexicon().place_or_site_nouns)
        and not (t.lemma_.lower() in deaths and told_aftermath(t, trigger))
    ]


def _answered_acts(sent: Span, trigger: Token) -> list[Token]:
    """The acts a sentence's news answers ("shelled YPG positions in response to the killing of
    two soldiers"), unless the trigger is told in one: their dead are not its toll."""
    if answered_act(trigger):
        return []
    return [
        t for t in sent
        if t.dep_ == "pobj" and t.head.lower_ in ("to", "for") and answered_act(t)
    ]


def _place_has_seen(word: Token) -> bool:
    """True for an act a relative clause with no date says a place has seen ("a district that
    witnessed clashes between rebels and the army"): it describes the place."""
    verb = word.head
    return (
        word.dep_ == "dobj" and verb.dep_ == "relcl"
        and verb.lemma_.lower() in _lexicon().witness_verbs
        and not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)
    )


def _people_moved(word: Token) -> bool:
    """True when who is evacuated are civilians, the wounded or residents, not a force."""
    medical = _lexicon().medical_words
    if any(c.dep_ in ("amod", "compound") and c.lower_ in medical for c in word.children):
        return True  # "the medical evacuation": patients leave, no territory changes hands
    # "civilians who had been evacuated from the towns": the relative pronoun is the civilians
    moved = _with_antecedent(word, _acted_on(word))
    # "residents evacuated on Monday": people who leave of themselves move no front line
    moved += [c for c in word.children if c.dep_ == "nsubj"]
    if word.dep_ in ("conj", "ccomp") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in word.children
    ):
        # "a girl shot in Madaya was evacuated", "two civilians shot on Tuesday were
        # evacuated", misparsed as two verbs: the first one's subject
        moved += [c for c in word.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any(
        c.dep_ == "prep" and c.lower_ == "to" and any(
            g.lemma_.lower() in _lexicon().care_places for g in c.children
        )
        for c in word.children
    ):
        return True  # "evacuated to a Damascus hospital": a patient, no front line moved
    before = word.doc[word.i - 1] if word.i > 0 else word
    reduced = word.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in word.children)
    if reduced and before.pos_ in ("NOUN", "PROPN"):
        # "an attack on buses carrying Syrians evacuated from two towns": a reduced relative
        # clause describes the noun just before it, wherever the parser hangs it
        moved.append(before)
    return any(
        t.lemma_.lower() in _lexicon().people_words or t.lower_ in _lexicon().people_words
        or any(c.dep_ == "amod" and c.lower_ in _lexicon().hurt_words for c in t.children)
        # "buses carrying Syrians evacuated from two towns": a people, not a force
        or t.ent_type_ == "NORP" and t.tag_ in ("NNPS", "NNS")
        for t in moved  # also "thousands of civilians", "hundreds of the wounded"
    )


def _agreement_not_made(noun: Token) -> bool:
    """True for an agreement broken, ended, described or referred to rather than made."""
    if _broken_in_words(noun):
        return True  # "yet another violation of the cessation of hostilities agreement", misparsed
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and (
        noun.head.head.lemma_.lower() in ("cessation", "suspension")
    ):
        noun = noun.head.head  # "breached the cessation of hostilities agreement"
    head = noun.head
    head_word = head.lemma_.lower()
    owner = head.head
    lexicon = _lexicon()
    if noun.dep_ in ("attr", "oprd"):
        return True  # "they call it a ceasefire": a name given, no deal made
    if noun.dep_ in ("compound", "nmod") and head_word not in lexicon.agreement_nouns and (
        _modifies(noun)
    ):
        return True  # "the ceasefire task force" (not "the deal, military sources said")
    if noun.dep_ in ("nsubjpass", "dobj") and head_word in lexicon.unmade_verbs:
        return True  # "a deal is being negotiated", "rejected the truce": none made yet
    if noun.dep_ == "pobj" and head_word in lexicon.referring_preps and not (
        head_word == "of" and owner.lemma_.lower() in lexicon.making_nouns | lexicon.carrying_nouns
    ):
        # "reduced the chances of a truce", "called for a ceasefire", "talks on a deal": a deal
        # referred to or sought. "The start of the truce" is news of it; so is what is done
        # "as part of" a deal or "through" it (a swap, an evacuation), which ACLED codes as
        # the agreement.
        return True
    if any(
        c.dep_ == "prep" and c.lower_ == "in"
        and any(g.lemma_.lower() in _lexicon().standing_words for g in c.children)
        for c in noun.children
    ) or _stands_after(noun):
        return True  # "the daily ceasefires in place now", "the truce in force": one that stands
    if noun.dep_ == "pobj" and owner.lemma_.lower() in _lexicon().referring_nouns:
        return True  # "its commitments towards the agreement", "the terms of the deal"
    if noun.dep_ == "pobj" and head_word in _lexicon().anchor_preps and any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that") or c.dep_ == "poss"
        for c in noun.children
    ):
        return True  # "began an offensive after the September 12 truce": a time anchor
    if noun.dep_ == "pobj" and noun.tag_ == "NNS" and not any(
        c.dep_ in ("det", "poss", "nummod") for c in noun.children
    ):
        return True  # "fighters who left in evacuation deals": deals of a kind, none made here
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and head_word in _lexicon().breaking_words:
        return True  # "violated the ceasefire", "the truce was breached"
    if noun.dep_ in ("nsubjpass", "dobj") and head_word in _lexicon().ending_verbs:
        return True  # "the violations have ended the truce": one made before, now undone
    if noun.dep_ == "nsubj" and head_word in _lexicon().ending_verbs and not any(
        c.dep_ == "dobj" for c in head.children
    ):
        return True  # "the ceasefire brokered last week has ended": its end, not its making
    if noun.dep_ in ("nsubjpass", "dobj") and head_word in _lexicon().observing_verbs:
        return True  # "observed the ceasefire", "enjoyed a truce", "the truce was respected"
    if noun.dep_ == "pobj" and head_word in ("by", "to", "with") and (
        owner.lemma_.lower() in _lexicon().observing_verbs
    ):
        return True  # "abided by the deal", "adhered to the truce", "complied with the accord"
    if noun.dep_ == "compound" and head_word in _lexicon().breaking_words:
        return True  # "accusations of truce violation"
    if noun.dep_ == "pobj" and owner.lemma_.lower() in _lexicon().taking_part_words:
        return True  # "the groups involved in the ceasefire": its parties, not its making
    if noun.dep_ == "pobj" and (
        head_word in _lexicon().breaking_words
        or head.head.lemma_.lower() in _lexicon().breaking_words
        or head_word in ("under", "through", "via")
        or _despite_phrase(head)
    ):
        # "despite the truce", "in violation of the ceasefire", "under a deal", "moved out of
        # Aleppo through an agreement": the deal is the means of another act, made before
        return True
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    # "the truce appeared to be holding", "the ceasefire seems to hold": the verb that says
    # what the agreement does is the one the raising verb governs
    return any(
        verb.lemma_.lower() in _lexicon().describing_verbs
        for verb in (head, *(c for c in head.children if c.dep_ == "xcomp"))
    )


def _modifies(noun: Token) -> bool:
    """True when a noun parsed as a modifier does stand before its head in one phrase ("the
    ceasefire task force"), not across a comma ("the deal, military sources said")."""
    head = noun.head
    return noun.i < head.i and not any(t.text in ",;" for t in noun.doc[noun.i : head.i])


def _agrees_on_a_view(verb: Token) -> bool:
    """True when "agree" governs a that-clause in the present simple: "all agreed that the
    attack crosses a red line" shares a view; a deal's terms are told with "would", "will" or
    "to" ("agreed that rebels would leave the town")."""
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.tag_ not in ("VBZ", "VBP"):
            continue
        if not any(
            c.dep_ == "aux" and c.tag_ in ("MD", "TO") or c.dep_ == "xcomp"
            for c in clause.children
        ):
            return True
    return False


def _assents(verb: Token) -> bool:
    """True for a bare "agreed" of one party: "a rebel commander agreed" assents to what was
    put to him; a deal names what is agreed ("agreed a truce", "agreed to withdraw"), with whom
    ("agreed with Ankara") or its sides ("Russia and Turkey agreed")."""
    if any(c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "advcl", "conj", "attr", "oprd")
           and not (c.dep_ == "advcl" and c.lemma_.lower() in _lexicon().reporting_verbs)
           for c in verb.children):
        return False  # "agreed, saying the fighters were tired" still names nothing agreed
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return len(subjects) == 1 and not any(c.dep_ == "conj" for c in subjects[0].children)


def _stands_after(noun: Token) -> bool:
    """True when the sentence goes on to say a deal "is" or "has been in place" (or in force,
    in effect): "a truce deal agreed by Iran and Russia has been in place since July", however
    the parser hangs the clause."""
    standing = _lexicon().standing_words
    for verb in noun.sent[noun.i - noun.sent.start + 1 :]:
        if verb.lemma_ != "be" or not any(
            c.dep_ == "prep" and c.lower_ == "in"
            and any(g.lemma_.lower() in standing for g in c.children)
            for c in verb.children
        ):
            continue
        if verb.tag_ in ("VBZ", "VBP") or any(
            c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children
        ):
            return True
    return False


def _broken_in_words(noun: Token) -> bool:
    """True when the words just before an agreement noun, with no verb or clause break
    between, name its breach or a part of it ("in violation of the cessation of hostilities
    agreement"): the long name often defeats the parse."""
    lexicon = _lexicon()
    naming_breach = lexicon.breaking_words | lexicon.referring_nouns
    for token in reversed(noun.doc[max(noun.sent.start, noun.i - 6) : noun.i]):
        if token.pos_ in ("VERB", "AUX"):
            # "breached the cessation of hostilities agreement": the verb the name hangs from
            return token.lemma_.lower() in lexicon.breaking_words
        if token.is_punct:
            return False
        if token.lemma_.lower() in naming_breach:
            return True
    return False


def _despite_phrase(prep: Token) -> bool:
    """True for a preposition inside a "despite" phrase: "despite an extension until Tuesday of
    a nationwide truce" sets the news against a truce, it does not make one."""
    node = prep
    for _ in range(3):
        if node.dep_ != "prep" or node.head.dep_ != "pobj":
            return False
        node = node.head.head
        if node.lower_ in ("despite", "notwithstanding"):
            return True
    return False


def _forced(verb: Token) -> bool:
    """True for "forced the militants to withdraw" (also where "IS" is misread as a verb)."""
    node = verb
    for _ in range(2):
        if node.dep_ not in ("xcomp", "ccomp") or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in _lexicon().forcing_verbs:
            return True
    return False


def _aim_of_offensive(verb: Token) -> bool:
    """True for "launched an assault to retake X", "an offensive to capture X"."""
    if verb.pos_ != "VERB" or not has_to(verb):
        return False
    head = verb.head
    if verb.dep_ == "acl":
        if head.dep_ == "pobj" and head.head.lower_ == "by":
            head = head.head.head  # "an offensive by regime forces to capture the city"
        return head.lemma_.lower() in _lexicon().offensive_words
    if verb.dep_ not in ("advcl", "xcomp"):
        return False
    lemma, verbs = head.lemma_.lower(), _lexicon().verb_triggers
    if lemma in _lexicon().offensive_words or lemma in verbs and verbs[lemma].kind in (
        "attack", "fight", "remote"
    ):
        return True  # "troops attacked the hill to seize it", "jets bombed the town to ..."
    return lemma in _lexicon().launch_verbs and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _lexicon().offensive_words for c in head.children
    )


def _heading(noun: Token) -> bool:
    """True for a noun that heads a list item ("3. Strikes: ...", "Chemical attacks: ..."):
    only a number, punctuation or its own modifiers come before it, and a colon after it."""
    # The colon first: Token.sent walks the whole sentence, and most nouns have no colon.
    after = noun.i + 1
    if after >= len(noun.doc) or noun.doc[after].text != ":":
        return False
    sent = noun.sent
    if after >= sent.end:
        return False
    return all(
        t.like_num or t.is_punct or t.head == noun for t in noun.doc[sent.start : noun.i]
    )


def _framed(noun: Token) -> bool:
    """True for a definite act noun that is the subject of a framing verb ("the attacks come
    as ...", "this strike marks ...", "Wednesday's explosion came as Kurdish forces pressed
    on"): the act is told elsewhere; this sentence says what it means or when it fell."""
    head = noun.head
    return (
        noun.pos_ == "NOUN"
        and noun.dep_ == "nsubj"
        and head.tag_ in ("VBP", "VBZ", "VBD")
        and head.lemma_.lower() in _lexicon().framing_verbs
        and any(
            c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS
            or c.dep_ == "poss"
            for c in noun.children
        )
    )


def _shows_something(noun: Token) -> bool:
    """True for "a demonstration of strength", "a demonstration of the fragile state of the
    truce": what is shown is a thing, not the people who march."""
    shown = [
        p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children if p.dep_ == "pobj"
    ]
    # A singular common noun is a quality; people come in plurals ("of students"), and "a
    # demonstration of support" is a rally.
    return any(
        p.tag_ == "NN" and p.ent_type_ == "" and p.lemma_.lower() not in _lexicon().rally_causes
        for p in shown
    )


def _state_objects(verb: Token) -> bool:
    """True when a state or its government protests ("Damascus protested the deployment"),
    which is diplomacy, not a demonstration."""
    holders = [verb]
    if verb.pos_ == "NOUN" and verb.dep_ == "dobj":
        holders.append(verb.head)  # "drew protests from Damascus and its allies"
    protesters = [c for c in verb.children if c.dep_ == "nsubj"] + [
        p for holder in holders for c in holder.children
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "from" and verb.pos_ == "NOUN")
        for p in c.children if p.dep_ == "pobj"
    ]
    return any(
        t.ent_type_ == "GPE" or t.lemma_.lower() in _lexicon().state_speakers
        for p in protesters for t in (p, *p.conjuncts)
    )


def _stores_went_off(noun: Token) -> bool:
    """True for the explosion of stores ("the explosion of ammunition warehouses") and for blasts
    caused by one ("blasts because of the explosion of ..."): a consequence, not an attack."""
    if any(n.lemma_.lower() in _lexicon().exploding_stores for n in _of_nouns(noun)):
        return True
    if any(
        prep.dep_ == "prep" and prep.lower_ in ("in", "at", "inside")
        and any(
            p.dep_ == "pobj" and p.lemma_.lower() in _lexicon().exploding_stores
            for p in prep.children
        )
        for prep in noun.children
    ) and not any(c.dep_ in ("compound", "amod") for c in noun.children):
        return True  # "rockets set off explosions in a weapons depot" (not "a car bomb blast")
    holders = [noun, noun.head] if noun.dep_ in ("attr", "nsubj") else [noun]
    for prep in (c for holder in holders for c in holder.children):
        if prep.dep_ != "prep" or prep.lower_ not in ("because", "due", "from"):
            continue
        causes = [t for t in prep.subtree if t.lemma_.lower() in _lexicon().blast_nouns]
        if any(_stores_went_off(cause) for cause in causes if cause.i != noun.i):
            return True
    return False


def _media_taken(verb: Token) -> bool:
    """True for a photo or footage captured or taken: "this photo captured from the town"."""
    taken = [verb.head] if verb.dep_ == "acl" else []
    taken += [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
    return any(t.lemma_.lower() in _lexicon().media_nouns for t in taken)


def _who_they_fight(verb: Token, lemma: str) -> bool:
    """True for "rebels fighting Assad", "groups fighting to oust him" on no named day, and
    "their brethren who are fighting IS" with no day of its own."""
    sense = _lexicon().verb_triggers.get(lemma)
    if sense is None or sense.kind != "fight" or verb.tag_ != "VBG":
        return False
    if verb.dep_ == "relcl":
        return any(
            c.dep_ == "aux" and c.lower_ in ("is", "are", "'re") for c in verb.children
        ) and not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)
    return (
        verb.dep_ == "acl"
        and verb.head.pos_ in ("NOUN", "PROPN", "PRON")
        and not day_dated(verb.sent)
    )


def _foe_of_a_force(verb: Token, lemma: str) -> bool:
    """True for a force described by the armed foe it strikes, on no named day: "the US-led
    coalition targeting Daesh militants", "jets hunting IS fighters" say who the force is,
    not one act ("jets bombing Idlib killed 12", a place struck, is one)."""
    sense = _lexicon().verb_triggers.get(lemma)
    if sense is None or sense.kind not in ("attack", "remote") or verb.tag_ != "VBG":
        return False
    if verb.dep_ != "acl" or verb.head.pos_ not in ("NOUN", "PROPN") or day_dated(verb.sent):
        return False
    foes = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    combatants = _knowledge().words["combatant_nouns"]
    return bool(foes) and all(
        foe.lemma_.lower() in combatants or foe.ent_type_ in ("ORG", "NORP")
        for foe in foes
    )


def _run_in_heading(noun: Token) -> bool:
    """True for a noun at the start of a sentence that is one of two subjects of one verb: a
    section heading the page ran into the sentence after it ("Homs evacuation Assad has
    appeared ..."), which tells no act."""
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if noun.i - noun.sent.start > 3 or any(
        c.dep_ not in ("compound", "amod", "det") for c in noun.children
    ):
        return False  # "Overnight airstrikes on the group's capital Raqqa killed": misparsed
    # the second subject begins right after the heading ("Homs evacuation | Assad has ...")
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.left_edge.i == noun.i + 1
        for c in noun.head.children
    )


def _drives_captives(verb: Token) -> bool:
    """True for a protest verb with captives as its object ("marched the hostages into the
    forest", "marched at least 18 prisoners past ..."): people driven along, not demonstrators
    walking. Read from the words after the verb, as the parse often hangs the captives
    elsewhere."""
    lexicon = _lexicon()
    for token in verb.doc[verb.i + 1 : verb.i + 8]:
        if token.pos_ in ("DET", "NUM", "ADV", "ADJ") or token.lower_ in ("at", "least"):
            if token.lower_ in lexicon.captive_modifiers:
                return True  # "marched captured soldiers"
            continue
        return token.lemma_.lower() in lexicon.captive_nouns or token.lower_ in (
            "them", "him", "her"
        )
    return False


def _named_body_purpose(token: Token) -> bool:
    """True for a word in the "for" phrase of an organisation's name, which says what the body
    is for ("the Russian Center for monitoring the ceasefire", "the Organisation for the
    Prohibition of Chemical Weapons"): no act told."""
    node = token
    for _ in range(8):
        head = node.head
        if head.i == node.i or node.dep_ not in (
            "pobj", "pcomp", "conj", "dobj", "compound", "prep", "amod", "nmod", "cc"
        ):
            return False
        if node.dep_ == "prep" and node.lower_ == "for":
            return head.ent_type_ == "ORG" and head.text[:1].isupper()
        node = head
    return False


def _person_not_acting(noun: Token) -> bool:
    return noun.lower_ in _lexicon().agent_nouns and noun.dep_ not in ("nsubj", "nsubjpass", "conj")


def trigger_sense(
    token: Token,
    place_mentions: list[Mention],
    knowledge: Knowledge | None = None,
) -> TriggerSense | None:
    """The sense of a single-token trigger, or None when the word does not signal an event here."""
    knowledge = knowledge or default_knowledge()
    lexicon = knowledge.triggers
    if token.ent_type_ in _SKIP_ENTITY_LABELS and _in_multiword_entity(token):
        return None  # "Liberation" in "Kurdistan Liberation Army" names a group, not an event
    if _named_body_purpose(token):
        return None  # "the Russian Center for monitoring the cessation of hostilities agreement"
    lemma = token.lemma_.lower()
    if _run_in_heading(token):
        return None  # "Homs evacuation Assad looks as unyielding as he ever did"
    if lemma in _lexicon().figurative_fight_lemmas and _abstract_foe(token):
        return None  # "to attack the virus", "the fight against corruption"
    if token.tag_ == "VBG" and token.dep_ == "aux" and token.i < token.head.i and (
        token.head.tag_ in ("VBD", "VBZ", "VBP")
    ):
        return _noun_sense(token)  # "Shelling hit Douma", misparsed: the gerund is the subject
    if token.pos_ == "VERB":
        if lemma not in lexicon["verb"]:
            lemma = next(
                (f for f in _surface_lemmas(token.lower_) if f in lexicon["verb"]), lemma
            )  # the lemmatiser reads "raped" as "rap"
        if lemma == "fire" and token.i + 1 < len(token.doc) and (
            token.nbor(1).lower_ in _lexicon().firing_nouns
        ):
            return None  # "within firing range", "a firing line": no shot is fired
        if token.tag_ == "VBN" and token.dep_ == "acl" and token.head.lower_ == "those" and not (
            any(c.dep_ in ("prep", "npadvmod", "agent") for c in token.children)
        ):
            return None  # "31 civilians were identified among those killed": the dead told of
        if lemma == "fire" and _fires_a_person(token):
            return None  # "they'll fire us", "he was fired": a dismissal, no gunfire
        if lemma == "fire" and _fired_skywards(token):
            return None  # "greeted with shots fired into the air": no one is shot at
        if lemma == "fire" and not _fires_ordnance(token):
            return _SENSES["attack"]  # "soldiers fired on the crowd": gunfire, no shelling
        if lemma in _lexicon().capture_words and _takes_a_person(token, place_mentions):
            return _ARREST_SENSE  # "police captured Abu Omar": no territory changes hands
        if lemma in _lexicon().protest_verbs and _drives_captives(token):
            return None  # "militants marched 18 prisoners past a box of knives": no protest
        if lemma == "agree" and _agrees_on_a_view(token):
            return None  # "all agreed that the attack crosses a red line": a view shared
        if lemma == "agree" and _assents(token):
            return None  # "a prominent commander in Daraa agreed": assent, no deal
        if lemma == "agree" and any(
            c.dep_ == "xcomp" and c.lemma_.lower() in _lexicon().consult_verbs
            for c in token.children
        ):
            return None  # "agreed to consult about responses", "agreed to meet": talks, no deal
        if lemma == "agree" and token.dep_ == "acl" and token.tag_ == "VBN":
            return None  # "the de-escalation zones agreed to in Astana": a deal referred to
        if lemma in ("agree", "sign", "broker", "reach") and token.dep_ == "acl" and (
            (sense := _noun_sense(token.head)) is not None
            and sense.sub_event_type == "Agreement" and _agreement_not_made(token.head)
        ):
            return None  # "as part of a deal agreed by Ankara, Tehran and Moscow"
        if lemma == "agree" and any(
            c.dep_ == "prep" and c.lower_ == "to" and not any(g.dep_ == "pobj" for g in c.children)
            for c in token.children
        ):
            return None  # the same misparsed: a stranded "to" leaves what was agreed before it
        if lemma == "sign" and any(
            o.lemma_.lower() in _lexicon().signed_papers for o in _signed(token)
        ):
            return None  # "a statement signed by 12 nations", "signed a petition": no deal
        if lemma in ("agree", "sign") and _stands_after(token):
            return None  # "a truce deal agreed by Iran and Russia has been in place since July"
        if token.dep_ == "amod" and lemma in _lexicon().verb_triggers and (
            lemma not in _lexicon().participle_verbs
        ):
            return None  # "the besieged town", "ousted president": a description, not an event
        if _who_they_fight(token, lemma) or token.dep_ == "xcomp" and _who_they_fight(
            token.head, token.head.lemma_.lower()
        ):
            return None  # "rebels fighting (to oust) the government": who they are
        if _foe_of_a_force(token, lemma):
            return None  # "the US-led coalition targeting Daesh militants": whom it fights
        if lemma in _lexicon().evacuation_words and _people_moved(token):
            return None  # "thousands of civilians were evacuated": no territory changes hands
        if lemma == "protest" and _state_objects(token):
            return _SENSES["plover_disapprove"]  # "the deployment was protested by Damascus"
        if lemma in ("burn", "char") and any(
            o.lemma_.lower() in _lexicon().remains_nouns for o in _objects(token)
        ):
            return None  # "bodies burned beyond recognition": what an attack left, not arson
        if lemma == "burn" and any(
            o.lemma_.lower() in _lexicon().body_parts
            for o in (*_objects(token), *_of_nouns(token))
        ):
            return None  # "burning of mucous membranes", "burned their eyes": a symptom
        if lemma == "burn" and any(
            o.lemma_.lower() in _lexicon().people_words or o.lower_ in _lexicon().people_words
            for o in _objects(token)
        ):
            return None  # "killing two children, burning many civilians": people hurt, no arson
        if lemma == "burn" and any(
            o.lower_ in _lexicon().smoke_fuels for o in _objects(token)
        ) and not _demonstrators_named(token.sent):
            return None  # "residents burned tyres to make smoke": cover, no property destroyed
        if lexicon["verb"].get(lemma) is not None and (
            lexicon["verb"][lemma].sub_event_type == "Agreement"
        ) and any(_priced(o) for o in _objects(token)):
            return None  # "Iran signed a $2 billion deal": a contract, not a truce
        if lemma == "surrender" and any(
            o.lemma_.lower() in _lexicon().weapon_objects
            or o.lemma_.lower() in _lexicon().weapon_stores
            for o in _objects(token)
        ):
            return _SENSES["plover_retreat"]  # "surrendered its chemical weapons": disarmament
        if lemma in _lexicon().sending_verbs and _weapons_used_on(token):
            # "cluster munitions were deployed over east Aleppo": used, not moved
            return weapon_sense(token.sent, token) or _SENSES["attack"]
        if lemma in _lexicon().sending_verbs and any(
            o.lemma_.lower() in _lexicon().relief_nouns
            or any(c.lower_ in _lexicon().relief_modifiers for c in o.children)
            for o in _objects(token)
        ):
            return None  # "thirty ambulances were dispatched": relief sent, not a deployment
        if lemma in _lexicon().sending_verbs and any(
            o.ent_type_ == "PERSON" or o.lemma_.lower() in _lexicon().envoy_nouns
            for o in _objects(token)
        ):
            return None  # "dispatched Angela Kane to push for an inquiry": an envoy, no troops
        if lemma in _lexicon().fighters_only_verbs and not any(
            _combatant(o) for o in _acted_on(token)
        ):
            return None  # "eliminate the threat": only fighters eliminated are killed
        if lemma in ("capture", "take") and _media_taken(token):
            return None  # "this photo, captured from Nusaybin": a picture, not a town
        if lemma == "demonstrate" and any(c.dep_ in ("dobj", "ccomp") for c in token.children):
            return None  # "they are demonstrating more desperation": showing, not protesting
        if lemma == "sign" and any(c.dep_ == "prt" and c.lower_ == "up" for c in token.children):
            return None  # "sign up for insurance": enrolment, no agreement signed
        if lemma in ("rally", "march") and any(c.dep_ == "dobj" for c in token.children):
            # "Assad rallied the minorities behind him": won support; "marched the prisoners
            # to a field": led them; no protest either way
            return None
        if lemma in _lexicon().gather_verbs and _crowd_gathers(token):
            return _SENSES["protest"]
        if lemma in _lexicon().intervention_cues and lemma not in _lexicon().verb_triggers and any(
            o.lemma_.lower() in _lexicon().demonstrator_words | _lexicon().crowd_words
            for o in _objects(token)
        ):
            return _SENSES["protest"]  # "police dispersed the protesters": a protest, broken up
        if lemma in _lexicon().disrupt_verbs and _has_weapon_object(token):
            # "police seized 200 rifles", "air defences intercepted missiles"; what a strike
            # destroyed is the strike's ("artillery fire destroyed six weapon caches")
            struck = _strike_subject_sense(token) if lemma in _lexicon().damage_verbs else None
            return struck or _DISRUPT_SENSE
        if lemma in _lexicon().base_verbs and _founds_base(token):
            return _BASE_SENSE  # "Turkish forces set up a new military post"
        if _changes_group(token, lemma):
            return _SENSES["mobilization"]  # "troops have been formed", "moving troops"
        if lemma == "drop" and (_has_weapon_object(token) or any(
            o.lower_ in _lexicon().weapon_sub_types
            and _lexicon().weapon_sub_types[o.lower_].sub_event_type == "Chemical weapon"
            for o in _objects(token)
        )):
            return _SENSES["air"]  # "chlorine munitions were dropped on the town"
        structured = structure_sense(token, knowledge.structures)
        if structured is not None:
            return structured  # "won control of Aleppo", "Aleppo fell to the army"
        if lemma in _lexicon().take_verbs and lemma not in _lexicon().verb_triggers:
            objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
            if any(_mention_covering(place_mentions, obj) for obj in objects):
                return _SENSES["territory"]
            return None
        sense = lexicon["verb"].get(lemma) or plover_verb_sense(token, lemma, lexicon)
        if sense is None and lemma in _lexicon().striking_verbs and _struck_by_forces(token):
            sense = _SENSES["attack"]  # "units of the army hit the gatherings of terrorists"
        if sense is None and lemma in _lexicon().weapon_impact_verbs:
            sense = _weapon_subject_sense(token)  # "mortar shells hit a tent", "rocket fire hit"
        if sense is not None and sense.sub_event_type == _DESTRUCTION and _shown(token):
            return None  # "footage showed corpses and burning tents": what a picture shows
        return sense
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
        if _heading(token):
            return None  # "3. Strikes: On October 9 ...": a list's heading names a topic
        if token.dep_ == "pobj" and token.head.lower_ in ("at", "toward", "towards") and (
            token.head.head.lemma_.lower() in _lexicon().aiming_verbs
        ):
            return None  # "an offensive aimed at the liberation of Raqqa": its aim, not done
        if token.dep_ == "nsubj" and token.head.lemma_ == "be" and (
            token.lower_ in _lexicon().weapon_sub_types
            or token.lemma_.lower() in _lexicon().weapon_objects
        ) and any(c.dep_ == "attr" and c.pos_ == "NOUN" for c in token.head.children):
            return None  # "Sarin is an organophosphorus compound": what a weapon is
        if _priced(token):
            return None  # "the deal worth around $1 billion": trade, not a truce
        if _used_in_a_fight(token):
            return None  # "heavy guns and warplanes were used in the battle": the
            # battle is the event, its weapons no shelling of their own
        if token.dep_ == "conj" and token.head.dep_ in ("amod", "compound") and (
            token.head.head.pos_ == "NOUN"
        ):
            return None  # "aerial and artillery bombardment": a kind of the noun it modifies
        if lemma in _lexicon().weapon_objects and _disrupted_weapon(token):
            return None  # the weapon seized or found is the object of the event, not an attack
        if (lemma in _lexicon().weapon_objects or lemma in _lexicon().heavy_arms) and (
            _weapon_held(token)
        ):
            return None  # "these are precision missiles", "militants lay mines": no blast yet
        if lemma in _lexicon().weapon_objects and _names_a_facility(token):
            return None  # "the phosphate mines", "a bomb factory": a site, not a blast
        if token.dep_ in ("dobj", "nsubjpass") and token.head.lemma_.lower() == "drop":
            return None  # "dropped container bombs on the town": the drop is the air strike
        if lemma in _lexicon().weapon_objects and _dropped(token):
            return _SENSES["air"]  # "bombs dropped by helicopters killed ten people"
        if lemma in _lexicon().evacuation_words and _people_moved(token):
            return None  # "the evacuation of civilians": people leave, no territory changes
        if token.dep_ == "pobj" and token.head.lower_ == "from" and (
            token.head.head.lemma_.lower() in _lexicon().fleeing_verbs
        ) or token.dep_ == "dobj" and token.head.lemma_.lower() in _lexicon().fleeing_verbs:
            return None  # "Syrians fleeing (from) the fighting": why they left, not news of it
        if lemma in _lexicon().weapon_objects and any(
            c.dep_ == "acl" and c.lemma_.lower() == "use" for c in token.children
        ):
            return None  # "the rockets used in the attack": the attack is the event
        if lemma == "protest" and _state_objects(token):
            return _SENSES["plover_disapprove"]  # "the move drew protests from Damascus"
        if lemma == "demonstration" and _shows_something(token):
            return None  # "a demonstration of the fragile state of the truce": a showing
        if _framed(token):
            return None  # "the attacks come as Kurdish fighters advance": told elsewhere
        if _support_named(token):
            return None  # "units backed by the air force and artillery foiled an attack"
        if lemma in _lexicon().agreement_nouns and _agreement_not_made(token):
            return None  # "violated the truce", "the deal excludes IS": no agreement made here
        if token.dep_ == "nmod" and _noun_sense(token.head) is None and _modifies(token) and (
            (own := _noun_sense(token)) is not None and own.sub_event_type == "Agreement"
        ):
            return None  # "a surrender-or-starve tactic": a kind of tactic, no one gives up
        if lemma in _lexicon().blast_nouns and _heard(token):
            return None  # "explosions were heard as fighters battled": a sound of the fight
        if lemma in _lexicon().blast_nouns and _stores_went_off(token):
            return None  # "the explosion of ammunition depots": what a strike set off
        if lemma == "raid" and _police_raid(token):
            return _ARREST_SENSE  # "police launched raids in east London": searches, arrests
        if lemma == "strike" and _labour_strike(token):
            return _SENSES["protest"]  # "a 48-hour strike", "a general strike"
        if lemma in _lexicon().capture_words and _takes_a_person(token, place_mentions):
            return _ARREST_SENSE  # "the capture of Abu Omar"
        if lemma == "fall" and not any(
            c.dep_ == "prep" and c.lower_ in ("of", "to") for c in token.children
        ):
            return None
        return (
            lexicon["noun"].get(lemma)
            or lexicon["noun"].get(token.lower_)
            or lexicon["plover_noun"].get(lemma)
            or lexicon["plover_noun"].get(token.lower_)
        )
    return None


_ARREST_SENSE = default_knowledge().sense("arrest")
_PERSON_PRONOUNS = frozenset({"me", "us", "him", "her", "them", "you", "i", "we", "he", "she",
                              "they"})  # fmt: skip


_DESTRUCTION = "Looting/property destruction"


def _shown(verb: Token) -> bool:
    """True for a participle in what footage or a photo shows ("footage showed corpses and
    burning tents", "pictures showing destroyed homes"): the damage an incident told elsewhere
    left, no act of destruction."""
    if verb.tag_ not in ("VBG", "VBN"):
        return False
    node = verb
    for _ in range(3):
        head = node.head
        if head == node:
            return False
        if head.lemma_.lower() in _lexicon().witness_verbs and verb.dep_ == "amod" and (
            node.dep_ in ("dobj", "amod", "conj", "compound")
        ):
            return True  # "the correspondent saw destroyed incubators": the damage left
        if head.lemma_.lower() in _lexicon().showing_verbs:
            shower = [c for c in head.children if c.dep_ in ("nsubj", "csubj")]
            # "footage posted online showed ...", read as a clause subject
            shower += [g for c in shower if c.dep_ == "csubj" for g in c.children
                       if g.dep_ == "nsubj"]
            if head.dep_ == "acl":
                shower.append(head.head)  # "a video showing burning cars"
            elif not shower and head.dep_ in ("dep", "conj"):
                # "footage posted online showed ...", parsed with "posted" as the main verb
                shower = [c for c in head.head.children if c.dep_ == "nsubj"]
            return any(s.lemma_.lower() in _lexicon().media_nouns for s in shower)
        node = head
    return False


def _fires_a_person(verb: Token) -> bool:
    """True for "fire" meaning dismiss: its object, or passive subject, is a person."""
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass") and (
            child.lower_ in _PERSON_PRONOUNS or child.lemma_.lower() in _lexicon().staff_nouns
        ):
            return not any(c.dep_ == "prep" and c.lower_ in ("on", "at") for c in verb.children)
    return False


def _while_clause(verb: Token) -> bool:
    """True for a verb in an "as", "when" or "while" clause: the moment another act took."""
    return verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("as", "when", "while") for c in verb.children
    )


def _setting_of(act: Token, toll_verb: Token) -> bool:
    """True for an act noun that is the subject of an "as" or "while" clause under the toll's
    verb ("killed 20 rebels as the clashes have intensified"): the setting of the deaths."""
    if act.i == toll_verb.i or act.dep_ not in ("nsubj", "nsubjpass"):
        return False
    clause = act.head
    return _while_clause(clause) and toll_verb.is_ancestor(clause) and (
        clause.lemma_.lower() not in _lexicon().verb_triggers
    )


def _surface_lemmas(form: str) -> list[str]:
    """Lemmas a regular verb form may have ("raped": "rape", "raping": "rape", "rapes")."""
    found = []
    for suffix, ending in (("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("es", "e"),
                           ("s", "")):
        if form.endswith(suffix) and len(form) > len(suffix) + 2:
            found.append(form[: -len(suffix)] + ending)
    return found


def _used_in_a_fight(noun: Token) -> bool:
    """True for a weapon noun that is what was used in a fight ("artillery was used in the
    battle", "heavy weapons used in the clashes")."""
    while noun.dep_ in ("nmod", "compound", "amod", "conj") and noun.head.pos_ == "NOUN":
        noun = noun.head  # "artillery and aircraft projectiles": the phrase's head
    verb = noun.head
    if noun.dep_ not in ("nsubjpass", "dobj") or verb.lemma_.lower() not in ("use", "employ"):
        return False
    fights = _lexicon().campaign_fights | {"clash", "fighting", "combat"}
    return any(
        prep.dep_ == "prep" and prep.lower_ in ("in", "during")
        and any(o.dep_ == "pobj" and o.lemma_.lower() in fights for o in prep.children)
        for prep in verb.children
    )


def _priced(noun: Token) -> bool:
    """True for an agreement with a sum of money ("a $1 billion deal", "the deal worth $1
    billion"): a purchase, loan or contract, no political or military agreement."""
    sense = _noun_sense(noun)
    if sense is None or sense.sub_event_type != "Agreement":
        return False
    scope = noun.head if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ == "ADJ" else noun
    return any(t.ent_type_ == "MONEY" for t in scope.subtree)


def _demonstrators_named(sent: Span) -> bool:
    """True when a sentence names demonstrators ("protesters burned tyres")."""
    words = _lexicon().demonstrator_words
    return any(t.lemma_.lower() in words or t.lower_ in words for t in sent)


def _signed(verb: Token) -> list[Token]:
    """What a verb of signing signs: its objects, or the noun it describes ("a statement
    already signed by 12 nations")."""
    signed = _objects(verb)
    if verb.dep_ in ("acl", "relcl", "amod") and verb.head.pos_ in ("NOUN", "PROPN"):
        signed.append(verb.head)
    if verb.tag_ == "VBN" and not signed and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children
    ):
        # "a G20 statement - already signed by 12 nations": a reduced relative clause, however
        # it is parsed, describes the noun just before it
        before = verb.i - 1
        while before > verb.sent.start and verb.doc[before].pos_ in ("PUNCT", "ADV"):
            before -= 1
        if verb.doc[before].pos_ == "NOUN":
            signed.append(verb.doc[before])
    return signed


def _fired_skywards(verb: Token) -> bool:
    """True for shots fired "into the air" or "in the air": a celebration or a warning."""
    return any(
        c.dep_ == "prep" and c.lower_ in ("into", "in", "toward", "towards") and any(
            o.dep_ == "pobj" and o.lower_ in _lexicon().sky_nouns for o in c.children
        )
        for c in verb.children
    )


def _fires_ordnance(verb: Token) -> bool:
    """True when what is fired, or fires, is a shell, rocket, bomb or gun battery ("fired
    rockets", "rockets were fired", "tanks fired on the village"), not a rifle."""
    weapons, platforms = _lexicon().weapon_sub_types, _lexicon().firing_platforms
    words = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
    words += [
        p for c in verb.children if c.dep_ == "prep" and c.lower_ in _lexicon().means_preps
        for p in c.children if p.dep_ == "pobj"
    ]
    if verb.dep_ == "acl":
        words.append(verb.head)  # "shells fired by the army", "a missile fired from a jet"
    named = [m for w in words for m in (w, *w.conjuncts, *w.children) if m.dep_ != "det"]
    return any(
        m.lower_ in weapons or m.lemma_.lower() in platforms or m.lower_ in platforms
        for m in named
    )


def _takes_a_person(token: Token, place_mentions: list[Mention]) -> bool:
    """True when what is captured or seized is a named person ("captured Abu Omar").

    The model often tags villages as persons ("the capture of Tel Hamis"): a name that the
    places stage read as a place is a place.
    """
    objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [
        p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children if p.dep_ == "pobj"
    ]
    named = [obj for obj in objects if obj.is_alpha]  # "al-Iraqi" parses as three objects
    if not named and any(
        c.dep_ in ("nummod", "dobj", "npadvmod") and c.like_num for c in token.children
    ):
        return True  # "Captured 10 in Rural Daraa": a count of people, not of places
    objects = named
    people = _knowledge().words["combatant_nouns"] | _knowledge().words["civilian_nouns"]
    return bool(objects) and all(
        _names_a_person(obj, place_mentions) or obj.lemma_.lower() in people
        for obj in objects
    )  # "captured Abu Omar", "captured 25 soldiers"


def _names_a_person(noun: Token, place_mentions: list[Mention]) -> bool:
    """True for a named person: a PERSON entity or a kunya, never a place the text names."""
    words = sorted(noun.subtree, key=lambda t: t.i)
    if any(_mention_covering(place_mentions, t) for t in words):
        return False
    first = next((t for t in words if t.is_alpha and t.is_title), None)
    # The small model tags Levantine place names and kunyas as persons or not at all: the
    # lexicon's toponym_heads ("Tel Hamis"), toponym_tails ("the Sheikh Najjar district") and
    # kunya_words ("Abu Omar").
    lexicon = _lexicon()
    if first is None or first.lower_ in lexicon.toponym_heads or (
        noun.lower_ in lexicon.toponym_tails
    ):
        return False
    return first.lower_ in lexicon.kunya_words or noun.ent_type_ == "PERSON"


def _abstract_foe(word: Token) -> bool:
    """True when a fighting word's target is an illness, a vice or a social ill, not a foe."""
    targets = [c for c in word.children if c.dep_ in ("dobj", "nsubjpass")]
    targets += [
        p for c in word.children if c.dep_ == "prep" and c.lower_ in ("against", "on", "with")
        for p in c.children if p.dep_ == "pobj"
    ]
    if word.dep_ in ("relcl", "acl", "xcomp") or word.dep_ == "pobj" and word.head.lower_ == "to":
        # "a disease to battle", "no disease left to battle", "the virus they fight"
        node = word.head if word.dep_ != "pobj" else word.head.head
        for _ in range(3):
            if node.pos_ in ("NOUN", "PROPN") or node.dep_ not in ("acl", "relcl", "xcomp"):
                break
            node = node.head
        targets.append(node)
    return any(
        t.lemma_.lower() in _lexicon().abstract_foes or t.lower_ in _lexicon().abstract_foes
        for target in targets
        for t in (target, *target.conjuncts)
    )


def _weapon_held(noun: Token) -> bool:
    """True for a weapon named, held or placed rather than used: "these are missiles"."""
    while noun.dep_ in ("appos", "conj") and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head  # "an improvised explosive device (IED)", "planes, tanks and artillery"
    head = noun.head
    # spaCy lemmatises "lay" (mines) as "lie": the word itself is checked too.
    if noun.dep_ in ("attr", "dobj") and (
        head.lemma_.lower() in _lexicon().weapon_handling_verbs
        or head.lower_ in _lexicon().weapon_handling_verbs
    ):
        return not any(c.dep_ == "prep" and c.lower_ in ("on", "against") for c in head.children)
    if noun.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in _lexicon().sending_verbs:
        return not _weapons_used_on(head)  # "deployed S-400 missiles to its base": moved
    if noun.dep_ == "pobj" and head.lower_ == "for" and _searched(head.head):
        return True  # "combing the city for mines": sought, none set off
    if noun.dep_ == "pobj" and any(
        c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in _lexicon().weapon_handling_verbs
        for c in noun.children
    ):
        # "the advance was slowed by landmines planted by the militants": mines laid, none set
        # off; under a verb of harm ("killed by a bomb planted in a car") the blast stands
        governor = head.head if head.dep_ in ("prep", "agent") else head
        return governor.lemma_.lower() not in _lexicon().verb_triggers
    return False


def _what_a_thing_is(noun: Token) -> bool:
    """True for a noun that says what its subject is ("sarin is a nerve agent", "it is a
    chemical weapon and a nerve agent"), not an act."""
    while noun.dep_ == "conj" and noun.head.pos_ == "NOUN":
        noun = noun.head
    return noun.dep_ == "attr" and noun.head.lemma_ == "be"


def _searched(word: Token) -> bool:
    """True for a verb of searching, or what it searches: the head of a "for" phrase that says
    what is sought ("searched for mines", "combing the city for mines")."""
    if word.dep_ == "dobj":
        word = word.head
    return word.pos_ == "VERB" and word.lemma_.lower() in _lexicon().search_verbs


def _police_raid(noun: Token) -> bool:
    """True for a raid by police: "police raids", "officers launched raids"."""
    agents = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod", "poss")]
    if noun.dep_ == "dobj":
        agents += [c for c in noun.head.children if c.dep_ == "nsubj"]
    words = {t.lemma_.lower() for a in agents for t in a.subtree}
    return bool(words & _lexicon().police_words)


def _labour_strike(noun: Token) -> bool:
    """True for a strike of workers: "a 48-hour strike", "went on strike", "a general strike"."""
    words = {t.lower_ for c in noun.lefts for t in c.subtree}
    words |= {t.lemma_.lower() for c in noun.lefts for t in c.subtree}
    if words & _lexicon().labour_words:
        return True
    head = noun.head
    return noun.dep_ == "pobj" and head.lower_ == "on" and head.head.lemma_.lower() == "go" or (
        noun.dep_ == "dobj" and head.lemma_.lower() == "call"
    )


_DISRUPT_SENSE = default_knowledge().sense("disruption")
_BASE_SENSE = default_knowledge().sense("base")
_OBJECT_DEPS = frozenset({"dobj", "nsubjpass"})


def _objects(verb: Token) -> list[Token]:
    """A verb's objects, with their conjuncts and the nouns of their "of" phrases."""
    found: list[Token] = []
    for child in verb.children:
        if child.dep_ not in _OBJECT_DEPS:
            continue
        for obj in (child, *child.conjuncts):
            found.append(obj)
            found.extend(_of_nouns(obj))
    return found


def _of_nouns(token: Token) -> list[Token]:
    """The nouns of a word's "of" phrases, with their conjuncts: "dozens of tanks"."""
    return [
        noun for prep in token.children if prep.dep_ == "prep" and prep.lower_ == "of"
        for pobj in prep.children if pobj.dep_ == "pobj"
        for noun in (pobj, *pobj.conjuncts)
    ]


def _acted_on(word: Token) -> list[Token]:
    """Who or what a verb or an event noun acts on: "evacuated thousands of civilians",
    "the execution of prisoners"."""
    own = _of_nouns(word)
    return _objects(word) + [t for noun in own for t in (noun, *_of_nouns(noun))]


def _crowd_gathers(verb: Token) -> bool:
    """True for demonstrators gathering or a crowd taking to the streets."""
    for child in verb.children:
        if child.dep_ == "nsubj" and child.lemma_.lower() in (
            _lexicon().demonstrator_words | _lexicon().crowd_words
        ):
            return verb.lemma_.lower() != "take" or _to_the_streets(verb)
    return _to_the_streets(verb)


def _to_the_streets(verb: Token) -> bool:
    return any(
        c.dep_ == "prep" and c.lower_ in ("to", "into", "onto")
        and any(p.lemma_.lower() == "street" for p in c.children)
        for c in verb.children
    )


def _has_weapon_object(verb: Token) -> bool:
    """True when what a verb seizes, finds or destroys is a weapon or a store of weapons."""
    if verb.lemma_.lower() == "shoot" and not any(c.lower_ == "down" for c in verb.children):
        return False  # "shot down a drone" disrupts a weapon; "shot live rounds" uses one
    remains = _lexicon().remains_nouns
    if verb.lemma_.lower() not in _lexicon().verb_triggers and any(
        c.dep_ in _OBJECT_DEPS and (c.lemma_.lower() in remains or c.lower_ in remains)
        for c in verb.children
    ):
        return False  # "removed the remains of cluster bombs": what their use left
    return any(
        obj.lemma_.lower() in _lexicon().weapon_objects or _is_instrument(obj)
        # a load seized, not destroyed: destroying armed vehicles is combat
        or _carries_weapons(obj) and verb.lemma_.lower() not in _lexicon().damage_verbs
        for obj in _objects(verb)
    )


# Participles of a load: "a vehicle carrying arms", "a truck loaded with explosives".
_LOAD_VERBS = frozenset({"carry", "load", "pack", "laden", "transport"})


def _carries_weapons(noun: Token) -> bool:
    """True for a thing told as a load of weapons: "seizing a truck carrying a big load of
    rifles and ammunition" seizes the arms, not a place."""
    weapons = _lexicon().weapon_objects
    return any(
        c.dep_ in ("acl", "amod") and c.lemma_.lower() in _LOAD_VERBS
        and any(t.lemma_.lower() in weapons for t in c.subtree if t.i != c.i)
        for c in noun.children
    )


def _founds_base(verb: Token) -> bool:
    """True for "set up / established a base (post, checkpoint)"."""
    if verb.lemma_.lower() == "set" and not any(
        c.dep_ == "prt" and c.lower_ == "up" for c in verb.children
    ):
        return False
    return any(obj.lemma_.lower() in _lexicon().base_nouns for obj in _objects(verb))


def _support_named(noun: Token) -> bool:
    """True for arms named as the backing of a force ("units backed by the air force and
    artillery", "troops supported from the air"): who helped, not an act of their own."""
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head
    by = noun.head
    return noun.dep_ == "pobj" and by.lower_ in ("by", "from") and (
        by.head.lower_ in _knowledge().words["backing_participles"]
    )


def _in_support_phrase(word: Token) -> bool:
    """True for a word inside what backs a force ("backed by the air force and artillery"):
    the backing is no means of this act."""
    node = word
    for _ in range(4):
        if _support_named(node):
            return True
        if node.head.i == node.i or node.dep_ not in ("compound", "amod", "conj", "nmod", "pobj"):
            return False
        node = node.head
    return False


def _weapon_subject_sense(verb: Token) -> TriggerSense | None:
    """The sense of a fired weapon that is the subject of an impact verb ("mortar shells hit
    a tent", "rocket fire slammed into the market", "a missile landed near the school"): the
    verb is the attack's word. A subject that is an event word itself ("air strikes hit the
    hospital") is the event's word already."""
    weapons = _lexicon().weapon_sub_types
    nouns = _lexicon().noun_triggers
    for subject in (c for c in verb.children if c.dep_ == "nsubj"):
        text = subject.lower_
        if any(w in nouns for w in (subject.lemma_.lower(), text, text.removesuffix("s"))):
            continue
        words = [subject, *(c for c in subject.children if c.dep_ in ("compound", "amod"))]
        for word in words:
            if word.lower_ in weapons and not _names_a_facility(word) and not _carried_in(word) \
                    and not _fuel_container(word):
                return _dropped_sense(word)
    return None


def _strike_subject_sense(verb: Token) -> TriggerSense | None:
    """The sense of a strike or fired weapon that is the verb's subject ("an airstrike",
    "artillery fire", "rockets"), whatever the verb did: an act noun's own, else the fired
    weapon's (:func:`_weapon_subject_sense`)."""
    for subject in (c for c in verb.children if c.dep_ == "nsubj"):
        for word in (subject, *(c for c in subject.children if c.dep_ in ("compound", "amod"))):
            sense = _noun_sense(word)
            if sense is not None and sense.event_type == REMOTE:
                return sense
    return _weapon_subject_sense(verb)


def _struck_by_forces(verb: Token) -> bool:
    """True for "hit" with an armed subject and an object: "army units hit the gatherings of
    terrorists", "jets hit a market" (not "the car hit a wall", "the crisis hit the economy")."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    armed = _lexicon().armed_nouns
    return any(
        s.lemma_.lower() in armed or s.lower_ in armed for s in subjects
    ) and any(c.dep_ == "dobj" for c in verb.children)


def _weapons_used_on(verb: Token) -> bool:
    """True for weapons sent over or on a place ("munitions were deployed over east Aleppo"),
    where they are used; "deployed missiles to the border" moves them."""
    return any(
        o.lemma_.lower() in _lexicon().weapon_objects for o in _objects(verb)
    ) and any(
        c.dep_ == "prep" and c.lower_ in ("over", "on", "upon", "against")
        and any(p.dep_ == "pobj" and p.ent_type_ not in ("DATE", "TIME") for p in c.children)
        for c in verb.children
    )  # not "on Thursday"


def _changes_group(verb: Token, lemma: str) -> bool:
    """True for a group formed ("a unit was set up") or troops moved ("moving troops"), or
    aircraft or arms withdrawn ("withdrew fighter planes from its airbase": the base stays)."""
    if lemma == "withdraw":
        weapons = _lexicon().weapon_sub_types
        return any(
            o.lemma_.lower() in _lexicon().weapon_objects
            or (o.lower_ in weapons and weapons[o.lower_].sub_event_type == "Air/drone strike")
            for obj in _objects(verb) for o in (obj, *_of_nouns(obj))
        )
    if lemma in _lexicon().group_verbs and (
        lemma != "set" or any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children)
    ):
        return any(obj.lemma_.lower() in _lexicon().group_nouns for obj in _objects(verb))
    if lemma in _lexicon().move_verbs:
        if lemma == "pull" and not any(c.lower_ in ("back", "out") for c in verb.children):
            return False
        subjects = [c for c in verb.children if c.dep_ == "nsubj"] if lemma == "pull" else []
        return any(
            t.lemma_.lower() in _lexicon().troop_nouns or t.lower_ in _lexicon().troop_nouns
            for t in (*_objects(verb), *subjects)
        )
    return False


def _disrupted_weapon(noun: Token) -> bool:
    """True for a weapon noun that is seized, found or stored rather than used."""
    node = noun
    for _ in range(5):
        if node.lemma_.lower() in _lexicon().weapon_stores:
            return True
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ in _OBJECT_DEPS and head.lemma_.lower() in _lexicon().disrupt_verbs:
            return True
        if node.dep_ not in ("conj", "pobj", "prep", "compound", "appos", "nmod", "amod") and (
            node.dep_ not in _OBJECT_DEPS
        ):
            return False
        node = head
    return False


def plover_verb_sense(
    token: Token, lemma: str, lexicon: Mapping[str, Mapping[str, TriggerSense]] | None = None
) -> TriggerSense | None:
    """The PLOVER-only sense of a verb ("rejected", "threatened", "called for"), if any."""
    lexicon = lexicon or default_knowledge().triggers
    if lemma in _lexicon().demand_verbs:
        particles = _lexicon().demand_particles
        if any(
            c.dep_ == "prep" and c.lower_ in particles
            and not any(o.ent_type_ in ("DATE", "TIME") for o in c.children)
            for c in token.children
        ):  # "called on Moscow to act" asks; "pushed back an attack on Sunday" does not
            return _SENSES["plover_demand"]
        return None
    if token.dep_ in ("amod", "compound", "acl") and lemma in _lexicon().plover_not_modifiers:
        return None  # "the Iran-backed militia", "a banned group": a description, not an act
    if lemma in _lexicon().light_verbs:
        # "imposed sanctions" is SANCTION, "imposed a curfew" COERCE: the object names the act.
        for child in token.children:
            if child.dep_ == "dobj":
                noun = lexicon["plover_noun"].get(child.lemma_.lower()) or lexicon[
                    "plover_noun"
                ].get(child.lower_)
                if noun is not None:
                    return noun
    return lexicon["plover_verb"].get(lemma)


def _in_multiword_entity(token: Token) -> bool:
    following = token.i + 1 < len(token.doc) and token.doc[token.i + 1].ent_iob_ == "I"
    return token.ent_iob_ == "I" or following


def _refers_back(word: Token) -> bool:
    """True for a definite event noun ("the attack"): a reference to an act told elsewhere."""
    return word.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in DEFINITE_DETERMINERS
        for c in word.children
    )


def merge_triggers(triggers: list[Trigger]) -> list[tuple[Trigger, Trigger | None]]:
    """Fold death verbs and generic attacks into the sentence's specific event, if it has one.

    Returns (event trigger, toll trigger) pairs; the toll trigger is where the death count is read.
    PLOVER-only acts (demands, threats, rejections) join them only when they govern the sentence:
    in "Syria rejected calls to withdraw" the rejection is the act, in "troops deployed after talks
    failed, shelled the town" the shelling is, and "talks" is no event.
    """
    plover = [t for t in triggers if t.sense.kind == "plover"]
    triggers = [t for t in triggers if t.sense.kind != "plover"]
    pairs = _merge_acled(triggers)
    acled = [pair[0].token for pair in pairs]
    governing = [
        t for t in plover
        if not acled or all(t.token.is_ancestor(token) for token in acled)
    ]
    if governing:
        # One PLOVER act per sentence: the one nearest the root ("threatened to impose sanctions").
        top = min(governing, key=lambda t: (_depth(t.token), t.token.i))
        pairs.insert(0, (top, None))
    return pairs


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token, depth = token.head, depth + 1
    return depth


def event_predicate(noun: Token, trigger_tokens: Sequence[Token] = ()) -> Token | None:
    """The verb that says what an instrument did: its event word, where the text has one.

    A weapon or an attacker is an argument of the event, not the event: in "twin bombs exploded,
    killing three" the event is "exploded", in "a roadside IED kills a general" it is "kills".
    Returns None for an instrument that only stands in a sentence ("the bomb was placed at the
    door", "the bomber told police").
    """
    if noun.pos_ not in ("NOUN", "PROPN") or not _is_instrument(noun):
        return None
    head = noun.head
    if noun.dep_ == "nsubj" and head.pos_ == "VERB":
        if head.lemma_.lower() in _lexicon().aspect_verbs:
            # "the bombs began to explode"
            head = next((c for c in head.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), head)
        lemma = head.lemma_.lower()
        if lemma == "go" and not any(c.dep_ == "prt" and c.lower_ == "off" for c in head.children):
            return None
        if head in trigger_tokens or lemma in _lexicon().weapon_impact_verbs or (
            lemma in _lexicon().impact_verbs
        ):
            return head
        return None
    if noun.dep_ == "dobj" and head.pos_ == "VERB" and (
        head.lemma_.lower() in _lexicon().setting_off_verbs
    ):
        return head
    return None


def _is_instrument(noun: Token) -> bool:
    # The word itself, not its lemma: spaCy may lemmatise the event noun "bombing" as "bomb".
    word = noun.lower_
    singular = word[:-1] if word.endswith("s") else word
    weapons = _lexicon().weapon_objects
    return word in weapons or singular in weapons or word in _lexicon().agent_nouns


def _at_predicate(trigger: Trigger, tokens: Sequence[Token]) -> Trigger:
    """The trigger moved from an instrument to the verb that says what it did, if any."""
    verb = event_predicate(trigger.token, tokens)
    if verb is None:
        return trigger
    return Trigger(verb, trigger.sense, verb.text)


def _fighting(trigger: Trigger) -> bool:
    """A battle, a strike, a killing or an assault done in the sentence (not "a gun linked to a
    murder"): "stormed the village, destroying dozens of homes" is one attack."""
    kind = trigger.sense.kind
    if kind in ("fight", "remote", "territory"):
        return True
    return kind in ("kill", "attack") and trigger.token.pos_ == "VERB"


def _governing_lemma(noun: Token) -> str:
    """The lemma of the verb a noun is the object of, also in a title-case headline ("Foils
    Terrorist Attack", where spaCy leaves "Foils" a proper noun)."""
    if noun.dep_ not in ("dobj", "nsubjpass", "ROOT", "compound") or noun.head == noun:
        return ""
    head = noun.head
    lemma = head.lemma_.lower()
    if head.pos_ == "PROPN" and head.lower_.endswith("s"):
        lemma = head.lower_[:-1]
    return lemma


def _foiled(noun: Token) -> bool:
    """True for an attack stopped before it did harm ("the army foiled a terrorist attack")."""
    return _governing_lemma(noun) in _lexicon().foiling_verbs


def _repelled(noun: Token) -> bool:
    """True for an attack fought off ("troops repelled an attack by IS"): a battle."""
    return _governing_lemma(noun) in _lexicon().repelling_verbs


def _aim(verb: Token) -> bool:
    """True for an infinitive that names an aim ("its campaign to retake", "pushing to
    recapture"), not an act done."""
    return verb.tag_ == "VB" and verb.dep_ in ("advcl", "acl", "relcl") and has_to(verb)


def _aim_of(aim: Token, words: Sequence[Token]) -> bool:
    """True when an aim hangs on one of ``words`` or on the verb whose object is one of them."""
    head = aim.head
    return head in words or any(c.dep_ == "dobj" and c in words for c in head.children)


def _spoils_of_fighting(trigger: Trigger) -> bool:
    """Arms seized, things destroyed and mines cleared in a sentence that states the fight or
    capture they were part of."""
    return trigger.sense.sub_event_type in (
        "Disrupted weapons use", "Looting/property destruction"
    ) and trigger.token.lemma_.lower() in {
        "destroy", "seize", "capture", "confiscate", "loot",
        # "took control of the areas ... secured after mines were removed": the clearing of a
        # place taken
        "remove", "clear", "dismantle", "defuse",
    }


def _without_vague_bombing(triggers: list[Trigger]) -> list[Trigger]:
    """Drop "bombing" read as an air strike where the sentence names a bomb attack instead.

    "One person was killed in a bomb attack on the road ... in that bombing": with no aircraft
    in the sentence, the bombing is the bomb attack, not a second, aerial event.
    """
    planted = [
        t for t in triggers
        if t.sense.event_type == REMOTE and t.sense.sub_event_type in (
            "Remote explosive/landmine/IED", "Suicide bomb"
        )
    ]
    if not planted:
        return triggers
    sentence = triggers[0].token.sent
    if any(t.lower_ in _lexicon().air_words for t in sentence):
        return triggers
    return [
        t for t in triggers
        if not (
            t.sense.sub_event_type == "Air/drone strike"
            and t.token.lower_ in _lexicon().bombing_words
        )
    ]


def _executes(trigger: Trigger) -> bool:
    """True for a kill trigger that is an execution ("executed", "beheaded")."""
    return trigger.sense.kind == "kill" and (
        trigger.token.lemma_.lower() in _lexicon().execution_words
    )


def _how_captives_were_taken(word: Token, execution: Token) -> bool:
    """True for an act word that tells how the people an ``execution`` killed came into the
    killers' hands: inside the victims' phrase ("executed soldiers captured in an ambush") or
    in an "after" phrase of the execution ("executed them after taking them captive in a raid").
    A bare participle after the victims tells it however the parser hangs it: "executed 40
    soldiers captured while fleeing" (read as a clause of the execution), "Soldiers captured
    while fleeing were executed" (read as the main verb, the execution its clause).
    """
    if word.i == execution.i:
        return False
    if word.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in word.children):
        victims = [c for c in execution.children if c.dep_ in _OBJECT_DEPS]
        if word.head == execution and word.dep_ == "advcl" and victims and (
            victims[0].i < word.i
        ):
            return True
        if execution.head == word and execution.dep_ in ("ccomp", "conj") and any(
            c.dep_ == "auxpass" for c in execution.children
        ) and not any(c.dep_ in ("nsubj", "nsubjpass") for c in execution.children):
            return True
    if not execution.is_ancestor(word):
        return False
    for child in execution.children:
        if child.dep_ in _OBJECT_DEPS and word in child.subtree:
            return word != child
        if child.dep_ in ("prep", "advcl") and word in child.subtree and (
            child.lower_ == "after"
            or any(c.dep_ in ("mark", "prep") and c.lower_ == "after" for c in child.children)
        ):
            return True
    return False


def _struck_by(noun: Token, strikes: set[int]) -> bool:
    """True for a gathering that one of the sentence's ``strikes`` hit: "rebels shelled an
    election rally", "an air strike on a protest", "the rally was hit by mortars", "the fire hit
    a tent where supporters had gathered"."""
    if noun.dep_ in ("relcl", "acl") and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head  # the place the crowd was in
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass") and head.i in strikes:
        return True
    return noun.dep_ == "pobj" and head.lower_ in ("on", "at", "against") and (
        head.head.i in strikes
    )


def _merge_acled(triggers: list[Trigger]) -> list[tuple[Trigger, Trigger | None]]:
    """Fold the kill and generic attack triggers of a sentence into its specific ACLED event."""
    earlier = [t for t in triggers if in_measured_earlier_act(t.token)]
    now = [t for t in triggers if t not in earlier]
    if earlier and any(not _refers_back(t.token) for t in now):
        # "19 killed on Tuesday, hours after a gas attack left dozens dead": two incidents,
        # neither folded into the other ("the attack came days after" only refers to one)
        return _merge_acled(now) + _merge_acled(earlier)
    answered = [t for t in triggers if answered_act(t.token)]
    if answered and len(answered) < len(triggers):
        # "launched a missile attack on an air base in response to the chemical attack": the
        # act answered is another incident, which takes in none of the answer's words
        rest = [t for t in triggers if t not in answered]
        return _merge_acled(rest) + _merge_acled(answered)
    before = [t for t in triggers if t.sense.kind == "kill" and after_clause(t.token) is not None]
    if before and any(
        t.sense.kind not in ("kill", "attack") and after_clause(t.token) is None for t in triggers
    ):
        # "the bombardment began after militants killed a pilot": the killing came first and is
        # no toll of the bombardment ("died after jets struck" keeps its toll)
        rest = [t for t in triggers if t not in before]
        return _merge_acled(rest) + _merge_acled(before)
    taken = [
        t for t in triggers
        if t.sense.kind == "territory" and after_clause(t.token) is not None
        and any(k.sense.kind == "kill" and k.token.is_ancestor(t.token) for k in triggers)
    ]
    if taken:
        # "9 villagers were killed by army troops after they retook the town": the
        # town was taken first; the killing is an act of its own, not the capture's
        # toll ("died after jets struck" keeps its toll: the strike killed them)
        rest = [t for t in triggers if t not in taken]
        return _merge_acled(rest) + _merge_acled(taken)
    recalled = [t for t in triggers if _in_relative_clause_of_a_year(t.token)]
    if recalled and len(recalled) < len(triggers):
        # "IS fighters, who seized the town last year, attacked a checkpoint": what the doer
        # did in a year told apart is another act, which takes in none of the news's words
        rest = [t for t in triggers if t not in recalled]
        return _merge_acled(rest) + _merge_acled(recalled)
    place_nouns = _lexicon().place_or_site_nouns
    described = [
        t for t in triggers
        if describes_place(t.token, place_nouns)
        and not (
            t.sense.kind == "kill" and any(told_aftermath(t.token, o.token) for o in triggers)
        )
    ]
    if described and len(described) < len(triggers):
        # "the bombardment struck the town of Jayrud, where rebels killed a pilot": what the
        # place saw is told apart from the act; it is neither its toll nor its doer
        rest = [t for t in triggers if t not in described]
        return _merge_acled(rest) + _merge_acled(described)
    tokens = [t.token for t in triggers]
    triggers = [
        _at_predicate(t, tokens) if t.sense.kind not in ("kill", "attack") else t
        for t in triggers
    ]
    executions = [t.token for t in triggers if _executes(t)]
    if executions:
        # "executed 50 soldiers captured in an ambush": the fight that made them captives came
        # before; killing people in one's hands is its own act (ACLED: an attack on civilians)
        triggers = [
            t for t in triggers if not any(_how_captives_were_taken(t.token, e) for e in executions)
        ]
    if any(_fighting(t) for t in triggers):
        # "ten fighters were killed and their weapons destroyed": the arms taken or destroyed
        # in a fight are part of it, not a disrupted-weapons event of their own.
        triggers = [t for t in triggers if not _spoils_of_fighting(t)]
    if any(t.sense.event_type == REMOTE for t in triggers):
        # "jets carried out strikes around Raqqa and demolished a factory": what the strikes
        # destroyed, not a property destruction of its own; "as a crowd gathered the second
        # bomber struck": the crowd is the target, no demonstration
        triggers = [
            t for t in triggers
            if not (
                t.sense.sub_event_type == "Looting/property destruction"
                and t.token.lemma_.lower() in _lexicon().damage_verbs
                or t.sense.kind == "protest"
                and t.token.lemma_.lower() in _lexicon().gather_verbs
                and _while_clause(t.token)
            )
        ]
    fired = [
        t.token for t in triggers
        if t.sense.sub_event_type in ("Air/drone strike", "Shelling/artillery/missile attack")
    ]
    if fired:
        # "16 airstrikes were reported, triggering successive explosions": the blasts the
        # strikes set off are no bombing of their own
        triggers = [t for t in triggers if not _set_off_by(t, fired)]
    strikes = {
        t.token.i for t in triggers
        if t.sense.event_type == REMOTE or t.sense.kind in ("attack", "kill")
    }
    if strikes:
        # "rebels shelled an election rally", "a mortar attack on a protest": the gathering is
        # the target of the attack, not a demonstration of its own that takes its dead
        triggers = [
            t for t in triggers if not (t.sense.kind == "protest" and _struck_by(t.token, strikes))
        ]
    triggers = _without_vague_bombing(triggers)
    amid = [t for t in triggers if _amid_another(t, triggers)]
    if amid:
        # "clashes continued between regime forces and rebels amid mutual bombardment": the
        # bombardment is the clashes' setting, not the act the sentence reports
        triggers = [t for t in triggers if t not in amid]
    if len(triggers) > 1:
        # "executed six men because they belonged to groups that had fought": a relative clause
        # in a perfect tense tells who someone was, not what else happened then.
        triggers = [t for t in triggers if not perfect_relative(t.token)] or triggers
        # "killed as the regime stepped up its campaign to retake the town": an aim beside
        # another act is no event and takes no toll (the aim of an attack word, "launched an
        # assault to retake", still says what the attack was).
        words = [t.token for t in triggers]
        if any(t.sense.kind == "kill" for t in triggers):
            triggers = [
                t for t in triggers if not _aim(t.token) or _aim_of(t.token, words)
            ] or triggers
    specific: list[Trigger] = []
    for trigger in triggers:
        # "a car bomb exploded": two words, one explosion; one event per sub-type per sentence.
        if trigger.sense.kind not in ("kill", "attack") and all(
            t.sense.sub_event_type != trigger.sense.sub_event_type and t.token != trigger.token
            for t in specific
        ):
            specific.append(trigger)
    generic = [t for t in triggers if t.sense.kind in ("kill", "attack")]
    kills = [t for t in triggers if t.sense.kind == "kill"]
    if not specific:
        if not generic:
            return []
        # One violent act per sentence: prefer the attack noun/verb, read the toll at the kill;
        # a foiled attack killed no one ("foiled an attack and killed 12 terrorists": the
        # killing is the event).
        attacks = [t for t in generic if t.sense.kind == "attack"]
        if kills:
            attacks = [t for t in attacks if not _foiled(t.token)]
        main = attacks[0] if attacks else generic[0] if not kills else kills[0]
        return [(main, kills[0] if kills else None)]
    pairs: list[tuple[Trigger, Trigger | None]] = []
    # Deaths are folded into the first violent event; a ceasefire, a deal or an arrest never
    # carries them ("350 killed since the ceasefire collapsed" is no toll of the ceasefire).
    violent = [t for t in specific if t.sense.kind != "strategic"]
    for trigger in specific:
        toll = kills[0] if kills and violent and trigger is violent[0] else None
        pairs.append((trigger, toll))
    if generic and not violent:
        # "launched an attack on a base ... as part of a deal": the deal does not stand for
        # the attack
        attacks = [t for t in generic if t.sense.kind == "attack"]
        main = attacks[0] if attacks else kills[0]
        pairs.append((main, kills[0] if kills else None))
    return pairs


def _heard(noun: Token) -> bool:
    """True for a blast told as a sound: "explosions were heard", "the sound of shelling and
    blasts audible across the valley" (what witnesses heard of an act told in its own words,
    no bombing of its own)."""
    if any(
        c.dep_ in ("relcl", "acl") and c.lemma_.lower() in _knowledge().harm_verbs
        for c in noun.children
    ):
        return False  # "residents heard an explosion that killed eight": the blast did harm
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head  # "gunfire and explosions were heard"
    head = noun.head
    if noun.dep_ in ("nsubjpass", "dobj") and head.lemma_.lower() in _lexicon().sighting_verbs:
        return True
    if any(c.lower_ == "audible" for c in (*noun.children, *head.children)):
        return True
    return noun.dep_ == "pobj" and head.lower_ == "of" and (
        head.head.lemma_.lower() in ("sound", "noise", "echo", "boom", "thud")
    )


def _amid_another(trigger: Trigger, triggers: list[Trigger]) -> bool:
    """True for an act noun in an "amid" phrase of the clause of another specific act ("clashes
    continued ... amid mutual bombardment", "stormed the town amid heavy shelling"): its
    setting. A death is often told amid its cause ("12 killed amid heavy shelling"), so a
    killing makes it no setting."""
    token = trigger.token
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in ("amid", "amidst"):
        return False
    above = set(prep.ancestors)
    return any(
        other is not trigger and other.sense.kind != "kill"
        and other.sense.sub_event_type != trigger.sense.sub_event_type
        and (other.token in above or other.token.dep_ in ("nsubj", "nsubjpass")
             and other.token.head in above)
        for other in triggers
    )


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
    reference: date | None = None,
    linker: str = DEFAULT_LINKER,
) -> Event | None:
    """Assemble one event from a trigger and the sentence around it."""
    if _natural_death(trigger, toll_trigger):
        return None  # "died of cancer", "died of the plague in 639": no violence, no event
    if _crew_lost(trigger, toll_trigger, sent):
        return None  # "three officers were killed when their helicopter crashed": an accident
    death_word = (toll_trigger or trigger).token
    campaign = _counted_since_long_ago(trigger.token, analysis.article.published)
    running = campaign or (toll_trigger or trigger).sense.kind == "kill" and _running_toll(
        sent, death_word, analysis.article.published
    )
    toll_is_running = False
    if running and toll_trigger is not None and toll_trigger.token.i != trigger.token.i:
        # "air strikes ... the war has killed 400,000": keep the strike, without that total;
        # "coalition strikes have killed 649 civilians since 2014": the strikes are what the
        # total counts, a campaign
        campaign = campaign or _counted_by(toll_trigger.token, trigger.token) or (
            # "have fired rockets into Damascus, killing 16 since Thursday": an act in the
            # present perfect spans the days its deaths are counted over
            _perfect(trigger.token) and since_phrase(toll_trigger.token) is not None
        )
        toll_trigger, toll_is_running, running = None, True, campaign
    actor_mentions = _outside_earlier_acts(analysis.doc, trigger.token, actor_mentions)
    roles = find_roles(
        trigger.token, actor_mentions, trigger.sense.kind == "plover",
        mutual=getattr(
            _knowledge().event_types.get(trigger.sense.event_type or ""), "symmetric", False
        ),
    )
    if toll_trigger is not None and roles.actor2 is None:
        victims = find_roles(toll_trigger.token, actor_mentions)
        roles = replace(roles, actor2=victims.actor2, actor1=roles.actor1 or victims.actor1)
    fatalities = None
    if not toll_is_running and (
        toll_trigger is not None or trigger.sense.kind not in _TOLL_FREE_KINDS
    ):
        apart = _grievances(trigger) + _place_descriptions(sent, (toll_trigger or trigger).token)
        apart += _answered_acts(sent, (toll_trigger or trigger).token)
        fatalities = find_fatalities(sent, (toll_trigger or trigger).token, _knowledge(), apart)
    if fatalities is None and toll_trigger is not None:
        apart = _grievances(trigger) + _place_descriptions(sent, trigger.token)
        apart += _answered_acts(sent, trigger.token)
        fatalities = find_fatalities(sent, trigger.token, _knowledge(), apart)
    actor1 = actors.get(roles.actor1.entity_id) if roles.actor1 else None
    actor2 = actors.get(roles.actor2.entity_id) if roles.actor2 else None
    if actor1 is not None and actor1.inter_code == _CIVILIANS and trigger.sense.kind != "plover":
        # ACLED codes civilians only as victims: "5 civilians killed in rocket attacks"
        roles = replace(roles, actor1=None, actor2=roles.actor2 or roles.actor1)
        actor1, actor2 = None, actor2 or actor1
    event_type, sub_type, plover = classify(trigger, sent, actor1, actor2, fatalities)
    if event_type is None:
        return None
    agents = [m for m in (roles.actor1, roles.assoc1) if m is not None]
    place_mention, borrowed = find_place(
        analysis, sent, sent_index, trigger.token,
        [m for m in place_mentions if not _names_agent(m, agents)], lookback,
        # A withdrawal happens at the place left: "withdrew from Palmyra".
        territorial=trigger.sense.kind == "territory"
        or trigger.sense.sub_event_type == "Non-violent transfer of territory",
        folded=(toll_trigger.token,) if toll_trigger is not None else (),
        linker=linker,
        borrow=not _opens_apart(sent),  # "Elsewhere, ...": not the scene told before
    )
    place = places.get(place_mention.entity_id) if place_mention else None
    geo_precision = None
    if place is not None:
        geo_precision = place.geo_precision
        if borrowed or _beside(analysis.doc, place_mention):
            geo_precision = max(geo_precision, 2)
    actor2_id = victims_where_hit(actor2, place, actors, attacker=actor1)
    modality = find_modality(sent, trigger.token)
    if modality == HEDGED and fatalities is not None and toll_trigger is not None and (
        toll_trigger.token.is_ancestor(trigger.token)
    ):
        # "15 civilians were killed in a suspected coalition air strike": the suspicion is
        # about the means or the author; the deaths are stated as fact.
        modality = find_modality(sent, toll_trigger.token)
    published = analysis.article.published
    event_date, time_precision, phrase = _event_date(
        sent, trigger, toll_trigger, published, modality
    )
    if modality in FACTUAL_MODALITIES:
        low = fatalities.low if fatalities is not None else None
        reason = "running toll" if running else background_reason(
            sent, trigger.token, toll=low, headline=sent_index == 0
        )
        if reason is not None and toll_trigger is not None and _setting_of(
            trigger.token, toll_trigger.token
        ):
            # "IS killed 14 fighters as clashes with the rebels have grown fiercer": the
            # clashes going on are the setting; the killing is told as its own act
            reason = background_reason(
                sent, toll_trigger.token, toll=low, headline=sent_index == 0
            )
        if reason is None and fatalities is not None and _toll_over_regions(
            [trigger.token] + ([toll_trigger.token] if toll_trigger is not None else []),
            place_mentions, places,
        ):
            reason = "aggregate"  # "32 killed in Daraa and Aleppo": a round-up of incidents
        if reason is None and toll_trigger is not None and fatalities is not None and (
            toll_trigger.token.i != trigger.token.i
            and not day_dated(sent) and counted_over_span(toll_trigger.token, trigger.token)
        ):
            reason = "aggregate"  # "bore the brunt of the strikes, with 374 killed during the
            # past week": the strikes of a week, counted together
        if reason is None and fatalities is not None and _toll_by_places(sent, place_mentions):
            reason = "aggregate"  # "54 killed on Tuesday, including 9 in Salihin, 8 in Ansari
            # and 5 in Maadi": the sum of several places' incidents
        if reason is None and _acts_of_kinds(
            [trigger.token] + ([toll_trigger.token] if toll_trigger is not None else [])
        ) and _names_only_regions(sent, place_mentions, places) and (
            fatalities is not None or find_fatalities(sent, None, _knowledge()) is not None
        ):
            reason = "aggregate"  # "31 killed in clashes and air strikes in Hama province over
            # the last 24 hours": a round-up of a province's acts, of more than one kind
        if reason is None and _ended_act(trigger.token):
            # "the end of the Old City siege put it under government control again": the siege
            # is over and told as past, no act of the article's date
            reason = "history"
        if reason is None and _counted_so_far(trigger.token):
            # "the operation has so far retaken 20 villages": a running total of acts
            reason = "aggregate"
        if reason is None and _whole_it_is_part_of(trigger.token):
            # "Seizing the dam is part of the campaign to recapture Raqqa": the campaign an
            # act belongs to, told to say what the act means
            reason = "history"
        if reason is None and sent_index > 0 and _describes_a_photo(sent, trigger.token):
            # "A man searches the wreck of an aid truck that was hit in an air raid":
            # a caption says what a picture shows, not when the strike it recalls happened
            reason = "caption"
        if reason is None and _act_over_regions(trigger.token, place_mentions, places):
            reason = "aggregate"  # "shelled al-Foaa in Idlib, villages in Latakia, checkpoints
            # in Hama and houses in Daraa": a round-up that no one place holds
        if reason is None and fatalities is not None and phrase is None and (
            place is None or place.id.startswith("country:")
            or fatalities.low >= PROVINCE_TALLY
            and not _names_a_town(sent, place_mentions, places)
        ) and _perfect_tally(trigger.token, toll_trigger):
            # "about 80 civilians across Syria have been killed by coalition raids, a UN
            # report finds": a country's count over months, no one incident; so are hundreds
            # "killed in clashes in the neighbouring province" with no day named
            reason = "aggregate"
        if reason is None and time_precision >= 3 and phrase is not None and _bare_plural_acts(
            trigger.token, toll_trigger
        ):
            # "casualties linked to US airstrikes in March", "last month air strikes killed 40":
            # acts in the bare plural over a month are a month's count, no one incident
            reason = "aggregate"
        if reason is not None:
            # A span of years or a running total has no day of its own, least of all the
            # article's; history keeps the date the text gives it.
            modality, event_date, time_precision = BACKGROUND, None, 3
        elif (
            fatalities is not None and toll_trigger is not None
            and toll_trigger.token.i != trigger.token.i
            and not told_aftermath(toll_trigger.token, trigger.token)
            and background_reason(
                sent, toll_trigger.token, toll=fatalities.low, headline=sent_index == 0
            ) is not None
        ):
            # "the town fell on 22 May; scores were murdered in the days after": the fall is
            # an event, the deaths over the days after it a tally that is not its toll
            fatalities = None
        if modality in FACTUAL_MODALITIES and reference is not None and (
            is_historical(event_date, reference, phrase, recall=published is not None)
            or phrase is None and _names_earlier_year(sent, reference)
            or phrase is None and _earlier_year_above(sent, trigger.token)
            or _begun_long_before(trigger.token, event_date, reference)
        ):
            modality = BACKGROUND  # history the article recalls: it keeps its own date
        elif modality in FACTUAL_MODALITIES and event_date is None and any(
            ent.label_ == "DATE" and names_an_earlier_year(ent.text)
            and any(w.is_ancestor(ent.root) for w in (trigger.token, death_word))
            for ent in sent.ents
        ):
            # "in August last year" in an article whose date is unknown: the year before its
            # own, whichever that was
            modality = BACKGROUND
    plover = promised_plover_type(plover, modality, trigger.token)
    article_id = analysis.article.id
    return Event(
        id=event_id(article_id, trigger.token.idx, sub_type),
        event_type=event_type,
        sub_event_type=sub_type,
        plover_type=plover,
        trigger=_reported_trigger(trigger, toll_trigger),
        event_date=event_date,
        time_precision=time_precision,
        actor1=local_role_actor(
            roles.actor1.entity_id, place, actors, told=_told_phrase(analysis.doc, roles.actor1)
        ) if roles.actor1 else _doer_of_its_type(event_type, place, analysis, actors),
        actor2=actor2_id,
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


def _described_harms() -> frozenset[str]:
    """Verbs whose undated participle after a person says what befell them before, not an act
    told: the verbs of injuring, and "shoot" (a person "shot in Madaya" who was evacuated
    lived). "Killed" stays: "the 12 people killed in the strike" restates the strike."""
    return _knowledge().harm(harm="injury") | {"shoot"}


# A campaign "that began" more than this many days before its article is the setting of the
# news, not news: "militants retaliated to an offensive that began on June 3" (June 20).
BEGUN_DAYS = 7


def _begun_long_before(trigger: Token, event_date: date | None, reference: date) -> bool:
    """True for an act noun described by when it began, over ``BEGUN_DAYS`` before the article
    ("a government offensive that began on June 3"): its start is recalled, not reported."""
    if trigger.pos_ != "NOUN" or event_date is None:
        return False
    began = any(
        c.dep_ in ("relcl", "acl") and c.lemma_.lower() in _lexicon().onset_verbs
        and c.tag_ in ("VBD", "VBN")
        for c in trigger.children
    )
    return began and (reference - event_date).days > BEGUN_DAYS


# A present-perfect toll this large with no day and no town named counts the dead of many
# days ("327 people have been killed in clashes in Aleppo province", "502 civilians have been
# killed in regime and Russian bombings").
PROVINCE_TALLY = 100


def _names_a_town(
    sent: Span, place_mentions: Sequence[Mention], places: Mapping[str, Place]
) -> bool:
    """True when the sentence names a town, village or site: "killed in strikes near the city
    of Manbij in Aleppo governorate" is one town's news, whatever place the event took."""
    for mention in place_mentions:
        if not sent.start_char <= mention.start < sent.end_char or mention.entity_id is None:
            continue
        place = places.get(mention.entity_id)
        if place is not None and not (place.feature_class or "").startswith("A."):
            return True
    return False


def _toll_by_places(sent: Span, place_mentions: Sequence[Mention]) -> bool:
    """True for a sentence that breaks a toll down by place: two or more counts, each "in" a
    different named place ("15 in a district of Manbij and another six in Tukhar")."""
    named: set[str] = set()
    for count in sent:
        if not count.like_num or count.ent_type_ not in ("CARDINAL", ""):
            continue
        for prep in count.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "at"):
                continue
            start, end = prep.idx, prep.right_edge.idx + len(prep.right_edge)
            named.update(
                m.text.lower() for m in place_mentions if start <= m.start and m.end <= end
            )
            named.update(  # a village the gazetteer lacks still names a place
                e.text.lower() for e in sent.ents
                if e.label_ in ("GPE", "LOC", "FAC") and start <= e.start_char and e.end_char <= end
            )
    return len(named) >= 2


def _names_only_regions(
    sent: Span, place_mentions: Sequence[Mention], places: Mapping[str, Place]
) -> bool:
    """True when every place the sentence names is a province or a country ("in Hama
    province", "across Syria"); a name left unresolved may be a village and counts as none."""
    named = [m for m in place_mentions if sent.start_char <= m.start < sent.end_char]
    return bool(named) and all(
        (place := places.get(m.entity_id or "")) is not None
        and (place.feature_class or "").startswith("A.")
        for m in named
    )


def _perfect_tally(word: Token, toll_trigger: Trigger | None) -> bool:
    """True for a toll in the present perfect of acts in the bare plural: "have been killed in
    airstrikes" sums strikes; "has been killed in an air strike" tells one."""
    verb = toll_trigger.token if toll_trigger is not None else word
    if verb.tag_ != "VBN" or not any(
        c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children
    ):
        return False
    return _bare_plural_acts(word, toll_trigger)


def _bare_plural_acts(word: Token, toll_trigger: Trigger | None) -> bool:
    """True when the acts told are a bare plural: the trigger noun ("airstrikes"), or what a
    toll verb's "in"/"by" phrase names ("were killed in airstrikes"), with no article, number
    or owner that would single them out ("in two air strikes", "in the strikes")."""
    verb = toll_trigger.token if toll_trigger is not None else word
    acts = [word] if word.pos_ == "NOUN" else [
        t for prep in verb.children if prep.dep_ == "prep" and prep.lower_ in ("in", "by")
        for t in prep.children if t.dep_ == "pobj"
    ]
    return bool(acts) and all(
        a.tag_ == "NNS" and not any(c.dep_ in ("det", "nummod", "poss") for c in a.children)
        for a in acts
    )


def _reported_trigger(trigger: Trigger, toll_trigger: Trigger | None) -> str:
    """The word that heads the event's clause: the death verb when the attack hangs from it.

    In "seven militants were killed in two blasts" or "he died after a gunfight" the clause
    reports deaths and the attack is its circumstance; in "twin bombs exploded, killing three"
    the explosion heads the clause. The type still comes from the attack word.
    """
    if (
        toll_trigger is not None
        and toll_trigger.token.pos_ == "VERB"
        and toll_trigger.token.is_ancestor(trigger.token)
        # "air strikes killed 12": the strikes are the subject, and the event word
        and not (
            trigger.token.head == toll_trigger.token
            and trigger.token.dep_ in ("nsubj", "nsubjpass", "csubj")
        )
    ):
        return toll_trigger.text
    return trigger.text


def _opens_apart(sent: Span) -> bool:
    """True for a sentence that moves on to another incident, which borrows no place from the
    sentences before it."""
    return opens_apart(sent.text, _lexicon().apart_openers)


def _acts_of_kinds(acts: Sequence[Token]) -> bool:
    """True for an act noun joined to another of a different kind ("killed in clashes and air
    strikes", "in shelling and air strikes", however parsed): whatever toll they share is more
    than one act's."""
    nouns = [*acts, *(
        p for a in acts for prep in a.children if prep.dep_ == "prep" and prep.lower_ == "in"
        for p in prep.children if p.dep_ == "pobj"
    )]
    for noun in nouns:
        joined = [*noun.conjuncts, *(  # "shelling and air strikes", read as a modifier
            m for m in noun.children
            if m.dep_ in ("amod", "compound") and any(c.dep_ == "cc" for c in m.children)
        )]
        kinds = {  # a bare "attacks" may be either kind: "airstrikes and barrel bomb attacks"
            sense.sub_event_type for word in (noun, *joined)
            if (sense := _noun_sense(word)) is not None and sense.kind not in ("attack", "kill")
        }
        if len(kinds) > 1:
            return True
    return False


def _toll_over_regions(
    acts: Sequence[Token], place_mentions: Sequence[Mention], places: Mapping[str, Place]
) -> bool:
    """True for a toll told of places in two or more provinces at once ("32 killed in Daraa
    and Aleppo", "across Idlib and Hama"): a round-up of separate incidents that no one place
    can hold, and whose sum is no incident's toll.

    Only the places listed side by side count (conjoined, or run together where a page lost
    its commas); a place that locates another ("in Douma near Damascus", "Jobar, Damascus")
    does not.
    """
    regions: set[tuple[str | None, str]] = set()
    # "killed 12 people in Idlib and Hama": the phrase may hang from the victims
    holders = [*acts, *(c for a in acts for c in a.children if c.dep_ in ("dobj", "nsubjpass"))]
    # "five killed and four injured in attacks with shells in Aleppo, Hama and Damascus": the
    # injuries share the toll's places
    holders += [c for a in acts for c in a.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    # "2 killed, others injured in attacks with shells in Aleppo and Quneitra": a headline
    # that lost its comma hangs the places on the participle of the injured
    holders += [c for h in list(holders) for c in h.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    # "killed in attacks by the army in the provinces of Hama and Idlib", "in attacks with
    # shells in Aleppo": on the act's nouns, two prepositions deep
    frontier = list(holders)
    for _ in range(2):
        frontier = [
            p for a in frontier for prep in a.children
            if prep.dep_ == "prep" and prep.lower_ in ("in", "with", "by")
            for p in prep.children if p.dep_ == "pobj"
        ]
        holders += frontier
    for act in holders:
        for prep in act.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "across"):
                continue
            listed: set[int] = set()
            stack = [c for c in prep.children if c.dep_ == "pobj"]
            while stack:
                node = stack.pop()
                listed.add(node.i)
                stack.extend(c for c in node.children if c.dep_ in ("conj", "compound"))
                if node.lemma_.lower() in _lexicon().places_nouns:
                    # "in the provinces of Hama and Idlib": the places the noun names
                    stack.extend(
                        p for of in node.children if of.dep_ == "prep" and of.lower_ == "of"
                        for p in of.children if p.dep_ == "pobj"
                    )
            for mention in place_mentions:
                place = places.get(mention.entity_id) if mention.entity_id else None
                if place is None or place.admin1 is None:
                    continue  # a country is no province: "in Syria's Daraa"
                span = act.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is not None and span.root.i in listed:
                    regions.add((place.country, place.admin1))
    return len(regions) >= 2


# Provinces an act's own phrases may name before it is a round-up, not one incident: two are
# often an incident on a border or a town and its province's capital, three are not.
ROUND_UP_REGIONS = 3


def _describes_a_photo(sent: Span, trigger: Token) -> bool:
    """True for a photo caption: people doing something in the present simple ("Residents
    inspect", "A boy walks past"), no day named, and the act only inside what they do. A
    headline is written so too ("Civilians flee as jets pound Aleppo"): the caller asks only
    of sentences after the first."""
    root = sent.root
    lexicon = _lexicon()
    if root.tag_ not in ("VBP", "VBZ") or root.i == trigger.i or not root.is_ancestor(trigger):
        return False
    if root.lemma_.lower() in lexicon.reporting_verbs | lexicon.speech_verbs | {"be", "have"}:
        return False
    dates = [ent for ent in sent.ents if ent.label_ in ("DATE", "TIME")]
    if not all(_photo_stamp(ent) for ent in dates):
        return False
    # a caption the agency stamped with its day may show anyone ("A civil defence member
    # runs near an ambulance ... August 6 2016")
    return any(
        child.dep_ == "nsubj" and child.tag_ in ("NN", "NNS")
        and (bool(dates) or child.lemma_.lower() in lexicon.civilian_nouns)
        for child in root.children
    )


def _photo_stamp(ent: Span) -> bool:
    """True for the date an agency stamps on a caption, written in full at its end ("... in
    Idlib province Syria August 6 2016 (Agencies)"): the day the picture was taken, which
    leaves the caption a caption."""
    after = [t for t in ent.sent[ent.end - ent.sent.start :] if not t.is_punct]
    credit = bool(after) and after[0].i == ent.end + 1 and after[0].nbor(-1).text == "("
    year = any(t.like_num and len(t.text) == 4 for t in ent)
    return year and len(ent) >= 3 and (not after or credit)


def _act_over_regions(
    trigger: Token, place_mentions: Sequence[Mention], places: Mapping[str, Place]
) -> bool:
    """True for an act whose own phrases name places in three or more provinces: "al-Nusra
    shelled al-Foaa in Idlib, villages in Latakia, checkpoints in Hama and houses in Daraa".
    Where its doers come from ("rebels from Idlib and Hama attacked ...") does not count."""
    doers = {
        t.i for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass", "agent")
        for t in c.subtree
    }
    own = {t.i for t in trigger.subtree} - doers
    regions: set[tuple[str | None, str]] = set()
    for mention in place_mentions:
        place = places.get(mention.entity_id) if mention.entity_id else None
        if place is None or place.admin1 is None:
            continue
        span = trigger.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and span.root.i in own:
            regions.add((place.country, place.admin1))
    return len(regions) >= ROUND_UP_REGIONS


def _names_agent(place: Mention, agents: list[Mention]) -> bool:
    """True for a place that is the event's agent: "seized by Israel", "Russia bombed"."""
    return any(
        agent.start <= place.start and place.end <= agent.end
        and (agent.end - agent.start) - (place.end - place.start) <= 3
        for agent in agents
    )


def _beside(doc: Doc, mention: Mention) -> bool:
    """True when the text places the event only beside its place ("near Manbij")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and placed_beside(span)


def _target_participles(verb: Token) -> list[Token]:
    """The present participles that describe what a verb hit ("hit buses carrying evacuees")."""
    return [
        participle for target in verb.children if target.dep_ in ("dobj", "obj")
        for participle in target.children
        if participle.dep_ == "acl" and participle.tag_ == "VBG"
    ]


def _event_date(
    sent: Span,
    trigger: Trigger,
    toll_trigger: Trigger | None,
    published: date | None,
    modality: str,
) -> tuple[date | None, int, str | None]:
    """The event's date, its precision and the phrase that gave it (``None``: undated).

    "Air strikes killed 12 civilians on Tuesday": "on Tuesday" hangs off "killed", not off
    "strikes", so the death verb is read when the trigger itself carries no date.
    """
    future = modality == "future"
    found = find_event_date(sent, trigger.token, published, future=future)
    if found.phrase is None and toll_trigger is not None and (
        toll_trigger.token.i != trigger.token.i
    ):
        found = find_event_date(sent, toll_trigger.token, published, future=future)
    if found.phrase is None:
        # "scores died and many were injured on Tuesday": the day closes both harms
        harms = _knowledge().harm_verbs
        words = [trigger.token] + ([toll_trigger.token] if toll_trigger is not None else [])
        for conj in (c for word in words for c in word.conjuncts if c.i > word.i):
            if conj.lemma_.lower() in harms:
                found = find_event_date(sent, conj, published, future=future)
                break
    if found.phrase is None:
        # "64 people died after warplanes attacked the area on December 11": the deaths take
        # the date of the act that caused them
        deaths = [trigger.token] + ([toll_trigger.token] if toll_trigger is not None else [])
        for cause in (c for verb in deaths for c in _cause_clauses(verb)):
            dated = find_event_date(sent, cause, published, future=future)
            if dated.phrase is not None:
                found = dated
                break
    if found.phrase is None:
        # "a car bomb hit buses carrying evacuees ... on Saturday": the parser hangs the day on
        # the present participle that describes the target, which is at the scene as it is hit
        for participle in _target_participles(trigger.token):
            dated = find_event_date(sent, participle, published, future=future)
            if dated.phrase is not None:
                found = dated
                break
    act = measured_earlier_act(trigger.token)
    own_phrase = act is not None and found.phrase is not None and any(
        found.phrase in ent.text or ent.text in found.phrase
        for ent in sentence_ents(sent)
        if ent.label_ in ("DATE", "TIME")
        and act.left_edge.i <= ent.root.i <= act.right_edge.i
        and not ent.root.dep_ == "npadvmod"  # "a day" measures the gap, it dates nothing
    )  # "a day after the execution on Friday" dates the act itself
    gap = measured_gap(act) if act is not None and not own_phrase else None
    if gap is not None:
        # "raids killed 17 on Saturday, a day after Moscow and Washington reached a truce":
        # the truce was reached on Friday
        for main in dict.fromkeys((act.head, act.head.head, sent.root)):
            # the clause it hangs on, or the one that clause reports ("killed 17 on Saturday,
            # a monitor said a day after")
            news = find_event_date(sent, main, published, future=future)
            if news.phrase is not None and news.date is not None:
                found = EventDate(
                    news.date - timedelta(days=gap[0]), max(news.precision, gap[1]),
                    news.phrase,
                )
                break
    event_date, precision = past_event_date(
        found.date, found.precision, published, modality, found.phrase
    )
    return event_date, precision, found.phrase


def _cause_clauses(verb: Token) -> list[Token]:
    """The clauses that say what a death verb's deaths followed ("died after jets struck",
    "were killed when a shell hit")."""
    if verb.lemma_.lower() not in _lexicon().victim_subject_verbs and (
        verb.lemma_.lower() not in _lexicon().participle_verbs
    ):
        return []
    return [
        c for c in verb.children
        if c.dep_ == "advcl"
        and any(
            m.dep_ in ("mark", "advmod") and m.lower_ in _lexicon().death_cause_marks
            for m in c.children
        )
    ]


def _names_earlier_year(sent: Span, reference: date) -> bool:
    """True for a sentence that names a year before the article's ("an attack in 2013")."""
    return any(
        int(year) < reference.year
        for ent in sentence_ents(sent) if ent.label_ in ("DATE", "EVENT")
        for year in _YEAR_WORD.findall(ent.text)
    )


_YEAR_NUMBER = re.compile(r"\b(?:19|20)\d\d\b")


def _in_relative_clause_of_a_year(token: Token) -> bool:
    """True for a word of a relative clause that a year dates ("fighters, who seized the town
    last year, ..."; "the group, which took Raqqa in 2014, ..."): it says what someone did
    once, beside the sentence's own act."""
    node = token
    while node.dep_ in ("conj", "xcomp", "dobj", "pobj", "prep") and node.head.i != node.i:
        if node.dep_ == "relcl":
            break
        node = node.head
    if node.dep_ != "relcl":
        return False
    dates = [c for c in node.children if c.ent_type_ == "DATE"] + [
        g for c in node.children if c.dep_ == "prep" for g in c.children if g.ent_type_ == "DATE"
    ]
    return any(
        names_an_earlier_year(d.doc[d.left_edge.i : d.right_edge.i + 1].text)
        or _YEAR_NUMBER.search(d.text)
        for d in dates
    )


def _earlier_year_above(sent: Span, trigger: Token) -> bool:
    """True for an undated act in a clause under one an earlier year dates ("was the scene of
    fighting last year before Kurdish forces ousted the jihadists"): the act belongs to the
    year the clause above it recalls. A year on a clause beside it ("IS, which took the town
    last year, attacked a checkpoint") dates only that clause."""
    return any(
        names_an_earlier_year(ent.text) and ent.root.head.is_ancestor(trigger)
        for ent in sentence_ents(sent) if ent.label_ == "DATE"
    )


def _natural_death(trigger: Trigger, toll_trigger: Trigger | None) -> bool:
    """True for a death verb whose stated cause is no violence ("died of the plague")."""
    if toll_trigger is not None and toll_trigger.token.i != trigger.token.i:
        return False  # a strike or a shelling in the sentence is the cause
    token = trigger.token
    if token.lemma_.lower() not in _lexicon().victim_subject_verbs:
        return False
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            causes = [c for c in child.children if c.dep_ == "pobj"]
            if causes and not any(
                c.lemma_.lower() in _lexicon().violent_causes
                or c.lower_ in _lexicon().violent_causes
                or c.lemma_.lower() in _lexicon().noun_triggers
                for c in causes
            ):
                return True
    return False


def _crew_lost(trigger: Trigger, toll_trigger: Trigger | None, sent: Span) -> bool:
    """True for deaths told as those of the crew of an aircraft that crashed ("killed when
    their helicopter crashed"), with no word of its being downed: no one struck anyone. An
    aircraft that crashed on a bombing run and killed people below is no crew's loss."""
    lexicon = _lexicon()
    death = (toll_trigger or trigger).token
    for clause in death.children:
        if clause.dep_ != "advcl" or clause.lemma_.lower() not in lexicon.crash_verbs:
            continue
        if trigger.token not in (death, clause) and not clause.is_ancestor(trigger.token):
            continue  # another act is told: "bombings in revenge for the crew killed when ..."
        if any(
            s.dep_ == "nsubj" and any(
                p.dep_ == "poss" and p.lower_ in ("their", "his", "her") for p in s.children
            )
            for s in clause.children
        ):
            # "shot down", "was hit by a missile": it was downed
            return not any(
                t.lemma_.lower() in lexicon.downing_verbs and t.pos_ == "VERB" for t in sent
            )
    return False


# Roles ACLED names by the country an event happened in, whoever the story is about:
# "Unidentified Armed Group (Syria)" for militants killed in Idlib in a story about Russia's
def _doer_of_its_type(
    event_type: str | None, place: Place | None, analysis: Analysis, actors: dict[str, Actor]
) -> str | None:
    """The doer of an event whose type has one when the text names none: "angry residents
    staged demonstrations" are the protesters of the country it happened in (the ontology's
    ``doer_role``, as ACLED codes a protest)."""
    kind = _knowledge().event_types.get(event_type or "")
    if kind is None or kind.doer_role is None:
        return None
    country = place.country if place is not None and place.country else story_country(analysis)
    actor = actor_kb_for(_knowledge()).role_actor(kind.doer_role, country)
    if actor is None:
        return None
    actors.setdefault(actor.id, actor)  # the stage adds it to the article's actors
    return actor.id


# strikes (civilians too, see victims_where_hit); "Syrian rebels" and a state's forces are
# who they are wherever they fight.
_LOCAL_ROLES = frozenset({"civilians", "militia", "protesters", "rioters"})


def local_role_actor(
    actor_id: str, place: Place | None, actors: dict[str, Actor], told: str | None = None
) -> str:
    """The actor of a local role (an unidentified armed group, protesters) of the country the
    event happened in, rather than of the story's focus country; and, given how the doer was
    ``told``, a state's forces named by no country ("pro-government forces have renewed an
    offensive around Mosul" in a story about Syria) are those of the country of a town the
    act is placed at."""
    if place is None or not place.country:
        return actor_id
    kb = actor_kb_for(_knowledge())
    role = kb.role_of(actor_id)
    actor = actors.get(actor_id) or (kb.get(actor_id) if actor_id in kb else None)
    if role == "state" and told is not None and actor is not None and actor.country and (
        actor.country != place.country and (place.geo_precision or 3) <= 2
        and _role_words_only(told)
    ):
        try:
            local_state = kb.for_country(place.country)
        except KeyError:
            return actor_id
        actors.setdefault(local_state.id, local_state)
        return local_state.id
    if role not in _LOCAL_ROLES or actor is None or not actor.country or (
        actor.country == place.country
    ):
        return actor_id
    local = kb.role_actor(role, place.country)
    if local is None or local.country != place.country:
        return actor_id
    actors.setdefault(local.id, local)  # the stage adds it to the article's actors
    return local.id


def _told_phrase(doc: Doc | None, mention: Mention) -> str | None:
    """The words a doer is told with, from the first word of its noun phrase ("the regime's
    forces", of which the mention may hold only "forces")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand") if doc else None
    if span is None:
        return None
    return doc[min(span.start, span.root.left_edge.i) : span.end].text


def _role_words_only(text: str) -> bool:
    """True when a doer is told by its role alone ("pro-government forces", "the army",
    "government troops"), not by a country, a regime or a leader ("Syrian troops", "the
    regime's forces", "Assad's army"): a state role's name that no partisan word makes one
    government's."""
    phrase = re.sub(r"^(the|a|an)\s+", "", text.lower().strip())
    knowledge = _knowledge()
    return phrase in knowledge.role_aliases.get("state", ()) and not (
        set(re.findall(r"[a-z]+", phrase)) & _lexicon().partisan_state_words
    )


def victims_where_hit(
    victims: Actor | None,
    place: Place | None,
    actors: dict[str, Actor],
    attacker: Actor | None = None,
) -> str | None:
    """The victims' actor id, with civilians taken from the country the event hit.

    "Russian strikes kill 34 civilians in Idlib" kills Syrian civilians: an attacker's
    adjective or the article's focus never gives the victims their nationality, the place does.
    With no place, civilians of the attacker's own country are plain civilians ("a Russian
    warplane killed three civilians" did not kill Russians).
    """
    if victims is None:
        return None
    if victims.inter_code != _CIVILIANS:
        return local_role_actor(victims.id, place, actors)
    if place is None or not place.country:
        if attacker is None or not victims.country or victims.country != attacker.country:
            return victims.id
        plain = actor_kb_for(_knowledge()).role_actor("civilians")
        if plain is None or plain.country:
            return victims.id
        actors.setdefault(plain.id, plain)
        return plain.id
    if victims.country == place.country:
        return victims.id
    local = actor_kb_for(_knowledge()).role_actor("civilians", place.country)
    if local is None or local.country != place.country:
        return victims.id
    actors.setdefault(local.id, local)  # the stage adds it to the article's actors
    return local.id


def _running_toll(sent: Span, death_word: Token, published: Any) -> bool:
    """A death count that totals a war, or the days "since" a date more than a day back."""
    if is_running_toll(sent, death_word):
        return True
    phrase = since_phrase(death_word)
    if phrase is None:
        return False
    return _reaches_back(phrase, published)


def _reaches_back(phrase: Span, published: Any) -> bool:
    """True when a "since ..." phrase starts more than ``RUNNING_TOLL_DAYS`` before the article
    (or when that cannot be told)."""
    if published is None:
        return True
    words = phrase.text.split(maxsplit=1)  # the date after "since" ("since Thursday")
    start = resolve_date_text(words[1], published) if len(words) == 2 else None
    return start is None or (published - start[0]).days > RUNNING_TOLL_DAYS


def _counted_by(toll_verb: Token, act: Token) -> bool:
    """True for an act that a running toll's verb counts: the verb governs it with no finite
    verb between ("strikes targeting IS areas have killed 649 civilians since 2014", even
    where a lost comma hangs the strikes under "published on Wednesday")."""
    if toll_verb.pos_ != "VERB" or not toll_verb.is_ancestor(act):
        return False
    node = act
    while node != toll_verb:
        if node.dep_ == "advcl":
            return False  # "killed since security forces stormed the camp": the act counted from
        if node != act and node.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return False  # "air strikes hit the town, as the war has killed 400,000"
        node = node.head
    return True


def _counted_since_long_ago(trigger: Token, published: Any) -> bool:
    """True when the trigger's clause runs "since" a date more than a day back.

    "Sheikh Maqsoud has been under bombardment since mid-February, which has killed 132": the
    bombardment is a campaign, its toll a running total.
    """
    verbs = [trigger, *(c for c in trigger.conjuncts if c.pos_ in ("VERB", "AUX"))]
    for node in (*verbs, *clause_heads(trigger), *simultaneous_head(trigger)):
        # "have been shot down or crashed since the war erupted": coordinated verbs share it
        phrase = since_phrase(node)
        if phrase is None:
            continue
        return _reaches_back(phrase, published) and not _first_since(node)
    return False


# Words that make a "since" clause measure a record, not a span: "its first attack on
# government forces since the war began", "the deadliest bombing since 2011".
_RECORD_WORDS = frozenset({"first", "last", "biggest", "largest", "only"})


def _first_since(verb: Token) -> bool:
    """True for a clause whose act is named the first (or the worst) of its kind since a date:
    one act compared with those before, not many acts over the span."""
    records = _RECORD_WORDS | _lexicon().superlatives
    return any(
        c.dep_ in ("dobj", "attr", "appos", "npadvmod", "nsubj") and any(
            m.dep_ == "amod" and m.lower_ in records for m in c.children
        )
        for c in verb.children
    )


# A toll counted "since" a date further back than this sums several days: a tally, not one
# event ("killed since Tuesday" in a Friday report adds up four days of strikes, which ACLED
# codes day by day; "since Friday" in a Saturday one is still the day's news). Set from ACLED's
# one-day event unit, not tuned; it was a month until December 2026, and `sitreps eval fakes`
# scored the same with both.
RUNNING_TOLL_DAYS = 1


def classify(
    trigger: Trigger,
    sent: Span,
    actor1: Actor | None,
    actor2: Actor | None,
    fatalities: Fatalities | None,
) -> tuple[str | None, str, str]:
    """Refine a trigger's provisional type with its actors, weapons and victims."""
    sense = trigger.sense
    if sense.kind == "plover":
        return sense.event_type, sense.sub_event_type, sense.plover_type
    if _troops_march(trigger, actor1):
        # "government forces captured a town and marched into Damascus": an advance, not a
        # protest; PLOVER's MOBILIZE, which ACLED does not code.
        return _typed(_SENSES["plover_mobilize"])
    demonstration = protest_sub_type(trigger, sent, actor1, actor2, fatalities)
    if demonstration is not None:
        return demonstration
    if sense.kind == "territory":
        if _uncontested(sent, trigger.token):
            return _sub_type("Non-violent transfer of territory")
        if actor1 is not None and actor1.inter_code in _knowledge().inter_codes(state=True):
            return _sub_type("Government regains territory")
        if actor1 is not None and actor1.inter_code in _NON_STATE_GROUPS:
            return _sub_type("Non-state actor overtakes territory")
        return _sub_type("Armed clash")
    if sense.kind in ("kill", "attack"):
        weapon = weapon_sense(
            sent, trigger.token if sense.kind == "kill" else None, event_word=trigger.token
        )
        civilian_target = (
            _is_civilian_target(actor2, fatalities)
            or _held_captive(trigger.token)
            or trigger.token.lemma_.lower() in _lexicon().execution_words
        )
        if weapon is not None and _state_bombs(weapon, sent, actor1):
            weapon = _SENSES["air"]  # "killed by regime bombs": a state drops its bombs
        elif weapon is not None and weapon.sub_event_type == "Air/drone strike" and not any(
            t.lower_ in _lexicon().air_words - _lexicon().bombardment_nouns for t in sent
        ):
            # "rockets killed five ... in a heavy bombardment by Jaysh al-Islam": a bombardment
            # no aircraft is named for is read as the remote acts are
            weapon = _unflown_bombing(trigger.token, sent, actor1) or weapon
        if weapon is not None:
            plover = "ASSAULT" if civilian_target else weapon.plover_type
            return weapon.event_type, weapon.sub_event_type, plover
        if civilian_target:
            return _sub_type("Attack")
        if actor2 is not None and actor2.inter_code in _ARMED_KINDS or _military_target(
            trigger.token
        ) or _repelled(trigger.token):
            return _sub_type("Armed clash")
        if fatalities is not None and fatalities.victims == "combatants" or (
            _fighters_hit(trigger.token)
        ):
            return _sub_type("Armed clash")
        return _sub_type("Attack")
    if sense.event_type == REMOTE and _blew_self_up(sent):
        return _sub_type("Suicide bomb")  # "the bomber blew himself up at the gate"
    if sense.event_type == REMOTE:
        weapon = weapon_sense(sent, event_word=trigger.token)
        if _state_bombs(weapon or sense, sent, actor1):
            sense = _SENSES["air"]  # "regime bombs hit the town": a state drops its bombs
        elif trigger.token.lower_ in _lexicon().bombardment_nouns and any(
            c.dep_ in ("compound", "amod") and c.lower_ in _lexicon().shell_words
            for c in trigger.token.children
        ):
            sense = _SENSES["shelling"]  # "artillery bombardments", "rocket bombardment"
        elif weapon is not None and weapon.sub_event_type in _lexicon().refining_sub_types:
            sense = weapon
        elif weapon is not None and weapon.event_type == REMOTE and (
            trigger.token.lower_ in _lexicon().bombardment_nouns
        ):
            sense = weapon  # "rocket attacks ... in a heavy bombardment": the means named
        elif sense.sub_event_type != "Air/drone strike" and _flown(trigger.token):
            sense = _SENSES["air"]  # "the air force shelled positions": aircraft fired
        elif sense.sub_event_type == "Air/drone strike" and weapon is None:
            sense = _unflown_bombing(trigger.token, sent, actor1) or sense
            if _ground_strike(trigger.token):
                sense = _SENSES["clash"]  # "army units launched a strike on their positions"
        if _is_civilian_target(actor2, fatalities):
            return sense.event_type, sense.sub_event_type, "ASSAULT"
    if sense.sub_event_type == "Looting/property destruction":
        wreckage = _destruction_kind(trigger.token)
        if wreckage == "consequence":
            return None, "", ""  # "the blast destroyed three buildings": the blast is the event
        if wreckage == "air":
            return _sub_type("Air/drone strike")
        if wreckage == "shelling":
            return _sub_type("Shelling/artillery/missile attack")
        if wreckage == "combat":
            return _sub_type("Armed clash")  # "troops destroyed militants' vehicles"
    if sense.sub_event_type == "Arrests" and (
        actor1 is not None and actor1.inter_code in _NON_STATE_GROUPS
    ):
        # ACLED: only a state arrests; an armed group that detains someone abducts them.
        return _sub_type("Abduction/forced disappearance")
    if sense.event_type == VAC:
        return sense.event_type, sense.sub_event_type, sense.plover_type
    return sense.event_type, sense.sub_event_type, sense.plover_type


_STATE_FORCES = default_knowledge().inter_codes(state=True)


def _state_bombs(weapon: TriggerSense, sent: Span, actor1: Actor | None) -> bool:
    """True for bare bombs of a state's forces ("killed by regime bombs falling on eastern
    Ghouta"): a state's bombs fall from its aircraft; a car bomb or a planted device stays a
    bomb attack."""
    if weapon.sub_event_type != "Remote explosive/landmine/IED" or actor1 is None or (
        actor1.inter_code not in _STATE_FORCES
    ):
        return False
    words = {t.lower_ for t in sent}
    return bool(words & {"bomb", "bombs"}) and not words & _lexicon().planted_words


def _unflown_bombing(word: Token, sent: Span, actor1: Actor | None) -> TriggerSense | None:
    """The sense of a "bombing" or "bombardment" no aircraft is named for: a planted bomb when
    the sentence says so or an armed group did it, shelling when ground units did it.

    ``word`` is the trigger, or the verb that reports it ("killed in a bombing").
    """
    bombardments = _lexicon().bombardment_nouns
    noun = next((t for t in (word, *word.subtree) if t.lower_ in bombardments), None)
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    if lemma in ("bombing", "bombings"):
        words = {t.lower_ for t in sent}
        if words & _lexicon().planted_words or (
            actor1 is not None and actor1.inter_code in _NON_STATE_GROUPS
        ):
            return _SENSES["explosive"]  # "a bombing claimed by IS killed eight in Hasakeh"
        if noun.tag_ == "NN" and any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in noun.children
        ) and not (actor1 is not None and actor1.inter_code in _STATE_FORCES):
            # "a similar bombing in the same square killed seven": one bomb set off; air raids
            # are counted in the plural or named by their aircraft or their state
            return _SENSES["explosive"]
    if lemma == "bombardment" and actor1 is not None and actor1.inter_code in _NON_STATE_GROUPS:
        return _SENSES["shelling"]  # "a heavy bombardment by Jaysh al-Islam": no group flies
    if lemma in ("bombing", "bombardment") and noun.dep_ in ("dobj", "nsubj", "pobj"):
        verb = noun.head if noun.dep_ != "pobj" else noun.head.head
        doers = [c for c in verb.children if c.dep_ in ("nsubj", "agent")]
        words = {w.lower_ for d in doers for w in d.subtree}
        if words & _lexicon().ground_units and not words & _lexicon().air_words:
            return _SENSES["shelling"]  # "army units carried out intensive bombardments"
    return None


def _ground_strike(noun: Token) -> bool:
    """True for a "strike" that ground units launch or carry out, with no aircraft in the
    sentence ("army units launched an intensive strike on the terrorists' axes"): an assault,
    not an air strike."""
    if noun.lemma_.lower() != "strike" or noun.dep_ != "dobj":
        return False
    doers = [c for c in noun.head.children if c.dep_ == "nsubj"]
    words = {w.lower_ for d in doers for w in d.subtree}
    sentence = {t.lower_ for t in noun.sent}
    return bool(words & _lexicon().ground_units) and not sentence & _lexicon().air_words


def _fighters_hit(verb: Token) -> bool:
    """True when what a killing verb (or the verb it is paired with) acts on are fighters:
    "killing and wounding a large number of the militants", with no count to read."""
    hit = [t for v in (verb, *verb.conjuncts) for t in _acted_on(v)]
    # A passive participle's patient is its subject ("were killed") or the noun it modifies
    # ("120 Nusra Front Terrorists Killed by Syrian Army", a headline).
    hit += [c for c in verb.children if c.dep_ == "nsubjpass"]
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        hit.append(verb.head)
    quantities = _lexicon().quantity_nouns
    hit += [noun for t in hit if t.lemma_.lower() in quantities for noun in _of_nouns(t)]
    return any(_combatant(t) for t in hit)


def _combatant(noun: Token) -> bool:
    """True for a noun of fighters, also capitalised in a headline ("Terrorists", which spaCy
    tags as a proper noun and leaves unlemmatised)."""
    fighters = _lexicon().combatant_nouns
    lower = noun.lower_
    return (
        noun.lemma_.lower() in fighters or lower in fighters
        or (lower.endswith("s") and lower[:-1] in fighters)
    )


def _flown(verb: Token) -> bool:
    """True when the doer of a verb is an air force or aircraft ("the Air Force shelled")."""
    doers = [c for c in verb.children if c.dep_ == "nsubj"] + [
        p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
    ]
    words = {
        w.lower_ for d in _with_antecedent(verb, doers) for t in (d, *d.conjuncts)
        for w in (t, *(c for c in t.children if c.dep_ in ("compound", "amod")))
    }
    if any(_warplane_bomber(d) for d in doers):
        return True  # "Syrian air force bombers have pounded a stronghold"
    return bool(words & _lexicon().air_words) and not (
        words & {"defence", "defense", "defences", "defenses"}
    )


def _names_violence(nouns: list[Token]) -> bool:
    """True when one of the nouns names a violent act ("the rocket attacks", "the blast")."""
    return any(
        (sense := _noun_sense(noun)) is not None
        and sense.kind in ("remote", "fight", "attack", "kill")
        for noun in nouns
    )


def _causes(verb: Token) -> list[Token]:
    """What a verb's "as a result of", "due to" or "because of" phrase names."""
    found = []
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        if prep.lower_ not in ("as", "due", "because", "owing"):
            continue
        for token in prep.subtree:
            if token.dep_ == "pobj" and token.head.lower_ in ("of", "to") and token.i > prep.i:
                found.append(token)
    return found


def _destruction_kind(verb: Token) -> str | None:
    """``"consequence"`` when a strike or blast did the destroying, ``"combat"`` when the
    thing destroyed is an enemy's arms, vehicles or positions, else ``None``."""
    agent_named = any(c.dep_ in ("nsubj", "agent") for c in verb.children)
    # "One of the rockets struck the family's home and destroyed it", "a shell hit a house,
    # destroying it": a conjoined verb or participle shares the clause's subject, and "one of
    # the rockets" says the means in its "of" phrase.
    shared = [] if agent_named or verb.dep_ not in ("conj", "advcl") else _inherited_subjects(verb)
    means = {w.lower_ for s in shared for w in (s, *_of_nouns(s))}
    if means & _lexicon().air_words:
        return "air"
    if means & _lexicon().shell_words:
        return "shelling"
    if _names_violence(shared):
        return "consequence"  # "the rocket attacks damaged houses and burned cars"
    if _names_violence(_causes(verb)):
        return "consequence"  # "shops were burned as a result of mortar fire"
    for child in verb.children:
        # "destroyed in Russian airstrikes", "destroyed by shelling": the means did it;
        # "demolished after the attack", with no one named who demolished it: what it left.
        means = child.dep_ == "prep" and (
            child.lower_ in ("in", "by")
            or child.lower_ in ("after", "following") and not agent_named
        )
        if child.dep_ in ("nsubj", "agent") or means:
            doers = [child] if child.dep_ == "nsubj" else [
                p for p in child.children if p.dep_ == "pobj"
            ]
            # "an earlier strike which destroyed a command post"
            doers = _with_antecedent(verb, doers)
            # "artillery fire and air operations destroyed a tank": the words that say how
            words = [
                w for d in doers for t in (d, *d.conjuncts)
                for w in (t, *(c for c in t.children if c.dep_ in ("compound", "amod")))
            ]
            if any(w.lower_ in _lexicon().air_words for w in words):
                return "air"  # "government aircraft destroyed two weapons sites"
            if any(w.lower_ in _lexicon().shell_words for w in words):
                return "shelling"
            if _names_violence(doers):
                return "consequence"
    # "army units which also destroyed vehicles", "units inflicted losses and destroyed ..."
    subjects = _with_antecedent(
        verb, [c for c in verb.children if c.dep_ == "nsubj"]
    ) or _inherited_subjects(verb)
    armed = any(
        s.lemma_.lower() in _lexicon().armed_nouns or s.lower_ in _lexicon().armed_nouns
        or any(c.dep_ == "compound" and c.lower_ in _lexicon().armed_nouns for c in s.children)
        for s in subjects
    )
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [  # "a number of positions", "dozens of tanks", "some of their fortifications"
        noun for obj in objects
        if obj.lemma_.lower() in _lexicon().quantity_nouns
        or obj.lower_ in _lexicon().vague_amounts | _lexicon().whole_quantifiers
        for noun in _of_nouns(obj)
    ]
    words = [t.lemma_.lower() for obj in objects for t in (obj, *obj.conjuncts)]
    if armed and any(
        w in _lexicon().combat_objects or w in _lexicon().military_targets for w in words
    ):
        return "combat"
    if any(w in _knowledge().words["combatant_nouns"] for w in words):
        return "combat"  # "focused on destroying Daesh reinforcements": fighters are no property
    owners = [p.lemma_.lower() for obj in objects for p in _of_nouns(obj)]
    if any(w in _lexicon().combat_objects for w in words) and any(
        o in _lexicon().armed_nouns for o in owners
    ):
        return "combat"  # "destroyed an armoured personnel carrier of the Turkish army"
    doer_named = any(c.dep_ in ("nsubj", "agent") for c in verb.children)
    if (
        not doer_named
        and verb.lemma_.lower() == "destroy"
        and any(w in _lexicon().military_only_objects for w in words)
    ):
        return "combat"  # "artillery positions of the militants were destroyed"
    if not doer_named and not shared and verb.lemma_.lower() in _lexicon().damage_verbs and any(
        c.dep_ == "auxpass" for c in verb.children
    ):
        # "12 trucks with heavy weapons were also destroyed": no one named who did it, so it
        # is what the strikes or the fighting told around it left, not an act of its own
        return "consequence"
    return None


def _troops_march(trigger: Trigger, actor1: Actor | None) -> bool:
    """True when armed forces march: "march" is a protest only for demonstrators ("its
    fighters marched 3 km", where no actor is named, too)."""
    if trigger.token.lemma_.lower() != "march":
        return False
    if actor1 is not None:
        return actor1.inter_code in _ARMED_KINDS
    armed = _lexicon().armed_nouns
    return any(
        c.dep_ == "nsubj" and (c.lemma_.lower() in armed or c.lower_ in armed)
        for c in trigger.token.children
    )


_DEMONSTRATION_KINDS = frozenset({"protest", "riot", "fight", "attack", "kill", "remote"})
_DEMONSTRATOR_INTERS = default_knowledge().inter_codes(demonstrators=True)


def protest_sub_type(
    trigger: Trigger,
    sent: Span,
    actor1: Actor | None,
    actor2: Actor | None,
    fatalities: Fatalities | None,
) -> tuple[str, str, str] | None:
    """ACLED's demonstration sub-type when the sentence is about demonstrators, else None.

    From the ACLED codebook: demonstrators who are violent make a Riot ("Violent
    demonstration"); force used on demonstrators is "Protest with intervention", or "Excessive
    force against protesters" when they are killed; otherwise a "Peaceful protest". Clashes,
    volleys of tear gas and looting in a sentence about demonstrators are coded this way, not as
    battles or shelling. A looting without demonstrators stays a strategic development.
    """
    kind = trigger.sense.kind
    if kind not in _DEMONSTRATION_KINDS and trigger.sense.sub_event_type != (
        "Looting/property destruction"
    ):
        return None
    # A month name is not a march: "on 3 March" must not make an attack a protest event; nor
    # is "a demonstration of the fragile state of the truce" one of demonstrators.
    words = [
        t for t in sent
        if t.ent_type_ != "DATE"
        and not (t.lemma_.lower() == "demonstration" and _shows_something(t))
    ]
    lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
    demonstrators = bool(lemmas & _lexicon().demonstrator_words) or any(
        a is not None and a.inter_code in _DEMONSTRATOR_INTERS for a in (actor1, actor2)
    )
    if not demonstrators:
        return None
    killed = fatalities is not None and fatalities.best > 0
    by_state = actor1 is not None and actor1.inter_code in _knowledge().inter_codes(state=True)
    if kind in ("kill", "attack") and (
        actor1 is not None and actor1.inter_code in _NON_STATE_GROUPS
        or (weapon := weapon_sense(sent)) is not None and weapon.event_type == REMOTE
    ):
        return None  # "rebels shelled an election rally": an attack on the crowd, no policing
    if killed and (by_state or kind in ("kill", "attack")) and "rioter" not in lemmas:
        return _sub_type("Excessive force against protesters")
    # Cues inside a relative clause say what others do: "in solidarity with their brethren who
    # are fighting IS" makes no riot of the rally.
    described = {
        t.i for t in words if t.dep_ == "relcl" and t.head.i != trigger.token.i
        for t in t.subtree
    }
    # "riot police", "anti-riot forces": the modifier names the force's job, not the crowd's acts
    described |= {
        t.i for t in words if t.dep_ in ("compound", "amod")
        and t.head.lemma_.lower() in _knowledge().actor_nouns
    }
    cues = {t.lemma_.lower() for t in words if t.i not in described}
    cues |= {t.lower_ for t in words if t.i not in described}
    if cues & _lexicon().riot_cues - {"protest"}:
        return _sub_type("Violent demonstration")
    if lemmas & _lexicon().intervention_cues:
        return _sub_type("Protest with intervention")
    if kind in ("protest", "riot"):
        return trigger.sense.event_type, trigger.sense.sub_event_type, trigger.sense.plover_type
    return None


def promised_plover_type(plover: str, modality: str, trigger: Token) -> str:
    """PLOVER's type for an act announced, not done: a promise (AGREE) or a threat (THREATEN).

    PLOVER codes "Israel will evacuate the settlements" as AGREE and "Palestinian leaders would
    boycott all contact" as THREATEN; a modal of mere possibility ("may", "could") is neither.
    """
    announced = modality == "future" or (
        modality == "hedged" and any(c.lower_ == "would" for c in trigger.children)
    )
    if not announced or plover in ("AGREE", "THREATEN"):
        return plover
    return "THREATEN" if plover in _lexicon().coercive_plover_types else "AGREE"


def _uncontested(sent: Span, trigger: Token) -> bool:
    """True when the clause of a change of hands says a place was left or taken without a
    fight ("entered Palmyra after IS withdrew"); a retreat told in another clause is another
    story's ("rebels advanced after regime forces retreated, while troops ousted IS from
    Hasakeh")."""
    if any(_names_fighting(t) for t in sent):
        return False  # "forced IS to retreat after hours of battle": taken by fighting
    clause = trigger if trigger.pos_ in ("VERB", "AUX") else next(
        (t for t in trigger.ancestors if t.pos_ in ("VERB", "AUX")), sent.root
    )
    for token in clause.subtree:
        lemma = token.lemma_.lower()
        if lemma in _lexicon().uncontested_cues and _forced(token):
            return False  # "repelled an assault, forcing the rebels to retreat": driven out
        if lemma in _lexicon().uncontested_cues and (
            lemma != "resistance" or any(c.lower_ in ("without", "no") for c in token.children)
            or token.head.lower_ == "without"
        ):
            return True
        if lemma == "pull" and any(c.lower_ in ("out", "back") for c in token.children):
            return True
    return False


def _held_captive(trigger: Token) -> bool:
    """True when those killed were prisoners: "executed 50 captive soldiers" is no battle.

    ACLED codes killing people who can no longer fight as violence against civilians.
    """
    return any(
        word.lemma_.lower() in _lexicon().captive_nouns
        or any(m.lower_ in _lexicon().captive_modifiers for m in word.children if m.dep_ in (
            "amod", "compound"
        ))
        for word in _acted_on(trigger)
    )


def _noun_sense(token: Token) -> TriggerSense | None:
    """The sense a noun trigger has by its lemma or, failing that, by its own form."""
    nouns = _lexicon().noun_triggers
    return nouns.get(token.lemma_.lower()) or nouns.get(token.lower_)


def _with_antecedent(verb: Token, nouns: list[Token]) -> list[Token]:
    """``nouns`` plus what a relative pronoun among them stands for ("units which destroyed")."""
    if verb.dep_ == "relcl" and any(n.lower_ in ("which", "that", "who") for n in nouns):
        return [*nouns, verb.head]
    return nouns


def _names_fighting(token: Token) -> bool:
    sense = _noun_sense(token)
    return sense is not None and sense.kind == "fight" and token.pos_ == "NOUN"


def _military_target(trigger: Token) -> bool:
    """True when an attack's object is a military base, checkpoint or soldiers, or a place an
    armed side holds."""
    targets = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    targets += [
        p for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("on", "against")
        for p in c.children if p.dep_ == "pobj"
    ]
    # "bases" lemmatises to "basis", so the word itself is checked too.
    targets_named = _lexicon().military_targets
    return any(
        word.lemma_.lower() in targets_named or word.lower_ in targets_named
        or _fighters_gathering(word) or _held_by_a_side(word)
        for t in targets
        for word in (t, *t.conjuncts)
    )


def _held_by_a_side(noun: Token) -> bool:
    """True for a place an armed side holds ("an assault on the government-held Ramousseh
    district", "attacked rebel-held areas"): those holding it fight back, a battle."""
    return any(
        t.i < noun.i and hyphened_participle(t) in _lexicon().held_words
        for t in noun.subtree
    )


def _fighters_gathering(noun: Token) -> bool:
    """True for fighters' gatherings or sites: "the gatherings of terrorists", "their hideouts"
    after "killed many terrorists" (a gathering of mourners is no military target)."""
    lemma = noun.lemma_.lower()
    if lemma not in _lexicon().fighter_sites:
        return False
    if any(_combatant(n) for n in _of_nouns(noun)):
        return True
    owned = any(c.dep_ == "poss" and c.lower_ == "their" for c in noun.children)
    return owned and any(_combatant(t) for t in noun.sent if t.pos_ == "NOUN")


def _dropped(word: Token) -> bool:
    """True for "bombs dropped by helicopters": what aircraft drop is an air strike."""
    if word.dep_ in ("nsubj", "nsubjpass", "dobj") and word.head.lemma_.lower() == "drop":
        return True  # also where the parser makes "dropped" the verb of "bombs dropped by"
    if word.lower_ in ("bomb", "bombs", "munition", "munitions") and any(
        c.dep_ in ("compound", "amod") and c.lower_ in _lexicon().air_bomb_kinds
        for c in word.children
    ):
        return True  # "cluster bombs", "guided bombs": bombs only aircraft drop
    # "a vacuum bomb attack dropped by helicopters": the participle may hang on the act noun
    nouns = (word, word.head) if word.dep_ == "compound" else (word,)
    return any(
        c.dep_ == "acl" and c.lemma_.lower() == "drop" for noun in nouns for c in noun.children
    )


def _only_sighted(word: Token) -> bool:
    """True for an aircraft or weapon that the sentence only sees, hears or sees fly."""
    verb = word.head
    return (
        word.dep_ in ("nsubj", "nsubjpass")
        and verb.lemma_.lower() in _lexicon().sighting_verbs
        and not any(c.dep_ == "conj" and c.pos_ == "VERB" for c in verb.children)
    )


def weapon_sense(
    sent: Span, trigger: Token | None = None, *, event_word: Token | None = None
) -> TriggerSense | None:
    """The most specific weapon named in a sentence, if any.

    A weapon word among those a killing ``trigger`` acts on names victims, not the means:
    "the army eliminated 75 militants, including suicide bombers". One inside an earlier act
    the news is measured from ("hours after a gas attack") is that act's: only the weapons of
    the act the event word (``event_word``, else ``trigger``) is in count.
    """
    victims = {
        t.i for child in (trigger.children if trigger is not None else ())
        if child.dep_ in _OBJECT_DEPS
        or child.dep_ == "prep" and child.lower_ == "of" and trigger.pos_ == "NOUN"
        for t in child.subtree
    }  # "the execution of an air force pilot": who was killed, not how
    event_word = event_word if event_word is not None else trigger
    own = after_clause(event_word) if event_word is not None else None
    found = {
        sense.sub_event_type: sense
        for t in sent
        if t.lower_ in _lexicon().weapon_sub_types and t.i not in victims
        and not _names_a_facility(t) and not _only_sighted(t) and not answered_act(t)
        and not _fuel_container(t)
        and not _weapon_struck(t) and not _in_support_phrase(t) and _same_act(t, own)
        and not _weapon_disrupted(t, trigger) and not _amid_setting(t, event_word)
        and not _carried_in(t) and not _hurt_by_another(t, event_word)
        and not describes_place(t, _lexicon().place_or_site_nouns)
        and not served_by_a_place(t, _lexicon().place_or_site_nouns, _lexicon().purpose_preps)
        for sense in [_dropped_sense(t)]
    }
    if any(_warplane_bomber(t) for t in sent if t.i not in victims):
        found.setdefault("Air/drone strike", _SENSES["air"])
    for sub_type in _lexicon().weapon_precedence:
        if sub_type in found:
            return found[sub_type]
    return None


def _amid_setting(word: Token, trigger: Token | None) -> bool:
    """True for a weapon word in an "amid" phrase outside the act's own words, where the act is
    no killing: "stormed the town amid heavy shelling" was an assault, the shelling its
    setting ("12 killed amid heavy shelling" may name the cause)."""
    if trigger is None or trigger.lemma_.lower() in _knowledge().harm(harm="death"):
        return False
    for node in (word, *word.ancestors):
        if node.dep_ == "prep" and node.lower_ in ("amid", "amidst"):
            return trigger not in node.subtree
        if node == trigger:
            return False
    return False


def _warplane_bomber(word: Token) -> bool:
    """True for a bomber that is an aircraft ("long-range bombers", "Tupolev bombers"), not a
    suicide bomber."""
    marks = _lexicon().aircraft_bomber_marks
    return word.lemma_.lower() == "bomber" and any(
        c.dep_ in ("amod", "compound", "nmod")
        and _ends_with_mark(word.doc[c.left_edge.i : c.i + 1].text.lower(), marks)
        for c in word.children  # "long-range" is three tokens; "Syrian air force bombers"
    )


def _ends_with_mark(text: str, marks: frozenset[str]) -> bool:
    return text in marks or any(text.endswith(" " + mark) for mark in marks)


def _hurt_by_another(word: Token, event_word: Token | None) -> bool:
    """True for a weapon in the "of" phrase of people it hurt, outside the event's own phrase:
    "a rocket slammed into a hospital as doctors treated victims of the chemical attack"
    names the earlier attack's weapon, not the rocket's."""
    node = word
    for _ in range(5):
        head = node.head
        if head.i == node.i or node.dep_ not in ("compound", "amod", "nmod", "pobj", "prep"):
            return False
        if node.dep_ == "prep" and node.lower_ == "of" and (
            head.lemma_.lower() in _lexicon().people_words
        ):
            return event_word is None or not head.is_ancestor(event_word)
        node = head
    return False


def _carried_in(word: Token) -> bool:
    """True for an aircraft that people were in: "those in the helicopter died", "the crew
    aboard the plane were killed" tell who died, not the weapon that killed them."""
    prep = word.head
    if word.dep_ != "pobj" or prep.lower_ not in _lexicon().aboard_preps or prep.head.i == prep.i:
        return False
    holder = prep.head
    words = _knowledge().words
    people = words["combatant_nouns"] | words["civilian_nouns"] | _lexicon().people_words
    return holder.pos_ == "PRON" or holder.lemma_.lower() in people or holder.lemma_ == "crew"


def _weapon_struck(word: Token) -> bool:
    """True for a weapon that is itself struck: "after his plane was shot down", "air defences
    hit a drone" tell a target, not the means of the act."""
    return word.dep_ in ("nsubjpass", "dobj") and (
        word.head.lemma_.lower() in _lexicon().downing_verbs
    )


def _weapon_disrupted(word: Token, trigger: Token | None) -> bool:
    """True for a weapon that another verb of the sentence destroyed or seized: "repelled the
    offensive, killing 35 gunmen and destroying their tanks and rocket launchers"
    names what the fighters lost, not how they attacked (the disrupting verb's own event is
    typed by the verb)."""
    node = word
    for _ in range(6):
        if node.dep_ not in ("compound", "amod", "nmod", "conj"):
            break
        node = node.head
    verb = node.head
    return (
        node.dep_ in ("dobj", "nsubjpass") and verb.lemma_.lower() in _lexicon().disrupt_verbs
        and (trigger is None or verb.i != trigger.i)
    )


def _same_act(word: Token, own: Token | None) -> bool:
    """True when a weapon word tells the act whose "after" clause is ``own`` (``None``: the
    sentence's main act, which a weapon in an unmeasured "after" clause may cause: "died after
    an air strike hit their home"; "hours after a gas attack" is another incident's)."""
    if own is None:
        return measured_earlier_act(word) is None
    clause = after_clause(word)
    return clause is not None and (clause == own or own.is_ancestor(clause))


def _dropped_sense(word: Token) -> TriggerSense:
    """A weapon word's sense; what aircraft drop is an air strike unless the word refines it
    ("dropped chlorine" is a chemical attack, "dropped barrel bombs" an air strike)."""
    sense = _lexicon().weapon_sub_types[word.lower_]
    if word.dep_ == "amod" and word.head.lemma_.lower() in _lexicon().fired_rounds and (
        sense.sub_event_type == _SENSES["explosive"].sub_event_type
    ):
        return _SENSES["shelling"]  # "targeted the district with explosive rounds": fired
    if sense.sub_event_type in _lexicon().refining_sub_types or not _dropped(word):
        return sense
    return _SENSES["air"]


_REFLEXIVES = frozenset({"himself", "herself", "themselves"})


def _blew_self_up(sent: Span) -> bool:
    """True for "blew himself up", "detonated herself": a suicide attack."""
    return any(
        t.lemma_.lower() in ("blow", "detonate") and any(
            c.dep_ == "dobj" and c.lower_ in _REFLEXIVES for c in t.children
        )
        for t in sent
    )


def _fuel_container(word: Token) -> bool:
    """True for "gas" naming what a container holds ("gas canisters", "gas cylinders" fired
    from home-made cannons): fuel packed as a shell, no chemical agent."""
    return word.lower_ == "gas" and word.dep_ in ("compound", "nmod", "amod") and (
        word.head.lemma_.lower() in _lexicon().container_nouns
        or word.head.lower_ in _lexicon().container_nouns
    )


def _names_a_facility(word: Token) -> bool:
    """True for a weapon word inside the name of a facility ("an oil and gas field") or that
    is one ("the phosphate mines")."""
    if word.lemma_.lower() == "mine" and any(
        c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in _lexicon().mineral_nouns
        for c in word.children
    ):
        return True
    node = word
    for _ in range(3):
        if node.dep_ not in ("compound", "amod", "conj", "nmod") or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in _lexicon().facility_nouns:
            return True
    return False


def _is_civilian_target(actor2: Actor | None, fatalities: Fatalities | None) -> bool:
    if actor2 is not None:
        return actor2.inter_code == _CIVILIANS
    return fatalities is not None and fatalities.victims == "civilians"


# Verbs whose subject suffers the event rather than acts in it.


def _reported_by(verb: Token) -> bool:
    """True for a verb of reporting whose "by" phrase names a source: "the ambush was also
    reported by state television" names who told of it, not who did it ("was claimed by IS"
    still names the doer)."""
    lemma, lexicon = verb.lemma_.lower(), _lexicon()
    return lemma in lexicon.reporting_verbs and lemma not in lexicon.claiming_verbs


def _claimants(noun: Token) -> list[Token]:
    """Who claims an act: the subject of "claimed responsibility for the attack", and the side
    that announces a place taken ("the YPG announced the capture of Tel Hamis", "the capture
    ... was announced by the YPG"): a side proclaims its own gains. Not a fall, which either
    side may announce."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_.lower() in (
        "responsibility", "credit"
    ):
        verb = head.head.head
        if verb.lemma_.lower() in _lexicon().claiming_verbs:
            return [c for c in verb.children if c.dep_ == "nsubj"]
    sense = _lexicon().noun_triggers.get(noun.lemma_.lower())
    if sense is None or sense.kind != "territory" or noun.lemma_.lower() == "fall" or (
        head.lemma_.lower() not in _PROCLAIMING_VERBS
    ) or not _of_a_place(noun):
        return []  # "announced the expulsion of 60 Russian diplomats" took no place
    if noun.dep_ == "dobj":
        return [c for c in head.children if c.dep_ == "nsubj"]
    if noun.dep_ == "nsubjpass":
        return [
            g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
        ]
    return []


def _of_a_place(noun: Token) -> bool:
    """True for an act noun whose "of" phrase names a place ("the capture of Tel Hamis", "the
    recapture of the town"), not people ("the expulsion of 60 Russian diplomats")."""
    return any(
        prep.dep_ == "prep" and prep.lower_ == "of" and any(
            g.dep_ == "pobj" and g.ent_type_ not in ("NORP", "ORG", "ACTOR") and (
                g.pos_ == "PROPN" or g.lemma_.lower() in _lexicon().place_or_site_nouns
            )
            for g in prep.children
        )
        for prep in noun.children
    )


# Verbs a side proclaims its gains with ("announced the capture of the town").
_PROCLAIMING_VERBS = frozenset({"announce", "claim", "declare", "proclaim"})


def find_roles(
    trigger: Token, actor_mentions: list[Mention], plover_only: bool = False,
    mutual: bool = False,
) -> Roles:
    """Read actor1 (who acts) and actor2 (who is acted on) from the dependency parse.

    For a PLOVER-only act the target may also be the addressee ("complained to the UN"), the
    party asked ("demanded that Israel withdraw") or the one told ("urged Iran to ..."). For
    a ``mutual`` act (a battle) two sides made one subject ("opposition groups and government
    forces battled") are its two sides.
    """
    agent_tokens: list[Token] = []
    target_tokens: list[Token] = []
    children = list(trigger.children)
    lexicon = _lexicon()
    # PLOVER-only acts name their target with more prepositions ("complained to the UN")
    target_preps = (
        lexicon.target_preps | lexicon.plover_target_preps if plover_only
        else lexicon.target_preps
    )
    if trigger.pos_ == "VERB":
        for child in children:
            if child.dep_ == "nsubj" and (
                trigger.lemma_.lower() in _lexicon().victim_subject_verbs
                or _reduced_passive(trigger)
            ):
                # "two civilians died", "18 soldiers killed in an ambush": the subject is
                # the victim
                target_tokens.append(child)
            elif misread_is(child):
                # "that IS executed 18 civilians" ("IS" read as "is"); with a passive of its
                # own ("IS was expelled by the army") the group is acted on
                passive = any(
                    c.i != child.i and c.dep_ in ("auxpass", "agent") for c in children
                )
                (target_tokens if passive else agent_tokens).append(child)
            elif child.dep_ in ("nsubj",):
                agent_tokens.append(child)
            elif child.dep_ == "agent" or child.dep_ == "prep" and child.lower_ == "by" and (
                trigger.tag_ == "VBG" and trigger.dep_ in ("csubj", "csubjpass", "nsubj")
            ):
                # "Shelling by the army killed 21": a gerund subject is a noun of the act
                agent_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ in ("dobj", "nsubjpass", "dative"):
                target_tokens.append(child)
            elif child.dep_ == "prep" and child.lower_ in target_preps:
                target_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif plover_only and child.dep_ in ("ccomp", "xcomp"):
                # "demanded that the US cancel", "urged the EC to support the PLO"
                target_tokens.extend(
                    c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")
                )
        if not agent_tokens and (accused := _accused_of(trigger)):
            agent_tokens.extend(accused)  # "Washington accused Moscow of bombing a hospital"
        if not agent_tokens and (owner := _gerund_owner(trigger, actor_mentions)) is not None:
            agent_tokens.append(owner)  # "eight killed in Syrian regime shelling"
        if not agent_tokens and any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
            agent_tokens.extend(_doers_of_cause(trigger))
        if not agent_tokens and trigger.lemma_.lower() not in _lexicon().victim_subject_verbs:
            agent_tokens.extend(_inherited_subjects(trigger))
        if not any(_mention_covering(actor_mentions, t) is not None for t in agent_tokens):
            agent_tokens.extend(_subject_in_opening_phrase(trigger))
        if not any(_mention_covering(actor_mentions, t) is not None for t in agent_tokens):
            # "Suicide bombers struck a shrine, killing 20 in an attack claimed by IS": the
            # unnamed doers' act is owned in the clause that tells its harm
            agent_tokens.extend(_means_owners(trigger, actor_mentions))
            for clause in (c for c in children if c.dep_ == "advcl" and c.pos_ == "VERB"):
                agent_tokens.extend(_means_owners(clause, actor_mentions))
                if clause.tag_ == "VBG" and clause.i == clause.sent.start:
                    # "Shelling by rebels on the city killed five": the opening gerund,
                    # misread as a clause, is the act's noun, and "by" names its doer
                    agent_tokens.extend(
                        p for c in clause.children if c.dep_ == "prep" and c.lower_ == "by"
                        for p in c.children if p.dep_ == "pobj"
                    )
        if not any(_mention_covering(actor_mentions, t) is not None for t in agent_tokens):
            # "... leaving 13 dead a monitor reported in an assault claimed by the Daesh group": the
            # phrase hangs on the report, the commas lost, but owns the sentence's act
            agent_tokens.extend(_attack_owned_in_sentence(trigger, actor_mentions))
        if not any(
            _mention_covering(actor_mentions, t) is not None for t in agent_tokens
        ) and any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
            # "a woman was killed and three others injured by terrorists' rocket shells": the
            # passives' one "by" phrase, hung on the last, is the doer of each ("killed by
            # barrel bombs dropped by regime helicopters", the participle read as a verb)
            later = [c for c in trigger.conjuncts if c.i > trigger.i]
            # "a woman was killed and six others wounded by mortar rounds": the wounded's
            # participle, read as describing "others", holds the one "by" phrase
            later += [
                a for c in later if c.pos_ == "NOUN"
                for a in c.children if a.dep_ == "acl" and a.tag_ == "VBN"
            ]
            for other in (c for c in later if c.pos_ == "VERB"):
                agent_tokens.extend(
                    p for c in other.children if c.dep_ == "agent"
                    for p in c.children if p.dep_ == "pobj"
                )
                agent_tokens.extend(_means_owners(other, actor_mentions))
    else:
        agent_tokens.extend(
            # "government offensive", "Russian air strikes", "the regime's bombardment"
            m for m in _act_modifiers(trigger) if _mention_covering(actor_mentions, m) is not None
        )
        for child in children:
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                continue
            elif child.dep_ == "prep" and child.lower_ in _AGENT_PREPS:
                agent_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "prep" and child.lower_ == "from" and any(
                _mention_covering(actor_mentions, c) is not None
                for c in child.children if c.dep_ == "pobj"
            ):
                # "escalated bombardment from government forces": whose fire it is ("shelling
                # from rebel-held areas" says where it came from)
                agent_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "prep" and child.lower_ == "with" and any(
                _weapon_word(p) for p in child.children if p.dep_ == "pobj"
            ):
                # "attacks with shells by Jaish al-Islam on Harasta": the means, not a foe
                # fought with, and who fired it
                agent_tokens.extend(
                    g for p in child.children if p.dep_ == "pobj" for c in p.children
                    if c.dep_ == "prep" and c.lower_ == "by" for g in c.children
                    if g.dep_ == "pobj"
                )
            elif child.dep_ == "prep" and child.lower_ == "of" and _flyers_of(trigger, child):
                # "an airstrike of the US-led coalition": only a force flies it
                agent_tokens.extend(_flyers_of(trigger, child))
            elif child.dep_ == "prep" and child.lower_ in (target_preps | {"of"}):
                target_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "acl" and _striking(child):
                # "attacks targeting the Syrian army": the participle's object is hit
                target_tokens.extend(c for c in child.children if c.dep_ == "dobj")
            elif child.dep_ == "acl" and child.tag_ in ("VBN", "VBD") and (
                not _reported_by(child)
                and child.lower_ not in _knowledge().words["backing_participles"]
                and child.lemma_.lower() not in lexicon.attribution_verbs
            ):
                # "a truce deal reached by the government and rebels": the participle's agent
                # made the act ("an offensive backed by Russia": a backer lends it, no more;
                # "believed by residents to be Russian": they believe it)
                agent_tokens.extend(
                    p for c in child.children if c.dep_ == "agent" for p in c.children
                    if p.dep_ == "pobj"
                )
        breaker = trigger.head
        if trigger.dep_ == "dobj" and breaker.pos_ == "VERB" and (
            breaker.lemma_.lower() in lexicon.breaking_words
        ):
            # "government forces breached the siege of Deir ez-Zor by Daesh": those who break
            # an act fight its doers
            breakers = [c for c in breaker.children if c.dep_ == "nsubj"]
            breakers = breakers or _inherited_subjects(breaker)
            if breakers:
                agent_tokens, target_tokens = breakers, agent_tokens + target_tokens
        if not agent_tokens:
            agent_tokens.extend(_accused_of(trigger))  # "accused the regime of the attack"
        if not agent_tokens:
            agent_tokens.extend(_blamed_on(trigger))  # "the attack was blamed on rebels"
        if not agent_tokens:
            agent_tokens.extend(_who_is_behind(trigger))  # "rebels behind the attack"
        if not agent_tokens:
            agent_tokens.extend(_claimants(trigger))  # "IS claimed responsibility for the attack"
        counted = _counting_noun(trigger)  # "carried out a total of 18 airstrikes"
        head = counted.head
        if counted.dep_ in ("dobj",) and (
            plover_only or head.lemma_.lower() in _lexicon().noun_object_verbs
        ):
            agent_tokens.extend(c for c in head.children if c.dep_ == "nsubj")
            if not agent_tokens and head.pos_ == "VERB":
                # "regime forces responded by launching air strikes": the clause's agent
                agent_tokens.extend(_inherited_subjects(head))
            if plover_only:
                # "imposed sanctions on the Taliban", "lodged a complaint with the UN"
                target_tokens.extend(
                    p for c in head.children
                    if c.dep_ == "prep" and c.lower_ in target_preps
                    for p in c.children if p.dep_ == "pobj"
                )
        if trigger.dep_ == "pobj" and head.lower_ in ("in", "by") and head.head.pos_ == "VERB":
            # "two were hurt in terrorist raids with mortars by the Army of Islam": the passive's
            # "by" names who made the act its victims were hurt in (a named group outranks the
            # act's own "terrorist")
            agent_tokens.extend(
                p for c in head.head.children if c.dep_ == "agent" for p in c.children
                if p.dep_ == "pobj"
            )
        if trigger.dep_ == "nsubjpass" and not _reported_by(head) or (
            trigger.dep_ == "nsubj" and _reduced_passive(head)
        ):
            # "the raid was carried out by Russian jets"; "air strikes likely carried out by
            # Russian jets killed 12", the participle misread as the clause's verb
            agent_tokens.extend(
                p for c in head.children if c.dep_ == "agent" for p in c.children
                if p.dep_ == "pobj"
            )
        if not agent_tokens:
            agent_tokens.extend(_attributed_doers(trigger))
        verb = head.head
        if verb.dep_ == "dobj" and verb.pos_ in ("NOUN", "PROPN"):
            verb = verb.head  # "attacked an army checkpoint with car bombs", hung on the object
        if not agent_tokens and trigger.dep_ == "pobj" and (
            head.lower_ in lexicon.means_preps
        ) and verb.pos_ == "VERB":
            # "rebels attacked government forces with two car bombs", "the army responded by
            # bombing areas around the airport": the means has the verb's agent and target
            agent_tokens.extend(c for c in verb.children if c.dep_ == "nsubj")
            if head.lower_ == "with":  # ("answered the assault by air strikes": no target)
                target_tokens.extend(
                    c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")
                )
    if not agent_tokens and trigger.pos_ != "VERB":
        agent_tokens.extend(_covered_acts_agents(trigger))
    if not agent_tokens and trigger.pos_ != "VERB":
        agent_tokens.extend(_blow_dealers(trigger))
    # "the army-held districts": the army holds the place hit, it is no party to the act
    actor_mentions = [m for m in actor_mentions if not _holder_of_place(trigger.doc, m)]
    if mutual and trigger.pos_ == "VERB" and _first_actor(target_tokens, actor_mentions) is None:
        subjects = [c for c in trigger.children if c.dep_ == "nsubj" and c.conjuncts]
        outside = {t.i for t in trigger.subtree} - {t.i for s in subjects for t in s.subtree}
        if subjects and not any(
            _mention_covering(actor_mentions, trigger.doc[i]) is not None for i in outside
        ):  # "troops and Kurdish forces battled to push IS out": allies against a third
            first, *others = _sides(subjects[0], actor_mentions)
            if first is not None and others:
                return Roles(actor1=first, actor2=others[0])
    if not agent_tokens and not plover_only:
        sides = _sides_between(trigger)
        # "clashes between the army and rebels": ACLED's actor1 is the side named first.
        agent_tokens, target_tokens = sides[:1] or agent_tokens, sides[1:] + target_tokens
    if mutual and not agent_tokens and trigger.pos_ == "NOUN":
        # "fighting raged after IS launched an assault on Kurdish fighters", "the army hit back,
        # sparking fierce fighting": the act that set the fight off names its sides
        starters, struck = _fight_started_by(trigger)
        agent_tokens, target_tokens = starters or _partakers(trigger), target_tokens + struck
    # "terrorists who targeted civilians", "Russia, which fired volleys of missiles": a
    # relative pronoun stands for the noun its clause describes
    agent_tokens = [_antecedent(t) for t in agent_tokens]
    actor1 = _first_actor(agent_tokens, actor_mentions)
    if actor1 is None and agent_tokens and all(t.pos_ == "PRON" for t in agent_tokens):
        # "Hungary said it will support ...": the pronoun is the subject of the clause above.
        actor1 = _first_actor(_governing_subjects(trigger), actor_mentions)
    # "killing 12 of them": the partitive's pronoun stands for the group named before it
    target_tokens = [_partitive_antecedent(t, actor_mentions) or t for t in target_tokens]
    actor2 = _first_actor(target_tokens, actor_mentions, exclude=actor1)
    if actor1 is not None and actor2 is not None and actor1.entity_id == actor2.entity_id:
        actor2 = None  # one side named twice ("forces stormed the army's camp") is one side
    return Roles(
        actor1=actor1,
        actor2=actor2,
        assoc1=_conjoined_actor(actor1, agent_tokens, actor_mentions),
        assoc2=_conjoined_actor(actor2, target_tokens, actor_mentions),
    )


def _perfect(verb: Token) -> bool:
    """True for a verb in the present perfect ("have fired", "has shelled")."""
    return verb.pos_ == "VERB" and any(
        c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBP", "VBZ") for c in verb.children
    )


def _ended_act(trigger: Token) -> bool:
    """True for an act noun told by what came after it ("the end of the siege", "in the wake
    of the attack", "the lifting of the blockade"): the act is over."""
    return (
        trigger.pos_ == "NOUN" and trigger.dep_ == "pobj" and trigger.head.lower_ == "of"
        and trigger.head.head.lemma_.lower() in _lexicon().ended_act_nouns
    )


def _whole_it_is_part_of(trigger: Token) -> bool:
    """True for an act a sentence says something is part of ("Seizing the dam is part of the
    campaign to recapture Raqqa", "the raids formed part of a wider escalation"), and for the
    aim told beside it, however the parser hangs it: the whole, no act of its own here. A
    clause of the whole with a date of its own ("which fired missiles on Tuesday") tells one."""
    root = trigger.sent.root
    parts = [
        c for c in root.children
        if c.dep_ in ("attr", "dobj") and c.lemma_.lower() == "part"
        and any(p.dep_ == "prep" and p.lower_ == "of" for p in c.children)
    ]
    if root.lemma_.lower() not in ("be", "form", "constitute") or not parts:
        return False
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
    if any(trigger in s.subtree for s in subjects):
        return False  # the part itself: an act told elsewhere, or here
    clause = trigger
    while clause.head.i != clause.i and clause.head.i != root.i and clause.pos_ != "VERB":
        clause = clause.head
    return not any(t.ent_type_ in ("DATE", "TIME") for t in clause.subtree) or clause == trigger


def _counted_so_far(verb: Token) -> bool:
    """True for an act in the present perfect counted "so far", "to date" or "in total" ("the
    operation has so far retaken 20 villages"), or one a clause so counted led to ("resulted so
    far to establish control over ..."): a running total, not one act."""
    phrases = _lexicon().running_toll_phrases

    def running(word: Token) -> bool:
        return any(
            " ".join(t.lower_ for t in child.subtree) in phrases
            for child in word.children if child.dep_ in ("advmod", "prep", "npadvmod")
        )

    if _perfect(verb) and running(verb):
        return True
    # "an operation that resulted so far in establishing control over ...": what a clause
    # counted so far led to is its running total, whatever the tense
    governor = verb.head
    return verb.dep_ in ("advcl", "xcomp", "pcomp") and governor.pos_ == "VERB" and (
        governor.i != verb.i and running(governor)
    )


def _striking(verb: Token) -> bool:
    """True for a verb of attacking or hitting ("targeting", "hitting", "striking")."""
    lemma = verb.lemma_.lower()
    sense = _lexicon().verb_triggers.get(lemma)
    return lemma in _lexicon().striking_verbs or sense is not None and sense.kind == "attack"


def _counting_noun(noun: Token) -> Token:
    """The noun that counts an act noun ("a total of 18 airstrikes", "a series of raids"),
    whose place in the clause is the act's; else the act noun itself."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "of" or prep.head.i == prep.i:
        return noun
    lexicon = _lexicon()
    counter = prep.head.lemma_.lower()
    if counter in lexicon.quantity_nouns or counter in lexicon.series_nouns or (
        counter in lexicon.burst_nouns
    ):
        return prep.head
    return noun


def _flyers_of(noun: Token, of: Token) -> list[Token]:
    """The armed force an air strike noun's "of" names ("an airstrike of the coalition", "raids
    of the Russian air force"); a place or a target after "of" is struck, not striking."""
    sense = _noun_sense(noun)
    if sense is None or sense.sub_event_type != "Air/drone strike":
        return []
    armed = _lexicon().armed_nouns | _knowledge().words["group_nouns"]
    return [
        p for p in of.children
        if p.dep_ == "pobj" and (p.lemma_.lower() in armed or p.lower_ in armed)
    ]


def _reduced_passive(verb: Token) -> bool:
    """True for a past participle with a subject and no auxiliary, as headlines write the
    passive ("18 soldiers killed in ambush"): the subject is who it befell. With a direct
    object it is an active past the tagger misread ("rebels killed 18 soldiers"). A past
    tense with the wounded as its conjunct ("70 fighters killed and many injured") is one too.
    """
    if any(c.dep_ in ("aux", "auxpass", "dobj") for c in verb.children):
        return False
    return verb.tag_ == "VBN" or verb.tag_ == "VBD" and any(
        c.dep_ == "conj" and counts_the_wounded(c) for c in verb.children
    )


def _attributed_doers(noun: Token) -> list[Token]:
    """The doer an act is lent to on someone's word, named after "by" in the infinitive of a verb
    of belief: "raids thought to be by coalition aircraft", "the raid was suspected to have been
    flown by Russian jets", "attacks, believed carried out by the regime". The "by" of
    the belief itself names who believes it ("believed by residents to be ..."), not the doer.
    """
    attribution = _lexicon().attribution_verbs
    links = [c for c in noun.children if c.dep_ == "acl"]
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        links.append(noun.head)
    doers: list[Token] = []
    for link in (w for w in links if w.lemma_.lower() in attribution):
        told = [c for c in link.children if c.dep_ in ("xcomp", "ccomp")]
        told += [c for w in told for c in w.children if c.dep_ == "xcomp"]
        doers.extend(
            p for w in told for c in w.children
            if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "by"
            for p in c.children if p.dep_ == "pobj"
        )
    return doers


def _covered_acts_agents(trigger: Token) -> list[Token]:
    """The agent of the act an act noun gives cover to: "soldiers mounted a counteroffensive
    under the cover of air raids" (the soldiers' side flew them, not the enemy the
    counteroffensive answers)."""
    prep = trigger.head
    support = prep.head
    # the lexicon's backing_nouns: what one act lends another ("under the cover of airstrikes",
    # "with the support of artillery fire")
    if trigger.dep_ != "pobj" or prep.lower_ != "of" or support.lemma_.lower() not in (
        _lexicon().backing_nouns
    ):
        return []
    if support.dep_ != "pobj" or support.head.lower_ not in ("under", "with"):
        return []
    verb = support.head.head
    if verb.pos_ in ("NOUN", "PROPN") and verb.dep_ in ("dobj", "nsubjpass"):
        verb = verb.head  # "launched a counteroffensive under ...", hung on the object
    if verb.pos_ != "VERB":
        return []
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return subjects or _inherited_subjects(verb)


def _set_off_by(trigger: Trigger, fired: list[Token]) -> bool:
    """True for an explosion that a verb of causing says another act set off ("airstrikes ...
    triggering successive explosions", "the shelling caused several blasts")."""
    if trigger.sense.sub_event_type != "Remote explosive/landmine/IED":
        return False
    noun = trigger.token
    verb = noun.head
    if noun.dep_ != "dobj" or verb.lemma_.lower() not in _lexicon().blast_causing_verbs:
        return False
    holders = [verb, verb.head] if verb.dep_ in ("advcl", "conj", "xcomp") else [verb]
    return any(
        token in fired
        or any(c in fired for c in token.children if c.dep_ in ("nsubj", "nsubjpass"))
        for token in holders
    )


def _blow_dealers(act: Token) -> list[Token]:
    """Who dealt a blow "in" an act noun: "the Syrian aircraft dealt a heavy blow to the
    militants in airstrikes", "troops inflicted losses on IS in raids" (the act is the means)."""
    prep = act.head
    if act.dep_ != "pobj" or prep.lower_ not in ("in", "through") or prep.dep_ != "prep":
        return []
    verb = prep.head
    if verb.pos_ == "NOUN" and verb.dep_ == "dobj":
        verb = verb.head  # "dealt a heavy blow to the militants in airstrikes", hung on "blow"
    lexicon = _lexicon()
    harms = lexicon.blow_verbs | lexicon.damage_verbs | lexicon.striking_verbs
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in harms:
        return []
    return [c for c in verb.children if c.dep_ == "nsubj"]


def _means_owners(verb: Token, actor_mentions: list[Mention]) -> list[Token]:
    """Who owns the act a death or harm verb happened in: "killed in U.S. air strikes",
    "wounded by regime shelling", "killed in army operations", "killed in rebel fire" (the
    act's actor modifiers)."""
    owners = []
    for prep in verb.children:
        if prep.dep_ not in ("prep", "agent") or prep.lower_ not in ("in", "by", "during"):
            continue
        for act in (c for c in prep.children if c.dep_ == "pobj"):
            if _owner_of_misread_act(act, actor_mentions):
                owners.append(act)  # "killed in Syrian regime airstrikes", "airstrikes" a verb
                continue
            if _noun_sense(act) is None and act.lemma_.lower() not in (
                _lexicon().offensive_words | _lexicon().gunfire_nouns
            ) and not _weapon_word(act):
                continue  # "killed in Raqqa", "in the night": no act named
            owners.extend(
                m for m in _act_modifiers(act)
                if _mention_covering(actor_mentions, m) is not None
            )
            owners.extend(_agents_of_done_act(act, actor_mentions))
    return owners


def _act_modifiers(act: Token) -> list[Token]:
    """The words before an act noun that may name its doer: its own modifiers, and those of a
    compound before it, where an adjective first moves the doer one step off ("intensive
    government air strikes": "government" hangs from "air")."""
    found = []
    for child in act.children:
        if child.dep_ not in ("poss", "amod", "compound", "nmod"):
            continue
        found.append(child)
        if child.dep_ == "compound" and child.i < act.i:
            found += [c for c in child.children if c.dep_ in ("compound", "amod", "poss")]
        if child.dep_ == "amod" and child.lower_ in _knowledge().words["leading_words"]:
            # "US-led air strikes": who leads them, hung on the participle
            found += [c for c in child.children if c.dep_ in ("npadvmod", "compound")]
    return found


def _attack_owned_in_sentence(trigger: Token, actor_mentions: list[Mention]) -> list[Token]:
    """Who carried out or claimed the generic act noun of an "in" phrase elsewhere in the
    trigger's sentence ("in an attack claimed by the Daesh group"): a generic attack word
    names the sentence's one act, wherever the parser hangs its phrase."""
    found = []
    for act in trigger.sent:
        sense = _noun_sense(act) if act.pos_ == "NOUN" else None
        if act.i == trigger.i or sense is None or sense.kind != "attack" or not (
            act.dep_ == "pobj" and act.head.lower_ == "in"
        ):
            continue
        found.extend(_agents_of_done_act(act, actor_mentions))
    return found


def _agents_of_done_act(act: Token, actor_mentions: list[Mention]) -> list[Token]:
    """Who "carried out" an act noun: "killed in an attack carried out by government forces",
    "airstrikes carried out by Assad regime warplanes" (the aircraft's owner), "bombing
    thought to be carried out by Russian or Syrian jets" (a hedge names the doer all the
    same, as ACLED codes it)."""
    found = []
    clauses = [c for c in act.children if c.dep_ == "acl"]
    clauses += [
        x for c in clauses if c.lemma_.lower() in _lexicon().hedging_verbs
        for x in c.children if x.dep_ == "xcomp"
    ]
    weapon = _weapon_word(act)
    for clause in clauses:
        # "shells fired by terrorists", "barrel bombs dropped by regime helicopters": whoever
        # used a weapon
        if not (clause.tag_ == "VBN" and (
            weapon or clause.lemma_.lower() in _lexicon().noun_object_verbs
        )):
            continue
        for by in clause.children:
            if by.dep_ not in ("agent", "prep") or by.lower_ != "by":
                continue
            for agent in (c for c in by.children if c.dep_ == "pobj"):
                if _mention_covering(actor_mentions, agent) is not None:
                    found.append(agent)
                else:
                    found.extend(
                        m for m in _act_modifiers(agent)
                        if _mention_covering(actor_mentions, m) is not None
                    )
    return found


def _weapon_word(noun: Token) -> bool:
    """True for a weapon noun ("shells", "barrel bombs", "rockets")."""
    weapons = _lexicon().weapon_sub_types
    return noun.lower_ in weapons or noun.lemma_.lower() in weapons


def _owner_of_misread_act(noun: Token, actor_mentions: list[Mention]) -> bool:
    """True for an actor the tagger left as the object of "in" or "by" because it read the act
    noun after it as a verb ("killed in Syrian regime airstrikes", "regime shelling")."""
    if noun.i + 1 >= len(noun.doc) or _mention_covering(actor_mentions, noun) is None:
        return False
    act = noun.doc[noun.i + 1]
    return act.pos_ in ("VERB", "ADJ") and act.head.i in (noun.i, noun.head.head.i) and (
        _noun_sense(act) is not None or act.lower_ in _lexicon().offensive_words
    )


def _holder_of_place(doc: Doc, mention: Mention) -> bool:
    """True for the actor of "army-held", "rebel-controlled": who holds a place, not who acts."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    return hyphened_participle(doc[span.end - 1]) in _lexicon().held_words


def _who_is_behind(trigger: Token) -> list[Token]:
    """Who a sentence says is behind an act: "Saudi-backed rebels behind Syria chemical
    attack", "the group behind the bombing" (the noun the "behind" phrase hangs on), "IS was
    behind the bombing" (the copula's subject)."""
    node = trigger
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head  # "behind the chemical attack report": the act names the report
    prep = node.head
    if node.dep_ != "pobj" or prep.lower_ != "behind" or prep.head.i == prep.i:
        return []
    owner = prep.head
    if owner.lemma_ == "be":
        return [c for c in owner.children if c.dep_ == "nsubj"]  # "IS was behind the bombing"
    return [owner] if owner.pos_ in ("NOUN", "PROPN") else []


def _accused_of(trigger: Token) -> list[Token]:
    """Who is accused of an act: the object of "accused X of bombing", "blamed X for the attack",
    not the accuser."""
    prep = trigger.head
    if trigger.dep_ not in ("pcomp", "pobj") or prep.lower_ not in ("of", "for"):
        return []
    return _accused_by(prep.head)


# The marks of a clause that tells what set a fight off: "fighting raged after IS attacked".
_SETTING_OFF_MARKS = frozenset({"after", "as", "when"})


def _fight_started_by(fight: Token) -> tuple[list[Token], list[Token]]:
    """Who set a fight off and whom they struck: the subject and object (or "on" target) of
    the act told in an "after"/"when" clause of the verb the fight is the subject of ("clashes
    erupted when militants attacked army posts"), or the subject of the act that a "sparking"
    participle goes on from ("the army hit back, sparking fighting")."""
    head = fight.head
    if fight.dep_ == "nsubj" and head.pos_ == "VERB":
        for clause in head.children:
            if clause.dep_ == "advcl" and any(
                c.dep_ in ("mark", "advmod") and c.lower_ in _SETTING_OFF_MARKS
                for c in clause.children
            ):
                subjects = [c for c in clause.children if c.dep_ == "nsubj"]
                objects = [c for c in clause.children if c.dep_ == "dobj"]
                struck = objects + [
                    p for o in [clause, *objects] for c in o.children
                    if c.dep_ == "prep" and c.lower_ in ("on", "against")
                    for p in c.children if p.dep_ == "pobj"
                ]
                if subjects:
                    return subjects, struck
    if fight.dep_ == "dobj" and head.lemma_.lower() in _lexicon().sparking_verbs and (
        head.dep_ in ("advcl", "xcomp", "conj") and head.head.pos_ == "VERB"
    ):
        return [c for c in head.head.children if c.dep_ == "nsubj"], []
    return [], []


def _partakers(fight: Token) -> list[Token]:
    """Who takes part in a fight: the subject of "took part in the battle", "played a major
    role in the battle", "joined the offensive", "led the assault"."""
    words = _lexicon().partaking_words
    holder = fight.head.head if fight.dep_ == "pobj" and fight.head.lower_ == "in" else (
        fight.head if fight.dep_ == "dobj" else None
    )
    if holder is None:
        return []
    if holder.pos_ == "VERB" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in words for c in holder.children
    ):
        verb = holder  # "took part in the battle", the phrase hung on the verb
    elif holder.lemma_.lower() not in words:
        return []
    else:
        verb = holder.head if holder.pos_ == "NOUN" and holder.dep_ == "dobj" else holder
    return [c for c in verb.children if c.dep_ == "nsubj"] if verb.pos_ == "VERB" else []


def _blamed_on(trigger: Token) -> list[Token]:
    """Who an act is blamed on: "the attack was blamed on rebels", "the bombing, which they
    blamed on IS", "blamed the attack on the regime"."""
    verbs = [c for c in trigger.children if c.dep_ in ("relcl", "acl")]
    if trigger.dep_ in ("nsubjpass", "dobj"):
        verbs.append(trigger.head)
    for verb in verbs:
        if verb.lemma_.lower() in _lexicon().blaming_verbs:
            return [
                p for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"
                for p in c.children if p.dep_ == "pobj"
            ]
    return []


def _accused_by(verb: Token) -> list[Token]:
    """Whom a blaming verb accuses: its object ("accused the regime"), or its passive subject
    ("the regime was blamed"); nothing for another verb."""
    if verb.lemma_.lower() not in _lexicon().blaming_verbs:
        return []
    return [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]


def _sides(subject: Token, mentions: list[Mention]) -> list[Mention | None]:
    """The actor of each side of a subject that joins two ("rebels and government forces"),
    each read from its own words, not its partner's."""
    sides = [subject, *subject.conjuncts]
    found: list[Mention | None] = []
    for side in sides:
        others = {t.i for s in sides if s is not side and s.i > side.i for t in s.subtree}
        words = [t for t in side.subtree if t.i not in others and t.dep_ != "cc"]
        mention = next(
            (m for t in words if (m := _mention_covering(mentions, t)) is not None), None
        )
        if mention is not None and all(mention != f for f in found):
            found.append(mention)
        elif not found:
            found.append(None)
    return found


def _sides_between(trigger: Token) -> list[Token]:
    """The parties of "fighting between A and B", also where "between" hangs from the verb."""
    holders = [trigger]
    if trigger.dep_ in ("nsubj", "nsubjpass") and trigger.head.pos_ == "VERB":
        holders.append(trigger.head)  # "clashes erupted between A and B"
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "between":
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                return [side for obj in objects for side in (obj, *obj.conjuncts)]
    return []


def _doers_of_cause(death: Token) -> list[Token]:
    """The subject of a "when"/"after" clause of violence under a passive death: "two pilots
    were killed after Daesh shot down their helicopter", "five were killed when gunmen opened
    fire" (not "when their helicopter crashed": no one acted)."""
    triggers = _lexicon().verb_triggers
    found = []
    for clause in death.children:
        if clause.dep_ != "advcl" or not any(
            c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "after", "as")
            for c in clause.children
        ):
            continue
        sense = triggers.get(clause.lemma_.lower())
        violent = sense is not None and sense.kind in ("attack", "kill", "fight", "remote")
        if violent or clause.lemma_.lower() in _lexicon().downing_verbs:
            found += [c for c in clause.children if c.dep_ == "nsubj"]
    return found


def _inherited_subjects(verb: Token) -> list[Token]:
    """The agent a verb shares with the clause it hangs from.

    "launched an assault to retake X" (xcomp), "Days after recapturing Palmyra, IS fighters
    pressed on" (pcomp under a preposition), "forces besieging the city" (acl: the noun itself).
    """
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "18 soldiers killed in the ambush": a past participle's noun is who it befell; but
        # one with an object of its own, hung on a name, is an active verb the parser hung on
        # its subject ("Al-Nusra attacked at dawn the headquarters of a rival faction")
        # ("Jaish al-Islam terrorists targeted the area", the noun left as the sentence's root)
        acts = verb.tag_ != "VBN" or (
            verb.head.pos_ == "PROPN" or verb.head.dep_ == "ROOT"
        ) and any(c.dep_ in ("dobj", "obj") for c in verb.children)
        return [verb.head] if acts else []
    current = verb
    for _ in range(4):
        if current.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "prep"):
            return []
        if current.head.i == current.i:
            return []
        if current.dep_ == "ccomp" and current.head.lemma_.lower() in _lexicon().reporting_verbs:
            return []  # "regime media said one person was killed": the speaker did not kill
        came_from, current = current, current.head
        if current.lemma_.lower() in _lexicon().victim_subject_verbs:
            return []  # "civilians died in shelling": those who died did not shell
        blaming = _lexicon().blaming_verbs
        if came_from.lower_ == "by" and current.lemma_.lower() in blaming:
            # "accused government forces of gassing hundreds by firing rockets" with "by" hung
            # on "accused": the accused fired them, not the accuser
            return _accused_by(current)
        if came_from.lower_ in ("of", "for") and current.dep_ in ("dobj", "nsubjpass") and (
            current.head.lemma_.lower() in blaming
        ):
            return [current]  # "accused government forces of gassing ... by firing rockets"
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects
    return []


def _subject_in_opening_phrase(verb: Token) -> list[Token]:
    """The subject a comma-less opening phrase swallowed, for a finite verb with none.

    "In the neighbouring Idlib province army units destroyed hideouts": with the comma lost,
    the parser reads "province army units" as one noun, the object of "In". The noun just
    before the verb, with words of the phrase before it, is who acts.
    """
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or any(
        c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children
    ):
        return []
    sent = verb.sent
    before = sent.doc[verb.i - 1] if verb.i > sent.start else None
    if before is None or before.dep_ != "pobj" or not any(
        c.dep_ == "compound" for c in before.children
    ):
        return []
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.i < verb.i), None)
    if prep is None or not all(
        t.dep_ in ("advmod", "cc", "punct") for t in sent.doc[sent.start:prep.i]
    ):
        return []
    # "In the town of Douma rebels shelled": the noun may end a chain of "of" phrases
    return [before] if prep in before.ancestors else []


def _governing_subjects(verb: Token) -> list[Token]:
    """The subjects of the clauses above a verb, nearest first (for a pronoun subject)."""
    found: list[Token] = []
    current = verb
    for _ in range(4):
        if current.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or current.head.i == current.i:
            break
        current = current.head
        found.extend(c for c in current.children if c.dep_ == "nsubj" and c.pos_ != "PRON")
    return found


def _gerund_owner(trigger: Token, actor_mentions: list[Mention]) -> Token | None:
    """The actor just before a gerund the parser split from it: "killed in Syrian regime
    shelling" reads "regime" as the object of "in" and "shelling" as a clause on the dead, yet
    the words say whose shelling it was. A gerund that hangs on the noun before it ("rebels
    shelling the base") is that noun's act as well. Not across punctuation, and not a gerund
    with a subject of its own."""
    if trigger.tag_ != "VBG" or trigger.dep_ not in ("acl", "advcl", "pcomp") or any(
        c.dep_ in ("nsubj", "nsubjpass", "agent") for c in trigger.children
    ):
        return None
    if trigger.i == trigger.sent.start:
        return None
    before = trigger.doc[trigger.i - 1]
    if before.pos_ not in ("NOUN", "PROPN") or before.dep_ not in ("pobj", "dobj", "nsubj",
                                                                   "nsubjpass", "conj"):
        return None
    return before if _mention_covering(actor_mentions, before) is not None else None


def _mention_covering(mentions: list[Mention], token: Token) -> Mention | None:
    for mention in mentions:
        if mention.start <= token.idx < mention.end:
            return mention
    return None


def _antecedent(token: Token) -> Token:
    """What a relative pronoun stands for: the noun just before it ("allies including Russia
    which fired", however the parser hangs the clause), else the noun its clause describes;
    any other token itself."""
    if token.tag_ not in ("WP", "WDT") or token.head.dep_ != "relcl":
        return token
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.pos_ in ("NOUN", "PROPN"):
        return before
    return token.head.head


def _partitive_antecedent(token: Token, mentions: list[Mention]) -> Token | None:
    """The group a count "of them" is part of: the nearest plural actor noun before it in the
    sentence ("operations against terrorists ..., killing 12 of them")."""
    if token.pos_ not in ("NUM", "NOUN", "ADJ", "PRON") or token.lower_ == "them":
        return None
    pronoun = next((
        p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children if p.dep_ == "pobj" and p.lower_ == "them"
    ), None)
    if pronoun is None:
        return None
    for candidate in reversed(token.doc[token.sent.start : token.i]):
        if candidate.tag_ in ("NNS", "NNPS") and _mention_covering(mentions, candidate):
            return candidate
    return None


def _first_actor(
    tokens: list[Token], mentions: list[Mention], exclude: Mention | None = None
) -> Mention | None:
    """The actor mention a role token names: the token itself, else its own subtree.

    "Militants of the so-called Islamic State": the group the generic noun's "of" names. An
    unidentified doer gives way to a named one of a later token ("a terrorist mortar attack launched
    by terrorists of Jabhat al-Nusra").
    """
    unidentified = None
    for token in tokens:
        mention = _mention_covering(mentions, token)
        if mention is not None and mention != exclude:
            if (mention.entity_id or "").startswith(UNIDENTIFIED_ID_PREFIX):
                named = _named_group_of(token, mentions, exclude) or _owner_told_above(
                    token, mentions, exclude
                )
                if named is not None:
                    return named
                unidentified = unidentified or mention
                continue
            return mention
        owner = _owner_told_above(token, mentions, exclude) if token.pos_ == "NOUN" else None
        if owner is not None:
            return owner  # "the Nusra Front said its fighters attacked a checkpoint"
        # "a rival organisation to IS - the Nusra Front - abducted": the apposition names the
        # noun itself, before any actor its modifiers name
        appositions = [c for c in token.children if c.dep_ == "appos"]
        # a clause of harm on the noun tells its victims ("an area ... killing seven people,
        # both militants and civilians": the militants were killed, they did not strike);
        # "groups affiliated to the Nusra Front" names the groups' own
        harms = _knowledge().harm_verbs
        told = {
            t.i for c in token.children
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in harms for t in c.subtree
        }
        # "pro-regime fighters backed by Russian air strikes retook": who backs the noun is
        # no doer of what it does
        backing = _knowledge().words["backing_participles"]
        told |= {
            t.i for c in token.children
            if c.dep_ == "acl" and c.lower_ in backing for t in c.subtree
        }
        # "air strikes believed by rebel commanders to be Russian": the believers are no doers
        told |= {
            t.i for c in token.children
            if c.dep_ == "acl" and c.lemma_.lower() in _lexicon().attribution_verbs
            for a in c.children if a.dep_ == "agent" for t in a.subtree
        }
        for inner in [*appositions, *(t for a in appositions for t in a.subtree), *token.subtree]:
            if inner.i in told:
                continue
            mention = _mention_covering(mentions, inner)
            if mention is not None and mention != exclude:
                return mention
    return unidentified


def _owner_told_above(
    token: Token, mentions: list[Mention], exclude: Mention | None
) -> Mention | None:
    """The named group a generic doer's "its" or "their" points to: the subject of the
    reporting verb above it ("the Nusra Front said its fighters attacked a checkpoint")."""
    if token.dep_ != "nsubj" or not any(
        c.dep_ == "poss" and c.lower_ in ("its", "their") for c in token.children
    ):
        return None
    for verb in token.ancestors:
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in (
            _lexicon().reporting_verbs | _lexicon().claiming_verbs
        ):
            continue
        for subject in (c for c in verb.children if c.dep_ == "nsubj" and c.i != token.i):
            mention = _mention_covering(mentions, subject)
            if mention is not None and mention != exclude and not (
                (mention.entity_id or "").startswith(UNIDENTIFIED_ID_PREFIX)
            ):
                return mention
    return None


def _named_group_of(
    token: Token, mentions: list[Mention], exclude: Mention | None
) -> Mention | None:
    """The named actor in the "of" phrase of a generic noun ("militants of the Nusra Front"),
    or the group it is "affiliated to" ("terrorist organizations affiliated to Jabhat
    al-Nusra", "gunmen loyal to the Islamic State")."""
    # "terrorists from Jaish al-Fateh" as "militants of the Nusra Front"
    phrases = [c for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "from")]
    phrases += [
        p for c in token.children
        if c.dep_ in ("acl", "amod") and c.lower_ in _lexicon().affiliation_participles
        for p in c.children if p.dep_ == "prep" and p.lower_ in ("to", "with")
    ]
    for prep in phrases:
        for inner in prep.subtree:
            mention = _mention_covering(mentions, inner)
            if mention is not None and mention != exclude and not (
                (mention.entity_id or "").startswith(UNIDENTIFIED_ID_PREFIX)
            ):
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
    folded: tuple[Token, ...] = (),
    linker: str = DEFAULT_LINKER,
    borrow: bool = True,
) -> tuple[Mention | None, bool]:
    """The place where the event happened; ``borrowed`` is True when taken from context
    (never when ``borrow`` is False: a sentence that moves on to another scene).

    A region of no one country ("the Levant" in "al-Qaeda's branch in the Levant", "the Middle
    East" of a job title) is never an event's place: no one could map it.
    """
    regions = {
        place.id for place in analysis.places
        if not place.country and not is_unlisted(place.id)
    }
    place_mentions = [
        m for m in place_mentions
        if m.entity_id not in regions and not names_no_scene(analysis.doc, m, trigger)
    ]
    in_sentence = [m for m in place_mentions if sent.start_char <= m.start < sent.end_char]
    # "killed near the capital, hours after a gas attack in Khan Sheikhun": that place is the
    # other incident's
    in_sentence = _outside_earlier_acts(analysis.doc, trigger, in_sentence)
    if in_sentence and territorial:
        chosen = territory_place(analysis.doc, trigger, in_sentence)
        if chosen is not None:
            return chosen, False
    # In an article whose other sentences name places, a sentence's unlinked place still beats
    # borrowing (a garbled parse of "airstrikes on ... Raqqa killed 25" is likelier than a
    # change of scene); a sentence alone, with no context, states no place for its event.
    has_context = any(m.sentence_index != sent_index for m in place_mentions)
    if in_sentence:
        chosen = link_event_place(analysis.doc, trigger, in_sentence, folded, linker)
        if chosen is None and has_context:
            # An unlinked place must lie in the story's country (a dateline's "Moscow AFP").
            chosen = event_place(
                analysis.doc, trigger, borrowable_places(analysis, in_sentence),
                also=folded, unlinked_fallback=True,
            )
        if chosen is not None:
            town = _named_in_area(analysis, chosen, place_mentions, sent_index, lookback)
            return (town, True) if town is not None else (chosen, False)
    if not borrow:
        return None, False
    # Borrowing (earlier sentences, the most named place) only from the story's country.
    # A town known by name only is safe to borrow where the sentence points back with the noun
    # it was written with ("the town of Turmanin ... in the same town").
    unlisted = [m for m in place_mentions if is_unlisted(m.entity_id)]
    place_mentions = borrowable_places(analysis, place_mentions)
    earlier = [
        m for m in place_mentions if sent_index - lookback <= m.sentence_index < sent_index
    ]
    called = _called_as(
        analysis.doc, sent, place_mentions + unlisted, sent_index
    ) or _site_called_as(analysis.doc, sent, place_mentions, sent_index)
    if called is not None:
        return called, True
    if earlier:
        return _borrowed_scene(analysis, earlier), True
    # A lede that names no place yet ("killed in an attack near a camp on the border"): the
    # sentences after it zoom in on its scene, which the article's most named place may not be.
    later = [
        m for m in place_mentions if sent_index < m.sentence_index <= sent_index + lookback
    ]
    restated = _site_restated_later(analysis.doc, sent, place_mentions, sent_index)
    if restated is not None:
        # "clashed outside a government-controlled army airport ... fighting broke out at the
        # army airport in Deir al-Zor": where the site is named, not the next place told
        return restated, True
    if later and not any(m.sentence_index < sent_index for m in place_mentions):
        return min(later, key=lambda m: m.start), True
    named = _named_after(analysis.doc, sent, place_mentions, sent_index)
    if named is not None:
        return named, True
    # The article's most named place, only when the rest of the article names it: a sentence's
    # own unlinked places ("activists in Mosul said", "a U.S. patrol") do not place its event.
    counts = Counter(m.entity_id for m in place_mentions if m.sentence_index != sent_index)
    if counts:
        top_id = counts.most_common(1)[0][0]
        return next(m for m in place_mentions if m.entity_id == top_id), True
    return None, False


def _called_as(
    doc: Doc | None, sent: Span, place_mentions: list[Mention], sent_index: int
) -> Mention | None:
    """The place a bare "the city" ("in the east of the city") stands for: the last one named
    a city before ("Aleppo city", "the city of Aleppo"), not a town named since ("the town of
    Atareb"), and not a city that only says where another one is ("Mare city to the north of
    Aleppo city": "the city" is Mare). ``None`` when the sentence says no bare settlement noun
    or none was so named."""
    if doc is None:
        return None
    bare = _settlement_nouns(sent, frozenset({"the"}), bare=True)
    if len(bare) != 1:
        return None
    [noun] = bare
    named = [
        m for m in place_mentions
        if m.sentence_index < sent_index and _named_with(doc, m, noun)
    ]
    spans = {
        id(m): doc.char_span(m.start, m.end, alignment_mode="expand") for m in named
    }
    landmarks = {
        id(outer) for outer in named for inner in named
        if outer is not inner and outer.sentence_index == inner.sentence_index
        and spans[id(outer)] is not None and spans[id(inner)] is not None
        and (locates(spans[id(outer)], spans[id(inner)])
             or located_beside(spans[id(outer)], spans[id(inner)]))
    }
    named = [m for m in named if id(m) not in landmarks] or named
    return max(named, key=lambda m: m.start) if named else None


def _site_called_as(
    doc: Doc | None, sent: Span, place_mentions: list[Mention], sent_index: int
) -> Mention | None:
    """The place a bare "the base" or "the airport" stands for: the last one the article named
    such a site by before ("the fight over Tabqa base", "Kuweires airport"), however many
    sentences back. ``None`` when the sentence tells no bare site or none was so named."""
    if doc is None:
        return None
    sites = _lexicon().site_nouns
    bare = {
        t.lemma_.lower() for t in sent
        if t.lemma_.lower() in sites and t.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
        and not any(
            c.dep_ in ("compound", "poss", "amod", "prep", "appos", "nmod") for c in t.children
        )
    }
    if len(bare) != 1:
        return None
    [noun] = bare
    named = [
        m for m in place_mentions
        if m.sentence_index < sent_index
        and (span := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None
        and _site_named_by(span, noun)
    ]
    return max(named, key=lambda m: m.start) if named else None


def _named_after(
    doc: Doc | None, sent: Span, place_mentions: list[Mention], sent_index: int
) -> Mention | None:
    """The place an indefinite settlement noun ("an attack on a rebel-held town") is named as
    later ("Tuesday's strike in the town of Khan Sheikhun"): the first one written with that
    noun after the sentence. ``None`` when the sentence says no such noun or none is so named."""
    if doc is None:
        return None
    nouns = _settlement_nouns(sent, frozenset({"a", "an"}))
    named = [
        m for m in place_mentions
        if m.sentence_index > sent_index and any(_named_with(doc, m, noun) for noun in nouns)
    ]
    return min(named, key=lambda m: m.start) if named else None


def _named_in_area(
    analysis: Analysis, area: Mention, place_mentions: list[Mention], sent_index: int,
    lookback: int,
) -> Mention | None:
    """The town that "a town in eastern Syria" or "a village in Idlib province" is named as in
    the sentences just after ("the town of al-Quria"): the country or province only holds the
    scene. ``None`` unless the area is what places an indefinite settlement noun and a town of
    that area is so named."""
    doc = analysis.doc
    places = {place.id: place for place in analysis.places}
    region = places.get(area.entity_id or "")
    span = doc.char_span(area.start, area.end, alignment_mode="expand") if doc else None
    if region is None or span is None or region.geo_precision < 3:
        return None
    prep = span.root.head
    if prep.lower_ == "of" and prep.head.lemma_.lower() in _lexicon().area_nouns:
        prep = prep.head.head  # "a village in the northern province of Aleppo"
    settlement = prep.head
    if prep.dep_ != "prep" or prep.lower_ not in ("in", "of") or not (
        settlement.lemma_.lower() in _lexicon().place_or_site_nouns
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in settlement.children)
    ):
        return None
    after = [
        m for m in place_mentions if sent_index < m.sentence_index <= sent_index + lookback
    ]
    named = _named_after(doc, settlement.sent, after, sent_index) or _restated_at(
        doc, settlement, after
    )
    town = places.get(named.entity_id or "") if named is not None else None
    # a village the gazetteer lacks, known by name only, is still the town named
    finer = town is not None and (
        town.geo_precision < region.geo_precision or is_unlisted(town.id) and town.id != region.id
    )
    if not finer or town.country != region.country or (
        region.admin1 is not None and town.admin1 not in (None, region.admin1)
    ):
        return None
    return named


def _site_restated_later(
    doc: Doc | None, sent: Span, place_mentions: list[Mention], sent_index: int
) -> Mention | None:
    """The place a site told with "a" and no place ("outside a government-controlled army
    airport") is named at when the article tells "the" site again with its place ("at the
    army airport in Deir al-Zor"). ``None`` when the sentence tells no such site."""
    if doc is None:
        return None
    sites = _lexicon().site_nouns
    nouns = [
        t for t in sent
        if t.lemma_.lower() in sites and t.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.children)
    ]
    after = [m for m in place_mentions if m.sentence_index > sent_index]
    for noun in nouns:
        restated = _restated_at(doc, noun, after)
        if restated is not None:
            return restated
    return None


def _restated_at(doc: Doc, noun: Token, place_mentions: list[Mention]) -> Mention | None:
    """The place a site told as "a hospital in northwestern Syria" is named at when "the
    hospital" is told again just after ("The hospital in the town of Meles was hit twice"), or
    when the site is named by its place ("an air base in northeast Syria" ... "the fight over
    Tabqa air base")."""
    lemma = noun.lemma_.lower()
    for mention in sorted(place_mentions, key=lambda m: m.start):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and (any(
            t.lemma_.lower() == lemma and any(
                c.dep_ == "det" and c.lower_ == "the" for c in t.children
            )
            for t in span.root.ancestors
        ) or _site_named_by(span, lemma)):
            return mention
    return None


def _site_named_by(span: Span, lemma: str) -> bool:
    """True where the place names a site of that noun as its first word ("Tabqa air base",
    "the Kuweires airport"), not where it only holds one ("a base in Tabqa")."""
    token = span.root
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
        if token.lemma_.lower() == lemma:
            return True
    return False


def _settlement_nouns(sent: Span, articles: frozenset[str], *, bare: bool = False) -> set[str]:
    """The settlement nouns of a sentence written with one of ``articles`` ("the city", "a
    rebel-held town"); with ``bare``, only those no word of their own names ("the city", "the
    same town", not "the city of Aleppo" or "the northern city")."""
    settlements = _lexicon().settlement_nouns
    return {
        t.lemma_.lower() for t in sent
        if t.lemma_.lower() in settlements and t.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ in articles for c in t.children)
        and not (bare and any(
            c.dep_ in ("compound", "poss", "appos", "prep", "amod")
            and not (c.dep_ == "amod" and c.lower_ == "same")
            for c in t.children
        ))
    }


def _named_with(doc: Doc, mention: Mention, noun: str) -> bool:
    """True for a place name written with ``noun``: "Aleppo city", "the city of Aleppo"."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and written_with(span, noun)


def _borrowed_scene(analysis: Analysis, earlier: list[Mention]) -> Mention:
    """The place a sentence with none of its own takes from those before it: the last named,
    unless that only locates a town its sentence names ("air raids on the town of Manbij in
    northeastern Aleppo": the next sentence's "the town" is Manbij, not the province; "the
    raid that hit Khan Sheikhoun, a town south of the city of Idlib": the next sentence's planes
    struck Khan Sheikhoun)."""
    places = {place.id: place for place in analysis.places}
    last = max(earlier, key=lambda m: m.start)
    area = places.get(last.entity_id or "")
    doc = analysis.doc
    outer = doc.char_span(last.start, last.end, alignment_mode="expand") if doc else None
    if area is None or outer is None:
        return last
    inner = []
    for m in earlier:
        town = places.get(m.entity_id or "")
        if m.sentence_index != last.sentence_index or m is last or town is None:
            continue
        if town.geo_precision != 1 or town.country != area.country or town.id == area.id:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and (locates(outer, span) or located_beside(outer, span)):
            inner.append(m)
    return max(inner, key=lambda m: m.start) if inner else last


def _outside_earlier_acts(doc: Doc, trigger: Token, mentions: list[Mention]) -> list[Mention]:
    """The mentions not inside an act the trigger's news is measured from ("killed 17 on
    Saturday, a day after Moscow and Washington reached a truce": Moscow is no party to the
    raids); all of them for a trigger inside such an act."""
    if in_measured_earlier_act(trigger):
        return mentions
    kept = []
    sent = trigger.sent
    for mention in mentions:
        if not sent.start_char <= mention.start < sent.end_char:
            kept.append(mention)  # another sentence: no act of this one's
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or span.sent.start != trigger.sent.start or not (
            in_measured_earlier_act(span.root)
        ):
            kept.append(mention)
    return kept


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
