"""The only way this project talks to Wikidata (or any SPARQL endpoint standing in for it).

A good citizen of the Wikidata query service: a descriptive User-Agent with a contact, one batched
query per kind of question (the callers use VALUES), a timeout, and retries with exponential backoff
on 429 and 5xx answers that honour Retry-After (capped). Nothing here runs unless a command asks."""

from __future__ import annotations

import http.client
import json
import math
import socket
import time
import urllib.error
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ..errors import WikidataQueryRejected, WikidataUnavailable
from ..settings import Settings
from .terms import Row


@dataclass(frozen=True)
class ClientConfig:
    endpoint: str
    user_agent: str
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 2.0
    max_wait: float = 120.0

    @classmethod
    def from_settings(cls, settings: Settings, endpoint: str | None = None) -> ClientConfig:
        return cls(
            endpoint=endpoint or settings.wikidata_endpoint,
            user_agent=settings.wikidata_user_agent,
            timeout=settings.wikidata_timeout,
            retries=settings.wikidata_retries,
            backoff=settings.wikidata_backoff,
            max_wait=settings.wikidata_max_wait,
        )


class _Retryable(Exception):
    """A 429 or 5xx answer: worth another try, after Retry-After seconds if the server said so."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


def retry_after_seconds(header: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date; None if absent or unreadable."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _http_error(error: BaseException) -> urllib.error.HTTPError | None:
    """SPARQLWrapper turns some HTTP errors into its own exceptions, raised while handling the
    original: the status and headers are on that one (`__context__`)."""
    for candidate in (error, error.__context__):
        if isinstance(candidate, urllib.error.HTTPError):
            return candidate
    return None


def _is_timeout(error: BaseException) -> bool:
    reason = getattr(error, "reason", None)
    return isinstance(error, TimeoutError | socket.timeout) or isinstance(
        reason, TimeoutError | socket.timeout
    )


class WikidataClient:
    """SELECT queries against one endpoint; each answer as rows of SPARQL JSON bindings."""

    def __init__(self, config: ClientConfig, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self._sleep = sleep
        self.requests = 0  # how many HTTP requests were sent (for reports and tests)

    @property
    def endpoint(self) -> str:
        return self.config.endpoint

    def select(self, query: str) -> list[Row]:
        for attempt in range(self.config.retries + 1):
            try:
                return self._once(query)
            except _Retryable as answer:
                if attempt == self.config.retries:
                    raise WikidataUnavailable(
                        f"{self.endpoint} answered {answer.status} "
                        f"{attempt + 1} times; try again later"
                    ) from None
                self._sleep(self.wait(attempt, answer.retry_after))
        raise AssertionError("unreachable")  # pragma: no cover

    def wait(self, attempt: int, retry_after: float | None) -> float:
        """Retry-After when the server gave one, else exponential backoff; never above the cap."""
        wanted = retry_after if retry_after is not None else self.config.backoff * 2**attempt
        return min(wanted, self.config.max_wait)

    def _wrapper(self, query: str) -> SPARQLWrapper:
        sparql = SPARQLWrapper(self.endpoint, agent=self.config.user_agent)
        sparql.setMethod(POST)  # batched queries are long; POST has no URL length limit
        sparql.setQuery(query)
        sparql.setReturnFormat(JSON)
        sparql.setTimeout(max(1, math.ceil(self.config.timeout)))  # whole seconds
        return sparql

    def _once(self, query: str) -> list[Row]:
        self.requests += 1
        try:
            with warnings.catch_warnings():  # another content type: SPARQLWrapper warns, we refuse
                warnings.simplefilter("ignore", RuntimeWarning)
                answer: Any = self._wrapper(query).queryAndConvert()
        except (SPARQLWrapperException, OSError, http.client.HTTPException) as error:
            raise self._classify(error) from None
        except json.JSONDecodeError:
            raise WikidataQueryRejected(f"{self.endpoint} did not answer SPARQL JSON") from None
        if not isinstance(answer, dict) or "results" not in answer:
            raise WikidataQueryRejected(f"{self.endpoint} did not answer SPARQL JSON results")
        return list(answer["results"]["bindings"])

    def _classify(self, error: BaseException) -> Exception:
        answer = _http_error(error)
        if answer is not None:
            if answer.code == 429 or answer.code >= 500:
                retry_after = retry_after_seconds(answer.headers.get("Retry-After"))
                return _Retryable(answer.code, retry_after)
            return WikidataQueryRejected(f"{self.endpoint} refused the query: HTTP {answer.code}")
        if _is_timeout(error):
            return WikidataUnavailable(
                f"no answer from {self.endpoint} within {self.config.timeout:g} s"
            )
        reason = getattr(error, "reason", error)
        return WikidataUnavailable(f"cannot reach {self.endpoint}: {reason}")
