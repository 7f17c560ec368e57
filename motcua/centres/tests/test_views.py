"""The queue's pages as people use them: the tablet, the board, the counter screen."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.accounts.actions import do_create_official
from motcua.catalog.models import ProcedureField
from motcua.centres.models import Ticket, TicketStatus
from motcua.centres.tests.conftest import CENTRE, at, signed_in
from motcua.dossiers.tests.conftest import People
from motcua.notifications.sms import MemorySmsGateway
from motcua.units.models import Agency

MORNING = at(2026, 3, 2, 8, 30)
TAKE = f"/xep-hang/{CENTRE}/"
COUNTER = f"/xep-hang/{CENTRE}/quay/1/"
BOARD_JSON = f"/xep-hang/{CENTRE}/bang.json"


@pytest.fixture(autouse=True)
def morning() -> object:
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def take(client: Client, field: ProcedureField | None, phone: str = "") -> Ticket:
    response = client.post(TAKE, {"field": field.id if field else "khac", "phone": phone})
    assert response.status_code == 302, response.content.decode()
    ticket = Ticket.objects.order_by("-id").first()
    assert ticket is not None
    assert response["Location"] == f"/xep-hang/{CENTRE}/so/{ticket.id}/"
    return ticket


def test_a_visitor_takes_a_number_and_sees_it_large(
    client: Client, fields: list[ProcedureField]
) -> None:
    page = client.get(TAKE).content.decode()
    assert "Lấy số thứ tự" in page
    assert "Hộ tịch" in page

    first = take(client, fields[0])
    second = take(client, None)
    page = client.get(f"/xep-hang/{CENTRE}/so/{second.id}/").content.decode()
    assert '<p class="queue-ticket__number">002</p>' in page
    assert "Số người đang chờ trước bạn" in page
    assert (first.label, second.label, second.field) == ("001", "002", None)


def test_a_phone_number_gets_the_number_by_sms_and_is_never_shown(
    client: Client, fields: list[ProcedureField], sms_outbox: type[MemorySmsGateway]
) -> None:
    ticket = take(client, fields[0], phone="+84 912 345 678")
    [sms] = sms_outbox.outbox
    assert sms.to == "0912345678"
    assert "001" in sms.text
    assert fields[0].name in sms.text
    page = client.get(f"/xep-hang/{CENTRE}/so/{ticket.id}/").content.decode()
    assert "345" not in page
    assert Ticket.objects.get(id=ticket.id).sms_sent_at is not None


def test_a_bad_phone_number_is_shown_next_to_the_field_and_no_number_is_given(
    client: Client, fields: list[ProcedureField], sms_outbox: type[MemorySmsGateway]
) -> None:
    response = client.post(TAKE, {"field": fields[0].id, "phone": "12345"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Số điện thoại tại Việt Nam gồm 10 hoặc 11 chữ số" in page
    assert 'value="12345"' in page  # what the person typed stays
    assert not Ticket.objects.exists()
    assert not sms_outbox.outbox


def test_a_field_the_centre_does_not_receive_is_refused(client: Client, centre: Agency) -> None:
    response = client.post(TAKE, {"field": "999999"})
    assert response.status_code == 400
    assert "Hãy chọn một trong các lĩnh vực" in response.content.decode()
    assert not Ticket.objects.exists()


def test_unknown_centres_and_agencies_that_are_not_centres_have_no_queue(
    client: Client, centre: Agency
) -> None:
    for code in ("H99.99", "H08.10"):  # nothing; the Department of Justice (no counters)
        assert client.get(f"/xep-hang/{code}/").status_code == 404
        assert client.get(f"/xep-hang/{code}/bang/").status_code == 404
        assert client.get(f"/xep-hang/{code}/bang.json").json()["code"] == "NOT_FOUND"


def test_a_script_cannot_drain_the_numbers(
    client: Client, fields: list[ProcedureField], settings: Settings
) -> None:
    settings.MOTCUA_QUEUE_TICKETS_PER_ADDRESS = 2
    take(client, fields[0])
    take(client, fields[0])
    response = client.post(TAKE, {"field": fields[0].id})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Ticket.objects.count() == 2


def test_the_board_shows_who_is_served_where_and_who_is_next(
    client: Client, fields: list[ProcedureField], people: People
) -> None:
    for _ in range(3):
        take(client, fields[0])
    receiver = signed_in(people.receiver)
    receiver.post(COUNTER, {"action": "call"})

    board = client.get(BOARD_JSON)
    assert board["Cache-Control"].startswith("max-age=0")
    body = board.json()
    assert [(s["ticket"], s["counter"]) for s in body["serving"]] == [("001", 1)]
    assert body["next"] == ["002", "003"]
    assert body["waiting"] == 2
    page = client.get(f"/xep-hang/{CENTRE}/bang/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in page
    assert '<td class="board__number">001</td>' in page


def test_a_receiver_calls_recalls_and_closes_tickets_at_the_counter(
    client: Client, fields: list[ProcedureField], people: People
) -> None:
    civil, other_field = fields[0], fields[1]
    first = take(client, civil)
    second = take(client, other_field)
    third = take(client, civil)
    receiver = signed_in(people.receiver)

    page = receiver.get(COUNTER).content.decode()
    assert "Gọi số tiếp theo" in page
    assert "3 người đang chờ" in page

    # Calling only the second field skips 001.
    response = receiver.post(COUNTER, {"action": "call", "only": str(other_field.id)}, follow=True)
    assert "Đã gọi số 002" in response.content.decode()
    assert '<p class="queue-current__number">002</p>' in response.content.decode()

    receiver.post(COUNTER, {"action": "recall", "ticket": second.id})
    assert Ticket.objects.get(id=second.id).calls == 2
    receiver.post(COUNTER, {"action": "no_show", "ticket": second.id})
    assert Ticket.objects.get(id=second.id).status == TicketStatus.NO_SHOW

    receiver.post(COUNTER, {"action": "call"})
    receiver.post(COUNTER, {"action": "call"})  # closes 001 as served, calls 003
    statuses = dict(Ticket.objects.values_list("number", "status"))
    assert statuses == {1: "done", 2: "no_show", 3: "called"}

    # A stale page: 001 is no longer served here; nothing changes.
    response = receiver.post(COUNTER, {"action": "done", "ticket": first.id}, follow=True)
    assert "Số 001 không còn được phục vụ tại quầy này" in response.content.decode()
    assert Ticket.objects.get(id=third.id).status == TicketStatus.CALLED


def test_only_receivers_of_this_centre_call_its_numbers(
    client: Client, fields: list[ProcedureField], people: People
) -> None:
    take(client, fields[0])
    anonymous = client.get(COUNTER)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/dang-nhap/")
    for user in (people.citizen, people.other_receiver, people.leader):
        visitor = signed_in(user)
        assert visitor.get(COUNTER).status_code == 403
        assert visitor.get(f"/xep-hang/{CENTRE}/quay/").status_code == 403
        response = visitor.post(COUNTER, {"action": "call"})
        assert response.status_code == 403
    assert Ticket.objects.get().status == TicketStatus.WAITING
    receiver = signed_in(people.receiver)
    assert receiver.get(f"/xep-hang/{CENTRE}/quay/").status_code == 200
    assert receiver.get(f"/xep-hang/{CENTRE}/quay/99/").status_code == 404


def test_the_tablet_speaks_english_when_asked(client: Client, centre: Agency) -> None:
    client.cookies["django_language"] = "en"
    page = client.get(TAKE).content.decode()
    assert "Take a number" in page
    assert 'lang="en"' in page


def test_a_board_poll_costs_three_reads_however_long_the_queue(
    client: Client, fields: list[ProcedureField], django_assert_num_queries: object
) -> None:
    for _ in range(3):
        take(client, fields[0])
    # The centre, the numbers being served (counters joined), the next numbers.
    with django_assert_num_queries(3):  # type: ignore[operator]
        assert client.get(BOARD_JSON).json()["waiting"] == 3


def test_numbers_beyond_any_column_are_not_found_not_errors(
    client: Client, fields: list[ProcedureField], people: People
) -> None:
    huge = "9" * 25
    ticket = take(client, fields[0])
    assert client.get(f"/xep-hang/{CENTRE}/so/{huge}/").status_code == 404
    receiver = signed_in(people.receiver)
    assert receiver.get(f"/xep-hang/{CENTRE}/quay/{huge}/").status_code == 404
    response = receiver.post(COUNTER, {"action": "done", "ticket": huge}, follow=True)
    assert response.status_code == 200
    assert "không còn được phục vụ tại quầy này" in response.content.decode()
    assert Ticket.objects.get(id=ticket.id).status == TicketStatus.WAITING


def test_the_admin_shows_a_centres_day_without_the_phone_numbers(
    client: Client, fields: list[ProcedureField]
) -> None:
    ticket = take(client, fields[0], phone="0912345678")
    admin = do_create_official(
        username="quan.tri",
        password="mật-khẩu-quản-trị-2026",
        full_name="Đặng Thị Phương",
        is_staff=True,
        is_superuser=True,
        acting_user=None,
    )
    staff = signed_in(admin.user)
    listing = staff.get("/admin/centres/ticket/").content.decode()
    detail = staff.get(f"/admin/centres/ticket/{ticket.id}/change/").content.decode()
    assert "001" in listing
    assert "0912345678" not in listing + detail
