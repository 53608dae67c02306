"""Reading a description for people: an index over its quads, labels in the visitor's language,
human labels for properties, the sources of a fact, and periods and dates as words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .views import TermView, safe_href, short_name, term_view, visible

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subject = ox.NamedNode | ox.BlankNode


def iri(prefixed: str) -> ox.NamedNode:
    prefix, _, local = prefixed.partition(":")
    return ox.NamedNode(PREFIXES[prefix] + local)


LABEL = iri("rdfs:label")
TYPE = iri("rdf:type")

# Labels for the reused vocabularies (the ontology labels its own terms): prefixed name → (en, de).
VOCABULARY = {
    "rdf:type": ("type", "Typ"),
    "rdfs:label": ("label", "Bezeichnung"),
    "rdfs:comment": ("comment", "Kommentar"),
    "rdfs:seeAlso": ("see also", "siehe auch"),
    "skos:prefLabel": ("preferred label", "Vorzugsbezeichnung"),
    "skos:altLabel": ("also known as", "auch bekannt als"),
    "skos:note": ("note", "Anmerkung"),
    "skos:definition": ("definition", "Definition"),
    "skos:inScheme": ("in scheme", "im Begriffssystem"),
    "skos:topConceptOf": ("top concept of", "Oberbegriff in"),
    "skos:hasTopConcept": ("top concepts", "Oberbegriffe"),
    "foaf:name": ("name", "Name"),
    "foaf:page": ("web page", "Webseite"),
    "owl:sameAs": ("same as", "identisch mit"),
    "schema:description": ("description", "Beschreibung"),
    "schema:containedInPlace": ("located in", "liegt in"),
    "schema:identifier": ("identifier", "Kennung"),
    "schema:foundingDate": ("founded", "gegründet"),
    "schema:founder": ("founders", "Gründer"),
    "schema:address": ("address", "Anschrift"),
    "schema:streetAddress": ("street", "Straße"),
    "schema:postalCode": ("postal code", "Postleitzahl"),
    "schema:addressLocality": ("locality", "Ort"),
    "schema:addressCountry": ("country", "Land"),
    "schema:value": ("value", "Wert"),
    "org:member": ("member", "Mitglied"),
    "org:organization": ("organisation", "Organisation"),
    "org:role": ("role", "Rolle"),
    "org:memberDuring": ("member during", "Mitglied im Zeitraum"),
    "org:hasUnit": ("units", "Untereinheiten"),
    "org:unitOf": ("unit of", "Einheit von"),
    "org:hasSite": ("sites", "Standorte"),
    "org:siteOf": ("site of", "Standort von"),
    "dcterms:title": ("title", "Titel"),
    "dcterms:publisher": ("publisher", "Herausgeber"),
    "dcterms:language": ("language", "Sprache"),
    "dcterms:date": ("date", "Datum"),
    "dcterms:modified": ("modified", "geändert"),
    "dcterms:temporal": ("observed", "beobachtet"),
    "dcterms:relation": ("related to", "bezogen auf"),
    "prov:wasDerivedFrom": ("source", "Quelle"),
    "time:hasBeginning": ("beginning", "Beginn"),
    "time:hasEnd": ("end", "Ende"),
    "time:inXSDDate": ("date", "Datum"),
    "time:inXSDgYearMonth": ("month", "Monat"),
    "time:inXSDgYear": ("year", "Jahr"),
    "schema:City": ("city", "Stadt"),
    "schema:Country": ("country", "Land"),
    "schema:Place": ("place", "Ort"),
    "schema:Organization": ("organisation", "Organisation"),
    "schema:Person": ("person", "Person"),
    "schema:PostalAddress": ("postal address", "Postanschrift"),
    "org:FormalOrganization": ("formal organisation", "formale Organisation"),
    "org:OrganizationalUnit": ("organisational unit", "Organisationseinheit"),
    "org:Membership": ("membership", "Mitgliedschaft"),
    "org:Role": ("role", "Rolle"),
    "org:Site": ("site", "Standort"),
    "foaf:Person": ("person", "Person"),
    "foaf:Document": ("document", "Dokument"),
    "foaf:Organization": ("organisation", "Organisation"),
    "prov:Entity": ("entity (provenance)", "Entität (Herkunft)"),
    "time:Interval": ("time interval", "Zeitraum"),
    "time:Instant": ("point in time", "Zeitpunkt"),
    "skos:Concept": ("concept", "Begriff"),
    "skos:ConceptScheme": ("concept scheme", "Begriffssystem"),
}

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}
SHORT_MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.",
}
WORDS = {
    "en": {
        "since": "since {}",
        "until": "until {}",
        "inferred": "inferred",
        "low": "low confidence",
    },
    "de": {
        "since": "seit {}",
        "until": "bis {}",
        "inferred": "erschlossen",
        "low": "geringe Konfidenz",
    },
}


def word(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key]


@dataclass(frozen=True)
class SourceView:
    label: str  # the source's label in the visitor's language
    title: str  # its dcterms:title (or the graph's name)
    href: str | None  # its web page, else its page here (None: no web address to link to)
    graph: str  # the named graph that states the fact
    graph_href: str | None  # where that graph is served


class Facts:
    """The quads of a description, indexed by subject and predicate, read in one language."""

    def __init__(self, quads: Iterable[ox.Quad], base: str, lang: str) -> None:
        self.base = base
        self.lang = lang
        self._index: dict[Subject, dict[ox.NamedNode, dict[Term, set[str]]]] = {}
        for quad in quads:
            subject, obj = quad.subject, quad.object
            if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
                continue  # no RDF-star here
            by_object = self._index.setdefault(subject, {}).setdefault(quad.predicate, {})
            graphs = by_object.setdefault(obj, set())
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.add(quad.graph_name.value)

    def properties(self, subject: Subject) -> dict[ox.NamedNode, dict[Term, set[str]]]:
        return self._index.get(subject, {})

    def objects(self, subject: Subject, predicate: ox.NamedNode) -> list[Term]:
        return list(self.properties(subject).get(predicate, {}))

    def first(self, subject: Subject, predicate: ox.NamedNode) -> Term | None:
        return next(iter(self.objects(subject, predicate)), None)

    def graphs(self, subject: Subject, predicate: ox.NamedNode, obj: Term) -> set[str]:
        return self.properties(subject).get(predicate, {}).get(obj, set())

    def subjects(self) -> list[Subject]:
        return list(self._index)

    def has_type(self, subject: Subject, prefixed: str) -> bool:
        return iri(prefixed) in self.objects(subject, TYPE)

    def text(self, subject: Subject, predicate: ox.NamedNode) -> str | None:
        """A literal in the visitor's language, else in the other, else any."""
        literals = [o for o in self.objects(subject, predicate) if isinstance(o, ox.Literal)]
        for wanted in (self.lang, "de" if self.lang == "en" else "en", None):
            for literal in literals:
                if wanted is None or literal.language == wanted:
                    return literal.value
        return None

    def texts(self, subject: Subject, predicate: ox.NamedNode) -> list[str]:
        """Every literal in the visitor's language (in the other when there is none)."""
        literals = [o for o in self.objects(subject, predicate) if isinstance(o, ox.Literal)]
        for wanted in (self.lang, "de" if self.lang == "en" else "en"):
            found = [lit.value for lit in literals if lit.language == wanted]
            if found:
                return found
        return [lit.value for lit in literals if not lit.language]

    def label_language(self, term: Term) -> str | None:
        """The language of the label `label` shows, when it is not the visitor's (for `lang=`)."""
        if not isinstance(term, ox.NamedNode):
            return None
        for predicate in (LABEL, iri("foaf:name")):  # the order `label` reads them in
            literals = [o for o in self.objects(term, predicate) if isinstance(o, ox.Literal)]
            for wanted in (self.lang, "de" if self.lang == "en" else "en", None):
                for literal in literals:
                    if wanted is None or literal.language == wanted:
                        return literal.language if literal.language != self.lang else None
        return None

    def label(self, term: Term) -> str:
        if isinstance(term, ox.NamedNode):
            found = self.text(term, LABEL) or self.text(term, iri("foaf:name"))
            return found or self.vocabulary_label(term.value) or self._path(term.value)
        return term.value

    def _path(self, value: str) -> str:
        """An unlabelled IRI: its path under the base (`membership/bochum#period`), else prefixed."""
        if value.startswith(self.base + "id/"):
            return value[len(self.base) + 3 :]
        return short_name(value)

    def vocabulary_label(self, value: str) -> str | None:
        labels = VOCABULARY.get(short_name(value))
        return (labels[1] if self.lang == "de" else labels[0]) if labels else None

    def term(self, term: Term) -> TermView:
        """A term as a template shows it, IRIs labelled in the visitor's language."""
        if isinstance(term, ox.NamedNode):
            view = term_view(term, self.base, {term.value: self.label(term)})
            return replace(view, text_lang=self.label_language(term))
        return term_view(term, self.base)

    def source(self, graph: str) -> SourceView:
        """The source of a named graph: its label, title and page (else the graph itself)."""
        node = ox.NamedNode(graph)
        graph_href = self.term(node).href
        origin = self.first(node, iri("prov:wasDerivedFrom"))
        if not isinstance(origin, ox.NamedNode):
            return SourceView(visible(self.label(node))[0], graph, graph_href, graph, graph_href)
        page = self.first(origin, iri("foaf:page"))
        title = self.text(origin, iri("dcterms:title")) or self.label(origin)
        href = safe_href(page.value) if isinstance(page, ox.NamedNode) else self.term(origin).href
        label = visible(self.label(origin))[0]
        return SourceView(label, visible(title)[0], href, graph, graph_href)

    def sources(self, graphs: Iterable[str]) -> tuple[SourceView, ...]:
        return tuple(self.source(g) for g in sorted(graphs))


