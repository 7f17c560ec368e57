"""Who may do what, on which dossier, at which stage: the whole matrix, through the HTTP API.

Each stage is reached the way production reaches it (actions, from a real submission). At that
stage every person of the fixtures tries every action. The expected answers are written out here,
not read from `workflow.TRANSITIONS`, so that a wrong table in the engine makes these tests fail:

- someone who may not see the dossier gets 404 NOT_FOUND, the same answer as an unknown code;
- someone who sees it but holds none of the roles the action needs gets 403 FORBIDDEN;
- the right role at the wrong stage gets 409 ACTION_NOT_ALLOWED;
- the allowed actions succeed and lead where they should, and are exactly what `next_actions`
  offers that person.

Refusals change nothing, so they are all tried on one dossier, then checked against a snapshot.
Each allowed action is tried inside a savepoint that is rolled back, so each starts from the
same dossier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from motcua.dossiers.models import Dossier, DossierEvent, OutboxMessage
from motcua.dossiers.tests.conftest import (
    CENTRE,
    JUSTICE,
    PROCEDURE,
    People,
    act,
    api_client,
    pdf,
    required_documents,
)
from motcua.dossiers.workflow import Action

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))
COMMUNE_CENTRE = "H08.02287.01"
CONSTRUCTION = "H08.11"
USERS = (
    "citizen",
    "other_citizen",
    "receiver",
    "other_receiver",
    "specialist",
    "other_specialist",
    "leader",
    "clerk",
)

APPLICANT, RECEIVER, SPECIALIST, LEADER, CLERK = (
    "applicant",
    "receiver",
    "specialist",
    "leader",
    "clerk",
)
# The role each person holds when they act on a dossier at all (the fixtures grant one each).
ROLE_OF = {
    "citizen": APPLICANT,
    "other_citizen": APPLICANT,
    "receiver": RECEIVER,
    "other_receiver": RECEIVER,
    "specialist": SPECIALIST,
    "other_specialist": SPECIALIST,
    "leader": LEADER,
    "clerk": CLERK,
}
# Which actions are open at each stage, and to whom (DOMAIN §1.4 and the workflow doc). The
# counter acts before acceptance, the agency's officials after it; `True`/`False` is whether the
# dossier was accepted (a withdrawal before acceptance is closed by the counter).
PROCESSING = {
    "request_withdrawal": {APPLICANT},
    "assign": {LEADER},
    "stop": {LEADER},
    "reschedule": {LEADER},
}
OPEN: dict[tuple[str, bool], dict[str, set[str]]] = {
    ("submitted", False): {
        "accept": {RECEIVER},
        "refuse": {RECEIVER},
        "request_supplement": {RECEIVER},
        "request_withdrawal": {APPLICANT},
    },
    ("appraising", True): {
        **PROCESSING,
        "request_supplement": {SPECIALIST},
        "transfer": {SPECIALIST},
        "appraise": {SPECIALIST},
        "request_payment": {SPECIALIST},
    },
    ("awaiting_approval", True): {
        **PROCESSING,
        "return_to_previous": {LEADER},
        "approve": {LEADER},
    },
    ("awaiting_signature", True): {
        **PROCESSING,
        "return_to_previous": {LEADER, CLERK},
        "sign": {CLERK, LEADER},
    },
    ("signed", True): {**PROCESSING, "issue_result": {CLERK}},
    ("inter_agency", True): {**PROCESSING, "return_from_transfer": {SPECIALIST}},
    ("supplement_requested", False): {
        "supplement": {APPLICANT, RECEIVER},
        "request_withdrawal": {APPLICANT},
    },
    ("supplement_requested", True): {
        "supplement": {APPLICANT, RECEIVER},
        "request_withdrawal": {APPLICANT},
    },
    ("supplement_received", False): {
        "accept_supplement": {RECEIVER, SPECIALIST},
        "request_withdrawal": {APPLICANT},
    },
    ("supplement_received", True): {
        "accept_supplement": {RECEIVER, SPECIALIST},
        "request_withdrawal": {APPLICANT},
    },
    ("awaiting_payment", True): {
        "confirm_payment": {RECEIVER, SPECIALIST},
        "request_withdrawal": {APPLICANT},
    },
    ("withdrawal_requested", True): {"stop": {LEADER}},
    ("withdrawal_requested", False): {"stop": {RECEIVER}},
    ("result_ready", True): {"return_result": {RECEIVER}},
    ("returned", True): {},
    ("refused", False): {},
    ("stopped", True): {},
}
# Who may take each action at some stage.
ROLES: dict[str, set[str]] = {a.value: set() for a in Action}
for _open in OPEN.values():
    for _action, _roles in _open.items():
        ROLES[_action] |= _roles
# Where each allowed action leads; absent: the dossier stays where it is.
AFTER = {
    "accept": "appraising",
    "refuse": "refused",
    "request_supplement": "supplement_requested",
    "supplement": "supplement_received",
    "transfer": "inter_agency",
    "return_from_transfer": "appraising",
    "appraise": "awaiting_approval",
    "approve": "awaiting_signature",
    "sign": "signed",
    "issue_result": "result_ready",
    "return_result": "returned",
    "request_withdrawal": "withdrawal_requested",
    "stop": "stopped",
    "request_payment": "awaiting_payment",
    "confirm_payment": "appraising",
}
ERROR_CODE = {404: "NOT_FOUND", 403: "FORBIDDEN", 409: "ACTION_NOT_ALLOWED"}
RETURNS_TO = {"awaiting_approval": "appraising", "awaiting_signature": "awaiting_approval"}
# Valid parameters for every action, so that a refusal is about the role or the stage.
PARAMS: dict[str, dict[str, Any]] = {
    "refuse": {"reason": "Hồ sơ không thuộc thẩm quyền."},
    "request_supplement": {"items": ["Bản sao hợp đồng lao động có chứng thực"]},
    "supplement": {"note": "Đã nộp bổ sung."},
    "assign": {"assignee": "chuyen.vien"},
    "transfer": {"agency": CONSTRUCTION},
    "return_to_previous": {"reason": "Cần thẩm định lại."},
    "issue_result": {"document_number": "15/2026/GCN"},
    "request_withdrawal": {"reason": "Tôi không cần nữa."},
    "stop": {"reason": "Công dân rút hồ sơ."},
    "request_payment": {"amount_vnd": 500_000},
    "reschedule": {"reason": "Xin lỗi vì chậm trễ.", "new_due": "2026-04-01T09:00:00+07:00"},
}

Step = tuple[str, str, dict[str, Any]]
ACCEPT: Step = ("accept", "receiver", {})
APPRAISE: Step = ("appraise", "specialist", {})
APPROVE: Step = ("approve", "leader", {})
SIGN: Step = ("sign", "clerk", {})
ISSUE: Step = ("issue_result", "clerk", PARAMS["issue_result"])
TRANSFER: Step = ("transfer", "specialist", PARAMS["transfer"])
SUPPLEMENT_BY_SPECIALIST: Step = ("request_supplement", "specialist", PARAMS["request_supplement"])
SUPPLEMENT_AT_COUNTER: Step = ("request_supplement", "receiver", PARAMS["request_supplement"])
SUPPLEMENTED: Step = ("supplement", "citizen", {})
WITHDRAW: Step = ("request_withdrawal", "citizen", {})


@dataclass(frozen=True)
class Case:
    walk: tuple[Step, ...]
    stage: str
    # Those who act on the dossier in their role at this stage, with what they may do now.
    allowed: dict[str, set[str]]
    # Those who see the dossier but hold no role on it at this stage: 403 for every action.
    onlookers: set[str] = field(default_factory=set)
    resumes_to: str = ""  # where accepting a supplement goes back to
    params: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return any(step[0] == "accept" for step in self.walk)

    @property
    def hidden(self) -> set[str]:
        return set(USERS) - set(self.allowed) - self.onlookers

    def refusal(self, user: str, action: str) -> int:
        """The status for `user` trying `action`, which is not among their allowed ones."""
        if user in self.hidden:
            return 404
        if user in self.onlookers or action in OPEN[(self.stage, self.accepted)]:
            return 403  # open here, but not to this person
        return 403 if ROLE_OF[user] not in ROLES[action] else 409

    def params_for(self, action: str) -> dict[str, Any]:
        return self.params.get(action, PARAMS.get(action, {}))

    def after(self, action: str) -> str:
        if action == "accept_supplement":
            return self.resumes_to
        if action == "return_to_previous":
            return RETURNS_TO[self.stage]
        return AFTER.get(action, self.stage)


# The Department of Justice's officials see the dossiers it decides, at every stage; they act
# on them only while the dossier is there (not at the centre, not at another department).
AT_THE_CENTRE = {"specialist", "leader", "clerk"}
CASES: dict[str, Case] = {
    "submitted": Case(
        walk=(),
        stage="submitted",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": {"accept", "refuse", "request_supplement"},
        },
        onlookers=AT_THE_CENTRE,
    ),
    "appraising": Case(
        walk=(ACCEPT,),
        stage="appraising",
        allowed={
            "citizen": {"request_withdrawal"},
            # The counter asks for supplements at its own check only.
            "receiver": set(),
            "specialist": {"request_supplement", "transfer", "appraise", "request_payment"},
            "leader": {"assign", "stop", "reschedule"},
            "clerk": set(),
        },
    ),
    "awaiting_approval": Case(
        walk=(ACCEPT, APPRAISE),
        stage="awaiting_approval",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": set(),
            "specialist": set(),
            "leader": {"assign", "return_to_previous", "approve", "stop", "reschedule"},
            "clerk": set(),
        },
    ),
    "awaiting_signature": Case(
        walk=(ACCEPT, APPRAISE, APPROVE),
        stage="awaiting_signature",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": set(),
            "specialist": set(),
            "leader": {"assign", "return_to_previous", "sign", "stop", "reschedule"},
            "clerk": {"return_to_previous", "sign"},
        },
    ),
    "signed": Case(
        walk=(ACCEPT, APPRAISE, APPROVE, SIGN),
        stage="signed",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": set(),
            "specialist": set(),
            "leader": {"assign", "stop", "reschedule"},
            "clerk": {"issue_result"},
        },
    ),
    "result_ready": Case(
        walk=(ACCEPT, APPRAISE, APPROVE, SIGN, ISSUE),
        stage="result_ready",
        allowed={"citizen": set(), "receiver": {"return_result"}},
        onlookers=AT_THE_CENTRE,
    ),
    "returned": Case(
        walk=(ACCEPT, APPRAISE, APPROVE, SIGN, ISSUE, ("return_result", "receiver", {})),
        stage="returned",
        allowed={"citizen": set(), "receiver": set()},
        onlookers=AT_THE_CENTRE,
    ),
    "refused": Case(
        walk=(("refuse", "receiver", PARAMS["refuse"]),),
        stage="refused",
        allowed={"citizen": set(), "receiver": set()},
        onlookers=AT_THE_CENTRE,
    ),
    "supplement_requested_at_counter": Case(
        walk=(SUPPLEMENT_AT_COUNTER,),
        stage="supplement_requested",
        allowed={
            "citizen": {"supplement", "request_withdrawal"},
            "receiver": {"supplement"},
        },
        onlookers=AT_THE_CENTRE,
    ),
    "supplement_received_at_counter": Case(
        walk=(SUPPLEMENT_AT_COUNTER, SUPPLEMENTED),
        stage="supplement_received",
        allowed={"citizen": {"request_withdrawal"}, "receiver": {"accept_supplement"}},
        onlookers=AT_THE_CENTRE,
        resumes_to="submitted",
    ),
    "supplement_requested": Case(
        walk=(ACCEPT, SUPPLEMENT_BY_SPECIALIST),
        stage="supplement_requested",
        allowed={
            "citizen": {"supplement", "request_withdrawal"},
            "receiver": {"supplement"},
            "specialist": set(),
            "leader": set(),
            "clerk": set(),
        },
    ),
    "supplement_received": Case(
        walk=(ACCEPT, SUPPLEMENT_BY_SPECIALIST, SUPPLEMENTED),
        stage="supplement_received",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": {"accept_supplement"},
            "specialist": {"accept_supplement"},
            "leader": set(),
            "clerk": set(),
        },
        resumes_to="appraising",
    ),
    "awaiting_payment": Case(
        walk=(ACCEPT, ("request_payment", "specialist", PARAMS["request_payment"])),
        stage="awaiting_payment",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": {"confirm_payment"},
            "specialist": {"confirm_payment"},
            "leader": set(),
            "clerk": set(),
        },
    ),
    # At the Department of Construction: its specialist acts; Justice's officials only look.
    "inter_agency": Case(
        walk=(ACCEPT, TRANSFER),
        stage="inter_agency",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": set(),
            "other_specialist": {"return_from_transfer"},
        },
        onlookers=AT_THE_CENTRE,
    ),
    # Back from Construction after its specialist took the dossier: Construction lets go of it.
    "back_from_transfer": Case(
        walk=(
            ACCEPT,
            TRANSFER,
            ("return_from_transfer", "other_specialist", {}),
        ),
        stage="appraising",
        allowed={
            "citizen": {"request_withdrawal"},
            "receiver": set(),
            "specialist": {"request_supplement", "transfer", "appraise", "request_payment"},
            "leader": {"assign", "stop", "reschedule"},
            "clerk": set(),
        },
    ),
    "withdrawal_requested": Case(
        walk=(ACCEPT, WITHDRAW),
        stage="withdrawal_requested",
        allowed={
            "citizen": set(),
            "receiver": set(),
            "specialist": set(),
            "leader": {"stop"},
            "clerk": set(),
        },
    ),
    # Withdrawn before the counter accepted it: the counter closes it.
    "withdrawal_requested_at_counter": Case(
        walk=(WITHDRAW,),
        stage="withdrawal_requested",
        allowed={"citizen": set(), "receiver": {"stop"}},
        onlookers=AT_THE_CENTRE,
    ),
    "stopped": Case(
        walk=(ACCEPT, WITHDRAW, ("stop", "leader", PARAMS["stop"])),
        stage="stopped",
        allowed={
            "citizen": set(),
            "receiver": set(),
            "specialist": set(),
            "leader": set(),
            "clerk": set(),
        },
    ),
}


@pytest.fixture(autouse=True)
def monday_morning() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        yield


def not_found(code: str) -> dict[str, str]:
    return {
        "result": "error",
        "code": "NOT_FOUND",
        "msg": f"No dossier {code} that you may see.",
        "dossier": code,
    }


def try_action(client: Client, code: str, action: str, params: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/dossiers/{code}/actions",
        {"action": action, **params},
        content_type="application/json",
    )


def snapshot(dossier: Dossier) -> tuple[Any, ...]:
    fresh = Dossier.objects.get(id=dossier.id)
    return (
        fresh.row_version,
        fresh.stage,
        fresh.status,
        fresh.current_agency_id,
        fresh.assignee_id,
        fresh.due_at,
        DossierEvent.objects.filter(dossier=dossier).count(),
        OutboxMessage.objects.filter(dossier=dossier).count(),
        fresh.steps.count(),
    )


def walk(submitted: Callable[..., Dossier], people: People, case: Case) -> Dossier:
    dossier = submitted()
    for action, who, params in case.walk:
        dossier = act(dossier, action, getattr(people, who), **params)
    assert dossier.stage == case.stage
    return dossier


def test_the_tables_cover_every_action_and_agree_with_themselves() -> None:
    assert set(ROLES) == {a.value for a in Action}
    for name, case in CASES.items():
        assert set(case.allowed).isdisjoint(case.onlookers), name
        assert set(case.allowed) <= set(USERS), name
        open_here = OPEN[(case.stage, case.accepted)]
        for user, allowed in case.allowed.items():
            for action in allowed:
                assert ROLE_OF[user] in open_here.get(action, set()), (name, user, action)


@pytest.mark.parametrize("name", list(CASES))
def test_who_may_do_what(name: str, people: People, submitted: Callable[..., Dossier]) -> None:
    case = CASES[name]
    dossier = walk(submitted, people, case)
    code = dossier.code
    clients = {user: api_client(getattr(people, user)) for user in USERS}
    unknown = code[:-4] + "9999"
    assert try_action(clients["receiver"], unknown, "accept", {}).json() == not_found(unknown)

    before = snapshot(dossier)
    for user in USERS:
        seen = clients[user].get(f"/api/v1/dossiers/{code}")
        if user in case.hidden:
            assert (seen.status_code, seen.json()) == (404, not_found(code)), user
        else:
            assert seen.status_code == 200, (user, seen.content)
            offered = sorted(seen.json()["next_actions"])
            assert offered == sorted(case.allowed.get(user, set())), user
        for action in sorted(ROLES.keys() - case.allowed.get(user, set())):
            response = try_action(clients[user], code, action, case.params_for(action))
            status, cell = case.refusal(user, action), (name, user, action, response.content)
            assert response.status_code == status, cell
            assert response.json()["code"] == ERROR_CODE[status], cell
            if status == 404:
                assert response.json() == not_found(code), cell
            if status == 409:
                assert response.json()["stage"] == case.stage, cell
    assert snapshot(dossier) == before

    for user, allowed in case.allowed.items():
        for action in sorted(allowed):
            # Tried, then undone. A savepoint, not an atomic block: the engine's transaction is
            # durable, and Django refuses a durable block inside another one.
            savepoint = transaction.savepoint()
            try:
                response = try_action(clients[user], code, action, case.params_for(action))
                changed = snapshot(dossier)
            finally:
                transaction.savepoint_rollback(savepoint)
            assert response.status_code == 200, (name, user, action, response.content)
            assert response.json()["stage"] == case.after(action), (name, user, action)
            # One change, recorded once.
            assert changed[0] == before[0] + 1, (name, user, action)
            assert snapshot(dossier) == before


def test_citizens_see_their_own_dossiers_only(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    own = submitted(with_documents=False)
    citizen, other = api_client(people.citizen), api_client(people.other_citizen)
    theirs = other.post(
        "/api/v1/dossiers",
        {"procedure": PROCEDURE, "receiving_agency": CENTRE},
        content_type="application/json",
    ).json()["code"]

    assert [d["code"] for d in citizen.get("/api/v1/dossiers").json()["results"]] == [own.code]
    assert [d["code"] for d in other.get("/api/v1/dossiers").json()["results"]] == [theirs]
    assert citizen.get(f"/api/v1/dossiers/{theirs}").json() == not_found(theirs)
    assert other.get(f"/api/v1/dossiers/{own.code}").json() == not_found(own.code)
    assert citizen.get(f"/api/v1/dossiers/{own.code}").status_code == 200
    # Uploading to someone else's dossier is refused the same way.
    response = other.post(f"/api/v1/dossiers/{own.code}/documents", {"file": pdf()})
    assert (response.status_code, response.json()) == (404, not_found(own.code))
    assert not own.documents.exists()


def test_officials_of_other_agencies_do_not_see_a_dossier(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    dossier = submitted()
    for user in ("other_receiver", "other_specialist"):
        client = api_client(getattr(people, user))
        assert client.get(f"/api/v1/dossiers/{dossier.code}").json() == not_found(dossier.code)
        assert client.get("/api/v1/dossiers").json()["count"] == 0
    for user in ("receiver", "specialist", "leader", "clerk"):
        listed = api_client(getattr(people, user)).get("/api/v1/dossiers").json()
        assert [d["code"] for d in listed["results"]] == [dossier.code], user


def test_a_commune_centre_receives_a_boundary_free_procedure_and_returns_its_result(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    elsewhere = submitted()
    citizen = api_client(people.citizen)
    body = citizen.post(
        "/api/v1/dossiers",
        {"procedure": PROCEDURE, "receiving_agency": COMMUNE_CENTRE},
        content_type="application/json",
    ).json()
    code = body["code"]
    assert code.startswith(f"{COMMUNE_CENTRE}-260302-")
    assert (body["receiving_agency"], body["competent_agency"]) == (COMMUNE_CENTRE, JUSTICE)
    for requirement in required_documents():
        uploaded = citizen.post(
            f"/api/v1/dossiers/{code}/documents", {"file": pdf(), "requirement": requirement}
        )
        assert uploaded.status_code == 201, uploaded.content

    commune, provincial = api_client(people.other_receiver), api_client(people.receiver)
    assert set(commune.get(f"/api/v1/dossiers/{code}").json()["next_actions"]) == {
        "accept",
        "refuse",
        "request_supplement",
    }
    assert [d["code"] for d in commune.get("/api/v1/dossiers").json()["results"]] == [code]
    # The provincial centre neither sees nor acts on what a commune centre received, and the
    # commune centre not on what the provincial centre received.
    assert provincial.get(f"/api/v1/dossiers/{code}").json() == not_found(code)
    assert try_action(provincial, code, "accept", {}).json() == not_found(code)
    assert commune.get(f"/api/v1/dossiers/{elsewhere.code}").json() == not_found(elsewhere.code)
    assert try_action(commune, elsewhere.code, "accept", {}).json() == not_found(elsewhere.code)

    accepted = try_action(commune, code, "accept", {})
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["stage"], accepted.json()["current_agency"]) == ("appraising", JUSTICE)
    dossier = Dossier.objects.get(code=code)
    for step in (APPRAISE, APPROVE, SIGN, ISSUE):
        action, who, params = step
        dossier = act(dossier, action, getattr(people, who), **params)
    assert dossier.current_agency.code == COMMUNE_CENTRE
    assert commune.get(f"/api/v1/dossiers/{code}").json()["next_actions"] == ["return_result"]
    assert try_action(provincial, code, "return_result", {}).json() == not_found(code)
    returned = try_action(commune, code, "return_result", {})
    assert (returned.status_code, returned.json()["stage"]) == (200, "returned")


def test_a_delegate_and_the_applicant_both_see_the_dossier_and_may_withdraw_it(
    people: People,
) -> None:
    delegate, applicant = api_client(people.other_citizen), api_client(people.citizen)

    def on_behalf() -> str:
        response = delegate.post(
            "/api/v1/dossiers",
            {
                "procedure": PROCEDURE,
                "receiving_agency": CENTRE,
                "applicant_personal_id": "008199001234",
                "applicant_name": "nguyen thi hoa",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["applicant"] == "Nguyễn Thị Hoà"
        return response.json()["code"]

    first, second = on_behalf(), on_behalf()
    for client in (delegate, applicant):
        assert client.get(f"/api/v1/dossiers/{first}").json()["next_actions"] == [
            "request_withdrawal"
        ]
        listed = {d["code"] for d in client.get("/api/v1/dossiers").json()["results"]}
        assert listed == {first, second}
    assert api_client(people.other_receiver).get(f"/api/v1/dossiers/{first}").status_code == 404
    for client, code in ((delegate, first), (applicant, second)):
        response = try_action(client, code, "request_withdrawal", PARAMS["request_withdrawal"])
        assert (response.status_code, response.json()["stage"]) == (200, "withdrawal_requested")


def test_a_receiver_who_keys_in_a_counter_dossier_is_not_the_applicant(people: People) -> None:
    receiver, citizen = api_client(people.receiver), api_client(people.citizen)
    response = receiver.post(
        "/api/v1/dossiers",
        {
            "procedure": PROCEDURE,
            "receiving_agency": CENTRE,
            "channel": "counter",
            "applicant_personal_id": "008199001234",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert set(response.json()["next_actions"]) == {"accept", "refuse", "request_supplement"}
    refused = try_action(receiver, code, "request_withdrawal", PARAMS["request_withdrawal"])
    assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")
    assert citizen.get(f"/api/v1/dossiers/{code}").json()["next_actions"] == ["request_withdrawal"]


def test_a_dossier_withdrawn_before_acceptance_can_be_closed(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    dossier = walk(submitted, people, CASES["withdrawal_requested_at_counter"])
    offered = {
        user: api_client(getattr(people, user)).get(f"/api/v1/dossiers/{dossier.code}")
        for user in ("receiver", "specialist", "leader", "clerk")
    }
    assert any(r.json()["next_actions"] for r in offered.values())


def test_a_delegate_must_name_the_applicant(people: People) -> None:
    # Knowing an ID number is not enough to file for someone, nor to learn their name.
    delegate = api_client(people.other_citizen)
    answers = []
    for personal_id, name in (
        ("008199001234", ""),
        ("008199001234", "Trần Thị Khác"),
        ("001001001001", "Nguyễn Thị Hoà"),
    ):
        response = delegate.post(
            "/api/v1/dossiers",
            {
                "procedure": PROCEDURE,
                "receiving_agency": CENTRE,
                "applicant_personal_id": personal_id,
                "applicant_name": name,
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        answers.append(response.json())
        assert "Nguyễn" not in response.content.decode()
    # A registered ID with the wrong name and an unregistered ID answer the same.
    assert answers[0] == answers[1] == answers[2]
    assert not Dossier.objects.exists()
