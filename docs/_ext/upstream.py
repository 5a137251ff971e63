"""The check each patch of another package makes: it names its upstream issue and the
version it was written for, and warns (an error under -W) once `make lock` brings another.
tests/test_patches.py checks the same, and that each patch is still needed."""

from importlib.metadata import version

from sphinx.util import logging


def check_version(patch: str, package: str, written_for: str, issue: str) -> None:
    if version(package) != written_for:
        logging.getLogger(patch).warning(
            "%s was written for %s %s, found %s: check it against %s and update WRITTEN_FOR",
            *(patch, package, written_for, version(package), issue),
        )
