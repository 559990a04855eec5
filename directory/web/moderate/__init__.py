"""The moderators' desk under /moderate: sign-in, the review queue, decisions and history.

Every route of this blueprint needs a signed-in moderator unless its endpoint is listed in
``OPEN_ENDPOINTS`` (signing in and resetting a password): the guard runs before each
request, so a new route is protected without anyone remembering to protect it. Route
modules register on ``bp`` and are imported at the end of this module.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Flask, redirect, request, url_for
from flask_login import LoginManager, current_user

from directory.extensions import db
from directory.models import Moderator
from directory.services import Actor

bp = Blueprint("moderate", __name__, url_prefix="/moderate")
login_manager = LoginManager()

#: The only /moderate endpoints an anonymous visitor may reach.
OPEN_ENDPOINTS = frozenset({"moderate.login", "moderate.reset_request", "moderate.reset_password"})


@login_manager.user_loader
def _load_moderator(session_id: str) -> Moderator | None:
    """Return the moderator a session names, unless their password has changed since."""
    number, _dot, stamp = session_id.partition(".")
    try:
        moderator = db.session.get(Moderator, int(number))
    except (TypeError, ValueError):
        return None
    if moderator is None or not moderator.is_active:
        return None
    return moderator if hmac.compare_digest(stamp, moderator.session_stamp) else None


@bp.before_request
def _require_sign_in():
    """Send an anonymous visitor to the sign-in page; a signed-in moderator goes on."""
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.method != "GET":
        return "", 401
    return redirect(url_for("moderate.login", next=request.full_path.rstrip("?")))


@bp.after_request
def _not_cached(response):
    """Keep moderators' pages (private contacts, queues) out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def current_moderator() -> Moderator:
    """Return the signed-in moderator (the guard has made sure there is one)."""
    return current_user._get_current_object()


def page_number() -> int:
    """Return the page a list asks for (``?page=``): a whole number from 1, else 1."""
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def current_actor() -> Actor:
    """Return the signed-in moderator as the services' actor."""
    return Actor.for_moderator(current_moderator())


def init_app(app: Flask) -> None:
    """Bind Flask-Login to ``app``; sessions are refreshed, not remembered across browsers."""
    login_manager.init_app(app)
    login_manager.login_view = "moderate.login"
    login_manager.session_protection = "strong"


# Route modules: each registers its views on ``bp``.
# (one import per module, added as each is written)
from . import auth, changes, edit, items, queue, reports, stale, trust  # noqa: E402,F401
