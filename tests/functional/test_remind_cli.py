"""``directory remind``: reminders go once per interval, are recorded, and open the manage page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditRecord, Reminder, Submission
from directory.services import reminders
from directory.web.manage.links import group_for_token
from tests.conftest import TEST_SECRET
from tests.factories import make_group
from tests.functional.mail_helpers import HOST, AppMaker, Recorder, smtp_server
from tests.functional.moderate_helpers import body, outbox

NOW = dt.datetime(2026, 12, 1, 15, 17, tzinfo=dt.UTC)
BASE = "https://groups.example.org/"
STALE = NOW - dt.timedelta(days=200)  # past the default six months
LINK = re.compile(re.escape(BASE) + r"\S+")


@pytest.fixture
def clock(monkeypatch):
    """Set the command's clock to NOW; move it with ``clock.set(moment)``."""

    class Clock:
        def set(self, moment):
            monkeypatch.setattr("directory.upkeep_commands.utcnow", lambda: moment)

    clock = Clock()
    clock.set(NOW)
    return clock


@pytest.fixture
def remind(db_app, clock):
    """Run ``directory remind`` with the given options on a site whose base URL is set."""
    db_app.config["BASE_URL"] = BASE
    runner = db_app.test_cli_runner()

    def run(*options):
        return runner.invoke(args=["directory", "remind", *options])

    return run


def _listing(name, verified_at=STALE, organiser_email="rosa@example.org", **fields):
    group = make_group(name=name, verified_at=verified_at, organiser_email=organiser_email,
                       **fields)  # fmt: skip
    db.session.commit()
    return group


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_due_organisers_get_one_reminder_each_recorded_with_an_audit_record(remind):
    due = _listing("Lincoln Park Grief Circle")
    paused = _listing("Hyde Park Anxiety Peers", paused_at=STALE, organiser_email="li@example.org")
    _listing("Fresh Group", verified_at=NOW - dt.timedelta(days=20))
    _listing("Imported Without Address", organiser_email=None, source="csv:x.csv", source_ref="9")
    _listing("Waiting For Review", status="pending")
    result = remind()
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Sent 2 reminders."
    sent = {message["To"]: message["Subject"] for message in outbox()}
    assert sent == {
        "rosa@example.org": "Is Lincoln Park Grief Circle still meeting?",
        "li@example.org": "Is Hyde Park Anxiety Peers still meeting?",
    }
    rows = db.session.scalars(select(Reminder).order_by(Reminder.group_id)).all()
    assert [(r.group_id, r.sent_at, r.about_verified_at) for r in rows] == [
        (due.id, NOW, STALE), (paused.id, NOW, STALE),
    ]  # fmt: skip
    actions = db.session.scalars(select(AuditRecord.action)).all()
    assert actions == ["reminded", "reminded"]


def test_running_again_sends_nothing_until_the_interval_has_passed(remind, clock):
    _listing("Lincoln Park Grief Circle")
    assert remind().output.strip() == "Sent 1 reminder."
    again = remind()
    assert again.exit_code == 0
    assert again.output.strip() == "No listing is due a reminder."
    clock.set(NOW + dt.timedelta(days=29))
    assert remind().output.strip() == "No listing is due a reminder."
    clock.set(NOW + dt.timedelta(days=31))
    assert remind().output.strip() == "Sent 1 reminder."
    assert len(outbox()) == 2
    assert _count(Reminder) == 2


def test_dry_run_lists_what_is_due_and_writes_nothing(remind):
    group = _listing("Lincoln Park Grief Circle", organiser_email="rosa.private@example.org")
    _listing("Fresh Group", verified_at=NOW - dt.timedelta(days=20))
    result = remind("--dry-run")
    assert result.exit_code == 0, result.output
    assert f'Listing {group.id} "Lincoln Park Grief Circle": not confirmed for 200 days' in (
        result.output
    )
    assert "Fresh Group" not in result.output
    assert "rosa.private" not in result.output and "(private)" in result.output
    assert "Would send 1 reminder (dry run" in result.output
    assert (_count(Reminder), _count(AuditRecord), outbox()) == (0, 0, [])
    assert remind().output.strip() == "Sent 1 reminder."  # and the real run still sends it


