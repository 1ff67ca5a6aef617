"""A row rewritten in SQL with a weak salt is refused on load, as the JSON reader refuses it."""

import attrs
import pytest

from casestate import BrokenTrail, Problem
from casestate._chain import commitment, entry_digest
from casestate.store._rows import entry_row
from casestate.store._schema import ENTRY_FIELDS
from support import actor, day

# The columns a reseal changes: the personal part (with its salt), the commitment and the hash.
PRIVATE, COMMITMENT, HASH = (ENTRY_FIELDS.index(name) for name in ("private", "commitment", "hash"))


@pytest.mark.parametrize("salt", [b"", b"x", bytes(15)])
def test_a_stored_entry_resealed_with_a_weak_salt_is_a_broken_trail(place, salt):
    with place.open() as store:
        case = store.open_case("ua-1", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1))
    entry = case.trail[0]
    salted = attrs.evolve(
        entry, salt=salt, commitment=commitment(entry.actor_id, entry.reason, entry.evidence, salt)
    )
    forged = attrs.evolve(salted, hash=entry_digest(salted, None))
    row = entry_row(forged)
    place.sql(
        "UPDATE entries SET private = ?, commitment = ?, hash = ? WHERE case_id = 'ua-1'",
        (row[PRIVATE], row[COMMITMENT], row[HASH]),
    )
    place.sql("UPDATE cases SET head = ? WHERE case_id = 'ua-1'", (forged.hash,))
    with place.open() as store, pytest.raises(BrokenTrail, match="at least 16") as caught:
        store.load("ua-1")
    assert caught.value.integrity.problem is Problem.MALFORMED
