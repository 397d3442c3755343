"""The fork server local workers start from: both engines' worker processes on this machine
(the local engine's pool, the Dask engine's own LocalCluster) fork from one server process that
imported the stages and loaded the run's pipeline once (issue 16).

Forked workers start with the model, rulers and stages in memory, shared copy-on-write, instead
of each importing and loading them, and they end with ``os._exit`` instead of freeing them. The
server is ``multiprocessing``'s, one per parent process: it reads its settings (the modules, the
pipeline in ``$SITREPS_PRELOAD_NLP``, the environment) when it starts, so the first engine to
start it sets them; a worker loads whatever it lacks itself. Nothing here imports Dask: the
Dask engine starts the server before it imports Dask, which the server imports meanwhile.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.forkserver
import os
import sys
from collections.abc import Mapping

from sitreps.config import Config
from sitreps.engine.partitions import PRELOAD_ENV

# Imported by the server before it loads the run's pipeline (sitreps.engine._preload, last).
_MODULES = ("sitreps.engine.partitions", "sitreps.nlp", "sitreps.engine._preload")
# What a Dask worker imports besides: the server imports it while the parent starts the cluster.
DASK_MODULES = ("distributed", "sitreps.engine.dask_engine")
# Dask's nannies set these before they spawn a worker, for libraries that read them when they
# load (BLAS thread pools: one worker per core); a forked worker has the server's environment.
DASK_ENVIRON = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def available() -> bool:
    """Whether workers can fork from a server here (Linux): elsewhere they are spawned."""
    return sys.platform.startswith("linux")


def fork_server_context(
    config: Config, modules: tuple[str, ...] = ()
) -> multiprocessing.context.BaseContext:
    """The ``forkserver`` context, its server set to import ``modules`` and load ``config``'s
    pipeline before it forks a worker (settings of a server already running stay as they are).
    """
    context = multiprocessing.get_context("forkserver")
    os.environ[PRELOAD_ENV] = json.dumps({
        "model": config.model, "max_chars": config.max_chars,
        "knowledge_files": list(config.knowledge_files),
    })  # fmt: skip
    context.set_forkserver_preload([*modules, *_MODULES])
    return context


def start_fork_server(
    config: Config, modules: tuple[str, ...] = (), environ: Mapping[str, str] | None = None
) -> bool:
    """Start the server now, so that it loads the pipeline while this process goes on; False
    where there is none (see :func:`available`) or it could not start: workers are spawned.

    ``environ`` is added to the server's environment (not to this process's).
    """
    if not available():
        return False
    fork_server_context(config, modules)
    saved = {name: os.environ.get(name) for name in environ or {}}
    os.environ.update(environ or {})
    try:
        multiprocessing.forkserver.ensure_running()
    except OSError:  # no socket or process for it: spawned workers work without it
        return False
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return True
