"""The referral sheet as a PDF: read back with pypdf, its QR code decoded with zxing-cpp."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import zxingcpp
from pypdf import PdfReader

from directory.extensions import db
from tests.factories import make_group, make_location, make_schedule

EASTERN = "America/New_York"


@pytest.fixture
def groups(db_app):
    """Return an in-person group with a Spanish-speaking place, and an online group."""
    in_person = make_group(
        name="Círculo de Duelo Año Nuevo",
        contact_phone="(312) 555-0142",
        website="https://duelo.example.org",
        organiser_email="private.organiser@example.org",
        location=make_location(name="Biblioteca Peñón", address_1="2 Calle Señora"),
        languages=("es",),
    )
    online = make_group(
        name="Evening Grief Online",
        format="online",
        timezone="America/New_York",
        join_url="https://meet.example.org/grief",
        schedules=[
            make_schedule(weekdays="TH", start_time=dt.time(18), timezone="America/New_York")
        ],
    )
    closed = make_group(name="Closed Friday Circle", status="closed")
    db.session.commit()
    return in_person, online, closed


def _pdf(client, path: str) -> PdfReader:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="peer-support-groups.pdf"'
    return PdfReader(io.BytesIO(response.data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _qr_texts(reader: PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for image in page.images:
            found += [code.text for code in zxingcpp.read_barcodes(image.image.convert("L"))]
    return found


def test_the_pdf_lists_each_group_with_its_times_and_the_988_line(client, groups):
    in_person, online, closed = groups
    reader = _pdf(client, f"/list.pdf?id={in_person.id}&id={online.id}&id={closed.id}")
    text = _text(reader)
    assert "In crisis? Call or text 988 (Suicide & Crisis Lifeline)" in text
    assert text.index("Círculo de Duelo Año Nuevo") < text.index("Evening Grief Online")
    assert "Every Tuesday, 7:00" in text
    assert "Every Thursday, 6:00" in text
    assert "Biblioteca Peñón, Room 2, 2 Calle Señora, Chicago, IL 60614" in text
    assert "EST" in text and "CST" in text  # each group's next meetings in its own zone
    assert "(312) 555-0142" in text
    assert "https://meet.example.org/grief" in text
    assert "Closed Friday Circle" in text and "No longer listed." in text
    assert "Peer support complements professional care; it does not replace it." in text
    assert "private.organiser@example.org" not in text


def test_the_pdf_in_spanish_keeps_its_accents(client, groups):
    in_person, online, _closed = groups
    text = _text(_pdf(client, f"/list.pdf?id={in_person.id}&id={online.id}&language=es"))
    assert "¿En crisis?" in text
    assert "Cuándo" in text and "Dónde" in text and "Próximas reuniones" in text
    assert "Todos los martes, 19:00" in text
    assert "Español" in text


def test_the_pdfs_qr_code_opens_the_list(client, groups):
    in_person, online, _closed = groups
    reader = _pdf(client, f"/list.pdf?id={online.id}&id={in_person.id}&language=es")
    assert _qr_texts(reader) == [
        f"http://localhost/list?id={online.id}&id={in_person.id}&language=es"
    ]


def test_the_printed_address_breaks_only_between_group_numbers(client, db_app):
    made = [make_group(name=f"Group {n:02d}") for n in range(12)]
    db.session.commit()
    query = "&".join(f"id={group.id}" for group in made)
    text = _text(_pdf(client, f"/list.pdf?{query}&language=es"))
    address = f"http://localhost/list?{query}&language=es"
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("http://localhost/list"))
    printed = []
    while "".join(printed) != address:
        printed.append(lines[start + len(printed)].strip())
        assert address.startswith("".join(printed)), printed
    assert len(printed) > 1  # the address is too long for one line under the QR code
    assert all(line.startswith("&") for line in printed[1:]), printed


def test_twenty_groups_print_about_three_a_page(client, db_app):
    made = [make_group(name=f"Group {n:02d}") for n in range(20)]
    db.session.commit()
    ids = [group.id for group in made]
    reader = _pdf(client, "/list.pdf?" + "&".join(f"id={n}" for n in ids))
    assert 5 <= len(reader.pages) <= 8
    assert "Group 19" in _text(reader)


def test_a_pdf_of_nothing_is_a_page_that_says_so(client, db_app):
    junk = client.get("/list.pdf?id=abc")
    assert junk.status_code == 400
    assert "not a group number" in junk.get_data(as_text=True)
    assert client.get("/list.pdf").status_code == 404


def test_text_outside_the_standard_fonts_is_simplified_not_dropped():
    from directory.referral.pdf import pdf_text

    assert pdf_text("7:00\u202fPM – “¿Sí?” ñ") == "7:00 PM – “¿Sí?” ñ"  # noqa: RUF001
    assert pdf_text("Łódź Őrség Đakovo") == "Lódz Orség Dakovo"  # a stroke is left off
