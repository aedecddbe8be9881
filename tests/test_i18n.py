"""One message model: every error is a key with values, each key exists in every language, and
an error raised deep in the code reaches the caller in the caller's language."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import commons_graph
from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.errors import BadInputError, CommonsGraphError
from commons_graph.i18n import LANGUAGES, MESSAGES, negotiate_language, translate
from commons_graph.rdf.conneg import parse_weighted
from tests.helpers.inprocess import in_process

SRC = Path(commons_graph.__file__).parent
# Errors whose key is their second argument (the first is the HTTP status).
STATUS_FIRST = {"HttpError", "ProtocolError", "_refusal"}
# Functions that translate their first argument, a key.
TRANSLATORS = {"translate", "say"}
# Errors that build their key themselves from other arguments.
KEY_INSIDE = {"ForbiddenClauseError", "NotAcceptableError", "CanonicalisationTooHard"}


def _import_everything() -> None:
    """Import every module, so that every feature has registered its catalogue."""
    for module in pkgutil.walk_packages([str(SRC)], "commons_graph."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def _error_classes() -> set[str]:
    found: set[str] = set()
    todo: list[type] = [CommonsGraphError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _keys_used() -> list[tuple[str, int, str]]:
    """(file, line, key) for every literal key given to an error or to a translating function."""
    _import_everything()
    errors = (_error_classes() | STATUS_FIRST) - KEY_INSIDE
    used: list[tuple[str, int, str]] = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = 1 if name in STATUS_FIRST else 0
            if name not in errors and name not in TRANSLATORS:
                continue
            if len(node.args) <= position:
                continue
            arg = node.args[position]
            where = (str(path.relative_to(SRC)), node.lineno)
            if isinstance(arg, ast.JoinedStr) and name not in TRANSLATORS:
                used.append((*where, "<an f-string, not a key>"))
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                used.append((*where, arg.value))
    return used


def test_every_key_used_in_the_code_exists_in_every_language() -> None:
    used = _keys_used()
    assert len(used) > 150  # the scan finds the raisers
    missing = [(f, line, key) for f, line, key in used if key not in MESSAGES]
    assert not missing
    incomplete = [key for key, texts in MESSAGES.items() if set(texts) != set(LANGUAGES)]
    assert not incomplete


def test_the_foundation_imports_no_feature() -> None:
    """i18n and errors import only each other and the RDF foundations' conneg."""
    allowed = re.compile(r"commons_graph\.(i18n|errors|rdf\.conneg)\b")
    for path in [*sorted((SRC / "i18n").glob("*.py")), SRC / "errors.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("commons_graph"):
                assert allowed.match(node.module or ""), (path.name, node.module)


def test_an_error_renders_in_each_language() -> None:
    error = BadInputError("view.error.filter_not_iri", facet="theme", iri="x y")
    assert str(error) == "the theme filter is not an IRI: 'x y'"
    assert error.message("fr") == "le filtre theme n'est pas une IRI : 'x y'"
    assert error.status == 400


def test_one_q_value_parser_serves_media_types_and_languages() -> None:
    entries = parse_weighted("fr-CH, fr;q=0.9, en;Q=0.8, *;q=0.5, de;q=oops")
    assert [(e.value, e.q) for e in entries] == [
        ("fr-ch", 1.0),
        ("fr", 0.9),
        ("en", 0.8),
        ("*", 0.5),
        ("de", 0.0),
    ]
    assert negotiate_language("de, en;q=0.5, fr;q=0.7") == "fr"
    assert negotiate_language("de", default="fr") == "fr"
    assert negotiate_language("fr;q=0.5, en;q=0.5") == "fr"  # ties go to the earlier


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_error_once_english_only_reaches_the_caller_in_their_language(
    embedded_settings: Settings, lang: str
) -> None:
    """A BadInputError from the page queries (views/listing.py), over HTTP in this process."""
    expected = translate("view.error.filter_not_iri", lang, facet="theme", iri="not an iri")
    with in_process(embedded_settings) as app:
        as_json = app.get(
            "/organisations",
            params={"theme": "not an iri"},
            headers={"Accept": "application/json", "Accept-Language": f"{lang};q=1, de;q=0.5"},
        )
        as_page = app.get(
            "/organisations",
            params={"theme": "not an iri", "lang": lang},
            headers={"Accept": "text/html"},
        )
    assert as_json.status_code == 400
    assert as_json.json() == {
        "ok": False,
        "status": 400,
        "errors": [{"focus": None, "path": None, "value": None, "message": expected}],
    }
    assert as_page.status_code == 400
    assert "text/html" in as_page.headers["content-type"]
    assert expected.replace("'", "&#39;") in as_page.text
    if lang == "fr":
        assert "le filtre theme n'est pas une IRI" in expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ({"LANG": "C.UTF-8"}, "cannot tell the RDF format from the extension '.xyz'"),
        ({"LANG": "fr_FR.UTF-8"}, "impossible de déduire le format RDF de l'extension « .xyz »"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "impossible de déduire le format"),
    ],
)
def test_the_command_line_prints_one_line_in_the_locale_language(
    tmp_path: Path, locale: dict[str, str], expected: str
) -> None:
    unknown = tmp_path / "data.xyz"
    unknown.write_text("x")
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", **locale}
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "store"), "validate", str(unknown)], env=env
    )
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and expected in line
