"""The places stage: every GPE/LOC/FAC entity becomes a PLACE mention, resolved where possible.

Reads ``analysis.doc`` (with an EntityRuler from :func:`sitreps.nlp.add_place_ruler`
before ``ner``, place entities carry their gazetteer id in ``ent.ent_id_``) and adds ``Mention``
records plus the resolved ``Place`` records to a copy of the analysis.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Span

from sitreps.extract import doc_text, names_a_landmark, split_name_tail, title_case
from sitreps.extract.locate import (
    _CONTAINER_DEPTH,
    _place_attachment,
    located_beside,
    locates,
    names_no_scene,
    placed_beside,
)
from sitreps.geo.distance import haversine_km
from sitreps.geo.gazetteer import (
    CONFLICT_COUNTRIES,
    FEATURE_CITY,
    Gazetteer,
    gazetteer_for,
    get_gazetteer,
    normalise_toponym,
)
from sitreps.geo.patterns import PATTERN_CONFLICT_MIN_POPULATION
from sitreps.geo.resolve import (
    NEAR_PREFIX,
    STOPLIST,
    Toponym,
    approximate_place,
    is_unlisted,
    resolve_with_namesakes,
    unlisted_place,
)
from sitreps.knowledge.event_lexicon import EventLexicon, current_lexicon, reading_lexicon
from sitreps.knowledge.package import Knowledge, default_knowledge, derived
from sitreps.records import Analysis, Mention, Place

STAGE = "sitreps.places.v1"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
DEFAULT_CONFIG: dict = {"labels": sorted(PLACE_LABELS)}

# Tokens that may stand between a place and its container: "Saraqeb, Idlib", "Saraqeb in Idlib".
_CONTAINER_LINKS = frozenset({",", "in", "of"})


def find_place_entities(
    doc,
    labels: frozenset[str] = PLACE_LABELS,
    gazetteer: Gazetteer | None = None,
    unlisted: bool = False,
) -> list:
    """The entity spans that may name places, less one-word towns inside a person's name.

    A name the model calls a person or an organisation is still a place after "the village
    of" or before "village", or when it follows "in"/"at"/"near" and the gazetteer knows the
    name exactly: the small model tags most unfamiliar towns that way ("bombed an office at
    Birgunj"). With ``unlisted`` (places known by name only, see
    :func:`place_unlisted_names`), such a name placed by the words around it is kept even
    when the gazetteer does not know it ("militants stormed the Harfoush Cement Factory").
    """
    found = [
        ent for ent in map(_without_distance, doc.ents)
        if not _names_an_act(ent) and (
            ent.label_ in labels and not is_name_part(ent) and not is_common_noun(ent)
            and not _name_goes_on(ent) and not _name_goes_back(ent, gazetteer))
        or named_as_place(ent)
        or (gazetteer is not None and _misread_as_people(ent, gazetteer))
        or (gazetteer is not None and placed_by_wording(ent, gazetteer))
        or (unlisted and placed_by_wording_only(ent))
        or (gazetteer is not None and lost_apostrophe(ent, gazetteer))
    ]
    if gazetteer is not None:
        found = sorted(
            [*found, *find_untagged_places(doc, gazetteer, unlisted)],
            key=lambda span: span.start,
        )
    settlements = find_named_settlements(doc, found)
    # A whole village name replaces the entity that held only part of it ("Umm Batna" is not
    # Batna in Algeria).
    kept = [
        ent for ent in found
        if not any(s.start <= ent.start and ent.end <= s.end for s in settlements)
    ]
    return sorted(
        [
            _without_bearing(e) for e in (*kept, *settlements)
            if not _stance_prefix(e) and not _COMPASS_ABBREVIATION.fullmatch(e.text)
        ],
        key=lambda span: span.start,
    )


# A headline's bearing, "Clashes with Kurds in NE Syria": no town of that name (it read as
# Nairn, whose alternate names hold it).
_COMPASS_ABBREVIATION = re.compile(r"[NS][EW]|NNE|ENE|ESE|SSE|SSW|WSW|WNW|NNW")


def _without_bearing(ent: Span) -> Span:
    """The entity less a bearing the tagger ran into it: "the town of |Dumeir east| of
    Damascus" names Dumeir, east of Damascus. A capitalised one is part of the name ("the
    Middle East of today")."""
    doc = ent.doc
    bearings = current_lexicon().bearing_words
    if len(ent) < 2 or ent[-1].text not in bearings or ent.end >= len(doc) or (
        doc[ent.end].lower_ != "of"
    ):
        return ent
    return Span(doc, ent.start, ent.end - 1, label=ent.label_, kb_id=ent.kb_id_, span_id=ent.id_)


def _without_distance(ent: Span) -> Span:
    """The entity less a distance the tagger ran into it: "|Hassia 40 km| (25 miles) south of
    Homs" names Hassia."""
    units = current_lexicon().distance_units
    if len(ent) < 3 or ent[-1].lower_ not in units or not ent[-2].like_num:
        return ent
    end = ent.end - 2
    if end <= ent.start:
        return ent
    return Span(ent.doc, ent.start, end, label=ent.label_, kb_id=ent.kb_id_, span_id=ent.id_)


def _names_an_act(ent: Span) -> bool:
    """True for a headline's act the tagger took for a facility ("Killed in |Barrel Bomb
    Attack| on Rural Aleppo"): a name that ends in an act noun ("attack", "strike") and that
    no gazetteer pattern tagged names no place."""
    if ent.ent_id_ or ent.label_ == "GPE" or len(ent) < 2:
        return False
    return ent[-1].lower_ in current_lexicon().noun_triggers


def _stance_prefix(ent) -> bool:
    """True for a name in a stance word ("pro-Damascus media", "anti-Kiev rebels"): a side
    taken, not a place."""
    doc = ent.doc
    return ent.start >= 2 and doc[ent.start - 1].text == "-" and (
        doc[ent.start - 2].lower_ in ("pro", "anti")
    )


def find_named_settlements(doc, taken: list) -> list:
    """Names after "the village of" that the model left untagged or tagged only in part.

    The small model misses most village names ("the village of Ashmi") or keeps half of one
    ("Sheikh Najjar" becomes the person "Najjar", "Umm Batna" the Algerian city "Batna"); the
    wording alone says a place follows. The name is the run of proper nouns after "of", joined
    by hyphens and articles ("Dahiyat al-Assad"). A run that a place entity already covers
    whole, or that cuts one, is left to that entity.
    """
    from spacy.tokens import Span

    spans = []
    for tok in doc:
        # "the village of X", not "City of Oxford Yard Waste" or "'City of Seekers' tour",
        # where the capitalised noun is part of another name.
        if not (
            tok.lower_ == "of" and tok.i > 0
            and doc[tok.i - 1].text in current_lexicon().settlement_nouns
        ):
            continue
        end = tok.i + 1
        while end < len(doc) and _in_settlement_name(doc, end, tok.i + 1):
            end += 1
        while end > tok.i + 1 and not doc[end - 1].text[:1].isupper():
            end -= 1  # a name ends on a capitalised word, not on "al-" or a hyphen
        if end == tok.i + 1:
            continue
        overlapping = [ent for ent in taken if ent.start < end and tok.i + 1 < ent.end]
        # A known place ends the name ("Umm Batna"); words after it are not part of it.
        inside = all(
            tok.i + 1 <= ent.start and ent.end <= end
            and (ent.end == end or ent.label_ not in PLACE_LABELS)
            for ent in overlapping
        )
        if inside and not any(e.start == tok.i + 1 and e.end == end for e in overlapping):
            spans.append(Span(doc, tok.i + 1, end, label="GPE"))
    return spans


# Entity labels that never continue a place name.
_NOT_NAME_PARTS = frozenset(
    "DATE TIME CARDINAL ORDINAL QUANTITY MONEY PERCENT ACTOR".split()
)


def _in_settlement_name(doc, i: int, start: int) -> bool:
    """True when token ``i`` continues a place name that began at ``start``."""
    tok = doc[i]
    if tok.ent_type_ in _NOT_NAME_PARTS:
        return False  # "the city of Aleppo Monday": a date ends the name
    if tok.pos_ == "PROPN" and tok.text[:1].isupper():
        return True
    if i > start and tok.text[:1].isupper() and tok.pos_ in ("NOUN", "ADJ") and (
        tok.ent_iob_ == "I"
    ):
        # "the neighborhood of Bab Alnairab": the tagger reads a part of one entity as an
        # adjective ("the city of Deir al-Zor Syrias SANA ..." ends at the name)
        return True
    # "al-Assad", "Kafr-Nabl": an article or hyphen inside the name, never its first word.
    return i > start and (tok.text == "-" or tok.lower_ in current_lexicon().name_articles)


# Labels the small model gives unfamiliar town names ("in Magam town" as a nationality, "in
# Thessaloniki" as a work of art); a name of one of these, used as a place and known to the
# gazetteer by its exact name, is a place (issue 18: 195 gold event places of the training
# sentences were such names, none of them a candidate).
_MISTAGGED_LABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"})
# Words that may stand between a locative preposition and its name: "in nearby Eerde", "in
# Serb-held Vogosca", "in downtown Calais". Not an article: "near the Acropolis", "at the
# Pentagon" name landmarks, which the gazetteer knows only as namesake towns.
_BETWEEN_DEPS = frozenset({"amod", "compound", "punct", "advmod", "nmod", "npadvmod"})


def _locative_object(span, preps: frozenset[str] | None = None) -> bool:
    """True for a name that is the object of a locative preposition a few words before it
    ("at Birgunj", "in rebel-held Bouake"), the modifiers between being no nouns of their own.
    ``preps``: the prepositions that count (the lexicon's ``name_preps`` by default)."""
    root = span.root
    prep = root.head
    if root.dep_ != "pobj" or prep.i >= span.start or (
        prep.lower_ not in (current_lexicon().name_preps if preps is None else preps)
    ):
        return False
    between = span.doc[prep.i + 1 : span.start]
    # An opening quote makes the name a title ("a role in 'Hart of Dixie'").
    return len(between) <= 4 and all(
        tok.dep_ in _BETWEEN_DEPS and not tok.is_quote
        and (tok.pos_ != "PROPN" or (tok.i + 1 < span.start and tok.nbor(1).text == "-"))
        for tok in between
    )