# --- dates and periods -----------------------------------------------------------------------------


def human_date(literal: ox.Literal, lang: str) -> str:
    """`2020-11-05` → "5 Nov 2020" / "5. Nov. 2020"; `2021-03` → "March 2021"; a year as it is."""
    parts = literal.value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        month = SHORT_MONTHS.get(lang, SHORT_MONTHS["en"]).split()[int(parts[1]) - 1]
        day = int(parts[2])
        return f"{day}. {month} {parts[0]}" if lang == "de" else f"{day} {month} {parts[0]}"
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{MONTHS.get(lang, MONTHS['en']).split()[int(parts[1]) - 1]} {parts[0]}"
    return literal.value


DATE_PROPERTIES = ("time:inXSDDate", "time:inXSDgYearMonth", "time:inXSDgYear")


def instant_text(facts: Facts, instant: Term | None) -> str | None:
    """An instant as words: its own label ("autumn 2013") when it has one, else its date."""
    if not isinstance(instant, (ox.NamedNode, ox.BlankNode)):
        return None
    labelled = facts.text(instant, LABEL)
    if labelled:
        return labelled
    for prefixed in DATE_PROPERTIES:
        value = facts.first(instant, iri(prefixed))
        if isinstance(value, ox.Literal):
            return human_date(value, facts.lang)
    return None


