"""Search over a seeded store: accents and case, stems, ranking, snippets, prefixes."""

from __future__ import annotations

from pyoxigraph import NamedNode

from commons_graph.search.snippets import MARK_CLOSE, MARK_OPEN
from commons_graph.views.search import snippet_pieces
from tests.helpers.contributions import OUISHARE
from tests.search.conftest import DESCRIPTION, EX, IDENTIFIER, LABEL, Indexed, text

CARE = NamedNode("https://w3id.org/commons-graph/value/care")
HOLDS = NamedNode("https://w3id.org/commons-graph/ontology#holdsValue")


def test_accents_and_case_are_folded(indexed: Indexed) -> None:
    circular = "https://w3id.org/commons-graph/topic/circular-economy"
    for query in ("economie circulaire", "ÉCONOMIE Circulaire", "économie"):
        assert circular in indexed.iris(query), query
    assert OUISHARE in indexed.iris("OUISHARE")


def test_english_and_french_words_are_stemmed(indexed: Indexed) -> None:
    garden = indexed.add(
        "garden",
        (LABEL, text("Les jardins partagés", "fr")),
        (DESCRIPTION, text("Community gardening in shared plots")),
    )
    for query in ("jardin", "JARDINS", "partagé", "garden", "gardens", "plot", "sharing"):
        assert garden.value in indexed.iris(query), query


def test_names_rank_before_descriptions(indexed: Indexed) -> None:
    mentioned = indexed.add(
        "mentions", (LABEL, text("Some network")), (DESCRIPTION, text("Works with Zephyrine."))
    )
    longer = indexed.add("longer", (LABEL, text("Zephyrine festival and gathering")))
    named = indexed.add("named", (LABEL, text("Zephyrine")))
    assert indexed.iris("zephyrine") == [named.value, longer.value, mentioned.value]


def test_identifiers_other_names_and_linked_labels_are_found(indexed: Indexed) -> None:
    coded = indexed.add("coded", (LABEL, text("Coded")), (IDENTIFIER, text("FR-QX-4471", "")))
    assert coded.value in indexed.iris("QX-4471")
    carer = indexed.add("carer", (LABEL, text("A carer")), (HOLDS, CARE))
    assert carer.value in indexed.iris("care")


def test_snippets_mark_the_words_found_in_plain_text(indexed: Indexed) -> None:
    subject = indexed.add(
        "snippet",
        (LABEL, text("Snippet example")),
        (DESCRIPTION, text("<b>Bold</b> claims about quokkas & \x02other\x03 animals")),
    )
    ((row, iri, _),) = indexed.index.ranked("quokka")
    assert iri == subject.value
    _, snippet = indexed.index.details("quokka", [row])[row]
    pieces = snippet_pieces(snippet)
    assert ("quokkas", True) in pieces
    # Control characters of the data never pass for markers.
    assert snippet.count(MARK_OPEN) == snippet.count(MARK_CLOSE) == 1
    assert "<b>Bold</b>" in "".join(piece for piece, _ in pieces)


def test_prefixes_suggest_names_first(indexed: Indexed) -> None:
    indexed.add("zz1", (LABEL, text("Quintessa")), (DESCRIPTION, text("About quinoa.")))
    indexed.add("zz2", (LABEL, text("Other")), (DESCRIPTION, text("Quintessa friends.")))
    found = [hit.iri for hit in indexed.index.suggest("quint", 5)]
    assert found[0] == EX + "zz1" and EX + "zz2" in found
    assert indexed.index.suggest("quintessa fr", 5)[0].iri == EX + "zz2"
    assert [h.iri for h in indexed.index.suggest("ouis", 3)][0] == OUISHARE
    assert indexed.index.suggest("", 5) == [] and indexed.index.suggest("*", 5) == []
