"""One small stylesheet per site instead of a dozen: fewer round trips before a page shows.

Measured by building without it (Lighthouse mobile, page 4): 0.88 to 0.90 and 337 KB a
page against 0.99 and 164 KB. The theme and each extension link their own stylesheet
(eleven, one of them 370 kB with all of Bootstrap and 2600 icon classes), and a browser
draws nothing until it has fetched them all. Once the HTML is written, this extension:

- joins them, in the pages' order, into ``_static/bundle/site.css`` and drops every rule
  that names a class, id or element that no page and no script the pages load contains
  (PostCSS with postcss-import, postcss-url, PurgeCSS and postcss-discard-comments:
  ``bundled_styles.js``);
- cuts the icon font down to the icons the kept rules draw (fontTools);
- links the bundle, ``?v=`` its content hash, in place of the stylesheets on every page.

The stylesheets joined are listed in ``_static/bundle/sources.css`` (an ``@import``
each), so an incremental build, whose untouched pages link the bundle already, joins them
again for all pages.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import tinycss2
from fontTools import subset
from fontTools.ttLib import TTFont
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

SCRIPT = Path(__file__).with_suffix(".js")
BUNDLE = Path("_static") / "bundle" / "site.css"
SOURCES = BUNDLE.with_name("sources.css")
STYLESHEET = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*>\n?')
HREF = re.compile(r'\bhref="([^"]*)"')
SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]*)"')
ICON_FONTS = "vendor/fontawesome/webfonts/"  # the theme's Font Awesome, subset to the icons used
PARSE = {"skip_comments": True, "skip_whitespace": True}


def html_pages(outdir: Path) -> list[Path]:
    """Every page Sphinx wrote (not the copies in _static, _sources, _images)."""
    pages = sorted(outdir.rglob("*.html"))
    return [p for p in pages if not p.relative_to(outdir).parts[0].startswith("_")]


def _local_path(url: str) -> str | None:
    parts = urlsplit(url)
    return None if parts.scheme or parts.netloc else parts.path


def _local_files(page: Path, urls: list[str]) -> list[Path]:
    paths = (_local_path(url) for url in urls)
    return [(page.parent / path).resolve() for path in paths if path]


def stylesheets(page: Path) -> list[Path]:
    """The local stylesheets that ``page`` links, in order."""
    tags = STYLESHEET.findall(page.read_text(encoding="utf-8"))
    return _local_files(page, [href[1] for tag in tags if (href := HREF.search(tag))])


def scripts(page: Path) -> list[Path]:
    """The local scripts that ``page`` loads."""
    return _local_files(page, SCRIPT_SRC.findall(page.read_text(encoding="utf-8")))


def write_sources(outdir: Path, pages: list[Path]) -> Path:
    """Write the list of the stylesheets the freshly written pages link (all the same);
    keep the earlier list when every page links the bundle already."""
    sources = outdir / SOURCES
    lists = {tuple(stylesheets(page)) for page in pages}
    fresh = [sheets for sheets in lists if (outdir / BUNDLE).resolve() not in sheets]
    if len(fresh) > 1:
        raise ExtensionError("pages link different stylesheets: cannot bundle them")
    if fresh:
        sources.parent.mkdir(parents=True, exist_ok=True)
        imports = (f'@import "{os.path.relpath(s, sources.parent)}";\n' for s in fresh[0])
        sources.write_text("".join(imports), encoding="utf-8")
    elif not sources.is_file():
        raise ExtensionError(f"{SOURCES} is missing: run `make clean html`")
    return sources


def recorded_sources(outdir: Path) -> list[str]:
    """The stylesheets the bundle under ``outdir`` joins, relative to ``outdir``."""
    sources = outdir / SOURCES
    imports = re.findall(r'@import "([^"]*)";', sources.read_text(encoding="utf-8"))
    return [
        (sources.parent / path).resolve().relative_to(outdir.resolve()).as_posix()
        for path in imports
    ]


def join_and_purge(sources: Path, bundle: Path, pages: list[Path]) -> None:
    """Run bundled_styles.js: the bundle of ``sources``, purged against ``pages`` and the
    scripts they load."""
    loaded = {script for page in pages for script in scripts(page)}
    content = [*pages, *sorted(script for script in loaded if script.is_file())]
    node = shutil.which("node")
    if node is None:
        raise ExtensionError("bundling the stylesheets needs Node.js: run `make node-tools`")
    done = subprocess.run(
        [node, str(SCRIPT), str(sources), str(bundle), *map(str, content)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise ExtensionError(f"bundling the stylesheets failed: {done.stderr.strip()}")


def icon_codepoints(css: str) -> set[int]:
    """The characters the rules of ``css`` can draw: the strings of ``content`` and of the
    custom properties it takes them from (the theme keeps icons in ``--fa``, and those of
    admonitions in ``--pst-icon-*``)."""
    codepoints: set[int] = set()
    for rule in tinycss2.parse_stylesheet(css, **PARSE):
        if rule.type == "at-rule" and rule.content and rule.lower_at_keyword == "media":
            codepoints |= icon_codepoints(tinycss2.serialize(rule.content))
        if rule.type != "qualified-rule":
            continue
        for declaration in tinycss2.parse_declaration_list(rule.content, **PARSE):
            if declaration.type == "declaration" and (
                declaration.lower_name == "content" or declaration.name.startswith("--")
            ):
                strings = (token.value for token in declaration.value if token.type == "string")
                codepoints.update(ord(char) for string in strings for char in string)
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

    return re.sub(rf"url\(\"?([^)\"]*{re.escape(ICON_FONTS)}[^)\"]*)\"?\)", subset_one, css)


def link_bundle(page: Path, outdir: Path, digest: str) -> None:
    """Replace the stylesheet links of ``page`` by one link to the bundle, where the first was."""
    html = page.read_text(encoding="utf-8")
    href = Path(os.path.relpath(outdir / BUNDLE, page.parent)).as_posix()
    link = f'<link rel="stylesheet" href="{href}?v={digest}" />\n'
    links = iter([link])
    new = STYLESHEET.sub(lambda tag: next(links, "") if _is_local(tag[0]) else tag[0], html)
    if new != html:
        page.write_text(new, encoding="utf-8")


def _is_local(tag: str) -> bool:
    href = HREF.search(tag)
    return href is not None and _local_path(href[1]) is not None


def _bundle(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = html_pages(outdir)
    bundle = outdir / BUNDLE
    join_and_purge(write_sources(outdir, pages), bundle, pages)
    css = subset_icon_fonts(bundle.read_text(encoding="utf-8"), bundle)
    bundle.write_text(css, encoding="utf-8")
    digest = hashlib.sha256(css.encode()).hexdigest()[:8]
    for page in pages:
        link_bundle(page, outdir, digest)


def setup(app: Sphinx) -> dict[str, object]:
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # not a line per font table
    app.connect("build-finished", _bundle, priority=900)  # after the math is typeset
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
