"""A person who goes missing again: a new case that follows the first, which stays as it was."""

import json

import pytest

import casestate as cs
from casestate import Fate, Whereabouts
from support import WORKFLOW, dated, rehashed, told

FAMILY = cs.Actor("olena-k", cs.Role.FAMILY)
MINISTRY = cs.Actor("ministry-missing-dept", cs.Role.MINISTRY)
ICRC = cs.Actor("icrc-cta", cs.Role.ICRC)


def first_episode() -> cs.Case:
    """Missing in February, a prisoner from March, exchanged in August."""
    case = WORKFLOW.open("ua-0201", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1))
    case = WORKFLOW.apply(case, told("report_captured", FAMILY, "video", effective=dated(3, 10)))
    case = WORKFLOW.apply(case, told("confirm", ICRC, "capture_card", effective=dated(4, 1)))
    return WORKFLOW.apply(case, told("repatriate", MINISTRY, "exchange_list", effective=dated(8, 1)))


def second_episode(**more) -> cs.Case:
    """Sent back to the front, missing again in November."""
    return WORKFLOW.open(
        "ua-0201-2", actor=FAMILY, effective_at=dated(11, 3), recorded_at=dated(11, 5), **more
    )


def test_a_second_disappearance_is_a_new_case_that_names_the_first():
    first = first_episode()
    second = second_episode(follows=first.id)
    assert (second.follows, second.status, second.fate, second.whereabouts) == (
        "ua-0201",
        "missing",
        Fate.UNKNOWN,
        Whereabouts.UNKNOWN,
    )
    # The first episode is untouched: he came home in August, and that stays true.
    assert (first.status, first.whereabouts, first.follows) == ("repatriated", Whereabouts.HOME, None)
    assert second.trail[0].follows == "ua-0201"


def test_the_link_is_part_of_the_opening_entrys_hash_and_json():
    second = second_episode(follows="ua-0201", salt=bytes(16))
    document = json.loads(cs.to_json(second))
    assert document["entries"][0]["follows"] == "ua-0201"
    assert cs.from_json(cs.to_json(second)).follows == "ua-0201"
    # Changing the link breaks the chain.
    document["entries"][0]["follows"] = "ua-9999"
    with pytest.raises(cs.BrokenTrail):
        cs.from_json(json.dumps(document))


def test_a_first_disappearance_writes_no_link_and_keeps_its_bytes():
    plain = WORKFLOW.open(
        "ua-0201", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1), salt=bytes(16)
    )
    assert plain.follows is None
    assert "follows" not in json.loads(cs.to_json(plain))["entries"][0]


@pytest.mark.parametrize(
    ("follows", "message"),
    [
        ("ua-0201-2", "cannot follow itself"),
        ("", "follows must be a non-empty string"),
        ("ua\u200b0201", "follows"),
        (17, "follows must be a non-empty string"),
    ],
)
def test_a_link_that_names_no_other_case_is_refused(follows, message):
    with pytest.raises(ValueError, match=message):
        second_episode(follows=follows)


def test_only_the_opening_entry_may_name_the_case_it_follows():
    second = second_episode(follows="ua-0201")
    later = WORKFLOW.apply(second, told("report_dead", FAMILY, "witness_statement", effective=dated(11, 20)))
    document = cs.to_dict(later)
    document["entries"][1]["follows"] = "ua-0201"
    with pytest.raises(cs.BrokenTrail, match="names a case it follows, which only the opening entry does"):
        cs.from_dict(rehashed(document))


@pytest.mark.parametrize("follows", ["ua-0201-2", " ", "\x1b[2J", "x" * 100_000])
def test_a_trail_whose_opening_follows_no_other_case_does_not_load(follows):
    document = cs.to_dict(second_episode(follows="ua-0201"))
    document["entries"][0]["follows"] = follows
    with pytest.raises((cs.BrokenTrail, cs.FormatError)):
        cs.from_dict(rehashed(document))
