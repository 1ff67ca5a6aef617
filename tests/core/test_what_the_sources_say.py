"""The stories of the field, told through the public API: each with its dates, actors and evidence.

Each story checks both clocks at dates before, between and after its
reports: what was true then, as known now (``as_of_effective``), and what
the case holder knew then (``as_of_recorded``).
"""

from pathlib import Path

import attrs
import pytest

import casestate as cs
from casestate import Assurance, Fate, Outcome, Whereabouts
from casestate.testing import check_case
from support import WORKFLOW, dated, resealed, told

FAMILY = cs.Actor("olena-k", cs.Role.FAMILY)
UNIT = cs.Actor("unit-41", cs.Role.UNIT)
MINISTRY = cs.Actor("ministry-missing-dept", cs.Role.MINISTRY)
ICRC = cs.Actor("icrc-cta", cs.Role.ICRC)
LAB = cs.Actor("lab-dnipro", cs.Role.FORENSIC_LAB)
TRAILS = Path(__file__).parents[1] / "data" / "trails"


def missing_since_february(case_id: str = "ua-0201") -> cs.Case:
    return WORKFLOW.open(case_id, actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1))


def held(case: cs.Case, when) -> tuple[str, Fate, Whereabouts, Assurance]:
    """What was true at *when*, as known now."""
    then = case.as_of_effective(when)
    assert then is not None
    return (then.status, then.fate, then.whereabouts, then.assurance)


# -- 1. The unit says he is dead; the ministry still lists him missing ------------


def test_a_ministry_still_listing_him_missing_is_kept_beside_the_death_report_until_a_lab_settles_it():
    case = missing_since_february()
    case = WORKFLOW.apply(
        case, told("report_dead", UNIT, "unit_notification", effective=dated(3, 10), recorded=dated(3, 12))
    )
    still_missing = told(
        "report_missing", MINISTRY, "missing_register", effective=dated(4, 1), recorded=dated(4, 2)
    )
    assert WORKFLOW.check(case, still_missing).outcome is Outcome.CONFLICT
    case = WORKFLOW.apply(case, still_missing)
    # Neither report is dropped, and the case says it is contested.
    assert (case.status, case.fate, case.open_conflicts) == ("dead", Fate.DEAD, (2,))
    assert case.conflicts[0].trigger == "report_missing"
    assert case.trail[1].trigger == "report_dead"
    assert case.known_at(dated(4, 3)).has_conflict
    assert not case.known_at(dated(3, 20)).has_conflict
    # A DNA identification by a forensic lab settles it, in the same change.
    identified = told("confirm", LAB, "dna_match", effective=dated(5, 5), recorded=dated(5, 6), resolves=(2,))
    case = WORKFLOW.apply(case, identified)
    assert (case.status, case.fate, case.assurance, case.has_conflict) == (
        "confirmed",
        Fate.DEAD,
        Assurance.IDENTIFIED,
        False,
    )
    assert held(case, dated(3, 1)) == ("missing", Fate.UNKNOWN, Whereabouts.UNKNOWN, Assurance.REPORTED)
    assert held(case, dated(4, 10))[:2] == ("dead", Fate.DEAD)
    assert held(case, dated(5, 10))[:2] == ("confirmed", Fate.DEAD)


def test_a_report_that_he_is_still_missing_corroborates_a_missing_case():
    case = WORKFLOW.apply(
        missing_since_february(),
        told("report_missing", MINISTRY, "missing_register", effective=dated(4, 1)),
    )
    assert (case.status, case.trail[-1].kind, case.assurance) == ("missing", "corroboration", "documented")


# -- 3. Remains handed over before they are identified ---------------------------------


def _reported_dead_in_march() -> cs.Case:
    return WORKFLOW.apply(
        missing_since_february(),
        told("report_dead", UNIT, "unit_notification", effective=dated(3, 10), recorded=dated(3, 12)),
    )


