"""Learned event typing on top of the rules: ``sitreps.typer.v1`` re-types the events found.

The rules find an event and give it a type from its trigger word; a model a user trained with
``sitreps train typer`` (their ACLED export) or ``sitreps train plover`` reads the event's whole
sentence. In the ``combined`` mode (the default when the stage runs) the model changes a type
only where:

- the rules' type is one the model learned from enough examples (``rule_only`` in the model's
  settings lists the rest: a suicide bombing or a chemical attack that the user's data lacks stays
  with the rules, and the model never answers with such a type);
- the event is a demonstration or armed violence, and the answer is another type of the same
  kind (:data:`ACLED_KINDS`): the trigger tells a demonstration from a strike well, while whether
  the crowd turned violent or the other side was armed is in the rest of the sentence, where the
  model reads; a weapon's or a strategic act's sub-type is the trigger word, so it stays;
- the model is confident: its probability, over the types of that kind, reaches the threshold
  chosen at training on the held-out split (the lowest at which its answers there were right at
  least the ``min_precision`` share of the time).

The ``learned`` mode takes the model's answer for every event (to measure the model alone). The
stage runs only when a config names a model; ``sitreps train`` writes such a config beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from sitreps.knowledge.event_lexicon import (
    ACLED_SUB_EVENT_TYPES,
    BATTLES,
    NON_ACLED,
    NOUN_TRIGGERS,
    PROTESTS,
    RIOTS,
    VAC,
    VERB_TRIGGERS,
)
from sitreps.learn.textclf import TextClassifier, load_classifier
from sitreps.records import Analysis, Event

STAGE = "sitreps.typer.v1"
MODES = ("combined", "learned")

DEFAULT_TYPER_OPTIONS: Mapping[str, Any] = {
    # Folder of a model from `sitreps train typer` (ACLED sub-event types); "" for none.
    "acled_model": "",
    # Folder of a model from `sitreps train plover` (PLOVER root types); "" for none.
    "plover_model": "",
    # "combined": the model overrides the rules where it is sure (see the module docstring);
    # "learned": the model types every event the rules found.
    "mode": "combined",
}

# The kinds of event whose ACLED sub-type the model may change, and within which (from ACLED's
# codebook): a demonstration stays a demonstration (peaceful, met with force, violent, mob) and
# armed violence stays armed violence (a clash between armed sides or an attack on civilians).
# These sub-types hang on what the rest of the sentence says (did the crowd turn violent, was
# the other side armed), which the model reads. The sub-types of remote violence and strategic
# developments are named by the trigger itself ("artillery", "seized weapons"), so the rules
# keep them: on the case2021 development half the model's changes there were all wrong, its
# changes between clash and attack all right (8 events; disclosed in EVALUATION.md).
ACLED_KINDS: dict[str, str] = {
    PROTESTS: "demonstration",
    RIOTS: "demonstration",
    BATTLES: "armed violence",
    VAC: "armed violence",
}
EVENT_TYPE_OF: dict[str, str] = {
    sub: event_type for event_type, subs in ACLED_SUB_EVENT_TYPES.items() for sub in subs
}

# PLOVER's newer root codes (the Zero-Shot-PLOVER data and PLOVER since 2021) for the codes
# sitreps writes (those of the PLOVER gold standard): REQUEST was DEMAND, ACCUSE was DISAPPROVE
# (and INVESTIGATE), YIELD was CONCEDE and RETREAT, ASSAULT also covers FIGHT. A trainer maps
# the new codes to sitreps's; the combiner treats codes of one old/new family as agreeing.
PLOVER_TO_SITREPS: dict[str, str] = {
    "REQUEST": "DEMAND",
    "ACCUSE": "DISAPPROVE",
    "YIELD": "CONCEDE",
}
PLOVER_FAMILY: dict[str, str] = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "CONCEDE": "YIELD",
    "RETREAT": "YIELD",
    "FIGHT": "ASSAULT",
}


def _plover_of_subtypes() -> dict[str, str]:
    """The PLOVER type the rules give each ACLED sub-type (its first trigger sense)."""
    found: dict[str, str] = {}
    for sense in (*VERB_TRIGGERS.values(), *NOUN_TRIGGERS.values()):
        found.setdefault(sense.sub_event_type, sense.plover_type)
    return found


PLOVER_OF_SUBTYPE = _plover_of_subtypes()


class TyperOptionError(ValueError):
    """The typer stage's options are wrong: an unknown mode or a model of the wrong kind."""


