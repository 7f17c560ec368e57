"""The only code that writes notifications (STYLE.md §3).

Sending one message is three steps, and only the first and the last touch the database:

1. `do_claim_notification` moves the row from queued to sending, under its row lock, stamping
   `claimed_at` and counting the attempt. A row that is sent or failed, or that another attempt
   claimed less than `MOTCUA_NOTIFY_CLAIM_TIMEOUT` seconds ago, is not claimed: the task that
   asked has nothing to do.
2. The caller hands the message to the provider (`delivery.deliver_rollback_unsafe`), outside any
   transaction: a provider call is never held inside a database lock, and a rolled-back
   transaction cannot take back a message a phone has already shown.
3. `do_record_delivery` marks the row sent and stores the provider's message id in one UPDATE;
   `do_record_failure` puts it back in the queue with a backoff, or fails it for good.

Exactly once, and where it stops. The unique (event, channel, recipient) constraint means one
event never makes two messages for one address. The claim means that a task delivered twice, a
retry racing the original, or a second worker sends nothing while an attempt is under way or
after the message was sent: duplicates of the *task* never duplicate the *message*. What no
database can close is the gap in step 2: if the process dies after the provider accepted the
message and before step 3 commits, the row stays "sending"; after the claim timeout
`requeue_notifications` hands it out again and the message goes out a second time. The
guarantee is therefore at least once, with duplicates confined to that crash window; the
idempotency key (the notification id) is passed to the provider so that a provider that
deduplicates closes it, and email carries a Message-ID derived from the same id so that mail
systems recognise the copy.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.notifications.models import DeliveryStatus, Notification
from motcua.notifications.planning import plan_messages

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after `attempts` failed ones: 2, 4, 8, 16 … minutes."""
    return dt.timedelta(minutes=2**attempts)


def do_create_notifications_for_event(event_id: int) -> list[Notification]:
    """Create the notifications the event calls for, once: a repeated call returns the same rows.

    Renders the texts first (reads only), then creates the rows in one transaction with
    get_or_create on the unique (event, channel, recipient) key, which also settles two
    concurrent calls. No locks beyond that. Raises DossierEvent.DoesNotExist.
    """
    event = DossierEvent.objects.select_related(
        "dossier__procedure_version",
        "dossier__receiving_agency",
        "dossier__applicant_citizen__user",
        "dossier__applicant_business__user",
        "dossier__submitted_by",
    ).get(id=event_id)
    planned = plan_messages(event)
    if not planned:
        return []
    now = timezone.now()
    rows = []
    with transaction.atomic(durable=True):
        for message in planned:
            notification, created = Notification.objects.get_or_create(
                event=event,
                channel=message.channel,
                recipient=message.recipient,
                defaults={
                    "dossier_id": event.dossier_id,
                    "language": message.language,
                    "template_key": message.template_key,
                    "subject": message.subject,
                    "body": message.body,
                    "created_at": now,
                    "next_attempt_at": now,
                },
            )
            if created:
                logger.info(
                    "Notification %s created for event %s",
                    notification.id,
                    event.id,
                    extra={"dossier_id": event.dossier_id, "channel": message.channel},
                )
            rows.append(notification)
    return rows


@transaction.atomic(durable=True)
def do_claim_notification(notification_id: int) -> Notification | None:
    """Claim the notification for one sending attempt; None when there is nothing to send.

    Locks the notification row. Moves queued (or sending, but claimed longer ago than the claim
    timeout: that attempt crashed) to sending, sets claimed_at, adds one to attempts. Returns
    None for a missing row, a sent or failed one, and one another attempt holds.
    """
    notification = (
        Notification.objects.select_for_update(no_key=True).filter(id=notification_id).first()
    )
    if notification is None:
        logger.warning("Notification %s does not exist", notification_id)
        return None
    now = timezone.now()
    if notification.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
        return None
    if notification.status == DeliveryStatus.SENDING:
        timeout = dt.timedelta(seconds=settings.MOTCUA_NOTIFY_CLAIM_TIMEOUT)
        if notification.claimed_at is not None and notification.claimed_at > now - timeout:
            return None
        logger.warning(
            "Notification %s: attempt %s never finished, retrying",
            notification.id,
            notification.attempts,
        )
    notification.status = DeliveryStatus.SENDING
    notification.claimed_at = now
    notification.attempts += 1
    notification.save(update_fields=["status", "claimed_at", "attempts"])
    return notification


@transaction.atomic(durable=True)
def do_record_delivery(notification_id: int, *, provider_message_id: str) -> bool:
    """Mark the notification sent, with the provider's id, in one UPDATE.

    A delivery is a fact whatever else happened meanwhile (even if a slow attempt was presumed
    crashed and the row re-queued or failed), so any state but "sent" becomes sent. The last
    error of an earlier attempt is kept, as history. Returns False when the row was already
    sent: a second copy went out (see the module docstring).
    """
    updated = (
        Notification.objects.filter(id=notification_id)
        .exclude(status=DeliveryStatus.SENT)
        .update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            provider_message_id=provider_message_id[:255],
            next_attempt_at=None,
        )
    )
    if not updated:
        logger.error(
            "Notification %s was sent twice (provider id %s)",
            notification_id,
            provider_message_id,
        )
    return bool(updated)


@transaction.atomic(durable=True)
def do_record_failure(
    notification_id: int, *, claimed_at: dt.datetime, error: str, permanent: bool = False
) -> Notification | None:
    """Record a failed attempt: back to queued with next_attempt_at after the backoff, or failed
    after MOTCUA_NOTIFY_MAX_ATTEMPTS attempts (or at once for a permanent error).

    Locks the notification row. Returns None, changing nothing, when the attempt no longer holds
    the row (it was taken over after the claim timeout, or a later attempt already sent it).
    """
    notification = Notification.objects.select_for_update(no_key=True).get(id=notification_id)
    if notification.status != DeliveryStatus.SENDING or notification.claimed_at != claimed_at:
        return None
    notification.last_error = error[:2000]
    if permanent or notification.attempts >= settings.MOTCUA_NOTIFY_MAX_ATTEMPTS:
        notification.status = DeliveryStatus.FAILED
        notification.next_attempt_at = None
        logger.error(
            "Notification %s failed after %s attempts: %s",
            notification.id,
            notification.attempts,
            notification.last_error,
        )
    else:
        notification.status = DeliveryStatus.QUEUED
        notification.next_attempt_at = timezone.now() + backoff(notification.attempts)
    notification.save(update_fields=["status", "last_error", "next_attempt_at"])
    return notification
