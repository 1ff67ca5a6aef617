"""Write casestate's JSON Schemas (``src/casestate/schemas/``) from the library's own definitions.

    .venv/bin/python tools/schemas.py           # write the schemas
    .venv/bin/python tools/schemas.py --check   # exit 1 when a shipped schema is not what the code defines

Nothing here lists a field, a code or a kind by hand where casestate declares
it: the case document comes from the entry's declaration (each field's part
and form), the change record from its field lists, the workflow definition
from the fields its reader knows, the reports from their TypedDicts, and
every enumeration from its enum. What no declaration says (the JSON type of
a definition's field, what a record's timestamp looks like) is said here
once, and each such table is checked against the field list it describes,
so that a field added in the code without a type here stops this tool.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
import typing
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any, NotRequired, Required, get_args, get_origin, get_type_hints, is_typeddict

import attrs

import casestate
from casestate import (
    FORMAT_VERSION,
    MAX_CASE_ID,
    MAX_NAME,
    Code,
    EvidenceKind,
    EvidenceRule,
    Fate,
    Outcome,
    Private,
    Role,
    Tier,
    Whereabouts,
    _chain,
    _definition,
    _evidence,
    _json,
    _layout,
    _records,
    _schemas,
    _time,
    _writing,
)
from casestate._entry import Form
from casestate.feeds import INVALID_RECORD, UNREADABLE_LINE
from casestate.feeds._report import ApplyDict, ReportDict

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "src" / "casestate" / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]


def _id(name: str) -> str:
    return f"urn:casestate:schema:{name}"


def _enum(kind: type[Enum] | Iterable[object]) -> Schema:
    values = [member.value for member in kind] if isinstance(kind, type) else list(kind)
    return {"enum": values}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Schema], required: Iterable[str], **more: Any) -> Schema:  # noqa: ANN401
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
        **more,
    }


def _described(fields: Iterable[str], types_by_name: dict[str, Schema], what: str) -> dict[str, Schema]:
    """*types_by_name* in the order of *fields*; a field with no type, or a type with no field, is a fault."""
    fields = list(fields)
    if set(fields) != set(types_by_name):
        missing, extra = set(fields) - set(types_by_name), set(types_by_name) - set(fields)
        sys.exit(
            f"tools/schemas.py: the {what} has fields {sorted(missing)} with no type here, "
            f"and types here for {sorted(extra)}, which it no longer has"
        )
    return {name: types_by_name[name] for name in fields}


def _anchored(pattern: str) -> str:
    r"""A Python pattern (matched from the start, ended by ``\Z``) as a JSON Schema one, anchored."""
    return "^" + pattern.removesuffix(r"\Z") + "$"


# -- the case document (casestate.case), from the entry's declaration ------

INSTANT: Schema = {
    "type": "string",
    "pattern": _anchored(_time._INSTANT.pattern),  # noqa: SLF001 - the one canonical form
    "description": "A canonical instant: UTC, microseconds, Z (2024-03-01T06:30:00.000000Z).",
}
DIGEST: Schema = {
    "type": "string",
    "pattern": _anchored(_chain._DIGEST_TEXT.pattern),  # noqa: SLF001 - the form verify checks
    "description": "A SHA-256 digest or HMAC: 64 lowercase hexadecimal digits.",
}

KIND: Schema = {
    "type": "string",
    "anyOf": [_enum(EvidenceKind), {"pattern": _anchored(_evidence._DECLARABLE.pattern + r"\Z")}],  # noqa: SLF001
    "description": "An evidence kind: a built-in one, or the name of one a workflow declares "
    "(up to 64 lower-case letters, digits and underscores, a letter first).",
}

_BY_FORM: dict[Form, Schema] = {
    Form.INT: {"type": "integer"},
    Form.OPTIONAL_INT: {"type": ["integer", "null"]},
    Form.TEXT: {"type": "string"},
    Form.OPTIONAL_TEXT: {"type": ["string", "null"]},
    Form.INTS: {"type": "array", "items": {"type": "integer"}},
    Form.OPTIONAL_INTS: _nullable({"type": "array", "items": {"type": "integer"}}),
    Form.KINDS: {"type": "array", "items": KIND},
    Form.INSTANT: {"$ref": "#/$defs/instant"},
}
"""By form, the schema of a value: a NAME or NAMES field takes its enumeration's values instead."""

_DIGESTS = ("prev_hash", "commitment", "hash")
"""The fields that hold a digest; the declaration calls them text, and verify refuses any other."""


