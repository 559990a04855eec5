"""Fields the listing form needs beyond WTForms' own: a list of checkboxes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """Choose any number of values with checkboxes; a value not offered gets a plain message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Refuse a value that is not one of the choices, in the page's language."""
        offered = {str(choice.value) for choice in self.iter_choices()}
        if any(str(value) not in offered for value in self.data or ()):
            raise ValidationError(_l("Please choose from the list."))


class ChoiceRadioField(RadioField):
    """Choose one of a few values with radio buttons; anything else gets a plain message."""

    def pre_validate(self, form) -> None:
        """Refuse a value that is not one of the choices, in the page's language."""
        if self.data not in {str(choice.value) for choice in self.iter_choices()}:
            raise ValidationError(_l("Please choose one of these."))


def options(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as the choices WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]
