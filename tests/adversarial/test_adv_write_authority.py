"""Who may write what, tried as an attacker would: every write path against every kind of target.

Two ordinary members (Ana for Ouishare, Bea for Commons To Commons), an administrator (of
Commons To Commons) and anonymous callers go through POST, PUT, DELETE, withdraw, revert (any
version), idempotent replays, the form, claims and their approval, and #CodeSocial publishing.
Each refusal must be the pinned JSON error shape naming the refused resource, in the caller's
language, and leave the store exactly as it was (a canonical dump before and after). The app
runs in process (httpx's ASGITransport); one smoke test runs a real server.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

from commons_graph.config import Settings
from commons_graph.contributions.provenance import PROVENANCE_GRAPH, contribution_graph
from commons_graph.members.accounts import Accounts
from commons_graph.store import Store
from commons_graph.web.app import create_app
from tests.helpers import http as fetch
from tests.helpers.contributions import (
    C2C,
    C2C_CS,
    C2C_PRINCIPLE,
    OUISHARE,
    OUISHARE_CS,
    OUISHARE_PRINCIPLE,
)
from tests.helpers.live import LiveServer

BASE = "https://w3id.org/commons-graph/"
ID = BASE + "id/"
CG = BASE + "ontology#"
ONTOLOGY = BASE + "ontology"
SHAPE = BASE + "shapes#OrganisationShape"
VOCABULARY = "http://purl.org/essglobal/vocab/SSEInitiative"
SCHEME_VALUE = BASE + "value/care"
SEED_COMMONS = ID + "commons/ouishare-knowledge-base"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
TURTLE = {"Content-Type": "text/turtle", "Accept": "application/json"}


def comment_on(resource: str, text: str = "Written by someone else.") -> str:
    """One rdfs:comment about `resource`, in Turtle."""
    return f'<{resource}> <{COMMENT}> "{text}"@en .\n'


def commons(iri: str, label: str) -> str:
    """A new commons with one English name, in Turtle."""
    return (
        f'<{iri}> a <{CG}Commons> ; <{LABEL}> "{label}"@en ;'
        f" <{CG}commonsKind> <{BASE}commons-kind/knowledge> .\n"
    )


class InProcess:
    """The app served in process (ASGITransport, lifespan run by hand) with a sync facade."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.loop = asyncio.new_event_loop()
        self._lifespan = self.app.router.lifespan_context(self.app)
        self.loop.run_until_complete(self._lifespan.__aenter__())
        transport = httpx.ASGITransport(app=self.app)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://testserver")

    @property
    def store(self) -> Store:
        """The store the app serves."""
        store: Store = self.app.state.services.store
        return store

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, answered by the app in this process."""
        return self.loop.run_until_complete(self.client.request(method, url, **kwargs))

    def close(self) -> None:
        """Stop the app and its event loop."""
        self.loop.run_until_complete(self.client.aclose())
        self.loop.run_until_complete(self._lifespan.__aexit__(None, None, None))
        self.loop.close()


@dataclass
class World:
    """The service, its accounts and the callers' tokens."""

    web: InProcess
    accounts: Accounts
    tokens: dict[str, str]

    @property
    def store(self) -> Store:
        return self.web.store

    def headers(self, who: str, lang: str = "en", **extra: str) -> dict[str, str]:
        """Headers for `who` (ana, bea, admin, anonymous)."""
        sent = {**TURTLE, "Accept-Language": lang, **extra}
        if who != "anonymous":
            sent["Authorization"] = f"Bearer {self.tokens[who]}"
        return sent

    def post(self, who: str, body: str, lang: str = "en", **extra: str) -> httpx.Response:
        """POST /contributions as `who`."""
        headers = self.headers(who, lang, **extra)
        return self.web.request("POST", "/contributions", content=body.encode(), headers=headers)

    def put(self, who: str, location: str, body: str, lang: str = "en") -> httpx.Response:
        return self.web.request(
            "PUT", location, content=body.encode(), headers=self.headers(who, lang)
        )

    def delete(self, who: str, location: str) -> httpx.Response:
        return self.web.request("DELETE", location, headers=self.headers(who))

    def revert(
        self, who: str, location: str, to_version: int | str | None = None
    ) -> httpx.Response:
        params = {} if to_version is None else {"to_version": str(to_version)}
        return self.web.request(
            "POST", location + "/revert", params=params, headers=self.headers(who)
        )

    def publish(self, who: str, slug: str, lang: str = "en") -> httpx.Response:
        headers = {k: v for k, v in self.headers(who, lang).items() if k != "Content-Type"}
        return self.web.request("POST", f"/codesocial/{slug}/publish", headers=headers)

    def created(self, who: str, body: str) -> str:
        """POST that must be accepted; the contribution's location."""
        response = self.post(who, body)
        assert response.status_code == 201, response.text
        return str(response.headers["location"])


