"""The only code that changes a dossier's state (STYLE.md §3).

`do_submit_dossier` creates a dossier; `do_attach_document` adds an upload; every other change is
an `Action` applied by `do_act_on_dossier`, which, in one transaction: locks the dossier row and
checks the version the caller saw (ConflictError), checks the actor's capacity
(NotPermittedError) and the state (ActionNotAllowedError), applies the transition and the clock
rules, appends the hash-chained audit event and writes the outbox row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.models import Business, Citizen, Official, Role, RoleMembership, User
from motcua.catalog.models import Procedure, ProcedureOffering, RequiredDocument
from motcua.catalog.queries import effective_process
from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.common.text import fold
from motcua.dossiers import clock
from motcua.dossiers.access import actors_for, official_of
from motcua.dossiers.audit import append_event
from motcua.dossiers.errors import (
    ActionNotAllowedError,
    ConflictError,
    DocumentsMissingError,
    NotPermittedError,
    RescheduleRefusedError,
)
from motcua.dossiers.models import (
    Channel,
    DeliveryMethod,
    Dossier,
    DossierCounter,
    DossierDocument,
    DossierEvent,
    DossierResult,
    DossierStep,
    IdempotencyRecord,
    OutboxMessage,
)
from motcua.dossiers.outbox import sync_payload
from motcua.dossiers.storage import store_upload
from motcua.dossiers.workflow import (
    STATUS_OF,
    Action,
    Actor,
    Stage,
    actions_from,
    find_transition,
    transitions_for,
)
from motcua.units.models import Agency, AgencyKind
from motcua.worktime.queries import get_calendar

logger = logging.getLogger(__name__)

STEP_OF_STAGE = {
    Stage.APPRAISING: "appraise",
    Stage.AWAITING_APPROVAL: "approve",
    Stage.AWAITING_SIGNATURE: "sign",
    Stage.SIGNED: "sign",
    Stage.INTER_AGENCY: "inter_agency",
    Stage.RESULT_READY: "return",
}
ROLE_OF_STEP = {
    "appraise": "specialist",
    "approve": "leader",
    "sign": "clerk",
    "inter_agency": "specialist",
    "return": "receiver",
    "receive": "receiver",
}
# Uploads are accepted while the applicant completes the dossier, and from officials while they
# digitise paper during processing.
UPLOAD_STAGES = frozenset({Stage.SUBMITTED, Stage.SUPPLEMENT_REQUESTED}) | set(STEP_OF_STAGE)


# ---------------------------------------------------------------------------------------------
# Submission
# ---------------------------------------------------------------------------------------------


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

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.__dict__, sort_keys=True).encode()).hexdigest()


def do_submit_dossier(
    submission: Submission, *, acting_user: User, idempotency_key: str = ""
) -> tuple[Dossier, bool]:
    """Create a dossier in status 1 (submitted). Returns (dossier, created).

    With an Idempotency-Key, a retry of the same request returns the dossier made the first time
    (created=False); the same key with a different request is an InvalidInputError. Validates
    everything before writing: unknown procedure or agency (NotFoundError), a procedure not
    offered in the province, an agency that is not a service centre, a wrong channel for the
    user, an unknown applicant (InvalidInputError).
    """
    key = idempotency_key.strip()[:100]
    if key:
        previous = _idempotent_replay(acting_user, key, submission)
        if previous is not None:
            return previous, False
    try:
        dossier = _submit(submission, acting_user=acting_user, key=key)
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its dossier.
        previous = _idempotent_replay(acting_user, key, submission) if key else None
        if previous is None:
            raise
        return previous, False
    return dossier, True


def _idempotent_replay(user: User, key: str, submission: Submission) -> Dossier | None:
    record = IdempotencyRecord.objects.filter(user=user, key=key).select_related("dossier").first()
    if record is None:
        return None
    if record.request_hash != submission.fingerprint():
        raise InvalidInputError(
            "Idempotency-Key", gettext("this key was already used for a different request.")
        )
    return record.dossier


@transaction.atomic(durable=True)
def _submit(submission: Submission, *, acting_user: User, key: str) -> Dossier:
    now = timezone.now()
    channel = _choice(submission.channel, Channel, "channel")
    delivery = _choice(submission.delivery_method, DeliveryMethod, "delivery_method")
    if delivery == DeliveryMethod.POST and not submission.delivery_address.strip():
        raise InvalidInputError("delivery_address", gettext("a postal address is required."))
    receiving = (
        Agency.objects.filter(code=submission.receiving_agency_code, is_active=True)
        .select_related("unit")
        .first()
    )
    if receiving is None:
        raise NotFoundError(gettext("agency"), submission.receiving_agency_code)
    if not receiving.is_service_centre:
        raise InvalidInputError(
            "receiving_agency",
            gettext("dossiers are received at a Public Administration Service Centre."),
        )
    national = submission.procedure_code.partition(".000.00.00.")[0]
    procedure = (
        Procedure.objects.select_related("current")
        .filter(national_code=national, current__isnull=False)
        .first()
    )
    if procedure is None:
        raise NotFoundError(gettext("procedure"), submission.procedure_code)
    version = procedure.current
    assert version is not None
    competent = _competent_agency(procedure, receiving, submission.commune_code)
    if not version.boundary_free and not _natural_centre(receiving, competent):
        raise InvalidInputError(
            "receiving_agency",
            gettext(
                "this procedure is not boundary-free: submit it at the centre of the competent "
                "agency."
            ),
        )
    applicant_citizen, applicant_business, name = _applicant(
        submission, acting_user, channel, receiving
    )
    code = _next_code(receiving, now)
    dossier = Dossier.objects.create(
        code=code,
        province_code=receiving.province_code,
        procedure=procedure,
        procedure_version=version,
        applicant_citizen=applicant_citizen,
        applicant_business=applicant_business,
        applicant_name=name,
        submitted_by=acting_user,
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
    )
    _record(
        dossier,
        "submit",
        user=acting_user,
        actor=Actor.APPLICANT if channel in (Channel.ONLINE, Channel.KIOSK) else Actor.RECEIVER,
        from_stage="",
        from_status=None,
        now=now,
        payload={"channel": channel, "competent_agency": competent.code},
    )
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


def _competent_agency(procedure: Procedure, receiving: Agency, commune_code: str) -> Agency:
    offerings = {
        o.level: o
        for o in ProcedureOffering.objects.filter(
            procedure=procedure,
            province_code=receiving.province_code,
            is_active=True,
        ).select_related("competent_agency")
    }
    if not offerings:
        raise InvalidInputError(
            "procedure", gettext("this procedure is not offered in this province.")
        )
    at_commune_centre = receiving.kind == AgencyKind.COMMUNE_CENTRE
    if "commune" in offerings and (
        at_commune_centre or commune_code or "province" not in offerings
    ):
        prefix = f"H{receiving.province_code}"
        if commune_code:
            code = f"{prefix}.{commune_code}"
        elif at_commune_centre and receiving.parent_id:
            return Agency.objects.get(id=receiving.parent_id)
        else:
            raise InvalidInputError(
                "commune_code", gettext("a commune-level procedure needs the commune concerned.")
            )
        committee = Agency.objects.filter(code=code, kind=AgencyKind.COMMUNE_COMMITTEE).first()
        if committee is None:
            raise NotFoundError(gettext("commune"), commune_code)
        return committee
    offering = offerings["province"]
    if offering.competent_agency is None:
        raise InvalidInputError("procedure", gettext("no competent agency is configured."))
    return offering.competent_agency


def _natural_centre(receiving: Agency, competent: Agency) -> bool:
    if competent.kind == AgencyKind.COMMUNE_COMMITTEE:
        return receiving.parent_id == competent.id
    return receiving.kind in (AgencyKind.PROVINCIAL_CENTRE, AgencyKind.CENTRE_BRANCH)


def _applicant(
    submission: Submission, user: User, channel: str, receiving: Agency
) -> tuple[Citizen | None, Business | None, str]:
    official = official_of(user)
    if channel in (Channel.COUNTER, Channel.POST):
        if (
            official is None
            or not RoleMembership.objects.filter(
                official=official, agency=receiving, role=Role.RECEIVER
            ).exists()
        ):
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
    if submission.applicant_tax_code:
        business = Business.objects.filter(tax_code=submission.applicant_tax_code).first()
        if business is None:
            raise InvalidInputError(
                "applicant_tax_code", gettext("no registered business has this tax code.")
            )
        return None, business, business.name
    if submission.applicant_personal_id:
        citizen = Citizen.objects.filter(personal_id=submission.applicant_personal_id).first()
        # A delegate filing online names the person too: the ID number alone must not reveal
        # whose it is (an ID-to-name lookup), nor whether it is registered.
        if (
            official is None
            and citizen is not None
            and citizen.user_id != user.id
            and fold(submission.applicant_name) != fold(citizen.full_name)
        ):
            citizen = None
        if citizen is None:
            raise InvalidInputError(
                "applicant_personal_id",
                gettext("the ID number and name do not match a registered citizen."),
            )
        return citizen, None, citizen.full_name
    citizen = Citizen.objects.filter(user=user).first()
    if citizen is not None:
        return citizen, None, citizen.full_name
    business = Business.objects.filter(user=user).first()
    if business is not None:
        return None, business, business.name
    raise InvalidInputError("applicant_personal_id", gettext("the applicant is required."))


def _next_code(agency: Agency, now: dt.datetime) -> str:
    """`<agency code>-<YYMMDD>-<NNNN>`: the running number per agency per day (Circular 01/2018
    art. 19). The counter row is locked, so concurrent submissions get distinct numbers."""
    day = timezone.localtime(now).date()
    counter, _created = DossierCounter.objects.get_or_create(agency=agency, day=day)
    counter = DossierCounter.objects.select_for_update(no_key=True).get(id=counter.id)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{agency.code}-{day:%y%m%d}-{counter.last:04d}"


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


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
        _event_only(
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


def missing_documents(dossier: Dossier) -> list[str]:
    """Required documents with no upload: the ones to hand in ("Giấy tờ phải nộp" or ungrouped),
    mandatory, with at least one original or copy. Case-specific groups ("Trường hợp …") and
    documents to present ("xuất trình") are checked by the officer, not here."""
    uploaded = set(
        dossier.documents.exclude(requirement=None).values_list("requirement_id", flat=True)
    )
    missing = []
    for requirement in dossier.procedure_version.documents.all():
        group = requirement.group.lower()
        if group and not group.startswith("giấy tờ phải nộp"):
            continue
        if not requirement.mandatory or not (
            (requirement.originals or 0) + (requirement.copies or 0)
        ):
            continue
        if requirement.id not in uploaded:
            missing.append(requirement.name[:120])
    return missing


# ---------------------------------------------------------------------------------------------
# Actions on a dossier
# ---------------------------------------------------------------------------------------------


@dataclass
class Context:
    dossier: Dossier
    user: User
    actor: Actor
    now: dt.datetime
    params: dict[str, Any]
    payload: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Context], Stage | None]


def do_act_on_dossier(
    dossier_id: int,
    action: str,
    *,
    acting_user: User,
    expected_version: int | None = None,
    comment: str = "",
    params: dict[str, Any] | None = None,
) -> Dossier:
    """Apply `action` to the dossier. See the module docstring for the checks and records.

    Locks the dossier row (SELECT … FOR NO KEY UPDATE on PostgreSQL; SQLite serialises writers).
    Raises ConflictError, NotPermittedError, ActionNotAllowedError, InvalidInputError,
    DocumentsMissingError, RescheduleRefusedError (after recording the refused attempt).
    """
    try:
        chosen = Action(action)
    except ValueError:
        raise InvalidInputError(
            "action", gettext("unknown action {action}.").format(action=action)
        ) from None
    with transaction.atomic(durable=True):
        dossier, refused = apply_action(
            dossier_id,
            chosen,
            acting_user=acting_user,
            expected_version=expected_version,
            comment=comment,
            params=params,
        )
    if refused is not None:
        raise refused
    return dossier


def apply_action(
    dossier_id: int,
    chosen: Action,
    *,
    acting_user: User,
    expected_version: int | None = None,
    comment: str = "",
    params: dict[str, Any] | None = None,
) -> tuple[Dossier, RescheduleRefusedError | None]:
    """The body of `do_act_on_dossier`, for actions of other modules that act on a dossier
    inside their own transaction (a plain atomic block). A refused reschedule is recorded and
    returned, not raised, so that the record commits with the caller's transaction."""
    refused: RescheduleRefusedError | None = None
    with transaction.atomic():
        dossier = (
            # Lock the dossier row only; the joined rows are read, not locked.
            Dossier.objects.select_for_update(no_key=True, of=("self",))
            .select_related(
                "procedure",
                "procedure_version",
                "receiving_agency",
                "competent_agency",
                "current_agency",
                "applicant_citizen",
                "applicant_business",
            )
            .get(id=dossier_id)
        )
        if expected_version is not None and dossier.row_version != expected_version:
            raise ConflictError(expected_version, dossier.row_version)
        stage = Stage(dossier.stage)
        mine = actors_for(acting_user, dossier)
        transition = find_transition(chosen, stage, accepted=dossier.accepted_at is not None)
        if transition is None:
            # Not open at this stage: say so to those who could ever take it, else 403.
            if not any(t.actors & mine for t in transitions_for(chosen)):
                raise NotPermittedError(chosen.value)
            raise ActionNotAllowedError(chosen.value, stage.value)
        actors = mine & transition.actors
        if not actors:
            raise NotPermittedError(chosen.value)
        ctx = Context(dossier, acting_user, sorted(actors)[0], timezone.now(), params or {})
        try:
            target = HANDLERS[chosen](ctx)
        except RescheduleRefusedError as exc:
            # The law allows one new date; the attempt is refused but kept on record.
            dossier.flagged = [*dossier.flagged, "second_reschedule_refused"]
            _record(
                dossier,
                "reschedule_refused",
                user=acting_user,
                actor=ctx.actor,
                from_stage=stage,
                from_status=dossier.status,
                now=ctx.now,
                comment=comment,
                payload=ctx.params,
            )
            refused = exc
        else:
            new_stage = target if target is not None else stage
            _move(ctx, stage, new_stage)
            _record(
                dossier,
                chosen.value,
                user=acting_user,
                actor=ctx.actor,
                from_stage=stage,
                from_status=STATUS_OF[stage],
                now=ctx.now,
                comment=comment,
                payload=ctx.payload,
            )
    return dossier, refused


