"""Tests of the network package: the model, neighbourhoods, paths and bridges."""
