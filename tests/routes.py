"""The web app's route table, walked through included routers (for tests generated from it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from starlette.routing import Route


def all_routes(routes: Iterable[Any], prefix: str = "") -> Iterator[Route]:
    """Every plain route (page or API), however deeply its router was included."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from all_routes(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, Route):
            if prefix and not route.path.startswith(prefix):
                route = Route(prefix + route.path, route.endpoint, methods=route.methods)
            yield route
