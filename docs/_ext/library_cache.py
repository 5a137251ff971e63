"""Key the notebook execution cache on the library as well as on each page.

jupyter-cache hashes a page's own cells, not the modules the page imports, so a
change in ``seminar/`` alone would let myst-nb serve stale outputs. This
extension folds a hash of the library's files into ``nb_execution_cache_path``:
a changed library gives a new, empty cache (every page executes again) and a
changed config value (Sphinx re-reads every page). Caches keyed on older
versions of the library are deleted.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)
PREFIX = "library-"


def library_digest(roots: list[Path]) -> str:
    """A short hash of every file (name and bytes) under ``roots``."""
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _key_cache_on_library(app: Sphinx, config: Config) -> None:
    roots = [Path(app.confdir, d) for d in config.library_cache_dirs]
    base = Path(app.outdir).parent / ".jupyter_cache"
    current = base / (PREFIX + library_digest(roots))
    for stale in base.glob(PREFIX + "*"):
        if stale != current:
            logger.info("library changed: removing execution cache %s", stale.name)
            shutil.rmtree(stale)
    config.nb_execution_cache_path = str(current)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("library_cache_dirs", [], "env", list)
    app.connect("config-inited", _key_cache_on_library)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
