"""Re-execute a page when a library module its code imports changes, or when it failed.

With ``nb_execution_mode = "force"`` myst-nb runs a page's cells whenever Sphinx reads
the page, and Sphinx reads a page again when its source, or a file noted as its
dependency, is newer than its last reading. This notes as dependencies the files of the
packages in ``library_packages`` that the page's code cells import, directly or through
other modules. Without it a library edit re-executes no page and the site shows stale
output; with every library file a dependency of every page, an edit of
``seminar/weight_norm.py`` would re-execute all four assignments instead of one.

Not seen: imports by name at run time (``importlib.import_module("seminar.x")``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from importlib.util import resolve_name
from pathlib import Path

from myst_nb.core.read import create_nb_reader
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def imported_modules(source: str, package: str | None = None) -> Iterator[str]:
    """Dotted names that ``source`` may import; relative imports resolve against ``package``.

    ``from a import b`` yields ``a`` and ``a.b``, since ``b`` may be a module.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return  # such code fails before it imports anything
    for node in ast.walk(tree):
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
    """The files Python may run to import ``name``, each with the package it belongs to.

    For ``pkg.sub.mod``: ``pkg/__init__.py``, ``pkg/sub.py``, ``pkg/sub/__init__.py``,
    ``pkg/sub/mod.py``, ``pkg/sub/mod/__init__.py``; only one of each pair exists.
    """
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


def page_code(env: BuildEnvironment, docname: str, text: str) -> list[str] | None:
    """The Python of a page's code cells, IPython syntax made plain; None if not a notebook."""
    reader = create_nb_reader(str(env.doc2path(docname)), env.myst_config, env.mystnb_config, text)
    if reader is None:
        return None
    from IPython.core.inputtransformer2 import TransformerManager  # only when reading pages

    plain = TransformerManager().transform_cell
    notebook = reader.read(text)
    return [plain(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def _note_library_files(app: Sphinx, docname: str, source: list[str]) -> None:
    code = page_code(app.env, docname, source[0])
    if code is not None:
        packages = {Path(p).name: Path(p) for p in app.config.library_packages}
        for path in sorted(library_files(code, packages)):
            app.env.note_dependency(path, docname=docname)


def _read_again_if_failed(app: Sphinx, doctree: object) -> None:
    # A failed cell is a warning (an error under -W) that Sphinx would not repeat, as it
    # does not read an unchanged page again: the page executes again until it succeeds.
    if (NbMetadataCollector.get_exec_data(app.env, app.env.docname) or {}).get(
        "succeeded"
    ) is False:
        app.env.note_reread()


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("library_packages", [], "env", list)  # package folders, e.g. seminar/
    app.connect("source-read", _note_library_files)
    app.connect("doctree-read", _read_again_if_failed)
    return {"version": "3.0", "parallel_read_safe": True, "parallel_write_safe": True}
