"""`sitreps train` as a library: data readers, held-out split, card, determinism, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sitreps.config import load_config
from sitreps.extract.learned_typer import STAGE
from sitreps.learn.typer import (
    CARD_JSON,
    CARD_MD,
    CONFIG_FILE,
    STEPS,
    TrainingDataError,
    first_sentence,
    read_acled_export,
    train_plover,
    train_typer,
)


def test_typer_writes_model_card_and_config(acled_export, tmp_path):
    seen: list[str] = []
    trained = train_typer([acled_export], tmp_path / "out", min_count=2, steps=seen.append)
    assert seen == list(STEPS)
    folder = trained.folder
    assert {p.name for p in folder.iterdir()} >= {"model.json", "weights.npz", CARD_JSON,
                                                  CARD_MD, CONFIG_FILE}
    card = json.loads((folder / CARD_JSON).read_text())
    assert card["data"][0]["sha256"] == read_acled_export(acled_export).sha256
    assert card["split"]["train"] + card["split"]["test"] == 49
    assert card["label_counts"]["Armed clash"]["train"] + card["label_counts"]["Armed clash"][
        "held_out"] == 12
    assert set(card["held_out_scores"]) == {"accuracy", "macro_f1", "weighted_f1"}
    assert card["combination"]["rule_only"] == ["Suicide bomb"]
    assert card["sitreps_version"] and card["created"].endswith("Z")
    assert "Suicide bomb" in (folder / CARD_MD).read_text()
    config = load_config(folder / CONFIG_FILE)
    assert config.stages.index(STAGE) == config.stages.index("sitreps.events.v1") + 1
    assert config.options_for(STAGE)["acled_model"] == str(folder.resolve())


def test_typer_training_is_deterministic(acled_export, tmp_path):
    one = train_typer([acled_export], tmp_path / "one", min_count=2).folder
    two = train_typer([acled_export], tmp_path / "two", min_count=2).folder
    assert (one / "model.json").read_text() == (two / "model.json").read_text()
    with np.load(one / "weights.npz") as a, np.load(two / "weights.npz") as b:
        assert all(np.array_equal(a[name], b[name]) for name in a.files)
    other_seed = train_typer([acled_export], tmp_path / "three", min_count=2, seed=7).card
    assert other_seed["split"]["seed"] == 7


def test_typer_reader_counts_what_it_leaves_out(tmp_path):
    from conftest import acled_rows, write_acled

    rows = acled_rows()
    rows[0] = {**rows[0], "notes": "  "}
    rows[1] = {**rows[1], "sub_event_type": "Made-up type"}
    data = read_acled_export(write_acled(tmp_path / "x.csv", rows))
    assert len(data.examples) == len(rows) - 2
    assert data.skipped["no notes"] == 1
    assert sum(data.skipped.values()) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("notes,event_type\nsome text,Battles\n", "lacks the column(s) sub_event_type"),
        ("notes,event_type,sub_event_type\n", "at least two types"),
        ("notes,event_type,sub_event_type\nShots fired.,Battles,Armed clash\n",
         "at least two types"),
    ],
)
def test_typer_bad_input_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(TrainingDataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        train_typer([path], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_typer_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(TrainingDataError, match="cannot read"):
        train_typer([tmp_path / "none.csv"], tmp_path / "out")


def test_plover_trainer_maps_new_codes_and_uses_the_test_file(plover_tsv, tmp_path):
    from conftest import write_plover

    test = write_plover(tmp_path / "test.tsv", places=("Lagos", "Kano", "Abuja"))
    trained = train_plover(plover_tsv, tmp_path / "plover", test_file=test, min_count=2)
    assert set(trained.card["label_counts"]) == {"DEMAND", "AGREE", "ASSAULT"}
    assert trained.card["split"]["test"] == 9 and trained.card["split"]["train"] == 36
    assert trained.card["held_out_scores"]["accuracy"] == 1.0
    config = load_config(trained.folder / CONFIG_FILE)
    assert config.options_for(STAGE)["plover_model"] == str(trained.folder.resolve())


def test_plover_trainer_needs_its_columns(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("sentence\tcode\nThey met.\tCONSULT\n", "utf-8")
    with pytest.raises(TrainingDataError, match="gold_root"):
        train_plover(path, tmp_path / "out")


def test_typer_first_sentence_is_what_the_threshold_judges():
    assert first_sentence("Police fired on protesters. Two were hurt.") == (
        "Police fired on protesters."
    )
    assert first_sentence("No full stop") == "No full stop"


def test_typer_card_says_when_the_model_never_overrides(acled_export, tmp_path):
    from sitreps.learn.typer import render_card

    card = train_typer([acled_export], tmp_path / "out", min_count=2).card
    card["combination"].update(threshold=None, precision=None)
    assert "overrides the rules never: no confidence gave 95% held-out precision" in (
        " ".join(render_card(card).split())
    )
