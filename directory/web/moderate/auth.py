"""Sign moderators in and out, and let them choose a new password by an emailed link."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.routing import BuildError

from directory import mail, services
from directory.extensions import db, limiter
from directory.i18n import current_locale
from directory.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, check_password
from directory.web.links import external_url

from . import bp

#: Where a moderator lands after signing in, once the queue exists.
LANDING_ENDPOINT = "moderate.queue"
#: The longest email address accepted (the column's size).
MAX_EMAIL_LENGTH = 254

#: One budget per client address for all three forms, so switching form gains nothing.
_form_limit = limiter.shared_limit(
    lambda: current_app.config["SIGN_IN_RATE_LIMIT"], scope="moderator-sign-in", methods=["POST"]
)


def landing_url() -> str:
    """Return the moderators' first page: the queue, or the blueprint's root before it exists."""
    try:
        return url_for(LANDING_ENDPOINT)
    except BuildError:
        return request.script_root + bp.url_prefix + "/"


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site under /moderate, else None."""
    if not target or len(target) > 2000 or "\\" in target:
        return None
    if any(ord(character) < 32 for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or ".." in parts.path.split("/"):
        return None
    if parts.path != bp.url_prefix and not parts.path.startswith(bp.url_prefix + "/"):
        return None
    return target


@bp.context_processor
def _moderate_context() -> dict:
    return {"moderate_home": landing_url}


def _fresh_session() -> None:
    """Forget everything in the session, the CSRF token of this request included."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def _field(name: str, limit: int) -> str:
    """Return a form field's text, cut to ``limit`` (anything longer is never valid)."""
    return request.form.get(name, "")[: limit + 1]


@bp.route("/login", methods=["GET", "POST"])
@_form_limit
def login():
    """Show the sign-in form; sign a moderator in with their email and password."""
    target = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(request.script_root + target if target else landing_url())
    email, errors, problem = "", {}, None
    if request.method == "POST":
        email = _field("email", MAX_EMAIL_LENGTH).strip()
        password = _field("password", MAX_PASSWORD_LENGTH)
        if not email:
            errors["email"] = _("Please enter your email address.")
        if not password:
            errors["password"] = _("Please enter your password.")
        if not errors:
            config = current_app.config
            attempt = services.sign_in(
                db.session,
                email,
                password,
                attempts=config["SIGN_IN_ATTEMPTS"],
                lock_for=dt.timedelta(minutes=config["SIGN_IN_LOCK_MINUTES"]),
            )
            db.session.commit()  # a failure counts even though the answer is "no"
            if attempt.ok:
                _fresh_session()  # nothing from before signing in carries over
                login_user(attempt.moderator, remember=False)
                return redirect(request.script_root + target if target else landing_url())
            problem = attempt.outcome.value
    status = 400 if errors or problem else 200
    return render_template(
        "moderate/login.html",
        email=email,
        next=target or "",
        errors=errors,
        problem=problem,
        lock_minutes=current_app.config["SIGN_IN_LOCK_MINUTES"],
    ), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign the moderator out and forget the session."""
    logout_user()
    _fresh_session()
    flash(_("You have signed out."))
    return redirect(url_for("moderate.login"))


def _reset_message(moderator, link: str):
    """Compose the reset email in the language of the page that asked for it."""
    hours = current_app.config["RESET_LINK_HOURS"]
    body = render_template("mail/moderator_reset.txt", link=link, hours=hours)
    subject = _("Choose a new password for the Peer Support Directory")
    return mail.compose(subject, body, [moderator.email], language=current_locale())


@bp.route("/reset", methods=["GET", "POST"])
@_form_limit
def reset_request():
    """Ask for an email address; mail a reset link if it has an account, saying the same."""
    email, errors = "", {}
    if request.method == "POST":
        email = _field("email", MAX_EMAIL_LENGTH).strip()
        if not email or "@" not in email:
            errors["email"] = _("Please enter the email address you sign in with.")
        else:
            moderator = services.moderator_to_reset(db.session, email)
            message = None
            if moderator is not None:
                token = services.reset_token(moderator, current_app.secret_key)
                message = _reset_message(
                    moderator, external_url("moderate.reset_password", token=token)
                )
            db.session.commit()  # nothing to keep today; the mail goes after the database
            if message is not None:
                mail.send(message)
            return render_template(
                "moderate/reset_request.html",
                sent=True,
                hours=current_app.config["RESET_LINK_HOURS"],
            )
    return render_template("moderate/reset_request.html", sent=False, email=email, errors=errors), (
        400 if errors else 200
    )


def _password_errors(password: str, again: str) -> dict[str, str]:
    """Return a message per field for a new password that breaks the account rules."""
    try:
        check_password(password)
    except services.ServiceError:
        if len(password) < MIN_PASSWORD_LENGTH:
            text = _("Please use at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
        else:
            text = _("Please use at most %(count)s characters.", count=MAX_PASSWORD_LENGTH)
        return {"password": text}
    if password != again:
        return {"password_again": _("The two passwords are not the same. Please type it again.")}
    return {}


@bp.route("/reset/<token>", methods=["GET", "POST"])
@_form_limit
def reset_password(token: str):
    """Let the holder of a valid reset link choose a new password, once."""
    found = services.moderator_for_token(
        db.session,
        token,
        current_app.secret_key,
        dt.timedelta(hours=current_app.config["RESET_LINK_HOURS"]),
    )
    if isinstance(found, services.ResetLinkProblem):
        return render_template("moderate/reset_invalid.html", problem=found.value), 400
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = _field("password", MAX_PASSWORD_LENGTH)
        errors = _password_errors(password, _field("password_again", MAX_PASSWORD_LENGTH))
        if not errors:
            services.set_new_password(db.session, found, password)
            db.session.commit()
            logout_user()
            _fresh_session()
            flash(_("Your new password is saved. Please sign in with it."))
            return redirect(url_for("moderate.login"))
    return render_template(
        "moderate/reset_password.html",
        token=token,
        errors=errors,
        min_length=MIN_PASSWORD_LENGTH,
    ), (400 if errors else 200)
