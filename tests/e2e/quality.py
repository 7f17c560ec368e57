"""What every page a browser test visits must satisfy: accessible and light.

- **Accessibility**: axe-core (bundled by axe-playwright-python, no network) finds no serious or
  critical violation of WCAG 2.0/2.1/2.2 A and AA on the page as the user sees it.
- **Weight**: the page's HTML, CSS and JavaScript together stay under 60 KB once compressed,
  before images, so that a cheap phone on a weak network gets it in a few seconds. The HTML is
  the page's document as rendered (forms filled, messages shown); the stylesheets and scripts
  are fetched again with the page's own cookies and compressed here, so the figure does not
  depend on whether the test server compresses.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WEIGHT_BUDGET = 60 * 1024
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


@dataclass(frozen=True)
class PageWeight:
    html: int
    assets: dict[str, int]

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())


def accessibility_violations(page: Page) -> list[str]:
    """Serious and critical axe violations, one readable line per rule and element."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        f"{' '.join(node['target'])}"
        for violation in results["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
        for node in violation["nodes"]
    ]


def page_weight(page: Page) -> PageWeight:
    """The compressed size of the page's HTML and of each stylesheet and script it loaded."""
    html = len(gzip.compress(page.content().encode()))
    urls = page.evaluate(
        """() => performance.getEntriesByType('resource')
            .filter(e => e.initiatorType === 'link' || e.initiatorType === 'script'
                         || e.initiatorType === 'css' || e.name.endsWith('.js')
                         || e.name.endsWith('.css'))
            .map(e => e.name)"""
    )
    assets = {}
    for url in dict.fromkeys(urls):
        response = page.request.get(url)
        kind = response.headers.get("content-type", "")
        if "css" in kind or "javascript" in kind:
            assets[url] = len(gzip.compress(response.body()))
    return PageWeight(html=html, assets=assets)


def check_page(page: Page) -> None:
    """Fail the test when the page the browser shows is not accessible or too heavy."""
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}: accessibility violations:\n" + "\n".join(violations)
    weight = page_weight(page)
    assert weight.total < WEIGHT_BUDGET, (
        f"{page.url} weighs {weight.total} bytes compressed (HTML {weight.html}, "
        f"assets {weight.assets}); the budget is {WEIGHT_BUDGET}"
    )
