"""The ``sitreps`` command line: a thin shell over :mod:`sitreps.jobs`, the store and exporters.

Exit codes: 0 everything worked; 1 some inputs failed, were skipped or were amended (a future
publication date dropped; see ``ingest_errors``);
2 bad usage; 3 the job could not run at all (database locked, model missing, bad config).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from sitreps.commands import config_knowledge, config_option, fatal_errors
from sitreps.config import Config, load_config
from sitreps.export import EXPORTERS, export
from sitreps.ingest import ColumnMapping
from sitreps.jobs import ExtractReport, IngestReport, ingest_sources
from sitreps.knowledge.package import Knowledge, load_knowledge
from sitreps.query import EventFilter, EventRecord, Reader, factual_filter
from sitreps.records import Article, IngestError, Mention, Place
from sitreps.store.duckdb import DEFAULT_DB, Store, dumps_json

EXIT_PARTIAL = 1
EXIT_FATAL = 3

console = Console(stderr=True)
# Tables read badly at rich's 80-column default when output is piped: use a wider page there.
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)

db_option = click.option(
    "--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
    help="DuckDB database file.",
)


def sample_paths() -> list[str]:
    """The built-in sample corpus shipped in the package."""
    folder = resources.files("sitreps").joinpath("data", "sample")
    return sorted(str(p) for p in Path(str(folder)).glob("*.txt"))


def shown(text: str) -> str:
    r"""``text`` with every unprintable character escaped, so a file name or field holding a
    newline or a terminal escape cannot fake or hide an output line (issue 15).

    >>> shown("a.txt\nIngested 99 new article(s)")
    'a.txt\\nIngested 99 new article(s)'
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _load_config(path: str | None) -> Config:
    return load_config(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sitreps")
def cli() -> None:
    """sitreps: conflict news in, structured, sourced, explainable event data out."""


def _ingest_with_progress(store: Store, sources: list[str], mapping: ColumnMapping) -> IngestReport:
    with Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"),
        TextColumn("{task.completed} items"), console=console, transient=True,
    ) as progress:
        task = progress.add_task("Reading articles", total=None)

        def on_item(item: Article | IngestError) -> None:
            progress.advance(task)
            if isinstance(item, IngestError):
                where = shown(item.origin) + (f" ({shown(item.item)})" if item.item else "")
                # The line already says "skipped"; a reason that says it too read twice.
                reason = item.reason.removeprefix("skipped: ")
                progress.console.print(
                    Text.assemble(("skipped ", "yellow"), f"{where}: {shown(reason)}")
                )

        return ingest_sources(store, sources, mapping, on_item=on_item)


def _extract_with_progress(
    store: Store, config: Config, engine: EngineOptions | None = None
) -> ExtractReport:
    from sitreps.engine import run_engine

    engine = engine or EngineOptions()
    total = store.count_unprocessed()
    if total == 0:
        return ExtractReport()
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), RateColumn(), TimeRemainingColumn(), console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Extracting events", total=total)
        return run_engine(
            store, config, engine=engine.engine, workers=engine.workers,
            scheduler=engine.scheduler, work_dir=engine.work_dir,
            progress=lambda n: progress.advance(task, n),
        )


