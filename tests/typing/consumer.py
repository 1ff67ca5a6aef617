"""A consumer's code, type-checked with mypy --strict as an app would write it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import casestate as cs


def first_case() -> cs.Case:
    workflow: cs.Workflow = cs.DEFAULT_WORKFLOW
    ngo = cs.Actor("ngo-1", cs.Role.NGO)
    case = workflow.open(
        "c-1",
        actor=ngo,
        effective_at=datetime(2024, 1, 1, tzinfo=UTC),
        recorded_at=datetime(2024, 1, 2, tzinfo=UTC),
    )
    video = cs.Evidence(cs.EvidenceKind.VIDEO, "ref", "channel", datetime(2024, 1, 3, tzinfo=UTC))
    change = cs.Change(
        trigger="report_captured",
        actor=ngo,
        evidence=[video],
        effective_at=datetime(2024, 1, 3, tzinfo=UTC),
        recorded_at=datetime(2024, 1, 3, tzinfo=UTC),
    )
    verdict: cs.Verdict = workflow.check(case, change)
    codes: tuple[cs.Code, ...] = verdict.codes
    if verdict.ok and not codes:
        case = workflow.apply(case, change)
    return case


def questions(case: cs.Case) -> None:
    status: str = case.status
    fate: cs.Fate = case.fate
    assurance: cs.Assurance = case.assurance
    waited: timedelta = case.time_in_status(datetime(2025, 1, 1, tzinfo=UTC))
    then: cs.Snapshot | None = case.as_of_recorded(datetime(2024, 5, 1, tzinfo=UTC))
    true_then: cs.Snapshot | None = case.as_of_effective(datetime(2024, 5, 1, tzinfo=UTC))
    integrity: cs.Integrity = cs.verify(case.trail, head=case.head)
    # Which move made each open conflict of a corroboration one.
    contested_by: dict[int, int] = {seq: e.seq for e in case.trail for seq in e.contests or ()}
    backed_since: list[datetime] = [backer.effective_at for backer in case.backers]
    # Which move made each conflict agree, and the open conflicts a move may still reconcile.
    reconciled_by: dict[int, int] = {seq: e.seq for e in case.trail for seq in e.reconciles or ()}
    may_agree: list[str] = [report.trigger for report in case.waiting]
    # The reports that back the periods the case has left: a late report may contest them.
    left_backed: list[int] = [report.seq for report in case.left_backers]
    print(status, fate, assurance, waited, then, true_then, integrity.ok, contested_by, backed_since)
    print(reconciled_by, may_agree, left_backed)


def my_workflow() -> cs.Workflow:
    released = cs.StatusDef("released", cs.Fate.ALIVE, final=True)
    release = cs.Rule(
        trigger="release",
        sources={"captured"},
        target="released",
        roles={"icrc"},
        evidence=cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL),
    )
    return (
        cs.DEFAULT_WORKFLOW.with_statuses(released)
        .with_rules(release)
        .replace_rule("confirm", roles={"icrc", "court"})
    )


def handle(case: cs.Case, change: cs.Change) -> cs.Case:
    try:
        return cs.DEFAULT_WORKFLOW.apply(case, change)
    except cs.Rejected as refused:
        for reason in refused.reasons:
            code: cs.Code = reason.code
            print(code.value, reason.message)
        return case


def store_and_load(case: cs.Case) -> cs.Case:
    text: str = cs.to_json(case, redacted=False)
    loaded: cs.Case = cs.from_json(text)
    redacted: tuple[cs.Entry, ...] = cs.redact(loaded.trail)
    return cs.replay(redacted)


def said_to_a_family(case: cs.Case, verdict: cs.Verdict, accept_language: list[str]) -> list[str]:
    from casestate.text import best_locale, describe, label, label_name, message  # noqa: PLC0415

    locale: str = best_locale(accept_language)
    lines = [f"{label_name('status', case.status, locale)}: {label(case.fate, locale)}"]
    lines += [f"{describe(reason.code, locale)} {message(reason, locale)}" for reason in verdict.reasons]
    return lines
