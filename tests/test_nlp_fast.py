"""Tests for sitreps.nlp_fast: the cached attribute ruler and lemmatizer annotate as spaCy's."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IS_SPACE, LEMMA, MORPH, POS, TAG
from thinc.api import NumpyOps

from sitreps.nlp import load_model
from sitreps.nlp_fast import (
    FastAttributeRuler,
    FastLemmatizer,
    OpenBlasOps,
    _blas_threads,
    speed_up,
)

# Each names the ruler patterns it reaches: multi-token ones ("ai n't", "y'all", "there is"),
# REGEX ("nothin'"), IN / NOT_IN (subordinators, "not", auxiliaries, determiners as pronouns),
# DEP tests ("told you", "it"), and whitespace tokens.
TEXTS = [
    "He ain't here and y'all know it. There is a man who says nothin' to them.",
    "Don't do it; they've been there, haven't they? I'm sure that if it rains, we'll stay.",
    "That is what she did. Which one? Those were killed when the regime shelled Aleppo.",
    "Rebels   shelled\n\nthe town.  \n Government forces have retaken Palmyra, the SOHR said.",
    "",
    " \n ",
]


def _sample_texts() -> list[str]:
    folder = Path(str(resources.files("sitreps").joinpath("data", "sample")))
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]


@pytest.fixture(scope="module")
def models(config):
    """The stock model and the sped-up one, loaded apart (they must share no cache)."""
    return load_model(config.model), speed_up(load_model(config.model))


def test_nlp_fast_replaces_components_in_place(models):
    stock, fast = models
    assert fast.pipe_names == stock.pipe_names
    assert fast.component_names == stock.component_names
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), FastLemmatizer)


def test_nlp_fast_annotates_as_the_stock_model(models):
    stock, fast = models
    texts = TEXTS + _sample_texts()
    # Entities too: the sped-up model's layers multiply with OpenBLAS, not blis.
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, IS_SPACE, ENT_IOB, ENT_TYPE]
    # Twice: the second pass answers from the caches the first one filled.
    for _ in range(2):
        for expected, got in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
            assert numpy.array_equal(expected.to_array(attrs), got.to_array(attrs))
            assert [(t.lemma_, str(t.morph), t.pos_) for t in got] == [
                (t.lemma_, str(t.morph), t.pos_) for t in expected
            ]


def test_nlp_fast_leaves_a_ruler_it_cannot_mirror(config):
    nlp = load_model(config.model)
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "x", "OP": "+"}]], {"POS": "X"})  # operators need the Matcher
    speed_up(nlp)
    assert nlp.get_pipe("attribute_ruler") is ruler
    assert isinstance(nlp.get_pipe("lemmatizer"), FastLemmatizer)


def test_nlp_fast_layers_multiply_with_openblas(models):
    stock, fast = models
    for name, component in fast.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            assert all(isinstance(node.ops, OpenBlasOps) for node in model.walk()), name
    stock_ops = {type(node.ops) for node in stock.get_pipe("ner").model.walk()}
    assert stock_ops == {NumpyOps}  # the stock model loaded beside it is left alone


@pytest.mark.parametrize("trans1, trans2", [(False, False), (False, True), (True, False)])
def test_nlp_fast_openblas_gemm_gives_blis_products(trans1, trans2):
    rng = numpy.random.default_rng(16)
    x = rng.standard_normal((7, 5) if not trans1 else (5, 7), dtype="float32")
    y = rng.standard_normal((5, 3) if not trans2 else (3, 5), dtype="float32")
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = OpenBlasOps().gemm(x, y, trans1=trans1, trans2=trans2)
    numpy.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    out = numpy.empty((8, 3), dtype="float32")
    OpenBlasOps().gemm(x, y, trans1=trans1, trans2=trans2, out=out[1:])  # as the parser calls it
    numpy.testing.assert_allclose(out[1:], expected, rtol=1e-5, atol=1e-6)


def test_nlp_fast_openblas_gemm_restores_the_thread_count():
    before = [info["num_threads"] for info in _blas_threads().info()]
    x = numpy.ones((64, 64), dtype="float32")
    OpenBlasOps().gemm(x, x)
    assert [info["num_threads"] for info in _blas_threads().info()] == before
