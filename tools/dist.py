"""Zip the built site for offline reading: ``python tools/dist.py _build/html _build/site.zip``.

Everything but hidden files sits under one top folder, so unzipping gives
``<folder>/index.html``. Entries are sorted and carry a fixed timestamp, so the same
site always gives the same zip.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def is_hidden(path: Path, site: Path) -> bool:
    """Sphinx's own state (.buildinfo, .doctrees) is not part of the site."""
    return any(part.startswith(".") for part in path.relative_to(site).parts)


def make_zip(site: Path, target: Path, folder: str) -> int:
    """Write every file of ``site`` into ``target`` under ``folder/``; return the file count."""
    if not (site / "index.html").is_file():
        raise ValueError(f"site: {site} has no index.html; run `make html` first")
    files = sorted(p for p in site.rglob("*") if p.is_file() and not is_hidden(p, site))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            entry = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, path.read_bytes())
    return len(files)


if __name__ == "__main__":
    site_dir, zip_path = Path(sys.argv[1]), Path(sys.argv[2])
    count = make_zip(site_dir, zip_path, zip_path.stem)
    size = zip_path.stat().st_size / 1e6
    print(f"{zip_path}: {count} files, {size:.1f} MB; unzip it and open {zip_path.stem}/index.html")