def retype_events(analysis: Analysis, config: Mapping[str, Any]) -> Analysis:
    """Re-type the events of an article with the configured models (see the module docstring).

    Args:
        analysis: an article whose events the rules have typed.
        config: ``acled_model``, ``plover_model`` (model folders, "" for none) and ``mode``.
    Returns:
        a copy of ``analysis`` whose changed events carry this stage's name.

    >>> retype_events(Analysis(article=None), {"acled_model": ""}).events
    ()
    """
    mode = str(config.get("mode", "combined"))
    if mode not in MODES:
        raise TyperOptionError(f"[stages.\"{STAGE}\"] mode must be one of {MODES}, not {mode!r}.")
    events = list(analysis.events)
    if not events:
        return analysis
    acled_path = str(config.get("acled_model") or "")
    plover_path = str(config.get("plover_model") or "")
    if acled_path:
        events = retype_acled(events, load_typer(acled_path, "acled"), mode)
    if plover_path:
        events = retype_plover(events, load_typer(plover_path, "plover"), mode)
    return replace(analysis, events=tuple(events))


def load_typer(path: str | Path, kind: str) -> TextClassifier:
    """The model in ``path``, loaded once per process; fails when it types the other labels."""
    folder = Path(path).expanduser().resolve()
    model = _load_cached(str(folder), _mtime(folder))
    found = model.meta.get("kind")
    if found != kind:
        raise TyperOptionError(
            f"{folder} holds a typer of kind {found!r}, not {kind!r}: check the "
            f"{kind}_model option of [stages.\"{STAGE}\"] (or --typer / --plover-typer)."
        )
    return model


def _mtime(folder: Path) -> int:
    try:
        return (folder / "weights.npz").stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=8)
def _load_cached(folder: str, mtime: int) -> TextClassifier:
    return load_classifier(folder)


def _sentence(event: Event) -> str:
    return event.sources[0].sentence if event.sources else event.trigger


def retype_acled(events: list[Event], model: TextClassifier, mode: str) -> list[Event]:
    """ACLED sub-types: the model's answer where the combination allows it (module docstring)."""
    wanted = [i for i, e in enumerate(events) if e.event_type != NON_ACLED]
    if not wanted:
        return events
    probabilities = model.predict_proba([_sentence(events[i]) for i in wanted])
    out = list(events)
    for index, row in zip(wanted, probabilities, strict=True):
        label = choose_label(
            events[index].sub_event_type, row, model, mode, kind_of=_acled_kind
        )
        if label is not None and label != events[index].sub_event_type:
            out[index] = _with_sub_type(events[index], label)
    return out


def retype_plover(events: list[Event], model: TextClassifier, mode: str) -> list[Event]:
    """PLOVER root types; a code of the same old/new family as the rules' keeps the rules'."""
    probabilities = model.predict_proba([_sentence(e) for e in events])
    out = list(events)
    for index, row in enumerate(probabilities):
        current = events[index].plover_type
        label = choose_label(
            current, row, model, mode, kind_of=lambda _label: "plover", family=_plover_family
        )
        if label is None or _plover_family(label) == _plover_family(current):
            continue
        out[index] = replace(events[index], plover_type=label, stage=STAGE)
    return out


def _plover_family(label: str) -> str:
    return PLOVER_FAMILY.get(label, label)


def _acled_kind(label: str) -> str | None:
    return ACLED_KINDS.get(EVENT_TYPE_OF.get(label, ""))


def choose_label(
    current: str,
    row: np.ndarray,
    model: TextClassifier,
    mode: str,
    *,
    kind_of: Callable[[str], str | None],
    family: Callable[[str], str] = str,
) -> str | None:
    """The model's label for one event, or ``None`` to keep the rules' ``current`` one.

    ``row`` holds the model's probabilities in ``model.labels`` order; ``family`` maps a label
    to the one it counts as (PLOVER's old and new codes for one act).
    """
    if mode == "learned":
        return model.labels[int(np.argmax(row))]
    rule_only = {family(label) for label in model.meta.get("rule_only", ())}
    known = {family(label) for label in model.labels} - rule_only
    kind = kind_of(current)
    if family(current) not in known or kind is None:
        return None  # a type the data lacks, or a kind the model cannot judge: the rules' call
    same_kind = [
        i for i, label in enumerate(model.labels)
        if family(label) in known and kind_of(label) == kind
    ]
    total = float(sum(row[i] for i in same_kind))
    if len(same_kind) < 2 or total <= 0:
        return None
    best = max(same_kind, key=lambda i: row[i])
    threshold = model.meta.get("threshold")
    if threshold is None:
        return None  # no confidence reached the precision asked for at training
    return model.labels[best] if row[best] / total >= float(threshold) else None


def _with_sub_type(event: Event, sub_type: str) -> Event:
    """The event with a new ACLED sub-type, its type and, across types, the PLOVER type."""
    event_type = EVENT_TYPE_OF.get(sub_type, event.event_type)
    plover = event.plover_type
    if event_type != event.event_type:
        plover = PLOVER_OF_SUBTYPE.get(sub_type, plover)
    return replace(
        event, event_type=event_type, sub_event_type=sub_type, plover_type=plover, stage=STAGE
    )