def located_by_preposition(ent, gazetteer: Gazetteer) -> bool:
    """True for a mistagged name that is a locative object and a gazetteer name, unfuzzed.

    Not a nationality's ("constituents in Bains and Grants Town": a Bahamian district, not the
    French town) or a title's ("a role in 'Hart of Dixie'"): after a preposition they are more
    often words of a longer name than a town.
    """
    if ent.label_ not in _MISTAGGED_LABELS - {"NORP", "WORK_OF_ART"} or ent.start == 0:
        return False
    if _locative_object(ent, current_lexicon().war_town_preps):
        # "a letter from Kerry": after "from" or "against" a person's name stays a person
        return ent.label_ != "PERSON" and _known_exactly(ent.text, gazetteer) and (
            _war_town(ent.text, gazetteer)
        )
    return _locative_object(ent) and _known_exactly(ent.text, gazetteer)


def _town_read_as_date(ent, gazetteer: Gazetteer) -> bool:
    """True for a town's name the small model tagged as a date ("shelling in Mayadeen"): proper
    nouns with no digit, no month, weekday or feast among them, after a locative preposition,
    held by the gazetteer as a town of a country at war (as after "from" or "against")."""
    from sitreps.extract.dates import MONTHS, WEEKDAYS

    lexicon = current_lexicon()
    calendar = lexicon.calendar_names
    words = [tok for tok in ent if tok.text != "-" and tok.lower_ not in lexicon.name_articles]
    if not words or ent.start == 0 or any(
        tok.pos_ != "PROPN" or not tok.is_alpha or tok.lower_ in calendar
        or tok.lower_.rstrip(".") in MONTHS or tok.lower_ in WEEKDAYS
        for tok in words
    ):
        return False
    return _locative_object(ent) and _known_exactly(ent.text, gazetteer) and (
        _war_town(ent.text, gazetteer)
    )


def _listed_with_place(ent) -> bool:
    """True for a name joined by "and"/"or" to a place name before it ("Azaz and Marea")."""
    root = ent.root
    first = root.head
    return root.dep_ == "conj" and first.i < ent.start and first.ent_type_ in ("GPE", "LOC") and (
        any(c.dep_ == "cc" for c in first.children)
    )


def _war_town(text: str, gazetteer: Gazetteer) -> bool:
    """True for a name the gazetteer holds, as spelled, as a town of a country at war big
    enough for the ruler to list (not a hamlet whose transliteration is an English name)."""
    return any(
        (row := gazetteer.rows.get(pid)) is not None and row[5] == FEATURE_CITY
        and row[1] in CONFLICT_COUNTRIES and row[6] >= PATTERN_CONFLICT_MIN_POPULATION
        for pid in gazetteer.candidate_ids(text, fuzzy=False)
    )


def lost_apostrophe(ent, gazetteer: Gazetteer) -> bool:
    """True for a place's possessive whose apostrophe the page lost ("Aleppos eastern
    districts", "Idlibs countryside"): one word ending in "s" that the gazetteer does not know,
    whose stem it knows as spelled, before a lower-case word, on a page with no apostrophe
    at all (where a page keeps its apostrophes, "Hawkins county" is a name of its own)."""
    if len(ent) != 1:
        return False
    tok = ent[0]
    text = tok.text
    if not (len(text) > 4 and text.endswith("s") and text[:1].isupper() and text.isalpha()):
        return False
    page = doc_text(ent.doc)  # Doc.text joins every token: read it once per doc
    if "'" in page or "\u2019" in page:
        return False
    following = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if following is None or not (following.is_alpha and following.is_lower):
        return False
    return not gazetteer.candidate_ids(text, fuzzy=False) and _known_exactly(text[:-1], gazetteer)


def _known_exactly(text: str, gazetteer: Gazetteer) -> bool:
    """True for a name the gazetteer holds as spelled (no fuzzy match), that is no demonym
    ("Kurdish") and no stoplisted word."""
    return (
        text.lower() not in STOPLIST
        and not text.isupper()  # an acronym ("the SME sector"), not a town
        and not gazetteer.is_place_adjective(text)
        and bool(gazetteer.candidate_ids(text, fuzzy=False))
    )



def placed_by_wording(ent, gazetteer: Gazetteer) -> bool:
    """True for a mistagged name that the sentence uses as a place and the gazetteer knows.

    The small model tags most unfamiliar towns as people or organisations (or nationalities,
    products, works of art); the wording gives them away: a locative preposition ("at
    Birgunj"), an area word after the name ("Makhmur district"), or a verb that takes places
    ("captured Badme", ORG names only; "entered Al-Bab" for people's names too). The exact
    name must be in the gazetteer (no fuzzy match), so an unknown company stays a company.
    """
    if located_by_preposition(ent, gazetteer):
        return True
    if ent.label_ == "DATE":
        return _town_read_as_date(ent, gazetteer)
    if ent.label_ in _MISTAGGED_LABELS and _listed_with_place(ent):
        return _known_exactly(ent.text, gazetteer)  # "the towns of Azaz and nearby Marea"
    if ent.label_ in ("PERSON", "ORG") and len(ent) > 1 and (
        ent[0].lower_ in current_lexicon().toponym_heads
    ):
        return _known_exactly(ent.text, gazetteer)  # "the capture of Tel Hamis" (a "person")
    if ent.label_ not in _MISTAGGED_LABELS - {"NORP"}:
        return False  # "a mainly Shiite area" is a community's, not a town's
    return _placed_by_neighbours(ent) and _known_exactly(ent.text, gazetteer)


def placed_by_wording_only(ent) -> bool:
    """True for a mistagged name that the wording alone places (see :func:`placed_by_wording`),
    whether or not the gazetteer knows it: a candidate for a place known by name only.

    Only the words around the name count (an area word after it, the object of a verb that
    takes places), not a locative preposition alone: "at Applied Materials", "at Mercy
    Memorial Hospital" name a firm or an institution more often than a scene the gazetteer
    lacks (on the LGL development half the preposition added 142 false toponyms for 58
    right ones; on the event-location training sentences it placed 0.2 % more verbs right).
    Not a nationality's or a community's ("found in a Syrian town"): as in
    :func:`placed_by_wording`, a people's name before an area word tells whose the area is,
    and resolved it would be the country or a namesake town abroad.
    """
    return (
        ent.label_ in _MISTAGGED_LABELS - {"NORP"} and ent.start > 0 and _capitalised(ent)
        and _placed_by_neighbours(ent)
    )


def _capitalised(ent) -> bool:
    """True for a name whose first word after an article is capitalised ("the Tishreen Power
    Plant", "Kotli Bazaar", "al-Rahjan"), not a lower-case phrase ("the factory")."""
    articles = current_lexicon().name_articles
    words = [
        tok for tok in ent
        if tok.dep_ != "det" and tok.lower_ != "the" and tok.text != "-"
        and tok.lower_ not in articles
    ]
    return bool(words) and words[0].text[:1].isupper()


def _article_tail(ent) -> bool:
    """True for a name that opens on an article and follows a capitalised word ("Fatah
    al-Sham", "Jabhat al-Nusra"): the tail of a longer name the tagger cut, not a village."""
    doc = ent.doc
    return (
        ent.start > 0 and ent[0].lower_ in current_lexicon().name_articles
        and doc[ent.start - 1].text[:1].isupper() and doc[ent.start - 1].pos_ == "PROPN"
    )


