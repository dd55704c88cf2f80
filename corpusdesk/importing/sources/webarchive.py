"""Safari web archives (``.webarchive``): a page and its resources in a property list.

The archive is a (usually binary) property list, read with :mod:`plistlib`. Its
``WebMainResource`` holds the page: the bytes (``WebResourceData``), the charset Safari read
them with (``WebResourceTextEncodingName``) and the address (``WebResourceURL``);
``WebSubresources`` hold the images and other files the page loaded, each with its own data,
type and address. A web archive records no capture time.
"""

from __future__ import annotations

import plistlib
from typing import Any

from corpusdesk.core.errors import ImportFailure
from corpusdesk.core.records import EmbeddedResource
from corpusdesk.importing.embedded import IMAGE_TYPES
from corpusdesk.importing.sources.base import UnpackedPage

_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def _text(resource: dict[str, Any], key: str) -> str | None:
    value = resource.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _images(archive: dict[str, Any]) -> tuple[EmbeddedResource, ...]:
    found: list[EmbeddedResource] = []
    subresources = archive.get("WebSubresources")
    for resource in subresources if isinstance(subresources, list) else []:
        if not isinstance(resource, dict):
            continue
        media = (_text(resource, "WebResourceMIMEType") or "").lower()
        location = _text(resource, "WebResourceURL")
        data = resource.get("WebResourceData")
        if media in IMAGE_TYPES and location and isinstance(data, bytes) and data:
            found.append(EmbeddedResource(location, media, data))
    return tuple(found)


class WebArchiveFormat:
    """The Safari web archive page format."""

    label = "Safari web archive"
    suffixes = frozenset({".webarchive"})

    def recognises(self, head: bytes) -> bool:
        """A binary property list whose first objects name a web archive's keys."""
        return head.startswith(b"bplist00") and (
            b"WebMainResource" in head or b"WebSubresources" in head
        )

    def unpack(self, data: bytes) -> UnpackedPage:
        """The main resource's page, its charset and address, and the archive's images."""
        try:
            archive = plistlib.loads(data)
        except (MemoryError, RecursionError):
            raise
        except Exception as error:  # plistlib's many ways of meeting a damaged file
            reason = f"{type(error).__name__}"
            raise ImportFailure(f"the web archive is damaged: {reason}") from None
        main = archive.get("WebMainResource") if isinstance(archive, dict) else None
        if not isinstance(main, dict):
            raise ImportFailure("not a Safari web archive: it has no main resource")
        media = (_text(main, "WebResourceMIMEType") or "text/html").lower()
        if media not in _PAGE_TYPES:
            raise ImportFailure(f"the web archive holds a {media} file, not a page")
        html = main.get("WebResourceData")
        if not isinstance(html, bytes) or not html.strip():
            raise ImportFailure("the web archive's page is empty")
        return UnpackedPage(
            html=html,
            charset=_text(main, "WebResourceTextEncodingName"),
            url=_text(main, "WebResourceURL"),
            resources=_images(archive),
        )


FORMAT = WebArchiveFormat()
