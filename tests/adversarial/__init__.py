"""Tests: adversarial."""
