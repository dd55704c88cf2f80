"""The text the full-text index is given, and search terms put in the same form.

SQLite's ``unicode61`` tokenizer splits text at spaces and punctuation, so a Chinese, Japanese
or Thai sentence, written without spaces, would be a single token and no word inside it could
be found; Korean words would be found only with their particles attached (``서울에서``, never
``서울``). Before indexing, such text is cut into overlapping pairs of characters, the classic
approach of Lucene's CJK analyser: ``北京市长`` is indexed as ``北京 京市 市长 长``. Any word of
two or more characters is then the phrase of its pairs (``京市`` → ``京市``, ``北京市`` →
``北京 京市``) and matches wherever it stands in a sentence. The last character of each run is
indexed on its own as well (the trailing ``长``), so that every character begins exactly one
token: a one-character term is searched as a prefix and finds every occurrence.

Thai is cut the same way into pairs of letters with their vowel and tone marks. Other text
passes through unchanged, so Latin, Cyrillic or Arabic text is indexed exactly as the tokenizer
alone indexes it and costs nothing more. Two foldings are applied in both places, so that
different spellings of one word match: full-width and half-width forms become their usual
forms (``ＡＢＣ`` → ``ABC``, ``ｶﾀｶﾅ`` → ``カタカナ``), and the optional vowel points of Arabic
and Hebrew are dropped (``كَتَبَ`` → ``كتب``).

The index form must stay exactly the same for text already indexed, because removing an
article from the index computes it again from the stored text: any change to it needs a
migration that rebuilds the index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from corpusdesk.core.scripts import HANGUL, IDEOGRAPHIC, THAI, THAI_MARKS

TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co Mn Mc'"
"""The FTS5 tokenizer over the index form. Combining marks belong to words (the default
splits Thai and Devanagari words at every vowel sign); Latin accents are still removed."""

_TOKEN_CATEGORIES = frozenset("Lu Ll Lt Lm Lo Nd Nl No Co Mn Mc".split())
_PAIRED = f"{IDEOGRAPHIC}{HANGUL}"
_RUN = re.compile(f"[{_PAIRED}]+|[{THAI}]+")
_THAI_UNIT = re.compile(f"[^{THAI_MARKS}][{THAI_MARKS}]*|[{THAI_MARKS}]+")
_WIDTH_FORMS = re.compile("[\uff01-\uffef]+")
_POINTS = re.compile(
    "[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"  # Hebrew points and cantillation
    "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]"
)  # Arabic vowel marks and the tatweel that stretches a word
_NEEDS_WORK = re.compile(f"[{_PAIRED}{THAI}\uff01-\uffef\u0591-\u05c7\u0610-\u06ed]")


def _units(run: str) -> list[str]:
    """A run cut into characters; Thai letters keep their vowel and tone marks."""
    return _THAI_UNIT.findall(run) if "\u0e00" <= run[0] <= "\u0e7f" else list(run)


def _pairs(units: list[str]) -> list[str]:
    return [units[i] + units[i + 1] for i in range(len(units) - 1)]


def fold_variants(text: str) -> str:
    """``text`` with full-width and half-width forms made usual and Arabic and Hebrew vowel
    points dropped: the spellings the index treats as one."""
    text = _WIDTH_FORMS.sub(lambda found: unicodedata.normalize("NFKC", found.group()), text)
    return _POINTS.sub("", text)


def needs_index_form(text: str) -> bool:
    """Whether ``index_form`` changes ``text`` (it holds a script or form it rewrites)."""
    return not text.isascii() and _NEEDS_WORK.search(text) is not None


def index_form(text: str) -> str:
    """``text`` as the full-text index is given it: unspaced runs cut into overlapping pairs."""
    if not needs_index_form(text):
        return text
    return _RUN.sub(_indexed_run, fold_variants(text))


def _indexed_run(found: re.Match[str]) -> str:
    units = _units(found.group())
    tokens = [*_pairs(units), units[-1]] if len(units) > 1 else units
    return " " + " ".join(tokens) + " "


def _has_token_character(text: str) -> bool:
    """Whether ``TOKENIZER`` finds a token in ``text``: a letter, digit or combining mark."""
    return any(unicodedata.category(char) in _TOKEN_CATEGORIES for char in text)


@dataclass(frozen=True)
class SearchForm:
    """A search term in index form: its tokens, and whether the last one is a prefix."""

    text: str
    prefix: bool


def search_form(term: str, prefix: bool = False) -> SearchForm:
    """The phrase that finds ``term`` in text indexed with ``index_form``.

    A run that ends the term may end anywhere in the text, so it is searched as its pairs only
    (without the run-final character of the index form), and a one-character run as a prefix;
    a run followed by more of the term must end where the text's run ends, and is searched as
    indexed.
    """
    if not needs_index_form(term):
        return SearchForm(term, prefix)
    folded = fold_variants(term)
    pieces: list[str] = []
    position = 0
    for found in _RUN.finditer(folded):
        pieces.append(folded[position : found.start()])
        position = found.end()
        units = _units(found.group())
        if _has_token_character(folded[position:]):
            tokens = [*_pairs(units), units[-1]] if len(units) > 1 else units
        elif len(units) > 1:
            tokens = _pairs(units)
        else:
            tokens, prefix = units, True
        pieces.append(" " + " ".join(tokens) + " ")
    pieces.append(folded[position:])
    return SearchForm("".join(pieces), prefix)