def test_remains_handed_over_in_june_and_identified_in_july_are_true_at_every_date():
    case = _reported_dead_in_march()
    case = WORKFLOW.apply(
        case, told("repatriate", MINISTRY, "handover_record", effective=dated(6, 1), recorded=dated(6, 3))
    )
    case = WORKFLOW.apply(
        case, told("confirm", LAB, "dna_match", effective=dated(7, 15), recorded=dated(7, 16))
    )
    assert (case.status, case.fate, case.whereabouts, case.assurance) == (
        "confirmed",
        Fate.DEAD,
        Whereabouts.HOME,
        Assurance.IDENTIFIED,
    )
    assert held(case, dated(3, 1)) == ("missing", Fate.UNKNOWN, Whereabouts.UNKNOWN, Assurance.REPORTED)
    assert held(case, dated(5, 1)) == ("dead", Fate.DEAD, Whereabouts.UNKNOWN, Assurance.REPORTED)
    assert held(case, dated(6, 10)) == ("repatriated", Fate.DEAD, Whereabouts.HOME, Assurance.DOCUMENTED)
    assert held(case, dated(7, 20)) == ("confirmed", Fate.DEAD, Whereabouts.HOME, Assurance.IDENTIFIED)
    # What the case holder knew on 1 July: remains returned, not yet identified.
    known = case.as_of_recorded(dated(7, 1))
    assert (known.status, known.fate, known.whereabouts) == ("repatriated", Fate.DEAD, Whereabouts.HOME)


def test_a_handover_record_cannot_hand_over_the_living():
    prisoner = WORKFLOW.apply(
        missing_since_february(), told("report_captured", FAMILY, "video", effective=dated(4, 1))
    )
    verdict = WORKFLOW.check(prisoner, told("repatriate", MINISTRY, "handover_record", effective=dated(6, 1)))
    assert verdict.codes == (cs.Code.EVIDENCE_CONTRADICTS_FATE,)


# -- 4. Death in captivity --------------------------------------------------------------


def _confirmed_prisoner() -> cs.Case:
    case = WORKFLOW.apply(
        missing_since_february(),
        told("report_captured", FAMILY, "video", effective=dated(4, 1), recorded=dated(4, 2)),
    )
    return WORKFLOW.apply(case, told("confirm", ICRC, "capture_card", effective=dated(5, 20)))


def test_a_confirmed_prisoner_who_dies_in_captivity_keeps_his_captivity_true_for_its_period():
    case = _confirmed_prisoner()
    assert (case.fate, case.whereabouts) == (Fate.ALIVE, Whereabouts.HELD)
    case = WORKFLOW.apply(
        case,
        told(
            "notify_death", ICRC, "information_bureau_notice", effective=dated(9, 10), recorded=dated(10, 1)
        ),
    )
    assert (case.status, case.fate, case.whereabouts, case.assurance) == (
        "dead",
        Fate.DEAD,
        Whereabouts.HELD,
        Assurance.DOCUMENTED,
    )
    case = WORKFLOW.apply(case, told("confirm", ICRC, "death_certificate", effective=dated(10, 15)))
    case = WORKFLOW.apply(case, told("repatriate", MINISTRY, "handover_record", effective=dated(12, 1)))
    assert held(case, dated(4, 10)) == ("captured", Fate.ALIVE, Whereabouts.HELD, Assurance.REPORTED)
    assert held(case, dated(6, 1)) == ("confirmed", Fate.ALIVE, Whereabouts.HELD, Assurance.DOCUMENTED)
    assert held(case, dated(9, 20)) == ("dead", Fate.DEAD, Whereabouts.HELD, Assurance.DOCUMENTED)
    assert held(case, dated(10, 20)) == ("confirmed", Fate.DEAD, Whereabouts.HELD, Assurance.DOCUMENTED)
    assert held(case, dated(12, 2)) == ("repatriated", Fate.DEAD, Whereabouts.HOME, Assurance.DOCUMENTED)
    # The captivity was not voided: every period is still live.
    assert [period.status for period in case.periods] == [
        "missing",
        "captured",
        "confirmed",
        "dead",
        "confirmed",
        "repatriated",
    ]


