"""`mauson petitions`: triage from the console (one text or a JSON Lines batch), retrain the
classifier, import petitions, escalate overdue ones, and set where emergency alerts go."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from mauson.console import CliState, jsonl_id, jsonl_record, operator, state
from mauson.db import as_aware, utcnow
from mauson.errors import Invalid
from mauson.petitions import alerts, intake, labels, rules, service, workflow
from mauson.petitions.classifier import (
    UNREADABLE,
    TriageModel,
    load,
    model_in_use,
    retrained_path,
    save,
    shipped_path,
    written_forms,
)
from mauson.petitions.models import NotifierCreate, PetitionCreate
from mauson.petitions.training import Example, fit, read_examples, seed_path
from mauson.petitions.triage import Submission, Triage, triage, triage_batch
from mauson.privacy.models import TYPE_LABELS, EntityType

petitions_app = typer.Typer(help="Phản ánh, kiến nghị (petitions).", no_args_is_help=True)

# The labelled file the shipped model learned from besides the seed (docs/petitions.md), where the
# project keeps it: `train` uses it by default, so that retraining adds the corrections to what the
# model knew rather than forget a sixth of it.
TRAIN_FILE = Path("../shared/eval/petitions_train.jsonl")
CORRECTIONS = "corrections"  # how officers' corrections are named among a model's sources
SOURCE_WORDS = {CORRECTIONS: "sửa đổi của cán bộ"}  # a source in the output; a file is "từ <its name>"
# A line of an import keeps the channel it names when the platform knows it (`intake.KNOWN_CHANNELS`,
# the one list the API checks staff's against); any other becomes "import", so that a typo makes no
# channel of its own and another system's own name for a way in ("fax") loses no petition over it.
IMPORTED = "import"
# The fields of a batch line's triage (`labels.batch_line`), left empty for a line the intake refuses.
LABEL_FIELDS = ("category", "agency", "urgency", "commune", "duplicate_of")


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


@dataclass(frozen=True)
class BatchLine:
    """One line of a batch file, as read: its number, the file's id for it, what it says and when."""

    number: int
    ref: str
    text: str
    submitted_at: datetime
    dated: bool  # whether the line gave its time (else it is now)
    channel: str  # the line's own when the platform knows it (`intake.KNOWN_CHANNELS`), else "import"


@dataclass(frozen=True)
class UnreadLine:
    """A line of a batch file that could not be read (not JSON, no id or text, a time that is not one):
    its number, its id when it gave one, and why, naming the line."""

    number: int
    ref: str | None
    error: str


def _submitted_at(value: object, number: int) -> datetime:
    """An ISO 8601 time; one without a zone is taken as Vietnam's (+07:00)."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise Invalid(f"Dòng {number}: submitted_at không phải thời điểm ISO 8601.", code="jsonl.invalid") from error
    return as_aware(moment)


def _raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of `path` with their numbers (blank ones count, as an editor numbers them)."""
    if not path.is_file():
        raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield number, raw


def _parse(number: int, raw: bytes) -> BatchLine:
    """One line as `{"id", "text", "submitted_at", "channel"}`; `Invalid` names the line."""
    record = jsonl_record(raw, number, "text")
    when = record.get("submitted_at")
    channel = record.get("channel")
    known = channel if isinstance(channel, str) and channel in intake.KNOWN_CHANNELS else IMPORTED
    moment = _submitted_at(when, number)
    return BatchLine(number, str(record["id"]), record["text"], moment, when is not None, known)


def _refusal(line: BatchLine, now: datetime) -> Invalid | None:
    """Why the intake would refuse the line (an empty or too short text, a time in the future), in its
    own words; None if it would not. The import and the batch triage both ask it."""
    try:
        intake.checked_text(line.text)
        if line.dated:
            intake.checked_submitted_at(line.submitted_at, now)
    except Invalid as error:
        return error
    return None


def _read_batch(path: Path) -> list[BatchLine | UnreadLine]:
    """Each line of a batch file, read, or why it could not be: one bad line does not stop the rest."""
    read: list[BatchLine | UnreadLine] = []
    for number, raw in _raw_lines(path):
        try:
            read.append(_parse(number, raw))
        except Invalid as error:
            ref = jsonl_id(raw)
            read.append(UnreadLine(number, None if ref is None else str(ref), error.message))
    return read


