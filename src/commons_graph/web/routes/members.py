"""Sign-in and sign-out, the member's account page, claims; the session, CSRF and member helpers
the contribution and history routes share."""

from __future__ import annotations

import hmac
import secrets
import threading
from typing import Any

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
from commons_graph.web.errors import request_language
from commons_graph.web.services import get_services
from commons_graph.web.templating import render as render_page

SESSION_COOKIE = "commons_graph_session"
CSRF_FIELD = "csrf_token"


router = APIRouter()
_service_lock = threading.Lock()


def install_members(app: FastAPI, settings: Settings) -> None:
    """Open the accounts, sign the session cookie, and add the member, contribution and history
    routes to the app."""
    from commons_graph.web.routes import contributions, history

    accounts = Accounts.from_settings(settings)
    app.state.accounts = accounts
    nav = list(getattr(app.state, "nav_extra", []))
    app.state.nav_extra = [*nav, ("ui.contribute", "/contribute"), ("ui.my_account", "/members/me")]
    secret = settings.secret_key or accounts.secret("session")
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=False,
    )
    contributions.install_error_handler(app)
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


def session_member(request: Request) -> Member | None:
    """The member signed in with the session cookie, if still active."""
    member_id = request.session.get("member")
    if not isinstance(member_id, int):
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
    member = accounts.by_token(token) if token else None
    if member is None and email and password:
        member = accounts.by_password(email, password)
    target = _safe_next(str(form.get("next") or ""))
    if member is None:
        lang = request_language(request)
        context = {"next": target, "error": translate("member.signin_failed", lang)}
        return render(request, "signin.html", context, status=401)
    request.session.clear()
    request.session["member"] = member.id
    request.session["csrf"] = secrets.token_urlsafe(32)  # a new session gets a new CSRF token
    return RedirectResponse(target, status_code=303)


@router.post("/signout", include_in_schema=False)
async def signout(request: Request) -> Response:
    """Close the session."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
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
        accounts_of(request).set_password(member.id, str(form.get("password") or ""))
    except BadInputError as error:
        return _account(request, member, error=str(error))
    return RedirectResponse("/members/me?message=password", status_code=303)


@router.post("/members/claims", include_in_schema=False)
async def add_claim(request: Request) -> Response:
    """Claim an organisation (an admin decides)."""
    member = require_member(request)
    form = await request.form()
    if bearer_member(request) is None:
        check_csrf(request, form.get(CSRF_FIELD))
    organisation = str(form.get("organisation") or "").strip()
    try:
        accounts_of(request).add_claim(member, organisation, str(form.get("note") or "") or None)
    except BadInputError as error:
        return _account(request, member, error=str(error))
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
