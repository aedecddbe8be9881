"""Choosing the query executor for the configured store."""

from __future__ import annotations

from commons_graph.config import Settings
from commons_graph.rdf.namespaces import BASE
from commons_graph.sparql.executor import QueryExecutor
from commons_graph.store.base import Store


def make_executor(settings: Settings, store: Store) -> QueryExecutor:
    """The remote executor for a SPARQL server, the worker-process pool for the embedded store."""
    if settings.is_remote:
        # Imported lazily: the remote backend's HTTP client is not needed by embedded setups.
        from commons_graph.sparql.remote_executor import RemoteExecutor

        return RemoteExecutor(settings, store)
    from commons_graph.sparql.embedded_executor import EmbeddedExecutor
    from commons_graph.store.embedded import EmbeddedStore

    if not isinstance(store, EmbeddedStore):
        raise TypeError(f"no query executor for {type(store).__name__}")
    endpoint = BASE.rstrip("/") + "/sparql"
    from commons_graph.search.location import index_path

    return EmbeddedExecutor(
        store,
        settings.query_workers,
        base_iri=endpoint,
        search_index=str(index_path(settings)),
    )