def _placed_by_neighbours(span) -> bool:
    """True for a name followed by an area word, ending in "Camp", or the object of a verb
    that takes places."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in current_lexicon().area_suffixes:
        return True
    if len(span) > 1 and span[-1].lower_ == "camp" and span[-1].text[:1].isupper():
        # "an attack on al-Wafideen Camp", tagged an organisation: a camp by its own noun (a
        # town or a district so tagged is more often a body's name: "Kansas City Council")
        return True
    if span[0].lower_ in _NAME_ARTICLES and _set_in_a_place(span):
        return True  # "struck al-Dumayr in the Damascus countryside": a town, not a man
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        return root.head.head.lemma_.lower() in current_lexicon().place_of_nouns
    if root.dep_ not in ("dobj", "nsubjpass"):
        return False
    lemma = root.head.lemma_.lower()
    return lemma in current_lexicon().place_only_object_verbs or (
        span.label_ != "PERSON" and lemma in current_lexicon().place_object_verbs
    )


def _set_in_a_place(span) -> bool:
    """True for a name followed by "in" and a place the gazetteer tagged ("in the Damascus
    countryside", "in Homs province")."""
    doc = span.doc
    i = span.end
    if i >= len(doc) or doc[i].lower_ != "in":
        return False
    i = _skip_direction(doc, i + 1)
    return i < len(doc) and doc[i].ent_type_ in ("GPE", "LOC") and bool(doc[i].ent_id_)


def find_untagged_places(doc, gazetteer: Gazetteer, unlisted: bool = False) -> list:
    """Proper-noun names the model tagged as nothing that the wording places and the gazetteer
    knows: "a bomb went off in Mtwapa", "the Zahraa district", "troops overran Barentu".

    A name is a run of capitalised proper nouns outside every entity, not opening its
    sentence (a headline word or a dateline), placed as in :func:`placed_by_wording`. With
    ``unlisted`` (places known by name only), a name the gazetteer lacks is kept too when an
    area word follows it ("an attack on Buwa village", "the Jabiliyah District"): the wording
    alone makes it a place.
    """
    from spacy.tokens import Span

    area_words = current_lexicon().area_suffixes
    spans = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        end = _name_run_end(doc, i)
        if end == i:
            i += 1
            continue
        # A capitalised area word closing the run is no part of the name ("the Dara'a
        # Governorate", "Jabiliyah District"): it places the name before it.
        name_end = end - 1 if end - i > 1 and doc[end - 1].lower_ in area_words else end
        span = Span(doc, i, name_end, label="GPE")
        opens = tok.is_sent_start or (i > 0 and doc[i - 1].is_punct and doc[i - 1].is_sent_start)
        # The rest of a tagged name is no name of its own ("Roanoke Park", "the Tennessee
        # Colony area"); a date or a number beside it is no name ("into Dara'a Governorate
        # last week").
        beside_entity = (i > 0 and _names_entity(doc[i - 1])) or (
            end < len(doc) and _names_entity(doc[end])
        )
        placed = _locative_object(span) or _placed_by_neighbours(Span(doc, i, name_end)) or (
            name_end < end and _locative_object(Span(doc, i, end))
        )
        if not opens and not beside_entity and not title_case(tok.sent) and placed and (
            _known_exactly(span.text, gazetteer)
            or (unlisted and _before_ground_area_word(doc, name_end) and not span.text.isupper()
                and span.text.lower() not in STOPLIST)
        ):
            spans.append(span)
        i = end
    return spans


def _name_run_end(doc, i: int) -> int:
    """Token end of the untagged name that starts at ``i`` (``i`` when none does): capitalised
    proper nouns, joined to each other or to an Arabic article by unspaced hyphens
    ("Tal-Abyad", "al-Rai", "Al-Sina'a District")."""
    articles = current_lexicon().name_articles

    def joined(k: int) -> bool:
        """True for a hyphen at ``k`` with no space on either side and a name word after."""
        return (
            k + 1 < len(doc) and doc[k].text == "-" and not doc[k - 1].whitespace_
            and not doc[k].whitespace_ and _untagged_name_word(doc[k + 1])
        )

    end = i
    if doc[i].lower_ in articles and not doc[i].ent_type_ and joined(i + 1):
        end = i + 3  # "al-Rai"
    elif _untagged_name_word(doc[i]):
        end = i + 1
    else:
        return i
    while end < len(doc):
        if _untagged_name_word(doc[end]):
            end += 1
        elif joined(end):
            end += 2
        elif doc[end].lower_ in articles and not doc[end].ent_type_ and joined(end + 1):
            end += 3  # "Tal al-Abyad"
        else:
            break
    return end


def _before_ground_area_word(doc, end: int) -> bool:
    """True when the word at ``end`` is an area word of a place on the ground ("village",
    "District"; not "sector" or "region")."""
    lexicon = current_lexicon()
    return end < len(doc) and doc[end].lower_ in lexicon.area_suffixes - lexicon.wide_area_words


# Entity labels of times and quantities: a word tagged so is no part of a name.
_NUMERIC_LABELS = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}
)


def _names_entity(tok) -> bool:
    """True for a word inside an entity that names something (not a date or a number)."""
    return bool(tok.ent_type_) and tok.ent_type_ not in _NUMERIC_LABELS


def _untagged_name_word(tok) -> bool:
    """True for a capitalised proper noun outside every entity, letters only but for an
    apostrophe inside the word: transliterations mark the Arabic ayn and hamza with one
    ("Dara'a", "Sa’eed", "Ma’arrat"), and such a name is no less a name."""
    return (
        not tok.ent_type_ and tok.pos_ == "PROPN" and tok.text[:1].isupper()
        and _NAME_WORD.fullmatch(tok.text) is not None
    )


# Letters, with apostrophes (straight, curly or modifier letters) only between letters.
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’‘ʼʿʾ][^\W\d_]+)*")


def _so_called(ent) -> bool:
    """True for a name the text calls "so-called" ("the gunmen of the so-called Liwaa
    al-Tawhid"): news writes it of groups and self-styled states, not of villages."""
    before = doc_text(ent.doc)[max(0, ent.start_char - 12) : ent.start_char].lower().rstrip()
    return before.endswith(("so-called", "so called"))


def named_as_place(ent, any_label: bool = False) -> bool:
    """True for a PERSON/ORG name introduced as a settlement ("the village of Tell Qawaqir");
    ``any_label`` checks the wording whatever the entity label."""
    if not any_label and ent.label_ not in ("PERSON", "ORG"):
        return False
    doc = ent.doc
    before = doc[ent.start - 2 : ent.start] if ent.start >= 2 else None
    after = doc[ent.end] if ent.end < len(doc) else None
    settlements = current_lexicon().settlement_nouns
    return (
        before is not None and before[1].lower_ == "of" and before[0].lower_ in settlements
    ) or (after is not None and after.lower_ in settlements - {"city", "district"})


def _misread_as_people(ent, gazetteer: Gazetteer) -> bool:
    """True for a town's name the model calls a nationality, set as a settlement ("Izraa
    town", "the town of Izraa"), even tagged a common noun; a demonym before a settlement noun
    ("a Syrian town", "a Kurdish town") is none."""
    return (
        ent.label_ == "NORP"
        and (ent.root.tag_ in ("NNP", "NNPS") or ent.root.tag_ == "NN" and ent.root.is_title)
        and named_as_place(ent, any_label=True)
        and not gazetteer.is_place_adjective(ent.text)
    )


def _name_goes_on(ent) -> bool:
    """True for a place name that is only the start of a longer name: "Shahba" of "Shahba
    al-Jadida district" (a quarter of Aleppo, not the town in Suwayda)."""
    following = doc_text(ent.doc)[ent.end_char : ent.end_char + 12]
    return _NAME_PARTICLE.match(following) is not None


def _name_goes_back(ent, gazetteer: Gazetteer | None = None) -> bool:
    """True for a place name that is only the end of a longer name the model tags as a
    facility, an organisation or a person: "Rashideen" of "the Khulafa al-Rashideen mosque" (in
    Latakia), not the quarter of Aleppo; "al-Sham" of "Bosra al-Sham". A gate's name ("Bab
    al-Nasr") is a quarter's."""
    doc = ent.doc
    if ent[0].lower_ in _NAME_ARTICLES and ent.start >= 1 and _known_by_another_name(
        ent, gazetteer or get_gazetteer()
    ):
        # "Bosra al-Sham", "Fateh al-Sham": a name that opens with its article, right after a
        # capitalised name word, ends a longer name when the gazetteer knows it as another
        # place's alias (al-Sham alone is Damascus); "Talbisa al-Rastan" is a list of two
        before = doc[ent.start - 1]
        if before.pos_ == "PROPN" and before.text[:1].isupper() and before.whitespace_ and not (
            before.is_sent_start or before.ent_type_ or before.lower_ in _NAME_ARTICLES
        ):
            return True
    if ent.start < 3:
        return False
    hyphen, article, head = doc[ent.start - 1], doc[ent.start - 2], doc[ent.start - 3]
    return (
        hyphen.text == "-" and not hyphen.whitespace_ and not article.whitespace_
        and article.lower_ in _NAME_ARTICLES
        and head.text[:1].isupper() and head.ent_type_ in ("FAC", "ORG", "PERSON")
        and head.lower_ not in current_lexicon().gate_words
    )


def _known_by_another_name(ent, gazetteer: Gazetteer) -> bool:
    """True for a name the ruler tagged as a place whose own name is another ("al-Sham" is
    Damascus), not a spelling of it ("al-Rastan" is Ar Rastan)."""
    if not ent.ent_id_ or ":" not in ent.ent_id_:
        return False
    try:
        place = gazetteer.place(ent.ent_id_)
    except (KeyError, ValueError):
        return False
    return place is not None and normalise_toponym(place.name) != normalise_toponym(ent.text)


# An Arabic article joined to the next word of a name: " al-Jadida", " el-Bab", " ez-Zor". Any
# spelling of it (``name_articles`` and ``spelled_articles``, the packaged file's only): joined by
# a hyphen to a capitalised word, "an" or "at" is no English word.
_NAME_ARTICLES = frozenset(
    default_knowledge().words["name_articles"] | default_knowledge().words["spelled_articles"]
)
_NAME_PARTICLE = re.compile(
    r"\s(?:{})-[A-Z]".format("|".join(sorted(
        default_knowledge().words["name_articles"] | default_knowledge().words["spelled_articles"],
        key=lambda article: (-len(article), article),
    )))
)


def is_common_noun(ent) -> bool:
    """True for one capitalised word the tagger reads as a common noun at a sentence's start:
    "Camp residents told Reuters" names no hamlet called Camp.

    Only for the model's own facility or organisation entities: a name the gazetteer's ruler
    tagged ("Homs city was shelled", where the small model also reads "Homs" as a plural noun)
    or the model calls a GPE is kept.
    """
    if len(ent) != 1 or ent.ent_id_ or ent.label_ == "GPE":
        return False  # the model's own GPE ("Lawrenceburg police said") is a town
    token = ent[0]
    opens = token.is_sent_start or token.i > 0 and token.nbor(-1).is_quote
    return bool(opens) and token.tag_ in ("NN", "NNS") and token.lemma_.islower()


def is_name_part(ent) -> bool:
    """True for a one-word place next to a person's name or title ("George Bush", "Mrs. Lincoln").

    The ruler tags "George" (a South African town) before ``ner`` runs, so ``ner`` can only
    label the rest of the name; a PERSON neighbour or a title gives the name away.
    """
    if len(ent) != 1 or ent.ent_id_.startswith(("country:", "admin1:", "alias:")):
        return False
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end] if ent.end < len(doc) else None
    if before is not None and before.lower_ in current_lexicon().honorifics:
        return True
    if before is not None and before.lower_ in current_lexicon().rank_titles and (
        before.text[:1].isupper()
    ):
        return True  # "Russian General Vladimir Savchenko"
    if before is not None and before.tag_ == "NNS" and before.lemma_.lower() in (
        current_lexicon().rank_titles
    ):
        return True  # "senior commanders Omar Al Shishani and ...": the commanders' names
    if before is not None and before.lower_ in current_lexicon().gate_words and (
        before.text[:1].isupper() and before.whitespace_
    ):
        return True  # "the Bab Tadmor district of Homs" is no Palmyra
    if after is not None and (
        after.lower_ in current_lexicon().patronymic_words
        or after.lower_.startswith(("abdel-", "abdul-"))
    ):
        return True  # "Rami Abdel-Rahman", "Omar bin Laden": a given name, then the father's
    return any(tok is not None and tok.ent_type_ == "PERSON" for tok in (before, after))


