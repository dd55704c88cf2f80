"""A property-based fuzzer feeding the import step random, mutated and lying pages.

Every input goes through ``prepare_file`` (a page file read and prepared as a worker does) and must
come out as an article with safe preview HTML or as a failure with a one-line reason: no
exception, no hang past the per-input limit, no memory blow-up. Inputs: random bytes, real
pages truncated and mutated (bytes cut, flipped, duplicated; markup, NULs, BOMs and charset
declarations spliced in), pages whose declared charset lies about their bytes, deeply nested
markup, and arbitrary text. The CI variant tries a few hundred inputs, the full one thousands.
Pages whose bytes do tell their text (Unicode whatever they declare, legacy charsets declared
truthfully) must also keep it, word for word.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpusdesk.core.records import ArticleDraft, Outcome
from corpusdesk.importing import prepare
from tests.factories import article_page
from tests.reliability.harness import unsafe_preview_parts
from tests.reliability.hostile import tracking_page

PAGES = Path(__file__).parents[1] / "unit" / "importing" / "pages"
SEEDS = [
    *(path.read_bytes() for path in sorted(PAGES.glob("*.html"))),
    article_page(1).encode(),
    tracking_page("http://127.0.0.1:9"),
]
TOKENS = [
    b"<",
    b">",
    b"</div>",
    b"<div>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"]]>",
    b"&#0;",
    b"&#x110000;",
    b"\x00",
    b"<script>",
    b"</script>",
    b"<?xml version='1.0'?>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"<!DOCTYPE html [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>",
    b"&b;",
    b'<meta charset="utf-16">',
    b'<meta charset="shift_jis">',
    b'<meta charset="bogus">',
    b"<title>",
    b"</title>",
    b"<table><tr><td>",
    b"<p>",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"<svg><script>",
    b"<iframe src='http://127.0.0.1:9/'>",
    b"<base href='javascript:x'>",
]
CHARSETS = [
    "utf-8",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "cp1252",
    "latin-1",
    "shift_jis",
    "koi8-r",
    "gb18030",
    "big5",
    "utf-7",
    "iso-2022-jp",
    "x-no-such-charset",
]
PER_INPUT_SECONDS = 30
MEMORY_GROWTH_LIMIT = 1024**3
NAMES = st.sampled_from(["page.html", "page.xhtml", "page.htm", "page", "page.txt"])


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    """A real page cut, flipped, duplicated and spliced with troublesome tokens."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 10))):
        operation = draw(st.integers(0, 5))
        at = draw(st.integers(0, len(data)))
        if operation == 0:
            del data[at : at + draw(st.integers(1, 2000))]
        elif operation == 1:
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif operation == 2 and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif operation == 3:
            del data[at:]
        elif operation == 4:
            data[at:at] = data[at : at + draw(st.integers(1, 3000))] * draw(st.integers(1, 20))
        else:
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 50))
    return bytes(data)


@st.composite
def lying_charsets(draw: st.DrawFn) -> bytes:
    """A page that declares one charset and is encoded in another (perhaps behind a BOM)."""
    declared, actual = draw(st.sampled_from(CHARSETS)), draw(st.sampled_from(CHARSETS[:-1]))
    page = article_page(draw(st.integers(0, 50)), charset=declared)
    page = page.replace("council", draw(st.sampled_from(["café", "Größe", "日本", "Москва", "🙂"])))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]))
    return bom + page.encode(actual, errors="replace")


UNICODE_CODECS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
LEGACY_CODECS = ["cp1252", "latin-1", "shift_jis", "koi8-r", "gb18030", "big5", "iso-2022-jp"]
WORDS = ["café", "Größe", "日本", "Москва", "🙂"]


