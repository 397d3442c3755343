"""The registry of extraction stages and exporters.

Built-in stages register through the same door as extensions: a versioned name, the function,
its default config and the :class:`~sitreps.records.Analysis` fields it reads and writes. A
pipeline is an ordered list of names, checked before the first article is touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sitreps.records import Analysis

StageFunc = Callable[[Analysis, Mapping[str, Any]], Analysis]

STAGE_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[0-9]+$")
ANALYSIS_FIELDS = frozenset(Analysis.__dataclass_fields__)


class UnknownStage(KeyError):
    """A pipeline names a stage that nothing registered; run `sitreps stages` to list them."""


class StageRegistrationError(ValueError):
    """A stage name is malformed, already taken by another function, or declares unknown fields."""


class PipelineError(ValueError):
    """A pipeline's stages cannot run in that order: a stage reads a field nothing produces."""


@dataclass(frozen=True, slots=True)
class Stage:
    """A registered stage: its function, default config and declared reads and writes."""

    name: str
    func: StageFunc
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    default_config: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


_STAGES: dict[str, Stage] = {}


def register_stage(
    name: str,
    *,
    reads: tuple[str, ...],
    writes: tuple[str, ...],
    default_config: Mapping[str, Any] | None = None,
) -> Callable[[StageFunc], StageFunc]:
    """Register a stage function under a versioned name such as ``sitreps.events.v1``."""
    if not STAGE_NAME.match(name):
        raise StageRegistrationError(
            f"Stage name {name!r} must look like 'package.stage.v1' (lowercase, versioned)."
        )
    unknown = (set(reads) | set(writes)) - ANALYSIS_FIELDS
    if unknown:
        raise StageRegistrationError(
            f"Stage {name!r} declares unknown Analysis fields: {sorted(unknown)}."
        )

    def decorator(func: StageFunc) -> StageFunc:
        existing = _STAGES.get(name)
        if existing is not None and existing.func is not func:
            same_code = getattr(existing.func, "__qualname__", None) == func.__qualname__ and (
                existing.func.__module__ == func.__module__
            )
            if not same_code:
                raise StageRegistrationError(
                    f"Stage {name!r} is already registered by {existing.func.__module__}."
                    f"{existing.func.__qualname__}; choose a new version number."
                )
        _STAGES[name] = Stage(
            name=name,
            func=func,
            reads=tuple(reads),
            writes=tuple(writes),
            default_config=MappingProxyType(dict(default_config or {})),
        )
        return func

    return decorator


def get_stage(name: str) -> Stage:
    """Return the registered stage called ``name``."""
    load_builtin_stages()
    try:
        return _STAGES[name]
    except KeyError:
        raise UnknownStage(
            f"No stage called {name!r}. Registered stages: {', '.join(sorted(_STAGES))}."
        ) from None


def registered_stages() -> dict[str, Stage]:
    """All registered stages, by name."""
    load_builtin_stages()
    return dict(_STAGES)


def check_pipeline(names: tuple[str, ...] | list[str]) -> tuple[Stage, ...]:
    """Resolve stage names in order and fail early if a stage needs a field nothing produced."""
    available = {"article", "doc"}
    stages = []
    for name in names:
        stage = get_stage(name)
        missing = set(stage.reads) - available
        if missing:
            raise PipelineError(
                f"Stage {name!r} reads {sorted(missing)}, which no earlier stage writes. "
                "Put the stage that writes it earlier in the pipeline."
            )
        available |= set(stage.writes)
        stages.append(stage)
    return tuple(stages)


def load_builtin_stages() -> None:
    """Register the built-in stages (idempotent): they are listed in :mod:`sitreps.stages`."""
    import sitreps.stages  # noqa: F401
