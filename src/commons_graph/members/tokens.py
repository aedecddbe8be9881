"""Secrets members hold: random bearer tokens (SHA-256) and optional passwords (scrypt).

Tokens carry 256 bits from `secrets`, so a single SHA-256 makes the stored hash useless to a
thief: nobody can search a 2**256 space, and a fast hash lets us look a token up by its hash
(an index) instead of trying every member. Passwords are chosen by people and guessable, so they
get a salted, deliberately slow scrypt.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

TOKEN_PREFIX = "cgm_"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
MIN_PASSWORD_LENGTH = 10


def new_token() -> str:
    """A fresh bearer token (shown once to its holder, stored only as a hash)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """The stored form of a password: scrypt with a random salt, parameters included."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the stored hash, compared in constant time."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(
        password.encode("utf-8"),
        salt=bytes.fromhex(salt),
        **_SCRYPT,
    )
    return hmac.compare_digest(candidate.hex(), digest)


@functools.cache
def dummy_hash() -> str:
    """A password hash nobody's password matches, checked when the address is unknown."""
    return hash_password(secrets.token_urlsafe(32))