def next_actions(dossier: Dossier, user: User) -> list[str]:
    """What `user` may do on `dossier` now (the server decides; clients only display)."""
    return [
        a.value
        for a in actions_from(
            Stage(dossier.stage),
            actors_for(user, dossier),
            accepted=dossier.accepted_at is not None,
        )
    ]


def _move(ctx: Context, old: Stage, new: Stage) -> None:
    dossier = ctx.dossier
    dossier.stage = new
    dossier.status = STATUS_OF[new]
    old_step, new_step = STEP_OF_STAGE.get(old), STEP_OF_STAGE.get(new)
    if old_step != new_step or ctx.payload.get("restart_step"):
        if old_step:
            _finish_step(ctx)
        if new_step:
            _start_step(ctx, new_step)


def _calendar_of(agency: Agency):  # type: ignore[no-untyped-def]
    return get_calendar(agency.id)


def _start_step(ctx: Context, kind: str) -> None:
    dossier = ctx.dossier
    plan = {step["kind"]: step for step in dossier.process_plan}
    budget = Decimal(plan.get(kind, {}).get("budget_hours", "8"))
    calendar = _calendar_of(dossier.current_agency)
    DossierStep.objects.create(
        dossier=dossier,
        order=len(dossier.process_plan)
        and next((i for i, s in enumerate(dossier.process_plan, start=1) if s["kind"] == kind), 0),
        kind=kind,
        agency=dossier.current_agency,
        role=ROLE_OF_STEP.get(kind, ""),
        assignee=dossier.assignee if kind == "appraise" else None,
        budget_hours=budget,
        started_at=ctx.now,
        due_at=clock.step_due(ctx.now, budget, calendar),
    )


