"""The data hub's domain logic: ingest into the catalogue, versions, access, the privacy gate, reads.

Ingest runs in two steps so a long upload never holds the database: `prepare()` reads the file
into Parquet, scans it for personal data and moves it into the object store (invisible: no row
points at it yet); `create_dataset()` / `add_version()` then write every row in the caller's
transaction. A process killed between the two leaves an unreferenced file and nothing else.

Who sees what is one SQL predicate, `visible()`, used by lists and detail lookups alike, so a
dataset an actor may not see answers 404 everywhere. Every read of non-public data is audited.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from mauson.audit import service as audit
from mauson.audit.models import AuditEvent
from mauson.datahub import gate, ingest, query
from mauson.datahub.models import (
    ACCESS_LABELS,
    LICENCES,
    THEMES,
    Access,
    AccessChange,
    ColumnDoc,
    ColumnRead,
    Dataset,
    DatasetMeta,
    DatasetRead,
    DatasetSummary,
    DerivativeRequest,
    DictionaryEntry,
    Grant,
    Resource,
    ResourceRead,
    Version,
    VersionRead,
)
from mauson.datahub.storage import ObjectStore, file_sha256
from mauson.db import utcnow
from mauson.errors import Conflict, Invalid, NotFound
from mauson.identity import service as identity
from mauson.identity.actions import ensure
from mauson.identity.models import Actor, Organisation, Role, User
from mauson.privacy.anonymize import Keys
from mauson.settings import Settings
from mauson.vntext.normalize import fold, nfc

Query = TypeVar("Query", bound=Select[Any])


def store_for(settings: Settings) -> ObjectStore:
    return ObjectStore(settings.data_dir / "datahub")


# --- who sees what ---


def visible(stmt: Query, actor: Actor) -> Query:
    """Restrict a query over `Dataset` to what `actor` may read: public datasets, their own
    organisation's, and shared ones granted to their organisation and not yet expired."""
    if actor.is_admin:
        return stmt
    public = Dataset.access == Access.PUBLIC.value
    if not actor.is_authenticated or actor.organisation_id is None:
        return stmt.where(public)
    granted = (
        select(Grant.id)
        .where(
            Grant.dataset_id == Dataset.id,
            Grant.organisation_id == actor.organisation_id,
            Grant.expires_at > utcnow(),
        )
        .exists()
    )
    shared = and_(Dataset.access == Access.SHARED.value, granted)
    return stmt.where(or_(public, Dataset.organisation_id == actor.organisation_id, shared))


def get_visible_or_raise(*, session: Session, actor: Actor, name: str, purpose: str | None = None) -> Dataset:
    """The dataset called `name` if `actor` may read it (else `NotFound`); reading a non-public
    dataset's data for `purpose` (page, rows, sql, download) is recorded in the audit log."""
    dataset = session.scalar(visible(select(Dataset).where(Dataset.name == name), actor))
    if dataset is None:
        raise NotFound(f"Không có bộ dữ liệu '{name}' (hoặc bạn không có quyền xem).", code="dataset.not_found")
    if purpose and dataset.access != Access.PUBLIC.value:
        event = AuditEvent(
            "dataset.read", "dataset", dataset.name, details={"purpose": purpose, "access": dataset.access}
        )
        audit.record(session=session, actor=actor, event=event)
    return dataset


def get_resource_or_raise(*, session: Session, actor: Actor, resource_id: str, purpose: str) -> Resource:
    """A table by its id (CKAN's `resource_id`), under the same visibility rule as its dataset.

    A hidden table answers exactly like a missing one: ids are computed from names
    (`resource_uuid`), so a different answer would confirm a guessed hidden dataset."""
    stmt = select(Dataset.name).join(Resource, Resource.dataset_id == Dataset.id).where(Resource.id == resource_id)
    name = session.scalar(visible(stmt, actor))
    if name is None:
        raise NotFound(f"Không có bảng dữ liệu '{resource_id}'.", code="resource.not_found")
    dataset = get_visible_or_raise(session=session, actor=actor, name=name, purpose=purpose)
    return resource_or_raise(dataset, resource_id)


@dataclass(frozen=True)
class CatalogueFilters:
    q: str | None = None
    theme: str | None = None
    organisation: str | None = None
    format: str | None = None
    access: str | None = None
    tag: str | None = None
    licence: str | None = None