def dump(store: Store) -> list[str]:
    """The whole store as sorted N-Quads lines (blank node labels are stable in one store)."""
    return sorted(str(q) for q in store.quads())


def changed_graphs(before: list[str], after: list[str]) -> set[str]:
    """The graphs whose statements differ between two dumps."""
    difference = set(before) ^ set(after)
    return {line.rsplit(" ", 1)[-1].strip("<>") for line in difference}


def assert_refused(
    response: httpx.Response, status: int, focus: set[str] | None, lang: str = "en"
) -> None:
    """The pinned JSON error shape, naming what was refused, in the caller's language."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"focus", "path", "value", "message"}
        assert error["message"]
    if focus is not None:
        assert {e["focus"] for e in body["errors"]} == focus, body
    if lang == "fr":
        french = " ".join(e["message"] for e in body["errors"])
        assert re.search(r"\b(vous|Vous|est|une|des|les|pas|sous)\b", french), french


def _settings(folder: Path) -> Settings:
    """A store and accounts in `folder`; write rate limits out of the way (a module-scoped world
    makes hundreds of writes a minute; the limits have tests of their own)."""
    return Settings(
        store=str(folder / "store"),
        accounts=str(folder / "accounts.sqlite"),
        write_rate_per_member="100000/minute",
        write_rate_per_address="100000/minute",
    )


def _world(settings: Settings) -> Iterator[World]:
    accounts = Accounts.from_settings(settings)
    tokens = {
        "ana": accounts.add_member("Ana", OUISHARE)[1],
        "ana2": accounts.add_member("Ana's colleague", OUISHARE)[1],
        "bea": accounts.add_member("Bea", C2C)[1],
        "admin": accounts.add_member("Admin", C2C, admin=True)[1],
    }
    web = InProcess(settings)
    try:
        yield World(web, accounts, tokens)
    finally:
        web.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One service shared by the tests that only add uniquely named things or are refused."""
    folder = tmp_path_factory.mktemp("authority")
    settings = _settings(folder)
    yield from _world(settings)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[World]:
    """A service of its own, for a test that changes who speaks for whom (claims)."""
    settings = _settings(tmp_path)
    yield from _world(settings)


@pytest.fixture(scope="module")
def publishing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A service whose #CodeSocial drafts get published: each test publishes its own one."""
    folder = tmp_path_factory.mktemp("publishing")
    settings = _settings(folder)
    yield from _world(settings)


def others_blank_node(store: Store, graph: str) -> ox.BlankNode:
    """A blank node of `graph` (another organisation's contribution)."""
    rows = store.select(
        "SELECT ?b WHERE { GRAPH ?g { ?s ?p ?b FILTER(isBlank(?b)) } } LIMIT 1",
        {"g": ox.NamedNode(graph)},
    ).rows
    node = rows[0][0]
    assert isinstance(node, ox.BlankNode)
    return node


# --------------------------------------------------------------------------------------------
# POST: every kind of target, as Ana (a member of Ouishare)
# --------------------------------------------------------------------------------------------

