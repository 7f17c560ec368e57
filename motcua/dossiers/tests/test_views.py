"""The officials' inbox and apologies pages, through the Django test client (Vietnamese)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers import backoffice
from motcua.dossiers.apologies import do_draft_apologies
from motcua.dossiers.models import Apology, Dossier, DossierEvent
from motcua.dossiers.queries import clock_of
from motcua.dossiers.tests.conftest import People, act

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))
INBOX = reverse("dossiers:inbox")
APOLOGIES = reverse("dossiers:apologies")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def login(user: User) -> Client:
    client = Client()  # no language cookie: Vietnamese
    client.force_login(user)
    return client


def codes(client: Client, query: str = "") -> list[str]:
    response = client.get(INBOX + query)
    assert response.status_code == 200
    return [row.dossier.code for row in response.context["rows"]]


@pytest.fixture
def monday() -> Iterator[None]:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        yield


@pytest.fixture
def running(submitted: Callable[..., Dossier], people: People) -> Dossier:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        return act(submitted(), "accept", people.receiver)  # due Monday 9 March 09:00


@pytest.fixture
def drafted(running: Dossier) -> Apology:
    # Friday 6 March 10:00: less than one working day left, so the apology is drafted.
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        do_draft_apologies()
    return Apology.objects.get(dossier=running)


# Who may open the pages


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in (INBOX, APOLOGIES):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('web:login')}?next={url}"


def test_citizens_get_a_friendly_403(people: People) -> None:
    citizen = login(people.citizen)
    for url in (INBOX, APOLOGIES):
        response = citizen.get(url)
        assert response.status_code == 403
        assert "Chỉ dành cho cán bộ" in response.content.decode()
    # The nav link to the inbox is for officials only.
    home = citizen.get(reverse("web:home")).content.decode()
    assert f'href="{INBOX}"' not in home
    assert f'href="{INBOX}"' in login(people.receiver).get(reverse("web:home")).content.decode()


# The inbox


def test_a_receiver_sees_what_came_to_their_centre_and_may_accept_it(
    submitted: Callable[..., Dossier], people: People, monday: None
) -> None:
    dossier = submitted()

    response = login(people.receiver).get(INBOX)

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.dossier == dossier
    assert "accept" in row.actions
    html = response.content.decode()
    assert "Hộp hồ sơ" in html
    assert dossier.code in html
    assert "Đã nộp, chờ tiếp nhận" in html  # the stage, translated
    assert '<li data-action="accept">Tiếp nhận</li>' in html
    # Officials of other agencies see nothing of it.
    assert codes(login(people.other_receiver)) == []
    assert codes(login(people.other_specialist)) == []


def test_the_inbox_in_english(
    submitted: Callable[..., Dossier], people: People, monday: None
) -> None:
    submitted()
    receiver = login(people.receiver)
    receiver.post(reverse("set_language"), {"language": "en", "next": INBOX})

    html = receiver.get(INBOX).content.decode()

    assert "Dossier inbox" in html
    assert "Submitted, awaiting the counter" in html
    assert '<li data-action="accept">Accept</li>' in html


def test_filters_by_status_and_clock(submitted: Callable[..., Dossier], people: People) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        waiting = submitted()
        running = act(submitted(), "accept", people.receiver)  # due Monday 9 March 09:00
        paused = act(
            act(submitted(), "accept", people.receiver),
            "request_supplement",
            people.specialist,
            items=["Bản sao chứng chỉ hành nghề luật sư"],
        )
    # The receiver sees all three (received at their centre), soonest due first; the one not
    # yet accepted has no due time and comes last.
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        receiver = login(people.receiver)
        assert codes(receiver) == [running.code, paused.code, waiting.code]
        assert codes(receiver, "?status=1") == [waiting.code]
        assert codes(receiver, "?status=4") == [running.code]
        assert codes(receiver, "?status=5") == [paused.code]
        assert codes(receiver, "?clock=in_time") == [running.code]
        assert codes(receiver, "?clock=paused") == [paused.code]
        assert codes(receiver, "?clock=overdue") == []
        # An unknown value is ignored rather than an error.
        assert len(codes(receiver, "?status=99&clock=soon")) == 3
        response = receiver.get(INBOX)
        html = response.content.decode()
        assert "Trong hạn" in html
        assert "Tạm dừng" in html
        assert "09/03/2026 09:00" in html  # the due time, local
    # Friday 6 March 10:00: less than a working day left.
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        assert codes(login(people.receiver), "?clock=at_risk") == [running.code]
    # Tuesday 10 March: past due.
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        receiver = login(people.receiver)
        assert codes(receiver, "?clock=overdue") == [running.code]
        assert codes(receiver, "?clock=overdue&status=1") == []
        assert "Quá hạn" in receiver.get(INBOX).content.decode()


def test_the_page_agrees_with_clock_of_and_next_actions(
    submitted: Callable[..., Dossier], people: People
) -> None:
    """The inbox filters and counts dossiers by clock in SQL; proves that it answers what
    queries.clock_of answers, for every row and every moment."""
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        submitted()
        act(submitted(), "accept", people.receiver)
        act(
            act(submitted(), "accept", people.receiver),
            "request_supplement",
            people.specialist,
            items=["Bản sao chứng chỉ hành nghề luật sư"],
        )
        assigned = act(submitted(), "accept", people.receiver)
        act(assigned, "assign", people.leader, assignee="chuyen.vien")
    dossiers = list(Dossier.objects.all())
    for moment in (at(2026, 3, 3, 9), at(2026, 3, 6, 10), at(2026, 3, 10, 9)):
        calendars = backoffice.Calendars()
        for state in ("in_time", "at_risk", "overdue", "paused"):
            found = backoffice.filter_by_clock(
                Dossier.objects.all(), state, now=moment, calendars=calendars
            )
            assert {d.id for d in found} == {d.id for d in dossiers if clock_of(d, moment) == state}


def test_the_inbox_costs_the_same_queries_for_one_row_or_many(
    submitted: Callable[..., Dossier],
    people: People,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        for _ in range(6):
            act(submitted(), "accept", people.receiver)
        submitted()
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        receiver = login(people.receiver)
        receiver.get(INBOX)  # warms the per-process calendar cache
        # 2 session and user; 2 the official and their roles (page), 2 again (visible_dossiers);
        # 1 total count; clock counts: 1 receiving agencies of the open dossiers, 1 calendar
        # revision token per such agency (one here), 1 rows due within a working day, 3 counts
        # (in time, overdue, paused); 1 page of rows (procedure version, agencies, applicant,
        # assignee joined). Nothing per row: the clock and the actions come from what was
        # loaded once, so 50 rows cost the same.
        with django_assert_max_num_queries(14):
            response = receiver.get(INBOX)
    assert len(response.context["rows"]) == 7


# Apologies


def test_the_leader_approves_an_apology_through_the_form(
    drafted: Apology, running: Dossier, people: People
) -> None:
    with time_machine.travel(at(2026, 3, 6, 14), tick=False):
        leader = login(people.leader)
        page = leader.get(APOLOGIES)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Văn bản xin lỗi" in html
        assert running.code in html
        assert "09/03/2026 09:00" in html  # the original due time, local
        form = page.context["drafts"][0][1]
        assert form is not None
        proposed = drafted.proposed_due_at.astimezone(TZ).strftime("%Y-%m-%dT%H:%M")
        assert f'type="datetime-local" name="new_due" value="{proposed}"' in html
        assert drafted.reason in html  # the textarea, prefilled

        response = leader.post(
            reverse("dossiers:approve_apology", args=[drafted.id]),
            {
                "reason": "Cần xác minh thông tin với Đoàn Luật sư tỉnh",
                "new_due": "2026-03-12T09:00",
            },
            follow=True,
        )

    assert response.redirect_chain == [(APOLOGIES, 302)]
    assert "Đã gửi văn bản xin lỗi, hẹn lại 12/03/2026 09:00." in response.content.decode()
    assert response.context["drafts"] == []
    dossier = Dossier.objects.get(id=running.id)
    assert dossier.due_at == at(2026, 3, 12, 9)
    assert dossier.reschedule_count == 1
    apology = Apology.objects.get(id=drafted.id)
    assert apology.status == "sent"
    assert apology.approved_by == people.leader
    event = DossierEvent.objects.get(dossier=dossier, action="reschedule")
    assert event.payload["reason"] == "Cần xác minh thông tin với Đoàn Luật sư tỉnh"


def test_a_specialist_sees_the_draft_but_cannot_approve_it(
    drafted: Apology, running: Dossier, people: People
) -> None:
    with time_machine.travel(at(2026, 3, 6, 14), tick=False):
        specialist = login(people.specialist)
        page = specialist.get(APOLOGIES)
        html = page.content.decode()
        assert running.code in html
        assert page.context["drafts"] == [(drafted, None)]
        assert reverse("dossiers:approve_apology", args=[drafted.id]) not in html
        # A forged POST is refused, and changes nothing.
        forged = specialist.post(
            reverse("dossiers:approve_apology", args=[drafted.id]),
            {"reason": "Tự duyệt", "new_due": "2026-03-12T09:00"},
        )
        # An official of an agency that has nothing to do with it cannot even find it.
        other = login(people.other_specialist).post(
            reverse("dossiers:approve_apology", args=[drafted.id]),
            {"reason": "Tự duyệt", "new_due": "2026-03-12T09:00"},
        )
    assert forged.status_code == 403
    assert "Bạn không có vai trò cần thiết" in forged.content.decode()
    assert other.status_code == 404
    assert Apology.objects.get(id=drafted.id).status == "draft"
    assert Dossier.objects.get(id=running.id).due_at == at(2026, 3, 9, 9)


@pytest.mark.parametrize(
    ("new_due", "error"),
    [
        ("12/03/2026", "Nhập một ngày/thời gian hợp lệ."),  # not a datetime-local value
        ("", "Trường này là bắt buộc."),
        # Well formed, but not after the due date: the domain refuses it.
        ("2026-03-08T09:00", "ngày hẹn mới phải sau ngày hẹn trả hiện tại."),
    ],
)
def test_a_bad_date_shows_an_error_and_changes_nothing(
    drafted: Apology, running: Dossier, people: People, new_due: str, error: str
) -> None:
    with time_machine.travel(at(2026, 3, 6, 14), tick=False):
        response = login(people.leader).post(
            reverse("dossiers:approve_apology", args=[drafted.id]),
            {"reason": "Lý do", "new_due": new_due},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Văn bản xin lỗi chưa được gửi" in html
    assert error in html
    assert Apology.objects.get(id=drafted.id).status == "draft"
    dossier = Dossier.objects.get(id=running.id)
    assert (dossier.due_at, dossier.reschedule_count) == (at(2026, 3, 9, 9), 0)


def test_leaders_see_late_dossiers_without_an_apology_and_the_rate(
    running: Dossier, people: People
) -> None:
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):  # a day past the due date
        page = login(people.leader).get(APOLOGIES)
        html = page.content.decode()
        assert page.context["report"]["percent"] == 0.0
        assert [d.code for d in page.context["report"]["late_dossiers"]] == [running.code]
        assert "Hồ sơ trễ hạn chưa có văn bản xin lỗi" in html
        # A specialist is not shown the managers' report.
        assert login(people.specialist).get(APOLOGIES).context["report"] is None
