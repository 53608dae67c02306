"""Blueprint: the index page — what the dataset is, the network with its forums and members, the
SPARQL endpoint with example queries, the downloads, the licence and the counts of the build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, url_for

from ..describe import counts, describe, forum_sizes, units
from ..formats import rdf_format
from ..iris import thing_iri
from .charts import charts as build_charts
from .diagram import diagram
from .geo import city_map
from .language import visitor_language
from .resource_page import ResourcePage, Unit, resource_page
from .state import state

blueprint = Blueprint("pages", __name__)

NETWORK = ("network", "eurocities")


@dataclass(frozen=True)
class Download:
    file: str
    label: str
    size: str
    href: str


def human_size(size: int, lang: str) -> str:
    if size < 1000:
        text = f"{size} B"
    elif size < 1_000_000:
        text = f"{size / 1000:.1f} kB"
    else:
        text = f"{size / 1_000_000:.1f} MB"
    return text.replace(".", ",") if lang == "de" else text


def _downloads(manifest: Mapping[str, Any], lang: str) -> list[Download]:
    base = url_for("dataset.downloads")
    found = []
    for dump in manifest.get("dumps", []):
        label = rdf_format(dump["format"]).label + (" (gzip)" if dump.get("compression") else "")
        found.append(
            Download(dump["file"], label, human_size(dump["bytes"], lang), base + dump["file"])
        )
    return found


def _network_page(lang: str) -> ResourcePage | None:
    current = state()
    iri = thing_iri(*NETWORK, current.settings.base)
    description = describe(current.store, iri, 1, current.settings.page_size)
    if description is None:
        return None
    return resource_page(
        description,
        current.settings.base,
        lang,
        counts(current.store, iri),
        units(current.store, iri),
    )


def _forums(page: ResourcePage | None) -> list[tuple[Unit, int]]:
    if page is None:
        return []
    sizes = forum_sizes(state().store, page.iri)
    return [(unit, sizes[unit.unit.iri]) for unit in page.units if unit.unit.iri in sizes]


@blueprint.route("/")
def index() -> str:
    current = state()
    lang = visitor_language()
    network = _network_page(lang)
    return render_template(
        "index.html",
        network=network,
        network_href=url_for("resources.thing", kind=NETWORK[0], slug=NETWORK[1]),
        forums=_forums(network),
        structure=network and diagram(current.store, network.iri, current.settings.base, lang),
        city_map=network
        and city_map(current.store, network.iri, network.title, current.settings.base, lang),
        examples=current.examples,
        downloads=_downloads(current.manifest, lang),
        manifest=current.manifest,
        graph_count=len(current.manifest.get("graphs", [])),
    )


@blueprint.route("/charts")
def charts() -> str:
    """Members per country, the membership timeline and the office holders, as SVG charts."""
    current = state()
    lang = visitor_language()
    network = _network_page(lang)
    if network is None:
        abort(404)
    return render_template(
        "charts.html",
        network=network,
        network_href=url_for("resources.thing", kind=NETWORK[0], slug=NETWORK[1]),
        charts=build_charts(
            current.store, network.iri, current.settings.base, lang, current.built_at.date()
        ),
    )
