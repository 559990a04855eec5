"""The search a partner frames at /embed: who may frame it, presets, no cookies, plain errors."""

from __future__ import annotations

import re

import pytest

from directory import create_app
from directory.extensions import db
from directory.search.healing import SearchRebuilding
from tests.factories import make_group, make_location, make_organization
from tests.functional.moderate_helpers import add_moderator, sign_in
from tests.functional.public_helpers import install_engine

PARTNERS = ("https://nami-example.org", "http://clinic.example:8080")


@pytest.fixture
def partner_app(configured_app):
    """Return an app whose embed two partner sites may frame.

    A route that fails answers its 500 page, which must carry the same headers, rather than
    stopping the walk over every route.
    """
    return configured_app(EMBED_ORIGINS=" ".join(PARTNERS), PROPAGATE_EXCEPTIONS=False)


@pytest.fixture
def groups(app):
    """Add a few groups around Chicago, two of them from one NAMI affiliate."""
    nami = make_organization(name="Lakeside NAMI")
    make_group(name="Lincoln Park Grief Circle", topics=("grief",), organization=nami,
               organiser_email="rosa.private@example.org",
               organiser_phone="(312) 555-0199")  # fmt: skip
    make_group(name="Lakeview Depression Peers", topics=("depression",), organization=nami,
               location=make_location(name="Lakeview Hall", postal_code="60613",
                                      latitude=41.9479, longitude=-87.6463))  # fmt: skip
    make_group(name="Grupo de Duelo en Español", topics=("grief",), languages=("es",))
    make_group(name="Online Grief Evenings", format="online", topics=("grief",),
               timezone="America/Chicago")  # fmt: skip
    db.session.commit()
    return nami


def _names(page: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+" target="_blank" rel="noopener">([^<]+)<span', page)


def _assert_links_stay_in_the_frame_or_open_the_site(page: str) -> None:
    """Links to the embed stay in the frame; links to the site open a new tab (see <base>)."""
    for tag in re.findall(r'<a href="[^"]*"[^>]*>', page):
        address = re.search(r'href="([^"]*)"', tag).group(1)
        if address.startswith("/embed") or address.startswith("#"):
            assert 'target="_self"' in tag, tag
        elif address.startswith("http://localhost/"):
            assert 'target="_blank" rel="noopener"' in tag, tag
        else:  # the crisis line's own links, opened in a new tab by <base target="_blank">
            assert address.startswith(("tel:", "sms:", "https://988li")), tag


def _frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1)


def _plain_get_routes(app):
    """Yield every GET route that takes no value in its path, but static files."""
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule


# --- who may frame it -----------------------------------------------------------------------


def test_configured_partners_may_frame_the_embed_and_nothing_else(partner_app):
    client = partner_app.test_client()
    response = client.get("/embed")
    assert response.status_code == 200
    assert _frame_ancestors(response) == " ".join(PARTNERS)
    assert "X-Frame-Options" not in response.headers  # it cannot name a list of sites
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    routes = [rule.rule for rule in _plain_get_routes(partner_app) if rule.rule != "/embed"]
    assert {"/", "/search", "/about", "/submit", "/api/v1/groups"} <= set(routes)
    for path in [*routes, "/groups/999", "/no-such-page", "/embed/more"]:
        response = client.get(path)
        assert response.status_code < 500, path
        assert _frame_ancestors(response) == "'none'", path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_without_partners_the_embed_cannot_be_framed_either(client):
    response = client.get("/embed")
    assert response.status_code == 200
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_partner_origins_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DIRECTORY_EMBED_ORIGINS", "https://NAMI-Example.org/, http://127.0.0.1:8000"
    )
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["EMBED_ORIGINS"] == ("https://nami-example.org", "http://127.0.0.1:8000")


@pytest.mark.parametrize(
    "value",
    [
        "nami-example.org",
        "https://nami-example.org/groups",
        "https://*.nami-example.org",
        "https://nami-example.org; script-src *",
        "'self'",
        "ftp://nami-example.org",
        "https://nami-example.org:99999",
        "https://user@nami-example.org",
    ],
)
def test_a_value_that_is_not_an_origin_stops_the_start_naming_it(monkeypatch, tmp_path, value):
    monkeypatch.setenv("DIRECTORY_EMBED_ORIGINS", f"https://ok.example {value}")
    with pytest.raises(ValueError, match="DIRECTORY_EMBED_ORIGINS must list origins like") as info:
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert repr(value.split()[0]) in str(info.value)


# --- what it shows --------------------------------------------------------------------------


