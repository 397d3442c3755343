"""Toponym resolution: names to gazetteer places.

Resolution chooses among a name's gazetteer candidates with document context: the article's focus
countries (countries it names, demonyms, and the countries of its unambiguous places), an explicit
container ("Saraqeb in Idlib province", "Tripoli, Libya"), an admin-area hint ("Idlib province"),
feature class and population. A name whose best candidate does not clearly beat a rival in another
country stays unresolved (``None``) rather than being guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from sitreps.geo.gazetteer import (
    CONFLICT_COUNTRIES,
    FEATURE_ADMIN1,
    FEATURE_CITY,
    FEATURE_COUNTRY,
    Gazetteer,
    _Row,
    get_gazetteer,
    normalise_toponym,
    row_distance_km,
)
from sitreps.knowledge.event_lexicon import current_lexicon
from sitreps.records import Place

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)

# Score weights. Tuned by hand on the test sentences in tests/test_geo_resolve.py; re-run those
# tests (and the GeoWebNews check in the report) after changing them.
FOCUS_BONUS = 40.0
CONTAINER_BONUS = 80.0
ADMIN_HINT_BONUS = 100.0
RULER_HINT_BONUS = 5.0
# Document-level admin1 evidence ("Texas", "Walker County", "Lindsay" near "Gainesville"): a
# candidate in an area the other names of the article point to gets up to this bonus. Tuned on
# the LGL and GeoWebNews development halves; re-run both after changing these.
ADMIN_FOCUS_BONUS = 35.0
# How much vote one name needs to give an area the full bonus.
ADMIN_FOCUS_FULL = 0.4
# A name votes for the areas of its candidates in proportion to 10 ** (score / this): 16 makes
# a ten times bigger town count about three times as much.
VOTE_SCALE = 16.0
FUZZY_PENALTY = 15.0
# A town matched only by one of its alternate names ("Africa" for Mahdia, "Asia" for a Philippine
# village) is a weaker reading than a place whose own name it is. Tuned on the GeoWebNews and LGL
# development halves (sitreps eval geowebnews / lgl); re-run both after changing it.
ALTERNATE_PENALTY = 15.0
# A name that is only an alternate name of towns smaller than this ("Pleasant City" for Suttons
# Bay, "Big Creek" for Coker) is more often a place the gazetteer lacks than that town; outside
# the conflict countries (where spellings vary: "Jbeil" for Byblos) it stays unresolved. Tuned
# on the LGL and GeoWebNews development halves; re-run both after changing it.
ALTERNATE_ONLY_MAX_POPULATION = 100_000
# An area of a focus country that shares its name with another country ("Georgia" in a story
# about Atlanta) gets the focus bonus this many times over, enough to beat the country's prior.
ADMIN_FOCUS_FACTOR = 2.0
# The best candidate must beat the best rival in another country by this much, unless context
# (focus country or container) supports it.
MIN_MARGIN = 8.0
# The same for namesakes in other admin1 areas of the best candidate's country, unless the
# article's other names give its area at least this share (see AdminVotes.support). Tuned on
# the LGL development half; re-run sitreps eval lgl / geowebnews after changing them.
AREA_MIN_MARGIN = 6.0
AREA_SUPPORTED = 0.5
# The same margin in a local story (``local``: a US paper's sheriff, county board, felony
# charges): a local paper's Norfolk is as often the small Nebraska town as the big Virginia
# city, so size alone decides only by a wider margin. Tuned on the LGL development half; re-run
# sitreps eval lgl / geowebnews after changing it.
LOCAL_AREA_MIN_MARGIN = 9.0

# Single words that are place names somewhere but common English words or news vocabulary here
# (the compass abbreviations of headlines, "Clashes with Kurds in NE Syria", and the peoples and
# sects a headline counts, "Killing 30 Alawites", among them).
STOPLIST = frozenset(
    """of man bar hit march may mobile reading nice bath police split mayor most best bend bury
    deal eagle early enterprise faith liberty independence union friendship hope joy justice
    orange paradise peace pride progress reform republic victory freedom unity van sale goes
    gap mission ada university president army minister ministry government state city capital
    islamic news media press security council forces force said says told north south east west
    central center centre new old great grand little upper lower middle beach port fort mount
    lake river valley island islands bay cape camp airport station hospital school market street
    road square bridge gate palace house tower church mosque temple village town district region
    province area zone border front line base sunday monday tuesday wednesday thursday friday
    saturday january february april june july august september october november december
    reuters afp ap bbc cnn al jazeera kurdish arab arabs christian muslim sunni shia alawite
    hamas hezbollah taliban wagner nato un eu isis isil daesh russia's ne nw se sw kurds alawites
    sunnis shiites christians yazidis assyrians druze""".split()
)


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name to resolve, with the context found around it in the text.

    ``admin_hint``: the text says it is an area ("Idlib province"); ``container``: the name of an
    enclosing place ("Saraqeb in Idlib", "Tripoli, Libya"); ``hint_id``: the id an EntityRuler
    pattern gave it.
    """

    text: str
    admin_hint: bool = False
    container: str | None = None
    hint_id: str | None = None


