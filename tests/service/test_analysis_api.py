"""The analysis endpoints: paths, neighborhood, metapaths, export (404, 400, never 500)."""

from __future__ import annotations

import io
import re

import jsonschema
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from optional_tools import requires_tool

from msckg.graph.curation import CURATION_DIR
from msckg.graph.exports import FORMATS
from msckg.service.analysis import BLANK_CHARACTERS, NOT_BLANK_PATTERN
from msckg.service.app import close_app, create_app
from msckg.service.settings import Settings


def test_paths_return_nodes_edges_statements_and_score(mini_client):
    response = mini_client.get(
        "/api/paths", query_string={"source": "bone marrow", "target": "VEGF"}
    )
    assert response.status_code == 200
    (path,) = response.json["paths"]
    assert [n["id"] for n in path["nodes"]] == ["ent:bone_marrow", "ent:msc", "ent:vegf"]
    assert [(e["source"], e["predicate"], e["target"]) for e in path["edges"]] == [
        ("ent:msc", "msckg:isolatedFrom", "ent:bone_marrow"),
        ("ent:msc", "msckg:secretes", "ent:vegf"),
    ]
    assert path["edges"][1]["statements"][0]["evidence"] == "preclinical_study"
    assert path["score"] == {
        "weakest_link": 2,
        "weakest_evidence": "clinical_background",
        "combined": 0.25,
    }


def test_no_path_is_200_with_an_empty_list_and_a_reason(mini_client):
    response = mini_client.get("/api/paths?source=angiogenesis&target=msc&directed=true")
    assert response.status_code == 200
    assert response.json["paths"] == []
    assert response.json["reason"].startswith("no directed path from ent:angiogenesis to ent:msc")


def test_unknown_entity_is_404_with_suggestions(mini_client):
    response = mini_client.get("/api/paths?source=angiogenessis&target=msc")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert response.json["suggestions"] == [{"id": "ent:angiogenesis", "label": "angiogenesis"}]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("source=msc&target=vegf&k=21", "'k' must be an integer from 1 to 20"),
        ("source=msc&target=vegf&max_length=7", "'max_length' must be an integer from 1 to 6"),
        ("source=msc&target=vegf&k=abc", "'k' must be an integer"),
        ("source=msc&target=vegf&min_evidence=rumour", "unknown evidence level 'rumour'"),
        ("source=msc&target=vegf&directed=maybe", "'directed' must be true or false"),
        ("target=vegf", "the parameter 'source' is required"),
    ],
)
def test_bad_parameters_are_400_naming_the_bound(mini_client, query, named):
    response = mini_client.get(f"/api/paths?{query}")
    assert response.status_code == 400
    assert named in response.json["detail"]


def test_neighborhood_with_elements(mini_client):
    response = mini_client.get("/api/neighborhood/ent:vegf?radius=1")
    assert response.status_code == 200
    assert {n["id"] for n in response.json["nodes"]} == {"ent:vegf", "ent:msc", "ent:angiogenesis"}
    assert len(response.json["elements"]["nodes"]) == 3
    assert mini_client.get("/api/neighborhood/VEGF?radius=9").status_code == 400
    assert mini_client.get("/api/neighborhood/nothing-here").status_code == 404


def test_metapaths_count_and_dwpc(mini_client):
    response = mini_client.get(
        "/api/metapaths",
        query_string={
            "source": "bone marrow",
            "target": "angiogenesis",
            "pattern": "CellSource,CellType,GrowthFactor,BiologicalProcess",
        },
    )
    assert response.status_code == 200
    assert (response.json["count"], response.json["dwpc"]) == (1, 1.0)
    bad = mini_client.get("/api/metapaths?source=msc&target=vegf&pattern=CellType,Nothing")
    assert bad.status_code == 400
    assert "unknown node type 'Nothing'" in bad.json["detail"]


