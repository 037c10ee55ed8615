"""Local-mode safety: body size limits, security headers, CSRF, and the optional password."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mend.errors import InvalidInput

#: Largest request body accepted, in bytes; an import may be larger (see IMPORT_MAX_BODY).
MAX_BODY = 1024 * 1024
#: Largest JSON export accepted by the import endpoints.
IMPORT_MAX_BODY = 200 * 1024 * 1024
IMPORT_PATHS = ("/api/v1/import", "/import", "/data/import")

CSRF_COOKIE = "mend_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "mend_session"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Not "no-referrer": under it browsers send "Origin: null" on same-site form posts,
    # which the cross-site check below must refuse. "same-origin" still tells no other site.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _json_error(status: int, code: str, message: str) -> tuple[int, bytes]:
    import json

    body = json.dumps({"error": {"code": code, "message": message, "field": None}})
    return status, body.encode()


async def _respond(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Adds security headers, enforces the body limit and refuses cross-site writes.

    Pure ASGI so it can count bytes of bodies sent without a Content-Length.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: str = "") -> None:
        self.app = app
        self.hosts = HostPolicy.parse(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if not self.hosts.allows(host, scope.get("server"), scope.get("scheme", "http")):
            await _respond(
                send,
                *_json_error(
                    400,
                    "bad_host",
                    "This server does not answer for that host name. Open Mend at the "
                    "address `mend serve` printed (or add the name to allowed_hosts).",
                ),
            )
            return
        limit = IMPORT_MAX_BODY if scope["path"] in IMPORT_PATHS else MAX_BODY
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _respond(send, *_too_large(limit))
            return
        if scope["method"] in UNSAFE_METHODS and not _same_origin(
            headers, scope.get("scheme", "http")
        ):
            await _respond(
                send, *_json_error(403, "forbidden", "Cross-site requests are not accepted.")
            )
            return
        received = 0
        too_large = False
        responded = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal responded
            if too_large:
                # The app may turn the aborted read into its own error (FastAPI answers
                # 400 "error parsing the body"); the answer is 413 whatever it says.
                if not responded:
                    responded = True
                    await _respond(send, *_too_large(limit))
                return
            if message["type"] == "http.response.start":
                responded = True
                existing = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in existing]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except Exception:
            # BodyTooLarge itself, or wrapped by a middleware (an ExceptionGroup).
            if not too_large:
                raise
            if not responded:
                await _respond(send, *_too_large(limit))


def _too_large(limit: int) -> tuple[int, bytes]:
    return _json_error(413, "too_large", f"The request body is over {limit:,} bytes.")


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _same_origin(headers: dict[str, str], scheme: str) -> bool:
    """A browser's write must come from a page of this very origin (scheme, host and port).

    Browsers send ``Origin`` on every cross-site write (and ``Sec-Fetch-Site`` on all
    requests); scripts such as curl send neither. The Host itself has already been checked
    against the allow-list, so an attacker's page, whatever its DNS says, cannot pass.
    """
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    expected = _split_host(headers.get("host", ""), scheme)
    scheme_given, _, rest = origin.partition("://")
    if not rest or scheme_given.lower() != scheme:
        return False
    return expected is not None and _split_host(rest, scheme) == expected


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _split_host(value: str, scheme: str) -> tuple[str, int] | None:
    """``(name, port)`` of a Host header or an origin's authority; None when malformed.

    Names are lower-cased, IPv6 literals keep their brackets, and a missing port is the
    scheme's default.
    """
    value = value.strip().lower()
    if not value or any(c in value for c in "/?#@ \t"):
        return None
    if value.startswith("["):
        name, bracket, rest = value.partition("]")
        if not bracket:
            return None
        name += "]"
        port_text = rest[1:] if rest.startswith(":") else ("" if not rest else None)
    else:
        name, colon, port_text = value.partition(":")
        if not colon:
            port_text = ""
    if port_text is None or not name:
        return None
    if port_text == "":
        return name, _DEFAULT_PORTS.get(scheme, 80)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return name, int(port_text)


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})


@dataclass(frozen=True)
class HostPolicy:
    """Which Host headers the server answers for: the defence against DNS rebinding.

    A web page that rebinds its own name to 127.0.0.1 still sends its own name as the
    Host, so answering only for names we know keeps such a page from reading or writing
    anything. Allowed: the loopback names and the address the connection arrived on, on
    the port it arrived on, and the names configured in ``allowed_hosts`` (any port, or
    the one given with them: a server behind a proxy is reached by its public name).
    """

    names: frozenset[str] = frozenset()
    name_ports: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def parse(cls, configured: str) -> HostPolicy:
        names: set[str] = set()
        name_ports: set[tuple[str, int]] = set()
        for entry in configured.split(","):
            entry = entry.strip().lower()
            if not entry:
                continue
            if ":" in entry.rsplit("]", 1)[-1]:
                split = _split_host(entry, "http")
                if split is None:
                    raise InvalidInput(
                        f"allowed_hosts has {entry!r}, which is not a host name or host:port.",
                        field="allowed_hosts",
                    )
                name_ports.add(split)
            else:
                names.add(entry)
        return cls(frozenset(names), frozenset(name_ports))

    def allows(self, host: str, server: tuple[str, int | None] | None, scheme: str) -> bool:
        split = _split_host(host, scheme)
        if split is None:
            return False
        name, port = split
        if name in self.names or split in self.name_ports:
            return True
        if server is None or server[1] is None:  # a Unix socket: only loopback names
            return name in LOOPBACK_NAMES
        served_host, served_port = server
        served_name = f"[{served_host}]" if ":" in served_host else served_host.lower()
        return port == served_port and (name in LOOPBACK_NAMES or name == served_name)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_token(value: str) -> bool:
    """Whether ``value`` looks like a token :func:`new_token` made (43 URL-safe characters)."""
    return len(value) == 43 and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)


def tokens_match(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


Handler = Callable[[Any], Awaitable[Any]]