def _entry_field(field: _layout.Field) -> Schema:
    form = field.metadata["form"]
    if field.name in _DIGESTS:
        return {"$ref": "#/$defs/digest"}
    if form is Form.NAME:
        return {"type": "string", **_enum(field.metadata["of"])}
    if form is Form.OPTIONAL_NAME:
        return _nullable({"type": "string", **_enum(field.metadata["of"])})
    if form is Form.NAMES:
        return {"type": "array", "items": {"type": "string", **_enum(field.metadata["of"])}}
    return dict(_BY_FORM[form])


def case_schema() -> Schema:
    """The schema of a case document, ``casestate.case`` version :data:`casestate.FORMAT_VERSION`."""
    entry_fields = {field.name: _entry_field(field) for field in _layout.SEALED}
    entry_fields["private"] = _nullable({"$ref": "#/$defs/private"})
    required = [field.name for field in _layout.SEALED if not _layout.omitted_when_none(field)]
    private = _described(
        (field.name for field in attrs.fields(Private)),
        {
            "actor_id": {"type": "string"},
            "reason": {"type": ["string", "null"]},
            "evidence": {"type": "array", "items": {"$ref": "#/$defs/evidence"}},
            # bytes.fromhex reads it: two digits a byte, at least the 16 bytes a salt needs.
            "salt": {"type": "string", "minLength": 2 * _chain.MIN_KEY_BYTES},
        },
        "private part of an entry",
    )
    evidence = _described(
        _records.EVIDENCE_FIELDS,
        {
            "kind": KIND,
            "reference": {"type": "string"},
            "source": {"type": "string"},
            "obtained_at": {"$ref": "#/$defs/instant"},
        },
        "evidence of an entry",
    )
    return {
        "$schema": DIALECT,
        "$id": _id("case"),
        "title": f"casestate case document ({_json.FORMAT}, version {FORMAT_VERSION})",
        "description": "A case and its whole trail, as casestate.to_json writes it. A reader also "
        "verifies the chain and replays the trail: a document that fits this schema may still be refused.",
        **_object(
            {
                "format": {"const": _json.FORMAT},
                "version": {"const": FORMAT_VERSION},
                "case_id": {"type": "string"},
                "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}, "minItems": 1},
            },
            ["format", "version", "case_id", "entries"],
        ),
        "$defs": {
            "entry": _object(entry_fields, required),
            "private": _object(private, ["actor_id", "evidence", "salt"]),
            "evidence": _object(evidence, _records.EVIDENCE_FIELDS),
            "instant": INSTANT,
            "digest": DIGEST,
        },
    }


# -- a change record, from its field lists ----------------------------------

TIMESTAMP: Schema = {
    "type": "string",
    "pattern": r"^[0-9]{4}.*(Z|[+-][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}([.,][0-9]+)?)?)?)$",
    "description": "An ISO 8601 timestamp with an offset (2024-03-02T14:00:00+02:00, 2024-03-02T12:00:00Z); "
    "one without an offset is refused, as is an impossible one (2024-02-30T12:00:00Z).",
    "examples": ["2024-03-02T14:00:00+02:00", "2024-03-02T12:00:00Z"],
}
NAME: Schema = {"type": "string", "minLength": 1, "maxLength": MAX_NAME}


def change_record_schema() -> Schema:
    """The schema of a change record: one line of a JSON Lines change file."""
    fields = _described(
        _records.REQUIRED_FIELDS + _records.OPTIONAL_FIELDS,
        {
            "case_id": {"type": "string", "minLength": 1, "maxLength": MAX_CASE_ID},
            "trigger": {
                **NAME,
                "description": f"{casestate.OPEN!r} opens the case; any other value is a trigger "
                "of the workflow.",
            },
            "actor_id": {"type": "string", "minLength": 1},
            "role": {
                "type": "string",
                "minLength": 1,
                "description": "A role the workflow knows; the default workflow's are given as examples.",
                "examples": [role.value for role in Role],
            },
            "effective_at": {"$ref": "#/$defs/timestamp", "description": "When the fact happened."},
            "recorded_at": {"$ref": "#/$defs/timestamp", "description": "When the case holder learned it."},
            "evidence": _nullable({"type": "array", "items": {"$ref": "#/$defs/evidence"}}),
            "reason": {"type": ["string", "null"]},
            "resolves": _nullable({"type": "array", "items": {"type": "integer", "minimum": 0}}),
            "source_id": _nullable(
                {
                    **NAME,
                    "description": "The id the change's source gave it, unique within the case: a "
                    "record sent again under it is stored once. Name the source in it.",
                    "examples": ["hotline-kyiv/2024-0412"],
                }
            ),
            "follows": _nullable(
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_CASE_ID,
                    "description": "For a record that opens a case: the case of the person's "
                    "disappearance before (exchanged, sent back to the front, missing again).",
                }
            ),
        },
        "change record",
    )
    evidence = _described(
        _records.EVIDENCE_FIELDS,
        {
            "kind": KIND,
            "reference": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
            "obtained_at": {"$ref": "#/$defs/timestamp"},
        },
        "evidence of a change record",
    )
    return {
        "$schema": DIALECT,
        "$id": _id("change-record"),
        "title": "casestate change record",
        "description": "One change to one case: a line of a JSON Lines change file, as "
        "casestate.change_to_record writes it and casestate.change_from_record reads it.",
        **_object(fields, _records.REQUIRED_FIELDS),
        "$defs": {"evidence": _object(evidence, _records.EVIDENCE_FIELDS), "timestamp": TIMESTAMP},
    }


