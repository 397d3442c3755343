"""Cross-article event merging: the same real-world event reported twice becomes one event.

Several articles report the Palmyra assault or the Aleppo evacuation; each article yields its own
``Event``. ``merge_events`` groups the events that describe one real-world event into a
``MergedEvent`` with every source, a source count and a confidence that rises with independent
sources. It is a pure function over the events' *content*: the result does not depend on the
order the events arrive in, so ingesting A then B or B then A gives the same merged rows and ids.

Two events are *compatible* (may be the same real-world event) when all of these hold:

- both are factual (``asserted``/``reported``): hedged, negated and future events stay alone;
- same ACLED event type and the same or a compatible sub-event type (an "Armed clash" is the
  generic form of a territorial battle); or, within one group of types (violence), one act
  two papers typed apart: an attack on civilians with no means named and another's rocket
  fire on that town with like tolls, or two readings of one exact toll
  (:func:`_one_act_typed_two_ways`);
- same place, or within ``NEARBY_KM``, or one is the admin1 containing the other and was
  coded less precisely; an event placed only in a country matches nothing;
- their tolls do not fall by half from the earlier report to the later;
- a wire story two papers ran (both first told by one sentence of twelve words or more, word
  for word) is one incident on days at most one apart, whatever toll or doer each read, at one
  place or in the area that holds it;
- and either both state one exact toll of at least ``EXACT_TOLL_MIN`` dead on days at most one
  apart (sources differ on whom to blame and on the day of a night's strike, not on a count),
  or their date windows overlap (the window widens with ``time_precision``), their actors
  agree (each role the same, missing or unidentified on one side, or a unit and the force it
  is part of; Battles may swap the two sides), and they agree on something an incident is
  known by: the same day, town or toll (:func:`anchored`).

Clusters are built complete-link: an event joins a cluster only if it is compatible with every
member, so a vague event can never chain two different towns' events together. Members are
visited in a content-derived order, which is what makes the result order-independent.

The store does not hold a corpus's events at once: ``merge_blocks`` sweeps events sorted by
the group of their event type and by date window, and yields each connected component of
compatible events once its windows have closed; each component clusters alone to the same
result (``merge_stream``), and only the components that hold a new event need clustering again.

``MergedEvent`` lives here rather than in ``records.py`` because it is never passed between
extraction stages: it is the store's and the exporters' view of a cluster.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from sitreps.extract.casualties import states_number
from sitreps.extract.dates import NIGHT
from sitreps.geo.distance import haversine_km
from sitreps.geo.gazetteer import named_like_its_province, surrounds
from sitreps.geo.resolve import NAME_PREFIX, NEAR_PREFIX, name_key
from sitreps.knowledge.actors import UNIDENTIFIED_ID_PREFIX, ActorKB, actor_kb_for
from sitreps.knowledge.package import Knowledge, derived
from sitreps.records import FACTUAL_MODALITIES, Event, Place

if TYPE_CHECKING:
    from sitreps.store.duckdb import Store

STAGE = "sitreps.merge.v1"
# Places closer than this are taken for the same spot: news places one strike "in" a town and
# "near" it, and GeoNames often has a town and its district a few km apart.
NEARBY_KM = 25.0
# Half-width of an event's date window per ACLED time_precision (1 day, 2 week, 3 month).
DATE_SLACK_DAYS = {1: 0, 2: 7, 3: 31}
# How far apart the windows of two reports of one incident may lie: a night's strike and the
# next morning's dateline (see :func:`_within_a_day`).
_REPORT_SLACK = timedelta(days=1)
# A merged confidence never reaches certainty, however many articles repeat a claim.
MAX_CONFIDENCE = 0.99


@dataclass(frozen=True, slots=True)
class MergeRules:
    """What the ontology (``ontology.toml`` and a user's knowledge files) says about merging."""

    # Pairs of sub-event types that can describe one event: a sub-type and the one it is a form
    # of (a territorial change is a clash that ended) may be reports of one event.
    compatible: frozenset[frozenset[str]]
    # The general one of such a pair: the less specific, never the merged event's type.
    general: frozenset[str]
    # Event types whose two sides may be named in either order (a clash has no attacker).
    symmetric: frozenset[str]
    # Sub-event types whose reports are each their own event (``merges = false``).
    alone: frozenset[str]
    # Each actor's ancestors by ``part_of`` ("russian-air-force": "russian-military-forces"):
    # one source names the unit, another the force it belongs to.
    ancestors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Actors of unarmed kinds (civilians, protesters): an unidentified armed group is not one.
    unarmed: frozenset[str] = frozenset()
    # Pairs of sub-types one of which reporters often take for the other (``mistaken_for``):
    # one paper's shelling of a town and another's air strike on it that day.
    mistaken: frozenset[frozenset[str]] = frozenset()
    # Sub-types only a state's forces carry out (``state_only``): air strikes, gas attacks.
    state_only: frozenset[str] = frozenset()
    # Each actor with the actors that back it (``backers``, and a unit its force's backers).
    backers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Sub-types whose acts are rare (``rare``): one province's reports on one day are one act.
    rare: frozenset[str] = frozenset()
    # Event types of one-sided violence (group "violence", not symmetric): a strike, a bombing,
    # a massacre, each done by one side to a place on a day.
    one_sided: frozenset[str] = frozenset()
    # Each generic role actor ("syrian-rebels") with the actors of its kind and country it may
    # stand for: one paper's "rebels" are another's "Nusra Front".
    members: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Each event type with its group ("violence"): reports of one act may be typed apart
    # within a group (one paper's attack on civilians is another's air strike), never across.
    groups: Mapping[str, str] = field(default_factory=dict)
    # Sub-types of one-sided violence that name no means (``generic``: an attack on civilians).
    means_untold: frozenset[str] = frozenset()
    # Sub-types that name the means (``weapon_rank``: an air strike, shelling, a bomb).
    means: frozenset[str] = frozenset()

    @classmethod
    def of(cls, knowledge: Knowledge) -> MergeRules:
        """The merge rules of ``knowledge``."""
        subs = knowledge.sub_event_types.values()
        kb = actor_kb_for(knowledge)
        unarmed_kinds = knowledge.kinds(armed=False)
        return cls(
            compatible=frozenset(frozenset({s.name, s.form_of}) for s in subs if s.form_of),
            general=frozenset(s.form_of for s in subs if s.form_of),
            symmetric=frozenset(n for n, kind in knowledge.event_types.items() if kind.symmetric),
            alone=frozenset(s.name for s in subs if not s.merges),
            ancestors=_actor_ancestors(kb),
            unarmed=frozenset(actor.id for actor in kb.actors() if actor.kind in unarmed_kinds),
            mistaken=frozenset(
                frozenset({s.name, s.mistaken_for}) for s in subs if s.mistaken_for
            ),
            state_only=frozenset(s.name for s in subs if s.state_only),
            backers={actor.id: frozenset(actor.backers) for actor in kb.actors() if actor.backers},
            rare=frozenset(s.name for s in subs if s.rare),
            one_sided=frozenset(
                name for name in knowledge.event_types_in("violence")
                if not knowledge.event_types[name].symmetric
            ),
            members=_role_members(kb),
            groups={n: kind.group for n, kind in knowledge.event_types.items() if kind.group},
            means_untold=frozenset(
                s.name for s in subs
                if s.generic and s.event_type in knowledge.event_types
                and not knowledge.event_types[s.event_type].symmetric
            ),
            means=frozenset(s.name for s in subs if s.weapon_rank is not None),
        )

    def block_of(self, event_type: str | None) -> str | None:
        """The key the merge blocks rows by: the event type's group, else the type itself."""
        group = self.groups.get(event_type or "")
        return f"group:{group}" if group else event_type


def _role_members(kb: ActorKB) -> dict[str, frozenset[str]]:
    """Every generic role actor of a country ("syrian-rebels") with the named actors of its
    kind and country ("nusra-front"), which a paper may call by the role alone."""
    actors = list(kb.actors())
    by_kind: dict[tuple[str | None, str], set[str]] = {}
    for actor in actors:
        if actor.country is not None:
            by_kind.setdefault((actor.kind, actor.country), set()).add(actor.id)
    return {
        generic.id: frozenset(by_kind[(generic.kind, generic.country)] - {generic.id})
        for generic in actors
        if kb.role_of(generic.id) is not None and generic.country is not None
    }


def _actor_ancestors(kb: ActorKB) -> dict[str, frozenset[str]]:
    """Every actor with a ``part_of`` chain, mapped to the actors above it."""
    parents = {actor.id: actor.part_of for actor in kb.actors() if actor.part_of}
    ancestors = {}
    for child in parents:
        seen: list[str] = []
        parent = parents.get(child)
        while parent is not None and parent != child and parent not in seen:
            seen.append(parent)
            parent = parents.get(parent)
        ancestors[child] = frozenset(seen)
    return ancestors


def merge_rules(knowledge: Knowledge | None = None) -> MergeRules:
    """The merge rules of ``knowledge`` (the built-in package when ``None``), built once."""
    return derived(MergeRules.of, knowledge)


BUILTIN_RULES = merge_rules()
COMPATIBLE_SUB_TYPES = BUILTIN_RULES.compatible


@dataclass(frozen=True, slots=True)
class FatalityReport:
    """One source's death toll for a merged event, kept so disagreement stays visible."""

    event_id: str
    article_id: str | None
    low: int
    high: int
    as_stated: str | None = None


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """One real-world event with every article event that reports it.

    ``fatalities_best`` follows ACLED's rule of the most conservative credible figure: the
    lowest ``low`` of the latest day's reports (a toll rises as the dead are found) that
    state a figure; reports that state only a word ("dozens") count where none does.
    ``fatalities_low``/``fatalities_high`` span every report.
    """

    id: str
    member_ids: tuple[str, ...]
    event_type: str
    sub_event_type: str
    plover_type: str | None
    trigger: str | None
    event_date: date | None
    time_precision: int
    actor1: str | None
    actor2: str | None
    assoc_actor_1: str | None
    assoc_actor_2: str | None
    place_id: str | None
    geo_precision: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    fatalities_best: int | None
    fatalities_as_stated: str | None
    fatalities_victims: str | None
    fatality_reports: tuple[FatalityReport, ...]
    modality: str
    confidence: float
    source_count: int
    article_ids: tuple[str, ...]
    sources: tuple[dict[str, Any], ...] = field(default=())
    stage: str = STAGE


def merged_id(member_ids: Iterable[str]) -> str:
    """The id of a cluster: a lone event keeps its own id, a group hashes its sorted members.

    >>> merged_id(["ev-b", "ev-a"]) == merged_id(["ev-a", "ev-b"])
    True
    >>> merged_id(["ev-a"])
    'ev-a'
    """
    ids = sorted(set(member_ids))
    if len(ids) == 1:
        return ids[0]
    return "m-" + hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:24]


