"""The results as tables with ratios and targets: rich on stdout, JSON and Markdown on disk."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

OURS, OXIGRAPH, RDFLIB, REMOTE = (
    "commons-graph",
    "oxigraph serve",
    "rdflib-endpoint",
    "commons-graph (remote)",
)


@dataclass
class Table:
    """A titled table of text cells."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _size_label(size: str) -> str:
    n = int(size)
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "–"
    errors = f", {row['errors']} err" if row.get("errors") else ""
    return f"{row['throughput']:,.0f}/s ({row['p50_ms']:.1f} / {row['p99_ms']:.1f} ms{errors})"


def query_tables(results: dict[str, Any]) -> list[Table]:
    """One table per size: throughput and p50/p99 per kind and peer, with the ratios."""
    tables = []
    for size, data in results["sizes"].items():
        rows = data.get("queries", [])
        if not rows:
            continue
        peers = list(dict.fromkeys(r["peer"] for r in rows))
        table = Table(
            f"SPARQL query mix at {_size_label(size)} triples: req/s (p50 / p99 latency)",
            ["kind", *peers, "ours / oxigraph", "ours / rdflib", "remote overhead"],
        )
        for kind in dict.fromkeys(r["kind"] for r in rows):
            by_peer = {r["peer"]: r for r in rows if r["kind"] == kind}
            tp = {p: by_peer[p]["throughput"] if p in by_peer else None for p in peers}
            table.rows.append(
                [
                    kind,
                    *[_cell(by_peer.get(p)) for p in peers],
                    _fmt_ratio(_ratio(tp.get(OURS), tp.get(OXIGRAPH))),
                    _fmt_ratio(_ratio(tp.get(OURS), tp.get(RDFLIB))),
                    _fmt_ratio(_ratio(tp.get(OXIGRAPH), tp.get(REMOTE))),
                ]
            )
        tables.append(table)
        cpu = Table(
            f"Server CPU ms per request at {_size_label(size)} (process + children)",
            ["kind", *[f"{p}" for p in peers]],
        )
        for kind in dict.fromkeys(r["kind"] for r in rows):
            by_peer = {r["peer"]: r for r in rows if r["kind"] == kind}
            cpu.rows.append(
                [kind]
                + [
                    f"{by_peer[p]['cpu_ms_main']:.2f} + {by_peer[p]['cpu_ms_children']:.2f}"
                    if p in by_peer and "cpu_ms_main" in by_peer[p]
                    else "–"
                    for p in peers
                ]
            )
        tables.append(cpu)
    return tables


def cache_tables(results: dict[str, Any]) -> list[Table]:
    """Per size: repeated (warm), conditional (304) and unique (cold, the mix) requests of the
    light kinds against oxigraph serve in the same run; the cache's counters and freshness."""
    tables = []
    for size, data in results["sizes"].items():
        rows = data.get("cache", [])
        if not rows:
            continue
        peers = list(dict.fromkeys(r["peer"] for r in rows))
        table = Table(
            f"Response cache at {_size_label(size)} triples: req/s (p50 / p99 latency)",
            ["kind", "requests", *peers, "ours / oxigraph"],
        )
        cold = [r for r in data.get("queries", []) if r["peer"] in peers]
        kinds = list(dict.fromkeys(r["kind"] for r in rows))
        for kind in kinds:
            for label, found in (
                *(
                    (row, [r for r in rows if r["kind"] == kind and r["row"] == row])
                    for row in dict.fromkeys(r["row"] for r in rows)
                ),
                ("unique (cold)", [r for r in cold if r["kind"] == kind]),
            ):
                by_peer = {r["peer"]: r for r in found}
                ratio = _ratio(
                    by_peer.get(OURS, {}).get("throughput"),
                    by_peer.get(OXIGRAPH, {}).get("throughput"),
                )
                table.rows.append(
                    [kind, label, *[_cell(by_peer.get(p)) for p in peers], _fmt_ratio(ratio)]
                )
        tables.append(table)
        counters = data.get("cache_counters") or {}
        fresh = data.get("cache_freshness") or {}
        memory = data.get("memory", {}).get(OURS, {})
        state = Table(
            f"Response cache at {_size_label(size)}: counters over the run, freshness, memory",
            [
                "hit rate",
                "hits",
                "304s",
                "misses",
                "entries",
                "MB kept",
                "evicted",
                "write then read",
                "ours PSS MB",
            ],
        )
        state.rows.append(
            [
                f"{counters.get('hit_rate', 0):.2f}",
                f"{counters.get('hits', 0):,}",
                f"{counters.get('not_modified', 0):,}",
                f"{counters.get('misses', 0):,}",
                f"{counters.get('entries', 0):,}",
                f"{counters.get('bytes', 0) / 2**20:.1f}",
                f"{counters.get('evicted', 0):,}",
                (
                    f"{fresh.get('before')} -> {fresh.get('repeated')} -> write "
                    f"{fresh.get('write_status')} -> {fresh.get('after')} "
                    f"({fresh.get('after_cache')}): {'fresh' if fresh.get('fresh') else 'STALE'}"
                )
                if fresh
                else "–",
                f"{memory.get('proportional', 0) / 2**20:,.0f}" if memory else "–",
            ]
        )
        tables.append(state)
    return tables


