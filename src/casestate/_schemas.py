"""JSON Schemas (2020-12) of casestate's documents, shipped in the package for programs in any language.

The schemas are written from casestate's own definitions (the entry's
declaration, the change record's field lists, the enumerations of codes,
kinds, fates and assurances) by ``tools/schemas.py``; a test holds the
shipped files equal to what the code defines. Each accepts every document
casestate writes, and refuses only documents casestate's readers refuse too;
the readers check more than a schema can say (a chain's hashes, a workflow's
soundness, whether a text is storable).
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Literal, get_args

from ._errors import CasestateError

SchemaName = Literal["apply-report", "case", "change-record", "validate-report", "workflow"]
"""The name of a shipped schema."""

SCHEMA_NAMES: tuple[SchemaName, ...] = get_args(SchemaName)
"""Every shipped schema, by name: a case document, a change record, a workflow definition, and the
reports ``casestate validate --format json`` and ``casestate apply --format json`` write."""


class UnknownSchema(CasestateError, LookupError):
    """A schema name that casestate ships no schema of."""


def json_schema(name: SchemaName) -> dict[str, object]:
    """The JSON Schema named *name* (one of :data:`SCHEMA_NAMES`), as parsed JSON.

    >>> import casestate
    >>> schema = casestate.json_schema("change-record")
    >>> schema["$schema"], schema["required"][:2]
    ('https://json-schema.org/draft/2020-12/schema', ['case_id', 'trigger'])
    """
    if name not in SCHEMA_NAMES:
        known = ", ".join(SCHEMA_NAMES)
        raise UnknownSchema(f"casestate ships no schema {name!r}; it has: {known}")
    text = files("casestate").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, object] = json.loads(text)
    return schema