REFUSED_TARGETS = {
    "another organisation": (comment_on(C2C), {C2C}),
    "another organisation's #CodeSocial": (comment_on(C2C_CS), {C2C_CS}),
    "another organisation's principle": (comment_on(C2C_PRINCIPLE), {C2C_PRINCIPLE}),
    "a new fragment of another organisation's #CodeSocial": (
        comment_on(C2C_CS + "#model-economic"),
        {C2C_CS + "#model-economic"},
    ),
    "a fragment of a #CodeSocial nobody wrote yet": (
        comment_on(ID + "codesocial/future-org#model-economic"),
        {ID + "codesocial/future-org#model-economic"},
    ),
    "the ontology": (comment_on(ONTOLOGY), {ONTOLOGY}),
    "an ontology class": (comment_on(CG + "Commons"), {CG + "Commons"}),
    "a shape": (comment_on(SHAPE), {SHAPE}),
    "a vocabulary term": (comment_on(VOCABULARY), {VOCABULARY}),
    "a concept of the shipped schemes": (comment_on(SCHEME_VALUE), {SCHEME_VALUE}),
    "a seed resource nobody owns": (comment_on(SEED_COMMONS), {SEED_COMMONS}),
    "a new resource outside /id/": (
        comment_on("https://example.org/mine"),
        {"https://example.org/mine"},
    ),
    "a future #CodeSocial version": (comment_on(OUISHARE_CS + "/v7"), {OUISHARE_CS + "/v7"}),
    "a future version's fragment": (
        comment_on(OUISHARE_CS + "/v7#principle-x"),
        {OUISHARE_CS + "/v7#principle-x"},
    ),
    "the latest version": (comment_on(OUISHARE_CS + "/latest"), {OUISHARE_CS + "/latest"}),
    "a #CodeSocial page": (comment_on(OUISHARE_CS + "/history"), {OUISHARE_CS + "/history"}),
    "a contribution graph": (
        comment_on(BASE + "graph/contribution/abc"),
        {BASE + "graph/contribution/abc"},
    ),
    "a #CodeSocial of another organisation made up": (
        f"<{ID}codesocial/made-up-c2c> a <{CG}CodeSocial> ; <{CG}codeSocialOf> <{C2C}> .\n",
        {C2C},
    ),
    "owl:sameAs from one's organisation to another's": (
        f"<{OUISHARE}> <{SAME_AS}> <{C2C}> .\n",
        {C2C},
    ),
    "owl:sameAs from a new resource to another's": (
        commons(ID + "commons/same-as-game", "Same as game") + f"<{ID}commons/same-as-game>"
        f" <{SAME_AS}> <{C2C_PRINCIPLE}> .\n",
        {C2C_PRINCIPLE},
    ),
    "owl:sameAs to the ontology": (f"<{OUISHARE}> <{SAME_AS}> <{CG}Commons> .\n", {CG + "Commons"}),
    "own and another's at once (both named, nothing stored)": (
        comment_on(OUISHARE) + comment_on(C2C) + comment_on(ONTOLOGY),
        {C2C, ONTOLOGY},
    ),
}


@pytest.mark.parametrize("target", list(REFUSED_TARGETS))
def test_post_about_what_is_not_yours_is_refused_and_changes_nothing(
    world: World, target: str
) -> None:
    body, focus = REFUSED_TARGETS[target]
    before = dump(world.store)
    for lang in ("en", "fr"):
        assert_refused(world.post("ana", body, lang), 403, focus, lang)
    assert dump(world.store) == before


ACCEPTED_TARGETS = {
    "one's organisation": comment_on(OUISHARE, "Ours."),
    "one's #CodeSocial draft": comment_on(OUISHARE_CS, "Ours."),
    "a principle of one's #CodeSocial": comment_on(OUISHARE_PRINCIPLE, "Ours."),
    "a new model of one's #CodeSocial": comment_on(OUISHARE_CS + "#model-economic", "Ours."),
    "a new resource under /id/": commons(ID + "commons/ana-new", "Ana's new commons"),
    "a new resource and a part of it": commons(ID + "commons/ana-whole", "Whole")
    + comment_on(ID + "commons/ana-whole#part", "A part."),
    "a link to another organisation": f"<{OUISHARE}> <{CG}partnerOf> <{C2C}> .\n",
    "owl:sameAs to a resource outside the service": (
        f"<{OUISHARE}> <{SAME_AS}> <https://www.wikidata.org/entity/Q60744838> .\n"
    ),
    "a blank node of the contribution": (
        f'<{OUISHARE}> <{COMMENT}> "x"@en . _:note <{COMMENT}> "A note."@en .\n'
    ),
}


