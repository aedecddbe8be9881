"""The SPARQL 1.1 Protocol for queries, on plain ASGI values: reading a request, running it.

Both the ASGI layer that answers tools (`web/query_answers.py`) and the `/sparql` route (the
editor, the service description) use these functions, so a request means the same on either
path. Errors are `ProtocolError`s (status, message key, values): whoever renders one puts it in
the caller's language.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from starlette.requests import Request
from starlette.types import Message, Receive

from commons_graph.rdf.conneg import negotiate
from commons_graph.sparql.executor import (
    NotAcceptableError,
    QueryAnswer,
    QueryEvaluationError,
    QueryRequest,
    QueryTimeoutError,
    WorkerCrashError,
)
from commons_graph.sparql.limits import TooManyQueriesError
from commons_graph.sparql.negotiation import (
    ALL_MEDIA_TYPES,
    FORMAT_PARAMETER,
    accept_for_format,
    acceptable_at_all,
)
from commons_graph.sparql.safety import ForbiddenClauseError
from commons_graph.sparql.updates import looks_like_update
from commons_graph.store.errors import QuerySyntaxError
from commons_graph.web.errors import HttpError
from commons_graph.web.services import Services

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
HTML = "text/html"
RESULTS_OFFERED = "JSON, XML, CSV, TSV, Turtle"


class ProtocolError(HttpError):
    """A request the endpoint refuses: `status`, the message `key` and its values."""

    def __init__(
        self,
        status: int,
        key: str,
        *,
        headers: dict[str, str] | None = None,
        detail_value: str | None = None,
        **values: object,
    ) -> None:
        super().__init__(status, key, headers=headers, value=detail_value)
        self.values = values


def as_http_error(error: ProtocolError, request: Request) -> HttpError:
    """`error` as raised by a route (its message is translated when it is answered)."""
    return error


@dataclass(frozen=True)
class ProtocolRequest:
    """What a request to /sparql asks for, once read."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None


@dataclass
class BodyReader:
    """Reads a request body from ASGI `receive`, refusing it (413) past `max_bytes`; keeps what
    it read so that the request can be passed on to the app (`replay`)."""

    receive: Receive
    max_bytes: int
    declared_length: str | None = None
    read: bytes | None = field(default=None, init=False)

    async def __call__(self) -> bytes:
        """The whole body."""
        declared = self.declared_length
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise ProtocolError(413, "sparql.too_large", limit=self.max_bytes)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self.receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise ProtocolError(413, "sparql.too_large", limit=self.max_bytes)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        self.read = b"".join(chunks)
        return self.read

    def replay(self) -> Receive:
        """A `receive` giving the body read so far (if any) again, then the rest of the stream."""
        if self.read is None:
            return self.receive
        pending: list[Message] = [{"type": "http.request", "body": self.read, "more_body": False}]

        async def replayed() -> Message:
            return pending.pop() if pending else await self.receive()

        return replayed


async def read_protocol(
    method: str,
    query_string: str,
    headers: Mapping[str, str],
    read_body: Callable[[], Awaitable[bytes]],
    max_bytes: int,
) -> ProtocolRequest:
    """Read the query and dataset from the URL and body; refuse updates and oversized input."""
    if len(query_string.encode()) > max_bytes:
        raise ProtocolError(413, "sparql.too_large", limit=max_bytes)
    params = parse_form(query_string)
    query: str | None = None
    if method == "POST":
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == _UPDATE:
            raise ProtocolError(403, "sparql.update_forbidden")
        if media_type not in (_FORM, _QUERY):
            raise ProtocolError(
                415, "sparql.unsupported_media_type", media_type=media_type or "nothing"
            )
        text = (await read_body()).decode("utf-8", errors="replace")
        if media_type == _QUERY:
            query = text
        else:
            params += parse_form(text)
    if any(name == "update" for name, _ in params):
        raise ProtocolError(403, "sparql.update_forbidden")
    queries = [value for name, value in params if name == "query"]
    if query is None:
        if len(queries) > 1:
            raise ProtocolError(400, "sparql.repeated_parameter", name="query")
        query = queries[0] if queries else None
    elif queries:
        raise ProtocolError(400, "sparql.repeated_parameter", name="query")
    if method == "POST" and not (query or "").strip():
        raise ProtocolError(400, "sparql.missing_query")
    if query is not None and len(query.encode()) > max_bytes:
        raise ProtocolError(413, "sparql.too_large", limit=max_bytes)
    formats = [value for name, value in params if name == "format"]
    return ProtocolRequest(
        query=query if query is None or query.strip() else None,
        default_graphs=tuple(v for n, v in params if n == "default-graph-uri"),
        named_graphs=tuple(v for n, v in params if n == "named-graph-uri"),
        format=formats[0] if formats and formats[0] else None,
    )


