"""The search query language: query text in, syntax tree out (no SQL here).

Grammar, loosest binding first::

    query  := [or]                      -- blank text matches everything
    or     := and ("OR" and)*
    and    := unary (["AND"] unary)*    -- adjacent terms are AND-ed
    unary  := "NOT" unary | "-" unary | "(" or ")" | term
    term   := word | "phrase" | field:value | field:"quoted value"

``AND``, ``OR`` and ``NOT`` are keywords only in upper case; ``-`` negates when it directly
precedes a term (``-tag:x``, ``-"a phrase"``, ``-(a OR b)``). A word ending in ``*`` is a
prefix search, and so is a phrase followed directly by ``*``. Words and phrases without any
letter or digit carry nothing searchable and are skipped, like spaces; a query made of nothing
else is an error, not the empty query.

Fields (names case-insensitive): ``tag:`` a tag name in any case (folded when compiled);
``site:``, ``author:`` and ``title:`` substrings; ``lang:`` a language code (``lang:en`` also
matches ``en-US``); ``date:`` a year, month or day, compared (``>``, ``>=``, ``<``, ``<=``) or
as an inclusive range ``A..B`` with either side open; ``words:`` the word count, with the same
operators; ``is:duplicate`` and ``is:untagged``. Every malformed query raises ``QueryError``
with the 0-based offset of the problem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TypeAlias

from corpusdesk.core.errors import QueryError
from corpusdesk.core.names import first_non_text

FIELDS = ("tag", "site", "author", "title", "lang", "date", "words", "is")
"""The field names the language knows, in their canonical (lower-case) spelling."""
IS_VALUES = ("duplicate", "untagged")
_IS_HINT = "use is:duplicate or is:untagged"
MAX_LENGTH = 10_000
"""Longer query text is refused (SQLite limits the length of LIKE patterns)."""
MAX_TERMS = 256
"""More terms than this is refused: the SQL would grow past what SQLite accepts."""
MAX_DEPTH = 12
"""Deeper nesting of parentheses and negations is refused (SQLite's parser stack is small)."""

_COMPARISONS = (">=", "<=", ">", "<")
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
_NUMBER_RE = re.compile(r"\d{1,15}", re.ASCII)
_LANG_RE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*", re.ASCII)
_FIELD_RE = re.compile(r"([^\W\d_]+):")


@dataclass(frozen=True)
class DateRange:
    """Publication dates from ``start`` (inclusive) to ``end_exclusive``; ``None`` is open."""

    start: dt.date | None
    end_exclusive: dt.date | None


@dataclass(frozen=True)
class NumberRange:
    """Whole numbers from ``low`` to ``high``, both inclusive; ``None`` is open."""

    low: int | None
    high: int | None


@dataclass(frozen=True)
class Text:
    """A full-text term: one word (``phrase=False``) or a quoted phrase, without quotes or ``*``.

    ``prefix`` means the last token is searched as a prefix (``libra*``, ``"new yor"*``).
    """

    value: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Field:
    """A field condition; ``bounds`` holds the typed value of ``date:`` and ``words:``.

    ``name`` is one of ``FIELDS``. ``op`` is ``":"`` for tag, site, author, title, lang and is;
    for date and words it is ``"="``, ``">"``, ``">="``, ``"<"``, ``"<="`` or ``".."``.
    ``value`` is the value as typed (unquoted; lower-cased for lang and is; stripped for tag),
    for ``".."`` the left side, ``""`` when open. ``value2`` is the right side of a ``".."``
    range (``""`` when open) and ``None`` otherwise. Building a ``Field`` validates it: a bad
    value raises ``QueryError`` with an offset relative to the value text.
    """

    name: str
    op: str
    value: str
    value2: str | None = None
    bounds: DateRange | NumberRange | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bounds", _check_field(self))


@dataclass(frozen=True)
class Not:
    """Negation of ``child``."""

    child: Node


@dataclass(frozen=True)
class And:
    """All ``children`` (two or more) hold."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one of ``children`` (two or more) holds."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every article matches."""


Node: TypeAlias = Text | Field | Not | And | Or | MatchAll


def parse(query: str) -> Node:
    """Parse ``query`` into a syntax tree; raise ``QueryError`` when it is malformed.

    NUL characters count as spaces (SQLite would cut strings short at them). Text that is not
    blank but has no searchable word (``!!!``, ``"—"``) is an error rather than the empty
    query: it would match every article, and a tag or re-clean of it would change them all.
    """
    if len(query) > MAX_LENGTH:
        raise QueryError(f"query is too long (at most {MAX_LENGTH} characters)", MAX_LENGTH)
    not_text = first_non_text(query)
    if not_text >= 0:
        raise QueryError("the query holds bytes that are not valid UTF-8 text", not_text)
    spaced = query.replace("\x00", " ")
    tokens = _tokenize(spaced)
    if tokens[0].kind == "end" and spaced.strip():
        start = len(spaced) - len(spaced.lstrip())
        raise QueryError("the query has no searchable word (a word needs a letter or digit)", start)
    return _Parser(tokens).parse()


def text_terms(node: Node) -> list[str]:
    """The words and phrases ``node`` searches for positively, in order, without repeats.

    Negated terms are left out (a doubly negated one counts as positive); prefix terms are
    given without their ``*``. Meant for highlighting hits in a preview.
    """
    found: list[str] = []

    def walk(current: Node, positive: bool) -> None:
        if isinstance(current, Text):
            if positive and current.value not in found:
                found.append(current.value)
        elif isinstance(current, Not):
            walk(current.child, not positive)
        elif isinstance(current, And | Or):
            for child in current.children:
                walk(child, positive)

    walk(node, True)
    return found


# -- field values ---------------------------------------------------------------------------


def _check_field(item: Field) -> DateRange | NumberRange | None:
    """Validate ``item``; return the typed bounds of a date or words field."""
    if item.name not in FIELDS:
        raise QueryError(f"unknown field '{item.name}'", 0)
    if item.name in ("date", "words"):
        return _bounds(item)
    if item.op != ":" or item.value2 is not None:
        raise QueryError(f"'{item.name}:' takes a plain value", 0)
    if not item.value.strip():
        raise QueryError(f"missing value after '{item.name}:'", 0)
    if item.name == "lang" and not _LANG_RE.fullmatch(item.value):
        raise QueryError(f"bad language code '{item.value}'", 0)
    if item.name == "is" and item.value not in IS_VALUES:
        raise QueryError(f"unknown value '{item.value}' for 'is:' ({_IS_HINT})", 0)
    return None


def _bounds(item: Field) -> DateRange | NumberRange:
    """Typed bounds of a date or words field; error offsets count from the typed text.

    Every value names a half-open span ``[first, after_last)`` (a year, month or day; or one
    number); the operator picks which ends of the span bound the result.
    """
    span = _date_span if item.name == "date" else _number_span
    kind = "date" if item.name == "date" else "number"
    low: dt.date | int | None
    high: dt.date | int | None
    if item.op == "..":
        left, right = item.value, item.value2 or ""
        if not left and not right:
            raise QueryError(f"expected a {kind} before or after '..'", 0)
        low = span(left, 0)[0] if left else None
        high = span(right, len(left) + 2)[1] if right else None
    else:
        if item.value2 is not None or item.op not in ("=", *_COMPARISONS):
            raise QueryError(f"bad operator '{item.op}' for '{item.name}:'", 0)
        if not item.value:
            after = item.op if item.op != "=" else f"{item.name}:"
            raise QueryError(f"expected a {kind} after '{after}'", 0)
        first, after_last = span(item.value, 0 if item.op == "=" else len(item.op))
        low, high = {
            "=": (first, after_last),
            ">=": (first, None),
            ">": (after_last, None),
            "<": (None, first),
            "<=": (None, after_last),
        }[item.op]
    if isinstance(low, dt.date | None) and isinstance(high, dt.date | None):
        return DateRange(low, high)
    assert isinstance(low, int | None) and isinstance(high, int | None)
    return NumberRange(low, None if high is None else high - 1)


def _date_span(text: str, offset: int) -> tuple[dt.date, dt.date]:
    """The first day of the year, month or day ``text`` names, and the day after its last."""
    match = _DATE_RE.fullmatch(text)
    year, month, day = [int(part or 0) for part in match.groups()] if match else [0, 0, 0]
    try:  # year 9999 is refused: the span after it would end past the last representable day
        start = dt.date(year if year < dt.MAXYEAR else 0, month or 1, day or 1)
    except ValueError:
        message = f"bad date '{text}' (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        raise QueryError(message, offset) from None
    if day:
        return start, start + dt.timedelta(days=1)
    if month:
        return start, dt.date(year + month // 12, month % 12 + 1, 1)
    return start, dt.date(year + 1, 1, 1)


def _number_span(text: str, offset: int) -> tuple[int, int]:
    """The number ``text`` names and its successor."""
    if not _NUMBER_RE.fullmatch(text):
        raise QueryError(f"bad number '{text}' (expected a whole number)", offset)
    return int(text), int(text) + 1


# -- lexing and parsing -------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # term, lparen, rparen, and, or, not, neg or end
    pos: int
    node: Text | Field | None = None


_KEYWORDS = {"AND": "and", "OR": "or", "NOT": "not"}
_PUNCTUATION = {"(": "lparen", ")": "rparen", "-": "neg"}
_LABELS = {"and": "AND", "or": "OR", "not": "NOT", "neg": "'-'"}
_STARTS = frozenset({"term", "lparen", "not", "neg"})


def _read_quoted(query: str, start: int) -> tuple[str, int]:
    """The text between the quote at ``start`` and the next one, and the offset after it."""
    end = query.find('"', start + 1)
    if end < 0:
        raise QueryError("unclosed quote", start)
    return query[start + 1 : end], end + 1


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, size = 0, len(query)
    while i < size:
        start, char = i, query[i]
        node: Text | Field | None = None
        if char in "()" or (char == "-" and query[i + 1 : i + 2].strip() not in ("", ")")):
            tokens.append(_Token(_PUNCTUATION[char], i))
            i += 1
            continue
        if char.isspace():
            i += 1
            continue
        if char == '"':
            value, i = _read_quoted(query, i)
            prefix = query.startswith("*", i)
            i += prefix
            node = Text(value.strip(), phrase=True, prefix=prefix)
        else:
            while i < size and not query[i].isspace() and query[i] not in '()"':
                i += 1
            word = query[start:i]
            named = _FIELD_RE.match(word)
            if named:
                node, i = _field(query, start, named.group(1), start + named.end(), i)
            elif word in _KEYWORDS:
                tokens.append(_Token(_KEYWORDS[word], start))
            else:
                node = Text(word.rstrip("*"), phrase=False, prefix=word.endswith("*"))
        if isinstance(node, Field) or (node and any(char.isalnum() for char in node.value)):
            tokens.append(_Token("term", start, node))
    terms = [token.pos for token in tokens if token.kind == "term"]
    if len(terms) > MAX_TERMS:
        raise QueryError(f"too many search terms (at most {MAX_TERMS})", terms[MAX_TERMS])
    return [*tokens, _Token("end", size)]


def _field(query: str, start: int, name: str, value_at: int, word_end: int) -> tuple[Field, int]:
    """The field starting at ``start``, whose value begins at ``value_at``; and where it ends."""
    canonical = name.lower()
    if canonical not in FIELDS:
        raise QueryError(f"unknown field '{name}'", start)
    if query.startswith('"', value_at):
        raw, end = _read_quoted(query, value_at)
        raw_at = value_at + 1
    else:
        raw, end, raw_at = query[value_at:word_end], word_end, value_at
    op, value, value2 = ":", raw, None
    if canonical in ("date", "words"):
        if ".." in raw:
            op, (value, value2) = "..", raw.split("..", 1)
        else:
            op = next((cmp for cmp in _COMPARISONS if raw.startswith(cmp)), "=")
            value = raw[len(op) :] if op != "=" else raw
    elif canonical in ("lang", "is"):
        value = raw.strip().lower()
    elif canonical == "tag":
        value = raw.strip()
    try:
        return Field(canonical, op, value, value2), end
    except QueryError as error:
        raise QueryError(error.reason, raw_at + error.position) from None


class _Parser:
    """Recursive descent over the tokens; precedence NOT > AND > OR."""

    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._at = 0

    def _take(self) -> _Token:
        self._at += 1
        return self._tokens[self._at - 1]

    def parse(self) -> Node:
        if self._tokens[0].kind == "end":
            return MatchAll()
        node = self._or(0, None)
        if self._tokens[self._at].kind != "end":
            raise QueryError("unexpected closing parenthesis", self._tokens[self._at].pos)
        return node

    def _or(self, depth: int, after: _Token | None) -> Node:
        items = [self._and(depth, after)]
        while self._tokens[self._at].kind == "or":
            items.append(self._and(depth, self._take()))
        return _join(Or, items)

    def _and(self, depth: int, after: _Token | None) -> Node:
        items = [self._unary(depth, after)]
        while (kind := self._tokens[self._at].kind) in _STARTS or kind == "and":
            items.append(self._unary(depth, self._take() if kind == "and" else None))
        return _join(And, items)

    def _unary(self, depth: int, after: _Token | None) -> Node:
        token = self._tokens[self._at]
        if token.kind in _STARTS and depth > MAX_DEPTH:
            raise QueryError(f"query is nested too deeply (at most {MAX_DEPTH} levels)", token.pos)
        if token.node is not None:
            self._take()
            return token.node
        if token.kind in ("not", "neg"):
            return Not(self._unary(depth + 1, self._take()))
        if token.kind == "lparen":
            self._take()
            if self._tokens[self._at].kind == "rparen":
                raise QueryError("empty parentheses", token.pos)
            inner = self._or(depth + 1, token)
            if self._take().kind != "rparen":
                raise QueryError("missing closing parenthesis", token.pos)
            return inner
        if after is not None and after.kind in _LABELS:
            raise QueryError(f"expected a term after {_LABELS[after.kind]}", after.pos)
        if token.kind in ("and", "or"):
            raise QueryError(f"expected a term before {_LABELS[token.kind]}", token.pos)
        if token.kind == "rparen":
            raise QueryError("unexpected closing parenthesis", token.pos)
        raise QueryError("missing closing parenthesis", after.pos if after else token.pos)


def _join(kind: type[And] | type[Or], items: list[Node]) -> Node:
    """One node for ``items``: the item itself, or ``kind`` over them with nesting flattened."""
    if len(items) == 1:
        return items[0]
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, kind) else (item,))
    return kind(tuple(flat))
