"""How many SQL statements each request of a dossier's life costs, through the API with a token.

Every statement is a round trip plus Django's work around it, and the engine's throughput is
bounded by them (BENCHMARKS.md). The counts are those of a warm process — the published
procedure version, the agencies and the calendars already kept in memory, as in a server after
its first requests — so the first lifecycle warms up and the second is counted. Inside the test's
transaction each action's own transaction is a savepoint (2 statements that production does not
send); they are left out. A change that adds a statement to one of these paths fails here: say
in the budget below why it is worth it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.delegations import DelegationRequest, do_delegate_authority
from motcua.accounts.tokens import do_issue_token
from motcua.dossiers.tests.conftest import (
    CENTRE,
    JUSTICE,
    PASSWORD,
    PROCEDURE,
    People,
    pdf,
    required_documents,
)
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db

# Statements per request: the token, with the user and the official's row, comes first (1); an
# official's roles are kept by the process and checked against the official's row.
BUDGET = {
    # idempotency key, agency, procedure's current version, offerings, applicant, daily
    # number, dossier, first event, outbox row, idempotency record
    "submit": 11,
    # dossier (access), locked dossier, document, event, dossier's version and chain head
    "upload": 6,
    # locked dossier, documents (no step before acceptance), calendar revision, 2 steps
    # (receive, appraise) in one insert, event, dossier, outbox (status 1 → 4)
    "accept": 8,
    # locked dossier, steps, documents, calendar revision, step ended, step started, event,
    # dossier
    "appraise": 9,
    "approve": 9,
    # dossier, steps, documents, calendar revision (the clock)
    "status": 5,
    # the address's look-up count (one upsert: web.ratelimit), dossier, steps
    "track": 3,
    # the step stays "sign": no step written; the calendar only for the answer's clock
    "sign": 7,
    # + the result and the outbox row (status 4 → 9)
    "issue_result": 11,
    # + results; no new step; outbox (9 → 10)
    "return_result": 10,
}


def token_client(user: Any) -> Client:
    key, _expires = do_issue_token(login=user.username, password=PASSWORD)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def lifecycle(people: People, count: Callable[[str, Callable[[], Any]], Any]) -> None:
    citizen, receiver = token_client(people.citizen), token_client(people.receiver)
    specialist, leader, clerk = (
        token_client(people.specialist),
        token_client(people.leader),
        token_client(people.clerk),
    )
    code = count(
        "submit",
        lambda: citizen.post(
            "/api/v1/dossiers",
            {"procedure": PROCEDURE, "receiving_agency": CENTRE},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        ),
    )["code"]
    for requirement in required_documents():
        count(
            "upload",
            lambda r=requirement: citizen.post(
                f"/api/v1/dossiers/{code}/documents", {"file": pdf(), "requirement": r}
            ),
        )
    for client, action in (
        (receiver, "accept"),
        (specialist, "appraise"),
        (leader, "approve"),
        (clerk, "sign"),
        (clerk, "issue_result"),
        (receiver, "return_result"),
    ):
        if action == "sign":
            count("status", lambda: citizen.get(f"/api/v1/dossiers/{code}"))
            count("track", lambda: Client().get(f"/api/v1/track/{code}?id_last4=1234"))
        count(
            action,
            lambda c=client, a=action: c.post(
                f"/api/v1/dossiers/{code}/actions", {"action": a}, content_type="application/json"
            ),
        )


def test_each_request_of_a_lifecycle_stays_within_its_statement_budget(people: People) -> None:
    lifecycle(people, lambda name, call: call().json())  # warms the process's kept rules
    counted: dict[str, int] = {}

    def count(name: str, call: Callable[[], Any]) -> Any:
        with CaptureQueriesContext(connection) as statements:
            response = call()
        assert response.status_code < 300, response.content
        sent = [q["sql"] for q in statements.captured_queries if "SAVEPOINT" not in q["sql"]]
        counted[name] = max(counted.get(name, 0), len(sent))
        return response.json()

    lifecycle(people, count)
    assert counted == BUDGET
    # Two uploads, as the benchmark's lifecycle.
    assert sum(counted.values()) + counted["upload"] <= 100


def test_a_delegates_approval_costs_one_statement_more(people: People) -> None:
    """The leader's own approval costs nothing more for delegation (their role opens it, no
    delegation is read); a delegate's reads and locks the delegation it relies on (+1), so that
    a revocation committed meanwhile counts. The delegate's delegations themselves are kept by
    the process like their roles."""
    leader = people.leader.official
    do_delegate_authority(
        DelegationRequest(
            delegator_id=leader.id,
            delegate_id=people.specialist.official.id,
            agency_id=Agency.objects.get(code=JUSTICE).id,
            procedure_codes=[PROCEDURE],
            actions=["approve"],
            valid_from=timezone.now() - dt.timedelta(hours=1),
            valid_until=timezone.now() + dt.timedelta(days=1),
            reason="Đi công tác",
        ),
        acting_user=people.leader,
    )
    citizen, receiver = token_client(people.citizen), token_client(people.receiver)
    specialist = token_client(people.specialist)
    counted = []
    for _warm_then_count in range(2):
        code = citizen.post(
            "/api/v1/dossiers",
            {"procedure": PROCEDURE, "receiving_agency": CENTRE},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        ).json()["code"]
        for requirement in required_documents():
            citizen.post(
                f"/api/v1/dossiers/{code}/documents", {"file": pdf(), "requirement": requirement}
            )
        for client, action in ((receiver, "accept"), (specialist, "appraise")):
            client.post(
                f"/api/v1/dossiers/{code}/actions",
                {"action": action},
                content_type="application/json",
            )
        with CaptureQueriesContext(connection) as statements:
            response = specialist.post(
                f"/api/v1/dossiers/{code}/actions",
                {"action": "approve"},
                content_type="application/json",
            )
        assert response.status_code == 200, response.content
        counted.append(len([q for q in statements.captured_queries if "SAVEPOINT" not in q["sql"]]))
    assert counted[-1] == BUDGET["approve"] + 1
