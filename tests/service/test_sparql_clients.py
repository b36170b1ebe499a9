"""Real SPARQL clients against a live server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

VEGF = "https://w3id.org/msckg/id/VEGF"


def _ask(client: SPARQLWrapper) -> object:
    """Query and convert, closing the HTTP response (SPARQLWrapper leaves XML and CSV ones open)."""
    result = client.query()
    try:
        return result.convert()
    finally:
        result.response.close()


LABEL = f"SELECT ?label WHERE {{ <{VEGF}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(live_server, method: str) -> None:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setMethod(method)
    client.setQuery(LABEL)
    client.setReturnFormat(JSON)
    bindings = _ask(client)["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["VEGF"]


def test_sparqlwrapper_select_xml_and_csv(live_server) -> None:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setQuery(LABEL)
    client.setReturnFormat(XML)
    assert "VEGF" in _ask(client).toxml()
    client.setReturnFormat(CSV)
    assert b"VEGF" in _ask(client)


def test_sparqlwrapper_ask_and_construct(live_server) -> None:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setQuery(f"ASK {{ <{VEGF}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert _ask(client)["boolean"] is True
    client.setQuery(
        f"CONSTRUCT WHERE {{ <{VEGF}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    )
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=_ask(client), format="turtle")
    assert len(graph) == 1


def test_rdflib_sparqlstore_round_trip(live_server) -> None:
    store = SPARQLStore(f"{live_server.url}/sparql")
    graph = Graph(store=store)
    rows = list(graph.query(LABEL))
    assert [str(row[0]) for row in rows] == ["VEGF"]
    assert graph.query(f"ASK {{ <{VEGF}> ?p ?o }}").askAnswer is True
    triples = list(graph.triples((URIRef(VEGF), None, None)))
    assert len(triples) > 3
    store.close()
