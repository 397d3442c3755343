"""Event-to-place linking: which of a sentence's places is where its event happened.

A place links to an event trigger by the dependency path between them (a locative preposition
under the trigger, a clause the trigger heads, an argument or a scene-setting phrase), ranked
from direct to unlinked; places that name no scene (a source's seat, a speaker, a government, a
venue of talks) are left out.

The words it reads (locative prepositions, place and site nouns, verbs of speech, meetings, news
agencies...) are ``lexicon.toml``'s, taken at call time from the lexicon of the run's package
(:func:`~sitreps.knowledge.event_lexicon.current_lexicon`, set by the events and places stages),
so a user's knowledge file can add to them; the grammar (dependency labels, parts of speech)
stays here.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Sequence

from sitreps.extract import served_by_a_place
from sitreps.geo.distance import haversine_km
from sitreps.geo.gazetteer import (
    _Row,
    get_gazetteer,
)
from sitreps.geo.resolve import NAME_PREFIX, NEAR_PREFIX
from sitreps.knowledge.event_lexicon import current_lexicon
from sitreps.records import Mention

# -- event location -------------------------------------------------------------------------------

NOMINAL_ARGS = frozenset({"nsubj", "nsubjpass", "dobj", "attr"})
# Clauses that state another predicate: a place inside one belongs to that predicate ("a law
# regulating associations in Bahrain", "he was shot and died later in Nashville"), not to the
# trigger above it.
CLAUSE_BOUNDARY_DEPS = frozenset({"relcl", "acl", "ccomp", "parataxis", "csubj", "pcomp"})
# Clauses a trigger may sit in and still happen where the clause above it happened: "were killed
# in Hama when an airstrike hit a market", "stormed a hotel in Kabul and killed 20", "began to
# shell Hama".
EVENT_CLAUSE_DEPS = frozenset({"advcl", "conj", "xcomp"})
# Link ranks (lower is closer). A place ranked UNLINKED hangs off another predicate or only names
# the event's participants ("a U.S. patrol"); it is not where the event happened.
LINK_DIRECT = 0.0
LINK_NESTED = 1.0
LINK_ARGUMENT = 2.0
LINK_SCENE = 2.5
LINK_ENCLOSING = 3.0
LINK_MODIFIER = 3.5
UNLINKED = 4.0
FOLDED_PENALTY = 1.0
# The event's own arguments: "shelled Arbin", "Aleppo was captured" name the place it happened.
_OBJECT_DEPS = frozenset({"dobj", "nsubjpass"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
# How many ordinary nouns a place may hang below before it describes them rather than the event:
# "killed tourists at the Bardo Museum in Tunis" (one) is the event's place, "part in the killing
# spree by Serb forces at Srebrenica" (three) is not. Subjects describe their actor sooner ("the
# head of ISIS forces in Tabqa was killed"). Tuned on the event_location dev half; re-run
# ``sitreps eval event_location`` and ``eval fakes`` after changing.
MAX_NOUN_HOPS = 2
MAX_SUBJECT_NOUN_HOPS = 1
# Sentence openers that may precede a scene-setting "In Aleppo, ..." ("Meanwhile, in Hama, ...").
_SCENE_OPENER_POS = frozenset({"CCONJ", "ADV", "PUNCT", "SCONJ"})


# Candidate places an event trigger is weighed against: the nearest ones in its sentence.
_MAX_CANDIDATES = 16


def event_place(
    doc,
    trigger_token,
    place_mentions: Sequence[Mention],
    also: Sequence = (),
    unlinked_fallback: bool = False,
) -> Mention | None:
    """Pick the mention of the place where an event (``trigger_token``) happened.

    Order of preference: places attached to the trigger by a locative preposition (in, at, near,
    on, outside, off, ...), then places nested in the trigger's own clause, then a sentence-opening
    scene ("In Vienna, thousands marched"), then a locative of the clause the trigger's clause
    hangs from ("killed in Hama when an airstrike hit"). Origins of motion ("fleeing Aleppo",
    "from Aleppo") are skipped, and so is any place reached only through another predicate's
    clause (a relative clause, a reported "said" clause, a second verb): such a sentence states
    no place for this event. A place that only locates another candidate ("Saraqeb in Idlib",
    "Syria's Aleppo province", "Taji, north of Baghdad") ranks just after it, and a place that
    only modifies a noun ("the Manbij campaign") ranks last; among equals the more specific place
    (town before province before country) and then the nearer one wins.

    Args:
        doc: the spaCy ``Doc``.
        trigger_token: the event's trigger ``Token``.
        place_mentions: candidate ``Mention`` records (character offsets into ``doc.text``).
        also: other tokens that report the same event (the death verb a strike was folded with).
        unlinked_fallback: with no linked place, take the best unlinked one instead of ``None``
            (for an article whose other sentences already show where the story is).

    Returns:
        The chosen mention, or ``None`` when no place in the sentence is linked to the event.
    """
    sent = trigger_token.sent
    if len(place_mentions) > _MAX_CANDIDATES:
        # A run-on "sentence" of thousands of tokens must not cost places x places per trigger;
        # the place of an event is never dozens of place names away from its trigger.
        place_mentions = heapq.nsmallest(
            _MAX_CANDIDATES, place_mentions, key=lambda m: abs(m.start - trigger_token.idx)
        )
    anchors = _event_anchors(trigger_token, ())
    folded = [a for a in _event_anchors(trigger_token, also) if a not in anchors]
    candidates = []
    for mention in place_mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or span.sent.start != sent.start:
            continue
        head = _place_attachment(span)
        if _is_origin(head):
            continue
        rank = _mention_rank(span, head, mention, anchors, folded)
        distance = abs(span.root.i - trigger_token.i)
        candidates.append([rank, _specificity(mention), distance, mention.start, mention, span])
    for cand in candidates:
        inner = [
            other for other in candidates
            if other is not cand and not _wider_locality_name(other, cand)
            and (
                # a town never locates a wider place ("close to Deir al-Zor city Syrias
                # SANA reported" misread as the town's country); an unresolved name may be a
                # village
                not cand[1] < other[1] < _UNRESOLVED and (
                    locates(cand[5], other[5]) or located_beside(cand[5], other[5])
                    or _named_before(cand[5], other[5])
                )
                or _wider_locality_name(cand, other)
                or (
                    other[0] < UNLINKED and contains_place(cand[4], other[4])
                    and _predicate_of(cand[5]) == _predicate_of(other[5])
                )
            )
        ]
        if inner:
            best = min(inner, key=lambda other: other[0])
            if cand[0] < UNLINKED <= best[0] and not _wider_locality_name(cand, best):
                # the parse linked the container, which only says where the place it locates
                # is ("in Eastern Ghouta district a suburb of Damascus", a run-on read as
                # "Damascus civil defense sources"): the place takes the link
                best[0] = cand[0]
            # A container ranks just behind the place it locates.
            cand[0] = max(cand[0], best[0] + 0.5)
    linked = [c for c in candidates if c[0] < UNLINKED] or (
        # "... left 100 killed according to the health directorate in Idlib province": where
        # a source sits places nothing it reports
        [c for c in candidates if not _attributed(c[5].root, sent.root)]
        if unlinked_fallback else []
    )
    if not linked:
        return None
    return min(linked, key=lambda c: c[:4])[4]


def _mention_rank(span, head, mention: Mention, anchors: Sequence, folded: Sequence = ()) -> float:
    """The closest link of a place span to any of the event's words (see the ``LINK_*`` ranks)."""
    rank = min(_link_rank(span, head, anchor) for anchor in anchors)
    # A folded word's links count one step less than the trigger's own ("killed in Syria
    # amid clashes ... in Aleppo province": the clashes' place is the event's).
    rank = min([rank, *(_link_rank(span, head, a) + FOLDED_PENALTY for a in folded)])
    if _modifies_thing(span):
        places_it = rank < UNLINKED and _modifier_places(span, mention)
        rank = LINK_MODIFIER if places_it else UNLINKED
    if hyphened_modifier(span):
        rank = UNLINKED
    return rank