def test_a_death_notice_sent_in_error_is_withdrawn_and_the_confirmed_captivity_stands_again():
    prisoner = _confirmed_prisoner()
    notified = WORKFLOW.apply(
        prisoner,
        told(
            "notify_death", ICRC, "information_bureau_notice", effective=dated(9, 10), recorded=dated(9, 12)
        ),
    )
    withdrawal = told(
        "retract", ICRC, effective=dated(9, 20), recorded=dated(9, 21), reason="the notice named another man"
    )
    assert (WORKFLOW.check(notified, withdrawal).target) == "confirmed"
    case = WORKFLOW.apply(notified, withdrawal)
    check_case(WORKFLOW, case)
    # Back where he stood before the notice: a confirmed prisoner, since June, as the ICRC confirmed.
    assert (case.status, case.fate, case.whereabouts, case.assurance, case.status_since) == (
        prisoner.status,
        Fate.ALIVE,
        Whereabouts.HELD,
        prisoner.assurance,
        prisoner.status_since,
    )
    assert case.periods == prisoner.periods
    for when in (dated(4, 10), dated(6, 1), dated(9, 15)):
        assert held(case, when) == held(prisoner, when)
    # What the case holder knew between the notice and its withdrawal: the death.
    assert case.as_of_recorded(dated(9, 13)).status == "dead"


def test_a_relatives_word_of_death_does_not_overturn_a_confirmed_captivity():
    verdict = WORKFLOW.check(
        _confirmed_prisoner(), told("report_dead", FAMILY, "witness_statement", effective=dated(9, 10))
    )
    assert (verdict.outcome, verdict.codes) == (Outcome.CONFLICT, (cs.Code.ILLEGAL_TRANSITION,))


def test_a_death_notified_of_a_confirmed_death_corroborates_it():
    dead = WORKFLOW.apply(_reported_dead_in_march(), told("confirm", LAB, "dna_match", effective=dated(5, 5)))
    verdict = WORKFLOW.check(dead, told("notify_death", ICRC, "death_certificate", effective=dated(6, 1)))
    assert verdict.outcome is Outcome.CORROBORATION


# -- 5. Who may withdraw a report ----------------------------------------------------------


def _mothers_video() -> cs.Case:
    return WORKFLOW.apply(
        missing_since_february(),
        told("report_captured", FAMILY, "video", effective=dated(4, 1), recorded=dated(4, 2)),
    )


def test_a_mother_may_withdraw_her_own_report_while_nothing_stronger_backs_it():
    case = _mothers_video()
    # Her sister's word adds nothing an authority stands behind.
    sister = cs.Actor("iryna-k", cs.Role.FAMILY)
    case = WORKFLOW.apply(case, told("report_captured", sister, "photo", effective=dated(4, 3)))
    withdrawn = WORKFLOW.apply(
        case, told("retract", FAMILY, effective=dated(4, 10), reason="it was not him on the video")
    )
    assert (withdrawn.status, withdrawn.fate, withdrawn.whereabouts) == (
        "missing",
        Fate.UNKNOWN,
        Whereabouts.UNKNOWN,
    )


def test_once_the_icrc_backs_her_report_only_an_authority_may_withdraw_it():
    case = WORKFLOW.apply(
        _mothers_video(),
        told("report_captured", ICRC, "capture_card", effective=dated(4, 1), recorded=dated(4, 20)),
    )
    assert (case.trail[-1].kind, case.assurance, case.backing) == (
        "corroboration",
        Assurance.DOCUMENTED,
        {"icrc"},
    )
    hers = told("retract", FAMILY, effective=dated(4, 25), reason="I was told it was not him")
    verdict = WORKFLOW.check(case, hers)
    assert verdict.codes == (cs.Code.ROLE_NOT_PERMITTED,)
    assert verdict.reasons[0].message == (
        "retract by the reporter alone: icrc corroborated the report since, so only court, forensic_lab, "
        "icrc, ministry may retract it"
    )
    theirs = told("retract", MINISTRY, effective=dated(4, 25), reason="the card was issued for a namesake")
    assert WORKFLOW.apply(case, theirs).status == "missing"
    # Her right was to withdraw the report before anyone backed it, not after.
    assert [option.trigger for option in WORKFLOW.available(case, FAMILY)] == [
        "report_captured",
        "report_wounded",
        "report_dead",
        "report_missing",
        "report_remains_held",
    ]


