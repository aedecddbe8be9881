"""The index stays in step with the store: writes, loads, imports, contributions, start-up."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from pyoxigraph import Quad

from commons_graph.contributions.parsing import parse_contribution
from commons_graph.contributions.service import ContributionService
from commons_graph.importing import DatasetDescription, import_standard_csv, organisation_iri
from commons_graph.members.accounts import Accounts
from commons_graph.rdf.formats import rdf_format
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper
from tests.helpers.contributions import OUISHARE
from tests.search.conftest import DESCRIPTION, GRAPH, LABEL, Indexed, text

FIXTURES = Path(__file__).parents[1] / "importing" / "fixtures"
GLOSSARY = "https://w3id.org/commons-graph/id/commons/collaborative-economy-glossary"


def test_commits_drops_and_replacements_are_followed(indexed: Indexed) -> None:
    subject = indexed.add("kept", (LABEL, text("Marmalade guild")))
    assert indexed.iris("marmalade") == [subject.value]
    indexed.store.replace_graph(GRAPH, [Quad(subject, LABEL, text("Porridge guild"), GRAPH)])
    assert indexed.iris("marmalade") == [] and indexed.iris("porridge") == [subject.value]
    indexed.store.drop_graph(GRAPH)
    assert indexed.iris("porridge") == []


def test_loaded_files_are_searchable(indexed: Indexed, tmp_path: Path) -> None:
    data = tmp_path / "loaded.ttl"
    loaded = "https://w3id.org/commons-graph/id/test/loaded"
    data.write_text(f'<{loaded}> <{LABEL.value}> "Xylophone makers"@en .')
    indexed.store.load_graph(GRAPH, data, rdf_format("turtle"))
    assert indexed.iris("xylophone") == [loaded]


def test_imports_are_searchable(indexed: Indexed) -> None:
    description = DatasetDescription("fixture", "https://opendatacommons.org/licenses/by/1-0/", "F")
    import_standard_csv(indexed.store, FIXTURES / "iri-codes.csv", description)
    bakery = organisation_iri("fixture", "T001").value
    assert bakery in indexed.iris("riverside bakery")
    # Text of the import's blank-node address and its description are found too.
    assert bakery in indexed.iris("Leeds")
    assert bakery in indexed.iris("cakes")


def test_contributions_created_replaced_withdrawn_and_reverted(
    indexed: Indexed, tmp_path: Path
) -> None:
    accounts = Accounts(tmp_path / "accounts.sqlite")
    ana = accounts.add_member("Ana", OUISHARE)[0]
    service = ContributionService(indexed.store, accounts)
    turtle = rdf_format("turtle")
    example = Path(__file__).parents[2] / "examples" / "contributions" / "ouishare-valid.ttl"
    receipt = service.submit(ana, parse_contribution(example.read_bytes(), turtle, 100_000))
    assert GLOSSARY in indexed.iris("glossaire")
    renamed = f"""<{GLOSSARY}> a <https://w3id.org/commons-graph/ontology#Commons> ;
      <http://www.w3.org/2000/01/rdf-schema#label> "Lexicon of sharing"@en ;
      <https://w3id.org/commons-graph/ontology#commonsKind>
        <https://w3id.org/commons-graph/commons-kind/knowledge> .
    <{OUISHARE}> <https://w3id.org/commons-graph/ontology#stewards> <{GLOSSARY}> ."""
    service.replace(
        ana, receipt.contribution_id, parse_contribution(renamed.encode(), turtle, 10_000)
    )
    assert GLOSSARY not in indexed.iris("glossaire") and GLOSSARY in indexed.iris("lexicon")
    service.retract(ana, receipt.contribution_id)
    assert indexed.iris("lexicon") == []
    service.revert(ana, receipt.contribution_id)
    assert GLOSSARY in indexed.iris("lexicon")


def test_a_write_made_without_the_index_is_found_stale_at_start(indexed: Indexed) -> None:
    indexed.keeper.record_clean()
    assert not indexed.keeper.is_stale()
    indexed.keeper.detach()
    subject = indexed.add("unseen", (LABEL, text("Unseen quetzal")))
    assert indexed.iris("quetzal") == []
    keeper = IndexKeeper(indexed.store, indexed.index)
    assert keeper.is_stale()
    keeper.check_at_start()  # in the background
    assert keeper.wait(60)
    assert indexed.iris("quetzal") == [subject.value]
    assert not keeper.is_stale()
    assert not keeper.check_at_start(background=False)  # in step: nothing to do


def test_an_index_of_another_schema_or_half_built_is_rebuilt(indexed: Indexed) -> None:
    indexed.index.set_meta("state", "stale")
    assert indexed.keeper.is_stale()
    path = indexed.index.path
    indexed.index.set_meta("schema", "0")
    indexed.index.close()
    reopened = SearchIndex(path)
    try:
        assert reopened.size() == 0 and IndexKeeper(indexed.store, reopened).is_stale()
    finally:
        reopened.close()


def test_writes_during_a_rebuild_are_kept(
    indexed: Indexed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write made while a rebuild reads the store is in the index once the rebuild ends."""
    from commons_graph.search import keeping

    real = keeping.every_document
    written: list[ox.NamedNode] = []

    def reading_then_write(store):  # type: ignore[no-untyped-def]
        read = real(store)  # (the embedded store's statements are read at once, here)
        written.append(indexed.add("during", (DESCRIPTION, text("Written mid-rebuild"))))
        return read

    monkeypatch.setattr(keeping, "every_document", reading_then_write)
    indexed.keeper.rebuild()
    assert indexed.iris("mid rebuild") == [written[0].value]


def test_writes_by_another_client_are_noticed(indexed: Indexed) -> None:
    """A fingerprint change no write of this process explains rebuilds the index; one that
    this process's own writes explain does not."""
    keeper = indexed.keeper
    assert not keeper.check_others()  # first look: the fingerprint is taken
    indexed.add("own", (LABEL, text("Our own okapi")))
    assert not keeper.check_others()  # our write: followed by the listener already
    keeper.detach()  # as if another client wrote
    other = indexed.add("other", (LABEL, text("Another client's ibex")))
    assert indexed.iris("ibex") == []
    assert keeper.check_others()
    assert indexed.iris("ibex") == [other.value]


def test_a_renamed_link_is_read_again_with_the_documents_that_link_to_it(indexed: Indexed) -> None:
    """The names of linked resources are kept between updates; a resource renamed (in another
    graph) is read again, so a document that links to it and is written after gets the new
    name, not the one kept."""
    steward = ox.NamedNode("https://w3id.org/commons-graph/ontology#stewards")
    library = indexed.add("library", (LABEL, text("Quokka tool library")))
    other = ox.NamedNode(GRAPH.value + "-stewards")
    guild = ox.NamedNode("https://w3id.org/commons-graph/id/test/guild")

    def describe_guild(words: str) -> None:
        indexed.store.replace_graph(
            other, [Quad(guild, LABEL, text(words), other), Quad(guild, steward, library, other)]
        )

    describe_guild("Tinkers guild")
    assert guild.value in indexed.iris("quokka")  # the link's name is the guild's text too
    indexed.store.replace_graph(GRAPH, [Quad(library, LABEL, text("Wombat tool library"), GRAPH)])
    describe_guild("Tinkers guild of the valley")
    assert guild.value in indexed.iris("wombat")
    assert guild.value not in indexed.iris("quokka")
