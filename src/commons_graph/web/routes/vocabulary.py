"""The ontology namespace (/ontology) and the SKOS concept schemes (/scheme/{name})."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.views.resource import describe
from commons_graph.views.vocabulary import ontology_doc, ontology_triples, scheme_doc
from commons_graph.web.deps import get_store, minted_iri, not_found, render
from commons_graph.web.errors import request_language
from commons_graph.web.representation import (
    alternates,
    choose,
    link_header,
    rdf_response,
    split_extension,
)
from commons_graph.web.response_cache import cacheable

router = APIRouter()


@router.api_route("/ontology", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/ontology.{extension}", methods=["GET", "HEAD"], include_in_schema=False)
@cacheable()
def ontology(request: Request, extension: str | None = None) -> Response:
    """The ontology: documentation of every class and property, or the ontology graph."""
    forced = None
    if extension is not None:
        _, forced = split_extension("ontology." + extension)
        if forced is None:
            raise not_found(request)
    choice = choose(request, forced)
    store = get_store(request)
    alts = alternates("/ontology")
    headers = {"Link": link_header(alts)}
    if choice.is_html:
        doc = ontology_doc(store, request_language(request))
        if doc is None:
            raise not_found(request)
        if choice.negotiated:
            headers["Content-Location"] = "/ontology.html"
        return render(request, "ontology.html", {"doc": doc}, headers=headers, alternates=alts)
    triples = ontology_triples(store)
    if not triples:
        raise not_found(request)
    assert choice.fmt is not None
    location = f"/ontology.{choice.fmt.extension}" if choice.negotiated else None
    return rdf_response(triples, choice, location, headers)


@router.api_route("/scheme/{name}", methods=["GET", "HEAD"], include_in_schema=False)
@cacheable()
def scheme(name: str, request: Request) -> Response:
    """A concept scheme: its concepts with their definitions, or its RDF description."""
    stem, forced = split_extension(name)
    choice = choose(request, forced)
    store = get_store(request)
    lang = request_language(request)
    iri = minted_iri(request, "scheme/" + stem)
    document = "/scheme/" + stem
    alts = alternates(document)
    headers = {"Link": link_header(alts)}
    if choice.is_html:
        doc = scheme_doc(store, iri, lang)
        if doc is None:
            raise not_found(request)
        if choice.negotiated:
            headers["Content-Location"] = document + ".html"
        return render(request, "scheme.html", {"doc": doc}, headers=headers, alternates=alts)
    description = describe(store, iri, lang)
    if not description.exists:
        raise not_found(request)
    assert choice.fmt is not None
    location = f"{document}.{choice.fmt.extension}" if choice.negotiated else None
    return rdf_response(description.triples(), choice, location, headers)
