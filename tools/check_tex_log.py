"""Fail `make pdf` on what TeX only warns about, naming the page it comes from.

    python tools/check_tex_log.py _build/pdf/tex/seminar-05-solutions.log

(with TeX's ``max_print_line`` raised, so that no message is wrapped).

Errors: a TeX error, an undefined reference or citation, a character missing from its font, an
overfull line or page (text running into the margin) by more than
``ALLOWED_OVERFULL_PT``. The
page of each is the site page whose part of the .tex holds it (Sphinx labels the start
of each page ``\\label{\\detokenize{<page>::doc}}``).
"""

from __future__ import annotations

import bisect
import re
import sys
from pathlib import Path

ALLOWED_OVERFULL_PT = 3.0  # below what a reader sees in the margin of an A4 page
PAGE_START = re.compile(r"\\label\{\\detokenize\{([^}]*)::doc\}\}")
UNDEFINED = re.compile(r"LaTeX Warning: (?:Reference|Citation) `([^']*)' .*?input line (\d+)")
MISSING = re.compile(r"Missing character: There is no (.) \(U\+([0-9A-F]+)\) in font ([^!\n]*)")
ERROR = re.compile(r"^! (.*)$(?:\n.*)*?\nl\.(\d+)", re.MULTILINE)
OVERFULL = re.compile(r"Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\) .*?lines? (\d+)")


class Pages:
    """Which site page a line of the .tex belongs to."""

    def __init__(self, tex: str) -> None:
        lines = tex.splitlines()
        starts = [(n, m[1]) for n, line in enumerate(lines, 1) if (m := PAGE_START.search(line))]
        self.lines, self.names = [n for n, _ in starts], [name for _, name in starts]
        self.tex = lines

    def at(self, line: int) -> str:
        index = bisect.bisect_right(self.lines, line) - 1
        return self.names[index] if index >= 0 else "index"

    def holding(self, text: str) -> str:
        line = next((n for n, content in enumerate(self.tex, 1) if text in content), 0)
        return self.at(line) if line else "an unknown page"


def problems(log: str, tex: str) -> list[str]:
    """Every problem of ``log`` (a xelatex log of ``tex``), with the page it comes from."""
    pages = Pages(tex)
    found = [f"{pages.at(int(line))}: TeX error: {error}" for error, line in ERROR.findall(log)]
    found += [
        f"{pages.at(int(line))}: undefined reference {label}"
        for label, line in UNDEFINED.findall(log)
    ]
    found += [
        f"{pages.holding(char)}: no {char} (U+{code}) in font {font.strip()}"
        for char, code, font in sorted(set(MISSING.findall(log)))
    ]
    found += [
        f"{pages.at(int(line))}: {points} pt into the margin (.tex line {line})"
        for points, line in OVERFULL.findall(log)
        if float(points) > ALLOWED_OVERFULL_PT
    ]
    return found


def main(log_file: str) -> int:
    log = Path(log_file).read_text(encoding="utf-8", errors="replace")
    tex = Path(log_file).with_suffix(".tex").read_text(encoding="utf-8")
    found = problems(log, tex)
    for problem in found:
        print(f"{Path(log_file).name}: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
