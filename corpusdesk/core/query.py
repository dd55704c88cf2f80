"""The search query language: query text in, syntax tree out (no SQL here).

Grammar, loosest binding first::

    query  := [or]                      -- blank text matches everything
    or     := and ("OR" and)*
    and    := unary (["AND"] unary)*    -- adjacent terms are AND-ed
    unary  := "NOT" unary | "-" unary | "(" or ")" | term
    term   := word | "phrase" | field:value | field:"quoted value"

``AND``, ``OR`` and ``NOT`` in capitals are always operators. In lower (or mixed) case they
are operators where they stand between terms (``war or ceasefire``; ``not`` before a term) and
words elsewhere (``war or``); a quoted ``"or"`` is always a word. ``-`` negates when it directly
precedes a term (``-tag:x``, ``-"a phrase"``, ``-(a OR b)``), and so do the dashes and minus
signs of ``DASHES``. Phrases and field values are quoted with any of ``QUOTES`` (straight,
curly or angle quotes); inside quotes a backslash makes the next quote or backslash plain
text (``tag:"say \\"no\\""``). A word ending in ``*`` is a prefix search, as is a phrase whose
last word ends in ``*`` (``"new yor*"`` or ``"new yor"*``); a ``*`` elsewhere in a word or
phrase is an error. Words and phrases without any letter or digit carry nothing searchable and
are skipped, like spaces; a query made of nothing else is an error, not the empty query.

Fields (names case-insensitive): ``tag:`` a tag name; ``site:``, ``author:`` and ``title:``
substrings (a ``*`` ending the value is dropped: substrings match word starts anyway), all four
compared without case or accents when compiled (``corpusdesk.core.folding``); ``lang:`` a
language code (``lang:en`` also matches ``en-US``, and ``lang:en-US`` matches ``en``);
``date:`` a year, month or day, compared (``>``, ``>=``, ``<``, ``<=``) or as an inclusive range
``A..B`` with either side open; ``words:`` the word count, with the same operators;
``is:duplicate`` and ``is:untagged``. Every malformed query raises ``QueryError`` with the
0-based offset of the problem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TypeAlias

from corpusdesk.core.errors import QueryError
from corpusdesk.core.folding import fold_field
from corpusdesk.core.names import first_non_text

FIELDS = ("tag", "site", "author", "title", "lang", "date", "words", "is")
"""The field names the language knows, in their canonical (lower-case) spelling."""
SUBSTRING_FIELDS = ("site", "author", "title")
"""The fields that match a substring of the article's value (without case or accents)."""
IS_VALUES = ("duplicate", "untagged")
_IS_HINT = "use is:duplicate or is:untagged"
MAX_LENGTH = 10_000
"""Longer query text is refused: the SQL made of it, and the work it asks for, stay bounded."""
MAX_TERMS = 256
"""More terms than this is refused: the SQL would grow past what SQLite accepts."""
MAX_DEPTH = 12
"""Deeper nesting of parentheses and negations is refused (SQLite's parser stack is small)."""

_COMPARISONS = (">=", "<=", ">", "<")
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
_NUMBER_RE = re.compile(r"\d{1,15}", re.ASCII)
_LANG_RE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*", re.ASCII)
_FIELD_RE = re.compile(r"([^\W\d_]+):")

QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02'
"""Characters that open and close a phrase or a quoted value: the straight double quote and
the curly, low and angle quotes a word processor puts in its place (``“war council”``)."""
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
"""Characters that negate the term they directly precede: the hyphen-minus and the hyphens,
dashes and minus signs that replace it in copied text (``–war`` is ``-war``)."""
_WORD_ENDS = frozenset("()" + QUOTES)


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


def quoted(value: str) -> str:
    """``value`` in quotes as the language reads it back exactly: ``say "no"`` → ``"say \\"no\\""``.

    Every quote and backslash gets a backslash, so a tag name made of any characters can be
    put after ``tag:``.
    """
    return '"' + "".join("\\" + char if char in _ESCAPABLE else char for char in value) + '"'


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
    if item.name in SUBSTRING_FIELDS and not fold_field(item.value).strip():
        # Vowel points alone fold away, and an empty substring would match every article.
        raise QueryError(f"nothing to search for after '{item.name}:'", 0)
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
    kind: str  # term, lparen, rparen, and, or, not, neg or end; soft_* before resolving
    pos: int
    node: Text | Field | None = None


_KEYWORDS = {"AND": "and", "OR": "or", "NOT": "not"}
_SOFT_KEYWORDS = {"and": "soft_and", "or": "soft_or", "not": "soft_not"}
_SOFT = frozenset(_SOFT_KEYWORDS.values())
_PARENTHESES = {"(": "lparen", ")": "rparen"}
_LABELS = {"and": "AND", "or": "OR", "not": "NOT", "neg": "'-'"}
_STARTS = frozenset({"term", "lparen", "not", "neg"})
_ENDS = frozenset({"term", "rparen"})
_ESCAPABLE = QUOTES + "\\"


