"""Every setting declared once: name, type, default and help.

Precedence, lowest first: the defaults here, the config file (TOML), ``MEND_*``
environment variables, then flags given on the command line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from mend.errors import InvalidInput

APP_NAME = "mend"


def default_data_dir() -> Path:
    """Mend's folder in the user data folder (kept 0700: see mend.privacy)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    return "sqlite:///" + str(default_data_dir() / "mend.db")


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def config_file_path(environ: Mapping[str, str] | None = None) -> Path:
    """The config file Mend reads and writes: ``MEND_CONFIG``, else the user config folder."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("MEND_CONFIG", "") or default_config_path())


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "MEND_" + self.name.upper()


def _security(value: str) -> str:
    lowered = value.strip().lower()
    if lowered not in {"starttls", "ssl", "none"}:
        raise ValueError(f"expected starttls, ssl or none, got {value!r}")
    return lowered


def _seconds(value: str) -> int:
    seconds = int(value)
    if not 1 <= seconds <= 3600:
        raise ValueError(f"expected 1 to 3600 seconds, got {seconds}")
    return seconds


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        str,
        None,
        "Where Mend keeps its data: a SQLite file path or URL (the default is mend.db in "
        "your user data folder) or postgresql+psycopg://user:password@host/dbname.",
    ),
    Setting(
        "timezone",
        str,
        "",
        "IANA time zone used to show and read dates, e.g. Europe/Berlin; empty means the "
        "computer's own zone. Everything is stored in UTC.",
    ),
    Setting("host", str, "127.0.0.1", "Address `mend serve` listens on."),
    Setting("port", int, 8765, "Port `mend serve` listens on."),
    Setting(
        "allowed_hosts",
        str,
        "",
        "Extra host names the web app answers for, comma-separated (e.g. mend.example.org, "
        "or mend.example.org:8443); 127.0.0.1, localhost and [::1] on the served port always "
        "work. Any other Host header is refused, which stops DNS rebinding.",
    ),
    Setting(
        "password_hash",
        str,
        "",
        "argon2 hash of the web password (`mend password` sets it); required before "
        "`mend serve` may listen on any address other than loopback.",
    ),
    Setting(
        "team",
        _bool,
        False,
        "Serve as a team server (`mend serve --team`): every page and API call needs an "
        "account's login (email and password), and each account sees only its own people "
        "and repairs. Accounts are made with `mend team init` and `mend team user add`.",
    ),
    Setting(
        "public_url",
        str,
        "",
        "The address people open the team server at, e.g. https://mend.example.org; links "
        "Mend makes for them (password resets) start with it. Empty means "
        "http://HOST:PORT/ from the settings above.",
    ),
    Setting(
        "forwarded_allow_ips",
        str,
        "127.0.0.1",
        "Addresses of the proxies whose X-Forwarded-For and X-Forwarded-Proto headers are "
        "believed (comma-separated, or * for any), so that login back-off counts real "
        "clients and cookies are Secure behind HTTPS. Other requests' headers are ignored.",
    ),
    Setting(
        "auto_upgrade",
        _bool,
        None,
        "Upgrade the database schema automatically at start. Defaults to true for SQLite "
        "and false for PostgreSQL, where `mend db upgrade` is run explicitly.",
    ),
    Setting(
        "smtp_host",
        str,
        "",
        "The mail server Mend sends e-mail through (invitation links, signature requests, "
        "check-in reminders). Empty (the default) means Mend sends no e-mail at all: links "
        "are copied by hand.",
    ),
    Setting(
        "smtp_port",
        int,
        0,
        "The mail server's port; 0 means the usual one for smtp_security (587 for "
        "starttls, 465 for ssl, 25 for none).",
    ),
    Setting(
        "smtp_security",
        _security,
        "starttls",
        "How the connection to the mail server is protected: starttls (the default), ssl "
        "(TLS from the first byte) or none (only for a server on this computer).",
    ),
    Setting("smtp_user", str, "", "The mail server's user name; empty means no login."),
    Setting(
        "smtp_password",
        str,
        "",
        "The mail server's password: best given as MEND_SMTP_PASSWORD; in the config file "
        "only when that file is readable by you alone (mode 0600).",
    ),
    Setting(
        "mail_from",
        str,
        "",
        "The sender address of Mend's e-mail, e.g. mend@example.org (required with smtp_host).",
    ),
    Setting(
        "mail_interval",
        _seconds,
        60,
        "Seconds between two rounds of the server's mail loop (queue check-in reminders, "
        "deliver what is due); 1 to 3600.",
    ),
    Setting(
        "now",
        str,
        "",
        "Pin Mend's clock to this ISO date-time (UTC if no zone is given); for demos, "
        "rehearsals and tests. Empty means the real clock.",
    ),
)


@dataclass(frozen=True)
class Settings:
    database_url: str
    timezone: str = ""
    host: str = "127.0.0.1"
    port: int = 8765
    allowed_hosts: str = ""
    password_hash: str = ""
    team: bool = False
    public_url: str = ""
    forwarded_allow_ips: str = "127.0.0.1"
    auto_upgrade: bool | None = None
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    mail_from: str = ""
    mail_interval: int = 60
    now: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite") or "://" not in self.database_url

    @property
    def base_url(self) -> str:
        """Where the web app is reached, for links made outside a request (no slash at
        the end)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def sends_mail(self) -> bool:
        """Whether e-mail is configured (a mail server); without one nothing is sent."""
        return bool(self.smtp_host)

    @property
    def should_auto_upgrade(self) -> bool:
        return self.is_sqlite if self.auto_upgrade is None else self.auto_upgrade


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Merge defaults, config file, environment and ``overrides`` (flags), in that order."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    path = config_path or config_file_path(environ)
    if path.is_file():
        data = read_config_file(path)
        if data.get("smtp_password"):
            _check_private(path)
        for setting in SETTINGS:
            if setting.name in data:
                values[setting.name] = _parse(setting, str(data[setting.name]), str(path))
    for setting in SETTINGS:
        if setting.env in environ:
            values[setting.name] = _parse(setting, environ[setting.env], setting.env)
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = value
    if not values["database_url"]:
        values["database_url"] = default_database_url()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known})


def read_config_file(path: Path) -> dict[str, Any]:
    """The TOML config file as a dict (one clear error when it cannot be read)."""
    import tomllib  # only when there is a file to read: ~5 ms off every start

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"Cannot read the config file {path}: {exc}.") from exc


def _check_private(path: Path) -> None:
    """A config file holding a password must be readable by its owner alone."""
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise InvalidInput(
            f"{path} holds smtp_password but others can read it; make it private "
            f"(chmod 600 {path}) or give the password as MEND_SMTP_PASSWORD instead.",
            field="smtp_password",
        )


def _parse(setting: Setting, raw: str, source: str) -> Any:
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise InvalidInput(
            f"{source}: {setting.name} is not valid ({exc}).", field=setting.name
        ) from exc
