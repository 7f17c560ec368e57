"""Bad input gets a 4xx with a clear message, in English and in Vietnamese, and changes nothing.

Each refusal is asked twice (Accept-Language en, then vi); before and after, the tests count
dossiers, events, outbox rows, documents, the dossier counter, the files kept on disk and the
dossier's row version, which must all stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.accounts.models import User
from motcua.catalog.models import Procedure, ProcedureOffering, RequiredDocument
from motcua.dossiers.models import (
    Dossier,
    DossierCounter,
    DossierDocument,
    DossierEvent,
    IdempotencyRecord,
    OutboxMessage,
)
from motcua.dossiers.tests.conftest import (
    CENTRE,
    JUSTICE,
    PDF,
    PROCEDURE,
    People,
    act,
    pdf,
    required_documents,
)

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
# Letters only Vietnamese uses among the two languages: ă â đ ê ô ơ ư and the tone marks.
VIETNAMESE = re.compile("[àáâãèéêìíòóôõùúýăđĩũơưạ-ỹÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠ-Ỹ]")
# Error fields that are data (names, codes), not words of the message.
WORDS = {"result", "code", "msg", "reason", "errors"}


def client(user: User | None, lang: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        c.force_login(user)
    return c


def files_kept() -> list[Path]:
    root = Path(settings.MOTCUA_MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def state(dossier: Dossier | None = None) -> dict[str, Any]:
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "documents": DossierDocument.objects.count(),
        "numbers": sorted(DossierCounter.objects.values_list("agency_id", "last")),
        "idempotency": IdempotencyRecord.objects.count(),
        "files": files_kept(),
        "version": Dossier.objects.get(id=dossier.id).row_version if dossier else None,
        "stage": Dossier.objects.get(id=dossier.id).stage if dossier else None,
    }


def refused(
    send: Callable[[Client], Any],
    user: User | None,
    status: int,
    code: str,
    *,
    dossier: Dossier | None = None,
) -> dict[str, Any]:
    """Send the request in English and in Vietnamese; both refused alike, nothing changed.
    Returns the English body."""
    before = state(dossier)
    english = send(client(user, "en"))
    vietnamese = send(client(user, "vi"))
    for response in (english, vietnamese):
        assert response.status_code == status, response.content
        assert response.json()["result"] == "error"
        assert response.json()["code"] == code, response.content
    en, vi = english.json()["msg"], vietnamese.json()["msg"]
    words = en
    for key, value in english.json().items():
        for datum in value if isinstance(value, list) else [value]:
            if key not in WORDS and isinstance(datum, str):
                words = words.replace(datum, "")
    words = words.replace("đồng", "")  # the currency's name, in English too
    assert en and not VIETNAMESE.search(words), en
    assert vi != en
    assert VIETNAMESE.search(vi), vi
    if not en.startswith("Invalid parameters"):  # the schema validator's reasons are English
        for en_error, vi_error in zip(
            english.json().get("errors", []), vietnamese.json().get("errors", []), strict=True
        ):  # "Invalid value for {field}: {reason}": both parts translated
            assert vi_error["reason"] != en_error["reason"], vi
    assert state(dossier) == before
    return english.json()


def field_of(body: dict[str, Any]) -> str:
    """The one field an input error refused."""
    [error] = body["errors"]
    return str(error["field"])


def submit(body: dict[str, Any]) -> Callable[[Client], Any]:
    return lambda c: c.post("/api/v1/dossiers", body, content_type="application/json")


def upload(code: str, file_name: str, content: bytes, **form: Any) -> Callable[[Client], Any]:
    return lambda c: c.post(
        f"/api/v1/dossiers/{code}/documents", {"file": pdf(file_name, content), **form}
    )


def action(code: str, body: dict[str, Any] | str | bytes) -> Callable[[Client], Any]:
    return lambda c: c.post(
        f"/api/v1/dossiers/{code}/actions", body, content_type="application/json"
    )


def test_submissions_that_cannot_be_received(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    submitted(with_documents=False)  # the counter has handed out a number already
    citizen = people.citizen

    body = refused(
        submit({"procedure": "9.999999", "receiving_agency": CENTRE}), citizen, 404, "NOT_FOUND"
    )
    assert body["msg"] == "No procedure with the identifier 9.999999."
    body = refused(
        submit({"procedure": PROCEDURE, "receiving_agency": "H08.99"}), citizen, 404, "NOT_FOUND"
    )
    assert body["msg"] == "No agency with the identifier H08.99."

    body = refused(
        submit({"procedure": PROCEDURE, "receiving_agency": JUSTICE}), citizen, 400, "BAD_REQUEST"
    )
    assert field_of(body) == "receiving_agency"
    assert "Public Administration Service Centre" in body["msg"]

    body = refused(
        submit({"procedure": PROCEDURE, "receiving_agency": CENTRE, "channel": "fax"}),
        citizen,
        400,
        "BAD_REQUEST",
    )
    assert field_of(body) == "channel"

    body = refused(
        submit(
            {
                "procedure": PROCEDURE,
                "receiving_agency": CENTRE,
                "applicant_personal_id": "001001001001",
                "applicant_name": "Nguyễn Văn A",
            }
        ),
        citizen,
        400,
        "BAD_REQUEST",
    )
    assert field_of(body) == "applicant_personal_id"

    # An official records dossiers at the counter, never as an online applicant.
    body = refused(
        submit({"procedure": PROCEDURE, "receiving_agency": CENTRE}),
        people.receiver,
        400,
        "BAD_REQUEST",
    )
    assert (field_of(body), body["msg"]) == (
        "channel",
        "Invalid value for channel: officials record dossiers through the counter channel.",
    )
    # Nor may a receiver of one centre record a counter dossier for another.
    body = refused(
        submit(
            {
                "procedure": PROCEDURE,
                "receiving_agency": CENTRE,
                "channel": "counter",
                "applicant_personal_id": "008199001234",
            }
        ),
        people.other_receiver,
        400,
        "BAD_REQUEST",
    )
    assert field_of(body) == "channel"

    body = refused(
        lambda c: c.post("/api/v1/dossiers", '{"procedure": ', content_type="application/json"),
        citizen,
        400,
        "BAD_REQUEST",
    )
    assert body["msg"] == "The request body is not valid JSON."
    assert Dossier.objects.count() == 1


def test_a_procedure_not_offered_here_or_not_boundary_free(people: People) -> None:
    version = Procedure.objects.get(national_code=PROCEDURE).current
    assert version is not None
    version.boundary_free = False
    version.save(update_fields=["boundary_free"])
    body = refused(
        submit({"procedure": PROCEDURE, "receiving_agency": "H08.02287.01"}),
        people.citizen,
        400,
        "BAD_REQUEST",
    )
    assert field_of(body) == "receiving_agency"
    assert "boundary-free" in body["msg"]

    ProcedureOffering.objects.filter(procedure__national_code=PROCEDURE).update(is_active=False)
    body = refused(
        submit({"procedure": PROCEDURE, "receiving_agency": CENTRE}),
        people.citizen,
        400,
        "BAD_REQUEST",
    )
    assert field_of(body) == "procedure"
    assert (
        body["msg"]
        == "Invalid value for procedure: this procedure is not offered in this province."
    )
    assert not Dossier.objects.exists()


def test_uploads_are_typed_by_content_and_limited_in_size(
    people: People, submitted: Callable[..., Dossier], settings: Settings
) -> None:
    dossier = submitted(with_documents=False)
    code, citizen = dossier.code, people.citizen

    for name, content in (
        ("don.pdf", PNG),
        ("don.pdf", b"Don de nghi dang ky\n"),
        ("anh.png", PDF),
    ):
        body = refused(upload(code, name, content), citizen, 400, "UPLOAD_REFUSED", dossier=dossier)
        assert body["file"] == name
    body = refused(
        upload(code, "ghi-chu.txt", b"hello"), citizen, 400, "UPLOAD_REFUSED", dossier=dossier
    )
    assert body["msg"] == (
        "The file ghi-chu.txt was not accepted: only PDF, JPEG and PNG files are accepted."
    )
    body = refused(upload(code, "trong.pdf", b""), citizen, 400, "UPLOAD_REFUSED", dossier=dossier)
    assert body["errors"] == [
        {"field": "file", "reason": "only PDF, JPEG and PNG files are accepted."}
    ]

    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024 - len(PDF) + 1)
    body = refused(upload(code, "to.pdf", big), citizen, 400, "UPLOAD_REFUSED", dossier=dossier)
    assert body["msg"] == "The file to.pdf was not accepted: it is larger than 1 MB."

    foreign = RequiredDocument.objects.exclude(version__procedure__national_code=PROCEDURE)[0]
    body = refused(
        upload(code, "don.pdf", PDF, requirement=foreign.id),
        citizen,
        400,
        "BAD_REQUEST",
        dossier=dossier,
    )
    assert field_of(body) == "requirement"

    # A real PNG, and a PDF of exactly the limit, are taken.
    photo = client(citizen, "en").post(
        f"/api/v1/dossiers/{code}/documents", {"file": pdf("anh.png", PNG)}
    )
    assert photo.status_code == 201, photo.content
    assert (photo.json()["content_type"], photo.json()["size"]) == ("image/png", len(PNG))
    exact = client(citizen, "en").post(
        f"/api/v1/dossiers/{code}/documents", {"file": pdf("to.pdf", big[:-1])}
    )
    assert exact.status_code == 201, exact.content
    assert len(files_kept()) == 2


def test_the_same_file_twice_is_kept_once(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    dossier = submitted(with_documents=False)
    c = client(people.citizen, "en")
    first, second = required_documents()
    ids = []
    for requirement, name in ((first, "don.pdf"), (second, "hop-dong.pdf")):
        response = c.post(
            f"/api/v1/dossiers/{dossier.code}/documents",
            {"file": pdf(name, PDF), "requirement": requirement},
        )
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    rows = DossierDocument.objects.filter(id__in=ids)
    assert rows.count() == 2
    assert len({row.sha256 for row in rows}) == 1
    kept = files_kept()
    assert [p.name for p in kept] == [rows[0].sha256]
    assert kept[0].read_bytes() == PDF


def test_actions_with_bad_input_change_nothing(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    dossier = submitted(with_documents=False)
    code, receiver = dossier.code, people.receiver
    version = Procedure.objects.get(national_code=PROCEDURE).current
    assert version is not None
    names = {d.id: d.name for d in version.documents.all()}
    first, second = required_documents()

    body = refused(
        action(code, {"action": "accept"}), receiver, 400, "DOCUMENTS_MISSING", dossier=dossier
    )
    assert body["missing"] == [names[first], names[second]]
    assert names[first] in body["msg"]
    assert names[second] in body["msg"]
    upload_ok = client(people.citizen, "en").post(
        f"/api/v1/dossiers/{code}/documents", {"file": pdf(), "requirement": first}
    )
    assert upload_ok.status_code == 201
    body = refused(
        action(code, {"action": "accept"}), receiver, 400, "DOCUMENTS_MISSING", dossier=dossier
    )
    assert body["missing"] == [names[second]]

    body = refused(
        action(code, {"action": "return_result"}),
        receiver,
        409,
        "ACTION_NOT_ALLOWED",
        dossier=dossier,
    )
    assert (body["action"], body["stage"]) == ("return_result", "submitted")
    body = refused(action(code, {"action": "fly"}), receiver, 400, "BAD_REQUEST", dossier=dossier)
    assert (field_of(body), body["msg"]) == (
        "action",
        "Invalid value for action: unknown action fly.",
    )

    body = refused(
        action(code, {"action": "refuse"}), receiver, 400, "BAD_REQUEST", dossier=dossier
    )
    assert field_of(body) == "reason"
    body = refused(
        action(code, {"action": "refuse", "reason": ""}),
        receiver,
        400,
        "BAD_REQUEST",
        dossier=dossier,
    )
    assert field_of(body) == "reason"
    for items in (None, [], ["  "]):
        payload = {"action": "request_supplement", **({} if items is None else {"items": items})}
        body = refused(action(code, payload), receiver, 400, "BAD_REQUEST", dossier=dossier)
        assert field_of(body) == "items"
    body = refused(
        action(code, {"action": "request_supplement", "items": "giấy tờ"}),
        receiver,
        400,
        "BAD_REQUEST",
        dossier=dossier,
    )
    assert [e["field"] for e in body["errors"]] == ["items"]
    body = refused(
        action(code, '{"action": "accept",'), receiver, 400, "BAD_REQUEST", dossier=dossier
    )
    assert body["msg"] == "The request body is not valid JSON."
    body = refused(action(code, b"\xff\xfe{}"), receiver, 400, "BAD_REQUEST", dossier=dossier)
    assert body["msg"] == "The request body is not valid JSON."

    # The receiver read the dossier, then the citizen added the last document: the receiver's
    # decision is based on what they saw, so it is refused as stale.
    seen = client(receiver, "en").get(f"/api/v1/dossiers/{code}").json()["version"]
    upload_ok = client(people.citizen, "en").post(
        f"/api/v1/dossiers/{code}/documents", {"file": pdf(), "requirement": second}
    )
    assert upload_ok.status_code == 201
    body = refused(
        action(code, {"action": "refuse", "reason": "Thiếu giấy tờ.", "version": seen}),
        receiver,
        409,
        "CONFLICT",
        dossier=dossier,
    )
    assert (body["expected"], body["actual"]) == (seen, seen + 1)
    accepted = client(receiver, "en").post(
        f"/api/v1/dossiers/{code}/actions",
        {"action": "accept", "version": seen + 1},
        content_type="application/json",
    )
    assert (accepted.status_code, accepted.json()["stage"]) == (200, "appraising")

    # Officials: a wrong assignee or agency is refused without moving the dossier.
    dossier = Dossier.objects.get(id=dossier.id)
    for payload, field in (
        ({"action": "assign", "assignee": "chuyen.vien.xd"}, "assignee"),
        ({"action": "assign"}, "assignee"),
        ({"action": "request_payment", "amount_vnd": 0}, "amount_vnd"),
        ({"action": "reschedule", "reason": "Trễ.", "new_due": "ngày mai"}, "new_due"),
        ({"action": "reschedule", "reason": "Trễ.", "new_due": "2020-01-01T09:00:00"}, "new_due"),
        ({"action": "transfer", "agency": JUSTICE}, "agency"),
    ):
        user = people.leader if payload["action"] in ("assign", "reschedule") else people.specialist
        body = refused(action(code, payload), user, 400, "BAD_REQUEST", dossier=dossier)
        assert field_of(body) == field, payload
    refused(
        action(code, {"action": "transfer", "agency": "H08.99"}),
        people.specialist,
        404,
        "NOT_FOUND",
        dossier=dossier,
    )
    assert act(dossier, "appraise", people.specialist).stage == "awaiting_approval"
