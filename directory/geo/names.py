"""Normalise place names and hold the table of US states and territories."""

import re

from directory.folding import words

#: Two-letter USPS code to name for every state, DC and the inhabited territories.
#: The military "states" AA, AE and AP are left out on purpose: they have no map location.
STATE_NAMES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
    "GU": "Guam",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
    "FM": "Federated States of Micronesia",
    "MH": "Marshall Islands",
    "PW": "Palau",
}

#: Abbreviations people and the USPS use inside city names, expanded before comparing.
#: Applied to city words only, never to the state part ("Mt" alone is Montana).
ABBREVIATIONS: dict[str, str] = {
    "st": "saint",
    "ste": "sainte",
    "ft": "fort",
    "mt": "mount",
    "mtn": "mountain",
    "pt": "point",
    "hts": "heights",
    "spg": "springs",
    "spgs": "springs",
    "jct": "junction",
    "twp": "township",
    "vlg": "village",
    "ctr": "center",
    "cty": "city",
    "lk": "lake",
    "bch": "beach",
    "hbr": "harbor",
    "pk": "park",
    "vly": "valley",
    "hls": "hills",
    "fls": "falls",
}

#: One-letter compass points, expanded only as the first word ("N Little Rock").
DIRECTIONS: dict[str, str] = {"n": "north", "s": "south", "e": "east", "w": "west"}

_MC = re.compile(r"\bMc([a-z])")


def city_key(city_words: list[str]) -> str:
    """Build the comparison key for a city name from its words.

    Abbreviations are expanded and spaces dropped, so "St. Louis", "Saint Louis" and
    "SaintLouis" share a key, as do "Winston-Salem" and "Winston Salem".
    """
    expanded = [ABBREVIATIONS.get(word, word) for word in city_words]
    if len(expanded) > 1 and expanded[0] in DIRECTIONS:
        expanded[0] = DIRECTIONS[expanded[0]]
    return "".join(expanded)


def tidy_city_name(name: str) -> str:
    """Restore capitals the data lost, as in "Winston-Salem" and "McKinney"."""
    name = "-".join(part[:1].upper() + part[1:] for part in name.split("-"))
    return _MC.sub(lambda match: "Mc" + match[1].upper(), name)


def _state_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in STATE_NAMES.items():
        lookup[code.lower()] = code
        lookup["".join(words(name))] = code
    lookup["virginislands"] = "VI"
    lookup["usvirginislands"] = "VI"
    lookup["micronesia"] = "FM"
    return lookup


#: Folded, space-free state name or code to its two-letter code.
STATE_KEYS: dict[str, str] = _state_lookup()


def state_code(text_words: list[str]) -> str | None:
    """Return the state code that the given words name, or None."""
    return STATE_KEYS.get("".join(text_words))
