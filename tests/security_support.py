"""Helpers for the tests of issue 6 (reliability and security of the public endpoint): raw HTTP
requests, digests of what a server serves, the processes of a running server, and projects made to
order (a copy of the real one, a hostile one)."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from flask import Flask
from werkzeug.routing import Rule

from eurocities_kg.project import Project, find_project
from eurocities_kg.web.state import KEY
from tests.conftest import REPO

ERROR_KEYS = {"status", "title", "message"}


# --- raw HTTP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> dict[str, object]:
        found: dict[str, object] = json.loads(self.body)
        return found


def raw_request(
    base_url: str,
    target: bytes,
    method: bytes = b"GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout: float = 30,
    chunked: bool = False,
) -> Answer:
    """Send bytes as they are (no client-side quoting or checks) and read the whole answer; with
    `chunked`, the body is sent as it is after a `Transfer-Encoding` header the caller gives."""
    parts = urlsplit(base_url)
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: " + parts.netloc.encode()]
    lines += [f"{k}: {v}".encode("latin-1") for k, v in (headers or {}).items()]
    lines += [b"Connection: close"] + ([] if chunked else [b"Content-Length: %d" % len(body)])
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        return read_answer(sock, method.decode("latin-1"))


def read_answer(sock: socket.socket, method: str) -> Answer:
    """Read one whole response to a request made with `method` from a socket."""
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    data = response.read()
    return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)


def get(base_url: str, path: str, **headers: str) -> Answer:
    """GET a path (from the root, `/…`) with the given headers."""
    return raw_request(base_url, path.encode("ascii"), headers=headers)


def assert_canonical_error(answer: Answer, status: int | None = None) -> None:
    """A 4xx with the one error body (JSON unless asked otherwise) and no traceback."""
    assert 400 <= answer.status < 500, (answer.status, answer.body[:300])
    assert status is None or answer.status == status, (answer.status, answer.body[:300])
    assert answer.headers["content-type"].startswith("application/json"), answer.headers
    error = answer.json()["error"]
    assert isinstance(error, dict)
    assert set(error) == ERROR_KEYS
    assert error["status"] == answer.status
    assert b"Traceback" not in answer.body


def sparql_url(query: str, **params: str) -> str:
    extra = "".join(f"&{k}={quote(v, safe='')}" for k, v in params.items())
    return f"/sparql?query={quote(query, safe='')}{extra}"


# --- the routes of the app ---------------------------------------------------------------------

ARGUMENT = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def argument_values(app: Flask) -> dict[tuple[str, str], list[str]]:
    """Values that exist, per (endpoint, argument): kinds and slugs, dumps, graphs, difference
    files, extensions, static files — so that generated requests reach the handlers' insides."""
    manifest = app.extensions[KEY].manifest
    graphs = [g["graph"].rsplit("/", 1)[-1] for g in manifest["graphs"]]
    dumps = [d["file"] for d in manifest["dumps"]]
    changes = [f["file"] for f in manifest.get("changes", {}).get("files", [])]
    extensions = ["ttl", "jsonld", "rdf", "nt", "trig", "nq", "html", "json", "txt", "xyz"]
    return {
        # the i-th kind goes with the i-th slug or name (the last pair names nothing)
        ("resources.thing", "kind"): ["city", "network", "city", "forum"],
        ("resources.thing", "slug"): ["bochum", "eurocities", "essen", "atlantis"],
        ("resources.document", "kind"): ["city", "network", "city", "city"],
        ("resources.document", "name"): ["bochum", "eurocities.html", "bochum.ttl", "essen.xyz"],
        ("dataset.dump", "name"): dumps,
        ("dataset.named_graph", "name"): [*graphs, *(f"{g}.ttl" for g in graphs[:2])],
        ("dataset.change_file", "name"): changes or ["x.added.nq"],
        ("static", "filename"): ["style.css", "maps/europe-110m.geojson"],
        **{(rule.endpoint, "extension"): extensions for rule in app.url_map.iter_rules()},
    }


def rule_path(rule: Rule, known: dict) -> str:
    """The rule's path with the first known value of each argument."""
    return ARGUMENT.sub(lambda m: known[(rule.endpoint, m.group(1))][0], rule.rule)


# --- what is served --------------------------------------------------------------------------------

ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def served_digest(base_url: str) -> str:
    """SHA-256 over every dump served at /download/ and every quad the endpoint answers (sorted)."""
    digest = hashlib.sha256()
    listing = get(base_url, "/download/", Accept="application/json")
    assert listing.status == 200, listing.body[:300]
    for dump in json.loads(listing.body)["dumps"]:
        answer = get(base_url, f"/download/{dump['file']}")
        assert answer.status == 200
        digest.update(dump["file"].encode() + b"\0" + answer.body)
    answer = get(base_url, sparql_url(ALL_QUADS), Accept="text/tab-separated-values")
    assert answer.status == 200, answer.body[:300]
    for line in sorted(answer.body.splitlines()):
        digest.update(line + b"\n")
    return digest.hexdigest()


