"""Verifying a version: recompute its content hash from the store and compare it to the record."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.codesocial.canonical import content_hash
from commons_graph.codesocial.iris import VersionRef
from commons_graph.codesocial.versions import get_version, publication_record, version_content
from commons_graph.rdf.namespaces import CG
from commons_graph.store.base import Store


@dataclass(frozen=True)
class Verification:
    """The outcome of checking one version."""

    ref: VersionRef
    recorded: tuple[str, ...]
    computed: str
    triples: int

    @property
    def ok(self) -> bool:
        """Whether the record holds exactly one hash and the content still has it."""
        return self.recorded == (self.computed,) and self.triples > 0


def verify(store: Store, ref: VersionRef) -> Verification:
    """Recompute the hash of `ref`'s content graph and compare it with its publication record."""
    get_version(store, ref)  # NotFoundError when it was never published
    recorded = tuple(
        sorted(
            t.object.value
            for t in publication_record(store, ref)
            if t.subject == ref.iri
            and t.predicate.value == CG + "contentHash"
            and isinstance(t.object, ox.Literal)
        )
    )
    content = version_content(store, ref)
    return Verification(ref, recorded, content_hash(content), len(content))
