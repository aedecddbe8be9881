"""`/sparql`: the SPARQL 1.1 Protocol (queries only), the service description and the editor."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from commons_graph.conneg import negotiate
from commons_graph.errors import ErrorDetail
from commons_graph.i18n import translate
from commons_graph.prefixes import PREFIXES, sparql_prologue
from commons_graph.sparql.description import service_description
from commons_graph.sparql.examples import example_queries
from commons_graph.sparql.executor import (
    NotAcceptableError,
    QueryAnswer,
    QueryEvaluationError,
    QueryExecutor,
    QueryRequest,
    QueryTimeoutError,
)
from commons_graph.sparql.graphs import GraphCatalogue
from commons_graph.sparql.limits import ClientLimiter, TooManyQueriesError
from commons_graph.sparql.negotiation import (
    ALL_MEDIA_TYPES,
    FORMAT_PARAMETER,
    accept_for_format,
    acceptable_at_all,
)
from commons_graph.sparql.safety import ForbiddenClauseError, check_query
from commons_graph.sparql.updates import looks_like_update
from commons_graph.store.base import QuerySyntaxError
from commons_graph.web.errors import HttpError, request_language
from commons_graph.web.services import Services
from commons_graph.web.templating import render

log = logging.getLogger("commons_graph.sparql")

router = APIRouter()


def open_sparql(services: Services) -> None:
    """Create what the endpoint needs for the life of the app: executor, graph list, limiter."""
    from commons_graph.sparql.factory import make_executor

    services.extras["graphs"] = GraphCatalogue(services.store)
    services.extras["query_limiter"] = ClientLimiter(services.settings.max_concurrent_queries)
    services.extras["executor"] = make_executor(services.settings, services.store)


def close_sparql(services: Services) -> None:
    """Stop the executor's workers."""
    executor: QueryExecutor | None = services.extras.pop("executor", None)
    if executor is not None:
        executor.close()


_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_HTML = "text/html"
# What GET /sparql without a query offers: RDF for tools (Turtle first), the editor for browsers.
_DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    _HTML: "html",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
# The editor page shows results itself when JavaScript is off: it asks for these.
_PAGE_ACCEPT = "application/sparql-results+json, text/turtle"


@dataclass(frozen=True)
class ProtocolRequest:
    """What a request to /sparql asks for, once read."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _error(request: Request, status: int, key: str, **values: Any) -> HttpError:
    """An HttpError whose message is `key` in the caller's language."""
    headers = values.pop("headers", None)
    detail = values.pop("detail_value", None)
    message = translate(key, request_language(request), **values)
    return HttpError(status, message, [ErrorDetail(message, value=detail)], headers)


@router.api_route("/sparql", methods=["GET", "POST"], include_in_schema=False)
async def sparql_endpoint(request: Request) -> Response:
    """Answer a SPARQL query; without one, describe the service (RDF) or show the editor."""
    services = _services(request)
    settings = services.settings
    read = await _read_protocol(request, settings.max_query_bytes)
    accept = request.headers.get("accept")
    if read.format is not None:
        accept = accept_for_format(read.format)
        if accept is None:
            known = ", ".join(FORMAT_PARAMETER)
            raise _error(request, 400, "sparql.unknown_format", name=read.format, known=known)
    if read.query is None:
        return _describe_or_edit(request, accept)
    # Browsers get the editor showing the results; tools that accept anything get data.
    if read.format is None and negotiate(accept, (*ALL_MEDIA_TYPES, _HTML)) == _HTML:
        return await _editor_with_results(request, read)
    if not acceptable_at_all(accept):
        raise _error(request, 406, "sparql.not_acceptable", offered="JSON, XML, CSV, TSV, Turtle")
    answer = await _run(request, read, accept or "*/*")
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-Result-Truncated"] = "true"
    return Response(answer.body, media_type=answer.media_type, headers=headers)


async def _read_protocol(request: Request, max_bytes: int) -> ProtocolRequest:
    """Read the query and dataset from the URL and body; refuse updates and oversized input."""
    if len(request.url.query.encode()) > max_bytes:
        raise _error(request, 413, "sparql.too_large", limit=max_bytes)
    params = list(request.query_params.multi_items())
    query: str | None = None
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == _UPDATE:
            raise _error(request, 403, "sparql.update_forbidden")
        if media_type not in (_FORM, _QUERY):
            raise _error(
                request, 415, "sparql.unsupported_media_type", media_type=media_type or "nothing"
            )
        body = await _read_body(request, max_bytes)
        text = body.decode("utf-8", errors="replace")
        if media_type == _QUERY:
            query = text
        else:
            params += parse_qsl(text, keep_blank_values=True)
    if any(name == "update" for name, _ in params):
        raise _error(request, 403, "sparql.update_forbidden")
    queries = [value for name, value in params if name == "query"]
    if query is None:
        if len(queries) > 1:
            raise _error(request, 400, "sparql.repeated_parameter", name="query")
        query = queries[0] if queries else None
    elif queries:
        raise _error(request, 400, "sparql.repeated_parameter", name="query")
    if request.method == "POST" and not (query or "").strip():
        raise _error(request, 400, "sparql.missing_query")
    if query is not None and len(query.encode()) > max_bytes:
        raise _error(request, 413, "sparql.too_large", limit=max_bytes)
    formats = [value for name, value in params if name == "format"]
    return ProtocolRequest(
        query=query if query is None or query.strip() else None,
        default_graphs=tuple(v for n, v in params if n == "default-graph-uri"),
        named_graphs=tuple(v for n, v in params if n == "named-graph-uri"),
        format=formats[0] if formats and formats[0] else None,
    )


