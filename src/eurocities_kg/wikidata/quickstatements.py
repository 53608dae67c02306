"""`eurocities-kg export quickstatements`: give back what we know. For each member city linked to
Wikidata whose item does not say it is a member of Eurocities (P463), one QuickStatements v1 command
that adds it — with its start (P580, at the precision the source gives: /9 year, /10 month, /11 day)
and the source as reference URL (S854) with the date it was read (S813).

The Eurocities QID is the one reconciliation linked (data/links/wikidata.ttl), never a guess. Only
stated memberships are given back: not inferred ones, not low-confidence ones, and not inferred
starts; a source without a URL cannot be a reference."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..errors import NotReconciled
from .client import WikidataClient
from .ourgraph import MembershipClaim, OurGraph, Thing
from .terms import PROLOGUE, qid_of, value, values_clause

CONFIDENCE_ORDER = {"high": 0, "medium": 1, None: 2}


@dataclass(frozen=True)
class Command:
    city: str
    qid: str
    eurocities: str
    claim: MembershipClaim

    @property
    def start(self) -> str | None:
        claim = self.claim
        return None if claim.start is None or claim.start_inferred else str(claim.start)

    def line(self) -> str:
        claim = self.claim
        parts = [self.qid, "P463", self.eurocities]
        if claim.start is not None and not claim.start_inferred:
            parts += ["P580", claim.start.quickstatements()]
        parts += ["S854", f'"{claim.page}"']
        if claim.date_read is not None:
            parts += ["S813", claim.date_read.quickstatements()]
        return "\t".join(parts)


@dataclass(frozen=True)
class Export:
    eurocities: str
    commands: tuple[Command, ...]
    already: tuple[str, ...]  # linked member cities whose item says so already
    skipped: tuple[tuple[str, str], ...]  # (city, why no command)
    query: str | None

    def text(self) -> str:
        return "".join(command.line() + "\n" for command in self.commands)


def eurocities_qid(graph: OurGraph) -> str:
    qid = graph.network_qid()
    if qid is None:
        raise NotReconciled(
            "Eurocities has no reconciled Wikidata item (no owl:sameAs in the links graph): run "
            "`eurocities-kg link wikidata` first; the QID is never guessed"
        )
    return qid


def usable(claim: MembershipClaim) -> bool:
    page = claim.page or ""
    return (
        page.startswith(("http://", "https://"))
        and not any(c in page for c in '"\t\n')
        and not claim.inferred
        and claim.confidence != "low"
    )


def best_claim(claims: list[MembershipClaim]) -> MembershipClaim | None:
    """The claim to give back: one with a stated start first, then the most confident source."""
    candidates = [c for c in claims if usable(c)]
    return min(
        candidates,
        key=lambda c: (
            c.start is None or c.start_inferred,
            CONFIDENCE_ORDER.get(c.confidence, 2),
            c.source,
        ),
        default=None,
    )


def members_query(qids: list[str], eurocities: str) -> str:
    return (
        f"{PROLOGUE}# eurocities-kg: which of these items are a member of (P463) Eurocities\n"
        f"SELECT DISTINCT ?item WHERE {{\n  {values_clause('item', qids)}\n"
        f"  ?item p:P463/ps:P463 wd:{eurocities} .\n}}\n"
    )


def export_quickstatements(graph: OurGraph, client: WikidataClient) -> Export:
    eurocities = eurocities_qid(graph)
    links = graph.links()
    claims: dict[str, list[MembershipClaim]] = defaultdict(list)
    for claim in graph.membership_claims():
        claims[claim.city].append(claim)
    linked = {city: links[city] for city in claims if city in links}
    query = members_query(list(linked.values()), eurocities) if linked else None
    members = {qid_of(value(r, "item")) for r in client.select(query)} if query else set()
    commands, already, skipped = [], [], []
    for city in sorted(claims):
        qid, best = linked.get(city), best_claim(claims[city])
        if qid is None:
            skipped.append((city, "not linked to Wikidata"))
        elif qid in members:
            already.append(city)
        elif best is None:
            skipped.append((city, "only inferred, low-confidence or URL-less sources"))
        else:
            commands.append(Command(city, qid, eurocities, best))
    return Export(eurocities, tuple(commands), tuple(already), tuple(skipped), query)


def summary(export: Export) -> str:
    lines = [
        f"{len(export.commands)} commands adding member of (P463) wd:{export.eurocities}; "
        f"{len(export.already)} linked members say so already; {len(export.skipped)} skipped"
    ]
    lines += [f"  skipped {Thing(city).short}: {why}" for city, why in export.skipped]
    return "\n".join(lines)
