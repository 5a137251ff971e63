"""Figures that load when scrolled to, and tab stops set as the browser lays a block out.

What it buys (Lighthouse mobile, pages 3 and 4 and the API page, 2026-12-02), built without
lazy images: 226 to 260 KB a page, 0.82 to 0.93; without lazy tab stops: 0.74 to 0.79,
0.8 to 1.1 s of blocking time. The theme gives each scrollable code block a tab stop,
reading every block's size once the page has loaded: that lays out the whole page, the
subsections ``content-visibility: auto`` (``site.css``) leaves for later included. Its
script is rewritten to read a block's size as the block is laid out. The version check
covers docs/_templates/layout.html too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from upstream import check_version

UPSTREAM = "no issue filed; the tab stops came with pydata-sphinx-theme PR #1787"
WRITTEN_FOR = ("pydata-sphinx-theme", "0.20.0")

THEME_SCRIPT = Path("_static", "scripts", "pydata-sphinx-theme.js")
# In pydata-sphinx-theme 0.20's minified script: one pass over the blocks at once ...
EAGER_TAB_STOPS = (
    "forEach(e=>{e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1})"
)
# ... and each block as it is laid out, by one observer for the page.
LAZY_TAB_STOPS = (
    "forEach(e=>(window.pstTabStops??=new ResizeObserver(es=>{for(const{target:e}of es)"
    "e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1})).observe(e))"
)


def lazy_tab_stops(script: Path) -> None:
    """Rewrite the theme's ``script`` to set tab stops as blocks are laid out."""
    code = script.read_text(encoding="utf-8")
    if LAZY_TAB_STOPS in code:  # rewritten by an earlier build
        return
    if code.count(EAGER_TAB_STOPS) != 1:
        raise ExtensionError(f"{script}: the theme's tab-stop code changed; see lean_pages.py")
    script.write_text(code.replace(EAGER_TAB_STOPS, LAZY_TAB_STOPS), encoding="utf-8")


def _rewrite_theme_script(app: Sphinx, exception: Exception | None) -> None:
    script = Path(app.outdir, THEME_SCRIPT)
    if exception is None and app.builder.format == "html" and script.is_file():
        lazy_tab_stops(script)


class LazyImages(SphinxPostTransform):
    """``loading="lazy"`` on every image but the first one of the page's opening."""

    default_priority = 900  # after myst-nb has turned notebook outputs into images
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        images = list(self.document.findall(nodes.image))
        sections = self.document.findall(nodes.section)
        subsections = (section for section in sections if isinstance(section.parent, nodes.section))
        later = {id(image) for section in subsections for image in section.findall(nodes.image)}
        for image in images[1:] if images and id(images[0]) not in later else images:
            image.setdefault("loading", "lazy")


def setup(app: Sphinx) -> dict[str, object]:
    check_version(__name__, *WRITTEN_FOR, UPSTREAM)
    app.add_post_transform(LazyImages)
    app.connect("build-finished", _rewrite_theme_script)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
