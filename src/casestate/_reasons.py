"""Every reason casestate gives, each message written once, in words a catalog can translate.

A reason's message is built from a :class:`Phrase` (its English template and
the values in it): :attr:`Reason.message` is the English text, and
``casestate.text.message`` says the same in Russian or Ukrainian. The
decision names which reason applies; only these functions say it.

Reasons that depend on names alone are built once and shared: an
integrator's feed repeats the same faults thousands of times (an illegal
move, a role not permitted), and a :class:`Reason` is a value, so one made
for the first serves them all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from functools import lru_cache

from ._evidence import Evidence
from ._kinds import EvidenceKindDef
from ._status import Assurance
from ._time import format_instant
from ._verdict import Code, Reason
from ._words import Days, Listed, Name, Names, Phrase, Value, english, said

_CACHED_ROLE_LENGTH = 100
"""A role is whatever a feed says it is: only a short one is kept in a cache,
so that a few thousand megabyte-long roles cannot stay in memory."""


def _reason(code: Code, template: str, **args: Value) -> Reason:
    values = tuple(args.items())
    return Reason(code, english(template, values), Phrase(template, values))


def _trigger(trigger: str) -> Name:
    return Name("trigger", trigger, quoted=False)


def _sorted(vocabulary: str, names: Iterable[str]) -> Names:
    return Names(vocabulary, tuple(sorted(names)))


def unknown_role(role: str, roles: frozenset[str]) -> Reason:
    """The reason for a role that is not one of *roles*, the workflow's."""
    build = _unknown_role if len(role) <= _CACHED_ROLE_LENGTH else _unknown_role.__wrapped__
    return build(role, roles)


def role_not_permitted(role: str, trigger: str, roles: frozenset[str], reporter_may_fire: bool) -> Reason:
    """The reason for a role that may not fire *trigger*."""
    build = _role_not_permitted if len(role) <= _CACHED_ROLE_LENGTH else _role_not_permitted.__wrapped__
    return build(role, trigger, roles, reporter_may_fire)


@lru_cache(maxsize=1024)
def illegal_transition(trigger: str, status: str, sources: frozenset[str]) -> Reason:
    """The reason for a trigger that leads nowhere from *status* (all three are the workflow's names)."""
    return _reason(
        Code.ILLEGAL_TRANSITION,
        said("{trigger} does not lead anywhere from {status}; it may be fired from: {sources}"),
        trigger=_trigger(trigger),
        status=Name("status", status),
        sources=_sorted("status", sources),
    )


@lru_cache(maxsize=1024)
def _unknown_role(role: str, roles: frozenset[str]) -> Reason:
    return _reason(
        Code.UNKNOWN_ROLE,
        said("role {role} is not one of this workflow's roles: {roles}"),
        role=Name("role", role),
        roles=_sorted("role", roles),
    )


@lru_cache(maxsize=1024)
def _role_not_permitted(role: str, trigger: str, roles: frozenset[str], reporter_may_fire: bool) -> Reason:
    if not roles:  # a rule only the reporter may fire (a workflow refuses one nobody may)
        return _reason(
            Code.ROLE_NOT_PERMITTED,
            said("role {role} may not {trigger}; only the actor whose report entered the current status may"),
            role=Name("role", role),
            trigger=_trigger(trigger),
        )
    template = (
        said(
            "role {role} may not {trigger}; allowed: {allowed}, "
            "or the actor whose report entered the current status"
        )
        if reporter_may_fire
        else said("role {role} may not {trigger}; allowed: {allowed}")
    )
    return _reason(
        Code.ROLE_NOT_PERMITTED,
        template,
        role=Name("role", role),
        trigger=_trigger(trigger),
        allowed=_sorted("role", roles),
    )


def reporter_overruled(trigger: str, backing: frozenset[str], allowed: frozenset[str]) -> Reason:
    """The reason a reporter may no longer fire *trigger* alone: *backing* corroborated the report."""
    return _reason(
        Code.ROLE_NOT_PERMITTED,
        said(
            "{trigger} by the reporter alone: {backing} corroborated the report since, "
            "so only {allowed} may {trigger} it"
        ),
        trigger=_trigger(trigger),
        backing=_sorted("role", backing),
        allowed=_sorted("role", allowed),
    )


def reporter_reaches_past(trigger: str, target: str, allowed: frozenset[str]) -> Reason:
    """The reason a reporter may not fire *trigger* alone: it would void more than the report."""
    return _reason(
        Code.ROLE_NOT_PERMITTED,
        said(
            "{trigger} by the reporter alone: it would also void what was recorded before the report "
            "(back to {target}), so only {allowed} may {trigger} it"
        ),
        trigger=_trigger(trigger),
        target=Name("status", target),
        allowed=_sorted("role", allowed),
    )


def may_not_dismiss(role: str, allowed: frozenset[str]) -> Reason:
    """The reason for a role that may not dismiss conflicts."""
    return _not_allowed(said("role {role} may not dismiss conflicts; allowed: {allowed}"), role, allowed)


