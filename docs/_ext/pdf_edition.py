"""The PDF edition (`make pdf`): what print leaves out, and the site's link to the book.

In the LaTeX build:

- a code cell the page collapses (``hide-input``) prints its output without its source,
  as the page shows it (myst-nb hides such code in HTML only);
- a section left with nothing to print goes: a page's "References", whose citations
  LaTeX prints as footnotes;
- the bibliography page gives up its heading, as LaTeX gathers every entry into the
  book's bibliography at the end.

In the HTML build, the theme's download button offers the book beside the page's source
and notebook (``BOOK``, which `make pdf` copies into the site). Without this extension
the PDF shows the code of every figure (about 40 pages more) and four empty sections.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

BOOK = "seminar-05-solutions.pdf"


def _printable(node: nodes.Node) -> bool:
    return bool(node.astext().strip()) or any(node.findall(nodes.image))


class PrintEdition(SphinxPostTransform):
    """Drop collapsed code, empty sections and the bibliography page's heading."""

    default_priority = 900  # after myst-nb's and sphinxcontrib-bibtex's own transforms
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") == "cell_code" and cell.get("hide_mode") in ("input", "all"):
                source = cell.children[0] if cell.children else None
                if source is not None and source.get("nb_element") == "cell_code_source":
                    cell.remove(source)
        for section in list(self.document.findall(nodes.section)):
            body = [child for child in section.children if not isinstance(child, nodes.title)]
            if not any(_printable(child) for child in body):
                section.parent.remove(section)
            elif all(isinstance(child, nodes.citation) for child in body):
                section.replace_self(body)


def _offer_book(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            book = {
                "type": "link",
                "url": context["pathto"](BOOK, 1),
                "text": "book .pdf",
                "tooltip": "Download the whole book as a PDF",
                "icon": "fas fa-book",
                "label": "download-book-button",
            }
            group["buttons"].insert(0, book)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_post_transform(PrintEdition)
    # After sphinx-book-theme has made its header buttons (priority 501).
    app.connect("html-page-context", _offer_book, priority=502)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
