"""The DCAT-AP catalogue at /catalog: validated with pySHACL against the official DCAT-AP 3.0.1
and DCAT-AP.de 3.0 shapes exactly as shared/standards/CHECKLIST.md 2.5 says, plus the rules the
shapes do not check (literal types, language tags, licences, stable IRIs) and the HTTP contract."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH, SKOS, XSD

STANDARDS = Path(__file__).resolve().parents[2] / "shared" / "standards"
BACKGROUND = Path(__file__).parent / "data" / "dcat" / "background.ttl"
SPLIT = "dcat-ap/3.0.1/shacl-split/"
DE = "dcat-ap-de/3.0/shacl/"
# The three stacks of CHECKLIST 2.5: (shape files, drop property shapes that have no sh:path (S-1)).
# The EU full stack leaves out the optional deprecateduris.ttl: merged with mdr-vocabularies.shape.ttl
# its Distribution_ShapeCV wants adms:status from the purl ADMS list that DCAT-AP 3 replaced.
STACKS = {
    "eu-full": (
        [SPLIT + f for f in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl")]
        + [SPLIT + "mdr-vocabularies.shape.ttl"],
        False,
    ),
    "eu-single": (
        ["dcat-ap/3.0.1/shacl/dcat-ap-SHACL.ttl", "dcat-ap/3.0.1/shacl/ranges.ttl"],
        True,
    ),
    "de": (
        ["dcat-ap/3.0.0/shacl/dcat-ap-SHACL.ttl"]
        + [
            DE + f
            for f in (
                "dcat-ap-SHACL-DE.ttl",
                "dcat-ap-spec-german-additions.ttl",
                "dcat-ap-de-controlledvocabularies.ttl",
                "dcat-ap-de-deprecated.ttl",
            )
        ],
        False,
    ),
}
# Warnings the EU full stack gives for this catalogue, by path (CHECKLIST 2.6 baseline): the
# publisher is not in the EU corporate-body list (dct:publisher), the NAL places have no
# bbox/centroid, and the publisher has no dct:type (left out for GovData, K-37).
EXPECTED_WARNING_PATHS = {DCTERMS.publisher, DCAT.bbox, DCAT.centroid, DCTERMS.type}
DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
NAL = "http://publications.europa.eu/resource/authority/"
LICENSE = rdflib.URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
GOVDATA_OPEN = rdflib.URIRef("http://govdata.de/mqa/#isOpenLicense")


@cache
def shapes(stack: str) -> rdflib.Graph:
    files, drop_pathless = STACKS[stack]
    graph = rdflib.Graph()
    for file in files:
        graph.parse(STANDARDS / file)
    if drop_pathless:  # S-1: property shapes referenced but defined nowhere
        for shape, prop in list(graph.subject_objects(SH.property)):
            if (prop, SH.path, None) not in graph:
                graph.remove((shape, SH.property, prop))
    return graph


@cache
def licences() -> rdflib.Graph:
    return rdflib.Graph().parse(STANDARDS / "dcat-ap-de/vocab/dcat-ap-de-licenses-open.rdf")


def validate(catalog: rdflib.Graph, stack: str) -> list[tuple[rdflib.term.Node, ...]]:
    """Top-level results (S-8) as (severity, focus, path, message), with the background knowledge
    (S-5) and the DCAT-AP.de licence list (S-6) in the data graph; no owl:imports (S-7)."""
    data = rdflib.Graph()
    data += catalog
    data.parse(BACKGROUND)
    data += licences()
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes(stack), allow_warnings=True, do_owl_imports=False
    )
    return [
        (
            report.value(r, SH.resultSeverity),
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.resultMessage),
        )
        for r in report.objects(None, SH.result)
    ]


def violations(results: list[tuple[rdflib.term.Node, ...]]) -> list[tuple[rdflib.term.Node, ...]]:
    return [r for r in results if r[0] == SH.Violation]


@pytest.fixture
def catalog(client) -> rdflib.Graph:
    response = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")


def the(graph: rdflib.Graph, cls: rdflib.URIRef) -> rdflib.URIRef:
    [node] = graph.subjects(RDF.type, cls)
    assert isinstance(node, rdflib.URIRef)
    return node


# --- SHACL: the official shapes ------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_catalog_has_no_violations(catalog, stack: str) -> None:
    results = validate(catalog, stack)
    assert violations(results) == []


def test_eu_warnings_are_only_the_expected_ones(catalog) -> None:
    warnings = [r for r in validate(catalog, "eu-full") if r[0] == SH.Warning]
    assert warnings  # the baseline exists: the harness reports warnings at all
    assert {r[2] for r in warnings} <= EXPECTED_WARNING_PATHS


@pytest.mark.parametrize("stack", STACKS)
def test_the_harness_catches_a_dataset_without_description(catalog, stack: str) -> None:
    dataset = the(catalog, DCAT.Dataset)
    catalog.remove((dataset, DCTERMS.description, None))
    assert any(r[1] == dataset for r in violations(validate(catalog, stack)))


def test_the_german_stack_catches_a_distribution_without_licence(catalog) -> None:
    distribution = next(catalog.subjects(RDF.type, DCAT.Distribution))
    catalog.remove((distribution, DCTERMS.license, None))
    assert any(r[1] == distribution for r in violations(validate(catalog, "de")))


def test_the_eu_stack_catches_a_checksum_algorithm_of_the_wrong_form(catalog) -> None:
    """The 3.0.1 vocabulary shape wants an https://spdx.org/rdf/terms… algorithm IRI."""
    checksum = next(catalog.subjects(RDF.type, SPDX.Checksum))
    catalog.set((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    assert any(r[1] == checksum for r in violations(validate(catalog, "eu-full")))


# --- what the shapes do not check -----------------------------------------------------------


def test_catalog_dataset_service_and_agents_are_complete(catalog) -> None:
    """D-M rows and D-C-1/2: mandatory and recommended properties, one publisher each."""
    catalogue, dataset, service = (
        the(catalog, DCAT.Catalog),
        the(catalog, DCAT.Dataset),
        the(catalog, DCAT.DataService),
    )
    for node in (catalogue, dataset, service):
        assert len(list(catalog.objects(node, DCTERMS.publisher))) == 1
    assert (catalogue, DCAT.dataset, dataset) in catalog
    assert (catalogue, DCAT.service, service) in catalog
    for prop in (
        DCAT.contactPoint,
        DCAT.keyword,
        DCAT.theme,
        DCTERMS.spatial,
        DCTERMS.temporal,
        DCTERMS.accessRights,
        DCTERMS.issued,
        DCTERMS.modified,
        DCATDE.politicalGeocodingLevelURI,
    ):
        assert catalog.value(dataset, prop) is not None, prop
    publisher = catalog.value(dataset, DCTERMS.publisher)
    assert catalog.value(publisher, FOAF.name) is not None
    assert catalog.value(publisher, DCTERMS.type) is None  # K-37: no type GovData allows fits
    contact = catalog.value(dataset, DCAT.contactPoint)
    assert str(catalog.value(contact, VCARD.hasEmail)).startswith("mailto:")


def test_the_dataset_and_catalogue_are_stable_iris(client) -> None:
    """H-GD-3: the harvest identity is the subject IRI, the same on every host."""
    graphs = [
        rdflib.Graph().parse(data=client.get("/catalog", base_url=host).get_data(), format="turtle")
        for host in ("http://localhost/", "https://example.org/")
    ]
    datasets = [the(g, DCAT.Dataset) for g in graphs]
    assert (
        datasets[0]
        == datasets[1]
        == rdflib.URIRef("https://w3id.org/eurocities-kg/catalog#dataset")
    )
    urls = [g.value(the(g, DCAT.DataService), DCAT.endpointURL) for g in graphs]
    assert urls == [
        rdflib.URIRef("http://localhost/sparql"),
        rdflib.URIRef("https://example.org/sparql"),
    ]


def test_dates_are_typed_temporal_literals(catalog) -> None:
    """T-1, which the 3.0.1 shapes do not enforce (S-3)."""
    dates = list(catalog.subject_objects(DCTERMS.issued)) + list(
        catalog.subject_objects(DCTERMS.modified)
    )
    dates += list(catalog.subject_objects(DCAT.startDate)) + list(
        catalog.subject_objects(DCAT.endDate)
    )
    assert len(dates) > 10
    allowed = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth}
    assert {value.datatype for _node, value in dates} <= allowed


def test_free_text_is_in_german_and_english(catalog) -> None:
    """T-2 and the project rule: every title, description and keyword list has @de and @en."""
    for prop in (DCTERMS.title, DCTERMS.description, DCAT.keyword):
        for node in set(catalog.subjects(prop, None)):
            if node == rdflib.URIRef("https://w3id.org/eurocities-kg/catalog#wikidata"):
                continue  # a name
            languages = {v.language for v in catalog.objects(node, prop)}
            assert {"de", "en"} <= languages, (node, prop)


def test_controlled_vocabularies_are_nal_iris(catalog) -> None:
    """V-1: each value an IRI in its EU code list (http, upper-case codes), media types IANA."""
    lists = {
        DCTERMS.format: NAL + "file-type/",
        DCTERMS.language: NAL + "language/",
        DCAT.theme: NAL + "data-theme/",
        DCTERMS.accessRights: NAL + "access-right/",
        DCTERMS.accrualPeriodicity: NAL + "frequency/",
        DCATAP.availability: NAL + "planned-availability/",
        DCAT.mediaType: "http://www.iana.org/assignments/media-types/",
        DCAT.compressFormat: "http://www.iana.org/assignments/media-types/",
    }
    for prop, prefix in lists.items():
        values = list(catalog.objects(None, prop))
        assert values, prop
        assert all(isinstance(v, rdflib.URIRef) and str(v).startswith(prefix) for v in values)
    assert {str(v) for v in catalog.objects(None, DCTERMS.spatial)} == {
        NAL + "continent/EUROPE",
        NAL + "country/DEU",
        NAL + "country/BEL",
    }


def test_one_open_licence_from_the_dcat_ap_de_list_everywhere(catalog) -> None:
    """L-1..L-3, X-3: exactly one licence per distribution and service, the same IRI throughout,
    in the DCAT-AP.de list, open, and stated equal to the EU licence."""
    licensed = [*catalog.subjects(RDF.type, DCAT.Distribution), the(catalog, DCAT.DataService)]
    for node in licensed:
        assert list(catalog.objects(node, DCTERMS.license)) == [LICENSE]
        assert catalog.value(node, DCATDE.licenseAttributionByText) is not None
    assert set(catalog.objects(None, DCTERMS.license)) == {LICENSE}
    assert (LICENSE, SKOS.inScheme, rdflib.URIRef("http://dcat-ap.de/def/licenses")) in licences()
    assert str(licences().value(LICENSE, GOVDATA_OPEN)) == "true"
    assert (LICENSE, SKOS.exactMatch, rdflib.URIRef(NAL + "licence/CC_BY_4_0")) in catalog


def test_every_dump_is_a_distribution_with_size_and_checksum(client, catalog) -> None:
    manifest = client.get("/download/", headers={"Accept": "application/json"}).get_json()
    dataset = the(catalog, DCAT.Dataset)
    by_url = {
        str(catalog.value(d, DCAT.downloadURL)): d
        for d in catalog.objects(dataset, DCAT.distribution)
        if catalog.value(d, DCAT.downloadURL)
    }
    assert set(by_url) == {d["url"] for d in manifest["dumps"]}
    for dump in manifest["dumps"]:
        node = by_url[dump["url"]]
        assert catalog.value(node, DCAT.accessURL) == catalog.value(node, DCAT.downloadURL)  # T-9
        size = catalog.value(node, DCAT.byteSize)
        assert (size.datatype, int(size)) == (XSD.nonNegativeInteger, dump["bytes"])  # T-5
        checksum = catalog.value(node, SPDX.checksum)
        value = catalog.value(checksum, SPDX.checksumValue)
        assert (str(value), value.datatype) == (dump["sha256"], XSD.hexBinary)  # T-6
        algorithm = catalog.value(checksum, SPDX.algorithm)
        assert (algorithm, rdflib.OWL.sameAs, SPDX.checksumAlgorithm_sha256) in catalog
    gzipped = by_url[next(d["url"] for d in manifest["dumps"] if d["compression"] == "gzip")]
    assert str(catalog.value(gzipped, DCAT.mediaType)).endswith("/application/n-triples")
    assert str(catalog.value(gzipped, DCAT.compressFormat)).endswith("/application/gzip")


def test_the_sparql_distribution_and_service_point_at_the_endpoint(catalog) -> None:
    service = the(catalog, DCAT.DataService)
    endpoint = catalog.value(service, DCAT.endpointURL)
    assert endpoint == rdflib.URIRef("http://localhost/sparql")
    assert catalog.value(service, DCAT.endpointDescription) == endpoint
    assert catalog.value(service, DCAT.servesDataset) == the(catalog, DCAT.Dataset)
    assert catalog.value(service, DCTERMS.conformsTo) == rdflib.URIRef(
        "https://www.w3.org/TR/sparql11-protocol/"
    )
    [sparql] = catalog.subjects(DCAT.accessService, service)
    assert catalog.value(sparql, DCAT.accessURL) == endpoint
    assert catalog.value(sparql, DCTERMS.format) == rdflib.URIRef(NAL + "file-type/SPARQLQ")


def test_temporal_coverage_runs_from_the_earliest_year_to_the_data_date(catalog) -> None:
    period = catalog.value(the(catalog, DCAT.Dataset), DCTERMS.temporal)
    assert catalog.value(period, DCAT.startDate) == rdflib.Literal("1986", datatype=XSD.gYear)
    modified = catalog.value(the(catalog, DCAT.Dataset), DCTERMS.modified).toPython()
    assert str(catalog.value(period, DCAT.endDate)) == modified.date().isoformat()


# --- HTTP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "extension", "media_type", "rdflib_format"),
    [
        ("text/turtle", "ttl", "text/turtle", "turtle"),
        ("application/rdf+xml", "rdf", "application/rdf+xml", "xml"),
        ("application/ld+json", "jsonld", "application/ld+json", "json-ld"),
        ("application/n-triples", "nt", "application/n-triples", "nt"),
    ],
)
def test_every_serialisation_is_the_same_graph(
    client, catalog, accept: str, extension: str, media_type: str, rdflib_format: str
) -> None:
    """CAT-1, CAT-2: by Accept (with Vary) and by extension (whatever the Accept)."""
    negotiated = client.get("/catalog", headers={"Accept": accept})
    fixed = client.get(f"/catalog.{extension}", headers={"Accept": "text/html"})
    for response in (negotiated, fixed):
        assert response.status_code == 200
        assert response.mimetype == media_type
        graph = rdflib.Graph().parse(data=response.get_data(), format=rdflib_format)
        assert isomorphic(graph, catalog)
    assert "Accept" in negotiated.headers["Vary"]
    assert negotiated.headers["Content-Location"] == f"/catalog.{extension}"


