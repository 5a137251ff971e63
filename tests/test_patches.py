"""The patches in docs/_ext of other packages' behaviour: each was written for the version
installed, still applies, and is still needed. When `make lock` brings a new version,
these fail naming the patch: check it against the new version, then update its
WRITTEN_FOR (or remove it, when upstream has fixed what it patches)."""

from __future__ import annotations

import inspect
from importlib.metadata import version
from pathlib import Path

import accessible_toggles
import lean_pages
import myst_nb.core.render
import myst_nb.sphinx_
import parallel_proof
import pydata_sphinx_theme
import pytest
import search_index_entries
import stream_outputs
from sphinx.errors import ExtensionError
from sphinx_proof.domain import ProofDomain

PATCHES = [accessible_toggles, lean_pages, parallel_proof, search_index_entries, stream_outputs]
THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
INSTALLED_SCRIPT = THEME / "static" / lean_pages.THEME_SCRIPT.relative_to("_static")


@pytest.mark.parametrize("patch", PATCHES, ids=lambda patch: patch.__name__)
def test_written_for_the_installed_version(patch):
    package, written_for = patch.WRITTEN_FOR
    assert version(package) == written_for, (
        f"docs/_ext/{patch.__name__}.py was written for {package} {written_for}, "
        f"found {version(package)}: see {patch.UPSTREAM}"
    )


def test_parallel_proof_is_needed_sphinx_proof_still_lacks_a_merge():
    assert "merge_domaindata" not in vars(ProofDomain), "sphinx-proof merges: drop parallel_proof"


def test_stream_outputs_replaces_the_merge_myst_nb_calls():
    assert "coalesce_streams(" in inspect.getsource(myst_nb.core.render), "stream_outputs"


def test_search_index_entries_is_needed_sphinx_still_loads_no_index_entries():
    load = search_index_entries._load_without_entries
    assert load.__qualname__ == "IndexBuilder.load", "search_index_entries wraps another load"
    assert "_index_entries" not in inspect.getsource(load), (
        "Sphinx restores index entries: drop search_index_entries"
    )


def test_accessible_toggles_is_needed_myst_nb_still_writes_the_label():
    assert accessible_toggles.LABEL.strip() in inspect.getsource(myst_nb.sphinx_), (
        "myst-nb no longer labels its toggles: drop accessible_toggles"
    )


def test_the_installed_theme_has_the_tab_stop_code_once():
    assert INSTALLED_SCRIPT.read_text(encoding="utf-8").count(lean_pages.EAGER_TAB_STOPS) == 1


def test_tab_stop_code_is_rewritten_once(tmp_path):
    script = tmp_path / "theme.js"
    script.write_text(INSTALLED_SCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    lean_pages.lazy_tab_stops(script)
    rewritten = script.read_text(encoding="utf-8")
    assert lean_pages.EAGER_TAB_STOPS not in rewritten
    assert rewritten.count(lean_pages.LAZY_TAB_STOPS) == 1
    lean_pages.lazy_tab_stops(script)  # a second build
    assert script.read_text(encoding="utf-8") == rewritten


def test_a_changed_theme_fails_the_build_naming_the_script(tmp_path):
    script = tmp_path / "theme.js"
    script.write_text("document.querySelectorAll('pre').forEach(e => {});", encoding="utf-8")
    with pytest.raises(ExtensionError, match=r"theme\.js: the theme's tab-stop code changed"):
        lean_pages.lazy_tab_stops(script)
