"""Finding personal data in text: every recogniser, then one answer per span.

`scan()` is what other modules call (petitions, the data hub's table scan, documents). It is
pure: no database, no I/O. `scan_for()` is the audited entry point for people and machines:
it records that a scan happened and what types it found, never the data found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.identity.models import Actor
from mauson.privacy.models import Entity, EntityType
from mauson.privacy.recognizers import dates, health, identifiers, names, places
from mauson.privacy.recognizers.context import Doc
from mauson.vntext.normalize import nfc

# When two hits overlap, the more specific kind wins; among equals, the longer span.
PRIORITY: dict[EntityType, int] = {
    EntityType.EMAIL: 9,
    EntityType.CCCD: 8,
    EntityType.CMND: 8,
    EntityType.PASSPORT: 8,
    EntityType.TAX_CODE: 8,
    EntityType.SOCIAL_INSURANCE: 8,
    EntityType.BANK_ACCOUNT: 8,
    EntityType.PHONE: 8,
    EntityType.LICENSE_PLATE: 8,
    EntityType.DATE_OF_BIRTH: 7,
    EntityType.PERSON: 6,
    EntityType.HEALTH: 5,
    EntityType.ADDRESS: 4,
}


def scan(text: str, types: Iterable[EntityType] | None = None) -> list[Entity]:
    """Every piece of personal data in `text`, in order, without overlaps."""
    doc = Doc(nfc(text))
    found: list[Entity] = [*identifiers.find(doc), *dates.find(doc)]
    people = _resolve(list(names.find(doc)) + found)
    people = [e for e in people if e.type is EntityType.PERSON]
    found += people
    found += places.find_labelled(doc)
    found += places.find_lives_at(doc)
    found += places.find_record_segments(doc, people)
    found += places.find_columns(doc)
    found += health.find(doc, people)
    wanted = set(types) if types else set(EntityType)
    return [e for e in _resolve(found) if e.type in wanted]


def _resolve(entities: list[Entity]) -> list[Entity]:
    """Keep one entity per stretch of text: higher priority, then longer, then higher score."""
    ranked = sorted(entities, key=lambda e: (-PRIORITY[e.type], -e.length, -e.score, e.start))
    kept: list[Entity] = []
    for entity in ranked:
        if all(entity.end <= other.start or entity.start >= other.end for other in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)


def scan_for(*, session: Session, actor: Actor, text: str, types: Iterable[EntityType] | None = None) -> list[Entity]:
    """`scan()` for a person or a machine, recorded in the audit log (counts only, no data)."""
    entities = scan(text, types)
    counts = Counter(e.type.value for e in entities)
    event = AuditEvent("privacy.scan", details={"characters": len(text), "found": dict(sorted(counts.items()))})
    audit.record(session=session, actor=actor, event=event)
    return entities
