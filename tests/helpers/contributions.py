"""Constants and small helpers shared by the contribution, history and form tests."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contributions"
OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
C2C = "https://w3id.org/commons-graph/id/organisation/commons-to-commons"
GLOSSARY = "https://w3id.org/commons-graph/id/commons/collaborative-economy-glossary"
