"""The page in headless Chromium (Playwright): search, evidence, graph view, escaping (the SPARQL
editor has its own file, test_editor_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_http import LiveServer, start_server, stop_server
from optional_tools import TOOLS, requires_tool

from msckg.graph.build import BuildReport

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="pip install playwright (the 'test' extra)"
)

pytestmark = requires_tool("chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = TOOLS["chromium"].find()
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


# ---- the graph view (issues 3 and 4): neighborhoods and paths drawn by the export's renderer ----


def _node_labels(page) -> list[str]:
    return page.locator("#graph-view g.node text").all_text_contents()


def test_vegf_graph_view_draws_its_neighbours_with_a_legend(
    page, live_server: LiveServer, tmp_path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(live_server.url + "/#/entity/ent%3AVEGF")
    page.click("#entity-graph-link")
    page.wait_for_selector("#graph-view[data-rendered] g.node")
    labels = _node_labels(page)
    assert {"VEGF", "mesenchymal stem cell", "trophic factors secreted by MSCs"} <= set(labels)
    assert page.locator("#graph-view g.node.focus text").text_content() == "VEGF"
    assert page.locator("#graph-view g.edge").count() >= 2
    legend = page.locator("#graph-legend li").all_inner_texts()
    assert "growth factor" in legend
    assert "VEGF" in page.inner_text("#graph-status")
    page.screenshot(path=str(tmp_path / "neighborhood.png"), full_page=True)

    edge = page.locator(
        '#graph-view g.edge[data-id="ent:msc_trophic_factors|msckg:hasMember|ent:VEGF"]'
    )
    edge.locator("path").last.hover(force=True)
    assert "has member" in page.inner_text("#graph-tip")
    edge.locator("path").last.click(force=True)
    detail = page.locator("#graph-detail")
    assert "preclinical study" in detail.inner_text()
    assert detail.locator("a[href^='https://doi.org/']").count() >= 1

    page.select_option("#graph-radius", "2")
    page.locator("#graph-view g.node").nth(len(labels)).wait_for(state="attached")
    assert "radius=2" in page.url

    page.locator('#graph-view g.node[data-id="ent:angiogenesis"] circle').click()
    playwright_api.expect(page.locator("#entity-label")).to_have_text("angiogenesis")
    assert page.locator("#graph").is_hidden()


def _choose(page, field: str, text: str, label: str) -> None:
    page.fill(f"#{field}", text)
    option = page.locator(f"#{field}-suggestions li[role=option]", has_text=label).first
    option.wait_for(state="visible")
    option.click()
    assert page.input_value(f"#{field}") == label


def test_a_path_search_lists_paths_with_evidence_and_draws_them(
    page, live_server: LiveServer, tmp_path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(live_server.url + "/")
    page.click("#graph-link")
    _choose(page, "path-source", "menstrual blood", "menstrual blood")
    _choose(page, "path-target", "Asherman syndrome", "Asherman's syndrome")
    page.fill("#path-k", "3")
    page.click("#paths-form button[type=submit]")
    first = page.locator("#path-list li.path").first
    first.wait_for()
    assert 1 <= page.locator("#path-list li.path").count() <= 3
    chain = first.locator(".chain").inner_text()
    assert chain.startswith("menstrual blood") and chain.endswith("Asherman's syndrome")
    assert "score" in first.locator(".score").inner_text()
    assert first.locator(".statement .evidence").count() >= 1
    assert first.locator(".statement .hedging").count() >= 1
    assert first.locator(".references a[href^='https://doi.org/']").count() >= 1
    assert first.get_attribute("class") == "path selected"

    drawn = set(_node_labels(page))
    assert {"menstrual blood", "Asherman's syndrome"} <= drawn
    highlighted = page.locator("#graph-view g.edge.on").count()
    assert highlighted == len(first.locator(".hops > li").all())
    page.screenshot(path=str(tmp_path / "paths.png"), full_page=True)

    if page.locator("#path-list li.path").count() > 1:
        page.locator("#path-list li.path .show-path").nth(1).click()
        assert "selected" in page.locator("#path-list li.path").nth(1).get_attribute("class")
        assert page.locator("#graph-view g.edge.on").count() >= 1


def test_a_path_search_with_no_answer_says_why(page, live_server: LiveServer) -> None:
    page.goto(
        live_server.url + "/#/graph/paths?source=menstrual%20blood&target=VEGF&min_evidence=4"
    )
    page.wait_for_selector("#graph-status.error")
    assert "no " in page.inner_text("#graph-status")
    assert page.locator("#path-list li").count() == 0


def test_a_label_with_markup_is_text_in_the_graph_view(
    page, hostile_server: LiveServer, hostile_label: str
) -> None:
    page.goto(hostile_server.url + "/#/graph/neighborhood?id=ent%3Ahtml_label&radius=1")
    page.wait_for_selector("#graph-view g.node")
    assert _node_labels(page) == [hostile_label]
    page.locator("#graph-view g.node circle").hover()
    assert hostile_label in page.inner_text("#graph-tip")
    assert page.locator("#graph script, #graph img").count() == 0
    assert page.evaluate("window.__pwned === undefined")


def test_a_work_page_lists_the_statements_it_supports(page, live_server: LiveServer) -> None:
    from msckg.graph.build import validate

    cited = [s for s in validate().statements.values() if "nateghi2022" in s.references]
    page.goto(live_server.url + "/#/entity/ent%3Anateghi2022")
    page.wait_for_selector("#supports tr.supported")
    assert page.locator("#supports tr.supported").count() == len(cited)
    assert f"Statements this work supports ({len(cited)})" in page.inner_text("#entity")
    assert "states no relation" not in page.inner_text("#entity")


def test_an_uncited_claim_shows_no_references(page, live_server: LiveServer) -> None:
    from msckg.graph.build import validate

    about = [s for s in validate().statements.values() if "tumorigenicity" in (s.subject, s.object)]
    assert about and not any(s.references for s in about), "curation changed: pick another entity"
    page.goto(live_server.url + "/#/entity/ent%3Atumorigenicity")
    page.wait_for_selector("#relations tr.relation")
    rows = page.locator("#relations tr.relation")
    assert rows.count() >= 1
    for index in range(rows.count()):
        assert rows.nth(index).locator(".references").inner_text().strip() == ""


# ---- name fields and suggestions (issue 10, section 5) ----


@pytest.mark.parametrize("field", ["search", "graph-entity", "path-source", "path-target"])
def test_escape_closes_the_suggestions_and_keeps_the_text(
    page, live_server: LiveServer, field: str
) -> None:
    page.goto(live_server.url + "/#/graph/paths")
    page.fill(f"#{field}", "VEG")
    suggestions = page.locator(f"#{'suggestions' if field == 'search' else field + '-suggestions'}")
    suggestions.locator("li[role=option]").first.wait_for(state="visible")
    page.press(f"#{field}", "Escape")
    assert suggestions.is_hidden()
    assert page.input_value(f"#{field}") == "VEG"
    assert page.get_attribute(f"#{field}", "aria-expanded") == "false"


def _did_you_mean_links(page) -> list[tuple[str, str]]:
    page.wait_for_selector("#graph-status.error a")
    links = page.locator("#graph-status a")
    return [
        (links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href") or "")
        for i in range(links.count())
    ]


def _type_a_path_search_with_a_misspelt_end(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.click("#graph-link")
    page.fill("#path-source", "menstrual blood")
    page.fill("#path-target", "Ashermans")  # typed, never picked from the list
    page.click("#path-k")  # leaving the field closes its list
    page.locator("#path-target-suggestions").wait_for(state="hidden")
    page.click("#paths-form button[type=submit]")


def test_a_misspelt_path_end_offers_links_that_search_again(page, live_server: LiveServer) -> None:
    _type_a_path_search_with_a_misspelt_end(page, live_server)
    links = _did_you_mean_links(page)
    assert "Did you mean: " in page.inner_text("#graph-status")
    assert links and all(text and href.startswith("#/") for text, href in links), links
    assert "Asherman's syndrome" in [text for text, _ in links]
    page.locator("#graph-status").get_by_role(
        "link", name="Asherman's syndrome", exact=True
    ).click()
    first = page.locator("#path-list li.path").first
    first.wait_for()
    assert first.locator(".chain").inner_text().endswith("Asherman's syndrome")
    assert page.input_value("#path-source") == "menstrual blood"


def test_suggestions_sent_as_plain_labels_still_make_links(page, live_server: LiveServer) -> None:
    """An older server sent suggestions as bare labels; the page must not show blank links."""
    old_reply = {
        "error": "not_found",
        "detail": "no entity 'Ashermans'; did you mean: Asherman's syndrome, endometriosis",
        "suggestions": ["Asherman's syndrome", "endometriosis"],
    }
    page.route(
        "**/api/paths?*",
        lambda route: route.fulfill(status=404, json=old_reply),
    )
    _type_a_path_search_with_a_misspelt_end(page, live_server)
    links = _did_you_mean_links(page)
    assert [text for text, _ in links] == ["Asherman's syndrome", "endometriosis"]
    assert all(href.startswith("#/graph/paths?") for _, href in links), links
    assert "target=Asherman%27s+syndrome" in links[0][1]
