"""The physical limit of a Python SPARQL endpoint on this machine: the bare minimum.

`python -m bench.minimal_app --store PATH --port N`: one ASGI app under the HTTP server ours runs
(uvicorn, httptools, uvloop), answering a form POST by `Store.query(text)` on an in-process
read-only pyoxigraph store and Oxigraph's own SPARQL JSON writer, in the event loop: no cache, no
limits, no checks, no worker, no headers but the type and length. Unsafe by design (a query's
`SERVICE` would reach the network, a long query blocks every other request): it exists to tell
how far ours is from what Python and uvicorn allow at all (`bench/measure_light.py`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.servers import Server, _start, executable, free_port
from commons_graph.web.sparql_protocol import parse_form

_JSON = b"application/sparql-results+json"


class MinimalEndpoint:
    """ASGI app: the form's `query` evaluated on `store`, its results written as SPARQL JSON."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        status, payload = 200, b""
        try:
            query = next(v for n, v in parse_form(body.decode()) if n == "query")
            results = self.store.query(query, use_default_graph_as_union=True)
            written = results.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
            payload = written or b""
        except (StopIteration, SyntaxError, ValueError, OSError) as error:
            status, payload = 400, str(error).encode()
        headers = [(b"content-type", _JSON), (b"content-length", b"%d" % len(payload))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def start_minimal(store: Path, log: Path) -> Server:
    """The minimal endpoint on a store folder (opened read-only), as a process of its own."""
    port = free_port()
    command = [
        executable("python"),
        "-m",
        "bench.minimal_app",
        "--store",
        str(store),
        "--port",
        str(port),
    ]
    return _start("minimal app", command, log, f"http://127.0.0.1:{port}", "/sparql")


def main(argv: list[str] | None = None) -> None:
    """Serve the minimal endpoint on 127.0.0.1."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m bench.minimal_app", description=__doc__)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    app = MinimalEndpoint(ox.Store.read_only(str(args.store)))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        http="httptools",
        loop="uvloop",
        access_log=False,
        log_level="warning",
        lifespan="on",
    )


if __name__ == "__main__":
    main()
