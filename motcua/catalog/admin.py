"""Administration of the catalogue: procedures, versions (drafts → publish), import runs.

Published versions are read-only; editing goes through a draft (action "Create a draft"),
which is published with the "Publish" action once checked. The process steps of a draft are
checked against the legal time limit when it is saved and again when it is published.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.actions import do_create_draft, do_publish_version
from motcua.catalog.models import (
    Channel,
    ImportRun,
    LegalBasis,
    Procedure,
    ProcedureField,
    ProcedureOffering,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    ResultDocument,
    VersionStatus,
)
from motcua.catalog.process import StepSpec, validate_process
from motcua.catalog.queries import legal_limit_hours
from motcua.common.errors import DomainError
from motcua.common.text import fold


class _DraftOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

    def _editable(self, obj: ProcedureVersion | None) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ChannelInline(_DraftOnlyInline):
    model = Channel
    fields = ("kind", "time_value", "time_unit", "time_text", "fees", "is_free")


class DocumentInline(_DraftOnlyInline):
    model = RequiredDocument
    fields = ("order", "group", "name", "originals", "copies", "form_template", "mandatory")


class ResultInline(_DraftOnlyInline):
    model = ResultDocument
    fields = ("name", "code", "paper_required")


class LegalBasisInline(_DraftOnlyInline):
    model = LegalBasis
    fields = ("number", "title")


class ProcessStepFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Refuses a process whose budgets exceed the legal limit of the version's channels."""

    def clean(self) -> None:
        super().clean()
        steps = [
            StepSpec(
                form.cleaned_data["kind"],
                form.cleaned_data["role"],
                form.cleaned_data["selector"],
                Decimal(form.cleaned_data["budget_hours"]),
                form.cleaned_data["agency"].code if form.cleaned_data.get("agency") else None,
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not steps:
            return
        try:
            validate_process(steps, legal_limit_hours(self.instance))
        except DomainError as exc:
            raise ValidationError(exc.msg) from exc


class ProcessStepInline(_DraftOnlyInline):
    model = ProcessStep
    formset = ProcessStepFormSet
    fields = ("order", "kind", "role", "selector", "agency", "budget_hours")
    autocomplete_fields = ("agency",)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("procedure", "number", "status", "published_at", "needs_review")
    list_filter = ("status",)
    search_fields = ("procedure__national_code",)
    list_select_related = ("procedure",)
    inlines = (ChannelInline, DocumentInline, ResultInline, LegalBasisInline, ProcessStepInline)
    actions = ("publish",)
    readonly_fields = (
        "procedure",
        "number",
        "status",
        "content_hash",
        "source",
        "published_at",
        "review_reasons_list",
    )
    exclude = ("review_reasons",)
    # Links to the national portal are https; say so rather than rely on Django's old default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(boolean=True, description=_("needs review"))
    def needs_review(self, obj: ProcedureVersion) -> bool:
        return bool(obj.review_reasons)

    @admin.display(description=_("review reasons"))
    def review_reasons_list(self, obj: ProcedureVersion) -> str:
        if not obj.review_reasons:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in obj.review_reasons))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from the importer or from "Create a draft"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            try:
                do_publish_version(version, acting_user=request.user)  # type: ignore[arg-type]
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.msg}", messages.ERROR)
            else:
                self.message_user(
                    request, gettext("%(v)s published.") % {"v": version}, messages.SUCCESS
                )


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcedureVersion
    fields = ("link", "number", "status", "published_at", "source", "change_note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("version"))
    def link(self, obj: ProcedureVersion) -> str:
        url = reverse("admin:catalog_procedureversion_change", args=[obj.pk])
        return format_html('<a href="{}">v{}</a>', url, obj.number)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfferingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcedureOffering
    fields = ("province_code", "level", "local_code", "competent_agency", "is_active")
    autocomplete_fields = ("competent_agency",)
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "national_code",
        "name",
        "field",
        "at_province",
        "at_commune",
        "online_level",
        "usage_weight",
        "needs_review",
    )
    list_filter = ("needs_review", "at_province", "at_commune", "online_level", "field")
    list_select_related = ("field",)
    search_fields = ("national_code", "name_folded")
    readonly_fields = (
        "national_code",
        "current",
        "name",
        "field",
        "at_province",
        "at_commune",
        "online_level",
        "applicant_kinds",
        "needs_review",
    )
    fields = (*readonly_fields, "usage_weight")
    inlines = (VersionInline, OfferingInline)
    actions = ("create_draft",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Procedure], search_term: str
    ) -> tuple[QuerySet[Procedure], bool]:
        # Officials type without accents too: search the folded name.
        return super().get_search_results(request, queryset, fold(search_term))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # procedures come from the national catalogue (import_procedures)

    @admin.action(description=_("Create a draft from the current version"))
    def create_draft(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> None:
        for procedure in queryset:
            try:
                draft = do_create_draft(procedure, acting_user=request.user)  # type: ignore[arg-type]
            except DomainError as exc:
                self.message_user(request, exc.msg, messages.ERROR)
                continue
            url = reverse("admin:catalog_procedureversion_change", args=[draft.pk])
            self.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', gettext("Draft created:"), url, draft),
                messages.SUCCESS,
            )


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug")
    search_fields = ("name_folded",)
    readonly_fields = ("slug",)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "source",
        "started_at",
        "total",
        "new",
        "changed",
        "unchanged",
        "flagged",
        "skipped",
    )
    readonly_fields = (
        "source",
        "started_at",
        "finished_at",
        "total",
        "new",
        "changed",
        "unchanged",
        "flagged",
        "skipped",
        "flagged_list",
    )
    exclude = ("flagged_codes",)

    @admin.display(description=_("flagged procedures"))
    def flagged_list(self, obj: ImportRun) -> str:
        url = reverse("admin:catalog_procedure_changelist")
        return format_html(
            '<p><a href="{}?needs_review__exact=1">{}</a></p><p>{}</p>',
            url,
            gettext("Show every procedure that needs review"),
            ", ".join(obj.flagged_codes),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
