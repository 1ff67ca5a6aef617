"""The benchmark's data: a seeded stream of changes over many cases, about a tenth of them invalid.

The generator walks each case through the default workflow the way a case
holder would (reports, confirmations, repatriations, retractions, reopenings,
corroborations, conflicting reports and their dismissals) and, with
probability ``INVALID_SHARE``, turns a change into one the workflow must refuse:
a role that may not fire the trigger (or one the workflow does not know),
evidence that is too weak or missing, a reason left out, a record dated before
the case's last entry, or a trigger that leads nowhere from the current status.

It knows which changes it spoiled, so a benchmark can check that casestate
refuses exactly those. The same seed always gives the same stream.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from casestate import AUTHORITIES, DEFAULT_WORKFLOW, DISMISS, Actor, Change, Evidence, Role, Status

SEED = 20240220
INVALID_SHARE = 0.10
T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)
ACTORS_PER_ROLE = 500

_EVERYONE = tuple(sorted(Role))
_AUTHORITIES = tuple(sorted(AUTHORITIES))
_REPATRIATORS = (Role.MINISTRY, Role.ICRC)
_DISMISSERS = (*_AUTHORITIES, Role.NGO)
# Kinds that speak for no fate, so they fit any report.
_ANY_KIND = ("video", "photo", "witness_statement", "unit_notification", "medical_record", "identity_disc")
_CONFIRM_KINDS = {
    Status.CAPTURED: ("capture_card", "icrc_confirmation", "prisoner_list"),
    Status.WOUNDED: ("icrc_confirmation", "information_bureau_notice"),
    Status.DEAD: ("dna_match", "death_certificate", "fingerprints"),
}
# The living are exchanged or released; remains are handed over.
_REPATRIATE_KINDS = {"alive": ("exchange_list", "release_list"), "dead": ("handover_record",)}
# A report contradicting a settled fate (one agreeing with it corroborates).
_CONTRADICTING = {"alive": ("report_dead",), "dead": ("report_captured", "report_wounded")}
_FATE_OF = {
    Status.MISSING: "unknown",
    Status.CAPTURED: "alive",
    Status.WOUNDED: "alive",
    Status.DEAD: "dead",
}
_REOPEN_KINDS = ("dna_match", "court_decision", "icrc_confirmation")
_REPORT_OF = {
    Status.CAPTURED: "report_captured",
    Status.WOUNDED: "report_wounded",
    Status.DEAD: "report_dead",
}
_REPORTS = tuple(_REPORT_OF.values())
# The reports that move a case on from each reported status.
_REPORTS_FROM = {
    status: tuple(
        rule.trigger
        for rule in DEFAULT_WORKFLOW.rules
        if rule.trigger in _REPORTS and status in rule.sources and rule.target != status
    )
    for status in _REPORT_OF
}
# Non-report triggers that lead nowhere from each status: the workflow refuses them outright.
_ILLEGAL = {
    status.name: tuple(
        rule.trigger for rule in DEFAULT_WORKFLOW.rules if not rule.report and status.name not in rule.sources
    )
    for status in DEFAULT_WORKFLOW.statuses
}
"""By status: the triggers that are not legal from it and not reports (which would be kept as
conflicts), read from the default workflow's rules."""
_SPOILERS = ("role", "evidence", "time", "illegal")


@dataclass(frozen=True, slots=True)
class Opening:
    """What opens one case: its id, who opens it, and both clocks."""

    case_id: str
    actor: Actor
    effective_at: datetime
    recorded_at: datetime
    salt: bytes


@dataclass(frozen=True, slots=True)
class Stream:
    """The openings, then the changes in arrival order as (case index, change) pairs."""

    openings: tuple[Opening, ...]
    changes: list[tuple[int, Change]]
    invalid: int
    """How many changes the generator spoiled (the workflow must refuse exactly these)."""
    kinds: dict[str, int]
    """How many changes of each kind: transitions, corroborations, conflicts, dismissals, invalid ones."""


