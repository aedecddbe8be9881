"""SPARQL: protocol handling, safety checks, time limits, result formats."""
