"""The inbox's tabs per role, their counts, search and filters (Django test client).

Each tab must list what the engine says the official has to do: the dossiers are driven through
the engine (`act`), never written by hand, and the tab is checked against the stage and the
clock the engine left.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import Role, User
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CENTRE, JUSTICE, People, _official, act, at
from motcua.dossiers.views import office

pytestmark = pytest.mark.django_db
INBOX = reverse("dossiers:inbox")
SELF, MATE = "chuyen.vien", "chuyen.vien.2"  # two specialists of the department


def login(user: User) -> Client:
    client = Client()  # no language cookie: Vietnamese
    client.force_login(user)
    return client


def tabs(client: Client) -> dict[str, int]:
    response = client.get(INBOX)
    assert response.status_code == 200
    return {tab.key: tab.count for group in response.context["groups"] for tab in group.tabs}


def codes(client: Client, query: str = "") -> list[str]:
    response = client.get(INBOX + query)
    assert response.status_code == 200
    return [row.dossier.code for row in response.context["rows"]]


def through(dossier: Dossier, people: People, *steps: str) -> Dossier:
    """Drive `dossier` through the engine's steps, each by the official whose step it is."""
    by = {
        "accept": people.receiver,
        "appraise": people.specialist,
        "approve": people.leader,
        "sign": people.clerk,
        "issue_result": people.clerk,
        "return_result": people.receiver,
    }
    for step in steps:
        dossier = act(dossier, step, by[step])
    return dossier


