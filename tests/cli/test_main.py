"""The `commons-graph` command, run as a user runs it: the installed script, in new processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.helpers.prepared import initialised_copy

SCRIPT = str(Path(sys.executable).with_name("commons-graph"))
OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"


def run(store: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the command on `store` in a new process."""
    result = subprocess.run(
        [SCRIPT, "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "NO_COLOR": "1"},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store initialised by `init` in another process (once per session, then copied)."""
    return initialised_copy(tmp_path_factory, tmp_path_factory.mktemp("cli") / "store")


def empty_store(store: Path) -> Path:
    """An empty store at `store` (the commands other than `init` need one to exist)."""
    from commons_graph.store.embedded import EmbeddedStore

    EmbeddedStore(store).close()
    return store


def export(store: Path, fmt: str = "nq") -> set[str]:
    """The store's export as a set of lines."""
    return set(run(store, "export", "--format", fmt, check=True).stdout.splitlines())


def test_init_persists_and_is_idempotent(initialised: Path) -> None:
    """Data written by one process is read by the next; a second init changes nothing."""
    before = export(initialised)
    assert any(OUISHARE in line for line in before)
    run(initialised, "init", check=True)
    assert export(initialised) == before


def test_query_formats(initialised: Path) -> None:
    """SELECT results come as a table or in the SPARQL formats; CONSTRUCT as RDF."""
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    query = f"SELECT ?label WHERE {{ <{OUISHARE}> {label} ?label }}"
    table = run(initialised, "query", query, check=True).stdout
    assert "Ouishare" in table
    as_json = json.loads(run(initialised, "query", query, "--format", "json", check=True).stdout)
    assert {b["label"]["value"] for b in as_json["results"]["bindings"]} >= {"Ouishare"}
    csv_lines = run(initialised, "query", query, "--format", "csv", check=True).stdout.splitlines()
    assert csv_lines[0] == "label"
    construct = f"CONSTRUCT {{ <{OUISHARE}> ?p ?o }} WHERE {{ <{OUISHARE}> ?p ?o }}"
    turtle = run(initialised, "query", construct, "--format", "turtle", check=True).stdout
    triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    assert triples and all(t.subject == ox.NamedNode(OUISHARE) for t in triples)


def test_query_from_file_and_ask(initialised: Path, tmp_path: Path) -> None:
    """A .rq file is read as the query; ASK prints yes or no."""
    path = tmp_path / "ask.rq"
    path.write_text(f"ASK {{ <{OUISHARE}> ?p ?o }}", encoding="utf-8")
    assert run(initialised, "query", str(path), check=True).stdout.strip() == "yes"


def test_malformed_query_is_one_line_exit_2(initialised: Path) -> None:
    """A query that does not parse gets one error line and exit code 2, no traceback."""
    result = run(initialised, "query", "SELECT WHERE {")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error:")


def test_export_keeps_named_graphs(initialised: Path) -> None:
    """N-Quads and TriG exports keep the graph of every statement."""
    lines = export(initialised, "nq")
    quads = list(ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert "https://w3id.org/commons-graph/graph/ontology" in graphs
    assert any(g.startswith("https://w3id.org/commons-graph/graph/seed/") for g in graphs)
    trig = run(initialised, "export", "--format", "trig", check=True).stdout
    assert len(list(ox.parse(trig.encode(), format=ox.RdfFormat.TRIG))) == len(quads)


def test_export_to_file(initialised: Path, tmp_path: Path) -> None:
    """-o writes the export to a file."""
    target = tmp_path / "all.ttl"
    run(initialised, "export", "--format", "ttl", "-o", str(target), check=True)
    assert list(ox.parse(path=str(target), format=ox.RdfFormat.TURTLE))


def test_stats(initialised: Path) -> None:
    """Stats count triples, graphs and entities per class."""
    out = run(initialised, "stats", check=True).stdout
    assert "Triples:" in out and "Named graphs:" in out
    assert "org:Organization" in out


def test_load_into_own_graph_and_replace(tmp_path: Path) -> None:
    """Each file goes to its own graph; loading it again replaces it."""
    store = empty_store(tmp_path / "store")
    data = tmp_path / "extra.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    run(store, "load", str(data), check=True)
    run(store, "load", str(data), check=True)
    lines = export(store)
    assert lines == {
        '<http://example.org/a> <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer>'
        " <https://w3id.org/commons-graph/graph/file/extra.ttl> ."
    }


def test_load_with_broken_last_line_changes_nothing(tmp_path: Path) -> None:
    """A syntax error on the last line: exit 2, the file and line named, the store unchanged."""
    store = empty_store(tmp_path / "store")
    good = tmp_path / "good.nt"
    good.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    run(store, "load", str(good), check=True)
    before = export(store)
    broken = tmp_path / "broken.ttl"
    lines = [f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(20)]
    broken.write_text("\n".join([*lines, "<http://example.org/s> <http://example.org/p> ."]))
    result = run(store, "load", str(good), str(broken))
    assert result.returncode == 2
    assert "broken.ttl" in result.stderr and "21" in result.stderr
    assert "Traceback" not in result.stderr
    assert export(store) == before


def test_load_unknown_extension_writes_nothing(tmp_path: Path) -> None:
    """A file whose format cannot be told is refused before anything is loaded."""
    store = empty_store(tmp_path / "store")
    good = tmp_path / "good.nt"
    good.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    result = run(store, "load", str(good), str(odd))
    assert result.returncode == 2 and "notes.txt" in result.stderr
    assert export(store) == set()


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    """A file that does not exist is named, without a traceback."""
    result = run(empty_store(tmp_path / "store"), "load", str(tmp_path / "nope.ttl"))
    assert result.returncode != 0
    assert "nope.ttl" in result.stderr and "Traceback" not in result.stderr


def test_store_in_use_is_reported(tmp_path: Path) -> None:
    """A second process on a store that is open gets a clear message."""
    from commons_graph.store.embedded import EmbeddedStore

    store_path = tmp_path / "store"
    holder = EmbeddedStore(store_path)
    try:
        result = run(store_path, "stats")
    finally:
        holder.close()
    assert result.returncode != 0
    assert "in use by another process" in result.stderr


def test_env_selects_store(tmp_path: Path) -> None:
    """COMMONS_GRAPH_STORE selects the store when --store is not given."""
    store = empty_store(tmp_path / "from-env")
    result = subprocess.run(
        [SCRIPT, "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "COMMONS_GRAPH_STORE": str(store)},
    )
    assert result.returncode == 0, result.stderr
    assert str(store) in result.stdout
