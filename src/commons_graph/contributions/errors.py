"""Why a contribution was refused: a status and a message key (contributions/messages.py)."""

from __future__ import annotations

from commons_graph.errors import (
    CommonsGraphError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    TooLargeError,
)


class ContributionError(CommonsGraphError):
    """A refused write; `key` names its message in the i18n registry."""

    status = 400


class Unauthorised(ContributionError):
    """No valid credentials (401)."""

    status = 401
    headers = {"WWW-Authenticate": "Bearer"}  # noqa: RUF012 - read only, by the error handler


class Forbidden(ContributionError, ForbiddenError):
    """Valid credentials, but not allowed to say this (403)."""

    status = 403


class TooLarge(ContributionError, TooLargeError):
    """The body is larger than `max_contribution_bytes` (413)."""

    status = 413


class UnsupportedMediaType(ContributionError):
    """Neither Turtle, N-Triples, JSON-LD nor a form (415)."""

    status = 415


class Conflict(ContributionError, ConflictError):
    """The request clashes with an earlier one (409/422)."""

    status = 409


class ContributionNotFound(ContributionError, NotFoundError):
    """No contribution with this identifier (404)."""

    status = 404
