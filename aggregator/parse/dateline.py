"""Lines that are only a date or a time: "Updated: May 2, 2013, 1:12 PM".

Text copied from a web page often starts with such a line above or below the
headline. It is not the headline, and it is the best publication date a plain-text
article has. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

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
    # Also the date of an ISO 8601 time: "2013-05-02T13:12:00Z".
    re.compile(
        r"\b(?P<year>(?:19|20)\d\d)\s*-\s*(?P<month>\d\d)\s*-\s*(?P<day>\d\d)(?:\b|(?=T\d))"
    ),
    re.compile(r"\b(?P<month>\d{1,2})\s*/\s*(?P<day>\d{1,2})\s*/\s*(?P<year>(?:19|20)?\d\d)\b"),
]
_TIME = re.compile(
    r"(?:\b|(?<=\dT))(?P<hour>\d{1,2})\s*:\s*(?P<minute>\d\d)(?:\s*:\s*(?P<second>\d\d)(?:\.\d+)?)?"
    r"\s*(?:(?P<half>[ap])\.?\s*m\.?)?",
    re.IGNORECASE,
)
_ISO_TIME = re.compile(
    r"\b(?:19|20)\d\d-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:?\d\d)?(?![\w:])"
)
# Zones a date line may name, as hours from UTC. Others (and none) are read as UTC.
_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "ist": 5.5,
    "kst": 9,
    "jst": 9,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "pst": -8,
    "pdt": -7,
}
_ZONE = re.compile(r"\b(" + "|".join(_ZONES) + r")\b", re.IGNORECASE)
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


def datetime_in(line: str) -> datetime | None:
    """The time a date line gives, in UTC: an ISO 8601 time exactly; otherwise its
    date with the time of day it writes ("May 2, 2013, 1:12 PM"), in the zone it
    names when that is a common one, else read as UTC. None without a date."""
    iso = _ISO_TIME.search(line)
    if iso is not None:
        try:
            value = datetime.fromisoformat(iso.group().replace(" ", "T"))
        except ValueError:
            value = None
        if value is not None:
            if value.tzinfo is None:
                zone = _ZONE.search(line[iso.end() :])
                hours = _ZONES[zone.group(1).lower()] if zone else 0
                value = value.replace(tzinfo=UTC) - timedelta(hours=hours)
            return value.astimezone(UTC)
    day = date_in(line)
    if day is None:
        return None
    clock = _TIME.search(line)
    if clock is None:
        return day
    hour, minute = int(clock.group("hour")), int(clock.group("minute"))
    second = int(clock.group("second") or 0)
    half = (clock.group("half") or "").lower()
    if half and not 1 <= hour <= 12:
        return day
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return day
    zone = _ZONE.search(line[clock.end() :])
    offset = timedelta(hours=_ZONES[zone.group(1).lower()]) if zone else timedelta(0)
    return day.replace(hour=hour, minute=minute, second=second) - offset


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
