"""Why a contribution was refused: each error has a status and a message in English and French."""

from __future__ import annotations

from commons_graph.errors import CommonsGraphError, ErrorDetail
from commons_graph.i18n import translate


class ContributionError(CommonsGraphError):
    """A refused write; `key` names its message in i18n.MESSAGES."""

    status = 400

    def __init__(
        self,
        key: str,
        *,
        status: int | None = None,
        details: list[ErrorDetail] | None = None,
        focus: str | None = None,
        **values: object,
    ) -> None:
        super().__init__(translate(key, "en", **values))
        self.key = key
        self.values = values
        if status is not None:
            self.status = status
        self._details = details
        self.focus = focus

    def message(self, lang: str) -> str:
        """The message in `lang`."""
        return translate(self.key, lang, **self.values)

    def details(self, lang: str) -> list[ErrorDetail]:
        """The entries of the JSON error shape, in `lang`."""
        return self._details or [ErrorDetail(self.message(lang), focus=self.focus)]


class Unauthorised(ContributionError):
    """No valid credentials (401)."""

    status = 401


class Forbidden(ContributionError):
    """Valid credentials, but not allowed to say this (403)."""

    status = 403


class TooLarge(ContributionError):
    """The body is larger than `max_contribution_bytes` (413)."""

    status = 413


class UnsupportedMediaType(ContributionError):
    """Neither Turtle, N-Triples, JSON-LD nor a form (415)."""

    status = 415


class Conflict(ContributionError):
    """The request clashes with an earlier one (409/422)."""

    status = 409


class ContributionNotFound(ContributionError):
    """No contribution with this identifier (404)."""

    status = 404