def list_visible(*, session: Session, actor: Actor, filters: CatalogueFilters | None = None) -> list[Dataset]:
    """The datasets `actor` may see that match `filters`, most recently updated first."""
    filters = filters or CatalogueFilters()
    stmt = visible(select(Dataset), actor)
    for word in fold(filters.q or "").split():
        stmt = stmt.where(Dataset.search_text.contains(word, autoescape=True))
    if filters.theme:
        stmt = stmt.where(Dataset.theme == filters.theme)
    if filters.access:
        stmt = stmt.where(Dataset.access == filters.access)
    if filters.licence:
        stmt = stmt.where(Dataset.licence == filters.licence)
    if filters.organisation:
        stmt = stmt.join(Organisation, Organisation.id == Dataset.organisation_id).where(
            Organisation.code == filters.organisation
        )
    datasets = list(session.scalars(stmt.order_by(Dataset.updated_at.desc(), Dataset.id.desc())))
    if filters.format:
        datasets = [d for d in datasets if filters.format.upper() in formats(d)]
    if filters.tag:
        datasets = [d for d in datasets if filters.tag in d.tags]
    return datasets


def formats(dataset: Dataset) -> list[str]:
    return sorted({resource.latest.format for resource in dataset.resources if resource.versions})


def facets(datasets: Sequence[Dataset]) -> dict[str, Counter[str]]:
    """Counts per theme, organisation (code), format and access level over `datasets`."""
    counted: dict[str, Counter[str]] = {key: Counter() for key in ("theme", "organisation", "format", "access", "tag")}
    for dataset in datasets:
        if dataset.theme:
            counted["theme"][dataset.theme] += 1
        counted["organisation"][dataset.organisation.code] += 1
        counted["access"][dataset.access] += 1
        counted["format"].update(formats(dataset))
        counted["tag"].update(dataset.tags)
    return counted


# --- ingest ---


@dataclass(frozen=True)
class Prepared:
    """A table read from an upload and already in the object store, with its reports."""

    name: str
    sha256: str
    format: str
    filename: str
    source_bytes: int
    rows: int
    columns: list[dict[str, str]]
    rejected: int
    rejections: list[dict[str, Any]]
    warnings: list[str]
    privacy: list[dict[str, Any]] = field(default_factory=list)
    anonymisation: dict[str, Any] | None = None  # an anonymised copy's k asked and reached (`gate.Derivative`)

    @property
    def personal(self) -> list[str]:
        return gate.personal_columns(self.privacy)


def prepare(
    *, store: ObjectStore, source: Path, filename: str, max_bytes: int, progress: ingest.Progress | None = None
) -> list[Prepared]:
    """Read `source` into Parquet, scan it for personal data and store it (no database writes)."""
    prepared = []
    with store.workspace() as workdir:
        for staged in ingest.stage(source, filename=filename, workdir=workdir, max_bytes=max_bytes, progress=progress):
            with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL: it overlaps the scan
                hashed = pool.submit(file_sha256, staged.path)
                privacy = gate.scan(staged.path)
                digest = store.put(staged.path, hashed.result())
            prepared.append(
                Prepared(
                    name=staged.name,
                    sha256=digest,
                    format=staged.format,
                    filename=Path(filename).name[:300],
                    source_bytes=source.stat().st_size,
                    rows=staged.rows,
                    columns=staged.columns,
                    rejected=staged.rejected,
                    rejections=[vars(r) for r in staged.rejections],
                    warnings=staged.warnings,
                    privacy=privacy,
                )
            )
    return prepared


RESOURCE_NAMESPACE = uuid.UUID("5b6f3c1e-6d0a-4d8e-9b7a-2c1f0e5d4a30")


def resource_uuid(dataset_name: str, table_name: str) -> str:
    """A table's id, stable for the same dataset and table names: harvesters keep their links."""
    return str(uuid.uuid5(RESOURCE_NAMESPACE, f"{dataset_name}/{table_name}"))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80] or "du-lieu"


def _unique_name(session: Session, wanted: str) -> str:
    name, number = wanted, 1
    while session.scalar(select(Dataset.id).where(Dataset.name == name)) is not None:
        number += 1
        name = f"{wanted}-{number}"
    return name


