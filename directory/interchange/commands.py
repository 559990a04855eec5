"""Add ``flask --app app directory import`` and ``... export`` to the command group."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qsl

import click
from flask import current_app
from flask.cli import AppGroup

from directory import geo
from directory.extensions import db

from .detect import IMPORT_FORMATS
from .export import EXPORTS, iter_groups, published_ids, search_ids, stream_listings
from .hsds_tables import package_files
from .pipeline import ImportOptions, run_import
from .public import ExportContext


def register(group: AppGroup) -> None:
    """Add the import and export commands to ``group``."""
    group.add_command(import_command)
    group.add_command(export_command)


def _check_timezone(_ctx, _param, value: str | None) -> str | None:
    if value is not None and not geo.valid_timezone(value):
        raise click.BadParameter(f"{value!r} is not an IANA time zone such as America/Chicago")
    return value


@contextlib.contextmanager
def _progress(label: str, length: int):
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar


@click.command("import")
@click.argument("location")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    help="The file's format; detected from its content when not given.",
)
@click.option(
    "--source",
    help="Name of the feed, for matching listings on re-import. "
    "Default: the format and file name, e.g. csv:groups.csv.",
)
@click.option(
    "--publish/--review",
    default=False,
    show_default=True,
    help="Publish new listings at once, or send them to moderators (default).",
)
@click.option("--dry-run", is_flag=True, help="Check and report everything, save nothing.")
@click.option(
    "--keep-missing",
    is_flag=True,
    help="Keep listings of this source that the feed no longer has (default: archive).",
)
@click.option("--strict", is_flag=True, help="Import nothing if any record is rejected.")
@click.option(
    "--timezone",
    callback=_check_timezone,
    help="Time zone for records that give none and have no place to find one.",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="Topic to add to every listing (repeatable), e.g. substance-use.",
)
@click.option("--encoding", help="Text encoding of the file when it is not UTF-8, e.g. cp1252.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write the report as CSV to this file.")  # fmt: skip
def import_command(location, fmt, source, publish, dry_run, keep_missing, strict, timezone,
                   topics, encoding, report_path) -> None:  # fmt: skip
    """Import listings from a CSV, HSDS or Meeting Guide file, folder, zip or URL."""
    options = ImportOptions(
        format=fmt, source=source, publish=publish, dry_run=dry_run, keep_missing=keep_missing,
        strict=strict, timezone=timezone, topics=tuple(topics), encoding=encoding,
    )  # fmt: skip
    with contextlib.ExitStack() as stack:
        stream = None
        if report_path:  # opened before importing, so a bad path changes nothing
            try:
                stream = stack.enter_context(open(report_path, "a", newline="", encoding="utf-8"))
            except OSError as error:
                raise click.BadParameter(
                    f"cannot write {report_path}: {error.strerror}", param_hint="--report"
                ) from None
        report = run_import(db.session, location, options, progress=_progress)
        click.echo(report.summary())
        if stream is not None:
            stream.seek(0)
            stream.truncate()
            report.write_csv(stream)
            click.echo(f"Report written to {report_path}")
    if not report.ok or report.all_rejected:  # the report above says why
        raise click.exceptions.Exit(1)


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(list(EXPORTS)), required=True, help="What to write."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(),
    help="File to write (a folder for an unzipped hsds-csv); standard output if not given.",
)
@click.option(
    "--query",
    default="",
    help="Search parameters as in the API, e.g. 'q=grief&near=60614&format=online'; "
    "all published listings when not given.",
)
@click.option("--base-url", help="The site's address, for links back to each listing "
              "(default: DIRECTORY_BASE_URL).")  # fmt: skip
def export_command(fmt: str, output: str | None, query: str, base_url: str | None) -> None:
    """Export published listings (or a search's results) as HSDS, Meeting Guide, CSV or iCal."""
    from directory.search.query import QueryError

    try:
        ids = search_ids(_args(query)) if query else published_ids(db.session)
    except QueryError as error:
        raise click.BadParameter(str(error), param_hint="--query") from None
    groups = iter_groups(db.session, ids)
    context = ExportContext(base_url=base_url or current_app.config.get("BASE_URL"))
    try:
        if output and fmt == "hsds-csv" and (Path(output).is_dir() or output.endswith("/")):
            folder = Path(output)
            folder.mkdir(parents=True, exist_ok=True)
            with package_files(groups, context) as files:
                for name, path in files.items():
                    with path.open("rb") as stream:
                        _write(folder / name, iter(lambda s=stream: s.read(1 << 16), b""))
        else:
            chunks = stream_listings(fmt, groups, context)
            if output:
                _write(Path(output), chunks)
            else:
                for chunk in chunks:
                    click.echo(chunk, nl=False)
    except OSError as error:
        where = error.filename or output
        raise click.ClickException(f"cannot write {where}: {error.strerror or error}") from None
    if output:
        click.echo(f"Exported {len(ids)} listings as {fmt} to {output}", err=True)


def _write(path: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``path`` whole or not at all: a failure leaves any old file as it was.

    The chunks go to a temporary file beside ``path``, which then replaces it.
    """
    if path.is_dir():
        raise IsADirectoryError(21, "it is a folder", str(path))
    if path.exists() and not path.is_file():  # a device or pipe: write to it directly
        with path.open("wb") as stream:
            stream.writelines(chunks)
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:  # name the file asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.writelines(chunks)
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _file_mode(path: Path) -> int:
    """Return the old file's permissions, or what a new file would get under the umask."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _args(query: str):
    from werkzeug.datastructures import MultiDict

    return MultiDict(parse_qsl(query.lstrip("?"), keep_blank_values=False))
