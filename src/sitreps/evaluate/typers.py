"""Learned typing, measured: rules alone, learned alone and combined on case2021 and PLOVER.

A user's typer (``sitreps train typer`` / ``sitreps train plover``) is scored four ways on the
same gold set with the same scorer as ``sitreps eval``:

- ``rules``: the packaged pipeline, no typer stage;
- ``learned``: the typer stage in ``learned`` mode, so every event the rules find takes the
  model's type (the rules still decide whether there is an event);
- ``combined``: the typer stage in ``combined`` mode (what the model's ``config.toml`` turns on);
- ``text only``: the model on each gold text as a whole, no rules at all (never "no event").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitreps.config import Config, load_config
from sitreps.evaluate import mappings as maps
from sitreps.evaluate.datasets import (
    DATASETS,
    EvalResult,
    _classification,
    evaluate_dataset,
    load_nlp,
)
from sitreps.extract.learned_typer import STAGE, load_typer

# Which model option of the typer stage each gold set measures.
TYPER_SETS: dict[str, str] = {"case2021": "acled_model", "plover": "plover_model"}
SYSTEMS = ("rules", "learned", "combined", "text only")


@dataclass(frozen=True, slots=True)
class TyperScore:
    """One gold set scored by one system (see the module docstring)."""

    dataset: str
    system: str
    n: int
    metrics: dict[str, float]


def typer_config(config: Config, option: str, model: str | Path, mode: str) -> Config:
    """``config`` with the typer stage after the events stage, set to one model and mode."""
    stages = [s for s in config.stages if s != STAGE]
    at = stages.index("sitreps.events.v1") + 1 if "sitreps.events.v1" in stages else len(stages)
    stages.insert(at, STAGE)
    options = {**config.stage_options}
    options[STAGE] = {option: str(Path(model).resolve()), "mode": mode}
    return config.copy(stages=tuple(stages), stage_options=options)


def _rules_config(config: Config) -> Config:
    return config.copy(stages=tuple(s for s in config.stages if s != STAGE))


def _gold_label(dataset: str, item: Any) -> str:
    return maps.case2021_label(item.label) if dataset == "case2021" else item.event


def score_text_only(
    dataset: str, path: str | Path, model: str | Path, limit: int | None
) -> EvalResult:
    """The model alone on each gold text, scored as ``sitreps eval`` scores sitreps."""
    spec = DATASETS[dataset]
    items = list(spec.reader(Path(path), []))[:limit]
    kind = "acled" if dataset == "case2021" else "plover"
    classifier = load_typer(model, kind)
    texts = [getattr(spec.to_article(item), "text", "") for item in items]
    rows = classifier.predict_proba(texts)
    predicted = [classifier.labels[int(i)] for i in rows.argmax(axis=1)] if len(items) else []
    gold = [_gold_label(dataset, item) for item in items]
    metrics, details = _classification(gold, predicted, exclude=[maps.NO_EVENT])
    return EvalResult(dataset, len(items), {k: float(v) for k, v in metrics.items()}, details)


def compare_typers(
    golds: dict[str, str | Path],
    models: dict[str, str | Path],
    *,
    config: Config | None = None,
    nlp: Any = None,
    limit: int | None = None,
    hooks: Callable[[str], tuple[Callable[[int], None], Callable[[int], None]]] | None = None,
) -> list[TyperScore]:
    """Score each gold file in ``golds`` that has a model in ``models`` (keys ``case2021``,
    ``plover``) with the rules, the model alone and both combined.

    >>> compare_typers({"case2021": "snippets.tsv"}, {})
    []
    """
    config = config or load_config()
    for dataset, model in models.items():
        # A broken model folder fails here, once, not as a failed analysis of every item.
        load_typer(model, "acled" if dataset == "case2021" else "plover")
    scores: list[TyperScore] = []
    for dataset, model in models.items():
        option = TYPER_SETS[dataset]
        gold = golds.get(dataset)
        if gold is None or not Path(gold).is_file():
            continue
        nlp = nlp if nlp is not None else load_nlp(config)
        runs = {
            "rules": _rules_config(config),
            "learned": typer_config(config, option, model, "learned"),
            "combined": typer_config(config, option, model, "combined"),
        }
        for system, run_config in runs.items():
            on_start, progress = hooks(f"{dataset} {system}") if hooks else (None, None)
            result = evaluate_dataset(
                dataset, gold, limit=limit, nlp=nlp, config=run_config,
                progress=progress, on_start=on_start,
            )
            scores.append(TyperScore(dataset, system, result.n, result.metrics))
        text_only = score_text_only(dataset, gold, model, limit)
        scores.append(TyperScore(dataset, "text only", text_only.n, text_only.metrics))
    return scores


def render_typers(scores: Sequence[TyperScore], models: dict[str, str | Path]) -> str:
    """A markdown table of the scores, with each model's held-out split and threshold."""
    import json

    if not scores:
        return ""
    lines = [
        "Learned typing (issue 18): a typer trained with `sitreps train` on the files in "
        "`../shared/train` (never on `eval/`), scored on the same gold; `learned` gives every "
        "event the rules find the model's type, `combined` is what the model's config.toml "
        "turns on, `text only` is the model on each gold text with no rules.",
        "",
        "| set | n | system | accuracy | macro-F1 | weighted F1 |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for score in scores:
        cells = " | ".join(
            f"{score.metrics[key]:.3f}" if key in score.metrics else "–"
            for key in ("accuracy", "macro_f1", "weighted_f1")
        )
        lines.append(f"| {score.dataset} | {score.n} | {score.system} | {cells} |")
    notes = []
    for dataset, model in models.items():
        card_path = Path(model) / "card.json"
        if not card_path.is_file():
            continue
        card = json.loads(card_path.read_text("utf-8"))
        held = ", ".join(f"{k} {v:.3f}" for k, v in card.get("held_out_scores", {}).items())
        threshold = card.get("combination", {}).get("threshold")
        names = [Path(d["path"]).name for d in card.get("data", [])]
        # A PLOVER typer given --test lists that file second: it is held out, not trained on.
        data = (
            f"trained on {names[0]}, held out {names[1]}"
            if card.get("kind") == "plover" and len(names) == 2
            else f"trained on {', '.join(names)} less a seeded held-out share"
        )
        notes.append(
            f"- {dataset}: {data}; held-out split ({card['split']['test']} texts) "
            f"{held}; overrides the rules at confidence "
            + (f"≥ {threshold:.2f}" if threshold is not None else "never")
            + "."
        )
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"
