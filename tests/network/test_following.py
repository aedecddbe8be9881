"""The network model follows writes: after any writes, the model patched from the notes of
those writes equals the model built again whole from the store (network/following.py)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from commons_graph.network import following
from commons_graph.network import model as network_model_module
from commons_graph.network.following import ModelFollower
from commons_graph.network.model import MODEL_NAME, NetworkModel, build_model, network_model
from commons_graph.store import ChangeSet, open_store
from commons_graph.store.base import Store
from commons_graph.store.derived import derived, derived_holder
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.listeners import StoreChange
from commons_graph.store.text import Stream
from tests.helpers.backends import BACKENDS, seeded_settings
from tests.helpers.network import (
    COOP_A,
    DERIVED_GRAPH,
    OUISHARE,
    RELATED_TO,
    fill_network_store,
)

BASE = "https://w3id.org/commons-graph/"
CG = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
ORG = "http://www.w3.org/ns/org#"
ORG_MEMBER_OF = ORG + "memberOf"
CARE = BASE + "value/care"

# Resources the drawn writes speak of: two of the seed, new ones, a hash part, a web page.
NEW = [BASE + f"id/organisation/follow-{n}" for n in range(4)]
RESOURCES = [OUISHARE, COOP_A, CARE, *NEW]
OBJECTS = [*RESOURCES, NEW[0] + "#address", "https://example.org/elsewhere"]
PREDICATES = [CG + "partnerOf", ORG_MEMBER_OF, CG + "holdsValue", RELATED_TO]
CLASSES = [ORG + "Organization", CG + "Commons", "http://xmlns.com/foaf/0.1/Person"]
CONTRIBUTIONS = [BASE + f"graph/contribution/follow-{n}" for n in range(3)]
IMPORTED = BASE + "graph/import/follow"
PROVENANCE = BASE + "graph/provenance"
_published = itertools.count()


def statement(s: str, p: str, o: str | ox.Literal, g: str) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, ox.NamedNode(g))


links = st.tuples(st.sampled_from(RESOURCES), st.sampled_from(PREDICATES), st.sampled_from(OBJECTS))
labels = st.tuples(
    st.sampled_from(RESOURCES),
    st.sampled_from([RDFS + "label", SKOS_PREF]),
    st.builds(ox.Literal, st.sampled_from(["a", "b", "ç"]), language=st.sampled_from(["en", "fr"])),
)
types = st.tuples(st.sampled_from(RESOURCES), st.just(RDF_TYPE), st.sampled_from(CLASSES))
triples = st.lists(st.one_of(links, labels, types), max_size=6)

# Each write is (kind, graph index, triples): what the service's writes look like to the store.
writes = st.lists(
    st.tuples(
        st.sampled_from(["contribute", "withdraw", "edit", "derive", "publish", "import"]),
        st.integers(0, len(CONTRIBUTIONS) - 1),
        triples,
    ),
    min_size=1,
    max_size=5,
)


def write(store: Store, kind: str, index: int, drawn: list[tuple[str, str, object]]) -> None:
    """One write as the service makes it: a contribution replaces its graph (and records its
    provenance), a withdrawal drops it, an edit deletes and inserts statements, the relations
    keeper changes the derived graph, a #CodeSocial publish creates a sealed graph, an import
    streams a dataset's graph."""
    graph = CONTRIBUTIONS[index]
    if kind == "contribute":
        changes = ChangeSet().replace_graph(
            ox.NamedNode(graph), [statement(s, p, o, graph) for s, p, o in drawn]
        )
        changes.insert.append(statement(graph, CG + "contributedBy", OUISHARE, PROVENANCE))
        store.commit(changes)
    elif kind == "withdraw":
        store.drop_graph(ox.NamedNode(graph))
    elif kind == "edit":
        held = list(store.quads(ox.NamedNode(graph)))
        store.commit(
            ChangeSet(delete=held[::2], insert=[statement(s, p, o, graph) for s, p, o in drawn])
        )
    elif kind == "derive":
        held = [
            q for q in store.quads(ox.NamedNode(DERIVED_GRAPH)) if q.predicate.value == RELATED_TO
        ]
        store.commit(
            ChangeSet(
                delete=held[index::3],
                insert=[statement(s, RELATED_TO, o, DERIVED_GRAPH) for s, _, o in drawn],
            )
        )
    elif kind == "publish":
        sealed = BASE + f"graph/codesocial/follow/v{next(_published)}-{time.monotonic_ns()}"
        version = BASE + f"id/codesocial/follow/v{index}"
        quads = [statement(version, RDF_TYPE, CG + "CodeSocial", sealed)]
        quads += [statement(version, p, o, sealed) for _, p, o in drawn]
        store.commit(ChangeSet(insert=quads, seal_graphs=[ox.NamedNode(sealed)]))
    else:
        text = "".join(f"{ox.NamedNode(s)} {ox.NamedNode(p)} {_term(o)} .\n" for s, p, o in drawn)
        store.commit_checked(
            ChangeSet(drop_graphs=[ox.NamedNode(IMPORTED)]),
            ChangeSet,
            stream=Stream(ox.NamedNode(IMPORTED), [text.encode()]),
        )


