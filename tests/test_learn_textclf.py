"""The text classifier: NumPy inference equals scikit-learn's, and the saved form is data only."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sitreps.learn.textclf import (
    MODEL_FILE,
    ModelFileError,
    _no_pandas_placeholder,
    features,
    fit_classifier,
    load_classifier,
)

TEXTS = [
    "troops shelled the town at dawn", "artillery shelled the village again",
    "students marched for lower fees", "crowds marched peacefully downtown",
    "gunmen shot a farmer", "a farmer was shot by gunmen",
]
LABELS = ["shell", "shell", "march", "march", "shoot", "shoot"]


def test_textclf_numpy_probabilities_equal_scikit_learns():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    model = fit_classifier(TEXTS, LABELS, min_df=1)
    vectoriser = TfidfVectorizer(analyzer=features, sublinear_tf=True)
    reference = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=0)
    probe = ["artillery shelled the market", "a crowd marched", "nothing known here"]
    with _no_pandas_placeholder():  # the store's pandas marker, when another test imported it
        reference.fit(vectoriser.fit_transform(TEXTS), LABELS)
        expected = reference.predict_proba(vectoriser.transform(probe))
    assert model.labels == tuple(reference.classes_)
    np.testing.assert_allclose(model.predict_proba(probe), expected, atol=1e-9)


def test_textclf_save_and_load_round_trip_without_pickle(tmp_path):
    model = fit_classifier(TEXTS, LABELS, meta={"kind": "test"})
    loaded = load_classifier(model.save(tmp_path / "m"))
    probe = ["gunmen shot two people", "troops shelled"]
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe), atol=1e-5)
    assert loaded.meta == {"kind": "test"}
    with np.load(tmp_path / "m" / "weights.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype == np.float32 for name in arrays.files)


def test_textclf_two_labels_give_two_columns(tmp_path):
    model = fit_classifier(TEXTS[:4], LABELS[:4])
    rows = load_classifier(model.save(tmp_path / "m")).predict_proba(["artillery shelled"])
    assert rows.shape == (1, 2) and rows[0].argmax() == model.labels.index("shell")


def test_textclf_load_refuses_a_folder_of_another_format(tmp_path):
    folder = fit_classifier(TEXTS, LABELS).save(tmp_path / "m")
    header = json.loads((folder / MODEL_FILE).read_text())
    (folder / MODEL_FILE).write_text(json.dumps({**header, "format_version": 99}))
    with pytest.raises(ModelFileError, match="train the model again"):
        load_classifier(folder)
    with pytest.raises(ModelFileError, match="not a sitreps model folder"):
        load_classifier(tmp_path / "nothing")
