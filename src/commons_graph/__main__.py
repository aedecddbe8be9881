"""`python -m commons_graph`: the same as the `commons-graph` command."""

from __future__ import annotations

from commons_graph.cli import main

if __name__ == "__main__":
    main(prog_name="commons-graph")
