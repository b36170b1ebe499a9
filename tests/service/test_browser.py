"""The page in headless Chromium (Playwright): search, evidence, SPARQL editor, escaping."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from live_http import LiveServer, start_server, stop_server

from msckg.graph.build import BuildReport

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="pip install playwright (the 'test' extra)"
)

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium found; install Debian's package: apt-get install -y chromium")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=LAUNCH_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="module")
def hostile_server(hostile_built: BuildReport) -> Iterator[LiveServer]:
    server = start_server(hostile_built.out_dir)
    yield server
    stop_server(server)


def test_search_vegf_open_it_and_see_relations_with_evidence(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.fill("#search", "VEGF")
    option = page.locator("#suggestions li[role=option]").first
    option.wait_for(state="visible", timeout=10_000)
    assert option.locator(".label").inner_text() == "VEGF"
    option.click()
    page.wait_for_selector("#entity-label")
    assert page.inner_text("#entity-label") == "VEGF"
    rows = page.locator("#relations tr.relation")
    rows.first.wait_for()
    assert rows.count() >= 1
    first = rows.first
    assert first.locator(".evidence").inner_text().strip()
    assert first.locator(".hedging").inner_text().strip()
    link = first.locator(".references a").first
    assert link.get_attribute("href").startswith("https://doi.org/")


def test_run_a_named_query_in_the_editor_and_see_its_rows(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#sparql")
    page.wait_for_selector("#examples option[value=entity_statements]", state="attached")
    page.select_option("#examples", "entity_statements")
    assert "SELECT" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert page.locator("#results-table tbody tr").count() >= 1
    headers = page.locator("#results-table thead th").all_inner_texts()
    assert "evidence" in headers
    assert "row(s)" in page.inner_text("#status")


def test_an_edited_query_runs_through_the_sparql_endpoint(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#sparql")
    page.fill("#query", 'SELECT ?x WHERE { VALUES ?x { "<b>bold</b>" } }')
    page.click("#run")
    page.wait_for_selector("#results-table tbody td")
    assert page.inner_text("#results-table tbody td") == "<b>bold</b>"
    assert page.locator("#results-table b").count() == 0


def test_a_label_with_markup_is_shown_as_text(
    page, hostile_server: LiveServer, hostile_label: str
) -> None:
    page.goto(hostile_server.url + "/#/entity/ent%3Ahtml_label")
    page.wait_for_selector("#entity-label")
    assert page.inner_text("#entity-label") == hostile_label
    page.fill("#search", "script")
    page.locator("#suggestions li[role=option]").first.wait_for(state="visible")
    assert page.locator("#suggestions script, #entity script, #entity img").count() == 0
    assert page.evaluate("window.__pwned === undefined")


def test_an_unknown_entity_shows_suggestions(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#/entity/ent%3AVEGFF")
    page.wait_for_selector(".suggestions-list a")
    assert "VEGF" in page.locator(".suggestions-list a").all_inner_texts()
