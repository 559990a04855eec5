"""WSGI entry point: ``flask --app app run``."""

from directory import create_app

app = create_app()
