"""Read the taxonomy from data/taxonomy/, load it into the database and resolve names to terms.

The vocabularies (topics, audiences, accessibility features) and the languages are kept as
CSV files so they can be edited as data. Every row is validated before anything is written;
an error names the file, the line and the reason.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from directory.folding import fold
from directory.models import (
    Language,
    TaxonomyTerm,
    Vocabulary,
    group_accessibility,
    group_audience,
    group_language,
    group_topic,
)

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "taxonomy"

#: The file each vocabulary is read from, in load order.
VOCABULARY_FILES: dict[str, str] = {
    Vocabulary.TOPIC.value: "topics.csv",
    Vocabulary.AUDIENCE.value: "audiences.csv",
    Vocabulary.ACCESSIBILITY.value: "accessibility.csv",
}
LANGUAGES_FILE = "languages.csv"

#: How a vocabulary is named in messages ("unknown topic 'foo'").
VOCABULARY_NOUNS: dict[str, str] = {
    Vocabulary.TOPIC.value: "topic",
    Vocabulary.AUDIENCE.value: "audience",
    Vocabulary.ACCESSIBILITY.value: "accessibility feature",
}

TERM_COLUMNS = ("slug", "label", "label_es", "synonyms", "description")
TERM_REQUIRED = ("slug", "label", "label_es", "synonyms")
LANGUAGE_COLUMNS = ("code", "name", "native_name")
LANGUAGE_REQUIRED = ("code", "name")

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO_639_1_PATTERN = re.compile(r"^[a-z]{2}$")
SLUG_MAX, LABEL_MAX, LANGUAGE_NAME_MAX = 60, 120, 80


class TaxonomyError(ValueError):
    """A taxonomy file is invalid, or a name matches no term."""


@dataclass(frozen=True)
class TermRecord:
    """One validated row of a vocabulary file."""

    vocabulary: str
    slug: str
    label: str
    label_es: str | None
    synonyms: tuple[str, ...]
    description: str | None
    line: int = 0

    @property
    def synonyms_text(self) -> str:
        """Return the synonyms as stored in the database: ``|``-separated."""
        return "|".join(self.synonyms)


@dataclass(frozen=True)
class LanguageRecord:
    """One validated row of the languages file."""

    code: str
    name: str
    native_name: str | None
    line: int = 0


def _display(path: Path) -> str:
    """Name a file the way a person editing the project sees it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _rows(path: Path, columns: tuple[str, ...], required: tuple[str, ...]):
    """Yield ``(line, row_dict)`` for each non-blank row of a UTF-8 CSV file, checking shape."""
    name = _display(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TaxonomyError(f"{name}: cannot read the file ({error.strerror})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise TaxonomyError(f"{name} line {line}: not valid UTF-8 text") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise TaxonomyError(f"{name} line 1: the file is empty; expected a header") from None
    except csv.Error as error:
        raise TaxonomyError(f"{name} line {reader.line_num}: {error}") from error
    missing = [column for column in required if column not in header]
    if missing:
        raise TaxonomyError(f"{name} line 1: missing column(s) {', '.join(missing)}")
    unknown = [column for column in header if column not in columns]
    if unknown:
        raise TaxonomyError(
            f"{name} line 1: unknown column(s) {', '.join(repr(c) for c in unknown)}; "
            f"expected {', '.join(columns)}"
        )
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        raise TaxonomyError(f"{name} line 1: duplicate column(s) {', '.join(duplicated)}")
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise TaxonomyError(f"{name} line {reader.line_num}: {error}") from error
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise TaxonomyError(
                f"{name} line {reader.line_num}: {len(cells)} fields, expected {len(header)} "
                "(quote values that contain commas)"
            )
        row = dict.fromkeys(columns, "")
        row.update({column: cell.strip() for column, cell in zip(header, cells, strict=True)})
        yield reader.line_num, row


def read_vocabulary(path: str | Path, vocabulary: str) -> list[TermRecord]:
    """Read and validate one vocabulary file; raise TaxonomyError naming file, line and reason."""
    vocabulary = _check_vocabulary(vocabulary)
    path = Path(path)
    name = _display(path)
    records: list[TermRecord] = []
    slugs: dict[str, int] = {}
    # Every name a term answers to, so no value can resolve to two terms.
    owners: dict[str, tuple[str, int]] = {}
    for line, row in _rows(path, TERM_COLUMNS, TERM_REQUIRED):

        def fail(reason: str, line: int = line) -> TaxonomyError:
            return TaxonomyError(f"{name} line {line}: {reason}")

        slug, label = row["slug"], " ".join(row["label"].split())
        if not slug:
            raise fail("empty slug")
        if not SLUG_PATTERN.match(slug):
            raise fail(f"invalid slug {slug!r} (use lowercase letters, digits and single hyphens)")
        if len(slug) > SLUG_MAX:
            raise fail(f"slug {slug!r} is longer than {SLUG_MAX} characters")
        if slug in slugs:
            raise fail(f"duplicate slug {slug!r} (first on line {slugs[slug]})")
        slugs[slug] = line
        if not label:
            raise fail(f"empty label for {slug!r}")
        label_es = " ".join(row["label_es"].split()) or None
        for text in (label, label_es or ""):
            if len(text) > LABEL_MAX:
                raise fail(f"label {text!r} is longer than {LABEL_MAX} characters")
        synonyms: list[str] = []
        for piece in row["synonyms"].split("|"):
            synonym = fold(piece)
            if synonym and synonym not in synonyms:
                synonyms.append(synonym)
        names = [
            ("slug", slug),
            ("slug", fold(slug)),
            ("label", fold(label)),
            ("Spanish label", fold(label_es or "")),
            *(("synonym", synonym) for synonym in synonyms),
        ]
        for kind, key in names:
            if not key:
                continue
            owner = owners.get(key)
            if owner is not None and owner[0] != slug:
                raise fail(f"{kind} {key!r} is already used by {owner[0]!r} on line {owner[1]}")
            owners[key] = (slug, line)
        records.append(
            TermRecord(
                vocabulary=vocabulary,
                slug=slug,
                label=label,
                label_es=label_es,
                synonyms=tuple(synonyms),
                description=row["description"] or None,
                line=line,
            )
        )
    return records


def read_languages(path: str | Path) -> list[LanguageRecord]:
    """Read and validate the languages file (``code,name,native_name``)."""
    path = Path(path)
    name = _display(path)
    records: list[LanguageRecord] = []
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for line, row in _rows(path, LANGUAGE_COLUMNS, LANGUAGE_REQUIRED):
        code, language = row["code"], " ".join(row["name"].split())
        if not ISO_639_1_PATTERN.match(code):
            raise TaxonomyError(
                f"{name} line {line}: invalid ISO 639-1 code {code!r} (two lowercase letters)"
            )
        if code in codes:
            raise TaxonomyError(
                f"{name} line {line}: duplicate code {code!r} (first on line {codes[code]})"
            )
        codes[code] = line
        if not language:
            raise TaxonomyError(f"{name} line {line}: empty name for {code!r}")
        native = " ".join(row["native_name"].split()) or None
        for text in (language, native or ""):
            if len(text) > LANGUAGE_NAME_MAX:
                raise TaxonomyError(
                    f"{name} line {line}: name {text!r} is longer than "
                    f"{LANGUAGE_NAME_MAX} characters"
                )
        key = fold(language)
        if key in names:
            raise TaxonomyError(
                f"{name} line {line}: duplicate name {language!r} (first on line {names[key]})"
            )
        names[key] = line
        records.append(LanguageRecord(code=code, name=language, native_name=native, line=line))
    return records


def read_taxonomy(
    data_dir: str | Path = DEFAULT_DATA_DIR,
) -> tuple[list[TermRecord], list[LanguageRecord]]:
    """Read and validate every taxonomy file in ``data_dir``."""
    data_dir = Path(data_dir)
    terms: list[TermRecord] = []
    for vocabulary, filename in VOCABULARY_FILES.items():
        terms.extend(read_vocabulary(data_dir / filename, vocabulary))
    return terms, read_languages(data_dir / LANGUAGES_FILE)


def load_taxonomy(session: Session, data_dir: str | Path = DEFAULT_DATA_DIR) -> dict[str, int]:
    """Upsert the taxonomy files into the database; flush, and leave the commit to the caller.

    Every file is read and validated before anything changes. Terms and languages are matched
    by (vocabulary, slug) and by code. One that the files no longer list is removed when no
    group uses it, and otherwise kept and logged as a warning. Returns counts: ``created``,
    ``updated``, ``unchanged``, ``removed`` and ``kept`` (missing from the files but in use).
    """
    terms, languages = read_taxonomy(data_dir)
    counts = dict.fromkeys(("created", "updated", "unchanged", "removed", "kept"), 0)

    existing_terms = {
        (term.vocabulary, term.slug): term
        for term in session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.id))
    }
    for record in terms:
        values = {
            "label": record.label,
            "label_es": record.label_es,
            "synonyms": record.synonyms_text,
            "description": record.description,
        }
        term = existing_terms.get((record.vocabulary, record.slug))
        if term is None:
            session.add(TaxonomyTerm(vocabulary=record.vocabulary, slug=record.slug, **values))
            counts["created"] += 1
        else:
            counts[_update(term, values)] += 1
    wanted_terms = {(record.vocabulary, record.slug) for record in terms}
    stale_terms = [term for key, term in existing_terms.items() if key not in wanted_terms]
    if stale_terms:
        used = set(
            session.scalars(
                union(
                    *(
                        select(table.c.term_id).where(
                            table.c.term_id.in_([term.id for term in stale_terms])
                        )
                        for table in (group_topic, group_audience, group_accessibility)
                    )
                )
            )
        )
        for term in stale_terms:
            if term.id in used:
                counts["kept"] += 1
                log.warning(
                    "taxonomy term %s:%s is no longer listed but is in use; kept",
                    term.vocabulary,
                    term.slug,
                )
            else:
                session.delete(term)
                counts["removed"] += 1

    existing_languages = {
        language.code: language
        for language in session.scalars(select(Language).order_by(Language.code))
    }
    for record in languages:
        values = {"name": record.name, "native_name": record.native_name}
        language = existing_languages.get(record.code)
        if language is None:
            session.add(Language(code=record.code, **values))
            counts["created"] += 1
        else:
            counts[_update(language, values)] += 1
    wanted_codes = {record.code for record in languages}
    stale_codes = [code for code in existing_languages if code not in wanted_codes]
    if stale_codes:
        used_codes = set(
            session.scalars(
                select(group_language.c.language_code)
                .where(group_language.c.language_code.in_(stale_codes))
                .distinct()
            )
        )
        for code in stale_codes:
            if code in used_codes:
                counts["kept"] += 1
                log.warning("language %s is no longer listed but is in use; kept", code)
            else:
                session.delete(existing_languages[code])
                counts["removed"] += 1
    session.flush()
    return counts


