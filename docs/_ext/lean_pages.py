"""Pages that render before their scripts have run, and figures that load when scrolled to.

Six changes to what the theme and the other extensions put on every page:

- Scripts no longer block rendering: every ``<script src>`` in the head is deferred
  (order kept), except ``documentation_options.js``, which inline scripts use at once:
  its few lines are written into the page instead.
- Two scripts that a reader of this site never needs are dropped: the theme's
  ``fontawesome.js`` (1.5 MB; it only redraws the icons, which its icon font already
  draws, as inline SVG) and, except on the search page, Sphinx's search index and tools
  (they serve search-as-you-type, which is off: the search box opens search.html).
- The header's buttons lose Bootstrap's tooltips and keep their ``title``, which the
  browser shows as its own tooltip. Making the ten tooltips was the bulk of
  ``bootstrap.js``'s work at load: its task took about 120 ms less on a phone's CPU
  (4x slowdown), and on a phone they only showed when a button was tapped.
- Images below the fold load lazily (``loading="lazy"``): every image but one in the
  page's opening, before its first subsection, which may be in view at once.
- The theme's inline script in the head sets the page's colour theme to the light or
  dark one it resolves to, as the theme's script does later. Left at "auto", the later
  change restyled every element of the page once more (about a second on a phone for
  a page with hundreds of formulas).
- The theme gives each scrollable code block and output a tab stop, so that a keyboard
  can scroll it. It read every block's size as soon as the page was parsed, which laid
  out the whole page at once, the subsections that ``content-visibility: auto`` leaves
  for later included (``docs/_static/site.css``). Its script now reads a block's size
  when the browser lays the block out (a ResizeObserver), with the same outcome.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

# Scripts that inline scripts further down read as soon as they run.
NEEDED_AT_ONCE = ("documentation_options.js",)
NOT_NEEDED = ("scripts/fontawesome.js",)
SEARCH_ONLY = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
# The search page's template writes these tags itself, after the deferred scripts they
# use (searchtools.js calls doctools.js's _ready; searchindex.js calls Search.setIndex):
# deferred too, they run after those, in this order.
PLAIN_SEARCH_TAG = re.compile(
    r'<script src="([^"]*(?:searchtools|language_data|searchindex)\.js[^"]*)">'
)


def _defer(script: _JavaScript) -> _JavaScript:
    attributes = script.attributes
    if (
        not script.filename
        or "async" in attributes
        or "defer" in attributes
        or str(script.filename).endswith(NEEDED_AT_ONCE)
    ):
        return script
    return _JavaScript(script.filename, priority=script.priority, defer="defer", **attributes)


def defer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    context["script_files"] = [_defer(script) for script in context["script_files"]]


def _script_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf'\s*<script[^>]*\ssrc="[^"]*{re.escape(name)}[^"]*"[^>]*></script>')


THEME_AT_FIRST = 'document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";'
THEME_RESOLVED = (
    'document.documentElement.dataset.theme = localStorage.getItem("theme") || '
    '(matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");'
)


BOOTSTRAP_TOOLTIP = re.compile(r'\s+data-bs-toggle="tooltip"')


def drop_tooltips(html: str) -> str:
    """``html`` without Bootstrap's tooltips (the elements keep their ``title``)."""
    return BOOTSTRAP_TOOLTIP.sub("", html)


def drop_scripts(html: str, pagename: str, options: Path) -> str:
    """``html`` without the script tags of NOT_NEEDED (and, off the search page, the index),
    with ``options`` (documentation_options.js) inline, its colour theme resolved."""
    names = NOT_NEEDED if pagename == "search" else (*NOT_NEEDED, *SEARCH_ONLY)
    for name in names:
        html = _script_tag(name).sub("", html)
    html = PLAIN_SEARCH_TAG.sub(r'<script defer="defer" src="\1">', html)
    html = _script_tag(NEEDED_AT_ONCE[0]).sub(
        lambda _: f"\n<script>{options.read_text(encoding='utf-8').strip()}</script>", html
    )
    return html.replace(THEME_AT_FIRST, THEME_RESOLVED)


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


def _strip_render(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is None or not hasattr(templates, "render"):
        return
    render = templates.render
    # Sphinx writes its static files before the pages.
    options = Path(app.outdir, "_static", NEEDED_AT_ONCE[0])

    def render_lean(template: str, context: dict[str, Any]) -> str:
        html = drop_scripts(render(template, context), context.get("pagename", ""), options)
        return drop_tooltips(html)

    templates.render = render_lean


def setup(app: Sphinx) -> dict[str, object]:
    app.add_post_transform(LazyImages)
    app.connect("html-page-context", defer_scripts, priority=900)
    app.connect("builder-inited", _strip_render)
    app.connect("build-finished", _rewrite_theme_script)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
