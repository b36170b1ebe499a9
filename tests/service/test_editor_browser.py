"""The SPARQL editor (YASGUI) in headless Chromium: autocompletion from our own endpoint, named
queries re-aimed through their parameter fields, permalinks, result cells, CSV download, and no
Content Security Policy violation on the way. Each flow leaves a screenshot in the test output
folder, ``tests/output/screenshots``."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_http import LiveServer
from optional_tools import requires_tool
from test_browser import browser, page, playwright_api  # noqa: F401  (the shared Chromium fixtures)

pytestmark = [requires_tool("chromium"), requires_tool("yasgui")]
expect = playwright_api.expect

# Collects every CSP violation the page meets; the fixture below fails a test that had any.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`);
});
"""


#: The test output folder (not committed): a place to look at each flow after a run.
SCREENSHOTS = Path(__file__).resolve().parents[1] / "output" / "screenshots"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def editor(page, live_server: LiveServer) -> Iterator[object]:  # noqa: F811
    """A tab that fails the test on any CSP violation or any request to another origin
    (YASGUI's own completers would ask prefix.cc and LOV)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 1200})
    page.add_init_script(WATCH_CSP)
    yield page
    assert page.evaluate("window.__cspViolations") == []
    outside = [url for url in requests if not url.startswith((live_server.url + "/", "blob:"))]
    assert outside == []


def _open(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_selector("#yasqe .CodeMirror")
    tab.wait_for_selector("#examples option[value=entity_statements]", state="attached")


def _text(tab) -> str:
    return tab.evaluate("document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()")


def _set_text(tab, text: str) -> None:
    tab.evaluate(
        "(text) => document.querySelector('#yasqe .CodeMirror').CodeMirror.setValue(text)", text
    )


def _rows(tab) -> list[list[str]]:
    """The result table's cells, row by row, without Yasr's row-number column."""
    tab.wait_for_selector("#yasr table.dataTable tbody tr")
    return tab.evaluate(
        """[...document.querySelectorAll('#yasr table.dataTable tbody tr')].map(
             (row) => [...row.querySelectorAll('td')].slice(1).map((cell) => cell.innerText))"""
    )


def _headers(tab) -> list[str]:
    return [h.strip() for h in tab.locator("#yasr table.dataTable thead th").all_inner_texts()][1:]


def _get_json(url: str) -> dict[str, object]:
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _named_rows(server: LiveServer, name: str, **params: str) -> list[dict[str, dict[str, str]]]:
    query = urllib.parse.urlencode(params)
    body = _get_json(f"{server.url}/api/queries/{name}" + (f"?{query}" if query else ""))
    return body["results"]["bindings"]  # type: ignore[index,no-any-return]


def test_yasqe_autocompletes_ent_ve_to_ent_vegf(
    editor, live_server: LiveServer, screenshots: Path
) -> None:
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, "")
    editor.click("#yasqe .CodeMirror-code")
    editor.keyboard.type("SELECT ?p ?o WHERE { ent:VE")
    hint = editor.locator(".CodeMirror-hints li", has_text="ent:VEGF").first
    hint.wait_for(state="visible", timeout=10_000)
    assert "VEGF" in hint.inner_text()
    editor.screenshot(path=str(screenshots / "editor-autocomplete.png"))
    hint.click()
    assert _text(editor).startswith("SELECT ?p ?o WHERE { ent:VEGF")
    # The rest of the query is set whole: typed, it can reopen the hint list, which then takes
    # the keys meant for the editor (seen as a flaky run under load).
    _set_text(editor, "SELECT ?p ?o WHERE { ent:VEGF ?p ?o }")
    editor.keyboard.press("Escape")
    editor.click("#yasqe .CodeMirror-code")
    editor.keyboard.press("Control+Enter")  # runs the query without the mouse
    rows = _rows(editor)
    assert len(rows) >= 3
    assert "row(s)" in editor.inner_text("#status")


def test_classes_and_properties_complete_from_our_ontology(editor, live_server: LiveServer) -> None:
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, "")
    editor.click("#yasqe .CodeMirror-code")
    editor.keyboard.type("SELECT ?x WHERE { ?x a msckg:GrowthF")
    editor.locator(".CodeMirror-hints li", has_text="msckg:GrowthFactor").first.wait_for()
    editor.keyboard.press("Escape")
    _set_text(editor, "")
    editor.click("#yasqe .CodeMirror-code")
    editor.keyboard.type("SELECT ?x WHERE { ?x msckg:secr")
    editor.locator(".CodeMirror-hints li", has_text="msckg:secretes").first.wait_for()


def test_a_permalink_reproduces_a_query(
    editor,
    browser,  # noqa: F811  (the fixture imported above)
    live_server: LiveServer,
    screenshots: Path,
) -> None:
    query = "SELECT ?label WHERE { ?e a msckg:GrowthFactor ; rdfs:label ?label } ORDER BY ?label"
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, query)
    editor.click("#run")
    expected = _rows(editor)
    link = editor.get_attribute("#permalink", "href")
    assert link.startswith(live_server.url + "/#/sparql?query=")

    context = browser.new_context(viewport={"width": 1280, "height": 1200})
    try:
        opened = context.new_page()
        opened.goto(link)  # a fresh tab: nothing but the URL carries the query
        assert _rows(opened) == expected
        assert _text(opened) == query
        opened.screenshot(path=str(screenshots / "editor-permalink.png"), full_page=True)
    finally:
        context.close()


def test_a_named_query_runs_with_a_parameter_changed(
    editor, live_server: LiveServer, screenshots: Path
) -> None:
    default_rows = _named_rows(live_server, "entity_statements")
    tnf_rows = _named_rows(live_server, "entity_statements", entity="ent:TNF_alpha")
    assert tnf_rows and len(tnf_rows) != len(default_rows), "pick an entity with other statements"

    _open(editor, live_server.url + "/#sparql")
    editor.select_option("#examples", "entity_statements")
    field = editor.locator("#param-entity")
    assert field.input_value() == "ent:VEGF"
    field.fill("ent:TNF_alpha")
    assert "# param: entity = ent:TNF_alpha |" in _text(editor)  # the text says what will run
    editor.click("#run")
    rows = _rows(editor)
    entity_column = _headers(editor).index("entity")
    assert len(rows) == len(tnf_rows)
    assert {row[entity_column] for row in rows} == {"ent:TNF_alpha"}
    assert f"{len(tnf_rows)} row(s)" in editor.inner_text("#status")
    editor.screenshot(path=str(screenshots / "editor-named-query.png"), full_page=True)

    # The permalink of a named query carries its parameter, not its text, and reruns it.
    link = editor.get_attribute("#permalink", "href")
    assert "named=entity_statements" in link and "entity=ent%3ATNF_alpha" in link
    editor.goto(live_server.url + "/")
    editor.goto(link)
    assert _rows(editor) == rows
    assert editor.locator("#param-entity").input_value() == "ent:TNF_alpha"


def test_editing_the_param_line_re_aims_the_query(editor, live_server: LiveServer) -> None:
    """Issue 14: setting the ``# param`` line to TNF-alpha used to be ignored silently."""
    tnf_rows = _named_rows(live_server, "entity_statements", entity="ent:TNF_alpha")
    _open(editor, live_server.url + "/#sparql")
    editor.select_option("#examples", "entity_statements")
    _set_text(editor, _text(editor).replace("entity = ent:VEGF", "entity = ent:TNF_alpha"))
    assert editor.locator("#param-entity").input_value() == "ent:TNF_alpha"
    editor.click("#run")
    assert len(_rows(editor)) == len(tnf_rows)