def _warn_repeated_ids(lines: Sequence[BatchLine]) -> None:
    """Say on stderr which lines share an id: each still gets its output line, but a reader keying
    the output by id would keep one of them only."""
    numbers: dict[str, list[int]] = defaultdict(list)
    for line in lines:
        numbers[line.ref].append(line.number)
    for ref, found in numbers.items():
        if len(found) > 1:
            where = ", ".join(str(n) for n in found)
            typer.echo(f"Cảnh báo: mã «{ref}» lặp lại ở các dòng {where}; mỗi dòng vẫn có một dòng kết quả.", err=True)


def _batch_lines(
    read: Sequence[BatchLine | UnreadLine], model: TriageModel, now: datetime
) -> Iterator[dict[str, str | None]]:
    """One output per input line, in input order. A line that could not be read gets empty labels and
    why, naming the line (its id, or null where it gave none); a line the intake would refuse (an
    empty or too short text, a time in the future) gets empty labels and the intake's reason. Neither
    is triaged, so that no later line is linked to it as a duplicate. Lines are triaged under their
    line numbers, so two lines sharing an id stay two petitions."""
    lines = [line for line in read if isinstance(line, BatchLine)]
    refusals = {line.number: _refusal(line, now) for line in lines}
    accepted = [
        Submission(str(line.number), line.text, line.submitted_at) for line in lines if not refusals[line.number]
    ]
    results = triage_batch(accepted, model=model)
    refs = {str(line.number): line.ref for line in lines}
    for line in read:
        if isinstance(line, UnreadLine):
            yield {"id": line.ref, **dict.fromkeys(LABEL_FIELDS), "error": line.error}
            continue
        refusal = refusals[line.number]
        if refusal:
            yield {"id": line.ref, **dict.fromkeys(LABEL_FIELDS), "error": refusal.message}
            continue
        result = results[str(line.number)]
        duplicate_of = refs[result.duplicate_of] if result.duplicate_of else None
        yield {**labels.batch_line(line.ref, result), "duplicate_of": duplicate_of}


def _triage_batch_file(path: Path, model: TriageModel) -> None:
    """Write the batch's output lines, one per input line, and say on stderr which lines got no labels
    and why, as the import names its refused lines; fail only when no line could be read at all."""
    read = _read_batch(path)
    _warn_repeated_ids([line for line in read if isinstance(line, BatchLine)])
    for number, output in zip((line.number for line in read), _batch_lines(read, model, utcnow()), strict=True):
        typer.echo(json.dumps(output, ensure_ascii=False))
        if output.get("error"):
            why = str(output["error"])
            said = why if why.startswith((f"Dòng {number} ", f"Dòng {number}:")) else f"Dòng {number}: {why}"
            typer.echo(f'Cảnh báo: {said} Dòng này không được phân loại (nhãn để trống, lý do ở "error").', err=True)
    if read and not any(isinstance(line, BatchLine) for line in read):
        raise Invalid(f"Không đọc được dòng nào: cả {len(read)} dòng đều lỗi.", code="petitions.batch")


@petitions_app.command("triage")
def triage_command(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Nội dung phản ánh")] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help='Tệp JSONL: mỗi dòng {"id", "text", "submitted_at", "channel"}')
    ] = None,
) -> None:
    """Triage one petition, or a batch in submitted_at order (one JSON line out per line in; a
    line that cannot be read or that the intake would refuse gets empty labels and an "error", the
    rest is triaged; exits 1 only when no line could be read).

    Example: mauson petitions triage --jsonl ../shared/eval/petitions_dev.jsonl
    """
    model = model_in_use(state(ctx).settings.data_dir)
    if jsonl is not None:
        _triage_batch_file(jsonl, model)
        return
    if not text or not text.strip():
        raise Invalid("Hãy nhập nội dung phản ánh, hoặc dùng --jsonl TỆP.", code="petitions.empty")
    _print_triage(triage(text, submitted_at=datetime.now(UTC), model=model), text)


def _labelled_files(source: list[Path] | None) -> list[Path]:
    """The labelled files to learn from: those named, else the train file the shipped model learned
    from, when this machine has it (`_forgotten` stops a model that lacks it from replacing one that had it)."""
    for path in source or []:
        if not path.is_file():
            raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    return list(source) if source else [path for path in [TRAIN_FILE] if path.is_file()]


def _forgotten(replaced: Path | None, sources: Sequence[str]) -> list[str]:
    """The files the model at `replaced` learned from that this training lacks: replacing it would
    forget them (the default had trained the shipped model again on the seed alone, 539 petitions
    of its 640, and moved the khẩn cấp floor)."""
    try:
        learned = load(replaced).meta.get("sources") if replaced is not None else None
    except UNREADABLE:  # a broken file: nothing is lost in replacing it
        learned = None
    names = learned if isinstance(learned, list) else []
    return [name for name in names if isinstance(name, str) and name not in sources and name != CORRECTIONS]


