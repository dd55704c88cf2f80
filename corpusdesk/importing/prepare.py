"""One captured page to one draft: the work a pipeline worker process does.

``prepare_page`` skips a page early when the library already holds the same bytes, unpacks its
capture format, runs the pure extraction steps and adds the signatures. It never raises: every
problem becomes a failed ``FileResult`` with a one-line reason. In a worker process a per-page
time limit (SIGALRM) and an address-space limit keep a hostile page from hanging or exhausting
the machine.
"""

from __future__ import annotations

import hashlib
import os
import resource
import select
import signal
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from types import FrameType

from corpusdesk.core.errors import ImportFailure
from corpusdesk.core.paths import sqlite_uri
from corpusdesk.core.records import ArticleDraft, FileResult, Outcome
from corpusdesk.core.scripts import count_words
from corpusdesk.importing.boilerplate import block_samples
from corpusdesk.importing.capture import extract_capture, utc, with_container_metadata
from corpusdesk.importing.duplicates import minhash_signature, text_sha256
from corpusdesk.importing.extract import EXTRACTOR_VERSION
from corpusdesk.importing.sources import MAX_PAGE_BYTES, CapturedPage, PageFailure
from corpusdesk.importing.sources.base import too_large
from corpusdesk.importing.sources.single import read_page_file

MAX_FILE_BYTES = MAX_PAGE_BYTES
FILE_TIME_LIMIT_SECONDS = 60
WORKER_MEMORY_LIMIT_BYTES = 4 * 1024 * 1024 * 1024


class _State:
    library: sqlite3.Connection | None = None
    time_limit = False


class _TimeLimitExceeded(BaseException):
    """Raised by the alarm; not an ``Exception``, so no ``except Exception`` can swallow it."""


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _TimeLimitExceeded


def _exit_when_gone(pid: int) -> None:
    """Block until process ``pid`` ends, then end this process at once."""
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd on this system: look every second
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
    select.select([descriptor], [], [])
    os._exit(1)


def watch_parent(pid: int) -> None:
    """End this worker as soon as process ``pid`` (the importing process) ends.

    Pool workers otherwise outlive an importing process that was killed: they wait for work
    on a queue they hold both ends of, keeping the library open, forever.
    """
    threading.Thread(target=_exit_when_gone, args=(pid,), name="parent-watch", daemon=True).start()


def init_worker(
    library_path: str, with_time_limit: bool = True, parent_pid: int | None = None
) -> None:
    """Set up a worker: a read-only view of the library and, in a pool, the resource limits.

    With ``parent_pid`` the worker also ends by itself when that process ends.
    """
    if parent_pid is not None:
        watch_parent(parent_pid)
    release_worker()
    path = Path(library_path) if library_path else None
    if path is not None and path.exists():
        try:
            _State.library = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=5)
        except sqlite3.Error:
            _State.library = None
    _State.time_limit = with_time_limit and threading.current_thread() is threading.main_thread()
    if _State.time_limit:
        signal.signal(signal.SIGALRM, _on_alarm)
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > WORKER_MEMORY_LIMIT_BYTES:
            resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_LIMIT_BYTES, hard))


def release_worker() -> None:
    """Close the worker's view of the library (an import run in the importing process itself
    must not keep the library open after it ends)."""
    if _State.library is not None:
        _State.library.close()
        _State.library = None


def _stored_id(sha256: str) -> int | None:
    if _State.library is None:
        return None
    try:
        row = _State.library.execute(
            "SELECT id FROM articles WHERE sha256 = ?", (sha256,)
        ).fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]) if row else None


def failure(path: Path | str, reason: str) -> FileResult:
    """A failed result for ``path`` (a file, or a page's label)."""
    return FileResult(str(path), Outcome.FAILED, reason=reason)


def crash_result(page: CapturedPage) -> FileResult:
    """The result for a page whose processing killed its worker process."""
    return failure(page.label, "the page crashed the parser (worker process died)")


ORIGINAL_COMPRESSION = 3
"""zlib level for the stored original: on saved pages, level 6 takes twice as long for files
only 11% smaller, and compressing is part of every import."""


def build_draft(page: CapturedPage, sha256: str | None = None) -> ArticleDraft:
    """Extract the article from the captured ``page`` and add hashes, signatures and keys.

    Raises ImportFailure. Everything here depends on the page alone, so it runs in the worker
    processes and the one writer only stores.

    ``sha256`` is the hex digest of ``page.data`` when the caller has it already.
    """
    data = page.data
    found = extract_capture(
        data, page.name, url=page.url, charset=page.charset, resources=page.resources
    )
    extracted = with_container_metadata(found.article, page.metadata)
    return ArticleDraft(
        source_name=page.name,
        source_path=page.source_path,
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
        original_compressed=zlib.compress(data, ORIGINAL_COMPRESSION),
        original_size=len(data),
        article=extracted,
        text_sha256=text_sha256(extracted.text),
        minhash=minhash_signature(extracted.text),
        block_samples=block_samples(extracted.text, extracted.title),
        word_count=count_words(extracted.text),
        extractor_version=EXTRACTOR_VERSION,
        source_member=page.member,
        captured_at=utc(page.captured_at or found.captured_at or page.file_time),
        resources=found.used_resources,
        tags=page.metadata.tags,
    )


def prepare_page(page: CapturedPage) -> ArticleDraft | FileResult:
    """Turn one captured page into a draft, or a failed/duplicate result with its reason."""
    label = page.label
    try:
        if len(page.data) > MAX_FILE_BYTES:
            return failure(label, too_large(len(page.data)))
        sha256 = hashlib.sha256(page.data).hexdigest()
        existing = _stored_id(sha256)
        if existing is not None:
            return FileResult(label, Outcome.DUPLICATE, reason=f"same file as article #{existing}")
        if _State.time_limit:
            signal.alarm(FILE_TIME_LIMIT_SECONDS)
        try:
            return build_draft(page, sha256)
        finally:
            if _State.time_limit:
                signal.alarm(0)
    except ImportFailure as error:
        return failure(label, str(error))
    except _TimeLimitExceeded:
        return failure(label, f"processing took longer than {FILE_TIME_LIMIT_SECONDS} s")
    except MemoryError:
        return failure(label, "the page needs more memory than a single page may use")
    except RecursionError:
        return failure(label, "the page is nested too deeply to process")
    except Exception as error:  # a bug in extraction must not end the whole import
        return failure(label, f"unexpected error while processing: {type(error).__name__}: {error}")


def prepare_file(path_name: str) -> ArticleDraft | FileResult:
    """Read one page file and prepare it (``prepare_page`` for a file on its own)."""
    path = Path(path_name)
    try:
        page = read_page_file(path)
    except OSError as error:
        return failure(path, f"cannot read the file: {error.strerror or error}")
    if isinstance(page, PageFailure):
        return failure(page.label, page.reason)
    return prepare_page(page)
