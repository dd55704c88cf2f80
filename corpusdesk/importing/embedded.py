"""A capture's own images in the preview: short references when stored, ``data:`` URIs when shown.

An MHTML file, a Safari web archive or a saved page's ``NAME_files`` folder holds the images the
page showed. At import, every ``<img>`` whose source is one of those images is noted with the
paragraph that follows it, and goes into the preview HTML before that paragraph (if it is part
of the article) as a reference ``embedded:<16 hex digits>.<ext>`` (a digest of the image's
location): the text is extracted as for any page, the stored preview HTML stays small and names
nothing remote, and other images are left out. When the preview is shown,
:func:`inline_images` puts each referenced image in as a ``data:`` URI, read from the stored
copy (the original capture, or the images stored beside it), and drops the images it cannot
find. Nothing is ever fetched.

No Qt here: the window calls this through the library.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from corpusdesk.core.records import EmbeddedResource

IMAGE_TYPES = {
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/pjpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/bmp": "bmp",
}
"""Raster image types shown in the preview, and the extension of their reference. SVG is left
out: it is a document that can load other things."""

IMAGE_SUFFIXES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
IMAGE_SUFFIXES |= {".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp"}
"""Media types of image files by name, for images kept in folders."""

MAX_IMAGE_BYTES = 5 * 1024 * 1024
"""Larger images are left out of the preview (and not stored beside an article)."""

MAX_PREVIEW_IMAGE_BYTES = 20 * 1024 * 1024
"""At most this much image data goes into one preview; later images are left out."""

PREFIX = "embedded:"
REFERENCE = re.compile(r"embedded:[0-9a-f]{16}\.(?:jpg|png|gif|webp|bmp)")
"""A reference as stored in preview HTML; nothing else may stand in an image's source."""

MIN_IMAGE_SIDE = 50
"""Images declared smaller than this (in either direction) are icons or tracking pixels."""
_FURNITURE_TAGS = frozenset({"header", "nav", "footer", "aside", "form", "button"})
_PAGE_PARTS = frozenset({"header", "footer"})
"""Furniture on a page, but an article's own header (its lead image) inside an article."""
_FURNITURE_NAMES = re.compile(
    r"(?<![a-z0-9])(?:logo|avatar|icon|share|sharing|social|sidebar|widget|banner|sponsor\w*|"
    r"related|comments?|ads?|advert\w*|promo)(?![a-z0-9])"
)
MIN_ANCHOR_WORDS = 6
"""A paragraph this long or longer can carry the images before it."""
ANCHOR_CHARS = 60
_ANCHOR_TAGS = frozenset({"p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre"})
_NON_WORD = re.compile(r"[\W_]+")

_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\bsrc="([^"]*)"')
_SOURCES = ("data-src", "data-lazy-src", "data-original", "src")
_SOURCE_SETS = ("srcset", "data-srcset")


def media_type(name: str) -> str | None:
    """The media type of a shown image file called ``name``, or None."""
    return IMAGE_SUFFIXES.get(posixpath.splitext(name.lower())[1])


def reference(location: str, media: str) -> str | None:
    """The stored reference of the image at ``location``; None for a type not shown."""
    extension = IMAGE_TYPES.get(media.lower())
    if extension is None:
        return None
    digest = hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{PREFIX}{digest}.{extension}"


def _keys(location: str) -> list[str]:
    """The forms a location is matched in: as given without its fragment, and as a path."""
    location = location.strip()
    if location.lower().startswith("cid:"):
        return ["cid:" + unquote(location[4:]).strip("<>")]
    keys = [urldefrag(location).url]
    if not urlsplit(location).scheme:
        keys.append(posixpath.normpath(unquote(urldefrag(location).url)).lstrip("/"))
    return keys


@dataclass(frozen=True, slots=True)
class PlacedImage:
    """An image the page shows: its stored reference, its alternative text and the key of
    the paragraph that follows it in the page."""

    reference: str
    alt: str
    anchor: str