def default_organisation(*, session: Session) -> Organisation:
    """The first administrator's organisation: where the console's uploads go by default."""
    org = session.scalar(
        select(Organisation)
        .join(User, User.organisation_id == Organisation.id)
        .where(User.role == Role.ADMIN.value)
        .order_by(User.id)
        .limit(1)
    )
    if org is None:
        raise Invalid("Chưa có tài khoản quản trị; hãy chỉ rõ cơ quan bằng --org MÃ.", code="datahub.no_org")
    return org


def create_dataset(
    *,
    session: Session,
    actor: Actor,
    tables: Sequence[Prepared],
    title: str,
    organisation_code: str | None = None,
    access: Access = Access.RESTRICTED,
    meta: DatasetMeta | None = None,
    name: str | None = None,
) -> Dataset:
    """A new dataset whose resources are `tables`; public access is refused for personal data."""
    if organisation_code:
        organisation = identity.get_organisation_or_raise(session=session, code=organisation_code)
    elif actor.organisation_id is not None:
        organisation = session.get_one(Organisation, actor.organisation_id)
    else:
        organisation = default_organisation(session=session)
    ensure(actor, "dataset-edit", _Owned(organisation.id))
    personal = sorted({column for table in tables for column in table.personal})
    if access is Access.PUBLIC and personal:
        raise Conflict(_personal_message(personal, "create"), code="dataset.personal_data")
    title = nfc(title).strip() or "Dữ liệu chưa đặt tên"
    dataset = Dataset(
        name=_unique_name(session, slug(name or title)),
        title=title,
        search_text="",
        organisation_id=organisation.id,
        access=access.value,
        personal_columns=personal,
        created_by=actor.username,
        tags=[],
    )
    dataset.organisation = organisation
    session.add(dataset)
    _apply_meta(dataset, meta or DatasetMeta())
    for position, table in enumerate(tables):
        resource = Resource(id=resource_uuid(dataset.name, table.name), name=table.name, position=position)
        dataset.resources.append(resource)
        _append_version(resource, table, actor)
    session.flush()
    details = {"access": access.value, "tables": len(tables), "personal_columns": len(personal)}
    audit.record(
        session=session, actor=actor, event=AuditEvent("dataset.create", "dataset", dataset.name, details=details)
    )
    return dataset


@dataclass(frozen=True)
class _Owned:
    """What the permission rules need of a dataset before it exists: its organisation."""

    organisation_id: int


_RESTRICTED = ACCESS_LABELS[Access.RESTRICTED]
# What to do next depends on what is already stored: an anonymised copy is made from a saved dataset.
PERSONAL_NEXT_STEP = {
    "create": (
        f"Chưa có gì được lưu. Hãy tải tệp lên lại với quyền «{_RESTRICTED}», rồi trên trang bộ dữ liệu "
        "tạo bản ẩn danh và công khai bản đó."
    ),
    "version": (
        "Phiên bản mới chưa được lưu. Hãy bỏ các cột đó khỏi tệp rồi tải lên lại; hoặc chuyển bộ dữ liệu về "
        f"«{_RESTRICTED}», tải tệp lên, rồi tạo bản ẩn danh và công khai bản đó."
    ),
    "publish": "Hãy tạo bản ẩn danh và công khai bản đó.",
}


def _personal_message(columns: Sequence[str], stage: Literal["create", "version", "publish"]) -> str:
    """Why public access is refused, and the next step that is possible from where the data is."""
    return f"Không thể công khai: các cột {', '.join(columns)} chứa dữ liệu cá nhân. {PERSONAL_NEXT_STEP[stage]}"