def clean_toponym(text: str) -> tuple[str, bool]:
    """Strip "the" and a trailing admin word; return the bare name and whether one was there.

    >>> clean_toponym("the Idlib province")
    ('Idlib', True)
    """
    text = _LEADING_THE.sub("", text.strip())
    bare = _admin_suffix(current_lexicon().admin_words).sub("", text)
    return (bare or text), bare != text


@lru_cache(maxsize=8)
def _admin_suffix(words: frozenset[str]) -> re.Pattern[str]:
    """A trailing admin word of the lexicon's (``province_words``, ``admin_nouns``), singular or
    plural, built once per lexicon. Not "district" (so since the first resolver): "Kafr Nabl
    district" keeps its word and is not read as the town of Kafr Nabl."""
    kept = sorted(map(re.escape, words - {"district"}), key=lambda word: (-len(word), word))
    alternatives = "|".join(kept)
    return re.compile(rf"\s+(?:{alternatives})s?$", re.IGNORECASE)


def focus_countries(
    toponyms: Sequence[Toponym], gazetteer: Gazetteer, extra: Iterable[str] = ()
) -> dict[str, float]:
    """Weights (0..1) of the countries an article is about.

    Each distinct name counts once: countries named outright 2, unambiguous places (all
    candidates in one country) 1, a US county ("Lamar County") 1, and each code in ``extra``
    (e.g. from demonyms) 1.
    """
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for top in toponyms:
        # Each name counts once: "Berea" six times in a Kentucky story must not outvote
        # "Brooklyn" six to one for Syria (Berea is an old name of Aleppo).
        if top.text in seen:
            continue
        seen.add(top.text)
        county = _COUNTY.match(top.text)
        if county and gazetteer.county_states(county.group(1)):
            counts["US"] += 1
            continue
        name, _ = clean_toponym(top.text)
        ids = gazetteer.candidate_ids(name, fuzzy=False)
        if not ids:
            continue
        country = gazetteer.rows[ids[0]][1]
        if ids[0].startswith("country:"):
            # "Georgia" names a country and a US state: it must not vote for the country alone.
            if not any(gazetteer.rows[i][5] == FEATURE_ADMIN1 for i in ids[1:]):
                counts[country] += 2
        elif country and _dominant(ids, gazetteer):
            counts[country] += 1
    counts.update(c for c in extra if c)
    if not counts:
        return {}
    top = max(counts.values())
    return {c: n / top for c, n in counts.items()}


# A place counts as unambiguous for the focus when every namesake in another country is a
# village (prior below this) well behind the first candidate: Beirut yes, Tripoli no.
DOMINANT_RIVAL_MAX_PRIOR = 35.0
DOMINANT_MARGIN = 20.0


def _dominant(ids: Sequence[str], gaz: Gazetteer) -> bool:
    """True when the first candidate's country is not seriously contested by namesakes."""
    country = gaz.rows[ids[0]][1]
    top = gaz.prior(ids[0])
    for pid in ids[1:]:
        if gaz.rows[pid][1] != country:
            rival = gaz.prior(pid)
            if rival >= DOMINANT_RIVAL_MAX_PRIOR or top - rival < DOMINANT_MARGIN:
                return False
    return True


def resolve_toponyms(
    toponyms: Sequence[Toponym | str],
    gazetteer: Gazetteer | None = None,
    focus: Mapping[str, float] | None = None,
    extra_countries: Iterable[str] = (),
    local: bool = False,
) -> list[Place | None]:
    """Resolve the place names of one document together.

    Args:
        toponyms: the names, as :class:`Toponym` or plain strings, in document order.
        gazetteer: defaults to :func:`get_gazetteer`.
        focus: country weights; computed with :func:`focus_countries` when not given.
        extra_countries: ISO2 codes that add to the focus (demonyms such as "Libyan").
        local: the document is a local news story, where a town's bigger namesakes in other
            areas are weaker guesses (see ``LOCAL_AREA_MIN_MARGIN``).

    Returns:
        One :class:`Place` or ``None`` per input, in order.

    >>> [p.country for p in resolve_toponyms(["Tripoli", "Benghazi"])]
    ['LY', 'LY']
    """
    return resolve_with_namesakes(toponyms, gazetteer, focus, extra_countries, local)[0]


