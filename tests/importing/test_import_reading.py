"""Reading the standard layout: headers by name, codes in any spelling, HTML to plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from commons_graph.errors import BadInputError
from commons_graph.importing.codes import UnknownCode, concept, concepts
from commons_graph.importing.layout import map_headers, open_csv
from commons_graph.importing.mapping import homepage_iri
from commons_graph.importing.text import plain_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_headers_are_matched_by_name_in_any_order_and_case() -> None:
    columns = map_headers(["post_code", "NAME", "Favourite Colour", "identifier", "Name"])
    assert columns.fields == {"postcode": "post_code", "name": "NAME", "identifier": "identifier"}
    assert columns.unknown == ("Favourite Colour", "Name")


def test_a_file_without_identifier_or_name_is_refused() -> None:
    with pytest.raises(BadInputError, match="Identifier"):
        map_headers(["Name", "Website"])


def test_rows_are_numbered_as_a_spreadsheet_shows_them() -> None:
    rows = list(open_csv(FIXTURES / "iri-codes.csv").rows())
    # Row 2 is the first data row; the address of T001 spans two lines of the file.
    assert [row.number for row in rows] == [2, 3, 4]
    assert rows[0].get("street_address") == "1 Mill Lane\nRiverside"


@pytest.mark.parametrize(
    "cell",
    [
        "https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/OS115",
        "http://purl.org/essglobal/standard/organisational-structure/OS115",
        "OS115",
        "os115",
    ],
)
def test_a_code_in_any_spelling_names_the_essglobal_concept(cell: str) -> None:
    found = concept(cell, "organisational-structure")
    assert found.iri == "http://purl.org/essglobal/standard/organisational-structure/OS115"


def test_unknown_codes_are_refused_with_a_reason() -> None:
    with pytest.raises(UnknownCode, match="OS9999"):
        concept("OS9999", "organisational-structure")
    found, problems = concepts("ICA10; ICA999 ICA10", "activities-ica")
    assert [c.code for c in found] == ["ICA10"]
    assert len(problems) == 1 and "ICA999" in problems[0]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Caf&eacute; &amp; bar</p><p>Second</p>", "Café & bar\n\nSecond"),
        ("Fish &amp; chips<script>alert(1)</script>", "Fish & chips"),
        ("<div>a<br/>b <b>c</b></div>", "a\nb c"),
        ("Homes &#8211; &lt;b&gt;cheap&lt;/b&gt;", "Homes – \u2039b>cheap\u2039/b>"),
        ("a < b  and   c", "a < b and c"),
    ],
)
def test_html_becomes_plain_text_without_tags(html: str, text: str) -> None:
    assert plain_text(html) == text


@pytest.mark.parametrize(
    ("given", "iri"),
    [
        ("www.example.coop", "http://www.example.coop"),
        ("https://example.org/x", "https://example.org/x"),
        ("not a site", None),
        ("mailto:someone@example.org", None),
    ],
)
def test_websites_get_a_scheme_or_are_refused(given: str, iri: str | None) -> None:
    found = homepage_iri(given)
    assert (found.value if found else None) == iri