def test_a_units_notice_backed_by_a_death_certificate_is_the_units_no_longer():
    case = _reported_dead_in_march()
    case = WORKFLOW.apply(
        case, told("report_dead", MINISTRY, "death_certificate", effective=dated(3, 10), recorded=dated(4, 2))
    )
    verdict = WORKFLOW.check(case, told("retract", UNIT, effective=dated(4, 5), reason="mixed up names"))
    assert verdict.codes == (cs.Code.ROLE_NOT_PERMITTED,)
    # A replayed trail knows who backed it, as the case that wrote it did.
    assert cs.replay(case.trail).backing == case.backing == {"ministry"}


# -- 6. A court recognises him as missing ------------------------------------------------------


def test_a_courts_recognition_is_a_dated_fact_that_timers_count_from():
    court = cs.Actor("district-court-7", cs.Role.COURT)
    case = missing_since_february()
    recognition = told(
        "recognise_missing", court, "court_decision", effective=dated(9, 2), recorded=dated(9, 5)
    )
    assert WORKFLOW.check(case, recognition).outcome is Outcome.FACT
    case = WORKFLOW.apply(case, recognition)
    # Not a new status: missing since February still, as both clocks say.
    assert (case.status, case.status_since, case.version) == ("missing", dated(2, 24), 2)
    assert case.as_of_effective(dated(10, 1)).since == dated(2, 24)
    assert [(fact.trigger, fact.effective_at) for fact in case.facts] == [("recognise_missing", dated(9, 2))]
    # Russia's 120-FZ: death may be declared three months after the recognition, not after a flat period.
    flags = {flag.timer.name: flag.due_at for flag in cs.due(case, cs.RUSSIA_120FZ, dated(12, 31))}
    assert flags == {
        "may_be_recognised_missing": dated(2, 24) + cs.RUSSIA_120FZ[0].after,
        "may_be_declared_dead": dated(9, 2) + cs.RUSSIA_120FZ[1].after,
    }
    assert "may_be_declared_dead" not in {
        flag.timer.name for flag in cs.due(missing_since_february(), cs.RUSSIA_120FZ, dated(12, 31))
    }


def test_only_a_court_recognises_and_only_a_missing_person():
    family_says = told("recognise_missing", FAMILY, "court_decision", effective=dated(9, 2))
    assert WORKFLOW.check(missing_since_february(), family_says).codes == (cs.Code.ROLE_NOT_PERMITTED,)
    court = cs.Actor("district-court-7", cs.Role.COURT)
    dead = _reported_dead_in_march()
    verdict = WORKFLOW.check(dead, told("recognise_missing", court, "court_decision", effective=dated(9, 2)))
    assert (verdict.outcome, verdict.codes) == (Outcome.REJECTED, (cs.Code.ILLEGAL_TRANSITION,))


# -- whereabouts: a report agrees on fate and on where he is --------------------------------


def _exchanged() -> cs.Case:
    return WORKFLOW.apply(
        _confirmed_prisoner(), told("repatriate", MINISTRY, "exchange_list", effective=dated(8, 1))
    )


def test_a_report_that_he_is_held_does_not_corroborate_that_he_is_home():
    case = _exchanged()
    assert (case.fate, case.whereabouts) == (Fate.ALIVE, Whereabouts.HOME)
    verdict = WORKFLOW.check(case, told("report_captured", FAMILY, "video", effective=dated(8, 10)))
    assert (verdict.outcome, verdict.codes) == (Outcome.CONFLICT, (cs.Code.ILLEGAL_TRANSITION,))


def test_a_report_that_he_is_held_corroborates_a_confirmed_prisoner():
    verdict = WORKFLOW.check(
        _confirmed_prisoner(), told("report_captured", FAMILY, "video", effective=dated(6, 1))
    )
    assert (verdict.outcome, verdict.whereabouts) == (Outcome.CORROBORATION, Whereabouts.HELD)


def test_wounded_in_captivity_stays_held():
    case = WORKFLOW.apply(
        missing_since_february(), told("report_captured", FAMILY, "video", effective=dated(4, 1))
    )
    case = WORKFLOW.apply(case, told("report_wounded", FAMILY, "medical_record", effective=dated(4, 20)))
    assert (case.status, case.whereabouts) == ("wounded", Whereabouts.HELD)
    wounded_at_large = WORKFLOW.apply(
        missing_since_february(), told("report_wounded", UNIT, "medical_record", effective=dated(4, 20))
    )
    assert wounded_at_large.whereabouts is Whereabouts.UNKNOWN


