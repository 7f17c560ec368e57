"""Templates, recipients and task names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from pytest_django.fixtures import Settings

from motcua.accounts.actions import do_create_official, do_grant_role, do_register_business
from motcua.accounts.models import Role, User
from motcua.common.tasks import stable_task
from motcua.config.queues import NOTIFY_CITIZEN
from motcua.dossiers.actions import Submission, do_submit_dossier
from motcua.dossiers.tests.conftest import CENTRE, PROCEDURE, People
from motcua.notifications.models import Notification
from motcua.notifications.planning import NOTIFIED_ACTIONS, tracking_url
from motcua.notifications.rendering import local_time, render_message, sms_text
from motcua.notifications.sms import MemorySmsGateway
from motcua.notifications.tasks import dispatch_event, send_message
from motcua.notifications.tests.conftest import EMAIL, PHONE, register_applicant, submit_as
from motcua.units.models import Agency

CONTEXT = {
    "code": "H08.01-260302-0001",
    "procedure": "Đăng ký hành nghề luật sư với tư cách cá nhân",
    "applicant": "Công ty TNHH A & B",
    "online": True,
    "centre": "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang",
    "centre_address": "",
    "agency": "Sở Tư pháp",
    "at": "02/03/2026 09:00",
    "due": "09/03/2026 09:00",
    "items": ["Bản sao Chứng chỉ hành nghề luật sư"],
    "reason": "Cần xác minh",
    "previous_due": "09/03/2026 09:00",
    "new_due": "12/03/2026 09:00",
    "result": "H08.01-260302-0001-KQ1",
    "delivery": "counter",
    "tracking_url": "http://127.0.0.1:8000/api/v1/track/H08.01-260302-0001",
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("event", sorted(NOTIFIED_ACTIONS))
def test_every_event_has_its_email_and_sms_in_both_languages(event: str, language: str) -> None:
    email = render_message(event, channel="email", language=language, context=CONTEXT)
    assert email.subject
    assert "\n" not in email.subject
    assert "H08.01-260302-0001" in email.subject + email.body
    assert "{" not in email.body
    # Plain text: nothing is HTML-escaped.
    assert "&amp;" not in email.body
    assert "Công ty TNHH A & B" in email.body
    sms = render_message(event, channel="sms", language=language, context=CONTEXT)
    assert sms.subject == ""
    assert sms.body.isascii()
    assert "\n" not in sms.body
    assert sms.body.startswith("MotCua: ")
    assert len(sms.body) <= 160


def test_vietnamese_keeps_its_diacritics_in_email_and_drops_them_in_sms() -> None:
    email = render_message("accept", channel="email", language="vi", context=CONTEXT)
    assert "Thời gian hẹn trả kết quả: 09/03/2026 09:00" in email.body
    assert sms_text("Đã trả kết quả “hồ sơ” – Hoà") == 'Da tra ket qua "ho so" - Hoa'


def test_times_are_written_in_the_legal_time_zone() -> None:
    assert local_time("2026-03-09T02:00:00+00:00") == "09/03/2026 09:00"
    assert local_time(None) == ""


def test_the_tracking_link_uses_the_public_url(settings: Settings) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.tuyenquang.gov.vn/"
    assert tracking_url("H08.01-260302-0001") == (
        "https://dichvucong.tuyenquang.gov.vn/api/v1/track/H08.01-260302-0001"
    )
    del settings.MOTCUA_PUBLIC_URL
    assert tracking_url("H08.01-260302-0001") == (
        "http://127.0.0.1:8000/api/v1/track/H08.01-260302-0001"
    )


def test_tasks_have_stable_names_on_the_notifications_queue() -> None:
    assert (dispatch_event.name, dispatch_event.module_path) == (
        "notifications.dispatch_event",
        "motcua.notifications.tasks.dispatch_event",
    )
    assert (send_message.name, send_message.module_path) == (
        "notifications.send_message",
        "motcua.notifications.tasks.send_message",
    )
    assert dispatch_event.queue_name == send_message.queue_name == NOTIFY_CITIZEN

    def renamed(event_id: int) -> None: ...

    # Renaming a task function would orphan the rows queued under its old path: refused.
    with pytest.raises(ValueError, match=r"must be defined as motcua\.notifications\.tasks\.send"):
        stable_task(name="notifications.send_message", queue_name=NOTIFY_CITIZEN)(renamed)


@pytest.mark.django_db
def test_a_delegate_who_submits_is_told_too_and_each_address_once(
    people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    register_applicant(phone="")
    delegate = do_register_business(
        username="cong.ty.luat",
        password="mật-khẩu-thử-nghiệm-2026",
        name="Công ty Luật TNHH Minh Phúc",
        tax_code="0314409058",
        email="lienhe@minhphuc.example.vn",
        phone="0987654321",
    ).user
    with committed():
        do_submit_dossier(
            Submission(
                procedure_code=PROCEDURE,
                receiving_agency_code=CENTRE,
                applicant_personal_id="008090001357",
                applicant_name="Lê Văn An",  # a delegate names the person they file for
            ),
            acting_user=delegate,
        )
    rows = Notification.objects.order_by("channel", "recipient")
    assert [(n.channel, n.recipient) for n in rows] == [
        ("email", EMAIL),
        ("email", "lienhe@minhphuc.example.vn"),
        ("sms", "0987654321"),  # the applicant has no phone: that channel is skipped
    ]
    assert {m.to[0] for m in mail.outbox} == {EMAIL, "lienhe@minhphuc.example.vn"}
    assert all("Kính gửi: Lê Văn An" in m.body for m in mail.outbox)
    assert [m.to for m in sms.outbox] == ["0987654321"]


@pytest.mark.django_db
def test_an_official_recording_a_counter_dossier_is_not_notified(
    applicant: User, people: People, committed: Callable[[], Any]
) -> None:
    official = do_create_official(
        username="tiep.nhan.2",
        password="mật-khẩu-thử-nghiệm-2026",
        full_name="Hà Thu Thảo",
        email="tiep.nhan.2@tuyenquang.gov.vn",
        phone="0911222333",
        acting_user=None,
    )
    do_grant_role(official, Agency.objects.get(code=CENTRE), Role.RECEIVER, acting_user=None)
    with committed():
        do_submit_dossier(
            Submission(
                procedure_code=PROCEDURE,
                receiving_agency_code=CENTRE,
                channel="counter",
                applicant_personal_id="008090001357",
            ),
            acting_user=official.user,
        )
    assert sorted(Notification.objects.values_list("channel", "recipient")) == [
        ("email", EMAIL),
        ("sms", PHONE),
    ]
    body = mail.outbox[0].body
    # At the counter the centre received it; "submitted online" would be wrong.
    assert "Trung tâm Phục vụ hành chính công" in body
    assert "trực tuyến" not in body


@pytest.mark.django_db
def test_uploads_notify_nobody(applicant: User, committed: Callable[[], Any]) -> None:
    dossier = submit_as(applicant)  # two uploads, each an audit event
    assert dossier.events.filter(action="attach_document").count() == 2
    with committed():
        for event in dossier.events.filter(action="attach_document"):
            dispatch_event.enqueue(event.id)
    assert not Notification.objects.exists()
