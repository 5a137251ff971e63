"""The package versions that the patches in docs/_ext and docs/_templates were written for.

Each patch of another package's behaviour names its upstream issue and calls
``check_version`` from its ``setup``: when ``make lock`` brings another version, the build
warns (an error under -W) naming the patch, until it has been checked against the new
version and its ``written_for`` updated. tests/test_patches.py checks the same, and that
each patch is still needed.
"""

from __future__ import annotations

from importlib.metadata import version

from sphinx.util import logging

logger = logging.getLogger(__name__)


def check_version(patch: str, package: str, written_for: str, issue: str) -> None:
    """Warn, naming ``patch``, unless ``package`` is at version ``written_for``."""
    found = version(package)
    if found != written_for:
        logger.warning(
            "%s was written for %s %s, found %s: check it against the new version "
            "(upstream: %s) and update its version",
            patch,
            package,
            written_for,
            found,
            issue,
        )