def other_tables(results: dict[str, Any]) -> list[Table]:
    """Pages, contributions, loads, memory, validation and CSV import."""
    pages = Table(
        "Pages (commons-graph, HTML)",
        ["size", "page", "req/s", "p50 ms", "p99 ms", "one client: p50 ms", "p99 ms"],
    )
    contrib = Table(
        "Contributions (p50 / p99 ms)",
        ["size", "HTTP end to end", "parse", "authorise", "validate", "hash", "commit", "total"],
    )
    loads = Table("Bulk load (empty on-disk store)", ["size", "method", "seconds", "triples/s"])
    memory = Table(
        "Resident memory after the query mix: peak (VmHWM), and shared pages counted once (PSS)",
        [
            "size",
            "server",
            "process peak MB",
            "with children, peaks summed MB",
            "with children, PSS MB",
            "PSS MB per million triples",
        ],
    )
    validation = Table(
        "Whole-graph validation", ["size", "engine", "seconds", "violations", "same as pyshacl"]
    )
    network = Table(
        "Network view (one client; model built in a child process, measured by tracemalloc)",
        [
            "size",
            "/network/data depth 2 p50 / p99 ms",
            "/paths p50 / p99 ms",
            "first request s",
            "model build s",
            "model MB (per million statements)",
            "peak while building MB",
        ],
    )
    for size, data in results["sizes"].items():
        label = _size_label(size)
        triples = data["store"]["quads"]
        for row in data.get("pages", []):
            pages.rows.append(
                [
                    label,
                    row["page"],
                    f"{row['throughput']:,.0f}",
                    f"{row['p50_ms']:.1f}",
                    f"{row['p99_ms']:.1f}",
                    *(
                        f"{row['single_client'][key]:.1f}" if "single_client" in row else "–"
                        for key in ("p50_ms", "p99_ms")
                    ),
                ]
            )
        if "contributions_http" in data:
            http = data["contributions_http"]
            phases = data.get("contribution_phases", {})
            contrib.rows.append(
                [label, f"{http['p50_ms']} / {http['p99_ms']}"]
                + [
                    f"{phases[p]['p50_ms']} / {phases[p]['p99_ms']}" if p in phases else "–"
                    for p in ("parse", "authorise", "validate", "hash", "commit", "total")
                ]
            )
        for row in data.get("loads", []):
            seconds = row.get("seconds")
            shown = f"{seconds}" if seconds is not None else f"> {row.get('stopped_after')}"
            rate = f"{row['triples_per_s']:,}" if "triples_per_s" in row else row.get("error", "–")
            loads.rows.append([label, row["method"], shown, str(rate)[:60]])
        for name, reading in data.get("memory", {}).items():
            pss = reading.get("proportional", 0)
            memory.rows.append(
                [
                    label,
                    name,
                    f"{reading['process'] / 2**20:,.0f}",
                    f"{reading['with_children'] / 2**20:,.0f}",
                    f"{pss / 2**20:,.0f}",
                    f"{pss / 2**20 / (triples / 1e6):,.0f}",
                ]
            )
        checked = data.get("validation", {})
        agreement = checked.get("agreement", {})
        for engine in ("sparql", "pyshacl"):
            if engine not in checked:
                continue
            run = checked[engine]
            seconds = run.get("seconds")
            shown = f"{seconds}" if seconds is not None else f"> {run.get('stopped_after')}"
            same = "–"
            if agreement.get("checked"):
                same = "yes" if agreement["equal"] else "NO"
            validation.rows.append(
                [
                    label,
                    engine,
                    shown,
                    str(run.get("violation_count", "–")),
                    same if engine == "sparql" else "reference",
                ]
            )
    lists = Table(
        "Lists: organisations page with two facets (value and theme), CSV export of all",
        [
            "size",
            "organisations",
            "two facets, one client: p50 ms",
            "p99 ms",
            "4 connections: p50 ms",
            "req/s",
            "first request of a combination, slowest s",
            "CSV rows",
            "CSV rows/s",
            "first byte s",
        ],
    )
    for size, data in results["sizes"].items():
        found = data.get("lists")
        if not found:
            continue
        facets, export = found["two_facets"], found["csv_export"]
        lists.rows.append(
            [
                _size_label(size),
                f"{found['organisations']:,}",
                f"{facets['single_client']['p50_ms']:.1f}",
                f"{facets['single_client']['p99_ms']:.1f}",
                f"{facets['loaded']['p50_ms']:.1f}",
                f"{facets['loaded']['throughput']:,.0f}",
                f"{facets['cold_max_seconds']:.2f}",
                f"{export['rows']:,}",
                f"{export['rows_per_second']:,}",
                f"{export['first_byte_seconds']:.2f}",
            ]
        )
    for size, data in results["sizes"].items():
        found = data.get("network", {})
        if not found:
            continue
        near = found.get("neighbourhood_depth_2", {})
        paths = found.get("paths", {})
        built = found.get("memory", {})
        network.rows.append(
            [
                _size_label(size),
                f"{near.get('p50_ms', '–')} / {near.get('p99_ms', '–')}",
                f"{paths.get('p50_ms', '–')} / {paths.get('p99_ms', '–')}",
                str(found.get("first_request_seconds", "–")),
                str(built.get("build_seconds", "–")),
                f"{built.get('model_mb', '–')} ({built.get('model_mb_per_million', '–')})",
                str(built.get("peak_mb", "–")),
            ]
        )
    tables = [pages, lists, contrib, loads, memory, validation, network]
    if "csv_import" in results:
        csv = results["csv_import"]
        table = Table(
            "CSV import (commons-graph import standard-csv; median of the runs)",
            ["file", "rows", "seconds", "rows/s", "runs (s)"],
        )
        table.rows.append(
            [
                csv["file"],
                f"{csv['rows']:,}",
                str(csv.get("seconds")),
                f"{csv.get('rows_per_s', '–')}",
                ", ".join(str(t) for t in csv.get("runs_seconds", [])) or "–",
            ]
        )
        tables.append(table)
    return tables


