"""The SPARQL 1.1 Protocol endpoint at /sparql (query operation only; the service is read-only),
its Service Description, and the query page for browsers."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from ..answers import BOOLEAN, SOLUTIONS, TRIPLES, Answer, Job
from ..errors import (
    BadRequest,
    EurocitiesKgError,
    ReadOnly,
    TooLarge,
    UnsupportedMediaType,
)
from ..formats import (
    RDF_FORMATS,
    RESULTS_FORMATS,
    RdfFormat,
    ResultsFormat,
    rdf_format,
)
from ..query_guard import check_query, service_targets
from ..service_description import service_description
from .negotiation import HTML, format_parameter, negotiate, wants_html
from .state import state
from .views import result_table

blueprint = Blueprint("sparql", __name__)

MAX_QUERY_BYTES = 100_000
TABULAR = RESULTS_FORMATS
BOOLEAN_FORMATS = tuple(f for f in RESULTS_FORMATS if f.name in ("json", "xml"))
RESULT_LIMIT_HEADER = "X-Result-Limit"  # on every SELECT and CONSTRUCT/DESCRIBE answer
TRUNCATED_HEADER = "X-Result-Truncated"  # "true" when the result was cut at the limit
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _check_no_update(has_update: bool) -> None:
    if has_update:
        raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")


def read_request() -> ProtocolRequest:
    """The query and the protocol dataset, from GET parameters, a form POST or a direct POST."""
    args = request.args
    _check_no_update("update" in args)  # in the URL, whatever the method and body
    if request.method == "GET":
        query = _single(args.getlist("query"), "query")
    else:
        mime = request.mimetype
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if mime == UPDATE:
            raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
        if mime == FORM:
            form = request.form
            _check_no_update("update" in form)
            query = _single(form.getlist("query") + args.getlist("query"), "query")
        elif mime == DIRECT:
            if charset not in ("utf-8", "utf8"):
                raise UnsupportedMediaType(f"a direct POST must be UTF-8, not {charset}")
            try:
                query = request.get_data().decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("the query is not valid UTF-8") from None
        elif not mime:
            raise BadRequest(
                f"a POST needs a Content-Type: {FORM} (with query=…) or {DIRECT} (the query as body)"
            )
        else:
            raise UnsupportedMediaType(
                f"cannot read a body of type {mime}; send {FORM} or {DIRECT}"
            )
        if query is None:
            raise BadRequest("the POST holds no 'query'")
    if query is not None and len(query.encode("utf-8")) > MAX_QUERY_BYTES:
        raise TooLarge(f"the query has more than {MAX_QUERY_BYTES} bytes")
    values = request.values if request.mimetype == FORM else request.args
    return ProtocolRequest(
        query,
        tuple(values.getlist("default-graph-uri")),
        tuple(values.getlist("named-graph-uri")),
    )


def _respond(data: bytes, media_type: str) -> Response:
    text_like = media_type.startswith("text/")
    response = Response(data, content_type=media_type + ("; charset=utf-8" if text_like else ""))
    response.vary.add("Accept")
    return response


@dataclass(frozen=True)
class Offer:
    """The formats offered for one kind of result, the one given when the client names none, and
    what `format=xml` means for it."""

    formats: tuple[RdfFormat, ...] | tuple[ResultsFormat, ...]
    default: str
    xml_means: str | None = None

    def choose(self) -> str:
        default = next(f for f in self.formats if f.name == self.default)
        return (
            format_parameter(self.formats, xml_means=self.xml_means)
            or negotiate(self.formats, default)
        ).name


OFFERS = {
    SOLUTIONS: Offer(TABULAR, "json"),
    BOOLEAN: Offer(BOOLEAN_FORMATS, "json"),
    TRIPLES: Offer(RDF_FORMATS, "turtle", xml_means="rdfxml"),
}
# What the client gets for each kind of result: a format name, PAGE (the query page), or the error
# to raise when it accepts nothing offered for that kind.
Plan = dict[str, "str | EurocitiesKgError"]
PAGE = "html"
PAGE_FORMATS = {SOLUTIONS: "json", BOOLEAN: "json", TRIPLES: "ntriples"}  # read back for the page


def _plan() -> Plan:
    """The format for each kind of result, chosen before the query runs (its kind is known only
    when it has run); a choice that fails is kept, and raised only for a result of that kind."""
    plan: Plan = {}
    for kind, offer in OFFERS.items():
        if wants_html([f.media_type for f in offer.formats]) and not format_parameter(
            offer.formats
        ):
            plan[kind] = PAGE
            continue
        try:
            plan[kind] = offer.choose()
        except EurocitiesKgError as error:
            plan[kind] = error
    return plan


def _job(protocol: ProtocolRequest, plan: Plan) -> Job:
    assert protocol.query is not None
    return Job(
        protocol.query,
        {
            kind: (PAGE_FORMATS[kind] if choice == PAGE else choice)
            if isinstance(choice, str)
            else None
            for kind, choice in plan.items()
        },
        state().settings.result_limit,
        protocol.default_graphs,
        protocol.named_graphs,
        base_iri=request.base_url,
        note_link=url_for("sparql.endpoint", _external=True) + "#limits",
    )


def _result_response(answer: Answer, plan: Plan, query: str) -> Response:
    choice = plan[answer.kind]
    if isinstance(choice, EurocitiesKgError):
        raise choice
    if choice == PAGE:
        response = _page(query, _read_back(answer), kind=answer.kind, truncated=answer.truncated)
    else:
        response = _respond(answer.body, answer.media_type)
    limit = state().settings.result_limit
    if answer.kind != BOOLEAN:
        response.headers[RESULT_LIMIT_HEADER] = str(limit)
    if answer.truncated:
        response.headers[TRUNCATED_HEADER] = "true"
    return response


def _read_back(answer: Answer) -> object:
    """The answer as result objects again, for the query page's table."""
    if answer.kind == TRIPLES:
        return list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)


