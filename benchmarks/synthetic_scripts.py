"""Synthetic Chinese, Japanese, Korean and Thai article texts for the scale benchmarks.

Made the way the English ones are (see ``synthetic``): a vocabulary with Zipf-like frequencies,
sentences and paragraphs, and a few planted phrases, but written as each script is written.
Chinese words are one to four characters drawn from 3,500 characters that are themselves
Zipf-distributed, so common characters are shared between words as in real text; sentences
run without spaces, with commas between clauses. Japanese mixes such kanji words with
katakana words and hiragana particles and endings. Korean words are Hangul syllables with
particles attached, separated by spaces. Thai words are built from syllables of a consonant,
vowel signs and tone marks, with spaces only between sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCRIPTS = ("zh", "ja", "ko", "th")
VOCABULARY_SIZE = 20_000
PHRASE_COUNT = 10
_CJK_CHARACTERS = 3_500
_HANGUL_SYLLABLES = 1_500
_THAI_SYLLABLES = 2_000
_PARTICLES_JA = "の に を は が で と も から まで へ より".split()
_ENDINGS_JA = "した する して いる された という ている".split()
_PARTICLES_KO = "은 는 이 가 을 를 에 에서 의 로 와 과 도".split()
_THAI_CONSONANTS = "กขคงจฉชซญดตถทธนบปผพฟมยรลวศษสหอฮ"
_THAI_LEADING = ["", "", "", "เ", "แ", "โ", "ไ", "ใ"]
_THAI_VOWELS = ["", "า", "ิ", "ี", "ุ", "ู", "ั", "ึ", "ื", "ำ"]
_THAI_TONES = ["", "", "่", "้", "๊", "๋"]
_THAI_FINALS = ["", "", "น", "ง", "ม", "ก", "ด", "บ", "ย"]


def _zipf_cdf(size: int, exponent: float = 1.0, offset: float = 2.7) -> np.ndarray:
    weights = 1.0 / np.power(np.arange(size) + offset, exponent)
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def _draw(rng: np.random.Generator, cdf: np.ndarray, count: int) -> list[int]:
    return np.searchsorted(cdf, rng.random(count)).tolist()  # type: ignore[no-any-return]


def _unique(rng: np.random.Generator, make: object, size: int) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < size:
        words.setdefault(make(rng), None)  # type: ignore[operator]
    return list(words)


def _han_pool(rng: np.random.Generator) -> list[str]:
    codes = rng.choice(np.arange(0x4E00, 0x9FA6), _CJK_CHARACTERS, replace=False)
    return [chr(int(code)) for code in codes]


def _thai_syllable(rng: np.random.Generator) -> str:
    parts = (
        _THAI_LEADING[int(rng.integers(0, len(_THAI_LEADING)))],
        _THAI_CONSONANTS[int(rng.integers(0, len(_THAI_CONSONANTS)))],
        _THAI_VOWELS[int(rng.integers(0, len(_THAI_VOWELS)))],
        _THAI_TONES[int(rng.integers(0, len(_THAI_TONES)))],
        _THAI_FINALS[int(rng.integers(0, len(_THAI_FINALS)))],
    )
    return "".join(parts)


@dataclass(frozen=True)
class ScriptVocabulary:
    """The words of one script, most frequent first, and phrases planted in its texts."""

    script: str
    words: list[str]
    phrases: list[str]
    separator: str
    """What goes between words: a space in Korean, nothing in the other three."""


def make_vocabularies(seed: int = 13) -> dict[str, ScriptVocabulary]:
    """Every script's vocabulary for ``seed``."""
    rng = np.random.default_rng(seed)
    han = _han_pool(rng)
    han_cdf = _zipf_cdf(len(han), 0.9, 5.0)
    lengths = [1, 2, 2, 2, 2, 2, 2, 3, 3, 4]

    def han_word(rng: np.random.Generator) -> str:
        size = lengths[int(rng.integers(0, len(lengths)))]
        return "".join(han[i] for i in _draw(rng, han_cdf, size))

    def katakana_word(rng: np.random.Generator) -> str:
        return "".join(chr(int(c)) for c in rng.integers(0x30A1, 0x30F3, int(rng.integers(3, 6))))

    def japanese_word(rng: np.random.Generator) -> str:
        return katakana_word(rng) + "ー" if rng.random() < 0.2 else han_word(rng)

    hangul = [chr(int(c)) for c in rng.choice(np.arange(0xAC00, 0xD7A4), _HANGUL_SYLLABLES)]
    hangul_cdf = _zipf_cdf(len(hangul), 0.9, 5.0)

    def korean_word(rng: np.random.Generator) -> str:
        return "".join(hangul[i] for i in _draw(rng, hangul_cdf, int(rng.integers(2, 4))))

    thai = _unique(rng, _thai_syllable, _THAI_SYLLABLES)
    thai_cdf = _zipf_cdf(len(thai), 0.9, 5.0)

    def thai_word(rng: np.random.Generator) -> str:
        return "".join(thai[i] for i in _draw(rng, thai_cdf, int(rng.integers(1, 4))))

    vocabularies: dict[str, ScriptVocabulary] = {}
    for script, make, separator in (
        ("zh", han_word, ""),
        ("ja", japanese_word, ""),
        ("ko", korean_word, " "),
        ("th", thai_word, ""),
    ):
        words = _unique(rng, make, VOCABULARY_SIZE)
        picks = rng.integers(20, 2_000, (PHRASE_COUNT, 2)).tolist()
        phrases = [separator.join(words[i] for i in pair) for pair in picks]
        vocabularies[script] = ScriptVocabulary(script, words, phrases, separator)
    return vocabularies


