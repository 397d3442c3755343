"""Tests for sitreps.ingest exact ids and near-duplicate detection."""

from __future__ import annotations

from sitreps.ingest import (
    NearDuplicateIndex,
    article_id,
    is_near_duplicate,
    jaccard,
    make_article,
    near_duplicate_key,
)
from sitreps.records import Article

STORY = (
    "Syrian government forces backed by Russian air strikes advanced on the rebel-held town of "
    "Khan Sheikhoun on Monday, taking two villages on its northern edge after a night of heavy "
    "fighting, a war monitor and rebel officials said. The Syrian Observatory for Human Rights "
    "said at least 23 fighters were killed on both sides, and that thousands of families had "
    "fled north towards the Turkish border in the past week. Rebel commanders said they had "
    "sent reinforcements from Idlib province and would counter-attack, while state media said "
    "the army was clearing mines and booby traps left in the captured villages. The offensive "
    "is the deepest push into the last big rebel stronghold since a truce brokered by Russia "
    "and Turkey collapsed earlier this year, and aid agencies warned of a new wave of "
    "displacement as temperatures rise in overcrowded camps along the frontier."
)
LIGHT_EDIT = "DAMASCUS (Reuters) - " + STORY.replace("on Monday", "on Monday morning").replace(
    "at least 23", "at least 24"
)
DIFFERENT = (
    "Protesters gathered in the centre of Sweida for a third day on Sunday, demanding better "
    "living conditions and chanting against rising prices, witnesses said. Security forces "
    "watched from a distance and did not intervene, and the governor promised to meet a "
    "delegation of local elders to hear their complaints about fuel shortages and power cuts "
    "that have left many households with only a few hours of electricity each day."
)


def test_ingest_dedup_exact_id_ignores_whitespace() -> None:
    story = STORY.replace(" The Syrian", "\n\nThe Syrian")
    messy = "  " + story.replace(". ", ".  ").replace("\n", " \r\n").replace("y ", "y\u00a0")
    assert article_id(messy + "\t\r\n\r\n\r\n") == article_id(story)
    assert article_id(messy) != article_id(STORY)  # paragraph breaks are part of the text
    a, b = make_article(messy), make_article(story)
    assert isinstance(a, Article) and isinstance(b, Article) and a.id == b.id


def test_ingest_dedup_id_is_sha256_of_text() -> None:
    article = make_article(STORY)
    assert isinstance(article, Article)
    assert len(article.id) == 64 and article.id == article_id(article.text)


def test_ingest_dedup_near_duplicate_found_for_light_edit() -> None:
    assert jaccard(STORY, LIGHT_EDIT) >= 0.8
    assert is_near_duplicate(STORY, LIGHT_EDIT)
    index = NearDuplicateIndex()
    index.add("original", STORY)
    index.add("other", DIFFERENT)
    assert index.find(LIGHT_EDIT) == "original"
    assert index.find(STORY) == "original"


def test_ingest_dedup_not_found_for_different_article() -> None:
    index = NearDuplicateIndex.from_pairs([("original", STORY)])
    assert len(index) == 1 and "original" in index
    assert index.find(DIFFERENT) is None
    assert not is_near_duplicate(STORY, DIFFERENT)
    assert index.find("") is None


def test_ingest_dedup_returns_earliest_match() -> None:
    index = NearDuplicateIndex.from_pairs([("first", STORY), ("second", LIGHT_EDIT)])
    assert index.find(STORY + " Reporting by staff.") == "first"


def test_ingest_dedup_key_is_deterministic_and_case_insensitive() -> None:
    assert near_duplicate_key(STORY) == near_duplicate_key(STORY.upper())
    assert near_duplicate_key(STORY) != near_duplicate_key(DIFFERENT)
