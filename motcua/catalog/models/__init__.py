from motcua.catalog.models.imports import ImportRun
from motcua.catalog.models.offerings import ProcedureOffering
from motcua.catalog.models.procedures import (
    ApplicantKind,
    Channel,
    ChannelKind,
    LegalBasis,
    OnlineLevel,
    Procedure,
    ProcedureField,
    ProcedureLevel,
    ProcedureVersion,
    RequiredDocument,
    ResultDocument,
    TimeUnit,
    VersionStatus,
)
from motcua.catalog.models.process import AgencySelector, ProcessStep, StepKind
from motcua.catalog.models.search_words import SearchWord

__all__ = [
    "AgencySelector",
    "ApplicantKind",
    "Channel",
    "ChannelKind",
    "ImportRun",
    "LegalBasis",
    "OnlineLevel",
    "Procedure",
    "ProcedureField",
    "ProcedureLevel",
    "ProcedureOffering",
    "ProcedureVersion",
    "ProcessStep",
    "RequiredDocument",
    "ResultDocument",
    "SearchWord",
    "StepKind",
    "TimeUnit",
    "VersionStatus",
]