@dataclass(slots=True)
class _Walk:
    """The generator's own view of one case, enough to know what is legal next."""

    status: str
    recorded: datetime
    clock: datetime
    entries: int = 1
    conflicts: tuple[int, ...] = ()
    """The open conflicts a dismissal may name: those kept since the case was last confirmed."""
    fate: str = "unknown"
    before: list[tuple[str, str]] = field(default_factory=list)
    """The live periods before the current one, as (status, fate): a retraction resumes the last."""


class _Maker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.actors = {
            role: tuple(Actor(f"{role}-{number:03d}", role) for number in range(ACTORS_PER_ROLE))
            for role in (*_EVERYONE, "journalist")
        }
        self.references = 0

    def actor(self, roles: tuple[str, ...]) -> Actor:
        return self.rng.choice(self.actors[self.rng.choice(roles)])

    def evidence(self, kinds: tuple[str, ...], when: datetime) -> list[Evidence]:
        self.references += 1
        kind = self.rng.choice(kinds)
        return [Evidence(kind, f"ref/{kind}/{self.references}", f"source of {kind}", when)]

    def valid(self, walk: _Walk) -> tuple[str, dict[str, object]]:  # noqa: PLR0911 - one branch a move
        """A change the workflow accepts, as (kind of entry, Change fields)."""
        rng = self.rng
        status = walk.status
        when = walk.clock
        if status == Status.MISSING:
            return "transition", self._report(rng.choice(_REPORTS), when)
        if status in _REPORT_OF:
            pick = rng.random()
            if pick < 0.15:
                return "corroboration", self._report(_REPORT_OF[status], when)
            if pick < 0.35 and _REPORTS_FROM[status]:
                return "transition", self._report(rng.choice(_REPORTS_FROM[status]), when)
            if pick < 0.45:
                return "transition", {
                    "trigger": "retract",
                    "actor": self.actor(_AUTHORITIES),
                    "reason": "the report could not be confirmed",
                }
            if pick < 0.6 and status != Status.DEAD:
                return "transition", {
                    "trigger": "repatriate",
                    "actor": self.actor(_REPATRIATORS),
                    "evidence": self.evidence(_REPATRIATE_KINDS[walk.fate], when),
                }
            return "transition", {
                "trigger": "confirm",
                "actor": self.actor(_AUTHORITIES),
                "evidence": self.evidence(_CONFIRM_KINDS[status], when),
            }
        # confirmed or repatriated
        pick = rng.random()
        if walk.conflicts and pick < 0.5:
            return "dismissal", {
                "trigger": DISMISS,
                "actor": self.actor(_DISMISSERS),
                "reason": "checked against the official list",
                "resolves": walk.conflicts,
            }
        if pick < 0.3:
            return "conflict", self._report(rng.choice(_CONTRADICTING[walk.fate]), when)
        if pick < 0.6 and status == Status.CONFIRMED:
            return "transition", {
                "trigger": "repatriate",
                "actor": self.actor(_REPATRIATORS),
                "evidence": self.evidence(_REPATRIATE_KINDS[walk.fate], when),
            }
        return "transition", {
            "trigger": "reopen",
            "actor": self.actor(_AUTHORITIES),
            "evidence": self.evidence(_REOPEN_KINDS, when),
            "reason": "the finding was shown wrong",
        }

    def _report(self, trigger: str, when: datetime) -> dict[str, object]:
        return {
            "trigger": trigger,
            "actor": self.actor(_EVERYONE),
            "evidence": self.evidence(_ANY_KIND, when),
        }

    def spoil(self, walk: _Walk, fields: dict[str, object]) -> dict[str, object]:
        """*fields* turned into a change the workflow must refuse."""
        rng = self.rng
        how = rng.choice(_SPOILERS)
        trigger = fields["trigger"]
        if how == "role":
            # Reports are open to every known role, and a retraction to whoever made the
            # report: only a role the workflow does not know is sure to be refused.
            roles = ("journalist",) if trigger in (*_REPORTS, "retract") else (Role.FAMILY, "journalist")
            return {**fields, "actor": self.actor(roles)}
        if how == "evidence":
            if trigger in _REPORTS:
                return {**fields, "evidence": []}
            if trigger in ("retract", DISMISS):
                return {**fields, "reason": None}
            return {**fields, "evidence": self.evidence(("video", "witness_statement"), walk.clock)}
        if how == "time":
            return {**fields, "recorded_at": walk.recorded - timedelta(days=1)}
        trigger = rng.choice(_ILLEGAL[walk.status])
        return {
            "trigger": trigger,
            "actor": self.actor((Role.MINISTRY, Role.ICRC)),
            "evidence": self.evidence(("icrc_confirmation",), walk.clock),
            "reason": "an official notice",
        }


