"""A capture's images: found by the sources a page gives them, stored as short references, and
put into the preview as data: URIs from the stored copy only."""

from __future__ import annotations

import base64

import pytest
from lxml import html as lxml_html

from corpusdesk.core.records import EmbeddedResource
from corpusdesk.importing import embedded
from corpusdesk.importing.clean import sanitise_html
from corpusdesk.importing.embedded import (
    ImageIndex,
    PlacedImage,
    anchor_key,
    inline_images,
    reference,
)
from tests.captures import tiny_png

PAGE = "https://gazette.example/news/2023/crane.html"


def test_images_are_found_by_absolute_relative_cid_and_folder_sources() -> None:
    index = ImageIndex(
        PAGE,
        [
            ("https://gazette.example/news/img/a.png", "image/png"),
            ("cid:part.1@mhtml", "image/jpeg"),
            ("crane_files/b%20c.jpg", "image/jpeg"),
            ("https://gazette.example/style.css", "text/css"),
        ],
    )
    assert index.find("../img/a.png") == ("https://gazette.example/news/img/a.png", "image/png")
    assert index.find("https://gazette.example/news/img/a.png#top") is not None
    assert index.find("cid:part.1@mhtml") == ("cid:part.1@mhtml", "image/jpeg")
    assert index.find("./crane_files/b c.jpg") == ("crane_files/b%20c.jpg", "image/jpeg")
    assert index.find("https://gazette.example/style.css") is None  # not an image
    assert index.find("https://tracker.example/pixel.gif") is None
    assert index.find("data:image/png;base64,AAAA") is None


def test_images_are_placed_before_the_paragraph_that_follows_them() -> None:
    tree = lxml_html.document_fromstring(
        '<html><head><base href="https://gazette.example/news/img/"></head><body>'
        '<img src="a.png" srcset="a-2x.png 2x" alt="The  crane">'
        "<p>Too short.</p><p>The first paragraph long enough to follow an image.</p>"
        '<img data-src="a.png" src="placeholder.gif">'
        '<img src="small.png" srcset="x.png 1x, a.png 2x">'
        '<figure><img src="a.png"><figcaption><p>A caption long enough to be a paragraph'
        "</p></figcaption></figure><h1>A headline is not a paragraph here</h1>"
        "<p>The second paragraph, after the other images.</p>"
        '<img src="https://tracker.example/pixel.gif">'
        "<p>After the tracking pixel, six words or more.</p>"
        "</body></html>"
    )
    images = [
        (f"https://gazette.example/news/img/{n}.png", "image/png") for n in ("a", "placeholder")
    ]
    index = ImageIndex(PAGE, images)

    placed = index.place(tree)

    ref = reference("https://gazette.example/news/img/a.png", "image/png")
    first = anchor_key("The first paragraph long enough to follow an image.")
    second = anchor_key("The second paragraph, after the other images.")
    assert placed == [
        PlacedImage(ref, "The crane", first),
        PlacedImage(ref, "", second),
        PlacedImage(ref, "", second),
        PlacedImage(ref, "", second),
    ]
    assert first == "the first paragraph long enough to follow an image"
    assert index.used == {"https://gazette.example/news/img/a.png"}


def test_page_furniture_images_are_not_placed() -> None:
    text = "<p>A paragraph of the article with words enough to follow.</p>"
    tree = lxml_html.document_fromstring(
        '<html><body class="wp-custom-logo right-sidebar">'
        '<header class="site-header"><img src="logo.png"></header>'
        '<div class="site-logo"><img src="logo.png"></div>'
        '<article><header><img src="hero.png" alt="hero"></header>'
        f'<img src="pixel.png" width="1" height="1">{text}</article>'
        f'<aside><img src="ad.png"></aside><div class="sidebar-widget"><img src="ad.png"></div>'
        f"{text}</body></html>"
    )
    images = [
        (f"https://gazette.example/{n}.png", "image/png") for n in "logo hero pixel ad".split()
    ]
    placed = ImageIndex("https://gazette.example/a.html", images).place(tree)
    assert [p.alt for p in placed] == ["hero"]


def test_preview_gets_images_as_data_uris_from_the_stored_copy_only() -> None:
    png = tiny_png()
    stored = [EmbeddedResource("https://gazette.example/a.png", "image/png", png)]
    ref = reference("https://gazette.example/a.png", "image/png")
    missing = reference("https://gazette.example/gone.png", "image/png")
    html = f'<p><img src="{ref}" alt="crane">Text</p><p><img src="{missing}" alt="x">More</p>'

    shown = inline_images(html, stored)

    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    assert shown == f'<p><img src="{uri}" alt="crane">Text</p><p>More</p>'
    assert inline_images("<p>no images</p>", stored) == "<p>no images</p>"


def test_preview_leaves_out_images_beyond_the_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = b"s" * 10, b"l" * 100
    stored = [
        EmbeddedResource("a.png", "image/png", small),
        EmbeddedResource("b.png", "image/png", large),
        EmbeddedResource("c.png", "image/png", small),
    ]
    html = "".join(f'<img src="{reference(r.location, r.media_type)}">' for r in stored)
    monkeypatch.setattr(embedded, "MAX_IMAGE_BYTES", 50)
    monkeypatch.setattr(embedded, "MAX_PREVIEW_IMAGE_BYTES", 15)
    shown = inline_images(html, stored)
    assert shown.count("<img") == 1  # the large one is too large, then the budget is spent
    assert base64.b64encode(small).decode() in shown


def test_sanitised_preview_keeps_image_references_and_nothing_else() -> None:
    ref = reference("https://gazette.example/a.png", "image/png")
    fragment = (
        f'<p><img src="{ref}" alt="crane" onerror="x()" width="9"> and '
        '<img src="https://tracker.example/p.gif"> and <img src="embedded:../../etc.png"> '
        '<img src="data:image/png;base64,AAAA"> tail</p>'
    )
    assert sanitise_html(fragment) == f'<p><img src="{ref}" alt="crane"> and  and   tail</p>'
