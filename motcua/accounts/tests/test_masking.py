"""A personal ID number never leaves in full: admin pages, str/repr, errors and logs."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import Client

from motcua.accounts.actions import do_register_citizen
from motcua.accounts.masking import MaskPersonalIdFilter, mask_ids_in_text, mask_personal_id
from motcua.accounts.models import Citizen

ID = "035199000123"
MASKED = "0351******23"


@pytest.fixture
def citizen(db: None) -> Citizen:
    return do_register_citizen(
        username="hoa.nguyen",
        password="mật-khẩu-đủ-dài-2026",
        full_name="Nguyễn Thị Hoà",
        personal_id=ID,
    )


def test_mask_keeps_four_leading_and_two_trailing_digits() -> None:
    assert mask_personal_id(ID) == MASKED
    assert mask_personal_id(" 035199000123 ") == MASKED
    assert mask_personal_id("12345") == "*****"


def test_only_twelve_digit_runs_are_masked_in_text() -> None:
    text = f"ID {ID}, tax code 0314409058002, phone 0912345678, ref {ID}x"
    assert mask_ids_in_text(text) == (
        f"ID {MASKED}, tax code 0314409058002, phone 0912345678, ref {MASKED}x"
    )


def test_str_and_repr_show_the_masked_number(citizen: Citizen) -> None:
    assert str(citizen) == f"Nguyễn Thị Hoà ({MASKED})"
    assert ID not in repr(citizen)
    assert MASKED in repr(citizen)


def test_admin_changelist_and_detail_show_it_masked(admin_client: Client, citizen: Citizen) -> None:
    for url in (
        "/admin/accounts/citizen/",
        f"/admin/accounts/citizen/{citizen.id}/change/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{citizen.user_id}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert ID not in response.content.decode(), url
    html = admin_client.get("/admin/accounts/citizen/").content.decode()
    assert MASKED in html
    assert (
        MASKED in admin_client.get(f"/admin/accounts/citizen/{citizen.id}/change/").content.decode()
    )


def test_admin_search_finds_the_full_number_but_not_fragments(
    admin_client: Client, citizen: Citizen
) -> None:
    found = admin_client.get("/admin/accounts/citizen/", {"q": ID})
    assert list(found.context["cl"].result_list) == [citizen]
    # Exact match only, so nobody can walk the number space digit by digit.
    partial = admin_client.get("/admin/accounts/citizen/", {"q": ID[:8]})
    assert list(partial.context["cl"].result_list) == []
    users = admin_client.get("/admin/accounts/user/", {"q": ID})
    assert list(users.context["cl"].result_list) == [citizen.user]


def test_the_admin_cannot_add_change_or_delete_profiles(
    admin_client: Client, citizen: Citizen
) -> None:
    assert admin_client.get("/admin/accounts/citizen/add/").status_code == 403
    assert admin_client.get("/admin/accounts/user/add/").status_code == 403
    response = admin_client.post(
        f"/admin/accounts/citizen/{citizen.id}/change/", {"full_name": "Someone else"}
    )
    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị Hoà"


def test_other_admin_pages_render(admin_client: Client, citizen: Citizen) -> None:
    for url in (
        "/admin/accounts/business/",
        "/admin/accounts/official/",
        "/admin/accounts/rolemembership/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_the_log_filter_masks_message_extra_and_traceback(caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(MaskPersonalIdFilter())
    logger = logging.getLogger("motcua.test")
    with caplog.at_level(logging.INFO, logger="motcua.test"):
        logger.info("Looked up %s", ID, extra={"personal_id": ID})
        try:
            raise ValueError(f"Key (personal_id)=({ID}) already exists.")
        except ValueError:
            logger.exception("Insert failed")
    assert ID not in caplog.text
    assert caplog.text.count(MASKED) == 2  # the message and the traceback
    assert caplog.records[0].personal_id == MASKED  # type: ignore[attr-defined]


def test_the_console_handler_is_configured_with_the_filter() -> None:
    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["mask_personal_ids"]
    assert settings.LOGGING["filters"]["mask_personal_ids"]["()"] == (
        "motcua.accounts.masking.MaskPersonalIdFilter"
    )
