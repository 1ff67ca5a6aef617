"""Cases in every status and entry kind, with the personal details an app would supply."""

from __future__ import annotations

from xml.etree.ElementTree import tostring

from defusedxml.ElementTree import fromstring

from casestate import Case, Role
from casestate.pfif import EXTENSION, Person
from support import WORKFLOW, actor, change, day

KEY = b"a chain key of the case holder"


def story(case_id: str, *steps: tuple[str, str, tuple[str, ...], float], key: bytes | None = None) -> Case:
    """A case opened on day 1 that goes through *steps* (trigger, role, evidence kinds, day)."""
    case = WORKFLOW.open(
        case_id,
        actor=actor(Role.FAMILY),
        effective_at=day(0),
        recorded_at=day(1),
        reason="son did not call after the assault",
        key=key,
    )
    for trigger, role, kinds, on in steps:
        reason = (
            "withdrawn: the video shows another man" if trigger in ("retract", "reopen", "dismiss") else None
        )
        resolves = case.open_conflicts if trigger == "dismiss" else ()
        case = WORKFLOW.apply(
            case, change(trigger, role, *kinds, on=on, reason=reason, resolves=resolves), key=key
        )
    return case


def all_cases(key: bytes | None = None) -> list[Case]:
    """One case per status and fate, with corroborations, conflicts and dismissals among them.

    Sealed with *key* if given; ``case-keyed`` is sealed with :data:`KEY` either way.
    """

    def told(case_id: str, *steps: tuple[str, str, tuple[str, ...], float]) -> Case:
        return story(case_id, *steps, key=key)

    return [
        told("case-missing"),
        told("case-captured", ("report_captured", Role.FAMILY, ("video",), 10)),
        told(
            "case-wounded",
            ("report_wounded", Role.UNIT, ("medical_record",), 10),
            ("report_wounded", Role.ICRC, ("icrc_confirmation",), 11),
        ),
        told("case-dead", ("report_dead", Role.UNIT, ("unit_notification",), 10)),
        told(
            "case-confirmed-dead",
            ("report_dead", Role.UNIT, ("unit_notification",), 10),
            ("confirm", Role.FORENSIC_LAB, ("dna_match",), 20),
            ("report_captured", Role.FAMILY, ("video",), 30),
        ),
        told(
            "case-confirmed-alive",
            ("report_captured", Role.FAMILY, ("video",), 10),
            ("confirm", Role.ICRC, ("capture_card",), 20),
        ),
        told(
            "case-repatriated",
            ("report_captured", Role.FAMILY, ("video",), 10),
            ("repatriate", Role.ICRC, ("exchange_list",), 20),
        ),
        told(
            "case-remains",
            ("report_dead", Role.UNIT, ("unit_notification",), 10),
            ("confirm", Role.FORENSIC_LAB, ("dna_match",), 20),
            ("repatriate", Role.MINISTRY, ("handover_record",), 30),
        ),
        told(
            "case-retracted",
            ("report_captured", Role.NGO, ("social_media_post",), 10),
            ("retract", Role.MINISTRY, (), 12),
        ),
        told(
            "case-dismissed",
            ("report_dead", Role.UNIT, ("unit_notification",), 10),
            ("confirm", Role.COURT, ("death_certificate",), 20),
            ("report_wounded", Role.FAMILY, ("photo",), 25),
            ("dismiss", Role.NGO, (), 26),
        ),
        story("case-keyed", ("report_dead", Role.UNIT, ("unit_notification",), 10), key=KEY),
    ]


def person_for(case: Case) -> Person:
    """Details of the kind an app keeps for the person of *case*."""
    return Person(
        f"Ivan {case.id.title()}",
        given_name="Ivan",
        family_name=case.id.title(),
        alternate_names="Vanya",
        description="Soldier of the 41st brigade; a scar on the left cheek.",
        sex="male",
        date_of_birth="1998-04-17",
        age="25",
        home_street="Shevchenka 12",
        home_neighborhood="Podil",
        home_city="Kyiv",
        home_state="UA-30",
        home_postal_code="04070",
        home_country="UA",
    )


def withdrawn_cases() -> list[Case]:
    """Cases whose last word is a withdrawal: by the reporter himself, or by an authority."""
    return [
        story(
            "case-withdrawn",
            ("report_dead", Role.UNIT, ("unit_notification",), 10),
            ("retract", Role.UNIT, (), 12),
        ),
        story(
            "case-reopened",
            ("report_dead", Role.UNIT, ("unit_notification",), 10),
            ("confirm", Role.FORENSIC_LAB, ("dna_match",), 20),
            ("reopen", Role.COURT, ("court_decision",), 30),
        ),
    ]


def plain(document: bytes) -> bytes:
    """*document* as a PFIF repository that keeps no casestate attributes publishes it again."""
    root = fromstring(document, forbid_dtd=True)
    for element in root.iter():
        for name in [name for name in element.attrib if name.startswith(f"{{{EXTENSION}}}")]:
            del element.attrib[name]
    return tostring(root, encoding="utf-8", xml_declaration=True)
