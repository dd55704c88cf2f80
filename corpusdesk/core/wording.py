"""Counts with their nouns in the right number, for every message the CLI and the app print."""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``1,204 articles``; ``plural_noun`` for irregular nouns.

    The noun keeps the case it is given, so titles read ``Export 1 Article``.
    """
    word = noun if count == 1 else plural_noun or f"{noun}s"
    return f"{count:,} {word}"
