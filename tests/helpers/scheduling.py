"""How scripts/test shares the tests between its two workers (pytest-xdist `--dist loadscope`).

xdist's `loadscope` hands each worker whole modules, so that a module's fixtures are made once.
Here the unit is a module's tests on one server backend: `test_x.py` (the embedded store and
the tests not parametrised by backend), `test_x.py::remote` and `test_x.py::virtuoso`. A module's
fixtures parametrised by backend are made once per backend anyway (pytest runs a module-scoped
fixture's parameters one after the other), so nothing is made twice, and the long modules that
run on three backends (imports, maps, related organisations) no longer keep one worker busy
alone while the other has finished.
"""

from __future__ import annotations

import re

from xdist.scheduler import LoadScopeScheduling

# The backends of tests/helpers/backends.py that run on a server of the worker's own.
SERVER_BACKENDS = ("remote", "virtuoso")
_PARAMETERS = re.compile(r"\[(.*)\]$")


def backend_of(nodeid: str) -> str | None:
    """The server backend a test runs on, read from its parameter id (`test[remote-fr]`)."""
    found = _PARAMETERS.search(nodeid)
    if found is None:
        return None
    words = set(found.group(1).split("-"))
    return next((backend for backend in SERVER_BACKENDS if backend in words), None)


def unit_of(nodeid: str) -> str:
    """The unit of work of a test: its module, and its server backend if it has one."""
    module = nodeid.split("::", 1)[0]
    backend = backend_of(nodeid)
    return f"{module}::{backend}" if backend else module


class ModuleBackendScheduling(LoadScopeScheduling):
    """xdist's `loadscope`, with a module's tests on each server backend a unit of their own."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)
