"""Running public SPARQL queries within limits: the interface each backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from anyio import to_thread

from commons_graph.errors import BadInputError, CommonsGraphError, UnavailableError


@dataclass(frozen=True)
class QueryRequest:
    """A public query, after the protocol layer has read and checked it."""

    query: str
    # The client's Accept header (or the media type the `format` parameter names): the result
    # format is chosen once the query form (SELECT/ASK or CONSTRUCT/DESCRIBE) is known.
    accept: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised result, ready to send."""

    body: bytes
    media_type: str
    truncated: bool = False


class QueryTimeoutError(UnavailableError):
    """The query ran past the time limit and was stopped."""

    status = 503


class NotAcceptableError(CommonsGraphError):
    """The client accepts no format for this query's form (406)."""

    status = 406

    def __init__(self, offered: tuple[str, ...]) -> None:
        super().__init__("sparql.error.not_acceptable", offered=", ".join(offered))
        self.offered = offered


class WorkerCrashError(CommonsGraphError):
    """The process evaluating a query died (it was replaced); the query has no answer."""


class QueryEvaluationError(BadInputError):
    """The query parsed but its evaluation failed (a bad regex, an unreadable IRI, …)."""


class QueryExecutor(ABC):
    """Evaluates public queries so that a time limit really stops their work."""

    # How many queries it evaluates at once (its workers), or None when it has no fixed pool.
    capacity: int | None = None

    @abstractmethod
    def execute(self, request: QueryRequest, timeout: float, max_rows: int) -> QueryAnswer:
        """Evaluate `request`, stopping it after `timeout` seconds, keeping `max_rows` rows."""

    async def execute_async(
        self, request: QueryRequest, timeout: float, max_rows: int
    ) -> QueryAnswer:
        """`execute` awaited from the event loop: run in a thread, so the loop goes on."""
        return await to_thread.run_sync(self.execute, request, timeout, max_rows)

    def answer_at_once(self, request: QueryRequest, max_rows: int) -> QueryAnswer | None:
        """The answer to `request` if it can be given in this thread within the limits, else
        None (then `execute` must be called)."""
        return None

    def refresh(self) -> None:  # noqa: B027 - backends without snapshots need nothing
        """Make writes committed so far visible to the next queries."""

    def close(self) -> None:  # noqa: B027 - optional
        """Stop workers and release resources."""
