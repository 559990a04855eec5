"""Read the loose values people put in files: choices, yes/no, dates, countries, contacts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from directory.folding import fold
from directory.models import Cost, Facilitation, Format, JoinVisibility, OrgKind

#: What people write for each choice, folded (lower case, punctuation as spaces).
FORMAT_WORDS = {
    Format.IN_PERSON: ("in person", "inperson", "face to face", "on site", "onsite", "physical"),
    Format.ONLINE: ("online", "virtual", "video", "zoom", "remote", "web"),
    Format.HYBRID: ("hybrid", "in person and online", "online and in person", "both"),
    Format.PHONE: ("phone", "telephone", "call in", "conference call", "by phone"),
}
COST_WORDS = {
    Cost.FREE: ("free", "no cost", "none", "0", "no charge", "no fee"),
    Cost.DONATION: ("donation", "donations", "donation welcome", "donations welcome",
                    "suggested donation", "pay what you can", "voluntary contribution"),
    Cost.FEE: ("fee", "fees", "paid", "charge", "sliding scale"),
}  # fmt: skip
FACILITATION_WORDS = {
    Facilitation.PEER: ("peer", "peer led", "peers", "lived experience", "volunteer"),
    Facilitation.PROFESSIONAL: ("professional", "professionally led", "clinician",
                                "therapist", "counselor", "counsellor", "staff"),
    Facilitation.CO: ("co", "co facilitated", "co led", "peer and professional", "mixed"),
}  # fmt: skip
VISIBILITY_WORDS = {
    JoinVisibility.PUBLIC: ("public", "yes", "shown"),
    JoinVisibility.ON_REQUEST: ("on request", "private", "request", "hidden", "no"),
}
TRUE_WORDS = ("yes", "y", "true", "t", "1", "required", "x", "registration required")
FALSE_WORDS = ("no", "n", "false", "f", "0", "not required", "none", "drop in", "walk in")

#: Country names and codes people use, folded, to ISO 3166 alpha-2.
COUNTRIES = {
    "us": "US", "usa": "US", "u s": "US", "u s a": "US", "united states": "US",
    "united states of america": "US", "america": "US",
    "ca": "CA", "can": "CA", "canada": "CA",
    "mx": "MX", "mex": "MX", "mexico": "MX",
    "gb": "GB", "uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB",
}  # fmt: skip

#: Words in an organisation's name that say what kind of host it is, most telling first.
ORG_KIND_WORDS = (
    (OrgKind.NAMI, ("nami", "national alliance on mental illness")),
    (OrgKind.DBSA, ("dbsa", "depression and bipolar support alliance")),
    (OrgKind.MHA, ("mha", "mental health america")),
    (OrgKind.HOSPITAL, ("hospital", "medical center", "health system", "clinic", "healthcare")),
    (OrgKind.COMMUNITY, ("community center", "community centre", "ymca", "library", "church")),
)

_SPACES = re.compile(r"\s+")


class ValueProblem(ValueError):
    """A value that cannot be used; ``privately()`` says why without repeating it."""

    def __init__(self, noun: str, given: str, reason: str, detail: str | None = None) -> None:
        """Keep the parts; the message shows the value, as a report of public fields may."""
        self.noun, self.reason = noun, reason
        super().__init__(f"{noun} {given!r} {reason}" + (f" ({detail})" if detail else ""))

    def privately(self) -> str:
        """Return the message without the value, for a private field."""
        return f"{self.noun} {self.reason}"


def text(value: Any, *, multiline: bool = False) -> str | None:
    """Return a value as stripped text, with runs of spaces collapsed, or None when empty."""
    if value is None:
        return None
    value = str(value).replace("\r\n", "\n").strip()
    if not multiline:
        value = _SPACES.sub(" ", value)
    return value or None


def choice(value: Any, words: dict, noun: str) -> str | None:
    """Return the canonical value a person's word stands for; raise ValueError if none."""
    cleaned = text(value)
    if cleaned is None:
        return None
    key = fold(cleaned)
    for canonical, spellings in words.items():
        if key == fold(canonical.value) or key in spellings:
            return canonical.value
    allowed = ", ".join(member.value for member in words)
    raise ValueError(f"{noun} {cleaned!r} is not one of {allowed}")


def boolean(value: Any, noun: str) -> bool | None:
    """Return a yes/no value, or None when empty; raise ValueError when it is neither."""
    if isinstance(value, bool) or value is None:
        return value
    key = fold(str(value))
    if not key:
        return None
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise ValueError(f"{noun} {str(value)[:40]!r} is not yes or no")


