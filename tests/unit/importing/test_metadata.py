"""Each metadata source on its own: JSON-LD, OpenGraph, meta tags, Dublin Core, time, links …"""

from __future__ import annotations

import datetime as dt

import pytest

from corpusdesk.importing.dates import url_date
from corpusdesk.importing.extract import parse_html
from corpusdesk.importing.metadata import (
    PageMetadata,
    choose_metadata,
    clean_author,
    clean_title,
    parse_date,
    read_signals,
    strip_site_suffix,
)


def meta_of(head: str, body: str = "<p>Body text.</p>", prefix: str = "") -> PageMetadata:
    page = f"{prefix}<html><head>{head}</head><body>{body}</body></html>"
    return choose_metadata(read_signals(parse_html(page), page))


def test_json_ld_graph_with_author_reference() -> None:
    meta = meta_of(
        '<script type="application/ld+json">{"@graph": ['
        '{"@type": "Person", "@id": "#p1", "name": "Ada Quill"},'
        '{"@type": "Organization", "@id": "#org", "name": "Quill Weekly"},'
        '{"@type": ["NewsArticle"], "headline": "Rivers in Spring", "author": {"@id": "#p1"},'
        '"datePublished": "2020-04-02T10:00:00Z", "dateModified": "2020-04-05",'
        '"publisher": {"@id": "#org"}, "inLanguage": "pt-BR"}]}</script>'
    )
    assert meta.authors == ("Ada Quill",)
    assert meta.title == "Rivers in Spring"
    assert meta.site_name == "Quill Weekly"
    assert meta.published == dt.date(2020, 4, 2)
    assert meta.modified == dt.date(2020, 4, 5)
    assert meta.language == "pt"


def test_json_ld_array_of_authors_and_organisation() -> None:
    meta = meta_of(
        '<script type="application/ld+json">[{"@type": "BlogPosting", "author": ['
        '{"@type": "Person", "name": "Kim Oduya"}, {"@type": "Person", "name": "Lee Varga"}],'
        '"publisher": {"@type": "Organization", "name": "Field Notes"}}]</script>'
    )
    assert meta.authors == ("Kim Oduya", "Lee Varga")
    assert meta.site_name == "Field Notes"


def test_broken_json_ld_is_ignored() -> None:
    meta = meta_of('<script type="application/ld+json">{"@type": </script><title>Ok</title>')
    assert meta.title == "Ok"


def test_opengraph() -> None:
    meta = meta_of(
        '<meta property="og:title" content="Tidal Power Explained">'
        '<meta property="og:site_name" content="Sea Desk">'
        '<meta property="og:url" content="https://seadesk.example/tidal">'
        '<meta property="og:locale" content="nl_NL">'
        '<meta property="article:published_time" content="2019-08-30T23:30:00-05:00">'
        '<meta property="article:modified_time" content="2019-09-01T08:00:00Z">'
    )
    assert meta.title == "Tidal Power Explained"
    assert meta.site_name == "Sea Desk"
    assert meta.url == "https://seadesk.example/tidal"
    assert meta.language == "nl"
    assert meta.published == dt.date(2019, 8, 30)
    assert meta.modified == dt.date(2019, 9, 1)


def test_meta_author_parsely_sailthru_and_twitter() -> None:
    assert meta_of('<meta name="author" content="By Rosa Lind">').authors == ("Rosa Lind",)
    assert meta_of('<meta name="parsely-author" content="Ben Ode">').authors == ("Ben Ode",)
    assert meta_of('<meta name="sailthru.author" content="Ana Pe">').authors == ("Ana Pe",)
    twitter = (
        '<meta name="twitter:label1" content="Written by">'
        '<meta name="twitter:data1" content="Jo Ito">'
    )
    assert meta_of(twitter).authors == ("Jo Ito",)
    assert meta_of('<meta name="parsely-pub-date" content="2018-01-02">').published == dt.date(
        2018, 1, 2
    )


def test_dublin_core() -> None:
    meta = meta_of(
        '<meta name="DC.title" content="Old Mills"><meta name="dcterms.creator" content="Ivo Hart">'
        '<meta name="DC.date.issued" content="2004-10-12"><meta name="DC.language" content="it">'
    )
    assert meta.title == "Old Mills"
    assert meta.authors == ("Ivo Hart",)
    assert meta.published == dt.date(2004, 10, 12)
    assert meta.language == "it"


