"""``riskassess plugin new NAME``: write a plugin package to start from (see :mod:`riskassess.scaffold`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_options import LangOpt, chosen_language, speaker
from .i18n import tr

plugin_app = typer.Typer(no_args_is_help=True, help="Create a plugin package of your own.")


@plugin_app.callback()
def plugin_group(lang: LangOpt = None) -> None:  # --lang accepted here too: `riskassess plugin --lang zh new x`
    pass


@plugin_app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="The plugin's name: lower-case letters and digits, words joined by - "
                                             "or _ (e.g. city-noise).")],
    directory: Annotated[Path, typer.Option("--dir", help="Where to write riskassess-NAME/ (default: the current "
                                                          "directory).")] = Path("."),
    lang: LangOpt = None,
) -> None:
    """Write a plugin package riskassess-NAME: one hook of each kind, a rule pack, tests and a zh/en README."""
    from .scaffold import new_plugin
    language = chosen_language(lang)
    say = speaker(language)
    made = new_plugin(name, directory)
    for warning in made.warnings:
        typer.echo(warning.render(language), err=True)
    say(tr("wrote {path}/ — plugin {plugin!r} with rule pack {pack}:", path=str(made.path), plugin=made.names.ns,
           pack=made.names.pack))
    for file in made.files:
        typer.echo(f"  {file}")
    say(tr("next: `pip install -e {path}`, then run `pytest` in it, `riskassess lint {pack}` and `riskassess test "
           "{pack}`; the README says what each file is for", path=str(made.path), pack=made.names.pack))
