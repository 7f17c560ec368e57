"""Dossier events to notifications, without the dossier engine knowing (connected in
NotificationsConfig.ready()).

The receiver only registers an on-commit hook: the task is queued once the event's transaction
has committed, never from inside the action (STYLE §7), so a rolled-back action notifies nobody.
If the process dies between the commit and the enqueue, the event is not lost:
`manage.py requeue_notifications --events-since …` dispatches it again, idempotently.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from motcua.dossiers.models import DossierEvent
from motcua.notifications.planning import NOTIFIED_ACTIONS
from motcua.notifications.tasks import dispatch_event


@receiver(post_save, sender=DossierEvent, dispatch_uid="notifications.dossier_event_saved")
def dossier_event_saved(
    sender: type[DossierEvent], instance: DossierEvent, created: bool, raw: bool, **kwargs: Any
) -> None:
    if not created or raw or instance.action not in NOTIFIED_ACTIONS:
        return
    # robust: a failing enqueue is logged and must not turn a committed action into an error.
    transaction.on_commit(functools.partial(dispatch_event.enqueue, instance.id), robust=True)
