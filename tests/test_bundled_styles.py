"""The stylesheet bundle (docs/_ext/bundled_styles.py): joining, dropping unused rules,
the icon font, and the bundle the built site links. That the bundle styles every element
as the original stylesheets did is checked in a browser, in test_browser.py."""

from __future__ import annotations

import re

import pytest
from bundled_styles import (
    BUNDLE,
    STYLESHEET,
    html_pages,
    icon_codepoints,
    join_and_purge,
    subset_font,
)
from conftest import SITE
from fontTools.ttLib import TTFont


def bundled(tmp_path, page_html: str) -> str:
    """The bundle of a theme.css that imports base.css, purged against one page."""
    (tmp_path / "styles").mkdir()
    (tmp_path / "base.css").write_text("p{background:url(img/dot.png)}/* a comment */")
    (tmp_path / "styles" / "theme.css").write_text(
        '@import "../base.css";.used{background:url("../img/x.svg#icon")}.unused{top:0}'
        ".bs-tooltip-top{top:0}.kind-title{top:0}@media print{.unused{top:0}}"
    )
    (tmp_path / "bundle").mkdir()
    (tmp_path / "bundle" / "sources.css").write_text('@import "../styles/theme.css";')
    page = tmp_path / "page.html"
    page.write_text(page_html)
    join_and_purge(tmp_path / "bundle" / "sources.css", tmp_path / "bundle" / "site.css", [page])
    return re.sub(r"\s+", "", (tmp_path / "bundle" / "site.css").read_text())


def test_imports_are_inlined_with_urls_rebased_and_unused_rules_dropped(tmp_path):
    assert bundled(tmp_path, '<p class="used">x</p>') == (
        "p{background:url(../img/dot.png)}"
        '.used{background:url("../img/x.svg#icon")}'
        ".bs-tooltip-top{top:0}.kind-title{top:0}"
    )


def test_icon_codepoints_come_from_the_kept_rules():
    css = (
        '.fa-sun{--fa:"\\f185"}@media print{.x::before{content:"\\2014"}}.y{--fa:var(--z)}'
        ':root{--pst-icon-lightbulb:"\\f0eb"}p{font-family:"X"}'
    )
    assert icon_codepoints(css) == {0xF185, 0x2014, 0xF0EB}


@pytest.fixture(scope="module")
def site():
    if not (SITE / BUNDLE).is_file():
        pytest.skip("no built site: run `make html`")
    return SITE


def test_every_page_links_the_bundle_and_no_other_stylesheet(site):
    for page in html_pages(site):
        links = STYLESHEET.findall(page.read_text(encoding="utf-8"))
        assert len(links) == 1, page
        assert re.fullmatch(r"(\.\./)*_static/bundle/site\.css\?v=[0-9a-f]{8}", links[0])


def test_the_icon_fonts_hold_the_icons_the_bundle_draws_and_no_others(site):
    drawn = icon_codepoints((site / BUNDLE).read_text(encoding="utf-8"))
    for font in (site / BUNDLE).parent.glob("*.woff2"):
        original = TTFont(site / "_static/vendor/fontawesome/webfonts" / font.name)
        cut = TTFont(font)
        expected = set(original.getBestCmap()) & drawn
        assert set(cut.getBestCmap() or ()) == expected, font.name
    solid = TTFont((site / BUNDLE).with_name("fa-solid-900.woff2")).getBestCmap()
    assert 0xF002 in solid  # the magnifying glass of the search button


def test_the_font_subset_is_the_same_each_time(site, tmp_path):
    source = site / "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"
    subset_font(source, tmp_path / "a.woff2", {0xF002, 0xF185})
    subset_font(source, tmp_path / "b.woff2", {0xF002, 0xF185})
    assert (tmp_path / "a.woff2").read_bytes() == (tmp_path / "b.woff2").read_bytes()
    assert set(TTFont(tmp_path / "a.woff2").getBestCmap()) == {0xF002, 0xF185}
