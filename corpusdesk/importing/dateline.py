"""The dateline: the date the page shows beside its headline, and how date signals are weighed.

Readers date an article by the line under (or over) its headline: ``Published March 3, 2024``,
``By Jane Doe · 12.03.2024``, ``Updated on Jul 4, 2024``, a ``<time>`` in the article header.
:func:`header_date` reads the short texts and ``<time>`` elements just before and after the
first ``<h1>`` (or the start of the first ``<article>``), and returns the first date shown there,
preferring one that is not labelled as an update.

:func:`weigh_dates` chooses among all the dates a page gives: each source votes for its date
with a weight (the article's own metadata and dateline above page-wide guesses, published above
modified) and the date with the most weight wins; ties go to the earlier-listed source.
A dateline whose day and month could be either way round (``09.10.2024``) is read the way
the page's metadata or address dates the article, when one of them does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from corpusdesk.importing.dates import MONTHS, checked_date, parse_date
from corpusdesk.importing.metadata import DateSignals

TEXTS_BEFORE = 12
"""Texts read before the headline (kickers and datelines set above it)."""
TEXTS_AFTER = 30
"""Texts read after the headline (standfirst, byline, dateline)."""
MAX_LINE_CHARS = 100
"""Longer texts are prose, whose dates are events, not the article's."""

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"((?:19|20)\d\d)"
_ISO = re.compile(r"(?<!\d)" + _YEAR + r"-(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])(?!\d)")
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.IGNORECASE
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?({_MONTH})\.?,?\s+{_YEAR}\b", re.IGNORECASE
)
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.\s?" + _YEAR + r"(?!\d)")
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/" + _YEAR + r"(?!\d)")
_UPDATE_WORDS = re.compile(
    r"\b(?:updated?|modified|edited|revised|reviewed|last\s+changed)\b", re.IGNORECASE
)
_PAGE_TEXTS = etree.XPath(
    ".//text()[normalize-space()][not(ancestor::script or ancestor::style or ancestor::nav)]"
)
_SKIPPED = frozenset(("script", "style", "noscript", "template", "svg", "button", "select", "nav"))


