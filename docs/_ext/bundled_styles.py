"""One small stylesheet per site instead of a dozen: fewer round trips before a page shows.

The theme and each extension link their own stylesheet (thirteen, one of them 370 kB
with all of Bootstrap and 2600 icon classes), and a browser draws nothing until it has
fetched them all. Once the HTML is written, this extension:

- joins them, in the pages' order, into ``_static/bundle/site.css`` (``@import`` inlined,
  ``url()`` rewritten to the new place);
- drops every selector naming a class that neither a page nor a script the pages load
  contains (kept: classes that scripts build from a prefix, see DYNAMIC_CLASSES);
- cuts the icon font down to the icons the kept rules draw;
- links the bundle, ``?v=`` its content hash, in place of the stylesheets on every page.

Pages written by an earlier build keep their bundle link: the list of stylesheets is
recorded at the top of the bundle, so any build can remake it from all pages.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import tinycss2
from fontTools import subset
from fontTools.ttLib import TTFont
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from tinycss2.ast import Node
from tinycss2.serializer import serialize_url

BUNDLE = Path("_static") / "bundle" / "site.css"
SOURCES_LINE = re.compile(r"/\* sources: (.*) \*/")
STYLESHEET = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*>\n?')
BUNDLE_LINK = '<link rel="stylesheet" href="{href}?v={digest}" />\n'
HREF = re.compile(r'\bhref="([^"]*)"')
SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]*)"')
WORD = re.compile(r"[A-Za-z_][\w-]*")
# Classes that scripts put together at run time, so no page or script spells them out:
# Bootstrap's tooltip placement (`bs-${NAME}-auto`), Sphinx's search results (`kind-${kind}`).
DYNAMIC_CLASSES = re.compile(r"bs-(tooltip|popover)-|kind-")
ICON_FONTS = "vendor/fontawesome/webfonts/"  # the theme's Font Awesome, subset to the icons used
PARSE = {"skip_comments": True, "skip_whitespace": True}
GROUPING = ("media", "supports", "layer", "container")


def html_pages(outdir: Path) -> list[Path]:
    """Every page Sphinx wrote (not the copies in _static, _sources, _images)."""
    pages = sorted(outdir.rglob("*.html"))
    return [p for p in pages if not p.relative_to(outdir).parts[0].startswith("_")]


def _local(href: str) -> bool:
    return not urlsplit(href).scheme and not href.startswith("//")


def _href(tag: str) -> str:
    found = HREF.search(tag)
    return found[1] if found else "//"  # a tag without href is no local stylesheet


def linked_stylesheets(page: Path, outdir: Path) -> list[str]:
    """Paths, relative to ``outdir``, of the local stylesheets ``page`` links, in order."""
    hrefs = map(_href, STYLESHEET.findall(page.read_text(encoding="utf-8")))
    paths = (urlsplit(href).path for href in hrefs if _local(href))
    return [Path(os.path.relpath(page.parent / p, outdir)).as_posix() for p in paths]


# --- joining ------------------------------------------------------------------------------


def _tokens(nodes: Iterable[Node] | None) -> Iterator[Node]:
    """Every token of ``nodes``, nested blocks and functions included."""
    for node in nodes or ():
        yield node
        yield from _tokens(getattr(node, "prelude", None))
        yield from _tokens(getattr(node, "content", None))
        yield from _tokens(getattr(node, "arguments", None))


def _moved_url(url: str, source: Path, bundle: Path) -> str:
    if not _local(url) or url.startswith(("#", "/")) or url.startswith("data:"):
        return url
    parts = urlsplit(url)
    target = os.path.relpath((source.parent / parts.path).resolve(), bundle.parent.resolve())
    return Path(target).as_posix() + (f"#{parts.fragment}" if parts.fragment else "")


def _import_target(rule: Node) -> str:
    for token in rule.prelude:
        if token.type in ("string", "url"):
            return str(token.value)
        if token.type == "function" and token.lower_name == "url":
            return str(token.arguments[0].value)
    raise ExtensionError(f"cannot read the @import {tinycss2.serialize(rule.prelude)!r}")


def joined_rules(source: Path, bundle: Path) -> list[Node]:
    """The rules of ``source``, its ``@import``s inlined, its urls relative to ``bundle``."""
    text = source.read_text(encoding="utf-8")
    rules = []
    for rule in tinycss2.parse_stylesheet(text, **PARSE):
        if rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            rules += joined_rules((source.parent / _import_target(rule)).resolve(), bundle)
            continue
        for token in _tokens([rule]):
            if token.type == "url":
                token.value = _moved_url(token.value, source, bundle)
                token.representation = f"url({serialize_url(token.value)})"
            elif token.type == "function" and token.lower_name == "url":
                for argument in token.arguments:
                    if argument.type == "string":
                        argument.value = _moved_url(argument.value, source, bundle)
        rules.append(rule)
    return rules


# --- dropping unused rules ----------------------------------------------------------------


def words_in_use(outdir: Path, pages: list[Path]) -> set[str]:
    """Every word of every page and of every script a page loads: a superset of the class
    names that can ever be on an element."""
    words: set[str] = set()
    scripts: set[Path] = set()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        words.update(WORD.findall(html))
        for src in SCRIPT_SRC.findall(html):
            if _local(src):
                scripts.add((page.parent / urlsplit(src).path).resolve())
    for script in sorted(scripts):
        if script.is_file():
            words.update(WORD.findall(script.read_text(encoding="utf-8")))
    return words


def _selectors(prelude: list[Node]) -> list[list[Node]]:
    selectors: list[list[Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _classes(selector: list[Node]) -> Iterator[str]:
    """The classes ``selector`` requires (those inside :not(), :is() and the like aside)."""
    for dot, name in itertools.pairwise(selector):
        if dot.type == "literal" and dot.value == "." and name.type == "ident":
            yield name.value


def used_rules(rules: list[Node], words: set[str]) -> list[str]:
    """``rules`` serialised, without the selectors that name a class not in ``words``."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [
                tinycss2.serialize(selector).strip()
                for selector in _selectors(rule.prelude)
                if all(c in words or DYNAMIC_CLASSES.match(c) for c in _classes(selector))
            ]
            if selectors:
                kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING and rule.content:
            inner = used_rules(tinycss2.parse_stylesheet(rule.content, **PARSE), words)
            if inner:
                prelude = tinycss2.serialize(rule.prelude)
                kept.append(f"@{rule.at_keyword}{prelude}{{{''.join(inner)}}}")
        else:
            kept.append(tinycss2.serialize([rule]))
    return kept


