"""Sample cases told as the domain tells them: what the demo builds and shows."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs

from casestate import DEFAULT_WORKFLOW, DISMISS, Actor, Case, Change, Evidence, Rejected, Role
from casestate.store import CaseStore

WORKFLOW = DEFAULT_WORKFLOW

NGO = Actor("mothers-committee", Role.NGO)
MOTHER = Actor("olena-k", Role.FAMILY)
UNIT = Actor("unit-41-hq", Role.UNIT)
MINISTRY = Actor("mod-records", Role.MINISTRY)
ICRC = Actor("icrc-cta", Role.ICRC)
LAB = Actor("forensic-lab-3", Role.FORENSIC_LAB)
COURT = Actor("district-court-7", Role.COURT)


def _on(month: int, day: int, year: int = 2024) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def _change(
    trigger: str,
    actor: Actor,
    when: datetime,
    *evidence: tuple[str, str, str],
    reason: str | None = None,
    recorded: datetime | None = None,
    resolves: tuple[int, ...] = (),
) -> Change:
    return Change(
        trigger=trigger,
        actor=actor,
        evidence=[Evidence(kind, reference, source, when) for kind, reference, source in evidence],
        reason=reason,
        resolves=resolves,
        effective_at=when,
        recorded_at=recorded or when,
    )


@attrs.frozen
class Story:
    """A sample case: its id, a one-line summary and the changes that befall it."""

    case_id: str
    summary: str
    changes: tuple[Change, ...]


@attrs.frozen
class Refusal:
    """A change the workflow refused, why, and the last entry of the case when it came."""

    change: Change
    rejection: Rejected
    after: int


@attrs.frozen
class Told:
    """A story after it was applied: the case and the changes the workflow refused."""

    story: Story
    case: Case
    refused: tuple[Refusal, ...]


STORIES = (
    Story(
        "ua-0173",
        "the unit tells the mother her son was killed; the ministry may not confirm it on a hotline call",
        (
            _change(
                "report_dead",
                UNIT,
                _on(3, 2),
                ("unit_notification", "notice 41/118", "unit 41 HQ"),
                recorded=_on(3, 10),
            ),
            _change("confirm", MINISTRY, _on(3, 11), ("witness_statement", "hotline call", "hotline")),
        ),
    ),
    Story(
        "ua-0201",
        "reported dead, then seen alive on a prisoner video: neither held until the ministry "
        "decided for the video; a capture card, confirmed by the ICRC, exchanged",
        (
            _change("report_dead", UNIT, _on(3, 4), ("witness_statement", "statement 7", "a comrade")),
            _change("report_captured", MOTHER, _on(4, 1), ("video", "t.me/channel/9911", "a channel")),
            _change(
                "report_captured",
                MINISTRY,
                _on(4, 1),
                ("video", "t.me/channel/9911", "a channel"),
                recorded=_on(4, 10),
                resolves=(1, 2),
            ),
            _change(
                "report_captured",
                ICRC,
                _on(4, 1),
                ("capture_card", "CC-55120", "ICRC CTA"),
                recorded=_on(5, 2),
            ),
            _change("confirm", ICRC, _on(5, 20), ("capture_card", "CC-55120", "ICRC CTA")),
            _change("repatriate", MINISTRY, _on(8, 24), ("exchange_list", "exchange #131", "ministry")),
        ),
    ),
    Story(
        "ua-0310",
        "remains identified by DNA, confirmed, handed over",
        (
            _change("report_dead", NGO, _on(5, 30), ("grave_list", "list 12, grave 40", "other side")),
            _change("confirm", LAB, _on(7, 15), ("dna_match", "lab report 2024/771", "forensic lab 3")),
            _change("repatriate", ICRC, _on(9, 3), ("handover_record", "handover 2024-09-03", "ICRC")),
        ),
    ),
    Story(
        "ua-0099",
        "a court declares a man dead, first too early, then after the waiting period",
        (
            _change("declare_dead", COURT, _on(6, 1), ("court_decision", "2-1187/2024", "court 7")),
            _change("declare_dead", COURT, _on(11, 1), ("court_decision", "2-1187/2024", "court 7")),
        ),
    ),
    Story(
        "ua-0411",
        "a relative tries to confirm a death and is refused",
        (
            _change("report_dead", MOTHER, _on(4, 1), ("personal_effects", "his watch", "a comrade")),
            _change("confirm", MOTHER, _on(4, 10), ("death_certificate", "a copy", "unknown office")),
        ),
    ),
    Story(
        "ua-0520",
        "a prisoner video after a DNA-confirmed death: kept as a conflict, then dismissed",
        (
            _change("report_dead", UNIT, _on(3, 1), ("unit_notification", "notice 5", "unit")),
            _change("confirm", LAB, _on(6, 1), ("dna_match", "lab 88", "forensic lab 3")),
            _change("report_captured", MOTHER, _on(7, 1), ("video", "t.me/c/1", "a channel")),
            _change(
                DISMISS,
                NGO,
                _on(7, 3),
                reason="the man on the video is not him: another tattoo",
                resolves=(3,),
            ),
        ),
    ),
)


def tell_into(store: CaseStore, story: Story) -> Told:
    """Open the story's case in *store* and store each change the workflow accepts."""
    case = store.open_case(story.case_id, actor=NGO, effective_at=_on(2, 20), recorded_at=_on(3, 1))
    refused = []
    for change in story.changes:
        try:
            case = store.apply(story.case_id, [change], expected_version=case.version)
        except Rejected as rejection:
            refused.append(Refusal(change, rejection, case.version - 1))
    return Told(story, case, tuple(refused))