def is_inferred(facts: Facts, node: Term | None) -> bool:
    if not isinstance(node, (ox.NamedNode, ox.BlankNode)):
        return False
    return iri("ec:inferred") in facts.objects(node, iri("ec:derivation"))


def is_low(facts: Facts, node: Term | None) -> bool:
    if not isinstance(node, (ox.NamedNode, ox.BlankNode)):
        return False
    return iri("ec:low") in facts.objects(node, iri("ec:confidence"))


def _marked(facts: Facts, text: str, instant: Term | None) -> str:
    return f"{text} ({word(facts.lang, 'inferred')})" if is_inferred(facts, instant) else text


def period_text(facts: Facts, period: Term | None) -> str:
    """A time:Interval as words: "since March 2021", "5 Nov 2020 – June 2023", "about 2020"."""
    if not isinstance(period, (ox.NamedNode, ox.BlankNode)):
        return ""
    begin = facts.first(period, iri("time:hasBeginning"))
    end = facts.first(period, iri("time:hasEnd"))
    start_text, end_text = instant_text(facts, begin), instant_text(facts, end)
    if start_text and end_text:
        if start_text == end_text:
            return _marked(facts, start_text, begin)
        return f"{_marked(facts, start_text, begin)} – {_marked(facts, end_text, end)}"
    if start_text:
        return word(facts.lang, "since").format(_marked(facts, start_text, begin))
    if end_text:
        return word(facts.lang, "until").format(_marked(facts, end_text, end))
    return ""


PERIOD_PROPERTIES = ("org:memberDuring", "dcterms:temporal")


def period_of(facts: Facts, node: Subject) -> str:
    for prefixed in PERIOD_PROPERTIES:
        period = facts.first(node, iri(prefixed))
        if period is not None:
            return period_text(facts, period)
    return ""


def marks(facts: Facts, node: Subject) -> tuple[str, ...]:
    """What a reader must know about a statement: inferred, or of low confidence."""
    found = []
    if is_inferred(facts, node):
        found.append(word(facts.lang, "inferred"))
    if is_low(facts, node):
        found.append(word(facts.lang, "low"))
    return tuple(found)
