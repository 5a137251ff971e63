"""Readers take the material with them: each page's source, and each executed page's notebook."""

from __future__ import annotations

import nbformat
import pytest
from conftest import DOCS, DOCUMENTS, NOTEBOOKS, SOURCES
from myst_nb.core.read import read_myst_markdown_notebook
from notebook_download import normalise
from test_site import soup

IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
HIDDEN_OUTPUT_TAGS = {"remove-cell", "remove-output"}


def download_links(site, page: str) -> list[str]:
    """The files the page's download button offers, as paths inside the site."""
    links = soup(site, page).select(".dropdown-download-buttons a[href]")
    return [
        (site / page).parent.joinpath(a["href"]).resolve().relative_to(site).as_posix()
        for a in links
    ]


@pytest.mark.parametrize("page", DOCUMENTS)
def test_every_page_offers_its_source(site, page):
    source = SOURCES[page]
    offered = f"_sources/{source.relative_to(DOCS).as_posix()}"
    assert offered in download_links(site, page)
    assert (site / offered).read_bytes() == source.read_bytes()


def figure_outputs(notebook: nbformat.NotebookNode) -> int:
    """How many images the notebook's cells show on the page (outputs not removed by a tag)."""
    shown = [c for c in notebook.cells if not HIDDEN_OUTPUT_TAGS & set(c.metadata.get("tags", []))]
    outputs = [o for c in shown for o in c.get("outputs", [])]
    return sum(any(kind in o.get("data", {}) for kind in IMAGE_TYPES) for o in outputs)


@pytest.mark.parametrize("page", NOTEBOOKS)
def test_every_executed_page_offers_its_notebook_with_outputs(site, page):
    offered = f"_sources/{page}.ipynb"
    assert offered in download_links(site, page)
    notebook = nbformat.read(site / offered, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)  # raises on an invalid notebook
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "a notebook page without code"
    assert all(cell.execution_count for cell in code), "not every cell was executed"
    # The notebook is the page: the same cells as the source, the page's figures among outputs.
    source = read_myst_markdown_notebook(SOURCES[page].read_text())
    assert [c.source for c in notebook.cells] == [c.source for c in source.cells]
    assert figure_outputs(notebook) == len(soup(site, page).select(".cell_output img"))


def test_notebook_copies_do_not_depend_on_the_run():
    def executed_once() -> nbformat.NotebookNode:
        notebook = nbformat.v4.new_notebook()  # each call draws new random cell ids
        cell = nbformat.v4.new_code_cell("1 + 1", execution_count=1)
        cell.metadata["execution"] = {"iopub.execute_input": "2026-11-26T21:00:00.000001Z"}
        notebook.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
        return notebook

    first, second = (normalise(executed_once(), "assignments/page") for _ in range(2))
    assert nbformat.writes(first) == nbformat.writes(second)
    nbformat.validate(first)
    assert "execution" not in first.cells[1].metadata
    other_page = normalise(executed_once(), "assignments/other")
    assert [c.id for c in other_page.cells] != [c.id for c in first.cells]
