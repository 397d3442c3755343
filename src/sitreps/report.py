"""A readable situation report (Markdown or self-contained HTML) for a place and time window.

Every statement in the report carries footnotes to the article sentences it rests on. The HTML
variant escapes all text taken from articles (``html.escape``), loads nothing from outside the
file and carries a Content-Security-Policy that forbids scripts, so a hostile article cannot
run code in the reader's browser.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitreps.knowledge.package import Knowledge
from sitreps.query.filters import EventFilter, factual_filter
from sitreps.query.reader import Reader, reader_for
from sitreps.query.results import as_dict
from sitreps.store.duckdb import Store
from sitreps.timeline import build_timeline, importance, summarise

HEADLINES = 5
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
_PREDICATE_TEXT = {
    "backs": "backs", "allied_with": "is allied with", "fights": "fights",
    "part_of": "is part of", "leads": "leads",
}


@dataclass(frozen=True, slots=True)
class Statement:
    """One sentence of the report and the footnote numbers of its sources."""

    text: str
    refs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A titled list of statements."""

    title: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class Footnote:
    """A quoted source sentence with the article it comes from."""

    number: int
    article_id: str
    sentence: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """A situation report, ready to render."""

    title: str
    place: str | None
    since: date | None
    until: date | None
    sections: tuple[Section, ...]
    footnotes: tuple[Footnote, ...]
    # The merged factual events the report covers and their conservative deaths: the same
    # figures `sitreps events`, the exports and /api/stats give for the same window.
    event_ids: tuple[str, ...] = ()
    fatalities: int = 0

    @property
    def totals(self) -> str:
        """The report's headline figures as one sentence."""
        return (f"{len(self.event_ids):,} factual event(s), merged across articles; "
                f"at least {self.fatalities:,} killed.")


@dataclass(slots=True)
class _Notes:
    """Numbers each distinct source sentence once, in order of first citation."""

    articles: dict[str, dict[str, Any]]
    numbers: dict[tuple, int] = field(default_factory=dict)
    notes: list[Footnote] = field(default_factory=list)

    def cite(self, sources: Any) -> tuple[int, ...]:
        refs = []
        for s in sources:
            key = (s["article_id"], s["start"], s["end"])
            if key not in self.numbers:
                meta = self.articles.get(s["article_id"], {})
                self.numbers[key] = len(self.notes) + 1
                self.notes.append(Footnote(
                    self.numbers[key], s["article_id"], s["sentence"] or "",
                    meta.get("title"), meta.get("source"), meta.get("published"),
                    meta.get("url"),
                ))
            refs.append(self.numbers[key])
        return tuple(dict.fromkeys(refs))


def build_report(
    store: Store | Reader, place: str | None = None, since: date | None = None,
    until: date | None = None, knowledge: Knowledge | None = None,
) -> Report:
    """Collect headlines, control changes, casualties, the actor network and a timeline.

    Args:
        store: an open store.
        place: place, admin1 or country name (substring) or id; ``None`` for everywhere.
        since, until: the date window, inclusive.
        knowledge: the package the database was built with (``--config``'s knowledge files);
            the built-in one when ``None`` (a reader given as ``store`` keeps its own).
    Returns:
        a :class:`Report`; render it with :func:`render_markdown` or :func:`render_html`.
    """
    where = factual_filter(place=place, since=since, until=until)
    reader = reader_for(store, knowledge)
    events = reader.event_dicts(where)
    notes = _Notes(reader.article_meta())
    ranked = sorted(events, key=lambda r: (-importance(r, reader.knowledge), r["id"]))
    headlines = tuple(
        Statement(f"{r['event_date'] or 'Undated'}: {summarise(r)}.", notes.cite(r["sources"]))
        for r in ranked[:HEADLINES]
    )
    sections = [
        Section("Headline developments", headlines),
        Section("Control changes", _control_section(reader, place, since, until, notes)),
        Section("Casualties by actor and event type", _casualty_section(events, notes)),
        Section("Actor network", _network_section(reader, events, since, until, notes)),
        Section("Timeline", _timeline_section(reader, where, notes)),
    ]
    scope = place or "all areas"
    window = f"{since or 'start'} to {until or 'latest'}"
    return Report(f"Situation report: {scope}, {window}", place, since, until,
                  tuple(sections), tuple(notes.notes), tuple(r["id"] for r in events),
                  sum(r.get("fatalities_best") or 0 for r in events))


