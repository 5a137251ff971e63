"""The PDF edition (`make pdf`): what print leaves out, and the site's link to the book.

LaTeX: a cell the page collapses (``hide-input``) prints its output only; proofs print
unboxed (sphinx-proof's box gets no title and overflows at page breaks); empty sections
(a page's References: citations print as footnotes) and the bibliography page's heading
go. HTML: the download button offers the book. What it buys: without it the book has
116 pages, not 100, and `make pdf` fails: a boxed proof runs 93 pt past page 2's margin.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

BOOK = "seminar-05-solutions.pdf"


class PrintEdition(SphinxPostTransform):
    """Drop collapsed code, empty sections and the bibliography page's heading."""

    default_priority = 900  # after myst-nb's and sphinxcontrib-bibtex's own transforms
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for source in list(self.document.findall(nodes.container)):
            hidden = source.parent.get("hide_mode") in ("input", "all")  # hide-input, hide-cell
            if hidden and source.get("nb_element") == "cell_code_source":
                source.parent.remove(source)
        for proof in list(self.document.findall(nodes.admonition)):
            if "proof" in proof["classes"]:
                proof.replace_self(proof.children)
        for section in list(self.document.findall(nodes.section)):
            body = [child for child in section.children if not isinstance(child, nodes.title)]
            if not any(child.astext().strip() or any(child.findall(nodes.image)) for child in body):
                section.parent.remove(section)
            elif all(isinstance(child, nodes.citation) for child in body):
                section.replace_self(body)


def _offer_book(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    book = {"type": "link", "url": context["pathto"](BOOK, 1), "text": "book .pdf"}
    book |= {"tooltip": "Download the book", "icon": "fas fa-book", "label": "download-book"}
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(0, book)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_post_transform(PrintEdition)
    app.connect("html-page-context", _offer_book, priority=502)  # after the theme's (501)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
