"""Faster stand-ins for the model's attribute ruler and lemmatizer, with the same output.

The small English model's ``attribute_ruler`` (tag map and exceptions: POS, MORPH, some
lemmas) runs its 179 patterns through spaCy's token ``Matcher``, and its rule ``lemmatizer``
walks every token in Python; together they took about a sixth of the pipeline's CPU on 300
FA-KES articles (issue 16). Both depend only on a few attributes of each token, which repeat
from token to token and doc to doc, so their answers are cached by those attributes:

* :class:`FastAttributeRuler` reads a token's (TAG, LOWER, DEP, IS_SPACE) and looks up the
  patterns that match it, evaluated once per distinct combination with the ``Matcher``'s rules
  (equality, ``IN``, ``NOT_IN``, ``REGEX``); multi-token patterns are checked token by token.
  The matched attributes are set as the ruler sets them: later patterns win.
* :class:`FastLemmatizer` looks up a token's lemma by (ORTH, POS, MORPH), the key of spaCy's own
  lemma cache, and asks the model's lemmatizer only for a key it has not seen (with its word
  lists as sets, which its rules only test for membership).

The model's layers also multiply their matrices with numpy's BLAS instead of blis
(:class:`OpenBlasOps`): the same products in about a third of the time on this project's
machine, which made the pipeline about a tenth cheaper.

A ruler or lemmatizer these cannot mirror (other pattern operators, another lemmatizer mode) is
left as it is: :func:`speed_up` changes nothing then. ``tests/test_nlp_fast.py`` compares every
token attribute with the stock components'.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from thinc.api import NumpyOps

# The token attributes the ruler's patterns may test, in the order of a token's signature.
_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_ATTR_IDS = (TAG, LOWER, DEP, IS_SPACE)
_OPERATORS = frozenset({"IN", "NOT_IN", "REGEX"})

Signature = tuple[int, int, int, int]
Test = Callable[[Signature], bool]


def _value_test(position: int, value, strings) -> tuple[Test, frozenset[int] | None] | None:
    """A test of one attribute of a signature, as the ``Matcher`` runs it, and the values it
    needs (None: any may pass); None if unsupported."""
    if isinstance(value, bool) or isinstance(value, str):
        wanted = int(value) if isinstance(value, bool) else strings.add(value)
        return (lambda sig: sig[position] == wanted), frozenset({wanted})
    if not isinstance(value, dict) or len(value) != 1 or not set(value) <= _OPERATORS:
        return None
    [(operator, operand)] = value.items()
    if operator == "REGEX":
        if not isinstance(operand, str):
            return None
        regex = re.compile(operand)
        return (lambda sig: bool(regex.search(strings[sig[position]]))), None
    if not isinstance(operand, list) or not all(isinstance(v, str) for v in operand):
        return None
    members = frozenset(strings.add(v) for v in operand)
    if operator == "IN":
        return (lambda sig: sig[position] in members), members
    return (lambda sig: sig[position] not in members), None


# A token test, and the attribute and values a token needs to pass it (None: no such one).
TokenTest = tuple[Test, tuple[int, frozenset[int]] | None]


def _token_test(spec: dict, strings) -> TokenTest | None:
    """A test of one token of a pattern (all its attributes), or None if unsupported."""
    tests = []
    needs = None
    for key, value in spec.items():
        if key not in _ATTRS:
            return None
        found = _value_test(_ATTRS.index(key), value, strings)
        if found is None:
            return None
        tests.append(found[0])
        if needs is None and found[1] is not None:
            needs = (_ATTRS.index(key), found[1])
    return (lambda sig: all(test(sig) for test in tests)), needs


class FastAttributeRuler:
    """The model's ``AttributeRuler`` with its matches cached by token signature."""

    def __init__(self, ruler) -> None:
        self.ruler = ruler
        strings = ruler.vocab.strings
        # Single-token rules by a value their token needs (attribute, value -> rules), so a
        # new signature is tried against a few rules, not all; rules needing none: ``anywhere``.
        self.single: dict[tuple[int, int], list[tuple[int, Test]]] = {}
        self.anywhere: list[tuple[int, Test]] = []
        self.multi: list[tuple[int, tuple[Test, ...]]] = []
        self.supported = True
        for rule, entry in enumerate(ruler.patterns):
            for alternative in entry["patterns"]:
                tests = [_token_test(spec, strings) for spec in alternative]
                if not tests or any(test is None for test in tests):
                    self.supported = False
                    return
                if len(tests) > 1:
                    self.multi.append((rule, tuple(test[0] for test in tests)))  # type: ignore
                    continue
                test, needs = tests[0]  # type: ignore[misc]
                if needs is None:
                    self.anywhere.append((rule, test))
                    continue
                position, values = needs
                for value in values:
                    self.single.setdefault((position, value), []).append((rule, test))
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        # signature -> (single-token rules it matches, ascending; their attrs merged in that
        # order; the multi-token rules, by number, whose first token it matches)
        self._signatures: dict[Signature, tuple[tuple[int, ...], dict, tuple[int, ...]]] = {}
        # (multi rule number, token offset, signature) -> whether that token matches
        self._steps: dict[tuple[int, int, Signature], bool] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        signatures: list[Signature] = [
            tuple(row) for row in doc.to_array(list(_ATTR_IDS)).tolist()
        ]  # type: ignore[misc]
        known = self._signatures
        readings = []
        extra: dict[int, list[int]] = {}
        for start, signature in enumerate(signatures):
            reading = known.get(signature)
            if reading is None:
                reading = known[signature] = self._read(signature)
            readings.append(reading)
            for number in reading[2]:
                self._match_multi(number, start, signatures, extra)
        for i, (rules, merged, _) in enumerate(readings):
            if i in extra:
                # A multi-token rule sets this token too: every rule applies in rule order.
                merged = {}
                for rule in sorted({*rules, *extra[i]}):
                    merged.update(self.attrs[rule])
            if merged:
                set_token_attrs(doc[i], merged)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def _read(self, signature: Signature) -> tuple[tuple[int, ...], dict, tuple[int, ...]]:
        """What the rules make of a token with this signature (see ``_signatures``)."""
        candidates = list(self.anywhere)
        for position, value in enumerate(signature):
            candidates += self.single.get((position, value), ())
        rules = tuple(sorted({rule for rule, test in candidates if test(signature)}))
        merged: dict = {}
        for rule in rules:
            merged.update(self.attrs[rule])
        firsts = tuple(n for n, (_, tests) in enumerate(self.multi) if tests[0](signature))
        return rules, merged, firsts

    def _match_multi(
        self, number: int, start: int, signatures: list[Signature], found: dict[int, list[int]]
    ) -> None:
        """Record the token a multi-token rule sets if it matches from ``start``."""
        rule, tests = self.multi[number]
        length = len(tests)
        if start + length > len(signatures):
            return
        for offset in range(1, length):
            key = (number, offset, signatures[start + offset])
            ok = self._steps.get(key)
            if ok is None:
                ok = self._steps[key] = tests[offset](signatures[start + offset])
            if not ok:
                return
        index = self.indices[rule]
        target = start + (index if index >= 0 else length + index)
        found.setdefault(target, []).append(rule)


