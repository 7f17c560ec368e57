"""Online submission in HTML (/ho-so/nop/…): each step, each refusal next to its field with
nothing lost, drafts kept per account, one dossier per submit however often it is sent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DraftDocument,
    SubmissionDraft,
)
from motcua.dossiers.queries import missing_documents
from motcua.dossiers.tests.conftest import PDF, PROCEDURE, People, act, required_documents

BIRTH = "1.001193"  # birth registration: commune level, offered online
NOT_ONLINE = "1.003583"  # mobile birth registration: counter only
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
COMMUNE = "00691"  # phường Hà Giang 2; its centre is H08.00691.01

pytestmark = pytest.mark.usefixtures("catalogue")


def client_for(user: Any, language: str = "en") -> Client:
    """Signed in; pages in `language` (Vietnamese unless the visitor chose otherwise)."""
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def url(step: str, code: str = PROCEDURE) -> str:
    return {
        "details": f"/ho-so/nop/{code}/",
        "documents": f"/ho-so/nop/{code}/giay-to/",
        "review": f"/ho-so/nop/{code}/xem-lai/",
    }[step]


def details(**overrides: str) -> dict[str, str]:
    return {"applicant": "self", "centre": "H08.01", "delivery": "online", **overrides}


def field_error(html: str, name: str) -> str:
    """The message shown next to field `name` (empty when there is none)."""
    match = re.search(rf'<p class="errorlist" id="{re.escape(name)}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def upload_all(client: Client, code: str = PROCEDURE) -> None:
    files = {f"file_{r}": upload(f"giay-to-{r}.pdf") for r in required_documents(code)}
    response = client.post(url("documents", code), {**files, "action": "continue"})
    assert response.status_code == 302, response.content.decode()[:2000]


def fill_in(client: Client, code: str = PROCEDURE, **overrides: str) -> None:
    response = client.post(url("details", code), details(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    upload_all(client, code)


# Who may open the pages


def test_anonymous_visitor_is_sent_to_sign_in_and_back(people: People) -> None:
    response = Client().get(url("details"))

    assert response.status_code == 302
    assert response["Location"] == f"/dang-nhap/?next=/ho-so/nop/{PROCEDURE}/"


def test_official_is_told_the_pages_are_for_applicants(people: People) -> None:
    response = client_for(people.receiver).get(url("details"))

    assert response.status_code == 403
    assert "Online submission is for citizens and businesses" in response.content.decode()
    assert not SubmissionDraft.objects.exists()


def test_procedure_page_offers_online_submission_only_where_the_province_takes_it(
    people: People,
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")

    online = client.get(f"/thu-tuc/{BIRTH}/").content.decode()
    counter_only = client.get(f"/thu-tuc/{NOT_ONLINE}/").content.decode()

    assert f'href="/ho-so/nop/{BIRTH}/">Nộp hồ sơ trực tuyến</a>' in online
    assert "/ho-so/nop/" not in counter_only
    assert client_for(people.citizen).get(url("details", NOT_ONLINE)).status_code == 404


# Step 1: details


def test_details_are_prefilled_from_the_account_with_the_id_masked(people: People) -> None:
    html = client_for(people.citizen).get(url("details")).content.decode()

    assert "Nguyễn Thị Hoà" in html
    assert "0081******34" in html
    assert "008199001234" not in html
    assert 'value="H08.01" selected' in html  # the provincial centre, by default


def test_filing_for_oneself_goes_on_to_the_documents(people: People) -> None:
    client = client_for(people.citizen)

    response = client.post(url("details"), details(delivery="counter"))

    assert response.status_code == 302
    assert response["Location"] == url("documents")
    draft = SubmissionDraft.objects.get(user=people.citizen)
    assert draft.answers["delivery"] == "counter"
    # A reload resumes: the page shows what was chosen.
    html = client.get(url("details")).content.decode()
    assert 'id="delivery-counter" name="delivery" value="counter" checked' in html


def test_a_malformed_id_number_for_someone_else_is_refused_next_to_it_and_nothing_is_lost(
    people: People,
) -> None:
    client = client_for(people.citizen)

    response = client.post(
        url("details"),
        details(applicant="person", personal_id="12345", person_name="Trần Văn Bình"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "exactly 12 digits" in field_error(html, "personal_id")
    assert field_error(html, "person_name") == ""
    assert 'name="personal_id" value="12345"' in html
    assert 'name="person_name" value="Trần Văn Bình"' in html
    assert SubmissionDraft.objects.get(user=people.citizen).answers["personal_id"] == "12345"


def test_someone_elses_id_number_with_the_wrong_name_is_refused(people: People) -> None:
    response = client_for(people.citizen).post(
        url("details"),
        details(applicant="person", personal_id="002085005678", person_name="Người Khác"),
    )

    assert response.status_code == 400
    assert "do not match a registered citizen" in field_error(
        response.content.decode(), "personal_id"
    )


def test_filing_for_someone_else_with_their_id_number_and_name(people: People) -> None:
    client = client_for(people.citizen)

    fill_in(client, applicant="person", personal_id="002085005678", person_name="tran van binh")
    client.post(url("review"), {"token": SubmissionDraft.objects.get().token})

    dossier = Dossier.objects.get()
    assert dossier.applicant_citizen.user == people.other_citizen  # type: ignore[union-attr]
    assert dossier.submitted_by == people.citizen
    assert dossier.filed_as == "delegate"


def test_a_business_needs_a_reason_when_it_is_not_ones_own(people: People) -> None:
    response = client_for(people.citizen).post(
        url("details"), details(applicant="business", tax_code="0314409058", business_name="X")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "reason") == "This field is required."
    assert 'name="tax_code" value="0314409058"' in html


def test_post_delivery_needs_an_address(people: People) -> None:
    client = client_for(people.citizen)

    refused = client.post(url("details"), details(delivery="post", address=" "))
    accepted = client.post(url("details"), details(delivery="post", address="12 Lê Lợi, Hà Giang"))

    assert refused.status_code == 400
    assert "postal address" in field_error(refused.content.decode(), "address")
    assert 'id="delivery-post" name="delivery" value="post" checked' in refused.content.decode()
    assert accepted.status_code == 302


def test_a_commune_level_procedure_asks_for_the_commune_and_goes_to_its_centre(
    people: People,
) -> None:
    client = client_for(people.citizen)

    refused = client.post(url("details", BIRTH), {"applicant": "self", "delivery": "online"})
    fill_in(client, BIRTH, commune=COMMUNE, centre="")
    client.post(url("review", BIRTH), {"token": SubmissionDraft.objects.get().token})

    assert refused.status_code == 400
    assert "commune or ward concerned" in field_error(refused.content.decode(), "commune")
    dossier = Dossier.objects.get()
    assert dossier.receiving_agency.code == f"H08.{COMMUNE}.01"
    assert dossier.competent_agency.code == f"H08.{COMMUNE}"


# Step 2: documents


def test_each_required_document_says_what_it_is_and_whether_a_copy_will_do(
    people: People,
) -> None:
    html = " ".join(client_for(people.citizen).get(url("documents")).content.decode().split())

    application, contract = required_documents()
    assert f'name="file_{application}"' in html
    assert f'name="file_{contract}"' in html
    assert 'name="file_other"' in html
    assert html.count(">Required</strong>") == 2
    assert "Đơn đề nghị đăng ký hành nghề luật sư" in html
    assert "1 original, 0 copies. Scan or photograph the original." in html
    assert "0 originals, 1 copy. A copy is accepted." in html


def test_birth_registration_requires_the_birth_certificate_and_offers_the_cases(
    people: People,
) -> None:
    client = client_for(people.citizen)
    client.post(url("details", BIRTH), details(commune=COMMUNE, centre=""))
    html = " ".join(client.get(url("documents", BIRTH)).content.decode().split())

    # One document every applicant hands in; abandoned child, proxy, paper declaration and the
    # other cases are offered "only if your case needs it".
    assert html.count(">Required</strong>") == 1
    assert html.count("Only if your case needs it") >= 5
    version = Procedure.objects.get(national_code=BIRTH).current
    assert version is not None
    (certificate,) = required_documents(BIRTH)
    assert version.documents.get(id=certificate).name.startswith("Giấy chứng sinh")

    # That upload alone makes the dossier complete for the engine: the centre can accept it.
    response = client.post(
        url("documents", BIRTH),
        {f"file_{certificate}": upload("chung-sinh.pdf"), "action": "continue"},
    )
    assert response.status_code == 302
    client.post(url("review", BIRTH), {"token": SubmissionDraft.objects.get().token})
    dossier = Dossier.objects.get()
    assert missing_documents(dossier) == []


def test_a_refused_file_is_reported_next_to_it_and_the_others_are_kept(people: People) -> None:
    client = client_for(people.citizen)
    application, contract = required_documents()

    response = client.post(
        url("documents"),
        {
            f"file_{application}": upload("don.pdf"),
            f"file_{contract}": upload("hop-dong.pdf", b"MZ\x90\x00 not a document"),
            "action": "continue",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG" in field_error(html, f"file_{contract}")
    assert field_error(html, f"file_{application}") == ""
    assert "Uploaded: <strong>don.pdf</strong>" in html
    assert list(DraftDocument.objects.values_list("requirement_id", flat=True)) == [application]


def test_a_file_over_the_limit_is_refused_next_to_it(people: People, settings: Settings) -> None:
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024 * 1024
    client = client_for(people.citizen)
    application, _contract = required_documents()

    response = client.post(
        url("documents"),
        {f"file_{application}": upload("big.pdf", PDF + b"0" * (1024 * 1024)), "action": "save"},
    )

    assert response.status_code == 400
    assert "larger than 1 MB" in field_error(response.content.decode(), f"file_{application}")
    assert not DraftDocument.objects.exists()


def test_continuing_without_a_mandatory_document_names_it_and_keeps_the_rest(
    people: People,
) -> None:
    client = client_for(people.citizen)
    application, contract = required_documents()
    client.post(url("documents"), {f"file_{application}": upload("don.pdf"), "action": "save"})

    response = client.post(url("documents"), {"action": "continue"})

    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, f"file_{contract}") == "Upload this document: it is required."
    assert field_error(html, f"file_{application}") == ""
    assert "Uploaded: <strong>don.pdf</strong>" in html


def test_an_upload_is_replaced_and_can_be_removed(people: People) -> None:
    client = client_for(people.citizen)
    application, _contract = required_documents()
    field = f"file_{application}"

    client.post(url("documents"), {field: upload("first.pdf"), "action": "save"})
    client.post(url("documents"), {field: upload("second.png", PNG), "action": "save"})
    assert list(DraftDocument.objects.values_list("file_name", flat=True)) == ["second.png"]

    client.post(url("documents"), {"remove": str(application)})
    assert not DraftDocument.objects.exists()


# Step 3: review, submit, receipt


def test_review_then_submit_gives_the_code_and_says_when_the_due_date_is_set(
    people: People,
) -> None:
    client = client_for(people.citizen)
    fill_in(client)
    client.post(url("documents"), {"file_other": upload("anh.png", PNG), "action": "save"})

    review = client.get(url("review")).content.decode()
    assert "Luật sư" in review or "luật sư" in review
    assert "giay-to-" in review and "anh.png" in review
    token = SubmissionDraft.objects.get().token
    response = client.post(url("review"), {"token": token})

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/nop/bien-nhan/{dossier.code}/"
    receipt = client.get(response["Location"]).content.decode()
    assert dossier.code in receipt
    assert "Set when the centre accepts the dossier" in receipt
    assert "/slips/receipt.pdf" not in receipt  # issued at acceptance
    assert dossier.channel == "online"
    assert dossier.delivery_method == "online"
    documents = DossierDocument.objects.filter(dossier=dossier)
    assert sorted(d.requirement_id or 0 for d in documents) == sorted([*required_documents(), 0])
    assert not SubmissionDraft.objects.exists()


def test_the_receipt_pdf_is_offered_once_the_centre_accepts(people: People) -> None:
    client = client_for(people.citizen)
    fill_in(client)
    client.post(url("review"), {"token": SubmissionDraft.objects.get().token})
    dossier = act(Dossier.objects.get(), "accept", people.receiver)

    receipt = client.get(f"/ho-so/nop/bien-nhan/{dossier.code}/").content.decode()

    link = f"/api/v1/dossiers/{dossier.code}/slips/receipt.pdf"
    assert f'href="{link}"' in receipt
    assert "Set when the centre accepts" not in receipt
    pdf = client.get(link)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_a_double_click_on_submit_makes_one_dossier(people: People) -> None:
    client = client_for(people.citizen)
    fill_in(client)
    token = SubmissionDraft.objects.get().token

    first = client.post(url("review"), {"token": token})
    second = client.post(url("review"), {"token": token})

    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_failure_while_submitting_leaves_no_half_dossier_and_keeps_the_draft(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(people.citizen)
    fill_in(client)
    from motcua.dossiers.actions import submission  # noqa: PLC0415

    calls: list[object] = []

    def fail_on_second(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return original(*args, **kwargs)

    original = submission.add_document
    monkeypatch.setattr(submission, "add_document", fail_on_second)

    with pytest.raises(RuntimeError):
        client.post(url("review"), {"token": SubmissionDraft.objects.get().token})

    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()
    assert not DossierEvent.objects.exists()
    assert SubmissionDraft.objects.get().documents.count() == 2


def test_submitting_an_incomplete_draft_changes_nothing(people: People) -> None:
    client = client_for(people.citizen)
    client.post(url("details"), details())

    response = client.post(url("review"), {"token": SubmissionDraft.objects.get().token})

    assert response.status_code == 400
    assert "Upload the 2 missing required documents" in response.content.decode()
    assert not Dossier.objects.exists()


# Drafts are personal


def test_another_users_draft_is_never_reachable(people: People) -> None:
    mine = client_for(people.citizen)
    mine.post(
        url("details"),
        details(applicant="person", personal_id="002085005678", person_name="Trần Văn Bình"),
    )
    application, _contract = required_documents()
    mine.post(url("documents"), {f"file_{application}": upload("bi-mat.pdf"), "action": "save"})
    theirs = client_for(people.other_citizen)

    details_page = theirs.get(url("details")).content.decode()
    documents_page = theirs.get(url("documents")).content.decode()
    theirs.post(url("documents"), {"remove": str(application)})
    mine_token = SubmissionDraft.objects.get(user=people.citizen).token
    review = theirs.post(url("review"), {"token": mine_token})

    assert "002085005678" not in details_page
    assert "bi-mat.pdf" not in documents_page
    assert DraftDocument.objects.filter(file_name="bi-mat.pdf").exists()
    assert review.status_code in (302, 400)
    assert not Dossier.objects.exists()
    assert SubmissionDraft.objects.filter(user=people.citizen).exists()


def test_another_users_receipt_is_not_found(people: People) -> None:
    client = client_for(people.citizen)
    fill_in(client)
    client.post(url("review"), {"token": SubmissionDraft.objects.get().token})
    code = Dossier.objects.get().code

    assert client_for(people.other_citizen).get(f"/ho-so/nop/bien-nhan/{code}/").status_code == 404


def test_a_requirement_of_another_procedure_cannot_be_slipped_in(people: People) -> None:
    client = client_for(people.citizen)
    other = RequiredDocument.objects.exclude(
        version=Procedure.objects.get(national_code=PROCEDURE).current
    ).first()
    assert other is not None

    client.post(url("documents"), {f"file_{other.id}": upload("x.pdf"), "action": "save"})

    assert not DraftDocument.objects.exists()


def test_a_dossier_submitted_at_a_centres_kiosk_says_so(people: People) -> None:
    client = client_for(people.citizen)
    client.get("/kiosk/H08.01/")  # the kiosk's home marks the session
    fill_in(client)
    client.post(url("review"), {"token": SubmissionDraft.objects.get().token})

    assert Dossier.objects.get().channel == "kiosk"


def test_a_dossier_submitted_from_home_is_online(people: People) -> None:
    client = client_for(people.citizen)
    fill_in(client)
    client.post(url("review"), {"token": SubmissionDraft.objects.get().token})

    assert Dossier.objects.get().channel == "online"