def find_admin_hint(ent) -> bool:
    """True when the entity is followed by an admin word ("Idlib province"), follows "province
    of" ("the north Syrian province of Aleppo") or is the countryside of a town ("rural Idlib",
    "rural Damascus"): the area, not the city."""
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].lower_ == "rural":
        return True
    if _after_province_of(doc, ent.start):
        return True
    # "the provinces of Deir Ezzor and Hasakeh": the second of them is a province too
    first = ent.root.head
    if ent.root.dep_ == "conj" and first.i < ent.start and _after_province_of(
        doc, first.left_edge.i
    ):
        return True
    return ent.end < len(doc) and doc[ent.end].lower_ in current_lexicon().admin_words


def _after_province_of(doc, start: int) -> bool:
    """True for a name right after "province(s) of" or "governorate of"."""
    return start > 1 and doc[start - 1].lower_ == "of" and (
        doc[start - 2].lower_ in current_lexicon().province_words
    )


def _countryside_of(ent) -> bool:
    """True for the name in "Aleppo countryside" or "the (southern) countryside of Aleppo": the
    province around the town (for Damascus, a province of its own)."""
    doc = ent.doc
    if ent[-1].lower_ in current_lexicon().province_words:
        return False  # "the countryside of Daraa province": the province itself
    end = ent.end + 1 if ent.end < len(doc) and doc[ent.end].tag_ == "POS" else ent.end
    if end < len(doc) and doc[end].lower_ == "countryside":
        return True
    bearings = current_lexicon().bearing_words
    if end + 1 < len(doc) and doc[end + 1].lower_ == "countryside" and (
        doc[end].lower_ in bearings or doc[end].lower_.removesuffix("ern") in bearings
    ):
        return True  # "Homs eastern countryside", "Aleppo's northern countryside"
    i = ent.start - 1
    return i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ == "countryside"


def find_county_end(ent) -> int | None:
    """Token end of "<name> County" when a place entity is followed by a county word."""
    doc = ent.doc
    county = ent.end < len(doc) and doc[ent.end].lower_ in current_lexicon().county_words
    if county and doc[ent.end].is_title:
        return ent.end + 1
    return None


def find_container(ent, places: list) -> str | None:
    """Text of the next place entity when only ","/"in"/"of" (and an admin word) come between,
    unless the two are items of one list."""
    doc = ent.doc
    i = ent.end
    lexicon = current_lexicon()
    if i < len(doc) and doc[i].lower_ in lexicon.admin_words | lexicon.settlement_nouns:
        i += 1  # "Idlib province in ...", "al-Hader town in ..."
    if i >= len(doc) or doc[i].lower_ not in _CONTAINER_LINKS:
        return None
    i = _skip_direction(doc, i + 1)
    surrounds = current_lexicon().surrounds_words
    if i + 1 < len(doc) and doc[i].lower_ in surrounds and doc[i + 1].lower_ == "of":
        # "Ashmi in the western countryside of Kobane": the countryside is Kobane's
        i = _skip_direction(doc, i + 2)
    nxt = next((p for p in places if p.start == i), None)
    if nxt is None or _listed_together(ent, nxt):
        return None  # "Aleppo, Idlib and Hama" is a list, not a town and its province
    end = nxt.end + 1 if nxt.end < len(doc) and doc[nxt.end].tag_ == "POS" else nxt.end
    end = _skip_direction(doc, end)  # "in Aleppo's southern countryside"
    after = doc[end] if end < len(doc) else None
    if after is not None and after.lower_ in surrounds | lexicon.admin_words:
        # "Douma in Damascus countryside": the area the word after the name makes of it
        return f"{nxt.text} {after.text}"
    return nxt.text


def _container_entity(container: str | None) -> str:
    """The place name of a container :func:`find_container` read with the area word after it
    ("Damascus countryside" -> "Damascus")."""
    if not container:
        return ""
    name, _, last = container.rpartition(" ")
    lexicon = current_lexicon()
    return name if name and last.lower() in lexicon.surrounds_words | lexicon.admin_words else (
        container
    )


def _skip_direction(doc, i: int) -> int:
    """The index after any "the" and direction words ("the rural north-western") from ``i``."""
    directions = current_lexicon().directions
    while i < len(doc) and (doc[i].lower_ == "the" or doc[i].lower_ in directions):
        i += 1
    return i


def share_containers(toponyms: list[Toponym]) -> list[Toponym]:
    """Give every mention of a name the container one of its mentions has.

    A story says "born in Grantville, Pennsylvania" once and "school in Grantville" later: both
    are the same town (one sense per discourse), so the later one keeps the state too. A name
    given two different containers keeps each mention's own.
    """
    containers: dict[str, set[str]] = {}
    for top in toponyms:
        if top.container:
            containers.setdefault(top.text, set()).add(top.container)
    return [
        dataclasses.replace(top, container=next(iter(containers[top.text])))
        if not top.container and len(containers.get(top.text, ())) == 1
        else top
        for top in toponyms
    ]


def find_focus_extras(doc, gazetteer: Gazetteer, us_local: bool = False) -> list[str]:
    """Country codes from demonyms (NORP entities such as "Libyan"), and the US when the text
    names the institutions of American local government and law (``us_local``, see
    :func:`names_us_local_institutions`), which place a local paper's Athens or Paris in the
    United States when no state is named."""
    codes = []
    for ent in doc.ents:
        if ent.label_ == "NORP":
            code = gazetteer.country_for_demonym(ent.text)
        elif ent.label_ == "ACTOR" and len(ent) > 1:
            # "Syrian government forces shelled Madaya": the ruler's actor holds the demonym
            code = gazetteer.country_for_demonym(ent[0].text)
        else:
            continue
        if code:
            codes.append(code)
    if us_local:
        # As strong as naming the country outright (see focus_countries): a sheriff's office
        # says "United States" as surely as the words do.
        codes += ["US", "US"]
    return codes


# "Interstate 75", "I-75"; "the 800 block of Main Street" (police-report addresses).
_US_ROAD_OR_BLOCK = re.compile(r"\b(?:Interstate \d{1,3}|I-\d{1,3})\b|\b\d+ block of\b")
# "<Name> County" for a name the US has a county of, unless a council follows: "Kent County
# Council" is British.
_US_COUNTY = re.compile(r"\b((?:[A-Z][a-z]+ )?)([A-Z][a-z]+ County)\b(?! Council)")


def names_us_local_institutions(doc, gazetteer: Gazetteer) -> bool:
    """True when the text speaks of US local government, courts or police ("the sheriff's
    office", "a felony", "Interstate 75", "the Douglas County jail"): a US local story.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> names_us_local_institutions(nlp("He was charged with a felony."), get_gazetteer())
    True
    """
    # Read from arrays, each distinct string once: walking the tokens three times cost more
    # than the rest of the places stage (issue 16).
    strings = doc.vocab.strings
    rows = doc.to_array([LOWER, LEMMA]).tolist() if len(doc) else []
    texts = {key: strings[key] for key in {key for row in rows for key in row}}
    lowered = {key: text.lower() for key, text in texts.items()}
    lowers = [texts[lower] for lower, _ in rows]
    lemmas = [lowered[lemma] for _, lemma in rows]
    local = current_lexicon().us_local_words
    phrases = current_lexicon().us_local_phrases
    if not local.isdisjoint(lowers) or not local.isdisjoint(lemmas):
        return True
    lemma_or_lower = [lemma or lower for lemma, lower in zip(lemmas, lowers, strict=True)]
    # ``us_local_pairs`` ("county jail"), read as runs of as many words as each has.
    for size in {len(phrase) for phrase in phrases}:
        for words in (lemma_or_lower, lowers):
            runs = zip(*(words[i:] for i in range(size)), strict=False)
            if not phrases.isdisjoint(runs):
                return True
    text = doc_text(doc)
    if _US_ROAD_OR_BLOCK.search(text):
        return True
    return any(
        gazetteer.county_states(m.group(2)) or gazetteer.county_states(m.group(1) + m.group(2))
        for m in _US_COUNTY.finditer(text)
    )


def find_place_adjectives(doc, gazetteer: Gazetteer, taken: list) -> list:
    """NORP entities that name a country or region by its adjective ("Russian", "European").

    Gold toponym sets (GeoWebNews, LGL) count them as place references. They become PLACE
    mentions without a place id, so no event or control claim is ever placed at a demonym.
    """
    covered = {i for ent in taken for i in range(ent.start, ent.end)}
    return [
        ent
        for ent in doc.ents
        if ent.label_ == "NORP"
        and not covered.intersection(range(ent.start, ent.end))
        and gazetteer.is_place_adjective(ent.text)
    ]


