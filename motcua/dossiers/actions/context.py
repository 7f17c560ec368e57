"""What an action works with: the locked dossier, who acts, the moment, the calendars, the steps.

One `ActionContext` per action. It reads the calendar revision at most once and holds the
dossier's step rows (read once under the lock), so the handlers, the step clock and the answer
to the client share them instead of reading them again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from motcua.accounts.models import User
from motcua.accounts.viewer import Viewer
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.workflow import Actor
from motcua.worktime.queries import CalendarBook
from motcua.worktime.workcalendar import WorkCalendar


@dataclass
class ActionContext:
    dossier: Dossier
    viewer: Viewer
    actor: Actor
    now: dt.datetime
    params: dict[str, Any]
    book: CalendarBook = field(default_factory=CalendarBook)
    # What the audit event records beyond the transition.
    payload: dict[str, Any] = field(default_factory=dict)
    # Start the step of the new stage again even if it is the step of the old one (sent back,
    # or resumed after a pause).
    restart_step: bool = False
    new_steps: list[DossierStep] = field(default_factory=list)
    # The delegation a delegate acts under and the leader they act for ("TUQ."), if any.
    on_behalf_of: dict[str, Any] | None = None

    @property
    def user(self) -> User:
        return self.viewer.user

    def calendar(self, agency_id: int) -> WorkCalendar:
        return self.book.of(agency_id)

    @property
    def receiving_calendar(self) -> WorkCalendar:
        """Legal due dates run on the receiving centre's calendar (where the applicant
        returns)."""
        return self.calendar(self.dossier.receiving_agency_id)