# -- a workflow definition, from the fields its reader knows ---------------


def workflow_schema() -> Schema:
    """The schema of a workflow definition file (``casestate.workflow``)."""
    names = {"type": "array", "items": {"type": "string", "minLength": 1}}
    fate = _nullable({"type": "string", **_enum(Fate)})
    whereabouts = _nullable({"type": "string", **_enum(Whereabouts)})
    flag = {"type": ["boolean", "null"]}
    words = {"type": ["string", "null"]}
    top = _described(
        _definition._TOP_FIELDS,  # noqa: SLF001 - the fields the reader knows
        {
            "format": {"const": _writing.DEFINITION_FORMAT},
            "version": {"const": _writing.DEFINITION_VERSION},
            "name": NAME,
            "description": words,
            "initial": NAME,
            "roles": names,
            "dismiss_roles": _nullable(names),
            "statuses": {"type": "array", "items": {"$ref": "#/$defs/status"}},
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
            "evidence_kinds": _nullable({"type": "array", "items": {"$ref": "#/$defs/evidence_kind"}}),
        },
        "workflow definition",
    )
    declared = _described(
        _definition._KIND_FIELDS,  # noqa: SLF001 - as above
        {
            "name": KIND,
            "tier": {"type": "integer", **_enum(int(tier) for tier in Tier)},
            "indicates": _nullable({"type": "string", "enum": [Fate.ALIVE.value, Fate.DEAD.value]}),
            "attests_past": flag,
            "description": words,
        },
        "evidence kind a workflow declares",
    )
    status = _described(
        _definition._STATUS_FIELDS,  # noqa: SLF001 - as above
        {"name": NAME, "fate": fate, "final": flag, "description": words, "whereabouts": whereabouts},
        "status of a workflow definition",
    )
    rule = _described(
        _definition._RULE_FIELDS,  # noqa: SLF001 - as above
        {
            "trigger": NAME,
            "sources": names,
            "target": NAME,
            "roles": names,
            "evidence": _nullable({"$ref": "#/$defs/evidence"}),
            "reason_required": flag,
            "report": flag,
            "fate": fate,
            "waiting_period_days": _nullable(
                {"type": "number", "minimum": 0, "maximum": _definition._MOST_DAYS}  # noqa: SLF001
            ),
            "reporter_may_fire": flag,
            "reverts": flag,
            "description": words,
            "whereabouts": whereabouts,
            "fact": flag,
            "withdraws": flag,
        },
        "rule of a workflow definition",
    )
    evidence = _described(
        (field.name for field in attrs.fields(EvidenceRule)),
        {
            "max_tier": _nullable({"type": "integer", **_enum(int(tier) for tier in Tier)}),
            "kinds": _nullable({"type": "array", "items": KIND}),
        },
        "evidence rule",
    )
    return {
        "$schema": DIALECT,
        "$id": _id("workflow"),
        "title": f"casestate workflow definition ({_writing.DEFINITION_FORMAT}, "
        f"version {_writing.DEFINITION_VERSION})",
        "description": "A workflow written down, as casestate.workflow_to_json writes it. A reader "
        "also checks that the workflow works (every status reachable, every rule's roles known): a "
        "definition that fits this schema may still be refused.",
        **_object(top, ["name", "initial", "roles", "statuses", "rules"]),
        "$defs": {
            "status": _object(status, ["name"]),
            "rule": _object(rule, ["trigger", "sources", "target", "roles"]),
            "evidence": _object(evidence, []),
            "evidence_kind": _object(declared, ["name", "tier"]),
        },
    }


# -- the reports of validate and apply, from their TypedDicts -------------

FINDING_CODES = [*(code.value for code in Code), INVALID_RECORD, UNREADABLE_LINE]
"""The codes a finding may carry: the workflow's, and those of lines that never reach it."""