def place_by_container(
    ents: list, toponyms: list[Toponym], resolved: list[Place | None], county_ends: list
) -> list[Place | None]:
    """Give an unresolved name the place that locates it, at a lower geo-precision.

    "The village of Abu Allaj in western Raqqa": the gazetteer lacks the village, but the text
    says where it is. A country is too coarse to stand in for a village, and a county name
    ("Lamar County") is not a town the gazetteer missed, so neither is used.
    """
    out = list(resolved)
    # Which names could locate which (issue 15): a container hangs at most _CONTAINER_DEPTH
    # heads above the name or its attachment, so index every name by the tokens its head chain
    # reaches and test only those, plus the names matching the toponym's container text. The
    # first match in the original order is unchanged; the work is linear in the sentence.
    reaches: dict[int, list[int]] = {}
    by_text: dict[str, list[int]] = {}
    for j, other in enumerate(ents):
        by_text.setdefault(other.text, []).append(j)
        tok = other.root
        for _ in range(_CONTAINER_DEPTH):
            if tok.head == tok:
                break
            tok = tok.head
            reaches.setdefault(tok.i, []).append(j)
    provinces: dict[int, Place | None] = {}
    starts = _sentence_starts(ents[0].doc) if ents else [0]
    locators = _locators(ents)
    for i, (ent, place) in enumerate(zip(ents, resolved, strict=True)):
        if (
            place is not None or county_ends[i] or not _capitalised(ent) or _article_tail(ent)
            or ent[-1].lower_ in current_lexicon().unlisted_area_words
            or _describes_the_named_town(ent)
        ):
            continue
        targets = [*range(ent.start, ent.end), _place_attachment(ent).i]
        sentence = _sentence_index(starts, ent.start)
        candidates = sorted(
            {j for t in targets for j in reaches.get(t, ())}
            | set(by_text.get(_container_entity(toponyms[i].container), ()))
            | set(by_text.get(toponyms[i].container or "", ()))  # "Homs province" whole
            # "Rasm al-Sabaa village some 40 km east of Homs city", however it is parsed;
            # "the villages of Zaytan and Khalasa southwest of Aleppo city"
            | ({locators[i]} if locators[i] is not None else set()),
            # the container named in the name's own sentence first, not a headline's namesake
            key=lambda j: (_sentence_index(starts, ents[j].start) != sentence, j),
        )
        for j in candidates:
            other, container = ents[j], resolved[j]
            usable = (
                container is not None and j != i and container.latitude is not None
                and not container.id.startswith("country:")
            )
            if usable and (
                other.text in (_container_entity(toponyms[i].container), toponyms[i].container)
                or locates(other, ent)
                or located_beside(other, ent)
                or locators[i] == j
            ) and not _listed_together(ent, other):
                # "Crockett, Palestine and Houston" is a list, not a town and its container
                out[i] = approximate_place(ent.text, container)
                break
        else:
            # ``ent.sent`` walks the sentence at every call: look it up once per sentence.
            if sentence not in provinces:
                provinces[sentence] = _only_province_in_sentence(ent, ents, resolved)
            province = provinces[sentence]
            if province is not None and named_as_place(ent, any_label=True):
                # "In Homs Governorate's eastern countryside ... liberated the village of X"
                out[i] = approximate_place(ent.text, province)
    return out


def refuse_abroad_in_container(ents: list, resolved: list[Place | None]) -> list[Place | None]:
    """Unresolve a town read in another country than the place the text locates it in.

    A village the parse puts in a Syrian province that resolves to a foreign town of its name
    is that town's namesake: :func:`place_by_container` then places the village at its
    province. A hamlet abroad (under 5,000 people) named as a place beside the one province of
    its sentence ("targeted Hadar village", told by a source at Quneitra Police Command) is
    refused too.
    """
    out = list(resolved)
    lexicon = current_lexicon()
    for i, (ent, place) in enumerate(zip(ents, resolved, strict=True)):
        if place is None or not place.country or place.geo_precision != 1:
            continue
        if split_name_tail(ent, lexicon.name_articles) or names_a_landmark(ent, lexicon.site_nouns):
            continue  # a name's tail or a square's namesake: no place at all (see below)
        for j, (other, container) in enumerate(zip(ents, resolved, strict=True)):
            if j == i or container is None or not container.country:
                continue
            # a province that the parse says holds the town (a country's name is often a word
            # of an organisation's: "the Niger Delta Development Commission")
            if container.country != place.country and container.geo_precision >= 3 and (
                not container.id.startswith("country:") and locates(other, ent)
                or container.id.startswith("country:") and _country_after_in(other, ent)
            ):
                out[i] = None
                break
        else:
            # a hamlet abroad named as a place beside the one province of its sentence, in
            # another country ("the village of Hadid in the province of Idlib", however the
            # phrase hangs): a village of that province the gazetteer lacks
            province = _only_province_in_sentence(ent, ents, resolved)
            if province is not None and province.country != place.country and (
                _used_as_place(ent) and (place.population or 0) < PATTERN_CONFLICT_MIN_POPULATION
            ):
                out[i] = None
    return out


def _country_after_in(country: Span, town: Span) -> bool:
    """True for a country written in an "in" phrase of the town ("the village of al-Shaafa in
    Syria") or of the verb the town is the object of ("air strikes hit al-Shaafa in Syria"):
    no word of an organisation's name, so it locates the town."""
    prep = country.root.head
    if country.root.dep_ != "pobj" or prep.lower_ != "in":
        return False
    owner = prep.head
    return town.start <= owner.i < town.end or (
        owner.pos_ == "VERB" and town.root.head == owner and town.root.dep_ in ("dobj", "nsubjpass")
    )


# A town the text locates beside another ("Safsafeh east of Tabqa") lies at most this far from
# it; a namesake farther off is another town (ACLED's "near" is a few dozen kilometres).
LOCATOR_KM = 60.0


def refuse_far_from_locator(ents: list, resolved: list[Place | None]) -> list[Place | None]:
    """Unresolve a town read far from the place the text sets it beside, in its own country:
    "Safsafeh east of Tabqa" is no Safsafeh of Tartus, 240 km off, and "al-Malaah northwest
    of Aleppo" none of Suwayda (a province's town may stand for the province).
    :func:`place_by_container` then places the village beside the place that locates it."""
    out = list(resolved)
    # the place that sets a town beside it is the name right after it ("X east of Y"), or after
    # the list it ends ("the villages of X and Y southwest of Z"); a run-on sentence of
    # thousands of names is read in one pass
    locators = _locators(ents)
    for i, place in enumerate(resolved):
        if place is None or place.geo_precision != 1 or place.latitude is None:
            continue
        j = locators[i]
        container = resolved[j] if j is not None else None
        if container is None:
            continue
        if container.country != place.country:
            # "the villages of Zaytan and Khalasa southwest of Aleppo city": no namesake in
            # Israel, hundreds of kilometres off (a border town may lie across the border)
            if container.geo_precision == 1 and container.latitude is not None and haversine_km(
                place.latitude, place.longitude, container.latitude, container.longitude
            ) > LOCATOR_KM:
                out[i] = None
            continue
        if container.id.startswith("admin1:"):
            far = bool(container.admin1) and container.admin1 != place.admin1
        else:
            # "al-Malaah northwest of Aleppo": a province's town may stand for the province
            far = container.geo_precision == 1 and container.latitude is not None and (
                haversine_km(place.latitude, place.longitude,
                             container.latitude, container.longitude) > LOCATOR_KM
            ) and not (container.name == container.admin1 == place.admin1)
        if far:
            out[i] = None
    return out


def _one_reading_per_name(ents: list, resolved: list[Place | None]) -> list[Place | None]:
    """Give a name told again alone the local reading its located mention got.

    "the villages of Zaytan and Khalasa southwest of Aleppo city ... a counterattack to retake
    Khalasa": the first mention refused the Israeli namesake for a village by Aleppo, so the
    second, with nothing around it, is that village too (one sense per discourse), not the
    namesake abroad.
    """
    local: dict[str, Place] = {}
    for ent, place in zip(ents, resolved, strict=True):
        if place is not None and place.id.startswith(("near:", "name:")) and place.country:
            local.setdefault(ent.text.lower(), place)
    if not local:
        return resolved
    out = list(resolved)
    for i, (ent, place) in enumerate(zip(ents, resolved, strict=True)):
        known = local.get(ent.text.lower())
        if known is not None and place is not None and place.geo_precision == 1 and (
            place.country != known.country
        ):
            out[i] = known
    return out


def _locators(ents: list) -> list[int | None]:
    """For each name, the index of the name that sets it beside it ("X east of Y", "X and Y
    east of Z"), or ``None``: the name right after it or after the list it is an item of, when
    the text between says where the last item is."""
    out: list[int | None] = [None] * len(ents)
    i = 0
    while i < len(ents):
        j = i + 1
        while j < len(ents) and _listed_together(ents[j - 1], ents[j]):
            j += 1  # the list the name is an item of
        if j < len(ents) and located_beside(ents[j], ents[j - 1]):
            for k in range(i, j):
                out[k] = j
        i = j
    return out


def place_local_namesakes(
    ents: list, resolved: list[Place | None], namesakes: list[Place | None]
) -> list[Place | None]:
    """Place a name refused its only, foreign reading near the local place of its sentence.

    "Shells hit Arbin in the province of Damascus": the gazetteer's Arbin is in France and the
    story gives no reason to go there, so the name is a local place the gazetteer lacks. Used
    as a place ("in Arbin", "the settlements of Arbin", "al-Tijara neighbourhood"), it takes
    the point of the nearest place of its sentence in another country than the namesake's, at a
    lower precision (see :func:`approximate_place`); a name used otherwise (a man's name as a
    subject) stays unresolved.
    """
    out = list(resolved)
    for i, (ent, namesake) in enumerate(zip(ents, namesakes, strict=True)):
        if namesake is None or out[i] is not None or not _used_as_place(ent):
            continue
        local = [
            (abs(other.start - ent.start), place)
            for other, place in zip(ents, resolved, strict=True)
            if place is not None and place.latitude is not None
            and not place.id.startswith(("country:", "near:"))
            and place.country != namesake.country
            and other.sent.start == ent.sent.start
        ]
        if local:
            out[i] = approximate_place(ent.text, min(local, key=lambda pair: pair[0])[1])
    return out


def _used_as_place(ent) -> bool:
    """True for a name after a locative preposition or filling or naming a place noun."""
    root = ent.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in current_lexicon().place_preps | {"on", "of"}:
        return head.lower_ != "of" or (
            head.head.lemma_.lower() in current_lexicon().place_or_site_nouns
        )
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return after is not None and (
        after.lemma_.lower() in current_lexicon().locality_nouns | current_lexicon().quarter_words
    )


