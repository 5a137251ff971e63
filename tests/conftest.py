"""Shared fixtures: small Sphinx projects built with the site's own configuration."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from myst_nb.core.read import is_myst_markdown_notebook
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "roots"
SITE = ROOT / "_build" / "html"
DOCTREES = ROOT / "_build" / "doctrees"  # where `make html` keeps them
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))  # tests import the site's Sphinx extensions
sys.path.insert(0, str(ROOT / "tools"))  # and its build tools
SOURCE_SUFFIXES = (".md", ".ipynb", ".rst")


# A kernel can lose a port to another process between jupyter_client picking it and the
# kernel binding it (https://github.com/jupyter/jupyter_client/issues/487); with builds side
# by side, as under `make test`, that happens. Such a build is run once more.
KERNEL_LOST_PORT = ("Kernel didn't respond", "Address already in use")


def lost_a_port(output: str) -> bool:
    """Whether a failed build's ``output`` shows a kernel that lost its port."""
    return any(sign in output for sign in KERNEL_LOST_PORT)


def built(make: Callable[[], SphinxTestApp]) -> SphinxTestApp:
    """The app ``make()`` returns, built; from a new app once more if a kernel lost its port."""
    app = make()
    try:
        app.build()
    except Exception as error:
        if not lost_a_port(f"{error}\n{app.warning.getvalue()}"):
            raise
        app.cleanup()
        app = make()
        app.build()
    return app


def find_sources() -> dict[str, Path]:
    """Every page's source in docs/, by page name (``assignments/01-receptive-fields``).

    Tests take their pages from here, so a new page is checked without editing them.
    """
    sources = (p for p in DOCS.rglob("*") if p.suffix in SOURCE_SUFFIXES)
    named = {p.relative_to(DOCS).with_suffix("").as_posix(): p for p in sources}
    return {name: named[name] for name in sorted(named) if not name.startswith(("_", "."))}


def find_site_pages() -> list[str]:
    """Every HTML page of the built site: the documents and the pages Sphinx adds itself
    (genindex, search, ...). Before a build, just the documents."""
    built = (p.relative_to(SITE) for p in SITE.rglob("*.html"))
    extra = {b.with_suffix("").as_posix() for b in built if not b.parts[0].startswith("_")}
    return sorted(set(DOCUMENTS) | extra)


def is_notebook(source: Path) -> bool:
    """Whether myst-nb executes the page: a Jupyter notebook or MyST text with a kernelspec."""
    return source.suffix == ".ipynb" or is_myst_markdown_notebook(source.read_text())


SOURCES = find_sources()
DOCUMENTS = list(SOURCES)
ASSIGNMENTS = [page for page in DOCUMENTS if page.startswith("assignments/")]
NOTEBOOKS = [page for page, source in SOURCES.items() if is_notebook(source)]
SITE_PAGES = find_site_pages()
SLOW = ("build", "browser")  # the markers of the tests that take seconds to minutes
BOOK = ROOT / "_build" / "pdf" / "seminar-05-solutions.pdf"  # what `make pdf` writes
# CI sets this: a missing system tool (Chromium, TeX) fails the tests that need it,
# where otherwise they are skipped.
REQUIRE_SYSTEM_DEPS = os.environ.get("SEMINAR_REQUIRE_SYSTEM_DEPS") == "1"


def skip_without(tool: str, found: object, what: str) -> None:
    """Skip the calling test module when ``found`` is falsy, naming ``tool``; with
    SEMINAR_REQUIRE_SYSTEM_DEPS=1 raise instead."""
    if found:
        return
    message = f"no {tool}: `make system-deps` installs it ({what} not checked)"
    if REQUIRE_SYSTEM_DEPS:
        raise RuntimeError(f"SEMINAR_REQUIRE_SYSTEM_DEPS=1 but {message}")
    pytest.skip(message, allow_module_level=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files with slow tests first. `make test` hands whole files to the cores in this
    order (pytest-xdist, --no-loadscope-reorder): the builds and the browser suite start at
    once and the quick files fill in around them. pytest-xdist's own order, by number of
    tests, started the slowest file, which has a single test, last of all."""
    items.sort(key=lambda item: not any(item.get_closest_marker(name) for name in SLOW))


@pytest.fixture
def site_project(
    tmp_path: Path, make_app: Callable[..., SphinxTestApp]
) -> Callable[..., SphinxTestApp]:
    """``site_project(name, parallel=0)``: a Sphinx app for ``tests/roots/<name>``, set as the site.

    The fixture's conf.py runs the real conf.py and warnings count as errors (`-W`), so a
    fixture fails exactly where the site would.
    """

    def build_app(name: str, parallel: int = 0, **confoverrides: object) -> SphinxTestApp:
        srcdir = tmp_path / name
        if not srcdir.exists():
            shutil.copytree(FIXTURES / name, srcdir)
            (srcdir / "conf.py").write_text(
                "import runpy\n"
                f"globals().update(runpy.run_path({str(ROOT / 'conf.py')!r}))\n"
                "exclude_patterns = ['_build', 'fixture_lib']\n"
            )
        return make_app(
            "html",
            srcdir=srcdir,
            confoverrides=confoverrides,
            warningiserror=True,
            parallel=parallel,
        )

    return build_app


@pytest.fixture(scope="session")
def site() -> Path:
    """The site that `make html` built (make test builds it before pytest runs)."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} has no index.html: run `make html` first")
    return SITE
