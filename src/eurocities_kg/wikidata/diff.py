"""`eurocities-kg diff wikidata`: the facts on which our graph and Wikidata disagree — membership of
Eurocities (P463, and its start year P580), the current mayor (P6) and the year of the population
figure (P1082/P585). One batched query per kind of fact; only linked things are compared."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from .client import WikidataClient
from .facts import Facts, heads_query, population_query, read_heads, read_populations
from .ourgraph import MembershipClaim, OurGraph, Thing
from .terms import PROLOGUE, WikidataTime, entity, qid_of, value

MEMBERSHIP, START, MAYOR, POPULATION = "membership", "membership start", "mayor", "population year"


@dataclass(frozen=True)
class Disagreement:
    fact: str
    thing: str  # our thing, or "" when Wikidata's item is not in our graph
    item: str  # the QID
    ours: str
    wikidata: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)

    def row(self) -> list[str]:
        return [
            self.fact,
            Thing(self.thing).short if self.thing else "—",
            self.item,
            self.ours,
            self.wikidata,
        ]


@dataclass(frozen=True)
class Diff:
    disagreements: tuple[Disagreement, ...]
    queries: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def wikidata_members_query(eurocities: str) -> str:
    return (
        f"{PROLOGUE}# eurocities-kg: the members of (P463) Eurocities, with their start time (P580)\n"
        "SELECT ?item ?label ?time ?precision WHERE {\n"
        f"  ?item p:P463 ?statement . ?statement ps:P463 wd:{eurocities} ; wikibase:rank ?rank .\n"
        "  FILTER(?rank != wikibase:DeprecatedRank)\n"
        "  OPTIONAL { ?statement pqv:P580 ?t . "
        "?t wikibase:timeValue ?time ; wikibase:timePrecision ?precision . }\n"
        '  OPTIONAL { ?item rdfs:label ?label . FILTER(LANG(?label) = "en") }\n}\n'
    )


def _years(times: set[WikidataTime]) -> str:
    return ", ".join(sorted({str(t.year) for t in times})) or "no start"


def membership_disagreements(
    graph: OurGraph, client: WikidataClient, eurocities: str, queries: list[tuple[str, str]]
) -> list[Disagreement]:
    query = wikidata_members_query(eurocities)
    queries.append(("membership", query))
    theirs: dict[str, set[WikidataTime]] = defaultdict(set)
    labels: dict[str, str] = {}
    for row in client.select(query):
        if qid := qid_of(value(row, "item")):
            labels[qid] = value(row, "label") or qid
            if start := WikidataTime.from_row(row, "time", "precision"):
                theirs[qid].add(start)
            theirs.setdefault(qid, set())
    links = graph.links()
    things = {q: t for t, q in links.items()}
    ours: dict[str, set[WikidataTime]] = defaultdict(set)
    claims: dict[str, list[MembershipClaim]] = defaultdict(list)
    for claim in graph.membership_claims():
        if claim.city in links:
            ours[links[claim.city]] |= {claim.start} if claim.start else set()
            claims[links[claim.city]].append(claim)
    found = []
    for qid in sorted(set(ours) | set(theirs), key=lambda q: (things.get(q, "~"), q)):
        thing = things.get(qid, "")
        if qid not in theirs:
            found.append(Disagreement(MEMBERSHIP, thing, qid, _member(claims[qid]), "not a member"))
        elif qid not in ours:
            ours_text = "not a member" if thing else "not in our graph"
            found.append(Disagreement(MEMBERSHIP, thing, qid, ours_text, f"member ({labels[qid]})"))
        elif (
            ours[qid]
            and theirs[qid]
            and not {t.year for t in ours[qid]} & {t.year for t in theirs[qid]}
        ):
            found.append(Disagreement(START, thing, qid, _years(ours[qid]), _years(theirs[qid])))
    return found


def _member(claims: list[MembershipClaim]) -> str:
    """ "member", qualified when no source states it with more than low confidence."""
    if all(c.inferred for c in claims):
        return "member (inferred)"
    if all(c.confidence == "low" for c in claims):
        return "member (low confidence)"
    return "member"


def mayor_disagreements(
    graph: OurGraph, client: WikidataClient, queries: list[tuple[str, str]]
) -> list[Disagreement]:
    links = graph.links()
    mayors = [m for m in graph.current_mayors() if m.city in links]
    if not mayors:
        return []
    cities = {entity(links[m.city]): m.city for m in mayors}
    query = heads_query([links[m.city] for m in mayors])
    queries.append(("mayor", query))
    facts = Facts()
    read_heads(client.select(query), cities, facts)
    found = []
    for mayor in mayors:
        heads = facts.heads.get(mayor.city, [])
        ours_qid = links.get(mayor.person)
        names = set(mayor.person_labels.values())
        if any(h.qid == ours_qid or (set(h.labels.values()) & names) for h in heads):
            continue
        theirs = ", ".join(sorted(h.name() or h.qid for h in heads)) or "none"
        ours = next(iter(sorted(names)), Thing(mayor.person).short)
        found.append(Disagreement(MAYOR, mayor.city, links[mayor.city], ours, theirs))
    return found


def population_disagreements(
    graph: OurGraph, client: WikidataClient, queries: list[tuple[str, str]]
) -> list[Disagreement]:
    links = graph.links()
    years = {t: y for t, y in graph.population_years().items() if t in links}
    if not years:
        return []
    items = {entity(links[t]): t for t in years}
    query = population_query([links[t] for t in years])
    queries.append(("population", query))
    facts = Facts()
    read_populations(client.select(query), items, facts)
    found = []
    for thing, year in sorted(years.items()):
        _, when = facts.populations.get(thing, (0, None))
        theirs = str(when.year) if when else "none"
        if theirs != str(year):
            found.append(Disagreement(POPULATION, thing, links[thing], str(year), theirs))
    return found


def diff_wikidata(graph: OurGraph, client: WikidataClient) -> Diff:
    queries: list[tuple[str, str]] = []
    notes = []
    found = []
    eurocities = graph.network_qid()
    if eurocities is None:
        notes.append(
            "membership not compared: Eurocities has no reconciled Wikidata item "
            "(run `eurocities-kg link wikidata`)"
        )
    else:
        found += membership_disagreements(graph, client, eurocities, queries)
    found += mayor_disagreements(graph, client, queries)
    found += population_disagreements(graph, client, queries)
    return Diff(tuple(found), tuple(queries), tuple(notes))
