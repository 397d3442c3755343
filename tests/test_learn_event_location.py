"""The event-location training scripts share one set of options and one default data path."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from sitreps.learn.event_location import default_training_data, training_parser

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_learn_event_location_default_data_follows_the_shared_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("SITREPS_SHARED", str(tmp_path))
    assert default_training_data() == tmp_path / "train" / "event_location" / "train.jsonl"
    monkeypatch.delenv("SITREPS_SHARED")
    assert default_training_data().parent.parent.parent.name == "shared"


def test_learn_event_location_parser_refuses_an_eval_gold_set(capsys):
    parser = training_parser("test")
    assert parser.parse_args(["--data", "shared/train/x.jsonl"]).data == Path(
        "shared/train/x.jsonl"
    )
    with pytest.raises(SystemExit):
        parser.parse_args(["--data", "shared/eval/x.jsonl"])
    assert "never on an eval/ gold set" in capsys.readouterr().err


@pytest.mark.parametrize("script", ["cv_event_location.py", "train_event_location.py"])
def test_learn_event_location_scripts_share_the_parser(script, capsys):
    # Both scripts take --data and --seed from training_parser (one default path, one refusal of
    # the gold sets), so an eval/ path stops either before any model loads.
    spec = importlib.util.spec_from_file_location(script.removesuffix(".py"), SCRIPTS / script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.training_parser is training_parser
    with pytest.raises(SystemExit):
        module.main(["--data", "shared/eval/x.jsonl", "--seed", "1"])
    assert "never on an eval/ gold set" in capsys.readouterr().err
