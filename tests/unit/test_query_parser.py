"""Tests of the search query parser: every construct, every error and its position."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corpusdesk.core.errors import QueryError
from corpusdesk.core.names import first_non_text
from corpusdesk.core.query import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_TERMS,
    And,
    DateRange,
    Field,
    MatchAll,
    Node,
    Not,
    NumberRange,
    Or,
    Text,
    parse,
    quoted,
    text_terms,
)

A, B, C, D = Text("a"), Text("b"), Text("c"), Text("d")


@pytest.mark.parametrize("query", ["", "   ", "\t\n ", "\x00"])
def test_blank_queries_match_all(query: str) -> None:
    assert parse(query) == MatchAll()


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("& ^ *", 1),
        ('""', 1),
        ("-", 1),
        ("- -", 1),
        ("!!!", 1),
        ("?", 1),
        ("  ?", 3),
        ("***", 1),
        ('"***"', 1),
        ('"—"', 1),
        ("“—”", 1),
        ("– —", 1),
        ('"*" -', 1),
    ],
)
def test_queries_without_a_searchable_word_are_errors(query: str, position: int) -> None:
    with pytest.raises(QueryError, match="no searchable word") as raised:
        parse(query)
    assert str(raised.value).endswith(f"(at position {position})")


def test_query_text_that_is_not_utf8_is_an_error() -> None:
    with pytest.raises(QueryError, match="not valid UTF-8") as raised:
        parse(os.fsdecode(b"caf\xe9 OR tea"))
    assert raised.value.position == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe", Text("cafe")),
        ('"new york"', Text("new york", phrase=True)),
        ('" new  york "', Text("new  york", phrase=True)),
        ("libra*", Text("libra", prefix=True)),
        ('"new yor"*', Text("new yor", phrase=True, prefix=True)),
        ("covid-19", Text("covid-19")),
        ("don't", Text("don't")),
        ("été", Text("été")),
        ("Straße", Text("Straße")),
        ("12:30", Text("12:30")),
        ("^cafe", Text("^cafe")),
        ("a-b", Text("a-b")),
        ("e-mail", Text("e-mail")),
        ("U.S.", Text("U.S.")),
        ('"new yor*"', Text("new yor", phrase=True, prefix=True)),
        ('"new yor**"', Text("new yor", phrase=True, prefix=True)),
        ('"new yor*"*', Text("new yor", phrase=True, prefix=True)),
        ('" new yor* "', Text("new yor", phrase=True, prefix=True)),
        ('"U.S.*"', Text("U.S.", phrase=True, prefix=True)),
        ("libra**", Text("libra", prefix=True)),
        ('"or"', Text("or", phrase=True)),
    ],
)
def test_text_terms(query: str, expected: Node) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a b", And((A, B))),
        ("a AND b", And((A, B))),
        ("a OR b", Or((A, B))),
        ("a and b", And((A, B))),
        ("a or b", Or((A, B))),
        ("a & b", And((A, B))),
        ("NOT a", Not(A)),
        ("-a", Not(A)),
        ("--a", Not(Not(A))),
        ("NOT NOT a", Not(Not(A))),
        ("a -b", And((A, Not(B)))),
        ("a - b", And((A, B))),
        ("a NOT b", And((A, Not(B)))),
        ("-tag:x", Not(Field("tag", ":", "x"))),
        ('-"a b"', Not(Text("a b", phrase=True))),
        ("-(a OR b)", Not(Or((A, B)))),
        ("a OR b c", Or((A, And((B, C))))),
        ("a b OR c", Or((And((A, B)), C))),
        ("a AND b OR c AND d", Or((And((A, B)), And((C, D))))),
        ("NOT a b", And((Not(A), B))),
        ("NOT a OR b", Or((Not(A), B))),
        ("(a OR b) c", And((Or((A, B)), C))),
        ("((a))", A),
        ("a (b (c OR d))", And((A, B, Or((C, D))))),
        ("a OR (b OR c)", Or((A, B, C))),
        ("a(b)", And((A, B))),
        ('a"b c"d', And((A, Text("b c", phrase=True), D))),
        ("(tag:x)", Field("tag", ":", "x")),
        ("tag:x site:y", And((Field("tag", ":", "x"), Field("site", ":", "y")))),
    ],
)
def test_boolean_structure(query: str, expected: Node) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:Politics", Field("tag", ":", "Politics")),
        ('tag:"say \\"no\\""', Field("tag", ":", 'say "no"')),
        ('tag:"back\\\\slash"', Field("tag", ":", "back\\slash")),
        ('tag:"C:\\temp"', Field("tag", ":", "C:\\temp")),
        ('tag:"ends in \\\\"', Field("tag", ":", "ends in \\")),
        ('tag:"\\“op-ed\\”"', Field("tag", ":", "“op-ed”")),
        ("title:negotiat*", Field("title", ":", "negotiat")),
        ("site:bbc*", Field("site", ":", "bbc")),
        ("author:o'brien*", Field("author", ":", "o'brien")),
        ("tag:econ*", Field("tag", ":", "econ*")),
        ("title:a*b", Field("title", ":", "a*b")),
        ('tag:"two words"', Field("tag", ":", "two words")),
        ("TAG:x", Field("tag", ":", "x")),
        ("site:bbc.co.uk", Field("site", ":", "bbc.co.uk")),
        ("author:smith", Field("author", ":", "smith")),
        ("title:election", Field("title", ":", "election")),
        ('title:"a phrase"', Field("title", ":", "a phrase")),
        ("title:*", Field("title", ":", "*")),
        ("lang:EN-us", Field("lang", ":", "en-us")),
        ("Lang:de", Field("lang", ":", "de")),
        ("is:duplicate", Field("is", ":", "duplicate")),
        ("IS:Untagged", Field("is", ":", "untagged")),
        ("date:2023", Field("date", "=", "2023")),
        ('date:"2023-12"', Field("date", "=", "2023-12")),
        ("date:>=2023-12-01", Field("date", ">=", "2023-12-01")),
        ("date:2023-01-01..", Field("date", "..", "2023-01-01", "")),
        ("words:500..1000", Field("words", "..", "500", "1000")),
        ("Words:<100", Field("words", "<", "100")),
    ],
)
def test_fields(query: str, expected: Field) -> None:
    assert parse(query) == expected


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("date:2023", "2023-01-01", "2024-01-01"),
        ("date:2023-12", "2023-12-01", "2024-01-01"),
        ("date:2023-02", "2023-02-01", "2023-03-01"),
        ("date:2023-12-01", "2023-12-01", "2023-12-02"),
        ("date:2024-2-29", "2024-02-29", "2024-03-01"),
        ("date:>=2023-12-01", "2023-12-01", None),
        ("date:>2023-12", "2024-01-01", None),
        ("date:>2023-12-31", "2024-01-01", None),
        ("date:<2024", None, "2024-01-01"),
        ("date:<=2023-12", None, "2024-01-01"),
        ("date:<=2023-12-31", None, "2024-01-01"),
        ("date:2023-12-01..2023-12-31", "2023-12-01", "2024-01-01"),
        ("date:2023..2024-06", "2023-01-01", "2024-07-01"),
        ("date:..2023-12-31", None, "2024-01-01"),
        ("date:2023-01-01..", "2023-01-01", None),
    ],
)
def test_date_bounds(query: str, start: str | None, end: str | None) -> None:
    node = parse(query)
    assert isinstance(node, Field)
    assert node.bounds == DateRange(_d(start) if start else None, _d(end) if end else None)


@pytest.mark.parametrize(
    ("query", "low", "high"),
    [
        ("words:500", 500, 500),
        ("words:>500", 501, None),
        ("words:>=500", 500, None),
        ("words:<100", None, 99),
        ("words:<=100", None, 100),
        ("words:500..1000", 500, 1000),
        ("words:..1000", None, 1000),
        ("words:500..", 500, None),
    ],
)
def test_word_bounds(query: str, low: int | None, high: int | None) -> None:
    node = parse(query)
    assert isinstance(node, Field)
    assert node.bounds == NumberRange(low, high)


def test_text_fields_have_no_bounds() -> None:
    node = parse("tag:x")
    assert isinstance(node, Field)
    assert node.bounds is None


def test_built_field_is_validated_and_equals_parsed_one() -> None:
    built = Field("date", ">", "2023-12")
    assert built == parse("date:>2023-12")
    assert built.bounds == DateRange(dt.date(2024, 1, 1), None)
    with pytest.raises(QueryError, match="bad date"):
        Field("date", "=", "2023-13")
    with pytest.raises(QueryError, match="unknown field 'foo'"):
        Field("foo", ":", "x")


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ('"abc', "unclosed quote", 0),
        ('a "b c', "unclosed quote", 2),
        ('tag:"x', "unclosed quote", 4),
        ('"a" "', "unclosed quote", 4),
        ("(a", "missing closing parenthesis", 0),
        ("(a (b)", "missing closing parenthesis", 0),
        ("a (b OR (c)", "missing closing parenthesis", 2),
        ("-(", "missing closing parenthesis", 1),
        ("a)", "unexpected closing parenthesis", 1),
        ("(a))", "unexpected closing parenthesis", 3),
        (")", "unexpected closing parenthesis", 0),
        ("()", "empty parentheses", 0),
        ("a ( )", "empty parentheses", 2),
        ("a OR", "expected a term after OR", 2),
        ("a AND", "expected a term after AND", 2),
        ("a AND OR b", "expected a term after AND", 2),
        ("(a OR)", "expected a term after OR", 3),
        ("AND b", "expected a term before AND", 0),
        ("OR b", "expected a term before OR", 0),
        ("(OR a)", "expected a term before OR", 1),
        ("a (AND b)", "expected a term before AND", 3),
        ("NOT", "expected a term after NOT", 0),
        ("a NOT", "expected a term after NOT", 2),
        ("NOT OR a", "expected a term after NOT", 0),
        ("--", "expected a term after '-'", 0),
        ("-OR a", "expected a term after '-'", 0),
        ("-&", "expected a term after '-'", 0),
        ("tag:", "missing value after 'tag:'", 4),
        ('tag:""', "missing value after 'tag:'", 5),
        ("a site:", "missing value after 'site:'", 7),
        ("title: x", "missing value after 'title:'", 6),
        ("date:2023-13", "bad date '2023-13'", 5),
        ("date:2023-02-30", "bad date '2023-02-30'", 5),
        ("date:0000", "bad date '0000'", 5),
        ("date:9999", "bad date '9999'", 5),
        ("date:yesterday", "bad date 'yesterday'", 5),
        ("date:>=2023-13-01", "bad date '2023-13-01'", 7),
        ("date:2023-01-01..2023-13", "bad date '2023-13'", 17),
        ("date:2023..x..y", "bad date 'x..y'", 11),
        ('date:"2023-13"', "bad date '2023-13'", 6),
        ("date:..", "expected a date before or after '..'", 5),
        ("date:>", "expected a date after '>'", 5),
        ("date:", "expected a date after 'date:'", 5),
        ("words:>x", "bad number 'x'", 7),
        ("words:1.5", "bad number '1.5'", 6),
        ("words:-5", "bad number '-5'", 6),
        ("words:1_000", "bad number '1_000'", 6),
        ("words:" + "9" * 16, "bad number", 6),
        ("words:", "expected a number after 'words:'", 6),
        ("foo:bar", "unknown field 'foo'", 0),
        ("a Foo:bar", "unknown field 'Foo'", 2),
        ("-text:x", "unknown field 'text'", 1),
        ("http://example.org", "unknown field 'http'", 0),
        ("is:foo", "unknown value 'foo' for 'is:'", 3),
        ("lang:e_n", "bad language code 'e_n'", 5),
        ("lang:*", "bad language code '*'", 5),
        ("title:\u064b", "nothing to search for after 'title:'", 6),
        ('author:"\u05b8 "', "nothing to search for after 'author:'", 8),
        ("wa*r", "'*' can only end a word", 2),
        ("*war", "'*' can only end a word", 0),
        ("a **b", "'*' can only end a word", 2),
        ("negotiat*ions", "'*' can only end a word", 8),
        ('"wa* council"', "'*' can only end the last word of a phrase", 0),
        ('a "war *"', "'*' must follow the word it completes", 2),
        ("“war council", "unclosed quote", 0),
        ('tag:"say \\"no\\"', "unclosed quote", 4),
        ('"a\\"', "unclosed quote", 0),
        ("a or (b", "missing closing parenthesis", 5),
    ],
)
def test_errors(query: str, message: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert message in caught.value.reason
    assert caught.value.position == position
    assert str(caught.value).endswith(f"(at position {position + 1})")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a or b", Or((A, B))),
        ("a Or b", Or((A, B))),
        ("a and b", And((A, B))),
        ("a b or c d", Or((And((A, B)), And((C, D))))),
        ("a or b and c", Or((A, And((B, C))))),
        ("a not b", And((A, Not(B)))),
        ("not a", Not(A)),
        ("not not a", Not(Not(A))),
        ("a or not b", Or((A, Not(B)))),
        ("a and not b", And((A, Not(B)))),
        ("a or -b", Or((A, Not(B)))),
        ("(a or b) c", And((Or((A, B)), C))),
        ("(a) or (b)", Or((A, B))),
        ('"a b" or tag:x', Or((Text("a b", phrase=True), Field("tag", ":", "x")))),
        ("a or (b)", Or((A, B))),
        # where no term stands on each side, they are words
        ("or", Text("or")),
        ("and", Text("and")),
        ("not", Text("not")),
        ("a or", And((A, Text("or")))),
        ("or a", And((Text("or"), A))),
        ("and a", And((Text("and"), A))),
        ("a not", And((A, Text("not")))),
        ("(a or) b", And((A, Text("or"), B))),
        ("a or or b", Or((A, And((Text("or"), B))))),
        ("a and or b", And((A, Text("or"), B))),
        ('a "or" b', And((A, Text("or", phrase=True), B))),
        ("or*", Text("or", prefix=True)),
        ("tag:or", Field("tag", ":", "or")),
        ("a OR or", Or((A, Text("or")))),
    ],
)
def test_lower_case_operators_between_terms(query: str, expected: Node) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("typed", "straight"),
    [
        ("“war council”", '"war council"'),
        ("„Krieg und Frieden“", '"Krieg und Frieden"'),
        ("”war council”", '"war council"'),
        ("«guerre froide»", '"guerre froide"'),
        ("»Kalter Krieg«", '"Kalter Krieg"'),
        ("＂war council＂", '"war council"'),
        ("tag:“op-ed”", 'tag:"op-ed"'),
        ("title:“war council”", 'title:"war council"'),
        ("“new yor”*", '"new yor"*'),
        ("–war", "-war"),
        ("—war", "-war"),
        ("−war", "-war"),
        ("‐war", "-war"),
        ("peace –war", "peace -war"),
        ("peace – war", "peace war"),
        ("–“war council”", '-"war council"'),
        ("–tag:x", "-tag:x"),
        ("–(a OR b)", "-(a OR b)"),
        ("a —", "a"),
    ],
)
def test_word_processor_quotes_and_dashes_mean_their_plain_forms(typed: str, straight: str) -> None:
    assert parse(typed) == parse(straight)


@given(st.text(max_size=40))
def test_any_tag_name_quoted_reads_back_exactly(name: str) -> None:
    name = name.replace("\x00", " ").strip()
    assume(name and first_non_text(name) < 0)
    assert parse("tag:" + quoted(name)) == Field("tag", ":", name)


def test_quoted_escapes_quotes_and_backslashes_only() -> None:
    assert quoted('say "no"') == '"say \\"no\\""'
    assert quoted("a\\b") == '"a\\\\b"'
    assert quoted("«a» “b”") == '"\\«a\\» \\“b\\”"'
    assert quoted("op-ed") == '"op-ed"'


def test_nesting_limit() -> None:
    deep = "(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH
    assert parse(deep) == A
    with pytest.raises(QueryError, match="nested too deeply") as caught:
        parse("(" + deep + ")")
    assert caught.value.position == MAX_DEPTH + 1
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("NOT " * 1000 + "a")
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("-" * 5_000 + "a")


def test_term_limit() -> None:
    assert isinstance(parse(" ".join(["a"] * MAX_TERMS)), And)
    with pytest.raises(QueryError, match="too many search terms") as caught:
        parse(" ".join(["a"] * (MAX_TERMS + 1)))
    assert caught.value.position == 2 * MAX_TERMS


def test_length_limit() -> None:
    assert parse("title:" + "x" * (MAX_LENGTH - 6)) == Field("title", ":", "x" * (MAX_LENGTH - 6))
    with pytest.raises(QueryError, match="too long") as caught:
        parse("a" * (MAX_LENGTH + 1))
    assert caught.value.position == MAX_LENGTH


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("", []),
        ("tag:x date:2023", []),
        ('a "b c" -d NOT e tag:x (f OR g*)', ["a", "b c", "f", "g"]),
        ("a a OR a", ["a"]),
        ("--a -(b NOT c)", ["a", "c"]),
    ],
)
def test_text_terms_for_highlighting(query: str, terms: list[str]) -> None:
    assert text_terms(parse(query)) == terms


_FRAGMENTS = st.sampled_from(
    [
        "a", "café", "AND", "OR", "NOT", "and", "-", "(", ")", '"', "*", ":", "^", "..", ">=",
        "<", "tag:", "date:", "words:", "is:", "lang:", "title:", "foo:", "2023", "2023-12",
        "2023-13", "500", "duplicate", "NEAR(", "{", "}", "'", "\\", "\x00", " ", "\t", "é",
        "or", "not", "Or", "“", "”", "„", "«", "»", "＂", "–", "—", "−", '\\"', "\\“", "a*",
        "*a", "?", "site:", "author:",
    ]
)  # fmt: skip


def _check(query: str) -> None:
    try:
        parse(query)
    except QueryError as error:
        assert 0 <= error.position <= len(query)
        assert error.reason


@settings(max_examples=500)
@given(st.text(max_size=80))
def test_random_text_parses_or_raises_query_error(query: str) -> None:
    _check(query)


@settings(max_examples=1000)
@given(st.lists(_FRAGMENTS, max_size=25).map("".join))
def test_random_fragments_parse_or_raise_query_error(query: str) -> None:
    _check(query)


_PLAIN_FRAGMENTS = st.sampled_from(
    [
        "a", "café", "AND", "OR", "NOT", "and", "or", "not", "-", "(", ")", '"', "*", "tag:",
        "title:", "is:", "duplicate", "'", "\\", " ", " ", "é", "?", "b*",
    ]
)  # fmt: skip
_TYPESET = {"-": "–"}


def _typeset(query: str) -> str:
    """``query`` as a word processor writes it: curly quotes, and en dashes for hyphens.

    A quote after a backslash is text, not a delimiter, and stands for itself (a straight
    quote in a tag's name is not a curly one), so it stays as it is.
    """
    pieces, opening, escaped = [], True, False
    for char in query:
        if char == '"' and not escaped:
            pieces.append("“" if opening else "”")
            opening = not opening
        else:
            pieces.append(_TYPESET.get(char, char))
        escaped = char == "\\" and not escaped
    return "".join(pieces)


def _outcome(query: str) -> object:
    try:
        return _straightened(parse(query))
    except QueryError as error:
        return ("error", error.reason.replace("–", "-"), error.position)


def _straightened(node: Node) -> Node:
    if isinstance(node, Text):
        return Text(node.value.replace("–", "-"), node.phrase, node.prefix)
    if isinstance(node, Field):
        return Field(node.name, node.op, node.value.replace("–", "-"), node.value2)
    if isinstance(node, Not):
        return Not(_straightened(node.child))
    if isinstance(node, And | Or):
        return type(node)(tuple(map(_straightened, node.children)))
    return node


@settings(max_examples=1000)
@given(st.lists(_PLAIN_FRAGMENTS, max_size=20).map("".join))
def test_typeset_queries_mean_what_their_plain_forms_mean(query: str) -> None:
    """Curly quotes and en dashes change nothing: the same tree, or the same error."""
    assert _outcome(_typeset(query)) == _outcome(query)
