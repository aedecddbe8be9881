"""Reading SPARQL Protocol forms (`web/sparql_protocol.py` `parse_form`) as the standard
library reads them."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote

from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.web.sparql_protocol import parse_form

_FORM_TEXT = st.lists(
    st.sampled_from([*"%%%%0123456789abcdefABCDEF=&+ _\t\r\nxyz~é\x00;", "%E9", "%C3%A9"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_FORM_TEXT)
def test_forms_are_read_as_the_standard_library_reads_them(text: str) -> None:
    """Property: the fast form reader gives parse_qsl's pairs, whatever the escapes (lone or
    cut `%`, invalid UTF-8, `=` in values, line ends, `+`)."""
    assert parse_form(text) == parse_qsl(text, keep_blank_values=True)


def test_a_query_form_is_read_whole() -> None:
    query = 'SELECT ?o WHERE { <http://e/é> ?p "a+b=c&d%" } # 100%'
    body = "query=" + quote(query, safe="") + "&n=1-2&format="
    assert parse_form(body) == [("query", query), ("n", "1-2"), ("format", "")]
