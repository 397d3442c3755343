"""The registry of extraction stages.

Built-in stages register through the same door as extensions, in spaCy's manner: a versioned
name, a factory ``make_<stage>(**options)`` whose typed signature gives each option's default and
type, and the :class:`~sitreps.records.Analysis` fields the built stage reads and writes. A
pipeline is an ordered list of names, checked before the first article is touched; an unknown or
mistyped option (``place_lookbak = 5``) is a :class:`StageOptionError` when the stage is built.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import partial
from types import MappingProxyType
from typing import Any

from sitreps.records import Analysis

StageFunc = Callable[[Analysis], Analysis]
StageFactory = Callable[..., StageFunc]
# An extension written before factories: ``func(analysis, options) -> analysis``.
LegacyStageFunc = Callable[[Analysis, Mapping[str, Any]], Analysis]

STAGE_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[0-9]+$")
ANALYSIS_FIELDS = frozenset(Analysis.__dataclass_fields__)
# Fields every stage may read without declaring them: the article is the input of them all.
ALWAYS_READABLE = frozenset({"article"})
# Factory parameters the pipeline fills itself; they are not user options.
INJECTED = frozenset({"knowledge"})


class UnknownStage(KeyError):
    """A pipeline names a stage that nothing registered; run `sitreps stages` to list them."""


class StageRegistrationError(ValueError):
    """A stage name is malformed, already taken by another function, or declares unknown fields."""


class PipelineError(ValueError):
    """A pipeline's stages cannot run in that order: a stage reads a field nothing produces."""


class StageOptionError(ValueError):
    """A stage option is unknown or of the wrong type: fix it under [stages."<name>"]."""


class StageContractError(RuntimeError):
    """A stage changed an Analysis field it does not declare in ``writes``: fix its registration."""


@dataclass(frozen=True, slots=True)
class StageOption:
    """One option of a stage: its name, type (as written in the factory) and default."""

    name: str
    type: Any
    default: Any


@dataclass(frozen=True, slots=True)
class Stage:
    """A registered stage: its factory, options and declared reads and writes."""

    name: str
    factory: StageFactory
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    options: Mapping[str, StageOption] = field(default_factory=lambda: MappingProxyType({}))
    doc: str = ""

    @property
    def default_config(self) -> Mapping[str, Any]:
        """Each option's default, as the factory's signature gives it."""
        return MappingProxyType({name: option.default for name, option in self.options.items()})

    @property
    def func(self) -> LegacyStageFunc:
        """The stage as a plain ``func(analysis, options)`` (built per call, built-in knowledge),
        for callers written before factories."""
        return lambda analysis, options: self.build(options)(analysis)

    def build(self, options: Mapping[str, Any], knowledge: Any = None) -> StageFunc:
        """The stage function for these user options; unknown or mistyped ones raise."""
        check_options(self, options)
        injected = {"knowledge": knowledge} if _takes_knowledge(self.factory) else {}
        return self.factory(**{**self.default_config, **options, **injected})


_STAGES: dict[str, Stage] = {}


def _takes_knowledge(factory: Callable[..., Any]) -> bool:
    return "knowledge" in inspect.signature(factory).parameters


def _options_of(factory: Callable[..., Any]) -> dict[str, StageOption]:
    """The user options of a factory, from its signature: every parameter has a default."""
    hints = typing.get_type_hints(factory)
    options = {}
    for parameter in inspect.signature(factory).parameters.values():
        if parameter.name in INJECTED or parameter.kind is parameter.VAR_KEYWORD:
            continue
        if parameter.default is parameter.empty:
            raise StageRegistrationError(
                f"Option {parameter.name!r} of {factory.__qualname__} needs a default value."
            )
        options[parameter.name] = StageOption(
            parameter.name, hints.get(parameter.name, Any), parameter.default
        )
    return options


def _conforms(value: Any, hint: Any) -> bool:
    """True when a config value fits an option's type (TOML arrays fit tuples)."""
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, arg) for arg in typing.get_args(hint))
    if hint is None or hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin in (tuple, list, frozenset, set):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return isinstance(value, list | tuple | frozenset | set) and all(
            _conforms(item, args[0]) for item in value
        ) if args else isinstance(value, list | tuple | frozenset | set)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True  # a type this check does not model: the factory is the judge


def check_options(stage: Stage, options: Mapping[str, Any]) -> None:
    """Raise :class:`StageOptionError` for an option the stage lacks or a value of wrong type."""
    for key, value in options.items():
        option = stage.options.get(key)
        if option is None:
            known = ", ".join(sorted(stage.options)) or "none"
            raise StageOptionError(
                f"Stage {stage.name!r} has no option {key!r} (its options: {known})."
            )
        if not _conforms(value, option.type):
            raise StageOptionError(
                f"Stage {stage.name!r}: option {key!r} must be {_type_name(option.type)}, "
                f"not {value!r}."
            )


