"""/.well-known/void: the VoID + DCAT description of the dataset (Turtle, JSON-LD or a page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.rdf.namespaces import DATASET_IRI
from commons_graph.views.datasets import datasets_of_graphs
from commons_graph.views.void import DUMP_EXTENSIONS, void_description
from commons_graph.web.deps import ServicesDep, render
from commons_graph.web.errors import request_language
from commons_graph.web.public import public_base
from commons_graph.web.representation import alternates, choose, link_header, rdf_response
from commons_graph.web.response_cache import cacheable

router = APIRouter()

PATH = "/.well-known/void"


@router.api_route(PATH, methods=["GET", "HEAD"], include_in_schema=False)
@cacheable()
def void(request: Request, services: ServicesDep) -> Response:
    """The dataset's description with statistics counted from the store (counted again only
    after the store changed)."""
    store = services.store
    stats = services.void_statistics.get()
    choice = choose(request)
    server = public_base(request)
    alts = alternates(PATH, query="format")
    headers = {"Link": link_header(alts)}
    if choice.is_html:
        lang = request_language(request)
        graphs = {graph.value for graph in store.named_graphs()}
        context = {
            "dataset": DATASET_IRI,
            "stats": stats,
            "dumps": DUMP_EXTENSIONS,
            "subsets": datasets_of_graphs(store, graphs, lang),
        }
        return render(request, "void.html", context, headers=headers, alternates=alts)
    assert choice.fmt is not None
    location = f"{PATH}?format={choice.fmt.extension}" if choice.negotiated else None
    triples = void_description(store, server, stats)
    return rdf_response(triples, choice, location, headers)
