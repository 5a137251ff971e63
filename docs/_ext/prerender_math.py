"""Math typeset at build time: pages ship SVG formulas and no MathJax script.

Sphinx writes each formula as TeX between ``\\( \\)`` or ``\\[ \\]`` (the mathjax
renderer's markup, kept here under the name ``prerender`` so that no script is added).
Once the HTML is written, Node.js (``prerender_math.js`` beside this file, with the
``mathjax-full`` npm package that ``make node-tools`` installs; a process per core, each
with its share of the pages) typesets the formulas of every page in place: SVG that
follows the text colour, with hidden MathML for screen readers, the page's glyphs defined
once. It skips pages typeset by an earlier build, so an incremental build typesets only
the pages it rewrote; a change to the script itself makes the next build read and
typeset every page again. A TeX error fails the build and names the page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from myst_parser.sphinx_ext.mathjax import html_visit_displaymath
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import html_visit_math
from sphinx.util import logging

logger = logging.getLogger(__name__)

SCRIPT = Path(__file__).with_name("prerender_math.js")
MATHJAX = SCRIPT.parents[2] / "node_modules" / "mathjax-full"
UNTYPESET = 'class="math notranslate nohighlight'
TYPESET = '<style id="MJX-SVG-styles">'  # what prerender_math.js adds to a typeset page


def _use_prerender(app: Sphinx, config: Config) -> None:
    config.html_math_renderer = "prerender"


def pages_to_typeset(outdir: Path) -> list[Path]:
    """The HTML pages under ``outdir`` with math that is not typeset yet, sorted."""
    pages = []
    for page in sorted(outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if UNTYPESET in html and TYPESET not in html:
            pages.append(page)
    return pages


def share(pages: list[Path], workers: int) -> list[list[Path]]:
    """``pages`` dealt to at most ``workers`` groups of about equal size in bytes (largest
    page first, each to the group with the fewest bytes so far)."""
    groups: list[list[Path]] = [[] for _ in range(min(workers, len(pages)))]
    totals = [0] * len(groups)
    for size, page in sorted(((page.stat().st_size, page) for page in pages), reverse=True):
        smallest = totals.index(min(totals))
        groups[smallest].append(page)
        totals[smallest] += size
    return groups


def typeset(pages: list[Path]) -> None:
    """Typeset ``pages`` in place, one Node.js process per core, each with its share of
    the pages; ExtensionError on failure."""
    node = shutil.which("node")
    if node is None or not MATHJAX.is_dir():
        raise ExtensionError(
            "typesetting math needs Node.js and the mathjax-full package: "
            "install Node.js, then run `make node-tools`"
        )
    processes = [
        subprocess.Popen(
            [node, str(SCRIPT), *map(str, group)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for group in share(pages, os.cpu_count() or 1)
    ]
    errors = [process.communicate()[1].strip() for process in processes]
    if any(process.returncode != 0 for process in processes):
        raise ExtensionError("math typesetting failed:\n" + "\n".join(filter(None, errors)))


def _typeset_written_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    pages = pages_to_typeset(Path(app.outdir))
    if pages:
        logger.info("typesetting the math of %d pages", len(pages))
        typeset(pages)


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinx.ext.mathjax")  # its \( \) markup and mathjax_display
    app.add_html_math_renderer("prerender", (html_visit_math, None), (html_visit_displaymath, None))
    app.connect("config-inited", _use_prerender)
    app.connect("build-finished", _typeset_written_pages)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
