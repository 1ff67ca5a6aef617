"""Hypothesis strategies for Merkle logs: leaves, sizes, and a point inside a log."""

from __future__ import annotations

from hypothesis import strategies as st

leaf_data = st.binary(max_size=24)
"""What a leaf holds (the store's leaves are entries' canonical bytes; any bytes will do here)."""

logs = st.lists(leaf_data, min_size=1, max_size=70)
"""A log of at least one leaf: long enough for uneven trees of several levels."""


@st.composite
def log_and_index(draw: st.DrawFn) -> tuple[list[bytes], int]:
    """A log and the index of one of its leaves."""
    leaves = draw(logs)
    return leaves, draw(st.integers(0, len(leaves) - 1))


@st.composite
def log_and_prefix(draw: st.DrawFn) -> tuple[list[bytes], int]:
    """A log and the size of one of its prefixes (from 1 to the whole log)."""
    leaves = draw(logs)
    return leaves, draw(st.integers(1, len(leaves)))
