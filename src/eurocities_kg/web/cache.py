"""A bounded LRU cache of whole responses, serialized, for the build in service.

The store is read-only and a build never changes once in service, so a response is a function of
the request and the build: SPARQL results are cached by query text, protocol dataset, base IRI,
chosen format and build version; documents by path, query string, the headers they are negotiated
on and the build version. Each gunicorn worker keeps its own cache. A hit answers without parsing
the query, querying the store, serializing or rendering — and a conditional request whose ETag
matches gets its 304 without a body at all.

Two levels share one cache:

- in the views (`ResponseCache.through`, `ResponseCache.store`): the SPARQL endpoint and the
  resource documents mark what they produced as cacheable; a POSTed query's result is kept here;
- in front of Flask (`CachedApp`, WSGI middleware): a GET or HEAD whose URL, `Accept` and
  `Accept-Language` match an earlier GET that a view marked cacheable is answered with that
  response's status, headers and body as they were sent — without Flask's request handling. A
  conditional request gets its 304 from the stored ETag and Last-Modified.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Response, request
from werkzeug.http import is_resource_modified, parse_date

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask

CACHEABLE = "eurocities_kg.cacheable"  # set in the WSGI environ by a view whose answer may be kept


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str

    def response(self) -> Response:
        response = Response(self.body, self.status)
        response.headers.clear()
        for name, value in self.headers:
            response.headers.add(name, value)
        response.set_etag(self.etag)
        return response

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(n) + len(v) for n, v in self.headers) + 200


class ResponseCache:
    """Thread-safe LRU, bounded by entries and by bytes; responses larger than an eighth of the
    byte budget are not kept."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Entry | Sent] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _get(self, key: Hashable) -> Entry | Sent | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def get(self, key: Hashable) -> Entry | None:
        """A response a view kept."""
        found = self._get(key)
        return found if isinstance(found, Entry) else None

    def get_sent(self, key: Hashable) -> Sent | None:
        """A response as the WSGI layer kept it."""
        found = self._get(key)
        return found if isinstance(found, Sent) else None

    def put(self, key: Hashable, entry: Entry | Sent) -> None:
        size = entry.size
        if self.max_entries <= 0 or size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += size
            while self._entries and (
                len(self._entries) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def store(self, key: Hashable, response: Response) -> Response:
        """Mark a 200 response as one to keep: a GET's is kept as it is sent, in front of Flask
        (`CachedApp`); any other method's (a SPARQL POST) is kept here, under `key`, with a strong
        ETag of its body. (Keeping a GET's here as well would hold its body twice.)"""
        if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
            return response
        request.environ[CACHEABLE] = True
        if request.method in ("GET", "HEAD"):
            return response
        body = response.get_data()
        etag, weak = response.get_etag()
        if not etag or weak:
            etag = hashlib.sha1(body, usedforsecurity=False).hexdigest()
            response.set_etag(etag)
        headers = tuple((n, v) for n, v in response.headers.items() if n.lower() != "etag")
        self.put(key, Entry(response.status_code, headers, body, etag))
        return response

    def through(self, key: Hashable, produce: Callable[[], Response]) -> Response:
        """The cached response for `key`, or `produce()`'s, kept for next time."""
        entry = self.get(key)
        if entry is not None:
            request.environ[CACHEABLE] = True
            return entry.response()
        return self.store(key, produce())


def request_key(*extra: Hashable) -> tuple[Hashable, ...]:
    """What a GET response may depend on: the URL (host, path, query string) and the headers
    content negotiation reads."""
    headers = request.headers
    return (
        request.method,
        request.url,
        headers.get("Accept", ""),
        headers.get("Accept-Language", ""),
        *extra,
    )


# --- in front of Flask --------------------------------------------------------------------------

NOT_IN_304 = {"content-length", "content-type", "content-encoding", "content-range"}


@dataclass(frozen=True)
class Sent:
    """A response as it went out: status line, headers, body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    last_modified: str | None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(n) + len(v) for n, v in self.headers) + 200


def _wsgi_key(environ: WSGIEnvironment, version: str) -> tuple[str, ...]:
    return (
        "wsgi",
        version,
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_HOST", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_ACCEPT", ""),
        environ.get("HTTP_ACCEPT_LANGUAGE", ""),
    )


class CachedApp:
    """WSGI middleware answering repeated GET and HEAD requests from the per-build cache."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or "HTTP_RANGE" in environ:
            return self.wsgi_app(environ, start_response)
        current: Any = self.app.extensions["eurocities_kg"]
        cache: ResponseCache = current.cache
        key = _wsgi_key(environ, current.version)
        sent = cache.get_sent(key)
        if sent is not None:
            return self._answer(sent, environ, method, start_response)
        if method == "HEAD":
            return self.wsgi_app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        if not environ.get(CACHEABLE) or not captured.get("status", "").startswith("200"):
            return body
        try:
            chunks = list(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = list(captured["headers"])
        named = {name.lower(): value for name, value in headers}
        cache.put(
            key,
            Sent(
                captured["status"],
                headers,
                b"".join(chunks),
                named.get("etag"),
                named.get("last-modified"),
            ),
        )
        return chunks

    @staticmethod
    def _answer(
        sent: Sent, environ: WSGIEnvironment, method: str, start_response: StartResponse
    ) -> Iterable[bytes]:
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        if conditional and not is_resource_modified(
            environ,
            etag=sent.etag.strip('"') if sent.etag else None,
            last_modified=parse_date(sent.last_modified) if sent.last_modified else None,
        ):
            start_response(
                "304 Not Modified",
                [(n, v) for n, v in sent.headers if n.lower() not in NOT_IN_304],
            )
            return []
        start_response(sent.status, sent.headers)
        return [] if method == "HEAD" else [sent.body]
