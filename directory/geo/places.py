"""Resolve what people type into a place: a ZIP code, "City, ST", a city alone, or a state."""

import difflib
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right

from directory.folding import words

from .gazetteer import Gazetteer, default_gazetteer
from .names import STATE_KEYS, STATE_NAMES, city_key, state_code
from .results import Ambiguous, NotFound, Place, Resolution

#: Longer input is not a place name; refusing it also keeps fuzzy matching cheap.
MAX_QUERY_LENGTH = 100
#: A longer city key cannot be close to any real city name, so it gets no suggestions.
MAX_SUGGESTABLE_KEY = 40
MAX_SUGGESTIONS = 5
#: difflib similarity needed for a suggestion; "chicgo" scores 0.92 against "chicago".
SUGGESTION_CUTOFF = 0.8
#: The most words a state name has ("district of columbia").
MAX_STATE_WORDS = 4

EXAMPLE = 'a ZIP code like 60614, or a city and state like "Chicago, IL"'

_ZIP_ONLY = re.compile(r"([0-9]{5})(?:[-\s]?[0-9]{4})?")
_TRAILING_ZIP = re.compile(r"(?P<rest>.*?)[\s,]+(?P<zip>[0-9]{5})(?:-[0-9]{4})?")
_NUMBERS_ONLY = re.compile(r"[0-9\s.-]+")
#: A ZIP code with a slip of the keyboard: four to six digits and a letter or two ("60699x").
_ZIP_TYPO = re.compile(r"(?=(?:[^0-9]*[0-9]){4,6}[^0-9]*$)(?=(?:[0-9]*[^0-9]){0,2}[0-9]*$)\S+")
#: Letters typed for the digits they look like: "6o614" is 60614.
_DIGIT_LOOKALIKES = str.maketrans("oOlI", "0011")
_COUNTRY = re.compile(
    r"(?:[\s,]+(?:u\.?s\.?(?:a\.?)?|united\s+states(?:\s+of\s+america)?|america))+$", re.IGNORECASE
)


def resolve(text: str, gazetteer: Gazetteer | None = None) -> Resolution:
    """Resolve a ZIP code, a city (with or without its state) or a state; never raise."""
    g = gazetteer or default_gazetteer()
    # NFKC turns the full-width digits some phone keyboards type into "60614".
    query = " ".join(unicodedata.normalize("NFKC", text).split()) if isinstance(text, str) else ""
    if not query:
        return NotFound(query, f"Enter {EXAMPLE}, or a state.")
    if len(query) > MAX_QUERY_LENGTH:
        return NotFound(query[:MAX_QUERY_LENGTH], f"That is too long for a place. Enter {EXAMPLE}.")
    if match := _ZIP_ONLY.fullmatch(query):
        return _zip(query, match[1], g)
    if _NUMBERS_ONLY.fullmatch(query) or _ZIP_TYPO.fullmatch(query):
        digits = re.sub(r"[^0-9]", "", query.translate(_DIGIT_LOOKALIKES))
        return NotFound(query, "A ZIP code has five digits, like 60614.", _close_zips(digits, g))
    rest = _COUNTRY.sub("", query) or query
    if match := _TRAILING_ZIP.fullmatch(rest):
        by_zip = _zip(query, match["zip"], g)
        rest = match["rest"]
        if isinstance(by_zip, Place) or not words(rest):
            return by_zip
    return _by_name(query, rest, g)


def _zip(query: str, code: str, g: Gazetteer) -> Place | NotFound:
    if place := g.zip(code):
        return place
    if where := g.unlocated_zips.get(code):
        city, _, state = where.rpartition(", ")
        nearby = g.cities_named(city_key(words(city)), state)
        return NotFound(
            query,
            f"ZIP code {code} ({where}) is a mailing address with no map location, so we "
            "can't search near it. Try the town or a nearby ZIP code.",
            [place.display for place in nearby],
        )
    return NotFound(
        query,
        f"We couldn't find the ZIP code {code}. Check the number, or enter a city and state.",
        _close_zips(code, g),
    )


def _close_zips(digits: str, g: Gazetteer) -> list[str]:
    """Return the mapped ZIP codes one keystroke from ``digits``, numerically nearest first."""
    if not 4 <= len(digits) <= 6:
        return []
    spellings = {digits} | {digits[:i] + digits[i + 1 :] for i in range(len(digits))}
    spellings |= {
        digits[:i] + digit + digits[i + (len(digits) == 5) :]
        for i in range(len(digits) + 1)
        for digit in "0123456789"
    }
    spellings |= {  # two neighbouring digits swapped
        digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(len(digits) - 1)
    }
    known = [code for code in spellings if len(code) == 5 and code in g.zips]
    target = int(digits[:5].ljust(5, "0"))
    known.sort(key=lambda code: (code != digits, abs(int(code) - target), code))
    return [g.zip(code).display for code in known[:MAX_SUGGESTIONS]]


