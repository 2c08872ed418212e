"""The CLI reference, walked from the click commands of ``mi-export``."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import click

from docgen.common import code, header, table
from mi_export_validator.cli import INTERNAL_ERROR, cli

#: click >= 8.3 marks "no default" with a sentinel; older versions use None.
_UNSET = getattr(click.core, "UNSET", None)


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    """A context as click makes it when running ``command`` (help option names included)."""
    return click.Context(command, info_name=name, parent=parent, **command.context_settings)


Walked = tuple[str, click.Command, click.Context]


def _commands(group: click.Group, ctx: click.Context) -> Iterator[Walked]:
    """Every command with its path and its parent's context, sub-commands included
    (the lazily loaded ones too)."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        path = f"{ctx.command_path} {name}"
        yield path, command, ctx
        if isinstance(command, click.Group):
            yield from _commands(command, _context(command, name, ctx))


def _text(raw: str | None) -> str:
    """Click help text as Markdown: ``\\b`` blocks kept verbatim, the rest as paragraphs."""
    if not raw:
        return ""
    out: list[str] = []
    for block in inspect.cleandoc(raw).split("\n\n"):
        if block.startswith("\b"):
            out.append("```text\n" + block.removeprefix("\b").strip("\n") + "\n```")
        else:
            out.append(" ".join(line.strip() for line in block.splitlines()))
    return "\n\n".join(out) + "\n\n"


def _default(param: click.Parameter, ctx: click.Context) -> str:
    default = param.get_default(ctx, call=False)
    if isinstance(param, click.Option) and param.is_flag and not default:
        return ""
    if default is None or default is _UNSET or default == () or callable(default):
        return ""
    return code(default)


def _type(param: click.Parameter) -> str:
    if isinstance(param, click.Option) and param.is_flag:
        return "flag"
    if isinstance(param.type, click.Choice):
        return " \\| ".join(code(c) for c in param.type.choices)
    if isinstance(param, click.Option) and param.metavar:
        return code(param.metavar)
    if isinstance(param.type, click.IntRange):
        bounds = [f"≥ {param.type.min}" if param.type.min is not None else "",
                  f"≤ {param.type.max}" if param.type.max is not None else ""]
        return "integer " + ", ".join(b for b in bounds if b)
    return param.type.name


def _option_rows(command: click.Command, ctx: click.Context) -> list[tuple[str, str, str, str]]:
    rows = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option) or param.hidden:
            continue
        names = ", ".join(code(o) for o in [*param.opts, *param.secondary_opts])
        required = " **(required)**" if param.required else ""
        help_text = (param.help or "").replace("|", "\\|").replace("\n", " ") + required
        rows.append((names, _type(param), _default(param, ctx), help_text))
    return rows


def _arguments(command: click.Command) -> str:
    args = [p for p in command.params if isinstance(p, click.Argument)]
    if not args:
        return ""
    lines = []
    for arg in args:
        if arg.nargs == -1:
            count = " (one or more)" if arg.required else " (any number)"
        else:
            count = "" if arg.required else " (optional)"
        lines.append(f"- {code(arg.human_readable_name)}: {arg.type.name}{count}")
    return "Arguments:\n\n" + "\n".join(lines) + "\n\n"


def _section(path: str, command: click.Command, ctx: click.Context) -> str:
    level = "##" if path.count(" ") == 1 else "###"
    anchor = path.split(" ", 1)[1].replace(" ", "-")
    sub = _context(command, path.split(" ")[-1], ctx)
    usage = " ".join([path, *command.collect_usage_pieces(sub)])
    out = [f"{level} {path.split(' ', 1)[1]} {{#{anchor}}}\n\n",
           f"```text\n{usage}\n```\n\n", _text(command.help)]
    if isinstance(command, click.Group):
        subs = ", ".join(f"[{n}](#{anchor}-{n})" for n in command.list_commands(sub))
        out.append(f"Sub-commands: {subs}.\n\n")
    else:
        out.append(_arguments(command))
        rows = _option_rows(command, sub)
        out.append(table(("option", "type", "default", "description"), rows))
        out.append("\n")
    out.append(_text(command.epilog))
    return "".join(out)


def render_cli_page() -> str:
    """``reference/cli.md``."""
    root = _context(cli, "mi-export", None)
    usage = " ".join(["mi-export", *cli.collect_usage_pieces(root)])
    out = [
        header("the click commands of mi_export_validator.cli"),
        "# Command line: `mi-export`\n\n",
        f"```text\n{usage}\n```\n\n",
        _text(cli.help),
        table(("option", "type", "default", "description"), _option_rows(cli, root)),
        "\nEvery command also exits with code "
        f"{INTERNAL_ERROR} on an internal error (a bug: the message asks you to report it; "
        "`MI_EXPORT_DEBUG=1` shows the traceback) and 130 when interrupted (Ctrl-C). "
        "Option errors exit 2. The exit codes of each command are listed with it.\n\n",
    ]
    for path, command, parent in _commands(cli, root):
        out.append(_section(path, command, parent))
    return "".join(out).rstrip("\n") + "\n"
