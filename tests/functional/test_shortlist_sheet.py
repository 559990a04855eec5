"""The referral sheet: everything a patient needs per group, in the language chosen for it."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from directory.extensions import db
from tests.factories import make_group, make_organization, make_schedule, terms

EASTERN = "America/New_York"


@pytest.fixture
def groups(app):
    """Return an in-person group with every public detail, and an online one."""
    host = make_organization(name="Lakeside NAMI", website="https://nami.example.org")
    in_person = make_group(
        name="Lincoln Park Grief Circle",
        organization=host,
        contact_name="Ana",
        contact_phone="(312) 555-0142",
        contact_email="grief@example.org",
        website="https://grief.example.org",
        cost="donation",
        cost_note="$5 suggested",
        registration_required=True,
        languages=("en", "es"),
        organiser_name="Private Person",
        organiser_email="private.organiser@example.org",
        organiser_phone="(312) 555-0199",
    )
    in_person.accessibility = terms("accessibility", "wheelchair")
    online = make_group(
        name="Evening Grief Online",
        format="online",
        timezone="America/New_York",
        join_url="https://meet.example.org/grief",
        join_instructions="Passcode 4455",
        schedules=[
            make_schedule(weekdays="TH", start_time=dt.time(18), timezone="America/New_York")
        ],
    )
    hidden_join = make_group(
        name="Quiet Online Circle",
        format="online",
        join_url="https://meet.example.org/secret-room",
        join_visibility="on_request",
    )
    db.session.commit()
    return in_person, online, hidden_join


def _page(client, *groups, **extra) -> str:
    query = "&".join([f"id={g.id}" for g in groups] + [f"{k}={v}" for k, v in extra.items()])
    return unescape(client.get(f"/list?{query}").get_data(as_text=True))


def _sheet(page: str) -> str:
    return page[page.index('<article class="sheet"') :]


def test_the_sheet_gives_each_group_what_a_patient_needs(client, groups):
    in_person, _online, _hidden = groups
    sheet = _sheet(_page(client, in_person))
    assert 'Call or text <a href="tel:988">988</a> (Suicide & Crisis Lifeline)' in sheet
    assert "Hosted by Lakeside NAMI" in sheet
    assert "Every Tuesday, 7:00" in sheet
    assert "Next meetings" in sheet and sheet.count("<time datetime=") == 3
    assert "Lincoln Park Library, Room 2, 1150 W Fullerton Ave, Chicago, IL 60614" in sheet
    assert ">https://www.openstreetmap.org/directions?to=41.92530%2C-87.65810</a>" in sheet
    assert '<a href="tel:3125550142">(312) 555-0142</a>' in sheet
    assert ">grief@example.org</a>" in sheet
    assert ">https://grief.example.org</a>" in sheet
    assert "Donation welcome ($5 suggested)" in sheet
    assert "English, Spanish" in sheet
    assert "Wheelchair" in sheet
    assert "Required: contact the group first" in sheet
    assert re.search(r"Confirmed \d+ months? ago \(last confirmed on ", sheet)
    assert f">http://localhost/groups/{in_person.id}</a>" in sheet
    assert "Peer support complements professional care; it does not replace it." in sheet


def test_the_organisers_private_contact_never_reaches_the_sheet(client, groups):
    page = _page(client, *groups)
    for private in ("Private Person", "private.organiser@example.org", "555-0199"):
        assert private not in page


def test_online_groups_show_public_joining_details_and_the_readers_time(client, groups):
    _in_person, online, hidden = groups
    sheet = _sheet(_page(client, online, hidden))
    assert ">https://meet.example.org/grief</a>" in sheet
    assert "Passcode 4455" in sheet
    assert "secret-room" not in sheet
    assert "The organiser shares the joining details on request" in sheet
    # site.js adds the reader's own time to lists marked like the group page's.
    assert '<ul class="sheet-meetings" data-local-times data-your-time="your time">' in sheet
    assert "EST</time>" in sheet


def test_a_spanish_sheet_on_the_english_site(client, groups):
    in_person, _online, _hidden = groups
    page = _page(client, in_person, language="es")
    tools, sheet = page.split('<article class="sheet"')
    assert '<html lang="en">' in tools and "My list" in tools and "Print, save or share" in tools
    assert sheet.startswith(' lang="es"')
    assert "¿En crisis?" in sheet
    assert "Cuándo" in sheet and "Todos los martes, 19:00" in sheet
    assert "Dónde" in sheet and "Inscripción" in sheet and "Inglés, Español" in sheet
    assert "Every Tuesday" not in sheet
    assert "language=es" in tools.split('id="share-link"')[1].split(">")[0]


def test_an_english_sheet_on_the_spanish_site(client, groups):
    in_person, _online, _hidden = groups
    page = _page(client, in_person, locale="es", language="en")
    tools, sheet = page.split('<article class="sheet"')
    assert '<html lang="es">' in tools and "Saltar al contenido principal" in tools
    assert sheet.startswith(' lang="en"')
    assert "Every Tuesday, 7:00" in sheet and "Cuándo" not in sheet


def test_the_sheet_follows_the_site_language_unless_chosen(client, groups):
    in_person, _online, _hidden = groups
    page = unescape(
        client.get(f"/list?id={in_person.id}", headers={"Accept-Language": "es"}).get_data(
            as_text=True
        )
    )
    assert '<article class="sheet" lang="es"' in page
    assert "Todos los martes" in page


def test_a_paused_or_stale_group_says_so_on_the_sheet(client, app):
    paused = make_group(name="Paused Group", paused_at=dt.datetime.now(dt.UTC))
    stale = make_group(
        name="Old Group", verified_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    )
    db.session.commit()
    sheet = _sheet(_page(client, paused, stale))
    assert "Not meeting for now." in sheet
    assert "Not confirmed for over a year: call before you go." in sheet


def test_the_qr_code_is_an_svg_of_the_lists_link(client, groups):
    in_person, _online, _hidden = groups
    page = _page(client, in_person)
    assert f'<img src="/list.svg?id={in_person.id}&language=en"' in page
    response = client.get(f"/list.svg?id={in_person.id}&language=en")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<title>Scan to open this list on a phone</title>" in response.data
    assert client.get("/list.svg?id=abc").status_code == 400
    assert client.get("/list.svg").status_code == 404
