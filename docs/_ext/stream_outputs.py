"""What a cell prints is shown the same however the kernel split it into messages.

What it buys: the same page from build to build. ipykernel cuts printed text into chunks
by a timer, and myst-nb's merge strips each chunk and adds a newline: a blank line in
some builds only (tests/test_stream_outputs.py). This joins the chunks as sent first.
"""

from __future__ import annotations

from typing import Any

import myst_nb.core.render
from myst_nb.core.utils import coalesce_streams as tidy_streams
from nbformat import NotebookNode
from sphinx.application import Sphinx
from upstream import check_version

UPSTREAM = "https://github.com/executablebooks/MyST-NB/issues/690"
WRITTEN_FOR = ("myst-nb", "1.4.0")


def coalesce_streams(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """``outputs`` with each stream's chunks joined, then merged as myst-nb merges them."""
    joined: list[NotebookNode] = []
    first: dict[str, NotebookNode] = {}
    for output in outputs:
        if output["output_type"] != "stream":
            joined.append(output)
        elif output["name"] in first:
            first[output["name"]]["text"] += output["text"]
        else:
            first[output["name"]] = NotebookNode(output)  # a copy: the input stays as it was
            joined.append(first[output["name"]])
    return tidy_streams(joined)


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(__name__, *WRITTEN_FOR, UPSTREAM)
    myst_nb.core.render.coalesce_streams = coalesce_streams
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
