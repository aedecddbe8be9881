"""Time the contribution content hash on hostile inputs: rdflib's canonical graph (before) vs
RDFC-1.0 in bounded time (rdf/hashing.py).

    .venv/bin/python -m bench.measure_hash [--limit SECONDS]

Each measure runs in its own process, killed after `--limit` seconds (reported as "> limit").
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import time
from collections.abc import Callable

import pyoxigraph as ox

EX = "http://example.org/"


def cycles(count: int) -> str:
    """`count` two-node blank-node cycles: about 1 KB of Turtle for 8."""
    return "".join(f"_:a{i} <{EX}p> _:b{i} . _:b{i} <{EX}p> _:a{i} .\n" for i in range(count))


def nested(levels: int) -> str:
    """Blank nodes nested `levels` deep: `<s> <p> [ <p> [ … ] ]`."""
    return f"<{EX}s> " + f"<{EX}p> [ " * levels + "]" * levels + " ."


def clique(size: int) -> str:
    """`size` blank nodes each linked to every other."""
    return "".join(f"_:n{i} <{EX}p> _:n{j} .\n" for i in range(size) for j in range(size) if i != j)


def _triples(turtle: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]


def old_hash(turtle: str) -> str:
    """The hash as computed before: rdflib's `to_canonical_graph`."""
    from rdflib.compare import to_canonical_graph

    from commons_graph.rdf.conversion import rdflib_graph

    canonical = to_canonical_graph(rdflib_graph(_triples(turtle)))
    lines = sorted(line for line in canonical.serialize(format="nt").splitlines() if line)
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def new_hash(turtle: str) -> str:
    """The hash as computed now (rdf/hashing.py)."""
    from commons_graph.rdf.hashing import CanonicalisationTooHard, content_hash

    try:
        return content_hash(_triples(turtle))
    except CanonicalisationTooHard:
        return "refused (422)"


def _run(function: Callable[[str], str], turtle: str, queue: multiprocessing.Queue[str]) -> None:
    function(cycles(1))  # imports, and the worker process started: not what is measured
    start = time.perf_counter()
    outcome = function(turtle)
    queue.put(f"{time.perf_counter() - start:.3f} s ({outcome[:20]})")


def measure(function: Callable[[str], str], turtle: str, limit: float) -> str:
    """The time `function` takes on `turtle`, in a process killed after `limit` seconds."""
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[str] = context.Queue()
    process = context.Process(target=_run, args=(function, turtle, queue))
    process.start()
    process.join(limit)
    if process.is_alive():
        process.kill()
        process.join()
        return f"> {limit:g} s"
    return queue.get()


def main() -> None:
    """Print one line per input: its size, the old and the new time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per measure")
    args = parser.parse_args()
    cases = {
        "8 two-node cycles": cycles(8),
        "3,000 nested levels": nested(3000),
        "7-node clique": clique(7),
        "9-node clique": clique(9),
    }
    for name, turtle in cases.items():
        old = measure(old_hash, turtle, args.limit)
        new = measure(new_hash, turtle, args.limit)
        print(f"{name} ({len(turtle):,} bytes): rdflib {old}; RDFC-1.0 bounded {new}", flush=True)


if __name__ == "__main__":
    main()
