"""The stories of the domain brief, told through the public API only."""

from datetime import UTC, datetime

import attrs
import pytest

import casestate as cs
from casestate.testing import check_case

WORKFLOW = cs.DEFAULT_WORKFLOW
SALT = bytes(16)  # fixed salts keep every hash in these stories reproducible

mother = cs.Actor("olena-k", cs.Role.FAMILY)
unit = cs.Actor("unit-41-hq", cs.Role.UNIT)
ngo = cs.Actor("mothers-committee", cs.Role.NGO)
ministry = cs.Actor("mod-records", cs.Role.MINISTRY)
icrc = cs.Actor("icrc-cta", cs.Role.ICRC)
lab = cs.Actor("forensic-lab-3", cs.Role.FORENSIC_LAB)
court = cs.Actor("district-court-7", cs.Role.COURT)


def on(month: int, day: int, year: int = 2024) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def proof(kind: str, reference: str, source: str, when: datetime) -> cs.Evidence:
    return cs.Evidence(kind, reference, source, when)


def open_case(case_id: str) -> cs.Case:
    return WORKFLOW.open(case_id, actor=ngo, effective_at=on(2, 20), recorded_at=on(3, 1), salt=SALT)


def test_the_unit_tells_the_mother_he_was_killed_while_the_ministry_lists_him_missing():
    case = open_case("ua-0173")
    # The unit's notice is a report of death: the case moves to "dead", with
    # a fate, but only "reported" assurance, and an authority must still confirm.
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="report_dead",
            actor=unit,
            evidence=[proof("unit_notification", "notice 41/118", "unit 41 HQ", on(3, 9))],
            effective_at=on(3, 2),
            recorded_at=on(3, 10),
            salt=SALT,
        ),
    )
    assert (case.status, case.fate, case.assurance) == ("dead", cs.Fate.DEAD, cs.Assurance.REPORTED)
    # The ministry, still listing him missing, cannot "confirm" the death on its own list:
    # a list of the missing is not evidence that he died.
    confirm_on_hearsay = cs.Change(
        trigger="confirm",
        actor=ministry,
        evidence=[proof("witness_statement", "call 2024-03-11", "hotline", on(3, 11))],
        effective_at=on(3, 11),
        recorded_at=on(3, 11),
    )
    verdict = WORKFLOW.check(case, confirm_on_hearsay)
    assert verdict.codes == (cs.Code.EVIDENCE_INSUFFICIENT,)
    # What the case says now is explicit about both: death reported, not established.
    assert case.trail[-1].role == "unit"
    assert case.time_in_status(on(9, 2)).days == 184


def test_reported_dead_then_seen_alive_on_video_confirmed_by_icrc_then_exchanged():
    case = open_case("ua-0201")
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="report_dead",
            actor=unit,
            evidence=[proof("witness_statement", "statement 7", "comrade", on(3, 5))],
            effective_at=on(3, 4),
            recorded_at=on(3, 5),
        ),
    )
    video = cs.Change(
        trigger="report_captured",
        actor=mother,
        evidence=[proof("video", "https://t.me/channel/9911", "channel", on(4, 2))],
        effective_at=on(4, 1),
        recorded_at=on(4, 2),
    )
    case = WORKFLOW.apply(case, video)
    # Alive on 1 April contradicts a death on 4 March, and a comrade's word is no stronger than a
    # video: neither holds. He is missing again, from before the death on, and both reports wait.
    assert (case.status, case.fate, case.open_conflicts) == ("missing", cs.Fate.UNKNOWN, (1, 2))
    assert case.trail[-1].codes == (cs.Code.RIVAL_REPORT,)
    assert case.as_of_effective(on(3, 20)).status == "missing"
    assert case.as_of_recorded(on(4, 1)).status == "dead"
    assert case.as_of_recorded(on(4, 3)).status == "missing"
    # The death report waits, and contests the stretch of missing it speaks of.
    assert case.as_of_effective(on(3, 20)).contested_by == (1,)
    # The ministry sees the video is recent: it records the capture, settling both reports.
    case = WORKFLOW.apply(
        case,
        attrs.evolve(video, actor=ministry, recorded_at=on(4, 10), resolves=(1, 2)),
    )
    assert (case.status, case.fate, case.has_conflict) == ("captured", cs.Fate.ALIVE, False)
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="confirm",
            actor=icrc,
            evidence=[proof("capture_card", "CC-55120", "ICRC CTA", on(5, 20))],
            effective_at=on(5, 20),
            recorded_at=on(5, 21),
        ),
    )
    assert (case.status, case.fate, case.assurance) == ("confirmed", cs.Fate.ALIVE, cs.Assurance.DOCUMENTED)
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="repatriate",
            actor=ministry,
            evidence=[proof("exchange_list", "exchange 2024-08-24 #131", "MoD", on(8, 24))],
            effective_at=on(8, 24),
            recorded_at=on(8, 24),
        ),
    )
    assert (case.status, case.fate) == ("repatriated", cs.Fate.ALIVE)
    assert [entry.to_status for entry in case.trail] == [
        "missing",
        "dead",
        "missing",
        "captured",
        "confirmed",
        "repatriated",
    ]
    assert cs.verify(case.trail).ok
    assert cs.replay(case.trail) == case
    check_case(WORKFLOW, case)
    # "What did we know on 1 April?" and "what was true on 1 April, as we know it now?"
    assert case.as_of_recorded(on(4, 1)).status == "dead"
    assert case.as_of_effective(on(4, 1)).status == "captured"
    # As known now, he was never dead: on 20 March he was missing, uncontested.
    then = case.as_of_effective(on(3, 20))
    assert (then.status, then.contested_by) == ("missing", ())


