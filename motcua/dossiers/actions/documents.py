"""Documents attached to a dossier, stored by content outside the transaction.

An upload answers one of the procedure version's required documents (`requirement`), or none:
then it is an "other document" — shown as such in the API and on the receipt, never as if it
answered a requirement.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.models import User
from motcua.accounts.viewer import Viewer
from motcua.common.errors import InvalidInputError
from motcua.dossiers.access import actors_for, lock_visible_dossier
from motcua.dossiers.actions.records import record_event
from motcua.dossiers.errors import ActionNotAllowedError, DossierNotFoundError, NotPermittedError
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.queries import with_rules
from motcua.dossiers.storage import StoredFile, store_upload
from motcua.dossiers.workflow import (
    APPLICANT_UPLOAD_STAGES,
    STATUS_OF,
    UPLOAD_STAGES,
    Actor,
    Stage,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptFile:
    """A file already in the content-addressed store (`storage.store_upload`), with the name it
    was uploaded under and the required document it answers (None: an "other document")."""

    stored: StoredFile
    file_name: str
    requirement_id: int | None


def do_attach_document(
    dossier: Dossier,
    upload: UploadedFile,
    *,
    acting_user: User,
    viewer: Viewer | None = None,
    requirement_id: int | None,
    digitised: bool = False,
) -> DossierDocument:
    """Store the file (content-addressed, outside the transaction) and attach it.

    Locks the dossier row; appends an `attach_document` audit event (no outbox row: the sync
    record does not change). Raises UploadRefusedError (type by content, size),
    InvalidInputError (a requirement of another procedure), ActionNotAllowedError (the dossier
    no longer takes documents; from the applicant's side, only while submitted or asked for a
    supplement), NotPermittedError (neither the applicant's side nor an official acting on it).
    """
    viewer = viewer if viewer is not None else Viewer.of(acting_user)
    actors = actors_for(viewer, dossier)
    if not actors:
        raise NotPermittedError("attach_document")
    # The applicant's side uploads while completing the dossier; officials also while they
    # digitise paper during processing.
    open_stages = UPLOAD_STAGES if actors - {Actor.APPLICANT} else APPLICANT_UPLOAD_STAGES
    if requirement_id is not None and not any(
        r.id == requirement_id for r in dossier.procedure_version.documents.all()
    ):
        raise InvalidInputError(
            "requirement", gettext("this document is not one of the procedure's requirements.")
        )
    stored = store_upload(upload)
    with transaction.atomic(durable=True):
        found = lock_visible_dossier(viewer, dossier.id)
        if found is None:
            raise DossierNotFoundError(dossier.code)
        locked = with_rules(found)
        if locked.stage not in open_stages:
            raise ActionNotAllowedError("attach_document", locked.stage)
        document = add_document(
            locked,
            KeptFile(stored, upload.name or "file", requirement_id),
            acting_user=acting_user,
            digitised=digitised,
            now=timezone.now(),
        )
        locked.save(update_fields=["row_version", "audit_seq", "audit_head", "updated_at"])
    return document


def add_document(
    dossier: Dossier,
    kept: KeptFile,
    *,
    acting_user: User,
    now: dt.datetime,
    digitised: bool = False,
) -> DossierDocument:
    """Inside the caller's transaction, with the dossier row locked or just created: the
    document's row and its `attach_document` audit event; the dossier's version and chain head
    move in memory, and the caller saves them."""
    document = DossierDocument.objects.create(
        dossier=dossier,
        requirement_id=kept.requirement_id,
        file_name=kept.file_name[:255],
        content_type=kept.stored.content_type,
        size=kept.stored.size,
        sha256=kept.stored.sha256,
        digitised=digitised,
        uploaded_by=acting_user,
        uploaded_at=now,
    )
    dossier.row_version += 1
    stage = Stage(dossier.stage)
    record_event(
        dossier,
        "attach_document",
        user=acting_user,
        role="",
        from_stage=stage.value,
        from_status=STATUS_OF[stage],
        now=now,
        payload={
            "document": document.id,
            "sha256": kept.stored.sha256,
            "requirement": kept.requirement_id,
        },
    )
    return document