def _finish_step(ctx: Context) -> None:
    step = ctx.dossier.steps.filter(finished_at__isnull=True).order_by("-id").first()
    if step is None:
        return
    step.finished_at = ctx.now
    step.outcome = clock.outcome(ctx.now, step.due_at, _calendar_of(step.agency))
    step.save(update_fields=["finished_at", "outcome"])


def _require(ctx: Context, name: str) -> Any:
    value = ctx.params.get(name)
    if value in (None, "", []):
        raise InvalidInputError(name, gettext("this is required for this action."))
    return value


def _accept(ctx: Context) -> Stage:
    dossier = ctx.dossier
    missing = missing_documents(dossier)
    if missing:
        raise DocumentsMissingError(missing)
    version = dossier.procedure_version
    limit = clock.pick_limit(list(version.channels.all()), dossier.channel)
    calendar = _calendar_of(dossier.receiving_agency)
    due, notes = clock.compute_due(ctx.now, limit, calendar, cutoff=version.cutoff_time)
    steps, is_default = effective_process(version)
    dossier.accepted_at = ctx.now
    dossier.counted_from = due.counted_from if due else ctx.now
    dossier.due_at = due.due if due else None
    dossier.due_date = due.due_date if due else None
    dossier.due_explanation = clock.explain_due(due, limit, notes)
    dossier.process_plan = [
        {"kind": s.kind, "role": s.role, "budget_hours": str(s.budget_hours), "default": is_default}
        for s in steps
    ]
    if due is None:
        dossier.flagged = [*dossier.flagged, "no_legal_time_limit"]
    DossierStep.objects.create(
        dossier=dossier,
        order=1,
        kind="receive",
        agency=dossier.receiving_agency,
        role="receiver",
        budget_hours=Decimal(0),
        started_at=dossier.submitted_at,
        finished_at=ctx.now,
        outcome="on_time",
    )
    dossier.current_agency = dossier.competent_agency
    ctx.payload = {"due_at": dossier.due_at.isoformat() if dossier.due_at else None}
    return Stage.APPRAISING


