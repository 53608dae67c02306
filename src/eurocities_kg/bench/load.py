"""The load generator: N threads, each with one keep-alive HTTP/1.1 connection (`http.client`),
sending the same request (or cycling through a list) until a deadline; latencies per request.

Written in Python so that no system package is needed; it runs on the same 2 cores as the servers,
so every server is measured under the same client, and the bare Flask app's figure is the ceiling
this client and this WSGI stack reach together."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    paths: tuple[str, ...]  # cycled through, one after the other, per connection
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float] = field(repr=False)
    statuses: Counter[int]
    bytes: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": _round(self.percentile(0.50)),
            "p99_ms": _round(self.percentile(0.99)),
            "mean_ms": _round(statistics.fmean(self.latencies) * 1000 if self.latencies else None),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "bytes": self.bytes,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def one(host: str, port: int, request: Request, timeout: float) -> tuple[int, bytes, float]:
    """One request on a fresh connection: status, body, seconds."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request(
            request.method, request.paths[0], body=request.body, headers=dict(request.headers)
        )
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


def run_load(
    host: str,
    port: int,
    request: Request,
    *,
    connections: int = 8,
    duration: float = 5.0,
    timeout: float = 30.0,
) -> LoadResult:
    """Keep `connections` requests in flight for `duration` seconds; a request started before the
    deadline is waited for (at most `timeout`). Only 2xx/3xx answers count as requests."""
    deadline = time.perf_counter() + duration
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    totals = {"errors": 0, "bytes": 0}
    headers = dict(request.headers)
    finished: list[float] = []

    def worker(offset: int) -> None:
        mine: list[float] = []
        seen: Counter[int] = Counter()
        errors = received = 0
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        n = offset
        while time.perf_counter() < deadline:
            path = request.paths[n % len(request.paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request(request.method, path, body=request.body, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
                continue
            seen[response.status] += 1
            if response.status < 400:
                mine.append(time.perf_counter() - started)
                received += len(body)
            else:
                errors += 1
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)
            totals["errors"] += errors
            totals["bytes"] += received
            finished.append(time.perf_counter())

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + timeout + 5)
    seconds = (max(finished) if finished else time.perf_counter()) - started
    return LoadResult(
        len(latencies), totals["errors"], seconds, latencies, statuses, totals["bytes"]
    )
