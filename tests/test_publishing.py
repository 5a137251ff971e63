"""Publishing: the GitHub Pages workflow and the zip for offline reading."""

from __future__ import annotations

import re
import sys
import zipfile

import pytest
import yaml
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from dist import make_zip

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_workflow_publishes_main_with_the_permissions_pages_needs(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_workflow_builds_with_the_readme_command_and_uploads_what_it_builds(workflow):
    build = steps(workflow, "build")
    runs = [s["run"] for s in build if "run" in s]
    assert runs == ["sudo make system-deps-tex", "make html", "make pdf"]
    assert "make html" in (ROOT / "README.md").read_text()
    builddir = re.search(r"^BUILDDIR := (\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert builddir, "Makefile defines no BUILDDIR"
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == f"{builddir.group(1)}/html"


def test_workflow_uses_the_python_the_project_requires(workflow):
    setup = next(s for s in steps(workflow, "build") if "setup-python" in s.get("uses", ""))
    required = re.search(r'requires-python = ">=(\d+\.\d+)"', (ROOT / "pyproject.toml").read_text())
    assert required, "pyproject.toml names no minimum Python"
    assert setup["with"]["python-version"] == required.group(1)


def test_workflow_deploys_after_the_build_with_the_standard_actions(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    every_action = [
        s["uses"] for job in workflow["jobs"] for s in steps(workflow, job) if "uses" in s
    ]
    unpinned = [use for use in every_action if not re.fullmatch(r"actions/[\w-]+@v\d+", use)]
    assert unpinned == [], "actions outside actions/* or without a major version"


def test_zip_holds_the_site_under_one_folder_and_nothing_hidden(site, tmp_path):
    target = tmp_path / "seminar-05-site.zip"
    count = make_zip(site, target, "seminar-05-site")
    names = zipfile.ZipFile(target).namelist()
    assert len(names) == count
    assert "seminar-05-site/index.html" in names
    assert all(name.startswith("seminar-05-site/") for name in names)
    assert not [name for name in names if "/." in name]  # no .doctrees, no .buildinfo
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert {f"seminar-05-site/{page}" for page in pages} <= set(names)


def test_zip_is_the_same_for_the_same_site(site, tmp_path):
    first, second = tmp_path / "a" / "site.zip", tmp_path / "b" / "site.zip"
    make_zip(site, first, "site")
    make_zip(site, second, "site")
    assert first.read_bytes() == second.read_bytes()


def test_zip_refuses_a_folder_that_is_not_a_site(tmp_path):
    with pytest.raises(ValueError, match=r"site: .* has no index\.html"):
        make_zip(tmp_path, tmp_path / "out.zip", "site")


@pytest.mark.browser
def test_unzipped_site_works_opened_from_disk(site, tmp_path):
    browser_module = pytest.importorskip("browser")
    if browser_module.find_chromium() is None:
        pytest.skip("no Chromium: `make system-deps` installs it")
    make_zip(site, tmp_path / "site.zip", "site")
    zipfile.ZipFile(tmp_path / "site.zip").extractall(tmp_path)
    base = (tmp_path / "site").as_uri() + "/"
    with browser_module.chromium() as browser:
        for page in ["index.html", "assignments/02-trust-region-fgsm.html"]:
            opened = browser_module.visit(browser, base, page)
            assert (opened.blocked, opened.failed, opened.console_errors) == ([], [], [])
            assert opened.page.locator("mjx-merror").count() == 0
            assert (
                opened.page.locator("mjx-container").count() == opened.page.locator(".math").count()
            )
            opened.page.context.close()
        found = browser_module.visit(browser, base, "search.html?q=FGSM")
        results = found.page.locator("#search-results li a")
        results.first.wait_for(timeout=10_000)
        assert "trust-region" in " ".join(results.evaluate_all("links => links.map(a => a.href)"))
        found.page.context.close()
