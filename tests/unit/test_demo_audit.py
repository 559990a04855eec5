"""Every demo listing starts its history with one "created" record, removed with it."""

from __future__ import annotations

from sqlalchemy import func, select

from directory.demo import generate_demo, remove_demo
from directory.extensions import db
from directory.models import AuditRecord, Group
from directory.services import history


def test_each_demo_listing_has_a_created_record_and_loses_it_on_removal(db_app):
    generate_demo(db.session, count=25, seed=3)
    db.session.commit()
    group = db.session.scalars(select(Group).order_by(Group.id)).first()
    [entry] = history(db.session, group.id)
    assert (entry.action, entry.actor_kind, entry.actor_label) == ("created", "command", "demo")
    assert entry.at == group.created_at
    assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == 25
    remove_demo(db.session)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == 0