@pytest.mark.usefixtures("groups")
def test_the_embed_is_a_compact_get_search_linking_out_in_new_tabs(client):
    response = client.get("/embed?q=grief&near=60614")
    page = response.text
    assert response.status_code == 200
    assert set(_names(page)) == {
        "Lincoln Park Grief Circle", "Grupo de Duelo en Español", "Online Grief Evenings"
    }  # fmt: skip
    assert '<form id="search" class="search-form embed-form" method="get" action="/embed"' in page
    assert "csrf_token" not in page  # a GET form needs none, and sets no session
    assert '<nav class="site-nav"' not in page and 'class="brand"' not in page
    assert 'href="tel:988"' in page.split("<header", 1)[1].split("</header>", 1)[0]
    assert "complement to professional care" in page
    assert '<base target="_blank">' in page
    _assert_links_stay_in_the_frame_or_open_the_site(page)
    assert re.search(r'<a href="http://localhost/groups/\d+" target="_blank"', page)
    # Nothing the page loads comes from elsewhere.
    for tag in re.findall(r"<(?:script|img|link|iframe)\b[^>]*>", page):
        assert re.search(r'(?:src|href)="/', tag), tag
    # The organiser's private contact never reaches a partner's page.
    assert "rosa.private" not in page and "555-0199" not in page


def test_more_groups_than_it_lists_link_to_the_whole_search_on_the_site(client):
    for number in range(12):
        make_group(name=f"Grief Group {number}", topics=("grief",))
    db.session.commit()
    page = client.get("/embed?topic=grief&locale=es").text
    assert len(_names(page)) == 10
    assert re.search(
        r'<p class="see-all"><a href="http://localhost/search\?topic=grief&amp;locale=es" '
        r'target="_blank" rel="noopener">',
        page,
    )


@pytest.mark.usefixtures("groups")
def test_the_summary_tells_groups_nearby_from_groups_online_as_the_site_does(client):
    page = client.get("/embed?q=grief&near=60614").text
    summary = page.split('<div class="summary"', 1)[1].split("</div>", 1)[0]
    assert "2 groups meet within 25 miles of Chicago, IL 60614; 1 more meets online." in summary
    assert "Narrow the results" not in summary  # the filters sit above, in the frame's form
    _assert_links_stay_in_the_frame_or_open_the_site(page)
    spanish = client.get("/embed?q=grief&near=60614&locale=es").text
    assert "2 grupos se reúnen a menos de 25 millas de Chicago, IL 60614" in spanish


@pytest.mark.usefixtures("groups")
def test_with_none_nearby_it_says_so_and_offers_the_distance_that_reaches_one(client):
    page = client.get("/embed?q=grief&near=53202").text  # Milwaukee: the groups are in Chicago
    assert "No groups meet in person within 25 miles of Milwaukee, WI 53202." in page
    assert "The nearest group that meets in person is 78.7 miles away." in page
    assert "1 group meets online: it is listed below." in page
    wider = re.search(r'<a href="(/embed\?[^"]*radius=[^"]*)" target="_self">See the groups', page)
    assert wider, "the way to a wider search stays inside the frame"
    _assert_links_stay_in_the_frame_or_open_the_site(page)


@pytest.mark.usefixtures("groups")
@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/embed?q=the+and", "None of your words could be searched for"),
        ("/embed?q=grif", 'Did you mean <a href="/embed?q=grief" target="_self">grief</a>?'),
        ("/embed?q=grief+-online", "Leaving out groups whose name or description mentions"),
    ],
)
def test_words_it_ignored_corrected_or_left_out_are_said_inside_the_frame(client, url, said):
    page = client.get(url).text
    assert said in page
    _assert_links_stay_in_the_frame_or_open_the_site(page)


# --- presets ---------------------------------------------------------------------------------


def test_presets_are_filters_the_person_sees_and_can_change(client, groups):
    url = f"/embed?topic=grief&org={groups.id}&near=60614"
    page = client.get(url).text
    assert _names(page) == ["Lincoln Park Grief Circle"]
    assert re.search(r'value="grief" id="f-topic-grief" checked>', page)
    assert re.search(rf'value="{groups.id}" id="f-org-{groups.id}" checked>', page)
    assert 'id="near" name="near" value="60614"' in page
    # Above the results, each preset is a chip that removes it, inside the frame.
    assert re.search(
        r'<a class="chip" href="/embed\?topic=grief&amp;near=60614" target="_self">'
        r'<span class="visually-hidden">Remove filter: </span>Lakeside NAMI',
        page,
    )
    assert 'href="/embed?near=60614" target="_self">Remove all filters</a>' in page
    _assert_links_stay_in_the_frame_or_open_the_site(page)
    widened = client.get("/embed?topic=grief&near=60614").text
    assert "Grupo de Duelo en Español" in widened


