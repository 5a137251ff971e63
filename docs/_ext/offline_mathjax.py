"""Serve MathJax 3 from the site itself, so that math renders with no network.

Set-up (``make venv`` runs it once): fetch the MathJax project's own npm release,
check it against the sha512 the registry publishes, and unpack the files that
``tex-chtml.js`` loads into ``<sys.prefix>/share/mathjax``::

    python docs/_ext/offline_mathjax.py

Build: this extension copies that folder to ``_static/mathjax`` and points
``sphinx.ext.mathjax`` at it. It never touches the network.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

VERSION = "3.2.2"
TARBALL = f"https://registry.npmjs.org/mathjax/-/mathjax-{VERSION}.tgz"
INTEGRITY = (
    "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/"
    "O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
)
# tex-chtml.js bundles the TeX input, the CHTML output and the menu; what it can
# load later (TeX extensions such as \boldsymbol, fonts, the accessibility
# explorer with its speech rules) must sit beside it.
# ui/lazy.js typesets a formula only when it scrolls into view: a page with hundreds
# of formulas then renders, and answers input, without waiting for all of them.
KEEP = (
    "tex-chtml.js",
    "input/tex/extensions/",
    "output/chtml/fonts/woff-v2/",
    "a11y/",
    "sre/",
    "ui/lazy.js",
)
STAMP = "\n".join((VERSION, *KEEP)) + "\n"  # a copy made with other files is made again
CONFIG = {"loader": {"load": ["ui/lazy"]}}
DEFAULT_DIR = Path(sys.prefix) / "share" / "mathjax"


def fetch(dest: Path = DEFAULT_DIR) -> None:
    """Download, verify and unpack MathJax into ``dest/mathjax``."""
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"{TARBALL}: sha512 is {digest}, expected {INTEGRITY}")
    target = dest / "mathjax"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            relative = member.name.removeprefix("package/es5/")
            if member.isfile() and relative != member.name and relative.startswith(KEEP):
                out = target / relative
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
    (target / "VERSION").write_text(STAMP)


def _serve_local_copy(app: Sphinx, config: Config) -> None:
    root = Path(config.mathjax_offline_dir)
    stamp = root / "mathjax" / "VERSION"
    if not stamp.is_file() or stamp.read_text() != STAMP:
        raise ConfigError(
            f"MathJax {VERSION} (with {', '.join(KEEP)}) is not vendored in {root}; "
            "run `make venv` (or `python docs/_ext/offline_mathjax.py`) once with network access."
        )
    config.html_static_path.append(str(root))
    config.mathjax_path = "mathjax/tex-chtml.js"
    config.mathjax3_config = {**CONFIG, **(config.mathjax3_config or {})}


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinx.ext.mathjax")
    app.add_config_value("mathjax_offline_dir", str(DEFAULT_DIR), "env", str)
    app.connect("config-inited", _serve_local_copy)
    return {"version": VERSION, "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    destination = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    fetch(destination)
    print(f"MathJax {VERSION} vendored into {destination / 'mathjax'}")
