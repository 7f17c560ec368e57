"""Django admin for people and roles: a read-only window, with personal ID numbers masked.

Profiles and roles are only changed through `actions.py` (identifier checks, password hashing,
logging). The admin's own save path would bypass all of that and runs inside its own
transaction, where the durable actions cannot run, so these pages only show. Searching by a
full personal ID number still works (exact match), but the number is displayed masked.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Business, Citizen, Official, RoleMembership, User


class ShowOnlyMixin:
    """No add, change or delete: users with the view permission (and superusers) see fields
    read-only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin for login matters (active, staff, password reset), minus "add":
    an account without its profile would be half a person, so accounts come from the actions.
    """

    list_display = ("username", "kind", "email", "is_active", "is_staff", "last_login")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    # "=" makes the personal ID an exact match, so partial numbers cannot be fished for.
    search_fields = (
        "username",
        "email",
        "=citizen__personal_id",
        "business__tax_code",
        "citizen__full_name",
        "official__full_name",
    )
    readonly_fields = ("kind", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        (_("Contact"), {"fields": ("email",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Citizen)
class CitizenAdmin(ShowOnlyMixin, admin.ModelAdmin):
    list_display = ("full_name", "personal_id_masked", "vneid_verified", "user", "created_at")
    list_filter = ("vneid_verified",)
    list_select_related = ("user",)
    search_fields = ("=personal_id", "full_name", "user__username")
    # `personal_id` itself is never a field here: a read-only field would print it in full.
    fields = (
        "user",
        "full_name",
        "personal_id_masked",
        "date_of_birth",
        "phone",
        "address",
        "vneid_verified",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("personal ID number"))
    def personal_id_masked(self, obj: Citizen) -> str:
        return obj.masked_personal_id


@admin.register(Business)
class BusinessAdmin(ShowOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "tax_code", "user", "created_at")
    list_select_related = ("user",)
    search_fields = ("tax_code", "name", "user__username")
    # `representative_personal_id` itself is never a field: only its masked form is shown.
    fields = (
        "user",
        "name",
        "tax_code",
        "representative_masked",
        "phone",
        "address",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("legal representative's personal ID number"))
    def representative_masked(self, obj: Business) -> str:
        return obj.masked_representative_personal_id


class RoleMembershipInline(ShowOnlyMixin, admin.TabularInline):
    model = RoleMembership
    fk_name = "official"
    fields = ("agency", "role", "granted_at", "granted_by")
    readonly_fields = fields
    extra = 0


@admin.register(Official)
class OfficialAdmin(ShowOnlyMixin, admin.ModelAdmin):
    list_display = ("full_name", "position_title", "user", "roles")
    list_select_related = ("user",)
    search_fields = ("full_name", "user__username", "memberships__agency__code")
    fields = ("user", "full_name", "position_title", "phone", "created_at")
    readonly_fields = fields
    inlines = (RoleMembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Official]:
        return super().get_queryset(request).prefetch_related("memberships__agency")

    @admin.display(description=_("roles"))
    def roles(self, obj: Official) -> str:
        return ", ".join(f"{m.get_role_display()} @ {m.agency.code}" for m in obj.memberships.all())


@admin.register(RoleMembership)
class RoleMembershipAdmin(ShowOnlyMixin, admin.ModelAdmin):
    list_display = ("official", "role", "agency", "granted_at", "granted_by")
    list_filter = ("role",)
    list_select_related = ("official", "agency", "granted_by")
    search_fields = ("official__full_name", "agency__code", "agency__name")
    fields = ("official", "agency", "role", "granted_at", "granted_by")
    readonly_fields = fields
