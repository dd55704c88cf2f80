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

from corpusdesk.importing.clean import collapse, normalise_key

_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Posting|Report|Review|Story|NewsItem)$", re.I)
_DATE_NUMERIC = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-/.]?(0[1-9]|1[0-2])[-/.]?(0[1-9]|[12]\d|3[01])"
)
_DATE_URL = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
_MONTHS = {
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
_DATE_WORDS_MDY = re.compile(
    r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b"
)
_DATE_WORDS_DMY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d\d)\b"
)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\s+url:\s*(\S+)", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—·•»:/]|::|\\\\)\s+")
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|reviewed|words|text)\s*)?"
    r"(?:by\s*[:\-]?\s+|[Bb][Yy]\s*:?(?=[A-Z])|(?:the\s+)?author\s*:?\s+)",
    re.I,
)
_BYLINE_END = re.compile(
    r"\s*(?:\d|\s[-–—|•·]\s|\bon\s|\b(?:published|updated|posted|more about|reviewed|"
    r"fact[- ]checked|last)\b).*$",
    re.I,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\|)\s*", re.I)
_ACCOUNT = re.compile(r"^[a-z0-9_.@-]+$")
_GENERIC_AUTHORS = frozenset(
    [
        "admin",
        "administrator",
        "webmaster",
        "editor",
        "editors",
        "root",
        "user",
        "guest",
        "anonymous",
        "unknown",
        "wordpress",
        "author",
        "staff",
        "none",
        "null",
        "undefined",
    ]
)
_EMAIL_OR_URL = re.compile(r"\S+@\S+\.\w+|https?://|www\.", re.I)
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
_AUTHOR_META = (
    "author", "article:author", "og:article:author", "parsely-author", "sailthru.author",
    "dc.creator", "dcterms.creator", "citation_author", "byl", "authors",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Metadata chosen for one page; ``language`` is the declared one, if any."""

    title: str | None
    authors: tuple[str, ...]
    site_name: str | None
    published: dt.date | None
    modified: dt.date | None
    url: str | None
    description: str | None
    language: str | None


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


def read_signals(tree: Any, head_text: str) -> Signals:
    """Collect every metadata source of the parsed page ``tree``; ``head_text`` is its raw start."""
    signals = Signals()
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        key = key or meta.get("http-equiv")
        content = meta.get("content")
        if key and content is not None:
            signals.meta.setdefault(key.strip().lower(), []).append(collapse(content))
    for script in tree.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            try:
                _flatten_ld(json.loads(script.text), signals.ld_objects)
            except (ValueError, RecursionError):
                continue
    title = tree.find(".//title")
    signals.title_tag = _text(title) if title is not None else None
    signals.h1s = [t for t in (_text(h) for h in tree.iter("h1")) if t][:5]
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href") and not signals.canonical:
            signals.canonical = link.get("href").strip()
    match = _SAVED_FROM.search(head_text) or _SINGLEFILE.search(head_text)
    signals.saved_from = match.group(1) if match else None
    for element in tree.xpath(
        "//*[@rel='author' or @itemprop='author' or contains(@class,'vcard') "
        "or contains(@class,'author') or contains(@class,'byline')][not(self::meta)]"
    )[:20]:
        names = element.xpath(".//*[contains(concat(' ',@class,' '),' fn ') or @itemprop='name']")
        text = _text(names[0]) if names else _text(element)
        if 0 < len(text) < 100:
            signals.byline_names.append(text)
    signals.time_values = [
        t.get("datetime") or t.get("content") or "" for t in tree.iter("time") if t.get("datetime")
    ][:10]
    signals.html_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    return signals


def _ld_names(value: Any, graph: dict[str, dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            ref = graph.get(str(item.get("@id")), {}) if "name" not in item else item
            name = ref.get("name")
            if isinstance(name, str):
                names.append(name)
            elif isinstance(name, list):
                names.extend(n for n in name if isinstance(n, str))
    return names


def _ld_articles(signals: Signals) -> list[dict[str, Any]]:
    out = []
    for obj in signals.ld_objects:
        kinds = obj.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
            out.append(obj)
    return out


def parse_date(value: str | None) -> dt.date | None:
    """The calendar date written in ``value`` (ISO forms or English month names), or None."""
    if not value:
        return None
    match = _DATE_NUMERIC.search(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        words = _DATE_WORDS_MDY.search(value)
        if words and words.group(1).lower() in _MONTHS:
            month, day, year = _MONTHS[words.group(1).lower()], int(words[2]), int(words[3])
        else:
            words = _DATE_WORDS_DMY.search(value)
            if not (words and words.group(2).lower() in _MONTHS):
                return None
            day, month, year = int(words[1]), _MONTHS[words.group(2).lower()], int(words[3])
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if date <= dt.date.today() + dt.timedelta(days=2) else None


def clean_author(name: str) -> list[str]:
    """Real person or desk names from one author string: prefixes, accounts and emails dropped."""
    name = collapse(_BY_PREFIX.sub("", collapse(name)))
    out = []
    for part in _AUTHOR_SPLIT.split(name):
        part = part.strip(" .,:;|-–—·•\"'()[]")
        part = _BY_PREFIX.sub("", part)
        if not part or len(part) > 60 or _EMAIL_OR_URL.search(part):
            continue
        if part.lower() in _GENERIC_AUTHORS or _ACCOUNT.match(part):
            continue  # a CMS account name such as "admin" or "jsmith", not a byline
        if not any(ch.isalpha() for ch in part) or len(part.split()) > 6:
            continue
        out.append(part)
    return out


def _unique(raw_names: list[str]) -> list[str]:
    names: list[str] = []
    for raw in raw_names:
        for name in clean_author(raw):
            if normalise_key(name) not in {normalise_key(n) for n in names}:
                names.append(name)
    return names


def _choose_authors(
    signals: Signals, graph: dict[str, dict[str, Any]], site_keys: set[str]
) -> tuple[str, ...]:
    sources: list[list[str]] = []
    for article in _ld_articles(signals):
        sources.append(_ld_names(article.get("author") or article.get("creator"), graph))
    sources.append([v for key in _AUTHOR_META for v in signals.meta.get(key, ())])
    label = signals.first("twitter:label1") or ""
    if label.lower().startswith(("written by", "author")):
        sources.append([signals.first("twitter:data1") or ""])
    # In the page itself, only the first element that reads as a byline counts.
    for raw in signals.byline_names:
        names = clean_author(_BYLINE_END.sub("", _BY_PREFIX.sub("", raw)))
        if names:
            sources.append(names)
            break
    fallback: list[str] = []
    for candidates in sources:
        names = _unique(candidates)
        if names and all(normalise_key(n) in site_keys for n in names):
            fallback = fallback or names  # the publisher named as author: a last resort
            continue
        if names:
            return tuple(names[:8])
    return tuple(fallback[:8])


def _split_title(title: str) -> list[str]:
    return [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """``title`` without a leading or trailing site name such as ``" | Example News"``."""
    parts = _split_title(title)
    if len(parts) < 2:
        return title
    keys = {normalise_key(s) for s in site_names if s}
    for index in (-1, 0):
        key = normalise_key(parts[index])
        if key in keys or any(k and (k in key or key in k) for k in keys if len(k) > 3):
            rest = (
                title.split(parts[index], 1)[1] if index == 0 else title.rsplit(parts[index], 1)[0]
            )
            return rest.strip(" -|–—·•»:/")
    # No known site name: drop a short trailing segment after the last " | " or " - ".
    last = parts[-1]
    if len(last.split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3:
        return title.rsplit(last, 1)[0].strip(" -|–—·•»:/")
    return title


def _consistent(a: str, b: str) -> bool:
    ka, kb = normalise_key(a), normalise_key(b)
    return bool(ka and kb) and (
        ka == kb or (len(ka) > 10 and ka in kb) or (len(kb) > 10 and kb in ka)
    )


def _word_overlap(candidate: str, reference: str) -> float:
    words, ref_words = set(normalise_key(candidate).split()), set(normalise_key(reference).split())
    longest = max(len(words), len(ref_words))
    return len(words & ref_words) / longest if longest else 0.0


def _choose_title(signals: Signals, headline: str | None, site_names: list[str]) -> str | None:
    og = signals.first("og:title", "twitter:title", "dc.title", "dcterms.title")
    tag = signals.title_tag
    references = [strip_site_suffix(t, site_names) for t in (headline, og, tag) if t]
    site_keys = {normalise_key(name) for name in site_names}
    best, best_score = None, 0.5
    for h1 in signals.h1s:
        if normalise_key(h1) in site_keys or len(h1.split()) < 2:
            continue  # the site's logo or a section label, not the headline
        score = max((_word_overlap(h1, ref) for ref in references), default=0.0)
        if score > best_score or (best is None and score >= best_score):
            best, best_score = h1, score
    if best:
        return best
    if headline and any(_consistent(headline, ref) for ref in (og, tag) if ref):
        return headline
    for candidate in (og, tag, headline):
        if candidate:
            return strip_site_suffix(candidate, site_names) or candidate
    return signals.h1s[0] if len(signals.h1s) == 1 else None


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def _title_site(signals: Signals, title: str | None) -> str | None:
    tag = signals.first("og:title") or signals.title_tag
    if not tag or not title:
        return None
    parts = _split_title(tag)
    if len(parts) >= 2:
        for index in (-1, 0):
            if not _consistent(parts[index], title) and len(parts[index].split()) <= 5:
                return parts[index].strip()
    return None


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
    site_name = signals.first("og:site_name", "application-name", "al:ios:app_name")
    site_name = site_name or next(iter(publisher_names + website_names), None)
    headline = ld.get("headline") or ld.get("name")
    headline = collapse(headline) if isinstance(headline, str) else None
    site_candidates = [s for s in (site_name, _domain(url)) if s]
    title = _choose_title(signals, headline, site_candidates)
    site_name = site_name or _title_site(signals, title) or _domain(url)
    published = (
        parse_date(ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None)
        or parse_date(signals.first(*_DATE_META))
        or next((d for d in map(parse_date, signals.time_values) if d), None)
        or _url_date(url)
        or _url_date(signals.saved_from)
    )
    modified = parse_date(
        ld.get("dateModified") if isinstance(ld.get("dateModified"), str) else None
    ) or parse_date(signals.first(*_MODIFIED_META))
    description = signals.first("description", "og:description", "twitter:description")
    return PageMetadata(
        title=title or None,
        authors=_choose_authors(
            signals, graph, {normalise_key(n) for n in [*site_candidates, *publisher_names]}
        ),
        site_name=collapse(site_name) if site_name else None,
        published=published,
        modified=modified,
        url=url,
        description=description,
        language=_language(signals, ld),
    )


def _url_date(url: str | None) -> dt.date | None:
    match = _DATE_URL.search(urlsplit(url).path) if url else None
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
