"""The project's error hierarchy: each error is one clear line for the person who caused it."""

from __future__ import annotations

from dataclasses import dataclass


class CommonsGraphError(Exception):
    """Base of every error the project raises on purpose."""

    status = 500


class BadInputError(CommonsGraphError):
    """The caller sent something unreadable or malformed."""

    status = 400


class NotFoundError(CommonsGraphError):
    """The thing asked for does not exist."""

    status = 404


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of the JSON error shape: what is wrong, and where."""

    message: str
    focus: str | None = None
    path: str | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The entry as it appears in JSON, in the pinned key order."""
        keys = ("focus", "path", "value", "message")
        return {key: getattr(self, key) for key in keys}


def error_body(status: int, errors: list[ErrorDetail]) -> dict[str, object]:
    """The JSON error shape every endpoint answers with: {ok, status, errors[]}."""
    return {"ok": False, "status": status, "errors": [e.as_dict() for e in errors]}
