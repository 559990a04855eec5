"""Define the ``flask --app app directory ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

directory_cli = AppGroup("directory", help="Manage the peer support directory.")
