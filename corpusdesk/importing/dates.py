"""Calendar dates in metadata values and URLs.

``parse_date`` reads the ISO-like forms (``2023-12-16T18:05``, ``2023/01/05``, ``20200229``) and
English month-name forms (``December 16, 2023``, ``16 Dec 2023``); ``url_date`` reads the
``/2023/12/16/`` path segments that many sites put in article URLs. Dates more than two days in
the future are refused: they are scheduled events or typos, not publication dates.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

_DATE_NUMERIC = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-/.]?(0[1-9]|1[0-2])[-/.]?(0[1-9]|[12]\d|3[01])"
)
_DATE_URL = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        )
    )
    for m in names.split()
}
"""English month names and abbreviations, lower case, to their numbers."""

_DATE_WORDS_MDY = re.compile(
    r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b"
)
_DATE_WORDS_DMY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d\d)\b"
)


def checked_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, if it exists and is not more than two days in the future."""
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if date <= dt.date.today() + dt.timedelta(days=2) else None


def parse_date(value: str | None) -> dt.date | None:
    """The calendar date written in ``value`` (ISO forms or English month names), or None."""
    if not value:
        return None
    match = _DATE_NUMERIC.search(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return checked_date(year, month, day)
    words = _DATE_WORDS_MDY.search(value)
    if words and words.group(1).lower() in MONTHS:
        return checked_date(int(words[3]), MONTHS[words.group(1).lower()], int(words[2]))
    words = _DATE_WORDS_DMY.search(value)
    if words and words.group(2).lower() in MONTHS:
        return checked_date(int(words[3]), MONTHS[words.group(2).lower()], int(words[1]))
    return None


def url_date(url: str | None) -> dt.date | None:
    """The date in a URL path such as ``/2023/12/16/slug``, or None."""
    match = _DATE_URL.search(urlsplit(url).path) if url else None
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return checked_date(year, month, day)
