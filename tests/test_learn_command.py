"""`sitreps train` and `sitreps eval --typer` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sitreps.cli import cli

DATA = Path(__file__).parent / "data" / "evaluate"


def test_train_typer_cli_writes_the_model_and_says_how_to_use_it(acled_export, tmp_path):
    out = tmp_path / "my-typer"
    result = CliRunner().invoke(
        cli, ["train", "typer", "--acled", str(acled_export), "--out", str(out),
              "--min-count", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "Held-out split, the model alone: accuracy" in result.output
    assert "Left to the rules (too few examples): Suicide bomb." in result.output
    assert f"--config {out / 'config.toml'}" in result.output
    assert json.loads((out / "card.json").read_text())["kind"] == "acled"
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_train_typer_cli_bad_export_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nShots fired.,Armed clash\n", "utf-8")
    result = CliRunner().invoke(
        cli, ["train", "typer", "--acled", str(bad), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "lacks the column(s) notes, event_type, sub_event_type" in lines[0]


def test_train_plover_cli(plover_tsv, tmp_path):
    result = CliRunner().invoke(
        cli, ["train", "plover", "--plover", str(plover_tsv), "--out", str(tmp_path / "p"),
              "--min-count", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "Trained a PLOVER typer" in result.output


def test_eval_typer_scores_rules_learned_and_combined_side_by_side(trained_typer):
    result = CliRunner().invoke(
        cli, ["eval", "case2021", "--data", str(DATA / "case2021.tsv"), "--json",
              "--typer", str(trained_typer)],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    systems = [row["system"] for row in payload["typers"]]
    assert systems == ["rules", "learned", "combined", "text only"]
    rules = payload["typers"][0]["metrics"]
    assert rules == payload["metrics"]  # the rules row is plain `sitreps eval`
    assert all(row["n"] == 3 for row in payload["typers"])


def test_eval_typer_needs_a_set_it_types(trained_typer):
    result = CliRunner().invoke(
        cli, ["eval", "lgl", "--data", str(DATA / "lgl.xml"), "--typer", str(trained_typer)]
    )
    assert result.exit_code == 2
    assert "--typer scores case2021" in result.stderr


def test_eval_typer_refuses_a_model_of_the_other_kind(trained_typer):
    result = CliRunner().invoke(
        cli, ["eval", "plover", "--data", str(DATA / "plover.json"),
              "--plover-typer", str(trained_typer)],
    )
    assert result.exit_code == 3
    assert "holds a typer of kind 'acled', not 'plover'" in result.stderr
