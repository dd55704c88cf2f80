"""Corpus-aware cleaning: a site's repeated template blocks leave its articles' text."""

from __future__ import annotations

from pathlib import Path

from corpusdesk.importing.boilerplate import block_key, site_key, strip_html, strip_text
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.factories import article_page, make_draft, paragraph

PROMO = "Listen to the Harbour Gazette podcast every Sunday at noon on all good apps."
DISCLAIMER = "Views expressed by contributors to this section are their own and not ours."


def _site_draft(seed: int, extra: tuple[str, ...] = (), title: str | None = None):  # type: ignore[no-untyped-def]
    body = [paragraph(seed * 10 + i, 70) for i in range(3)]
    title = title or f"Story number {seed}"
    text = "\n\n".join([PROMO, *body, *extra])
    return make_draft(text, title=title, url=f"https://www.gazette.example/story-{seed}/")


def test_keys_ignore_case_spacing_and_the_title() -> None:
    title = "Ferry service resumes after storm"
    a = block_key(f"Share  '{title}' with friends", title)
    b = block_key("share 'Another headline entirely' WITH friends", "Another headline entirely")
    assert a == b and a is not None
    assert block_key("ok", None) is None
    assert site_key("https://www.gazette.example/x", "Gazette") == "gazette.example"
    assert site_key(None, "  The  Gazette ") == "the gazette"


def test_strip_text_and_html_remove_the_same_blocks() -> None:
    text = f"{PROMO}\n\nFirst real paragraph here.\n\nSecond real paragraph."
    remove = {block_key(PROMO, None)}
    stripped, removed = strip_text(text, None, remove)  # type: ignore[arg-type]
    assert removed == [PROMO]
    assert stripped == "First real paragraph here.\n\nSecond real paragraph."
    html = f"<p>{PROMO}</p><p>First real paragraph here.</p><div><p>Second</p></div>"
    assert strip_html(html, None, remove) == (  # type: ignore[arg-type]
        "<p>First real paragraph here.</p><div><p>Second</p></div>"
    )


def test_template_repeating_across_three_pages_is_removed_from_all(library: Library) -> None:
    results = library.add_drafts([_site_draft(1, (DISCLAIMER,)), _site_draft(2, (DISCLAIMER,))])
    first, second = (r.article_id for r in results)
    assert PROMO in library.detail(first).text  # two pages are not enough to judge
    [third_result] = library.add_drafts([_site_draft(3, (DISCLAIMER,))])
    for article_id in (first, second, third_result.article_id):
        detail = library.detail(article_id)
        assert PROMO not in detail.text and DISCLAIMER not in detail.text
        assert PROMO not in detail.html
        assert detail.word_count == len(detail.text.split())
        assert len(detail.text.split("\n\n")) == 3


def test_blocks_shared_by_few_of_a_sites_pages_are_kept(library: Library) -> None:
    attribution = "(Originally published by the Valley Post.)"
    drafts = [_site_draft(seed, (attribution,) if seed < 3 else ()) for seed in range(1, 8)]
    library.add_drafts(drafts)
    texts = [d.text for d in library.iter_details(library.search_ids())]
    assert sum(attribution in text for text in texts) == 2
    assert not any(PROMO in text for text in texts)


def test_block_occurring_once_is_never_removed(library: Library) -> None:
    unique = "A closing line that only one of the site's articles has."
    library.add_drafts([_site_draft(seed, (unique,) if seed == 2 else ()) for seed in range(1, 6)])
    texts = [d.text for d in library.iter_details(library.search_ids())]
    assert sum(unique in text for text in texts) == 1


def test_other_sites_are_not_affected(library: Library) -> None:
    library.add_drafts([_site_draft(seed) for seed in range(1, 4)])
    elsewhere = make_draft(f"{PROMO}\n\n{paragraph(99)}", url="https://other.example/a")
    [result] = library.add_drafts([elsewhere])
    assert PROMO in library.detail(result.article_id or 0).text


def _template_page(seed: int) -> str:
    page = article_page(seed, site="Harbour Gazette")
    return page.replace('<div class="byline">', f'<p>{PROMO}</p>\n<div class="byline">')


def test_three_saved_pages_of_one_site_lose_their_template(
    library: Library, tmp_path: Path
) -> None:
    paths = []
    for seed in range(3):
        paths.append(tmp_path / f"page-{seed}.html")
        paths[-1].write_text(_template_page(seed), encoding="utf-8")
    assert run_import(library, paths[:2]).imported == 2
    assert all("podcast" in d.text for d in library.iter_details(library.search_ids()))
    assert run_import(library, paths[2:]).imported == 1
    for detail in library.iter_details(library.search_ids()):
        assert "podcast" not in detail.text
        assert detail.text.count("\n\n") >= 3
