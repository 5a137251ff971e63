"""The PDF edition that `make pdf` built (`make test` builds it first when TeX is there).

Its chapters, figures, references and fonts against the site's; that it is the same
from build to build is checked in test_determinism.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from check_tex_log import problems
from conftest import ASSIGNMENTS, BOOK, SOURCES, skip_without
from myst_nb.core.read import read_myst_markdown_notebook
from test_site import soup

skip_without("TeX", shutil.which("latexmk"), "the PDF edition")

TEX = BOOK.parent / "tex" / BOOK.with_suffix(".tex").name
DOC_LABEL = r"\\label\{\\detokenize\{([^}]*)::doc\}\}"
# A page's label just after its chapter's heading, or (an appendix) just before it.
CHAPTER = re.compile(rf"\\chapter\{{[^\n]*\}}\n[^\n]*?{DOC_LABEL}|{DOC_LABEL}\s*\\chapter\{{")
CODE_WIDTH = 90  # characters of code that fit the book's line
CAPTION_NUMBER = re.compile(r"^\s*Fig\. (\d+\.\d+): ", re.MULTILINE)


def pdf_tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def text():
    if not BOOK.is_file():
        pytest.fail(f"{BOOK} is missing: run `make pdf`")
    return pdf_tool("pdftotext", "-raw", str(BOOK), "-")  # in reading order


def test_every_assignment_is_a_chapter_in_the_sites_order():
    chapters = ["".join(match) for match in CHAPTER.findall(TEX.read_text(encoding="utf-8"))]
    assert chapters[: len(ASSIGNMENTS)] == ASSIGNMENTS
    assert chapters[len(ASSIGNMENTS) :] == ["api"], "the API as an appendix, then nothing"


def test_the_book_holds_every_figure_of_the_site_with_its_number(site, text):
    on_site = sorted(
        caption.get_text(strip=True).removeprefix("Fig.").strip()
        for page in ASSIGNMENTS
        for caption in soup(site, page).select("main figure .caption-number")
    )
    assert on_site, "the site has no figures"
    assert sorted(CAPTION_NUMBER.findall(text)) == on_site


def test_every_reference_resolves(text):
    assert "??" not in text


def test_tex_reported_no_problem():
    log = TEX.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert problems(log, TEX.read_text(encoding="utf-8")) == []


def test_every_font_is_embedded():
    rows = pdf_tool("pdffonts", str(BOOK)).splitlines()[2:]
    assert rows, "no fonts listed"
    # The columns after the type and encoding: emb sub uni object ID.
    assert [row for row in rows if row.split()[-5] != "yes"] == []


def code_cells(*tags: str) -> list[str]:
    """The longest line of each code cell of the assignment pages tagged exactly ``tags``."""
    notebooks = (read_myst_markdown_notebook(SOURCES[page].read_text()) for page in ASSIGNMENTS)
    cells = (cell for notebook in notebooks for cell in notebook.cells)
    return [
        max(cell.source.splitlines(), key=len)
        for cell in cells
        if cell.cell_type == "code" and tuple(cell.metadata.get("tags", ())) == tags
    ]


def test_solutions_are_printed_and_collapsed_code_is_not(text):
    assert text.count("Solution to Exercise") >= len(ASSIGNMENTS)
    printed = re.sub(r"\s", "", text)
    hidden, shown = code_cells("hide-input"), code_cells()
    assert hidden
    assert shown
    assert [line for line in hidden if re.sub(r"\s", "", line) in printed] == []
    fitting = [line for line in shown if len(line) <= CODE_WIDTH]  # longer lines wrap
    assert [line for line in fitting if re.sub(r"\s", "", line) not in printed] == []


def test_log_check_names_the_page_of_each_problem():
    tex = "\\label{\\detokenize{index::doc}}\nx\n\\label{\\detokenize{a/b::doc}}\ny ∂\n"
    log = (
        "LaTeX Warning: Reference `a/b:fig-x' on page 3 undefined on input line 4.\n"
        "Missing character: There is no ∂ (U+2202) in font [FreeSerif.otf]/OT!\n"
        "Overfull \\hbox (12.5pt too wide) in paragraph at lines 2--2\n"
        "Overfull \\hbox (0.5pt too wide) in paragraph at lines 4--4\n"
    )
    assert problems(log, tex) == [
        "a/b: undefined reference a/b:fig-x",
        "a/b: no ∂ (U+2202) in font [FreeSerif.otf]/OT",
        "index: 12.5 pt into the margin (.tex line 2)",
    ]
