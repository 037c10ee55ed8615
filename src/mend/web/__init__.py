"""The web app: Jinja2 + HTMX pages and a JSON API under /api/v1, over the same services."""
