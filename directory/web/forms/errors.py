"""List a form's messages for the summary at the top of a page, each linked to its field."""

from __future__ import annotations


def error_links(form) -> list[tuple[str, str]]:
    """Return (field id, message) for every error, in page order, for the summary's links."""
    found = []
    for field in form:
        if field.type == "FieldList":
            for entry in field:
                found += error_links(entry.form)
        elif field.errors and field.type != "CSRFTokenField":
            listed = field.type in ("ChoiceRadioField", "MultiCheckboxField")
            found += [(f"{field.id}-0" if listed else field.id, str(message))
                      for message in field.errors]  # fmt: skip
    return found
