"""#CodeSocial pages: index, draft, versions, `latest`, comparison, history, and publishing.

Included before the dereferencing catch-all, so `/id/codesocial/...` gets these dedicated
views; each answers HTML or RDF by content negotiation like every other resource.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from commons_graph.codesocial.history import audit_trail
from commons_graph.codesocial.iris import VersionRef, draft_iri, is_slug
from commons_graph.codesocial.pages import draft_page, index_rows, version_page
from commons_graph.codesocial.publishing import NothingToPublish, PublicationConflict, publish
from commons_graph.codesocial.reading import compare_states, latest_ref
from commons_graph.codesocial.versions import list_versions, publication_record
from commons_graph.contributions.authorise import Refusal
from commons_graph.contributions.provenance import agent_iri
from commons_graph.errors import NotFoundError
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.views.labels import fetch_labels
from commons_graph.web.deps import (
    bearer_member,
    check_csrf,
    csrf_token,
    get_contributions,
    get_store,
    not_found,
    render,
    require_member,
    session_member,
)
from commons_graph.web.errors import HttpError, request_language
from commons_graph.web.representation import (
    Choice,
    alternates,
    choose,
    link_header,
    rdf_response,
    split_extension,
)

router = APIRouter()
PREFIX = "/id/codesocial"


def _slug(request: Request, slug: str) -> str:
    if not is_slug(slug):
        raise not_found(request)
    return slug


def _quads_response(quads: list[ox.Quad], choice: Choice, location: str | None) -> Response:
    """Dataset formats keep each statement's graph (content vs publication record)."""
    assert choice.fmt is not None
    output = io.BytesIO()
    prefixes = None if choice.fmt.name == "nquads" else PREFIXES
    ox.serialize(quads, output, choice.fmt.oxigraph, prefixes=prefixes)
    headers = {"Vary": "Accept"} if choice.negotiated else {}
    if location:
        headers["Content-Location"] = location
    return Response(output.getvalue(), media_type=choice.fmt.media_type, headers=headers)


def _represent(
    request: Request,
    document: str,
    forced: object,
    template: str,
    context: Mapping[str, object],
    triples: list[ox.Triple],
    quads: list[ox.Quad] | None = None,
) -> Response:
    choice = choose(request, forced)  # type: ignore[arg-type]
    alts = alternates(document)
    headers = {"Link": link_header(alts)}
    if choice.is_html:
        if choice.negotiated:
            headers["Content-Location"] = document + ".html"
        return render(request, template, context, headers=headers, alternates=alts)
    assert choice.fmt is not None
    location = f"{document}.{choice.fmt.extension}" if choice.negotiated else None
    if quads is not None and choice.fmt.supports_datasets:
        response = _quads_response(quads, choice, location)
        response.headers["Link"] = headers["Link"]
        return response
    return rdf_response(triples, choice, location, headers)


@router.get("/codesocial", include_in_schema=False)
def index(request: Request) -> Response:
    """Every #CodeSocial, with its latest version."""
    rows, labels = index_rows(get_store(request), request_language(request))
    return render(request, "codesocial_index.html", {"rows": rows, "labels": labels})