def test_what_an_option_offers_says_where_he_would_be():
    case = _confirmed_prisoner()
    (repatriate,) = [
        option for option in WORKFLOW.available(case, MINISTRY) if option.trigger == "repatriate"
    ]
    assert (repatriate.fate, repatriate.whereabouts) == (Fate.ALIVE, Whereabouts.HOME)


# -- 8. One assurance after a withdrawal ----------------------------------------------------


def test_after_a_reopening_every_answer_gives_the_resumed_periods_assurance():
    identified = WORKFLOW.apply(
        _reported_dead_in_march(), told("confirm", LAB, "dna_match", effective=dated(5, 5))
    )
    exclusion = told("reopen", LAB, "dna_match", effective=dated(9, 1), reason="a second sample excludes him")
    case = WORKFLOW.apply(identified, exclusion)
    now = case.as_of_effective(dated(9, 2))
    assert case.assurance is now.assurance is case.as_of_recorded(dated(9, 2)).assurance
    assert case.assurance is Assurance.REPORTED
    assert (case.status, case.whereabouts) == ("missing", Whereabouts.UNKNOWN)


# -- evidence that predates what it attests -----------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "by", "kind"),
    [
        ("confirm", LAB, "death_certificate"),
        ("confirm", ICRC, "capture_card"),
        ("repatriate", MINISTRY, "handover_record"),
        ("confirm", LAB, "dna_match"),
    ],
)
def test_a_document_obtained_before_the_event_it_attests_is_refused(trigger, by, kind):
    case = (
        _reported_dead_in_march()
        if kind != "capture_card"
        else WORKFLOW.apply(
            missing_since_february(), told("report_captured", FAMILY, "video", effective=dated(4, 1))
        )
    )
    early = told(trigger, by, kind, effective=dated(6, 1), recorded=dated(6, 5), obtained=dated(5, 30))
    verdict = WORKFLOW.check(case, early)
    assert verdict.codes == (cs.Code.EVIDENCE_BEFORE_EVENT,)
    assert f"{kind} obtained at 2024-05-30" in verdict.reasons[0].message
    on_time = told(trigger, by, kind, effective=dated(6, 1), recorded=dated(6, 5), obtained=dated(6, 1))
    assert WORKFLOW.check(case, on_time).outcome is Outcome.TRANSITION


def test_lists_drawn_up_ahead_and_unverified_evidence_may_predate_the_event():
    prisoner = _confirmed_prisoner()
    exchange = told("repatriate", MINISTRY, "exchange_list", effective=dated(8, 1), obtained=dated(7, 31))
    assert WORKFLOW.check(prisoner, exchange).outcome is Outcome.TRANSITION
    video = told(
        "report_captured", FAMILY, "video", effective=dated(4, 1), recorded=dated(4, 5), obtained=dated(3, 30)
    )
    assert WORKFLOW.check(missing_since_february(), video).outcome is Outcome.TRANSITION


# -- trails written before entries recorded whereabouts -----------------------------------


def test_a_trail_written_before_whereabouts_reads_them_from_its_statuses():
    text = (TRAILS / "every-status-before-whereabouts.json").read_text(encoding="utf-8")
    case = cs.from_json(text)
    whereabouts = {
        "after the capture": case.as_of_recorded(dated(4, 3)).whereabouts,
        "wounded in captivity": case.as_of_recorded(dated(4, 7)).whereabouts,
        "confirmed prisoner": case.as_of_recorded(dated(6, 1)).whereabouts,
        "exchanged": case.as_of_recorded(dated(7, 5)).whereabouts,
        "reopened": case.as_of_recorded(dated(8, 3)).whereabouts,
        "captured again": case.as_of_recorded(dated(8, 12)).whereabouts,
        "retracted": case.as_of_recorded(dated(8, 22)).whereabouts,
        "reported dead": case.whereabouts,
    }
    assert whereabouts == {
        "after the capture": Whereabouts.HELD,
        "wounded in captivity": Whereabouts.HELD,
        "confirmed prisoner": Whereabouts.HELD,
        "exchanged": Whereabouts.HOME,
        "reopened": Whereabouts.UNKNOWN,
        "captured again": Whereabouts.HELD,
        "retracted": Whereabouts.UNKNOWN,
        "reported dead": Whereabouts.UNKNOWN,
    }
    # The corroboration it once made of the exchanged man by a capture video stays as written.
    assert case.trail[6].kind == "corroboration"
    assert cs.replay(case.trail) == case


