"""Article titles: the ``<title>``, metadata titles and ``<h1>`` headings weighed together.

Titles are cleaned as readers see them (character references decoded, UTF-8 mis-read as
windows-1252 repaired, heading permalink marks dropped); site names are stripped from the start
or end of ``<title>``-like values; the visible headline is preferred when it agrees with the
metadata. Bars set off taglines and sections as well as site names: a title they divide keeps
its longest segment.

Chinese and Japanese sites separate their name with full-width marks (``标题｜新闻网``,
``标题丨新闻网``, ``标题－新聞``, ``标题_网站``), often without spaces, or put it in
lenticular brackets (``【東都新聞】標題``). A colon (``：`` or ``:``) usually introduces
what a title is about or who is speaking (``外交部：…``), so a segment after one is removed
only when it is the site's known name. Lengths are counted in words as readers of the script
count them (characters in Chinese and Japanese).
"""

from __future__ import annotations

import html
import re

from corpusdesk.core.scripts import HANGUL, IDEOGRAPHIC, THAI, count_words, split_words
from corpusdesk.importing.clean import collapse, normalise_key
from corpusdesk.importing.mojibake import reread_as_utf8

_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)  # UTF-8 bytes of a non-ASCII character read as windows-1252
_TITLE_EXTRA = re.compile(
    r"\b(?:posted|published|updated)\b|(?<![-\w])by\s+\w|"
    r"\b[a-z]{3,9}\.? \d{1,2}\b|\b\d{1,2} [a-z]{3,9}\b|"
    r"\b[\w-]+\.(?:com|org|net|co|io)\b",
    re.I,
)  # what a heading may carry around the title: a dateline, a byline, the domain
_UNSPACED = f"{IDEOGRAPHIC}{HANGUL}{THAI}"
_TITLE_SEPARATORS = re.compile(
    r"\s+(?:[-|–—·•»:/]|::|\\\\)\s+|\s*[｜︱丨－：]\s*"
    f"|(?<=[{_UNSPACED}])\\s*_\\s*(?=[{_UNSPACED}])"
)
_SITE_SEPARATORS = re.compile(r"\s+(?:[-|–—·•»/－]|::|\\\\)\s+|\s*[｜︱丨_]\s*")
"""Separators that may set off an unknown site's name: not a colon (what follows one is the
title's subject or a quote), nor a full-width hyphen without spaces (``Ｆ－１５``)."""
_BRACKETED = re.compile(r"^【([^【】]+)】\s*(.+)$|^(.+?)\s*【([^【】]+)】$")
_STRIPPED = " -|–—·•»:/｜︱丨－：_"
_BARS = re.compile(r"\s+[|¦]\s+|\s*[｜︱丨]\s*")
"""Bars: marks that set off a site, section or tagline; headlines do not use them as words."""
REWRITE_OVERLAP = 0.3
"""A lone headline sharing this share of its words with a metadata title is a rewrite of it;
with less in common it is a site name, a section label or another article's headline."""
MIN_HEADLINE_WORDS = 3
MAX_SITE_SEGMENTS = 3
"""At most this many site names are taken off one title (``Title | Section | Site | Site``)."""
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)
"""A heading of fewer words is a section label ("Our blog") or a name, not a headline."""


def _split_title(title: str) -> list[str]:
    return [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]


def _last_separator(title: str) -> str:
    found = [match.group() for match in _TITLE_SEPARATORS.finditer(title)]
    return found[-1] if found else ""


def _is_site(part: str, keys: set[str]) -> bool:
    key = normalise_key(part)
    return key in keys or any(k and (k in key or key in k) for k in keys if len(k) > 3)


def strip_site_suffix(title: str, site_names: list[str], known_only: bool = False) -> str:
    """``title`` without leading or trailing site names such as ``" | Example News"``.

    A known site name goes wherever it stands, again if the page repeats it
    (``Title | Site | Site``); so does a segment that is a domain name (``Title | Example.com``).
    Unless ``known_only``, a short trailing segment after a bar or a spaced dash goes too.
    """
    keys = {normalise_key(s) for s in site_names if s}
    original = title
    for _ in range(MAX_SITE_SEGMENTS):
        stripped = _strip_known_site(title, keys)
        if stripped == title or not stripped:
            break
        title = stripped
    if known_only or title != original:
        return title
    parts = _split_title(title)
    last = parts[-1] if len(parts) >= 2 else ""
    if (
        last
        and _SITE_SEPARATORS.fullmatch(_last_separator(title))
        and count_words(last) <= 4
        and count_words(" ".join(parts[:-1])) >= 3
    ):
        return title.rsplit(last, 1)[0].strip(_STRIPPED)
    return title


def _strip_known_site(title: str, keys: set[str]) -> str:
    """``title`` less one known site name or domain at its start or end."""
    bracketed = _BRACKETED.match(title)
    if bracketed:
        site, rest = (bracketed[1], bracketed[2]) if bracketed[1] else (bracketed[4], bracketed[3])
        if _is_site(site, keys) or _DOMAIN.fullmatch(site.strip()):
            return rest.strip()
    parts = _split_title(title)
    if len(parts) < 2:
        return title
    for index in (-1, 0):
        if _is_site(parts[index], keys) or _DOMAIN.fullmatch(parts[index].strip()):
            rest = (
                title.split(parts[index], 1)[1] if index == 0 else title.rsplit(parts[index], 1)[0]
            )
            return rest.strip(_STRIPPED)
    return title


