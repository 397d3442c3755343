"""Tests for sitreps.ingest text helpers: normalisation, dates, encodings, make_article."""

from __future__ import annotations

import socket
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitreps.ingest import make_article, normalise_text, parse_date
from sitreps.ingest import text as ingest_text
from sitreps.ingest.text import decode_bytes, find_leading_date, html_to_text, sniff_encoding
from sitreps.records import Article, IngestError

BODY = "Government forces shelled the rebel-held town of Saraqeb on Monday, a monitor said."


def test_ingest_normalise_text_rules() -> None:
    raw = "Cafe\u0301\r\nline\u00a0\u00a0two\x07\tend\r\r\r\rlast  "
    assert normalise_text(raw) == "Café\nline two\tend\n\nlast"


@given(st.text())
def test_ingest_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


def test_ingest_make_article_fields() -> None:
    article = make_article(
        BODY,
        title="  Saraqeb\nshelled ",
        published=datetime(2017, 4, 5, 12, 0),
        url="http://x.invalid/a",
        source="wire",
        origin="test",
        lede="Lede.",
    )
    assert isinstance(article, Article)
    assert article.title == "Saraqeb shelled"
    assert article.published == date(2017, 4, 5)
    assert (article.url, article.source, article.origin, article.lede) == (
        "http://x.invalid/a",
        "wire",
        "test",
        "Lede.",
    )
    assert article.language == "en" and article.ingested_at is not None


def test_ingest_make_article_refusals() -> None:
    empty = make_article(" \n ")
    short = make_article("Ten dead.")
    assert isinstance(empty, IngestError) and empty.reason == "empty text"
    assert isinstance(short, IngestError) and short.reason.startswith("too short")


def test_ingest_leading_date_is_conservative() -> None:
    assert find_leading_date("30 October 2016 35 cases of suffocation") == date(2016, 10, 30)
    assert find_leading_date("35 people were killed on 30 October 2016") is None
    assert parse_date("31/12/2016") is None  # d/m/y is not a supported form


def test_ingest_sniff_encodings() -> None:
    arabic = "قصفت القوات الحكومية مدينة سراقب"
    assert sniff_encoding(arabic.encode("cp1256")) == "cp1256"
    assert sniff_encoding("x".encode("utf-16")) == "utf-16"
    assert sniff_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert decode_bytes(b"\x00\x01binary") is None


def test_ingest_html_to_text_drops_scripts() -> None:
    assert html_to_text("<p>One</p><script>x()</script><p>Two &amp; three</p>") == (
        "One\n\nTwo & three"
    )


