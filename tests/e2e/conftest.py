"""Headless Chromium for the end-to-end journeys, driven by Playwright's sync API.

The browser only ever talks to the live test server: every other request is aborted and
reported, so a page that reached out to a CDN or any other site fails its test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.nodes import Item
from _pytest.reports import TestReport
from django.core.management import call_command
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.tests.conftest import People, make_people
from motcua.notifications.sms import MemorySmsGateway

CHROMIUM = Path("/usr/bin/chromium")
# Where a failing browser test leaves a screenshot of the page as it was (var/ is not committed).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: Item) -> Iterator[TestReport]:
    """Keep each phase's report on the test, so the page fixture knows whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh browser profile of a Vietnamese-speaking visitor; a screenshot if the test fails."""
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    outside: list[str] = []

    def keep_local(route: Route, request: Request) -> None:
        if request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", keep_local)
    browser_page = context.new_page()
    yield browser_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{request.node.name}.png"
        browser_page.screenshot(path=str(shot), full_page=True)
        report.sections.append(("screenshot", f"the failing page: {shot}"))
    context.close()
    assert not outside, f"the pages tried to reach other sites: {outside}"


@pytest.fixture
def province(
    transactional_db: None, unit_register: None, settings: Settings, tmp_path: Path
) -> None:
    """The demo province and its catalogue (live-server tests empty the tables after each test,
    so they are loaded again when needed); uploads kept in a temporary directory."""
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)


@pytest.fixture
def people(province: None) -> People:
    """The dossier tests' people: a citizen, the provincial centre's receiver, the Department of
    Justice's specialist, leader and clerk (motcua/dossiers/tests/conftest.py)."""
    return make_people()


@pytest.fixture
def outbox(transactional_db: None) -> Iterator[list[object]]:
    """The SMS the live server sent (the tests' gateway keeps them in this process)."""
    MemorySmsGateway.reset()
    yield MemorySmsGateway.outbox
    MemorySmsGateway.reset()


@pytest.fixture
def second_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """Another person's browser (another official, a stranger), at the same time."""
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
