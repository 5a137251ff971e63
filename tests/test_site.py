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


def test_math_is_served_by_the_site(site):
    html = soup(site, "assignments/04-mirror-descent")
    sources = [tag.get("src", "") for tag in html.find_all("script")]
    mathjax = [src for src in sources if "tex-chtml.js" in src]
    assert mathjax, "no MathJax script on a page with math"
    assert (site / "assignments" / mathjax[0].split("?")[0]).resolve().is_file()


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
