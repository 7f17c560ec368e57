"""Sending one message: retries with backoff, giving up, and never sending a message twice."""

from __future__ import annotations

import datetime as dt
import json
import smtplib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import People, act
from motcua.notifications.actions import (
    backoff,
    do_claim_notification,
    do_create_notifications_for_event,
)
from motcua.notifications.errors import DeliveryError, PermanentDeliveryError
from motcua.notifications.models import Notification
from motcua.notifications.sms import FileSmsGateway, MemorySmsGateway
from motcua.notifications.tasks import send_message
from motcua.notifications.tests.conftest import PHONE, submit_as

pytestmark = pytest.mark.django_db


def accept_and_notify(
    applicant: User, people: People, committed: Callable[[], Any]
) -> tuple[Dossier, Notification, Notification]:
    dossier = submit_as(applicant)  # outside `committed`: its notifications are not sent
    with committed():
        act(dossier, "accept", people.receiver)
    email = Notification.objects.get(template_key="accept", channel="email")
    sms = Notification.objects.get(template_key="accept", channel="sms")
    return dossier, email, sms


def test_a_notification_task_that_fails_once_and_succeeds_on_retry_sends_exactly_one_message(
    applicant: User, people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    sms.fail_next(1)  # the gateway is down for the first attempt only
    _dossier, _email, message = accept_and_notify(applicant, people, committed)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert message.last_error == "DeliveryError: gateway unavailable"
    assert message.provider_message_id == "mem-1"
    assert message.sent_at is not None
    # The gateway was asked twice with the same idempotency key, and delivered once.
    assert sms.attempts == [str(message.id), str(message.id)]
    assert [(m.to, m.idempotency_key) for m in sms.outbox] == [(PHONE, str(message.id))]


def test_a_permanently_failing_gateway_ends_in_failed_after_the_last_attempt(
    applicant: User, people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    sms.fail_next(10, DeliveryError("503 Service Unavailable"))
    _dossier, email, message = accept_and_notify(applicant, people, committed)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 5)
    assert message.last_error == "DeliveryError: 503 Service Unavailable"
    assert message.sent_at is None
    assert message.next_attempt_at is None
    assert len(sms.attempts) == 5
    assert sms.outbox == []
    # The other channel is independent of the failing one.
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mail.outbox) == 1


def test_a_permanent_error_fails_at_once(
    applicant: User, people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    sms.fail_next(1, PermanentDeliveryError("not a mobile number"))
    _dossier, _email, message = accept_and_notify(applicant, people, committed)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.last_error == "PermanentDeliveryError: not a mobile number"


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"le.van.an@example.vn": (550, b"No such user")})


def test_an_address_the_mail_server_refuses_fails_at_once(
    applicant: User, people: People, committed: Callable[[], Any], settings: Settings
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    _dossier, email, message = accept_and_notify(applicant, people, committed)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 1)
    assert "refused the address" in email.last_error
    message.refresh_from_db()
    assert message.status == "sent"


def test_backoff_doubles_from_two_minutes() -> None:
    assert [backoff(n) for n in range(1, 5)] == [dt.timedelta(minutes=m) for m in (2, 4, 8, 16)]


def test_a_message_already_sent_is_not_sent_again_when_its_task_runs_twice(
    applicant: User, people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    _dossier, email, message = accept_and_notify(applicant, people, committed)
    # The queue delivers both tasks a second time (a worker lost its acknowledgement).
    assert send_message.enqueue(message.id).return_value == "skipped"
    assert send_message.enqueue(email.id).return_value == "skipped"
    assert len(sms.outbox) == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_an_attempt_in_progress_blocks_a_duplicate_until_the_claim_times_out(
    applicant: User, people: People, sms: type[MemorySmsGateway], settings: Settings
) -> None:
    settings.MOTCUA_NOTIFY_CLAIM_TIMEOUT = 600
    dossier = submit_as(applicant)
    act(dossier, "accept", people.receiver)  # no commit: nothing is dispatched yet
    event = dossier.events.get(action="accept")
    message = next(n for n in do_create_notifications_for_event(event.id) if n.channel == "sms")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        # A worker claims the message and dies before it calls the gateway or records anything.
        assert do_claim_notification(message.id) is not None
        # A duplicate task while that attempt may still be running sends nothing.
        assert send_message.enqueue(message.id).return_value == "skipped"
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        call_command("requeue_notifications", verbosity=0)  # not stale yet: nothing to do
    assert sms.outbox == []
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        # After the claim timeout the sweeper hands it out again, and it is sent once.
        call_command("requeue_notifications", verbosity=0)
        call_command("requeue_notifications", verbosity=0)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(sms.outbox) == 1


def test_the_sweeper_queues_a_message_whose_task_was_lost(
    applicant: User, people: People, sms: type[MemorySmsGateway]
) -> None:
    dossier = submit_as(applicant)
    act(dossier, "accept", people.receiver)
    start = timezone.now()
    # The process died between the commit and the enqueue: events exist, no notification does.
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        call_command(
            "requeue_notifications",
            events_since=(start - dt.timedelta(days=1)).isoformat(),
            verbosity=0,
        )
        call_command(
            "requeue_notifications",
            events_since=(start - dt.timedelta(days=1)).isoformat(),
            verbosity=0,
        )
    keys = sorted(Notification.objects.values_list("template_key", "channel", "status"))
    assert keys == [
        ("accept", "email", "sent"),
        ("accept", "sms", "sent"),
        ("submit", "email", "sent"),
        ("submit", "sms", "sent"),
    ]
    assert len(sms.outbox) == 2
    assert len(mail.outbox) == 2


def test_the_file_gateway_appends_json_lines(settings: Settings, tmp_path: Path) -> None:
    settings.MOTCUA_SMS_OUTBOX = tmp_path / "var" / "sms-outbox.jsonl"
    gateway = FileSmsGateway()
    first = gateway.send("0912345678", "MotCua: Ho so da duoc tiep nhan", idempotency_key="7")
    second = gateway.send("0987654321", "MotCua: Da tra ket qua", idempotency_key="8")
    lines = settings.MOTCUA_SMS_OUTBOX.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["id"], r["to"], r["idempotency_key"]) for r in records] == [
        (first, "0912345678", "7"),
        (second, "0987654321", "8"),
    ]
    assert first != second
