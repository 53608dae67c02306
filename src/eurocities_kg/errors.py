"""Every error the project raises, with its CLI exit code and HTTP status, in one place.

Exit codes follow pySHACL: 0 conforms, 1 violations, 2 any other error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .validation import ValidationReport


class EurocitiesKgError(Exception):
    """Base of all expected errors: the message tells the user what to fix."""

    exit_code = 2
    http_status = 500
    title = "error"
    retry_after: int | None = None  # seconds, sent as `Retry-After` (a 503 that may pass)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProjectNotFound(EurocitiesKgError):
    title = "project not found"


class SourceFileError(EurocitiesKgError):
    """A file of ontology/ or data/ that cannot be read or parsed."""

    title = "source file error"

    def __init__(self, path: Path, reason: str, line: int | None = None, column: int | None = None):
        where = str(path) if line is None else f"{path}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.column = column


class ValidationFailed(EurocitiesKgError):
    """The data does not conform to the shapes; the build is refused."""

    exit_code = 1
    title = "data does not conform to the shapes"

    def __init__(self, message: str, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report


class BuildNotFound(EurocitiesKgError):
    http_status = 503
    title = "no build"


class BuildCorrupt(EurocitiesKgError):
    http_status = 503
    title = "build is corrupt"


class QuerySyntaxError(EurocitiesKgError):
    http_status = 400
    title = "query syntax error"


class QueryRefused(EurocitiesKgError):
    """A well-formed request the service will not execute (an update, a remote dataset)."""

    http_status = 400
    title = "query refused"


class UnknownFormat(EurocitiesKgError):
    http_status = 406
    title = "unknown format"


class WikidataError(EurocitiesKgError):
    """Talking to the Wikidata query service (or its stand-in) failed; nothing was written."""

    http_status = 502
    title = "Wikidata query failed"


class WikidataUnavailable(WikidataError):
    """No usable answer: a timeout, no connection, or 429/5xx after every retry."""

    title = "Wikidata unavailable"


class WikidataQueryRejected(WikidataError):
    """The endpoint refused a query (4xx other than 429) or answered something that is not SPARQL
    JSON results."""

    title = "Wikidata refused the query"


class NotReconciled(EurocitiesKgError):
    """A command needs a Wikidata item that reconciliation has not confirmed (never a guess)."""

    title = "not reconciled"


class ServerNotRunning(EurocitiesKgError):
    """`reload` found no running server for the build directory."""

    title = "no server running"


class BadRequest(EurocitiesKgError):
    http_status = 400
    title = "bad request"


class UnsupportedMediaType(EurocitiesKgError):
    http_status = 415
    title = "unsupported media type"


class TooLarge(EurocitiesKgError):
    http_status = 413
    title = "query too large"


class ReadOnly(QueryRefused):
    """An update, in any form: the endpoint is read-only."""

    http_status = 403
    title = "read-only endpoint"


class NotAcceptable(EurocitiesKgError):
    http_status = 406
    title = "not acceptable"


class RequestTimeout(EurocitiesKgError):
    """The client did not send its whole request in time (`server.RequestReader`). Not an
    OSError, so that Werkzeug does not take it for a client that went away (400)."""

    http_status = 408
    title = "request timeout"


class ServiceFailed(EurocitiesKgError):
    """A federated query's SERVICE call failed (the remote endpoint, not this one)."""

    http_status = 502
    title = "federated query failed"


class QueryTimeout(EurocitiesKgError):
    """A query ran past the time limit and was stopped."""

    http_status = 503
    title = "query timeout"


class QueryBusy(EurocitiesKgError):
    """Every query process of the worker stayed busy for as long as a query may take."""

    http_status = 503
    title = "busy"
    retry_after = 5


class QueryProcessFailed(EurocitiesKgError):
    """The process running a query ended while answering it."""

    http_status = 503
    title = "query failed"