def test_an_edited_parameterised_query_is_an_error_not_a_silent_answer(
    editor, live_server: LiveServer
) -> None:
    _open(editor, live_server.url + "/#sparql")
    editor.select_option("#examples", "entity_statements")
    _set_text(editor, _text(editor).replace("SELECT ?entity", "SELECT DISTINCT ?entity"))
    editor.click("#run")
    status = editor.locator("#status")
    expect(status).to_have_class("error")
    assert "?entity" in status.inner_text() and "VALUES ?entity" in status.inner_text()
    assert editor.locator("#yasr table.dataTable tbody tr").count() == 0


def test_csv_download_holds_the_rows_shown(
    editor, live_server: LiveServer, tmp_path: Path, screenshots: Path
) -> None:
    query = "SELECT ?entity ?label WHERE { ?entity a msckg:GrowthFactor ; rdfs:label ?label } ORDER BY ?label"
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, query)
    editor.click("#run")
    shown = _rows(editor)
    with editor.expect_download() as download:
        editor.click("#yasr .yasr_downloadIcon")
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    editor.screenshot(path=str(screenshots / "editor-csv-download.png"))
    assert target.suffix == ".csv"
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert table[0] == ["entity", "label"]
    assert [row[1] for row in table[1:]] == [row[1] for row in shown]
    assert all(row[0].startswith("https://w3id.org/msckg/id/") for row in table[1:])


def test_result_cells_link_entities_and_dois_and_shorten_other_iris(
    editor, live_server: LiveServer, screenshots: Path
) -> None:
    query = (
        "SELECT ?work ?doi ?type WHERE { ?work bibo:doi ?doi ; a ?type . "
        "FILTER(?type != owl:NamedIndividual) } ORDER BY ?work LIMIT 3"
    )
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, query)
    editor.click("#run")
    rows = _rows(editor)
    assert rows
    first = editor.locator("#yasr table.dataTable tbody tr").first
    work = first.locator("td").nth(1).locator("a")
    assert work.get_attribute("href").startswith("#/entity/ent%3A")
    doi = first.locator("td").nth(2).locator("a.doi")
    assert doi.get_attribute("href").startswith("https://doi.org/10.")
    kind = first.locator("td").nth(3).locator("a")
    assert ":" in kind.inner_text() and not kind.inner_text().startswith(("<", "http"))
    assert kind.get_attribute("title").startswith("http")
    editor.screenshot(path=str(screenshots / "editor-cells.png"), full_page=True)


