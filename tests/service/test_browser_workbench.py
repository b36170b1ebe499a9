"""The researcher's workbench in headless Chromium (issue 14): entity pages for every entity,
search with "all matches". Screenshots go to the test's output folder (``tmp_path``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from live_http import LiveServer
from optional_tools import JS_DIR, TOOLS, requires_tool
from test_entity_page import curation, readings

from msckg.graph.triples import source_publication

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="pip install playwright (the 'test' extra)"
)

pytestmark = requires_tool("chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=TOOLS["chromium"].find(), args=LAUNCH_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@cache
def _editorial_doi() -> str:
    return source_publication(curation()).doi


_SHOWN_ROWS = """() => [...document.querySelectorAll('#relations tr.relation')].map((row) => [
  row.dataset.direction, row.querySelector('.predicate').textContent,
  decodeURIComponent(row.querySelector('.other a').getAttribute('href').replace('#/entity/', '')),
  row.dataset.statement.replace('stmt:', ''), row.classList.contains('negative')])"""


def test_every_entity_page_reads_right(page, live_server: LiveServer, client: FlaskClient) -> None:
    """For every entity: each statement once, read from the entity's side, types by their labels,
    negative findings set apart, locators linked to the editorial's DOI."""
    labels, inverse = readings()
    statements = list(curation().statements.values())
    page.goto(live_server.url + "/")
    for entity_id in [*curation().entities, *curation().references]:
        curie = f"ent:{entity_id}"
        page.evaluate("id => { location.hash = '#/entity/' + encodeURIComponent(id); }", curie)
        page.wait_for_selector(f'#entity[data-entity="{curie}"]')
        expected = []
        for s in statements:
            negative = s.polarity.code == "negative"
            predicate = f"msckg:{s.predicate}"
            if s.subject == entity_id:
                expected.append(["out", labels[predicate], f"ent:{s.object}", s.id, negative])
            if s.object == entity_id:
                expected.append(["in", inverse[predicate], f"ent:{s.subject}", s.id, negative])
        shown = page.evaluate(_SHOWN_ROWS)
        assert sorted(shown) == sorted(expected), entity_id
        types = client.get(f"/api/entities/{curie}").get_json()["types"]
        badges = page.locator("#entity .type-badge").all_inner_texts()
        assert badges == [labels[t["id"]] for t in types], entity_id
        negatives = sum(row[4] for row in expected)
        assert page.locator("#negative-findings li").count() == negatives, entity_id
        hrefs = page.eval_on_selector_all(
            "#entity td.locator a", "links => links.map((a) => a.getAttribute('href'))"
        )
        assert set(hrefs) <= {f"https://doi.org/{_editorial_doi()}"}, entity_id
        assert "\u2190" not in page.inner_text("#entity"), entity_id


def test_the_msc_page_groups_sorts_and_filters(page, live_server: LiveServer, tmp_path) -> None:
    about = [
        s
        for s in curation().statements.values()
        if "mesenchymal_stem_cell" in (s.subject, s.object)
    ]
    page.goto(live_server.url + "/#/entity/ent%3Amesenchymal_stem_cell")
    page.wait_for_selector('#entity[data-entity="ent:mesenchymal_stem_cell"]')
    rows = page.locator("#relations tr.relation")
    assert rows.count() == len(about)
    readings_shown = set(page.locator("#relations td.predicate").all_inner_texts())
    groups = page.locator("#relations tr.group th").all_inner_texts()
    assert [g.rsplit(" (", 1)[0] for g in groups] == sorted(readings_shown)
    assert sum(int(g.rsplit("(", 1)[1].rstrip(")")) for g in groups) == len(about)
    page.screenshot(path=str(tmp_path / "entity-msc.png"), full_page=True)

    page.select_option("#relations-evidence", "3")
    strong = [s.id for s in about if s.evidence.rank >= 3]
    shown = page.eval_on_selector_all(
        "#relations tr.relation", "rows => rows.map((r) => r.dataset.statement)"
    )
    assert sorted(shown) == sorted(f"stmt:{i}" for i in strong)
    assert page.inner_text("#relations-evidence ~ .shown, .table-tools .shown").startswith(
        f"{len(strong)} of {len(about)}"
    )

    page.select_option("#relations-evidence", "")
    page.fill("#relations-filter", "menstrual")
    assert [
        t.strip() for t in page.locator("#relations tr.relation td.other").all_inner_texts()
    ] == ["menstrual blood"]

    page.fill("#relations-filter", "")
    page.select_option("#relations-group", "none")
    page.click("#relations th.col-evidence button")
    ranks = [
        next(s.evidence.rank for s in about if f"stmt:{s.id}" == sid)
        for sid in page.eval_on_selector_all(
            "#relations tr.relation", "rows => rows.map((r) => r.dataset.statement)"
        )
    ]
    assert ranks == sorted(ranks, reverse=True)
    assert page.get_attribute("#relations th.col-evidence", "aria-sort") == "ascending"


