"""Near-duplicate detection: MinHash over word 5-shingles with LSH banding.

Wire copies of one agency story reach many outlets with a changed headline, a dropped sentence or
a different dateline. Exact ids (sha256 of the normalised text) miss those, so the store asks a
``NearDuplicateIndex`` whether an incoming article is a light edit of one it already holds.
Everything is deterministic: the hash functions are derived from blake2b, never from ``random``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
# 32 bands of 4 rows: a pair with Jaccard 0.8 becomes a candidate with probability > 0.9999,
# a pair at 0.3 with probability ~0.23; candidates are then checked against the threshold.
BANDS = 32
ROWS = NUM_PERM // BANDS
DEFAULT_THRESHOLD = 0.8

_MERSENNE = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1
_MAX_COEFFICIENT = (1 << 31) - 1
# Shingles per vectorised block: bounds memory at NUM_PERM x 4096 x 8 bytes (4 MiB).
_BLOCK = 4096
_WORD = re.compile(r"\w+")


def _seeded(index: int, salt: bytes) -> int:
    """Derive a fixed 64-bit coefficient from a permutation index."""
    digest = hashlib.blake2b(index.to_bytes(4, "big"), digest_size=8, salt=salt).digest()
    return int.from_bytes(digest, "big")


# Coefficients below 2**31 and shingle hashes below 2**32 keep a * h + b under 2**64, so the
# permutations run exactly in numpy's uint64 (pure-Python big ints took 70% of ingest time).
_PERMUTATIONS: tuple[tuple[int, int], ...] = tuple(
    (_seeded(i, b"sitreps-a") % _MAX_COEFFICIENT + 1, _seeded(i, b"sitreps-b") % _MERSENNE)
    for i in range(NUM_PERM)
)
_A = np.array([a for a, _ in _PERMUTATIONS], dtype=np.uint64)[:, None]
_B = np.array([b for _, b in _PERMUTATIONS], dtype=np.uint64)[:, None]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Return the hashed, case-folded word ``size``-shingles of a text.

    A text shorter than ``size`` words is one shingle, so short texts still compare.

    >>> len(shingles("one two three four five six"))
    2
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return set()
    grams = (
        [" ".join(words)]
        if len(words) < size
        else [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    )
    return {
        int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big")
        for g in grams
    }


def jaccard(a: str, b: str) -> float:
    """Return the exact Jaccard similarity of the 5-shingle sets of two texts.

    >>> jaccard("the army shelled the town at dawn", "the army shelled the town at dawn")
    1.0
    """
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def is_near_duplicate(a: str, b: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Say whether two texts are near-duplicates (exact 5-shingle Jaccard >= ``threshold``)."""
    return jaccard(a, b) >= threshold


def near_duplicate_key(text: str) -> tuple[int, ...]:
    """Return the MinHash signature of a text: ``NUM_PERM`` ints, ``()`` for a text with no words.

    The share of equal positions in two signatures estimates the Jaccard similarity of the texts.

    >>> len(near_duplicate_key("Government forces shelled the market")), near_duplicate_key("")
    (128, ())
    """
    hashed = shingles(text)
    if not hashed:
        return ()
    values = np.fromiter((h & _MAX_HASH for h in hashed), dtype=np.uint64, count=len(hashed))
    signature = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(values), _BLOCK):
        block = values[None, start : start + _BLOCK]
        permuted = ((_A * block + _B) % np.uint64(_MERSENNE)) & np.uint64(_MAX_HASH)
        np.minimum(signature, permuted.min(axis=1), out=signature)
    return tuple(int(v) for v in signature)


def signature_similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimate the Jaccard similarity of two texts from their MinHash signatures."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


class NearDuplicateIndex:
    """An in-memory LSH index of MinHash signatures, answering "is this a copy of one we have?".

    >>> index = NearDuplicateIndex()
    >>> index.add("a1", "Syrian government forces shelled the rebel-held town of Saraqeb on Monday")
    >>> index.find("Syrian government forces shelled the rebel-held town of Saraqeb on Monday.")
    'a1'
    >>> index.find("Turkish troops entered Afrin after a two month offensive") is None
    True
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._signatures: dict[str, tuple[int, ...]] = {}
        self._order: dict[str, int] = {}
        self._buckets: dict[tuple[int, tuple[int, ...]], list[str]] = {}

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
    ) -> NearDuplicateIndex:
        """Build an index from existing ``(article_id, text)`` pairs, e.g. read from the store."""
        index = cls(threshold)
        for article_id, text in pairs:
            index.add(article_id, text)
        return index

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def add(self, article_id: str, text: str) -> None:
        """Index an article; adding an id twice keeps the first text."""
        if article_id in self._signatures:
            return
        self.add_signature(article_id, near_duplicate_key(text))

    def add_signature(self, article_id: str, signature: tuple[int, ...]) -> None:
        """Index a precomputed signature, so callers that already hashed a text don't redo it."""
        if article_id in self._signatures or not signature:
            return
        self._order[article_id] = len(self._order)
        self._signatures[article_id] = signature
        for band in range(BANDS):
            key = (band, signature[band * ROWS : (band + 1) * ROWS])
            self._buckets.setdefault(key, []).append(article_id)

    def similarity(self, article_id: str, signature: tuple[int, ...]) -> float:
        """Estimated Jaccard similarity between an indexed article and a signature."""
        return signature_similarity(signature, self._signatures.get(article_id, ()))

    def find(self, text: str) -> str | None:
        """Return the id of the earliest indexed article that ``text`` near-duplicates, or None."""
        return self.find_signature(near_duplicate_key(text))

    def find_signature(self, signature: tuple[int, ...]) -> str | None:
        """Like ``find``, for a precomputed ``near_duplicate_key``."""
        if not signature:
            return None
        candidates: set[str] = set()
        for band in range(BANDS):
            key = (band, signature[band * ROWS : (band + 1) * ROWS])
            candidates.update(self._buckets.get(key, ()))
        matches = [
            c
            for c in candidates
            if signature_similarity(signature, self._signatures[c]) >= self.threshold
        ]
        return min(matches, key=self._order.__getitem__) if matches else None
