"""The list in the address: /list?id=... keeps order, holds 20, and says what it cannot read."""

from __future__ import annotations

import re
from html import unescape

import pytest

from directory.extensions import db
from directory.referral.shortlist import MAX_GROUPS, parse
from tests.factories import make_group
from tests.functional.public_helpers import empty_search  # noqa: F401 - a fixture


def _sheet_names(page: str) -> list[str]:
    """Return the names of the groups on the sheet, in order."""
    return [unescape(n) for n in re.findall(r'<h3 id="sheet-group-\d+">([^<]+)</h3>', page)]


def _list(client, *values, **extra):
    query = "&".join([f"id={value}" for value in values] + [f"{k}={v}" for k, v in extra.items()])
    return client.get(f"/list?{query}")


def test_parse_keeps_order_collapses_duplicates_and_sets_junk_aside():
    found = parse(["12", "45", "12", " 78 ", "", "abc", "-1", "0", "99999999999", "1e3", "45"])
    assert found.ids == (12, 45, 78)
    assert found.junk == ("abc", "-1", "0", "99999999999", "1e3")
    assert found.dropped == 0


def test_parse_holds_twenty_and_counts_the_rest():
    found = parse([str(n) for n in range(1, 31)] + ["25"])
    assert found.ids == tuple(range(1, MAX_GROUPS + 1))
    assert found.dropped == 10
    assert parse(["٣"]).ids == ()  # other scripts' digits are not group numbers


def test_moving_and_removing_keep_the_rest_in_order():
    found = parse(["1", "2", "3"])
    assert found.moved(3, -1) == (1, 3, 2)
    assert found.moved(1, -1) == (1, 2, 3)
    assert found.moved(3, 1) == (1, 2, 3)
    assert found.removed(2) == (1, 3)
    assert found.added(4) == (1, 2, 3, 4)
    assert found.added(2) == (1, 2, 3)


def test_the_sheet_keeps_the_order_of_the_address(db_app, client):
    first = make_group(name="Alpha Grief Circle")
    second = make_group(name="Beta Peer Group")
    third = make_group(name="Gamma Evening Group")
    db.session.commit()
    response = _list(client, third.id, first.id, second.id, first.id)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _sheet_names(page) == ["Gamma Evening Group", "Alpha Grief Circle", "Beta Peer Group"]


def test_a_list_past_twenty_shows_twenty_and_says_so(db_app, client):
    groups = [make_group(name=f"Group {n:02d}") for n in range(MAX_GROUPS + 3)]
    db.session.commit()
    page = _list(client, *(group.id for group in groups)).get_data(as_text=True)
    assert len(_sheet_names(page)) == MAX_GROUPS
    assert "A list holds at most 20 groups, so 3 more groups were left off." in page


