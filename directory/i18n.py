"""Choose each request's language: a ``?locale=`` link, then the cookie, then the browser.

The site speaks English and Spanish. The switcher in the header links to the same page with
``?locale=es``; that choice is kept in a cookie (the only one the public pages set) so that
the next pages follow it. Without a choice, the browser's Accept-Language decides.

The parameter is ``locale`` rather than ``lang`` because ``lang`` is the search's language
facet: ``/search?lang=es`` finds groups that meet in Spanish, whatever the page's language.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Flask, Response, has_request_context, request
from flask_babel import get_locale, refresh

#: Languages the site is translated into, with their names in their own language.
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LOCALE = "en"
PARAM = "locale"
COOKIE = "locale"
COOKIE_MAX_AGE = dt.timedelta(days=365)


def requested_locale() -> str | None:
    """Return the language asked for in the query string, when it is one we speak."""
    value = (request.args.get(PARAM) or "").strip().lower()
    return value if value in LANGUAGES else None


def select_locale() -> str:
    """Return the request's language: the link's choice, the cookie's, or the browser's."""
    if not has_request_context():  # e.g. an email rendered by a command
        return DEFAULT_LOCALE
    chosen = requested_locale()
    if chosen:
        return chosen
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LOCALE)


def current_locale() -> str:
    """Return the language code of the page being rendered."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LOCALE


def switch_url(code: str) -> str:
    """Return the current page's address in language ``code``, keeping its search."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != PARAM]
    args.append((PARAM, code))
    return f"{request.path}?{urlencode(args)}"


def language_links() -> list[dict[str, str]]:
    """Return the switcher's links: every language but the current one."""
    current = current_locale()
    return [
        {"code": code, "name": name, "url": switch_url(code)}
        for code, name in LANGUAGES.items()
        if code != current
    ]


def remember_choice(response: Response) -> Response:
    """Keep a language chosen by link in a cookie; tell caches the page varies by language."""
    chosen = requested_locale()
    if chosen:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=int(COOKIE_MAX_AGE.total_seconds()),
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the selector, and expose the switcher to templates."""
    from directory.extensions import babel

    babel.init_app(app, default_locale=DEFAULT_LOCALE, locale_selector=select_locale)
    # {% trans %} blocks collapse their whitespace, as babel.cfg extracts them.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # Flask-Babel caches the locale on ``g``; forget it at each request so that requests
    # sharing an application context (as tests do) each choose their own language.
    app.before_request(refresh)
    app.after_request(remember_choice)

    @app.context_processor
    def _language_context() -> dict:
        return {"current_locale": current_locale(), "language_links": language_links}