def resolve_with_namesakes(
    toponyms: Sequence[Toponym | str],
    gazetteer: Gazetteer | None = None,
    focus: Mapping[str, float] | None = None,
    extra_countries: Iterable[str] = (),
    local: bool = False,
) -> tuple[list[Place | None], list[Place | None]]:
    """Like :func:`resolve_toponyms`, plus the foreign namesake each name was refused.

    A name left unresolved because its only reading is a town abroad that the story gives no
    evidence for (see :func:`_abroad_evidence`) is likely a local place the gazetteer lacks; the
    caller may place it near the local place its sentence locates it by.

    >>> resolve_with_namesakes(["Syria", "Aleppo", "al-Maleh"])[1][2].country
    'MV'
    """
    gaz = gazetteer or get_gazetteer()
    tops = [Toponym(t) if isinstance(t, str) else t for t in toponyms]
    extra_countries = list(extra_countries)
    given = focus
    if focus is None:
        focus = focus_countries(tops, gaz, extra_countries)
    admin_focus = admin_votes(tops, gaz, focus)
    own_focus = _focus_without_country_names(tops, gaz, extra_countries) if given is None else {}
    area_margin = LOCAL_AREA_MIN_MARGIN if local else AREA_MIN_MARGIN
    resolved = [
        _resolve_one(top, gaz, own_focus.get(_key(top), focus), admin_focus, area_margin)
        for top in tops
    ]
    if given is not None:
        return resolved, [None] * len(tops)
    others: dict[str, tuple[Mapping[str, float], Mapping[str, float]]] = {}
    out: list[Place | None] = []
    rejected: list[Place | None] = []
    for top, place in zip(tops, resolved, strict=True):
        if (
            place is not None
            and _abroad_candidate(place)
            and gaz.is_place_adjective(top.text)
            and not _spelled_alike(top.text, place.name)
        ):
            place = None  # "the Kazakh capital" names no town that has "Kazakh" as an alias
        namesake = None
        if place is not None and _abroad_candidate(place):
            key = _key(top)
            if key not in others:
                rest = [t for t in tops if _key(t) != key]
                # The story's own land comes from its towns and areas: a country named as a
                # party ("U.S. jets") or a demonym ("an Israeli soldier") says who acted, not
                # where; both still vouch for a town in their country.
                towns = [t for t in rest if not _names_country(t, gaz)]
                # A town resolved in its story's frame counts for its country even when a
                # namesake abroad keeps it from voting on its own ("Homs" is also in Libya):
                # else two towns of one story in two countries would refuse each other.
                placed = {
                    _key(t): p.country for t, p in zip(tops, resolved, strict=True)
                    if p is not None and p.country and _key(t) != key
                    and focus.get(p.country, 0.0) >= HOME_SHARE and not _names_country(t, gaz)
                }
                others[key] = (
                    focus_countries(towns, gaz, placed.values()),
                    focus_countries(rest, gaz, placed.values()),
                    focus_countries(rest, gaz, [*extra_countries, *placed.values()]),
                )
            home, named, attested = others[key]
            local = _home_namesake(top, place, home or attested, named, gaz, focus, admin_focus)
            if local is not None:
                place = local
            elif not _abroad_evidence(top, place, home, named, attested, gaz, focus):
                place, namesake = None, place
        out.append(place)
        rejected.append(namesake)
    return out, rejected


def _names_country(top: Toponym, gaz: Gazetteer) -> bool:
    """True for a country's name ("Russia", "the U.S.")."""
    ids = gaz.candidate_ids(clean_toponym(top.text)[0], fuzzy=False)
    return bool(ids) and ids[0].startswith("country:")


# A town abroad that nothing else in a story points to ("Hassan" in a Syria story is a man, not
# the Indian town; "al-Maleh" is not Malé) is taken on its name alone only when that name is
# the town's own (not one of its alternate spellings) and the town is one a reader needs no
# country for: a capital or a city of about a million. Tuned on the 120-article FA-KES
# development slice (abroad share) against LGL and GeoWebNews (sitreps eval lgl / geowebnews);
# re-run all three after changing it.
ABROAD_PROMINENT_PRIOR = 50.0


def _abroad_candidate(place: Place) -> bool:
    """True for a resolved town (not a country, area or curated alias) that may be a namesake."""
    return place.feature_class == FEATURE_CITY and place.id.startswith("gn:")


