from __future__ import annotations

import pytest
import rdflib

from eurocities_kg.namespaces import EC, EC_TERMS, graph_iri, sparql_prologue
from tests.conftest import REPO


def test_closed_namespace_lists_exactly_the_terms_the_ontology_defines() -> None:
    ontology = rdflib.Graph().parse(REPO / "ontology" / "eurocities.ttl")
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(str(EC))}
    assert defined == {str(EC[term]) for term in EC_TERMS}


def test_a_typo_in_an_own_term_fails() -> None:
    with pytest.raises(AttributeError):
        _ = EC.Fourm


def test_graph_iri_and_prologue() -> None:
    assert graph_iri("links-wikidata") == "https://w3id.org/eurocities-kg/graph/links-wikidata"
    assert "PREFIX ec: <https://w3id.org/eurocities-kg/def#>\n" in sparql_prologue()
