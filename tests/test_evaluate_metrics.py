"""The shared scorer on hand-computed examples."""

from __future__ import annotations

import pytest

from sitreps.evaluate import metrics as m
from sitreps.geo.distance import haversine_km


def test_metrics_prf_hand_computed():
    prf = m.PRF(tp=3, fp=1, fn=2)
    assert prf.precision == pytest.approx(0.75)
    assert prf.recall == pytest.approx(0.6)
    assert prf.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))


def test_metrics_prf_empty_is_zero_not_error():
    assert m.PRF(0, 0, 0).f1 == 0.0


def test_metrics_macro_f1_hand_computed():
    gold = ["a", "a", "b", "c", "none"]
    pred = ["a", "b", "b", "none", "a"]
    # a: tp1 fp1 fn1 -> 0.5; b: tp1 fp1 fn0 -> 2/3; c: tp0 fn1 -> 0
    assert m.macro_f1(gold, pred, exclude=["none"]) == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert m.accuracy(gold, pred) == pytest.approx(0.4)


def test_metrics_accuracy_refuses_unequal_lengths():
    with pytest.raises(ValueError):
        m.accuracy(["a"], ["a", "b"])


def test_metrics_confusions_and_majority():
    assert m.confusions(["x", "x", "y"], ["y", "y", "y"]) == [("x", "y", 2)]
    assert m.majority_label(["p", "q", "q"]) == "q"


def test_metrics_span_matching_strict_and_overlap():
    gold = [(0, 5), (10, 20)]
    pred = [(0, 5), (12, 15), (30, 35)]
    assert m.span_prf(gold, pred, strict=True) == m.PRF(1, 2, 1)
    assert m.span_prf(gold, pred, strict=False) == m.PRF(2, 1, 0)


def test_metrics_overlap_is_one_to_one():
    # One long prediction cannot match two gold spans.
    assert m.span_prf([(0, 3), (4, 7)], [(0, 7)], strict=False) == m.PRF(1, 0, 1)


def test_metrics_haversine_known_distance():
    # Damascus to Aleppo is about 310 km as the crow flies.
    assert haversine_km(33.5138, 36.2765, 36.2021, 37.1343) == pytest.approx(309, abs=5)
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0


def test_metrics_median_within_and_auc():
    assert m.median([5.0, 1.0, 3.0]) == 3.0
    assert m.within_km([0.0, 161.0, 162.0]) == pytest.approx(2 / 3)
    assert m.error_auc([0.0]) == 0.0
    assert m.error_auc([20039.0]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [(100, 80, True), (100, 79, False), (5, 6, True), (5, 7, False), (0, 0, True),
     (3, None, False)],
)
def test_metrics_within_pct(gold, predicted, expected):
    assert m.within_pct(gold, predicted) is expected


def test_metrics_weighted_f1_weights_classes_by_gold_support():
    gold = ["a", "a", "a", "b", "none"]
    predicted = ["a", "a", "b", "b", "a"]
    # a: P 2/3 R 2/3 F1 2/3 (3 in gold); b: P 1/2 R 1 F1 2/3 (1 in gold)
    assert m.weighted_f1(gold, predicted, exclude=["none"]) == pytest.approx(2 / 3)
    assert m.weighted_f1([], []) == 0.0