def shown_date(text: str, language: str | None = None) -> tuple[dt.date, int] | None:
    """The first calendar date written in ``text`` as pages show dates, and where it starts.

    Reads ISO dates, English month names either side of the day, ``12.03.2024`` (day first)
    and ``3/12/2024`` (month first in English, day first in other languages, unless the
    numbers say otherwise).
    """
    found: list[tuple[int, dt.date]] = []
    for match in _ISO.finditer(text):
        year, month, day = map(int, match.groups())
        _add(found, match.start(), year, month, day)
    for match in _MONTH_DAY_YEAR.finditer(text):
        _add(found, match.start(), int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    for match in _DAY_MONTH_YEAR.finditer(text):
        _add(found, match.start(), int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    for match in _DOTTED.finditer(text):
        _add(found, match.start(), int(match[3]), int(match[2]), int(match[1]))
    for match in _SLASHED.finditer(text):
        first, second = int(match[1]), int(match[2])
        month_first = second > 12 or (first <= 12 and (language or "en") == "en")
        month, day = (first, second) if month_first else (second, first)
        _add(found, match.start(), int(match[3]), month, day)
    if not found:
        return None
    start, date = min(found, key=lambda item: item[0])
    return date, start


def _add(found: list[tuple[int, dt.date]], start: int, year: int, month: int, day: int) -> None:
    date = checked_date(year, month, day)
    if date is not None:
        found.append((start, date))


def _texts_around_headline(tree: Any) -> list[tuple[int, tuple[str, Any]]]:
    """The texts (and ``<time>`` elements, as themselves) around the page's headline: its
    first ``<h1>`` of two words or more, else the start of its first ``<article>``."""
    body = tree.find("body")
    if body is None:
        return []
    return _texts_around(body, "h1") or _texts_around(body, "article")


def _texts_around(body: Any, anchor: str) -> list[tuple[int, tuple[str, Any]]]:
    before: deque[tuple[str, Any]] = deque(maxlen=TEXTS_BEFORE)
    after: list[tuple[str, Any]] = []
    found = False
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _SKIPPED or not tag:
                walker.skip_subtree()
                continue
            if not found and tag == anchor and len(element.text_content().split()) >= 2:
                found = True
                walker.skip_subtree()
                continue
            item = ("", element) if tag == "time" else (element.text or "", element)
        else:
            item = (element.tail or "", element)
        if item[0].strip() or (item[1].tag == "time" and event == "start"):
            (after if found else before).append(item)
            if len(after) >= TEXTS_AFTER:
                break
    if not found:
        return []
    # In document order, each with its distance from the headline; a text after the headline
    # comes first at equal distance, since datelines mostly sit below it.
    count = len(before)
    return [(2 * (count - i) - 1, item) for i, item in enumerate(before)] + [
        (2 * i, item) for i, item in enumerate(after)
    ]


def header_date(tree: Any, language: str | None = None) -> tuple[dt.date, bool] | None:
    """The date shown beside the headline, and whether it is labelled as an update.

    The date nearest the headline that is not labelled ``Updated``/``Modified``/``Reviewed``
    wins; with none, the nearest labelled one.
    """
    shown: list[tuple[int, dt.date, bool]] = []  # (distance from the headline, date, update)
    label = ""  # a line without a date before this one: "Last updated:", "Published"
    for distance, (text, element) in _texts_around_headline(tree):
        if not text:  # a <time> element: its machine-readable date, its words as the label
            date = parse_date(element.get("datetime"))
            if date:
                words = f"{label} {element.text_content()}"
                shown.append((distance, date, bool(_UPDATE_WORDS.search(words))))
                label = ""
            continue
        line = " ".join(text.split())
        found = shown_date(line, language) if len(line) <= MAX_LINE_CHARS else None
        if found:
            date, start = found
            words = f"{label} {line[:start]}"
            shown.append((distance, date, bool(_UPDATE_WORDS.search(words))))
        label = "" if found else line[-40:]
    shown.sort(key=lambda item: item[0])
    published = [date for _, date, updated in shown if not updated]
    if published:
        return published[0], False
    return (shown[0][1], True) if shown else None


def _totals(votes: Iterable[tuple[dt.date | None, float]]) -> dict[dt.date, float]:
    """Each voted date's total weight, in the order first voted."""
    totals: dict[dt.date, float] = {}
    for date, weight in votes:
        if date is not None and weight > 0:
            totals[date] = totals.get(date, 0.0) + weight
    return totals


def first_shown_date(tree: Any, language: str | None = None) -> dt.date | None:
    """The first date written in a short text of the page outside navigation: a last resort."""
    body = tree.find("body")
    if body is None:
        return None
    for node in _PAGE_TEXTS(body):
        line = " ".join(node.split())
        if len(line) <= MAX_LINE_CHARS:
            found = shown_date(line, language)
            if found:
                return found[0]
    return None


def weigh_dates(votes: Iterable[tuple[dt.date | None, float]]) -> dt.date | None:
    """The date with the most weight among ``(date, weight)`` votes; ties to the first voted."""
    totals = _totals(votes)
    if not totals:
        return None
    best = max(totals.values())
    return next(date for date, total in totals.items() if total == best)


# How much each source's date weighs. The article's own metadata and the dateline it shows
# come before page-wide guesses; a date labelled as an update, or a modification date, counts
# for less than a publication date.
DATELINE_WEIGHT = 2.0
UPDATE_DATELINE_WEIGHT = 1.0
ARTICLE_METADATA_WEIGHT = 3.0
URL_WEIGHT = 2.0
TIME_ELEMENT_WEIGHT = 1.0
PAGE_WIDE_WEIGHT = 1.0
MODIFIED_WEIGHT = 0.5


def choose_published(
    dates: DateSignals,
    dateline: tuple[dt.date, bool] | None,
    page_wide: Callable[[], dt.date | None],
    anywhere: Callable[[], dt.date | None],
) -> dt.date | None:
    """The publication date: the metadata's dates, the dateline and a page-wide guess weighed.

    ``page_wide`` (htmldate's look at the whole page, the slowest source) is only called when
    its vote could change the outcome; ``anywhere`` (the first date the page shows) only when
    nothing else gives a date.
    """
    shown, updated = dateline if dateline else (None, False)
    shown = _read_as_metadata_reads_it(shown, dates)
    votes: list[tuple[dt.date | None, float]] = [
        (None if updated else shown, DATELINE_WEIGHT),
        (dates.ld_published, ARTICLE_METADATA_WEIGHT),
        (dates.meta_published, ARTICLE_METADATA_WEIGHT),
        (dates.time_element, TIME_ELEMENT_WEIGHT),
        (dates.url, URL_WEIGHT),
        (shown if updated else None, UPDATE_DATELINE_WEIGHT),
    ]
    modified = [(dates.ld_modified, MODIFIED_WEIGHT), (dates.meta_modified, MODIFIED_WEIGHT)]
    totals = sorted(_totals([*votes, *modified]).values(), reverse=True)
    if totals and totals[0] - (totals[1] if len(totals) > 1 else 0.0) > PAGE_WIDE_WEIGHT:
        return weigh_dates([*votes, *modified])
    guess = page_wide()
    if guess is None and not totals:
        return anywhere()
    return weigh_dates([*votes, (guess, PAGE_WIDE_WEIGHT), *modified])


def _read_as_metadata_reads_it(shown: dt.date | None, dates: DateSignals) -> dt.date | None:
    """The dateline's date with day and month the other way round when that is how the page's
    metadata or address dates the article and the date as read is not: ``09.10.2024`` is
    read day first, but a site may write it month first."""
    if shown is None or shown.day > 12 or shown.day == shown.month:
        return shown
    swapped = shown.replace(month=shown.day, day=shown.month)
    given = {
        dates.ld_published,
        dates.meta_published,
        dates.url,
        dates.time_element,
        dates.ld_modified,
        dates.meta_modified,
    }
    return swapped if swapped in given and shown not in given else shown
