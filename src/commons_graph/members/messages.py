"""The English and French texts of member accounts: sign-in, rate limits, tokens."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "member.signin_failed": {
        "en": "This token or password is not valid.",
        "fr": "Ce jeton ou ce mot de passe n'est pas valide.",
    },
    # Accounts, sessions and rate limits (issue 17).
    "rate.limited": {
        "en": "Too many requests from this client or member: try again in {seconds} seconds.",
        "fr": "Trop de requêtes de ce client ou de ce membre : réessayez dans {seconds} secondes.",
    },
    "rate.limited_signin": {
        "en": "Too many sign-in attempts: try again in {seconds} seconds.",
        "fr": "Trop de tentatives de connexion : réessayez dans {seconds} secondes.",
    },
    "member.error.not_an_organisation": {
        "en": "{iri} is not an organisation of this network: only organisations can be claimed",
        "fr": (
            "{iri} n'est pas une organisation de ce réseau : seules les organisations peuvent "
            "être revendiquées"
        ),
    },
    "member.error.organisation_not_http": {
        "en": "the organisation must be an http(s) IRI, not {iri!r}",
        "fr": "l'organisation doit être une IRI http(s), pas {iri!r}",
    },
    "member.error.name_required": {
        "en": "a member needs a name",
        "fr": "un membre doit avoir un nom",
    },
    "member.error.no_member": {
        "en": "no member number {number}",
        "fr": "aucun membre numéro {number}",
    },
    "member.error.short_password": {
        "en": "a password needs at least {length} characters",
        "fr": "un mot de passe doit avoir au moins {length} caractères",
    },
    "member.error.organisation_not_iri": {
        "en": "the organisation must be an IRI, not {iri!r}",
        "fr": "l'organisation doit être une IRI, pas {iri!r}",
    },
    "member.error.no_claim": {
        "en": "no claim number {number}",
        "fr": "aucune revendication numéro {number}",
    },
    "member.error.claim_decided": {
        "en": "claim {number} is already {state}",
        "fr": "la revendication {number} est déjà {state}",
    },
    "member.error.bad_rate": {
        "en": "{setting}: {text!r} is not a rate limit (write e.g. '10/minute;100/day')",
        "fr": (
            "{setting} : {text!r} n'est pas une limite de débit (écrivez par exemple "
            "'10/minute;100/day')"
        ),
    },
}
