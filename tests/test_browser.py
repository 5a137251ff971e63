"""The built site in headless Chromium, with every host but the site itself unreachable.

Needs Chromium (`make system-deps`). Without it these tests are skipped, unless
SEMINAR_REQUIRE_BROWSER=1 (as in CI), which turns a missing browser into a failure.
"""

from __future__ import annotations

import os

import pytest
from browser import chromium, find_chromium, serve, visit
from test_site import ASSIGNMENTS, PAGES

pytestmark = pytest.mark.browser

if find_chromium() is None:
    if os.environ.get("SEMINAR_REQUIRE_BROWSER") == "1":
        raise RuntimeError("SEMINAR_REQUIRE_BROWSER=1 but no Chromium: run `make system-deps`")
    pytest.skip("no Chromium: `make system-deps` installs it", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def base(site):
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline_with_math_and_no_errors(browser, base, page):
    visit_ = visit(browser, base, f"{page}.html")
    assert visit_.blocked == [], "requests to other hosts"
    assert visit_.failed == []
    assert visit_.console_errors == []
    math = visit_.page.locator(".math").count()
    assert visit_.page.locator("mjx-container").count() == math  # every formula typeset
    assert visit_.page.locator("mjx-merror").count() == 0  # and none has a TeX error
    # Figures below the fold load lazily: load them all (or fail) before the check.
    load = "i => (i.loading = 'eager', i.decode().catch(() => 0))"
    visit_.page.evaluate(f"Promise.all([...document.images].map({load}))")
    broken = visit_.page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []
    visit_.page.context.close()


@pytest.mark.parametrize("page", PAGES)
def test_phone_screen_needs_no_sideways_scrolling(browser, base, page):
    visit_ = visit(browser, base, f"{page}.html", phone=True)
    width = visit_.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide on a {width[1]} px screen"
    visit_.page.context.close()


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_solutions_stay_collapsed_until_clicked(browser, base, page):
    visit_ = visit(browser, base, f"{page}.html")
    solutions = visit_.page.locator(".solution.dropdown")
    assert solutions.count() > 0
    first = solutions.first
    body = first.locator("#solution-content")
    assert not body.is_visible()
    first.locator(".toggle-button").click()
    assert body.is_visible()
    visit_.page.context.close()


def test_dark_mode_follows_the_system_setting(browser, base):
    visit_ = visit(browser, base, "index.html", dark=True)
    assert visit_.page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert visit_.console_errors == []
    visit_.page.context.close()
