"""A harvest as a portal does it, against the real server: read the catalogue with rdflib, follow
every distribution's download URL with urllib, check size and checksum, parse the file (gunzip
where the catalogue says it is compressed) and compare its triples with VoID and the manifest."""

from __future__ import annotations

import gzip
import hashlib
import json
import urllib.error
import urllib.request

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

from eurocities_kg.release import read_manifest

pytestmark = pytest.mark.e2e

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
RDFLIB_FORMATS = {
    "RDF_TURTLE": "turtle",
    "RDF_N_TRIPLES": "nt",
    "JSON_LD": "json-ld",
    "RDF_XML": "xml",
    "RDF_TRIG": "trig",
    "RDF_N_QUADS": "nquads",
}


def iana(media_type: rdflib.term.Node) -> str:
    return str(media_type).removeprefix("http://www.iana.org/assignments/media-types/")


def fetch(url: str, **headers: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return response.read(), dict(response.headers)


@pytest.fixture(scope="module")
def harvested(live_server: str) -> rdflib.Graph:
    """The catalogue as a harvester reads it: the parser chosen by the response Content-Type."""
    data, headers = fetch(live_server + "catalog", Accept="application/rdf+xml")
    assert headers["Content-Type"].startswith("application/rdf+xml")
    return rdflib.Graph().parse(data=data, format="xml")


def test_every_distribution_downloads_and_holds_the_whole_graph(
    live_server: str, harvested: rdflib.Graph, real_build
) -> None:
    manifest = read_manifest(real_build.build_dir)
    [dataset] = harvested.subjects(RDF.type, DCAT.Dataset)
    void_triples = int(harvested.value(dataset, VOID.triples))
    assert void_triples == manifest["triples"]
    downloads = [
        d
        for d in harvested.objects(dataset, DCAT.distribution)
        if harvested.value(d, DCAT.downloadURL)
    ]
    assert len(downloads) == len(manifest["dumps"]) == 6
    for distribution in downloads:
        url = str(harvested.value(distribution, DCAT.downloadURL))
        assert url.startswith(live_server)
        data, headers = fetch(url)
        assert (
            int(headers["Content-Length"])
            == len(data)
            == int(harvested.value(distribution, DCAT.byteSize))
        )
        checksum = harvested.value(distribution, SPDX.checksum)
        assert hashlib.sha256(data).hexdigest() == str(
            harvested.value(checksum, SPDX.checksumValue)
        )
        served = headers["Content-Type"].split(";")[0]
        compressed = harvested.value(distribution, DCAT.compressFormat)
        if compressed is not None:  # served as the file it is; the content type inside
            assert iana(compressed) == served == "application/gzip"
            data = gzip.decompress(data)
        else:
            assert iana(harvested.value(distribution, DCAT.mediaType)) == served
        code = str(harvested.value(distribution, DCTERMS.format)).removeprefix(FILE_TYPE)
        if code in ("RDF_TRIG", "RDF_N_QUADS"):
            dataset_graph = rdflib.Dataset()
            dataset_graph.parse(data=data, format=RDFLIB_FORMATS[code])
            quads = list(dataset_graph.quads())
            assert len(quads) == manifest["quads"], url
            assert len({q[:3] for q in quads}) == void_triples, url
        else:
            graph = rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[code])
            assert len(graph) == void_triples, url


def test_void_and_the_sparql_distribution_agree_with_the_catalogue(
    live_server: str, harvested: rdflib.Graph
) -> None:
    data, _ = fetch(live_server + ".well-known/void")
    void = rdflib.Graph().parse(data=data, format="turtle")
    [dataset] = harvested.subjects(RDF.type, DCAT.Dataset)
    assert void.value(dataset, VOID.triples) == harvested.value(dataset, VOID.triples)
    assert set(void.objects(dataset, VOID.dataDump)) == set(
        harvested.objects(None, DCAT.downloadURL)
    )
    [service] = harvested.subjects(RDF.type, DCAT.DataService)
    endpoint = str(harvested.value(service, DCAT.endpointURL))
    assert endpoint == str(void.value(dataset, VOID.sparqlEndpoint)) == live_server + "sparql"
    description, headers = fetch(endpoint, Accept="text/turtle")  # MQA-2: a plain GET answers
    assert headers["Content-Type"].startswith("text/turtle")
    assert b"sd:endpoint" in description or b"sparql-service-description" in description


def test_a_harvester_revisiting_gets_304_and_the_changes(live_server: str, real_build) -> None:
    _, headers = fetch(live_server + "download/eurocities-kg.nt.gz")
    request = urllib.request.Request(
        live_server + "download/eurocities-kg.nt.gz", headers={"If-None-Match": headers["ETag"]}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 304
    feed, _ = fetch(live_server + "changes", Accept="application/json")
    assert json.loads(feed)["current"] == read_manifest(real_build.build_dir)["buildId"]
