"""Every export read back by a real consumer: networkx, Graphviz, cytoscape.js, rdflib, Chromium."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import struct
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from optional_tools import TOOLS, requires_tool
from rdflib import Graph, Namespace, URIRef
from toygraph import add_node, path_toy

from msckg.graph.analysis import node_types
from msckg.graph.build import STORE_DIRNAME
from msckg.graph.errors import ToolFailed, ToolMissing, UnknownFormat
from msckg.graph.exports import FORMATS, export, exporter_for, select_subgraph
from msckg.graph.exports.base import DEFAULT_COLOUR, TYPE_COLOURS, colour_of
from msckg.graph.exports.picture import (
    PNG_DPI,
    RENDERERS,
    available_renderers,
    render,
    render_dot,
)
from msckg.graph.network import load_network
from msckg.graph.store import open_store

JS_DIR = Path(__file__).parent / "js"
MSCKG = Namespace("https://w3id.org/msckg/vocab/")
ENT = Namespace("https://w3id.org/msckg/id/")
#: Each renderer, run where it is installed: Graphviz's dot, and viz.js (Graphviz in WebAssembly).
EACH_RENDERER = pytest.mark.parametrize(
    "renderer",
    [pytest.param(name, marks=requires_tool(name.replace("-", "_"))) for name in RENDERERS],
)


@pytest.fixture
def toy():
    return path_toy()


def _bytes(graph, name):
    stream = io.BytesIO()
    export(graph, name, stream)
    return stream.getvalue()


def _edge_set(graph):
    return {(u, v) for u, v in graph.edges()}


def test_registry_names_every_format_and_unknown_lists_them():
    assert list(FORMATS) == [
        "graphml",
        "gexf",
        "cyjs",
        "dot",
        "neo4j",
        "kgx",
        "turtle",
        "jsonld",
        "html",
        "svg",
        "png",
    ]
    with pytest.raises(
        UnknownFormat, match="unknown export format 'gml'; choose one of: graphml, gexf, cyjs"
    ):
        exporter_for("gml")


def test_graphml_round_trip_through_networkx(toy):
    back = nx.read_graphml(io.BytesIO(_bytes(toy, "graphml")), force_multigraph=True)
    assert set(back) == set(toy)
    assert {(u, v, d["predicate"]) for u, v, d in back.edges(data=True)} == set(
        toy.edges(keys=True)
    )
    assert back.nodes["ent:e"]["label"] == "Asherman's syndrome"
    reduces = next(d for u, v, d in back.edges(data=True) if d["predicate"] == "msckg:reduces")
    assert (reduces["evidence"], reduces["evidence_rank"]) == ("clinical_trial", 4)
    assert reduces["dois"] == "10.1000/toy.1"


def test_gexf_13_round_trip_with_type_colours(toy):
    data = _bytes(toy, "gexf")
    assert b'version="1.3"' in data
    back = nx.read_gexf(io.BytesIO(data), version="1.3")
    assert set(back) == set(toy)
    assert _edge_set(back) == _edge_set(toy)
    colour = back.nodes["ent:c"]["viz"]["color"]
    assert "#{r:02x}{g:02x}{b:02x}".format(**colour) == colour_of(toy.nodes["ent:c"]["types"])
    assert back.nodes["ent:c"]["label"] == "VEGF"


@EACH_RENDERER
def test_dot_parses_in_graphviz_even_with_quotes_in_labels(toy, renderer):
    add_node(toy, "q", "Disorder", 'a "quoted" \\ label')
    svg = render_dot(_bytes(toy, "dot").decode("utf-8"), "svg", renderer=renderer)
    root = ElementTree.fromstring(svg)  # noqa: S314
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert {"ent:a", "ent:b", "ent:c", "ent:d", "ent:e", "ent:f", "ent:q"} <= set(titles)
    assert sum("->" in (t or "") for t in titles) == toy.number_of_edges()
    assert b"a &quot;quoted&quot; \\ label" in svg


@requires_tool("cytoscape_js")
def test_cytoscape_json_loads_in_cytoscape_js(toy, tmp_path):
    path = tmp_path / "graph.cyjs.json"
    path.write_bytes(_bytes(toy, "cyjs"))
    out = subprocess.run(
        ["node", str(JS_DIR / "cyjs_count.js"), str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    ).stdout
    assert json.loads(out) == {"nodes": 6, "edges": 7, "dangling": 0}


def _zip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_neo4j_csv_headers_and_formula_neutralising(toy):
    add_node(toy, "evil", "Disorder", '=HYPERLINK("x")', "+1", "-2", "@sum")
    files = _zip(_bytes(toy, "neo4j"))
    nodes = list(csv.reader(io.StringIO(files["nodes.csv"])))
    edges = list(csv.reader(io.StringIO(files["edges.csv"])))
    assert nodes[0][0] == "id:ID" and nodes[0][-1] == ":LABEL"
    assert edges[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    evil = next(row for row in nodes if row[0] == "ent:evil")
    assert evil[1] == '\'=HYPERLINK("x")'
    assert evil[3] == "'+1;-2;@sum"
    assert next(row for row in nodes if row[0] == "ent:c")[-1] == "Entity;Molecule;GrowthFactor"
    ids = {row[0] for row in nodes[1:]}
    assert all(row[0] in ids and row[1] in ids for row in edges[1:])
    assert {row[2] for row in edges[1:]} >= {"ISOLATED_FROM", "USES_CELL_TYPE"}


def test_kgx_tsv_uses_biolink_categories_and_predicates(toy):
    files = _zip(_bytes(toy, "kgx"))
    nodes = list(csv.DictReader(io.StringIO(files["nodes.tsv"]), delimiter="\t"))
    edges = list(csv.DictReader(io.StringIO(files["edges.tsv"]), delimiter="\t"))
    by_id = {row["id"]: row for row in nodes}
    assert by_id["ent:e"]["category"] == "biolink:Disease"
    assert by_id["ent:b"]["category"] == "biolink:Cell"
    assert all(row["category"].startswith("biolink:") for row in nodes)
    treats = next(row for row in edges if row["original_predicate"] == "msckg:treats")
    assert (treats["subject"], treats["predicate"], treats["object"]) == (
        "ent:f",
        "biolink:treats",
        "ent:e",
    )
    assert treats["publications"] == "doi:10.1000/toy.1"
    assert treats["primary_knowledge_source"] == "infores:saremi-2025-msc-editorial"
    assert (treats["knowledge_level"], treats["agent_type"]) == (
        "knowledge_assertion",
        "manual_agent",
    )
    assert all(row["predicate"].startswith("biolink:") and row["subject"] in by_id for row in edges)


@pytest.mark.parametrize("name", ["turtle", "jsonld"])
def test_rdf_round_trip_keeps_triples_and_statements(toy, name):
    rdf = Graph().parse(data=_bytes(toy, name), format="turtle" if name == "turtle" else "json-ld")
    for subject, obj, key in toy.edges(keys=True):
        predicate = URIRef(MSCKG[key.removeprefix("msckg:")])
        assert (ENT[subject.removeprefix("ent:")], predicate, ENT[obj.removeprefix("ent:")]) in rdf
    statements = set(rdf.subjects(predicate=MSCKG.evidence))
    assert len(statements) == sum(len(d["statements"]) for _, _, d in toy.edges(data=True))
    assert (None, MSCKG.evidence, MSCKG.ClinicalTrial) in rdf


def _png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@EACH_RENDERER
def test_svg_and_png_pictures_have_a_legend_and_the_expected_size(toy, renderer):
    from PIL import Image

    svg = render(toy, "svg", renderer=renderer)
    root = ElementTree.fromstring(svg)  # noqa: S314
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"node types", "CellSource", "Disorder", "VEGF", "angiogenesis"} <= texts
    width_pt, height_pt = (float(root.get(a).removesuffix("pt")) for a in ("width", "height"))
    png = render(toy, "png", renderer=renderer)
    width, height = _png_size(png)
    assert width == pytest.approx(math.ceil(width_pt * PNG_DPI / 72), abs=2)
    assert height == pytest.approx(math.ceil(height_pt * PNG_DPI / 72), abs=2)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (width, height)
    colours = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in _fills(toy)}
    drawn = {pixel for _, pixel in image.getcolors(width * height)}
    assert colours <= drawn, "every node type's fill colour should be painted"


@EACH_RENDERER
def test_a_renderer_that_fails_says_why(renderer):
    with pytest.raises(
        ToolFailed, match=rf"^{renderer} could not draw the svg: .*syntax error in line 1"
    ):
        render_dot("digraph { a -> ", "svg", renderer=renderer)


@requires_tool("viz_js")
def test_without_dot_the_exports_draw_with_viz_js(toy, monkeypatch, tmp_path):
    (tmp_path / "node").symlink_to(TOOLS["viz_js"].find())
    monkeypatch.setenv("PATH", str(tmp_path))  # Node.js alone, as on a fresh machine
    assert available_renderers() == ["viz-js"]
    svg = ElementTree.fromstring(_bytes(toy, "svg"))  # noqa: S314
    assert "VEGF" in {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert _png_size(_bytes(toy, "png"))[0] > 100


def _fills(graph):
    return {colour_of(data["types"]) for _, data in graph.nodes(data=True)}


def test_without_any_renderer_pictures_fail_with_the_install_hint(toy, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissing, match=r"install Graphviz \(Debian: apt-get install graphviz\)"):
        _bytes(toy, "png")


def test_html_view_is_self_contained(toy):
    add_node(toy, "x", "Disorder", "</script><img src=x onerror=alert(1)>")
    page = _bytes(toy, "html").decode("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "</script><img" not in page
    assert "Content-Security-Policy" in page


@requires_tool("chromium")
def test_html_view_renders_nodes_in_headless_chromium(toy, tmp_path):
    from PIL import Image

    page = tmp_path / "view.html"
    page.write_bytes(_bytes(toy, "html"))
    flags = [
        TOOLS["chromium"].find(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1000,700",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert len(re.findall(r'<g class="node"', dom)) == toy.number_of_nodes()
    assert 'data-rendered="6"' in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 700)
    colours = {colour_of(toy.nodes[n]["types"]) for n in toy}
    wanted = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours}
    found = {
        pixel for _, pixel in image.crop((0, 100, 700, 700)).getcolors(1_000_000) if pixel in wanted
    }
    assert len(found) >= 5, "the node circles' type colours should be on screen"


def test_focus_and_radius_select_a_neighborhood(toy):
    sub = select_subgraph(toy, "angiogenesis", 1)
    assert sorted(sub) == ["ent:c", "ent:d", "ent:e"]
    assert select_subgraph(toy) is toy
    back = nx.read_graphml(io.BytesIO(_bytes(sub, "graphml")), force_multigraph=True)
    assert back.number_of_edges() == 2


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=requires_tool("drawing")) if e.program else n
        for n, e in FORMATS.items()
    ],
)
def test_every_format_exports_the_mini_build(mini_built, name):
    graph = load_network(open_store(mini_built.out_dir / STORE_DIRNAME, read_only=True))
    assert len(_bytes(graph, name)) > 100


def _cie_lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB ``#rrggbb`` colour."""

    def linear(channel: float) -> float:
        return ((channel + 0.055) / 1.055) ** 2.4 if channel > 0.04045 else channel / 12.92

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883

    def f(value: float) -> float:
        return value ** (1 / 3) if value > 0.008856 else 7.787 * value + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_node_type_has_a_colour_of_its_own_far_from_the_others(store) -> None:
    """Issue 14: 'therapy' and 'cell-based therapy' shared one colour, and pastel colours blurred."""
    present = node_types(store)["types"]
    assert {row["type"] for row in present} <= set(TYPE_COLOURS), "a type without a colour"
    colours = {**TYPE_COLOURS, "default": DEFAULT_COLOUR}
    closest = min(
        (math.dist(_cie_lab(colours[a]), _cie_lab(colours[b])), a, b)
        for a, b in itertools.combinations(colours, 2)
    )
    assert closest[0] >= 15, closest
