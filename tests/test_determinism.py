"""Two clean builds of the whole site give byte-identical files (the slowest test)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.build


def clean_build(workdir: Path) -> Path:
    """Build the site as `make html` does, from nothing, into ``workdir/html``."""
    command = [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q"]
    command += ["-b", "html", "-d", str(workdir / "doctrees"), "-c", str(ROOT)]
    command += [str(ROOT / "docs"), str(workdir / "html")]
    env = os.environ | {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr[-5000:]
    return workdir / "html"


def file_digests(tree: Path) -> dict[str, str]:
    return {
        path.relative_to(tree).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }


def test_two_clean_builds_are_byte_identical(tmp_path):
    with ThreadPoolExecutor(max_workers=2) as pool:  # one build per core
        first, second = pool.map(clean_build, [tmp_path / "first", tmp_path / "second"])
    a, b = file_digests(first), file_digests(second)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert any(name.endswith(".png") for name in a)  # figures were compared too