class ImageIndex:
    """The images of one capture, found by the sources a page gives its ``<img>`` elements."""

    def __init__(self, base_url: str | None, images: Iterable[tuple[str, str]]) -> None:
        """``images``: (location, media type) of each image the capture holds."""
        self.base_url = base_url
        self.used: set[str] = set()
        """Locations of the images some ``<img>`` of the page referred to."""
        self._by_key: dict[str, tuple[str, str]] = {}
        for location, media in images:
            if media.lower() in IMAGE_TYPES:
                for key in _keys(location):
                    self._by_key.setdefault(key, (location, media))

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def find(self, src: str, base: str | None = None) -> tuple[str, str] | None:
        """The (location, media type) of the image ``src`` (relative to ``base``) names."""
        src = src.strip()
        if not src or src.lower().startswith("data:"):
            return None
        base = base or self.base_url
        candidates = _keys(src)
        if base and not src.lower().startswith("cid:"):
            with contextlib.suppress(ValueError):  # a malformed address
                candidates.insert(0, urldefrag(urljoin(base, src)).url)
        for key in candidates:
            found = self._by_key.get(key)
            if found is not None:
                return found
        return None

    def place(self, tree: Any) -> list[PlacedImage]:
        """The ``<img>`` elements of the parsed page that show capture images, in page order,
        each with the paragraph that follows it (where the preview puts it)."""
        base = self.base_url
        for element in tree.iter("base"):
            if element.get("href"):
                with contextlib.suppress(ValueError):  # a malformed address
                    base = urljoin(base or "", element.get("href").strip())
                break
        placed: list[PlacedImage] = []
        waiting: list[tuple[str, str]] = []
        for element in tree.iter():
            tag = element.tag
            if tag == "img":
                found = None if _is_furniture(element) else self._image(element, base)
                if found is not None:
                    location, media = found
                    self.used.add(location)
                    alt = " ".join((element.get("alt") or "").split())
                    waiting.append((reference(location, media) or "", alt))
            elif waiting and tag in _ANCHOR_TAGS:
                key = _anchor_of(element)
                if key:
                    placed.extend(PlacedImage(ref, alt, key) for ref, alt in waiting)
                    waiting = []
        return placed

    def _image(self, image: Any, base: str | None) -> tuple[str, str] | None:
        """The capture image an ``<img>`` shows: a lazy-loading page's real source first,
        then ``src``, then the candidates of ``srcset`` (a browser saves the one it loaded)."""
        sources = [image.get(attribute) or "" for attribute in _SOURCES]
        for attribute in _SOURCE_SETS:
            sources.extend(
                part.split()[0] for part in (image.get(attribute) or "").split(",") if part.split()
            )
        for source in sources:
            found = self.find(source, base) if source else None
            if found is not None:
                return found
        return None


def _is_furniture(image: Any) -> bool:
    """Whether an image is page furniture: an icon or pixel, a logo, or in a site's header,
    navigation, footer or sidebar rather than the article."""
    for side in ("width", "height"):
        value = (image.get(side) or "").strip()
        if value.isdigit() and int(value) < MIN_IMAGE_SIDE:
            return True
    in_article = any(parent.tag == "article" for parent in image.iterancestors())
    for element in (image, *image.iterancestors()):
        if element.tag in ("body", "html"):
            break  # their class names describe the whole page's layout
        if element.tag in _FURNITURE_TAGS and not (in_article and element.tag in _PAGE_PARTS):
            return True
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if names.strip() and _FURNITURE_NAMES.search(names):
            return True
    return False


def _anchor_of(element: Any) -> str:
    """The key of a paragraph an image can be placed before ("" for one too short, or part of
    a figure's caption)."""
    text = element.text_content()
    if len(text.split()) < MIN_ANCHOR_WORDS:
        return ""
    if any(parent.tag in ("figure", "figcaption") for parent in element.iterancestors()):
        return ""
    return anchor_key(text)


def anchor_key(text: str) -> str:
    """How a paragraph is recognised again after extraction: its first words, normalised."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())[:ANCHOR_CHARS]


def has_images(preview_html: str) -> bool:
    """Whether stored preview HTML refers to images of its capture."""
    return PREFIX in preview_html and REFERENCE.search(preview_html) is not None


def inline_images(preview_html: str, images: Iterable[EmbeddedResource]) -> str:
    """``preview_html`` with each image reference replaced by its image as a ``data:`` URI.

    Images not among ``images``, larger than :data:`MAX_IMAGE_BYTES` or beyond
    :data:`MAX_PREVIEW_IMAGE_BYTES` in all are removed.
    """
    if not has_images(preview_html):
        return preview_html
    by_reference: dict[str, EmbeddedResource] = {}
    for image in images:
        ref = reference(image.location, image.media_type)
        if ref is not None:
            by_reference.setdefault(ref, image)
    budget = MAX_PREVIEW_IMAGE_BYTES

    def replace(match: re.Match[str]) -> str:
        nonlocal budget
        tag = match.group()
        src = _SRC.search(tag)
        image = by_reference.get(html.unescape(src.group(1))) if src else None
        if src is None or image is None or len(image.data) > min(MAX_IMAGE_BYTES, budget):
            return ""
        budget -= len(image.data)
        encoded = base64.b64encode(image.data).decode("ascii")
        uri = f"data:{image.media_type.lower()};base64,{encoded}"
        return tag[: src.start(1)] + uri + tag[src.end(1) :]

    return _IMG_TAG.sub(replace, preview_html)
