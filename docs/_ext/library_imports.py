"""Execute a page again when a library module its code imports changes, or when it failed.

What it buys: without it a library edit executes no page (stale output); with all of
seminar/ a dependency of every page, one module's edit would execute all four. Sphinx
reads (myst-nb executes) a page again when it or a noted dependency is newer than its last
reading: this notes the ``library_packages`` files its code imports, directly or not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from importlib.util import resolve_name
from pathlib import Path

from myst_nb.core.read import create_nb_reader
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx


def imported_modules(source: str, package: str | None = None) -> Iterator[str]:
    """Dotted names that ``source`` may import (``from a import b``: ``a`` and ``a.b``);
    relative imports resolve against ``package``."""
    try:
        nodes = ast.walk(ast.parse(source))
    except SyntaxError:
        return  # such code fails before it imports anything
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            try:
                base = resolve_name("." * node.level + (node.module or ""), package)
            except (ImportError, ValueError):
                continue  # a relative import outside any package fails at run time
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


def module_files(name: str, packages: dict[str, Path]) -> Iterator[tuple[Path, str]]:
    """The files importing ``name`` may run, with their package (``pkg.sub``: ``pkg/__init__``,
    ``pkg/sub.py``, ``pkg/sub/__init__.py``)."""
    top, *parts = name.split(".")
    if top not in packages:
        return
    folder, package = packages[top], top
    yield folder / "__init__.py", package
    for part in parts:
        yield folder / f"{part}.py", package
        folder, package = folder / part, f"{package}.{part}"
        yield folder / "__init__.py", package


def library_files(code: Iterable[str], packages: dict[str, Path]) -> set[Path]:
    """Every existing file of ``packages`` that running ``code`` imports, directly or not."""
    todo = [name for source in code for name in imported_modules(source)]
    found: set[Path] = set()
    while todo:
        for path, package in module_files(todo.pop(), packages):
            if path not in found and path.is_file():
                found.add(path)
                todo += imported_modules(path.read_text(), package)
    return found


def _note_library_files(app: Sphinx, docname: str, source: list[str]) -> None:
    env, text = app.env, source[0]
    reader = create_nb_reader(str(env.doc2path(docname)), env.myst_config, env.mystnb_config, text)
    if reader is not None:  # a notebook page
        code = [cell.source for cell in reader.read(text).cells if cell.cell_type == "code"]
        packages = {Path(p).name: Path(p) for p in app.config.library_packages}
        for path in sorted(library_files(code, packages)):
            env.note_dependency(path, docname=docname)


def _read_again_if_failed(app: Sphinx, doctree: object) -> None:
    # A failed cell is a warning Sphinx would not repeat: read the page until it succeeds.
    executed = NbMetadataCollector.get_exec_data(app.env, app.env.docname) or {}
    if executed.get("succeeded") is False:
        app.env.note_reread()


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("library_packages", [], "env", list)  # package folders, e.g. seminar/
    app.connect("source-read", _note_library_files)
    app.connect("doctree-read", _read_again_if_failed)
    return {"version": "3.0", "parallel_read_safe": True, "parallel_write_safe": True}
