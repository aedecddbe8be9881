"""What the routes share for the life of the app: settings, store, query executor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from commons_graph.config import Settings
from commons_graph.store.base import Store


@dataclass
class Services:
    """The core objects the routes call, created by the app's lifespan."""

    settings: Settings
    store: Store
    # Filled by the parts that need them (query executor, templates, rate limiter, …).
    extras: dict[str, Any] = field(default_factory=dict)


def get_services(request: Request) -> Services:
    """FastAPI dependency: the app's services."""
    services: Services = request.app.state.services
    return services