def test_a_withdrawal_in_a_trail_written_before_whereabouts_resumes_those_of_the_period_it_resumes():
    # Reported wounded (where, nobody said), then captured (held), then his death notified by the
    # captor (held still); an app's rule withdraws the notice, back to when he was reported wounded.
    workflow = WORKFLOW.extend(
        name="with-a-death-withdrawn",
        rules=[
            cs.Rule(
                trigger="withdraw_death",
                sources={"dead"},
                target="wounded",
                roles={cs.Role.MINISTRY},
                reverts=True,
                reason_required=True,
            )
        ],
    )
    case = missing_since_february()
    for change in (
        told("report_wounded", UNIT, "medical_record", effective=dated(3, 4)),
        told("report_captured", FAMILY, "video", effective=dated(3, 10)),
        told("notify_death", ICRC, "information_bureau_notice", effective=dated(3, 12)),
        told("withdraw_death", MINISTRY, effective=dated(3, 20), reason="the notice was of a namesake"),
    ):
        case = workflow.apply(case, change)
    assert (case.status, case.whereabouts) == ("wounded", Whereabouts.UNKNOWN)
    # The same trail as casestate wrote it before entries recorded whereabouts.
    read = cs.replay(resealed(attrs.evolve(entry, whereabouts=None) for entry in case.trail))
    assert (read.status, read.whereabouts) == ("wounded", Whereabouts.UNKNOWN)
    assert read.as_of_recorded(dated(3, 15)).whereabouts is Whereabouts.HELD


def test_a_reporter_withdrawing_a_report_stacked_on_a_backed_one_voids_her_own_alone():
    backed = WORKFLOW.apply(
        _mothers_video(),
        told("report_captured", ICRC, "capture_card", effective=dated(4, 1), recorded=dated(4, 20)),
    )
    stacked = WORKFLOW.apply(backed, told("report_wounded", FAMILY, "video", effective=dated(4, 22)))
    # Her withdrawal resumes the captivity her own report ended: the ICRC's card stands.
    withdrawal = told("retract", FAMILY, effective=dated(4, 25), reason="withdraw")
    verdict = WORKFLOW.check(stacked, withdrawal)
    assert (verdict.outcome, verdict.target) == (Outcome.TRANSITION, "captured")
    assert "retract" in [option.trigger for option in WORKFLOW.available(stacked, FAMILY)]
    withdrawn = WORKFLOW.apply(stacked, withdrawal)
    check_case(WORKFLOW, withdrawn)
    assert (withdrawn.status, withdrawn.assurance, withdrawn.whereabouts) == (
        "captured",
        Assurance.DOCUMENTED,
        Whereabouts.HELD,
    )
    assert withdrawn.periods == backed.periods
    # The captivity she withdrew back to is not her report: she cannot withdraw it in turn.
    again = told("retract", FAMILY, effective=dated(4, 26), reason="withdraw again")
    assert WORKFLOW.check(withdrawn, again).codes == (cs.Code.ROLE_NOT_PERMITTED,)


def test_where_a_withdrawal_resumes_its_target_a_reporter_may_not_reach_past_her_own_report():
    # A workflow whose retraction resumes the latest missing period, as casestate's did before
    # withdrawals: her retraction would void the ICRC's card with her own report.
    resuming = WORKFLOW.replace_rule("retract", withdraws=False)
    backed = resuming.apply(
        resuming.apply(
            resuming.open("ua-0201", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1)),
            told("report_captured", FAMILY, "video", effective=dated(4, 1), recorded=dated(4, 2)),
        ),
        told("report_captured", ICRC, "capture_card", effective=dated(4, 1), recorded=dated(4, 20)),
    )
    stacked = resuming.apply(backed, told("report_wounded", FAMILY, "video", effective=dated(4, 22)))
    verdict = resuming.check(stacked, told("retract", FAMILY, effective=dated(4, 25), reason="withdraw"))
    assert verdict.codes == (cs.Code.ROLE_NOT_PERMITTED,)
    assert verdict.reasons[0].message == (
        "retract by the reporter alone: it would also void what was recorded before the report "
        "(back to 'missing'), so only court, forensic_lab, icrc, ministry may retract it"
    )
    assert "retract" not in [option.trigger for option in resuming.available(stacked, FAMILY)]
    ministry = told(
        "retract", MINISTRY, effective=dated(4, 25), reason="the family's reports were of a namesake"
    )
    assert resuming.check(stacked, ministry).outcome is Outcome.TRANSITION


