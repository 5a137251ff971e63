"""Benchmark: clean, no-op and incremental `make html` against its floor; `make test`.

Run with `make bench` (`--no-test` leaves out `make test`). It deletes _build/, so it
starts from empty caches (the virtualenv stays), and prints Markdown tables with the
machine, its load and the date: wall times are only comparable on the same machine, the
ratio is meant to travel.

The floor is the issue's definition: every page's code run as a plain Python script, one
page after the other, plus a Sphinx build of the same pages with execution off.

For the two edits it changes a page and a library module in place (a comment line) and
puts them back afterwards, rebuilding, even when interrupted by an error or Ctrl-C.

`make test` runs last, from an empty _build/ again, as on a fresh clone with its
virtualenv: the time of each step (lint, html, doctest, pytest) and of each test file.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.core.inputtransformer2 import TransformerManager
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = ROOT / "_build"
EDITED_PAGE = DOCS / "assignments" / "01-receptive-fields.md"
EDITED_MODULE = ROOT / "seminar" / "trust_region.py"  # pages 2 and 4; page 4 through attacks
SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text()) if cpuinfo.exists() else None
    cpu = model.group(1).strip() if model else platform.processor() or "unknown CPU"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def load() -> str:
    """The 1-minute load average: other work on the machine stretches every wall time."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def code_cells(page: Path) -> list[str]:
    """A page's code cells as plain Python (IPython syntax translated)."""
    notebook = read_myst_markdown_notebook(page.read_text(), MdParserConfig())
    transform = TransformerManager().transform_cell
    return [transform(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def notebook_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if p.read_text().startswith("---\njupytext:"))


@dataclass
class Build:
    seconds: float
    executed: list[str]  # pages executed, relative to docs/, without .md

    def cells(self) -> int:
        return sum(len(code_cells(DOCS / f"{page}.md")) for page in self.executed)

    def summary(self) -> str:
        pages = ", ".join(self.executed) or "none"
        return f"{self.seconds:.1f} s; pages executed: {pages} ({self.cells()} cells)"


def make(*args: str) -> Build:
    """Run make with ``args``; its wall time and the pages whose code it executed."""
    start = time.perf_counter()
    result = subprocess.run(["make", *args], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"`make {' '.join(args)}` failed:\n{log[-5000:]}")
    executed = re.findall(rf"{re.escape(str(DOCS))}/(\S+)\.md: Executing notebook", log)
    return Build(seconds, sorted(executed))


def timed(command: list[str], **kwargs: Any) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def scripts_seconds(workdir: Path) -> float:
    """Each page's code as one plain Python script, run one after the other, in its folder."""
    total = 0.0
    for page in notebook_pages():
        code = "\n\n".join(code_cells(page))
        if "get_ipython()" in code:
            sys.exit(f"{page} uses IPython-only syntax, which a plain script cannot run")
        script = workdir / f"{page.stem}.py"
        script.write_text(code)
        env = os.environ | SINGLE_THREAD | {"MPLBACKEND": "Agg"}
        total += timed([sys.executable, str(script)], cwd=page.parent, env=env)
    return total


def unexecuted_sphinx_seconds(workdir: Path) -> float:
    """The Sphinx build of the same pages, with `make html`'s options but execution off.

    Without -W: glued numbers are missing when nothing executes, which Sphinx warns about.
    """
    options = [o for o in os.environ.get("SPHINXOPTS", "-j auto").split() if o != "-W"]
    command = [str(Path(sys.executable).parent / "sphinx-build"), *options]
    command += ["-D", "nb_execution_mode=off", "-c", str(ROOT), "-d", str(workdir / "doctrees")]
    return timed([*command, "-b", "html", str(DOCS), str(workdir / "html")], cwd=ROOT)


@contextmanager
def edited(path: Path, line: str) -> Iterator[None]:
    """``path`` with ``line`` appended; afterwards the original bytes, and the site rebuilt."""
    original = path.read_bytes()
    try:
        path.write_bytes(original + line.encode())
        yield
    finally:
        path.write_bytes(original)
        make("html")


# The lines make echoes as it starts each step of `make test`, and the step they start.
STEPS = {"ruff check": "lint", "-b html": "html", "-b doctest": "doctest", "-m pytest": "pytest"}


def make_test() -> tuple[float, dict[str, float], dict[str, float]]:
    """Wall time of `make test` from an empty _build/, per step and per test file."""
    shutil.rmtree(BUILD, ignore_errors=True)
    env = os.environ | {"PYTEST_ADDOPTS": "--durations=0 --durations-min=0"}
    start = time.perf_counter()
    steps: dict[str, float] = {}
    log = []
    with subprocess.Popen(
        ["make", "test"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(line)
            step = next((step for echo, step in STEPS.items() if echo in line), None)
            if step and step not in steps:
                steps[step] = time.perf_counter() - start  # when the step starts
    total = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit("`make test` failed:\n" + "".join(log[-80:]))
    starts = [*steps.items(), ("end", total)]  # in the order the steps started
    spans = {step: end - begin for (step, begin), (_, end) in itertools.pairwise(starts)}
    return total, spans, per_test_file("".join(log))


def per_test_file(log: str) -> dict[str, float]:
    """Seconds per test file (setup, call and teardown), from pytest's --durations list."""
    files: dict[str, float] = defaultdict(float)
    for seconds, path in re.findall(r"^([\d.]+)s (?:setup|call|teardown) +([^:\s]+)::", log, re.M):
        files[path] += float(seconds)
    return dict(sorted(files.items(), key=lambda item: -item[1]))


def print_make_test() -> None:
    total, steps, files = make_test()
    print(f"\n`make test` from an empty _build/: {total:.0f} s ({total / 60:.1f} min)\n")
    print("| step | wall time |\n| --- | --- |")
    for step, seconds in steps.items():
        print(f"| {step} | {seconds:.1f} s |")
    print("\n| pytest file (setup + call + teardown) | time |\n| --- | --- |")
    for path, seconds in files.items():
        if seconds >= 0.5:
            print(f"| {path} | {seconds:.1f} s |")
    rest = sum(seconds for seconds in files.values() if seconds < 0.5)
    print(f"| every other file | {rest:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-test", action="store_true", help="leave out `make test`")
    arguments = parser.parse_args()
    started = datetime.datetime.now().astimezone()
    load_before = load()
    shutil.rmtree(BUILD, ignore_errors=True)
    clean = make("html")
    noop = make("html")
    sphinx_noop = make("-W", "conf.py", "html")  # Sphinx runs, as if conf.py had changed
    doctest = make("doctest")
    with edited(EDITED_PAGE, "\n% edited by benchmarks/build_time.py\n"):
        page_edit = make("html")
    with edited(EDITED_MODULE, "\n# edited by benchmarks/build_time.py\n"):
        library_edit = make("html")
    with tempfile.TemporaryDirectory() as tmp:
        scripts = scripts_seconds(Path(tmp))
        unexecuted = unexecuted_sphinx_seconds(Path(tmp))
    floor = scripts + unexecuted

    rows = [
        ("clean `make html` (`_build/` deleted)", clean.summary()),
        ("floor: pages' code as plain scripts, one after the other", f"{scripts:.1f} s"),
        ("floor: Sphinx build with execution off", f"{unexecuted:.1f} s"),
        ("**clean build / floor**", f"**{clean.seconds / floor:.2f}**"),
        ("no-op `make html` (make finds nothing changed)", noop.summary()),
        ("no-op Sphinx run (`make -W conf.py html`)", sphinx_noop.summary()),
        ("`make doctest` after `make html`", doctest.summary()),
        (f"edit one page ({EDITED_PAGE.relative_to(DOCS)})", page_edit.summary()),
        (f"edit the library ({EDITED_MODULE.relative_to(ROOT)})", library_edit.summary()),
    ]
    print(f"Machine: {machine()}")
    print(f"Date: {started:%Y-%m-%d %H:%M %Z}; 1-minute load average {load_before} before,", end="")
    print(f" {load()} after (other work on the machine stretches wall times)")
    print(f"Command: make bench (SPHINXOPTS as in the Makefile, {os.cpu_count()} cores)\n")
    print("| what | result |\n| --- | --- |")
    for what, result in rows:
        print(f"| {what} | {result} |")
    if not arguments.no_test:
        print_make_test()


if __name__ == "__main__":
    main()
