"""Finding organisations already in the store that an imported row describes too."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode

from commons_graph.store.base import Store

_ORGANISATIONS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?g ?org ?key WHERE {
  GRAPH ?g { ?org ?property ?key }
  VALUES ?property { foaf:homepage org:identifier }
  VALUES ?root { org:Organization org:FormalOrganization }
  ?org a ?type . ?type rdfs:subClassOf* ?root .
  FILTER(isIRI(?org))
}
"""


def homepage_key(iri: str) -> str:
    """A web address reduced to what tells sites apart: host without www, path, query."""
    parts = urlsplit(iri.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    for index in ("/index.html", "/index.htm", "/index.php"):
        path = path.removesuffix(index)
    return host + path + (f"?{parts.query}" if parts.query else "")


def identifier_key(value: str) -> str:
    """An organisation identifier without spaces, case or an org-id.guide register prefix."""
    key = value.replace(" ", "").upper()
    return key.removeprefix("GB-COH-")


@dataclass
class ExistingOrganisations:
    """Organisations outside the imported graph, by homepage key and by identifier key."""

    by_homepage: dict[str, set[str]] = field(default_factory=dict)
    by_identifier: dict[str, set[str]] = field(default_factory=dict)

    def matches(self, homepage: str | None, identifiers: list[str]) -> set[str]:
        """The existing organisations with this homepage or one of these identifiers."""
        found: set[str] = set()
        if homepage:
            found |= self.by_homepage.get(homepage_key(homepage), set())
        for identifier in identifiers:
            found |= self.by_identifier.get(identifier_key(identifier), set())
        return found


def existing_organisations(store: Store, own_graph: NamedNode) -> ExistingOrganisations:
    """Every organisation with a homepage or identifier, except those of `own_graph`."""
    existing = ExistingOrganisations()
    # The graph is compared here, not in the query: a trailing VALUES binds after FILTERs run.
    for graph, org, key in store.select(_ORGANISATIONS).rows:
        if graph == own_graph or not isinstance(org, NamedNode):
            continue
        if isinstance(key, NamedNode):
            existing.by_homepage.setdefault(homepage_key(key.value), set()).add(org.value)
        elif isinstance(key, Literal) and key.value.strip():
            existing.by_identifier.setdefault(identifier_key(key.value), set()).add(org.value)
    return existing
