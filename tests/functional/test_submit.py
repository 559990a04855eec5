"""An organiser adds a group at /submit: checked, previewed, stored pending, never public early."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.models import DuplicateFlag, Group, Status, Submission
from directory.services import Actor, approve
from directory.web.forms.safety import start_stamp
from tests.factories import make_group, make_location, make_schedule
from tests.functional.submit_helpers import GOOD, form_values, post, token, with_


@pytest.fixture
def site(db_app):
    """Return a client of the app on each database."""
    return db_app.test_client()


def _stored() -> list[Group]:
    db.session.expire_all()
    return list(db.session.scalars(select(Group).where(Group.source == "submission")))


def _field_error(page: str, field_id: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', page)
    return re.sub(r"<[^>]+>", "", found[1]).replace("Error:", "").strip() if found else None


def test_the_form_is_linked_from_every_page_and_has_what_a_person_needs(site):
    home = site.get("/").text
    assert home.count('href="/submit"') == 2  # the header and the footer
    page = site.get("/submit").text
    labels = ("Name of the group", "How it meets", "Street address", "ZIP code", "Meeting time 1",
              "Add another meeting time", "Topics", "Your email", "never shown publicly",
              "I run or help run this group and may list it")  # fmt: skip
    for label in labels:
        assert label in page
    assert 'name="csrf_token"' in page
    assert 'autocomplete="email"' in page
    assert '<datalist id="organization-names">' in page


def test_a_full_submission_is_stored_pending_with_every_field(site):
    response = post(site, GOOD, "send")
    assert response.status_code == 303
    thanks = site.get(response.headers["Location"]).text
    assert "A moderator reviews it, usually within 3 days." in thanks
    assert "dana.private@example.org" in thanks
    assert "Nothing appears publicly until then." in thanks
    (group,) = _stored()
    assert group.status == Status.PENDING.value
    assert (group.name, group.format, group.cost, group.facilitation) == (
        "Lakeview Grief Circle", "in_person", "donation", "peer")  # fmt: skip
    assert group.registration_required is True
    assert group.cost_note == "$5 suggested, nobody turned away"
    assert group.organization.name == "Lakeview Community Centre"
    place = group.location
    assert (place.name, place.room, place.address_1, place.city, place.region) == (
        "Lakeview Library", "Room 2", "644 W Belmont Ave", "Chicago", "IL")  # fmt: skip
    assert place.postal_code == "60657" and place.timezone == "America/Chicago"
    assert place.latitude and place.longitude
    (schedule,) = group.schedules
    assert (schedule.kind, schedule.weekdays, schedule.month_weeks) == ("monthly", "MO", "1")
    assert (schedule.start_time.hour, schedule.end_time.minute) == (19, 30)
    assert sorted(t.slug for t in group.topics) == ["grief", "suicide-loss"]
    assert [t.slug for t in group.audiences] == ["family-and-friends"]
    assert [t.slug for t in group.accessibility] == ["wheelchair"]
    assert sorted(lang.code for lang in group.languages) == ["en", "es"]
    assert (group.contact_email, group.website) == (
        "circle@example.org", "https://lakeview.example.org/grief")  # fmt: skip
    assert group.organiser_email == "dana.private@example.org"
    assert group.organiser_phone == "(312) 555-0199"
    submission = db.session.scalars(select(Submission)).one()
    assert submission.group_id == group.id and submission.language == "en"


def test_a_submission_from_a_spanish_page_is_kept_in_spanish(site):
    page = site.get("/submit?locale=es").text
    assert "<h1>Agregar un grupo</h1>" in page
    spanish = {"headers": {"Accept-Language": "es"}}
    bad = post(site, with_(contact_email="dana"), "preview", **spanish).text
    assert "Escriba un correo electrónico como nombre@example.org" in bad
    assert "Revise el formulario" in bad
    response = post(site, GOOD, "send", **spanish)
    assert response.status_code == 303
    assert db.session.scalars(select(Submission)).one().language == "es"


BAD_FIELDS = [
    ("contact_email", {"contact_email": "dana at example"}, "contact_email",
     "Please give an email address"),
    ("javascript link", {"website": "javascript:alert(1)"}, "website",
     "Please give a web address that starts with https://."),
    ("nowhere", {"city": "Nowheresville", "region": "ZZ", "postal_code": "00000"}, "city",
     "We could not find this place"),
    ("end before start", {"schedules-0-end_time": "18:00"}, "schedules-0-end_time",
     "The end time must be after the start time."),
    ("no weekday", {"schedules-0-weekdays": None}, "schedules-0-weekdays",
     "Please choose at least one day."),
    ("no consent", {"consent": None}, "consent", "Please confirm that you run or help run"),
    ("long name", {"name": "G" * 201}, "name", "Please keep this to 200 characters or fewer."),
    ("unknown topic", {"topics": ["grief", "not-a-topic"]}, "topics",
     "Please choose from the list."),
    ("no email", {"organiser_email": ""}, "organiser_email", "Please give your email"),
    ("bad phone", {"contact_phone": "call me"}, "contact_phone", "Please give a phone number"),
    ("bad time", {"schedules-0-start_time": "soon"}, "schedules-0-start_time",
     "Please give a time such as 19:00"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "field", "message"), BAD_FIELDS,
                         ids=[case[0] for case in BAD_FIELDS])  # fmt: skip
@pytest.mark.parametrize("button", ["preview", "send"])
def test_a_bad_field_comes_back_with_the_input_and_a_message_beside_it(
    site, case, changes, field, message, button
):
    response = post(site, with_(**changes), button)
    assert response.status_code == 200
    page = response.text
    assert message in (_field_error(page, field) or ""), case
    # Linked from the summary at the top, and tied to the field for screen readers.
    assert 'class="error-summary"' in page
    assert re.search(rf'href="#{re.escape(field)}(-0)?"', page)
    assert re.search(rf'aria-describedby="[^"]*{re.escape(field)}-error', page)
    # Nothing typed is lost.
    assert 'value="Lakeview Grief Circle"' in page or case == "long name"
    assert 'value="dana.private@example.org"' in page or case == "no email"
    assert "A calm circle for anyone grieving" in page
    assert _stored() == []


def test_a_bad_text_field_is_marked_invalid_and_described(site):
    page = post(site, with_(contact_email="nope"), "preview").text
    tag = re.search(r'<input[^>]*id="contact_email"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="contact_email-error"' in tag
    assert 'value="nope"' in tag


def test_the_preview_shows_the_listing_and_the_schedule_in_words_and_stores_nothing(site):
    response = post(site, GOOD, "preview")
    page = response.text
    assert response.status_code == 200
    assert "Check your listing" in page
    assert '<h1 id="group-name">Lakeview Grief Circle</h1>' in page
    assert "1st Monday of the month, 7:00\N{EN DASH}8:30 pm Central" in page
    assert "Lakeview Library" in page and "Hosted by Lakeview Community Centre" in page
    assert "Grief and loss" in page  # the topic's label, as the public page shows it
    assert "Submit for review" in page and "Change something" in page
    carried = form_values(page)
    assert ("name", "Lakeview Grief Circle") in carried
    assert ("topics", "suicide-loss") in carried
    assert ("schedules-0-start_time", "19:00") in carried
    assert all(name not in ("preview", "send") for name, _value in carried)
    assert _stored() == []
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


def test_the_preview_in_spanish_says_the_schedule_in_spanish(site):
    page = post(site, GOOD, "preview", headers={"Accept-Language": "es"}).text
    assert "El primer lunes de cada mes, 19:00\N{EN DASH}20:30" in page


def test_sending_from_the_preview_and_changing_something_keep_every_value(site):
    preview = post(site, GOOD, "preview").text
    carried = form_values(preview)
    back = site.post("/submit", data=MultiDict([*carried, ("change", "y")])).text
    assert 'value="Lakeview Grief Circle"' in back
    assert re.search(r'value="suicide-loss"[^>]* checked|checked[^>]*value="suicide-loss"', back)
    assert 'value="19:00"' in back
    assert _field_error(back, "name") is None
    sent = site.post("/submit", data=MultiDict([*carried, ("send", "y")]))
    assert sent.status_code == 303
    (group,) = _stored()
    assert group.name == "Lakeview Grief Circle" and len(group.schedules) == 1


def test_adding_and_removing_meeting_times_keeps_what_was_typed(site):
    page = post(site, with_(name="Two Times Group"), "add_schedule").text
    assert "Meeting time 2" in page
    assert 'value="Two Times Group"' in page
    assert 'id="schedules-1-start_time"' in page
    assert _field_error(page, "name") is None and 'class="error-summary"' not in page
    data = with_(**{
        "name": "Two Times Group", "schedules-1-kind": "weekly", "schedules-1-weekdays": "TH",
        "schedules-1-start_time": "18:00", "schedules-0-remove": "y",
    })  # fmt: skip
    page = post(site, data, "remove_only").text
    assert "Meeting time 2" not in page
    assert 'value="18:00"' in page and 'value="19:00"' not in page
    assert 'value="Two Times Group"' in page
    assert _stored() == []


def test_two_meeting_times_are_both_stored(site):
    data = with_(**{"schedules-1-kind": "dates", "schedules-1-dates": "2030-01-05\n2030-02-09",
                    "schedules-1-start_time": "10:00 am"})  # fmt: skip
    assert post(site, data, "send").status_code == 303
    (group,) = _stored()
    kinds = [(s.kind, s.dates) for s in group.schedules]
    assert ("dates", "2030-01-05,2030-02-09") in kinds and len(kinds) == 2


def test_an_online_group_needs_a_time_zone_and_a_way_to_join(site):
    data = with_(format="online", city="", region="", postal_code="", address_1="",
                 place_name="", room="")  # fmt: skip
    page = post(site, data, "preview").text
    assert "Please choose the time zone" in _field_error(page, "schedules-0-timezone")
    assert "Please give the link to join" in _field_error(page, "join_url")
    data.update({"schedules-0-timezone": "America/Denver", "join_url": "meet.example.org/x"})
    assert post(site, data, "send").status_code == 303
    (group,) = _stored()
    assert group.location is None and group.timezone == "America/Denver"
    assert group.join_url == "https://meet.example.org/x"


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(site):
    response = post(site, with_(nickname="http://spam.example"), "send")
    assert response.status_code == 303
    assert "Thank you" in site.get(response.headers["Location"]).text
    assert _stored() == []


def test_the_honeypot_is_hidden_from_people_and_says_to_leave_it_empty(site):
    page = site.get("/submit").text
    block = re.search(r'<div class="honeypot" aria-hidden="true">(.*?)</div>', page, re.S)[1]
    assert "Leave this field empty" in block
    assert 'tabindex="-1"' in block and 'autocomplete="off"' in block


def test_a_form_sent_too_fast_comes_back_with_its_input_and_then_goes_through(site, db_app):
    db_app.config["SUBMIT_MIN_SECONDS"] = 60
    started = start_stamp(time.time() - 5)
    page = post(site, GOOD, "send", started=started).text
    assert "quicker than we expected" in page
    assert 'value="Lakeview Grief Circle"' in page
    assert f'value="{started}"' in page  # the first start time is kept, not restarted
    assert _stored() == []
    db_app.config["SUBMIT_MIN_SECONDS"] = 3
    again = site.post("/submit", data={**GOOD, "csrf_token": token(page), "started": started,
                                       "send": "y"})  # fmt: skip
    assert again.status_code == 303
    assert len(_stored()) == 1


def test_a_forged_start_time_counts_as_too_fast(site):
    page = post(site, GOOD, "send", started="12345.forged").text
    assert "quicker than we expected" in page
    assert _stored() == []


def test_a_listing_like_one_already_there_is_flagged_and_still_accepted(site):
    location = make_location(name="Lakeview Library", address_1="644 W Belmont Ave",
                             city="Chicago", postal_code="60657")  # fmt: skip
    twin = make_group(name="Lakeview Grief Circle", location=location, schedules=[make_schedule(
        kind="monthly", weekdays="MO", month_weeks="1")])  # fmt: skip
    db.session.commit()
    preview = post(site, GOOD, "preview").text
    assert "A listing like this is already in the directory" in preview
    assert f'href="/groups/{twin.id}"' in preview
    sent = site.post("/submit", data=MultiDict([*form_values(preview), ("send", "y")]))
    assert sent.status_code == 303
    flag = db.session.scalars(select(DuplicateFlag)).one()
    assert flag.duplicate_of_id == twin.id and flag.group.status == "pending"


def test_the_private_contact_never_shows_on_a_public_page_once_approved(site):
    assert post(site, GOOD, "send").status_code == 303
    (group,) = _stored()
    approve(db.session, group, Actor.command("test"))
    db.session.commit()
    pages = [f"/groups/{group.id}", f"/groups/{group.id}.ics", "/search?q=grief",
             f"/api/v1/groups/{group.id}", "/api/v1/groups?q=grief"]  # fmt: skip
    bodies = [site.get(url) for url in pages]
    assert all(body.status_code == 200 for body in bodies)
    assert "Lakeview Grief Circle" in bodies[0].text
    for body in bodies:
        text = body.get_data(as_text=True)
        assert "dana.private@example.org" not in text
        assert "555-0199" not in text
        assert "Dana Whitfield" not in text


def test_a_service_refusal_is_a_calm_message_not_an_error_page(site, monkeypatch):
    from directory.services import ServiceError
    from directory.web import submit

    def refuse(*_args, **_kwargs):
        raise ServiceError("something the form did not catch")

    monkeypatch.setattr(submit, "submit_group", refuse)
    page = post(site, GOOD, "send")
    assert page.status_code == 200
    assert "We could not accept the listing as it is" in page.text
    assert 'value="Lakeview Grief Circle"' in page.text


@pytest.fixture
def limited(configured_app):
    """Return an app with rate limits on and /submit allowed twice."""
    return configured_app(RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="2 per hour")


def test_only_sending_counts_against_the_submission_limit(limited):
    client = limited.test_client()
    for _attempt in range(4):  # previews and added rows are free
        assert post(client, GOOD, "preview").status_code == 200
        assert post(client, GOOD, "add_schedule").status_code == 200
    assert post(client, with_(name="First"), "send").status_code == 303
    assert post(client, with_(name="Second"), "send").status_code == 303
    refused = post(client, with_(name="Third"), "send")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert 'href="tel:988"' in refused.text
    assert post(client, GOOD, "preview").status_code == 200
    assert len(_stored()) == 2


def test_the_form_filled_from_a_listing_gives_back_the_same_fields(db_app):
    from directory.interchange.state import group_state
    from directory.web.forms import ListingForm, listing_choices

    group = make_group(
        audiences=("parents",), contact_email="group@example.org",
        schedules=[make_schedule(kind="weekly", weekdays="MO,WE", interval=2,
                                 anchor_date=dt.date(2026, 1, 5))],
    )  # fmt: skip
    db.session.commit()
    with db_app.test_request_context("/"):
        form = ListingForm.from_group(
            group, choices=listing_choices(db.session), meta={"csrf": False}
        )
        assert form.validate(), form.errors
        fields = form.to_fields(db.session)
    stored = group_state(group)
    for name in ("name", "description", "format", "cost", "contact_email", "topics",
                 "audiences", "languages", "location"):  # fmt: skip
        assert fields[name] == stored[name], name
    (row,) = fields["schedules"]
    assert (row["weekdays"], row["interval"], row["anchor_date"]) == (
        "MO,WE", 2, dt.date(2026, 1, 5))  # fmt: skip


def test_control_characters_typed_or_pasted_are_dropped_not_a_server_error(site):
    # PostgreSQL refuses NUL in text: every form's text fields drop control characters.
    data = with_(name="Grief\x00 Circle\x1b", description="Line one\nLine two\x00\x07")
    assert post(site, data, "send").status_code == 303
    [stored] = _stored()
    assert stored.name == "Grief Circle" and stored.description == "Line one\nLine two"
