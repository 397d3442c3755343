"""Shared fixtures: a real DuckDB file per test, the real spaCy pipeline once per session."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The read-only ../shared folder (or $SITREPS_SHARED): seed, gold sets and corpora."""
    return Path(os.environ.get("SITREPS_SHARED", REPO.parent / "shared"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def config():
    from sitreps.config import load_config

    return load_config()


@pytest.fixture(scope="session")
def nlp(config):
    """The full sitreps pipeline (model + EntityRuler), built once for the whole run."""
    from sitreps.nlp import get_nlp

    return get_nlp(config)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = shared_dir() / "seed" / "000_cfd3f129360db0b8.txt"
    if not path.exists():
        pytest.skip(f"seed article not found at {path} (set SITREPS_SHARED)")
    return path


# --- `sitreps train`: tiny hand-written training data (our own sentences, never ACLED's) ---------
PLACES = ("Kidal", "Gao", "Mopti", "Segou", "Kayes", "Sikasso", "Timbuktu", "Djenne", "Bamako",
          "Koulikoro", "Menaka", "Tessalit")
# Sentences of each kind, one per place: distinct words per type so a small model separates them.
TEMPLATES = {
    ("Battles", "Armed clash"): "Soldiers exchanged fire with militants near {place} for hours.",
    ("Violence against civilians", "Attack"):
        "Unknown gunmen shot dead an unarmed villager at his farm in {place}.",
    ("Protests", "Peaceful protest"):
        "Students marched peacefully through {place} demanding lower fees.",
    ("Riots", "Violent demonstration"):
        "Rioters hurled stones and torched tyres on the main road of {place}.",
}
RARE = (("Explosions/Remote violence", "Suicide bomb"),
        "A suicide bomber blew himself up at a checkpoint in Gao.")
HEADER = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
          "location", "fatalities", "notes"]


def acled_rows() -> list[dict[str, str]]:
    """ACLED-export-like rows: notes with a date lead and a size tag, as ACLED writes them."""
    rows = []
    for (event_type, sub_type), template in TEMPLATES.items():
        for index, place in enumerate(PLACES):
            note = f"On {index + 1} May 2020, {template.format(place=place)} [size=no report]"
            rows.append({"event_type": event_type, "sub_event_type": sub_type, "notes": note,
                         "location": place})
    (event_type, sub_type), note = RARE
    rows.append({"event_type": event_type, "sub_event_type": sub_type, "notes": note})
    for number, row in enumerate(rows):
        row.update(event_id_cnty=f"TST{number}", event_date="1-May-20", actor1="", actor2="",
                   fatalities="0")
        row.setdefault("location", "Gao")
    return rows


def write_acled(path: Path, rows: list[dict[str, str]] | None = None,
                header: list[str] | None = None) -> Path:
    """Write an ACLED-like export to ``path``."""
    header = header or HEADER
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(acled_rows() if rows is None else rows)
    return path


PLOVER_TEMPLATES = {
    "REQUEST": "The opposition in {place} urged the government to release the detainees.",
    "AGREE": "Both delegations signed a ceasefire accord in {place} on Monday.",
    "ASSAULT": "Troops raided the market in {place} and beat several traders.",
}


def write_plover(path: Path, places: tuple[str, ...] = PLACES) -> Path:
    """A PLOVER TSV (``sentence``, ``gold_root``) in the newer codes (REQUEST for DEMAND)."""
    lines = ["sentence_id\tsentence\tgold_root"]
    number = 0
    for code, template in PLOVER_TEMPLATES.items():
        for place in places:
            number += 1
            lines.append(f"{number}\t{template.format(place=place)}\t{code}")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture
def acled_export(tmp_path: Path) -> Path:
    """A small ACLED-like export: four common sub-types and one rare one."""
    return write_acled(tmp_path / "export.csv")


@pytest.fixture
def plover_tsv(tmp_path: Path) -> Path:
    """A small PLOVER TSV in the newer codes."""
    return write_plover(tmp_path / "plover.tsv")


@pytest.fixture(scope="session")
def trained_typer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ACLED typer trained once on the small export (types with 2+ notes are judged)."""
    from sitreps.learn.typer import train_typer

    folder = tmp_path_factory.mktemp("typer")
    export = write_acled(folder / "export.csv")
    return train_typer([export], folder / "model", min_count=2).folder
