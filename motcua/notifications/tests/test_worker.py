"""The production path: the database backend, on-commit enqueueing and `db_worker`."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from motcua.config.queues import ALL_QUEUES, NOTIFY_CITIZEN
from motcua.dossiers.tests.conftest import People
from motcua.notifications.models import Notification
from motcua.notifications.sms import MemorySmsGateway
from motcua.notifications.tests.conftest import register_applicant, submit_as

START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 09:00 in Vietnam


def run_worker() -> None:
    """What `manage.py db_worker --queue-name '*' --batch` does, without its signal handlers."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_and_retries_after_the_backoff(
    people_tx: People, settings: Settings, sms: type[MemorySmsGateway]
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(ALL_QUEUES)}
    }
    applicant = register_applicant()
    sms.fail_next(1)
    with time_machine.travel(START, tick=False):
        dossier = submit_as(applicant, with_documents=False)
        # Committed: the dispatch task waits in the table, on the notifications queue.
        queued = DBTaskResult.objects.get()
        assert (queued.task_path, queued.queue_name, queued.status) == (
            "motcua.notifications.tasks.dispatch_event",
            NOTIFY_CITIZEN,
            "READY",
        )
        assert not Notification.objects.exists()
        run_worker()
    email = Notification.objects.get(dossier=dossier, channel="email")
    message = Notification.objects.get(dossier=dossier, channel="sms")
    assert email.status == "sent"
    assert len(mail.outbox) == 1
    # The SMS failed once and waits two minutes (2^1) in the task table before its retry.
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.next_attempt_at == START + dt.timedelta(minutes=2)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == "motcua.notifications.tasks.send_message"
    assert retry.args_kwargs == {"args": [message.id], "kwargs": {}}
    assert retry.run_after == START + dt.timedelta(minutes=2)

    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        run_worker()  # too early: the retry is not due
    assert Notification.objects.get(id=message.id).status == "queued"
    with time_machine.travel(START + dt.timedelta(minutes=3), tick=False):
        run_worker()
        call_command("requeue_notifications", verbosity=0)  # nothing is lost or stuck
        run_worker()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(sms.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
