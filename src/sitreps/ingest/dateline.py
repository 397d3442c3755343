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
)
# How far into an article a dateline may start ("Posted on April 19 2017 by ...").
DATELINE_CHARS = 80


def find_dateline(text: str) -> date | None:
    """The publication date a FA-KES article opens with ("Wed 05 Apr 2017", "18-07-2015").

    >>> find_dateline("Posted on April 19 2017 by a reporter. Shelling hit Hama.")
    datetime.date(2017, 4, 19)
    """
    head = text[:DATELINE_CHARS]
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
                        date(int(match.group(y)), month_number or 0, int(match.group(d))),
                    )
                )
            except ValueError:
                continue
    return min(found)[1] if found else None
