"""Fuzzing the contribution parsers through the real route: odd, nested, malformed, wrongly
encoded Turtle, N-Triples and JSON-LD bodies get a 2xx or a 4xx, never a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
SUBJECT = f"<{OUISHARE}> <https://example.org/p> "
TURTLE_TOKENS = [
    "[", "]", "(", ")", "<<", ">>", "<<(", ")>>", "{|", "|}", "{", "}", "<", ">", "~",
    '"', "'", '"""', "'''", "\\", "\\u00e9", "\\U0001F600", "#", ".", ";", ",", "a", "^^", "@en",
    "_:b", "_:c", "[]", "()", "@prefix ex: <https://example.org/> .", "@base <../../> .",
    "PREFIX ex: <https://example.org/>", "VERSION \"1.2\"", "ex:", "ex:p", "ex:a\\(b", "<p:q>",
    f"<{OUISHARE}>", "<relative>", "<http://[::1]/>", "<javascript:alert(1)>", "1", "-1.5e3",
    "true", '"x"@en', '"x"^^<p:t>', '"x"@en--ltr', "\n", "\t", "é", "\ufeff", "\x00", "\ud7ff",
    "rdf:type", "<http://www.w3.org/ns/shacl#NodeShape>",
]  # fmt: skip
JSON_KEYS = [
    "@id", "@type", "@context", "@value", "@language", "@list", "@set", "@graph", "@reverse",
    "@nest", "@included", "@annotation", "@direction", "@index", "@json", "@version", "@import",
    "https://example.org/p", "name", "p:q", "",
]  # fmt: skip
JSON_STRINGS = [
    OUISHARE, "https://example.org/o", "_:b", "@id", "@vocab", "relative", "javascript:x",
    "https://w3id.org/commons-graph/contributions/context.jsonld", "http://127.0.0.1:1/ctx",
]  # fmt: skip
MEDIA_TYPES = ["text/turtle", "application/n-triples", "application/ld+json"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, str]]:
    """A client of the service on a fresh embedded store, and a member's token."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    settings = Settings(store=str(folder / "store"), accounts=str(folder / "accounts.sqlite"))
    token = Accounts.from_settings(settings).add_member("Ana", OUISHARE)[1]
    with LiveServer(settings) as server, fetch.client(base_url=server.url, timeout=60) as client:
        yield client, token


def _post(served: tuple[httpx.Client, str], body: bytes, media_type: str) -> httpx.Response:
    client, token = served
    headers = {"Content-Type": media_type, "Authorization": f"Bearer {token}"}
    return client.post("/contributions", content=body, headers=headers)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


turtle_text = st.lists(
    st.sampled_from(TURTLE_TOKENS) | st.text(max_size=4), min_size=0, max_size=40
).map(" ".join)

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(JSON_STRINGS),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(JSON_KEYS) | st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=25,
)

node_objects = st.fixed_dictionaries(
    {"@id": st.sampled_from([OUISHARE, "_:b", "relative"])},
    optional={
        "@context": json_values,
        "@type": st.sampled_from(JSON_STRINGS) | json_values,
        "https://example.org/p": json_values,
        "https://example.org/q": st.fixed_dictionaries({"@id": st.sampled_from(JSON_STRINGS)}),
        "@reverse": json_values,
        "@graph": json_values,
    },
)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(
    text=turtle_text,
    prefixed=st.booleans(),
    media_type=st.sampled_from(MEDIA_TYPES[:2]),
    encoding=st.sampled_from(ENCODINGS),
)
def test_turtle_fuzz_never_5xx(
    served: tuple[httpx.Client, str], text: str, prefixed: bool, media_type: str, encoding: str
) -> None:
    body = _encode((SUBJECT if prefixed else "") + text, encoding)
    response = _post(served, body, media_type)
    assert response.status_code < 500, (body, response.text)


@SETTINGS
@given(
    document=node_objects | json_values,
    nesting=st.integers(0, 600),
    inside=st.booleans(),
    encoding=st.sampled_from(ENCODINGS),
)
# Arrays a few hundred deep in a value: a RecursionError (500) before the depth limit.
@example(document=1, nesting=500, inside=True, encoding="utf-8")
@example(document=1, nesting=900, inside=True, encoding="utf-8")
@example(document=1, nesting=1_500, inside=True, encoding="utf-8")
def test_json_ld_fuzz_never_5xx(
    served: tuple[httpx.Client, str], document: Any, nesting: int, inside: bool, encoding: str
) -> None:
    text = "[" * nesting + json.dumps(document) + "]" * nesting
    if inside:  # nested in a property's value rather than at the top
        text = f'{{"@id": "{OUISHARE}", "https://example.org/p": {text}}}'
    response = _post(served, _encode(text, encoding), "application/ld+json")
    assert response.status_code < 500, (text, response.text)


@SETTINGS
@given(body=st.binary(max_size=300), media_type=st.sampled_from(MEDIA_TYPES))
def test_arbitrary_bytes_never_5xx(
    served: tuple[httpx.Client, str], body: bytes, media_type: str
) -> None:
    response = _post(served, body, media_type)
    assert response.status_code < 500, (body, response.text)