def _read_quoted(query: str, start: int) -> tuple[str, int]:
    """The text between the quote at ``start`` and the next one, and the offset after it.

    Any of ``QUOTES`` closes; a backslash before a quote or a backslash stands for that
    character, and any other backslash for itself.
    """
    parts: list[str] = []
    i = start + 1
    while i < len(query):
        char = query[i]
        if char == "\\" and query[i + 1 : i + 2] and query[i + 1] in _ESCAPABLE:
            parts.append(query[i + 1])
            i += 2
        elif char in QUOTES:
            return "".join(parts), i + 1
        else:
            parts.append(char)
            i += 1
    raise QueryError("unclosed quote", start)


def _searchable(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _phrase(query: str, start: int) -> tuple[Text, int]:
    """The quoted phrase at ``start`` (with a ``*`` after it, if any) and the offset after it.

    A ``*`` ending the phrase's last word, inside the quotes or just after them, makes it a
    prefix; anywhere else a ``*`` is an error (the index cannot search it, and dropping it
    would search for something else).
    """
    value, end = _read_quoted(query, start)
    prefix = query.startswith("*", end)
    value = value.strip()
    core = value.rstrip("*")
    if _searchable(core) and "*" in core:
        raise QueryError("'*' can only end the last word of a phrase", start)
    if _searchable(core) and core != value:
        if core != core.rstrip():
            raise QueryError("'*' must follow the word it completes, without a space", start)
        prefix = True
    return Text(core, phrase=True, prefix=prefix), end + query.startswith("*", end)


def _word(query: str, start: int, end: int) -> _Token | None:
    """The token of the word ``query[start:end]``: a term, a keyword, or nothing to search."""
    word = query[start:end]
    if word in _KEYWORDS:
        return _Token(_KEYWORDS[word], start)
    core = word.rstrip("*")
    if not _searchable(core):
        return None
    if "*" in core:
        message = "'*' can only end a word (a search for words starting with it)"
        raise QueryError(message, start + core.index("*"))
    node = Text(core, phrase=False, prefix=core != word)
    return _Token(_SOFT_KEYWORDS.get(word.lower(), "term"), start, node)


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, size = 0, len(query)
    while i < size:
        start, char = i, query[i]
        if char in _PARENTHESES:
            tokens.append(_Token(_PARENTHESES[char], i))
            i += 1
        elif char in DASHES and query[i + 1 : i + 2].strip() not in ("", ")"):
            tokens.append(_Token("neg", i))
            i += 1
        elif char.isspace():
            i += 1
        elif char in QUOTES:
            phrase, i = _phrase(query, i)
            if _searchable(phrase.value):
                tokens.append(_Token("term", start, phrase))
        else:
            while i < size and not query[i].isspace() and query[i] not in _WORD_ENDS:
                i += 1
            named = _FIELD_RE.match(query, start, i)
            if named:
                item, i = _field(query, start, named.group(1), named.end(), i)
                tokens.append(_Token("term", start, item))
            elif (token := _word(query, start, i)) is not None:
                tokens.append(token)
    resolved = _resolve_soft_keywords([*tokens, _Token("end", size)])
    terms = [token.pos for token in resolved if token.kind == "term"]
    if len(terms) > MAX_TERMS:
        raise QueryError(f"too many search terms (at most {MAX_TERMS})", terms[MAX_TERMS])
    return resolved


def _resolve_soft_keywords(tokens: list[_Token]) -> list[_Token]:
    """``and``, ``or`` and ``not`` in lower (or mixed) case as operators or as words.

    ``and`` and ``or`` are operators between two terms (a term or a closing parenthesis before,
    anything that can begin a term after); ``not`` is one before anything that can begin a
    term. Elsewhere they are searched as words: ``war or`` is the words *war* and *or*.
    """
    resolved: list[_Token] = []
    for index, token in enumerate(tokens):
        if token.kind not in _SOFT:
            resolved.append(token)
            continue
        following = tokens[index + 1].kind
        operand_follows = following in _STARTS or following in _SOFT
        if token.kind == "soft_not":
            operator = operand_follows
        else:
            operator = operand_follows and bool(resolved) and resolved[-1].kind in _ENDS
        if operator:
            resolved.append(_Token(token.kind.removeprefix("soft_"), token.pos))
        else:
            resolved.append(_Token("term", token.pos, token.node))
    return resolved


def _field(query: str, start: int, name: str, value_at: int, word_end: int) -> tuple[Field, int]:
    """The field starting at ``start``, whose value begins at ``value_at``; and where it ends."""
    canonical = name.lower()
    if canonical not in FIELDS:
        raise QueryError(f"unknown field '{name}'", start)
    if value_at < len(query) and query[value_at] in QUOTES:
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
    elif canonical in SUBSTRING_FIELDS and _searchable(raw.rstrip("*")):
        # Values match as substrings, so a word start needs no '*': 'title:negotiat*' is taken
        # as 'title:negotiat' rather than as a search for the character '*'.
        value = raw.rstrip("*")
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
