"""POST/GET/PUT/DELETE /contributions, revert, the bundled JSON-LD context and the form."""

from __future__ import annotations

import io
from typing import Any, ParamSpec, TypeVar

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from commons_graph.contributions.authorise import Refusal, acting_organisation
from commons_graph.contributions.errors import ContributionError, Unauthorised
from commons_graph.contributions.history import changes_of, provenance_of
from commons_graph.contributions.links import organisation_links
from commons_graph.contributions.parsing import (
    CONTEXT_URL,
    ContributionLimits,
    bundled_context,
    check_size,
    media_format,
    parse_contribution,
)
from commons_graph.contributions.provenance import contribution_graph
from commons_graph.contributions.service import InvalidContribution, Receipt, request_hash
from commons_graph.forms.build import SECTIONS, build, field_errors, relations
from commons_graph.forms.spec import with_options
from commons_graph.members.accounts import Member
from commons_graph.rdf.conneg import negotiate
from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.web.deps import (
    CSRF_FIELD,
    bearer_member,
    check_csrf,
    get_contributions,
    get_settings,
    limit_writes,
    off_loop,
    render,
    require_member,
    session_member,
    signin_redirect,
)
from commons_graph.web.errors import request_language

router = APIRouter()
P = ParamSpec("P")
T = TypeVar("T")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
RDF_OFFERS = ("text/turtle", "application/ld+json", "application/n-triples")


def _receipt_response(receipt: Receipt) -> JSONResponse:
    headers = {"Location": receipt.location}
    if receipt.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(receipt.body, status_code=receipt.status, headers=headers)


