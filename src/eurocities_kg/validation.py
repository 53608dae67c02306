"""SHACL validation of the data, with a report a curator can act on.

Each finding names the file(s) stating the focus node, the focus node, the property, the value
and the shape's message in German and English.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

from .namespaces import PREFIXES

SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    severity: str
    focus: str
    path: str | None
    value: str | None
    messages: Mapping[str, str]
    shape: str | None
    component: str | None
    files: tuple[str, ...] = ()

    def message(self, lang: str = "en") -> str:
        for key in (lang, "en", "de", ""):
            if key in self.messages:
                return self.messages[key]
        return next(iter(self.messages.values()), "(the shape gives no message)")

    def as_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "focusNode": self.focus,
            "path": self.path,
            "value": self.value,
            "message": dict(self.messages),
            "sourceShape": self.shape,
            "constraintComponent": self.component,
            "files": list(self.files),
        }


@dataclass(frozen=True)
class ValidationReport:
    findings: tuple[Finding, ...]
    graph: rdflib.Graph = field(repr=False)

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Warning")

    @property
    def conforms(self) -> bool:
        """Warnings are advice; only violations stop a build."""
        return not self.violations

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s)"

    def to_text(self, lang: str = "en") -> str:
        blocks = [_finding_text(f, lang) for f in self.findings]
        return "\n\n".join([*blocks, self.summary()]) + "\n"

    def to_json(self) -> str:
        body = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [f.as_json() for f in self.findings],
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        for prefix, iri in PREFIXES.items():
            self.graph.bind(prefix, iri)
        return self.graph.serialize(format="turtle")


def _short(term: str | None) -> str:
    if term is None:
        return "-"
    for prefix, iri in PREFIXES.items():
        if term.startswith(iri) and term != iri:
            return f"{prefix}:{term[len(iri) :]}"
    return term


def _finding_text(finding: Finding, lang: str) -> str:
    files = ", ".join(finding.files) or "(no data file states this node)"
    lines = [
        f"{finding.severity}: {finding.message(lang)}",
        f"  file:     {files}",
        f"  focus:    {_short(finding.focus)}",
        f"  property: {_short(finding.path)}",
    ]
    if finding.value is not None:
        lines.append(f"  value:    {finding.value}")
    return "\n".join(lines)


def _text(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return str(term)


def _findings(report: rdflib.Graph, files_of: Mapping[str, tuple[str, ...]]) -> list[Finding]:
    findings = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = str(report.value(result, SH.focusNode))
        messages = {
            (m.language or ""): str(m)
            for m in report.objects(result, SH.resultMessage)
            if isinstance(m, rdflib.Literal)
        }
        severity = report.value(result, SH.resultSeverity)
        findings.append(
            Finding(
                severity=SEVERITY_NAMES.get(severity, str(severity)),  # type: ignore[call-overload]
                focus=focus,
                path=_text(report.value(result, SH.resultPath)),
                value=_text(report.value(result, SH.value)),
                messages=messages,
                shape=_text(report.value(result, SH.sourceShape)),
                component=_text(report.value(result, SH.sourceConstraintComponent)),
                files=files_of.get(focus, ()),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    findings.sort(key=lambda f: (order.get(f.severity, 3), f.files, f.focus, f.path or ""))
    return findings


def resolve_sparql_targets(shapes: rdflib.Graph, quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """A copy of the shapes whose SHACL-AF SPARQL targets (`sh:target [ a sh:SPARQLTarget ;
    sh:select … ]`) are replaced by the focus nodes they select (`sh:targetNode`), each select
    run by pyoxigraph on the union of the quads' triples.

    The same focus nodes, so the same report; but pySHACL runs these selects with rdflib's SPARQL
    engine, whose joins grew quadratically with the data (a third of the time at 20k triples,
    most of it at 35k; hours at 1M)."""
    targets = [
        (shape, target, str(found))
        for shape, target in shapes.subject_objects(SH.target)
        if (target, rdflib.RDF.type, SH.SPARQLTarget) in shapes
        and (found := shapes.value(target, SH.select)) is not None
    ]
    if not targets:
        return shapes
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    resolved = rdflib.Graph()
    for triple in shapes:
        resolved.add(triple)
    for prefix, namespace in shapes.namespaces():
        resolved.bind(prefix, namespace)
    for shape, target, select_text in targets:
        prologue = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for prefixes in shapes.objects(target, SH.prefixes)
            for d in shapes.objects(prefixes, SH.declare)
        )
        solutions = store.query(prologue + select_text)
        assert isinstance(solutions, ox.QuerySolutions)
        resolved.remove((shape, SH.target, target))
        for node in {row["this"] for row in solutions if row["this"] is not None}:
            term = rdflib.URIRef(node.value) if isinstance(node, ox.NamedNode) else None
            if term is not None:
                resolved.add((shape, SH.targetNode, term))
    return resolved


def validate(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    files_of: Mapping[str, tuple[str, ...]] | None = None,
    quads: Iterable[ox.Quad] | None = None,
) -> ValidationReport:
    """Validate `data` against `shapes`. Pass the ontology merged into `data`: pySHACL's own
    `ont_graph` mixing was measured to take minutes where merging takes a third of a second.
    Given the same data as `quads`, the shapes' SPARQL targets are resolved by pyoxigraph first
    (`resolve_sparql_targets`)."""
    if quads is not None:
        shapes = resolve_sparql_targets(shapes, quads)
    _conforms, report_graph, _text_report = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
    return ValidationReport(tuple(_findings(report_graph, files_of or {})), report_graph)
