"""Files only their owner can read: Mend's folders are 0700 and its files 0600.

Threat: other accounts on the same computer. Whatever the umask, nothing Mend writes
(the database and its -wal/-shm files, the config with the password hash, exports, the
calendar secret) can be read by another local user.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from mend.errors import Conflict, InvalidInput

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; a folder Mend made itself is made 0700."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    return path


def restrict(path: Path) -> None:
    """Make an existing file 0600 (a no-op when it is missing or not ours to change)."""
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE:
            os.chmod(path, PRIVATE_FILE)


def write_private(path: Path, data: bytes | str, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` as a 0600 file, atomically (a temporary file, then rename).

    With ``overwrite=False`` an existing file or a symbolic link at ``path`` is refused
    with :class:`Conflict`: an export must not follow a link planted by someone else
    nor silently replace a file. With ``overwrite=True`` the rename replaces a link
    itself, never the file it points to.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not overwrite and (path.is_symlink() or path.exists()):
        kind = "a symbolic link" if path.is_symlink() else "a file"
        raise Conflict(
            f"{path} is already {kind}; choose another name, or add --force to replace it.",
            field="out",
        )
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"The folder {folder} does not exist.", field="out")
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE_FILE)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def create_private_file(path: Path) -> None:
    """Make an empty 0600 file at ``path`` unless something is there already.

    SQLite gives a database's -wal and -shm files the permissions of the database file,
    so creating the database this way keeps all three private.
    """
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        os.close(fd)


def make_database_private(database: str) -> None:
    """A SQLite database and its -wal/-shm files 0600; Mend's own data folder 0700
    (also for folders and files made by an older Mend)."""
    from pathlib import Path

    from mend.settings import default_data_dir

    path = Path(database)
    private_dir(path.parent)
    if path.parent == default_data_dir():
        os.chmod(path.parent, PRIVATE_DIR)
    create_private_file(path)
    for suffix in ("", "-wal", "-shm", "-journal"):
        restrict(path.with_name(path.name + suffix))
