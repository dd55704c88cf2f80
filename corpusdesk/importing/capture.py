"""A captured page through the pure steps: its format unpacked, its article extracted.

The same function serves the import (a worker with a :class:`CapturedPage`) and re-cleaning
(the stored original bytes and name, and the images stored beside the article), so both read a
capture the same way. It also finds when the page was saved, where the capture says so: the
capture format's own date (MHTML's ``Date``) or the header comment SingleFile writes
(``saved date: …``). Which container the page came from is never looked at here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from corpusdesk.core.records import EmbeddedResource, ExtractedArticle
from corpusdesk.importing.embedded import ImageIndex
from corpusdesk.importing.extract import PageContext, extract_article
from corpusdesk.importing.sources import CaptureMetadata, UnpackedPage
from corpusdesk.importing.sources.formats import page_format

HEAD_BYTES = 8192
"""How far into a page the SingleFile header comment is looked for."""

_SINGLEFILE_DATE = re.compile(
    rb"saved date:\s*(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s+"
    rb"(\d{1,2}):(\d{2}):(\d{2})(?:\s*(?:GMT|UTC)\s*([+-]\d{2}):?(\d{2}))?"
)
_MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


@dataclass(frozen=True, slots=True)
class ExtractedCapture:
    """The article in a captured page and what its capture said."""

    article: ExtractedArticle
    captured_at: dt.datetime | None
    """When the page was saved, if the capture format or the page says (aware or UTC)."""
    used_resources: tuple[EmbeddedResource, ...]
    """Those of the resources given beside the page that the page shows."""


def singlefile_saved_at(html: bytes) -> dt.datetime | None:
    """The ``saved date`` of SingleFile's header comment at the start of ``html``, if any.

    SingleFile writes it in JavaScript's ``Date.toString`` form,
    ``Thu Dec 21 2023 15:02:44 GMT+0100 (Central European Standard Time)``.
    """
    head = html[:HEAD_BYTES]
    if b"SingleFile" not in head:
        return None
    match = _SINGLEFILE_DATE.search(head)
    if match is None:
        return None
    month = _MONTHS.get(match.group(1).decode("ascii").lower())
    if month is None:
        return None
    hours, minutes = match.group(7) or b"+00", match.group(8) or b"00"
    sign = -1 if hours.startswith(b"-") else 1
    offset = sign * dt.timedelta(hours=abs(int(hours)), minutes=int(minutes))
    try:
        return dt.datetime(
            int(match.group(3)),
            month,
            int(match.group(2)),
            int(match.group(4)),
            int(match.group(5)),
            int(match.group(6)),
            tzinfo=dt.timezone(offset),
        )
    except ValueError:
        return None


def extract_capture(
    data: bytes,
    name: str,
    *,
    url: str | None = None,
    charset: str | None = None,
    resources: Sequence[EmbeddedResource] = (),
    stored_images: Sequence[tuple[str, str]] = (),
) -> ExtractedCapture:
    """Extract the article in the captured page ``data`` called ``name``.

    ``url`` and ``charset`` are what the container says of the page, ``resources`` the images
    it holds beside it; the capture format's own say wins. ``stored_images`` are the (location,
    media type) of images already stored beside the article, for re-cleaning. Raises
    ``ImportFailure``.
    """
    capture_format = page_format(name, data)
    unpacked = capture_format.unpack(data) if capture_format else UnpackedPage(html=data)
    images = [(r.location, r.media_type) for r in (*unpacked.resources, *resources)]
    images.extend(stored_images)
    page_url = unpacked.url or url
    index = ImageIndex(page_url, images) if images else None
    context = PageContext(
        charset=unpacked.charset or charset,
        url=page_url,
        images=index,
        known_html=capture_format is not None,  # the format took out a page, not any file
    )
    article = extract_article(unpacked.html, name, context)
    used = tuple(r for r in resources if index is not None and r.location in index.used)
    captured = unpacked.captured_at or singlefile_saved_at(unpacked.html)
    return ExtractedCapture(article, captured, used)


def with_container_metadata(
    article: ExtractedArticle, metadata: CaptureMetadata
) -> ExtractedArticle:
    """``article`` with the fields the page left empty taken from its container's record."""
    title = article.title or metadata.title
    authors = article.authors or metadata.authors
    published = article.published or metadata.published
    if (title, authors, published) == (article.title, article.authors, article.published):
        return article
    return replace(article, title=title, authors=authors, published=published)


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """``moment`` as UTC without tzinfo, to the second (naive times are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)