def test_a_death_report_says_nothing_of_where_the_remains_are_a_notice_from_the_captor_does():
    prisoner = WORKFLOW.apply(
        missing_since_february(), told("report_captured", UNIT, "unit_notification", effective=dated(3, 10))
    )
    reported = WORKFLOW.apply(
        prisoner, told("report_dead", UNIT, "unit_notification", effective=dated(3, 20))
    )
    assert (reported.fate, reported.whereabouts) == (Fate.DEAD, Whereabouts.UNKNOWN)
    notified = WORKFLOW.apply(
        prisoner, told("notify_death", ICRC, "information_bureau_notice", effective=dated(3, 20))
    )
    assert (notified.fate, notified.whereabouts) == (Fate.DEAD, Whereabouts.HELD)
    # A second death report agrees with the first, wherever the remains are held to be.
    again = told("report_dead", FAMILY, "witness_statement", effective=dated(3, 20), recorded=dated(4, 1))
    assert WORKFLOW.check(notified, again).outcome is Outcome.CORROBORATION


def test_unknown_whereabouts_are_no_position_to_disagree_with():
    wounded = WORKFLOW.apply(
        missing_since_february(), told("report_wounded", UNIT, "medical_record", effective=dated(3, 4))
    )
    confirmed = WORKFLOW.apply(
        wounded, told("confirm", MINISTRY, "information_bureau_notice", effective=dated(3, 20))
    )
    assert confirmed.whereabouts is Whereabouts.UNKNOWN
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 25))
    assert WORKFLOW.check(confirmed, card).outcome is Outcome.CORROBORATION


def test_a_capture_card_tells_a_confirmed_man_of_unknown_whereabouts_that_he_is_held():
    confirmed = WORKFLOW.apply(
        WORKFLOW.apply(
            missing_since_february(), told("report_wounded", UNIT, "medical_record", effective=dated(3, 4))
        ),
        told("confirm", MINISTRY, "information_bureau_notice", effective=dated(3, 20)),
    )
    case = WORKFLOW.apply(
        confirmed, told("report_captured", ICRC, "capture_card", effective=dated(3, 25), recorded=dated(4, 2))
    )
    assert (case.status, case.fate, case.whereabouts, case.trail[-1].kind) == (
        "confirmed",
        Fate.ALIVE,
        Whereabouts.HELD,
        "corroboration",
    )
    # The current period says so too, as a withdrawal that resumes it would find it.
    assert (case.periods[-1].status, case.periods[-1].whereabouts) == ("confirmed", Whereabouts.HELD)
    # From the day the card speaks of, not from the day his status was confirmed.
    assert held(case, dated(3, 24))[2] is Whereabouts.UNKNOWN
    assert held(case, dated(3, 25))[2] is Whereabouts.HELD
    assert case.as_of_recorded(dated(4, 1)).whereabouts is Whereabouts.UNKNOWN
    assert case.as_of_recorded(dated(4, 2)).whereabouts is Whereabouts.HELD
    check_case(WORKFLOW, case)


def test_a_report_that_agrees_never_moves_a_man_from_where_the_case_holds_him():
    case = WORKFLOW.apply(
        missing_since_february(), told("report_captured", UNIT, "unit_notification", effective=dated(3, 10))
    )
    confirmed = WORKFLOW.apply(case, told("confirm", ICRC, "capture_card", effective=dated(3, 20)))
    again = WORKFLOW.apply(confirmed, told("report_wounded", FAMILY, "video", effective=dated(4, 1)))
    assert (again.trail[-1].kind, again.whereabouts) == ("corroboration", Whereabouts.HELD)


# -- 7. Remains located, not returned ---------------------------------------------------