def _refuse(ctx: Context) -> Stage:
    ctx.payload = {"reason": _require(ctx, "reason")}
    ctx.dossier.finished_at = ctx.now
    return Stage.REFUSED


def _request_supplement(ctx: Context) -> Stage:
    items = _require(ctx, "items")
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise InvalidInputError("items", gettext("list every missing document, in writing."))
    dossier = ctx.dossier
    dossier.supplement_count += 1
    if dossier.supplement_count > 1:
        # Decision 766 counts a second supplement request as overdue (DOMAIN §2.5).
        dossier.flagged = [*dossier.flagged, "more_than_one_supplement_request"]
    dossier.resume_stage = dossier.stage
    if dossier.accepted_at is not None:
        dossier.paused_at = ctx.now
    ctx.payload = {"items": items, "reason": ctx.params.get("reason", "")}
    return Stage.SUPPLEMENT_REQUESTED


def _supplement(ctx: Context) -> Stage:
    ctx.payload = {"note": ctx.params.get("note", "")}
    return Stage.SUPPLEMENT_RECEIVED


def _resume(ctx: Context, reason: str) -> None:
    dossier = ctx.dossier
    if dossier.paused_at is None or dossier.due_at is None:
        return
    calendar = _calendar_of(dossier.receiving_agency)
    new_due = clock.resume_due(dossier.due_at, dossier.paused_at, ctx.now, calendar)
    pause = {
        "reason": reason,
        "from": dossier.paused_at.isoformat(),
        "to": ctx.now.isoformat(),
        "previous_due": dossier.due_at.isoformat(),
        "new_due": new_due.isoformat(),
    }
    explanation = dict(dossier.due_explanation)
    explanation["pauses"] = [*explanation.get("pauses", []), pause]
    dossier.due_explanation = explanation
    dossier.previous_due_at = dossier.due_at
    dossier.due_at = new_due
    dossier.due_date = calendar.local(new_due).date()
    dossier.paused_at = None
    ctx.payload = pause


