"""``sitreps eval``: a thin click shell over :func:`evaluate_dataset` and :func:`evaluate_all`.

Exit codes: 0 scored; 2 bad usage or a malformed/missing gold file; 3 sitreps could not run
(model missing, bad config).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from sitreps.evaluate.datasets import DATASETS, EvalResult, evaluate_dataset
from sitreps.evaluate.readers import GoldFormatError
from sitreps.evaluate.report import (
    DEFAULT_BASELINE,
    DEFAULT_REPORT,
    GATE_LIMITS,
    available_datasets,
    baseline_entry,
    confusion_line,
    default_data_root,
    evaluate_all,
    git_commit,
    render_run,
    write_baseline,
    write_report,
)
from sitreps.evaluate.typers import TyperScore, compare_typers, render_typers
from sitreps.extract.learned_typer import TyperOptionError
from sitreps.learn.textclf import ModelFileError

EXIT_USAGE = 2
EXIT_FATAL = 3

Hooks = Callable[[str], tuple[Callable[[int], None], Callable[[int], None]]]


@contextmanager
def _progress(enabled: bool) -> Iterator[Hooks]:
    """Per-dataset progress bars on stderr (stdout stays clean for ``--json``)."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )

    def hooks(name: str) -> tuple[Callable[[int], None], Callable[[int], None]]:
        task = progress.add_task(name, total=None)
        return (
            lambda total: progress.update(task, total=total),
            lambda done: progress.advance(task, done),
        )

    with progress:
        yield hooks


def _table(results: list[EvalResult]) -> Table:
    """A readable rich table: one row per metric."""
    table = Table(title="sitreps evaluation")
    for column in ("dataset", "n", "metric", "value"):
        table.add_column(column, justify="right" if column in ("n", "value") else "left")
    for result in results:
        for index, (key, value) in enumerate(result.metrics.items()):
            shown = f"{value:,.1f}" if key.endswith("_km") else f"{value:.3f}"
            table.add_row(
                result.dataset if index == 0 else "",
                str(result.n) if index == 0 else "",
                key,
                shown,
            )
    return table


def _typer_table(scores: list[TyperScore]) -> Table:
    """Rules alone, learned alone and combined, side by side."""
    table = Table(title="learned typing")
    for column in ("dataset", "system", "n", "accuracy", "macro_f1", "weighted_f1"):
        table.add_column(column, justify="left" if column in ("dataset", "system") else "right")
    for score in scores:
        table.add_row(
            score.dataset, score.system, str(score.n),
            *(f"{score.metrics.get(k, float('nan')):.3f}"
              for k in ("accuracy", "macro_f1", "weighted_f1")),
        )
    return table


def _as_json(
    results: list[EvalResult], dataset: str, typer_scores: list[TyperScore] | None = None
) -> str:
    """One JSON object: the dataset's result, or for ``all`` the results under ``results``.

    With a typer, ``typers`` lists each set's score per system (rules, learned, combined).
    """

    def one(result: EvalResult) -> dict:
        return {"dataset": result.dataset, "n": result.n, "metrics": result.metrics}

    extra = {}
    if typer_scores:
        extra["typers"] = [
            {"dataset": s.dataset, "system": s.system, "n": s.n, "metrics": s.metrics}
            for s in typer_scores
        ]
    if dataset != "all":
        return json.dumps({**one(results[0]), **extra})
    return json.dumps(
        {
            "dataset": "all",
            "n": sum(r.n for r in results),
            "metrics": {},
            "results": [one(r) for r in results],
            **extra,
        }
    )