def _largest(results: dict[str, Any], key: str) -> tuple[str, dict[str, Any]] | None:
    found = [(s, d) for s, d in results["sizes"].items() if d.get(key)]
    return max(found, key=lambda x: int(x[0])) if found else None


def targets(results: dict[str, Any]) -> Table:
    """Each target (issues 8 and 23) with the measured figure and met/missed."""
    table = Table("Targets", ["target", "measured", "status"])

    def add(name: str, measured: str, ok: bool | None, *, retired: bool = False) -> None:
        status = "not measured" if ok is None else ("met" if ok else "MISSED")
        # Issue 23 retired some targets: their figures are still shown, never judged.
        table.rows.append([name, measured, "retired (shown)" if retired else status])

    with_heavy = [
        (s, d) for s, d in results["sizes"].items() if any(r["heavy"] for r in d.get("queries", []))
    ]
    if with_heavy:
        size, data = max(with_heavy, key=lambda x: int(x[0]))
        rows = data["queries"]
        tp = {(r["kind"], r["peer"]): r["throughput"] for r in rows}
        heavy = [k for k in dict.fromkeys(r["kind"] for r in rows if r["heavy"])]
        light = [k for k in dict.fromkeys(r["kind"] for r in rows if not r["heavy"])]
        ratios = {k: _ratio(tp.get((k, OURS)), tp.get((k, OXIGRAPH))) for k in heavy}
        worst = min((v for v in ratios.values() if v), default=None)
        add(
            f"heavy queries >= 0.9x oxigraph serve ({_size_label(size)})",
            ", ".join(f"{k} {_fmt_ratio(v)}" for k, v in ratios.items()),
            None if worst is None else worst >= 0.9,
        )
        light_ratios = {k: _ratio(tp.get((k, OURS)), tp.get((k, OXIGRAPH))) for k in light}
        lowest = min((v for v in light_ratios.values() if v), default=None)
        add(
            f"unique light queries >= 0.5x oxigraph serve ({_size_label(size)}; cache cold)",
            ", ".join(f"{k} {_fmt_ratio(v)}" for k, v in light_ratios.items()),
            None if lowest is None else lowest >= 0.5,
        )
        one_m_rows = results["sizes"].get("1000000", {}).get("queries", [])
        rates = {
            r["kind"]: r["throughput"] for r in one_m_rows if r["peer"] == OURS and not r["heavy"]
        }
        add(
            "unique light queries >= 3,000 req/s at 1M (cache cold)",
            ", ".join(f"{k} {v:,.0f}/s" for k, v in rates.items()) or "–",
            None if not rates else min(rates.values()) >= 3000,
        )
    with_cache = [(s, d) for s, d in results["sizes"].items() if d.get("cache")]
    if with_cache:
        size, data = max(with_cache, key=lambda x: int(x[0]))
        tp = {(r["kind"], r["row"], r["peer"]): r["throughput"] for r in data["cache"]}
        for prefix, name, goal in (
            ("repeated", "repeated identical light queries", 1.5),
            ("conditional", "304 revalidations", 2.0),
        ):
            ratios = {
                kind: _ratio(tp.get((kind, row, OURS)), tp.get((kind, row, OXIGRAPH)))
                for kind, row, _ in tp
                if row.startswith(prefix)
            }
            worst = min((v for v in ratios.values() if v), default=None)
            add(
                f"{name} >= {goal}x oxigraph serve ({_size_label(size)})",
                ", ".join(f"{k} {_fmt_ratio(v)}" for k, v in ratios.items()),
                None if worst is None else worst >= goal,
            )
        fresh = data.get("cache_freshness")
        add(
            f"a write is seen by the next read ({_size_label(size)})",
            "fresh" if fresh and fresh.get("fresh") else "–" if not fresh else "STALE",
            None if not fresh else bool(fresh.get("fresh")),
        )
    with_rdflib = [
        (s, d)
        for s, d in results["sizes"].items()
        if any(r["peer"] == RDFLIB for r in d.get("queries", []))
    ]
    if with_rdflib:
        size, data = with_rdflib[0]
        tp = {(r["kind"], r["peer"]): r["throughput"] for r in data["queries"]}
        kinds = list(dict.fromkeys(r["kind"] for r in data["queries"]))
        ratios = [
            _ratio(tp.get((k, OURS)), tp.get((k, RDFLIB))) or math.inf if tp.get((k, OURS)) else 0.0
            for k in kinds
        ]
        finite = [r for r in ratios if math.isfinite(r) and r > 0]
        geo = math.exp(sum(map(math.log, finite)) / len(finite)) if finite else None
        add(
            f">= 30x rdflib-endpoint ({_size_label(size)}; geometric mean, lowest)",
            f"{_fmt_ratio(geo)}, lowest {_fmt_ratio(min(ratios) if ratios else None)}"
            + (
                " (rdflib answered none of some kinds: inf)" if any(map(math.isinf, ratios)) else ""
            ),
            None if geo is None else min(ratios) >= 30,
            retired=True,
        )
    one_m = results["sizes"].get("1000000", {})
    page = next((p for p in one_m.get("pages", []) if p["page"] == "resource page"), None)
    # Latency is what one client waits for its page; with several connections on 2 cores the
    # p50 also counts waiting for the others' pages (shown too, it is throughput).
    alone = page.get("single_client") if page else None
    if page and not page.get("requests"):
        # No page was answered within the run: nothing to judge (not a 0 ms p50).
        alone = None
    add(
        "resource page p50 <= 5 ms warm at 1M (one client)",
        f"{alone['p50_ms']:.1f} ms (with {page.get('connections', '?')} connections: "
        f"{page['p50_ms']:.1f} ms)"
        if alone and page
        else "no page answered within the run"
        if page
        else "–",
        None if alone is None else alone["p50_ms"] <= 5,
    )
    found_lists = one_m.get("lists")
    facets = found_lists["two_facets"]["single_client"] if found_lists else None
    add(
        "list page with two facets p50 <= 50 ms at 1M (one client)",
        f"{facets['p50_ms']:.1f} ms" if facets else "–",
        None if facets is None else facets["p50_ms"] <= 50,
    )
    export = found_lists["csv_export"] if found_lists else None
    add(
        "CSV export of all organisations >= 20,000 rows/s at 1M",
        f"{export['rows_per_second']:,} rows/s ({export['rows']:,} rows)" if export else "–",
        None if export is None else export["rows_per_second"] >= 20_000,
    )
    p50s = {
        s: d["contributions_http"]["p50_ms"]
        for s, d in results["sizes"].items()
        if "contributions_http" in d
    }
    add(
        "contribution p50 <= 20 ms at any size (HTTP)",
        ", ".join(f"{_size_label(s)}: {v} ms" for s, v in p50s.items()) or "–",
        None if not p50s else max(p50s.values()) <= 20,
    )
    load_rates = {
        s: next(
            (
                r.get("triples_per_s")
                for r in d.get("loads", [])
                if r["method"] == "commons-graph load (N-Triples)"
            ),
            None,
        )
        for s, d in results["sizes"].items()
    }
    largest_load = max((s for s, v in load_rates.items() if v), key=int, default=None)
    add(
        "load >= 300k triples/s (commons-graph load, largest size)",
        ", ".join(f"{_size_label(s)}: {v:,}/s" for s, v in load_rates.items() if v) or "–",
        None if largest_load is None else load_rates[largest_load] >= 300_000,
        retired=True,
    )
    versus = {
        s: _ratio(
            next((r.get("triples_per_s") for r in d.get("loads", []) if r["method"] == ours), None),
            next(
                (r.get("triples_per_s") for r in d.get("loads", []) if r["method"] == theirs), None
            ),
        )
        for s, d in results["sizes"].items()
        for ours, theirs in [("commons-graph load (N-Quads)", "oxigraph load (N-Quads)")]
    }
    judged = {s: v for s, v in versus.items() if v}
    add(
        "load >= 1.0x oxigraph load at every size (N-Quads)",
        ", ".join(f"{_size_label(s)}: {_fmt_ratio(v)}" for s, v in judged.items()) or "–",
        None if not judged else min(judged.values()) >= 1.0,
    )
    memory_rows = [
        (s, d["memory"][OURS], d["store"]["quads"])
        for s, d in results["sizes"].items()
        if OURS in d.get("memory", {})
    ]
    memory_rows = [m for m in memory_rows if m[2] >= 900_000] or memory_rows[-1:]
    # Judged on PSS (shared pages once); the summed peaks, an upper bound, are shown with it.
    per_million = {s: m.get("proportional", 0) / 2**20 / (q / 1e6) for s, m, q in memory_rows}
    peaks = {s: m["with_children"] / 2**20 / (q / 1e6) for s, m, q in memory_rows}
    add(
        "<= 500 MB resident per million triples (ours with query workers, PSS)",
        ", ".join(
            f"{_size_label(s)}: {v:,.0f} MB (peaks summed: {peaks[s]:,.0f} MB)"
            for s, v in per_million.items()
        )
        or "–",
        None if not per_million else max(per_million.values()) <= 500,
    )
    network = one_m.get("network", {})
    near = network.get("neighbourhood_depth_2", {}).get("p50_ms")
    add(
        "network data of an organisation at depth 2 p50 <= 50 ms at 1M",
        f"{near} ms" if near is not None else "–",
        None if near is None else near <= 50,
    )
    paths = network.get("paths", {}).get("p50_ms")
    add(
        "/paths between two organisations p50 <= 100 ms at 1M",
        f"{paths} ms" if paths is not None else "–",
        None if paths is None else paths <= 100,
    )
    check = one_m.get("validation", {})
    fast = check.get("sparql", {}).get("seconds")
    pyshacl = check.get("pyshacl", {})
    reference = pyshacl.get("seconds")
    agreed = [
        _size_label(s)
        for s, d in results["sizes"].items()
        if d.get("validation", {}).get("agreement", {}).get("equal")
    ]
    compared = any("agreement" in d.get("validation", {}) for d in results["sizes"].values())
    if pyshacl:
        shown = f"{reference} s" if reference is not None else f"> {pyshacl.get('stopped_after')} s"
    else:
        shown = "not run"
    # The compiled engine's time counts when it found pyshacl's violations at some size, or
    # when pyshacl was not run at all (the quick mode): the W3C SHACL core suite is its proof.
    trusted = fast if agreed or not compared else None
    candidates = [x for x in (trusted, reference) if x is not None]
    add(
        "whole-graph validation of 1M <= 30 s",
        f"commons-graph validate (compiled SPARQL) {fast} s (same violations as pyshacl at "
        f"{', '.join(agreed) or 'no size'}); pyshacl alone {shown}",
        None if not candidates and fast is None else bool(candidates) and min(candidates) <= 30,
    )
    return table