def test_the_negative_finding_is_set_apart(page, live_server: LiveServer) -> None:
    negative = [s for s in curation().statements.values() if s.polarity.code == "negative"]
    assert negative, "curation changed: no negative finding left"
    finding = negative[0]
    page.goto(live_server.url + f"/#/entity/ent%3A{finding.subject}")
    box = page.locator("#negative-findings")
    box.wait_for()
    item = box.locator(f'li[data-statement="stmt:{finding.id}"]')
    assert finding.paraphrase in item.inner_text()
    assert "not (yet)" in item.inner_text()
    row = page.locator(f'#relations tr[data-statement="stmt:{finding.id}"]')
    assert row.get_attribute("class") == "relation negative"


def test_the_reading_guide_explains_the_scales_and_locators(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#/entity/ent%3AVEGF")
    guide = page.locator("#reading-guide")
    guide.locator("summary").click()
    text = guide.inner_text()
    for phrase in ("early clinical study", "rank 3", "established", "hypothesized", "negative"):
        assert phrase in text
    assert "introduction/p2/s3" in text
    assert guide.locator(f'a[href="https://doi.org/{_editorial_doi()}"]').count() == 1
    source = page.inner_text("#entity .source-line")
    assert f"{len(curation().statements)} statements" in source
    assert f"{len(curation().entities)} entities" in source
    link = page.locator("#entity td.locator a").first
    assert "paragraph" in link.get_attribute("title")


def test_search_offers_all_matches_past_the_first_eight(
    page, live_server: LiveServer, client: FlaskClient
) -> None:
    every = client.get("/api/entities?q=cell&limit=100").get_json()["results"]
    assert len(every) > 8, "curation changed: pick a word with more than 8 matches"
    page.goto(live_server.url + "/")
    page.fill("#search", "cell")
    options = page.locator("#suggestions li[role=option]")
    options.last.wait_for(state="visible")
    assert options.count() == 9
    assert "msckg:" not in page.inner_text("#suggestions")
    assert options.last.inner_text().startswith("All matches")
    page.press("#search", "ArrowUp")
    page.press("#search", "Enter")
    page.wait_for_selector(".search-results li")
    shown = page.locator(".search-results li a").all_inner_texts()
    assert shown == [entity["label"] for entity in every]


# ---- the overview and the questions ----


def _named(client: FlaskClient, name: str) -> list[dict[str, object]]:
    response = client.get(
        f"/api/queries/{name}", headers={"Accept": "application/sparql-results+json"}
    )
    return response.get_json()["results"]["bindings"]


def test_the_overview_draws_its_chart_and_map_and_each_opens_what_is_behind_it(
    page, live_server: LiveServer, client: FlaskClient, tmp_path
) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector("#mechanism-map .map-node")
    bars = page.locator("#evidence-chart a.bar")
    counts = [int(bars.nth(i).get_attribute("data-count")) for i in range(bars.count())]
    assert sum(counts) == len(curation().statements)
    summary = page.inner_text(".chart-summary")
    assert f"Of {len(curation().statements)} statements" in summary
    rows = _named(client, "mechanism_map")
    ends = {row[end]["value"] for row in rows for end in ("subject", "object")}
    assert page.locator("#mechanism-map .map-node").count() == len(ends)
    assert page.locator("#mechanism-map .map-edge").count() == len(rows)
    assert page.locator("#disorders-title ~ .disorders .disorder").count() == 2
    risks = page.locator("#risks li").count()
    assert risks == len({row["risk"]["value"] for row in _named(client, "safety_risks")})
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    if os.environ.get("MSCKG_SCREENSHOTS"):  # make screenshot: the README's picture
        page.set_viewport_size({"width": 1280, "height": 1500})
        page.evaluate("window.scrollTo(0, 0)")
        folder = Path(os.environ["MSCKG_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "overview.png"))

    # A bar opens the statements with that evidence and hedging: as many as it counts.
    animal = page.locator('#evidence-chart a.bar[data-evidence="AnimalModel"]').first
    expected = int(animal.get_attribute("data-count"))
    animal.click()
    page.wait_for_selector("#answer-status")
    assert page.locator("#answer-table tbody tr").count() == expected

    # A map line opens the statements behind it; a box opens its entity.
    page.goto(live_server.url + "/")
    line = page.locator('#mechanism-map .map-edge[data-relation="secretes"]').first
    line.focus()  # a curve's middle may lie under a box, so the keyboard opens it
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer #relations tr.relation")
    assert "secretes" in page.inner_text(".relation-read")
    page.goto(live_server.url + "/")
    page.locator('#mechanism-map .map-node[data-id="ent:menstrual_blood"]').click()
    playwright_api.expect(page.locator("#entity-label")).to_have_text("menstrual blood")


def test_a_question_runs_as_a_table_and_a_graph(
    page, live_server: LiveServer, client: FlaskClient, tmp_path
) -> None:
    expected = _named(client, "animal_model_only")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="What has been shown only in animals?").click()
    page.wait_for_selector("#answer-graph[data-rendered]")
    assert page.locator("#answer-table tbody tr").count() == len(expected)
    ends = {row[end]["value"] for row in expected for end in ("subject", "object")}
    assert int(page.get_attribute("#answer-graph", "data-rendered")) == len(ends)
    assert page.evaluate("document.activeElement.id") == "answer-title"
    page.screenshot(path=str(tmp_path / "question.png"), full_page=True)
    # The answer's entities are links; an edge opens the statements behind it.
    page.locator("#answer-table a.entity-link", has_text="MSC transplantation").first.wait_for()
    edge = page.locator("#answer-graph g.edge").first
    edge.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer #relations tr.relation")


# ---- accessibility (axe-core in Chromium) and the phone layout ----

AXE = JS_DIR / "node_modules" / "axe-core" / "axe.min.js"
VIEWS = {
    "overview": ("/", "#mechanism-map .map-node"),
    "entity": ("/#/entity/ent%3Amesenchymal_stem_cell", "#relations tr.relation"),
    "graph": ("/#/graph/neighborhood?id=ent%3AVEGF&radius=2", "#graph-view[data-rendered] g.node"),
    "paths": (
        "/#/graph/paths?source=ent%3Amenstrual_blood&target=ent%3Aasherman_syndrome&k=3",
        "#path-list li.path",
    ),
    "question": ("/#/ask/animal_model_only", "#answer-graph[data-rendered]"),
    "editor": ("/#sparql", "#sparql"),
}
_SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}))"""


@requires_tool("axe_core")
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_no_serious_accessibility_violation(browser, live_server: LiveServer, view: str) -> None:
    # The page's CSP admits only its own scripts; axe is injected by the test, so CSP is bypassed
    # for this context alone.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        path, ready = VIEWS[view]
        tab.goto(live_server.url + path)
        tab.wait_for_selector(ready, state="attached")
        tab.add_script_tag(path=str(AXE))
        assert tab.evaluate(_SERIOUS) == []
    finally:
        context.close()


@pytest.mark.parametrize("view", ["overview", "entity", "graph", "paths", "question"])
def test_a_phone_never_scrolls_sideways_and_graphs_fit(
    browser, live_server: LiveServer, view: str, tmp_path
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        path, ready = VIEWS[view]
        tab.goto(live_server.url + path)
        tab.wait_for_selector(ready, state="attached")
        tab.wait_for_timeout(300)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        for svg in ("#graph-view", "#answer-graph"):
            if tab.locator(svg).is_visible():
                box = tab.locator(svg).bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        tab.screenshot(path=str(tmp_path / f"phone-{view}.png"), full_page=True)
    finally:
        context.close()


def test_the_help_speaks_of_touch_and_keys_not_only_hover(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#/graph")
    hint = page.inner_text("#graph-side .hint")
    assert "tap" in hint and "Tab" in hint and "Enter" in hint


def test_the_graph_works_by_keyboard_alone(page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#/entity/ent%3AVEGF")
    page.wait_for_selector("#entity-label")
    page.focus("#entity-graph-link")
    page.keyboard.press("Enter")
    page.wait_for_selector("#graph-view[data-rendered] g.edge")
    # Focus lands on the drawing, not on the page's body.
    assert page.evaluate("document.activeElement.id") == "graph-view"
    assert page.get_attribute("#graph-view", "role") == "group"
    edges = page.locator("#graph-view g.edge")
    assert edges.count() == page.locator("#graph-view g.edge[tabindex='0']").count()
    edge = page.locator(
        '#graph-view g.edge[data-id="ent:mesenchymal_stem_cell|msckg:secretes|ent:VEGF"]'
    )
    edge.focus()
    assert "secretes" in page.inner_text("#graph-tip")
    page.keyboard.press("Enter")
    assert "preclinical study" in page.inner_text("#graph-detail")
    node = page.locator('#graph-view g.node[data-id="ent:mesenchymal_stem_cell"]')
    node.focus()
    page.keyboard.press("Enter")
    playwright_api.expect(page.locator("#entity-label")).to_have_text("mesenchymal stem cell")


def test_labels_never_overlap_at_radius_two(page, live_server: LiveServer, tmp_path) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(live_server.url + "/#/graph/neighborhood?id=ent%3AVEGF&radius=2")
    page.wait_for_selector("#graph-view[data-rendered] g.node")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('#graph-view text')]
          .filter((t) => t.getAttribute('visibility') !== 'hidden' && t.textContent)
          .map((t) => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })"""
    )
    assert len(boxes) >= 20
    clashes = [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1
    ]
    assert clashes == []
    # Past 24 edges, edge labels still show where there is room.
    assert page.locator("#graph-view g.edge").count() > 24
    shown = page.locator("#graph-view text.edge-label:not([visibility=hidden])").count()
    assert shown >= 5
    page.screenshot(path=str(tmp_path / "radius2.png"), full_page=True)


