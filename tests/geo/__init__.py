"""Tests of the geo package: located resources, GeoJSON, tile settings."""
