"""``riskassess key new``, ``riskassess sign`` and the signature part of ``verify``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_options import LangOpt, chosen_language, speaker, write_atomically
from .errors import InputError
from .i18n import tr

key_app = typer.Typer(no_args_is_help=True, help="Keys of an assessment body, for signing records.")


@key_app.callback()
def key_group(lang: LangOpt = None) -> None:  # --lang accepted here too: `riskassess key --lang zh new`
    pass


@key_app.command("new")
def key_new(
    out: Annotated[Path, typer.Option("--out", "-o", help="The private key file; the public key is written "
                                                          "beside it with .pub.")],
    lang: LangOpt = None,
) -> None:
    """Make an Ed25519 key pair: keep the private key secret, give the public one to whoever verifies."""
    from .signing import new_key
    if out.exists() or out.with_name(out.name + ".pub").exists():
        raise InputError(tr("file exists"), source=str(out), hint=tr("choose another path: a key is never overwritten"))
    private, public = new_key()
    write_atomically(out, private)
    out.chmod(0o600)
    write_atomically(out.with_name(out.name + ".pub"), public)
    speaker(chosen_language(lang))(tr("wrote {private} (secret) and {public}", private=str(out),
                                      public=str(out.with_name(out.name + ".pub"))))


def sign(
    record: Annotated[Path, typer.Argument(help="An assessment record (JSON), as written by evaluate --out.")],
    key: Annotated[Path, typer.Option("--key", help="The assessment body's private key.")],
    lang: LangOpt = None,
) -> None:
    """Sign a record with an assessment body's key (verify --key checks it)."""
    from .signing import sign as sign_record
    from .verify import content_id, read_record
    data = read_record(record)
    if content_id(data) != data["record_id"]:
        raise InputError(tr("the record was edited after it was written: its content no longer matches its id"),
                         source=str(record), hint=tr("evaluate the questionnaire again, then sign the new record"))
    signed = sign_record(data, key)
    write_atomically(record, json.dumps(signed, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    speaker(chosen_language(lang))(tr("signed {id} with key {fingerprint}", id=data["record_id"],
                                      fingerprint=signed["signature"]["fingerprint"]))


def say_signature(record: dict[str, Any], key: Path | None, say: Any) -> bool:
    """Report the record's signature; False when ``--key`` was given and the record is not validly signed by it."""
    from .signing import check
    found = check(record, key)
    if key is None:
        if found.present:
            say(tr("signed with key {fingerprint} (give --key to check the signature)", fingerprint=found.fingerprint))
        return True
    if not found.present:
        say(tr("the record is not signed"))
        return False
    if not found.valid:
        say(tr("the signature is not valid for key {fingerprint}", fingerprint=found.fingerprint))
        return False
    say(tr("signature valid: key {fingerprint}", fingerprint=found.fingerprint))
    return True
