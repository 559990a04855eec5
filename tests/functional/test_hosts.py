"""The site answers only to its trusted hosts, in any case and on the ports configured.

A refused Host gets the site's own calm page (the crisis line, in the person's language),
never a bare error or a 500, whatever the Host holds.
"""

from __future__ import annotations

import shutil

import pytest

from directory.extensions import db
from tests.conftest import _make_app

SITE = "groups.example.org"


@pytest.fixture
def site(tmp_path, sqlite_template):
    """Return a maker of test clients for an app with the given TRUSTED_HOSTS."""
    made = []

    def make(*entries: str):
        folder = tmp_path / f"instance-{len(made)}"
        folder.mkdir()
        shutil.copyfile(sqlite_template, folder / "db.sqlite3")
        app = _make_app(folder, f"sqlite:///{folder / 'db.sqlite3'}",
                        TRUSTED_HOSTS=list(entries) or None)  # fmt: skip
        made.append(app)
        return app.test_client()

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _status(client, host: str, path: str = "/about", **options) -> int:
    return client.get(path, environ_overrides={"HTTP_HOST": host}, **options).status_code


def test_a_trusted_host_is_matched_whatever_its_case(site):
    client = site("Groups.Example.org")
    assert _status(client, "groups.example.org") == 200
    assert _status(client, "GROUPS.EXAMPLE.ORG") == 200
    assert _status(client, "evil.example") == 400


def test_a_host_without_a_port_accepts_any_port_and_one_with_a_port_only_that(site):
    client = site(SITE, "staff.example.org:8443")
    assert _status(client, f"{SITE}:8080") == 200
    assert _status(client, "staff.example.org:8443") == 200
    assert _status(client, "staff.example.org:9000") == 400
    assert _status(client, "staff.example.org") == 400  # port 80 over http


def test_a_port_entry_matches_the_schemes_own_port_when_the_host_names_none(site):
    client = site(f"{SITE}:443")
    assert _status(client, SITE, base_url=f"https://{SITE}/") == 200
    assert _status(client, SITE, base_url=f"http://{SITE}/") == 400


def test_a_leading_dot_trusts_the_domain_and_every_name_under_it(site):
    client = site(".example.org")
    assert _status(client, "example.org") == 200
    assert _status(client, "www.Example.org:8000") == 200
    assert _status(client, "example.org.evil.example") == 400
    assert _status(client, "badexample.org") == 400


def test_international_names_and_ip_addresses_can_be_trusted(site):
    client = site("bücher.example", "[2001:db8::1]", "127.0.0.1:8000")
    assert _status(client, "xn--bcher-kva.example") == 200
    assert _status(client, "XN--BCHER-KVA.example") == 200
    assert _status(client, "[2001:DB8::1]:5000") == 200
    assert _status(client, "127.0.0.1:8000") == 200
    assert _status(client, "127.0.0.1:8001") == 400


def test_a_refused_host_gets_the_calm_page_in_the_persons_language(site):
    client = site(SITE)
    response = client.get("/about", headers={"Host": "evil.example", "Accept-Language": "es"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "No pudimos atender esa solicitud" in page
    assert "988" in page  # the crisis line is at the top of every page
    assert "evil.example" not in page


def test_a_refused_host_on_the_api_gets_json(site):
    client = site(SITE)
    response = client.get("/api/v1/groups", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "This site does not answer to that host name."


ODD_HOSTS = [
    "",
    "ex ample.org",
    "groups.example.org/evil",
    "groups.example.org@evil.example",
    "a" * 64 + ".example.org",
    "x" * 20000,
    "groups..example.org",
    "[::1",
    "[::1]]",
    "groups.example.org:0",
    "groups.example.org:99999",
    "groups.example.org:80:80",
    "gr\u00f6ups.example.org",
    "<script>.example.org",
]


@pytest.mark.parametrize("host", ODD_HOSTS, ids=lambda host: repr(host[:30]))
@pytest.mark.parametrize("trusted", [(SITE,), ()], ids=["trusted-hosts-set", "unset"])
def test_a_host_that_is_not_a_host_name_gets_the_calm_page_never_a_crash(site, host, trusted):
    client = site(*trusted)
    response = client.get("/groups/1", environ_overrides={"HTTP_HOST": host})
    assert response.status_code == 400
    assert "We could not handle that request" in response.get_data(as_text=True)


def test_without_trusted_hosts_any_real_host_name_is_answered(site):
    client = site()
    assert _status(client, "evil.example") == 200
    assert _status(client, "[::1]:5000") == 200


def test_an_entry_that_is_not_a_host_stops_the_site_from_starting(site):
    with pytest.raises(ValueError, match=r"DIRECTORY_TRUSTED_HOSTS: .*is not a host name"):
        site("groups example org")
