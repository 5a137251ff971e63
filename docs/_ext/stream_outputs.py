"""What a cell prints is shown the same however the kernel split it into messages.

A kernel sends printed text in chunks whose boundaries depend on timing (ipykernel
flushes on a timer, so a line's text and its newline can go apart). myst-nb merges a
cell's chunks (``nb_merge_streams``) by stripping each one's trailing whitespace and
adding a newline, so a chunk that ends just before a newline gains a blank line, in some
builds and not others. This joins the chunks' text as sent first, then lets myst-nb's
merge tidy the whole, for the page and for its downloadable notebook. Upstream:
https://github.com/executablebooks/MyST-NB/issues/690 (the merge, from #604, strips each
chunk). What it buys: the same page from build to build; tests/test_stream_outputs.py
shows myst-nb's own merge giving two texts for one output split two ways.
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
    """``outputs`` with each stream's chunks joined into its first chunk, as myst-nb merges
    streams (stdout and stderr each into one output), but independent of the chunking."""
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
