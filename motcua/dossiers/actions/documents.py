"""Documents attached to a dossier, stored by content outside the transaction."""

from __future__ import annotations

import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.models import User
from motcua.catalog.models import RequiredDocument
from motcua.common.errors import InvalidInputError
from motcua.dossiers.access import actors_for
from motcua.dossiers.actions.records import record_event_only
from motcua.dossiers.errors import (
    ActionNotAllowedError,
    NotPermittedError,
)
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
)
from motcua.dossiers.storage import store_upload
from motcua.dossiers.workflow import UPLOAD_STAGES

logger = logging.getLogger(__name__)


def do_attach_document(
    dossier: Dossier,
    upload: UploadedFile,
    *,
    acting_user: User,
    requirement_id: int | None,
    digitised: bool = False,
) -> DossierDocument:
    """Store the file (content-addressed, outside the transaction) and attach it.

    Raises UploadRefusedError (type by content, size), InvalidInputError (a requirement of
    another procedure), ActionNotAllowedError (the dossier no longer takes documents),
    NotPermittedError (neither the applicant's side nor an official acting on it).
    """
    if not actors_for(acting_user, dossier):
        raise NotPermittedError("attach_document")
    requirement = None
    if requirement_id is not None:
        requirement = RequiredDocument.objects.filter(
            id=requirement_id, version_id=dossier.procedure_version_id
        ).first()
        if requirement is None:
            raise InvalidInputError(
                "requirement", gettext("this document is not one of the procedure's requirements.")
            )
    stored = store_upload(upload)
    with transaction.atomic(durable=True):
        locked = Dossier.objects.select_for_update(no_key=True).get(id=dossier.id)
        if locked.stage not in UPLOAD_STAGES:
            raise ActionNotAllowedError("attach_document", locked.stage)
        document = DossierDocument.objects.create(
            dossier=locked,
            requirement=requirement,
            file_name=(upload.name or "file")[:255],
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            digitised=digitised,
            uploaded_by=acting_user,
            uploaded_at=timezone.now(),
        )
        record_event_only(
            locked,
            "attach_document",
            user=acting_user,
            payload={
                "document": document.id,
                "sha256": stored.sha256,
                "requirement": requirement_id,
            },
        )
    return document