def _accept_supplement(ctx: Context) -> Stage:
    dossier = ctx.dossier
    back = Stage(dossier.resume_stage or Stage.SUBMITTED)
    if back == Stage.SUBMITTED:
        missing = missing_documents(dossier)
        if missing:
            raise DocumentsMissingError(missing)
    _resume(ctx, "supplement")
    dossier.resume_stage = ""
    ctx.payload["restart_step"] = back in STEP_OF_STAGE
    return back


def _assign(ctx: Context) -> None:
    username = _require(ctx, "assignee")
    official = Official.objects.filter(user__username=username).first()
    if (
        official is None
        or not RoleMembership.objects.filter(
            official=official, agency=ctx.dossier.current_agency, role=Role.SPECIALIST
        ).exists()
    ):
        raise InvalidInputError(
            "assignee",
            gettext("the assignee must be a specialist of the agency holding the dossier."),
        )
    ctx.dossier.assignee = official
    ctx.payload = {"assignee": username}


def _transfer(ctx: Context) -> Stage:
    code = _require(ctx, "agency")
    target = Agency.objects.filter(code=code, is_active=True).first()
    if target is None:
        raise NotFoundError(gettext("agency"), code)
    if target.id == ctx.dossier.current_agency_id:
        raise InvalidInputError("agency", gettext("the dossier is already at this agency."))
    ctx.dossier.current_agency = target
    ctx.dossier.assignee = None
    ctx.payload = {"to": code}
    return Stage.INTER_AGENCY


