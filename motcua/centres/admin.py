"""A read-only window on queue tickets: a centre's day, who was called where and when.

Rows change only through `actions.py`; the admin shows them (the phone number stays hidden).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.centres.models import Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("day", "agency", "label", "field", "status", "counter", "called_at", "calls")
    list_filter = ("status", "day")
    search_fields = ("agency__code",)
    list_select_related = ("agency", "field", "counter")
    exclude = ("phone",)
    date_hierarchy = "issued_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
