"""`commons-graph search rebuild|status`, and commands keeping an existing index in step."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.prepared import initialised_copy

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def test_rebuild_status_and_loads_kept_in_step(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    initialised_copy(tmp_path_factory, Path(store))  # as `init` leaves a store
    status = runner.invoke(main, ["--store", store, "search", "status"])
    assert status.exit_code == 1 and "search rebuild" in status.output  # never built
    rebuilt = runner.invoke(main, ["--store", store, "search", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "store.search.sqlite" in rebuilt.output
    assert runner.invoke(main, ["--store", store, "search", "status"]).exit_code == 0
    data = tmp_path / "extra.ttl"
    data.write_text(f'<https://w3id.org/commons-graph/id/x/1> {LABEL} "Tamarind circle"@en .')
    assert runner.invoke(main, ["--store", store, "load", str(data)]).exit_code == 0
    index = SearchIndex(tmp_path / "store.search.sqlite")
    try:
        assert [iri for _, iri, _ in index.ranked("tamarind")] == [
            "https://w3id.org/commons-graph/id/x/1"
        ]
    finally:
        index.close()
    # The load was followed: the index is still in step.
    assert runner.invoke(main, ["--store", store, "search", "status"]).exit_code == 0


def test_status_in_french_and_a_missing_store(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    runner = CliRunner(env={"LANG": "fr_FR.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    missing = runner.invoke(main, ["--store", str(tmp_path / "none"), "search", "rebuild"])
    assert missing.exit_code == 2
    store = str(tmp_path / "store")
    initialised_copy(tmp_path_factory, Path(store))  # as `init` leaves a store
    rebuilt = runner.invoke(main, ["--store", store, "search", "rebuild"])
    assert "Index de recherche reconstruit" in rebuilt.output


def test_a_rebuild_tells_its_progress_and_is_quiet_when_asked(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    initialised_copy(tmp_path_factory, Path(store))  # as `init` leaves a store
    quiet = runner.invoke(main, ["--store", store, "search", "rebuild", "--quiet"])
    assert quiet.exit_code == 0 and "Indexing" not in quiet.output
    with EmbeddedStore(Path(store)) as opened:
        index = SearchIndex(tmp_path / "store.search.sqlite")
        try:
            told: list[tuple[int, int]] = []
            count = IndexKeeper(opened, index).rebuild(
                lambda done, total: told.append((done, total))
            )
        finally:
            index.close()
    # Told as the resources are read, ending with all of them read.
    assert told and told[-1][0] == told[-1][1] >= count > 0
    assert [done for done, _ in told] == sorted(done for done, _ in told)