def _return_from_transfer(ctx: Context) -> Stage:
    ctx.payload = {"from": ctx.dossier.current_agency.code}
    ctx.dossier.current_agency = ctx.dossier.competent_agency
    # The other agency's assignee must not keep the dossier (and sight of it) once it is back.
    ctx.dossier.assignee = None
    return Stage.APPRAISING


def _forward(target: Stage) -> Handler:
    def handler(ctx: Context) -> Stage:
        return target

    return handler


def _return_to_previous(ctx: Context) -> Stage:
    _require(ctx, "reason")
    ctx.payload = {"reason": ctx.params["reason"], "restart_step": True}
    if ctx.dossier.stage == Stage.AWAITING_APPROVAL:
        return Stage.APPRAISING
    return Stage.AWAITING_APPROVAL


def _issue_result(ctx: Context) -> Stage:
    dossier = ctx.dossier
    number = dossier.results.count() + 1
    name = ctx.params.get("name") or next(
        iter(dossier.procedure_version.results.values_list("name", flat=True)), gettext("Result")
    )
    result = DossierResult.objects.create(
        dossier=dossier,
        code=f"{dossier.code}-KQ{number}",
        name=str(name)[:500],
        document_number=str(ctx.params.get("document_number", ""))[:100],
        issued_at=ctx.now,
    )
    dossier.finished_at = ctx.now
    dossier.outcome = clock.outcome(ctx.now, dossier.due_at, _calendar_of(dossier.receiving_agency))
    dossier.current_agency = dossier.receiving_agency
    ctx.payload = {"result": result.code, "outcome": dossier.outcome}
    return Stage.RESULT_READY


def _return_result(ctx: Context) -> Stage:
    ctx.dossier.returned_at = ctx.now
    ctx.payload = {"delivery": ctx.dossier.delivery_method}
    return Stage.RETURNED


def _request_payment(ctx: Context) -> Stage:
    amount = _require(ctx, "amount_vnd")
    if not isinstance(amount, int) or amount <= 0:
        raise InvalidInputError("amount_vnd", gettext("a positive amount in đồng."))
    ctx.dossier.resume_stage = ctx.dossier.stage
    ctx.dossier.paused_at = ctx.now
    ctx.payload = {"amount_vnd": amount}
    return Stage.AWAITING_PAYMENT


def _confirm_payment(ctx: Context) -> Stage:
    _resume(ctx, "financial_obligation")
    ctx.dossier.resume_stage = ""
    return Stage.APPRAISING


def _request_withdrawal(ctx: Context) -> Stage:
    ctx.payload = {"reason": ctx.params.get("reason", ""), "was": ctx.dossier.stage}
    return Stage.WITHDRAWAL_REQUESTED


def _stop(ctx: Context) -> Stage:
    ctx.payload = {"reason": _require(ctx, "reason")}
    ctx.dossier.finished_at = ctx.now
    ctx.dossier.paused_at = None
    return Stage.STOPPED