def may_not_resolve(role: str, allowed: frozenset[str]) -> Reason:
    """The reason for a role that may not settle conflicts, whatever trigger carries the settling."""
    return _not_allowed(said("role {role} may not resolve conflicts; allowed: {allowed}"), role, allowed)


def _not_allowed(template: str, role: str, allowed: frozenset[str]) -> Reason:
    return _reason(
        Code.ROLE_NOT_PERMITTED, template, role=Name("role", role), allowed=_sorted("role", allowed)
    )


def unknown_trigger(trigger: str, known: Collection[str]) -> Reason:
    """The reason for a trigger the workflow does not have; *known* are its triggers, in order."""
    return _reason(
        Code.UNKNOWN_TRIGGER,
        said("unknown trigger {trigger}; known: {known}"),
        trigger=Name("trigger", trigger),
        known=Names("trigger", tuple(known)),
    )


def unknown_evidence_kind(kind: str, known: Collection[str]) -> Reason:
    """The reason for evidence of a *kind* the workflow does not know; *known* are the kinds it does."""
    return _reason(
        Code.UNKNOWN_EVIDENCE_KIND,
        said("unknown evidence kind {kind}; known: {known}"),
        kind=Name("evidence kind", kind),
        known=Names("evidence kind", tuple(sorted(known))),
    )


def evidence_refused(
    trigger: str, needs: Phrase, evidence: tuple[Evidence, ...], kinds: Mapping[str, EvidenceKindDef]
) -> Reason:
    """The reason for a change whose *evidence* (perhaps none) is not what *trigger* *needs*.

    *kinds* are the kinds the workflow knows, by name: what tier each piece is.
    """
    if not evidence:
        return _reason(
            Code.EVIDENCE_REQUIRED, said("{trigger} needs {needs}"), trigger=_trigger(trigger), needs=needs
        )
    given = Listed(
        tuple(
            Phrase(
                said("{kind} (tier {tier})"),
                (
                    ("kind", Name("evidence kind", item.kind, quoted=False)),
                    ("tier", int(kinds[item.kind].tier)),
                ),
            )
            if item.kind in kinds
            else Phrase(said("{kind} (unknown)"), (("kind", Name("evidence kind", item.kind, quoted=False)),))
            for item in evidence
        )
    )
    return _reason(
        Code.EVIDENCE_INSUFFICIENT,
        said("{trigger} needs {needs}; given: {given}"),
        trigger=_trigger(trigger),
        needs=needs,
        given=given,
    )


def evidence_contradicts_fate(kind: EvidenceKindDef, trigger: str, fate: str) -> Reason:
    """The reason for evidence of *kind*, which speaks for another fate than the *fate* of *trigger*."""
    return _reason(
        Code.EVIDENCE_CONTRADICTS_FATE,
        said("{kind} speaks for fate {indicated}, but {trigger} would give fate {fate}"),
        kind=Name("evidence kind", kind.name, quoted=False),
        indicated=Name("fate", "" if kind.indicates is None else kind.indicates.value),
        trigger=_trigger(trigger),
        fate=Name("fate", fate),
    )


def effective_after_recorded(effective: datetime, recorded: datetime) -> Reason:
    """The reason for a change said to take effect after it was recorded."""
    return _reason(
        Code.EFFECTIVE_AFTER_RECORDED,
        said("effective at {effective}, after it was recorded at {recorded}"),
        effective=format_instant(effective),
        recorded=format_instant(recorded),
    )


def recorded_in_future(recorded: datetime, now: datetime) -> Reason:
    """The reason for a change recorded after *now*."""
    return _reason(
        Code.RECORDED_IN_FUTURE,
        said("recorded at {recorded}, after now ({now})"),
        recorded=format_instant(recorded),
        now=format_instant(now),
    )


def evidence_after_recorded(kind: str, obtained: datetime, recorded: datetime) -> Reason:
    """The reason for evidence obtained after the change was recorded."""
    return _reason(
        Code.EVIDENCE_AFTER_RECORDED,
        said("{kind} obtained at {obtained}, after the change was recorded at {recorded}"),
        kind=Name("evidence kind", kind, quoted=False),
        obtained=format_instant(obtained),
        recorded=format_instant(recorded),
    )


def evidence_before_event(kind: str, obtained: datetime, effective: datetime) -> Reason:
    """The reason for evidence that attests an event, obtained before the event."""
    return _reason(
        Code.EVIDENCE_BEFORE_EVENT,
        said("{kind} obtained at {obtained}, before the event it attests took effect ({effective})"),
        kind=Name("evidence kind", kind, quoted=False),
        obtained=format_instant(obtained),
        effective=format_instant(effective),
    )


def time_goes_backwards(recorded: datetime, last: datetime) -> Reason:
    """The reason for a change recorded before the case's last entry."""
    return _reason(
        Code.TIME_GOES_BACKWARDS,
        said("recorded at {recorded}, before the case's last entry ({last}); the trail only grows forward"),
        recorded=format_instant(recorded),
        last=format_instant(last),
    )


