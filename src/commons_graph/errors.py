"""The project's error hierarchy: each error is a message key and values, shown in any language."""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.i18n import translate


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


class CommonsGraphError(Exception):
    """Base of every error the project raises on purpose: `key` names its message in the i18n
    registry, `values` fill it in; `str(error)` is the English text."""

    status = 500

    def __init__(
        self,
        key: str,
        *,
        status: int | None = None,
        details: list[ErrorDetail] | None = None,
        focus: str | None = None,
        path: str | None = None,
        value: str | None = None,
        **values: object,
    ) -> None:
        super().__init__(key)
        self.key = key
        self.values: dict[str, object] = values
        if status is not None:
            self.status = status
        self._details = details
        self.focus = focus
        self.path = path
        self.value = value

    def __str__(self) -> str:
        """The English message: what logs and the command line show."""
        return self.message("en")

    def message(self, lang: str) -> str:
        """The message in `lang`."""
        return translate(self.key, lang, **self.values)

    def details(self, lang: str) -> list[ErrorDetail]:
        """The entries of the JSON error shape, in `lang`."""
        if self._details:
            return self._details
        return [ErrorDetail(self.message(lang), self.focus, self.path, self.value)]


class BadInputError(CommonsGraphError):
    """The caller sent something unreadable or malformed (400)."""

    status = 400


class ForbiddenError(CommonsGraphError):
    """Valid credentials, but not allowed to do this (403)."""

    status = 403


class NotFoundError(CommonsGraphError):
    """The thing asked for does not exist (404)."""

    status = 404


class ConflictError(CommonsGraphError):
    """The request clashes with the state of the store or an earlier request (409)."""

    status = 409


class TooLargeError(CommonsGraphError):
    """The request is larger than a configured limit (413)."""

    status = 413


class UnprocessableError(BadInputError):
    """Readable, but refused by the rules (422)."""

    status = 422


class TooManyError(CommonsGraphError):
    """Too many requests from one client or member (429)."""

    status = 429


class UnavailableError(CommonsGraphError):
    """The service cannot answer now (503): busy, timed out, or a backend is down."""

    status = 503


def error_body(status: int, errors: list[ErrorDetail]) -> dict[str, object]:
    """The JSON error shape every endpoint answers with: {ok, status, errors[]}."""
    return {"ok": False, "status": status, "errors": [e.as_dict() for e in errors]}
