"""Filing in someone else's name, through the API: a business's public tax code is not a
delegation. Filing for a business takes its own account, its registered legal representative,
or a declared delegate (its name and a reason); each dossier records who filed for whom in which
capacity, in its row and in its submit event, and a refused filing writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.actions import do_register_business, do_set_business_representative
from motcua.accounts.models import Business
from motcua.dossiers.models import (
    Dossier,
    DossierCounter,
    DossierEvent,
    IdempotencyRecord,
    OutboxMessage,
)
from motcua.dossiers.tests.conftest import CENTRE, PASSWORD, PROCEDURE, People, api_client, pdf

pytestmark = pytest.mark.django_db
FIRM = "Công ty TNHH Sông Lô"
TAX_CODE = "0314409058"


@pytest.fixture
def firm(people: People) -> Business:
    return do_register_business(username="song.lo", password=PASSWORD, name=FIRM, tax_code=TAX_CODE)


def file(client: Client, **fields: str) -> Any:
    return client.post(
        "/api/v1/dossiers",
        {"procedure": PROCEDURE, "receiving_agency": CENTRE, **fields},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="one-key",
    )


def nothing_written() -> bool:
    return not (
        Dossier.objects.exists()
        or DossierEvent.objects.exists()
        or DossierCounter.objects.exists()
        or OutboxMessage.objects.exists()
        or IdempotencyRecord.objects.exists()
    )


def submit_event(code: str) -> dict[str, Any]:
    return DossierEvent.objects.get(dossier__code=code, action="submit").payload  # type: ignore[no-any-return]


def test_a_tax_code_alone_files_nothing_for_someone_elses_business(
    people: People, firm: Business
) -> None:
    stranger = api_client(people.other_citizen)
    # The reported attack: the public tax code, nothing else.
    response = file(stranger, applicant_tax_code=TAX_CODE)
    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["errors"][0]["field"]) == (
        "BAD_REQUEST",
        "delegation_reason",
    )
    # The public name as well is not a delegation either.
    assert file(stranger, applicant_tax_code=TAX_CODE, applicant_name=FIRM).status_code == 400
    # A reason with a name that does not match.
    wrong = file(
        stranger, applicant_tax_code=TAX_CODE, applicant_name="Sông Hồng", delegation_reason="x"
    )
    assert (wrong.status_code, wrong.json()["errors"][0]["field"]) == (400, "applicant_tax_code")
    assert nothing_written()
    assert api_client(firm.user).get("/api/v1/dossiers").json()["count"] == 0


def test_a_declared_delegate_files_for_the_business_and_acts_for_it_on_that_dossier(
    people: People, firm: Business
) -> None:
    delegate, business = api_client(people.other_citizen), api_client(firm.user)
    response = file(
        delegate,
        applicant_tax_code=TAX_CODE,
        applicant_name="cong ty tnhh song lo",
        delegation_reason="Giấy ủy quyền số 12/2026 của giám đốc",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["applicant"], body["filed_as"], body["delegation_reason"]) == (
        FIRM,
        "delegate",
        "Giấy ủy quyền số 12/2026 của giám đốc",
    )
    code = body["code"]
    dossier = Dossier.objects.get(code=code)
    assert (dossier.applicant_business, dossier.submitted_by) == (firm, people.other_citizen)
    assert submit_event(code) | {"competent_agency": None} == {
        "channel": "online",
        "competent_agency": None,
        "applicant": f"business:{firm.id}",
        "filed_as": "delegate",
        "delegation_reason": "Giấy ủy quyền số 12/2026 của giám đốc",
    }
    # The business sees it in its account, with who filed in which capacity.
    listed = business.get("/api/v1/dossiers").json()["results"]
    assert [(d["code"], d["filed_as"]) for d in listed] == [(code, "delegate")]
    # The delegate reads it and uploads to it, for that dossier; another citizen sees nothing.
    assert delegate.get(f"/api/v1/dossiers/{code}").status_code == 200
    uploaded = delegate.post(f"/api/v1/dossiers/{code}/documents", {"file": pdf()})
    assert uploaded.status_code == 201, uploaded.content
    assert api_client(people.citizen).get(f"/api/v1/dossiers/{code}").status_code == 404
    # ...and may withdraw it, as the business may.
    withdrawn = delegate.post(
        f"/api/v1/dossiers/{code}/actions",
        {"action": "request_withdrawal", "reason": "Công ty đổi ý."},
        content_type="application/json",
    )
    assert (withdrawn.status_code, withdrawn.json()["stage"]) == (200, "withdrawal_requested")


def test_the_business_itself_and_its_representative_file_without_a_delegation(
    people: People, firm: Business
) -> None:
    own = file(api_client(firm.user), applicant_tax_code=TAX_CODE)
    assert (own.status_code, own.json()["filed_as"]) == (201, "self")
    # Hoà is registered as the firm's legal representative: no name, no reason asked.
    do_set_business_representative(firm, "008199001234", acting_user=None)
    represented = file(api_client(people.citizen), applicant_tax_code=TAX_CODE)
    assert represented.status_code == 201, represented.content
    assert (represented.json()["applicant"], represented.json()["filed_as"]) == (
        FIRM,
        "representative",
    )
    assert submit_event(represented.json()["code"])["filed_as"] == "representative"
    # Without the reason and the name, the other citizen still may not.
    assert file(api_client(people.other_citizen), applicant_tax_code=TAX_CODE).status_code == 400


def test_the_counter_files_for_a_walk_in_business_and_a_delegate_for_a_person(
    people: People, firm: Business
) -> None:
    # The receiving officer has seen the papers at the counter: the tax code is enough.
    counter = file(api_client(people.receiver), channel="counter", applicant_tax_code=TAX_CODE)
    assert counter.status_code == 201, counter.content
    assert (counter.json()["applicant"], counter.json()["filed_as"]) == (FIRM, "counter")
    assert submit_event(counter.json()["code"])["filed_as"] == "counter"
    # For another person: the ID number and the name, recorded as a delegation.
    person = file(
        api_client(people.other_citizen),
        applicant_personal_id="008199001234",
        applicant_name="Nguyễn Thị Hoà",
    )
    assert (person.status_code, person.json()["filed_as"]) == (201, "delegate")
    assert submit_event(person.json()["code"])["applicant"].startswith("citizen:")
    # For oneself, nothing to declare.
    mine = file(api_client(people.citizen))
    assert (mine.status_code, mine.json()["filed_as"], mine.json()["delegation_reason"]) == (
        201,
        "self",
        "",
    )
