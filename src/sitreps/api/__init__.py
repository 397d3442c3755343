"""The sitreps HTTP API and web dashboard (``sitreps serve``); needs the ``serve`` extra."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitreps.api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported on first use, not with the package: the CLI registers `sitreps serve` from
    # sitreps.api.command at every start, and FastAPI costs ~0.3 s that `sitreps run` never
    # needs (issue 16).
    if name == "create_app":
        from sitreps.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
