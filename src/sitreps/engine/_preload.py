"""Imported by the fork server (:mod:`sitreps.engine.fork_server`) of both engines' local
workers: loads the run's pipeline once, before it forks the workers, so each worker starts with
the model, rulers and stages already in memory (shared copy-on-write) instead of loading them
itself (issue 16).

The run's model settings come in ``$SITREPS_PRELOAD_NLP`` (JSON), which the parent sets before
the fork server starts; without it, or if loading fails, the workers load the pipeline
themselves, as before. Nothing here opens a database; the gazetteer's SQLite connection is
reopened per process.
"""

from __future__ import annotations

import json
import os

from sitreps.engine.partitions import PRELOAD_ENV


def preload() -> None:
    spec = os.environ.get(PRELOAD_ENV)
    if not spec:
        return
    try:
        settings = json.loads(spec)
        from sitreps.nlp import _cached_nlp
        from sitreps.registry import load_builtin_stages

        load_builtin_stages()
        _cached_nlp(settings["model"], settings["max_chars"], tuple(settings["knowledge_files"]))
    except Exception:  # noqa: BLE001 - a worker that finds nothing loaded loads it itself
        return


preload()
