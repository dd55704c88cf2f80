"""Full-text search on PostgreSQL: documents as ``tsvector``, searches as ``tsquery``.

Both are written here as text rather than made by PostgreSQL's parser, so that a library
finds the same articles on either backend: an article's title and text are put in index form
(``corpusdesk.core.fulltext``) and cut into the tokens SQLite's tokenizer would make
(``unicode61``); the query compiler's FTS5 expression (quoted phrases, ``*`` for a prefix,
``AND``, ``OR`` and parentheses, see ``corpusdesk.library.querying``) becomes the ``tsquery``
with the same meaning, each phrase a chain of ``<->``. Title tokens carry weight A (ranking
favours them, as ``bm25`` does with its title weight) and the text's positions start two after
the title's last, so that no phrase runs from the title into the text.

PostgreSQL's limits apply: positions stop at 16,383 and a word keeps at most 256 of them, so
in a very long article a phrase can be missed past its first 16,000 words (single words are
always found); a document is capped below the 1 MB a ``tsvector`` may hold.
"""

from __future__ import annotations

import re

from corpusdesk.core.fulltext import index_form
from corpusdesk.library.dialects.unicode61 import tokens

MAX_POSITION = 16_383
MAX_POSITIONS_PER_WORD = 256
MAX_DOCUMENT_BYTES = 900_000
NEVER = "'-'"
"""A lexeme no document holds (a hyphen never belongs to a token): an empty phrase matches
nothing, as in FTS5."""

_EXPRESSION_PART = re.compile(r'\s*("(?:[^"]|"")*"|\*|\(|\)|AND\b|OR\b|NOT\b)')


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def document(title: str | None, text: str | None) -> str:
    """The ``tsvector`` literal of an article's title and text."""
    positions: dict[str, list[str]] = {}
    title_words = tokens(index_form(title or ""))
    for number, word in enumerate(title_words, start=1):
        _add(positions, word, f"{min(number, MAX_POSITION)}A")
    start = len(title_words) + 2
    for number, word in enumerate(tokens(index_form(text or "")), start=start):
        _add(positions, word, str(min(number, MAX_POSITION)))
    parts: list[str] = []
    size = 0
    for word, places in positions.items():
        part = f"{_lexeme(word)}:{','.join(places)}"
        size += len(part.encode()) + 8
        if size > MAX_DOCUMENT_BYTES:
            break
        parts.append(part)
    return " ".join(parts)


def _add(positions: dict[str, list[str]], word: str, place: str) -> None:
    if len(word.encode()) >= 2046:
        return
    places = positions.setdefault(word, [])
    if len(places) < MAX_POSITIONS_PER_WORD:
        places.append(place)


def phrase_query(phrase: str, prefix: bool) -> str:
    """The ``tsquery`` of one phrase (its text in index form already)."""
    words = tokens(phrase)
    if not words:
        return NEVER
    lexemes = [_lexeme(word) for word in words]
    if prefix:
        lexemes[-1] += ":*"
    joined = " <-> ".join(lexemes)
    return f"({joined})" if len(lexemes) > 1 else joined


def tsquery(expression: str) -> str:
    """The ``tsquery`` of an FTS5 expression as the query compiler writes them.

    Raises ``ValueError`` for anything else (the compiler never writes ``NOT``, ``NEAR`` or
    column filters).
    """
    parts: list[str] = []
    position = 0
    pending: str | None = None
    while position < len(expression):
        if expression[position:].strip() == "":
            break
        found = _EXPRESSION_PART.match(expression, position)
        if found is None:
            raise ValueError(f"not a compiled full-text expression: {expression!r}")
        position = found.end()
        part = found.group(1)
        if part == "*":
            if pending is None:
                raise ValueError(f"a prefix mark without a phrase: {expression!r}")
            parts.append(phrase_query(pending, prefix=True))
            pending = None
            continue
        if pending is not None:
            parts.append(phrase_query(pending, prefix=False))
            pending = None
        if part.startswith('"'):
            pending = part[1:-1].replace('""', '"')
        elif part == "AND":
            parts.append("&")
        elif part == "OR":
            parts.append("|")
        elif part == "NOT":
            raise ValueError(f"NOT is not written by the compiler: {expression!r}")
        else:
            parts.append(part)
    if pending is not None:
        parts.append(phrase_query(pending, prefix=False))
    return " ".join(parts)
