"""Sign-in and sign-out, the member's account page, claims."""

from __future__ import annotations

import secrets

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from commons_graph.contributions.authorise import authorise_claim_decision, may_decide_claims
from commons_graph.errors import BadInputError
from commons_graph.i18n import translate
from commons_graph.members.accounts import Member
from commons_graph.members.organisations import require_organisation
from commons_graph.web.client import client_address
from commons_graph.web.deps import (
    CSRF_FIELD,
    CurrentMember,
    SessionMember,
    bearer_member,
    check_csrf,
    get_accounts,
    get_services,
    limit_writes,
    password_check,
    render,
    require_member,
    signin_redirect,
    too_many,
)
from commons_graph.web.errors import request_language

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths: a sign-in must not bounce the browser to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/members/me"


@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def signin_page(request: Request, next: str | None = None) -> Response:  # noqa: A002
    """The sign-in form."""
    return render(request, "signin.html", {"next": _safe_next(next), "error": None}, private=True)


@router.post("/signin", include_in_schema=False)
async def signin(request: Request) -> Response:
    """Check a token (or e-mail and password) and open a session."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    accounts = get_accounts(request)
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
        response = render(request, "signin.html", context, status=429, private=True)
        response.headers["Retry-After"] = str(wait)
        return response
    # The accounts file may be busy with a write: never wait for it on the event loop.
    member = await to_thread.run_sync(accounts.by_token, token) if token else None
    if member is None and email and password:
        # scrypt takes tens of milliseconds: off the event loop, and only a few at a time so
        # that a flood of sign-ins never takes the threads that serve pages.
        member = await password_check(request, accounts.by_password, email, password)
    if member is None:
        context = {"next": target, "error": translate("member.signin_failed", lang)}
        return render(request, "signin.html", context, status=401, private=True)
    request.session.clear()
    sessions = get_services(request).sessions
    request.session["session"] = await to_thread.run_sync(sessions.open, member.id)
    request.session["csrf"] = secrets.token_urlsafe(32)  # a new session gets a new CSRF token
    return RedirectResponse(target, status_code=303)


@router.post("/signout", include_in_schema=False)
async def signout(request: Request) -> Response:
    """Close the session, on the server too: a copy of the cookie names nothing any more."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    token = request.session.get("session")
    if isinstance(token, str):
        await to_thread.run_sync(get_services(request).sessions.close, token)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/members/me", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, member: SessionMember, message: str | None = None) -> Response:
    """The member's organisations, claims and password; admins also decide claims."""
    if member is None:
        return signin_redirect(request)
    return _account(request, member, message=message)


def _account(
    request: Request, member: Member, *, message: str | None = None, error: str | None = None
) -> HTMLResponse:
    accounts = get_accounts(request)
    decides = may_decide_claims(member)
    context = {
        "organisations": accounts.organisations(member),
        "claims": accounts.claims(member=member),
        "decides_claims": decides,
        "pending": accounts.claims(status="pending") if decides else [],
        "message": message,
        "error": error,
    }
    return render(request, "member.html", context, status=400 if error else 200, private=True)


@router.post("/members/me/password", include_in_schema=False)
async def set_password(request: Request, member: SessionMember) -> Response:
    """Set the member's password."""
    if member is None:
        return signin_redirect(request)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        await password_check(
            request, get_accounts(request).set_password, member.id, str(form.get("password") or "")
        )
    except BadInputError as error:
        return _account(request, member, error=error.message(request_language(request)))
    # A new password signs out every other session (one opened by whoever knew the old one).
    kept = request.session.get("session")
    await to_thread.run_sync(lambda: get_services(request).sessions.close_all(member.id, keep=kept))
    return RedirectResponse("/members/me?message=password", status_code=303)


@router.post("/members/claims", include_in_schema=False)
async def add_claim(request: Request, member: CurrentMember) -> Response:
    """Claim an organisation (an admin decides)."""
    form = await request.form()
    if bearer_member(request) is None:
        check_csrf(request, form.get(CSRF_FIELD))
    limit_writes(request, member)
    organisation = str(form.get("organisation") or "").strip()
    store = get_services(request).store
    try:
        await to_thread.run_sync(require_organisation, store, organisation)
        get_accounts(request).add_claim(member, organisation, str(form.get("note") or "") or None)
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
    authorise_claim_decision(member, f"/members/claims/{claim_id}", decision)
    accounts = get_accounts(request)
    if decision == "approve":  # a claim recorded before claims were checked is checked now
        claimed = accounts.claim(claim_id).organisation
        await to_thread.run_sync(require_organisation, get_services(request).store, claimed)
    accounts.decide_claim(claim_id, approve=decision == "approve", admin_id=member.id)
    return RedirectResponse("/members/me", status_code=303)
