"""A background failure is logged as text: no frames (nor pyoxigraph objects) kept alive."""

from __future__ import annotations

import logging
import threading

import pyoxigraph as ox
import pytest

from commons_graph.logs import log_failure


def test_a_failure_in_a_thread_is_logged_as_text_and_frees_nothing_later(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("commons_graph.test")

    def fail() -> None:
        solutions = ox.Store().query("SELECT * WHERE { ?s ?p ?o }")
        try:
            raise RuntimeError(f"broken while reading {type(solutions).__name__}")
        except RuntimeError:
            log_failure(log, "reading %s failed", "the store")

    with caplog.at_level(logging.WARNING, logger="commons_graph.test"):
        thread = threading.Thread(target=fail)
        thread.start()
        thread.join()
    (record,) = caplog.records
    assert record.exc_info is None
    assert "reading the store failed" in record.getMessage()
    assert "RuntimeError: broken while reading QuerySolutions" in record.getMessage()
