"""Re-read, hence re-execute, exactly the pages whose library code changed (or that failed).

With ``nb_execution_mode = "force"`` myst-nb runs a page's cells whenever Sphinx reads
the page, and Sphinx re-reads a page when its source changes. Its outputs also depend on
the library modules its cells import, which Sphinx cannot see. This extension finds them
while the page is read: the modules of the packages in ``library_packages`` that the code
cells import, then the modules those import, and so on. It stores a hash of each of these
files with the page, and before every build has Sphinx re-read the pages whose files'
contents changed. Contents, not modification times: a file put back with an old time
still counts, and a file that is only touched does not.

Not seen: imports by name at run time (``importlib.import_module("seminar.x")``).
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.util import resolve_name
from pathlib import Path

from myst_nb.core.read import create_nb_reader
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

ABSENT = "absent"  # the "hash" of a module file that does not exist (it may appear later)
Digests = dict[str, str]  # file path -> sha256 of its bytes


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ABSENT


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
    """Every file of ``packages`` that running ``code`` may import, directly or not."""
    todo = [name for source in code for name in imported_modules(source)]
    seen: set[Path] = set()
    while todo:
        for path, package in module_files(todo.pop(), packages):
            if path not in seen:
                seen.add(path)
                if path.is_file():
                    todo += imported_modules(path.read_text(), package)
    return seen


def page_code(env: BuildEnvironment, docname: str, text: str) -> list[str] | None:
    """The Python of a page's code cells, IPython syntax made plain; None if not a notebook."""
    reader = create_nb_reader(str(env.doc2path(docname)), env.myst_config, env.mystnb_config, text)
    if reader is None:
        return None
    from IPython.core.inputtransformer2 import TransformerManager  # only when reading pages

    plain = TransformerManager().transform_cell
    notebook = reader.read(text)
    return [plain(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def recorded(env: BuildEnvironment) -> dict[str, Digests]:
    """docname -> the library files its code imports, as they were when it was read."""
    if not hasattr(env, "library_imports"):
        env.library_imports = {}
    return env.library_imports  # type: ignore[no-any-return]


def _record_library_files(app: Sphinx, docname: str, source: list[str]) -> None:
    # Hashed before the page executes: a file edited during the build counts as changed.
    code = page_code(app.env, docname, source[0])
    if code is not None:
        packages = {Path(p).name: Path(p) for p in app.config.library_packages}
        files = library_files(code, packages)
        recorded(app.env)[docname] = {str(path): file_digest(path) for path in sorted(files)}


def _pages_to_read_again(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages whose library files changed, and pages whose execution failed last time.

    A failed cell is a warning (an error under -W) that Sphinx would not repeat once the
    page is read, so the page executes again until it succeeds.
    """
    digest = cache(lambda path: file_digest(Path(path)))
    stale = {
        docname
        for docname, files in recorded(env).items()
        if any(digest(path) != old for path, old in files.items())
    }
    failed = {
        docname
        for docname in env.all_docs
        if (NbMetadataCollector.get_exec_data(env, docname) or {}).get("succeeded") is False
    }
    return sorted((stale | failed) - removed)


def _forget_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    recorded(env).pop(docname, None)


def _merge_parallel_reads(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    for docname in docnames & recorded(other).keys():
        recorded(env)[docname] = recorded(other)[docname]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("library_packages", [], "env", list)  # package folders, e.g. seminar/
    app.connect("source-read", _record_library_files)
    app.connect("env-get-outdated", _pages_to_read_again)
    app.connect("env-purge-doc", _forget_page)
    app.connect("env-merge-info", _merge_parallel_reads)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