def earlier_than_current(effective: datetime, status: str, since: datetime) -> Reason:
    """The reason for a change that takes effect before the current *status* did."""
    return _reason(
        Code.EARLIER_THAN_CURRENT,
        said("effective at {effective}, before the current status {status} took effect ({since})"),
        effective=format_instant(effective),
        status=Name("status", status),
        since=format_instant(since),
    )


def rival_report(seq: int, status: str, since: datetime, effective: datetime) -> Reason:
    """The reason for a report about *effective* contradicting, as strongly, entry *seq* (into *status*)."""
    return _rivals(
        Code.RIVAL_REPORT,
        said(
            "entry {seq} put the case in {status} at the same instant ({effective}) on evidence as "
            "strong: neither holds until someone settles it"
        ),
        said(
            "entry {seq} put the case in {status} at {since}, which this report about {effective} "
            "contradicts on evidence as strong: neither holds until someone settles it"
        ),
        (seq, status, since, effective),
    )


def outweighed(seq: int, status: str, since: datetime, effective: datetime, held: Assurance) -> Reason:
    """The reason for a report about *effective* that entry *seq*, into *status* at *since*, outweighs."""
    return _rivals(
        Code.OUTWEIGHED,
        said(
            "entry {seq} put the case in {status} at the same instant ({effective}), and the case "
            "holds it on stronger evidence ({held})"
        ),
        said(
            "entry {seq} put the case in {status} at {since}, which this report about {effective} "
            "contradicts, and the case holds it on stronger evidence ({held})"
        ),
        (seq, status, since, effective),
        held=Name("assurance", held),
    )


def _rivals(
    code: Code, at_once: str, apart: str, rival: tuple[int, str, datetime, datetime], **more: Value
) -> Reason:
    """A reason about the report that began the status (entry, status, since), said *at_once* or *apart*.

    *at_once* when the two reports are about the same instant, *apart* when about two.
    """
    seq, status, since, effective = rival
    values: dict[str, Value] = {
        "seq": str(seq),
        "status": Name("status", status),
        "effective": format_instant(effective),
        **more,
    }
    if since == effective:
        return _reason(code, at_once, **values)
    return _reason(code, apart, since=format_instant(since), **values)


def waiting_period_not_elapsed(trigger: str, needed: int, status: str, spent: int) -> Reason:
    """The reason for a change made before *trigger*'s waiting period of *needed* days in *status* passed."""
    return _reason(
        Code.WAITING_PERIOD_NOT_ELAPSED,
        said("{trigger} needs {needed} in {status}; the case has been there {spent}"),
        trigger=_trigger(trigger),
        needed=Days(needed),
        status=Name("status", status),
        spent=Days(spent),
    )


def unknown_conflict(unknown: list[int], conflicts: Iterable[int]) -> Reason:
    """The reason for resolving entries that are not open conflicts of the case."""
    return _reason(
        Code.UNKNOWN_CONFLICT,
        said("entries {unknown} are not open conflicts of the case (open: {open})"),
        unknown=str(unknown),
        open=str(list(conflicts)),
    )


def reason_required(trigger: str) -> Reason:
    """The reason for a change of *trigger*, which needs a written reason, without one."""
    return _reason(Code.REASON_REQUIRED, said("{trigger} needs a written reason"), trigger=_trigger(trigger))


def unknown_case(case_id: str) -> Reason:
    """The reason for a change to a case that was never opened (in a batch check)."""
    return _reason(Code.UNKNOWN_CASE, said("no case {case_id} is open; open it first"), case_id=repr(case_id))


def case_exists(case_id: str) -> Reason:
    """The reason for an opening of a case that is already open (in a batch check)."""
    return _reason(Code.CASE_EXISTS, said("case {case_id} is already open"), case_id=repr(case_id))


def source_id_reused(source_id: str, seq: int) -> Reason:
    """The reason for a change under a source id that entry *seq* of the case took for another change."""
    return _reason(
        Code.SOURCE_ID_REUSED,
        said(
            "source id {source_id} is taken by entry {seq} of the case, a different change: "
            "a source id names one change"
        ),
        source_id=repr(source_id),
        seq=str(seq),
    )


DISMISSAL_NEEDS_REASON = _reason(Code.REASON_REQUIRED, said("a dismissal needs a written reason"))
"""The reason for a dismissal without a written reason."""
DISMISSAL_NEEDS_RESOLVES = _reason(
    Code.RESOLVES_REQUIRED, said("a dismissal must name the conflict entries it dismisses")
)
"""The reason for a dismissal that names no conflict."""
CONFLICT_CANNOT_RESOLVE = _reason(
    Code.RESOLVES_NOT_ALLOWED, said("a report kept as a conflict cannot resolve other conflicts")
)
"""The reason for a report, kept as a conflict, that also resolves conflicts."""
