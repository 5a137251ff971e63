"""Drive headless Chromium against the built site with the network cut off.

Used by tests/test_browser.py and by `make screenshots`::

    python tests/browser.py _build/html _build/screenshots
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, Request, sync_playwright

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Debian's Chromium; Playwright never downloads a browser of its own here.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    """The Chromium to use: $CHROMIUM, else the first one on PATH."""
    candidates = [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]
    return next((found for c in candidates if c and (found := shutil.which(c))), None)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free localhost port; yield its base URL."""

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(directory))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        raise RuntimeError("no Chromium found: run `make system-deps` or set $CHROMIUM")
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            yield browser
        finally:
            browser.close()


def launch(playwright: Playwright, executable: str) -> Browser:
    return playwright.chromium.launch(executable_path=executable, args=FLAGS)


@dataclass
class Visit:
    """A page opened offline, with everything that went wrong while it loaded."""

    page: Page
    blocked: list[str] = field(default_factory=list)  # requests to any other host
    failed: list[str] = field(default_factory=list)  # local responses >= 400
    console_errors: list[str] = field(default_factory=list)


def visit(
    browser: Browser, base: str, path: str, *, phone: bool = False, dark: bool = False
) -> Visit:
    """Open ``base + path`` with only ``base`` reachable; wait until the math is typeset."""
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        color_scheme="dark" if dark else "light",
    )
    page = context.new_page()
    result = Visit(page)

    def only_local(route, request: Request) -> None:
        if request.url.startswith(base):
            route.continue_()
        else:
            result.blocked.append(request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    page.on("pageerror", lambda error: result.console_errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and result.failed.append(f"{r.status} {r.url}"))
    page.goto(base + path, wait_until="networkidle")
    page.evaluate("() => window.MathJax?.startup?.promise")  # resolves once math is typeset
    return result


def screenshots(site: Path, outdir: Path) -> list[Path]:
    """Full-page screenshots of every page: desktop and phone, light and dark."""
    outdir.mkdir(parents=True, exist_ok=True)
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("**/*.html"))
    pages = [p for p in pages if not p.startswith(("_", "genindex", "search", "py-modindex"))]
    written = []
    with serve(site) as base, chromium() as browser:
        for path in pages:
            for phone in (False, True):
                for dark in (False, True):
                    shot = visit(browser, base, path, phone=phone, dark=dark)
                    name = path.removesuffix(".html").replace("/", "-")
                    name += ("-phone" if phone else "-desktop") + ("-dark" if dark else "")
                    target = outdir / f"{name}.png"
                    shot.page.screenshot(path=target, full_page=True)
                    shot.page.context.close()
                    written.append(target)
    return written


if __name__ == "__main__":
    site_dir, out_dir = (Path(arg) for arg in sys.argv[1:3])
    for png in screenshots(site_dir, out_dir):
        print(png)
