"""Frozen records that cross layer boundaries: import drafts, table rows, reports.

They are plain data (picklable, comparable, no ORM state), so worker processes can return them,
Qt models can cache them and tests can build them by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What the pure extraction steps make of one page: clean text plus metadata."""

    title: str | None
    authors: tuple[str, ...]
    site_name: str | None
    published: dt.date | None
    modified: dt.date | None
    url: str | None
    description: str | None
    language: str | None
    text: str
    """The clean article text, paragraphs separated by one blank line."""
    html: str
    """Sanitised HTML of the main content for the preview: no scripts, forms or remote loads."""
    encoding: str
    """The character encoding the page was decoded with (``utf-8``, ``windows-1252`` …)."""


@dataclass(frozen=True, slots=True)
class EmbeddedResource:
    """A file a captured page shows (an image), kept with its article for the preview."""

    location: str
    """How the capture names it: an absolute URL, ``cid:ID``, or a path relative to the page."""
    media_type: str
    """``image/jpeg``, ``image/png`` …"""
    data: bytes


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """A page ready to be written: extraction result, original bytes and signatures."""

    source_name: str
    source_path: str
    sha256: str
    original_compressed: bytes
    """The original file bytes, zlib-compressed."""
    original_size: int
    article: ExtractedArticle
    text_sha256: str
    minhash: tuple[int, ...]
    """Near-duplicate signature of the text (MinHash over word shingles)."""
    block_samples: dict[int, str]
    """Key → start of each distinct paragraph, for learning the site's template."""
    word_count: int
    extractor_version: str
    source_member: str | None = None
    """Where in the container at ``source_path`` the page was (a zip member …); None for a
    page that is a file of its own."""
    captured_at: dt.datetime | None = None
    """When the page was saved, in UTC without tzinfo: the capture's own date, else the file's
    modification time."""
    resources: tuple[EmbeddedResource, ...] = ()
    """Images kept with the article that its original bytes do not hold themselves."""
    tags: tuple[str, ...] = ()
    """Tags the container gave the page (a reference manager's, say)."""

    @property
    def label(self) -> str:
        """The page's place for reports: its path, or the container's path and the member."""
        return page_label(self.source_path, self.source_member)


def page_label(source_path: str, member: str | None) -> str:
    """A page's place in reports and logs: a member of a container is named as if the
    container were a folder (``pages.zip/news/a.html``)."""
    return source_path if not member else f"{source_path.rstrip('/')}/{member}"


@dataclass(frozen=True, slots=True)
class StoredOriginal:
    """What re-extracting a stored article starts from."""

    name: str
    """The page's file name."""
    data: bytes
    """The original bytes (a page, or a single-page capture such as MHTML)."""
    images: tuple[tuple[str, str], ...] = ()
    """(location, media type) of the images stored beside the article."""


class Outcome(StrEnum):
    """What happened to one file of an import."""

    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class FileResult:
    """One line of an import report."""

    path: str
    outcome: Outcome
    article_id: int | None = None
    reason: str = ""
    """For failures, why; for files already in the library, which article they are."""
    near_duplicate_of: int | None = None
    """Set when the imported article is a copy of a stored one (a republication, the same or
    nearly the same text) and joined that article's group of copies."""


@dataclass(slots=True)
class ImportReport:
    """The result of one import run."""

    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    cancelled: bool = False
    results: list[FileResult] = field(default_factory=list)
    sources: tuple[str, ...] = ()
    """The files and folders the import was given, as given."""

    def count(self, outcome: Outcome) -> int:
        """How many files ended with ``outcome``."""
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def imported(self) -> int:
        return self.count(Outcome.IMPORTED)

    @property
    def duplicates(self) -> int:
        """Files skipped because the very same file is in the library already."""
        return self.count(Outcome.DUPLICATE)

    @property
    def copies(self) -> int:
        """Imported articles that are copies of stored ones, grouped with them."""
        return sum(1 for result in self.results if result.near_duplicate_of is not None)

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.results if result.outcome is Outcome.FAILED]

    def summary(self) -> str:
        """One line for a status bar or the end of a CLI run."""
        return import_summary(
            self.imported, self.duplicates, len(self.failed), self.copies, self.cancelled
        )


def import_summary(
    imported: int, already: int, failed: int, copies: int = 0, cancelled: bool = False
) -> str:
    """``3 imported (1 of them a copy of a stored article), 2 already in the library, 0 failed``.

    Files already in the library (the very same bytes) are skipped; copies (the same article
    from another site or page) are imported and grouped with the articles they copy.
    """
    text = f"{imported:,} imported"
    if copies:
        what = "a copy of a stored article" if copies == 1 else "copies of stored articles"
        text += f" ({copies:,} of them {what})"
    text += f", {already:,} already in the library, {failed:,} failed"
    return text + (" (cancelled)" if cancelled else "")


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Progress of a running import, passed to the progress callback."""

    done: int
    total: int
    current: str


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What the articles table shows for one article."""

    id: int
    title: str
    site_name: str
    authors: tuple[str, ...]
    published: dt.date | None
    word_count: int
    tags: tuple[str, ...]
    duplicate_group: int | None
    source_name: str
    copies: int = 0
    """How many articles of the library (this one included) are in its group of copies."""


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """Everything the preview and the exporter need about one article."""

    id: int
    title: str
    authors: tuple[str, ...]
    site_name: str
    published: dt.date | None
    modified: dt.date | None
    url: str
    description: str
    language: str
    text: str
    html: str
    word_count: int
    tags: tuple[str, ...]
    duplicate_group: int | None
    source_name: str
    source_path: str
    sha256: str
    imported_at: dt.datetime
    encoding: str
    extractor_version: str
    source_member: str | None = None
    captured_at: dt.datetime | None = None
    """When the page was saved (UTC), as the import found it."""


@dataclass(frozen=True, slots=True)
class TagInfo:
    """A tag with the number of (non-deleted) articles carrying it."""

    id: int
    name: str
    color: str | None
    count: int


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A query the user saved under a name."""

    id: int
    name: str
    query: str
