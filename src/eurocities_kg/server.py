"""Running the app under gunicorn, a production WSGI server: one process per worker, each with its
own read-only handle on the store.

The master's PID is written to `serve.pid` in the build directory while it runs, so that
`eurocities-kg reload` can send it SIGHUP: gunicorn then starts new workers, which open the current
build, and stops the old ones gracefully once their requests are answered — every request is served
wholly by the old build or wholly by the new one. Requests gunicorn itself refuses (a malformed
request line, a URI or headers over its limits) get the service's one error body too.

The worker is gunicorn's threaded one (`gthread`), reading every request through a RequestReader: a
client that does not send its request — head and body — within `request_body_timeout` seconds
(a slowloris, a body that stalls or trickles) is answered 408 and its thread freed."""

from __future__ import annotations

import json
import os
import socket
import time
from concurrent import futures
from contextlib import suppress
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn import http, util
from gunicorn.app.base import BaseApplication
from gunicorn.http.unreader import SocketUnreader
from gunicorn.workers import gthread

from .errors import RequestTimeout, ServerNotRunning
from .settings import Settings

PID_FILE = "serve.pid"
# A request line (method, URI, version) over 8190 bytes — gunicorn's highest finite limit, enough for
# every example query sent by GET — is answered 414 (longer queries are POSTed, up to 100 kB); more
# than 100 header fields or a field over 8190 bytes 431.
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELDS = 100
LIMIT_REQUEST_FIELD_SIZE = 8190
# A new connection waits this long in a thread for its first byte, then in the worker's poller,
# without a thread, until gunicorn's keep-alive time (2 s) closes it. gunicorn's own wait, 5 s,
# let a burst of connections that send nothing hold every thread: 20 of them delayed a GET 15 s.
FIRST_BYTE_WAIT = 0.1
# Threads per worker that close connections gracefully (each waits up to 2 s for the client).
CLOSING_THREADS = 16


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


class RequestReader(SocketUnreader):  # type: ignore[misc]
    """Reads a connection's requests for gunicorn's parser, each one — head and body — within
    `limit` seconds of its first byte: every receive waits only for what is left of that time, so
    a client that stalls or trickles holds a thread no longer. A receive gunicorn bounds itself
    (the drain of a body the app left unread, under a socket timeout) is left alone."""

    def __init__(self, sock: socket.socket, limit: float) -> None:
        super().__init__(sock)
        self.limit = limit
        self.deadline: float | None = None  # set by the first receive of the current request
        self.request: Any = None  # gunicorn's request, once its head is read
        self.timed_out = False

    def next_request(self) -> None:
        self.deadline, self.request, self.timed_out = None, None, False

    def chunk(self, size_hint: int | None = None) -> bytes:
        if self.sock.gettimeout() is not None:  # bounded by gunicorn itself
            data: bytes = super().chunk(size_hint)
            return data
        now = time.monotonic()
        if self.deadline is None:
            self.deadline = now + self.limit
        try:
            if now >= self.deadline:
                raise TimeoutError
            self.sock.settimeout(self.deadline - now)
            data = super().chunk(size_hint)
        except TimeoutError:
            self.timed_out = True
            if self.request is not None:  # the app answers 408, with `Connection: close`
                self.request.force_close()
            raise RequestTimeout(
                f"the request was not received within {self.limit:g} s: send it at once"
            ) from None
        finally:
            self.sock.settimeout(None)  # writing the response is not bounded by this
        return data


class RequestWorker(gthread.ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker, its connections read by RequestReaders (`request_body_timeout`
    of the app's settings); a request not received in time is answered 408 (by the app when it
    was reading the body, else here) and the connection closed at once."""

    def init_process(self) -> None:
        # gunicorn has no setting for it; the same bound applies to its drain of an unread body
        gthread.DEFAULT_WORKER_DATA_TIMEOUT = FIRST_BYTE_WAIT
        self.closer = futures.ThreadPoolExecutor(CLOSING_THREADS, thread_name_prefix="close")
        super().init_process()

    def finish_request(self, conn: Any, fs: futures.Future[Any]) -> None:
        """A connection to close is closed in a closer thread: gunicorn's graceful close waits up to
        2 s for the client to close its side, and on the worker's main loop that wait held back
        every other connection of the worker (20 clients holding their sockets: GETs 6–10 s late).
        The connection still counts until it is closed, so `worker_connections` still bounds them."""
        if not fs.cancelled() and (fs.exception() is not None or fs.result()):
            super().finish_request(conn, fs)  # kept alive, deferred or failed: gunicorn's way
            return
        self.closer.submit(self._close, conn)

    def _close(self, conn: Any) -> None:
        try:
            conn.close(graceful=True)
        finally:
            self.method_queue.defer(self._closed)

    def _closed(self) -> None:  # on the main loop, which alone counts connections
        self.nr_conns -= 1

    def enqueue_req(self, conn: Any) -> None:
        if conn.parser is None and not self.cfg.is_ssl:  # a new connection (TLS: gunicorn's own)
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
            conn.parser.unreader = RequestReader(conn.sock, self.app.settings.request_body_timeout)
        super().enqueue_req(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        if isinstance(conn.parser.unreader, RequestReader):
            conn.parser.unreader.request = req
        return super().handle_request(req, conn)

    def handle(self, conn: Any) -> Any:
        reader = getattr(conn.parser, "unreader", None)
        if not isinstance(reader, RequestReader):
            return super().handle(conn)
        reader.next_request()
        try:
            return super().handle(conn)
        finally:
            if reader.timed_out:
                # Closed from this thread: gunicorn's graceful close, on the worker's main loop,
                # would wait up to 2 s for the client to close — one that stalls does not.
                with suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, req: Any, client: socket.socket, addr: Any, exc: Exception) -> None:
        if not isinstance(exc, RequestTimeout):
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning("Request from ip=%s not received in time", (addr or ("",))[0])
        with suppress(OSError):
            write_canonical_error(client, 408, "Request Timeout", exc.message)


class PublisherServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any] | None = None) -> None:
        self.settings = settings
        path = pid_file(settings)
        self.options = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": settings.workers,
            "worker_class": RequestWorker,
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
