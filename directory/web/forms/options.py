"""The choices the listing form offers: terms, languages, time zones, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import taxonomy
from directory.models import Organization
from directory.web import words

#: Languages offered as checkboxes, most asked for first (those the Language table has).
COMMON_LANGUAGES = ("en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "fr", "ht", "pt", "pl")
#: Time zones offered for meeting times; a place's own zone is added when it is another.
US_ZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico",
)  # fmt: skip
#: How many organisation names the host field suggests.
ORGANIZATION_SUGGESTIONS = 500


@dataclass
class ListingChoices:
    """What a listing form offers: (value, label) pairs per field, and organisation names."""

    topics: list[tuple[str, str]] = field(default_factory=list)
    audiences: list[tuple[str, str]] = field(default_factory=list)
    accessibility: list[tuple[str, str]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)


def listing_choices(session: Session, keep_languages: tuple[str, ...] = ()) -> ListingChoices:
    """Read the form's choices from the database, labelled in the page's language.

    ``keep_languages`` adds languages beyond the common ones (a listing's own, when a form
    is filled from it), so nothing it has is dropped on saving.
    """
    chosen = ListingChoices()
    vocabularies = {"topic": chosen.topics, "audience": chosen.audiences,
                    "accessibility": chosen.accessibility}  # fmt: skip
    for vocabulary, slug, english, _spanish, _synonyms in taxonomy.term_rows(session):
        if vocabulary in vocabularies:
            vocabularies[vocabulary].append((slug, words.term_label(vocabulary, slug, english)))
    known = {code: name for code, name, _native in taxonomy.language_rows(session)}
    wanted = list(dict.fromkeys((*COMMON_LANGUAGES, *keep_languages)))
    chosen.languages = [(code, words.language_name(code, known[code])) for code in wanted
                        if code in known]  # fmt: skip
    names = select(Organization.name).order_by(Organization.name).limit(ORGANIZATION_SUGGESTIONS)
    chosen.organizations = list(dict.fromkeys(session.scalars(names)))
    return chosen


def zone_choices(*extra: str | None) -> list[tuple[str, str]]:
    """Return the time zones to offer: the US ones, plus any other ``extra`` valid ones."""
    keys = list(US_ZONES) + [key for key in extra if key and key not in US_ZONES]
    return [(key, zone_label(key)) for key in keys]


def zone_label(key: str) -> str:
    """Name a zone so two with one name differ: 'Mountain Time (Phoenix)'."""
    return f"{words.zone_name(key)} ({key.rsplit('/', 1)[-1].replace('_', ' ')})"
