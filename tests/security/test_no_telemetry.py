"""Nothing about a request leaves the machine, whatever the environment configures.

Threat: FastAPI's built-in OpenTelemetry traces requests and records exceptions, with
their messages (which can quote a user's words), to whatever exporter the environment
sets up: a global tracer provider, or ``FASTAPI_OTEL_AUTO_CONFIGURE=true`` with an OTLP
endpoint, as a shared server or container image may well have. Mend turns every switch
of it off (web/app.py ``NO_TELEMETRY``).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace

from mend.app import App
from mend.web.app import create_app


@pytest.fixture
def backend() -> str:
    return "sqlite"


def test_no_request_is_traced_even_when_the_environment_sets_up_a_tracer(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Any] = []

    class Recording(trace.TracerProvider):
        """A configured provider, as an SDK or a vendor's agent would install."""

        def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
            asked.append(args)
            return trace.NoOpTracer()

    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: Recording())
    with TestClient(create_app(app)) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/people/999").status_code == 404
    assert asked == []
