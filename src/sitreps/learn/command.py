"""``sitreps train``: thin click shells over :func:`train_typer` and :func:`train_plover`.

Exit codes: 0 trained; 2 bad usage or unusable training data (the message names the file and
what is wrong); 3 training cannot run here (scikit-learn missing, the folder not writable).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from sitreps.learn.typer import (
    DEFAULT_HELD_OUT,
    DEFAULT_MIN_COUNT,
    DEFAULT_MIN_PRECISION,
    DEFAULT_SEED,
    STEPS,
    TrainedTyper,
    TrainingDataError,
)

EXIT_USAGE = 2
EXIT_FATAL = 3
_ARTICLE = {"acled": "an ACLED", "plover": "a PLOVER"}


@contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A bar over the training steps on stderr; quiet when stderr is not a terminal."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
    )
    task = progress.add_task("training", total=len(STEPS))
    started: list[str] = []

    def step(name: str) -> None:
        if started:
            progress.advance(task)
        started.append(name)
        progress.update(task, description=name)

    with progress:
        yield step
        progress.update(task, completed=len(STEPS))


def _run(train: Callable[[Callable[[str], None]], TrainedTyper]) -> TrainedTyper:
    """Run a trainer with a progress bar, turning its errors into exit codes."""
    try:
        with _progress() as step:
            return train(step)
    except TrainingDataError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except (ImportError, OSError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_FATAL)


def _report(trained: TrainedTyper) -> None:
    """What was trained, how it scored on the held-out split, and how to turn it on."""
    card = trained.card
    scores = ", ".join(f"{k} {v:.3f}" for k, v in card["held_out_scores"].items())
    combination = card["combination"]
    threshold = combination["threshold"]
    click.echo(
        f"Trained {_ARTICLE[card['kind']]} typer on {card['split']['train']} texts of "
        f"{len(card['label_counts'])} types; held out {card['split']['test']} "
        f"({card['split']['held_out']})."
    )
    click.echo(f"Held-out split, the model alone: {scores or 'no held-out texts'}.")
    click.echo(
        f"Combined with the rules: overrides them at confidence >= {threshold:.2f}."
        if threshold is not None
        else "Combined with the rules: never overrides them (no threshold reached the precision)."
    )
    rare = ", ".join(combination["rule_only"]) or "none"
    click.echo(f"Left to the rules (too few examples): {rare}.")
    click.echo(f"Wrote {trained.folder} (model, card.json, MODEL_CARD.md, config.toml).")
    click.echo(f"Turn it on: sitreps run FILES --config {trained.folder / 'config.toml'}")


def _common(func: Callable[..., None]) -> Callable[..., None]:
    """The options every trainer takes."""
    options = (
        click.option("--out", "out", required=True, type=click.Path(file_okay=False),
                     help="The folder to write the model, its card and config.toml into."),
        click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int,
                     help="Seeds the held-out split and the fit."),
        click.option("--min-count", default=DEFAULT_MIN_COUNT, show_default=True,
                     type=click.IntRange(min=1),
                     help="Types with fewer training texts stay with the rules."),
        click.option("--min-precision", default=DEFAULT_MIN_PRECISION, show_default=True,
                     type=click.FloatRange(0.0, 1.0),
                     help="Held-out precision the override threshold must reach."),
    )
    for option in reversed(options):
        func = option(func)
    return func


@click.group("train")
def train_group() -> None:
    """Train a learned component on your own labelled data (needs the `train` extra)."""


@train_group.command("typer")
@click.option("--acled", "acled", multiple=True, required=True,
              type=click.Path(exists=True, dir_okay=False),
              help="An ACLED export (CSV with notes, event_type, sub_event_type); repeatable.")
@click.option("--held-out", default=DEFAULT_HELD_OUT, show_default=True,
              type=click.FloatRange(0.05, 0.5), help="Share of the notes held out to score on.")
@_common
def train_typer_command(
    acled: tuple[str, ...], held_out: float, out: str, seed: int, min_count: int,
    min_precision: float,
) -> None:
    """Train an ACLED sub-event typer on ACLED exports; turn it on with its config.toml."""
    from sitreps.learn.typer import train_typer

    _report(_run(lambda step: train_typer(
        acled, out, seed=seed, held_out=held_out, min_count=min_count,
        min_precision=min_precision, steps=step,
    )))


@train_group.command("plover")
@click.option("--plover", "plover", required=True, type=click.Path(exists=True, dir_okay=False),
              help="PLOVER-coded sentences (TSV with sentence, gold_root).")
@click.option("--test", "test", default=None, type=click.Path(exists=True, dir_okay=False),
              help="A held-out TSV of the same form (default: a seeded share of --plover).")
@click.option("--held-out", default=DEFAULT_HELD_OUT, show_default=True,
              type=click.FloatRange(0.05, 0.5), help="Share held out when there is no --test.")
@_common
def train_plover_command(
    plover: str, test: str | None, held_out: float, out: str, seed: int, min_count: int,
    min_precision: float,
) -> None:
    """Train a PLOVER root typer on coded sentences; turn it on with its config.toml."""
    from sitreps.learn.typer import train_plover

    _report(_run(lambda step: train_plover(
        plover, out, test_file=test, seed=seed, held_out=held_out, min_count=min_count,
        min_precision=min_precision, steps=step,
    )))
