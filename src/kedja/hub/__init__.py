"""The collaboration hub: the directory (Open Referral HSDS 3.0), offers and needs, capacity.

Pure: plain data in, plain data out. Referrals' state machine is in :mod:`kedja.core.journeys`
and the rule that a receiver sees a person only after consent in :mod:`kedja.core.access`.
"""

from kedja.hub.capacity import CapacityStatus, capacity_status
from kedja.hub.hsds import (
    directory_from_hsds,
    directory_from_zip,
    directory_to_hsds,
    directory_to_zip,
)
from kedja.hub.offers import PostingMatch, fits, suggest_matches

__all__ = [
    "CapacityStatus",
    "PostingMatch",
    "capacity_status",
    "directory_from_hsds",
    "directory_from_zip",
    "directory_to_hsds",
    "directory_to_zip",
    "fits",
    "suggest_matches",
]
