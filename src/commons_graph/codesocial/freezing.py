"""Freezing a draft into a version's content: the same statements, re-rooted on the version.

The version IRI takes the place of the #CodeSocial and each part (principle, history entry,
model) becomes a fragment of the version IRI: `…/id/principle/x` becomes `<version>#principle-x`
and `<draft>#model-y` becomes `<version>#model-y`. Re-rooting keeps every version's statements
apart from the draft's and from each other's, so the union of all graphs (what SPARQL sees)
still describes the draft once, and a version can be read, compared and hashed on its own.
Everything else (values, commons, planes, literals, blank nodes) is copied as is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

from commons_graph.codesocial.draft import DRAFT_ONLY_PREDICATES, Draft
from commons_graph.rdf.namespaces import ID

_ID = str(ID)


def anchor(part: str, root: str) -> str:
    """The fragment a part gets in a version: `principle-x`, `history-y`, or its own fragment."""
    if part.startswith(root + "#"):
        return part[len(root) + 1 :]
    if part.startswith(_ID):
        return part[len(_ID) :].replace("/", "-")
    return "part-" + hashlib.sha256(part.encode("utf-8")).hexdigest()[:16]


def part_map(draft: Draft, target: ox.NamedNode) -> dict[ox.NamedNode, ox.NamedNode]:
    """Each of the draft's IRIs (root and parts) and the IRI it gets under `target`."""
    mapping = {draft.root: target}
    for part in draft.parts():
        mapping[part] = ox.NamedNode(f"{target.value}#{anchor(part.value, draft.root.value)}")
    return mapping


def freeze(draft: Draft, version: ox.NamedNode) -> list[ox.Triple]:
    """The draft's statements re-rooted on `version`, without the draft-only bookkeeping."""
    mapping = part_map(draft, version)

    def move(
        term: ox.NamedNode | ox.BlankNode | ox.Literal,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        return mapping.get(term, term) if isinstance(term, ox.NamedNode) else term

    frozen = {
        ox.Triple(move(t.subject), t.predicate, move(t.object))  # type: ignore[arg-type]
        for t in draft.triples
        if not (t.subject == draft.root and t.predicate.value in DRAFT_ONLY_PREDICATES)
    }
    return sorted(frozen, key=str)


def neutral(
    triples: Iterable[ox.Triple], version: ox.NamedNode, root: ox.NamedNode
) -> list[ox.Triple]:
    """A version's content with its IRIs mapped back under the draft's, for comparisons."""
    prefix = version.value + "#"

    def back(
        term: ox.NamedNode | ox.BlankNode | ox.Literal,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if term == version:
            return root
        if isinstance(term, ox.NamedNode) and term.value.startswith(prefix):
            return ox.NamedNode(f"{root.value}#{term.value[len(prefix) :]}")
        return term

    return [ox.Triple(back(t.subject), t.predicate, back(t.object)) for t in triples]  # type: ignore[arg-type]
