"""POST /relations/confirm: a member confirms a derived relation as a partnership."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from commons_graph.rdf.namespaces import BASE
from commons_graph.relations.confirmation import confirm
from commons_graph.web.deps import (
    CSRF_FIELD,
    check_csrf,
    get_contributions,
    limit_writes,
    off_loop,
    session_member,
    signin_redirect,
)
from commons_graph.web.errors import request_language

router = APIRouter()


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/relations/confirm", include_in_schema=False)
async def confirm_relation(request: Request) -> Response:
    """State a partnership for the member's organisation with one it is related to; back to
    the page the form was on."""
    member = session_member(request)
    if member is None:
        return signin_redirect(request)
    limit_writes(request, member)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    organisation, other = _field(form, "organisation"), _field(form, "other")
    await off_loop(
        request,
        confirm,
        get_contributions(request),
        member,
        organisation,
        other,
        request_language(request),
    )
    # Back to the page of one of the two (IRIs the service just checked), never elsewhere.
    page = _field(form, "page")
    shown = page if page in (organisation, other) and page.startswith(BASE) else organisation
    return RedirectResponse("/" + shown.removeprefix(BASE) + "#related", status_code=303)
