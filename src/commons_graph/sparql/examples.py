"""The gallery of example queries: `examples/queries/*.rq`, each titled in English and French.

A file starts with comment lines `# title: …` and `# titre : …` (and optionally
`# description: …` / `# description-fr: …`); the rest is the query, which keeps its comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from commons_graph.store.shipped import resource_dir

_HEADER = re.compile(r"^#\s*(title|titre|description|description-fr)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class ExampleQuery:
    """One example: its file stem, titles and descriptions by language, and the query."""

    name: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    query: str

    def title(self, lang: str) -> str:
        """The title in `lang` (English when missing)."""
        return self.titles.get(lang) or self.titles["en"]

    def description(self, lang: str) -> str:
        """The description in `lang` (English, then nothing, when missing)."""
        return self.descriptions.get(lang) or self.descriptions.get("en", "")


def read_example(path: Path) -> ExampleQuery:
    """Read one `.rq` file; its header must give a title in English and in French."""
    text = path.read_text(encoding="utf-8")
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    lines = text.splitlines()
    body_start = 0
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if not match:
            if line.strip():
                break  # other comments belong to the query and stay in it
            body_start = index + 1
            continue
        key, value = match.groups()
        if key == "title":
            titles["en"] = value
        elif key == "titre":
            titles["fr"] = value
        elif key == "description":
            descriptions["en"] = value
        else:
            descriptions["fr"] = value
        body_start = index + 1
    if "en" not in titles or "fr" not in titles:
        raise ValueError(f"{path.name}: the header needs '# title:' and '# titre :' lines")
    query = "\n".join(lines[body_start:]).strip() + "\n"
    return ExampleQuery(path.stem, titles, descriptions, query)


def example_queries() -> list[ExampleQuery]:
    """Every example query shipped with the project, in file-name order."""
    folder = resource_dir("examples") / "queries"
    return [read_example(path) for path in sorted(folder.glob("*.rq"))]