def consistent(a: str, b: str) -> bool:
    """Whether two titles are the same, or one holds the other."""
    ka, kb = normalise_key(a), normalise_key(b)
    return bool(ka and kb) and (
        ka == kb or (len(ka) > 10 and ka in kb) or (len(kb) > 10 and kb in ka)
    )


def _word_overlap(candidate: str, reference: str) -> float:
    words = set(split_words(normalise_key(candidate)))
    ref_words = set(split_words(normalise_key(reference)))
    longest = max(len(words), len(ref_words))
    return len(words & ref_words) / longest if longest else 0.0


def clean_title(text: str | None) -> str | None:
    """A title as readers see it: entities decoded, UTF-8 read as Latin-1 repaired, no ``¶``."""
    if not text:
        return text
    if "&" in text and ";" in text:
        text = html.unescape(text)
    if _MOJIBAKE.search(text):
        text = reread_as_utf8(text) or text
    return collapse(text.rstrip(" ¶§")) or None


def _contained_reference(h1: str, references: list[str]) -> str | None:
    """A reference title the heading holds with a dateline, byline, domain or label around it."""
    for reference in references:
        if count_words(reference) < 3 or reference == h1 or reference not in h1:
            continue
        before, _, after = h1.partition(reference)
        extra = f"{before} {after}".strip()
        label = not after.strip() and len(before.split()) <= 2 and before.rstrip().endswith(":")
        if label or _TITLE_EXTRA.search(extra):
            return reference
    return None


def choose_title(
    og: str | None, tag: str | None, h1s: list[str], headline: str | None, site_names: list[str]
) -> str | None:
    """The article's title from the metadata title, the ``<title>`` and the ``<h1>`` headings.

    An ``<h1>`` sharing most words with a metadata title is the visible headline and wins, less
    a dateline, byline or domain around it; otherwise the metadata title without a site name.
    """
    og, tag = clean_title(og), clean_title(tag)
    headline = clean_title(headline)
    candidates = [t for t in (headline, og, tag) if t]
    references = [strip_site_suffix(t, site_names) for t in candidates]
    site_keys = {normalise_key(name) for name in site_names}
    best, best_score = None, 0.5
    for h1 in filter(None, map(clean_title, h1s)):
        if normalise_key(h1) in site_keys or count_words(h1) < 2:
            continue  # the site's logo or a section label, not the headline
        score = max((_word_overlap(h1, ref) for ref in references), default=0.0)
        if score > best_score or (best is None and score >= best_score):
            best, best_score = h1, score
    if best:
        return _as_shown(best, candidates, site_names)
    shown = [h for h in filter(None, map(clean_title, h1s)) if normalise_key(h) not in site_keys]
    for h1 in shown:
        # "Climate Change" shown over "Climate Change | Research Service": the title's segment.
        if any(_is_segment(h1, candidate) for candidate in candidates):
            return h1
    headlines = [h for h in shown if count_words(h) >= MIN_HEADLINE_WORDS]
    if len(headlines) == 1 and any(
        _word_overlap(headlines[0], ref) >= REWRITE_OVERLAP for ref in references
    ):
        # The page shows one headline on the metadata's subject in other words: a headline
        # rewritten for search and sharing. Readers see the page's.
        return _as_shown(headlines[0], candidates, site_names)
    if headline and any(consistent(headline, ref) for ref in (og, tag) if ref):
        return strip_site_suffix(headline, site_names, known_only=True) or headline
    for candidate in (og, tag, headline):
        if candidate:
            return headline_segment(strip_site_suffix(candidate, site_names) or candidate)
    return clean_title(h1s[0]) if len(h1s) == 1 else None


def _as_shown(h1: str, candidates: list[str], sites: list[str]) -> str:
    """The chosen heading as a title: less a dateline or byline around a metadata title, and
    without known site names."""
    chosen = _contained_reference(h1, candidates) or h1
    return headline_segment(strip_site_suffix(chosen, sites, known_only=True) or chosen)


def headline_segment(title: str) -> str:
    """The headline of a title that bars divide: its longest segment, the others being the
    site, a section or a tagline (``Section | Headline | Tagline``); else ``title``."""
    parts = [part.strip() for part in _BARS.split(title) if part.strip()]
    if len(parts) < 2:
        return title
    return max(parts, key=count_words)


def _is_segment(h1: str, title: str) -> bool:
    """Whether ``h1`` is the first separator-delimited segment of ``title`` (the last one is
    mostly the site's name, which a logo heading repeats)."""
    parts = _split_title(title)
    return len(parts) >= 2 and normalise_key(h1) == normalise_key(parts[0]) != ""


def title_site(tag: str | None, title: str | None) -> str | None:
    """The site name that a page title ``tag`` carries beside the article ``title``, if any."""
    if not tag or not title:
        return None
    parts = _split_title(tag)
    if len(parts) >= 2:
        for index in (-1, 0):
            if not consistent(parts[index], title) and count_words(parts[index]) <= 5:
                return parts[index].strip()
    return None
