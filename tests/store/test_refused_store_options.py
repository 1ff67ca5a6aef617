"""A store made with a workflow, a key or a memory it cannot use is refused before it touches the database."""

import pytest


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"workflow": "default"}, TypeError, "workflow must be a Workflow, not str"),
        ({"key": "a-password-in-a-string"}, TypeError, "the chain key must be bytes, not str"),
        ({"key": b"short"}, ValueError, "the chain key must be at least 16 bytes long"),
        ({"cache_entries": -1}, ValueError, r"cache_entries must be a number of entries \(an int >= 0\)"),
    ],
)
def test_unusable_options_are_refused_on_either_engine_and_nothing_is_created(place, options, error, message):
    with pytest.raises(error, match=message):
        place.open(**options)
    assert place.tables() == set()