@pytest.mark.parametrize("target", list(ACCEPTED_TARGETS))
def test_post_about_what_is_yours_is_accepted_in_your_graph_only(world: World, target: str) -> None:
    before = dump(world.store)
    location = world.created("ana", ACCEPTED_TARGETS[target])
    graph = contribution_graph(location.rsplit("/", 1)[-1]).value
    assert changed_graphs(before, dump(world.store)) == {graph, PROVENANCE_GRAPH.value}


def test_anonymous_and_bad_tokens_write_nothing(world: World) -> None:
    before = dump(world.store)
    assert_refused(world.post("anonymous", comment_on(OUISHARE)), 401, None)
    bad = world.headers("anonymous", Authorization="Bearer not-a-token")
    response = world.web.request(
        "POST", "/contributions", content=comment_on(OUISHARE).encode(), headers=bad
    )
    assert_refused(response, 401, None)
    assert dump(world.store) == before


def test_admins_contributions_follow_the_same_rule(world: World) -> None:
    """An administrator's token is a member's token for writing statements."""
    before = dump(world.store)
    assert_refused(world.post("admin", comment_on(OUISHARE)), 403, {OUISHARE})
    assert_refused(world.post("admin", comment_on(ONTOLOGY)), 403, {ONTOLOGY})
    assert dump(world.store) == before


def test_a_blank_node_cannot_be_written_to_by_naming_its_label(world: World) -> None:
    """Blank nodes of a contribution are its own, whatever label the body gives them."""
    bea = world.created(
        "bea",
        f'<{C2C}> <{COMMENT}> "x"@en ; <{BASE}ontology#note> [ <{COMMENT}> "Bea\'s note."@en ] .\n',
    )
    graph = contribution_graph(bea.rsplit("/", 1)[-1]).value
    node = others_blank_node(world.store, graph)
    native = world.store.native  # type: ignore[attr-defined]
    statements_before = list(native.quads_for_pattern(node, None, None))
    body = f'_:{node.value} <{COMMENT}> "Hijacked."@en .\n<{OUISHARE}> <{COMMENT}> "x"@en .\n'
    world.created("ana", body)
    statements_after = list(native.quads_for_pattern(node, None, None))
    assert statements_after == statements_before


# --------------------------------------------------------------------------------------------
# The #CodeSocial ownership attack: a draft of one's own naming others' resources as parts
# --------------------------------------------------------------------------------------------


def test_own_codesocial_naming_others_resources_grants_nothing(world: World) -> None:
    trojan = (
        f"<{ID}codesocial/ouishare-trojan> a <{CG}CodeSocial> ;"
        f' <{LABEL}> "Trojan"@en ; <{CG}codeSocialOf> <{OUISHARE}> ;'
        f' <{CG}raisonDEtre> "Trojan horse."@en ;'
        f" <{CG}principle> <{C2C_PRINCIPLE}> .\n"
    )
    world.created("ana", trojan)
    # Parts the shapes refuse (not principles) are judged the same way, should they pass.
    for part in (C2C, CG + "Commons", C2C_CS):
        world.post(
            "ana", trojan.replace("ouishare-trojan", "trojan-x").replace(C2C_PRINCIPLE, part)
        )
    before = dump(world.store)
    for target in (C2C, CG + "Commons", C2C_PRINCIPLE, C2C_CS):
        assert_refused(world.post("ana", comment_on(target)), 403, {target})
    # In one contribution too: the claim and the change together.
    together = trojan.replace("ouishare-trojan", "ouishare-trojan-2") + comment_on(C2C)
    assert_refused(world.post("ana", together), 403, {C2C})
    assert dump(world.store) == before