def event_row(event: Event | Mapping[str, Any], places: Mapping[str, Place] | None = None,
              article_id: str | None = None) -> dict[str, Any]:
    """Normalise an ``Event`` (with its places) or an ``event_view`` row into one dict shape."""
    if isinstance(event, Mapping):
        row = dict(event)
        row.setdefault("actor1_id", row.get("actor1"))
        row.setdefault("actor2_id", row.get("actor2"))
        row.setdefault("assoc_actor_1_id", row.get("assoc_actor_1"))
        row.setdefault("assoc_actor_2_id", row.get("assoc_actor_2"))
        row.setdefault("sources", [])
        return row
    place = (places or {}).get(event.place_id or "")
    f = event.fatalities
    sources = [
        {"article_id": s.article_id, "sentence": s.sentence, "start": s.start, "end": s.end}
        for s in event.sources
    ]
    return {
        "id": event.id,
        "article_id": article_id or (event.sources[0].article_id if event.sources else None),
        "event_type": event.event_type, "sub_event_type": event.sub_event_type,
        "plover_type": event.plover_type, "trigger": event.trigger,
        "event_date": event.event_date, "time_precision": event.time_precision,
        "actor1_id": event.actor1, "actor2_id": event.actor2,
        "assoc_actor_1_id": event.assoc_actor_1, "assoc_actor_2_id": event.assoc_actor_2,
        "place_id": event.place_id, "geo_precision": event.geo_precision,
        "place_name": place.name if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "admin1": place.admin1 if place else None, "country": place.country if place else None,
        "feature_class": place.feature_class if place else None,
        "population": place.population if place else None,
        "fatalities_low": f.low if f else None, "fatalities_high": f.high if f else None,
        "fatalities_as_stated": f.as_stated if f else None,
        "fatalities_victims": f.victims if f else None,
        "modality": event.modality, "confidence": event.confidence, "sources": sources,
        "lead_sentence": min(event.sources, key=lambda s: s.start).sentence
        if event.sources else None,
    }


def merge_events(
    events: Iterable[Event | Mapping[str, Any]], places: Mapping[str, Place] | None = None,
    knowledge: Knowledge | None = None,
) -> list[MergedEvent]:
    """Group events that report the same real-world event; every event lands in one cluster.

    Args:
        events: ``Event`` records (give ``places`` so nearby places can be compared) or
            ``event_view``-shaped rows (``Store.events()``, or the store's merge queue).
        places: place records by id, used only for ``Event`` inputs.
        knowledge: the package whose ontology says which types merge (built-in when ``None``).
    Returns:
        merged events sorted by id; non-factual events come back as one-member clusters.

    >>> from sitreps.records import Source
    >>> def ev(i, art):
    ...     return Event(id=i, event_type="Battles", sub_event_type="Armed clash",
    ...                  plover_type="FIGHT", trigger="clashed", event_date=date(2016, 12, 11),
    ...                  time_precision=1, place_id="gn:1", confidence=0.5,
    ...                  sources=(Source(art, "They clashed.", 0, 13),))
    >>> [m] = merge_events([ev("e1", "a1"), ev("e2", "a2")])
    >>> m.source_count, m.confidence
    (2, 0.75)
    """
    rows = [event_row(e, places) for e in events]
    rules = merge_rules(knowledge)
    clusters = cluster_rows(rows, rules)
    return sorted((build_merged(c, rules) for c in clusters), key=lambda m: m.id)


def cluster_rows(
    rows: Sequence[dict[str, Any]], rules: MergeRules = BUILTIN_RULES
) -> list[list[dict[str, Any]]]:
    """Complete-link clusters of compatible rows, independent of the order rows arrive in."""
    by_id = {row["id"]: row for row in rows}
    ordered = sorted(by_id.values(), key=_visit_key)
    clusters: list[list[dict[str, Any]]] = []
    # Blocking by the event type's group keeps this near-linear: only events of one group can
    # ever merge.
    open_by_type: dict[str, list[list[dict[str, Any]]]] = {}
    for row in ordered:
        if not _mergeable(row):
            clusters.append([row])
            continue
        candidates = open_by_type.setdefault(rules.block_of(row["event_type"]) or "", [])
        for cluster in candidates:
            if all(compatible(row, member, rules) for member in cluster):
                cluster.append(row)
                break
        else:
            cluster = [row]
            candidates.append(cluster)
            clusters.append(cluster)
    return clusters


def stream_order(row: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES) -> tuple:
    """The order :func:`merge_blocks` reads rows in: lone rows, then by block (the event
    type's group, :meth:`MergeRules.block_of`) and window start.

    ``Store`` sorts its merge queue the same way in SQL.
    """
    if not _mergeable(row):
        return (0, False, "", date.min, row["id"])
    block = rules.block_of(row["event_type"])
    return (1, block is None, block or "", date_window(row)[0], row["id"])


def merge_stream(
    rows: Iterable[dict[str, Any]], rules: MergeRules = BUILTIN_RULES
) -> Iterator[MergedEvent]:
    """``merge_events`` over rows in :func:`stream_order`, holding only open blocks in memory.

    Yields the same merged events as ``merge_events`` (in block order, not sorted by id).
    """
    for block in merge_blocks(rows, rules):
        for cluster in cluster_rows(block, rules):
            yield build_merged(cluster, rules)


_NO_TYPE = object()


class _Block:
    """A growing connected component of compatible rows and how many of them are still open."""

    __slots__ = ("open_rows", "rows")

    def __init__(self, row: dict[str, Any]) -> None:
        self.rows = [row]
        self.open_rows = 1


