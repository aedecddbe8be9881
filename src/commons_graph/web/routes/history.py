"""GET /history (who changed what and when) and each version of a contribution at its IRI."""

from __future__ import annotations

import io
import re

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.contributions.history import (
    Change,
    changes_of,
    history,
    provenance_of,
    version_document,
)
from commons_graph.contributions.provenance import version_iri
from commons_graph.rdf.conneg import negotiate
from commons_graph.rdf.formats import RDF_FORMATS
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.web.deps import ContributionsDep, not_found, render

router = APIRouter()
_RDF = {f.media_type: f for f in RDF_FORMATS if f.name in ("turtle", "jsonld", "ntriples")}


def short(term: object) -> str:
    """A term as people read it in a diff: prefixed names, quoted literals with language."""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'"{term.value}"@{term.language}'
        return f'"{term.value}"'
    return str(term)


@router.get("/history")
def history_page(
    request: Request,
    service: ContributionsDep,
    resource: str | None = None,
    organisation: str | None = None,
    contribution: str | None = None,
) -> Response:
    """The changes as an HTML diff, or as PROV-O RDF (Turtle, JSON-LD, N-Triples) by Accept."""
    records = service.records
    changes: list[Change]
    if contribution:
        changes = changes_of(records, contribution)
    else:
        changes = history(records, resource=resource, organisation=organisation)
    offers = ("text/html", *_RDF)
    wanted = negotiate(request.headers.get("accept"), offers) or "text/html"
    if wanted in _RDF:
        fmt = _RDF[wanted]
        buffer = io.BytesIO()
        prefixes = None if fmt.name == "ntriples" else PREFIXES
        ox.serialize(provenance_of(records, changes), buffer, fmt.oxigraph, prefixes=prefixes)
        return Response(buffer.getvalue(), media_type=fmt.media_type)
    subject = resource or organisation or (f"/contributions/{contribution}" if contribution else "")
    context = {
        "changes": changes,
        "subject": subject,
        "short": short,
        "query": request.url.query,
    }
    return render(request, "history.html", context, private=True)


# A contribution identifier as minted (hex), and a version number of sane length: anything
# else names no version (404).
_ID = re.compile(r"^[0-9a-f]{1,64}$")
_NUMBER = re.compile(r"^[1-9][0-9]{0,8}$")


@router.get("/graph/contribution/{contribution_id}/version/{number}")
def version_page(
    request: Request,
    service: ContributionsDep,
    contribution_id: str,
    number: str,
) -> Response:
    """Version `number` of a contribution at its own IRI: its content and its PROV record (the
    version entity, the change that made it, what it added and removed) as RDF, or the change
    as a page."""
    if not (_ID.match(contribution_id) and _NUMBER.match(number)):
        raise not_found(request)
    triples = version_document(service.records, contribution_id, int(number))
    if not triples:
        raise not_found(request)
    offers = ("text/html", *_RDF)
    wanted = negotiate(request.headers.get("accept"), offers) or "text/html"
    if wanted in _RDF:
        fmt = _RDF[wanted]
        buffer = io.BytesIO()
        prefixes = None if fmt.name == "ntriples" else PREFIXES
        ox.serialize(triples, buffer, fmt.oxigraph, prefixes=prefixes)
        iri = version_iri(contribution_id, int(number)).value
        headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
        return Response(buffer.getvalue(), media_type=fmt.media_type, headers=headers)
    changes = [
        c for c in changes_of(service.records, contribution_id) if c.version.number == int(number)
    ]
    context = {
        "changes": changes,
        "subject": version_iri(contribution_id, int(number)).value,
        "short": short,
        "query": f"contribution={contribution_id}",
    }
    return render(request, "history.html", context, private=True)
