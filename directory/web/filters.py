"""Register the template filters that put listings into plain words, and the error pages."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from directory.search.healing import SearchRebuilding
from directory.web import links, words


def init_app(app: Flask) -> None:
    """Register the filters, globals and error pages on ``app``."""
    app.add_template_filter(lambda v: words.label(words.FORMAT_LABELS, v), "format_label")
    app.add_template_filter(words.meeting_time, "meeting_time")
    app.add_template_filter(words.long_date, "long_date")
    app.add_template_filter(words.verified_ago, "verified_ago")
    app.add_template_filter(words.distance_text, "distance_text")
    app.add_template_filter(words.tel_href, "tel_href")
    app.add_template_global(words.language_name, "language_name")
    app.add_template_global(words.facet_label, "facet_label")
    app.add_template_global(words.FACET_TITLES, "FACET_TITLES")
    app.add_template_global(words.SORT_LABELS, "SORT_LABELS")
    links.init_app(app)

    @app.errorhandler(404)
    def not_found(error):
        if _wants_json():
            return {"error": {"message": "Not found."}}, 404
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def not_allowed(error):
        if _wants_json():
            return {"error": {"message": "Method not allowed."}}, 405, _headers(error)
        return render_template("errors/404.html"), 405, _headers(error)

    @app.errorhandler(SearchRebuilding)
    def rebuilding(error):
        # Calm, and with a Retry-After: the index comes back by itself within minutes.
        if _wants_json():
            return {"error": {"message": error.description}}, 503, _headers(error)
        return render_template("errors/rebuilding.html"), 503, _headers(error)

    @app.errorhandler(HTTPException)
    def other_client_error(error):
        # Anything else a request can get wrong (a missing CSRF token, a bad request):
        # still a calm page with the crisis line, or JSON for the API.
        if _wants_json():
            return {"error": {"message": error.description}}, error.code, _headers(error)
        if request_ctx.url_adapter is None:  # refused before routing (an untrusted Host)
            return error
        return render_template("errors/other.html", code=error.code), error.code, _headers(error)

    @app.errorhandler(500)
    def server_error(_error):
        if _wants_json():
            return {"error": {"message": "Something went wrong on our side."}}, 500
        return render_template("errors/500.html"), 500


def _headers(error: HTTPException) -> list[tuple[str, str]]:
    """Return the headers an HTTP error carries (Retry-After, Allow), but its content type."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def _wants_json() -> bool:
    """Return whether the failed request was for the JSON API."""
    return request.path.startswith("/api/")
