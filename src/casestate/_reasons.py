"""Reasons that depend on names alone, built once and shared.

An integrator's feed repeats the same faults thousands of times (an illegal
move, a role not permitted), and a :class:`Reason` is a value: one made for
the first serves them all.
"""

from __future__ import annotations

from functools import lru_cache

from ._verdict import Code, Reason

_CACHED_ROLE_LENGTH = 100
"""A role is whatever a feed says it is: only a short one is kept in a cache,
so that a few thousand megabyte-long roles cannot stay in memory."""


def unknown_role(role: str, roles: frozenset[str]) -> Reason:
    """The reason for a role that is not one of *roles*, the workflow's."""
    build = _unknown_role if len(role) <= _CACHED_ROLE_LENGTH else _unknown_role.__wrapped__
    return build(role, roles)


def role_not_permitted(role: str, trigger: str, roles: frozenset[str], reporter_may_fire: bool) -> Reason:
    """The reason for a role that may not fire *trigger*."""
    build = _role_not_permitted if len(role) <= _CACHED_ROLE_LENGTH else _role_not_permitted.__wrapped__
    return build(role, trigger, roles, reporter_may_fire)


@lru_cache(maxsize=1024)
def illegal_transition(trigger: str, status: str, sources: frozenset[str]) -> Reason:
    """The reason for a trigger that leads nowhere from *status* (all three are the workflow's names)."""
    return Reason(
        Code.ILLEGAL_TRANSITION,
        f"{trigger} does not lead anywhere from {status!r}; it may be fired from: {_listed(sources)}",
    )


@lru_cache(maxsize=1024)
def _unknown_role(role: str, roles: frozenset[str]) -> Reason:
    return Reason(Code.UNKNOWN_ROLE, f"role {role!r} is not one of this workflow's roles: {_listed(roles)}")


@lru_cache(maxsize=1024)
def _role_not_permitted(role: str, trigger: str, roles: frozenset[str], reporter_may_fire: bool) -> Reason:
    also = ", or the actor whose report entered the current status" if reporter_may_fire else ""
    return Reason(
        Code.ROLE_NOT_PERMITTED, f"role {role!r} may not {trigger}; allowed: {_listed(roles)}{also}"
    )


def _listed(names: frozenset[str]) -> str:
    return ", ".join(sorted(names))