def merge_blocks(
    rows: Iterable[dict[str, Any]], rules: MergeRules = BUILTIN_RULES
) -> Iterator[list[dict[str, Any]]]:
    """Split rows into blocks that merge independently: the connected components of
    :func:`compatible`, each yielded as soon as no later row can join it.

    Clustering a component alone gives the same clusters as clustering everything: an event
    joins a cluster only when it is compatible with every member, so an event's choice only
    ever depends on events it is connected to, and the visit order within a component is the
    global visit order restricted to it. The input must be in :func:`stream_order`: rows that
    cannot merge come alone, mergeable rows grouped by block (the event type's group) and
    sorted by the start of their date window. A sweep over window starts then only compares a
    row with the rows whose window is still open, and a component closes once all its windows
    have ended, so memory holds the events of a few weeks, not of the corpus.
    Row ids must be unique.

    >>> row = {"id": "e1", "event_type": "Battles", "sub_event_type": "Armed clash",
    ...        "modality": "asserted", "event_date": date(2016, 12, 11), "time_precision": 1,
    ...        "place_id": "gn:1", "article_id": "a1"}
    >>> later = {**row, "id": "e2", "article_id": "a2", "event_date": date(2017, 3, 1)}
    >>> [[r["id"] for r in block] for block in merge_blocks([row, later])]
    [['e1'], ['e2']]
    """
    owner: dict[str, _Block] = {}
    active: list[tuple[date, dict[str, Any]]] = []
    finished_types: set[str | None] = set()
    current_type: object = _NO_TYPE
    last_start = date.min
    for row in rows:
        if not _mergeable(row):
            yield [row]
            continue
        start, end = date_window(row)
        block_key = rules.block_of(row["event_type"])
        if block_key != current_type:
            yield from _flush(owner, active)
            if block_key in finished_types:
                raise ValueError("merge_blocks needs rows grouped by event type's group")
            finished_types.add(block_key)
            current_type = block_key
        elif start < last_start:
            raise ValueError("merge_blocks needs rows sorted by date window start")
        last_start = start
        still_open = []
        for other_end, other in active:
            if other_end + _REPORT_SLACK >= start:
                still_open.append((other_end, other))
                continue
            block = owner[other["id"]]
            block.open_rows -= 1
            if block.open_rows == 0:  # every window of the component ended before this one
                for member in block.rows:
                    del owner[member["id"]]
                yield block.rows
        active = still_open
        block = _Block(row)
        owner[row["id"]] = block
        for _, other in active:
            other_block = owner[other["id"]]
            if other_block is not block and compatible(row, other, rules):
                block = _join(owner, block, other_block)
        active.append((end, row))
    yield from _flush(owner, active)


def _join(owner: dict[str, _Block], a: _Block, b: _Block) -> _Block:
    """Union two blocks, moving the smaller one's rows into the larger."""
    small, large = (a, b) if len(a.rows) <= len(b.rows) else (b, a)
    for member in small.rows:
        owner[member["id"]] = large
    large.rows.extend(small.rows)
    large.open_rows += small.open_rows
    return large


def _flush(
    owner: dict[str, _Block], active: list[tuple[date, dict[str, Any]]]
) -> Iterator[list[dict[str, Any]]]:
    """Yield every open block (the event type ends), leaving the sweep empty."""
    seen: set[int] = set()
    for _, row in active:
        block = owner[row["id"]]
        if id(block) not in seen:
            seen.add(id(block))
            yield block.rows
    owner.clear()
    active.clear()


def _visit_key(row: Mapping[str, Any]) -> tuple:
    """Most precise, most confident events first: they anchor clusters, vaguer ones join."""
    return (
        row.get("time_precision") or 3,
        row.get("geo_precision") or 3,
        -(row.get("confidence") or 0.0),
        row["id"],
    )


def _mergeable(row: Mapping[str, Any]) -> bool:
    return (
        row.get("modality") in FACTUAL_MODALITIES
        and row.get("event_date") is not None
        and row.get("place_id") is not None
    )


