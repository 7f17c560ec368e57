"""Reads of notifications."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet

from motcua.notifications.models import DeliveryStatus, Notification

# A queued message whose attempt is this late has lost its task (a crash between commit and
# enqueue, a task table restored from backup): it is handed out again.
LOST_TASK_GRACE = dt.timedelta(minutes=10)


def list_notifications_to_requeue(now: dt.datetime) -> QuerySet[Notification]:
    """Messages no task will pick up: queued and overdue by LOST_TASK_GRACE, or "sending" for
    longer than the claim timeout (the attempt crashed)."""
    timeout = dt.timedelta(seconds=settings.MOTCUA_NOTIFY_CLAIM_TIMEOUT)
    return Notification.objects.filter(
        Q(status=DeliveryStatus.QUEUED, next_attempt_at__lt=now - LOST_TASK_GRACE)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - timeout)
    ).order_by("id")
