"""What the commands print: plain tables for people, JSON for programs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .diff import Diff
from .links import LinkRun
from .ourgraph import Thing
from .reconcile import AMBIGUOUS, LINKED, UNMATCHED


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def reconciliation_table(run: LinkRun) -> str:
    rows = []
    for match in run.reconciliation.matches:
        detail = "; ".join(str(c) for c in match.candidates) or "—"
        if match.note:
            detail = f"{match.note}: {detail}" if match.candidates else match.note
        rows.append([match.kind, match.thing.short, match.status, match.qid or "", detail])
    return table(["kind", "thing", "status", "qid", "candidates"], rows)


def reconciliation_summary(run: LinkRun) -> str:
    rec, changes = run.reconciliation, run.changes
    added = ", ".join(f"{Thing(t).short} {q}" for t, q in sorted(changes.added.items()))
    lines = [
        f"{rec.count(LINKED)} linked, {rec.count(AMBIGUOUS)} ambiguous, "
        f"{rec.count(UNMATCHED)} unmatched; {len(rec.queries)} queries to {run.retrieval.endpoint}",
        f"new links: {added or 'none'}",
    ]
    for thing, (old, new) in sorted(changes.changed.items()):
        lines.append(f"changed: {Thing(thing).short} {old} → {new}")
    for thing, old in sorted(changes.dropped.items()):
        lines.append(f"no longer confirmed, dropped: {Thing(thing).short} {old}")
    lines.append(f"wrote {run.output}")
    return "\n".join(lines) + "\n"


def reconciliation_json(run: LinkRun) -> str:
    document: dict[str, Any] = {
        "endpoint": run.retrieval.endpoint,
        "retrieved": run.retrieval.ended.isoformat(),
        "output": str(run.output),
        "summary": {s: run.reconciliation.count(s) for s in (LINKED, AMBIGUOUS, UNMATCHED)},
        "changes": {
            "added": run.changes.added,
            "changed": {t: list(pair) for t, pair in run.changes.changed.items()},
            "dropped": run.changes.dropped,
        },
        "matches": [m.as_json() for m in run.reconciliation.matches],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def diff_table(diff: Diff) -> str:
    rows = [d.row() for d in diff.disagreements]
    text = table(["fact", "thing", "item", "ours", "wikidata"], rows)
    count = len(diff.disagreements)
    return text + f"({count} disagreement{'s' if count != 1 else ''})\n"


def diff_json(diff: Diff) -> str:
    document = {
        "disagreements": [d.as_json() for d in diff.disagreements],
        "notes": list(diff.notes),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
