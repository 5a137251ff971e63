"""The build fails loudly on a broken page and never serves stale outputs."""

from __future__ import annotations

import pytest
from myst_nb.core.execute.base import ExecutionError
from sphinx.errors import ExtensionError

pytestmark = pytest.mark.build


def test_broken_cell_fails_the_build_naming_the_page(site_project):
    app = site_project("broken-cell")
    page = str(app.srcdir / "index.md")
    with pytest.raises(ExecutionError, match=r"index\.md"):
        app.build()
    log = app.warning.getvalue()
    assert f"{page}: WARNING: Executing notebook failed" in log
    assert "ZeroDivisionError" in log  # the traceback is in the log


def test_broken_cross_reference_fails_the_build_naming_the_page(site_project):
    app = site_project("broken-xref")
    app.build()
    log = app.warning.getvalue()
    assert f"{app.srcdir / 'index.md'}:" in log
    assert "fig-that-does-not-exist" in log
    assert app.statuscode != 0


def test_tex_error_fails_the_build_naming_the_page(site_project):
    app = site_project("broken-math")
    with pytest.raises(ExtensionError, match=r"index\.html: TeX error .*nosuchmacro"):
        app.build()


def test_code_cell_inside_a_collapsed_solution_executes(site_project):
    app = site_project("solution-cell")
    app.build()
    assert (app.statuscode, app.warning.getvalue()) == (0, "")
    html = (app.outdir / "index.html").read_text()
    assert "two plus three is 5" in html
    assert "dropdown" in html  # the solution starts collapsed


def test_library_change_reexecutes_the_page(site_project, tmp_path):
    library = tmp_path / "library-cache" / "fixture_lib"

    def build() -> tuple[str, str]:
        """Build as `make html` would; return the status log and the page."""
        app = site_project("library-cache", library_cache_dirs=[str(library)])
        app.build()
        assert app.statuscode == 0, app.warning.getvalue()
        status, html = app.status.getvalue(), (app.outdir / "index.html").read_text()
        app.cleanup()  # several apps in one test: reset docutils' registries
        return status, html

    assert "library says first" in build()[1]
    status, _ = build()
    assert "0 added, 0 changed, 0 removed" in status  # a no-op rebuild executes nothing

    (library / "__init__.py").write_text('VALUE = "second"\n')  # the page itself is unchanged
    status, html = build()
    assert "library says second" in html
    assert "library says first" not in html
