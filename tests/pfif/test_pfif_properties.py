"""Any case the default workflow can reach, with any details, comes back equal from PFIF."""

from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from casestate import DISMISS, Case, Change, Evidence, EvidenceKind, Outcome, Role, redact
from casestate.pfif import Person, from_pfif, to_pfif
from pfif_rules import pfif_problems
from support import WORKFLOW, actor, day

# Any text XML can carry: no surrogates, no control characters but tabs and line ends.
# (surrogates, control characters but tabs and line ends, and unassigned code points, which
# include U+FFFE and U+FFFF, are out).
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn"), include_characters="\t\n\r"), max_size=30)
NAME = st.builds(str.__add__, st.characters(categories=("L", "N")), TEXT)
KEY = b"another chain key, sixteen+ bytes"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    keyed = draw(st.booleans())
    key = KEY if keyed else None
    case = WORKFLOW.open(
        draw(st.sampled_from(["ua-1", "case/7", "ngo.example.org/x-1"])),
        actor=actor(draw(st.sampled_from(list(Role)))),
        effective_at=day(0),
        recorded_at=day(1),
        reason=draw(st.none() | TEXT),
        key=key,
    )
    on = 1.0
    for _ in range(draw(st.integers(2, 10))):
        on += draw(st.floats(0, 40))
        late = draw(st.sampled_from([0, 0, 0, 2.5, 30]))
        trigger = draw(st.sampled_from(WORKFLOW.triggers))
        roles = sorted(WORKFLOW.dismiss_roles if trigger == DISMISS else WORKFLOW.rule(trigger).roles)
        needs = None if trigger == DISMISS else WORKFLOW.rule(trigger).evidence
        accepted = [
            kind for kind in EvidenceKind if needs is None or needs.kinds is None or kind in needs.kinds
        ]
        kinds = draw(st.lists(st.sampled_from(accepted), max_size=2))
        change = Change(
            trigger=trigger,
            actor=actor(draw(st.sampled_from(roles)), draw(st.integers(1, 3))),
            evidence=[Evidence(kind, draw(NAME), draw(NAME), day(on)) for kind in kinds],
            reason=draw(NAME),
            resolves=case.open_conflicts if draw(st.booleans()) else (),
            effective_at=day(on) - timedelta(days=late),
            recorded_at=day(on),
        )
        if change.trigger == DISMISS and not change.resolves:
            continue
        if WORKFLOW.check(case, change).outcome is not Outcome.REJECTED:
            case = WORKFLOW.apply(case, change, key=key)
    return case


@st.composite
def persons(draw: st.DrawFn) -> Person:
    return Person(
        draw(NAME),
        given_name=draw(st.none() | TEXT),
        family_name=draw(st.none() | TEXT),
        description=draw(st.none() | TEXT),
        date_of_birth=draw(st.none() | st.sampled_from(["1990", "1990-02", "1990-02-28"])),
        home_city=draw(st.none() | TEXT),
        home_country=draw(st.none() | st.sampled_from(["UA", "RU", "GE"])),
        # Past the import below, which takes nothing of an expired record.
        expiry_date=draw(st.none() | st.datetimes(min_value=datetime(2030, 1, 1), timezones=st.just(UTC))),  # noqa: DTZ001 - hypothesis takes naive bounds
    )


@given(cases(), persons(), st.booleans())
def test_cases_and_people_come_back_equal(case, person, redacted):
    event(f"{len(case.trail)} entries, kinds {sorted({entry.kind.value for entry in case.trail})}")
    document = to_pfif([case], {case.id: person}, domain="ngo.example.org", redacted=redacted)
    if not any("\n" in value for value in person.fields().values()):
        # Person Finder's validator takes no text over several lines, even where PFIF allows it.
        assert pfif_problems(document) == []
    # A plain chain proves nothing of its writer: it is restored only from a sender the app trusts.
    proof = {"key": KEY} if case.keyed else {"trust_plain": True}
    report = from_pfif(document, recorded_at=day(900), allow_redacted=redacted, **proof)
    assert report.skipped == ()
    (imported,) = report.imported
    assert imported.case == (attrs.evolve(case, trail=redact(case.trail)) if redacted else case)
    assert imported.person == person
