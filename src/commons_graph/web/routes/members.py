"""Sign-in and sign-out, the member's account page, claims; the session, CSRF and member helpers
the contribution and history routes share."""

from __future__ import annotations

import functools
import hmac
import secrets
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from commons_graph.config import Settings
from commons_graph.contributions.authorise import authorise_claim_decision
from commons_graph.contributions.errors import Forbidden, Unauthorised
from commons_graph.contributions.service import ContributionService
from commons_graph.errors import BadInputError
from commons_graph.i18n import translate
from commons_graph.members.accounts import Accounts, Member
from commons_graph.members.ratelimit import RateLimits, Rule, parse_rule
from commons_graph.members.sessions import Sessions
from commons_graph.web.client import client_address
from commons_graph.web.errors import HttpError, request_language
from commons_graph.web.services import get_services
from commons_graph.web.templating import render as render_page

SESSION_COOKIE = "commons_graph_session"
CSRF_FIELD = "csrf_token"
RATE_SETTINGS = (
    "signin_rate_per_address",
    "signin_rate_per_account",
    "write_rate_per_member",
    "write_rate_per_address",
)
# Password hashes computed at once (scrypt, ~50 ms and 16 MB each): enough for real sign-ins,
# few enough to leave the cores and the thread pool to everything else.
PASSWORD_CHECKS_AT_ONCE = 2
T = TypeVar("T")


router = APIRouter()
_service_lock = threading.Lock()


def install_members(app: FastAPI, settings: Settings) -> None:
    """Open the accounts, sign the session cookie, and add the member, contribution and history
    routes to the app."""
    from commons_graph.web.routes import contributions, history

    accounts = Accounts.from_settings(settings)
    app.state.accounts = accounts
    app.state.sessions = Sessions(accounts.db, settings.session_max_age)
    app.state.rate_limits = RateLimits()
    app.state.rate_rules = {
        name: Rule(name, parse_rule(f"COMMONS_GRAPH_{name.upper()}", getattr(settings, name)))
        for name in RATE_SETTINGS
    }
    nav = list(getattr(app.state, "nav_extra", []))
    app.state.nav_extra = [*nav, ("ui.contribute", "/contribute"), ("ui.my_account", "/members/me")]
    secret = settings.secret_key or accounts.secret("session")
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.session_cookie_secure,
    )
    app.include_router(router)
    app.include_router(contributions.router)
    app.include_router(history.router)


def accounts_of(request: Request) -> Accounts:
    """The app's accounts."""
    accounts: Accounts = request.app.state.accounts
    return accounts


def contribution_service(request: Request) -> ContributionService:
    """The app's contribution service, created with the store on first use."""
    services = get_services(request)
    with _service_lock:
        service = services.extras.get("contributions")
        if service is None:
            service = ContributionService(services.store, accounts_of(request))
            services.extras["contributions"] = service
    return service  # type: ignore[no-any-return,unused-ignore]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page (extending base.html) with the member and a CSRF token at hand."""
    full = {"member": session_member(request), "csrf_token": csrf_token(request), **context}
    response = render_page(request, name, full, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


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


def sessions_of(request: Request) -> Sessions:
    """The app's server-side sessions."""
    sessions: Sessions = request.app.state.sessions
    return sessions


def session_member(request: Request) -> Member | None:
    """The member signed in with the session cookie, if the session is still open on the
    server (not signed out, expired or revoked) and the member still active."""
    token = request.session.get("session")
    if not isinstance(token, str):
        return None
    member_id = sessions_of(request).member_id(token)
    if member_id is None:
        return None
    try:
        member = accounts_of(request).member(member_id)
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
    member = accounts_of(request).by_token(token.strip())
    if member is None:
        raise Unauthorised("contribution.unauthorised")
    return member


def too_many(request: Request, rule: str, key: str) -> int | None:
    """Count a request against a rate limit; the seconds to wait once it is reached."""
    rules: dict[str, Rule] = request.app.state.rate_rules
    limits: RateLimits = request.app.state.rate_limits
    return limits.hit(rules[rule], key)


def limit_writes(request: Request, member: Member | None = None) -> None:
    """Refuse (429, Retry-After) a write past the client address's or the member's limit."""
    wait = too_many(request, "write_rate_per_address", client_address(request))
    if wait is None and member is not None:
        wait = too_many(request, "write_rate_per_member", str(member.id))
    if wait is not None:
        raise HttpError(429, "rate.limited", headers={"Retry-After": str(wait)}, seconds=wait)


def require_member(request: Request) -> Member:
    """The authenticated member (token first, then session), or 401."""
    member = bearer_member(request) or session_member(request)
    if member is None:
        raise Unauthorised("contribution.unauthorised")
    return member


def signin_redirect(request: Request) -> RedirectResponse:
    """Send a browser to the sign-in page, coming back here afterwards."""
    return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)


