"""Running the app under gunicorn, a production WSGI server: one process per worker, each with its
own read-only handle on the store.

The master's PID is written to `serve.pid` in the build directory while it runs, so that
`eurocities-kg reload` can send it SIGHUP: gunicorn then starts new workers, which open the current
build, and stops the old ones gracefully once their requests are answered — every request is served
wholly by the old build or wholly by the new one. Requests gunicorn itself refuses (a malformed
request line, a URI or headers over its limits) get the service's one error body too."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn import util
from gunicorn.app.base import BaseApplication

from .errors import ServerNotRunning
from .settings import Settings

PID_FILE = "serve.pid"
# A request line (method, URI, version) over 8190 bytes — gunicorn's highest finite limit, enough for
# every example query sent by GET — is answered 414 (longer queries are POSTed, up to 100 kB); more
# than 100 header fields or a field over 8190 bytes 431.
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELDS = 100
LIMIT_REQUEST_FIELD_SIZE = 8190


def pid_file(settings: Settings) -> Path:
    return settings.project.build_dir / PID_FILE


def _write_pid(path: Path, pid: int) -> None:
    """Write the PID atomically (the last server started on a build directory is the one named)."""
    temporary = path.with_name(f".{path.name}.{pid}")
    temporary.write_text(f"{pid}\n", encoding="ascii")
    os.replace(temporary, path)


def _remove_pid(path: Path, pid: int) -> None:
    """Remove the PID file if it still names this server."""
    try:
        if path.read_text(encoding="ascii").strip() == str(pid):
            path.unlink()
    except (OSError, ValueError):
        pass


def running_pid(build_dir: Path) -> int:
    """The PID of the server running on a build directory (from its PID file, checked to be alive
    and to be this program); ServerNotRunning with the reason otherwise."""
    path = build_dir / PID_FILE
    try:
        pid = int(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        raise ServerNotRunning(
            f"no server runs on {build_dir} ({path} is missing): start one with `eurocities-kg serve`"
        ) from None
    except (OSError, ValueError) as error:
        raise ServerNotRunning(f"{path} does not name a process: {error}") from None
    if not _is_server(pid):
        raise ServerNotRunning(
            f"the server {pid} named in {path} no longer runs: start one with `eurocities-kg serve`"
        )
    return pid


def _is_server(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:  # where /proc exists, make sure the PID was not reused by another program
        return b"eurocities" in cmdline.read_bytes()
    except OSError:
        return not Path("/proc/self").exists()


def write_canonical_error(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """Gunicorn's answer to a request it refuses before the app sees it, in the one error body."""
    from .web import SECURITY_HEADERS
    from .web.errors import error_body

    text = message or "the server failed on this request; it has been logged"
    body = (json.dumps(error_body(status, reason, text), ensure_ascii=False) + "\n").encode()
    headers = {
        "Connection": "close",
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": str(len(body)),
        "Access-Control-Allow-Origin": "*",
        **SECURITY_HEADERS,
    }
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    util.write_nonblock(sock, head.encode("latin-1") + b"\r\n" + body)


class PublisherServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any] | None = None) -> None:
        self.settings = settings
        path = pid_file(settings)
        self.options = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": settings.workers,
            "worker_class": "gthread",
            "threads": 4,
            "preload_app": False,  # each worker opens the store itself, after the fork
            "accesslog": "-",
            "logger_class": "eurocities_kg.accesslog.AccessLogger",  # the same lines, built cheaply
            "timeout": 60,
            "limit_request_line": LIMIT_REQUEST_LINE,
            "limit_request_fields": LIMIT_REQUEST_FIELDS,
            "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
            "when_ready": lambda server: _write_pid(path, server.pid),
            "on_exit": lambda server: _remove_pid(path, server.pid),
            **(options or {}),
        }
        util.write_error = write_canonical_error  # inherited by the workers
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from .web import create_app

        return create_app(self.settings)


def serve(settings: Settings, options: dict[str, Any] | None = None) -> None:
    PublisherServer(settings, options).run()
