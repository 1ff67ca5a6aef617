"""PFIF in: persons become cases, notes become reports, and every choice is reported."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs

from casestate import (
    DEFAULT_WORKFLOW,
    Actor,
    BrokenTrail,
    Case,
    ChainKeyError,
    Change,
    Code,
    Evidence,
    EvidenceKind,
    Fate,
    FormatError,
    Outcome,
    Problem,
    Rejected,
    Role,
    Workflow,
    from_json,
    unique_keys,
)
from casestate.chain import check_key
from casestate.instants import to_utc

from ._export import person_record_id
from ._model import (
    DOMAIN,
    FATE_OF_STATUS,
    PERSON_DETAILS,
    RECORD_ID,
    SOURCE_DATE_OPTIONAL,
    STATUSES,
    Note,
    Person,
    PfifError,
    format_date,
    parse_date,
)
from ._report import Imported, ImportReport, NoteOutcome, NoteResult, Origin, Skipped
from ._xml import MAX_BYTES, PersonRecord, Record, parse

EvidenceFor = Callable[[Note], Iterable[Evidence]]
"""A function that says what evidence a note rests on, for sources an app knows better."""

ActorFor = Callable[[Note], Actor]
"""A function that says who wrote a note, in which role, for sources an app knows better."""


@attrs.frozen(kw_only=True)
class _Policy:
    workflow: Workflow
    recorded_at: datetime
    role: str
    key: bytes | None
    alive_trigger: str | None
    life_trigger: str | None
    dead_trigger: str
    evidence: EvidenceFor | None
    actor: ActorFor | None
    cases: Mapping[str, Case]
    allow_redacted: bool
    trust_plain: bool
    trusted_domains: frozenset[str] | None


def from_pfif(
    data: bytes | str,
    *,
    recorded_at: datetime,
    workflow: Workflow = DEFAULT_WORKFLOW,
    role: str = Role.NGO,
    key: bytes | None = None,
    alive_trigger: str | None = "report_captured",
    life_trigger: str | None = None,
    dead_trigger: str = "report_dead",
    evidence: EvidenceFor | None = None,
    actor: ActorFor | None = None,
    cases: Mapping[str, Case] | None = None,
    trusted_domains: Collection[str] | None = None,
    strict: bool = False,
    allow_redacted: bool = False,
    trust_plain: bool = False,
    max_bytes: int = MAX_BYTES,
) -> ImportReport:
    """Read a PFIF 1.2, 1.3 or 1.4 document into cases, and report what became of every record.

    - A person written by casestate (its trail rides along in casestate's
      extension) is rebuilt exactly as it was, if its chain proves who wrote
      it: sealed with *key* (and verified with it), or, without *key* and
      with *trust_plain*, a plain chain, verified. Any other trail proves
      nothing (anyone can compute a plain chain), so it is not restored: the
      person opens a new case, as any other's does, its notes are taken as
      reports like any other notes, and :attr:`ImportReport.skipped` says why.
    - Any other person opens a new case, ``<person_record_id>``, in the
      workflow's initial status, effective at its earliest date (as of
      *recorded_at* for a PFIF 1.2 person that gives none, as 1.2 allows).
    - A note whose status reports a fate becomes a report: *alive_trigger*
      for ``believed_alive``, *dead_trigger* for ``believed_dead``, or the
      report of the case's own status when it agrees. The workflow decides:
      a transition, a corroboration, or a conflict entry when it contradicts
      the case. The report is made by ``Actor(<author_name>, role)`` (or
      whom *actor* names) with tier 4 evidence (``other``, referring to the
      note) unless *evidence* says better.
    - A ``believed_missing`` note withdraws what the case holds when the
      workflow lets its author do so (a retraction by the reporter, or by
      an authority, a reopening with the evidence it needs): the first
      move the workflow makes available to the author that leads back to
      an unknown fate, and that the workflow accepts. Otherwise it is the
      workflow's report of a missing person (``report_missing`` by
      default): a corroboration of a missing case, a conflict elsewhere.
    - A note written by the person (``is_note_author``), or by someone who
      was in contact with them (``author_made_contact`` true, with no
      status or ``information_sought``), says the person is alive and
      nothing of where: *life_trigger* if given; otherwise it is kept as
      evidence of life beside the case (:attr:`Imported.evidence_of_life`),
      as the default workflow has no move for alive without custody. So is
      ``believed_alive`` with *alive_trigger* ``None``.
    - A note with no status or ``information_sought`` is kept as information.
    - *cases* are the cases the case holder already has, by PFIF
      ``person_record_id``: notes about them are applied to them, and notes
      already on their trails are skipped.
    - A person whose ``expiry_date`` is past at *recorded_at* is not taken,
      nor its notes: PFIF asks that an expired record keep no personal data.
    - With *trusted_domains*, a record whose id is of any other domain is
      skipped and reported (list your own, for your records sent back).

    *recorded_at* is when the case holder takes the document in: casestate
    reads no clock. *key* is the case holder's chain key: new cases are
    sealed with it, chains sealed with it are verified and extended with it,
    and no plain chain is restored (an existing case's plain chain, passed in
    *cases*, stays plain). *trust_plain* restores plain chains: pass it,
    without *key*, only for a document your app knows comes from you or a
    sender it authenticates by other means (your own backup, a signed or
    authenticated channel). A redacted
    casestate trail (from ``to_pfif(..., redacted=True)``) is restored only
    with *allow_redacted*, as ``casestate.from_dict`` does.

    Nothing is imported in part: a document that cannot be read raises
    :class:`PfifError` and yields nothing; a case is built whole or skipped
    whole; with *strict*, any skipped record refuses the whole document.
    """
    # The caller's own values are checked once, here: later, a fault is a person's.
    _check_caller(role, key, trust_plain=trust_plain)
    policy = _Policy(
        workflow=workflow,
        recorded_at=_aware(recorded_at),
        role=role,
        key=key,
        alive_trigger=alive_trigger,
        life_trigger=life_trigger,
        dead_trigger=dead_trigger,
        evidence=evidence,
        actor=actor,
        cases=cases or {},
        allow_redacted=allow_redacted,
        trust_plain=trust_plain,
        trusted_domains=None if trusted_domains is None else _domains(trusted_domains),
    )
    for trigger in (alive_trigger, life_trigger, dead_trigger):
        if trigger is not None:
            workflow.rule(trigger)
    document = parse(data, max_bytes=max_bytes)
    run = _Run(policy, document.version)
    loose: dict[str, list[Record]] = {}
    for note in document.notes:
        owner = note.fields.get("person_record_id")
        if owner is None:
            run.skip(note.position, "a note outside a person must name its person_record_id")
        else:
            loose.setdefault(owner, []).append(note)
    for person in document.persons:
        run.person(person, loose)
    for owner, notes in loose.items():
        existing = run.policy.cases.get(owner)
        if existing is not None:
            run.update(owner, existing, None, run.distinct_notes(owner, notes))
            continue
        for note in notes:
            run.skip_note(note, owner, f"its person {owner!r} is neither in this document nor a known case")
    report = ImportReport(document.version, tuple(run.imported), tuple(run.notes), tuple(run.skipped))
    if strict and report.skipped:
        listed = "; ".join(f"{item.record}: {item.reason}" for item in report.skipped)
        raise PfifError(f"refused (strict): {len(report.skipped)} records would be skipped: {listed}")
    return report


def _check_caller(role: str, key: bytes | None, *, trust_plain: bool) -> None:
    """Refuse a role, a key or a trust that cannot be the case holder's, before any record is read."""
    # Not mutated: any actor id does: only the role is checked.
    Actor("pfif", role)  # pragma: no mutate
    if not isinstance(trust_plain, bool):
        msg = f"trust_plain must be True or False, not {trust_plain!r}"
        raise TypeError(msg)
    if key is not None:
        check_key(key)
        if trust_plain:
            msg = "trust_plain restores plain chains, which key= refuses: pass one or the other"
            raise ValueError(msg)