def test_remains_located_by_a_search_team_are_held_not_returned_until_handed_over():
    case = _reported_dead_in_march()
    assert case.whereabouts is Whereabouts.UNKNOWN
    located = told("report_remains_held", ICRC, "photo", effective=dated(5, 5), recorded=dated(5, 8))
    verdict = WORKFLOW.check(case, located)
    assert (verdict.outcome, verdict.whereabouts) == (Outcome.CORROBORATION, Whereabouts.HELD)
    case = WORKFLOW.apply(case, located)
    assert (case.status, case.fate, case.whereabouts) == ("dead", Fate.DEAD, Whereabouts.HELD)
    # Returned in an exchange of remains, identified by DNA later.
    case = WORKFLOW.apply(case, told("repatriate", MINISTRY, "handover_record", effective=dated(6, 1)))
    case = WORKFLOW.apply(case, told("confirm", LAB, "dna_match", effective=dated(7, 15)))
    assert (case.status, case.fate, case.whereabouts) == ("confirmed", Fate.DEAD, Whereabouts.HOME)
    assert held(case, dated(4, 1))[:3] == ("dead", Fate.DEAD, Whereabouts.UNKNOWN)
    assert held(case, dated(5, 20))[:3] == ("dead", Fate.DEAD, Whereabouts.HELD)
    assert held(case, dated(6, 10))[:3] == ("repatriated", Fate.DEAD, Whereabouts.HOME)
    assert held(case, dated(7, 20))[:3] == ("confirmed", Fate.DEAD, Whereabouts.HOME)
    check_case(WORKFLOW, case)


def test_remains_located_of_a_man_still_missing_report_his_death():
    case = WORKFLOW.apply(
        missing_since_february(),
        told("report_remains_held", FAMILY, "photo", effective=dated(4, 1), recorded=dated(4, 3)),
    )
    assert (case.status, case.fate, case.whereabouts, case.trail[-1].kind) == (
        "dead",
        Fate.DEAD,
        Whereabouts.HELD,
        "transition",
    )


def test_remains_said_held_of_remains_already_returned_are_a_conflict():
    case = _reported_dead_in_march()
    case = WORKFLOW.apply(case, told("repatriate", MINISTRY, "handover_record", effective=dated(6, 1)))
    verdict = WORKFLOW.check(case, told("report_remains_held", FAMILY, "photo", effective=dated(6, 10)))
    assert verdict.outcome is Outcome.CONFLICT


def test_remains_wrongly_said_held_are_withdrawn_by_whoever_reported_them():
    case = WORKFLOW.apply(
        missing_since_february(), told("report_remains_held", FAMILY, "photo", effective=dated(4, 1))
    )
    withdrawn = WORKFLOW.apply(
        case, told("retract", FAMILY, effective=dated(4, 10), reason="the photo was of another man")
    )
    never_held = ("missing", Fate.UNKNOWN, Whereabouts.UNKNOWN)
    assert (withdrawn.status, withdrawn.fate, withdrawn.whereabouts) == never_held
    assert held(withdrawn, dated(4, 5))[:3] == never_held


def test_a_definition_written_before_whereabouts_keeps_a_prisoner_held_and_his_card_due():
    statuses = [attrs.evolve(status, whereabouts=None) for status in WORKFLOW.statuses]
    older = WORKFLOW.extend(name="older", statuses=statuses)
    assert all(status.whereabouts is None for status in older.statuses)
    case = older.open("ua-1", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1))
    case = older.apply(case, told("report_captured", FAMILY, "video", effective=dated(3, 5)))
    assert case.whereabouts is Whereabouts.HELD
    assert [flag.timer.name for flag in cs.due(case, cs.GENEVA_CONVENTIONS, dated(5, 1))] == [
        "capture_card_overdue"
    ]


def test_an_older_trail_taken_further_satisfies_the_testing_kits_invariants():
    text = (TRAILS / "captured-before-workflow-identity.json").read_text(encoding="utf-8")
    case = cs.from_json(text)
    withdrawn = WORKFLOW.apply(
        case,
        told("retract", MINISTRY, effective=case.last_recorded_at, reason="wrong man"),
    )
    assert (withdrawn.status, withdrawn.whereabouts) == ("missing", Whereabouts.UNKNOWN)
    check_case(WORKFLOW, withdrawn)
