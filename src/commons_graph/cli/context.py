"""What every command shares: the settings from env and flags, the store, error reporting."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from commons_graph.errors import BadInputError, CommonsGraphError
from commons_graph.i18n import LANGUAGES, translate

if TYPE_CHECKING:
    from rich.console import Console

    from commons_graph.config import Settings
    from commons_graph.store import Store

# The settings (pydantic), the store and what keeps its indexes are imported by the commands
# that open it, when they do: `--help` and the commands that fail early start without them.

F = TypeVar("F", bound=Callable[..., Any])

# Exit codes: 1 is reserved for "the data does not conform" (validate, verify).
EXIT_BAD_INPUT = 2
EXIT_FAILURE = 3


def err_console() -> Console:
    """A console on standard error, made when a command has something to say there."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def holds_store(path: Path) -> bool:
    """Whether folder `path` holds an embedded store (RocksDB's CURRENT file names its state)."""
    return (path / "CURRENT").is_file()


@dataclass
class CliContext:
    """The settings every command runs with."""

    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        """Settings from the environment, with the command-line flags on top; a bad value
        (COMMONS_GRAPH_PORT=abc) ends the command with one line."""
        from pydantic import ValidationError

        from commons_graph.config import Settings

        given = {k: v for k, v in self.overrides.items() if v is not None}
        try:
            return Settings(**given)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
            )
            fail(say("cli.error.invalid_setting", problems=problems), EXIT_BAD_INPUT)

    def require_store(self) -> Settings:
        """The settings, once sure their embedded store exists (else one line, exit 2): only
        `init` creates a store, so that a mistyped --store path is not a new empty store."""
        settings = self.settings
        if not settings.is_remote and not holds_store(settings.store_path):
            fail(
                say("cli.error.no_store", folder=str(settings.store_path)),
                EXIT_BAD_INPUT,
            )
        return settings

    @contextmanager
    def store(
        self, *, create: bool = False, derive_later: bool = False, derive_owed: bool = True
    ) -> Iterator[Store]:
        """Open the selected store for the duration of a command; only with `create` may an
        embedded store that does not exist yet be created. With `derive_later` (bulk loads),
        the command's writes do not derive the relations: the next command or server start
        that opens the store does, once (`relations/pending.py`), unless `derive_owed` is
        False (the command derives them itself)."""
        from commons_graph.relations.keeper import keep_relations
        from commons_graph.relations.pending import PendingDerivation
        from commons_graph.search.service import open_search_if_present
        from commons_graph.store import open_store

        settings = self.settings if create else self.require_store()
        store = open_store(settings)
        # Writes made by commands (load, import, init, ...) keep the search index in step.
        search = open_search_if_present(settings, store)
        owed = PendingDerivation.of(settings)
        if derive_later and owed is not None:
            owed.mark()
        else:
            # Every write a command makes (init, import, ...) derives the relations again.
            keeper = keep_relations(store, settings)
            if derive_owed and owed is not None and owed.is_marked():
                err_console().print(say("relations.deriving_owed"))
                keeper.check()
        try:
            yield store
        finally:
            if search is not None:
                search.close()
            store.close()


pass_context = click.make_pass_decorator(CliContext)


def cli_language() -> str:
    """The language of the command's messages: that of the locale (LC_ALL, LC_MESSAGES, LANG)
    when it is a known one, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def say(key: str, **values: object) -> str:
    """The message `key` in the command line's language."""
    return translate(key, cli_language(), **values)


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    """Print one clear line on stderr and exit with `code`."""
    from rich.text import Text

    err_console().print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
    sys.exit(code)


def reports_errors(command: F) -> F:
    """Turn the project's errors into one line and an exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BadInputError as error:
            fail(error.message(cli_language()), EXIT_BAD_INPUT)
        except CommonsGraphError as error:
            fail(error.message(cli_language()))
        except OSError as error:
            fail(f"{error.filename or ''} {error.strerror or error}".strip())

    return wrapper  # type: ignore[return-value]