def test_catalog_defaults_to_turtle_and_refuses_what_it_cannot_serve(client) -> None:
    assert client.get("/catalog").mimetype == "text/turtle"
    refused = client.get("/catalog", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert refused.get_json()["error"]["status"] == 406
    assert client.get("/catalog.xyz").status_code == 404


def test_catalog_is_cacheable_and_answers_304(client) -> None:
    first = client.get("/catalog")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert client.get("/catalog", headers={"If-None-Match": etag}).status_code == 304
    since = first.headers["Last-Modified"]
    assert client.get("/catalog", headers={"If-Modified-Since": since}).status_code == 304


def test_catalog_modified_is_the_data_date_and_the_dump_last_modified(client, catalog) -> None:
    """X-4: dct:modified of the dataset = Last-Modified of every dump."""
    from email.utils import parsedate_to_datetime

    modified = catalog.value(the(catalog, DCAT.Dataset), DCTERMS.modified).toPython()
    for node in catalog.subjects(RDF.type, DCAT.Distribution):
        url = catalog.value(node, DCAT.downloadURL)
        if url is None:
            continue
        response = client.head(str(url))
        assert parsedate_to_datetime(response.headers["Last-Modified"]) == modified
        assert catalog.value(node, DCTERMS.modified).toPython() == modified


def test_the_catalogue_describes_the_void_dataset(catalog) -> None:
    """The VoID dataset is the DCAT dataset, described in the same document (CHECKLIST 3.1)."""
    dataset = the(catalog, DCAT.Dataset)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert (dataset, RDF.type, void.Dataset) in catalog
    assert catalog.value(dataset, void.triples) is not None