async def _read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `max_bytes`."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _error(request, 413, "sparql.too_large", limit=max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _error(request, 413, "sparql.too_large", limit=max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


async def _run(request: Request, read: ProtocolRequest, accept: str) -> QueryAnswer:
    """Check the query's safety and limits, then evaluate it in the executor."""
    services = _services(request)
    settings = services.settings
    assert read.query is not None
    catalogue: GraphCatalogue = services.extras["graphs"]
    try:
        check_query(read.query, catalogue.__contains__)
    except ForbiddenClauseError as error:
        raise _forbidden(request, error) from None
    for name, iris in (
        ("default-graph-uri", read.default_graphs),
        ("named-graph-uri", read.named_graphs),
    ):
        for iri in iris:
            if iri not in catalogue:
                raise _error(
                    request, 400, "sparql.foreign_graph", clause=name, iri=iri, detail_value=iri
                )
    limiter: ClientLimiter = services.extras["query_limiter"]
    executor: QueryExecutor = services.extras["executor"]
    job = QueryRequest(read.query, accept, read.default_graphs, read.named_graphs)
    client = request.client.host if request.client else "unknown"
    seconds = _seconds(settings.query_timeout)
    try:
        with limiter.slot(client):
            answer = executor.answer_at_once(job, settings.max_result_rows)
            if answer is not None:
                return answer
            return await run_in_threadpool(
                executor.execute, job, settings.query_timeout, settings.max_result_rows
            )
    except TooManyQueriesError:
        raise _error(
            request,
            429,
            "sparql.too_many_queries",
            limit=limiter.limit,
            headers={"Retry-After": "1"},
        ) from None
    except QueryTimeoutError as error:
        key = "sparql.busy" if str(error) == "busy" else "sparql.timeout"
        raise _error(request, 503, key, seconds=seconds, headers={"Retry-After": "5"}) from None
    except QuerySyntaxError as error:
        if looks_like_update(read.query):
            raise _error(request, 403, "sparql.update_forbidden") from None
        raise _error(request, 400, "sparql.syntax", detail=str(error)) from None
    except QueryEvaluationError as error:
        raise _error(request, 400, "sparql.evaluation", detail=str(error)) from None
    except NotAcceptableError as error:
        offered = ", ".join(error.offered)
        raise _error(request, 406, "sparql.not_acceptable", offered=offered) from None


def _forbidden(request: Request, error: ForbiddenClauseError) -> HttpError:
    """The 400 for a SERVICE, LOAD or foreign FROM clause."""
    if error.iri is not None:
        return _error(
            request,
            400,
            "sparql.foreign_graph",
            clause=error.clause,
            iri=error.iri,
            detail_value=error.iri,
        )
    key = "sparql.unchecked_clause" if error.unchecked else "sparql.forbidden_clause"
    return _error(request, 400, key, clause=error.clause)


def _seconds(value: float) -> str:
    """A number of seconds without a useless `.0`."""
    return f"{value:g}"


def _endpoint_url(request: Request) -> str:
    """The absolute URL of this endpoint, as the client reached it."""
    return str(request.base_url).rstrip("/") + "/sparql"


def _describe_or_edit(request: Request, accept: str | None) -> Response:
    """GET /sparql without a query: the service description in RDF, or the editor page."""
    chosen = negotiate(accept, tuple(_DESCRIPTION_TYPES))
    if chosen is None:
        offered = ", ".join(_DESCRIPTION_TYPES)
        raise _error(request, 406, "sparql.not_acceptable", offered=offered)
    if chosen == _HTML:
        return _editor_page(request, query=None)
    services = _services(request)
    endpoint = _endpoint_url(request)
    void_url = str(request.base_url).rstrip("/") + "/.well-known/void"
    graphs = sorted(services.extras["graphs"].graphs())
    graph = service_description(endpoint, void_url, services.settings.base_iri, graphs)
    body = graph.serialize(format=_DESCRIPTION_TYPES[chosen], encoding="utf-8")
    media_type = chosen + ("; charset=utf-8" if chosen.startswith("text/") else "")
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def _editor_page(
    request: Request, query: str | None, results: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """The query editor (YASGUI, degrading to a plain form), with optional server-side results."""
    lang = request_language(request)
    settings = _services(request).settings
    examples = [
        {
            "name": e.name,
            "title": e.title(lang),
            "description": e.description(lang),
            "query": e.query,
        }
        for e in example_queries()
    ]
    default_query = sparql_prologue() + "\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 25\n"
    context = {
        "query": query,
        "initial_query": query or default_query,
        "examples": examples,
        "prefixes": PREFIXES,
        "examples_map": {e["name"]: e["query"] for e in examples},
        "endpoint": _endpoint_url(request),
        "results": results,
        "max_rows": settings.max_result_rows,
        "timeout": _seconds(settings.query_timeout),
    }
    alternates = [("Turtle", "text/turtle", "/sparql?format=ttl")] if query is None else []
    return render(request, "sparql.html", context, status=status, alternates=alternates)


async def _editor_with_results(request: Request, read: ProtocolRequest) -> Response:
    """A browser sent a query: show the editor with it, and its results as a plain table."""
    answer = await _run(request, read, _PAGE_ACCEPT)
    results: dict[str, Any] = {"truncated": answer.truncated}
    if answer.media_type.startswith("application/sparql-results+json"):
        data = json.loads(answer.body)
        if "boolean" in data:
            results["boolean"] = data["boolean"]
        else:
            variables = data["head"]["vars"]
            results["variables"] = variables
            results["rows"] = [
                [binding.get(v, {}).get("value", "") for v in variables]
                for binding in data["results"]["bindings"]
            ]
    else:
        results["graph"] = answer.body.decode("utf-8")
    return _editor_page(request, read.query, results)
