"""Names and personal numbers at rest: AES-256-GCM with a key from the environment.

Every value is sealed with its own 96-bit nonce and bound to its row and field (the associated
data ``field:person_id``), so a token copied onto another person does not open. The nonce is
synthetic (HMAC-SHA256 of the associated data and the value under a key derived from the data
key, as in the SIV construction, RFC 5297): two different values never share a nonce, and the
same value of the same person's field seals to the same token, so the demo is reproducible
and re-loading an unchanged file rewrites nothing. That equality is all it reveals.
A token is ``<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>``; the key id (the first 8 hex
digits of SHA-256 of the key) says which key opens it, so keys can be rotated:

1. set ``KEDJA_DATA_KEY`` to a new key and move the old one to ``KEDJA_DATA_KEYS_PREVIOUS``
   (comma-separated);
2. run ``kedja keys rotate --db DB``: every token is re-sealed with the new key and every
   search index recomputed, in one transaction;
3. drop the old key from ``KEDJA_DATA_KEYS_PREVIOUS``.

The search index of a personal number is HMAC-SHA256 under a key derived from the data key
(HKDF-SHA256, info ``kedja blind index``): equal numbers give equal indexes, and without the
key the index tells nothing. Without ``KEDJA_DATA_KEY`` Kedja uses the key file named by
``KEDJA_DATA_KEY_FILE`` (default ``~/.local/share/kedja/data.key``, created with mode 0600 on
first use), so a demo works with no setup while the key never lives in the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kedja.core.errors import ConfigurationError

__all__ = ["KEY_ENV", "KEY_FILE_ENV", "PREVIOUS_ENV", "Keyring", "keyring", "new_key"]

KEY_ENV = "KEDJA_DATA_KEY"
PREVIOUS_ENV = "KEDJA_DATA_KEYS_PREVIOUS"
KEY_FILE_ENV = "KEDJA_DATA_KEY_FILE"
_DEFAULT_FILE = Path.home() / ".local" / "share" / "kedja" / "data.key"


def new_key() -> str:
    """A fresh random 256-bit key, base64url-encoded (what ``KEDJA_DATA_KEY`` holds)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _decode(text: str, origin: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ConfigurationError(
            f"the data key in {origin} is not 32 bytes of base64url", field=origin,
            hint="create one with: kedja keys new (and keep it out of the database's backups)")
    return raw


@dataclass(frozen=True)
class _Key:
    id: str
    aead: AESGCM
    index_key: bytes
    nonce_key: bytes


def _derived(raw: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)


def _key(raw: bytes) -> _Key:
    return _Key(hashlib.sha256(raw).hexdigest()[:8], AESGCM(raw), _derived(raw, b"kedja blind index"),
                _derived(raw, b"kedja nonce"))


class Keyring:
    """The current key (seals and indexes) and previous keys (still open old tokens)."""

    def __init__(self, current: bytes, previous: tuple[bytes, ...] = ()) -> None:
        self.current = _key(current)
        self._by_id = {k.id: k for k in (_key(p) for p in previous)} | {self.current.id: self.current}

    @property
    def key_id(self) -> str:
        """The id of the key new tokens are sealed with."""
        return self.current.id

    def seal(self, value: str, *, field: str, person_id: str) -> str:
        """An encrypted token of ``value``, bound to the person and field."""
        bound = f"{field}:{person_id}".encode()
        nonce = hmac.new(self.current.nonce_key, bound + b"\0" + value.encode(), hashlib.sha256).digest()[:12]
        sealed = self.current.aead.encrypt(nonce, value.encode(), bound)
        return f"{self.current.id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, *, field: str, person_id: str) -> str:
        """The value of a token sealed by :meth:`seal` (with this or a previous key).

        Raises:
            ConfigurationError: the key that sealed the token is not configured, or the token
                was altered or belongs to another person.
        """
        key_id, _, body = token.partition(".")
        key = self._by_id.get(key_id)
        if key is None:
            raise ConfigurationError(
                f"a stored name or number was sealed with key {key_id}, which is not configured",
                field=KEY_ENV, value=key_id,
                hint=f"put that key in {KEY_ENV} or {PREVIOUS_ENV}")
        raw = base64.urlsafe_b64decode(body.encode())
        try:
            return key.aead.decrypt(raw[:12], raw[12:], f"{field}:{person_id}".encode()).decode()
        except InvalidTag:
            raise ConfigurationError(
                "a stored name or number does not open with its key (altered or moved)",
                field=field, value=person_id, hint="restore the row from a backup") from None

    def index(self, number: str) -> str:
        """The search index of a checked personal number under the current key."""
        return self.indexes(number)[0]

    def indexes(self, number: str) -> list[str]:
        """The search index under every configured key (current first), for use mid-rotation."""
        keys = [self.current, *(k for k in self._by_id.values() if k is not self.current)]
        return [hmac.new(k.index_key, number.encode(), hashlib.sha256).hexdigest() for k in keys]


def _key_file() -> Path:
    path = Path(os.environ.get(KEY_FILE_ENV) or _DEFAULT_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(new_key() + "\n")
    return path


@cache
def _cached(current: str, previous: str, origin: str) -> Keyring:
    olds = tuple(_decode(p, PREVIOUS_ENV) for p in previous.split(",") if p.strip())
    return Keyring(_decode(current, origin), olds)


def keyring() -> Keyring:
    """The keyring from ``KEDJA_DATA_KEY`` (or the key file) and ``KEDJA_DATA_KEYS_PREVIOUS``."""
    current, origin = os.environ.get(KEY_ENV, ""), KEY_ENV
    if not current.strip():
        path = _key_file()
        current, origin = path.read_text(), str(path)
    return _cached(current.strip(), os.environ.get(PREVIOUS_ENV, ""), origin)
