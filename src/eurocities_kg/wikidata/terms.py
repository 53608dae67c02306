"""Wikidata's IRIs, the classes and properties this package uses, and Wikidata's time values."""

from __future__ import annotations

import re
from dataclasses import dataclass

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
P = "http://www.wikidata.org/prop/"
PS = "http://www.wikidata.org/prop/statement/"
PQ = "http://www.wikidata.org/prop/qualifier/"
PQV = "http://www.wikidata.org/prop/qualifier/value/"
WIKIBASE = "http://wikiba.se/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PROLOGUE = "".join(
    f"PREFIX {name}: <{iri}>\n"
    for name, iri in (
        ("wd", WD),
        ("wdt", WDT),
        ("p", P),
        ("ps", PS),
        ("pq", PQ),
        ("pqv", PQV),
        ("wikibase", WIKIBASE),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("schema", "http://schema.org/"),  # Wikidata's descriptions: http, not https
    )
)

# Classes (P31 instance of, followed up P279 subclass of)
CITY = "Q515"
BIG_CITY = "Q1549591"
COUNTRY = "Q6256"
HUMAN = "Q5"
ORGANIZATION = "Q43229"

QID = re.compile(r"^Q[1-9][0-9]*$")

# One row of SPARQL JSON results: variable → {"type", "value", "xml:lang", "datatype"}
Row = dict[str, dict[str, str]]


def qid_of(iri: str | None) -> str | None:
    """`http://www.wikidata.org/entity/Q64` → `Q64`; None for anything else."""
    if not iri or not iri.startswith(WD):
        return None
    local = iri[len(WD) :]
    return local if QID.match(local) else None


def entity(qid: str) -> str:
    return WD + qid


def value(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term["value"] if term else None


def language(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term.get("xml:lang") if term else None


def values_clause(variable: str, qids: list[str]) -> str:
    """`VALUES ?item { wd:Q1 wd:Q2 }` — the batch of one query."""
    return f"VALUES ?{variable} {{ {' '.join(f'wd:{q}' for q in sorted(set(qids)))} }}"


def sparql_string(text: str) -> str:
    """A SPARQL string literal (double quotes, escaped)."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


# Precision of a Wikidata time value: 9 year, 10 month, 11 day (coarser ones are not used here)
YEAR, MONTH, DAY = 9, 10, 11
XSD_PRECISION = {XSD + "gYear": YEAR, XSD + "gYearMonth": MONTH, XSD + "date": DAY}
DATE = re.compile(r"^[+]?(?P<year>-?\d{4,})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?")


@dataclass(frozen=True, order=True)
class WikidataTime:
    """A date at a precision: year, year and month, or day."""

    year: int
    month: int = 0
    day: int = 0
    precision: int = DAY

    @classmethod
    def parse(cls, lexical: str, precision: int) -> WikidataTime | None:
        """A Wikidata timeValue (`2023-12-31T00:00:00Z`) or an XSD date, gYearMonth or gYear, read
        at the given precision; None for a precision coarser than a year."""
        match = DATE.match(lexical.strip())
        if match is None or precision < YEAR:
            return None
        precision = min(precision, DAY)
        month = int(match["month"] or 0) if precision >= MONTH else 0
        day = int(match["day"] or 0) if precision >= DAY else 0
        return cls(int(match["year"]), month, day, precision)

    @classmethod
    def from_xsd(cls, lexical: str, datatype: str) -> WikidataTime | None:
        precision = XSD_PRECISION.get(datatype)
        return cls.parse(lexical, precision) if precision else None

    @classmethod
    def from_row(cls, row: Row, time: str, precision: str) -> WikidataTime | None:
        """From a timeValue and a timePrecision in a row (day precision when none is given)."""
        lexical = value(row, time)
        if lexical is None:
            return None
        return cls.parse(lexical, int(value(row, precision) or DAY))

    def xsd(self) -> tuple[str, str]:
        """The lexical form and XSD datatype at this precision (xsd:gYear, gYearMonth or date)."""
        if self.precision == YEAR:
            return f"{self.year:04d}", XSD + "gYear"
        if self.precision == MONTH:
            return f"{self.year:04d}-{self.month:02d}", XSD + "gYearMonth"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}", XSD + "date"

    def quickstatements(self) -> str:
        """QuickStatements v1: `+2021-03-00T00:00:00Z/10` (unknown parts are 00)."""
        sign = "-" if self.year < 0 else "+"
        return (
            f"{sign}{abs(self.year):04d}-{self.month:02d}-{self.day:02d}T00:00:00Z/{self.precision}"
        )

    def __str__(self) -> str:
        return self.xsd()[0]
