"""The one error body of the web layer, negotiated: JSON by default, HTML for browsers, plain text
when asked for. Every error, including Flask's own 404 / 405 and unexpected ones, goes through it."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import EurocitiesKgError

log = logging.getLogger(__name__)

ERROR_TYPES = ("application/json", "text/html", "text/plain")


def error_body(status: int, title: str, message: str) -> dict[str, object]:
    return {"error": {"status": status, "title": title, "message": message}}


def error_response(
    status: int, title: str, message: str, template: str = "error.html", **context: object
) -> Response:
    """Render an error in the form the client prefers (browsers get `template`, with `context`)."""
    accept = request.accept_mimetypes
    chosen = accept.best_match(ERROR_TYPES, default="application/json") if accept else None
    if chosen == "text/html" and accept.quality("text/html") > accept.quality("application/json"):
        html = render_template(template, status=status, title=title, message=message, **context)
        return Response(html, status, content_type="text/html; charset=utf-8")
    if chosen == "text/plain" and accept.quality("text/plain") > accept.quality("application/json"):
        return Response(
            f"{status} {title}: {message}\n", status, content_type="text/plain; charset=utf-8"
        )
    body = json.dumps(error_body(status, title, message), ensure_ascii=False) + "\n"
    return Response(body, status, content_type="application/json; charset=utf-8")


def unreadable_body(error: Exception) -> bool:
    """The WSGI server could not read the body the client sent (a malformed chunk, a body cut
    short): the client's fault, raised while a view reads the body. Gunicorn's own errors about
    what the app answers (`InvalidResponse…`) are the server's."""
    kind = type(error)
    return kind.__module__ == "gunicorn.http.errors" and not kind.__name__.startswith(
        "InvalidResponse"
    )


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(EurocitiesKgError)
    def known(error: EurocitiesKgError) -> Response:
        response = error_response(error.http_status, error.title, error.message)
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http(error: HTTPException) -> Response:
        response = error_response(error.code or 500, error.name, error.description or error.name)
        for name in ("Allow", "Retry-After"):
            if error.get_response().headers.get(name):
                response.headers[name] = error.get_response().headers[name]
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        if unreadable_body(error):
            reason = " ".join(str(error).split())[:200]
            return error_response(400, "bad request", f"the request body cannot be read: {reason}")
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(
            500, "internal error", "the server failed on this request; it has been logged"
        )
