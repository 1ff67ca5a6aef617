"""casestate: the status workflow of a missing person's case, with a tamper-evident trail."""

from importlib.metadata import version as _version

from ._actors import AUTHORITIES, EVERYONE, Actor, Role
from ._batch import Batch
from ._building import trusted_evidence
from ._case import Case, replay
from ._chain import BrokenTrail, ChainKeyError, Integrity, Problem, redact, verify
from ._change import DISMISS, OPEN, Change, Opening
from ._csv_records import change_from_csv_row, check_csv_header, csv_columns, record_to_csv_row
from ._decide import Option
from ._default import DECLARATION_WAITING_PERIOD, DEFAULT_WORKFLOW
from ._definition import workflow_from_dict, workflow_from_json, workflow_to_dict, workflow_to_json
from ._entry import Entry, EntryKind, Private
from ._errors import CasestateError, publish
from ._evidence import Evidence, EvidenceKind, Tier, as_evidence_kind
from ._graph import to_dot, to_mermaid
from ._json import (
    FORMAT_VERSION,
    FormatError,
    entry_from_dict,
    entry_to_dict,
    from_dict,
    from_json,
    to_dict,
    to_json,
    unique_keys,
)
from ._keys import KeyFileError, chain_key_from_text, chain_key_to_text
from ._kinds import BUILT_IN_KINDS, EvidenceKindDef
from ._layout import canonical_bytes
from ._records import RecordError, change_from_json, change_from_record, change_to_record, parse_timestamp
from ._rules import ANY_EVIDENCE, EvidenceRule, Rule, StatusDef
from ._schemas import SCHEMA_NAMES, SchemaName, UnknownSchema, json_schema
from ._soundness import Hazard, WorkflowError, WorkflowWarning
from ._standing import Backer, Snapshot, Standing
from ._status import Assurance, Fate, Status, Whereabouts
from ._text import MAX_CASE_ID, MAX_NAME
from ._timers import GENEVA_CONVENTIONS, RUSSIA_120FZ, RUSSIA_CIVIL_CODE, UKRAINE, Flag, Timer, due
from ._verdict import Code, Outcome, Reason, Rejected, Verdict
from ._workflow import Workflow

__version__ = _version("casestate")


__all__ = [
    "ANY_EVIDENCE",
    "AUTHORITIES",
    "BUILT_IN_KINDS",
    "DECLARATION_WAITING_PERIOD",
    "DEFAULT_WORKFLOW",
    "DISMISS",
    "EVERYONE",
    "FORMAT_VERSION",
    "GENEVA_CONVENTIONS",
    "MAX_CASE_ID",
    "MAX_NAME",
    "OPEN",
    "RUSSIA_120FZ",
    "RUSSIA_CIVIL_CODE",
    "SCHEMA_NAMES",
    "UKRAINE",
    "Actor",
    "Assurance",
    "Backer",
    "Batch",
    "BrokenTrail",
    "Case",
    "CasestateError",
    "ChainKeyError",
    "Change",
    "Code",
    "Entry",
    "EntryKind",
    "Evidence",
    "EvidenceKind",
    "EvidenceKindDef",
    "EvidenceRule",
    "Fate",
    "Flag",
    "FormatError",
    "Hazard",
    "Integrity",
    "KeyFileError",
    "Opening",
    "Option",
    "Outcome",
    "Private",
    "Problem",
    "Reason",
    "RecordError",
    "Rejected",
    "Role",
    "Rule",
    "SchemaName",
    "Snapshot",
    "Standing",
    "Status",
    "StatusDef",
    "Tier",
    "Timer",
    "UnknownSchema",
    "Verdict",
    "Whereabouts",
    "Workflow",
    "WorkflowError",
    "WorkflowWarning",
    "as_evidence_kind",
    "canonical_bytes",
    "chain_key_from_text",
    "chain_key_to_text",
    "change_from_csv_row",
    "change_from_json",
    "change_from_record",
    "change_to_record",
    "check_csv_header",
    "csv_columns",
    "due",
    "entry_from_dict",
    "entry_to_dict",
    "from_dict",
    "from_json",
    "json_schema",
    "parse_timestamp",
    "publish",
    "record_to_csv_row",
    "redact",
    "replay",
    "to_dict",
    "to_dot",
    "to_json",
    "to_mermaid",
    "trusted_evidence",
    "unique_keys",
    "verify",
    "workflow_from_dict",
    "workflow_from_json",
    "workflow_to_dict",
    "workflow_to_json",
]

# Every public name shows where an app imports it from, not the private module it lives in.
publish(__name__, globals(), __all__)
