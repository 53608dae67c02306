"""A query time limit that really stops the query: the endpoint's queries run in worker processes,
and one that outlives the limit is killed.

pyoxigraph cannot cancel a query, and a thread cannot be stopped; a process can. Each web worker
keeps a pool of query processes (`python -m eurocities_kg.query_pool`), started when first needed,
each with its own read-only handle on the store. A query is sent to an idle process as a pickled
`answers.Job` over its standard input; the process runs it, writes the result (cut at the result
limit) and sends back a pickled `answers.Answer` — or the error — on its standard output. When the
deadline passes first, the process is killed (SIGKILL), a fresh one takes its place, and the query
is answered `QueryTimeout` (503): the time limit covers running the query and writing its result.

A query process ends by itself when its parent does (it watches its parent's PID), so a web worker
that is killed leaves no runaway query behind. Pickles only travel between a web worker and the
processes it started, over their private pipes: neither side reads anything a client sent as a pickle.
"""

from __future__ import annotations

import atexit
import json
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import threading
import time
import traceback
import weakref
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from .answers import Answer, Job, answer
from .errors import EurocitiesKgError, QueryBusy, QueryProcessFailed, QueryTimeout
from .store import EmbeddedStore, Store

HEADER = struct.Struct(">Q")  # the length of the pickle that follows
PARENT_CHECK_SECONDS = 0.5


class QueryRunner(Protocol):
    def run(self, job: Job) -> Answer: ...


