"""Drive Debian's Chromium against the site served from a thread on 127.0.0.1.

One browser and one server for the whole session, over a small fixed directory: a few groups
around Chicago's 60614 and a few hundred demo listings elsewhere. Every request the browser
makes is recorded, and a test fails if one left 127.0.0.1 or the console reported a
Content-Security-Policy violation. Screenshots go under the run's temp dir (printed at the end).

Without /usr/bin/chromium or the playwright package these tests are skipped with the reason
shown; with DIRECTORY_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
_screenshots: list[Path] = []


def _read_whole(file, _buffer_size: int = 8192) -> list[bytes]:
    """Read a static file at once and close it.

    Werkzeug's development server skips closing a response's file when the browser drops the
    connection mid-send (it does, when a page navigates on), and the file's ResourceWarning
    then fails whichever test is running. The files served here are small.
    """
    try:
        return [file.read()]
    finally:
        file.close()


class _WholeFiles:
    """Serve ``app`` with files read whole (``wsgi.file_wrapper``), so none is left open."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        environ["wsgi.file_wrapper"] = _read_whole
        return self.app(environ, start_response)


def _unavailable() -> str | None:
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config, items):
    """Mark every test here as a browser test; skip them all, visibly, without a browser."""
    reason = _unavailable()
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if reason and not os.environ.get("DIRECTORY_REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.skip(reason=f"browser tests: {reason}"))


def pytest_terminal_summary(terminalreporter):
    """Say where the screenshots are, so a person can look at them."""
    if _screenshots:
        folder = _screenshots[0].parent
        terminalreporter.write_line(f"browser screenshots ({len(_screenshots)}): {folder}")


def _populate():
    """Fill the database with the fixed groups the tests search for, and demo listings."""
    from directory.demo import generate_demo
    from directory.extensions import db
    from tests.factories import make_group, make_location, make_organization, make_schedule

    generate_demo(db.session, 300, seed=11)
    db.session.flush()
    nami = make_organization(
        name="Lakeside NAMI (demo)", kind="nami", website="https://nami.example.org"
    )
    verified = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    make_group(
        name="Lincoln Park Grief Circle",
        description="A peer-led circle for anyone grieving the death of someone close.",
        topics=("grief",),
        audiences=("peers",),
        organization=nami,
        verified_at=verified,
        contact_email="grief@example.org",
        contact_phone="(312) 555-0142",
        is_demo=True,
        schedules=[make_schedule(weekdays="TU", start_time=dt.time(19), end_time=dt.time(20, 30))],
    )
    make_group(
        name="Wicker Park Grief and Loss Group",
        topics=("grief",),
        audiences=("family-and-friends",),
        languages=("en", "es"),
        organization=nami,
        verified_at=verified,
        is_demo=True,
        location=make_location(
            name="Wicker Park Fieldhouse",
            address_1="1425 N Damen Ave",
            postal_code="60622",
            latitude=41.9075,
            longitude=-87.6776,
        ),
        schedules=[make_schedule(weekdays="SA", start_time=dt.time(10), end_time=dt.time(11, 30))],
    )
    make_group(
        name="Evening Grief Support Online",
        format="online",
        join_url="https://meet.example.org/grief",
        topics=("grief",),
        timezone="America/Chicago",
        verified_at=verified,
        is_demo=True,
        schedules=[make_schedule(weekdays="TH", start_time=dt.time(18))],
    )
    make_group(
        name="Lakeview Depression and Bipolar Peers",
        topics=("depression", "bipolar"),
        organization=nami,
        verified_at=verified,
        is_demo=True,
        location=make_location(
            name="Lakeview Church Hall",
            address_1="3600 N Broadway",
            postal_code="60613",
            latitude=41.9479,
            longitude=-87.6463,
        ),
    )
    db.session.commit()


def _build_index() -> None:
    """Build the search index now, so the first search in a test is not the one that waits."""
    from directory.search import get_engine

    get_engine().check()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Serve the app with the fixed directory on 127.0.0.1; yield its base URL and the app."""
    from flask_migrate import upgrade

    from directory import create_app
    from directory.extensions import db
    from directory.taxonomy import load_taxonomy

    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'directory.sqlite3'}",
            "INDEX_PATH": str(instance / "index"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
        load_taxonomy(db.session)
        _populate()
        _build_index()
        db.session.remove()
    server = make_server("127.0.0.1", 0, _WholeFiles(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(base=f"http://127.0.0.1:{server.port}", app=app)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Launch one headless Chromium for the session."""
    reason = _unavailable()
    if reason:
        pytest.fail(f"browser tests are required here but {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Return the folder where this run's screenshots go."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    return folder


class Visit:
    """A browser tab with everything it requested and every console complaint."""

    def __init__(self, page, base: str, screenshot_dir: Path):
        self.page = page
        self.base = base
        self.requests: list[str] = []
        self.console: list[str] = []
        self.broken: list[str] = []  # page resources (not pages) that failed to load
        self._screenshot_dir = screenshot_dir
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        page.on("response", self._on_response)

    def _on_response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.broken.append(f"{response.status} {response.url}")

    def _on_console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text}")

    def goto(self, path: str):
        """Open a path of the site and wait until it has loaded."""
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return response

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        """Save a screenshot of the current page."""
        path = self._screenshot_dir / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        _screenshots.append(path)
        return path

    def offsite_requests(self) -> list[str]:
        """Return every request that left 127.0.0.1 (data: and blob: stay in the page)."""
        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname != "127.0.0.1"
        ]


