"""Finding organisations already in the store that an imported row describes too."""

from __future__ import annotations

import math
import re
import unicodedata
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


# Organisations with a name, and where they are: an address (postcode, locality), a place
# they are located at (its label as the locality), or coordinates.
_NAMED = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT DISTINCT ?g ?org ?name ?postcode ?locality ?lat ?long WHERE {
  GRAPH ?g { ?org rdfs:label ?name }
  FILTER(?g != OWN_GRAPH)
  VALUES ?root { org:Organization org:FormalOrganization }
  ?org a ?type . ?type rdfs:subClassOf* ?root .
  OPTIONAL { ?org schema:address ?address .
             OPTIONAL { ?address schema:postalCode ?postcode }
             OPTIONAL { ?address schema:addressLocality ?locality } }
  OPTIONAL { ?org schema:location|schema:foundingLocation ?place . ?place rdfs:label ?locality }
  OPTIONAL { ?org wgs:lat ?lat ; wgs:long ?long }
  FILTER(isIRI(?org))
}
"""

# Two descriptions of the same name are of the same organisation when they are this close.
NEAR_KM = 1.0


@dataclass(frozen=True)
class Place:
    """Where an organisation is, as far as a description says: any part may be missing."""

    postcode: str = ""
    locality: str = ""
    point: tuple[float, float] | None = None  # (lat, long)

    def meets(self, other: Place) -> bool:
        """Whether the two places are the same: postcode, else locality, else within 1 km."""
        if self.postcode and other.postcode:
            return self.postcode == other.postcode
        if self.point and other.point:
            return _km(self.point, other.point) <= NEAR_KM
        return bool(self.locality) and self.locality == other.locality


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance between two (lat, long) points in kilometres (haversine)."""
    lat1, long1, lat2, long2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((long2 - long1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def name_key(name: str) -> str:
    """A name reduced to what tells organisations apart: letters and digits, no accents or case."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def place_of(postcode: str, locality: str, point: tuple[float, float] | None) -> Place:
    """A place with its parts compared without case or spaces."""
    return Place(postcode.replace(" ", "").upper(), name_key(locality), point)


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
    by_name: dict[str, list[tuple[str, Place]]] = field(default_factory=dict)

    def matches(
        self,
        homepage: str | None,
        identifiers: list[str],
        name: str = "",
        place: Place | None = None,
    ) -> set[str]:
        """The existing organisations with this homepage or one of these identifiers, or with
        this name at this place."""
        found: set[str] = set()
        if homepage:
            found |= self.by_homepage.get(homepage_key(homepage), set())
        for identifier in identifiers:
            found |= self.by_identifier.get(identifier_key(identifier), set())
        if name and place is not None:
            for org, where in self.by_name.get(name_key(name), []):
                if where.meets(place):
                    found.add(org)
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
    # The graph is written as an IRI term (made from a checked dataset name): excluding the
    # dataset's own organisations in the query makes a re-import's look-up four times faster.
    query = _NAMED.replace("OWN_GRAPH", str(own_graph))
    for graph, org, name, postcode, locality, lat, long in store.select(query).rows:
        if graph == own_graph or not isinstance(org, NamedNode) or not isinstance(name, Literal):
            continue
        point = None
        if isinstance(lat, Literal) and isinstance(long, Literal):
            try:
                point = (float(lat.value), float(long.value))
            except ValueError:
                point = None
        where = place_of(
            postcode.value if isinstance(postcode, Literal) else "",
            locality.value if isinstance(locality, Literal) else "",
            point,
        )
        named = name_key(name.value)
        if named and (where.postcode or where.locality or where.point):
            entries = existing.by_name.setdefault(named, [])
            if (org.value, where) not in entries:
                entries.append((org.value, where))
    return existing
