"""Screenshot the dashboard for the README, in headless Debian Chromium (never a downloaded one).

    python scripts/screenshot_dashboard.py      # sample corpus -> docs/dashboard-1400x1000.png
                                                #            and docs/dashboard-1920x1080.png
    python scripts/screenshot_dashboard.py --db sitreps.duckdb --size 1400x1000 --out /tmp/d.png

Without --db it runs the equivalent of ``sitreps run --sample`` into a temporary database (the
spaCy model must be installed). It serves the file with the real app under uvicorn on a free
local port, waits until the map has markers, opens one event of the table (the first row that
contains every ``--event`` text) so its source sentence is highlighted, and saves a PNG of the
viewport, once per window size (the README shows both: a laptop and a full-HD screen). The
picture is the first output a newcomer sees, so the event is chosen, not the newest: one the
sample codes correctly (Islamic State taking Palmyra, 11 Dec 2016). Look at the PNGs
before committing them.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SITREPS_CHROMIUM", "/usr/bin/chromium")
# The same flags as tests/test_web_dashboard.py: offline, nothing in the background.
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
# The window sizes pictured: the layout must hold at both (issue 14).
SIZES = ("1400x1000", "1920x1080")
# The event shown opened: its table row holds all of these (date, actor 1, place).
EVENT = ["2016-12-11", "Islamic State", "Tadmur"]
# The slider's date: the week of that event, so the control panel beside it is of that week.
AT = "2016-12-17"


def build_sample_db(path: Path) -> Path:
    """``sitreps run --sample`` through the library: ingest the packaged corpus, extract."""
    from sitreps.cli import sample_paths
    from sitreps.config import load_config
    from sitreps.engine import run_engine
    from sitreps.jobs import ingest_sources
    from sitreps.store.duckdb import Store

    with Store(path) as store:
        ingest_sources(store, sample_paths())
        report = run_engine(store, load_config())
    print(f"sample database: {report.articles} articles, {report.events} events",
          file=sys.stderr)
    return path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(db: Path) -> Iterator[str]:
    """The real app over ``db`` in a uvicorn thread on 127.0.0.1; yields its base URL."""
    import uvicorn

    from sitreps.api import create_app

    app = create_app(db)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(),
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.db.close()


def matching_rows(page: Any, event: list[str]) -> Any:
    """The rows of the table page on screen that hold every text of ``event``."""
    rows = page.locator("#events tbody tr")
    for text in event:
        rows = rows.filter(has_text=text)
    return rows


def screenshot(base: str, out: Path, event: list[str], at: str | None = None,
               size: str = SIZES[0]) -> None:
    """Open the dashboard, wait for markers, move the time slider to ``at`` (the map, table and
    control panel then show that date), open the event whose row holds every text of ``event``
    and save the viewport as PNG."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            width, height = (int(n) for n in size.split("x"))
            page = browser.new_page(viewport={"width": width, "height": height},
                                    device_scale_factor=1)
            page.set_default_timeout(20_000)
            # Only our own server may be contacted: fail loudly if the page reaches out.
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(base) else route.abort())
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready='1']")
            page.wait_for_selector("#map circle.marker")
            if at:
                # The slider's points are the histogram bars, "PERIOD: N events, ..." each.
                periods = [t.split(":", 1)[0] for t in
                           page.locator("#histogram rect title").all_text_contents()]
                index = max((i for i, p in enumerate(periods) if p <= at), default=0)
                first = page.locator("#events tbody tr").first.get_attribute("data-event-id")
                page.locator("#slider").fill(str(index))
                page.wait_for_function(
                    "id => document.querySelector('#events tbody tr')?.dataset.eventId !== id",
                    arg=first)
                page.wait_for_load_state("networkidle")
            rows = matching_rows(page, event)
            while rows.count() == 0 and page.locator("#next").is_enabled():
                first = page.locator("#events tbody tr").first.get_attribute("data-event-id")
                page.locator("#next").click()  # the table pages by 25, newest first
                page.wait_for_function(
                    "id => document.querySelector('#events tbody tr')?.dataset.eventId !== id",
                    arg=first)
                rows = matching_rows(page, event)
            if rows.count() == 0:
                raise RuntimeError(f"no event row holds all of {event}")
            # The first match: the table lists newest first, so the picture is stable for a
            # given database.
            rows.first.click()
            page.locator("#detail mark").first.wait_for()
            # Every source article fetched and shown ("Sources (N)" heads the list).
            heading = page.locator("#detail h3", has_text="Sources (").text_content()
            count = int(heading.split("(")[1].rstrip(")"))
            for _ in range(100):
                if page.locator("#detail .source .article").count() >= count:
                    break
                page.wait_for_timeout(100)
            page.wait_for_load_state("networkidle")
            # Each source scrolls its highlight into view, which scrolls the event panel down to
            # the last source and the window too; the pointer left on the table would hover
            # another row. Show the top of the page and of the event (its coding, then the first
            # source with its highlight), pointer off the page.
            page.evaluate("window.scrollTo(0, 0); document.getElementById('side').scrollTop = 0")
            page.mouse.move(0, 0)
            page.wait_for_timeout(100)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="An existing sitreps database (default: "
                        "build one from the sample corpus in a temporary folder).")
    parser.add_argument("--out", type=Path, help="The PNG to write (with one --size); default: "
                        "docs/dashboard-WxH.png for each size.")
    parser.add_argument("--size", action="append", metavar="WxH",
                        help=f"Window size (repeatable; default: {' and '.join(SIZES)}).")
    parser.add_argument("--event", action="append", metavar="TEXT",
                        help="Open the first event whose table row contains TEXT (repeat to "
                             f"require several; default: {' + '.join(EVENT)}).")
    parser.add_argument("--at", default=AT, metavar="YYYY-MM-DD",
                        help="Move the time slider to the last point on or before this date "
                             "(default: %(default)s; '' leaves it at the latest).")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        parser.error(f"no Chromium at {CHROMIUM}: apt-get install -y chromium "
                     "(or set SITREPS_CHROMIUM)")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db if args.db else build_sample_db(Path(tmp) / "sample.duckdb")
        if not db.exists():
            parser.error(f"no database at {db}")
        sizes = args.size or list(SIZES)
        if args.out and len(sizes) > 1:
            parser.error("--out names one file: give one --size with it")
        with serve(db) as base:
            for size in sizes:
                out = args.out or ROOT / "docs" / f"dashboard-{size}.png"
                screenshot(base, out, args.event or EVENT, args.at, size)
                print(f"wrote {out}")


if __name__ == "__main__":
    main()