class RateColumn(ProgressColumn):
    """Articles per second, for the extraction progress bar."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} articles/s")


def _print_ingest(report: IngestReport) -> None:
    # Every article read falls in exactly one count, so they add up to what was read.
    parts = [f"{report.stored_before} already stored"]
    if report.repeated:
        parts.append(f"{report.repeated} repeated within this input")
    parts.append(f"{report.near_duplicates} near-duplicate(s) linked")
    if report.linked_before:
        parts.append(f"{report.linked_before} near-duplicate(s) linked before")
    parts.append(f"{len(report.errors)} input(s) skipped")
    console.print(
        f"Ingested {report.added} new article(s); {', '.join(parts)}.", highlight=False
    )
    for note in report.amended:
        console.print(
            Text.assemble(("amended ", "yellow"), f"{shown(note.origin)}: {shown(note.reason)}")
        )


def _print_extract(report: ExtractReport) -> None:
    console.print(
        f"Analysed {report.articles} article(s): {report.events} event(s) found"
        + (f", {len(report.errors)} problem(s) recorded." if report.errors else "."),
        highlight=False,
    )
    for error in report.errors:
        console.print(Text.assemble(
            ("warning ", "yellow"), f"{shown(error.item or '')}: {shown(error.reason)}"
        ))


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """Which engine runs extraction, and where."""

    engine: str = "local"
    # None: "auto" (sitreps.engine.auto_workers), the default: a run uses the cores it has.
    workers: int | None = None
    scheduler: str | None = None
    work_dir: str | None = None


class WorkersType(click.ParamType):
    """``--workers``: a count of at least 1, or ``auto`` (given to the engine as None)."""

    name = "INTEGER|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if value is None or value == "auto":
            return None
        try:
            count = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is neither a number of workers nor 'auto'.", param, ctx)
        if count < 1:
            self.fail(f"{count} is below 1: give at least one worker, or 'auto'.", param, ctx)
        return count


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--engine/--workers/--scheduler/--work-dir, shared by ``extract`` and ``run``."""
    options = [
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                     show_default=True, help="Run extraction here or on a Dask cluster."),
        click.option("--workers", type=WorkersType(), default="auto", show_default=True,
                     help="Worker processes (local engine, or a local Dask cluster); `auto`: "
                          "one per usable core (up to 4) while each gets 64 articles or "
                          "more, else 1 (in this process). `1` keeps a big run in one "
                          "process."),
        click.option("--scheduler", default=None,
                     help="tcp://HOST:PORT of a running Dask scheduler (dask engine)."),
        click.option("--work-dir", default=None,
                     help="Where the dask engine writes Parquet partitions "
                          "(default <db>.parts/; shared storage on a cluster)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def mapping_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The CSV/JSONL column mapping options shared by ``ingest`` and ``run``."""
    for name, default, help_text in reversed(
        [
            ("--text-col", "text", "Column or field holding the article text."),
            ("--date-col", "date", "Column or field holding the publication date."),
            ("--title-col", "title", "Column or field holding the title."),
            ("--id-col", "id", "Column or field holding the source's own id."),
            ("--url-col", "url", "Column or field holding the article's URL."),
            ("--source-col", "source", "Column or field holding the outlet (source) name."),
        ]
    ):
        func = click.option(name, default=default, show_default=True, help=help_text)(func)
    return func


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@mapping_options
def ingest(
    sources: tuple[str, ...], db_path: str, text_col: str, date_col: str, title_col: str,
    id_col: str, url_col: str, source_col: str,
) -> None:
    """Read articles from files, directories, globs, URLs or feeds into the database.

    Plain text (with an optional first line `date YYYY-MM-DD <standfirst>`), .jsonl, .csv,
    .html, http(s) URLs and RSS/Atom feeds. Re-ingesting an article is a no-op; near-duplicates
    are linked to the article they repeat; unreadable or non-English inputs are recorded in
    the `ingest_errors` table and the exit code is 1.
    """
    mapping = ColumnMapping(text_col=text_col, date_col=date_col, title_col=title_col,
                            id_col=id_col, url_col=url_col, source_col=source_col)
    with fatal_errors(db_path), Store(db_path) as store:
        report = _ingest_with_progress(store, list(sources), mapping)
    _print_ingest(report)
    sys.exit(EXIT_PARTIAL if report.errors or report.amended else 0)


@cli.command()
@db_option
@config_option
@engine_options
def extract(
    db_path: str, config_path: str | None, engine: str, workers: int | None,
    scheduler: str | None, work_dir: str | None,
) -> None:
    """Run the extraction pipeline on stored articles not processed yet."""
    options = EngineOptions(engine, workers, scheduler, work_dir)
    with fatal_errors(db_path):
        config = _load_config(config_path)
        with Store(db_path) as store:
            report = _extract_with_progress(store, config, options)
    _print_extract(report)
    sys.exit(EXIT_PARTIAL if report.errors else 0)


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--sample", is_flag=True, help="Run on the sample corpus shipped with sitreps.")
@db_option
@config_option
@mapping_options
@engine_options
def run(
    sources: tuple[str, ...], sample: bool, db_path: str, config_path: str | None,
    text_col: str, date_col: str, title_col: str, id_col: str, url_col: str, source_col: str,
    engine: str, workers: int | None, scheduler: str | None, work_dir: str | None,
) -> None:
    """Ingest SOURCES, extract events, and print a summary (`ingest` then `extract`)."""
    paths = list(sources) + (sample_paths() if sample else [])
    if not paths:
        raise click.UsageError("Give at least one file, directory, URL or feed, or --sample.")
    mapping = ColumnMapping(text_col=text_col, date_col=date_col, title_col=title_col,
                            id_col=id_col, url_col=url_col, source_col=source_col)
    with fatal_errors(db_path):
        config = _load_config(config_path)
        if engine == "dask":
            from sitreps.engine import prepare_workers

            # The workers' pipeline loads while the articles are read (issue 16).
            prepare_workers(config, engine=engine, scheduler=scheduler)
        with Store(db_path) as store:
            ingested = _ingest_with_progress(store, paths, mapping)
            _print_ingest(ingested)
            extracted = _extract_with_progress(
                store, config, EngineOptions(engine, workers, scheduler, work_dir)
            )
            _print_extract(extracted)
            if ingested.added or extracted.articles:
                print_summary(store, load_knowledge(config.knowledge_files))
            else:
                # Nothing changed: reprinting the database's summary after, say, a missing
                # input reads as if this run had produced it (issue 19).
                console.print(
                    Text(f"Nothing new stored or analysed; {shown(db_path)} is unchanged "
                         "(`sitreps events` lists its events).")
                )
    sys.exit(EXIT_PARTIAL if ingested.errors or ingested.amended or extracted.errors else 0)


def print_summary(store: Store, knowledge: Knowledge | None = None) -> None:
    """A readable overview of the database: counts, then the main factual events (read with
    the run's ``knowledge``)."""
    counts = {t: store.count(t) for t in ("articles", "events", "actors", "places", "relations",
                                          "control_claims")}
    out.print(
        "Database: " + ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in counts.items()),
        highlight=False,
    )
    reader = Reader(store, knowledge=knowledge)
    events, deaths = reader.totals()
    out.print(
        f"Factual events (asserted or reported, merged across articles): {events:,}, "
        f"{deaths:,} deaths. Background, hedged, negated and forecast mentions are not counted "
        "(`sitreps events --all` lists them).",
        highlight=False,
    )
    rows = reader.events(factual_filter(limit=12)).items
    if rows:
        out.print(_events_table(rows, title="Latest factual events (merged across articles)"))