def test_another_organisations_draft_gets_nothing_sealed_in_its_next_version(
    publishing: World,
) -> None:
    """Whatever Ana tries, Commons To Commons' next version holds only its own draft."""
    ana_says = "Slipped in by another organisation."
    attempts = [
        comment_on(C2C_CS, ana_says),
        comment_on(C2C_PRINCIPLE, ana_says),
        comment_on(C2C_CS + "#model-economic", ana_says),
        f"<{ID}codesocial/ouishare-trojan> a <{CG}CodeSocial> ; <{CG}codeSocialOf> <{OUISHARE}> ;"
        f" <{CG}principle> <{C2C_CS}> , <{C2C_PRINCIPLE}> .\n"
        + comment_on(C2C_PRINCIPLE, ana_says),
        comment_on(C2C_CS + "/v1", ana_says),
        comment_on(C2C_CS + "/v1#principle-commons-to-commons-co-responsibility", ana_says),
    ]
    for body in attempts:
        assert publishing.post("ana", body).status_code == 403, body
    published = publishing.publish("bea", "commons-to-commons")
    assert published.status_code == 201, published.text
    assert not publishing.store.ask(
        "ASK { GRAPH ?g { ?s ?p ?text } }", {"text": ox.Literal(ana_says, language="en")}
    )


# --------------------------------------------------------------------------------------------
# Publishing and sealed versions
# --------------------------------------------------------------------------------------------


def test_publishing_is_for_the_subjects_members_and_admins_and_versions_stay_sealed(
    publishing: World,
) -> None:
    before = dump(publishing.store)
    assert_refused(publishing.publish("bea", "ouishare"), 403, {OUISHARE_CS})
    assert_refused(publishing.publish("bea", "ouishare", "fr"), 403, {OUISHARE_CS}, "fr")
    assert publishing.publish("anonymous", "ouishare").status_code == 401
    assert dump(publishing.store) == before
    assert publishing.publish("ana", "ouishare").status_code == 201
    # Nothing changed since v1: refused, in the caller's language, naming the draft.
    assert_refused(publishing.publish("admin", "ouishare", "fr"), 409, {OUISHARE_CS}, "fr")
    before = dump(publishing.store)
    for target in (
        OUISHARE_CS + "/v1",
        OUISHARE_CS + "/v1#principle-ouishare-sharing",
        OUISHARE_CS + "/v2",
        OUISHARE_CS + "/v2#model-economic",
        OUISHARE_CS + "/latest",
    ):
        for who in ("ana", "admin"):
            assert_refused(publishing.post(who, comment_on(target)), 403, {target})
    assert dump(publishing.store) == before
    publishing.created("ana", comment_on(OUISHARE_CS, "Amended for v2."))
    assert publishing.publish("admin", "ouishare").status_code == 201
    # The published v2 says only what publishing said about it.
    assert not publishing.store.ask(
        "ASK { GRAPH ?g { ?v ?p ?o } FILTER(!STRSTARTS(STR(?g), ?sealed)) }",
        {
            "v": ox.NamedNode(OUISHARE_CS + "/v2"),
            "sealed": ox.Literal(BASE + "graph/codesocial/"),
        },
    )


def test_a_made_up_codesocial_cannot_be_published_for_another_organisation(
    world: World,
) -> None:
    """The subject of a #CodeSocial comes from trustworthy facts only."""
    made_up = f"<{ID}codesocial/bea-for-ouishare> a <{CG}CodeSocial> ;"
    made_up += f' <{LABEL}> "Ouishare, according to Bea"@en ; <{CG}codeSocialOf> <{OUISHARE}> .\n'
    assert world.post("bea", made_up).status_code == 403
    assert world.publish("ana", "bea-for-ouishare").status_code == 404


# --------------------------------------------------------------------------------------------
# PUT, DELETE, withdraw, revert: another member's contribution
# --------------------------------------------------------------------------------------------


