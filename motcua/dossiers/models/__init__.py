from motcua.dossiers.models.apologies import Apology, ApologyStatus
from motcua.dossiers.models.audit import (
    AuditCheckpoint,
    CheckpointedHead,
    DossierEvent,
    DossierRead,
)
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
from motcua.dossiers.models.drafts import DraftDocument, SubmissionDraft
from motcua.dossiers.models.outbox import OutboxMessage
from motcua.dossiers.models.slips import DossierSlip, SlipKind

__all__ = [
    "Apology",
    "ApologyStatus",
    "AuditCheckpoint",
    "Channel",
    "CheckpointedHead",
    "DeliveryMethod",
    "Dossier",
    "DossierCounter",
    "DossierDocument",
    "DossierEvent",
    "DossierRead",
    "DossierResult",
    "DossierSlip",
    "DossierStep",
    "DraftDocument",
    "IdempotencyRecord",
    "OutboxMessage",
    "Outcome",
    "SlipKind",
    "SubmissionDraft",
]