def _floor(model: TriageModel) -> str:
    """The model's khẩn cấp floor, as the output shows it ("—" where there is none)."""
    floors = model.heads["urgency"].floors
    return f"{floors['khan_cap']:.2f}" if "khan_cap" in floors else "—"


COMPARED = 1_000  # the latest stored petitions a retrained model is compared on


def _changes(cli: CliState, before: TriageModel, after: TriageModel) -> str:
    """How the retrained model would decide the latest stored petitions otherwise than the model in
    use: a handful of corrections and a khẩn cấp floor searched again can move decisions nobody
    corrected (a reviewer's five corrections changed 11 of 63), and the operator should see it
    before the next petition is triaged with it."""
    with cli.database.unit_of_work() as session:
        texts = service.latest_texts(session=session, limit=COMPARED)
    if not texts:
        return ""
    changed = {kind: 0 for kind in ("category", "agency", "urgency")}
    raised = lowered = 0
    for text in texts:
        priors = rules.priors(text)
        old, new = before.predict(text, priors), after.predict(text, priors)
        for kind in changed:
            changed[kind] += old[kind].label != new[kind].label
        raised += old["urgency"].label != "khan_cap" == new["urgency"].label
        lowered += old["urgency"].label == "khan_cap" != new["urgency"].label
    return (
        f" So với mô hình đang dùng, trên {len(texts)} phản ánh gần nhất: đổi lĩnh vực {changed['category']}, "
        f"cơ quan {changed['agency']}, mức khẩn {changed['urgency']} (thêm {raised} khẩn cấp, bớt {lowered})."
    )


def _corrections(cli: CliState) -> list[Example]:
    """Officers' corrections of triage labels, with the labels as they stand now."""
    with cli.database.unit_of_work() as session:
        return workflow.corrected_examples(session=session, actor=operator())


@petitions_app.command("train")
def train_command(
    ctx: typer.Context,
    source: Annotated[
        list[Path] | None,
        typer.Option(
            "--source",
            help="Tệp JSONL đã gán nhãn (text, category, agency, urgency); mặc định: "
            f"{TRAIN_FILE}, tệp mô hình đi kèm đã học",
        ),
    ] = None,
    corrections: Annotated[bool, typer.Option(help="Dùng cả các sửa đổi của cán bộ trong cơ sở dữ liệu")] = True,
    forget: Annotated[
        bool,
        typer.Option(
            "--forget",
            help="Huấn luyện dù thiếu tệp mô hình đang dùng đã học (máy chủ không có tệp đó)",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Nơi ghi mô hình (mặc định: <thư mục dữ liệu>/models/triage.npz.gz, mô hình dịch vụ dùng)",
        ),
    ] = None,
) -> None:
    """Retrain the triage classifier from the shipped seed, the labelled train file (or the files
    named) and officers' corrections, into the data dir, where the platform takes it up with the next
    petition; refuses to replace a model with one that lacks a file it learned from.

    Example: mauson petitions train --source ../shared/eval/petitions_train.jsonl
    """
    cli = state(ctx)
    in_use = retrained_path(cli.settings.data_dir)
    target = output or in_use
    before = model_in_use(cli.settings.data_dir)
    # what the new model replaces: the file written over, or the shipped model the platform used until now
    replaced = target if target.is_file() else shipped_path() if target == in_use else None
    groups: dict[str, list[Example]] = {seed_path().name: list(read_examples(seed_path()))}
    for path in _labelled_files(source):
        groups[path.name] = list(read_examples(path))
    forgotten = _forgotten(replaced, list(groups))
    if forgotten and not forget:
        raise Invalid(
            f"Mô hình ở {replaced} đã học cả {', '.join(forgotten)}, lần huấn luyện này thì không: mô hình mới sẽ "
            f"kém hơn. Hãy chỉ tệp đó bằng --source (mặc định tìm ở {TRAIN_FILE}), ghi ra nơi khác bằng --output, "
            "hoặc, nếu máy chủ không có tệp đó, huấn luyện không có nó bằng --forget.",
            code="petitions.train_forgets",
        )
    if corrections:
        groups[CORRECTIONS] = _corrections(cli)
    used = {name: examples for name, examples in groups.items() if examples}
    meta: dict[str, object] = {"sources": list(used), "trained_at": datetime.now(UTC).isoformat(timespec="seconds")}
    model = fit([example for examples in used.values() for example in examples], meta=meta)
    changes = _changes(cli, before, model)  # read before writing: a database not made yet writes nothing
    save(model, target)
    counts = ", ".join(f"{len(examples)} {SOURCE_WORDS.get(name, 'từ ' + name)}" for name, examples in groups.items())
    taken_up = (
        " Phản ánh tới được phân loại bằng mô hình này (xoá tệp để quay về mô hình đi kèm phần mềm)."
        if target == in_use
        else ""
    )
    typer.echo(
        f"Đã huấn luyện trên {model.meta['examples']} phản ánh ({counts}); {len(model.vocabulary)} đặc trưng; "
        f"ngưỡng khẩn cấp {_floor(model)} (mô hình đang dùng: {_floor(before)}). Ghi vào {target}."
        f"{changes}{taken_up}"
    )