def test_a_directory_larger_than_a_batch_is_reminded_whole(remind, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)
    for number in range(5):
        _listing(f"Group {number}", organiser_email=f"organiser{number}@example.org")
    assert remind().output.strip() == "Sent 5 reminders."
    assert sorted(m["To"] for m in outbox()) == [f"organiser{n}@example.org" for n in range(5)]


def test_the_reminder_holds_working_links_to_confirm_and_to_edit(remind, db_app):
    group = _listing("Lincoln Park Grief Circle")
    remind()
    [message] = outbox()
    text = body(message)
    assert "has not been confirmed" not in text and "last confirmed on" in text
    manage, edit = LINK.findall(text)[:2]
    assert manage.startswith(BASE + "manage/") and edit == manage + "/edit"
    token = manage.removeprefix(BASE + "manage/")
    assert group_for_token(token) == (group, None)
    client = db_app.test_client()
    page = client.get("/" + manage.removeprefix(BASE))
    assert page.status_code == 200
    assert "Lincoln Park Grief Circle" in page.text
    assert client.get("/" + edit.removeprefix(BASE)).status_code == 200


def test_the_reminder_is_written_in_the_language_the_organiser_used(remind):
    group = _listing("Duelo y Esperanza")
    db.session.add(Submission(group=group, language="es", submitted_at=STALE))
    db.session.commit()
    remind()
    [message] = outbox()
    assert message["Content-Language"] == "es"


def test_a_reminder_that_could_not_even_be_kept_fails_the_run_for_cron(remind, monkeypatch):
    _listing("Lincoln Park Grief Circle")
    monkeypatch.setattr("directory.mail.upkeep.reminder", lambda group: None)
    result = remind()
    assert result.exit_code == 1
    assert "1 could not be sent or kept (see the log)" in result.output
    assert _count(Reminder) == 1  # recorded: the next run does not send it again


def test_without_a_base_url_it_refuses_and_records_nothing(remind, db_app):
    _listing("Lincoln Park Grief Circle")
    db_app.config["BASE_URL"] = None
    result = remind()
    assert result.exit_code == 1
    assert "Set DIRECTORY_BASE_URL" in result.output
    assert (_count(Reminder), outbox()) == (0, [])
    assert "Would send 1 reminder" in remind("--dry-run").output


@pytest.fixture
def make_app(tmp_path, sqlite_template, monkeypatch):
    maker = AppMaker(tmp_path, sqlite_template, monkeypatch)
    yield maker
    maker.close()


def _smtp_remind(app):
    app.config.update(BASE_URL=BASE, SECRET_KEY=TEST_SECRET)
    with app.app_context():
        _listing("Lincoln Park Grief Circle")
        db.session.remove()
    return app.test_cli_runner().invoke(args=["directory", "remind"])


def test_a_reminder_goes_over_smtp_to_the_organiser_only(make_app, clock):
    recorder = Recorder()
    with smtp_server(recorder) as port:
        result = _smtp_remind(make_app(f"smtp://{HOST}:{port}?tls=off"))
    assert result.output.strip() == "Sent 1 reminder.", result.output
    (envelope,) = recorder.envelopes
    assert envelope.rcpt_tos == ["rosa@example.org"]
    (received,) = recorder.messages()
    assert received["Subject"] == "Is Lincoln Park Grief Circle still meeting?"
    assert len(LINK.findall(received.get_body(("plain",)).get_content())) >= 2


def test_a_refused_reminder_waits_for_mail_retry_and_is_not_sent_twice(make_app, clock):
    with smtp_server(Recorder(refuse_recipients=True)) as port:
        app = make_app(f"smtp://{HOST}:{port}?tls=off")
        result = _smtp_remind(app)
        assert result.exit_code == 0, result.output
        assert "Of these, 1 waits in unsent/ for `directory mail retry`." in result.output
        again = app.test_cli_runner().invoke(args=["directory", "remind"])
    assert again.output.strip() == "No listing is due a reminder."
    assert len(list((Path(app.config["OUTBOX_PATH"]) / "unsent").glob("*.eml"))) == 1
    with app.app_context():
        assert _count(Reminder) == 1
