"""Who may say what: members describe their organisations and the resources they create.

A statement is accepted when its subject is
- one of the member's organisations (their own, or one whose claim an admin approved);
- a blank node of the contribution;
- a resource already described only by contributions of those organisations;
- the #CodeSocial of one of those organisations, or one of its parts; or
- a new resource (described nowhere yet) minted under the instances' namespace `…/id/`.
Anything else changes a description that belongs to someone else: 403, naming it. Links *to*
other organisations are allowed; they stay unconfirmed until the other side states them too
(see links.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from commons_graph.codesocial.draft import codesocial_owners
from commons_graph.contributions.errors import Forbidden
from commons_graph.contributions.provenance import contribution_id_of
from commons_graph.contributions.terms import subjects
from commons_graph.errors import ErrorDetail
from commons_graph.i18n import translate
from commons_graph.namespaces import ID
from commons_graph.store.base import Store, values_block

OrganisationLookup = Callable[[Iterable[str]], dict[str, str]]


def describing_graphs(store: Store, resources: list[ox.NamedNode]) -> dict[str, set[str]]:
    """For each resource, the named graphs that hold statements about it."""
    if not resources:
        return {}
    query = "SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }\n" + values_block("s", resources)
    found: dict[str, set[str]] = {}
    for subject, graph in store.select(query).rows:
        if isinstance(subject, ox.NamedNode) and isinstance(graph, ox.NamedNode):
            found.setdefault(subject.value, set()).add(graph.value)
    return found


def authorise(
    store: Store,
    triples: list[ox.Triple],
    organisations: list[str],
    organisation_of: OrganisationLookup,
    *,
    own_graph: str | None = None,
) -> None:
    """Raise Forbidden (403) naming every resource the member may not describe."""
    allowed = set(organisations)
    candidates = [s for s in subjects(triples) if s.value not in allowed]
    graphs = describing_graphs(store, candidates)
    contribution_ids = {
        cid for gs in graphs.values() for g in gs if (cid := contribution_id_of(g)) is not None
    }
    owners = organisation_of(contribution_ids)
    # A #CodeSocial and its parts belong to its subject's members wherever they were first
    # stated (the seed ships drafts): published versions are sealed and never match here.
    codesocial = codesocial_owners(store, candidates)
    refused: list[tuple[str, str]] = []
    for subject in candidates:
        if codesocial.get(subject.value, set()) & allowed:
            continue
        held_in = graphs.get(subject.value, set()) - ({own_graph} if own_graph else set())
        if not held_in:
            if not subject.value.startswith(str(ID)):
                refused.append((subject.value, "contribution.forbidden_namespace"))
            continue
        for graph in held_in:
            cid = contribution_id_of(graph)
            if cid is None or owners.get(cid) not in allowed:
                refused.append((subject.value, "contribution.forbidden_subject"))
                break
    if refused:
        raise _forbidden(refused)


class _Refusal(Forbidden):
    """A 403 whose details name each refused resource in the caller's language."""

    def __init__(self, refused: list[tuple[str, str]]) -> None:
        super().__init__("contribution.forbidden", resources=", ".join(r for r, _ in refused))
        self.refused = refused

    def details(self, lang: str) -> list[ErrorDetail]:
        """One entry per refused resource."""
        return [
            ErrorDetail(translate(key, lang, resource=resource, namespace=str(ID)), focus=resource)
            for resource, key in self.refused
        ]


def _forbidden(refused: list[tuple[str, str]]) -> Forbidden:
    return _Refusal(refused)