def _control_section(reader: Reader, place: str | None, since: date | None,
                     until: date | None, notes: _Notes) -> tuple[Statement, ...]:
    out = []
    for c in reader.claims(place, until):
        if since and (c.date is None or c.date < since):
            continue
        verb = {"gained": "gained", "lost": "lost", "holds": "held",
                "contested": "contested"}.get(c.change, c.change)
        when = c.date.isoformat() if c.date else "Undated"
        out.append(Statement(
            f"{when}: {c.controller or c.controller_id} {verb} {c.place or c.place_id}.",
            notes.cite(c.sources),
        ))
    return tuple(out)


def _casualty_section(events: list[dict[str, Any]], notes: _Notes) -> tuple[Statement, ...]:
    totals: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in events:
        if row.get("fatalities_best"):
            totals[(row.get("actor1") or "Unidentified actor", row["event_type"])].append(row)
    out = []
    for (actor, event_type), rows in sorted(
        totals.items(), key=lambda kv: -sum(r["fatalities_best"] for r in kv[1])
    ):
        deaths = sum(r["fatalities_best"] for r in rows)
        sources = [s for r in rows for s in r["sources"]]
        out.append(Statement(
            f"{actor}, {event_type}: at least {deaths} killed in {len(rows)} event(s).",
            notes.cite(sources),
        ))
    return tuple(out)


def _network_section(reader: Reader, events: list[dict[str, Any]], since: date | None,
                     until: date | None, notes: _Notes) -> tuple[Statement, ...]:
    involved = {r[k] for r in events for k in ("actor1_id", "actor2_id") if r.get(k)}
    grouped = sorted(reader.relations(limit=None, since=since, until=until),
                     key=lambda g: (g.predicate, g.subject_id, g.object_id))
    return tuple(
        Statement(
            f"{g.subject or g.subject_id} "
            f"{_PREDICATE_TEXT.get(g.predicate, g.predicate)} "
            f"{g.object or g.object_id}.",
            notes.cite(as_dict(g.sources)),
        )
        for g in grouped
        if not involved or g.subject_id in involved or g.object_id in involved
    )


def _timeline_section(reader: Reader, where: EventFilter, notes: _Notes) -> tuple[Statement, ...]:
    return tuple(
        Statement(f"{day.day or 'Undated'}: {entry.summary}.", notes.cite(entry.sources))
        for day in build_timeline(reader, where)
        for entry in day.entries
    )


def render_markdown(report: Report) -> str:
    """The report as Markdown with ``[^n]`` footnotes."""
    lines = [f"# {_md(report.title)}", "", report.totals, ""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if not section.statements:
            lines.append("_Nothing in the sources for this window._")
        for st in section.statements:
            refs = "".join(f"[^{n}]" for n in st.refs)
            lines.append(f"- {_md(st.text)}{refs}")
        lines.append("")
    lines += ["## Sources", ""]
    for note in report.footnotes:
        quote = _md(note.sentence)
        lines.append(f"[^{note.number}]: {_md(_note_label(note))}: \u201c{quote}\u201d")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Neutralise Markdown and raw HTML in article text (renderers pass HTML through)."""
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]")


def _note_label(note: Footnote) -> str:
    parts = [note.title or note.article_id[:12], note.outlet, str(note.published or "")]
    return ", ".join(p for p in parts if p)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page: every text escaped, no external resources."""
    e = html.escape
    body = [f"<h1>{e(report.title)}</h1>", f"<p>{e(report.totals)}</p>"]
    for section in report.sections:
        body.append(f"<h2>{e(section.title)}</h2>")
        if not section.statements:
            body.append("<p><em>Nothing in the sources for this window.</em></p>")
            continue
        body.append("<ul>")
        for st in section.statements:
            refs = "".join(f'<sup><a href="#fn{n}">{n}</a></sup>' for n in st.refs)
            body.append(f"<li>{e(st.text)}{refs}</li>")
        body.append("</ul>")
    body.append("<h2>Sources</h2><ol>")
    for note in report.footnotes:
        # URLs are shown as text, never as links: a javascript: URL must not become clickable.
        url = f" <code>{e(note.url)}</code>" if note.url else ""
        body.append(
            f'<li id="fn{note.number}">{e(_note_label(note))}{url}: '
            f"<q>{e(note.sentence)}</q></li>"
        )
    body.append("</ol>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">'
        f"<title>{e(report.title)}</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52em;margin:2em auto;"
        "padding:0 1em}sup a{text-decoration:none}q{color:#333}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_report(report: Report, out: str | Path) -> Path:
    """Write ``report`` to ``out``: HTML for .html/.htm, Markdown otherwise."""
    path = Path(out)
    html_out = path.suffix.lower() in (".html", ".htm")
    path.write_text(render_html(report) if html_out else render_markdown(report), "utf-8")
    return path
