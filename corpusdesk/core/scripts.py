"""Scripts written without spaces between words, and word counts as their readers keep them.

Chinese and Japanese run their words together; a reader counts characters (字数, 文字数). Thai
runs words together too and is counted in words, which only a dictionary can find. Korean puts
spaces between words (with their particles) like European languages do. ``count_words`` follows
the convention word processors use: every Chinese character and Japanese kana or kanji is a
word, a Thai run counts the dictionary words ``pythainlp`` segments it into, and everything else
counts its space-separated words (a run of Latin letters or digits inside CJK text is one word).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

IDEOGRAPHIC = (
    "\u3005-\u3007"  # 々 〆 〇
    "\u3041-\u309f"  # hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # katakana, without the middle dot ・ (punctuation)
    "\u31f0-\u31ff"  # katakana extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han: extension A, unified, compatibility
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # Han extensions B and later
)
"""Characters of Chinese and Japanese (Han, kana): each counts as a word."""
HANGUL = "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3"
"""Korean letters and syllables: words are space-separated, but particles cling to them."""
THAI = "\u0e01-\u0e3a\u0e40-\u0e4e"
"""Thai letters, vowels and tone marks (not its digits, currency sign or punctuation)."""
THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
"""Thai vowel and tone marks written above or below the letter before them."""

_UNSPACED = re.compile(f"[{IDEOGRAPHIC}{THAI}]")
_PIECE = re.compile(f"[{IDEOGRAPHIC}]|[{THAI}]+|[^{IDEOGRAPHIC}{THAI}\\W]+")
"""In a chunk of unspaced script: a character, a Thai run, or a run of other letters and digits."""


def has_unspaced_script(text: str) -> bool:
    """Whether ``text`` holds Chinese, Japanese or Thai, whose words are not space-separated."""
    return not text.isascii() and _UNSPACED.search(text) is not None


def split_words(text: str) -> list[str]:
    """The words of ``text`` as readers of its script count them (see the module)."""
    if not has_unspaced_script(text):
        return text.split()
    words: list[str] = []
    for chunk in text.split():
        if not _UNSPACED.search(chunk):
            words.append(chunk)
            continue
        for piece in _PIECE.findall(chunk):
            words.extend(thai_words(piece) if _is_thai(piece[0]) else (piece,))
    return words


def count_words(text: str) -> int:
    """The number of words in ``text`` as readers of its script count them (see the module)."""
    return len(split_words(text)) if has_unspaced_script(text) else len(text.split())


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


@lru_cache(maxsize=1)
def _thai_tokenizer() -> Any:
    # Imported on first use: its dictionary takes half a second to load, and most corpora
    # have no Thai at all.
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def thai_words(run: str) -> list[str]:
    """The dictionary words of a run of Thai text (pythainlp's maximal matching, ``newmm``)."""
    words = _thai_tokenizer()(run, engine="newmm", keep_whitespace=False)
    return [word for word in words if word.strip()]
