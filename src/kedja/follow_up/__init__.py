"""Follow-up of participants: progression, outcomes, indicators and disclosure control (pure)."""

from kedja.follow_up.exports import indicators_csv, indicators_xlsx
from kedja.follow_up.indicators import (
    IndicatorTable,
    Participant,
    age_band,
    equal_treatment_report,
    indicator_report,
)
from kedja.follow_up.progression import distance_travelled
from kedja.follow_up.suppression import (
    PublishedTable,
    hidden_cell_ranges,
    suppress_table,
)

__all__ = [
    "IndicatorTable",
    "Participant",
    "PublishedTable",
    "age_band",
    "distance_travelled",
    "equal_treatment_report",
    "hidden_cell_ranges",
    "indicator_report",
    "indicators_csv",
    "indicators_xlsx",
    "suppress_table",
]
