"""Say who makes a change: a moderator, an organiser, an import source, a command, the system."""

from __future__ import annotations

from dataclasses import dataclass

from directory.models import ActorKind, Group, Moderator


class ServiceError(ValueError):
    """An operation that cannot be done as asked; the message says why, for a person."""


class NotAllowed(ServiceError):
    """An operation the actor may not do on this listing."""


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the audit trail records it.

    ``label`` is a moderator's email, an import's source name or a command's name.
    ``organization_ids`` limits a moderator to some organisations' listings (None: all).
    """

    kind: ActorKind
    label: str
    moderator_id: int | None = None
    organization_ids: frozenset[int] | None = None

    def __post_init__(self) -> None:
        """Accept the kind as text too ("moderator"), refusing an unknown one."""
        object.__setattr__(self, "kind", ActorKind(self.kind))

    @classmethod
    def for_moderator(cls, moderator: Moderator) -> Actor:
        """Act as ``moderator``, within the organisations they are limited to."""
        return cls(ActorKind.MODERATOR, moderator.email, moderator.id, moderator.organization_ids)

    @classmethod
    def organiser(cls, label: str = "organiser") -> Actor:
        """Act as a listing's organiser (by signed link)."""
        return cls(ActorKind.ORGANISER, label)

    @classmethod
    def importer(cls, source: str) -> Actor:
        """Act as the import of ``source``."""
        return cls(ActorKind.IMPORT, source)

    @classmethod
    def command(cls, name: str) -> Actor:
        """Act as the command-line command ``name``."""
        return cls(ActorKind.COMMAND, name)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        """Act as the site itself (a scheduled job, say)."""
        return cls(ActorKind.SYSTEM, label)

    @property
    def is_person(self) -> bool:
        """Return whether a person decided (a moderator, an organiser or someone at a shell)."""
        return self.kind in (ActorKind.MODERATOR, ActorKind.ORGANISER, ActorKind.COMMAND)

    def may_change(self, group: Group) -> bool:
        """Return whether this actor may change ``group`` (moderators may be limited)."""
        return self.organization_ids is None or group.organization_id in self.organization_ids

    def check(self, group: Group) -> None:
        """Raise NotAllowed unless this actor may change ``group``."""
        if not self.may_change(group):
            raise NotAllowed(f"{self.label} may not moderate listing {group.id}")


def describe(kind: str, label: str) -> str:
    """Name an actor for a person reading the history: an email, import:<source>, ..."""
    if kind == ActorKind.MODERATOR:
        return label
    return f"{kind}:{label}" if label and label != kind else kind