def store_digest(store_dir: Path) -> str:
    """SHA-256 of the sorted N-Quads of a store (opened read-only, beside a running server)."""
    store = ox.Store.read_only(str(store_dir))
    lines = sorted(str(quad) for quad in store)
    del store
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def tree_digest(root: Path) -> str:
    """SHA-256 of every file's relative path and bytes under `root`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# --- server processes --------------------------------------------------------------------------


def serve_pid(project: Project) -> int:
    return int((project.build_dir / "serve.pid").read_text().strip())


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(child) for child in text.split()]
    return sorted(found)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


# --- loopback listener -----------------------------------------------------------------------------


@contextmanager
def loopback_listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on a free loopback port; yields the port and the list of what each connection
    that arrived sent first (it should stay empty)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    arrived: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    arrived.append(connection.recv(1024) or b"(connected)")
                except OSError:
                    arrived.append(b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], arrived
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


# --- projects ----------------------------------------------------------------------------------------


def copy_real_project(root: Path) -> Project:
    """A copy of this repository's ontology, data and queries, with its build directory inside."""
    root.mkdir(parents=True, exist_ok=True)
    for part in ("ontology", "data", "queries"):
        shutil.copytree(REPO / part, root / part)
    return find_project(root, root / "build")


PWN = "window.__pwned=1"
HOSTILE_LABELS = (
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f"'\"><svg onload={PWN}>",
    f"</textarea><script>{PWN}</script>",
    f"<iframe src=javascript:{PWN}>",
    "\u202egnp.exe\u200b\u200d\u2066 zero-width and right-to-left override \u0001\u0007\u001b\u007f",
)
HOSTILE_IRIS = (
    f"javascript:{PWN}",
    f"JaVaScRiPt:{PWN}",
    "data:text/html,%3Cscript%3Ewindow.__pwned=1%3C/script%3E",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
)
LONG_TEXT = "<b>long</b> " * 5000  # 60 000 characters


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04X}" for c in escaped) + '"'


def hostile_turtle() -> str:
    """A data file of hostile labels, literals and IRIs that still conforms to the real shapes: a
    graph, its source (whose page is a javascript: IRI), a city with a membership of the network."""
    de, en = (_turtle_string(" ".join(HOSTILE_LABELS[i::2])) for i in (0, 1))
    see_also = " , ".join(f"<{iri}>" for iri in HOSTILE_IRIS)
    return f"""\
@prefix ec:      <https://w3id.org/eurocities-kg/def#> .
@prefix source:  <https://w3id.org/eurocities-kg/id/source/> .
@prefix orgn:    <https://w3id.org/eurocities-kg/id/organization/> .
@prefix city:    <https://w3id.org/eurocities-kg/id/city/> .
@prefix member:  <https://w3id.org/eurocities-kg/id/membership/> .
@prefix network: <https://w3id.org/eurocities-kg/id/network/> .
@prefix graph:   <https://w3id.org/eurocities-kg/graph/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

graph:hostile a prov:Entity ;
    prov:wasDerivedFrom source:hostile ;
    dcterms:modified "2026-01-01"^^xsd:date ;
    rdfs:label {de}@de , {en}@en .

source:hostile a prov:Entity, foaf:Document ;
    dcterms:title {de}@de ;
    dcterms:publisher orgn:hostile ;
    dcterms:language <http://id.loc.gov/vocabulary/iso639-1/de> ;
    foaf:page <{HOSTILE_IRIS[0]}> ;
    dcterms:date "2025-06-15"^^xsd:date ;
    ec:dateRead "2026-01-01"^^xsd:date ;
    rdfs:label {de}@de , {en}@en .

orgn:hostile a foaf:Organization ;
    rdfs:label {de}@de , {en}@en .

city:hostile a schema:City, org:FormalOrganization ;
    rdfs:label {de}@de , {en}@en ;
    schema:description {_turtle_string(LONG_TEXT)}@en , {de}@de ;
    rdfs:seeAlso {see_also} ;
    prov:wasDerivedFrom source:hostile .

member:hostile a org:Membership ;
    rdfs:label {de}@de , {en}@en ;
    org:member city:hostile ;
    org:organization network:eurocities ;
    org:memberDuring <https://w3id.org/eurocities-kg/id/membership/hostile#period> ;
    prov:wasDerivedFrom source:hostile .

<https://w3id.org/eurocities-kg/id/membership/hostile#period> a time:Interval ;
    time:hasBeginning <https://w3id.org/eurocities-kg/id/membership/hostile#start> .

<https://w3id.org/eurocities-kg/id/membership/hostile#start> a time:Instant ;
    time:inXSDgYearMonth "2021-03"^^xsd:gYearMonth .
"""


def hostile_query() -> str:
    """An example query whose title, description and text carry markup."""
    return (
        f"# title@en: {HOSTILE_LABELS[0]} hostile example\n"
        f"# title@de: {HOSTILE_LABELS[1]} feindliches Beispiel\n"
        f"# description@en: {HOSTILE_LABELS[2]}\n"
        f"# {HOSTILE_LABELS[3]}\n"
        "SELECT ?p ?o WHERE { <https://w3id.org/eurocities-kg/id/city/hostile> ?p ?o }\n"
    )


def hostile_project(root: Path) -> Project:
    """The real project plus a hostile data file and example query."""
    project = copy_real_project(root)
    (project.data_dir / "hostile.ttl").write_text(hostile_turtle(), encoding="utf-8")
    (project.queries_dir / "99-hostile.rq").write_text(hostile_query(), encoding="utf-8")
    return project


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}
