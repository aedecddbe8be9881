"""What every command shares: the settings from env and flags, the store, error reporting."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.text import Text

from commons_graph.config import Settings
from commons_graph.errors import BadInputError, CommonsGraphError
from commons_graph.store import Store, open_store

F = TypeVar("F", bound=Callable[..., Any])

# Exit codes: 1 is reserved for "the data does not conform" (validate, verify).
EXIT_BAD_INPUT = 2
EXIT_FAILURE = 3

err_console = Console(stderr=True, highlight=False)


@dataclass
class CliContext:
    """The settings every command runs with."""

    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        """Settings from the environment, with the command-line flags on top."""
        given = {k: v for k, v in self.overrides.items() if v is not None}
        return Settings(**given)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """Open the selected store for the duration of a command."""
        store = open_store(self.settings)
        try:
            yield store
        finally:
            store.close()


pass_context = click.make_pass_decorator(CliContext)


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    """Print one clear line on stderr and exit with `code`."""
    err_console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
    sys.exit(code)


def reports_errors(command: F) -> F:
    """Turn the project's errors into one line and an exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BadInputError as error:
            fail(str(error), EXIT_BAD_INPUT)
        except CommonsGraphError as error:
            fail(str(error))
        except OSError as error:
            fail(f"{error.filename or ''} {error.strerror or error}".strip())

    return wrapper  # type: ignore[return-value]