def _update(row, values: dict) -> str:
    """Set changed attributes on ``row``; return ``"updated"`` or ``"unchanged"``."""
    changed = False
    for attribute, value in values.items():
        if getattr(row, attribute) != value:
            setattr(row, attribute, value)
            changed = True
    return "updated" if changed else "unchanged"


def _check_vocabulary(vocabulary: str) -> str:
    """Return ``vocabulary`` as a plain string, or raise ValueError when it is not one."""
    try:
        return Vocabulary(vocabulary).value
    except ValueError:
        allowed = ", ".join(VOCABULARY_FILES)
        raise ValueError(f"unknown vocabulary {vocabulary!r}; expected one of {allowed}") from None


def _term_names(term) -> list[str]:
    """Return every normalised name a term (record or row) answers to, slug first."""
    synonyms = term.synonyms
    if isinstance(synonyms, str):
        synonyms = synonyms.split("|")
    names = [
        term.slug,
        fold(term.slug),
        fold(term.label),
        fold(term.label_es or ""),
        *(fold(synonym) for synonym in synonyms),
    ]
    unique: list[str] = []
    for name in names:
        if name and name not in unique:
            unique.append(name)
    return unique


def _unknown(noun: str, value: str, lookup: dict[str, object]) -> TaxonomyError:
    """Build the error for a name that matches nothing, with close matches as suggestions."""
    suggestions: list[str] = []
    seen: list[object] = []
    for candidate in difflib.get_close_matches(fold(value), list(lookup), n=8, cutoff=0.6):
        if lookup[candidate] not in seen:
            seen.append(lookup[candidate])
            suggestions.append(candidate)
    message = f"unknown {noun} {value!r}"
    if suggestions:
        quoted = [repr(s) for s in suggestions[:3]]
        alternatives = _join(quoted)
        message += f"; did you mean {alternatives}?"
    return TaxonomyError(message)


