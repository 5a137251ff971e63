"""Index entries stay in the search index when a build rewrites only some pages.

Sphinx writes searchindex.js from the previous one plus the pages it rewrites. Its
``IndexBuilder.load`` restores the titles and words of the other pages but not their
index entries (https://github.com/sphinx-doc/sphinx/issues/12599), so after an incremental
build search no longer offers, for example, the API page's "(in module seminar...)"
entries. This restores them from the previous index too, in page order, as a clean build
writes them (tests/test_build.py edits one page and finds the other's entry kept).
"""

from __future__ import annotations

import io
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import IndexBuilder
from upstream import check_version

UPSTREAM = "https://github.com/sphinx-doc/sphinx/issues/12599"
WRITTEN_FOR = ("sphinx", "9.0.4")

_load_without_entries = IndexBuilder.load


def _entries_by_page(frozen: dict[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    """The index entries of a frozen index, by page, as ``IndexBuilder.feed`` keeps them."""
    pages = frozen["docnames"]
    found: dict[str, list[tuple[str, str, str]]] = {}
    for entry, places in frozen.get("indexentries", {}).items():
        for page, target, main in places:
            found.setdefault(pages[page], []).append((entry, target, "main" if main else ""))
    return {page: sorted(entries) for page, entries in found.items()}


def load_with_entries(self: IndexBuilder, stream: Any, format: Any) -> None:
    if isinstance(format, str):
        format = self.formats[format]
    frozen = format.load(stream)
    _load_without_entries(self, io.StringIO(format.dumps(frozen)), format)
    restored = {**self._index_entries, **_entries_by_page(frozen)}
    # The same dict as the environment's: update it in place, pages in order.
    self._index_entries.clear()
    self._index_entries.update(sorted(restored.items()))


def setup(app: Sphinx) -> dict[str, object]:
    check_version(__name__, *WRITTEN_FOR, UPSTREAM)
    IndexBuilder.load = load_with_entries  # type: ignore[method-assign]
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
