"""One error handler: the JSON error shape for tools, a page for browsers; never a traceback."""

from __future__ import annotations

import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from commons_graph.errors import CommonsGraphError, ErrorDetail, error_body
from commons_graph.i18n import negotiate_language, translate

log = logging.getLogger("commons_graph.web")
# Frames of a traceback worth logging: the innermost ones. A deep recursion would otherwise
# write thousands of lines for one request.
MAX_LOGGED_FRAMES = 12


class HttpError(CommonsGraphError):
    """An error answered with `status` and one or more details."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: list[ErrorDetail] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or [ErrorDetail(message)]
        self.headers = headers or {}


def request_language(request: Request) -> str:
    """The language to answer in: `lang` parameter, then cookie, then Accept-Language."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in ("en", "fr"):
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


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through `error_response`."""

    @app.exception_handler(HttpError)
    async def _http_error(request: Request, error: HttpError) -> Response:
        return error_response(request, error.status, error.errors, error.headers)

    @app.exception_handler(CommonsGraphError)
    async def _known_error(request: Request, error: CommonsGraphError) -> Response:
        return error_response(request, error.status, [ErrorDetail(str(error))])

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
