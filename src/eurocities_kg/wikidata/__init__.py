"""Wikidata: reconcile our things with Wikidata items, enrich the linked ones, give back what we know
(QuickStatements, a diff) — against a configurable SPARQL endpoint, and only when a command asks.

- `client`: the one way to the network (SPARQLWrapper, User-Agent, timeout, retries with backoff);
- `terms`: Wikidata's IRIs and time values;
- `ourgraph`: what our own data says (read from the project's files, offline);
- `reconcile` and `links` (`link wikidata`), `facts` and `enrich` (`enrich wikidata`),
  `quickstatements` (`export quickstatements`), `diff` (`diff wikidata`), `report` (what they print);
- `output`: the provenance of a generated file and its validated, atomic writing.
"""