def _term(value: object) -> ox.NamedNode | ox.Literal:
    return value if isinstance(value, ox.Literal) else ox.NamedNode(str(value))


def state(model: NetworkModel) -> tuple[object, ...]:
    """What readers see of a model."""
    return (
        model.link_set(),
        set(model.graph.nodes),
        model.kinds,
        model.labels,
        model.predicates,
    )


@pytest.fixture(params=[b for b in BACKENDS if b in ("embedded", "remote")])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The seed on the embedded store and on `oxigraph serve`."""
    opened = open_store(seeded_settings(request, request.param, tmp_path))
    try:
        yield opened
    finally:
        opened.close()


@pytest.mark.slow
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=writes)
# A link to a resource nobody describes yet, then its description (the link counts from then
# on, though the write that states it is untouched), then its withdrawal; a derived link too.
@example(
    writes=[
        ("contribute", 0, [(OUISHARE, CG + "partnerOf", NEW[2]), (NEW[3], RELATED_TO, NEW[2])]),
        ("derive", 0, [(OUISHARE, RELATED_TO, NEW[2])]),
        ("contribute", 1, [(NEW[2], RDFS + "label", ox.Literal("x", language="en"))]),
        ("withdraw", 1, []),
    ]
)
def test_after_any_writes_the_followed_model_equals_a_rebuild(
    seeded: Store, writes: list[tuple[str, int, list[tuple[str, str, object]]]]
) -> None:
    """Contributions, withdrawals, edits, derived relations, publishes and imports, one after
    the other: the model that followed each equals the one built whole after it."""
    store = seeded
    follower = ModelFollower()
    store.add_change_listener(follower.note)
    try:
        model = build_model(store)
        for kind, index, drawn in writes:
            write(store, kind, index, drawn)
            followed = follower.apply(store, model, follower.take())
            assert followed is not None, kind  # every write here can be followed
            assert state(followed) == state(build_model(store)), kind
            model = followed
    finally:
        store.remove_change_listener(follower.note)


def test_what_cannot_be_followed_is_built_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write whose graphs are unknown, or a change of the classes of the node kinds, makes
    the model again whole; a large graph rewritten too."""
    with EmbeddedStore(tmp_path / "store") as store:
        fill_network_store(store, tmp_path)
        follower = ModelFollower()
        store.add_change_listener(follower.note)
        model = build_model(store)
        # A new subclass of org:Organization: every kind may change.
        subclass = statement(
            CG + "FollowKind", RDFS + "subClassOf", ORG + "Organization", BASE + "graph/ontology"
        )
        store.commit(ChangeSet(insert=[subclass]))
        assert follower.apply(store, model, follower.take()) is None
        model = build_model(store)
        store.commit(
            ChangeSet(insert=[statement(NEW[0], RDF_TYPE, CG + "FollowKind", CONTRIBUTIONS[0])])
        )
        followed = follower.apply(store, model, follower.take())
        assert followed is not None
        assert state(followed) == state(build_model(store))
        # A write whose graphs are not known.
        follower.note(store, StoreChange(None))
        assert follower.apply(store, followed, follower.take()) is None
        # More resources touched than a patch is worth.
        monkeypatch.setattr(following, "MAX_TOUCHED", 2)
        write(store, "contribute", 1, [(n, RDFS + "label", ox.Literal("x")) for n in NEW])
        assert follower.apply(store, followed, follower.take()) is None
        monkeypatch.undo()
        # A large graph rewritten (the derived relations' graph, past the footprints' bound).
        monkeypatch.setattr(network_model_module, "FOOTPRINT_MAX", 1)
        model = build_model(store)
        assert DERIVED_GRAPH in model.large
        store.drop_graph(ox.NamedNode(DERIVED_GRAPH))
        assert follower.apply(store, model, follower.take()) is None


