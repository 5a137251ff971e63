"""Two clean builds of the whole site give byte-identical files (the slowest test)."""

from __future__ import annotations

import hashlib
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.build


def clean_build(workdir: Path) -> dict[str, str]:
    """Build the site with `make html`, from nothing, into ``workdir``; digest every file."""
    command = ["make", "--no-print-directory", "-C", str(ROOT), "html", f"BUILDDIR={workdir}"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-5000:]
    return {
        path.relative_to(workdir / "html").as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((workdir / "html").rglob("*"))
        if path.is_file()
    }


def test_two_clean_builds_are_byte_identical(tmp_path):
    # Two folders, built at once, each reading its pages in parallel: the output must depend
    # neither on where it is nor on which process read which page, in which order.
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.map(clean_build, [tmp_path / "first", tmp_path / "second"])
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert any(name.endswith(".png") for name in a)  # figures were compared too
