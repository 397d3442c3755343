"""Who held a place on a date, according to which sources: the answer behind ``sitreps control``.

Claims are never overwritten: articles that disagree are all kept in ``control_claims``. To
answer "who held Palmyra on 2016-12-20", each controller's most recent claim on or before that
date is taken; a controller still counts as holding the place unless its latest claim is "lost"
or another controller *gained* the place after it. When more than one controller remains, the
answer says so and shows each with its sources instead of picking one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sitreps.extract.control import claim_confidence
from sitreps.store.duckdb import Store

HOLDING_CHANGES = frozenset({"gained", "holds", "contested"})
# On one date, a change of hands says more than a description of who holds what.
_CHANGE_RANK = {"gained": 0, "lost": 1, "contested": 2, "holds": 3}


@dataclass(frozen=True, slots=True)
class ControlStatement:
    """One controller's claim about a place on a date, with every sentence that states it."""

    place_id: str
    place: str | None
    controller_id: str
    controller: str | None
    change: str
    date: date | None
    confidence: float
    sources: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class ControlAnswer:
    """Who held one place at a date: the holders, each controller's latest claim, disagreement."""

    place_id: str
    place: str | None
    at: date | None
    holders: tuple[ControlStatement, ...]
    latest: tuple[ControlStatement, ...]

    @property
    def disagreement(self) -> bool:
        """True when sources name more than one controller holding the place."""
        return len({h.controller_id for h in self.holders if h.change != "contested"}) > 1


def place_ids(store: Store, place: str) -> list[str]:
    """Stored place ids a name refers to: id, name or admin1 match, else gazetteer aliases.

    Gazetteer aliases matter: "Palmyra" is stored under its GeoNames name "Tadmur".
    """
    rows = store.query(
        "SELECT DISTINCT place_id FROM control_claims c JOIN places p ON p.id = c.place_id "
        "WHERE p.id = ? OR p.name ILIKE ? ORDER BY place_id",
        [place, place],
    )
    if rows:
        return [r["place_id"] for r in rows]
    from sitreps.geo.gazetteer import get_gazetteer

    candidates = list(get_gazetteer().candidate_ids(place, fuzzy=False))
    if not candidates:
        return []
    marks = ", ".join("?" for _ in candidates)
    return [
        r["place_id"] for r in store.query(
            f"SELECT DISTINCT place_id FROM control_claims WHERE place_id IN ({marks}) "
            "ORDER BY place_id",
            candidates,
        )
    ]


def control_statements(
    store: Store, place: str | None = None, at: date | None = None
) -> list[ControlStatement]:
    """Claims (grouped with their sources) for a place, or all places, on or before ``at``."""
    clauses, params = [], []
    if place is not None:
        ids = place_ids(store, place)
        if not ids:
            return []
        clauses.append(f"c.place_id IN ({', '.join('?' for _ in ids)})")
        params += ids
    if at is not None:
        clauses.append("c.date <= ?")
        params.append(at)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = store.query(
        "SELECT c.place_id, p.name AS place, c.controller AS controller_id, "
        "a.name AS controller, c.change, c.date, c.stage, c.article_id, c.sentence, c.start, "
        'c."end" FROM control_claims c LEFT JOIN places p ON p.id = c.place_id '
        f"LEFT JOIN actors a ON a.id = c.controller {where} "
        "ORDER BY c.date NULLS FIRST, c.place_id, c.controller, c.article_id, c.start",
        params,
    )
    grouped: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = (row["place_id"], row["controller_id"], row["change"], row["date"])
        record = grouped.setdefault(key, {**row, "sources": [], "confidence": 0.0})
        record["confidence"] = max(record["confidence"], claim_confidence(row["stage"] or ""))
        if row["article_id"] is not None:
            record["sources"].append(
                {k: row[k] for k in ("article_id", "sentence", "start", "end")}
            )
    return [
        ControlStatement(
            place_id=r["place_id"], place=r["place"], controller_id=r["controller_id"],
            controller=r["controller"], change=r["change"], date=r["date"],
            confidence=r["confidence"], sources=tuple(r["sources"]),
        )
        for r in grouped.values()
    ]


def who_controls(store: Store, place: str, at: date | None = None) -> list[ControlAnswer]:
    """Who held ``place`` on ``at`` (default: by the latest claim), one answer per place id.

    Args:
        store: an open store.
        place: a place name, alias or id ("Palmyra", "Tadmur", "gn:163808").
        at: the date asked about; claims after it are ignored.
    Returns:
        one :class:`ControlAnswer` per stored place the name matches; empty when none.
    """
    return _answers(control_statements(store, place, at), at)


