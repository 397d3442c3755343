"""The sitreps HTTP API and web dashboard (``sitreps serve``); needs the ``serve`` extra."""

from sitreps.api.app import create_app

__all__ = ["create_app"]
