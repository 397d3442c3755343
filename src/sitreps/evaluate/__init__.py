"""Measured accuracy: gold-set readers, one shared scorer, the report and the CI floors.

``evaluate_dataset(name, path)`` reads a public gold set, runs sitreps over it and scores it;
``sitreps eval`` (``command.py``) and ``tests/test_evaluate_gate.py`` both go through it.
"""

from sitreps.evaluate.datasets import (
    DATASETS,
    EvalResult,
    UnknownDataset,
    evaluate_dataset,
    get_dataset,
)
from sitreps.evaluate.readers import GoldFormatError

__all__ = [
    "DATASETS",
    "EvalResult",
    "GoldFormatError",
    "UnknownDataset",
    "evaluate_dataset",
    "get_dataset",
]
