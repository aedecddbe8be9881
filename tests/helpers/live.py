"""The app served by uvicorn on a real socket, for tests whose behaviour is the socket's.

Ordinary requests go to the app in process instead (tests/helpers/inprocess.py): no port, no
thread, no start-up wait.
"""

from __future__ import annotations

import threading
import time

import uvicorn

from commons_graph.config import Settings
from commons_graph.web.app import create_app


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a background thread, over real HTTP."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        """Start serving and wait until the socket listens."""
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
