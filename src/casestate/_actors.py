"""Who acts on a case, and in which capacity."""

from __future__ import annotations

from enum import StrEnum

import attrs

from ._text import check_storable


class Role(StrEnum):
    """The roles of the default workflow.

    A workflow names its roles as plain strings, so an app may add its own;
    these members compare equal to those strings.
    """

    FAMILY = "family"
    NGO = "ngo"
    UNIT = "unit"
    MINISTRY = "ministry"
    ICRC = "icrc"
    FORENSIC_LAB = "forensic_lab"
    COURT = "court"


AUTHORITIES: frozenset[str] = frozenset({Role.MINISTRY, Role.ICRC, Role.FORENSIC_LAB, Role.COURT})
"""The roles that may establish a fate: ministry, ICRC, forensic lab, court."""

EVERYONE: frozenset[str] = frozenset(Role)
"""Every role of the default workflow: anyone registered may report."""


def _identifier(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"actor {attribute.name} must be a non-empty string, got {value!r}"
        raise ValueError(msg)
    check_storable(value, f"actor {attribute.name}")


def _plain(value: object) -> object:
    # A Role member becomes the plain string it stands for; anything else is left for the validator.
    return str(value) if isinstance(value, str) else value


@attrs.frozen
class Actor:
    """Someone who acts on a case: a stable *id* and the *role* they act in.

    The id is what an audit entry attributes a change to; it is personal data
    and is left out of a privacy-preserving export, the role is kept.

    >>> Actor("mother-of-ivan", Role.FAMILY)
    Actor(id='mother-of-ivan', role='family')
    """

    id: str = attrs.field(validator=_identifier)
    role: str = attrs.field(converter=_plain, validator=_identifier)
