"""Answer only to the host names in DIRECTORY_TRUSTED_HOSTS, and refuse the rest calmly.

Each entry names a host the site answers to, matched without regard to case (and, like
werkzeug, after IDNA encoding, so ``bücher.example`` matches ``xn--bcher-kva.example``):

- ``groups.example.org`` accepts that host on any port;
- ``groups.example.org:8443`` accepts it only on port 8443 (a Host without a port is on the
  scheme's own port, 80 or 443);
- ``.example.org`` accepts example.org and every name under it, on any port;
- ``[2001:db8::1]`` and ``127.0.0.1:8000``: IP addresses, with or without a port.

A request naming any other Host, or a Host that is not a host name at all, gets the site's
own "could not handle that request" page (JSON under /api/), status 400. Flask's own check
is not used: it compares case-sensitively, ignores ports, and refuses before the site can
build its page, so the person would see a bare error.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Request, request
from werkzeug.exceptions import SecurityError
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wsgi import get_host

#: What a refused request's Host becomes, so nothing built for it can name the sent host
#: (``.invalid`` is reserved for names that never resolve, RFC 2606).
PLACEHOLDER_HOST = "refused-host.invalid"
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True)
class HostRule:
    """One trusted host: an IDNA, lower-case name, a port (None: any) and its subdomains."""

    name: str
    port: int | None = None
    subdomains: bool = False

    def allows(self, name: str, port: int) -> bool:
        """Return whether a request for ``name`` on ``port`` is one this rule trusts."""
        if self.port is not None and port != self.port:
            return False
        return name == self.name or (self.subdomains and name.endswith("." + self.name))


def _split(host: str) -> tuple[str, int | None]:
    """Split 'name:port' or '[v6]:port' into a name and a port (None when there is none)."""
    if host.startswith("["):
        name, _, rest = host.partition("]")
        name, port = name + "]", rest.removeprefix(":")
    elif host.count(":") == 1:
        name, _, port = host.partition(":")
    else:
        name, port = host, ""
    if port and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"{port!r} is not a port")
    return name, int(port) if port else None


def _idna(name: str) -> str:
    """Return a host name IDNA-encoded and in lower case; raise ValueError if it is not one."""
    name = name.strip().lower().removesuffix(".")
    try:
        encoded = name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError(f"{name!r} is not a host name") from None
    if not host_is_trusted(encoded):  # werkzeug's check of the characters a host may hold
        raise ValueError(f"{name!r} is not a host name")
    return encoded


def parse_rule(entry: str) -> HostRule:
    """Read one DIRECTORY_TRUSTED_HOSTS entry; raise ValueError for one that is not a host."""
    text = entry.strip()
    subdomains = text.startswith(".")
    name, port = _split(text.removeprefix("."))
    return HostRule(_idna(name), port, subdomains)


def parse_rules(entries: list[str] | tuple[str, ...] | str | None) -> tuple[HostRule, ...]:
    """Read the configured entries (a list, or one comma-separated string)."""
    if isinstance(entries, str):
        entries = entries.split(",")
    try:
        return tuple(parse_rule(entry) for entry in entries or () if entry.strip())
    except ValueError as error:
        raise ValueError(f"DIRECTORY_TRUSTED_HOSTS: {error}") from None


def host_allowed(environ: dict, rules: tuple[HostRule, ...]) -> bool:
    """Return whether the Host a request names may be answered.

    Without rules any host name is, but never a Host that is not one (empty, a space, a
    slash, an empty or overlong label), which would otherwise break the page's links.
    """
    header = environ.get("HTTP_HOST")
    if header is not None and not host_is_trusted(header):  # werkzeug's check of its shape
        return False
    host = get_host(environ)  # the Host header, else the server's address, default port cut
    if not host:
        return header is None and not rules
    try:
        name, port = _split(host)
        name = _idna(name)
    except ValueError:
        return False
    if not rules:
        return True
    scheme = environ.get("wsgi.url_scheme", "http")
    port = port or DEFAULT_PORTS.get(scheme, 80)
    return any(rule.allows(name, port) for rule in rules)


class GuardedRequest(Request):
    """A request whose Host is checked before anything reads it; a refused one is replaced."""

    host_rules: tuple[HostRule, ...] = ()
    host_refused: bool = False

    def __init__(self, environ: dict, *args, **kwargs) -> None:
        """Check the Host; a refused one is swapped for a placeholder the page can be built on."""
        if not host_allowed(environ, self.host_rules):
            environ["HTTP_HOST"] = PLACEHOLDER_HOST
            self.host_refused = True
        super().__init__(environ, *args, **kwargs)


def refuse_untrusted_host() -> None:
    """Answer a request for a refused Host with a 400 and the site's error page."""
    if getattr(request, "host_refused", False):
        raise SecurityError("This site does not answer to that host name.")


def init_app(app: Flask) -> None:
    """Check every request's Host against TRUSTED_HOSTS, in place of Flask's own check."""
    rules = parse_rules(app.config.get("TRUSTED_HOSTS"))
    app.config["TRUSTED_HOSTS"] = None  # Flask's check would refuse before our page exists
    app.config["TRUSTED_HOST_RULES"] = rules
    app.request_class = type("DirectoryRequest", (GuardedRequest,), {"host_rules": rules})
    app.before_request(refuse_untrusted_host)
