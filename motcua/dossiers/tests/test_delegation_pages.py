"""The delegation page (/can-bo/uy-quyen/) through the Django test client: a leader lends and
takes back, bad input is told next to its field and changes nothing, the picker keeps what was
typed."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Delegation, User
from motcua.dossiers.tests.conftest import JUSTICE, PROCEDURE, People, at
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db
PAGE = reverse("dossiers:delegation_list")
CREATE = reverse("dossiers:delegation_create")


def login(user: User, language: str = "en") -> Client:
    client = Client()  # Vietnamese first; English when chosen (the cookie)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def filled(people: People, client: Client, **changes: Any) -> dict[str, Any]:
    authority = client.get(PAGE).context["form"].fields["authority"].choices[0][0]
    return {
        "authority": authority,
        "delegate": people.specialist.official.id,
        "actions": ["approve", "sign"],
        "procedure_codes": PROCEDURE,
        "q": "",
        "valid_from": "2026-03-02T08:00",
        "valid_until": "2026-03-31T17:00",
        "reason": "Quyết định số 12/QĐ-STP",
        "create": "1",
        **changes,
    }


@pytest.fixture(autouse=True)
def monday() -> Any:
    with time_machine.travel(at(2026, 3, 2, 7), tick=False):
        yield


def test_a_leader_lends_approving_and_signing_and_both_see_it(people: People) -> None:
    leader = login(people.leader)
    response = leader.post(CREATE, filled(people, leader))
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.delegator == people.leader.official
    assert delegation.delegate == people.specialist.official
    assert delegation.agency == Agency.objects.get(code=JUSTICE)
    assert (delegation.actions, delegation.procedure_codes) == (["approve", "sign"], [PROCEDURE])
    assert (delegation.valid_from, delegation.valid_until) == (
        at(2026, 3, 2, 8),
        at(2026, 3, 31, 17),
    )
    page = leader.get(PAGE)
    assert "may now act on behalf of" in page.content.decode()
    assert [row["delegation"] for row in page.context["given"]] == [delegation]
    # The delegate sees it received, and has no form: they cannot lend it on.
    theirs = login(people.specialist).get(PAGE)
    assert [row["delegation"] for row in theirs.context["received"]] == [delegation]
    assert theirs.context["form"] is None
    assert not theirs.context["received"][0]["revocable"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"valid_from": "2026-03-31T17:00", "valid_until": "2026-03-02T08:00"},
            "valid_until",
            "The end must come after the start.",
        ),
        ({"actions": []}, "actions", "Choose approving, signing or both."),
        ({"procedure_codes": "1.002153, 9.999999"}, "procedure_codes", "9.999999"),
        ({"reason": "  "}, "reason", "Say why, or give the number of the written decision."),
    ],
)
def test_bad_input_is_told_next_to_its_field_and_changes_nothing(
    people: People, changes: dict[str, Any], field: str, message: str
) -> None:
    leader = login(people.leader)
    data = filled(people, leader, **changes)
    response = leader.post(CREATE, data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    html = response.content.decode()
    assert "The delegation was not given" in html
    # The message is inside the field's own block.
    block = html.split(f'id="field-{field}"')[1].split('id="field-')[0]
    assert message in block
    # What was typed is all still there.
    assert str(data["procedure_codes"]) in html
    assert not Delegation.objects.exists()


def test_every_problem_is_told_at_once_in_vietnamese(people: People) -> None:
    leader = login(people.leader, "vi")
    data = filled(people, leader, actions=[], procedure_codes="", reason="")
    response = leader.post(CREATE, data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"actions", "procedure_codes", "reason"}
    html = response.content.decode()
    assert "Giấy ủy quyền chưa được tạo" in html
    assert "Chọn phê duyệt, ký hoặc cả hai." in html


def test_the_picker_finds_and_adds_a_procedure_keeping_what_was_typed(people: People) -> None:
    leader = login(people.leader)
    data = filled(people, leader, procedure_codes="", q="luật sư", reason="Đi công tác")
    data.pop("create")
    found = leader.post(CREATE, {**data, "find": "1"})
    assert found.status_code == 200
    assert PROCEDURE in [p.national_code for p in found.context["found"]]
    assert "Đi công tác" in found.content.decode()
    added = leader.post(CREATE, {**data, "add": PROCEDURE})
    form = added.context["form"]
    assert form["procedure_codes"].value() == PROCEDURE
    assert form["reason"].value() == "Đi công tác"
    assert form["actions"].value() == ["approve", "sign"]
    assert not Delegation.objects.exists()


def test_the_leader_revokes_and_the_delegate_cannot(people: People) -> None:
    leader = login(people.leader)
    leader.post(CREATE, filled(people, leader))
    delegation = Delegation.objects.get()
    revoke = reverse("dossiers:delegation_revoke", args=[delegation.id])
    refused = login(people.specialist).post(revoke, follow=True)
    assert "Only the delegating leader" in refused.content.decode()
    assert Delegation.objects.get().revoked_at is None
    leader.post(revoke)
    assert Delegation.objects.get().revoked_by == people.leader
    page = leader.get(PAGE)
    assert page.context["given"][0]["state"] == "revoked"
    assert not page.context["given"][0]["revocable"]


def test_only_officials_see_the_page(people: People) -> None:
    assert login(people.citizen).get(PAGE).status_code == 403
    assert Client().get(PAGE).status_code == 302
    # Someone who leads nowhere cannot post a delegation either.
    response = login(people.clerk).post(CREATE, {"create": "1"})
    assert response.status_code == 403
