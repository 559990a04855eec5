"""Keep a failed statement's row out of its error message, on every database.

``hide_parameters`` (config) keeps the statement's values out of SQLAlchemy's message, but
PostgreSQL adds its own detail: "Failing row contains (..., organiser@example.org, ...)",
"Key (email)=(...) already exists". The message is cut to its first line, which names the
table and constraint, before the error is raised, logged or printed in a traceback.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext

#: SQLSTATE class of data exceptions, whose first line may quote the value it could not use
#: ('invalid input syntax for type integer: "..."').
DATA_EXCEPTION = "22"


def private_message(message: str, sqlstate: str | None = None) -> str:
    """Return a database error message without the values it quotes."""
    first = message.strip().split("\n", 1)[0].strip()
    if (sqlstate or "").startswith(DATA_EXCEPTION):
        first = first.split(":", 1)[0]
    return first


def scrub(context: ExceptionContext) -> None:
    """Rewrite the driver's error in place, so its cause in a traceback is scrubbed too."""
    error = context.original_exception
    if not error.args or not isinstance(error.args[0], str):
        return
    original = error.args[0]
    cleaned = private_message(original, getattr(error, "sqlstate", None))
    if cleaned == original:
        return
    error.args = (cleaned, *error.args[1:])
    # SQLAlchemy's own error copied the driver's message when it was made.
    wrapped = context.sqlalchemy_exception
    if wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
        wrapped.args = (wrapped.args[0].replace(original, cleaned), *wrapped.args[1:])


def init_app(app: Flask) -> None:
    """Scrub the errors of the app's database engine."""
    from directory.extensions import db

    with app.app_context():
        if not event.contains(db.engine, "handle_error", scrub):
            event.listen(db.engine, "handle_error", scrub)
