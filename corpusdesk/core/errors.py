"""The two kinds of error corpusdesk knows.

A ``UserError`` is something the user can act on (an unreadable file, a locked or corrupt
library, a malformed query, a full disk). The CLI prints its message on one line and exits
non-zero; the GUI shows it in a message box. Any other exception is a bug and reaches the crash
dialog with its traceback.
"""

from __future__ import annotations


class CorpusError(Exception):
    """Base class for every error corpusdesk raises on purpose."""


class UserError(CorpusError):
    """An error whose message is meant for the user, who can do something about it."""


class QueryError(UserError):
    """A malformed search query; ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position + 1})")
        self.position = position
        self.reason = message

    def __reduce__(self) -> tuple[type[QueryError], tuple[str, int]]:
        # Rebuilt from its parts, so that it crosses a process boundary as itself.
        return type(self), (self.reason, self.position)


class ImportFailure(UserError):
    """A single file could not be imported; the reason is one line for the import report."""


class LibraryError(UserError):
    """The library cannot be opened or written (locked, corrupt, read-only, disk full)."""
