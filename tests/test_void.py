"""The VoID description at /.well-known/void (CHECKLIST 3.1): every statistic equals the count the
SPARQL endpoint gives, and VoID, the service description and the catalogue agree (CHECKLIST 4)."""

from __future__ import annotations

import re
import urllib.parse

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF

from eurocities_kg.void import namespace

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
DATASET = rdflib.URIRef("https://w3id.org/eurocities-kg/catalog#dataset")
ID_SPACE = "https://w3id.org/eurocities-kg/id/"
WIKIDATA = "http://www.wikidata.org/entity/"


@pytest.fixture
def void(client) -> rdflib.Graph:
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    return rdflib.Graph().parse(data=response.get_data(), format="turtle")


def count(client, where: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
    response = client.get("/sparql?" + urllib.parse.urlencode({"query": query}))
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def rows(client, query: str) -> list[dict]:
    response = client.get("/sparql?" + urllib.parse.urlencode({"query": query}))
    return response.get_json()["results"]["bindings"]


def number(graph: rdflib.Graph, node: rdflib.term.Node, prop: rdflib.URIRef) -> int:
    value = graph.value(node, prop)
    assert isinstance(value, rdflib.Literal)
    return int(value)


def test_well_known_void_describes_the_dataset(void) -> None:
    """VDisc-1, VDisc-2, VD-1."""
    [document] = void.subjects(RDF.type, VOID.DatasetDescription)
    assert void.value(document, FOAF.primaryTopic) == DATASET
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert {t.language for t in void.objects(DATASET, DCTERMS.title)} == {"de", "en"}
    assert void.value(DATASET, DCTERMS.description) is not None
    assert void.value(void.value(DATASET, DCTERMS.publisher), FOAF.name) is not None
    assert void.value(DATASET, DCTERMS.modified).datatype == rdflib.XSD.dateTime
    assert void.value(DATASET, FOAF.homepage) == rdflib.URIRef("http://localhost/")


def test_void_negotiates_rdf(client) -> None:
    assert client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).mimetype == (
        "application/ld+json"
    )
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_triples_are_the_published_graph_and_the_sd_default_graph(client, void, app) -> None:
    """VD-4, X-5: void:triples = COUNT over the union default graph = the SD's default graph
    = the manifest (the dump's triple count, checked against the files in test_e2e_harvest)."""
    triples = number(void, DATASET, VOID.triples)
    assert triples == count(client, "?s ?p ?o")
    sd = rdflib.Graph().parse(data=client.get("/sparql").get_data(), format="turtle")
    [default_graph] = sd.objects(None, SD.defaultGraph)
    assert number(sd, default_graph, VOID.triples) == triples
    from eurocities_kg.web.state import KEY

    assert app.extensions[KEY].manifest["triples"] == triples


def test_statistics_equal_sparql_counts(client, void) -> None:
    """VD-4 optional statistics, each equal to its SPARQL count."""
    expected = {
        VOID.entities: f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID_SPACE}")) }}',
        VOID.classes: "SELECT DISTINCT ?c WHERE { ?s a ?c }",
        VOID.properties: "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
        VOID.distinctSubjects: "SELECT DISTINCT ?s WHERE { ?s ?p ?o }",
        VOID.distinctObjects: "SELECT DISTINCT ?o WHERE { ?s ?p ?o }",
    }
    for prop, query in expected.items():
        assert number(void, DATASET, prop) == count(client, query), prop
    assert number(void, DATASET, VOID.entities) > 100


def test_uri_space_is_a_literal_prefix_of_every_thing(client, void) -> None:
    """VD-5."""
    space = void.value(DATASET, VOID.uriSpace)
    assert space == rdflib.Literal(ID_SPACE)
    things = rows(client, 'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), "/id/")) }')
    assert things
    assert all(t["s"]["value"].startswith(str(space)) for t in things)


def test_every_vocabulary_used_is_listed(client, void) -> None:
    """VD-6: the namespaces of all predicates and classes ⊆ void:vocabulary (rdf, rdfs included)."""
    listed = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    used = rows(client, "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }")
    assert used
    for row in used:
        assert any(row["t"]["value"].startswith(v) for v in listed), row["t"]["value"]
    assert {"http://www.w3.org/ns/org#", "https://w3id.org/eurocities-kg/def#"} <= listed


def test_namespace_of_a_term() -> None:
    assert namespace("http://www.w3.org/ns/org#member") == "http://www.w3.org/ns/org#"
    assert namespace("https://schema.org/City") == "https://schema.org/"
    assert namespace("http://purl.org/vocab/vann/preferredNamespacePrefix") == (
        "http://purl.org/vocab/vann/"
    )


def test_example_resources_exist_and_answer_303(client, void) -> None:
    """VD-7, X-7."""
    examples = sorted(str(e) for e in void.objects(DATASET, VOID.exampleResource))
    assert examples == [ID_SPACE + "city/bochum", ID_SPACE + "network/eurocities"]
    for example in examples:
        response = client.get("/id/" + example.removeprefix(ID_SPACE))
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/doc/" + example.removeprefix(ID_SPACE))


