"""The only code that changes the catalogue: drafts, processes, publication.

A published version is never edited: an administrator makes a draft from it, edits the draft,
and publishes it, which supersedes the old one. Dossiers keep pointing at the version they were
filed under.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.models import User
from motcua.catalog.applicants import applicant_kinds
from motcua.catalog.errors import ProcessInvalidError, VersionNotEditableError
from motcua.catalog.models import (
    Channel,
    LegalBasis,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    ResultDocument,
    VersionStatus,
)
from motcua.catalog.process import StepSpec, validate_process
from motcua.catalog.queries import configured_steps, legal_limit_hours
from motcua.catalog.search import rebuild_search_words
from motcua.common.text import fold
from motcua.units.models import Agency

logger = logging.getLogger(__name__)

_CHILDREN = (Channel, RequiredDocument, ResultDocument, LegalBasis, ProcessStep)


@transaction.atomic
def publish_version(version: ProcedureVersion, *, usage_weight: int | None = None) -> None:
    """Make `version` current and copy its search columns onto the procedure.

    Locks the procedure row. The previous current version becomes superseded, never edited.
    Raises ProcessOverBudgetError / ProcessInvalidError if its configured process breaks the law.
    """
    procedure = Procedure.objects.select_for_update(no_key=True).get(id=version.procedure_id)
    steps = configured_steps(version)
    if steps:
        validate_process(steps, legal_limit_hours(version))
    if procedure.current_id and procedure.current_id != version.id:
        ProcedureVersion.objects.filter(id=procedure.current_id).update(
            status=VersionStatus.SUPERSEDED
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    procedure.current = version
    procedure.name = version.name
    procedure.name_folded = fold(version.name)
    procedure.field = version.field
    procedure.at_province = "province" in version.levels
    procedure.at_commune = "commune" in version.levels
    procedure.online_level = version.online_level
    procedure.applicant_kinds = " ".join(applicant_kinds(version.applicants))
    procedure.needs_review = bool(version.review_reasons)
    if usage_weight is not None:
        procedure.usage_weight = usage_weight
    procedure.save()
    version.procedure = procedure


@transaction.atomic(durable=True)
def do_publish_version(version: ProcedureVersion, *, acting_user: User | None) -> None:
    """Publish a draft. Raises VersionNotEditableError if it is not a draft, and the process
    errors of publish_version."""
    if version.status != VersionStatus.DRAFT:
        raise VersionNotEditableError(str(version))
    publish_version(version)
    rebuild_search_words()
    logger.info(
        "Published procedure version %s",
        version,
        extra={"version_id": version.id, "user_id": getattr(acting_user, "id", None)},
    )


@transaction.atomic(durable=True)
def do_create_draft(procedure: Procedure, *, acting_user: User | None) -> ProcedureVersion:
    """Copy the current version (with its channels, documents, results, legal basis and
    process) into a new draft version. Locks the procedure row so two drafts get two numbers."""
    procedure = Procedure.objects.select_for_update(no_key=True).get(id=procedure.id)
    source = procedure.current
    if source is None:
        raise VersionNotEditableError(procedure.national_code)
    number = (
        procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    children = {model: list(model.objects.filter(version=source)) for model in _CHILDREN}
    draft = ProcedureVersion.objects.get(id=source.id)
    draft.pk = None
    draft.number = number
    draft.status = VersionStatus.DRAFT
    draft.published_at = None
    draft.content_hash = ""
    draft.source = "admin"
    draft.change_note = ""
    draft.save()
    for model, rows in children.items():
        for row in rows:
            row.pk = None
            row.version = draft
        model.objects.bulk_create(rows)
    logger.info("Draft %s created", draft, extra={"user_id": getattr(acting_user, "id", None)})
    return draft


@transaction.atomic(durable=True)
def do_set_process(
    version: ProcedureVersion, steps: Sequence[StepSpec], *, acting_user: User | None
) -> list[ProcessStep]:
    """Replace a draft's internal process. Validates before writing: the steps may not exceed
    the legal limit (ProcessOverBudgetError), name unknown agencies (ProcessInvalidError), or
    change a published version (VersionNotEditableError)."""
    if version.status != VersionStatus.DRAFT:
        raise VersionNotEditableError(str(version))
    validate_process(steps, legal_limit_hours(version))
    codes = {s.agency_code for s in steps if s.agency_code}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    missing = sorted(codes - agencies.keys())
    if missing:
        raise ProcessInvalidError(
            gettext("unknown agency {codes}").format(codes=", ".join(missing))
        )
    ProcessStep.objects.filter(version=version).delete()
    return ProcessStep.objects.bulk_create(
        [
            ProcessStep(
                version=version,
                order=n,
                kind=s.kind,
                role=s.role,
                selector=s.selector,
                agency=agencies.get(s.agency_code or ""),
                budget_hours=s.budget_hours,
            )
            for n, s in enumerate(steps, start=1)
        ]
    )
