"""A dossier's life, step by step, and the messages its applicant receives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import People, act
from motcua.notifications.actions import do_create_notifications_for_event
from motcua.notifications.models import Notification
from motcua.notifications.sms import MemorySmsGateway
from motcua.notifications.tasks import dispatch_event
from motcua.notifications.tests.conftest import EMAIL, PHONE, submit_as

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TRACK = "https://dichvucong.tuyenquang.gov.vn/api/v1/track/"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def step(when: dt.datetime, committed: Callable[[], Any], do: Callable[[], Dossier]) -> Dossier:
    with time_machine.travel(when, tick=False), committed():
        return do()


def sent(dossier: Dossier) -> list[tuple[str, str, str]]:
    rows = Notification.objects.filter(dossier=dossier).order_by("event__seq", "channel")
    return [(n.template_key, n.channel, n.status) for n in rows]


def test_a_dossier_walk_notifies_the_applicant_at_every_step(
    applicant: User, people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    dossier = step(at(2026, 3, 2, 8, 30), committed, lambda: submit_as(applicant))
    code = dossier.code
    assert code == "H08.01-260302-0001"
    dossier = step(at(2026, 3, 2, 9), committed, lambda: act(dossier, "accept", people.receiver))
    missing = ["Bản sao Chứng chỉ hành nghề luật sư", "Giấy chứng nhận sức khoẻ"]
    dossier = step(
        at(2026, 3, 3, 10),
        committed,
        lambda: act(
            dossier,
            "request_supplement",
            people.specialist,
            items=missing,
            reason="Hồ sơ còn thiếu giấy tờ",
        ),
    )
    dossier = step(
        at(2026, 3, 3, 15), committed, lambda: act(dossier, "supplement", applicant, note="Đã nộp")
    )
    dossier = step(
        at(2026, 3, 3, 16), committed, lambda: act(dossier, "accept_supplement", people.specialist)
    )
    assert dossier.due_at is not None
    new_due = (dossier.due_at + dt.timedelta(days=3)).astimezone(TZ)
    dossier = step(
        at(2026, 3, 6, 10),
        committed,
        lambda: act(
            dossier,
            "reschedule",
            people.leader,
            reason="Cần xác minh với Đoàn Luật sư tỉnh",
            new_due=new_due.isoformat(),
        ),
    )

    def finish() -> Dossier:
        d = act(dossier, "appraise", people.specialist)
        d = act(d, "approve", people.leader)
        d = act(d, "sign", people.clerk)
        return act(d, "issue_result", people.clerk, document_number="15/2026/GCN")

    dossier = step(at(2026, 3, 10, 10), committed, finish)
    dossier = step(
        at(2026, 3, 11, 8), committed, lambda: act(dossier, "return_result", people.receiver)
    )

    # One email and one SMS per notified step; uploads, supplements and the internal steps of
    # processing notify nobody.
    notified = ["submit", "accept", "request_supplement", "reschedule"]
    notified += ["issue_result", "return_result"]
    assert sent(dossier) == [
        (key, channel, "sent") for key in notified for channel in ("email", "sms")
    ]
    assert all(n.attempts == 1 for n in Notification.objects.filter(dossier=dossier))
    assert [m.to for m in mail.outbox] == [[EMAIL]] * 6
    assert [m.to for m in sms.outbox] == [PHONE] * 6

    submit_mail, accept_mail, supplement_mail, apology_mail, result_mail, returned_mail = (
        mail.outbox
    )
    assert submit_mail.subject == f"Đã nhận hồ sơ {code}"
    assert "nộp trực tuyến lúc 02/03/2026 08:30" in submit_mail.body
    # Accepted on Monday 2 March 2026 at 09:00, 5 working days: due Monday 9 March at 09:00.
    assert accept_mail.subject == (
        f"Hồ sơ {code} đã được tiếp nhận, hẹn trả kết quả 09/03/2026 09:00"
    )
    assert "Kính gửi: Lê Văn An" in accept_mail.body
    assert "Thời gian hẹn trả kết quả: 09/03/2026 09:00" in accept_mail.body
    assert "Đăng ký hành nghề luật sư với tư cách cá nhân" in accept_mail.body
    assert f"Tra cứu tình trạng hồ sơ: {TRACK}{code}" in accept_mail.body
    # The Message-ID is the provider id on record, stable across attempts, unique across sites.
    accepted = Notification.objects.get(template_key="accept", channel="email")
    assert (
        accept_mail.extra_headers["Message-ID"]
        == accepted.provider_message_id
        == (f"<notification-{accepted.id}.{accepted.event.hash[:16]}@localhost>")
    )
    assert "1. Bản sao Chứng chỉ hành nghề luật sư" in supplement_mail.body
    assert "2. Giấy chứng nhận sức khoẻ" in supplement_mail.body
    assert "Lý do: Hồ sơ còn thiếu giấy tờ" in supplement_mail.body
    assert apology_mail.subject == f"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}"
    assert "chân thành xin lỗi" in apology_mail.body
    assert f"Thời gian hẹn trả kết quả mới: {new_due:%d/%m/%Y %H:%M}" in apology_mail.body
    assert "Lý do: Cần xác minh với Đoàn Luật sư tỉnh" in apology_mail.body
    assert f"(số {code}-KQ1)" in result_mail.body
    assert "để nhận kết quả" in result_mail.body
    assert "lúc 11/03/2026 08:00" in returned_mail.body

    texts = [m.text for m in sms.outbox]
    # SMS go without diacritics, in one 160-character part.
    assert all(t.isascii() and len(t) <= 160 for t in texts), [(len(t), t) for t in texts]
    assert texts[1] == (
        f"MotCua: Ho so {code} da duoc tiep nhan, hen tra 09/03/2026 09:00. Tra cuu: {TRACK}{code}"
    )
    assert texts[2].startswith(f"MotCua: Ho so {code} can bo sung 2 giay to.")
    assert f"Hen tra ket qua moi: {new_due:%d/%m/%Y %H:%M}" in texts[3]


def test_a_refusal_tells_the_reason(
    applicant: User, people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    with committed():
        dossier = submit_as(applicant)
    with committed():
        act(dossier, "refuse", people.receiver, reason="Thủ tục không thuộc thẩm quyền của tỉnh")
    assert sent(dossier) == [
        ("submit", "email", "sent"),
        ("submit", "sms", "sent"),
        ("refuse", "email", "sent"),
        ("refuse", "sms", "sent"),
    ]
    refusal = mail.outbox[-1]
    assert refusal.subject == f"Hồ sơ {dossier.code} không được tiếp nhận"
    assert "Lý do: Thủ tục không thuộc thẩm quyền của tỉnh" in refusal.body
    assert sms.outbox[-1].text == (
        f"MotCua: Ho so {dossier.code} khong duoc tiep nhan. "
        "Ly do: Thu tuc khong thuoc tham quyen cua tinh"
    )


def test_dispatching_an_event_again_creates_and_sends_nothing_new(
    applicant: User, people: People, committed: Callable[[], Any], sms: type[MemorySmsGateway]
) -> None:
    with committed():
        dossier = submit_as(applicant)
    with committed():
        act(dossier, "accept", people.receiver)
    accept = DossierEvent.objects.get(dossier=dossier, action="accept")
    before = list(Notification.objects.order_by("id").values_list("id", "status", "attempts"))
    assert len(before) == 4

    # A duplicate delivery of the dispatch task, and a direct second call of the action.
    result = dispatch_event.enqueue(accept.id)
    assert result.return_value == 0  # nothing left to queue
    again = do_create_notifications_for_event(accept.id)

    assert sorted(n.id for n in again) == [
        i for i, _status, _attempts in before if i in {n.id for n in again}
    ]
    assert len(again) == 2
    after = list(Notification.objects.order_by("id").values_list("id", "status", "attempts"))
    assert after == before
    assert len(mail.outbox) == 2
    assert len(sms.outbox) == 2


def test_an_applicant_without_email_or_phone_gets_nothing(
    accepted: Dossier, committed: Callable[[], Any]
) -> None:
    # The suite's citizen registered with neither: every channel is skipped, nothing fails.
    assert accepted.events.filter(action="accept").exists()
    with committed():
        for event in accepted.events.all():
            dispatch_event.enqueue(event.id)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_rolled_back_action_notifies_nobody(
    applicant: User,
    people: People,
    committed: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with committed():
        dossier = submit_as(applicant)
    sent_before = len(mail.outbox)

    def fail(*args: object) -> None:
        raise RuntimeError("the outbox row could not be written")

    # The accept event is saved, then the action fails and its transaction rolls back: the
    # event never existed, so no one may be told the dossier was accepted.
    monkeypatch.setattr("motcua.dossiers.actions.records.sync_payload", fail)
    with committed(), pytest.raises(RuntimeError):
        act(dossier, "accept", people.receiver)
    assert not DossierEvent.objects.filter(dossier=dossier, action="accept").exists()
    assert not Notification.objects.filter(template_key="accept").exists()
    assert len(mail.outbox) == sent_before
