"""Background tasks of the queue (STYLE §7: thin; load by id, call actions)."""

from __future__ import annotations

import logging

from django.utils import formats, translation
from django.utils.translation import gettext

from motcua.centres.actions import do_record_ticket_sms
from motcua.centres.models import Ticket
from motcua.common.tasks import stable_task
from motcua.config.queues import NOTIFY_CITIZEN
from motcua.notifications.errors import DeliveryError
from motcua.notifications.sms import get_sms_gateway

logger = logging.getLogger(__name__)


def ticket_sms_text(ticket: Ticket) -> str:
    """The message, in the language the ticket was taken in."""
    with translation.override(ticket.language):
        field = ticket.field.name if ticket.field else gettext("other matters")
        return gettext(
            "MotCua: your number at {centre} is {number} ({field}), {day}. "
            "Watch the board: your number and counter will show there."
        ).format(
            centre=ticket.agency.name,
            number=ticket.label,
            field=field,
            day=formats.date_format(ticket.day, "d/m/Y"),
        )


@stable_task(name="centres.send_ticket_sms", queue_name=NOTIFY_CITIZEN)
def send_ticket_sms(ticket_id: int) -> str:
    """Send a ticket's number to the phone given for it, once.

    Through the notifications' SMS gateway, with the ticket as idempotency key, so a provider
    that deduplicates drops a repeat. Not retried: a number is worth something only while its
    holder waits, and they hold it on paper or on screen too. Returns what happened.
    """
    ticket = Ticket.objects.select_related("agency", "field").get(id=ticket_id)
    if not ticket.phone or ticket.sms_sent_at is not None:
        return "skipped"
    try:
        get_sms_gateway().send(ticket.phone, ticket_sms_text(ticket), f"ticket-{ticket.id}")
    except DeliveryError:
        logger.warning("Ticket %s: the SMS was not sent", ticket.id, exc_info=True)
        return "failed"
    do_record_ticket_sms(ticket.id)
    return "sent"
