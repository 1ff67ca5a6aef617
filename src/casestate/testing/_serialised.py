"""JSON round trips and the redacted export, held to the case they were made from."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs

from casestate import (
    Case,
    Entry,
    canonical_bytes,
    entry_from_dict,
    entry_to_dict,
    from_json,
    redact,
    to_json,
    verify,
)

from ._broken import fail


def _without_private(data: Any) -> Any:  # noqa: ANN401 - walks any JSON value
    if isinstance(data, dict):
        return {name: _without_private(value) for name, value in data.items() if name != "private"}
    if isinstance(data, list):
        return [_without_private(value) for value in data]
    return data


def check_entries_json(case: Case, entries: Sequence[Entry], key: bytes | None) -> None:
    for entry in entries:
        data = entry_to_dict(entry)
        again = entry_from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
        if again != entry or canonical_bytes(again) != canonical_bytes(entry):
            raise fail(case, f"entry {entry.seq}: the JSON round trip does not give the same entry and bytes")
        shared = entry_to_dict(redact([entry])[0])
        if shared != _without_private(data) or _keys(shared) & _PERSONAL:
            raise fail(case, f"entry {entry.seq}: the redacted export holds more than the public fields")
    shared_trail = redact(case.trail)
    if not verify(shared_trail, key=key, head=case.head, allow_redacted=True).ok:
        raise fail(case, "the redacted trail does not verify")
    if verify(shared_trail, key=key, head=case.head).ok:
        raise fail(case, "the redacted trail verifies without allow_redacted")


_PERSONAL = frozenset({"private", "actor_id", "reason", "salt"})


def check_json(case: Case, key: bytes | None) -> None:
    text = to_json(case)
    again = from_json(text, key=key, head=case.head)
    if again != case:
        raise fail(case, "the JSON round trip does not give an equal case")
    if to_json(again) != text:
        raise fail(case, "writing a case read from JSON does not give the same JSON")
    for before, after in zip(case.trail, again.trail, strict=True):
        if canonical_bytes(before) != canonical_bytes(after):
            raise fail(case, f"entry {before.seq}: canonical bytes differ after a JSON round trip")
    shared = to_json(case, redacted=True)
    data = json.loads(shared)
    if data != _without_private(json.loads(text)):
        raise fail(case, "the redacted export holds more than the public fields")
    public = from_json(shared, key=key, head=case.head, allow_redacted=True)
    if public != attrs.evolve(case, trail=redact(case.trail)):
        raise fail(case, "the redacted export does not verify and replay to the same case")
    if _keys(data) & _PERSONAL:
        raise fail(case, "the redacted export holds personal fields")


def _keys(data: Any) -> set[str]:  # noqa: ANN401 - walks any JSON value
    if isinstance(data, dict):
        return set(data).union(*(_keys(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(_keys(value) for value in data))
    return set()
