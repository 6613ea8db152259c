"""Finding personal data in text: every recogniser, then one answer per span.

`scan()` is what other modules call (petitions, the data hub's table scan, documents). It is
pure: no database, no I/O. `scan_for()` is the audited entry point for people and machines:
it records that a scan happened and what types it found, never the data found.

The recognisers read the text in NFC, but every span this module returns is an offset into the
text as the caller gave it, and `entity.text` is that text's own slice: a form or a Mac that sends
decomposed Unicode (NFD) gets its personal data hidden where it really is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.identity.actions import ensure
from mauson.identity.models import Actor
from mauson.privacy.anonymize import Keys, anonymize, decrypt_all
from mauson.privacy.models import Entity, EntityType, Method
from mauson.privacy.recognizers import dates, health, identifiers, names, places
from mauson.privacy.recognizers.context import Doc
from mauson.settings import Settings
from mauson.vntext.normalize import Composed
from mauson.vntext.segment import WORD, clause_spans

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
    """Every piece of personal data in `text`, in order, without overlaps, by offsets into `text`."""
    composed = Composed.of(text)
    doc = Doc(composed.text)
    found: list[Entity] = [*identifiers.find(doc), *dates.find(doc)]
    people = _resolve(list(names.find(doc)) + found)
    people = [e for e in people if e.type is EntityType.PERSON]
    found += people
    found += [
        *places.find_labelled(doc),
        *places.find_lives_at(doc, found),
        *places.find_houses(doc),
        *places.find_record_segments(doc, people),
        *places.find_columns(doc),
    ]
    found += health.find(doc, people)
    wanted = set(types) if types else set(EntityType)
    return [_in_given(composed, e) for e in _resolve(found) if e.type in wanted]


def _in_given(composed: Composed, entity: Entity) -> Entity:
    """`entity`, found in the NFC text, pointing into the text as given."""
    if composed.starts is None:
        return entity
    start, end = composed.span(entity.start, entity.end)
    return replace(entity, start=start, end=end, text=composed.given[start:end])


def _resolve(entities: list[Entity]) -> list[Entity]:
    """Keep one entity per stretch of text: higher priority, then longer, then higher score.

    A phrase (an address, a condition) that runs into a more specific hit is cut short before
    it rather than dropped: "thôn Nà Pàn, SĐT 0912..." keeps "thôn Nà Pàn".
    """
    ranked = sorted(entities, key=lambda e: (-PRIORITY[e.type], -e.length, -e.score, e.start))
    kept: list[Entity] = []
    for candidate in ranked:
        entity = candidate
        clashes = [other for other in kept if entity.start < other.end and other.start < entity.end]
        if clashes and entity.type in PHRASES:
            entity = _cut_before(entity, min(other.start for other in clashes))
            clashes = [other for other in kept if entity.start < other.end and other.start < entity.end]
        if not clashes and entity.length > 0:
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)


PHRASES = frozenset({EntityType.ADDRESS, EntityType.HEALTH})


def _cut_before(entity: Entity, position: int) -> Entity:
    text = entity.text[: max(0, position - entity.start)].rstrip(" ,;:-–(")
    if len(text) < 4:
        return Entity(entity.start, entity.start, entity.type, "", entity.score, entity.reason)
    return Entity(entity.start, entity.start + len(text), entity.type, text, entity.score, entity.reason)


def tag_personal_data(text: str, types: Iterable[EntityType] | None = None) -> str:
    """`text` with each piece of personal data (of `types`, or all) replaced by its type tag
    ("[HỌ TÊN]"): for logs that must keep what was asked but not who asked it."""
    return tagged(text, scan(text, types))


def tagged(text: str, found: Sequence[Entity]) -> str:
    """`text` with the personal data already `found` in it replaced by type tags (no second scan)."""
    return anonymize(text, found, method=Method.TAG, keys=_NO_KEYS)


_NO_KEYS = Keys(b"", b"", b"")  # tags need no key


def without_personal_data(text: str, types: Iterable[EntityType] | None = None, *, clause_words: int = 0) -> str:
    """`text` with its personal data (of `types`, or all) blanked by spaces, offsets kept: what a
    text is about without who wrote it. With `clause_words`, a clause that holds personal data and
    at most that many other words goes too ("Tôi là …", "số CCCD …", "điện thoại …"): its words
    only introduce the sender ("… số CCCD 0201…, hỏi giá vàng" is not about identity cards)."""
    found = [(entity.start, entity.end) for entity in scan(text, types)]
    blanks = list(found)
    for start, end in (span for sentence in clause_spans(text) for span in sentence) if clause_words else ():
        inside = [(a, b) for a, b in found if a < end and start < b]
        rest = "".join(ch for i, ch in enumerate(text[start:end], start) if not any(a <= i < b for a, b in inside))
        if inside and len(WORD.findall(rest)) <= clause_words:
            blanks.append((start, end))
    kept = list(text)
    for start, end in blanks:
        kept[start:end] = " " * (end - start)
    return "".join(kept)


def count_types(entities: Iterable[Entity]) -> dict[str, int]:
    return dict(sorted(Counter(e.type.value for e in entities).items()))


def record_scan(
    *, session: Session, actor: Actor, action: str, characters: int, found: dict[str, int], **extra: str
) -> None:
    """Audit a scan or a redaction: its size and the counts per type, never the data found."""
    details = {"characters": characters, "found": found, **extra}
    audit.record(session=session, actor=actor, event=AuditEvent(action, details=details))


def _record(session: Session, actor: Actor, action: str, text: str, entities: list[Entity], **extra: str) -> None:
    record_scan(session=session, actor=actor, action=action, characters=len(text), found=count_types(entities), **extra)


def scan_for(*, session: Session, actor: Actor, text: str, types: Iterable[EntityType] | None = None) -> list[Entity]:
    """`scan()` for a person or a machine, recorded in the audit log (counts only, never the data)."""
    ensure(actor, "privacy-scan")
    entities = scan(text, types)
    _record(session, actor, "privacy.scan", text, entities)
    return entities


def redact(
    text: str, *, method: Method, keys: Keys, per_type: dict[EntityType, Method] | None = None
) -> tuple[str, list[Entity]]:
    """The anonymised text and what was replaced in it. Pure, like `scan()`: for callers that audit
    a whole job once (`mauson pii redact` over a file's blocks) rather than each call."""
    entities = scan(text)
    return anonymize(text, entities, method=method, keys=keys, per_type=per_type), entities


def redact_for(
    *,
    session: Session,
    actor: Actor,
    text: str,
    method: Method,
    keys: Keys,
    per_type: dict[EntityType, Method] | None = None,
) -> tuple[str, list[Entity]]:
    """`redact()` for a person or a machine, audited like a scan."""
    ensure(actor, "privacy-scan")
    anonymised, entities = redact(text, method=method, keys=keys, per_type=per_type)
    _record(session, actor, "privacy.redact", text, entities, method=method.value)
    return anonymised, entities


def decrypt_for(*, session: Session, actor: Actor, text: str, keys: Keys) -> str:
    """Open the encrypted values in `text`: for authorised officers only, and always audited."""
    ensure(actor, "privacy-decrypt")
    opened = decrypt_all(text, keys.encryption)
    audit.record(session=session, actor=actor, event=AuditEvent("privacy.decrypt", details={"characters": len(text)}))
    return opened


def keys_for(settings: Settings) -> Keys:
    """The pseudonym, hash and encryption keys of this installation (from its secret key)."""
    assert settings.secret_key is not None, "get_settings() fills in the secret key"
    return Keys.derive(settings.secret_key.get_secret_value())
