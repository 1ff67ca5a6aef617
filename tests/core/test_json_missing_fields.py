"""Every field of a case document, left out, is refused as the JSON format page says.

A missing field is a :class:`FormatError` naming its place, once
(``entries[3].recorded_at: missing``); it is never read as a default that
happens to verify. The exceptions are those the format page names: a field
added later (``workflow``, ``whereabouts``), whose absence means *not
recorded* and so breaks the entry's hash when it was there; ``private``,
whose absence is a redacted entry; and a reason, which readers have always
taken for none when it is absent, so that its absence breaks the commitment
when there was one.
"""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate._entry import Entry
from casestate._layout import omitted_when_none
from casestate.testing import TEST_KEY, cases
from marked_cases import WORKFLOWS
from support import opened as opened_case

ADDED_LATER = {field.name for field in Entry.__attrs_attrs__ if omitted_when_none(field)}


def _fields(document, path=()):
    """The path of every field of every object in *document*."""
    if isinstance(document, dict):
        for name, value in document.items():
            yield (*path, name)
            yield from _fields(value, (*path, name))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _fields(value, (*path, index))


def _place(path):
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


def _without(document, path):
    left = copy.deepcopy(document)
    *above, name = path
    parent = left
    for step in above:
        parent = parent[step]
    value = parent.pop(name)
    return left, value


@st.composite
def documents(draw):
    key = draw(st.sampled_from([None, TEST_KEY]))
    case = draw(cases(draw(WORKFLOWS), key=key, max_changes=6))
    return key, case, cs.to_dict(case)


def _read(document, **verifying):
    """What reading *document* gives: the case, or the refusal."""
    try:
        return cs.from_dict(document, **verifying)
    except (cs.FormatError, cs.BrokenTrail) as refused:
        return refused


@given(documents())
@settings(max_examples=25)
def test_each_field_left_out_is_refused_with_its_place(written):
    key, case, document = written
    for path in _fields(document):
        left, value = _without(document, path)
        name = path[-1]
        read = _read(left, key=key, head=case.head)
        if isinstance(read, cs.FormatError):
            assert name not in ADDED_LATER | {"private"}, path
            assert str(read) == f"{_place(path)}: missing", path
        elif isinstance(read, cs.BrokenTrail):
            # Read as not recorded, as redacted, or as no reason: the hash or the commitment no longer fits.
            assert name in ADDED_LATER | {"private"} or path[-2:] == ("private", "reason"), path
        else:  # only a reason that was none may go unwritten: the entry is the same
            assert path[-2:] == ("private", "reason"), path
            assert value is None, path
            assert read == case


def test_an_entry_without_reverts_to_or_from_status_is_a_format_error_not_tampering():
    # Both are null in most entries, and null is not the same as absent.
    opened = cs.to_dict(opened_case())
    for name in ("reverts_to", "from_status"):
        left, value = _without(opened, ("entries", 0, name))
        assert value is None
        read = _read(left)
        assert isinstance(read, cs.FormatError), name
        assert str(read) == f"entries[0].{name}: missing"
