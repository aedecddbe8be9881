"""The command starts without the parts it does not use: each command imports its own."""

from __future__ import annotations

import subprocess
import sys

import click

from commons_graph.cli import main
from commons_graph.cli.main import SUBCOMMANDS

# Heavy libraries that no command's `--help` needs: the settings, RDF graphs, the web service.
HEAVY = ("pydantic", "pydantic_settings", "rdflib", "pyshacl", "fastapi", "uvicorn", "httpx")


def test_every_lazy_subcommand_is_a_command_of_its_name() -> None:
    ctx = click.Context(main)
    assert set(SUBCOMMANDS) <= set(main.list_commands(ctx))
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command)
        assert command.name == name


def test_the_help_of_every_command_imports_no_heavy_library() -> None:
    probe = (
        "import sys, click\n"
        "from commons_graph.cli import main\n"
        "ctx = click.Context(main)\n"
        "for name in main.list_commands(ctx):\n"
        "    command = main.get_command(ctx, name)\n"
        "    command.get_help(click.Context(command, info_name=name, parent=ctx))\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in sys.argv[1:])))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *HEAVY], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