def test_dumps_and_endpoint_are_the_catalogue_s(client, void) -> None:
    """VD-2, VD-3, X-1, X-2: void:sparqlEndpoint = sd:endpoint = dcat:endpointURL; each
    void:dataDump is a dcat:downloadURL whose dcat:byteSize is the served Content-Length."""
    catalog = rdflib.Graph().parse(data=client.get("/catalog").get_data(), format="turtle")
    sd = rdflib.Graph().parse(data=client.get("/sparql").get_data(), format="turtle")
    [sd_endpoint] = sd.objects(None, SD.endpoint)
    [service] = catalog.subjects(RDF.type, DCAT.DataService)
    endpoint = void.value(DATASET, VOID.sparqlEndpoint)
    assert endpoint == sd_endpoint == catalog.value(service, DCAT.endpointURL)
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    dumps = set(void.objects(DATASET, VOID.dataDump))
    assert dumps == set(catalog.objects(None, DCAT.downloadURL))
    assert len(dumps) == 6
    for dump in dumps:
        [distribution] = catalog.subjects(DCAT.downloadURL, dump)
        response = client.get(str(dump))
        assert response.status_code == 200
        assert int(response.headers["Content-Length"]) == int(
            catalog.value(distribution, DCAT.byteSize)
        )


def test_one_licence_iri_in_void_catalogue_and_page(client, void) -> None:
    """X-3: VoID's dct:license = the catalogue's; the HTML footer names CC BY 4.0."""
    [licence] = void.objects(DATASET, DCTERMS.license)
    catalog = rdflib.Graph().parse(data=client.get("/catalog").get_data(), format="turtle")
    assert set(catalog.objects(None, DCTERMS.license)) == {licence}
    page = client.get("/download/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "CC BY 4.0" in page


def test_linksets_to_wikidata_count_the_links(client, void) -> None:
    """VL-1, VL-2, VL-4: one linkset per link predicate, each counting its links; no other
    predicate links to Wikidata."""
    linksets = {
        void.value(ls, VOID.linkPredicate): ls for ls in void.subjects(RDF.type, VOID.Linkset)
    }
    linked = rows(
        client,
        f'SELECT DISTINCT ?p WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?o), "{WIKIDATA}")) }}',
    )
    assert {rdflib.URIRef(r["p"]["value"]) for r in linked} == set(linksets)
    for predicate, linkset in linksets.items():
        assert (DATASET, VOID.subset, linkset) in void
        targets = set(void.objects(linkset, VOID.target))
        assert len(targets) == 2
        assert DATASET in targets
        wikidata = void.value(linkset, VOID.objectsTarget)
        assert str(void.value(wikidata, VOID.uriSpace)) == WIKIDATA
        links = count(client, f'?s <{predicate}> ?o FILTER(STRSTARTS(STR(?o), "{WIKIDATA}"))')
        assert number(void, linkset, VOID.triples) == links
    assert number(void, linksets[OWL.sameAs], VOID.triples) > 10


def test_same_as_links_are_entity_iris_of_our_things(client) -> None:
    """VL-3: http, /entity/Q…, from our URI space."""
    links = rows(
        client,
        f'SELECT ?s ?o WHERE {{ ?s <{OWL.sameAs}> ?o FILTER(STRSTARTS(STR(?o), "http://www.wikidata.org/")) }}',
    )
    assert links
    for link in links:
        assert re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9][0-9]*", link["o"]["value"])
        assert link["s"]["value"].startswith(ID_SPACE)


def test_subsets_are_the_named_graphs_of_the_service_description(client, void) -> None:
    """X-6: one void:subset per named graph, with the SD's names and triple counts."""
    sd = rdflib.Graph().parse(data=client.get("/sparql").get_data(), format="turtle")
    named = {
        sd.value(ng, SD.name): number(sd, sd.value(ng, SD.graph), VOID.triples)
        for ng in sd.subjects(RDF.type, SD.NamedGraph)
    }
    subsets = {
        s: number(void, s, VOID.triples)
        for s in void.objects(DATASET, VOID.subset)
        if (s, RDF.type, VOID.Linkset) not in void
    }
    assert subsets == named
    assert len(subsets) > 10


def test_every_advertised_feature_is_served(client, void) -> None:
    """VD-8: each void:feature format is what a thing's document is served in."""
    media_types = {
        "Turtle": "text/turtle",
        "RDF_XML": "application/rdf+xml",
        "N-Triples": "application/n-triples",
        "JSON-LD": "application/ld+json",
    }
    features = {str(f).rsplit("/", 1)[-1] for f in void.objects(DATASET, VOID.feature)}
    assert features == set(media_types)
    for feature in features:
        response = client.get("/doc/city/bochum", headers={"Accept": media_types[feature]})
        assert response.status_code == 200
        assert response.mimetype == media_types[feature]
