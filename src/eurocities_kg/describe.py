"""The description of one resource, read from the store with a few SPARQL queries (no Flask here).

A description holds, each fact with the named graph that states it:

- the resource's own triples, closed over blank nodes and hash IRIs (`…#period`, `…#start`, `…#end`);
- the statement nodes about it — memberships and offices (`org:Membership` whose `org:member` or
  `org:organization` it is) and reported figures (`ec:ReportedFigure` that are `ec:about` it) — with theirs;
- one page of its other incoming links;
- the `rdfs:label`s of every resource it links, and the provenance of every graph it uses
  (`prov:wasDerivedFrom` its source, with the source's title, page and labels).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .iris import slugify
from .namespaces import DATA_LICENSE, EC, PREFIXES, sparql_prologue
from .store import Store

PRIMARY_TOPIC = ox.NamedNode(PREFIXES["foaf"] + "primaryTopic")
LICENSE = ox.NamedNode(PREFIXES["dcterms"] + "license")
CC_BY = ox.NamedNode(DATA_LICENSE)
UNSAFE_IRI = re.compile(r'[\s<>"{}|^`\\]')
ANY_OR_NONE = "(<urn:x-none:p>|!<urn:x-none:p>)?"  # a path of zero or one step over any property

# The statement nodes whose triples belong to a resource's description (%(r)s is the resource).
STATEMENT_NODES = """
  { ?node a org:Membership . { ?node org:member %(r)s } UNION { ?node org:organization %(r)s } }
  UNION { ?node a ec:ReportedFigure ; ec:about %(r)s }
"""
# An incoming link that is not a statement node's link (those are part of the closure).
OTHER_INCOMING = """
  ?s ?p %(r)s . FILTER(?s != %(r)s)
  FILTER NOT EXISTS { ?s a org:Membership . FILTER(?p IN (org:member, org:organization)) }
  FILTER NOT EXISTS { ?s a ec:ReportedFigure . FILTER(?p = ec:about) }
"""


def _part_of(var: str) -> str:
    """True for a blank node or a hash IRI of ?node (`{node}#…`)."""
    return f'(isBlank({var}) || STRSTARTS(STR({var}), CONCAT(STR(?node), "#")))'


CLOSURE = f"""
SELECT DISTINCT ?s ?p ?o ?g WHERE {{
  {{ %(nodes)s }}
  ?node {ANY_OR_NONE} ?x . FILTER(?x = ?node || {_part_of("?x")})
  ?x {ANY_OR_NONE} ?s . FILTER(?s = ?x || {_part_of("?s")})
  GRAPH ?g {{ ?s ?p ?o }}
}}"""


@dataclass(frozen=True)
class Description:
    iri: str
    facts: tuple[ox.Quad, ...]  # the closure: the resource, its parts and its statement nodes
    incoming: tuple[ox.Quad, ...]  # this page of the other incoming links
    context: tuple[ox.Quad, ...]  # labels of linked resources, provenance of the graphs used
    page: int
    page_size: int
    incoming_total: int  # distinct incoming triples over all pages

    @property
    def quads(self) -> tuple[ox.Quad, ...]:
        return _unique((*self.facts, *self.incoming, *self.context))

    @property
    def last_page(self) -> int:
        return max(1, -(-self.incoming_total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.last_page


def iri_ref(iri: str) -> str:
    """`<iri>` for a query; refuses what could break out of the IRI."""
    if not iri or UNSAFE_IRI.search(iri):
        raise ValueError(f"not a usable IRI: {iri!r}")
    return f"<{iri}>"


def _query(store: Store, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql_prologue() + sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _quads(store: Store, sparql: str) -> list[ox.Quad]:
    """The solutions of a `SELECT ?s ?p ?o ?g` as quads."""
    found = []
    for row in _query(store, sparql):
        s, p, o, g = row["s"], row["p"], row["o"], row["g"]
        assert isinstance(p, ox.NamedNode)
        assert isinstance(g, ox.NamedNode)
        assert isinstance(s, (ox.NamedNode, ox.BlankNode))
        found.append(ox.Quad(s, p, o, g))
    return found


def _unique(quads: Iterable[ox.Quad]) -> tuple[ox.Quad, ...]:
    return tuple(dict.fromkeys(quads))


def exists(store: Store, iri: str) -> bool:
    ref = iri_ref(iri)
    result = store.query(f"ASK {{ {{ {ref} ?p ?o }} UNION {{ ?s ?p {ref} }} }}")
    return bool(result)


def closure(store: Store, iri: str) -> list[ox.Quad]:
    """The resource's triples and those of its statement nodes, with their blank nodes and hash IRIs."""
    ref = iri_ref(iri)
    nodes = f"{{ BIND({ref} AS ?node) }} UNION {STATEMENT_NODES % {'r': ref}}"
    return _quads(store, CLOSURE % {"nodes": nodes})


