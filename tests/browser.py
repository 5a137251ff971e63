"""Drive headless Chromium against the built site with the network cut off.

Used by tests/test_browser.py and by `make screenshots`::

    python tests/browser.py _build/html _build/screenshots
"""

from __future__ import annotations

import base64
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
SCREEN_READER = ["--force-renderer-accessibility"]
TIMEOUT_MS = 30_000
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"

# Bring every image into view in turn (so lazy ones load) and wait until each has
# loaded or failed (at most 10 s); then report what the reader gets.
LOAD_IMAGES = """async () => {
  const settled = (img) => img.complete ? Promise.resolve() : Promise.race([
    new Promise((done) => setTimeout(done, 10000)),
    new Promise((done) => { img.addEventListener("load", done, {once: true});
                            img.addEventListener("error", done, {once: true}); })]);
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  for (const img of document.images) {
    // Twice: the first scroll can lay out a subsection (content-visibility: auto), which
    // moves the image away again, as a reader's next scroll would bring it back.
    img.scrollIntoView({block: "center"});
    await frame();
    img.scrollIntoView({block: "center"});
    if (!img.complete && !img.checkVisibility()) img.loading = "eager";  // in a closed dropdown
    await settled(img);
  }
  window.scrollTo(0, 0);
  return [...document.images].map((img) => (
    {src: img.getAttribute("src"), alt: img.getAttribute("alt"), width: img.naturalWidth}));
}"""

# Draw each figure on a canvas at its own size and count the pixels that are not fully
# opaque: the file's own pixels, so this holds for PNG and SVG alike.
TRANSPARENT_PIXELS = """async () => {
  const counts = {};
  for (const img of document.querySelectorAll(".bd-article img")) {
    await img.decode().catch(() => {});  // a broken image is the image test's to report
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth || img.width;
    canvas.height = img.naturalHeight || img.height;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0, canvas.width, canvas.height);
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let transparent = 0;
    for (let alpha = 3; alpha < rgba.length; alpha += 4) transparent += rgba[alpha] < 255;
    counts[img.getAttribute("src")] = transparent;
  }
  return counts;
}"""


