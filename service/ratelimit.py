"""Per-client query limits as the Wikidata Query Service sets them: queries at once, seconds/min.

Each client (its remote address) may run ``concurrent`` queries at once; more wait their turn
in a short queue of their own (at most ``queued``, until the request's deadline), so a notebook
with a thread pool of 4-8 is served rather than refused. A full queue is refused at once.
Each client also has a bucket of query seconds that refills at ``seconds_per_minute`` a minute
and holds at most one minute's worth. A query is charged the seconds it actually took, after
it ends, so one long query can put the bucket in debt; the client's next query waits until the
debt is repaid. Counting every query, short ones included, matters: WDQS was overrun in 2017 by
many short queries when it only counted those over 10 s.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["QueryBudget", "RateLimited", "TurnNotReached"]

#: Above this many tracked clients, idle clients with a full bucket are forgotten.
_MAX_TRACKED = 10_000


class RateLimited(RuntimeError):
    """The client is over its limit; ``retry_after`` is whole seconds until it may try again."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TurnNotReached(TimeoutError):
    """The request's deadline passed while it waited behind the client's own running queries."""


@dataclass(slots=True)
class _Bucket:
    seconds: float
    updated: float
    running: int = 0
    waiting: int = 0


class QueryBudget:
    """Concurrent queries and query seconds per minute, per client key.

    :param concurrent: queries one client may run at once
    :param queued: queries one client may have waiting for a turn; beyond that, 429
    :param seconds_per_minute: query seconds one client may spend a minute (and at most at once)
    :param clock: seconds, monotonic; tests pass their own

    >>> now = [0.0]
    >>> budget = QueryBudget(concurrent=1, queued=0, seconds_per_minute=60, clock=lambda: now[0])
    >>> budget.acquire("10.0.0.1")
    >>> budget.acquire("10.0.0.1")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    RateLimited: 1 query already running for this client and 0 waiting
    >>> budget.release("10.0.0.1", 90.0)  # a 90 s query: 30 s of debt
    >>> budget.retry_after("10.0.0.1")
    30
    >>> now[0] = 31.0
    >>> budget.acquire("10.0.0.1")
    """

    def __init__(
        self,
        *,
        concurrent: int = 2,
        queued: int = 8,
        seconds_per_minute: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if concurrent < 1 or queued < 0 or seconds_per_minute <= 0:
            raise ValueError("a query budget needs at least 1 query at once and some seconds")
        self.concurrent = concurrent
        self.queued = queued
        self.capacity = seconds_per_minute
        self.rate = seconds_per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._turn = threading.Condition(self._lock)

    def _bucket(self, key: str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_TRACKED:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        else:
            bucket.seconds = min(self.capacity, bucket.seconds + (now - bucket.updated) * self.rate)
            bucket.updated = now
        return bucket

    def _forget_idle(self, now: float) -> None:
        for key, bucket in list(self._buckets.items()):
            full = bucket.seconds + (now - bucket.updated) * self.rate >= self.capacity
            if full and not bucket.running and not bucket.waiting:
                del self._buckets[key]

    def _wait_seconds(self, bucket: _Bucket) -> int:
        return max(1, math.ceil(-bucket.seconds / self.rate)) if bucket.seconds <= 0 else 1

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key``'s bucket is out of debt (at least 1)."""
        with self._lock:
            return self._wait_seconds(self._bucket(key))

    def acquire(self, key: str, deadline: float | None = None) -> None:
        """Start a query for ``key``, waiting for a turn while ``key`` runs ``concurrent`` ones.

        :param deadline: ``time.monotonic()`` after which waiting gives up; ``None``: no wait
        :raises RateLimited: when ``key`` is in debt, or its queue of waiting queries is full
        :raises TurnNotReached: when the deadline passed before a turn came
        """
        with self._turn:
            bucket = self._bucket(key)
            if bucket.seconds <= 0:
                raise RateLimited(
                    f"this client used its {self.capacity:g} s of query time a minute",
                    retry_after=self._wait_seconds(bucket),
                )
            if bucket.running >= self.concurrent:
                if deadline is None or bucket.waiting >= self.queued:
                    noun = "query" if bucket.running == 1 else "queries"
                    raise RateLimited(
                        f"{bucket.running} {noun} already running for this client and "
                        f"{bucket.waiting} waiting; the limit is {self.concurrent} at once "
                        f"and {self.queued} waiting",
                        retry_after=1,
                    )
                bucket.waiting += 1
                try:
                    while bucket.running >= self.concurrent:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            raise TurnNotReached(
                                "the request waited behind this client's own running queries "
                                "until its deadline"
                            )
                        self._turn.wait(remaining)
                finally:
                    bucket.waiting -= 1
            bucket.running += 1

    def release(self, key: str, seconds: float) -> None:
        """End a query of ``key`` that ran ``seconds``, charging them to its bucket."""
        with self._turn:
            bucket = self._bucket(key)
            bucket.running = max(0, bucket.running - 1)
            bucket.seconds -= max(0.0, seconds)
            self._turn.notify_all()

    @contextmanager
    def slot(self, key: str, deadline: float | None = None) -> Iterator[None]:
        """Run the body as one query of ``key``: wait for a turn, time it, release and charge.

        :raises RateLimited: when ``key`` is over its limit (the body does not run)
        :raises TurnNotReached: when no turn came before ``deadline`` (the body does not run)
        """
        self.acquire(key, deadline)
        started = self._clock()
        try:
            yield
        finally:
            self.release(key, self._clock() - started)
