"""Name myst-nb's "Show code cell source" toggles by their visible text.

What it buys: no serious axe-core violation on every page with a hidden cell. myst-nb's
``<summary aria-label="Toggle hidden content">`` hides the visible words from screen
readers and speech input (WCAG 2.5.3, label in name); this writes it without the label.
"""

from __future__ import annotations

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxTranslator
from upstream import check_version

UPSTREAM = "no issue filed; the label is written by myst_nb.sphinx_.visit_HideCellInput"
WRITTEN_FOR = ("myst-nb", "1.4.0")

LABEL = ' aria-label="Toggle hidden content"'


def visit_toggle(self: SphinxTranslator, node: HideCodeCellNode) -> None:
    start = len(self.body)
    visit_HideCellInput(self, node)
    self.body[start:] = [part.replace(LABEL, "") for part in self.body[start:]]


def setup(app: Sphinx) -> dict[str, object]:
    check_version(__name__, *WRITTEN_FOR, UPSTREAM)
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_toggle, depart_HideCellInput))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
