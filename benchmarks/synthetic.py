"""Synthetic articles for the scale benchmarks: realistic sizes, fast to make in bulk.

Texts are 600–900 words drawn from a 40,000-word vocabulary with Zipf-like frequencies (a few
hundred real English words at the top ranks, made-up words below), in sentences and paragraphs,
with common multi-word phrases sprinkled in so phrase queries have something to find. Articles
come from 50 sites (some sites much bigger than others), carry one or two of 2,000 authors and
are published over five years. About 2% are copies of an earlier article saved from another
site, so duplicate groups exist. The MinHash signatures are random values rather than
computed from the text: unrelated texts have unrelated signatures anyway, so the band index has
the size and spread of a real library's, and building 100,000 articles takes a minute or two.

With ``scripts_share``, articles in Chinese, Japanese, Korean and Thai (``synthetic_scripts``)
are made in addition, from random streams of their own: the English articles stay exactly those
of a library without them, so figures for English queries compare with earlier runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from synthetic_scripts import SCRIPTS, ScriptTextMaker, make_vocabularies

from corpusdesk.core.records import ArticleDraft, ExtractedArticle
from corpusdesk.core.scripts import count_words
from corpusdesk.importing.boilerplate import block_samples
from corpusdesk.importing.duplicates import NUM_PERMUTATIONS, text_sha256

COMMON = (
    "the of and to a in that is for it as was with be by on not he this are or his from at "
    "which but have an they you were her she there been one all we their has would when if "
    "more will so no what up out who said about two into than them can only other new some "
    "could time these may then do first any like now my such make over our even most after "
    "also did many before must through back years where much your way well down should because "
    "each just those people how too little state good very make world still own see men work "
    "long get here between both life being under never day same another know while last might "
    "us great old year off come since against go came right used take three government "
    "minister council election police court city country week report president party public "
    "officials health school market police economy workers families children budget war "
    "talks vote law company prices energy water climate border security church museum river"
).split()
PHRASES = (
    "prime minister",
    "climate change",
    "interest rates",
    "supreme court",
    "city council",
    "public health",
    "human rights",
    "central bank",
    "peace talks",
    "labour market",
    "local elections",
    "housing crisis",
    "energy prices",
    "foreign minister",
    "press conference",
    "state of emergency",
    "free trade agreement",
    "united nations",
    "health service",
    "police said",
)
SITE_WORDS = (
    "Harbour Valley River Northern Southern Eastern Western Capital Island Mountain Coastal "
    "Metro County Republic Prairie Lakeside Highland Union Central Liberty Gazette Chronicle "
    "Herald Courier Tribune Observer Post Times Ledger Review Dispatch Bulletin Sentinel "
    "Examiner Mirror Record Standard Journal Monitor Voice"
).split()
FIRST_NAMES = (
    "Ann Ben Carla Dev Elif Farah Gustav Hana Ivan Jia Kofi Lena Marta Nadia Omar Priya Quinn "
    "Rosa Sami Tomas Uma Viktor Wen Xenia Yusuf Zara Amir Bianca Chen Dara Emeka Femi Greta "
    "Hugo Ines Jonas Kira Luis Mei Nils Olga Pavel Rhea Soren Tariq Ulla Vera Wale Yara"
).split()
LAST_NAMES = (
    "Abbott Baker Castillo Dimitrov Eriksen Farouk Garcia Haddad Ito Jensen Kowalski Laurent "
    "Mensah Novak Okafor Petrov Qureshi Rossi Sato Tanaka Usman Varga Weber Xu Yilmaz Zhou "
    "Adeyemi Brandt Costa Dubois Evans Fischer Gupta Horvat Iqbal Jovanovic Kim Lindqvist "
    "Moreau Nakamura Ortiz Park Quinn Reyes Schmidt Torres Ueda Volkov Walsh Young"
).split()
VOCABULARY_SIZE = 40_000
SITES = 50
AUTHORS = 2_000
TAGS = 200
FIRST_DAY = dt.date(2020, 1, 1)
DAYS = 5 * 365
COPY_SHARE = 0.02
SCRIPT_WEIGHTS = (0.4, 0.3, 0.2, 0.1)
"""How the articles in other scripts divide between Chinese, Japanese, Korean and Thai."""


def _vocabulary(rng: np.random.Generator) -> list[str]:
    syllables = (
        "ka ri to ma ne lo sa vi de ru pa li mo te na ko si be la do fi ga he ju ke mi no pe "
        "qua ro su ta vo we xa yo ze bra cle dri fro glo pla pre sti tru str ent ion ism ard "
        "ell ost ank ind urn"
    ).split()
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        count = int(rng.integers(2, 5))
        word = "".join(syllables[i] for i in rng.integers(0, len(syllables), count))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Corpus:
    """Fixed names a synthetic library is built from, and the words its queries use."""

    words: list[str]
    sites: list[tuple[str, str]]
    authors: list[str]
    tags: list[str]

    def word_at(self, rank: int) -> str:
        """The vocabulary word of this frequency rank (0 is the most frequent)."""
        return self.words[rank]


def make_corpus(seed: int = 7) -> Corpus:
    """The vocabulary, sites, authors and tags for ``seed``."""
    rng = np.random.default_rng(seed)
    words = _vocabulary(rng)
    sites: list[tuple[str, str]] = []
    names: set[str] = set()
    while len(sites) < SITES:
        first, second = rng.choice(len(SITE_WORDS), 2, replace=False)
        name = f"The {SITE_WORDS[first]} {SITE_WORDS[second]}"
        if name not in names:
            names.add(name)
            host = f"www.{SITE_WORDS[first].lower()}{SITE_WORDS[second].lower()}.example"
            sites.append((name, host))
    authors = sorted(
        {
            f"{FIRST_NAMES[a]} {LAST_NAMES[b]}"
            for a, b in rng.integers(0, [len(FIRST_NAMES), len(LAST_NAMES)], (AUTHORS * 2, 2))
        }
    )[:AUTHORS]
    tags = [f"{words[200 + 37 * i]}-{i:03d}" for i in range(TAGS)]
    return Corpus(words, sites, authors, tags)


def _zipf_cdf(size: int, exponent: float, offset: float) -> np.ndarray:
    weights = 1.0 / np.power(np.arange(size) + offset, exponent)
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


class ArticleMaker:
    """Makes synthetic drafts in batches; the same seed gives the same library."""

    def __init__(self, corpus: Corpus, seed: int = 11, scripts_share: float = 0.0) -> None:
        self.corpus = corpus
        self.scripts = _ScriptArticles(corpus, scripts_share) if scripts_share else None
        self.rng = np.random.default_rng(seed)
        self.words = np.array(corpus.words, dtype=object)
        self.word_cdf = _zipf_cdf(len(corpus.words), 1.0, 2.7)
        self.site_cdf = _zipf_cdf(SITES, 0.8, 1.0)
        self.tag_cdf = _zipf_cdf(TAGS, 1.0, 1.0)
        self.made = 0
        self._recent: list[tuple[str, str, tuple[int, ...]]] = []

    def _text(self, count: int) -> tuple[str, str]:
        indices = np.searchsorted(self.word_cdf, self.rng.random(count))
        tokens: list[str] = self.words[indices].tolist()
        for _ in range(int(self.rng.poisson(1.5))):
            phrase = PHRASES[int(self.rng.integers(0, len(PHRASES)))].split()
            at = int(self.rng.integers(0, count - len(phrase)))
            tokens[at : at + len(phrase)] = phrase
        lengths = self.rng.integers(10, 26, count // 10 + 2)
        sentences: list[str] = []
        start = 0
        for length in lengths.tolist():
            if start >= count:
                break
            sentences.append(" ".join(tokens[start : start + length]).capitalize() + ".")
            start += length
        sizes = self.rng.integers(3, 7, len(sentences) // 3 + 2).tolist()
        paragraphs: list[str] = []
        start = 0
        for size in sizes:
            if start >= len(sentences):
                break
            paragraphs.append(" ".join(sentences[start : start + size]))
            start += size
        text = "\n\n".join(paragraphs)
        html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        return text, html

    def drafts(self, count: int) -> Iterator[ArticleDraft]:
        """The next ``count`` English drafts, with those in other scripts among them."""
        rng, corpus = self.rng, self.corpus
        lengths = rng.integers(600, 901, count).tolist()
        sites = np.searchsorted(self.site_cdf, rng.random(count)).tolist()
        days = rng.integers(0, DAYS, count).tolist()
        signatures = rng.integers(0, 2**32, (count, NUM_PERMUTATIONS), dtype=np.uint64).tolist()
        for i in range(count):
            number = self.made
            self.made += 1
            site_name, host = corpus.sites[sites[i]]
            copy = self._recent and rng.random() < COPY_SHARE
            if copy:
                text, html, signature = self._recent[int(rng.integers(0, len(self._recent)))]
                title_words = text.split()[:8]
            else:
                text, html = self._text(lengths[i])
                signature = tuple(signatures[i])
                title_ranks = rng.integers(30, 5000, int(rng.integers(5, 12))).tolist()
                title_words = [corpus.words[r] for r in title_ranks]
                if len(self._recent) < 1000:
                    self._recent.append((text, html, signature))
                elif rng.random() < 0.01:
                    self._recent[int(rng.integers(0, 1000))] = (text, html, signature)
            title = " ".join(title_words).capitalize().rstrip(".")
            chosen = rng.integers(0, len(corpus.authors), int(rng.integers(1, 3)))
            authors = tuple(corpus.authors[a] for a in chosen)
            published = None if rng.random() < 0.02 else FIRST_DAY + dt.timedelta(days=days[i])
            yield make_draft(
                f"article-{number:07d}",
                (site_name, host),
                (title, text, html, "en"),
                authors,
                published,
                signature,
            )
            if self.scripts is not None:
                yield from self.scripts.after_one()

    def tag_choices(self, ids: list[int]) -> dict[str, list[int]]:
        """Tag name → article ids: about 1.2 tags an article, a few tags much more common."""
        chosen: dict[str, list[int]] = {}
        counts = self.rng.poisson(1.2, len(ids)).tolist()
        for article_id, count in zip(ids, counts, strict=True):
            for tag in set(np.searchsorted(self.tag_cdf, self.rng.random(count)).tolist()):
                chosen.setdefault(self.corpus.tags[tag], []).append(article_id)
        return chosen


def make_draft(
    name: str,
    site: tuple[str, str],
    content: tuple[str, str, str, str],
    authors: tuple[str, ...],
    published: dt.date | None,
    signature: tuple[int, ...],
) -> ArticleDraft:
    """A draft as the pipeline would make it; ``content`` is title, text, HTML and language."""
    site_name, host = site
    title, text, html, language = content
    page = (
        f"<html><head><title>{title} | {site_name}</title></head><body>"
        f"<article><h1>{title}</h1>{html}</article></body></html>"
    ).encode()
    file_name = f"{name}.html"
    return ArticleDraft(
        source_name=file_name,
        source_path=f"/synthetic/{host}/{file_name}",
        sha256=hashlib.sha256(f"synthetic {name} ".encode() + page[:200]).hexdigest(),
        original_compressed=zlib.compress(page, 1),
        original_size=len(page),
        article=ExtractedArticle(
            title=title,
            authors=authors,
            site_name=site_name,
            published=published,
            modified=None,
            url=f"https://{host}/news/{name}",
            description=text[: max(text.find("."), text.find("。")) + 1],
            language=language,
            text=text,
            html=html,
            encoding="utf-8",
        ),
        text_sha256=text_sha256(text),
        minhash=signature,
        block_samples=block_samples(text, title),
        word_count=count_words(text),
        extractor_version="synthetic",
    )


class _ScriptArticles:
    """Articles in Chinese, Japanese, Korean and Thai, about ``share`` of the English ones."""

    def __init__(self, corpus: Corpus, share: float, seed: int = 23) -> None:
        self.corpus = corpus
        self.share = share
        self.rng = np.random.default_rng(seed)
        self.texts = ScriptTextMaker(make_vocabularies())
        self.made = 0

    def after_one(self) -> Iterator[ArticleDraft]:
        """The draft, if any, that follows one English draft."""
        rng, corpus = self.rng, self.corpus
        if rng.random() < self.share:
            self.made += 1
            script = SCRIPTS[int(rng.choice(len(SCRIPTS), p=SCRIPT_WEIGHTS))]
            text, html = self.texts.text(script)
            chosen = rng.integers(0, len(corpus.authors), int(rng.integers(1, 3)))
            day = int(rng.integers(0, DAYS))
            yield make_draft(
                f"{script}-{self.made:07d}",
                corpus.sites[int(rng.integers(0, SITES))],
                (self.texts.title(script), text, html, script),
                tuple(corpus.authors[a] for a in chosen),
                FIRST_DAY + dt.timedelta(days=day),
                tuple(rng.integers(0, 2**32, NUM_PERMUTATIONS, dtype=np.uint64).tolist()),
            )
