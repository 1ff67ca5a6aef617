"""A workflow definition written down: JSON-ready data, and the identity that names it in trails."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ._text import MAX_NAME, identifier_problem

if TYPE_CHECKING:
    from ._soundness import Definition
    from ._status import Whereabouts

DEFINITION_FORMAT = "casestate.workflow"
DEFINITION_VERSION = 1
"""The version of the workflow definition format; a reader refuses others."""

_SECONDS_PER_DAY = 86400
_MOST_DAYS = timedelta.max.days


def _days(period: timedelta | None) -> float | int | None:
    if period is None:
        return None
    days = period.total_seconds() / _SECONDS_PER_DAY
    return int(days) if days.is_integer() else days


def workflow_to_dict(workflow: Definition) -> dict[str, Any]:
    """*workflow*'s definition as JSON-ready data; :func:`workflow_from_dict` reads it back.

    >>> from casestate import DEFAULT_WORKFLOW, workflow_from_dict
    >>> workflow_from_dict(workflow_to_dict(DEFAULT_WORKFLOW)) == DEFAULT_WORKFLOW
    True
    """
    written = {
        "format": DEFINITION_FORMAT,
        "version": DEFINITION_VERSION,
        "name": workflow.name,
        "description": workflow.description,
        "initial": workflow.initial,
        "roles": sorted(workflow.roles),
        "dismiss_roles": sorted(workflow.dismiss_roles),
        "statuses": [
            _placed(
                {
                    "name": status.name,
                    "fate": None if status.fate is None else status.fate.value,
                    "final": status.final,
                    "description": status.description,
                },
                status.whereabouts,
            )
            for status in workflow.statuses
        ],
        "rules": [
            _placed(
                {
                    "trigger": rule.trigger,
                    "sources": sorted(rule.sources),
                    "target": rule.target,
                    "roles": sorted(rule.roles),
                    "evidence": None
                    if rule.evidence is None
                    else {
                        "max_tier": int(rule.evidence.max_tier),
                        "kinds": None if rule.evidence.kinds is None else sorted(rule.evidence.kinds),
                    },
                    "reason_required": rule.reason_required,
                    "report": rule.report,
                    "fate": None if rule.fate is None else rule.fate.value,
                    "waiting_period_days": _days(rule.waiting_period),
                    "reporter_may_fire": rule.reporter_may_fire,
                    "reverts": rule.reverts,
                    "description": rule.description,
                },
                rule.whereabouts,
                fact=rule.fact,
                withdraws=rule.withdraws,
            )
            for rule in workflow.rules
        ],
    }
    # Written only where declared: definitions without kinds of their own keep their identity.
    if workflow.evidence_kinds:
        written["evidence_kinds"] = [
            {
                "name": str(kind.name),
                "tier": int(kind.tier),
                "indicates": None if kind.indicates is None else kind.indicates.value,
                "attests_past": kind.attests_past,
                "description": kind.description,
            }
            for kind in workflow.evidence_kinds
        ]
    return written


def _placed(
    written: dict[str, Any],
    whereabouts: Whereabouts | None,
    *,
    fact: bool = False,
    withdraws: bool = False,
) -> dict[str, Any]:
    # Written only where given: definitions written before these existed keep their identity.
    if whereabouts is not None:
        written["whereabouts"] = whereabouts.value
    if fact:
        written["fact"] = True
    if withdraws:
        written["withdraws"] = True
    return written


def workflow_to_json(workflow: Definition, *, indent: int | None = 2) -> str:
    """*workflow*'s definition as a JSON document (see :func:`workflow_to_dict`)."""
    return json.dumps(workflow_to_dict(workflow), indent=indent, ensure_ascii=False) + "\n"


def identity_of(workflow: Definition) -> str:
    """The name a trail records *workflow* by: its name and a digest of the rules that decide.

    The digest covers the definition as :func:`workflow_to_dict` writes it,
    less its descriptions (words for people, which decide nothing): two
    definitions that differ in words alone have one identity. The order of
    rules counts, as it orders the reasons a refusal names.

    >>> from casestate import DEFAULT_WORKFLOW
    >>> DEFAULT_WORKFLOW.identity.startswith("default@sha256:")
    True
    """
    data = workflow_to_dict(workflow)
    data.pop("description")
    for part in (*data["statuses"], *data["rules"], *data.get("evidence_kinds", ())):
        part.pop("description")
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return f"{workflow.name}@sha256:{hashlib.sha256(text.encode('ascii')).hexdigest()[:16]}"


_IDENTITY = re.compile(r"(?P<name>.+)@sha256:[0-9a-f]{16}")


def identity_problem(value: str) -> str | None:
    """Why *value* cannot be a workflow's identity (``name@sha256:``, 16 hex digits); ``None`` if it can.

    >>> identity_problem("default@sha256:de0e0f4b1955aa1e") is None, identity_problem("evil")
    (True, 'not a workflow identity (name@sha256: and 16 hexadecimal digits)')
    """
    matched = _IDENTITY.fullmatch(value)
    if matched is None or len(matched["name"]) > MAX_NAME or identifier_problem(matched["name"]) is not None:
        return "not a workflow identity (name@sha256: and 16 hexadecimal digits)"
    return None
