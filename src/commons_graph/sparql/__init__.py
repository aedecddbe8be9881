"""SPARQL: protocol handling, safety checks, time limits, result formats.

Nothing is imported here: the query workers import `sparql.worker` alone, and stay small
without the web, the settings and rdflib (a worker is a process per core).
"""
