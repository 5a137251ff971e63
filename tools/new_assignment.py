"""Start a new assignment: its page, library module and test, from tools/assignment_template.

    python tools/new_assignment.py NAME "Title" [ROOT]   (what `make assignment` runs)

NAME is the page's name in lowercase words joined by hyphens (``learning-rate-warmup``);
its module is the same words joined by underscores. The page is numbered after the last
assignment, added to the numbered toctree of docs/index.md and its module to docs/api.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("assignment_template")
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
LAST_ENTRY = re.compile(r"(^assignments/\d\d-[\w-]+\n)(?!assignments/)", re.MULTILINE)


def new_assignment(name: str, title: str, root: Path) -> list[Path]:
    """Write the triple for ``name`` under ``root``; return the files written or changed."""
    if not NAME.fullmatch(name):
        raise ValueError(f"NAME must be lowercase words joined by hyphens, got {name!r}")
    if not title.strip():
        raise ValueError("TITLE must not be empty")
    pages = sorted((root / "docs" / "assignments").glob("[0-9][0-9]-*.md"))
    number = 1 + max((int(page.name[:2]) for page in pages), default=0)
    topic = name.replace("-", "_")
    page = f"assignments/{number:02d}-{name}"
    targets = {
        "page.md": root / "docs" / f"{page}.md",
        "module.py": root / "seminar" / f"{topic}.py",
        "test_module.py": root / "tests" / f"test_{topic}.py",
    }
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing:
        raise FileExistsError(f"these files exist already: {', '.join(existing)}")
    for template, target in targets.items():
        text = (TEMPLATE / template).read_text(encoding="utf-8")
        text = text.replace("__topic__", topic).replace("__title__", title)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    index = root / "docs" / "index.md"
    toctree = LAST_ENTRY.sub(rf"\g<1>{page}\n", index.read_text(encoding="utf-8"), count=1)
    if page not in toctree:
        raise ValueError(f"{index} has no assignment in a toctree to add {page} after")
    index.write_text(toctree, encoding="utf-8")
    api = root / "docs" / "api.md"
    section = (
        f"\n## Assignment {number}: {title}\n\n```{{eval-rst}}\n.. automodule:: seminar.{topic}\n"
    )
    api.write_text(api.read_text(encoding="utf-8") + section + "   :members:\n```\n")
    return [*targets.values(), index, api]


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    root = Path(sys.argv[3]) if len(sys.argv) == 4 else Path(__file__).resolve().parents[1]
    for path in new_assignment(sys.argv[1], sys.argv[2], root):
        print(f"wrote {path}")
