"""The flattened SVG of prerender_math.js draws exactly what MathJax's own SVG draws.

Every formula of the site, as Sphinx read it, is typeset twice by the build's script, once
with MathJax's nested groups and once flattened; Chromium draws both pages and the two
pictures must be the same pixel for pixel.
"""

from __future__ import annotations

import html
import io
import json
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import chromium, find_chromium
from conftest import DOCTREES
from docutils import nodes
from PIL import Image, ImageChops

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None, reason="no Chromium: `make system-deps`"),
]

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "_ext" / "prerender_math.js"
# Both pages from one page of formulas read on stdin: [MathJax's SVG, flattened SVG].
TYPESET_BOTH = f"""
const {{typesetPage}} = require({json.dumps(str(SCRIPT))});
const page = require('fs').readFileSync(0, 'utf8');
process.stdout.write(JSON.stringify([typesetPage(page, {{flatten: false}}), typesetPage(page)]));
"""
# Largest difference allowed in any pixel's grey level (of 255): edge antialiasing only.
ANTIALIASING = 8
PAGE_STYLE = "body { margin: 8px; font-size: 20px; display: flex; flex-wrap: wrap; gap: 6px; }"


def display_tex(block: nodes.math_block) -> str:
    """The TeX Sphinx's MathJax writer puts in a display block (its split/align wrapping)."""
    if block.get("nowrap"):
        return block.astext()
    parts = [part for part in block.astext().split("\n\n") if part.strip()]
    wrapped = [rf"\begin{{split}}{p}\end{{split}}" if r"\\" in p else p for p in parts]
    if len(parts) > 1:
        return r"\begin{align}\begin{aligned}" + r"\\".join(wrapped) + r"\end{aligned}\end{align}"
    return wrapped[0]


def site_formulas() -> list[tuple[str, bool]]:
    """Every distinct (TeX, display?) of the site's pages, in a fixed order."""
    found = set()
    for doctree in DOCTREES.rglob("*.doctree"):
        tree = pickle.loads(doctree.read_bytes())
        found |= {(node.astext(), False) for node in tree.findall(nodes.math)}
        found |= {(display_tex(node), True) for node in tree.findall(nodes.math_block)}
    return sorted(found)


def formula_page(formulas: list[tuple[str, bool]]) -> str:
    elements = [
        f'<div class="math notranslate nohighlight">\\[{html.escape(tex)}\\]</div>'
        if display
        else f'<span class="math notranslate nohighlight">\\({html.escape(tex)}\\)</span>'
        for tex, display in formulas
    ]
    return (
        f"<html><head><style>{PAGE_STYLE}</style></head>\n<body>\n{''.join(elements)}</body></html>"
    )


def test_flattened_formulas_draw_exactly_as_mathjax(site):
    formulas = site_formulas()
    assert len(formulas) > 300  # the whole site, not a sample
    done = subprocess.run(
        [shutil.which("node") or "node", "-e", TYPESET_BOTH],
        input=formula_page(formulas),
        capture_output=True,
        text=True,
        check=True,
    )
    nested, flat = json.loads(done.stdout)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=2)
        pictures, elements = [], []
        for typeset in (nested, flat):
            page.set_content(typeset)
            elements.append(page.locator("mjx-container svg *").count())
            pictures.append(page.screenshot(full_page=True))
    assert elements[1] < 0.6 * elements[0]  # nearly half the elements gone
    grey = [Image.open(io.BytesIO(picture)).convert("L") for picture in pictures]
    assert grey[0].size == grey[1].size
    _, largest = ImageChops.difference(*grey).getextrema()
    assert largest <= ANTIALIASING