def _domains(given: Collection[str]) -> frozenset[str]:
    """The trusted domains as record ids spell them; a clear error for anything else."""
    if isinstance(given, str):
        msg = f"trusted_domains must be a collection of domain names, not the string {given!r}"
        raise TypeError(msg)
    domains = set()
    for domain in given:
        if not isinstance(domain, str) or not DOMAIN.match(domain):
            msg = f"trusted_domains must hold domain names such as ngo.example.org, got {domain!r}"
            raise ValueError(msg)
        domains.add(_domain_key(domain))
    return frozenset(domains)


def _domain_key(domain: str) -> str:
    """A domain as compared: letters in any case, a final dot or none, are the same domain."""
    # Not mutated: both sides of the comparison go through it, so upper case compares alike.
    return domain.lower().removesuffix(".")  # pragma: no mutate


def _aware(when: datetime) -> datetime:
    if not isinstance(when, datetime) or when.utcoffset() is None:
        msg = f"recorded_at must be a timezone-aware datetime, got {when!r}"
        raise ValueError(msg)
    return to_utc(when, "recorded_at")


class _Run:
    """The state of one import: what has been made so far, and what was skipped."""

    def __init__(self, policy: _Policy, version: str) -> None:
        self.policy = policy
        self.version = version
        self.imported: list[Imported] = []
        self.notes: list[NoteResult] = []
        self.skipped: list[Skipped] = []
        self.person_ids: set[str] = set()
        self.note_ids: set[str] = set()

    def skip(self, record: str, reason: str, codes: tuple[Code, ...] = ()) -> None:
        self.skipped.append(Skipped(record, reason, codes))

    def skip_note(self, note: Record, owner: str, reason: str, codes: tuple[Code, ...] = ()) -> None:
        note_id = note.fields.get("note_record_id", note.position)
        self.notes.append(NoteResult(note_id, owner, NoteOutcome.SKIPPED, reason, codes))
        self.skip(f"note {note_id}", reason, codes)

    def skip_person(
        self, label: str, reason: str, notes: list[Record], owner: str, codes: tuple[Code, ...] = ()
    ) -> None:
        """Skip a person whole: the person, and every note about it."""
        self.skip(label, reason, codes)
        for note in notes:
            self.skip_note(note, owner, "its person was skipped")

    def person(self, person: PersonRecord, loose: dict[str, list[Record]]) -> None:
        fields = person.record.fields
        person_id = fields.get("person_record_id")
        if person_id is None or not RECORD_ID.match(person_id):
            reason = f"person_record_id {person_id!r} is not domain/local-id"
            self.skip_person(person.record.position, reason, list(person.notes), person.record.position)
            return
        notes = list(person.notes) + loose.pop(person_id, [])
        if person_id in self.person_ids:
            reason = "a person of this id came earlier in the document"
            self.skip_person(f"person {person_id}", reason, notes, person_id)
            return
        self.person_ids.add(person_id)
        existing = self.policy.cases.get(person_id)
        if not self.trusts(person_id):
            self.skip(f"person {person_id}", self.untrusted(person_id))
            if existing is not None:  # the case holder's own case: trusted notes about it still count
                self.update(person_id, existing, None, self.distinct_notes(person_id, notes))
            else:
                for note in notes:
                    self.skip_note(note, person_id, "its person was skipped (not of a trusted domain)")
            return
        expired = self.expired(fields)
        if expired is not None:
            self.skip_person(f"person {person_id}", expired, notes, person_id)
            return
        details = self.details(person_id, fields)
        if details is None:
            reason = "it has no full_name (nor given and family names)"
            self.skip_person(f"person {person_id}", reason, notes, person_id)
            return
        kept = self.distinct_notes(person_id, notes)
        if existing is not None:
            self.update(person_id, existing, details, kept)
        elif person.record.extension is not None:
            self.restore(person_id, person.record, details, kept)
        else:
            self.build(person_id, fields, details, kept)

    def trusts(self, record_id: str) -> bool:
        """Whether *record_id* is of a domain the case holder trusts (any, without a list)."""
        trusted = self.policy.trusted_domains
        return trusted is None or _domain_key(record_id.split("/", 1)[0]) in trusted

    @staticmethod
    def untrusted(record_id: str) -> str:
        return f"its domain {record_id.split('/', 1)[0]!r} is not one of the trusted domains"

    def expired(self, fields: Mapping[str, str]) -> str | None:
        """Why a person record may not be taken for its expiry date, or ``None``: it may."""
        text = fields.get("expiry_date")
        if text is None:
            return None
        try:
            expiry = parse_date(text)
        except ValueError as error:
            return f"its expiry_date cannot be read ({error}), so whether its data may be kept is unknown"
        if expiry > self.policy.recorded_at:
            return None
        return (
            f"its record expired at {format_date(expiry)} (expiry_date): PFIF asks that an expired "
            "record keep no personal data, so nothing of it is taken"
        )

    def details(self, person_id: str, fields: Mapping[str, str]) -> Person | None:
        """The person's details; a value PFIF does not allow is left out and reported."""
        values = {name: fields[name] for name in PERSON_DETAILS if name in fields}
        if "full_name" not in values:
            given = " ".join(fields[name] for name in ("given_name", "family_name") if name in fields)
            if not given:
                return None
            values["full_name"] = given
        # Not mutated: given_name has no format, and XML text no character XML cannot carry.
        for name in PERSON_DETAILS[1:]:  # pragma: no mutate
            if name in values:
                try:
                    Person(values["full_name"], **{name: values[name]})
                except ValueError as error:
                    self.skip(f"person {person_id}, field {name}", f"{error}; left out")
                    del values[name]
        return Person(**values)

    def distinct_notes(self, person_id: str, notes: list[Record]) -> list[Record]:
        kept = []
        for note in notes:
            note_id = note.fields.get("note_record_id")
            owner = note.fields.get("person_record_id", person_id)
            if note_id is None or not RECORD_ID.match(note_id):
                self.skip_note(note, person_id, f"note_record_id {note_id!r} is not domain/local-id")
            elif not self.trusts(note_id):
                self.skip_note(note, person_id, self.untrusted(note_id))
            elif note_id in self.note_ids:
                self.skip_note(note, person_id, "a note of this id came earlier in the document")
            elif owner != person_id:
                self.skip_note(note, person_id, f"it names another person, {owner!r}")
            else:
                self.note_ids.add(note_id)
                kept.append(note)
        return kept

    # -- casestate's own cases ---------------------------------------------

    def restore(self, person_id: str, record: Record, person: Person, notes: list[Record]) -> None:
        """Rebuild a case casestate exported, then take any notes others added as reports."""
        own = [note for note in notes if note.extension is not None]
        others = [note for note in notes if note.extension is None]
        try:
            case = self.replay_extension(record, own)
        except _Unproved as unproved:
            # What a trail that proves nothing says is worth what any other repository's notes are.
            reason = f"its casestate trail was not restored: {unproved}; its notes were taken as reports"
            self.skip(f"person {person_id}, casestate trail", reason)
            self.build(person_id, record.fields, person, notes)
            return
        except (FormatError, BrokenTrail, ChainKeyError, ValueError) as error:
            reason = f"its casestate trail cannot be restored: {error}"
            self.skip_person(f"person {person_id}", reason, notes, person_id)
            return
        # Not mutated: the first part of a split is the same whatever the count of splits.
        domain = person_id.split("/", 1)[0]  # pragma: no mutate
        # As the reader strips an id's text: a case id may end in a space.
        if person_record_id(domain, case.id).strip() != person_id:
            # A copied record whose id was changed: the trail is another person's.
            reason = f"its casestate trail belongs to case {case.id!r}, whose record id is not {person_id!r}"
            self.skip_person(f"person {person_id}", reason, notes, person_id)
            return
        for note in own:
            self.notes.append(
                NoteResult(note.fields["note_record_id"], person_id, NoteOutcome.RESTORED, "casestate entry")
            )
        case, information, life = self.take_notes(case, person_id, others)
        self.imported.append(Imported(person_id, case, person, information, Origin.RESTORED, life))

    def update(self, person_id: str, case: Case, person: Person | None, notes: list[Record]) -> None:
        """Apply the notes to a case the case holder already has; notes it already holds are skipped."""
        known = {entry.hash for entry in case.trail}
        fresh = []
        for note in notes:
            if _entry_hash(note) in known:
                self.skip_note(note, person_id, "already on the case (the same casestate entry)")
            else:
                fresh.append(note)
        case, information, life = self.take_notes(case, person_id, fresh)
        self.imported.append(Imported(person_id, case, person, information, Origin.EXISTING, life))

    def replay_extension(self, record: Record, own: list[Record]) -> Case:
        """The case casestate exported, read back as ``casestate.from_json`` reads any case.

        The person's attribute holds the document's header, the head of the
        chain and the number of entries; each note's attribute holds one
        entry. Put back together, they are read as strictly as any casestate
        JSON document, and the head catches a note cut from the end.

        Raises :class:`_Unproved` for a trail that does not prove who wrote it.
        """
        # Not mutated: the extension is never None here, and "" is no more JSON than any other text.
        header = _object(record.extension or "", "the case attribute")  # pragma: no mutate
        head, count = header.pop("head", None), header.pop("entry_count", None)
        if not isinstance(head, str) or not isinstance(count, int):
            msg = "the case attribute is not casestate's"
            raise FormatError(msg)
        entries = sorted(
            ((_object(note.extension or "", note.position), note.extension or "") for note in own),
            key=lambda pair: _seq(pair[0]),
        )
        if count != len(entries):
            msg = f"{count} entries announced, {len(entries)} found"
            raise FormatError(msg)
        if not self.policy.allow_redacted and any("private" not in data for data, _ in entries):
            msg = "the trail is redacted (exported with redacted=True); pass allow_redacted=True to take it"
            raise FormatError(msg)
        text = json.dumps(header)[:-1] + ', "entries": [' + ",".join(raw for _, raw in entries) + "]}"
        try:
            case = from_json(text, key=self.policy.key, head=head, allow_redacted=self.policy.allow_redacted)
        except BrokenTrail as broken:
            why = None if broken.integrity.problem is None else _UNPROVED.get(broken.integrity.problem)
            if why is None:
                raise
            raise _Unproved(why) from None
        if not case.keyed and not self.policy.trust_plain:
            raise _Unproved(_UNPROVED_PLAIN)
        return case

    # -- notes from other repositories ------------------------------------

    def build(self, person_id: str, fields: Mapping[str, str], person: Person, notes: list[Record]) -> None:
        """Open a new case for a person another repository wrote, then take its notes."""
        dates = [self.date(fields, name) for name in ("source_date", "entry_date")]
        dates += [self.date(note.fields, "source_date") for note in notes]
        known = [date for date in dates if date is not None]
        if not known and self.version in SOURCE_DATE_OPTIONAL:
            known = [self.policy.recorded_at]  # PFIF 1.2 makes source_date optional: as of when it came in
        if not known:
            reason = "it has no valid source_date, and no note gives a date"
            self.skip_person(f"person {person_id}", reason, notes, person_id)
            return
        opener = fields.get("author_name") or fields.get("source_name") or person_id.split("/", maxsplit=1)[0]
        try:
            case = self.policy.workflow.open(
                person_id,
                actor=Actor(opener, self.policy.role),
                effective_at=min(known),
                recorded_at=self.policy.recorded_at,
                reason=f"opened from PFIF person record {person_id}",
                key=self.policy.key,
            )
        except Rejected as rejected:
            reasons = "; ".join(reason.message for reason in rejected.reasons)
            reason = f"cannot open a case: {reasons}"
            self.skip_person(f"person {person_id}", reason, notes, person_id, rejected.verdict.codes)
            return
        except ValueError as error:  # this person's id or name cannot be a case's (role and key were checked)
            self.skip_person(f"person {person_id}", f"cannot open a case: {error}", notes, person_id)
            return
        case, information, life = self.take_notes(case, person_id, notes)
        self.imported.append(Imported(person_id, case, person, information, Origin.OPENED, life))

    @staticmethod
    def date(fields: Mapping[str, str], name: str) -> datetime | None:
        try:
            return parse_date(fields[name])
        except (KeyError, ValueError):
            return None

    def take_notes(
        self, case: Case, person_id: str, records: list[Record]
    ) -> tuple[Case, tuple[Note, ...], tuple[Note, ...]]:
        """Apply the notes in the order they were written.

        Returns the case, the notes kept as information, and those kept as evidence of life.
        """
        notes = []
        for record in records:
            note = self.note(record, person_id)
            if note is not None:
                notes.append(note)
        notes.sort(key=lambda note: note.source_date)
        kept: dict[NoteOutcome, list[Note]] = {NoteOutcome.INFORMATION: [], NoteOutcome.EVIDENCE_OF_LIFE: []}
        for note in notes:
            case, outcome = self.take(case, note)
            if outcome in kept:
                kept[outcome].append(note)
        return case, tuple(kept[NoteOutcome.INFORMATION]), tuple(kept[NoteOutcome.EVIDENCE_OF_LIFE])

    def note(self, record: Record, person_id: str) -> Note | None:
        fields = record.fields
        problem = None
        source_date = self.date(fields, "source_date")
        status = fields.get("status")
        contact = fields.get("author_made_contact")
        if "author_name" not in fields:
            problem = "it has no author_name"
        elif source_date is None:
            problem = f"source_date {fields.get('source_date')!r} is not a PFIF date"
        elif status is not None and status not in STATUSES:
            problem = f"status {status!r} is not one of {', '.join(sorted(STATUSES))}"
        elif contact is not None and contact not in ("true", "false"):
            problem = f"author_made_contact {contact!r} is not true or false"
        elif status == "is_note_author" and contact != "true" and self.version == "1.4":
            problem = "status is_note_author needs author_made_contact true"
        if problem is not None or source_date is None:
            self.skip_note(record, person_id, problem or "")
            return None
        return Note(
            note_record_id=fields["note_record_id"],
            person_record_id=person_id,
            author_name=fields["author_name"],
            source_date=source_date,
            text=fields.get("text"),
            status=status,
            author_made_contact=None if contact is None else contact == "true",
            entry_date=self.date(fields, "entry_date"),
            linked_person_record_id=fields.get("linked_person_record_id"),
            last_known_location=fields.get("last_known_location"),
            author_email=fields.get("author_email"),
            author_phone=fields.get("author_phone"),
            email_of_found_person=fields.get("email_of_found_person"),
            phone_of_found_person=fields.get("phone_of_found_person"),
        )

    def reports(self, case: Case, note: Note, author: Actor) -> tuple[list[str], NoteOutcome, str]:
        """The reports *note* may make of *case*, in the order they are tried.

        With none, the note is kept: as information or as evidence of life,
        and the text says why.
        """
        policy = self.policy
        status = note.status or ""
        named = {
            name: trigger
            for name, trigger in (
                ("believed_alive", policy.alive_trigger),
                ("believed_dead", policy.dead_trigger),
            )
            if trigger is not None
        }
        # Alive, and nothing said of where: the person wrote, someone spoke with him, or was told.
        if (status in ("believed_alive", "is_note_author") and status not in named) or (
            note.author_made_contact is True and status in ("", "information_sought")
        ):
            return self.life(case)
        claimed = FATE_OF_STATUS.get(status)
        if claimed is None:
            return [], NoteOutcome.INFORMATION, f"{status or 'no status'}: kept as information"
        if claimed is case.fate:
            # The report of the case's own status: a corroboration.
            for rule in policy.workflow.rules:
                if rule.report and rule.target == case.status:
                    # Not mutated: a note with a trigger is told by its change; this text is never read.
                    return [rule.trigger], NoteOutcome.INFORMATION, ""  # pragma: no mutate
            why = f"{status} agrees with the case ({case.status}, fate {case.fate}); kept as information"
            return [], NoteOutcome.INFORMATION, why
        if status == "believed_missing":
            # First the moves open to this author that lead back to an unknown fate (withdrawals),
            # then the report that he is missing, which the workflow keeps as a conflict.
            withdrawals = [
                option.trigger
                for option in policy.workflow.available(case, author)
                if option.outcome is Outcome.TRANSITION and option.fate is Fate.UNKNOWN
            ]
            why = (
                "believed_missing: no move open to its author withdraws the case's status, and the "
                "workflow has no report of a missing person; kept as information"
            )
            return withdrawals + self.missing_reports[:1], NoteOutcome.INFORMATION, why
        # Not mutated: as above, a text never read.
        return [named[status]], NoteOutcome.INFORMATION, ""  # pragma: no mutate

    def life(self, case: Case) -> tuple[list[str], NoteOutcome, str]:
        """What a note that says the person is alive, and nothing of where, makes of *case*."""
        if self.policy.life_trigger is not None:
            # Not mutated: a note with a trigger is told by its change; this text is never read.
            return [self.policy.life_trigger], NoteOutcome.EVIDENCE_OF_LIFE, ""  # pragma: no mutate
        why = (
            "alive, and nothing says where: no move of the workflow says only that (pass "
            "life_trigger= for one that does); kept as evidence of life"
        )
        if case.fate is Fate.DEAD:
            why += f", against the case's fate {case.fate} (review it)"
        return [], NoteOutcome.EVIDENCE_OF_LIFE, why

    def author(self, note: Note) -> Actor:
        """Who wrote *note*: whom the app's *actor* names, or the author in the importer's role."""
        if self.policy.actor is not None:
            author = self.policy.actor(note)
            if not isinstance(author, Actor):
                msg = f"actor must give an Actor, not {type(author).__name__}"
                raise TypeError(msg)
            return author
        return Actor(note.author_name, self.policy.role)

    def take(self, case: Case, note: Note) -> tuple[Case, NoteOutcome]:
        """*case* with *note* applied, and what became of the note."""
        reference = _reference(note.note_record_id)
        for entry in case.trail:
            if any(item.reference == reference for item in entry.evidence):
                self.skip_note(
                    _as_record(note), note.person_record_id, f"already on the case (entry {entry.seq})"
                )
                return case, NoteOutcome.SKIPPED
        try:
            author = self.author(note)
            triggers, kept, why = self.reports(case, note, author)
            evidence = tuple(self.policy.evidence(note)) if self.policy.evidence is not None else ()
            changes = [
                Change(
                    trigger=trigger,
                    actor=author,
                    effective_at=note.source_date,
                    recorded_at=self.policy.recorded_at,
                    evidence=evidence or (self.tier_four(note),),
                    reason=note.text,
                )
                for trigger in triggers
            ]
        except (TypeError, ValueError) as error:
            self.skip_note(_as_record(note), note.person_record_id, f"cannot make a report of it: {error}")
            return case, NoteOutcome.SKIPPED
        if not changes:
            self.notes.append(NoteResult(note.note_record_id, note.person_record_id, kept, why))
            return case, kept
        for change in changes:
            verdict = self.policy.workflow.check(case, change)
            if verdict.outcome is not Outcome.REJECTED:
                break
        if verdict.outcome is Outcome.REJECTED:
            reasons = "; ".join(reason.message for reason in verdict.reasons)
            self.skip_note(
                _as_record(note), note.person_record_id, f"{change.trigger} refused: {reasons}", verdict.codes
            )
            return case, NoteOutcome.SKIPPED
        outcome = NoteOutcome(verdict.outcome.value)
        detail = f"{change.trigger}: {', '.join(verdict.codes) or outcome.value}"
        try:
            updated = self.policy.workflow.apply(case, change, key=self.policy.key if case.keyed else None)
        except ChainKeyError as error:
            self.skip_note(_as_record(note), note.person_record_id, str(error))
            return case, NoteOutcome.SKIPPED
        self.notes.append(
            NoteResult(note.note_record_id, note.person_record_id, outcome, detail, verdict.codes)
        )
        return updated, outcome

    @functools.cached_property
    def missing_reports(self) -> list[str]:
        """The workflow's reports of a missing person: the reports that leave the fate unknown."""
        workflow = self.policy.workflow
        return [
            rule.trigger
            for rule in workflow.rules
            if rule.report and (rule.fate or workflow.status(rule.target).fate) is Fate.UNKNOWN
        ]

    def tier_four(self, note: Note) -> Evidence:
        """What a note from another repository is worth by itself: unverified, tier 4."""
        return Evidence(
            EvidenceKind.OTHER, _reference(note.note_record_id), note.author_name, self.policy.recorded_at
        )


