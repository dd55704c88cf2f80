"""Export records as CSL-JSON, the citation items Zotero, pandoc and citeproc read.

Each article becomes one item with the CSL-JSON schema's variable names; a value the article
lacks is left out rather than written empty. The mapping (also in the README):

- ``id``: ``corpusdesk-`` and the article's id, unique within the library;
- ``type``: ``post-weblog`` for a blog (a site or address naming one, or a known blog host),
  ``article-magazine`` for a site calling itself a magazine, ``article-newspaper`` for other
  articles with a site and a publication date, ``webpage`` for the rest;
- ``author``: ``{"family", "given"}`` split at the last space (or at a comma in "Family,
  Given"), ``{"literal"}`` for a name of one word, as organisations and names in scripts
  without spaces are;
- ``issued`` the publication date, ``accessed`` the capture date (else the import date), as
  ``{"date-parts": [[year, month, day]]}``;
- ``title``, ``container-title`` (the site), ``URL``, ``language``, ``abstract`` (the
  description) and ``keyword`` (the tags, joined with ``", "``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from corpusdesk.exporting.formats import ExportOptions, Sink

KEYWORD_SEPARATOR = ", "
BLOG_HOSTS = ("blogspot.", "wordpress.com", "substack.com", "medium.com", "tumblr.com")
_BLOG_WORD = re.compile(r"\bblog", re.IGNORECASE)
_MAGAZINE_WORD = re.compile(r"\b(?:magazine|mag)\b", re.IGNORECASE)
_WRITE_BATCH = 200


def item_type(record: dict[str, Any]) -> str:
    """The CSL item type of an article, from its site, address and date."""
    site = record.get("site_name") or ""
    url = record.get("url") or ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if (
        _BLOG_WORD.search(site)
        or any(blog in host for blog in BLOG_HOSTS)
        or _BLOG_WORD.search(host)
        or "/blog" in parts.path.lower()
    ):
        return "post-weblog"
    if _MAGAZINE_WORD.search(site):
        return "article-magazine"
    if site and record.get("published"):
        return "article-newspaper"
    return "webpage"


def csl_name(name: str) -> dict[str, str]:
    """One author as a CSL name."""
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip():
            return {"family": family.strip(), "given": given.strip()}
    given, _, family = name.strip().rpartition(" ")
    if not given:
        return {"literal": name.strip()}
    return {"family": family, "given": given.strip()}


def _date_parts(iso: str | None) -> dict[str, list[list[int]]] | None:
    if not iso:
        return None
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return {"date-parts": [[year, month, day]]}


def csl_item(record: dict[str, Any]) -> dict[str, Any]:
    """The CSL-JSON item of one export record."""
    item: dict[str, Any] = {
        "id": f"corpusdesk-{record['id']}",
        "type": item_type(record),
        "title": record["title"],
        "author": [csl_name(name) for name in record["authors"]],
        "issued": _date_parts(record["published"]),
        "container-title": record["site_name"],
        "URL": record["url"],
        "accessed": _date_parts(record["captured_at"] or record["imported_at"]),
        "language": record["language"],
        "abstract": record["description"],
        "keyword": KEYWORD_SEPARATOR.join(record["tags"]),
    }
    return {key: value for key, value in item.items() if value}


def write_csl_json(sink: Sink, records: Iterable[dict[str, Any]], _options: ExportOptions) -> None:
    """Write ``records`` as one JSON array of CSL items."""
    pending: list[str] = ["["]
    written = 0
    for record in records:
        pending.append("\n" if written == 0 else ",\n")
        pending.append(json.dumps(csl_item(record), ensure_ascii=False))
        written += 1
        if len(pending) >= _WRITE_BATCH:
            sink.write("".join(pending).encode("utf-8"))
            pending.clear()
    pending.append("\n]\n" if written else "]\n")
    sink.write("".join(pending).encode("utf-8"))
