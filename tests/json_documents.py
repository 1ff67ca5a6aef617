"""Hypothesis strategies for JSON documents: any JSON value, and a valid document with one part changed."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from casestate import Assurance, Code, EntryKind, EvidenceKind, Fate, Role

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
"""Any JSON value, small."""

_NEAR_MISSES = st.sampled_from(
    [
        "",
        " ",
        "ua-1 ",
        "2024-03-02T12:00:00",
        "2024-03-02T12:00:00Z",
        "2024-03-02T12:00:00+02:00",
        "2024-02-30T12:00:00Z",
        "2024-03-02T12:00:00.000000Z",
        "2024-03-02 12:00:00.000000Z",
        "0" * 64,
        "A" * 64,
        "f" * 63,
        "00" * 16,
        "00" * 15,
        "sha256",
        "hmac-sha256:0123456789abcdef",
        "casestate.case",
        "casestate.workflow",
        "open",
        "dismiss",
        *(member.value for kind in (Assurance, Code, EntryKind, EvidenceKind, Fate, Role) for member in kind),
        0,
        1,
        -1,
        2,
        5,
        1.5,
        True,
        False,
        None,
        [],
        {},
        [0],
        ["video"],
    ]
)
"""Values close to what a document holds: a timestamp without its offset, a digest one digit short."""

_NEW_KEYS = st.sampled_from(["efective_at", "extra", "private", "workflow", "field", "summary", "kinds"])


def _places(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside *document* (the document itself too)."""
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _places(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _places(value, (*path, index))
    return found


@st.composite
def changed(draw: st.DrawFn, document: Any) -> Any:
    """*document* with one part replaced, removed or added to."""
    document = copy.deepcopy(document)
    path = draw(st.sampled_from(_places(document)))
    if not path:
        return draw(json_values)
    *above, last = path
    parent = document
    for step in above:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "remove":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][draw(_NEW_KEYS | st.text(max_size=6))] = draw(_NEAR_MISSES | json_values)
    elif action == "add" and isinstance(parent[last], list):
        parent[last].append(draw(_NEAR_MISSES | json_values))
    else:
        parent[last] = draw(_NEAR_MISSES | json_values)
    return document
