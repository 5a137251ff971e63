"""Every page of the built site in headless Chromium, with every host but the site unreachable.

Each page is opened once (a module-scoped fixture, parametrised by page, so pytest runs all
the tests of one page together) and the tests below look at it in turn, in file order:
math, images, accessibility, screenshots light and dark, a phone-sized screen, the copy
button, the solutions, and finally everything that went wrong while it was open.
Screenshots go to _build/screenshots. The check of what a screen reader gets opens each
page once more, in a Chromium that keeps its accessibility tree from the start.

Needs Chromium (`make system-deps`). Without it these tests are skipped, unless
SEMINAR_REQUIRE_SYSTEM_DEPS=1 (as in CI), which turns a missing browser into a failure.
"""

from __future__ import annotations

import pickle
import re
from urllib.parse import quote, urlsplit

import pytest
from browser import (
    DESKTOP,
    PHONE,
    OneAhead,
    accessibility_violations,
    find_chromium,
    follow_system_theme,
    launched,
    load_images,
    screenshot,
    serve,
    styles_under,
    transparent_pixels,
    visit,
)
from bundled_styles import SOURCES as BUNDLE_SOURCES
from conftest import ASSIGNMENTS, DOCTREES, DOCUMENTS, SITE, SITE_PAGES, SOURCES, skip_without
from docutils import nodes
from playwright.sync_api import sync_playwright
from test_site import alt_text_problem, soup

pytestmark = pytest.mark.browser

skip_without("Chromium", find_chromium(), "the site in a browser")

SCREENSHOTS = SITE.parent / "screenshots"
SEARCH_TERMS = ["FGSM", "receptive field"]
SERIOUS = {"serious", "critical"}
# Sphinx's expand/collapse control in the module index: an icon, alt="-", not a picture.
SPHINX_ICONS = {"_static/minus.png", "_static/plus.png"}
# axe-core findings in markup that Sphinx and its theme write, not this site; each is
# explained in the README's "Accessibility" section. (rule, pattern of the element's selector)
THEME_VIOLATIONS = [
    # docutils: role="doc-biblioentry" items in a role="list" (a listitem in DPUB-ARIA 1.0)
    ("aria-required-children", re.compile(r"^\.citation-list$")),
]


def has_code(page: str) -> bool:
    return 'class="highlight' in (SITE / f"{page}.html").read_text()


CODE_PAGES = [page for page in SITE_PAGES if (SITE / f"{page}.html").is_file() and has_code(page)]


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright):
    with launched(playwright) as running:
        yield running


@pytest.fixture(scope="module")
def screen_reader_browser(playwright):
    """A Chromium as a screen reader meets pages: its accessibility tree is kept from the
    start. Only for the test that reads that tree: keeping it up to date made axe, the
    restyles and the screenshots of the longest pages 25 to 90 % slower."""
    with launched(playwright, screen_reader=True) as running:
        yield running


