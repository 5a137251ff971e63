"""The shape of every assignment page, read off the built HTML (docs/DESIGN rules).

- A solution holds the answer: at most 900 words a part and 2000 a page, formulas and
  code not counted.
- Every figure is cited, and sits in the same top-level section as its first citation.
- Page N numbers its equations (N.k) and its figures and theorems N.k.
- No Python repr (``np.float64(...)``, ``array(...)``) in the text a reader sees.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ASSIGNMENTS
from test_site import soup

MAX_WORDS_PER_SOLUTION = 900
MAX_WORDS_PER_PAGE = 2000
WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")  # words (not numbers), apostrophes kept
# Formulas, code, and the solution's own title are not counted.
NOT_PROSE = ".math, mjx-container, div.cell, div.highlight, pre, .admonition-title"
PYTHON_REPR = re.compile(r"\b(np|numpy)\.\w+\(|\barray\(\[|\bnp\.(True|False)_\b")


def prose_words(element: Tag) -> int:
    """The words of ``element`` outside its formulas and code."""
    copy = BeautifulSoup(str(element), "html.parser")
    for part in copy.select(NOT_PROSE):
        part.decompose()
    return len(WORD.findall(copy.get_text(" ")))


def top_section(element: Tag) -> Tag | None:
    """The section of the page's top level (an ``h2``) that holds ``element``."""
    sections = [s for s in element.parents if s.name == "section"]
    return sections[-2] if len(sections) >= 2 else None


def heading(section: Tag | None) -> str:
    return section.find(re.compile("h[1-6]")).get_text(" ", strip=True) if section else "-"


def page_number(html: BeautifulSoup) -> str:
    """The page's number in the site's numbered toctree ("1" for assignment 1)."""
    number = html.select_one("main h1 .section-number")
    assert number is not None, "the page has no number: is it in the numbered toctree?"
    return number.get_text(strip=True).rstrip(".")


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_solutions_hold_the_answer_and_nothing_more(site, page):
    counts = {s["id"]: prose_words(s) for s in soup(site, page).select("div.solution")}
    assert counts, "no solution on the page"
    long = {name: n for name, n in counts.items() if n > MAX_WORDS_PER_SOLUTION}
    assert long == {}, f"solutions over {MAX_WORDS_PER_SOLUTION} words: move the rest beyond"
    assert sum(counts.values()) <= MAX_WORDS_PER_PAGE, f"solutions of the page: {counts}"


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_every_figure_is_cited_and_sits_beside_its_first_citation(site, page):
    html = soup(site, page)
    headings = [h.get_text(" ", strip=True) for h in html.select("main h2")]
    assert not [h for h in headings if h.lower().startswith("figures")], "a Figures section"
    for figure in html.select("main figure[id]"):
        citations = html.select(f'main a[href="#{figure["id"]}"]')
        assert citations, f"figure {figure['id']} is never cited"
        assert heading(top_section(figure)) == heading(top_section(citations[0])), (
            f"figure {figure['id']} is in {heading(top_section(figure))!r}, "
            f"its first citation in {heading(top_section(citations[0]))!r}"
        )


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_numbers_are_per_assignment(site, page):
    html = soup(site, page)
    number = page_number(html)
    equations = [e.get_text(strip=True) for e in html.select("main .eqno")]
    captions = [c.get_text(strip=True) for c in html.select("main .caption-number")]
    assert equations or captions, "nothing numbered on the page"
    assert [e for e in equations if not e.startswith(f"({number}.")] == []
    assert [c for c in captions if not re.search(rf"\b{number}\.\d+$", c)] == []


@pytest.mark.parametrize("page", ASSIGNMENTS)
def test_no_python_repr_in_the_text(site, page):
    main = BeautifulSoup(str(soup(site, page).select_one("main")), "html.parser")
    for code in main.select("div.cell_input, div.highlight, pre"):
        code.decompose()
    text = main.get_text(" ")
    assert [text[m.start() - 30 : m.end() + 10] for m in PYTHON_REPR.finditer(text)] == []


def test_word_count_leaves_out_formulas_and_code():
    html = BeautifulSoup(
        '<div><p>Two words <span class="math">a + b = c</span></p>'
        '<div class="cell"><pre>x = 1</pre></div></div>',
        "html.parser",
    )
    assert prose_words(html.div) == 2


def test_repr_check_finds_numpy_scalars_and_arrays():
    assert PYTHON_REPR.search("of np.int64(886) steps")
    assert PYTHON_REPR.search("gives array([0.5, 1.0])")
    assert not PYTHON_REPR.search("886 of the 2000 steps, an array of ones")
