"""Handing one message to email (Django's mail) or to the SMS gateway."""

from __future__ import annotations

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.notifications.errors import DeliveryError, PermanentDeliveryError
from motcua.notifications.models import Channel, Notification
from motcua.notifications.sms import get_sms_gateway


def idempotency_key(notification: Notification) -> str:
    return str(notification.id)


def deliver_rollback_unsafe(notification: Notification) -> str:
    """Send the message and return the provider's id for it.

    A network call that no transaction can take back: call it outside any transaction (see
    `actions`). Raises DeliveryError, PermanentDeliveryError, or whatever the provider raised.
    """
    if notification.channel == Channel.EMAIL:
        return _send_email(notification)
    return get_sms_gateway().send(
        notification.recipient, notification.body, idempotency_key(notification)
    )


def _send_email(notification: Notification) -> str:
    # The Message-ID is derived from the notification, so a copy re-sent after a crash carries
    # the same one and mail systems and clients can recognise it. The event's hash makes it
    # unique beyond this database: provinces sharing a sender domain, or a database restored
    # from a backup, reuse notification ids, and a mail system drops a "duplicate" Message-ID.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    unique = f"{idempotency_key(notification)}.{notification.event.hash[:16]}"
    message_id = f"<notification-{unique}@{domain}>"
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": message_id},
    )
    try:
        sent = message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(f"the mail server refused the address: {exc}") from exc
    if sent != 1:
        raise DeliveryError("the email backend did not send the message")
    return message_id