class _Unproved(Exception):
    """A casestate trail whose chain proves neither the case holder's key nor a trusted sender."""


_UNPROVED = {
    Problem.NOT_SEALED: "its chain is plain (sealed with no key), which anyone can compute; key= was given",
    Problem.KEY_REQUIRED: "its chain is sealed with a key, and no key= was given",
    Problem.WRONG_KEY: "its chain is sealed with another key than key=",
}
_UNPROVED_PLAIN = (
    "its chain is plain (sealed with no key), which anyone can compute, so it does not prove who wrote "
    "it (pass trust_plain=True only for a sender you authenticate otherwise)"
)


def _reference(note_record_id: str) -> str:
    """The evidence reference of a note taken from PFIF; it tells a note already taken."""
    return f"PFIF note {note_record_id}"


def _seq(entry: dict[str, Any]) -> int:
    """An entry's place in the trail; a missing or bad one sorts first and is named by the reader."""
    seq = entry.get("seq")
    return seq if isinstance(seq, int) else -1


def _object(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except FormatError as error:
        raise FormatError(f"{where}: {error}") from None
    except (ValueError, RecursionError):
        raise FormatError(f"{where}: not JSON") from None
    if not isinstance(data, dict):
        raise FormatError(f"{where}: not a JSON object")
    return data


def _entry_hash(note: Record) -> str | None:
    if note.extension is None:
        return None
    try:
        data = json.loads(note.extension, object_pairs_hook=unique_keys)
    except (ValueError, RecursionError):  # a FormatError too: a key twice is no hash to go by
        return None
    value = data.get("hash") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _as_record(note: Note) -> Record:
    # Not mutated: skip_note reads the id from the fields, or else from the position, and both hold it.
    return Record({"note_record_id": note.note_record_id}, None, note.note_record_id)  # pragma: no mutate
