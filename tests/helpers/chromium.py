"""Debian's Chromium, started once per xdist worker and reached over the DevTools protocol.

Each test module connects its own Playwright to it (`connect_over_cdp`, ~0.05 s) instead of
launching a browser (~1 s of CPU, ~1.5 s of wait): the sync API cannot outlive a module (see
the `chromium` fixture in tests/conftest.py), the browser process can. Each module's contexts
are closed when it disconnects, so no page, cookie or storage passes from one module to the next.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a downloaded build; no background traffic on this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
_START_SECONDS = 60


@dataclass
class ChromiumProcess:
    """A running headless Chromium and the DevTools address it listens on (127.0.0.1)."""

    process: subprocess.Popen[str]
    endpoint: str
    reader: threading.Thread

    def alive(self) -> bool:
        """Whether the browser is still running."""
        return self.process.poll() is None

    def stop(self) -> None:
        """End the browser, wait for it, and close the pipe its messages came through."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=30)
        if self.process.stderr is not None:
            self.process.stderr.close()


def start_chromium(profile: Path) -> ChromiumProcess:
    """Start Chromium with a throw-away profile on a free local port; its DevTools address."""
    process = subprocess.Popen(
        [
            str(CHROMIUM),
            *CHROMIUM_ARGS,
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found: list[str] = []

    def read() -> None:
        # Chromium says where it listens on its standard error, then keeps writing there:
        # the rest is read and dropped so that the pipe never fills.
        assert process.stderr is not None
        for line in process.stderr:
            if not found and (match := _LISTENING.search(line)):
                found.append(match[1])

    reader = threading.Thread(target=read, daemon=True, name="chromium-stderr")
    reader.start()
    deadline = time.monotonic() + _START_SECONDS
    while not found and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    started = ChromiumProcess(process, found[0] if found else "", reader)
    if not found:
        process.kill()
        started.stop()
        raise RuntimeError("Chromium did not say where its DevTools listen")
    return started
