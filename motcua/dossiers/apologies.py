"""Late dossiers: drafting the written apology, the leader's approval, the one new date.

Decree 61/2018 (DOMAIN §1.4): at least one day before the due date, the agency that cannot meet
it sends the applicant a written apology with the reason and a new date, set only once. A
periodic job (`manage.py draft_apologies`) finds open dossiers with less than one working day
left and drafts the apology for the agency holding them; the agency's leader approves it (API),
which records the new date through the dossier's reschedule action (audited, outbox row,
notification) and marks the apology sent. A second new date is refused and flagged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.models import Role, User
from motcua.accounts.viewer import Viewer
from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.dossiers.actions import apply_action
from motcua.dossiers.errors import NotPermittedError, RescheduleRefusedError
from motcua.dossiers.models import Apology, ApologyStatus, Dossier
from motcua.dossiers.workflow import CLOCK_RUNNING_STAGES, Action
from motcua.worktime.deadlines import add_working_time, working_time_between
from motcua.worktime.queries import get_calendar

logger = logging.getLogger(__name__)

DEFAULT_REASON = (
    "Hồ sơ cần thêm thời gian thẩm định, xác minh nên chưa thể giải quyết đúng thời hạn."
)


def _running() -> QuerySet[Dossier]:
    return Dossier.objects.filter(
        stage__in=[s.value for s in CLOCK_RUNNING_STAGES],
        due_at__isnull=False,
        finished_at__isnull=True,
    )


def _without_apology(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    live = Apology.objects.filter(dossier=OuterRef("pk")).exclude(status=ApologyStatus.CANCELLED)
    return dossiers.filter(~Exists(live))


def proposed_new_due(dossier: Dossier) -> dt.datetime:
    """Half of the original limit again, at least one working day, from the due time."""
    calendar = get_calendar(dossier.receiving_agency_id)
    assert dossier.due_at is not None
    used = working_time_between(
        dossier.counted_from or dossier.due_at, dossier.due_at, calendar
    ).duration
    extra = max(used / 2, calendar.schedule.day_length)
    return add_working_time(dossier.due_at, extra, calendar)


@dataclass
class DraftSummary:
    examined: int = 0
    drafted: int = 0


def do_draft_apologies(*, now: dt.datetime | None = None, batch: int = 500) -> DraftSummary:
    """Draft an apology for every running dossier with less than one working day left.

    Scans with SKIP LOCKED (PostgreSQL) so that two runs never draft twice; the unique
    constraint (one live apology per dossier) settles any race that remains.
    """
    now = now or timezone.now()
    summary = DraftSummary()
    candidates = _without_apology(_running()).filter(reschedule_count=0).order_by("due_at")
    for dossier in candidates.select_related("current_agency")[:batch].iterator():
        summary.examined += 1
        calendar = get_calendar(dossier.receiving_agency_id)
        assert dossier.due_at is not None
        left = working_time_between(now, dossier.due_at, calendar).duration
        if left >= calendar.schedule.day_length:
            continue
        try:
            with transaction.atomic():
                locked = (
                    Dossier.objects.select_for_update(no_key=True, skip_locked=True)
                    .filter(id=dossier.id)
                    .first()
                )
                if locked is None:
                    continue
                Apology.objects.create(
                    dossier=locked,
                    agency=dossier.current_agency,
                    reason=DEFAULT_REASON,
                    original_due_at=dossier.due_at,
                    proposed_due_at=proposed_new_due(dossier),
                    drafted_at=now,
                )
        except IntegrityError:
            continue  # another run drafted it meanwhile
        summary.drafted += 1
        logger.info("Apology drafted for %s", dossier.code, extra={"dossier_id": dossier.id})
    return summary


def access_apology(viewer: Viewer, apology_id: int) -> Apology:
    """An apology of an agency where `viewer` holds a role; the same 404 otherwise."""
    apology = (
        Apology.objects.filter(id=apology_id, agency_id__in=viewer.agency_ids())
        .select_related("dossier", "agency")
        .first()
    )
    if apology is None:
        raise NotFoundError(gettext("apology"), str(apology_id))
    return apology


def do_approve_apology(
    apology_id: int,
    *,
    acting_user: User,
    viewer: Viewer | None = None,
    reason: str = "",
    new_due: dt.datetime | None = None,
) -> Apology:
    """The leader approves (optionally with their own reason and date): the dossier gets its
    new date through the reschedule action and the apology is marked sent, in one transaction.

    Locks the apology, then the dossier (through the action). Raises NotPermittedError (not a
    leader of the agency), InvalidInputError (not a draft, a date not after the due date),
    RescheduleRefusedError — after committing what a refusal leaves: the refused attempt in
    the dossier's audit chain, its flag, and the apology cancelled.
    """
    viewer = viewer if viewer is not None else Viewer.of(acting_user)
    with transaction.atomic(durable=True):
        apology, refused = _approve(apology_id, viewer, reason=reason, new_due=new_due)
    if refused is not None:
        raise refused
    return apology


def _approve(
    apology_id: int, viewer: Viewer, *, reason: str, new_due: dt.datetime | None
) -> tuple[Apology, RescheduleRefusedError | None]:
    apology = (
        Apology.objects.select_for_update(no_key=True).select_related("dossier").get(id=apology_id)
    )
    if not viewer.holds(Role.LEADER, apology.agency_id):
        raise NotPermittedError("approve_apology")
    if apology.status != ApologyStatus.DRAFT:
        raise InvalidInputError("apology", gettext("this apology was already handled."))
    apology.reason = (reason or apology.reason).strip()
    apology.proposed_due_at = new_due or apology.proposed_due_at
    _dossier, refused = apply_action(
        apology.dossier_id,
        Action.RESCHEDULE,
        viewer=viewer,
        comment=gettext("Written apology (Form 04) approved"),
        params={
            "reason": apology.reason,
            "new_due": apology.proposed_due_at.isoformat(),
            "apology": apology.id,
        },
    )
    if refused is not None:
        apology.status = ApologyStatus.CANCELLED
        apology.save(update_fields=["status", "reason", "proposed_due_at"])
        return apology, refused
    apology.status = ApologyStatus.SENT
    apology.approved_by = viewer.user
    apology.sent_at = timezone.now()
    apology.save()
    return apology, None


def list_late_without_apology(
    agency_ids: list[int] | None = None, *, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """Running dossiers past their due time with no apology: the managers' list (the province
    aims at 100 % apologised)."""
    dossiers = _without_apology(_running()).filter(due_at__lt=now or timezone.now())
    if agency_ids is not None:
        dossiers = dossiers.filter(current_agency_id__in=agency_ids)
    return dossiers.select_related("current_agency", "procedure_version").order_by("due_at")


def apology_rate(
    agency_ids: list[int] | None = None, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Dossiers that missed or will miss their due time, and the share apologised for: those
    past due with no apology, plus those whose apology was sent."""
    without = list_late_without_apology(agency_ids, now=now).count()
    sent = Apology.objects.filter(status=ApologyStatus.SENT)
    if agency_ids is not None:
        sent = sent.filter(agency_id__in=agency_ids)
    apologised = sent.count()
    total = without + apologised
    return {
        "late": total,
        "apologised": apologised,
        "percent": round(100 * apologised / total, 1) if total else 100.0,
    }
