"""One fingerprint of published listings keeps the index current and keys the feeds."""

from __future__ import annotations

from directory.extensions import db
from directory.models import Group, TaxonomyTerm
from directory.search import get_engine
from directory.search.fingerprint import listings_fingerprint
from directory.web import feeds
from tests.unit.search.fixed_directory import keys, run


def test_the_index_and_the_feeds_read_the_same_fingerprint(app, ids):
    run()
    wanted = listings_fingerprint(db.session)
    assert get_engine().index.fingerprint() == wanted
    with app.test_request_context():
        assert feeds.fingerprint() == repr(wanted)


def test_an_address_edited_behind_the_index_is_noticed_and_repaired(db_app, db_ids):
    assert "bipolar" in keys(run(near="60614", online="no"), db_ids)
    db_app.config["SEARCH_SYNC"] = False  # another process edits the place: this one is not told
    place = db.session.get(Group, db_ids["bipolar"]).location
    place.latitude, place.longitude = 43.0389, -87.9065  # to Milwaukee
    db.session.commit()
    engine = get_engine()
    assert engine.index.staleness(db.session) == "changed"
    assert engine.check() == "repaired (changed)"
    assert "bipolar" not in keys(run(near="60614", online="no"), db_ids)


def test_an_organisation_renamed_behind_the_index_is_noticed(app, ids):
    run()
    app.config["SEARCH_SYNC"] = False
    db.session.get(Group, ids["trauma"]).organization.name = "NAMI Northshore (demo)"
    db.session.commit()
    assert get_engine().index.staleness(db.session) == "changed"


def test_a_taxonomy_label_changes_the_feeds_fingerprint(app, ids):
    with app.test_request_context():
        before = feeds.fingerprint()
        term = db.session.scalars(db.select(TaxonomyTerm).filter_by(slug="grief")).first()
        term.label = "Grief and bereavement"
        db.session.commit()
        assert feeds.fingerprint() != before