@pytest.mark.parametrize("junk", ["abc", "-1", "0", "99999999999", "2147483648", "1.5", "%00"])
def test_junk_ids_alone_are_a_clear_400_never_a_500(db_app, client, junk):
    response = client.get(f"/list?id={junk}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "not a group number" in page
    assert "Please check the link you were given" in page


def test_junk_beside_real_groups_is_named_and_the_groups_still_show(db_app, client):
    group = make_group(name="Lincoln Park Grief Circle")
    db.session.commit()
    response = _list(client, "abc", group.id, "-1")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "2 things that are not group numbers, so they were left out: “abc”, “-1”." in page
    assert _sheet_names(response.get_data(as_text=True)) == ["Lincoln Park Grief Circle"]


def test_unknown_and_unpublished_groups_say_no_longer_listed_without_their_names(db_app, client):
    listed = make_group(name="Listed Group")
    pending = make_group(name="Secret Pending Group", status="pending")
    archived = make_group(name="Archived Spam Group", status="archived")
    closed = make_group(name="Closed Friday Circle", status="closed")
    db.session.commit()
    response = _list(client, listed.id, pending.id, 999999, archived.id, closed.id)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _sheet_names(page) == [
        "Listed Group",
        f"Group number {pending.id}",
        "Group number 999999",
        f"Group number {archived.id}",
        "Closed Friday Circle",
    ]
    assert page.count("No longer listed.") == 4
    assert "Secret Pending Group" not in page
    assert "Archived Spam Group" not in page


def test_an_empty_list_explains_how_to_build_one(client):
    response = client.get("/list")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your list is empty." in page
    assert "nothing is stored" in page


def test_move_and_remove_links_give_the_new_order(app, client):
    groups = [make_group(name=f"Group {n}") for n in range(3)]
    db.session.commit()
    a, b, c = (group.id for group in groups)
    page = unescape(_list(client, a, b, c).get_data(as_text=True))
    assert f'href="/list?id={b}&id={a}&id={c}" data-list-move="-1"' in page
    assert f'href="/list?id={a}&id={c}&id={b}" data-list-move="1"' in page
    assert f'href="/list?id={a}&id={c}" data-list-remove' in page
    moved = client.get(f"/list?id={a}&id={c}&id={b}").get_data(as_text=True)
    assert _sheet_names(moved) == ["Group 0", "Group 2", "Group 1"]


def test_the_list_page_is_private_to_the_browser_and_not_indexed(app, client):
    group = make_group()
    db.session.commit()
    response = _list(client, group.id)
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_sharing_says_nothing_is_kept_and_carries_no_time_zone(app, client):
    group = make_group()
    db.session.commit()
    page = unescape(_list(client, group.id, tz="America/Denver").get_data(as_text=True))
    link = f"http://localhost/list?id={group.id}&language=en"
    assert f'value="{link}"' in page
    assert "Nothing about the person you are helping is asked for or kept" in page
    assert "mailto:?subject=Peer%20support%20groups&body=" in page
    assert "http%3A%2F%2Flocalhost%2Flist%3Fid%3D" in page  # the link, inside both messages
    assert 'href="sms:?&body=' in page
    assert "Denver" not in page.split('id="share-link"')[1].split(">")[0]


def test_results_offer_add_to_list_carrying_the_search_and_the_list(app, client, monkeypatch):
    from tests.functional.public_helpers import install_engine, make_hit, make_result

    first = make_group(name="Lincoln Park Grief Circle")
    second = make_group(name="Lakeview Peers")
    db.session.commit()
    seen = install_engine(
        monkeypatch, lambda query: make_result(query, [make_hit(first), make_hit(second)])
    )
    page = unescape(client.get(f"/search?q=grief&id={first.id}").get_data(as_text=True))
    assert seen[0].q == "grief"  # the search reads its own parameters, not the list
    assert f'href="/search?q=grief&id={first.id}&id={second.id}#list-{second.id}"' in page
    assert f'href="/search?q=grief#list-{first.id}" data-list-remove' in page
    assert f'<a class="button" href="/list?id={first.id}" data-list-link>My list (' in page
    assert f'<input type="hidden" name="id" value="{first.id}" data-list-field>' in page
    assert f'href="/groups/{second.id}?id={first.id}"' in page


@pytest.mark.usefixtures("empty_search")
def test_results_without_a_list_hide_my_list(app, client):
    page = client.get("/search?q=grief").get_data(as_text=True)
    assert '<p class="my-list" data-my-list hidden>' in page
    assert "data-list-field" not in page


def test_a_group_page_adds_itself_and_knows_when_it_is_on_the_list(app, client):
    group = make_group(name="Lincoln Park Grief Circle")
    other = make_group()
    db.session.commit()
    page = unescape(client.get(f"/groups/{group.id}?id={other.id}").get_data(as_text=True))
    assert f'href="/groups/{group.id}?id={other.id}&id={group.id}#list-{group.id}"' in page
    assert "My list (<span data-list-count>1</span>)" in page
    on_list = unescape(client.get(f"/groups/{group.id}?id={group.id}").get_data(as_text=True))
    assert re.search(r'<span class="on-list" data-list-on>', on_list)
    assert f'href="/groups/{group.id}#list-{group.id}" data-list-remove' in on_list


def test_a_full_list_offers_no_more_adding(app, client):
    groups = [make_group() for _ in range(MAX_GROUPS + 1)]
    db.session.commit()
    ids = "&".join(f"id={group.id}" for group in groups[:MAX_GROUPS])
    page = client.get(f"/groups/{groups[-1].id}?{ids}").get_data(as_text=True)
    assert '<span class="list-full" data-list-full>Your list is full (20 groups).</span>' in page
    assert re.search(r"data-list-add hidden>", page)
