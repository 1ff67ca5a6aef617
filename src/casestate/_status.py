"""The vocabulary of a case: its status, the fate it implies, the assurance behind it."""

from __future__ import annotations

from enum import StrEnum

from ._evidence import Tier


class Status(StrEnum):
    """The statuses of the default workflow.

    A workflow names its statuses as plain strings, so an app may add its own
    (``"released"``); these members are those strings for the default ones and
    compare equal to them:

    >>> Status.CAPTURED == "captured"
    True
    """

    MISSING = "missing"
    """Fate and whereabouts unknown to the case holder; the starting point."""
    CAPTURED = "captured"
    """Reported held by the other party (prisoner of war or detainee)."""
    WOUNDED = "wounded"
    """Reported alive and wounded or sick."""
    DEAD = "dead"
    """Death reported, not yet established by a competent authority."""
    CONFIRMED = "confirmed"
    """The reported fate (alive or dead) established by a competent authority."""
    REPATRIATED = "repatriated"
    """Back under the home side's control: alive, or remains handed over."""


class Fate(StrEnum):
    """What the case holder holds about whether the person lives.

    A status alone does not say it: a *confirmed* case may be a confirmed
    prisoner or a confirmed death, and every case keeps its fate beside its
    status.
    """

    UNKNOWN = "unknown"
    """Nobody has reported whether the person lives."""
    ALIVE = "alive"
    """Reported or established alive (captured, wounded, or returned alive)."""
    DEAD = "dead"
    """Reported or established dead (also when remains were returned)."""


class Whereabouts(StrEnum):
    """Where the person, or the remains, are, as far as the case holder holds.

    The ICRC's tracing practice asks two questions: the *fate* (alive or
    dead) and the *whereabouts*. Read together they say what each alone
    cannot: a living person held by the other party is a prisoner; remains
    held by the other party are located but not returned; remains under the
    home side's control have been handed over.

    >>> Whereabouts.HELD == "held"
    True
    """

    UNKNOWN = "unknown"
    """Not known to the case holder."""
    HELD = "held"
    """Held by the other party: a prisoner or detainee, or remains located and not returned."""
    HOME = "home"
    """Under the home side's control: returned, released, evacuated, or remains handed over."""


class Assurance(StrEnum):
    """How strong the evidence behind the current status is.

    It follows from the strongest evidence on the change that entered the
    status:

    >>> Assurance.for_tier(Tier.IDENTIFICATION)
    <Assurance.IDENTIFIED: 'identified'>
    >>> Assurance.for_tier(None)
    <Assurance.REPORTED: 'reported'>
    """

    REPORTED = "reported"
    """Circumstantial, unverified, or no evidence at all (tiers 3 and 4)."""
    DOCUMENTED = "documented"
    """An official document of a competent body (tier 2)."""
    IDENTIFIED = "identified"
    """A scientific identification: DNA, fingerprints, dental (tier 1)."""

    @classmethod
    def for_tier(cls, tier: Tier | None) -> Assurance:
        """The assurance that evidence of *tier* gives (``None``: no evidence)."""
        if tier is Tier.IDENTIFICATION:
            return cls.IDENTIFIED
        if tier is Tier.OFFICIAL:
            return cls.DOCUMENTED
        return cls.REPORTED

    def stronger(self, other: Assurance) -> Assurance:
        """The stronger of the two.

        >>> Assurance.DOCUMENTED.stronger(Assurance.REPORTED)
        <Assurance.DOCUMENTED: 'documented'>
        """
        return self if _RANK[self] >= _RANK[other] else other


_RANK = {Assurance.REPORTED: 0, Assurance.DOCUMENTED: 1, Assurance.IDENTIFIED: 2}
