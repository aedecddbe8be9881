"""The IRIs of #CodeSocial documents, their versions and the sealed graphs that hold them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyoxigraph import NamedNode

from commons_graph.rdf.namespaces import BASE, GRAPH, ID

CODESOCIAL_PREFIX = ID + "codesocial/"
VERSION_GRAPH_PREFIX = GRAPH + "codesocial/"
PLANE_PREFIX = BASE + "plane/"

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_VERSION = re.compile(r"^v([1-9][0-9]*)$")


def term(namespace: str, name: str) -> NamedNode:
    """The IRI `namespace` + `name` as a term."""
    return NamedNode(namespace + name)


def is_slug(slug: str) -> bool:
    """Whether `slug` can name a #CodeSocial (one path segment, no reserved characters)."""
    return bool(_SLUG.match(slug)) and slug not in ("latest",)


def draft_iri(slug: str) -> NamedNode:
    """The living (draft) #CodeSocial called `slug`."""
    return NamedNode(CODESOCIAL_PREFIX + slug)


def slug_of(iri: str) -> str | None:
    """The slug of a draft #CodeSocial IRI, or None when `iri` is not one."""
    if not iri.startswith(CODESOCIAL_PREFIX):
        return None
    rest = iri[len(CODESOCIAL_PREFIX) :]
    return rest if is_slug(rest) else None


@dataclass(frozen=True)
class VersionRef:
    """One published version: its document's slug and its number, and every IRI it has."""

    slug: str
    number: int

    @property
    def iri(self) -> NamedNode:
        """The version itself, `…/id/codesocial/<slug>/v<N>`."""
        return NamedNode(f"{CODESOCIAL_PREFIX}{self.slug}/v{self.number}")

    @property
    def draft(self) -> NamedNode:
        """The #CodeSocial it is a version of."""
        return draft_iri(self.slug)

    @property
    def content_graph(self) -> NamedNode:
        """The sealed graph holding the frozen content, exactly the hashed triples."""
        return NamedNode(f"{VERSION_GRAPH_PREFIX}{self.slug}/v{self.number}")

    @property
    def publication_graph(self) -> NamedNode:
        """The sealed graph holding the publication record (number, date, publisher, hash)."""
        return NamedNode(f"{VERSION_GRAPH_PREFIX}{self.slug}/v{self.number}/publication")

    @property
    def activity(self) -> NamedNode:
        """The prov:Activity that published it."""
        return NamedNode(f"{self.iri.value}#publication")

    @property
    def previous(self) -> VersionRef | None:
        """The version it revises, if any."""
        return VersionRef(self.slug, self.number - 1) if self.number > 1 else None


def latest_iri(slug: str) -> NamedNode:
    """The stable IRI that always leads to the latest published version."""
    return NamedNode(f"{CODESOCIAL_PREFIX}{slug}/latest")


def parse_version_iri(iri: str) -> VersionRef | None:
    """The version a `…/id/codesocial/<slug>/v<N>` IRI names, or None."""
    if not iri.startswith(CODESOCIAL_PREFIX):
        return None
    slug, _, tail = iri[len(CODESOCIAL_PREFIX) :].partition("/")
    match = _VERSION.match(tail)
    if not match or not is_slug(slug):
        return None
    return VersionRef(slug, int(match.group(1)))


def resolve(iri: str) -> tuple[str, int | None] | None:
    """A draft or version IRI as (slug, number or None for the draft), or None."""
    version = parse_version_iri(iri)
    if version is not None:
        return version.slug, version.number
    slug = slug_of(iri)
    return (slug, None) if slug else None