def find_located_quarters(doc, ents: list, resolved: list[Place | None]) -> list:
    """Quarters of a town the model took for a person or an organisation, placed at the town.

    "A bomb went off in the Radhwaniyah area in southwestern Baghdad": the quarter is where the
    event happened and the gazetteer cannot know it, but the town that locates it in the
    sentence gives its point (precision 2). A name nothing locates stays out, as before.

    Returns:
        ``(span, place)`` pairs, the place from :func:`approximate_place`.
    """
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    found = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or taken.intersection(range(ent.start, ent.end)):
            continue
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        quarters = current_lexicon().quarter_words
        if ent[-1].lower_ not in quarters and after not in quarters:
            continue
        for other, container in zip(ents, resolved, strict=True):
            if (
                container is not None and container.latitude is not None
                and not container.id.startswith(("country:", "near:"))
                and locates(other, ent)
            ):
                found.append((ent, approximate_place(ent.text, container)))
                break
    return found


def find_described_capitals(
    doc, gazetteer: Gazetteer, ents: list, story_country: str | None = None
) -> list:
    """"The Syrian capital", "Iraq's capital": the country's capital city, named by description;
    a bare "the capital" is the capital of the story's country (``story_country``).

    News writes "killed near the Syrian capital" as often as "near Damascus"; the word
    "capital" becomes a mention of that city (the demonym stays a mention of its own).

    Returns:
        ``(span, place)`` pairs, one per described capital the gazetteer knows.
    """
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    found = []
    for token in doc:
        if token.lower_ != "capital" or token.pos_ not in ("NOUN", "PROPN") or token.i in taken:
            continue
        modifiers = [
            c for c in token.children
            if c.i < token.i and c.dep_ not in ("det", "punct")
            or c.dep_ == "det" and c.lower_ != "the"
        ]
        if not modifiers and story_country is not None and _bare_capital(token):
            city = gazetteer.capital_of(story_country)
            if city is not None:
                found.append((doc[token.i : token.i + 1], city))  # "in the capital"
            continue
        if len(modifiers) != 1 or modifiers[0].ent_type_ not in ("NORP", "GPE"):
            continue  # "the group's de facto Syrian capital", "a former capital": another city
        word = modifiers[0]
        code = (
            gazetteer.country_for_demonym(word.text) if word.dep_ in ("amod", "compound")
            else _country_code(word.text, gazetteer) if word.dep_ == "poss" else None
        )
        city = gazetteer.capital_of(code) if code else None
        if city is not None:
            found.append((doc[token.i : token.i + 1], city))
    return found


def _bare_capital(token) -> bool:
    """True for "the capital" that names no city of its own: not "the capital Damascus" (the
    name is the mention), "the capital of Iraq", "capital punishment" or "capital city"."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return False
    if token.dep_ in ("compound", "amod") or any(
        c.dep_ in ("appos", "compound", "prep") and (c.pos_ == "PROPN" or c.lower_ == "of")
        for c in token.children
    ):
        return False
    after = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return after is None or after.pos_ != "PROPN"


def _story_country(resolved: list[Place | None]) -> str | None:
    """The country most of an article's resolved places lie in, when they are most of them."""
    countries = Counter(place.country for place in resolved if place and place.country)
    if not countries:
        return None
    country, count = countries.most_common(1)[0]
    return country if count * 2 > sum(countries.values()) else None


def _country_code(name: str, gazetteer: Gazetteer) -> str | None:
    """The ISO code of a country written by name ("Iraq's capital"), else ``None``."""
    ids = [i for i in gazetteer.candidate_ids(name) if i.startswith("country:")]
    return ids[0].removeprefix("country:") if ids else None