def hyphened_modifier(span) -> bool:
    """True for a place in a hyphened adjective: "Iran-backed militias", "Hindi-speaking
    migrants", "Aleppo-based group" describe someone, they do not place the event."""
    root = span.root
    head = root.head
    doc = span.doc
    return (
        root.dep_ in ("npadvmod", "compound", "amod")
        and head.i == span.end + 1
        and doc[span.end].text == "-"
        and head.dep_ in ("amod", "compound")
        and head.pos_ in ("VERB", "ADJ")
    )


def territory_place(doc, trigger_token, place_mentions: Sequence[Mention]) -> Mention | None:
    """The place that changes hands in a territorial event, read from the trigger's own phrase.

    Who holds a place changes at the place the trigger governs: "captured Saraqeb", "Aleppo was
    captured", "expelled the group from Palmyra", "won control of ... Aleppo". The place it acts
    on comes first ("Gibraltar was captured from Spain": Spain lost it), then places after the
    trigger before scene-setting phrases ahead of it ("In Hama province, the army liberated the
    village of X"). The subject is the actor ("Israel captured the Golan"), and a place the
    trigger does not link ("captured and sent to a prison in Damascus", "captured ... in the
    1967 Middle East war") changes no hands.

    Returns:
        The mention, or ``None`` when the trigger's phrase links no place.
    """
    actors = {
        t.i for child in trigger_token.children if child.dep_ in _SUBJECT_DEPS
        for t in child.subtree
    }
    subtree = {t.i for t in trigger_token.subtree}
    candidates = []
    for mention in place_mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or span.root.i not in subtree or span.root.i in actors:
            continue
        head = _place_attachment(span)
        if _mention_rank(span, head, mention, [trigger_token]) >= UNLINKED:
            continue
        acted_on = head.head == trigger_token and head.dep_ in _OBJECT_DEPS
        # "Elsewhere in Syria, in Manbij, the SDF overran a junction": of the scenes set
        # before the trigger, the town changes hands, not the country
        candidates.append((
            (not acted_on, span.root.i < trigger_token.i, _specificity(mention), span.start),
            mention,
        ))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _event_anchors(trigger_token, also: Sequence) -> list:
    """The tokens whose attachments place the event: the trigger, its verb, folded triggers."""
    anchors = [
        trigger_token,
        *(t for t in also if t.sent.start == trigger_token.sent.start and not _later(t)),
    ]
    for token in anchors:  # grows: "forcing them to retreat" reaches the clause it ends
        if len(anchors) > 8:
            break
        # A nominal trigger ("an airstrike hit a market in Hama") shares its verb's attachments.
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in NOMINAL_ARGS:
            anchors.append(token.head)
        elif token.pos_ in ("NOUN", "PROPN") and token.dep_ == "pobj" and (
            token.head.dep_ == "agent"
        ):
            anchors.append(token.head.head)  # "a hospital in X was hit by Russian airstrikes"
        elif token.pos_ in ("NOUN", "PROPN") and token.dep_ == "pobj" and (
            token.head.lower_ == "with" and token.head.head.pos_ == "VERB"
        ):
            anchors.append(token.head.head)  # "Kafr Takharim was targeted with an airstrike"
        elif token.pos_ in ("NOUN", "PROPN") and token.dep_ == "pobj" and (
            token.head.lower_ == "of" and token.head.head.dep_ in NOMINAL_ARGS
            and token.head.head.lemma_.lower() in current_lexicon().burst_nouns
        ):
            anchors.append(token.head.head)  # "a salvo of missiles damaged a base in Homs"
        elif token.tag_ == "VBG" and token.dep_ == "advcl" and token.head.pos_ == "VERB" and (
            not any(c.dep_ in ("nsubj", "mark") for c in token.children)
        ):
            anchors.append(token.head)  # "jets hit Douma, killing four": the clause it ends
        elif token.pos_ == "VERB" and token.dep_ in ("xcomp", "ccomp") and (
            token.head.lemma_.lower() in current_lexicon().forcing_verbs
        ):
            anchors.append(token.head)  # "forcing the rebels to retreat": where they were forced
    return anchors


def _under_cause(tok, anchor) -> bool:
    """True when ``tok`` hangs below a cause preposition of ``anchor`` ("over the war in X")."""
    cause_preps = current_lexicon().cause_preps
    for _ in range(8):
        if tok == anchor or tok.head == tok:
            return False
        if tok.dep_ == "prep" and tok.lower_ in cause_preps and tok.head == anchor:
            return True
        tok = tok.head
    return False


