"""The example queries of `queries/`: each file a SPARQL query with a header comment

# title@en: Members and since when
# title@de: Mitglieder und seit wann
# description@en: Every member city of the network with the start of its membership …
#   (an indented comment line continues the previous field)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FIELD = re.compile(r"^#\s*(?P<key>[a-z]+)@(?P<lang>[a-z]{2}):\s*(?P<text>.*)$")
CONTINUATION = re.compile(r"^#\s{2,}(?P<text>\S.*)$")


@dataclass(frozen=True)
class ExampleQuery:
    name: str
    path: Path
    text: str
    titles: dict[str, str]
    descriptions: dict[str, str]

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.name)

    def description(self, lang: str = "en") -> str:
        return self.descriptions.get(lang) or next(iter(self.descriptions.values()), "")


def parse_header(text: str) -> dict[str, dict[str, str]]:
    fields: dict[str, dict[str, str]] = {}
    last: tuple[str, str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := FIELD.match(line):
            last = (match["key"], match["lang"])
            fields.setdefault(last[0], {})[last[1]] = match["text"].strip()
        elif (match := CONTINUATION.match(line)) and last:
            fields[last[0]][last[1]] += " " + match["text"].strip()
    return fields


def load_query(path: Path) -> ExampleQuery:
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    return ExampleQuery(
        path.stem, path, text, header.get("title", {}), header.get("description", {})
    )


def example_queries(queries_dir: Path) -> list[ExampleQuery]:
    return [load_query(p) for p in sorted(queries_dir.glob("*.rq"))]
