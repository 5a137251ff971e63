"""Benchmark: how fast each page of the built site reads, measured by Lighthouse.

Run with `make bench-pages` (after `make html`; needs Chromium and `make node-tools`)::

    python benchmarks/page_speed.py [--runs 3] [--only SUBSTRING] [_build/html]

It serves the site on 127.0.0.1 with gzip, as a static host would, and runs Lighthouse
(mobile preset: simulated slow 4G and a 4x slower CPU) on every HTML page it finds.
Every other host is unresolvable, so a request leaving the site fails and is counted.
Lighthouse's numbers vary from run to run, so each figure is the median of several runs.
A separate headless-Chromium visit checks that every formula was typeset.
The reports are kept in _build/lighthouse/ for a closer look at the audits.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from machine import describe
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import FLAGS, QuietHandler, serve, site_pages  # noqa: E402 (tests/ is not a package)

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "_build" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
HOST = "127.0.0.1"
# The browser flags of the browser tests; the resolver rule makes every other host fail.
CHROME_FLAGS = [*FLAGS, f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}"]
# What GitHub Pages, Netlify or nginx with gzip on would compress (text, not images or fonts).
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml)|image/svg\+xml)")
GZIP_LEVEL = 6  # zlib's default, the usual static-host setting


class GzipHandler(QuietHandler):
    """Static files; text types gzipped when the client accepts it; connections kept open
    (HTTP/1.1), as on any static host, rather than one per request."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts_gzip and COMPRESSIBLE.match(kind)):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass(frozen=True)
class Run:
    score: float
    transfer_kib: float
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    offsite: int


def lighthouse(url: str, report: Path) -> Run:
    """One Lighthouse run (mobile preset, performance only); keep its JSON in ``report``."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--disable-full-page-screenshot",  # saves seconds a run; no figure depends on it
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, env=env, timeout=300)
    result = json.loads(report.read_text())
    audits = result["audits"]
    if result.get("runtimeError"):
        raise RuntimeError(f"{url}: {result['runtimeError']}")
    requests = audits["network-requests"]["details"]["items"]
    offsite = [r["url"] for r in requests if urlsplit(r["url"]).hostname not in (HOST, None)]
    return Run(
        score=result["categories"]["performance"]["score"],
        transfer_kib=audits["total-byte-weight"]["numericValue"] / 1024,
        fcp_ms=audits["first-contentful-paint"]["numericValue"],
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        offsite=len(offsite),
    )


def median_run(runs: list[Run]) -> Run:
    """Each figure's median over the runs (figure by figure, not one chosen run)."""
    fields = Run.__dataclass_fields__
    return Run(**{name: statistics.median(getattr(r, name) for r in runs) for name in fields})


def typeset_math(base: str, paths: list[str]) -> dict[str, str]:
    """For each page, 'typeset/total' formulas as the browser shows them (phone viewport)."""
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        for path in paths:
            page = browser.new_page(viewport={"width": 412, "height": 823})
            page.goto(base + path, wait_until="networkidle")
            total = page.locator(".math").count()
            typeset = page.locator("mjx-container:not(:has(mjx-merror))")
            found[path] = f"{typeset.count()}/{total}"
            page.close()
        browser.close()
    return found


def versions() -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    lh = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout
    return f"Lighthouse {lh.strip()}, {chromium.strip()}"


def table(results: dict[str, Run], math: dict[str, str]) -> str:
    rows = [
        "| page | score | transfer (KiB) | FCP (s) | LCP (s) | TBT (ms) | CLS | other hosts "
        "| math |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for path, r in results.items():
        rows.append(
            f"| {path} | {r.score:.2f} | {r.transfer_kib:.0f} | {r.fcp_ms / 1000:.1f} "
            f"| {r.lcp_ms / 1000:.1f} | {r.tbt_ms:.0f} | {r.cls:.3f} | {r.offsite} "
            f"| {math[path]} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--only", default="", help="only pages whose path contains this")
    parser.add_argument("--reports", type=Path, default=REPORTS, help="where to keep the JSON")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"{args.site} has no index.html: run `make html` first")
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make node-tools` first")
    if shutil.which(CHROMIUM) is None:
        raise SystemExit(f"no Chromium at {CHROMIUM}: run `make system-deps` or set CHROME_PATH")
    paths = [p for p in site_pages(args.site) if args.only in p]
    args.reports.mkdir(parents=True, exist_ok=True)
    results = {}
    with serve(args.site, GzipHandler) as base:
        for path in paths:
            name = path.removesuffix(".html").replace("/", "-")
            runs = [
                lighthouse(base + path, args.reports / f"{name}-{i}.json") for i in range(args.runs)
            ]
            results[path] = median_run(runs)
            print(f"  {path}: scores {[r.score for r in runs]}", flush=True)
        math = typeset_math(base, paths)
    print()
    print(f"date: {datetime.date.today().isoformat()}")
    print(f"machine: {describe()}")
    print(f"tools: {versions()}, mobile preset, gzip level {GZIP_LEVEL}")
    print(f"each figure: median of {args.runs} Lighthouse runs per page; math: typeset/formulas")
    print()
    print(table(results, math))
    worst = min(results.values(), key=lambda r: r.score)
    heaviest = max(results.values(), key=lambda r: r.transfer_kib)
    print()
    print(
        f"lowest score {worst.score:.2f}, heaviest page {heaviest.transfer_kib:.0f} KiB, ", end=""
    )
    print(f"requests to other hosts {sum(r.offsite for r in results.values())}")


if __name__ == "__main__":
    main()