# A `%` that does not start an escape (two hex digits).
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def parse_form(text: str) -> list[tuple[str, str]]:
    """`urllib.parse.parse_qsl(text, keep_blank_values=True)`, the same pairs, faster.

    Decoding a query's percent escapes in Python (`unquote`) was a tenth of a cold lookup's
    CPU; `_unquote_plus` has C decode them whenever that gives the same text
    (`tests/web/test_form_reading.py` checks the two agree).
    """
    pairs: list[tuple[str, str]] = []
    for field_ in text.split("&"):
        if not field_:
            continue
        name, _, value = field_.partition("=")
        pairs.append((_unquote_plus(name), _unquote_plus(value)))
    return pairs


def _unquote_plus(text: str) -> str:
    """`urllib.parse.unquote_plus(text)`: with only ASCII, whole escapes and none of `=`, CR and
    LF (which quoted-printable reads otherwise), `%XX` is quoted-printable's `=XX`."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    if (
        "=" in text
        or "\r" in text
        or "\n" in text
        or not text.isascii()
        or _LONE_PERCENT.search(text)
    ):
        return unquote_plus(text)
    return binascii.a2b_qp(text.replace("%", "=")).decode("utf-8", errors="replace")


def requested_accept(read: ProtocolRequest, accept: str | None) -> str | None:
    """The Accept header to answer: the `format` parameter's equivalent wins over the header."""
    if read.format is None:
        return accept
    chosen = accept_for_format(read.format)
    if chosen is None:
        known = ", ".join(FORMAT_PARAMETER)
        raise ProtocolError(400, "sparql.unknown_format", name=read.format, known=known)
    return chosen


def wants_editor(read: ProtocolRequest, accept: str | None) -> bool:
    """Whether a browser sent the query: it gets the editor showing the results, not data."""
    return read.format is None and negotiate(accept, (*ALL_MEDIA_TYPES, HTML)) == HTML


async def answer_query(
    services: Services, read: ProtocolRequest, accept: str | None, client: str
) -> QueryAnswer:
    """The query's results in a format `accept` takes (406 if none), within the limits."""
    if not acceptable_at_all(accept):
        raise ProtocolError(406, "sparql.not_acceptable", offered=RESULTS_OFFERED)
    return await _run_query(services, read, accept or "*/*", client)


async def _run_query(
    services: Services, read: ProtocolRequest, accept: str, client: str
) -> QueryAnswer:
    """Evaluate the query within the limits: a small lookup here, anything else in the executor.

    Graphs named by `default-graph-uri`, `named-graph-uri`, FROM or FROM NAMED that the store
    does not hold are empty graphs (SPARQL 1.1 Protocol): nothing is fetched, nothing refused.
    """
    settings = services.settings
    assert read.query is not None
    limiter = services.query_limiter
    executor = services.executor
    job = QueryRequest(read.query, accept, read.default_graphs, read.named_graphs)
    seconds = seconds_text(settings.query_timeout)
    try:
        # A lookup whose answer is small (sparql/bounded.py) is answered here, in the event
        # loop: it takes no slot, since such lookups run one at a time and cannot pile up.
        answer = executor.answer_at_once(job, settings.max_result_rows)
        if answer is not None:
            return answer
        with limiter.slot(client):
            # The event loop waits for the worker (no thread, when nothing would block it).
            return await executor.execute_async(
                job, settings.query_timeout, settings.max_result_rows
            )
    except TooManyQueriesError:
        raise ProtocolError(
            429, "sparql.too_many_queries", limit=limiter.limit, headers={"Retry-After": "1"}
        ) from None
    except QueryTimeoutError as error:
        key = "sparql.busy" if error.key == "sparql.error.busy" else "sparql.timeout"
        raise ProtocolError(503, key, seconds=seconds, headers={"Retry-After": "5"}) from None
    except QuerySyntaxError as error:
        if looks_like_update(read.query):
            raise ProtocolError(403, "sparql.update_forbidden") from None
        raise ProtocolError(400, "sparql.syntax", detail=str(error)) from None
    except ForbiddenClauseError as error:
        key = "sparql.unchecked_clause" if error.unchecked else "sparql.forbidden_clause"
        raise ProtocolError(400, key, clause=error.clause) from None
    except QueryEvaluationError as error:
        raise ProtocolError(400, "sparql.evaluation", detail=str(error)) from None
    except NotAcceptableError as error:
        offered = ", ".join(error.offered)
        raise ProtocolError(406, "sparql.not_acceptable", offered=offered) from None
    except WorkerCrashError:
        raise ProtocolError(500, "sparql.worker_crashed") from None


def seconds_text(value: float) -> str:
    """A number of seconds without a useless `.0` (the time limit, in messages and pages)."""
    return f"{value:g}"


def answer_headers(answer: QueryAnswer) -> list[tuple[str, str]]:
    """The headers an answer is sent with: its type (text with its charset), Vary, the cut."""
    media_type = answer.media_type
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    headers = [("content-type", media_type), ("vary", "Accept")]
    if answer.truncated:
        headers.append(("x-result-truncated", "true"))
    return headers
