"""Math typeset at build time: pages ship SVG formulas and no MathJax script.

What it buys: math offline and from disk (Sphinx's MathJax comes from a CDN), and no
typesetting on the reader's phone (MathJax in the page: a 260 KiB script and seconds of
work per math page). Once the HTML is written, ``prerender_math.js`` (Node.js, the npm
package ``mathjax-full``, a process per core) replaces each formula's TeX by SVG with
hidden MathML, on the pages not typeset yet; a TeX error fails the build naming the page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from myst_parser.sphinx_ext.mathjax import html_visit_displaymath
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import html_visit_math
from sphinx.util import logging

SCRIPT = Path(__file__).with_name("prerender_math.js")
MATHJAX = SCRIPT.parents[2] / "node_modules" / "mathjax-full"
UNTYPESET = 'class="math notranslate nohighlight'
TYPESET = '<style id="MJX-SVG-styles">'  # what prerender_math.js adds to a typeset page


def pages_to_typeset(outdir: Path) -> list[Path]:
    """The HTML pages under ``outdir`` with math that is not typeset yet."""
    pages = ((page, page.read_text(encoding="utf-8")) for page in sorted(outdir.rglob("*.html")))
    return [page for page, html in pages if UNTYPESET in html and TYPESET not in html]


def share(pages: list[Path], workers: int) -> list[list[Path]]:
    """``pages`` dealt to at most ``workers`` groups, largest first, in turn."""
    by_size = sorted(pages, key=lambda page: -page.stat().st_size)
    return [group for group in (by_size[i::workers] for i in range(workers)) if group]


def typeset(pages: list[Path]) -> None:
    """Typeset ``pages`` in place, a Node.js process per core; ExtensionError on failure."""
    node = shutil.which("node")
    if node is None or not MATHJAX.is_dir():
        raise ExtensionError("typesetting math needs Node.js and `make node-tools`")
    processes = [
        subprocess.Popen([node, str(SCRIPT), *map(str, group)], stderr=subprocess.PIPE, text=True)
        for group in share(pages, os.cpu_count() or 1)
    ]
    errors = [process.communicate()[1].strip() for process in processes]
    if any(process.returncode for process in processes):
        raise ExtensionError("math typesetting failed:\n" + "\n".join(filter(None, errors)))


def _typeset_written_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        pages = pages_to_typeset(Path(app.outdir))
        if pages:
            logging.getLogger(__name__).info("typesetting the math of %d pages", len(pages))
            typeset(pages)


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinx.ext.mathjax")  # its \( \) markup and mathjax_display
    app.add_html_math_renderer("prerender", (html_visit_math, None), (html_visit_displaymath, None))
    app.connect("build-finished", _typeset_written_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
