"""The words people read for the dossier engine's codes: one table per vocabulary, translated.

Codes (`Status`, `Stage`, `StepKind`, `Action`, `Outcome`, `ClockState`, channels, time units)
are what programs keep and compare; these labels are what pages, the API and the slips show.
Every label is an English msgid with its Vietnamese in the .po files, so a page follows the
reader's language. The official slips and the register are Vietnamese documents whatever the
reader's language: they read these tables under `translation.override("vi")`, and the Vietnamese
here is the forms' own wording (DOMAIN.md §1.3, §3).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.catalog.models import StepKind, TimeUnit
from motcua.dossiers.clock import ClockState
from motcua.dossiers.models import Channel, Outcome
from motcua.dossiers.workflow import Action, Stage, Status

# The national status codes (TrangThaiHoSo) by their official names (DOMAIN.md §1.3).
STATUS_LABELS: dict[Status, Promise] = {
    Status.SUBMITTED: pgettext_lazy("national status", "Newly registered"),
    Status.ACCEPTED: pgettext_lazy("national status", "Accepted"),
    Status.REFUSED: pgettext_lazy("national status", "Not accepted"),
    Status.PROCESSING: pgettext_lazy("national status", "Being processed"),
    Status.SUPPLEMENT: pgettext_lazy("national status", "Supplement of documents requested"),
    Status.PAYMENT: pgettext_lazy("national status", "Financial obligations requested"),
    Status.WITHDRAWAL_REQUESTED: pgettext_lazy(
        "national status", "Withdrawal requested by the applicant"
    ),
    Status.STOPPED: pgettext_lazy("national status", "Processing stopped"),
    Status.RESULT_READY: pgettext_lazy("national status", "Processed"),
    Status.RETURNED: pgettext_lazy("national status", "Result returned"),
}
# As a filter offers them: "4 – Being processed".
NUMBERED_STATUS_LABELS: dict[Status, Promise] = {
    status: format_lazy("{} – {}", status.value, label) for status, label in STATUS_LABELS.items()
}

STAGE_LABELS: dict[Stage, Promise] = {
    Stage.SUBMITTED: _("Submitted, awaiting the counter"),
    Stage.REFUSED: _("Refused"),
    Stage.APPRAISING: _("Being appraised"),
    Stage.AWAITING_APPROVAL: _("Awaiting the leader's approval"),
    Stage.AWAITING_SIGNATURE: _("Awaiting signature"),
    Stage.SIGNED: _("Signed"),
    Stage.INTER_AGENCY: _("With another agency"),
    Stage.SUPPLEMENT_REQUESTED: _("Supplement requested"),
    Stage.SUPPLEMENT_RECEIVED: _("Supplement received"),
    Stage.AWAITING_PAYMENT: _("Awaiting payment"),
    Stage.WITHDRAWAL_REQUESTED: _("Withdrawal requested"),
    Stage.STOPPED: _("Stopped"),
    Stage.RESULT_READY: _("Result ready"),
    Stage.RETURNED: _("Result returned"),
}

# The steps of the process as the process-control slip (form 06) and public tracking name them.
STEP_LABELS: dict[StepKind, Promise] = {
    StepKind.RECEIVE: pgettext_lazy("process step", "Receiving the dossier"),
    StepKind.APPRAISE: pgettext_lazy("process step", "Appraising and processing the dossier"),
    StepKind.APPROVE: pgettext_lazy("process step", "Approval"),
    StepKind.SIGN: pgettext_lazy("process step", "Signing and issuing the result"),
    StepKind.INTER_AGENCY: pgettext_lazy("process step", "Inter-agency processing"),
    StepKind.RETURN: pgettext_lazy("process step", "Returning the result"),
}

ACTION_LABELS: dict[Action, Promise] = {
    Action.ACCEPT: _("Accept"),
    Action.REFUSE: _("Refuse"),
    Action.REQUEST_SUPPLEMENT: _("Request a supplement"),
    Action.SUPPLEMENT: _("Hand in the supplement"),
    Action.ACCEPT_SUPPLEMENT: _("Accept the supplement"),
    Action.ASSIGN: _("Assign"),
    Action.TRANSFER: _("Transfer to another agency"),
    Action.RETURN_FROM_TRANSFER: _("Take back from the other agency"),
    Action.APPRAISE: _("Appraise"),
    Action.RETURN_TO_PREVIOUS: _("Return to the previous step"),
    Action.APPROVE: _("Approve"),
    Action.SIGN: _("Sign"),
    Action.ISSUE_RESULT: _("Issue the result"),
    Action.RETURN_RESULT: _("Return the result"),
    Action.REQUEST_WITHDRAWAL: _("Request withdrawal"),
    Action.STOP: _("Stop"),
    Action.REQUEST_PAYMENT: _("Request payment"),
    Action.CONFIRM_PAYMENT: _("Confirm payment"),
    Action.RESCHEDULE: _("Set a new date"),
}

# Circular 01/2018 art. 13 (DOMAIN.md §2.4): the Outcome choices' own labels, and the words for
# a dossier or step not finished yet, in time or overdue at the reporting date.
OUTCOME_LABELS: dict[Outcome, Promise] = {outcome: outcome.label for outcome in Outcome}
PENDING_LABEL = pgettext_lazy("outcome", "Being processed")
# A step cut short by a supplement or payment request, a withdrawal or a stop (actions.steps):
# neither finished nor open.
INTERRUPTED_LABEL = pgettext_lazy("outcome", "Paused")
PENDING_IN_TIME_LABEL = pgettext_lazy("outcome", "Being processed, in time")
PENDING_OVERDUE_LABEL = pgettext_lazy("outcome", "Being processed, overdue")

CLOCK_LABELS: dict[ClockState, Promise] = {
    ClockState.IN_TIME: _("In time"),
    ClockState.AT_RISK: _("At risk"),
    ClockState.OVERDUE: _("Overdue"),
    ClockState.PAUSED: _("Paused"),
}

# How the dossier came in, as the receipt (form 01) says it.
CHANNEL_LABELS: dict[Channel, Promise] = {
    Channel.ONLINE: _("Online"),
    Channel.COUNTER: pgettext_lazy("channel", "In person at the one-stop counter"),
    Channel.KIOSK: pgettext_lazy("channel", "At a self-service kiosk"),
    Channel.POST: pgettext_lazy("channel", "Through the public postal service"),
}

# The units limits are published in: the catalogue's choices' own labels.
UNIT_LABELS: dict[TimeUnit, Promise] = {unit: unit.label for unit in TimeUnit}