def test_another_organisations_contribution_cannot_be_changed(world: World) -> None:
    location = world.created("ana", commons(ID + "commons/ana-owned", "Ana's commons"))
    before = dump(world.store)
    cid = location.rsplit("/", 1)[-1]
    graph = {contribution_graph(cid).value}
    assert_refused(world.put("bea", location, comment_on(C2C)), 403, graph)
    # Administrators withdraw and revert others' contributions; they never rewrite them.
    assert_refused(world.put("admin", location, comment_on(C2C)), 403, graph)
    assert_refused(world.delete("bea", location), 403, graph)
    assert_refused(world.revert("bea", location), 403, graph)
    assert_refused(world.put("anonymous", location, comment_on(OUISHARE)), 401, None)
    assert_refused(world.delete("anonymous", location), 401, None)
    assert_refused(world.revert("anonymous", location), 401, None)
    form = world.web.request(
        "POST", location + "/withdraw", headers={"Authorization": f"Bearer {world.tokens['bea']}"}
    )
    assert_refused(form, 403, graph)
    assert dump(world.store) == before
    missing = location.replace(cid, "0000000000000000")
    unknown = {contribution_graph("0000000000000000").value}
    assert_refused(world.put("ana", missing, comment_on(OUISHARE)), 404, unknown)


def test_refused_changes_name_the_contribution(world: World) -> None:
    location = world.created("ana", commons(ID + "commons/named-in-refusals", "Named"))
    graph = {contribution_graph(location.rsplit("/", 1)[-1]).value}
    assert world.delete("ana", location).status_code == 200
    before = dump(world.store)
    assert_refused(world.delete("ana", location), 409, graph)
    assert_refused(world.revert("ana", location, to_version=9), 400, graph)
    assert dump(world.store) == before


@pytest.mark.parametrize(
    "look_alike",
    [
        "organisation/%63ommons-to-commons",
        "organisation/./commons-to-commons",
        "organisation/ouishare/../commons-to-commons",
        "codesocial//ouishare/v1",
        "./codesocial/ouishare/v1",
        "/codesocial/ouishare/v1",
        "codesocial/commons-to-commons%2Fv1",
    ],
)
def test_a_new_iri_cannot_pass_for_another_resource(world: World, look_alike: str) -> None:
    """Spellings that a tool normalising IRIs (RFC 3986) reads as another organisation or a
    published version are refused as new resources, naming the spelling."""
    before = dump(world.store)
    assert_refused(world.post("ana", comment_on(ID + look_alike)), 403, {ID + look_alike})
    assert dump(world.store) == before


@pytest.mark.parametrize("version", ["v1", "abc", "\u00b2", "1.0", "-1"])
def test_a_revert_to_a_version_that_is_no_number_is_refused(world: World, version: str) -> None:
    """Not read as "the latest" (a destructive guess), and never a 500 (`²` is a digit to
    `str.isdigit`, not to `int`)."""
    location = world.created("ana", commons(ID + "commons/reverted-oddly", "Odd"))
    before = dump(world.store)
    given = version.encode().decode("unicode_escape")
    assert_refused(world.revert("ana", location, to_version=given), 400, None)
    assert dump(world.store) == before


def test_a_colleague_may_change_the_organisations_contribution(world: World) -> None:
    location = world.created("ana", commons(ID + "commons/shared-by-colleagues", "Colleagues"))
    replaced = world.put("ana2", location, commons(ID + "commons/shared-by-colleagues", "Renamed"))
    assert replaced.status_code == 200, replaced.text


def test_put_cannot_smuggle_what_post_refuses(world: World) -> None:
    location = world.created("ana", comment_on(OUISHARE, "Before."))
    before = dump(world.store)
    for body, focus in REFUSED_TARGETS.values():
        assert_refused(world.put("ana", location, body), 403, focus)
    assert dump(world.store) == before


# --------------------------------------------------------------------------------------------
# PUT renames; revert and replay are judged as new writes, now
# --------------------------------------------------------------------------------------------


def test_put_renames_ones_own_resource(world: World) -> None:
    iri = ID + "commons/to-be-renamed"
    location = world.created("ana", commons(iri, "First name"))
    renamed = world.put("ana", location, commons(iri, "Second name"))
    assert renamed.status_code == 200, renamed.text
    labels = world.store.select(f"SELECT ?l WHERE {{ <{iri}> <{LABEL}> ?l }}").rows
    assert labels == [(ox.Literal("Second name", language="en"),)]
    org = world.put("ana", location, f'<{OUISHARE}> <{LABEL}> "Ouishare"@en .\n')
    assert org.status_code == 200, org.text
    # A PUT is a whole replacement: the old statements are gone.
    assert not world.store.ask(f"ASK {{ <{iri}> ?p ?o }}")


