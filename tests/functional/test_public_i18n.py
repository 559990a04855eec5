"""English and Spanish: the language follows a link, a cookie or the browser; all is translated."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from directory.extensions import db
from directory.models import utcnow
from tests.factories import make_group, make_schedule
from tests.functional.public_helpers import empty_search  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "directory" / "translations" / "es" / "LC_MESSAGES"
PAGES = ("/", "/about", "/choosing-a-group", "/privacy", "/search", "/embed", "/nowhere")


def _lang(page: str) -> str:
    return re.search(r'<html lang="(\w+)">', page).group(1)


def test_language_follows_the_browser(client):
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).text
    assert _lang(page) == "es"
    assert "Encuentre un grupo de apoyo entre pares" in page
    page = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
    assert _lang(page) == "en"


@pytest.mark.usefixtures("empty_search")
def test_switcher_link_changes_language_and_a_cookie_keeps_it(client):
    page = client.get("/search?q=duelo&lang=es", headers={"Accept-Language": "en"}).text
    # The search's own "lang" facet (groups meeting in Spanish) is kept, not confused.
    assert 'href="/search?q=duelo&amp;lang=es&amp;locale=es" lang="es" hreflang="es"' in page
    response = client.get("/about?locale=es", headers={"Accept-Language": "en"})
    assert _lang(response.text) == "es"
    assert "locale=es" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    assert "Accept-Language" in response.headers["Vary"]
    later = client.get("/privacy", headers={"Accept-Language": "en"}).text
    assert _lang(later) == "es"
    assert 'href="/privacy?locale=en" lang="en" hreflang="en"' in later
    assert _lang(client.get("/privacy?locale=en").text) == "en"


def test_unknown_language_choice_is_ignored(client):
    response = client.get("/?locale=xx")
    assert _lang(response.text) == "en"
    assert "Set-Cookie" not in response.headers


@pytest.mark.usefixtures("empty_search")
@pytest.mark.parametrize("url", PAGES)
def test_every_page_speaks_spanish_including_the_crisis_line(client, url):
    page = client.get(url, headers={"Accept-Language": "es"}).text
    assert _lang(page) == "es"
    assert "¿En crisis?" in page
    assert "oprima 2 para español" in page
    assert 'href="https://988lineadevida.org/"' in page
    assert "En una emergencia, llame al" in page
    assert "Saltar al contenido principal" in page
    assert "complemento de la atención profesional" in page


def test_group_page_in_spanish_has_dates_schedule_and_labels(client):
    group = make_group(
        audiences=("family-and-friends",),
        languages=("es", "en"),
        verified_at=utcnow().replace(microsecond=0),
        schedules=[
            make_schedule(
                kind="monthly", weekdays="TH", month_weeks="2,-1", start_time=dt.time(18, 30)
            )
        ],
    )
    db.session.commit()
    page = client.get(f"/groups/{group.id}?locale=es").text
    assert "El segundo y último jueves de cada mes, 18:30\N{EN DASH}20:30, hora central" in page
    assert re.search(r"jueves \d{1,2} de \w+, 18:30 C[SD]T", page)
    assert "Familiares y amistades" in page
    assert "Depresión" in page
    assert re.search(r"<dd>(Español, Inglés|Inglés, Español)</dd>", page)
    assert "Confirmado hoy" in page  # "Confirmed today", once the Spanish is filled in
    assert "Añadir al calendario" in page


@pytest.mark.parametrize(
    ("fields", "spanish"),
    [
        (
            {"weekdays": "WE", "interval": 2, "anchor_date": dt.date(2026, 1, 7)},
            "Cada dos semanas, los miércoles, 19:00\N{EN DASH}20:30, hora central",
        ),
        ({"weekdays": "MO,TU,WE,TH,FR"}, "De lunes a viernes, 19:00\N{EN DASH}20:30, hora central"),
        (
            {"kind": "monthly", "weekdays": "SA", "month_weeks": "1"},
            "El primer sábado de cada mes, 19:00\N{EN DASH}20:30, hora central",
        ),
        (
            {"weekdays": "SA,SU"},
            "Todos los sábados y domingos, 19:00\N{EN DASH}20:30, hora central",
        ),
        (
            {"kind": "dates", "weekdays": None, "dates": "2031-03-04,2031-04-01"},
            "4 de marzo de 2031 y 1 de abril de 2031, 19:00\N{EN DASH}20:30, hora central",
        ),
    ],
)
def test_spanish_schedule_descriptions(client, fields, spanish):
    group = make_group(schedules=[make_schedule(**fields)])
    db.session.commit()
    assert spanish in client.get(f"/groups/{group.id}?locale=es").text


def _source_messages() -> set[str]:
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    method_map = [("directory/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trimmed": "true"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_page_string_has_a_spanish_translation():
    with (CATALOG / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    translated = {
        message.id[0] if isinstance(message.id, tuple) else message.id
        for message in catalog
        if message.id
        and "fuzzy" not in message.flags
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = sorted(_source_messages() - translated)
    assert not missing, f"untranslated (run `make messages`, then translate): {missing}"


def _strings(catalog) -> dict:
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id}


def test_compiled_catalog_matches_its_source():
    with (CATALOG / "messages.po").open("rb") as handle:
        source = _strings(read_po(handle, locale="es"))
    with (CATALOG / "messages.mo").open("rb") as handle:
        compiled = _strings(read_mo(handle))
    assert compiled == source, "messages.mo is stale: run `make translations`"