def _link_rank(span, head, anchor) -> float:
    """How closely the place attached at ``head`` is linked to the event word ``anchor``."""
    prep = head.head if head.dep_ == "pobj" else None
    if anchor.lemma_.lower() in current_lexicon().protest_verbs and _under_cause(head, anchor):
        return UNLINKED  # "demonstrated against ... Libya": what is protested, not where
    lexicon = current_lexicon()
    if served_by_a_place(head, lexicon.place_or_site_nouns, lexicon.purpose_preps) and not (
        served_by_a_place(anchor, lexicon.place_or_site_nouns, lexicon.purpose_preps)
    ):
        return UNLINKED  # "an airfield, the staging ground for a strike on a town in Idlib"
    locative = prep is not None and prep.lower_ in current_lexicon().locative_preps
    if (
        locative and prep.head == anchor and _opens_sentence(prep) and prep.i < anchor.i
        and head.lemma_.lower() in current_lexicon().area_nouns
    ):
        # "In the province of Damascus, gunmen shelled the village of X": an opening area is
        # the scene, the village the event acts on is where it happened ("At Oxford St, ...
        # were killed" still names the very place).
        return LINK_SCENE
    if (locative and prep.head == anchor) or (
        head.dep_ == "npadvmod" and head.head == anchor and head.pos_ == "PROPN"
    ):
        return LINK_DIRECT
    if _governs(anchor, span.root):
        if _lost_comma_scene(span) and _in_main_clause(anchor):
            return LINK_SCENE
        if head.head == anchor and head.dep_ in _OBJECT_DEPS and _names_place(span, head):
            return LINK_DIRECT
        if _crosses_clause(head, anchor) or _attributed(head, anchor):
            return UNLINKED
        subject = _subject_side(head, anchor)
        if subject is not None:
            return _subject_rank(head, subject, anchor)
        if _noun_hops(head, anchor) > MAX_NOUN_HOPS:
            return UNLINKED
        return LINK_NESTED if locative and _governs(anchor, prep) else LINK_ARGUMENT
    if (
        locative and _opens_sentence(prep) and _in_main_clause(anchor)
        and _names_place(span, head)
    ):
        # "In Aleppo, ...", "In Homs province's countryside, ..." set the scene; "In Israel's
        # attempt to ..." names an actor's aim, not a place.
        return LINK_SCENE
    if locative and _encloses(prep.head, anchor):
        return LINK_ENCLOSING
    return UNLINKED


def _names_place(span, head) -> bool:
    """True when ``head`` is the place itself or a place noun it fills ("the villages of X")."""
    return head == span.root or head.lemma_.lower() in current_lexicon().place_or_site_nouns


def _subject_side(tok, anchor):
    """The anchor's subject that ``tok`` sits in, if it sits in one."""
    while tok.head != anchor and tok.head != tok:
        tok = tok.head
    return tok if tok.head == anchor and tok.dep_ in _SUBJECT_DEPS | {"nsubjpass"} else None


def _subject_rank(head, subject, anchor) -> float:
    """Rank a place in the anchor's subject: the actor ("Israel captured the Golan") is no place.

    The subject is the place only with no object to act on ("Aleppo fell to the rebels"); a place
    describing the subject ("protesters in Cairo marched") is a weak fallback.
    """
    if head == subject:
        acts_on = any(child.dep_ in ("dobj", "obj") for child in anchor.children)
        return UNLINKED if acts_on else LINK_ARGUMENT
    hops = _noun_hops(head, anchor)
    # "Hundreds of residents of Douma rallied": those who march do so where they live, unless
    # the sentence names where they marched
    marchers = anchor.lemma_.lower() in current_lexicon().protest_verbs
    if hops > (MAX_SUBJECT_NOUN_HOPS + 1 if marchers else MAX_SUBJECT_NOUN_HOPS):
        return UNLINKED
    return LINK_MODIFIER


def _noun_hops(tok, ancestor) -> int:
    """Ordinary nouns (not place or site nouns) between ``tok`` and ``ancestor``, both left out."""
    hops = 0
    tok = tok.head
    while tok != ancestor and tok.head != tok:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN") and lemma not in current_lexicon().place_or_site_nouns:
            hops += 1
        tok = tok.head
    return hops


def _attributed(tok, ancestor) -> bool:
    """True for a place in an attribution ("according to Kurdistan's security council")."""
    while tok != ancestor and tok.head != tok:
        if tok.lower_ == "according":
            return True
        tok = tok.head
    return False


def _modifier_places(span, mention: Mention) -> bool:
    """True when a place that modifies a noun still places it ("the Manbij campaign").

    A country modifying a noun is a nationality ("a U.S. patrol", "Syrian troops"), and a war
    or an accord named after a place ("the 1967 Middle East war") happened elsewhere or at
    another time.
    """
    if (mention.entity_id or "").startswith("country:"):
        return False
    return span.root.head.lemma_.lower() not in current_lexicon().naming_nouns


def _crosses_clause(tok, ancestor) -> bool:
    """True when climbing from ``tok`` to ``ancestor`` passes through another predicate's clause.

    A clause describing the event's own participants still places the event: "an attack
    targeting Hama", "a taxi parked in Florencia was detonated", "shot by gunmen who were hiding
    near his house in Narathiwat". A second verb with its own subject does not ("captured Shalit,
    and Israel has demanded ..."), nor the destination of a later move ("and sent to Damascus").
    """
    below = tok
    while tok != ancestor and tok.head != tok:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in current_lexicon().naming_verbs:
            return True
        if tok.pos_ in ("VERB", "AUX"):
            if tok.dep_ in CLAUSE_BOUNDARY_DEPS and not (
                tok.dep_ in ("acl", "relcl") and _participant(tok.head, ancestor)
            ):
                return True
            if tok.dep_ == "conj" and _second_predicate(tok, below, ancestor):
                return True
            if tok.dep_ == "advcl" and _contrasted(tok):
                return True
        below, tok = tok, tok.head
    return False


def _contrasted(verb) -> bool:
    """True for an adverbial clause with its own subject, set against the main clause, or told
    beside it with "as" when it tells no act of violence ("killed 43 on Saturday as US-backed
    fighters advanced towards Raqqa": another story's scene; "killed as jets pounded Douma" is
    the act's own)."""
    children = list(verb.children)
    lexicon = current_lexicon()
    own_subject = any(c.dep_ in _SUBJECT_DEPS | {"nsubjpass"} for c in children)
    if any(c.dep_ == "mark" and c.lower_ in lexicon.contrast_marks for c in children):
        return own_subject
    return own_subject and any(c.dep_ == "mark" and c.lower_ == "as" for c in children) and (
        verb.lemma_.lower() not in lexicon.verb_triggers
    )


def _later(verb) -> bool:
    """True for a verb modified by "later" or the like: a later stage than the event."""
    later = current_lexicon().later_words
    return any(c.dep_ == "advmod" and c.lower_ in later for c in verb.children)


def _second_predicate(verb, below, anchor) -> bool:
    """True for a conjoined verb that states a predicate of its own, not more of the event.

    "attacked and captured Aleppo" shares its event, and so does a second casualty verb of a
    casualty verb ("two were killed and several were injured in Kandahar": one toll). A verb
    with its own subject ("and Israel has demanded"), its own auxiliary ("have captured ... and
    have vowed to march into X", "were captured and are being held") or that moves someone
    elsewhere ("captured and deported to a camp at X", "arrested and taken to a prison in Y")
    does not.
    """
    if _adds_to_toll(verb, anchor):
        return False
    return (
        any(c.dep_ in _SUBJECT_DEPS | {"nsubjpass", "aux", "auxpass"} for c in verb.children)
        or below.lower_ in current_lexicon().destination_preps
        or verb.lemma_.lower() in current_lexicon().transfer_verbs
        or _later(verb)
    )


