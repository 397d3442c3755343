"""``sitreps train``: fit an event typer on a user's labelled data, score it, write it with a card.

Two trainers share one path: :func:`train_typer` reads ACLED exports (``notes`` labelled with
``sub_event_type``) and :func:`train_plover` reads PLOVER-coded sentences (``sentence`` with
``gold_root``). Each holds out part of the data (a seeded random split, or a given test file),
fits :func:`~sitreps.learn.textclf.fit_classifier` on the rest, scores it on the held-out part,
picks there the confidence above which the combined typer may override the rules, and writes
into the output folder the model, a model card (``card.json`` and ``MODEL_CARD.md``: data files
with their SHA-256, date, sitreps version, held-out scores, label counts) and a ``config.toml``
that turns the model on (``sitreps run ... --config FOLDER/config.toml``).

Nothing here reads ``eval/``: thresholds come from the held-out part of the training data only.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from sitreps.extract.learned_typer import (
    EVENT_TYPE_OF,
    PLOVER_TO_SITREPS,
    STAGE,
    _acled_kind,
    _plover_family,
)
from sitreps.learn.textclf import TextClassifier, fit_classifier, normalise

ACLED_COLUMNS = ("notes", "event_type", "sub_event_type")
PLOVER_COLUMNS = ("sentence", "gold_root")
CARD_JSON = "card.json"
CARD_MD = "MODEL_CARD.md"
CONFIG_FILE = "config.toml"
STEPS = ("read data", "fit model", "score held-out split", "write model and card")

# Defaults chosen before any score was seen, never on eval/:
# a type needs this many training examples before the model may judge it (rarer ones stay with
# the rules);
DEFAULT_MIN_COUNT = 15
# the combined typer overrides the rules only above the confidence at which this share of the
# model's held-out answers were right (the held-out part is the user's own genre; news differs);
DEFAULT_MIN_PRECISION = 0.95
DEFAULT_HELD_OUT = 0.2
DEFAULT_SEED = 0

Steps = Callable[[str], None]


class TrainingDataError(ValueError):
    """Training data is missing, empty or lacks the columns a trainer needs (the message says)."""


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text, with the file it came from."""

    text: str
    label: str
    origin: str


@dataclass(frozen=True, slots=True)
class DataFile:
    """What a trainer read from one file: the examples kept and why others were left out."""

    path: str
    sha256: str
    rows: int
    examples: tuple[Example, ...]
    skipped: dict[str, int]


@dataclass(frozen=True, slots=True)
class TrainedTyper:
    """A trained model's folder and its card (the facts ``card.json`` holds)."""

    folder: Path
    card: dict[str, Any]


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, so a card names exactly the data it was trained on."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_rows(path: str | Path, columns: Sequence[str], delimiter: str, what: str) -> list[dict]:
    """The rows of a CSV/TSV file, failing clearly when it is missing, empty or lacks columns."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            header = reader.fieldnames
            if not header:
                raise TrainingDataError(
                    f"{path} is empty: {what} has a header row with {', '.join(columns)}."
                )
            missing = [c for c in columns if c not in header]
            if missing:
                raise TrainingDataError(
                    f"{path} lacks the column(s) {', '.join(missing)}: {what} has "
                    f"{', '.join(columns)}; found {', '.join(h for h in header if h)}."
                )
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise TrainingDataError(f"cannot read {path}: {error}") from error


def read_acled_export(path: str | Path) -> DataFile:
    """The notes of an ACLED export labelled with their sub-event types.

    Rows without notes, and rows whose sub-event type sitreps does not code, are counted in
    ``skipped``, never silently dropped.
    """
    rows = _read_rows(path, ACLED_COLUMNS, ",", "an ACLED export")
    examples, skipped = [], Counter()
    for number, row in enumerate(rows, start=2):
        text, label = (row.get("notes") or "").strip(), (row.get("sub_event_type") or "").strip()
        if not text:
            skipped["no notes"] += 1
        elif label not in EVENT_TYPE_OF:
            skipped[f"sub-event type {label!r} not in sitreps's ACLED vocabulary"] += 1
        else:
            examples.append(Example(text, label, f"{path}:{number}"))
    return DataFile(str(path), file_sha256(path), len(rows), tuple(examples), dict(skipped))


def read_plover_tsv(path: str | Path) -> DataFile:
    """PLOVER-coded sentences (``sentence``, ``gold_root``), codes in sitreps's vocabulary.

    Newer PLOVER codes are mapped to the ones sitreps writes (REQUEST to DEMAND, ACCUSE to
    DISAPPROVE, YIELD to CONCEDE; see ``extract/learned_typer.py``).
    """
    rows = _read_rows(path, PLOVER_COLUMNS, "\t", "a PLOVER file")
    examples, skipped = [], Counter()
    for number, row in enumerate(rows, start=2):
        text, code = (row.get("sentence") or "").strip(), (row.get("gold_root") or "").strip()
        if not text or not code:
            skipped["no sentence or no gold_root"] += 1
            continue
        code = code.upper()
        examples.append(Example(text, PLOVER_TO_SITREPS.get(code, code), f"{path}:{number}"))
    return DataFile(str(path), file_sha256(path), len(rows), tuple(examples), dict(skipped))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence of a text: the one an ACLED note states its event in.

    >>> first_sentence("On 3 May, police fired on protesters. Two were hurt.")
    'On 3 May, police fired on protesters.'
    """
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def deduplicate(examples: Sequence[Example]) -> tuple[list[Example], int]:
    """The first example of each normalised text, so no text sits on both sides of the split."""
    seen: set[str] = set()
    kept = []
    for example in examples:
        key = normalise(example.text)
        if key not in seen:
            seen.add(key)
            kept.append(example)
    return kept, len(examples) - len(kept)


