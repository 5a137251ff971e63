"""The machine a benchmark ran on, printed beside its figures."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def describe() -> str:
    """CPU model, core count, Python and operating system, e.g. for a results table."""
    cpuinfo = Path("/proc/cpuinfo")
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text()) if cpuinfo.exists() else None
    cpu = model.group(1).strip() if model else platform.processor() or "unknown CPU"
    system = f"{platform.system()} {platform.machine()}"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {system}"