def test_time_element_and_canonical_link() -> None:
    meta = meta_of(
        '<link rel="canonical" href="https://paper.example/a/1">',
        '<p>By line</p><time datetime="2015-07-21T09:00">July 21</time><p>Text.</p>',
    )
    assert meta.published == dt.date(2015, 7, 21)
    assert meta.url == "https://paper.example/a/1"


def test_saved_from_comment_gives_url_and_resolves_relative_canonical() -> None:
    meta = meta_of(
        '<link rel="canonical" href="/news/2021/03/07/lake-ice/">',
        prefix="<!-- saved from url=(0040)https://lakes.example/news/2021/03/07/x -->\n",
    )
    assert meta.url == "https://lakes.example/news/2021/03/07/lake-ice/"
    assert meta.published == dt.date(2021, 3, 7)
    assert meta.site_name == "lakes.example"


def test_singlefile_header() -> None:
    prefix = (
        "<!--\n Page saved with SingleFile \n url: https://blog.example/2017/05/09/post/ \n"
        " saved date: Tue May 09 2017 10:00:00 GMT+0000\n-->"
    )
    meta = meta_of("<title>Post</title>", prefix=prefix)
    assert meta.url == "https://blog.example/2017/05/09/post/"
    assert meta.published == dt.date(2017, 5, 9)


def test_title_site_suffix_and_h1() -> None:
    meta = meta_of(
        "<title>Why Bees Dance - Hive Journal</title>"
        '<meta property="og:site_name" content="Hive Journal">',
        "<h1>Why Bees Dance</h1><p>Text.</p>",
    )
    assert meta.title == "Why Bees Dance"
    meta = meta_of("<title>Why Bees Dance | Hive Journal</title>")
    assert meta.title == "Why Bees Dance"
    assert meta.site_name == "Hive Journal"
    assert strip_site_suffix("Hive Journal – Why Bees Dance", ["Hive Journal"]) == "Why Bees Dance"
    assert strip_site_suffix("A - B: a title with a dash", []) == "A - B: a title with a dash"


@pytest.mark.parametrize(
    ("title", "sites", "stripped"),
    [
        ("北京地铁新线路今日开通运营｜华北日报", [], "北京地铁新线路今日开通运营"),
        ("北京地铁新线路今日开通运营 ｜ 华北日报", ["华北日报"], "北京地铁新线路今日开通运营"),
        ("上海发布寒潮蓝色预警_东方快讯", [], "上海发布寒潮蓝色预警"),
        ("标题内容很长的新闻－中時新聞網", ["中時新聞網"], "标题内容很长的新闻"),
        ("人民网：北京今日降雪", ["人民网"], "北京今日降雪"),
        ("東京で大雪【東都新聞】", ["東都新聞"], "東京で大雪"),
        ("【東都新聞】東京で大雪", ["東都新聞"], "東京で大雪"),
        ("東京都、図書館の開館時間を延長 - 東都新聞", [], "東京都、図書館の開館時間を延長"),
        ("서울시, 심야 버스 노선 확대 - 한강일보", [], "서울시, 심야 버스 노선 확대"),
        # what is part of the title stays
        ("【速報】東京で大雪", ["東都新聞"], "【速報】東京で大雪"),
        ("外交部：中方坚决反对", [], "外交部：中方坚决反对"),
        ("中国外交部发言人：今天天气", [], "中国外交部发言人：今天天气"),
        ("改革开放四十年——访某某", [], "改革开放四十年——访某某"),
        ("米軍のＦ－１５が着陸", [], "米軍のＦ－１５が着陸"),
        ("新幹線 東京－大阪", [], "新幹線 東京－大阪"),
        (
            "The new budget plan for the city: key points",
            [],
            "The new budget plan for the city: key points",
        ),
    ],
)
def test_site_names_after_cjk_separators_are_stripped(
    title: str, sites: list[str], stripped: str
) -> None:
    assert strip_site_suffix(title, sites) == stripped


def test_cjk_headline_is_the_title() -> None:
    meta = meta_of(
        "<title>北京地铁新线路今日开通运营｜华北日报</title>"
        '<meta property="og:site_name" content="华北日报">',
        "<h1>北京地铁新线路今日开通</h1><p>本报讯 北京地铁十七号线北段今天上午正式开通运营。</p>",
    )
    assert meta.title == "北京地铁新线路今日开通"
    assert meta.site_name == "华北日报"
    meta = meta_of("<title>北京地铁新线路今日开通运营｜华北日报</title>")
    assert meta.title == "北京地铁新线路今日开通运营"
    assert meta.site_name == "华北日报"


