"""Index entries stay in the search index when a build rewrites only some pages.

What it buys: after an incremental build search still offers the entries of the pages
not rewritten, the API page's "(in module seminar...)" among them, and the site is the
clean build's byte for byte (tests/test_build.py, test_determinism.py). Sphinx's
``IndexBuilder.load`` restores the other pages' titles and words from the previous index
but not their index entries (UPSTREAM); this restores those too, in page order. Its
``prune`` also keeps the words only rewritten pages used, with no page: this drops them.
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
_prune_keeping_words = IndexBuilder.prune


def load_with_entries(self: IndexBuilder, stream: Any, format: Any) -> None:
    format = self.formats[format] if isinstance(format, str) else format
    frozen = format.load(stream)
    _load_without_entries(self, io.StringIO(format.dumps(frozen)), format)
    found: dict[str, list[tuple[str, str, str]]] = {}  # as IndexBuilder.feed keeps them
    for entry, places in frozen.get("indexentries", {}).items():
        for page, target, main in places:
            kind = "main" if main else ""
            found.setdefault(frozen["docnames"][page], []).append((entry, target, kind))
    restored = {**self._index_entries, **{page: sorted(found[page]) for page in found}}
    # The same dict as the environment's: update it in place, pages in order.
    self._index_entries.clear()
    self._index_entries.update(sorted(restored.items()))


def prune_words_too(self: IndexBuilder, docnames: Any) -> None:
    _prune_keeping_words(self, docnames)
    self._mapping = {word: pages for word, pages in self._mapping.items() if pages}
    self._title_mapping = {word: pages for word, pages in self._title_mapping.items() if pages}


def setup(app: Sphinx) -> dict[str, object]:
    check_version(__name__, *WRITTEN_FOR, UPSTREAM)
    IndexBuilder.load = load_with_entries  # type: ignore[method-assign]
    IndexBuilder.prune = prune_words_too  # type: ignore[method-assign]
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
