"""Territorial control claims: who gained, lost, holds or contests a place, and when.

Two sources of claims:

- events that change who holds a place (``Government regains territory``, ``Non-state actor
  overtakes territory``, ``Non-violent transfer of territory``);
- statements of control read from the dependency parse: "rebel-held Aleppo", "under rebel
  control", "under the control of IS", "held by IS", "Raqqa, which is controlled by IS",
  "besieged Daraya" (contested), "withdrew from X" / "fleeing X" (lost), "fleeing to Idlib",
  "continue the fight in Idlib" (holds, weakly).

The pattern that produced a claim is part of its provenance label (``sitreps.control.v1:held``)
and sets its ``confidence`` (:data:`PATTERN_CONFIDENCE`); queries rank disagreeing claims with
that field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sitreps.extract import sentence_source
from sitreps.knowledge.package import Knowledge, default_knowledge
from sitreps.records import FACTUAL_MODALITIES, Analysis, ControlClaim, Event, Mention

STAGE = "sitreps.control.v1"

# Sub-types whose winner gains a place and loser loses it, and those that cede it (ontology.toml);
# the stage reads them from the run's package, these are the built-in package's.
TERRITORY_SUB_TYPES = default_knowledge().sub_types(control="taken")
TRANSFER_SUB_TYPES = default_knowledge().sub_types(control="ceded")
# Forecasts, denials and hedges say nothing about who holds a place today: only claims of events
# of FACTUAL_MODALITIES (records.py) are read.
CHANGES = ("gained", "lost", "holds", "contested")

# Confidence by provenance pattern. Hand-set, not tuned: the control gold set does not exist yet.
# "flee_to"/"fight_in" only say that a group went somewhere to keep fighting, a weak hint.
PATTERN_CONFIDENCE: Mapping[str, float] = {
    "event": 0.8,
    "held": 0.7,
    "under_control": 0.7,
    "held_by": 0.75,
    "holder_lost": 0.6,
    "besieged": 0.6,
    "withdrew": 0.65,
    "fled": 0.5,
    "flee_to": 0.3,
    "fight_in": 0.3,
}
_PRONOUNS = frozenset({"PRP", "WP", "WDT"})


@dataclass(frozen=True, slots=True)
class ControlWords:
    """The words statements of control are read with, from one knowledge package (``[words]``
    of ``lexicon.toml`` and a user's knowledge files)."""

    held: frozenset[str]  # "rebel-held", as written
    hold: frozenset[str]  # "held by IS", lemmas
    siege: frozenset[str]
    leave: frozenset[str]
    flee: frozenset[str]
    fight: frozenset[str]

    @classmethod
    def of(cls, knowledge: Knowledge | None = None) -> ControlWords:
        """The control words of ``knowledge`` (the built-in package when ``None``)."""
        words = (knowledge or default_knowledge()).words
        return cls(
            held=words["held_words"], hold=words["hold_verbs"], siege=words["siege_verbs"],
            leave=words["leave_verbs"], flee=words["flee_verbs"], fight=words["fight_nouns"],
        )


BUILTIN_WORDS = ControlWords.of()


def claim_confidence(claim_or_stage: ControlClaim | str) -> float:
    """The confidence of a claim; for a bare provenance label (a claim stored before claims had a
    ``confidence`` field), from the pattern the label names.

    >>> claim_confidence("sitreps.control.v1:flee_to")
    0.3
    >>> claim_confidence("sitreps.control.v1")
    0.8
    """
    if not isinstance(claim_or_stage, str):
        return claim_or_stage.confidence
    stage = claim_or_stage
    pattern = stage.partition(":")[2] or "event"
    return PATTERN_CONFIDENCE.get(pattern, 0.5)


def claims_from_event(
    event: Event, knowledge: Knowledge | None = None
) -> tuple[ControlClaim, ...]:
    """The control claims one event implies: the winner gained the place, the loser lost it.

    ``knowledge``'s ontology says which sub-event types take a place (``control = "taken"``)
    and which cede it (``"ceded"``); the built-in package when ``None``.
    """
    if event.place_id is None or event.modality not in FACTUAL_MODALITIES:
        return ()
    sub = (knowledge or default_knowledge()).sub_event_types.get(event.sub_event_type)
    change = sub.control if sub is not None else None
    claims = []
    if change == "taken":
        if event.actor1:
            claims.append((event.actor1, "gained"))
        if event.actor2:
            claims.append((event.actor2, "lost"))
    elif change == "ceded" and event.actor1:
        claims.append((event.actor1, "lost"))
    return tuple(
        ControlClaim(
            place_id=event.place_id,
            controller=actor,
            change=change,
            date=event.event_date,
            sources=event.sources,
            stage=STAGE,
            confidence=PATTERN_CONFIDENCE["event"],
        )
        for actor, change in claims
    )


def extract_control(analysis: Analysis, config: Mapping[str, Any]) -> Analysis:
    """Add the control claims implied by territorial events and by statements of control.

    Args:
        analysis: an article with events and, for statements, ``doc`` and mentions.
        config: ``knowledge``, the run's package (the built-in one when absent or ``None``).
    Returns:
        a copy of ``analysis`` with ``control_claims`` added (duplicates dropped).
    """
    knowledge = config.get("knowledge")
    claims = [
        claim for event in analysis.events for claim in claims_from_event(event, knowledge)
    ]
    if analysis.doc is not None:
        words = BUILTIN_WORDS if knowledge is None else ControlWords.of(knowledge)
        claims += list(find_statement_claims(analysis, claims, words))
    unique = {(c.place_id, c.controller, c.change, c.sources[:1]): c for c in claims}
    return replace(analysis, control_claims=analysis.control_claims + tuple(unique.values()))


def find_statement_claims(
    analysis: Analysis, event_claims: Sequence[ControlClaim],
    words: ControlWords = BUILTIN_WORDS,
) -> Iterator[ControlClaim]:
    """Claims read from statements of control, one sentence at a time."""
    places = {p.id for p in analysis.places}
    place_mentions = [m for m in analysis.mentions if m.label == "PLACE" and m.entity_id in places]
    actor_mentions = [m for m in analysis.mentions if m.label == "ACTOR" and m.entity_id]
    for sent in analysis.doc.sents:
        source = sentence_source(analysis.article.id, sent)
        gains = {
            c.place_id: c for c in event_claims
            if c.change == "gained" and c.sources and c.sources[0].start == source.start
        }
        when = _sentence_date(analysis, source.start)
        for place_id, actor_id, change, pattern in find_sentence_claims(
            sent, place_mentions, actor_mentions, words
        ):
            gain = gains.get(place_id)
            if gain is not None and change == "holds":
                if gain.controller == actor_id:
                    continue
                # "won control of rebel-held Aleppo": the holder is the one who lost it.
                change, pattern, when_here = "lost", "holder_lost", gain.date
            else:
                when_here = when
            yield ControlClaim(
                place_id=place_id, controller=actor_id, change=change, date=when_here,
                sources=(source,), stage=f"{STAGE}:{pattern}",
                confidence=PATTERN_CONFIDENCE.get(pattern, 0.5),
            )


def _sentence_date(analysis: Analysis, start: int) -> date | None:
    """The date of the sentence's first dated event, else the article's publication date."""
    for event in analysis.events:
        if event.event_date and event.sources and event.sources[0].start == start:
            return event.event_date
    return analysis.article.published


def find_sentence_claims(
    sent: Any, place_mentions: Sequence[Mention], actor_mentions: Sequence[Mention],
    words: ControlWords = BUILTIN_WORDS,
) -> Iterator[tuple[str, str, str, str]]:
    """(place_id, actor_id, change, pattern) for each statement of control in a sentence."""
    for tok in sent:
        for finder in (find_held, find_under_control, find_held_by, find_siege, find_leaving):
            found = finder(tok, sent, place_mentions, actor_mentions, words)
            if found is not None:
                yield found
                break


def find_held(tok, sent, places, actors, words=BUILTIN_WORDS) -> tuple[str, str, str, str] | None:
    """ "rebel-held Aleppo", "the IS-held city of Raqqa" -> the actor holds the place."""
    if tok.lower_ not in words.held or tok.i < sent.start + 2 or tok.nbor(-1).text != "-":
        return None
    actor = _mention_at(tok.nbor(-2), actors)
    place = _place_near(tok.head, places) or _next_place(tok, sent, places)
    if actor and place:
        return place, actor, "holds", "held"
    return None


def find_under_control(
    tok, sent, places, actors, words=BUILTIN_WORDS
) -> tuple[str, str, str, str] | None:
    """ "X remains under rebel control", "under the control of IS" -> the actor holds X."""
    if tok.lower_ != "under" or tok.dep_ != "prep":
        return None
    control = next((c for c in tok.children if c.lemma_ == "control"), None)
    if control is None:
        return None
    actor = None
    for mod in control.subtree:
        if mod.i != control.i:
            actor = actor or _mention_at(mod, actors)
    place = _place_near(tok.head, places) or _subject_place(tok.head, places)
    if actor and place:
        return place, actor, "holds", "under_control"
    return None


def find_held_by(
    tok, sent, places, actors, words=BUILTIN_WORDS
) -> tuple[str, str, str, str] | None:
    """ "held by IS", "Raqqa, which is controlled by IS", "X is occupied by Y" -> Y holds X."""
    if tok.lemma_ not in words.hold or tok.tag_ != "VBN":
        return None
    agent = next((c for c in tok.children if c.dep_ == "agent"), None)
    if agent is None:
        return None
    actor = next(
        (a for a in (_mention_at(t, actors) for t in agent.subtree) if a is not None), None
    )
    if tok.dep_ in ("acl", "relcl", "amod"):
        place = _place_near(tok.head, places)
    else:
        place = _subject_place(tok, places)
    if actor and place:
        return place, actor, "holds", "held_by"
    return None


def find_siege(tok, sent, places, actors, words=BUILTIN_WORDS) -> tuple[str, str, str, str] | None:
    """ "troops besieged Daraya" -> the besieger contests Daraya."""
    if tok.lemma_ not in words.siege or tok.pos_ != "VERB" or tok.dep_ == "amod":
        return None
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
    place = _place_near(obj, places) if obj is not None else None
    actor = _agent_of(tok, sent, actors)
    if actor and place:
        return place, actor, "contested", "besieged"
    return None


def find_leaving(
    tok, sent, places, actors, words=BUILTIN_WORDS
) -> tuple[str, str, str, str] | None:
    """Withdrawing from or fleeing a place (lost); fleeing to or fighting on in one (holds)."""
    if tok.lemma_ in words.leave | words.flee:
        actor = _agent_of(tok, sent, actors)
        for child in tok.children:
            target = None
            if child.dep_ == "prep" and child.lower_ in ("from", "out"):
                target, change = _pobj_place(child, places), "lost"
            elif child.dep_ == "dobj" and tok.lemma_ in words.flee:
                target, change = _place_near(child, places), "lost"
            elif child.dep_ == "prep" and child.lower_ in ("to", "into", "towards"):
                target, change = _pobj_place(child, places), "holds"
            if target and actor:
                pattern = {"lost": "withdrew" if tok.lemma_ in words.leave else "fled",
                           "holds": "flee_to"}[change]
                return target, actor, change, pattern
        return None
    if tok.lemma_ == "continue" and tok.pos_ == "VERB":
        fight = next((c for c in tok.children
                      if c.dep_ == "dobj" and c.lemma_ in words.fight), None)
        if fight is None:
            return None
        for prep in (c for c in (*fight.children, *tok.children) if c.dep_ == "prep"):
            place = _pobj_place(prep, places) if prep.lower_ in ("in", "from") else None
            actor = _agent_of(tok, sent, actors)
            if place and actor:
                return place, actor, "holds", "fight_in"
    return None


def _mention_at(tok, mentions: Sequence[Mention]) -> str | None:
    """The entity id of the mention covering ``tok``."""
    if tok is None:
        return None
    for m in mentions:
        if m.start <= tok.idx < m.end:
            return m.entity_id
    return None


def _place_near(tok, places: Sequence[Mention]) -> str | None:
    """The place a noun names: itself, its compound, or "the town/city/much of X"."""
    if tok is None:
        return None
    found = _mention_at(tok, places)
    if found:
        return found
    for child in tok.children:
        if child.dep_ == "compound":
            found = _mention_at(child, places)
        elif child.dep_ == "prep" and child.lower_ == "of":
            found = _pobj_place(child, places)
        elif child.dep_ == "appos":
            found = _mention_at(child, places)
        if found:
            return found
    return None


def _next_place(tok, sent, places: Sequence[Mention]) -> str | None:
    """The first place named within three tokens after ``tok`` ("rebel-held east Aleppo")."""
    for following in sent[tok.i - sent.start + 1 : tok.i - sent.start + 4]:
        found = _mention_at(following, places)
        if found:
            return found
    return None


def _pobj_place(prep, places: Sequence[Mention]) -> str | None:
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return _place_near(obj, places)


def _subject_place(verb, places: Sequence[Mention]) -> str | None:
    subject = next(
        (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None
    )
    if subject is not None and subject.tag_ in _PRONOUNS and subject.head.dep_ == "relcl":
        subject = subject.head.head
    return _place_near(subject, places)


def _agent_of(verb, sent, actors: Sequence[Mention]) -> str | None:
    """Who does ``verb``: its subject up the xcomp/advcl chain, else the nearest earlier actor.

    The fallback resolves "they" in "rebels fleeing Aleppo ... as they seek to continue the
    fight" without a coreference model: the closest preceding actor in the sentence.
    """
    tok = verb
    for _ in range(4):
        if tok.dep_ == "acl":
            return _mention_at(tok.head, actors)
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            # "hundreds of rebels fled": the actor may sit inside the subject phrase.
            found = next(
                (a for a in (_mention_at(t, actors) for t in subject.subtree) if a), None
            )
            if found:
                return found
            if subject.tag_ not in _PRONOUNS:
                return None
            break
        if tok.dep_ not in ("xcomp", "advcl", "conj") or tok.head.i == tok.i:
            break
        tok = tok.head
    earlier = [m for m in actors if sent.start_char <= m.start < verb.idx]
    return earlier[-1].entity_id if earlier else None
