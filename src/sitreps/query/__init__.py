"""The read library: one place that answers every question asked of a sitreps database.

The CLI prints its answers, the HTTP API serialises them, the dashboard and the report render
them, the exporters write them; none of them has SQL of its own, so they cannot disagree::

    from sitreps.query import Reader, factual_filter
    with Store("sitreps.duckdb", read_only=True) as store:
        page = Reader(store).events(factual_filter(place="Aleppo", limit=10))
"""

from sitreps.query.filters import (
    EventFilter,
    EventQuery,
    factual_filter,
    like_substring,
    parse_bbox,
)
from sitreps.query.reader import (
    INTERVALS,
    MAX_CELLS,
    STATS_TOP,
    STORED,
    EventTables,
    OptionalDependencyMissing,
    Reader,
    materialise,
    merge_live,
    resolve_tables,
)
from sitreps.query.results import (
    ActorDetail,
    ActorPage,
    ActorRecord,
    ArticleRecord,
    Clusters,
    ControlState,
    EventDetail,
    EventPage,
    EventRecord,
    RelationRecord,
    SourceRef,
    Stats,
    TimelinePoint,
    as_dict,
)

__all__ = [
    "INTERVALS", "MAX_CELLS", "STATS_TOP", "STORED", "ActorDetail", "ActorPage", "ActorRecord",
    "ArticleRecord", "Clusters", "ControlState", "EventDetail", "EventFilter", "EventPage",
    "EventQuery", "EventRecord", "EventTables", "OptionalDependencyMissing", "Reader",
    "RelationRecord", "SourceRef", "Stats", "TimelinePoint", "as_dict", "factual_filter",
    "like_substring", "materialise", "merge_live", "parse_bbox", "resolve_tables",
]
