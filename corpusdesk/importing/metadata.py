"""Article metadata from a parsed page: title, authors, site, dates, URL, description, language.

Every source a saved page may carry is read once into a :class:`Signals` bundle (JSON-LD,
``<meta>`` tags of every vocabulary, ``<time>``, ``rel`` links, hCard bylines, the comments that
browsers and SingleFile leave at the top of a saved page, the URL itself), then each field is
chosen from the most trustworthy source that has it. Names and titles are normalised here; the
text-based language fallback lives with the content, which is where the text is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from corpusdesk.importing.authors import (
    AUTHOR_META,
    INVERTED_NAME_META,
    author_links,
    byline_texts,
    choose_authors,
    clean_author,
    first_byline,
    uninverted,
)
from corpusdesk.importing.clean import collapse, normalise_key
from corpusdesk.importing.dates import parse_date, url_date
from corpusdesk.importing.spacing import shown_text
from corpusdesk.importing.titles import choose_title, clean_title, strip_site_suffix, title_site

__all__ = ["DateSignals", "PageMetadata", "Signals", "choose_metadata", "clean_author"]
__all__ += ["clean_title", "parse_date", "read_signals", "strip_site_suffix"]

_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Posting|Report|Review|Story|NewsItem)$", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\s+url:\s*(\S+)", re.I)
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
    "dcterms.created", "dc.date.created", "dc.date", "dcterms.date", "citation_publication_date",
    "citation_date", "pubdate", "publishdate", "publish-date", "publish_date", "article.published",
    "date", "article:post_date", "datecreated",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "dc.date.modified", "last-modified", "lastmod",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateSignals:
    """The dates the page's metadata gives, each from its own source."""

    ld_published: dt.date | None = None
    meta_published: dt.date | None = None
    time_element: dt.date | None = None
    url: dt.date | None = None
    ld_modified: dt.date | None = None
    meta_modified: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Metadata chosen for one page; ``language`` is the declared one, if any.

    ``published`` is the first publication date the metadata gives; ``dates`` keeps each
    source's date for weighing against the page's dateline.
    """

    title: str | None
    authors: tuple[str, ...]
    site_name: str | None
    published: dt.date | None
    modified: dt.date | None
    url: str | None
    description: str | None
    language: str | None
    dates: DateSignals = DateSignals()


@dataclass(slots=True)
class Signals:
    """Raw metadata found in the page, before any choice is made."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    ld_objects: list[dict[str, Any]] = field(default_factory=list)
    title_tag: str | None = None
    h1s: list[str] = field(default_factory=list)
    canonical: str | None = None
    saved_from: str | None = None
    byline_names: list[str] = field(default_factory=list)
    author_links: list[str] = field(default_factory=list)
    time_values: list[str] = field(default_factory=list)
    html_lang: str | None = None

    def first(self, *keys: str) -> str | None:
        """The first non-empty ``<meta>`` value under any of ``keys``."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value.strip()
        return None


def _text(element: Any) -> str:
    try:
        return collapse(element.text_content())
    except ValueError:
        return ""


def _flatten_ld(value: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value:
            _flatten_ld(item, out, depth + 1)
    elif isinstance(value, dict):
        out.append(value)
        if "@graph" in value:
            _flatten_ld(value["@graph"], out, depth + 1)


def _add_meta(signals: Signals, key: str, value: str) -> None:
    key = key.lower()
    if key.startswith(("dc:", "dcterms:")):
        key = key.replace(":", ".", 1)  # the RDFa spelling of the Dublin Core names
    signals.meta.setdefault(key, []).append(value)


def read_signals(tree: Any, head_text: str) -> Signals:
    """Collect every metadata source of the parsed page ``tree``; ``head_text`` is its raw start."""
    signals = Signals()
    named: list[tuple[str, str]] = []
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        # RDFa ``property`` (OpenGraph, Dublin Core) is read before ``name``; one attribute may
        # list several properties separated by spaces.
        for key in (meta.get("property") or "").split():
            _add_meta(signals, key, collapse(content))
        other = meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        if other:
            named.append((other, collapse(content)))
    for keys, value in named:
        for key in keys.split():
            _add_meta(signals, key, value)
    for script in tree.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            try:
                _flatten_ld(json.loads(_CDATA.sub("", script.text)), signals.ld_objects)
            except (ValueError, RecursionError):
                continue
    title = tree.find(".//title")
    signals.title_tag = _text(title) if title is not None else None
    signals.h1s = [t for t in (collapse(shown_text(h)) for h in tree.iter("h1")) if t][:5]
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href") and not signals.canonical:
            signals.canonical = link.get("href").strip()
    match = _SAVED_FROM.search(head_text) or _SINGLEFILE.search(head_text)
    signals.saved_from = match.group(1) if match else None
    signals.byline_names = byline_texts(tree)
    signals.author_links = author_links(tree)
    signals.time_values = [
        t.get("datetime") or t.get("content") or "" for t in tree.iter("time") if t.get("datetime")
    ][:10]
    signals.html_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    return signals


def _ld_names(
    value: Any, graph: dict[str, dict[str, Any]], people_first: bool = False
) -> list[str]:
    """Names in a JSON-LD value; with ``people_first``, Person names hide Organization ones."""
    names: list[str] = []
    people: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            ref = graph.get(str(item.get("@id")), {}) if "name" not in item else item
            name = ref.get("name")
            found = [name] if isinstance(name, str) else []
            if isinstance(name, list):
                found = [n for n in name if isinstance(n, str)]
            names.extend(found)
            kinds = ref.get("@type") or item.get("@type")
            if "Person" in (kinds if isinstance(kinds, list) else [kinds]):
                people.extend(found)
    return people if people_first and people else names


def _authors(
    signals: Signals, graph: dict[str, dict[str, Any]], site_keys: set[str]
) -> tuple[str, ...]:
    sources: list[tuple[list[str], bool]] = []
    for article in _ld_articles(signals):
        value = article.get("author") or article.get("creator")
        sources.append((_ld_names(value, graph, people_first=True), True))
    for key in AUTHOR_META:
        if key in signals.meta:
            values = signals.meta[key]
            if key in INVERTED_NAME_META:
                values = [uninverted(value) for value in values]
            sources.append((values, True))
    label = signals.first("twitter:label1") or ""
    if label.lower().startswith(("written by", "author")):
        sources.append(([signals.first("twitter:data1") or ""], False))
    # In the page itself, only the first element that reads as a byline counts.
    sources.append((first_byline(signals.byline_names), False))
    sources.append((first_byline(signals.author_links), False))
    return choose_authors(sources, site_keys)


def _ld_articles(signals: Signals) -> list[dict[str, Any]]:
    out = []
    for obj in signals.ld_objects:
        kinds = obj.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
            out.append(obj)
    return out


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def _language(signals: Signals, ld: dict[str, Any]) -> str | None:
    for value in (
        signals.html_lang,
        signals.first("content-language", "dc.language", "dcterms.language", "language"),
        ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None,
        signals.first("og:locale"),
    ):
        if value:
            primary = re.split(r"[-_\s,]", value.strip().lower())[0]
            if primary.isalpha() and 2 <= len(primary) <= 3:
                return primary
    return None


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if url.startswith(("http://", "https://")):
        return url
    if base and base.startswith(("http://", "https://")) and url.startswith("/"):
        return urljoin(base, url)
    return None


def choose_metadata(signals: Signals) -> PageMetadata:
    """Pick each field from the most trustworthy source the page has."""
    graph = {str(obj["@id"]): obj for obj in signals.ld_objects if "@id" in obj}
    articles = _ld_articles(signals)
    ld = articles[0] if articles else {}
    ld_url = ld.get("url") or ld.get("mainEntityOfPage")
    ld_url = ld_url.get("@id") if isinstance(ld_url, dict) else ld_url
    base = signals.saved_from
    url = (
        _absolute(signals.canonical, base)
        or _absolute(signals.first("og:url"), base)
        or _absolute(ld_url if isinstance(ld_url, str) else None, base)
        or _absolute(base, None)
    )
    publisher_names = _ld_names(ld.get("publisher"), graph) if ld else []
    website_names = [
        str(o["name"])
        for o in signals.ld_objects
        if o.get("@type") in ("WebSite", "Organization", "NewsMediaOrganization") and o.get("name")
    ]
    site_name = next(iter(publisher_names), None) or signals.first(
        "og:site_name", "application-name", "al:ios:app_name"
    )
    site_name = site_name or next(iter(website_names), None)
    headline = ld.get("headline") or ld.get("name")
    headline = collapse(headline) if isinstance(headline, str) else None
    site_candidates = [s for s in (site_name, _domain(url)) if s]
    og = signals.first("og:title", "twitter:title", "dc.title", "dcterms.title")
    title = choose_title(og, signals.title_tag, signals.h1s, headline, site_candidates)
    tag = signals.first("og:title") or signals.title_tag
    site_name = site_name or title_site(tag, title) or _domain(url)
    dates = DateSignals(
        ld_published=_ld_date(ld, "datePublished"),
        meta_published=parse_date(signals.first(*_DATE_META)),
        time_element=next((d for d in map(parse_date, signals.time_values) if d), None),
        url=url_date(url) or url_date(signals.saved_from),
        ld_modified=_ld_date(ld, "dateModified"),
        meta_modified=parse_date(signals.first(*_MODIFIED_META)),
    )
    published = dates.ld_published or dates.meta_published or dates.time_element or dates.url
    modified = dates.ld_modified or dates.meta_modified
    description = signals.first("description", "og:description", "twitter:description")
    return PageMetadata(
        title=title or None,
        authors=_authors(
            signals, graph, {normalise_key(n) for n in [*site_candidates, *publisher_names]}
        ),
        site_name=collapse(site_name) if site_name else None,
        published=published,
        modified=modified,
        url=url,
        description=description,
        language=_language(signals, ld),
        dates=dates,
    )


def _ld_date(ld: dict[str, Any], key: str) -> dt.date | None:
    value = ld.get(key)
    return parse_date(value) if isinstance(value, str) else None
