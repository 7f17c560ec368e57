"""Every operation of /api/v1 answers as its OpenAPI schema says, success and error alike.

The operations are read from the served schema, so an endpoint added without a case here fails
`test_every_operation_has_a_case`. Each case makes one successful call and one refused call;
both bodies are validated against the schema's documented response for the status they got.
Every instant must be in Vietnamese legal time (+07:00) and every error must have the one
shape: result, code, msg, and for input errors `errors: [{field, reason}]`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from motcua.catalog.models import Procedure
from motcua.dossiers.apologies import do_draft_apologies
from motcua.dossiers.models import Apology, Dossier
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PASSWORD,
    PROCEDURE,
    People,
    act,
    api_client,
    pdf,
    required_documents,
)

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # the dossier is accepted: due Mon 9 March
FRIDAY = dt.datetime(2026, 3, 6, 14, 0, tzinfo=TZ)  # an apology is drafted; the calls are made
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass
class World:
    people: People
    accepted: Dossier  # accepted Monday 2 March, with an apology drafted on Friday
    fresh: Dossier  # submitted online with its documents, waiting for the counter
    apology: Apology

    def as_(self, who: str | None) -> Client:
        if who is None:
            return Client(HTTP_ACCEPT_LANGUAGE="en")
        return api_client(getattr(self.people, who))


@pytest.fixture
def world(people: People, submitted: Callable[..., Dossier]) -> Iterator[World]:
    cache.clear()  # the tracking rate limit counts per address
    with time_machine.travel(MONDAY, tick=False):
        accepted = act(submitted(), "accept", people.receiver)
    with time_machine.travel(FRIDAY - dt.timedelta(hours=4), tick=False):
        do_draft_apologies()
        fresh = submitted()
    with time_machine.travel(FRIDAY, tick=False):
        yield World(people, accepted, fresh, Apology.objects.get(dossier=accepted))
    cache.clear()


Call = Callable[[World], Any]


@dataclass(frozen=True)
class Case:
    success: Call
    error: Call
    times: bool = False  # the successful answer carries at least one instant


def _json(body: dict[str, Any]) -> dict[str, Any]:
    return {"data": body, "content_type": "application/json"}


CASES: dict[str, Case] = {
    "GET /api/v1/units": Case(
        lambda w: w.as_(None).get("/api/v1/units", {"parent": "08"}),
        lambda w: w.as_(None).get("/api/v1/units", {"page": 0}),
    ),
    "GET /api/v1/units/{code}": Case(
        lambda w: w.as_(None).get("/api/v1/units/08"),
        lambda w: w.as_(None).get("/api/v1/units/abc"),  # refused by the view: errors[] too
    ),
    "GET /api/v1/worktime/due": Case(
        lambda w: w.as_(None).get(
            "/api/v1/worktime/due", {"start": "2026-03-02T02:00:00Z", "working_days": 5}
        ),
        lambda w: w.as_(None).get("/api/v1/worktime/due", {"start": "2026-03-02T09:00"}),
        times=True,
    ),
    "GET /api/v1/procedures": Case(
        lambda w: w.as_(None).get("/api/v1/procedures", {"q": "luat su"}),
        lambda w: w.as_(None).get("/api/v1/procedures", {"level": "moon"}),
    ),
    "GET /api/v1/procedures/{code}": Case(
        lambda w: w.as_(None).get(f"/api/v1/procedures/{PROCEDURE}"),
        lambda w: w.as_(None).get("/api/v1/procedures/9.999999"),
    ),
    "POST /api/v1/auth/token": Case(
        lambda w: w.as_(None).post(
            "/api/v1/auth/token", **_json({"login": "nguyen.thi.hoa", "password": PASSWORD})
        ),
        lambda w: w.as_(None).post(
            "/api/v1/auth/token", **_json({"login": "nguyen.thi.hoa", "password": "sai"})
        ),
        times=True,
    ),
    "DELETE /api/v1/auth/token": Case(
        lambda w: w.as_("citizen").delete("/api/v1/auth/token?all=true"),
        # A session has no token of its own to end: it must ask for all of them.
        lambda w: w.as_("citizen").delete("/api/v1/auth/token"),
    ),
    "POST /api/v1/dossiers": Case(
        lambda w: w.as_("citizen").post(
            "/api/v1/dossiers", **_json({"procedure": PROCEDURE, "receiving_agency": CENTRE})
        ),
        lambda w: w.as_("citizen").post(
            "/api/v1/dossiers",
            **_json({"procedure": PROCEDURE, "receiving_agency": CENTRE, "channel": "fax"}),
        ),
        times=True,
    ),
    "GET /api/v1/dossiers": Case(
        lambda w: w.as_("receiver").get("/api/v1/dossiers"),
        lambda w: w.as_(None).get("/api/v1/dossiers"),
        times=True,
    ),
    "GET /api/v1/dossiers/{code}": Case(
        lambda w: w.as_("citizen").get(f"/api/v1/dossiers/{w.accepted.code}"),
        lambda w: w.as_("other_citizen").get(f"/api/v1/dossiers/{w.accepted.code}"),
        times=True,
    ),
    "POST /api/v1/dossiers/{code}/documents": Case(
        lambda w: w.as_("citizen").post(
            f"/api/v1/dossiers/{w.fresh.code}/documents", {"file": pdf()}, MULTIPART_CONTENT
        ),
        lambda w: w.as_("citizen").post(
            f"/api/v1/dossiers/{w.fresh.code}/documents", {"file": pdf("ghi-chu.txt", b"hello")}
        ),
    ),
    "POST /api/v1/dossiers/{code}/actions": Case(
        lambda w: w.as_("receiver").post(
            f"/api/v1/dossiers/{w.fresh.code}/actions", **_json({"action": "accept"})
        ),
        lambda w: w.as_("receiver").post(
            f"/api/v1/dossiers/{w.fresh.code}/actions", **_json({"action": "return_result"})
        ),
        times=True,
    ),
    "GET /api/v1/track/{code}": Case(
        lambda w: w.as_(None).get(f"/api/v1/track/{w.accepted.code}", {"id_last4": "1234"}),
        lambda w: w.as_(None).get(f"/api/v1/track/{w.accepted.code}", {"id_last4": "0000"}),
        times=True,
    ),
    "GET /api/v1/apologies": Case(
        lambda w: w.as_("leader").get("/api/v1/apologies"),
        lambda w: w.as_("citizen").get("/api/v1/apologies"),
        times=True,
    ),
    "POST /api/v1/apologies/{apology_id}/approve": Case(
        lambda w: w.as_("leader").post(f"/api/v1/apologies/{w.apology.id}/approve", **_json({})),
        lambda w: w.as_("specialist").post(
            f"/api/v1/apologies/{w.apology.id}/approve", **_json({})
        ),
        times=True,
    ),
    "GET /api/v1/reports/late-dossiers": Case(
        lambda w: w.as_("leader").get("/api/v1/reports/late-dossiers"),
        lambda w: w.as_("citizen").get("/api/v1/reports/late-dossiers"),
    ),
    "GET /api/v1/dossiers/{code}/slips/{kind}.pdf": Case(
        lambda w: w.as_("citizen").get(f"/api/v1/dossiers/{w.accepted.code}/slips/receipt.pdf"),
        lambda w: w.as_("citizen").get(f"/api/v1/dossiers/{w.accepted.code}/slips/menu.pdf"),
    ),
    "GET /api/v1/agencies/{code}/register.xlsx": Case(
        lambda w: w.as_("receiver").get(
            f"/api/v1/agencies/{CENTRE}/register.xlsx", {"start": "2026-03-01", "end": "2026-03-31"}
        ),
        lambda w: w.as_("receiver").get(
            f"/api/v1/agencies/{CENTRE}/register.xlsx", {"start": "2026-03-31", "end": "2026-03-01"}
        ),
    ),
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def instants(value: Any) -> Iterator[str]:
    """Every string in a JSON value that reads as a date-time."""
    if isinstance(value, dict):
        for item in value.values():
            yield from instants(item)
    elif isinstance(value, list):
        for item in value:
            yield from instants(item)
    elif isinstance(value, str) and INSTANT.match(value):
        yield value


def check_documented(response: Any, operation: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The status is documented, the body matches its schema; returns the decoded JSON body."""
    status = str(response.status_code)
    assert status in operation["responses"], (status, response.content[:300])
    content = operation["responses"][status]["content"]
    content_type = response["Content-Type"].split(";")[0]
    assert content_type in content, (content_type, list(content))
    if content_type != "application/json":
        assert response.content
        return None
    body = response.json()
    validator = Draft202012Validator(
        {**content[content_type]["schema"], "components": schema["components"]}
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == [], errors
    return body


def test_every_operation_has_a_case(schema: dict[str, Any]) -> None:
    # A new endpoint must come with its success and error calls here.
    assert sorted(operations(schema)) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_operation_answers_as_documented(name: str, world: World, schema: dict[str, Any]) -> None:
    operation, case = operations(schema)[name], CASES[name]

    success = case.success(world)
    assert success.status_code < 300, success.content[:500]
    body = check_documented(success, operation, schema)
    times = list(instants(body))
    assert all(t.endswith("+07:00") for t in times), times
    assert bool(times) or not case.times, "expected instants in the answer"

    error = case.error(world)
    assert 400 <= error.status_code < 500, error.content[:500]
    body = check_documented(error, operation, schema)
    assert body["result"] == "error"
    assert {"field", "reason"}.isdisjoint(body), body  # input errors go in errors[] only
    if body["code"] == "BAD_REQUEST":
        assert body["errors"], body
    for item in body.get("errors", []):
        assert sorted(item) == ["field", "reason"]
        assert item["field"] and item["reason"]


def test_input_errors_have_one_shape_whatever_refused_them(world: World) -> None:
    client = world.as_("citizen")
    # Refused by the schema validator, by a view, and by the dossier engine.
    by_schema = client.get("/api/v1/units", {"page": 0}).json()
    by_view = client.get("/api/v1/units/abc").json()
    by_engine = client.post(
        "/api/v1/dossiers",
        **_json({"procedure": PROCEDURE, "receiving_agency": CENTRE, "channel": "fax"}),
    ).json()
    for body, field in ((by_schema, "page"), (by_view, "code"), (by_engine, "channel")):
        assert set(body) == {"result", "code", "msg", "errors"}, body
        assert body["code"] == "BAD_REQUEST"
        assert [e["field"] for e in body["errors"]] == [field]


def test_an_instant_given_in_any_offset_is_answered_in_legal_time(world: World) -> None:
    answers = [
        world.as_(None)
        .get("/api/v1/worktime/due", {"start": start, "working_hours": 1})
        .json()["start"]
        for start in ("2026-03-02T02:00:00Z", "2026-03-02T11:00:00+09:00", "2026-03-02T09:00")
    ]
    assert answers == ["2026-03-02T09:00:00+07:00"] * 3
    dossier = world.as_("citizen").get(f"/api/v1/dossiers/{world.accepted.code}").json()
    assert (dossier["accepted_at"], dossier["due_at"]) == (
        "2026-03-02T09:00:00+07:00",
        "2026-03-09T09:00:00+07:00",
    )


def test_django_level_failures_answer_json(world: World) -> None:
    unknown = world.as_(None).get("/api/v1/no-such-thing")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "NOT_FOUND")
    wrong_method = world.as_(None).delete("/api/v1/units")
    assert wrong_method.status_code == 405
    assert wrong_method["Allow"] == "GET"
    assert wrong_method.json() == {
        "result": "error",
        "code": "METHOD_NOT_ALLOWED",
        "msg": "This address does not answer DELETE requests; it answers GET.",
    }


