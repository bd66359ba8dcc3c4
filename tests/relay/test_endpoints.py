"""The relay's plain-HTTP side without a network: exact routes and the responses' headers."""

from __future__ import annotations

import http

import pytest

from relay import endpoints
from relay.endpoints import Route
from shared.rendezvous import ErrorCode


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/v1", Route.WEBSOCKET),
        ("/healthz", Route.HEALTH),
        ("/metrics", Route.METRICS),
        *((p, Route.NOT_FOUND) for p in ("/v1/", "//v1", "/V1", "/v1?x", "/v1%2F", "/", "")),
    ],
)
def test_only_exact_paths_route(path: str, where: Route) -> None:
    assert endpoints.route(path) is where


def test_every_response_closes_and_is_never_cached() -> None:
    busy = endpoints.refusal(ErrorCode.SHUTTING_DOWN, http.HTTPStatus.SERVICE_UNAVAILABLE)
    for response in (endpoints.health(False), endpoints.health(True), endpoints.not_found(),
                     endpoints.metrics(b"x 1\n"), busy):
        assert response.headers["Connection"] == "close"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Length"] == str(len(response.body))
    assert endpoints.health(True).status_code == 503 and endpoints.health(False).body == b"ok\n"


def test_a_429_says_when_to_come_back() -> None:
    limited = endpoints.refusal(ErrorCode.RATE_LIMITED, http.HTTPStatus.TOO_MANY_REQUESTS)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "60"
    assert limited.body == b"rate_limited\n"
    full = endpoints.refusal(ErrorCode.TOO_MANY_CONNECTIONS, http.HTTPStatus.SERVICE_UNAVAILABLE)
    assert "Retry-After" not in full.headers
