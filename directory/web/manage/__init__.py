"""The organiser's pages under /manage, opened by a signed manage link (see ``links``).

The token is in the address, so every answer here is ``no-store`` and its Referer names only
the site (``strict-origin``), never the page: no other site, log or cache sees the token,
and Flask-WTF's HTTPS check that a form post comes from this site still works (it needs the
origin, not the path), so the manage forms are checked like every other form.
"""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("manage", __name__)

#: Headers of every answer: the token must stay out of caches and other sites' logs.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "strict-origin"}


@bp.after_request
def private(response):
    """Keep the page out of caches, and its address out of Referer headers."""
    response.headers.update(PRIVATE_HEADERS)
    return response


@bp.errorhandler(429)
def too_many(error):
    """Say calmly that there have been too many requests, and when to try again."""
    headers = [(name, value) for name, value in error.get_headers()
               if name.lower() != "content-type"]  # fmt: skip
    return render_template("manage/too_many.html"), 429, headers


from . import asking, views  # noqa: E402,F401
