"""Report what an import did to each record, as text for people and as CSV for spreadsheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from .spreadsheet import GuardedWriter

OUTCOMES = ("created", "updated", "unchanged", "archived", "rejected", "skipped")
CSV_COLUMNS = ("outcome", "position", "id", "name", "message")
#: How many rejections and warnings the text summary lists before "and N more".
SUMMARY_LIMIT = 50


@dataclass
class Entry:
    """One thing that happened to one record (or to the file, for warnings)."""

    outcome: str
    position: str
    ref: str | None = None
    name: str | None = None
    message: str = ""

    def label(self) -> str:
        """Name the record for a person: its position, id and name."""
        parts = [self.position]
        if self.ref:
            parts.append(f"id {self.ref}")
        if self.name:
            parts.append(f'"{self.name}"')
        return ", ".join(parts)


@dataclass
class ImportReport:
    """Everything an import did, or the reason it did nothing."""

    location: str
    format: str | None = None
    source: str | None = None
    dry_run: bool = False
    entries: list[Entry] = field(default_factory=list)
    warnings: list[Entry] = field(default_factory=list)
    #: Where the feed disagrees with a person's decision, which was kept.
    conflicts: list[Entry] = field(default_factory=list)
    #: Created and updated listings given topics or audiences inferred from their words.
    inferred: list[Entry] = field(default_factory=list)
    failure: str | None = None
    organizations_created: int = 0
    #: Position -> the order records were read in, so reports list them in that order.
    order: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str, position: str, ref=None, name=None, message: str = "") -> None:
        """Record what happened to one record."""
        assert outcome in OUTCOMES, outcome
        self.entries.append(Entry(outcome, position, ref, name, message))

    def warn(self, position: str, message: str, ref=None, name=None) -> None:
        """Record something a person should check, which did not stop the record."""
        self.warnings.append(Entry("warning", position, ref, name, message))

    def conflict(self, position: str, message: str, ref=None, name=None) -> None:
        """Record that the feed would undo a moderator's decision, which was kept instead."""
        self.conflicts.append(Entry("conflict", position, ref, name, message))

    def infer(self, position: str, message: str, ref=None, name=None) -> None:
        """Record the tags inferred for a listing the feed left untagged (moderators check)."""
        self.inferred.append(Entry("inferred", position, ref, name, message))

    def read(self, position: str) -> None:
        """Note that a record was read at ``position``, for ordering the report."""
        self.order.setdefault(position, len(self.order))

    def _in_order(self, entries: list[Entry]) -> list[Entry]:
        last = len(self.order)
        return sorted(entries, key=lambda entry: self.order.get(entry.position, last))

    def fail(self, message: str) -> None:
        """Record why nothing was imported."""
        self.failure = message

    @property
    def ok(self) -> bool:
        """Return whether the import ran (some records may still have been rejected)."""
        return self.failure is None

    @property
    def all_rejected(self) -> bool:
        """Return whether records were rejected and none was taken in (a failed import too)."""
        taken = sum(self.count(outcome) for outcome in ("created", "updated", "unchanged"))
        return self.count("rejected") > 0 and taken == 0

    def count(self, outcome: str) -> int:
        """Return how many records had ``outcome``."""
        return sum(1 for entry in self.entries if entry.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of records per outcome, every outcome present."""
        return {outcome: self.count(outcome) for outcome in OUTCOMES}

    def of(self, outcome: str) -> list[Entry]:
        """Return the entries with ``outcome``, in the order the records were read."""
        return self._in_order([entry for entry in self.entries if entry.outcome == outcome])

    @property
    def of_inferred(self) -> list[Entry]:
        """Return the listings given inferred tags, in the order the records were read."""
        return self._in_order(self.inferred)

    @property
    def flagged(self) -> list[Entry]:
        """Return the created records flagged as possible duplicates."""
        return [e for e in self.of("created") if e.message.startswith("possible duplicate")]

    def summary(self) -> str:
        """Describe the import in a few lines: counts, then each rejection and warning."""
        lines = [f"Import of {self.location}" + (f" as {self.format}" if self.format else "")]
        if self.source:
            lines[0] += f' (source "{self.source}")'
        if self.failure:
            lines.append(f"Nothing was imported: {self.failure}")
        else:
            counts = ", ".join(f"{n} {outcome}" for outcome, n in self.counts.items())
            lines.append(counts + (f"; {len(self.flagged)} flagged as possible duplicates"
                                   if self.flagged else ""))  # fmt: skip
            if created := self.organizations_created:
                lines.append(f"{created} organisation{'' if created == 1 else 's'} created")
            if self.all_rejected:
                lines.append("Every record was rejected: nothing was imported.")
            if self.dry_run:
                lines.append("Dry run: nothing was saved.")
        for title, entries in (
            ("Rejected", self.of("rejected")),
            ("Skipped", self.of("skipped")),
            ("Possible duplicates (sent to moderators)", self.flagged),
            ("Kept as moderators decided", self._in_order(self.conflicts)),
            ("Tags inferred from the words (moderators can correct them)", self.of_inferred),
            ("Warnings", self._in_order(self.warnings)),
        ):
            if entries:
                lines.append(f"{title}:")
                lines += [f"  {e.label()}: {e.message}" for e in entries[:SUMMARY_LIMIT]]
                if len(entries) > SUMMARY_LIMIT:
                    lines.append(f"  ... and {len(entries) - SUMMARY_LIMIT} more")
        return "\n".join(lines)

    def write_csv(self, stream: TextIO) -> None:
        """Write one row per record outcome, conflict and warning (a failure is one row).

        Cells are guarded: a record's name or id comes from the imported file, and a report is
        opened in a spreadsheet.
        """
        writer = GuardedWriter(stream)
        writer.writerow(CSV_COLUMNS)
        if self.failure:
            writer.writerow(("failed", "file", "", "", self.failure))
        entries = (self.entries, self.conflicts, self.inferred, self.warnings)
        for entry in [item for group in entries for item in self._in_order(group)]:
            writer.writerow(
                (entry.outcome, entry.position, entry.ref or "", entry.name or "", entry.message)
            )
