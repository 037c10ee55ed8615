"""Passwords: argon2 hashes, and the one rule for a new password.

The web password of local mode and the passwords of team accounts are both hashed and
checked here. argon2 takes tens of milliseconds of CPU on purpose: the web app calls
these from a worker thread, never on its event loop.
"""

from __future__ import annotations

import os
import threading

from mend.errors import InvalidInput

#: A new password has at least this many characters.
MIN_LENGTH = 8
#: And at most this many: argon2's cost grows with the input, and no one types more.
MAX_LENGTH = 1024


def check_new_password(secret: str, field: str = "password") -> str:
    """``secret`` if it may be a new password; InvalidInput naming ``field`` if not."""
    if len(secret) < MIN_LENGTH:
        raise InvalidInput(f"Use at least {MIN_LENGTH} characters.", field=field)
    if len(secret) > MAX_LENGTH:
        raise InvalidInput(f"Use at most {MAX_LENGTH} characters.", field=field)
    return secret


#: argon2 runs at most this many hashes at once per process. Each takes 64 MiB and four
#: threads: a hundred logins arriving together (a team's morning) otherwise thrash the
#: cores and memory until every one of them times out, instead of queueing briefly.
_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    with _SLOTS:
        return PasswordHasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for a malformed hash)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        with _SLOTS:
            return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
