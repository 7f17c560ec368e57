"""Headless Chromium for the end-to-end journeys, driven by Playwright's sync API.

The browser only ever talks to the live test server: every other request is aborted and
reported, so a page that reached out to a CDN or any other site fails its test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
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


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser profile of a Vietnamese-speaking visitor."""
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
    yield context.new_page()
    context.close()
    assert not outside, f"the pages tried to reach other sites: {outside}"
