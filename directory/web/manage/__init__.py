"""The organiser's pages under /manage, opened by a signed manage link (see ``links``).

The token is in the address, so every answer here is ``no-store`` and sends no Referer. A
page that sends no Referer cannot pass Flask-WTF's HTTPS check that a form post's Referer
names this site, so the blueprint checks its own posts instead: the CSRF token (as
everywhere), and the browser's Sec-Fetch-Site, which no referrer policy hides.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from directory.extensions import csrf

bp = Blueprint("manage", __name__)

#: Headers of every answer: the token must stay out of caches and other sites' logs.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.record_once
def _exempt_from_the_referrer_check(_state) -> None:
    csrf.exempt(bp)


@bp.before_request
def check_posts() -> None:
    """Refuse a post without this session's CSRF token, or sent from another site."""
    if request.method != "POST":
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as error:
        raise CSRFError(error.args[0]) from None
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise CSRFError("The form was sent from another site.")
    g.csrf_valid = True  # the forms need not check the token again


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
