"""Code blocks without their plain-looking spans draw exactly as Pygments' own HTML does.

Every code block of the built site, as shipped (lean_highlighting.py's HTML with the
bundled stylesheet), is laid out in Chromium next to what Sphinx writes with Pygments' own
formatter from the same text (with the theme's and extensions' own stylesheets), light
and dark: every character must be drawn in the same colour and font, and every block
must have the same size. (Not compared as pictures: a glyph may move by a pixel where
runs of text are split differently.)
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from browser import chromium, find_chromium
from bundled_styles import BUNDLE, recorded_sources
from conftest import DOCS, SITE
from ipython_pygments_lexers import IPythonTracebackLexer
from lean_highlighting import KEEP_PRE_COLOUR, LeanHtmlFormatter, drawn_as_plain_text, uncoloured
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import PythonConsoleLexer, PythonLexer, TextLexer
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token
from sphinx.highlighting import PygmentsBridge

# A block as Sphinx writes it: its wrapper's classes name the language it was lexed in.
BLOCK = re.compile(
    r'<div class="([^"]*highlight-([\w-]+)[^"]*)"><div class="highlight">(.*?)</div>', re.S
)
TAG = re.compile(r"<[^>]+>")
LEAN_PRE = '<pre class="lean">'
# The theme's styles (pydata-sphinx-theme's defaults), for the tests without a build.
STYLES = (
    get_style_by_name("a11y-high-contrast-light"),
    get_style_by_name("a11y-high-contrast-dark"),
)


def shipped_blocks() -> list[tuple[str, str, str]]:
    """Every distinct (classes, language, highlighted HTML) of the built pages, in order."""
    pages = sorted(SITE.rglob("*.html"))
    return sorted({m.groups() for page in pages for m in BLOCK.finditer(page.read_text())})


def pygments_html(language: str, shipped: str) -> str:
    """What Sphinx writes for the same code with Pygments' own HTML formatter."""
    code = html.unescape(TAG.sub("", shipped))
    written = PygmentsBridge("html").highlight_block(code, language)
    return str(written).removeprefix('<div class="highlight">').rstrip().removesuffix("</div>")


def blocks_page(blocks: list[tuple[str, str, str]], stylesheets: list[str], theme: str) -> str:
    links = "".join(f'<link rel="stylesheet" href="{s}">' for s in stylesheets)
    body = "".join(
        f'<div class="{classes}"><div class="highlight">{code}</div></div>'
        for classes, _, code in blocks
    )
    return (
        f'<html data-theme="{theme}"><head>{links}</head>'
        f'<body><article class="bd-article" style="width: 900px">{body}</article></body></html>'
    )


def lean(code: str, lexer: Lexer) -> str:
    return str(highlight(code, lexer, LeanHtmlFormatter(STYLES)))


def test_names_punctuation_and_whitespace_are_drawn_as_plain_text():
    names = {str(ttype) for ttype in STANDARD_TYPES if drawn_as_plain_text(ttype, STYLES)}
    assert {"Token.Name", "Token.Punctuation", "Token.Text.Whitespace"} <= names
    assert not names & {"Token.Operator", "Token.Keyword", "Token.Generic.Prompt"}


def test_a_lexers_own_token_subtype_looks_like_its_parent():
    assert drawn_as_plain_text(Token.Name.Tag.Custom, STYLES) == drawn_as_plain_text(
        Token.Name.Tag, STYLES
    )
    assert uncoloured(Token.Generic.Whitespace, STYLES)  # as Generic is
    # myst-nb shows a failing cell's traceback with IPython's lexer, which has such subtypes
    traceback = "ZeroDivisionError    Traceback (most recent call last)\n----> 1 1 / 0\n"
    assert html.unescape(TAG.sub("", lean(traceback, IPythonTracebackLexer()))) == traceback + "\n"


def test_site_css_keeps_the_pre_colour_on_every_class_the_styles_leave_uncoloured():
    css = (DOCS / "_static" / "site.css").read_text()
    kept = re.search(r"pre\.lean :is\(([^)]*)\)", css)
    assert kept is not None
    assert {c.strip().removeprefix(".") for c in kept[1].split(",")} == KEEP_PRE_COLOUR
    classes = {STANDARD_TYPES[ttype] for ttype in STANDARD_TYPES if uncoloured(ttype, STYLES)}
    assert classes - {""} <= KEEP_PRE_COLOUR


def test_names_and_punctuation_lose_their_spans():
    code = lean("x = f(1)\n", PythonLexer())
    assert LEAN_PRE in code
    assert '<span class="o">=</span>' in code
    assert "f(" in code
    assert 'class="n"' not in code


def test_console_prompts_keep_the_class_the_copy_button_strips_them_by():
    code = lean(">>> x.y\n1\n", PythonConsoleLexer())
    assert LEAN_PRE in code
    assert '<span class="gp">&gt;&gt;&gt; </span>x<span class="o">.</span>y' in code


def test_a_block_with_plain_text_in_the_pre_colour_is_left_as_it_is():
    code = "some output\n"
    assert lean(code, TextLexer()) == highlight(code, TextLexer(), HtmlFormatter())


# Each block's text, character by character, with the colour and font each is drawn in;
# and the block's size.
DRAWN_TEXT = """() => [...document.querySelectorAll("div.highlight > pre")].map(pre => {
    const background = (e) => {  // the first one not transparent, up to the <pre>
        const colour = getComputedStyle(e).backgroundColor;
        return e === pre || colour !== "rgba(0, 0, 0, 0)" ? colour : background(e.parentElement);
    };
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT), drawn = [];
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement, style = getComputedStyle(parent);
        const look = [style.color, background(parent), style.fontWeight, style.fontStyle,
                      style.textDecorationLine].join(" ");
        for (const char of walker.currentNode.data) if (char.trim()) drawn.push(char + " " + look);
    }
    const box = pre.getBoundingClientRect();
    return [`${box.width}x${box.height}`, ...drawn];
})"""


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="no Chromium: `make system-deps`")
def test_lean_code_blocks_draw_as_pygments_own(site, tmp_path: Path):
    shipped = shipped_blocks()
    assert len(shipped) > 80  # the whole site, not a sample
    cells = [code for _, language, code in shipped if language == "ipython3"]
    assert all(LEAN_PRE in code for code in cells)  # the pages' code cells are lean
    own = [(c, language, pygments_html(language, code)) for c, language, code in shipped]
    assert [TAG.sub("", code) for *_, code in own] == [TAG.sub("", code) for *_, code in shipped]
    originals = [(SITE / s).as_uri() for s in recorded_sources(SITE)]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        for theme in ("light", "dark"):
            drawn = []
            for blocks, sheets in ((own, originals), (shipped, [(SITE / BUNDLE).as_uri()])):
                document = tmp_path / f"{theme}-{len(drawn)}.html"
                document.write_text(blocks_page(blocks, sheets, theme), encoding="utf-8")
                page.goto(document.as_uri())
                drawn.append(page.evaluate(DRAWN_TEXT))
            assert len(drawn[0]) == len(shipped)
            differing = [(o, s) for o, s in zip(*drawn, strict=True) if o != s]
            assert differing == [], f"{theme}: {len(differing)} blocks drawn differently"
