"""Every route that names a listing by id answers 404 for a number the database cannot hold."""

from __future__ import annotations

import pytest

from directory.listings import MAX_ID
from tests.functional.moderate_helpers import add_moderator, sign_in


def _id_routes(app):
    for rule in app.url_map.iter_rules():
        if any(type(conv).__name__ == "DatabaseId" for conv in rule._converters.values()):
            yield rule


@pytest.mark.parametrize("number", [2**31, 2**63])  # past PostgreSQL's INTEGER; past BIGINT
def test_an_id_past_the_database_integer_is_a_404_on_every_route(db_app, number):
    client = db_app.test_client()
    sign_in(client, add_moderator(admin=True))
    routes = list(_id_routes(db_app))
    assert len(routes) >= 10  # the group page, its calendar, report, organiser, moderators'...
    for rule in routes:
        values = dict.fromkeys(rule.arguments, number)
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<id:{name}>", str(value))
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(path, method=method)
        assert response.status_code == 404, (path, method, response.status_code)


def test_the_largest_id_the_database_holds_is_an_ordinary_unknown_listing(db_app):
    assert db_app.test_client().get(f"/groups/{MAX_ID}").status_code == 404
