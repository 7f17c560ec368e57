from motcua.units.models.agencies import Agency, AgencyKind, Counter
from motcua.units.models.units import (
    REFORM_DATE,
    Level,
    SuccessionKind,
    Unit,
    UnitSuccession,
    UnitType,
)

__all__ = [
    "REFORM_DATE",
    "Agency",
    "AgencyKind",
    "Counter",
    "Level",
    "SuccessionKind",
    "Unit",
    "UnitSuccession",
    "UnitType",
]
