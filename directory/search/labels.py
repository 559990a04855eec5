"""Own every fixed label of a search: closed facets' values, the filters' titles, the orders.

One English msgid per value, marked with ``N_`` so ``pybabel extract`` finds it and the
search package stays free of Flask-Babel. The engine answers these msgids (the API's words,
in English); the pages translate the same msgids (``directory.web.words``), so the API and a
page both call a hybrid group "In person and online". Topics, audiences, accessibility
features and languages are labelled by the taxonomy (English and Spanish in the database).
"""

from __future__ import annotations

from directory.search.messages import N_
from directory.search.schema import COSTS, DAYS, FORMATS, TIMES

FORMAT = {
    "in_person": N_("In person"),
    "online": N_("Online"),
    "hybrid": N_("In person and online"),
    "phone": N_("By phone"),
}
COST = {"free": N_("Free"), "donation": N_("Donation welcome"), "fee": N_("Fee")}
DAY = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
TIME = {"morning": N_("Morning"), "afternoon": N_("Afternoon"), "evening": N_("Evening")}
#: Labels of the facets whose values are a closed set.
CLOSED = {"format": FORMAT, "day": DAY, "time": TIME, "cost": COST}
#: The orders a search offers (``query.SORTS``), as the results page names them.
SORT = {
    "relevance": N_("Best match"),
    "distance": N_("Nearest first"),
    "soonest": N_("Meeting soonest"),
}
#: Facet name -> its heading on the results page, in the order the filters are shown.
FACET_TITLES = {
    "topic": N_("Topic"),
    "audience": N_("Who it is for"),
    "format": N_("How it meets"),
    "day": N_("Day"),
    "time": N_("Time of day"),
    "lang": N_("Language"),
    "cost": N_("Cost"),
    "access": N_("Accessibility"),
    "org": N_("Organisation"),
}
#: Facets whose values are taxonomy slugs -> the taxonomy's vocabulary.
TAXONOMY_FACETS = {"topic": "topic", "audience": "audience", "access": "accessibility"}

assert tuple(FORMAT) == FORMATS and tuple(COST) == COSTS
assert tuple(DAY) == DAYS and tuple(TIME) == TIMES