def _join(items: list[str]) -> str:
    """Join ``['a', 'b', 'c']`` as ``"a, b or c"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _as_values(values: str | Iterable[str]) -> list[str]:
    """Accept one value or many; drop blanks."""
    if isinstance(values, str):
        values = [values]
    return [value for value in values if value and value.strip()]


def term_rows(session: Session):
    """Return every term as (vocabulary, slug, label, label_es, synonyms), in id order."""
    return session.execute(
        select(
            TaxonomyTerm.vocabulary,
            TaxonomyTerm.slug,
            TaxonomyTerm.label,
            TaxonomyTerm.label_es,
            TaxonomyTerm.synonyms,
        ).order_by(TaxonomyTerm.id)
    ).all()


def language_rows(session: Session):
    """Return every language as (code, name, native_name), in code order."""
    return session.execute(
        select(Language.code, Language.name, Language.native_name).order_by(Language.code)
    ).all()


def resolve_terms(
    session: Session, vocabulary: str, values: str | Iterable[str]
) -> list[TaxonomyTerm]:
    """Map slugs, labels (English or Spanish) or synonyms, folded (``directory.folding``), to terms.

    Returns the terms in the order first named, without repeats. The first value that matches
    nothing raises TaxonomyError("unknown topic 'foo'; did you mean 'food'?").
    """
    vocabulary = _check_vocabulary(vocabulary)
    terms = list(
        session.scalars(
            select(TaxonomyTerm)
            .where(TaxonomyTerm.vocabulary == vocabulary)
            .order_by(TaxonomyTerm.id)
        )
    )
    lookup: dict[str, TaxonomyTerm] = {}
    # Slugs and labels win over synonyms should an edited database ever let them collide.
    for term in terms:
        for name in (term.slug, fold(term.slug), fold(term.label), fold(term.label_es or "")):
            lookup.setdefault(name, term)
    for term in terms:
        for name in _term_names(term):
            lookup.setdefault(name, term)
    resolved: list[TaxonomyTerm] = []
    for value in _as_values(values):
        term = lookup.get(fold(value))
        if term is None:
            raise _unknown(VOCABULARY_NOUNS[vocabulary], value, lookup)
        if term not in resolved:
            resolved.append(term)
    return resolved


def resolve_languages(session: Session, values: str | Iterable[str]) -> list[Language]:
    """Map ISO codes, English or native names, folded (``directory.folding``), to languages."""
    lookup: dict[str, Language] = {}
    languages = list(session.scalars(select(Language).order_by(Language.code)))
    for language in languages:
        lookup.setdefault(language.code, language)
    for language in languages:
        for name in (language.name, language.native_name or ""):
            if name:
                lookup.setdefault(fold(name), language)
    resolved: list[Language] = []
    for value in _as_values(values):
        language = lookup.get(fold(value))
        if language is None:
            raise _unknown("language", value, lookup)
        if language not in resolved:
            resolved.append(language)
    return resolved


def synonym_map(session_or_records: Session | Iterable) -> dict[str, list[str]]:
    """Map each name of a term to all the names of that term, for search-time expansion.

    Names are folded (``directory.folding``): the slug (also with spaces), the label, the
    Spanish label and every synonym. Each list includes the key itself. Accepts a session
    (reads every term) or an iterable of TermRecord or TaxonomyTerm. A name shared by terms of
    different vocabularies maps to the union of their names.
    """
    if isinstance(session_or_records, Session) or hasattr(session_or_records, "scalars"):
        order = {vocabulary: index for index, vocabulary in enumerate(VOCABULARY_FILES)}
        records = sorted(
            session_or_records.scalars(select(TaxonomyTerm)),
            key=lambda term: (order.get(term.vocabulary, len(order)), term.id),
        )
    else:
        records = list(session_or_records)
    expansions: dict[str, list[str]] = {}
    for record in records:
        names = _term_names(record)
        for name in names:
            group = expansions.setdefault(name, [])
            group.extend(n for n in names if n not in group)
    return expansions