def _visit(browser, site, screenshot_dir, viewport, locale="en-US", **options):
    context = browser.new_context(
        viewport=viewport,
        locale=locale,
        accept_downloads=True,
        timezone_id="America/Chicago",
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    visit = Visit(page, site.base, screenshot_dir)
    yield visit
    context.close()
    assert visit.offsite_requests() == [], "a request left 127.0.0.1"
    csp = [line for line in visit.console if "Content Security Policy" in line]
    assert csp == [], "the Content-Security-Policy blocked something"
    errors = [line for line in visit.console if line.startswith("pageerror")]
    assert errors == [], "a script failed"
    assert visit.broken == [], "a stylesheet, script or image is missing"


@pytest.fixture
def desktop(browser, site, screenshot_dir):
    """Yield a desktop-sized tab on the site, in English."""
    yield from _visit(browser, site, screenshot_dir, DESKTOP)


@pytest.fixture
def phone(browser, site, screenshot_dir):
    """Yield a 360 px wide tab on the site, in English, with touch."""
    yield from _visit(browser, site, screenshot_dir, PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def spanish_desktop(browser, site, screenshot_dir):
    """Yield a desktop tab whose browser asks for Spanish."""
    yield from _visit(browser, site, screenshot_dir, DESKTOP, locale="es-ES")


@pytest.fixture
def spanish_phone(browser, site, screenshot_dir):
    """Yield a 360 px wide tab whose browser asks for Spanish."""
    yield from _visit(
        browser, site, screenshot_dir, PHONE, locale="es-ES", is_mobile=True, has_touch=True
    )


def moderator_account(site, email: str, password: str) -> str:
    """Create a moderator account in the browser site's database unless it exists; return it."""
    from directory.extensions import db
    from directory.services import Actor, add_moderator
    from directory.services.accounts import find_moderator

    with site.app.app_context():
        if find_moderator(db.session, email) is None:
            add_moderator(db.session, email, password, Actor.command("browser-test"))
            db.session.commit()
        db.session.remove()
    return email


@pytest.fixture
def axe():
    """Return a checker that runs axe-core on the page and fails on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(visit: Visit, label: str) -> None:
        results = checker.run(visit.page)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in results.response["violations"]
        ]
        assert violations == [], f"axe found problems on {label}"

    return check
