"""Fetch what an import reads: a file, a folder or zip of tables, or a URL; and decode text."""

from __future__ import annotations

import codecs
import io
import json
import os
import posixpath
import re
import stat
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import Request, urlopen

from .records import InputError

#: The most an import reads, in bytes: one file, or all the tables of a datapackage together.
MAX_BYTES = 50 * 1024 * 1024
#: The longest wait for any one read from a server.
URL_TIMEOUT_SECONDS = 30
#: The longest a whole download may take, however steadily the server trickles.
URL_DEADLINE_SECONDS = 300
#: How much is read from a server at a time.
CHUNK_BYTES = 64 * 1024
USER_AGENT = "peer-support-directory-import/1.0"
#: The names inside a datapackage that an importer may read.
TABLE_SUFFIXES = (".csv", "datapackage.json")

Opener = Callable[..., Any]


@dataclass
class Source:
    """What was read: one file's bytes, or a datapackage's tables by file name."""

    name: str
    files: dict[str, bytes]
    is_package: bool = False
    warnings: list[str] = field(default_factory=list)
    _json: Any = field(default=None, repr=False)

    @property
    def data(self) -> bytes:
        """Return the bytes of a single-file source."""
        return next(iter(self.files.values()))

    def text(self, name: str | None = None, encoding: str | None = None) -> str:
        """Return a file's text, noting in ``warnings`` when it was not UTF-8."""
        file_name = name or next(iter(self.files))
        decoded, warning = decode(self.files[file_name], file_name, encoding)
        if warning and warning not in self.warnings:
            self.warnings.append(warning)
        return decoded

    def json(self, encoding: str | None = None) -> Any:
        """Return a single-file source parsed as JSON (parsed once)."""
        if self._json is None:
            text = self.text(encoding=encoding)
            refuse_nul(text, self.name, escaped=True)
            try:
                self._json = json.loads(text)
            except json.JSONDecodeError as error:
                raise InputError(
                    f"{self.name} is not valid JSON: {error.msg} at line {error.lineno}, "
                    f"column {error.colno}"
                ) from None
        return self._json


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Return (text, warning): UTF-8 (with or without BOM), UTF-16, else Windows-1252.

    Text holding a NUL is refused whatever its encoding: no listing needs one, a database
    may not store one, and it usually means the file is not text at all.
    """
    text, warning = _decoded(data, name, encoding)
    refuse_nul(text, name)
    return text, warning


def refuse_nul(text: str, name: str, escaped: bool = False) -> None:
    """Raise InputError naming the line and column of the first NUL in ``text``."""
    match = _JSON_NUL.search(text) if escaped and "\\u0000" in text else None
    at = (match.end() - 6) if match else (-1 if escaped else text.find("\x00"))
    if at < 0:
        return
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    if escaped:
        raise InputError(
            f"{name} has a NUL character (written \\u0000) at line {line}, column {column}; "
            "no listing may hold one, so nothing was imported"
        )
    raise InputError(
        f"{name} has a NUL byte at line {line}, column {column}: it looks like a binary file, "
        "not CSV or JSON text, so nothing was imported"
    )


#: A JSON escape for NUL, not preceded by an escaped backslash (``\\u0000`` is text).
_JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def _decoded(data: bytes, name: str, encoding: str | None) -> tuple[str, str | None]:
    if encoding:
        try:
            return data.decode(encoding), None
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(f"{name} cannot be read as {encoding}: {error}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            raise InputError(f"{name} is not valid UTF-16 text: {error.reason}") from None
    if b"\x00" in data:
        # Refused before guessing an encoding; the column counts characters, as editors do.
        refuse_nul(data.decode("utf-8", "replace").removeprefix("\ufeff"), name)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        note = (
            f"{name} is not UTF-8 (first odd byte on line {line}); read it as Windows-1252 "
            "(Latin-1). Save it as UTF-8, or pass --encoding, if accents look wrong."
        )
    for fallback in ("cp1252", "latin-1"):
        try:
            return data.decode(fallback), note
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _check_size(total: int, name: str) -> None:
    if total > MAX_BYTES:
        raise InputError(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB; split it up")


def _wanted(name: str) -> bool:
    return name.lower().endswith(TABLE_SUFFIXES)


def _from_zip(data: bytes, name: str) -> Source:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
        members = [info for info in members if _wanted(posixpath.basename(info.filename))]
        _check_size(sum(info.file_size for info in members), name)
        files = {posixpath.basename(info.filename): archive.read(info) for info in members}
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise InputError(f"{name} is not a readable zip file: {error}") from None
    if not files:
        raise InputError(f"{name} holds no CSV tables")
    return Source(name, files, is_package=True)


def _from_folder(folder: Path) -> Source:
    paths = sorted(path for path in folder.iterdir() if path.is_file() and _wanted(path.name))
    _check_size(sum(path.stat().st_size for path in paths), str(folder))
    if not paths:
        raise InputError(f"{folder} holds no CSV tables")
    return Source(str(folder), {path.name: path.read_bytes() for path in paths}, is_package=True)


def _from_path(location: str) -> Source:
    if not location.strip():
        raise InputError("no file was given to import")
    path = Path(location)
    if path.is_dir():
        return _from_folder(path)
    if path.name == "datapackage.json":
        return _from_folder(path.parent)
    try:
        with open(path, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise InputError(f"{location} is not a regular file")
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{location} does not exist") from None
    except OSError as error:
        raise InputError(f"{location} cannot be read: {error.strerror or error}") from None
    _check_size(len(data), location)
    if data.startswith(b"PK\x03\x04"):
        return _from_zip(data, location)
    return Source(location, {path.name: data})


def _fetch(url: str, opener: Opener) -> bytes:
    request = Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - scheme checked
    deadline = time.monotonic() + URL_DEADLINE_SECONDS
    try:
        with opener(request, timeout=min(URL_TIMEOUT_SECONDS, URL_DEADLINE_SECONDS)) as response:
            data = _read_before(response, deadline, url)
    except HTTPError as error:
        raise InputError(f"could not download {url}: HTTP {error.code} {error.reason}") from None
    except (URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"could not download {url}: {reason}") from None
    _check_size(len(data), url)
    return data


def _read_before(response, deadline: float, url: str) -> bytes:
    """Read at most MAX_BYTES + 1 bytes, giving up once ``deadline`` (monotonic) has passed."""
    read = getattr(response, "read1", None) or response.read
    chunks: list[bytes] = []
    total = 0
    while total <= MAX_BYTES:
        if time.monotonic() > deadline:
            raise InputError(
                f"could not download {url}: it took longer than {URL_DEADLINE_SECONDS:g} seconds"
            )
        chunk = read(min(CHUNK_BYTES, MAX_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _resource_url(package_url: str, path: str) -> str:
    """Return where a downloaded datapackage's table is: on the datapackage's own site only.

    Anything else (a ``file://`` path, another scheme, another host) is refused, so that a
    datapackage cannot make the import read local files or other servers.
    """
    resolved = urljoin(package_url, path)
    if urlsplit(resolved).scheme.lower() not in ("http", "https"):
        raise InputError(
            f"{package_url} lists the table {path!r}, which is not an http(s) address; a "
            "downloaded datapackage can only list tables on its own site"
        )
    if _origin(resolved) != _origin(package_url):
        raise InputError(
            f"{package_url} lists the table {path!r}, which is on another site; a "
            "downloaded datapackage can only list tables on its own site"
        )
    return resolved


def _from_url(url: str, opener: Opener) -> Source:
    data = _fetch(url, opener)
    name = posixpath.basename(urlsplit(url).path) or "download"
    if data.startswith(b"PK\x03\x04"):
        return _from_zip(data, url)
    if name == "datapackage.json":
        try:
            resources = json.loads(data.decode("utf-8-sig")).get("resources", [])
        except (ValueError, AttributeError):
            raise InputError(f"{url} is not a datapackage.json with resources") from None
        files = {"datapackage.json": data}
        for resource in resources:
            path = resource.get("path") if isinstance(resource, dict) else None
            if isinstance(path, str) and path.endswith(".csv"):
                files[posixpath.basename(path)] = _fetch(_resource_url(url, path), opener)
                _check_size(sum(len(content) for content in files.values()), url)
        return Source(url, files, is_package=True)
    return Source(url, {name: data})


def load(location: str, opener: Opener | None = None) -> Source:
    """Read a file, a folder or zip of tables, or an http(s) URL, within MAX_BYTES."""
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        return _from_url(location, opener or urlopen)
    if scheme and len(scheme) > 1:
        raise InputError(f"{location}: only files and http(s) addresses can be imported")
    return _from_path(location)
