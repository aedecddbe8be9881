"""Benchmarks of commons-graph against its peers: run `scripts/bench` (see docs/benchmarks.md)."""
