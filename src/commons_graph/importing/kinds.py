"""The kinds of organisation an import may say every row is, by the name the CLI accepts."""

from __future__ import annotations

# Name -> local name of the ontology's class (cg:...); `terms.KINDS` holds the IRIs. Here
# without RDF libraries, so that the command's options are known without importing them.
KIND_CLASSES: dict[str, str] = {
    "collective": "Collective",
    "cooperative": "Cooperative",
    "association": "Association",
    "network": "Network",
    "company": "Company",
    "public-body": "PublicBody",
}
