"""Peer Support Directory: find a mental-health peer support group near you or online."""

from __future__ import annotations

from flask import Flask

from directory.config import load_config


def create_app(overrides: dict | None = None) -> Flask:
    """Create the Flask application: config, extensions, blueprints, commands."""
    config = load_config(overrides)
    app = Flask(
        __name__,
        instance_path=config["INSTANCE_PATH"],
        template_folder="../templates",
        static_folder="static",
    )
    app.config.update(config)
    register_proxy(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_places(app)
    register_search(app)
    return app


def register_proxy(app: Flask) -> None:
    """Believe the client address and scheme that DIRECTORY_PROXY_HOPS trusted proxies pass on."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to ``app``."""
    from pathlib import Path

    from directory import i18n, mail, private_errors
    from directory.extensions import csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    private_errors.init_app(app)
    mail.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _enable_sqlite_foreign_keys(app)


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    """Make SQLite enforce foreign keys, as PostgreSQL always does."""
    from sqlalchemy import event

    from directory.extensions import db

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


#: Blueprint modules, each exposing ``bp``; one line per blueprint.
BLUEPRINTS = (
    "directory.web.public",
    "directory.web.api",
    "directory.web.api_docs",
    "directory.web.feeds",
    "directory.web.moderate",
    "directory.web.answer",
    "directory.web.submit",
    "directory.web.manage",
    "directory.web.report",
    "directory.web.shortlist",
    "directory.web.embed",
)


def register_blueprints(app: Flask) -> None:
    """Attach the site's blueprints and response hooks."""
    from importlib import import_module

    from directory.web import filters, limits, security

    import_module("directory.web.converters").init_app(app)
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)
    import_module("directory.web.hosts").init_app(app)
    import_module("directory.web.moderate").init_app(app)
    security.init_app(app)
    limits.init_app(app)
    filters.init_app(app)


def register_places(app: Flask) -> None:
    """Use the instance's saved gazetteer when there is one, so place lookups start fast."""
    from pathlib import Path

    from directory import geo

    cache = Path(app.config["PLACE_CACHE_PATH"])
    if not geo.gazetteer_loaded() and cache.exists():
        geo.load_gazetteer(cache)


def register_search(app: Flask) -> None:
    """Give the app its search engine and keep the index in step with the database."""
    from directory import search

    search.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the ``flask directory ...`` command group."""
    from directory.cli import directory_cli, register_command_modules

    register_command_modules()
    app.cli.add_command(directory_cli)