def date_value(value: Any, noun: str) -> dt.date | None:
    """Read a date written as 2026-01-05, 1/5/2026 or "Jan 5, 2026"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    cleaned = text(value)
    if cleaned is None:
        return None
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y"):
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(cleaned.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"{noun} {cleaned[:40]!r} is not a date like 2026-01-05") from None


def moment(value: Any, noun: str) -> dt.datetime | None:
    """Read a date or date-time as an aware UTC datetime (a bare date is midnight UTC)."""
    cleaned = text(value)
    if cleaned is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        parsed = dt.datetime.combine(date_value(cleaned, noun), dt.time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


_CLOCK_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def clock_time(value: Any, noun: str) -> dt.time | None:
    """Read a 24-hour time like 19:30 or 19:30:00 (a trailing offset is ignored)."""
    found = text(value)
    if found is None:
        return None
    match = _CLOCK_TIME.match(found)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"{noun} {found[:20]!r} is not a time like 19:30")
    return dt.time(int(match[1]), int(match[2]))


def country(value: Any) -> str | None:
    """Return an ISO 3166 two-letter country code; raise ValueError for one we cannot read."""
    cleaned = text(value)
    if cleaned is None:
        return None
    key = fold(cleaned)
    if key in COUNTRIES:
        return COUNTRIES[key]
    if re.fullmatch(r"[a-z]{2}", key):
        return key.upper()
    raise ValueError(f"country {cleaned[:40]!r} is not a two-letter code such as US or CA")


def guess_org_kind(name: str) -> str:
    """Guess what kind of host an organisation is from its name."""
    key = f" {fold(name)} "
    for kind, phrases in ORG_KIND_WORDS:
        if any(f" {phrase} " in key for phrase in phrases):
            return kind.value
    return OrgKind.OTHER.value


def scalar_text(value: Any, noun: str, *, multiline: bool = False) -> str | None:
    """Return text as ``text`` does; raise ValueError for a list, object or yes/no value."""
    if value is None or isinstance(value, str):
        return text(value, multiline=multiline)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{noun} must be text")
    return text(value)


def url_problem(address: str) -> str | None:
    """Return why ``address`` cannot be a link on a page, or None when it can.

    Browsers and servers read a user name, a password or a backslash before the host in
    different ways (``http://example.org@evil.example/`` goes to evil.example), so a link
    holding one could lead somewhere other than it appears to.
    """
    if any(ord(character) <= 0x20 or ord(character) == 0x7F for character in address):
        return "has spaces or control characters in it"
    if "\\" in address:
        return "has a backslash in it"
    try:
        parts = urlsplit(address)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return "is not a web address"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok:
        return "is not a web address"
    if "@" in parts.netloc:
        return "has a user name or password before the host"
    return None


def url(value: Any, noun: str) -> str | None:
    """Return a web address, adding https:// to a bare domain; raise ValueError if not one."""
    cleaned = scalar_text(value, noun)
    if cleaned is None:
        return None
    if "://" not in cleaned and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", cleaned):
        cleaned = f"https://{cleaned}"
    problem = url_problem(cleaned)
    if problem == "has a user name or password before the host":
        # Not repeated: the report would carry the password.
        raise ValueError(f"{noun} {problem}; give the address without it")
    if problem:
        raise ValueError(f"{noun} {cleaned[:60]!r} {problem}")
    return cleaned


def email(value: Any, noun: str) -> str | None:
    """Return an email address in normal form; raise ValueError if it is not one."""
    cleaned = scalar_text(value, noun)
    if cleaned is None:
        return None
    try:
        return validate_email(cleaned, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueProblem(noun, cleaned[:60], "is not an email address", str(error)) from None


#: How a phone number is written: digits with spaces, dots, dashes, slashes or brackets, a
#: leading +, then perhaps an extension and the pauses and codes dialled once connected
#: ("+13125550199,,123456#"). Anything else (letters, "@", "=") is not a number to dial.
_PHONE_SHAPE = re.compile(
    r"\+?\s*\(?\d[\d\s().\-/]*"
    r"(?:\s*(?:ext\.?|extension|x|\#)\s*\d{1,7})?"
    r"(?:[,;]+[\d*\#]*)*",
    re.IGNORECASE,
)


def phone(value: Any, noun: str, region: str | None = "US") -> str | None:
    """Return a phone number as written, once checked that it could be dialled."""
    cleaned = scalar_text(value, noun)
    if cleaned is None:
        return None
    cleaned = cleaned.strip("\"'")
    if not isinstance(region, str) or not region:
        region = "US"
    try:
        number = phonenumbers.parse(cleaned, region)
    except (phonenumbers.NumberParseException, TypeError):
        number = None
    # The parser finds a number inside other text ("@312 555 0144"), so the whole value must
    # also be written as one (checked after parsing, which refuses anything very long).
    if (
        number is None
        or not phonenumbers.is_possible_number(number)
        or _PHONE_SHAPE.fullmatch(cleaned) is None
    ):
        raise ValueProblem(noun, cleaned[:40], "is not a phone number")
    return cleaned


def number(value: Any, noun: str) -> float | None:
    """Return a number from a number or its text, or None when empty."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(f"{noun} {value!r} is not a number")
        return None
    if isinstance(value, int | float):
        return float(value)
    cleaned = text(value)
    if cleaned is None:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"{noun} {cleaned[:40]!r} is not a number") from None