class FastLemmatizer:
    """The model's rule ``Lemmatizer`` with its lemmas cached by (ORTH, POS, MORPH)."""

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.supported = lemmatizer.mode == "rule" and not lemmatizer.overwrite
        self._lemmas: dict[tuple[int, int, int], int] = {}
        if self.supported and "lemma_index" in lemmatizer.lookups.tables:
            # The rule lemmatizer tests ``form in index`` on lists of ~60,000 words per part
            # of speech (most of its time); sets answer the same.
            table = lemmatizer.lookups.get_table("lemma_index")
            for key, words in list(table.items()):
                if isinstance(words, list):
                    table[key] = frozenset(words)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lemmas = self._lemmas
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = lemmas.get(key)
            if found is None:
                found = lemmas[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            rows[i, 3] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], rows[:, 3:4].copy())
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


@lru_cache(maxsize=1)
def _blas_threads():
    """The process's BLAS thread-pool controls (found once: finding them takes ~15 ms)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class OpenBlasOps(NumpyOps):
    """thinc's CPU ops with numpy's matrix product (OpenBLAS) in place of blis, on one thread.

    thinc multiplies with blis, whose kernels ran the model's products (tokens x 288 by
    288 x 288 and the like) three times slower than numpy's OpenBLAS here, in CPU seconds
    (issue 16): about 2 of the pipeline's 20 CPU-seconds on 300 FA-KES articles. One thread,
    as blis uses: sitreps scales out with worker processes, and a second BLAS thread only
    spins on a busy core. Every token attribute and entity equals the blis-backed model's
    (``tests/test_nlp_fast.py``; 300 FA-KES articles gave byte-identical exports), though
    two BLAS libraries may round the last bit of a product differently on other CPUs.
    """

    def __init__(self) -> None:
        super().__init__(use_blis=False)

    def gemm(self, x, y, *, out=None, trans1: bool = False, trans2: bool = False):
        with _blas_threads().limit(limits=1, user_api="blas"):
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)


def use_openblas(nlp: Language) -> Language:
    """Give every layer of the pipeline's models :class:`OpenBlasOps` (weights untouched)."""
    ops = OpenBlasOps()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:  # CPU ops only; leave any other as it is
                node.ops = ops
    return nlp


def speed_up(nlp: Language) -> Language:
    """Swap the model's ``attribute_ruler`` and ``lemmatizer`` for their cached stand-ins, and
    its layers' blis matrix products for numpy's (:class:`OpenBlasOps`).

    Components keep their names and places; one that cannot be mirrored stays as it is.
    """
    use_openblas(nlp)
    for name, make in (("attribute_ruler", FastAttributeRuler), ("lemmatizer", FastLemmatizer)):
        if name not in nlp.pipe_names:
            continue
        fast = make(nlp.get_pipe(name))
        if fast.supported:
            # component_names, not pipe_names: the model has a disabled "senter" too.
            index = nlp.component_names.index(name)
            nlp._components[index] = (name, fast)  # keeps the name, the place and the meta
    return nlp