def test_the_kept_model_follows_a_write(tmp_path: Path) -> None:
    """Through the derived value the pages read: a write is followed, not built whole, and
    the previous model is left as it was (readers may hold it)."""
    with EmbeddedStore(tmp_path / "store") as store:
        fill_network_store(store, tmp_path)
        first = network_model(store)
        before = state(first)
        write(
            store,
            "contribute",
            0,
            [(NEW[1], ORG_MEMBER_OF, OUISHARE), (NEW[1], RDF_TYPE, CLASSES[0])],
        )
        deadline = time.monotonic() + 60
        model = network_model(store)
        while model.generation != store.generation and time.monotonic() < deadline:
            time.sleep(0.02)
            model = network_model(store)
        assert (NEW[1], ORG_MEMBER_OF, OUISHARE, False) in model.link_set()
        assert model.kind(NEW[1]) == "organisations"
        assert state(model) == state(build_model(store))
        assert state(first) == before
        holder = derived_holder(store, MODEL_NAME)
        assert holder is not None and holder.followed >= 1 and holder.computed == 1


class _Failing:
    """A follower whose first patch fails (the store closing, a query refused)."""

    def __init__(self) -> None:
        self.failed = False

    def note(self, store: Store, change: object) -> None:
        pass

    def take(self) -> object:
        return None

    def apply(self, store: Store, value: int, notes: object) -> int | None:
        if not self.failed:
            self.failed = True
            raise RuntimeError("refused")
        return value + 1000


def test_after_a_failed_patch_the_next_value_is_computed_whole(tmp_path: Path) -> None:
    """The notes a failed patch took are lost with it: the value is not patched again from
    the one held (it would miss those writes), it is computed whole."""
    follower = _Failing()
    with EmbeddedStore(tmp_path / "store") as store:

        def count(s: Store) -> int:
            return s.count()

        assert derived(store, "following/count", count, follow=lambda: follower) == 0
        store.commit(ChangeSet(insert=[statement(NEW[0], RDFS + "label", OUISHARE, PROVENANCE)]))
        with pytest.raises(RuntimeError):
            derived(store, "following/count", count, follow=lambda: follower)
        assert derived(store, "following/count", count, follow=lambda: follower) == 1
        store.commit(ChangeSet(insert=[statement(NEW[1], RDFS + "label", OUISHARE, PROVENANCE)]))
        assert derived(store, "following/count", count, follow=lambda: follower) == 1001


def test_a_write_made_while_a_patch_reads_is_followed_by_the_next(tmp_path: Path) -> None:
    """A patch reads the store after a write its notes do not hold yet (made while it reads):
    the next patch, with that write's notes, still ends equal to a whole build."""
    z, y, x = NEW[0], NEW[1], NEW[2]
    partner = CG + "partnerOf"
    with EmbeddedStore(tmp_path / "store") as store:
        store.commit(ChangeSet(insert=[statement(z, partner, x, BASE + "graph/old")]))
        follower = ModelFollower()
        store.add_change_listener(follower.note)
        model = build_model(store)
        write(store, "contribute", 0, [(y, partner, x)])
        notes = follower.take()
        # Made while the patch of `notes` reads: it describes x, which z and y link to.
        write(store, "contribute", 1, [(x, RDFS + "label", ox.Literal("x"))])
        patched = follower.apply(store, model, notes)
        assert patched is not None
        followed = follower.apply(store, patched, follower.take())
        assert followed is not None
        assert (z, partner, x, False) in followed.link_set()
        assert state(followed) == state(build_model(store))
