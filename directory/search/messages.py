"""Say what is wrong with a search in words a person reads, never a parameter's name.

Each message is an English msgid that the pages translate when they render it
(``_(error.said, **error.said_args)``); ``N_`` only marks it for ``pybabel extract``, so the
search package stays free of Flask-Babel. The API keeps its own English message and ``param``.
"""

from __future__ import annotations


# ``N_`` is a name ``pybabel extract`` looks for by default.
def N_(message: str) -> str:
    """Mark a message for translation and return it unchanged."""
    return message


TEXT_TOO_LONG = N_("Please keep your words under %(count)s characters.")
PLACE_TOO_LONG = N_("Please keep the place under %(count)s characters.")
LOCATION = N_(
    "We could not use the location your device gave. Please give a ZIP code or a city and state."
)
UNIT = N_("Please choose miles or kilometers for the distance.")
DISTANCE_MILES = N_("Distance must be between %(low)s and %(high)s miles.")
DISTANCE_KM = N_("Distance must be between %(low)s and %(high)s kilometers.")
SORT = N_("That order is not one we offer. Please choose one from the list.")
SORT_NEEDS_PLACE = N_(
    "To see the nearest groups first, please give a ZIP code or a city and state."
)
TIME_ZONE = N_("We could not use the time zone your device gave.")
PAGE = N_("That page number is not one we have.")
PER_PAGE = N_("Please choose between %(low)s and %(high)s groups a page.")
ONLINE = N_("Please choose whether to include groups that meet online.")
GENERIC = N_("Please check the search and try again.")

#: What to say when a part of the search cannot be used and nothing more precise was given:
#: an unknown facet value (found by the vocabulary), a parameter given twice.
FALLBACK = {
    "q": N_("We could not use the words of this search. Please type them once."),
    "near": N_(
        "We could not use the place of this search. Please give a ZIP code or a city and state."
    ),
    "lat": LOCATION,
    "lon": LOCATION,
    "radius": N_("We could not use the distance of this search. Please choose one from the list."),
    "unit": UNIT,
    "topic": N_("That topic is not one we list. Please choose a topic from the filters."),
    "audience": N_("We do not list groups for those people. Please choose from the filters."),
    "format": N_("Please choose how the group meets: in person, online, hybrid or by phone."),
    "day": N_("That day is not one we know. Please choose a day of the week."),
    "time": N_("Please choose a time of day: morning, afternoon or evening."),
    "lang": N_("That language is not one we list. Please choose a language from the filters."),
    "cost": N_("Please choose what a group may cost: free, donation or fee."),
    "access": N_(
        "That accessibility feature is not one we list. Please choose one from the filters."
    ),
    "org": N_("That organization is not one we list."),
    "sort": SORT,
    "tz": TIME_ZONE,
    "online": ONLINE,
    "page": PAGE,
    "per_page": N_("We could not use the number of groups a page. Please choose from the list."),
}
