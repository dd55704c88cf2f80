"""The library facade: the one object the GUI, the CLI and the pipeline call.

Each public method is one unit of work: it opens a session, does its reads or writes and
commits (writes take SQLite's write lock up front, so concurrent processes wait rather than
fail). Everything returned is a plain record. Methods are safe to call from any one thread at a
time; the GUI calls them from worker threads, never with live ORM objects crossing back.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, distinct, func, select, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from corpusdesk.analysis.concordance import DEFAULT_WIDTH, ConcordanceLine, concordance
from corpusdesk.analysis.terms import TermMatcher, parse_term
from corpusdesk.analysis.trends import DatedCount, Split
from corpusdesk.core.errors import LibraryError, UserError
from corpusdesk.core.locations import LibraryLocation, Located, parse_location
from corpusdesk.core.paths import default_library_path
from corpusdesk.core.records import (
    ArticleDetail,
    ArticleDraft,
    ArticleRow,
    ExtractedArticle,
    FileResult,
    ImportReport,
    SavedSearch,
    StoredOriginal,
    TagInfo,
)
from corpusdesk.core.snippets import Snippet
from corpusdesk.library import (
    analysis_reader,
    articles,
    hits,
    import_runs,
    previews,
    tags,
)
from corpusdesk.library.analysis_reader import LibrarySummary
from corpusdesk.library.articles import Scope, SortKey, utc_now
from corpusdesk.library.bulk import bulk_write
from corpusdesk.library.dialects import open_backend
from corpusdesk.library.import_runs import ImportRunInfo
from corpusdesk.library.reextract import (
    ArticleChange,
    apply_reextraction,
    forget_articles_blocks,
)
from corpusdesk.library.schema import (
    AUTHOR_SEPARATOR,
    Article,
    Original,
    SavedSearchRow,
    Tag,
)
from corpusdesk.library.tags import TagSnapshot

EDITABLE_FIELDS = ("title", "authors", "site_name", "published", "url", "language")


@dataclass(frozen=True, slots=True)
class LibraryStats:
    """Counts for ``corpusdesk stats`` and the status bar."""

    articles: int
    trashed: int
    tags: int
    sites: int
    duplicate_groups: int
    words: int
    file_size: int


class Library(Located):
    """An open corpusdesk library: a file, or a database on a PostgreSQL server."""

    def __init__(
        self, location: LibraryLocation | str, *, read_only: bool = False, create: bool = True
    ) -> None:
        self.location: LibraryLocation = parse_location(location)
        if isinstance(self.location, Path):
            read_only = read_only or (
                self.location.exists()
                and not (
                    os.access(self.location, os.W_OK) and os.access(self.location.parent, os.W_OK)
                )
            )
        self.backend = open_backend(self.location, read_only=read_only, create=create)
        self.engine = self.backend.engine
        self.read_only = self.backend.read_only
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(
        cls,
        location: LibraryLocation | str | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
    ) -> Library:
        """Open the library at ``location`` (the default library when None).

        A new library is created when there is none, unless ``create`` is False: then
        ``LibraryError("no library at PATH")``, and no file or folder is made.
        """
        return cls(
            location if location is not None else default_library_path(),
            read_only=read_only,
            create=create,
        )

    @property
    def title(self) -> str:
        """A short name: the file's name, or the team library's database and host."""
        return self.backend.title

    def file_identities(self) -> frozenset[tuple[int, int]]:
        """``(st_dev, st_ino)`` of the library file and of its ``-wal``, ``-shm`` and
        ``-journal`` files, those that exist: the files an import must never open (none for
        a team library)."""
        return self.backend.file_identities()

    def close(self) -> None:
        """Release the library; the object must not be used afterwards."""
        self.backend.close()

    def change_counter(self) -> int:
        """A number that changes whenever a commit is made through another connection.

        Another process writing to the library (a CLI import while the app is open, a
        colleague tagging in a team library) changes it, so a window can poll it cheaply and
        refresh. Commits of this object's own sessions change it too, since they use other
        connections than the one watching.
        """
        return self.backend.change_counter()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; nothing is committed."""
        try:
            with self._sessions() as session:
                yield session
        except (DatabaseError, sqlite3.DatabaseError) as error:
            reason = self.backend.read_failure(error)
            if reason is None:
                raise
            raise LibraryError(reason) from error

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session holding the write lock for one unit of work, committed at the end."""
        if self.read_only:
            raise LibraryError(f"{self.title} is open read-only; changes cannot be saved")
        try:
            with self._sessions() as session:
                self.backend.begin_write(session)
                yield session
                session.flush()
                self.backend.before_commit(session)
                session.commit()
        except DatabaseError as error:
            reason = self.backend.write_failure(error)
            if reason is not None:
                raise LibraryError(reason) from error
            if isinstance(error, OperationalError):
                raise LibraryError(
                    f"the change could not be saved: {getattr(error, 'orig', error)}"
                ) from error
            raise

    # -- importing ---------------------------------------------------------------------------

    def add_drafts(self, drafts: Sequence[ArticleDraft]) -> list[FileResult]:
        """Write a batch of import drafts in one transaction; one result per draft.

        The batch is written set-wise (``bulk.bulk_write``): the same duplicate checks and
        template cleaning as one draft at a time, at a fraction of the cost per article.
        """
        with self.writing() as session:
            return bulk_write(session, drafts)

    def bulk_add(self, drafts: Sequence[ArticleDraft]) -> list[FileResult]:
        """Write a large batch of drafts (thousands at once) in one transaction."""
        with self.writing() as session:
            return bulk_write(session, drafts)

    def known_hashes(self, hashes: Sequence[str]) -> set[str]:
        """Which of these file SHA-256 values are already stored."""
        with self.reading() as session:
            found: set[str] = set()
            for start in range(0, len(hashes), articles.ID_BATCH):
                chunk = hashes[start : start + articles.ID_BATCH]
                found.update(
                    session.scalars(select(Article.sha256).where(Article.sha256.in_(chunk)))
                )
            return found

    def save_import_report(self, report: ImportReport) -> int:
        """Keep a finished import's report; returns its id."""
        with self.writing() as session:
            return import_runs.save_report(session, report)

    def import_runs(self) -> list[ImportRunInfo]:
        """Past imports, newest first."""
        with self.reading() as session:
            return import_runs.list_runs(session)

    def import_report(self, run_id: int) -> ImportReport:
        """A past import's report."""
        with self.reading() as session:
            return import_runs.load_report(session, run_id)

    # -- reading ------------------------------------------------------------------------------

    def search_ids(
        self,
        query: str = "",
        *,
        scope: Scope = Scope.LIBRARY,
        sort: SortKey = SortKey.IMPORTED,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[int]:
        """Ids of matching articles in order (the first ``limit`` of them, if given);
        ``QueryError`` for a malformed query."""
        with self.reading() as session:
            return articles.search_ids(
                session, query, scope=scope, sort=sort, descending=descending, limit=limit
            )

    def count(self, query: str = "", *, scope: Scope = Scope.LIBRARY) -> int:
        """How many articles match ``query`` (all live articles for an empty query)."""
        with self.reading() as session:
            return articles.count_matching(session, query, scope=scope)

    def rows(self, ids: Sequence[int]) -> dict[int, ArticleRow]:
        """Table rows for these ids."""
        with self.reading() as session:
            return articles.fetch_rows(session, ids)

    def detail(self, article_id: int) -> ArticleDetail:
        """Everything about one article."""
        with self.reading() as session:
            return articles.fetch_detail(session, article_id)

    def iter_details(self, ids: Sequence[int]) -> Iterator[ArticleDetail]:
        """Details of many articles in order, read in batches (for export)."""
        with self.reading() as session:
            yield from articles.iter_details(session, ids)

    def iter_export(self, ids: Sequence[int]) -> Iterator[bytes]:
        """Each article's export record as one line of JSON in UTF-8, in the order of ``ids``
        (each backend writes them its own way)."""
        with self.reading() as session:
            yield from self.backend.iter_export(session, ids)

    def snippets(self, ids: Sequence[int], query: str) -> dict[int, Snippet]:
        """A snippet of each article's hits of ``query``'s words, with the number of hits."""
        with self.reading() as session:
            return hits.snippets(session, ids, query)

    def copies(self, article_id: int) -> list[ArticleRow]:
        """The live articles in ``article_id``'s group of copies, itself included."""
        with self.reading() as session:
            return hits.copies_of(session, article_id)

    def one_per_group(self, ids: Sequence[int], *, longest: bool = False) -> list[int]:
        """``ids`` keeping one article of each duplicate group among them: the earliest, or
        the longest (see ``hits.one_per_group``)."""
        with self.reading() as session:
            return hits.one_per_group(session, ids, longest=longest)

    def original(self, article_id: int) -> bytes:
        """The page's original bytes."""
        with self.reading() as session:
            return articles.fetch_original(session, article_id)

    def page_source(self, article_id: int) -> bytes:
        """The HTML of the page's original: the page inside a capture such as MHTML."""
        with self.reading() as session:
            return previews.page_source(session, article_id)

    def preview_html(self, article_id: int) -> str:
        """The article's preview HTML with the images its capture holds put in (as ``data:``
        URIs, from the stored copy)."""
        with self.reading() as session:
            return previews.preview_html(session, article_id)

    def stats(self) -> LibraryStats:
        """Counts of what the library holds."""
        live = Article.deleted_at.is_(None)
        with self.reading() as session:
            return LibraryStats(
                articles=session.scalar(select(func.count()).where(live)) or 0,
                trashed=session.scalar(select(func.count()).where(~live)) or 0,
                tags=session.scalar(select(func.count()).select_from(Tag)) or 0,
                sites=session.scalar(select(func.count(distinct(Article.site_name))).where(live))
                or 0,
                duplicate_groups=session.scalar(
                    select(func.count(distinct(Article.duplicate_group))).where(live)
                )
                or 0,
                words=session.scalar(
                    select(func.coalesce(func.sum(Article.word_count), 0)).where(live)
                )
                or 0,
                file_size=self.backend.storage_size(),
            )

    # -- tags ----------------------------------------------------------------------------------

    def tags(self) -> list[TagInfo]:
        """Every tag with its live article count."""
        with self.reading() as session:
            return tags.list_tags(session)

    def create_tag(self, name: str, color: str | None = None) -> bool:
        """Create a tag with no articles; False (and nothing done) if it exists."""
        with self.writing() as session:
            if tags.find_tag(session, name) is not None:
                return False
            tags.get_or_create_tag(session, name, color)
            return True

    def tag_exists(self, name: str) -> bool:
        """Whether there is a tag called ``name`` (in any letter case)."""
        with self.reading() as session:
            return tags.find_tag(session, name) is not None

    def delete_unused_tag(self, name: str) -> bool:
        """Delete the tag if no article (trashed ones included) carries it; whether deleted."""
        with self.writing() as session:
            return tags.delete_unused_tag(session, name)

    def add_tag(self, ids: Sequence[int], name: str) -> list[int]:
        """Tag the articles; returns the ids newly tagged."""
        with self.writing() as session:
            return tags.add_tag(session, ids, name)

    def remove_tag(self, ids: Sequence[int], name: str) -> list[int]:
        """Untag the articles; returns the ids that had the tag."""
        with self.writing() as session:
            return tags.remove_tag(session, ids, name)

    def rename_tag(self, old: str, new: str) -> bool:
        """Rename a tag, merging into ``new`` if it exists; True when merged."""
        with self.writing() as session:
            return tags.rename_tag(session, old, new)

    def delete_tag(self, name: str) -> TagSnapshot:
        """Delete a tag; the snapshot restores it."""
        with self.writing() as session:
            return tags.delete_tag(session, name)

    def snapshot_tag(self, name: str) -> TagSnapshot:
        """A tag and its articles, taken before a change that undo must reverse."""
        with self.reading() as session:
            return tags.snapshot_tag(session, name)

    def restore_tag(self, snapshot: TagSnapshot) -> None:
        """Recreate a deleted tag with its articles."""
        with self.writing() as session:
            tags.restore_tag(session, snapshot)

    def set_tag_color(self, name: str, color: str | None) -> str | None:
        """Set a tag's colour; returns the previous one."""
        with self.writing() as session:
            return tags.set_tag_color(session, name, color)

    # -- metadata and trash ----------------------------------------------------------------

    def update_metadata(
        self,
        article_id: int,
        changes: dict[str, Any],
        expected: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Change editable metadata fields; returns their previous values (for undo).

        ``expected``: the values the editor showed for the changed fields. When one of them
        is no longer the stored value (someone else saved a change meanwhile), nothing is
        changed and ``EditConflict`` says which field changed to what.
        """
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise UserError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
        with self.writing() as session:
            article = session.get(
                Article, article_id, with_for_update=self.backend.name != "sqlite"
            )
            if article is None:
                raise UserError(f"article #{article_id} is not in the library")
            if expected is not None:
                _check_unchanged(article, changes, expected)
            previous: dict[str, Any] = {}
            for field, value in changes.items():
                old = getattr(article, field)
                if field == "authors":
                    previous[field] = articles.split_authors(old)
                    value = AUTHOR_SEPARATOR.join(" ".join(n.split()) for n in value if n.strip())
                else:
                    previous[field] = old
                    if isinstance(value, str):
                        value = value.strip()
                setattr(article, field, value)
            edited = set(article.edited_fields.split()) | set(changes)
            article.edited_fields = " ".join(sorted(edited))
            return previous

    def trash(self, ids: Sequence[int]) -> list[int]:
        """Move articles to the trash; returns the ids that were live."""
        return self._set_deleted(ids, utc_now())

    def restore(self, ids: Sequence[int]) -> list[int]:
        """Bring articles back from the trash; returns the ids that were trashed."""
        return self._set_deleted(ids, None)

    def _set_deleted(self, ids: Sequence[int], when: Any) -> list[int]:
        changed: list[int] = []
        with self.writing() as session:
            for start in range(0, len(ids), articles.ID_BATCH):
                chunk = ids[start : start + articles.ID_BATCH]
                condition = (
                    Article.deleted_at.is_(None) if when else Article.deleted_at.is_not(None)
                )
                hits = session.scalars(
                    select(Article.id).where(Article.id.in_(chunk), condition)
                ).all()
                session.execute(update(Article).where(Article.id.in_(hits)).values(deleted_at=when))
                changed.extend(hits)
        return changed

    def empty_trash(self) -> int:
        """Delete trashed articles for good; returns how many."""
        with self.writing() as session:
            ids = session.scalars(select(Article.id).where(Article.deleted_at.is_not(None))).all()
            forget_articles_blocks(session, ids)
            result = session.execute(delete(Article).where(Article.deleted_at.is_not(None)))
            return int(getattr(result, "rowcount", 0) or 0)

    # -- re-extraction -----------------------------------------------------------------------

    def originals(self, ids: Sequence[int]) -> dict[int, StoredOriginal]:
        """Source file name, original bytes and stored images of each article, for
        re-extraction."""
        with self.reading() as session:
            images = previews.stored_images(session, ids)
            return {
                article_id: StoredOriginal(
                    name, zlib.decompress(data), tuple(images.get(article_id, ()))
                )
                for article_id, name, data in session.execute(
                    select(Original.article_id, Article.source_name, Original.data)
                    .join(Article, Article.id == Original.article_id)
                    .where(Original.article_id.in_(ids))
                )
            }

    def apply_reextraction(
        self, items: Sequence[tuple[int, ExtractedArticle]], extractor_version: str
    ) -> list[ArticleChange]:
        """Store fresh extractions of articles (fields the user edited are kept)."""
        with self.writing() as session:
            return apply_reextraction(session, items, extractor_version)

    # -- saved searches --------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        """Saved searches by name."""
        with self.reading() as session:
            rows = session.scalars(select(SavedSearchRow).order_by(SavedSearchRow.name)).all()
            return [SavedSearch(row.id, row.name, row.query) for row in rows]

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Save (or overwrite) a search under ``name``."""
        name = " ".join(name.split())
        if not name:
            raise UserError("a saved search needs a name")
        with self.writing() as session:
            row = session.scalar(select(SavedSearchRow).where(SavedSearchRow.name == name))
            if row is None:
                row = SavedSearchRow(name=name, query=query)
                session.add(row)
            else:
                row.query = query
            session.flush()
            return SavedSearch(row.id, row.name, row.query)

    def saved_search(self, name: str) -> SavedSearch | None:
        """The saved search called ``name``, if there is one."""
        name = " ".join(name.split())
        with self.reading() as session:
            row = session.scalar(select(SavedSearchRow).where(SavedSearchRow.name == name))
            return None if row is None else SavedSearch(row.id, row.name, row.query)

    def delete_search(self, search_id: int) -> None:
        """Forget a saved search."""
        with self.writing() as session:
            session.execute(delete(SavedSearchRow).where(SavedSearchRow.id == search_id))

    # -- analysis ----------------------------------------------------------------------------

    def term_candidates(
        self,
        query: str,
        term: str,
        *,
        ids: Sequence[int] | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """The articles that hold the concordance ``term`` (see ``analysis.terms``), found by the
        full-text index: among those matching ``query`` (oldest first, undated first), or among
        ``ids`` in their order (trashed ones too). ``limit``: only the first so many."""
        wanted = parse_term(term).query()
        with self.reading() as session:
            if ids is None:
                combined = f"({query}) {wanted}" if query.strip() else wanted
                return articles.search_ids(session, combined, sort=SortKey.PUBLISHED, limit=limit)
            found = set(articles.search_ids(session, wanted))
            found.update(articles.search_ids(session, wanted, scope=Scope.TRASH))
            held = [article_id for article_id in ids if article_id in found]
            return held if limit is None else held[:limit]

    def concordance(
        self, ids: Sequence[int], term: str, width: int = DEFAULT_WIDTH
    ) -> list[ConcordanceLine]:
        """The concordance lines of ``term`` in the articles ``ids``, in their order, with
        ``width`` columns of context on each side (read a batch of ids at a time)."""
        matcher = TermMatcher(parse_term(term))
        with self.reading() as session:
            sources = analysis_reader.iter_concordance_sources(session, ids)
            return concordance(sources, matcher, width)

    def iter_analysis_texts(self, ids: Sequence[int]) -> Iterator[str]:
        """The texts of the articles ``ids``, read in batches (for word counts; not for the
        window's library process, whose calls return plain values)."""
        with self.reading() as session:
            yield from analysis_reader.iter_texts(session, ids)

    def dated_counts(self, ids: Sequence[int], split: Split = Split.NONE) -> list[DatedCount]:
        """Articles of ``ids`` per publication day and site, tag or language (``split``)."""
        with self.reading() as session:
            return analysis_reader.dated_counts(session, ids, split)

    def summary(self) -> LibrarySummary:
        """Date range, languages, top sites and authors and duplicate groups of the library."""
        with self.reading() as session:
            return analysis_reader.summary(session)


class EditConflict(UserError):
    """Someone else changed a field while it was being edited; nothing was saved."""


def _stored_value(article: Article, field: str) -> Any:
    value = getattr(article, field)
    return articles.split_authors(value) if field == "authors" else value


def _check_unchanged(article: Article, changes: dict[str, Any], expected: dict[str, Any]) -> None:
    for field in changes:
        if field not in expected:
            continue
        stored = _stored_value(article, field)
        wanted = expected[field]
        if field == "authors":
            wanted = list(wanted)
        if stored != wanted:
            shown = ", ".join(stored) if isinstance(stored, list) else stored
            raise EditConflict(
                f"this article's {field.replace('_', ' ')} was changed meanwhile "
                f"(it is now {shown or 'empty'!r}); your change was not saved. "
                "Look at the new value and edit again"
            )
