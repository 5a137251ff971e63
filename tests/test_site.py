"""Static checks of the built site: every page is there, self-contained, linked and accessible."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ASSIGNMENTS, BOOK, DOCUMENTS, REQUIRE_SYSTEM_DEPS, SITE_PAGES

EXTERNAL = re.compile(r"^(https?:)?//")
# Words that name the kind of picture instead of describing it.
GENERIC_ALT = {"image", "img", "figure", "fig", "png", "svg", "plot", "graph", "picture", "chart"}
MIN_ALT_WORDS = 4


@functools.cache
def parse(html_file: Path) -> BeautifulSoup:
    """The parsed file, parsed once per test session (the tests only read it)."""
    return BeautifulSoup(html_file.read_text(), "html.parser")


def soup(site: Path, page: str) -> BeautifulSoup:
    return parse(site / f"{page}.html")


def alt_text_problem(alt: str | None, src: str) -> str | None:
    """What is wrong with ``alt`` as the description of the image at ``src``, or None."""
    text = (alt or "").strip()
    name = PurePosixPath(urlsplit(src).path).name
    if not text:
        return "no alt text"
    if text.lower() in {name.lower(), PurePosixPath(name).stem.lower()}:
        return f"alt text is the file name {text!r}"
    if text.lower().strip(" .") in GENERIC_ALT:
        return f"alt text is a generic word {text!r}"
    if len(text.split()) < MIN_ALT_WORDS:
        return f"alt text {text!r} is too short to describe the image"
    return None


def test_every_document_is_built(site):
    assert [page for page in DOCUMENTS if not (site / f"{page}.html").is_file()] == []


@pytest.mark.parametrize("page", DOCUMENTS)
def test_page_loads_nothing_from_other_hosts(site, page):
    html = soup(site, page)
    resources = [tag.get("src") for tag in html.find_all(["script", "img", "iframe", "source"])]
    resources += [tag.get("href") for tag in html.find_all("link")]
    assert [url for url in resources if url and EXTERNAL.match(url)] == []


def test_stylesheets_load_nothing_from_other_hosts(site):
    for css in (site / "_static").rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(errors="replace"))
        assert [url for url in urls if EXTERNAL.match(url)] == [], css.name


def test_the_pages_have_math(site):
    assert [page for page in DOCUMENTS if soup(site, page).select(".math")], "no page has math"


@pytest.mark.parametrize("page", DOCUMENTS)
def test_math_is_typeset_in_the_page_without_mathjax(site, page):
    """Every formula is SVG with MathML for screen readers; no MathJax script is loaded."""
    html = soup(site, page)
    scripts = [tag.get("src", "") + tag.get_text() for tag in html.find_all("script")]
    assert [s for s in scripts if "mathjax" in s.lower()] == []
    formulas = html.select(".math")
    for math in formulas:
        assert len(math.select("mjx-container > svg")) == 1, f"{page}: {math.get_text()}"
        assert math.select("mjx-assistive-mml > math"), f"{page}: no MathML for screen readers"
    glyphs = {tag["id"] for tag in html.select("#MJX-SVG-global-cache [id]")}
    used = {tag["xlink:href"].removeprefix("#") for tag in html.select("mjx-container use")}
    assert used <= glyphs, f"{page}: glyphs used but not defined: {sorted(used - glyphs)[:5]}"


@pytest.mark.parametrize("page", DOCUMENTS)
def test_every_image_has_meaningful_alt_text_and_every_figure_a_caption(site, page):
    html = soup(site, page)
    problems = [(img["src"], alt_text_problem(img.get("alt"), img["src"])) for img in html("img")]
    assert [(src, problem) for src, problem in problems if problem] == []
    for figure in html.select("main figure"):
        assert figure.find("figcaption"), f"{page}: figure without caption"


def broken_links(site: Path, page: str) -> list[str]:
    """The local links of ``page`` whose file or ``#anchor`` does not exist."""
    html_file = site / f"{page}.html"
    hrefs = [link["href"] for link in parse(html_file).find_all("a", href=True)]
    return [href for href in hrefs if not resolves(site, html_file, href)]


def resolves(site: Path, html_file: Path, href: str) -> bool:
    """Whether ``href`` in ``html_file`` reaches a file of the site (and the anchor in it)."""
    url = urlsplit(href)
    if url.scheme or url.netloc:
        return True  # another site, mailto: or javascript:: not ours to check
    target = (html_file.parent / unquote(url.path)).resolve() if url.path else html_file
    if target.is_dir():
        target /= "index.html"
    if not target.is_file() or not target.is_relative_to(site.resolve()):
        return False
    return not url.fragment or unquote(url.fragment) in ids(target)


@functools.cache
def ids(html_file: Path) -> frozenset[str]:
    """Every fragment a link can point to in ``html_file``: its ids and ``<a name>``s."""
    html = parse(html_file)
    named = [tag["id"] for tag in html.find_all(id=True)]
    named += [tag["name"] for tag in html.find_all("a", attrs={"name": True})]
    return frozenset(named)


@pytest.mark.parametrize("page", SITE_PAGES)
def test_internal_links_reach_an_existing_page_and_anchor(site, page):
    broken = broken_links(site, page)
    if not shutil.which("latexmk") and not REQUIRE_SYSTEM_DEPS:
        broken = [href for href in broken if not href.endswith(BOOK.name)]  # no TeX, no book
    assert broken == []


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_executed_cells_printed_no_error_or_warning(site, page):
    html = soup(site, page)
    assert html.select(".output.traceback, .output.error, .output.stderr") == []
    assert "Traceback (most recent call last)" not in html.get_text()


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_assignment_page_has_the_shape_of_the_design(site, page):
    """Problem, collapsed solution, numerical check, figures, beyond the sheet, references."""
    html = soup(site, page)
    assert html.select(".exercise"), "no exercise block"
    assert html.select(".solution.dropdown"), "no collapsed solution"
    headings = [h.get_text(" ", strip=True).rstrip("#").strip() for h in html.select("main h2")]
    wanted = ["Check it numerically", "Beyond the sheet", "References"]
    found = [w for h in headings for w in wanted if h.startswith(w)]
    assert found == wanted, f"sections in order {wanted}, found {headings}"
    assert html.select("main figure img"), "no figure"
    assert html.select(".footnote-list, .footnote"), "no references cited"


def test_link_check_finds_missing_pages_and_anchors(tmp_path):
    (tmp_path / "a.html").write_text(
        '<p id="here"></p><a href="b.html#there">ok</a><a href="#here">ok</a>'
        '<a href="b.html#gone">no anchor</a><a href="c.html">no page</a>'
        '<a href="https://example.org/x">other site</a>'
    )
    (tmp_path / "b.html").write_text('<h2 id="there">B</h2><a href="a.html#here">ok</a>')
    assert broken_links(tmp_path, "a") == ["b.html#gone", "c.html"]
    assert broken_links(tmp_path, "b") == []


@pytest.mark.parametrize(
    ("alt", "src"),
    [
        ("", "x.png"),
        ("plot", "x.png"),
        ("Figure.", "x.png"),
        ("fig-1", "_images/fig-1.svg"),
        ("A line plot", "x.png"),
    ],
)
def test_alt_text_check_rejects_names_and_generic_words(alt, src):
    assert alt_text_problem(alt, src) is not None
    assert alt_text_problem("Line plot of the loss falling with every step.", src) is None
