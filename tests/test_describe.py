"""describe.py against the real build: the closure, incoming links and their pages, labels,
provenance, the document's quads and their serializations, counts, forum sizes and suggestions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from eurocities_kg import describe as d
from eurocities_kg.namespaces import CANONICAL_BASE, DATA_LICENSE, EC, GRAPH_BASE, PREFIXES
from eurocities_kg.project import Project
from eurocities_kg.store import EmbeddedStore

ID = CANONICAL_BASE + "id/"
BOCHUM = ID + "city/bochum"
NETWORK = ID + "network/eurocities"


def p(prefixed: str) -> ox.NamedNode:
    prefix, _, local = prefixed.partition(":")
    return ox.NamedNode(PREFIXES[prefix] + local)


@pytest.fixture(scope="module")
def store(real_build: Project) -> EmbeddedStore:
    return EmbeddedStore.from_build(real_build.build_dir)


def triples(quads) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def graphs_of(quads, subject: str, predicate: ox.NamedNode) -> set[str]:
    return {
        q.graph_name.value
        for q in quads
        if q.subject == ox.NamedNode(subject) and q.predicate == predicate
    }


def test_a_city_holds_its_own_triples_and_its_membership_with_the_period(store) -> None:
    found = d.describe(store, BOCHUM)
    assert found is not None
    facts = triples(found.facts)
    assert (f"<{BOCHUM}>", str(p("schema:containedInPlace")), f"<{ID}country/de>") in facts
    start = f"<{ID}membership/bochum#start>"
    assert (
        start,
        str(p("time:inXSDgYearMonth")),
        '"2021-03"^^<' + PREFIXES["xsd"] + "gYearMonth>",
    ) in facts
    assert (f"<{ID}membership/bochum>", str(p("org:member")), f"<{BOCHUM}>") in facts


def test_every_fact_keeps_the_named_graph_that_states_it(store) -> None:
    found = d.describe(store, ID + "city/essen")
    assert found is not None
    start = ID + "membership/essen#start"
    assert graphs_of(found.facts, start, p("time:inXSDgYear")) == {
        GRAPH_BASE + "essen-europe-direct"
    }
    membership = ID + "membership/essen"
    assert graphs_of(found.facts, membership, p("org:member")) == {
        GRAPH_BASE + "bochum-eurocities-page",
        GRAPH_BASE + "essen-europe-direct",
    }


def test_the_closure_follows_blank_nodes(store) -> None:
    found = d.describe(store, ID + "site/brussels-office")
    assert found is not None
    address = [q.object for q in found.facts if q.predicate == p("schema:address")]
    assert len(address) == 1
    assert isinstance(address[0], ox.BlankNode)
    street = [
        q.object
        for q in found.facts
        if q.subject == address[0] and q.predicate == p("schema:streetAddress")
    ]
    assert street == [ox.Literal("Square de Meeûs 1")]


def test_the_network_holds_its_memberships_offices_and_figures_with_their_parts(store) -> None:
    found = d.describe(store, NETWORK)
    assert found is not None
    subjects = {q.subject.value for q in found.facts if isinstance(q.subject, ox.NamedNode)}
    assert ID + "membership/bochum" in subjects
    assert ID + "office/dario-nardella-president-2020#end" in subjects  # a part from another graph
    assert ID + "figure/bochum-eurocities-page-member-cities" in subjects
    assert ID + "city/bochum" not in subjects  # a member, linked, not described


def test_statement_links_are_not_repeated_as_incoming_links(store) -> None:
    found = d.describe(store, BOCHUM)
    assert found is not None
    incoming = triples(found.incoming)
    assert incoming == {
        (f"<{ID}source/bochum-eurocities-page>", str(p("dcterms:publisher")), f"<{BOCHUM}>")
    }
    assert found.incoming_total == 1


def test_labels_of_linked_resources_in_both_languages_and_graph_provenance(store) -> None:
    found = d.describe(store, BOCHUM)
    assert found is not None
    context = triples(found.context)
    label = str(p("rdfs:label"))
    assert (f"<{ID}country/de>", label, '"Deutschland"@de') in context
    assert (f"<{ID}country/de>", label, '"Germany"@en') in context
    graph = f"<{GRAPH_BASE}links-wikidata>"
    assert (graph, str(p("prov:wasDerivedFrom")), f"<{ID}source/wikidata>") in context
    source = f"<{ID}source/bochum-eurocities-page>"
    assert (
        source,
        str(p("foaf:page")),
        "<https://www.bochum.de/Internationales/Eurocities>",
    ) in context


def test_pages_split_the_incoming_links_without_overlap(store) -> None:
    whole = d.describe(store, NETWORK, 1, 1000)
    assert whole is not None
    assert whole.incoming_total >= 5
    size = 4
    count = -(-whole.incoming_total // size)
    pages = [d.describe(store, NETWORK, n, size) for n in range(1, count + 1)]
    first = pages[0]
    assert first is not None
    assert first.last_page == count
    assert first.has_next
    seen: list[set] = [triples(page.incoming) for page in pages if page is not None]
    assert all(len({(s, pr) for s, pr, _ in part}) <= size for part in seen)
    assert set().union(*seen) == triples(whole.incoming)
    assert sum(len(part) for part in seen) == len(triples(whole.incoming))
    assert pages[-1] is not None
    assert not pages[-1].has_next


def test_an_unknown_resource_has_no_description(store) -> None:
    assert d.describe(store, ID + "city/atlantis") is None
    assert not d.exists(store, ID + "city/atlantis")
    assert d.exists(store, BOCHUM)


def test_iri_ref_refuses_what_could_escape_the_iri() -> None:
    assert d.iri_ref(BOCHUM) == f"<{BOCHUM}>"
    for bad in ("", "http://x/a> ?p ?o", "http://x/a b", 'http://x/"'):
        with pytest.raises(ValueError, match="not a usable IRI"):
            d.iri_ref(bad)


def test_the_document_names_its_primary_topic_in_the_default_graph(store) -> None:
    found = d.describe(store, BOCHUM)
    assert found is not None
    quads = d.document_quads(found, CANONICAL_BASE + "doc/city/bochum")
    meta = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    assert {(q.predicate, q.object) for q in meta} == {
        (p("foaf:primaryTopic"), ox.NamedNode(BOCHUM)),
        (p("dcterms:license"), ox.NamedNode(DATA_LICENSE)),
    }
    doc_subjects = {q.subject.value for q in quads if "/doc/" in q.subject.value}
    assert doc_subjects == {CANONICAL_BASE + "doc/city/bochum"}


def test_a_triple_stated_by_several_graphs_is_one_triple_of_the_document(store) -> None:
    found = d.describe(store, NETWORK)
    assert found is not None
    quads = d.document_quads(found, CANONICAL_BASE + "doc/network/eurocities")
    triples = d.distinct_triples(quads)
    assert len(triples) == len(set(triples)) == len({q.triple for q in quads})
    assert len(triples) < len(quads)  # e.g. the forums are typed by two sources
    assert triples[0] == quads[0].triple  # in the document's order


def test_counts_are_what_the_graph_holds(store) -> None:
    counted = d.counts(store, NETWORK)
    found = d.describe(store, NETWORK)
    assert found is not None
    members = {
        q.object
        for q in found.facts
        if q.predicate == p("org:member") and q.subject.value.startswith(ID + "membership/")
    }
    assert counted[str(EC.memberCities)] == len(members)
    assert counted[str(EC.forums)] == 6
    assert str(EC.associatedPartners) not in counted  # nothing here counts it


def test_the_country_group_counts_the_members_in_its_country(store) -> None:
    network = d.describe(store, NETWORK)
    germany = d.describe(store, ID + "country/de")
    assert network is not None
    assert germany is not None
    members = {q.object for q in network.facts if q.predicate == p("org:member")}
    in_germany = {
        q.subject for q in germany.incoming if q.predicate == p("schema:containedInPlace")
    }
    counted = d.counts(store, ID + "country-group/de")[str(EC.memberCitiesInCountry)]
    assert counted == len(members & in_germany) > 0


def test_forum_sizes_count_the_working_groups_of_each_forum(store) -> None:
    sizes = d.forum_sizes(store, NETWORK)
    assert len(sizes) == 6
    culture = ID + "forum/culture"
    units = d.units(store, culture)
    groups = {
        q.subject.value
        for q in units
        if q.predicate == p("rdf:type") and q.object == ox.NamedNode(str(EC.WorkingGroup))
    }
    assert sizes[culture] == len(groups) > 0


def test_units_come_with_their_periods(store) -> None:
    units = d.units(store, ID + "forum/culture")
    begins = {q.subject.value for q in units if q.predicate == p("time:inXSDgYear")}
    assert ID + "working-group/culture-art-and-culture-in-public-spaces#start" in begins


@pytest.mark.parametrize(
    ("kind", "slug", "expected"),
    [
        ("city", "bochm", "city/bochum"),
        ("city", "koeln", "city/cologne"),
        ("cty", "munchen", "city/munich"),
    ],
)
def test_suggestions_find_similar_slugs_and_labels(
    store, kind: str, slug: str, expected: str
) -> None:
    assert d.suggestions(store, CANONICAL_BASE, kind, slug)[0] == expected


def test_suggestions_are_empty_when_nothing_is_similar(store) -> None:
    assert d.suggestions(store, CANONICAL_BASE, "city", "qqqqqqqqqqqq") == []
