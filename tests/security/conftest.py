"""The security suite reuses the web fixtures (``web``, ``client``, ``api``, ``csrf``...)."""

from tests.web.conftest import api, client, csrf, person, repair, web

__all__ = ["api", "client", "csrf", "person", "repair", "web"]
