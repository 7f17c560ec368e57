"""The internal process: a default derived from the legal limit, and no process longer than
the law allows — refused with a clear message, nothing changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.actions import do_create_draft, do_publish_version, do_set_process
from motcua.catalog.errors import (
    ProcessInvalidError,
    ProcessOverBudgetError,
    VersionNotEditableError,
)
from motcua.catalog.models import Procedure, ProcessStep, VersionStatus
from motcua.catalog.process import (
    StepSpec,
    TimeLimit,
    default_process,
    limit_in_working_hours,
    validate_process,
)
from motcua.catalog.queries import effective_process

D = Decimal


def steps(*hours: str) -> list[StepSpec]:
    kinds = ["receive", "appraise", "approve", "sign", "return"]
    return [
        StepSpec(kinds[i % 5], "specialist", "competent_agency", D(h)) for i, h in enumerate(hours)
    ]


@pytest.mark.parametrize(
    ("limit", "hours"),
    [
        (TimeLimit(D(3), "working_days"), D(24)),
        (TimeLimit(D(4), "hours"), D(4)),
        (TimeLimit(None, "same_day"), D(8)),
        (TimeLimit(D(15), "days"), D(88)),  # 15 calendar days hold at least 11 working days
        (TimeLimit(D(1), "months"), D(168)),  # 30 days → 21 working days
        # A bare number is read as working days, as the dossier clock reads it (worktime.limits).
        (TimeLimit(D(1), "unknown"), D(8)),
        (TimeLimit(None, "working_days"), None),
    ],
)
def test_legal_limit_in_working_hours(limit: TimeLimit, hours: Decimal | None) -> None:
    assert limit_in_working_hours(limit) == hours


@given(st.decimals(min_value=D("0.5"), max_value=D(2000), places=1))
def test_default_process_fills_the_limit_exactly_with_positive_steps(limit: Decimal) -> None:
    process = default_process(limit)
    assert [s.kind for s in process] == ["receive", "appraise", "approve", "sign", "return"]
    assert all(s.budget_hours > 0 for s in process)
    assert sum(s.budget_hours for s in process) == limit
    validate_process(process, limit)  # never refuses its own default


def test_default_process_for_three_working_days() -> None:
    assert [s.budget_hours for s in default_process(D(24))] == [
        D(1),
        D("15.5"),
        D("3.5"),
        D(2),
        D(2),
    ]


def test_a_process_over_the_legal_limit_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ProcessOverBudgetError) as caught:
        validate_process(steps("2", "20", "4"), D(24))
    with translation.override("en"):
        assert caught.value.msg == (
            "The process steps take 26 working hours in all, more than the legal time limit "
            "of 24 working hours. Shorten the steps."
        )
    with translation.override("vi"):
        assert "26" in caught.value.msg and "24" in caught.value.msg
        assert "giờ làm việc" in caught.value.msg
    validate_process(steps("2", "18", "4"), D(24))  # exactly the limit is lawful


@pytest.mark.parametrize(
    ("process", "reason"),
    [
        ([], "it has no steps"),
        (steps("2", "0"), "step 2 has no time budget"),
        ([StepSpec("appraise", "specialist", "named_agency", D(2))], "step 1 names no agency"),
    ],
)
def test_malformed_processes_are_refused(process: list[StepSpec], reason: str) -> None:
    with translation.override("en"), pytest.raises(ProcessInvalidError, match=reason):
        validate_process(process, D(24))


@pytest.mark.django_db
def test_drafts_carry_a_process_that_publication_checks(catalogue: None) -> None:
    # Birth registration: the record gives no usable unit; the draft states one working day.
    procedure = Procedure.objects.get(national_code="1.001193")
    draft = do_create_draft(procedure, acting_user=None)
    assert draft.status == VersionStatus.DRAFT
    assert draft.number == procedure.current.number + 1
    assert draft.channels.count() == procedure.current.channels.count()
    assert draft.documents.count() == procedure.current.documents.count()
    for channel in draft.channels.all():
        channel.time_value, channel.time_unit = D(1), "working_days"
        channel.save()

    with pytest.raises(ProcessOverBudgetError):
        do_set_process(draft, steps("1", "6", "2"), acting_user=None)
    assert not ProcessStep.objects.filter(version=draft).exists()  # nothing written

    do_set_process(draft, steps("1", "4", "2", "1"), acting_user=None)
    process, is_default = effective_process(draft)
    assert not is_default
    assert sum(s.budget_hours for s in process) == D(8)

    do_publish_version(draft, acting_user=None)
    procedure.refresh_from_db()
    assert procedure.current == draft
    with pytest.raises(VersionNotEditableError):
        do_set_process(draft, steps("1"), acting_user=None)
    with pytest.raises(VersionNotEditableError):
        do_publish_version(draft, acting_user=None)


@pytest.mark.django_db
def test_a_version_without_a_configured_process_gets_the_default(catalogue: None) -> None:
    version = Procedure.objects.get(national_code="1.000894").current
    assert version is not None
    process, is_default = effective_process(version)
    assert is_default
    assert len(process) == 5


@pytest.mark.django_db
def test_the_admin_refuses_an_over_budget_process(catalogue: None, admin_client: Client) -> None:
    procedure = Procedure.objects.get(national_code="1.001193")
    draft = do_create_draft(procedure, acting_user=None)
    for channel in draft.channels.all():
        channel.time_value, channel.time_unit = D(1), "working_days"
        channel.save()
    url = f"/admin/catalog/procedureversion/{draft.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{prefix}-{name}"] = management.initial.get(name, field.initial) or 0
        for i, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if value is not None:
                    data[f"{prefix}-{i}-{name}"] = value
    data["process_steps-TOTAL_FORMS"] = 2
    data.update(
        {
            "process_steps-0-order": 1,
            "process_steps-0-kind": "appraise",
            "process_steps-0-role": "specialist",
            "process_steps-0-selector": "competent_agency",
            "process_steps-0-budget_hours": "6",
            "process_steps-1-order": 2,
            "process_steps-1-kind": "approve",
            "process_steps-1-role": "leader",
            "process_steps-1-selector": "competent_agency",
            "process_steps-1-budget_hours": "3",
        }
    )
    admin_client.cookies["django_language"] = "en"
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    assert "more than the legal time limit of 8 working hours" in response.content.decode()
    assert not ProcessStep.objects.filter(version=draft).exists()
