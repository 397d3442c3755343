"""Extraction stages: one module per concern, each a pure function over ``Analysis`` records."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from sitreps.records import Source

# Determiners that make a noun refer to what the text has told already ("the attack", "these
# militants"): grammar, not vocabulary, so not in the lexicon.
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})


def sentence_source(article_id: str, sent: Span) -> Source:
    """The provenance of a fact stated in ``sent``: its text without surrounding whitespace.

    spaCy sentences keep trailing newlines; a source quotes the sentence itself, and
    ``text[start:end] == sentence`` still holds.
    """
    # The events, relations and control stages all quote each sentence, and Span.text joins
    # its tokens in Python: the quote is made once per doc and sentence (issue 16).
    quotes = sent.doc.user_data.setdefault(_QUOTES_KEY, {})
    found = quotes.get((sent.start, sent.end))
    if found is None:
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        stripped = text.strip()
        found = quotes[(sent.start, sent.end)] = (stripped, start, start + len(stripped))
    return Source(article_id, *found)


# doc.user_data key of sentence_source's quotes: (start, end) token -> (text, start, end) chars.
_QUOTES_KEY = ("sitreps.sentence_source",)


# doc.user_data key of the doc's entities as plain ints (see sentence_ents).
_ENTS_KEY = ("sitreps.ents",)


def sentence_ents(sent: Span) -> list[Span]:
    """``sent.ents``, without building every entity of the doc at each call.

    spaCy's ``Span.ents`` makes a ``Span`` of each of the doc's entities and keeps those inside
    the sentence; asked for every trigger of every sentence that cost more than the date stage
    itself (issue 16). The doc's entities are read once, kept as ints in ``doc.user_data`` (a
    span there would tie the doc into a reference cycle), and made into the same spans.

    >>> import spacy
    >>> doc = spacy.blank("en")("Rebels shelled Homs on Tuesday .")
    >>> doc.ents = [Span(doc, 2, 3, "GPE"), Span(doc, 4, 5, "DATE")]
    >>> sentence_ents(doc[3:6]) == list(doc[3:6].ents)
    True
    >>> [(e.text, e.label_) for e in sentence_ents(doc[3:6])]
    [('Tuesday', 'DATE')]
    """
    doc: Doc = sent.doc
    entities = doc.user_data.get(_ENTS_KEY)
    if entities is None:
        entities = doc.user_data[_ENTS_KEY] = tuple(
            (ent.start, ent.end, ent.label, ent.kb_id, ent.id) for ent in doc.ents
        )
    start, end = sent.start, sent.end
    return [
        Span(doc, first, last, label=label, kb_id=kb_id, span_id=span_id)
        for first, last, label, kb_id, span_id in entities
        if first >= start and last <= end
    ]


_TEXT_KEY = ("sitreps.text",)


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined from the tokens once per doc (the actor and place stages both read
    it; each join walks every token in Python: issue 16).

    >>> import spacy
    >>> doc_text(spacy.blank("en")("Shelling hit  Homs."))
    'Shelling hit  Homs.'
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def hyphened_participle(token: Token) -> str:
    """The word glued by a hyphen after ``token`` ("held" for the "rebel" of "rebel-held"),
    lowercased, or "" when none follows.

    The events stage (who holds the place hit is no party to the act) and the actors stage (the
    modifier of "rebel-held" names the rebels) read this one shape, each with its words from the
    run's package (``held_words``, ``leading_words``).

    >>> import spacy
    >>> doc = spacy.blank("en")("the army-held districts")
    >>> hyphened_participle(doc[1]), hyphened_participle(doc[4])
    ('held', '')
    """
    doc = token.doc
    if token.i + 2 >= len(doc) or doc[token.i + 1].text != "-":
        return ""
    return doc[token.i + 2].lower_


def misread_is(token: Token) -> bool:
    """True for "IS" (the Islamic State) that the parser took for the verb "is" ("that IS
    executed 18 civilians"): in a sentence not written in capitals, "IS" is the group."""
    return token.text == "IS" and token.dep_ in ("aux", "auxpass") and not (
        token.sent.text.isupper()
    )


def opens_apart(text: str, openers: frozenset[str]) -> bool:
    """True for a sentence that opens by moving on to another incident ("Elsewhere in the
    country, ...", "In a separate attack, ..."), given the lexicon's ``apart_openers``."""
    return opener_end(text, openers) > 0


def opener_end(text: str, openers: frozenset[str]) -> int:
    """Where in ``text`` the longest of ``openers`` it opens with ends (0 for none): "In the
    south rockets set ..." ends its opener after "south"."""
    opening = text.lstrip(" \"'\u201c")
    low = opening.lower()
    found = [
        opener for opener in openers
        if low.startswith(opener) and not low[len(opener) : len(opener) + 1].isalpha()
    ]
    return len(text) - len(opening) + max(map(len, found)) if found else 0


def names_a_landmark(ent: Span, site_nouns: frozenset[str]) -> bool:
    """True for a town name that names a street, square or building ("Baghdad Station", "Busra
    Square"): a capitalised site noun follows it or ends the name the tagger took."""
    doc = ent.doc
    words = [doc[ent.end]] if ent.end < len(doc) else []
    if len(ent) > 1:
        words.append(ent[-1])
    return any(w.lower_ in site_nouns and w.text[:1].isupper() for w in words)


def title_case(sent) -> bool:
    """True for a headline with every word capitalised ("Police Find Guns In Raids"), where
    a capital says nothing about a name and the small model's parse of it is a guess."""
    words = [tok for tok in sent if tok.is_alpha and len(tok) > 3]
    return len(words) >= 3 and sum(tok.text[:1].isupper() for tok in words) >= 0.8 * len(words)


def split_name_tail(ent: Span, articles: frozenset[str]) -> bool:
    """True for the tail of a two-part name that the tagger split ("Daraa al-Balad", of which
    only "Balad" was kept): a proper noun joined by one of ``articles`` ("al-", the lexicon's
    ``name_articles``) to a capitalised name before it."""
    if ent.start < 3:
        return False
    doc = ent.doc
    joiner, article, name = doc[ent.start - 1], doc[ent.start - 2], doc[ent.start - 3]
    return (
        joiner.text == "-" and article.lower_ in articles
        and name.pos_ == "PROPN" and name.text[:1].isupper()
    )


_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})


