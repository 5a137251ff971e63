"""Code blocks without the highlighting spans that change nothing on screen.

Pygments wraps every token in a ``<span>`` of its type's class, names and punctuation
too; in the theme's styles (light and dark) those look exactly like plain text, and
they were two thirds of the spans of a code cell (a seventh of the elements of page 4).
This formatter writes them as bare text where that changes nothing:

- token types that the light and the dark style both draw as plain text lose their span;
- the block's ``<pre>`` gets the class ``lean``, for which ``docs/_static/site.css`` sets
  the colour Pygments gives plain text (``.highlight``'s) instead of the theme's ``pre``
  colour, and keeps the theme's colour on the spans the styles leave uncoloured
  (KEEP_PRE_COLOUR: a console session's prompts and output, for example);
- a block with plain text that is not whitespace (an output, plain text) keeps its spans,
  as that text is drawn in the ``<pre>``'s colour.

``tests/test_lean_highlighting.py`` lays out every code block of the site both ways,
light and dark, and compares the colour and font of every character.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from pydata_sphinx_theme.utils import get_theme_options_dict
from pygments.formatters import HtmlFormatter
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Text, _TokenType
from sphinx.application import Sphinx

Token = tuple[_TokenType, str]
# The classes site.css keeps in the theme's <pre> colour inside a lean block.
KEEP_PRE_COLOUR = frozenset({"g", "ge", "ges", "gi", "go", "gp", "gr", "gs", "gt", "esc", "x"})


def _style_of(ttype: _TokenType, style: StyleMeta) -> dict[str, Any]:
    """``style``'s look of ``ttype``, or of its nearest parent type that ``style`` knows (a
    lexer's own subtypes, such as ``Generic.Whitespace``, look like their parent)."""
    while not style.styles_token(ttype):
        ttype = ttype.parent
    return dict(style.style_for_token(ttype))


def drawn_as_plain_text(ttype: _TokenType, styles: tuple[StyleMeta, ...]) -> bool:
    """Whether every one of ``styles`` draws tokens of ``ttype`` as it draws plain text."""
    return all(_style_of(ttype, style) == _style_of(Text, style) for style in styles)


def uncoloured(ttype: _TokenType, styles: tuple[StyleMeta, ...]) -> bool:
    """Whether one of ``styles`` gives ``ttype`` no colour: its text takes the ``<pre>``'s."""
    return not all(_style_of(ttype, style)["color"] for style in styles)


class LeanHtmlFormatter(HtmlFormatter):  # type: ignore[type-arg]
    """Pygments' HTML formatter, writing the tokens that ``styles`` all draw as plain text
    as bare text, in a block where that changes nothing."""

    def __init__(self, styles: tuple[StyleMeta, ...] = (), **options: Any) -> None:
        super().__init__(**options)
        self.styles = styles
        self.lean = False

    def _get_css_classes(self, ttype: _TokenType) -> str:
        if self.lean and drawn_as_plain_text(ttype, self.styles):
            return ""
        return str(super()._get_css_classes(ttype))

    def _can_be_lean(self, ttype: _TokenType, text: str) -> bool:
        classes = self._get_css_classes(ttype).split()
        if not classes:  # bare text: the <pre>'s colour
            return not text.strip()
        return not uncoloured(ttype, self.styles) or not KEEP_PRE_COLOUR.isdisjoint(classes)

    def format_unencoded(self, tokensource: Iterable[Token], outfile: Any) -> None:
        tokens = list(tokensource)
        self.lean = False  # Pygments' own classes, to see what each token would look like
        self.lean = all(self._can_be_lean(ttype, text) for ttype, text in set(tokens))
        self.span_element_openers = {}  # Pygments caches each type's opening tag
        super().format_unencoded(iter(tokens), outfile)

    def _wrap_pre(self, inner: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for flag, part in super()._wrap_pre(inner):
            if self.lean and part.startswith("<pre"):
                part = part.replace("<pre", '<pre class="lean"', 1)
            yield flag, part


def _theme_styles(app: Sphinx) -> Iterator[StyleMeta]:
    """The light and dark Pygments styles the theme's pygments.css is written from."""
    options = get_theme_options_dict(app)
    for mode in ("light", "dark"):
        key = f"pygments_{mode}_style"
        yield get_style_by_name(options.get(key) or app.builder.theme.get_options()[key])


def _use_lean_formatter(app: Sphinx) -> None:
    highlighter = getattr(app.builder, "highlighter", None)
    if highlighter is None or not hasattr(app.builder, "theme"):
        return
    highlighter.formatter = partial(LeanHtmlFormatter, tuple(_theme_styles(app)))


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", _use_lean_formatter)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
