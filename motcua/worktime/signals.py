"""Every change to declared days or office hours bumps the calendar revision.

Signals rather than calls in the actions, because the Django admin and data migrations change
these rows too, and a stale cached calendar would silently give wrong due dates.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from motcua.worktime.models import CalendarDay, OfficeHours
from motcua.worktime.queries import bump_calendar_revision


@receiver(post_save, sender=CalendarDay, dispatch_uid="worktime.calendar_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="worktime.calendar_day_deleted")
@receiver(post_save, sender=OfficeHours, dispatch_uid="worktime.office_hours_saved")
@receiver(post_delete, sender=OfficeHours, dispatch_uid="worktime.office_hours_deleted")
def calendar_changed(**kwargs: Any) -> None:
    bump_calendar_revision()
