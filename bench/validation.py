"""Whole-graph validation: pyshacl (the reference) and the shapes compiled to SPARQL.

Run as `python -m bench.validation STORE ENGINE` in a child process, so that the caller can
bound it in time; prints one JSON line. The SPARQL engine (what `commons-graph validate` runs:
src/commons_graph/validation/whole_store.py) is compared with pyshacl's violations on the same data.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

Key = tuple[str, str, str, str]


def _pyshacl(store_path: Path) -> dict[str, Any]:
    from commons_graph.store.embedded import EmbeddedStore
    from commons_graph.validation import store_graph, validate

    store = EmbeddedStore(store_path)
    try:
        started = time.perf_counter()
        graph = store_graph(store)
        converted = time.perf_counter()
        report = validate(graph, inplace=True)
        done = time.perf_counter()
    finally:
        store.close()
    keys = sorted(
        {
            (v.focus, v.path or "", v.value or "", v.component)
            for v in report.violations
            if v.severity == "Violation"
        }
    )
    return {
        "engine": "pyshacl",
        "seconds": round(done - started, 2),
        "to_rdflib_seconds": round(converted - started, 2),
        "shacl_seconds": round(done - converted, 2),
        "triples": len(graph),
        "conforms": report.conforms,
        "violations": keys,
    }


def _sparql(store_path: Path) -> dict[str, Any]:
    """`commons-graph validate --engine sparql`: the shapes compiled to SPARQL, run on the
    on-disk store itself (src/commons_graph/validation/whole_store.py)."""
    from commons_graph.store.embedded import EmbeddedStore
    from commons_graph.validation.compiled import service_checks
    from commons_graph.validation.whole_store import validate_store

    started = time.perf_counter()
    service_checks()
    compiled = time.perf_counter()
    store = EmbeddedStore(store_path)
    try:
        report = validate_store(store, engine="sparql")
        quads = len(store.native)
    finally:
        store.close()
    done = time.perf_counter()
    keys = sorted(
        {
            (v.focus, v.path or "", v.value or "", v.component)
            for v in report.violations
            if v.severity == "Violation"
        }
    )
    return {
        "engine": "sparql",
        "seconds": round(done - started, 2),
        "compile_seconds": round(compiled - started, 2),
        "checks_seconds": round(done - compiled, 2),
        "quads": quads,
        "conforms": report.conforms,
        "violations": keys,
    }


def run_engine(store_path: Path, engine: str, timeout: float) -> dict[str, Any]:
    """Validate the store with `engine` in a child process, stopped after `timeout` seconds."""
    command = [sys.executable, "-m", "bench.validation", str(store_path), engine]
    started = time.perf_counter()
    try:
        out = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=Path(__file__).parent.parent,
        )
    except subprocess.TimeoutExpired:
        return {"engine": engine, "seconds": None, "stopped_after": timeout}
    line = next((x for x in out.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        return {"engine": engine, "error": out.stderr[-1000:]}
    result: dict[str, Any] = json.loads(line)
    result["wall_seconds"] = round(time.perf_counter() - started, 2)
    return result


def compare(pyshacl: dict[str, Any], sparql: dict[str, Any]) -> dict[str, Any]:
    """Whether both engines found the same violations (focus, path, value, component)."""
    if "violations" not in pyshacl or "violations" not in sparql:
        return {"checked": False}
    ours = {tuple(v) for v in sparql["violations"]}
    reference = {tuple(v) for v in pyshacl["violations"]}
    return {
        "checked": True,
        "equal": ours == reference,
        "only_pyshacl": sorted(reference - ours)[:10],
        "only_sparql": sorted(ours - reference)[:10],
    }


def main() -> None:
    """Entry point of the child process."""
    store_path, engine = Path(sys.argv[1]), sys.argv[2]
    result = _pyshacl(store_path) if engine == "pyshacl" else _sparql(store_path)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