def add_version(*, session: Session, actor: Actor, dataset: Dataset, tables: Sequence[Prepared]) -> list[Version]:
    """A new version of the resources the upload matches (by sheet or file name; a single table
    replaces the first resource); tables with a new name become new resources."""
    ensure(actor, "dataset-edit", dataset)
    by_name = {resource.name: resource for resource in dataset.resources}
    versions = []
    for table in tables:
        resource = by_name.get(table.name) or (dataset.resources[0] if len(tables) == 1 else None)
        if resource is None:
            resource = Resource(
                id=resource_uuid(dataset.name, table.name), name=table.name, position=len(dataset.resources)
            )
            dataset.resources.append(resource)
        versions.append(_append_version(resource, table, actor))
    dataset.personal_columns = personal_in_any_version(dataset)
    if dataset.access == Access.PUBLIC.value and dataset.personal_columns:
        raise Conflict(_personal_message(dataset.personal_columns, "version"), code="dataset.personal_data")
    dataset.updated_at = utcnow()
    session.flush()
    details = {"versions": [f"{v.resource.name} v{v.number}" for v in versions]}
    audit.record(
        session=session, actor=actor, event=AuditEvent("dataset.version", "dataset", dataset.name, details=details)
    )
    return versions


def personal_in_any_version(dataset: Dataset) -> list[str]:
    """Personal columns of every version, not only the latest: old versions stay readable
    (`version=1`, `data_v1`), so a clean upload over personal data must not make it publishable."""
    return sorted(
        {
            column
            for resource in dataset.resources
            for version in resource.versions
            for column in gate.personal_columns(version.privacy)
        }
    )


def _append_version(resource: Resource, table: Prepared, actor: Actor) -> Version:
    previous = resource.versions[-1] if resource.versions else None
    version = Version(
        number=(previous.number + 1) if previous else 1,
        sha256=table.sha256,
        format=table.format,
        filename=table.filename,
        source_bytes=table.source_bytes,
        rows=table.rows,
        columns=table.columns,
        changes=changes(previous, table),
        validation=_validation(table),
        privacy=table.privacy,
        created_by=actor.username,
    )
    resource.versions.append(version)
    _sync_dictionary(resource, table.columns)
    return version


def _validation(table: Prepared) -> dict[str, Any]:
    """The rows an upload rejected and its warnings; for an anonymised copy, also the k it was
    asked for and the k it reached, which its privacy report shows next to the k measured."""
    found = {"rejected": table.rejected, "rejections": table.rejections, "warnings": table.warnings}
    return found | ({"anonymisation": table.anonymisation} if table.anonymisation else {})


def changes(previous: Version | None, table: Prepared) -> dict[str, Any]:
    """What an upload changes against the version before it: columns added, removed, retyped; rows."""
    if previous is None:
        return {"first": True, "rows": table.rows}
    before = {c["name"]: c["type"] for c in previous.columns}
    after = {c["name"]: c["type"] for c in table.columns}
    return {
        "first": False,
        "added": [name for name in after if name not in before],
        "removed": [name for name in before if name not in after],
        "retyped": [
            f"{name}: {before[name]} → {kind}" for name, kind in after.items() if before.get(name, kind) != kind
        ],
        "rows_before": previous.rows,
        "rows": table.rows,
    }


def _sync_dictionary(resource: Resource, columns: list[dict[str, str]]) -> None:
    """Keep the data dictionary's descriptions across uploads; mark dropped columns, add new ones."""
    entries = {entry.name: entry for entry in resource.dictionary}
    current = {column["name"] for column in columns}
    for entry in entries.values():
        entry.present = entry.name in current
    for column in columns:
        if column["name"] in entries:
            entries[column["name"]].type = column["type"]
        else:
            resource.dictionary.append(
                DictionaryEntry(name=column["name"], type=column["type"], description="", unit="")
            )


# --- editing ---


def _apply_meta(dataset: Dataset, meta: DatasetMeta) -> None:
    values = meta.model_dump(exclude_unset=True)
    if "theme" in values and values["theme"] not in (None, *THEMES):
        raise Invalid(
            f"Chủ đề '{values['theme']}' không có; chọn một trong: {', '.join(THEMES)}.", code="dataset.theme"
        )
    if "licence" in values and values["licence"] not in LICENCES:
        raise Invalid(f"Giấy phép '{values['licence']}' không có; chọn: {', '.join(LICENCES)}.", code="dataset.licence")
    for key, value in values.items():
        setattr(dataset, key, nfc(value).strip() if isinstance(value, str) else value)
    dataset.search_text = fold(" ".join([dataset.title, *dataset.tags]))


