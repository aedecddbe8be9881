"""Shared by the SPARQL Update tests: a served store with an admin, a member, and the spellings.

The `updates` fixture (one served store per module and backend) is in tests/conftest.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection
from typing import Any

import httpx

from commons_graph.members.accounts import Accounts
from commons_graph.rdf.namespaces import GRAPH
from commons_graph.store import Store
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
SEALED = GRAPH["codesocial/test-code/v1"]
_serial = itertools.count()


class UpdateServer:
    """The live service, its store and accounts, and an admin's and a member's tokens."""

    def __init__(
        self,
        server: LiveServer,
        accounts: Accounts,
        rows: Callable[[], Collection[object]] | None = None,
    ) -> None:
        self.server = server
        self.accounts = accounts
        # The store's own reading of every stored quad, where the backend has a cheaper exact
        # one than SPARQL (Virtuoso: its quad table in SQL, `VirtuosoServer.rows`).
        self._rows = rows
        self.url = server.url
        self.admin = accounts.add_member("Root", OUISHARE, admin=True)[1]
        self.member = accounts.add_member("Ana", OUISHARE)[1]
        member, self.revoked_admin = accounts.add_member("Old", OUISHARE, admin=True)
        accounts.revoke(member.id)

    @property
    def store(self) -> Store:
        store: Store = self.server.app.state.services.store
        return store

    def state(self) -> Collection[object]:
        """Every quad of the store, to compare before and after: read through the backend's
        own rows where it has them (Virtuoso writes 14k quads as SPARQL JSON results in ~1 s
        of CPU, its table in SQL in 0.15 s), else through SPARQL."""
        if self._rows is not None:
            return self._rows()
        return set(self.store.quads())

    def ask(self, query: str) -> bool:
        response = fetch.get(
            f"{self.url}/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200, response.text
        return bool(response.json()["boolean"])


Send = Callable[[str, str, dict[str, str]], httpx.Response]


def _form(path: str) -> Send:
    return lambda url, text, headers: fetch.post(
        url + path, data={"update": text}, headers=headers, timeout=60
    )


def _direct(path: str) -> Send:
    return lambda url, text, headers: fetch.post(
        url + path,
        content=text.encode(),
        headers={"Content-Type": "application/sparql-update", **headers},
        timeout=60,
    )


# The four spellings the protocol defines for an update.
SPELLINGS: dict[str, Send] = {
    "sparql-form": _form("/sparql"),
    "sparql-direct": _direct("/sparql"),
    "update-form": _form("/update"),
    "update-direct": _direct("/update"),
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def fresh_iri() -> str:
    return f"https://example.org/updated/{next(_serial)}"


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The pinned JSON error shape, with `status`; its first entry."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert set(body["errors"][0]) == {"focus", "path", "value", "message"}
    return body["errors"][0]  # type: ignore[no-any-return]