def _adds_to_toll(verb, anchor) -> bool:
    """True for a casualty verb that counts more victims of a casualty verb's event.

    "Two were killed and several were injured in Kandahar", "24 others wounded", "and three
    other civilians were injured in Aleppo": the second verb's subject, if any, is only a
    count. "... and in Abu Ghraib four people were hurt" sets a scene of its own, and may be a
    new incident.
    """
    # Casualty verbs that pair (``pairs`` in the run's package): conjoined, they report one toll.
    paired = current_lexicon().paired_verbs
    if verb.lemma_.lower() not in paired or anchor.lemma_.lower() not in paired:
        return False
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS | {"nsubjpass"}]
    counting = current_lexicon().toll_subjects
    if subjects and any(
        c.dep_ == "prep" and c.i < min(s.i for s in subjects) for c in verb.children
    ):
        return False  # "... and in Abu Ghraib four people were hurt": a scene of its own
    return all(
        s.pos_ in ("NUM", "PRON") or s.lemma_.lower() in counting
        # "and three other civilians were injured": more victims, counted
        or any(c.dep_ == "nummod" or c.lower_ in counting for c in s.children)
        for s in subjects
    )


def _participant(noun, anchor) -> bool:
    """True for the anchor itself, its object, or the object of a preposition it governs."""
    if noun == anchor:
        return True
    if noun.head == anchor and noun.dep_ in _OBJECT_DEPS:
        return True
    prep = noun.head
    return noun.dep_ == "pobj" and prep.head == anchor and prep.dep_ in ("prep", "agent")


def _opens_sentence(prep) -> bool:
    """True for a preposition that opens its sentence, after at most a connective."""
    for tok in prep.sent:
        if tok == prep:
            return True
        if tok.pos_ not in _SCENE_OPENER_POS:
            return False
    return False


def _lost_comma_scene(span) -> bool:
    """True for an opening place whose comma was lost: "In Daraa city rebels shelled a post".

    The parser hangs the place on the subject after it and leaves the opening "In" with no
    object; the place still sets the scene.
    """
    doc = span.doc
    before = span.start - 1
    while before >= span.sent.start and doc[before].pos_ == "DET":
        before -= 1
    if before < span.sent.start:
        return False
    prep = doc[before]
    return (
        prep.dep_ == "prep" and prep.lower_ in current_lexicon().locative_preps
        and _opens_sentence(prep) and not any(c.dep_ == "pobj" for c in prep.children)
    )


def _in_main_clause(token) -> bool:
    """True unless ``token`` sits in a reported, relative or subordinate clause of the sentence."""
    while token.head != token:
        if token.dep_ in ("ccomp", "relcl", "acl", "csubj", "advcl"):
            return False
        token = token.head
    return True


def _encloses(verb, anchor) -> bool:
    """True when ``anchor`` hangs from ``verb`` only through event-sharing clauses or arguments.

    "killed in Hama when an airstrike hit": the strike's clause (advcl) happened in Hama too;
    "officials in Damascus said rebels attacked" does not place the attack (ccomp), nor does
    "demonstrated in Tikrit, while a protest took place ..." place the protest.
    """
    if verb.pos_ not in ("VERB", "AUX") or not _governs(verb, anchor) or verb == anchor:
        return False
    tok = anchor
    while tok != verb:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in EVENT_CLAUSE_DEPS:
            return False
        if tok.dep_ in ("relcl", "acl", "ccomp", "csubj", "parataxis"):
            return False
        if tok.dep_ == "advcl" and _contrasted(tok):
            return False  # "killed in Hama, while a protest took place": another scene
        tok = tok.head
    return True


# How far up the tree a container may sit above the place it locates ("Taji, just north of
# Baghdad": Baghdad -> of -> north -> Taji).
_CONTAINER_DEPTH = 4


def locates(container, inner) -> bool:
    """True when the place ``container`` only locates ``inner`` (hangs below it in the tree)."""
    lexicon = current_lexicon()
    if container.root.dep_ == "appos" and container.root.head.lower_ in lexicon.locality_nouns:
        return False  # "the capital Minsk": the name is the place itself, not its container
    targets = set(range(inner.start, inner.end))
    attached = _place_attachment(inner)
    # "the Tuwaitha plant", "the city of Mosul": the noun is the place itself; in "Iraq's
    # terminal" it is not, so a place that locates the terminal does not locate Iraq.
    own_noun = container.root.dep_ == "compound" and container.root.head == attached
    if (
        inner.root.dep_ != "poss" and attached.lower_ in lexicon.place_or_site_nouns
        # "Makhmur district, northern Iraq": the district is Makhmur's, Iraq locates it
        and not own_noun
    ):
        targets.add(attached.i)
    tok = container.root
    for _ in range(_CONTAINER_DEPTH):
        if tok.head == tok:
            return False
        tok = tok.head
        if tok.i in targets:
            return True
        if container.start <= tok.i < container.end:
            continue
        if tok.pos_ == "VERB":
            return False
    return False


