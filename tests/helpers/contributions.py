"""Constants and small helpers shared by the contribution, history and form tests; the service
with members and their tokens (`ContributionServer`, served by the `contrib` fixture)."""

from __future__ import annotations

from pathlib import Path

import httpx

from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from tests.helpers.inprocess import InProcess

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contributions"
OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
C2C = "https://w3id.org/commons-graph/id/organisation/commons-to-commons"
GLOSSARY = "https://w3id.org/commons-graph/id/commons/collaborative-economy-glossary"
# The seed's two #CodeSocial and a principle of each (the authorisation tests' targets).
OUISHARE_CS = "https://w3id.org/commons-graph/id/codesocial/ouishare"
C2C_CS = "https://w3id.org/commons-graph/id/codesocial/commons-to-commons"
OUISHARE_PRINCIPLE = "https://w3id.org/commons-graph/id/principle/ouishare-sharing"
C2C_PRINCIPLE = "https://w3id.org/commons-graph/id/principle/commons-to-commons-co-responsibility"
SPARQL_JSON = "application/sparql-results+json"


class ContributionServer:
    """The service (in process) plus its accounts and two members' tokens."""

    def __init__(self, server: InProcess, accounts: Accounts) -> None:
        self.server = server
        self.url = server.url
        self.accounts = accounts
        self.ana_token = accounts.add_member("Ana", OUISHARE, email="ana@example.org")[1]
        self.bea_token = accounts.add_member("Bea", C2C)[1]
        self.admin_token = accounts.add_member("Admin", C2C, admin=True)[1]
        self.http = server.fresh.client(timeout=60)

    def post(self, body: bytes, token: str | None = None, **headers: str) -> httpx.Response:
        """POST a Turtle contribution with a member's token."""
        sent = {"Content-Type": "text/turtle", **headers}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        return self.http.post("/contributions", content=body, headers=sent)

    def ask(self, query: str) -> bool:
        """An ASK query through /sparql."""
        response = self.http.get(
            "/sparql", params={"query": query}, headers={"Accept": SPARQL_JSON}
        )
        assert response.status_code == 200, response.text
        return bool(response.json()["boolean"])

    def count(self) -> int:
        """The number of quads, through /sparql."""
        query = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        response = self.http.get(
            "/sparql", params={"query": query}, headers={"Accept": SPARQL_JSON}
        )
        return int(response.json()["results"]["bindings"][0]["n"]["value"])


def contribution_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The backend's settings with accounts in the test's folder (remote stores too)."""
    return settings.model_copy(update={"accounts": str(tmp_path / "accounts.sqlite")})


def valid() -> bytes:
    """A valid contribution (Turtle) of the shipped examples."""
    return (EXAMPLES / "ouishare-valid.ttl").read_bytes()