def control_states(store: Store, at: date | None = None) -> list[ControlAnswer]:
    """Every place's state on ``at`` (default: by the latest claims), one answer per place id.

    The one answer behind ``sitreps control`` without ``--place`` and ``GET /api/control``,
    so the terminal and the dashboard cannot disagree about who holds a place.
    """
    return _answers(control_statements(store, None, at), at)


def _answers(statements: list[ControlStatement], at: date | None) -> list[ControlAnswer]:
    by_place: dict[str, list[ControlStatement]] = {}
    for statement in statements:
        by_place.setdefault(statement.place_id, []).append(statement)
    return [answer_for(pid, claims, at) for pid, claims in sorted(by_place.items())]


def status(answer: ControlAnswer) -> str:
    """``held`` (sources agree on one holder), ``disputed`` (they name more), or ``unknown``."""
    if not answer.holders:
        return "unknown"
    return "disputed" if answer.disagreement else "held"


def state_line(answer: ControlAnswer) -> str:
    """The one-line state of a place, worded the same in the terminal and the API."""
    state = status(answer)
    if state == "unknown":
        return "No source says who held it."
    if state == "disputed":
        return "Sources disagree: " + "; ".join(
            h.controller or h.controller_id for h in answer.holders)
    h = answer.holders[0]
    return f"Held by {h.controller or h.controller_id}"


def answer_for(place_id: str, claims: list[ControlStatement], at: date | None) -> ControlAnswer:
    """Fold one place's claims into holders and each controller's latest claim."""
    latest: dict[str, ControlStatement] = {}
    for claim in sorted(claims, key=_claim_order):
        latest[claim.controller_id] = claim
    last_gain: dict[str, date] = {
        c.controller_id: c.date for c in latest.values() if c.change == "gained" and c.date
    }
    holders = []
    for claim in latest.values():
        if claim.change not in HOLDING_CHANGES:
            continue
        taken_later = any(
            when > (claim.date or date.min)
            for other, when in last_gain.items()
            if other != claim.controller_id
        )
        if not taken_later:
            holders.append(claim)
    holders.sort(key=lambda c: (c.date or date.min, c.confidence), reverse=True)
    ordered = sorted(latest.values(), key=lambda c: (c.date or date.min, c.confidence),
                     reverse=True)
    place = claims[0].place if claims else None
    return ControlAnswer(place_id, place, at, tuple(holders), tuple(ordered))


def _claim_order(claim: ControlStatement) -> tuple:
    """Oldest first; on one date the weaker kind of claim first, so the stronger wins."""
    return (claim.date or date.min, -_CHANGE_RANK.get(claim.change, 9), claim.confidence)


def format_answers(answers: list[ControlAnswer]) -> str:
    """Plain-text answers for the terminal, sources quoted under each claim."""
    lines: list[str] = []
    for answer in answers:
        when = f" on {answer.at.isoformat()}" if answer.at else " (latest claims)"
        lines.append(f"{answer.place or answer.place_id} [{answer.place_id}]{when}")
        lines.append(f"  {state_line(answer)}")
        lines.append("  Latest claim per controller:")
        for claim in answer.latest:
            lines.append(
                f"  - {claim.controller or claim.controller_id}: {claim.change} "
                f"({claim.date or 'undated'}, confidence {claim.confidence:.2f})"
            )
            for source in claim.sources:
                lines.append(f"      [{source['article_id'][:12]}] {source['sentence']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def format_claims(claims: list[ControlStatement]) -> str:
    r"""Every claim as a line (date, place, controller, change), its sources quoted under it.

    >>> claim = ControlStatement("gn:1", "Tadmur", "isis", "Islamic State", "gained",
    ...                          date(2016, 12, 11), 0.8, ())
    >>> format_claims([claim])
    '2016-12-11  Tadmur [gn:1]: Islamic State gained (confidence 0.80)\n'
    """
    lines: list[str] = []
    for claim in claims:
        lines.append(
            f"{claim.date or 'undated'}  {claim.place or claim.place_id} [{claim.place_id}]: "
            f"{claim.controller or claim.controller_id} {claim.change} "
            f"(confidence {claim.confidence:.2f})"
        )
        for source in claim.sources:
            lines.append(f"    [{source['article_id'][:12]}] {source['sentence']}")
    return "\n".join(lines) + "\n"
