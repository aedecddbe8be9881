"""`/update`, and updates sent to `/sparql`: SPARQL 1.1 Update for admin tokens only.

The protocol lets an update reach `/sparql` as a form's `update` field or an
`application/sparql-update` body; `UpdateDispatch` sends every such request (and any `update`
parameter in the URL) to `/update` (`web/update_dispatch.py`), so an update is judged in one
place whatever its spelling.
The public and members get 403, a wrong token 401; an admin's update is evaluated as
`sparql/update.py` says (no network, committed like every write, sealed versions refused).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from commons_graph.contributions.authorise import may_run_updates
from commons_graph.members.accounts import Member
from commons_graph.members.audit import record_update
from commons_graph.sparql.update import (
    UpdateEvaluationError,
    UpdateReceipt,
    UpdateRequest,
    UpdateUnavailableError,
    digest,
)
from commons_graph.sparql.update_text import UpdateRefusedError
from commons_graph.store.errors import QuerySyntaxError, SealedGraphError, StoreError
from commons_graph.web.deps import get_accounts, get_services
from commons_graph.web.errors import HttpError, request_language
from commons_graph.web.services import Services
from commons_graph.web.sparql_protocol import BodyReader, ProtocolError, as_http_error
from commons_graph.web.update_dispatch import FORM, UPDATE, media_type_of

router = APIRouter()


def _refusal(request: Request, status: int, key: str, **values: object) -> HttpError:
    """An error in the caller's language, with the headers its status calls for."""
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif key == "update.admin_only":
        headers["WWW-Authenticate"] = "Bearer"
    elif status == 405:
        headers["Allow"] = "POST"
    elif status == 503:
        headers["Retry-After"] = "5"
    error = HttpError(status, key, headers=headers)
    error.values = dict(values)
    return error


def _admin(request: Request) -> Member:
    """The admin named by the request's bearer token: 401 for a wrong token, else 403."""
    header = request.headers.get("authorization")
    if header is None:
        raise _refusal(request, 403, "update.admin_only")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refusal(request, 401, "update.bad_token")
    member = get_accounts(request).by_token(token.strip())
    if member is None:
        raise _refusal(request, 401, "update.bad_token")
    if not may_run_updates(member):
        raise _refusal(request, 403, "update.admin_only")
    return member


async def _read_update(request: Request, services: Services) -> UpdateRequest:
    """The update and its dataset, as the protocol delivers them (POST, form or direct)."""
    limit = services.settings.max_query_bytes
    url_params = parse_qsl(request.url.query, keep_blank_values=True)
    for name, _ in url_params:
        if name in ("update", "query"):  # the update goes in the body, and nothing else
            raise _refusal(request, 400, "update.repeated_parameter", name=name)
    media_type = media_type_of(request.headers.get("content-type"))
    body = BodyReader(request.receive, limit, request.headers.get("content-length"))
    try:
        raw = await body()
    except ProtocolError as error:
        raise as_http_error(error, request) from None
    params = list(url_params)
    if media_type == UPDATE:
        charset = _charset(request.headers.get("content-type", ""))
        if charset not in ("", "utf-8", "utf8"):
            raise _refusal(request, 415, "update.unsupported_media_type", media_type=charset)
        texts = [_utf8(request, raw)]
    elif media_type == FORM:
        form = parse_qsl(_utf8(request, raw), keep_blank_values=True)
        if any(name == "query" for name, _ in form):
            raise _refusal(request, 400, "update.repeated_parameter", name="query")
        texts = [value for name, value in form if name == "update"]
        params += form
    else:
        raise _refusal(
            request, 415, "update.unsupported_media_type", media_type=media_type or "nothing"
        )
    if len(texts) > 1:
        raise _refusal(request, 400, "update.repeated_parameter", name="update")
    if not texts or not texts[0].strip():
        raise _refusal(request, 400, "update.missing")
    return UpdateRequest(
        texts[0],
        using_graphs=tuple(v for n, v in params if n == "using-graph-uri"),
        using_named_graphs=tuple(v for n, v in params if n == "using-named-graph-uri"),
    )


def _charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


def _utf8(request: Request, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refusal(request, 400, "update.not_utf8") from None


def _as_refusal(request: Request, error: Exception) -> tuple[str, HttpError] | None:
    """The answer to an update that failed with `error`, and its outcome's name."""
    if isinstance(error, QuerySyntaxError):
        return "syntax", _refusal(request, 400, "update.syntax", detail=str(error))
    if isinstance(error, UpdateRefusedError):
        return error.key, _refusal(request, 400, error.key, **error.values)
    if isinstance(error, UpdateEvaluationError):
        return "evaluation", _refusal(request, 400, "update.evaluation", detail=str(error))
    if isinstance(error, SealedGraphError):
        return "sealed", _refusal(
            request, 409, "update.sealed", detail=error.message(request_language(request))
        )
    if isinstance(error, UpdateUnavailableError):
        return error.key, _refusal(request, 503, error.key, **error.values)
    if isinstance(error, StoreError):
        return "store_failed", _refusal(request, 503, "update.store_failed")
    return None


def _apply(request: Request, member: Member, update: UpdateRequest) -> UpdateReceipt:
    """Run `update`, and record it in the admins' trail whether applied or refused."""
    services = get_services(request)
    accounts = services.accounts
    try:
        receipt = services.update_runner.apply(update, f"member {member.id} ({member.public_id})")
    except Exception as error:
        refused = _as_refusal(request, error)
        record_update(accounts, member.id, digest(update.text), refused[0] if refused else "error")
        if refused is None:
            raise
        raise refused[1] from None
    counts = (receipt.dropped_graphs, receipt.removed, receipt.added)
    record_update(accounts, member.id, receipt.digest, "applied", counts)
    return receipt


@router.api_route("/update", methods=["GET", "POST"], include_in_schema=False)
async def update_endpoint(request: Request) -> Response:
    """Apply an admin's SPARQL Update, all or nothing; 200 with what it changed."""
    member = await run_in_threadpool(_admin, request)
    if request.method != "POST":
        raise _refusal(request, 405, "update.post_only")
    update = await _read_update(request, get_services(request))
    receipt = await run_in_threadpool(_apply, request, member, update)
    return JSONResponse(
        {
            "ok": True,
            "sha256": receipt.digest,
            "dropped_graphs": receipt.dropped_graphs,
            "removed": receipt.removed,
            "added": receipt.added,
        },
        headers={"Cache-Control": "no-store"},
    )
