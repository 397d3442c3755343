"""Progress of long runs (issue 16): a bar with articles/s and time left on a terminal, nothing
when the output is not a terminal (a pipe, a log file, CI)."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress import Progress, TimeRemainingColumn

from sitreps.cli import RateColumn

SRC = Path(__file__).resolve().parent.parent / "src"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "TERM": "xterm-256color", "COLUMNS": "150"}


def _sitreps(*args: str) -> list[str]:
    return [sys.executable, "-c", "from sitreps.cli import main; main()", *args]


def test_rate_column_shows_articles_per_second_and_time_left() -> None:
    now = [0.0]
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100, color_system=None)
    with Progress(RateColumn(), TimeRemainingColumn(), console=console, auto_refresh=False,
                  get_time=lambda: now[0]) as progress:  # fmt: skip
        task = progress.add_task("Extracting events", total=100)
        assert str(RateColumn().render(progress.tasks[0])) == ""  # no rate before a second
        for _ in range(4):
            now[0] += 2.0
            progress.advance(task, 10)  # 10 articles every 2 seconds
        assert str(RateColumn().render(progress.tasks[0])) == "5.0 articles/s"
        progress.refresh()
    shown = ANSI.sub("", buffer.getvalue())
    assert "5.0 articles/s" in shown
    assert "0:00:12" in shown  # 60 articles left at 5 a second


@pytest.mark.slow
def test_run_is_quiet_off_a_terminal(tmp_path) -> None:
    out = subprocess.run(
        _sitreps("run", "--sample", "--db", str(tmp_path / "pipe.duckdb")),
        capture_output=True, text=True, env=_env(), timeout=600,
    )  # fmt: skip
    assert out.returncode in (0, 1), out.stderr[-2000:]
    assert "Analysed" in out.stderr  # the summary lines still come
    for noise in ("Extracting events", "Reading articles", "articles/s", "\x1b["):
        assert noise not in out.stderr and noise not in out.stdout


@pytest.mark.slow
def test_run_shows_a_progress_bar_on_a_terminal(tmp_path) -> None:
    """The same command on a pseudo-terminal draws the extraction bar as it goes."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        _sitreps("run", "--sample", "--db", str(tmp_path / "tty.duckdb")),
        stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=_env(),
    )  # fmt: skip
    os.close(follower)
    chunks: list[bytes] = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 600)
            if not ready:
                break
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        process.wait(timeout=600)
        os.close(leader)
    shown = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))
    assert process.returncode in (0, 1), shown[-2000:]
    assert "Extracting events" in shown
    assert re.search(r"\d+/10\b", shown)  # articles done of the 10 sample articles
    assert "Analysed" in shown
