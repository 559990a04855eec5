"""The base of every form on the site: text arrives without control characters.

Nobody means to type a NUL or an escape character, and PostgreSQL refuses NUL in text (a
500 where a person should get their page back). Every text field of every form drops them
before validation; line breaks and tabs stay.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(text):
    """Return ``text`` without control characters (anything not text is returned as is)."""
    return _CONTROL.sub("", text) if isinstance(text, str) else text


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose text fields drop control characters."""

    class Meta:
        """Add ``plain`` to the filters of every text field as it is bound."""

        def bind_field(self, form, unbound_field, options):
            """Bind the field, with ``plain`` first among a text field's filters."""
            if issubclass(unbound_field.field_class, StringField | TextAreaField):
                options["filters"] = (plain, *unbound_field.kwargs.get("filters", ()),
                                      *options.get("filters", ()))  # fmt: skip
            return unbound_field.bind(form=form, **options)
