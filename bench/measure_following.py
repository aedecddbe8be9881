"""The network model after a contribution: followed (only what the write touched read again)
against built again whole. CPU time and memory, in-process on a copy of a prepared store.

`python -m bench.measure_following COPY [COUNT]` (the copy is written to): builds the model
whole once (CPU, wall, the growth of the process's peak RSS), then submits COUNT contributions
through `ContributionService.submit` and, after each, waits for the kept model to be current
(`store/derived.py` with the model's follower): CPU of the process (all threads) and the peak
of Python's allocations while it follows (`tracemalloc`, started after the build). Prints JSON.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.generate import ID
from bench.measure_contributions import contribution_body


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000


def measure(store_path: Path, count: int) -> dict[str, Any]:
    """The whole build, then `count` contributions each followed by the kept model."""
    from commons_graph.contributions.parsing import parse_contribution
    from commons_graph.contributions.service import ContributionService
    from commons_graph.members.accounts import Accounts
    from commons_graph.network.model import MODEL_NAME, network_model
    from commons_graph.rdf.formats import rdf_format
    from commons_graph.store.derived import derived_holder, wait_current
    from commons_graph.store.embedded import EmbeddedStore

    organisation = ID + "organisation/org-1"
    turtle = rdf_format("turtle")
    result: dict[str, Any] = {}
    with EmbeddedStore(store_path) as store, tempfile.TemporaryDirectory() as scratch:
        result["quads"] = store.count()
        rss, cpu, wall = _rss_mb(), time.process_time(), time.perf_counter()
        model = network_model(store)
        result["whole_build"] = {
            "cpu_s": round(time.process_time() - cpu, 2),
            "wall_s": round(time.perf_counter() - wall, 2),
            "rss_growth_mb": round(_rss_mb() - rss, 1),
            "peak_rss_growth_mb": round(_peak_rss_mb() - rss, 1),
            "nodes": len(model.graph),
            "edges": model.graph.size(),
        }
        del model
        accounts = Accounts(Path(scratch) / "accounts.sqlite")
        member = accounts.add_member("Bench member", organisation)[0]
        service = ContributionService(store, accounts)
        cpus: list[float] = []
        walls: list[float] = []
        peaks: list[float] = []
        for serial in range(count):
            triples = parse_contribution(contribution_body(organisation, serial), turtle, 10**6)
            service.submit(member, triples)
            tracemalloc.start()
            cpu, wall = time.process_time(), time.perf_counter()
            if not wait_current(store, MODEL_NAME, 600):
                raise RuntimeError("the model did not catch up with the store")
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
            peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
            tracemalloc.stop()
        holder = derived_holder(store, MODEL_NAME)
        model = network_model(store)
        wanted = f"{ID}commons/bench-new-{count - 1}"
        if wanted not in model.graph:
            raise RuntimeError(f"the last contribution is not in the model: {wanted}")
        result["follow"] = {
            "contributions": count,
            "cpu_ms_p50": round(1000 * statistics.median(cpus), 1),
            "cpu_ms_max": round(1000 * max(cpus), 1),
            "wall_ms_p50": round(1000 * statistics.median(walls), 1),
            "peak_mb_p50": round(statistics.median(peaks), 2),
            "peak_mb_max": round(max(peaks), 2),
            "followed": holder.followed if holder else None,
            "computed_whole": holder.computed if holder else None,
        }
    return result


def main() -> None:
    """`python -m bench.measure_following COPY [COUNT]`."""
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    print(json.dumps(measure(Path(sys.argv[1]), count), indent=2))


if __name__ == "__main__":
    main()