def _events_table(rows: Sequence[EventRecord], title: str) -> Table:
    table = Table(title=title, show_lines=False, expand=False)
    for name, width in (("date", 10), ("event", 24), ("actor 1", 18), ("actor 2", 18),
                        ("place", 16), ("deaths", 6), ("sources", 7), ("modality", 8),
                        ("sentence", 60)):
        table.add_column(name, overflow="fold", max_width=width)
    for row in rows:
        sentence = (row.sources[0].sentence or "") if row.sources else ""
        # Article text is data: cells are Text objects so rich never reads markup in them.
        table.add_row(
            *map(
                Text,
                (
                    str(row.event_date or ""),
                    row.sub_event_type or "",
                    row.actor1 or "",
                    row.actor2 or "",
                    row.location or "",
                    "" if row.fatalities is None else str(row.fatalities),
                    str(row.source_count),
                    row.modality or "",
                    sentence if len(sentence) <= 120 else sentence[:117] + "...",
                ),
            )
        )
    return table


def _parse_date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2016-12-17.", param_hint=name
        ) from None


@cli.command()
@db_option
@click.option("--type", "event_type", help="ACLED event type, sub-event type or PLOVER type.")
@click.option("--actor", help="Actor name (substring) or id.")
@click.option("--place", help="Place, admin1 or country name (substring) or place id.")
@click.option("--since", help="Earliest event date, YYYY-MM-DD.")
@click.option("--until", help="Latest event date, YYYY-MM-DD.")
@click.option("--all", "include_all", is_flag=True,
              help="Include background, hedged, negated and future mentions and PLOVER-only "
                   "acts.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True,
              help="Print the events as JSON lines (the export's records) instead of a table.")
@config_option
def events(
    db_path: str, event_type: str | None, actor: str | None, place: str | None,
    since: str | None, until: str | None, include_all: bool, limit: int, as_json: bool,
    config_path: str | None,
) -> None:
    """Print merged events (one per real-world event), newest first.

    With --config, the event types left out (ACLED's vocabulary) and merged are those of the
    config's knowledge files too.
    """
    fields = dict(
        event_type=event_type, actor=actor, place=place,
        since=_parse_date(since, "--since"), until=_parse_date(until, "--until"), limit=limit,
    )
    where = EventFilter(**fields) if include_all else factual_filter(**fields)
    with fatal_errors(db_path):
        knowledge = config_knowledge(config_path)
        with Store(db_path, read_only=True) as store:
            rows = Reader(store, knowledge=knowledge).events(where).items
    if as_json:
        from sitreps.export import export_record

        for row in rows:
            click.echo(dumps_json(export_record(row)))
        return
    if not rows:
        console.print("No events match.")
        return
    out.print(_events_table(rows, title=f"{len(rows)} event(s)"))