def units(store: Store, iri: str) -> list[ox.Quad]:
    """The triples of the units of an organisation (`org:hasUnit`), with their periods and the
    labels of what they link."""
    found = _quads(store, CLOSURE % {"nodes": f"{iri_ref(iri)} org:hasUnit ?node"})
    return [*found, *context(store, linked_iris(found), ())]


def incoming(store: Store, iri: str, page: int, page_size: int) -> list[ox.Quad]:
    offset = (page - 1) * page_size
    return _quads(
        store,
        f"""SELECT ?s ?p ?o ?g WHERE {{
          {{ SELECT DISTINCT ?s ?p WHERE {{ {OTHER_INCOMING % {"r": iri_ref(iri)}} }}
             ORDER BY ?p ?s LIMIT {int(page_size)} OFFSET {int(offset)} }}
          BIND({iri_ref(iri)} AS ?o)
          GRAPH ?g {{ ?s ?p ?o }}
        }}""",
    )


def incoming_count(store: Store, iri: str) -> int:
    rows = _query(
        store,
        f"""SELECT (COUNT(*) AS ?n) WHERE {{
          SELECT DISTINCT ?s ?p WHERE {{ {OTHER_INCOMING % {"r": iri_ref(iri)}} }} }}""",
    )
    return sum(int(row["n"].value) for row in rows)


def linked_iris(quads: Iterable[ox.Quad]) -> set[str]:
    """Every IRI the quads mention (subjects, predicates, objects)."""
    found = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return found


def _values(iris: Iterable[str]) -> str:
    return " ".join(iri_ref(i) for i in sorted(iris)) or "<urn:x-none:nothing>"


def context(store: Store, iris: Iterable[str], graphs: Iterable[str]) -> list[ox.Quad]:
    """The labels of the IRIs, and each graph's source with the source's title, page and labels."""
    return _quads(
        store,
        f"""SELECT ?s ?p ?o ?g WHERE {{
          {{ VALUES ?s {{ {_values(iris)} }} BIND(rdfs:label AS ?p) GRAPH ?g {{ ?s ?p ?o }} }}
          UNION {{ VALUES ?g {{ {_values(graphs)} }} BIND(prov:wasDerivedFrom AS ?p)
                   GRAPH ?g {{ ?g ?p ?o }} BIND(?g AS ?s) }}
          UNION {{ VALUES ?graph {{ {_values(graphs)} }} GRAPH ?graph {{ ?graph prov:wasDerivedFrom ?s }}
                   VALUES ?p {{ dcterms:title foaf:page rdfs:label }} GRAPH ?g {{ ?s ?p ?o }} }}
        }}""",
    )


def graph_names(quads: Iterable[ox.Quad]) -> set[str]:
    """The named graphs the quads are in."""
    return {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}


def describe(store: Store, iri: str, page: int = 1, page_size: int = 100) -> Description | None:
    """The description of a resource, or None when the store does not mention it."""
    facts = sorted(closure(store, iri), key=lambda q: (str(q.subject) != f"<{iri}>", str(q)))
    links = incoming(store, iri, page, page_size)
    total = incoming_count(store, iri)
    if not facts and not total:
        return None
    known = [*facts, *links]
    extra = context(store, linked_iris(known), graph_names(known))
    return Description(iri, _unique(facts), _unique(links), _unique(extra), page, page_size, total)


def document_quads(description: Description, document: str) -> list[ox.Quad]:
    """What the document about the resource holds: the facts in their graphs, and in the default graph
    the document's own metadata (its primary topic and licence)."""
    doc = ox.NamedNode(document)
    meta = [
        ox.Quad(doc, PRIMARY_TOPIC, ox.NamedNode(description.iri)),
        ox.Quad(doc, LICENSE, CC_BY),
    ]
    return [*meta, *description.quads]