class ScriptTextMaker:
    """Article texts and titles in the four scripts, from one random stream."""

    def __init__(self, vocabularies: dict[str, ScriptVocabulary], seed: int = 17) -> None:
        self.vocabularies = vocabularies
        self.rng = np.random.default_rng(seed)
        self.cdf = _zipf_cdf(VOCABULARY_SIZE)

    def _words(self, script: str, count: int) -> list[str]:
        vocabulary = self.vocabularies[script]
        words = [vocabulary.words[i] for i in _draw(self.rng, self.cdf, count)]
        for _ in range(int(self.rng.poisson(1.5))):
            at = int(self.rng.integers(0, count))
            words[at] = vocabulary.phrases[int(self.rng.integers(0, PHRASE_COUNT))]
        if script == "ja":
            grammar = self.rng.random(count)
            words = [
                word + _PARTICLES_JA[int(g * 100) % len(_PARTICLES_JA)] if g < 0.6 else word
                for word, g in zip(words, grammar, strict=True)
            ]
        elif script == "ko":
            grammar = self.rng.random(count)
            words = [
                word + _PARTICLES_KO[int(g * 100) % len(_PARTICLES_KO)] if g < 0.5 else word
                for word, g in zip(words, grammar, strict=True)
            ]
        return words

    def _sentence(self, script: str, words: list[str]) -> str:
        if script == "ko":
            return " ".join(words) + "."
        if script == "th":
            return "".join(words)
        clauses, start = [], 0
        while start < len(words):
            size = int(self.rng.integers(3, 8))
            clauses.append("".join(words[start : start + size]))
            start += size
        ending = _ENDINGS_JA[int(self.rng.integers(0, len(_ENDINGS_JA)))] if script == "ja" else ""
        comma = "，" if script == "zh" else "、"
        return comma.join(clauses) + ending + "。"

    def text(self, script: str) -> tuple[str, str]:
        """A text of 400–700 words in ``script`` (about 900–1,600 characters in Chinese), and
        its paragraphs as HTML."""
        count = int(self.rng.integers(400, 701))
        words = self._words(script, count)
        sentences, start = [], 0
        while start < count:
            size = int(self.rng.integers(10, 26))
            sentences.append(self._sentence(script, words[start : start + size]))
            start += size
        joiner = "" if script in ("zh", "ja") else " "
        paragraphs, start = [], 0
        while start < len(sentences):
            size = int(self.rng.integers(3, 7))
            paragraphs.append(joiner.join(sentences[start : start + size]))
            start += size
        html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        return "\n\n".join(paragraphs), html

    def title(self, script: str) -> str:
        """A headline of a few words."""
        vocabulary = self.vocabularies[script]
        ranks = self.rng.integers(30, 5_000, int(self.rng.integers(3, 7))).tolist()
        return vocabulary.separator.join(vocabulary.words[r] for r in ranks)
