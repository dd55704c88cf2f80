"""Signatures for exact and near duplicates."""

from __future__ import annotations

from corpusdesk.importing.duplicates import (
    band_keys,
    estimated_similarity,
    minhash_signature,
    pack_signature,
    text_sha256,
    unpack_signature,
)
from tests.factories import paragraph


def test_text_hash_ignores_spacing_and_case() -> None:
    assert text_sha256("Hello  world\n\nAgain") == text_sha256("hello world again")
    assert text_sha256("Hello world") != text_sha256("Hello there")


def test_republished_text_is_similar_and_shares_a_band() -> None:
    body = "\n\n".join(paragraph(seed) for seed in range(6))
    republished = "Editor's note: first published elsewhere.\n\n" + body + "\n\nShare this story."
    first, second = minhash_signature(body), minhash_signature(republished)
    assert estimated_similarity(first, second) > 0.8
    assert set(band_keys(first)) & set(band_keys(second))


def test_different_articles_are_not_similar() -> None:
    first = minhash_signature(" ".join(paragraph(seed) for seed in range(5)))
    second = minhash_signature(" ".join(paragraph(seed) for seed in range(100, 105)))
    assert estimated_similarity(first, second) < 0.2


def test_short_text_has_no_signature() -> None:
    assert minhash_signature("Too short to judge.") == ()
    assert band_keys(()) == []


def test_signature_survives_packing() -> None:
    signature = minhash_signature(paragraph(3))
    assert unpack_signature(pack_signature(signature)) == signature
