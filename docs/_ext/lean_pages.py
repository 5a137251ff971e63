"""Figures that load when scrolled to, and tab stops set as the browser lays a block out.

The theme's scripts and head are made lighter in docs/_templates/layout.html; this adds:

- ``loading="lazy"`` on every image but one in the page's opening, before its first
  subsection, which may be in view at once;
- the theme gives each scrollable code block and output a tab stop, so that a keyboard
  can scroll it. It reads every block's size as soon as the page has loaded, which lays
  out the whole page at once, the subsections that ``content-visibility: auto`` leaves
  for later included (``docs/_static/site.css``). Its script is rewritten to read a
  block's size when the browser lays the block out (a ResizeObserver), with the same
  outcome (https://github.com/pydata/pydata-sphinx-theme/issues/2115).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from upstream import check_version

# The theme's script below and its blocks that docs/_templates/layout.html copies.
UPSTREAM = "https://github.com/pydata/pydata-sphinx-theme/issues/2115"
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
        in_subsections = {
            id(image)
            for section in self.document.findall(nodes.section)
            if isinstance(section.parent, nodes.section)
            for image in section.findall(nodes.image)
        }
        eager = images[0] if images and id(images[0]) not in in_subsections else None
        for image in images:
            if image is not eager:
                image.setdefault("loading", "lazy")


def setup(app: Sphinx) -> dict[str, object]:
    check_version(__name__, *WRITTEN_FOR, UPSTREAM)
    app.add_post_transform(LazyImages)
    app.connect("build-finished", _rewrite_theme_script)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
