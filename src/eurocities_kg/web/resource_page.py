"""What the HTML page of a resource shows, built from its description: facts grouped by theme, each
value with its sources; memberships and offices with their periods; reported figures beside what the
graph counts; units; incoming links; Wikidata links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from ..describe import COUNTABLE, Description, graph_names
from ..namespaces import PREFIXES, WD
from .facts import (
    TYPE,
    Facts,
    SourceView,
    Subject,
    Term,
    human_date,
    iri,
    marks,
    period_of,
    period_text,
)
from .views import TermView, short_name, visible

GROUPS = {
    "names": ("rdfs:label skos:prefLabel skos:altLabel foaf:name dcterms:title", "Names", "Namen"),
    "about": (
        "schema:description skos:definition rdfs:comment dcterms:description skos:note",
        "Description",
        "Beschreibung",
    ),
    "kind": ("rdf:type skos:inScheme skos:topConceptOf ec:membershipCategory", "Kind", "Art"),
    "relations": ("", "Relations", "Beziehungen"),
    "time": (
        "org:memberDuring dcterms:temporal schema:foundingDate ec:occupiedSince time:hasBeginning "
        "time:hasEnd time:inXSDDate time:inXSDgYearMonth time:inXSDgYear dcterms:date ec:termLength",
        "Time",
        "Zeit",
    ),
    "links": (
        "owl:sameAs schema:identifier foaf:page rdfs:seeAlso",
        "Identifiers and links",
        "Kennungen und Links",
    ),
    "provenance": (
        "prov:wasDerivedFrom ec:derivation ec:confidence dcterms:publisher dcterms:language "
        "dcterms:modified ec:dateRead",
        "Provenance",
        "Herkunft",
    ),
}
GROUP_OF = {name: key for key, (names, _, _) in GROUPS.items() for name in names.split()}
DESCRIPTIONS = ("schema:description", "skos:definition", "rdfs:comment", "dcterms:description")
MAX_DEPTH = 3
DATE_TYPES = {PREFIXES["xsd"] + t for t in ("date", "gYearMonth")}


@dataclass(frozen=True)
class Value:
    term: TermView
    sources: tuple[SourceView, ...]
    reading: str = ""  # a human reading of the value, e.g. a period as words
    nested: tuple[Row, ...] = ()  # the facts of a blank node or hash IRI it points to


@dataclass(frozen=True)
class Row:
    prop: TermView
    values: tuple[Value, ...]
    sources: tuple[SourceView, ...] = ()  # when every value has the same sources, shown once


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Statement:
    """A membership or office: who, where, in which role, when, and how sure."""

    node: TermView
    member: TermView | None
    organization: TermView | None
    role: TermView | None
    period: str
    marks: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class Figure:
    node: TermView
    comparator: str  # "more than", or "" for exactly
    value: str
    date: str
    marks: tuple[str, ...]
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class Measure:
    measure: TermView
    reported: tuple[Figure, ...]
    counted: int | None  # what the graph counts, None when it cannot count this measure


@dataclass(frozen=True)
class Unit:
    unit: TermView
    kinds: tuple[TermView, ...]
    period: str


@dataclass(frozen=True)
class Incoming:
    subject: TermView
    prop: TermView
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class ResourcePage:
    iri: str
    title: str
    types: tuple[TermView, ...]
    summary: tuple[str, ...]
    marks: tuple[str, ...]
    notes: tuple[str, ...]
    period: str
    wikidata: tuple[tuple[str, str], ...]
    groups: tuple[Group, ...]
    memberships: tuple[Statement, ...]  # the resource is the member
    members: tuple[Statement, ...]  # the resource is the organisation, no role
    offices: tuple[Statement, ...]  # the resource is the organisation, with a role
    figures: tuple[Measure, ...]
    units: tuple[Unit, ...]
    incoming: tuple[Incoming, ...]
    sources: tuple[SourceView, ...] = field(default=())


def _value_order(facts: Facts, term: Term) -> tuple[int, str]:
    if isinstance(term, ox.Literal):
        rank = 0 if term.language in (facts.lang, None) else 1
        return rank, term.value
    return 2, facts.label(term).lower()


def _is_part(subject: Subject, term: Term) -> bool:
    """A blank node or a hash IRI of the subject: shown nested under the fact pointing to it."""
    if isinstance(term, ox.BlankNode):
        return True
    return isinstance(term, ox.NamedNode) and term.value.startswith(
        subject.value.split("#")[0] + "#"
    )


def _reading(facts: Facts, term: Term) -> str:
    """Words for a period or a date value: "since March 2021", "2 Apr 2007"."""
    if isinstance(term, ox.Literal):
        return human_date(term, facts.lang) if term.datatype.value in DATE_TYPES else ""
    return period_text(facts, term) if facts.has_type(term, "time:Interval") else ""


def _value(facts: Facts, subject: Subject, prop: ox.NamedNode, term: Term, depth: int) -> Value:
    view = facts.term(term)
    nested: tuple[Row, ...] = ()
    if _is_part(subject, term) and depth < MAX_DEPTH:
        assert isinstance(term, (ox.NamedNode, ox.BlankNode))
        nested = _rows(facts, term, depth + 1)
        if isinstance(term, ox.NamedNode) and "#" in term.value:
            view = replace(view, text="#" + term.value.partition("#")[2])
    sources = facts.sources(facts.graphs(subject, prop, term))
    return Value(view, sources, _reading(facts, term), nested)


def _distinct_texts(values: tuple[Value, ...]) -> tuple[Value, ...]:
    """Values of one row that read alike (foaf:Person, schema:Person) get their prefixed name."""
    texts = [v.term.text for v in values]
    return tuple(
        replace(v, term=replace(v.term, text=f"{v.term.text} ({short_name(v.term.iri)})"))
        if v.term.iri and texts.count(v.term.text) > 1
        else v
        for v in values
    )


def _row(facts: Facts, subject: Subject, prop: ox.NamedNode, depth: int) -> Row:
    terms = sorted(facts.objects(subject, prop), key=lambda t: _value_order(facts, t))
    values = _distinct_texts(tuple(_value(facts, subject, prop, t, depth) for t in terms))
    shared = {v.sources for v in values}
    if len(values) > 1 and len(shared) == 1:
        bare = tuple(replace(v, sources=()) for v in values)
        return Row(facts.term(prop), bare, values[0].sources)
    return Row(facts.term(prop), values)


def _rows(facts: Facts, subject: Subject, depth: int = 0) -> tuple[Row, ...]:
    props = sorted(facts.properties(subject), key=lambda p: facts.label(p).lower())
    return tuple(_row(facts, subject, p, depth) for p in props)


def _groups(facts: Facts, subject: Subject) -> tuple[Group, ...]:
    grouped: dict[str, list[Row]] = {key: [] for key in GROUPS}
    for row in _rows(facts, subject):
        key = GROUP_OF.get(short_name(row.prop.iri or ""), "relations")
        grouped[key].append(row)
    title = 2 if facts.lang == "de" else 1
    return tuple(
        Group(key, GROUPS[key][title], tuple(rows)) for key, rows in grouped.items() if rows
    )


def _node_graphs(facts: Facts, node: Subject) -> set[str]:
    """Every graph that states something about a statement node (or its parts)."""
    found: set[str] = set()
    for subject in facts.subjects():
        if subject == node or (isinstance(subject, ox.NamedNode) and _is_part(node, subject)):
            for by_object in facts.properties(subject).values():
                for graphs in by_object.values():
                    found |= graphs
    return found


def _optional_term(facts: Facts, node: Subject, prefixed: str) -> TermView | None:
    found = facts.first(node, iri(prefixed))
    return facts.term(found) if found is not None else None


def _statement(facts: Facts, node: Subject) -> Statement:
    return Statement(
        node=facts.term(node),
        member=_optional_term(facts, node, "org:member"),
        organization=_optional_term(facts, node, "org:organization"),
        role=_optional_term(facts, node, "org:role"),
        period=period_of(facts, node),
        marks=marks(facts, node),
        notes=_visible(facts.texts(node, iri("skos:note"))),
        sources=facts.sources(_node_graphs(facts, node)),
    )


def _memberships(facts: Facts, resource: ox.NamedNode) -> list[Statement]:
    nodes = [s for s in facts.subjects() if s != resource and facts.has_type(s, "org:Membership")]
    return sorted(
        (_statement(facts, n) for n in nodes),
        key=lambda s: ((s.member or s.node).text.lower(), s.period),
    )


def _number(facts: Facts, value: Term | None) -> str:
    """A figure's value with the visitor's digit grouping: 130,000,000 / 130.000.000."""
    if not isinstance(value, ox.Literal):
        return ""
    if not value.value.isdigit():
        return value.value
    return f"{int(value.value):,}".replace(",", "." if facts.lang == "de" else ",")


def _figure(facts: Facts, node: Subject) -> Figure:
    comparator = facts.first(node, iri("ec:comparator"))
    date = facts.first(node, iri("dcterms:date"))
    shown = isinstance(comparator, ox.NamedNode) and comparator != iri("ec:exactly")
    return Figure(
        node=facts.term(node),
        comparator=facts.label(comparator) if shown and comparator else "",
        value=_number(facts, facts.first(node, iri("schema:value"))),
        date=human_date(date, facts.lang) if isinstance(date, ox.Literal) else "",
        marks=marks(facts, node),
        sources=facts.sources(_node_graphs(facts, node)),
    )


def _figures(
    facts: Facts, resource: ox.NamedNode, counts: Mapping[str, int]
) -> tuple[Measure, ...]:
    by_measure: dict[Term, list[Subject]] = {}
    for node in facts.subjects():
        if facts.has_type(node, "ec:ReportedFigure") and resource in facts.objects(
            node, iri("ec:about")
        ):
            measure = facts.first(node, iri("ec:measure")) or node
            by_measure.setdefault(measure, []).append(node)
    return tuple(
        Measure(
            facts.term(measure),
            tuple(_figure(facts, n) for n in sorted(nodes, key=lambda n: n.value)),
            counts.get(measure.value) if isinstance(measure, ox.NamedNode) else None,
        )
        for measure, nodes in sorted(by_measure.items(), key=lambda m: _measure_order(facts, m[0]))
    )


def _measure_order(facts: Facts, measure: Term) -> tuple[int, str]:
    """The measures this graph counts first (members before forums), then the others by label."""
    value = measure.value if isinstance(measure, ox.NamedNode) else ""
    rank = COUNTABLE.index(value) if value in COUNTABLE else len(COUNTABLE)
    return rank, facts.label(measure).lower()


def _units(facts: Facts, resource: ox.NamedNode) -> tuple[Unit, ...]:
    units = [u for u in facts.objects(resource, iri("org:hasUnit")) if isinstance(u, ox.NamedNode)]
    return tuple(
        Unit(
            facts.term(u), tuple(facts.term(k) for k in facts.objects(u, TYPE)), period_of(facts, u)
        )
        for u in sorted(units, key=lambda u: facts.label(u).lower())
    )


def _incoming(facts: Facts, quads: Iterable[ox.Quad]) -> tuple[Incoming, ...]:
    by_link: dict[tuple[Subject, ox.NamedNode], list[ox.Quad]] = {}
    for quad in quads:
        if not isinstance(quad.subject, ox.Triple):
            by_link.setdefault((quad.subject, quad.predicate), []).append(quad)
    return tuple(
        Incoming(facts.term(s), facts.term(p), facts.sources(graph_names(found)))
        for (s, p), found in by_link.items()
    )


def _types(facts: Facts, resource: ox.NamedNode) -> tuple[TermView, ...]:
    """The resource's types, one per label (foaf:Person and schema:Person are both "person")."""
    views = (facts.term(t) for t in facts.objects(resource, TYPE))
    return tuple({view.text: view for view in views}.values())