def distinct_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Each triple once, for a format without named graphs."""
    return list(dict.fromkeys(q.triple for q in quads))


# --- figures the sources report, and what the graph itself counts ------------------------------------

COUNTS = f"""
SELECT ?measure (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  {{ BIND({iri_ref(str(EC.memberCities))} AS ?measure)
     ?m a org:Membership ; org:organization %(r)s ; org:member ?x . ?x a schema:City }}
  UNION {{ BIND({iri_ref(str(EC.members))} AS ?measure)
     ?m a org:Membership ; org:organization %(r)s ; org:member ?x . FILTER NOT EXISTS {{ ?m org:role ?role }} }}
  UNION {{ BIND({iri_ref(str(EC.countries))} AS ?measure)
     ?m a org:Membership ; org:organization %(r)s ; org:member ?city .
     ?city schema:containedInPlace ?x . ?x a schema:Country }}
  UNION {{ BIND({iri_ref(str(EC.forums))} AS ?measure) %(r)s org:hasUnit ?x . ?x a ec:Forum }}
  UNION {{ BIND({iri_ref(str(EC.workingGroups))} AS ?measure)
     %(r)s org:hasUnit ?forum . ?forum org:hasUnit ?x . ?x a ec:WorkingGroup }}
  UNION {{ BIND({iri_ref(str(EC.memberCitiesInCountry))} AS ?measure)
     %(r)s ec:country ?country ; ec:groupOf ?network .
     ?m a org:Membership ; org:organization ?network ; org:member ?x .
     ?x schema:containedInPlace ?country }}
}} GROUP BY ?measure"""

COUNTABLE = tuple(
    str(m)
    for m in (
        EC.memberCities,
        EC.members,
        EC.countries,
        EC.forums,
        EC.workingGroups,
        EC.memberCitiesInCountry,
    )
)


def counts(store: Store, iri: str) -> dict[str, int]:
    """What the graph itself counts about the resource, by measure IRI (0 where it counts none)."""
    found = dict.fromkeys(COUNTABLE, 0)
    for row in _query(store, COUNTS % {"r": iri_ref(iri)}):
        found[row["measure"].value] = int(row["n"].value)
    return found


def forum_sizes(store: Store, network: str) -> dict[str, int]:
    """The forums of a network, each with its number of working groups."""
    rows = _query(
        store,
        f"""SELECT ?forum (COUNT(DISTINCT ?wg) AS ?n) WHERE {{
          {iri_ref(network)} org:hasUnit ?forum . ?forum a ec:Forum .
          OPTIONAL {{ ?forum org:hasUnit ?wg . ?wg a ec:WorkingGroup }}
        }} GROUP BY ?forum""",
    )
    return {row["forum"].value: int(row["n"].value) for row in rows}


# --- suggestions for an unknown resource ------------------------------------------------------------


def _things(store: Store, base: str) -> dict[str, set[str]]:
    """Every thing under `{base}id/` with the slugs of its labels."""
    prefix = base + "id/"
    rows = _query(
        store,
        f"""SELECT DISTINCT ?s ?label WHERE {{
          ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{prefix}") && !CONTAINS(STR(?s), "#"))
          OPTIONAL {{ ?s rdfs:label ?label }}
        }}""",
    )
    things: dict[str, set[str]] = {}
    for row in rows:
        slugs = things.setdefault(row["s"].value[len(prefix) :], set())
        if row["label"] is not None:
            slugs.add(slugify(row["label"].value))
    return things


def _similarity(kind: str, slug: str, path: str, label_slugs: set[str]) -> float:
    their_kind, _, their_slug = path.partition("/")
    best = max(
        difflib.SequenceMatcher(None, slug, candidate).ratio()
        for candidate in (their_slug, *label_slugs)
    )
    return best + (0.15 if their_kind == kind else 0.0)


def suggestions(store: Store, base: str, kind: str, slug: str, limit: int = 8) -> list[str]:
    """Things whose slug or label resembles `slug`, things of the same kind first: `kind/slug` paths."""
    scored = [
        (_similarity(kind, slug, path, label_slugs), path)
        for path, label_slugs in _things(store, base).items()
    ]
    good = sorted((s for s in scored if s[0] >= 0.75), key=lambda s: (-s[0], s[1]))
    return [path for _, path in good[:limit]]