def _page(
    query: str | None,
    result: object = None,
    error: str | None = None,
    kind: str | None = None,
    truncated: bool = False,
) -> Response:
    current = state()
    table = result_table(result, current.settings.base) if result is not None else None
    downloads = []
    if query and kind is not None:
        downloads = [
            (f.label, url_for("sparql.endpoint", query=query, format=f.name))
            for f in OFFERS[kind].formats
        ]
    html = render_template(
        "query.html",
        query=query or "",
        examples=current.examples,
        table=table,
        downloads=downloads,
        permalink=url_for("sparql.endpoint", query=query) if query else None,
        error=error,
        truncated=truncated,
        result_limit=current.settings.result_limit,
        limits={
            "timeout": f"{current.settings.query_timeout:g}",
            "results": current.settings.result_limit,
            "bytes": MAX_QUERY_BYTES,
        },
    )
    response = Response(html, 400 if error else 200, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def _service_description() -> Response:
    current = state()
    offered = RDF_FORMATS
    if wants_html([f.media_type for f in offered]):
        example = request.args.get("example")
        chosen = next((e for e in current.examples if e.name == example), None)
        return _page(chosen.text if chosen else None)
    fmt = format_parameter(offered) or negotiate(offered, rdf_format("turtle"))
    endpoint = request.base_url
    triples = service_description(
        endpoint,
        current.manifest,
        limits={
            "time limit": f"{current.settings.query_timeout:g} s per query; a query still running "
            "then is stopped and answered 503",
            "result limit": f"{current.settings.result_limit} rows or triples; a result beyond it "
            f"is cut and says so: header {TRUNCATED_HEADER}: true, a link in the head of SPARQL "
            "JSON and XML results, a comment in RDF formats",
            "maximum query size": f"{MAX_QUERY_BYTES} bytes (larger queries are answered 413)",
            "updates": "not accepted: the endpoint is read-only (403)",
            "federated queries": "SERVICE only to "
            + (", ".join(current.settings.service_allow_list) or "no endpoint")
            + "; any other target is refused (400) before connecting",
        },
    )
    data = ox.serialize(
        triples,
        format=fmt.oxigraph,
        prefixes={
            "sd": "http://www.w3.org/ns/sparql-service-description#",
            "void": "http://rdfs.org/ns/void#",
        }
        if fmt.name in ("turtle", "trig")
        else None,
    )
    return _respond(data or b"", fmt.media_type)


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    protocol = read_request()
    if protocol.query is None:
        return _service_description()
    current = state()
    key = _result_key(protocol, current.version)
    if (hit := current.cache.get(key)) is not None:  # the same query on the same build
        return hit.response()
    plan = _plan()
    browser = request.method == "GET" and all(choice == PAGE for choice in plan.values())
    try:
        check_query(
            protocol.query,
            current.settings.service_allow_list,
            current.settings.service_allow_private,
        )
        answer = current.runner.run(_job(protocol, plan))
    except ReadOnly:
        raise
    except EurocitiesKgError as error:
        if browser and error.http_status == 400:
            return _page(protocol.query, error=error.message)
        raise
    response = _result_response(answer, plan, protocol.query)
    if service_targets(protocol.query):  # a federated answer may change within a build
        return response
    return current.cache.store(key, response)


def _result_key(protocol: ProtocolRequest, version: str) -> tuple[object, ...]:
    """A result is a function of the query, its dataset, the base IRI (the URL), what the client
    accepts (format, `Accept`, and `Accept-Language` for the query page) and the build."""
    return (
        "sparql",
        version,
        request.method,
        protocol.query,
        protocol.default_graphs,
        protocol.named_graphs,
        request.base_url,
        request.values.get("format") if request.mimetype == FORM else request.args.get("format"),
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Language", ""),
        request.args.get("lang"),
    )


__all__ = ["HTML", "blueprint"]
