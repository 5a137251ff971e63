"""A clean build of the whole site, and of its PDF, gives the files built before the tests,
byte for byte (the slowest test)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BOOK, ROOT, SITE, lost_a_port

pytestmark = pytest.mark.build


def digests(site: Path) -> dict[str, str]:
    """Every file under ``site``, by path, with its SHA-256 (make's stamp left out)."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name != ".built"
    }


def make(target: str, workdir: Path) -> None:
    """Run `make <target>` into the build folder ``workdir``."""
    command = ["make", "--no-print-directory", "-C", str(ROOT), target, f"BUILDDIR={workdir}"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 and lost_a_port(result.stdout + result.stderr):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]


def clean_build(workdir: Path) -> dict[str, str]:
    """Build the site with `make html`, from nothing, into ``workdir``; digest every file."""
    make("html", workdir)
    return digests(workdir / "html")


def test_a_clean_build_elsewhere_gives_the_same_files(tmp_path):
    # `make test` builds _build/html first (in CI from a clean clone, so from nothing). A
    # second build, in another folder and with pages read by other processes in another
    # order, must not differ in any file. (A site left over from an older build can hold
    # pages since deleted; those are not compared.)
    if not (SITE / "index.html").is_file():
        pytest.skip("no built site: run `make html`")
    site = digests(SITE)
    fresh = clean_build(tmp_path)
    assert sorted(set(fresh) - set(site)) == [], "files the site lacks"
    assert [name for name in fresh if fresh[name] != site[name]] == []
    assert any(name.endswith(".png") for name in fresh)  # figures were compared too
    if shutil.which("latexmk") and BOOK.is_file():  # without TeX, test_pdf.py says so
        make("pdf", tmp_path)
        assert (tmp_path / "pdf" / BOOK.name).read_bytes() == BOOK.read_bytes(), "the PDF differs"
