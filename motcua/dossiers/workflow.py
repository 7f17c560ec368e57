"""The dossier state machine: sub-statuses, actions, who may take them. Pure: no queries.

Sub-statuses are what the engine works with; each maps to one national status code (DOMAIN.md
§1.3), which is what the national portal and the statistics see.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from motcua.accounts.models import Role
from motcua.catalog.models import StepKind


class Status(enum.IntEnum):
    """National status codes (TrangThaiHoSo) of the DVCQG sync."""

    SUBMITTED = 1
    ACCEPTED = 2
    REFUSED = 3
    PROCESSING = 4
    SUPPLEMENT = 5
    PAYMENT = 6
    WITHDRAWAL_REQUESTED = 7
    STOPPED = 8
    RESULT_READY = 9
    RETURNED = 10


class Stage(enum.StrEnum):
    SUBMITTED = "submitted"
    REFUSED = "refused"
    APPRAISING = "appraising"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    INTER_AGENCY = "inter_agency"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_RECEIVED = "supplement_received"
    AWAITING_PAYMENT = "awaiting_payment"
    WITHDRAWAL_REQUESTED = "withdrawal_requested"
    STOPPED = "stopped"
    RESULT_READY = "result_ready"
    RETURNED = "returned"


STATUS_OF: dict[Stage, Status] = {
    Stage.SUBMITTED: Status.SUBMITTED,
    Stage.REFUSED: Status.REFUSED,
    Stage.APPRAISING: Status.PROCESSING,
    Stage.AWAITING_APPROVAL: Status.PROCESSING,
    Stage.AWAITING_SIGNATURE: Status.PROCESSING,
    Stage.SIGNED: Status.PROCESSING,
    Stage.INTER_AGENCY: Status.PROCESSING,
    Stage.SUPPLEMENT_REQUESTED: Status.SUPPLEMENT,
    Stage.SUPPLEMENT_RECEIVED: Status.SUPPLEMENT,
    Stage.AWAITING_PAYMENT: Status.PAYMENT,
    Stage.WITHDRAWAL_REQUESTED: Status.WITHDRAWAL_REQUESTED,
    Stage.STOPPED: Status.STOPPED,
    Stage.RESULT_READY: Status.RESULT_READY,
    Stage.RETURNED: Status.RETURNED,
}

PROCESSING_STAGES = frozenset(
    {
        Stage.APPRAISING,
        Stage.AWAITING_APPROVAL,
        Stage.AWAITING_SIGNATURE,
        Stage.SIGNED,
        Stage.INTER_AGENCY,
    }
)
TERMINAL_STAGES = frozenset({Stage.REFUSED, Stage.STOPPED, Stage.RETURNED})
# The clock runs in these; it is paused while the applicant supplements or pays.
CLOCK_RUNNING_STAGES = PROCESSING_STAGES | {Stage.WITHDRAWAL_REQUESTED}
PAUSED_STAGES = frozenset(
    {Stage.SUPPLEMENT_REQUESTED, Stage.SUPPLEMENT_RECEIVED, Stage.AWAITING_PAYMENT}
)
# Entering these cuts the current step short: it is interrupted, not finished (actions.steps).
INTERRUPTING_STAGES = PAUSED_STAGES | {Stage.WITHDRAWAL_REQUESTED, Stage.STOPPED}
# Results exist from the issue of the first one on.
RESULT_STAGES = frozenset({Stage.RESULT_READY, Stage.RETURNED})


# The step of the process a dossier is in at each stage (the slips and the step clock use it),
# and the role that acts in each kind of step. Step kinds are the catalogue's (the process a
# province configures), roles the accounts'.
STEP_OF_STAGE: dict[Stage, StepKind] = {
    Stage.APPRAISING: StepKind.APPRAISE,
    Stage.AWAITING_APPROVAL: StepKind.APPROVE,
    Stage.AWAITING_SIGNATURE: StepKind.SIGN,
    Stage.SIGNED: StepKind.SIGN,
    Stage.INTER_AGENCY: StepKind.INTER_AGENCY,
    Stage.RESULT_READY: StepKind.RETURN,
}
ROLE_OF_STEP: dict[StepKind, Role] = {
    StepKind.APPRAISE: Role.SPECIALIST,
    StepKind.APPROVE: Role.LEADER,
    StepKind.SIGN: Role.CLERK,
    StepKind.INTER_AGENCY: Role.SPECIALIST,
    StepKind.RETURN: Role.RECEIVER,
    StepKind.RECEIVE: Role.RECEIVER,
}
# The stages a dossier is in during each kind of step (STEP_OF_STAGE reversed); the receipt step
# is the counter's check, before acceptance or of a supplement handed in.
STAGES_OF_STEP: dict[StepKind, frozenset[Stage]] = {
    StepKind.RECEIVE: frozenset({Stage.SUBMITTED, Stage.SUPPLEMENT_RECEIVED}),
    **{
        kind: frozenset(stage for stage, step in STEP_OF_STAGE.items() if step == kind)
        for kind in dict.fromkeys(STEP_OF_STAGE.values())
    },
}
# Uploads are accepted while the applicant completes the dossier, and from officials while they
# digitise paper during processing.
APPLICANT_UPLOAD_STAGES = frozenset({Stage.SUBMITTED, Stage.SUPPLEMENT_REQUESTED})
UPLOAD_STAGES = APPLICANT_UPLOAD_STAGES | set(STEP_OF_STAGE)


class Action(enum.StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    ACCEPT_SUPPLEMENT = "accept_supplement"
    ASSIGN = "assign"
    TRANSFER = "transfer"
    RETURN_FROM_TRANSFER = "return_from_transfer"
    APPRAISE = "appraise"
    RETURN_TO_PREVIOUS = "return_to_previous"
    APPROVE = "approve"
    SIGN = "sign"
    ISSUE_RESULT = "issue_result"
    RETURN_RESULT = "return_result"
    REQUEST_WITHDRAWAL = "request_withdrawal"
    STOP = "stop"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    RESCHEDULE = "reschedule"


class Actor(enum.StrEnum):
    """Who takes an action: the applicant's side, or an official in one of these roles."""

    APPLICANT = "applicant"
    RECEIVER = Role.RECEIVER.value
    SPECIALIST = Role.SPECIALIST.value
    LEADER = Role.LEADER.value
    CLERK = Role.CLERK.value


