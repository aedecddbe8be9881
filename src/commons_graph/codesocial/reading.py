"""Resolving what people name (a draft, a version, `latest`) to states that can be compared."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.codesocial.comparison import Comparison, group_changes
from commons_graph.codesocial.draft import read_draft
from commons_graph.codesocial.freezing import freeze, neutral
from commons_graph.codesocial.iris import CODESOCIAL_PREFIX, VersionRef, draft_iri, resolve
from commons_graph.codesocial.versions import (
    get_version,
    latest_version,
    list_versions,
    version_content,
)
from commons_graph.errors import BadInputError, NotFoundError
from commons_graph.store.base import Store


@dataclass(frozen=True)
class State:
    """A draft (number None) or a published version of one #CodeSocial."""

    slug: str
    number: int | None


def parse_state(iri: str) -> State:
    """The state an IRI names: a draft, a version, or `…/latest` (number 0 until resolved)."""
    if iri.startswith(CODESOCIAL_PREFIX) and iri.endswith("/latest"):
        slug = iri[len(CODESOCIAL_PREFIX) : -len("/latest")]
        if resolve(CODESOCIAL_PREFIX + slug) is not None:
            return State(slug, 0)
    resolved = resolve(iri)
    if resolved is None:
        raise BadInputError("codesocial.error.not_a_state", iri=iri)
    return State(*resolved)


def latest_ref(store: Store, slug: str) -> VersionRef:
    """The latest version of `slug`; NotFoundError when none is published."""
    latest = latest_version(store, slug)
    if latest is None:
        raise NotFoundError("codesocial.error.no_version", iri=draft_iri(slug).value)
    return latest.ref


def version_refs(store: Store, iri: str) -> list[VersionRef]:
    """The versions an IRI names: one version, the latest, or all versions of a draft."""
    state = parse_state(iri)
    if state.number == 0:
        return [latest_ref(store, state.slug)]
    if state.number is None:
        refs = [info.ref for info in list_versions(store, state.slug)]
        if not refs:
            raise NotFoundError("codesocial.error.no_version", iri=draft_iri(state.slug).value)
        return refs
    ref = VersionRef(state.slug, state.number)
    get_version(store, ref)
    return [ref]


def neutral_state(store: Store, state: State) -> list[ox.Triple]:
    """A state's statements with IRIs in the draft's space, so any two states compare."""
    root = draft_iri(state.slug)
    if state.number is None:
        draft = read_draft(store, root)
        if not draft.exists:
            raise NotFoundError("codesocial.error.no_document", iri=root.value)
        return freeze(draft, root)
    ref = (
        latest_ref(store, state.slug) if state.number == 0 else VersionRef(state.slug, state.number)
    )
    get_version(store, ref)
    return neutral(version_content(store, ref), ref.iri, root)


def compare_states(store: Store, old: str, new: str) -> Comparison:
    """What changed from the state named `old` to the one named `new` (same #CodeSocial)."""
    before, after = parse_state(old), parse_state(new)
    if before.slug != after.slug:
        raise BadInputError("codesocial.error.compare_other")
    return group_changes(
        draft_iri(before.slug), neutral_state(store, before), neutral_state(store, after)
    )
