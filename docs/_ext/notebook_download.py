"""Offer every executed page as a notebook download, identical from build to build.

sphinx-book-theme adds an ``.ipynb`` entry to its download button when the page
context holds ``ipynb_source`` (a path under ``_sources``); it only sets that
itself when launch buttons (Binder, Colab, ...) are configured, which this
offline site has none of. This extension sets it for every page myst-nb
executed, and writes the notebook there.

myst-nb writes each page it executes, with its outputs, to
``jupyter_execute/<page>.ipynb`` (the site executes a page whenever Sphinx reads
it, so there is no execution cache to merge from). That notebook has random cell
ids (nbformat draws them when it reads a text notebook) and may hold execution
timestamps in the cell metadata, and what a cell prints in as many chunks as the
kernel sent: the copy readers download gets ids derived from the page and the
cell's position, no timestamps and one output per stream, as on the page, so two
builds give byte-identical files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import nbformat
from sphinx.application import Sphinx
from stream_outputs import coalesce_streams

TIMING_KEYS = ("execution", "ExecuteTime")  # nbclient's record_timing; JupyterLab's extension


def normalise(notebook: nbformat.NotebookNode, pagename: str) -> nbformat.NotebookNode:
    """Give ``notebook`` ids made from ``pagename`` and cell index; drop execution times;
    merge each cell's printed output as the page shows it; drop the figures' PDF."""
    for index, cell in enumerate(notebook.cells):
        cell.id = hashlib.sha256(f"{pagename}:{index}".encode()).hexdigest()[:8]
        for key in TIMING_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for output in cell.outputs:
                output.get("data", {}).pop("application/pdf", None)  # the book's copy
    return notebook


def executed_notebook(app: Sphinx, pagename: str) -> nbformat.NotebookNode | None:
    """The page as myst-nb executed it, with its outputs; None if it is no notebook."""
    config = app.env.mystnb_config
    written = Path(config.output_folder, pagename + ".ipynb")
    if "kernelspec" not in app.env.metadata.get(pagename, {}) or not written.is_file():
        return None
    return nbformat.read(written, as_version=4)


def _offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    notebook = executed_notebook(app, pagename) if doctree is not None else None
    if notebook is None:
        return
    normalise(notebook, pagename)
    target = Path(app.outdir, "_sources", pagename + ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    context["ipynb_source"] = pagename + ".ipynb"


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("myst_nb")
    # Before sphinx-book-theme builds its header buttons (priority 501) from the context.
    app.connect("html-page-context", _offer_notebook, priority=500)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