def _fail(message: str, code: int) -> None:
    """Print a one-line error on stderr and exit."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@click.command("eval")
@click.argument("dataset", type=click.Choice([*DATASETS, "all"]))
@click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False),
    default=None,
    help="The gold file (default: the set's file under --data-root).",
)
@click.option(
    "--data-root",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder holding the gold sets (default: $SITREPS_SHARED/eval or ../shared/eval).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Score only the first N items of each set.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    default=DEFAULT_REPORT,
    show_default=True,
    help="With 'all': the markdown file that gets a new dated table.",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="With 'all': re-measure at the CI limits and rewrite the floors file.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    default=DEFAULT_BASELINE,
    show_default=True,
    help="The CI floors file.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A TOML file overriding the packaged default_config.toml.",
)
@click.option(
    "--typer",
    "typer_path",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="A model folder from `sitreps train typer`: score case2021 with rules, learned, combined.",
)
@click.option(
    "--plover-typer",
    "plover_typer_path",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="A model folder from `sitreps train plover`: the same for plover.",
)
def eval_command(
    dataset: str,
    data: str | None,
    data_root: str | None,
    as_json: bool,
    limit: int | None,
    report_path: str,
    update_baseline: bool,
    baseline_path: str,
    config_path: str | None,
    typer_path: str | None,
    plover_typer_path: str | None,
) -> None:
    """Score sitreps on a public gold set (or 'all' sets found under --data-root).

    With --typer / --plover-typer, case2021 and plover are also scored with the trained typer
    (learned alone and combined with the rules) beside the rules alone.
    """
    from sitreps.config import ConfigError, load_config
    from sitreps.evaluate.datasets import load_nlp
    from sitreps.nlp import ModelNotInstalled

    root = Path(data_root) if data_root else default_data_root()
    if dataset != "all" and data is None:
        if root is None:
            _fail("give the gold file with --data PATH (or --data-root)", EXIT_USAGE)
        data = str(root / DATASETS[dataset].relative_path)
    if dataset == "all" and (root is None or not available_datasets(root)):
        _fail(f"no gold sets found under {root or '--data-root'}", EXIT_USAGE)
    models = {
        name: path
        for name, path in (("case2021", typer_path), ("plover", plover_typer_path))
        if path is not None and dataset in (name, "all")
    }
    if (typer_path or plover_typer_path) and not models:
        _fail("--typer scores case2021 (or all), --plover-typer plover (or all)", EXIT_USAGE)
    typer_scores: list[TyperScore] = []
    try:
        config = load_config(config_path)
        with _progress(sys.stderr.isatty()) as hooks:
            if dataset == "all":
                nlp = load_nlp(config)
                results = evaluate_all(root, limit=limit, nlp=nlp, config=config, hooks=hooks)
                if update_baseline:
                    gated = evaluate_all(
                        root, limits=GATE_LIMITS, nlp=nlp, config=config, hooks=hooks
                    )
            else:
                on_start, advance = hooks(dataset)
                results = [
                    evaluate_dataset(
                        dataset,
                        data,
                        limit=limit,
                        config=config,
                        progress=advance,
                        on_start=on_start,
                    )
                ]
            if models:
                golds = (
                    {name: root / DATASETS[name].relative_path for name in models}
                    if dataset == "all" else {dataset: Path(data)}
                )
                typer_scores = compare_typers(
                    golds, models, config=config, limit=limit, hooks=hooks
                )
    except GoldFormatError as error:
        _fail(f"malformed gold data: {error}", EXIT_USAGE)
    except (ConfigError, ModelNotInstalled, ModelFileError, TyperOptionError) as error:
        _fail(str(error), EXIT_FATAL)
    if dataset == "all":
        when = datetime.now(UTC)
        section = render_run(
            results, limit=limit, when=when, commit=git_commit(), model=config.model
        )
        if typer_scores:
            section += "\n" + render_typers(typer_scores, models)
        written = write_report(section, report_path)
        click.echo(f"Wrote {written}", err=True)
        if update_baseline:
            found = available_datasets(root)
            entries = {r.dataset: baseline_entry(r, found[r.dataset], root) for r in gated}
            click.echo(f"Wrote {write_baseline(entries, baseline_path)}", err=True)
    if as_json:
        click.echo(_as_json(results, dataset, typer_scores))
    else:
        console = Console(soft_wrap=False)
        console.print(_table(results))
        if typer_scores:
            console.print(_typer_table(typer_scores))
        for result in results:
            if result.details.get("confusions"):
                console.print(confusion_line(result), highlight=False)
            if result.details.get("skipped_gold_items"):
                reasons = "; ".join(result.details.get("skipped_gold_reasons", []))
                console.print(
                    Text(
                        f"{result.dataset}: {result.details['skipped_gold_items']} malformed "
                        f"gold item(s) left out of the score: {reasons}"
                    )
                )
