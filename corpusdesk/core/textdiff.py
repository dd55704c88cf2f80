"""Where two copies of an article differ: paragraphs lined up, changed words marked.

Copies of one article (a republication on another site, a later edit) share most paragraphs.
The paragraphs are matched first; within a pair that differs, the words are. Each side comes
back as pieces of text flagged as changed or not, ready to be shown side by side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of one side's text; ``changed`` when the other side lacks it."""

    text: str
    changed: bool


@dataclass(frozen=True, slots=True)
class Row:
    """A paragraph of each side, lined up; None where one side has no such paragraph."""

    left: tuple[Piece, ...] | None
    right: tuple[Piece, ...] | None

    @property
    def same(self) -> bool:
        """Whether both sides hold this paragraph unchanged."""
        return self.left is not None and self.right is not None and self.left == self.right


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two texts lined up paragraph by paragraph, and how much of their wording they share."""

    rows: tuple[Row, ...]
    shared: float
    """The share of words the two texts have in common, from 0 to 1."""

    @property
    def differences(self) -> int:
        """Paragraphs that differ, or that one side lacks."""
        return sum(1 for row in self.rows if not row.same)


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (separated by blank lines), each on one line."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def compare(left: str, right: str) -> Comparison:
    """Line up the paragraphs of ``left`` and ``right`` and mark the words that differ."""
    ours, theirs = paragraphs(left), paragraphs(right)
    rows: list[Row] = []
    shared_words = 0
    matcher = SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            for paragraph in ours[a_start:a_end]:
                piece = (Piece(paragraph, False),)
                rows.append(Row(piece, piece))
                shared_words += len(paragraph.split())
            continue
        left_block, right_block = ours[a_start:a_end], theirs[b_start:b_end]
        for index in range(max(len(left_block), len(right_block))):
            a = left_block[index] if index < len(left_block) else None
            b = right_block[index] if index < len(right_block) else None
            if a is not None and b is not None:
                left_pieces, right_pieces, common = _word_diff(a, b)
                rows.append(Row(left_pieces, right_pieces))
                shared_words += common
            else:
                rows.append(
                    Row(
                        (Piece(a, True),) if a is not None else None,
                        (Piece(b, True),) if b is not None else None,
                    )
                )
    total = max(len(left.split()), len(right.split()), 1)
    return Comparison(tuple(rows), min(1.0, shared_words / total))


def _word_diff(a: str, b: str) -> tuple[tuple[Piece, ...], tuple[Piece, ...], int]:
    """The pieces of two paragraphs, with their differing words marked; words in common."""
    ours, theirs = _TOKENS.findall(a), _TOKENS.findall(b)
    left: list[Piece] = []
    right: list[Piece] = []
    common = 0
    matcher = SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            text = "".join(ours[a_start:a_end])
            _add(left, text, False)
            _add(right, text, False)
            common += sum(1 for token in ours[a_start:a_end] if not token.isspace())
            continue
        _add(left, "".join(ours[a_start:a_end]), True)
        _add(right, "".join(theirs[b_start:b_end]), True)
    return tuple(left), tuple(right), common


def _add(pieces: list[Piece], text: str, changed: bool) -> None:
    """Append ``text``, joining it to the last piece when both are (un)changed alike."""
    if not text:
        return
    if changed and text.isspace():
        changed = False  # a change of spacing alone is not worth marking
    if pieces and pieces[-1].changed == changed:
        pieces[-1] = Piece(pieces[-1].text + text, changed)
    else:
        pieces.append(Piece(text, changed))