@pytest.fixture(scope="module")
def base(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(browser, base):
    """Opens the pages in the order pytest visits them (SITE_PAGES), one page ahead."""
    ahead = OneAhead(browser, base, [f"{page}.html" for page in SITE_PAGES])
    yield ahead
    ahead.close()


@pytest.fixture(scope="module")
def opened(request, pages):
    """The page ``request.param``, opened once on a desktop screen for all its tests."""
    page = pages.open(f"{request.param}.html")
    yield page
    page.page.context.close()


def on_pages(pages: list[str]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("opened", pages, indirect=True)


def formulas_in_source(page: str) -> int:
    """The math nodes of the page as Sphinx read it (its doctree); 0 for generated pages."""
    doctree = DOCTREES / f"{page}.doctree"
    if not doctree.is_file():
        return 0
    tree = pickle.loads(doctree.read_bytes())
    return sum(1 for _ in tree.findall(lambda n: isinstance(n, nodes.math | nodes.math_block)))


@on_pages(SITE_PAGES)
def test_every_formula_is_typeset(site, opened):
    page = opened.path.removesuffix(".html")
    written = len(soup(site, page)(class_="math"))  # one element per formula Sphinx wrote
    typeset = opened.page.locator(".math > mjx-container > svg").count()
    assert typeset == written
    assert typeset >= formulas_in_source(page)  # glued outputs can add formulas, never drop any
    assert opened.page.locator("mjx-merror").count() == 0  # and none has a TeX error


@on_pages(SITE_PAGES)
def test_every_image_loads_and_has_meaningful_alt_text(opened):
    images = load_images(opened.page)
    assert [image["src"] for image in images if not image["width"]] == [], "broken images"
    pictures = [image for image in images if image["src"] not in SPHINX_ICONS]
    problems = [(image["src"], alt_text_problem(image["alt"], image["src"])) for image in pictures]
    assert [(src, problem) for src, problem in problems if problem] == []


@on_pages(SITE_PAGES)
def test_no_serious_accessibility_violations(opened):
    found = [v for v in accessibility_violations(opened.page) if v[1] in SERIOUS]
    ours = [v for v in found if not any(v[0] == r and p.search(v[2]) for r, p in THEME_VIOLATIONS)]
    assert ours == []


VISIBLE_FORMULAS = """[...document.querySelectorAll("mjx-container")]
    .filter(formula => formula.checkVisibility({visibilityProperty: true})).length"""


@on_pages(SITE_PAGES)
def test_full_page_screenshot_in_light_mode(opened):
    png = screenshot(opened.page, SCREENSHOTS, opened.path, "desktop")
    assert png.read_bytes().startswith(b"\x89PNG")


@on_pages(SITE_PAGES)
def test_dark_mode_keeps_every_figure_on_an_opaque_background(opened):
    assert follow_system_theme(opened.page, "dark") == "dark"
    screenshot(opened.page, SCREENSHOTS, opened.path, "desktop-dark")
    see_through = {src: n for src, n in transparent_pixels(opened.page).items() if n}
    follow_system_theme(opened.page, "light")
    assert see_through == {}, "figures with transparent pixels (unreadable on a dark page)"


@on_pages(SITE_PAGES)
def test_phone_screen_needs_no_sideways_scrolling(opened):
    # A 390 px wide viewport lays the page out as a phone does (the pages set
    # width=device-width); a wider document would scroll sideways.
    opened.page.set_viewport_size(PHONE)
    try:
        width = opened.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    finally:
        opened.page.set_viewport_size(DESKTOP)
    assert width[0] <= width[1], f"page is {width[0]} px wide on a {width[1]} px screen"


def joined_sheets() -> list[str]:
    """The stylesheets the site's bundle joins (its sources.css), relative to the site."""
    sources = SITE / BUNDLE_SOURCES
    imports = re.findall(r'@import "([^"]*)";', sources.read_text(encoding="utf-8"))
    return [(sources.parent / path).resolve().relative_to(SITE).as_posix() for path in imports]


@on_pages(SITE_PAGES)
def test_bundled_stylesheet_styles_every_element_as_the_originals_do(base, opened):
    """Dropping rules from the bundle changed no element: the page's computed styles are the
    same with the theme's and extensions' own stylesheets linked instead. On a phone in dark
    mode, so that the narrow-screen and dark rules count; hidden elements count too."""
    opened.page.set_viewport_size(PHONE)
    follow_system_theme(opened.page, "dark")
    try:
        bundled, original = styles_under(opened.page, [base + s for s in joined_sheets()])
    finally:
        follow_system_theme(opened.page, "light")
        opened.page.set_viewport_size(DESKTOP)
    differing = [(b, o) for b, o in zip(bundled, original, strict=True) if b != o]
    assert differing == [], f"{len(differing)} elements styled differently: {differing[:3]}"


@on_pages(CODE_PAGES)
def test_copy_button_puts_the_code_on_the_clipboard(opened):
    block = opened.page.locator("div.highlight:visible:has(.copybtn)").first
    block.hover()
    block.locator(".copybtn").click()
    copied = opened.page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == block.locator("pre").inner_text().strip()


@on_pages(ASSIGNMENTS)
def test_solutions_start_collapsed_and_open_on_click(opened):
    solutions = opened.page.locator(".solution.dropdown")
    assert solutions.count() > 0
    for solution in solutions.all():
        body = solution.locator(".solution-content, #solution-content").first
        assert not body.is_visible()
        solution.locator(".toggle-button").first.click()
        assert body.is_visible()


@on_pages(SITE_PAGES)
def test_page_works_offline_without_errors(opened):
    """Checked last: everything the tests above did on the page counts."""
    assert opened.blocked == [], "requests to other hosts"
    assert opened.failed == []
    assert opened.console_errors == []


@pytest.mark.parametrize("page", SITE_PAGES)
def test_screen_readers_get_every_visible_formula_as_mathml(screen_reader_browser, base, page):
    """Each formula shown is in the accessibility tree as MathML (its SVG is aria-hidden),
    subsections not laid out yet included; those in collapsed hints and solutions join it
    when opened."""
    opened = visit(screen_reader_browser, base, f"{page}.html")
    try:
        cdp = opened.page.context.new_cdp_session(opened.page)
        document = cdp.send("DOM.getDocument", {"depth": 0})["root"]["backendNodeId"]
        # The formulas' nodes only: the whole tree of a long page takes seconds to send.
        query = {"backendNodeId": document, "role": "MathMLMath"}
        spoken = cdp.send("Accessibility.queryAXTree", query)["nodes"]
        shown = opened.page.evaluate(VISIBLE_FORMULAS)
    finally:
        opened.page.context.close()
    assert len([n for n in spoken if not n.get("ignored")]) == shown


def page_about(term: str) -> str | None:
    """The page whose source mentions ``term`` most often; None if none mentions it."""
    mentions = {page: SOURCES[page].read_text().lower().count(term.lower()) for page in DOCUMENTS}
    best = max(mentions, key=mentions.__getitem__)
    return best if mentions[best] else None


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_without_scripts_hints_and_solutions_are_open(browser, base, page):
    """Collapsing needs sphinx-togglebutton's script; a reader without scripts gets them open."""
    context = browser.new_context(java_script_enabled=False)
    try:
        opened = context.new_page()
        opened.goto(f"{base}{page}.html")
        dropdowns = opened.locator(".admonition.dropdown")
        assert dropdowns.count() > 0
        for dropdown in dropdowns.all():
            assert dropdown.locator(":scope > :not(.admonition-title)").first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_hints_and_solutions_are_collapsed_before_their_script_runs(browser, base, page):
    """A reader never sees a solution open while the page loads: with sphinx-togglebutton's
    script held back, every dropdown shows its title alone."""
    context = browser.new_context()
    try:
        context.route("**/togglebutton.js*", lambda route: route.abort())
        opened = context.new_page()
        opened.goto(f"{base}{page}.html")
        dropdowns = opened.locator(".admonition.dropdown")
        assert dropdowns.count() > 0
        for dropdown in dropdowns.all():
            assert dropdown.locator(":scope > .admonition-title").is_visible()
            assert dropdown.locator(":scope > :not(.admonition-title):visible").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_the_page_about(browser, base, term):
    expected = page_about(term)
    if expected is None:
        pytest.skip(f"no page mentions {term!r} yet")
    searched = visit(browser, base, f"search.html?q={quote(term)}")
    summary = searched.page.locator("#search-results .search-summary")
    summary.filter(has_text=re.compile(r"\S")).wait_for()  # filled in when the search ends
    links = searched.page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    searched.page.context.close()
    found = {urlsplit(link).path.removesuffix(".html") for link in links}
    assert expected in found


# Where a search field's typed text starts, and where its magnifying glass ends (px).
SEARCH_FIELD_LAYOUT = """form => {
    const field = form.querySelector("input"), icon = form.querySelector(".fa-magnifying-glass");
    const padding = parseFloat(getComputedStyle(field).paddingLeft);
    const text = field.getBoundingClientRect().left + padding;
    return [text, icon.getBoundingClientRect().right];
}"""


def test_the_magnifying_glass_leaves_the_typed_text_free(browser, base):
    """In the search page's field and in the search dialog, the icon sits before the text."""
    searched = visit(browser, base, "search.html?q=mirror")
    page = searched.page
    try:
        text, icon = page.locator(".bd-search-container form.bd-search").evaluate(
            SEARCH_FIELD_LAYOUT
        )
        assert icon <= text
        page.locator(".search-button-field").first.click()
        text, icon = page.locator("#pst-search-dialog form.bd-search").evaluate(SEARCH_FIELD_LAYOUT)
        assert icon <= text
    finally:
        page.context.close()


def test_dark_mode_follows_the_system_setting_from_the_first_paint(browser, base):
    dark = visit(browser, base, "index.html", dark=True)
    assert dark.page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert dark.console_errors == []
    dark.page.context.close()
