"""Hand out again the messages no task will pick up, and optionally re-dispatch past events.

Run it every few minutes from the scheduler (cron, a systemd timer) next to the worker. Both
parts are idempotent: the claim stops a message from being sent twice, and dispatching an event
again creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.notifications.planning import NOTIFIED_ACTIONS
from motcua.notifications.queries import list_notifications_to_requeue
from motcua.notifications.tasks import dispatch_event, send_message


class Command(BaseCommand):
    help = (
        "Queue again the notifications whose task was lost or whose attempt crashed; with "
        "--events-since, dispatch the dossier events since that time again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--events-since",
            help="ISO date-time: dispatch every notified dossier event since then again",
        )

    def handle(self, *args: Any, events_since: str | None = None, **options: Any) -> None:
        requeued = 0
        for notification_id in list_notifications_to_requeue(timezone.now()).values_list(
            "id", flat=True
        ):
            send_message.enqueue(notification_id)
            requeued += 1
        dispatched = 0
        if events_since:
            since = _parse_since(events_since)
            events = DossierEvent.objects.filter(at__gte=since, action__in=NOTIFIED_ACTIONS)
            for event_id in events.order_by("id").values_list("id", flat=True):
                dispatch_event.enqueue(event_id)
                dispatched += 1
        if options["verbosity"]:
            self.stdout.write(
                f"{requeued} notifications queued again, {dispatched} events dispatched."
            )


def _parse_since(value: str) -> dt.datetime:
    try:
        since = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--events-since: not an ISO date-time: {value}") from None
    if timezone.is_naive(since):
        since = timezone.make_aware(since)
    return since
