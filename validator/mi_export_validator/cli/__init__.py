"""The ``mi-export`` command line: a thin layer that parses options, runs, returns an int.

Sub-commands are imported lazily from :data:`COMMANDS`, so ``mi-export --help`` and a
small validation start fast.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from mi_export import __version__

INTERNAL_ERROR = 4

#: command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "validate": "mi_export_validator.cli.validate_cmd:validate",
    "inspect": "mi_export_validator.cli.inspect_cmd:inspect",
    "schema": "mi_export_validator.cli.schema_cmd:schema",
    "pack": "mi_export_validator.cli.pack_cmd:pack",
    "keygen": "mi_export_validator.cli.keygen_cmd:keygen",
}


#: command name -> one-line help for ``mi-export --help`` (no import needed to show it;
#: a test checks each is the command's own short help)
SUMMARIES: dict[str, str] = {
    "validate": "Validate Xiaomi Cloud export ARCHIVES (ZIP, .json file or extracted directory).",
    "inspect": "Describe ARCHIVE: protection, files, manifest, signature, tables, counts, times.",
    "schema": "List, print and export the JSON Schemas (draft 2020-12) of format v1.",
    "pack": 'Build an archive from JSON files ({"table": [records]}), JSON Lines files (one '
    "record a line) or directories of them.",
    "keygen": "Make an Ed25519 key pair to sign archive manifests.",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # the summaries, without importing every command (and pydantic, pyzipper...)
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mi-export")
def cli() -> None:
    """Validate, inspect and produce Xiaomi Cloud data-portability archives."""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        result = cli.main(args=argv, prog_name="mi-export", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:
        click.echo(
            f"mi-export: internal error ({type(exc).__name__}); please report it with "
            "the command you ran. Set MI_EXPORT_DEBUG=1 to see details.",
            err=True,
        )
        if os.environ.get("MI_EXPORT_DEBUG"):
            raise
        return INTERNAL_ERROR
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
