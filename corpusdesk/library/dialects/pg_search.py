"""Full-text search on PostgreSQL: documents as ``tsvector``, searches as ``tsquery``.

Both are written here as text rather than made by PostgreSQL's parser, so that a library
finds the same articles on either backend: an article's title and text are put in index form
(``corpusdesk.core.fulltext``) and cut into the tokens SQLite's tokenizer would make
(``unicode61``); the query compiler's FTS5 expression (quoted phrases, ``*`` for a prefix,
``AND``, ``OR``, ``NOT`` and parentheses, see ``corpusdesk.library.querying``) becomes the
``tsquery`` with the same meaning, each phrase a chain of ``<->``. Title tokens carry weight A
(ranking favours them, as ``bm25`` does with its title weight) and the text's positions start
two after the title's last, so that no phrase runs from the title into the text.

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
MAX_LEXEME_BYTES = 2046
NEVER = "'-'"
"""A lexeme no document holds (a hyphen never belongs to a token): an empty phrase matches
nothing, as in FTS5."""

_EXPRESSION_PART = re.compile(r'\s*("(?:[^"]|"")*"|\*|\(|\)|AND\b|OR\b|NOT\b)')


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def document(title: str | None, text: str | None) -> str:
    """The ``tsvector`` literal of an article's title and text."""
    title_words = tokens(index_form(title or ""))
    text_words = tokens(index_form(text or ""))
    places: dict[str, list[int]] = {}
    for number, word in enumerate(title_words, start=1):
        if word:
            places.setdefault(word, []).append(number)
    titled = set(places)
    start = len(title_words) + 2
    for number, word in enumerate(text_words, start=start):
        if word:
            places.setdefault(word, []).append(number)
    parts: list[str] = []
    size = 0
    for word, numbers in places.items():
        if len(word.encode()) >= MAX_LEXEME_BYTES:
            continue
        kept = numbers[:MAX_POSITIONS_PER_WORD]
        title_count = sum(1 for n in kept if n < start) if word in titled else 0
        positions = [f"{n}A" for n in kept[:title_count]]
        positions += [str(min(n, MAX_POSITION)) for n in kept[title_count:]]
        part = f"{_lexeme(word)}:{','.join(positions)}"
        size += len(part) + 8
        if size > MAX_DOCUMENT_BYTES:
            break
        parts.append(part)
    return " ".join(parts)


def phrase_query(phrase: str, prefix: bool) -> str:
    """The ``tsquery`` of one phrase (its text in index form already)."""
    words = tokens(phrase)
    if not words or not all(words[:1] + words[-1:]):
        return NEVER  # nothing to find, or a phrase that starts or ends with an empty token
    parts = [_lexeme(words[0])]
    gap = 1
    for word in words[1:]:
        if not word:
            gap += 1  # an empty token between two words: they stand further apart
            continue
        parts.append(f"<{gap}>" if gap > 1 else "<->")
        parts.append(_lexeme(word))
        gap = 1
    if prefix:
        parts[-1] += ":*"
    joined = " ".join(parts)
    return f"({joined})" if len(parts) > 1 else joined


def tsquery(expression: str) -> str:
    """The ``tsquery`` of an FTS5 expression as the query compiler writes them.

    Raises ``ValueError`` for anything else (the compiler never writes ``NEAR`` or column
    filters, and ``NOT`` only between parenthesised parts).
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
            parts += ["&", "!"]  # FTS5's "a NOT b" is what the first finds less the second
        else:
            parts.append(part)
    if pending is not None:
        parts.append(phrase_query(pending, prefix=False))
    return " ".join(parts)
