"""Whole-graph validation: pyshacl (the reference) and the shapes compiled to SPARQL.

Run as `python -m bench.validation STORE ENGINE` in a child process, so that the caller can
bound it in time; prints one JSON line. The SPARQL engine (src/commons_graph/importing/
shacl_sparql.py, written for bulk imports) is only reported when its violations equal
pyshacl's on the same data.
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
    """Shapes compiled to SPARQL on an in-memory copy of the store.

    Every shipped shape compiles, so this is the compiled engine alone. A shape added later
    with a component the compiler does not know is listed as unsupported: its focus nodes
    are then checked by pyshacl (`_pyshacl_part`), so that the result stays pyshacl's.
    """
    import pyoxigraph as ox

    from commons_graph.shacl_sparql import compile_shapes
    from commons_graph.store.embedded import EmbeddedStore
    from commons_graph.terms import oxigraph_triples
    from commons_graph.validation import class_hierarchy, shapes_graph

    started = time.perf_counter()
    compiled = compile_shapes(shapes_graph())
    store = EmbeddedStore(store_path)
    try:
        # A copy in memory (N-Quads bytes, no Python objects); queries see the union of every
        # graph, as pyshacl sees the whole store, plus the class hierarchy.
        memory = ox.Store()
        memory.bulk_load(
            input=store.native.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS
        )
        memory.bulk_extend(
            ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
            for t in oxigraph_triples(class_hierarchy())
        )
        copied = time.perf_counter()
        keys = _compiled_keys(memory, compiled)
        compiled_done = time.perf_counter()
        fallback, triples = _pyshacl_part(store, memory, compiled)
        keys |= fallback
        done = time.perf_counter()
    finally:
        store.close()
    return {
        "engine": "sparql",
        "seconds": round(done - started, 2),
        "copy_seconds": round(copied - started, 2),
        "compiled_checks_seconds": round(compiled_done - copied, 2),
        "pyshacl_part_seconds": round(done - compiled_done, 2),
        "pyshacl_part_triples": triples,
        "quads": len(memory),
        "conforms": not keys,
        "violations": sorted(keys),
    }


def _compiled_keys(memory: Any, compiled: Any) -> set[Key]:
    """The violations the compiled checks find (the unsupported shapes are left to pyshacl)."""
    from commons_graph.shacl_sparql import CompiledShapes, run_checks

    checks = CompiledShapes([c for c in compiled.checks if c.severity == "Violation"], [])
    return {(r.focus, r.path or "", r.value or "", r.component) for r in run_checks(memory, checks)}


def _pyshacl_part(store: Any, memory: Any, compiled: Any) -> tuple[set[Key], int]:
    """pyshacl on the focus nodes of the shapes that did not compile, and the triples it read.

    With the contribution recipe (contributions/checking.py): their statements plus the types
    of what they point at. Nothing to do (and nothing imported) when every shape compiled.
    """
    if not compiled.unsupported:
        return set(), 0
    from commons_graph.contributions.checking import check

    focus_nodes = set()
    for ask, _reason in compiled.unsupported:
        select = ask.replace("ASK {", "SELECT DISTINCT ?focus WHERE {", 1)
        found = memory.query(select, use_default_graph_as_union=True)
        focus_nodes |= {solution["focus"] for solution in found}
    triples = list(
        dict.fromkeys(
            q.triple for node in focus_nodes for q in memory.quads_for_pattern(node, None, None)
        )
    )
    if not triples:
        return set(), 0
    report = check(store, triples, "en")
    keys = {
        (v.focus, v.path or "", v.value or "", v.component)
        for v in report.violations
        if v.severity == "Violation"
    }
    return keys, len(triples)


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
