"""Who may write what: the one authorisation rule, applied to every write path.

Who may change a resource is derived only from facts the requester cannot write: the shipped
graphs, the accounts database (a member's organisation, claims an admin approved, which
organisation made each contribution), and the contribution graphs of the organisation that owns
the resource. Statements members contributed never grant anyone a right.

A member acting for organisations O may state something about a resource R when:
1. R is not a #CodeSocial version IRI, `…/latest`, a page under a #CodeSocial, or a fragment of
   one: those are written by publishing only (the store refuses them too, see store/sealing.py);
2. R is not described by the model: the ontology, shapes, vocabularies and shipped schemes;
3. and one of:
   - R is one of O (the member's organisation, or one an admin approved a claim for);
   - every graph that describes R (but the contribution being replaced) is a contribution of
     one of O, or a seed graph that itself says R is, or is part of, a #CodeSocial of one of O;
   - R is described nowhere yet and is an IRI under `…/id/` (a new resource); a new fragment
     `X#f` belongs to whoever may change X, and is created with X when X is new.
A statement `R owl:sameAs S` says as much about S as about R, and `R cg:codeSocialOf S` claims
S's #CodeSocial: S is judged as if it were a subject too (except an IRI outside this service
that no graph describes: a link to the wider web). Blank nodes are the contribution's own (the
service gives them fresh labels). Links *to* other organisations are allowed; they stay
unconfirmed until the other side states them too (see links.py).

A revert or an idempotent replay is judged like a new write of the same statements, now. The
same module decides who may act on a contribution, publish a #CodeSocial and decide claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from commons_graph.codesocial.draft import PART_PREDICATES
from commons_graph.codesocial.iris import CODESOCIAL_PREFIX
from commons_graph.contributions.errors import ContributionError, Forbidden
from commons_graph.contributions.provenance import contribution_id_of
from commons_graph.contributions.terms import subjects
from commons_graph.errors import ErrorDetail
from commons_graph.i18n import translate
from commons_graph.rdf.namespaces import BASE, CG, GRAPH, ID, OWL
from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH, RELATED_TO
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block

if TYPE_CHECKING:
    from commons_graph.members.accounts import Member

OrganisationLookup = Callable[[Iterable[str]], dict[str, str]]

SEED_GRAPH_PREFIX = GRAPH + "seed/"
# Graphs holding the model: nobody changes what they describe through contributions.
MODEL_GRAPH_PREFIXES = (
    GRAPH + "ontology",
    GRAPH + "shapes",
    GRAPH + "vocabulary/",
    GRAPH + "seed/schemes/",
    GRAPH + "seed/mappings/",
)
SAME_AS = OWL + "sameAs"
CODESOCIAL_OF = CG + "codeSocialOf"
# Predicates whose object is judged as a subject (see the module's docstring).
_SYMMETRIC = {
    SAME_AS: "contribution.forbidden_same_as",
    CODESOCIAL_OF: "contribution.forbidden_codesocial_of",
}
# `…/id/codesocial/<slug>/anything`: versions, `latest` and the pages under a #CodeSocial.
_UNDER_CODESOCIAL = re.compile(re.escape(CODESOCIAL_PREFIX) + r"[^/#]+/")


def is_publishing_only(iri: str) -> bool:
    """Whether `iri` is a #CodeSocial version, `latest`, a page under one, or their fragments."""
    return bool(_UNDER_CODESOCIAL.match(iri))


def describing_graphs(store: Store, resources: list[ox.NamedNode]) -> dict[str, set[str]]:
    """For each resource, the named graphs that hold statements about it.

    The derived relations' graph does not count: the service writes it from facts others
    stated, so it neither gives nor takes anyone's right to change an organisation (and its
    own nodes, outside `…/id/`, are nobody's to create).
    """
    if not resources:
        return {}
    # The VALUES block opens the pattern: Virtuoso answers nothing to a trailing one.
    query = (
        f"SELECT DISTINCT ?s ?g WHERE {{ {values_block('s', resources)} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(?g != {DERIVED_RELATIONS_GRAPH}) }}"
    )
    found: dict[str, set[str]] = {}
    for subject, graph in store.select(query).rows:
        if isinstance(subject, ox.NamedNode) and isinstance(graph, ox.NamedNode):
            found.setdefault(subject.value, set()).add(graph.value)
    return found