def _by_name(query: str, text: str, g: Gazetteer) -> Resolution:
    raw_parts = [part.strip() for part in text.split(",")]
    parts = [(raw, part_words) for raw in raw_parts if (part_words := words(raw))]
    if not parts:
        return NotFound(query, f"Enter {EXAMPLE}, or a state.")
    if len(parts) > 1:
        (city_raw, city_words), (state_raw, state_words) = parts[-2], parts[-1]
        if state := state_code(state_words):
            return _city_in_state(query, city_raw, city_words, state, g)
        if state := _close_state(state_words):
            return NotFound(
                query,
                f'We don\'t know a state called "{state_raw}".',
                [p.display for p in g.cities_named(city_key(city_words), state)]
                or [STATE_NAMES[state]],
            )
        # "123 Main St, Chicago IL": the last part may hold the city and state on its own.
        found = _free_words(query, state_words, g)
        if not isinstance(found, NotFound):
            return found
    return _free_words(query, [word for _raw, part in parts for word in part], g)


def _free_words(query: str, text_words: list[str], g: Gazetteer) -> Resolution:
    same_name = g.cities_named(city_key(text_words))
    if state := state_code(text_words):
        return _state(query, state, same_name, g)
    first_guess: tuple[list[str], str] | None = None
    for n in range(min(MAX_STATE_WORDS, len(text_words) - 1), 0, -1):
        if state := state_code(text_words[-n:]):
            if found := g.cities_named(city_key(text_words[:-n]), state):
                return found[0]
            first_guess = first_guess or (text_words[:-n], state)
    if len(same_name) == 1:
        return same_name[0]
    if same_name:
        return Ambiguous(query, same_name)
    if first_guess:
        city_words, state = first_guess
        return _city_in_state(query, " ".join(city_words).title(), city_words, state, g)
    return _nowhere(query, text_words, g)


def _state(query: str, state: str, same_name: list[Place], g: Gazetteer) -> Resolution:
    place = g.state(state)
    if place is None:
        return NotFound(query, f"We have no map locations in {STATE_NAMES[state]}.")
    if not same_name:
        return place
    # "New York" is a state and a city in it: the city comes first. "Washington" the state
    # comes before Washington, DC and the small Washingtons elsewhere.
    inside = [city for city in same_name if city.region == state]
    outside = [city for city in same_name if city.region != state]
    return Ambiguous(query, [*inside, place, *outside])


def _city_in_state(
    query: str, city_raw: str, city_words: list[str], state: str, g: Gazetteer
) -> Resolution:
    if not city_words:
        return _state(query, state, [], g)
    key = city_key(city_words)
    if found := g.cities_named(key, state):
        return found[0]
    if state not in g.states:
        return NotFound(query, f"We have no map locations in {STATE_NAMES[state]}.")
    suggestions = [g.city_in_state[k, state][1] for k in _close_keys(key, state, g)]
    suggestions += [place.display for place in g.cities_named(key)[:3]]
    return NotFound(
        query,
        f'We couldn\'t find "{city_raw}" in {STATE_NAMES[state]}.',
        list(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS],
    )


def _nowhere(query: str, text_words: list[str], g: Gazetteer) -> NotFound:
    key = city_key(text_words)
    if not key:
        return NotFound(query, f"Enter {EXAMPLE}, or a state.")
    suggestions = [
        place.display for close in _close_keys(key, "", g) for place in g.cities_named(close)[:2]
    ]
    if state := _close_state(text_words):
        suggestions.insert(0, STATE_NAMES[state])
    return NotFound(
        query,
        f'We couldn\'t find a place called "{query}". Enter {EXAMPLE}.',
        suggestions[:MAX_SUGGESTIONS],
    )


def _close_keys(key: str, state: str, g: Gazetteer) -> list[str]:
    if len(key) > MAX_SUGGESTABLE_KEY:
        return []
    pool = g.suggestion_keys.get(state, [])  # sorted by length
    # A ratio of 2 * matches / (len(a) + len(b)) >= cutoff is impossible unless the shorter
    # string is at least cutoff / (2 - cutoff) of the longer, so only that window is scored.
    shortest = math.ceil(len(key) * SUGGESTION_CUTOFF / (2 - SUGGESTION_CUTOFF))
    longest = math.floor(len(key) * (2 - SUGGESTION_CUTOFF) / SUGGESTION_CUTOFF)
    window = pool[bisect_left(pool, shortest, key=len) : bisect_right(pool, longest, key=len)]
    return difflib.get_close_matches(key, window, n=MAX_SUGGESTIONS, cutoff=SUGGESTION_CUTOFF)


_STATE_NAME_KEYS = [key for key in STATE_KEYS if len(key) > 2]


def _close_state(text_words: list[str]) -> str | None:
    key = "".join(text_words)
    if len(key) <= 2 or len(key) > MAX_SUGGESTABLE_KEY:
        return None
    close = difflib.get_close_matches(key, _STATE_NAME_KEYS, n=1, cutoff=SUGGESTION_CUTOFF)
    return STATE_KEYS[close[0]] if close else None


def by_state(candidates: list[Place]) -> list[tuple[str, list[Place]]]:
    """Group places by state, states in alphabetical order, each keeping the places' order."""
    groups: dict[str, list[Place]] = {}
    for place in candidates:
        groups.setdefault(STATE_NAMES.get(place.region or "", place.region or ""), []).append(place)
    return sorted(groups.items())