def test_the_counter_sees_what_waits_for_it(
    submitted: Callable[..., Dossier], people: People
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        waiting = submitted()
        supplemented = act(
            submitted(with_documents=False),
            "request_supplement",
            people.receiver,
            items=["Giấy đề nghị đăng ký hành nghề"],
        )
        supplemented = act(supplemented, "supplement", people.citizen)
        ready = through(submitted(), people, "accept", "appraise", "approve", "sign")
        ready = act(ready, "issue_result", people.clerk)
        through(submitted(), people, "accept")  # with the department: not the counter's
        returned = through(ready, people, "return_result")  # finished: in no tab

        receiver = login(people.receiver)
        assert tabs(receiver) == {
            "receiver_accept": 1,
            "receiver_supplements": 1,
            "receiver_hand_over": 0,
        }
        assert codes(receiver, "?tab=receiver_accept") == [waiting.code]
        assert codes(receiver, "?tab=receiver_supplements") == [supplemented.code]
        assert codes(receiver, "?tab=receiver_hand_over") == []
        # "All my dossiers" lists the open ones; a search or a status finds finished ones too.
        assert returned.code not in codes(receiver)
        assert codes(receiver, f"?q={returned.code}") == [returned.code]
        assert codes(receiver, "?status=10") == [returned.code]
        html = receiver.get(INBOX + "?tab=receiver_accept").content.decode()
        assert "Chờ tiếp nhận" in html
        assert 'aria-current="page"' in html
        # Another centre's receiver has nothing waiting.
        assert set(tabs(login(people.other_receiver)).values()) == {0}


def test_the_result_waits_at_the_counter_until_handed_over(
    submitted: Callable[..., Dossier], people: People
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        ready = through(submitted(), people, "accept", "appraise", "approve", "sign")
        ready = act(ready, "issue_result", people.clerk)
        receiver = login(people.receiver)
        assert codes(receiver, "?tab=receiver_hand_over") == [ready.code]
        assert tabs(receiver)["receiver_hand_over"] == 1


def test_specialist_leader_and_clerk_tabs(
    submitted: Callable[..., Dossier], people: People
) -> None:
    colleague = _official(MATE, "Lý Văn Nam", [(JUSTICE, Role.SPECIALIST)])
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        mine = act(
            through(submitted(), people, "accept"), "assign", people.leader, assignee="chuyen.vien"
        )
        theirs = act(
            through(submitted(), people, "accept"),
            "assign",
            people.leader,
            assignee="chuyen.vien.2",
        )
        unassigned = through(submitted(), people, "accept")
        to_approve = through(submitted(), people, "accept", "appraise")
        to_sign = through(submitted(), people, "accept", "appraise", "approve")
        to_issue = through(submitted(), people, "accept", "appraise", "approve", "sign")

    # Tuesday 3 March: all due Monday 9 March, in time.
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        specialist = login(people.specialist)
        assert set(codes(specialist, "?tab=specialist_mine")) == {mine.code, unassigned.code}
        assert set(codes(login(colleague), "?tab=specialist_mine")) == {
            theirs.code,
            unassigned.code,
        }
        assert tabs(specialist) == {
            "specialist_mine": 2,
            "specialist_due_today": 0,
            "specialist_at_risk": 0,
            "specialist_overdue": 0,
        }
        leader = login(people.leader)
        assert codes(leader, "?tab=leader_mine") == [to_approve.code]
        clerk = login(people.clerk)
        assert codes(clerk, "?tab=clerk_sign") == [to_sign.code]
        assert codes(clerk, "?tab=clerk_issue") == [to_issue.code]
        assert tabs(clerk) == {"clerk_sign": 1, "clerk_issue": 1}

    # Monday 9 March 08:00: due at 09:00 today, less than a working day left.
    with time_machine.travel(at(2026, 3, 9, 8), tick=False):
        specialist = login(people.specialist)
        counts = tabs(specialist)
        assert counts["specialist_due_today"] == 2
        assert counts["specialist_at_risk"] == 2
        assert counts["specialist_overdue"] == 0
        assert set(codes(specialist, "?tab=specialist_at_risk")) == {mine.code, unassigned.code}
        # The leader watches every running dossier of the department.
        assert tabs(login(people.leader))["leader_due_today"] == 6

    # Tuesday 10 March: past due.
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        specialist = login(people.specialist)
        assert set(codes(specialist, "?tab=specialist_overdue")) == {mine.code, unassigned.code}
        counts = tabs(specialist)
        assert (counts["specialist_due_today"], counts["specialist_overdue"]) == (0, 2)
        assert tabs(login(people.leader))["leader_overdue"] == 6
        html = specialist.get(INBOX + "?tab=specialist_overdue").content.decode()
        assert "Quá hạn" in html


def test_an_official_with_several_roles_sees_the_tabs_of_each(
    submitted: Callable[..., Dossier], people: People
) -> None:
    both = _official(
        "mot.cua.tong.hop", "Hà Thị Vân", [(CENTRE, Role.RECEIVER), (JUSTICE, Role.CLERK)]
    )
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        waiting = submitted()
        response = login(both).get(INBOX)
    headings = [str(group.heading) for group in response.context["groups"]]
    assert headings == ["Một cửa", "Văn thư"]
    assert tabs(login(both)) == {
        "receiver_accept": 1,
        "receiver_supplements": 0,
        "receiver_hand_over": 0,
        "clerk_sign": 0,
        "clerk_issue": 0,
    }
    assert waiting.code in response.content.decode()


def test_a_provincial_manager_reads_the_whole_province(
    submitted: Callable[..., Dossier], people: People
) -> None:
    manager = _official("quan.ly", "Trịnh Văn Hải", [("H08", Role.MANAGER)])
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        running = through(submitted(), people, "accept")
        waiting = submitted()  # not accepted: no clock yet, but open
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        client = login(manager)
        counts = tabs(client)
        assert counts == {
            "manager_open": 2,
            "manager_due_today": 0,
            "manager_at_risk": 0,
            "manager_overdue": 1,
        }
        assert set(codes(client, "?tab=manager_open")) == {running.code, waiting.code}
        response = client.get(INBOX + "?tab=manager_overdue")
        [row] = response.context["rows"]
        assert row.dossier == running
        assert row.actions == []  # read-only
        assert "chỉ xem" in response.content.decode()
        # Each listed dossier opens on its page, read-only: no action button.
        page = client.get(f"/can-bo/ho-so/{running.code}/")
        assert page.status_code == 200
        assert page.context["action_forms"] == []


def test_sorted_by_due_time(submitted: Callable[..., Dossier], people: People) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        later = through(submitted(), people, "accept")
        waiting = submitted()
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        sooner = through(submitted(), people, "accept")
    assert sooner.due_at < later.due_at
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        # Soonest due first; not yet accepted (no due time) last.
        assert codes(login(people.receiver)) == [sooner.code, later.code, waiting.code]


def test_search_by_code_name_and_whole_id_number(
    submitted: Callable[..., Dossier], people: People
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dossier = submitted()
        receiver = login(people.receiver)
        assert codes(receiver, f"?q={dossier.code}") == [dossier.code]
        assert codes(receiver, f"?q={dossier.code.lower()}") == [dossier.code]
        # The applicant is Nguyễn Thị Hoà: typed without accents, in any case, any word order.
        assert codes(receiver, "?q=nguyen+thi+hoa") == [dossier.code]
        assert codes(receiver, "?q=HOA+Nguyễn") == [dossier.code]
        assert codes(receiver, "?q=Hòa") == [dossier.code]  # the other tone-mark placement
        assert codes(receiver, "?q=binh") == []
        # The whole ID number finds the dossier; a part of it finds nothing.
        assert codes(receiver, "?q=008199001234") == [dossier.code]
        assert codes(receiver, "?q=00819900") == []
        assert codes(receiver, "?q=1234") == []
        assert codes(receiver, "?q=002085005678") == []  # another person
        html = receiver.get(INBOX + "?q=00819900").content.decode()
        assert "Không có hồ sơ nào phù hợp" in html


def test_a_search_matching_too_many_lists_the_first_and_says_so(
    submitted: Callable[..., Dossier], people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "MATCHES_COUNTED", 2)
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        made = [submitted() for _ in range(3)]
        receiver = login(people.receiver)
        response = receiver.get(INBOX + "?q=hoa")
        shown = [row.dossier.code for row in response.context["rows"]]
        assert len(shown) == 2
        assert set(shown) < {d.code for d in made}
        html = response.content.decode()
        assert "Có hơn 2 hồ sơ khớp" in html
        # Up to the cap, the count is exact and nothing is said.
        response = receiver.get(INBOX + f"?q={made[0].code}")
        assert [row.dossier.code for row in response.context["rows"]] == [made[0].code]
        assert "Có hơn" not in response.content.decode()


def test_filters(submitted: Callable[..., Dossier], people: People) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        monday = submitted()
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        wednesday = through(submitted(), people, "accept")
        receiver = login(people.receiver)
        field_id = monday.procedure.field_id
        assert codes(receiver, "?procedure=1.002153") == [wednesday.code, monday.code]
        assert codes(receiver, "?procedure=1.000000") == []
        assert len(codes(receiver, f"?field={field_id}")) == 2
        assert codes(receiver, "?channel=online") == [wednesday.code, monday.code]
        assert codes(receiver, "?channel=counter") == []
        assert codes(receiver, "?submitted_from=2026-03-03") == [wednesday.code]
        assert codes(receiver, "?submitted_to=2026-03-02") == [monday.code]
        assert codes(receiver, "?status=1") == [monday.code]
        # Filters apply within a tab, and the tab stays chosen.
        assert codes(receiver, "?tab=receiver_accept&channel=online") == [monday.code]
        # A malformed value narrows nothing rather than failing.
        assert len(codes(receiver, "?submitted_from=yesterday&field=x&channel=fax")) == 2


@pytest.mark.parametrize(
    ("user", "tab"),
    [
        ("receiver", None),
        ("receiver", "receiver_accept"),
        ("specialist", "specialist_mine"),
        ("specialist", "specialist_at_risk"),
        ("leader", "leader_due_today"),
        ("clerk", "clerk_sign"),
    ],
)
def test_statements_do_not_grow_with_the_rows(
    submitted: Callable[..., Dossier],
    people: People,
    user: str,
    tab: str | None,
) -> None:
    """Each tab costs the same statements for one row as for many (no query per row)."""
    query = f"?tab={tab}" if tab else ""
    client = login(getattr(people, user))

    def statements() -> tuple[int, int]:
        with time_machine.travel(at(2026, 3, 9, 8), tick=False):
            client.get(INBOX + query)  # warms the per-process caches
            with CaptureQueriesContext(connection) as captured:
                response = client.get(INBOX + query)
            assert response.status_code == 200
            return len(captured.captured_queries), len(response.context["rows"])

    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        submitted()
        through(submitted(), people, "accept")
        through(submitted(), people, "accept", "appraise", "approve")
    few, rows_few = statements()
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        for _ in range(4):
            submitted()
            through(submitted(), people, "accept")
            through(submitted(), people, "accept", "appraise", "approve")
    many, rows_many = statements()
    assert rows_many > rows_few > 0
    assert many == few
    assert few <= 12