@router.api_route(PREFIX + "/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def draft(request: Request, name: str) -> Response:
    """The living draft: its page, or its statements as RDF."""
    slug, forced = split_extension(name)
    slug = _slug(request, slug)
    lang = request_language(request)
    try:
        page = draft_page(get_store(request), slug, lang)
    except NotFoundError:
        raise not_found(request) from None
    context = {"page": page, "publish": _publish_form(request, draft_iri(slug))}
    return _represent(request, f"{PREFIX}/{slug}", forced, "codesocial.html", context, page.triples)


@router.get(PREFIX + "/{slug}/latest", include_in_schema=False)
def latest(request: Request, slug: str) -> Response:
    """303 See Other to the latest published version (keeps ?format= and ?lang=)."""
    slug = _slug(request, slug)
    try:
        ref = latest_ref(get_store(request), slug)
    except NotFoundError:
        raise not_found(request) from None
    query = request.url.query
    target = f"{PREFIX}/{slug}/v{ref.number}" + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


@router.get(PREFIX + "/{slug}/compare", include_in_schema=False)
def compare(request: Request, slug: str) -> Response:
    """What changed between two states (`from` and `to`: version numbers or `draft`)."""
    slug = _slug(request, slug)
    store = get_store(request)
    lang = request_language(request)
    versions = list_versions(store, slug)
    default_old = str(versions[-1].ref.number) if versions else "draft"
    old = request.query_params.get("from", default_old)
    new = request.query_params.get("to", "draft")
    states = {"draft": draft_iri(slug).value}
    states.update({str(v.ref.number): v.ref.iri.value for v in versions})
    if old not in states or new not in states:
        raise HttpError(400, "codesocial.compare.bad")
    try:
        comparison = compare_states(store, states[old], states[new])
    except NotFoundError:
        raise not_found(request) from None
    linked = {str(t.predicate.value) for g in comparison.groups for t in g.added + g.removed}
    linked |= {
        t.object.value
        for g in comparison.groups
        for t in g.added + g.removed
        if isinstance(t.object, ox.NamedNode)
    }
    linked |= {g.plane for g in comparison.groups if g.plane}
    page = draft_page(store, slug, lang)
    labels = fetch_labels(store, linked | page.document.linked(), lang)
    context = {
        "page": page,
        "comparison": comparison,
        "labels": labels,
        "old": old,
        "new": new,
        "states": list(states),
        "root": draft_iri(slug).value,
    }
    return render(request, "codesocial_compare.html", context)


@router.api_route(PREFIX + "/{slug}/history", methods=["GET", "HEAD"], include_in_schema=False)
def history(request: Request, slug: str) -> Response:
    """Every publication and contribution behind the #CodeSocial, attributed (PROV-O)."""
    slug = _slug(request, slug)
    store = get_store(request)
    lang = request_language(request)
    try:
        page = draft_page(store, slug, lang)
    except NotFoundError:
        raise not_found(request) from None
    events = audit_trail(store, slug)
    labels = fetch_labels(store, {a for e in events for a in e.agents}, lang)
    records = [t for info in page.versions for t in publication_record(store, info.ref)]
    context = {"page": page, "events": events, "labels": labels}
    stem, forced = split_extension(request.url.path.rsplit("/", 1)[-1])
    return _represent(
        request, f"{PREFIX}/{slug}/history", forced, "codesocial_history.html", context, records
    )


@router.api_route(PREFIX + "/{slug}/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def version(request: Request, slug: str, name: str) -> Response:
    """A published version: its page (by plane, printable), or its content and record as RDF."""
    slug = _slug(request, slug)
    stem, forced = split_extension(name)
    if stem == "history":
        return history(request, slug)
    if not (stem.startswith("v") and stem[1:].isdigit() and not stem.startswith("v0")):
        raise not_found(request)
    ref = VersionRef(slug, int(stem[1:]))
    try:
        page = version_page(get_store(request), ref, request_language(request))
    except NotFoundError:
        raise not_found(request) from None
    return _represent(
        request,
        f"{PREFIX}/{slug}/{stem}",
        forced,
        "codesocial.html",
        {"page": page, "publish": None},
        page.triples,
        page.quads,
    )


def _publish_form(request: Request, root: ox.NamedNode | None) -> dict[str, str] | None:
    """The publish form's hidden fields, for a signed-in member who may publish."""
    if "session" not in request.scope:
        return None
    member = session_member(request)
    if member is None or root is None:
        return None
    try:
        get_contributions(request).authorise_publication(member, root)
    except Refusal:
        return None
    return {"csrf_token": csrf_token(request)}


@router.post("/codesocial/{slug}/publish", include_in_schema=False)
async def publish_route(request: Request, slug: str) -> Response:
    """Freeze the draft as its next version (members of its subject, or admins)."""
    slug = _slug(request, slug)
    store = get_store(request)
    lang = request_language(request)
    is_form = request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    )
    member = bearer_member(request)
    if member is None:
        member = require_member(request)
        form = await request.form() if is_form else {}
        check_csrf(request, form.get("csrf_token"))
    try:
        await run_in_threadpool(draft_page, store, slug, lang)
    except NotFoundError:
        raise not_found(request) from None
    publisher = await run_in_threadpool(
        get_contributions(request).authorise_publication, member, draft_iri(slug)
    )
    try:
        # Canonicalising, hashing and committing run in the threadpool, not on the event loop.
        done = await run_in_threadpool(
            publish, store, slug, publisher, agents=[agent_iri(member.public_id).value]
        )
    except (NothingToPublish, PublicationConflict) as error:
        focus = draft_iri(slug).value
        raise HttpError(error.status, error.key, focus=focus, number=error.number) from None
    location = f"{PREFIX}/{slug}/v{done.ref.number}"
    if is_form:
        return RedirectResponse(location, status_code=303)
    body = {
        "ok": True,
        "version": done.ref.iri.value,
        "number": done.ref.number,
        "issued": done.issued,
        "publisher": done.publisher,
        "contentHash": done.content_hash,
    }
    return JSONResponse(body, status_code=201, headers={"Location": location})
