"""`commons-graph codesocial publish|verify|compare|list`, through click's runner, every backend."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from commons_graph.cli.main import main
from commons_graph.codesocial.iris import VersionRef
from commons_graph.config import Settings
from commons_graph.store import open_store
from tests.helpers.backends import store_options
from tests.helpers.codesocial import DRAFT, OUISHARE, edit_draft, tamper
from tests.helpers.prepared import initialised_copy


@pytest.fixture
def cli(
    backend_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CliRunner, list[str]]:
    """A runner and the store options selecting an initialised store of each backend (the
    embedded one a copy of a store `init` made once per session)."""
    options = store_options(backend_settings)
    runner = CliRunner()
    if backend_settings.is_remote:
        assert runner.invoke(main, [*options, "init"]).exit_code == 0
    else:
        initialised_copy(tmp_path_factory, backend_settings.store_path)
    return runner, options


def test_publish_verify_compare_list(
    cli: tuple[CliRunner, list[str]], backend_settings: Settings
) -> None:
    """The whole cycle from the shell: publish, verify (0), edit, publish, compare, tamper (1)."""
    runner, options = cli
    published = runner.invoke(
        main, [*options, "codesocial", "publish", DRAFT, "--publisher", OUISHARE]
    )
    assert published.exit_code == 0, published.output
    assert f"{DRAFT}/v1" in published.output
    verified = runner.invoke(main, [*options, "codesocial", "verify", f"{DRAFT}/latest"])
    assert verified.exit_code == 0
    assert verified.output.startswith(f"OK: {DRAFT}/v1 ")
    again = runner.invoke(main, [*options, "codesocial", "publish", DRAFT, "--publisher", OUISHARE])
    assert again.exit_code != 0 and "nothing to publish" in again.output
    store = open_store(backend_settings)
    try:
        edit_draft(store)
    finally:
        store.close()
    second = runner.invoke(
        main, [*options, "codesocial", "publish", "ouishare", "--publisher", OUISHARE]
    )
    assert second.exit_code == 0 and f"{DRAFT}/v2" in second.output
    compared = runner.invoke(
        main, [*options, "codesocial", "compare", f"{DRAFT}/v1", f"{DRAFT}/v2"]
    )
    assert compared.exit_code == 0
    assert "0 statement(s) removed, 1 added." in compared.output
    listed = runner.invoke(main, [*options, "codesocial", "list", DRAFT])
    assert listed.exit_code == 0 and "sha256:" in listed.output
    store = open_store(backend_settings)
    try:
        tamper(store, backend_settings, VersionRef("ouishare", 1))
    finally:
        store.close()
    failed = runner.invoke(main, [*options, "codesocial", "verify", f"{DRAFT}/v1", "--lang", "fr"])
    assert failed.exit_code == 1
    assert failed.output.startswith(f"DIFFÉRENCE : {DRAFT}/v1 ")
    assert len(failed.output.strip().splitlines()) == 1
    # Verifying the draft checks every version: v2 is intact, v1 is not.
    every = runner.invoke(main, [*options, "codesocial", "verify", DRAFT])
    assert every.exit_code == 1
    assert [line.split(":")[0] for line in every.output.splitlines()] == ["MISMATCH", "OK"]


def test_verify_unknown_version_is_one_clear_line(cli: tuple[CliRunner, list[str]]) -> None:
    """A version that was never published: an error line, not a traceback, and not exit 0/1."""
    runner, options = cli
    result = runner.invoke(main, [*options, "codesocial", "verify", f"{DRAFT}/v9"])
    assert result.exit_code not in (0, 1)
    assert "has not been published" in result.output
    assert "Traceback" not in result.output
