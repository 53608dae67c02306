"""The W3C SPARQL 1.1 Protocol test manifest (../shared/standards/sparql11-tests/protocol), decoded
into plain requests and expectations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.collection import Collection

STANDARDS = Path(__file__).resolve().parents[2] / "shared" / "standards"
PROTOCOL = STANDARDS / "sparql11-tests" / "protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with the manifest's /sparql/ replaced by /sparql
    headers: dict[str, str]
    body: bytes | None
    expected_status_classes: frozenset[int]  # e.g. {2, 3}
    expected_format: str | None  # "boolean", "tabular", "RDF"
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolCase:
    name: str
    title: str
    requests: tuple[Request, ...]
    graphs: dict[str, Path]  # graph IRI -> N-Triples file

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_")


def _request(manifest: rdflib.Graph, node: rdflib.term.Node) -> Request:
    headers: dict[str, str] = {}
    header_list = manifest.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(manifest, header_list):
            headers[str(manifest.value(header, HT.fieldName))] = str(
                manifest.value(header, HT.fieldValue)
            )
    body = None
    body_node = manifest.value(node, HT.body)
    if body_node is not None:
        encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
    response = manifest.value(node, HT.resp)
    statuses = frozenset(
        int(str(s)[len(HTS)]) for s in manifest.objects(response, MF.expectedStatus)
    )
    fmt = manifest.value(response, MF.expectedFormat)
    boolean = manifest.value(response, MF.expectedBoolean)
    path = str(manifest.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    return Request(
        method=str(manifest.value(node, HT.methodName)),
        path=path,
        headers=headers,
        body=body,
        expected_status_classes=statuses,
        expected_format=str(fmt) if fmt is not None else None,
        expected_boolean=bool(boolean.toPython()) if boolean is not None else None,
    )


def protocol_cases() -> list[ProtocolCase]:
    manifest = rdflib.Graph().parse(PROTOCOL / "manifest.ttl", format="turtle")
    root = next(manifest.subjects(rdflib.RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        action = manifest.value(entry, MF.action)
        requests = tuple(
            _request(manifest, r) for r in Collection(manifest, manifest.value(action, HT.requests))
        )
        graphs = {
            str(manifest.value(g, rdflib.RDFS.label)): PROTOCOL
            / Path(str(manifest.value(g, UT.graph))).name
            for g in manifest.objects(entry, UT.graphData)
        }
        name = str(entry).rsplit("#", 1)[-1]
        cases.append(ProtocolCase(name, str(manifest.value(entry, MF.name)), requests, graphs))
    return cases
