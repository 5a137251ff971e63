"""Shared fixtures: small Sphinx projects built with the site's own configuration."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "roots"
SITE = ROOT / "_build" / "html"


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
