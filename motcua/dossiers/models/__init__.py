from motcua.dossiers.models.audit import DossierEvent, DossierRead
from motcua.dossiers.models.documents import DossierDocument
from motcua.dossiers.models.dossiers import (
    Channel,
    DeliveryMethod,
    Dossier,
    DossierCounter,
    DossierResult,
    DossierStep,
    IdempotencyRecord,
    Outcome,
)
from motcua.dossiers.models.outbox import OutboxMessage

__all__ = [
    "Channel",
    "DeliveryMethod",
    "Dossier",
    "DossierCounter",
    "DossierDocument",
    "DossierEvent",
    "DossierRead",
    "DossierResult",
    "DossierStep",
    "IdempotencyRecord",
    "OutboxMessage",
    "Outcome",
]
