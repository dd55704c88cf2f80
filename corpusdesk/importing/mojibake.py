"""Undoing mojibake: text a site's software decoded with the wrong charset before serving it.

Applied to what extraction keeps (the article's text, its preview HTML and its metadata), not
to the whole page: the page's original bytes are stored as they are.

Some pages are valid UTF-8 whose characters are themselves a wrong reading of UTF-8 bytes
("isnâ€™t", "weâ\\x80\\x99ve", "Ã¤"), or hold C1 control characters where windows-1252
punctuation was meant ("we\\x92re"). The page decodes cleanly, so the charset step cannot
see it; the reader sees "â€™" where the author wrote "’", and search and word counts split the
word. ftfy recognises these sequences and re-reads them; it is asked for that repair alone
(quotes, widths, ligatures and line breaks stay as the page has them).

A text that shows a misread sequence beside the character it stands for ("I saw "Ã¤" instead
of "ä"") is writing about mojibake, and is left as it is.

ftfy takes a few milliseconds for an article, so a regular expression looks first for what
mojibake is made of (a character that starts a UTF-8 sequence read as windows-1252 or latin-1,
followed by one that continues it, or a C1 control); texts without any, nearly all of them,
are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# Bytes 0x80-0xBF (UTF-8 continuation bytes) read as windows-1252, and as latin-1.
_CONTINUATION = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
# Bytes 0xC2-0xEF, which start two- and three-byte UTF-8 sequences, read the same ways.
_LEAD = "\u00c2-\u00ef"
# Searched one after the other: as one alternation, the search takes four times as long.
_MISREAD_SEQUENCE = re.compile(f"[{_LEAD}][{_CONTINUATION}]")
_C1_CONTROL = re.compile("[\u0080-\u009f]")
# What is left of a no-break space read as "Â\xa0" once the line's trailing space is trimmed.
_TRIMMED_NO_BREAK = re.compile("\u00c2(?=\n|$)")


Repair = Callable[[str], str]
"""Reads one piece of a page (a paragraph, its HTML, a title) as its mojibake was meant."""


@lru_cache(maxsize=1)
def _ftfy() -> tuple[Any, Any]:
    import ftfy  # on first use: only the import workers need it

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )
    return ftfy, config


def may_hold_mojibake(text: str) -> bool:
    """Whether ``text`` holds a sequence mojibake is made of (most texts do not)."""
    return bool(_C1_CONTROL.search(text) or _MISREAD_SEQUENCE.search(text))


def mojibake_repair(text: str) -> Repair | None:
    """How to read the pieces of a page whose text is ``text``; None when it is no mojibake.

    The verdict is ftfy's on the whole text, where every sequence adds to the evidence; its
    plan is then applied to each piece, so a paragraph holding only a misread no-break space
    ("solutionsÂ are") is repaired with the rest.
    """
    if not may_hold_mojibake(text) or _quotes_mojibake(text):
        return None
    ftfy, config = _ftfy()
    explained = ftfy.fix_and_explain(text, config)
    plan = explained.explanation or []
    if explained.text == text or not plan:
        return None

    def repair(piece: str) -> str:
        try:
            repaired: str = ftfy.apply_plan(piece, plan)
        except UnicodeError:  # a piece holding what the rest of the text does not
            repaired = ftfy.fix_text(piece, config)
        # A lone "Â" ending a line is what is left of a misread no-break space once the
        # line's trailing space has been trimmed.
        return _TRIMMED_NO_BREAK.sub("", repaired)

    return repair


def reread_as_utf8(text: str) -> str | None:
    """``text`` as it reads when its characters are taken back to the bytes windows-1252 (or
    latin-1, for the bytes windows-1252 leaves undefined) read them as, and those bytes are
    decoded as UTF-8; None when the characters are not such a reading."""
    data = bytearray()
    for char in text:
        try:
            data += char.encode("windows-1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            data.append(ord(char))  # a C1 control: the byte windows-1252 leaves undefined
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _meant(sequence: str) -> str | None:
    """The one character a misread UTF-8 sequence stands for, or None if it stands for none."""
    decoded = reread_as_utf8(sequence)
    return decoded if decoded is not None and len(decoded) == 1 else None


def _quotes_mojibake(text: str) -> bool:
    """Whether ``text`` shows a misread sequence beside the character it stands for ("I saw
    "Ã¤" instead of "ä""): a text its software misread has every such character misread, so
    this one writes about mojibake and is left as it is."""
    sequences: dict[str, str] = {}
    for found in _MISREAD_SEQUENCE.finditer(text):
        for length in (2, 3, 4):
            sequence = text[found.start() : found.start() + length]
            meant = _meant(sequence)
            if meant is not None:
                sequences[sequence] = meant
                break
    rest = text
    for sequence in sorted(sequences, key=len, reverse=True):
        rest = rest.replace(sequence, "")
    return any(meant in rest for meant in sequences.values())


def repair_mojibake(text: str) -> str:
    """``text`` with its mojibake read again as the characters meant; otherwise unchanged."""
    repair = mojibake_repair(text)
    return repair(text) if repair else text


def repair_optional(value: str | None) -> str | None:
    """``repair_mojibake`` for a metadata field that may be missing."""
    return repair_mojibake(value) if value else value
