"""Per-client limits (WDQS model): one client looping expensive queries gets 429, others don't."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from flask import Flask

from msckg.service.app import close_app, create_app
from msckg.service.ratelimit import QueryBudget, RateLimited
from msckg.service.settings import Settings

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d rdfs:label ?f }"
SIMPLE = "ASK { ent:VEGF rdfs:label ?l }"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_client_may_run_only_its_concurrent_queries() -> None:
    budget = QueryBudget(concurrent=2, seconds_per_minute=60, clock=Clock())
    budget.acquire("a")
    budget.acquire("a")
    with pytest.raises(RateLimited) as refused:
        budget.acquire("a")
    assert refused.value.retry_after == 1
    budget.acquire("b")
    budget.release("a", 0.1)
    budget.acquire("a")


def test_query_seconds_are_charged_and_refill_at_the_budget_rate() -> None:
    clock = Clock()
    budget = QueryBudget(concurrent=2, seconds_per_minute=60, clock=clock)
    with budget.slot("a"):
        clock.now += 75.0
    with pytest.raises(RateLimited) as refused:
        budget.acquire("a")
    assert refused.value.retry_after == 15
    with budget.slot("b"):
        pass
    clock.now += 16.0
    budget.acquire("a")


def test_the_bucket_holds_at_most_one_minute_of_query_time() -> None:
    clock = Clock()
    budget = QueryBudget(concurrent=1, seconds_per_minute=60, clock=clock)
    clock.now += 3600.0
    with budget.slot("a"):
        clock.now += 61.0
    with pytest.raises(RateLimited):
        budget.acquire("a")


def test_many_short_queries_count_too() -> None:
    clock = Clock()
    budget = QueryBudget(concurrent=1, seconds_per_minute=6, clock=clock)
    # Back to back, 0.1 s each: 1 s of query time a second against 0.1 s of refill.
    ran = 0
    with pytest.raises(RateLimited):
        for _ in range(100):
            with budget.slot("a"):
                clock.now += 0.1
            ran += 1
    assert 60 < ran < 100


@pytest.fixture(scope="module")
def stingy_app(service_settings: Settings) -> Iterator[Flask]:
    """An app whose clients have a tenth of a second of query time a minute."""
    app = create_app(service_settings.with_(query_seconds_per_minute=0.1, timeout=60.0))
    yield app
    close_app(app)


def _sparql(app: Flask, client_address: str, query: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    return client.get(
        "/sparql", query_string={"query": query}, environ_base={"REMOTE_ADDR": client_address}
    )


def test_a_client_looping_expensive_queries_gets_429_while_another_is_served(
    stingy_app: Flask,
) -> None:
    statuses = []
    for _ in range(20):
        response = _sparql(stingy_app, "10.0.0.1", EXPENSIVE)
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    assert set(statuses[:-1]) <= {200}
    assert int(response.headers["Retry-After"]) >= 1
    body = json.loads(response.data)
    assert body["error"] == "rate_limited"
    assert body["request_id"] == response.headers["X-Request-Id"]
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]

    other = _sparql(stingy_app, "10.0.0.2", SIMPLE)
    assert other.status_code == 200
    assert json.loads(other.data)["boolean"] is True
    again = _sparql(stingy_app, "10.0.0.1", SIMPLE)
    assert again.status_code == 429


def test_named_queries_share_the_budget(stingy_app: Flask) -> None:
    for _ in range(20):
        if _sparql(stingy_app, "10.0.0.3", EXPENSIVE).status_code == 429:
            break
    client = stingy_app.test_client()
    response = client.get(
        "/api/queries/entity_statements",
        query_string={"entity": "ent:VEGF"},
        environ_base={"REMOTE_ADDR": "10.0.0.3"},
    )
    assert response.status_code == 429
    assert response.headers["Retry-After"]


def test_the_defaults_follow_wdqs() -> None:
    settings = Settings.from_env({})
    assert (settings.max_concurrent_queries, settings.query_seconds_per_minute) == (2, 60.0)
    tuned = Settings.from_env(
        {"MSCKG_MAX_CONCURRENT_QUERIES": "5", "MSCKG_QUERY_SECONDS_PER_MINUTE": "120"}
    )
    assert (tuned.max_concurrent_queries, tuned.query_seconds_per_minute) == (5, 120.0)


def _readme_settings_table() -> dict[str, str]:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `MSCKG_([A-Z_]+)` \| `([^`]*)` \|", readme, flags=re.MULTILINE))


def test_the_readme_settings_table_is_the_settings_defaults() -> None:
    table = _readme_settings_table()
    defaults = Settings.from_env({}, data_dir=Path("/unused"))
    # Settings that the table leaves to other sections: the data dir, the remote store and the
    # update token and allow-list (see "Remote stores" and "SPARQL Update").
    elsewhere = {"data_dir", "read_only", "update_token", "fetch_allow_list"}
    documented = {
        field.name
        for field in fields(Settings)
        if field.name not in elsewhere and not field.name.startswith("store")
    }
    assert {name.lower() for name in table} == documented
    for name, default in table.items():
        assert default == str(getattr(defaults, name.lower())), name
