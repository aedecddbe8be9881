"""`/sparql`: the SPARQL 1.1 Protocol (queries only), the service description and the editor."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.rdf.conneg import negotiate
from commons_graph.rdf.prefixes import PREFIXES, sparql_prologue
from commons_graph.sparql.description import service_description
from commons_graph.sparql.examples import example_queries
from commons_graph.sparql.extensions import supported
from commons_graph.store.derived import derived
from commons_graph.web.deps import get_services, render
from commons_graph.web.errors import request_language
from commons_graph.web.public import public_url
from commons_graph.web.response_cache import cacheable
from commons_graph.web.sparql_protocol import (
    HTML,
    BodyReader,
    ProtocolError,
    ProtocolRequest,
    answer_headers,
    answer_query,
    as_http_error,
    read_protocol,
    requested_accept,
    seconds_text,
    wants_editor,
)

router = APIRouter()


# What GET /sparql without a query offers: RDF for tools (Turtle first), the editor for browsers.
_DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    HTML: "html",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
# The editor page shows results itself when JavaScript is off: it asks for these.
_PAGE_ACCEPT = "application/sparql-results+json, text/turtle"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.api_route("/sparql", methods=["GET", "POST"], include_in_schema=False)
@cacheable(body=True)
async def sparql_endpoint(request: Request) -> Response:
    """Without a query, describe the service (RDF) or show the editor; a browser's query gets
    the editor showing its results. Tools' queries are answered before the framework
    (web/query_answers.py), with the same functions as here."""
    settings = get_services(request).settings
    max_bytes = settings.max_query_bytes
    body = BodyReader(request.receive, max_bytes, request.headers.get("content-length"))
    try:
        read = await read_protocol(
            request.method, request.url.query, request.headers, body, max_bytes
        )
        accept = requested_accept(read, request.headers.get("accept"))
        if read.query is None:
            return _describe_or_edit(request, accept)
        if wants_editor(read, accept):
            return await _editor_with_results(request, read)
        answer = await answer_query(get_services(request), read, accept, _client(request))
    except ProtocolError as error:
        raise as_http_error(error, request) from None
    return Response(answer.body, headers=dict(answer_headers(answer)))


def _endpoint_url(request: Request) -> str:
    """The absolute public URL of this endpoint (from the settings, never the Host header)."""
    return public_url(request, "/sparql")


def _describe_or_edit(request: Request, accept: str | None) -> Response:
    """GET /sparql without a query: the service description in RDF, or the editor page."""
    chosen = negotiate(accept, tuple(_DESCRIPTION_TYPES))
    if chosen is None:
        offered = ", ".join(_DESCRIPTION_TYPES)
        raise as_http_error(ProtocolError(406, "sparql.not_acceptable", offered=offered), request)
    if chosen == HTML:
        return _editor_page(request, query=None)
    services = get_services(request)
    endpoint = _endpoint_url(request)
    void_url = public_url(request, "/.well-known/void")
    graphs = sorted(services.graphs.graphs())
    extensions = derived(services.store, "sparql-extensions", supported)
    graph = service_description(endpoint, void_url, graphs, extensions)
    body = graph.serialize(format=_DESCRIPTION_TYPES[chosen], encoding="utf-8")
    media_type = chosen + ("; charset=utf-8" if chosen.startswith("text/") else "")
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def _editor_page(
    request: Request, query: str | None, results: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """The query editor (YASGUI, degrading to a plain form), with optional server-side results."""
    lang = request_language(request)
    settings = get_services(request).settings
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
        "timeout": seconds_text(settings.query_timeout),
    }
    alternates = [("Turtle", "text/turtle", "/sparql?format=ttl")] if query is None else []
    return render(request, "sparql.html", context, status=status, alternates=alternates)


async def _editor_with_results(request: Request, read: ProtocolRequest) -> Response:
    """A browser sent a query: show the editor with it, and its results as a plain table.
    Raises ProtocolError as `answer_query` does."""
    answer = await answer_query(get_services(request), read, _PAGE_ACCEPT, _client(request))
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
