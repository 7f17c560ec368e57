"""Counter intake at /can-bo/tiep-nhan/: a receiver takes in papers and decides on the spot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from motcua.accounts.actions import do_register_business
from motcua.accounts.models import Citizen, FilerCapacity, User
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.tests.conftest import PASSWORD, PROCEDURE, People, pdf, required_documents

pytestmark = pytest.mark.django_db
WALK_IN_ID = "008095004321"
URL = reverse("dossiers:intake_form", args=[PROCEDURE])


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def form(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "citizen", "decision": "accept", "delivery_method": "counter"}
    for requirement in required_documents():
        data[f"originals_{requirement}"] = "1"
        data[f"file_{requirement}"] = pdf()
    data.update(fields)
    return data


WALK_IN = {
    "personal_id": WALK_IN_ID,
    "full_name": "Hoàng Văn Nam",
    "date_of_birth": "1995-08-19",
    "phone": "0912000111",
    "address": "Tổ 5, phường Minh Xuân, Tuyên Quang",
}


def test_search_finds_the_procedure_without_accents(people: People) -> None:
    response = client_for(people.receiver).get(
        reverse("dossiers:intake_start"), {"q": "hanh nghe luat su"}
    )
    assert response.status_code == 200
    assert URL in response.content.decode()


def test_registered_citizen_dossier_joins_her_account(people: People) -> None:
    response = client_for(people.receiver).post(URL, form(personal_id="008199001234"))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:office_dossier", args=[dossier.code])
    assert dossier.channel == Channel.COUNTER
    assert dossier.applicant_citizen.user == people.citizen
    assert dossier.stage == "appraising" or dossier.status == 2
    assert all(d.digitised for d in dossier.documents.all())
    assert dossier.documents.count() == len(required_documents())


def test_walk_in_without_account_gets_a_receipt_with_claim_code(people: People) -> None:
    users = User.objects.count()
    client = client_for(people.receiver)
    response = client.post(URL, form(**WALK_IN))
    assert response.status_code == 302
    assert User.objects.count() == users
    dossier = Dossier.objects.get()
    walk_in = Citizen.objects.get(personal_id=WALK_IN_ID)
    assert walk_in.user is None
    assert dossier.applicant_citizen == walk_in
    assert dossier.claim_code
    receipt = client.get(f"/api/v1/dossiers/{dossier.code}/slips/receipt.pdf")
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    page = client.get(response["Location"]).content.decode()
    assert "receipt" in page


def test_business_by_tax_code(people: People) -> None:
    firm = do_register_business(
        username="song.lo", password=PASSWORD, name="Công ty TNHH Sông Lô", tax_code="0314409058"
    )
    response = client_for(people.receiver).post(URL, form(kind="business", tax_code="0314409058"))
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_business == firm


def test_delegate_is_recorded(people: People) -> None:
    response = client_for(people.receiver).post(
        URL,
        form(
            kind="delegate",
            **WALK_IN,
            delegate_name="Lò Văn Páo",
            delegate_id="008090001111",
            delegate_reason="Cán bộ thôn hỗ trợ",
        ),
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.filed_as == FilerCapacity.COUNTER
    # Who handed it in, and why, is on the dossier (shown to the applicant), the ID masked.
    assert "Lò Văn Páo" in dossier.delegation_reason
    assert "Cán bộ thôn hỗ trợ" in dossier.delegation_reason
    assert "008090001111" not in dossier.delegation_reason


def test_missing_documents_go_on_the_supplement_request(people: People) -> None:
    data = form(**WALK_IN, decision="request_supplement")
    first = required_documents()[0]
    del data[f"file_{first}"]
    response = client_for(people.receiver).post(URL, data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.stage == "supplement_requested"
    event = dossier.events.filter(action="request_supplement").get()
    missing = dossier.procedure_version.documents.get(id=first).name
    assert missing[:500] in event.payload["items"]


def test_refusal_needs_a_reason_and_changes_nothing(people: People) -> None:
    client = client_for(people.receiver)
    response = client.post(URL, form(**WALK_IN, decision="refuse"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="reason-error"' in page
    assert "Hoàng Văn Nam" in page  # what was typed is kept
    assert not Dossier.objects.exists()
    assert not Citizen.objects.filter(personal_id=WALK_IN_ID).exists()
    response = client.post(URL, form(**WALK_IN, decision="refuse", reason="Không thuộc thẩm quyền"))
    assert response.status_code == 302
    assert Dossier.objects.get().stage == "refused"


def test_non_receivers_are_refused(people: People) -> None:
    for user in (people.citizen, people.specialist):
        client = client_for(user)
        assert client.get(reverse("dossiers:intake_start")).status_code == 403
        assert client.post(URL, form(**WALK_IN)).status_code == 403
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"date_of_birth": "19/08/1995"}, 'id="date_of_birth-error"'),
        ({"personal_id": ""}, 'id="personal_id-error"'),
        ({"decision": "approve"}, 'id="decision-error"'),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    people: People, fields: dict[str, str], field_error: str
) -> None:
    response = client_for(people.receiver).post(URL, form(**{**WALK_IN, **fields}))
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Dossier.objects.exists()
    assert not Citizen.objects.filter(personal_id=WALK_IN_ID).exists()
