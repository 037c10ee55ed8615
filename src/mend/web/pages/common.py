"""What every page route shares: rendering with the CSRF token, and reading checked forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from mend.app import App
from mend.errors import MendError
from mend.web.auth import acting_app
from mend.web.security import CSRF_FIELD, CSRF_HEADER, tokens_match

if TYPE_CHECKING:
    from mend.services.mail.notices import Mailing


class CsrfFailed(MendError):
    code = "csrf"
    http_status = 403


def mend(request: Request) -> App:
    """The application acting for the logged-in account (see mend.web.auth.acting_app)."""
    return acting_app(request)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    html = templates.get_template(template).render(
        request=request, csrf_token=request.state.csrf_token, **context
    )
    return HTMLResponse(html, status_code=status_code)


async def form(request: Request) -> dict[str, str]:
    """The posted form, after checking its CSRF token against the cookie."""
    data = await request.form()
    token = str(data.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or "")
    if not tokens_match(token, request.state.csrf_token):
        raise CsrfFailed("This form has expired; reload the page and try again.")
    return {k: str(v) for k, v in data.items() if k != CSRF_FIELD and isinstance(v, str)}


def mailing(request: Request, app: App) -> Mailing | None:
    """E-mail when it is configured, its links starting where this request came in."""
    return app.mailing(app.settings.public_url or str(request.base_url))


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def opt(data: dict[str, str], key: str) -> str | None:
    value = data.get(key, "").strip()
    return value or None
