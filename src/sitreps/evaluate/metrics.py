"""The one scorer shared by ``sitreps eval`` and the CI gate: rates, F1, spans and distances.

Every rate is a float in 0..1; an empty denominator gives 0.0, never a division error, so a
dataset cut short by ``--limit`` still produces a complete metrics dict.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

# Half the Earth's circumference: the largest possible great-circle error, used to normalise AUC.
MAX_ERROR_KM = 20039.0


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 with the counts they came from."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Share of predictions that are right."""
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of gold items found."""
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall.

        >>> PRF(tp=2, fp=1, fn=1).f1
        0.6666666666666666
        """
        return ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or 0.0 when nothing was counted.

    >>> ratio(1, 4), ratio(0, 0)
    (0.25, 0.0)
    """
    return numerator / denominator if denominator else 0.0


def accuracy(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Share of positions where prediction equals gold.

    >>> accuracy(["a", "b", "c"], ["a", "x", "c"])
    0.6666666666666666
    """
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items but predicted has {len(predicted)}")
    return ratio(sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold))


def per_class_prf(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[Hashable, PRF]:
    """Counts per class for single-label classification (each item one gold, one predicted)."""
    tp: Counter[Hashable] = Counter()
    fp: Counter[Hashable] = Counter()
    fn: Counter[Hashable] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    classes = set(gold) | set(predicted)
    return {label: PRF(tp[label], fp[label], fn[label]) for label in classes}


def macro_f1(
    gold: Sequence[Hashable],
    predicted: Sequence[Hashable],
    *,
    exclude: Iterable[Hashable] = (),
) -> float:
    """Unweighted mean F1 over the classes seen in gold or predictions, minus ``exclude``.

    An excluded class (such as "no event") is left out of the average, but its confusions still
    count as false positives and negatives of the other classes.

    >>> round(macro_f1(["a", "a", "b", "n"], ["a", "b", "b", "a"], exclude=["n"]), 4)
    0.5833
    """
    skip = set(exclude)
    scores = [prf.f1 for label, prf in per_class_prf(gold, predicted).items() if label not in skip]
    return sum(scores) / len(scores) if scores else 0.0


def weighted_f1(
    gold: Sequence[Hashable],
    predicted: Sequence[Hashable],
    *,
    exclude: Iterable[Hashable] = (),
) -> float:
    """F1 per gold class weighted by how often the class occurs in gold (CASE 2021's headline).

    >>> round(weighted_f1(["a", "a", "b", "n"], ["a", "b", "b", "a"], exclude=["n"]), 4)
    0.6111
    """
    skip = set(exclude)
    support = Counter(g for g in gold if g not in skip)
    total = sum(support.values())
    if not total:
        return 0.0
    scores = per_class_prf(gold, predicted)
    return sum(scores[label].f1 * count for label, count in support.items()) / total


def confusions(
    gold: Sequence[Hashable], predicted: Sequence[Hashable], top: int = 10
) -> list[tuple[Hashable, Hashable, int]]:
    """The most frequent ``(gold, predicted, count)`` mistakes, for the confusion summary.

    >>> confusions(["a", "a", "b"], ["b", "b", "b"])
    [('a', 'b', 2)]
    """
    counts = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return [(g, p, n) for (g, p), n in counts.most_common(top)]


def majority_label(labels: Iterable[Hashable]) -> Hashable:
    """The most frequent label (first seen wins ties): the naive baseline's one answer.

    >>> majority_label(["b", "a", "a", "b", "c"])
    'b'
    """
    counts = Counter(labels)
    return max(counts, key=lambda label: counts[label])


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open character spans share at least one character.

    >>> overlaps((0, 5), (4, 9)), overlaps((0, 5), (5, 9))
    (True, False)
    """
    return a[0] < b[1] and b[0] < a[1]


def match_spans(
    gold: Sequence[tuple[int, int]],
    predicted: Sequence[tuple[int, int]],
    *,
    strict: bool,
) -> list[tuple[int, int]]:
    """One-to-one matching of predicted to gold spans, as ``(gold_index, predicted_index)``.

    ``strict`` needs identical offsets; otherwise any overlap counts, and each gold span takes the
    overlapping prediction that shares most characters, so one long prediction cannot match two
    gold spans.

    >>> match_spans([(0, 5), (10, 15)], [(0, 5), (11, 20)], strict=True)
    [(0, 0)]
    >>> match_spans([(0, 5), (10, 15)], [(0, 5), (11, 20)], strict=False)
    [(0, 0), (1, 1)]
    """
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        best, best_shared = None, 0
        for pi, p in enumerate(predicted):
            if pi in used:
                continue
            if strict:
                if p == g:
                    best = pi
                    break
                continue
            shared = min(g[1], p[1]) - max(g[0], p[0])
            if shared > best_shared:
                best, best_shared = pi, shared
        if best is not None:
            used.add(best)
            pairs.append((gi, best))
    return pairs


def span_prf(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]], *, strict: bool
) -> PRF:
    """Precision/recall counts for one document's spans.

    >>> span_prf([(0, 5), (10, 15)], [(0, 5), (20, 25)], strict=True)
    PRF(tp=1, fp=1, fn=1)
    """
    tp = len(match_spans(gold, predicted, strict=strict))
    return PRF(tp, len(predicted) - tp, len(gold) - tp)


def add_prf(parts: Iterable[PRF]) -> PRF:
    """Micro-average: sum the counts of several documents."""
    tp = fp = fn = 0
    for part in parts:
        tp, fp, fn = tp + part.tp, fp + part.fp, fn + part.fn
    return PRF(tp, fp, fn)


def median(values: Sequence[float]) -> float:
    """The median, or 0.0 for no values (so metrics stay numeric).

    >>> median([3.0, 1.0, 2.0, 10.0]), median([])
    (2.5, 0.0)
    """
    return statistics.median(values) if values else 0.0


def within_km(errors: Sequence[float], km: float = 161.0) -> float:
    """Share of errors within ``km`` (161 km = 100 miles, the usual geocoding threshold).

    >>> within_km([10.0, 200.0, 161.0, 50.0])
    0.75
    """
    return ratio(sum(error <= km for error in errors), len(errors))


def error_auc(errors: Sequence[float]) -> float:
    """Area under the curve of log errors, normalised to 0..1 (lower is better).

    Follows Gritta et al. (2018): each error is scaled as ``ln(1 + km) / ln(1 + 20039)``, and the
    area under the sorted, scaled errors equals their mean.

    >>> error_auc([0.0, 20039.0])
    0.5
    """
    if not errors:
        return 0.0
    scale = math.log1p(MAX_ERROR_KM)
    return sum(math.log1p(min(e, MAX_ERROR_KM)) / scale for e in errors) / len(errors)


def within_pct(gold: int, predicted: int | None, pct: float = 0.2) -> bool:
    """Whether a predicted count is within ``pct`` of the gold count (0 only matches 0).

    >>> within_pct(10, 12), within_pct(10, 13), within_pct(0, 0), within_pct(0, 1)
    (True, False, True, False)
    """
    if predicted is None:
        return False
    return abs(predicted - gold) <= pct * gold + 1e-9
