"""Datelines: the publication date a page prints at its top ("Sunday 22 Feb 2015", "18-07-2015").

Scraped articles, JSONL and CSV dumps often come without a date field while their text opens
with the date the outlet printed. Without it every relative date ("on Tuesday", "last month")
and every history check has nothing to count from, so ingest takes the dateline when no date is
given.
"""

from __future__ import annotations

import re
from datetime import date

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

_MONTH = "(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + ")"
_DATELINES = (
    (re.compile(rf"\b(\d{{1,2}}) {_MONTH}\.?,? (\d{{4}})\b", re.I), (3, 2, 1)),
    (re.compile(rf"\b{_MONTH}\.? (\d{{1,2}}),? (\d{{4}})\b", re.I), (3, 1, 2)),
    # "16.04.2017Get short URL": a share widget may follow the date with no space
    (re.compile(r"\b(\d{1,2})[.-](\d{1,2})[.-](\d{4})(?!\d)"), (3, 2, 1)),
    # "Last updated at Apr 052017": a page template that lost the comma and space before the
    # year, the day always two digits
    (re.compile(rf"\b{_MONTH}\.? (\d{{2}})((?:19|20)\d{{2}})\b", re.I), (3, 1, 2)),
)
# How far into an article any date may end and still be its dateline ("Posted on April 19
# 2017 by ...").
DATELINE_CHARS = 80
# How far one a page marks as its own (a weekday or a publishing word before it) may end:
# scraped pages often print a headline of up to a hundred characters and the agency before it
# ("Dozens dead as rockets hit crowded Syrian market, monitor says Reuters Thursday 9 Mar
# 2017").
PRINTED_DATELINE_CHARS = 160
# How far a byline with the agency and the weekday before the date ("... AFP Friday 23 Aug
# 2013") may end: a scraped page may print a subheadline after its headline first.
BYLINE_CHARS = 320


def find_dateline(text: str) -> date | None:
    """The publication date a FA-KES article opens with ("Wed 05 Apr 2017", "18-07-2015").

    >>> find_dateline("Posted on April 19 2017 by a reporter. Shelling hit Hama.")
    datetime.date(2017, 4, 19)
    >>> find_dateline("Last updated at Jun 132016 BEIRUT Shelling hit Hama.")
    datetime.date(2016, 6, 13)
    """
    found = _datelines(text)
    if found:
        return min(found)[2]
    return printed_dateline(text)


# What marks a date as the page's own print, not a date the story tells ("On August 21 2013
# the regime fired ..."): the text's first words, a weekday before it, a publishing word, or
# the numeric form of a page header ("18-07-2015").
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\.?,?\s*$",
    re.I,
)
# "... Monitor AFP 25 Jul 2015": the agency's byline before the page's date.
_AGENCY = re.compile(r"\b(?:AFP|AP|Reuters|REUTERS|SANA|Sputnik|Anadolu|AA|TASS|Xinhua|DPA)\s*$")
_AGENCY_WEEKDAY = re.compile(
    r"\b(?:AFP|AP|Reuters|REUTERS|SANA|Sputnik|Anadolu|TASS|Xinhua|DPA)\s+"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*$",
    re.I,
)
_AGENCY_AFTER = re.compile(r"\s*(?:AFP|AP|Reuters|REUTERS|SANA|Sputnik|Anadolu|TASS|Xinhua)\b")
_PUBLISHING = re.compile(
    r"\b(?:published|posted|updated|date(?:\s+of\s+publication)?|publication\s+date)\b"
    r"(?:\s+(?:on|at))?:?\s*$",
    re.I,
)
# "... struck on Friday 12 Sep 2014": a date the story tells
_TOLD = re.compile(
    r"\b(?:on|since|from|until|till|by|before|after|in|of)\s+"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?$",
    re.I,
)


def printed_dateline(text: str) -> date | None:
    """The date a page prints at its top as its own, or ``None``.

    Stricter than :func:`find_dateline`: a date opening the story's first sentence is no
    dateline. A feed's or dump's date field may be a crawl or update date years away from the
    printed one ("Fri Jul 1 2016 ..." filed as 11/13/12), and the story's "on Friday" counts
    from the day printed.

    >>> printed_dateline("UPDATED Raids kill 42 AFP Friday 12 Sep 2014 Jets struck Douma.")
    datetime.date(2014, 9, 12)
    >>> printed_dateline("Date of publication 7 July 2016 Jets struck Idlib on Wednesday.")
    datetime.date(2016, 7, 7)
    >>> printed_dateline("Last updated at Apr 052017 KHAN SHEIKHUN Jets struck Idlib.")
    datetime.date(2017, 4, 5)
    >>> printed_dateline("On August 21 2013 the regime fired rockets at Ghouta.") is None
    True
    >>> printed_dateline("A" * 200 + " says a monitor AFP Friday 23 Aug 2013 A bomb hit Aleppo.")
    datetime.date(2013, 8, 23)
    """
    for start, end, found in sorted(_datelines(text, BYLINE_CHARS)):
        before = text[:start]
        if end > PRINTED_DATELINE_CHARS:
            if _AGENCY_WEEKDAY.search(before):
                return found  # "... says monitoring group AFP Friday 23 Aug 2013"
            continue
        if _PUBLISHING.search(before):
            return found
        if _TOLD.search(before):
            continue
        byline = (
            _WEEKDAY.search(before) or _AGENCY.search(before)
            or _AGENCY_AFTER.match(text[end:])  # "... in Raqqa 21 November 2016 SANA"
        )
        if end > DATELINE_CHARS and not byline and " " in text[start:end]:
            continue  # far down, only a byline, a publishing word or a numeric header marks it
        if not before.strip() or byline or " " not in text[start:end]:
            return found  # the page's top, "Friday 12 Sep 2014" or "18-07-2015"
    return None


# "Last updated at Apr 052017": the date printed is the page's last change, not its first print.
_UPDATED = re.compile(r"^\W*(?:last\s+)?updated\b", re.I)


def prints_update(text: str) -> bool:
    """True when a page opens with the date it was last updated: a story is never filed after
    it (a dump's earlier date may be its first print; a later one is a crawl).

    >>> prints_update("Last updated at Apr 052017 Jets struck Idlib."), prints_update("Jets ...")
    (True, False)
    """
    return _UPDATED.match(text) is not None


def _datelines(text: str, chars: int = DATELINE_CHARS) -> list[tuple[int, int, date]]:
    """``(start, end, date)`` of the dates the top of ``text`` prints, at most one per form."""
    head = text[:chars]
    found = []
    for pattern, (y, mo, d) in _DATELINES:
        match = pattern.search(head)
        if match:
            month = match.group(mo)
            month_number = MONTH_NUMBERS.get(month.lower()) if not month.isdigit() else int(month)
            try:
                found.append(
                    (
                        match.start(),
                        match.end(),
                        date(int(match.group(y)), month_number or 0, int(match.group(d))),
                    )
                )
            except ValueError:
                continue
    return found