@dataclass(frozen=True)
class Transition:
    """One way to take an action: from these stages, by these actors. An action may have several
    (who may ask for a supplement depends on whether the counter or the specialist holds the
    dossier). `accepted` restricts it to dossiers accepted (True) or not yet accepted (False)."""

    action: Action
    source: frozenset[Stage]
    target: Stage | None  # None: stays where it is (assign), or decided by the action (resume)
    actors: frozenset[Actor]
    accepted: bool | None = None


def _t(
    action: Action,
    source: set[Stage] | frozenset[Stage],
    target: Stage | None,
    *actors: Actor,
    accepted: bool | None = None,
) -> Transition:
    return Transition(action, frozenset(source), target, frozenset(actors), accepted)


A, R, S, L, C = Actor.APPLICANT, Actor.RECEIVER, Actor.SPECIALIST, Actor.LEADER, Actor.CLERK
OPEN_FOR_WITHDRAWAL = PROCESSING_STAGES | PAUSED_STAGES | {Stage.SUBMITTED}

TRANSITIONS: tuple[Transition, ...] = (
    # The counter checks the dossier: accept (forwarded to the competent agency at once: 2 → 4),
    # ask once in writing for what is missing, or refuse with reasons (DOMAIN §1.4).
    _t(Action.ACCEPT, {Stage.SUBMITTED}, Stage.APPRAISING, R),
    _t(Action.REFUSE, {Stage.SUBMITTED}, Stage.REFUSED, R),
    # The counter asks at its own check, the specialist during appraisal.
    _t(Action.REQUEST_SUPPLEMENT, {Stage.SUBMITTED}, Stage.SUPPLEMENT_REQUESTED, R),
    _t(Action.REQUEST_SUPPLEMENT, {Stage.APPRAISING}, Stage.SUPPLEMENT_REQUESTED, S),
    _t(Action.SUPPLEMENT, {Stage.SUPPLEMENT_REQUESTED}, Stage.SUPPLEMENT_RECEIVED, A, R),
    # Accepting the supplement resumes where the request was made (back to the counter check
    # or to appraisal); the engine decides, so the target is None.
    _t(Action.ACCEPT_SUPPLEMENT, {Stage.SUPPLEMENT_RECEIVED}, None, R, S),
    # Leaders hand dossiers to their specialists.
    _t(Action.ASSIGN, PROCESSING_STAGES, None, L),
    _t(Action.TRANSFER, {Stage.APPRAISING}, Stage.INTER_AGENCY, S),
    _t(Action.RETURN_FROM_TRANSFER, {Stage.INTER_AGENCY}, Stage.APPRAISING, S),
    _t(Action.APPRAISE, {Stage.APPRAISING}, Stage.AWAITING_APPROVAL, S),
    # Sent back one step by whoever holds it: the leader before approving, the clerk (or the
    # leader) before signing.
    _t(Action.RETURN_TO_PREVIOUS, {Stage.AWAITING_APPROVAL}, None, L),
    _t(Action.RETURN_TO_PREVIOUS, {Stage.AWAITING_SIGNATURE}, None, L, C),
    _t(Action.APPROVE, {Stage.AWAITING_APPROVAL}, Stage.AWAITING_SIGNATURE, L),
    # The clerk numbers, seals or signs digitally, then issues the result (DOMAIN §1.1).
    _t(Action.SIGN, {Stage.AWAITING_SIGNATURE}, Stage.SIGNED, C, L),
    _t(Action.ISSUE_RESULT, {Stage.SIGNED}, Stage.RESULT_READY, C),
    _t(Action.RETURN_RESULT, {Stage.RESULT_READY}, Stage.RETURNED, R),
    _t(Action.REQUEST_PAYMENT, {Stage.APPRAISING}, Stage.AWAITING_PAYMENT, S),
    _t(Action.CONFIRM_PAYMENT, {Stage.AWAITING_PAYMENT}, Stage.APPRAISING, R, S),
    # Withdrawal: not once the result is ready (DOMAIN §1.4).
    _t(Action.REQUEST_WITHDRAWAL, OPEN_FOR_WITHDRAWAL, Stage.WITHDRAWAL_REQUESTED, A),
    _t(
        Action.STOP,
        PROCESSING_STAGES | {Stage.WITHDRAWAL_REQUESTED},
        Stage.STOPPED,
        L,
        accepted=True,
    ),
    # Withdrawn before the counter accepted it: the counter closes it.
    _t(Action.STOP, {Stage.WITHDRAWAL_REQUESTED}, Stage.STOPPED, R, accepted=False),
    _t(Action.RESCHEDULE, PROCESSING_STAGES, None, L),
)


def transitions_for(action: Action) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action == action]


def find_transition(action: Action, stage: Stage, *, accepted: bool) -> Transition | None:
    """The way to take `action` from `stage`, or None if the action is not open there."""
    for transition in TRANSITIONS:
        if (
            transition.action == action
            and stage in transition.source
            and transition.accepted in (None, accepted)
        ):
            return transition
    return None


def actions_from(stage: Stage, actors: frozenset[Actor], *, accepted: bool) -> list[Action]:
    """Actions open at `stage` to someone acting as any of `actors`, in a stable order."""
    found: list[Action] = []
    for t in TRANSITIONS:
        if (
            stage in t.source
            and t.actors & actors
            and t.accepted in (None, accepted)
            and t.action not in found
        ):
            found.append(t.action)
    return found
