"""URL converters shared by every blueprint."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from directory.listings import MAX_ID


class DatabaseId(IntegerConverter):
    """``<id:name>``: a whole number from 1 that the database's integer can hold.

    A longer number matches no route, so it is a 404 like any unknown page, never an
    overflow inside a query.
    """

    def __init__(self, map, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ID, **kwargs)


def init_app(app: Flask) -> None:
    """Make ``<id:...>`` available to the routes (before any blueprint adds its rules)."""
    app.url_map.converters["id"] = DatabaseId
