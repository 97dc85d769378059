"""Help is documentation: every command has help text with an example, every option has help."""

from __future__ import annotations

import click

from importexport_cli.cli import root


def leaves(group, path=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            assert command.help, f"{' '.join(path + (name,))} has no help"
            yield from leaves(command, path + (name,))
        else:
            yield path + (name,), command


def test_every_command_has_help_with_an_example_and_every_option_has_help():
    found = list(leaves(root))
    assert len(found) == 14  # 6 operations, wait, and 7 in families
    for path, command in found:
        assert command.help and "Example" in command.help, f"{' '.join(path)} lacks an example"
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_root_options_have_help():
    for param in root.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            assert param.help, param.opts


def test_global_options_are_hoisted_from_after_the_command():
    from importexport_cli.cli import hoist_global_options

    assert hoist_global_options(["get-status", "X", "--output", "text", "--debug", "--query=JobId"]) == [
        "--output", "text", "--debug", "--query=JobId", "get-status", "X"]
    assert hoist_global_options(["--region", "eu-west-1", "manifest", "validate", "f", "--profile", "p"]) == [
        "--region", "eu-west-1", "--profile", "p", "manifest", "validate", "f"]
    assert hoist_global_options(["get-status", "--", "--debug"]) == ["get-status", "--", "--debug"]
    assert hoist_global_options(["create-job", "--manifest", "m", "--force"]) == ["create-job", "--manifest", "m", "--force"]