def _abroad_evidence(
    top: Toponym,
    place: Place,
    home: Mapping[str, float],
    named: Mapping[str, float],
    attested: Mapping[str, float],
    gaz: Gazetteer,
    focus: Mapping[str, float],
) -> bool:
    """True when a story gives a town abroad enough evidence to be read as that town.

    ``home`` is the focus the story's *other* towns and areas give, ``named`` that of all its
    other names, ``attested`` that of its other names and demonyms. A story whose towns are
    nowhere in particular, one whose other names point to the town's country (the country
    named, another of its towns), or an explicit container in that country ("Batna, Algeria"),
    is evidence. A demonym alone ("the British-based Observatory") vouches only for the town's
    own name, not for an alternate spelling or a near miss ("Abedin" is no "Aberdeen").
    Otherwise the name must be the town's own and the town prominent (see
    ``ABROAD_PROMINENT_PRIOR``).
    """
    country = place.country or ""
    if not home or named.get(country, 0.0) > 0.0:
        return True
    name, _ = clean_toponym(top.text)
    own_name = _spelled_alike(name, place.name) and not gaz.is_fuzzy_hit(name)
    if own_name and attested.get(country, 0.0) > 0.0:
        return True
    container = _container_place(top.container, gaz, focus)
    if container is not None and container.country == place.country:
        return True
    return own_name and gaz.prior(place.id) >= ABROAD_PROMINENT_PRIOR


# The share of a story's own land (its other towns, else its demonyms) that makes a country
# the one whose namesake a small town abroad gives way to.
HOME_SHARE = 0.5


def _home_namesake(
    top: Toponym,
    place: Place,
    land: Mapping[str, float],
    named: Mapping[str, float],
    gaz: Gazetteer,
    focus: Mapping[str, float],
    admin_focus: AdminVotes,
) -> Place | None:
    """The namesake in the story's own land of a small town abroad the story does not point to.

    "Madaya" in a story about Syria is the besieged town near Damascus, not the larger Madaya in
    Myanmar that the population prior picks: GeoNames gives most Syrian villages no population
    at all. Only a town that is not prominent gives way (a capital or a large city abroad is
    taken at its word, see ``ABROAD_PROMINENT_PRIOR``), and only where nothing else in the story
    names the town's country or places the name in it ("Batna, Algeria").
    """
    country = place.country or ""
    if named.get(country, 0.0) > 0.0 or gaz.prior(place.id) >= ABROAD_PROMINENT_PRIOR:
        return None
    container = _container_place(top.container, gaz, focus)
    if container is not None and container.country == country:
        return None
    home = {c for c, weight in land.items() if weight >= HOME_SHARE and c != country}
    if not home:
        return None
    name, _ = clean_toponym(top.text)
    key = normalise_toponym(name)
    local = [
        (admin_focus.support(key, (row.country, row.admin1)) if row.admin1 else 0.0,
         gaz.prior(pid), pid, row.country)
        for pid in gaz.candidate_ids(name, fuzzy=False)
        for row in [_Row._make(gaz.rows[pid])]
        if row.country in home and row.feature_class == FEATURE_CITY
    ]
    if not local or len({c for *_, c in local}) > 1:
        return None  # no namesake at home, or namesakes in two home countries: no pick
    return gaz.place(max(local)[2])


def _spelled_alike(text: str, name: str) -> bool:
    """True when two names differ in case and accents only: "al-Maleh" is not "Male", though
    the gazetteer's key (which drops Arabic articles and folds spellings) makes them one.

    >>> _spelled_alike("Malé", "Male"), _spelled_alike("al-Maleh", "Male")
    (True, False)
    """

    def plain(value: str) -> str:
        folded = unicodedata.normalize("NFKD", value)
        return "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()

    return plain(text) == plain(name)


def _key(top: Toponym) -> str:
    return normalise_toponym(clean_toponym(top.text)[0])


def _focus_without_country_names(
    tops: Sequence[Toponym], gaz: Gazetteer, extra: Iterable[str]
) -> dict[str, dict[str, float]]:
    """For each name of a country that also names towns, the focus its own mentions leave.

    A country's name cannot vouch for itself against a namesake: "Palestine" repeated in a
    story about Palestine, Texas, must not make the Palestinian Territories the focus that
    then outvotes Texas for "Palestine".
    """
    out: dict[str, dict[str, float]] = {}
    for top in tops:
        key = _key(top)
        if key in out:
            continue
        ids = gaz.candidate_ids(clean_toponym(top.text)[0], fuzzy=False)
        if len(ids) > 1 and ids[0].startswith("country:"):
            others = [t for t in tops if _key(t) != key]
            out[key] = focus_countries(others, gaz, extra)
    return out


