"""Benchmark: wall time of a clean `make html` and of a no-op rebuild, and each page's execution.

Run with `make bench` (the virtualenv must exist). Prints the machine it ran on.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import time
from pathlib import Path

from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text()) if cpuinfo.exists() else None
    cpu = model.group(1).strip() if model else platform.processor() or "unknown CPU"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def timed_make_html() -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(["make", "html"], cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout + result.stderr


def main() -> None:
    shutil.rmtree(BUILD, ignore_errors=True)
    clean, _ = timed_make_html()
    noop, log = timed_make_html()
    executed = log.count("Executing notebook")
    print(f"machine: {machine()}")
    print(f"clean `make html`:   {clean:6.1f} s")
    print(f"no-op `make html`:   {noop:6.1f} s  ({executed} pages executed)")
    for cache_dir in BUILD.glob(".jupyter_cache/library-*"):
        for record in sorted(get_cache(cache_dir).list_cache_records(), key=lambda r: r.uri):
            page = Path(record.uri).relative_to(ROOT / "docs")
            print(f"  executing {page}: {record.data.get('execution_seconds', 0):5.1f} s")


if __name__ == "__main__":
    main()
