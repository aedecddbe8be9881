"""List indexes (and the map's) are built when the service starts, ahead of the first visitor."""

from __future__ import annotations

from pathlib import Path

from commons_graph.config import Settings
from commons_graph.store import Store
from commons_graph.views.kinds import KINDS
from commons_graph.views.warming import IndexWarmer
from tests.helpers.inprocess import in_process


def test_the_service_builds_every_list_index_after_it_starts(tmp_path: Path) -> None:
    with in_process(Settings(store=str(tmp_path / "store"))) as server:
        warmer: IndexWarmer = server.app.state.services.index_warmer
        assert warmer.wait(60)
        # Every list, the contribution checks, then the map's index of located resources.
        assert warmer.built == [*KINDS, "validation", "located", "network"]
        page = server.fresh.get(f"{server.url}/organisations")
        assert page.status_code == 200 and "Ouishare" in page.text


def test_a_stopped_warmer_builds_nothing_more(seeded_store: Store) -> None:
    warmer = IndexWarmer(seeded_store)
    warmer.stop()
    warmer.start()
    assert warmer.wait(60)
    assert warmer.built == []
