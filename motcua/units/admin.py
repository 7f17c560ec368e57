"""Administration of units (reference data) and agencies with their counters."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.common.text import fold
from motcua.units.models import Agency, Counter, Unit, UnitSuccession


class FoldedSearchMixin:
    """Search the accent-folded name, so "chiem hoa" finds "Xã Chiêm Hoá"."""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):  # type: ignore[no-untyped-def,type-arg]
        return super().get_search_results(request, queryset, fold(search_term))  # type: ignore[misc]


class SuccessorInline(admin.TabularInline):  # type: ignore[type-arg]
    model = UnitSuccession
    fk_name = "predecessor"
    fields = ("successor", "kind", "effective", "note")
    raw_id_fields = ("successor",)
    extra = 0
    verbose_name = _("successor")
    verbose_name_plural = _("successors")


class PredecessorInline(SuccessorInline):
    fk_name = "successor"
    fields = ("predecessor", "kind", "effective", "note")
    raw_id_fields = ("predecessor",)
    verbose_name = _("predecessor")
    verbose_name_plural = _("predecessors")


class CurrentFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [("yes", _("Current")), ("no", _("Historical"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Unit]) -> QuerySet[Unit]:
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(Unit)
class UnitAdmin(FoldedSearchMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "type", "parent", "valid_from", "valid_to")
    list_filter = (CurrentFilter, "type", "level")
    list_select_related = ("parent",)
    search_fields = ("code", "name_folded")
    raw_id_fields = ("parent",)
    inlines = (PredecessorInline, SuccessorInline)


class CounterInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Counter
    fields = ("number", "name", "fields", "is_active")
    extra = 0


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active", "province_code")
    list_select_related = ("unit",)
    search_fields = ("code", "name_folded")
    raw_id_fields = ("unit", "parent")
    inlines = (CounterInline,)