def _parameter_schema(document, path, name):
    parameters = document["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name)


def test_blank_means_the_same_to_the_server_and_to_the_openapi_pattern(mini_client):
    document = mini_client.get("/openapi.json").json
    for path, name in [
        ("/api/paths", "source"),
        ("/api/paths", "target"),
        ("/api/metapaths", "target"),
        ("/api/metapaths", "pattern"),
    ]:
        assert _parameter_schema(document, path, name)["pattern"] == NOT_BLANK_PATTERN
    # A bracket class without shorthands means the same in Python's re and in ECMA-262.
    not_blank = re.compile(NOT_BLANK_PATTERN)
    for code in range(0x3000 + 1):
        character = chr(code)
        assert (not_blank.search(character) is None) == (character in BLANK_CHARACTERS)
    assert not_blank.search("\ufeff") and not_blank.search("\x1e")


def test_a_schema_valid_odd_character_is_looked_up_and_blanks_are_refused(mini_client):
    # Python's str.isspace calls \x1e blank, the OpenAPI pattern does not: the server follows
    # the pattern and looks it up (no such entity), where it used to answer 400.
    odd = mini_client.get(
        "/api/metapaths", query_string={"source": "msc", "target": "\x1e", "pattern": "CellType"}
    )
    assert odd.status_code == 404
    assert odd.json["error"] == "not_found"
    blank = mini_client.get(
        "/api/metapaths", query_string={"source": "msc", "target": " \t\r\n", "pattern": "X"}
    )
    assert blank.status_code == 400
    assert blank.json["detail"] == "the parameter 'target' is required"


def test_export_graphml_of_a_focus(mini_client):
    response = mini_client.get("/api/export/graphml?focus=VEGF&radius=1")
    assert response.status_code == 200
    assert response.mimetype == "application/graphml+xml"
    assert 'filename="msckg.graphml"' in response.headers["Content-Disposition"]
    assert sorted(nx.read_graphml(io.BytesIO(response.data))) == [
        "ent:angiogenesis",
        "ent:msc",
        "ent:vegf",
    ]


def test_export_errors_and_html_sandbox(mini_client):
    unknown = mini_client.get("/api/export/gml")
    assert unknown.status_code == 404
    assert unknown.json["choices"][:3] == ["graphml", "gexf", "cyjs"]
    assert mini_client.get("/api/export/graphml?focus=nobody").status_code == 404
    page = mini_client.get("/api/export/html")
    assert page.status_code == 200
    assert "sandbox allow-scripts" in page.headers["Content-Security-Policy"]


def test_without_a_drawing_program_only_the_documented_formats_answer_503(
    mini_built, monkeypatch, tmp_path
):
    # An empty folder: no program can be found by the query workers, which start with the app
    # and so see this PATH.
    monkeypatch.setenv("PATH", str(tmp_path))
    app = create_app(Settings.from_env({}, data_dir=mini_built.out_dir))
    try:
        _only_documented_formats_answer_503(app.test_client())
    finally:
        close_app(app)


def _only_documented_formats_answer_503(mini_client) -> None:
    document = mini_client.get("/openapi.json").json
    unavailable = document["paths"]["/api/export/{format}"]["get"]["responses"]["503"]
    error_schema = document["components"]["schemas"]["Error"]
    assert unavailable["x-formats"] == ["svg", "png"]
    for name in FORMATS:
        response = mini_client.get(f"/api/export/{name}?focus=VEGF")
        if name in unavailable["x-formats"]:
            assert response.status_code == 503, name
            assert response.json["error"] == "export_unavailable"
            assert "Graphviz" in response.json["detail"]
            jsonschema.validate(response.json, error_schema)
        else:
            assert response.status_code == 200, name


@requires_tool("drawing")
def test_export_png(mini_client):
    from PIL import Image

    response = mini_client.get("/api/export/png?focus=VEGF")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    image.load()
    assert image.format == "PNG" and image.width > 100


def test_openapi_document_lists_the_analysis_endpoints(mini_client):
    document = mini_client.get("/openapi.json").json
    assert {
        "/api/paths",
        "/api/neighborhood/{id}",
        "/api/metapaths",
        "/api/export/{format}",
    } <= set(document["paths"])
    validate(document)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "source",
                "target",
                "k",
                "max_length",
                "min_evidence",
                "predicates",
                "types",
                "directed",
                "all",
                "pattern",
                "damping",
                "radius",
                "focus",
            ]
        ),
        st.text(max_size=30),
    )
)
def test_analysis_endpoints_never_answer_500(mini_client, params):
    for url in ("/api/paths", "/api/metapaths", "/api/neighborhood/msc", "/api/export/cyjs"):
        assert mini_client.get(url, query_string=params).status_code < 500


@pytest.mark.skipif(
    "menstrual blood" not in (CURATION_DIR / "entities.tsv").read_text(encoding="utf-8"),
    reason="shipped curation has no menstrual blood entity yet",
)
def test_issue_4_demo_through_the_api(client):
    response = client.get(
        "/api/paths", query_string={"source": "menstrual blood", "target": "Asherman syndrome"}
    )
    assert response.status_code == 200
    assert response.json["paths"], response.json.get("reason")
    for path in response.json["paths"]:
        assert all(
            edge["statements"] and all(s["evidence"] for s in edge["statements"])
            for edge in path["edges"]
        )
