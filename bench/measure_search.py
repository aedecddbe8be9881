"""Full-text search at scale: index build, search and suggest latency, index update cost.

    .venv/bin/python -m bench.measure_search [--size 1M] [--runs 200]

On a generated network (bench/generate.py) loaded like the main bench's store: the time to
build the index from scratch (`commons-graph search rebuild`), the p50/p95 of a search page's
model (`views.search.search`: ranked hits, snippets, list-kind and facet counts, labels,
credits) and of type-ahead (`views.search.suggest`), and the time the store change listener
adds to a contribution's commit (a new named graph of ~20 statements about an organisation and
a new commons), each measured in this process on the embedded store. Figures are indicative
on a shared machine (check `uptime`).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from bench.generate import generate
from bench.run import parse_size
from bench.stores import Prepared, prepare_store
from commons_graph.search.documents import Document, read_documents, subjects_of_graphs
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper
from commons_graph.search.text import match_expression
from commons_graph.store import ChangeSet
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.views.kinds import KINDS
from commons_graph.views.listing import list_index
from commons_graph.views.search import find, search, suggest

NETWORKS = Path(__file__).parent / ".data" / "networks"
ID = "https://w3id.org/commons-graph/id/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
CG = "https://w3id.org/commons-graph/ontology#"
FIXED = ["cooperative", "economie solidaire", "commons", "logiciel libre", "care", "gardens"]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 and the fastest, in milliseconds (on a shared machine the fastest tells the
    work itself, the p50 the work plus waiting for a core)."""
    ordered = sorted(samples)
    return (
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        ordered[0] * 1000,
    )


def sample_names(store: EmbeddedStore, count: int, rng: random.Random) -> list[str]:
    """Labels of organisations of the network, to search for."""
    rows = store.select(
        "SELECT ?l WHERE { ?s a <http://www.w3.org/ns/org#Organization> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 5000"
    ).rows
    names = [r[0].value for r in rows if isinstance(r[0], ox.Literal)]
    return rng.sample(names, min(count, len(names)))


