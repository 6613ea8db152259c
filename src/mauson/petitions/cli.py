"""`mauson petitions`: triage from the console (one text or a JSON Lines batch), retrain the
classifier, import petitions, escalate overdue ones, and set where emergency alerts go."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from mauson.console import jsonl_record, operator, state
from mauson.db import as_aware
from mauson.errors import Invalid
from mauson.petitions import alerts, intake, labels, workflow
from mauson.petitions.classifier import save, shipped_path, written_forms
from mauson.petitions.models import NotifierCreate, PetitionCreate
from mauson.petitions.training import fit, read_examples, seed_path
from mauson.petitions.triage import Submission, Triage, triage, triage_batch
from mauson.privacy.models import TYPE_LABELS, EntityType

petitions_app = typer.Typer(help="Phản ánh, kiến nghị (petitions).", no_args_is_help=True)


def _print_triage(result: Triage, text: str) -> None:
    """The triage of `text` as an officer reads it: labels in words, the deciding words as written."""
    forms = written_forms(text)
    for title, prediction, names in [
        ("Lĩnh vực", result.category, labels.CATEGORIES),
        ("Cơ quan chủ trì", result.agency, labels.AGENCIES),
        ("Mức khẩn", result.urgency, labels.URGENCIES),
    ]:
        decided = ", ".join(forms.get(word, word) for word, _ in prediction.words) or "—"
        typer.echo(f"{title}: {names[prediction.label]} ({prediction.confidence:.0%}; từ quyết định: {decided})")
    if result.place:
        typer.echo(
            f"Xã/phường: {result.place.name} ({result.place.confidence:.0%}; từ: {', '.join(result.place.evidence)})"
        )
    else:
        typer.echo("Xã/phường: không xác định")
    if result.personal_data:
        kinds = sorted({TYPE_LABELS[EntityType(found.type)] for found in result.personal_data})
        typer.echo(f"Dữ liệu cá nhân: {', '.join(kinds)}")


def _submitted_at(value: object, number: int) -> datetime:
    """An ISO 8601 time; one without a zone is taken as Vietnam's (+07:00)."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise Invalid(f"Dòng {number}: submitted_at không phải thời điểm ISO 8601.", code="jsonl.invalid") from error
    return as_aware(moment)


def _read_batch(path: Path) -> list[Submission]:
    if not path.is_file():
        raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    submissions = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                record = jsonl_record(raw, number, "text")
                when = _submitted_at(record.get("submitted_at"), number)
                submissions.append(Submission(str(record["id"]), record["text"], when))
    return submissions


@petitions_app.command("triage")
def triage_command(
    text: Annotated[str | None, typer.Argument(help="Nội dung phản ánh")] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help='Tệp JSONL: mỗi dòng {"id", "text", "submitted_at", "channel"}')
    ] = None,
) -> None:
    """Triage one petition, or a batch in submitted_at order (one JSON line out per line in).

    Example: mauson petitions triage --jsonl ../shared/eval/petitions_dev.jsonl
    """
    if jsonl is not None:
        submissions = _read_batch(jsonl)
        results = triage_batch(submissions)
        for submission in submissions:
            typer.echo(json.dumps(labels.batch_line(submission.ref, results[submission.ref]), ensure_ascii=False))
        return
    if not text or not text.strip():
        raise Invalid("Hãy nhập nội dung phản ánh, hoặc dùng --jsonl TỆP.", code="petitions.empty")
    _print_triage(triage(text, submitted_at=datetime.now(UTC)), text)


