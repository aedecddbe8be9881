"""Rendering pages: one Jinja2 environment (autoescape on) and the context every page gets.

Routes render their templates (extending base.html) with `web.deps.render(request, name, ...)`:
the context then holds `lang`, `t(key, **values)`, `href(iri)`, `alternates` and the language
switch, which base.html needs.

Links to data are made in one place, the `link` macro of `_macros.html`, through `href`: only
http, https and mailto IRIs become links; any other (`javascript:`, `data:`, ...), which a
contribution or an import may state, is shown as text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from commons_graph.errors import ErrorDetail
from commons_graph.i18n import LANGUAGES, MESSAGES, has_message
from commons_graph.rdf.namespaces import BASE
from commons_graph.web.errors import request_language
from commons_graph.web.services import get_services

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
# The only schemes a page links to; a browser runs or opens anything else in ways a link to
# data must not (javascript: runs script, data: can be a page of its own).
LINKABLE_SCHEMES = frozenset({"http", "https", "mailto"})


def make_templates(base_iri: str) -> Jinja2Templates:
    """The app's templates, autoescaped, with `href` (for minted IRIs under `base_iri`)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # A global, so that macros imported from _macros.html link the same way as pages.
    env.globals["href"] = local_href(base_iri)
    return Jinja2Templates(env=env)


def translator(lang: str) -> Callable[..., str]:
    """`t(key, **values)`: the text `key` in `lang` (English if missing), values filled in."""

    def t(key: str, **values: object) -> str:
        texts = MESSAGES.get(key)
        if texts is None:
            return key
        text = texts.get(lang, texts["en"])
        return text.format(**values) if values else text

    return t


def linkable(iri: str) -> bool:
    """Whether `iri` may be the target of a link: an http, https or mailto IRI."""
    try:
        scheme = urlsplit(iri).scheme
    except ValueError:
        return False
    # A scheme needs its colon right after it: "javascript\t:" has none, and is not a link.
    return scheme.lower() in LINKABLE_SCHEMES and iri[len(scheme)] == ":"


def local_href(base_iri: str) -> Callable[[str], str | None]:
    """`href(iri)`: minted IRIs become paths on this server, other http(s) and mailto IRIs
    stay as they are, and any other IRI gives None (the `link` macro then shows it as text)."""

    def href(iri: str) -> str | None:
        iri = str(iri)
        if not linkable(iri):
            return None
        if iri.startswith(base_iri):
            return "/" + iri[len(base_iri) :]
        return iri

    return href


def url_with(request: Request, **params: object) -> str:
    """The current path and query with `params` replaced (None removes one); repeated
    parameters (several values of a facet) are kept."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in params]
    query += [(name, str(value)) for name, value in params.items() if value is not None]
    encoded = urlencode(query)
    return current_path(request) + ("?" + encoded if encoded else "")


def current_path(request: Request) -> str:
    """The request's path, percent-encoded again: safe to write into a link (a decoded `%3F`
    would start a query there, a decoded `%00` would be a raw control character)."""
    return quote(request.url.path, safe="/:@!$&'()*+,;=~")


def page_context(
    request: Request, alternates: Sequence[tuple[str, str, str]] = (), **extra: Any
) -> dict[str, Any]:
    """What base.html needs, plus `extra`; `alternates` are (name, media type, URL)."""
    lang = request_language(request)
    services = get_services(request)
    switch = [
        (
            code,
            LANGUAGE_NAMES[code],
            url_with(request, lang=code, page=None)
            if code != lang
            else url_with(request, lang=code),
        )
        for code in LANGUAGES
    ]
    return {
        "request": request,
        "lang": lang,
        "t": translator(lang),
        "has_message": has_message,
        "href": local_href(BASE),
        "url_with": lambda **params: url_with(request, **params),
        "current_path": current_path(request),
        "alternates": list(alternates),
        "languages": switch,
        "nav_extra": services.nav,
        **extra,
    }


def render_page(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    alternates: Sequence[tuple[str, str, str]] = (),
) -> HTMLResponse:
    """Render template `name` as a page; a `?lang=` choice is remembered in a cookie.

    Routes call `web.deps.render`, which adds what a member's pages need.
    """
    templates = get_services(request).templates
    full = page_context(request, alternates, **(context or {}))
    response = templates.TemplateResponse(request, name, full, status_code=status)
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES and request.cookies.get("lang") != chosen:
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="lax")
    return response


def render_error(
    request: Request, status: int, errors: list[ErrorDetail], headers: dict[str, str] | None
) -> HTMLResponse:
    """The HTML error page (the services' `render_error`)."""
    return render_page(
        request, "error.html", {"status": status, "errors": errors}, status=status, headers=headers
    )
