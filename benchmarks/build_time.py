"""Benchmark: clean, no-op and incremental `make html` against its floor; `make pdf`;
`make test`.

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
import re
import resource
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
from machine import describe
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = ROOT / "_build"
EDITED_PAGE = DOCS / "assignments" / "01-receptive-fields.md"
EDITED_MODULE = ROOT / "seminar" / "trust_region.py"  # pages 2 and 4; page 4 through attacks
SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


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
class Timing:
    seconds: float  # wall time
    cpu: float  # CPU time of every process it started: other work on the machine adds none

    def __str__(self) -> str:
        return f"{self.seconds:.1f} s ({self.cpu:.0f} s CPU)"

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.seconds + other.seconds, self.cpu + other.cpu)


@contextmanager
def timing() -> Iterator[Timing]:
    """Measures the block: wall time, and CPU time of the child processes it waited for."""
    result = Timing(0.0, 0.0)
    cpu, start = children_cpu(), time.perf_counter()
    yield result
    result.seconds, result.cpu = time.perf_counter() - start, children_cpu() - cpu


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Build:
    time: Timing
    executed: list[str]  # pages executed, relative to docs/, without .md

    def cells(self) -> int:
        return sum(len(code_cells(DOCS / f"{page}.md")) for page in self.executed)

    def summary(self) -> str:
        pages = ", ".join(self.executed) or "none"
        return f"{self.time}; pages executed: {pages} ({self.cells()} cells)"


def make(*args: str) -> Build:
    """Run make with ``args``; its wall time and the pages whose code it executed."""
    with timing() as spent:
        result = subprocess.run(["make", *args], cwd=ROOT, capture_output=True, text=True)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"`make {' '.join(args)}` failed:\n{log[-5000:]}")
    executed = re.findall(rf"{re.escape(str(DOCS))}/(\S+)\.md: Executing notebook", log)
    return Build(spent, sorted(executed))


def timed(command: list[str], **kwargs: Any) -> Timing:
    with timing() as spent:
        subprocess.run(command, check=True, capture_output=True, **kwargs)
    return spent


# What a notebook does after each cell and a plain script does not: draw the open figures
# (as retina PNGs, seminar.plotting's choice) and close them.
DRAW_FIGURES = """
import sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    import io as _io
    for _number in _sys.modules["matplotlib.pyplot"].get_fignums():
        _figure = _sys.modules["matplotlib.pyplot"].figure(_number)
        _figure.savefig(_io.BytesIO(), format="png", dpi=2 * _figure.dpi, bbox_inches="tight")
    _sys.modules["matplotlib.pyplot"].close("all")
"""


def scripts_time(workdir: Path, draw_figures: bool = False) -> Timing:
    """Each page's code as one plain Python script, run one after the other, in its folder."""
    total = Timing(0.0, 0.0)
    for page in notebook_pages():
        separator = DRAW_FIGURES if draw_figures else ""
        code = f"\n{separator}\n".join(code_cells(page))
        if "get_ipython()" in code:
            sys.exit(f"{page} uses IPython-only syntax, which a plain script cannot run")
        script = workdir / f"{page.stem}.py"
        script.write_text(code)
        env = os.environ | SINGLE_THREAD | {"MPLBACKEND": "Agg"}
        total += timed([sys.executable, str(script)], cwd=page.parent, env=env)
    return total


def unexecuted_sphinx_time(workdir: Path) -> Timing:
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


