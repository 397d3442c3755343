"""The ``control``, ``timeline``, ``report``, ``doctor`` and ``backup`` commands: thin shells
over the library.

Each parses its options, makes one library call (:mod:`sitreps.control_query`,
:mod:`sitreps.timeline`, :mod:`sitreps.report`, :func:`sitreps.store.duckdb.check_database`,
:func:`sitreps.store.duckdb.backup_database`) and prints or writes the result. They are
module-level ``click`` commands registered by ``sitreps.cli``; this module does not import the
CLI, so importing it first cannot form an import cycle.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from datetime import date

import click

from sitreps.knowledge.package import Knowledge
from sitreps.query import Reader, factual_filter
from sitreps.store.duckdb import (
    DEFAULT_DB,
    BackupExists,
    DoctorReport,
    NotASitrepsDatabase,
    Store,
    StoreDamaged,
    StoreLocked,
    StoreSchemaMismatch,
    classify_store_error,
    locked_error,
)

EXIT_FATAL = 3

db_option = click.option(
    "--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
    help="DuckDB database file.",
)
config_option = click.option(
    "--config", "config_path", default=None, type=click.Path(exists=True, dir_okay=False),
    help="A TOML file overriding the packaged default_config.toml.",
)


def config_knowledge(config_path: str | None) -> Knowledge | None:
    """The knowledge package of a ``--config`` file's ``[knowledge] files``; ``None`` (the
    built-in package) without one. Readers take it to read a database the way it was built."""
    if config_path is None:
        return None
    from sitreps.config import load_config
    from sitreps.knowledge.package import load_knowledge

    return load_knowledge(load_config(config_path).knowledge_files)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2016-12-17.") from None


def _fatal_types() -> tuple[type[BaseException], ...]:
    from sitreps.config import ConfigError
    from sitreps.engine import EngineUnavailable, UnknownEngine
    from sitreps.knowledge.package import KnowledgeError
    from sitreps.nlp import ModelNotInstalled

    return (StoreLocked, StoreSchemaMismatch, NotASitrepsDatabase, StoreDamaged,
            ModelNotInstalled, ConfigError, FileNotFoundError, UnknownEngine, EngineUnavailable,
            BackupExists, KnowledgeError)


@contextlib.contextmanager
def fatal_errors(db_path: str | None = None) -> Iterator[None]:
    """The one place where the library's named errors become a message and exit code 3, for
    every command (``sitreps.cli`` uses it too). A DuckDB error that shows the database file
    is damaged or not a sitreps file, wherever a command meets it, is translated here.
    """
    try:
        yield
    except Exception as error:
        import duckdb

        if isinstance(error, duckdb.Error):
            where = db_path or "the database"
            if re.search(r"\block\b", str(error), re.IGNORECASE):
                error = locked_error(where, error)
            error = classify_store_error(where, error) or error
        if not isinstance(error, _fatal_types()):
            raise
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_FATAL)



@click.command("control")
@click.option("--place", help="Place name, alias or id (e.g. Palmyra); default: every place.")
@click.option("--at", callback=_date, help="The date asked about, YYYY-MM-DD (default: latest).")
@click.option("--claims", "every_claim", is_flag=True,
              help="List every claim (oldest first) instead of each place's state.")
@db_option
def control_command(place: str | None, at: date | None, every_claim: bool, db_path: str) -> None:
    """Who held a place (or every place) on a date, according to which sources (disagreements
    shown). The same answers as GET /api/control (and, with --claims, /api/control/claims)."""
    from sitreps.control_query import format_answers, format_claims

    with fatal_errors(db_path), Store(db_path, read_only=True) as store:
        reader = Reader(store)
        if every_claim:
            claims = reader.claims(place, at)
        else:
            answers = reader.control(place, at)
    if every_claim:
        click.echo(format_claims(claims) if claims else "No control claims.", nl=not claims)
        return
    if not answers:
        click.echo(f"No control claims for {place!r}." if place else "No control claims.")
        return
    click.echo(format_answers(answers), nl=False)


@click.command("timeline")
@click.option("--actor", help="Actor name (substring) or id.")
@click.option("--place", help="Place, admin1 or country name (substring) or place id.")
@click.option("--since", callback=_date, help="Earliest date, YYYY-MM-DD.")
@click.option("--until", callback=_date, help="Latest date, YYYY-MM-DD.")
@db_option
@config_option
def timeline_command(actor: str | None, place: str | None, since: date | None,
                     until: date | None, db_path: str, config_path: str | None) -> None:
    """Print dated key events, most important first per day, each with its sources.

    With --config, the types left out, merged and counted as territorial are those of the
    config's knowledge files too."""
    from sitreps.timeline import build_timeline, format_timeline

    where = factual_filter(actor=actor, place=place, since=since, until=until)
    with fatal_errors(db_path):
        knowledge = config_knowledge(config_path)
        with Store(db_path, read_only=True) as store:
            days = build_timeline(store, where, knowledge)
    click.echo(format_timeline(days), nl=False)


