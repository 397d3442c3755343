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


def _example(source: str, placed: bool, direct: bool = True, group: str = "g"):
    """A one-candidate training example the rules link directly (or not) to its place."""
    import numpy as np

    from sitreps.extract.locate import LINK_DIRECT
    from sitreps.extract.locate_learned import _INDEX, N_FEATURES, Example

    row = np.zeros((1, N_FEATURES))
    row[0, _INDEX[f"rank={LINK_DIRECT}"]] = float(direct)
    labels = np.array([int(placed)], dtype=np.int8)
    return Example(group, row, labels, 0, placed, True, source)


def test_learn_event_location_unreliable_sources_are_those_that_leave_linked_verbs_unplaced():
    from sitreps.learn.event_location import learnable, unreliable_sources

    # "careless" leaves 3 of 4 directly linked verbs without a place; "careful" 1 of 4.
    examples = [_example("careless", n == 0) for n in range(4)]
    examples += [_example("careful", n != 0) for n in range(4)]
    # Verbs the rules do not link directly say nothing about the annotator.
    examples += [_example("careful", False, direct=False) for _ in range(8)]
    assert unreliable_sources(examples, least=4) == {"careless"}
    assert unreliable_sources(examples, least=5) == frozenset()  # too few to judge
    unreliable = frozenset({"careless"})
    # Its marked places are still learned from; its "no place" labels are not.
    assert learnable(examples[0], unreliable) and not learnable(examples[1], unreliable)
    assert learnable(examples[1]) and learnable(examples[4], unreliable)


def test_learn_event_location_item_sources_key_records_as_the_reader_does(tmp_path):
    import json

    from sitreps.learn.event_location import item_sources

    path = tmp_path / "train.jsonl"
    records = [{"_id": 7, "source": "wire"}, {"doc_id": "d", "source": "blog"}, {"text": "x"}]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\nnot json\n", "utf-8")
    assert item_sources(path) == {"7": "wire", "d": "blog", "3": ""}
