"""`mauson pii`: find and anonymise personal data in files of any size, from the console."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer

from mauson.console import jsonl_record, operator, state
from mauson.errors import Invalid
from mauson.privacy import service, tables
from mauson.privacy.models import TYPE_LABELS, Entity, Method
from mauson.vntext.encoding import iter_blocks

pii_app = typer.Typer(help="Dữ liệu cá nhân (personal data).", no_args_is_help=True)
FileArg = Annotated[str, typer.Argument(help="Tệp văn bản, hoặc - để đọc từ đầu vào chuẩn")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Ghi kết quả vào tệp (mặc định: màn hình)")]


@contextmanager
def _input(path: str) -> Iterator[BinaryIO]:
    if path == "-":
        yield sys.stdin.buffer
        return
    source = Path(path)
    if not source.is_file():
        raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    with source.open("rb") as handle:
        yield handle


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or a file written whole or not at all (a temporary file renamed at the end)."""
    if path is None:
        yield sys.stdout
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _shifted(entities: list[Entity], offset: int) -> Iterator[Entity]:
    for e in entities:
        yield Entity(e.start + offset, e.end + offset, e.type, e.text, e.score, e.reason)


def _audit(ctx: typer.Context, action: str, characters: int, found: Counter[str], **extra: str) -> None:
    with state(ctx).database.unit_of_work() as session:
        service.record_scan(
            session=session,
            actor=operator(),
            action=action,
            characters=characters,
            found=dict(sorted(found.items())),
            **extra,
        )


@pii_app.command("scan")
def scan(
    ctx: typer.Context,
    file: FileArg = "-",
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help='Tệp JSONL: mỗi dòng {"id", "text"}')] = None,
    output: OutputOption = None,
) -> None:
    """List the personal data in a text file; with --jsonl, answer one JSON line per input line.

    Example: mauson pii scan don-thu.txt
    """
    if jsonl is not None:
        _scan_jsonl(ctx, jsonl, output)
        return
    found: Counter[str] = Counter()
    characters = offset = 0
    with _input(file) as stream, _output(output) as out:
        for block in iter_blocks(stream):
            for entity in _shifted(service.scan(block), offset):
                found[entity.type.value] += 1
                out.write(
                    f"{entity.start:>8}-{entity.end:<8} {entity.type.value:<17} {entity.text!r}  "
                    f"({entity.score:.2f}; {entity.reason})\n"
                )
            offset += len(block)
            characters += len(block)
        if not found:
            out.write("Không thấy dữ liệu cá nhân nào.\n")
    _audit(ctx, "privacy.scan", characters, found, source="cli")


def _scan_jsonl(ctx: typer.Context, path: Path, output: Path | None) -> None:
    found: Counter[str] = Counter()
    characters = 0
    if not path.is_file():
        raise Invalid(f"Không có tệp '{path}'.", code="file.not_found")
    with path.open("rb") as handle, _output(output) as out:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            record = jsonl_record(raw, number, "text")
            entities = service.scan(record["text"])
            characters += len(record["text"])
            found.update(e.type.value for e in entities)
            line = {
                "id": record["id"],
                "entities": [
                    {"start": e.start, "end": e.end, "type": e.type.value, "text": e.text, "score": round(e.score, 3)}
                    for e in entities
                ],
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    _audit(ctx, "privacy.scan", characters, found, source="cli-jsonl")


@pii_app.command("redact")
def redact(
    ctx: typer.Context,
    file: FileArg = "-",
    method: Annotated[Method, typer.Option("--method", help="Cách ẩn")] = Method.MASK,
    output: OutputOption = None,
) -> None:
    """Print the text with its personal data anonymised.

    Example: mauson pii redact danh-sach.txt --method pseudonym -o danh-sach-an.txt
    """
    keys = service.keys_for(state(ctx).settings)
    found: Counter[str] = Counter()
    characters = 0
    with _input(file) as stream, _output(output) as out:
        for block in iter_blocks(stream):
            anonymised, entities = service.redact(block, method=method, keys=keys)
            found.update(e.type.value for e in entities)
            characters += len(block)
            out.write(anonymised)
    _audit(ctx, "privacy.redact", characters, found, source="cli", method=method.value)


@pii_app.command("table")
def table(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Tệp CSV (dấu phân cách và bảng mã tự nhận)")],
    k: Annotated[int, typer.Option("--k", min=2, help="Mỗi nhóm phải có ít nhất k dòng giống nhau")] = 5,
    quasi: Annotated[
        str | None, typer.Option("--qi", help="Các cột gần định danh, cách nhau bởi dấu phẩy (mặc định: tự đề xuất)")
    ] = None,
) -> None:
    """Classify a CSV's columns and measure how easily its rows can be re-identified.

    Example: mauson pii table danh-sach-ho-ngheo.csv --k 5
    """
    if not file.is_file():
        raise Invalid(f"Không có tệp '{file}'.", code="file.not_found")
    header, rows = tables.read_csv(file.read_bytes())
    reports = tables.scan_columns(header, rows)
    typer.echo(f"{len(rows)} dòng, {len(header)} cột.")
    for report in reports:
        kind = TYPE_LABELS[report.type] if report.type else "không phải dữ liệu cá nhân"
        typer.echo(f"  {report.name:<24} {kind:<28} {report.share:>6.0%} của {report.sampled} ô đã lấy mẫu")
    wanted = [name.strip() for name in quasi.split(",") if name.strip()] if quasi is not None else None
    chosen = tables.quasi_identifiers(header, reports, wanted)
    if not chosen:
        typer.echo("Không có cột gần định danh nào (ngày sinh, giới tính, địa chỉ...).")
        return
    columns = [header.index(name) for name in chosen]
    typer.echo(f"Độ ẩn danh k hiện tại theo {', '.join(chosen)}: k = {tables.k_anonymity(rows, columns).k}")
    result = tables.generalise(header, rows, chosen, k)
    steps = ", ".join(f"{name} → {step}" for name, step in result.steps.items()) or "không cần"
    typer.echo(f"Để đạt k ≥ {k}: khái quát hóa {steps}; bỏ {result.suppressed_rows} dòng; k đạt được = {result.k}.")
    found: Counter[str] = Counter(r.type.value for r in reports if r.type and r.is_personal)
    _audit(ctx, "privacy.table_scan", sum(len(c) for row in rows for c in row), found, source="cli")