@cli.command()
@db_option
@click.option("--name", help="Name or alias (substring).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
def actors(db_path: str, name: str | None, limit: int) -> None:
    """Print actors with their kind, country and number of events."""
    with fatal_errors(db_path), Store(db_path, read_only=True) as store:
        rows = Reader(store).actors(name=name, limit=limit).items
    table = Table(title=f"{len(rows)} actor(s)")
    for column in ("name", "kind", "inter", "country", "events", "id"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            *map(
                Text,
                (row.name, row.kind or "", str(row.inter_code or ""),
                 row.country or "", str(row.events), row.id),
            )
        )
    out.print(table)


@cli.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(list(EXPORTERS)), default="json",
              show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Output file (default: standard output).")
@click.option("--all", "include_all", is_flag=True,
              help="Also export background, hedged, negated and future mentions and "
                   "PLOVER-only acts (default: factual events in ACLED's vocabulary).")
@config_option
def export_command(
    db_path: str, fmt: str, out_path: str | None, include_all: bool, config_path: str | None
) -> None:
    """Export events (and, as JSON, articles, actors, relations, control claims, places).

    With --config, the export takes its vocabulary (which event types ACLED codes, their
    disorder type, how a database without a current merge is merged) from the config's
    knowledge files too.
    """
    where = EventFilter() if include_all else factual_filter()
    with fatal_errors(db_path):
        knowledge = load_knowledge(_load_config(config_path).knowledge_files)
        with Store(db_path, read_only=True) as store:
            reader = Reader(store, knowledge=knowledge)
            if out_path is None:
                export(reader, fmt, sys.stdout.buffer, where, knowledge)
                sys.stdout.buffer.flush()
            else:
                with open(out_path, "wb") as handle:
                    export(reader, fmt, handle, where, knowledge)
                console.print(Text(f"Wrote {shown(out_path)}"))


@cli.command()
@click.argument("texts", nargs=-1)
@config_option
def geocode(texts: tuple[str, ...], config_path: str | None) -> None:
    """Print the places found in each TEXT with their coordinates, for quick checks.

    Several texts share one start-up (the model loads once), which is most of the time a call
    takes. `-` or no TEXT reads one text per line from standard input.
    """
    from sitreps.extract.places import geocode_text
    from sitreps.nlp import get_nlp

    items = _geocode_inputs(texts)
    if not items:
        raise click.UsageError("no text to geocode: give TEXT arguments or lines on stdin")
    with fatal_errors():
        nlp = get_nlp(_load_config(config_path))
        for text in items:
            out.print(_geocode_table(text, geocode_text(text, nlp)))


def _geocode_inputs(texts: tuple[str, ...]) -> list[str]:
    """The texts to geocode in order: each argument, and each non-blank stdin line for `-`."""
    if not texts and sys.stdin.isatty():
        # A bare `sitreps geocode` at a prompt would wait for input with no hint why.
        raise click.UsageError("give TEXT arguments, `-` or pipe one text per line on stdin")
    items: list[str] = []
    for text in texts or ("-",):
        if text == "-":
            items.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            items.append(text)
    return items


def _geocode_table(text: str, found: list[tuple[Mention, Place | None]]) -> Table:
    """One table per text, titled with the text so several answers stay apart."""
    shown_text = text if len(text) <= 70 else text[:67] + "..."
    table = Table(title=Text(f"{len(found)} place mention(s) in: {shown_text}"))
    for column in ("mention", "place", "country", "admin1", "lat", "lon", "precision", "id"):
        table.add_column(column)
    for mention, place in found:
        cells = [mention.text, "(unresolved)", "", "", "", "", "", ""]
        if place is not None:
            cells[1:] = [
                place.name, place.country or "", place.admin1 or "",
                f"{place.latitude:.4f}" if place.latitude is not None else "",
                f"{place.longitude:.4f}" if place.longitude is not None else "",
                str(place.geo_precision), place.id,
            ]
        table.add_row(*map(Text, cells))
    return table


@cli.command()
def stages() -> None:
    """List the registered extraction stages with what they read and write and their options."""
    from sitreps.registry import registered_stages

    table = Table(title="Registered stages")
    for column in ("name", "reads", "writes", "options"):
        table.add_column(column)
    for name, stage in sorted(registered_stages().items()):
        options = ", ".join(f"{key}={value!r}" for key, value in stage.default_config.items())
        table.add_row(name, ", ".join(stage.reads), ", ".join(stage.writes), options)
    out.print(table)


def _register_plugins() -> None:
    """Commands that live with their own library packages (API server, evaluation)."""
    from sitreps.api.command import serve_command
    from sitreps.commands import (
        backup_command,
        control_command,
        doctor_command,
        report_command,
        timeline_command,
    )
    from sitreps.evaluate.command import eval_command
    from sitreps.learn.command import train_group

    for command in (serve_command, eval_command, control_command, timeline_command,
                    report_command, doctor_command, backup_command, train_group):
        cli.add_command(command)


_register_plugins()


def main() -> None:
    cli(prog_name="sitreps")


if __name__ == "__main__":
    main()