def generate(cases: int = 100_000, changes: int = 1_000_000, seed: int = SEED) -> Stream:
    """The stream: *cases* openings and *changes* changes, spread evenly over the cases.

    Changes arrive in rounds (every case's first change, then every case's
    second, ...), shuffled within each round, so cases interleave as they do
    in a real case database.
    """
    maker = _Maker(seed)
    rng = maker.rng
    openings = []
    walks = []
    for number in range(cases):
        effective = T0 + timedelta(seconds=rng.randrange(86_400 * 90))
        recorded = effective + timedelta(hours=rng.randrange(1, 24 * 30))
        actor = maker.actor(_EVERYONE)
        openings.append(Opening(f"case-{number:06d}", actor, effective, recorded, rng.randbytes(16)))
        walks.append(_Walk(Status.MISSING, recorded, recorded))
    per_case, extra = divmod(changes, cases)
    order = list(range(cases))
    stream: list[tuple[int, Change]] = []
    kinds: dict[str, int] = {}
    invalid = 0
    for round_number in range(per_case + (1 if extra else 0)):
        rng.shuffle(order)
        chosen = order if round_number < per_case else order[:extra]
        for index in chosen:
            walk = walks[index]
            walk.clock += timedelta(days=rng.randrange(1, 15), seconds=rng.randrange(86_400))
            kind, fields = maker.valid(walk)
            if rng.random() < INVALID_SHARE:
                fields = maker.spoil(walk, fields)
                kind = "invalid"
                invalid += 1
            recorded_at: datetime = fields.pop("recorded_at", walk.clock)  # type: ignore[assignment]
            change = Change(
                effective_at=recorded_at - timedelta(hours=rng.randrange(12)),
                recorded_at=recorded_at,
                salt=rng.randbytes(16),
                **fields,  # type: ignore[arg-type]
            )
            stream.append((index, change))
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind != "invalid":
                _advance(walk, kind, change)
    return Stream(tuple(openings), stream, invalid, kinds)


def _advance(walk: _Walk, kind: str, change: Change) -> None:
    seq = walk.entries
    walk.entries += 1
    walk.recorded = change.recorded_at
    if kind == "transition" and change.trigger == "retract":
        # A withdrawal resumes the period before the report withdrawn, as it stood.
        walk.status, walk.fate = walk.before.pop()
    elif kind == "transition" and change.trigger == "reopen":
        # A reopening resumes the latest missing period, the ones since void. The conflicts kept
        # against the finding stay open, but a later move may make them agree (a capture video of
        # a man reported dead, once a capture is reported again): the stream dismisses them no more.
        while walk.status != Status.MISSING:
            walk.status, walk.fate = walk.before.pop()
        walk.conflicts = ()
    elif kind == "transition":
        walk.before.append((walk.status, walk.fate))
        walk.status = _TARGET[change.trigger]
        # confirmed and repatriated keep the fate they were entered with
        walk.fate = _FATE_OF.get(walk.status, walk.fate)
    elif kind == "conflict":
        walk.conflicts = (*walk.conflicts, seq)
    elif kind == "dismissal":
        walk.conflicts = ()


_TARGET = {
    "report_captured": Status.CAPTURED,
    "report_wounded": Status.WOUNDED,
    "report_dead": Status.DEAD,
    "confirm": Status.CONFIRMED,
    "repatriate": Status.REPATRIATED,
}
