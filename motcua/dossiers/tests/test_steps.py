"""The steps of the process as the engine and the slips see them, written out by hand: every
step kind the catalogue lets a province configure has a role to act in it, and each stage
belongs to exactly one kind of step."""

from __future__ import annotations

from motcua.accounts.models import Role
from motcua.catalog.models import StepKind
from motcua.dossiers.workflow import ROLE_OF_STEP, STAGES_OF_STEP, STEP_OF_STAGE, Stage


def test_each_step_kind_has_its_role_and_its_stages() -> None:
    expected = {
        StepKind.RECEIVE: (Role.RECEIVER, {Stage.SUBMITTED, Stage.SUPPLEMENT_RECEIVED}),
        StepKind.APPRAISE: (Role.SPECIALIST, {Stage.APPRAISING}),
        StepKind.APPROVE: (Role.LEADER, {Stage.AWAITING_APPROVAL}),
        StepKind.SIGN: (Role.CLERK, {Stage.AWAITING_SIGNATURE, Stage.SIGNED}),
        StepKind.INTER_AGENCY: (Role.SPECIALIST, {Stage.INTER_AGENCY}),
        StepKind.RETURN: (Role.RECEIVER, {Stage.RESULT_READY}),
    }
    assert set(expected) == set(StepKind)
    assert {kind: (ROLE_OF_STEP[kind], set(STAGES_OF_STEP[kind])) for kind in StepKind} == expected
    # The step clock's table says the same, the counter's check aside (no step runs there).
    for stage, kind in STEP_OF_STAGE.items():
        assert stage in STAGES_OF_STEP[kind]
