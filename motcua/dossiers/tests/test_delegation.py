"""A leader lends approving and signing (thừa ủy quyền): the engine lets the delegate act on the
leader's behalf for the named procedures, at the leader's agency, during the period only; the
event and form 06 say so; and every refusal says why."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.actions import do_create_official, do_grant_role
from motcua.accounts.delegations import (
    DelegationRequest,
    do_delegate_authority,
    do_revoke_delegation,
)
from motcua.accounts.errors import (
    DelegationEndedError,
    DelegationNotPermittedError,
    DelegationNotStartedError,
    DelegationRevokedError,
)
from motcua.accounts.models import Delegation, Official, Role, User
from motcua.accounts.viewer import Viewer
from motcua.catalog.models import Procedure
from motcua.common.errors import InvalidInputError
from motcua.dossiers.audit import verify_chain
from motcua.dossiers.errors import ActionNotAllowedError, NotPermittedError
from motcua.dossiers.models import Dossier, DossierEvent, SlipKind
from motcua.dossiers.queries import next_actions, with_rules
from motcua.dossiers.slips.data import slip_data
from motcua.dossiers.tests.conftest import JUSTICE, PASSWORD, PROCEDURE, People, act, at
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db

TITLE = "Giám đốc Sở Tư pháp"
ON_BEHALF = "TUQ. GIÁM ĐỐC SỞ TƯ PHÁP"


def delegate(
    people: People,
    *,
    to: User | None = None,
    by: User | None = None,
    agency: str = JUSTICE,
    codes: tuple[str, ...] = (PROCEDURE,),
    actions: tuple[str, ...] = ("approve", "sign"),
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    acting: User | None = None,
) -> Delegation:
    delegator = (by or people.leader).official
    Official.objects.filter(id=delegator.id).update(position_title=TITLE)
    return do_delegate_authority(
        DelegationRequest(
            delegator_id=delegator.id,
            delegate_id=(to or people.specialist).official.id,
            agency_id=Agency.objects.get(code=agency).id,
            procedure_codes=codes,
            actions=actions,
            valid_from=start or at(2026, 3, 2, 8),
            valid_until=end or at(2026, 3, 31, 17),
            reason="Giám đốc đi công tác",
        ),
        acting_user=acting or by or people.leader,
    )


def appraised(running: Dossier, people: People) -> Dossier:
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        return act(running, "appraise", people.specialist)


def offered(dossier: Dossier, user: User) -> list[str]:
    return next_actions(with_rules(Dossier.objects.get(id=dossier.id)), Viewer.of(user))


def test_a_delegate_approves_and_signs_on_the_leaders_behalf(
    running: Dossier, people: People
) -> None:
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        # The process keeps what the specialist may do; a new delegation counts at once.
        assert "approve" not in offered(dossier, people.specialist)
        delegation = delegate(people)
        assert "approve" in offered(dossier, people.specialist)
        dossier = act(dossier, "approve", people.specialist)
        assert "sign" in offered(dossier, people.specialist)
        dossier = act(dossier, "sign", people.specialist)
    assert dossier.stage == "signed"

    approved = DossierEvent.objects.get(dossier=dossier, action="approve")
    assert approved.actor == people.specialist
    assert approved.role == "leader"
    assert approved.on_behalf_of == {
        "delegation": delegation.id,
        "delegator": people.leader.official.id,
        "delegator_name": "Bùi Văn Toàn",
        "delegator_title": TITLE,
        "title": ON_BEHALF,
    }
    assert DossierEvent.objects.get(dossier=dossier, action="sign").on_behalf_of is not None
    # The appraisal was the specialist's own work: no "on behalf of" there.
    assert DossierEvent.objects.get(dossier=dossier, action="appraise").on_behalf_of is None
    assert verify_chain(dossier) is None

    steps = slip_data(dossier, SlipKind.PROCESS_CONTROL)["steps"]
    # Receipt, appraisal, approval (handed over on the leader's behalf), signing (signed so).
    assert [row["handed_over_by"] for row in steps][1:3] == [
        "Đỗ Quang Huy",
        f"Đỗ Quang Huy ({ON_BEHALF})",
    ]
    assert steps[3]["signed_by"] == f"Đỗ Quang Huy ({ON_BEHALF})"
    assert "signed_by" not in steps[2]

    # The officials' dossier page names the delegate and the leader's line in its timeline.
    client = Client()
    client.force_login(people.leader)
    page = client.get(reverse("dossiers:office_dossier", args=[dossier.code])).content.decode()
    assert f"Đỗ Quang Huy ({ON_BEHALF})" in page


def test_the_leader_acting_in_person_is_not_on_anyones_behalf(
    running: Dossier, people: People
) -> None:
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        delegate(people)
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        dossier = act(dossier, "approve", people.leader)
    assert DossierEvent.objects.get(dossier=dossier, action="approve").on_behalf_of is None


def test_before_its_start_a_delegation_does_not_work(running: Dossier, people: People) -> None:
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        delegate(people, start=at(2026, 3, 10, 8))
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        assert "approve" not in offered(dossier, people.specialist)
        with pytest.raises(DelegationNotStartedError) as refused:
            act(dossier, "approve", people.specialist)
    assert "10/03/2026 08:00" in refused.value.msg
    assert "Bùi Văn Toàn" in refused.value.msg
    assert Dossier.objects.get(id=dossier.id).stage == "awaiting_approval"


def test_a_delegation_stops_working_at_its_end_without_any_job(
    running: Dossier, people: People
) -> None:
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        delegate(people, end=at(2026, 3, 3, 12))
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 11, 59), tick=False):
        assert "approve" in offered(dossier, people.specialist)  # the process keeps it
    with time_machine.travel(at(2026, 3, 3, 12), tick=False):
        assert "approve" not in offered(dossier, people.specialist)
        with pytest.raises(DelegationEndedError) as refused:
            act(dossier, "approve", people.specialist)
    assert "03/03/2026 12:00" in refused.value.msg
    assert not DossierEvent.objects.filter(dossier=dossier, action="approve").exists()


def test_a_revoked_delegation_stops_working_at_once(running: Dossier, people: People) -> None:
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        delegation = delegate(people)
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        assert "approve" in offered(dossier, people.specialist)  # now kept by the process
        do_revoke_delegation(delegation.id, acting_user=people.leader)
        assert "approve" not in offered(dossier, people.specialist)
        with pytest.raises(DelegationRevokedError) as refused:
            act(dossier, "approve", people.specialist)
    assert "03/03/2026 10:00" in refused.value.msg
    revoked = Delegation.objects.get(id=delegation.id)
    assert (revoked.revoked_at, revoked.revoked_by) == (at(2026, 3, 3, 10), people.leader)


def test_a_procedure_not_named_is_refused(running: Dossier, people: People) -> None:
    other = Procedure.objects.exclude(national_code=PROCEDURE).first()
    assert other is not None
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        delegate(people, codes=(other.national_code,))
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        assert "approve" not in offered(dossier, people.specialist)
        with pytest.raises(NotPermittedError):
            act(dossier, "approve", people.specialist)


def test_only_the_actions_lent_are_allowed(running: Dossier, people: People) -> None:
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        delegate(people, actions=("sign",))
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        with pytest.raises(NotPermittedError):
            act(dossier, "approve", people.specialist)
        # Nor anything else a leader does: stopping or assigning stays with the leader.
        with pytest.raises(NotPermittedError):
            act(dossier, "stop", people.specialist, reason="Thử")


def test_a_delegation_at_another_agency_is_refused(running: Dossier, people: People) -> None:
    construction = Agency.objects.get(code="H08.11")
    leader = do_create_official(
        username="lanh.dao.xd", password=PASSWORD, full_name="Hà Văn Sơn", acting_user=None
    )
    do_grant_role(leader, construction, Role.LEADER, acting_user=None)
    do_grant_role(people.specialist.official, construction, Role.SPECIALIST, acting_user=None)
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        delegate(people, by=leader.user, agency="H08.11")
    dossier = appraised(running, people)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        assert "approve" not in offered(dossier, people.specialist)
        with pytest.raises(NotPermittedError):
            act(dossier, "approve", people.specialist)


def test_only_the_leader_or_an_administrator_of_the_agency_delegates(people: People) -> None:
    justice = Agency.objects.get(code=JUSTICE)
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        # The specialist cannot lend the leader's authority, nor the clerk.
        for intruder in (people.specialist, people.clerk):
            with pytest.raises(DelegationNotPermittedError):
                delegate(people, acting=intruder)
        # A leader elsewhere, or an administrator elsewhere, neither.
        elsewhere = do_create_official(
            username="quan.tri.xd", password=PASSWORD, full_name="Lý Thị Nga", acting_user=None
        )
        do_grant_role(
            elsewhere, Agency.objects.get(code="H08.11"), Role.ADMINISTRATOR, acting_user=None
        )
        with pytest.raises(DelegationNotPermittedError):
            delegate(people, acting=elsewhere.user)
        # The agency's administrator may, for its leader; and revoke it.
        admin = do_create_official(
            username="quan.tri", password=PASSWORD, full_name="Mai Văn Long", acting_user=None
        )
        do_grant_role(admin, justice, Role.ADMINISTRATOR, acting_user=None)
        delegation = delegate(people, acting=admin.user)
        assert delegation.created_by == admin.user
        # The delegate cannot take it back, nor lend it on.
        with pytest.raises(DelegationNotPermittedError):
            do_revoke_delegation(delegation.id, acting_user=people.specialist)
        with pytest.raises(DelegationNotPermittedError):
            delegate(people, by=people.specialist, to=people.clerk, acting=people.specialist)
        do_revoke_delegation(delegation.id, acting_user=admin.user)


def test_a_delegation_is_checked_before_anything_is_written(people: People) -> None:
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        with pytest.raises(InvalidInputError) as refused:
            delegate(people, start=at(2026, 3, 9), end=at(2026, 3, 2, 9))
        assert refused.value.field == "valid_until"
        with pytest.raises(InvalidInputError) as refused:
            delegate(people, actions=())
        assert refused.value.field == "actions"
        with pytest.raises(InvalidInputError) as refused:
            delegate(people, codes=("9.999999",))
        assert refused.value.field == "procedures"
        assert "9.999999" in refused.value.reason
        # Only to someone of the same agency: the clerk of another would not see the dossiers.
        with pytest.raises(InvalidInputError) as refused:
            delegate(people, to=people.other_specialist)
        assert refused.value.field == "delegate"
    assert not Delegation.objects.exists()


def test_a_delegate_is_told_when_the_dossier_is_not_at_that_step(
    running: Dossier, people: People
) -> None:
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        with pytest.raises(NotPermittedError):
            act(running, "approve", people.specialist)
        delegate(people)
        # Still being appraised: now "not at this step" (409), no longer "not yours" (403).
        with pytest.raises(ActionNotAllowedError):
            act(running, "approve", people.specialist)
