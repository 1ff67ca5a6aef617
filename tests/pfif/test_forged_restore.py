"""A PFIF document restores authority's entries only when its chain proves who wrote it.

The forgery the tests make is the one anyone can make of an export: its
casestate attributes rewritten into a death confirmed by the ICRC with a DNA
match, the plain SHA-256 chain and its head computed again (here by the
workflow itself, which computes them as the forger would).
"""

import re

import pytest

from casestate import Role
from casestate.pfif import NoteOutcome, Origin, Person, PfifError, from_pfif, to_pfif
from support import WORKFLOW, actor, change, day

KEY = b"the case holder's chain key, 32+"
OTHER_KEY = b"another holder's chain key, 32.."
DOMAIN = "ngo.example.org"
RECORD = f"{DOMAIN}/ua-0173"
_ATTRIBUTE = re.compile(rb'casestate:(?:case|entry)="[^"]*"')


def trail(*steps, key=None):
    """Case ua-0173, opened by its family, through *steps* (trigger, role, evidence kind, day)."""
    case = WORKFLOW.open(
        "ua-0173", actor=actor(Role.FAMILY), effective_at=day(0), recorded_at=day(1), key=key
    )
    for trigger, role, kind, on in steps:
        case = WORKFLOW.apply(case, change(trigger, role, kind, on=on), key=key)
    return case


def genuine(key=None):
    """Reported dead by the unit, and the family saying the same: nobody has confirmed anything."""
    return trail(
        ("report_dead", Role.UNIT, "unit_notification", 10),
        ("report_dead", Role.FAMILY, "photo", 12),
        key=key,
    )


def forged():
    """The same trail, its last entry rewritten into a confirmation by the ICRC, chained with plain SHA-256."""
    return trail(("report_dead", Role.UNIT, "unit_notification", 10), ("confirm", Role.ICRC, "dna_match", 12))


def export(case):
    return to_pfif([case], {case.id: Person("Ivan Petrenko")}, domain=DOMAIN)


def rewritten(document: bytes, forgery: bytes) -> bytes:
    """*document* with its casestate attributes (the case's, then each entry's) taken from *forgery*."""
    forged_attributes = iter(_ATTRIBUTE.findall(forgery))
    rewritten_document = _ATTRIBUTE.sub(lambda _: next(forged_attributes), document)
    assert next(forged_attributes, None) is None
    return rewritten_document


def read(document, **options):
    return from_pfif(document, recorded_at=day(400), **options)


def assert_taken_as_reports(report, why):
    (imported,) = report.imported
    case = imported.case
    assert imported.origin is Origin.OPENED
    assert case.id == RECORD
    assert case.status != "confirmed"
    assert all(
        entry.role == Role.NGO for entry in case.trail
    )  # every note is a report, in the importer's role
    assert all(item.tier == 4 for entry in case.trail[1:] for item in entry.evidence)
    assert NoteOutcome.RESTORED not in {result.outcome for result in report.notes}
    (skipped,) = report.skipped
    assert skipped.record == f"person {RECORD}, casestate trail"
    assert re.search(
        f"its casestate trail was not restored: .*{why}.*its notes were taken as reports", skipped.reason
    )


@pytest.mark.parametrize("key", [KEY, None], ids=["keyed-store", "plain-store"])
def test_a_forged_confirmation_on_a_plain_chain_is_not_restored_with_a_key(key):
    document = rewritten(export(genuine(key)), export(forged()))
    report = read(document, key=KEY)
    assert_taken_as_reports(report, re.escape("its chain is plain (sealed with no key)") + ".*key= was given")
    assert report.cases[0].status == "dead"


def test_a_forged_confirmation_on_a_plain_chain_is_not_restored_without_a_key():
    document = rewritten(export(genuine()), export(forged()))
    report = read(document)
    assert_taken_as_reports(report, re.escape("does not prove who wrote it (pass trust_plain=True"))


def test_the_forgery_is_restored_only_when_the_app_says_it_trusts_the_sender():
    # What trust_plain means: the app vouches for the sender, as the chain cannot.
    document = rewritten(export(genuine()), export(forged()))
    (imported,) = read(document, trust_plain=True).imported
    assert (imported.origin, imported.case.status) == (Origin.RESTORED, "confirmed")


def test_strict_refuses_a_document_whose_trail_is_not_restored():
    document = rewritten(export(genuine()), export(forged()))
    with pytest.raises(PfifError, match="refused \\(strict\\): 1 records would be skipped"):
        read(document, key=KEY, strict=True)


def test_a_chain_sealed_with_the_key_is_restored_as_it_was():
    case = genuine(KEY)
    report = read(export(case), key=KEY)
    assert report.cases == (case,)
    assert report.skipped == ()
    assert {result.outcome for result in report.notes} == {NoteOutcome.RESTORED}


@pytest.mark.parametrize(
    ("sealed_with", "given", "why"),
    [
        (OTHER_KEY, KEY, "its chain is sealed with another key than key="),
        (KEY, None, "its chain is sealed with a key, and no key= was given"),
        (None, KEY, re.escape("its chain is plain (sealed with no key)")),
        (None, None, "it does not prove who wrote it"),
    ],
    ids=["another-key", "no-key-given", "plain-with-a-key", "plain-untrusted"],
)
def test_a_chain_that_does_not_prove_its_writer_is_taken_as_reports(sealed_with, given, why):
    report = read(export(genuine(sealed_with)), key=given)
    assert_taken_as_reports(report, why)
    assert [result.outcome for result in report.notes] == [
        NoteOutcome.CORROBORATION,  # believed_missing of a missing case: report_missing
        NoteOutcome.TRANSITION,
        NoteOutcome.CORROBORATION,
    ]


def test_a_keyed_chain_with_its_last_entry_made_plain_is_broken_and_skipped_whole():
    document = export(genuine(KEY))
    entries = _ATTRIBUTE.findall(document)
    plain_entries = _ATTRIBUTE.findall(export(forged()))
    document = document.replace(entries[-1], plain_entries[-1])
    report = read(document, key=KEY)
    assert report.imported == ()
    assert "its casestate trail cannot be restored" in report.skipped[0].reason


def test_trust_plain_and_a_key_together_are_refused():
    document = export(genuine())
    with pytest.raises(ValueError, match="trust_plain restores plain chains, which key= refuses"):
        read(document, key=KEY, trust_plain=True)
    with pytest.raises(TypeError, match="trust_plain must be True or False, not 'yes'"):
        read(document, trust_plain="yes")