def test_revert_after_another_organisation_took_the_resource_over(world: World) -> None:
    iri = ID + "commons/taken-over"
    mine = world.created("ana", commons(iri, "Ana's name"))
    assert world.delete("ana", mine).status_code == 200
    world.created("bea", commons(iri, "Bea's name"))
    before = dump(world.store)
    assert_refused(world.revert("ana", mine), 403, {iri})
    assert_refused(world.revert("ana", mine, to_version=1), 403, {iri})
    assert_refused(world.revert("admin", mine, to_version=1), 403, {iri})
    assert dump(world.store) == before
    labels = world.store.select(f"SELECT ?l WHERE {{ <{iri}> <{LABEL}> ?l }}").rows
    assert len(labels) == 1


def test_revert_is_validated_against_the_store_as_it_is_now(world: World) -> None:
    iri = ID + "commons/revalidated"
    first = world.created("ana", commons(iri, "First"))
    assert world.delete("ana", first).status_code == 200
    world.created("ana2", commons(iri, "Second"))
    before = dump(world.store)
    response = world.revert("ana", first)
    assert response.status_code == 422, response.text
    assert {e["focus"] for e in response.json()["errors"]} == {iri}
    assert dump(world.store) == before


def test_a_replay_is_judged_now(world: World) -> None:
    iri = ID + "commons/replayed"
    key = {"Idempotency-Key": "replay-1"}
    first = world.post("ana", commons(iri, "Ana's"), **key)
    assert first.status_code == 201
    again = world.post("ana", commons(iri, "Ana's"), **key)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert world.delete("ana", first.headers["location"]).status_code == 200
    world.created("bea", commons(iri, "Bea's"))
    before = dump(world.store)
    assert_refused(world.post("ana", commons(iri, "Ana's"), **key), 403, {iri})
    assert dump(world.store) == before


# --------------------------------------------------------------------------------------------
# Claims, the form
# --------------------------------------------------------------------------------------------


def test_claims_grant_only_once_an_admin_approves(fresh: World) -> None:
    def claim(who: str, organisation: str) -> httpx.Response:
        return fresh.web.request(
            "POST",
            "/members/claims",
            data={"organisation": organisation},
            headers={"Authorization": f"Bearer {fresh.tokens[who]}"},
        )

    assert claim("bea", OUISHARE).status_code == 303
    # Only organisations can be claimed: an approved claim lets a member describe the IRI.
    for not_an_organisation in (ONTOLOGY, ID + "codesocial/ouishare", ID + "value/sharing"):
        assert claim("bea", not_an_organisation).status_code == 400
    claims = {c.organisation: c.id for c in fresh.accounts.claims(status="pending")}
    assert set(claims) == {OUISHARE}
    assert_refused(fresh.post("bea", comment_on(OUISHARE)), 403, {OUISHARE})

    def decide(who: str, organisation: str) -> httpx.Response:
        return fresh.web.request(
            "POST",
            f"/members/claims/{claims[organisation]}/approve",
            headers={"Authorization": f"Bearer {fresh.tokens[who]}", "Accept": "application/json"},
        )

    assert_refused(decide("bea", OUISHARE), 403, None)
    assert_refused(decide("ana", OUISHARE), 403, None)
    assert decide("admin", OUISHARE).status_code == 303
    assert (
        fresh.post("bea", comment_on(OUISHARE, "Now Bea speaks for Ouishare.")).status_code == 201
    )
    # A claim recorded before claims were checked is checked when an admin approves it, and an
    # approval would never open the model (ontology, shapes, vocabularies) to writes anyway.
    bea = fresh.accounts.by_token(fresh.tokens["bea"])
    assert bea is not None
    claims[ONTOLOGY] = fresh.accounts.add_claim(bea, ONTOLOGY).id
    assert decide("admin", ONTOLOGY).status_code == 400
    assert [c.organisation for c in fresh.accounts.claims(status="pending")] == [ONTOLOGY]
    assert_refused(fresh.post("bea", comment_on(ONTOLOGY)), 403, {ONTOLOGY})


