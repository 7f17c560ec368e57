"""Heavy or malformed requests are refused before they tie up a worker, in the API's error shape.

- a body larger than the operation accepts: 413 from its Content-Length, before it is read;
- a multipart body Django cannot parse: 400, JSON (it was Django's HTML 400 page);
- a supplement request's items and a payment's amount are bounded, and the schema says so;
- a POST without any login: 401 (it was 403 "CSRF check failed"); a session's POST without its
  CSRF token stays a 403.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.common.errors import InvalidInputError
from motcua.dossiers.actions.handlers import (
    MAX_AMOUNT_VND,
    MAX_SUPPLEMENT_ITEM_LENGTH,
    MAX_SUPPLEMENT_ITEMS,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CENTRE, PROCEDURE, People, act, api_client, pdf
from motcua.dossiers.tests.test_bad_input import refused
from motcua.web.guards import MULTIPART_OVERHEAD

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        raise AssertionError("the body was read")

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        raise AssertionError("the body was read")


def claimed(url: str, size: int, content_type: str) -> Callable[[Client], Any]:
    """A POST announcing `size` bytes that are never read."""
    return lambda c: c.generic(
        "POST",
        url,
        b"",
        content_type=content_type,
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": Unreadable()},
    )


def test_oversized_bodies_are_a_413_before_a_byte_is_read(
    settings: Settings, people: People, submitted: Callable[..., Dossier]
) -> None:
    code = submitted(with_documents=False).code
    # 30 MB of JSON: the answer comes from the Content-Length alone.
    body = refused(
        claimed("/api/v1/dossiers", 30 * 1024 * 1024, "application/json"),
        people.citizen,
        413,
        "REQUEST_TOO_LARGE",
    )
    assert body["msg"] == "The request is too large: this address accepts at most 2.5 MB."
    # An upload larger than the limit, refused before Django streams it to disk.
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES
    body = refused(
        claimed(
            f"/api/v1/dossiers/{code}/documents",
            limit + MULTIPART_OVERHEAD + 1,
            "multipart/form-data; boundary=x",
        ),
        people.citizen,
        413,
        "REQUEST_TOO_LARGE",
    )
    assert body["msg"] == "The request is too large: this address accepts at most 10 MB."
    # Other views are not upload views: a 3 MB "upload" to the login is refused too.
    body = refused(
        claimed("/api/v1/auth/token", 3 * 1024 * 1024, "multipart/form-data; boundary=x"),
        None,
        413,
        "REQUEST_TOO_LARGE",
    )
    # HTML forms get a page.
    page = claimed("/dang-nhap/", 30 * 1024 * 1024, "application/x-www-form-urlencoded")(Client())
    assert page.status_code == 413
    assert "Yêu cầu quá lớn" in page.content.decode()
    # A body within the limit but over Django's in-memory limit once read (no Content-Length
    # lie here): still a JSON 413, not Django's HTML 400.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = '{"procedure": "' + "x" * 2000 + '"}'
    body = refused(
        lambda c: c.post("/api/v1/dossiers", big, content_type="application/json"),
        people.citizen,
        413,
        "REQUEST_TOO_LARGE",
    )


def test_a_malformed_multipart_body_is_a_json_400(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    code = submitted(with_documents=False).code
    body = refused(
        lambda c: c.generic(
            "POST",
            f"/api/v1/dossiers/{code}/documents",
            b"--x\r\nbroken",
            content_type="multipart/form-data",
        ),
        people.citizen,
        400,
        "BAD_REQUEST",
    )
    assert body["msg"].startswith("The request could not be read")


def test_supplement_items_are_bounded(accepted: Dossier, people: People) -> None:
    url = f"/api/v1/dossiers/{accepted.code}/actions"

    def request(items: list[str]) -> Callable[[Client], Any]:
        return lambda c: c.post(
            url, {"action": "request_supplement", "items": items}, content_type="application/json"
        )

    body = refused(
        request(["Tờ khai"] * (MAX_SUPPLEMENT_ITEMS + 1)),
        people.specialist,
        400,
        "BAD_REQUEST",
        dossier=accepted,
    )
    assert [e["field"] for e in body["errors"]] == ["items"]
    body = refused(
        request(["Tờ khai", "x" * (MAX_SUPPLEMENT_ITEM_LENGTH + 1)]),
        people.specialist,
        400,
        "BAD_REQUEST",
        dossier=accepted,
    )
    assert [e["field"] for e in body["errors"]] == ["items.1"]
    # The engine holds the same bounds for callers other than the API.
    with pytest.raises(InvalidInputError) as refusal:
        act(accepted, "request_supplement", people.specialist, items=["Tờ khai"] * 51)
    assert refusal.value.field == "items"
    # The most the bounds allow is accepted.
    most = ["x" * MAX_SUPPLEMENT_ITEM_LENGTH] * MAX_SUPPLEMENT_ITEMS
    assert (
        act(accepted, "request_supplement", people.specialist, items=most).stage
        == "supplement_requested"
    )


def test_the_schema_states_the_bounds_and_the_413() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    action = schema["components"]["schemas"]["ActionIn"]["properties"]
    items = next(s for s in action["items"]["anyOf"] if s.get("type") == "array")
    assert items["maxItems"] == MAX_SUPPLEMENT_ITEMS
    assert items["items"]["maxLength"] == MAX_SUPPLEMENT_ITEM_LENGTH
    amount = next(s for s in action["amount_vnd"]["anyOf"] if s.get("type") == "integer")
    assert amount["maximum"] == MAX_AMOUNT_VND
    upload = schema["paths"]["/api/v1/dossiers/{code}/documents"]["post"]["responses"]
    assert upload["413"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


def test_a_post_without_a_login_is_a_401_and_a_session_still_needs_its_csrf_token(
    people: People,
) -> None:
    submission = {"procedure": PROCEDURE, "receiving_agency": CENTRE}
    anonymous = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    for url in ("/api/v1/dossiers", "/api/v1/dossiers/H08.01-260302-0001/actions"):
        response = anonymous.post(url, submission, content_type="application/json")
        assert response.status_code == 401, url
        assert response.json()["code"] == "UNAUTHENTICATED"
    upload = anonymous.post("/api/v1/dossiers/H08.01-260302-0001/documents", {"file": pdf()})
    assert (upload.status_code, upload.json()["code"]) == (401, "UNAUTHENTICATED")

    session = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    session.force_login(people.citizen)
    forged = session.post("/api/v1/dossiers", submission, content_type="application/json")
    assert (forged.status_code, forged.json()["code"]) == (403, "FORBIDDEN")
    assert not Dossier.objects.exists()
    # With the token the same session may post.
    session.get("/")  # a page with a form sets the CSRF cookie
    token = session.cookies["csrftoken"].value
    sent = session.post(
        "/api/v1/dossiers", submission, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert sent.status_code == 201, sent.content
    # A bearer token never needs one.
    assert api_client(people.citizen).get("/api/v1/dossiers").status_code == 200