def contribution(number: int) -> ChangeSet:
    """A contribution-sized write: its own graph, an organisation's new commons."""
    graph = ox.NamedNode(f"https://w3id.org/commons-graph/graph/contribution/bench-{number}")
    org = ox.NamedNode(f"{ID}organisation/org-{number}")
    commons = ox.NamedNode(f"{ID}commons/bench-{number}")
    quads = [
        ox.Quad(org, ox.NamedNode(CG + "stewards"), commons, graph),
        ox.Quad(commons, ox.NamedNode(CG + "concernsCommons"), org, graph),
        ox.Quad(
            commons,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(CG + "Commons"),
            graph,
        ),
        ox.Quad(commons, LABEL, ox.Literal(f"Bench glossary {number}", language="en"), graph),
        ox.Quad(commons, LABEL, ox.Literal(f"Glossaire {number}", language="fr"), graph),
    ]
    for i in range(15):
        text = f"Shared vocabulary number {number}, part {i}, kept in common."
        quads.append(ox.Quad(commons, DESCRIPTION, ox.Literal(text, language="en"), graph))
    return ChangeSet(insert=quads)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1M", help="network size in triples (100k, 1M, ...)")
    parser.add_argument("--runs", type=int, default=200, help="searches and suggestions timed")
    parser.add_argument("--contributions", type=int, default=100, help="writes timed")
    parser.add_argument("--data", type=Path, default=NETWORKS, help="folder of the networks")
    parser.add_argument(
        "--prepared",
        type=Path,
        help="a folder holding `store` and its built `store.search.sqlite` of this size: copied "
        "and measured without building the index again",
    )
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    rng = random.Random(7)
    load_before = os.getloadavg()
    network = generate(size, args.data)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        if args.prepared:
            shutil.copytree(args.prepared / "store", Path(tmp) / "store")
            for part in args.prepared.glob("store.search.sqlite*"):
                shutil.copy(part, Path(tmp) / part.name)
            quads = len(EmbeddedStore(Path(tmp) / "store").native)
            prepared = Prepared(Path(tmp) / "store", quads, 0.0, 0.0, network.triples)
        else:
            prepared = prepare_store(Path(tmp) / "store", network.nquads, network.triples)
        store = EmbeddedStore(prepared.path)
        index = SearchIndex(Path(tmp) / "store.search.sqlite")
        keeper = IndexKeeper(store, index)
        started = time.perf_counter()
        documents = index.size() if args.prepared else keeper.rebuild()
        build = time.perf_counter() - started
        index_bytes = sum(p.stat().st_size for p in Path(tmp).glob("store.search.sqlite*"))
        for kind in KINDS.values():  # the list indexes the facets read, as the service warms
            list_index(store, kind)
        names = sample_names(store, args.runs, rng)
        queries = [rng.choice(name.split()) for name in names] + FIXED
        prefixes = [name[: rng.randint(2, 5)] for name in names]
        searched, counts, cpu = [], [], []
        parts: dict[str, list[float]] = {"ranked": [], "facets": [], "page": [], "bare": []}
        for query in queries[: args.runs]:
            started, cpu_started = time.perf_counter(), time.thread_time()
            results = search(store, index, query, "en")
            searched.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - cpu_started)
            counts.append(results.total)
            # Where it goes: the index's ranking (FTS5 and bm25), then the facets counted
            # over the hits (find), then the page (snippets, labels, credits); and the
            # physical limit, the bare FTS5 query (its first 500 matches, unranked).
            parts["bare"].append(_timed(lambda q=query: _bare_match(index, q)))
            parts["ranked"].append(_timed(lambda q=query: index.ranked(q)))
            finding = _timed(lambda q=query: find(store, index, q, {}))
            parts["facets"].append(max(0.0, finding - parts["ranked"][-1]))
            parts["page"].append(max(0.0, searched[-1] - finding))
        suggested, suggest_cpu = [], []
        for prefix in prefixes[: args.runs]:
            started, cpu_started = time.perf_counter(), time.thread_time()
            suggest(store, index, prefix, "en")
            suggested.append(time.perf_counter() - started)
            suggest_cpu.append(time.thread_time() - cpu_started)
        keeper.attach()
        updates, commits, update_cpu = [], [], []
        halves: dict[str, list[float]] = {"read": [], "write": []}
        for number in range(args.contributions):
            changes = contribution(number)
            keeper.detach()
            started = time.perf_counter()
            store.commit(changes)
            commits.append(time.perf_counter() - started)
            graphs = {g.value for g in _graphs(changes)}
            started, cpu_started = time.perf_counter(), time.thread_time()
            keeper.update_graphs(graphs)
            updates.append(time.perf_counter() - started)
            update_cpu.append(time.thread_time() - cpu_started)
            # Its two halves again, alone: reading the changed resources from the store, and
            # the SQLite transaction writing them (the index's own part).
            docs: list[Document] = []
            subjects = index.subjects_in(graphs) | subjects_of_graphs(store, graphs)
            reading = _timed(
                lambda s=subjects, d=docs: d.extend(read_documents(store, s)), cpu=True
            )
            halves["read"].append(reading)
            halves["write"].append(_timed(lambda d=docs: _write(index, d), cpu=True))
        last = args.contributions - 1
        found = [iri for _, iri, _ in index.ranked(f"bench glossary {last}")]
        assert f"{ID}commons/bench-{last}" in found[:3], found[:3]
        index.close()
        store.close()
    search_cpu = percentiles(cpu)[0]
    split = {name: percentiles(values)[0] for name, values in parts.items()}
    search_p50, search_p95, search_min = percentiles(searched)
    suggest_p50, suggest_p95, suggest_min = percentiles(suggested)
    update_p50, update_p95, update_min = percentiles(updates)
    update_cpu_p50 = percentiles(update_cpu)[0]
    read_p50, write_p50 = percentiles(halves["read"])[0], percentiles(halves["write"])[0]
    commit_p50, _, _ = percentiles(commits)
    print(f"network: {network.triples:,} generated triples ({prepared.quads:,} quads in store)")
    print(f"load average before: {load_before}; after: {os.getloadavg()}")
    built = "copied (--prepared)" if args.prepared else f"{build:.1f} s"
    print(f"index build: {built} for {documents:,} resources; {index_bytes / 1e6:.0f} MB")
    print(
        f"search (page model): p50 {search_p50:.1f} ms, p95 {search_p95:.1f} ms, "
        f"fastest {search_min:.1f} ms "
        f"({len(searched)} queries, median {statistics.median(counts):.0f} hits)"
    )
    print(
        f"  search CPU time (this thread) p50 {search_cpu:.1f} ms; p50 of its parts: ranking "
        f"{split['ranked']:.1f} ms, facets {split['facets']:.1f} ms, page {split['page']:.1f} ms;"
        f" physical limit, the bare FTS5 match (500 rows): p50 {split['bare']:.2f} ms "
        f"(search / bare: {search_p50 / max(split['bare'], 1e-3):.0f}x)"
    )
    print(
        f"suggest: p50 {suggest_p50:.1f} ms, p95 {suggest_p95:.1f} ms, "
        f"fastest {suggest_min:.1f} ms ({len(suggested)}); CPU time p50 "
        f"{percentiles(suggest_cpu)[0]:.1f} ms"
    )
    print(
        f"index update per contribution: p50 {update_p50:.2f} ms, p95 {update_p95:.2f} ms, "
        f"fastest {update_min:.2f} ms "
        f"(the commit itself: p50 {commit_p50:.2f} ms)"
    )
    print(
        f"  update CPU time (this thread) p50 {update_cpu_p50:.2f} ms; its halves alone, CPU "
        f"time: reading the resources from the store p50 {read_p50:.2f} ms, the SQLite "
        f"transaction p50 {write_p50:.2f} ms (its fsyncs and waits not counted)"
    )


def _timed(work: Callable[[], object], *, cpu: bool = False) -> float:
    clock = time.thread_time if cpu else time.perf_counter
    started = clock()
    work()
    return clock() - started


def _write(index: SearchIndex, docs: list[Document]) -> None:
    with index.write_lock, index.transaction() as db:
        for doc in docs:
            SearchIndex.put(db, doc)


def _bare_match(index: SearchIndex, text: str) -> None:
    expression = match_expression(text)
    if expression is not None:
        sql = "SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 500"
        index._db().execute(sql, (expression,)).fetchall()


def _graphs(changes: ChangeSet) -> set[ox.NamedNode]:
    return {q.graph_name for q in changes.insert if isinstance(q.graph_name, ox.NamedNode)}


if __name__ == "__main__":
    main()
