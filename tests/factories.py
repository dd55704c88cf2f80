"""Builders of records and pages for tests, so tests state only what they care about."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import zlib

from corpusdesk.core.records import ArticleDraft, ExtractedArticle
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
        word_count=len(text.split()),
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


NEWS_PARAGRAPHS = {
    "ru": (
        "Городской совет обсудил бюджет на следующий год. Депутаты спорили о расходах на "
        "библиотеки, бассейны и дома культуры, которые должны работать всю зиму.",
        "Жители района просили сохранить читальные залы открытыми до позднего вечера. "
        "Председатель комиссии пообещал подготовить новые расчёты к концу месяца.",
    ),
    "zh": (
        "市议会周二讨论了明年的预算。议员们就图书馆、游泳池和社区活动中心在冬季的开放费用展开了激烈辩论。",
        "许多居民希望阅览室能够开放到深夜。委员会主席承诺在月底前提交新的计算结果。",
    ),
    "ja": (
        "市議会は火曜日、来年度の予算について議論した。議員たちは、冬の間も図書館やプール、"
        "公民館を開けておく費用をめぐって激しく議論した。",
        "多くの住民は、閲覧室を夜遅くまで開けてほしいと求めている。委員長は月末までに新しい試算を示すと約束した。",
    ),
    "ko": (
        "시의회는 화요일에 내년 예산을 논의했다. "
        "의원들은 겨울 동안 도서관과 수영장, 주민센터를 계속 여는 비용을 놓고 치열하게 토론했다.",
        "많은 주민들은 열람실이 밤늦게까지 문을 열기를 바란다. "
        "위원장은 이달 말까지 새로운 계산 결과를 내놓겠다고 약속했다.",
    ),
    "ar": (
        "ناقش مجلس المدينة يوم الثلاثاء ميزانية العام المقبل. "
        "وتجادل الأعضاء حول تكلفة إبقاء المكتبات وحمامات السباحة والمراكز المجتمعية "
        "مفتوحة طوال فصل الشتاء.",
        "ويأمل كثير من السكان أن تبقى قاعات المطالعة مفتوحة حتى وقت متأخر من الليل. "
        "ووعد رئيس اللجنة بتقديم حسابات جديدة قبل نهاية الشهر.",
    ),
    "fr": (
        "Le conseil municipal a débattu mardi du budget de l’année prochaine. Les élus se sont "
        "opposés sur le coût des bibliothèques, des piscines et des salles des fêtes ouvertes "
        "tout l’hiver.",
        "« Nous voulons des salles de lecture ouvertes jusqu’à minuit », a déclaré une habitante "
        "du quartier. Le président de la commission a promis de nouveaux calculs d’ici la fin "
        "du mois.",
    ),
}
"""Two paragraphs of a council-budget news story in each of several languages."""


def news_page(language: str, *, head: str = "") -> str:
    """A small saved news page whose article is :data:`NEWS_PARAGRAPHS` in ``language``.

    ``head`` goes first in ``<head>`` (a charset declaration, say); nothing else is declared.
    """
    paragraphs = NEWS_PARAGRAPHS[language]
    title = paragraphs[0].split(".")[0].split("。")[0][:40]
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>{title}</title></head>\n<body>"
        f'<nav><a href="/">Home</a></nav>\n<article><h1>{title}</h1>\n{body}\n</article>\n'
        "<footer>Harbour Gazette</footer></body></html>\n"
    )
