"""/.well-known/void: the VoID + DCAT description of the dataset (Turtle, JSON-LD or a page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.rdf.namespaces import DATASET_IRI
from commons_graph.store.derived import derived
from commons_graph.views.dumps import known_sizes, known_version
from commons_graph.views.labels import fetch_labels, pick
from commons_graph.views.sources import sources
from commons_graph.views.void import DUMP_EXTENSIONS, void_description
from commons_graph.web.deps import ServicesDep, render
from commons_graph.web.errors import request_language
from commons_graph.web.public import public_base
from commons_graph.web.representation import alternates, choose, link_header, rdf_response

router = APIRouter()

PATH = "/.well-known/void"


@router.api_route(PATH, methods=["GET", "HEAD"], include_in_schema=False)
def void(request: Request, services: ServicesDep) -> Response:
    """The dataset's description with statistics counted from the store (counted again only
    after the store changed). Not in the response cache: it names the dumps' version once a dump
    has computed it, which is no write."""
    store = services.store
    stats = services.void_statistics.get()
    parts = derived(store, "void-sources", sources)
    # Named once a dump was asked for since the last write: no pass over the store for VoID.
    version = known_version(store)
    choice = choose(request)
    server = public_base(request)
    alts = alternates(PATH, query="format")
    headers = {"Link": link_header(alts)}
    if choice.is_html:
        lang = request_language(request)
        context = {
            "dataset": DATASET_IRI,
            "stats": stats,
            "dumps": DUMP_EXTENSIONS,
            "labels": fetch_labels(store, stats.classes, lang),
            "version": version,
            "sources": [
                {
                    "iri": part.iri,
                    "title": pick(part.titles, lang),
                    "licence": part.licence,
                    "rights": pick(part.rights, lang) if part.rights else None,
                    "attribution": part.attribution,
                    "triples": part.triples,
                    "modified": part.modified,
                }
                for part in parts
            ],
        }
        return render(request, "void.html", context, headers=headers, alternates=alts)
    assert choice.fmt is not None
    location = f"{PATH}?format={choice.fmt.extension}" if choice.negotiated else None
    sizes = known_sizes(store, version) if version else {}
    triples = void_description(store, server, stats, parts=parts, version=version, sizes=sizes)
    return rdf_response(triples, choice, location, headers)
