"""The DCAT-AP 3.0.1 / DCAT-AP.de 3.0 catalogue of the dataset: one dcat:Catalog, one dcat:Dataset
(which is also the void:Dataset, void.py), one dcat:Distribution per dump and one for the SPARQL
endpoint, and the dcat:DataService of the endpoint.

Identifiers (catalogue, dataset, distributions, agents) are hash IRIs of the catalogue document
`{base}catalog` under the canonical base, so that they stay the same on every host and dereference
to this document; URLs (downloads, endpoint, pages) are those of the host that serves it.

Decisions (CHECKLIST section 5):
- Publisher: the project that runs this service (`settings.publisher_name`), not Eurocities: the
  project decides the terms of use of these data (K-36); Eurocities publishes its own web pages,
  which are sources here. No `dct:type`: none of the types GovData allows fits a project (K-37).
- Licence: CC BY 4.0 as the one IRI of the DCAT-AP.de list, stated equal to the EU licence NAL
  entry (L-2, L-3), on every distribution, the service, the catalogue and (VoID) the dataset.
- Themes: GOVE (the members are cities as local governments, with their offices and bodies) and
  REGI (the network of cities); no SOCI: the graph holds no statistics about society.
- Every class range is typed in the document itself (S-4), since a harvester sees only it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from .changes import data_modified_at
from .formats import rdf_format
from .namespaces import DATA_LICENSE, DATA_LICENSE_PAGE
from .store import Store

DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
NAL = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
DCAT_VERSION = rdflib.URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace lacks it

LICENSE = rdflib.URIRef(DATA_LICENSE)
LICENSE_EU = rdflib.URIRef(NAL + "licence/CC_BY_4_0")
LICENSE_PAGE = rdflib.URIRef(DATA_LICENSE_PAGE)
THEMES = ("GOVE", "REGI")
LANGUAGES = ("DEU", "ENG")
SPARQL_PROTOCOL = rdflib.URIRef("https://www.w3.org/TR/sparql11-protocol/")
# The DCAT-AP 3.0.1 shapes demand an algorithm IRI starting `https://spdx.org/rdf/terms`, while
# the SPDX term is `http://spdx.org/rdf/terms#checksumAlgorithm_sha256`: use the https form and
# state it the same as the SPDX term.
SHA256 = rdflib.URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
GEOCODING_LEVEL = rdflib.URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/european")

# EU file types (dct:format) of the dump formats of formats.py
FILE_TYPES = {
    "turtle": "RDF_TURTLE",
    "ntriples": "RDF_N_TRIPLES",
    "jsonld": "JSON_LD",
    "rdfxml": "RDF_XML",
    "trig": "RDF_TRIG",
    "nquads": "RDF_N_QUADS",
}
# ISO 3166-1 alpha-2 (schema:identifier of a schema:Country) → EU country NAL code, for Europe
COUNTRIES = dict(
    pair.split(":")
    for pair in (  # noqa: SIM905 (a table, not a list)
        "AD:AND AL:ALB AT:AUT BA:BIH BE:BEL BG:BGR BY:BLR CH:CHE CY:CYP CZ:CZE DE:DEU DK:DNK "
        "EE:EST ES:ESP FI:FIN FR:FRA GB:GBR GE:GEO GR:GRC HR:HRV HU:HUN IE:IRL IS:ISL IT:ITA "
        "LI:LIE LT:LTU LU:LUX LV:LVA MC:MCO MD:MDA ME:MNE MK:MKD MT:MLT NL:NLD NO:NOR PL:POL "
        "PT:PRT RO:ROU RS:SRB RU:RUS SE:SWE SI:SVN SK:SVK SM:SMR TR:TUR UA:UKR UK:GBR VA:VAT "
        "XK:XKX"
    ).split()
)
DATE_PREDICATES = (
    "http://www.w3.org/2006/time#inXSDgYear",
    "http://www.w3.org/2006/time#inXSDgYearMonth",
    "http://www.w3.org/2006/time#inXSDDate",
    "http://www.w3.org/2006/time#inXSDDateTimeStamp",
    "https://schema.org/foundingDate",
    "https://schema.org/startDate",
    "http://purl.org/dc/terms/date",
)


@dataclass(frozen=True)
class Site:
    """Who publishes, and where: `base` for identifiers, `root` for URLs of the serving host."""

    base: str
    root: str
    publisher_name: str
    contact_email: str
    contributor_id: str | None = None

    def iri(self, name: str) -> rdflib.URIRef:
        return rdflib.URIRef(f"{self.base}catalog#{name}")

    def url(self, path: str = "") -> rdflib.URIRef:
        return rdflib.URIRef(self.root + path)

    @property
    def dataset(self) -> rdflib.URIRef:
        return self.iri("dataset")

    @property
    def endpoint(self) -> rdflib.URIRef:
        return self.url("sparql")

    def download_url(self, file: str) -> rdflib.URIRef:
        return self.url(f"download/{file}")


@dataclass(frozen=True)
class Dump:
    """One dump file as the manifest lists it."""

    file: str
    format: str
    media_type: str
    compression: str | None
    bytes: int
    sha256: str

    @property
    def served_type(self) -> str:
        """The Content-Type of the file: gzip files are served as they are (application/gzip),
        so that what a client stores is the file the checksum and byte size describe."""
        return "application/gzip" if self.compression == "gzip" else self.media_type


@dataclass(frozen=True)
class Release:
    """What the description says about the current build."""

    build_id: str
    version: str
    issued: datetime  # the first build of the feed (or the data's time, if that is earlier)
    modified: datetime  # when the data last changed
    triples: int
    dumps: tuple[Dump, ...]

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any], first_built: str | None) -> Release:
        modified = datetime.fromisoformat(data_modified_at(manifest))
        return cls(
            build_id=manifest["buildId"],
            version=manifest["version"],
            issued=min(datetime.fromisoformat(first_built), modified) if first_built else modified,
            modified=modified,
            triples=manifest["triples"],
            dumps=tuple(
                Dump(
                    d["file"],
                    d["format"],
                    d["mediaType"],
                    d.get("compression"),
                    d["bytes"],
                    d["sha256"],
                )
                for d in manifest["dumps"]
            ),
        )


@dataclass(frozen=True)
class Coverage:
    """What the data cover: from the earliest year they state, in which countries."""

    first_year: int | None
    countries: tuple[str, ...]  # EU country NAL codes


def coverage(store: Store) -> Coverage:
    values = " ".join(f"<{p}>" for p in DATE_PREDICATES)
    years = [
        int(row["v"].value[:4])
        for row in select(store, f"SELECT ?v WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?v }}")
        if re.match(r"^\d{4}", row["v"].value)
    ]
    codes = select(
        store,
        "SELECT DISTINCT ?code WHERE { ?c a <https://schema.org/Country> ; "
        "<https://schema.org/identifier> ?code }",
    )
    countries = sorted({COUNTRIES[c] for r in codes if (c := r["code"].value.upper()) in COUNTRIES})
    return Coverage(min(years) if years else None, tuple(countries))


def select(store: Store, query: str) -> list[ox.QuerySolution]:
    """The rows of a SELECT query."""
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _nal(kind: str, code: str) -> rdflib.URIRef:
    return rdflib.URIRef(f"{NAL}{kind}/{code}")


def _text(graph: rdflib.Graph, node: rdflib.URIRef, prop: rdflib.URIRef, de: str, en: str) -> None:
    graph.add((node, prop, rdflib.Literal(de, lang="de")))
    graph.add((node, prop, rdflib.Literal(en, lang="en")))


def _typed(graph: rdflib.Graph, cls: rdflib.URIRef, nodes: Iterable[rdflib.URIRef]) -> None:
    for node in nodes:
        graph.add((node, RDF.type, cls))


def _datetime(value: datetime) -> rdflib.Literal:
    return rdflib.Literal(
        value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        datatype=XSD.dateTime,
    )


def describe_dataset(graph: rdflib.Graph, site: Site, release: Release) -> None:
    """What DCAT and VoID both say about the dataset and its publisher (one function, so that the
    two documents cannot disagree)."""
    dataset, publisher = site.dataset, site.iri("publisher")
    _text(
        graph,
        dataset,
        DCTERMS.title,
        "Eurocities-Wissensgraph: Mitgliedsstädte, Foren, Ämter und berichtete Zahlen",
        "Eurocities knowledge graph: member cities, forums, offices and reported figures",
    )
    _text(
        graph,
        dataset,
        DCTERMS.description,
        "Verknüpfte offene Daten über das Städtenetzwerk Eurocities: Foren und Arbeitsgruppen, "
        "Gremien und Büro, Mitgliedsstädte und seit wann, wer welches Amt wann innehatte, und die "
        "Zahlen, die Quellen über das Netzwerk berichten. Jede Aussage nennt ihre Quelle.",
        "Linked open data about the Eurocities network of European cities: its forums and working "
        "groups, governing bodies and office, member cities and since when, who held which office "
        "when, and the figures sources report about the network. Every statement cites its source.",
    )
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCTERMS.license, LICENSE))
    graph.add((dataset, DCTERMS.issued, _datetime(release.issued)))
    graph.add((dataset, DCTERMS.modified, _datetime(release.modified)))
    graph.add((dataset, FOAF.homepage, site.url()))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, rdflib.Literal(site.publisher_name)))
    graph.add((publisher, FOAF.homepage, site.url()))
    _typed(graph, FOAF.Document, [site.url()])
    graph.add((LICENSE, RDF.type, DCTERMS.LicenseDocument))
    graph.add((LICENSE, SKOS.exactMatch, LICENSE_EU))
    graph.add((LICENSE, RDFS.seeAlso, LICENSE_PAGE))
    graph.add(
        (LICENSE, DCTERMS.type, rdflib.URIRef("http://purl.org/adms/licencetype/Attribution"))
    )


def catalog_graph(site: Site, release: Release, cover: Coverage) -> rdflib.Graph:
    """The catalogue document (without the VoID statistics, which void.py adds)."""
    graph = rdflib.Graph()
    describe_dataset(graph, site, release)
    _catalog(graph, site, release, cover)
    _dataset(graph, site, release, cover)
    for dump in release.dumps:
        _dump_distribution(graph, site, release, dump)
    _sparql(graph, site)
    _contact(graph, site)
    return graph


def _catalog(graph: rdflib.Graph, site: Site, release: Release, cover: Coverage) -> None:
    catalog = site.iri("catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _text(
        graph,
        catalog,
        DCTERMS.title,
        "Katalog des Eurocities-Wissensgraphen",
        "Catalogue of the Eurocities knowledge graph",
    )
    _text(
        graph,
        catalog,
        DCTERMS.description,
        "Der Datensatz des Eurocities-Wissensgraphen mit seinen Abzügen und seinem SPARQL-Endpunkt.",
        "The dataset of the Eurocities knowledge graph with its dumps and its SPARQL endpoint.",
    )
    graph.add((catalog, DCTERMS.publisher, site.iri("publisher")))
    graph.add((catalog, DCTERMS.license, LICENSE))
    graph.add((catalog, DCTERMS.issued, _datetime(release.issued)))
    graph.add((catalog, DCTERMS.modified, _datetime(release.modified)))
    graph.add((catalog, FOAF.homepage, site.url()))
    graph.add((catalog, DCAT.themeTaxonomy, rdflib.URIRef(NAL + "data-theme")))
    graph.add((catalog, DCAT.dataset, site.dataset))
    graph.add((catalog, DCAT.service, site.iri("sparql-service")))
    _add_all(graph, catalog, DCTERMS.language, _languages(graph))
    _add_all(graph, catalog, DCTERMS.spatial, _places(graph, cover))
    graph.add((rdflib.URIRef(NAL + "data-theme"), RDF.type, SKOS.ConceptScheme))


def _add_all(
    graph: rdflib.Graph, node: rdflib.URIRef, prop: rdflib.URIRef, values: Sequence[rdflib.URIRef]
) -> None:
    for value in values:
        graph.add((node, prop, value))


def _languages(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    languages = [_nal("language", code) for code in LANGUAGES]
    _typed(graph, DCTERMS.LinguisticSystem, languages)
    return languages


def _places(graph: rdflib.Graph, cover: Coverage) -> list[rdflib.URIRef]:
    places = [_nal("continent", "EUROPE"), *(_nal("country", c) for c in cover.countries)]
    _typed(graph, DCTERMS.Location, places)
    return places


def _themes(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    themes = [_nal("data-theme", code) for code in THEMES]
    _typed(graph, SKOS.Concept, themes)
    return themes


def _dataset(graph: rdflib.Graph, site: Site, release: Release, cover: Coverage) -> None:
    dataset = site.dataset
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, rdflib.Literal(str(dataset))))
    graph.add((dataset, DCAT_VERSION, rdflib.Literal(release.version)))
    graph.add((dataset, DCAT.contactPoint, site.iri("contact")))
    graph.add((dataset, DCAT.landingPage, site.url("download/")))
    _typed(graph, FOAF.Document, [site.url("download/")])
    for lang, words in (
        ("de", ("Eurocities", "Städtenetzwerk", "Städte", "Mitgliedschaft", "Kommunalpolitik")),
        ("en", ("Eurocities", "city network", "cities", "membership", "local government")),
    ):
        for word in words:
            graph.add((dataset, DCAT.keyword, rdflib.Literal(word, lang=lang)))
    _add_all(graph, dataset, DCAT.theme, _themes(graph))
    _add_all(graph, dataset, DCTERMS.language, _languages(graph))
    _add_all(graph, dataset, DCTERMS.spatial, _places(graph, cover))
    _temporal(graph, site, release, cover)
    access = _nal("access-right", "PUBLIC")
    graph.add((dataset, DCTERMS.accessRights, access))
    graph.add((access, RDF.type, DCTERMS.RightsStatement))
    frequency = _nal("frequency", "IRREG")
    graph.add((dataset, DCTERMS.accrualPeriodicity, frequency))
    graph.add((frequency, RDF.type, DCTERMS.Frequency))
    ontology = rdflib.URIRef(site.base + "def")
    graph.add((dataset, DCTERMS.conformsTo, ontology))
    graph.add((ontology, RDF.type, DCTERMS.Standard))
    provenance = site.iri("provenance")
    graph.add((dataset, DCTERMS.provenance, provenance))
    graph.add((provenance, RDF.type, DCTERMS.ProvenanceStatement))
    _text(
        graph,
        provenance,
        RDFS.label,
        "Jede Aussage nennt ihre Quelle (prov:wasDerivedFrom); jede Datei ist ein benannter Graph.",
        "Every statement names its source (prov:wasDerivedFrom); every file is one named graph.",
    )
    graph.add((dataset, DCATDE.politicalGeocodingLevelURI, GEOCODING_LEVEL))
    if site.contributor_id:
        graph.add((dataset, DCATDE.contributorID, rdflib.URIRef(site.contributor_id)))
    for dump in release.dumps:
        graph.add((dataset, DCAT.distribution, site.iri(f"dump-{dump.format}")))
    graph.add((dataset, DCAT.distribution, site.iri("sparql")))


def _temporal(graph: rdflib.Graph, site: Site, release: Release, cover: Coverage) -> None:
    period = site.iri("temporal")
    graph.add((site.dataset, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    if cover.first_year is not None:
        graph.add(
            (period, DCAT.startDate, rdflib.Literal(str(cover.first_year), datatype=XSD.gYear))
        )
    end = release.modified.astimezone(UTC).date().isoformat()
    graph.add((period, DCAT.endDate, rdflib.Literal(end, datatype=XSD.date)))


def _legal(graph: rdflib.Graph, site: Site, node: rdflib.URIRef) -> None:
    """Licence, attribution text and rights of a distribution or the service."""
    graph.add((node, DCTERMS.license, LICENSE))
    graph.add(
        (
            node,
            DCATDE.licenseAttributionByText,
            rdflib.Literal(f"{site.publisher_name}, Eurocities knowledge graph, {site.url()}"),
        )
    )
    rights = site.iri("rights")
    graph.add((node, DCTERMS.rights, rights))
    graph.add((rights, RDF.type, DCTERMS.RightsStatement))
    _text(
        graph,
        rights,
        RDFS.label,
        "CC BY 4.0: Namensnennung des Herausgebers; die Quellen jeder Aussage sind angegeben und "
        "mit CC BY 4.0 vereinbar (Fakten aus öffentlichen Webseiten, Wikidata-Verknüpfungen CC0).",
        "CC BY 4.0: attribute the publisher; every statement names its sources, whose use here is "
        "compatible with CC BY 4.0 (facts from public web pages, Wikidata links CC0).",
    )


def _availability(graph: rdflib.Graph, node: rdflib.URIRef) -> None:
    stable = _nal("planned-availability", "STABLE")
    graph.add((node, DCATAP.availability, stable))
    graph.add((stable, RDF.type, SKOS.Concept))


def _media_type(graph: rdflib.Graph, media_type: str) -> rdflib.URIRef:
    iri = rdflib.URIRef(IANA + media_type)
    graph.add((iri, RDF.type, DCTERMS.MediaType))
    return iri


def _dump_distribution(graph: rdflib.Graph, site: Site, release: Release, dump: Dump) -> None:
    node = site.iri(f"dump-{dump.format}")
    url = site.download_url(dump.file)
    label = rdf_format(dump.format).label
    gzip_de, gzip_en = (", gzip-komprimiert", ", gzip-compressed") if dump.compression else ("", "")
    graph.add((node, RDF.type, DCAT.Distribution))
    _text(graph, node, DCTERMS.title, f"Abzug {dump.file}", f"Dump {dump.file}")
    _text(
        graph,
        node,
        DCTERMS.description,
        f"Der ganze Graph als {label}{gzip_de}"
        + (" (benannte Graphen getrennt)." if dump.format in ("trig", "nquads") else "."),
        f"The whole graph as {label}{gzip_en}"
        + (" (named graphs kept apart)." if dump.format in ("trig", "nquads") else "."),
    )
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    file_type = _nal("file-type", FILE_TYPES[dump.format])
    graph.add((node, DCTERMS.format, file_type))
    graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    graph.add((node, DCAT.mediaType, _media_type(graph, dump.media_type)))
    if dump.compression == "gzip":
        graph.add((node, DCAT.compressFormat, _media_type(graph, "application/gzip")))
    graph.add((node, DCAT.byteSize, rdflib.Literal(dump.bytes, datatype=XSD.nonNegativeInteger)))
    checksum = site.iri(f"dump-{dump.format}-checksum")
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SHA256))
    graph.add((SHA256, RDF.type, SPDX.ChecksumAlgorithm))
    graph.add((SHA256, OWL.sameAs, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, rdflib.Literal(dump.sha256, datatype=XSD.hexBinary)))
    graph.add((node, DCTERMS.issued, _datetime(release.modified)))
    graph.add((node, DCTERMS.modified, _datetime(release.modified)))
    _add_all(graph, node, DCTERMS.language, _languages(graph))
    completed = _nal("distribution-status", "COMPLETED")
    graph.add((node, ADMS.status, completed))
    graph.add((completed, RDF.type, SKOS.Concept))
    _availability(graph, node)
    _legal(graph, site, node)


def _sparql(graph: rdflib.Graph, site: Site) -> None:
    service, distribution, endpoint = site.iri("sparql-service"), site.iri("sparql"), site.endpoint
    graph.add((distribution, RDF.type, DCAT.Distribution))
    _text(graph, distribution, DCTERMS.title, "SPARQL-Endpunkt", "SPARQL endpoint")
    _text(
        graph,
        distribution,
        DCTERMS.description,
        "Abfragen per SPARQL 1.1; der Standardgraph ist die Vereinigung aller benannten Graphen.",
        "Queries via SPARQL 1.1; the default graph is the union of all named graphs.",
    )
    graph.add((distribution, DCAT.accessURL, endpoint))
    graph.add((distribution, DCAT.accessService, service))
    sparql_type = _nal("file-type", "SPARQLQ")
    graph.add((distribution, DCTERMS.format, sparql_type))
    graph.add((sparql_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    _availability(graph, distribution)
    _legal(graph, site, distribution)

    graph.add((service, RDF.type, DCAT.DataService))
    _text(
        graph,
        service,
        DCTERMS.title,
        "SPARQL-Endpunkt des Eurocities-Wissensgraphen",
        "SPARQL endpoint of the Eurocities knowledge graph",
    )
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCAT.endpointDescription, endpoint))  # a plain GET returns the SD
    graph.add((endpoint, RDF.type, RDFS.Resource))  # for the single-file EU shapes (S-2)
    graph.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    graph.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
    graph.add((service, DCAT.servesDataset, site.dataset))
    graph.add((service, DCTERMS.publisher, site.iri("publisher")))
    graph.add((service, DCAT.contactPoint, site.iri("contact")))
    graph.add((service, DCAT.keyword, rdflib.Literal("SPARQL", lang="en")))
    graph.add((service, DCAT.keyword, rdflib.Literal("SPARQL", lang="de")))
    _add_all(graph, service, DCAT.theme, _themes(graph))
    access = _nal("access-right", "PUBLIC")
    graph.add((service, DCTERMS.accessRights, access))
    _availability(graph, service)
    _legal(graph, site, service)


def _contact(graph: rdflib.Graph, site: Site) -> None:
    contact = site.iri("contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, rdflib.Literal(site.publisher_name)))
    graph.add((contact, VCARD.hasEmail, rdflib.URIRef(f"mailto:{site.contact_email}")))
    graph.add((contact, VCARD.hasURL, site.url()))
