"""The contribution form in a real headless Chromium: sign in, a valid and an invalid submission."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from tests.helpers.contributions import OUISHARE
from tests.helpers.live import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def served(embedded_settings: Settings, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The live service and a Ouishare member's token."""
    settings = embedded_settings.model_copy(update={"accounts": str(tmp_path / "a.sqlite")})
    token = Accounts.from_settings(settings).add_member("Ana", OUISHARE)[1]
    with LiveServer(settings) as server:
        yield server.url, token


@pytest.fixture
def page(served: tuple[str, str], chromium: Any) -> Iterator[object]:
    """A fresh tab (own cookies) in the session's Chromium."""
    context = chromium.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: object, url: str, token: str) -> None:
    page.goto(f"{url}/contribute")  # type: ignore[attr-defined]
    assert "/signin" in page.url  # type: ignore[attr-defined]
    page.fill("#token", token)  # type: ignore[attr-defined]
    page.click("#signin-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/contribute")  # type: ignore[attr-defined]


def test_valid_submission_creates_and_links_a_commons(
    page: object, served: tuple[str, str]
) -> None:
    url, token = served
    sign_in(page, url, token)
    p = page
    # Labels come from the shapes (sh:name), not from the template.
    assert p.locator('label[for="org.schema_foundingDate"]').inner_text() == "founding date"  # type: ignore[attr-defined]
    p.select_option(  # type: ignore[attr-defined]
        '[name="org.cg_holdsValue"]', ["https://w3id.org/commons-graph/value/sharing"]
    )
    p.select_option('[name="commons.relation"]', "https://w3id.org/commons-graph/ontology#stewards")  # type: ignore[attr-defined]
    p.fill('[name="commons.rdfs_label.en"]', "Open recipes")  # type: ignore[attr-defined]
    p.fill('[name="commons.dcterms_description.en"]', "Recipes shared by the community.")  # type: ignore[attr-defined]
    p.select_option(  # type: ignore[attr-defined]
        '[name="commons.cg_commonsKind"]', "https://w3id.org/commons-graph/commons-kind/knowledge"
    )
    p.click("#submit-contribution")  # type: ignore[attr-defined]
    p.wait_for_url("**/contributions/*?stored=1")  # type: ignore[attr-defined]
    assert p.locator("#stored").count() == 1  # type: ignore[attr-defined]
    statements = p.locator("#statements").inner_text()  # type: ignore[attr-defined]
    assert "https://w3id.org/commons-graph/id/commons/open-recipes" in statements
    assert "https://w3id.org/commons-graph/ontology#stewards" in statements
    p.goto(f"{url}/id/commons/open-recipes")  # type: ignore[attr-defined]
    assert "Open recipes" in p.content()  # type: ignore[attr-defined]


def test_invalid_submission_shows_errors_next_to_fields_in_french(
    page: object, served: tuple[str, str]
) -> None:
    url, token = served
    sign_in(page, url, token)
    p = page
    p.goto(f"{url}/contribute?lang=fr")  # type: ignore[attr-defined]
    p.fill('[name="org.schema_foundingDate"]', "un jour en 2012")  # type: ignore[attr-defined]
    p.fill('[name="org.foaf_homepage"]', "pas une adresse")  # type: ignore[attr-defined]
    p.click("#submit-contribution")  # type: ignore[attr-defined]
    p.wait_for_selector("#form-errors")  # type: ignore[attr-defined]
    founding = p.locator("#field-org-schema_foundingDate .field-error").all_inner_texts()  # type: ignore[attr-defined]
    assert founding and "date de création" in founding[0]
    homepage = p.locator("#field-org-foaf_homepage .field-error").all_inner_texts()  # type: ignore[attr-defined]
    assert homepage and "site web" in homepage[0]
    # What was typed is kept.
    assert p.input_value('[name="org.schema_foundingDate"]') == "un jour en 2012"  # type: ignore[attr-defined]
    assert p.input_value('[name="org.foaf_homepage"]') == "pas une adresse"  # type: ignore[attr-defined]