_PARTS = " ".join(str(ox.NamedNode(p)) for p in PART_PREDICATES)
_SEED = ox.Literal(SEED_GRAPH_PREFIX)
# Only the seed's own statements say which #CodeSocial (and parts) it ships for whom.
_SEED_OWNERS_QUERY = f"""
SELECT DISTINCT ?r ?owner WHERE {{
  #VALUES#
  {{ GRAPH ?g {{ ?r <{CODESOCIAL_OF}> ?owner }} FILTER(STRSTARTS(STR(?g), {_SEED})) }}
  UNION
  {{ GRAPH ?g {{ ?cs ?hp ?r }} VALUES ?hp {{ {_PARTS} }} FILTER(STRSTARTS(STR(?g), {_SEED}))
     GRAPH ?g2 {{ ?cs <{CODESOCIAL_OF}> ?owner }} FILTER(STRSTARTS(STR(?g2), {_SEED})) }}
}}
"""


def seed_owners(store: Store, resources: list[ox.NamedNode]) -> dict[str, set[str]]:
    """For each resource the seed ships as a #CodeSocial or one of its parts, its subjects."""
    if not resources:
        return {}
    query = _SEED_OWNERS_QUERY.replace("#VALUES#", values_block("r", resources))
    owners: dict[str, set[str]] = {}
    for resource, owner in store.select(query).rows:
        if isinstance(resource, ox.NamedNode) and isinstance(owner, ox.NamedNode):
            owners.setdefault(resource.value, set()).add(owner.value)
    return owners


def _base(iri: str) -> str | None:
    """The resource a fragment IRI belongs to (`X` for `X#f`), or None."""
    base, hash_sign, _ = iri.partition("#")
    return base if hash_sign and base else None


@dataclass(frozen=True)
class _Target:
    """A resource to judge and the message key used when it is refused."""

    iri: str
    key: str


def _targets(store: Store, triples: list[ox.Triple]) -> list[_Target]:
    """The resources the contribution changes: its subjects and what symmetric links reach."""
    found: dict[str, _Target] = {
        s.value: _Target(s.value, "contribution.forbidden_subject") for s in subjects(triples)
    }
    linked = [
        (t.object, _SYMMETRIC[t.predicate.value])
        for t in triples
        if t.predicate.value in _SYMMETRIC and isinstance(t.object, ox.NamedNode)
    ]
    described = describing_graphs(store, [o for o, _ in linked])
    for obj, key in linked:
        # A link to the wider web (nothing here describes it) changes nobody's description.
        if obj.value in found or (not obj.value.startswith(BASE) and obj.value not in described):
            continue
        found[obj.value] = _Target(obj.value, key)
    return sorted(found.values(), key=lambda t: t.iri)


def authorise(
    store: Store,
    triples: list[ox.Triple],
    organisations: list[str],
    organisation_of: OrganisationLookup,
    *,
    own_graph: str | None = None,
) -> None:
    """Raise Forbidden (403) naming every resource the member may not change.

    `own_graph` is the contribution being replaced or reverted: its current statements do not
    count, since the write drops them.
    """
    allowed = set(organisations)
    targets = _targets(store, triples)
    refused: list[tuple[str, str]] = sorted(
        {
            (t.subject.value, "contribution.forbidden_derived")
            for t in triples
            if t.predicate == RELATED_TO and isinstance(t.subject, ox.NamedNode)
        }
    )
    judged: list[_Target] = []
    for target in targets:
        if is_publishing_only(target.iri):
            refused.append((target.iri, "contribution.forbidden_version"))
        else:
            judged.append(target)
    iris = {t.iri for t in judged} | {b for t in judged if (b := _base(t.iri))}
    nodes = [ox.NamedNode(i) for i in sorted(iris)]
    graphs = describing_graphs(store, nodes)
    if own_graph:
        graphs = {r: gs - {own_graph} for r, gs in graphs.items()}
    contribution_ids = {
        cid for gs in graphs.values() for g in gs if (cid := contribution_id_of(g)) is not None
    }
    owners = organisation_of(contribution_ids)
    shipped = seed_owners(store, nodes)

    def may_change(iri: str) -> bool:
        held_in = graphs.get(iri, set())
        if any(g.startswith(MODEL_GRAPH_PREFIXES) for g in held_in):
            return False
        if iri in allowed:
            return True
        for graph in held_in:
            cid = contribution_id_of(graph)
            if cid is not None:
                if owners.get(cid) not in allowed:
                    return False
            elif not (graph.startswith(SEED_GRAPH_PREFIX) and shipped.get(iri, set()) & allowed):
                return False
        return True

    described_here = {s.value for s in subjects(triples)}
    for target in judged:
        iri, base = target.iri, _base(target.iri)
        if graphs.get(iri) or iri in allowed:
            if not may_change(iri):
                refused.append((iri, target.key))
        elif base is not None and graphs.get(base):
            # A new fragment of a described resource is part of it (a model of a #CodeSocial).
            if not may_change(base):
                refused.append((iri, target.key))
        elif base is not None and base not in described_here and base not in allowed:
            # Nobody plants `X#f` before X exists, to be swept into X's owner's #CodeSocial.
            refused.append((iri, "contribution.forbidden_fragment"))
        elif not iri.startswith(str(ID)):
            refused.append((iri, "contribution.forbidden_namespace"))
        elif not is_plainly_written(iri):
            refused.append((iri, "contribution.forbidden_spelling"))
    if refused:
        raise Refusal(refused)