def test_a_construct_query_shows_triples_not_zero_rows(editor, live_server: LiveServer) -> None:
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, "CONSTRUCT { ent:VEGF ?p ?o } WHERE { ent:VEGF ?p ?o }")
    editor.click("#run")
    assert _rows(editor)
    assert _headers(editor) == ["subject", "predicate", "object"]
    status = editor.inner_text("#status")
    assert "triple(s)" in status and "row(s)" not in status
    assert not status.startswith("0 ")


def test_a_literal_with_markup_is_shown_as_text(editor, live_server: LiveServer) -> None:
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, 'SELECT ?x WHERE { VALUES ?x { "<b>bold</b><img src=x onerror=alert(1)>" } }')
    editor.click("#run")
    assert _rows(editor) == [["<b>bold</b><img src=x onerror=alert(1)>"]]
    assert editor.locator("#yasr tbody b, #yasr tbody img").count() == 0


def test_a_bad_query_says_why(editor, live_server: LiveServer) -> None:
    _open(editor, live_server.url + "/#sparql")
    _set_text(editor, "SELECT ?x WHERE { ?x ?y }")
    editor.click("#run")
    status = editor.locator("#status")
    expect(status).to_have_class("error")
    assert status.inner_text().startswith("error 400:")


def _sparql_json(server: LiveServer, query: str) -> dict[str, object]:
    request = urllib.request.Request(
        server.url + "/sparql",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_counts_are_drawn_as_a_bar_chart(
    editor, live_server: LiveServer, screenshots: Path
) -> None:
    expected = _named_rows(live_server, "count_by_class")
    _open(editor, live_server.url + "/#sparql")
    editor.select_option("#examples", "count_by_class")
    editor.click("#run")
    _rows(editor)
    editor.click("#yasr .select_chart")
    bars = editor.locator("#yasr svg.chart g.bar")
    bars.first.wait_for()
    assert bars.count() == len(expected)
    amounts = editor.locator("#yasr svg.chart text.amount").all_text_contents()
    assert amounts == [row["entities"]["value"] for row in expected]
    editor.screenshot(path=str(screenshots / "editor-chart.png"), full_page=True)


def test_a_construct_result_is_drawn_as_a_graph(
    editor, live_server: LiveServer, screenshots: Path
) -> None:
    where = "ent:VEGF ?p ?o . FILTER(isIRI(?o))"
    objects = _sparql_json(
        live_server,
        f"SELECT ?o (SAMPLE(?l) AS ?label) WHERE {{ {where} OPTIONAL {{ ?o rdfs:label ?l }} }} "
        "GROUP BY ?o",
    )["results"]["bindings"]  # type: ignore[index]
    named = {row["label"]["value"] for row in objects if "label" in row}
    _open(editor, live_server.url + "/#sparql")
    _set_text(
        editor,
        f"CONSTRUCT {{ ent:VEGF ?p ?o . ?o rdfs:label ?l }} "
        f"WHERE {{ {where} OPTIONAL {{ ?o rdfs:label ?l }} }}",
    )
    editor.click("#run")
    _rows(editor)
    editor.click("#yasr .select_graph")
    editor.wait_for_selector("#yasr svg.result-graph[data-rendered] g.node")
    labels = editor.locator("#yasr svg.result-graph g.node text").all_text_contents()
    assert len(labels) == 1 + len(objects)
    assert "ent:VEGF" in labels and named and named <= set(labels)
    editor.screenshot(path=str(screenshots / "editor-graph.png"), full_page=True)


def test_a_parameter_given_by_name_runs_for_that_entity(editor, live_server: LiveServer) -> None:
    tnf_rows = _named_rows(live_server, "entity_statements", entity="ent:TNF_alpha")
    _open(editor, live_server.url + "/#sparql")
    editor.select_option("#examples", "entity_statements")
    editor.locator("#param-entity").fill("TNF-α")  # typed, never picked from the suggestions
    editor.click("#run")
    assert len(_rows(editor)) == len(tnf_rows)
    assert editor.locator("#param-entity").input_value() == "ent:TNF_alpha"


def test_an_unknown_entity_parameter_is_an_error_with_suggestions(
    editor, live_server: LiveServer
) -> None:
    _open(editor, live_server.url + "/#sparql")
    editor.select_option("#examples", "entity_statements")
    editor.locator("#param-entity").fill("ent:VEGFF")
    editor.click("#run")
    status = editor.locator("#status")
    expect(status).to_have_class("error")
    assert "no entity ent:VEGFF" in status.inner_text() and "ent:VEGF" in status.inner_text()
    assert editor.locator("#yasr table.dataTable tbody tr").count() == 0
