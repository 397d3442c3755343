"""The dashboard end to end in real headless Chromium (Playwright), against a real server."""

from __future__ import annotations

import os

import pytest
from test_api_helpers import XSS_TEXT, build_sample_db, client, serve

from sitreps.api import create_app

CHROMIUM = os.environ.get("SITREPS_CHROMIUM", "/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set SITREPS_CHROMIUM)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
expect = sync_api.expect
# Never let Playwright fetch a browser: the system Chromium, offline, nothing in the background.
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    path = build_sample_db(tmp_path_factory.mktemp("web") / "web.duckdb").path
    app = create_app(path)
    with serve(app) as base:
        yield base
    app.state.db.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    # Only our own server may be contacted: no CDN, no tiles, no fonts.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=15_000)
    yield page
    assert not problems, problems
    assert all(url.startswith(site) for url in requests), requests
    context.close()


def test_web_dashboard_draws_the_map_markers_and_network(page):
    assert page.locator("#land path").count() > 100  # offline country outlines
    assert page.locator("#map circle.marker").count() >= 4
    assert page.locator("#network .edge").count() >= 3
    assert page.locator("#events tbody tr").count() == 25
    assert "121 factual events" in page.text_content("#summary")


def test_web_time_slider_updates_map_and_control(page):
    last_date = page.text_content("#slider-date")
    control_before = page.text_content("#control-list")
    status_before = page.text_content("#map-status")
    page.locator("#slider").fill("8")
    # Locator waits, not wait_for_function: the page's CSP forbids eval, Playwright's too.
    expect(page.locator("#control-date")).not_to_have_text(last_date)
    expect(page.locator("#map-status")).not_to_have_text(status_before)
    at = page.text_content("#control-date")
    assert at < last_date
    assert page.text_content("#control-list") != control_before
    assert int(page.text_content("#map-status").split()[0]) < 121
    # The histogram marks the chosen period.
    assert page.locator("#histogram rect.current").count() == 1


def test_web_event_panel_highlights_the_source_sentence(page, site):
    row = page.locator("#events tbody tr").first
    event_id = row.get_attribute("data-event-id")
    row.click()
    mark = page.locator("#detail mark").first
    mark.wait_for()
    with client(site) as http:
        sentence = http.get(f"/api/events/{event_id}").json()["sources"][0]["sentence"]
    assert mark.text_content() == sentence


def test_web_edge_click_shows_relation_sources(page):
    page.locator("#network .edge").first.dispatch_event("click")
    page.wait_for_selector("#edge-sources q")
    assert page.locator("#edge-sources q").first.text_content()


def test_web_article_markup_is_shown_as_text_never_run(page):
    page.fill("#filters input[name=q]", "fighters")
    page.click("#filters button[type=submit]")
    expect(page.locator("#events tbody tr")).to_have_count(1)
    marker = page.locator("#map circle.marker[data-event-id='ev-xss']")
    marker.wait_for()
    marker.click(force=True)
    page.locator("#detail .article").wait_for()
    article = page.text_content("#detail .article")
    assert article == XSS_TEXT
    assert "<script>window.__pwned = 1</script>" in article
    assert "<b>Markup</b> in title" in page.text_content("#detail h4")
    assert page.locator("#detail script, #detail img, #detail b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.text_content("#detail mark") == "Militia fighters attacked Kafr Nabl on Friday."