def _reschedule(ctx: Context) -> None:
    """One new date after an apology (Decree 61/2018, DOMAIN §1.4); a second is refused."""
    dossier = ctx.dossier
    reason = _require(ctx, "reason")
    raw = _require(ctx, "new_due")
    try:
        new_due = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInputError("new_due", gettext("an ISO 8601 date-time.")) from None
    calendar = _calendar_of(dossier.receiving_agency)
    if new_due.tzinfo is None:
        new_due = new_due.replace(tzinfo=calendar.tz)
    if dossier.reschedule_count >= 1:
        raise RescheduleRefusedError(dossier.code)
    if dossier.due_at is None or new_due <= dossier.due_at:
        raise InvalidInputError("new_due", gettext("the new date must be after the due date."))
    dossier.reschedule_count += 1
    dossier.previous_due_at = dossier.due_at
    dossier.due_at = new_due
    dossier.due_date = calendar.local(new_due).date()
    ctx.payload = {
        "reason": reason,
        "previous_due": dossier.previous_due_at.isoformat(),
        "new_due": new_due.isoformat(),
    }


HANDLERS: dict[Action, Handler] = {
    Action.ACCEPT: _accept,
    Action.REFUSE: _refuse,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT: _supplement,
    Action.ACCEPT_SUPPLEMENT: _accept_supplement,
    Action.ASSIGN: _assign,
    Action.TRANSFER: _transfer,
    Action.RETURN_FROM_TRANSFER: _return_from_transfer,
    Action.APPRAISE: _forward(Stage.AWAITING_APPROVAL),
    Action.RETURN_TO_PREVIOUS: _return_to_previous,
    Action.APPROVE: _forward(Stage.AWAITING_SIGNATURE),
    Action.SIGN: _forward(Stage.SIGNED),
    Action.ISSUE_RESULT: _issue_result,
    Action.RETURN_RESULT: _return_result,
    Action.REQUEST_PAYMENT: _request_payment,
    Action.CONFIRM_PAYMENT: _confirm_payment,
    Action.REQUEST_WITHDRAWAL: _request_withdrawal,
    Action.STOP: _stop,
    Action.RESCHEDULE: _reschedule,
}


# ---------------------------------------------------------------------------------------------
# Records: audit event, outbox, row version
# ---------------------------------------------------------------------------------------------


def _record(
    dossier: Dossier,
    action: str,
    *,
    user: User,
    actor: Actor,
    from_stage: str,
    from_status: int | None,
    now: dt.datetime,
    comment: str = "",
    payload: dict[str, Any] | None = None,
) -> None:
    if dossier.pk and from_stage:
        dossier.row_version += 1
        dossier.save()
    last = dossier.events.order_by("-seq").first() if from_stage else None
    append_event(
        dossier,
        DossierEvent(
            actor=user,
            actor_name=user.get_full_name() or user.username,
            role=actor.value,
            agency_code=dossier.current_agency.code,
            action=action,
            from_stage=from_stage,
            to_stage=dossier.stage,
            from_status=from_status,
            to_status=dossier.status,
            at=now,
            comment=comment[:2000],
            payload=_jsonable(payload or {}),
        ),
        last=last,
    )
    if from_status != dossier.status:
        OutboxMessage.objects.create(
            topic=f"dossier.{action}",
            dossier=dossier,
            payload=sync_payload(dossier),
            created_at=now,
        )


def _event_only(dossier: Dossier, action: str, *, user: User, payload: dict[str, Any]) -> None:
    last = dossier.events.order_by("-seq").first()
    dossier.row_version += 1
    dossier.save(update_fields=["row_version", "updated_at"])
    append_event(
        dossier,
        DossierEvent(
            actor=user,
            actor_name=user.get_full_name() or user.username,
            role="",
            agency_code=dossier.current_agency.code,
            action=action,
            from_stage=dossier.stage,
            to_stage=dossier.stage,
            from_status=dossier.status,
            to_status=dossier.status,
            at=timezone.now(),
            payload=payload,
        ),
        last=last,
    )


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(payload, default=str))