@click.command("report")
@click.option("--place", help="Place, admin1 or country name (substring) or place id.")
@click.option("--since", callback=_date, help="Earliest date, YYYY-MM-DD.")
@click.option("--until", callback=_date, help="Latest date, YYYY-MM-DD.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Write to FILE.md or FILE.html (default: Markdown on standard output).")
@db_option
@config_option
def report_command(place: str | None, since: date | None, until: date | None,
                   out_path: str | None, db_path: str, config_path: str | None) -> None:
    """Write a situation report: headlines, control, casualties, network, timeline, sources.

    With --config, the types left out, merged and counted as territorial are those of the
    config's knowledge files too."""
    from sitreps.report import build_report, render_markdown, write_report

    with fatal_errors(db_path):
        knowledge = config_knowledge(config_path)
        with Store(db_path, read_only=True) as store:
            report = build_report(store, place, since, until, knowledge)
    if out_path is None:
        click.echo(render_markdown(report), nl=False)
        return
    click.echo(f"Wrote {write_report(report, out_path)}", err=True)


@click.command("doctor")
@click.option("--rebuild", is_flag=True,
              help="Merge the events again into fresh merged-event tables (needs the "
                   "database to itself: stop `sitreps serve` first).")
@db_option
def doctor_command(rebuild: bool, db_path: str) -> None:
    """Check a database: that it opens, its schema version, every table read in full, and
    what is derived from the articles; exit 0 if sound, 1 if problems were found."""
    from sitreps.store.duckdb import check_database

    with fatal_errors(db_path):
        report = check_database(db_path, rebuild=rebuild)
    click.echo(format_doctor(report), nl=False)
    sys.exit(0 if report.ok else 1)


def format_doctor(report: DoctorReport) -> str:
    """The doctor's findings as lines a user reads top to bottom: file, tables, verdict."""
    version = "unknown" if report.schema_version is None else str(report.schema_version)
    lines = [f"{report.path}: schema version {version}"]
    width = max((len(t.name) for t in report.tables), default=0)
    for table in report.tables:
        state = f"{table.rows:>12,} rows" if table.rows is not None else f"{'':>12} DAMAGED"
        lines.append(f"  {table.name:<{width}} {state}")
    if report.rebuilt is not None:
        lines.append(f"Rebuilt merged events: {report.rebuilt.clusters_written:,} written "
                     f"({report.rebuilt.multi_source:,} from more than one article).")
    lines += [f"note: {note}" for note in report.notes]
    lines += [f"problem: {problem}" for problem in report.problems]
    lines.append(f"{len(report.problems)} problem(s) found." if report.problems
                 else "No problems found.")
    return "\n".join(lines) + "\n"


@click.command("backup")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="The backup file to write.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@db_option
def backup_command(out_path: str, force: bool, db_path: str) -> None:
    """Copy the database to --out through a read-only connection: safe while `sitreps serve`
    reads it. The copy is checked to hold the same rows before it takes the name --out."""
    from sitreps.store.duckdb import backup_database

    with fatal_errors(db_path):
        counts = backup_database(db_path, out_path, force=force)
    shown = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in counts.items()
                      if t in ("articles", "events", "merged_events", "actors", "places"))
    click.echo(f"Backed up {db_path} to {out_path}: {shown} (every table checked).")
