"""The preview of a stored article with the images its capture holds, read from the library.

The stored preview HTML refers to a capture's images by short references (see
``corpusdesk.importing.embedded``). Here they are looked up in the stored copy, never fetched:
in the original capture itself (the parts of an MHTML file, the subresources of a web archive)
and among the images stored beside the article (a saved page's ``NAME_files`` folder).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpusdesk.core.errors import ImportFailure, UserError
from corpusdesk.core.records import EmbeddedResource
from corpusdesk.importing.embedded import has_images, inline_images
from corpusdesk.importing.sources import unpack_page
from corpusdesk.library.articles import fetch_original
from corpusdesk.library.schema import Article, StoredResource


def stored_images(session: Session, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(location, media type) of the images stored beside each of the articles ``ids``."""
    found: dict[int, list[tuple[str, str]]] = {}
    statement = select(
        StoredResource.article_id, StoredResource.location, StoredResource.media_type
    ).where(StoredResource.article_id.in_(ids))
    for article_id, location, media in session.execute(statement):
        found.setdefault(article_id, []).append((location, media))
    return found


def _capture_images(session: Session, article_id: int, name: str) -> list[EmbeddedResource]:
    images = [
        EmbeddedResource(location, media, data)
        for location, media, data in session.execute(
            select(StoredResource.location, StoredResource.media_type, StoredResource.data).where(
                StoredResource.article_id == article_id
            )
        )
    ]
    # Without a readable original the images it held are left out.
    with contextlib.suppress(ImportFailure, UserError):
        images.extend(unpack_page(name, fetch_original(session, article_id)).resources)
    return images


def page_source(session: Session, article_id: int) -> bytes:
    """The HTML of the article's original page: inside its capture (the MHTML file's page part
    undone from its transfer encoding, a web archive's main resource), or the original itself."""
    name = session.scalar(select(Article.source_name).where(Article.id == article_id))
    original = fetch_original(session, article_id)
    try:
        return unpack_page(name or "", original).html
    except ImportFailure:
        return original


def preview_html(session: Session, article_id: int) -> str:
    """The article's preview HTML with its capture's images in it as ``data:`` URIs."""
    row = session.execute(
        select(Article.html, Article.source_name).where(Article.id == article_id)
    ).first()
    if row is None:
        raise UserError(f"article #{article_id} is not in the library")
    html, name = row
    if not has_images(html):
        return str(html)
    return inline_images(html, _capture_images(session, article_id, name))
