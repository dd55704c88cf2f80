"""Searching: the tag pane's selection and the filter bar's text become one background search.

Each request gets a number; a result arriving for an older request is dropped, so fast typing
never shows stale rows. A new request (other text, tags or order) is answered in three steps:
its opening page of rows alone, which comes back in a few milliseconds however many articles
match; its count; then the whole result, whose further rows are added below the first page
without disturbing it. The filter text is parsed on its own first so an error's position points
into what the user typed; while it is malformed, the table keeps the last result, greyed out as
stale. When a result replaces the table, the selected articles that are still in it stay
selected.

A query with words brings snippets of each article's hits: those of the rows on screen come
with the result, the others are read a page at a time when the table first shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, Signal

from corpusdesk.core.errors import QueryError, UserError
from corpusdesk.core.query import parse, text_terms
from corpusdesk.core.records import ArticleRow
from corpusdesk.core.snippets import Snippet, positive_terms
from corpusdesk.gui.models.articles_model import PAGE_SIZE, ArticlesModel
from corpusdesk.gui.models.tags_model import EntryKind, PaneEntry
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.gui.widgets.article_table import ArticleTable
from corpusdesk.gui.widgets.filter_bar import FilterBar
from corpusdesk.library.articles import Scope, SortKey
from corpusdesk.library.library import Library


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """Everything that decides which articles the table shows, and in which order."""

    pane_query: str
    text: str
    scope: Scope
    sort: SortKey
    descending: bool

    def combined(self) -> str:
        """The query sent to the library."""
        parts = [p for p in (self.pane_query, self.text) if p]
        if len(parts) == 2:
            return f"({parts[0]}) ({parts[1]})"
        return parts[0] if parts else ""


FIRST_PAGE = 100
"""Rows of a new result shown before the whole result is in."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Ids in order, the view's total and the words to highlight.

    A result that is not ``complete`` holds only the opening rows, and no total (-1).
    """

    request: SearchRequest
    ids: list[int]
    total: int
    terms: list[str]
    complete: bool = True
    rows: dict[int, ArticleRow] = field(default_factory=dict)
    """Table rows read ahead for ``pages``, the pages of the table the view shows."""
    pages: tuple[int, ...] = ()
    snippet_query: str | None = None
    """The query whose hits the snippets show; None when it has no words to find."""
    snippets: dict[int, Snippet] = field(default_factory=dict)
    """Snippets of the rows read ahead."""


def pane_filter(entries: list[PaneEntry], use_or: bool) -> tuple[str, Scope]:
    """The query and scope selected in the tag pane."""
    scope = Scope.TRASH if any(e.kind is EntryKind.TRASH for e in entries) else Scope.LIBRARY
    if use_or and any(e.kind is EntryKind.ALL for e in entries):
        return "", scope
    queries = [e.query for e in entries if e.query]
    if len(queries) <= 1:
        return (queries[0] if queries else ""), scope
    joiner = " OR " if use_or else " "
    return joiner.join(f"({q})" for q in queries), scope


def run_search(
    library: Library,
    request: SearchRequest,
    first_page: int | None = None,
    shown_pages: tuple[int, ...] = (0,),
) -> SearchResult:
    """Do the search (on a worker thread); ``QueryError`` for malformed filter text.

    With ``first_page``, only that many opening rows are looked up (an incomplete result).
    The rows of ``shown_pages`` (table pages, see ``PAGE_SIZE``) are read too, so the table
    paints the result without reading anything on the GUI thread.
    """
    terms = text_terms(parse(request.text))
    try:
        parse(request.pane_query)
    except QueryError as error:
        raise UserError(f"the selected saved search cannot be run: {error}") from None
    ids = library.search_ids(
        request.combined(),
        scope=request.scope,
        sort=request.sort,
        descending=request.descending,
        limit=first_page,
    )
    wanted = [i for page in shown_pages for i in ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    rows = library.rows(wanted) if wanted else {}
    query = request.combined()
    snippet_query = query if positive_terms(parse(query)) else None
    snippets = library.snippets(wanted, query) if snippet_query and wanted else {}
    complete = first_page is None
    total = library.count("", scope=request.scope) if complete else -1
    return SearchResult(
        request, ids, total, terms, complete, rows, shown_pages, snippet_query, snippets
    )


def count_search(library: Library, request: SearchRequest) -> tuple[int, int]:
    """How many articles match the request, and how many its scope holds.

    Counting reads no more than the matches' index entries, so for a large result the count
    is in long before every id has been listed in order.
    """
    matches = library.count(request.combined(), scope=request.scope)
    return matches, library.count("", scope=request.scope)


class SearchController(QObject):
    """Runs searches for the window and puts their results in the table."""

    finished = Signal()
    """A result (or an error) for the latest request has been applied."""
    first_page_shown = Signal()
    """The opening rows of a new request's result are in the table (the rest follows)."""

    def __init__(
        self,
        runner: TaskRunner,
        table: ArticleTable,
        filter_bar: FilterBar,
        current_request: Callable[[], SearchRequest],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._table = table
        self._filter_bar = filter_bar
        self._current_request = current_request
        self.library: Library | None = None
        self.terms: list[str] = []
        self.last: SearchResult | None = None
        self._generation = 0
        self._partial: tuple[int, set[int], int | None] | None = None
        """For the request whose opening rows alone are shown: its number, and the selection
        and current article from before, to select again once every row is in."""
        self.model.snippets_wanted.connect(self._load_snippets)

    @property
    def model(self) -> ArticlesModel:
        return self._table.articles_model()

    def request(self) -> None:
        """Search again with the pane's selection, the filter text and the sort order."""
        self._generation += 1
        generation = self._generation
        library = self.library
        self._partial = None
        if library is None:
            self.model.set_ids([])
            self.finished.emit()
            return
        request = self._current_request()

        new_request = self.last is None or self.last.request != request
        # A new request's first answer brings the first page's rows; the whole result then
        # adds rows below them. A repeated one (a refresh) reads the pages on screen.
        shown = () if new_request else self._shown_pages()

        def search(first_page: int | None = None) -> SearchResult | None:
            if generation != self._generation:
                return None  # a newer request came while this one waited its turn
            return run_search(library, request, first_page, (0,) if first_page else shown)

        def succeeded(result: object) -> None:
            current = generation == self._generation and library is self.library
            if current and isinstance(result, SearchResult):
                self._apply(result, generation)

        def failed(error: BaseException, details: str) -> None:
            if generation != self._generation:
                return
            if isinstance(error, QueryError):
                self._filter_bar.show_error(error)
                self._filter_bar.show_stale()
                self._table.set_stale(True)
                self.finished.emit()
            else:
                self._runner.report_failure(error, details)

        def reported_by_whole_search(_error: BaseException, _details: str) -> None:
            pass  # the whole search fails the same way and reports it

        def count() -> tuple[int, int] | None:
            if generation != self._generation:
                return None
            return count_search(library, request)

        def counted(counts: object) -> None:
            current = generation == self._generation and library is self.library
            whole_shown = self.last is not None and self.last.request == request
            if current and not whole_shown and isinstance(counts, tuple):
                self._filter_bar.show_count(*counts)

        if new_request:
            self._runner.submit(
                lambda: search(FIRST_PAGE), succeeded, reported_by_whole_search, pool=Pool.READ
            )
        if new_request and not self._same_matches(request):
            # The count comes between the first page and every id (one thread runs them in
            # turn): a result of a million ids takes far longer to list than to count.
            self._runner.submit(count, counted, reported_by_whole_search, pool=Pool.READ)
        self._runner.submit(search, succeeded, failed, pool=Pool.READ)

    def _same_matches(self, request: SearchRequest) -> bool:
        """Whether ``request`` finds what the shown result found, in another order perhaps."""
        if self.last is None:
            return False
        last = self.last.request
        return (last.combined(), last.scope) == (request.combined(), request.scope)

    def _shown_pages(self) -> tuple[int, ...]:
        """The table pages (of ``PAGE_SIZE`` rows) the view shows now; the first if none."""
        viewport = self._table.viewport()
        top = self._table.rowAt(0)
        bottom = self._table.rowAt(viewport.height() - 1)
        if top < 0:
            return (0,)
        bottom = bottom if bottom >= 0 else self.model.rowCount() - 1
        return tuple(range(top // PAGE_SIZE, bottom // PAGE_SIZE + 1))

    def _apply(self, result: SearchResult, generation: int) -> None:
        table = self._table
        model = self.model
        if not result.complete:
            if self.last is not None and self.last.request == result.request:
                return  # the whole result is already shown
            self._partial = (generation, set(table.selected_ids()), table.current_id())
            self._show_valid(result)
            if not self._same_matches(result.request):
                self._filter_bar.show_counting()  # a new order keeps the count it had
            model.set_ids(result.ids)
            model.preload(result.rows, result.pages)
            self._reselect(*self._partial[1:])
            if result.ids:
                table.notice.hide()
            self.first_page_shown.emit()
            return
        self._show_valid(result)
        self.last = result
        partial, self._partial = self._partial, None
        shown = model.rowCount()
        if partial is not None and partial[0] == generation and model.ids() == result.ids[:shown]:
            model.append_ids(result.ids[shown:])
            model.preload(result.rows, result.pages)
            self._reselect(*partial[1:])
        elif result.ids != model.ids():
            selected = set(table.selected_ids())
            current = table.current_id()
            model.set_ids(result.ids)
            model.preload(result.rows, result.pages)
            self._reselect(selected, current)
        else:
            model.refresh()
            model.preload(result.rows, result.pages)
        self._filter_bar.show_count(len(result.ids), result.total)
        self.finished.emit()

    def _show_valid(self, result: SearchResult) -> None:
        """A query that could be run: no error, rows not stale, snippets if it has words."""
        self._filter_bar.show_error(None)
        self._table.set_stale(False)
        self.terms = result.terms
        self.model.set_snippet_query(result.snippet_query)
        if result.snippet_query is not None:
            self.model.add_snippets(result.snippet_query, result.snippets)
        self._table.set_results_mode(result.snippet_query is not None)

    def _load_snippets(self, ids: list[int]) -> None:
        """Read the snippets of rows the table is about to show."""
        library, query = self.library, self.model.snippet_query
        if library is None or query is None or not ids:
            return

        def succeeded(snippets: object) -> None:
            if isinstance(snippets, dict):
                self.model.add_snippets(query, snippets)

        def failed(_error: BaseException, _details: str) -> None:
            pass  # the rows show their titles alone; the next search tries again

        self._runner.submit(lambda: library.snippets(ids, query), succeeded, failed, pool=Pool.READ)

    def _reselect(self, selected: set[int], current: int | None) -> None:
        model = self.model
        rows = sorted(r for r in (model.row_of(i) for i in selected) if r is not None)
        ranges: list[list[int]] = []
        for row in rows:
            if ranges and row == ranges[-1][1] + 1:
                ranges[-1][1] = row
            else:
                ranges.append([row, row])
        selection = QItemSelection()
        last_column = model.columnCount() - 1
        for first, last in ranges:
            selection.select(model.index(first, 0), model.index(last, last_column))
        selection_model = self._table.selectionModel()
        current_row = model.row_of(current) if current is not None else None
        if current_row is not None:
            selection_model.setCurrentIndex(
                model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        if not selection.isEmpty():
            selection_model.select(
                selection,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