def _can_encode(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def telling_charsets(draw: st.DrawFn) -> tuple[bytes, str]:
    """A page whose bytes tell its text, with a word it must keep: UTF-8, UTF-16 or UTF-32
    whatever the page declares, or a legacy charset the page declares truthfully."""
    word = draw(st.sampled_from(WORDS))
    codecs = [codec for codec in UNICODE_CODECS + LEGACY_CODECS if _can_encode(word, codec)]
    actual = draw(st.sampled_from(codecs))
    declared = draw(st.sampled_from(CHARSETS)) if actual in UNICODE_CODECS else actual
    page = article_page(draw(st.integers(0, 50)), charset=declared)
    return page.replace("<p>", f"<p>{word} ", 1).encode(actual), word


@st.composite
def nested_markup(draw: st.DrawFn) -> bytes:
    """Markup nested up to 20,000 levels, closed or not, around article text."""
    tag = draw(st.sampled_from(["div", "b", "span", "blockquote", "table", "ul", "p", "svg"]))
    depth = draw(st.integers(1, 20_000))
    closed = draw(st.booleans())
    body = article_page(draw(st.integers(0, 50)))
    return (f"<{tag}>" * depth + body + (f"</{tag}>" * depth if closed else "")).encode()


@st.composite
def text_pages(draw: st.DrawFn) -> bytes:
    """Arbitrary Unicode text, bare or inside a page."""
    text = draw(st.text(max_size=3000))
    if draw(st.booleans()):
        text = f"<html><head><title>{text[:40]}</title></head><body><p>{text}</p></body></html>"
    return text.encode("utf-8", errors="surrogatepass")


INPUTS = st.one_of(
    st.binary(max_size=20_000), mutated_pages(), lying_charsets(), nested_markup(), text_pages()
)


class Hang(BaseException):
    """One input took longer than the per-input limit."""


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


@pytest.fixture
def per_input_alarm() -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fuzz(tmp_path: Path, examples: int, figures: Callable[[str], None]) -> None:
    prepare.init_worker(str(tmp_path / "no-library.db"), with_time_limit=False)
    target = tmp_path / "input"
    target.mkdir()
    tried: dict[str, int] = {"imported": 0, "failed": 0}
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=INPUTS, name=NAMES)
    def one_input(data: bytes, name: str) -> None:
        path = target / name
        path.write_bytes(data)
        signal.setitimer(signal.ITIMER_REAL, PER_INPUT_SECONDS)
        try:
            result = prepare.prepare_file(str(path))
        except Hang:
            pytest.fail(f"no result within {PER_INPUT_SECONDS} s for {len(data)} bytes")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if isinstance(result, ArticleDraft):
            tried["imported"] += 1
            assert result.article.text.strip()
            assert unsafe_preview_parts(result.article.html, markers=False) == []
        else:
            tried["failed"] += 1
            assert result.outcome is Outcome.FAILED
            assert result.reason and "\n" not in result.reason
            assert not result.reason.startswith("unexpected error"), result.reason

    one_input()
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before
    total = tried["imported"] + tried["failed"]
    figures(
        f"{total} fuzz inputs ({tried['imported']} imported, {tried['failed']} reported "
        f"with a reason); peak memory grew {growth / 1048576:.0f} MB"
    )
    assert total >= examples // 2
    assert growth < MEMORY_GROWTH_LIMIT


def test_pages_in_any_charset_keep_their_text(tmp_path: Path, per_input_alarm: None) -> None:
    prepare.init_worker(str(tmp_path / "no-library.db"), with_time_limit=False)
    path = tmp_path / "page.html"

    @settings(max_examples=150, deadline=None, database=None)
    @given(page=telling_charsets())
    def one_page(page: tuple[bytes, str]) -> None:
        data, word = page
        path.write_bytes(data)
        signal.setitimer(signal.ITIMER_REAL, PER_INPUT_SECONDS)
        try:
            result = prepare.prepare_file(str(path))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        assert isinstance(result, ArticleDraft), result
        assert word in result.article.text
        assert "\ufffd" not in result.article.text
        assert "Council weighs the cost of winter services" in result.article.title

    one_page()


def test_fuzzed_inputs_become_articles_or_reasons(
    tmp_path: Path, per_input_alarm: None, figures: Callable[[str], None]
) -> None:
    _fuzz(tmp_path, 300, figures)


@pytest.mark.slow
def test_fuzzed_inputs_become_articles_or_reasons_full(
    tmp_path: Path, per_input_alarm: None, figures: Callable[[str], None]
) -> None:
    _fuzz(tmp_path, 5000, figures)