class InlineRunner:
    """Runs a job in the calling thread, without a time limit (a store given as an object, as in
    tests)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def run(self, job: Job) -> Answer:
        return answer(self.store, job)


@dataclass(frozen=True)
class StoreSpec:
    """How a query process opens the store: an embedded store's directory, or a remote store's URL
    (store.STORE_KINDS)."""

    path: str | None = None
    url: str | None = None
    gsp: str | None = None
    timeout: float = 60.0

    def open(self) -> Store:
        if self.path is not None:
            return EmbeddedStore.open(Path(self.path))
        from .store import open_store

        assert self.url is not None
        return open_store(self.url, Path("."), gsp=self.gsp, timeout=self.timeout)


class _Expired(Exception):
    pass


class _Ended(Exception):
    pass


class _Process:
    """One query process and its two pipes."""

    def __init__(self, spec: StoreSpec, memory_mb: int) -> None:
        setup = {"store": asdict(spec), "memory_mb": memory_mb}
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "eurocities_kg.query_pool", json.dumps(setup)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.popen.stdin is not None
        assert self.popen.stdout is not None
        self._in = self.popen.stdin.fileno()
        self._out = self.popen.stdout.fileno()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def send(self, job: Job) -> None:
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            view = memoryview(HEADER.pack(len(data)) + data)
            while view:
                view = view[os.write(self._in, view) :]
        except OSError:  # BrokenPipeError: the process has ended
            raise _Ended from None

    def receive(self, deadline: float) -> object:
        (length,) = HEADER.unpack(self._read(HEADER.size, deadline))
        reply: object = pickle.loads(self._read(length, deadline))  # noqa: S301 (our child)
        return reply

    def _read(self, size: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        poller = select.poll()  # not select.select: a busy server's descriptors pass 1024
        poller.register(self._out, select.POLLIN)
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(remaining * 1000):
                raise _Expired
            chunk = os.read(self._out, min(size, 1 << 20))
            if not chunk:
                raise _Ended
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        self.popen.kill()
        self.popen.wait()
        for pipe in (self.popen.stdin, self.popen.stdout):
            if pipe is not None:
                pipe.close()


class QueryPool:
    """Up to `size` query processes over one store; `run` answers a job within `timeout` seconds
    or raises QueryTimeout (or QueryBusy when no process became free in that time). Each process
    may use `memory_mb` MiB of data memory (0: no limit); a query needing more ends it."""

    def __init__(
        self, spec: StoreSpec, size: int = 4, timeout: float = 10.0, memory_mb: int = 0
    ) -> None:
        self.spec = spec
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._idle: list[_Process] = []
        self._count = 0
        self._free = threading.Condition()
        self._all: weakref.WeakSet[_Process] = weakref.WeakSet()
        self._closer = weakref.finalize(self, _kill_all, self._all)
        self.timeouts = 0

    def pids(self) -> list[int]:
        """The query processes now running (for tests and operators)."""
        return [p.pid for p in list(self._all) if p.alive()]

    def run(self, job: Job) -> Answer:
        deadline = time.monotonic() + self.timeout
        process = self._acquire(deadline)
        try:
            process.send(job)
        except _Ended:  # it ended before the job reached it (nothing ran): once more, afresh
            self._replace(process)
            process = self._acquire(deadline)
            process.send(job)
        try:
            reply = process.receive(deadline)
        except _Expired:
            self._replace(process)
            self.timeouts += 1
            raise QueryTimeout(
                f"the query ran longer than the limit of {self.timeout:g} s and was stopped; "
                "narrow it (bind more of its patterns, add a LIMIT), or load a dump from "
                "/download/ to run it without a limit"
            ) from None
        except _Ended:
            code = process.popen.wait()
            self._replace(process)
            memory = f"the {self.memory_mb} MiB a query may use" if self.memory_mb else "memory"
            raise QueryProcessFailed(
                f"the process running the query ended (exit status {code}) while answering; "
                f"a query that ends it has most likely needed more than {memory}: narrow it"
            ) from None
        self._release(process)
        if isinstance(reply, BaseException):
            raise reply
        assert isinstance(reply, Answer)
        return reply

    def _acquire(self, deadline: float) -> _Process:
        with self._free:
            while True:
                while self._idle:
                    process = self._idle.pop()
                    if process.alive():
                        return process
                    process.kill()
                    self._count -= 1
                if self._count < self.size:
                    self._count += 1
                    return self._start()
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._free.wait(remaining):
                    raise QueryBusy(
                        f"all {self.size} query processes of this worker are busy; "
                        "try again in a few seconds"
                    )

    def _start(self) -> _Process:
        process = _Process(self.spec, self.memory_mb)
        self._all.add(process)
        return process

    def _release(self, process: _Process) -> None:
        with self._free:
            self._idle.append(process)
            self._free.notify()

    def _replace(self, process: _Process) -> None:
        """Kill a process and start its successor now, so the next query finds it ready."""
        process.kill()
        with self._free:
            self._idle.append(self._start())
            self._free.notify()

    def close(self) -> None:
        self._closer()


def _kill_all(processes: weakref.WeakSet[_Process]) -> None:
    for process in list(processes):
        if process.alive():
            process.kill()


_POOLS: weakref.WeakSet[QueryPool] = weakref.WeakSet()


@atexit.register
def _close_pools() -> None:
    for pool in list(_POOLS):
        pool.close()


def open_pool(spec: StoreSpec, size: int, timeout: float, memory_mb: int) -> QueryPool:
    pool = QueryPool(spec, size, timeout, memory_mb)
    _POOLS.add(pool)
    return pool


# --- the query process --------------------------------------------------------------------------


def _end_with_parent() -> None:
    """Exit when the parent is gone (this process is then adopted by another)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve_jobs(spec: StoreSpec, jobs: BinaryIO, replies: BinaryIO) -> None:
    """Answer jobs until the parent closes the pipe."""
    store: Store | EurocitiesKgError
    try:
        store = spec.open()
    except EurocitiesKgError as error:
        store = error
    while (header := _read_exactly(jobs, HEADER.size)) is not None:
        payload = _read_exactly(jobs, HEADER.unpack(header)[0])
        if payload is None:
            return
        reply: object
        try:
            if isinstance(store, EurocitiesKgError):
                raise store
            reply = answer(store, pickle.loads(payload))  # noqa: S301 (our parent)
        except EurocitiesKgError as error:
            reply = error
        except Exception as error:  # a defect: logged here, a 500 there
            traceback.print_exc()
            reply = RuntimeError(f"the query process failed: {type(error).__name__}: {error}")
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        replies.write(HEADER.pack(len(data)) + data)
        replies.flush()


def main() -> None:
    setup = json.loads(sys.argv[1])
    if setup["memory_mb"] > 0:  # heap and anonymous mappings; an allocation beyond it ends us
        limit = setup["memory_mb"] * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    spec = StoreSpec(**setup["store"])
    _end_with_parent()
    # Replies go to a private copy of standard output; anything else printed goes to stderr.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve_jobs(spec, sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
