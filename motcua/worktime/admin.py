"""Admin screens where the calendar administrator enters the government's yearly announcements.

The admin form runs the model's clean() and constraints (the same validation as the actions),
and the post-save signals refresh every process's cached calendar.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.worktime.models import CalendarDay, OfficeHours


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "reason", "legal_source", "updated_at")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("reason", "legal_source")
    ordering = ("-date",)
    fields = ("date", "kind", "reason", "legal_source")

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return obj.weekday_name


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = (
        "agency_or_default",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "updated_at",
    )
    list_select_related = ("agency",)
    raw_id_fields = ("agency",)
    search_fields = ("agency__code", "agency__name")
    fields = ("agency", ("morning_start", "morning_end"), ("afternoon_start", "afternoon_end"))

    @admin.display(description=_("agency"), ordering="agency__code")
    def agency_or_default(self, obj: OfficeHours) -> str:
        return str(obj.agency) if obj.agency_id else str(_("Default (all agencies)"))
