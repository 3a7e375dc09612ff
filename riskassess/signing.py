"""Ed25519 signatures of assessment records by an assessment body's key.

A signature signs the record's ``record_id``, which commits to the record's whole decision content
(``verify`` checks that the content still gives that id); it is kept beside the record's content in
``signature`` — ``{algorithm, public_key, fingerprint, value}`` — and is not part of the id (an id
cannot cover its own signature). ``verify --key PUB`` checks it against the body's public key;
without ``--key`` a signature is reported, not trusted. Uses ``cryptography`` (``riskassess[signing]``),
imported only when a key is used.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, RecordError
from .i18n import tr
from .yamlfile import read_bytes

ALGORITHM = "ed25519"
KEY_MAX_BYTES = 64 * 1024
"""The largest key file read (an Ed25519 PEM key is a few hundred bytes)."""


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise InputError(tr("signing needs the cryptography package"),
                         hint=tr("install riskassess[signing] (pip install 'riskassess[signing]')")) from None
    return serialization, ed25519


def new_key() -> tuple[bytes, bytes]:
    """A new key pair as PEM: (private, public)."""
    serialization, ed25519 = _crypto()
    private = ed25519.Ed25519PrivateKey.generate()
    return (private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()),
            private.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))


def _raw_public(public: Any) -> bytes:
    serialization, _ = _crypto()
    return bytes(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def fingerprint(raw_public: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw_public).hexdigest()[:32]


def _load(path: Path, private: bool) -> Any:
    serialization, ed25519 = _crypto()
    data = read_bytes(path, max_bytes=KEY_MAX_BYTES)  # a regular file, and no more than a key could be
    try:
        key = serialization.load_pem_private_key(data, password=None) if private else \
            serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise InputError(tr("not a usable key: {reason}", reason=type(exc).__name__), source=str(path),
                         hint=tr("make one with `riskassess key new`")) from None
    wanted = ed25519.Ed25519PrivateKey if private else ed25519.Ed25519PublicKey
    if not isinstance(key, wanted):
        raise InputError(tr("not an Ed25519 key"), source=str(path), hint=tr("make one with `riskassess key new`"))
    return key


def sign(record: dict[str, Any], key_path: Path) -> dict[str, Any]:
    """``record`` with its ``signature`` by the private key at ``key_path``."""
    private = _load(key_path, private=True)
    raw = _raw_public(private.public_key())
    value = private.sign(record["record_id"].encode("utf-8"))
    return {**record, "signature": {"algorithm": ALGORITHM, "public_key": base64.b64encode(raw).decode("ascii"),
                                    "fingerprint": fingerprint(raw), "signed": record["record_id"],
                                    "value": base64.b64encode(value).decode("ascii")}}


@dataclass(frozen=True)
class SignatureCheck:
    present: bool
    valid: bool
    fingerprint: str | None


def check(record: dict[str, Any], public_path: Path | None) -> SignatureCheck:
    """Whether the record carries a signature of its id by the key at ``public_path`` (when given)."""
    sig = record.get("signature")
    if sig is None:
        return SignatureCheck(False, False, None)
    if not isinstance(sig, dict) or sig.get("algorithm") != ALGORITHM:
        raise RecordError(tr("the record's signature is not an Ed25519 signature riskassess wrote"),
                          field="signature")
    if public_path is None:
        return SignatureCheck(True, False, str(sig.get("fingerprint")))
    from cryptography.exceptions import InvalidSignature
    public = _load(public_path, private=False)
    raw = _raw_public(public)
    try:
        public.verify(base64.b64decode(str(sig.get("value", "")), validate=True),
                      str(record.get("record_id", "")).encode("utf-8"))
        valid = sig.get("signed") == record.get("record_id")
    except (InvalidSignature, ValueError):
        valid = False
    return SignatureCheck(True, valid, fingerprint(raw))
