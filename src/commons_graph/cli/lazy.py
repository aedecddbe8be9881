"""A click group whose subcommands are imported when they are run, not when the command starts.

The pattern of click's documentation ("Lazily Loading Subcommands"): each subcommand is named by
"module:attribute" and imported by `get_command`. `commons-graph query` then never imports the
web service, the importers or the contributions; `--help` imports the command modules only,
whose own imports of the heavy parts are made inside the commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click


class LazyGroup(click.Group):
    """A group whose `lazy_subcommands` ({name: "module:attribute"}) are imported on use."""

    def __init__(self, *args: Any, lazy_subcommands: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand's name, the lazy ones included, in click's (sorted) order."""
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The subcommand `cmd_name`, imported now if it is a lazy one."""
        if cmd_name in self.lazy_subcommands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, cmd_name: str) -> click.Command:
        module_name, attribute = self.lazy_subcommands[cmd_name].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}:{attribute} is not a click command")
        return command