def _safe_next(target: str | None) -> str:
    """Only local paths: a sign-in must not bounce the browser to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/members/me"


@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def signin_page(request: Request, next: str | None = None) -> Response:  # noqa: A002
    """The sign-in form."""
    return render(request, "signin.html", {"next": _safe_next(next), "error": None})


@router.post("/signin", include_in_schema=False)
async def signin(request: Request) -> Response:
    """Check a token (or e-mail and password) and open a session."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    accounts = accounts_of(request)
    token = str(form.get("token") or "").strip()
    email = str(form.get("email") or "").strip()
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or ""))
    lang = request_language(request)
    # Counted before any check, so that refused attempts cost the service nothing.
    wait = too_many(request, "signin_rate_per_address", client_address(request))
    if wait is None and email and not token:
        wait = too_many(request, "signin_rate_per_account", email.lower())
    if wait is not None:
        context = {"next": target, "error": translate("rate.limited_signin", lang, seconds=wait)}
        response = render(request, "signin.html", context, status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    # The accounts file may be busy with a write: never wait for it on the event loop.
    member = await to_thread.run_sync(accounts.by_token, token) if token else None
    if member is None and email and password:
        # scrypt takes tens of milliseconds: off the event loop, and only a few at a time so
        # that a flood of sign-ins never takes the threads that serve pages.
        member = await to_thread.run_sync(
            accounts.by_password, email, password, limiter=_password_checks(request)
        )
    if member is None:
        context = {"next": target, "error": translate("member.signin_failed", lang)}
        return render(request, "signin.html", context, status=401)
    request.session.clear()
    request.session["session"] = await to_thread.run_sync(sessions_of(request).open, member.id)
    request.session["csrf"] = secrets.token_urlsafe(32)  # a new session gets a new CSRF token
    return RedirectResponse(target, status_code=303)


async def off_loop(request: Request, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a write (or its parsing) in a worker thread, never on the event loop.

    Writes take turns anyway (the contribution service's lock): a bound of their own keeps the
    ones waiting out of the thread pool that serves pages.
    """
    limiter: CapacityLimiter | None = getattr(request.app.state, "write_threads", None)
    if limiter is None:
        limiter = request.app.state.write_threads = CapacityLimiter(
            request.app.state.settings.write_threads
        )
    return await to_thread.run_sync(functools.partial(call, *args, **kwargs), limiter=limiter)


def _password_checks(request: Request) -> CapacityLimiter:
    """The app's bound on password hashes computed at once (created in its event loop)."""
    limiter: CapacityLimiter | None = getattr(request.app.state, "password_checks", None)
    if limiter is None:
        limiter = request.app.state.password_checks = CapacityLimiter(PASSWORD_CHECKS_AT_ONCE)
    return limiter


@router.post("/signout", include_in_schema=False)
async def signout(request: Request) -> Response:
    """Close the session, on the server too: a copy of the cookie names nothing any more."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    token = request.session.get("session")
    if isinstance(token, str):
        await to_thread.run_sync(sessions_of(request).close, token)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/members/me", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, message: str | None = None) -> Response:
    """The member's organisations, claims and password; admins also decide claims."""
    member = session_member(request)
    if member is None:
        return signin_redirect(request)
    return _account(request, member, message=message)


def _account(
    request: Request, member: Member, *, message: str | None = None, error: str | None = None
) -> HTMLResponse:
    accounts = accounts_of(request)
    context = {
        "organisations": accounts.organisations(member),
        "claims": accounts.claims(member=member),
        "pending": accounts.claims(status="pending") if member.is_admin else [],
        "message": message,
        "error": error,
    }
    return render(request, "member.html", context, status=400 if error else 200)


@router.post("/members/me/password", include_in_schema=False)
async def set_password(request: Request) -> Response:
    """Set the member's password."""
    member = session_member(request)
    if member is None:
        return signin_redirect(request)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        await to_thread.run_sync(
            accounts_of(request).set_password,
            member.id,
            str(form.get("password") or ""),
            limiter=_password_checks(request),
        )
    except BadInputError as error:
        return _account(request, member, error=error.message(request_language(request)))
    # A new password signs out every other session (one opened by whoever knew the old one).
    kept = request.session.get("session")
    await to_thread.run_sync(lambda: sessions_of(request).close_all(member.id, keep=kept))
    return RedirectResponse("/members/me?message=password", status_code=303)


@router.post("/members/claims", include_in_schema=False)
async def add_claim(request: Request) -> Response:
    """Claim an organisation (an admin decides)."""
    member = require_member(request)
    form = await request.form()
    if bearer_member(request) is None:
        check_csrf(request, form.get(CSRF_FIELD))
    limit_writes(request, member)
    organisation = str(form.get("organisation") or "").strip()
    try:
        accounts_of(request).add_claim(member, organisation, str(form.get("note") or "") or None)
    except BadInputError as error:
        return _account(request, member, error=error.message(request_language(request)))
    return RedirectResponse("/members/me", status_code=303)


@router.post("/members/claims/{claim_id}/{decision}", include_in_schema=False)
async def decide_claim(request: Request, claim_id: int, decision: str) -> Response:
    """Approve or reject a claim (admins only)."""
    member = require_member(request)
    form = await request.form()
    if bearer_member(request) is None:
        check_csrf(request, form.get(CSRF_FIELD))
    authorise_claim_decision(member.is_admin, f"/members/claims/{claim_id}", decision)
    accounts_of(request).decide_claim(claim_id, approve=decision == "approve", admin_id=member.id)
    return RedirectResponse("/members/me", status_code=303)
