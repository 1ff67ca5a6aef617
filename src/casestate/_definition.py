"""Workflow definitions as JSON: write a workflow down, read it back, checked.

A definition file lets an app or a jurisdiction keep its own workflow next to
its data, and lets tools (``casestate graph --workflow``) read it. The format:

.. code-block:: json

    {"format": "casestate.workflow", "version": 1,
     "name": "default", "description": "...", "initial": "missing",
     "roles": ["court", "family", ...], "dismiss_roles": ["court", ...],
     "statuses": [{"name": "missing", "fate": "unknown", "final": false, "description": "..."}],
     "rules": [{"trigger": "confirm", "sources": ["captured"], "target": "confirmed",
                "roles": ["icrc"], "evidence": {"max_tier": 2, "kinds": null},
                "reason_required": false, "report": false, "fate": null,
                "waiting_period_days": null, "reporter_may_fire": false, "reverts": false,
                "description": "..."}]}

A status's ``fate`` of ``null`` keeps the fate it is entered with; a rule's
``evidence`` of ``null`` needs none. A status or a rule may also name a
``whereabouts`` (``unknown``, ``held``, ``home``); left out, a status keeps
the whereabouts it is entered with and a rule gives its target's. A rule
with ``"fact": true`` records a dated legal fact and moves nothing. The
optional ``evidence_kinds`` declares kinds of evidence beside the built-in
ones, each ``{"name": "unit_form_5", "tier": 3, "indicates": "dead",
"attests_past": false, "description": "..."}`` (written only when there are
some). Only ``name``, ``initial``, ``roles``,
``statuses`` and ``rules`` (and each rule's ``trigger``, ``sources``,
``target`` and ``roles``, each status's ``name``) are required.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, TypeVar

from ._evidence import Tier, as_evidence_kind
from ._json import FormatError, unique_keys
from ._kinds import EvidenceKindDef
from ._rules import EvidenceRule, Rule, StatusDef
from ._soundness import WorkflowError
from ._status import Fate, Whereabouts
from ._text import is_storable, printable, unstorable
from ._workflow import Workflow
from ._writing import DEFINITION_FORMAT, DEFINITION_VERSION, workflow_to_dict, workflow_to_json

__all__ = ["workflow_from_dict", "workflow_from_json", "workflow_to_dict", "workflow_to_json"]

_MOST_DAYS = timedelta.max.days
_T = TypeVar("_T")


class _Fields:
    """Reads one object of a definition, noting each fault with its place instead of stopping."""

    def __init__(self, data: object, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        self.ok = isinstance(data, Mapping)
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        if not self.ok:
            self.fault(None, f"expected an object, got {_type(data)}")

    @classmethod
    def of(cls, data: object, where: str, problems: list[str], known: tuple[str, ...]) -> _Fields | None:
        """The fields of the object *data*, its unknown ones noted; ``None`` if it is no object."""
        fields = cls(data, where, problems)
        if not fields.ok:
            return None
        fields.check_known(known)
        return fields

    def fault(self, name: str | None, problem: str) -> None:
        place = self.where if name is None else f"{self.where}.{name}" if self.where else name
        self.problems.append(f"{place or 'definition'}: {problem}")

    def check_known(self, known: tuple[str, ...]) -> None:
        extra = sorted(printable(str(name)) for name in self.data if name not in known)
        if extra:
            self.fault(None, f"unknown fields {', '.join(extra)}")

    def value(
        self, name: str, kind: type | tuple[type, ...], default: object = None, *, required: bool = False
    ) -> Any:  # noqa: ANN401 - JSON values are whatever the file holds
        if name not in self.data or (self.data[name] is None and not required):
            if required:
                self.fault(name, "missing")
            return default
        value = self.data[name]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int, float))):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            self.fault(name, f"expected {names}, got {_type(value)}")
            return default
        if isinstance(value, str) and not is_storable(value):
            self.fault(name, unstorable(value))
            return default
        return value

    def name(self, name: str) -> str:
        """The required name *name*: a string with something in it, or a fault (and ``""``)."""
        given = self.data.get(name)
        if isinstance(given, str) and not given.strip():
            self.fault(name, f"expected a non-empty name, got {given!r}")
            return ""
        value: str = self.value(name, str, "", required=True)
        return value

    def names(self, name: str, *, required: bool = True) -> list[str]:
        values = self.value(name, list, [], required=required)
        good = []
        for index, item in enumerate(values):
            if not isinstance(item, str) or not item.strip():
                self.fault(f"{name}[{index}]", f"expected a non-empty name, got {item!r}")
            elif not is_storable(item):
                self.fault(f"{name}[{index}]", unstorable(item))
            else:
                good.append(item)
        return good

    def convert(self, name: str, convert: Callable[[Any], Any]) -> Any:  # noqa: ANN401 - see value
        value = self.data.get(name)
        if value is None:
            return None
        try:
            return convert(value)
        except ValueError:
            self.fault(name, f"unknown value {value!r}")
            return None


def _type(value: object) -> str:
    return "null" if value is None else type(value).__name__


_STATUS_FIELDS = ("name", "fate", "final", "description", "whereabouts")
_RULE_FIELDS = (
    "trigger",
    "sources",
    "target",
    "roles",
    "evidence",
    "reason_required",
    "report",
    "fate",
    "waiting_period_days",
    "reporter_may_fire",
    "withdraws",
    "reverts",
    "description",
    "whereabouts",
    "fact",
)
_TOP_FIELDS = (
    "format",
    "version",
    "name",
    "description",
    "initial",
    "roles",
    "dismiss_roles",
    "statuses",
    "rules",
    "evidence_kinds",
)
_KIND_FIELDS = ("name", "tier", "indicates", "attests_past", "description")


def _made(fields: _Fields, count: int, make: Callable[[], _T]) -> _T | None:
    """What *make* builds of the fields read since the problem *count*, none of them at fault.

    A converter's own check (a name too long) is noted with the object's place.
    """
    if len(fields.problems) > count:
        return None
    try:
        return make()
    except ValueError as error:
        fields.fault(None, str(error))
        return None


def _status(data: object, where: str, problems: list[str]) -> StatusDef | None:
    fields = _Fields.of(data, where, problems, _STATUS_FIELDS)
    if fields is None:
        return None
    count = len(problems)
    name = fields.name("name")
    fate = fields.convert("fate", Fate)
    final = fields.value("final", bool, default=False)
    description = fields.value("description", str, default="")
    whereabouts = fields.convert("whereabouts", Whereabouts)
    if not name:
        return None
    return _made(fields, count, lambda: StatusDef(name, fate, final, description, whereabouts=whereabouts))


def _evidence_rule(data: object, where: str, problems: list[str]) -> EvidenceRule | None:
    fields = _Fields.of(data, where, problems, ("max_tier", "kinds"))
    if fields is None:
        return None
    count = len(problems)
    # A tier is a number: JSON's true would otherwise read as tier 1, the strongest.
    tier = fields.convert("max_tier", Tier) if fields.value("max_tier", int) is not None else None
    kinds = None
    if fields.data.get("kinds") is not None:
        kinds = []
        for index, kind in enumerate(fields.value("kinds", list, [])):
            try:
                kinds.append(as_evidence_kind(kind))
            except ValueError:
                fields.fault(f"kinds[{index}]", f"unknown evidence kind {kind!r}")
    if len(problems) > count:
        return None
    return EvidenceRule(max_tier=tier or Tier.UNVERIFIED, kinds=kinds)


def _kind(data: object, where: str, problems: list[str]) -> EvidenceKindDef | None:
    fields = _Fields.of(data, where, problems, _KIND_FIELDS)
    if fields is None:
        return None
    count = len(problems)
    name = fields.name("name")
    # A tier is a number, as a rule's max_tier is.
    tier = fields.convert("tier", Tier) if fields.value("tier", int, required=True) is not None else None
    indicates = fields.convert("indicates", Fate)
    attests_past = fields.value("attests_past", bool, default=False)
    description = fields.value("description", str, default="")
    if not name or tier is None:
        return None
    return _made(
        fields,
        count,
        lambda: EvidenceKindDef(
            name, tier, indicates=indicates, attests_past=attests_past, description=description
        ),
    )


def _rule(data: object, where: str, problems: list[str]) -> Rule | None:
    fields = _Fields.of(data, where, problems, _RULE_FIELDS)
    if fields is None:
        return None
    count = len(problems)
    trigger = fields.name("trigger")
    sources = fields.names("sources")
    target = fields.name("target")
    roles = fields.names("roles")
    evidence = None
    if fields.data.get("evidence") is not None:
        evidence = _evidence_rule(fields.data["evidence"], f"{where}.evidence", problems)
    days = fields.value("waiting_period_days", (int, float))
    if days is not None and not 0 <= days <= _MOST_DAYS:  # NaN fails every comparison
        fields.fault("waiting_period_days", f"expected a number of days from 0 to {_MOST_DAYS}, got {days!r}")
        days = None
    rule_fate = fields.convert("fate", Fate)
    rule_whereabouts = fields.convert("whereabouts", Whereabouts)
    flags = {
        name: fields.value(name, bool, default=False)
        for name in ("reason_required", "report", "reverts", "fact", "withdraws")
    }
    reporter = fields.value("reporter_may_fire", bool, default=False)
    description = fields.value("description", str, default="")
    if not trigger or not target:
        return None
    return _made(
        fields,
        count,
        lambda: Rule(
            trigger=trigger,
            sources=sources,
            target=target,
            roles=roles,
            evidence=evidence,
            fate=rule_fate,
            whereabouts=rule_whereabouts,
            waiting_period=None if days is None else timedelta(days=days),
            reporter_may_fire=reporter,
            description=description,
            **flags,
        ),
    )


def workflow_from_dict(data: object) -> Workflow:
    """Read a workflow definition written by :func:`workflow_to_dict`.

    Every fault is collected into one :class:`WorkflowError` whose problems
    name their place (``rules[2].sources[0]``); a definition that reads well
    but cannot work is refused by :class:`Workflow` itself, the same way.

    >>> workflow_from_dict({"name": "tiny", "initial": "missing", "roles": ["ngo"],
    ...     "statuses": [{"name": "missing", "fate": "unknown"}], "rules": [{"trigger": 1}]})
    Traceback (most recent call last):
    ...
    casestate.WorkflowError: workflow 'tiny' is not valid:
      - rules[0].trigger: expected str, got int
      - rules[0].sources: missing
      - rules[0].target: missing
      - rules[0].roles: missing
    """
    problems: list[str] = []
    fields = _Fields(data, "", problems)
    name = fields.name("name") if fields.ok else None
    label = name or "<definition>"
    if not fields.ok:
        raise WorkflowError(label, problems)
    fields.check_known(_TOP_FIELDS)
    form = fields.value("format", str, DEFINITION_FORMAT)
    if form != DEFINITION_FORMAT:
        fields.fault("format", f"expected {DEFINITION_FORMAT!r}, got {form!r}")
    version = fields.value("version", int, DEFINITION_VERSION)
    if version != DEFINITION_VERSION:
        fields.fault("version", f"this casestate reads version {DEFINITION_VERSION}, not {version}")
    initial = fields.name("initial")
    roles = fields.names("roles")
    dismiss_roles = fields.names("dismiss_roles", required=False)
    description = fields.value("description", str, default="")
    statuses = [
        _status(item, f"statuses[{index}]", problems)
        for index, item in enumerate(fields.value("statuses", list, [], required=True))
    ]
    rules = [
        _rule(item, f"rules[{index}]", problems)
        for index, item in enumerate(fields.value("rules", list, [], required=True))
    ]
    kinds = [
        _kind(item, f"evidence_kinds[{index}]", problems)
        for index, item in enumerate(fields.value("evidence_kinds", list, []))
    ]
    if problems:
        raise WorkflowError(label, problems)
    try:
        return Workflow(
            name=label,
            description=description,
            initial=initial,
            roles=roles,
            dismiss_roles=dismiss_roles,
            statuses=[status for status in statuses if status is not None],
            rules=[rule for rule in rules if rule is not None],
            evidence_kinds=[kind for kind in kinds if kind is not None],
        )
    except WorkflowError:
        raise
    except (TypeError, ValueError) as error:  # a converter refused a value the checks above let by
        raise WorkflowError(label, [str(error)]) from None


def workflow_from_json(text: str | bytes) -> Workflow:
    """Read a workflow definition from JSON text (see :func:`workflow_from_dict`).

    A key given twice in one object is refused, as in a case document: a
    second ``"roles"`` would otherwise silently decide who may confirm a death.
    """
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except FormatError as error:
        raise WorkflowError("<definition>", [str(error)]) from None
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise WorkflowError("<definition>", [f"not JSON: {error}"]) from None
    return workflow_from_dict(data)
