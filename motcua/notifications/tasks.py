"""Background tasks of the notifications (STYLE §7: thin; load by id, call actions).

`manage.py db_worker --queue-name '*'` runs them; tests run them at once (immediate backend).
"""

from __future__ import annotations

import logging

from motcua.common.tasks import stable_task, supports_run_after
from motcua.config.queues import NOTIFY_CITIZEN
from motcua.notifications.actions import (
    do_claim_notification,
    do_create_notifications_for_event,
    do_record_delivery,
    do_record_failure,
)
from motcua.notifications.delivery import deliver_rollback_unsafe
from motcua.notifications.errors import PermanentDeliveryError
from motcua.notifications.models import DeliveryStatus, Notification

logger = logging.getLogger(__name__)


@stable_task(name="notifications.dispatch_event", queue_name=NOTIFY_CITIZEN)
def dispatch_event(event_id: int) -> int:
    """Create the notifications of one dossier event and queue each one still to be sent.

    Idempotent: a second run finds the same rows and queues only those not yet sent (a message
    whose task was lost is queued again; the claim stops any double send). Returns the number
    of messages queued.
    """
    notifications = do_create_notifications_for_event(event_id)
    queued = [n.id for n in notifications if n.status == DeliveryStatus.QUEUED]
    for notification_id in queued:
        send_message.enqueue(notification_id)
    return len(queued)


@stable_task(name="notifications.send_message", queue_name=NOTIFY_CITIZEN)
def send_message(notification_id: int) -> str:
    """Send one notification, at most once per claim; returns what happened.

    claim (a transaction) -> provider call (no transaction) -> record (a transaction); see
    `notifications.actions` for why this gives at-least-once delivery with duplicates confined
    to a crash between the provider call and the record. A task that finds the message sent,
    failed or being sent by another attempt does nothing ("skipped"): a duplicate of this task
    is harmless. A failed attempt is queued again after 2^attempts minutes (run_after), up to
    MOTCUA_NOTIFY_MAX_ATTEMPTS; then the notification is failed with the last error kept.
    """
    notification = do_claim_notification(notification_id)
    if notification is None:
        return "skipped"
    claimed_at = notification.claimed_at
    assert claimed_at is not None
    try:
        provider_message_id = deliver_rollback_unsafe(notification)
    except Exception as exc:  # any provider failure is recorded; nothing is swallowed unseen
        logger.warning(
            "Notification %s: attempt %s failed",
            notification.id,
            notification.attempts,
            exc_info=True,
            extra={"dossier_id": notification.dossier_id},
        )
        recorded = do_record_failure(
            notification.id,
            claimed_at=claimed_at,
            error=f"{type(exc).__name__}: {exc}",
            permanent=isinstance(exc, PermanentDeliveryError),
        )
        if recorded is None:
            return "skipped"
        if recorded.status == DeliveryStatus.QUEUED:
            _retry_later(recorded)
            return "retry"
        return "failed"
    do_record_delivery(notification.id, provider_message_id=provider_message_id)
    return "sent"


def _retry_later(notification: Notification) -> None:
    task = send_message
    if supports_run_after(task) and notification.next_attempt_at is not None:
        task = task.using(run_after=notification.next_attempt_at)
    # The immediate backend of the tests cannot wait: it retries at once, in this call.
    task.enqueue(notification.id)
