"""Hostile and broken pages, the kind a website, a saving tool or a damaged disk produces.

Each builder returns bytes; ``hostile_corpus`` writes a folder of them. Pages that reference
other resources point at ``trap`` (the address of a local server counting connections), so a
test can prove nothing was fetched; ``secret`` is a local file no stored article may contain.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.factories import article_page, paragraph

NESTING = 100_000
SECRET_TEXT = "TOP-SECRET-4b1d-never-import-me"


def article_body(seed: int, paragraphs: int = 5) -> str:
    """Enough ordinary article text for a page to be imported."""
    return "".join(f"<p>{paragraph(seed * 10 + i, 50)}</p>" for i in range(paragraphs))


def tracking_page(trap: str) -> bytes:
    """A real-looking article laced with every way a page can phone home or run code."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Harbour council weighs winter budget</title>
<meta http-equiv="refresh" content="0; url={trap}/refresh">
<link rel="stylesheet" href="{trap}/style.css">
<link rel="preload" href="{trap}/font.woff2" as="font">
<style>body {{ background: url({trap}/bg.png) }} @import url("{trap}/more.css");</style>
<script src="{trap}/analytics.js"></script>
<script>fetch("{trap}/beacon"); document.write("SCRIPT-RAN");</script>
</head><body onload="fetch('{trap}/onload')">
<article><h1>Harbour council weighs winter budget</h1>
<p>Councillors met on Tuesday <img src="{trap}/inline.jpg" onerror="alert(1)"> to discuss the
cost of keeping the harbour reading rooms open through the winter months, and residents
<a href="javascript:fetch('{trap}/js-link')">asked questions</a> about the swimming pools.</p>
<p style="background-image: url('{trap}/style-attr.png')">The budget report, which
<a href="{trap}/report.pdf">was published last week</a>, sets out three options for the
town's libraries, community halls and the museum by the river bridge.</p>
<iframe src="{trap}/iframe.html" width="600" height="400"></iframe>
<p>Volunteers from the archive said the council had promised a decision before the storm
season and that families in the villages depend on the reading rooms for warmth.</p>
<img src="{trap}/pixel.gif?u=123" width="1" height="1" alt="">
<object data="{trap}/object.swf"></object><embed src="{trap}/embed.swf">
<svg><image href="{trap}/svg-image.png"/><script>alert("svg")</script></svg>
<video src="{trap}/video.mp4" poster="{trap}/poster.jpg"></video>
<form action="{trap}/form"><input name="q"><button>Go</button></form>
<p><a href="vbscript:msgbox(1)">old link</a> <a href="data:text/html,<script>alert(1)</script>">
data link</a> <a href="https://news.example/next">Next story</a></p>
</article><noscript><img src="{trap}/noscript.gif"></noscript>
</body></html>""".encode()


def hostile_pages(trap: str, secret: Path, heavy: bool = False) -> dict[str, bytes]:
    """File name → content of every hostile page (the 1 GB sparse file is made separately).

    ``heavy`` makes the pages that are slow to parse big enough to meet the per-file time
    limit (100,000 attributes on one element, 200,000 paragraphs); otherwise they are a fifth
    of that and take a few seconds.
    """
    many = 100_000 if heavy else 20_000
    body = article_body(1)
    good = article_page(7).encode()
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    xhtml_head = '<?xml version="1.0" encoding="utf-8"?>\n'
    return {
        "empty.html": b"",
        "whitespace.html": b" \n\t\r\n" * 100,
        "nul-only.html": b"\x00" * 50_000,
        "nul-laced.html": good.replace(b"<p>", b"<p>\x00\x00", 5).replace(
            b"council", b"coun\x00cil"
        ),
        "deep-divs.html": (
            "<html><body>" + "<div>" * NESTING + body + "</div>" * NESTING + "</body></html>"
        ).encode(),
        "deep-unclosed.html": ("<html><body>" + "<b><i>" * NESTING + body).encode(),
        "deep-tables.html": ("<table><tr><td>" * (NESTING // 10) + body).encode(),
        "deep-quotes.html": ("<blockquote>" * NESTING + body + "</blockquote>" * NESTING).encode(),
        "billion-laughs.xhtml": (
            xhtml_head + "<!DOCTYPE html [\n" + "\n".join(entities) + "\n]>\n"
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p>'
            + body
            + "</body></html>"
        ).encode(),
        "external-entity.xhtml": (
            xhtml_head + "<!DOCTYPE html [\n"
            f'<!ENTITY secret SYSTEM "file://{secret}">\n'
            f'<!ENTITY remote SYSTEM "{trap}/entity">\n'
            f'<!ENTITY % param SYSTEM "{trap}/param.dtd"> %param;\n]>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&secret; &remote;</p>'
            + body
            + "</body></html>"
        ).encode(),
        "external-dtd.xhtml": (
            xhtml_head + f'<!DOCTYPE html SYSTEM "{trap}/external.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><body>' + body + "</body></html>"
        ).encode(),
        "xinclude.xhtml": (
            xhtml_head + '<html xmlns="http://www.w3.org/1999/xhtml" '
            'xmlns:xi="http://www.w3.org/2001/XInclude"><body>'
            f'<xi:include href="file://{secret}" parse="text"/>'
            f'<xi:include href="{trap}/xinclude"/>' + body + "</body></html>"
        ).encode(),
        "tracking.html": tracking_page(trap),
        "lying-utf16.html": article_page(3, charset="utf-16").encode("utf-8"),
        "lying-utf8.html": article_page(4).replace("council", "café ‘council’").encode("cp1252"),
        "lying-bom.html": b"\xff\xfe" + article_page(5).encode("utf-8"),
        "utf7.html": article_page(6, charset="utf-7")
        .replace("<h1>", "<h1>+ADw-script+AD4-alert(1)+ADw-/script+AD4-")
        .encode("utf-8"),
        "unknown-charset.html": article_page(8, charset="x-no-such-charset").encode(),
        "mixed-charsets.html": article_page(9).encode("utf-8")[:1500]
        + article_page(10).replace("council", "Größe café").encode("latin-1")[1500:]
        + "日本語のテキスト".encode("shift_jis"),
        "utf32.html": article_page(11, charset="utf-32").encode("utf-32"),
        "binary-as-html.html": b"\x89PNG\r\n\x1a\n" + os.urandom(3000),
        "gzip-as-html.html": b"\x1f\x8b\x08\x00" + os.urandom(3000),
        "random.html": os.urandom(20_000),
        "truncated.html": good[: len(good) // 3],
        "many-attributes.html": (
            "<html><body><p " + " ".join(f"a{i}='{i}'" for i in range(many)) + ">" + body
        ).encode(),
        "long-line.html": ("<html><body><p>" + "word " * 2_000_000 + "</p></body></html>").encode(),
        "many-paragraphs.html": ("<html><body>" + "<p>short line here</p>" * (2 * many)).encode(),
        "comment-bomb.html": ("<!--" * 100_000 + body).encode(),
        "no-text.html": b"<html><head><title>x</title></head><body><div></div></body></html>",
    }


def write_hostile_corpus(folder: Path, trap: str, secret: Path, heavy: bool = False) -> list[str]:
    """Write the hostile pages, a 1 GB sparse page and a named pipe into ``folder``.

    Returns the names of the files an import must report on (the pipe is not a file).
    """
    folder.mkdir(parents=True, exist_ok=True)
    pages = hostile_pages(trap, secret, heavy)
    for name, data in pages.items():
        (folder / name).write_bytes(data)
    with (folder / "sparse-1gb.html").open("wb") as handle:
        handle.truncate(1024**3)
    os.mkfifo(folder / "named-pipe.html")
    return sorted([*pages, "sparse-1gb.html"])
