"""Web uploads read in the background: a job row, a small thread pool, progress on the row.

The upload page saves the file under `<data_dir>/datahub/jobs/<id>/`, writes an `IngestJob` row
and returns at once; the browser then polls the job's status page. A worker thread of this
process runs `service.prepare()` (reading, typing, the privacy scan) while a reporter thread
writes its progress to the row every second, then writes the dataset rows *and* marks the job
done in one transaction. A process killed half-way leaves a job that stops being touched: it is
reported as interrupted, and no dataset row was ever written (the SIGKILL guarantee of ingest).

Jobs receive ids and open their own sessions; they never receive ORM objects.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import update
from sqlalchemy.orm import Session

from mauson.datahub import service
from mauson.datahub.ingest import too_large
from mauson.datahub.models import Access, Dataset, DatasetMeta, IngestJob, JobStatus
from mauson.db import Database, utcnow
from mauson.errors import MausonError, NotFound
from mauson.identity import service as identity
from mauson.identity.actions import ensure
from mauson.identity.models import Actor, User
from mauson.settings import Settings

log = logging.getLogger("mauson")

WORKERS = 2
REPORT_SECONDS = 1.0
STALE_RUNNING = timedelta(seconds=60)  # a running job is touched every second while its process lives
STALE_QUEUED = timedelta(minutes=30)  # a queued job waits for a free worker of its own process
LEFTOVER_SECONDS = 6 * 3600  # an upload folder this old belongs to a job that died
INTERRUPTED = (
    "Việc xử lý tệp bị dừng giữa chừng (máy chủ đã khởi động lại). Chưa có dữ liệu nào được lưu; hãy tải tệp lên lại."
)
INTERNAL = "Lỗi hệ thống khi đọc tệp. Xin thử lại; nếu vẫn lỗi, hãy báo quản trị viên."

_pool: list[ThreadPoolExecutor] = []  # this process's one pool, made on first use
_pool_lock = threading.Lock()
_active: set[str] = set()  # jobs queued or running in this process


def folder_for(settings: Settings, job_id: str) -> Path:
    return settings.data_dir / "datahub" / "jobs" / job_id


def create(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    upload: BinaryIO,
    filename: str,
    params: dict[str, Any],
    dataset: Dataset | None = None,
) -> IngestJob:
    """Save the upload and queue its ingest: a new dataset, or a new version of `dataset`."""
    ensure(actor, "dataset-edit", dataset)
    if actor.user_id is None:
        raise NotFound("Chỉ tài khoản người dùng mới tải lên qua trang web.", code="datahub.job_user")
    job_id = uuid.uuid4().hex
    folder = folder_for(settings, job_id)
    folder.mkdir(parents=True)
    _sweep(folder.parent)
    try:
        size = _save(upload, folder / "upload", settings.datahub_max_upload_bytes)
        job = IngestJob(
            id=job_id,
            kind="version" if dataset is not None else "create",
            status=JobStatus.QUEUED.value,
            stage="Đang chờ xử lý",
            progress=0.0,
            filename=Path(filename).name[:300] or "upload",
            source_bytes=size,
            params=params,
            dataset=dataset.name if dataset is not None else None,
            user_id=actor.user_id,
            created_by=actor.username,
        )
        session.add(job)
        session.flush()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


def _sweep(root: Path) -> None:
    """Remove uploads left behind by jobs whose process died long ago."""
    cutoff = time.time() - LEFTOVER_SECONDS
    for leftover in root.iterdir():
        if leftover.name not in _active and leftover.stat().st_mtime < cutoff:
            shutil.rmtree(leftover, ignore_errors=True)


def _save(upload: BinaryIO, target: Path, limit: int) -> int:
    size = 0
    with target.open("wb") as handle:
        for block in iter(lambda: upload.read(1 << 20), b""):
            size += len(block)
            if size > limit:
                raise too_large(limit)
            handle.write(block)
    return size


def get_or_raise(*, session: Session, actor: Actor, job_id: str) -> IngestJob:
    """The job if `actor` started it (or is an administrator); a job whose process died is
    marked interrupted here, the first time anyone looks at it."""
    job = session.get(IngestJob, job_id)
    if job is None or not (actor.is_admin or (actor.user_id is not None and job.user_id == actor.user_id)):
        raise NotFound("Không có việc tải lên này.", code="datahub.job_not_found")
    if _is_stale(job):
        job.status, job.error_code, job.error = JobStatus.FAILED.value, "datahub.interrupted", INTERRUPTED
        job.finished_at = utcnow()
        session.flush()
    return job


def _is_stale(job: IngestJob) -> bool:
    if job.id in _active or job.status not in (JobStatus.QUEUED.value, JobStatus.RUNNING.value):
        return False
    limit = STALE_RUNNING if job.status == JobStatus.RUNNING.value else STALE_QUEUED
    return utcnow() - job.updated_at > limit


def enqueue(database: Database, settings: Settings, job_id: str) -> None:
    """Hand the job to this process's worker threads (call after its row is committed)."""
    with _pool_lock:
        if not _pool:
            _pool.append(ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="datahub-ingest"))
        _active.add(job_id)
        _pool[0].submit(run, database, settings, job_id)


