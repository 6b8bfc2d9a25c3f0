"""The README documents every command, and every command's help ends with an example."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aggregator.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from command_paths(command, path)


COMMANDS = list(command_paths(cli))


def test_commands_are_found() -> None:
    assert {("search",), ("digest",), ("feeds", "import-opml")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    text = README.read_text(encoding="utf-8")
    assert f"aggregator {' '.join(path)}" in text, (
        f"'aggregator {' '.join(path)}' is not in README.md: document it (see 'Commands')"
    )


def find(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_help_ends_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    last_block = (find(path).help or "").strip().split("\n\n")[-1]
    assert "Example:" in last_block
    assert last_block.strip().splitlines()[-1].strip().startswith("aggregator ")
