"""``sitreps eval`` through CliRunner on the command object, on hand-written fixtures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from sitreps.evaluate.command import eval_command
from sitreps.evaluate.datasets import DATASETS

DATA = Path(__file__).parent / "data" / "evaluate"
FIXTURES = {
    "fakes": "fakes.csv",
    "case2021": "case2021.tsv",
    "plover": "plover.json",
    "event_location": "event_location.jsonl",
    "geowebnews": "gwn.xml",
    "lgl": "lgl.xml",
    "wikievents": "wikievents.jsonl",
}


def test_command_json_output_shape():
    result = CliRunner().invoke(
        eval_command, ["case2021", "--data", str(DATA / "case2021.tsv"), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"dataset", "n", "metrics"}
    assert payload["dataset"] == "case2021" and payload["n"] == 3
    assert {"accuracy", "macro_f1"} <= set(payload["metrics"])
    assert all(0.0 <= v <= 1.0 for v in payload["metrics"].values())


def test_command_malformed_gold_is_one_line_error_exit_2():
    result = CliRunner().invoke(
        eval_command, ["plover", "--data", str(DATA / "plover_not_list.json"), "--json"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "plover_not_list.json" in lines[0]


def test_command_leaves_out_a_malformed_gold_item_and_says_so():
    result = CliRunner().invoke(
        eval_command, ["event_location", "--data", str(DATA / "event_location_bad_span.jsonl")]
    )
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps long lines
    assert "1 malformed gold item(s) left out" in output
    assert "span 2-99 is outside" in output
    assert "Traceback" not in result.output


def test_command_missing_file_exit_2(tmp_path):
    result = CliRunner().invoke(eval_command, ["lgl", "--data", str(tmp_path / "none.xml")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_command_all_writes_report_and_baseline(tmp_path):
    root = tmp_path / "eval"
    for name, fixture in FIXTURES.items():
        target = root / DATASETS[name].relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / fixture, target)
    report, baseline = tmp_path / "EVALUATION.md", tmp_path / "eval_baseline.json"
    args = ["all", "--data-root", str(root), "--report", str(report), "--baseline",
            str(baseline), "--update-baseline", "--json"]
    result = CliRunner().invoke(eval_command, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [r["dataset"] for r in payload["results"]] == list(DATASETS)
    assert "| lgl | 1 | sitreps |" in report.read_text()
    pinned = json.loads(baseline.read_text())["datasets"]
    assert set(pinned) == set(DATASETS) and len(pinned["fakes"]["sha256"]) == 64
