"""The authorisation rule (contributions/authorise.py), unit by unit and as a property.

The property generates contributions around the seed network (subjects drawn from the seed's
and another member's resources, the member's own, new IRIs, versions, blank nodes; owl:sameAs
and cg:codeSocialOf links among them) and asserts: accepted exactly when every subject and every
link target is allowed by the rule, refused naming exactly the others, and the store changed
only in the member's own graph (and the provenance graph).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from commons_graph.codesocial.publishing import publish
from commons_graph.config import Settings
from commons_graph.contributions.authorise import (
    Refusal,
    codesocial_owner,
    is_publishing_only,
    judging_organisations,
    may_act_on,
    seed_owners,
)
from commons_graph.contributions.errors import Forbidden
from commons_graph.contributions.provenance import PROVENANCE_GRAPH, contribution_graph
from commons_graph.contributions.service import (
    ContributionService,
    InvalidContribution,
    fresh_blank_nodes,
)
from commons_graph.members.accounts import Accounts, Member
from commons_graph.store import open_store
from commons_graph.store.seeding import initialise
from commons_graph.validation.contribution import check
from tests.helpers.contributions import (
    C2C,
    C2C_CS,
    C2C_PRINCIPLE,
    OUISHARE,
    OUISHARE_CS,
    OUISHARE_PRINCIPLE,
)

BASE = "https://w3id.org/commons-graph/"
ID = BASE + "id/"
CS = ID + "codesocial/"
CG = BASE + "ontology#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
CODESOCIAL_OF = ox.NamedNode(CG + "codeSocialOf")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def commons(iri: str, label: str) -> list[ox.Triple]:
    """A new commons with one English name."""
    return [
        ox.Triple(n(iri), TYPE, n(CG + "Commons")),
        ox.Triple(n(iri), LABEL, ox.Literal(label, language="en")),
        ox.Triple(n(iri), n(CG + "commonsKind"), n(BASE + "commons-kind/knowledge")),
    ]


class Setting:
    """A seeded store, its accounts and service, Ana (Ouishare) and Bea (Commons To Commons)."""

    def __init__(self, folder: Path) -> None:
        self.store = open_store(Settings(store=str(folder / "store")))
        initialise(self.store)
        self.accounts = Accounts(folder / "accounts.sqlite")
        self.service = ContributionService(self.store, self.accounts)
        self.ana: Member = self.accounts.add_member("Ana", OUISHARE)[0]
        self.bea: Member = self.accounts.add_member("Bea", C2C)[0]
        self.admin: Member = self.accounts.add_member("Admin", C2C, admin=True)[0]

    def dump(self) -> set[str]:
        return {str(q) for q in self.store.quads()}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setting]:
    setting = Setting(tmp_path_factory.mktemp("authorise-property"))
    setting.service.submit(setting.bea, commons(ID + "commons/bea-owned", "Bea's"))
    publish(setting.store, OUISHARE_CS, OUISHARE)
    try:
        yield setting
    finally:
        setting.store.close()


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (OUISHARE_CS, False),
        (OUISHARE_CS + "#model-economic", False),
        (OUISHARE_CS + "/v1", True),
        (OUISHARE_CS + "/v12#principle-x", True),
        (OUISHARE_CS + "/latest", True),
        (OUISHARE_CS + "/history", True),
        (CS + "x/", True),
        (ID + "principle/ouishare-sharing", False),
        (BASE + "graph/codesocial/ouishare/v1", False),
    ],
)
def test_publishing_only_iris(iri: str, expected: bool) -> None:
    assert is_publishing_only(iri) is expected


def test_who_may_act_on_a_contribution() -> None:
    assert may_act_on(OUISHARE, [OUISHARE], is_admin=False, admin_may=False)
    assert not may_act_on(OUISHARE, [C2C], is_admin=False, admin_may=True)
    assert may_act_on(OUISHARE, [C2C], is_admin=True, admin_may=True)
    assert not may_act_on(OUISHARE, [C2C], is_admin=True, admin_may=False)
    assert judging_organisations(OUISHARE, [OUISHARE, C2C]) == [OUISHARE, C2C]
    assert judging_organisations(OUISHARE, [C2C]) == [OUISHARE]


def test_ownership_comes_from_the_seed_and_the_owners_contributions(world: Setting) -> None:
    """A #CodeSocial of one's own naming another's resources as parts grants nothing."""
    trojan = CS + "ouishare-trojan"
    world.service.submit(
        world.ana,
        [
            ox.Triple(n(trojan), TYPE, n(CG + "CodeSocial")),
            ox.Triple(n(trojan), CODESOCIAL_OF, n(OUISHARE)),
            ox.Triple(n(trojan), LABEL, ox.Literal("Trojan", language="en")),
            ox.Triple(n(trojan), n(CG + "raisonDEtre"), ox.Literal("Trojan.", language="en")),
            ox.Triple(n(trojan), n(CG + "principle"), n(C2C_PRINCIPLE)),
        ],
    )
    assert seed_owners(world.store, [n(C2C_PRINCIPLE), n(OUISHARE_PRINCIPLE)]) == {
        C2C_PRINCIPLE: {C2C},
        OUISHARE_PRINCIPLE: {OUISHARE},
    }
    organisation_of = world.service.records.organisations_of
    assert codesocial_owner(world.store, n(trojan), organisation_of) == OUISHARE
    assert codesocial_owner(world.store, n(OUISHARE_CS), organisation_of) == OUISHARE
    assert codesocial_owner(world.store, n(CS + "nothing-here"), organisation_of) is None
    with pytest.raises(Forbidden) as refused:
        world.service.submit(world.ana, [ox.Triple(n(C2C_PRINCIPLE), COMMENT, ox.Literal("x"))])
    assert [d.focus for d in refused.value.details("en")] == [C2C_PRINCIPLE]


