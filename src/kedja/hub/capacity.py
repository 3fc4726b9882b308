"""How full a receiving organisation is: its capacity against the referrals it holds.

Examples:
    >>> capacity_status(10, 8).level
    'few'
    >>> capacity_status(10, 12).free, capacity_status(10, 12).level
    (0, 'full')
    >>> capacity_status(None, 3).level
    'unknown'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CapacityStatus", "capacity_status"]

FEW_SHARE = 0.25
"""At or below this share of free places the receiver is shown as having few places left."""


@dataclass(frozen=True, slots=True)
class CapacityStatus:
    """Places an organisation offers, how many its accepted or started referrals use, and a level."""

    capacity: int | None
    in_use: int
    free: int | None
    level: str
    """``free``, ``few``, ``full`` or ``unknown`` (no capacity published)."""


def capacity_status(capacity: int | None, in_use: int) -> CapacityStatus:
    """The receiver's status: ``full`` when nothing is free, ``few`` at a quarter or less; O(1)."""
    if capacity is None:
        return CapacityStatus(None, in_use, None, "unknown")
    free = max(0, capacity - in_use)
    if free == 0:
        level = "full"
    elif free <= FEW_SHARE * capacity:
        level = "few"
    else:
        level = "free"
    return CapacityStatus(capacity, in_use, free, level)