def _signed_in(world: World, who: str) -> str:
    """Sign `who` in with the session cookie; the CSRF token of the new session."""
    page = world.web.request("GET", "/signin")
    token = BeautifulSoup(page.text, "lxml").select_one("input[name=csrf_token]")
    assert token is not None
    signed = world.web.request(
        "POST",
        "/signin",
        data={"csrf_token": str(token["value"]), "token": world.tokens[who], "next": "/contribute"},
    )
    assert signed.status_code == 303
    form = world.web.request("GET", "/contribute")
    csrf = BeautifulSoup(form.text, "lxml").select_one("input[name=csrf_token]")
    assert csrf is not None
    return str(csrf["value"])


def test_the_form_writes_only_for_ones_own_organisation(world: World) -> None:
    csrf = _signed_in(world, "ana")
    before = dump(world.store)
    response = world.web.request(
        "POST",
        "/contribute",
        data={"csrf_token": csrf, "organisation": C2C, "org.description@en": "Hijacked."},
    )
    assert response.status_code == 403
    assert dump(world.store) == before
    world.web.client.cookies.clear()


# --------------------------------------------------------------------------------------------
# One real server
# --------------------------------------------------------------------------------------------


def test_smoke_over_a_real_server(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    accounts = Accounts.from_settings(settings)
    token = accounts.add_member("Bea", C2C)[1]
    with LiveServer(settings) as server, fetch.client(base_url=server.url, timeout=60) as http:
        headers = {**TURTLE, "Authorization": f"Bearer {token}", "Accept-Language": "fr"}
        refused = http.post(
            "/contributions", content=comment_on(OUISHARE).encode(), headers=headers
        )
        assert_refused(refused, 403, {OUISHARE}, "fr")
        future = comment_on(C2C_CS + "/v1")
        assert_refused(
            http.post("/contributions", content=future.encode(), headers=headers),
            403,
            {C2C_CS + "/v1"},
            "fr",
        )


# --------------------------------------------------------------------------------------------
# More paths: PUT over a taken-over resource, admins' withdrawals, organisations, JSON-LD
# --------------------------------------------------------------------------------------------


def test_put_over_a_resource_another_organisation_took_over(world: World) -> None:
    iri = ID + "commons/taken-by-put"
    mine = world.created("ana", commons(iri, "Ana's"))
    assert world.put("ana", mine, comment_on(OUISHARE, "Moved on.")).status_code == 200
    world.created("bea", commons(iri, "Bea's"))
    before = dump(world.store)
    assert_refused(world.put("ana", mine, commons(iri, "Ana's again")), 403, {iri})
    assert dump(world.store) == before


def test_admin_withdrawal_changes_only_that_contribution(world: World) -> None:
    location = world.created("ana", commons(ID + "commons/withdrawn-by-admin", "Withdrawn"))
    graph = contribution_graph(location.rsplit("/", 1)[-1]).value
    before = dump(world.store)
    assert world.delete("admin", location).status_code == 200
    assert changed_graphs(before, dump(world.store)) == {graph, PROVENANCE_GRAPH.value}


def test_posting_for_an_organisation_one_does_not_speak_for(world: World) -> None:
    before = dump(world.store)
    response = world.web.request(
        "POST",
        "/contributions",
        params={"organisation": C2C},
        content=comment_on(OUISHARE).encode(),
        headers=world.headers("ana", "fr"),
    )
    assert_refused(response, 403, {C2C}, "fr")
    assert dump(world.store) == before


def test_json_ld_is_judged_by_the_same_rule(world: World) -> None:
    body = {
        "@id": OUISHARE,
        SAME_AS: {"@id": C2C},
        COMMENT: {"@value": "Same as them.", "@language": "en"},
    }
    before = dump(world.store)
    headers = {**world.headers("ana"), "Content-Type": "application/ld+json"}
    response = world.web.request("POST", "/contributions", json=body, headers=headers)
    assert_refused(response, 403, {C2C})
    assert dump(world.store) == before
