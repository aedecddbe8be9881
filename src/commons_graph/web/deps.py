"""What a request needs, in one place: the services, the member, CSRF, limits, threads, pages.

Routes take these as FastAPI dependencies (`ServicesDep`, `StoreDep`, `SessionMember`, ...) or
call the plain functions; no route module reaches into `app.state` or into another route module.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, TypeVar

from anyio import to_thread
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pyoxigraph import NamedNode

from commons_graph.config import Settings
from commons_graph.contributions.errors import Forbidden, Unauthorised
from commons_graph.contributions.service import ContributionService
from commons_graph.members.accounts import Accounts, Member
from commons_graph.rdf.namespaces import BASE
from commons_graph.search.service import Search
from commons_graph.store.base import Store
from commons_graph.web.answer_store import AnswerStore
from commons_graph.web.client import client_address
from commons_graph.web.errors import HttpError, request_language
from commons_graph.web.services import Services
from commons_graph.web.services import get_services as get_services
from commons_graph.web.templating import render_page

SESSION_COOKIE = "commons_graph_session"
CSRF_FIELD = "csrf_token"
T = TypeVar("T")


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return get_services(request).settings


def get_store(request: Request) -> Store:
    """The app's store."""
    return get_services(request).store


def get_search(request: Request) -> Search:
    """The app's full-text search."""
    return get_services(request).search


def get_accounts(request: Request) -> Accounts:
    """The app's accounts."""
    return get_services(request).accounts


def get_contributions(request: Request) -> ContributionService:
    """The app's contribution service."""
    return get_services(request).contributions


async def _services(request: Request) -> Services:
    # Dependencies that only read the services are coroutines: FastAPI runs plain functions
    # in the thread pool, a hop these do not need.
    return get_services(request)


async def _settings(request: Request) -> Settings:
    return get_settings(request)


async def _store(request: Request) -> Store:
    return get_store(request)


async def _accounts(request: Request) -> Accounts:
    return get_accounts(request)


async def _contributions(request: Request) -> ContributionService:
    return get_contributions(request)


async def _language(request: Request) -> str:
    return request_language(request)


# Aliases for route signatures, as in FastAPI's full-stack template (`SessionDep`).
ServicesDep = Annotated[Services, Depends(_services)]
SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]
AccountsDep = Annotated[Accounts, Depends(_accounts)]
ContributionsDep = Annotated[ContributionService, Depends(_contributions)]
Language = Annotated[str, Depends(_language)]


# Members: a bearer token (tools) or the session cookie (browsers).


def session_member(request: Request) -> Member | None:
    """The member signed in with the session cookie, if the session is still open on the
    server (not signed out, expired or revoked) and the member still active."""
    token = request.session.get("session")
    if not isinstance(token, str):
        return None
    services = get_services(request)
    member_id = services.sessions.member_id(token)
    if member_id is None:
        return None
    try:
        member = services.accounts.member(member_id)
    except Exception:  # noqa: BLE001 - a stale cookie for a deleted account is just no member
        return None
    return member if member.active else None


def bearer_member(request: Request) -> Member | None:
    """The member named by an `Authorization: Bearer` token; 401 when the token is wrong."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorised("contribution.unauthorised")
    member = get_accounts(request).by_token(token.strip())
    if member is None:
        raise Unauthorised("contribution.unauthorised")
    return member


def require_member(request: Request) -> Member:
    """The authenticated member (token first, then session), or 401."""
    member = bearer_member(request) or session_member(request)
    if member is None:
        raise Unauthorised("contribution.unauthorised")
    return member


# These read the accounts database: FastAPI runs them in the thread pool.
SessionMember = Annotated[Member | None, Depends(session_member)]
CurrentMember = Annotated[Member, Depends(require_member)]


def signin_redirect(request: Request) -> RedirectResponse:
    """Send a browser to the sign-in page, coming back here afterwards."""
    return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)


# Forms: the session's CSRF token.


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, submitted: object) -> None:
    """Refuse a form post whose token does not match the session's (403)."""
    expected = request.session.get("csrf")
    if not (
        isinstance(submitted, str)
        and expected
        and hmac.compare_digest(submitted.encode(), str(expected).encode())
    ):
        raise Forbidden("contribution.csrf")


# Limits: request rates, and the threads writes and password checks run in.


def too_many(request: Request, rule: str, key: str) -> int | None:
    """Count a request against a rate limit; the seconds to wait once it is reached."""
    services = get_services(request)
    return services.rate_limits.hit(services.rate_rules[rule], key)


def limit_writes(request: Request, member: Member | None = None) -> None:
    """Refuse (429, Retry-After) a write past the client address's or the member's limit."""
    wait = too_many(request, "write_rate_per_address", client_address(request))
    if wait is None and member is not None:
        wait = too_many(request, "write_rate_per_member", str(member.id))
    if wait is not None:
        raise HttpError(429, "rate.limited", headers={"Retry-After": str(wait)}, seconds=wait)


async def off_loop(request: Request, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a write (or its parsing) in a worker thread, never on the event loop, within the
    app's bound on write threads."""
    limiter = get_services(request).write_threads
    return await to_thread.run_sync(functools.partial(call, *args, **kwargs), limiter=limiter)


async def password_check(request: Request, call: Callable[..., T], *args: Any) -> T:
    """Run a password hash (scrypt: tens of milliseconds) off the event loop, and only a few at
    a time, so that a flood of sign-ins never takes the threads that serve pages."""
    limiter = get_services(request).password_checks
    return await to_thread.run_sync(call, *args, limiter=limiter)


# Read side: not-found answers and minted IRIs.


def not_found(request: Request) -> HttpError:
    """A 404 in the caller's language."""
    return HttpError(404, "error.not_found")


def minted_iri(request: Request, path: str) -> str:
    """BASE + `path`; a 404 when that is no IRI (a space, a control character, a character
    that came from invalid UTF-8): no resource can have it."""
    iri = BASE + path
    try:
        NamedNode(iri)
    except ValueError:
        raise not_found(request) from None
    return iri


# Pages: the one `render`.


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    alternates: Sequence[tuple[str, str, str]] = (),
    private: bool = False,
) -> HTMLResponse:
    """Render template `name` as a page (extending base.html).

    A `private` page (a member's own, or one with a form) also gets the signed-in member and the
    session's CSRF token, and is never stored by caches.
    """
    full = dict(context or {})
    if private:
        full = {"member": session_member(request), "csrf_token": csrf_token(request), **full}
    response = render_page(
        request, name, full, status=status, headers=headers, alternates=alternates
    )
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response


def response_cache_stats(request: Request) -> dict[str, float]:
    """The response cache's counters (web/response_cache.py), kept by the app."""
    answers: AnswerStore = request.app.state.answers
    return answers.stats.as_dict()
