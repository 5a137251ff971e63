"""The build fails loudly on a broken page, executes only what changed, serves no stale output."""

from __future__ import annotations

import contextlib
import io
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import built
from prerender_math import share
from sphinx.errors import ExtensionError
from sphinx.testing.util import SphinxTestApp

pytestmark = pytest.mark.build


def test_broken_cell_fails_the_build_naming_the_page(site_project):
    def build() -> str:
        app = site_project("broken-cell")
        app.build()
        assert app.statuscode != 0
        log = app.warning.getvalue()
        app.cleanup()
        return log

    page = str(site_project("broken-cell").srcdir / "index.md")
    for _ in range(2):  # the page executes, and fails, again on the next build
        log = build()
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


def test_pages_to_typeset_are_shared_among_the_cores_by_size(tmp_path):
    sizes = {"a": 700, "b": 600, "c": 400, "d": 300, "e": 20}
    for name, size in sizes.items():
        (tmp_path / f"{name}.html").write_text("x" * size)
    groups = share(sorted(tmp_path.iterdir()), workers=2)
    assert [[page.stem for page in group] for group in groups] == [["a", "c", "e"], ["b", "d"]]
    assert share([tmp_path / "a.html"], workers=4) == [[tmp_path / "a.html"]]


def test_code_cell_inside_a_collapsed_solution_executes(site_project):
    app = built(lambda: site_project("solution-cell"))
    assert (app.statuscode, app.warning.getvalue()) == (0, "")
    html = (app.outdir / "index.html").read_text()
    assert "two plus three is 5" in html
    assert "dropdown" in html  # the solution starts collapsed


class IncrementalProject:
    """tests/roots/library-imports, built again and again as `make html` would (two processes).

    greeting.md imports fixture_lib.greeting, which imports fixture_lib.words; counting.md
    imports fixture_lib.counting.
    """

    def __init__(self, site_project: Callable[..., SphinxTestApp], tmp_path: Path) -> None:
        self.site_project = site_project
        self.srcdir = tmp_path / "library-imports"
        self.library = self.srcdir / "fixture_lib"

    def build(self, **confoverrides: object) -> list[str]:
        """Build; return the pages that were executed."""
        library_packages = [str(self.library)]
        app = built(
            lambda: self.site_project(
                "library-imports", parallel=2, library_packages=library_packages, **confoverrides
            )
        )
        assert app.statuscode == 0, app.warning.getvalue()
        status = app.status.getvalue()
        app.cleanup()  # several apps in one test: reset docutils' registries
        return sorted(re.findall(r"(\w+)\.md: Executing notebook", status))

    def html(self, page: str) -> str:
        return (self.srcdir / "_build" / "html" / f"{page}.html").read_text()

    def search_index(self) -> dict[str, Any]:
        script = (self.srcdir / "_build" / "html" / "searchindex.js").read_text()
        return json.loads(script[script.index("(") + 1 : script.rindex(")")])


@pytest.fixture
def project(site_project, tmp_path) -> IncrementalProject:
    project = IncrementalProject(site_project, tmp_path)
    assert project.build() == ["counting", "greeting"]  # a clean build executes every page
    return project


def test_noop_rebuild_executes_nothing(project):
    assert project.build() == []


def test_editing_a_page_reexecutes_only_that_page(project):
    before = project.search_index()
    entries = before["indexentries"]
    assert "greeting word" in entries  # greeting.md's {index} entry
    page = project.srcdir / "counting.md"
    old = 'print(f"counting to {fixture_lib.counting.LIMIT}")'
    page.write_text(
        page.read_text().replace(old, 'print("counting up to", fixture_lib.counting.LIMIT)')
    )
    assert project.build() == ["counting"]
    assert "counting up to 3" in project.html("counting")
    index = project.search_index()
    # greeting.html was not written again; search still finds its index entry.
    assert index["indexentries"] == entries
    # The word only the old code had (the f of the f-string) is gone, as in a clean build.
    assert "f" in before["terms"]
    assert "f" not in index["terms"]


def test_library_edit_reexecutes_the_pages_that_import_it(project):
    # greeting.md imports words.py only through greeting.py's relative import.
    (project.library / "words.py").write_text('WORD = "second"\n')
    assert project.build() == ["greeting"]
    assert "library says second" in project.html("greeting")
    assert "library says first" not in project.html("greeting")  # no stale output survives

    (project.library / "counting.py").write_text("LIMIT = 4\n")
    assert project.build() == ["counting"]
    assert "counting to 4" in project.html("counting")


def test_extension_edit_reexecutes_every_page(project):
    # conf.py hands Sphinx the digest of docs/_ext as a config value: an edit there is
    # a new value, here given directly.
    assert project.build(extensions_digest="after an edit") == ["counting", "greeting"]
    assert project.build(extensions_digest="after an edit") == []


def test_live_preview_rebuilds_on_save_and_reloads_the_browser(site_project, tmp_path):
    # `make serve`: sphinx-autobuild with the site's conf.py on a fixture project.
    srcdir = site_project("solution-cell").srcdir
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "sphinx_autobuild", "-W", "--port", str(port)]
    server = subprocess.Popen([*command, str(srcdir), str(tmp_path / "out")], text=True)
    page = f"http://127.0.0.1:{port}/index.html"
    try:
        first = served(page, lambda html: "two plus three" in html)
        assert "/websocket-reload" in first  # the script that reloads the open page
        source = srcdir / "index.md"
        source.write_text(source.read_text().replace("two plus three", "two plus four"))
        served(page, lambda html: "two plus four" in html)
    finally:
        server.terminate()
        server.wait(timeout=30)


def served(url: str, ready: Callable[[str], bool], timeout: float = 120) -> str:
    """The page at ``url`` once ``ready`` holds for it (polled every half second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            html = urllib.request.urlopen(url, timeout=5).read().decode()
            if ready(html):
                return html
        time.sleep(0.5)
    raise AssertionError(f"{url} not ready within {timeout} s")


def test_a_build_whose_kernel_lost_its_port_runs_once_more_and_no_other():
    class App:  # what `built` uses of a SphinxTestApp
        def __init__(self, error: str) -> None:
            self.error, self.warning, self.cleaned = error, io.StringIO(), False

        def build(self) -> None:
            if self.error:
                raise RuntimeError(self.error)

        def cleanup(self) -> None:
            self.cleaned = True

    apps = iter([App("Kernel didn't respond in 60 seconds"), App("")])
    assert built(lambda: next(apps)).error == ""
    with pytest.raises(RuntimeError, match="a broken cell"):
        built(lambda: App("a broken cell"))