def _checked(number: int, raw: bytes, now: datetime) -> BatchLine:
    """The line, read and checked as the intake checks a petition; `Invalid` names the line."""
    line = _parse(number, raw)
    refusal = _refusal(line, now)
    if refusal:
        raise Invalid(f"Dòng {number}: {refusal.message}", code=refusal.code) from refusal
    return line


@dataclass
class ImportReport:
    """What an import did, line by line where a line was refused."""

    read: int = 0
    created: int = 0
    again: int = 0  # lines stored by an earlier import, not stored twice
    rejected: list[str] = field(default_factory=list)  # "Dòng N: why", for each refused line
    alerts: list[int] = field(default_factory=list)  # emergency alerts raised, to deliver once committed


def _store(session: Session, lines: Sequence[BatchLine], report: ImportReport, model: TriageModel) -> None:
    """Submit each line not stored before, in submitted_at order, through the normal intake."""
    for line in sorted(lines, key=lambda line: line.submitted_at):
        when = line.submitted_at if line.dated else None
        if intake.stored_before(session=session, text=line.text, submitted_at=when) is not None:
            report.again += 1
            continue
        data = PetitionCreate(text=line.text, submitted_at=line.submitted_at, channel=line.channel)
        petition = intake.submit(session=session, actor=operator(), data=data, model=model)
        report.created += 1
        report.alerts += alerts.pending_ids(session=session, petition_id=petition.id)


def _deliveries(cli: CliState, alert_ids: Sequence[int]) -> str:
    """Deliver each alert, once the import has committed, and say how many reached someone: an alert
    is on the duty agency's dashboard either way, but "sent" had been printed when none went out."""
    reached, failures = 0, set()
    for alert_id in alert_ids:
        with cli.database.unit_of_work() as session:
            outcomes = alerts.deliver(session=session, alert_id=alert_id, base_url=cli.settings.link_base).deliveries
        if any(outcome.get("ok") for outcome in outcomes):
            reached += 1
        else:
            failures |= {str(outcome.get("detail")) for outcome in outcomes}
    missed = len(alert_ids) - reached
    why = f" ({'; '.join(sorted(failures))})" if failures else ""
    return (
        f"{len(alert_ids)} cảnh báo khẩn cấp đã lên bảng cảnh báo của cơ quan trực: "
        f"{reached} đã gửi đến nơi nhận, {missed} chưa gửi được đến ai{why}."
    )


@petitions_app.command("import")
def import_command(
    ctx: typer.Context,
    jsonl: Annotated[Path, typer.Argument(help='Tệp JSONL: mỗi dòng {"id", "text", "submitted_at", "channel"}')],
) -> None:
    """Import petitions (hotline transcripts, another system's export) in submitted_at order, triaging
    each; a refused line is reported with its number and the rest imported, a line imported before is
    not stored again.

    Example: mauson petitions import phan_anh_thang_10.jsonl
    """
    cli, report, now = state(ctx), ImportReport(), utcnow()
    lines: list[BatchLine] = []
    for number, raw in _raw_lines(jsonl):
        report.read += 1
        try:
            lines.append(_checked(number, raw, now))
        except Invalid as error:
            report.rejected.append(error.message)
    for reason in report.rejected:  # "Dòng N: why", each before the summary, as they are found
        typer.echo(reason)
    if report.rejected and not lines:
        raise Invalid(f"Không nhập được dòng nào: cả {len(report.rejected)} dòng bị từ chối.", code="petitions.import")
    with cli.database.unit_of_work() as session:
        _store(session, lines, report, model_in_use(cli.settings.data_dir))
    typer.echo(
        f"Đã đọc {report.read} dòng: {report.created} phản ánh mới, {report.again} dòng đã nhập trước đó "
        f"(không nhập lại), {len(report.rejected)} dòng bị từ chối."
    )
    if report.alerts:
        typer.echo(_deliveries(cli, report.alerts))


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
