"""The web layer's layout rules: route modules never import each other, never reach into
`app.state`, and every router is included by the one composition root (`create_app`)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import commons_graph.web.routes as routes_package
from commons_graph.web.app import ROUTERS

ROUTES_DIR = Path(routes_package.__file__).parent
ROUTE_MODULES = sorted(p for p in ROUTES_DIR.glob("*.py") if p.name != "__init__.py")
PACKAGE = "commons_graph.web.routes"


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved, imported names included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = PACKAGE.rsplit(".", node.level - 1)[0] if node.level > 1 else PACKAGE
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            # `from commons_graph.web.routes import members` imports a module too.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_there_are_route_modules_to_check() -> None:
    assert len(ROUTE_MODULES) >= 10


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda p: p.stem)
def test_no_route_module_imports_another(path: Path) -> None:
    others = {f"{PACKAGE}.{p.stem}" for p in ROUTE_MODULES if p != path}
    imports = imported_modules(path)
    assert not imports & (others | {PACKAGE}), f"{path.name} imports another route module"


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda p: p.stem)
def test_route_modules_use_deps_not_app_state(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "app.state" not in text and ".state." not in text
    assert "include_router" not in text


def test_every_route_module_is_included_by_create_app() -> None:
    modules = {importlib.import_module(f"{PACKAGE}.{p.stem}") for p in ROUTE_MODULES}
    assert modules == set(ROUTERS)
    # The dereferencing catch-all comes last.
    assert ROUTERS[-1].__name__ == f"{PACKAGE}.resources"
