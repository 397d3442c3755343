"""RSS and Atom feeds: one ``Article`` per entry, from the entry's own content or summary.

Feeds are parsed from bytes we already hold; feedparser is never given a URL or a path, so it
never fetches anything itself. An entry's link is fetched only when the entry carries no text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import feedparser

from sitreps.ingest.text import html_to_text, make_article, make_error
from sitreps.records import Article, IngestError

FEED_CONTENT_TYPES = ("rss", "atom", "xml")
_FEED_START = re.compile(rb"^\s*<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml\b", re.IGNORECASE)
_ROOT_TAG = re.compile(rb"<(?:rss|feed|rdf:RDF|html)\b", re.IGNORECASE)

EntryFetcher = Callable[[str], Iterator[Article | IngestError]]


def looks_like_feed(body: bytes, content_type: str | None = None) -> bool:
    """Say whether a response or file is an RSS/Atom feed rather than a web page.

    XHTML pages also open with ``<?xml``, so after a bare XML declaration the root tag decides.

    >>> looks_like_feed(b'<?xml version="1.0"?><rss version="2.0"></rss>')
    True
    >>> looks_like_feed(b"<!doctype html><html></html>", "text/html")
    False
    """
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    ctype = (content_type or "").lower()
    if "html" not in ctype and any(kind in ctype for kind in FEED_CONTENT_TYPES):
        return True
    if _FEED_START.match(head):
        return True
    if _XML_DECL.match(head):
        root = _ROOT_TAG.search(head)
        return root is None or not root.group(0).lower().startswith(b"<html")
    return False


def _entry_text(entry: Any) -> str:
    """Return the fullest text an entry carries: its content, else its summary."""
    best = ""
    for content in entry.get("content") or ():
        value = html_to_text(content.get("value") or "")
        if len(value) > len(best):
            best = value
    summary = html_to_text(entry.get("summary") or "")
    return best if len(best) >= len(summary) else summary


def _entry_date(entry: Any) -> date | None:
    """Return the entry's published (else updated) date."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def parse_feed(
    data: bytes, origin: str, *, fetch_entry: EntryFetcher | None = None
) -> Iterator[Article | IngestError]:
    """Yield an ``Article`` (or ``IngestError``) for each entry of an RSS/Atom feed.

    Args:
        data: the feed document as bytes (feedparser reads the encoding from the XML).
        origin: the feed's URL or path, recorded on every record.
        fetch_entry: called with an entry's link when the entry has no text of its own;
            ``None`` records such entries as errors instead of fetching them.
    """
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception") or "unreadable"
            yield make_error(origin, f"not a valid RSS/Atom feed: {problem}")
        else:
            yield make_error(origin, "feed has no entries")
        return
    outlet = (parsed.get("feed") or {}).get("title")
    for number, entry in enumerate(entries, start=1):
        item = f"entry {number}"
        link = entry.get("link") or None
        text = _entry_text(entry)
        if not text:
            if link and fetch_entry is not None and urlsplit(link).scheme in ("http", "https"):
                yield from fetch_entry(link)
            else:
                yield make_error(origin, "feed entry has no text and no link to fetch", item)
            continue
        record = make_article(
            text,
            title=entry.get("title"),
            published=_entry_date(entry),
            url=link,
            source=outlet or (urlsplit(link).hostname if link else None),
            origin=origin,
        )
        if isinstance(record, IngestError):
            record = make_error(record.origin, record.reason, link or item)
        yield record