def written_with(span: Span, noun: str) -> bool:
    """True for a place name written with a settlement noun: "Aleppo city", "the city of
    Aleppo" (``noun`` "city")."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 2 : span.start] if span.start >= 2 else None
    return after is not None and after.lemma_.lower() == noun or before is not None and (
        before[0].lemma_.lower() == noun and before[1].lower_ == "of"
    )


def describes_place(word: Token, place_nouns: frozenset[str], stop: Token | None = None) -> bool:
    """True for a word inside what a place is said to be: "Khan Sheikhoun, the site of a
    chemical attack in April" (an apposition of a place name or of one of ``place_nouns``) or
    "returned to the town where a gas attack killed 80" (a "where" clause on a place) name the
    place's past, not the means or the day of the act told ("the massacre ... where 40 were
    killed" tells the massacre). The climb stops at ``stop`` (the event's word)."""
    node = word
    for _ in range(8):
        if node.head.i == node.i or stop is not None and node.i == stop.i:
            return False
        head = node.head
        place = head.ent_type_ in _PLACE_ENTS or head.lemma_.lower() in place_nouns
        if node.dep_ == "appos" and place:
            return True
        if node.dep_ == "relcl" and _where_clause(node) and (
            place or head.ent_type_ in ("DATE", "TIME")  # "hit X on Sunday, where ..."
        ):
            return True
        node = head
    return False


def served_by_a_place(
    word: Token, place_nouns: frozenset[str], purpose_preps: frozenset[str]
) -> bool:
    """True for a word of an act named as the purpose of a clause that describes a place or
    site ("an airfield that had served as the staging ground for a gas strike", "the camp,
    which served as a base for raids"): the place's role, told to say what it is, not an act
    told, nor the means of one."""
    if word.pos_ in ("VERB", "AUX"):
        return False
    node, purpose = word, False
    for _ in range(8):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ == "pobj" and head.lower_ in purpose_preps:
            purpose = True
        if head.pos_ in ("VERB", "AUX"):
            break
        node = head
    else:
        return False
    return purpose and head.dep_ in ("relcl", "acl") and (
        head.head.ent_type_ in _PLACE_ENTS or head.head.lemma_.lower() in place_nouns
    )


def _where_clause(verb: Token) -> bool:
    return any(c.dep_ == "advmod" and c.lower_ == "where" for c in verb.children)


# The links a place or a day hangs on its act by: "hit the town of X", "strikes on X on Sunday"
_SCENE_DEPS = frozenset({"pobj", "prep", "dobj", "compound", "appos", "npadvmod", "nsubjpass"})


def told_aftermath(word: Token, act: Token) -> bool:
    """True for a "where" clause that tells what ``act`` did at the place it struck ("air
    strikes hit the town of Saraqeb, where 12 civilians were killed"): deaths with no doer,
    day or perfect of their own. "Where a car bomb killed 12 last year" and "where 300 have
    died since 2012" say what the place saw before; "returned to the town where 80 were
    killed" has no act to be the aftermath of."""
    if word.dep_ != "relcl" or not _where_clause(word):
        return False
    if any(c.dep_ in ("dobj", "agent") or c.lemma_ == "have" and c.dep_ == "aux"
           for c in word.children):
        return False
    if any(t.ent_type_ in ("DATE", "TIME") for t in word.subtree):
        return False
    node = word.head
    for _ in range(8):
        if node == act:
            return True
        if node.pos_ in ("VERB", "AUX") or node.dep_ not in _SCENE_DEPS or node.head == node:
            break
        node = node.head
    if node == act:
        return True
    doer = act.head.head if act.head.dep_ == "agent" else act.head  # "was hit by strikes"
    return doer == node and act.dep_ in ("nsubj", "nsubjpass", "pobj")


def told_of_an_act(word: Token, act_nouns: frozenset[str]) -> bool:
    """True for a word inside a "where" clause that tells the aftermath of the sentence's own
    act (:func:`told_aftermath`): "committed a massacre in the village of X, where 18 were
    killed in a barrel bomb attack" tells the massacre's bombing, not the village's past.
    ``act_nouns``: the nouns that name acts (the lexicon's noun triggers)."""
    node = word
    for _ in range(8):
        if node.dep_ == "relcl" and _where_clause(node):
            break
        if node.head.i == node.i:
            return False
        node = node.head
    else:
        return False
    where_verb, act = node, node.head
    if any(c.dep_ in ("nsubj", "csubj", "expl") for c in where_verb.children):
        return False  # "the city, where US-backed fighters are battling IS": a doer of its own
    for _ in range(8):
        if act.pos_ in ("VERB", "AUX") or act.lemma_.lower() in act_nouns and act.pos_ == "NOUN":
            return act.i != where_verb.i and told_aftermath(where_verb, act)
        if act.dep_ not in _SCENE_DEPS or act.head.i == act.i:
            return False
        act = act.head
    return False
