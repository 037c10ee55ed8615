"""Other accounts on the same computer read nothing of Mend's: folders 0700, files 0600,
whatever the umask; exports never follow a planted link nor replace a file unasked.

These run the real `mend` command in a subprocess with the common umask 022.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

MEND = [sys.executable, "-c", "from mend.cli.main import run; run()"]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEND_") or k == "MEND_TEST_X"}
    return {
        **env,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "MEND_TIMEZONE": "UTC",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        **extra,
    }


def mend(home: Path, *args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MEND, *args],
        env=env_for(home, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def data_dir(home: Path) -> Path:
    return home / "data" / "mend"


def test_a_new_database_and_its_folder_are_private(home: Path) -> None:
    done = mend(home, "person", "add", "Ana Ruiz", "--role", "colleague")
    assert done.returncode == 0, done.stderr
    folder = data_dir(home)
    assert mode(folder) == 0o700
    files = [p for p in folder.iterdir() if p.name.startswith("mend.db")]
    assert any(p.name == "mend.db" for p in files)
    for path in files:
        assert mode(path) == 0o600, path.name


def test_an_older_install_is_made_private(home: Path) -> None:
    folder = data_dir(home)
    folder.mkdir(parents=True)
    os.chmod(folder, 0o755)
    assert mend(home, "person", "add", "Ana", "--role", "colleague").returncode == 0
    for path in folder.iterdir():
        if path.name.startswith("mend.db"):
            os.chmod(path, 0o644)
    os.chmod(folder, 0o755)
    assert mend(home, "status").returncode == 0
    assert mode(folder) == 0o700
    for path in folder.iterdir():
        if path.name.startswith("mend.db"):
            assert mode(path) == 0o600, path.name


def test_the_config_with_the_password_hash_is_private(home: Path) -> None:
    done = mend(home, "password", stdin="a long secret\na long secret\n")
    assert done.returncode == 0, done.stderr
    config = home / "config" / "mend" / "config.toml"
    assert "password_hash" in config.read_text()
    assert mode(config) == 0o600
    assert mode(config.parent) == 0o700


def test_mend_password_writes_the_config_named_by_mend_config(home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('timezone = "Europe/Berlin"\n')
    done = mend(
        home, "password", stdin="a long secret\na long secret\n", MEND_CONFIG=str(elsewhere)
    )
    assert done.returncode == 0, done.stderr
    assert str(elsewhere) in " ".join(done.stdout.split())
    text = elsewhere.read_text()
    assert "password_hash" in text and 'timezone = "Europe/Berlin"' in text
    assert mode(elsewhere) == 0o600
    assert not (home / "config" / "mend" / "config.toml").exists()


@pytest.mark.parametrize("kind", ["json", "ical"])
def test_exports_are_private(home: Path, tmp_path: Path, kind: str) -> None:
    assert mend(home, "demo").returncode == 0
    out = tmp_path / f"export.{kind}"
    done = mend(home, "export", kind, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert mode(out) == 0o600


def test_the_calendar_secret_is_private(home: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from mend.services.calendar_token import feed_token; feed_token()",
        ],
        env=env_for(home),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert done.returncode == 0, done.stderr
    assert mode(data_dir(home) / "calendar-secret") == 0o600
    assert mode(data_dir(home)) == 0o700


def test_export_refuses_to_replace_a_file_unless_forced(home: Path, tmp_path: Path) -> None:
    assert mend(home, "demo").returncode == 0
    out = tmp_path / "backup.json"
    out.write_text("precious")
    refused = mend(home, "export", "json", "-o", str(out))
    assert refused.returncode == 4
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert out.read_text() == "precious"
    forced = mend(home, "export", "json", "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert '"mend-export"' in out.read_text()
    assert mode(out) == 0o600


def test_export_never_writes_through_a_symbolic_link(home: Path, tmp_path: Path) -> None:
    assert mend(home, "demo").returncode == 0
    target = tmp_path / "victim.txt"
    target.write_text("someone else's file")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    refused = mend(home, "export", "markdown", "1", "-o", str(link))
    assert refused.returncode == 4
    assert "symbolic link" in refused.stderr
    assert target.read_text() == "someone else's file"
    forced = mend(home, "export", "markdown", "1", "-o", str(link), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not link.is_symlink(), "the link itself was replaced"
    assert target.read_text() == "someone else's file", "its target was never written"


def test_an_export_is_written_whole_or_not_at_all(home: Path, tmp_path: Path) -> None:
    """Atomic: a temporary file renamed into place, so no half-written export remains."""
    assert mend(home, "demo").returncode == 0
    out = tmp_path / "missing-folder" / "backup.json"
    refused = mend(home, "export", "json", "-o", str(out))
    assert refused.returncode == 2 and "does not exist" in refused.stderr
    assert list(tmp_path.glob("**/*.tmp")) == []
