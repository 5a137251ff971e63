"""What docs/_ext/lean_pages.py changes in the theme: its tab-stop code, its tooltips."""

from __future__ import annotations

from pathlib import Path

import pydata_sphinx_theme
import pytest
from lean_pages import (
    EAGER_TAB_STOPS,
    LAZY_TAB_STOPS,
    THEME_SCRIPT,
    drop_tooltips,
    lazy_tab_stops,
)
from sphinx.errors import ExtensionError

THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
INSTALLED_SCRIPT = THEME / "static" / THEME_SCRIPT.relative_to("_static")


def test_the_installed_theme_has_the_code_once():
    assert INSTALLED_SCRIPT.read_text(encoding="utf-8").count(EAGER_TAB_STOPS) == 1


def test_rewrites_the_code_once(tmp_path):
    script = tmp_path / "theme.js"
    script.write_text(INSTALLED_SCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    lazy_tab_stops(script)
    rewritten = script.read_text(encoding="utf-8")
    assert EAGER_TAB_STOPS not in rewritten
    assert rewritten.count(LAZY_TAB_STOPS) == 1
    lazy_tab_stops(script)  # a second build
    assert script.read_text(encoding="utf-8") == rewritten


def test_a_changed_theme_fails_the_build_naming_the_script(tmp_path):
    script = tmp_path / "theme.js"
    script.write_text("document.querySelectorAll('pre').forEach(e => {});", encoding="utf-8")
    with pytest.raises(ExtensionError, match=r"theme\.js: the theme's tab-stop code changed"):
        lazy_tab_stops(script)


def test_tooltips_are_dropped_and_titles_kept():
    html = (
        '<button class="btn" title="Search" data-bs-placement="bottom" data-bs-toggle="tooltip">'
        '<div class="dropdown" data-bs-toggle="tooltip" data-bs-placement="bottom" title="Mode">'
        '<button data-bs-toggle="dropdown" aria-label="Mode">'
    )
    assert drop_tooltips(html) == (
        '<button class="btn" title="Search" data-bs-placement="bottom">'
        '<div class="dropdown" data-bs-placement="bottom" title="Mode">'
        '<button data-bs-toggle="dropdown" aria-label="Mode">'
    )
