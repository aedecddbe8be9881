"""`commons-graph serve`: the web service (pages, linked data, SPARQL) under uvicorn."""

from __future__ import annotations

import gc

import click
from rich.console import Console

from commons_graph.cli.context import CliContext, pass_context, reports_errors

console = Console(highlight=False)


def browser_url(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on `host`:`port`."""
    if host in ("0.0.0.0", "::", ""):
        host = "localhost"  # listening everywhere: this machine's own name reaches it
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


@click.command()
@click.option("--host", help="Interface to listen on (COMMONS_GRAPH_HOST). Default: 127.0.0.1.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    help="Port to listen on, 0 to 65535 (COMMONS_GRAPH_PORT). Default: 8000.",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Log every request (costs about 8% of the throughput of light SPARQL queries).",
)
@pass_context
@reports_errors
def serve(cli: CliContext, host: str | None, port: int | None, access_log: bool) -> None:
    """Serve the network: pages, linked data, dumps and the SPARQL endpoint at /sparql.

    The store (made by `init`) is first brought up to date with the shipped seed network.
    """
    import uvicorn

    from commons_graph.allocator import restart_with_jemalloc
    from commons_graph.web.app import create_app
    from commons_graph.web.http_protocol import bounded_protocol

    cli.overrides.update({"host": host, "port": port})
    settings = cli.settings
    restart_with_jemalloc(settings.allocator)
    # Open the store once here, so that a missing store or one another process holds ends
    # the command with one line, not with the server's startup traceback. Relations a load
    # left to derive are derived by the server's keeper, in its thread (web/services.py).
    with cli.store(derive_owed=False):
        pass
    url = browser_url(settings.host, settings.port)
    console.print(f"commons-graph on {settings.store}")
    console.print(f"Open {url} in your browser; SPARQL endpoint: {url}sparql")
    console.print("Stop with Ctrl+C.")
    app = create_app(settings)
    # What is loaded by now (modules, the app) lives as long as the process: frozen, it is not
    # rescanned by every garbage collection that requests trigger (measured on a
    # contribution's check: 5.4 -> 3.3 ms).
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=access_log,
        # Forwarded headers are believed only from COMMONS_GRAPH_TRUSTED_PROXIES, by the app
        # itself (web/client.py); uvicorn's default would trust any local process.
        proxy_headers=False,
        # Slow headers and bodies are cut off and connections capped (web/http_protocol.py).
        http=bounded_protocol(
            settings.header_timeout, settings.body_timeout, settings.max_connections
        ),
    )
