"""The web layer: a Flask application factory with one blueprint per concern."""

from __future__ import annotations

from flask import Flask, Response, request

from ..settings import Settings, load_settings
from .cache import CachedApp
from .errors import install_error_handlers
from .language import other_language, visitor_language
from .state import AppState, install, load_state, state

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
}


MAX_BODY_BYTES = 1_000_000


def create_app(settings: Settings | None = None, app_state: AppState | None = None) -> Flask:
    """Build the app over the current build of the project (or over a given state, for tests)."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # No body is read into memory beyond this (413): a query of 100 kB, form-encoded, fits.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    install(app, app_state or load_state(settings or load_settings()))
    install_error_handlers(app)
    _install_headers(app)
    app.context_processor(
        lambda: {"lang": visitor_language(), "other_lang": other_language(visitor_language())}
    )
    from . import dataset, pages, resources, sparql

    for blueprint in (pages.blueprint, sparql.blueprint, resources.blueprint, dataset.blueprint):
        app.register_blueprint(blueprint)
    app.wsgi_app = CachedApp(app, app.wsgi_app)  # type: ignore[method-assign]
    return app


def _install_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        response.headers.setdefault(
            "Access-Control-Expose-Headers",
            "ETag, Last-Modified, Link, Content-Location, Vary, Retry-After, "
            "X-Result-Limit, X-Result-Truncated",
        )
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match"
            response.headers["Access-Control-Max-Age"] = "86400"
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            _make_cacheable(response)
        return response


def _make_cacheable(response: Response) -> None:
    """ETag and Last-Modified from the build; 304 for a matching conditional request."""
    current = state()
    if response.last_modified is None:
        response.last_modified = current.built_at
    if not response.get_etag()[0] and not response.direct_passthrough:
        response.add_etag()
    response.headers.setdefault(
        "Cache-Control", f"public, max-age={current.settings.cache_seconds}"
    )
    response.make_conditional(request)