def test_put_judges_the_store_after_the_replacement(world: Setting) -> None:
    """Renaming one's own resource replaces its name: one English label before and after."""
    iri = ID + "commons/renamed"
    receipt = world.service.submit(world.ana, commons(iri, "First"))
    world.service.replace(world.ana, receipt.contribution_id, commons(iri, "Second"))
    labels = world.store.select("SELECT ?l WHERE { ?r ?label ?l }", {"r": n(iri), "label": LABEL})
    assert labels.rows == [(ox.Literal("Second", language="en"),)]
    # The validation context leaves out exactly the replaced graph.
    graph = contribution_graph(receipt.contribution_id)
    assert check(world.store, commons(iri, "Third"), "en", replacing=graph).conforms
    assert not check(world.store, commons(iri, "Third"), "en").conforms


def test_revert_is_judged_as_a_new_write_now(world: Setting) -> None:
    iri = ID + "commons/taken-over"
    mine = world.service.submit(world.ana, commons(iri, "Ana's")).contribution_id
    world.service.retract(world.ana, mine)
    theirs = world.service.submit(world.bea, commons(iri, "Bea's")).contribution_id
    before = world.dump()
    for member in (world.ana, world.admin):
        with pytest.raises(Refusal) as refused:
            world.service.revert(member, mine)
        assert [d.focus for d in refused.value.details("fr")] == [iri]
    assert world.dump() == before
    # Once Bea withdraws hers, Ana's revert is a valid write again.
    world.service.retract(world.bea, theirs)
    world.service.revert(world.ana, mine)
    assert world.store.count(contribution_graph(mine)) == 3


def test_revert_is_validated_now(world: Setting) -> None:
    iri = ID + "commons/twice-named"
    first = world.service.submit(world.ana, commons(iri, "First")).contribution_id
    world.service.retract(world.ana, first)
    world.service.submit(world.ana, commons(iri, "Second"))
    with pytest.raises(InvalidContribution):
        world.service.revert(world.ana, first, lang="fr")


# --------------------------------------------------------------------------------------------
# The property
# --------------------------------------------------------------------------------------------