AdminPair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class AdminVotes:
    """How strongly each name of a document points to each (country, admin1) area.

    Every distinct name votes once, split over the areas of its candidates by their score, so
    "Winside" (one Nebraska village) votes fully for Nebraska and "Wayne" (towns in twenty
    states) a little for each; a "<name> County" votes for the states that have such a county.
    """

    by_name: Mapping[str, Mapping[AdminPair, float]]
    total: Mapping[AdminPair, float]

    def support(self, key: str, pair: AdminPair) -> float:
        """0..1: the share of the *other* names' votes that goes to ``pair``.

        A name cannot support itself; a share of ``ADMIN_FOCUS_FULL`` or more counts fully, so
        a local story (most names in one state) weighs more than a national one.
        """
        own = self.by_name.get(key, {})
        votes = self.total.get(pair, 0.0) - own.get(pair, 0.0)
        cast = self.cast - sum(own.values())
        if votes <= 0.0 or cast <= 0.0:
            return 0.0
        return min(votes / cast / ADMIN_FOCUS_FULL, 1.0)

    def leading_area(self, key: str) -> tuple[AdminPair | None, float]:
        """The area the *other* names vote for most, and its share (0..1) of their votes."""
        own = self.by_name.get(key, {})
        cast = self.cast - sum(own.values())
        if cast <= 0.0:
            return None, 0.0
        pair = max(self.total, key=lambda p: self.total[p] - own.get(p, 0.0))
        return pair, (self.total[pair] - own.get(pair, 0.0)) / cast

    @property
    def cast(self) -> float:
        """All votes cast for any area."""
        return sum(self.total.values())


_COUNTY = re.compile(r"^(?:the\s+)?(.+?\s+(?:County|Parish))\b")


def admin_votes(
    tops: Sequence[Toponym], gaz: Gazetteer, focus: Mapping[str, float] | None = None
) -> AdminVotes:
    """Collect the admin1 votes of a document's names (see :class:`AdminVotes`).

    >>> votes = admin_votes([Toponym("Texas"), Toponym("Huntsville")], get_gazetteer())
    >>> votes.support("huntsville", ("US", "Texas"))
    1.0
    """
    focus = focus or {}
    by_name: dict[str, dict[AdminPair, float]] = {}
    for top in tops:
        county = _COUNTY.match(top.text)
        if county:
            states = gaz.county_states(county.group(1))
            key = normalise_toponym(county.group(1))
            if states and key not in by_name:
                by_name[key] = {("US", state): 1.0 / len(states) for state in states}
            continue
        name = clean_toponym(top.text)[0]
        key = normalise_toponym(name)
        if key in by_name:
            continue
        by_name[key] = _name_votes(gaz.candidate_ids(name, fuzzy=False), gaz, focus)
    total: Counter[AdminPair] = Counter()
    for votes in by_name.values():
        total.update(votes)
    return AdminVotes(by_name, dict(total))


def _name_votes(
    ids: Sequence[str], gaz: Gazetteer, focus: Mapping[str, float]
) -> dict[AdminPair, float]:
    """One name's vote, split over its candidates' areas by their context-free score.

    Only areas the gazetteer holds as places (states, provinces, governorates that a text can
    name) take votes; a candidate elsewhere keeps its share of the split but casts it for no
    area, so a foreign namesake ("Dublin City") does not dilute a local story's state.
    """
    weights = []
    for pid in ids:
        row = _Row._make(gaz.rows[pid])
        score = gaz.prior(pid) + FOCUS_BONUS * focus.get(row.country or "", 0.0)
        pair = (row.country, row.admin1) if row.admin1 else None
        weights.append((score, pair if pair in gaz.area_pairs else None))
    if not weights:
        return {}
    top = max(score for score, _ in weights)
    shares = [(10 ** ((score - top) / VOTE_SCALE), pair) for score, pair in weights]
    norm = sum(share for share, _ in shares)
    votes: Counter[AdminPair] = Counter()
    for share, pair in shares:
        if pair is not None:
            votes[pair] += share / norm
    return dict(votes)


def _generic_name(name: str) -> bool:
    """True for a name made only of common place words ("Old City", "Central Market", "New
    Town"): most towns have one, so a namesake abroad is no reading of it in a story about
    another country; at home ("South Bend", "Old Town" in Maine) it may be the town."""
    words = name.lower().split()
    # What a town is made of ("city", "market"): the lexicon's ``town_part_nouns``.
    parts = current_lexicon().town_part_nouns
    return len(words) > 1 and words[-1] in parts and all(word in STOPLIST for word in words)