def test_ingest_language_detection_is_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("language detection tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(ingest_text, "_detector", None)
    assert ingest_text.detect_language(BODY) == "en"


# --- page boilerplate (issue 13, class 2); every page below is invented -----------------------

NEWS = "Militia fighters shelled the village of Kafr Nabl on Sunday, killing four farmers."


@pytest.mark.parametrize(
    ("page", "dropped"),
    [
        (f"Posted on 2 March 2019 {NEWS}", "Posted on 2 March 2019"),
        (f"Last updated at Mar 032019 {NEWS}", "Last updated at Mar 032019"),
        (f"Sun 03 Mar 2019 {NEWS}", "Sun 03 Mar 2019"),
        (f"{NEWS} Tags Idlib Kafr Nabl militia shelling", "Tags Idlib Kafr Nabl militia shelling"),
        (f"Tags Idlib militia shelling {NEWS}", "Tags Idlib militia shelling"),
        (f"{NEWS} Source Reuters Related News Floods hit the coast | Markets rally",
         "Source Reuters Related News Floods hit the coast | Markets rally"),
        (f"{NEWS} (Source: Local Council Press Office) Twitter",
         "(Source: Local Council Press Office) Twitter"),
        (f"{NEWS} - AFP", "- AFP"),
        (f"{NEWS} Read also", "Read also"),
        (f"{NEWS} The Daily Courier The Daily Courier is the world's leading paper on river "
         "trade. Founded in Lagos in 1961 it has established itself as a reference.",
         "The Daily Courier The Daily Courier is the world's leading paper on river trade. "
         "Founded in Lagos in 1961 it has established itself as a reference."),
        (f"{NEWS} This article is an edited translation of our French edition.",
         "This article is an edited translation of our French edition."),
        (f"Print Tweet Views 912 {NEWS}", "Print Tweet Views 912"),
        (f"04.03.2016Get short URL 0 0 0 {NEWS}", "04.03.2016Get short URL 0 0 0"),
        (f"Get short URL Topic Siege of the Old Port (214) 0 25 {NEWS}",
         "Get short URL Topic Siege of the Old Port (214) 0 25"),
        (f"{NEWS} 67 Related Rebel Faction Rejects Ceasefire Deal Aid Convoy Reaches Town",
         "67 Related Rebel Faction Rejects Ceasefire Deal Aid Convoy Reaches Town"),
    ],
)  # fmt: skip
def test_ingest_strip_boilerplate_drops_page_furniture(page: str, dropped: str) -> None:
    stripped = ingest_text.strip_boilerplate(page)
    assert stripped.text == NEWS
    assert stripped.dropped == (dropped,)


@pytest.mark.parametrize(
    ("credit", "prose"),
    [
        ("REUTERS Jane Doe Army Seizes Border Post in al-Rai", "Rebel fighters said"),
        ("Sputnik John Smith Rebels Shell Market in Town of Ariha", "DAMASCUS (Sputnik) Rebels"),
        ("AP Photo Jane Doe Jets Strike Convoy Near Deir ez-Zor", "The army said"),
    ],
)  # fmt: skip
def test_ingest_strip_boilerplate_credit_and_linked_headline(credit: str, prose: str) -> None:
    """A photo credit and the linked story's headline after it are page furniture: the
    headline's "Army Seizes Border Post" must not become an event."""
    page = f"{NEWS} {credit} {prose} the road was closed on Monday."
    stripped = ingest_text.strip_boilerplate(page)
    assert stripped.text == f"{NEWS} {prose} the road was closed on Monday."
    assert stripped.dropped == (credit,)


def test_ingest_strip_boilerplate_tag_cloud_ends_where_prose_starts() -> None:
    page = (
        "Tags Hama rebels the Free Army Local gunmen and army deserters stormed a checkpoint "
        "near Hama on Friday."
    )
    stripped = ingest_text.strip_boilerplate(page)
    assert stripped.dropped == ("Tags Hama rebels the Free Army",)
    assert stripped.text.startswith("Local gunmen and army deserters stormed")


@pytest.mark.parametrize(
    ("lede", "kept"),
    [
        ("At least 12 people were killed when a car bomb went off in Azaz on Friday.", True),
        ("Nearly 40 soldiers were killed when rebels blew up a tunnel in Aleppo.", True),
        ("-A double bomb attack killed 31 people in Qamishli on Wednesday.", True),
    ],
)
def test_ingest_strip_boilerplate_linked_headlines_before_the_lede(lede: str, kept: bool) -> None:
    """Linked headlines between a page's header and its first sentence are no text: they end
    where the lede opens, and the lede is kept whole."""
    related = "Related Jordan opens a new camp for refugees Talks stall over aid convoys to Homs"
    page = f"Car bomb kills 12 in northern town {related} {lede} Rescuers searched the rubble."
    stripped = ingest_text.strip_boilerplate(page)
    assert related in stripped.dropped
    assert (lede in stripped.text) is kept and "Jordan opens" not in stripped.text


def test_ingest_strip_boilerplate_related_headlines_with_no_lede_in_sight_are_kept() -> None:
    words = " ".join(["strikes hit convoy"] * 30)
    page = f"Syria update Related {words}."
    assert ingest_text.strip_boilerplate(page).text.startswith("Syria update Related")


def test_ingest_strip_boilerplate_caption_and_tweet() -> None:
    caption = (
        "A boy walks past a burnt bus in the old market of Ariha, Syria March 2 2019. (Reuters "
        "Photo)"
    )
    tweet = "Rescuers are digging now pic.twitter.comAbC123 Some Reporter (someone) March 3 2019"
    stripped = ingest_text.strip_boilerplate(f"{caption} {NEWS} {tweet} {NEWS}")
    assert stripped.text == f"{NEWS} Rescuers are digging now {NEWS}"
    assert stripped.dropped[0] == caption


@pytest.mark.parametrize(
    "caption",
    [
        # ". REUTERS/Stringer": an agency and its photographer after a dated caption
        "Burnt trucks stand at the gate of an army base after it was taken by fighters outside "
        "the town of Tabqa August 12 2014. REUTERS/Stringer",
        # "(AP)" after a dated caption's full stop
        "Two heads of state talk to reporters outside the West Wing in Washington Thursday "
        "March 9 2017. (AP)",
        # "(Reuters)" straight after the caption's date, no full stop
        "A burnt-out army checkpoint is seen after rebels said they seized it on a road that "
        "links two northern towns May 3 2015 (Reuters)",
    ],
)
def test_ingest_strip_boilerplate_dated_caption_with_its_credit(caption: str) -> None:
    stripped = ingest_text.strip_boilerplate(f"{NEWS} {caption} {NEWS}")
    assert stripped.text == f"{NEWS} {NEWS}"
    assert stripped.dropped == (caption,)


@pytest.mark.parametrize(
    "text",
    [
        NEWS,
        f"{NEWS} The ministry said the strikes were over, the agency reported (AFP) on Monday.",
        f"{NEWS} The rebels have held the town since 2015 (Reuters) and still hold it.",
        f"{NEWS} A security source said the tags on the bodies were missing.",
        f"{NEWS} The AFP/Reuters tally of the dead rose to ten.",
        f"{NEWS} Read more about the siege in our special report, which covers the winter of "
        "the blockade, the convoys that never arrived and the doctors who stayed behind in the "
        "town until the last clinic was destroyed by shelling in the spring.",
        f"Related talks in Geneva stalled. {NEWS}",
        f"{NEWS} Related to the siege, aid groups said two convoys were turned back.",
        f"{NEWS} The source of the fire was a rocket, the governor said.",
        f"{NEWS} Sputnik reported that the road was closed.",
        f"{NEWS} REUTERS Jane Doe A man walks past a burnt bus in the old market.",
        f"{NEWS} AFP Friday 22 Jul 2016 Rebels said the road was closed.",
    ],
)
def test_ingest_strip_boilerplate_keeps_news(text: str) -> None:
    assert ingest_text.strip_boilerplate(text) == ingest_text.Stripped(text, ())


def test_ingest_make_article_records_dropped_boilerplate() -> None:
    article = make_article(f"Date of publication 2 March 2019 Video {NEWS} Read Also")
    assert isinstance(article, Article)
    assert article.text == NEWS
    assert article.boilerplate == ("Date of publication 2 March 2019 Video", "Read Also")
    assert article.published == date(2019, 3, 2)  # taken from the dropped header
    assert make_article(NEWS).boilerplate == ()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "given", "expected"),
    [
        # a dump's date field years after the date the page prints: the print dates the story
        (f"UPDATED Jets hit a suburb AFP Friday 12 Sep 2014 {BODY}", "10/5/14", date(2014, 9, 12)),
        (f"Tue Mar 7 2017 Shelling hits Saraqeb. {BODY}", "11/13/12", date(2017, 3, 7)),
        (f"Published June 3 2016 {BODY}", "6/13/16", date(2016, 6, 3)),
        (f"Date of publication 7 July 2016 {BODY}", "4/12/16", date(2016, 7, 7)),
        # a long headline and the agency before the page's date
        ("Dozens dead as jets strike a crowded market in a Syrian border town Monitor Reuters "
         f"Wednesday 15 Nov 2017 {BODY}", "11/5/17", date(2017, 11, 15)),
        (f"18-07-2015 Shelling hits Saraqeb. {BODY}", "2/2/15", date(2015, 7, 18)),
        # a day apart is a time zone: the later day stands, so "on Sunday" counts back from it
        (f"Tue Mar 7 2017 Shelling hits Saraqeb. {BODY}", "3/8/17", date(2017, 3, 8)),
        (f"Mortar fire hits Damascus AFP Sunday 6 Apr 2014 {BODY}", "4/5/14", date(2014, 4, 6)),
        # two days later is a re-post: "on Friday" counts from the printed Friday
        ("Jihadist truck bomb leaves 18 dead near Syrian border crossing Reuters Friday 10 Nov "
         f"2017 {BODY}", "11/12/17", date(2017, 11, 10)),
        # a template that glued the day to the year; the page was filed by its last update
        (f"Last updated at Apr 052017 BEIRUT Shelling hits Saraqeb. {BODY}", "4/15/17",
         date(2017, 4, 5)),
        # ... and a dump's date before that update may be its first print
        (f"Last updated at Apr 232017 BEIRUT Shelling hits Saraqeb. {BODY}", "4/13/17",
         date(2017, 4, 13)),
        # an agency's byline after a long headline and subheadline is the page's date too
        ("Blast tears through Homs cafe Reports A bomber struck a cafe packed with fans watching "
         "a football match leaving nine dead and 27 hurt several of them badly according to the "
         f"monitoring group AFP Friday 16 Aug 2013 {BODY}", "8/8/13", date(2013, 8, 16)),
        # a date the story tells is no dateline
        (f"On August 21 2013 the army shelled Saraqeb. {BODY}", "5/1/17", date(2017, 5, 1)),
        (f"The army struck on Friday 12 Sep 2014 in Saraqeb. {BODY}", "5/1/17", date(2017, 5, 1)),
    ],
)
def test_ingest_make_article_trusts_the_printed_dateline(
    text: str, given: str, expected: date
) -> None:
    article = make_article(text, published=given)
    assert isinstance(article, Article)
    assert article.published == expected