def _type_name(hint: Any) -> str:
    """A type as the docs write it: ``int``, ``str or None``."""
    name = hint.__name__ if isinstance(hint, type) else str(hint)
    return name.replace(" | ", " or ")


def _summary(obj: Any) -> str:
    """The first paragraph of a docstring, on one line."""
    return " ".join((inspect.getdoc(obj) or "").split("\n\n", 1)[0].split())


def _check_name(name: str, reads: tuple[str, ...], writes: tuple[str, ...]) -> None:
    if not STAGE_NAME.match(name):
        raise StageRegistrationError(
            f"Stage name {name!r} must look like 'package.stage.v1' (lowercase, versioned)."
        )
    unknown = (set(reads) | set(writes)) - ANALYSIS_FIELDS
    if unknown:
        raise StageRegistrationError(
            f"Stage {name!r} declares unknown Analysis fields: {sorted(unknown)}."
        )


def _add(stage: Stage, code: Callable[..., Any]) -> None:
    """Register ``stage``; a taken name is refused unless it is the same code again."""
    existing = _STAGES.get(stage.name)
    if existing is not None:
        old = getattr(existing.factory, "__wrapped_stage__", existing.factory)
        same_code = old is code or (
            getattr(old, "__qualname__", None) == getattr(code, "__qualname__", "")
            and old.__module__ == code.__module__
        )
        if not same_code:
            raise StageRegistrationError(
                f"Stage {stage.name!r} is already registered by {old.__module__}."
                f"{old.__qualname__}; choose a new version number."
            )
    _STAGES[stage.name] = stage


def register_factory(
    name: str, *, reads: tuple[str, ...], writes: tuple[str, ...]
) -> Callable[[StageFactory], StageFactory]:
    """Register a factory ``make_<stage>(**options) -> stage`` under a versioned name.

    The factory's keyword parameters are the stage's options (each with a type and a default);
    a parameter called ``knowledge`` receives the run's :class:`~sitreps.knowledge.package.
    Knowledge` package instead.
    """
    _check_name(name, reads, writes)

    def decorator(factory: StageFactory) -> StageFactory:
        stage = Stage(
            name=name, factory=factory, reads=tuple(reads), writes=tuple(writes),
            options=MappingProxyType(_options_of(factory)),
            doc=_summary(factory),
        )
        _add(stage, factory)
        return factory

    return decorator


def register_stage(
    name: str,
    *,
    reads: tuple[str, ...],
    writes: tuple[str, ...],
    default_config: Mapping[str, Any] | None = None,
) -> Callable[[LegacyStageFunc], LegacyStageFunc]:
    """Register a plain stage function ``func(analysis, options)``; its options are the keys of
    ``default_config``, typed by their default values."""
    _check_name(name, reads, writes)
    defaults = dict(default_config or {})

    def decorator(func: LegacyStageFunc) -> LegacyStageFunc:
        def factory(**options: Any) -> StageFunc:
            return partial(func, config=MappingProxyType(options))

        factory.__wrapped_stage__ = func  # type: ignore[attr-defined]
        options = {
            key: StageOption(key, type(value) if value is not None else Any, value)
            for key, value in defaults.items()
        }
        stage = Stage(
            name=name, factory=factory, reads=tuple(reads), writes=tuple(writes),
            options=MappingProxyType(options),
            doc=_summary(func),
        )
        _add(stage, func)
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


def apply_stage(stage: Stage, func: StageFunc, analysis: Analysis) -> Analysis:
    """Run one built stage and check that it changed only the fields it declares it writes."""
    result = func(analysis)
    for item in fields(Analysis):
        if item.name not in stage.writes and (
            getattr(result, item.name) is not getattr(analysis, item.name)
        ):
            raise StageContractError(
                f"Stage {stage.name!r} changed Analysis.{item.name}, which it does not declare "
                f"in writes {list(stage.writes)}."
            )
    return result


def stage_table() -> str:
    """The README's stage table (markdown), generated from the registry.

    >>> stage_table().splitlines()[0]
    '| stage | reads | writes | options | what it does |'
    """
    rows = ["| stage | reads | writes | options | what it does |", "|---|---|---|---|---|"]
    for name, stage in registered_stages().items():  # in registration (pipeline) order
        if not name.startswith("sitreps."):
            continue
        options = ", ".join(
            f"`{o.name}` ({_type_name(o.type)}, {o.default!r})" for o in stage.options.values()
        )
        rows.append(
            f"| `{name}` | {', '.join(stage.reads)} | {', '.join(stage.writes)} | "
            f"{options or '-'} | {stage.doc} |"
        )
    return "\n".join(rows)


# Modules whose import registers the built-in stages. Named, not imported, so that the registry
# (which they import) does not import them back: the same door datasette's DEFAULT_PLUGINS use.
BUILTIN_STAGE_MODULES = ("sitreps.stages",)


def load_builtin_stages() -> None:
    """Register the built-in stages (idempotent): they are listed in :mod:`sitreps.stages`."""
    for module in BUILTIN_STAGE_MODULES:
        importlib.import_module(module)