def _resolve_one(
    top: Toponym,
    gaz: Gazetteer,
    focus: Mapping[str, float],
    admin_focus: AdminVotes,
    area_margin: float = AREA_MIN_MARGIN,
) -> Place | None:
    name, admin_hint = clean_toponym(top.text)
    admin_hint = admin_hint or top.admin_hint
    whole = _LEADING_THE.sub("", top.text.strip())
    # "Damascus countryside" is a province of its own (Rif Dimashq), not Damascus's
    ids = gaz.candidate_ids(whole, fuzzy=False) if whole != name else ()
    ids = ids or gaz.candidate_ids(name)
    if not ids and top.hint_id in gaz.rows:
        ids = (top.hint_id,)
    if not ids:
        return None
    if _generic_name(name) and not any(
        i.startswith(("alias:", "country:", "admin"))
        or focus.get(gaz.rows[i][1], 0.0) >= HOME_SHARE
        for i in ids
    ):
        return None  # "the Old City siege" in a Homs story: not Jerusalem's, abroad
    if name.endswith(".") and any(gaz.rows[i][5] == FEATURE_ADMIN1 for i in ids):
        # "La.", "Mo.", "Va.": a dotted abbreviation that is an area's short form names the
        # area, never a town that has it as one of its hundred alternate spellings.
        ids = tuple(i for i in ids if gaz.rows[i][5] in (FEATURE_ADMIN1, FEATURE_COUNTRY))
    fuzzy = gaz.is_fuzzy_hit(name)
    container = _container_place(top.container, gaz, focus)
    areas = _container_areas(container, gaz) if container is not None else set()
    key = normalise_toponym(name)
    names_country = any(pid.startswith("country:") for pid in ids)

    scored = []
    for pid in ids:
        row = _Row._make(gaz.rows[pid])
        score = gaz.prior(pid)
        supported = area_supported = False
        if row.country in focus:
            factor = 1.0
            if names_country and row.feature_class == FEATURE_ADMIN1:
                factor = ADMIN_FOCUS_FACTOR
            score += FOCUS_BONUS * focus[row.country] * factor
            supported = focus[row.country] >= 0.5
        if (
            row.feature_class == "P"
            and not row.curated
            and not fuzzy
            and normalise_toponym(row.name) != key
        ):
            score -= ALTERNATE_PENALTY
        if container is not None and container.id != pid:
            if container.country == row.country and (
                container.feature_class == FEATURE_COUNTRY
                or (row.country, row.admin1) in areas
            ):
                score += CONTAINER_BONUS
                supported = area_supported = True
        if (
            admin_hint
            and row.feature_class == FEATURE_ADMIN1
            # A GeoNames-only province abroad is no reading of "the Charlotte region".
            and (pid not in gaz.generated_set or not focus or row.country in focus)
        ):
            score += ADMIN_HINT_BONUS
        if row.admin1:
            share = admin_focus.support(key, (row.country, row.admin1))
            score += ADMIN_FOCUS_BONUS * share
            area_supported = area_supported or share >= AREA_SUPPORTED
        if pid == top.hint_id:
            score += RULER_HINT_BONUS
        if fuzzy:
            score -= FUZZY_PENALTY
        scored.append((score, supported, area_supported, pid, row))
    if _outside_named_area(container, [s[4] for s in scored], areas):
        return None
    scored.sort(key=lambda s: s[0], reverse=True)
    if not (scored[0][1] or scored[0][2] or fuzzy):  # neither its country nor its area named
        scored = _home_first(scored, focus, gaz)
    best_score, supported, area_supported, best_id, best_row = scored[0]
    rivals = [
        s for s in scored[1:]
        if s[4].country != best_row.country and not _one_area(s[4], best_row)
    ]
    if rivals and not supported and best_score - rivals[0][0] < MIN_MARGIN:
        return None
    # Towns of one name in several states of the same country (Richmond, Springfield): a pick
    # that nothing in the article places in its state is a coin toss, so it stays unresolved.
    area_rivals = [
        s
        for s in scored[1:]
        if s[4].country == best_row.country
        and s[4].admin1 != best_row.admin1
        and s[4].feature_class == FEATURE_CITY
        and not _same_spot(s[4], best_row)
    ]
    # The ruler's id is the most prominent namesake by construction, so it says nothing more
    # about the area than the population prior already did.
    hint = RULER_HINT_BONUS if best_id == top.hint_id else 0.0
    if (
        best_row.feature_class == FEATURE_CITY
        and area_rivals
        and not area_supported
        and best_score - hint - area_rivals[0][0] < area_margin
    ):
        return None
    rows = [s[4] for s in scored]
    if not fuzzy and _small_alternate_only(key, best_row, rows):
        return None
    if not area_supported and _local_town_missing(key, best_row, rows, admin_focus):
        return None
    if fuzzy and not supported and not gaz.is_curated(best_id):
        # A fuzzy hit outside the article's countries is more likely a wrong word than a place.
        return None
    return gaz.place(best_id)