# (IRI, whether Ana may describe it, whether she may name it with owl:sameAs)
KNOWN = [
    (OUISHARE, True, True),
    (OUISHARE_CS, True, True),
    (OUISHARE_PRINCIPLE, True, True),
    (OUISHARE_CS + "#model-generated", True, True),
    (C2C, False, False),
    (C2C_CS, False, False),
    (C2C_PRINCIPLE, False, False),
    (C2C_CS + "#model-generated", False, False),
    (CG + "Commons", False, False),
    (BASE + "ontology", False, False),
    (BASE + "shapes#OrganisationShape", False, False),
    ("http://purl.org/essglobal/vocab/SSEInitiative", False, False),
    (BASE + "value/care", False, False),
    (ID + "commons/ouishare-knowledge-base", False, False),
    (ID + "commons/bea-owned", False, False),
    (OUISHARE_CS + "/v1", False, False),
    (OUISHARE_CS + "/v2#principle-x", False, False),
    (OUISHARE_CS + "/latest", False, False),
    ("https://example.org/elsewhere", False, True),
]

MINE = [k for k in KNOWN if k[1]]
new_iri = st.from_regex(r"[a-z]{1,6}", fullmatch=True).map(
    lambda slug: (ID + "thing/generated-" + slug, True, True)
)
# Mostly what the member may write, so that both verdicts come up often.
subject_strategy = st.one_of(
    st.sampled_from(MINE),
    new_iri,
    st.just(("_:blank", True, True)),
    st.sampled_from(KNOWN),
    st.from_regex(r"[a-z]{1,6}", fullmatch=True).map(
        lambda slug: ("https://example.org/generated-" + slug, False, True)
    ),
)
LINKS = [None, SAME_AS, CODESOCIAL_OF]  # None: an rdfs:comment
statement_strategy = st.tuples(
    subject_strategy,
    st.sampled_from(LINKS),
    st.one_of(st.sampled_from(MINE), st.sampled_from(KNOWN)),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(statements=st.lists(statement_strategy, min_size=1, max_size=4))
def test_accepted_exactly_when_the_rule_allows_it(
    world: Setting,
    statements: list[tuple[tuple[str, bool, bool], ox.NamedNode | None, tuple[str, bool, bool]]],
) -> None:
    triples: list[ox.Triple] = []
    refused: set[str] = set()
    for (subject, describable, _), linked, (target, _, nameable) in statements:
        node: ox.NamedNode | ox.BlankNode = (
            ox.BlankNode("generated") if subject == "_:blank" else n(subject)
        )
        if not describable:
            refused.add(subject)
        if linked is not None:
            triples.append(ox.Triple(node, linked, n(target)))
            if not nameable:
                refused.add(target)
        else:
            triples.append(ox.Triple(node, COMMENT, ox.Literal("Generated.", language="en")))
    before = world.dump()
    try:
        receipt = world.service.submit(world.ana, triples)
    except Refusal as refusal:
        event("refused")
        assert refused, refusal.details("en")
        assert {d.focus for d in refusal.details("en")} == refused
        assert world.dump() == before
        return
    except InvalidContribution:
        # Authorised, then refused by the shapes (a #CodeSocial of a #CodeSocial, say).
        event("authorised, invalid")
        assert not refused
        assert world.dump() == before
        return
    event("accepted")
    assert not refused, receipt
    changed = {line.rsplit(" ", 1)[-1].strip("<>") for line in world.dump() ^ before}
    assert changed == {contribution_graph(receipt.contribution_id).value, PROVENANCE_GRAPH.value}


def test_blank_nodes_get_fresh_labels_in_the_store() -> None:
    """Whatever label a body gives a blank node, the store gets a new one (the same for every
    mention), even where a bulk insert would keep labels."""
    a, b = ox.BlankNode("known"), ox.BlankNode("other")
    triples = [ox.Triple(a, COMMENT, ox.Literal("x")), ox.Triple(n(OUISHARE), COMMENT, a)]
    triples.append(ox.Triple(b, SAME_AS, a))
    fresh = fresh_blank_nodes(triples)
    assert fresh[0].subject == fresh[1].object == fresh[2].object
    assert fresh[2].subject not in (a, b, fresh[0].subject)
    assert a not in {t.subject for t in fresh} | {t.object for t in fresh}
    assert fresh[1].subject == n(OUISHARE)
