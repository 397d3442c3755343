"""Crash safety: `sitreps run` killed with SIGKILL at random points, then restarted, ends with
every article stored once and the same events as a run that was never interrupted."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitreps.store.duckdb import Store

TOWNS = ["Saraqib", "Ariha", "Binnish", "Taftanaz", "Kafr Nabl", "Jisr al-Shughur", "Darkush",
         "Harem", "Salqin", "Khan Shaykhun", "Morek", "Latamneh", "Kafr Zita", "Azaz",
         "Marea", "Tal Rifaat", "Manbij", "Jarabulus", "Al-Bab", "Douma"]
ACTORS = ["Syrian government forces", "Russian warplanes", "Islamic State fighters",
          "rebel fighters", "Hayat Tahrir al-Sham militants", "Turkish troops"]
NUMBERS = ["two", "three", "five", "seven", "nine", "twelve", "at least 14", "dozens of"]
TEMPLATES = [
    "{actor} shelled the town of {town} on {day}, killing {number} civilians.",
    "An air strike hit a market in {town} on {day}, according to local rescue workers.",
    "{actor} captured the village of {town} after heavy fighting on {day}.",
    "{number} people were killed when a car bomb exploded near a checkpoint in {town}.",
    "Residents of {town} said {actor} had withdrawn from the area overnight.",
    "{actor} clashed with {actor2} near {town} on {day}.",
    "Medical workers in {town} reported {number} wounded after the bombardment.",
    "Local officials denied that {actor} had attacked the hospital in {town}.",
    "{actor} may try to push towards {town} in the coming weeks, analysts said.",
    "Hundreds of families fled {town} as the front line moved closer on {day}.",
    "Activists said {actor} detained {number} men at a checkpoint outside {town}.",
    "The bodies of {number} fighters were recovered from the rubble in {town}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def varied_article(rng: random.Random) -> str:
    """An article body assembled from varied sentences, distinct enough not to be a
    near-duplicate of another one."""
    sentences = [
        template.format(
            actor=rng.choice(ACTORS), actor2=rng.choice(ACTORS), town=rng.choice(TOWNS),
            number=rng.choice(NUMBERS), day=rng.choice(DAYS),
        )
        for template in rng.sample(TEMPLATES, 6)
    ]
    return " ".join(s[0].upper() + s[1:] for s in sentences)


def write_corpus(folder: Path, count: int, seed: int = 7) -> None:
    """A folder of ``count`` dated articles in the seed's text format."""
    rng = random.Random(seed)
    folder.mkdir()
    for index in range(count):
        body = varied_article(rng)
        header = f"date 2017-0{1 + index % 9}-{10 + index % 18} Report number {index}"
        (folder / f"{index:03d}.txt").write_text(f"{header}\n\n{body}\n", encoding="utf-8")


def sitreps(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitreps.cli", *args]


def snapshot(db_path: Path) -> dict[str, object]:
    with Store(db_path, read_only=True) as store:
        return {
            "articles": sorted(r["id"] for r in store.query("SELECT id FROM articles")),
            "article_rows": store.count("articles"),
            "events": sorted(
                tuple(str(v) for v in r.values())
                for r in store.query(
                    "SELECT id, article_id, sub_event_type, actor1, actor2, place_id, "
                    "event_date, fatalities_low, modality FROM events"
                )
            ),
            "sources": store.count("event_sources"),
            "mentions": store.count("mentions"),
            "unprocessed": store.count_unprocessed(),
        }


@pytest.mark.slow
def test_reliability_sigkill_then_rerun_loses_and_duplicates_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40)
    config = tmp_path / "small_batches.toml"
    config.write_text("[nlp]\ncommit_every = 3\nbatch_size = 3\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    reference = tmp_path / "reference.duckdb"
    done = subprocess.run(
        sitreps("run", str(corpus), "--db", str(reference), "--config", str(config)),
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # A second, warm run (the first may have built the caches) says how long a run takes here.
    started = time.monotonic()
    subprocess.run(
        sitreps("run", str(corpus), "--db", str(tmp_path / "timed.duckdb"), "--config",
                str(config)),
        capture_output=True, env=env, timeout=300, check=True,
    )
    took = time.monotonic() - started
    expected = snapshot(reference)
    assert expected["article_rows"] == 40 and expected["events"]

    target = tmp_path / "killed.duckdb"
    rng = random.Random(2024)
    kills = 0
    for _ in range(4):
        process = subprocess.Popen(
            sitreps("run", str(corpus), "--db", str(target), "--config", str(config)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        # Somewhere inside a whole run, however fast this machine makes one: kill mid-write.
        time.sleep(rng.uniform(0.2, 0.9) * took)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        if process.returncode == 0 and not kills:
            # The run beat the clock (the timed run met a busier machine): aim earlier, at a
            # fresh file, since a finished one leaves the next runs nothing to write.
            took /= 2
            for leftover in (target, target.with_name(target.name + ".wal")):
                leftover.unlink(missing_ok=True)
        if target.exists():
            # Never left unreadable: the file opens and answers after every kill.
            snapshot(target)
    assert kills >= 1
    final = subprocess.run(
        sitreps("run", str(corpus), "--db", str(target), "--config", str(config)),
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert final.returncode == 0, final.stderr
    assert snapshot(target) == expected
