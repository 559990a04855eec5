"""Help moderators' tests: accounts, signing in without the login page, forms, listings, mail."""

from __future__ import annotations

import datetime as dt
import html
import re
from email.parser import BytesParser
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path

from flask import current_app
from flask_login.utils import _create_identifier
from werkzeug.datastructures import MultiDict

from directory import services
from directory.extensions import db
from directory.models import Moderator, Submission

PASSWORD = "a long enough password for tests"
PLACE = {
    "name": "Lincoln Park Library", "room": "Room 2", "address_1": "1150 W Fullerton Ave",
    "address_2": None, "city": "Chicago", "region": "IL", "postal_code": "60614",
    "country": "US", "latitude": 41.9253, "longitude": -87.6581, "timezone": "America/Chicago",
}  # fmt: skip
TUESDAY = {"kind": "weekly", "weekdays": "TU", "start_time": dt.time(19),
           "end_time": dt.time(20, 30)}  # fmt: skip


def add_moderator(email: str = "ana@example.org", organization_ids=(), admin=False) -> Moderator:
    """Create and commit a moderator account through the services."""
    moderator = services.add_moderator(
        db.session, email, PASSWORD, services.Actor.command("tests"), admin=admin,
        organization_ids=organization_ids,
    )  # fmt: skip
    db.session.commit()
    return moderator


def sign_in(client, moderator: Moderator) -> None:
    """Sign ``moderator`` in on ``client`` as Flask-Login would, with its "strong" protection.

    The session names the user and carries the identifier of the client's address and
    browser, which the test client's own environment gives.
    """
    with current_app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session["_user_id"] = moderator.get_id()
        session["_fresh"] = True
        session["_id"] = identifier


def fields(name: str = "Lincoln Park Grief Circle", **extra) -> dict:
    """Return a new listing's fields as the submission form gives them to the services."""
    values = {
        "name": name,
        "description": "For anyone grieving.",
        "format": "in_person",
        "location": dict(PLACE),
        "schedules": [dict(TUESDAY)],
        "topics": ["grief"],
        "languages": ["en", "es"],
        "organiser_name": "Rosa",
        "organiser_email": "rosa@example.org",
        "contact_email": "circle@example.org",
    }
    values.update(extra)
    return values


def submit(name: str = "Lincoln Park Grief Circle", language: str = "en", **extra) -> Submission:
    """Store and commit a listing sent in on the site, pending review."""
    organization_name = extra.pop("organization_name", None)
    submission = services.submit_group(
        db.session, fields(name, **extra), language=language, organization_name=organization_name
    )
    db.session.commit()
    return submission


def csrf_token(page: str, prefix: str) -> str:
    """Return the CSRF token of the form with ``prefix`` on ``page``."""
    found = re.search(rf'name="{prefix}-csrf_token" type="hidden" value="([^"]+)"', page)
    if found is None:
        found = re.search(rf'name="{prefix}-csrf_token"[^>]*value="([^"]+)"', page)
    assert found is not None, f"no {prefix} form on the page"
    return html.unescape(found[1])


def decide(client, group_id: int, decision: str, prefix: str | None = None, **values):
    """Post a decision's form from the item page, with the page's own CSRF token."""
    prefix = prefix or decision
    page = client.get(f"/moderate/items/{group_id}").text
    data = {f"{prefix}-{name}": value for name, value in values.items()}
    data[f"{prefix}-csrf_token"] = csrf_token(page, prefix)
    return client.post(f"/moderate/items/{group_id}/{decision}", data=data)


def outbox() -> list:
    """Return the messages in the app's outbox, oldest first, parsed."""
    folder = Path(current_app.config["OUTBOX_PATH"])
    parser = BytesParser(policy=default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def body(message) -> str:
    """Return a message's plain text."""
    return message.get_body(("plain",)).get_content()


class _FormReader(HTMLParser):
    """Collect what a browser would send for one form: its fields' values, no buttons."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.values = action, False, []
        self._textarea: str | None = None
        self._select: str | None = None
        self._chosen: list[tuple[str, str]] = []
        self._first_option: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form":
            self.inside = found.get("action") == self.action
        if not self.inside:
            return
        name = found.get("name")
        if tag == "input" and name and found.get("type") not in ("submit", "button"):
            if found.get("type") in ("checkbox", "radio") and "checked" not in found:
                return
            self.values.append((name, found.get("value", "on")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))
        elif tag == "select" and name:
            self._select, self._chosen, self._first_option = name, [], None
        elif tag == "option" and self._select:
            option = (self._select, found.get("value", ""))
            self._first_option = self._first_option or option
            if "selected" in found:
                self._chosen.append(option)

    def handle_data(self, data):
        if self._textarea:
            name, text = self.values[-1]
            self.values[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            name, text = self.values[-1]
            self.values[-1] = (name, text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = self._chosen or ([self._first_option] if self._first_option else [])
            self.values += chosen
            self._select = None


def form_values(page: str, action: str) -> MultiDict:
    """Return what submitting the form posting to ``action`` on ``page`` would send."""
    reader = _FormReader(action)
    reader.feed(page)
    return MultiDict(reader.values)
