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