# ---- the paths form with the API's filters ----


def test_the_paths_form_with_a_filter_returns_paths_and_draws_them(
    page, live_server: LiveServer, client: FlaskClient, tmp_path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(live_server.url + "/#/graph/paths")
    for field, text, label in (
        ("path-source", "menstrual blood", "menstrual blood"),
        ("path-target", "Asherman syndrome", "Asherman's syndrome"),
    ):
        page.fill(f"#{field}", text)
        page.locator(f"#{field}-suggestions li[role=option]", has_text=label).first.click()
    page.click("#path-filters summary")
    chosen = ["msckg:isolatedFrom", "msckg:usesCellType", "msckg:studiedToTreat"]
    page.select_option("#path-predicates", chosen)
    assert page.is_checked("#path-directed") is False  # the editorial's edges point cell -> source
    page.click("#paths-form button[type=submit]")
    page.locator("#path-list li.path").first.wait_for()
    assert "predicates=" in page.url

    answer = client.get(
        "/api/paths?source=ent:menstrual_blood&target=ent:asherman_syndrome&k=5"
        "&predicates=" + ",".join(chosen)
    ).get_json()
    items = page.locator("#path-list li.path")
    assert items.count() == len(answer["paths"]) >= 1
    labels = {
        p["label"] for p in client.get("/api/stats").get_json()["predicates"] if p["id"] in chosen
    }
    for index, path in enumerate(answer["paths"]):
        item = items.nth(index)
        assert item.locator(".chain a").all_inner_texts() == [n["label"] for n in path["nodes"]]
        hops = item.locator(".hop-title").all_inner_texts()
        assert all(any(f" {label} " in hop for label in labels) for hop in hops), hops
        # The score is shown as the product it is.
        factors = " \u00d7 ".join(f"{edge['evidence_rank']}/4" for edge in path["edges"])
        assert f"score {path['score']['combined']:.3f} = {factors}" in item.inner_text()
        # The first hop is walked against its direction: menstrual blood is where MSCs come from.
        assert item.locator(".hop").first.get_attribute("data-direction") == "backward"
    drawn = {n["id"] for p in answer["paths"] for n in p["nodes"]}
    assert int(page.get_attribute("#graph-view", "data-rendered")) == len(drawn)
    note = page.locator('#path-notes .general-note[data-id="ent:mesenchymal_stem_cell"]')
    assert note.inner_text().startswith(f"All of {len(answer['paths'])} path(s) pass through")
    assert "no evidence" in note.inner_text()
    page.screenshot(path=str(tmp_path / "paths-filtered.png"), full_page=True)

    # Each hop opens the statements behind it.
    items.first.locator(".hop-statements").first.click()
    page.wait_for_selector("#answer #relations tr.relation")
    assert "isolated from" in page.inner_text(".relation-read")


def test_a_metapath_gives_its_count_and_dwpc(
    page, live_server: LiveServer, client: FlaskClient
) -> None:
    pattern = "CellSource,CellType,Therapy,Disorder"
    answer = client.get(
        f"/api/metapaths?source=ent:menstrual_blood&target=ent:asherman_syndrome&pattern={pattern}"
    ).get_json()
    page.goto(
        live_server.url
        + f"/#/graph/paths?source=ent%3Amenstrual_blood&target=ent%3Aasherman_syndrome&pattern={pattern}"
    )
    page.locator("#path-list li.path").first.wait_for()
    status = page.inner_text("#graph-status")
    assert f"{answer['count']} path(s)" in status and f"DWPC {answer['dwpc']:.3f}" in status
    assert page.locator("#path-list li.path").count() == len(answer["paths"])
    assert page.input_value("#path-pattern") == pattern


_BORDER_CONTRAST = """() => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (!colour.startsWith("rgba(0, 0, 0, 0)")) return colour;
    }
    return "rgb(255, 255, 255)";
  };
  return [...document.querySelectorAll("input[type=search], input[type=number], input[type=text], select")]
    .filter((field) => field.offsetParent !== null)
    .map((field) => {
      const [a, b] = [luminance(getComputedStyle(field).borderTopColor), luminance(background(field))];
      return [field.id, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    });
}"""


def test_field_borders_stand_out_from_their_background(page, live_server: LiveServer) -> None:
    """WCAG 1.4.11: a field's edge needs 3:1 against what surrounds it (it was 1.37:1)."""
    page.goto(live_server.url + "/#/graph/paths")
    page.click("#path-filters summary")
    ratios = page.evaluate(_BORDER_CONTRAST)
    assert len(ratios) >= 8
    assert [(field, round(ratio, 2)) for field, ratio in ratios if ratio < 3] == []
