"""EVALUATION.md writing, the CI floors and their check."""

from __future__ import annotations

from datetime import datetime

from sitreps.evaluate.datasets import EvalResult
from sitreps.evaluate.report import (
    RUNS_MARKER,
    check_result,
    default_data_root,
    make_bounds,
    read_baseline,
    render_run,
    write_baseline,
    write_report,
)


def _result(dataset="case2021", n=100, **metrics):
    return EvalResult(dataset, n, metrics or {"accuracy": 0.5, "macro_f1": 0.4},
                      {"baseline": {"label": "Armed clash", "accuracy": 0.1, "macro_f1": 0.02}})


def test_report_render_run_has_date_commit_and_baseline_row():
    section = render_run([_result()], limit=None, when=datetime(2026, 1, 2, 3, 4),
                         commit="abc1234", model="en_core_web_sm")
    assert "## 2026-01-02 03:04 UTC · commit abc1234" in section
    assert "| case2021 | 100 | sitreps | accuracy 0.500, macro-F1 0.400 |" in section
    assert "majority class (Armed clash)" in section


def test_report_write_report_keeps_older_tables_below(tmp_path):
    path = tmp_path / "EVALUATION.md"
    write_report("## first run\n", path)
    write_report("## second run\n", path)
    text = path.read_text()
    assert text.count(RUNS_MARKER) == 1
    assert text.index("## second run") < text.index("## first run")
    assert "Published figures" in text


def test_report_bounds_and_gate_check(tmp_path):
    result = _result("lgl", 20, f1=0.8, median_km=10.0)
    bounds = make_bounds(result)
    assert bounds["floors"]["f1"] < 0.8 and bounds["ceilings"]["median_km"] > 10.0
    entry = {"file": "lgl/lgl.xml", "sha256": "0", "limit": 20, **bounds}
    assert check_result(result, entry) == []
    worse = _result("lgl", 20, f1=0.5, median_km=400.0)
    failures = [str(f) for f in check_result(worse, entry)]
    assert any("lgl.f1" in f and "below floor" in f for f in failures)
    assert any("lgl.median_km" in f and "above ceiling" in f for f in failures)
    path = write_baseline({"lgl": entry}, tmp_path / "eval_baseline.json")
    assert read_baseline(path)["lgl"]["limit"] == 20


def test_report_floor_leaves_room_for_one_item_flip():
    floors = make_bounds(_result("fakes", 10, location=0.5))["floors"]
    assert floors["location"] <= 0.4


def test_report_default_data_root_from_env(tmp_path, monkeypatch):
    (tmp_path / "eval").mkdir()
    monkeypatch.setenv("SITREPS_SHARED", str(tmp_path))
    assert default_data_root() == tmp_path / "eval"


def test_report_confusion_summary_line():
    result = EvalResult("case2021", 3, {"accuracy": 0.0},
                        {"confusions": [("Armed clash", "Attack", 2)]})
    section = render_run([result], limit=5, when=datetime(2026, 1, 1), commit=None, model="m")
    assert "case2021 commonest confusions (gold → predicted): Armed clash → Attack (2)" in section
    assert "first 5 items" in section and "commit unknown" in section