def all_tables(results: dict[str, Any]) -> list[Table]:
    """Every table of the report, targets first."""
    return [
        targets(results),
        *query_tables(results),
        *cache_tables(results),
        *other_tables(results),
    ]


def to_markdown(results: dict[str, Any]) -> str:
    """The report as Markdown (pasted into docs/benchmarks.md)."""
    m, v = results["machine"], results["versions"]
    lines = [
        f"Run: {results['mode']}, {results.get('minutes')} min; machine: {m['cores']} cores, "
        f"{m['memory_gb']} GB, {m['cpu_model']}, Linux {m['kernel']}, Python {m['python']}; "
        f"load average before {m['load_average']}, after {results.get('load_average_after')}.",
        "",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "",
    ]
    for table in all_tables(results):
        lines += [f"**{table.title}**", ""]
        lines.append("| " + " | ".join(table.columns) + " |")
        lines.append("|" + "---|" * len(table.columns))
        lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in table.rows]
        lines.append("")
    return "\n".join(lines)


def write_report(results: dict[str, Any], folder: Path, console: Console) -> Path:
    """Print the tables and write `<stamp>.json` and `<stamp>.md` (and latest.*) in `folder`."""
    for table in all_tables(results):
        rich = RichTable(*table.columns, title=table.title, title_justify="left")
        for row in table.rows:
            rich.add_row(*row)
        console.print(rich)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + "-" + results["mode"]
    text = json.dumps(results, indent=2, default=str)
    markdown = to_markdown(results)
    for name in (stamp, "latest"):
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        (folder / f"{name}.md").write_text(markdown, encoding="utf-8")
    console.print(f"Results: {folder / (stamp + '.json')} and .md")
    return folder / f"{stamp}.json"