def compatible(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """True when two factual events may be the same real-world event.

    >>> base = {"event_type": "Battles", "sub_event_type": "Armed clash", "modality": "asserted",
    ...         "event_date": date(2016, 12, 11), "time_precision": 1, "place_id": "gn:1"}
    >>> compatible(base, {**base, "event_date": date(2016, 12, 12)})
    False
    >>> compatible(base, {**base, "time_precision": 2, "event_date": date(2016, 12, 14)})
    True
    """
    if not (_mergeable(a) and _mergeable(b)):
        return False
    if a.get("article_id") is not None and a.get("article_id") == b.get("article_id"):
        # One article reporting two events of a kind means two events, not one event twice.
        return False
    if _told_before(a, b) or _told_before(b, a):
        return False
    if _wire_copy(a, b) and a["event_type"] == b["event_type"] and compatible_sub_types(
        a["sub_event_type"], b["sub_event_type"], rules
    ) and (places_match(a, b, rules) or _is_area(a) or _is_area(b)) and _within_a_day(a, b):
        return True  # one wire story two papers ran, whatever toll or doer each read
    if _village_act_told_twice(a, b, rules):
        return True
    if a["event_type"] != b["event_type"]:
        return _one_act_typed_two_ways(a, b, rules)
    if not (
        (
            compatible_sub_types(a["sub_event_type"], b["sub_event_type"], rules)
            or _one_means_told_two_ways(a, b, rules)
        )
        and places_match(a, b, rules)
        and tolls_match(a, b)
    ):
        return False
    if _one_exact_toll(a, b):
        return _within_a_day(a, b)
    return (
        (dates_overlap(a, b) or _night_and_morning(a, b))
        and (
            actors_match(a, b, rules) or _allies_in_the_air(a, b, rules)
            or _victims_told_two_ways(a, b, rules)
        )
        and (anchored(a, b) or _both_rare(a, b, rules))
    )


def _one_act_typed_two_ways(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """One violent act that two papers type apart: one tells an attack on civilians without
    its means and the other names the means (rocket fire, an air strike) at the same town,
    with like tolls of at least ``VILLAGE_TOLL_MIN``; or both state one exact toll of at
    least ``EXACT_TOLL_MIN`` ("62 rebels killed in an army ambush" is a clash in one paper and
    shelling in another). Either way on days at most one apart, with actors that agree: a
    count and a place are what the two share, the type is each reporter's reading.

    >>> attack = {"event_type": "Violence against civilians", "sub_event_type": "Attack",
    ...           "modality": "asserted", "event_date": date(2016, 10, 27), "time_precision": 1,
    ...           "place_id": "gn:1", "fatalities_low": 6, "fatalities_high": 6}
    >>> rockets = {**attack, "event_type": "Explosions/Remote violence",
    ...            "sub_event_type": "Shelling/artillery/missile attack", "fatalities_low": 8,
    ...            "fatalities_high": 8}
    >>> _one_act_typed_two_ways(attack, rockets), _one_act_typed_two_ways(attack, {
    ...     **rockets, "place_id": "gn:2"})
    (True, False)
    """
    group = rules.groups.get(a["event_type"] or "")
    if group is None or group != rules.groups.get(b["event_type"] or ""):
        return False
    subs = (a["sub_event_type"], b["sub_event_type"])
    if any(sub in rules.alone for sub in subs) or not (
        places_match(a, b, rules) and _within_a_day(a, b) and actors_match(a, b, rules)
    ):
        return False
    if _one_exact_toll(a, b):
        return True
    untold = [sub in rules.means_untold for sub in subs]
    named = [sub in rules.means for sub in subs]
    return (
        ((untold[0] and named[1]) or (untold[1] and named[0]))
        and _same_town(a, b)
        and _like_sizeable_tolls(a, b)
    )


def _victims_told_two_ways(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """One doer's strike, bombing or massacre with like tolls of at least
    ``VILLAGE_TOLL_MIN``, whose dead one paper calls civilians and another "terrorists" or
    "jihadists": who the dead were is what sources disagree on most, not who struck."""
    return (
        a["event_type"] in rules.one_sided
        and _like_sizeable_tolls(a, b)
        and same_actor(a.get("actor1_id"), b.get("actor1_id"), rules)
    )


def _both_rare(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """Both reports tell of a rare means (a gas attack): one such act in a province on days
    that overlap is all the anchor two reports need, whatever toll each source gives (dozens
    in the first hours, hundreds by the evening)."""
    return a.get("sub_event_type") in rules.rare and b.get("sub_event_type") in rules.rare


# The least toll by which two reports of a village's strike are known as one: smaller counts
# recur (a shell that kills two in one quarter on Sunday and two in another on Tuesday).
VILLAGE_TOLL_MIN = 5


def _village_act_told_twice(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """One strike, bombing or massacre that one paper places at a village the gazetteer lacks
    (known only as lying in its province) and another at a town of that province or under
    another spelling ("Khuneida", "Heneyda"), told on one day, by one doer, with like tolls of
    at least ``VILLAGE_TOLL_MIN``. Where the village lies is not known, so nearness cannot be
    tested; one day, one province, one doer and one count of the dead are what the two share.
    A city counts only where it is named like its province: "Aleppo" may be the province, but a
    report of a city not so named points at the city.

    >>> village = {"event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb",
    ...            "place_id": "name:tal-tawil@SY", "admin1": "Al-Hasakah", "country": "SY",
    ...            "time_precision": 1, "event_date": date(2016, 10, 3), "fatalities_low": 22,
    ...            "actor1_id": None, "actor2_id": None, "place_name": "Tall Tawil"}
    >>> town = {**village, "place_id": "gn:1", "place_name": "Al Hasakah", "population": 400000,
    ...         "fatalities_low": 30}
    >>> _village_act_told_twice(village, town)
    True
    >>> _village_act_told_twice(village, {**town, "fatalities_low": 90})
    False
    >>> _village_act_told_twice(village, {**town, "place_name": "Qamishli"})
    False
    """
    if not (
        a["event_type"] in rules.one_sided
        and a["event_type"] == b["event_type"]
        and compatible_sub_types(a["sub_event_type"], b["sub_event_type"], rules)
        and a.get("admin1")
        and a.get("admin1") == b.get("admin1")
        and a.get("country") == b.get("country")
        and (_only_its_province_known(a) or _only_its_province_known(b))
        and (a.get("time_precision") == 1 or b.get("time_precision") == 1)
        and dates_overlap(a, b)
    ):
        return False
    return (
        _like_sizeable_tolls(a, b)
        and all(not _a_city(row) or _may_be_its_province(row) for row in (a, b))
        and actors_match(a, b, rules)
    )


def _like_sizeable_tolls(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Both reports give a toll of at least ``VILLAGE_TOLL_MIN``, and the tolls are alike
    (:func:`_like_tolls`): a count that marks one act where little else ties two reports."""
    low_a, low_b = a.get("fatalities_low"), b.get("fatalities_low")
    return (
        low_a is not None and low_b is not None and min(low_a, low_b) >= VILLAGE_TOLL_MIN
        and _like_tolls(a, b)
    )


def _may_be_its_province(row: Mapping[str, Any]) -> bool:
    """A town named like its province ("Idlib", "Hasakah"): a report of it may mean either."""
    return named_like_its_province(row.get("place_name"), row.get("admin1"))


def _only_its_province_known(row: Mapping[str, Any]) -> bool:
    """A village the gazetteer lacks, placed by name alone or at its province's centre."""
    pid = row.get("place_id") or ""
    return pid.startswith(NAME_PREFIX) or (pid.startswith(NEAR_PREFIX) and "@admin1:" in pid)


def _same_town(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Both reports name one town (not a province or a country, and not merely one nearby)."""
    return (a["place_id"] == b["place_id"] and not _is_area(a)) or _one_named_village(a, b)


def _like_tolls(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """No toll on one side, or the larger at most half as large again as the smaller: the
    counts two sources give of one incident, each at its own hour."""
    low_a, low_b = a.get("fatalities_low"), b.get("fatalities_low")
    if low_a is None or low_b is None:
        return True
    return max(low_a, low_b) <= 1.5 * min(low_a, low_b) + 1


def _one_means_told_two_ways(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """One paper's shelling of a town and another's air strike on it (``mistaken_for``), with
    like tolls: reporters on the ground often cannot tell artillery from aircraft. Not in a
    city, whose quarters are struck by several means in a day.

    >>> town = {"place_id": "gn:1", "fatalities_low": 31, "sub_event_type": "Air/drone strike",
    ...         "population": 32000}
    >>> shelled = {**town, "sub_event_type": "Shelling/artillery/missile attack"}
    >>> _one_means_told_two_ways(town, {**shelled, "fatalities_low": 43})
    True
    >>> _one_means_told_two_ways(town, {**shelled, "fatalities_low": 3})
    False
    """
    return (
        frozenset({a["sub_event_type"], b["sub_event_type"]}) in rules.mistaken
        and _same_town(a, b)
        and not _a_city(a)
        and _like_tolls(a, b)
    )


def _a_city(row: Mapping[str, Any]) -> bool:
    """A place of ``CITY_POPULATION`` or more (a village the gazetteer lacks is none)."""
    return (row.get("population") or 0) >= CITY_POPULATION


# The population from which a place is a city: struck in several quarters, by several means,
# on one day (Aleppo's east by aircraft, its west by rebel rockets).
CITY_POPULATION = 100_000




def _night_and_morning(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two day-dated reports of one town a day apart, one telling of the night, with like
    tolls: the strikes "late on Monday" of one paper are the strikes of Tuesday (after
    midnight) of another.

    >>> night = {"place_id": "gn:1", "time_precision": 1, "event_date": date(2016, 5, 30),
    ...          "fatalities_low": 35,
    ...          "lead_sentence": "Strikes hit the city late on Monday."}
    >>> morning = {**night, "event_date": date(2016, 5, 31), "lead_sentence": "Strikes hit it.",
    ...            "fatalities_low": 23}
    >>> _night_and_morning(night, morning), _night_and_morning({**night, "lead_sentence": ""},
    ...                                                        morning)
    (True, False)
    """
    return (
        a.get("time_precision") == 1
        and b.get("time_precision") == 1
        and abs((a["event_date"] - b["event_date"]).days) == 1
        and _same_town(a, b)
        and a.get("fatalities_low") is not None
        and b.get("fatalities_low") is not None
        and _like_tolls(a, b)
        and any(NIGHT.search(row.get("lead_sentence") or "") for row in (a, b))
    )


def _allies_in_the_air(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """One strike that one source blames on a state's aircraft and another on its backer's
    ("Russian air strikes" and "regime air strikes" on one town): from the ground the two air
    forces look alike. Only for means only states have, at one town (a city is struck by both
    in a day) or with one toll, and with the other side the same.

    >>> row = {"sub_event_type": "Air/drone strike", "place_id": "gn:1", "actor2_id": None}
    >>> _allies_in_the_air({**row, "actor1_id": "russian-air-force"},
    ...                    {**row, "actor1_id": "syrian-government-forces"})
    True
    >>> _allies_in_the_air({**row, "actor1_id": "us-military-forces"},
    ...                    {**row, "actor1_id": "syrian-government-forces"})
    False
    """
    if not (a["sub_event_type"] in rules.state_only and b["sub_event_type"] in rules.state_only):
        return False
    if not ((_same_town(a, b) and not _a_city(a)) or _same_toll(a, b)):
        return False
    if not same_actor(a.get("actor2_id"), b.get("actor2_id"), rules):
        return False
    x, y = a.get("actor1_id"), b.get("actor1_id")
    if x is None or y is None:
        return False
    ours = {x, *rules.ancestors.get(x, ())}
    theirs = {y, *rules.ancestors.get(y, ())}
    return any(
        rules.backers.get(one, frozenset()) & other
        for side, other in ((ours, theirs), (theirs, ours))
        for one in side
    )


# A wire story's sentence run by two papers has at least this many words: shorter ones
# ("Two people were killed.") are said of many incidents.
WIRE_COPY_WORDS = 12


def _wire_copy(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Both reports are told first by one sentence word for word: a wire story two papers ran
    ("The Observatory reported heavy clashes around the power plant in Hama province ...")."""
    key = _sentence_key(a)
    return key is not None and key == _sentence_key(b)


def _sentence_key(row: Mapping[str, Any]) -> str | None:
    """A report's first sentence as its words, lower-cased (punctuation and spacing differ
    between papers), or ``None`` for a sentence too short to tell one incident; kept on a dict
    row, which the sweep compares many times."""
    if "sentence_key" in row:
        return row["sentence_key"]
    text = row.get("lead_sentence") or next(
        (s["sentence"] for s in sorted(row.get("sources") or (), key=lambda s: s["start"])),
        None,
    )
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    key = " ".join(words) if len(words) >= WIRE_COPY_WORDS else None
    if isinstance(row, dict):
        row["sentence_key"] = key
    return key


# The least exact toll that marks one incident told twice: two reports of ten or more dead at
# one place on one day are one incident, whoever each source blames. Smaller counts recur (a
# clash that kills five in a town on Monday and another on Tuesday).
EXACT_TOLL_MIN = 10


def _one_exact_toll(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Both reports give the same exact toll of at least ``EXACT_TOLL_MIN``.

    Sources disagree on whom they blame ("Russian air strikes" in one, "regime air strikes"
    in another) and on the day of a night's strike (the dateline of the morning after), but
    not on a count of the dead that both state.

    >>> row = {"fatalities_low": 34, "fatalities_high": 34}
    >>> _one_exact_toll(row, dict(row)), _one_exact_toll(row, {**row, "fatalities_high": 40})
    (True, False)
    """
    low, high = a.get("fatalities_low"), a.get("fatalities_high")
    return (
        low is not None
        and low >= EXACT_TOLL_MIN
        and high == low
        and b.get("fatalities_low") == low
        and b.get("fatalities_high") == high
    )


def _within_a_day(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Their date windows overlap, or two day-dated reports of one town lie a day apart (a
    strike "on Thursday night" and the next morning's report of it)."""
    if dates_overlap(a, b):
        return True
    return (
        a.get("time_precision") == 1
        and b.get("time_precision") == 1
        and abs((a["event_date"] - b["event_date"]).days) <= 1
        and not (_is_area(a) or _is_area(b))
    )


def anchored(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when two reports agree on something an incident is known by: the same day (both
    dated to the day), the same town, or the same toll. Windows that overlap and a province
    that holds a town are room for one incident, not evidence of it: an air raid on Jayrud of
    2 July with one dead is no strike on Eastern Ghouta of 30 June with five.

    >>> town = {"place_id": "gn:1", "event_date": date(2016, 6, 30), "time_precision": 2}
    >>> area = {**town, "place_id": "admin1:SY.08"}
    >>> anchored(town, dict(town)), anchored(town, area)
    (True, False)
    >>> anchored({**area, "fatalities_low": 12}, {**town, "fatalities_low": 14})
    True
    """
    if a.get("time_precision") == 1 and b.get("time_precision") == 1:
        return True  # their windows overlap: the same day
    if a["place_id"] == b["place_id"] and not _is_area(a):
        return True
    return _same_toll(a, b)


def _same_toll(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Both give a toll, and the larger is at most a quarter above the smaller (a count
    that rose by a few as the dead were found)."""
    low_a, low_b = a.get("fatalities_low"), b.get("fatalities_low")
    if low_a is None or low_b is None or min(low_a, low_b) <= 0:
        return False
    return max(low_a, low_b) <= 1.25 * min(low_a, low_b) + 1


def _told_before(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when ``b``'s article was published before the day ``a`` names (with a day's
    slack): a report cannot tell of a later day's event ("13 killed on Friday" is not the "one
    killed" of Wednesday's paper, however wide the undated report's window).

    >>> _told_before({"event_date": date(2016, 9, 30), "time_precision": 1},
    ...              {"article_published": date(2016, 9, 28)})
    True
    """
    published = _day(b.get("article_published"))
    if published is None or a.get("time_precision") != 1 or a.get("event_date") is None:
        return False
    # a day's slack: a dateline's day and the scene's day may differ across time zones
    return a["event_date"] > published + timedelta(days=1)


def tolls_match(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """False when the later of two reports counts fewer than half the dead of the earlier.

    The toll of one incident rises as the dead are found; it does not fall by half. Car bombs
    that kill 15 on one day and 6 eleven days later in the same city are two incidents, even
    where a vague date lets their windows overlap.

    >>> day = {"event_date": date(2014, 3, 6), "fatalities_low": 15, "fatalities_high": 15}
    >>> tolls_match(day, {"event_date": date(2014, 3, 11), "fatalities_low": 6,
    ...                   "fatalities_high": 6})
    False
    >>> tolls_match(day, {"event_date": date(2014, 3, 7), "fatalities_low": 21,
    ...                   "fatalities_high": 21})
    True
    """
    if a.get("fatalities_low") is None or b.get("fatalities_low") is None:
        return True
    if a["event_date"] == b["event_date"]:
        return True  # sources of one day disagree, in either direction
    earlier, later = (a, b) if a["event_date"] < b["event_date"] else (b, a)
    later_high = later.get("fatalities_high") or later["fatalities_low"]
    return later_high * 2 >= earlier["fatalities_low"]


def compatible_sub_types(
    a: str | None, b: str | None, rules: MergeRules = BUILTIN_RULES
) -> bool:
    """Same sub-event type, or a generic one and the specific form it can stand for; never a
    sub-type whose reports are each their own event."""
    if a in rules.alone or b in rules.alone:
        return False
    return a == b or frozenset({a, b}) in rules.compatible


def date_window(row: Mapping[str, Any]) -> tuple[date, date]:
    """First and last day an event may have happened on, widened by its ``time_precision``.

    >>> date_window({"event_date": date(2016, 12, 11), "time_precision": 2})
    (datetime.date(2016, 12, 4), datetime.date(2016, 12, 18))
    """
    slack = timedelta(days=DATE_SLACK_DAYS.get(row.get("time_precision") or 3, 31))
    day = row["event_date"]
    # Clamped at the ends of the calendar (a misparsed year 1 or 9999 must not crash a merge).
    start = day - slack if day - date.min >= slack else date.min
    end = day + slack if date.max - day >= slack else date.max
    return start, end


def dates_overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether the two events' date windows (widened by their precision) overlap.

    An event its article tells with no date of its own is news of the days just before the
    paper, not of the whole week around it: its window is the paper's day and the
    ``NEWS_DAYS`` before (a report of 18 November with no day is no strike of 12 November).
    """
    a_start, a_end = _told_window(a)
    b_start, b_end = _told_window(b)
    return a_start <= b_end and b_start <= a_end


# Days before its paper that an event told with no date of its own may have happened on.
NEWS_DAYS = 2


def _told_window(row: Mapping[str, Any]) -> tuple[date, date]:
    """:func:`date_window`, narrowed to the paper's last days for an undated event (dated by
    its article at week precision). Never wider than :func:`date_window`, so the sweep of
    :func:`merge_blocks` still sees every pair that may merge."""
    start, end = date_window(row)
    published = _day(row.get("article_published"))
    if row.get("time_precision") == 2 and published is not None and (
        row.get("event_date") == published
    ):
        return max(start, published - timedelta(days=NEWS_DAYS)), min(end, published)
    return start, end


def places_match(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """Same place, nearby places, or a vaguer admin1 place that contains the other; a
    provincial capital named like its province and a town of that province with one toll; any
    two places of one province for a rare means (``rules.rare``: a chemical attack).

    An event placed only in a country names no spot: "US strikes in Syria" taken for a place
    let one such report join a Raqqa strike with a cruise missile attack on an air base and a
    month's count of casualties. It matches only another report in that country with the same
    toll (a wire story copied by two papers).

    >>> town = {"place_id": "gn:1", "geo_precision": 1, "country": "SY", "admin1": "Aleppo"}
    >>> syria = {"place_id": "country:SY", "geo_precision": 3, "country": "SY"}
    >>> places_match(syria, town), places_match(syria, dict(syria))
    (False, False)
    >>> places_match({**syria, "fatalities_low": 32}, {**syria, "fatalities_low": 32})
    True
    """
    if _country_only(a) or _country_only(b):
        return a["place_id"] == b["place_id"] and _same_toll(a, b)
    if a["place_id"] == b["place_id"] or _one_named_village(a, b):
        return True
    if two_spots_at_one_point(a["place_id"], b["place_id"]):
        return False
    km = distance_km(a, b)
    if km is not None and km <= NEARBY_KM and not (_is_area(a) or _is_area(b)):
        return True
    if _contains(a, b) or _contains(b, a):
        return True
    if a.get("sub_event_type") in rules.rare and b.get("sub_event_type") in rules.rare and (
        a.get("admin1") is not None and a.get("admin1") == b.get("admin1")
    ):
        return True  # a gas attack at Khan Sheikhoun and one "in Idlib" that day: one attack
    # "air strikes on Idlib" may mean the province: with one toll, a town of that province
    return (_shadowed_capital(a, [b]) or _shadowed_capital(b, [a])) and _same_toll(a, b)


# Two spellings of one place's name are at least this alike (rapidfuzz ratio): "maaret al
# numan" and "maarat al nouman", "jamiliyeh" and "jamilia".
SAME_NAME_RATIO = 80


def two_spots_at_one_point(a_id: str | None, b_id: str | None) -> bool:
    """True for two places the gazetteer lacks, placed by name at one town's point ("the
    Ferdous district" and "the Baeedeen neighbourhood" of Aleppo): the point they share says
    nothing of where each lies, so two names not alike are two places.

    >>> two_spots_at_one_point("near:ferdus@gn:1", "near:baeden@gn:1")
    True
    >>> two_spots_at_one_point("near:jamilia@gn:1", "near:jameliea@gn:1")
    False
    """
    if not (a_id and b_id and a_id.startswith(NEAR_PREFIX) and b_id.startswith(NEAR_PREFIX)):
        return False
    a_name, _, a_anchor = a_id.removeprefix(NEAR_PREFIX).partition("@")
    b_name, _, b_anchor = b_id.removeprefix(NEAR_PREFIX).partition("@")
    return a_anchor == b_anchor and fuzz.ratio(a_name, b_name) < SAME_NAME_RATIO


def _one_named_village(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two reports of a village the gazetteer lacks, by one name in one province, each
    located by what its text named beside it ("al-Quriyah" near Deir ez-Zor city in one
    paper, in Deir ez-Zor province in another): one village."""
    key = name_key(a.get("place_id"))
    return key is not None and key == name_key(b.get("place_id")) and bool(a.get("admin1")) and (
        a.get("admin1") == b.get("admin1")
    )


def _is_area(row: Mapping[str, Any]) -> bool:
    """True for a place that stands for a region: a country, a province, or a name known only
    as lying in one ("Qalamoun" placed at Rif Dimashq's centre, which is no spot near
    Damascus city)."""
    pid = row.get("place_id") or ""
    feature = row.get("feature_class") or ""
    return (
        pid.startswith(("country:", "admin1:"))
        or "@country:" in pid
        or "@admin1:" in pid
        or feature.startswith("A.")
    )


def _country_only(row: Mapping[str, Any]) -> bool:
    """True for an event placed at a country or at a name known only as lying in one."""
    pid = row.get("place_id") or ""
    return pid.startswith("country:") or "@country:" in pid


def _contains(outer: Mapping[str, Any], inner: Mapping[str, Any]) -> bool:
    """``outer`` is an admin1 coded less precisely than ``inner`` and contains it, or is the
    province around ``inner``'s city-province (Rif Dimashq around Damascus)."""
    if (outer.get("geo_precision") or 3) <= (inner.get("geo_precision") or 3):
        return False
    pid = outer.get("place_id") or ""
    country = outer.get("country")
    if not country or country != inner.get("country"):
        return False
    return pid.startswith("admin1:") and bool(outer.get("admin1")) and (
        outer.get("admin1") == inner.get("admin1")
        or surrounds(pid, inner.get("country"), inner.get("admin1"))
    )


def distance_km(a: Mapping[str, Any], b: Mapping[str, Any]) -> float | None:
    """Great-circle distance between two rows' coordinates, or ``None`` when one has none."""
    points = (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude"))
    if any(p is None for p in points):
        return None
    return haversine_km(*points)


def actors_match(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: MergeRules = BUILTIN_RULES
) -> bool:
    """Each actor role the same actor on both sides (:func:`same_actor`); Battles may name the
    sides either way."""
    if _roles_agree(a, b, swap=False, rules=rules):
        return True
    return (a["event_type"] in rules.symmetric or b["event_type"] in rules.symmetric) and (
        _roles_agree(a, b, swap=True, rules=rules)
    )


def _roles_agree(
    a: Mapping[str, Any], b: Mapping[str, Any], *, swap: bool, rules: MergeRules = BUILTIN_RULES
) -> bool:
    first, second = ("actor2_id", "actor1_id") if swap else ("actor1_id", "actor2_id")
    pairs = ((a.get("actor1_id"), b.get(first)), (a.get("actor2_id"), b.get(second)))
    return all(same_actor(x, y, rules) for x, y in pairs)


def same_actor(x: str | None, y: str | None, rules: MergeRules = BUILTIN_RULES) -> bool:
    """Whether two sources' actors for one role may be one actor: equal, unnamed on one
    side, an unidentified armed group and any armed actor, a unit and the force it is part
    of ("Russian air force" and "Russian military forces"), or a country's generic role actor
    and a named actor of its kind ("Syrian rebels" and "Nusra Front"). Two units of one force
    are not one actor, nor are "terrorists" and civilians.

    >>> same_actor("russian-air-force", "russian-military-forces")
    True
    >>> same_actor("syrian-rebels", "nusra-front"), same_actor("syrian-rebels", "islamic-state")
    (True, False)
    >>> same_actor("jaish-al-islam", "faylaq-al-rahman")
    False
    """
    if x is None or y is None or x == y:
        return True
    if _unidentified(x) or _unidentified(y):
        return x not in rules.unarmed and y not in rules.unarmed
    return (
        x in rules.ancestors.get(y, ()) or y in rules.ancestors.get(x, ())
        or y in rules.members.get(x, ()) or x in rules.members.get(y, ())
    )


def _unidentified(actor_id: str | None) -> bool:
    return actor_id is not None and actor_id.startswith(UNIDENTIFIED_ID_PREFIX)


def combined_confidence(by_article: Mapping[str, float]) -> float:
    """1 - prod(1 - c) over independent articles (each article counts once, at its best).

    >>> combined_confidence({"a": 0.5, "b": 0.5})
    0.75
    """
    remaining = 1.0
    for value in by_article.values():
        remaining *= 1.0 - max(0.0, min(1.0, value))
    return round(min(MAX_CONFIDENCE, 1.0 - remaining), 4) if len(by_article) > 1 else round(
        max(by_article.values(), default=0.0), 4
    )


def _merged_actors(ordered: Sequence[Mapping[str, Any]]) -> tuple[str | None, str | None]:
    """The lead member's two sides, with a missing side filled from members that name it; a
    doer more articles name outranks the lead's ("regime air strikes" in two reports, Russia
    in a third whose headline blames both: the regime)."""
    a1, a2 = ordered[0].get("actor1_id"), ordered[0].get("actor2_id")
    lead = {"actor1_id": a1, "actor2_id": a2}
    # each member's doer, its sides turned where they agree with the lead's only so turned
    doers = Counter(
        doer for member in ordered
        if not _unnamed(doer := member.get(
            "actor2_id" if _roles_agree(lead, member, swap=True)
            and not _roles_agree(lead, member, swap=False) else "actor1_id"
        ))
    )
    for member in ordered[1:]:
        x1, x2 = member.get("actor1_id"), member.get("actor2_id")
        if not _roles_agree({"actor1_id": a1, "actor2_id": a2}, member, swap=False):
            x1, x2 = x2, x1
        if _unnamed(a1) and not _unnamed(x1) and x1 != a2:
            a1 = x1
        if _unnamed(a2) and not _unnamed(x2) and x2 != a1:
            a2 = x2
    if doers:
        top, votes = doers.most_common(1)[0]
        if top != a1 and top != a2 and votes > doers.get(a1 or "", 0):
            a1 = top
    return a1, a2


def _unnamed(actor_id: str | None) -> bool:
    return actor_id is None or _unidentified(actor_id)


def build_merged(
    members: Sequence[dict[str, Any]], rules: MergeRules = BUILTIN_RULES
) -> MergedEvent:
    """Fold one cluster into a merged event: the most precise member's fields, every source."""
    ordered = sorted(members, key=_visit_key)
    lead = ordered[0]
    ids = tuple(sorted(m["id"] for m in members))

    def first(key: str) -> Any:
        return next((m[key] for m in ordered if m.get(key) is not None), None)

    event_type, sub_event_type = _merged_type(ordered, rules)
    geo = _merged_place(members)
    reports = tuple(
        FatalityReport(m["id"], m.get("article_id"), m["fatalities_low"],
                       m.get("fatalities_high") or m["fatalities_low"],
                       m.get("fatalities_as_stated"))
        for m in sorted(members, key=lambda m: m["id"])
        if m.get("fatalities_low") is not None
    )
    best_article: dict[str, float] = {}
    for m in members:
        key = m.get("article_id") or m["id"]
        best_article[key] = max(best_article.get(key, 0.0), m.get("confidence") or 0.0)
    # A figure outranks a word: "a number of the injured later died, raising the death toll
    # to 47" codes "a number" as 2, the floor of a word, not a conservative count.
    numbered = [r for r in reports if states_number(r.as_stated)] or list(reports)
    latest = _latest_reports(members, numbered)
    conservative = min(latest, key=lambda r: (r.low, r.event_id)) if latest else None
    sources = sorted(
        {(s["article_id"], s["start"], s["end"]): s for m in members for s in m["sources"]}
        .values(),
        key=lambda s: (s["article_id"], s["start"]),
    )
    actor1, actor2 = _merged_actors(ordered)
    modality = "asserted" if any(m.get("modality") == "asserted" for m in members) else (
        lead.get("modality") or "asserted"
    )
    return MergedEvent(
        id=merged_id(ids),
        member_ids=ids,
        event_type=event_type,
        sub_event_type=sub_event_type,
        plover_type=first("plover_type"),
        trigger=first("trigger"),
        event_date=lead["event_date"],
        time_precision=lead.get("time_precision") or 3,
        actor1=actor1,
        actor2=actor2,
        assoc_actor_1=first("assoc_actor_1_id"),
        assoc_actor_2=first("assoc_actor_2_id"),
        place_id=geo.get("place_id"),
        geo_precision=geo.get("geo_precision"),
        fatalities_low=min((r.low for r in reports), default=None),
        fatalities_high=max((r.high for r in reports), default=None),
        fatalities_best=conservative.low if conservative else None,
        fatalities_as_stated=conservative.as_stated if conservative else None,
        fatalities_victims=first("fatalities_victims"),
        fatality_reports=reports,
        modality=modality,
        confidence=combined_confidence(best_article),
        source_count=len(best_article),
        article_ids=tuple(sorted(best_article)),
        sources=tuple(sources),
    )


def _merged_type(
    ordered: Sequence[Mapping[str, Any]], rules: MergeRules = BUILTIN_RULES
) -> tuple[str, str]:
    """The merged event's type and sub-type: the lead member's type (a report that names no
    means defers to one that does), and of its members' sub-types the most specific."""
    typed = [m for m in ordered if m["sub_event_type"] not in rules.means_untold] or ordered
    event_type = typed[0]["event_type"]
    sub_types = {m["sub_event_type"] for m in ordered if m["event_type"] == event_type}
    specific = sorted(sub_types - rules.general) or sorted(sub_types)
    return event_type, specific[0]


def _merged_place(members: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The member whose place the merged event takes: the most precise; among those, not a
    provincial capital named like its province where another report names a town of that
    province ("air strikes on Idlib" and "on Khan Sheikhoun in Idlib province": the name is
    the province's, the town the scene); then the place most articles give."""
    best = min(m.get("geo_precision") or 3 for m in members)
    precise = [m for m in members if (m.get("geo_precision") or 3) == best]
    towns = [m for m in precise if not _shadowed_capital(m, precise)] or precise
    articles: dict[Any, set[Any]] = {}
    for m in towns:
        articles.setdefault(m.get("place_id"), set()).add(m.get("article_id") or m["id"])
    return min(towns, key=lambda m: (-len(articles[m.get("place_id")]), m["id"]))


def _shadowed_capital(row: Mapping[str, Any], others: Sequence[Mapping[str, Any]]) -> bool:
    """A town named like its province (Idlib, Hama, Daraa) beside a report of another town
    of that province."""
    admin1 = row.get("admin1")
    if _is_area(row) or not named_like_its_province(row.get("place_name"), admin1):
        return False
    return any(
        o.get("place_id") != row.get("place_id") and o.get("admin1") == admin1
        and o.get("country") == row.get("country") and not _is_area(o)
        for o in others
    )


# -- the merge job: read the store's events, write its clusters ------------------------------
#
# Both engines run this one job after their partitions are stored (``run_merge``); so do
# ``sitreps doctor --rebuild`` and the schema migration from version 1. The store only holds
# rows: which events can merge, in what order they are read and how date windows are drawn is
# decided here, next to the rules it must agree with.

# Events read per page, and clusters written per batch.
MERGE_PAGE = 5000


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge rewrote."""

    clusters_written: int = 0
    clusters_removed: int = 0
    multi_source: int = 0


def _latest_reports(
    members: Sequence[Mapping[str, Any]], reports: Sequence[FatalityReport]
) -> list[FatalityReport]:
    """The toll reports of the last day any article reporting a toll was published.

    A toll rises as the dead are found: a bombing's first wire counts 20, the next day's
    papers 126. The most conservative figure of the latest reports is ACLED's figure; the
    lowest of all reports would be the first count, not a conservative one. Reports whose
    article has no publication date are kept only when none has one.
    """
    published = {m["id"]: _day(m.get("article_published")) for m in members}
    dated = [r for r in reports if published.get(r.event_id) is not None]
    if not dated:
        return list(reports)
    last = max(published[r.event_id] for r in dated)
    return [r for r in dated if published[r.event_id] == last]


def _day(value: Any) -> date | None:
    """A publication date as a day (the store may hold a timestamp)."""
    return value.date() if isinstance(value, datetime) else value


def merged_row(m: MergedEvent, lead_article: Mapping[str, str | None]) -> dict[str, Any]:
    """A ``MergedEvent`` as a ``merged_events`` row, keyed by the table's column names.

    The keys are the record's own fields, less what lives in other tables (members,
    sources, article ids), plus ``article_id`` (the lead member's article),
    ``fatalities_sources`` (each member's toll as JSON) and ``member_count``.
    """
    tolls = [
        {"event_id": r.event_id, "article_id": r.article_id, "low": r.low, "high": r.high,
         "as_stated": r.as_stated}
        for r in m.fatality_reports
    ]
    row = {name: getattr(m, name) for name in _MERGED_RECORD_FIELDS}
    row["article_id"] = lead_article.get(m.member_ids[0]) or (
        m.article_ids[0] if m.article_ids else None)
    row["fatalities_sources"] = json.dumps(tolls)
    row["member_count"] = len(m.member_ids)
    return row


_MERGED_RECORD_FIELDS = tuple(
    f.name for f in fields(MergedEvent)
    if f.name not in ("member_ids", "fatality_reports", "article_ids", "sources")
)
MERGED_COLUMNS = (*_MERGED_RECORD_FIELDS, "article_id", "fatalities_sources", "member_count")


class _MergeWriter:
    """Buffers a merge's deletions and new clusters and writes them in batches."""

    def __init__(self, store: Store, *, commit_batches: bool) -> None:
        self.store = store
        self.commit_batches = commit_batches
        self.drop: list[str] = []
        self.rows: list[tuple] = []
        self.members: list[tuple[str, str]] = []
        self.written: set[str] = set()
        self.removed: set[str] = set()
        self.multi_source = 0

    def replace(
        self, existing: set[str], keep: set[str], clusters: list[MergedEvent],
        lead: dict[str, str | None],
    ) -> None:
        """Replace a block's stored clusters ``existing`` by its clusters ``keep``, of which
        ``clusters`` are new or changed and get (re)written."""
        self.removed |= existing - keep
        # Only stored ids need deleting: a new cluster's id is stored only if its members are.
        self.drop += sorted((existing - keep) | (existing & {m.id for m in clusters}))
        for m in clusters:
            row = merged_row(m, lead)
            self.rows.append(tuple(row[c] for c in MERGED_COLUMNS))
            self.members += [(m.id, member) for member in m.member_ids]
            self.written.add(m.id)
            self.multi_source += m.source_count > 1
        if len(self.rows) + len(self.drop) >= MERGE_PAGE:
            self.flush()
            if self.commit_batches:
                self.store.checkpoint()

    def flush(self) -> None:
        self.store.write_clusters(self.drop, MERGED_COLUMNS, self.rows, self.members)
        self.drop, self.rows, self.members = [], [], []


def run_merge(store: Store, knowledge: Knowledge | None = None) -> MergeReport:
    """Merge the same real-world event across the store's articles: the merge job.

    Only the blocks of compatible events (:func:`merge_blocks`) that hold a new or
    re-extracted event, or a member of a cluster that lost an event, are clustered again,
    and only clusters whose members changed are rewritten, so a rerun with nothing new
    writes nothing. Events stream through in pages and results are written in batches:
    memory holds the events of the open date windows, not of the corpus.

    Each batch commits on its own (DuckDB keeps a transaction's inserts in memory): a
    block's old clusters go and its new ones come in one transaction, so an interrupted
    merge leaves whole blocks merged and the others pending for the next merge, and reads
    merge in memory meanwhile (:mod:`sitreps.query`).

    ``knowledge`` is the run's package, whose ontology says which types merge (the built-in
    package when ``None``).
    """
    with store.transaction():
        return merge_in_transaction(store, commit_batches=True, knowledge=knowledge)


def merge_in_transaction(
    store: Store, *, commit_batches: bool = False, knowledge: Knowledge | None = None
) -> MergeReport:
    """:func:`run_merge` inside a transaction the caller holds (the schema migration's)."""
    stale = _drop_stale_clusters(store)
    pending = store.con.execute(
        "SELECT count(*) FROM events WHERE id NOT IN "
        "(SELECT event_id FROM merged_event_members)"
    ).fetchone()[0]
    if not pending:
        return MergeReport(clusters_removed=len(stale))
    rules = merge_rules(knowledge)
    queued = _queue_merge_inputs(store, rules)
    writer = _MergeWriter(store, commit_batches=commit_batches)
    for block in merge_blocks(_queued_rows(store, queued), rules):
        if all(row["merged_id"] is not None for row in block):
            continue  # nothing in this block changed: its clusters stand
        existing = {row["merged_id"] for row in block} - {None}
        merged = [build_merged(cluster, rules) for cluster in cluster_rows(block, rules)]
        lead = {row["id"]: row["article_id"] for row in block}
        pending_ids = {row["id"] for row in block if row["merged_id"] is None}
        writer.replace(
            existing,
            {m.id for m in merged},
            [m for m in merged if m.id not in existing or pending_ids.intersection(m.member_ids)],
            lead,
        )
    writer.flush()
    store.con.execute("DROP TABLE merge_queue")
    return MergeReport(
        clusters_written=len(writer.written),
        clusters_removed=len((writer.removed | stale) - writer.written),
        multi_source=writer.multi_source,
    )


def merge_is_current(store: Store) -> bool:
    """True when every event belongs to a merged cluster and no cluster lost members."""
    return store.con.execute(
        "SELECT (SELECT count(*) FROM events WHERE id NOT IN "
        "(SELECT event_id FROM merged_event_members)) + "
        "(SELECT count(*) FROM merged_event_members WHERE event_id NOT IN "
        "(SELECT id FROM events)) + "
        "(SELECT count(*) FROM merged_events m WHERE member_count <> (SELECT count(*) "
        "FROM merged_event_members mm WHERE mm.merged_id = m.id))"
    ).fetchone()[0] == 0


def _drop_stale_clusters(store: Store) -> set[str]:
    """Remove clusters that lost a member (re-extracted or removed events); their other
    members become pending again. Returns the removed ids."""
    stale = {
        r[0] for r in store.con.execute(
            "SELECT m.id FROM merged_events m LEFT JOIN ("
            "SELECT mm.merged_id, count(e.id) AS n FROM merged_event_members mm "
            "JOIN events e ON e.id = mm.event_id GROUP BY mm.merged_id) c "
            "ON c.merged_id = m.id WHERE coalesce(c.n, 0) <> m.member_count"
        ).fetchall()
    }
    store.write_clusters(sorted(stale), MERGED_COLUMNS, [], [])
    return stale


def window_start_sql(alias: str = "e") -> str:
    """The SQL of :func:`date_window`'s first day, for the store's merge queue."""
    slack = " ".join(f"WHEN {p} THEN {days}" for p, days in DATE_SLACK_DAYS.items())
    return (f"{alias}.event_date - CAST(CASE coalesce(nullif({alias}.time_precision, 0), 3) "
            f"{slack} ELSE 31 END AS INTEGER)")


def block_sql(rules: MergeRules, alias: str = "e") -> tuple[str, list[str]]:
    """The SQL of :meth:`MergeRules.block_of` for the store's merge queue, with its
    parameters (event type names are the user's text, so they are bound, not spliced)."""
    if not rules.groups:
        return f"{alias}.event_type", []
    whens = " ".join("WHEN ? THEN ?" for _ in rules.groups)
    params = [v for name in sorted(rules.groups) for v in (name, rules.block_of(name))]
    return f"CASE {alias}.event_type {whens} ELSE {alias}.event_type END", params


def _queue_merge_inputs(store: Store, rules: MergeRules = BUILTIN_RULES) -> int:
    """Write what the merge must read into the temporary table ``merge_queue``, in
    :func:`stream_order`: pending events that cannot merge (each is its own cluster), then
    every mergeable event of a block with a pending mergeable event, by block and date window
    start. Only ids are queued (with each event's cluster before this merge); pages join the
    rest. Returns the number of rows queued.
    """
    factual = ", ".join(f"'{m}'" for m in sorted(FACTUAL_MODALITIES))
    block, params = block_sql(rules, "e")
    store.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE merge_queue AS
        WITH inputs AS (
            SELECT e.id, {block} AS event_type, mm.merged_id,
                coalesce(e.modality IN ({factual}) AND e.event_date IS NOT NULL
                         AND e.place_id IS NOT NULL, false) AS mergeable,
                {window_start_sql("e")} AS window_start
            FROM events e
            LEFT JOIN merged_event_members mm ON mm.event_id = e.id
        ),
        touched AS (
            SELECT DISTINCT event_type, true AS touched FROM inputs
            WHERE mergeable AND merged_id IS NULL
        )
        SELECT row_number() OVER (ORDER BY i.mergeable, i.event_type NULLS LAST,
                                  i.window_start, i.id) AS seq, i.id, i.merged_id
        FROM inputs i
        LEFT JOIN touched t ON t.event_type IS NOT DISTINCT FROM i.event_type
        WHERE (NOT i.mergeable AND i.merged_id IS NULL) OR (i.mergeable AND t.touched)
        ORDER BY seq
        """,
        params,
    )
    return store.con.execute("SELECT count(*) FROM merge_queue").fetchone()[0]


# What the merge compares, read from ``events`` joined with ``places``: the keys of
# :func:`event_row`'s dicts.
MERGE_INPUT_SQL = (
    "SELECT e.id, e.article_id, e.event_type, e.sub_event_type, e.plover_type, "
    "e.trigger, e.event_date, e.time_precision, e.actor1 AS actor1_id, "
    "e.actor2 AS actor2_id, e.assoc_actor_1 AS assoc_actor_1_id, "
    "e.assoc_actor_2 AS assoc_actor_2_id, e.place_id, e.geo_precision, "
    "p.name AS place_name, p.latitude, p.longitude, p.admin1, p.country, p.feature_class, "
    "p.population, "
    "e.fatalities_low, e.fatalities_high, e.fatalities_as_stated, "
    "e.fatalities_victims, e.modality, e.confidence, a.published AS article_published, "
    "ls.lead_sentence"
)
# The joins :data:`MERGE_INPUT_SQL` reads through, after ``events e``.
MERGE_INPUT_JOINS = (
    "LEFT JOIN places p ON p.id = e.place_id LEFT JOIN articles a ON a.id = e.article_id "
    "LEFT JOIN (SELECT event_id, arg_min(sentence, start) AS lead_sentence FROM event_sources "
    "GROUP BY event_id) ls ON ls.event_id = e.id"
)


def _queued_rows(store: Store, count: int) -> Iterator[dict[str, Any]]:
    """``merge_queue`` rows in order, one page at a time (writes may run between pages)."""
    for first in range(1, count + 1, MERGE_PAGE):
        cursor = store.con.execute(
            f"{MERGE_INPUT_SQL}, q.merged_id "
            f"FROM merge_queue q JOIN events e ON e.id = q.id {MERGE_INPUT_JOINS} "
            "WHERE q.seq >= ? AND q.seq < ? ORDER BY q.seq",
            [first, first + MERGE_PAGE],
        )
        columns = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            row["sources"] = []
            yield row


def rebuild_merged_events(store: Store, knowledge: Knowledge | None = None) -> MergeReport:
    """Drop the merged-event tables and merge every stored event again.

    The tables are dropped, not emptied, so a damaged block in them need not be read; the
    store's idempotent schema creates them and their views again.
    """
    store.drop_derived_tables()
    return run_merge(store, knowledge)
