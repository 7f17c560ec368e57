"""Filing a dossier: checks before anything is written, the daily code, idempotent retries."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.applicants import Applicant, find_applicant
from motcua.accounts.claims import new_claim_code
from motcua.accounts.models import Role, User
from motcua.accounts.viewer import Viewer
from motcua.catalog.models import Procedure
from motcua.catalog.offering import (
    competent_agency_for,
    require_may_receive,
    require_service_centre,
)
from motcua.catalog.rules import version_rules
from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.common.prepared import PreparedRead
from motcua.dossiers.actions.documents import KeptFile, add_document
from motcua.dossiers.actions.records import record_event, record_sync
from motcua.dossiers.models import (
    Channel,
    DeliveryMethod,
    Dossier,
    DossierCounter,
    IdempotencyRecord,
)
from motcua.dossiers.queries import keep_related
from motcua.dossiers.workflow import (
    STATUS_OF,
    Actor,
    Stage,
)
from motcua.units.models import Agency

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    procedure_code: str
    receiving_agency_code: str
    channel: str = Channel.ONLINE
    applicant_personal_id: str = ""
    applicant_name: str = ""
    applicant_tax_code: str = ""
    commune_code: str = ""
    summary: str = ""
    delivery_method: str = DeliveryMethod.COUNTER
    delivery_address: str = ""
    delegation_reason: str = ""
    # Counter and post: the phone the applicant gave in person (accounts.applicants).
    applicant_phone: str = ""

    def fingerprint(self) -> str:
        fields = dict(self.__dict__)
        # Added later: left out when empty, so a retry of a request made before they existed
        # still matches the key's fingerprint.
        for later in ("delegation_reason", "applicant_phone"):
            if not fields[later]:
                del fields[later]
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def do_submit_dossier(
    submission: Submission,
    *,
    acting_user: User,
    idempotency_key: str = "",
    documents: Sequence[KeptFile] = (),
) -> tuple[Dossier, bool]:
    """Create a dossier in status 1 (submitted). Returns (dossier, created).

    With an Idempotency-Key, a retry of the same request returns the dossier made the first time
    (created=False); the same key with a different request is an InvalidInputError. Validates
    everything before writing: unknown procedure or agency (NotFoundError), a procedure not
    offered in the province, an agency that is not a service centre, a wrong channel for the
    user, an applicant the user may not file for (InvalidInputError: accounts.applicants). The
    dossier and its submit event record who filed for whom, in which capacity (self,
    representative, delegate, counter) and a delegate's reason.

    `documents`, files already kept in the store (an online submission uploads them before it
    submits), are attached in the same transaction, each with its `attach_document` event: the
    dossier exists with all of them or not at all. A requirement of another procedure is an
    InvalidInputError on `requirement`. They are not part of the key's fingerprint.
    """
    key = idempotency_key.strip()[:100]
    if key:
        previous = _idempotent_replay(acting_user, key, submission)
        if previous is not None:
            return previous, False
    try:
        dossier = _submit(submission, acting_user=acting_user, key=key, documents=documents)
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its dossier.
        previous = _idempotent_replay(acting_user, key, submission) if key else None
        if previous is None:
            raise
        return previous, False
    return dossier, True


# The reads of every submission, compiled once per connection (common.prepared).
_read_idempotency = PreparedRead(
    lambda user_id, key: (
        IdempotencyRecord.objects.filter(user_id=user_id, key=key)
        .select_related("dossier")
        .order_by("pk")[:1]
    )
)
_read_centre = PreparedRead(
    lambda code: (
        Agency.objects.filter(code=code, is_active=True).select_related("unit").order_by("pk")[:1]
    )
)
_read_current_version = PreparedRead(
    lambda national: (
        Procedure.objects.filter(national_code=national, current__isnull=False)
        .only("id", "current_id")
        .order_by("pk")[:1]
    )
)


def _idempotent_replay(user: User, key: str, submission: Submission) -> Dossier | None:
    record = next(iter(_read_idempotency(user.id, key)), None)
    if record is None:
        return None
    if record.request_hash != submission.fingerprint():
        raise InvalidInputError(
            "Idempotency-Key", gettext("this key was already used for a different request.")
        )
    return record.dossier


@transaction.atomic(durable=True)
def _submit(
    submission: Submission, *, acting_user: User, key: str, documents: Sequence[KeptFile]
) -> Dossier:
    now = timezone.now()
    channel = _choice(submission.channel, Channel, "channel")
    delivery = _choice(submission.delivery_method, DeliveryMethod, "delivery_method")
    if delivery == DeliveryMethod.POST and not submission.delivery_address.strip():
        raise InvalidInputError("delivery_address", gettext("a postal address is required."))
    receiving = next(iter(_read_centre(submission.receiving_agency_code)), None)
    if receiving is None:
        raise NotFoundError(gettext("agency"), submission.receiving_agency_code)
    require_service_centre(receiving)
    national = submission.procedure_code.partition(".000.00.00.")[0]
    current = _read_current_version(national)
    version_id = current[0].current_id if current else None
    if version_id is None:
        raise NotFoundError(gettext("procedure"), submission.procedure_code)
    version = version_rules(version_id)
    procedure = version.procedure
    competent = competent_agency_for(procedure, receiving, submission.commune_code)
    require_may_receive(version, receiving, competent)
    applicant = _applicant(submission, acting_user, channel, receiving)
    requirements = {r.id for r in version.documents.all()}
    if any(
        d.requirement_id is not None and d.requirement_id not in requirements for d in documents
    ):
        raise InvalidInputError(
            "requirement", gettext("this document is not one of the procedure's requirements.")
        )
    code = _next_code(receiving, now)
    dossier = Dossier(
        code=code,
        province_code=receiving.province_code,
        procedure=procedure,
        procedure_version=version,
        applicant_citizen=applicant.citizen,
        applicant_business=applicant.business,
        applicant_name=applicant.name,
        submitted_by=acting_user,
        filed_as=applicant.capacity,
        delegation_reason=applicant.reason,
        summary=submission.summary.strip()[:500] or version.name[:500],
        channel=channel,
        receiving_agency=receiving,
        receiving_unit=receiving.unit,
        competent_agency=competent,
        current_agency=receiving,
        status=STATUS_OF[Stage.SUBMITTED],
        stage=Stage.SUBMITTED,
        submitted_at=now,
        delivery_method=delivery,
        delivery_address=submission.delivery_address.strip()[:500],
        claim_code=new_claim_code() if applicant.is_accountless else "",
    )
    actor = Actor.APPLICANT if channel in (Channel.ONLINE, Channel.KIOSK) else Actor.RECEIVER
    # The first event is chained before the row exists, so the row is written once, with its
    # chain's head.
    event = record_event(
        dossier,
        "submit",
        user=acting_user,
        role=actor.value,
        from_stage="",
        from_status=None,
        now=now,
        payload={
            "channel": channel,
            "competent_agency": competent.code,
            # Who filed (the event's user) for whom, and in which capacity: ids, no personal data.
            "applicant": (
                f"citizen:{applicant.citizen.id}"
                if applicant.citizen
                else f"business:{applicant.business.id}"  # type: ignore[union-attr]
            ),
            "filed_as": applicant.capacity.value,
            **({"delegation_reason": applicant.reason} if applicant.reason else {}),
        },
    )
    dossier.save(force_insert=True)
    event.dossier = dossier
    event.save()
    attached = [add_document(dossier, d, acting_user=acting_user, now=now) for d in documents]
    if attached:
        dossier.save(update_fields=["row_version", "audit_seq", "audit_head", "updated_at"])
    record_sync(dossier, "submit", before=None, now=now)
    keep_related(dossier, "documents", attached)
    for name in ("steps", "results"):
        keep_related(dossier, name, [])
    if key:
        IdempotencyRecord.objects.create(
            user=acting_user, key=key, request_hash=submission.fingerprint(), dossier=dossier
        )
    logger.info("Dossier %s submitted", code, extra={"dossier_id": dossier.id})
    return dossier


def _choice(value: str, choices: Any, field_name: str) -> str:
    if value not in choices.values:
        raise InvalidInputError(
            field_name, gettext("must be one of {values}.").format(values=", ".join(choices.values))
        )
    return value


def _applicant(submission: Submission, user: User, channel: str, receiving: Agency) -> Applicant:
    viewer = Viewer.of(user)
    official = viewer.official
    if channel in (Channel.COUNTER, Channel.POST):
        if official is None or not viewer.holds(Role.RECEIVER, receiving.id):
            raise InvalidInputError(
                "channel",
                gettext(
                    "only a receiving officer of this centre records counter and postal dossiers."
                ),
            )
    elif official is not None:
        raise InvalidInputError(
            "channel", gettext("officials record dossiers through the counter channel.")
        )
    return find_applicant(
        user,
        personal_id=submission.applicant_personal_id,
        name=submission.applicant_name,
        tax_code=submission.applicant_tax_code,
        reason=submission.delegation_reason,
        seen_in_person=official is not None,
        phone=submission.applicant_phone,
    )


def _next_code(agency: Agency, now: dt.datetime) -> str:
    """`<agency code>-<YYMMDD>-<NNNN>`: the running number per agency per day (Circular 01/2018
    art. 19). One upsert takes the next number: the row's lock (PostgreSQL) or the writer lock
    (SQLite) is held until the submission commits, so concurrent submissions get distinct,
    gap-free numbers."""
    day = timezone.localtime(now).date()
    table = connection.ops.quote_name(DossierCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [agency.id, day],
        )
        number = cursor.fetchone()[0]
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"
