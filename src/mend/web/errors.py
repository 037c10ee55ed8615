"""One translation of errors for the web: JSON under /api, a calm HTML page elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mend.errors import Busy, MendError, TooManyAttempts

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media",
    422: "invalid_input",
    429: "too_many_requests",
}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    if request.url.path.startswith("/api/"):
        return True
    return "application/json" in accept and "text/html" not in accept


def _respond(request: Request, status: int, body: dict[str, Any]) -> Response:
    if _wants_json(request) or request.headers.get("hx-request"):
        return JSONResponse(body, status_code=status)
    templates = request.app.state.templates
    # The invited person's pages (and whatever a link session asks for) show no owner
    # navigation: it leads nowhere for them.
    guest = getattr(request.state, "guest", None) is not None
    shared = guest or request.url.path.startswith(("/join/", "/shared"))
    return HTMLResponse(
        templates.get_template("error.html").render(
            request=request,
            status=status,
            error=body["error"],
            csrf_token="",
            page="shared" if shared else "error",
        ),
        status_code=status,
    )


def not_found(request: Request, message: str) -> Response:
    """A 404 answer (JSON for the API, the error page for a browser) outside a route."""
    return _respond(request, 404, error_body("not_found", message))


def _field_of(loc: Sequence[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or None


def install(app: FastAPI) -> None:
    @app.exception_handler(MendError)
    async def _mend_error(request: Request, exc: MendError) -> Response:
        response = _respond(request, exc.http_status, exc.to_dict())
        if isinstance(exc, TooManyAttempts):
            response.headers["retry-after"] = str(exc.retry_after)
        elif isinstance(exc, Busy):
            response.headers["retry-after"] = "5"
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid input"}
        loc = tuple(first.get("loc", ()))
        if first.get("type") == "json_invalid":
            position = loc[1] if len(loc) > 1 else "?"
            text = f"The request body is not valid JSON (at character {position})."
            return _respond(request, 422, error_body("invalid_input", text))
        if loc == ("body",):
            text = (
                "The request needs a JSON object as its body."
                if first.get("type") == "missing"
                else "The request body must be a JSON object."
            )
            return _respond(request, 422, error_body("invalid_input", text))
        field = _field_of(loc)
        message = str(first.get("msg", "invalid input"))
        text = f"{field}: {message}" if field else message
        return _respond(request, 422, error_body("invalid_input", text, field))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404 and message == "Not Found":
            message = f"Nothing at {request.url.path}."
        return _respond(request, exc.status_code, error_body(code, message))