def make_test() -> tuple[Timing, dict[str, float], dict[str, float]]:
    """Time of `make test` from an empty _build/; wall time per step and per test file."""
    shutil.rmtree(BUILD, ignore_errors=True)
    env = os.environ | {"PYTEST_ADDOPTS": "--durations=0 --durations-min=0"}
    steps: dict[str, float] = {}
    log = []
    with (
        timing() as total,
        subprocess.Popen(
            ["make", "test"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as process,
    ):
        assert process.stdout is not None
        start = time.perf_counter()
        for line in process.stdout:
            log.append(line)
            step = next((step for echo, step in STEPS.items() if echo in line), None)
            if step and step not in steps:
                steps[step] = time.perf_counter() - start  # when the step starts
    if process.returncode != 0:
        saved = BUILD / "make-test.log"  # the failures come before pytest's durations
        saved.write_text("".join(log))
        sys.exit(f"`make test` failed (its whole output: {saved}):\n" + "".join(log[-20:]))
    starts = [*steps.items(), ("end", total.seconds)]  # in the order the steps started
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
    per_core = total.cpu / 60 / (os.cpu_count() or 1)  # no idle machine can be faster
    print(f"\n`make test` from an empty _build/: {total.seconds / 60:.1f} min wall time, ", end="")
    print(f"{total.cpu / 60:.1f} min CPU time, {per_core:.1f} min per core\n")
    print("| step | wall time |\n| --- | --- |")
    for step, seconds in steps.items():
        print(f"| {step} | {seconds:.1f} s |")
    print("\n| pytest file (setup, call, teardown; files run side by side) | time |")
    print("| --- | --- |")
    for path, seconds in files.items():
        if seconds >= 0.5:
            print(f"| {path} | {seconds:.1f} s |")
    rest = sum(seconds for seconds in files.values() if seconds < 0.5)
    print(f"| every other file | {rest:.1f} s |")


def floor_time() -> tuple[Timing, Timing, Timing]:
    """Plain scripts, the same drawing their figures, and Sphinx with execution off."""
    with tempfile.TemporaryDirectory() as tmp:
        scripts, drawing = scripts_time(Path(tmp)), scripts_time(Path(tmp), draw_figures=True)
        return scripts, drawing, unexecuted_sphinx_time(Path(tmp))


def ratio(build: Timing, floor: Timing) -> str:
    return f"{build.seconds / floor.seconds:.2f} (CPU time: {build.cpu / floor.cpu:.2f})"


def build_rows() -> list[tuple[str, str]]:
    """Each measurement of `make html` and `make doctest`, as table rows."""
    shutil.rmtree(BUILD, ignore_errors=True)
    clean = make("html")
    scripts, drawing, unexecuted = floor_time()  # right after the clean build: similar load
    floor, drawn = scripts + unexecuted, drawing + unexecuted

    noop = make("html")
    sphinx_noop = make("-W", "conf.py", "html")  # Sphinx runs, as if conf.py had changed
    doctest = make("doctest")
    with edited(EDITED_PAGE, "\n% edited by benchmarks/build_time.py\n"):
        page_edit = make("html")
    with edited(EDITED_MODULE, "\n# edited by benchmarks/build_time.py\n"):
        library_edit = make("html")
    rows = pdf_rows() if shutil.which("latexmk") else [("`make pdf`", "not run: no TeX")]
    return [
        ("clean `make html` (`_build/` deleted)", clean.summary()),
        ("floor: pages' code as plain scripts, one after the other", str(scripts)),
        ("floor: Sphinx build with execution off", str(unexecuted)),
        ("**clean build / floor** (wall time)", f"**{ratio(clean.time, floor)}**"),
        ("the scripts drawing their figures, as the pages do", str(drawing)),
        ("clean build / floor with the figures drawn", ratio(clean.time, drawn)),
        ("no-op `make html` (make finds nothing changed)", noop.summary()),
        ("no-op Sphinx run (`make -W conf.py html`)", sphinx_noop.summary()),
        ("`make doctest` after `make html`", doctest.summary()),
        (f"edit one page ({EDITED_PAGE.relative_to(DOCS)})", page_edit.summary()),
        (f"edit the library ({EDITED_MODULE.relative_to(ROOT)})", library_edit.summary()),
        *rows,
    ]


def pdf_rows() -> list[tuple[str, str]]:
    """`make pdf` after `make html` (it reuses the executed pages), then from nothing."""
    after_html = make("pdf")
    shutil.rmtree(BUILD, ignore_errors=True)
    clean = make("pdf")
    return [
        ("`make pdf` after `make html`", after_html.summary()),
        ("clean `make pdf` (`_build/` deleted)", clean.summary()),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-test", action="store_true", help="leave out `make test`")
    arguments = parser.parse_args()
    started, load_before = datetime.datetime.now().astimezone(), load()
    rows = build_rows()
    print(f"Machine: {describe()}")
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