def test_remains_identified_by_dna_confirmed_and_handed_over():
    case = open_case("ua-0310")
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="report_dead",
            actor=ngo,
            evidence=[proof("grave_list", "list 12, grave 40", "other side", on(6, 1))],
            effective_at=on(5, 30),
            recorded_at=on(6, 2),
        ),
    )
    assert case.assurance is cs.Assurance.DOCUMENTED
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="confirm",
            actor=lab,
            evidence=[proof("dna_match", "lab report 2024/771", "forensic lab 3", on(7, 15))],
            effective_at=on(7, 15),
            recorded_at=on(7, 16),
        ),
    )
    assert (case.status, case.fate, case.assurance) == ("confirmed", cs.Fate.DEAD, cs.Assurance.IDENTIFIED)
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="repatriate",
            actor=icrc,
            evidence=[proof("handover_record", "handover 2024-09-03", "ICRC", on(9, 3))],
            effective_at=on(9, 3),
            recorded_at=on(9, 3),
        ),
    )
    # Returned remains, not a returned prisoner.
    assert (case.status, case.fate) == ("repatriated", cs.Fate.DEAD)


def test_a_court_declares_a_man_dead_after_the_waiting_period():
    case = open_case("ua-0099")
    hearing = proof("court_decision", "case 2-1187/2024", "district court 7", on(6, 1))
    too_soon = cs.Change(
        trigger="declare_dead", actor=court, evidence=[hearing], effective_at=on(6, 1), recorded_at=on(6, 2)
    )
    with pytest.raises(cs.Rejected) as refused:
        WORKFLOW.apply(case, too_soon)
    assert refused.value.codes == (cs.Code.WAITING_PERIOD_NOT_ELAPSED,)
    decision = proof("court_decision", "case 2-1187/2024", "district court 7", on(11, 1))
    after_waiting = attrs.evolve(too_soon, evidence=[decision], effective_at=on(11, 1), recorded_at=on(11, 2))
    case = WORKFLOW.apply(case, after_waiting)
    assert (case.status, case.fate, case.assurance) == ("confirmed", cs.Fate.DEAD, cs.Assurance.DOCUMENTED)


def test_a_relative_tries_to_confirm_a_death_and_is_refused():
    case = open_case("ua-0411")
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="report_dead",
            actor=mother,
            evidence=[proof("personal_effects", "his watch", "returned by a comrade", on(4, 3))],
            effective_at=on(4, 1),
            recorded_at=on(4, 3),
        ),
    )
    attempt = cs.Change(
        trigger="confirm",
        actor=mother,
        evidence=[proof("death_certificate", "a copy", "unknown office", on(4, 10))],
        effective_at=on(4, 10),
        recorded_at=on(4, 10),
    )
    with pytest.raises(cs.Rejected) as refused:
        WORKFLOW.apply(case, attempt)
    assert refused.value.codes == (cs.Code.ROLE_NOT_PERMITTED,)
    assert refused.value.verdict == WORKFLOW.check(case, attempt)
    assert "role 'family' may not confirm" in str(refused.value)


def test_a_video_of_a_captured_man_whose_death_was_confirmed_becomes_a_conflict():
    case = open_case("ua-0520")
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="report_dead",
            actor=unit,
            evidence=[proof("unit_notification", "n 5", "unit", on(3, 3))],
            effective_at=on(3, 1),
            recorded_at=on(3, 3),
        ),
    )
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="confirm",
            actor=lab,
            evidence=[proof("dna_match", "lab 88", "lab", on(6, 1))],
            effective_at=on(6, 1),
            recorded_at=on(6, 1),
        ),
    )
    video = cs.Change(
        trigger="report_captured",
        actor=mother,
        evidence=[proof("video", "https://t.me/c/1", "channel", on(7, 1))],
        effective_at=on(7, 1),
        recorded_at=on(7, 1),
    )
    case = WORKFLOW.apply(case, video)
    assert (case.status, case.fate) == ("confirmed", cs.Fate.DEAD)
    assert case.has_conflict
    [conflict] = case.conflicts
    assert conflict.kind is cs.EntryKind.CONFLICT
    assert conflict.codes == (cs.Code.ILLEGAL_TRANSITION,)
    # A caseworker looks at it and dismisses it, with a reason.
    dismissal = cs.Change(
        trigger=cs.DISMISS,
        actor=ngo,
        reason="the man on the video is not him: different tattoo",
        resolves=[conflict.seq],
        effective_at=on(7, 3),
        recorded_at=on(7, 3),
    )
    case = WORKFLOW.apply(case, dismissal)
    assert not case.has_conflict
    assert case.trail[-1].kind is cs.EntryKind.DISMISSAL
    assert cs.replay(case.trail) == case


def test_one_changed_byte_of_one_stored_entry_is_named_by_verify():
    case = open_case("ua-0777")
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="report_captured",
            actor=mother,
            evidence=[proof("video", "v1", "channel", on(3, 3))],
            effective_at=on(3, 2),
            recorded_at=on(3, 3),
            salt=SALT,
        ),
    )
    case = WORKFLOW.apply(
        case,
        cs.Change(
            trigger="confirm",
            actor=icrc,
            evidence=[proof("icrc_confirmation", "ICRC/77", "ICRC", on(4, 1))],
            effective_at=on(4, 1),
            recorded_at=on(4, 1),
            salt=SALT,
        ),
    )
    stored = cs.to_json(case)
    assert stored.count('"role": "family"') == 1
    tampered = stored.replace('"role": "family"', '"role": "fAmily"')
    with pytest.raises(cs.BrokenTrail) as broken:
        cs.from_json(tampered)
    assert broken.value.integrity.position == 1
    assert broken.value.integrity.problem is cs.Problem.HASH
    assert str(broken.value).startswith("case 'ua-0777': entry 1:")