def _wikidata(facts: Facts, resource: ox.NamedNode) -> tuple[tuple[str, str], ...]:
    same = [
        o.value for o in facts.objects(resource, iri("owl:sameAs")) if isinstance(o, ox.NamedNode)
    ]
    qids = sorted(v[len(str(WD)) :] for v in same if v.startswith(str(WD)))
    return tuple((q, f"https://www.wikidata.org/wiki/{q}") for q in qids)


def _summary(facts: Facts, resource: ox.NamedNode) -> tuple[str, ...]:
    for prefixed in DESCRIPTIONS:
        found = facts.texts(resource, iri(prefixed))
        if found:
            return _visible(found)
    return ()


def _visible(texts: Iterable[str]) -> tuple[str, ...]:
    """Texts from the data as a page shows them: control characters replaced, over-long ones cut."""
    return tuple(visible(text)[0] for text in texts)


def _all_sources(facts: Facts, description: Description) -> tuple[SourceView, ...]:
    return facts.sources(graph_names((*description.facts, *description.incoming)))


def resource_page(
    description: Description,
    base: str,
    lang: str,
    counts: Mapping[str, int],
    unit_quads: Iterable[ox.Quad] = (),
) -> ResourcePage:
    facts = Facts((*description.quads, *unit_quads), base, lang)
    resource = ox.NamedNode(description.iri)
    statements = _memberships(facts, resource)
    return ResourcePage(
        iri=description.iri,
        title=visible(facts.label(resource))[0],
        types=_types(facts, resource),
        summary=_summary(facts, resource),
        marks=marks(facts, resource),
        notes=_visible(facts.texts(resource, iri("skos:note"))),
        period=period_of(facts, resource),
        wikidata=_wikidata(facts, resource),
        groups=_groups(facts, resource),
        memberships=tuple(s for s in statements if s.member and s.member.iri == resource.value),
        members=tuple(
            s
            for s in statements
            if s.organization and s.organization.iri == resource.value and not s.role
        ),
        offices=tuple(
            s
            for s in statements
            if s.organization and s.organization.iri == resource.value and s.role
        ),
        figures=_figures(facts, resource, counts),
        units=_units(facts, resource),
        incoming=_incoming(facts, description.incoming),
        sources=_all_sources(facts, description),
    )