_REFINED: dict[tuple[str, str], Schema] = {
    ("finding", "outcome"): {"type": "string", **_enum(Outcome)},
    ("finding", "codes"): {"type": "array", "items": {"type": "string", "enum": FINDING_CODES}},
    ("reason", "code"): {"type": "string", "enum": FINDING_CODES},
    ("finding", "line"): {"type": "integer", "minimum": 1},
    ("summary", "rejected_by_code"): {
        "type": "object",
        "propertyNames": {"enum": FINDING_CODES},
        "additionalProperties": {"type": "integer", "minimum": 1},
    },
    ("summary", "conflicts_by_code"): {
        "type": "object",
        "propertyNames": {"enum": FINDING_CODES},
        "additionalProperties": {"type": "integer", "minimum": 1},
    },
}
"""What a TypedDict's type says too little of (``str`` for an outcome): the enumerations of its values."""


def _python_type(kind: object, defs: dict[str, Schema]) -> Schema:
    origin, arguments = get_origin(kind), get_args(kind)
    if origin in (NotRequired, Required):
        return _python_type(arguments[0], defs)
    if is_typeddict(kind):
        name = _def_name(kind)
        if name not in defs:
            defs[name] = {}  # taken before its fields, so that a type that holds itself ends
            defs[name] = _typed_dict(kind, defs)
        return {"$ref": f"#/$defs/{name}"}
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_python_type(argument, defs) for argument in arguments]}
    if origin is list:
        return {"type": "array", "items": _python_type(arguments[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _python_type(arguments[1], defs)}
    simple = {str: "string", int: "integer", bool: "boolean", type(None): "null"}
    if kind in simple:
        return {"type": simple[kind]}  # type: ignore[index]
    raise TypeError(f"tools/schemas.py: no JSON type for {kind!r}")


def _def_name(kind: Any) -> str:  # noqa: ANN401 - a TypedDict class
    """The name a TypedDict's schema goes by in ``$defs``: ``FindingDict`` is ``finding``."""
    return str(kind.__name__).removesuffix("Dict").lower()


def _typed_dict(kind: Any, defs: dict[str, Schema]) -> Schema:  # noqa: ANN401 - a TypedDict class
    hints = get_type_hints(kind, include_extras=True)
    properties = {
        name: _REFINED.get((_def_name(kind), name)) or _python_type(hint, defs)
        for name, hint in hints.items()
    }
    return _object(properties, [name for name, hint in hints.items() if _required(kind, hint)])


def _required(kind: Any, hint: object) -> bool:  # noqa: ANN401 - a TypedDict class
    # Read from the hints: under ``from __future__ import annotations`` Python 3.11's
    # ``__required_keys__`` does not see NotRequired.
    if get_origin(hint) is NotRequired:
        return False
    return bool(kind.__total__) or get_origin(hint) is Required


def _report_schema(kind: Any, name: str, command: str) -> Schema:  # noqa: ANN401 - a TypedDict class
    defs: dict[str, Schema] = {}
    body = _typed_dict(kind, defs)
    # A run that a fault stops (a store that fails) still ends its document: the findings so far, no summary.
    body["required"] = [field for field in body["required"] if field == "findings"]
    return {
        "$schema": DIALECT,
        "$id": _id(name),
        "title": f"the report of {command} --format json",
        "description": f"What {command} --format json writes: the findings (each rejected or conflicting "
        "line), then the summary. A document without a summary is the report of a run that a fault "
        "stopped; the exit status says so too.",
        **body,
        "$defs": {**{key: defs[key] for key in sorted(defs)}},
    }


def schemas() -> dict[str, Schema]:
    """Every schema casestate ships, by name."""
    made = {
        "apply-report": _report_schema(ApplyDict, "apply-report", "casestate apply"),
        "case": case_schema(),
        "change-record": change_record_schema(),
        "validate-report": _report_schema(ReportDict, "validate-report", "casestate validate"),
        "workflow": workflow_schema(),
    }
    assert tuple(made) == _schemas.SCHEMA_NAMES  # noqa: S101 - the names the library reads
    return made


def text_of(schema: Schema) -> str:
    """A schema as the shipped file holds it."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Write the schemas, or with --check say which shipped ones differ from the code's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a schema differs")
    arguments = parser.parse_args()
    stale = []
    for name, schema in schemas().items():
        path = FOLDER / f"{name}.schema.json"
        text = text_of(schema)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not arguments.check:
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{path.relative_to(ROOT)}: {'differs from the code' if arguments.check else 'written'}")
    return 1 if stale and arguments.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
