"""Shared by the #CodeSocial tests: seed IRIs, draft edits, tampering behind the guard."""

from __future__ import annotations

import httpx
import pyoxigraph as ox

from commons_graph.codesocial.iris import VersionRef
from commons_graph.config import Settings
from commons_graph.rdf.namespaces import CG
from commons_graph.store import ChangeSet, Store
from tests.helpers import http as fetch

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
DRAFT = "https://w3id.org/commons-graph/id/codesocial/ouishare"
SHARING = ox.NamedNode("https://w3id.org/commons-graph/id/principle/ouishare-sharing")
CARE = ox.NamedNode("https://w3id.org/commons-graph/value/care")
ECONOMIC = "https://w3id.org/commons-graph/plane/economic"
EDIT_GRAPH = ox.NamedNode("https://w3id.org/commons-graph/graph/contribution/test-edit")


def edit_draft(store: Store) -> ox.Triple:
    """Add one statement to the draft, as a contribution would (in its own named graph)."""
    triple = ox.Triple(SHARING, ox.NamedNode(CG + "concernsValue"), CARE)
    store.commit(ChangeSet(insert=[ox.Quad(*triple, EDIT_GRAPH)]))
    return triple


def tamper(store: Store, settings: Settings, ref: VersionRef) -> None:
    """Remove one statement from a sealed version behind the guard's back."""
    victim = sorted(store.quads(ref.content_graph), key=str)[0]
    if settings.is_remote:
        update = f"DELETE DATA {{ GRAPH {ref.content_graph} {{ {victim.triple} }} }}"
        # As the store writes (Virtuoso's update URL wants HTTP Digest); oxigraph serve has none.
        auth = (
            httpx.DigestAuth(settings.store_user, settings.store_password)
            if settings.store_user and settings.store_password
            else None
        )
        response = fetch.post(
            str(settings.store_update), data={"update": update}, auth=auth, timeout=30
        )
        response.raise_for_status()
    else:
        store.native.remove(victim)  # type: ignore[attr-defined]