def test_a_session_without_its_csrf_token_is_a_json_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.people.citizen)
    response = client.post(
        "/api/v1/dossiers", **_json({"procedure": PROCEDURE, "receiving_agency": CENTRE})
    )
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert "CSRF" in response.json()["msg"]


def test_the_procedure_detail_gives_the_requirement_ids_to_upload_against(world: World) -> None:
    detail = world.as_(None).get(f"/api/v1/procedures/{PROCEDURE}").json()
    version = Procedure.objects.get(national_code=PROCEDURE).current
    assert version is not None
    assert [d["id"] for d in detail["documents"]] == [d.id for d in version.documents.all()]
    # The rule written out by hand in the dossier fixtures: two documents to hand in.
    to_hand_in = [d["id"] for d in detail["documents"] if d["to_hand_in"]]
    assert to_hand_in == required_documents() and len(to_hand_in) == 2

    # A client uploads against those ids and the counter then finds nothing missing.
    dossier = (
        world.as_("citizen")
        .post("/api/v1/dossiers", **_json({"procedure": PROCEDURE, "receiving_agency": CENTRE}))
        .json()
    )
    assert len(dossier["missing_documents"]) == 2
    for requirement in to_hand_in:
        uploaded = world.as_("citizen").post(
            f"/api/v1/dossiers/{dossier['code']}/documents",
            {"file": pdf(), "requirement": requirement},
        )
        assert uploaded.status_code == 201, uploaded.content
    again = world.as_("citizen").get(f"/api/v1/dossiers/{dossier['code']}").json()
    assert again["missing_documents"] == []


def _models(base: type) -> Iterator[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from _models(sub)


def test_no_two_documented_schemas_share_a_name(schema: dict[str, Any]) -> None:
    # Ninja names a component after its class and keeps the last one of a name, so two classes
    # of one name would document one of their operations wrongly.
    classes: dict[str, set[str]] = defaultdict(set)
    for model in _models(BaseModel):
        if model.__module__.startswith("motcua."):
            classes[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    shared = {
        name: where
        for name, where in classes.items()
        if name in schema["components"]["schemas"] and len(where) > 1
    }
    assert shared == {}
    # And the procedure detail documents the catalogue's documents and steps, not a dossier's.
    components = schema["components"]["schemas"]
    detail = components["ProcedureDetail"]["properties"]
    assert detail["documents"]["items"] == {"$ref": "#/components/schemas/ProcedureDocumentOut"}
    assert detail["process"]["items"] == {"$ref": "#/components/schemas/ProcessStepOut"}
