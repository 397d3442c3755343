"""The Dask engine on a real multi-process cluster: a ``dask scheduler`` and two ``dask worker``
processes started as separate commands on 127.0.0.1, as on several machines (issue 16).

``run_engine(..., scheduler="tcp://HOST:PORT")`` (``sitreps run --engine dask --scheduler``)
must store the same events and merged events as the one-batch reference run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_engine_local as shared
from test_engine_local import counts, event_tuples, merged_tuples

from sitreps.engine import run_engine
from sitreps.engine.dask_engine import LOADED, MANIFEST
from sitreps.store.duckdb import Store

sample_db, reference, fresh_db = shared.sample_db, shared.reference, shared.fresh_db
merged_reference, reference_db = shared.merged_reference, shared.reference_db

distributed = pytest.importorskip(
    "distributed", reason='the dask engine needs dask.distributed: pip install "dask[distributed]"'
)

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parent.parent / "src"
START_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[str]:
    """``dask scheduler`` + 2 ``dask worker`` subprocesses; yields the scheduler address."""
    if shutil.which("dask") is None and not _module_runs("dask"):
        pytest.skip("the `dask` command is not installed (dask[distributed])")
    logs = tmp_path_factory.mktemp("dask-cluster")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p
    )}  # fmt: skip
    processes: list[subprocess.Popen] = []
    try:
        processes.append(_spawn(
            ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address",
             ":0"], logs / "scheduler.log", env,
        ))  # fmt: skip
        for index in range(2):
            processes.append(_spawn(
                ["worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                 "--dashboard-address", ":0", "--name", f"w{index}",
                 "--local-directory", str(logs / f"w{index}")],
                logs / f"worker-{index}.log", env,
            ))  # fmt: skip
        with distributed.Client(address, timeout=START_TIMEOUT_S) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT_S)
        yield address
    finally:
        _stop(processes)


def _module_runs(name: str) -> bool:
    """True when ``python -m NAME`` runs (the console script may be on no PATH)."""
    out = subprocess.run([sys.executable, "-m", name, "--version"], capture_output=True)
    return out.returncode == 0


def _spawn(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start ``dask ARGS`` with its output in ``log``."""
    command = ["dask", *args] if shutil.which("dask") else [sys.executable, "-m", "dask", *args]
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)


def test_engine_dask_on_separate_scheduler_and_workers(
    fresh_db, reference, merged_reference, config, cluster, tmp_path
) -> None:
    work = tmp_path / "parts"
    with Store(fresh_db) as store:
        report = run_engine(
            store, config, engine="dask", scheduler=cluster, partition_size=3, work_dir=work
        )
        assert report.articles == 10 and not report.errors
        assert (event_tuples(store), counts(store)) == reference
        assert merged_tuples(store) == merged_reference
    parts = sorted(work.glob("part-*"))
    assert len(parts) == 4  # 10 articles in partitions of 3, each written by a worker process
    assert all((p / MANIFEST).exists() and (p / LOADED).exists() for p in parts)
    with distributed.Client(cluster) as client:
        # Both worker processes are separate from this one and from each other.
        pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