def test_wordpress_account_loses_to_real_author() -> None:
    meta = meta_of(
        '<meta name="author" content="Nadia Sol">',
        '<span class="author vcard">'
        '<a class="fn" rel="author" href="/author/admin/">admin</a></span>',
    )
    assert meta.authors == ("Nadia Sol",)
    byline_only = meta_of("", '<span class="byline">by <span class="fn">admin</span></span>')
    assert byline_only.authors == ()
    hcard = meta_of("", '<span class="vcard"><span class="fn">Omar Reyes</span></span>')
    assert hcard.authors == ("Omar Reyes",)


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
        ("admin", []),
        ("jdoe", []),
        ("editor@example.com", []),
        ("https://example.com/author/jane", []),
        ("Written by: Ana Lopes", ["Ana Lopes"]),
    ],
)
def test_clean_author(raw: str, names: list[str]) -> None:
    assert clean_author(raw) == names


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2023-12-16T18:05:00+03:00", dt.date(2023, 12, 16)),
        ("2023/01/05", dt.date(2023, 1, 5)),
        ("20200229", dt.date(2020, 2, 29)),
        ("December 16, 2023", dt.date(2023, 12, 16)),
        ("16 Dec 2023", dt.date(2023, 12, 16)),
        ("not a date", None),
        ("2023-02-30", None),
        ("2999-01-01", None),
    ],
)
def test_parse_date(value: str, date: dt.date | None) -> None:
    assert parse_date(value) == date


def test_content_language_meta() -> None:
    meta = meta_of('<meta http-equiv="content-language" content="sv-SE">')
    assert meta.language == "sv"


def test_rdfa_properties_listed_together_and_read_before_names() -> None:
    meta = meta_of(
        '<meta name="dc:title" content="Named title">'
        '<meta property="x:title dc:title" content="Property title">'
        '<meta property="dc:creator twitter:site" content="Vera Holm">'
    )
    assert meta.title == "Property title"
    assert meta.authors == ("Vera Holm",)


def test_json_ld_in_cdata_markers() -> None:
    meta = meta_of(
        '<script type="application/ld+json">//<![CDATA[\n{"@type": "NewsArticle",'
        '"headline": "Snow on the Pass", "publisher": {"@type": "Organization",'
        '"name": "Alpine Courier"}}\n//]]></script>'
        '<meta property="og:site_name" content="Alpine Courier – news from the valleys">'
    )
    assert meta.title == "Snow on the Pass"
    assert meta.site_name == "Alpine Courier"  # the publisher's name, without a tagline


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Python, SQL &#x26; AI", "Python, SQL & AI"),
        ("A Walker\u00e2\u0080\u0099s Guide", "A Walker\u2019s Guide"),
        ("Shared Mutable History¶", "Shared Mutable History"),
        ("Hamas\u2019 Vision", "Hamas\u2019 Vision"),
        ("Caf\u00e9 \u00dcber", "Caf\u00e9 \u00dcber"),
        ("C#", "C#"),
    ],
)
def test_clean_title(raw: str, title: str) -> None:
    assert clean_title(raw) == title


def test_heading_with_dateline_or_byline_gives_way_to_metadata_title() -> None:
    og = '<meta property="og:title" content="Preparing a transition in Mirrorfold">'
    meta = meta_of(og, "<h1>Dec 18 2025 Preparing a transition in Mirrorfold</h1><p>Text.</p>")
    assert meta.title == "Preparing a transition in Mirrorfold"
    meta = meta_of(og, "<h1>Preparing a transition in Mirrorfold Posted on July 1 by kim</h1>")
    assert meta.title == "Preparing a transition in Mirrorfold"
    # A longer heading that only adds words of its own stays the title.
    og = '<meta property="og:title" content="House Costs in the Bay Area">'
    meta = meta_of(og, "<h1>House Costs in the Bay Area: Room-by-Room Breakdown</h1>")
    assert meta.title == "House Costs in the Bay Area: Room-by-Room Breakdown"


def test_url_date() -> None:
    assert url_date("https://a.example/2021/03/07/x") == dt.date(2021, 3, 7)
    assert url_date("https://a.example/2021/13/07/x") is None
    assert url_date(None) is None