# What may make two spellings one IRI once a tool normalises them (RFC 3986 section 6):
# percent-escapes, empty segments, `.` and `..` segments.
_LOOK_ALIKE = re.compile(r"%|//|/\.{1,2}(?:/|#|$)")


def is_plainly_written(iri: str) -> bool:
    """Whether a new IRI under `…/id/` is written the one plain way, so that it cannot pass for
    another resource (`%63ommons-to-commons`, `./`, `..`, `//`) or a #CodeSocial version."""
    return not _LOOK_ALIKE.search("/" + iri[len(str(ID)) :].split("#", 1)[0])


def may_act_on(
    record_organisation: str, organisations: list[str], *, is_admin: bool, admin_may: bool
) -> bool:
    """Whether a member may replace, withdraw or revert a contribution made for an organisation.

    Members of that organisation may; administrators may withdraw and revert (not replace).
    """
    return record_organisation in organisations or (admin_may and is_admin)


def judging_organisations(record_organisation: str, organisations: list[str]) -> list[str]:
    """The organisations a revert is judged for: the member's, or (an admin acting on another
    organisation's contribution) the contribution's own, since its statements stay in its graph."""
    return organisations if record_organisation in organisations else [record_organisation]


_TRUSTED_SUBJECT_QUERY = f"""
SELECT DISTINCT ?owner ?g WHERE {{
  GRAPH ?g {{ ?root <{CODESOCIAL_OF}> ?owner }} FILTER(isIRI(?owner))
}}
"""


def codesocial_owner(
    store: Store, root: ox.NamedNode, organisation_of: OrganisationLookup
) -> str | None:
    """The subject of a #CodeSocial, from trustworthy facts only: the seed says so, or the
    statement is in a contribution of that very organisation."""
    rows = store.select(_TRUSTED_SUBJECT_QUERY, {"root": root}).rows
    stated = [
        (o.value, g.value)
        for o, g in rows
        if isinstance(o, ox.NamedNode) and isinstance(g, ox.NamedNode)
    ]
    made_by = organisation_of({cid for _, g in stated if (cid := contribution_id_of(g))})
    trusted = sorted(
        owner
        for owner, graph in stated
        if graph.startswith(SEED_GRAPH_PREFIX)
        or (cid := contribution_id_of(graph)) is not None
        and made_by.get(cid) == owner
    )
    return trusted[0] if trusted else None


def authorise_publication(
    store: Store,
    root: ox.NamedNode,
    organisations: list[str],
    organisation_of: OrganisationLookup,
    *,
    is_admin: bool,
) -> str:
    """The organisation a #CodeSocial is published for; Forbidden unless the member speaks for
    it or is an administrator."""
    owner = codesocial_owner(store, root, organisation_of)
    if owner is None or not (is_admin or owner in organisations):
        raise Refusal([(root.value, "contribution.forbidden_publication")])
    return owner


def acting_organisation(wanted: str | None, organisations: list[str]) -> str:
    """The organisation a form's contribution is made for: the one it names, which the member
    must speak for (Forbidden otherwise: never silently written for another one), else the
    member's first."""
    if wanted is None:
        return organisations[0]
    if wanted not in organisations:
        raise Refusal([(wanted, "contribution.forbidden_organisation")])
    return wanted


def may_decide_claims(member: Member) -> bool:
    """Whether a member approves or rejects claims (and sees the pending ones): admins only."""
    return member.is_admin


def authorise_claim_decision(member: Member, claim: str, decision: str) -> None:
    """Only administrators approve or reject claims (404 for any other decision)."""
    if not may_decide_claims(member):
        raise Refusal([(claim, "contribution.forbidden_claim_decision")])
    if decision not in ("approve", "reject"):
        raise ContributionError("error.not_found", status=404, focus=claim)


def may_run_updates(member: Member) -> bool:
    """Whether a member may send SPARQL Update (`/update`): administrators only."""
    return member.is_admin


class Refusal(Forbidden):
    """A 403 whose details name each refused resource in the caller's language."""

    def __init__(self, refused: list[tuple[str, str]], **values: object) -> None:
        super().__init__("contribution.forbidden", resources=", ".join(r for r, _ in refused))
        self.refused = refused
        self.extra = values

    def details(self, lang: str) -> list[ErrorDetail]:
        """One entry per refused resource (its focus), with the message key's own values."""
        return [
            ErrorDetail(
                translate(key, lang, resource=resource, namespace=str(ID), **self.extra),
                focus=resource,
            )
            for resource, key in self.refused
        ]
