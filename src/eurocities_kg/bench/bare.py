"""The stack's ceiling: a Flask app that answers a constant, served exactly as the publisher is
(`server.PublisherServer`: gunicorn, the same worker class, workers, threads and access log).

    python -m eurocities_kg.bench.bare PROJECT PORT WORKERS
"""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask, Response

from ..project import find_project
from ..server import PublisherServer
from ..settings import load_settings

BODY = b'{"head":{"vars":["label"]},"results":{"bindings":[]}}'


def bare_app() -> Flask:
    app = Flask(__name__)

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def constant(path: str) -> Response:
        return Response(BODY, content_type="application/sparql-results+json")

    return app


class BareServer(PublisherServer):
    def load(self) -> Flask:
        return bare_app()


def main(argv: list[str]) -> None:
    project, port, workers = Path(argv[0]), int(argv[1]), int(argv[2])
    settings = load_settings(find_project(project), port=port, workers=workers)
    # the same options; only the PID file (for `eurocities-kg reload`) stays the publisher's
    BareServer(settings, {"when_ready": lambda server: None, "on_exit": lambda server: None}).run()


if __name__ == "__main__":
    main(sys.argv[1:])