def _home_first(scored: list, focus: Mapping[str, float], gaz: Gazetteer) -> list:
    """Put first the town in the story's country when the leader is a small town abroad.

    The population prior is no reason to leave the story's country: GeoNames gives most Syrian
    villages no population, so the Madaya in Myanmar outscores the besieged one near Damascus.
    A prominent town abroad (see ``ABROAD_PROMINENT_PRIOR``) keeps its lead, and namesakes in
    two of the story's countries leave the order as it is.
    """
    best = scored[0]
    if best[4].feature_class != FEATURE_CITY or gaz.prior(best[3]) >= ABROAD_PROMINENT_PRIOR:
        return scored
    home = [
        s for s in scored[1:]
        if s[1] and s[4].feature_class == FEATURE_CITY and s[4].country != best[4].country
    ]
    if not home or len({s[4].country for s in home}) > 1:
        return scored
    return [home[0], *(s for s in scored if s is not home[0])]


# Namesakes closer than this are one place on any map (Kansas City, Missouri and Kansas City,
# Kansas): choosing between them is no coin toss.
SAME_SPOT_KM = 50.0


def _same_spot(a: _Row, b: _Row) -> bool:
    """True for two namesakes a few miles apart, on either side of a state line."""
    distance = row_distance_km(a, b)
    return distance is not None and distance < SAME_SPOT_KM


def _outside_named_area(
    container: Place | None, rows: Sequence[_Row], areas: set[tuple[str | None, str | None]]
) -> bool:
    """True when the text puts the name in an admin1 area none of its namesakes lies in.

    "Born in Grantville, Pennsylvania": the gazetteer's Grantvilles are in Georgia and Utah, so
    the Pennsylvania town is one it lacks, and picking the Georgia one would contradict the text.
    The caller places such a name at its container instead (see ``place_by_container``).
    ``areas``: the container's areas (:func:`_container_areas`), found once per name.
    """
    if container is None or container.feature_class != FEATURE_ADMIN1:
        return False
    return not any(_has_namesake_in(area, rows) for area in areas)


def _container_areas(container: Place, gaz: Gazetteer) -> set[tuple[str | None, str | None]]:
    """The (country, admin1) areas a container names: its own, and for a city that is a
    province of its own the province around it ("a shrine in the suburbs of Damascus" lies in
    Rif Dimashq)."""
    areas = {(container.country, container.admin1)}
    around = gaz.surroundings.get(container.country or "", {}).get(container.admin1 or "")
    if around is not None:
        areas.add((container.country, gaz.place(around).admin1))
    return areas


def _has_namesake_in(area: tuple[str | None, str | None], rows: Sequence[_Row]) -> bool:
    """True when one of the name's candidates lies in this (country, admin1) area."""
    return any((row.country, row.admin1) == area for row in rows)


# A town below this size, picked in one area while the article's other names point to another
# area of the same country where the name has no namesake, is more likely a local place the
# gazetteer lacks ("Thurston" in a story about northeast Nebraska is not the Ohio village).
# Tuned on the LGL and GeoWebNews development halves; re-run both after changing it.
MISSING_LOCAL_MAX_POPULATION = 100_000
# The share of the other names' area votes that makes an area the article's own.
LOCAL_AREA_SHARE = 0.5


def _local_town_missing(key: str, best: _Row, rows: Sequence[_Row], votes: AdminVotes) -> bool:
    """True when the article's own area has no namesake and the pick is a small town elsewhere.

    Only for names the gazetteer gives to several places, outside the conflict countries (where
    it holds every GeoNames village): a name only one town carries is most likely that town.
    """
    if (
        best.feature_class != FEATURE_CITY
        or best.population >= MISSING_LOCAL_MAX_POPULATION
        or best.country in CONFLICT_COUNTRIES
        or len(rows) < 2
    ):
        return False
    area, share = votes.leading_area(key)
    if area is None or share < LOCAL_AREA_SHARE or area[0] != best.country:
        return False
    return not _has_namesake_in(area, rows)