def update_meta(*, session: Session, actor: Actor, dataset: Dataset, meta: DatasetMeta) -> Dataset:
    ensure(actor, "dataset-edit", dataset)
    _apply_meta(dataset, meta)
    dataset.updated_at = utcnow()
    session.flush()
    fields = sorted(meta.model_dump(exclude_unset=True))
    audit.record(
        session=session,
        actor=actor,
        event=AuditEvent("dataset.update", "dataset", dataset.name, details={"fields": fields}),
    )
    return dataset


def document_columns(
    *, session: Session, actor: Actor, dataset: Dataset, docs: Sequence[ColumnDoc], resource: str | None = None
) -> Resource:
    """Describe columns in the data dictionary (description, unit)."""
    ensure(actor, "dataset-edit", dataset)
    target = resource_or_raise(dataset, resource)
    entries = {entry.name: entry for entry in target.dictionary}
    for doc in docs:
        if doc.name not in entries:
            raise Invalid(f"Không có cột '{doc.name}'.", code="datahub.unknown_column")
        entries[doc.name].description, entries[doc.name].unit = nfc(doc.description).strip(), nfc(doc.unit).strip()
    session.flush()
    details = {"resource": target.name, "columns": [doc.name for doc in docs]}
    audit.record(
        session=session, actor=actor, event=AuditEvent("dataset.dictionary", "dataset", dataset.name, details=details)
    )
    return target


def set_access(*, session: Session, actor: Actor, dataset: Dataset, change: AccessChange) -> Dataset:
    """Change who may read the dataset. Public access is refused while it holds personal data:
    only its anonymised derivative may be published. The decision is audited."""
    ensure(actor, "dataset-publish", dataset)
    if change.access is Access.PUBLIC and dataset.personal_columns:
        raise Conflict(_personal_message(dataset.personal_columns, "publish"), code="dataset.personal_data")
    dataset.grants.clear()
    session.flush()
    if change.access is Access.SHARED:
        expires = utcnow() + timedelta(days=change.days)
        for code in dict.fromkeys(change.organisations):
            organisation = identity.get_organisation_or_raise(session=session, code=code)
            dataset.grants.append(Grant(organisation_id=organisation.id, expires_at=expires, granted_by=actor.username))
    before, dataset.access = dataset.access, change.access.value
    dataset.updated_at = utcnow()
    session.flush()
    details: dict[str, Any] = {
        "from": before,
        "to": change.access.value,
        "derivative_of": _source_name(session, dataset),
    }
    if change.access is Access.SHARED:
        details |= {"organisations": list(dict.fromkeys(change.organisations)), "days": change.days}
    audit.record(
        session=session, actor=actor, event=AuditEvent("dataset.access", "dataset", dataset.name, details=details)
    )
    return dataset


def _source_name(session: Session, dataset: Dataset) -> str | None:
    return session.scalar(select(Dataset.name).where(Dataset.id == dataset.source_id)) if dataset.source_id else None


def resource_or_raise(dataset: Dataset, name: str | None) -> Resource:
    if not dataset.resources:
        raise NotFound("Bộ dữ liệu chưa có bảng nào.", code="resource.not_found")
    if name is None:
        return dataset.resources[0]
    for resource in dataset.resources:
        if name in (resource.name, resource.id):
            return resource
    raise NotFound(f"Bộ dữ liệu không có bảng '{name}'.", code="resource.not_found")


def version_or_raise(resource: Resource, number: int | None) -> Version:
    if number is None:
        return resource.latest
    for version in resource.versions:
        if version.number == number:
            return version
    raise NotFound(f"Bảng '{resource.name}' không có phiên bản {number}.", code="version.not_found")


# --- the privacy gate ---


@dataclass(frozen=True)
class PrivacyView:
    """What the gate shows an editor: the scan per column, k-anonymity, the proposed plan; for
    an anonymised copy, how it was made; for a source, its copies and the public one, if any,
    that a new copy would replace."""

    resource: str
    columns: list[dict[str, Any]]
    k: gate.KAnonymityReport
    plan: dict[str, str]
    derivatives: list[str]
    anonymisation: dict[str, Any] | None
    public_derivative: str | None


