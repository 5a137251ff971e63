"""Static checks of the built site: every page is there, self-contained and accessible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ASSIGNMENTS = [
    "assignments/01-receptive-fields",
    "assignments/02-trust-region-fgsm",
    "assignments/03-weight-decay-normalization",
    "assignments/04-mirror-descent",
]
PAGES = ["index", *ASSIGNMENTS, "api", "references"]
EXTERNAL = re.compile(r"^(https?:)?//")


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{page}.html").read_text(), "html.parser")


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_nothing_from_other_hosts(site, page):
    html = soup(site, page)
    resources = [tag.get("src") for tag in html.find_all(["script", "img", "iframe", "source"])]
    resources += [tag.get("href") for tag in html.find_all("link")]
    assert [url for url in resources if url and EXTERNAL.match(url)] == []


def test_stylesheets_load_nothing_from_other_hosts(site):
    for css in (site / "_static").rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(errors="replace"))
        assert [url for url in urls if EXTERNAL.match(url)] == [], css.name


@pytest.mark.parametrize("page", ["index", *ASSIGNMENTS, "api"])
def test_math_is_typeset_in_the_page_without_mathjax(site, page):
    """Every formula is SVG with MathML for screen readers; no MathJax script is loaded."""
    html = soup(site, page)
    scripts = [tag.get("src", "") + tag.get_text() for tag in html.find_all("script")]
    assert [s for s in scripts if "mathjax" in s.lower()] == []
    formulas = html.select(".math")
    assert formulas, f"{page}: no math"
    for math in formulas:
        assert len(math.select("mjx-container > svg")) == 1, f"{page}: {math.get_text()}"
        assert math.select("mjx-assistive-mml > math"), f"{page}: no MathML for screen readers"
    glyphs = {tag["id"] for tag in html.select("#MJX-SVG-global-cache [id]")}
    used = {tag["xlink:href"].removeprefix("#") for tag in html.select("mjx-container use")}
    assert used <= glyphs, f"{page}: glyphs used but not defined: {sorted(used - glyphs)[:5]}"


@pytest.mark.parametrize("page", PAGES)
def test_every_image_has_alt_text_and_every_figure_a_caption(site, page):
    html = soup(site, page)
    for image in html.select("main img"):
        assert image.get("alt", "").strip(), f"{page}: image {image.get('src')} has no alt text"
    for figure in html.select("main figure"):
        assert figure.find("figcaption"), f"{page}: figure without caption"


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