def find_chromium() -> str | None:
    """The Chromium to use: $CHROMIUM, else the first one on PATH."""
    candidates = [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]
    return next((found for c in candidates if c and (found := shutil.which(c))), None)


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files, with no line logged per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(
    directory: Path, handler_class: type[SimpleHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """Serve ``directory`` on a free localhost port; yield its base URL."""
    handler = functools.partial(handler_class, directory=str(directory))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


@contextlib.contextmanager
def chromium(*, screen_reader: bool = False) -> Iterator[Browser]:
    """Headless Chromium, started with a Playwright of its own (see ``launched``)."""
    with sync_playwright() as playwright, launched(playwright, screen_reader) as browser:
        yield browser


@contextlib.contextmanager
def launched(playwright: Playwright, screen_reader: bool = False) -> Iterator[Browser]:
    """Headless Chromium; with ``screen_reader``, its accessibility tree is built from the
    start, as when a screen reader is running (and then it holds the subsections that
    content-visibility: auto has not laid out yet, which a tree built later leaves out)."""
    executable = find_chromium()
    if executable is None:
        raise RuntimeError("no Chromium found: run `make system-deps` or set $CHROMIUM")
    browser = launch(playwright, executable, SCREEN_READER if screen_reader else [])
    try:
        yield browser
    finally:
        browser.close()


def launch(playwright: Playwright, executable: str, flags: list[str] | None = None) -> Browser:
    return playwright.chromium.launch(executable_path=executable, args=[*FLAGS, *(flags or [])])


@dataclass
class Visit:
    """A page opened offline, with everything that went wrong while it was open."""

    page: Page
    path: str
    blocked: list[str] = field(default_factory=list)  # requests to any other host
    failed: list[str] = field(default_factory=list)  # local responses >= 400, aborted requests
    console_errors: list[str] = field(default_factory=list)


def visit(
    browser: Browser, base: str, path: str, *, phone: bool = False, dark: bool = False
) -> Visit:
    """Open ``base + path`` with only ``base`` reachable; wait until it has loaded."""
    return finish_loading(start_visit(browser, base, path, phone=phone, dark=dark))


def start_visit(
    browser: Browser, base: str, path: str, *, phone: bool = False, dark: bool = False
) -> Visit:
    """Start loading ``base + path`` with only ``base`` reachable; return without waiting."""
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        color_scheme="dark" if dark else "light",
        permissions=["clipboard-read", "clipboard-write"],  # the copy buttons
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    result = Visit(page, path)

    def only_local(route, request: Request) -> None:
        if request.url.startswith(base):
            route.continue_()
        else:
            result.blocked.append(request.url)
            route.abort("internetdisconnected")

    def failed(request: Request) -> None:
        if request.url.startswith(base):
            result.failed.append(f"{request.failure} {request.url}")

    context.route("**/*", only_local)
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    page.on("pageerror", lambda error: result.console_errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and result.failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", failed)
    page.goto(base + path, wait_until="commit")
    return result


def finish_loading(visit: Visit) -> Visit:
    """Wait until the page and what it requests have loaded (the math is typeset in the HTML)."""
    visit.page.wait_for_load_state("networkidle")
    return visit


class OneAhead:
    """Opens pages in a known order, each while the caller works on the one before.

    Loading and typesetting a long page takes seconds of a renderer process of its
    own: started early, it overlaps with the tests of the page before.
    """

    def __init__(self, browser: Browser, base: str, order: list[str]) -> None:
        self.browser, self.base, self.order = browser, base, order
        self.started: dict[str, Visit] = {}

    def open(self, path: str) -> Visit:
        """``path``, loaded; the page after it in the order starts loading."""
        current = self.started.pop(path, None) or start_visit(self.browser, self.base, path)
        finish_loading(current)
        following = self.order[self.order.index(path) + 1 :][:1] if path in self.order else []
        for after in following:
            self.started.setdefault(after, start_visit(self.browser, self.base, after))
        return current

    def close(self) -> None:
        for unused in self.started.values():
            unused.page.context.close()
        self.started.clear()


def load_images(page: Page) -> list[dict[str, object]]:
    """Load every image of the page, lazy or not; each one's src, alt and natural width."""
    return page.evaluate(LOAD_IMAGES)  # type: ignore[no-any-return]


def transparent_pixels(page: Page) -> dict[str, int]:
    """How many not fully opaque pixels each figure of the article has, by src."""
    return page.evaluate(TRANSPARENT_PIXELS)  # type: ignore[no-any-return]


# Bring each section into view in turn, as a reader scrolling through does: the browser
# lays out the subsections that content-visibility: auto left for later (site.css), and
# the theme's script gives their scrollable blocks a tab stop as they are laid out.
SCROLL_THROUGH = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  for (const section of document.querySelectorAll("section")) {
    section.scrollIntoView();
    await frame();
  }
  window.scrollTo(0, 0);
  await frame();
}"""


def accessibility_violations(page: Page) -> list[tuple[str, str, str]]:
    """axe-core's violations on the page, scrolled through once: (rule, impact, CSS selector)
    for each element.

    MathJax's output is left out: thousands of glyph elements per page (most of axe's
    time) that MathJax itself makes accessible, through the MathML it adds for screen
    readers.
    """
    page.evaluate(SCROLL_THROUGH)
    page.add_script_tag(path=AXE)
    found = page.evaluate(
        """async () => {
          const {violations} = await axe.run(
            {exclude: [["mjx-container"]]}, {resultTypes: ["violations"]});
          return violations.flatMap((rule) => rule.nodes.map((node) =>
            [rule.id, node.impact, node.target.join(" ")]));
        }"""
    )
    return [(rule, impact, selector) for rule, impact, selector in found]


# What the stylesheets decide about an element: its box, its text and its colours.
STYLE_PROPERTIES = [
    "display", "position", "visibility", "float", "z-index", "opacity",
    "width", "height", "top", "left", "overflow-x", "overflow-y",
    "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border-top-width", "border-left-width", "border-top-color", "border-radius",
    "color", "background-color", "background-image", "box-shadow",
    "font-family", "font-size", "font-weight", "font-style", "line-height",
    "text-align", "text-decoration-line", "white-space", "list-style-type", "cursor",
]  # fmt: skip
# Inside a formula only MathJax's own <style> applies: its elements are left out. The
# elements are listed once, so that both snapshots cover the same ones.
COMPUTED_STYLES = """properties => Array.from(
    window.styledElements ??= [...document.querySelectorAll("body, body *:not(mjx-container *)")],
    e => {
        const style = getComputedStyle(e), before = getComputedStyle(e, "::before");
        const name = `${e.tagName}.${e.getAttribute("class") || ""}`;
        return [name, ...properties.map(p => style.getPropertyValue(p)), before.content].join("|");
    })"""
# Link the given stylesheets (absolute URLs) where the page's own are, so that they come
# before the page's <style> elements as the originals did; wait for them, then switch off
# the page's own, and wait for the fonts they link.
USE_STYLESHEETS = """async hrefs => {
    const own = [...document.querySelectorAll('link[rel="stylesheet"]')];
    await Promise.all(hrefs.map(href => new Promise((loaded, failed) => {
        const link = Object.assign(document.createElement("link"), {rel: "stylesheet", href});
        link.dataset.swapped = "";
        link.onload = loaded;
        link.onerror = () => failed(new Error("cannot load " + href));
        own[0].before(link);
    })));
    own.forEach(link => link.disabled = true);
    document.body.getBoundingClientRect();  // lay out, so that the fonts needed start loading
    await document.fonts.ready;
}"""
RESTORE_STYLESHEETS = """() => {
    document.querySelectorAll("link[data-swapped]").forEach(link => link.remove());
    document.querySelectorAll('link[rel="stylesheet"]').forEach(link => link.disabled = false);
}"""
NO_TRANSITIONS = "*, ::before, ::after { transition: none !important; animation: none !important; }"


def styles_under(page: Page, stylesheets: list[str]) -> tuple[list[str], list[str]]:
    """Every element's computed style (STYLE_PROPERTIES and its ::before content) as the
    page's own stylesheets give it, and as ``stylesheets`` (absolute URLs) instead do."""
    page.add_style_tag(content=NO_TRANSITIONS)  # no style in between two snapshots
    own = page.evaluate(COMPUTED_STYLES, STYLE_PROPERTIES)
    page.evaluate(USE_STYLESHEETS, stylesheets)
    try:
        swapped = page.evaluate(COMPUTED_STYLES, STYLE_PROPERTIES)
    finally:
        page.evaluate(RESTORE_STYLESHEETS)
    return own, swapped


def follow_system_theme(page: Page, scheme: str) -> str:
    """Switch the system's colour scheme under the open page; the theme the page shows."""
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.wait_for_function("s => document.documentElement.dataset.theme === s", arg=scheme)
    return page.evaluate("document.documentElement.dataset.theme")  # type: ignore[no-any-return]


def screenshot(page: Page, outdir: Path, path: str, variant: str) -> Path:
    """Save a full-page PNG of ``page`` as ``<outdir>/<page>-<variant>.png``.

    Straight through the DevTools protocol, to ask for Chromium's fast PNG encoder:
    the long pages are tens of megapixels, and Playwright's screenshot takes half as
    long again.
    """
    target = outdir / f"{path.removesuffix('.html').replace('/', '-')}-{variant}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    whole_page = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    devtools = page.context.new_cdp_session(page)
    try:
        png = devtools.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "clip": whole_page,
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
            },
        )
    finally:
        devtools.detach()
    target.write_bytes(base64.b64decode(png["data"]))
    return target


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site (not the theme's templates under _static)."""
    pages = (p.relative_to(site) for p in site.rglob("*.html"))
    return sorted(p.as_posix() for p in pages if not p.parts[0].startswith("_"))


def screenshots(site: Path, outdir: Path) -> list[Path]:
    """Full-page screenshots of every page: desktop and phone, light and dark."""
    written = []
    with serve(site) as base, chromium() as browser:
        for path in site_pages(site):
            for phone in (False, True):
                opened = visit(browser, base, path, phone=phone)
                load_images(opened.page)
                for scheme in ("light", "dark"):
                    follow_system_theme(opened.page, scheme)
                    variant = ("phone" if phone else "desktop") + (
                        "-dark" if scheme == "dark" else ""
                    )
                    written.append(screenshot(opened.page, outdir, path, variant))
                opened.page.context.close()
    return written


if __name__ == "__main__":
    site_dir, out_dir = (Path(arg) for arg in sys.argv[1:3])
    for png in screenshots(site_dir, out_dir):
        print(png)