def run(database: Database, settings: Settings, job_id: str) -> None:
    """Do one job: read the file, then write the dataset and mark the job done together."""
    try:
        _run(database, settings, job_id)
    except MausonError as error:
        _finish_failed(database, job_id, error.code, error.message)
    except Exception:
        log.exception("datahub ingest job %s failed", job_id)
        _finish_failed(database, job_id, "internal", INTERNAL)
    finally:
        _active.discard(job_id)
        shutil.rmtree(folder_for(settings, job_id), ignore_errors=True)


def _run(database: Database, settings: Settings, job_id: str) -> None:
    with database.unit_of_work() as session:
        job = session.get_one(IngestJob, job_id)
        job.status, job.stage, job.updated_at = JobStatus.RUNNING.value, "Đang đọc và kiểm tra tệp", utcnow()
        filename = job.filename
    reporter = _Reporter(database, job_id)
    try:
        tables = service.prepare(
            store=service.store_for(settings),
            source=folder_for(settings, job_id) / "upload",
            filename=filename,
            max_bytes=settings.datahub_max_upload_bytes,
            progress=reporter.progress,
        )
    finally:
        reporter.stop()
    with database.unit_of_work() as session:
        job = session.get_one(IngestJob, job_id)
        actor = identity.actor_for(session.get_one(User, job.user_id), ip=None, via="web")
        dataset = _store(session, actor, job, tables)
        job.status, job.stage, job.progress = JobStatus.DONE.value, "Đã xong", 1.0
        job.dataset, job.rows = dataset.name, sum(table.rows for table in tables)
        job.updated_at = job.finished_at = utcnow()


def _store(session: Session, actor: Actor, job: IngestJob, tables: list[service.Prepared]) -> Dataset:
    params = job.params
    if job.kind == "version":
        dataset = service.get_visible_or_raise(session=session, actor=actor, name=job.dataset or "")
        service.add_version(session=session, actor=actor, dataset=dataset, tables=tables)
        return dataset
    dataset = service.create_dataset(
        session=session,
        actor=actor,
        tables=tables,
        title=params.get("title") or Path(job.filename).stem,
        access=Access(params.get("access", Access.RESTRICTED.value)),
    )
    if params.get("theme"):
        service.update_meta(session=session, actor=actor, dataset=dataset, meta=DatasetMeta(theme=params["theme"]))
    return dataset


def _finish_failed(database: Database, job_id: str, code: str, message: str) -> None:
    with database.unit_of_work() as session:
        session.execute(
            update(IngestJob)
            .where(IngestJob.id == job_id)
            .values(status=JobStatus.FAILED.value, error_code=code, error=message, finished_at=utcnow())
        )


class _Reporter:
    """Writes the latest progress to the job row every second (also the row's heartbeat)."""

    def __init__(self, database: Database, job_id: str) -> None:
        self.database, self.job_id = database, job_id
        self.value, self.stage = 0.0, "Đang đọc và kiểm tra tệp"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name=f"datahub-report-{job_id[:8]}")
        self._thread.start()

    def progress(self, share: float) -> None:
        self.value = max(0.0, min(share, 1.0))
        if self.value >= 1.0:
            self.stage = "Đang quét dữ liệu cá nhân và lưu tệp"

    def _loop(self) -> None:
        while not self._stop.wait(REPORT_SECONDS):
            self._write()

    def _write(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                session.execute(
                    update(IngestJob)
                    .where(IngestJob.id == self.job_id)
                    .values(progress=self.value, stage=self.stage, updated_at=utcnow())
                )
        except Exception:  # a busy database must not stop the ingest; the next beat retries
            log.warning("could not record progress of job %s", self.job_id, exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
