"""Test helpers, imported as `tests.helpers.<module>` (fixtures live in conftest.py)."""