def _only_province_in_sentence(ent, ents: list, resolved: list[Place | None]) -> Place | None:
    """The one province-level place resolved in ``ent``'s sentence, if there is exactly one."""
    sentence = ent.sent
    found = {
        place.id: place
        for other, place in zip(ents, resolved, strict=True)
        if place is not None and place.latitude is not None and place.geo_precision >= 3
        and not place.id.startswith(("country:", "near:"))
        and sentence.start <= other.start < sentence.end
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _listed_together(first, second) -> bool:
    """True when two place spans are items of one list or a hyphened pair ("Athens-Clarke")."""
    left, right = sorted((first, second), key=lambda span: span.start_char)
    # Tokens between, not ``doc.text`` (which rebuilds the whole text at every call: issue 15).
    if left.end <= right.start and right.start - left.end <= 3 and (
        left.doc[left.end : right.start].text.strip() in ("-", "–", "/")
    ):
        return True
    if second.root in first.root.conjuncts:
        return True
    siblings = first.root.head == second.root.head
    return siblings and any(tok.dep_ == "conj" for tok in (first.root, second.root))

def story_country(analysis: Analysis) -> str | None:
    """The country an article is about: the one holding most of its towns and areas.

    Country names do not vote (a Syria story names Russia, Iran and Turkey as parties more often
    than it names Syria), nor do places that name no scene (see
    :func:`sitreps.extract.locate.names_no_scene`). With no town or area, the most named country
    stands in; a tie between countries gives ``None``.
    """
    places = {p.id: p for p in analysis.places}
    towns: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for mention in analysis.mentions:
        place = places.get(mention.entity_id or "")
        if mention.label != "PLACE" or place is None or not place.country:
            continue
        if is_unlisted(place.id):
            continue  # it took the story's country: no vote of its own
        if analysis.doc is not None and names_no_scene(analysis.doc, mention):
            continue
        (countries if place.id.startswith("country:") else towns)[place.country] += 1
    ranked = (towns or countries).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def borrowable_places(analysis: Analysis, mentions: list[Mention]) -> list[Mention]:
    """The place mentions an event with no place of its own may borrow from its context.

    A sentence that names no place happened where its story is, so a place in another country
    than the story's (a capital that hosted talks, a foreign city named in passing) is no
    guess for it: the event stays unplaced rather than filled with a wrong country. Unresolved
    mentions and all mentions of a story without a clear country pass unchanged. A place
    known by name only is no guess for an event its sentence does not link to it (issue 18):
    a garbled name the model took for a town would replace the story's place.
    """
    home = story_country(analysis)
    if home is None:
        return [m for m in mentions if not is_unlisted(m.entity_id)]
    places = {p.id: p for p in analysis.places}

    def at_home(mention: Mention) -> bool:
        place = places.get(mention.entity_id or "")
        return place is None or place.country in (None, home)

    return [m for m in mentions if at_home(m) and not is_unlisted(m.entity_id)]


# Entity labels whose unknown names are still places: "the Levant", "the Gulf" (LOC) name
# regions that no country holds, so a LOC the gazetteer lacks stays unresolved.
_UNLISTED_LABELS = frozenset({"GPE", "FAC"})


def place_unlisted_names(
    analysis: Analysis,
    ents: list,
    resolved: list[Place | None],
    county_ends: list,
    gazetteer: Gazetteer,
) -> list[Place | None]:
    """Give a town or site name that nothing resolves or locates a place known by name only.

    "Gunmen opened fire in Kotli Bazaar": neither the gazetteer nor a container in the text
    places the name, but it is still the event's scene; without a place record the event
    could not be linked to it at all and would borrow a wrong one (issue 18). The place takes
    the country of the story's resolved towns, their province when most of them share one,
    and no coordinates (see :func:`sitreps.geo.resolve.unlisted_place`); the province named
    nearest before it wins over the story's (:func:`_province_near`). Names that are part
    of an actor ("the Free Syrian Army"), stoplisted words, counties, lower-case words,
    demonyms, names headed by an outlet's or monitor's noun ("the Syrian Observatory for
    Human Rights", tagged a facility after a run-on "in Aleppo province") and names the
    gazetteer holds (an Athens left unresolved between Greece and Georgia was refused on
    purpose) stay unresolved.
    """
    actors = [m for m in analysis.mentions if m.label == "ACTOR"]
    open_names = [
        i for i, (ent, place) in enumerate(zip(ents, resolved, strict=True))
        if place is None and not county_ends[i] and _capitalised(ent)
        and (
            ent.label_ in _UNLISTED_LABELS or named_as_place(ent, any_label=True)
            or placed_by_wording_only(ent) or _named_with_area_word(ent)
        )
        and ent.text.lower() not in STOPLIST
        and not any(a.start < ent.end_char and ent.start_char < a.end for a in actors)
        and not gazetteer.is_place_adjective(ent.text)
        and (
            not gazetteer.candidate_ids(ent.text, fuzzy=False)
            or named_as_place(ent, any_label=True)
        )
        and not _describes_the_named_town(ent)
        and not _so_called(ent)
        and ent.root.lemma_.lower() not in current_lexicon().source_nouns
        # "Clashes erupted ...", capitalised to open a sentence: an act's word, no name
        and not (len(ent) == 1 and ent.root.lemma_.lower() in current_lexicon().noun_triggers)
    ]
    if not open_names:
        return resolved
    # A place that names no scene ("near the Lebanon border", "the UK-based monitor") gives
    # no country to a name beside it: as for the story's country (story_country).
    known = [
        (ent, place) for ent, place in zip(ents, resolved, strict=True)
        if place is not None and place.country and not is_unlisted(place.id)
        and not _names_no_scene(analysis, ent, place)
    ]
    starts = _sentence_starts(ents[0].doc)

    def country_of(pairs) -> str | None:
        towns = Counter(p.country for _, p in pairs if not p.id.startswith("country:"))
        countries = Counter(p.country for _, p in pairs if p.id.startswith("country:"))
        return _leading(towns or countries)

    home = country_of(known)
    out = list(resolved)
    for i in open_names:
        held = {
            gazetteer.rows[pid][1] for pid in gazetteer.candidate_ids(ents[i].text, fuzzy=False)
        }
        if held and (home is None or home in held):
            # "the town of Meles" in a story about Syria, whose only namesakes are abroad, is
            # a Syrian town the gazetteer lacks; a name it holds at home was refused on purpose
            continue
        sentence = _sentence_index(starts, ents[i].start)
        # A story of no clear country (Syria, Iraq and Britain named alike) still places the
        # name in its own sentence's country, when that sentence names one.
        country = home or country_of(
            [pair for pair in known if _sentence_index(starts, pair[0].start) == sentence]
        )
        provinces = [
            (_sentence_index(starts, ent.start), p.admin1) for ent, p in known
            if p.country == country and p.admin1 and not p.id.startswith("country:")
        ]
        city = _city_of_quarter(ents[i], known, starts, sentence, country)
        out[i] = approximate_place(ents[i].text, city) if city is not None else (
            unlisted_place(ents[i].text, country, _province_near(provinces, sentence))
        )
    return out


# A town smaller than this has no quarters the news names: "the al-Khadami neighborhood in
# al-Baath city" (a town the gazetteer lacks) is not a quarter of the village named before it.
QUARTER_CITY_MIN_POPULATION = 50_000


def _city_of_quarter(
    ent, known: list, starts: list[int], sentence: int, country: str | None
) -> Place | None:
    """The city a quarter the gazetteer lacks lies in: "missiles hit a neighbourhood of Deir
    el-Zour ... the missile fell in the Qusour neighborhood" is in that city, at its point with
    a lower precision, not a place of no coordinates. The city named in the quarter's own
    sentence, else the nearest of the sentences before it (:data:`PROVINCE_LOOKBACK`)."""
    if not _told_as_quarter(ent):
        return None
    cities = [
        (_sentence_index(starts, other.start), other.start, place) for other, place in known
        if place.country == country and place.geo_precision == 1 and place.latitude is not None
        and (place.feature_class or "").startswith(FEATURE_CITY) and other.start < ent.start
        and (place.population or 0) >= QUARTER_CITY_MIN_POPULATION
    ]
    near = [c for c in cities if sentence - PROVINCE_LOOKBACK <= c[0] <= sentence]
    return max(near, key=lambda c: (c[0], c[1]))[2] if near else None


def _told_as_quarter(ent) -> bool:
    """True for a name told as a city's quarter: "the Qusour neighborhood", "the neighbourhood
    of al-Mashhad", "al-Salihiya quarter"."""
    words = current_lexicon().neighbourhood_words
    doc, root = ent.doc, ent.root
    return (
        ent.end < len(doc) and doc[ent.end].lemma_.lower() in words
        or root.dep_ == "pobj" and root.head.lower_ == "of"
        and root.head.head.lemma_.lower() in words
        or root.dep_ == "appos" and root.head.lemma_.lower() in words
    )


# How many sentences back a name known only by name looks for the province it is in.
PROVINCE_LOOKBACK = 2


def _province_near(provinces: list[tuple[int, str]], sentence: int) -> str | None:
    """The province of a name known only by name: the one its own sentence names, else the
    one the nearest sentence before it names, else the story's leading one. A story of
    Aleppo and Idlib tells "Hanano area" in Aleppo when the sentence before is about
    Aleppo, whichever province the story names more."""
    for back in range(PROVINCE_LOOKBACK + 1):
        near = Counter(admin1 for index, admin1 in provinces if index == sentence - back)
        if near:
            return _leading(near)  # two provinces named as often: either may hold it
    return _leading(Counter(admin1 for _, admin1 in provinces))


def _named_with_area_word(ent) -> bool:
    """True for a name that closes on, or is followed by, an area word of a place on the
    ground: a region-like label (LOC) the gazetteer lacks is still a scene then."""
    words = current_lexicon().area_suffixes - current_lexicon().wide_area_words
    doc = ent.doc
    return (len(ent) > 1 and ent[-1].lower_ in words) or (
        ent.end < len(doc) and doc[ent.end].lower_ in words
    )


def _names_no_scene(analysis: Analysis, ent, place: Place) -> bool:
    """:func:`sitreps.extract.locate.names_no_scene` for an entity span and its place."""
    mention = Mention(
        analysis.article.id, 0, ent.start_char, ent.end_char, ent.text, "PLACE", place.id, STAGE
    )
    return names_no_scene(ent.doc, mention)


def _describes_the_named_town(ent) -> bool:
    """True for a word before "town of", "city of" ("in the northern Syiran town of Raqqa"):
    it describes the town named after "of" (here a misspelt demonym), it is not a town."""
    doc = ent.doc
    return ent.end + 1 < len(doc) and (
        doc[ent.end].text in current_lexicon().settlement_nouns and doc[ent.end + 1].lower_ == "of"
    )


def _around_the_city(ent: Span, place: Place | None, gaz: Gazetteer) -> Place | None:
    """The province around a city that is a province of its own, for a scene set beside the
    city ("near Damascus", "east of the capital Damascus", "on the outskirts of Beirut"): it
    is outside the city, so in the province around it (Rif Dimashq), not in the city's."""
    if place is None or not placed_beside(ent):
        return place
    return gaz.surrounding(place) or place


def _leading(counts: Counter) -> str | None:
    """The most counted key when it is counted more often than any other, else ``None``."""
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _sentence_starts(doc) -> list[int]:
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return [s.start for s in doc.sents]
    return [0]


def extract_places(analysis: Analysis, config: dict) -> Analysis:
    """Add PLACE mentions and resolved places to an analysis.

    Args:
        analysis: an :class:`Analysis` whose ``doc`` is a spaCy ``Doc`` of ``article.text``.
        config: ``labels`` (entity labels to treat as places, default GPE/LOC/FAC);
            ``unlisted_names`` (default on: see :func:`place_unlisted_names`); ``knowledge``,
            the run's package, whose demonyms the gazetteer reads (:func:`gazetteer_for`); an
            optional ``gazetteer`` object overrides both.

    Returns:
        A copy with ``mentions`` extended by ``Mention(label="PLACE", ...)`` for every place
        entity (``entity_id`` is the place id, or ``None`` when unresolved) and for every
        demonym or region adjective (``entity_id`` always ``None``), and ``places`` extended by
        the resolved places, unique by id.
    """
    if analysis.doc is None:
        return analysis
    knowledge = config.get("knowledge")
    # The place nouns ("the village of X") are the run's package's, as for the events stage.
    with reading_lexicon(derived(EventLexicon.of, knowledge)):
        return _extract_places(analysis, config, knowledge)


def _extract_places(analysis: Analysis, config: dict, knowledge: Knowledge | None) -> Analysis:
    """:func:`extract_places` inside the run's lexicon."""
    doc = analysis.doc
    gaz = config.get("gazetteer") or gazetteer_for(knowledge)
    labels = frozenset(config.get("labels", PLACE_LABELS))
    unlisted = bool(config.get("unlisted_names", True))
    ents = find_place_entities(doc, labels, gaz, unlisted)
    county_ends = [find_county_end(ent) for ent in ents]
    ents = [
        doc[ent.start : end] if end else ent
        for ent, end in zip(ents, county_ends, strict=True)
    ]
    toponyms = [
        Toponym(
            text=f"{ent.text} countryside" if _countryside_of(ent) else ent.text,
            admin_hint=find_admin_hint(ent),
            container=find_container(ent, ents),
            hint_id=None if end else ent.ent_id_ or None,
        )
        for ent, end in zip(ents, county_ends, strict=True)
    ]
    us_local = names_us_local_institutions(doc, gaz)
    toponyms = share_containers(toponyms)
    resolved, namesakes = resolve_with_namesakes(
        toponyms, gaz, extra_countries=find_focus_extras(doc, gaz, us_local), local=us_local
    )
    resolved = refuse_abroad_in_container(ents, resolved)
    resolved = refuse_far_from_locator(ents, resolved)
    resolved = place_by_container(ents, toponyms, resolved, county_ends)
    resolved = place_local_namesakes(ents, resolved, namesakes)
    resolved = place_quarters_of_towns(ents, resolved)
    resolved = place_listed_quarters(ents, resolved)
    resolved = [
        None if place is not None and _area_named_as_quarter(ent, place) else place
        for ent, place in zip(ents, resolved, strict=True)
    ]
    resolved = _drop_foreign_landmarks(ents, resolved)
    resolved = _drop_name_tails(ents, resolved)
    if unlisted:
        # On by default since loc41 (issue 18): on five folds of the training sentences, end to
        # end, with the weights retrained on its candidates, it places 2.8 points more event
        # verbs right with the rules (0.591 -> 0.619), 3.2 more with the learned linker (0.620
        # -> 0.652) and 3.5 more combined (0.620 -> 0.655), every fold higher. FA-KES main-event
        # location moves by one article (0.872 -> 0.870: an ambush at a village known by name
        # only, in a story whose towns split between two provinces, now leads), abroad share
        # equal (0.004); GeoWebNews and LGL F1 equal. Re-run scripts/cv_event_location.py,
        # `sitreps eval fakes` and `eval lgl` before changing it.
        plain = {ent.start for ent in find_place_entities(doc, labels, gaz, False)}
        resolved = _unresolve_wording_only(ents, resolved, plain)
        resolved = place_unlisted_names(analysis, ents, resolved, county_ends, gaz)
        ents, resolved = _drop_unnamed_wording_only(ents, resolved, plain)
    resolved = _one_reading_per_name(ents, resolved)
    adjectives = find_place_adjectives(doc, gaz, ents)
    sites = find_located_quarters(doc, ents, resolved) + find_described_capitals(
        doc, gaz, ents, _story_country(resolved)
    )
    if adjectives or sites:
        pairs = sorted(
            [*zip(ents, resolved, strict=True), *((ent, None) for ent in adjectives), *sites],
            key=lambda pair: pair[0].start,
        )
        ents = [ent for ent, _ in pairs]
        resolved = [place for _, place in pairs]
    resolved = [
        _around_the_city(ent, place, gaz) for ent, place in zip(ents, resolved, strict=True)
    ]

    starts = _sentence_starts(doc)
    mentions: list[Mention] = []
    places: dict[str, Place] = {p.id: p for p in analysis.places}
    new_places: list[Place] = []
    for ent, place in zip(ents, resolved, strict=True):
        sentence_index = _sentence_index(starts, ent.start)
        mentions.append(
            Mention(
                article_id=analysis.article.id,
                sentence_index=sentence_index,
                start=ent.start_char,
                end=ent.end_char,
                text=ent.text,
                label="PLACE",
                entity_id=place.id if place else None,
                stage=STAGE,
            )
        )
        if place is not None and place.id not in places:
            places[place.id] = place
            new_places.append(place)
    return dataclasses.replace(
        analysis,
        mentions=analysis.mentions + tuple(mentions),
        places=analysis.places + tuple(new_places),
    )


def _unresolve_wording_only(
    ents: list, resolved: list[Place | None], plain: set[int]
) -> list[Place | None]:
    """Unresolve a name taken only for places known by name only (``plain``: the starts of
    the names taken without the option) that the gazetteer matched to a town of its own:
    without the option the name was no place (unknown as spelled, or tagged as no town's
    name), so the match is a namesake guess ("the storming of the al-Sheitaat area", a
    tribe's land in Syria, read as a town in Iraq). A point its container gives ("Buwa
    village in Taraba State") is kept."""
    return [
        place if place is None or ent.start in plain or place.id.startswith(NEAR_PREFIX)
        else None
        for ent, place in zip(ents, resolved, strict=True)
    ]


def _drop_unnamed_wording_only(
    ents: list, resolved: list[Place | None], plain: set[int]
) -> tuple[list, list[Place | None]]:
    """Leave out the names taken only for places known by name only that got no place after
    all ("met Kowalczyk at Reuters", "the SME sector"): without the option they are no place
    mentions, and an unresolved one would only count as a false toponym."""
    kept = [
        (ent, place) for ent, place in zip(ents, resolved, strict=True)
        if place is not None or ent.start in plain
    ]
    return [ent for ent, _ in kept], [place for _, place in kept]


def _drop_name_tails(ents: list, resolved: list[Place | None]) -> list[Place | None]:
    """Unresolve the tail of a two-part name that the tagger split ("Daraa al-Balad", of which
    only "Balad" was kept): its reading alone in another country than the other places of its
    sentence (Balad in Iraq, in a sentence about Daraa province) is a coin toss the text never
    made."""
    out = list(resolved)
    for i, ent in enumerate(ents):
        place = out[i]
        if place is None or not split_name_tail(ent, current_lexicon().name_articles):
            continue
        others = {
            other.country for j, other in enumerate(out)
            if other is not None and j != i and ents[j].sent.start == ent.sent.start
        }
        if others and place.country not in others:
            out[i] = None
    return out


def _drop_foreign_landmarks(ents: list, resolved: list[Place | None]) -> list[Place | None]:
    """Unresolve a town name that only names a landmark ("Baghdad Station" in Aleppo, "Busra
    Square" in Daraa) unless its town lies in the one country most of the article's other
    places are in: streets and squares are named after faraway cities."""
    sites = current_lexicon().site_nouns
    out = list(resolved)
    for i, ent in enumerate(ents):
        place = out[i]
        if place is None or not names_a_landmark(ent, sites):
            continue
        others = Counter(
            other.country for j, other in enumerate(out)
            if other is not None and j != i and other.country
        ).most_common(2)
        if not others:
            continue
        unique_first = len(others) == 1 or others[0][1] > others[1][1]
        if not (unique_first and place.country == others[0][0]):
            out[i] = None
    return out


# A quarter lies inside its town: a namesake further than this from the town the text puts it
# in is another place ("the Shahba neighbourhood of Aleppo" is no Shahba in Suwayda).
QUARTER_RADIUS_KM = 20.0


def place_quarters_of_towns(ents: list, resolved: list[Place | None]) -> list[Place | None]:
    """Place "the X neighbourhood of Y" in Y when the gazetteer's X lies elsewhere or nowhere.

    The text says outright which town holds the quarter; a namesake of the quarter's name far
    from that town is a coin the gazetteer tossed. The quarter keeps its name, at the town's
    point with a lower precision (see :func:`approximate_place`). A site named after a town
    ("al-Thawra hospital", "Baghdad Station" in Aleppo) names no place of its own: unresolved,
    it leaves its event to the town.
    """
    out = list(resolved)
    by_start = {ent.start: j for j, ent in enumerate(ents)}
    for i, ent in enumerate(ents):
        town_start = _town_of_quarter(ent)
        if town_start is None or (j := by_start.get(town_start)) is None:
            continue
        town = resolved[j]
        if town is None or town.latitude is None or town.id.startswith(("country:", "admin1:")):
            continue
        if _inside_town(out[i], town):
            continue
        site = ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in current_lexicon().site_nouns
        out[i] = None if site else approximate_place(ent.text, town)
    return out


def _inside_town(place: Place | None, town: Place) -> bool:
    """True for a resolved quarter that lies within :data:`QUARTER_RADIUS_KM` of its town."""
    return place is not None and place.latitude is not None and town.latitude is not None and (
        haversine_km(place.latitude, place.longitude, town.latitude, town.longitude)
        <= QUARTER_RADIUS_KM
    )


def place_listed_quarters(ents: list, resolved: list[Place | None]) -> list[Place | None]:
    """Place "the neighbourhoods of al-Mazzeh, Rukn al-Din and al-Mazraa" that name no town in
    the city named last before them, when the gazetteer's namesake lies elsewhere or nowhere:
    a city's quarters told one sentence after the city ("shells hit Damascus ... other shells
    hit the neighbourhoods of ...") are that city's, not a village 100 km away."""
    out = list(resolved)
    for i, ent in enumerate(ents):
        if not _listed_quarter(ent) or _town_of_quarter(ent) is not None:
            continue
        town = next(
            (
                place for place in reversed(resolved[:i])
                if place is not None and place.geo_precision == 1 and place.latitude is not None
                and (place.feature_class or "").startswith(FEATURE_CITY)
            ),
            None,
        )
        if town is None:
            continue
        if _inside_town(out[i], town):
            continue
        out[i] = approximate_place(ent.text, town)
    return out


def _listed_quarter(ent) -> bool:
    """True for a name in "the neighbourhoods of A, B and C area" (one of the list, however
    the parser joins it: conjuncts, an "area" in apposition)."""
    quarters = current_lexicon().neighbourhood_words
    node = ent.root
    for _ in range(6):
        head = node.head
        if head.i == node.i or head.i > node.i and node.dep_ != "compound":
            return False
        if node.dep_ == "prep" and node.lower_ != "of":
            return False
        if node.dep_ not in ("conj", "compound", "appos", "pobj", "prep"):
            return False
        if head.tag_ == "NNS" and head.lemma_.lower() in quarters:
            return True
        node = head
    return False


# How many tokens of a list of quarters may follow the first ("al-Sinaa, al-Jubeila and
# al-Ummal neighbourhoods in ...")
_QUARTER_LIST_TOKENS = 8


def _town_of_quarter(ent) -> int | None:
    """Where the town starts in "X neighbourhood of Y", "X and Z neighbourhoods in the city
    of Y", "the X hospital in the port city of Y"; ``None`` when ``ent`` is no quarter or
    site of a named town."""
    doc = ent.doc
    lexicon = current_lexicon()
    words = lexicon.neighbourhood_words | lexicon.site_nouns | {"district"}
    i = ent.end
    limit = min(len(doc), ent.end + _QUARTER_LIST_TOKENS)
    while i < limit and doc[i].lemma_.lower() not in words and doc[i].lower_ not in words:
        if not (doc[i].lower_ in ("and", ",") or doc[i].is_title or doc[i].text in ("-", "al")):
            return None  # a list of names only: "al-Sinaa and al-Ummal neighbourhoods"
        i += 1
    if i >= limit or i + 2 >= len(doc) or doc[i + 1].lower_ not in ("of", "in"):
        return None
    if doc[i + 1].lower_ == "in" and doc[i].lemma_.lower() == "district":
        return None  # "the Afrin district in Aleppo" may be a province's district
    if i > ent.end and not doc[i].lower_.endswith("s"):
        return None  # "X and the Y quarter" names one quarter, not X's
    i += 2
    if doc[i].lower_ == "the":
        i += 1
    for j in range(i, min(i + 4, len(doc) - 1)):
        if doc[j].lower_ in ("city", "town", "village") and doc[j + 1].lower_ == "of":
            return j + 2  # "in the city of Deir Ezzor", "in the Yemeni port city of Hodeidah"
        if not doc[j].is_lower and doc[j].pos_ != "ADJ":
            break
    return i


def _area_named_as_quarter(ent, place: Place) -> bool:
    """True for a province or country read from a name the text calls a neighbourhood ("rockets
    fell on the Salah-Eddin neighborhood" is no Iraqi province)."""
    doc = ent.doc
    if ent.end >= len(doc) or doc[ent.end].lower_ not in current_lexicon().neighbourhood_words:
        return False
    return place.id.startswith(("admin1:", "country:"))


def _sentence_index(starts: list[int], token_i: int) -> int:
    import bisect

    return max(bisect.bisect_right(starts, token_i) - 1, 0)


# -- one-shot geocoding --------------------------------------------------------------------------


def geocode_text(text: str, nlp) -> list[tuple[Mention, Place | None]]:
    """Find and resolve the places of a text, for ``sitreps geocode "TEXT"``.

    Args:
        text: any English text.
        nlp: a spaCy pipeline (ideally with :func:`add_place_ruler` applied).

    Returns:
        ``(mention, place)`` pairs in text order; ``place`` is ``None`` when unresolved. A
        demonym ("Ukrainian drones") shows the country it names; the pipeline itself never
        places an event at a demonym.
    """
    from sitreps.extract.places import extract_places
    from sitreps.records import Analysis, Article

    gazetteer = get_gazetteer()
    article = Article(id=hashlib.sha256(text.encode("utf-8")).hexdigest(), text=text)
    result = extract_places(Analysis(article=article, doc=nlp(text)), {})
    by_id = {p.id: p for p in result.places}
    pairs = []
    for mention in result.mentions:
        place = by_id.get(mention.entity_id) if mention.entity_id else None
        if place is None and (code := gazetteer.country_for_demonym(mention.text)):
            place = gazetteer.country(code)
        pairs.append((mention, place))
    return pairs
