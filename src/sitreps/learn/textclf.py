"""A small text classifier (TF-IDF words and word pairs, logistic regression) kept as plain arrays.

scikit-learn fits it; NumPy applies it. The saved form is ``model.json`` (labels, vocabulary,
settings) and ``weights.npz`` (idf, coefficients, intercepts), read with ``allow_pickle=False``,
so a model folder from anywhere holds data only, never code to run.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.npz"
MODEL_FORMAT = "sitreps.text-classifier"
MODEL_FORMAT_VERSION = 1

# ACLED notes open with their date ("On 9 May 2020,", "Around 9 May 2020 (as reported),") and end
# with tags ("[size=no report]"); news has neither, so both are cut before words are counted.
_LEAD_DATE = re.compile(
    r"^\s*(?:on|around|between|during|in|overnight|as of|from|since)\b[^,.]{0,60}?"
    r"\b(?:19|20)\d\d\b[^,]{0,40},\s*",
    re.IGNORECASE,
)
_TAG = re.compile(r"\[[^\]]*\]")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]+|0")


class ModelFileError(ValueError):
    """A model folder is missing its files or holds a model of another format or version."""


def normalise(text: str) -> str:
    """Lower-case text without ACLED's date lead and tags, digits folded to ``0``.

    >>> normalise("On 9 May 2020, 12 protesters marched in Haifa. [size=no report]")
    '0 protesters marched in haifa.'
    """
    text = _LEAD_DATE.sub("", _TAG.sub(" ", text))
    return _DIGITS.sub("0", " ".join(text.split())).lower()


def features(text: str) -> list[str]:
    """The words and adjacent word pairs of a normalised text: what the classifier counts.

    >>> features("Troops shelled the town")
    ['troops', 'shelled', 'the', 'town', 'troops shelled', 'shelled the', 'the town']
    """
    words = _WORD.findall(normalise(text))
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass(frozen=True, slots=True)
class TextClassifier:
    """Labels, vocabulary and weights of a fitted classifier; ``predict_proba`` needs only NumPy."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict[str, Any]

    def vectorise(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's TF-IDF row as scikit-learn computes it ((1 + log tf) x idf, unit length),
        kept sparse: the columns of its known terms and their weights."""
        counts = Counter(t for t in features(text) if t in self.vocabulary)
        columns = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64,
                              count=len(counts))
        values = np.fromiter((1.0 + np.log(n) for n in counts.values()), dtype=np.float64,
                             count=len(counts)) * self.idf[columns]
        norm = float(np.linalg.norm(values))
        return columns, values / norm if norm else values

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """One row of label probabilities per text (columns in ``labels`` order)."""
        scores = np.empty((len(texts), self.coef.shape[0]), dtype=np.float64)
        for row, text in enumerate(texts):
            columns, values = self.vectorise(text)
            scores[row] = self.coef[:, columns] @ values + self.intercept
        if len(self.labels) == 2 and scores.shape[1] == 1:
            scores = np.hstack([-scores, scores])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, folder: str | Path) -> Path:
        """Write ``model.json`` and ``weights.npz`` into ``folder`` (created if missing)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        header = {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "labels": list(self.labels),
            "vocabulary": terms,
            "meta": self.meta,
        }
        (folder / MODEL_FILE).write_text(json.dumps(header, ensure_ascii=False), "utf-8")
        np.savez_compressed(
            folder / WEIGHTS_FILE,
            idf=self.idf.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
        )
        return folder


def load_classifier(folder: str | Path) -> TextClassifier:
    """Read a classifier saved by :meth:`TextClassifier.save`; data only, no pickle."""
    folder = Path(folder)
    try:
        header = json.loads((folder / MODEL_FILE).read_text("utf-8"))
        with np.load(folder / WEIGHTS_FILE, allow_pickle=False) as arrays:
            idf, coef, intercept = arrays["idf"], arrays["coef"], arrays["intercept"]
    except (OSError, ValueError, KeyError) as error:
        raise ModelFileError(
            f"{folder} is not a sitreps model folder ({error}); train one with `sitreps train`."
        ) from error
    if header.get("format") != MODEL_FORMAT or header.get("format_version") != MODEL_FORMAT_VERSION:
        raise ModelFileError(
            f"{folder / MODEL_FILE} holds format {header.get('format')!r} version "
            f"{header.get('format_version')!r}; this sitreps reads {MODEL_FORMAT!r} version "
            f"{MODEL_FORMAT_VERSION}: train the model again."
        )
    terms = header["vocabulary"]
    labels = tuple(header["labels"])
    if coef.shape != (len(labels) if len(labels) > 2 else 1, len(terms)) or idf.shape != (
        len(terms),
    ):
        raise ModelFileError(f"{folder / WEIGHTS_FILE} does not match {folder / MODEL_FILE}.")
    return TextClassifier(
        labels=labels,
        vocabulary={term: index for index, term in enumerate(terms)},
        idf=idf.astype(np.float64),
        coef=coef.astype(np.float64),
        intercept=intercept.astype(np.float64),
        meta=dict(header.get("meta", {})),
    )


@contextmanager
def _no_pandas_placeholder() -> Iterator[None]:
    """Hide the ``None`` that ``sitreps.store.duckdb`` puts in ``sys.modules["pandas"]``.

    The store marks pandas missing so DuckDB stops retrying its import; scikit-learn reads
    ``sys.modules["pandas"]`` and would take that ``None`` for the module.
    """
    placeholder = "pandas" in sys.modules and sys.modules["pandas"] is None
    if placeholder:
        del sys.modules["pandas"]
    try:
        yield
    finally:
        if placeholder and "pandas" not in sys.modules:
            sys.modules["pandas"] = None  # type: ignore[assignment]


def fit_classifier(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    seed: int = 0,
    regularisation: float = 4.0,
    min_df: int = 2,
    meta: dict[str, Any] | None = None,
) -> TextClassifier:
    """Fit TF-IDF + logistic regression with scikit-learn and keep only the arrays.

    Classes are weighted by inverse frequency, so a common type (peaceful protest is a third of
    ACLED's notes) does not swallow the rarer ones a news reader cares about.
    """
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as error:  # pragma: no cover - the train extra is missing
        raise ImportError(
            "training needs scikit-learn: pip install 'sitreps[train]'"
        ) from error
    min_df = min_df if len(texts) >= 50 else 1
    vectoriser = TfidfVectorizer(analyzer=features, min_df=min_df, sublinear_tf=True)
    model = LogisticRegression(
        C=regularisation, class_weight="balanced", max_iter=2000, random_state=seed
    )
    with _no_pandas_placeholder():
        matrix = vectoriser.fit_transform(list(texts))
        model.fit(matrix, list(labels))
    vocabulary = {str(term): int(index) for term, index in vectoriser.vocabulary_.items()}
    return TextClassifier(
        labels=tuple(str(label) for label in model.classes_),
        vocabulary=vocabulary,
        idf=np.asarray(vectoriser.idf_, dtype=np.float64),
        coef=np.asarray(model.coef_, dtype=np.float64),
        intercept=np.asarray(model.intercept_, dtype=np.float64),
        meta=dict(meta or {}),
    )