def _one_area(first: _Row, second: _Row) -> bool:
    """True for a curated region without a country and an area of the same name ("West Bank"
    the region and the Palestinian admin1): two records of one land, not rival readings."""
    return (first.country is None or second.country is None) and normalise_toponym(
        first.name
    ) == normalise_toponym(second.name)


def _small_alternate_only(key: str, best: _Row, rows: Sequence[_Row]) -> bool:
    """True when the pick is a small town that carries the name only as an alternate, and no
    candidate carries it as its own (see ALTERNATE_ONLY_MAX_POPULATION)."""
    return (
        best.feature_class == FEATURE_CITY
        and not best.curated
        and best.population < ALTERNATE_ONLY_MAX_POPULATION
        and best.country not in CONFLICT_COUNTRIES
        and not any(normalise_toponym(row.name) == key for row in rows)
    )


def _container_place(text: str | None, gaz: Gazetteer, focus: Mapping[str, float]) -> Place | None:
    """Resolve the enclosing place of an "X in Y" / "X, Y" pattern (countries and admin1 only)."""
    if not text:
        return None
    name, _ = clean_toponym(text)
    # "Douma in Damascus Countryside": the whole phrase names an area of its own (Rif Dimashq),
    # which the name left after cleaning ("Damascus", the city's own admin1) is not
    cleaned = list(gaz.candidate_ids(name, fuzzy=False))
    whole = [pid for pid in gaz.candidate_ids(text, fuzzy=False) if pid not in cleaned]
    for pid in whole + cleaned:
        row = _Row._make(gaz.rows[pid])
        if row.feature_class in (FEATURE_COUNTRY, FEATURE_ADMIN1):
            if row.feature_class == FEATURE_ADMIN1 and focus and row.country not in focus:
                continue
            return gaz.place(pid)
    return None


# -- places known only through their container ------------------------------------------------

# Ids of places the gazetteer lacks, placed at the place that locates them in the text.
NEAR_PREFIX = "near:"


def approximate_place(name: str, container: Place) -> Place:
    """A place the gazetteer lacks, at the coordinates of the place that locates it.

    ACLED's rule for a village it cannot find: code the nearest known place and lower the
    geo-precision, 2 beside a town, 3 inside a province or region. The name stays the
    text's own, so an analyst sees which village the article meant.
    """
    return replace(
        container,
        id=f"{NEAR_PREFIX}{normalise_toponym(name).replace(' ', '-')}@{container.id}",
        name=name,
        feature_class=None,
        population=None,
        geo_precision=2 if container.geo_precision <= 1 else 3,
    )


# -- places named in the text and nowhere else ----------------------------------------------------

# Ids of places the gazetteer lacks and nothing in the text locates (issue 18): a village or a
# quarter the article names as the scene, known by its name and its story's country only.
NAME_PREFIX = "name:"


def unlisted_place(name: str, country: str | None, admin1: str | None = None) -> Place:
    """A place known only by the name the text gives it, with no coordinates.

    "Gunmen opened fire in Kotli Bazaar": no gazetteer entry and no container place the name,
    yet the sentence says it is where the event happened. The event keeps the name, the
    story's country (``None`` when the story has no clear one) and province (``admin1``, when
    its towns agree on one), at province or country precision (3), and no point: a map or an
    export must not show an invented spot for it.

    >>> unlisted_place("Kotli Bazaar", "PK").id
    'name:kotli-bazar@PK'
    >>> unlisted_place("Kotli Bazaar", None).latitude is None
    True
    """
    key = normalise_toponym(name).replace(" ", "-")
    return Place(
        id=f"{NAME_PREFIX}{key}@{country or '-'}",
        name=name,
        country=country,
        admin1=admin1 if country else None,
        geo_precision=3,
    )


def name_key(place_id: str | None) -> str | None:
    """The name key of a place the gazetteer lacks (:func:`approximate_place`,
    :func:`unlisted_place`), whatever located it; ``None`` for any other id.

    >>> name_key("near:qurya@gn:170794"), name_key("name:qurya@SY"), name_key("gn:170063")
    ('qurya', 'qurya', None)
    """
    if not place_id or "@" not in place_id:
        return None
    for prefix in (NEAR_PREFIX, NAME_PREFIX):
        if place_id.startswith(prefix):
            return place_id.removeprefix(prefix).split("@", 1)[0]
    return None


def is_unlisted(place_id: str | None) -> bool:
    """True for the id of a place known only by its name (see :func:`unlisted_place`).

    >>> is_unlisted("name:kotli-bazaar@PK"), is_unlisted("gn:170063")
    (True, False)
    """
    return bool(place_id) and place_id.startswith(NAME_PREFIX)