@petitions_app.command("train")
def train_command(
    ctx: typer.Context,
    source: Annotated[
        list[Path] | None, typer.Option("--source", help="Tệp JSONL đã gán nhãn (text, category, agency, urgency)")
    ] = None,
    corrections: Annotated[bool, typer.Option(help="Dùng cả các sửa đổi của cán bộ trong cơ sở dữ liệu")] = True,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Nơi ghi mô hình (mặc định: mô hình đi kèm gói)")
    ] = None,
) -> None:
    """Retrain the triage classifier from the shipped seed, labelled files and officers' corrections.

    Example: mauson petitions train --source ../shared/eval/petitions_train.jsonl
    """
    examples = list(read_examples(seed_path()))
    for path in source or []:
        if not path.is_file():
            raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
        examples += read_examples(path)
    corrected = 0
    if corrections:
        with state(ctx).database.unit_of_work() as session:
            stored = workflow.corrected_examples(session=session, actor=operator())
        corrected = len(stored)
        examples += stored
    sources = ["seed.jsonl", *(p.name for p in source or [])] + (["corrections"] if corrected else [])
    model = fit(examples, meta={"sources": sources, "trained_at": datetime.now(UTC).isoformat(timespec="seconds")})
    target = output or shipped_path()
    save(model, target)
    floors = model.heads["urgency"].floors
    typer.echo(
        f"Đã huấn luyện trên {len(examples)} phản ánh ({corrected} sửa đổi của cán bộ); "
        f"{len(model.vocabulary)} đặc trưng; ngưỡng khẩn cấp {floors.get('khan_cap', 0.5):.2f}. Ghi vào {target}."
    )


@petitions_app.command("import")
def import_command(
    ctx: typer.Context,
    jsonl: Annotated[Path, typer.Argument(help='Tệp JSONL: mỗi dòng {"id", "text", "submitted_at", "channel"}')],
) -> None:
    """Import petitions (hotline transcripts, another system's export) in submitted_at order, triaging each.

    Example: mauson petitions import phan_anh_thang_10.jsonl
    """
    cli = state(ctx)
    submissions = sorted(_read_batch(jsonl), key=lambda s: s.submitted_at)
    alerts_raised: list[int] = []
    with cli.database.unit_of_work() as session:
        for submission in submissions:
            data = PetitionCreate(text=submission.text, submitted_at=submission.submitted_at, channel="import")
            petition = intake.submit(session=session, actor=operator(), data=data)
            alerts_raised += alerts.pending_ids(session=session, petition_id=petition.id)
    for alert_id in alerts_raised:
        with cli.database.unit_of_work() as session:
            alerts.deliver(session=session, alert_id=alert_id)
    typer.echo(f"Đã nhập {len(submissions)} phản ánh; {len(alerts_raised)} cảnh báo khẩn cấp đã gửi.")


@petitions_app.command("escalate")
def escalate_command(ctx: typer.Context) -> None:
    """Flag overdue petitions to their supervising agency (run it every hour, e.g. from cron).

    Example: mauson petitions escalate
    """
    with state(ctx).database.unit_of_work() as session:
        escalated = workflow.escalate_overdue(session=session, actor=operator())
        numbers = ", ".join(f"#{p.id}" for p in escalated)
    typer.echo(f"{len(escalated)} phản ánh quá hạn đã báo cơ quan cấp trên{': ' + numbers if numbers else '.'}")


@petitions_app.command("notifier")
def notifier_command(
    ctx: typer.Context,
    organisation: Annotated[str, typer.Option("--org", help="Mã cơ quan trực, ví dụ CAT")],
    webhook: Annotated[str | None, typer.Option(help="Địa chỉ webhook nhận cảnh báo (http/https)")] = None,
    email: Annotated[str | None, typer.Option(help="smtp://máy-chủ:cổng/người-nhận@cơ-quan.gov.vn")] = None,
) -> None:
    """Send an agency's emergency alerts to a webhook or a mailbox.

    Example: mauson petitions notifier --org CAT --webhook http://10.0.0.5/canh-bao
    """
    if (webhook is None) == (email is None):
        raise Invalid("Hãy cho đúng một trong --webhook hoặc --email.", code="petitions.notifier_kind")
    kind, target = ("webhook", webhook) if webhook else ("email", email or "")
    with state(ctx).database.unit_of_work() as session:
        data = NotifierCreate(organisation_code=organisation, kind=kind, target=target)
        notifier = alerts.add_notifier(session=session, actor=operator(), data=data)
        typer.echo(f"Đã thêm nơi nhận #{notifier.id} ({kind}) cho {organisation}.")