@functools.lru_cache(maxsize=8)
def _beside_pattern(
    settlements: frozenset[str], units: frozenset[str], bearings: frozenset[str],
    surrounds: frozenset[str] = frozenset(),
) -> re.Pattern:
    """What may stand between a place and the one that locates it: "near", "outside", "north
    of", "75 km to the east of", "village, 10 km south of", "village in the northern
    countryside of", "south of the city of", from the lexicon's words."""

    def alternatives(words: frozenset[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    around = (
        rf"|in the\s+(?:(?:{alternatives(bearings)})(?:ern)?\s+)?"
        rf"(?:{alternatives(surrounds)})\s+of"
    ) if surrounds else ""
    # "Eastern Ghouta, a suburb of Damascus", "Jobar district the eastern outskirts of the
    # capital": what the first place is, told by the second
    around += (
        rf"|(?:an?|the)\s+(?:(?:{alternatives(bearings)})(?:ern)?\s+)?"
        rf"(?:{alternatives(settlements | surrounds)})\s+of"
    )
    return re.compile(
        rf"^,?\s*(?:(?:{alternatives(settlements)})\s*,?\s*)?"
        r"(?:(?:about|some|around|just|nearly|roughly|approximately)\s+)?"
        rf"(?:\d+(?:[.,]\d+)?\s*(?:{alternatives(units)})\.?\s+(?:\([^()]*\)\s+)?)?"
        r"(?:to the\s+)?"
        rf"(?:near|outside|close to|(?:{alternatives(bearings)})(?:ern)?\s+of{around})"
        # "south of the city of Idlib", "near the town of Maarat al-Numan"
        rf"(?:\s+the\s+(?:{alternatives(settlements)})\s+of)?$"
    )


def _named_before(container, inner) -> bool:
    """True for a place run into the one after it with its comma lost ("in Aleppo Syria",
    "Douma Damascus countryside"): the parser hangs the first on the second, which only says
    where the first is."""
    return inner.end == container.start and inner.root.dep_ == "compound" and (
        container.start <= inner.root.head.i < container.end
    )


def located_beside(container, inner) -> bool:
    """True for "Jayrud near Damascus", "Taji, north of Baghdad", "Rasm al-Sabaa village some
    40 km east of Homs city", "the Malaah area northwest of Aleppo" written out, however the
    parser hangs the phrase: the second place only says where the first is."""
    if container.start <= inner.end:
        return False
    lexicon = current_lexicon()
    pattern = _beside_pattern(
        lexicon.settlement_nouns | lexicon.area_nouns, lexicon.distance_units,
        lexicon.bearing_words, lexicon.surrounds_words,
    )
    between = container.doc[inner.end : container.start].text.lower().strip()
    return bool(pattern.match(between))


def _wider_locality_name(container: list, inner: list) -> bool:
    """:func:`_names_locality` for two of :func:`event_place`'s candidates, when the name before
    the noun is the wider place (a region or country before a town: "the West Bank city of
    Nablus"). Of two towns the order is ambiguous ("the Mezzeh district of Damascus" names the
    district first), so they are left as they were. On the training sentences (issue 18) the
    rules went from 0.5888 to 0.5917 with it; with the two-town case too they fell to 0.5872."""
    return container[1] > inner[1] and _names_locality(container[5], inner[5])


def _names_locality(container, inner) -> bool:
    """True for a name before a locality noun whose own name follows in "of" ("the West Bank
    town of Jenin"): the first name may only locate the second.

    Kept to event linking (not :func:`locates`, which the places stage resolves names with):
    "the Tuwaitha plant", with no "of", is still the place itself.
    """
    noun = _place_attachment(inner)
    return (
        any(child.dep_ == "det" and child.i < container.start for child in noun.children)
        and container.root.dep_ in ("compound", "nmod")
        and container.root.head == noun
        and noun != _attachment(inner)
        and noun.lower_ in current_lexicon().place_or_site_nouns | current_lexicon().locality_nouns
    )


def _modifies_thing(span) -> bool:
    """True for a place used as a modifier of a non-place noun ("a U.S. patrol", "Israel's
    attempt")."""
    root = span.root
    return (
        root.dep_ in ("compound", "amod", "nmod", "poss")
        and not (span.start <= root.head.i < span.end)
        and root.head.pos_ == "NOUN"
        and root.head.lower_ not in current_lexicon().locality_nouns
        and root.head.lemma_.lower() not in current_lexicon().site_nouns
    )


def _place_attachment(span):
    """Like :func:`_attachment`, but "the city of Mosul" attaches where "city" attaches."""
    tok = _attachment(span)
    for _ in range(2):
        if not (tok.dep_ == "pobj" and tok.head.lower_ == "of"):
            break
        noun = tok.head.head
        localities = current_lexicon().locality_nouns
        is_place_noun = noun.lower_ in localities or noun.lemma_.lower() in localities
        if not is_place_noun or noun == noun.head:
            break
        tok = noun
        while tok.dep_ in ("conj", "appos") and tok.head != tok:
            tok = tok.head
    return tok


def _predicate_of(span) -> int:
    """The index of the verb a place hangs from (-1 for none): "demonstrated across Turkey as
    leaders gathered in Istanbul" names each place of its own predicate. A verb hung as a
    preposition ("across the province, including the village of X") is none."""
    tok = _place_attachment(span)
    for _ in range(12):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "prep":
            return tok.i
        if tok.head.i == tok.i:
            return -1
        tok = tok.head
    return -1


# How far from its centre an area of a few towns (a region such as Eastern Ghouta) reaches.
_AREA_REACH_KM = 30.0


def contains_place(outer: Mention, inner: Mention) -> bool:
    """True when ``outer`` is a province, a country or an area that holds the town ``inner``.

    "a rocket that fell on Jaramana city in Damascus Countryside", "a shell that struck Harasta,
    also in eastern Ghouta": however the parser hangs the wider name, it only says
    where the town is, like a syntactic container (:func:`locates`).
    """
    if not outer.entity_id or not inner.entity_id or outer.entity_id == inner.entity_id:
        return False
    rows = get_gazetteer().rows
    outer_row, inner_row = rows.get(outer.entity_id), rows.get(inner.entity_id)
    if outer_row is None or inner_row is None:
        return False
    wide, town = _Row._make(outer_row), _Row._make(inner_row)
    if town.geo_precision != 1 or wide.geo_precision < 2 or not town.country or (
        town.country != wide.country
    ):
        return False
    if outer.entity_id.startswith("country:"):
        return True
    if wide.feature_class.startswith("A.ADM1"):
        return bool(town.admin1) and town.admin1 == wide.admin1
    if None in (wide.latitude, wide.longitude, town.latitude, town.longitude):
        return False
    return town.admin1 == wide.admin1 and haversine_km(
        wide.latitude, wide.longitude, town.latitude, town.longitude
    ) <= _AREA_REACH_KM


# :func:`_specificity` of a name the gazetteer did not resolve.
_UNRESOLVED = 3


def _specificity(mention: Mention) -> int:
    """0 for a town or site, 1 for a province or region, 2 for a country, 3 when unresolved."""
    pid = mention.entity_id
    if not pid:
        return 3
    if pid.startswith("country:"):
        return 2
    if pid.startswith((NEAR_PREFIX, NAME_PREFIX)):
        # A named village placed at its container, or known by name only: still the most
        # specific name.
        return 0
    row = get_gazetteer().rows.get(pid)
    if row is None:
        return 3
    return 1 if _Row._make(row).geo_precision >= 3 else 0


def _attachment(span):
    """The token that attaches a place span to the tree: climb compounds, appositions, conjuncts.

    A span that opens with the article of an area noun after it ("the Jabal al-Torkman
    region", the name tagged with "the") attaches where the name does, not where the article
    hangs."""
    tok = span.root
    if tok.pos_ == "DET" and len(span) > 1 and tok.head.i >= span.end and (
        tok.head.lower_ in current_lexicon().area_nouns
    ):
        tok = span[1:].root
    while tok.dep_ in ("compound", "amod", "nmod", "conj", "appos", "poss") and tok.head != tok:
        if tok.dep_ == "conj" or tok.head.i >= span.end or tok.head.i < span.start:
            tok = tok.head
        else:
            break
    return tok


# Words for what lies around a town, not in it: "the outskirts of Aleppo", "the Damascus suburbs".
_AROUND_WORDS = frozenset({"outskirts", "vicinity", "environs", "suburbs"})


def placed_beside(span) -> bool:
    """True for a place that only locates the scene: "near Manbij", "outside Damascus", "around
    Damascus", "east of Homs", "on the outskirts of Aleppo", "in the suburbs of Beirut", "30
    km north of the capital", "west of the capital Damascus". ACLED codes such an event near
    the town (geo-precision 2), not in it; "in the east of the city" is inside it.
    """
    root = span.root
    if root.dep_ in ("compound", "nmod") and root.head.lower_ in _AROUND_WORDS | {"suburb"}:
        return True  # "in the Damascus suburbs", "on the Aleppo outskirts", "a Damascus suburb"
    head = _attachment(span)
    lexicon = current_lexicon()
    if head.dep_ == "appos" and head.head.lower_ in lexicon.locality_nouns:
        head = head.head  # "west of the capital Damascus": the capital is the name's
    if head.dep_ != "pobj":
        return False
    prep = head.head
    if prep.lower_ == "of":
        word = prep.head
        if word.lower_ in lexicon.bearing_words:
            # "in the east of the city" is inside it; "on a road west of the capital" (the
            # article the road's, run onto the bearing by the parse) is beside it
            return not any(child.dep_ == "det" for child in word.children) or any(
                child.dep_ == "compound" for child in word.children
            )
        if word.lower_ in _AROUND_WORDS:
            return True
        if word.lower_ not in lexicon.locality_nouns or word.dep_ != "pobj":
            return False
        prep = word.head  # "near the city of Manbij" is near Manbij
    return prep.lower_ in ("near", "outside", "nearby", "around") or (
        prep.lower_ == "to" and prep.head.lower_ in ("close", "next")
    )


def _is_origin(tok) -> bool:
    """True for "from X", for the object of a leaving verb ("fleeing Aleppo") and for where a
    doer is posted ("shells fired by terrorists positioned in A fell on B": fired from A)."""
    if tok.dep_ == "pobj" and tok.head.lower_ in current_lexicon().origin_preps:
        return True
    posted = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else None
    if posted is not None and posted.dep_ == "acl" and posted.tag_ == "VBN" and (
        posted.lemma_.lower() in current_lexicon().posting_verbs
    ):
        doer = posted.head  # the attacker posted there, not troops attacked where they are
        if doer.dep_ == "nsubj" or doer.dep_ == "pobj" and doer.head.dep_ == "agent":
            return True
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ == "out":
        return True
    return tok.dep_ in ("dobj", "obj") and tok.head.lemma_ in current_lexicon().departure_verbs


def _governs(ancestor, tok) -> bool:
    """True when ``ancestor`` dominates ``tok`` in the dependency tree."""
    return ancestor == tok or ancestor in tok.ancestors


# -- places that name no scene --------------------------------------------------------------------

# Roles in which a country's name stands for its government or forces: "Russia bombed",
# "Russia strikes", "Russia's jets".
ACTOR_DEPS = frozenset({"nsubj", "compound", "poss", "nmod", "amod", "npadvmod"})
_PLACE_ENT_TYPES = frozenset({"GPE", "LOC", "FAC"})


def names_no_scene(doc, mention: Mention, trigger=None) -> bool:
    """True for a place mention that says where no event of its article happened.

    Such a place must neither place an event of its own sentence nor be borrowed by another:
    an organisation's seat or founding place ("the UK based monitor", "a group based in the
    UK", "Launched in London in 1978", "the UK newspaper"), a country named as an actor
    ("Russia bombed", "Russia strikes kill", "a deal between Russia, Iran and Turkey",
    "brokered by the United States"), and the venue of a diplomatic meeting ("talks in
    Astana"), unless ``trigger`` is that meeting itself.

    Args:
        doc: the spaCy ``Doc``.
        mention: a PLACE mention (character offsets into ``doc.text``).
        trigger: the event's trigger ``Token``, when asking for one event.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Shelling hit Homs.")
    >>> names_no_scene(doc, Mention("a", 0, 13, 17, "Homs", "PLACE", None, "t"))
    False
    """
    # Asked once per event and place of a sentence, and again for the story's country: the
    # parse is read once per doc and mention (issue 16), only the trigger test runs each time.
    cache = doc.user_data.setdefault(_NO_SCENE_KEY, {})
    is_country = (mention.entity_id or "").startswith("country:")
    is_capital = (mention.entity_id or "") in get_gazetteer().capital_set
    key = (mention.start, mention.end, is_country, is_capital)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _no_scene_reading(
            doc, mention.start, mention.end, is_country, is_capital
        )
    verdict, venue = found
    if verdict:
        return True
    # Token indices, not tokens: a token in user_data would tie the doc into a reference cycle.
    return venue is not None and (
        trigger is None or trigger.doc is not doc or trigger.i not in venue
    )


# doc.user_data key of names_no_scene's answers (see sitreps.extract.structures for another).
_NO_SCENE_KEY = ("sitreps.names_no_scene",)


def _no_scene_reading(
    doc, start: int, end: int, is_country: bool, is_capital: bool = False
) -> tuple[bool, frozenset[int] | None]:
    """(the mention names no scene whatever the event, the token indices of the meeting it is
    the venue of, or ``None``)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False, None
    if _seat_of_source(span) or _speaker_or_seat(span):
        return True, None
    if is_country and _country_as_actor(span):
        return True, None
    if is_country and _compared_within(span):
        return True, None  # "the deadliest such attack in Syria for months"
    if _held_by_a_party(span):
        return True, None  # "fight Islamic State, which controls a third of Syria"
    if is_country and span.root.dep_ in ("compound", "poss") and (
        span.root.head.lemma_.lower() in ("border", "frontier", "boundary")
    ):
        return True, None  # "near the Lebanon border": where a country begins, not in it
    if is_capital and (_capital_as_government(span) or _speakers_capital(span)):
        return True, None  # "Washington is leading a coalition", "Moscow backs the regime"
    if not is_country and _names_a_group(span):
        return True, None  # "the Fateh al-Sham Front", "the Homs Military Council"
    role = _scene_role(span)
    if role.dep_ == "pobj" and role.head.dep_ == "agent":
        return True, None  # "a deal brokered by Moscow and Washington": a government, not a town
    venue = _meeting_venue(span)
    return False, None if venue is None else frozenset(token.i for token in venue)


def _names_a_group(span) -> bool:
    """True for a town's name inside a group's or an outlet's: "Fateh al-Sham Front" (al-Sham
    is a name of Damascus), "the Homs Military Council", "the Idlib News network". Its
    capitalised group or outlet noun after it gives it away; the name stays a toponym, but it
    places no act."""
    doc = span.doc
    if span.end >= len(doc):
        return False
    following = doc[span.end]
    if following.pos_ == "ADJ" and span.end + 1 < len(doc):
        following = doc[span.end + 1]  # "the Homs Military Council"
    lexicon = current_lexicon()
    return following.text[:1].isupper() and (
        following.lower_ in lexicon.group_nouns or following.lower_ in lexicon.outlet_nouns
    )


def _capital_as_government(span) -> bool:
    """True for a capital that is the subject of what a government does ("Washington is leading
    a coalition", "Moscow backs Assad", "Washington is not honest"), who is made to act
    ("prompting Ankara to launch") or a party beside a group ("between Ankara and the
    militants"), not of what befalls a city ("Damascus came under fire", "the road between
    Homs and Damascus")."""
    tok = _scene_role(span)
    if tok.dep_ == "dobj" and any(
        c.dep_ == "xcomp" and c.tag_ == "VB" for c in tok.head.children
    ):
        return True  # "prompting Ankara to launch an operation": who is made to act
    lexicon = current_lexicon()
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in lexicon.blaming_verbs:
        return True  # "Washington accused Moscow of responsibility": who is blamed
    if tok.dep_ in ("compound", "amod", "nmod") and (
        tok.head.lemma_.lower() in lexicon.government_nouns
    ):
        return True  # "Moscow defended its Damascus ally": the government, not the city
    if tok.dep_ == "nsubj" and tok.head.lemma_.lower() == "lose" and any(
        c.dep_ == "dobj" and (
            c.lemma_.lower() in lexicon.ground_units or c.lemma_.lower() in lexicon.armed_nouns
        )
        for c in tok.head.children
    ):
        return True  # "Damascus lost more than 40 troops": the government's losses
    if tok.dep_ == "pobj" and tok.head.lower_ == "between" and any(
        c.ent_type_ not in _PLACE_ENT_TYPES and c.pos_ in ("NOUN", "PROPN")
        for c in tok.conjuncts
    ):
        return True  # "tensions between Ankara and the Kurdish militants": two parties
    if tok.dep_ != "nsubj":
        return False
    verb = tok.head
    if verb.lemma_.lower() in current_lexicon().government_verbs:
        return True
    return verb.lemma_ == "be" and any(c.dep_ in ("acomp", "attr") for c in verb.children)


def _speakers_capital(span) -> bool:
    """True for a capital that opens a sentence as where a government speaks, when the
    sentence names another place: "In Washington the Pentagon confirmed eight strikes in Aleppo
    province" tells of Aleppo, not Washington."""
    tok = _scene_role(span)
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "in" or not _opens_sentence(prep):
        return False
    if prep.head.lemma_.lower() not in current_lexicon().speech_verbs:
        return False
    return any(
        ent.label_ in _PLACE_ENT_TYPES and not (ent.start <= tok.i < ent.end)
        for ent in span.sent.ents
    )


def _building_acted_on(noun) -> bool:
    """True for an embassy or consulate that is itself attacked ("a car bomb destroyed the
    embassy in Nairobi", "the consulate in Benghazi was stormed", "an attack on the embassy in
    Kabul"): the place it stands in is the scene. As a speaker ("the embassy in Kabul said",
    "a statement from the consulate in Erbil") it stays the government's seat, and so it does
    as a meeting point ("protests outside the embassy in London"), which in a story from
    elsewhere is seldom where its events happened."""
    if noun.lemma_.lower() not in current_lexicon().seat_buildings:
        return False
    if noun.dep_ in ("dobj", "nsubjpass"):
        return True
    return noun.dep_ == "pobj" and noun.head.lower_ in ("on", "against")


def _speaker_or_seat(span) -> bool:
    """True for a place named as a source's seat ("the Britain-based Observatory"), a speaker
    ("Russia says"), a government ("the regime in Damascus", "Damascus' promises") or in a legal
    aside ("outlawed in Russia")."""
    root = span.root
    if hyphened_modifier(span):
        return True
    lexicon = current_lexicon()
    if root.dep_ == "nsubj" and root.head.lemma_ in lexicon.speech_verbs:
        return True
    speaker = root.head
    if root.dep_ in ("compound", "poss") and speaker.pos_ == "NOUN" and (
        speaker.dep_ == "nsubj" and speaker.head.lemma_ in lexicon.speech_verbs
    ):
        return True  # "the Homs governor said five were killed": the speaker's office
    if root.dep_ in ("poss", "compound") and root.head.lemma_.lower() in lexicon.government_nouns:
        return True
    # "Positions in Idlib" are military positions there; only "Moscow's position" is a policy.
    if root.dep_ == "pobj" and root.head.lower_ in ("in", "from") and (
        root.head.head.lemma_.lower() in lexicon.government_nouns - {"position"}
    ):
        return not _building_acted_on(root.head.head)
    if root.dep_ == "pobj" and root.head.lower_ == "from" and _spoken_from(root.head.head):
        return True  # "the director said by telephone from Britain": where the speaker is
    return root.dep_ == "pobj" and root.head.lower_ == "in" and (
        root.head.head.lemma_ in lexicon.aside_verbs
    )


def _spoken_from(word) -> bool:
    """True for a verb of speech, or a means of it that hangs on one ("said by telephone",
    "speaking on the phone"): a place "from" which someone speaks is no scene."""
    lexicon = current_lexicon()
    speech = lexicon.speech_verbs | lexicon.reporting_verbs
    if word.pos_ == "NOUN" and word.dep_ == "pobj" and word.head.dep_ == "prep":
        word = word.head.head  # "by telephone from Britain", hung on the telephone
    return word.pos_ == "VERB" and word.lemma_.lower() in speech


def _scene_role(span):
    """The token whose role places the span: up through lists and appositions ("Russia, Iran
    and Turkey agreed", "in Homs, Syria", "the Kazakh capital Astana")."""
    tok = span.root
    for _ in range(6):
        if tok.head == tok:
            break
        # Text stripped of its commas parses "Russia Turkey and Iran" as compounds.
        listed = tok.dep_ == "compound" and tok.head.ent_type_ in _PLACE_ENT_TYPES
        if tok.dep_ not in ("conj", "appos") and not listed:
            break
        tok = tok.head
    return tok


def _seat_of_source(span) -> bool:
    """True for a place named as an organisation's seat, founding place or outlet's country, a
    dateline or a word of a newspaper's name."""
    doc = span.doc
    after = doc[span.end : span.end + 2]
    following = [t for t in after if t.text not in ("(", "-", "–")][:1]
    lexicon = current_lexicon()
    if following and following[0].lower_ in lexicon.news_agencies and (
        following[0].text.isupper() or following[0].text in ("Reuters", "Sputnik", "Interfax")
    ):
        return True
    if after and after[0].is_title and after[0].lower_ in lexicon.masthead_words:
        return True
    if _bare_dateline(span):
        return True
    if after and (
        after[0].lower_ in lexicon.seat_words
        or (len(after) == 2 and after[0].text == "-" and after[1].lower_ in lexicon.seat_words)
    ):
        return True
    tok = _scene_role(span)
    head = tok.head
    if tok.dep_ in ("compound", "poss", "amod", "nmod"):
        noun = head.head if head.pos_ == "PROPN" and head.dep_ == "compound" else head
        if noun.lemma_.lower() in lexicon.source_nouns:
            return True
    if tok.dep_ != "pobj" or head.lower_ not in ("in", "at"):
        return False
    verb = head.head
    lemma = verb.lemma_.lower()
    if verb.tag_ != "VBN" or any(child.dep_ in ("dobj", "obj") for child in verb.children):
        return False
    if lemma in lexicon.seat_verbs:
        return True
    # "launched in Idlib on Monday" is an offensive; "launched in London in 1978" a newspaper.
    return lemma in lexicon.founding_verbs and any(
        _year_phrase(child) for child in verb.children if child.dep_ == "prep"
    )


def _bare_dateline(span) -> bool:
    """True for a dateline whose dash was lost: the text opens with a place that modifies the
    next noun phrase ("Beirut Syrian government air strikes on ... killed 44")."""
    doc = span.doc
    if span.start != 0 or span.end >= len(doc):
        return False
    root, following = span.root, doc[span.end]
    return (
        root.dep_ in ("nmod", "compound", "npadvmod")
        and root.head.i >= span.end
        and (following.is_title or following.is_upper)
        and following.ent_type_ != root.ent_type_
    )


def _year_phrase(prep) -> bool:
    """True for "in 1978": a preposition whose object is a bare year."""
    return any(
        child.dep_ == "pobj" and child.like_num and len(child.text) == 4 for child in prep.children
    )


def _country_as_actor(span) -> bool:
    """True when a country's name is a party, not a place: a subject ("Russia bombed"), a
    modifier of a non-place noun ("Russia strikes", "U.S. raids") or the object of "by",
    "between", "with" ("brokered by the United States")."""
    tok = _scene_role(span)
    head = tok.head
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.tag_ in ("WDT", "WP") and after.dep_ == "nsubj" and (
        after.head.pos_ == "VERB" and after.head.lemma_ != "be"
    ):
        return True  # "allies including Russia which fired volleys": the subject of a clause
    if tok.dep_ == "pobj":
        return head.lower_ in current_lexicon().actor_preps
    if tok.dep_ not in ACTOR_DEPS or tok == head:
        return False
    if tok.dep_ == "nsubj":
        return True
    # "Syria's Idlib province", "the Syria border": the country locates a place.
    return (
        head.lemma_.lower() not in current_lexicon().place_or_site_nouns
        and head.ent_type_ not in _PLACE_ENT_TYPES
    )


def _compared_within(span) -> bool:
    """True for a country a superlative ranks an act within ("the deadliest such incident in
    Syria", "the worst attack in Iraq since 2016"): the field of the comparison, which says
    no more of where the act happened than the article's other places do."""
    tok = _scene_role(span)
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "in":
        return False
    noun = prep.head
    return noun.pos_ == "NOUN" and any(
        c.dep_ == "amod" and (
            c.tag_ == "JJS" or c.lower_ in ("first", "last")
            or any(g.lower_ == "most" for g in c.children)
        )
        for c in noun.children
    )


def _held_by_a_party(span) -> bool:
    """True for a place a party's relative clause says it holds ("to fight Islamic State,
    which controls a third of Syria", "the Kurdish YPG, who hold most of the border"): it
    describes the party, not where the act happened. A place's own clause ("Raqqa, which IS
    controls") and a passive ("which is held by IS") keep it."""
    tok = _scene_role(span)
    for _ in range(4):  # up through "a third of", "most of", "parts of"
        if tok.dep_ != "pobj" or tok.head.lower_ != "of" or tok.head.head == tok.head:
            break
        tok = tok.head.head
    verb = tok.head
    if tok.dep_ != "dobj" or verb.dep_ not in ("relcl", "ccomp") or verb.lemma_.lower() not in (
        current_lexicon().hold_verbs
    ):
        return False
    pronoun = next(
        (c for c in verb.children if c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP")), None
    )
    if pronoun is None or pronoun.i == 0:
        return False
    # the noun the clause hangs on, or (parsed as a clause of the verb before it, "to fight
    # Islamic State which controls ...") the noun just before its pronoun
    party = verb.head if verb.dep_ == "relcl" else span.doc[pronoun.i - 1]
    return (
        party.pos_ in ("NOUN", "PROPN")
        and party.ent_type_ not in _PLACE_ENT_TYPES
        and (party.ent_type_ != "" or party.lemma_.lower() not in (
            current_lexicon().place_or_site_nouns
        ))  # "Islamic State" is tagged a party, though "state" is a place noun
    )


def _meeting_venue(span) -> list | None:
    """The tokens of the meeting a place is the venue of ("talks in Astana", "hosted
    negotiations in the Kazakh capital Astana"), or ``None``."""
    tok = _scene_role(span)
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "at"):
        return None
    holder = tok.head.head
    meetings = current_lexicon().meeting_words
    # "talks between both sides in Kazakhstan": the venue hangs below the meeting's noun phrase.
    for _ in range(3):
        if holder.pos_ in ("VERB", "AUX") or holder.lemma_.lower() in meetings:
            break
        if holder.dep_ not in ("pobj", "prep") or holder.head == holder:
            break
        holder = holder.head
    related = [holder]
    if holder.pos_ in ("VERB", "AUX"):
        related += [c for c in holder.children if c.dep_ in NOMINAL_ARGS | {"nsubjpass"}]
        if holder.dep_ == "xcomp":
            # "a meeting is set to take place in Lausanne"
            related += [c for c in holder.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    meeting = [t for t in related if t.lemma_.lower() in meetings or t.lower_ in meetings]
    return [holder, *meeting] if meeting else None
