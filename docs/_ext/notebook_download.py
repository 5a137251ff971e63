"""Offer every executed page as a notebook download (``.ipynb``, with its outputs).

What it buys: the download button's notebook entry, which the theme shows only with launch
buttons (Binder, Colab), which this site has none of. The notebook is the one myst-nb
executed, made the same bytes every build: cell ids from the page and the cell's position,
no execution times, streams merged as on the page.
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


def _offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    executed = Path(app.env.mystnb_config.output_folder, pagename + ".ipynb")  # by myst-nb
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    notebook = normalise(nbformat.read(executed, as_version=4), pagename)
    target = Path(app.outdir, "_sources", pagename + ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    context["ipynb_source"] = pagename + ".ipynb"


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("myst_nb")
    app.connect("html-page-context", _offer_notebook, priority=500)  # before the theme's 501
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
