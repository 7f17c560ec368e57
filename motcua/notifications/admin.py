"""A read-only window on notifications: what each applicant was sent, and whether it arrived.

Rows change only through `actions.py`; the admin shows them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "created_at",
        "dossier",
        "template_key",
        "channel",
        "recipient",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel", "template_key", "language")
    search_fields = ("dossier__code", "recipient", "provider_message_id")
    list_select_related = ("dossier",)
    raw_id_fields = ("dossier", "event")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
