"""A citizen finds birth registration and submits it online, with and without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, Route
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.actions import do_register_citizen
from tests.e2e.steps import CITIZEN_PASSWORD, submit_birth_registration

pytestmark = pytest.mark.browser


@pytest.fixture
def citizen(province: None) -> str:
    """A registered citizen of the demo province."""
    do_register_citizen(
        username="me.cua.be",
        password=CITIZEN_PASSWORD,
        full_name="Lê Thị Mai",
        personal_id="002190004321",
    )
    return "me.cua.be"


@pytest.fixture
def page_without_js(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    outside: list[str] = []

    def keep_local(route: Route, request: Request) -> None:
        if request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", keep_local)
    yield context.new_page()
    context.close()
    assert not outside, f"the pages tried to reach other sites: {outside}"


def test_citizen_submits_birth_registration_online(page: Page, citizen: str) -> None:
    submit_birth_registration(page, citizen)


def test_the_same_submission_works_with_javascript_off(page_without_js: Page, citizen: str) -> None:
    submit_birth_registration(page_without_js, citizen, checked=False)
