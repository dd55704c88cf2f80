"""Duplicate signatures: exact hashes and MinHash signatures with LSH band keys.

Exact duplicates are the same bytes (``sha256`` of the file), which the library skips, or the
same clean text (``sha256`` of the whitespace-normalised text), which it groups. Near
duplicates, such as an article republished by another site with its own template, are found
with MinHash over word shingles: the signature is split into bands, each band hashed to a key
stored in the library, so a new article is compared only with the articles sharing a band key,
never with the whole library.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

NUM_PERMUTATIONS = 128
BANDS = 32
ROWS_PER_BAND = NUM_PERMUTATIONS // BANDS
SHINGLE_WORDS = 5
SCHEME = "affine32"
"""datasketch's hashing scheme; fixed so stored signatures stay comparable across versions."""
NEAR_DUPLICATE_THRESHOLD = 0.6
"""Estimated Jaccard similarity of shingle sets above which two texts are the same article."""
MIN_SHINGLES = 8
"""Texts shorter than this many shingles get no signature: too short to call near duplicates."""

_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    """The text with whitespace collapsed and case folded, for exact-text hashing."""
    return " ".join(text.split()).casefold()


def text_sha256(text: str) -> str:
    """SHA-256 of the normalised text; equal for texts that differ only in spacing or case."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of ``size``-word shingles of the case-folded text, encoded for hashing."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@lru_cache(maxsize=1)
def _minhash_class() -> Any:
    # Imported on first use: the datasketch package loads scipy (0.8 s, 60 MB), which only the
    # processes that compute signatures need, not the app or the library opening.
    from datasketch.minhash import MinHash

    return MinHash


@lru_cache(maxsize=1)
def _permutations() -> Any:
    return _minhash_class()(num_perm=NUM_PERMUTATIONS, seed=1, scheme=SCHEME).permutations


def minhash_signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of the text's shingles; empty for texts too short to compare."""
    items = shingles(text)
    if len(items) < MIN_SHINGLES:
        return ()
    minhash = _minhash_class()
    sketch = minhash(num_perm=NUM_PERMUTATIONS, permutations=_permutations(), scheme=SCHEME)
    sketch.update_batch(list(items))
    return tuple(int(value) for value in sketch.hashvalues)


def band_keys(signature: tuple[int, ...]) -> list[int]:
    """One signed 64-bit key per LSH band of the signature (empty for an empty signature)."""
    if not signature:
        return []
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        payload = band.to_bytes(2, "little") + b"".join(v.to_bytes(4, "little") for v in rows)
        digest = hashlib.blake2b(payload, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def pack_signature(signature: tuple[int, ...]) -> bytes:
    """The signature as bytes for storage (4 bytes a value)."""
    return b"".join(value.to_bytes(4, "little") for value in signature)


def unpack_signature(data: bytes) -> tuple[int, ...]:
    """The inverse of ``pack_signature``."""
    return tuple(int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4))


def estimated_similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures (0 when either is empty)."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(1 for a, b in zip(first, second, strict=True) if a == b) / len(first)
