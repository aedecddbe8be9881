"""Updates sent to `/sparql`, passed on to `/update` before any route sees them.

The SPARQL 1.1 Protocol lets an update reach `/sparql` as a form's `update` field or an
`application/sparql-update` body; `UpdateDispatch` sends every such request (and any `update`
parameter in the URL) to `/update` (`web/routes/update.py`), where it is judged.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from commons_graph.web.errors import error_answer
from commons_graph.web.services import Services
from commons_graph.web.sparql_protocol import BodyReader, ProtocolError

FORM = "application/x-www-form-urlencoded"
UPDATE = "application/sparql-update"
# Set in the scope by the response cache when it has told this request is not an update, as
# this layer would (`response_cache._is_update`): the body is not read and decoded again.
NOT_AN_UPDATE = "commons_graph.not_an_update"


class UpdateDispatch:
    """ASGI middleware: passes updates sent to `/sparql` on to `/update`, the rest untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or NOT_AN_UPDATE in scope:
            await self.app(scope, receive, send)
            return
        is_update = _names_update(scope["query_string"])
        if scope["method"] == "POST" and not is_update:
            # The first of repeated headers wins, as in the query path.
            headers = {
                k.decode("latin-1"): v.decode("latin-1") for k, v in reversed(scope["headers"])
            }
            media_type = media_type_of(headers.get("content-type"))
            if media_type == UPDATE:
                is_update = True
            elif media_type == FORM:
                services: Services = scope["app"].state.services
                limit = services.settings.max_query_bytes
                body = BodyReader(receive, limit, headers.get("content-length"))
                try:
                    text = await body()
                except ProtocolError as error:
                    await _send_error(scope, receive, send, error)
                    return
                is_update = _names_update(text)
                receive = body.replay()
        if is_update:
            scope = {**scope, "path": "/update", "raw_path": b"/update"}
        await self.app(scope, receive, send)


def _names_update(encoded: bytes) -> bool:
    """Whether a URL-encoded query string or form has an `update` field.

    Only the field names are decoded (a query's form is read here before the query path reads
    it again): `update`, or an escaped spelling of it such as `%75pdate`.
    """
    for field in encoded.split(b"&"):
        name = field.split(b"=", 1)[0]
        if name == b"update":
            return True
        if (b"%" in name or b"+" in name) and unquote_plus(name.decode("latin-1")) == "update":
            return True
    return False


async def _send_error(scope: Scope, receive: Receive, send: Send, error: ProtocolError) -> None:
    request = Request(scope, receive)
    await error_answer(request, error)(scope, receive, send)


def media_type_of(header: str | None) -> str:
    """A Content-Type header's media type, lower case, without parameters."""
    return (header or "").split(";")[0].strip().lower()
