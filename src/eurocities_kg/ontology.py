"""The ontology as documentation: every own term (`{base}def#Term`) with its label and comment in
the reader's language and its other statements, grouped into classes, properties and individuals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SHOWN_APART = {
    RDFS + "label",
    RDFS + "comment",
    RDFS + "isDefinedBy",
    DCTERMS + "title",
    DCTERMS + "description",
}

# Sections in order: key, German and English title, and the types that put a term there; a term
# goes into the first section that fits.
SECTIONS: tuple[tuple[str, str, str, frozenset[str]], ...] = (
    ("classes", "Klassen", "Classes", frozenset({OWL + "Class", RDFS + "Class"})),
    (
        "object-properties",
        "Objekteigenschaften",
        "Object properties",
        frozenset({OWL + "ObjectProperty"}),
    ),
    (
        "datatype-properties",
        "Datentypeigenschaften",
        "Datatype properties",
        frozenset({OWL + "DatatypeProperty"}),
    ),
    (
        "other-properties",
        "Weitere Eigenschaften",
        "Other properties",
        frozenset({OWL + "AnnotationProperty", RDF + "Property"}),
    ),
    ("concept-schemes", "Begriffssysteme", "Concept schemes", frozenset({SKOS + "ConceptScheme"})),
    ("individuals", "Individuen", "Individuals", frozenset()),  # everything else
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class TermDoc:
    anchor: str  # the fragment: `{base}def#Forum` → `Forum`
    iri: str
    label: str
    comment: str | None
    facts: tuple[tuple[str, tuple[Term, ...]], ...]  # (predicate IRI, values), rdf:type first


@dataclass(frozen=True)
class Section:
    key: str  # the anchor
    title: str
    terms: tuple[TermDoc, ...]


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    title: str
    description: str | None
    facts: tuple[tuple[str, tuple[Term, ...]], ...]
    sections: tuple[Section, ...]
    labels: dict[str, str]  # every own term's label in the reader's language, for links


def in_language(values: Iterable[Term], lang: str) -> list[Term]:
    """Literals in `lang` if there are any (else in English, German, or any), and every non-literal."""
    values = list(values)
    literals = [v for v in values if isinstance(v, ox.Literal) and v.language]
    for wanted in (lang, "en", "de"):
        chosen = [v for v in literals if v.language == wanted]
        if chosen:
            break
    else:
        chosen = literals
    return [v for v in values if not (isinstance(v, ox.Literal) and v.language)] + chosen


def _text(values: Iterable[Term], lang: str) -> str | None:
    literals = [v.value for v in in_language(values, lang) if isinstance(v, ox.Literal)]
    return literals[0] if literals else None


def _facts(
    statements: dict[str, list[Term]], lang: str
) -> tuple[tuple[str, tuple[Term, ...]], ...]:
    order = sorted(statements, key=lambda p: (p != RDF_TYPE, p))
    return tuple(
        (p, tuple(sorted(in_language(statements[p], lang), key=str)))
        for p in order
        if p not in SHOWN_APART
    )


def document(triples: Iterable[ox.Triple], ontology_iri: str, lang: str) -> OntologyDoc:
    """The documentation of the ontology `ontology_iri` from its graph's triples."""
    namespace = ontology_iri + "#"
    about: defaultdict[str, defaultdict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and isinstance(
            t.object, (ox.NamedNode, ox.BlankNode, ox.Literal)
        ):
            about[t.subject.value][t.predicate.value].append(t.object)
    terms = sorted(iri for iri in about if iri.startswith(namespace) and iri != namespace)
    labels = {
        iri: _text(about[iri][RDFS + "label"], lang) or iri[len(namespace) :] for iri in terms
    }
    grouped: dict[str, list[TermDoc]] = {section[0]: [] for section in SECTIONS}
    for iri in terms:
        types = {v.value for v in about[iri][RDF_TYPE] if isinstance(v, ox.NamedNode)}
        key = next(k for k, _, _, wanted in SECTIONS if types & wanted or not wanted)
        grouped[key].append(
            TermDoc(
                anchor=iri[len(namespace) :],
                iri=iri,
                label=labels[iri],
                comment=_text(about[iri][RDFS + "comment"], lang),
                facts=_facts(about[iri], lang),
            )
        )
    head = about[ontology_iri]
    return OntologyDoc(
        iri=ontology_iri,
        title=_text(head[DCTERMS + "title"] or head[RDFS + "label"], lang) or ontology_iri,
        description=_text(head[DCTERMS + "description"], lang),
        facts=_facts(head, lang),
        sections=tuple(
            Section(key, de if lang == "de" else en, tuple(grouped[key]))
            for key, de, en, _ in SECTIONS
            if grouped[key]
        ),
        labels=labels,
    )