def privacy_report(
    *, session: Session, actor: Actor, store: ObjectStore, dataset: Dataset, resource: str | None = None
) -> PrivacyView:
    ensure(actor, "dataset-edit", dataset)
    target = resource_or_raise(dataset, resource)
    report = target.latest.privacy
    return PrivacyView(
        resource=target.name,
        columns=report,
        k=gate.k_report(store.path(target.latest.sha256), report),
        plan={name: how.value for name, how in gate.default_plan(report).items()},
        derivatives=derivative_names(session=session, dataset=dataset),
        anonymisation=target.latest.validation.get("anonymisation"),
        public_derivative=_public_name(_derivative_of(session, dataset)),
    )


def derivative_names(*, session: Session, dataset: Dataset) -> list[str]:
    return list(session.scalars(select(Dataset.name).where(Dataset.source_id == dataset.id).order_by(Dataset.id)))


def _derivative_of(session: Session, dataset: Dataset) -> Dataset | None:
    """The copy a new derivative of `dataset` becomes a version of: its first one."""
    return session.scalar(select(Dataset).where(Dataset.source_id == dataset.id).order_by(Dataset.id).limit(1))


def _public_name(copy: Dataset | None) -> str | None:
    """The copy's name if people can read it already: a new version would replace what they see."""
    return copy.name if copy is not None and copy.access == Access.PUBLIC.value else None


def make_derivative(
    *, session: Session, actor: Actor, store: ObjectStore, dataset: Dataset, request: DerivativeRequest, keys: Keys
) -> tuple[Dataset, gate.Derivative]:
    """The anonymised copy of one table, as a dataset of its own (a new version if it exists):
    restricted until someone publishes it. A copy already public is replaced only when the
    request says so (`replace_public`): people read it as soon as it is written. Its source
    stays as it was."""
    ensure(actor, "dataset-edit", dataset)
    target = resource_or_raise(dataset, request.resource)
    existing = _derivative_of(session, dataset)
    public = _public_name(existing)
    if public is not None and not request.replace_public:
        raise Conflict(_replace_public_message(public), code="dataset.replace_public")
    version = target.latest
    with store.workspace() as workdir:
        derived = gate.derive(
            store.path(version.sha256),
            version.privacy,
            request.columns,
            k=request.k,
            keys=keys,
            target=workdir / "d.parquet",
        )
        table = _derivative_table(version, request, derived, store.put(derived.path))
    if existing is not None:
        add_version(session=session, actor=actor, dataset=existing, tables=[table])
        result = existing
    else:
        result = _create_derivative(session=session, actor=actor, source=dataset, table=table)
    session.flush()
    details = {"source": dataset.name, "plan": derived.plan, "replaced_public": public is not None}
    audit.record(
        session=session,
        actor=actor,
        event=AuditEvent("dataset.derive", "dataset", result.name, details=details | derived.anonymisation),
    )
    return result, derived


def _replace_public_message(name: str) -> str:
    """Why a new copy is not written over a public one, and the two ways forward."""
    return (
        f"Bản ẩn danh «{name}» đang công khai: phiên bản mới sẽ thay ngay dữ liệu mọi người đang xem. "
        "Nếu đã xem kỹ cách xử lý từng cột, hãy đánh dấu «Thay bản đang công khai» (API: "
        f'"replace_public": true); hoặc chuyển bản đó về «{_RESTRICTED}» trước. Chưa có gì được lưu.'
    )


def _derivative_table(version: Version, request: DerivativeRequest, derived: gate.Derivative, sha256: str) -> Prepared:
    """The anonymised copy as an upload of its own: no personal column left, how each was treated."""
    return Prepared(
        name=version.resource.name,
        sha256=sha256,
        format=version.format,
        filename=version.filename,
        source_bytes=version.source_bytes,
        rows=derived.rows,
        columns=gate.derived_columns(version.columns, request.columns),
        rejected=0,
        rejections=[],
        warnings=[],
        privacy=[
            {**column, "type": None, "label": None, "treated": request.columns.get(column["name"], "keep")}
            for column in version.privacy
            if request.columns.get(column["name"]) != "drop"
        ],
        anonymisation=derived.anonymisation,
    )


def _create_derivative(*, session: Session, actor: Actor, source: Dataset, table: Prepared) -> Dataset:
    """The first anonymised copy of `source`: its catalogue fields, restricted to its organisation."""
    copy = create_dataset(
        session=session,
        actor=actor,
        tables=[table],
        title=f"{source.title} (bản ẩn danh)",
        organisation_code=source.organisation.code,
        name=f"{source.name}-an-danh",
        meta=DatasetMeta(
            description=source.description,
            theme=source.theme,
            tags=source.tags,
            licence=source.licence,
            frequency=source.frequency,
            temporal=source.temporal,
            spatial=source.spatial,
            contact=source.contact,
        ),
    )
    copy.source_id = source.id
    return copy


