"""Builders of records and pages for tests, so tests state only what they care about."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import zlib

from corpusdesk.core.records import ArticleDraft, ExtractedArticle
from corpusdesk.core.scripts import count_words
from corpusdesk.importing.boilerplate import block_samples
from corpusdesk.importing.duplicates import minhash_signature, text_sha256

LOREM = (
    "Municipal budgets across the region are under pressure as councils weigh the cost of "
    "keeping reading rooms, swimming pools and community halls open through the winter months. "
)


def make_draft(
    text: str,
    *,
    title: str = "A title",
    site: str = "Example Times",
    authors: tuple[str, ...] = ("Ann Writer",),
    published: dt.date | None = dt.date(2023, 12, 17),
    language: str = "en",
    source_name: str | None = None,
    raw: bytes | None = None,
    url: str | None = None,
    html: str | None = None,
) -> ArticleDraft:
    """A draft as the pipeline would make it for a page with this text and metadata."""
    raw = raw if raw is not None else f"<html><title>{title}</title><p>{text}</p></html>".encode()
    digest = hashlib.sha256(raw).hexdigest()
    article = ExtractedArticle(
        title=title,
        authors=authors,
        site_name=site,
        published=published,
        modified=None,
        url=url or f"https://example.org/{digest[:8]}",
        description=None,
        language=language,
        text=text,
        html=html if html is not None else "".join(f"<p>{p}</p>" for p in text.split("\n\n")),
        encoding="utf-8",
    )
    return ArticleDraft(
        source_name=source_name or f"{digest[:8]}.html",
        source_path=f"/pages/{source_name or digest[:8] + '.html'}",
        sha256=digest,
        original_compressed=zlib.compress(raw),
        original_size=len(raw),
        article=article,
        text_sha256=text_sha256(text),
        minhash=minhash_signature(text),
        block_samples=block_samples(text, title),
        word_count=count_words(text),
        extractor_version="test",
    )


def paragraph(seed: int, words: int = 120) -> str:
    """Deterministic, distinct prose-like text of about ``words`` words."""
    vocabulary = (
        "council library budget reading winter town hall residents children volunteers archive "
        "newspaper election minister debate coalition protest harbour railway festival museum "
        "teacher hospital clinic farmers market river bridge storm flood drought harvest the a "
        "of and in on with against under before after because while although quickly slowly "
        "officials reported announced denied confirmed warned promised rejected supported "
        "families workers students leaders villages cities courts schools roads prices taxes"
    ).split()
    rng = random.Random(seed)
    return " ".join(rng.choice(vocabulary) for _ in range(words)).capitalize() + "."


def article_page(
    seed: int,
    *,
    title: str | None = None,
    site: str = "Harbour Gazette",
    author: str = "Mara Quill",
    published: str = "2024-03-05",
    paragraphs: int = 5,
    charset: str = "utf-8",
) -> str:
    """A small but realistic saved news page with a template around its article."""
    title = title or f"Council weighs the cost of winter services, part {seed}"
    body = "\n".join(f"<p>{paragraph(seed * 100 + i, 60)}</p>" for i in range(paragraphs))
    slug = title.lower().replace(" ", "-").replace(",", "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{published}T09:00:00+00:00">
<link rel="canonical" href="https://gazette.example/{slug}/">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>{title}</h1>
<div class="byline">By {author}</div>
{body}
</article>
<aside class="related"><h3>Related stories</h3>
<ul><li><a href="/a">Other story</a></li></ul></aside>
</main>
<footer>Copyright {site}</footer>
</body></html>
"""
