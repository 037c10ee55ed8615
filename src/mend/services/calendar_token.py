"""The private calendar feed link: a token derived from a secret kept on this computer.

The token is an HMAC of a fixed label under a random secret stored in a file in the
user data folder (created on first use, readable only by its owner). Anyone holding
the link can read the feed, so it is compared in constant time and can be replaced:
:func:`regenerate` writes a new secret, and every older link stops working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from mend.privacy import private_dir, write_private

SECRET_FILE = "calendar-secret"
_LABEL = b"mend calendar feed v1"


def default_directory() -> Path:
    from mend.settings import default_data_dir

    return default_data_dir()


def _secret_path(directory: Path | None) -> Path:
    return (directory or default_directory()) / SECRET_FILE


def _write_secret(path: Path) -> bytes:
    secret = secrets.token_bytes(32)
    private_dir(path.parent)
    write_private(path, secret.hex() + "\n")
    return secret


def _secret(directory: Path | None) -> bytes:
    path = _secret_path(directory)
    try:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except (OSError, ValueError):
        return _write_secret(path)
    return secret if len(secret) >= 16 else _write_secret(path)


def feed_token(directory: Path | None = None) -> str:
    """The current token for the feed link (the secret is made on first use)."""
    return hmac.new(_secret(directory), _LABEL, hashlib.sha256).hexdigest()[:40]


def token_is_valid(token: str, directory: Path | None = None) -> bool:
    """True when ``token`` is the current one (constant-time comparison)."""
    return hmac.compare_digest(token.encode("utf-8", "replace"), feed_token(directory).encode())


def regenerate(directory: Path | None = None) -> str:
    """Replace the secret, so every earlier link stops working; returns the new token."""
    _write_secret(_secret_path(directory))
    return feed_token(directory)
