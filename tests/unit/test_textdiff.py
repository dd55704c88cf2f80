"""Two copies of an article lined up paragraph by paragraph, with their differing words."""

from __future__ import annotations

from corpusdesk.core.textdiff import Piece, compare

LEFT = "The council met on Monday.\n\nIt voted to keep the ferry.\n\nThe end."
RIGHT = "The council met on Monday.\n\nIt voted narrowly to keep the night ferry.\n\nThe end."


def test_identical_texts_have_no_differences() -> None:
    comparison = compare(LEFT, LEFT)
    assert comparison.differences == 0 and comparison.shared == 1.0
    assert all(row.same for row in comparison.rows)


def test_changed_words_are_marked_within_their_paragraph() -> None:
    comparison = compare(LEFT, RIGHT)
    assert comparison.differences == 1
    changed = comparison.rows[1]
    assert changed.left == (Piece("It voted to keep the ferry.", False),)
    assert changed.right is not None
    assert [p.text.strip() for p in changed.right if p.changed] == ["narrowly", "night"]
    assert "".join(p.text for p in changed.right) == "It voted narrowly to keep the night ferry."
    assert 0.7 < comparison.shared < 1.0


def test_a_paragraph_only_one_copy_has_faces_nothing() -> None:
    comparison = compare(LEFT, LEFT + "\n\nRepublished with permission.")
    last = comparison.rows[-1]
    assert last.left is None
    assert last.right == (Piece("Republished with permission.", True),)
