"""Local-mode safety: body size limits, security headers, CSRF, and the optional password."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        limit = IMPORT_MAX_BODY if scope["path"] in IMPORT_PATHS else MAX_BODY
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _respond(send, *_too_large(limit))
            return
        if scope["method"] in UNSAFE_METHODS and not _same_origin(headers):
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


def _same_origin(headers: dict[str, str]) -> bool:
    """Browsers send Origin on cross-site writes; it must name this server."""
    origin = headers.get("origin")
    if not origin:
        return True
    host = headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def sign(value: str, key: bytes) -> str:
    mac = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(signed: str | None, key: bytes) -> str | None:
    if not signed or "." not in signed:
        return None
    value, mac = signed.rsplit(".", 1)
    expected = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
    return value if hmac.compare_digest(mac, expected) else None


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


Handler = Callable[[Any], Awaitable[Any]]
