"""The template of a new assignment (`make assignment`): the triple it writes builds with
the site's conf.py into a page of the site's shape, and its test and doctests pass."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import test_page_shape
from conftest import ROOT, built
from new_assignment import new_assignment

pytestmark = pytest.mark.build

FIXTURE_INDEX = """# Fixture

```{toctree}
:numbered: 1

assignments/01-first
```
"""


@pytest.fixture
def project(tmp_path):
    """A copy of the library, and a site of one plain assignment page plus the new one."""
    shutil.copytree(ROOT / "seminar", tmp_path / "seminar", ignore=shutil.ignore_patterns("__py*"))
    (tmp_path / "docs" / "assignments").mkdir(parents=True)
    (tmp_path / "docs" / "assignments" / "01-first.md").write_text("# First\n\nA page.\n")
    (tmp_path / "docs" / "index.md").write_text(FIXTURE_INDEX)
    (tmp_path / "docs" / "api.md").write_text("# Reference library\n")
    written = new_assignment("closest-point", "The closest point", tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in written] == [
        "docs/assignments/02-closest-point.md",
        "seminar/closest_point.py",
        "tests/test_closest_point.py",
        "docs/index.md",
        "docs/api.md",
    ]
    return tmp_path


def test_the_new_page_builds_with_the_shape_of_the_design(project, make_app, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(project))  # the kernel imports the copied library
    (project / "docs" / "conf.py").write_text(
        f"import runpy\nglobals().update(runpy.run_path({str(ROOT / 'conf.py')!r}))\n"
    )
    app = built(
        lambda: make_app(
            "html",
            srcdir=project / "docs",
            # The API page would import the library in this process: its edit is checked as text.
            confoverrides={
                "library_packages": [str(project / "seminar")],
                "exclude_patterns": ["api.md"],
            },
            warningiserror=True,
        )
    )
    assert (app.statuscode, app.warning.getvalue()) == (0, ""), app.warning.getvalue()[-3000:]
    site, page = app.outdir, "assignments/02-closest-point"
    test_page_shape.test_solutions_hold_the_answer_and_nothing_more(site, page)
    test_page_shape.test_every_figure_is_cited_and_sits_beside_its_first_citation(site, page)
    test_page_shape.test_numbers_are_per_assignment(site, page)
    test_page_shape.test_no_python_repr_in_the_text(site, page)
    assert "The closest point" in (site / f"{page}.html").read_text()
    assert ".. automodule:: seminar.closest_point" in (project / "docs" / "api.md").read_text()


def test_the_new_test_and_doctests_pass(project):
    tests = [str(project / "tests"), str(project / "seminar" / "closest_point.py")]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules"]
    command += tests
    done = subprocess.run(
        command, cwd=project, capture_output=True, text=True, env={"PYTHONPATH": str(project)}
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_new_code_passes_the_linter(project):
    code = ["seminar/closest_point.py", "tests/test_closest_point.py"]
    ruff = [sys.executable, "-m", "ruff", "--config", str(ROOT / "pyproject.toml")]
    for check in (["check"], ["format", "--check"]):
        done = subprocess.run([*ruff, *check, *code], cwd=project, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_name_that_is_no_page_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="NAME must be lowercase words joined by hyphens"):
        new_assignment("Closest Point", "Title", tmp_path)