@pytest.mark.usefixtures("groups")
def test_lang_is_the_meeting_language_and_locale_the_page_language(client):
    meeting = client.get("/embed?lang=es", headers={"Accept-Language": "en"}).text
    assert _names(meeting) == ["Grupo de Duelo en Español"]
    assert '<html lang="en">' in meeting
    assert 'name="locale"' not in meeting
    spanish = client.get("/embed?topic=grief&locale=es", headers={"Accept-Language": "en"}).text
    assert '<html lang="es">' in spanish
    assert "¿En crisis?" in spanish
    assert "complemento de la atención profesional" in spanish
    # The language is kept by the form and by the links to the site.
    assert '<input type="hidden" name="locale" value="es">' in spanish
    assert re.search(r'href="http://localhost/groups/\d+\?locale=es"', spanish)
    assert 'href="/embed?topic=grief&amp;locale=en" target="_self" lang="en"' in spanish
    _assert_links_stay_in_the_frame_or_open_the_site(spanish)


@pytest.mark.usefixtures("groups")
def test_a_preset_facet_the_embed_does_not_offer_is_still_shown(client):
    page = client.get("/embed?audience=peers").text
    assert re.search(r"<legend>Who it is for</legend>", page) or "No groups match" in page
    page = client.get("/embed?day=tue").text
    assert "<legend>Day</legend>" in page
    assert re.search(r'value="tue" id="f-day-tue" checked>', page)


# --- no cookies ------------------------------------------------------------------------------


@pytest.mark.usefixtures("groups")
@pytest.mark.parametrize(
    "url", ["/embed", "/embed?locale=es", "/embed?q=grief&locale=en", "/embed?topic=nope&locale=es"]
)
def test_the_embed_never_sets_a_cookie(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400)
    assert "Set-Cookie" not in response.headers


def test_not_even_for_a_signed_in_moderator_whose_session_would_be_refreshed(db_app, client):
    sign_in(client, add_moderator())
    with client.session_transaction() as session:
        session.permanent = True  # refreshed on every response elsewhere
    assert "session=" in client.get("/about").headers["Set-Cookie"]  # the test can fail
    assert "Set-Cookie" not in client.get("/embed?locale=es").headers


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/embed?topic=no-such-topic", "That topic is not one we list."),
        ("/embed?org=lakeside", "That organization is not one we list."),
        ("/embed?radius=far", "Distance must be between 0.1 and 500 miles."),
        ("/embed?radius=9000", "Distance must be between 0.1 and 500 miles."),
        ("/embed?q=" + "x" * 201, "Please keep your words under 200 characters."),
        ("/embed?lang=zz", "That language is not one we list."),
        ("/embed?sort=distance", "To see the nearest groups first"),
        ("/embed?online=maybe", "Please choose whether to include groups that meet online."),
    ],
)
def test_bad_input_is_a_400_in_plain_words_inside_the_frame(partner_app, url, said):
    response = partner_app.test_client().get(url + "&near=")
    assert response.status_code == 400
    page = response.text
    assert "We could not understand part of this search" in page
    assert said in page
    assert 'href="tel:988"' in page
    assert "Search again without that part" in page
    assert _frame_ancestors(response) == " ".join(PARTNERS)  # still shown in the partner's page
    assert "Set-Cookie" not in response.headers


def test_the_way_out_of_a_bad_preset_keeps_the_others(client):
    page = client.get("/embed?topic=no-such-topic&near=60614&locale=es").text
    assert 'href="/embed?near=60614&amp;locale=es" target="_self"' in page


def test_a_location_missing_half_is_searched_again_without_either_half(client):
    response = client.get("/embed?lat=41.9&q=grief")
    assert response.status_code == 400
    assert 'href="/embed?q=grief" target="_self">Search again without that part' in response.text


def test_an_unknown_device_time_zone_is_dropped_not_refused(client):
    assert client.get("/embed?tz=Mars/Olympus_Mons").status_code == 200


def test_too_many_requests_get_the_embeds_own_calm_page(configured_app):
    app = configured_app(RATELIMIT_ENABLED=True, RATE_LIMIT="2 per minute",
                         EMBED_ORIGINS=PARTNERS[0])  # fmt: skip
    client = app.test_client()
    codes = [client.get("/embed?locale=es").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = client.get("/embed?locale=es")
    assert "Retry-After" in response.headers
    assert "Set-Cookie" not in response.headers
    assert _frame_ancestors(response) == PARTNERS[0]
    assert '<nav class="site-nav"' not in response.text
    assert 'href="tel:988"' in response.text


def test_a_search_being_rebuilt_is_a_calm_503_inside_the_frame(client, monkeypatch):
    def rebuilding(query):
        raise SearchRebuilding()

    install_engine(monkeypatch, rebuilding)
    response = client.get("/embed?q=grief")
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert "Search is being updated" in response.text
    assert '<nav class="site-nav"' not in response.text
