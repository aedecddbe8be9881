"""The one error handler: every error in the caller's language, as the JSON error shape for
tools or a page for browsers; never a traceback."""

from __future__ import annotations

import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from commons_graph.contributions.service import InvalidContribution
from commons_graph.errors import CommonsGraphError, ErrorDetail, error_body
from commons_graph.i18n import LANGUAGES, negotiate_language, translate
from commons_graph.rdf.conneg import negotiate

log = logging.getLogger("commons_graph.web")
# Frames of a traceback worth logging: the innermost ones. A deep recursion would otherwise
# write thousands of lines for one request.
MAX_LOGGED_FRAMES = 12


class HttpError(CommonsGraphError):
    """An error of the HTTP layer answered with `status`: a message key and values, headers."""

    def __init__(
        self,
        status: int,
        key: str,
        *,
        headers: dict[str, str] | None = None,
        focus: str | None = None,
        value: str | None = None,
        **values: object,
    ) -> None:
        super().__init__(key, status=status, focus=focus, value=value)
        self.values = values
        self.headers = headers or {}


def request_language(request: Request) -> str:
    """The language to answer in: `lang` parameter, then cookie, then Accept-Language."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    settings = request.app.state.settings
    return negotiate_language(request.headers.get("accept-language"), settings.default_language)


def error_response(
    request: Request, status: int, errors: list[ErrorDetail], headers: dict[str, str] | None = None
) -> Response:
    """The error as JSON (the shape pinned by tests) or as plain text for other clients."""
    accept = request.headers.get("accept", "")
    if "application/json" in accept or "+json" in accept or "html" not in accept:
        return JSONResponse(error_body(status, errors), status_code=status, headers=headers)
    services = getattr(request.app.state, "services", None)
    if services is not None:
        return services.render_error(request, status, errors, headers)  # type: ignore[no-any-return]
    text = "\n".join(e.message for e in errors)
    return PlainTextResponse(text, status_code=status, headers=headers)


def error_answer(request: Request, error: CommonsGraphError) -> Response:
    """The answer to `error`, its messages in the caller's language."""
    if isinstance(error, InvalidContribution):
        # A refused contribution's SHACL report, in Turtle for clients that ask for it.
        wanted = negotiate(request.headers.get("accept"), ("application/json", "text/turtle"))
        if wanted == "text/turtle" and "json" not in request.headers.get("accept", ""):
            return Response(error.report.to_turtle(), status_code=422, media_type="text/turtle")
    headers = getattr(error, "headers", None)
    return error_response(request, error.status, error.details(request_language(request)), headers)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through `error_response`."""

    @app.exception_handler(CommonsGraphError)
    async def _known_error(request: Request, error: CommonsGraphError) -> Response:
        return error_answer(request, error)

    @app.exception_handler(StarletteHTTPException)
    async def _starlette_error(request: Request, error: StarletteHTTPException) -> Response:
        lang = request_language(request)
        if error.status_code == 404:
            message = translate("error.not_found", lang)
        elif error.status_code == 405:
            message = translate("error.method_not_allowed", lang)
        else:
            message = str(error.detail)
        return error_response(
            request, error.status_code, [ErrorDetail(message)], dict(error.headers or {})
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, error: RequestValidationError) -> Response:
        lang = request_language(request)
        details = [
            ErrorDetail(
                translate("error.bad_request", lang, detail=e.get("msg", "")),
                path=".".join(str(p) for p in e.get("loc", ())),
            )
            for e in error.errors()
        ]
        return error_response(request, 400, details)

    @app.exception_handler(ClientDisconnect)
    async def _client_gone(request: Request, error: ClientDisconnect) -> Response:
        # The client left (or was cut off for sending its body too slowly): nobody to answer,
        # nothing for the operator's log.
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        # One log record for operators, the path quoted (no line breaks from the client) and
        # the traceback's innermost frames; the client gets one line, no paths or frames.
        frames = traceback.format_exception(error, limit=-MAX_LOGGED_FRAMES)
        log.error("unhandled error on %s %r\n%s", request.method, request.url.path, "".join(frames))
        lang = request_language(request)
        return error_response(request, 500, [ErrorDetail(translate("error.internal", lang))])