# --- reading ---


def views(dataset: Dataset, store: ObjectStore) -> dict[str, Path]:
    """The tables SQL on this dataset can name: `data` (the first table's latest version),
    `data_v1`, `data_v2`... and for other tables their own name, with `_vN` for versions."""
    named: dict[str, Path] = {}
    for index, resource in enumerate(dataset.resources):
        base = (
            "data" if index == 0 else re.sub(r"[^a-z0-9]+", "_", fold(resource.name)).strip("_") or f"bang{index + 1}"
        )
        named[base] = store.path(resource.latest.sha256)
        for version in resource.versions:
            named[f"{base}_v{version.number}"] = store.path(version.sha256)
    return named


def parse_filters(params: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Query parameters `column=value` and `column__op=value` as (column, operator, value)."""
    parsed = []
    for key, value in params:
        column, _, operator = key.rpartition("__") if "__" in key else (key, "", "exact")
        parsed.append((column, operator, value))
    return parsed


def parse_sort(text: str | None) -> list[tuple[str, bool]]:
    """`sort=-population,name`: a leading minus sorts descending."""
    return [
        (part.strip().lstrip("-"), part.strip().startswith("-")) for part in (text or "").split(",") if part.strip()
    ]


def read_rows(
    *,
    store: ObjectStore,
    dataset: Dataset,
    resource: str | None = None,
    version: int | None = None,
    columns: Sequence[str] | None = None,
    filters: Sequence[tuple[str, str, str]] = (),
    sort: Sequence[tuple[str, bool]] = (),
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> query.Rows:
    chosen = version_or_raise(resource_or_raise(dataset, resource), version)
    return query.select_rows(
        store.path(chosen.sha256),
        schema=[c["name"] for c in chosen.columns],
        columns=columns,
        filters=filters,
        sort=sort,
        search=search,
        limit=limit,
        offset=offset,
    )


def run_sql(*, store: ObjectStore, dataset: Dataset, sql: str, limit: int) -> query.Rows:
    return query.run_sql(views(dataset, store), sql, max_rows=limit, seconds=query.SQL_SECONDS)


# --- what the API and the pages show ---


def summary(dataset: Dataset) -> DatasetSummary:
    return DatasetSummary(
        name=dataset.name,
        title=dataset.title,
        organisation=dataset.organisation.code,
        theme=dataset.theme,
        access=Access(dataset.access),
        formats=formats(dataset),
        personal_data=bool(dataset.personal_columns),
        updated_at=dataset.updated_at,
    )


def describe(*, session: Session, dataset: Dataset) -> DatasetRead:
    return DatasetRead(
        **summary(dataset).model_dump(),
        description=dataset.description,
        tags=dataset.tags,
        licence=dataset.licence,
        frequency=dataset.frequency,
        temporal=dataset.temporal,
        spatial=dataset.spatial,
        contact=dataset.contact,
        source=_source_name(session, dataset),
        derivatives=derivative_names(session=session, dataset=dataset),
        grants=[{"organisation": g.organisation.code, "expires_at": g.expires_at.isoformat()} for g in dataset.grants],
        resources=[_resource_read(resource) for resource in dataset.resources],
    )


def _resource_read(resource: Resource) -> ResourceRead:
    latest = resource.latest
    personal = {column["name"]: column["type"] for column in latest.privacy if column.get("type")}
    docs = {entry.name: entry for entry in resource.dictionary}
    columns = [
        ColumnRead(
            name=column["name"],
            type=column["type"],
            description=docs[column["name"]].description if column["name"] in docs else "",
            unit=docs[column["name"]].unit if column["name"] in docs else "",
            personal=personal.get(column["name"]),
        )
        for column in latest.columns
    ]
    return ResourceRead(
        id=resource.id,
        name=resource.name,
        rows=latest.rows,
        columns=columns,
        versions=[VersionRead.model_validate(v) for v in reversed(resource.versions)],
    )