# --- the icon font ------------------------------------------------------------------------


def icon_codepoints(css: str) -> set[int]:
    """The characters the rules of ``css`` can draw: the strings of ``content`` and of the
    custom properties it takes them from (the theme keeps icons in ``--fa``, and those of
    admonitions in ``--pst-icon-*``)."""
    codepoints: set[int] = set()
    for rule in tinycss2.parse_stylesheet(css, **PARSE):
        if rule.type == "at-rule" and rule.content and rule.lower_at_keyword in GROUPING:
            codepoints |= icon_codepoints(tinycss2.serialize(rule.content))
        if rule.type != "qualified-rule":
            continue
        for declaration in tinycss2.parse_declaration_list(rule.content, **PARSE):
            if declaration.type != "declaration":
                continue
            if declaration.lower_name == "content" or declaration.name.startswith("--"):
                for token in declaration.value:
                    if token.type == "string":
                        codepoints.update(map(ord, token.value))
    return codepoints


def subset_font(source: Path, target: Path, codepoints: set[int]) -> None:
    """``source`` with only the glyphs of ``codepoints``, byte for byte the same each build."""
    options = subset.Options()
    options.flavor = source.suffix.lstrip(".")
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    target.write_bytes(buffer.getvalue())


def subset_icon_fonts(css: str, bundle: Path) -> str:
    """Write the icon fonts ``css`` links, cut to its icons, beside ``bundle``; link those."""
    codepoints = icon_codepoints(css)

    def subset_one(match: re.Match[str]) -> str:
        source = (bundle.parent / match[1]).resolve()
        subset_font(source, bundle.with_name(source.name), codepoints)
        return f"url({source.name})"

    return re.sub(rf"url\(([^)]*{re.escape(ICON_FONTS)}[^)]*)\)", subset_one, css)


# --- the build step -----------------------------------------------------------------------


def stylesheet_list(outdir: Path, pages: list[Path]) -> list[str]:
    """The stylesheets every freshly written page links (all the same), or, with no such
    page, the list recorded in the bundle."""
    lists = {tuple(linked_stylesheets(page, outdir)): page for page in pages}
    fresh = {sheets: page for sheets, page in lists.items() if BUNDLE.as_posix() not in sheets}
    if len(fresh) > 1:
        names = ", ".join(str(page.relative_to(outdir)) for page in fresh.values())
        raise ExtensionError(f"pages link different stylesheets, cannot bundle them: {names}")
    if fresh:
        return list(next(iter(fresh)))
    return recorded_sources(outdir)


def recorded_sources(outdir: Path) -> list[str]:
    """The stylesheets the bundle under ``outdir`` was made of, as it records them."""
    recorded = SOURCES_LINE.search((outdir / BUNDLE).read_text(encoding="utf-8"))
    if recorded is None:
        raise ExtensionError(f"{BUNDLE} does not record its sources: run `make clean html`")
    return recorded[1].split(" ")


def write_bundle(outdir: Path, sources: list[str], words: set[str]) -> str:
    """Write the bundle of ``sources`` and its fonts; return its content hash."""
    bundle = outdir / BUNDLE
    bundle.parent.mkdir(parents=True, exist_ok=True)
    rules = [rule for source in sources for rule in joined_rules(outdir / source, bundle)]
    css = "".join(used_rules(rules, words))
    css = subset_icon_fonts(css, bundle)
    text = f'@charset "UTF-8";\n/* sources: {" ".join(sources)} */\n{css}\n'
    bundle.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def link_bundle(page: Path, outdir: Path, digest: str) -> None:
    """Replace the stylesheet links of ``page`` by one link to the bundle."""
    html = page.read_text(encoding="utf-8")
    href = Path(os.path.relpath(outdir / BUNDLE, page.parent)).as_posix()
    links = [m for m in STYLESHEET.finditer(html) if _local(_href(m[0]))]
    if not links:
        return
    first = links[0]
    rest = "".join(html[a.end() : b.start()] for a, b in itertools.pairwise(links))
    new = html[: first.start()] + BUNDLE_LINK.format(href=href, digest=digest) + rest
    new += html[links[-1].end() :]
    if new != html:
        page.write_text(new, encoding="utf-8")


def _bundle(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = html_pages(outdir)
    sources = stylesheet_list(outdir, pages)
    digest = write_bundle(outdir, sources, words_in_use(outdir, pages))
    for page in pages:
        link_bundle(page, outdir, digest)


def setup(app: Sphinx) -> dict[str, object]:
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # not a line per font table
    app.connect("build-finished", _bundle, priority=900)  # after the math is typeset
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