async def _body(request: Request) -> bytes:
    """The request body, refused (413) as soon as it passes the limit."""
    limit = get_settings(request).max_contribution_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        check_size(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        check_size(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _limits(request: Request) -> ContributionLimits:
    return ContributionLimits.from_settings(get_settings(request))


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


@router.get("/contributions/context.jsonld", include_in_schema=False)
def context_document() -> Response:
    """The bundled JSON-LD context contributions may name (never fetched by the server)."""
    return JSONResponse(bundled_context(CONTEXT_URL), media_type="application/ld+json")


@router.post("/contributions", status_code=201)
async def create_contribution(request: Request) -> Response:
    """Accept a contribution (Turtle, N-Triples, JSON-LD or the HTML form) from a member."""
    if _content_type(request) in FORM_TYPES:
        return await submit_form(request)
    # Cookie-authenticated RDF posts could be forged by another site: tokens only.
    member = bearer_member(request)
    if member is None:
        raise Unauthorised("contribution.unauthorised")
    limit_writes(request, member)
    fmt = media_format(request.headers.get("content-type"))
    body = await _body(request)
    # Parsing, checking, hashing and the commit run in the threadpool, never on the event loop.
    triples = await off_loop(request, parse_contribution, body, fmt, _limits(request))
    key = request.headers.get("idempotency-key")
    organisation = request.query_params.get("organisation")
    comment = request.query_params.get("comment") or request.headers.get("x-comment")
    receipt = await off_loop(
        request,
        get_contributions(request).submit,
        member,
        triples,
        lang=request_language(request),
        organisation=organisation,
        comment=comment,
        idempotency_key=key,
        fingerprint=request_hash(fmt.media_type, organisation or "", comment or "", body),
    )
    return _receipt_response(receipt)


@router.get("/contributions")
def list_contributions(request: Request, organisation: str | None = None) -> Response:
    """Contributions, newest first (JSON for tools, a page for browsers)."""
    records = get_contributions(request).records.contributions(organisation)
    items = [
        {
            "id": r.id,
            "organisation": r.organisation,
            "created": r.created,
            "version": r.current_version,
            "retracted": r.retracted,
            "graph": contribution_graph(r.id).value,
            "location": f"/contributions/{r.id}",
        }
        for r in records
    ]
    if negotiate(request.headers.get("accept"), ("application/json", "text/html")) == "text/html":
        return render(request, "contributions.html", {"items": items}, private=True)
    return JSONResponse({"ok": True, "contributions": items})


@router.get("/contributions/{contribution_id}")
def get_contribution(request: Request, contribution_id: str) -> Response:
    """A contribution: its current statements and versions (HTML, JSON, or RDF with PROV)."""
    service = get_contributions(request)
    record = service.records.contribution(contribution_id)
    if record is None:
        raise ContributionError("contribution.not_found", status=404, id=contribution_id)
    changes = changes_of(service.records, contribution_id)
    current = changes[0].version.triples() if changes else []
    offers = ("text/html", "application/json", *RDF_OFFERS)
    wanted = negotiate(request.headers.get("accept"), offers) or "text/html"
    if wanted in RDF_OFFERS:
        return _rdf([*current, *provenance_of(service.records, changes)], wanted)
    if wanted == "application/json":
        return JSONResponse(
            {
                "ok": True,
                "id": record.id,
                "organisation": record.organisation,
                "graph": contribution_graph(record.id).value,
                "version": record.current_version,
                "retracted": record.retracted,
                "triples": [str(t) for t in current],
            }
        )
    member = session_member(request)
    may_change = member is not None and service.may_change(member, record)
    links = organisation_links(service.store, record.organisation)
    context = {
        "record": record,
        "changes": changes,
        "current": current,
        "may_change": may_change,
        "links": [lk for lk in links if lk.graph == contribution_graph(record.id).value],
        "stored": request.query_params.get("stored") == "1",
    }
    return render(request, "contribution.html", context, private=True)


def _rdf(triples: list[ox.Triple], media_type: str) -> Response:
    buffer = io.BytesIO()
    fmt = rdf_format({"text/turtle": "ttl", "application/ld+json": "jsonld"}.get(media_type, "nt"))
    prefixes = None if fmt.name == "ntriples" else PREFIXES
    ox.serialize(triples, buffer, fmt.oxigraph, prefixes=prefixes)
    return Response(buffer.getvalue(), media_type=fmt.media_type)


@router.put("/contributions/{contribution_id}")
async def replace_contribution(request: Request, contribution_id: str) -> Response:
    """Replace a contribution's statements (owner, with a token); recorded as a new version."""
    member = _token_member(request)
    fmt = media_format(request.headers.get("content-type"))
    body = await _body(request)
    triples = await off_loop(request, parse_contribution, body, fmt, _limits(request))
    receipt = await off_loop(
        request,
        get_contributions(request).replace,
        member,
        contribution_id,
        triples,
        lang=request_language(request),
        comment=request.query_params.get("comment"),
    )
    return _receipt_response(receipt)


@router.delete("/contributions/{contribution_id}")
async def retract_contribution(request: Request, contribution_id: str) -> Response:
    """Withdraw a contribution (owner or admin); its history stays."""
    member = _token_member(request)
    comment = request.query_params.get("comment")
    # In the writes' own threads: a DELETE waits for the write lock like any write, and a
    # queue of them must not take the threads that answer pages.
    receipt = await off_loop(
        request, get_contributions(request).retract, member, contribution_id, comment=comment
    )
    return _receipt_response(receipt)


@router.post("/contributions/{contribution_id}/revert")
async def revert_contribution(request: Request, contribution_id: str) -> Response:
    """Undo the latest change of a contribution (owner or admin); recorded as a new version."""
    member, form = await _member_and_form(request)
    to_version = _version_number(form.get("to_version") or request.query_params.get("to_version"))
    receipt = await off_loop(
        request,
        get_contributions(request).revert,
        member,
        contribution_id,
        to_version=to_version,
        comment=form.get("comment") or request.query_params.get("comment"),
        lang=request_language(request),
    )
    return _after_change(request, receipt, form)


@router.post("/contributions/{contribution_id}/withdraw", include_in_schema=False)
async def withdraw_contribution(request: Request, contribution_id: str) -> Response:
    """DELETE for HTML forms."""
    member, form = await _member_and_form(request)
    receipt = await off_loop(
        request,
        get_contributions(request).retract,
        member,
        contribution_id,
        comment=form.get("comment"),
    )
    return _after_change(request, receipt, form)


def _version_number(given: object) -> int | None:
    """The version a revert goes back to: none given (the one before the latest), or a whole
    number written in ASCII digits; anything else is refused rather than read as "latest"."""
    if given is None or given == "":
        return None
    text = str(given)
    if not (text.isascii() and text.isdigit()):
        raise ContributionError("contribution.bad_version", version=text)
    return int(text)


def _token_member(request: Request) -> Member:
    member = bearer_member(request)
    if member is None:
        raise Unauthorised("contribution.unauthorised")
    limit_writes(request, member)
    return member


async def _member_and_form(request: Request) -> tuple[Member, dict[str, Any]]:
    member = bearer_member(request)
    form: dict[str, Any] = {}
    if _content_type(request) in FORM_TYPES:
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    if member is None:
        member = require_member(request)
        check_csrf(request, form.get(CSRF_FIELD))
    limit_writes(request, member)
    return member, form


def _after_change(request: Request, receipt: Receipt, form: dict[str, Any]) -> Response:
    if form:
        return RedirectResponse(receipt.location, status_code=303)
    return _receipt_response(receipt)


@router.get("/contribute", include_in_schema=False)
def form_page(request: Request) -> Response:
    """The contribution form, generated from the shapes."""
    member = session_member(request)
    if member is None:
        return signin_redirect(request)
    return _render_form(request, member, {}, {}, [], status=200)


@router.post("/contribute", include_in_schema=False)
async def submit_form(request: Request) -> Response:
    """Turn the form into a contribution; on errors, show the form again with messages."""
    member = session_member(request)
    if member is None and bearer_member(request) is None:
        return signin_redirect(request)
    member = member or require_member(request)
    limit_writes(request, member)
    raw = await request.form()
    check_csrf(request, raw.get(CSRF_FIELD))
    form = {k: [v for v in raw.getlist(k) if isinstance(v, str)] for k in raw}
    return await off_loop(request, _submit_form, request, member, form)


def _submit_form(request: Request, member: Member, form: dict[str, list[str]]) -> Response:
    """Build, check and store the form's contribution (in the threadpool: it parses and
    commits)."""
    service = get_contributions(request)
    lang = request_language(request)
    wanted = form["organisation"][0] if form.get("organisation") else None
    try:
        organisation = acting_organisation(wanted, service.accounts.organisations(member))
    except Refusal as refused:
        other = [d.message for d in refused.details(lang)]
        return _render_form(request, member, form, {}, other, status=403)
    built = build(form, organisation, service.store)
    if not built.triples:
        message = [ContributionError("contribution.empty").message(lang)]
        return _render_form(request, member, form, {}, message, status=400)
    comment = (form.get("comment") or [""])[0]
    try:
        receipt = service.submit(
            member,
            built.triples,
            lang=lang,
            organisation=organisation,
            comment=comment,
        )
    except InvalidContribution as error:
        by_field, other = field_errors(error.report.violations, built)
        return _render_form(request, member, form, by_field, other, status=422)
    except ContributionError as error:
        other = [d.message for d in error.details(lang)]
        return _render_form(request, member, form, {}, other, status=error.status)
    return RedirectResponse(f"{receipt.location}?stored=1", status_code=303)


def _render_form(
    request: Request,
    member: Member,
    values: dict[str, list[str]],
    errors: dict[str, list[str]],
    other_errors: list[str],
    *,
    status: int,
) -> Response:
    service = get_contributions(request)
    lang = request_language(request)
    sections = [
        {
            "section": section,
            "fields": with_options(section.fields, service.store, lang),
            "relations": relations(section),
        }
        for section in SECTIONS
    ]
    context = {
        "sections": sections,
        "values": values,
        "errors": errors,
        "other_errors": other_errors,
        "organisations": service.accounts.organisations(member),
        "has_errors": bool(errors or other_errors),
    }
    return render(request, "contribution_form.html", context, status=status, private=True)
