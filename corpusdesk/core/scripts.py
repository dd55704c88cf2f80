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
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial

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
def _thai_tokenizer() -> Callable[..., list[str]]:
    # Imported on first use: its dictionary takes a while to load, and most corpora have no
    # Thai at all.
    from pythainlp.corpus import thai_words as dictionary
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    class PrefixSets(Trie):  # type: ignore[misc]
        """pythainlp's dictionary as ``newmm`` asks it (``prefixes``), in two sets: the words
        and every shorter beginning of one. It finds the same words as pythainlp's own
        ``Trie`` of the same words, as fast, and is built in a quarter of the time."""

        def __init__(self, words: Iterable[str]) -> None:
            super().__init__([])
            self.words = frozenset(word for word in (each.strip() for each in words) if word)
            self.stems = frozenset(word[:end] for word in self.words for end in range(1, len(word)))

        def __len__(self) -> int:
            return len(self.words)

        def __iter__(self) -> Iterator[str]:
            return iter(self.words)

        def __contains__(self, word: object) -> bool:
            return word in self.words

        def prefixes(self, text: str, start: int = 0) -> list[str]:
            """The words that ``text`` holds at ``start``, shortest first."""
            found: list[str] = []
            for end in range(start + 1, len(text) + 1):
                piece = text[start:end]
                if piece in self.words:
                    found.append(piece)
                if piece not in self.stems:
                    break
            return found

    return partial(
        word_tokenize, custom_dict=PrefixSets(dictionary()), engine="newmm", keep_whitespace=False
    )


def thai_words(run: str) -> list[str]:
    """The dictionary words of a run of Thai text (pythainlp's maximal matching, ``newmm``)."""
    return [word for word in _thai_tokenizer()(run) if word.strip()]