def split_held_out(
    examples: Sequence[Example], fraction: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """A seeded random split: (train, held-out), the held-out part ``fraction`` of the whole."""
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    cut = max(1, round(len(shuffled) * fraction))
    return shuffled[cut:], shuffled[:cut]


def choose_threshold(
    model: TextClassifier,
    held_out: Sequence[Example],
    *,
    kind_of: Callable[[str], str | None],
    family: Callable[[str], str],
    min_precision: float,
) -> dict[str, Any]:
    """The lowest confidence at which the model's held-out answers are right often enough.

    Each held-out text is judged as the combined typer judges an event: among the types of its
    kind that the model knows (``kind_of`` of the gold label stands for the rules' kind), the
    model's best type and that type's share of their probability.
    """
    rule_only = {family(label) for label in model.meta.get("rule_only", ())}
    known = {family(label) for label in model.labels} - rule_only
    judged = [e for e in held_out if family(e.label) in known and kind_of(e.label) is not None]
    if not judged:
        return {"threshold": None, "precision": None, "coverage": 0.0, "judged": 0}
    rows = model.predict_proba([e.text for e in judged])
    confidence, right = [], []
    for example, row in zip(judged, rows, strict=True):
        kind = kind_of(example.label)
        same = [
            i for i, label in enumerate(model.labels)
            if family(label) in known and kind_of(label) == kind
        ]
        total = float(sum(row[i] for i in same)) or 1.0
        best = max(same, key=lambda i: row[i])
        confidence.append(row[best] / total)
        right.append(family(model.labels[best]) == family(example.label))
    confidence_arr, right_arr = np.array(confidence), np.array(right)
    for threshold in np.round(np.arange(0.30, 1.0, 0.01), 2):
        chosen = confidence_arr >= threshold
        if chosen.any() and right_arr[chosen].mean() >= min_precision:
            return {
                "threshold": float(threshold),
                "precision": round(float(right_arr[chosen].mean()), 4),
                "coverage": round(float(chosen.mean()), 4),
                "judged": len(judged),
            }
    return {"threshold": None, "precision": None, "coverage": 0.0, "judged": len(judged)}


def _scores(model: TextClassifier, examples: Sequence[Example]) -> dict[str, float]:
    """Accuracy, macro-F1 and weighted F1 of the model alone on labelled examples."""
    from sitreps.evaluate import metrics as m

    if not examples:
        return {}
    rows = model.predict_proba([e.text for e in examples])
    predicted = [model.labels[int(i)] for i in rows.argmax(axis=1)]
    gold = [e.label for e in examples]
    return {
        "accuracy": round(m.accuracy(gold, predicted), 4),
        "macro_f1": round(m.macro_f1(gold, predicted), 4),
        "weighted_f1": round(m.weighted_f1(gold, predicted), 4),
    }


def train_typer(
    acled_files: Sequence[str | Path],
    out: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    held_out: float = DEFAULT_HELD_OUT,
    min_count: int = DEFAULT_MIN_COUNT,
    min_precision: float = DEFAULT_MIN_PRECISION,
    steps: Steps | None = None,
) -> TrainedTyper:
    """Train an ACLED sub-event typer on ACLED exports and write it to ``out``.

    Args:
        acled_files: ACLED export CSVs (columns ``notes``, ``event_type``, ``sub_event_type``).
        out: the model folder to write (created; files in it are replaced).
        seed: seeds the held-out split and the fit, so a second run writes the same model.
        held_out: the share of the notes kept apart to score the model and set its threshold.
        min_count: types with fewer training notes stay with the rules.
        min_precision: the held-out precision the override threshold must reach.
        steps: called with each step's name as it starts (a progress bar).
    Returns:
        the folder and its card.
    """
    notify = steps or (lambda _step: None)
    notify(STEPS[0])
    # Sorted, so the same files given in another order give the same split and model.
    files = [read_acled_export(path) for path in sorted(map(str, acled_files))]
    examples, duplicates = deduplicate([e for f in files for e in f.examples])
    train, test = split_held_out(examples, held_out, seed) if examples else ([], [])
    return _train(
        "acled", files, train, test, out,
        split=f"random {held_out:.0%} of the notes (seed {seed}), after {duplicates} duplicate "
        "notes were dropped",
        seed=seed, min_count=min_count, min_precision=min_precision,
        kind_of=_acled_kind, family=str, notify=notify, judge_text=first_sentence,
    )


def train_plover(
    train_file: str | Path,
    out: str | Path,
    *,
    test_file: str | Path | None = None,
    seed: int = DEFAULT_SEED,
    held_out: float = DEFAULT_HELD_OUT,
    min_count: int = DEFAULT_MIN_COUNT,
    min_precision: float = DEFAULT_MIN_PRECISION,
    steps: Steps | None = None,
) -> TrainedTyper:
    """Train a PLOVER root typer on coded sentences and write it to ``out``.

    ``test_file`` is the held-out split when given (the PLOVER data ships one); otherwise a
    seeded ``held_out`` share of ``train_file``. Other arguments as :func:`train_typer`.
    """
    notify = steps or (lambda _step: None)
    notify(STEPS[0])
    files = [read_plover_tsv(train_file)]
    if test_file is not None:
        files.append(read_plover_tsv(test_file))
        train, _ = deduplicate(files[0].examples)
        seen = {normalise(e.text) for e in train}
        test = [e for e in deduplicate(files[1].examples)[0] if normalise(e.text) not in seen]
        split = f"the sentences of {test_file} (not also in the training file)"
    else:
        examples, _ = deduplicate(files[0].examples)
        train, test = split_held_out(examples, held_out, seed) if examples else ([], [])
        split = f"random {held_out:.0%} of the sentences (seed {seed})"
    return _train(
        "plover", files, train, test, out,
        split=split, seed=seed, min_count=min_count, min_precision=min_precision,
        kind_of=lambda _label: "plover", family=_plover_family, notify=notify,
        judge_text=str,
    )


def _train(
    kind: str,
    files: Sequence[DataFile],
    train: Sequence[Example],
    test: Sequence[Example],
    out: str | Path,
    *,
    split: str,
    seed: int,
    min_count: int,
    min_precision: float,
    kind_of: Callable[[str], str | None],
    family: Callable[[str], str],
    notify: Steps,
    judge_text: Callable[[str], str],
) -> TrainedTyper:
    """Fit, score on the held-out part, choose the threshold, write model, card and config.

    The threshold is chosen on the held-out texts as ``judge_text`` cuts them: the typer stage
    reads one sentence per event, so a note is judged by its first sentence, not as a whole
    (whole notes say more and make the model look surer than it will be on news).
    """
    train_counts = Counter(e.label for e in train)
    if len(train_counts) < 2:
        names = ", ".join(f.path for f in files)
        raise TrainingDataError(
            f"{names}: training needs labelled texts of at least two types; found "
            f"{len(train)} text(s) of {len(train_counts)} type(s)."
        )
    notify(STEPS[1])
    rule_only = sorted(label for label, n in train_counts.items() if n < min_count)
    texts, labels = [e.text for e in train], [e.label for e in train]
    model = fit_classifier(texts, labels, seed=seed, meta={"kind": kind, "rule_only": rule_only})
    notify(STEPS[2])
    judged = [replace(e, text=judge_text(e.text)) for e in test]
    combination = choose_threshold(
        model, judged, kind_of=kind_of, family=family, min_precision=min_precision
    )
    model = replace(
        model, meta={**model.meta, "threshold": combination["threshold"],
                     "min_precision": min_precision}
    )
    card = _card(kind, files, train, test, model, split, seed, min_count, combination)
    if judge_text is not str:
        card["held_out_scores_first_sentence"] = _scores(model, judged)
    notify(STEPS[3])
    folder = model.save(out)
    (folder / CARD_JSON).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (folder / CARD_MD).write_text(render_card(card), "utf-8")
    (folder / CONFIG_FILE).write_text(render_config(folder, kind), "utf-8")
    return TrainedTyper(folder, card)


def _card(
    kind: str,
    files: Sequence[DataFile],
    train: Sequence[Example],
    test: Sequence[Example],
    model: TextClassifier,
    split: str,
    seed: int,
    min_count: int,
    combination: dict[str, Any],
) -> dict[str, Any]:
    """The facts of a trained model, for ``card.json`` and ``MODEL_CARD.md``."""
    from sitreps import __version__

    train_counts, test_counts = Counter(e.label for e in train), Counter(e.label for e in test)
    return {
        "kind": kind,
        "labels_are": "ACLED sub-event types" if kind == "acled" else "PLOVER root types",
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sitreps_version": __version__,
        "data": [
            {"path": f.path, "sha256": f.sha256, "rows": f.rows, "used": len(f.examples),
             "skipped": f.skipped}
            for f in files
        ],
        "split": {"held_out": split, "train": len(train), "test": len(test), "seed": seed},
        "label_counts": {
            label: {"train": train_counts[label], "held_out": test_counts[label]}
            for label in sorted(set(train_counts) | set(test_counts))
        },
        "held_out_scores": _scores(model, test),
        "combination": {
            "rule_only": list(model.meta["rule_only"]),
            "min_count": min_count,
            "min_precision": model.meta["min_precision"],
            **combination,
        },
        "model": {
            "features": "TF-IDF of words and word pairs (1 + log tf), digits folded, ACLED date "
            "leads and tags removed",
            "classifier": "logistic regression, classes weighted by inverse frequency, C = 4",
            "vocabulary": len(model.vocabulary),
            "labels": list(model.labels),
        },
    }


def render_card(card: dict[str, Any]) -> str:
    """``MODEL_CARD.md``: the card for a reader."""
    scores = card["held_out_scores"]
    combination = card["combination"]
    threshold = combination["threshold"]
    lines = [
        f"# sitreps {card['kind']} typer",
        "",
        f"Trained {card['created']} with sitreps {card['sitreps_version']}: "
        f"{card['labels_are']}, {card['model']['classifier']}; "
        f"{card['model']['features']} ({card['model']['vocabulary']:,} terms).",
        "",
        "## Data",
        "",
        "| file | SHA-256 | rows | used | left out |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for item in card["data"]:
        left = "; ".join(f"{reason}: {n}" for reason, n in item["skipped"].items()) or "none"
        lines.append(
            f"| {item['path']} | `{item['sha256']}` | {item['rows']} | {item['used']} | {left} |"
        )
    split = card["split"]
    lines += [
        "",
        f"Held out: {split['held_out']}; {split['train']} texts to train on, {split['test']} "
        "held out.",
        "",
        "## Scores on the held-out split (the model alone)",
        "",
        _score_line(scores) or "no held-out texts",
        "",
        *(
            [f"On the first sentence of each held-out text (how the typer reads news, one "
             f"sentence per event): {_score_line(card['held_out_scores_first_sentence'])}.", ""]
            if card.get("held_out_scores_first_sentence")
            else []
        ),
        "## Combination with the rules",
        "",
        f"Types with fewer than {combination['min_count']} training texts stay with the rules: "
        f"{', '.join(combination['rule_only']) or 'none'}. The model overrides the rules "
        + (
            f"only at a confidence of {threshold:.2f} or more: there, "
            f"{combination['precision']:.1%} of its answers on the held-out split were right "
            "(each text cut to its first sentence, as the typer reads one sentence per event, "
            "and judged among the types of its kind), and "
            f"{combination['coverage']:.1%} of those texts reach it."
            if threshold is not None
            else f"never: no confidence gave {combination['min_precision']:.0%} held-out "
            "precision."
        ),
        "",
        "## Label counts",
        "",
        "| label | train | held out |",
        "| --- | ---: | ---: |",
    ]
    for label, counts in card["label_counts"].items():
        lines.append(f"| {label} | {counts['train']} | {counts['held_out']} |")
    return "\n".join(lines) + "\n"


def _score_line(scores: dict[str, float]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {value:.3f}" for key, value in scores.items())


def render_config(folder: Path, kind: str) -> str:
    """A config file that turns the model on: the default stages with the typer after events."""
    from sitreps.config import load_config

    stages = list(load_config().stages)
    if STAGE not in stages:
        at = stages.index("sitreps.events.v1") + 1 if "sitreps.events.v1" in stages else len(stages)
        stages.insert(at, STAGE)
    listed = "".join(f'  "{name}",\n' for name in stages)
    option = "acled_model" if kind == "acled" else "plover_model"
    path = json.dumps(str(folder.resolve()))
    return (
        f"# Written by `sitreps train`: pass it to `sitreps run`, `extract` or `eval` with "
        f"--config to type events with the model in this folder.\n"
        f"[pipeline]\nstages = [\n{listed}]\n\n"
        f'[stages."{STAGE}"]\n{option} = {path}\n'
        '# "combined": the model overrides the rules where it is sure; "learned": always.\n'
        'mode = "combined"\n'
    )
