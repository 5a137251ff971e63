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
    joined_rules,
    subset_font,
    used_rules,
)
from conftest import SITE
from fontTools.ttLib import TTFont
from tinycss2 import parse_stylesheet


def kept(css: str, words: set[str]) -> str:
    return "".join(used_rules(parse_stylesheet(css, skip_whitespace=True), words))


def test_a_rule_naming_an_unused_class_is_dropped():
    assert kept(".used{color:red}.unused{color:blue}", {"used"}) == ".used{color:red}"


def test_only_the_used_selectors_of_a_list_are_kept():
    assert kept(".a .b,.a .c,p{margin:0}", {"a", "b"}) == ".a .b,p{margin:0}"


def test_rules_without_classes_and_at_rules_are_kept():
    css = "@font-face{font-family:X;src:url(x.woff2)}:root{--c:red}p>a[href]{color:red}"
    assert kept(css, set()) == css


def test_classes_inside_functional_pseudo_classes_do_not_drop_a_rule():
    # :not(.x) matches more when .x is on no element; :is(.x,.y) may match through .y.
    assert kept(".a:not(.x){top:0}:is(.x,.y) p{top:1px}", {"a"}) == (
        ".a:not(.x){top:0}:is(.x,.y) p{top:1px}"
    )


def test_grouping_rules_are_purged_inside_and_dropped_when_empty():
    css = "@media (max-width:600px){.a{top:0}.b{top:1px}}@supports (display:grid){.b{top:0}}"
    assert kept(css, {"a"}) == "@media (max-width:600px){.a{top:0}}"


def test_classes_that_scripts_assemble_are_kept():
    assert kept(".bs-tooltip-top{top:0}.kind-title{top:0}", set()) == (
        ".bs-tooltip-top{top:0}.kind-title{top:0}"
    )


def test_imports_are_inlined_and_urls_point_from_the_bundle(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "base.css").write_text("p{background:url(img/dot.png)}")
    (tmp_path / "styles" / "theme.css").write_text(
        '@charset "UTF-8";@import "../base.css";'
        '.x{background:url("../img/x.svg#icon")}.y{background:url(data:image/png;base64,AA)}'
    )
    bundle = tmp_path / "bundle" / "site.css"
    rules = joined_rules(tmp_path / "styles" / "theme.css", bundle)
    assert "".join(used_rules(rules, {"x", "y"})) == (
        'p{background:url(../img/dot.png)}.x{background:url("../img/x.svg#icon")}'
        ".y{background:url(data:image/png;base64,AA)}"
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
        assert re.search(r'href="(\.\./)*_static/bundle/site\.css\?v=[0-9a-f]{8}"', links[0])


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
