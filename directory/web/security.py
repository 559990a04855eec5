"""Add security headers to every response, and keep searches out of the access log.

No page may be shown inside another site's frame (``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``), except the endpoints in ``FRAMABLE_ENDPOINTS`` (the search at
/embed), which the origins in DIRECTORY_EMBED_ORIGINS may frame; with none configured they
are refused like every other page.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

#: Policy parts; img-src gains the map's tile server when one is configured.
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # a form post over HTTPS needs it for CSRF
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: Endpoints a partner's page may show in an iframe, from DIRECTORY_EMBED_ORIGINS only.
FRAMABLE_ENDPOINTS = frozenset({"embed.search"})

#: Sent only over HTTPS (browsers ignore it over HTTP): two years, subdomains included.
HSTS = "max-age=63072000; includeSubDomains"

# Werkzeug logs the path after turning %22 and %27 back into quotes, so the query string
# runs to the next space, whatever it holds.
_QUERY_STRING = re.compile(r"\?\S*")
_CLIENT_ADDRESS = re.compile(r"^\S+ - - ")
#: Paths that carry a signed link's token: whoever reads the log could use the link.
_SECRET_PATH = re.compile(r"(/moderate/reset/|/submit/answer/|/manage/)[^\s?\"/]+")


def without_secrets(text: str) -> str:
    """Replace the token of a signed link (password reset, answer page, manage link) with '…'."""
    return _SECRET_PATH.sub(r"\1…", text)


def tile_origin(tile_url: str | None) -> str | None:
    """Return the CSP source for a tile URL template: '{s}.tile.example' -> '*.tile.example'."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    if "*" in host:
        host = "*." + host[host.rindex("*") + 1 :].lstrip(".-")
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str | None = None, framers: tuple[str, ...] = ()) -> str:
    """Build the Content-Security-Policy: no inline scripts or styles, nothing third-party.

    ``framers`` are the origins (already checked by ``config.embed_origins``) allowed to
    show the page in a frame; with none, no site may.
    """
    directives = dict(CSP_DIRECTIVES)
    origin = tile_origin(tile_url)
    if origin:
        directives["img-src"] += f" {origin}"
    if framers:
        directives["frame-ancestors"] = " ".join(framers)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(response: Response) -> Response:
    """Set the headers unless a view chose its own; let partners frame only the embed."""
    framable = request.endpoint in FRAMABLE_ENDPOINTS
    framers = current_app.config.get("EMBED_ORIGINS", ()) if framable else ()
    if framers:
        policy = content_security_policy(current_app.config.get("TILE_URL"), framers)
        response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("Content-Security-Policy", current_app.config["CSP"])
    for name, value in SECURITY_HEADERS.items():
        # X-Frame-Options cannot name a list of sites: frame-ancestors alone speaks for them.
        if not (framers and name == "X-Frame-Options"):
            response.headers.setdefault(name, value)
    # request.is_secure is honest behind a proxy only with DIRECTORY_PROXY_HOPS (ProxyFix).
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


class PrivateAccessLog(logging.Filter):
    """Drop query strings, client addresses and signed links' tokens from access-log lines.

    A search's words and place travel in the query string (``/search?q=grief&near=60614``);
    werkzeug's request log would otherwise write them, with the person's address, to the
    console and to any log file that collects it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message without the private parts; always keep the record."""
        message = record.getMessage()
        cleaned = _CLIENT_ADDRESS.sub("- - - ", without_secrets(_QUERY_STRING.sub("", message)))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install_log_filter(logger_name: str = "werkzeug") -> None:
    """Attach PrivateAccessLog to the access logger once."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, PrivateAccessLog) for f in logger.filters):
        logger.addFilter(PrivateAccessLog())


def init_app(app: Flask) -> None:
    """Register the header hook on ``app`` and make the access log private."""
    app.config.setdefault("CSP", content_security_policy(app.config.get("TILE_URL")))
    app.after_request(add_security_headers)
    install_log_filter()
