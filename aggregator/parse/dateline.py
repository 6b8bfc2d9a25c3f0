"""Lines that are only a date or a time: "Updated: May 2, 2013, 1:12 PM".

Text copied from a web page often starts with such a line above or below the
headline. It is not the headline, and it is the best publication date a plain-text
article has. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {name[:3]: number for number, name in enumerate(MONTH_NAMES, 1)}
_MONTH = rf"(?P<month>{'|'.join(_MONTHS)})[a-z]*\s*\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# Spaces are allowed around separators: "May 2 , 2013", "01 / 5 / 2011".
_DATES = [
    re.compile(rf"\b{_MONTH}\s*{_DAY}\s*,?\s*(?:-\s*)?{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s*{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)\s*-\s*(?P<month>\d\d)\s*-\s*(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<month>\d{1,2})\s*/\s*(?P<day>\d{1,2})\s*/\s*(?P<year>(?:19|20)?\d\d)\b"),
]
_TIME = re.compile(r"\b\d{1,2}\s*:\s*\d\d(?:\s*:\s*\d\d)?\s*(?:[ap]\.?\s*m\.?)?", re.IGNORECASE)
# Words a date line may carry besides the date itself.
_FILLER = re.compile(
    r"\b(?:updated|posted|published|last|modified|on|at|am|pm|gmt|utc|bst|cet|edt|est|et|"
    r"pt|pdt|pst|cst|cdt|ist|kst|jst|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|sept|"
    + "|".join([*_MONTHS, *WEEKDAY_NAMES, *MONTH_NAMES])
    + r")\b",
    re.IGNORECASE,
)
MAX_DATELINE_CHARS = 80


def date_in(line: str) -> datetime | None:
    """The calendar date a line names (midnight UTC), if it names a valid one."""
    for pattern in _DATES:
        found = pattern.search(line)
        dated = _date_of(found) if found else None
        if dated is not None:
            return dated
    return None


def _date_of(found: re.Match[str]) -> datetime | None:
    raw_month, raw_day, raw_year = found.group("month", "day", "year")
    month = int(raw_month) if raw_month.isdigit() else _MONTHS[raw_month[:3].lower()]
    year = int(raw_year)
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return datetime(year, month, int(raw_day), tzinfo=UTC)
    except ValueError:
        return None


# Before a date that opens a paragraph stand at most a place name and an agency tag
# ("LOS ANGELES, May 3 (Reuters) -", "Seoul, 2 May 2013 -"): a few words, each
# capitalized; no lowercase word, nor any word of a script without capitals.
_MAX_DATELINE_PLACE_CHARS = 40
_WORD = re.compile(r"\w+")


def _place_only(prefix: str) -> bool:
    return len(prefix) <= _MAX_DATELINE_PLACE_CHARS and all(
        word[0].isascii() and (word[0].isupper() or word[0].isdigit())
        for word in _WORD.findall(prefix)
    )


# A date inside a sentence is followed by more of it, in lowercase words ("On April
# 22, 1923 she was born", "Born April 22, 1923, in Nashville"); a dateline's date by
# a time ("at 9:56 AM", "05.51AM IST"), a dash, an agency tag or nothing.
_SENTENCE_GOES_ON = re.compile(r"[\s,]*(?!at\b)[a-z]")


def opening_date(text: str) -> datetime | None:
    """The date a body's dateline gives: the first date that opens a line, after
    at most a place name, and not followed by more of a sentence ("LOS ANGELES,
    May 3, 2013 -").

    A date inside a sentence is not the text's own ("she was born on April 22,
    1923"): an obituary would otherwise be dated to the year of the birth. Pass the
    body without its headline: a headline in title case reads like a place name.
    """
    for line in text.splitlines():
        for pattern in _DATES:
            found = pattern.search(line)
            if (
                found
                and _place_only(line[: found.start()])
                and not _SENTENCE_GOES_ON.match(line, found.end())
            ):
                dated = _date_of(found)
                if dated is not None:
                    return dated
    return None


def is_dateline(line: str) -> bool:
    """Whether a line says nothing but when: a date and/or time, and filler words."""
    if not line.strip() or len(line) > MAX_DATELINE_CHARS:
        return False
    if date_in(line) is None and not _TIME.search(line):
        return False
    rest = _TIME.sub(" ", line)
    for pattern in _DATES:
        rest = pattern.sub(" ", rest)
    rest = _FILLER.sub(" ", rest)
    return not re.search(r"[^\W\d_]{2,}", rest)
